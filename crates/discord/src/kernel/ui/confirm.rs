//! Confirm dialog: "do this?" with a before/after preview and Confirm / Cancel buttons that only
//! the invoker can press. It answers `Confirmed`, `Cancelled` or `TimedOut`; on time-out the
//! message says so and loses its buttons. Nothing is decided by the button's id: the pending
//! action lives in the waiting command, so a click after a restart or the time-out finds nothing
//! to confirm (the kernel answers "expired" and strips the buttons).

use std::time::Duration;

use poise::serenity_prelude as serenity;

use crate::embeds::{self, Embed};
use crate::errors::UserError;
use crate::registry::BoxFuture;
use crate::tr;
use crate::{Context, Data, Error};

/// `custom_id` prefix of confirm buttons.
pub const PREFIX: &str = "chx:cf:";

/// A line of the preview: what changes, before → after.
#[derive(Debug, Clone)]
pub struct Change {
    /// What (e.g. "Your wallet").
    pub what: String,
    /// Before.
    pub before: String,
    /// After.
    pub after: String,
}

/// What the invoker answered.
#[derive(Debug)]
pub enum Answer {
    /// Confirm was pressed; answer the interaction (e.g. with [`done`]).
    Confirmed(Box<serenity::ComponentInteraction>),
    /// Cancel was pressed (the message already says "cancelled").
    Cancelled,
    /// Nobody answered in time (the message already says so).
    TimedOut,
}

/// The dialog's embed: the question and one field per change.
pub fn embed(title: &str, question: &str, changes: &[Change]) -> Embed {
    let mut e = Embed::warning(title).description(question);
    for c in changes {
        e = e.field(&c.what, format!("{} → **{}**", c.before, c.after), true);
    }
    e
}

/// Asks the invoker of `ctx` and waits up to `ttl` for their answer.
pub async fn ask(
    ctx: Context<'_>,
    title: &str,
    question: &str,
    changes: &[Change],
    ttl: Duration,
) -> Result<Answer, Error> {
    let l = crate::kernel::i18n::locale_of(ctx);
    let nonce = format!("{:x}", rand::random::<u64>());
    let yes = format!("{PREFIX}{nonce}:yes");
    let no = format!("{PREFIX}{nonce}:no");
    let row = serenity::CreateActionRow::Buttons(vec![
        serenity::CreateButton::new(&yes)
            .label(tr!(l, "confirm-yes"))
            .style(serenity::ButtonStyle::Success),
        serenity::CreateButton::new(&no)
            .label(tr!(l, "confirm-no"))
            .style(serenity::ButtonStyle::Secondary),
    ]);
    let owner = ctx.author().id;
    let pending = ctx.data().pending_confirms();
    // Forget dialogs answered more than a minute ago.
    let keep = ttl.max(Duration::from_secs(60));
    pending.retain(|_, (_, answered)| answered.is_none_or(|t| t.elapsed() < keep));
    pending.insert(nonce.clone(), (owner.get(), None));
    let expires = chrono::Utc::now().timestamp() + ttl.as_secs() as i64;
    let question = format!(
        "{question}\n{}",
        tr!(l, "confirm-expires", when = format!("<t:{expires}:R>"))
    );
    let handle = ctx
        .send(embeds::reply(embed(title, &question, changes)).components(vec![row]))
        .await;
    let handle = match handle {
        Ok(h) => h,
        Err(e) => {
            ctx.data().pending_confirms().remove(&nonce);
            return Err(e.into());
        }
    };
    let (y, n) = (yes.clone(), no.clone());
    let click = serenity::ComponentInteractionCollector::new(ctx.serenity_context())
        .author_id(owner)
        .filter(move |ci| ci.data.custom_id == y || ci.data.custom_id == n)
        .timeout(ttl)
        .await;
    match &click {
        // Answered: keep the entry a while (the kernel's handler sees this click too).
        Some(_) => {
            if let Some(mut e) = ctx.data().pending_confirms().get_mut(&nonce) {
                e.1 = Some(std::time::Instant::now());
            }
        }
        None => {
            ctx.data().pending_confirms().remove(&nonce);
        }
    }
    match click {
        Some(ci) if ci.data.custom_id == yes => Ok(Answer::Confirmed(Box::new(ci))),
        Some(ci) => {
            let e = Embed::info(title).description(tr!(l, "confirm-cancelled"));
            update(ctx.serenity_context(), &ci, e).await?;
            Ok(Answer::Cancelled)
        }
        None => {
            let e = Embed::info(title).description(tr!(l, "confirm-timed-out"));
            let _ = handle
                .edit(ctx, embeds::reply(e).components(Vec::new()))
                .await;
            Ok(Answer::TimedOut)
        }
    }
}

/// Answers the Confirm click by replacing the dialog with `result` (no buttons).
pub async fn done(
    ctx: &serenity::Context,
    ci: &serenity::ComponentInteraction,
    result: Embed,
) -> Result<(), Error> {
    update(ctx, ci, result).await
}

async fn update(
    ctx: &serenity::Context,
    ci: &serenity::ComponentInteraction,
    e: Embed,
) -> Result<(), Error> {
    let response = serenity::CreateInteractionResponse::UpdateMessage(
        serenity::CreateInteractionResponseMessage::new()
            .embed(e.into())
            .components(Vec::new())
            .allowed_mentions(embeds::no_mentions()),
    );
    ci.create_response(&ctx.http, response).await?;
    Ok(())
}

/// The kernel's handler for confirm buttons nobody is waiting for, or pressed by someone else:
/// the owner's click on a live dialog is the waiting command's (its collector answers it).
pub fn on_click<'a>(
    ctx: &'a serenity::Context,
    ci: &'a serenity::ComponentInteraction,
    data: &'a Data,
) -> BoxFuture<'a, Result<(), Error>> {
    Box::pin(async move {
        let l = crate::kernel::i18n::locale_of_interaction(data, ci).await;
        let nonce = ci
            .data
            .custom_id
            .strip_prefix(PREFIX)
            .and_then(|r| r.split(':').next())
            .unwrap_or("");
        match data.pending_confirms().get(nonce).map(|o| o.0) {
            Some(owner) if owner == ci.user.id.get() => Ok(()),
            Some(owner) => Err(UserError::Refused {
                title: tr!(l, "pager-not-yours-title"),
                text: tr!(l, "confirm-not-yours", owner = format!("<@{owner}>")),
            }
            .into()),
            None => {
                let e = Embed::info(tr!(l, "confirm-expired-title"))
                    .description(tr!(l, "confirm-expired"));
                update(ctx, ci, e).await
            }
        }
    })
}
