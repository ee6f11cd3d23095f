//! `announcements`: the announcement suite (spec §XI, feature list §14, §XVII; issue 14).
//!
//! * [`setup`]: `announce setup` (bare `announce`, alias `ann`), the wizard (kernel
//!   [`crate::ui::wizard`]): channels (and a network to broadcast to) → template → title and
//!   text → thumbnail and image → link buttons → ping roles → schedule (shown back in words
//!   with the next 3 times) → preview → confirm. `announce edit <id>` opens it on a stored
//!   announcement. The record is `chronix_core::announcements::Announcement`, checked by its
//!   one validation (`Announcement::validate`) in the wizard and again by storage.
//! * [`post`]: the [`chronix_storage::announcements::POST_JOB`] job (one per occurrence,
//!   queued by storage in the transaction that schedules it; `claim_due` takes an occurrence
//!   exactly once and queues the next) and the message itself: a themed embed, link buttons,
//!   and pings only as chosen (`allowed_mentions` set explicitly on every post).
//! * [`commands`]: `announce list`, `edit`, `cancel`, `send now`, `timezone`.
//! * [`network`]: `announce network create/join/approve/leave/list`: cross-server
//!   broadcasting to servers whose admins opted in and whose link the owner approved.
//!
//! Everything is Admin (Administrator or Manage Server); admin actions are audited.

pub mod commands;
pub mod network;
pub mod post;
pub mod setup;

use chronix_core::announcements::{AnnounceError, ScheduleError};
use chronix_storage::announcements::{AnnounceRefusal, Status};
use chronix_storage::{Refusal as StoreRefusal, StorageError};
use chrono_tz::Tz;

use crate::prelude::*;
use crate::scheduler::JobKind;

/// The announcements feature.
pub fn feature() -> Feature {
    Feature::new("announcements", || vec![commands::announce()])
        .wizard(setup::wizard())
        .job(JobKind::once(
            chronix_storage::announcements::POST_JOB,
            post::post_job,
        ))
}

/// A server's time zone (UTC when unset or unknown).
pub async fn timezone(data: &Data, guild: chronix_core::ids::GuildId) -> Result<Tz, Error> {
    let name = chronix_storage::guild_settings::timezone(data.storage(), guild).await?;
    Ok(name
        .and_then(|n| chronix_core::announcements::parse_timezone(&n))
        .unwrap_or(Tz::UTC))
}

/// The text of a schedule problem.
pub fn schedule_error(l: Locale, e: &ScheduleError) -> String {
    match e {
        ScheduleError::NotUnderstood => tr!(l, "announce-schedule-not-understood"),
        ScheduleError::BadTime => tr!(l, "announce-schedule-bad-time"),
        ScheduleError::BadDay => tr!(l, "announce-schedule-bad-day"),
        ScheduleError::BadDate => tr!(l, "announce-schedule-bad-date"),
        ScheduleError::InThePast => tr!(l, "announce-schedule-past"),
        ScheduleError::TooFar { max_days } => {
            tr!(l, "announce-schedule-too-far", days = *max_days)
        }
        ScheduleError::BadCron(m) => tr!(l, "announce-schedule-bad-cron", reason = m.as_str()),
        ScheduleError::NeverRuns => tr!(l, "announce-schedule-never"),
        ScheduleError::BadDuration => tr!(l, "announce-schedule-bad-duration"),
    }
}

/// The text of a record problem.
pub fn record_error(l: Locale, e: &AnnounceError) -> String {
    match e {
        AnnounceError::NoChannel => tr!(l, "announce-invalid-no-channel"),
        AnnounceError::TooManyChannels { max } => {
            tr!(l, "announce-invalid-channels", max = *max)
        }
        AnnounceError::EmptyTitle => tr!(l, "announce-invalid-empty-title"),
        AnnounceError::TitleTooLong { max } => tr!(l, "announce-invalid-title-long", max = *max),
        AnnounceError::DescriptionTooLong { max } => {
            tr!(l, "announce-invalid-text-long", max = *max)
        }
        AnnounceError::BadUrl(u) => tr!(l, "announce-invalid-url", url = u.as_str()),
        AnnounceError::TooManyButtons { max } => tr!(l, "announce-invalid-buttons", max = *max),
        AnnounceError::BadLabel { max } => tr!(l, "announce-invalid-label", max = *max),
        AnnounceError::TooManyRoles { max } => tr!(l, "announce-invalid-roles", max = *max),
        AnnounceError::Schedule(s) => schedule_error(l, s),
    }
}

