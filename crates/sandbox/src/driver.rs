//! The driver API: start a sandbox, build a world, act as users, wait for the bot.

use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::Duration;

use chrono::Utc;
use serde_json::{Value, json};
use tokio::time::Instant;

use crate::hub::{
    FeedItem, FeedKind, Gate, Inner, Out, RestCall, RestFault, SandboxConfig, intents,
};
use crate::payloads;
use crate::perms::{self, bits};
use crate::rest::{new_member, parse_mentions};
use crate::state::{
    Channel, ChannelKind, Command, Guild, Id, Interaction, InteractionResponse, InteractionStatus,
    Member, Message, Overwrite, Reaction, Role, State, User, VoiceState,
};

/// Why a `wait_for_*` call returned without a result.
#[derive(Debug, thiserror::Error, PartialEq)]
pub enum WaitError {
    /// Nothing happened before the timeout.
    #[error("timed out after {0:?} waiting for {1}")]
    Timeout(Duration, String),
    /// The bot did not acknowledge the interaction within the ack window; the user sees
    /// "The application did not respond".
    #[error("The application did not respond")]
    NoResponse,
}

/// Why a driver action was refused (the Discord client would not let the user do it).
#[derive(Debug, thiserror::Error, PartialEq)]
pub enum DriverError {
    /// No such registered command (for this guild or globally).
    #[error("unknown command /{0} (registered: {1})")]
    UnknownCommand(String, String),
    /// Option not in the command's schema.
    #[error("unknown option `{0}`")]
    UnknownOption(String),
    /// A required option was not given.
    #[error("missing required option `{0}`")]
    MissingOption(String),
    /// The command has subcommands; name one with [`CommandCall::sub`].
    #[error("command needs a subcommand")]
    SubcommandRequired,
    /// No such subcommand (group).
    #[error("unknown subcommand `{0}`")]
    UnknownSubcommand(String),
    /// A value does not fit the option's type or choices.
    #[error("invalid value for `{0}`: {1}")]
    InvalidValue(String, String),
    /// Unknown message / channel / user / component.
    #[error("not found: {0}")]
    NotFound(String),
    /// The component is disabled (or a link button).
    #[error("component `{0}` cannot be used")]
    Disabled(String),
    /// The user lacks a permission for this action.
    #[error("user lacks permission: {0}")]
    MissingPermission(&'static str),
    /// The interaction did not open a modal.
    #[error("that interaction was not answered with a modal")]
    NoModal,
}

/// Ids created by [`Sandbox::create_guild`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct GuildSetup {
    /// Guild id (also the `@everyone` role id).
    pub id: Id,
    /// The owner (a human user named `owner`).
    pub owner_id: Id,
    /// `@everyone` role id (= guild id).
    pub everyone_role: Id,
    /// The bot's managed role (permissions: [`bits::DEFAULT_BOT`]).
    pub bot_role: Id,
    /// `#general` text channel.
    pub general: Id,
    /// `General` voice channel.
    pub voice: Id,
}

/// A value for a slash-command option; its Discord type comes from the registered schema.
#[derive(Clone, Debug, PartialEq)]
pub enum OptValue {
    /// String (also accepted for any type and parsed).
    Str(String),
    /// Integer.
    Int(i64),
    /// Number.
    Num(f64),
    /// Boolean.
    Bool(bool),
    /// A snowflake (user, channel, role, mentionable).
    Id(Id),
}

impl From<&str> for OptValue {
    fn from(v: &str) -> Self {
        OptValue::Str(v.to_owned())
    }
}
impl From<String> for OptValue {
    fn from(v: String) -> Self {
        OptValue::Str(v)
    }
}
impl From<i64> for OptValue {
    fn from(v: i64) -> Self {
        OptValue::Int(v)
    }
}
impl From<i32> for OptValue {
    fn from(v: i32) -> Self {
        OptValue::Int(v.into())
    }
}
impl From<f64> for OptValue {
    fn from(v: f64) -> Self {
        OptValue::Num(v)
    }
}
impl From<bool> for OptValue {
    fn from(v: bool) -> Self {
        OptValue::Bool(v)
    }
}
impl From<u64> for OptValue {
    fn from(v: u64) -> Self {
        OptValue::Id(v)
    }
}

/// A slash-command invocation: `CommandCall::new("config").sub("set").opt("key", "x")`.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct CommandCall {
    /// Command name.
    pub name: String,
    /// Subcommand group / subcommand names.
    pub path: Vec<String>,
    /// Options (name, value).
    pub options: Vec<(String, OptValue)>,
    /// For autocomplete: the focused option.
    pub focused: Option<String>,
}

impl CommandCall {
    /// `/name`.
    pub fn new(name: &str) -> Self {
        Self {
            name: name.to_owned(),
            ..Self::default()
        }
    }
    /// Add a subcommand group or subcommand (call twice for `group sub`).
    #[allow(clippy::should_implement_trait)]
    pub fn sub(mut self, name: &str) -> Self {
        self.path.push(name.to_owned());
        self
    }
    /// Add an option.
    pub fn opt(mut self, name: &str, value: impl Into<OptValue>) -> Self {
        self.options.push((name.to_owned(), value.into()));
        self
    }
    /// Mark the option being typed (autocomplete); add it with [`CommandCall::opt`] too.
    pub fn focus(mut self, name: &str) -> Self {
        self.focused = Some(name.to_owned());
        self
    }
}

struct ServerGuard(tokio::task::JoinHandle<()>);

impl Drop for ServerGuard {
    fn drop(&mut self) {
        self.0.abort();
    }
}

/// A running sandbox. Cheap to clone; the server stops when the last clone is dropped.
#[derive(Clone)]
pub struct Sandbox {
    inner: Arc<Inner>,
    _server: Arc<ServerGuard>,
    bot_id: Id,
}

impl std::fmt::Debug for Sandbox {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Sandbox")
            .field("base_url", &self.inner.base_url)
            .finish()
    }
}

const CURSOR_CREATED: u8 = 0;
const CURSOR_EDITED: u8 = 1;
const CURSOR_DELETED: u8 = 2;
const CURSOR_FOLLOWUP: u8 = 3;
const CURSOR_EPHEMERAL: u8 = 5;

impl Sandbox {
    /// Start a sandbox on `127.0.0.1:0` with default settings.
    pub async fn start() -> std::io::Result<Sandbox> {
        Self::start_with(SandboxConfig::default()).await
    }

    /// Start a sandbox with custom settings (e.g. a shorter interaction ack window).
    pub async fn start_with(config: SandboxConfig) -> std::io::Result<Sandbox> {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
        let addr = listener.local_addr()?;
        let token = format!(
            "MTk4NjIyNDgzNDcxOTI1MjQ4.sandbox.{:016x}",
            rand::random::<u64>()
        );
        let inner = Arc::new(Inner::new(config, format!("http://{addr}"), token));
        let bot_id = {
            let mut st = inner.state.lock();
            st.bot_id = inner.snowflake();
            st.application_id = st.bot_id;
            let bot = User {
                id: st.bot_id,
                name: inner.config.bot_name.clone(),
                global_name: None,
                bot: true,
            };
            st.users.insert(bot.id, bot);
            st.bot_id
        };
        let app = axum::Router::new()
            .route(
                "/gateway-ws",
                axum::routing::any(crate::gateway::ws_handler),
            )
            .fallback(crate::rest::handle)
            .with_state(inner.clone());
        // TCP_NODELAY on every accepted socket (REST and gateway share this listener): with
        // Nagle's algorithm a small frame that follows an unacknowledged one waits for the peer's
        // delayed ACK (~40 ms), which Discord's edge does not do.
        let listener = axum::serve::ListenerExt::tap_io(listener, |tcp| {
            if let Err(e) = tcp.set_nodelay(true) {
                tracing::warn!("could not set TCP_NODELAY: {e}");
            }
        });
        let handle = tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        Ok(Sandbox {
            inner,
            _server: Arc::new(ServerGuard(handle)),
            bot_id,
        })
    }

