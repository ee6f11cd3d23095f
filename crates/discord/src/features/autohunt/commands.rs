//! `autohunt` (`autoh`, `ah`): `enable` (`on`), `disable` (`off`), `status`, `upgrade <trait>`,
//! and the live embed.
//!
//! The live embed is the reply to `autohunt enable`; its channel and message id are stored with
//! the session, and the feature's tick ([`super::tick`]) edits it after each run (re-posting it
//! only when it was deleted).

use crate::kernel::ids::{ToCore, ToDiscord};
use chronix_core::autohunt::{
    self as rules, Trait, rolls_per_tick, tick_interval, upgrade_suggestion,
};
use chronix_core::render::{format_chrons, format_duration, format_number, loot_icons};
use chronix_core::tables::Tables;
use chronix_storage::autohunt::{self as store, ActivePet, INSUFFICIENT_FUNDS, Session};
use chronix_storage::{Missing, Refusal, StorageError};
use chrono::Utc;

use super::autohunt_rules;
use crate::prelude::*;
use crate::tables::tables;

/// A trait to upgrade.
#[derive(Debug, Clone, Copy, poise::ChoiceParameter)]
pub enum TraitChoice {
    /// More rolls per run.
    Efficiency,
    /// Shorter interval.
    Tempo,
    /// Lower cost.
    Thrift,
    /// More essence.
    Essence,
}

impl From<TraitChoice> for Trait {
    fn from(t: TraitChoice) -> Trait {
        match t {
            TraitChoice::Efficiency => Trait::Efficiency,
            TraitChoice::Tempo => Trait::Tempo,
            TraitChoice::Thrift => Trait::Thrift,
            TraitChoice::Essence => Trait::Essence,
        }
    }
}

/// Automatic hunting every few minutes, paid in Chrons, earning essence.
#[poise::command(
    prefix_command,
    slash_command,
    aliases("autoh", "ah"),
    subcommands("enable", "disable", "status", "upgrade"),
    custom_data = Tier::Everyone
)]
pub async fn autohunt(ctx: Context<'_>) -> Result<(), Error> {
    status_inner(ctx).await
}

/// Start autohunting; this message becomes the live status.
#[poise::command(prefix_command, slash_command, aliases("on", "start"), custom_data = Tier::Everyone)]
pub async fn enable(ctx: Context<'_>) -> Result<(), Error> {
    let data = ctx.data();
    let rules = autohunt_rules(data.config());
    let user = ctx.author().id.core();
    let channel = ctx.channel_id().core();
    let now = Utc::now();
    let guild = crate::kernel::caller::guild_of(ctx);
    let session = store::enable(data.storage(), user, Some(channel), guild, &rules, now).await?;
    let pets = store::active_pets(data.storage(), user).await?;
    let balance = chronix_storage::economy::balance(data.storage(), user).await?;
    let mut embed = live_embed(tables(), &rules, &session, &pets);
    if balance < session.cost {
        embed = embed.footer(format!(
            "⚠️ A run costs {} and you have {}: earn some Chrons first or autohunt stops.",
            format_chrons(session.cost),
            format_chrons(balance)
        ));
    }
    let handle = ctx.send(embeds::reply(embed)).await?;
    let msg = handle.message().await?;
    store::set_live_message(
        data.storage(),
        user,
        Some((msg.channel_id.core(), msg.id.core())),
        Utc::now(),
    )
    .await?;
    Ok(())
}

/// Stop autohunting.
#[poise::command(prefix_command, slash_command, aliases("off", "stop"), custom_data = Tier::Everyone)]
pub async fn disable(ctx: Context<'_>) -> Result<(), Error> {
    let data = ctx.data();
    let user = ctx.author().id.core();
    let Some(session) = store::disable(data.storage(), user, Utc::now()).await? else {
        return Err(UserError::msg(
            "You have no autohunt running. Start one with `autohunt enable`.",
        )
        .into());
    };
    let rules = autohunt_rules(data.config());
    let pets = store::active_pets(data.storage(), user).await?;
    // Refresh the live embed too (best effort).
    if let (Some(c), Some(m)) = (session.live_channel(), session.live_message()) {
        let e = live_embed(tables(), &rules, &session, &pets);
        let _ = c
            .discord()
            .edit_message(
                ctx.http(),
                m.discord(),
                serenity::EditMessage::new().embed(e.into()),
            )
            .await;
    }
    ctx.send(embeds::reply(
        Embed::gameplay("Autohunt stopped").description(format!(
            "⏹️ Autohunt is off. This cycle: {} runs, spent {}, earned {}.",
            format_number(session.cycle_runs),
            format_chrons(session.cycle_spent),
            format_chrons(session.cycle_earned)
        )),
    ))
    .await?;
    Ok(())
}

/// Your autohunt: status, last loot, essence and the next upgrade.
#[poise::command(prefix_command, slash_command, aliases("info"), custom_data = Tier::Everyone)]
pub async fn status(ctx: Context<'_>) -> Result<(), Error> {
    status_inner(ctx).await
}

async fn status_inner(ctx: Context<'_>) -> Result<(), Error> {
    let data = ctx.data();
    let user = ctx.author().id.core();
    let Some(session) = store::get(data.storage(), user).await? else {
        ctx.send(embeds::reply(Embed::gameplay("Autohunt").description(
            "🤖 Autohunt hunts for you every few minutes, for a few Chrons per run, and earns ✨ essence \
             to upgrade it. Start with `autohunt enable` (`ah on`).",
        )))
        .await?;
        return Ok(());
    };
    let rules = autohunt_rules(data.config());
    let pets = store::active_pets(data.storage(), user).await?;
    ctx.send(embeds::reply(live_embed(tables(), &rules, &session, &pets)))
        .await?;
    Ok(())
}

