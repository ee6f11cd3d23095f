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

/// One change of an [`apply_batch`]: `change` (non-zero, signed) to `user_id`'s wallet, with
/// its own memo.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    /// Whose balance changes.
    pub user_id: UserId,
    /// Signed change (positive credit, negative debit); never 0.
    pub change: Chrons,
    /// Reason, kind, guild, idempotency key and time of the ledger row.
    pub memo: Memo,
}

impl Change {
    /// A change of `change` to `user_id` described by `memo`.
    pub fn new(user_id: UserId, change: Chrons, memo: Memo) -> Self {
        Self {
            user_id,
            change,
            memo,
        }
    }
}

/// [`apply`] for many changes at once, inside `tx`, with the same guarantees, **all or
/// nothing**:
///
/// * every user of the batch is locked first, in ascending id order (`SELECT … WHERE id =
///   ANY($1) ORDER BY id FOR UPDATE` on Postgres; SQLite transactions hold the write lock), and
///   a missing profile is created, as [`apply`] does;
/// * changes are applied in slice order; a user may appear several times (each row's
///   `balance_after` is the running balance);
/// * the whole batch is checked in Rust before anything is written: a zero change is
///   [`Refusal::InvalidAmount`], a change that would leave a balance negative is
///   [`Refusal::InsufficientFunds`] (with that user's balance at that point), overflow is
///   [`Refusal::Overflow`]: on any error **no** change of the batch is written (nothing but
///   the missing profiles, which the caller's rollback removes);
/// * idempotency keys behave as in [`apply`]: a change whose key the user already used for the
///   same change returns the original row with `replayed = true` and changes nothing; a key
///   reused with a different change, or twice for one user in the batch, is
///   [`StorageError::Conflict`];
/// * one ledger row per applied change. On Postgres the writes are set-based (one `UPDATE … FROM
///   UNNEST` for the balances, one `INSERT … SELECT FROM UNNEST … ORDER BY` for the ledger, so
///   ledger ids follow slice order); on SQLite row by row.
///
/// Returns one [`Applied`] per change, in slice order. An empty batch does nothing.
pub async fn apply_batch(tx: &mut Tx, changes: &[Change]) -> Result<Vec<Applied>> {
    apply_batch_with_xp(tx, changes, &XpUpdates::default()).await
}

/// Global XP and level to set for some users in the same statement as a batch's balances.
///
/// A batch job that changes both (autohunt) would otherwise update each `users` row twice in
/// one transaction; both columns are indexed, so that costs a second row version and index
/// entries per player (about a fifth of the autohunt batch on Postgres). The ledger module
/// still alone decides the balances; these columns are written as given.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct XpUpdates {
    /// Users whose XP is set (each at most once; need not be in the batch's changes).
    pub user_ids: Vec<UserId>,
    /// New `global_xp`, one per user.
    pub global_xp: Vec<i64>,
    /// New `global_level`, one per user.
    pub global_level: Vec<i32>,
    /// `updated_at` for these users (a user whose balance also changes gets the time of its
    /// last change).
    pub at: Option<DateTime<Utc>>,
}

/// [`apply_batch`] that also sets global XP and level (see [`XpUpdates`]) in the same write;
/// nothing at all is written when the batch is refused. The XP users are locked with the others.
pub async fn apply_batch_with_xp(
    tx: &mut Tx,
    changes: &[Change],
    xp: &XpUpdates,
) -> Result<Vec<Applied>> {
    if changes.is_empty() && xp.user_ids.is_empty() {
        return Ok(Vec::new());
    }
    let users: Vec<UserId> = changes
        .iter()
        .map(|c| c.user_id)
        .chain(xp.user_ids.iter().copied())
        .collect();
    let locked = lock_batch(tx, &users).await?;
    apply_batch_locked(tx, locked, changes, xp).await
}

/// Players locked for a batch by [`lock_batch`], with their wallet and global XP as read under
/// the lock. A batch job that must see the balances before it decides its changes (autohunt:
/// a run it cannot pay is not made) locks once here and hands the lock to
/// [`apply_batch_locked`], instead of locking every player twice.
#[derive(Debug)]
pub struct LockedUsers {
    rows: HashMap<i64, (i64, i64)>,
}

impl LockedUsers {
    /// The player's wallet, if they are locked.
    pub fn balance(&self, user_id: UserId) -> Option<Chrons> {
        self.rows.get(&user_id.to_db()).map(|r| Chrons::new(r.0))
    }

    /// The player's global XP, if they are locked.
    pub fn global_xp(&self, user_id: UserId) -> Option<i64> {
        self.rows.get(&user_id.to_db()).map(|r| r.1)
    }
}

