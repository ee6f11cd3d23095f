//! `massban` / `masskick` (admins): select members by role, invite code, inviter, join time
//! and account age (`chronix_core::moderation::mass`), preview (count, a sample of names, who
//! is skipped and why), confirm, then act as the DB job `moderation.mass`: each step takes the
//! next pending targets of the run (`chronix_storage::moderation::mass`), bans them with
//! Discord's bulk-ban endpoint (at most 200 a call) or kicks them one by one, records the
//! step and edits the progress message (with a Cancel button). The run's state is in its rows,
//! so a restart resumes it; a Cancel stops it before the next step. At the end (done or
//! cancelled) a summary case (`massban` / `masskick`, target: the moderator) and an audit
//! entry are written. Runs are rate-limited per server (`MASS_ACTION_RATE_LIMIT`).

use std::time::Duration;

use chronix_core::ids::UserId;
use chronix_core::moderation::mass::{
    self as rules, Candidate, HierarchyRefusalKey, Selection, SelectorError, Skip,
};
use chronix_core::moderation::{CaseKind, MAX_REASON_CHARS};
use chronix_storage::jobs::Job;
use chronix_storage::moderation::mass::{
    self as store, MassAction, MassKind, MassRefusal, MassStatus, NewMass,
};
use chronix_storage::moderation::{self as cases, Created, NewCase};
use chronix_storage::{Refusal as StoreRefusal, StorageError};
use chrono::Utc;
use poise::BoxFuture;

use super::{ModRefusal, Perm, discord_code, mention};
use crate::kernel::ids::{ToCore, ToDiscord};
use crate::prelude::*;
use crate::registry::Feature;
use crate::scheduler::JobContext;

/// The job kind: one step of a run (payload `{"id": run id}`).
pub const MASS_JOB: &str = "moderation.mass";
/// The Cancel button's custom id prefix (`chx:mass:<run id>`).
pub const PREFIX: &str = "chx:mass:";
/// Pause between steps.
const STEP_PAUSE_MS: i64 = 500;

/// Adds the mass actions' job and Cancel button to the moderation feature.
pub fn register(f: Feature) -> Feature {
    f.job(crate::scheduler::JobKind::once(MASS_JOB, step_job))
        .component(PREFIX, on_cancel)
}

/// The commands.
pub fn commands() -> Vec<Command> {
    vec![massban(), masskick()]
}

/// Ban every member a selection matches, after a preview (admin; e.g. `code:abc joined:2h`).
#[poise::command(prefix_command, slash_command, guild_only, custom_data = Tier::Admin)]
pub async fn massban(
    ctx: Context<'_>,
    #[description = "role:, code:, inviter:, joined:, before:, account:, bots; then reason: …"]
    #[rest]
    selection: String,
) -> Result<(), Error> {
    run(ctx, MassKind::Ban, selection).await
}

/// Kick every member a selection matches, after a preview (admin; e.g. `role:@raid`).
#[poise::command(prefix_command, slash_command, guild_only, custom_data = Tier::Admin)]
pub async fn masskick(
    ctx: Context<'_>,
    #[description = "role:, code:, inviter:, joined:, before:, account:, bots; then reason: …"]
    #[rest]
    selection: String,
) -> Result<(), Error> {
    run(ctx, MassKind::Kick, selection).await
}

/// Splits `… reason: text` off the selection.
pub fn split_reason(text: &str) -> (&str, Option<&str>) {
    let lower = text.to_ascii_lowercase();
    match lower.find("reason:") {
        Some(i) => {
            let r = text[i + "reason:".len()..].trim();
            (&text[..i], (!r.is_empty()).then_some(r))
        }
        None => (text, None),
    }
}

