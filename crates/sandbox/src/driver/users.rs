//! What users do: send, edit and delete messages (with files), DMs, replies, reactions, voice,
//! typing.

use chrono::Utc;

use crate::hub::{Gate, intents};
use crate::payloads;
use crate::perms::{self, bits};
use crate::rest::parse_mentions;
use crate::state::{ChannelKind, Id, Message, Reaction, VoiceState};

use super::world::channel;
use super::*;

impl Sandbox {
    fn user_message(
        &self,
        user_id: Id,
        channel_id: Id,
        content: &str,
        reply_to: Option<Id>,
    ) -> Result<Id, DriverError> {
        self.user_message_files(user_id, channel_id, content, reply_to, &[])
    }

    /// A user sends a message with files (`(filename, bytes)`); they are served at
    /// `http://127.0.0.1:PORT/attachments/...` like Discord's CDN.
    pub fn send_message_with_files(
        &self,
        user_id: Id,
        channel_id: Id,
        content: &str,
        files: &[(&str, &[u8])],
    ) -> Result<Id, DriverError> {
        self.user_message_files(user_id, channel_id, content, None, files)
    }

    fn user_message_files(
        &self,
        user_id: Id,
        channel_id: Id,
        content: &str,
        reply_to: Option<Id>,
        files: &[(&str, &[u8])],
    ) -> Result<Id, DriverError> {
        let attachments: Vec<crate::state::Attachment> = files
            .iter()
            .map(|(name, data)| {
                let id = self.snowflake();
                crate::state::Attachment {
                    id,
                    filename: (*name).to_owned(),
                    size: data.len() as u64,
                    url: format!(
                        "{}/attachments/{channel_id}/{id}/{name}",
                        self.inner.base_url
                    ),
                    content_type: guess_mime(name),
                    description: None,
                    data: data.to_vec(),
                }
            })
            .collect();
        let (msg, data, gate) = {
            let mut st = self.inner.state.lock();
            let ch = st
                .channels
                .get(&channel_id)
                .ok_or_else(|| DriverError::NotFound(format!("channel {channel_id}")))?
                .clone();
            if !st.users.contains_key(&user_id) {
                return Err(DriverError::NotFound(format!("user {user_id}")));
            }
            if ch.guild_id.is_some() {
                let p = perms::channel_permissions(&st, channel_id, user_id);
                let need = if ch.kind.is_thread() {
                    bits::SEND_MESSAGES_IN_THREADS
                } else {
                    bits::SEND_MESSAGES
                };
                if p & bits::VIEW_CHANNEL == 0 || p & need == 0 {
                    return Err(DriverError::MissingPermission("SEND_MESSAGES"));
                }
            }
            let (mentions, mention_roles, everyone) = parse_mentions(content);
            let msg = Message {
                id: self.snowflake(),
                channel_id,
                guild_id: ch.guild_id,
                author_id: user_id,
                content: content.to_owned(),
                embeds: vec![],
                components: vec![],
                attachments,
                reactions: vec![],
                timestamp: Utc::now(),
                edited_timestamp: None,
                flags: 0,
                kind: if reply_to.is_some() { 19 } else { 0 },
                tts: false,
                pinned: false,
                reference: reply_to,
                interaction: None,
                webhook_id: None,
                visible_to: None,
                mentions,
                mention_roles,
                mention_everyone: everyone,
            };
            if let Some(c) = st.channels.get_mut(&channel_id) {
                c.last_message_id = Some(msg.id);
            }
            st.messages.insert(msg.id, msg.clone());
            let mentions_bot = msg.mentions.contains(&st.bot_id)
                || reply_to
                    .and_then(|r| st.messages.get(&r))
                    .is_some_and(|r| r.author_id == st.bot_id);
            let gate = Gate {
                intent: Some(if ch.guild_id.is_some() {
                    intents::GUILD_MESSAGES
                } else {
                    intents::DIRECT_MESSAGES
                }),
                guild_id: ch.guild_id,
                content_gated: ch.guild_id.is_some() && !mentions_bot,
            };
            (msg.id, payloads::message(&st, &msg, true), gate)
        };
        self.inner.dispatch("MESSAGE_CREATE", &data, gate);
        Ok(msg)
    }

    /// A user sends a message in a channel (dispatches MESSAGE_CREATE; content is blanked for bots
    /// without the MESSAGE_CONTENT intent unless the bot is mentioned). Returns the message id.
    ///
    /// # Panics
    /// If the channel or user does not exist or the user may not send there; use
    /// [`Sandbox::try_send_message`] to get the error instead.
    pub fn send_message(&self, user_id: Id, channel_id: Id, content: &str) -> Id {
        self.try_send_message(user_id, channel_id, content)
            .expect("send_message")
    }

