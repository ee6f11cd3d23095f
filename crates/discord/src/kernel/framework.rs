//! Start-up, the event handler, slash registration and graceful shutdown.
//!
//! * `DISCORD_API_PROXY` set (the sandbox): every REST call goes to that URL and serenity's
//!   rate limiter is **off** (serenity ignores the proxy while its rate limiter is on).
//!   Not set: normal Discord with the rate limiter **on**.
//! * Slash commands: `DEV_MODE=true` registers every command on `DEV_GUILD_ID` only (instant
//!   updates while developing). Otherwise public commands are registered globally and dev/owner
//!   commands only on `DEV_GUILD_ID` (never globally).
//! * Shutdown ([`Bot::shutdown`]): stop taking commands, wait for in-flight commands (up to
//!   [`BotOptions::shutdown_grace`]), close the gateway with `ShardManager::shutdown_all`, then
//!   run the features' shutdown hooks (`Feature::on_shutdown`: flush in-memory queues).

use std::future::Future;
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::Context as _;
use chronix_config::Config;
use chronix_storage::Storage;
use poise::serenity_prelude as serenity;

use crate::embeds::{self, Embed};
use crate::errors::{self, UserError};
use crate::prefix::{active_prefixes, match_prefix};
use crate::registry::{ALWAYS_ON, Feature};
use crate::{Command, Data, Error, Tier};

/// Start-up options beyond the configuration.
pub struct BotOptions {
    /// Extra commands (tests register the hidden `boom`/`kaboom` here). Their category
    /// defaults to `general`.
    pub extra_commands: Vec<Command>,
    /// Extra features (tests register listeners, jobs and ticks of their own here).
    pub extra_features: Vec<Feature>,
    /// How long shutdown waits for in-flight commands.
    pub shutdown_grace: Duration,
}

impl Default for BotOptions {
    fn default() -> Self {
        Self {
            extra_commands: Vec::new(),
            extra_features: Vec::new(),
            shutdown_grace: Duration::from_secs(10),
        }
    }
}

/// A running bot.
pub struct Bot {
    data: Data,
    http: Arc<serenity::Http>,
    shard_manager: Arc<serenity::ShardManager>,
    task: tokio::task::JoinHandle<Result<(), serenity::Error>>,
    grace: Duration,
}

/// Gateway intents Chronix asks for (MESSAGE_CONTENT and GUILD_MEMBERS are privileged:
/// enable them in the developer portal).
pub fn intents() -> serenity::GatewayIntents {
    serenity::GatewayIntents::non_privileged()
        | serenity::GatewayIntents::MESSAGE_CONTENT
        | serenity::GatewayIntents::GUILD_MEMBERS
}

/// The HTTP client: through the proxy with the rate limiter off, or Discord with it on.
pub fn http_client(config: &Config) -> anyhow::Result<serenity::Http> {
    let token = config
        .discord_token
        .expose()
        .context("DISCORD_TOKEN is not set")?;
    let builder = serenity::HttpBuilder::new(token);
    Ok(match &config.discord_api_proxy {
        Some(url) => builder
            .proxy(url.trim_end_matches('/'))
            .ratelimiter_disabled(true)
            .build(),
        None => builder.build(),
    })
}