/// Locks `users` (any order, repeats allowed) for a batch in `tx`: in ascending id order, like
/// every lock of the ledger, creating missing profiles.
pub async fn lock_batch(tx: &mut Tx, users: &[UserId]) -> Result<LockedUsers> {
    let mut ids: Vec<i64> = users.iter().map(|u| u.to_db()).collect();
    ids.sort_unstable();
    ids.dedup();
    Ok(LockedUsers {
        rows: lock_many(tx, &ids).await?,
    })
}

/// [`apply_batch_with_xp`] on players already locked by [`lock_batch`] in the same transaction
/// (the lock is consumed: its balances are stale once the batch is applied). A change or XP
/// update for a player who is not in `locked` is [`StorageError::NotFound`].
pub async fn apply_batch_locked(
    tx: &mut Tx,
    locked: LockedUsers,
    changes: &[Change],
    xp: &XpUpdates,
) -> Result<Vec<Applied>> {
    if xp.user_ids.len() != xp.global_xp.len() || xp.user_ids.len() != xp.global_level.len() {
        return Err(StorageError::Config(
            "XpUpdates columns have different lengths".into(),
        ));
    }
    if changes.is_empty() && xp.user_ids.is_empty() {
        return Ok(Vec::new());
    }
    if changes.iter().any(|c| c.change == 0) {
        return Err(StorageError::Refused(Refusal::InvalidAmount(0)));
    }
    if let Some(u) = xp
        .user_ids
        .iter()
        .find(|u| !locked.rows.contains_key(&u.to_db()))
    {
        return Err(StorageError::NotFound(Missing::LockedUser(*u)));
    }
    let mut balances: HashMap<i64, i64> =
        locked.rows.into_iter().map(|(id, r)| (id, r.0)).collect();

    let keyed: Vec<(i64, &str)> = changes
        .iter()
        .filter_map(|c| Some((c.user_id.to_db(), c.memo.idempotency_key.as_deref()?)))
        .collect();
    let existing = if keyed.is_empty() {
        HashMap::new()
    } else {
        find_by_keys(tx, &keyed).await?
    };

    // Plan every change before writing any: an error here leaves the balances untouched.
    let mut replayed: Vec<Option<LedgerEntry>> = Vec::with_capacity(changes.len());
    let mut plan: Vec<Planned<'_>> = Vec::with_capacity(changes.len());
    let mut seen_keys: HashSet<(i64, &str)> = HashSet::new();
    for c in changes {
        if let Some(key) = c.memo.idempotency_key.as_deref() {
            if !seen_keys.insert((c.user_id.to_db(), key)) {
                return Err(key_reused(key));
            }
            if let Some(entry) = existing.get(&(c.user_id.to_db(), key.to_string())) {
                if entry.change != c.change || entry.counterparty_id.is_some() {
                    return Err(key_reused(key));
                }
                replayed.push(Some(entry.clone()));
                continue;
            }
        }
        let balance = balances
            .get_mut(&c.user_id.to_db())
            .ok_or_else(|| StorageError::NotFound(Missing::LockedUser(c.user_id)))?;
        let balance_after = next_balance(*balance, c.change.get())?;
        *balance = balance_after;
        replayed.push(None);
        plan.push(Planned {
            change: c,
            balance_after,
            at: c.memo.now(),
        });
    }

    let mut written = write_batch(tx, &plan, xp).await?.into_iter();
    replayed
        .into_iter()
        .map(|r| match r {
            Some(entry) => Ok(Applied {
                entry,
                replayed: true,
            }),
            None => written
                .next()
                .map(|entry| Applied {
                    entry,
                    replayed: false,
                })
                .ok_or_else(|| StorageError::Corrupt("ledger batch returned too few rows".into())),
        })
        .collect()
}

/// A change of a batch that will be written.
struct Planned<'a> {
    change: &'a Change,
    balance_after: i64,
    at: DateTime<Utc>,
}

/// Locks `ids` (sorted, distinct), creating missing profiles, and returns their balances and
/// global XP.
async fn lock_many(tx: &mut Tx, ids: &[i64]) -> Result<HashMap<i64, (i64, i64)>> {
    match tx.inner_mut() {
        TxInner::Pg(t) => {
            let conn: &mut sqlx::PgConnection = t;
            const LOCK: &str =
                "SELECT id, chrons, global_xp FROM users WHERE id = ANY($1) ORDER BY id FOR UPDATE";
            let mut rows: Vec<(i64, i64, i64)> =
                sqlx::query_as(LOCK).bind(ids).fetch_all(&mut *conn).await?;
            if rows.len() < ids.len() {
                sqlx::query(
                    "INSERT INTO users (id, created_at, updated_at) \
                     SELECT id, $2, $2 FROM UNNEST($1::BIGINT[]) AS v(id) \
                     ON CONFLICT (id) DO NOTHING",
                )
                .bind(ids)
                .bind(Utc::now())
                .execute(&mut *conn)
                .await?;
                rows = sqlx::query_as(LOCK).bind(ids).fetch_all(&mut *conn).await?;
            }
            Ok(rows.into_iter().map(|(id, c, x)| (id, (c, x))).collect())
        }
        TxInner::Sqlite(_) => {
            let mut balances = HashMap::with_capacity(ids.len());
            // The transaction holds SQLite's write lock: reading the row is locking it.
            for &id in ids {
                users::ensure(tx, UserId::from_db(id)).await?;
                let row: (i64, i64) = tx_run!(tx, |conn| {
                    sqlx::query_as("SELECT chrons, global_xp FROM users WHERE id = $1")
                        .bind(id)
                        .fetch_one(&mut *conn)
                        .await?
                });
                balances.insert(id, row);
            }
            Ok(balances)
        }
    }
}

