//! Moderation cases (`mod_cases`), numbered per guild, and the per-guild moderation settings.
//!
//! * Numbering: [`create`] bumps the guild's row of `mod_case_counters` with one upsert inside
//!   the transaction that inserts the case (the row lock serialises two moderators acting at
//!   once on Postgres; SQLite's `BEGIN IMMEDIATE` serialises writers): numbers are consecutive,
//!   never duplicated, and a rolled-back case gives its number back. A deleted case keeps its
//!   number (soft delete), so numbers are never reused.
//! * Timed punishments (temp-ban, timeout): [`create`] queues the expiry job (kind given by the
//!   caller, dedupe key `mod-expire:<case id>`) in the same transaction, so a case never exists
//!   without its job. [`end`] flips `active` with one conditional `UPDATE`: of two workers (or a
//!   job and a moderator's `unban`) exactly one ends it.
//! * Manual actions (done in Discord's menus) carry the audit-log entry id, unique per guild:
//!   [`create`] of a second case for the same entry returns [`Created::AlreadyRecorded`].
//! * Warnings are cases of kind `warn`; removing one (`unwarn`, `clearwarns`) clears `active`.
//! * [`locks`]: the overwrites `lock` and `lockdown` replaced, kept to restore them.

pub mod locks;
pub mod mass;

use chronix_core::ids::{GuildId, MessageId, RoleId, UserId};
use chronix_core::moderation::{CaseKind, CaseTarget};
use chrono::{DateTime, Duration, Utc};

use crate::jobs::{self, NewJob};
use crate::{Refusal, Result, Storage, StorageError, Tx, audit};

/// A case's row id (what jobs carry).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct CaseId(i64);

impl CaseId {
    /// From a job payload.
    pub const fn new(id: i64) -> Self {
        Self(id)
    }
    /// Its value.
    pub const fn get(self) -> i64 {
        self.0
    }
}

/// Where a case came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CaseSource {
    /// A Chronix command (or job).
    Bot,
    /// Done by hand in Discord, read from the audit log.
    Manual,
}

impl CaseSource {
    /// Stored text.
    pub const fn as_str(self) -> &'static str {
        match self {
            CaseSource::Bot => "bot",
            CaseSource::Manual => "manual",
        }
    }
}

/// A stored case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Case {
    /// Row id.
    pub id: CaseId,
    /// Its guild.
    pub guild: GuildId,
    /// Number within the guild (1, 2, 3, …).
    pub number: u32,
    /// What was done.
    pub kind: CaseKind,
    /// To whom (a member; a channel for `lock`, the server for `lockdown`).
    pub target: CaseTarget,
    /// By whom (the bot itself for automatic cases).
    pub moderator: UserId,
    /// The role given or taken (`role add` / `role remove`).
    pub role: Option<RoleId>,
    /// Why.
    pub reason: Option<String>,
    /// How long (timed kinds).
    pub duration: Option<Duration>,
    /// When it ends (timed kinds).
    pub expires_at: Option<DateTime<Utc>>,
    /// Still in force: a timed punishment not yet ended, a warning not removed.
    pub active: bool,
    /// Bot or manual.
    pub source: CaseSource,
    /// The Discord audit-log entry (manual cases).
    pub audit_entry: Option<u64>,
    /// Linked messages (the command message, …).
    pub linked_messages: Vec<MessageId>,
    /// When.
    pub created_at: DateTime<Utc>,
    /// When a timed punishment ended (or was lifted).
    pub ended_at: Option<DateTime<Utc>>,
}

#[derive(sqlx::FromRow)]
struct CaseRow {
    id: i64,
    guild_id: i64,
    case_number: i32,
    moderator_id: i64,
    target_id: i64,
    action: String,
    reason: Option<String>,
    duration_secs: Option<i64>,
    expires_at: Option<DateTime<Utc>>,
    active: bool,
    source: String,
    audit_entry_id: Option<i64>,
    linked_messages: String,
    created_at: DateTime<Utc>,
    ended_at: Option<DateTime<Utc>>,
    role_id: Option<i64>,
}

const COLUMNS: &str = "id, guild_id, case_number, moderator_id, target_id, action, reason, \
                       duration_secs, expires_at, active, source, audit_entry_id, \
                       linked_messages, created_at, ended_at, role_id";

