//! `dev …`: the live dev panel, elevation, error traces (Tier::Dev; the dev server only, or
//! anywhere while elevated).

use std::time::Duration;

use chronix_core::ids::ChannelId as CoreChannelId;
use chronix_storage::owner as store;
use tokio::sync::Mutex;

use super::{is_dev, record};
use crate::audit::Audit;
use crate::kernel::ids::{ToCore, ToDiscord};
use crate::prelude::*;
use crate::registry::{ALWAYS_ON, BoxFuture};
use crate::scheduler::{Tick, TickContext};
use crate::ui::live::{LivePanels, LiveSource, LiveView, Lost};

/// `custom_id` prefix of the panel's buttons and select (`chx:dev:<action>`).
pub const PREFIX: &str = "chx:dev:";
/// Longest elevation, in minutes.
pub const MAX_ELEVATION_MINUTES: u32 = 120;
/// At most one automatic panel refresh per this.
pub const PANEL_REFRESH: Duration = Duration::from_secs(30);

/// Developer tools.
#[poise::command(
    prefix_command,
    slash_command,
    subcommands("dev_panel", "dev_elevate", "dev_error"),
    subcommand_required,
    custom_data = Tier::Dev
)]
pub async fn dev(_ctx: Context<'_>) -> Result<(), Error> {
    Ok(())
}

/// Post the live dev panel here (refreshed in place; buttons for errors, configuration, switches).
#[poise::command(prefix_command, slash_command, rename = "panel", custom_data = Tier::Dev)]
pub async fn dev_panel(ctx: Context<'_>) -> Result<(), Error> {
    let data = ctx.data();
    let who = Caller::of(ctx).await;
    let l = who.locale;
    let channel = ctx.channel_id();
    store::panel_add(data.storage(), channel.core(), who.user, who.now).await?;
    let (embed, rows) = panel(data, l).await?;
    let handle = ctx.send(embeds::reply(embed).components(rows)).await?;
    let msg = handle.message().await?;
    store::panel_set_message(data.storage(), channel.core(), msg.id.core()).await?;
    Ok(())
}

/// Run dev commands outside the dev server for a while (every one of them is audited).
#[poise::command(prefix_command, slash_command, rename = "elevate", custom_data = Tier::Dev)]
pub async fn dev_elevate(
    ctx: Context<'_>,
    #[description = "For how many minutes (1 to 120)"] minutes: u32,
) -> Result<(), Error> {
    let who = Caller::of(ctx).await;
    let l = who.locale;
    if !(1..=MAX_ELEVATION_MINUTES).contains(&minutes) {
        return Err(UserError::InvalidInput(tr!(
            l,
            "owner-elevate-range",
            max = MAX_ELEVATION_MINUTES
        ))
        .into());
    }
    let now = who.now;
    let until = now + chrono::Duration::minutes(i64::from(minutes));
    let (me, here) = (who.user, who.guild);
    store::elevate(ctx.data().storage(), me, now, until).await?;
    let e = Embed::warning(tr!(l, "owner-elevated-title")).description(tr!(
        l,
        "owner-elevated",
        until = format!("<t:{}:t> (<t:{}:R>)", until.timestamp(), until.timestamp())
    ));
    let a = Audit::new(me, here, "dev.elevate").with("until", until.to_rfc3339());
    record(ctx.data(), ctx.http(), a, e.clone()).await?;
    ctx.send(embeds::reply(e)).await?;
    Ok(())
}

/// Show the full trace of a recent error by its id.
#[poise::command(prefix_command, slash_command, rename = "error", custom_data = Tier::Dev)]
pub async fn dev_error(
    ctx: Context<'_>,
    #[description = "The error id"] id: String,
) -> Result<(), Error> {
    let who = Caller::of(ctx).await;
    let l = who.locale;
    let id = id.trim().trim_matches('`').to_uppercase();
    let Some(r) = ctx
        .data()
        .recent_errors()
        .into_iter()
        .find(|r| r.id.eq_ignore_ascii_case(&id))
    else {
        return Err(UserError::InvalidInput(tr!(
            l,
            "owner-error-unknown",
            id = embeds::truncate(&id, 20)
        ))
        .into());
    };
    ctx.send(embeds::reply(r.embed(l)).ephemeral(true)).await?;
    Ok(())
}

