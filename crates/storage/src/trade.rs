//! Two-sided trades: each side offers Chrons and/or one item stack or one weapon (item key
//! `weapon:<id>`, quantity 1: it moves with its socketed gems); both confirm (buttons);
//! when the second confirmation arrives the swap runs in the SAME transaction as that
//! confirmation: the trade row is locked, both payments go through the ledger, both item moves
//! through `inventory`, and the status becomes `done`. If a side no longer has what it offered,
//! the whole transaction rolls back (the confirmation is not recorded) and the error says why.
//!
//! A weapon offered must be free to give when it is proposed, confirmed and swapped: its
//! side's, not equipped, not listed on the market, not offered in another open trade
//! ([`crate::weapons::check_offerable`]).

use chronix_core::economy::Chrons;
use chronix_core::ids::{GuildId, UserId};
use chrono::{DateTime, Duration, Utc};

use crate::economy::{self, Memo};
use crate::weapons::WeaponRefusal;
use crate::{Refusal, Result, Storage, StorageError, Tx, inventory, users};

/// What one side gives.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Offer {
    /// Chrons (≥ 0).
    pub chrons: Chrons,
    /// An item stack: `(item_key, quantity > 0)`.
    pub item: Option<(String, i64)>,
}

impl Offer {
    /// Nothing offered.
    pub fn is_empty(&self) -> bool {
        self.chrons == 0 && self.item.is_none()
    }
}

/// A trade.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Trade {
    /// Id.
    pub id: i64,
    /// Who proposed it.
    pub initiator_id: UserId,
    /// The other side.
    pub partner_id: UserId,
    /// What the initiator gives.
    pub initiator_offer: Offer,
    /// What the partner gives.
    pub partner_offer: Offer,
    /// Initiator confirmed.
    pub initiator_confirmed: bool,
    /// Partner confirmed.
    pub partner_confirmed: bool,
    /// `open`, `done`, `cancelled`.
    pub status: String,
    /// When an unconfirmed trade lapses.
    pub expires_at: DateTime<Utc>,
}

type Row = (
    i64,
    i64,
    i64,
    i64,
    Option<String>,
    i64,
    i64,
    Option<String>,
    i64,
    bool,
    bool,
    String,
    DateTime<Utc>,
);

const COLUMNS: &str = "id, initiator_id, partner_id, initiator_chrons, initiator_item_key, \
                       initiator_item_qty, partner_chrons, partner_item_key, partner_item_qty, \
                       initiator_confirmed, partner_confirmed, status, expires_at";

fn offer(chrons: i64, key: Option<String>, qty: i64) -> Offer {
    Offer {
        chrons: Chrons::new(chrons),
        item: key.filter(|_| qty > 0).map(|k| (k, qty)),
    }
}

fn from_row(r: Row) -> Trade {
    Trade {
        id: r.0,
        initiator_id: UserId::from_db(r.1),
        partner_id: UserId::from_db(r.2),
        initiator_offer: offer(r.3, r.4, r.5),
        partner_offer: offer(r.6, r.7, r.8),
        initiator_confirmed: r.9,
        partner_confirmed: r.10,
        status: r.11,
        expires_at: r.12,
    }
}

/// Why a trade action was refused (nothing changed).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TradeRefusal {
    /// No such trade.
    #[error("there is no trade #{0}")]
    NotFound(i64),
    /// Not one of the two sides.
    #[error("this trade is not yours")]
    NotAParty,
    /// Already done or cancelled.
    #[error("this trade is already closed")]
    Closed,
    /// Past its expiry.
    #[error("this trade expired; start a new one")]
    Expired,
}

/// The state after [`confirm`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Confirmed {
    /// The trade afterwards.
    pub trade: Trade,
    /// True when this confirmation completed the swap.
    pub executed: bool,
}

fn check_offer(o: &Offer) -> Result<()> {
    if o.chrons < 0 {
        return Err(StorageError::Refused(Refusal::InvalidAmount(
            o.chrons.get(),
        )));
    }
    if let Some((key, q)) = &o.item {
        // A weapon is one item: its quantity is 1.
        if *q <= 0 || (crate::weapons::weapon_of_key(key).is_some() && *q != 1) {
            return Err(StorageError::Refused(Refusal::InvalidAmount(*q)));
        }
    }
    Ok(())
}

/// A trade to propose.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewTrade {
    /// Who proposes.
    pub initiator_id: UserId,
    /// The other side.
    pub partner_id: UserId,
    /// What the initiator gives.
    pub initiator_offer: Offer,
    /// What the partner gives.
    pub partner_offer: Offer,
    /// Guild where it was proposed.
    pub guild_id: Option<GuildId>,
    /// How long it stays open.
    pub ttl: Duration,
}

