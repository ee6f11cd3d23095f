//! `battles`: turn-based PvP and PvE battles (issue 11, spec §VIII; switch `ENABLE_BATTLES`).
//!
//! * [`commands`]: `battle @user [wager]` (`fight`, `duel`; `/battle challenge`), `battle wild`,
//!   `battle boss`, `battle history`, `battle stats`, `battle top`, `battle replay <id>`; and
//!   [`commands::start_pve`], which `team battle` (feature `teams`) uses for a team's fight.
//! * [`replay`]: `battle replay <id> [full]`: the players of a battle replay it; a moderator of
//!   the server it was fought on replays any, and alone gets the full view (every turn, seed,
//!   wager, ledger rows, timeouts).
//! * [`panel`]: the battle's one message, edited in place: a challenge with Accept / Decline,
//!   then HP bars, active pets, the last turns of the log and the action buttons (Attack,
//!   Defend, Use Item, Switch Pet, Surrender); Use Item and Switch Pet answer privately with a
//!   select menu. A click by someone whose turn it is not is refused privately.
//!
//! The engine is `chronix_core::battles` (rules in `assets/tables/battles.yaml`); a battle is a
//! replay of its stored setup, seed and actions, so `battle replay` shows the same log. Every
//! change is one transaction of `chronix_storage::battles` (wager escrow at accept, rewards and
//! the final state together). Timers are scheduler jobs, so a restart resumes a battle with
//! its clock: [`CHALLENGE_JOB`] expires a challenge, [`WARN_JOB`] warns at half the turn time,
//! [`TURN_JOB`] skips a turn that timed out (after `BATTLE_MAX_MISSED_TURNS` in a row the
//! player forfeits). See `docs/battles.md`.

pub mod commands;
pub mod panel;
pub mod replay;

use std::sync::OnceLock;

use chronix_core::battles::{BattleError, BattleRules};
use chronix_storage::StorageError;
use chronix_storage::battles::BattleRefusal;

use crate::prelude::*;
use crate::registry::BoxFuture;
use crate::scheduler::JobKind;

/// `custom_id` prefix of the battle buttons and selects.
pub const PREFIX: &str = "chx:bt:";
/// The job that expires a challenge nobody answered.
pub const CHALLENGE_JOB: &str = "battles.challenge_expire";
/// The job that warns a player that their turn is running out.
pub const WARN_JOB: &str = "battles.turn_warn";
/// The job that skips a turn that timed out.
pub const TURN_JOB: &str = "battles.turn_timeout";

static RULES: OnceLock<BattleRules> = OnceLock::new();

/// The battle rules (`battles.yaml` of the tables directory, else the embedded copy).
pub fn rules() -> &'static BattleRules {
    RULES.get_or_init(|| {
        BattleRules::shipped().expect("the embedded battles.yaml is valid (chronix-core tests it)")
    })
}

fn load_rules(data: &Data) -> BoxFuture<'_, anyhow::Result<()>> {
    Box::pin(async move {
        let dir = crate::tables::tables_dir(data.config());
        let path = dir.map(|d| d.join(chronix_core::battles::FILE));
        let text = match &path {
            Some(p) if p.is_file() => std::fs::read_to_string(p)?,
            _ => chronix_core::battles::shipped_source().to_string(),
        };
        let parsed = BattleRules::from_yaml_str(&text).map_err(|problems| {
            let list: Vec<String> = problems.iter().map(|p| format!("  - {p}")).collect();
            anyhow::anyhow!("battles.yaml is invalid:\n{}", list.join("\n"))
        })?;
        let _ = RULES.set(parsed);
        Ok(())
    })
}

/// The battles feature.
pub fn feature() -> Feature {
    Feature::new("battles", commands::commands)
        .switch("battles")
        .component(PREFIX, panel::on_component)
        .job(JobKind::once(CHALLENGE_JOB, panel::challenge_job))
        .job(JobKind::once(WARN_JOB, panel::warn_job))
        .job(JobKind::once(TURN_JOB, panel::turn_job))
        .on_start(load_rules)
        .config_keys(&[
            "BATTLE_TURN_SECS",
            "BATTLE_MAX_MISSED_TURNS",
            "BATTLE_CHALLENGE_SECS",
            "BATTLE_MAX_PENDING_CHALLENGES",
            "BATTLE_RECHALLENGE_SECS",
        ])
}