    /// Like [`Sandbox::send_message`], returning an error when the user cannot send.
    pub fn try_send_message(
        &self,
        user_id: Id,
        channel_id: Id,
        content: &str,
    ) -> Result<Id, DriverError> {
        self.user_message(user_id, channel_id, content, None)
    }

    /// A user replies to a message.
    pub fn reply_to(&self, user_id: Id, message_id: Id, content: &str) -> Result<Id, DriverError> {
        let cid = self
            .message(message_id)
            .ok_or_else(|| DriverError::NotFound(format!("message {message_id}")))?
            .channel_id;
        self.user_message(user_id, cid, content, Some(message_id))
    }

    /// The DM channel between the bot and a user, opening it if needed.
    pub fn dm_channel(&self, user_id: Id) -> Id {
        let mut st = self.inner.state.lock();
        if let Some(c) = st.dm_channel(user_id) {
            return c.id;
        }
        let id = self.inner.snowflake();
        let mut ch = channel(id, None, "", ChannelKind::Dm, 0, None);
        ch.recipients = vec![user_id];
        st.channels.insert(id, ch);
        id
    }

    /// A user sends a DM to the bot. Returns the message id.
    pub fn send_dm(&self, user_id: Id, content: &str) -> Id {
        let cid = self.dm_channel(user_id);
        self.user_message(user_id, cid, content, None)
            .expect("send_dm")
    }

    /// A user edits their message (dispatches MESSAGE_UPDATE).
    pub fn edit_user_message(&self, message_id: Id, content: &str) {
        let (data, gate) = {
            let mut st = self.inner.state.lock();
            let bot = st.bot_id;
            let Some(m) = st.messages.get_mut(&message_id) else {
                return;
            };
            m.content = content.to_owned();
            m.edited_timestamp = Some(Utc::now());
            let (u, r, e) = parse_mentions(content);
            m.mentions = u;
            m.mention_roles = r;
            m.mention_everyone = e;
            let m = m.clone();
            let gate = Gate {
                intent: Some(if m.guild_id.is_some() {
                    intents::GUILD_MESSAGES
                } else {
                    intents::DIRECT_MESSAGES
                }),
                guild_id: m.guild_id,
                content_gated: m.guild_id.is_some() && !m.mentions.contains(&bot),
            };
            (payloads::message(&st, &m, true), gate)
        };
        self.inner.dispatch("MESSAGE_UPDATE", &data, gate);
    }

    /// A user deletes their message (dispatches MESSAGE_DELETE).
    pub fn delete_user_message(&self, message_id: Id) {
        let Some(m) = self.inner.state.lock().messages.remove(&message_id) else {
            return;
        };
        let intent = if m.guild_id.is_some() {
            intents::GUILD_MESSAGES
        } else {
            intents::DIRECT_MESSAGES
        };
        self.dispatch(
            "MESSAGE_DELETE",
            &payloads::message_delete(m.id, m.channel_id, m.guild_id),
            intent,
            m.guild_id,
        );
    }

    /// A user adds a reaction (`"👍"` or `"name:id"`). Dispatches MESSAGE_REACTION_ADD.
    pub fn react(&self, user_id: Id, message_id: Id, emoji: &str) {
        let (data, gid) = {
            let mut st = self.inner.state.lock();
            let Some(m) = st.messages.get_mut(&message_id) else {
                return;
            };
            match m.reactions.iter_mut().find(|r| r.emoji == emoji) {
                Some(r) if r.users.contains(&user_id) => return,
                Some(r) => r.users.push(user_id),
                None => m.reactions.push(Reaction {
                    emoji: emoji.to_owned(),
                    users: vec![user_id],
                }),
            }
            let m = m.clone();
            (
                payloads::reaction_event(&st, &m, user_id, emoji, true),
                m.guild_id,
            )
        };
        let intent = if gid.is_some() {
            intents::GUILD_MESSAGE_REACTIONS
        } else {
            intents::DIRECT_MESSAGE_REACTIONS
        };
        self.dispatch("MESSAGE_REACTION_ADD", &data, intent, gid);
    }