/// The text of an announcement refusal.
pub fn refusal(l: Locale, r: &AnnounceRefusal) -> String {
    match r {
        AnnounceRefusal::Invalid(e) => record_error(l, e),
        AnnounceRefusal::NoSuch(id) => tr!(l, "announce-no-such", id = *id),
        AnnounceRefusal::NotActive(id) => tr!(l, "announce-not-active", id = *id),
        AnnounceRefusal::NothingToPost => tr!(l, "announce-nothing-to-post"),
        AnnounceRefusal::NoNetwork(id) => tr!(l, "announce-no-network", id = *id),
        AnnounceRefusal::NotYourNetwork(id) => tr!(l, "announce-not-your-network", id = *id),
        AnnounceRefusal::OwnNetwork => tr!(l, "announce-own-network"),
        AnnounceRefusal::NoRequest => tr!(l, "announce-no-request"),
        AnnounceRefusal::TooManyNetworks { max } => {
            tr!(l, "announce-too-many-networks", max = *max)
        }
        AnnounceRefusal::BadNetworkName => tr!(l, "announce-bad-network-name"),
    }
}

/// A refusal shown to the user.
pub fn refused(l: Locale, text: String) -> UserError {
    UserError::Refused {
        title: tr!(l, "announce-refused-title"),
        text,
    }
}

/// Turns a storage refusal of this feature into a [`UserError`]; other errors pass through.
pub fn user_error(l: Locale, e: StorageError) -> Error {
    match e {
        StorageError::Refused(StoreRefusal::Announce(r)) => refused(l, refusal(l, &r)).into(),
        other => other.into(),
    }
}

/// The localised name of a status.
pub fn status_text(l: Locale, s: Status) -> String {
    match s {
        Status::Draft => tr!(l, "announce-status-draft"),
        Status::Scheduled => tr!(l, "announce-status-scheduled"),
        Status::Done => tr!(l, "announce-status-done"),
        Status::Cancelled => tr!(l, "announce-status-cancelled"),
        Status::Missed => tr!(l, "announce-status-missed"),
    }
}

/// The localised name of a template.
pub fn template_text(l: Locale, t: chronix_core::announcements::Template) -> String {
    use chronix_core::announcements::Template;
    let name = match t {
        Template::Info => tr!(l, "announce-template-info"),
        Template::Event => tr!(l, "announce-template-event"),
        Template::Update => tr!(l, "announce-template-update"),
        Template::Alert => tr!(l, "announce-template-alert"),
    };
    format!("{} {name}", t.emoji())
}

/// A schedule in words, localised around core's description.
pub fn schedule_text(l: Locale, s: &chronix_core::announcements::Schedule, tz: Tz) -> String {
    use chronix_core::announcements::{Schedule, format_local};
    match s {
        Schedule::Draft => tr!(l, "announce-schedule-draft"),
        Schedule::Now => tr!(l, "announce-schedule-now"),
        Schedule::Once { at } => tr!(l, "announce-schedule-once", at = format_local(*at, tz)),
        other => tr!(
            l,
            "announce-schedule-recurring",
            words = other.describe(),
            tz = tz.name()
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_refusal_has_a_text() {
        let l = Locale::EN;
        let all = [
            AnnounceRefusal::Invalid(AnnounceError::NoChannel),
            AnnounceRefusal::Invalid(AnnounceError::Schedule(ScheduleError::BadCron("x".into()))),
            AnnounceRefusal::NoSuch(3),
            AnnounceRefusal::NotActive(3),
            AnnounceRefusal::NothingToPost,
            AnnounceRefusal::NoNetwork(1),
            AnnounceRefusal::NotYourNetwork(1),
            AnnounceRefusal::OwnNetwork,
            AnnounceRefusal::NoRequest,
            AnnounceRefusal::TooManyNetworks { max: 5 },
            AnnounceRefusal::BadNetworkName,
        ];
        for r in all {
            let t = refusal(l, &r);
            assert!(!t.is_empty() && !t.starts_with("announce-"), "{r:?}: {t}");
        }
        assert_eq!(
            refusal(l, &AnnounceRefusal::NoSuch(3)),
            "There is no announcement #3 on this server."
        );
    }
}