impl CaseRow {
    fn into_case(self) -> Result<Case> {
        let kind = CaseKind::parse(&self.action)
            .ok_or_else(|| StorageError::Corrupt(format!("case action {:?}", self.action)))?;
        let linked: Vec<i64> = serde_json::from_str(&self.linked_messages)
            .map_err(|e| StorageError::Corrupt(format!("case linked messages: {e}")))?;
        Ok(Case {
            id: CaseId(self.id),
            guild: GuildId::from_db(self.guild_id),
            number: u32::try_from(self.case_number).unwrap_or(0),
            kind,
            target: CaseTarget::of(kind, self.target_id as u64),
            moderator: UserId::from_db(self.moderator_id),
            role: self.role_id.map(RoleId::from_db),
            reason: self.reason,
            duration: self.duration_secs.map(Duration::seconds),
            expires_at: self.expires_at,
            active: self.active,
            source: if self.source == "manual" {
                CaseSource::Manual
            } else {
                CaseSource::Bot
            },
            audit_entry: self.audit_entry_id.map(|v| v as u64),
            linked_messages: linked.into_iter().map(MessageId::from_db).collect(),
            created_at: self.created_at,
            ended_at: self.ended_at,
        })
    }
}

/// A case to record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewCase {
    /// Its guild.
    pub guild: GuildId,
    /// What was done.
    pub kind: CaseKind,
    /// To whom (see [`Case::target`]).
    pub target: CaseTarget,
    /// By whom.
    pub moderator: UserId,
    /// The role given or taken (`role add` / `role remove`).
    pub role: Option<RoleId>,
    /// Why.
    pub reason: Option<String>,
    /// How long (temp-ban, timeout): the case expires at `now + duration`.
    pub duration: Option<Duration>,
    /// Bot or manual.
    pub source: CaseSource,
    /// The audit-log entry of a manual action (one case per entry).
    pub audit_entry: Option<u64>,
    /// Linked messages.
    pub linked_messages: Vec<MessageId>,
    /// For a timed kind with a duration: the job kind to queue at the expiry (payload
    /// `{"case_id": <id>}`).
    pub expire_job: Option<&'static str>,
}

impl NewCase {
    /// A bot case with no duration, reason or links.
    pub fn new(
        guild: GuildId,
        kind: CaseKind,
        target: impl Into<CaseTarget>,
        moderator: UserId,
    ) -> Self {
        Self {
            guild,
            kind,
            target: target.into(),
            moderator,
            role: None,
            reason: None,
            duration: None,
            source: CaseSource::Bot,
            audit_entry: None,
            linked_messages: Vec::new(),
            expire_job: None,
        }
    }
}

/// What [`create`] did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Created {
    /// A new case.
    New(Case),
    /// A case for this audit-log entry exists already (its number).
    AlreadyRecorded(u32),
}

/// Why a moderation storage action was refused (nothing changed).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ModerationRefusal {
    /// No case with that number on this server (or it was deleted).
    #[error("there is no case #{0} on this server")]
    NoSuchCase(u32),
    /// The case is not an active warning.
    #[error("case #{0} is not an active warning")]
    NotAWarning(u32),
}

fn refused(r: ModerationRefusal) -> StorageError {
    StorageError::Refused(Refusal::Moderation(r))
}

/// Records a case (see the module docs): the next number of its guild, and its expiry job for a
/// timed kind with a duration, in one transaction.
pub async fn create(storage: &Storage, new: &NewCase, now: DateTime<Utc>) -> Result<Created> {
    let res = transaction!(storage, |tx| create_in(tx, new, now).await);
    match res {
        Err(e) if e.is_unique_violation() && new.audit_entry.is_some() => {
            // Another process recorded the same entry between our check and insert.
            let n = number_of_entry(storage, new.guild, new.audit_entry.unwrap_or(0)).await?;
            Ok(Created::AlreadyRecorded(n.unwrap_or(0)))
        }
        other => other,
    }
}

async fn number_of_entry(storage: &Storage, guild: GuildId, entry: u64) -> Result<Option<u32>> {
    conn_run!(storage, |conn| {
        let n: Option<(i32,)> = sqlx::query_as(
            "SELECT case_number FROM mod_cases WHERE guild_id = $1 AND audit_entry_id = $2",
        )
        .bind(guild.to_db())
        .bind(entry as i64)
        .fetch_optional(&mut *conn)
        .await?;
        Ok(n.map(|(n,)| n as u32))
    })
}