/// The text of a selection error.
pub fn selector_error(l: Locale, e: &SelectorError) -> String {
    match e {
        SelectorError::NoCriterion => tr!(l, "moderation-mass-no-criterion"),
        SelectorError::UnknownWord(w) => tr!(l, "moderation-mass-unknown-word", word = clip(w)),
        SelectorError::Repeated(k) => tr!(l, "moderation-mass-repeated", key = *k),
        SelectorError::BadId(v) => tr!(l, "moderation-mass-bad-id", value = clip(v)),
        SelectorError::BadSpan(v) => tr!(l, "moderation-mass-bad-span", value = clip(v)),
        SelectorError::BadCode(v) => tr!(l, "moderation-mass-bad-code", value = clip(v)),
    }
}

fn clip(s: &str) -> String {
    embeds::truncate(s, 30).replace('`', "'")
}

fn refused(l: Locale, text: String) -> Error {
    UserError::Refused {
        title: tr!(l, "error-title-cannot"),
        text,
    }
    .into()
}

/// What a skip reason reads as.
pub fn skip_text(l: Locale, s: Skip) -> String {
    match s {
        Skip::Bot => tr!(l, "moderation-mass-skip-bot"),
        Skip::Hierarchy(HierarchyRefusalKey::SelfTarget) => tr!(l, "moderation-mass-skip-self"),
        Skip::Hierarchy(HierarchyRefusalKey::Owner) => tr!(l, "moderation-mass-skip-owner"),
        Skip::Hierarchy(HierarchyRefusalKey::TheBot) => tr!(l, "moderation-mass-skip-the-bot"),
        Skip::Hierarchy(HierarchyRefusalKey::AboveModerator) => {
            tr!(l, "moderation-mass-skip-above-you")
        }
        Skip::Hierarchy(HierarchyRefusalKey::AboveBot) => tr!(l, "moderation-mass-skip-above-bot"),
    }
}

/// Every member of the guild (REST, 1,000 a page) as candidates, with what invite tracking
/// stored about their join.
async fn candidates(
    data: &Data,
    http: &serenity::Http,
    guild: serenity::GuildId,
) -> Result<Vec<Candidate>, Error> {
    let joins: std::collections::HashMap<UserId, chronix_storage::invites::JoinRecord> =
        chronix_storage::invites::current_joins(data.storage(), guild.core())
            .await?
            .into_iter()
            .map(|j| (j.user, j))
            .collect();
    let mut out = Vec::new();
    let mut after: Option<serenity::UserId> = None;
    loop {
        let page = http
            .get_guild_members(guild, Some(1000), after.map(|u| u.get()))
            .await?;
        let n = page.len();
        for m in page {
            after = Some(m.user.id);
            let j = joins.get(&m.user.id.core());
            out.push(Candidate {
                user: m.user.id.core(),
                name: m.user.name.clone(),
                bot: m.user.bot,
                roles: m.roles.iter().map(|r| r.core()).collect(),
                joined_at: m.joined_at.map(|t| *t),
                code: j.and_then(|j| j.code().map(str::to_string)),
                inviter: j.and_then(|j| j.inviter()),
            });
        }
        if n < 1000 {
            return Ok(out);
        }
    }
}

/// The preview's text: how many, a sample, who is skipped and why.
pub fn preview_text(l: Locale, kind: MassKind, sel: &Selection, reason: Option<&str>) -> String {
    let mut t = match kind {
        MassKind::Ban => tr!(
            l,
            "moderation-mass-preview-ban",
            count = sel.targets.len() as u64
        ),
        MassKind::Kick => tr!(
            l,
            "moderation-mass-preview-kick",
            count = sel.targets.len() as u64
        ),
    };
    if !sel.sample.is_empty() {
        let names: Vec<String> = sel.sample.iter().map(|n| embeds::truncate(n, 32)).collect();
        let more = sel.targets.len().saturating_sub(sel.sample.len());
        t.push_str("\n\n");
        t.push_str(&tr!(
            l,
            "moderation-mass-sample",
            names = names.join(", "),
            more = more as u64
        ));
    }
    if !sel.skipped.is_empty() {
        t.push_str("\n\n");
        t.push_str(&tr!(
            l,
            "moderation-mass-skipped",
            count = sel.skipped_total() as u64
        ));
        for (k, n) in &sel.skipped {
            t.push_str(&format!("\n• {} × {n}", skip_text(l, *k)));
        }
    }
    if sel.over_limit > 0 {
        t.push_str("\n\n");
        t.push_str(&tr!(
            l,
            "moderation-mass-over-limit",
            count = sel.over_limit as u64,
            max = rules::MAX_TARGETS as u64
        ));
    }
    t.push_str("\n\n");
    t.push_str(&tr!(
        l,
        "moderation-mass-reason",
        reason = super::reason_or_none(l, reason)
    ));
    t
}

