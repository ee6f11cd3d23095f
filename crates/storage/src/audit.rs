//! Tamper-evident audit trail (owner/dev actions, dangerous commands, economy adjustments).
//!
//! Each row carries `prev_hash` and `hash = sha256(prev_hash || canonical row fields)`; ids are
//! assigned contiguously (1, 2, 3, …) under a lock on the single `audit_head` row, which also
//! records the last id and hash, so appends are serialised and the chain never forks.
//! Triggers refuse UPDATE/DELETE on `audit_log` (defence in depth); [`verify`] catches what a
//! tamperer who drops the triggers does: an edited row, a deleted row in the middle (id gap /
//! broken link) and a deleted tail (chain ends before `audit_head`).
//!
//! `details` is stored as TEXT holding canonical JSON (serde_json with sorted keys), exactly the
//! bytes that were hashed, so the hash does not depend on JSONB normalisation.

use chronix_core::ids::{GuildId, UserId};
use chrono::{DateTime, Utc};
use sha2::{Digest, Sha256};

use crate::{Refusal, Result, Storage, StorageError, Tx, truncate_to_micros};

/// `prev_hash` of the first row.
pub const GENESIS_HASH: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// A row of `audit_log`.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct AuditEntry {
    /// Position in the chain (1-based, contiguous).
    pub id: i64,
    /// Who did it.
    #[sqlx(try_from = "i64")]
    pub actor_id: UserId,
    /// Where, if in a guild.
    pub(crate) guild_id: Option<i64>,
    /// What (e.g. "economy.adjust", "owner.unban").
    pub action: String,
    /// On what/whom, free text (e.g. a user id).
    pub target: Option<String>,
    /// Canonical JSON details.
    pub details: String,
    /// When (microsecond precision).
    pub created_at: DateTime<Utc>,
    /// Hash of the previous row ([`GENESIS_HASH`] for the first).
    pub prev_hash: String,
    /// Hash of this row.
    pub hash: String,
}

impl AuditEntry {
    /// Guild where it happened, if any.
    pub fn guild(&self) -> Option<GuildId> {
        self.guild_id.map(GuildId::from_db)
    }
}

const COLUMNS: &str =
    "id, actor_id, guild_id, action, target, details, created_at, prev_hash, hash";

/// The hash of a row from its fields (its own `hash` field is ignored):
/// hex(sha256(prev_hash || "\n" || canonical JSON array of id, created_at (RFC 3339, µs, `Z`),
/// actor_id, guild_id, action, target, details)).
pub fn compute_hash(e: &AuditEntry) -> String {
    let ts = e.created_at.format("%Y-%m-%dT%H:%M:%S%.6fZ").to_string();
    let canonical = serde_json::json!([
        e.id,
        ts,
        e.actor_id.to_db(),
        e.guild_id,
        e.action,
        e.target,
        e.details
    ]);
    let mut h = Sha256::new();
    h.update(e.prev_hash.as_bytes());
    h.update(b"\n");
    h.update(canonical.to_string().as_bytes());
    hex::encode(h.finalize())
}

/// Appends an entry in its own transaction.
pub async fn append(
    storage: &Storage,
    actor_id: UserId,
    guild_id: Option<GuildId>,
    action: &str,
    target: Option<&str>,
    details: &serde_json::Value,
    now: DateTime<Utc>,
) -> Result<AuditEntry> {
    transaction!(storage, |tx| append_in(
        tx, actor_id, guild_id, action, target, details, now
    )
    .await)
}