/// [`create`] inside a caller's transaction.
pub async fn create_in(tx: &mut Tx, new: &NewCase, now: DateTime<Utc>) -> Result<Created> {
    let gid = new.guild.to_db();
    if let Some(entry) = new.audit_entry {
        let existing: Option<(i32,)> = tx_run!(tx, |conn| {
            sqlx::query_as(
                "SELECT case_number FROM mod_cases WHERE guild_id = $1 AND audit_entry_id = $2",
            )
            .bind(gid)
            .bind(entry as i64)
            .fetch_optional(&mut *conn)
            .await?
        });
        if let Some((n,)) = existing {
            return Ok(Created::AlreadyRecorded(n as u32));
        }
    }
    let (number,): (i64,) = tx_run!(tx, |conn| {
        sqlx::query_as(
            "INSERT INTO mod_case_counters (guild_id, last_number) \
             VALUES ($1, (SELECT COALESCE(MAX(case_number), 0) + 1 FROM mod_cases \
                          WHERE guild_id = $1)) \
             ON CONFLICT (guild_id) DO UPDATE SET last_number = mod_case_counters.last_number + 1 \
             RETURNING last_number",
        )
        .bind(gid)
        .fetch_one(&mut *conn)
        .await?
    });
    let number = i32::try_from(number).map_err(|_| StorageError::Refused(Refusal::Overflow))?;
    let expires_at = new
        .duration
        .filter(|_| new.kind.is_timed())
        .map(|d| now + d);
    let linked: Vec<i64> = new.linked_messages.iter().map(|m| m.to_db()).collect();
    let linked = serde_json::to_string(&linked).unwrap_or_else(|_| "[]".into());
    let sql = format!(
        "INSERT INTO mod_cases (guild_id, case_number, moderator_id, target_id, action, reason, \
             duration_secs, expires_at, active, source, audit_entry_id, linked_messages, \
             created_at, updated_at, role_id) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $13, $14) \
         RETURNING {COLUMNS}"
    );
    let active = new.kind.is_timed() && expires_at.is_some() || new.kind == CaseKind::Warn;
    let row: CaseRow = tx_run!(tx, |conn| {
        sqlx::query_as(&sql)
            .bind(gid)
            .bind(number)
            .bind(new.moderator.to_db())
            .bind(new.target.id() as i64)
            .bind(new.kind.as_str())
            .bind(&new.reason)
            .bind(new.duration.map(|d| d.num_seconds()))
            .bind(expires_at)
            .bind(active)
            .bind(new.source.as_str())
            .bind(new.audit_entry.map(|e| e as i64))
            .bind(&linked)
            .bind(now)
            .bind(new.role.map(RoleId::to_db))
            .fetch_one(&mut *conn)
            .await?
    });
    let case = row.into_case()?;
    if let (Some(kind), Some(at)) = (new.expire_job, expires_at) {
        jobs::enqueue_in(
            tx,
            NewJob::new(kind, serde_json::json!({ "case_id": case.id.get() }), at)
                .dedupe_key(format!("mod-expire:{}", case.id.get())),
            now,
        )
        .await?;
    }
    Ok(Created::New(case))
}

/// A case by number (deleted cases are not found).
pub async fn get(storage: &Storage, guild: GuildId, number: u32) -> Result<Option<Case>> {
    let sql = format!(
        "SELECT {COLUMNS} FROM mod_cases WHERE guild_id = $1 AND case_number = $2 \
         AND deleted_at IS NULL"
    );
    let row: Option<CaseRow> = conn_run!(storage, |conn| {
        sqlx::query_as(&sql)
            .bind(guild.to_db())
            .bind(i64::from(number))
            .fetch_optional(&mut *conn)
            .await?
    });
    row.map(CaseRow::into_case).transpose()
}

/// A case by row id (deleted ones too: a job still ends a deleted temp-ban).
pub async fn get_by_id(storage: &Storage, id: CaseId) -> Result<Option<Case>> {
    let sql = format!("SELECT {COLUMNS} FROM mod_cases WHERE id = $1");
    let row: Option<CaseRow> = conn_run!(storage, |conn| {
        sqlx::query_as(&sql)
            .bind(id.get())
            .fetch_optional(&mut *conn)
            .await?
    });
    row.map(CaseRow::into_case).transpose()
}

/// Sets a case's reason (`case reason`). Refused when there is no such case.
pub async fn set_reason(
    storage: &Storage,
    guild: GuildId,
    number: u32,
    reason: &str,
    now: DateTime<Utc>,
) -> Result<Case> {
    let sql = format!(
        "UPDATE mod_cases SET reason = $3, updated_at = $4 WHERE guild_id = $1 \
         AND case_number = $2 AND deleted_at IS NULL RETURNING {COLUMNS}"
    );
    let row: Option<CaseRow> = transaction!(storage, |tx| {
        Ok(tx_run!(tx, |conn| {
            sqlx::query_as(&sql)
                .bind(guild.to_db())
                .bind(i64::from(number))
                .bind(reason)
                .bind(now)
                .fetch_optional(&mut *conn)
                .await?
        }))
    })?;
    row.ok_or_else(|| refused(ModerationRefusal::NoSuchCase(number)))?
        .into_case()
}

