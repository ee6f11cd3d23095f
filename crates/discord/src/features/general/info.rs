//! `ping` and `about`.

use std::time::{Duration, Instant};

use crate::prelude::*;

fn ms(d: Duration) -> String {
    format!("{} ms", d.as_millis())
}

/// Human duration: `1d 2h 3m 4s`.
pub fn format_uptime(d: Duration) -> String {
    let s = d.as_secs();
    let (days, h, m, sec) = (s / 86_400, s / 3600 % 24, s / 60 % 60, s % 60);
    let mut out = String::new();
    if days > 0 {
        out.push_str(&format!("{days}d "));
    }
    if days > 0 || h > 0 {
        out.push_str(&format!("{h}h "));
    }
    if days > 0 || h > 0 || m > 0 {
        out.push_str(&format!("{m}m "));
    }
    out.push_str(&format!("{sec}s"));
    out
}

/// Check the bot's latency: gateway heartbeat, REST round-trip and database.
#[poise::command(prefix_command, slash_command, aliases("latency"), custom_data = Tier::Everyone)]
pub async fn ping(ctx: Context<'_>) -> Result<(), Error> {
    let data = ctx.data();
    let (connected, heartbeat) = data.gateway_status().await;
    let t = Instant::now();
    let rest = ctx.http().get_current_user().await.map(|_| t.elapsed());
    let t = Instant::now();
    let db = data.storage().ping().await.map(|_| t.elapsed());
    let gateway = match (connected, heartbeat) {
        (_, Some(h)) => ms(h),
        (true, None) => tr!(ctx, "general-ping-first-heartbeat"),
        (false, None) => tr!(ctx, "general-ping-reconnecting"),
    };
    // Raw REST/database error text is for the log, never for the channel.
    let failed = |what: &str, e: String| {
        tracing::warn!(check = what, error = %e, "ping: a check failed");
        tr!(ctx, "general-ping-failed")
    };
    let embed = Embed::info(tr!(ctx, "general-ping-title"))
        .field(tr!(ctx, "general-ping-gateway"), gateway, true)
        .field(
            tr!(ctx, "general-ping-rest"),
            rest.map(ms)
                .unwrap_or_else(|e| failed("rest", e.to_string())),
            true,
        )
        .field(
            tr!(ctx, "general-ping-database"),
            db.map(ms)
                .unwrap_or_else(|e| failed("database", e.to_string())),
            true,
        );
    ctx.send(embeds::reply(embed)).await?;
    Ok(())
}

/// About Chronix: version, uptime, guilds, memory and commands run.
#[poise::command(
    prefix_command,
    slash_command,
    aliases("stats", "botinfo"),
    custom_data = Tier::Everyone
)]
pub async fn about(ctx: Context<'_>) -> Result<(), Error> {
    let data = ctx.data();
    let memory = crate::metrics::rss_bytes()
        .map(|b| format!("{:.1} MiB", b as f64 / (1024.0 * 1024.0)))
        .unwrap_or_else(|| tr!(ctx, "general-about-unknown"));
    let features: Vec<&str> = data
        .registry()
        .enabled(data.config())
        .map(|f| f.name)
        .filter(|n| *n != "kernel")
        .collect();
    let embed = Embed::info(tr!(ctx, "general-about-title"))
        .description(tr!(ctx, "general-about-text"))
        .field(
            tr!(ctx, "general-about-version"),
            env!("CARGO_PKG_VERSION"),
            true,
        )
        .field(
            tr!(ctx, "general-about-uptime"),
            format_uptime(data.uptime()),
            true,
        )
        .field(
            tr!(ctx, "general-about-guilds"),
            data.guild_count().to_string(),
            true,
        )
        .field(tr!(ctx, "general-about-memory"), memory, true)
        .field(
            tr!(ctx, "general-about-commands-run"),
            data.metrics().total().to_string(),
            true,
        )
        .field(
            tr!(ctx, "general-about-features"),
            features.join(", "),
            false,
        );
    ctx.send(embeds::reply(embed)).await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uptime_formatting() {
        assert_eq!(format_uptime(Duration::from_secs(5)), "5s");
        assert_eq!(format_uptime(Duration::from_secs(65)), "1m 5s");
        assert_eq!(format_uptime(Duration::from_secs(3600)), "1h 0m 0s");
        assert_eq!(format_uptime(Duration::from_secs(90_061)), "1d 1h 1m 1s");
    }
}

/// Developer view of command metrics: count, errors, refusals and mean latency.
#[poise::command(prefix_command, slash_command, custom_data = Tier::Dev)]
pub async fn devstats(ctx: Context<'_>) -> Result<(), Error> {
    let snapshot = ctx.data().metrics().snapshot();
    let mut lines: Vec<String> = snapshot
        .iter()
        .map(|(name, s)| {
            let mean = if s.count > 0 {
                s.sum_secs * 1000.0 / s.count as f64
            } else {
                0.0
            };
            tr!(
                ctx,
                "general-devstats-line",
                name = name.as_str(),
                count = s.count.to_string(),
                errors = s.errors.to_string(),
                refused = s.refused.to_string(),
                mean = format!("{mean:.1}")
            )
        })
        .collect();
    if lines.is_empty() {
        lines.push(tr!(ctx, "general-devstats-none"));
    }
    let embed = Embed::info(tr!(ctx, "general-devstats-title"))
        .description(lines.join("\n"))
        .field(
            tr!(ctx, "general-devstats-in-flight"),
            ctx.data().metrics().in_flight().to_string(),
            true,
        )
        .field(
            tr!(ctx, "general-devstats-total"),
            ctx.data().metrics().total().to_string(),
            true,
        );
    ctx.send(embeds::reply(embed)).await?;
    Ok(())
}