/// The ledger rows already written under the given `(user, key)` pairs.
async fn find_by_keys(
    tx: &mut Tx,
    keyed: &[(i64, &str)],
) -> Result<HashMap<(i64, String), LedgerEntry>> {
    let found: Vec<LedgerEntry> = match tx.inner_mut() {
        TxInner::Pg(t) => {
            let conn: &mut sqlx::PgConnection = t;
            let sql = format!(
                "SELECT {} FROM transactions t \
                 JOIN UNNEST($1::BIGINT[], $2::TEXT[]) AS k(user_id, idempotency_key) \
                   ON t.user_id = k.user_id AND t.idempotency_key = k.idempotency_key",
                ENTRY_COLUMNS
                    .split(", ")
                    .map(|c| format!("t.{c}"))
                    .collect::<Vec<_>>()
                    .join(", ")
            );
            let users: Vec<i64> = keyed.iter().map(|k| k.0).collect();
            let keys: Vec<&str> = keyed.iter().map(|k| k.1).collect();
            sqlx::query_as::<_, LedgerEntry>(&sql)
                .bind(&users)
                .bind(&keys)
                .fetch_all(&mut *conn)
                .await?
        }
        TxInner::Sqlite(_) => {
            let mut found = Vec::new();
            for &(user_id, key) in keyed {
                found.extend(find_by_key(tx, user_id, key).await?);
            }
            found
        }
    };
    Ok(found
        .into_iter()
        .filter_map(|e| {
            let key = e.idempotency_key.clone()?;
            Some(((e.user_id.to_db(), key), e))
        })
        .collect())
}

/// The `users` columns a batch sets for one user: balance, XP, level (`None`: unchanged) and
/// `updated_at`.
type UserRow = (Option<i64>, Option<i64>, Option<i32>, DateTime<Utc>);