/// Deletes a case (soft: its number stays taken) and writes `moderation.case_delete` to the
/// audit trail in the same transaction. An active timed case is ended too (its job finds it
/// inactive and does nothing… except lifting the punishment, which the caller decides).
pub async fn delete(
    storage: &Storage,
    guild: GuildId,
    number: u32,
    by: UserId,
    now: DateTime<Utc>,
) -> Result<Case> {
    let sql = format!(
        "UPDATE mod_cases SET deleted_at = $3, deleted_by = $4, updated_at = $3 \
         WHERE guild_id = $1 AND case_number = $2 AND deleted_at IS NULL RETURNING {COLUMNS}"
    );
    transaction!(storage, |tx| {
        let row: Option<CaseRow> = tx_run!(tx, |conn| {
            sqlx::query_as(&sql)
                .bind(guild.to_db())
                .bind(i64::from(number))
                .bind(now)
                .bind(by.to_db())
                .fetch_optional(&mut *conn)
                .await?
        });
        let case = row
            .ok_or_else(|| refused(ModerationRefusal::NoSuchCase(number)))?
            .into_case()?;
        let details = serde_json::json!({
            "case": number,
            "action": case.kind.as_str(),
            "target": case.target.id().to_string(),
            "moderator": case.moderator.get().to_string(),
            "reason": case.reason,
        });
        audit::append_in(
            tx,
            by,
            Some(guild),
            "moderation.case_delete",
            Some(&case.target.id().to_string()),
            &details,
            now,
        )
        .await?;
        Ok(case)
    })
}

/// A user's cases on a server, newest first (`modlogs`), `offset`/`limit` for pages.
pub async fn history(
    storage: &Storage,
    guild: GuildId,
    target: UserId,
    offset: i64,
    limit: i64,
) -> Result<Vec<Case>> {
    let sql = format!(
        "SELECT {COLUMNS} FROM mod_cases WHERE guild_id = $1 AND target_id = $2 \
         AND deleted_at IS NULL ORDER BY case_number DESC LIMIT $3 OFFSET $4"
    );
    let rows: Vec<CaseRow> = conn_run!(storage, |conn| {
        sqlx::query_as(&sql)
            .bind(guild.to_db())
            .bind(target.to_db())
            .bind(limit)
            .bind(offset)
            .fetch_all(&mut *conn)
            .await?
    });
    rows.into_iter().map(CaseRow::into_case).collect()
}

/// How many cases a user has on a server (deleted ones not counted).
pub async fn count(storage: &Storage, guild: GuildId, target: UserId) -> Result<i64> {
    conn_run!(storage, |conn| {
        let (n,): (i64,) = sqlx::query_as(
            "SELECT COUNT(*) FROM mod_cases WHERE guild_id = $1 AND target_id = $2 \
             AND deleted_at IS NULL",
        )
        .bind(guild.to_db())
        .bind(target.to_db())
        .fetch_one(&mut *conn)
        .await?;
        Ok(n)
    })
}

/// A user's active warnings on a server, oldest first.
pub async fn warnings(storage: &Storage, guild: GuildId, target: UserId) -> Result<Vec<Case>> {
    let sql = format!(
        "SELECT {COLUMNS} FROM mod_cases WHERE guild_id = $1 AND target_id = $2 \
         AND action = 'warn' AND active AND deleted_at IS NULL ORDER BY case_number"
    );
    let rows: Vec<CaseRow> = conn_run!(storage, |conn| {
        sqlx::query_as(&sql)
            .bind(guild.to_db())
            .bind(target.to_db())
            .fetch_all(&mut *conn)
            .await?
    });
    rows.into_iter().map(CaseRow::into_case).collect()
}

/// Removes one warning (`unwarn <case>`): refused when the case is not an active warning.
pub async fn unwarn(
    storage: &Storage,
    guild: GuildId,
    number: u32,
    now: DateTime<Utc>,
) -> Result<Case> {
    let sql = format!(
        "UPDATE mod_cases SET active = FALSE, ended_at = $3, updated_at = $3 \
         WHERE guild_id = $1 AND case_number = $2 AND action = 'warn' AND active \
         AND deleted_at IS NULL RETURNING {COLUMNS}"
    );
    let row: Option<CaseRow> = transaction!(storage, |tx| {
        Ok(tx_run!(tx, |conn| {
            sqlx::query_as(&sql)
                .bind(guild.to_db())
                .bind(i64::from(number))
                .bind(now)
                .fetch_optional(&mut *conn)
                .await?
        }))
    })?;
    match row {
        Some(r) => r.into_case(),
        None => Err(refused(ModerationRefusal::NotAWarning(number))),
    }
}

