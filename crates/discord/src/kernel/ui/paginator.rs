//! Paginator: First / Prev / `x/y` / Next / Last buttons under a message, for any feature.
//!
//! A feature registers a page source ([`crate::registry::Feature::pages`]) under a short name
//! and sends the first page with [`send`]. Clicks come back to the kernel, which
//!
//! * answers only the invoker (anyone else gets an ephemeral "this isn't yours", and the page is
//!   never drawn with the presser's permissions),
//! * asks the source for the target page with the invoker's identity, and edits the message,
//! * removes the buttons once the pager timed out: a job strips them from public messages at
//!   [`TIMEOUT`], and a click after the timeout strips them too (ephemeral replies cannot be
//!   edited by a job).
//!
//! The buttons are stateless: `chx:pg:<source>:<owner>:<to>:<from>:<expires>:<state>` carries
//! everything (the source's `state` is its own short text, e.g. a leaderboard's cursor), so
//! paging works across restarts until the timeout.

use chrono::{DateTime, Utc};
use poise::serenity_prelude as serenity;

use crate::embeds::{self, Embed};
use crate::errors::UserError;
use crate::kernel::i18n::{Locale, Localize};
use crate::registry::BoxFuture;
use crate::tr;
use crate::{Data, Error};

/// `custom_id` prefix of every paginator button.
pub const PREFIX: &str = "chx:pg:";
/// How long a pager answers clicks.
pub const TIMEOUT: chrono::Duration = chrono::Duration::minutes(10);
/// The job kind that strips a timed-out pager's buttons.
pub const EXPIRE_JOB: &str = "ui.pager_expire";

/// Who asks for a page, and which.
#[derive(Debug, Clone)]
pub struct PageRequest {
    /// The invoker (only they can page).
    pub owner: serenity::UserId,
    /// The guild the pager lives in.
    pub guild_id: Option<serenity::GuildId>,
    /// The page wanted (0-based; `usize::MAX` = the last page).
    pub page: usize,
    /// The page shown when the button was pressed.
    pub from: usize,
    /// The source's state, as it returned it with the page shown.
    pub state: String,
    /// The prefix to show in usage hints (the guild's, or the default).
    pub prefix: String,
    /// The language to draw the page in (the presser's, see [`crate::kernel::i18n`]).
    pub locale: Locale,
}

/// One page, as a source draws it.
#[derive(Debug, Clone)]
pub struct Page {
    /// The embed (the kernel adds nothing to it).
    pub embed: Embed,
    /// The page actually shown (0-based; clamped by the source).
    pub index: usize,
    /// How many pages there are (at least 1).
    pub total: usize,
    /// State to carry on the buttons (short; the whole `custom_id` must fit in 100 chars).
    pub state: String,
    /// State for the Prev button only (a keyset cursor), else `state`.
    pub prev_state: Option<String>,
    /// State for the Next button only (a keyset cursor), else `state`.
    pub next_state: Option<String>,
}

impl Page {
    /// A page with one state for every button.
    pub fn new(embed: Embed, index: usize, total: usize, state: impl Into<String>) -> Self {
        Self {
            embed,
            index,
            total,
            state: state.into(),
            prev_state: None,
            next_state: None,
        }
    }
}

/// Draws a page.
pub type PageFn = for<'a> fn(&'a Data, &'a PageRequest) -> BoxFuture<'a, Result<Page, Error>>;

/// A button's parsed `custom_id`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Click {
    /// The source's name.
    pub source: String,
    /// The invoker.
    pub owner: u64,
    /// Target page (`usize::MAX`: last).
    pub to: usize,
    /// Page shown when pressed.
    pub from: usize,
    /// Expiry (Unix seconds).
    pub expires: i64,
    /// The source's state.
    pub state: String,
}

/// The `custom_id` of a button. `tag` tells the buttons apart (`f`irst, `p`rev, `n`ext,
/// `l`ast): Discord refuses two equal ids in one message, and First and Prev may lead to the
/// same page.
pub fn custom_id(
    tag: char,
    source: &str,
    owner: u64,
    to: usize,
    from: usize,
    expires: i64,
    state: &str,
) -> String {
    let to = if to == usize::MAX {
        "L".to_string()
    } else {
        to.to_string()
    };
    format!("{PREFIX}{source}:{owner}:{tag}{to}:{from}:{expires}:{state}")
}

