//! Pending payments: a `pay` above the confirmation threshold is stored here (`pending_payments`)
//! and its Confirm / Cancel buttons carry only the row's id. [`confirm`] locks the row, checks
//! that the clicker is the payer, that it is still open and not past its expiry, moves the
//! Chrons through the ledger and marks the row done, all in ONE transaction: two fast clicks pay
//! once, and a click after a restart still pays. [`expire_due`] marks lapsed rows expired so the
//! bot can strip their buttons.

use chronix_core::economy::Chrons;
use chronix_core::ids::{ChannelId, GuildId, MessageId, UserId};
use chrono::{DateTime, Utc};

use crate::economy::{self, Memo, Transferred};
use crate::{Refusal, Result, Storage, StorageError, Tx, users};

/// A pending payment's id (the `pending_payments.id` row id; what its buttons carry).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct PaymentId(i64);

impl PaymentId {
    /// From its button or job form (see [`PaymentId::get`]).
    pub const fn new(id: i64) -> Self {
        Self(id)
    }
    /// Its value.
    pub const fn get(self) -> i64 {
        self.0
    }
}

impl std::fmt::Display for PaymentId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

/// Where a pending payment is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PaymentStatus {
    /// Waiting for the payer.
    Open,
    /// Paid.
    Done,
    /// Cancelled by the payer.
    Cancelled,
    /// Nobody confirmed before its expiry.
    Expired,
}

impl PaymentStatus {
    /// The stored text.
    pub const fn as_str(self) -> &'static str {
        match self {
            PaymentStatus::Open => "open",
            PaymentStatus::Done => "done",
            PaymentStatus::Cancelled => "cancelled",
            PaymentStatus::Expired => "expired",
        }
    }
    fn parse(s: &str) -> Self {
        match s {
            "open" => PaymentStatus::Open,
            "done" => PaymentStatus::Done,
            "cancelled" => PaymentStatus::Cancelled,
            // The CHECK constraint allows nothing else.
            _ => PaymentStatus::Expired,
        }
    }
}

/// A stored pending payment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PendingPayment {
    /// Id.
    pub id: PaymentId,
    /// Who pays (the only one who may confirm or cancel).
    pub payer: UserId,
    /// Who gets the Chrons.
    pub payee: UserId,
    /// How much (> 0).
    pub amount: Chrons,
    /// Where it was asked (none in DMs).
    pub guild: Option<GuildId>,
    /// The channel of its message.
    pub channel: Option<ChannelId>,
    /// Its message (set once sent).
    pub message: Option<MessageId>,
    /// The ledger reason.
    pub memo: String,
    /// Open, done, cancelled or expired.
    pub status: PaymentStatus,
    /// When it lapses.
    pub expires_at: DateTime<Utc>,
    /// When it was asked.
    pub created_at: DateTime<Utc>,
}

impl PendingPayment {
    /// The ledger idempotency key of its transfer.
    pub fn key(&self) -> String {
        format!("pay:confirm:{}", self.id)
    }
}

/// A payment to store (nothing moves yet).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewPayment {
    /// Who pays.
    pub payer: UserId,
    /// Who gets the Chrons.
    pub payee: UserId,
    /// How much (> 0).
    pub amount: Chrons,
    /// Where it was asked.
    pub guild: Option<GuildId>,
    /// The channel of its message.
    pub channel: Option<ChannelId>,
    /// The ledger reason.
    pub memo: String,
    /// When it lapses.
    pub expires_at: DateTime<Utc>,
}

/// Why a pending payment action was refused (nothing changed).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PaymentRefusal {
    /// No such pending payment.
    #[error("there is no pending payment #{0}")]
    NotFound(PaymentId),
    /// Only the payer may answer.
    #[error("only {payer} can answer this payment")]
    NotPayer {
        /// The payer.
        payer: UserId,
    },
    /// Already paid, cancelled or expired.
    #[error("this payment is already {}", .0.as_str())]
    Closed(PaymentStatus),
    /// Past its expiry.
    #[error("this payment expired")]
    Expired,
}

