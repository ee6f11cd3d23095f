//! The coin ledger: every change of `users.chrons` goes through [`apply`] (or [`credit`],
//! [`debit`], [`transfer`], built on it) or, for many users at once, [`apply_batch`]; each locks
//! the user rows, refuses negative balances and overflow, and appends a `transactions` row
//! carrying `balance_after`.
//!
//! Architecture invariant: for every user, the sum of `transactions.change` equals
//! `users.chrons`, and replaying a user's rows in id order reproduces each `balance_after`
//! (rows of one user are written while that user's row is locked, so their ids are ordered).
//! [`reconcile`] and [`ledger_replay`] check this.
//!
//! Idempotency: a [`Memo`] may carry a key (interaction or message id). The key is checked
//! *after* the user row is locked, so of two racing calls with the same key exactly one applies
//! and the other returns the first one's outcome with `replayed = true`. A key reused with
//! different parameters is a [`StorageError::Conflict`]. The unique index
//! `(user_id, idempotency_key)` backs this up.

use chronix_core::economy::Chrons;
use chronix_core::ids::{GuildId, UserId};
use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Utc};

use crate::{Missing, Refusal, Result, Storage, StorageError, Tx, TxInner, users};

mod batch;
pub use batch::{
    Change, LockedUsers, XpUpdates, apply_batch, apply_batch_locked, apply_batch_with_xp,
    lock_batch,
};

/// Why and how a balance changes: reason text, category, guild, idempotency key, time.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Memo {
    /// Human-readable reason, stored on the ledger row (e.g. "daily reward").
    pub reason: String,
    /// Category for filtering and statistics (e.g. "daily", "transfer", "bet"). Default "other".
    pub kind: String,
    /// Guild where it happened, if any.
    pub guild_id: Option<GuildId>,
    /// Idempotency key: a retried call with the same key is a no-op returning the original outcome.
    pub idempotency_key: Option<String>,
    /// Timestamp of the ledger row; `None` means `Utc::now()`.
    pub at: Option<DateTime<Utc>>,
}

impl Memo {
    /// A memo with a reason, kind "other", no guild, no key, timestamp now.
    pub fn new(reason: impl Into<String>) -> Self {
        Self {
            reason: reason.into(),
            kind: "other".to_string(),
            guild_id: None,
            idempotency_key: None,
            at: None,
        }
    }

    /// Sets the category.
    pub fn kind(mut self, kind: impl Into<String>) -> Self {
        self.kind = kind.into();
        self
    }

    /// Sets the guild.
    pub fn guild(mut self, guild_id: GuildId) -> Self {
        self.guild_id = Some(guild_id);
        self
    }

    /// Sets the idempotency key.
    pub fn key(mut self, key: impl Into<String>) -> Self {
        self.idempotency_key = Some(key.into());
        self
    }

    /// Sets the timestamp (tests control time).
    pub fn at(mut self, now: DateTime<Utc>) -> Self {
        self.at = Some(now);
        self
    }

    fn now(&self) -> DateTime<Utc> {
        self.at.unwrap_or_else(Utc::now)
    }
}

/// A row of the `transactions` ledger.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct LedgerEntry {
    /// Row id (ordered per user).
    pub id: i64,
    /// Whose balance changed.
    #[sqlx(try_from = "i64")]
    pub user_id: UserId,
    /// Guild, if any (see [`LedgerEntry::guild`]).
    pub(crate) guild_id: Option<i64>,
    /// Signed change (never 0).
    #[sqlx(try_from = "i64")]
    pub change: Chrons,
    /// Balance right after this change.
    #[sqlx(try_from = "i64")]
    pub balance_after: Chrons,
    /// Reason text.
    pub reason: String,
    /// Category.
    pub kind: String,
    /// Other side of a transfer (see [`LedgerEntry::counterparty`]).
    pub(crate) counterparty_id: Option<i64>,
    /// Idempotency key, if any.
    pub idempotency_key: Option<String>,
    /// When.
    pub created_at: DateTime<Utc>,
}

impl LedgerEntry {
    /// Guild where it happened, if any.
    pub fn guild(&self) -> Option<GuildId> {
        self.guild_id.map(GuildId::from_db)
    }

    /// Other side of a transfer.
    pub fn counterparty(&self) -> Option<UserId> {
        self.counterparty_id.map(UserId::from_db)
    }
}

const ENTRY_COLUMNS: &str = "id, user_id, guild_id, change, balance_after, reason, kind, \
                             counterparty_id, idempotency_key, created_at";

/// Outcome of a credit, debit or [`apply`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Applied {
    /// The ledger row (the original one when replayed).
    pub entry: LedgerEntry,
    /// True when the idempotency key had already been used: nothing changed now.
    pub replayed: bool,
}

