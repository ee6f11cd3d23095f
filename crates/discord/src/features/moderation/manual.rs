//! Manual actions: a ban, unban, kick or timeout done in Discord's own menus becomes a case.
//! The listener reads the audit-log entry Discord sends for it (GUILD_AUDIT_LOG_ENTRY_CREATE:
//! the bot needs View Audit Log), with the moderator and the reason. Entries written by the bot
//! itself are skipped (its commands recorded their case already), and the entry id is stored
//! unique per guild, so one entry makes at most one case, even with several bot processes.

use chronix_core::moderation::{self as rules, CaseKind};
use chronix_storage::moderation::{self, CaseSource, Created, NewCase};
use chrono::Utc;

use crate::events::Event;
use crate::kernel::ids::ToCore;
use crate::prelude::*;
use ::serenity::model::guild::audit_log::{Action, Change, MemberAction};

/// What a manual audit-log entry means for moderation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Manual {
    /// The case kind.
    pub kind: CaseKind,
    /// For a timeout: until when.
    pub until: Option<chrono::DateTime<Utc>>,
}

/// Reads an entry: ban, unban, kick, and a member update that sets or clears a timeout.
pub fn classify(entry: &serenity::AuditLogEntry) -> Option<Manual> {
    let kind = match entry.action {
        Action::Member(MemberAction::BanAdd) => CaseKind::Ban,
        Action::Member(MemberAction::BanRemove) => CaseKind::Unban,
        Action::Member(MemberAction::Kick) => CaseKind::Kick,
        Action::Member(MemberAction::Update) => {
            let change = entry.changes.as_ref()?.iter().find_map(|c| match c {
                Change::CommunicationDisabledUntil { new, .. } => Some(*new),
                _ => None,
            })?;
            return Some(match change {
                Some(ts) => Manual {
                    kind: CaseKind::Timeout,
                    until: chrono::DateTime::from_timestamp(ts.unix_timestamp(), 0),
                },
                None => Manual {
                    kind: CaseKind::Untimeout,
                    until: None,
                },
            });
        }
        _ => return None,
    };
    Some(Manual { kind, until: None })
}

/// The listener (see the module docs).
pub fn on_audit_entry<'a>(
    ctx: &'a serenity::Context,
    data: &'a Data,
    event: &'a Event<'a>,
) -> poise::BoxFuture<'a, Result<(), Error>> {
    Box::pin(async move {
        let Event::AuditLogEntry { guild_id, entry } = event else {
            return Ok(());
        };
        let bot = ctx.cache.current_user().id;
        if entry.user_id == bot {
            return Ok(()); // the bot's own action: its command recorded the case
        }
        let Some(m) = classify(entry) else {
            return Ok(());
        };
        let Some(target) = entry
            .target_id
            .map(|t| serenity::UserId::new(t.get().max(1)))
        else {
            return Ok(());
        };
        let now = Utc::now();
        let storage = data.storage();
        let guild = guild_id.core();
        let mut new = NewCase::new(guild, m.kind, target.core(), entry.user_id.core());
        new.source = CaseSource::Manual;
        new.audit_entry = Some(entry.id.get());
        new.reason = entry
            .reason
            .as_deref()
            .map(|r| r.chars().take(rules::MAX_REASON_CHARS).collect::<String>())
            .filter(|r| !r.trim().is_empty());
        if let Some(until) = m.until.filter(|u| *u > now) {
            new.duration = Some(until - now);
            new.expire_job = Some(super::expire::EXPIRE_JOB);
        }
        // Lifting by hand ends the running temp-ban or timeout (its job then does nothing).
        let lifts = match m.kind {
            CaseKind::Unban => Some(CaseKind::TempBan),
            CaseKind::Untimeout | CaseKind::Timeout => Some(CaseKind::Timeout),
            _ => None,
        };
        if let Some(k) = lifts {
            if let Some(r) = moderation::active_timed(storage, guild, target.core(), k).await? {
                moderation::end(storage, r.id, now).await?;
            }
        }
        match moderation::create(storage, &new, now).await? {
            Created::New(c) => {
                crate::audit::record(data, super::case_audit(&c)).await?;
                tracing::info!(
                    guild = guild.get(),
                    case = c.number,
                    kind = c.kind.as_str(),
                    "manual action recorded as a case"
                )
            }
            Created::AlreadyRecorded(n) => {
                tracing::debug!(
                    guild = guild.get(),
                    case = n,
                    "audit entry already recorded"
                )
            }
        }
        Ok(())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(v: serde_json::Value) -> serenity::AuditLogEntry {
        serde_json::from_value(v).unwrap()
    }

    #[test]
    fn entries_are_classified() {
        let base = |action: u8, changes: serde_json::Value| {
            entry(serde_json::json!({
                "id": "10", "user_id": "2", "target_id": "3", "action_type": action,
                "changes": changes, "reason": "r"
            }))
        };
        assert_eq!(
            classify(&base(22, serde_json::json!([]))).map(|m| m.kind),
            Some(CaseKind::Ban)
        );
        assert_eq!(
            classify(&base(23, serde_json::json!([]))).map(|m| m.kind),
            Some(CaseKind::Unban)
        );
        assert_eq!(
            classify(&base(20, serde_json::json!([]))).map(|m| m.kind),
            Some(CaseKind::Kick)
        );
        let t = classify(&base(
            24,
            serde_json::json!([{"key": "communication_disabled_until",
                                "new_value": "2030-01-01T00:00:00+00:00"}]),
        ))
        .unwrap();
        assert_eq!(t.kind, CaseKind::Timeout);
        assert_eq!(t.until.unwrap().timestamp(), 1_893_456_000);
        let u = classify(&base(
            24,
            serde_json::json!([{"key": "communication_disabled_until",
                                "old_value": "2030-01-01T00:00:00+00:00"}]),
        ))
        .unwrap();
        assert_eq!(u.kind, CaseKind::Untimeout);
        assert_eq!(
            classify(&base(
                24,
                serde_json::json!([{"key": "nick", "new_value": "x"}])
            )),
            None,
            "a nickname change is no moderation"
        );
        assert_eq!(classify(&base(25, serde_json::json!([]))), None);
    }
}
