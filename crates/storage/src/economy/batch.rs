//! The ledger's batch API: many users' changes in one transaction, locked once, written
//! set-based (autohunt, payouts).

use super::*;

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