/// Proposes a trade (nothing moves yet). Both offers may not be empty together, and a player
/// cannot trade with themself.
pub async fn propose(storage: &Storage, new: &NewTrade, now: DateTime<Utc>) -> Result<Trade> {
    let NewTrade {
        initiator_id,
        partner_id,
        initiator_offer,
        partner_offer,
        guild_id,
        ttl,
    } = new;
    let (initiator_id, partner_id, guild_id, ttl) = (*initiator_id, *partner_id, *guild_id, *ttl);
    if initiator_id == partner_id {
        return Err(StorageError::Refused(Refusal::SelfTransfer));
    }
    check_offer(initiator_offer)?;
    check_offer(partner_offer)?;
    if initiator_offer.is_empty() && partner_offer.is_empty() {
        return Err(StorageError::Refused(Refusal::InvalidAmount(0)));
    }
    let expires_at = now
        .checked_add_signed(ttl)
        .ok_or(StorageError::Refused(Refusal::Overflow))?;
    let sql = format!(
        "INSERT INTO trades (initiator_id, partner_id, initiator_chrons, initiator_item_key, \
             initiator_item_qty, partner_chrons, partner_item_key, partner_item_qty, guild_id, \
             expires_at, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $11) RETURNING {COLUMNS}"
    );
    let split = |o: &Offer| match &o.item {
        Some((k, q)) => (Some(k.clone()), *q),
        None => (None, 0),
    };
    let (ik, iq) = split(initiator_offer);
    let (pk, pq) = split(partner_offer);
    transaction!(storage, |tx| {
        users::ensure(tx, initiator_id).await?;
        users::ensure(tx, partner_id).await?;
        // A weapon offered must be free to give: its side's, not equipped, not listed, not in
        // another open trade of theirs.
        for (owner, o, mine) in [
            (initiator_id, initiator_offer, true),
            (partner_id, partner_offer, false),
        ] {
            if let Some(id) = offered_weapon(o) {
                match crate::weapons::check_offerable(tx, owner, id, None, now).await {
                    Err(StorageError::Refused(Refusal::Weapon(WeaponRefusal::NotYourWeapon(
                        id,
                    )))) if !mine => {
                        return Err(Refusal::Weapon(WeaponRefusal::NotTheirs(id)).into());
                    }
                    other => other?,
                };
            }
        }
        let row: Row = tx_run!(tx, |conn| {
            sqlx::query_as(&sql)
                .bind(initiator_id.to_db())
                .bind(partner_id.to_db())
                .bind(initiator_offer.chrons.get())
                .bind(&ik)
                .bind(iq)
                .bind(partner_offer.chrons.get())
                .bind(&pk)
                .bind(pq)
                .bind(guild_id.map(GuildId::to_db))
                .bind(expires_at)
                .bind(now)
                .fetch_one(&mut *conn)
                .await?
        });
        Ok(from_row(row))
    })
}

/// One trade.
pub async fn get(storage: &Storage, id: i64) -> Result<Option<Trade>> {
    let sql = format!("SELECT {COLUMNS} FROM trades WHERE id = $1");
    let row: Option<Row> = conn_run!(storage, |conn| {
        sqlx::query_as(&sql)
            .bind(id)
            .fetch_optional(&mut *conn)
            .await?
    });
    Ok(row.map(from_row))
}

async fn lock(tx: &mut Tx, id: i64) -> Result<Option<Trade>> {
    let row: Option<Row> = tx_run!(tx, |conn, d| {
        let sql = format!(
            "SELECT {COLUMNS} FROM trades WHERE id = $1{}",
            d.for_update()
        );
        sqlx::query_as(&sql)
            .bind(id)
            .fetch_optional(&mut *conn)
            .await?
    });
    Ok(row.map(from_row))
}

async fn set_status(tx: &mut Tx, t: &Trade, now: DateTime<Utc>) -> Result<()> {
    tx_run!(tx, |conn| {
        sqlx::query(
            "UPDATE trades SET initiator_confirmed = $1, partner_confirmed = $2, status = $3, \
             updated_at = $4 WHERE id = $5",
        )
        .bind(t.initiator_confirmed)
        .bind(t.partner_confirmed)
        .bind(&t.status)
        .bind(now)
        .bind(t.id)
        .execute(&mut *conn)
        .await?;
    });
    Ok(())
}