impl Applied {
    /// Balance right after the change.
    pub fn balance_after(&self) -> Chrons {
        self.entry.balance_after
    }
}

/// Outcome of a [`transfer`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Transferred {
    /// The payer's ledger row (negative change).
    pub from: LedgerEntry,
    /// The payee's ledger row (positive change).
    pub to: LedgerEntry,
    /// True when the idempotency key had already been used: nothing changed now.
    pub replayed: bool,
}

/// Adds `amount` (> 0) chrons to `user_id` in its own transaction (retried on transient errors). Creates the profile if needed.
pub async fn credit(
    storage: &Storage,
    user_id: UserId,
    amount: Chrons,
    memo: &Memo,
) -> Result<Applied> {
    if amount <= 0 {
        return Err(StorageError::Refused(Refusal::InvalidAmount(amount.get())));
    }
    transaction!(storage, |tx| apply(tx, user_id, amount, memo).await)
}

/// Removes `amount` (> 0) chrons from `user_id` in its own transaction;
/// [`Refusal::InsufficientFunds`] when the balance is too low (nothing changes).
pub async fn debit(
    storage: &Storage,
    user_id: UserId,
    amount: Chrons,
    memo: &Memo,
) -> Result<Applied> {
    if amount <= 0 {
        return Err(StorageError::Refused(Refusal::InvalidAmount(amount.get())));
    }
    transaction!(storage, |tx| apply(tx, user_id, -amount, memo).await)
}

/// Moves `amount` (> 0) chrons from `from` to `to` in its own transaction, writing one ledger
/// row per user (both carry the memo's idempotency key).
pub async fn transfer(
    storage: &Storage,
    from: UserId,
    to: UserId,
    amount: Chrons,
    memo: &Memo,
) -> Result<Transferred> {
    // Validate before touching the database.
    validate_transfer(from.to_db(), to.to_db(), amount.get())?;
    transaction!(storage, |tx| transfer_in(tx, from, to, amount, memo).await)
}

fn validate_transfer(from: i64, to: i64, amount: i64) -> Result<()> {
    if amount <= 0 {
        return Err(StorageError::Refused(Refusal::InvalidAmount(amount)));
    }
    if from == to {
        return Err(StorageError::Refused(Refusal::SelfTransfer));
    }
    Ok(())
}

/// Changes `user_id`'s balance by `change` (positive credit, negative debit) inside `tx`:
/// locks the row, checks the idempotency key, refuses overflow and negative balances, updates
/// `users.chrons` and appends the ledger row. The building block for every feature that moves
/// coins; on error the caller drops the transaction, so nothing changes.
pub async fn apply(tx: &mut Tx, user_id: UserId, change: Chrons, memo: &Memo) -> Result<Applied> {
    if change == 0 {
        return Err(StorageError::Refused(Refusal::InvalidAmount(0)));
    }
    let balance = users::lock(tx, user_id).await?;
    if let Some(key) = &memo.idempotency_key {
        if let Some(entry) = find_by_key(tx, user_id.to_db(), key).await? {
            if entry.change != change || entry.counterparty_id.is_some() {
                return Err(key_reused(key));
            }
            return Ok(Applied {
                entry,
                replayed: true,
            });
        }
    }
    let new_balance = next_balance(balance, change.get())?;
    let entry = write(tx, user_id.to_db(), change.get(), new_balance, None, memo).await?;
    Ok(Applied {
        entry,
        replayed: false,
    })
}

/// [`transfer`] inside a caller's transaction (both users locked in ascending id order).
pub async fn transfer_in(
    tx: &mut Tx,
    from: UserId,
    to: UserId,
    amount: Chrons,
    memo: &Memo,
) -> Result<Transferred> {
    validate_transfer(from.to_db(), to.to_db(), amount.get())?;
    let (lo, hi) = if from < to { (from, to) } else { (to, from) };
    let balance_lo = users::lock(tx, lo).await?;
    let balance_hi = users::lock(tx, hi).await?;
    let (balance_from, balance_to) = if from == lo {
        (balance_lo, balance_hi)
    } else {
        (balance_hi, balance_lo)
    };
    if let Some(key) = &memo.idempotency_key {
        if let Some(from_entry) = find_by_key(tx, from.to_db(), key).await? {
            let to_entry = find_by_key(tx, to.to_db(), key).await?;
            return match to_entry {
                Some(to_entry)
                    if from_entry.change == -amount
                        && from_entry.counterparty_id == Some(to.to_db())
                        && to_entry.change == amount
                        && to_entry.counterparty_id == Some(from.to_db()) =>
                {
                    Ok(Transferred {
                        from: from_entry,
                        to: to_entry,
                        replayed: true,
                    })
                }
                _ => Err(key_reused(key)),
            };
        }
    }
    let new_from = next_balance(balance_from, (-amount).get())?;
    let new_to = next_balance(balance_to, amount.get())?;
    let from_entry = write(
        tx,
        from.to_db(),
        (-amount).get(),
        new_from,
        Some(to.to_db()),
        memo,
    )
    .await?;
    let to_entry = write(
        tx,
        to.to_db(),
        amount.get(),
        new_to,
        Some(from.to_db()),
        memo,
    )
    .await?;
    Ok(Transferred {
        from: from_entry,
        to: to_entry,
        replayed: false,
    })
}

