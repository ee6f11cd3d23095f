//! The end of temp-bans and timeouts: the one-shot job `moderation.expire`, queued by
//! `chronix_storage::moderation::create` in the transaction that records the case (payload
//! `{"case_id": …}`, due at the expiry). It survives restarts (a row in `jobs`), is claimed by
//! one process (`SKIP LOCKED`), and ends the case with one conditional update: a temp-ban is
//! lifted with the bot's own permission (whether or not the moderator still has their role) and
//! an automatic `unban` case is recorded in the same transaction that ends the temp-ban. A case
//! already over (lifted by a moderator, replaced by a permanent ban, deleted…) is left alone.

use chronix_core::moderation::{CaseKind, CaseTarget};
use chronix_storage::jobs::Job;
use chronix_storage::moderation::{self, CaseId, NewCase};

use super::discord_code;
use crate::kernel::ids::{ToCore, ToDiscord};
use crate::prelude::*;
use crate::scheduler::JobContext;

/// The job kind.
pub const EXPIRE_JOB: &str = "moderation.expire";

/// Ends one timed case (see the module docs).
pub fn expire_job<'a>(
    ctx: &'a JobContext,
    job: &'a Job,
) -> poise::BoxFuture<'a, Result<(), Error>> {
    Box::pin(async move {
        let Some(id) = job.payload.0["case_id"].as_i64() else {
            anyhow::bail!("moderation.expire job {} without a case id", job.id);
        };
        let storage = ctx.data.storage();
        let Some(case) = moderation::get_by_id(storage, CaseId::new(id)).await? else {
            return Ok(());
        };
        if !case.active {
            return Ok(());
        }
        match (case.kind, case.target) {
            (CaseKind::TempBan, CaseTarget::User(target)) => {
                let l = crate::i18n::guild_locale(&ctx.data, Some(case.guild.get())).await;
                let reason = tr!(
                    l,
                    "moderation-expired-reason",
                    number = u64::from(case.number)
                );
                match ctx
                    .http
                    .remove_ban(case.guild.discord(), target.discord(), Some(&reason))
                    .await
                {
                    Ok(()) => {}
                    // Already unbanned by hand: the case still ends.
                    Err(e) if discord_code(&e) == Some(10026) => {}
                    Err(e) => return Err(e.into()),
                }
                let bot = bot_user(ctx).await?;
                let mut follow = NewCase::new(case.guild, CaseKind::Unban, target, bot);
                follow.reason = Some(reason);
                let recorded =
                    moderation::end_and_record(storage, case.id, &follow, ctx.now).await?;
                tracing::info!(
                    guild = case.guild.get(),
                    case = case.number,
                    unban_case = ?recorded.map(|c| c.number),
                    "temp-ban ended"
                );
            }
            // Discord ends a timeout by itself; the case ends with it.
            _ => {
                moderation::end(storage, case.id, ctx.now).await?;
            }
        }
        Ok(())
    })
}

/// The bot's user id in a job (the cache's current user, else REST).
pub async fn bot_user(ctx: &JobContext) -> Result<chronix_core::ids::UserId, Error> {
    if let Some(cache) = ctx.data.serenity_cache() {
        let id = cache.current_user().id;
        if id.get() > 1 {
            return Ok(id.core());
        }
    }
    Ok(ctx.http.get_current_user().await?.id.core())
}
