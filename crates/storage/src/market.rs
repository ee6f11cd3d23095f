//! The player marketplace. Listing an item moves it out of the seller's inventory into escrow
//! (the listing row); buying is ONE transaction that closes the listing with a conditional
//! `UPDATE … WHERE status = 'open' RETURNING …` (so of N racing buyers exactly one gets the
//! row), pays the seller through the ledger and gives the buyer the items. Cancelling gives the
//! items back. A listing leaves `open` exactly once.
//!
//! A weapon is listed as `weapon:<id>` (quantity 1; not equipped, not in an open trade): it
//! stays its seller's row, in escrow (every weapon action on it is refused while the listing is
//! open), and a purchase moves it with its socketed gems. Listing and cancelling write item-trail
//! rows from the seller to the seller (`market_list`, `market_cancel`: into and out of escrow),
//! a purchase one from the seller to the buyer (`market`).

use chronix_core::economy::Chrons;
use chronix_core::ids::{GuildId, UserId};
use chrono::{DateTime, Utc};

use crate::economy::{self, Memo, Transferred};
use crate::trail::{self, ItemKind, Move};
use crate::{Refusal, Result, Storage, StorageError, inventory, users, weapons};

/// A row of `market_listings`.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct Listing {
    /// Listing id (shown to players as `#id`).
    pub id: i64,
    /// Seller.
    #[sqlx(try_from = "i64")]
    pub seller_id: UserId,
    /// Item key.
    pub item_key: String,
    /// How many.
    pub quantity: i64,
    /// Total price in Chrons.
    #[sqlx(try_from = "i64")]
    pub price: Chrons,
    /// `open`, `sold` or `cancelled`.
    pub status: String,
    /// Buyer, once sold.
    pub(crate) buyer_id: Option<i64>,
    /// When listed.
    pub created_at: DateTime<Utc>,
}

impl Listing {
    /// Who bought it, once sold.
    pub fn buyer(&self) -> Option<UserId> {
        self.buyer_id.map(UserId::from_db)
    }
}

const COLUMNS: &str = "id, seller_id, item_key, quantity, price, status, buyer_id, created_at";

/// Why a marketplace operation was refused (nothing changed).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MarketRefusal {
    /// No listing with that id.
    #[error("there is no listing #{0}")]
    NotFound(i64),
    /// Already sold or cancelled.
    #[error("listing #{0} is no longer for sale")]
    Closed(i64),
    /// Buying your own listing.
    #[error("you can't buy your own listing; cancel it instead")]
    OwnListing,
    /// Cancelling someone else's listing.
    #[error("listing #{0} is not yours")]
    NotYours(i64),
}

/// A completed purchase.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sold {
    /// The listing (now `sold`).
    pub listing: Listing,
    /// The Chrons transfer buyer → seller.
    pub payment: Transferred,
}

/// Lists `quantity` of `item_key` for `price` Chrons (both > 0). The items leave the seller's
/// inventory now ([`Refusal::NotEnoughItems`] if short).
pub async fn list(
    storage: &Storage,
    seller_id: UserId,
    item_key: &str,
    quantity: i64,
    price: Chrons,
    now: DateTime<Utc>,
) -> Result<Listing> {
    if quantity <= 0 {
        return Err(StorageError::Refused(Refusal::InvalidAmount(quantity)));
    }
    if price <= 0 {
        return Err(StorageError::Refused(Refusal::InvalidAmount(price.get())));
    }
    let sql = format!(
        "INSERT INTO market_listings (seller_id, item_key, quantity, price, status, created_at, \
         updated_at) VALUES ($1, $2, $3, $4, 'open', $5, $5) RETURNING {COLUMNS}"
    );
    let weapon = weapons::weapon_of_key(item_key);
    if weapon.is_some() && quantity != 1 {
        return Err(StorageError::Refused(Refusal::InvalidAmount(quantity)));
    }
    transaction!(storage, |tx| {
        let moved = match weapon {
            // A weapon stays the seller's, in escrow: every action on it is refused while the
            // listing is open (see `weapons::check_offerable`).
            Some(id) => {
                users::lock(tx, seller_id).await?;
                let w = weapons::check_offerable(tx, seller_id, id, None, now).await?;
                Move::row(
                    ItemKind::Weapon,
                    id,
                    &w.state.weapon_type,
                    Some(seller_id),
                    Some(seller_id),
                    "market_list",
                )
            }
            None => {
                inventory::remove(tx, seller_id, item_key, quantity, now).await?;
                Move::stack(
                    item_key,
                    quantity,
                    Some(seller_id),
                    Some(seller_id),
                    "market_list",
                )
            }
        };
        let listing = tx_run!(tx, |conn| {
            sqlx::query_as::<_, Listing>(&sql)
                .bind(seller_id.to_db())
                .bind(item_key)
                .bind(quantity)
                .bind(price.get())
                .bind(now)
                .fetch_one(&mut *conn)
                .await?
        });
        trail::record(tx, &moved, now).await?;
        Ok(listing)
    })
}

/// One listing.
pub async fn get(storage: &Storage, id: i64) -> Result<Option<Listing>> {
    let sql = format!("SELECT {COLUMNS} FROM market_listings WHERE id = $1");
    conn_run!(storage, |conn| {
        Ok(sqlx::query_as::<_, Listing>(&sql)
            .bind(id)
            .fetch_optional(&mut *conn)
            .await?)
    })
}

