//! `tempvoice`: temporary voice channels (spec §17; issue 15).
//!
//! * [`setup`]: `vc setup`, the hub wizard (kernel [`crate::ui::wizard`], Admin): the category
//!   new channels go in and the "join to create" hub channel (each created, or picked among the
//!   server's), then the name format (`{user}`, `{n}`), user limit and bitrate → preview →
//!   confirm. The hub is a plain record (`tempvoice_hubs`, checked by
//!   `chronix_core::tempvoice::HubConfig::validate`); a server may have several.
//! * [`voice`]: the voice listener. A member joining a hub gets a voice channel named by the
//!   hub's format in the hub's category (overwrites give the creator Manage Channels and Move
//!   Members there) and is moved into it; a control panel is posted in the channel's text
//!   chat. A member who already owns a channel is moved back to it instead. When the last
//!   member leaves, the channel is deleted unless persistent. On GUILD_CREATE (start-up,
//!   reconnect) the feature rebuilds who is where and cleans up: rows of channels that no
//!   longer exist are removed, empty non-persistent channels are deleted.
//! * [`controls`]: what the owner can do, by the panel's buttons and selects or by the `vc`
//!   commands: rename, limit, lock/unlock, hide/unhide, permit, kick, transfer; claim (anyone
//!   in the channel once the owner left); persist (server admins).
//! * [`commands`]: `vc` (`voice`, `tempvoice`).
//!
//! Who is in which voice channel is kept in memory ([`Occupancy`], fed by VOICE_STATE_UPDATE
//! and GUILD_CREATE's voice states): Discord offers no REST call listing a channel's members.
//!
//! Join/leave spam: channel creations per member are limited by `TEMPVOICE_CREATE_LIMIT`
//! (stored counts, `rate_limits`); past it the member stays in the hub and is told by DM once
//! per window (a closed DM is ignored).

pub mod commands;
pub mod controls;
pub mod setup;
pub mod voice;

use std::collections::{HashMap, HashSet};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use chronix_core::ids::{ChannelId, GuildId, UserId};
use chronix_core::tempvoice::HubError;
use chronix_storage::tempvoice::TempVoiceRefusal;
use chronix_storage::{Refusal as StoreRefusal, StorageError};

use crate::events::EventKind;
use crate::prelude::*;

/// `custom_id` prefix of the control panel's buttons, selects and modals.
pub const PREFIX: &str = "chx:tv:";

/// The temporary voice feature.
pub fn feature() -> Feature {
    Feature::new("tempvoice", || vec![commands::vc()])
        .on(
            &[
                EventKind::VoiceState,
                EventKind::GuildJoin,
                EventKind::ChannelDelete,
            ],
            voice::on_event,
        )
        .component(PREFIX, controls::on_component)
        .modal(PREFIX, controls::on_modal)
        .wizard(setup::wizard())
        .config_keys(&["TEMPVOICE_CREATE_LIMIT"])
}

/// How long a voice event's word beats a GUILD_CREATE snapshot.
const FRESH: Duration = Duration::from_secs(10);

/// Who is in which voice channel, per server (memory; rebuilt from GUILD_CREATE).
#[derive(Debug, Default)]
pub struct Occupancy {
    inner: Mutex<Where>,
    /// When each rate-limited member may be told again (one DM per window).
    warned: Mutex<HashMap<UserId, chrono::DateTime<chrono::Utc>>>,
}

#[derive(Debug, Default)]
struct Where {
    /// Where each member is, and when a voice event said so.
    of_user: HashMap<(GuildId, UserId), (ChannelId, Instant)>,
    in_channel: HashMap<ChannelId, HashSet<UserId>>,
}

impl Where {
    fn enter(&mut self, guild: GuildId, user: UserId, channel: ChannelId, at: Instant) {
        self.of_user.insert((guild, user), (channel, at));
        self.in_channel.entry(channel).or_default().insert(user);
    }

    fn leave(&mut self, guild: GuildId, user: UserId) -> Option<ChannelId> {
        let (before, _) = self.of_user.remove(&(guild, user))?;
        if let Some(set) = self.in_channel.get_mut(&before) {
            set.remove(&user);
            if set.is_empty() {
                self.in_channel.remove(&before);
            }
        }
        Some(before)
    }
}

impl Occupancy {
    /// Records that `user` is now in `channel` (none: left voice); returns where they were.
    pub fn set(
        &self,
        guild: GuildId,
        user: UserId,
        channel: Option<ChannelId>,
    ) -> Option<ChannelId> {
        let mut w = self.inner.lock().expect("occupancy lock");
        let before = w.leave(guild, user);
        if let Some(c) = channel {
            w.enter(guild, user, c, Instant::now());
        }
        before
    }

    /// Replaces what is known of a server by GUILD_CREATE's voice states, except what voice
    /// events said in the last [`FRESH`] (the snapshot may be older than they are: serenity
    /// runs listeners concurrently, so a voice event can be handled before the GUILD_CREATE
    /// that preceded it).
    pub fn reset(&self, guild: GuildId, states: impl Iterator<Item = (UserId, ChannelId)>) {
        let mut w = self.inner.lock().expect("occupancy lock");
        let now = Instant::now();
        let fresh = |at: Instant| now.duration_since(at) < FRESH;
        let stale: Vec<UserId> = w
            .of_user
            .iter()
            .filter(|((g, _), (_, at))| *g == guild && !fresh(*at))
            .map(|((_, u), _)| *u)
            .collect();
        for u in stale {
            w.leave(guild, u);
        }
        let old = now.checked_sub(FRESH).unwrap_or(now);
        for (u, c) in states {
            if !w.of_user.contains_key(&(guild, u)) {
                w.enter(guild, u, c, old);
            }
        }
    }

