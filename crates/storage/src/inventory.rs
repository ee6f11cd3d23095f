//! What players own: item **stacks** (`user_items` keyed by `item_key` → `item_definitions`:
//! creatures, shop items, unopened crates) and **gems** (one `gems` row each, they carry a power
//! and can be socketed).
//!
//! Unopened crates are ONE inventory whatever their source (hunt, shop, event, reward): a stack
//! under the key `<crate id>_crate` ([`chronix_core::items::crate_key`]), so the shop, the
//! market and trades move them like any stack and opening one is a row-locked
//! [`remove`]. (The old `crates` table, one row per hunted crate, was folded into these stacks
//! by migration `20261202000100`.)
//!
//! * [`sync_definitions`] writes `item_definitions` from the validated [`Tables`] at start-up
//!   (creatures with `item_type = "creature"`, shop items with their kind, and every crate kind
//!   without a shop item as `item_type = "crate"`), so every stack's `item_key` references a
//!   known item.
//! * Grants and removals are **in-transaction** functions (`&mut Tx`), so a feature moves coins
//!   and items in ONE transaction: [`add`], [`remove`] (row-locked, refuses to go below zero
//!   with [`Refusal::NotEnoughItems`]), [`grant_loot`], [`add_gem`] / [`take_gem`],
//!   [`add_crate`] / [`take_crate`]. [`grant_loot_batch`] grants the loot of many players with a
//!   few set-based statements (the autohunt scheduler).
//! * Reads: [`list`] (a player's whole inventory), [`quantity`].
//!
//! ```ignore
//! // Selling 3 creatures: items and coins change together.
//! let mut tx = storage.begin().await?;
//! inventory::remove(&mut tx, user, "dust_bunny", 3, now).await?; // NotEnoughItems → nothing changes
//! economy::apply(&mut tx, user, 15, &Memo::new("sold 3 Dust Bunny").kind("shop")).await?;
//! tx.commit().await?;
//! ```
//!
//! Architecture invariant: a stack's quantity is always > 0 (a stack that reaches 0 is deleted),
//! and every change of a stack locks its row first (`FOR UPDATE` on Postgres; SQLite write
//! transactions hold the database lock).

use chronix_core::ids::UserId;
use std::collections::BTreeMap;

use chronix_core::items::{GemDrop, Loot, crate_key, crate_of_key};
use chronix_core::tables::Tables;
use chrono::{DateTime, Utc};

use crate::{Missing, Refusal, Result, Storage, StorageError, Tx, users};

/// `item_type` of creature stacks (and of their `item_definitions`).
pub const CREATURE: &str = "creature";

/// `item_type` of crate stacks (shop items of kind crate and the other crate kinds).
pub const CRATE: &str = "crate";

/// A row of `item_definitions`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ItemDefinition {
    /// Stable key (creature id or shop item id).
    pub id: String,
    /// `"creature"` or the shop item kind (`consumable`, `crate`, `food`, `material`,
    /// `collectible`).
    pub item_type: String,
    /// Display name.
    pub name: String,
    /// Tier (`"common"` …) or `""` for items without one.
    pub rarity: String,
    /// Extra data (emoji, element…), JSON.
    pub data: serde_json::Value,
}

/// The definitions for every creature and shop item of `tables`. Two definitions with the same
/// id (a creature and a shop item sharing an id) are a [`StorageError::Conflict`].
pub fn definitions_from_tables(tables: &Tables) -> Result<Vec<ItemDefinition>> {
    let mut out: BTreeMap<String, ItemDefinition> = BTreeMap::new();
    let creatures = tables.creatures().iter().map(|c| ItemDefinition {
        id: c.id.clone(),
        item_type: CREATURE.to_string(),
        name: c.name.clone(),
        rarity: c.rarity.as_str().to_string(),
        data: serde_json::json!({ "emoji": c.emoji, "element": c.element }),
    });
    let items = tables.items().iter().map(|i| ItemDefinition {
        id: i.id.clone(),
        item_type: serde_json::to_value(i.kind)
            .ok()
            .and_then(|v| v.as_str().map(str::to_string))
            .unwrap_or_else(|| "item".to_string()),
        name: i.name.clone(),
        rarity: String::new(),
        data: serde_json::json!({ "emoji": i.emoji }),
    });
    let crates = tables
        .crates()
        .iter()
        .filter(|c| tables.item(&c.item_key()).is_none())
        .map(|c| ItemDefinition {
            id: c.item_key(),
            item_type: CRATE.to_string(),
            name: c.name.clone(),
            rarity: String::new(),
            data: serde_json::json!({ "emoji": c.emoji }),
        });
    for def in creatures.chain(items).chain(crates) {
        if let Some(prev) = out.insert(def.id.clone(), def) {
            return Err(StorageError::Conflict(format!(
                "item id {:?} is defined twice (creatures.yaml and items.yaml share ids)",
                prev.id
            )));
        }
    }
    Ok(out.into_values().collect())
}

