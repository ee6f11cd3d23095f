//! What the world does with webhooks, emojis, stickers, threads, scheduled events, membership
//! screening and locales (the bot does the same through REST). Each verb dispatches the event
//! Discord would.

use chrono::{DateTime, Utc};

use crate::extra::{Emoji, ScheduledEvent, Sticker, ThreadMeta, Webhook};
use crate::hub::intents;
use crate::payloads;
use crate::rest::{emojis_changed, event_changed, insert_message, new_webhook, stickers_changed};
use crate::state::{Id, Message};

use super::{DriverError, Sandbox};

impl Sandbox {
    // ----- webhooks -----

    /// The guild owner creates a webhook in a channel (WEBHOOKS_UPDATE).
    pub fn create_webhook(&self, channel_id: Id, name: &str) -> Result<Webhook, DriverError> {
        let (w, gid) = {
            let mut st = self.inner.state.lock();
            let gid = st
                .channels
                .get(&channel_id)
                .and_then(|c| c.guild_id)
                .ok_or_else(|| DriverError::NotFound(format!("guild channel {channel_id}")))?;
            let owner = st.guilds[&gid].owner_id;
            (
                new_webhook(&self.inner, &mut st, channel_id, name, owner),
                gid,
            )
        };
        crate::rest::webhooks_update(&self.inner, gid, channel_id);
        Ok(w)
    }

    /// Someone posts through a webhook (its URL needs no account): a message whose author is the
    /// webhook, with `webhook_id` (MESSAGE_CREATE). Returns the message id.
    pub fn execute_webhook(&self, webhook_id: Id, content: &str) -> Result<Id, DriverError> {
        let msg = {
            let st = self.inner.state.lock();
            let w = st
                .extra
                .webhooks
                .get(&webhook_id)
                .ok_or_else(|| DriverError::NotFound(format!("webhook {webhook_id}")))?;
            let (mentions, mention_roles, mention_everyone) = crate::rest::parse_mentions(content);
            Message {
                id: self.snowflake(),
                channel_id: w.channel_id,
                guild_id: Some(w.guild_id),
                author_id: webhook_id,
                content: content.to_owned(),
                embeds: vec![],
                components: vec![],
                attachments: vec![],
                reactions: vec![],
                timestamp: Utc::now(),
                edited_timestamp: None,
                flags: 0,
                kind: 0,
                tts: false,
                pinned: false,
                reference: None,
                interaction: None,
                webhook_id: Some(webhook_id),
                visible_to: None,
                mentions,
                mention_roles,
                mention_everyone,
            }
        };
        let id = msg.id;
        insert_message(&self.inner, msg);
        Ok(id)
    }

    /// The webhooks of a channel.
    pub fn webhooks(&self, channel_id: Id) -> Vec<Webhook> {
        let st = self.inner.state.lock();
        st.extra
            .webhooks
            .values()
            .filter(|w| w.channel_id == channel_id)
            .cloned()
            .collect()
    }

    // ----- emojis and stickers -----

    /// The guild owner uploads a custom emoji (GUILD_EMOJIS_UPDATE). Returns its id.
    pub fn create_emoji(&self, guild_id: Id, name: &str) -> Id {
        let id = self.snowflake();
        {
            let mut st = self.inner.state.lock();
            let owner = st.guilds.get(&guild_id).map_or(0, |g| g.owner_id);
            st.extra.emojis.insert(
                id,
                Emoji {
                    id,
                    guild_id,
                    name: name.to_owned(),
                    roles: vec![],
                    creator_id: owner,
                    animated: false,
                },
            );
        }
        emojis_changed(&self.inner, guild_id);
        id
    }

    /// A moderator deletes a custom emoji (GUILD_EMOJIS_UPDATE).
    pub fn delete_emoji(&self, guild_id: Id, emoji_id: Id) {
        self.inner.state.lock().extra.emojis.remove(&emoji_id);
        emojis_changed(&self.inner, guild_id);
    }

    /// The custom emojis of a guild.
    pub fn emojis(&self, guild_id: Id) -> Vec<Emoji> {
        let st = self.inner.state.lock();
        st.extra
            .guild_emojis(guild_id)
            .into_iter()
            .cloned()
            .collect()
    }