    /// A user removes their reaction. Dispatches MESSAGE_REACTION_REMOVE.
    pub fn unreact(&self, user_id: Id, message_id: Id, emoji: &str) {
        let (data, gid) = {
            let mut st = self.inner.state.lock();
            let Some(m) = st.messages.get_mut(&message_id) else {
                return;
            };
            let Some(r) = m.reactions.iter_mut().find(|r| r.emoji == emoji) else {
                return;
            };
            r.users.retain(|u| *u != user_id);
            m.reactions.retain(|r| !r.users.is_empty());
            let m = m.clone();
            (
                payloads::reaction_event(&st, &m, user_id, emoji, false),
                m.guild_id,
            )
        };
        let intent = if gid.is_some() {
            intents::GUILD_MESSAGE_REACTIONS
        } else {
            intents::DIRECT_MESSAGE_REACTIONS
        };
        self.dispatch("MESSAGE_REACTION_REMOVE", &data, intent, gid);
    }

    /// A user joins (or moves to) a voice channel. Dispatches VOICE_STATE_UPDATE.
    pub fn join_voice(&self, user_id: Id, guild_id: Id, channel_id: Id) {
        self.set_voice(user_id, guild_id, Some(channel_id));
    }

    /// A user tries to connect to a voice channel as Discord's client would: refused without
    /// View Channel and Connect there, or when the channel's user limit is reached (unless
    /// they have Move Members). Dispatches VOICE_STATE_UPDATE when allowed.
    pub fn try_join_voice(
        &self,
        user_id: Id,
        guild_id: Id,
        channel_id: Id,
    ) -> Result<(), DriverError> {
        {
            let st = self.inner.state.lock();
            let ch = st
                .channels
                .get(&channel_id)
                .filter(|c| c.guild_id == Some(guild_id))
                .ok_or_else(|| DriverError::NotFound(format!("voice channel {channel_id}")))?;
            let perms = crate::perms::channel_permissions(&st, channel_id, user_id);
            let has = |b: u64| perms & crate::perms::bits::ADMINISTRATOR != 0 || perms & b == b;
            if !has(crate::perms::bits::VIEW_CHANNEL | crate::perms::bits::CONNECT) {
                return Err(DriverError::MissingPermission("CONNECT"));
            }
            let inside = st
                .voice_states
                .values()
                .filter(|v| v.channel_id == Some(channel_id) && v.user_id != user_id)
                .count() as u64;
            if ch.user_limit > 0
                && inside >= ch.user_limit
                && !has(crate::perms::bits::MOVE_MEMBERS)
            {
                return Err(DriverError::MissingPermission("channel full"));
            }
        }
        self.set_voice(user_id, guild_id, Some(channel_id));
        Ok(())
    }

    /// A user leaves voice. Dispatches VOICE_STATE_UPDATE with a null channel.
    pub fn leave_voice(&self, user_id: Id, guild_id: Id) {
        self.set_voice(user_id, guild_id, None);
    }

    fn set_voice(&self, user_id: Id, guild_id: Id, channel_id: Option<Id>) {
        let data = {
            let mut st = self.inner.state.lock();
            let vs = VoiceState {
                guild_id,
                user_id,
                channel_id,
                session_id: format!("{:032x}", rand::random::<u128>()),
                self_mute: false,
                self_deaf: false,
            };
            let d = payloads::voice_state(&st, &vs);
            if channel_id.is_some() {
                st.voice_states.insert((guild_id, user_id), vs);
            } else {
                st.voice_states.remove(&(guild_id, user_id));
            }
            d
        };
        self.dispatch(
            "VOICE_STATE_UPDATE",
            &data,
            intents::GUILD_VOICE_STATES,
            Some(guild_id),
        );
    }

    /// A user starts typing (TYPING_START).
    pub fn typing(&self, user_id: Id, channel_id: Id) {
        let gid = self.channel(channel_id).and_then(|c| c.guild_id);
        let intent = if gid.is_some() {
            intents::GUILD_MESSAGE_TYPING
        } else {
            intents::DIRECT_MESSAGE_TYPING
        };
        self.dispatch(
            "TYPING_START",
            &payloads::typing_start(channel_id, gid, user_id),
            intent,
            gid,
        );
    }
}

fn guess_mime(name: &str) -> Option<String> {
    let ext = name.rsplit('.').next()?.to_ascii_lowercase();
    Some(
        match ext.as_str() {
            "png" => "image/png",
            "jpg" | "jpeg" => "image/jpeg",
            "gif" => "image/gif",
            "txt" => "text/plain; charset=utf-8",
            "json" => "application/json",
            "mp3" => "audio/mpeg",
            _ => return None,
        }
        .to_owned(),
    )
}
