//! A sandbox + the real bot + a fresh database, per test.

use chronix_core::economy::Chrons;
use chronix_core::ids::UserId;
use std::collections::HashMap;
use std::time::{Duration, Instant};

use chronix_config::Config;
use chronix_discord::{Bot, BotOptions};
use chronix_sandbox::render::message_to_text;
use chronix_sandbox::{
    ChannelKind, CommandCall, GuildSetup, Id, Message, RestCall, Sandbox, SandboxConfig,
};
use chronix_storage::testing::{TestDb, fresh_postgres, fresh_sqlite};
use serde_json::Value;

/// How long a reply may take.
pub const REPLY: Duration = Duration::from_secs(5);
/// How long we listen to conclude "no reply".
pub const SILENCE: Duration = Duration::from_millis(800);

/// Which database a test runs on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// One test world.
pub struct World {
    pub sb: Sandbox,
    pub bot: Option<Bot>,
    pub db: TestDb,
    pub guild: GuildSetup,
    /// Guild owner (all permissions).
    pub owner: Id,
    /// A plain member (no special permissions).
    pub member: Id,
    /// `#error-log` in the guild.
    pub error_log: Id,
    /// The bot's configuration (for restarts).
    pub config: Config,
    /// The values it was made from (a test changes some and rebuilds `config` before a restart).
    pub config_values: HashMap<String, String>,
    /// With a dev guild: a user in `DEV_IDS` (the dev tier), not yet a member anywhere.
    pub dev_user: Option<Id>,
}

/// Options for [`World::start_with`].
pub struct Setup {
    pub env: Vec<(&'static str, String)>,
    pub backend: Backend,
    /// Set `DEV_GUILD_ID` to a second guild (returned in `World::dev_guild`).
    pub dev_guild: bool,
    /// Features of the test's own (listeners, jobs, ticks) registered beside the real ones.
    pub features: Vec<chronix_discord::registry::Feature>,
    /// The sandbox's heartbeat interval (500 ms: quick reconnect tests; Discord's is 41.25 s).
    pub heartbeat: Duration,
}

impl Default for Setup {
    fn default() -> Self {
        Self {
            env: Vec::new(),
            backend: Backend::Sqlite,
            dev_guild: false,
            features: Vec::new(),
            heartbeat: Duration::from_millis(500),
        }
    }
}

impl World {
    /// Sandbox + bot on a fresh SQLite database, default configuration.
    pub async fn start() -> World {
        Self::start_with(Setup::default()).await.0
    }

    /// Sandbox + bot with extra configuration. Returns the dev guild too when asked for.
    pub async fn start_with(setup: Setup) -> (World, Option<GuildSetup>) {
        let sb = Sandbox::start_with(SandboxConfig {
            heartbeat_interval: setup.heartbeat,
            ..SandboxConfig::default()
        })
        .await
        .expect("sandbox starts");
        let guild = sb.create_guild("Test Guild");
        let member = sb.create_user("member");
        sb.add_member(guild.id, member);
        let error_log = sb.create_channel(guild.id, "error-log", ChannelKind::Text);
        let dev = setup.dev_guild.then(|| sb.create_guild("Dev Guild"));
        let mut raw: HashMap<String, String> = HashMap::new();
        raw.insert("DISCORD_TOKEN".into(), sb.token().into());
        raw.insert("DISCORD_API_PROXY".into(), sb.base_url().into());
        raw.insert(
            "DISCORD_CDN_URL".into(),
            format!("{}/cdn", sb.base_url().trim_end_matches('/')),
        );
        let dev_user = dev.as_ref().map(|_| sb.create_user("dev"));
        if let (Some(d), Some(u)) = (&dev, dev_user) {
            raw.insert("DEV_GUILD_ID".into(), d.id.to_string());
            raw.insert("OWNER_ID".into(), d.owner_id.to_string());
            raw.insert("DEV_IDS".into(), u.to_string());
        }
        for (k, v) in setup.env {
            raw.insert(k.into(), v);
        }
        let config = Config::from_values(&raw).expect("valid test configuration");
        let db = match setup.backend {
            Backend::Sqlite => fresh_sqlite().await,
            Backend::Postgres => fresh_postgres().await,
        };
        let bot = chronix_discord::start(
            config.clone(),
            db.storage(),
            BotOptions {
                extra_commands: chronix_discord::debug::test_commands(),
                extra_features: with_test_features(setup.features),
                shutdown_grace: Duration::from_secs(5),
            },
        )
        .await
        .expect("bot starts");
        sb.wait_for_ready(Duration::from_secs(10))
            .await
            .expect("bot identifies");
        let world = World {
            owner: guild.owner_id,
            sb,
            bot: Some(bot),
            db,
            guild,
            member,
            error_log,
            config,
            config_values: raw,
            dev_user,
        };
        world.wait_for_commands("ping").await;
        if dev.is_some() {
            world.wait_for_commands("devstats").await;
        }
        (world, dev)
    }