/// Removes every active warning of a user (`clearwarns`); returns how many.
pub async fn clear_warnings(
    storage: &Storage,
    guild: GuildId,
    target: UserId,
    now: DateTime<Utc>,
) -> Result<u64> {
    transaction!(storage, |tx| {
        Ok(tx_run!(tx, |conn| {
            sqlx::query(
                "UPDATE mod_cases SET active = FALSE, ended_at = $3, updated_at = $3 \
                 WHERE guild_id = $1 AND target_id = $2 AND action = 'warn' AND active \
                 AND deleted_at IS NULL",
            )
            .bind(guild.to_db())
            .bind(target.to_db())
            .bind(now)
            .execute(&mut *conn)
            .await?
            .rows_affected()
        }))
    })
}

/// Ends an active case (a timed punishment's end, or its lifting): true for the one caller that
/// ended it, false when it was already over.
pub async fn end(storage: &Storage, id: CaseId, now: DateTime<Utc>) -> Result<bool> {
    transaction!(storage, |tx| {
        Ok(tx_run!(tx, |conn| {
            sqlx::query(
                "UPDATE mod_cases SET active = FALSE, ended_at = $2, updated_at = $2 \
                 WHERE id = $1 AND active",
            )
            .bind(id.get())
            .bind(now)
            .execute(&mut *conn)
            .await?
            .rows_affected()
                == 1
        }))
    })
}

/// Ends an active case and records `follow` (the automatic unban of an expired temp-ban, a
/// moderator's unban lifting it) in ONE transaction: the follow-up case exists iff this call
/// ended the case. `None` when the case was already over (nothing recorded).
pub async fn end_and_record(
    storage: &Storage,
    id: CaseId,
    follow: &NewCase,
    now: DateTime<Utc>,
) -> Result<Option<Case>> {
    transaction!(storage, |tx| {
        let ended = tx_run!(tx, |conn| {
            sqlx::query(
                "UPDATE mod_cases SET active = FALSE, ended_at = $2, updated_at = $2 \
                 WHERE id = $1 AND active",
            )
            .bind(id.get())
            .bind(now)
            .execute(&mut *conn)
            .await?
            .rows_affected()
                == 1
        });
        if !ended {
            return Ok(None);
        }
        match create_in(tx, follow, now).await? {
            Created::New(c) => Ok(Some(c)),
            Created::AlreadyRecorded(_) => Ok(None),
        }
    })
}

/// The latest active timed case of `kind` for a user (a running temp-ban or timeout).
pub async fn active_timed(
    storage: &Storage,
    guild: GuildId,
    target: UserId,
    kind: CaseKind,
) -> Result<Option<Case>> {
    let sql = format!(
        "SELECT {COLUMNS} FROM mod_cases WHERE guild_id = $1 AND target_id = $2 \
         AND action = $3 AND active ORDER BY case_number DESC LIMIT 1"
    );
    let row: Option<CaseRow> = conn_run!(storage, |conn| {
        sqlx::query_as(&sql)
            .bind(guild.to_db())
            .bind(target.to_db())
            .bind(kind.as_str())
            .fetch_optional(&mut *conn)
            .await?
    });
    row.map(CaseRow::into_case).transpose()
}

/// Whether the target of an action on this server is told by DM (default yes).
pub async fn dm_targets(storage: &Storage, guild: GuildId) -> Result<bool> {
    conn_run!(storage, |conn| {
        let v: Option<(bool,)> =
            sqlx::query_as("SELECT dm_targets FROM moderation_settings WHERE guild_id = $1")
                .bind(guild.to_db())
                .fetch_optional(&mut *conn)
                .await?;
        Ok(v.is_none_or(|(b,)| b))
    })
}

/// Sets whether targets are told by DM.
pub async fn set_dm_targets(
    storage: &Storage,
    guild: GuildId,
    on: bool,
    now: DateTime<Utc>,
) -> Result<()> {
    transaction!(storage, |tx| {
        tx_run!(tx, |conn| {
            sqlx::query(
                "INSERT INTO moderation_settings (guild_id, dm_targets, updated_at) \
                 VALUES ($1, $2, $3) ON CONFLICT (guild_id) \
                 DO UPDATE SET dm_targets = $2, updated_at = $3",
            )
            .bind(guild.to_db())
            .bind(on)
            .bind(now)
            .execute(&mut *conn)
            .await?;
        });
        Ok(())
    })
}