async fn execute(tx: &mut Tx, t: &Trade, now: DateTime<Utc>) -> Result<()> {
    // Lock both players in ascending id order (deadlock-free), then move everything.
    let (lo, hi) = if t.initiator_id < t.partner_id {
        (t.initiator_id, t.partner_id)
    } else {
        (t.partner_id, t.initiator_id)
    };
    users::lock(tx, lo).await?;
    users::lock(tx, hi).await?;
    let sides = [
        (t.initiator_id, t.partner_id, &t.initiator_offer, "a"),
        (t.partner_id, t.initiator_id, &t.partner_offer, "b"),
    ];
    for (from, to, o, side) in sides {
        if o.chrons > 0 {
            let memo = Memo::new(format!("trade #{}", t.id))
                .kind("trade")
                .key(format!("trade:{}:{side}", t.id))
                .at(now);
            economy::transfer_in(tx, from, to, o.chrons, &memo).await?;
        }
        if let Some((key, qty)) = &o.item {
            // A weapon (`weapon:<id>`) moves with its socketed gems (if it is still free to
            // give: see `give_weapon`); a stack by quantity.
            if let Some(weapon) = crate::weapons::weapon_of_key(key) {
                give_weapon(tx, from, weapon, t.id, now).await?;
                crate::weapons::transfer(tx, from, to, weapon, "trade", now).await?;
            } else {
                inventory::remove(tx, from, key, *qty, now).await?;
                inventory::add(tx, to, key, *qty, now).await?;
                crate::trail::record(
                    tx,
                    &crate::trail::Move::stack(key, *qty, Some(from), Some(to), "trade"),
                    now,
                )
                .await?;
            }
        }
    }
    Ok(())
}

/// The weapon an offer gives, if it is one.
fn offered_weapon(o: &Offer) -> Option<i64> {
    o.item
        .as_ref()
        .and_then(|(key, _)| crate::weapons::weapon_of_key(key))
}

/// Checks that `from` may still give weapon `id` in trade `trade` (see
/// [`crate::weapons::check_offerable`]); a weapon that is no longer theirs is
/// [`Refusal::NotEnoughItems`], like a stack that is gone.
async fn give_weapon(
    tx: &mut Tx,
    from: UserId,
    id: i64,
    trade: i64,
    now: DateTime<Utc>,
) -> Result<()> {
    match crate::weapons::check_offerable(tx, from, id, Some(trade), now).await {
        Err(StorageError::Refused(Refusal::Weapon(
            WeaponRefusal::UnknownWeapon(_) | WeaponRefusal::NotYourWeapon(_),
        ))) => Err(StorageError::Refused(Refusal::NotEnoughItems {
            item: crate::weapons::weapon_key(id),
            needed: 1,
            available: 0,
        })),
        other => other.map(|_| ()),
    }
}

/// Records `user_id`'s confirmation; when both sides have confirmed, executes the swap in the
/// same transaction. Errors from the swap ([`Refusal::InsufficientFunds`],
/// [`Refusal::NotEnoughItems`]) roll everything back, the confirmation included.
pub async fn confirm(
    storage: &Storage,
    id: i64,
    user_id: UserId,
    now: DateTime<Utc>,
) -> Result<Confirmed> {
    transaction!(storage, |tx| {
        let Some(mut t) = lock(tx, id).await? else {
            return Err(Refusal::Trade(TradeRefusal::NotFound(id)).into());
        };
        if user_id != t.initiator_id && user_id != t.partner_id {
            return Err(Refusal::Trade(TradeRefusal::NotAParty).into());
        }
        if t.status != "open" {
            return Err(Refusal::Trade(TradeRefusal::Closed).into());
        }
        if now >= t.expires_at {
            return Err(Refusal::Trade(TradeRefusal::Expired).into());
        }
        let gives = if user_id == t.initiator_id {
            t.initiator_confirmed = true;
            &t.initiator_offer
        } else {
            t.partner_confirmed = true;
            &t.partner_offer
        };
        // Confirming a trade that gives a weapon: it must still be free to give.
        if let Some(weapon) = offered_weapon(gives) {
            give_weapon(tx, user_id, weapon, t.id, now).await?;
        }
        let executed = t.initiator_confirmed && t.partner_confirmed;
        if executed {
            execute(tx, &t, now).await?;
            t.status = "done".into();
        }
        set_status(tx, &t, now).await?;
        Ok(Confirmed { trade: t, executed })
    })
}

/// Cancels an open trade (either side).
pub async fn cancel(
    storage: &Storage,
    id: i64,
    user_id: UserId,
    now: DateTime<Utc>,
) -> Result<Trade> {
    transaction!(storage, |tx| {
        let Some(mut t) = lock(tx, id).await? else {
            return Err(Refusal::Trade(TradeRefusal::NotFound(id)).into());
        };
        if user_id != t.initiator_id && user_id != t.partner_id {
            return Err(Refusal::Trade(TradeRefusal::NotAParty).into());
        }
        if t.status != "open" {
            return Err(Refusal::Trade(TradeRefusal::Closed).into());
        }
        t.status = "cancelled".into();
        set_status(tx, &t, now).await?;
        Ok(t)
    })
}