/// Parses a button's `custom_id`.
pub fn parse(id: &str) -> Option<Click> {
    let rest = id.strip_prefix(PREFIX)?;
    let mut parts = rest.splitn(6, ':');
    let source = parts.next()?.to_string();
    let owner = parts.next()?.parse().ok()?;
    let to = parts.next()?;
    let to = match to.get(1..)? {
        "L" => usize::MAX,
        n => n.parse().ok()?,
    };
    let from = parts.next()?.parse().ok()?;
    let expires = parts.next()?.parse().ok()?;
    let state = parts.next().unwrap_or("").to_string();
    Some(Click {
        source,
        owner,
        to,
        from,
        expires,
        state,
    })
}

/// The button row of `page` (First, Prev, `x/y`, Next, Last; disabled where they lead nowhere).
pub fn row(
    source: &str,
    owner: u64,
    page: &Page,
    expires: i64,
    locale: Locale,
) -> serenity::CreateActionRow {
    let (i, n) = (page.index, page.total.max(1));
    let b = |tag: char, to: usize, label: String, disabled: bool| {
        let state = match tag {
            'p' => page.prev_state.as_deref().unwrap_or(&page.state),
            'n' => page.next_state.as_deref().unwrap_or(&page.state),
            _ => &page.state,
        };
        serenity::CreateButton::new(custom_id(tag, source, owner, to, i, expires, state))
            .label(label)
            .style(serenity::ButtonStyle::Secondary)
            .disabled(disabled)
    };
    serenity::CreateActionRow::Buttons(vec![
        b('f', 0, tr!(locale, "pager-first"), i == 0),
        b('p', i.saturating_sub(1), tr!(locale, "pager-prev"), i == 0),
        serenity::CreateButton::new(format!("{PREFIX}-:{owner}:{i}:{n}"))
            .label(format!("{}/{}", i + 1, n))
            .style(serenity::ButtonStyle::Secondary)
            .disabled(true),
        b('n', i + 1, tr!(locale, "pager-next"), i + 1 >= n).style(serenity::ButtonStyle::Primary),
        b('l', usize::MAX, tr!(locale, "pager-last"), i + 1 >= n),
    ])
}

/// The rows to send with a page: none when there is only one page.
pub fn rows(
    source: &str,
    owner: u64,
    page: &Page,
    expires: i64,
    locale: Locale,
) -> Vec<serenity::CreateActionRow> {
    if page.total <= 1 {
        Vec::new()
    } else {
        vec![row(source, owner, page, expires, locale)]
    }
}

/// Where a pager goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Delivery {
    /// A normal reply.
    Public,
    /// Only the invoker sees it: an ephemeral reply for slash commands, a direct message for
    /// prefix commands (prefix replies cannot be ephemeral) with a short note in the channel.
    Private,
}

