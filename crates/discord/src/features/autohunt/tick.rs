//! Autohunt's scheduler tick: runs due sessions, DMs players whose session stopped, and keeps
//! each session's live panel up to date.
//!
//! Live panels whose channel is gone or no longer visible (404 Unknown Channel, 403 / 50001 /
//! 50013) are given up: the session keeps running, its live message is forgotten (nothing is
//! posted or retried any more) and the player gets one DM saying so and how to get a new one
//! (`autohunt status` shows it; `autohunt enable` in a channel makes a new live message).
//!
//! Sessions started on a server that then runs `module disable gameplay` are **paused** before
//! each batch ([`sync_pauses`]): not run, not charged, live message left alone, one DM to the
//! player; `module enable gameplay` lifts the pause and the session runs at its next due time.

use crate::kernel::ids::{ToCore, ToDiscord};
use chronix_core::economy::Chrons;
use std::sync::Arc;
use std::time::Duration;

use chronix_core::ids::UserId;
use chronix_storage::autohunt::{self as store, Session, TickRules};
use chrono::{DateTime, Utc};
use tokio::sync::Mutex;

use super::{autohunt_rules, commands::live_embed};
use crate::prelude::*;
use crate::registry::BoxFuture;
use crate::scheduler::{Tick, TickContext};
use crate::ui::live::{LivePanels, LiveSource, LiveView, Lost};

/// Autohunt's tick settings.
#[derive(Debug, Clone)]
pub struct AutohuntOptions {
    /// Sessions per batch (transaction): `AUTOHUNT_BATCH_SIZE`.
    pub batch_size: i64,
    /// Batches run at once: `AUTOHUNT_WORKERS`.
    pub workers: usize,
    /// Batches per worker and tick at most (the rest waits for the next tick).
    pub max_batches_per_tick: usize,
}

impl AutohuntOptions {
    /// From the configuration.
    pub fn from_config(config: &chronix_config::Config) -> Self {
        Self {
            batch_size: i64::from(config.autohunt_batch_size.max(1)),
            workers: config.autohunt_workers.max(1) as usize,
            max_batches_per_tick: 50,
        }
    }
}

/// What every autohunt batch of a tick reads.
pub struct TickInputs {
    /// Costs, traits, intervals.
    pub rules: chronix_core::autohunt::AutohuntRules,
    /// Loot tables.
    pub tables: Arc<chronix_core::tables::Tables>,
    /// Global XP curve.
    pub curve: chronix_core::xp::XpCurve,
    /// Pet rules (active pets share every run: stamina spent, XP gained).
    pub pets: Arc<chronix_core::pets::PetRules>,
    /// Clan rules (a clan's perks raise its members' runs); `None`: no perks.
    pub clans: Option<Arc<chronix_core::clans::ClanRules>>,
}

/// The live panels of autohunt sessions (one per player).
pub struct Panels;

impl LiveSource for Panels {
    type Key = UserId;

    async fn view(&self, data: &Data, key: UserId) -> Result<Option<LiveView>, Error> {
        // The stored row is the truth: newest state and the live message saved by `enable`.
        let Some(s) = store::get(data.storage(), key).await? else {
            return Ok(None);
        };
        let Some(channel) = s.live_channel() else {
            return Ok(None);
        };
        let pets = store::active_pets(data.storage(), s.user_id).await?;
        let rules = autohunt_rules(data.config());
        // A panel is seen by everyone in its channel: the server's language.
        let locale = crate::kernel::i18n::guild_locale(data, s.live_guild().map(|g| g.get())).await;
        Ok(Some(LiveView {
            channel: channel.discord(),
            message: s.live_message().map(|m| m.discord()),
            embed: live_embed(locale, crate::tables::tables(), &rules, &s, &pets),
            components: Vec::new(),
        }))
    }

    async fn posted(
        &self,
        data: &Data,
        key: UserId,
        channel: serenity::ChannelId,
        message: serenity::MessageId,
    ) -> Result<(), Error> {
        store::set_live_message(
            data.storage(),
            key,
            Some((channel.core(), message.core())),
            Utc::now(),
        )
        .await?;
        Ok(())
    }

    async fn lost(&self, data: &Data, key: UserId, why: Lost) -> Result<(), Error> {
        // Forget the channel too: with only the message forgotten, the next update would post
        // into the same lost channel again (and DM again) on every run.
        let guild = store::get(data.storage(), key)
            .await?
            .and_then(|s| s.live_guild());
        store::forget_live_channel(data.storage(), key, Utc::now()).await?;
        let locale = crate::kernel::i18n::guild_locale(data, guild.map(|g| g.get())).await;
        let reason = match why {
            Lost::ChannelGone => tr!(locale, "autohunt-live-lost-gone"),
            Lost::NoAccess => tr!(locale, "autohunt-live-lost-hidden"),
        };
        let embed = Embed::warning(tr!(locale, "autohunt-live-lost-title")).description(tr!(
            locale,
            "autohunt-live-lost",
            reason = reason
        ));
        dm(data, key, embed).await;
        Ok(())
    }
}

/// The tick: due sessions, then live panels.
pub struct AutohuntTick {
    live: Mutex<Option<LivePanels<Panels>>>,
}

impl Default for AutohuntTick {
    fn default() -> Self {
        Self {
            live: Mutex::new(None),
        }
    }
}

impl Tick for AutohuntTick {
    fn name(&self) -> &'static str {
        "autohunt"
    }

    fn run<'a>(&'a self, ctx: &'a TickContext) -> BoxFuture<'a, Result<(), Error>> {
        Box::pin(async move {
            let mut live = self.live.lock().await;
            let live = live.get_or_insert_with(|| {
                let mut p = LivePanels::new(Panels, ctx.http.clone());
                // At most one edit per session per 5 s (or per interval when runs are faster).
                p.per_subject = p.per_subject.min(Duration::from_secs(
                    ctx.data.config().autohunt_interval_secs.max(1),
                ));
                p
            });
            let result = autohunt_tick(ctx, live).await;
            live.flush(&ctx.data).await;
            result.map(|_| ())
        })
    }
}

