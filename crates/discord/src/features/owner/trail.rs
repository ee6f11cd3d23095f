//! `audit show` (paged; filters `user:<mention|id>`, `action:<prefix>`, `since:<duration>`)
//! and `audit verify` (the first broken link of the hash chain).

use chronix_storage::audit::{self, AuditFilter, AuditProblem};
use chrono::{DateTime, Utc};

use crate::prelude::*;
use crate::ui::paginator::{self, Delivery, Page, PageRequest};

/// Page source of `audit show`.
pub const AUDIT_PAGES: &str = "audit";
const PER_PAGE: i64 = 8;

/// The tamper-evident audit trail.
#[poise::command(
    prefix_command,
    slash_command,
    subcommands("audit_show", "audit_verify"),
    subcommand_required,
    custom_data = Tier::Dev
)]
pub async fn audit(_ctx: Context<'_>) -> Result<(), Error> {
    Ok(())
}

/// Read filters: `user:@x`, `action:moderation.`, `since:2h` (any order, any subset).
pub fn parse_filters(text: &str, now: DateTime<Utc>) -> Result<AuditFilter, String> {
    let mut f = AuditFilter::default();
    for word in text.split_whitespace() {
        let (k, v) = word.split_once(':').ok_or_else(|| word.to_string())?;
        match k.to_lowercase().as_str() {
            "user" => {
                f.actor =
                    Some(chronix_core::moderation::parse_user(v).ok_or_else(|| word.to_string())?)
            }
            // Short: the filter rides on the pager buttons (custom ids are at most 100 chars).
            "action" => f.action = Some(v.chars().filter(|c| *c != ':').take(14).collect()),
            "since" => {
                let d =
                    chronix_core::moderation::parse_duration(v).map_err(|_| word.to_string())?;
                f.since = Some(now - d);
            }
            _ => return Err(word.to_string()),
        }
    }
    Ok(f)
}

/// The filter as the pager's state (`<actor>|<since unix>|<action>`), and back.
pub fn encode(f: &AuditFilter) -> String {
    format!(
        "{}|{}|{}",
        f.actor.map(|u| u.get()).unwrap_or(0),
        f.since.map(|t| t.timestamp()).unwrap_or(0),
        f.action.clone().unwrap_or_default()
    )
}

/// See [`encode`].
pub fn decode(s: &str) -> AuditFilter {
    let mut parts = s.splitn(3, '|');
    let actor = parts.next().and_then(|p| p.parse::<u64>().ok());
    let since = parts.next().and_then(|p| p.parse::<i64>().ok());
    let action = parts.next().unwrap_or("");
    AuditFilter {
        actor: actor.filter(|a| *a > 0).map(chronix_core::ids::UserId::new),
        since: since
            .filter(|t| *t > 0)
            .and_then(|t| DateTime::from_timestamp(t, 0)),
        action: (!action.is_empty()).then(|| action.to_string()),
    }
}

/// Show the audit trail, newest first (filters: user:@x action:moderation. since:2h).
#[poise::command(prefix_command, slash_command, rename = "show", custom_data = Tier::Dev)]
pub async fn audit_show(
    ctx: Context<'_>,
    #[rest]
    #[description = "user:@x action:moderation. since:2h"]
    filters: Option<String>,
) -> Result<(), Error> {
    let who = Caller::of(ctx).await;
    let l = who.locale;
    let f = parse_filters(filters.as_deref().unwrap_or(""), who.now).map_err(|w| {
        UserError::InvalidInput(tr!(
            l,
            "owner-audit-bad-filter",
            word = embeds::truncate(&w, 40)
        ))
    })?;
    paginator::send(ctx, AUDIT_PAGES, encode(&f), Delivery::Public).await
}

/// Page source of `audit show`.
pub fn draw_audit<'a>(
    data: &'a Data,
    req: &'a PageRequest,
) -> poise::BoxFuture<'a, Result<Page, Error>> {
    Box::pin(async move {
        let l = req.locale;
        let f = decode(&req.state);
        let (_, count) = audit::search(data.storage(), &f, 0, 0).await?;
        let total = usize::try_from((count + PER_PAGE - 1) / PER_PAGE)
            .unwrap_or(1)
            .max(1);
        let index = paginator::clamp(req.page, total);
        let (rows, _) =
            audit::search(data.storage(), &f, index as i64 * PER_PAGE, PER_PAGE).await?;
        let lines: Vec<String> = rows
            .iter()
            .map(|e| {
                tr!(
                    l,
                    "owner-audit-line",
                    id = e.id,
                    action = e.action.as_str(),
                    actor = format!("<@{}>", e.actor_id),
                    target = e.target.clone().unwrap_or_else(|| "-".into()),
                    at = format!("<t:{}:R>", e.created_at.timestamp()),
                    details = embeds::truncate(&e.details.replace('`', "'"), 160)
                )
            })
            .collect();
        let e = Embed::info(tr!(l, "owner-audit-title", count = count)).description(
            if lines.is_empty() {
                tr!(l, "owner-audit-empty")
            } else {
                lines.join("\n")
            },
        );
        Ok(Page::new(e, index, total, req.state.clone()))
    })
}

/// Check the whole hash chain; report the first broken link.
#[poise::command(prefix_command, slash_command, rename = "verify", custom_data = Tier::Dev)]
pub async fn audit_verify(ctx: Context<'_>) -> Result<(), Error> {
    let who = Caller::of(ctx).await;
    let l = who.locale;
    let report = audit::verify(ctx.data().storage()).await?;
    let e = match report.first_problem() {
        None => Embed::success(tr!(l, "owner-audit-intact")).description(tr!(
            l,
            "owner-audit-intact-text",
            rows = report.rows_checked
        )),
        Some(p) => {
            let what = match p {
                AuditProblem::EditedRow { id } => tr!(l, "owner-audit-edited", id = *id),
                AuditProblem::MissingRows { after_id, next_id } => {
                    tr!(l, "owner-audit-missing", after = *after_id, next = *next_id)
                }
                AuditProblem::BrokenLink { id } => tr!(l, "owner-audit-link", id = *id),
                AuditProblem::TailDeleted {
                    last_found_id,
                    head_last_id,
                } => tr!(
                    l,
                    "owner-audit-tail",
                    last = *last_found_id,
                    head = *head_last_id
                ),
                AuditProblem::HeadMismatch { head_last_id } => {
                    tr!(l, "owner-audit-head", head = *head_last_id)
                }
            };
            Embed::error(tr!(l, "owner-audit-broken"))
                .description(what)
                .footer(tr!(
                    l,
                    "owner-audit-problems",
                    count = report.problems.len(),
                    rows = report.rows_checked
                ))
        }
    };
    ctx.send(embeds::reply(e)).await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn filters_parse_and_round_trip() {
        let now = Utc.with_ymd_and_hms(2026, 1, 1, 12, 0, 0).unwrap();
        let f = parse_filters("user:<@42> action:moderation. since:2h", now).unwrap();
        assert_eq!(f.actor, Some(chronix_core::ids::UserId::new(42)));
        assert_eq!(f.action.as_deref(), Some("moderation."));
        assert_eq!(f.since, Some(now - chrono::Duration::hours(2)));
        assert_eq!(decode(&encode(&f)), f);
        assert_eq!(
            decode(&encode(&AuditFilter::default())),
            AuditFilter::default()
        );
        assert_eq!(parse_filters("who:me", now), Err("who:me".into()));
        assert_eq!(parse_filters("since:soon", now), Err("since:soon".into()));
    }
}