    // ----- connection info -----

    /// `http://127.0.0.1:PORT`: pass to serenity's `HttpBuilder::proxy` (with the rate limiter disabled).
    pub fn base_url(&self) -> &str {
        &self.inner.base_url
    }

    /// The bot token the sandbox accepts (`Authorization: Bot <token>` and IDENTIFY).
    pub fn token(&self) -> &str {
        &self.inner.token
    }

    /// The application id (equal to the bot user id, as on Discord).
    pub fn application_id(&self) -> Id {
        self.bot_id
    }

    /// The bot's user id.
    pub fn bot_id(&self) -> Id {
        self.bot_id
    }

    /// The websocket URL returned by `GET /gateway`.
    pub fn gateway_url(&self) -> String {
        self.inner.gateway_url()
    }

    /// The configuration in use.
    pub fn config(&self) -> &SandboxConfig {
        &self.inner.config
    }

    // ----- building the world -----

    fn snowflake(&self) -> Id {
        self.inner.snowflake()
    }

    fn dispatch(&self, event: &str, data: &Value, intent: u64, guild_id: Option<Id>) {
        self.inner.dispatch(
            event,
            data,
            Gate {
                intent: Some(intent),
                guild_id,
                content_gated: false,
            },
        );
    }

    /// Create a human user.
    pub fn create_user(&self, name: &str) -> Id {
        let id = self.snowflake();
        self.inner.state.lock().users.insert(
            id,
            User {
                id,
                name: name.to_owned(),
                global_name: None,
                bot: false,
            },
        );
        id
    }

    /// Create a guild with an owner, `@everyone` (Discord's default permissions), the bot as a
    /// member with a managed role ([`bits::DEFAULT_BOT`]), `#general` and a `General` voice channel.
    /// Connected bots receive GUILD_CREATE.
    pub fn create_guild(&self, name: &str) -> GuildSetup {
        let gid = self.snowflake();
        let owner = self.create_user("owner");
        let bot_role = self.snowflake();
        let general = self.snowflake();
        let voice = self.snowflake();
        let data = {
            let mut st = self.inner.state.lock();
            let bot = st.bot_id;
            let bot_name = st.users[&bot].name.clone();
            st.guilds.insert(
                gid,
                Guild {
                    id: gid,
                    name: name.to_owned(),
                    owner_id: owner,
                    locale: "en-US".into(),
                },
            );
            st.roles.insert(
                gid,
                role(gid, gid, "@everyone", bits::DEFAULT_EVERYONE, 0, false),
            );
            let mut br = role(bot_role, gid, &bot_name, bits::DEFAULT_BOT, 1, true);
            br.bot_id = Some(bot);
            st.roles.insert(bot_role, br);
            st.members.insert((gid, owner), new_member(gid, owner));
            let mut bm = new_member(gid, bot);
            bm.roles.push(bot_role);
            st.members.insert((gid, bot), bm);
            st.channels.insert(
                general,
                channel(general, Some(gid), "general", ChannelKind::Text, 0, None),
            );
            st.channels.insert(
                voice,
                channel(voice, Some(gid), "General", ChannelKind::Voice, 1, None),
            );
            payloads::guild_create(&st, &st.guilds[&gid])
        };
        self.dispatch("GUILD_CREATE", &data, intents::GUILDS, Some(gid));
        GuildSetup {
            id: gid,
            owner_id: owner,
            everyone_role: gid,
            bot_role,
            general,
            voice,
        }
    }

    /// Remove the bot from a guild (kicked, or the guild was deleted): the guild and everything in
    /// it disappear and connected bots receive GUILD_DELETE (`unavailable` absent).
    pub fn remove_bot_from_guild(&self, guild_id: Id) {
        {
            let mut st = self.inner.state.lock();
            st.guilds.remove(&guild_id);
            st.roles.retain(|_, r| r.guild_id != guild_id);
            st.members.retain(|(g, _), _| *g != guild_id);
            let chans: Vec<Id> = st
                .channels
                .values()
                .filter(|c| c.guild_id == Some(guild_id))
                .map(|c| c.id)
                .collect();
            st.channels.retain(|_, c| c.guild_id != Some(guild_id));
            st.messages.retain(|_, m| !chans.contains(&m.channel_id));
            st.voice_states.retain(|(g, _), _| *g != guild_id);
            st.commands.retain(|_, c| c.guild_id != Some(guild_id));
        }
        self.dispatch(
            "GUILD_DELETE",
            &json!({"id": guild_id.to_string()}),
            intents::GUILDS,
            Some(guild_id),
        );
    }

    /// Create a role (placed above `@everyone`, below existing roles). Dispatches GUILD_ROLE_CREATE.
    pub fn create_role(&self, guild_id: Id, name: &str, permissions: u64) -> Id {
        let id = self.snowflake();
        let data = {
            let mut st = self.inner.state.lock();
            let r = role(id, guild_id, name, permissions, 1, false);
            for other in st
                .roles
                .values_mut()
                .filter(|r| r.guild_id == guild_id && r.position >= 1)
            {
                other.position += 1;
            }
            st.roles.insert(id, r.clone());
            payloads::role_event(&r)
        };
        self.dispatch("GUILD_ROLE_CREATE", &data, intents::GUILDS, Some(guild_id));
        id
    }

    /// Change a role (dispatches GUILD_ROLE_UPDATE).
    pub fn update_role(&self, role_id: Id, f: impl FnOnce(&mut Role)) {
        let data = {
            let mut st = self.inner.state.lock();
            let Some(r) = st.roles.get_mut(&role_id) else {
                return;
            };
            f(r);
            payloads::role_event(r)
        };
        let gid = data["guild_id"].as_str().and_then(|s| s.parse().ok());
        self.dispatch("GUILD_ROLE_UPDATE", &data, intents::GUILDS, gid);
    }

    /// Set a role's permission bits.
    pub fn set_role_permissions(&self, role_id: Id, permissions: u64) {
        self.update_role(role_id, |r| r.permissions = permissions);
    }

    /// Set the permissions of the bot's managed role in a guild.
    pub fn set_bot_permissions(&self, guild_id: Id, permissions: u64) {
        let rid = {
            let st = self.inner.state.lock();
            st.roles
                .values()
                .find(|r| r.guild_id == guild_id && r.managed)
                .map(|r| r.id)
        };
        if let Some(rid) = rid {
            self.set_role_permissions(rid, permissions);
        }
    }

