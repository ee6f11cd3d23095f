//! `invites`: who invited whom (issue 12, spec §15). Switch `ENABLE_INVITES`.
//!
//! * [`tracker`]: the per-guild cache of invite uses (`Data::state`), filled when a guild
//!   becomes available and kept by invite create/delete events; on each member join the
//!   invites are fetched again and compared (core's `invites::attribute`): an invite (with its
//!   inviter), the vanity URL, or unknown. Each join is stored with whether it is fake (an
//!   account younger than `INVITES_FAKE_ACCOUNT_DAYS`); a leave closes it.
//! * [`commands`]: `invites [@user]`, `invites leaderboard`, `invites who`, and the admin
//!   commands `invites bonus add|remove`, `invites channel`, `invites reward|unreward`.
//!
//! After an attributed join the optional invite channel gets "X invited Y (total: Z)" (no
//! pings), and reward roles the inviter reached are given, each once.
//!
//! Needs the bot's **Manage Server** permission to read invites; without it every join is
//! stored as unknown.

pub mod commands;
pub mod tracker;

use chronix_core::ids::{GuildId, RoleId, UserId};
use chronix_core::invites::InviteSettingsError;
use chronix_storage::invites::{self as store, InvitesRefusal};
use chronix_storage::{Refusal as StoreRefusal, StorageError};
use chrono::Utc;

use crate::events::EventKind;
use crate::kernel::ids::ToDiscord;
use crate::prelude::*;

/// The invites feature.
pub fn feature() -> Feature {
    Feature::new("invites", commands)
        .on(
            &[
                EventKind::GuildJoin,
                EventKind::GuildUpdate,
                EventKind::GuildLeave,
                EventKind::InviteCreate,
                EventKind::InviteDelete,
                EventKind::RoleCreate,
                EventKind::RoleUpdate,
                EventKind::RoleDelete,
                EventKind::MemberUpdate,
            ],
            tracker::on_cache_event,
        )
        .on(&[EventKind::MemberJoin], tracker::on_member_join)
        .on(&[EventKind::MemberLeave], tracker::on_member_leave)
        .pages(commands::PAGES, commands::draw_board)
        .on_shutdown(on_shutdown)
}

/// Joins queued before the gateway closed are stored first (for at most a few seconds).
fn on_shutdown(data: &Data) -> crate::registry::BoxFuture<'_, anyhow::Result<()>> {
    Box::pin(async move {
        let end = std::time::Instant::now() + std::time::Duration::from_secs(5);
        while data.state::<tracker::InviteCache>().busy() && std::time::Instant::now() < end {
            tokio::time::sleep(std::time::Duration::from_millis(10)).await;
        }
        Ok(())
    })
}

/// The feature's commands.
pub fn commands() -> Vec<Command> {
    vec![commands::invites()]
}

/// A refusal shown to the user.
pub fn refused(l: Locale, text: String) -> Error {
    UserError::Refused {
        title: tr!(l, "invites-refused-title"),
        text,
    }
    .into()
}

/// Turns a storage refusal of this feature into a [`UserError`]; other errors pass through.
pub fn user_error(l: Locale, e: StorageError) -> Error {
    match e {
        StorageError::Refused(StoreRefusal::Invites(InvitesRefusal::Invalid(s))) => {
            refused(l, settings_error(l, s))
        }
        other => other.into(),
    }
}

/// The text of a settings rule that was broken.
pub fn settings_error(l: Locale, e: InviteSettingsError) -> String {
    match e {
        InviteSettingsError::ZeroCount => tr!(l, "invites-reward-zero"),
        InviteSettingsError::TooMany(n) => tr!(l, "invites-reward-too-many", max = n as u64),
    }
}

/// A role from a mention (`<@&id>`) or a bare id.
pub fn role_of(text: &str) -> Option<RoleId> {
    let t = text.trim();
    let inner = t
        .strip_prefix("<@&")
        .and_then(|r| r.strip_suffix('>'))
        .unwrap_or(t);
    inner
        .parse::<u64>()
        .ok()
        .filter(|n| *n > 0)
        .map(RoleId::new)
}

/// After `user` joined through `inviter`'s invite: the line in the invite channel (if set)
/// and the reward roles the inviter reached.
pub async fn announce_and_reward(
    data: &Data,
    http: &serenity::Http,
    guild: GuildId,
    inviter: UserId,
    user: UserId,
) -> Result<(), Error> {
    let s = store::settings(data.storage(), guild).await?;
    let total = store::counts(data.storage(), guild, inviter).await?.total();
    if let Some(channel) = s.channel {
        let l = crate::i18n::guild_locale(data, Some(guild.get())).await;
        let text = tr!(
            l,
            "invites-joined-line",
            inviter = tracker::mention(inviter),
            user = tracker::mention(user),
            total = total
        );
        let msg = serenity::CreateMessage::new()
            .content(text)
            .allowed_mentions(embeds::no_mentions());
        if let Err(e) = channel.discord().send_message(http, msg).await {
            tracing::info!(%guild, error = %e, "invite channel not writable");
        }
    }
    give_rewards_with(data, http, &s, guild, inviter, total).await
}

/// Gives `inviter` the reward roles reached at `total` that they never got.
pub async fn give_rewards(
    data: &Data,
    http: &serenity::Http,
    guild: GuildId,
    inviter: UserId,
    total: i64,
) -> Result<(), Error> {
    let s = store::settings(data.storage(), guild).await?;
    give_rewards_with(data, http, &s, guild, inviter, total).await
}

async fn give_rewards_with(
    data: &Data,
    http: &serenity::Http,
    s: &chronix_core::invites::InviteSettings,
    guild: GuildId,
    inviter: UserId,
    total: i64,
) -> Result<(), Error> {
    let due = s.rewards_due(total);
    let fresh = store::claim_rewards(data.storage(), guild, inviter, &due, Utc::now()).await?;
    for r in fresh {
        if let Err(e) = http
            .add_member_role(
                guild.discord(),
                inviter.discord(),
                r.role.discord(),
                Some("invite reward"),
            )
            .await
        {
            tracing::info!(%guild, role = %r.role, error = %e, "could not give an invite reward");
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_are_read_from_mentions_and_ids() {
        assert_eq!(role_of("<@&42>"), Some(RoleId::new(42)));
        assert_eq!(role_of(" 42 "), Some(RoleId::new(42)));
        assert_eq!(role_of("@mods"), None);
        assert_eq!(role_of("0"), None);
    }

    #[test]
    fn every_settings_error_has_a_text() {
        for e in [
            InviteSettingsError::ZeroCount,
            InviteSettingsError::TooMany(25),
        ] {
            let t = settings_error(Locale::EN, e);
            assert!(!t.is_empty() && !t.starts_with("invites-"), "{t}");
        }
    }
}