    /// The guild owner uploads a sticker (GUILD_STICKERS_UPDATE). Returns its id.
    pub fn create_sticker(&self, guild_id: Id, name: &str, tags: &str) -> Id {
        let id = self.snowflake();
        {
            let mut st = self.inner.state.lock();
            let owner = st.guilds.get(&guild_id).map_or(0, |g| g.owner_id);
            st.extra.stickers.insert(
                id,
                Sticker {
                    id,
                    guild_id,
                    name: name.to_owned(),
                    description: String::new(),
                    tags: tags.to_owned(),
                    creator_id: owner,
                },
            );
        }
        stickers_changed(&self.inner, guild_id);
        id
    }

    /// A moderator deletes a sticker (GUILD_STICKERS_UPDATE).
    pub fn delete_sticker(&self, guild_id: Id, sticker_id: Id) {
        self.inner.state.lock().extra.stickers.remove(&sticker_id);
        stickers_changed(&self.inner, guild_id);
    }

    /// The stickers of a guild.
    pub fn stickers(&self, guild_id: Id) -> Vec<Sticker> {
        let st = self.inner.state.lock();
        st.extra
            .guild_stickers(guild_id)
            .into_iter()
            .cloned()
            .collect()
    }

    // ----- threads -----

    /// A moderator archives or unarchives a thread (THREAD_UPDATE).
    pub fn set_thread_archived(&self, thread_id: Id, archived: bool) -> Result<(), DriverError> {
        self.update_thread(thread_id, |t| {
            if t.archived != archived {
                t.archive_timestamp = Utc::now();
            }
            t.archived = archived;
        })
    }

    /// A moderator locks or unlocks a thread (THREAD_UPDATE).
    pub fn set_thread_locked(&self, thread_id: Id, locked: bool) -> Result<(), DriverError> {
        self.update_thread(thread_id, |t| t.locked = locked)
    }

    /// A thread's metadata (archived, locked, auto-archive duration).
    pub fn thread_meta(&self, thread_id: Id) -> ThreadMeta {
        self.inner.state.lock().extra.thread(thread_id)
    }

    fn update_thread(&self, id: Id, f: impl FnOnce(&mut ThreadMeta)) -> Result<(), DriverError> {
        let (v, gid) = {
            let mut st = self.inner.state.lock();
            let ch = st
                .channels
                .get(&id)
                .filter(|c| c.kind.is_thread())
                .cloned()
                .ok_or_else(|| DriverError::NotFound(format!("thread {id}")))?;
            let mut t = st.extra.thread(id);
            f(&mut t);
            st.extra.threads.insert(id, t);
            (payloads::channel(&st, &ch), ch.guild_id)
        };
        self.dispatch("THREAD_UPDATE", &v, intents::GUILDS, gid);
        Ok(())
    }

    /// A moderator deletes a thread and its messages (THREAD_DELETE).
    pub fn delete_thread(&self, thread_id: Id) -> Result<(), DriverError> {
        let (v, gid) = {
            let mut st = self.inner.state.lock();
            let ch = st
                .channels
                .remove(&thread_id)
                .filter(|c| c.kind.is_thread())
                .ok_or_else(|| DriverError::NotFound(format!("thread {thread_id}")))?;
            st.extra.threads.remove(&thread_id);
            st.messages.retain(|_, m| m.channel_id != thread_id);
            let v = serde_json::json!({
                "id": thread_id.to_string(),
                "guild_id": ch.guild_id.map(|g| g.to_string()),
                "parent_id": ch.parent_id.map(|p| p.to_string()),
                "type": ch.kind.code(),
            });
            (v, ch.guild_id)
        };
        self.dispatch("THREAD_DELETE", &v, intents::GUILDS, gid);
        Ok(())
    }

    // ----- scheduled events -----

    /// A member schedules an event (GUILD_SCHEDULED_EVENT_CREATE): in a voice channel when
    /// `channel` is given, else an external one "somewhere" lasting an hour. Returns its id.
    pub fn create_scheduled_event(
        &self,
        guild_id: Id,
        creator: Id,
        name: &str,
        start: DateTime<Utc>,
        channel: Option<Id>,
    ) -> Id {
        let e = ScheduledEvent {
            id: self.snowflake(),
            guild_id,
            channel_id: channel,
            creator_id: creator,
            name: name.to_owned(),
            description: None,
            start,
            end: channel
                .is_none()
                .then(|| start + chrono::Duration::hours(1)),
            entity_type: if channel.is_some() { 2 } else { 3 },
            status: 1,
            location: channel.is_none().then(|| "somewhere".to_owned()),
        };
        self.inner.state.lock().extra.events.insert(e.id, e.clone());
        event_changed(&self.inner, "GUILD_SCHEDULED_EVENT_CREATE", &e);
        e.id
    }