/// Upserts the `item_definitions` of every creature and shop item of `tables` (start-up).
/// Definitions no longer in the tables are kept (stacks may still reference them). Returns how
/// many definitions were written.
pub async fn sync_definitions(storage: &Storage, tables: &Tables) -> Result<usize> {
    let defs = definitions_from_tables(tables)?;
    let now = Utc::now();
    transaction!(storage, |tx| {
        for d in &defs {
            let data = sqlx::types::Json(&d.data);
            tx_run!(tx, |conn| {
                sqlx::query(
                    "INSERT INTO item_definitions (id, item_type, name, rarity, data, created_at, \
                     updated_at) VALUES ($1, $2, $3, $4, $5, $6, $6) \
                     ON CONFLICT (id) DO UPDATE SET item_type = excluded.item_type, \
                     name = excluded.name, rarity = excluded.rarity, data = excluded.data, \
                     updated_at = excluded.updated_at",
                )
                .bind(&d.id)
                .bind(&d.item_type)
                .bind(&d.name)
                .bind(&d.rarity)
                .bind(data)
                .bind(now)
                .execute(&mut *conn)
                .await?;
            });
        }
        Ok(defs.len())
    })
}

/// A stack of identical items.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct Stack {
    /// Row id.
    pub id: i64,
    /// Item key (`item_definitions.id`).
    pub item_key: String,
    /// `"creature"` or the shop item kind.
    pub item_type: String,
    /// How many (> 0).
    pub quantity: i64,
}

/// A gem (row of `gems`).
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct Gem {
    /// Row id.
    pub id: i64,
    /// Owner.
    #[sqlx(try_from = "i64")]
    pub owner_id: UserId,
    /// Gem type id from `gems.yaml`.
    pub gem_type: String,
    /// Tier (`"common"` …).
    pub rarity: String,
    /// Power.
    pub power: i32,
    /// Weapon it is socketed in, if any.
    pub weapon_id: Option<i64>,
    /// When it was obtained.
    pub created_at: DateTime<Utc>,
}

/// Everything a player owns.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Inventory {
    /// Stacks, by item key.
    pub stacks: Vec<Stack>,
    /// Gems, newest first.
    pub gems: Vec<Gem>,
}

impl Inventory {
    /// Quantity of one stack (0 when absent).
    pub fn quantity(&self, item_key: &str) -> i64 {
        self.stacks
            .iter()
            .find(|s| s.item_key == item_key)
            .map_or(0, |s| s.quantity)
    }

    /// Number of unopened crates per crate id (from the crate stacks).
    pub fn crate_counts(&self) -> BTreeMap<String, i64> {
        self.stacks
            .iter()
            .filter(|s| s.item_type == CRATE)
            .filter_map(|s| crate_of_key(&s.item_key).map(|id| (id.to_string(), s.quantity)))
            .collect()
    }

    /// Unopened crates of every kind.
    pub fn crate_total(&self) -> i64 {
        self.crate_counts().values().sum()
    }

    /// True when the player owns nothing.
    pub fn is_empty(&self) -> bool {
        self.stacks.is_empty() && self.gems.is_empty()
    }
}

pub(crate) const GEM_COLUMNS: &str = "id, owner_id, gem_type, rarity, power, weapon_id, created_at";

/// A player's whole inventory (empty when they have nothing or no profile).
pub async fn list(storage: &Storage, owner: UserId) -> Result<Inventory> {
    conn_run!(storage, |conn| {
        let stacks = sqlx::query_as::<_, Stack>(
            "SELECT id, item_key, item_type, quantity FROM user_items \
             WHERE owner_id = $1 AND item_key IS NOT NULL ORDER BY item_type, item_key",
        )
        .bind(owner.to_db())
        .fetch_all(&mut *conn)
        .await?;
        let gems = sqlx::query_as::<_, Gem>(&format!(
            "SELECT {GEM_COLUMNS} FROM gems WHERE owner_id = $1 ORDER BY id DESC"
        ))
        .bind(owner.to_db())
        .fetch_all(&mut *conn)
        .await?;
        Ok(Inventory { stacks, gems })
    })
}

