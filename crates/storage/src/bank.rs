//! The bank: `users.bank`, deposits, withdrawals and interest.
//!
//! Money moves between wallet and bank through the ledger: a deposit is a wallet debit
//! (kind `bank_deposit`) plus `bank += amount` in the same transaction, a withdrawal the
//! reverse (kind `bank_withdraw`). So the ledger still replays to the wallet, and wallet + bank
//! changes only through ledgered operations. A deposit or withdrawal replayed by its idempotency
//! key changes neither balance.
//!
//! Interest: periods are `unix_seconds div period_secs`. **Interest accrues only on money that
//! was in the bank for a whole period**: `bank_accounts.period_min_bank` is the lowest bank
//! balance since the start of the open period `last_interest_period` (a withdrawal lowers it, a
//! deposit does not raise it). Settling ([`pay_interest`], and the first step of every
//! [`deposit`] and [`withdraw`]) pays for every whole period since `last_interest_period`: the
//! period-minimum earns for all of them, the rest of the balance (which can only have arrived
//! during the open period, as any change settles first) for all but the first; compounded and
//! capped per settlement by `chronix_core::economy::interest`. Then the open period becomes the
//! current one and its minimum the balance after settling. The payment is a ledgered credit
//! (`interest:<user>:<period>`) followed by a ledgered deposit of the same amount
//! (`interest-deposit:<user>:<period>`), in ONE transaction with the bookkeeping, so a period is
//! paid at most once, however often the job runs and whatever crashed in between. Emptying the
//! bank, waiting, and depositing just before the interest job therefore earns nothing for the
//! waiting periods (issue 9).

use chronix_core::economy::Chrons;
use chronix_core::economy::{BankRules, MAX_CHRONS, interest};
use chronix_core::ids::UserId;
use chrono::{DateTime, Utc};

use crate::economy::{self, Memo};
use crate::{Refusal, Result, Storage, StorageError, Tx, users};

/// Wallet and bank after a bank operation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Balances {
    /// Wallet (`users.chrons`).
    pub wallet: Chrons,
    /// Bank (`users.bank`).
    pub bank: Chrons,
}

/// The interest period containing `now`.
pub fn period_of(now: DateTime<Utc>, period_secs: u32) -> i64 {
    now.timestamp().div_euclid(i64::from(period_secs.max(1)))
}

async fn bank_in(tx: &mut Tx, user_id: i64) -> Result<i64> {
    tx_run!(tx, |conn| {
        let (bank,): (i64,) = sqlx::query_as("SELECT bank FROM users WHERE id = $1")
            .bind(user_id)
            .fetch_one(&mut *conn)
            .await?;
        Ok(bank)
    })
}

async fn set_bank_in(tx: &mut Tx, user_id: i64, bank: i64, now: DateTime<Utc>) -> Result<()> {
    tx_run!(tx, |conn| {
        sqlx::query("UPDATE users SET bank = $1, updated_at = $2 WHERE id = $3")
            .bind(bank)
            .bind(now)
            .bind(user_id)
            .execute(&mut *conn)
            .await?;
    });
    Ok(())
}

/// Opens the interest bookkeeping with `period` open and `min_bank` as its minimum.
async fn open_account_in(
    tx: &mut Tx,
    user_id: i64,
    period: i64,
    min_bank: i64,
    now: DateTime<Utc>,
) -> Result<()> {
    tx_run!(tx, |conn| {
        sqlx::query(
            "INSERT INTO bank_accounts (user_id, last_interest_period, period_min_bank, \
             created_at, updated_at) VALUES ($1, $2, $3, $4, $4) ON CONFLICT (user_id) DO NOTHING",
        )
        .bind(user_id)
        .bind(period)
        .bind(min_bank)
        .bind(now)
        .execute(&mut *conn)
        .await?;
    });
    Ok(())
}

/// Sets the open period's minimum bank balance.
async fn set_period_min_in(
    tx: &mut Tx,
    user_id: i64,
    min_bank: i64,
    now: DateTime<Utc>,
) -> Result<()> {
    tx_run!(tx, |conn| {
        sqlx::query(
            "UPDATE bank_accounts SET period_min_bank = $1, updated_at = $2 WHERE user_id = $3",
        )
        .bind(min_bank)
        .bind(now)
        .bind(user_id)
        .execute(&mut *conn)
        .await?;
    });
    Ok(())
}

/// Wallet and bank of a player (zeros without a profile).
pub async fn balances(storage: &Storage, user_id: UserId) -> Result<Balances> {
    let row: Option<(i64, i64)> = conn_run!(storage, |conn| {
        sqlx::query_as("SELECT chrons, bank FROM users WHERE id = $1")
            .bind(user_id.to_db())
            .fetch_optional(&mut *conn)
            .await?
    });
    let (wallet, bank) = row.unwrap_or((0, 0));
    Ok(Balances {
        wallet: Chrons::new(wallet),
        bank: Chrons::new(bank),
    })
}

