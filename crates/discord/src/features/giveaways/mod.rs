//! `giveaways`: time-based giveaways with requirements and several winners (spec §24;
//! issue 14).
//!
//! * [`commands`]: `giveaway` (`gw`, `giveaways`) with `start`, `end`, `reroll`, `list`,
//!   `cancel` and `managers`. Who may run them: Manage Server (or Administrator), or the
//!   server's manager role (`giveaway managers @role`, Admin); checked here, so the tier of the
//!   subcommands is Everyone except `managers` (Admin).
//! * [`panel`]: the giveaway's message (prize, end as a Discord timestamp, winners,
//!   requirements, a live entry count) with its Enter button. A click enters (after the
//!   requirements are checked: each unmet one is explained privately) or, a second time, leaves;
//!   the count is refreshed through the kernel's live panels (coalesced, budgeted). The end
//!   job ([`END_JOB`], queued at the end time) ends it exactly once across restarts and
//!   processes, draws the winners with a CSPRNG (`StdRng::from_os_rng`, passed into
//!   `chronix_core::giveaways::draw`), edits the panel and pings the winners (mentions allowed
//!   for them only), and files a gameplay note per winner.
//!
//! Buttons carry only the row id (`chx:gw:enter:<id>`), so they work after a restart.

pub mod commands;
pub mod panel;

use chronix_core::giveaways::{SpecError, Unmet};
use chronix_core::ids::{GuildId, RoleId};
use chronix_storage::giveaways::GiveawayRefusal;
use chronix_storage::{Refusal as StoreRefusal, StorageError};

use crate::kernel::ids::ToCore;
use crate::prelude::*;
use crate::scheduler::JobKind;

/// `custom_id` prefix of the giveaway buttons.
pub const PREFIX: &str = "chx:gw:";
/// The job that ends a giveaway at its time.
pub const END_JOB: &str = "giveaways.end";

/// The giveaways feature.
pub fn feature() -> Feature {
    Feature::new("giveaways", || vec![commands::giveaway()])
        .component(PREFIX, panel::on_component)
        .job(JobKind::once(END_JOB, panel::end_job))
        .tick(std::sync::Arc::new(panel::PanelTick::default()))
}

/// Whether a member may run giveaways (and events): Manage Server or Administrator, or the
/// server's manager role.
pub fn is_manager(
    permissions: serenity::Permissions,
    roles: &[RoleId],
    manager_role: Option<RoleId>,
) -> bool {
    crate::perms::is_admin(permissions) || manager_role.is_some_and(|r| roles.contains(&r))
}

/// Requires the invoker of a command to be a manager (see [`is_manager`]).
pub async fn require_manager(ctx: Context<'_>, guild: GuildId, l: Locale) -> Result<(), Error> {
    let perms = crate::perms::author_permissions(ctx).await;
    let roles: Vec<RoleId> = crate::perms::author_roles(ctx)
        .await
        .unwrap_or_default()
        .into_iter()
        .map(|r| r.core())
        .collect();
    let role = chronix_storage::giveaways::manager_role(ctx.data().storage(), guild).await?;
    if is_manager(perms, &roles, role) {
        Ok(())
    } else {
        Err(refused(l, tr!(l, "giveaways-managers-only")))
    }
}

/// A refusal shown to the user.
pub fn refused(l: Locale, text: String) -> Error {
    UserError::Refused {
        title: tr!(l, "giveaways-refused-title"),
        text,
    }
    .into()
}

/// The text of a giveaway refusal.
pub fn refusal(l: Locale, r: &GiveawayRefusal) -> String {
    match r {
        GiveawayRefusal::Invalid(e) => spec_error(l, e),
        GiveawayRefusal::NotFound => tr!(l, "giveaways-not-found"),
        GiveawayRefusal::AlreadyEnded => tr!(l, "giveaways-already-ended"),
        GiveawayRefusal::Cancelled => tr!(l, "giveaways-was-cancelled"),
        GiveawayRefusal::NotEnded => tr!(l, "giveaways-not-ended"),
    }
}

/// The text of an invalid start.
pub fn spec_error(l: Locale, e: &SpecError) -> String {
    match e {
        SpecError::EmptyPrize => tr!(l, "giveaways-spec-empty-prize"),
        SpecError::PrizeTooLong { max } => tr!(l, "giveaways-spec-prize-long", max = *max),
        SpecError::Winners { max } => tr!(l, "giveaways-spec-winners", max = *max),
        SpecError::Duration { .. } => tr!(l, "giveaways-spec-duration"),
        SpecError::Requirement(which) => {
            tr!(l, "giveaways-spec-requirement", which = which.to_string())
        }
        SpecError::UnknownOption(o) | SpecError::BadOption(o) => {
            tr!(l, "giveaways-spec-option", option = o.as_str())
        }
    }
}

/// One unmet requirement, as the member reads it.
pub fn unmet(l: Locale, u: &Unmet) -> String {
    match u {
        Unmet::Role(r) => tr!(l, "giveaways-unmet-role", role = format!("<@&{r}>")),
        Unmet::Level { needed, have } => {
            tr!(l, "giveaways-unmet-level", needed = *needed, have = *have)
        }
        Unmet::Invites { needed, have } => {
            tr!(l, "giveaways-unmet-invites", needed = *needed, have = *have)
        }
        Unmet::AccountAge { at, .. } => tr!(
            l,
            "giveaways-unmet-age",
            when = format!("<t:{}:R>", at.timestamp())
        ),
    }
}

/// Turns a storage refusal of this feature into a [`UserError`]; other errors pass through.
pub fn user_error(l: Locale, e: StorageError) -> Error {
    match e {
        StorageError::Refused(StoreRefusal::Giveaway(r)) => refused(l, refusal(l, &r)),
        other => other.into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn managers_are_server_managers_or_hold_the_role() {
        let none = serenity::Permissions::empty();
        assert!(is_manager(serenity::Permissions::MANAGE_GUILD, &[], None));
        assert!(is_manager(serenity::Permissions::ADMINISTRATOR, &[], None));
        assert!(!is_manager(none, &[RoleId::new(5)], None));
        assert!(is_manager(none, &[RoleId::new(5)], Some(RoleId::new(5))));
        assert!(!is_manager(
            serenity::Permissions::MANAGE_MESSAGES,
            &[RoleId::new(6)],
            Some(RoleId::new(5))
        ));
    }

    #[test]
    fn every_refusal_and_unmet_requirement_has_a_text() {
        let l = Locale::EN;
        for r in [
            GiveawayRefusal::Invalid(SpecError::EmptyPrize),
            GiveawayRefusal::Invalid(SpecError::Winners { max: 50 }),
            GiveawayRefusal::Invalid(SpecError::Duration {
                min_secs: 5,
                max_secs: 9,
            }),
            GiveawayRefusal::Invalid(SpecError::Requirement("level")),
            GiveawayRefusal::Invalid(SpecError::BadOption("age".into())),
            GiveawayRefusal::Invalid(SpecError::PrizeTooLong { max: 200 }),
            GiveawayRefusal::NotFound,
            GiveawayRefusal::AlreadyEnded,
            GiveawayRefusal::Cancelled,
            GiveawayRefusal::NotEnded,
        ] {
            let t = refusal(l, &r);
            assert!(!t.is_empty() && !t.starts_with("giveaways-"), "{r:?}: {t}");
        }
        assert_eq!(
            unmet(l, &Unmet::Level { needed: 5, have: 2 }),
            "You need level **5** (you are level 2)."
        );
    }
}
