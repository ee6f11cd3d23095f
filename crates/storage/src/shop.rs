//! The shop: buying and selling items at the prices of `assets/tables/items.yaml` (quoted by
//! `chronix_core::items::{quote_buy, quote_sell}`). Chrons and items change in ONE transaction.

use chronix_core::economy::Chrons;
use chronix_core::ids::{GuildId, UserId};
use chrono::{DateTime, Utc};

use crate::economy::{self, Applied, Memo};
use crate::{Refusal, Result, Storage, StorageError, inventory};

/// A completed shop operation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Deal {
    /// The ledger row (debit for a purchase, credit for a sale).
    pub applied: Applied,
    /// How many of the item the player owns afterwards.
    pub owned: i64,
}

/// Buys `quantity` of `item_key` for `total` Chrons: debit and grant together.
/// [`Refusal::InsufficientFunds`] when the wallet is short; nothing changes on error.
pub async fn buy(
    storage: &Storage,
    user_id: UserId,
    item_key: &str,
    quantity: i64,
    total: i64,
    guild_id: Option<GuildId>,
    now: DateTime<Utc>,
) -> Result<Deal> {
    if quantity <= 0 {
        return Err(StorageError::Refused(Refusal::InvalidAmount(quantity)));
    }
    if total <= 0 {
        return Err(StorageError::Refused(Refusal::InvalidAmount(total)));
    }
    transaction!(storage, |tx| {
        let mut memo = Memo::new(format!("bought {quantity} × {item_key}"))
            .kind("shop_buy")
            .at(now);
        memo.guild_id = guild_id;
        let applied = economy::apply(tx, user_id, Chrons::new(-total), &memo).await?;
        let owned = inventory::add(tx, user_id, item_key, quantity, now).await?;
        let bought = crate::trail::Move::stack(item_key, quantity, None, Some(user_id), "shop");
        crate::trail::record(tx, &bought, now).await?;
        Ok(Deal { applied, owned })
    })
}

/// Sells `quantity` of `item_key` to the shop for `total` Chrons: remove and credit together.
/// [`Refusal::NotEnoughItems`] when the player has fewer; nothing changes on error.
pub async fn sell(
    storage: &Storage,
    user_id: UserId,
    item_key: &str,
    quantity: i64,
    total: i64,
    guild_id: Option<GuildId>,
    now: DateTime<Utc>,
) -> Result<Deal> {
    if quantity <= 0 {
        return Err(StorageError::Refused(Refusal::InvalidAmount(quantity)));
    }
    if total <= 0 {
        return Err(StorageError::Refused(Refusal::InvalidAmount(total)));
    }
    transaction!(storage, |tx| {
        let owned = inventory::remove(tx, user_id, item_key, quantity, now).await?;
        let sold = crate::trail::Move::stack(item_key, quantity, Some(user_id), None, "shop");
        crate::trail::record(tx, &sold, now).await?;
        let mut memo = Memo::new(format!("sold {quantity} × {item_key}"))
            .kind("shop_sell")
            .at(now);
        memo.guild_id = guild_id;
        let applied = economy::apply(tx, user_id, Chrons::new(total), &memo).await?;
        Ok(Deal { applied, owned })
    })
}