/// Appends an entry inside a caller's transaction (so an action and its audit row commit
/// together). Locks `audit_head` until the transaction ends.
pub async fn append_in(
    tx: &mut Tx,
    actor_id: UserId,
    guild_id: Option<GuildId>,
    action: &str,
    target: Option<&str>,
    details: &serde_json::Value,
    now: DateTime<Utc>,
) -> Result<AuditEntry> {
    // serde_json's Map is a BTreeMap (no preserve_order), so keys are sorted: canonical.
    let details = serde_json::to_string(details)
        .map_err(|e| StorageError::Corrupt(format!("audit details: {e}")))?;
    let created_at = truncate_to_micros(now);
    let (last_id, last_hash): (i64, String) = tx_run!(tx, |conn, d| {
        let sql = format!(
            "SELECT last_id, last_hash FROM audit_head WHERE id = 1{}",
            d.for_update()
        );
        sqlx::query_as(&sql).fetch_one(&mut *conn).await?
    });
    let id = last_id
        .checked_add(1)
        .ok_or(StorageError::Refused(Refusal::Overflow))?;
    let mut entry = AuditEntry {
        id,
        actor_id,
        guild_id: guild_id.map(GuildId::to_db),
        action: action.to_string(),
        target: target.map(str::to_string),
        details,
        created_at,
        prev_hash: last_hash,
        hash: String::new(),
    };
    entry.hash = compute_hash(&entry);
    tx_run!(tx, |conn| {
        sqlx::query(
            "INSERT INTO audit_log (id, actor_id, guild_id, action, target, details, created_at, \
             prev_hash, hash) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        )
        .bind(entry.id)
        .bind(entry.actor_id.to_db())
        .bind(entry.guild_id)
        .bind(&entry.action)
        .bind(&entry.target)
        .bind(&entry.details)
        .bind(entry.created_at)
        .bind(&entry.prev_hash)
        .bind(&entry.hash)
        .execute(&mut *conn)
        .await?;
        sqlx::query(
            "UPDATE audit_head SET last_id = $1, last_hash = $2, updated_at = $3 WHERE id = 1",
        )
        .bind(entry.id)
        .bind(&entry.hash)
        .bind(created_at)
        .execute(&mut *conn)
        .await?;
    });
    Ok(entry)
}

/// The chain head: (last id, last hash). Publishing it elsewhere (owner DM, logs) anchors the
/// chain against a tamperer who rewrites everything including the head.
pub async fn head(storage: &Storage) -> Result<(i64, String)> {
    conn_run!(storage, |conn| {
        Ok(
            sqlx::query_as("SELECT last_id, last_hash FROM audit_head WHERE id = 1")
                .fetch_one(&mut *conn)
                .await?,
        )
    })
}

/// Most recent entries, newest first.
pub async fn recent(storage: &Storage, limit: i64) -> Result<Vec<AuditEntry>> {
    let sql = format!("SELECT {COLUMNS} FROM audit_log ORDER BY id DESC LIMIT $1");
    conn_run!(storage, |conn| {
        Ok(sqlx::query_as::<_, AuditEntry>(&sql)
            .bind(limit)
            .fetch_all(&mut *conn)
            .await?)
    })
}

/// Filters of [`search`] (`audit show`): each one set narrows the list.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AuditFilter {
    /// Only this actor's entries.
    pub actor: Option<UserId>,
    /// Only actions starting with this (`moderation.`, `owner.grant`).
    pub action: Option<String>,
    /// Only entries at or after this time.
    pub since: Option<DateTime<Utc>>,
}

impl AuditFilter {
    fn pattern(&self) -> String {
        match &self.action {
            Some(a) => {
                // `_` stays (a one-character wildcard that also matches itself).
                let escaped: String = a.chars().filter(|c| *c != '%').collect();
                format!("{escaped}%")
            }
            None => "%".to_string(),
        }
    }
}

/// The condition of [`search`]: every parameter is always bound and used.
const FILTER: &str =
    "($1 = 0 OR actor_id = $1) AND action LIKE $2 AND ($3 IS NULL OR created_at >= $3)";

/// Entries matching `filter`, newest first, `offset`/`limit` for pages, and how many match.
pub async fn search(
    storage: &Storage,
    filter: &AuditFilter,
    offset: i64,
    limit: i64,
) -> Result<(Vec<AuditEntry>, i64)> {
    let list = format!(
        "SELECT {COLUMNS} FROM audit_log WHERE {FILTER} ORDER BY id DESC LIMIT $4 OFFSET $5"
    );
    let count = format!("SELECT COUNT(*) FROM audit_log WHERE {FILTER}");
    let actor = filter.actor.map(UserId::to_db).unwrap_or(0);
    let pattern = filter.pattern();
    let since = filter.since.map(truncate_to_micros);
    conn_run!(storage, |conn| {
        let rows = sqlx::query_as::<_, AuditEntry>(&list)
            .bind(actor)
            .bind(&pattern)
            .bind(since)
            .bind(limit)
            .bind(offset)
            .fetch_all(&mut *conn)
            .await?;
        let (n,): (i64,) = sqlx::query_as(&count)
            .bind(actor)
            .bind(&pattern)
            .bind(since)
            .fetch_one(&mut *conn)
            .await?;
        Ok((rows, n))
    })
}

