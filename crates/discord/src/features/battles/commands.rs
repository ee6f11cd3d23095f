//! The battle commands: `battle @user [wager]` (`fight`, `duel`), `battle wild|boss|history|
//! stats|top|replay`.

use std::collections::BTreeMap;

use chronix_core::battles::{
    self as engine, BattleKind, Combatant, PetFighter, Setup, WeaponFighter,
};
use chronix_core::economy::Chrons;
use chronix_core::ids::UserId;
use chronix_core::render::format_chrons;
use chronix_storage::battles::{self as store, NewChallenge};
use chronix_storage::{economy, inventory, pets, weapons};
use chrono::Utc;
use rand::{Rng, SeedableRng};

use super::{BattlesRefusal, panel, rules, storage_error};
use crate::kernel::ids::ToCore;
use crate::prelude::*;
use crate::tables::{pet_rules, tables};

/// Battles commands.
pub fn commands() -> Vec<Command> {
    vec![battle()]
}

/// The fighter of `user` now: their active team (up to 3 pets), equipped weapon with its gems,
/// and the battle potions they own.
pub async fn combatant(data: &Data, user: UserId, name: &str) -> Result<Combatant, Error> {
    let storage = data.storage();
    let t = tables();
    let pr = pet_rules();
    let team: Vec<PetFighter> = pets::team(storage, user)
        .await?
        .into_iter()
        .take(pr.team_size as usize)
        .filter_map(|p| {
            let c = t.creature(&p.pet_type)?;
            let state = p.state();
            let stats = chronix_core::pets::stats(pr, &c.stats, &state);
            Some(PetFighter {
                id: p.id,
                name: p.name.clone(),
                emoji: c.emoji.clone(),
                element: c.element.clone(),
                power: u32::try_from(chronix_core::pets::power(&stats)).unwrap_or(u32::MAX),
                hp: stats.hp,
                defense: stats.defense,
                affinity: state.affinity,
            })
        })
        .collect();
    let weapon = weapons::list(storage, user)
        .await?
        .into_iter()
        .find(|w| w.equipped)
        .map(|w| {
            let s = chronix_core::weapons::stats(t, &w.state);
            let wt = t.weapons().weapon_type(&w.state.weapon_type);
            WeaponFighter {
                id: w.id,
                name: wt.map_or_else(
                    || w.state.weapon_type.clone(),
                    |x| format!("{} {}", x.emoji, x.name),
                ),
                element: wt.map_or_else(String::new, |x| x.element.clone()),
                attack: s.attack,
                crit: s.crit,
                defense: s.defense,
                hp: s.hp,
                gems: s.used,
            }
        });
    let inv = inventory::list(storage, user).await?;
    let items: BTreeMap<String, (u32, u32)> = t
        .items()
        .iter()
        .filter_map(|i| {
            let heal = i.effect.as_ref()?.heal_pct;
            let n = inv.quantity(&i.id);
            (heal > 0 && n > 0)
                .then(|| (i.id.clone(), (u32::try_from(n).unwrap_or(u32::MAX), heal)))
        })
        .collect();
    Ok(Combatant::player(
        rules(),
        user,
        name.to_string(),
        team,
        weapon,
        items,
    ))
}

/// A fresh seed from the OS (the battle's own generator is seeded with it).
pub fn new_seed() -> u64 {
    rand::rngs::StdRng::from_os_rng().random::<u64>() >> 1
}

/// Challenge a player to a battle (`battle wild`, `battle boss` for PvE).
#[poise::command(
    prefix_command,
    slash_command,
    aliases("fight", "duel"),
    subcommands(
        "battle_challenge",
        "battle_wild",
        "battle_boss",
        "battle_history",
        "battle_stats",
        "battle_top",
        "battle_replay"
    ),
    custom_data = Tier::Everyone
)]
pub async fn battle(
    ctx: Context<'_>,
    #[description = "Who you challenge"] opponent: Option<serenity::User>,
    #[description = "Chrons each of you puts in (the winner takes both)"] wager: Option<String>,
) -> Result<(), Error> {
    match opponent {
        Some(u) => challenge(ctx, u, wager).await,
        None => {
            let e = Embed::gameplay(tr!(ctx, "battles-intro-title"))
                .description(tr!(ctx, "battles-intro"));
            ctx.send(embeds::reply(e)).await?;
            Ok(())
        }
    }
}

/// Challenge a player to a battle, with an optional wager.
#[poise::command(
    prefix_command,
    slash_command,
    rename = "challenge",
    custom_data = Tier::Everyone
)]
pub async fn battle_challenge(
    ctx: Context<'_>,
    #[description = "Who you challenge"] opponent: serenity::User,
    #[description = "Chrons each of you puts in (the winner takes both)"] wager: Option<String>,
) -> Result<(), Error> {
    challenge(ctx, opponent, wager).await
}

/// The name a player fights under.
pub fn display_name(u: &serenity::User) -> String {
    u.global_name.clone().unwrap_or_else(|| u.name.clone())
}

