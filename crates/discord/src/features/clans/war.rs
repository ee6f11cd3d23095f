//! The weekly war job ([`super::WAR_JOB`]) and the result it posts to each clan's channel.

use chronix_core::economy::Chrons;
use chronix_core::render::format_chrons;
use chronix_storage::clans::{self as store, WarLine, WarResult};

use super::rules;
use crate::kernel::ids::ToDiscord;
use crate::prelude::*;

/// The weekly war job: settles the week that ended at the job's slot (once, whatever the
/// number of processes) and posts each clan's result to its channel, in that server's language.
pub(super) fn war_job<'a>(
    ctx: &'a crate::scheduler::JobContext,
    job: &'a chronix_storage::jobs::Job,
) -> poise::BoxFuture<'a, Result<(), Error>> {
    Box::pin(async move {
        let (start, end) = chronix_core::clans::week_bounds(job.run_at);
        let prize = Chrons::new(ctx.data.config().clans_war_prize);
        let report =
            store::settle_war(ctx.data.storage(), start, end, &rules().war, prize, ctx.now).await?;
        let Some(report) = report else {
            return Ok(());
        };
        tracing::info!(
            war = report.war_id,
            clans = report.lines.len(),
            "clan war settled"
        );
        for line in &report.lines {
            let Some(channel) = line.channel else {
                continue;
            };
            let l = crate::kernel::i18n::guild_locale(&ctx.data, line.guild.map(|g| g.get())).await;
            let e = war_embed(l, line);
            if let Err(e) = channel
                .discord()
                .send_message(&ctx.http, embeds::message(e))
                .await
            {
                tracing::warn!(clan = line.clan, error = %e, "war result not posted");
            }
        }
        Ok(())
    })
}

/// A clan's war result.
pub fn war_embed(l: Locale, line: &WarLine) -> Embed {
    let result = match line.outcome {
        WarResult::Won => "won",
        WarResult::Lost => "lost",
        WarResult::Draw => "draw",
        WarResult::Bye => "bye",
    };
    let text = match &line.opponent {
        Some((_, name, score)) => tr!(
            l,
            "clans-war-result",
            result = result,
            name = line.name.as_str(),
            score = line.score.to_string(),
            opponent = name.as_str(),
            their = score.to_string()
        ),
        None => tr!(
            l,
            "clans-war-bye",
            name = line.name.as_str(),
            score = line.score.to_string()
        ),
    };
    let mut e = Embed::gameplay(tr!(l, "clans-war-title")).description(text);
    if line.outcome == WarResult::Won {
        e = e.field(
            tr!(l, "clans-war-prize"),
            format!("+{} · +{} BP", format_chrons(line.prize), line.bp),
            false,
        );
    }
    e
}