async fn run(ctx: Context<'_>, kind: MassKind, text: String) -> Result<(), Error> {
    let Caller {
        user: actor,
        locale: l,
        channel,
        ..
    } = Caller::of(ctx).await;
    let gid = ctx.guild_id().ok_or(UserError::GuildOnly)?;
    let (sel_text, reason) = split_reason(&text);
    if reason.is_some_and(|r| r.chars().count() > MAX_REASON_CHARS) {
        return Err(refused(l, tr!(l, "moderation-mass-reason-long")));
    }
    let selector =
        rules::parse_selector(sel_text).map_err(|e| refused(l, selector_error(l, &e)))?;
    let perm = match kind {
        MassKind::Ban => Perm::BanMembers,
        MassKind::Kick => Perm::KickMembers,
    };
    let data = ctx.data();
    let http = ctx.http();
    let bot = super::bot_id(ctx).await?;
    let (h, role_perms) = super::hierarchy(http, gid, bot).await?;
    let bot_roles = super::member_roles(http, gid, bot)
        .await?
        .unwrap_or_default();
    let need = match kind {
        MassKind::Ban => perm.bits() | serenity::Permissions::MANAGE_GUILD,
        MassKind::Kick => perm.bits(),
    };
    if !role_perms.of(&bot_roles).contains(need) {
        return Err(crate::errors::refuse(l, ModRefusal::BotLacks(perm)));
    }
    ctx.defer().await?;
    let actor_roles: Vec<chronix_core::ids::RoleId> = crate::perms::author_roles(ctx)
        .await
        .unwrap_or_default()
        .iter()
        .map(|r| r.core())
        .collect();
    let all = candidates(data, http, gid).await?;
    let now = Utc::now();
    let sel = rules::select(&selector, &h, actor, &actor_roles, &bot_roles, &all, now);
    if sel.targets.is_empty() {
        let mut t = tr!(l, "moderation-mass-nobody");
        if !sel.skipped.is_empty() {
            t.push_str("\n\n");
            t.push_str(&preview_text(l, kind, &sel, reason));
        }
        return Err(refused(l, t));
    }
    let title = match kind {
        MassKind::Ban => tr!(l, "moderation-mass-title-ban"),
        MassKind::Kick => tr!(l, "moderation-mass-title-kick"),
    };
    let question = preview_text(l, kind, &sel, reason);
    let answer =
        crate::ui::confirm::ask(ctx, &title, &question, &[], Duration::from_secs(120)).await?;
    let crate::ui::confirm::Answer::Confirmed(ci) = answer else {
        return Ok(());
    };
    let new = NewMass {
        guild: gid.core(),
        kind,
        moderator: actor,
        reason: reason.map(str::to_string),
        selection: sel_text.trim().chars().take(500).collect(),
        channel,
        targets: sel.targets.clone(),
    };
    let limit = data.config().mass_action_rate_limit;
    let mass = match store::create(data.storage(), &new, limit, Utc::now()).await {
        Ok(m) => m,
        Err(StorageError::Refused(StoreRefusal::Mass(r))) => {
            let text = match r {
                MassRefusal::RateLimited { retry_at } => tr!(
                    l,
                    "moderation-mass-rate-limited",
                    at = format!("<t:{}:R>", retry_at.timestamp())
                ),
                MassRefusal::NoTargets => tr!(l, "moderation-mass-nobody"),
            };
            let e = Embed::error(tr!(l, "error-title-cannot")).description(text);
            return crate::ui::confirm::done(ctx.serenity_context(), &ci, e).await;
        }
        Err(e) => return Err(e.into()),
    };
    let started = Embed::success(title).description(tr!(
        l,
        "moderation-mass-started",
        count = u64::from(mass.total)
    ));
    crate::ui::confirm::done(ctx.serenity_context(), &ci, started).await?;
    let msg = channel
        .discord()
        .send_message(http, progress_message(l, &mass))
        .await?;
    store::set_message(data.storage(), mass.id, msg.id.core()).await?;
    crate::scheduler::enqueue(
        data,
        MASS_JOB,
        serde_json::json!({ "id": mass.id }),
        Utc::now(),
        Some(format!("mass:{}:0", mass.id)),
    )
    .await?;
    Ok(())
}

