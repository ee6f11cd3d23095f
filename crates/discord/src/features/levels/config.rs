//! `levelconfig` (admin): a server's level settings, one subcommand per setting. Every change
//! is checked by `chronix_core::levels::LevelSettings::validate` (a refusal names the rule),
//! stored and audited by `storage::levels::save_settings`, and takes effect at once.

use chronix_core::ids::GuildId;
use chronix_core::levels::{Announce, DEFAULT_TEMPLATE, LevelSettings, Multiplier, Scope};
use chronix_storage::levels as store;

use super::chat::{self, LevelsState};
use crate::kernel::ids::ToCore;
use crate::prelude::*;

/// Applies `f` to the stored settings, saves them and answers with `done`.
async fn update(
    ctx: Context<'_>,
    f: impl FnOnce(&mut LevelSettings),
    done: String,
) -> Result<(), Error> {
    let Caller {
        user,
        locale: l,
        now,
        ..
    } = Caller::of(ctx).await;
    let Some(g) = ctx.guild_id().map(|g| g.core()) else {
        return Err(UserError::GuildOnly.into());
    };
    let data = ctx.data();
    let mut s = store::settings(data.storage(), g).await?;
    f(&mut s);
    store::save_settings(data.storage(), g, user, &s, now)
        .await
        .map_err(|e| super::user_error(l, e))?;
    data.state::<LevelsState>().invalidate_settings(g);
    ctx.send(embeds::reply(
        Embed::success(tr!(l, "levels-config-saved")).description(done),
    ))
    .await?;
    Ok(())
}

fn on_off(l: Locale, on: bool) -> String {
    if on {
        tr!(l, "levels-on")
    } else {
        tr!(l, "levels-off")
    }
}

/// Configure chat XP, the curve, level-up messages and role rewards (admin).
#[poise::command(
    prefix_command,
    slash_command,
    guild_only,
    aliases("lvlconfig", "levelcfg"),
    subcommands(
        "show",
        "xprate",
        "curve",
        "announce",
        "message",
        "card",
        "reward",
        "unreward",
        "stack",
        "ignore",
        "multiplier",
        "booster",
        "scope",
        "color"
    ),
    custom_data = Tier::Admin
)]
pub async fn levelconfig(ctx: Context<'_>) -> Result<(), Error> {
    show_settings(ctx).await
}

/// Show this server's level settings.
#[poise::command(prefix_command, slash_command, guild_only, custom_data = Tier::Admin)]
pub async fn show(ctx: Context<'_>) -> Result<(), Error> {
    show_settings(ctx).await
}

async fn show_settings(ctx: Context<'_>) -> Result<(), Error> {
    let l = crate::i18n::locale_of(ctx);
    let Some(g) = ctx.guild_id().map(|g| g.core()) else {
        return Err(UserError::GuildOnly.into());
    };
    let s = chat::settings(ctx.data(), g).await?;
    ctx.send(embeds::reply(settings_embed(l, g, &s))).await?;
    Ok(())
}

/// The settings as an embed.
pub fn settings_embed(l: Locale, _g: GuildId, s: &LevelSettings) -> Embed {
    let none = || tr!(l, "levels-none");
    let list = |v: Vec<String>| if v.is_empty() { none() } else { v.join(" ") };
    let announce = match s.announce {
        Announce::Off => tr!(l, "levels-announce-off"),
        Announce::Here => tr!(l, "levels-announce-here"),
        Announce::Channel(c) => format!("<#{c}>"),
        Announce::Dm => tr!(l, "levels-announce-dm"),
    };
    let rewards = list(
        s.rewards
            .iter()
            .take(40)
            .map(|r| {
                tr!(
                    l,
                    "levels-reward-line",
                    level = r.level,
                    role = format!("<@&{}>", r.role)
                )
            })
            .collect(),
    );
    let mut multipliers: Vec<String> = s
        .role_multipliers
        .iter()
        .map(|m| format!("<@&{}> {}%", m.target, m.pct))
        .chain(
            s.channel_multipliers
                .iter()
                .map(|m| format!("<#{}> {}%", m.target, m.pct)),
        )
        .collect();
    if s.booster_pct != 100 {
        multipliers.push(tr!(l, "levels-booster-line", pct = s.booster_pct));
    }
    let ignored: Vec<String> = s
        .ignored_channels
        .iter()
        .map(|c| format!("<#{c}>"))
        .chain(s.ignored_roles.iter().map(|r| format!("<@&{r}>")))
        .collect();
    Embed::info(tr!(l, "levels-config-title"))
        .field(
            tr!(l, "levels-config-xp"),
            tr!(
                l,
                "levels-config-xp-value",
                min = s.xp.min,
                max = s.xp.max,
                cooldown = s.xp.cooldown_secs,
                length = s.min_length
            ),
            false,
        )
        .field(
            tr!(l, "levels-config-curve"),
            format!(
                "{}·L² + {}·L + {} (≤ {})",
                s.curve.quadratic, s.curve.linear, s.curve.constant, s.curve.max_level
            ),
            false,
        )
        .field(tr!(l, "levels-config-announce"), announce, true)
        .field(tr!(l, "levels-config-card"), on_off(l, s.card), true)
        .field(
            tr!(l, "levels-config-scope"),
            match s.scope {
                Scope::Server => tr!(l, "levels-scope-server"),
                Scope::Global => tr!(l, "levels-scope-global"),
            },
            true,
        )
        .field(tr!(l, "levels-config-message"), s.message.clone(), false)
        .field(
            tr!(l, "levels-config-rewards", stacked = on_off(l, s.stack)),
            rewards,
            false,
        )
        .field(
            tr!(l, "levels-config-multipliers"),
            list(multipliers),
            false,
        )
        .field(tr!(l, "levels-config-ignored"), list(ignored), false)
}

