//! The driver API: start a sandbox, build a world, act as users, wait for the bot.
//!
//! [`Sandbox`] is one type whose methods are spread over one module per concern: `world`
//! (guilds, users, roles, channels), `users` (what users do), `interactions` (slash commands,
//! components, modals), `wait` (waiting for the bot), `inspect` (reading state, faults),
//! `resources` (webhooks, emojis, stickers, threads, scheduled events, screening, locales),
//! `manage` (what members and admins do by hand: roles, nicknames, pins, invites, renames).

mod inspect;
mod interactions;
mod manage;
mod moderation;
mod resources;
mod types;
mod users;
mod wait;
mod world;

pub use moderation::ManualAction;
pub use types::{CommandCall, DriverError, GuildSetup, OptValue, WaitError};

use std::sync::Arc;

use serde_json::Value;

use crate::hub::{Gate, Inner, SandboxConfig};
use crate::state::{Id, User};

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
            st.application_flags =
                crate::payloads::application_flags(inner.config.privileged_intents);
            let bot = User {
                id: st.bot_id,
                name: inner.config.bot_name.clone(),
                global_name: None,
                bot: true,
                avatar: None,
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
}
