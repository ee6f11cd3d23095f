//! The giveaway message and its Enter button, the live entry count, and the end of a
//! giveaway (job or `giveaway end`): draw, panel edit, winners pinged, notes.

use std::collections::HashSet;
use std::time::Duration;

use chronix_core::giveaways::{self as rules, MemberFacts};
use chronix_core::ids::{RoleId, UserId};
use chronix_storage::giveaways::{self as store, Giveaway, GiveawayId, GiveawayStatus, Toggled};
use chrono::Utc;
use rand::SeedableRng;

use super::{END_JOB, PREFIX, refused, unmet, user_error};
use crate::events::{Note, NoteTopic};
use crate::kernel::ids::{ToCore, ToDiscord};
use crate::prelude::*;
use crate::registry::BoxFuture;
use crate::scheduler::{JobContext, Tick, TickContext};
use crate::ui::live::{LivePanels, LiveSource, LiveView, Lost};

/// The requirements as lines (`—` when none).
fn requirement_lines(l: Locale, g: &Giveaway) -> String {
    let r = &g.requirements;
    let mut out = Vec::new();
    if let Some(role) = r.role {
        out.push(tr!(l, "giveaways-req-role", role = format!("<@&{role}>")));
    }
    if let Some(n) = r.min_level {
        out.push(tr!(l, "giveaways-req-level", level = n));
    }
    if let Some(n) = r.min_invites {
        out.push(tr!(l, "giveaways-req-invites", count = n));
    }
    if let Some(s) = r.min_account_age_secs {
        out.push(tr!(
            l,
            "giveaways-req-age",
            age = chronix_core::moderation::format_span(chrono::Duration::seconds(s))
        ));
    }
    if out.is_empty() {
        tr!(l, "giveaways-req-none")
    } else {
        out.join("\n")
    }
}