/// Start the bot with `features`: start-up hooks, poise framework, scheduler, gateway
/// connection (in a background task). `storage` must be migrated already (the binary runs the
/// migrations once at start-up).
pub async fn start(
    config: Config,
    storage: Storage,
    features: Vec<Feature>,
    mut options: BotOptions,
) -> anyhow::Result<Bot> {
    let http = http_client(&config)?;
    let via = config
        .discord_api_proxy
        .clone()
        .unwrap_or_else(|| "Discord".into());
    let mut features = features;
    features.append(&mut options.extra_features);
    let data = Data::new(config, storage, features);
    for (name, hook) in data.registry().start_hooks(data.config()) {
        // A bad game table (for example) stops start-up here, with every problem listed.
        hook(&data)
            .await
            .with_context(|| format!("starting the {name} feature"))?;
    }
    let mut commands = data.registry().framework_commands(data.config());
    for mut c in options.extra_commands {
        if c.category.is_none() {
            crate::registry::set_category(&mut c, ALWAYS_ON);
        }
        commands.push(c);
    }
    tracing::info!(
        commands = commands.len(),
        features = ?data.registry().enabled(data.config()).map(|f| f.name).collect::<Vec<_>>(),
        "starting Chronix via {via}"
    );
    let framework_options = poise::FrameworkOptions {
        commands,
        on_error: |e| Box::pin(errors::on_error(e)),
        pre_command: |ctx| {
            Box::pin(async move {
                tracing::debug!(command = %ctx.invocation_string(), user = ctx.author().id.get(), "command start");
                ctx.data().metrics().start(ctx);
            })
        },
        post_command: |ctx| {
            Box::pin(async move {
                ctx.data().metrics().finish(ctx, true);
            })
        },
        command_check: Some(|ctx| Box::pin(crate::perms::command_check(ctx))),
        skip_checks_for_owners: false,
        initialize_owners: false,
        allowed_mentions: Some(embeds::no_mentions()),
        event_handler: |framework, event| Box::pin(event_handler(framework, event)),
        prefix_options: poise::PrefixFrameworkOptions {
            prefix: None,
            stripped_dynamic_prefix: Some(|_ctx, msg, data| Box::pin(strip_prefix(msg, data))),
            mention_as_prefix: true,
            case_insensitive_commands: true,
            edit_tracker: None,
            ..Default::default()
        },
        ..Default::default()
    };
    let setup_data = data.clone();
    let framework = poise::Framework::builder()
        .options(framework_options)
        .setup(move |ctx, ready, framework| {
            Box::pin(async move {
                tracing::info!(user = %ready.user.name, guilds = ready.guilds.len(), "gateway ready");
                if let Err(e) = register(ctx, &framework.options().commands, setup_data.config()).await {
                    tracing::error!(error = ?e, "slash command registration failed");
                }
                Ok(setup_data)
            })
        })
        .build();
    let client = serenity::ClientBuilder::new_with_http(http, intents())
        .cache_settings(crate::guilds::cache_settings())
        .framework(Kernel {
            guilds: data.guilds().clone(),
            poise: framework,
            gate: tokio::sync::Semaphore::new(EVENT_GATE),
            flood: data.flood().clone(),
        })
        .await
        .context("building the Discord client")?;
    data.attach(
        client.shard_manager.clone(),
        client.cache.clone(),
        client.http.clone(),
    );
    let http = client.http.clone();
    let shard_manager = client.shard_manager.clone();
    // The one scheduler loop (autohunt, jobs); it stops when shutdown begins.
    crate::scheduler::spawn(data.clone(), http.clone());
    let mut client = client;
    // Real Discord: as many shards as Discord recommends (`GET /gateway/bot`). The sandbox: one.
    let autoshard = data.config().discord_api_proxy.is_none();
    let task = tokio::spawn(async move {
        if autoshard {
            client.start_autosharded().await
        } else {
            client.start().await
        }
    });
    Ok(Bot {
        data,
        http,
        shard_manager,
        task,
        grace: options.shutdown_grace,
    })
}

impl Bot {
    /// Shared state (metrics, settings, gateway status).
    pub fn data(&self) -> &Data {
        &self.data
    }
    /// The HTTP client.
    pub fn http(&self) -> &Arc<serenity::Http> {
        &self.http
    }
    /// The shard manager.
    pub fn shard_manager(&self) -> &Arc<serenity::ShardManager> {
        &self.shard_manager
    }

