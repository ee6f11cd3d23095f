//! `tickets`: support tickets (spec §25, §XI; issue 14).
//!
//! * [`setup`]: `ticket setup`, the setup wizard (kernel [`crate::ui::wizard`]): category,
//!   log channel and per-member limit → staff roles → ping roles → topics → panel message →
//!   preview → confirm. Confirming stores the panel (`ticket_panels`, the configuration record
//!   checked by `chronix_core::tickets::PanelConfig::validate`) and posts its message with one
//!   button per topic. A server may have several panels.
//! * [`lifecycle`]: what the buttons and commands do to a ticket: open (a private channel with
//!   overwrites for the opener, the staff roles and the bot, a numbered embed with Claim, Close,
//!   Transcript and Lock), claim, lock/unlock, close (reason in a modal, or `ticket close`
//!   with a confirm dialog; the transcript goes to the log channel and the opener's DM; the
//!   channel is deleted by the [`DELETE_JOB`] job after `TICKETS_DELETE_DELAY_SECS`), reopen,
//!   transcript on demand.
//! * [`commands`]: `ticket` (`tickets`) with `setup`, `add`, `remove`, `rename`, `claim`,
//!   `close`, `reopen`, `stats`.
//!
//! Who may do what: `setup` is Admin, `stats` Mod; the other subcommands and the buttons are
//! open to everyone at the command level and checked here: staff (a staff role of the ticket's
//! panel, or Manage Channels / Manage Server / Administrator) claim, lock, add, remove, rename
//! and reopen; staff and the opener close and ask for a transcript.
//!
//! Buttons carry only row ids (`chx:tk:<action>:<id>`); everything else is read from the
//! database, so they work after a restart.

pub mod commands;
pub mod lifecycle;
pub mod setup;

use chronix_core::tickets::PanelError;
use chronix_storage::tickets::{self as store, Panel, Ticket, TicketRefusal};
use chronix_storage::{Refusal as StoreRefusal, StorageError};

use crate::kernel::ids::ToCore;
use crate::prelude::*;
use crate::scheduler::JobKind;

/// `custom_id` prefix of every ticket button and modal.
pub const PREFIX: &str = "chx:tk:";
/// The job that deletes a closed ticket's channel.
pub const DELETE_JOB: &str = "tickets.delete_channel";
/// The total size of one transcript upload (Discord's default limit is 10 MiB per message).
pub const UPLOAD_BUDGET: usize = 8 * 1024 * 1024;

/// The tickets feature.
pub fn feature() -> Feature {
    Feature::new("tickets", || vec![commands::ticket()])
        .component(PREFIX, lifecycle::on_component)
        .modal(PREFIX, lifecycle::on_modal)
        .wizard(setup::wizard())
        .job(JobKind::once(DELETE_JOB, lifecycle::delete_job))
        .config_keys(&["TICKETS_DELETE_DELAY_SECS"])
}

/// Whether a member is staff for a ticket of `panel`: one of its staff roles, or a server
/// manager (Manage Channels, Manage Server or Administrator).
pub fn is_staff(
    panel: Option<&Panel>,
    roles: &[serenity::RoleId],
    permissions: serenity::Permissions,
) -> bool {
    crate::perms::is_admin(permissions)
        || permissions.manage_channels()
        || panel.is_some_and(|p| {
            p.config
                .staff_roles
                .iter()
                .any(|r| roles.iter().any(|m| m.core() == *r))
        })
}

/// The text of a ticket refusal.
pub fn refusal(l: Locale, r: &TicketRefusal) -> String {
    match r {
        TicketRefusal::InvalidPanel(e) => panel_error(l, e),
        TicketRefusal::LimitReached { max } => tr!(l, "tickets-limit-reached", max = *max),
        TicketRefusal::NoPanel => tr!(l, "tickets-no-panel"),
        TicketRefusal::AlreadyClosed => tr!(l, "tickets-already-closed"),
        TicketRefusal::NotClosed => tr!(l, "tickets-not-closed"),
        TicketRefusal::Deleted => tr!(l, "tickets-deleted"),
        TicketRefusal::AlreadyClaimed { by } => {
            tr!(l, "tickets-already-claimed", user = format!("<@{by}>"))
        }
        TicketRefusal::Unchanged => tr!(l, "tickets-unchanged"),
    }
}