/// XP per message (a random amount from min to max), the cooldown and the minimum length.
#[poise::command(prefix_command, slash_command, guild_only, custom_data = Tier::Admin)]
pub async fn xprate(
    ctx: Context<'_>,
    #[description = "Smallest XP per message"] min: u32,
    #[description = "Largest XP per message"] max: u32,
    #[description = "Seconds before a member's next message earns XP"] cooldown: u32,
    #[description = "Shortest message that earns XP (characters)"] min_length: Option<u32>,
) -> Result<(), Error> {
    let l = crate::i18n::locale_of(ctx);
    let done = tr!(
        l,
        "levels-xprate-done",
        min = min,
        max = max,
        cooldown = cooldown
    );
    update(
        ctx,
        |s| {
            s.xp.min = i64::from(min);
            s.xp.max = i64::from(max);
            s.xp.cooldown_secs = cooldown;
            if let Some(n) = min_length {
                s.min_length = n;
            }
        },
        done,
    )
    .await
}

/// The XP each level costs: quadratic·L² + linear·L + constant (default 5, 50, 100).
#[poise::command(prefix_command, slash_command, guild_only, custom_data = Tier::Admin)]
pub async fn curve(
    ctx: Context<'_>,
    #[description = "Coefficient of L²"] quadratic: u32,
    #[description = "Coefficient of L"] linear: u32,
    #[description = "Constant"] constant: u32,
    #[description = "Highest level (up to 500)"] max_level: Option<u32>,
) -> Result<(), Error> {
    let l = crate::i18n::locale_of(ctx);
    let done = tr!(l, "levels-curve-done");
    update(
        ctx,
        |s| {
            s.curve.quadratic = u64::from(quadratic);
            s.curve.linear = u64::from(linear);
            s.curve.constant = u64::from(constant);
            if let Some(m) = max_level {
                s.curve.max_level = m;
            }
        },
        done,
    )
    .await
}

/// Where level-ups are announced.
#[derive(Debug, Clone, Copy, poise::ChoiceParameter)]
pub enum AnnounceMode {
    /// Not announced.
    Off,
    /// In the channel of the message.
    Here,
    /// In a fixed channel.
    Channel,
    /// By DM.
    Dm,
}

/// Where level-ups are announced: off, here (the message's channel), a channel, or DM.
#[poise::command(prefix_command, slash_command, guild_only, custom_data = Tier::Admin)]
pub async fn announce(
    ctx: Context<'_>,
    #[description = "off, here, channel or dm"] mode: AnnounceMode,
    #[description = "The channel (for mode channel)"] channel: Option<serenity::GuildChannel>,
) -> Result<(), Error> {
    let l = crate::i18n::locale_of(ctx);
    let a = match (mode, channel) {
        (AnnounceMode::Off, _) => Announce::Off,
        (AnnounceMode::Here, _) => Announce::Here,
        (AnnounceMode::Dm, _) => Announce::Dm,
        (AnnounceMode::Channel, Some(c)) => Announce::Channel(c.id.core()),
        (AnnounceMode::Channel, None) => {
            return Err(super::refused(l, tr!(l, "levels-announce-needs-channel")));
        }
    };
    update(ctx, |s| s.announce = a, tr!(l, "levels-announce-done")).await
}