/// Moves `amount` (> 0) from the wallet to the bank. [`Refusal::InsufficientFunds`] when
/// the wallet is short; nothing changes on error.
pub async fn deposit(
    storage: &Storage,
    user_id: UserId,
    amount: Chrons,
    rules: &BankRules,
    memo: &Memo,
    now: DateTime<Utc>,
) -> Result<Balances> {
    if amount <= 0 {
        return Err(StorageError::Refused(Refusal::InvalidAmount(amount.get())));
    }
    transaction!(storage, |tx| {
        // Settle first: the money deposited now earns from the next whole period, the money
        // already there is paid up to now (and opens the bookkeeping on a first deposit).
        let settled = pay_interest_in(tx, user_id, rules, now).await?;
        let bank = settled.bank;
        let new_bank = bank
            .checked_add(amount)
            .filter(|b| *b <= MAX_CHRONS.get())
            .ok_or(StorageError::Refused(Refusal::Overflow))?;
        let applied = economy::apply(tx, user_id, -amount, memo).await?;
        if applied.replayed {
            return Ok(Balances {
                wallet: Chrons::new(users::lock(tx, user_id).await?),
                bank,
            });
        }
        set_bank_in(tx, user_id.to_db(), new_bank.get(), now).await?;
        Ok(Balances {
            wallet: applied.balance_after(),
            bank: new_bank,
        })
    })
}

/// Moves `amount` (> 0) from the bank to the wallet. [`Refusal::InsufficientFunds`] (with
/// the bank balance as `available`) when the bank is short; nothing changes on error.
pub async fn withdraw(
    storage: &Storage,
    user_id: UserId,
    amount: Chrons,
    rules: &BankRules,
    memo: &Memo,
    now: DateTime<Utc>,
) -> Result<Balances> {
    if amount <= 0 {
        return Err(StorageError::Refused(Refusal::InvalidAmount(amount.get())));
    }
    transaction!(storage, |tx| {
        // Settle first: the periods that ended are paid on what was in the bank then.
        let settled = pay_interest_in(tx, user_id, rules, now).await?;
        let bank = settled.bank;
        let applied = economy::apply(tx, user_id, amount, memo).await?;
        if applied.replayed {
            return Ok(Balances {
                wallet: Chrons::new(users::lock(tx, user_id).await?),
                bank,
            });
        }
        if amount > bank {
            return Err(StorageError::Refused(Refusal::InsufficientFunds {
                needed: amount,
                available: bank,
            }));
        }
        let new_bank = bank - amount;
        set_bank_in(tx, user_id.to_db(), new_bank.get(), now).await?;
        // Settling made the open period's minimum the balance before this withdrawal.
        set_period_min_in(tx, user_id.to_db(), new_bank.get(), now).await?;
        Ok(Balances {
            wallet: applied.balance_after(),
            bank: new_bank,
        })
    })
}

/// Interest paid to one player by [`pay_interest`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct InterestPaid {
    /// Amount credited (and deposited). 0 when nothing was due.
    pub amount: Chrons,
    /// Periods settled by this call.
    pub periods: i64,
    /// The period now recorded as paid.
    pub period: i64,
    /// Bank balance afterwards.
    pub bank: Chrons,
}