    /// Wait until at least one shard is connected (or `timeout` passes).
    pub async fn wait_connected(&self, timeout: Duration) -> bool {
        let end = Instant::now() + timeout;
        while Instant::now() < end {
            if self.data.gateway_status().await.0 {
                return true;
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        false
    }

    /// Run until `shutdown` resolves, then shut down gracefully.
    pub async fn run_until(
        mut self,
        shutdown: impl Future<Output = ()> + Send,
    ) -> anyhow::Result<()> {
        tokio::select! {
            () = shutdown => {
                tracing::info!("shutdown requested");
                self.shutdown().await;
                Ok(())
            }
            r = &mut self.task => {
                match r {
                    Ok(Ok(())) => Ok(()),
                    Ok(Err(e)) => Err(anyhow::Error::new(e).context("the Discord client stopped")),
                    Err(e) => Err(anyhow::Error::new(e).context("the Discord client task died")),
                }
            }
        }
    }

    /// Graceful shutdown: refuse new commands, wait for in-flight ones, close the gateway.
    pub async fn shutdown(self) {
        self.data.begin_shutdown();
        let end = Instant::now() + self.grace;
        loop {
            let n = self.data.metrics().in_flight();
            if n == 0 {
                break;
            }
            if Instant::now() >= end {
                tracing::warn!(
                    in_flight = n,
                    "shutdown grace elapsed with commands still running"
                );
                break;
            }
            tokio::time::sleep(Duration::from_millis(25)).await;
        }
        self.shard_manager.shutdown_all().await;
        match tokio::time::timeout(Duration::from_secs(5), self.task).await {
            Ok(_) => tracing::info!("gateway closed"),
            Err(_) => tracing::warn!("the gateway client did not stop within 5 s"),
        }
        // No event arrives any more: features flush what they hold in memory.
        for (name, hook) in self.data.registry().shutdown_hooks(self.data.config()) {
            if let Err(e) = errors::catch_panic(hook(&self.data)).await {
                tracing::error!(feature = name, error = ?e, "shutdown hook failed");
            }
        }
    }
}

async fn strip_prefix<'a>(
    msg: &'a serenity::Message,
    data: &'a Data,
) -> Result<Option<&'a str>, Error> {
    let custom = match msg.guild_id {
        Some(g) => data.settings().get(g.get()).await?.prefix.clone(),
        None => None,
    };
    let prefixes = active_prefixes(data.config(), custom.as_deref());
    Ok(match_prefix(&msg.content, &prefixes))
}

/// The slash commands to register: `(global, dev guild)`, as Discord receives them. Under
/// `DEV_MODE=true` with a dev guild, everything goes to the dev guild.
pub fn slash_commands(
    commands: &[Command],
    config: &Config,
) -> (Vec<serde_json::Value>, Vec<serde_json::Value>) {
    let slash = |filter: &dyn Fn(Tier) -> bool| -> Vec<serde_json::Value> {
        commands
            .iter()
            .filter(|c| filter(Tier::of_or_owner(c)))
            .filter_map(|c| c.create_as_slash_command())
            .filter_map(|c| serde_json::to_value(c).ok())
            .collect()
    };
    match (config.dev_mode, config.dev_guild_id) {
        (true, Some(_)) => (Vec::new(), slash(&|_| true)),
        _ => (slash(&|t| !t.is_dev_only()), slash(&Tier::is_dev_only)),
    }
}

/// Register slash commands (see the module docs for where).
pub async fn register(
    ctx: &serenity::Context,
    commands: &[Command],
    config: &Config,
) -> anyhow::Result<()> {
    let slash = |filter: &dyn Fn(Tier) -> bool| -> Vec<serenity::CreateCommand> {
        commands
            .iter()
            .filter(|c| filter(Tier::of_or_owner(c)))
            .filter_map(|c| c.create_as_slash_command())
            .collect()
    };
    let (global, dev) = slash_commands(commands, config);
    for (what, set) in [("global", &global), ("dev guild", &dev)] {
        let problems = crate::kernel::limits::problems(set);
        if !problems.is_empty() {
            tracing::error!(?problems, "{what} slash commands break Discord's limits");
        }
    }
    let dev_guild = config.dev_guild_id.map(serenity::GuildId::new);
    match (config.dev_mode, dev_guild) {
        (true, Some(g)) => {
            let all = slash(&|_| true);
            tracing::info!(guild = %g, count = all.len(), "DEV_MODE: registering every slash command on DEV_GUILD_ID");
            g.set_commands(&ctx.http, all).await?;
        }
        (dev_mode, dev_guild) => {
            if dev_mode {
                tracing::warn!("DEV_MODE=true without DEV_GUILD_ID: registering globally");
            }
            let public = slash(&|t| !t.is_dev_only());
            tracing::info!(count = public.len(), "registering global slash commands");
            serenity::Command::set_global_commands(&ctx.http, public).await?;
            if let Some(g) = dev_guild {
                let dev = slash(&Tier::is_dev_only);
                tracing::info!(guild = %g, count = dev.len(), "registering owner/dev slash commands on DEV_GUILD_ID");
                g.set_commands(&ctx.http, dev).await?;
            }
        }
    }
    Ok(())
}