/// The level-up text ({user}, {mention}, {level}, {server}, {xp}, {rank}); "default" resets it.
#[poise::command(prefix_command, slash_command, guild_only, custom_data = Tier::Admin)]
pub async fn message(
    ctx: Context<'_>,
    #[description = "The text, or default"]
    #[rest]
    text: String,
) -> Result<(), Error> {
    let l = crate::i18n::locale_of(ctx);
    let text = text.trim().to_string();
    let text = if text.eq_ignore_ascii_case("default") || text.is_empty() {
        DEFAULT_TEMPLATE.to_string()
    } else {
        text
    };
    let done = tr!(l, "levels-message-done", text = text.as_str());
    update(ctx, |s| s.message = text, done).await
}

/// Attach the rank card image to level-up messages (on) or send text only (off).
#[poise::command(prefix_command, slash_command, guild_only, custom_data = Tier::Admin)]
pub async fn card(
    ctx: Context<'_>,
    #[description = "true: with the image"] enabled: bool,
) -> Result<(), Error> {
    let l = crate::i18n::locale_of(ctx);
    update(
        ctx,
        |s| s.card = enabled,
        tr!(l, "levels-card-done", state = on_off(l, enabled)),
    )
    .await
}

/// Give a role at a level (replaces that level's reward).
#[poise::command(prefix_command, slash_command, guild_only, custom_data = Tier::Admin)]
pub async fn reward(
    ctx: Context<'_>,
    #[description = "The level (1 to 500)"] level: u32,
    #[description = "The role (a mention or an id)"] role: String,
) -> Result<(), Error> {
    let l = crate::i18n::locale_of(ctx);
    let role = parse_role(l, &role)?;
    let done = tr!(
        l,
        "levels-reward-done",
        level = level,
        role = format!("<@&{role}>")
    );
    update(ctx, |s| s.set_reward(level, role), done).await
}

/// Remove the role reward of a level.
#[poise::command(prefix_command, slash_command, guild_only, custom_data = Tier::Admin)]
pub async fn unreward(
    ctx: Context<'_>,
    #[description = "The level"] level: u32,
) -> Result<(), Error> {
    let l = crate::i18n::locale_of(ctx);
    update(
        ctx,
        |s| s.rewards.retain(|r| r.level != level),
        tr!(l, "levels-unreward-done", level = level),
    )
    .await
}

/// Keep earlier reward roles (true) or replace them with the newest (false).
#[poise::command(prefix_command, slash_command, guild_only, custom_data = Tier::Admin)]
pub async fn stack(
    ctx: Context<'_>,
    #[description = "true: keep every reward role"] enabled: bool,
) -> Result<(), Error> {
    let l = crate::i18n::locale_of(ctx);
    update(
        ctx,
        |s| s.stack = enabled,
        tr!(l, "levels-stack-done", state = on_off(l, enabled)),
    )
    .await
}

/// Toggle a channel or role where chatting earns no XP.
#[poise::command(prefix_command, slash_command, guild_only, custom_data = Tier::Admin)]
pub async fn ignore(
    ctx: Context<'_>,
    #[description = "A channel to ignore or stop ignoring"] channel: Option<serenity::GuildChannel>,
    #[description = "A role to ignore or stop ignoring (a mention or an id)"] role: Option<String>,
) -> Result<(), Error> {
    let l = crate::i18n::locale_of(ctx);
    let role = role.map(|r| parse_role(l, &r)).transpose()?;
    if channel.is_none() && role.is_none() {
        return Err(super::refused(l, tr!(l, "levels-ignore-needs-target")));
    }
    let done = tr!(l, "levels-ignore-done");
    update(
        ctx,
        |s| {
            if let Some(c) = channel {
                toggle(&mut s.ignored_channels, c.id.core());
            }
            if let Some(r) = role {
                toggle(&mut s.ignored_roles, r);
            }
        },
        done,
    )
    .await
}