/// Sends the first page of `source` as the reply to `ctx` (see [`Delivery`]) and schedules
/// the buttons' removal.
pub async fn send(
    ctx: crate::Context<'_>,
    source: &'static str,
    state: String,
    delivery: Delivery,
) -> Result<(), Error> {
    let data = ctx.data();
    let Some(draw) = data.registry().page_source(source) else {
        anyhow::bail!("no page source called {source}");
    };
    let req = PageRequest {
        owner: ctx.author().id,
        guild_id: ctx.guild_id(),
        page: 0,
        from: 0,
        state,
        prefix: ctx.prefix().to_string(),
        locale: ctx.lang(),
    };
    let page = draw(data, &req).await?;
    let expires = (Utc::now() + TIMEOUT).timestamp();
    let rows = rows(source, req.owner.get(), &page, expires, req.locale);
    let has_buttons = !rows.is_empty();
    let slash = matches!(ctx, poise::Context::Application(_));
    let msg = match (delivery, slash) {
        (Delivery::Private, true) => {
            // Ephemeral: only the interaction can edit it; clicks after the timeout strip it.
            ctx.send(embeds::reply(page.embed).components(rows).ephemeral(true))
                .await?;
            return Ok(());
        }
        (Delivery::Private, false) => {
            let dm = ctx.author().create_dm_channel(ctx.http()).await;
            let sent = match dm {
                Ok(ch) => ch
                    .id
                    .send_message(ctx.http(), embeds::message(page.embed).components(rows))
                    .await
                    .ok(),
                Err(_) => None,
            };
            let note = match sent {
                Some(_) => Embed::info(tr!(ctx, "pager-sent-privately-title"))
                    .description(tr!(ctx, "pager-sent-privately")),
                None => Embed::warning(tr!(ctx, "pager-dm-closed-title"))
                    .description(tr!(ctx, "pager-dm-closed")),
            };
            ctx.send(embeds::reply(note)).await?;
            match sent {
                Some(m) => m,
                None => return Ok(()),
            }
        }
        (Delivery::Public, _) => {
            let handle = ctx.send(embeds::reply(page.embed).components(rows)).await?;
            handle.message().await?.into_owned()
        }
    };
    if has_buttons {
        schedule_expiry(data, msg.channel_id, msg.id, expires).await?;
    }
    Ok(())
}

/// Queues the job that strips the buttons of `message` at `expires`.
pub async fn schedule_expiry(
    data: &Data,
    channel: serenity::ChannelId,
    message: serenity::MessageId,
    expires: i64,
) -> Result<(), Error> {
    let at = DateTime::from_timestamp(expires, 0).unwrap_or_else(Utc::now);
    crate::scheduler::enqueue(
        data,
        EXPIRE_JOB,
        serde_json::json!({ "channel": channel.get().to_string(), "message": message.get().to_string() }),
        at,
        Some(format!("{EXPIRE_JOB}:{message}")),
    )
    .await?;
    Ok(())
}

/// The job: removes the buttons of a timed-out pager (a deleted message is fine).
pub fn expire_job<'a>(
    ctx: &'a crate::scheduler::JobContext,
    job: &'a chronix_storage::jobs::Job,
) -> BoxFuture<'a, Result<(), Error>> {
    Box::pin(async move {
        let id = |k: &str| {
            job.payload[k]
                .as_str()
                .and_then(|v| v.parse::<u64>().ok())
                .filter(|v| *v > 0)
        };
        let (Some(channel), Some(message)) = (id("channel"), id("message")) else {
            return Ok(()); // a malformed payload will never get better
        };
        let edit = serenity::EditMessage::new().components(Vec::new());
        match serenity::ChannelId::new(channel)
            .edit_message(ctx.http.as_ref(), serenity::MessageId::new(message), edit)
            .await
        {
            Ok(_) => Ok(()),
            Err(serenity::Error::Http(serenity::HttpError::UnsuccessfulRequest(r)))
                if matches!(r.status_code.as_u16(), 403 | 404) =>
            {
                Ok(())
            }
            Err(e) => Err(e.into()),
        }
    })
}

/// The kernel's click handler for every paginator button.
pub fn on_click<'a>(
    ctx: &'a serenity::Context,
    ci: &'a serenity::ComponentInteraction,
    data: &'a Data,
) -> BoxFuture<'a, Result<(), Error>> {
    Box::pin(async move {
        let locale = crate::kernel::i18n::locale_of_interaction(data, ci).await;
        let Some(click) = parse(&ci.data.custom_id) else {
            return Err(UserError::msg(tr!(locale, "button-no-longer-valid")).into());
        };
        if ci.user.id.get() != click.owner {
            return Err(UserError::Refused {
                title: tr!(locale, "pager-not-yours-title"),
                text: tr!(
                    locale,
                    "pager-not-yours",
                    owner = format!("<@{}>", click.owner)
                ),
            }
            .into());
        }
        if Utc::now().timestamp() >= click.expires {
            let response = serenity::CreateInteractionResponse::UpdateMessage(
                serenity::CreateInteractionResponseMessage::new().components(Vec::new()),
            );
            ci.create_response(&ctx.http, response).await?;
            return Ok(());
        }
        let Some(draw) = data.registry().page_source(&click.source) else {
            return Err(UserError::msg(tr!(locale, "button-no-longer-valid")).into());
        };
        let prefix = match ci.guild_id {
            Some(g) => data
                .settings()
                .get(g.get())
                .await?
                .prefix
                .clone()
                .unwrap_or_else(|| data.config().prefix.clone()),
            None => data.config().prefix.clone(),
        };
        let req = PageRequest {
            owner: ci.user.id,
            guild_id: ci.guild_id,
            page: click.to,
            from: click.from,
            state: click.state.clone(),
            prefix,
            locale,
        };
        let page = draw(data, &req).await?;
        let rows = rows(&click.source, click.owner, &page, click.expires, locale);
        let response = serenity::CreateInteractionResponse::UpdateMessage(
            serenity::CreateInteractionResponseMessage::new()
                .embed(page.embed.into())
                .components(rows)
                .allowed_mentions(embeds::no_mentions()),
        );
        ci.create_response(&ctx.http, response).await?;
        Ok(())
    })
}