async fn challenge(
    ctx: Context<'_>,
    opponent: serenity::User,
    wager: Option<String>,
) -> Result<(), Error> {
    let l = ctx.lang();
    let me = ctx.author().id.core();
    if opponent.bot {
        return Err(crate::errors::refuse(l, BattlesRefusal::Bot));
    }
    let storage = ctx.data().storage();
    let wager = match wager.as_deref().map(str::trim).filter(|w| !w.is_empty()) {
        None => Chrons::new(0),
        Some(text) => {
            let wallet = economy::balance(storage, me).await?;
            chronix_core::economy::parse_amount(text, wallet)
                .ok()
                .filter(|a| *a > 0)
                .ok_or_else(|| {
                    crate::errors::refuse(l, BattlesRefusal::BadWager(text.to_string()))
                })?
        }
    };
    let them = opponent.id.core();
    let setup = Setup {
        kind: BattleKind::Pvp,
        sides: [
            vec![combatant(ctx.data(), me, &display_name(ctx.author())).await?],
            vec![combatant(ctx.data(), them, &display_name(&opponent)).await?],
        ],
    };
    let now = Utc::now();
    let secs = ctx.data().config().battles.battle_challenge_secs;
    let b = store::challenge(
        storage,
        &NewChallenge {
            guild: ctx.guild_id().map(|g| g.core()),
            channel: ctx.channel_id().core(),
            challenger: me,
            opponent: them,
            wager,
            expires_at: now + chrono::Duration::seconds(secs as i64),
            setup: Some(setup),
        },
        &challenge_limits(ctx.data()),
        now,
    )
    .await
    .map_err(|e| storage_error(l, e))?;
    let (embed, rows) = panel::view(l, &b, None, &[]);
    let handle = ctx.send(embeds::reply(embed).components(rows)).await?;
    let msg = handle.message().await?;
    store::set_message(storage, b.id, ctx.channel_id().core(), msg.id.core()).await?;
    if let Some(at) = b.expires_at {
        crate::scheduler::enqueue(
            ctx.data(),
            super::CHALLENGE_JOB,
            serde_json::json!({ "battle": b.id.get() }),
            at,
            Some(format!("{}:{}", super::CHALLENGE_JOB, b.id)),
        )
        .await?;
    }
    Ok(())
}

/// `BATTLE_MAX_PENDING_CHALLENGES` and `BATTLE_RECHALLENGE_SECS`.
fn challenge_limits(data: &Data) -> store::ChallengeLimits {
    let c = &data.config().battles;
    store::ChallengeLimits {
        max_pending: c.battle_max_pending_challenges,
        rechallenge: chrono::Duration::seconds(
            i64::try_from(c.battle_rechallenge_secs).unwrap_or(i64::MAX),
        ),
    }
}

async fn pve(ctx: Context<'_>, kind: BattleKind) -> Result<(), Error> {
    let me = ctx.author().id.core();
    let player = combatant(ctx.data(), me, &display_name(ctx.author())).await?;
    start_pve(ctx, kind, vec![player]).await
}

/// Starts a PvE battle of `fighters` (one player, or a team: `team battle`) against an enemy
/// of `kind` scaled to them, started by the caller (one of them), and posts its panel.
pub async fn start_pve(
    ctx: Context<'_>,
    kind: BattleKind,
    fighters: Vec<Combatant>,
) -> Result<(), Error> {
    let l = ctx.lang();
    let me = ctx.author().id.core();
    let seed = new_seed();
    // The enemy is drawn from the battle's own seed, so a replay meets the same one.
    let mut rng = rand::rngs::StdRng::seed_from_u64(seed ^ 0x5eed);
    let enemy = engine::pick_team_enemy(rules(), kind, &fighters, &mut rng);
    let setup = Setup {
        kind,
        sides: [fighters, vec![enemy]],
    };
    let now = Utc::now();
    let deadline =
        now + chrono::Duration::seconds(ctx.data().config().battles.battle_turn_secs as i64);
    let b = store::start_pve(
        ctx.data().storage(),
        ctx.guild_id().map(|g| g.core()),
        ctx.channel_id().core(),
        me,
        &setup,
        seed,
        deadline,
        now,
    )
    .await
    .map_err(|e| storage_error(l, e))?;
    let state = b.replay(rules());
    let (embed, rows) = panel::view(l, &b, state.as_ref(), &[]);
    let handle = ctx.send(embeds::reply(embed).components(rows)).await?;
    let msg = handle.message().await?;
    store::set_message(
        ctx.data().storage(),
        b.id,
        ctx.channel_id().core(),
        msg.id.core(),
    )
    .await?;
    panel::arm_timers(ctx.data(), &b).await?;
    Ok(())
}

/// Fight a wild enemy scaled to you.
#[poise::command(prefix_command, slash_command, rename = "wild", custom_data = Tier::Everyone)]
pub async fn battle_wild(ctx: Context<'_>) -> Result<(), Error> {
    pve(ctx, BattleKind::Wild).await
}