type Row = (
    i64,
    i64,
    i64,
    i64,
    Option<i64>,
    Option<i64>,
    Option<i64>,
    String,
    String,
    DateTime<Utc>,
    DateTime<Utc>,
);

const COLUMNS: &str = "id, payer_id, payee_id, amount, guild_id, channel_id, message_id, memo, \
                       status, expires_at, created_at";

fn from_row(r: Row) -> PendingPayment {
    PendingPayment {
        id: PaymentId(r.0),
        payer: UserId::from_db(r.1),
        payee: UserId::from_db(r.2),
        amount: Chrons::new(r.3),
        guild: r.4.map(GuildId::from_db),
        channel: r.5.map(ChannelId::from_db),
        message: r.6.map(MessageId::from_db),
        memo: r.7,
        status: PaymentStatus::parse(&r.8),
        expires_at: r.9,
        created_at: r.10,
    }
}

/// Stores a pending payment (status open, no message yet). A payment to oneself or of a
/// non-positive amount is refused.
pub async fn create(
    storage: &Storage,
    new: &NewPayment,
    now: DateTime<Utc>,
) -> Result<PendingPayment> {
    if new.payer == new.payee {
        return Err(StorageError::Refused(Refusal::SelfTransfer));
    }
    if new.amount <= 0 {
        return Err(StorageError::Refused(Refusal::InvalidAmount(
            new.amount.get(),
        )));
    }
    let sql = format!(
        "INSERT INTO pending_payments (payer_id, payee_id, amount, guild_id, channel_id, memo, \
             status, expires_at, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, 'open', $7, $8, $8) RETURNING {COLUMNS}"
    );
    transaction!(storage, |tx| {
        users::ensure(tx, new.payer).await?;
        users::ensure(tx, new.payee).await?;
        let row: Row = tx_run!(tx, |conn| {
            sqlx::query_as(&sql)
                .bind(new.payer.to_db())
                .bind(new.payee.to_db())
                .bind(new.amount.get())
                .bind(new.guild.map(GuildId::to_db))
                .bind(new.channel.map(ChannelId::to_db))
                .bind(&new.memo)
                .bind(new.expires_at)
                .bind(now)
                .fetch_one(&mut *conn)
                .await?
        });
        Ok(from_row(row))
    })
}

/// Records where the payment's message is (after sending it).
pub async fn set_message(
    storage: &Storage,
    id: PaymentId,
    channel: ChannelId,
    message: MessageId,
) -> Result<()> {
    conn_run!(storage, |conn| {
        sqlx::query("UPDATE pending_payments SET channel_id = $1, message_id = $2 WHERE id = $3")
            .bind(channel.to_db())
            .bind(message.to_db())
            .bind(id.0)
            .execute(&mut *conn)
            .await?;
    });
    Ok(())
}

/// A pending payment by id.
pub async fn get(storage: &Storage, id: PaymentId) -> Result<Option<PendingPayment>> {
    let sql = format!("SELECT {COLUMNS} FROM pending_payments WHERE id = $1");
    let row: Option<Row> = conn_run!(storage, |conn| {
        sqlx::query_as(&sql)
            .bind(id.0)
            .fetch_optional(&mut *conn)
            .await?
    });
    Ok(row.map(from_row))
}