async fn refusal(tx: &mut crate::Tx, id: i64, user_id: i64, buying: bool) -> Result<MarketRefusal> {
    let row: Option<(i64, String)> = tx_run!(tx, |conn| {
        sqlx::query_as("SELECT seller_id, status FROM market_listings WHERE id = $1")
            .bind(id)
            .fetch_optional(&mut *conn)
            .await?
    });
    Ok(match row {
        None => MarketRefusal::NotFound(id),
        Some((_, status)) if status != "open" => MarketRefusal::Closed(id),
        Some((seller, _)) if buying && seller == user_id => MarketRefusal::OwnListing,
        Some(_) => MarketRefusal::NotYours(id),
    })
}

/// Buys listing `id`: closes it (only if still open and not the buyer's own), pays the seller
/// and gives the items to the buyer, all in one transaction. Refused ([`Refusal::Market`], or
/// [`Refusal::InsufficientFunds`] when the buyer is short): nothing changed (still open).
pub async fn buy(
    storage: &Storage,
    buyer_id: UserId,
    id: i64,
    guild_id: Option<GuildId>,
    now: DateTime<Utc>,
) -> Result<Sold> {
    let sql = format!(
        "UPDATE market_listings SET status = 'sold', buyer_id = $1, closed_at = $2, \
         updated_at = $2 WHERE id = $3 AND status = 'open' AND seller_id <> $1 \
         RETURNING {COLUMNS}"
    );
    transaction!(storage, |tx| {
        users::ensure(tx, buyer_id).await?;
        let listing: Option<Listing> = tx_run!(tx, |conn| {
            sqlx::query_as::<_, Listing>(&sql)
                .bind(buyer_id.to_db())
                .bind(now)
                .bind(id)
                .fetch_optional(&mut *conn)
                .await?
        });
        let Some(listing) = listing else {
            return Err(Refusal::Market(refusal(tx, id, buyer_id.to_db(), true).await?).into());
        };
        let mut memo = Memo::new(format!(
            "market #{id}: {} × {}",
            listing.quantity, listing.item_key
        ))
        .kind("market")
        .key(format!("market:{id}"))
        .at(now);
        memo.guild_id = guild_id;
        let payment =
            economy::transfer_in(tx, buyer_id, listing.seller_id, listing.price, &memo).await?;
        match weapons::weapon_of_key(&listing.item_key) {
            // The weapon (with its gems) leaves escrow for the buyer; trail rows included.
            Some(w) => weapons::transfer(tx, listing.seller_id, buyer_id, w, "market", now).await?,
            None => {
                inventory::add(tx, buyer_id, &listing.item_key, listing.quantity, now).await?;
                let moved = Move::stack(
                    &listing.item_key,
                    listing.quantity,
                    Some(listing.seller_id),
                    Some(buyer_id),
                    "market",
                );
                trail::record(tx, &moved, now).await?;
            }
        }
        Ok(Sold { listing, payment })
    })
}

/// Cancels the seller's own open listing and gives the items back.
pub async fn cancel(
    storage: &Storage,
    seller_id: UserId,
    id: i64,
    now: DateTime<Utc>,
) -> Result<Listing> {
    let sql = format!(
        "UPDATE market_listings SET status = 'cancelled', closed_at = $1, updated_at = $1 \
         WHERE id = $2 AND status = 'open' AND seller_id = $3 RETURNING {COLUMNS}"
    );
    transaction!(storage, |tx| {
        let listing: Option<Listing> = tx_run!(tx, |conn| {
            sqlx::query_as::<_, Listing>(&sql)
                .bind(now)
                .bind(id)
                .bind(seller_id.to_db())
                .fetch_optional(&mut *conn)
                .await?
        });
        let Some(listing) = listing else {
            return Err(Refusal::Market(refusal(tx, id, seller_id.to_db(), false).await?).into());
        };
        let moved = match weapons::weapon_of_key(&listing.item_key) {
            // A weapon never left its seller: the escrow ends.
            Some(w) => {
                let kind = weapons::type_in(tx, w).await?;
                Move::row(
                    ItemKind::Weapon,
                    w,
                    kind.as_deref().unwrap_or("weapon"),
                    Some(seller_id),
                    Some(seller_id),
                    "market_cancel",
                )
            }
            None => {
                inventory::add(tx, seller_id, &listing.item_key, listing.quantity, now).await?;
                Move::stack(
                    &listing.item_key,
                    listing.quantity,
                    Some(seller_id),
                    Some(seller_id),
                    "market_cancel",
                )
            }
        };
        trail::record(tx, &moved, now).await?;
        Ok(listing)
    })
}

/// Open listings, newest first, `limit` with an id below `before` (keyset pages), optionally of
/// one item.
pub async fn open_listings(
    storage: &Storage,
    item_key: Option<&str>,
    before: Option<i64>,
    limit: i64,
) -> Result<Vec<Listing>> {
    let sql = format!(
        "SELECT {COLUMNS} FROM market_listings WHERE status = 'open' AND id < $1 \
         AND ($2 IS NULL OR item_key = $2) ORDER BY id DESC LIMIT $3"
    );
    conn_run!(storage, |conn| {
        Ok(sqlx::query_as::<_, Listing>(&sql)
            .bind(before.unwrap_or(i64::MAX))
            .bind(item_key)
            .bind(limit.max(0))
            .fetch_all(&mut *conn)
            .await?)
    })
}
