//! Typed storage errors. The "user" variants (insufficient funds, cooldown, invalid amount) carry
//! what a caller needs to show a friendly message; everything else is an internal failure.

use chrono::{DateTime, Utc};

/// Result alias for storage functions.
pub type Result<T, E = StorageError> = std::result::Result<T, E>;

/// Everything a storage function can fail with.
#[derive(Debug, thiserror::Error)]
pub enum StorageError {
    /// A debit or transfer needs more chrons than the user has. Nothing was changed.
    #[error("insufficient funds: needed {needed}, available {available}")]
    InsufficientFunds {
        /// Amount the operation needed.
        needed: i64,
        /// Balance the user had.
        available: i64,
    },
    /// An amount was zero or negative (amounts must be > 0). Nothing was changed.
    #[error("invalid amount {0}: amounts must be greater than zero")]
    InvalidAmount(i64),
    /// A balance (or other counter) would overflow `i64`. Nothing was changed.
    #[error("arithmetic overflow: the result would not fit in a 64-bit integer")]
    Overflow,
    /// A player has fewer of an item than the operation needs (see `inventory`). Nothing was
    /// changed.
    #[error("not enough {item}: needed {needed}, available {available}")]
    NotEnoughItems {
        /// Item key (or `gem:<id>`, `crate:<type>`).
        item: String,
        /// Quantity the operation needed.
        needed: i64,
        /// Quantity the player has.
        available: i64,
    },
    /// A transfer from a user to themself.
    #[error("cannot transfer to yourself")]
    SelfTransfer,
    /// The command is on cooldown until `expires_at`.
    #[error("on cooldown for another {remaining:?} (until {expires_at})")]
    OnCooldown {
        /// When the cooldown ends.
        expires_at: DateTime<Utc>,
        /// Time left at the `now` the caller passed.
        remaining: std::time::Duration,
    },
    /// A row that must exist does not.
    #[error("not found: {0}")]
    NotFound(String),
    /// The operation conflicts with existing state (idempotency key reused with different
    /// parameters, job lease lost, duplicate name…).
    #[error("conflict: {0}")]
    Conflict(String),
    /// Bad configuration (unsupported URL…).
    #[error("configuration error: {0}")]
    Config(String),
    /// Stored data could not be decoded (corrupt JSON…).
    #[error("corrupt data: {0}")]
    Corrupt(String),
    /// A database error. `transparent`: the driver's message is shown once, not repeated by
    /// `{:#}` error chains.
    #[error(transparent)]
    Database(#[from] sqlx::Error),
    /// A migration error.
    #[error(transparent)]
    Migrate(#[from] sqlx::migrate::MigrateError),
}

impl StorageError {
    /// True for errors meant to be shown to the user (not enough chrons, cooldown, bad amount…)
    /// rather than logged as internal failures.
    pub fn is_user_error(&self) -> bool {
        matches!(
            self,
            StorageError::InsufficientFunds { .. }
                | StorageError::NotEnoughItems { .. }
                | StorageError::InvalidAmount(_)
                | StorageError::Overflow
                | StorageError::SelfTransfer
                | StorageError::OnCooldown { .. }
        )
    }

    /// True when the error is a unique-constraint violation.
    pub fn is_unique_violation(&self) -> bool {
        match self {
            StorageError::Database(sqlx::Error::Database(e)) => e.is_unique_violation(),
            _ => false,
        }
    }

    /// True for transient errors worth retrying the whole transaction for (Postgres
    /// serialization failure or deadlock, SQLite busy/locked).
    pub fn is_retryable(&self) -> bool {
        match self {
            StorageError::Database(sqlx::Error::Database(e)) => {
                if let Some(pg) = e.try_downcast_ref::<sqlx::postgres::PgDatabaseError>() {
                    matches!(pg.code(), "40001" | "40P01")
                } else if e.try_downcast_ref::<sqlx::sqlite::SqliteError>().is_some() {
                    // SQLITE_BUSY (5) and SQLITE_LOCKED (6), including extended codes.
                    e.code()
                        .and_then(|c| c.parse::<u32>().ok())
                        .is_some_and(|n| matches!(n & 0xff, 5 | 6))
                } else {
                    false
                }
            }
            StorageError::Database(sqlx::Error::PoolTimedOut) => true,
            _ => false,
        }
    }
}