fn key_reused(key: &str) -> StorageError {
    StorageError::Conflict(format!(
        "idempotency key {key:?} was already used for a different operation"
    ))
}

/// The balance after applying `change` to `balance`: overflow and negative results are errors.
fn next_balance(balance: i64, change: i64) -> Result<i64> {
    let new = balance
        .checked_add(change)
        .ok_or(StorageError::Refused(Refusal::Overflow))?;
    if new < 0 {
        return Err(StorageError::Refused(Refusal::InsufficientFunds {
            needed: Chrons::new(change.checked_neg().unwrap_or(i64::MAX)),
            available: Chrons::new(balance),
        }));
    }
    Ok(new)
}

async fn find_by_key(tx: &mut Tx, user_id: i64, key: &str) -> Result<Option<LedgerEntry>> {
    let sql = format!(
        "SELECT {ENTRY_COLUMNS} FROM transactions WHERE user_id = $1 AND idempotency_key = $2"
    );
    tx_run!(tx, |conn| {
        Ok(sqlx::query_as::<_, LedgerEntry>(&sql)
            .bind(user_id)
            .bind(key)
            .fetch_optional(&mut *conn)
            .await?)
    })
}

/// Sets the (locked) user's balance and appends the ledger row.
async fn write(
    tx: &mut Tx,
    user_id: i64,
    change: i64,
    balance_after: i64,
    counterparty_id: Option<i64>,
    memo: &Memo,
) -> Result<LedgerEntry> {
    let now = memo.now();
    let insert = format!(
        "INSERT INTO transactions (user_id, guild_id, change, balance_after, reason, kind, \
         counterparty_id, idempotency_key, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING {ENTRY_COLUMNS}"
    );
    // An async block so that `?` lands in `res` (to map a unique violation), not in `write`.
    let res: Result<LedgerEntry> = tx_run!(tx, |conn| async {
        sqlx::query("UPDATE users SET chrons = $1, updated_at = $2 WHERE id = $3")
            .bind(balance_after)
            .bind(now)
            .bind(user_id)
            .execute(&mut *conn)
            .await?;
        Ok(sqlx::query_as::<_, LedgerEntry>(&insert)
            .bind(user_id)
            .bind(memo.guild_id.map(GuildId::to_db))
            .bind(change)
            .bind(balance_after)
            .bind(&memo.reason)
            .bind(&memo.kind)
            .bind(counterparty_id)
            .bind(&memo.idempotency_key)
            .bind(now)
            .fetch_one(&mut *conn)
            .await?)
    }
    .await);
    match res {
        Err(e) if e.is_unique_violation() => Err(StorageError::Conflict(format!(
            "idempotency key {:?} already used by user {user_id}",
            memo.idempotency_key.as_deref().unwrap_or("")
        ))),
        other => other,
    }
}

/// Wallet balance of a user (0 when they have no profile).
pub async fn balance(storage: &Storage, user_id: UserId) -> Result<Chrons> {
    conn_run!(storage, |conn| {
        let row: Option<(i64,)> = sqlx::query_as("SELECT chrons FROM users WHERE id = $1")
            .bind(user_id.to_db())
            .fetch_optional(&mut *conn)
            .await?;
        Ok(Chrons::new(row.map_or(0, |r| r.0)))
    })
}

/// A user's ledger, newest first, `limit` rows with id < `before_id` (keyset pagination).
pub async fn history(
    storage: &Storage,
    user_id: UserId,
    limit: i64,
    before_id: Option<i64>,
) -> Result<Vec<LedgerEntry>> {
    let sql = format!(
        "SELECT {ENTRY_COLUMNS} FROM transactions WHERE user_id = $1 AND id < $2 \
         ORDER BY id DESC LIMIT $3"
    );
    conn_run!(storage, |conn| {
        Ok(sqlx::query_as::<_, LedgerEntry>(&sql)
            .bind(user_id.to_db())
            .bind(before_id.unwrap_or(i64::MAX))
            .bind(limit.max(0))
            .fetch_all(&mut *conn)
            .await?)
    })
}