/// The progress embed of a run.
fn progress_embed(l: Locale, m: &MassAction) -> Embed {
    let title = match m.kind {
        MassKind::Ban => tr!(l, "moderation-mass-title-ban"),
        MassKind::Kick => tr!(l, "moderation-mass-title-kick"),
    };
    let status = match m.status {
        MassStatus::Running => tr!(l, "moderation-mass-status-running"),
        MassStatus::Cancelled => tr!(l, "moderation-mass-status-cancelled"),
        MassStatus::Done => tr!(l, "moderation-mass-status-done"),
    };
    let counts = tr!(
        l,
        "moderation-mass-counts",
        done = u64::from(m.done),
        failed = u64::from(m.failed),
        total = u64::from(m.total)
    );
    let bar = crate::ui::progress::bar(u64::from(m.handled()), u64::from(m.total));
    let mut e = match m.status {
        MassStatus::Running => Embed::info(title),
        MassStatus::Cancelled => Embed::warning(title),
        MassStatus::Done if m.failed > 0 => Embed::warning(title),
        MassStatus::Done => Embed::success(title),
    }
    .description(format!("{bar}\n{counts}"))
    .field(tr!(l, "moderation-mass-field-status"), status, true)
    .field(
        tr!(l, "moderation-field-moderator"),
        mention(m.moderator),
        true,
    );
    if let Some(n) = m.case_number {
        e = e.field(tr!(l, "moderation-field-case"), format!("#{n}"), true);
    }
    e
}

fn cancel_row(l: Locale, m: &MassAction) -> Vec<serenity::CreateActionRow> {
    if m.status != MassStatus::Running {
        return Vec::new();
    }
    vec![serenity::CreateActionRow::Buttons(vec![
        serenity::CreateButton::new(format!("{PREFIX}{}", m.id))
            .label(tr!(l, "moderation-mass-cancel"))
            .style(serenity::ButtonStyle::Danger),
    ])]
}

fn progress_message(l: Locale, m: &MassAction) -> serenity::CreateMessage {
    embeds::message(progress_embed(l, m)).components(cancel_row(l, m))
}

async fn edit_progress(http: &serenity::Http, l: Locale, m: &MassAction) -> Result<(), Error> {
    let Some(msg) = m.message else {
        return Ok(());
    };
    let edit = serenity::EditMessage::new()
        .embed(progress_embed(l, m).into())
        .components(cancel_row(l, m));
    if let Err(e) = m
        .channel
        .discord()
        .edit_message(http, msg.discord(), edit)
        .await
    {
        // A deleted progress message does not stop the run.
        tracing::info!(run = m.id, error = %e, "mass-action progress not edited");
    }
    Ok(())
}