fn mentions(users: &[UserId]) -> String {
    users
        .iter()
        .map(|u| format!("<@{u}>"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The giveaway's embed: prize, end, winners, requirements, entries (and winners once ended).
pub fn embed(l: Locale, g: &Giveaway, entries: i64, winners: &[UserId]) -> Embed {
    let ts = g.ends_at.timestamp();
    let (mut e, when) = match g.status {
        GiveawayStatus::Open => (
            Embed::gameplay(tr!(l, "giveaways-panel-title", prize = g.prize.as_str())),
            tr!(
                l,
                "giveaways-panel-ends",
                relative = format!("<t:{ts}:R>"),
                full = format!("<t:{ts}:F>")
            ),
        ),
        GiveawayStatus::Ended => (
            Embed::success(tr!(
                l,
                "giveaways-panel-ended-title",
                prize = g.prize.as_str()
            )),
            tr!(l, "giveaways-panel-ended", full = format!("<t:{ts}:F>")),
        ),
        GiveawayStatus::Cancelled => (
            Embed::warning(tr!(
                l,
                "giveaways-panel-cancelled-title",
                prize = g.prize.as_str()
            )),
            tr!(l, "giveaways-panel-cancelled"),
        ),
    };
    e = e
        .description(when)
        .field(
            tr!(l, "giveaways-field-winners"),
            g.winners.to_string(),
            true,
        )
        .field(tr!(l, "giveaways-field-entries"), entries.to_string(), true)
        .field(
            tr!(l, "giveaways-field-host"),
            format!("<@{}>", g.host),
            true,
        )
        .field(
            tr!(l, "giveaways-field-requirements"),
            requirement_lines(l, g),
            false,
        );
    if g.status == GiveawayStatus::Ended {
        let w = if winners.is_empty() {
            tr!(l, "giveaways-no-winners")
        } else {
            mentions(winners)
        };
        e = e.field(tr!(l, "giveaways-field-drawn"), w, false);
    }
    e.footer(tr!(l, "giveaways-footer", id = g.id.get()))
}

/// The Enter button (none once the giveaway is over).
pub fn buttons(l: Locale, g: &Giveaway) -> Vec<serenity::CreateActionRow> {
    if g.status != GiveawayStatus::Open {
        return Vec::new();
    }
    vec![serenity::CreateActionRow::Buttons(vec![
        serenity::CreateButton::new(format!("{PREFIX}enter:{}", g.id))
            .label(tr!(l, "giveaways-button-enter"))
            .emoji('🎉')
            .style(serenity::ButtonStyle::Primary),
    ])]
}

/// The giveaway's view now, in the server's language.
pub async fn view(
    data: &Data,
    g: &Giveaway,
) -> Result<(Embed, Vec<serenity::CreateActionRow>), Error> {
    let l = crate::kernel::i18n::guild_locale(data, Some(g.guild.get())).await;
    let entries = store::entry_count(data.storage(), g.id).await?;
    let winners: Vec<UserId> = store::winners(data.storage(), g.id)
        .await?
        .into_iter()
        .map(|w| w.0)
        .collect();
    Ok((embed(l, g, entries, &winners), buttons(l, g)))
}

/// Giveaways whose panel should show a new entry count (filled by clicks, drained by the tick).
#[derive(Default)]
pub struct Changed(parking_lot::Mutex<HashSet<GiveawayId>>);

/// The live panel source: a giveaway's message.
pub struct Panels;

impl LiveSource for Panels {
    type Key = i64;

    async fn view(&self, data: &Data, key: i64) -> Result<Option<LiveView>, Error> {
        let Some(g) = store::get(data.storage(), GiveawayId::new(key)).await? else {
            return Ok(None);
        };
        if g.status != GiveawayStatus::Open {
            return Ok(None); // the end edits the panel itself
        }
        let (embed, components) = view(data, &g).await?;
        Ok(Some(LiveView {
            channel: g.channel.discord(),
            message: g.message.map(|m| m.discord()),
            embed,
            components,
        }))
    }

    async fn posted(
        &self,
        data: &Data,
        key: i64,
        _channel: serenity::ChannelId,
        message: serenity::MessageId,
    ) -> Result<(), Error> {
        store::set_message(data.storage(), GiveawayId::new(key), message.core()).await?;
        Ok(())
    }

    async fn lost(&self, _data: &Data, key: i64, why: Lost) -> Result<(), Error> {
        tracing::info!(
            giveaway = key,
            ?why,
            "giveaway panel can no longer be shown"
        );
        Ok(())
    }
}

/// Refreshes the panels whose entry count changed (at most one edit per panel per 2 s).
#[derive(Default)]
pub struct PanelTick {
    live: tokio::sync::Mutex<Option<LivePanels<Panels>>>,
}

impl Tick for PanelTick {
    fn name(&self) -> &'static str {
        "giveaways.panels"
    }

    fn run<'a>(&'a self, ctx: &'a TickContext) -> BoxFuture<'a, Result<(), Error>> {
        Box::pin(async move {
            let changed: Vec<GiveawayId> = ctx.data.state::<Changed>().0.lock().drain().collect();
            let mut live = self.live.lock().await;
            if changed.is_empty() && live.as_ref().is_none_or(|l| l.pending() == 0) {
                return Ok(());
            }
            let live = live.get_or_insert_with(|| {
                let mut p = LivePanels::new(Panels, ctx.http.clone());
                p.per_subject = Duration::from_secs(2);
                p
            });
            for id in changed {
                live.queue(id.get());
            }
            live.flush(&ctx.data).await;
            Ok(())
        })
    }
}

fn ephemeral(embed: Embed) -> serenity::CreateInteractionResponse {
    serenity::CreateInteractionResponse::Message(
        serenity::CreateInteractionResponseMessage::new()
            .embed(embed.into())
            .ephemeral(true)
            .allowed_mentions(embeds::no_mentions()),
    )
}

/// The Enter button: enters (requirements checked, each unmet one explained) or, for a member
/// who has entered, leaves.
pub fn on_component<'a>(
    ctx: &'a serenity::Context,
    ci: &'a serenity::ComponentInteraction,
    data: &'a Data,
) -> BoxFuture<'a, Result<(), Error>> {
    Box::pin(async move {
        let l = crate::kernel::i18n::locale_of_interaction(data, ci).await;
        let gone = || -> Error { UserError::msg(tr!(l, "button-no-longer-valid")).into() };
        let Some(id) = ci
            .data
            .custom_id
            .strip_prefix(PREFIX)
            .and_then(|r| r.strip_prefix("enter:"))
            .and_then(|x| x.parse::<i64>().ok())
        else {
            return Err(gone());
        };
        let Some(g) = store::get(data.storage(), GiveawayId::new(id)).await? else {
            return Err(gone());
        };
        if g.status != GiveawayStatus::Open {
            return Err(user_error(
                l,
                chronix_storage::Refusal::Giveaway(store::GiveawayRefusal::AlreadyEnded).into(),
            ));
        }
        let user = ci.user.id.core();
        let now = Utc::now();
        let entered = store::is_entered(data.storage(), g.id, user).await?;
        let answer = if entered {
            match store::set_entry(data.storage(), g.id, user, false, now)
                .await
                .map_err(|e| user_error(l, e))?
            {
                Toggled::Left(n) | Toggled::Entered(n) => {
                    Embed::info(tr!(l, "giveaways-left-title")).description(tr!(
                        l,
                        "giveaways-left",
                        prize = g.prize.as_str(),
                        count = n
                    ))
                }
            }
        } else {
            let facts = member_facts(data, &g, ci).await?;
            let failed = rules::check(&g.requirements, &facts, now);
            if !failed.is_empty() {
                let lines: Vec<String> = failed
                    .iter()
                    .map(|u| format!("• {}", unmet(l, u)))
                    .collect();
                return Err(refused(
                    l,
                    tr!(l, "giveaways-cannot-enter", reasons = lines.join("\n")),
                ));
            }
            match store::set_entry(data.storage(), g.id, user, true, now)
                .await
                .map_err(|e| user_error(l, e))?
            {
                Toggled::Entered(n) | Toggled::Left(n) => {
                    Embed::success(tr!(l, "giveaways-entered-title")).description(tr!(
                        l,
                        "giveaways-entered",
                        prize = g.prize.as_str(),
                        count = n
                    ))
                }
            }
        };
        data.state::<Changed>().0.lock().insert(g.id);
        ci.create_response(&ctx.http, ephemeral(answer)).await?;
        Ok(())
    })
}