    /// The voice channel `user` is in.
    pub fn channel_of(&self, guild: GuildId, user: UserId) -> Option<ChannelId> {
        let w = self.inner.lock().expect("occupancy lock");
        w.of_user.get(&(guild, user)).map(|(c, _)| *c)
    }

    /// How many are in `channel`.
    pub fn count(&self, channel: ChannelId) -> usize {
        let w = self.inner.lock().expect("occupancy lock");
        w.in_channel.get(&channel).map_or(0, HashSet::len)
    }

    /// Whether `user` is in `channel`.
    pub fn is_in(&self, channel: ChannelId, user: UserId) -> bool {
        let w = self.inner.lock().expect("occupancy lock");
        w.in_channel
            .get(&channel)
            .is_some_and(|s| s.contains(&user))
    }

    /// Whether a rate-limited member should be told (once until `retry_at`).
    pub fn should_warn(
        &self,
        user: UserId,
        now: chrono::DateTime<chrono::Utc>,
        retry_at: chrono::DateTime<chrono::Utc>,
    ) -> bool {
        let mut w = self.warned.lock().expect("warned lock");
        w.retain(|_, until| *until > now);
        if w.contains_key(&user) {
            return false;
        }
        w.insert(user, retry_at);
        true
    }
}

/// The text of a hub configuration problem.
pub fn hub_error(l: Locale, e: &HubError) -> String {
    match e {
        HubError::EmptyFormat => tr!(l, "tempvoice-format-empty"),
        HubError::FormatTooLong { max } => tr!(l, "tempvoice-format-long", max = *max),
        HubError::UserLimit { max } => tr!(l, "tempvoice-limit-range", max = *max),
        HubError::Bitrate { min, max } => tr!(
            l,
            "tempvoice-bitrate-range",
            min = *min / 1000,
            max = *max / 1000
        ),
    }
}

/// The text of a storage refusal of this feature.
pub fn refusal(l: Locale, r: &TempVoiceRefusal) -> String {
    match r {
        TempVoiceRefusal::InvalidHub(e) => hub_error(l, e),
        TempVoiceRefusal::HubExists => tr!(l, "tempvoice-hub-exists"),
        TempVoiceRefusal::NoHub => tr!(l, "tempvoice-no-hub"),
        TempVoiceRefusal::NotTemporary => tr!(l, "tempvoice-not-temporary"),
        TempVoiceRefusal::OwnerChanged => tr!(l, "tempvoice-owner-changed"),
        TempVoiceRefusal::AlreadyOwner => tr!(l, "tempvoice-already-owner"),
        TempVoiceRefusal::Unchanged => tr!(l, "tempvoice-unchanged"),
    }
}

/// A refusal shown to the user.
pub fn refused(l: Locale, text: String) -> Error {
    UserError::Refused {
        title: tr!(l, "tempvoice-refused-title"),
        text,
    }
    .into()
}

/// Turns a storage refusal of this feature into a [`UserError`]; other errors pass through.
pub fn user_error(l: Locale, e: StorageError) -> Error {
    match e {
        StorageError::Refused(StoreRefusal::TempVoice(r)) => refused(l, refusal(l, &r)),
        other => other.into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn occupancy_follows_joins_moves_and_leaves() {
        let o = Occupancy::default();
        let (g, a, b) = (GuildId::new(1), UserId::new(10), UserId::new(11));
        let (c1, c2) = (ChannelId::new(100), ChannelId::new(101));
        assert_eq!(o.set(g, a, Some(c1)), None);
        assert_eq!(o.set(g, b, Some(c1)), None);
        assert_eq!(o.count(c1), 2);
        assert_eq!(o.set(g, a, Some(c2)), Some(c1));
        assert_eq!((o.count(c1), o.count(c2)), (1, 1));
        assert!(o.is_in(c2, a) && !o.is_in(c1, a));
        assert_eq!(o.set(g, b, None), Some(c1));
        assert_eq!(o.count(c1), 0);
        // A snapshot adds what it knows; what a voice event said just now is kept.
        o.reset(g, [(b, c2)].into_iter());
        assert_eq!(o.channel_of(g, a), Some(c2));
        assert_eq!(o.channel_of(g, b), Some(c2));
        assert_eq!(o.count(c2), 2);
    }

    #[test]
    fn every_refusal_has_a_text() {
        let l = Locale::EN;
        for r in [
            TempVoiceRefusal::InvalidHub(HubError::EmptyFormat),
            TempVoiceRefusal::InvalidHub(HubError::FormatTooLong { max: 100 }),
            TempVoiceRefusal::InvalidHub(HubError::UserLimit { max: 99 }),
            TempVoiceRefusal::InvalidHub(HubError::Bitrate {
                min: 8_000,
                max: 96_000,
            }),
            TempVoiceRefusal::HubExists,
            TempVoiceRefusal::NoHub,
            TempVoiceRefusal::NotTemporary,
            TempVoiceRefusal::OwnerChanged,
            TempVoiceRefusal::AlreadyOwner,
            TempVoiceRefusal::Unchanged,
        ] {
            let t = refusal(l, &r);
            assert!(!t.is_empty() && !t.starts_with("tempvoice-"), "{r:?}: {t}");
        }
    }
}