/// Quantity of `item_key` the player owns, read inside `tx` with the stack row locked (0 when
/// absent).
pub async fn quantity(tx: &mut Tx, owner: UserId, item_key: &str) -> Result<i64> {
    Ok(lock_stack(tx, owner.to_db(), item_key)
        .await?
        .map_or(0, |(_, q)| q))
}

async fn lock_stack(tx: &mut Tx, owner: i64, item_key: &str) -> Result<Option<(i64, i64)>> {
    tx_run!(tx, |conn, d| {
        let sql = format!(
            "SELECT id, quantity FROM user_items WHERE owner_id = $1 AND item_key = $2{}",
            d.for_update()
        );
        Ok(sqlx::query_as(&sql)
            .bind(owner)
            .bind(item_key)
            .fetch_optional(&mut *conn)
            .await?)
    })
}

/// Adds `qty` (> 0) of `item_key` to the player's stack inside `tx` (creating the profile and
/// the stack when missing). The key must be in `item_definitions` ([`StorageError::NotFound`]
/// otherwise). Returns the new quantity.
pub async fn add(
    tx: &mut Tx,
    owner: UserId,
    item_key: &str,
    qty: i64,
    now: DateTime<Utc>,
) -> Result<i64> {
    if qty <= 0 {
        return Err(StorageError::Refused(Refusal::InvalidAmount(qty)));
    }
    users::ensure(tx, owner).await?;
    let row: Option<(i64,)> = tx_run!(tx, |conn| {
        sqlx::query_as(
            "INSERT INTO user_items (owner_id, item_type, item_key, quantity, created_at, \
             updated_at) SELECT $1, d.item_type, d.id, $3, $4, $4 FROM item_definitions d \
             WHERE d.id = $2 \
             ON CONFLICT (owner_id, item_key) WHERE item_key IS NOT NULL DO UPDATE \
             SET quantity = user_items.quantity + excluded.quantity, \
                 updated_at = excluded.updated_at \
             RETURNING quantity",
        )
        .bind(owner.to_db())
        .bind(item_key)
        .bind(qty)
        .bind(now)
        .fetch_optional(&mut *conn)
        .await?
    });
    row.map(|r| r.0)
        .ok_or_else(|| StorageError::NotFound(Missing::ItemDefinition(item_key.to_string())))
}

/// Removes `qty` (> 0) of `item_key` from the player's stack inside `tx`, locking the stack
/// first. [`Refusal::NotEnoughItems`] (nothing changed) when the player has fewer. A
/// stack that reaches 0 is deleted. Returns the quantity left.
pub async fn remove(
    tx: &mut Tx,
    owner: UserId,
    item_key: &str,
    qty: i64,
    now: DateTime<Utc>,
) -> Result<i64> {
    if qty <= 0 {
        return Err(StorageError::Refused(Refusal::InvalidAmount(qty)));
    }
    let (id, have) = lock_stack(tx, owner.to_db(), item_key)
        .await?
        .unwrap_or((0, 0));
    if have < qty {
        return Err(StorageError::Refused(Refusal::NotEnoughItems {
            item: item_key.to_string(),
            needed: qty,
            available: have,
        }));
    }
    let left = have - qty;
    tx_run!(tx, |conn| {
        if left == 0 {
            sqlx::query("DELETE FROM user_items WHERE id = $1")
                .bind(id)
                .execute(&mut *conn)
                .await?;
        } else {
            sqlx::query("UPDATE user_items SET quantity = $1, updated_at = $2 WHERE id = $3")
                .bind(left)
                .bind(now)
                .bind(id)
                .execute(&mut *conn)
                .await?;
        }
    });
    Ok(left)
}

/// Adds a gem row inside `tx`. Returns its id.
pub async fn add_gem(tx: &mut Tx, owner: UserId, gem: &GemDrop, now: DateTime<Utc>) -> Result<i64> {
    users::ensure(tx, owner).await?;
    let power = i32::try_from(gem.power).map_err(|_| StorageError::Refused(Refusal::Overflow))?;
    tx_run!(tx, |conn| {
        let (id,): (i64,) = sqlx::query_as(
            "INSERT INTO gems (owner_id, gem_type, rarity, power, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $5) RETURNING id",
        )
        .bind(owner.to_db())
        .bind(&gem.gem_type)
        .bind(gem.rarity.as_str())
        .bind(power)
        .bind(now)
        .fetch_one(&mut *conn)
        .await?;
        Ok(id)
    })
}