    /// Create a guild channel (text, voice, category, …) at the end. Dispatches CHANNEL_CREATE.
    pub fn create_channel(&self, guild_id: Id, name: &str, kind: ChannelKind) -> Id {
        self.create_channel_in(guild_id, name, kind, None)
    }

    /// Create a guild channel under a category (or a thread under a channel).
    pub fn create_channel_in(
        &self,
        guild_id: Id,
        name: &str,
        kind: ChannelKind,
        parent: Option<Id>,
    ) -> Id {
        let id = self.snowflake();
        let data = {
            let mut st = self.inner.state.lock();
            let pos = st.guild_channels(guild_id).len() as i64;
            let mut ch = channel(id, Some(guild_id), name, kind, pos, parent);
            if kind.is_thread() {
                ch.owner_id = Some(st.guilds.get(&guild_id).map_or(0, |g| g.owner_id));
            }
            st.channels.insert(id, ch.clone());
            payloads::channel(&st, &ch)
        };
        let ev = if kind.is_thread() {
            "THREAD_CREATE"
        } else {
            "CHANNEL_CREATE"
        };
        self.dispatch(ev, &data, intents::GUILDS, Some(guild_id));
        id
    }

    /// Add or replace a permission overwrite on a channel. Dispatches CHANNEL_UPDATE.
    pub fn set_overwrite(&self, channel_id: Id, overwrite: Overwrite) {
        let (data, gid) = {
            let mut st = self.inner.state.lock();
            let Some(ch) = st.channels.get_mut(&channel_id) else {
                return;
            };
            ch.overwrites.retain(|o| o.id != overwrite.id);
            ch.overwrites.push(overwrite);
            let ch = ch.clone();
            (payloads::channel(&st, &ch), ch.guild_id)
        };
        self.dispatch("CHANNEL_UPDATE", &data, intents::GUILDS, gid);
    }

    /// Make a user join a guild. Dispatches GUILD_MEMBER_ADD (needs the GUILD_MEMBERS intent).
    pub fn add_member(&self, guild_id: Id, user_id: Id) {
        let data = {
            let mut st = self.inner.state.lock();
            let m = new_member(guild_id, user_id);
            st.members.insert((guild_id, user_id), m.clone());
            payloads::member_with_guild(&st, &m)
        };
        self.dispatch(
            "GUILD_MEMBER_ADD",
            &data,
            intents::GUILD_MEMBERS,
            Some(guild_id),
        );
    }

    /// A user joins a guild through an invite code: counts a use (deleting the invite when
    /// `max_uses` is reached, with INVITE_DELETE) and dispatches GUILD_MEMBER_ADD.
    /// Banned users and expired invites are refused.
    pub fn join_via_invite(&self, user_id: Id, code: &str) -> Result<Id, DriverError> {
        let (gid, ended) = {
            let mut st = self.inner.state.lock();
            let inv = st
                .invites
                .get(code)
                .cloned()
                .ok_or_else(|| DriverError::NotFound(format!("invite {code}")))?;
            let expired = inv.max_age > 0
                && Utc::now() > inv.created_at + chrono::Duration::seconds(inv.max_age as i64);
            if expired {
                st.invites.remove(code);
                return Err(DriverError::NotFound(format!("invite {code} (expired)")));
            }
            if st.bans.contains_key(&(inv.guild_id, user_id)) {
                return Err(DriverError::MissingPermission("banned from this guild"));
            }
            let i = st.invites.get_mut(code).expect("exists");
            i.uses += 1;
            let ended = (i.max_uses > 0 && i.uses >= i.max_uses).then(|| i.clone());
            if ended.is_some() {
                st.invites.remove(code);
            }
            (inv.guild_id, ended)
        };
        if !self.with_state(|st| st.members.contains_key(&(gid, user_id))) {
            self.add_member(gid, user_id);
        }
        if let Some(inv) = ended {
            self.dispatch(
                "INVITE_DELETE",
                &payloads::invite_delete(&inv),
                intents::GUILD_INVITES,
                Some(gid),
            );
        }
        Ok(gid)
    }

    /// Make a user leave a guild. Dispatches GUILD_MEMBER_REMOVE.
    pub fn remove_member(&self, guild_id: Id, user_id: Id) {
        let data = {
            let mut st = self.inner.state.lock();
            st.members.remove(&(guild_id, user_id));
            payloads::member_remove(&st, guild_id, user_id)
        };
        self.dispatch(
            "GUILD_MEMBER_REMOVE",
            &data,
            intents::GUILD_MEMBERS,
            Some(guild_id),
        );
    }

    /// Give a member a role. Dispatches GUILD_MEMBER_UPDATE.
    pub fn give_role(&self, guild_id: Id, user_id: Id, role_id: Id) {
        let data = {
            let mut st = self.inner.state.lock();
            let Some(m) = st.members.get_mut(&(guild_id, user_id)) else {
                return;
            };
            if !m.roles.contains(&role_id) {
                m.roles.push(role_id);
            }
            let m = m.clone();
            payloads::member_update(&st, &m)
        };
        self.dispatch(
            "GUILD_MEMBER_UPDATE",
            &data,
            intents::GUILD_MEMBERS,
            Some(guild_id),
        );
    }

    /// Whether a user refuses DMs from the bot (sending then fails with 403 / 50007).
    pub fn set_dms_closed(&self, user_id: Id, closed: bool) {
        let mut st = self.inner.state.lock();
        if closed {
            st.dm_closed.insert(user_id);
        } else {
            st.dm_closed.remove(&user_id);
        }
    }

    // ----- users act -----

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

    // ----- interactions -----

    fn new_interaction(
        &self,
        kind: u8,
        user_id: Id,
        channel_id: Id,
        data: Value,
        message_id: Option<Id>,
        command_name: &str,
    ) -> Result<Interaction, DriverError> {
        let (i, payload) = {
            let mut st = self.inner.state.lock();
            let ch = st
                .channels
                .get(&channel_id)
                .ok_or_else(|| DriverError::NotFound(format!("channel {channel_id}")))?;
            let guild_id = ch.guild_id;
            if !st.users.contains_key(&user_id) {
                return Err(DriverError::NotFound(format!("user {user_id}")));
            }
            if let Some(g) = guild_id {
                if !st.members.contains_key(&(g, user_id)) {
                    return Err(DriverError::NotFound(format!(
                        "member {user_id} of guild {g}"
                    )));
                }
            }
            let id = self.inner.snowflake();
            let token = format!("aW50ZXJhY3Rpb246{id}:{:064x}", rand::random::<u128>());
            let i = Interaction {
                id,
                token,
                kind,
                user_id,
                channel_id,
                guild_id,
                data,
                message_id,
                command_name: command_name.to_owned(),
                created: std::time::Instant::now(),
                status: InteractionStatus::Pending,
                original_message: None,
            };
            st.interactions.insert(id, i.clone());
            (i.clone(), payloads::interaction(&st, &i))
        };
        self.inner.dispatch(
            "INTERACTION_CREATE",
            &payload,
            Gate {
                intent: None,
                guild_id: i.guild_id,
                content_gated: false,
            },
        );
        Ok(i)
    }

