//! `welcome`: the welcomer (issue 15, spec §16 and §26). Switch `ENABLE_WELCOME`.
//!
//! * [`setup`]: `welcome setup`, the panel wizard (kernel [`crate::ui::wizard`]): channels and
//!   DM → texts → banner → auto roles → gifts → preview → confirm. The configuration is one
//!   record (`welcome_settings`, `chronix_core::welcome::WelcomeSettings`, checked by its one
//!   `validate`).
//! * [`greet`]: the welcome, farewell and DM intro messages with their placeholders and the
//!   banner image, shared by the listeners and `welcome test`.
//! * [`members`]: the join, screening and leave listeners and the delayed auto-role job.
//! * [`commands`]: `welcome` with `setup`, `show`, `enable`, `disable`, `test` (admin).
//!
//! The `{inviter}` placeholder comes through [`inviter_of`], the one seam to the invite
//! tracker.

pub mod commands;
pub mod greet;
pub mod members;
pub mod setup;

use std::sync::Arc;

use chronix_core::ids::{GuildId, UserId};
use chronix_core::welcome::{WelcomeError, WelcomeSettings};
use chronix_storage::welcome::{ROLE_JOB, WelcomeRefusal};
use chronix_storage::{Refusal as StoreRefusal, StorageError};

use crate::events::EventKind;
use crate::prelude::*;
use crate::scheduler::JobKind;

/// The welcome feature.
pub fn feature() -> Feature {
    Feature::new("welcome", || vec![commands::welcome()])
        .on(&[EventKind::MemberJoin], members::on_join)
        .on(&[EventKind::MemberUpdate], members::on_update)
        .on(&[EventKind::MemberLeave], members::on_leave)
        .wizard(setup::wizard())
        .job(JobKind::once(ROLE_JOB, members::role_job))
}

/// Each server's welcome settings, as the listeners read them ([`settings`]).
#[derive(Default)]
pub struct SettingsCache(crate::cached::PerGuild<WelcomeSettings>);

/// A server's welcome settings for the listeners: cached, read once per server however many
/// members join at once ([`crate::cached::PerGuild`]).
pub async fn settings(data: &Data, guild: GuildId) -> Result<Arc<WelcomeSettings>, Error> {
    let cache = data.state::<SettingsCache>();
    let s = cache
        .0
        .get(guild, || {
            chronix_storage::welcome::settings(data.storage(), guild)
        })
        .await?;
    Ok(s)
}

/// Saves a server's welcome settings (checked by storage) and forgets the cached ones.
pub async fn save(
    data: &Data,
    guild: GuildId,
    by: UserId,
    s: &WelcomeSettings,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<(), StorageError> {
    chronix_storage::welcome::save_settings(data.storage(), guild, by, s, now).await?;
    settings_changed(data, guild);
    Ok(())
}

/// Forgets a server's cached welcome settings (after they were written elsewhere).
pub fn settings_changed(data: &Data, guild: GuildId) {
    data.state::<SettingsCache>().0.invalidate(guild);
}

/// Who invited `user` to `guild`, for `{inviter}` (`None`: unknown, shown as "unknown").
///
/// The invite tracker (feature `invites`) records each join from its own listener, which runs
/// beside this one; for a join that is `just_joined` on a server that tracks invites, its
/// record is waited for (up to 3 s), so the welcome names the right inviter. Otherwise the
/// latest join recorded counts.
pub async fn inviter_of(
    data: &Data,
    guild: GuildId,
    user: UserId,
    just_joined: bool,
) -> Result<Option<UserId>, Error> {
    use chronix_storage::invites;
    let tracked = just_joined && data.feature_enabled_in("invites", Some(guild.get())).await;
    let since = chrono::Utc::now() - chrono::Duration::seconds(60);
    for _ in 0..15 {
        let join = invites::last_join(data.storage(), guild, user).await?;
        match join {
            Some(j) if j.joined_at >= since => return Ok(j.inviter()),
            Some(j) if !tracked => return Ok(j.inviter()),
            None if !tracked => return Ok(None),
            _ => tokio::time::sleep(std::time::Duration::from_millis(200)).await,
        }
    }
    Ok(None)
}

/// A refusal shown to the admin.
pub fn refused(l: Locale, text: String) -> Error {
    UserError::Refused {
        title: tr!(l, "welcome-refused-title"),
        text,
    }
    .into()
}

/// Whether a starter kit may give `item`: a shop item or a crate of the game tables.
pub fn known_item(item: &str) -> bool {
    let tables = crate::tables::tables();
    tables.item(item).is_some() || tables.crates().iter().any(|c| c.item_key() == item)
}

/// The text of a settings rule that was broken.
pub fn settings_error(l: Locale, e: &WelcomeError) -> String {
    match e {
        WelcomeError::Text(max) => tr!(l, "welcome-bad-text", max = *max),
        WelcomeError::TooManyRoles(max) => tr!(l, "welcome-bad-roles", max = *max),
        WelcomeError::Delay => tr!(l, "welcome-bad-delay"),
        WelcomeError::Starter => tr!(
            l,
            "welcome-bad-starter",
            max = chronix_core::render::format_number(chronix_core::welcome::MAX_STARTER_CHRONS)
        ),
        WelcomeError::StarterItems => tr!(
            l,
            "welcome-bad-starter-items",
            kinds = chronix_core::welcome::MAX_STARTER_ITEMS,
            max = chronix_core::welcome::MAX_STARTER_QUANTITY
        ),
        WelcomeError::UnknownItem(item) => {
            tr!(
                l,
                "welcome-unknown-item",
                item = crate::embeds::truncate(item, 64)
            )
        }
        WelcomeError::Color => tr!(l, "welcome-bad-colour"),
        WelcomeError::Boost => tr!(
            l,
            "welcome-bad-boost",
            pct = chronix_core::welcome::MAX_BOOST_PCT,
            hours = chronix_core::welcome::MAX_BOOST_HOURS
        ),
        WelcomeError::DuplicateRole(r) => {
            tr!(l, "welcome-bad-duplicate-role", role = format!("<@&{r}>"))
        }
    }
}

/// Turns a storage refusal of this feature into a [`UserError`]; other errors pass through.
pub fn user_error(l: Locale, e: StorageError) -> Error {
    match e {
        StorageError::Refused(StoreRefusal::Welcome(WelcomeRefusal::Invalid(s))) => {
            refused(l, settings_error(l, &s))
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
            WelcomeError::Text(1_500),
            WelcomeError::TooManyRoles(10),
            WelcomeError::Delay,
            WelcomeError::Starter,
            WelcomeError::Color,
            WelcomeError::Boost,
            WelcomeError::DuplicateRole(chronix_core::ids::RoleId::new(5)),
        ] {
            let t = settings_error(l, &e);
            assert!(!t.is_empty() && !t.starts_with("welcome-"), "{e:?}: {t}");
        }
        assert_eq!(
            settings_error(l, &WelcomeError::Boost),
            "The XP boost must be between 100 % and 500 %, for at most 168 hours."
        );
    }
}