/// Locks and deletes one gem of `owner` that is not socketed (forge, sale, trade). Returns
/// the gem as it was. [`Refusal::NotEnoughItems`] when the player has no such free gem.
pub async fn take_gem(tx: &mut Tx, owner: UserId, gem_id: i64) -> Result<Gem> {
    let gem: Option<Gem> = tx_run!(tx, |conn, d| {
        let sql = format!(
            "SELECT {GEM_COLUMNS} FROM gems WHERE id = $1 AND owner_id = $2 \
             AND weapon_id IS NULL{}",
            d.for_update()
        );
        sqlx::query_as::<_, Gem>(&sql)
            .bind(gem_id)
            .bind(owner.to_db())
            .fetch_optional(&mut *conn)
            .await?
    });
    let gem = gem.ok_or_else(|| {
        StorageError::Refused(Refusal::NotEnoughItems {
            item: format!("gem:{gem_id}"),
            needed: 1,
            available: 0,
        })
    })?;
    tx_run!(tx, |conn| {
        sqlx::query("DELETE FROM gems WHERE id = $1")
            .bind(gem.id)
            .execute(&mut *conn)
            .await?;
    });
    Ok(gem)
}

/// Adds one unopened crate of `crate_type` (a crate id) to the player's crate stack inside
/// `tx`. Returns how many of that kind they own now.
pub async fn add_crate(
    tx: &mut Tx,
    owner: UserId,
    crate_type: &str,
    now: DateTime<Utc>,
) -> Result<i64> {
    add(tx, owner, &crate_key(crate_type), 1, now).await
}

/// Removes one unopened crate of `crate_type` (to open it) inside `tx`, the stack row locked.
/// Returns how many are left. [`Refusal::NotEnoughItems`] (item `<crate>_crate`) when the player
/// has none.
pub async fn take_crate(
    tx: &mut Tx,
    owner: UserId,
    crate_type: &str,
    now: DateTime<Utc>,
) -> Result<i64> {
    remove(tx, owner, &crate_key(crate_type), 1, now).await
}

/// Grants loot inside `tx`: a creature adds 1 to its stack, a gem adds a `gems` row, a crate 1
/// to its crate stack, a pet a `pets` row ([`crate::pets::insert_loot_in`]), a weapon a
/// `weapons` row. Every item granted gets an item-trail row from the game (action `loot`; a pet
/// `hatch`).
pub async fn grant_loot(
    tx: &mut Tx,
    owner: UserId,
    loot: &[Loot],
    now: DateTime<Utc>,
) -> Result<()> {
    use crate::trail::{ItemKind, Move};
    let mut moves = Vec::new();
    for l in loot {
        match l {
            Loot::Creature(c) => {
                add(tx, owner, &c.id, 1, now).await?;
                moves.push(Move::stack(&c.id, 1, None, Some(owner), "loot"));
            }
            Loot::Gem(g) => {
                let id = add_gem(tx, owner, g, now).await?;
                moves.push(Move::row(
                    ItemKind::Gem,
                    id,
                    &g.gem_type,
                    None,
                    Some(owner),
                    "loot",
                ));
            }
            Loot::Crate { id } => {
                add_crate(tx, owner, id, now).await?;
                moves.push(Move::stack(&crate_key(id), 1, None, Some(owner), "loot"));
            }
            Loot::Pet(c) => {
                let id = crate::pets::insert_loot_in(tx, owner, c, now).await?;
                moves.push(Move::row(
                    ItemKind::Pet,
                    id,
                    &c.id,
                    None,
                    Some(owner),
                    "hatch",
                ));
            }
            Loot::Weapon(w) => {
                // Recorded by `weapons::add`.
                crate::weapons::add(tx, owner, w, "loot", now).await?;
            }
        }
    }
    crate::trail::record_many(tx, &moves, now).await
}

