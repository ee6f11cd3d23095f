//! `levels`: chat XP per server and global, levels on a configurable curve, level-up messages,
//! role rewards, rank cards and the XP leaderboard (issue 15, spec §13). Switch `ENABLE_LEVELS`.
//!
//! * [`chat`]: the `MessageCreate` listener (cooldown in memory, core's anti-spam rules, XP
//!   buffered and written in batches by a tick and at shutdown), level-up detection, reward
//!   roles, and [`chat::award`], the API other features call to award XP.
//! * [`announce`]: the level-up message (off / here / a channel / DM; text with placeholders,
//!   optionally with the rank card).
//! * [`card`]: the rank card PNG (`chronix-render`).
//! * [`commands`]: `rank [@user]`, `levels [server|global]` (paged), `xp set|add|remove|reset`
//!   (admin, audited; reset asks to confirm).
//! * [`config`]: `levelconfig …` (admin): XP rate, curve, announcements, rewards, multipliers,
//!   ignored channels and roles, scope, card colour.
//!
//! Slash: `/rank`, `/level levels`, `/level xp …`, `/level levelconfig …`.

pub mod announce;
pub mod card;
pub mod chat;
pub mod commands;
pub mod config;

use std::sync::Arc;

use chronix_core::levels::SettingsError;
use chronix_storage::levels::LevelsRefusal;
use chronix_storage::{Refusal as StoreRefusal, StorageError};

use crate::events::EventKind;
use crate::prelude::*;

/// The levels feature.
pub fn feature() -> Feature {
    Feature::new("levels", commands)
        .slash_group(
            "level",
            "XP and levels: rank cards, leaderboard, rewards",
            &["rank"],
        )
        .on(&[EventKind::MessageCreate], chat::on_message)
        .tick(Arc::new(chat::FlushTick))
        .on_shutdown(chat::on_shutdown)
        .pages(commands::PAGES, commands::draw_levels)
}

/// The feature's commands.
pub fn commands() -> Vec<Command> {
    vec![
        commands::rank(),
        commands::levels(),
        commands::xp(),
        config::levelconfig(),
    ]
}

/// A refusal shown to the user.
pub fn refused(l: Locale, text: String) -> Error {
    UserError::Refused {
        title: tr!(l, "levels-refused-title"),
        text,
    }
    .into()
}

/// The text of a settings rule that was broken.
pub fn settings_error(l: Locale, e: &SettingsError) -> String {
    match e {
        SettingsError::XpRange { min, max } => {
            tr!(l, "levels-bad-xp-range", min = *min, max = *max)
        }
        SettingsError::Cooldown => tr!(l, "levels-bad-cooldown"),
        SettingsError::Curve => tr!(l, "levels-bad-curve"),
        SettingsError::RewardLevel(n) => tr!(l, "levels-bad-reward-level", level = *n),
        SettingsError::DuplicateReward(n) => tr!(l, "levels-bad-duplicate-reward", level = *n),
        SettingsError::TooMany(n) => tr!(l, "levels-bad-too-many", max = *n),
        SettingsError::TemplateTooLong(n) => tr!(l, "levels-bad-template", max = *n),
        SettingsError::Multiplier(n) => tr!(l, "levels-bad-multiplier", pct = *n),
        SettingsError::Color => tr!(l, "levels-bad-color"),
    }
}

/// Turns a storage refusal of this feature into a [`UserError`]; other errors pass through.
pub fn user_error(l: Locale, e: StorageError) -> Error {
    match e {
        StorageError::Refused(StoreRefusal::Levels(LevelsRefusal::Invalid(s))) => {
            refused(l, settings_error(l, &s))
        }
        StorageError::Refused(StoreRefusal::InvalidAmount(_)) => {
            refused(l, tr!(l, "levels-xp-zero"))
        }
        other => other.into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_settings_error_has_a_text() {
        let l = Locale::EN;
        for e in [
            SettingsError::XpRange { min: 5, max: 1 },
            SettingsError::Cooldown,
            SettingsError::Curve,
            SettingsError::RewardLevel(501),
            SettingsError::DuplicateReward(5),
            SettingsError::TooMany(50),
            SettingsError::TemplateTooLong(500),
            SettingsError::Multiplier(0),
            SettingsError::Color,
        ] {
            let t = settings_error(l, &e);
            assert!(!t.is_empty() && !t.starts_with("levels-"), "{e:?}: {t}");
        }
        assert_eq!(
            settings_error(l, &SettingsError::RewardLevel(501)),
            "A reward level must be between 1 and the highest level (501 is not)."
        );
    }
}
