//! Typed storage errors. [`StorageError::Refused`] carries a typed [`Refusal`] (insufficient
//! funds, cooldown, invalid amount…) with what a caller needs to show a friendly message;
//! everything else is an internal failure.

use chronix_core::economy::Chrons;
use chronix_core::ids::UserId;
use chrono::{DateTime, Utc};

/// Result alias for storage functions.
pub type Result<T, E = StorageError> = std::result::Result<T, E>;

/// Why an operation was refused: the user's to fix, shown to them by the feature that called.
/// Nothing was changed. Carried by [`StorageError::Refused`]; features map it to their own typed
/// refusal (never by matching text).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Refusal {
    /// A debit or transfer needs more chrons than the user has.
    #[error("insufficient funds: needed {needed}, available {available}")]
    InsufficientFunds {
        /// Amount the operation needed.
        needed: Chrons,
        /// Balance the user had.
        available: Chrons,
    },
    /// An amount or quantity was zero or negative (they must be > 0).
    #[error("invalid amount {0}: amounts must be greater than zero")]
    InvalidAmount(i64),
    /// A balance (or other counter) would overflow `i64`.
    #[error("arithmetic overflow: the result would not fit in a 64-bit integer")]
    Overflow,
    /// A player has fewer of an item than the operation needs (see `inventory`).
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
    /// A trade action was refused (see [`crate::trade`]).
    #[error(transparent)]
    Trade(#[from] crate::trade::TradeRefusal),
    /// A pending payment action was refused (see [`crate::payments`]).
    #[error(transparent)]
    Payment(#[from] crate::payments::PaymentRefusal),
    /// A market action was refused (see [`crate::market`]).
    #[error(transparent)]
    Market(#[from] crate::market::MarketRefusal),
    /// A ticket action was refused (see [`crate::tickets`]).
    #[error(transparent)]
    Ticket(#[from] crate::tickets::TicketRefusal),
    /// An autohunt rule refused (not enough essence, max level…).
    #[error(transparent)]
    Autohunt(#[from] chronix_core::autohunt::AutohuntError),
    /// A gem forge rule refused (mixed gems, top tier, not enough Chrons…).
    #[error(transparent)]
    Forge(#[from] chronix_core::items::ForgeError),
    /// A moderation action was refused (no such case, not a warning; see [`crate::moderation`]).
    #[error(transparent)]
    Moderation(#[from] crate::moderation::ModerationRefusal),
    /// An owner tool refused (see [`crate::owner`]).
    #[error(transparent)]
    Owner(#[from] crate::owner::OwnerRefusal),
    /// A levels action was refused (invalid settings; see [`crate::levels`]).
    #[error(transparent)]
    Levels(#[from] crate::levels::LevelsRefusal),
    /// A welcomer action was refused (invalid settings; see [`crate::welcome`]).
    #[error(transparent)]
    Welcome(#[from] crate::welcome::WelcomeRefusal),
    /// An invites action was refused (invalid settings; see [`crate::invites`]).
    #[error(transparent)]
    Invites(#[from] crate::invites::InvitesRefusal),
    /// A mass action was refused (rate limit, nothing selected; see
    /// [`crate::moderation::mass`]).
    #[error(transparent)]
    Mass(#[from] crate::moderation::mass::MassRefusal),
    /// A weapon or gem-socket action was refused (see [`crate::weapons`]).
    #[error(transparent)]
    Weapon(#[from] crate::weapons::WeaponRefusal),
    /// A temporary voice action was refused (see [`crate::tempvoice`]).
    #[error(transparent)]
    TempVoice(#[from] crate::tempvoice::TempVoiceRefusal),
    /// An announcement action was refused (see [`crate::announcements`]).
    #[error(transparent)]
    Announce(#[from] crate::announcements::AnnounceRefusal),
    /// A reaction-role action was refused (see [`crate::reactionroles`]).
    #[error(transparent)]
    ReactionRoles(#[from] crate::reactionroles::ReactionRoleRefusal),
    /// A tag action was refused (see [`crate::tags`]).
    #[error(transparent)]
    Tags(#[from] crate::tags::TagRefusal),
    /// A pet action was refused (unknown pet, not yours, team full, tired…; see
    /// [`crate::pets`]).
    #[error(transparent)]
    Pet(#[from] crate::pets::PetRefusal),
    /// A giveaway action was refused (see [`crate::giveaways`]).
    #[error(transparent)]
    Giveaway(#[from] crate::giveaways::GiveawayRefusal),
    /// A server event action was refused (see [`crate::eventboard`]).
    #[error(transparent)]
    Event(#[from] crate::eventboard::EventRefusal),
    /// A battle action was refused (busy, not your turn, over…; see [`crate::battles`]).
    #[error(transparent)]
    Battle(#[from] crate::battles::BattleRefusal),
    /// A clan action was refused (see [`crate::clans`]).
    #[error(transparent)]
    Clan(#[from] crate::clans::ClanRefusal),
    /// A team action was refused (see [`crate::teams`]).
    #[error(transparent)]
    Team(#[from] crate::teams::TeamRefusal),
}

/// A row that must exist and does not: a failure (an id the caller vouched for), typed so callers
/// can react to one kind without reading text.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Missing {
    /// An item key absent from `item_definitions` (tables never synced into this database).
    #[error("item definition {0:?}")]
    ItemDefinition(String),
    /// The autohunt session of a user.
    #[error("autohunt session of {0}")]
    AutohuntSession(UserId),
    /// The hunt stats row of a user.
    #[error("hunt stats of {0}")]
    HuntStats(UserId),
    /// A user row that was just locked.
    #[error("user {0} after locking")]
    LockedUser(UserId),
    /// A dead job (by id).
    #[error("dead job {0}")]
    DeadJob(i64),
}

/// Everything a storage function can fail with.
#[derive(Debug, thiserror::Error)]
pub enum StorageError {
    /// The operation was refused (the user's to fix); nothing was changed.
    #[error(transparent)]
    Refused(#[from] Refusal),
    /// A row that must exist does not.
    #[error("not found: {0}")]
    NotFound(Missing),
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
        matches!(self, StorageError::Refused(_))
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