/// The text of a panel configuration problem.
pub fn panel_error(l: Locale, e: &PanelError) -> String {
    match e {
        PanelError::NoStaffRole => tr!(l, "tickets-panel-no-staff"),
        PanelError::TooManyRoles { max } => tr!(l, "tickets-panel-too-many-roles", max = *max),
        PanelError::EmptyTitle => tr!(l, "tickets-panel-empty-title"),
        PanelError::TitleTooLong { max } => tr!(l, "tickets-panel-title-long", max = *max),
        PanelError::DescriptionTooLong { max } => {
            tr!(l, "tickets-panel-description-long", max = *max)
        }
        PanelError::TooManyTopics { max } => tr!(l, "tickets-panel-too-many-topics", max = *max),
        PanelError::TopicTooLong { max } => tr!(l, "tickets-panel-topic-long", max = *max),
        PanelError::DuplicateTopic(t) => {
            tr!(l, "tickets-panel-duplicate-topic", topic = t.as_str())
        }
        PanelError::OpenLimit { max } => tr!(l, "tickets-panel-open-limit", max = *max),
    }
}

/// Turns a storage refusal of this feature into a [`UserError`]; other errors pass through.
pub fn user_error(l: Locale, e: StorageError) -> Error {
    match e {
        StorageError::Refused(StoreRefusal::Ticket(r)) => UserError::Refused {
            title: tr!(l, "tickets-refused-title"),
            text: refusal(l, &r),
        }
        .into(),
        other => other.into(),
    }
}

/// A refusal shown to the user.
pub fn refused(l: Locale, text: String) -> Error {
    UserError::Refused {
        title: tr!(l, "tickets-refused-title"),
        text,
    }
    .into()
}

/// The ticket of a channel, or the "not a ticket channel" refusal.
pub async fn ticket_here(
    data: &Data,
    l: Locale,
    channel: serenity::ChannelId,
) -> Result<Ticket, Error> {
    match store::by_channel(data.storage(), channel.core()).await? {
        Some(t) => Ok(t),
        None => Err(refused(l, tr!(l, "tickets-not-a-ticket"))),
    }
}

/// The panel of a ticket (none when it was deleted).
pub async fn panel_of(data: &Data, t: &Ticket) -> Result<Option<Panel>, Error> {
    Ok(match t.panel {
        Some(p) => store::panel(data.storage(), p).await?,
        None => None,
    })
}

/// `#0042`.
pub fn number(n: i64) -> String {
    format!("#{n:04}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use chronix_core::ids::{ChannelId, GuildId, RoleId};
    use chronix_core::tickets::PanelConfig;

    fn panel() -> Panel {
        Panel {
            id: store::PanelId::new(1),
            guild: GuildId::new(1),
            channel: ChannelId::new(2),
            message: None,
            config: PanelConfig {
                title: "Support".into(),
                description: String::new(),
                category: None,
                log_channel: None,
                staff_roles: vec![RoleId::new(50)],
                ping_roles: vec![],
                topics: vec![],
                max_open: 1,
                threads: false,
            },
            created_at: chrono::Utc::now(),
        }
    }

    #[test]
    fn staff_is_a_staff_role_or_a_server_manager() {
        let p = panel();
        let none = serenity::Permissions::empty();
        assert!(is_staff(Some(&p), &[serenity::RoleId::new(50)], none));
        assert!(!is_staff(Some(&p), &[serenity::RoleId::new(51)], none));
        assert!(!is_staff(None, &[serenity::RoleId::new(50)], none));
        assert!(is_staff(None, &[], serenity::Permissions::MANAGE_CHANNELS));
        assert!(is_staff(None, &[], serenity::Permissions::ADMINISTRATOR));
        assert!(!is_staff(
            Some(&p),
            &[],
            serenity::Permissions::MANAGE_MESSAGES
        ));
    }

    #[test]
    fn every_refusal_has_a_text() {
        let l = Locale::EN;
        for r in [
            TicketRefusal::InvalidPanel(PanelError::NoStaffRole),
            TicketRefusal::LimitReached { max: 1 },
            TicketRefusal::NoPanel,
            TicketRefusal::AlreadyClosed,
            TicketRefusal::NotClosed,
            TicketRefusal::Deleted,
            TicketRefusal::AlreadyClaimed {
                by: chronix_core::ids::UserId::new(5),
            },
            TicketRefusal::Unchanged,
        ] {
            let t = refusal(l, &r);
            assert!(!t.is_empty() && !t.starts_with("tickets-"), "{r:?}: {t}");
        }
        assert_eq!(
            refusal(l, &TicketRefusal::LimitReached { max: 1 }),
            "You already have 1 open ticket from this panel: finish it first."
        );
    }
}