/// A problem found by [`verify`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AuditProblem {
    /// The row's stored hash does not match its contents: it was edited.
    EditedRow {
        /// The row.
        id: i64,
    },
    /// Ids jump: rows between were deleted.
    MissingRows {
        /// Last row before the gap (0 when the chain's start is missing).
        after_id: i64,
        /// First row after the gap.
        next_id: i64,
    },
    /// The row's `prev_hash` is not the previous row's hash (a row before it was edited or
    /// replaced, with its own hash recomputed).
    BrokenLink {
        /// The row whose link is broken.
        id: i64,
    },
    /// The chain ends before the head says it should: the last rows were deleted.
    TailDeleted {
        /// Last row found.
        last_found_id: i64,
        /// Last id recorded in `audit_head`.
        head_last_id: i64,
    },
    /// The head's hash does not match the last row (head or last row tampered).
    HeadMismatch {
        /// Last id recorded in `audit_head`.
        head_last_id: i64,
    },
}

/// Result of [`verify`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditReport {
    /// Rows read.
    pub rows_checked: u64,
    /// Problems in chain order (empty when intact).
    pub problems: Vec<AuditProblem>,
}

impl AuditReport {
    /// True when no problem was found.
    pub fn is_intact(&self) -> bool {
        self.problems.is_empty()
    }

    /// The first problem, if any.
    pub fn first_problem(&self) -> Option<&AuditProblem> {
        self.problems.first()
    }
}

/// Walks the chain in id order (in pages) up to the head read at the start, and reports every
/// problem found. Rows appended while it runs are not checked (nor reported).
pub async fn verify(storage: &Storage) -> Result<AuditReport> {
    const PAGE: i64 = 1000;
    // Read the head first and check the chain up to it: rows appended while verifying are
    // newer than the head we compare with and are left for the next run.
    let (head_last_id, head_hash) = head(storage).await?;
    let sql =
        format!("SELECT {COLUMNS} FROM audit_log WHERE id > $1 AND id <= $3 ORDER BY id LIMIT $2");
    let mut problems = Vec::new();
    let mut rows_checked = 0u64;
    let mut prev: Option<(i64, String)> = None; // (id, hash) of the previous row
    let mut cursor = 0i64;
    loop {
        let page: Vec<AuditEntry> = conn_run!(storage, |conn| {
            sqlx::query_as::<_, AuditEntry>(&sql)
                .bind(cursor)
                .bind(PAGE)
                .bind(head_last_id)
                .fetch_all(&mut *conn)
                .await?
        });
        let Some(last) = page.last() else { break };
        cursor = last.id;
        for e in &page {
            rows_checked += 1;
            let (prev_id, prev_hash) = match &prev {
                Some((id, h)) => (*id, h.as_str()),
                None => (0, GENESIS_HASH),
            };
            if e.id != prev_id + 1 {
                problems.push(AuditProblem::MissingRows {
                    after_id: prev_id,
                    next_id: e.id,
                });
            } else if e.prev_hash != prev_hash {
                problems.push(AuditProblem::BrokenLink { id: e.id });
            }
            if compute_hash(e) != e.hash {
                problems.push(AuditProblem::EditedRow { id: e.id });
            }
            prev = Some((e.id, e.hash.clone()));
        }
        if (page.len() as i64) < PAGE {
            break;
        }
    }
    let (last_id, last_hash) = prev.unwrap_or((0, GENESIS_HASH.to_string()));
    if last_id < head_last_id {
        problems.push(AuditProblem::TailDeleted {
            last_found_id: last_id,
            head_last_id,
        });
    } else if last_id > head_last_id || last_hash != head_hash {
        problems.push(AuditProblem::HeadMismatch { head_last_id });
    }
    Ok(AuditReport {
        rows_checked,
        problems,
    })
}
