//! The floor of the stack: a bare serenity client (no poise, no kernel, no database, no
//! features) with the bot's intents, cache settings and HTTP client, answering `chro balance`
//! with one embed and counting member joins. `bench commands --bot floor` and `bench memory
//! --bot floor` run it where the bot would run, so the bot's figures can be read against what
//! serenity alone costs on the same machine in the same harness: the part above the floor is
//! Chronix's, the floor is the library's.

use chronix_discord::serenity;

/// The floor's event handler.
struct Floor {
    prefix: String,
}

#[serenity::async_trait]
impl serenity::EventHandler for Floor {
    async fn message(&self, ctx: serenity::Context, msg: serenity::Message) {
        let Some(rest) = msg.content.strip_prefix(self.prefix.as_str()) else {
            return;
        };
        if rest.trim() != "balance" {
            return;
        }
        // About the size of the bot's balance embed.
        let embed = serenity::CreateEmbed::new()
            .title(format!("{}'s balance", msg.author.name))
            .description("**0** Chrons in the wallet")
            .field("Bank", "0", true)
            .field("Net worth", "0", true)
            .colour(0x5865F2);
        let reply = serenity::CreateMessage::new()
            .embed(embed)
            .allowed_mentions(serenity::CreateAllowedMentions::new());
        if let Err(e) = msg.channel_id.send_message(&ctx.http, reply).await {
            tracing::warn!(error = %e, "floor reply failed");
        }
    }
}

/// A running floor client.
pub struct FloorBot {
    shard_manager: std::sync::Arc<serenity::ShardManager>,
    task: tokio::task::JoinHandle<()>,
}

impl FloorBot {
    /// Connects a bare client to Discord or the sandbox described by `config`.
    pub async fn start(
        config: &chronix_config::Config,
        cache: chronix_discord::serenity::cache::Settings,
    ) -> anyhow::Result<Self> {
        let http = chronix_discord::kernel::framework::http_client(config)?;
        let mut client = serenity::ClientBuilder::new_with_http(
            http,
            chronix_discord::kernel::framework::intents(),
        )
        .cache_settings(cache)
        .event_handler(Floor {
            prefix: format!("{} ", config.prefix.trim()),
        })
        .await?;
        let shard_manager = client.shard_manager.clone();
        let task = tokio::spawn(async move {
            if let Err(e) = client.start().await {
                tracing::error!(error = %e, "floor client stopped");
            }
        });
        Ok(Self {
            shard_manager,
            task,
        })
    }

    /// Disconnects.
    pub async fn shutdown(self) {
        self.shard_manager.shutdown_all().await;
        let _ = self.task.await;
    }
}

/// `chronix bench floor-bot` (hidden), the child process of `bench memory --bot floor`: loads
/// the configuration from the environment (`DISCORD_TOKEN`, `DISCORD_API_PROXY`), connects a
/// floor client and runs until the benchmark kills it. Returns only on failure.
pub fn run_forever(kind: super::BotKind) -> anyhow::Result<&'static str> {
    let config = chronix_config::Config::load().map_err(|e| anyhow::anyhow!("{e}"))?;
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?
        .block_on(async {
            let bot = FloorBot::start(&config, kind.floor_cache()).await?;
            bot.task.await?;
            Ok("the floor client stopped")
        })
}