/// Acts on one batch: `(done, failed)`.
async fn act(
    http: &serenity::Http,
    m: &MassAction,
    batch: &[UserId],
) -> Result<(Vec<UserId>, Vec<UserId>), Error> {
    let reason = super::audit_reason(
        &format!("mass {} #{}", m.kind.as_str(), m.id),
        m.reason.as_deref(),
    );
    match m.kind {
        MassKind::Ban => {
            let ids: Vec<String> = batch.iter().map(|u| u.get().to_string()).collect();
            let body = serde_json::json!({ "user_ids": ids, "delete_message_seconds": 0 });
            match http
                .bulk_ban_users(m.guild.discord(), &body, Some(&reason))
                .await
            {
                Ok(r) => Ok((
                    r.banned_users.iter().map(|u| u.core()).collect(),
                    r.failed_users.iter().map(|u| u.core()).collect(),
                )),
                // Nobody could be banned (all already banned, or above the bot now).
                Err(e) if discord_code(&e) == Some(500000) => Ok((Vec::new(), batch.to_vec())),
                Err(e) => Err(e.into()),
            }
        }
        MassKind::Kick => {
            let (mut done, mut failed) = (Vec::new(), Vec::new());
            for u in batch {
                match http
                    .kick_member(m.guild.discord(), u.discord(), Some(&reason))
                    .await
                {
                    Ok(()) => done.push(*u),
                    Err(e) if matches!(discord_code(&e), Some(10007 | 10013 | 50013)) => {
                        failed.push(*u)
                    }
                    Err(e) => return Err(e.into()),
                }
            }
            Ok((done, failed))
        }
    }
}

/// One step of a run (see the module docs).
pub fn step_job<'a>(ctx: &'a JobContext, job: &'a Job) -> BoxFuture<'a, Result<(), Error>> {
    Box::pin(async move {
        let Some(id) = job.payload.0["id"].as_i64() else {
            anyhow::bail!("{MASS_JOB} job {} without a run id", job.id);
        };
        let storage = ctx.data.storage();
        let Some(m) = store::get(storage, id).await? else {
            return Ok(());
        };
        if m.status != MassStatus::Running {
            return Ok(());
        }
        let l = crate::i18n::guild_locale(&ctx.data, Some(m.guild.get())).await;
        let n = u32::try_from(ctx.data.config().mass_action_batch).unwrap_or(50);
        let batch = store::next_batch(storage, id, n).await?;
        if batch.is_empty() {
            if let Some(done) = store::finish(storage, id, ctx.now).await? {
                conclude(&ctx.data, &ctx.http, l, done).await?;
            }
            return Ok(());
        }
        let (done, failed) = act(&ctx.http, &m, &batch).await?;
        // Anyone in the batch Discord named neither way counts as failed.
        let failed: Vec<UserId> = failed
            .into_iter()
            .chain(batch.iter().filter(|u| !done.contains(u)).copied())
            .collect::<std::collections::BTreeSet<_>>()
            .into_iter()
            .collect();
        let after = store::record_batch(storage, id, &done, &failed, Utc::now()).await?;
        if after.status == MassStatus::Running {
            edit_progress(&ctx.http, l, &after).await?;
            crate::scheduler::enqueue(
                &ctx.data,
                MASS_JOB,
                serde_json::json!({ "id": id }),
                Utc::now() + chrono::Duration::milliseconds(STEP_PAUSE_MS),
                Some(format!("mass:{id}:{}", after.handled())),
            )
            .await?;
        }
        Ok(())
    })
}