/// What the requirements look at: the member's roles (from the interaction), server level,
/// invite count and account age.
async fn member_facts(
    data: &Data,
    g: &Giveaway,
    ci: &serenity::ComponentInteraction,
) -> Result<MemberFacts, Error> {
    let user = ci.user.id.core();
    let r = &g.requirements;
    let level = if r.min_level.is_some() {
        chronix_storage::levels::member(data.storage(), g.guild, user)
            .await?
            .level
    } else {
        0
    };
    let invites = if r.min_invites.is_some() {
        chronix_storage::invites::counts(data.storage(), g.guild, user)
            .await?
            .total()
    } else {
        0
    };
    Ok(MemberFacts {
        roles: ci
            .member
            .as_ref()
            .map(|m| m.roles.iter().map(|r| RoleId::new(r.get())).collect())
            .unwrap_or_default(),
        level,
        invites,
        account_created: chronix_core::invites::snowflake_time(user.get()),
    })
}

/// Posts a new giveaway's panel and queues its end.
pub async fn post(http: &serenity::Http, data: &Data, g: &Giveaway) -> Result<(), Error> {
    let (embed, rows) = view(data, g).await?;
    let msg = g
        .channel
        .discord()
        .send_message(http, embeds::message(embed).components(rows))
        .await?;
    store::set_message(data.storage(), g.id, msg.id.core()).await?;
    crate::scheduler::enqueue(
        data,
        END_JOB,
        serde_json::json!({ "giveaway": g.id.get() }),
        g.ends_at,
        Some(end_key(g.id)),
    )
    .await?;
    Ok(())
}

/// The dedupe key of a giveaway's end job.
pub fn end_key(id: GiveawayId) -> String {
    format!("{END_JOB}:{id}")
}

/// A draw function over a fresh CSPRNG (seeded from the OS), for storage's `end`/`reroll`.
pub fn csprng_draw() -> impl FnMut(&[UserId], u32) -> Vec<UserId> + Send {
    let mut rng = rand::rngs::StdRng::from_os_rng();
    move |entrants: &[UserId], count: u32| rules::draw(entrants, &[], count, &mut rng)
}