/// Locks the row and checks that `user` may answer it now (payer, open, not expired).
async fn lock_open(
    tx: &mut Tx,
    id: PaymentId,
    user: UserId,
    now: DateTime<Utc>,
) -> Result<PendingPayment> {
    let row: Option<Row> = tx_run!(tx, |conn, d| {
        let sql = format!(
            "SELECT {COLUMNS} FROM pending_payments WHERE id = $1{}",
            d.for_update()
        );
        sqlx::query_as(&sql)
            .bind(id.0)
            .fetch_optional(&mut *conn)
            .await?
    });
    let Some(p) = row.map(from_row) else {
        return Err(Refusal::Payment(PaymentRefusal::NotFound(id)).into());
    };
    if user != p.payer {
        return Err(Refusal::Payment(PaymentRefusal::NotPayer { payer: p.payer }).into());
    }
    if p.status != PaymentStatus::Open {
        return Err(Refusal::Payment(PaymentRefusal::Closed(p.status)).into());
    }
    if now >= p.expires_at {
        return Err(Refusal::Payment(PaymentRefusal::Expired).into());
    }
    Ok(p)
}

async fn set_status(
    tx: &mut Tx,
    id: PaymentId,
    status: PaymentStatus,
    now: DateTime<Utc>,
) -> Result<()> {
    tx_run!(tx, |conn| {
        sqlx::query("UPDATE pending_payments SET status = $1, updated_at = $2 WHERE id = $3")
            .bind(status.as_str())
            .bind(now)
            .bind(id.0)
            .execute(&mut *conn)
            .await?;
    });
    Ok(())
}

/// The payer confirms: in one transaction the row is locked and checked, the Chrons move through
/// the ledger (key [`PendingPayment::key`]) and the row becomes done. A refusal of the transfer
/// ([`Refusal::InsufficientFunds`]) rolls everything back and leaves the row open.
pub async fn confirm(
    storage: &Storage,
    id: PaymentId,
    user: UserId,
    now: DateTime<Utc>,
) -> Result<(PendingPayment, Transferred)> {
    transaction!(storage, |tx| {
        let mut p = lock_open(tx, id, user, now).await?;
        let mut memo = Memo::new(p.memo.clone())
            .kind("transfer")
            .key(p.key())
            .at(now);
        memo.guild_id = p.guild;
        let t = economy::transfer_in(tx, p.payer, p.payee, p.amount, &memo).await?;
        set_status(tx, p.id, PaymentStatus::Done, now).await?;
        p.status = PaymentStatus::Done;
        Ok((p, t))
    })
}

/// The payer cancels an open payment (nothing moves).
pub async fn cancel(
    storage: &Storage,
    id: PaymentId,
    user: UserId,
    now: DateTime<Utc>,
) -> Result<PendingPayment> {
    transaction!(storage, |tx| {
        let mut p = lock_open(tx, id, user, now).await?;
        set_status(tx, p.id, PaymentStatus::Cancelled, now).await?;
        p.status = PaymentStatus::Cancelled;
        Ok(p)
    })
}

/// Marks up to `limit` open payments whose expiry is at or before `now` as expired (oldest
/// expiry first) and returns them, so the caller can strip their messages. Each one is returned
/// by exactly one caller.
pub async fn expire_due(
    storage: &Storage,
    now: DateTime<Utc>,
    limit: i64,
) -> Result<Vec<PendingPayment>> {
    if limit <= 0 {
        return Ok(Vec::new());
    }
    let mut tx = storage.begin().await?;
    let rows: Vec<Row> = tx_run!(&mut tx, |conn, d| {
        let sql = format!(
            "UPDATE pending_payments SET status = 'expired', updated_at = $1 \
             WHERE id IN (SELECT id FROM pending_payments WHERE status = 'open' \
                 AND expires_at <= $1 ORDER BY expires_at, id LIMIT $2{}) \
             RETURNING {COLUMNS}",
            d.for_update_skip_locked()
        );
        sqlx::query_as(&sql)
            .bind(now)
            .bind(limit)
            .fetch_all(&mut *conn)
            .await?
    });
    tx.commit().await?;
    let mut out: Vec<PendingPayment> = rows.into_iter().map(from_row).collect();
    out.sort_by(|a, b| a.expires_at.cmp(&b.expires_at).then(a.id.cmp(&b.id)));
    Ok(out)
}