/// serenity's framework: the kernel's guild cache takes each event first, in the event's own
/// task, then poise dispatches it. (A raw event handler would cost each event a deep clone
/// and a task of its own: a million member joins cost a million of each.)
///
/// serenity starts a task per event and reads the gateway as fast as it can, so when events
/// come faster than the listeners handle them (a raid of joins, a server's member list) the
/// tasks pile up. Events other than messages and interactions pass a gate of
/// [`EVENT_GATE`] at a time: a task waiting at the gate holds its event only (about 1 KB),
/// not a listener's state, and commands never wait behind it.
struct Kernel {
    guilds: Arc<crate::guilds::GuildCache>,
    poise: poise::Framework<Data, Error>,
    gate: tokio::sync::Semaphore,
    /// Counts the events this framework holds; the gateway loop waits when too many are held
    /// (see [`crate::flood`]).
    flood: Arc<crate::flood::Flood>,
}

/// Events other than messages and interactions handled at once (see [`Kernel`]).
pub const EVENT_GATE: usize = 64;

/// Whether an event waits at the kernel's gate: everything but what commands come from and
/// READY (poise sets the bot up on READY, and events dispatched before wait for that set-up:
/// READY behind them at the gate would never come).
fn gated(event: &serenity::FullEvent) -> bool {
    !matches!(
        event,
        serenity::FullEvent::Message { .. }
            | serenity::FullEvent::InteractionCreate { .. }
            | serenity::FullEvent::Ready { .. }
    )
}

#[serenity::async_trait]
impl serenity::Framework for Kernel {
    async fn init(&mut self, client: &serenity::Client) {
        self.poise.init(client).await;
    }

    async fn dispatch(&self, ctx: serenity::Context, event: serenity::FullEvent) {
        let _held = self.flood.enter();
        if let serenity::FullEvent::Ready { .. } = &event {
            self.flood.install(&ctx);
        }
        self.guilds.update(&event);
        let _permit = if gated(&event) {
            // Never closed: an error is impossible, and then the event simply goes on.
            self.gate.acquire().await.ok()
        } else {
            None
        };
        // Boxed: a task waiting at the gate then holds a pointer, not room for the whole
        // dispatch (poise's and every listener's state, several KB).
        Box::pin(self.poise.dispatch(ctx, event)).await;
    }
}

async fn event_handler(
    framework: poise::FrameworkContext<'_, Data, Error>,
    event: &serenity::FullEvent,
) -> Result<(), Error> {
    let ctx = framework.serenity_context;
    let data = framework.user_data;
    match event {
        serenity::FullEvent::Resume { .. } => tracing::info!("gateway session resumed"),
        serenity::FullEvent::ShardStageUpdate { event } => {
            tracing::info!(shard = %event.shard_id, old = ?event.old, new = ?event.new, "shard stage");
        }
        serenity::FullEvent::InteractionCreate {
            interaction: serenity::Interaction::Component(ci),
        } => on_component(ctx, ci, data).await,
        serenity::FullEvent::InteractionCreate {
            interaction: serenity::Interaction::Modal(mi),
        } => on_modal(ctx, mi, data).await,
        _ => {}
    }
    data.remember_context(ctx);
    crate::events::dispatch(ctx, data, event).await;
    Ok(())
}

/// Where an interaction came from, for refusals and reports.
struct Origin<'a> {
    custom_id: &'a str,
    user: &'a serenity::User,
    guild_id: Option<serenity::GuildId>,
    channel_id: serenity::ChannelId,
    /// The user's Discord locale.
    locale: &'a str,
}