    /// A moderator changes an event's status (2 active, 3 completed, 4 canceled;
    /// GUILD_SCHEDULED_EVENT_UPDATE).
    pub fn set_scheduled_event_status(&self, event_id: Id, status: u8) -> Result<(), DriverError> {
        let e = {
            let mut st = self.inner.state.lock();
            let e = st
                .extra
                .events
                .get_mut(&event_id)
                .ok_or_else(|| DriverError::NotFound(format!("scheduled event {event_id}")))?;
            e.status = status;
            e.clone()
        };
        event_changed(&self.inner, "GUILD_SCHEDULED_EVENT_UPDATE", &e);
        Ok(())
    }

    /// A moderator deletes an event (GUILD_SCHEDULED_EVENT_DELETE).
    pub fn delete_scheduled_event(&self, event_id: Id) -> Result<(), DriverError> {
        let e = {
            let mut st = self.inner.state.lock();
            st.extra.event_users.retain(|(ev, _)| *ev != event_id);
            st.extra
                .events
                .remove(&event_id)
                .ok_or_else(|| DriverError::NotFound(format!("scheduled event {event_id}")))?
        };
        event_changed(&self.inner, "GUILD_SCHEDULED_EVENT_DELETE", &e);
        Ok(())
    }

    /// A member marks themselves interested (GUILD_SCHEDULED_EVENT_USER_ADD).
    pub fn add_event_user(&self, event_id: Id, user_id: Id) -> Result<(), DriverError> {
        self.event_user(event_id, user_id, true)
    }

    /// A member is no longer interested (GUILD_SCHEDULED_EVENT_USER_REMOVE).
    pub fn remove_event_user(&self, event_id: Id, user_id: Id) -> Result<(), DriverError> {
        self.event_user(event_id, user_id, false)
    }

    fn event_user(&self, event_id: Id, user_id: Id, add: bool) -> Result<(), DriverError> {
        let gid = {
            let mut st = self.inner.state.lock();
            let gid = st
                .extra
                .events
                .get(&event_id)
                .map(|e| e.guild_id)
                .ok_or_else(|| DriverError::NotFound(format!("scheduled event {event_id}")))?;
            let changed = if add {
                st.extra.event_users.insert((event_id, user_id))
            } else {
                st.extra.event_users.remove(&(event_id, user_id))
            };
            if !changed {
                return Ok(());
            }
            gid
        };
        let name = if add {
            "GUILD_SCHEDULED_EVENT_USER_ADD"
        } else {
            "GUILD_SCHEDULED_EVENT_USER_REMOVE"
        };
        let v = payloads::event_user(gid, event_id, user_id);
        self.dispatch(name, &v, intents::GUILD_SCHEDULED_EVENTS, Some(gid));
        Ok(())
    }

    /// A scheduled event.
    pub fn scheduled_event(&self, event_id: Id) -> Option<ScheduledEvent> {
        self.inner.state.lock().extra.events.get(&event_id).cloned()
    }

    // ----- membership screening -----

    /// A user joins a guild with membership screening: GUILD_MEMBER_ADD with `pending: true`.
    pub fn add_pending_member(&self, guild_id: Id, user_id: Id) {
        self.inner
            .state
            .lock()
            .extra
            .pending
            .insert((guild_id, user_id));
        self.add_member(guild_id, user_id);
    }

    /// A pending member accepts the rules: GUILD_MEMBER_UPDATE with `pending: false`.
    pub fn pass_screening(&self, guild_id: Id, user_id: Id) -> Result<(), DriverError> {
        let v = {
            let mut st = self.inner.state.lock();
            if !st.extra.pending.remove(&(guild_id, user_id)) {
                return Err(DriverError::NotFound(format!(
                    "pending member {user_id} of {guild_id}"
                )));
            }
            let m = st
                .members
                .get(&(guild_id, user_id))
                .cloned()
                .ok_or_else(|| DriverError::NotFound(format!("member {user_id}")))?;
            payloads::member_update(&st, &m)
        };
        self.dispatch(
            "GUILD_MEMBER_UPDATE",
            &v,
            intents::GUILD_MEMBERS,
            Some(guild_id),
        );
        Ok(())
    }