/// Runs due autohunt sessions: [`process_due_concurrently`], then DMs the players whose session
/// stopped and queues every touched live panel.
pub async fn autohunt_tick(
    ctx: &TickContext,
    live: &mut LivePanels<Panels>,
) -> Result<usize, Error> {
    let data = &ctx.data;
    sync_pauses(data).await?;
    let rules = autohunt_rules(data.config());
    let batches = process_due_concurrently(
        data.storage(),
        Arc::new(TickInputs {
            rules,
            tables: crate::tables::tables().clone(),
            curve: crate::tables::xp_curve(),
            pets: crate::tables::pet_rules().clone(),
            clans: data
                .config()
                .features
                .enabled("clans")
                .then(|| crate::features::clans::rules().clone()),
        }),
        Utc::now(),
        &AutohuntOptions::from_config(data.config()),
    )
    .await?;
    let mut total = 0;
    for batch in batches {
        total += batch.claimed();
        for run in batch.runs {
            queue(live, &run.session);
        }
        for d in batch.disabled {
            notify_disabled(data, &d.session, d.cost.get(), d.balance.get()).await;
            queue(live, &d.session);
        }
    }
    if total > 0 {
        tracing::debug!(sessions = total, "autohunt runs");
    }
    Ok(total)
}

/// Pauses the sessions whose server has `module disable gameplay` (they are not run or charged
/// until it is on again) and lifts the pause of the others; a player whose session was just
/// paused gets one DM ([`store::sync_pauses`] reports each pause once).
pub async fn sync_pauses(data: &Data) -> Result<(), Error> {
    let changes =
        store::sync_pauses(data.storage(), crate::features::hunt::SWITCH, Utc::now()).await?;
    for user in changes.paused {
        let guild = store::get(data.storage(), user)
            .await?
            .and_then(|s| s.live_guild());
        let locale = crate::kernel::i18n::guild_locale(data, guild.map(|g| g.get())).await;
        let embed = Embed::warning(tr!(locale, "autohunt-paused-title"))
            .description(tr!(locale, "autohunt-paused"));
        dm(data, user, embed).await;
    }
    if !changes.resumed.is_empty() {
        tracing::debug!(sessions = changes.resumed.len(), "autohunt pauses lifted");
    }
    Ok(())
}

fn queue(live: &mut LivePanels<Panels>, s: &Session) {
    if s.live_channel().is_some() {
        live.queue(s.user_id);
    }
}

/// The autohunt part of one tick: `opts.workers` tasks each claim and run batches of
/// `opts.batch_size` due sessions (one transaction per batch, `SKIP LOCKED` claims, a CSPRNG per
/// task) until none is due or `max_batches_per_tick` is reached. `chronix bench autohunt`
/// measures exactly this function.
pub async fn process_due_concurrently(
    storage: &chronix_storage::Storage,
    inputs: Arc<TickInputs>,
    now: DateTime<Utc>,
    opts: &AutohuntOptions,
) -> Result<Vec<store::Batch>, Error> {
    let mut tasks = Vec::with_capacity(opts.workers.max(1));
    for _ in 0..opts.workers.max(1) {
        let (storage, inputs) = (storage.clone(), inputs.clone());
        let (batch_size, max_batches) = (opts.batch_size, opts.max_batches_per_tick);
        tasks.push(tokio::spawn(async move {
            let ctx = TickRules {
                rules: &inputs.rules,
                tables: &inputs.tables,
                curve: &inputs.curve,
                pets: Some(&inputs.pets),
                clans: inputs.clans.as_deref(),
            };
            let mut rng = crate::tables::rng();
            let mut batches = Vec::new();
            for _ in 0..max_batches {
                let batch = store::process_due(&storage, now, batch_size, ctx, &mut rng).await?;
                let full = batch.claimed() as i64 >= batch_size;
                if batch.claimed() > 0 {
                    batches.push(batch);
                }
                if !full {
                    break;
                }
            }
            Ok::<_, chronix_storage::StorageError>(batches)
        }));
    }
    let mut all = Vec::new();
    for task in tasks {
        all.extend(
            task.await
                .map_err(|e| anyhow::anyhow!("autohunt worker failed: {e}"))??,
        );
    }
    Ok(all)
}

async fn notify_disabled(data: &Data, s: &Session, cost: i64, balance: i64) {
    let locale = crate::kernel::i18n::guild_locale(data, s.live_guild().map(|g| g.get())).await;
    let embed = Embed::warning(tr!(locale, "autohunt-stopped-title")).description(tr!(
        locale,
        "autohunt-broke",
        cost = chronix_core::render::format_chrons(Chrons::new(cost)),
        balance = chronix_core::render::format_chrons(Chrons::new(balance))
    ));
    dm(data, s.user_id, embed).await;
}

/// DMs a player; failures (DMs closed) are logged, never propagated.
async fn dm(data: &Data, user: UserId, embed: Embed) {
    let Some(http) = data.http() else { return };
    let user = serenity::UserId::new(user.get());
    let sent = match user.create_dm_channel(http.as_ref()).await {
        Ok(ch) => ch
            .id
            .send_message(http.as_ref(), embeds::message(embed))
            .await
            .map(|_| ()),
        Err(e) => Err(e),
    };
    if let Err(e) = sent {
        tracing::info!(user = %user, error = %e, "could not DM a player about their autohunt");
    }
}