/// Grants the loot of many players inside `tx` with a few set-based statements on Postgres
/// (`UNNEST` arrays, one upsert for all creature stacks); row by row on SQLite. The owners'
/// profiles must exist (the caller has locked them). Creature keys must be defined.
pub async fn grant_loot_batch(
    tx: &mut Tx,
    loot: &[(UserId, Loot)],
    now: DateTime<Utc>,
) -> Result<()> {
    if loot.is_empty() {
        return Ok(());
    }
    // Creatures and crates aggregated per (owner, key): one upsert row each.
    let mut stacks: BTreeMap<(UserId, String), i64> = BTreeMap::new();
    let mut gems: Vec<(UserId, &GemDrop)> = Vec::new();
    let mut pets = Vec::new();
    let mut weapons: Vec<(UserId, &chronix_core::weapons::WeaponDrop)> = Vec::new();
    for (owner, l) in loot {
        match l {
            Loot::Creature(c) => *stacks.entry((*owner, c.id.clone())).or_insert(0) += 1,
            Loot::Gem(g) => gems.push((*owner, g)),
            Loot::Crate { id } => *stacks.entry((*owner, crate_key(id))).or_insert(0) += 1,
            Loot::Pet(c) => pets.push((*owner, c)),
            Loot::Weapon(w) => weapons.push((*owner, w)),
        }
    }
    use crate::trail::{ItemKind, Move};
    // The item trail of the whole batch: written with ONE multi-row insert at the end.
    let mut moves: Vec<Move> = stacks
        .iter()
        .map(|((owner, key), qty)| Move::stack(key, *qty, None, Some(*owner), "loot"))
        .collect();
    // Pets come from crates, not from batches (autohunt); row by row if they ever do.
    for (owner, c) in pets {
        let id = crate::pets::insert_loot_in(tx, owner, c, now).await?;
        moves.push(Move::row(
            ItemKind::Pet,
            id,
            &c.id,
            None,
            Some(owner),
            "hatch",
        ));
    }
    // Weapons are rare (crates only): one row each.
    for (owner, w) in weapons {
        crate::weapons::add(tx, owner, w, "loot", now).await?;
    }
    match tx.inner_mut() {
        crate::TxInner::Pg(t) => {
            let conn: &mut sqlx::PgConnection = t;
            if !stacks.is_empty() {
                let owners: Vec<i64> = stacks.keys().map(|k| k.0.to_db()).collect();
                let keys: Vec<&str> = stacks.keys().map(|k| k.1.as_str()).collect();
                let qtys: Vec<i64> = stacks.values().copied().collect();
                let n = sqlx::query(
                    "INSERT INTO user_items (owner_id, item_type, item_key, quantity, created_at, \
                     updated_at) \
                     SELECT u.owner_id, d.item_type, d.id, u.qty, $4, $4 \
                     FROM UNNEST($1::BIGINT[], $2::TEXT[], $3::BIGINT[]) AS u(owner_id, key, qty) \
                     JOIN item_definitions d ON d.id = u.key \
                     ON CONFLICT (owner_id, item_key) WHERE item_key IS NOT NULL DO UPDATE \
                     SET quantity = user_items.quantity + excluded.quantity, \
                         updated_at = excluded.updated_at",
                )
                .bind(&owners)
                .bind(&keys)
                .bind(&qtys)
                .bind(now)
                .execute(&mut *conn)
                .await?
                .rows_affected();
                if n as usize != owners.len() {
                    return Err(StorageError::NotFound(Missing::ItemDefinition(
                        "a creature or crate of this batch (sync_definitions not run?)".into(),
                    )));
                }
            }
            if !gems.is_empty() {
                let owners: Vec<i64> = gems.iter().map(|g| g.0.to_db()).collect();
                let types: Vec<&str> = gems.iter().map(|g| g.1.gem_type.as_str()).collect();
                let rarities: Vec<&str> = gems.iter().map(|g| g.1.rarity.as_str()).collect();
                let powers: Vec<i32> = gems
                    .iter()
                    .map(|g| {
                        i32::try_from(g.1.power)
                            .map_err(|_| StorageError::Refused(Refusal::Overflow))
                    })
                    .collect::<Result<_>>()?;
                let made: Vec<(i64, i64, String)> = sqlx::query_as(
                    "INSERT INTO gems (owner_id, gem_type, rarity, power, created_at, updated_at) \
                     SELECT o, t, r, p, $5, $5 \
                     FROM UNNEST($1::BIGINT[], $2::TEXT[], $3::TEXT[], $4::INT[]) AS u(o, t, r, p) \
                     RETURNING id, owner_id, gem_type",
                )
                .bind(&owners)
                .bind(&types)
                .bind(&rarities)
                .bind(&powers)
                .bind(now)
                .fetch_all(&mut *conn)
                .await?;
                moves.extend(made.into_iter().map(|(id, owner, kind)| {
                    Move::row(
                        ItemKind::Gem,
                        id,
                        &kind,
                        None,
                        Some(UserId::from_db(owner)),
                        "loot",
                    )
                }));
            }
        }
        crate::TxInner::Sqlite(_) => {
            for ((owner, key), qty) in &stacks {
                add(tx, *owner, key, *qty, now).await?;
            }
            for (owner, g) in &gems {
                let id = add_gem(tx, *owner, g, now).await?;
                moves.push(Move::row(
                    ItemKind::Gem,
                    id,
                    &g.gem_type,
                    None,
                    Some(*owner),
                    "loot",
                ));
            }
        }
    }
    crate::trail::record_many(tx, &moves, now).await
}
