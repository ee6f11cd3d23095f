//! Notes of the bot's own ([`crate::events::Note`]): gameplay moments go to gameplay-logs as an
//! entry like any other; internal errors are stored in the `logs` table only, because the
//! kernel has already posted their report to the error-log channel.

use chronix_core::logging::LogCategory;
use chrono::Utc;
use fluent_templates::fluent_bundle::FluentValue;

use super::messages::ids_footer;
use super::pipeline::{Entry, LogEmbed, colour};
use super::state::LogState;
use super::submit;
use crate::events::{Note, NoteTopic};
use crate::kernel::ids::ToCore;
use crate::prelude::*;

/// Files one note.
pub async fn note(data: &Data, state: &LogState, n: &Note) -> Result<(), Error> {
    if n.topic == NoteTopic::Gameplay
        && n.amount
            .is_some_and(|a| a.get().unsigned_abs() < data.config().logging.gameplay_min_chrons)
    {
        return Ok(());
    }
    let gid = n.guild.core();
    let l = state.config(data, gid).await?.locale;
    let args: Vec<(&'static str, FluentValue<'_>)> = n
        .args
        .iter()
        .map(|(k, v)| (*k, FluentValue::from(v.as_str())))
        .collect();
    let text = l.tr_args(n.text, &args);
    let user = n.user.map(|u| u.core());
    let channel = n.channel.map(|c| c.core());
    let (category, emoji, title, colour) = match n.topic {
        NoteTopic::Gameplay => (
            LogCategory::Gameplay,
            "🎮",
            tr!(l, "logging-title-gameplay"),
            colour::INFO,
        ),
        NoteTopic::Error => (
            LogCategory::Error,
            "⚠️",
            tr!(l, "logging-title-error"),
            colour::DELETE,
        ),
    };
    let embed = LogEmbed::new(emoji, title, colour, Utc::now())
        .description(text.clone())
        .footer(ids_footer(user, channel, None));
    // Who it is about is the row's actor (and subject) column, not repeated in the payload.
    let payload = serde_json::json!({ "text": text, "data": n.payload });
    let mut entry = Entry::new(gid, category, n.kind, true, embed)
        .actor(user)
        .payload(payload);
    if let Some(c) = channel {
        entry = entry.channel(c);
    }
    if let Some(u) = user {
        entry = entry.subject(u.get());
    }
    if n.topic == NoteTopic::Error {
        entry = entry.stored_only();
    }
    submit(data, state, entry).await
}