fn secs(d: Duration) -> String {
    let s = d.as_secs();
    format!(
        "{}d {}h {}m {}s",
        s / 86_400,
        s / 3600 % 24,
        s / 60 % 60,
        s % 60
    )
}

/// The status every panel and health report shows.
pub async fn status_embed(data: &Data, l: Locale, title: String) -> Result<Embed, Error> {
    let uptime = data.uptime();
    let (connected, latency) = data.gateway_status().await;
    let snapshot = data.metrics().snapshot();
    let errors: u64 = snapshot.values().map(|s| s.errors).sum();
    let total = data.metrics().total();
    let (per_minute, errors_per_minute) = data.metrics().recent_rates(uptime);
    let (dead, pending) = store::job_health(data.storage()).await?;
    let (size, idle) = store::pool_state(data.storage());
    let counts = store::table_counts(data.storage()).await?;
    let listener_failures: u64 = data.metrics().listener_failures().values().sum();
    let gateway = match (connected, latency) {
        (true, Some(d)) => tr!(l, "owner-panel-gateway-ms", ms = d.as_millis() as u64),
        (true, None) => tr!(l, "owner-panel-gateway-up"),
        (false, _) => tr!(l, "owner-panel-gateway-down"),
    };
    let backend = match data.storage().dialect() {
        chronix_storage::Dialect::Postgres => "PostgreSQL",
        chronix_storage::Dialect::Sqlite => "SQLite",
    };
    let tables: Vec<String> = counts.iter().map(|(t, n)| format!("{t}: {n}")).collect();
    Ok(Embed::info(title)
        .field(tr!(l, "owner-panel-uptime"), secs(uptime), true)
        .field(tr!(l, "owner-panel-gateway"), gateway, true)
        .field(
            tr!(l, "owner-panel-commands"),
            tr!(
                l,
                "owner-panel-commands-value",
                total = total,
                errors = errors,
                per_minute = format!("{per_minute:.1}"),
                errors_per_minute = format!("{errors_per_minute:.2}"),
                window = crate::metrics::RATE_WINDOW_MINUTES
            ),
            false,
        )
        .field(
            tr!(l, "owner-panel-caches"),
            tr!(
                l,
                "owner-panel-caches-value",
                guilds = data.guilds().len(),
                settings = data.settings().len(),
                errors = data.recent_errors().len()
            ),
            true,
        )
        .field(
            tr!(l, "owner-panel-database"),
            tr!(
                l,
                "owner-panel-database-value",
                backend = backend,
                size = size,
                idle = idle
            ),
            true,
        )
        .field(
            tr!(l, "owner-panel-scheduler"),
            tr!(
                l,
                "owner-panel-scheduler-value",
                pending = pending,
                dead = dead,
                listeners = listener_failures
            ),
            true,
        )
        .field(
            tr!(l, "owner-panel-tables"),
            format!("```\n{}\n```", tables.join("\n")),
            false,
        ))
}