    /// Wait until the bot registered its slash commands (done in poise's setup after READY).
    pub async fn wait_for_commands(&self, name: &str) {
        let end = Instant::now() + Duration::from_secs(10);
        while Instant::now() < end {
            if self.sb.commands().iter().any(|c| c.name == name) {
                return;
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        panic!("the bot did not register its slash commands");
    }

    /// Starts the bot again (after `bot.take().shutdown()`) on the same database and sandbox.
    pub async fn restart_bot(&mut self, features: Vec<chronix_discord::registry::Feature>) {
        let bot = chronix_discord::start(
            self.config.clone(),
            self.db.storage(),
            BotOptions {
                extra_commands: chronix_discord::debug::test_commands(),
                extra_features: with_test_features(features),
                shutdown_grace: Duration::from_secs(5),
            },
        )
        .await
        .expect("bot restarts");
        assert!(
            bot.wait_connected(Duration::from_secs(10)).await,
            "the restarted bot connects"
        );
        self.bot = Some(bot);
    }

    pub fn bot(&self) -> &Bot {
        self.bot.as_ref().expect("bot running")
    }

    /// A user says something in #general; returns the bot's next message there.
    pub async fn say(&self, user: Id, text: &str) -> Message {
        self.say_in(user, self.guild.general, text).await
    }

    /// A user says something in a channel; returns the bot's next message there.
    pub async fn say_in(&self, user: Id, channel: Id, text: &str) -> Message {
        self.sb.send_message(user, channel, text);
        match self.sb.wait_for_message(channel, REPLY).await {
            Ok(m) => m,
            Err(e) => panic!("no reply to {text:?}: {e}"),
        }
    }

    /// A user says something; asserts the bot stays silent.
    pub async fn say_expect_silence(&self, user: Id, text: &str) {
        self.sb.send_message(user, self.guild.general, text);
        if let Ok(m) = self.sb.wait_for_message(self.guild.general, SILENCE).await {
            panic!(
                "expected no reply to {text:?}, got:\n{}",
                message_to_text(&m)
            );
        }
    }

    /// A user runs a slash command in #general; returns what they see.
    pub async fn slash(&self, user: Id, call: CommandCall) -> Message {
        let i = self
            .sb
            .run_command(user, self.guild.general, call)
            .expect("slash command exists");
        let m = self
            .sb
            .wait_for_reply(&i, REPLY)
            .await
            .expect("slash reply");
        // Consume it from the channel feed so the next `say` sees the next message.
        let _ = self.sb.wait_for_message(self.guild.general, REPLY).await;
        m
    }

    /// REST calls whose path contains `part` and method matches.
    pub fn rest(&self, method: &str, part: &str) -> Vec<RestCall> {
        self.sb
            .rest_log()
            .into_iter()
            .filter(|c| c.method == method && c.path.contains(part))
            .collect()
    }
}

/// A test's own features plus the kernel's test-only ones (the test wizard).
fn with_test_features(
    mut features: Vec<chronix_discord::registry::Feature>,
) -> Vec<chronix_discord::registry::Feature> {
    features.extend(chronix_discord::debug::test_features());
    features
}

/// The first embed of a message.
pub fn embed(m: &Message) -> &Value {
    m.embeds
        .first()
        .unwrap_or_else(|| panic!("message has no embed:\n{}", message_to_text(m)))
}

/// The first embed's title.
pub fn title(m: &Message) -> String {
    embed(m)["title"].as_str().unwrap_or_default().to_string()
}

/// The first embed's description.
pub fn description(m: &Message) -> String {
    embed(m)["description"]
        .as_str()
        .unwrap_or_default()
        .to_string()
}

/// `(name, value)` of the first embed's fields.
pub fn fields(m: &Message) -> Vec<(String, String)> {
    embed(m)["fields"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|f| {
            (
                f["name"].as_str().unwrap_or_default().to_string(),
                f["value"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect()
}

/// The value of a named field.
pub fn field(m: &Message, name: &str) -> String {
    fields(m)
        .into_iter()
        .find(|(n, _)| n == name)
        .map(|(_, v)| v)
        .unwrap_or_else(|| panic!("no field {name:?} in:\n{}", message_to_text(m)))
}

/// Field names of the first embed.
pub fn field_names(m: &Message) -> Vec<String> {
    fields(m).into_iter().map(|(n, _)| n).collect()
}

/// Gives `user` `amount` Chrons through the ledger (a test seed).
pub async fn seed(s: &chronix_storage::Storage, user: Id, amount: i64) {
    chronix_storage::economy::credit(
        s,
        UserId::from_db(user as i64),
        Chrons::new(amount),
        &chronix_storage::economy::Memo::new("test seed"),
    )
    .await
    .unwrap();
}

// ----- wizard panels (kernel `ui::wizard`) -----

/// The custom id of the panel's select whose key is `key`.
pub fn select(m: &Message, key: &str) -> String {
    m.components
        .iter()
        .flat_map(|r| r["components"].as_array().cloned().unwrap_or_default())
        .filter(|c| c["type"] == 3)
        .filter_map(|c| c["custom_id"].as_str().map(str::to_string))
        .find(|id| id.ends_with(&format!(":s.{key}")))
        .unwrap_or_else(|| panic!("no select {key} on {m:?}"))
}

/// `user` answers a wizard control; the panel is updated in place.
pub async fn updated(w: &World, i: &chronix_sandbox::Interaction, m: &Message) -> Message {
    match w.sb.wait_for_response(i, REPLY).await.unwrap() {
        chronix_sandbox::InteractionResponse::UpdateMessage { message_id } => {
            assert_eq!(message_id, m.id)
        }
        other => panic!("expected the panel updated, got {other:?}"),
    }
    w.sb.wait_for_reply(i, REPLY).await.unwrap()
}

/// `user` clicks a wizard button; the panel is updated.
pub async fn click(w: &World, user: Id, m: &Message, label: &str) -> Message {
    let i = w.sb.click_button(user, m.id, label).unwrap();
    updated(w, &i, m).await
}

/// `user` picks `values` in the wizard select `key`; the panel is updated.
pub async fn pick(w: &World, user: Id, m: &Message, key: &str, values: &[&str]) -> Message {
    let i = w.sb.select(user, m.id, &select(m, key), values).unwrap();
    updated(w, &i, m).await
}

/// Opens the button's modal and submits `values`; the panel is updated.
pub async fn modal(
    w: &World,
    user: Id,
    m: &Message,
    button: &str,
    values: &[(&str, &str)],
) -> Message {
    let open = w.sb.click_button(user, m.id, button).unwrap();
    assert!(matches!(
        w.sb.wait_for_response(&open, REPLY).await.unwrap(),
        chronix_sandbox::InteractionResponse::Modal(_)
    ));
    let s = w.sb.submit_modal(user, &open, values).unwrap();
    updated(w, &s, m).await
}

/// A PNG of one colour (`#rrggbb`), `w`×`h`, for avatars and banners served by the sandbox's CDN.
pub fn solid_png(w: u32, h: u32, colour: &str) -> Vec<u8> {
    chronix_render::render_svg(&format!(
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}"><rect width="{w}" height="{h}" fill="{colour}"/></svg>"#
    ))
    .expect("a solid PNG renders")
}

/// The `(r, g, b)` of a PNG's pixel.
pub fn png_pixel(png: &[u8], x: u32, y: u32) -> (u8, u8, u8) {
    let p = chronix_render::pictures::decode(png).expect("a PNG");
    let c = p.pixel(x, y).expect("inside the picture").demultiply();
    (c.red(), c.green(), c.blue())
}
