//! `eventboard`: server events with RSVP (spec §23; issue 14). Named `eventboard` in every
//! layer because the kernel's `events` module is the gateway event dispatcher; its switch is
//! `ENABLE_EVENTS` (`module disable events`).
//!
//! * [`commands`]: `event` (`events`) with `create`, `list`, `cancel` and `ics`. `create` and
//!   `cancel` are for managers (Manage Server, or the manager role set with
//!   `giveaway managers`); `list` and `ics` for everyone.
//! * [`panel`]: the event's message (title, start and end as Discord timestamps, repeat,
//!   capacity, counts) with Going / Maybe / Not going buttons. Going past the capacity puts
//!   the member on the waitlist; a going member who changes their answer frees a place and the
//!   first in line is promoted (told by DM). The panel is edited after each answer.
//! * Jobs (rows of `jobs`, so they survive restarts): [`REMIND_JOB`] before the start (a DM to
//!   each going member, or one message in the channel mentioning them), [`END_JOB`] at the end
//!   of an occurrence: the attendee bonus (`chronix_core::eventboard::AttendeeBonus`: server XP
//!   and Chrons through the ledger, once per member and occurrence), then a repeating event
//!   moves to its next occurrence (RSVPs start over, new jobs queued) and a one-off is
//!   finished.
//! * Discord's own scheduled event (an external event whose location is the panel's channel)
//!   is created alongside when the bot may (Manage Events); its failure only loses that.

pub mod commands;
pub mod panel;

use chronix_core::eventboard::EventError;
use chronix_core::ids::{GuildId, RoleId};
use chronix_storage::eventboard::EventRefusal;
use chronix_storage::{Refusal as StoreRefusal, StorageError};

use crate::kernel::ids::ToCore;
use crate::prelude::*;
use crate::scheduler::JobKind;

/// `custom_id` prefix of the RSVP buttons.
pub const PREFIX: &str = "chx:ev:";
/// The reminder job.
pub const REMIND_JOB: &str = "eventboard.remind";
/// The end-of-occurrence job.
pub const END_JOB: &str = "eventboard.end";

/// The events feature.
pub fn feature() -> Feature {
    Feature::new("eventboard", || vec![commands::event()])
        .switch("events")
        .component(PREFIX, panel::on_component)
        .job(JobKind::once(REMIND_JOB, panel::remind_job))
        .job(JobKind::once(END_JOB, panel::end_job))
}

/// Requires a manager: Manage Server (or Administrator), or the server's manager role (the
/// one `giveaway managers` sets, shared by giveaways and events).
pub async fn require_manager(ctx: Context<'_>, guild: GuildId, l: Locale) -> Result<(), Error> {
    let perms = crate::perms::author_permissions(ctx).await;
    if crate::perms::is_admin(perms) {
        return Ok(());
    }
    let roles: Vec<RoleId> = crate::perms::author_roles(ctx)
        .await
        .unwrap_or_default()
        .into_iter()
        .map(|r| r.core())
        .collect();
    let role = chronix_storage::giveaways::manager_role(ctx.data().storage(), guild).await?;
    if role.is_some_and(|r| roles.contains(&r)) {
        Ok(())
    } else {
        Err(refused(l, tr!(l, "eventboard-managers-only")))
    }
}

/// A refusal shown to the user.
pub fn refused(l: Locale, text: String) -> Error {
    UserError::Refused {
        title: tr!(l, "eventboard-refused-title"),
        text,
    }
    .into()
}

/// The text of an event refusal.
pub fn refusal(l: Locale, r: &EventRefusal) -> String {
    match r {
        EventRefusal::Invalid(e) => event_error(l, e),
        EventRefusal::NotFound => tr!(l, "eventboard-not-found"),
        EventRefusal::Closed => tr!(l, "eventboard-closed"),
    }
}

/// The text of invalid event options.
pub fn event_error(l: Locale, e: &EventError) -> String {
    match e {
        EventError::EmptyTitle => tr!(l, "eventboard-error-title"),
        EventError::TitleTooLong { max } => tr!(l, "eventboard-error-title-long", max = *max),
        EventError::DescriptionTooLong { max } => {
            tr!(l, "eventboard-error-description-long", max = *max)
        }
        EventError::InThePast => tr!(l, "eventboard-error-past"),
        EventError::TooFar => tr!(l, "eventboard-error-far"),
        EventError::Duration => tr!(l, "eventboard-error-duration"),
        EventError::Capacity { max } => tr!(l, "eventboard-error-capacity", max = *max),
        EventError::BadTime(t) => tr!(l, "eventboard-error-time", time = t.as_str()),
        EventError::BadOption(o) => tr!(l, "eventboard-error-option", option = o.as_str()),
    }
}

/// Turns a storage refusal of this feature into a [`UserError`]; other errors pass through.
pub fn user_error(l: Locale, e: StorageError) -> Error {
    match e {
        StorageError::Refused(StoreRefusal::Event(r)) => refused(l, refusal(l, &r)),
        other => other.into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_refusal_has_a_text() {
        let l = Locale::EN;
        for r in [
            EventRefusal::Invalid(EventError::EmptyTitle),
            EventRefusal::Invalid(EventError::TitleTooLong { max: 100 }),
            EventRefusal::Invalid(EventError::DescriptionTooLong { max: 1000 }),
            EventRefusal::Invalid(EventError::InThePast),
            EventRefusal::Invalid(EventError::TooFar),
            EventRefusal::Invalid(EventError::Duration),
            EventRefusal::Invalid(EventError::Capacity { max: 5 }),
            EventRefusal::Invalid(EventError::BadTime("x".into())),
            EventRefusal::Invalid(EventError::BadOption("x".into())),
            EventRefusal::NotFound,
            EventRefusal::Closed,
        ] {
            let t = refusal(l, &r);
            assert!(!t.is_empty() && !t.starts_with("eventboard-"), "{r:?}: {t}");
        }
    }
}