/// The battles feature's refusals (a ❌ embed; nothing changed).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BattlesRefusal {
    /// A challenge to a bot.
    Bot,
    /// Not a wager amount.
    BadWager(String),
    /// Not a battle id.
    BadId(String),
    /// A battle that has not started (a challenge) has nothing to replay.
    NothingToReplay,
    /// A replay asked by someone who neither fought the battle nor moderates its server.
    NotYourReplay(chronix_storage::battles::BattleId),
    /// The full replay view asked by someone who does not moderate the battle's server.
    FullViewForModerators,
    /// Use Item without a potion.
    NoPotions,
    /// Switch Pet without another pet.
    NoOtherPet,
    /// Storage refused.
    Storage(chronix_storage::Refusal),
}

impl std::fmt::Display for BattlesRefusal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&Refusal::text(self, Locale::EN))
    }
}

fn rule_text(l: Locale, e: &BattleError) -> String {
    match e {
        BattleError::Over => tr!(l, "battles-over"),
        BattleError::NotYourTurn => tr!(l, "battles-not-your-turn"),
        BattleError::NoItem(item) => tr!(
            l,
            "battles-no-item",
            item = crate::tables::tables()
                .item(item)
                .map_or_else(|| item.clone(), |i| format!("{} {}", i.emoji, i.name))
        ),
        BattleError::BadPet => tr!(l, "battles-bad-pet"),
    }
}

impl Refusal for BattlesRefusal {
    fn text(&self, l: Locale) -> String {
        match self {
            BattlesRefusal::Bot => tr!(l, "battles-refuse-bot"),
            BattlesRefusal::BadWager(t) => {
                tr!(l, "battles-bad-wager", text = embeds::truncate(t, 40))
            }
            BattlesRefusal::BadId(t) => tr!(l, "battles-bad-id", text = embeds::truncate(t, 40)),
            BattlesRefusal::NothingToReplay => tr!(l, "battles-nothing-to-replay"),
            BattlesRefusal::NotYourReplay(id) => {
                tr!(l, "battles-replay-not-yours", id = id.get())
            }
            BattlesRefusal::FullViewForModerators => tr!(l, "battles-replay-full-mods-only"),
            BattlesRefusal::NoPotions => tr!(l, "battles-no-potions"),
            BattlesRefusal::NoOtherPet => tr!(l, "battles-no-other-pet"),
            BattlesRefusal::Storage(chronix_storage::Refusal::Battle(r)) => match r {
                BattleRefusal::NotFound(id) => tr!(l, "battles-not-found", id = id.get()),
                BattleRefusal::SelfChallenge => tr!(l, "battles-refuse-self"),
                BattleRefusal::Busy(u) => tr!(l, "battles-busy", user = format!("<@{u}>")),
                BattleRefusal::Over => tr!(l, "battles-over"),
                BattleRefusal::NotChallenged(u) => {
                    tr!(l, "battles-not-challenged", user = format!("<@{u}>"))
                }
                BattleRefusal::NotInBattle => tr!(l, "battles-not-in-battle"),
                BattleRefusal::NotYourTurn => tr!(l, "battles-not-your-turn"),
                BattleRefusal::Stale => tr!(l, "battles-stale"),
                BattleRefusal::Expired => tr!(l, "battles-expired"),
                BattleRefusal::TooManyChallenges { max, free_at } => tr!(
                    l,
                    "battles-too-many-challenges",
                    max = i64::from(*max),
                    when = format!("<t:{}:R>", free_at.timestamp())
                ),
                BattleRefusal::RechallengeTooSoon { user, at } => tr!(
                    l,
                    "battles-rechallenge-too-soon",
                    user = format!("<@{user}>"),
                    when = format!("<t:{}:R>", at.timestamp())
                ),
                BattleRefusal::Rule(e) => rule_text(l, e),
            },
            BattlesRefusal::Storage(r) => crate::features::economy::refusal_text(l, r),
        }
    }
}

/// A storage error as the command error: a refusal as a [`BattlesRefusal`], anything else as an
/// internal error.
pub fn storage_error(l: Locale, e: StorageError) -> Error {
    match e {
        StorageError::Refused(r) => crate::errors::refuse(l, BattlesRefusal::Storage(r)),
        e => anyhow::Error::new(e),
    }
}