/// A page of a user's ledger, newest first: `limit` rows after skipping `offset` (a player's
/// ledger is short enough for `OFFSET`; [`history`] walks it by keyset).
pub async fn history_page(
    storage: &Storage,
    user_id: UserId,
    offset: i64,
    limit: i64,
) -> Result<Vec<LedgerEntry>> {
    let sql = format!(
        "SELECT {ENTRY_COLUMNS} FROM transactions WHERE user_id = $1 \
         ORDER BY id DESC LIMIT $2 OFFSET $3"
    );
    conn_run!(storage, |conn| {
        Ok(sqlx::query_as::<_, LedgerEntry>(&sql)
            .bind(user_id.to_db())
            .bind(limit.max(0))
            .bind(offset.max(0))
            .fetch_all(&mut *conn)
            .await?)
    })
}

/// How many ledger rows a user has.
pub async fn history_count(storage: &Storage, user_id: UserId) -> Result<i64> {
    conn_run!(storage, |conn| {
        let n: (i64,) = sqlx::query_as("SELECT COUNT(*) FROM transactions WHERE user_id = $1")
            .bind(user_id.to_db())
            .fetch_one(&mut *conn)
            .await?;
        Ok(n.0)
    })
}

/// Result of replaying one user's ledger.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LedgerReplay {
    /// The user.
    pub user_id: UserId,
    /// Current `users.chrons` (0 without a profile).
    pub balance: Chrons,
    /// Sum of all ledger changes.
    pub ledger_sum: Chrons,
    /// Number of ledger rows.
    pub entries: usize,
    /// First row whose `balance_after` is not the running sum, if any.
    pub first_bad_entry: Option<i64>,
}

impl LedgerReplay {
    /// True when the ledger replays exactly to the balance.
    pub fn is_consistent(&self) -> bool {
        self.first_bad_entry.is_none() && self.ledger_sum == self.balance
    }
}

/// Replays a user's ledger in id order, checking every `balance_after` and the final balance.
pub async fn ledger_replay(storage: &Storage, user_id: UserId) -> Result<LedgerReplay> {
    let sql = format!("SELECT {ENTRY_COLUMNS} FROM transactions WHERE user_id = $1 ORDER BY id");
    let entries: Vec<LedgerEntry> = conn_run!(storage, |conn| {
        sqlx::query_as::<_, LedgerEntry>(&sql)
            .bind(user_id.to_db())
            .fetch_all(&mut *conn)
            .await?
    });
    let balance = balance(storage, user_id).await?;
    let mut running: i64 = 0;
    let mut first_bad_entry = None;
    for e in &entries {
        running = running
            .checked_add(e.change.get())
            .ok_or(StorageError::Refused(Refusal::Overflow))?;
        if e.balance_after != running && first_bad_entry.is_none() {
            first_bad_entry = Some(e.id);
        }
    }
    Ok(LedgerReplay {
        user_id,
        balance,
        ledger_sum: Chrons::new(running),
        entries: entries.len(),
        first_bad_entry,
    })
}

/// A user whose balance differs from the sum of their ledger.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct Mismatch {
    /// The user.
    #[sqlx(try_from = "i64")]
    pub user_id: UserId,
    /// `users.chrons`.
    #[sqlx(try_from = "i64")]
    pub balance: Chrons,
    /// Sum of ledger changes.
    #[sqlx(try_from = "i64")]
    pub ledger_sum: Chrons,
}

/// Reconciliation over all users: every user whose balance is not the sum of their ledger
/// changes (empty when the books balance).
pub async fn reconcile(storage: &Storage) -> Result<Vec<Mismatch>> {
    conn_run!(storage, |conn| {
        Ok(sqlx::query_as::<_, Mismatch>(
            "SELECT u.id AS user_id, u.chrons AS balance, \
                    CAST(COALESCE(s.total, 0) AS BIGINT) AS ledger_sum \
             FROM users u \
             LEFT JOIN (SELECT user_id, SUM(change) AS total FROM transactions GROUP BY user_id) s \
                    ON s.user_id = u.id \
             WHERE u.chrons <> CAST(COALESCE(s.total, 0) AS BIGINT) \
             ORDER BY u.id",
        )
        .fetch_all(&mut *conn)
        .await?)
    })
}

/// Sum of all wallet balances (for conservation checks and statistics).
pub async fn total_supply(storage: &Storage) -> Result<Chrons> {
    conn_run!(storage, |conn| {
        let (n,): (i64,) =
            sqlx::query_as("SELECT CAST(COALESCE(SUM(chrons), 0) AS BIGINT) FROM users")
                .fetch_one(&mut *conn)
                .await?;
        Ok(Chrons::new(n))
    })
}