/// The features and their state: configuration, then the runtime switch.
fn features_text(data: &Data, l: Locale) -> String {
    switches(data)
        .into_iter()
        .map(|s| {
            let state = if !data.feature_enabled(s) {
                tr!(l, "owner-panel-feature-config-off")
            } else if data.is_switched_off(s) {
                tr!(l, "owner-panel-feature-switched-off")
            } else {
                tr!(l, "owner-panel-feature-on")
            };
            format!("`{s}` {state}")
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn switches(data: &Data) -> Vec<&'static str> {
    let mut v = data.registry().switches();
    v.retain(|s| *s != ALWAYS_ON);
    v.dedup();
    v
}

/// The panel: status, features, buttons and the feature switch.
pub async fn panel(
    data: &Data,
    l: Locale,
) -> Result<(Embed, Vec<serenity::CreateActionRow>), Error> {
    let e = status_embed(data, l, tr!(l, "owner-panel-title"))
        .await?
        .field(
            tr!(l, "owner-panel-features"),
            features_text(data, l),
            false,
        );
    let buttons = serenity::CreateActionRow::Buttons(vec![
        serenity::CreateButton::new(format!("{PREFIX}refresh"))
            .label(tr!(l, "owner-panel-refresh"))
            .style(serenity::ButtonStyle::Primary),
        serenity::CreateButton::new(format!("{PREFIX}errors"))
            .label(tr!(l, "owner-panel-errors"))
            .style(serenity::ButtonStyle::Secondary),
        serenity::CreateButton::new(format!("{PREFIX}config"))
            .label(tr!(l, "owner-panel-config"))
            .style(serenity::ButtonStyle::Secondary),
    ]);
    // `owner` stays on: switching it off would take this switch away.
    let options: Vec<serenity::CreateSelectMenuOption> = switches(data)
        .into_iter()
        .filter(|s| *s != "owner")
        .take(25)
        .map(|s| {
            let label = if data.is_switched_off(s) {
                tr!(l, "owner-panel-switch-on", feature = s)
            } else {
                tr!(l, "owner-panel-switch-off", feature = s)
            };
            serenity::CreateSelectMenuOption::new(label, s)
        })
        .collect();
    let mut rows = vec![buttons];
    if !options.is_empty() {
        rows.push(serenity::CreateActionRow::SelectMenu(
            serenity::CreateSelectMenu::new(
                format!("{PREFIX}switch"),
                serenity::CreateSelectMenuKind::String { options },
            )
            .placeholder(tr!(l, "owner-panel-switch-placeholder")),
        ));
    }
    Ok((e, rows))
}

/// The panel's buttons and select (devs and the owner only).
pub fn on_component<'a>(
    ctx: &'a serenity::Context,
    ci: &'a serenity::ComponentInteraction,
    data: &'a Data,
) -> BoxFuture<'a, Result<(), Error>> {
    Box::pin(async move {
        let l = crate::kernel::i18n::locale_of_interaction(data, ci).await;
        if !is_dev(data, ci.user.id.get()) {
            return Err(UserError::MissingTier {
                required: Tier::Dev,
                command: "dev panel".into(),
            }
            .into());
        }
        let action = ci.data.custom_id.strip_prefix(PREFIX).unwrap_or_default();
        let private = |e: Embed| {
            serenity::CreateInteractionResponse::Message(
                serenity::CreateInteractionResponseMessage::new()
                    .embed(e.into())
                    .ephemeral(true)
                    .allowed_mentions(embeds::no_mentions()),
            )
        };
        match action {
            "errors" => {
                ci.create_response(&ctx.http, private(errors_embed(data, l)))
                    .await?;
                return Ok(());
            }
            "config" => {
                let text = format!("{:#?}", data.config());
                let e = Embed::info(tr!(l, "owner-panel-config-title"))
                    .description(format!("```\n{}\n```", embeds::truncate(&text, 3900)));
                ci.create_response(&ctx.http, private(e)).await?;
                return Ok(());
            }
            "switch" => {
                let serenity::ComponentInteractionDataKind::StringSelect { values } = &ci.data.kind
                else {
                    return Ok(());
                };
                for v in values {
                    let on = data.is_switched_off(v);
                    if v != "owner" && data.switch_feature(v, on) {
                        // Kept in the database: the switch outlives a restart.
                        store::set_feature_switch(
                            data.storage(),
                            v,
                            on,
                            ci.user.id.core(),
                            chrono::Utc::now(),
                        )
                        .await?;
                        let a = Audit::new(
                            ci.user.id.core(),
                            ci.guild_id.map(|g| g.core()),
                            "dev.switch",
                        )
                        .target(v)
                        .before(!on)
                        .after(on);
                        let copy = Embed::warning(if on {
                            tr!(l, "owner-switched-on", feature = v.as_str())
                        } else {
                            tr!(l, "owner-switched-off", feature = v.as_str())
                        });
                        record(data, &ctx.http, a, copy).await?;
                    }
                }
            }
            _ => {}
        }
        let (e, rows) = panel(data, l).await?;
        let response = serenity::CreateInteractionResponse::UpdateMessage(
            serenity::CreateInteractionResponseMessage::new()
                .embed(e.into())
                .components(rows)
                .allowed_mentions(embeds::no_mentions()),
        );
        ci.create_response(&ctx.http, response).await?;
        Ok(())
    })
}