    fn find_command(
        &self,
        st: &State,
        guild_id: Option<Id>,
        name: &str,
        kind: u8,
    ) -> Result<Command, DriverError> {
        st.commands
            .values()
            .find(|c| {
                c.name == name && c.kind == kind && c.guild_id.is_some() && c.guild_id == guild_id
            })
            .or_else(|| {
                st.commands
                    .values()
                    .find(|c| c.name == name && c.kind == kind && c.guild_id.is_none())
            })
            .cloned()
            .ok_or_else(|| {
                DriverError::UnknownCommand(
                    name.to_owned(),
                    st.commands
                        .values()
                        .map(|c| c.name.clone())
                        .collect::<Vec<_>>()
                        .join(", "),
                )
            })
    }

    fn command_data(
        &self,
        user_id: Id,
        channel_id: Id,
        call: &CommandCall,
        autocomplete: bool,
    ) -> Result<Value, DriverError> {
        let st = self.inner.state.lock();
        let guild_id = st.channels.get(&channel_id).and_then(|c| c.guild_id);
        let cmd = self.find_command(&st, guild_id, &call.name, 1)?;
        check_command_allowed(&st, &cmd, guild_id, user_id)?;
        let mut res = Resolved::default();
        let defs = cmd.json["options"].as_array().cloned().unwrap_or_default();
        let options = build_options(&defs, &call.path, call, autocomplete, &mut res)?;
        let mut data =
            json!({"id": cmd.id.to_string(), "name": cmd.name, "type": 1, "options": options});
        if let Some(g) = cmd.guild_id {
            data["guild_id"] = json!(g.to_string());
        }
        if !res.is_empty() {
            data["resolved"] =
                payloads::resolved(&st, guild_id, &res.users, &res.roles, &res.channels);
        }
        Ok(data)
    }

    /// A user runs a slash command registered by the bot (guild commands take precedence over
    /// global ones). Option types come from the registered schema, so `.opt("count", 3)` and
    /// `.opt("count", "3")` both work for an integer option. Dispatches INTERACTION_CREATE.
    pub fn run_command(
        &self,
        user_id: Id,
        channel_id: Id,
        call: CommandCall,
    ) -> Result<Interaction, DriverError> {
        let data = self.command_data(user_id, channel_id, &call, false)?;
        let mut name = call.name.clone();
        for p in &call.path {
            name.push(' ');
            name.push_str(p);
        }
        self.new_interaction(2, user_id, channel_id, data, None, &name)
    }

    /// A user types into an option with autocomplete (`call.focus("option")`). The bot answers
    /// with callback type 8; read the choices with [`Sandbox::wait_for_response`].
    pub fn autocomplete(
        &self,
        user_id: Id,
        channel_id: Id,
        call: CommandCall,
    ) -> Result<Interaction, DriverError> {
        let data = self.command_data(user_id, channel_id, &call, true)?;
        self.new_interaction(4, user_id, channel_id, data, None, &call.name)
    }

    /// A user runs a context-menu command on another user (type 2 command).
    pub fn run_user_command(
        &self,
        user_id: Id,
        channel_id: Id,
        name: &str,
        target: Id,
    ) -> Result<Interaction, DriverError> {
        let data = {
            let st = self.inner.state.lock();
            let gid = st.channels.get(&channel_id).and_then(|c| c.guild_id);
            let cmd = self.find_command(&st, gid, name, 2)?;
            json!({"id": cmd.id.to_string(), "name": name, "type": 2, "target_id": target.to_string(),
                   "resolved": payloads::resolved(&st, gid, &[target], &[], &[])})
        };
        self.new_interaction(2, user_id, channel_id, data, None, name)
    }

    /// A user runs a context-menu command on a message (type 3 command).
    pub fn run_message_command(
        &self,
        user_id: Id,
        name: &str,
        message_id: Id,
    ) -> Result<Interaction, DriverError> {
        let (data, cid) = {
            let st = self.inner.state.lock();
            let m = st
                .messages
                .get(&message_id)
                .ok_or_else(|| DriverError::NotFound(format!("message {message_id}")))?;
            let cmd = self.find_command(&st, m.guild_id, name, 3)?;
            let mut msgs = serde_json::Map::new();
            msgs.insert(message_id.to_string(), payloads::message(&st, m, false));
            (
                json!({"id": cmd.id.to_string(), "name": name, "type": 3, "target_id": message_id.to_string(),
                       "resolved": {"messages": msgs}}),
                m.channel_id,
            )
        };
        self.new_interaction(2, user_id, cid, data, None, name)
    }

    fn visible_message(&self, user_id: Id, message_id: Id) -> Result<Message, DriverError> {
        let m = self
            .message(message_id)
            .ok_or_else(|| DriverError::NotFound(format!("message {message_id}")))?;
        if m.visible_to.is_some_and(|u| u != user_id) {
            return Err(DriverError::NotFound(format!(
                "message {message_id} (ephemeral for someone else)"
            )));
        }
        Ok(m)
    }

    /// A user clicks a button on a message, found by custom_id or by label.
    pub fn click_button(
        &self,
        user_id: Id,
        message_id: Id,
        custom_id_or_label: &str,
    ) -> Result<Interaction, DriverError> {
        let m = self.visible_message(user_id, message_id)?;
        let button = m
            .components
            .iter()
            .flat_map(|row| row["components"].as_array().cloned().unwrap_or_default())
            .filter(|c| c["type"] == 2)
            .find(|c| c["custom_id"] == custom_id_or_label)
            .or_else(|| {
                m.components
                    .iter()
                    .flat_map(|row| row["components"].as_array().cloned().unwrap_or_default())
                    .filter(|c| c["type"] == 2)
                    .find(|c| c["label"] == custom_id_or_label)
            })
            .ok_or_else(|| {
                DriverError::NotFound(format!(
                    "button `{custom_id_or_label}` on message {message_id}"
                ))
            })?;
        if button["disabled"].as_bool().unwrap_or(false) || button["custom_id"].as_str().is_none() {
            return Err(DriverError::Disabled(custom_id_or_label.to_owned()));
        }
        let data = json!({"custom_id": button["custom_id"], "component_type": 2});
        self.new_interaction(3, user_id, m.channel_id, data, Some(message_id), "")
    }

