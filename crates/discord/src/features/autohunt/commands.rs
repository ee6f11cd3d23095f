//! `autohunt` (`autoh`, `ah`): `enable` (`on`), `disable` (`off`), `status`, `upgrade <trait>`,
//! and the live embed.
//!
//! The live embed is the reply to `autohunt enable`; its channel and message id are stored with
//! the session, and the feature's tick ([`super::tick`]) edits it after each run (re-posting it
//! only when it was deleted).
//!
//! Texts are Fluent messages (`locales/*/autohunt.ftl`); core's English `Trait::label` and
//! `AutohuntError` texts are rendered here ([`trait_label`], [`refusal`]). Replies speak the
//! invoker's language; the live panel (the reply to `enable`, and every later edit) the server's.

use crate::kernel::ids::{ToCore, ToDiscord};
use chronix_core::autohunt::{
    self as rules, AutohuntError, Trait, rolls_per_tick, tick_interval, upgrade_suggestion,
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
    let Caller {
        user,
        guild,
        channel,
        now,
        ..
    } = Caller::of(ctx).await;
    let session = store::enable(data.storage(), user, Some(channel), guild, &rules, now).await?;
    let pets = store::active_pets(data.storage(), user).await?;
    let balance = chronix_storage::economy::balance(data.storage(), user).await?;
    // The reply is the live panel, edited later by the tick for everyone in the channel: it
    // speaks the server's language (as the tick renders it), not the invoker's client language,
    // so it does not switch language on its first edit.
    let l = crate::kernel::i18n::guild_locale(data, guild.map(|g| g.get())).await;
    let mut embed = live_embed(l, tables(), &rules, &session, &pets);
    if balance < session.cost {
        embed = embed.footer(tr!(
            l,
            "autohunt-low-funds",
            cost = format_chrons(session.cost),
            balance = format_chrons(balance)
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
    let Caller { user, now, .. } = Caller::of(ctx).await;
    let Some(session) = store::disable(data.storage(), user, now).await? else {
        return Err(UserError::msg(tr!(ctx, "autohunt-not-running")).into());
    };
    let rules = autohunt_rules(data.config());
    let pets = store::active_pets(data.storage(), user).await?;
    let l = ctx.lang();
    // Refresh the live embed too (best effort), in the language of the server it is on (as the
    // tick renders it).
    if let (Some(c), Some(m)) = (session.live_channel(), session.live_message()) {
        let panel =
            crate::kernel::i18n::guild_locale(data, session.live_guild().map(|g| g.get())).await;
        let e = live_embed(panel, tables(), &rules, &session, &pets);
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
        Embed::gameplay(tr!(l, "autohunt-stopped-title")).description(tr!(
            l,
            "autohunt-stopped",
            runs = format_number(session.cycle_runs),
            spent = format_chrons(session.cycle_spent),
            earned = format_chrons(session.cycle_earned)
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
        ctx.send(embeds::reply(
            Embed::gameplay(tr!(ctx, "autohunt-title")).description(tr!(ctx, "autohunt-intro")),
        ))
        .await?;
        return Ok(());
    };
    let rules = autohunt_rules(data.config());
    let pets = store::active_pets(data.storage(), user).await?;
    ctx.send(embeds::reply(live_embed(
        ctx.lang(),
        tables(),
        &rules,
        &session,
        &pets,
    )))
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
    let Caller { user, now, .. } = Caller::of(ctx).await;
    let t: Trait = which.into();
    let res = store::upgrade(data.storage(), user, t, &rules, now).await;
    let l = ctx.lang();
    let (up, session) = match res {
        Ok(v) => v,
        Err(StorageError::Refused(Refusal::Autohunt(e))) => {
            return Err(UserError::msg(refusal(l, &e)).into());
        }
        Err(StorageError::NotFound(Missing::AutohuntSession(_))) => {
            return Err(UserError::msg(tr!(l, "autohunt-no-session")).into());
        }
        Err(e) => return Err(e.into()),
    };
    let core = session.core();
    ctx.send(embeds::reply(
        Embed::gameplay(tr!(l, "autohunt-upgraded-title"))
            .description(tr!(
                l,
                "autohunt-upgraded",
                emoji = t.emoji(),
                upgrade = trait_label(l, t),
                level = up.new_level.to_string(),
                cost = format_number(up.cost)
            ))
            .field(
                tr!(l, "autohunt-field-essence-left"),
                format_number(session.essence),
                true,
            )
            .field(
                tr!(l, "autohunt-field-cost"),
                format_chrons(session.cost),
                true,
            )
            .field(
                tr!(l, "autohunt-field-interval"),
                format_duration(tick_interval(&core, &rules)),
                true,
            )
            .field(
                tr!(l, "autohunt-field-rolls"),
                rolls_per_tick(&core, &rules).to_string(),
                true,
            ),
    ))
    .await?;
    Ok(())
}

/// A trait's name in `l` (core's [`Trait::label`] is English, for logs and command choices).
pub fn trait_label(l: Locale, t: Trait) -> String {
    match t {
        Trait::Efficiency => tr!(l, "autohunt-trait-efficiency"),
        Trait::Tempo => tr!(l, "autohunt-trait-tempo"),
        Trait::Thrift => tr!(l, "autohunt-trait-thrift"),
        Trait::Essence => tr!(l, "autohunt-trait-essence"),
    }
}

/// An upgrade refusal from core, in `l` (core's `Display` stays for logs).
pub fn refusal(l: Locale, e: &AutohuntError) -> String {
    match e {
        AutohuntError::NotEnoughEssence { needed, have } => tr!(
            l,
            "autohunt-error-essence",
            needed = needed.to_string(),
            have = have.to_string()
        ),
        AutohuntError::MaxLevel { trait_, max } => tr!(
            l,
            "autohunt-error-max-level",
            upgrade = trait_label(l, *trait_),
            max = max.to_string()
        ),
        AutohuntError::NoEffect {
            trait_: trait_ @ Trait::Tempo,
            ..
        } => tr!(
            l,
            "autohunt-error-no-effect-tempo",
            upgrade = trait_label(l, *trait_)
        ),
        AutohuntError::NoEffect { trait_, .. } => tr!(
            l,
            "autohunt-error-no-effect-cost",
            upgrade = trait_label(l, *trait_)
        ),
        AutohuntError::InsufficientChrons { cost, balance } => tr!(
            l,
            "autohunt-error-chrons",
            cost = cost.to_string(),
            balance = balance.to_string()
        ),
    }
}

/// The live embed of a session (spec §VII), in `l`: status, last loot as icons, essence,
/// Chrons spent and earned this cycle, active pets and stamina, and the upgrade suggestion.
pub fn live_embed(
    l: Locale,
    tables: &Tables,
    rules: &rules::AutohuntRules,
    s: &Session,
    pets: &[ActivePet],
) -> Embed {
    let core = s.core();
    let status = if s.enabled {
        match s.next_run_at {
            _ if s.paused_at.is_some() => tr!(l, "autohunt-status-paused"),
            Some(t) if s.last_run.is_none() => {
                tr!(l, "autohunt-status-first", at = t.timestamp().to_string())
            }
            Some(t) => tr!(l, "autohunt-status-next", at = t.timestamp().to_string()),
            None => tr!(l, "autohunt-status-running"),
        }
    } else if s.disabled_reason.as_deref() == Some(INSUFFICIENT_FUNDS) {
        tr!(l, "autohunt-status-broke", cost = format_chrons(s.cost))
    } else {
        tr!(l, "autohunt-status-stopped")
    };
    let loot = s.last_loot();
    let (xp, earned) = (s.last_xp.to_string(), format_chrons(s.last_earned));
    let last = if s.last_run.is_none() {
        tr!(l, "autohunt-last-none")
    } else if loot.is_empty() {
        tr!(l, "autohunt-last-nothing", xp = xp, earned = earned)
    } else {
        tr!(
            l,
            "autohunt-last",
            icons = loot_icons(tables, &loot),
            xp = xp,
            earned = earned
        )
    };
    let pets_text = if pets.is_empty() {
        tr!(l, "autohunt-pets-none")
    } else {
        pets.iter()
            .map(|p| {
                let emoji = tables
                    .creature(&p.pet_type)
                    .map_or("🐾", |c| c.emoji.as_str());
                tr!(
                    l,
                    "autohunt-pet",
                    emoji = emoji,
                    name = p.name.as_str(),
                    stamina = p.stamina.to_string()
                )
            })
            .collect::<Vec<_>>()
            .join("\n")
    };
    let suggestion = match upgrade_suggestion(&core, rules) {
        Some(u) if u.affordable => tr!(
            l,
            "autohunt-next-ready",
            emoji = u.trait_.emoji(),
            upgrade = trait_label(l, u.trait_),
            cost = format_number(u.cost),
            command = u.trait_.label().to_lowercase()
        ),
        Some(u) => tr!(
            l,
            "autohunt-next-missing",
            emoji = u.trait_.emoji(),
            upgrade = trait_label(l, u.trait_),
            cost = format_number(u.cost),
            missing = format_number(u.essence_missing)
        ),
        None => tr!(l, "autohunt-next-maxed"),
    };
    Embed::gameplay(tr!(l, "autohunt-title"))
        .description(tr!(l, "autohunt-owner", user = s.user_id.to_string()))
        .field(tr!(l, "autohunt-field-status"), status, false)
        .field(tr!(l, "autohunt-field-last"), last, false)
        .field(
            tr!(l, "autohunt-field-essence"),
            tr!(
                l,
                "autohunt-essence",
                essence = format_number(s.essence),
                total = format_number(s.total_essence)
            ),
            true,
        )
        .field(
            tr!(l, "autohunt-field-cycle"),
            tr!(
                l,
                "autohunt-cycle",
                spent = format_chrons(s.cycle_spent),
                earned = format_chrons(s.cycle_earned),
                runs = format_number(s.cycle_runs)
            ),
            true,
        )
        .field(tr!(l, "autohunt-field-pets"), pets_text, true)
        .field(tr!(l, "autohunt-field-next"), suggestion, false)
        .footer(tr!(
            l,
            "autohunt-footer",
            level = s.level.to_string(),
            cost = format_chrons(rules::tick_cost(&core, rules)),
            interval = format_duration(tick_interval(&core, rules)),
            rolls = rolls_per_tick(&core, rules).to_string()
        ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use chronix_core::economy::Chrons;

    /// English refusals read exactly as core's `Display` (which stays for logs); French differs.
    #[test]
    fn refusals_are_rendered_in_the_locale_and_english_matches_core() {
        let fr = Locale::from_code("fr").unwrap();
        let all = [
            AutohuntError::NotEnoughEssence {
                needed: 1200,
                have: 3,
            },
            AutohuntError::MaxLevel {
                trait_: Trait::Thrift,
                max: 8,
            },
            AutohuntError::NoEffect {
                trait_: Trait::Tempo,
                reason: "runs are already as frequent as they can be",
            },
            AutohuntError::NoEffect {
                trait_: Trait::Thrift,
                reason: "a run already costs as little as it can",
            },
            AutohuntError::InsufficientChrons {
                cost: Chrons::new(42),
                balance: Chrons::new(10),
            },
        ];
        for e in &all {
            assert_eq!(refusal(Locale::EN, e), e.to_string());
            assert_ne!(refusal(fr, e), e.to_string());
        }
        assert_eq!(
            refusal(fr, &all[0]),
            "pas assez d'essence : il faut 1200 ✨, vous en avez 3 ✨"
        );
        assert_eq!(
            refusal(fr, &all[1]),
            "Économie est déjà à son niveau maximum (8)"
        );
        for t in Trait::ALL {
            assert_eq!(trait_label(Locale::EN, t), t.label());
        }
    }

    /// The `trait` option of `/autohunt upgrade` and its choices carry French localisations;
    /// English keeps the code's names (prefix commands parse them).
    #[test]
    fn the_upgrade_option_and_its_choices_are_localised() {
        let mut cmd = autohunt();
        cmd.qualified_name = "autohunt".into();
        for sub in &mut cmd.subcommands {
            sub.qualified_name = format!("autohunt {}", sub.name).into();
        }
        crate::kernel::i18n::localize_command(&mut cmd);
        let up = cmd
            .subcommands
            .iter()
            .find(|c| c.name == "upgrade")
            .unwrap();
        assert_eq!(
            up.name_localizations.to_vec(),
            [("fr".into(), "améliorer".into())]
        );
        let p = &up.parameters[0];
        assert_eq!(p.name, "trait");
        assert_eq!(p.description.as_deref(), Some("The trait to upgrade"));
        assert_eq!(
            p.description_localizations.to_vec(),
            [("fr".into(), "Le trait à améliorer".into())]
        );
        let choices: Vec<_> = p
            .choices
            .iter()
            .map(|c| (c.name.to_string(), c.localizations.to_vec()))
            .collect();
        let fr = |s: &str| {
            vec![(
                std::borrow::Cow::from("fr"),
                std::borrow::Cow::from(s.to_string()),
            )]
        };
        assert_eq!(
            choices,
            [
                ("Efficiency".to_string(), fr("Efficacité")),
                ("Tempo".to_string(), fr("Tempo")),
                ("Thrift".to_string(), fr("Économie")),
                ("Essence".to_string(), fr("Essence")),
            ]
        );
    }
}