/// Writes the planned changes (balances, XP and ledger rows); returns the ledger rows in plan
/// order.
async fn write_batch(
    tx: &mut Tx,
    plan: &[Planned<'_>],
    xp: &XpUpdates,
) -> Result<Vec<LedgerEntry>> {
    let conn: &mut sqlx::PgConnection = match tx.inner_mut() {
        TxInner::Pg(t) => t,
        TxInner::Sqlite(_) => {
            let mut entries = Vec::with_capacity(plan.len());
            for p in plan {
                let c = p.change;
                entries.push(
                    write(
                        tx,
                        c.user_id.to_db(),
                        c.change.get(),
                        p.balance_after,
                        None,
                        &c.memo,
                    )
                    .await?,
                );
            }
            let at = xp.at.unwrap_or_else(Utc::now);
            for ((id, x), lvl) in xp.user_ids.iter().zip(&xp.global_xp).zip(&xp.global_level) {
                tx_run!(tx, |conn| {
                    sqlx::query(
                        "UPDATE users SET global_xp = $1, global_level = $2, updated_at = $3 \
                         WHERE id = $4",
                    )
                    .bind(x)
                    .bind(lvl)
                    .bind(at)
                    .bind(id.to_db())
                    .execute(&mut *conn)
                    .await?;
                });
            }
            return Ok(entries);
        }
    };
    // One row per user: final balance (NULL: unchanged), XP and level (NULL: unchanged), and
    // the time of its last change.
    let xp_at = xp.at.unwrap_or_else(Utc::now);
    let mut rows: HashMap<i64, UserRow> = HashMap::with_capacity(plan.len().max(xp.user_ids.len()));
    for ((id, x), lvl) in xp.user_ids.iter().zip(&xp.global_xp).zip(&xp.global_level) {
        rows.insert(id.to_db(), (None, Some(*x), Some(*lvl), xp_at));
    }
    for p in plan {
        let row = rows
            .entry(p.change.user_id.to_db())
            .or_insert((None, None, None, p.at));
        row.0 = Some(p.balance_after);
        row.3 = p.at;
    }
    let n = rows.len();
    let (mut u_id, mut u_balance, mut u_xp, mut u_lvl, mut u_at) = (
        Vec::with_capacity(n),
        Vec::with_capacity(n),
        Vec::with_capacity(n),
        Vec::with_capacity(n),
        Vec::with_capacity(n),
    );
    // In id order, like the locks: deterministic, and index-friendly.
    let mut rows: Vec<(i64, UserRow)> = rows.into_iter().collect();
    rows.sort_unstable_by_key(|r| r.0);
    for (id, (balance, x, lvl, at)) in rows {
        u_id.push(id);
        u_balance.push(balance);
        u_xp.push(x);
        u_lvl.push(lvl);
        u_at.push(at);
    }
    sqlx::query(
        "UPDATE users AS u SET chrons = COALESCE(v.chrons, u.chrons), \
         global_xp = COALESCE(v.xp, u.global_xp), global_level = COALESCE(v.lvl, u.global_level), \
         updated_at = v.at \
         FROM UNNEST($1::BIGINT[], $2::BIGINT[], $3::BIGINT[], $4::INT[], $5::TIMESTAMPTZ[]) \
           AS v(id, chrons, xp, lvl, at) \
         WHERE u.id = v.id",
    )
    .bind(&u_id)
    .bind(&u_balance)
    .bind(&u_xp)
    .bind(&u_lvl)
    .bind(&u_at)
    .execute(&mut *conn)
    .await?;
    if plan.is_empty() {
        return Ok(Vec::new());
    }

    let col = |f: fn(&Planned<'_>) -> i64| plan.iter().map(f).collect::<Vec<i64>>();
    let guilds: Vec<Option<i64>> = plan
        .iter()
        .map(|p| p.change.memo.guild_id.map(GuildId::to_db))
        .collect();
    let reasons: Vec<&str> = plan.iter().map(|p| p.change.memo.reason.as_str()).collect();
    let kinds: Vec<&str> = plan.iter().map(|p| p.change.memo.kind.as_str()).collect();
    let keys: Vec<Option<&str>> = plan
        .iter()
        .map(|p| p.change.memo.idempotency_key.as_deref())
        .collect();
    let ats: Vec<DateTime<Utc>> = plan.iter().map(|p| p.at).collect();
    let insert = "INSERT INTO transactions (user_id, guild_id, change, balance_after, reason, kind, \
         idempotency_key, created_at) \
         SELECT user_id, guild_id, change, balance_after, reason, kind, idempotency_key, at \
         FROM UNNEST($1::BIGINT[], $2::BIGINT[], $3::BIGINT[], $4::BIGINT[], $5::TEXT[], \
                     $6::TEXT[], $7::TEXT[], $8::TIMESTAMPTZ[]) WITH ORDINALITY \
           AS v(user_id, guild_id, change, balance_after, reason, kind, idempotency_key, at, ord) \
         ORDER BY ord RETURNING id, user_id, change, balance_after";
    // Only the numbers come back (cheap to decode); the rest of each row is what was sent.
    let res = sqlx::query_as::<_, (i64, i64, i64, i64)>(insert)
        .bind(col(|p| p.change.user_id.to_db()))
        .bind(&guilds)
        .bind(col(|p| p.change.change.get()))
        .bind(col(|p| p.balance_after))
        .bind(&reasons)
        .bind(&kinds)
        .bind(&keys)
        .bind(&ats)
        .fetch_all(&mut *conn)
        .await;
    let mut rows = match res.map_err(StorageError::from) {
        Err(e) if e.is_unique_violation() => {
            return Err(StorageError::Conflict(
                "an idempotency key of the batch is already used".into(),
            ));
        }
        other => other?,
    };
    // Ids are assigned in `ORDER BY ord` order; check it rather than trust it, since the
    // ledger's replay order is the id order.
    rows.sort_unstable_by_key(|r| r.0);
    let in_order = rows.len() == plan.len()
        && rows.iter().zip(plan).all(|(r, p)| {
            r.1 == p.change.user_id.to_db()
                && r.2 == p.change.change.get()
                && r.3 == p.balance_after
        });
    if !in_order {
        return Err(StorageError::Corrupt(
            "ledger batch rows were not numbered in batch order".into(),
        ));
    }
    let entries = rows
        .into_iter()
        .zip(plan)
        .map(|((id, user_id, change, balance_after), p)| {
            let memo = &p.change.memo;
            LedgerEntry {
                id,
                user_id: UserId::from_db(user_id),
                guild_id: memo.guild_id.map(GuildId::to_db),
                change: Chrons::new(change),
                balance_after: Chrons::new(balance_after),
                reason: memo.reason.clone(),
                kind: memo.kind.clone(),
                counterparty_id: None,
                idempotency_key: memo.idempotency_key.clone(),
                // Postgres keeps microseconds.
                created_at: crate::truncate_to_micros(p.at),
            }
        })
        .collect();
    Ok(entries)
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