/// Clamps a wanted page into `0..total` (`usize::MAX` → the last).
pub fn clamp(page: usize, total: usize) -> usize {
    page.min(total.max(1) - 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn custom_ids_round_trip_and_fit_discord() {
        let id = custom_id(
            'l',
            "lb",
            u64::MAX,
            usize::MAX,
            41,
            1_900_000_000,
            "gc:123456789:987654321",
        );
        assert!(id.len() <= 100, "{} chars", id.len());
        let c = parse(&id).unwrap();
        assert_eq!(
            c,
            Click {
                source: "lb".into(),
                owner: u64::MAX,
                to: usize::MAX,
                from: 41,
                expires: 1_900_000_000,
                state: "gc:123456789:987654321".into(),
            }
        );
        assert_eq!(parse("chx:pg:help:1:nx:0:0:"), None);
        assert_eq!(parse("chx:pg:help:1:n3:0:0:").unwrap().to, 3);
        assert_eq!(parse("chx:help:next:1"), None);
    }

    fn ids(row: &serenity::CreateActionRow) -> Vec<(String, bool, String)> {
        let v = serde_json::to_value(row).unwrap();
        v["components"]
            .as_array()
            .unwrap()
            .iter()
            .map(|b| {
                (
                    b["label"].as_str().unwrap().to_string(),
                    b["disabled"].as_bool().unwrap_or(false),
                    b["custom_id"].as_str().unwrap().to_string(),
                )
            })
            .collect()
    }

    #[test]
    fn buttons_lead_where_they_say_and_are_unique() {
        let page = Page::new(Embed::info("x"), 1, 3, "s");
        let b = ids(&row("help", 7, &page, 99, Locale::EN));
        let labels: Vec<&str> = b.iter().map(|x| x.0.as_str()).collect();
        assert_eq!(labels, ["⏮ First", "◀ Prev", "2/3", "Next ▶", "Last ⏭"]);
        assert!(
            b.iter().all(|x| !x.1 || x.0 == "2/3"),
            "middle page: all enabled"
        );
        let targets: Vec<usize> = b
            .iter()
            .filter(|x| x.0 != "2/3")
            .map(|x| parse(&x.2).unwrap().to)
            .collect();
        assert_eq!(targets, [0, 0, 2, usize::MAX]);
        let unique: std::collections::HashSet<&str> = b.iter().map(|x| x.2.as_str()).collect();
        assert_eq!(unique.len(), 5, "Discord refuses duplicate custom ids");

        let first = Page {
            index: 0,
            ..page.clone()
        };
        let b = ids(&row("help", 7, &first, 99, Locale::EN));
        assert_eq!(
            b.iter().map(|x| x.1).collect::<Vec<_>>(),
            [true, true, true, false, false]
        );
        let one = Page {
            total: 1,
            index: 0,
            ..page
        };
        assert!(
            rows("help", 7, &one, 99, Locale::EN).is_empty(),
            "one page: no buttons"
        );
    }

    #[test]
    fn clamping() {
        assert_eq!(clamp(usize::MAX, 5), 4);
        assert_eq!(clamp(2, 5), 2);
        assert_eq!(clamp(9, 0), 0);
    }
}