/// [`pay_interest`] inside a caller's transaction: locks the user, pays what is due (see the
/// module docs) and opens the current period with the balance after paying as its minimum.
/// Opens the bookkeeping (nothing paid) when the player has none yet.
pub async fn pay_interest_in(
    tx: &mut Tx,
    user_id: UserId,
    rules: &BankRules,
    now: DateTime<Utc>,
) -> Result<InterestPaid> {
    let current = period_of(now, rules.period_secs);
    users::lock(tx, user_id).await?;
    let bank = bank_in(tx, user_id.to_db()).await?;
    let account: Option<(i64, i64)> = tx_run!(tx, |conn| {
        sqlx::query_as(
            "SELECT last_interest_period, period_min_bank FROM bank_accounts WHERE user_id = $1",
        )
        .bind(user_id.to_db())
        .fetch_optional(&mut *conn)
        .await?
    });
    let Some((last, min_bank)) = account else {
        // No bookkeeping yet (a first deposit, or a bank balance from before this table): start
        // counting now; a balance already there counts as present for the whole current period.
        open_account_in(tx, user_id.to_db(), current, bank, now).await?;
        return Ok(InterestPaid {
            amount: Chrons::new(0),
            periods: 0,
            period: current,
            bank: Chrons::new(bank),
        });
    };
    if current <= last {
        return Ok(InterestPaid {
            amount: Chrons::new(0),
            periods: 0,
            period: last,
            bank: Chrons::new(bank),
        });
    }
    let periods = current - last;
    let earned = earned_interest(bank, min_bank, periods, rules);
    let mut new_bank = bank;
    if earned > 0 {
        let credit = Memo::new(format!("bank interest ({periods} period(s))"))
            .kind("interest")
            .key(format!("interest:{user_id}:{current}"))
            .at(now);
        economy::apply(tx, user_id, Chrons::new(earned), &credit).await?;
        let deposit = Memo::new("bank interest deposited")
            .kind("bank_deposit")
            .key(format!("interest-deposit:{user_id}:{current}"))
            .at(now);
        economy::apply(tx, user_id, Chrons::new(-earned), &deposit).await?;
        new_bank = bank
            .checked_add(earned)
            .filter(|b| *b <= MAX_CHRONS.get())
            .ok_or(StorageError::Refused(Refusal::Overflow))?;
        set_bank_in(tx, user_id.to_db(), new_bank, now).await?;
    }
    tx_run!(tx, |conn| {
        sqlx::query(
            "UPDATE bank_accounts SET last_interest_period = $1, period_min_bank = $2, \
                 interest_paid = interest_paid + $3, updated_at = $4 WHERE user_id = $5",
        )
        .bind(current)
        .bind(new_bank)
        .bind(earned)
        .bind(now)
        .bind(user_id.to_db())
        .execute(&mut *conn)
        .await?;
    });
    Ok(InterestPaid {
        amount: Chrons::new(earned),
        periods,
        period: current,
        bank: Chrons::new(new_bank),
    })
}

/// Interest for `periods` (>= 1) whole periods since the open one: the open period's minimum
/// `min_bank` earns for all of them, the rest of `bank` (deposited during the open period) for
/// all but the first; compounded, the sum capped at `rules.cap`.
fn earned_interest(bank: i64, min_bank: i64, periods: i64, rules: &BankRules) -> i64 {
    let periods = u32::try_from(periods).unwrap_or(u32::MAX);
    let min_bank = min_bank.clamp(0, bank.max(0));
    let whole = interest(Chrons::new(min_bank), rules.rate_bp, rules.cap, periods);
    let later = interest(
        Chrons::new(bank - min_bank),
        rules.rate_bp,
        rules.cap.saturating_sub(whole),
        periods.saturating_sub(1),
    );
    (whole.saturating_add(later)).get()
}

/// Pays the interest due to one player at `now` (idempotent per period; see the module docs).
pub async fn pay_interest(
    storage: &Storage,
    user_id: UserId,
    rules: &BankRules,
    now: DateTime<Utc>,
) -> Result<InterestPaid> {
    transaction!(storage, |tx| pay_interest_in(tx, user_id, rules, now).await)
}

/// One batch of the interest job.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct InterestBatch {
    /// Savers looked at.
    pub users: usize,
    /// Total interest paid.
    pub paid: Chrons,
    /// The last user id of the batch (the cursor for the next call); `None` when done.
    pub next_after: Option<i64>,
}

/// Pays interest to up to `limit` savers with an id above `after` (keyset over
/// `users_bank_idx`), one transaction each. Call again with `next_after` until it is `None`.
pub async fn pay_interest_batch(
    storage: &Storage,
    rules: &BankRules,
    after: i64,
    limit: i64,
    now: DateTime<Utc>,
) -> Result<InterestBatch> {
    let ids: Vec<(i64,)> = conn_run!(storage, |conn| {
        sqlx::query_as("SELECT id FROM users WHERE bank > 0 AND id > $1 ORDER BY id LIMIT $2")
            .bind(after)
            .bind(limit)
            .fetch_all(&mut *conn)
            .await?
    });
    let mut batch = InterestBatch {
        users: ids.len(),
        ..InterestBatch::default()
    };
    for (id,) in &ids {
        let paid = pay_interest(storage, UserId::from_db(*id), rules, now).await?;
        batch.paid = batch.paid.saturating_add(paid.amount);
    }
    batch.next_after = match ids.last() {
        Some((id,)) if i64::try_from(ids.len()).unwrap_or(i64::MAX) >= limit => Some(*id),
        _ => None,
    };
    Ok(batch)
}

/// Pays everything due at `now` to every saver, in batches of `batch` (the scheduler's job).
/// Returns `(savers, total paid)`.
pub async fn pay_all_interest(
    storage: &Storage,
    rules: &BankRules,
    batch: i64,
    now: DateTime<Utc>,
) -> Result<(usize, i64)> {
    let (mut users, mut paid, mut after) = (0usize, 0i64, i64::MIN);
    loop {
        let b = pay_interest_batch(storage, rules, after, batch.max(1), now).await?;
        users += b.users;
        paid = paid.saturating_add(b.paid.get());
        match b.next_after {
            Some(a) => after = a,
            None => return Ok((users, paid)),
        }
    }
}