/// Spend essence on a trait: efficiency, tempo, thrift or essence.
#[poise::command(prefix_command, slash_command, aliases("up"), custom_data = Tier::Everyone)]
pub async fn upgrade(
    ctx: Context<'_>,
    #[description = "The trait to upgrade"]
    #[rename = "trait"]
    which: TraitChoice,
) -> Result<(), Error> {
    let data = ctx.data();
    let rules = autohunt_rules(data.config());
    let user = ctx.author().id.core();
    let t: Trait = which.into();
    let res = store::upgrade(data.storage(), user, t, &rules, Utc::now()).await;
    let (up, session) = match res {
        Ok(v) => v,
        Err(StorageError::Refused(Refusal::Autohunt(e))) => {
            return Err(UserError::msg(e.to_string()).into());
        }
        Err(StorageError::NotFound(Missing::AutohuntSession(_))) => {
            return Err(UserError::msg(
                "You have no autohunt yet. Start one with `autohunt enable`.",
            )
            .into());
        }
        Err(e) => return Err(e.into()),
    };
    let core = session.core();
    ctx.send(embeds::reply(
        Embed::gameplay("Autohunt upgraded")
            .description(format!(
                "{} **{}** is now level **{}** (−{} ✨).",
                t.emoji(),
                t.label(),
                up.new_level,
                format_number(up.cost)
            ))
            .field("✨ Essence left", format_number(session.essence), true)
            .field("💠 Cost per run", format_chrons(session.cost), true)
            .field(
                "⏱️ Interval",
                format_duration(tick_interval(&core, &rules)),
                true,
            )
            .field(
                "🎯 Rolls per run",
                rolls_per_tick(&core, &rules).to_string(),
                true,
            ),
    ))
    .await?;
    Ok(())
}

/// The live embed of a session (spec §VII): status, last loot as icons, essence, Chrons spent
/// and earned this cycle, active pets and stamina, and the upgrade suggestion.
pub fn live_embed(
    tables: &Tables,
    rules: &rules::AutohuntRules,
    s: &Session,
    pets: &[ActivePet],
) -> Embed {
    let core = s.core();
    let status = if s.enabled {
        match s.next_run_at {
            _ if s.paused_at.is_some() => tr!(Locale::EN, "autohunt-status-paused"),
            Some(t) if s.last_run.is_none() => {
                format!("🟢 Running · first run <t:{}:R>", t.timestamp())
            }
            Some(t) => format!("🟢 Running · next run <t:{}:R>", t.timestamp()),
            None => "🟢 Running".to_string(),
        }
    } else if s.disabled_reason.as_deref() == Some(INSUFFICIENT_FUNDS) {
        format!(
            "🔴 Stopped: a run costs {}, not enough Chrons",
            format_chrons(s.cost)
        )
    } else {
        "⏸️ Stopped".to_string()
    };
    let loot = s.last_loot();
    let last = if s.last_run.is_none() {
        "— (no run yet)".to_string()
    } else if loot.is_empty() {
        format!(
            "🍃 nothing · +{} XP · +{}",
            s.last_xp,
            format_chrons(s.last_earned)
        )
    } else {
        format!(
            "{} · +{} XP · +{}",
            loot_icons(tables, &loot),
            s.last_xp,
            format_chrons(s.last_earned)
        )
    };
    let pets_text = if pets.is_empty() {
        "none active".to_string()
    } else {
        pets.iter()
            .map(|p| {
                let emoji = tables
                    .creature(&p.pet_type)
                    .map_or("🐾", |c| c.emoji.as_str());
                format!("{emoji} {} · ⚡ {}", p.name, p.stamina)
            })
            .collect::<Vec<_>>()
            .join("\n")
    };
    let suggestion = match upgrade_suggestion(&core, rules) {
        Some(u) if u.affordable => format!(
            "{} **{}** for {} ✨ — ready: `autohunt upgrade {}`",
            u.trait_.emoji(),
            u.trait_.label(),
            format_number(u.cost),
            u.trait_.label().to_lowercase()
        ),
        Some(u) => format!(
            "{} **{}** for {} ✨ ({} ✨ to go)",
            u.trait_.emoji(),
            u.trait_.label(),
            format_number(u.cost),
            format_number(u.essence_missing)
        ),
        None => "Everything is maxed 🏆".to_string(),
    };
    Embed::gameplay("Autohunt")
        .description(format!("<@{}>'s autohunt", s.user_id))
        .field("Status", status, false)
        .field("🎒 Last loot", last, false)
        .field(
            "✨ Essence",
            format!(
                "{} (earned {} in total)",
                format_number(s.essence),
                format_number(s.total_essence)
            ),
            true,
        )
        .field(
            "💠 This cycle",
            format!(
                "spent {} · earned {} · {} runs",
                format_chrons(s.cycle_spent),
                format_chrons(s.cycle_earned),
                format_number(s.cycle_runs)
            ),
            true,
        )
        .field("🐾 Active pets", pets_text, true)
        .field("⬆️ Next upgrade", suggestion, false)
        .footer(format!(
            "Level {} · {} per run · every {} · {} roll(s) per run",
            s.level,
            format_chrons(rules::tick_cost(&core, rules)),
            format_duration(tick_interval(&core, rules)),
            rolls_per_tick(&core, rules)
        ))
}