/// The end of a run (done or cancelled, reached once): the summary case, the audit entry and
/// the final progress message.
async fn conclude(
    data: &Data,
    http: &serenity::Http,
    l: Locale,
    mut m: MassAction,
) -> Result<(), Error> {
    let kind = match m.kind {
        MassKind::Ban => CaseKind::MassBan,
        MassKind::Kick => CaseKind::MassKick,
    };
    let summary = tr!(
        l,
        "moderation-mass-summary",
        done = u64::from(m.done),
        failed = u64::from(m.failed),
        total = u64::from(m.total),
        selection = m.selection.as_str(),
        reason = super::reason_or_none(l, m.reason.as_deref())
    );
    let mut new = NewCase::new(m.guild, kind, m.moderator, m.moderator);
    new.reason = Some(summary.chars().take(MAX_REASON_CHARS).collect());
    if let Some(msg) = m.message {
        new.linked_messages = vec![msg];
    }
    if let Created::New(c) = cases::create(data.storage(), &new, Utc::now()).await? {
        store::set_case(data.storage(), m.id, c.number).await?;
        m.case_number = Some(c.number);
    }
    crate::audit::record(
        data,
        crate::audit::Audit::new(
            m.moderator,
            Some(m.guild),
            format!("moderation.mass{}", m.kind.as_str()),
        )
        .with("run", m.id)
        .with("case", m.case_number)
        .with("status", format!("{:?}", m.status).to_lowercase())
        .with("selection", m.selection.clone())
        .with("reason", m.reason.clone())
        .with("total", m.total)
        .with("done", m.done)
        .with("failed", m.failed),
    )
    .await?;
    edit_progress(http, l, &m).await
}

/// The Cancel button: the run's moderator or an administrator stops it before its next step.
pub fn on_cancel<'a>(
    ctx: &'a serenity::Context,
    ci: &'a serenity::ComponentInteraction,
    data: &'a Data,
) -> BoxFuture<'a, Result<(), Error>> {
    Box::pin(async move {
        let l = crate::kernel::i18n::locale_of_interaction(data, ci).await;
        let (Some(id), Some(gid)) = (
            ci.data
                .custom_id
                .strip_prefix(PREFIX)
                .and_then(|s| s.parse::<i64>().ok()),
            ci.guild_id,
        ) else {
            return Err(UserError::msg(tr!(l, "button-no-longer-valid")).into());
        };
        let Some(m) = store::get(data.storage(), id).await? else {
            return Err(UserError::msg(tr!(l, "button-no-longer-valid")).into());
        };
        let admin = ci
            .member
            .as_ref()
            .and_then(|m| m.permissions)
            .is_some_and(|p| p.administrator());
        if ci.user.id.core() != m.moderator && !admin {
            return Err(refused(l, tr!(l, "moderation-mass-cancel-not-yours")));
        }
        let Some(cancelled) = store::cancel(data.storage(), id, gid.core(), Utc::now()).await?
        else {
            return Err(UserError::msg(tr!(l, "moderation-mass-not-running")).into());
        };
        ci.create_response(&ctx.http, serenity::CreateInteractionResponse::Acknowledge)
            .await?;
        let gl = crate::i18n::guild_locale(data, Some(gid.get())).await;
        conclude(data, &ctx.http, gl, cancelled).await
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_reason_is_split_off() {
        assert_eq!(
            split_reason("code:abc joined:1h reason: raid wave"),
            ("code:abc joined:1h ", Some("raid wave"))
        );
        assert_eq!(split_reason("role:1"), ("role:1", None));
        assert_eq!(split_reason("role:1 REASON:"), ("role:1 ", None));
    }

    #[test]
    fn every_selection_error_and_skip_has_a_text() {
        let l = Locale::EN;
        for e in [
            SelectorError::NoCriterion,
            SelectorError::UnknownWord("x".into()),
            SelectorError::Repeated("role"),
            SelectorError::BadId("x".into()),
            SelectorError::BadSpan("x".into()),
            SelectorError::BadCode("x".into()),
        ] {
            let t = selector_error(l, &e);
            assert!(!t.is_empty() && !t.contains("moderation-"), "{t}");
        }
        for s in [
            Skip::Bot,
            Skip::Hierarchy(HierarchyRefusalKey::SelfTarget),
            Skip::Hierarchy(HierarchyRefusalKey::Owner),
            Skip::Hierarchy(HierarchyRefusalKey::TheBot),
            Skip::Hierarchy(HierarchyRefusalKey::AboveModerator),
            Skip::Hierarchy(HierarchyRefusalKey::AboveBot),
        ] {
            assert!(!skip_text(l, s).contains("moderation-"));
        }
    }
}