/// The newest errors with their id and the start of their trace.
fn errors_embed(data: &Data, l: Locale) -> Embed {
    let recent = data.recent_errors();
    let mut e = Embed::info(tr!(l, "owner-panel-errors-title", count = recent.len()));
    if recent.is_empty() {
        return e.description(tr!(l, "owner-panel-errors-none"));
    }
    for r in recent.iter().take(5) {
        e = e.field(
            format!("{} · {}", r.id, embeds::truncate(&r.kind, 80)),
            format!("```\n{}\n```", embeds::truncate(&r.error, 900)),
            false,
        );
    }
    e.footer(tr!(l, "owner-panel-errors-footer"))
}

/// The dev panels, one per channel.
pub struct PanelSource;

impl LiveSource for PanelSource {
    type Key = u64;

    async fn view(&self, data: &Data, key: u64) -> Result<Option<LiveView>, Error> {
        let channel = CoreChannelId::new(key);
        let Some((_, message)) = store::panels(data.storage())
            .await?
            .into_iter()
            .find(|(c, _)| *c == channel)
        else {
            return Ok(None);
        };
        let l = crate::kernel::i18n::guild_locale(data, data.config().dev_guild_id).await;
        let (embed, components) = panel(data, l).await?;
        Ok(Some(LiveView {
            channel: channel.discord(),
            message: message.map(|m| m.discord()),
            embed,
            components,
        }))
    }

    async fn posted(
        &self,
        data: &Data,
        key: u64,
        _channel: serenity::ChannelId,
        message: serenity::MessageId,
    ) -> Result<(), Error> {
        store::panel_set_message(data.storage(), CoreChannelId::new(key), message.core()).await?;
        Ok(())
    }

    async fn lost(&self, data: &Data, key: u64, _why: Lost) -> Result<(), Error> {
        store::panel_remove(data.storage(), CoreChannelId::new(key)).await?;
        Ok(())
    }
}

/// Refreshes every dev panel at most once per [`PANEL_REFRESH`].
#[derive(Default)]
pub struct PanelTick {
    live: Mutex<Option<LivePanels<PanelSource>>>,
}

impl Tick for PanelTick {
    fn name(&self) -> &'static str {
        "owner.dev_panel"
    }

    fn run<'a>(&'a self, ctx: &'a TickContext) -> BoxFuture<'a, Result<(), Error>> {
        Box::pin(async move {
            let panels = store::panels(ctx.data.storage()).await?;
            if panels.is_empty() {
                return Ok(());
            }
            let mut live = self.live.lock().await;
            let live = live.get_or_insert_with(|| {
                let mut p = LivePanels::new(PanelSource, ctx.http.clone());
                p.per_subject = PANEL_REFRESH;
                p
            });
            for (channel, _) in panels {
                live.queue(channel.get());
            }
            live.flush(&ctx.data).await;
            Ok(())
        })
    }
}