/// Ends a giveaway now (job or command): draws, edits the panel, announces the winners.
/// Refused when it has ended or was cancelled already.
pub async fn finish(
    http: &serenity::Http,
    data: &Data,
    id: GiveawayId,
) -> Result<store::Ended, chronix_storage::StorageError> {
    let ended = store::end(data.storage(), id, Utc::now(), csprng_draw()).await?;
    if let Err(e) = announce(http, data, &ended.giveaway, &ended.winners, false).await {
        tracing::warn!(error = ?e, giveaway = %id, "could not announce a giveaway's end");
    }
    Ok(ended)
}

/// Edits the panel to its final state and posts the winners (pinging only them), with a
/// gameplay note per winner.
pub async fn announce(
    http: &serenity::Http,
    data: &Data,
    g: &Giveaway,
    winners: &[UserId],
    reroll: bool,
) -> Result<(), Error> {
    let l = crate::kernel::i18n::guild_locale(data, Some(g.guild.get())).await;
    let (embed, rows) = view(data, g).await?;
    if let Some(m) = g.message {
        let edit = serenity::EditMessage::new()
            .embed(embed.into())
            .components(rows);
        if let Err(e) = g
            .channel
            .discord()
            .edit_message(http, m.discord(), edit)
            .await
        {
            tracing::info!(error = %e, giveaway = %g.id, "could not edit a giveaway panel");
        }
    }
    let (content, pings) = if winners.is_empty() {
        (
            tr!(l, "giveaways-announce-nobody", prize = g.prize.as_str()),
            Vec::new(),
        )
    } else if reroll {
        (
            tr!(
                l,
                "giveaways-announce-reroll",
                winners = mentions(winners),
                prize = g.prize.as_str()
            ),
            winners.to_vec(),
        )
    } else {
        (
            tr!(
                l,
                "giveaways-announce",
                winners = mentions(winners),
                prize = g.prize.as_str()
            ),
            winners.to_vec(),
        )
    };
    let allowed = serenity::CreateAllowedMentions::new()
        .users(pings.iter().map(|u| u.discord()).collect::<Vec<_>>())
        .everyone(false)
        .replied_user(false);
    let mut msg = serenity::CreateMessage::new()
        .content(embeds::truncate(&content, 2000))
        .allowed_mentions(allowed);
    if let Some(m) = g.message {
        msg = msg.reference_message((g.channel.discord(), m.discord()));
    }
    let sent = g.channel.discord().send_message(http, msg.clone()).await;
    if sent.is_err() && g.message.is_some() {
        // The panel was deleted: post without the reply.
        let msg = serenity::CreateMessage::new()
            .content(embeds::truncate(&content, 2000))
            .allowed_mentions(
                serenity::CreateAllowedMentions::new()
                    .users(pings.iter().map(|u| u.discord()).collect::<Vec<_>>())
                    .everyone(false),
            );
        g.channel.discord().send_message(http, msg).await?;
    } else {
        sent?;
    }
    for w in winners {
        let n = Note::new(
            g.guild.discord(),
            NoteTopic::Gameplay,
            "giveaway_won",
            "note-giveaway-won",
        )
        .user(w.discord())
        .channel(g.channel.discord())
        .arg("user", format!("<@{w}>"))
        .arg("prize", g.prize.clone())
        .payload(serde_json::json!({ "giveaway": g.id.get(), "prize": g.prize, "reroll": reroll }));
        crate::events::note_from_job(data, n).await;
    }
    Ok(())
}

/// The end job: ends the giveaway unless a manager ended or cancelled it already.
pub fn end_job<'a>(
    ctx: &'a JobContext,
    job: &'a chronix_storage::jobs::Job,
) -> BoxFuture<'a, Result<(), Error>> {
    Box::pin(async move {
        let Some(id) = job.payload["giveaway"].as_i64() else {
            anyhow::bail!("giveaways.end job without a giveaway id");
        };
        match finish(ctx.http.as_ref(), &ctx.data, GiveawayId::new(id)).await {
            Ok(_) | Err(chronix_storage::StorageError::Refused(_)) => Ok(()),
            Err(e) => Err(e.into()),
        }
    })
}