    /// Whether a member has still to pass membership screening.
    pub fn is_pending(&self, guild_id: Id, user_id: Id) -> bool {
        self.inner
            .state
            .lock()
            .extra
            .pending
            .contains(&(guild_id, user_id))
    }

    // ----- locales -----

    /// A user's client language (`locale` of their interactions; default `en-US`).
    pub fn set_user_locale(&self, user_id: Id, locale: &str) {
        self.inner
            .state
            .lock()
            .extra
            .locales
            .insert(user_id, locale.to_owned());
    }

    /// A guild's preferred locale (`guild_locale` of interactions there, `preferred_locale`;
    /// GUILD_UPDATE).
    pub fn set_guild_locale(&self, guild_id: Id, locale: &str) -> Result<(), DriverError> {
        let v = {
            let mut st = self.inner.state.lock();
            let g = st
                .guilds
                .get_mut(&guild_id)
                .ok_or_else(|| DriverError::NotFound(format!("guild {guild_id}")))?;
            locale.clone_into(&mut g.locale);
            let g = g.clone();
            payloads::guild(&st, &g)
        };
        self.dispatch("GUILD_UPDATE", &v, intents::GUILDS, Some(guild_id));
        Ok(())
    }

    // ----- pictures (the CDN) -----

    /// Give a user an avatar (PNG bytes; `None` back to Discord's default). The picture is
    /// served at `/cdn/avatars/{user}/{hash}.png`; every guild the user is in gets a
    /// GUILD_MEMBER_UPDATE carrying the new hash. Returns the hash.
    pub fn set_avatar(
        &self,
        user_id: Id,
        png: Option<Vec<u8>>,
    ) -> Result<Option<String>, DriverError> {
        let (hash, updates) = {
            let mut st = self.inner.state.lock();
            let hash = png.as_ref().map(|b| picture_hash(b));
            let u = st
                .users
                .get_mut(&user_id)
                .ok_or_else(|| DriverError::NotFound(format!("user {user_id}")))?;
            u.avatar.clone_from(&hash);
            if let (Some(h), Some(bytes)) = (&hash, png) {
                st.extra.cdn.insert(format!("avatars/{user_id}/{h}"), bytes);
            }
            let updates: Vec<(Id, serde_json::Value)> = st
                .members
                .values()
                .filter(|m| m.user_id == user_id)
                .map(|m| (m.guild_id, payloads::member_update(&st, m)))
                .collect();
            (hash, updates)
        };
        for (gid, data) in updates {
            self.dispatch(
                "GUILD_MEMBER_UPDATE",
                &data,
                intents::GUILD_MEMBERS,
                Some(gid),
            );
        }
        Ok(hash)
    }

    /// Give a guild a banner (PNG bytes; `None` removes it), served at
    /// `/cdn/banners/{guild}/{hash}.png`; dispatches GUILD_UPDATE. Returns the hash.
    pub fn set_guild_banner(
        &self,
        guild_id: Id,
        png: Option<Vec<u8>>,
    ) -> Result<Option<String>, DriverError> {
        let (hash, v) = {
            let mut st = self.inner.state.lock();
            let hash = png.as_ref().map(|b| picture_hash(b));
            let g = st
                .guilds
                .get_mut(&guild_id)
                .ok_or_else(|| DriverError::NotFound(format!("guild {guild_id}")))?;
            g.banner.clone_from(&hash);
            let g = g.clone();
            if let (Some(h), Some(bytes)) = (&hash, png) {
                st.extra
                    .cdn
                    .insert(format!("banners/{guild_id}/{h}"), bytes);
            }
            (hash, payloads::guild(&st, &g))
        };
        self.dispatch("GUILD_UPDATE", &v, intents::GUILDS, Some(guild_id));
        Ok(hash)
    }
}

/// A picture's hash as Discord writes it: 32 hex digits, from the bytes (the same picture
/// keeps its hash, a new one gets a new hash and so a new URL).
fn picture_hash(bytes: &[u8]) -> String {
    use std::hash::{Hash, Hasher};
    let mut a = std::collections::hash_map::DefaultHasher::new();
    bytes.hash(&mut a);
    let mut b = std::collections::hash_map::DefaultHasher::new();
    (bytes.len(), a.finish()).hash(&mut b);
    format!("{:016x}{:016x}", a.finish(), b.finish())
}