/// A role from `<@&id>` or a bare id. (serenity's `Role` argument needs the guild in its cache,
/// which the bot does not keep; see ARCHITECTURE.md "What the bot keeps about members".)
pub fn parse_role(l: Locale, s: &str) -> Result<chronix_core::ids::RoleId, Error> {
    let t = s.trim();
    let digits = t
        .strip_prefix("<@&")
        .and_then(|r| r.strip_suffix('>'))
        .unwrap_or(t);
    digits
        .parse::<u64>()
        .ok()
        .filter(|n| *n > 0)
        .map(chronix_core::ids::RoleId::new)
        .ok_or_else(|| super::refused(l, tr!(l, "levels-bad-role", role = t)))
}

fn toggle<T: PartialEq>(v: &mut Vec<T>, x: T) {
    if let Some(i) = v.iter().position(|y| *y == x) {
        v.remove(i);
    } else {
        v.push(x);
    }
}

/// An XP multiplier in percent for a role or a channel (100 removes it).
#[poise::command(prefix_command, slash_command, guild_only, custom_data = Tier::Admin)]
pub async fn multiplier(
    ctx: Context<'_>,
    #[description = "Percent (150 = +50 %, 100 removes it)"] percent: u32,
    #[description = "A role (a mention or an id)"] role: Option<String>,
    #[description = "A channel"] channel: Option<serenity::GuildChannel>,
) -> Result<(), Error> {
    let l = crate::i18n::locale_of(ctx);
    let role = role.map(|r| parse_role(l, &r)).transpose()?;
    if channel.is_none() && role.is_none() {
        return Err(super::refused(l, tr!(l, "levels-ignore-needs-target")));
    }
    let done = tr!(l, "levels-multiplier-done", pct = percent);
    update(
        ctx,
        |s| {
            if let Some(r) = role {
                s.role_multipliers.retain(|m| m.target != r);
                if percent != 100 {
                    s.role_multipliers.push(Multiplier {
                        target: r,
                        pct: percent,
                    });
                }
            }
            if let Some(c) = channel {
                let c = c.id.core();
                s.channel_multipliers.retain(|m| m.target != c);
                if percent != 100 {
                    s.channel_multipliers.push(Multiplier {
                        target: c,
                        pct: percent,
                    });
                }
            }
        },
        done,
    )
    .await
}

/// The XP multiplier of server boosters, in percent (100 = none).
#[poise::command(prefix_command, slash_command, guild_only, custom_data = Tier::Admin)]
pub async fn booster(
    ctx: Context<'_>,
    #[description = "Percent (150 = +50 %)"] percent: u32,
) -> Result<(), Error> {
    let l = crate::i18n::locale_of(ctx);
    update(
        ctx,
        |s| s.booster_pct = percent,
        tr!(l, "levels-multiplier-done", pct = percent),
    )
    .await
}

/// Which XP rank and levels show by default.
#[derive(Debug, Clone, Copy, poise::ChoiceParameter)]
pub enum ScopeChoice {
    /// This server's XP.
    Server,
    /// Global XP.
    Global,
}

/// Which XP rank and levels show by default: server or global.
#[poise::command(prefix_command, slash_command, guild_only, custom_data = Tier::Admin)]
pub async fn scope(
    ctx: Context<'_>,
    #[description = "server or global"] scope: ScopeChoice,
) -> Result<(), Error> {
    let l = crate::i18n::locale_of(ctx);
    let (v, name) = match scope {
        ScopeChoice::Server => (Scope::Server, tr!(l, "levels-scope-server")),
        ScopeChoice::Global => (Scope::Global, tr!(l, "levels-scope-global")),
    };
    update(
        ctx,
        |s| s.scope = v,
        tr!(l, "levels-scope-done", scope = name),
    )
    .await
}

/// The rank card's background colour (#rrggbb).
#[poise::command(prefix_command, slash_command, guild_only, custom_data = Tier::Admin)]
pub async fn color(
    ctx: Context<'_>,
    #[description = "A colour like #2f3136"] color: String,
) -> Result<(), Error> {
    let l = crate::i18n::locale_of(ctx);
    let c = color.trim().to_lowercase();
    let done = tr!(l, "levels-color-done", color = c.as_str());
    update(ctx, |s| s.card_color = c, done).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_parse_from_mentions_and_ids() {
        let l = Locale::EN;
        assert_eq!(
            parse_role(l, "<@&42>").unwrap(),
            chronix_core::ids::RoleId::new(42)
        );
        assert_eq!(
            parse_role(l, " 42 ").unwrap(),
            chronix_core::ids::RoleId::new(42)
        );
        assert!(parse_role(l, "@mods").is_err());
        assert!(parse_role(l, "<@&0>").is_err());
    }
}