    /// A user picks values from a select menu (string, user, role, mentionable or channel select).
    pub fn select(
        &self,
        user_id: Id,
        message_id: Id,
        custom_id: &str,
        values: &[&str],
    ) -> Result<Interaction, DriverError> {
        let m = self.visible_message(user_id, message_id)?;
        let comp = m
            .component(custom_id)
            .cloned()
            .ok_or_else(|| DriverError::NotFound(format!("select `{custom_id}`")))?;
        let ctype = comp["type"].as_u64().unwrap_or(0);
        if !(3..=8).contains(&ctype) || ctype == 4 {
            return Err(DriverError::NotFound(format!(
                "select `{custom_id}` (component type {ctype})"
            )));
        }
        if comp["disabled"].as_bool().unwrap_or(false) {
            return Err(DriverError::Disabled(custom_id.to_owned()));
        }
        let min = comp["min_values"].as_u64().unwrap_or(1) as usize;
        let max = comp["max_values"].as_u64().unwrap_or(1) as usize;
        if values.len() < min || values.len() > max {
            return Err(DriverError::InvalidValue(
                custom_id.to_owned(),
                format!("pick between {min} and {max} values"),
            ));
        }
        if ctype == 3 {
            for v in values {
                if !comp["options"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .any(|o| o["value"] == *v)
                {
                    return Err(DriverError::InvalidValue(
                        custom_id.to_owned(),
                        format!("`{v}` is not an option"),
                    ));
                }
            }
        }
        let mut data = json!({"custom_id": custom_id, "component_type": ctype, "values": values});
        if ctype != 3 {
            let ids: Vec<Id> = values.iter().filter_map(|v| v.parse().ok()).collect();
            let st = self.inner.state.lock();
            let (users, roles, chans): (Vec<Id>, Vec<Id>, Vec<Id>) = match ctype {
                5 => (ids, vec![], vec![]),
                6 => (vec![], ids, vec![]),
                8 => (vec![], vec![], ids),
                _ => (
                    ids.iter()
                        .copied()
                        .filter(|i| st.users.contains_key(i))
                        .collect(),
                    ids.iter()
                        .copied()
                        .filter(|i| st.roles.contains_key(i))
                        .collect(),
                    vec![],
                ),
            };
            data["resolved"] = payloads::resolved(&st, m.guild_id, &users, &roles, &chans);
        }
        self.new_interaction(3, user_id, m.channel_id, data, Some(message_id), "")
    }

    /// A user submits the modal the bot opened in answer to `opened_by` (callback type 9).
    /// `values` are `(text input custom_id, value)`; inputs not given are sent empty
    /// (an error if the input is required).
    pub fn submit_modal(
        &self,
        user_id: Id,
        opened_by: &Interaction,
        values: &[(&str, &str)],
    ) -> Result<Interaction, DriverError> {
        let i = self
            .interaction(opened_by.id)
            .ok_or_else(|| DriverError::NotFound("interaction".into()))?;
        let InteractionStatus::Responded(InteractionResponse::Modal(modal)) = &i.status else {
            return Err(DriverError::NoModal);
        };
        let mut rows = Vec::new();
        let mut next_id = 0u64;
        for row in modal["components"].as_array().into_iter().flatten() {
            next_id += 1;
            let row_id = next_id;
            let mut comps = Vec::new();
            for input in row["components"].as_array().into_iter().flatten() {
                let cid = input["custom_id"].as_str().unwrap_or("");
                let given = values
                    .iter()
                    .find(|(k, _)| *k == cid)
                    .map(|(_, v)| (*v).to_owned());
                let required = input["required"].as_bool().unwrap_or(true);
                let value = match given {
                    Some(v) => v,
                    None if required => return Err(DriverError::MissingOption(cid.to_owned())),
                    None => String::new(),
                };
                if let Some(maxl) = input["max_length"].as_u64() {
                    if value.chars().count() as u64 > maxl {
                        return Err(DriverError::InvalidValue(
                            cid.to_owned(),
                            format!("longer than {maxl}"),
                        ));
                    }
                }
                next_id += 1;
                comps.push(json!({"type": 4, "id": next_id, "custom_id": cid, "value": value}));
            }
            rows.push(json!({"type": 1, "id": row_id, "components": comps}));
        }
        for (k, _) in values {
            if !rows.iter().any(|r| {
                r["components"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .any(|c| c["custom_id"] == *k)
            }) {
                return Err(DriverError::UnknownOption((*k).to_owned()));
            }
        }
        let data = json!({"custom_id": modal["custom_id"], "components": rows});
        self.new_interaction(
            5,
            user_id,
            i.channel_id,
            data,
            i.message_id,
            &i.command_name,
        )
    }

    // ----- waiting -----

    async fn wait_for<T>(
        &self,
        timeout: Duration,
        what: &str,
        mut f: impl FnMut(&Self) -> Option<T>,
    ) -> Result<T, WaitError> {
        let deadline = Instant::now() + timeout;
        let mut rx = self.inner.changed.subscribe();
        loop {
            rx.borrow_and_update();
            if let Some(v) = f(self) {
                return Ok(v);
            }
            match tokio::time::timeout_at(deadline, rx.changed()).await {
                Ok(Ok(())) => {}
                _ => {
                    if let Some(v) = f(self) {
                        return Ok(v);
                    }
                    return Err(WaitError::Timeout(timeout, what.to_owned()));
                }
            }
        }
    }

    fn next_in_feed(
        &self,
        cursor: u8,
        channel_id: Id,
        pred: impl Fn(&FeedItem) -> bool,
    ) -> Option<Message> {
        let feed = self.inner.feed.lock();
        let mut cursors = self.inner.cursors.lock();
        let start = cursors.get(&(cursor, channel_id)).copied().unwrap_or(0);
        let pos = feed
            .iter()
            .enumerate()
            .skip(start)
            .find(|(_, it)| it.message.channel_id == channel_id && pred(it))?
            .0;
        cursors.insert((cursor, channel_id), pos + 1);
        Some(feed[pos].message.clone())
    }

    /// Wait until the gateway has a bot session that received READY and its GUILD_CREATEs.
    pub async fn wait_for_ready(&self, timeout: Duration) -> Result<(), WaitError> {
        self.wait_for(timeout, "a bot to identify", |s| {
            s.connected_sessions().gt(&0).then_some(())
        })
        .await?;
        // let the client process the READY/GUILD_CREATE burst before events follow
        tokio::time::sleep(Duration::from_millis(50)).await;
        Ok(())
    }

    /// The bot's next new message in a channel (REST create, interaction response or follow-up,
    /// including ephemeral ones: check [`Message::visible_to`]). Each message is returned once:
    /// messages the bot sent before this call are returned first, in order. A deferred
    /// response's "thinking" placeholder is skipped; it is returned once it gets its content
    /// (`@original` edit or first follow-up).
    pub async fn wait_for_message(
        &self,
        channel_id: Id,
        timeout: Duration,
    ) -> Result<Message, WaitError> {
        self.wait_for(
            timeout,
            &format!("a bot message in channel {channel_id}"),
            |s| {
                s.next_in_feed(CURSOR_CREATED, channel_id, |it| {
                    it.kind == FeedKind::Created && it.message.flags & 128 == 0
                })
            },
        )
        .await
    }

    /// The bot's next edit of a message in a channel (REST edit, `@original` edit, type 7 update).
    pub async fn wait_for_edit(
        &self,
        channel_id: Id,
        timeout: Duration,
    ) -> Result<Message, WaitError> {
        self.wait_for(
            timeout,
            &format!("a bot edit in channel {channel_id}"),
            |s| s.next_in_feed(CURSOR_EDITED, channel_id, |it| it.kind == FeedKind::Edited),
        )
        .await
    }

    /// The next message deleted by the bot in a channel (as it was before deletion).
    pub async fn wait_for_deletion(
        &self,
        channel_id: Id,
        timeout: Duration,
    ) -> Result<Message, WaitError> {
        self.wait_for(
            timeout,
            &format!("a bot deletion in channel {channel_id}"),
            |s| {
                s.next_in_feed(CURSOR_DELETED, channel_id, |it| {
                    it.kind == FeedKind::Deleted
                })
            },
        )
        .await
    }

    /// The bot's next DM to a user.
    pub async fn wait_for_dm(&self, user_id: Id, timeout: Duration) -> Result<Message, WaitError> {
        self.wait_for(timeout, &format!("a DM to user {user_id}"), |s| {
            let cid = s.inner.state.lock().dm_channel(user_id).map(|c| c.id)?;
            s.next_in_feed(CURSOR_CREATED, cid, |it| {
                it.kind == FeedKind::Created && it.message.flags & 128 == 0
            })
        })
        .await
    }

    /// The next ephemeral message (interaction response or follow-up) only `user_id` can see.
    pub async fn wait_for_ephemeral(
        &self,
        user_id: Id,
        timeout: Duration,
    ) -> Result<Message, WaitError> {
        self.wait_for(
            timeout,
            &format!("an ephemeral message for user {user_id}"),
            |s| {
                let feed = s.inner.feed.lock();
                let mut cursors = s.inner.cursors.lock();
                let start = cursors
                    .get(&(CURSOR_EPHEMERAL, user_id))
                    .copied()
                    .unwrap_or(0);
                let pos = feed
                    .iter()
                    .enumerate()
                    .skip(start)
                    .find(|(_, it)| {
                        it.kind != FeedKind::Deleted
                            && it.message.visible_to == Some(user_id)
                            && it.message.flags & 128 == 0
                    })?
                    .0;
                cursors.insert((CURSOR_EPHEMERAL, user_id), pos + 1);
                Some(feed[pos].message.clone())
            },
        )
        .await
    }

    /// How the bot acknowledged an interaction. Returns [`WaitError::NoResponse`] once the ack
    /// window (3 s) has passed without a response, as the user would see it.
    pub async fn wait_for_response(
        &self,
        interaction: &Interaction,
        timeout: Duration,
    ) -> Result<InteractionResponse, WaitError> {
        let ack = self.inner.config.interaction_ack_timeout;
        let iid = interaction.id;
        let r = self.wait_for(timeout, "an interaction response", |s| {
            let mut st = s.inner.state.lock();
            let i = st.interactions.get_mut(&iid)?;
            match &i.status {
                InteractionStatus::Responded(r) => Some(Ok(r.clone())),
                InteractionStatus::Failed => Some(Err(WaitError::NoResponse)),
                InteractionStatus::Pending if i.created.elapsed() > ack => {
                    i.status = InteractionStatus::Failed;
                    Some(Err(WaitError::NoResponse))
                }
                InteractionStatus::Pending => None,
            }
        });
        // also wake up when the ack window closes
        let created = interaction.created;
        let window =
            tokio::time::sleep_until(Instant::from_std(created + ack + Duration::from_millis(5)));
        tokio::pin!(r);
        tokio::pin!(window);
        tokio::select! {
            res = &mut r => res?,
            _ = &mut window => {
                let res = self.wait_for(Duration::ZERO, "an interaction response", |s| {
                    let mut st = s.inner.state.lock();
                    let i = st.interactions.get_mut(&iid)?;
                    match &i.status {
                        InteractionStatus::Responded(r) => Some(Ok(r.clone())),
                        _ => {
                            i.status = InteractionStatus::Failed;
                            Some(Err(WaitError::NoResponse))
                        }
                    }
                }).await;
                self.inner.bump();
                res?
            }
        }
    }

    /// What the user finally sees as the answer to an interaction: the response message once it
    /// is no longer "thinking" (after a deferred response, the `@original` edit or first
    /// follow-up), or the updated component message for types 6/7.
    pub async fn wait_for_reply(
        &self,
        interaction: &Interaction,
        timeout: Duration,
    ) -> Result<Message, WaitError> {
        let deadline = Instant::now() + timeout;
        let resp = self.wait_for_response(interaction, timeout).await?;
        let iid = interaction.id;
        let remaining = deadline.saturating_duration_since(Instant::now());
        match resp {
            InteractionResponse::DeferredUpdate => {
                // wait for the component message to be edited after the interaction
                let mid = interaction.message_id.unwrap_or(0);
                let since = chrono::Utc::now()
                    - chrono::Duration::milliseconds(
                        interaction.created.elapsed().as_millis() as i64
                    );
                self.wait_for(remaining, "the deferred update", |s| {
                    s.message(mid)
                        .filter(|m| m.edited_timestamp.is_some_and(|t| t >= since))
                })
                .await
            }
            _ => {
                self.wait_for(remaining, "the interaction reply", |s| {
                    let st = s.inner.state.lock();
                    let i = st.interactions.get(&iid)?;
                    let m = st.messages.get(&i.original_message?)?;
                    (m.flags & 128 == 0).then(|| m.clone())
                })
                .await
            }
        }
    }

    /// The next follow-up message (`POST /webhooks/{app}/{token}`) for an interaction.
    pub async fn wait_for_followup(
        &self,
        interaction: &Interaction,
        timeout: Duration,
    ) -> Result<Message, WaitError> {
        let iid = interaction.id;
        let original = move |s: &Self| s.interaction(iid).and_then(|i| i.original_message);
        self.wait_for(timeout, "a follow-up", |s| {
            let orig = original(s);
            s.next_in_feed(CURSOR_FOLLOWUP, interaction.channel_id, |it| {
                it.kind == FeedKind::Created
                    && it
                        .message
                        .interaction
                        .as_ref()
                        .is_some_and(|mi| mi.id == iid)
                    && Some(it.message.id) != orig
            })
        })
        .await
    }

    /// The first REST call (from now on or already logged and not yet returned by this method)
    /// whose method matches and whose route template or path contains `route_contains`.
    pub async fn wait_for_rest(
        &self,
        method: &str,
        route_contains: &str,
        timeout: Duration,
    ) -> Result<RestCall, WaitError> {
        self.wait_for(timeout, &format!("{method} {route_contains}"), |s| {
            let log = s.inner.log.lock();
            let mut cursors = s.inner.cursors.lock();
            let start = cursors.get(&(4, 0)).copied().unwrap_or(0);
            let pos = log
                .iter()
                .enumerate()
                .skip(start)
                .find(|(_, c)| {
                    c.method.eq_ignore_ascii_case(method)
                        && (c.route.contains(route_contains) || c.path.contains(route_contains))
                })?
                .0;
            cursors.insert((4, 0), pos + 1);
            Some(log[pos].clone())
        })
        .await
    }

    /// Wait until nothing happens (no REST call, no event, no state change) for `quiet`, e.g.
    /// before clicking a button the bot awaits with a collector. Fails after `timeout`.
    pub async fn settle(&self, quiet: Duration, timeout: Duration) -> Result<(), WaitError> {
        let deadline = Instant::now() + timeout;
        let mut rx = self.inner.changed.subscribe();
        rx.borrow_and_update();
        loop {
            let until = (Instant::now() + quiet).min(deadline);
            match tokio::time::timeout_at(until, rx.changed()).await {
                Err(_) if Instant::now() >= deadline && until == deadline => {
                    return Err(WaitError::Timeout(timeout, "the bot to settle".into()));
                }
                Err(_) => return Ok(()),
                Ok(Ok(())) => {
                    rx.borrow_and_update();
                }
                Ok(Err(_)) => return Ok(()),
            }
        }
    }

    /// Wait until a predicate on the state holds.
    pub async fn wait_until(
        &self,
        timeout: Duration,
        what: &str,
        f: impl Fn(&State) -> bool,
    ) -> Result<(), WaitError> {
        self.wait_for(timeout, what, |s| f(&s.inner.state.lock()).then_some(()))
            .await
    }

    // ----- reading state -----

    /// Run a closure with read access to the whole state.
    ///
    /// The state is locked meanwhile: do not call other `Sandbox` methods that read the state
    /// from inside the closure (they would deadlock); `bot_id()`/`application_id()` are fine.
    pub fn with_state<R>(&self, f: impl FnOnce(&State) -> R) -> R {
        f(&self.inner.state.lock())
    }

    /// Change the state directly (no events are dispatched).
    pub fn with_state_mut<R>(&self, f: impl FnOnce(&mut State) -> R) -> R {
        let r = f(&mut self.inner.state.lock());
        self.inner.bump();
        r
    }

    /// A message by id.
    pub fn message(&self, id: Id) -> Option<Message> {
        self.inner.state.lock().messages.get(&id).cloned()
    }

    /// All messages of a channel, oldest first (including ephemeral ones).
    pub fn messages_in(&self, channel_id: Id) -> Vec<Message> {
        self.inner
            .state
            .lock()
            .channel_messages(channel_id)
            .into_iter()
            .cloned()
            .collect()
    }

    /// A member.
    pub fn member(&self, guild_id: Id, user_id: Id) -> Option<Member> {
        self.inner
            .state
            .lock()
            .members
            .get(&(guild_id, user_id))
            .cloned()
    }

    /// A channel.
    pub fn channel(&self, id: Id) -> Option<Channel> {
        self.inner.state.lock().channels.get(&id).cloned()
    }

    /// A role.
    pub fn role(&self, id: Id) -> Option<Role> {
        self.inner.state.lock().roles.get(&id).cloned()
    }

    /// An interaction (with its current status and `@original` message).
    pub fn interaction(&self, id: Id) -> Option<Interaction> {
        self.inner.state.lock().interactions.get(&id).cloned()
    }

    /// Registered application commands (global and guild).
    pub fn commands(&self) -> Vec<Command> {
        self.inner.state.lock().commands.values().cloned().collect()
    }

    /// The channel permissions of a user, computed like Discord.
    pub fn permissions(&self, channel_id: Id, user_id: Id) -> u64 {
        perms::channel_permissions(&self.inner.state.lock(), channel_id, user_id)
    }

    /// The audit log of a guild, oldest first (the bot's moderation actions with their reasons).
    pub fn audit_log(&self, guild_id: Id) -> Vec<crate::state::AuditEntry> {
        self.inner
            .state
            .lock()
            .audit_log
            .iter()
            .filter(|e| e.guild_id == guild_id)
            .cloned()
            .collect()
    }

    /// Bans of a guild.
    pub fn bans(&self, guild_id: Id) -> Vec<crate::state::Ban> {
        self.inner
            .state
            .lock()
            .bans
            .values()
            .filter(|b| b.guild_id == guild_id)
            .cloned()
            .collect()
    }

    /// Every REST call the bot made so far.
    pub fn rest_log(&self) -> Vec<RestCall> {
        self.inner.log.lock().clone()
    }

    /// Forget the REST log.
    pub fn clear_rest_log(&self) {
        self.inner.log.lock().clear();
        self.inner.cursors.lock().remove(&(4, 0));
    }

    /// Everything the bot did to messages, in order.
    pub fn feed(&self) -> Vec<FeedItem> {
        self.inner.feed.lock().clone()
    }

    // ----- faults -----

    /// Number of gateway sessions with a live connection.
    pub fn connected_sessions(&self) -> usize {
        self.inner
            .sessions
            .lock()
            .values()
            .filter(|s| s.conn.is_some())
            .count()
    }

    /// How many RESUMEs succeeded so far.
    pub fn resume_count(&self) -> u64 {
        self.inner.resumes.load(Ordering::Relaxed)
    }

    /// Drop every gateway connection abruptly (no close frame), keeping the sessions resumable.
    /// Returns once the connections are gone; events dispatched meanwhile are buffered and
    /// replayed on RESUME.
    pub async fn drop_gateway(&self) {
        self.kill_connections(Out::Drop).await;
    }

    /// Close every gateway connection with a close code (4000 keeps sessions resumable;
    /// 4004/4010… make serenity stop; the sandbox forgets sessions for 1000/1001 only when the
    /// client sends them).
    pub async fn close_gateway(&self, code: u16) {
        self.kill_connections(Out::Close(code)).await;
    }

    async fn kill_connections(&self, how: Out) {
        {
            let mut sessions = self.inner.sessions.lock();
            for s in sessions.values_mut() {
                if let Some((_, tx)) = s.conn.take() {
                    let _ = tx.send(match &how {
                        Out::Close(c) => Out::Close(*c),
                        _ => Out::Drop,
                    });
                }
            }
        }
        self.inner.bump();
    }

    /// Start recording every gateway event as a bot with these intents would receive it (a
    /// session without a connection). Read the frames with [`Sandbox::recorded_events`].
    pub fn record_events(&self, intents: u64) -> String {
        let sid = format!("recorder-{:016x}", rand::random::<u64>());
        self.inner.sessions.lock().insert(
            sid.clone(),
            crate::hub::Session {
                intents,
                seq: 0,
                shard: None,
                buffer: Default::default(),
                conn: None,
                ready: true,
            },
        );
        sid
    }

    /// The raw gateway frames (`{"op":0,"t":..,"s":..,"d":..}`) recorded for a recorder id.
    pub fn recorded_events(&self, recorder: &str) -> Vec<String> {
        self.inner
            .sessions
            .lock()
            .get(recorder)
            .map(|s| s.buffer.iter().map(|(_, f)| f.clone()).collect())
            .unwrap_or_default()
    }

    /// Ask connected clients to reconnect (op 7 RECONNECT); they resume.
    pub fn send_reconnect(&self) {
        let sessions = self.inner.sessions.lock();
        for s in sessions.values() {
            if let Some((_, tx)) = &s.conn {
                let _ = tx.send(Out::Frame(payloads::reconnect().to_string()));
            }
        }
    }

    /// Wait until `n` resumes have happened in total.
    pub async fn wait_for_resume(&self, n: u64, timeout: Duration) -> Result<(), WaitError> {
        self.wait_for(timeout, "a RESUME", |s| {
            (s.resume_count() >= n && s.connected_sessions() > 0).then_some(())
        })
        .await
    }

    /// Inject a REST fault (5xx, 429 with `retry-after`, or a delay).
    pub fn inject_fault(&self, fault: RestFault) {
        self.inner.faults.lock().push(fault);
    }

    /// Remove pending faults.
    pub fn clear_faults(&self) {
        self.inner.faults.lock().clear();
    }
}

/// The Discord client hides commands a user may not use: `default_member_permissions` in
/// guilds, `dm_permission: false` / `contexts` without 1 in DMs.
fn check_command_allowed(
    st: &State,
    cmd: &Command,
    guild_id: Option<Id>,
    user_id: Id,
) -> Result<(), DriverError> {
    match guild_id {
        Some(g) => {
            let needed = cmd.json["default_member_permissions"]
                .as_str()
                .and_then(|p| p.parse::<u64>().ok());
            if let Some(needed) = needed {
                let have = perms::base_permissions(st, g, user_id);
                if have & bits::ADMINISTRATOR == 0
                    && have != bits::ALL
                    && (needed == 0 || have & needed != needed)
                {
                    return Err(DriverError::MissingPermission(
                        "default_member_permissions of the command",
                    ));
                }
            }
        }
        None => {
            let dm_ok = cmd.guild_id.is_none()
                && cmd.json["dm_permission"].as_bool() != Some(false)
                && cmd.json["contexts"]
                    .as_array()
                    .is_none_or(|c| c.iter().any(|x| x == 1));
            if !dm_ok {
                return Err(DriverError::UnknownCommand(
                    cmd.name.clone(),
                    "not available in DMs".into(),
                ));
            }
        }
    }
    Ok(())
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

fn role(id: Id, guild_id: Id, name: &str, permissions: u64, position: i64, managed: bool) -> Role {
    Role {
        id,
        guild_id,
        name: name.to_owned(),
        permissions,
        position,
        color: 0,
        hoist: false,
        mentionable: false,
        managed,
        bot_id: None,
    }
}

fn channel(
    id: Id,
    guild_id: Option<Id>,
    name: &str,
    kind: ChannelKind,
    position: i64,
    parent_id: Option<Id>,
) -> Channel {
    Channel {
        id,
        kind,
        guild_id,
        name: name.to_owned(),
        position,
        parent_id,
        topic: None,
        nsfw: false,
        rate_limit_per_user: 0,
        overwrites: vec![],
        recipients: vec![],
        bitrate: if matches!(kind, ChannelKind::Voice | ChannelKind::Stage) {
            64000
        } else {
            0
        },
        user_limit: 0,
        last_message_id: None,
        owner_id: None,
    }
}

#[derive(Default)]
struct Resolved {
    users: Vec<Id>,
    roles: Vec<Id>,
    channels: Vec<Id>,
}

impl Resolved {
    fn is_empty(&self) -> bool {
        self.users.is_empty() && self.roles.is_empty() && self.channels.is_empty()
    }
}

fn build_options(
    defs: &[Value],
    path: &[String],
    call: &CommandCall,
    autocomplete: bool,
    res: &mut Resolved,
) -> Result<Vec<Value>, DriverError> {
    let has_subs = defs
        .iter()
        .any(|d| matches!(d["type"].as_u64(), Some(1 | 2)));
    if let Some((first, rest)) = path.split_first() {
        let def = defs
            .iter()
            .find(|d| d["name"] == first.as_str() && matches!(d["type"].as_u64(), Some(1 | 2)))
            .ok_or_else(|| DriverError::UnknownSubcommand(first.clone()))?;
        let sub_defs = def["options"].as_array().cloned().unwrap_or_default();
        if def["type"] == 2 && rest.is_empty() {
            return Err(DriverError::SubcommandRequired);
        }
        let inner = build_options(&sub_defs, rest, call, autocomplete, res)?;
        return Ok(vec![
            json!({"name": first, "type": def["type"], "options": inner}),
        ]);
    }
    if has_subs {
        return Err(DriverError::SubcommandRequired);
    }
    let mut out = Vec::new();
    for (name, val) in &call.options {
        let def = defs
            .iter()
            .find(|d| d["name"] == name.as_str())
            .ok_or_else(|| DriverError::UnknownOption(name.clone()))?;
        let t = def["type"].as_u64().unwrap_or(3);
        let focused = call.focused.as_deref() == Some(name.as_str());
        let bad = |why: &str| DriverError::InvalidValue(name.clone(), why.to_owned());
        let as_id = || -> Result<Id, DriverError> {
            match val {
                OptValue::Id(i) => Ok(*i),
                OptValue::Int(i) if *i >= 0 => Ok(*i as u64),
                OptValue::Str(s) => s
                    .trim_start_matches("<@")
                    .trim_start_matches(['!', '&', '#'])
                    .trim_end_matches('>')
                    .parse()
                    .map_err(|_| bad("not an id")),
                _ => Err(bad("not an id")),
            }
        };
        let value = if focused {
            // autocomplete sends what the user typed so far, as a string
            match val {
                OptValue::Str(s) => json!(s),
                OptValue::Int(i) => json!(i.to_string()),
                OptValue::Num(n) => json!(n.to_string()),
                OptValue::Bool(b) => json!(b.to_string()),
                OptValue::Id(i) => json!(i.to_string()),
            }
        } else {
            match t {
                3 => match val {
                    OptValue::Str(s) => json!(s),
                    OptValue::Int(i) => json!(i.to_string()),
                    OptValue::Num(n) => json!(n.to_string()),
                    OptValue::Bool(b) => json!(b.to_string()),
                    OptValue::Id(i) => json!(i.to_string()),
                },
                4 => json!(match val {
                    OptValue::Int(i) => *i,
                    OptValue::Id(i) => *i as i64,
                    OptValue::Str(s) => s.parse::<i64>().map_err(|_| bad("not an integer"))?,
                    _ => return Err(bad("not an integer")),
                }),
                10 => json!(match val {
                    OptValue::Num(n) => *n,
                    OptValue::Int(i) => *i as f64,
                    OptValue::Str(s) => s.parse::<f64>().map_err(|_| bad("not a number"))?,
                    _ => return Err(bad("not a number")),
                }),
                5 => json!(match val {
                    OptValue::Bool(b) => *b,
                    OptValue::Str(s) => s.parse::<bool>().map_err(|_| bad("not a boolean"))?,
                    _ => return Err(bad("not a boolean")),
                }),
                6 => {
                    let i = as_id()?;
                    res.users.push(i);
                    json!(i.to_string())
                }
                7 => {
                    let i = as_id()?;
                    res.channels.push(i);
                    json!(i.to_string())
                }
                8 => {
                    let i = as_id()?;
                    res.roles.push(i);
                    json!(i.to_string())
                }
                9 => {
                    let i = as_id()?;
                    res.users.push(i);
                    res.roles.push(i);
                    json!(i.to_string())
                }
                _ => return Err(bad("unsupported option type")),
            }
        };
        if !focused {
            if let Some(choices) = def["choices"].as_array().filter(|c| !c.is_empty()) {
                if !choices.iter().any(|c| c["value"] == value) {
                    return Err(bad("not one of the choices"));
                }
            }
            if let (Some(min), Some(v)) = (def["min_value"].as_f64(), value.as_f64()) {
                if v < min {
                    return Err(bad("below min_value"));
                }
            }
            if let (Some(max), Some(v)) = (def["max_value"].as_f64(), value.as_f64()) {
                if v > max {
                    return Err(bad("above max_value"));
                }
            }
            if let (Some(maxl), Some(s)) = (def["max_length"].as_u64(), value.as_str()) {
                if s.chars().count() as u64 > maxl {
                    return Err(bad("longer than max_length"));
                }
            }
        }
        let mut o = json!({"name": name, "type": t, "value": value});
        if focused {
            o["focused"] = json!(true);
        }
        out.push(o);
    }
    if !autocomplete {
        for d in defs {
            if d["required"].as_bool().unwrap_or(false)
                && !call.options.iter().any(|(n, _)| d["name"] == n.as_str())
            {
                return Err(DriverError::MissingOption(
                    d["name"].as_str().unwrap_or("").to_owned(),
                ));
            }
        }
    }
    Ok(out)
}