/// Fight a boss: stronger than you, better rewards.
#[poise::command(prefix_command, slash_command, rename = "boss", custom_data = Tier::Everyone)]
pub async fn battle_boss(ctx: Context<'_>) -> Result<(), Error> {
    pve(ctx, BattleKind::Boss).await
}

/// Your last battles.
#[poise::command(prefix_command, slash_command, rename = "history", custom_data = Tier::Everyone)]
pub async fn battle_history(
    ctx: Context<'_>,
    #[description = "Whose battles (you by default)"] user: Option<serenity::User>,
) -> Result<(), Error> {
    let l = ctx.lang();
    let who = user.as_ref().unwrap_or(ctx.author());
    let id = who.id.core();
    let list = store::history(ctx.data().storage(), id, 10).await?;
    let lines: Vec<String> = list
        .iter()
        .map(|b| {
            let result = match b.winner {
                // A team's PvE win is every member's.
                Some(w) if w == id || b.kind != BattleKind::Pvp => tr!(l, "battles-result-won"),
                None if b.kind == BattleKind::Pvp => tr!(l, "battles-result-draw"),
                _ => tr!(l, "battles-result-lost"),
            };
            let other = if b.kind == BattleKind::Pvp {
                let o = if b.challenger == id {
                    b.opponent.unwrap_or(b.challenger)
                } else {
                    b.challenger
                };
                format!("<@{o}>")
            } else {
                b.setup
                    .as_ref()
                    .and_then(|s| s.sides[1].first())
                    .map(|e| format!("{} {}", e.emoji, e.name))
                    .unwrap_or_default()
            };
            tr!(
                l,
                "battles-history-line",
                id = b.id.get(),
                kind = panel::kind_name(l, b.kind),
                other = other,
                result = result,
                when = format!("<t:{}:R>", b.updated_at.timestamp())
            )
        })
        .collect();
    let e = Embed::gameplay(tr!(l, "battles-history-title", user = display_name(who))).description(
        if lines.is_empty() {
            tr!(l, "battles-history-empty")
        } else {
            lines.join("\n")
        },
    );
    ctx.send(embeds::reply(e)).await?;
    Ok(())
}

/// Your battle record: wins, losses, draws.
#[poise::command(prefix_command, slash_command, rename = "stats", custom_data = Tier::Everyone)]
pub async fn battle_stats(
    ctx: Context<'_>,
    #[description = "Whose record (you by default)"] user: Option<serenity::User>,
) -> Result<(), Error> {
    let l = ctx.lang();
    let who = user.as_ref().unwrap_or(ctx.author());
    let r = store::record(ctx.data().storage(), who.id.core()).await?;
    let total = r.wins + r.losses + r.draws;
    let rate = if total > 0 { r.wins * 100 / total } else { 0 };
    let e = Embed::gameplay(tr!(l, "battles-stats-title", user = display_name(who)))
        .field(tr!(l, "battles-field-wins"), r.wins.to_string(), true)
        .field(tr!(l, "battles-field-losses"), r.losses.to_string(), true)
        .field(tr!(l, "battles-field-draws"), r.draws.to_string(), true)
        .field(
            tr!(l, "battles-field-pvp-wins"),
            r.pvp_wins.to_string(),
            true,
        )
        .field(tr!(l, "battles-field-win-rate"), format!("{rate} %"), true);
    ctx.send(embeds::reply(e)).await?;
    Ok(())
}

/// The battle leaderboard (most wins).
#[poise::command(prefix_command, slash_command, rename = "top", custom_data = Tier::Everyone)]
pub async fn battle_top(ctx: Context<'_>) -> Result<(), Error> {
    let l = ctx.lang();
    let top = store::top(ctx.data().storage(), 10).await?;
    let lines: Vec<String> = top
        .iter()
        .enumerate()
        .map(|(i, (u, n))| {
            tr!(
                l,
                "battles-top-line",
                rank = (i + 1) as i64,
                user = format!("<@{u}>"),
                wins = *n
            )
        })
        .collect();
    let e = Embed::gameplay(tr!(l, "battles-top-title")).description(if lines.is_empty() {
        tr!(l, "battles-top-empty")
    } else {
        lines.join("\n")
    });
    ctx.send(embeds::reply(e)).await?;
    Ok(())
}

/// Replay a battle from its seed and actions: the same log, turn by turn.
#[poise::command(prefix_command, slash_command, rename = "replay", custom_data = Tier::Everyone)]
pub async fn battle_replay(
    ctx: Context<'_>,
    #[description = "The battle's id (see battle history)"] id: String,
    #[description = "full: everything the log keeps (the server's moderators)"] view: Option<
        super::replay::View,
    >,
) -> Result<(), Error> {
    super::replay::run(ctx, &id, view).await
}

/// The wager as shown (`—` for none).
pub fn wager_text(w: Chrons) -> String {
    if w > 0 {
        format_chrons(w)
    } else {
        "—".to_string()
    }
}