/// Checks shutdown and the module switch, runs `handler` (a panic becomes an internal error),
/// and turns a failure into the ephemeral embed to answer with (`None`: nothing to say).
async fn guarded<F>(
    ctx: &serenity::Context,
    data: &Data,
    switch: &'static str,
    origin: Origin<'_>,
    handler: F,
) -> Option<Embed>
where
    F: Future<Output = Result<(), Error>>,
{
    let refusal = if data.is_shutting_down() {
        Some(UserError::ShuttingDown)
    } else if !data
        .feature_enabled_in(switch, origin.guild_id.map(|g| g.get()))
        .await
    {
        Some(UserError::FeatureDisabled(switch.to_string()))
    } else {
        None
    };
    let result = match refusal {
        Some(u) => Err(u.into()),
        None => errors::catch_panic(handler).await,
    };
    let e = result.err()?;
    let locale =
        crate::kernel::i18n::locale_for(data, origin.locale, origin.guild_id.map(|g| g.get()))
            .await;
    Some(match e.downcast_ref::<UserError>() {
        Some(u) => errors::user_error_embed(u, locale),
        None => {
            let report = errors::Report {
                id: errors::new_error_id(),
                command: format!("button {}", origin.custom_id),
                kind: format!(
                    "button {}",
                    origin
                        .custom_id
                        .split(':')
                        .take(3)
                        .collect::<Vec<_>>()
                        .join(":")
                ),
                user: format!("{} ({})", origin.user.name, origin.user.id),
                guild_id: origin.guild_id.map(|g| g.get()),
                channel_id: Some(origin.channel_id.get()),
                error: format!("{e:?}"),
            };
            tracing::error!(error_id = %report.id, custom_id = %origin.custom_id, "interaction failed: {}", report.error);
            errors::post_report(ctx, data, &report).await;
            errors::internal_error_embed(&report.id, locale)
        }
    })
}

fn ephemeral(embed: Embed) -> serenity::CreateInteractionResponse {
    serenity::CreateInteractionResponse::Message(
        serenity::CreateInteractionResponseMessage::new()
            .embed(Embed::into(embed))
            .ephemeral(true)
            .allowed_mentions(embeds::no_mentions()),
    )
}

async fn on_component(ctx: &serenity::Context, ci: &serenity::ComponentInteraction, data: &Data) {
    let Some((switch, handler)) = data
        .registry()
        .component_handler(data.config(), &ci.data.custom_id)
    else {
        return;
    };
    let origin = Origin {
        custom_id: &ci.data.custom_id,
        user: &ci.user,
        guild_id: ci.guild_id,
        channel_id: ci.channel_id,
        locale: &ci.locale,
    };
    let Some(embed) = guarded(ctx, data, switch, origin, handler(ctx, ci, data)).await else {
        return;
    };
    if let Err(e) = ci.create_response(&ctx.http, ephemeral(embed)).await {
        tracing::warn!(error = %e, "could not answer a component interaction");
    }
}

async fn on_modal(ctx: &serenity::Context, mi: &serenity::ModalInteraction, data: &Data) {
    let Some((switch, handler)) = data
        .registry()
        .modal_handler(data.config(), &mi.data.custom_id)
    else {
        return;
    };
    let origin = Origin {
        custom_id: &mi.data.custom_id,
        user: &mi.user,
        guild_id: mi.guild_id,
        channel_id: mi.channel_id,
        locale: &mi.locale,
    };
    let Some(embed) = guarded(ctx, data, switch, origin, handler(ctx, mi, data)).await else {
        return;
    };
    if let Err(e) = mi.create_response(&ctx.http, ephemeral(embed)).await {
        tracing::warn!(error = %e, "could not answer a modal submission");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(proxy: Option<&str>) -> Config {
        let mut raw = std::collections::HashMap::new();
        raw.insert("DISCORD_TOKEN".to_string(), "test-token".to_string());
        if let Some(p) = proxy {
            raw.insert("DISCORD_API_PROXY".to_string(), p.to_string());
        }
        Config::from_values(&raw).unwrap()
    }

    #[test]
    fn a_proxy_turns_the_rate_limiter_off() {
        let http = http_client(&config(Some("http://127.0.0.1:4000/"))).unwrap();
        assert_eq!(http.proxy.as_deref(), Some("http://127.0.0.1:4000"));
        assert!(http.ratelimiter.is_none());
    }

    #[test]
    fn without_a_proxy_discord_is_rate_limited() {
        let http = http_client(&config(None)).unwrap();
        assert!(http.proxy.is_none());
        assert!(http.ratelimiter.is_some());
    }

    #[test]
    fn no_token_is_a_clear_error() {
        let c = Config::from_values(&Default::default()).unwrap();
        let e = http_client(&c).unwrap_err();
        assert!(e.to_string().contains("DISCORD_TOKEN"));
    }

    #[test]
    fn intents_include_message_content() {
        assert!(intents().contains(serenity::GatewayIntents::MESSAGE_CONTENT));
        assert!(intents().contains(serenity::GatewayIntents::GUILD_MESSAGES));
    }
}
