//! Weapons a player owns (`weapons` rows) and the gems socketed in them (`gems.weapon_id` and
//! `gems.slot`).
//!
//! Every change runs in ONE transaction that first locks the player's `users` row, so two
//! actions of one player on their weapons (two enhances, two empowers of one gem, an equip and
//! a scrap) run one after the other; the weapon and gem rows are locked too. Chrons move
//! through the ledger ([`economy::apply`]), materials through [`inventory`], and every movement
//! of a weapon, a gem or materials is recorded in the [`trail`].
//!
//! * [`add`]: a new weapon (loot; [`inventory::grant_loot`] calls it).
//! * [`list`], [`get`]: reads.
//! * [`equip`] / [`unequip`]: exactly one equipped weapon at most (also a unique index).
//! * [`enhance`]: the caller's `roll` (the pure `chronix_core::weapons::enhance`) decides with
//!   the locked balance and materials; Chrons (kind `enhance`) and materials are paid either way
//!   and the level stored. `expected_level` is the level the player was quoted: if the weapon
//!   changed meanwhile nothing happens ([`WeaponRefusal::Changed`]).
//! * [`scrap`]: deletes the weapon, frees its gems and grants materials.
//! * [`empower`]: socket a free gem into the lowest free slot (two empowers of one gem at once:
//!   exactly one wins; the other is refused with [`WeaponRefusal::GemNotFree`]).
//! * [`unsocket`]: takes the gem of a slot out for a fee (kind `unsocket`).

use chronix_core::economy::Chrons;
use chronix_core::ids::{GuildId, UserId};
use chronix_core::items::GemDrop;
use chronix_core::tables::Rarity;
use chronix_core::weapons::{
    EnhanceOutcome, Socketed, WeaponBase, WeaponDrop, WeaponError, WeaponState, free_slot,
};
use chrono::{DateTime, Utc};

use crate::economy::{self, Memo};
use crate::trail::{self, ItemKind, Move};
use crate::{Refusal, Result, Storage, StorageError, Tx, inventory, users};

/// A weapon action was refused (nothing changed).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum WeaponRefusal {
    /// No weapon has that id.
    #[error("there is no weapon #{0}")]
    UnknownWeapon(i64),
    /// The weapon belongs to someone else.
    #[error("weapon #{0} is not yours")]
    NotYourWeapon(i64),
    /// No gem has that id.
    #[error("there is no gem #{0}")]
    UnknownGem(i64),
    /// The gem belongs to someone else.
    #[error("gem #{0} is not yours")]
    NotYourGem(i64),
    /// The gem is already socketed.
    #[error("gem #{gem} is already in weapon #{weapon}")]
    GemNotFree {
        /// Gem id.
        gem: i64,
        /// The weapon it is in.
        weapon: i64,
    },
    /// `unequip` with nothing equipped.
    #[error("no weapon is equipped")]
    NothingEquipped,
    /// The weapon's level changed since the player was quoted.
    #[error("weapon #{id} is now level {actual}, not {expected}")]
    Changed {
        /// Weapon id.
        id: i64,
        /// The level quoted.
        expected: u32,
        /// The level now.
        actual: u32,
    },
    /// The weapon is equipped: unequip it before trading or listing it.
    #[error("weapon #{0} is equipped; unequip it first")]
    Equipped(i64),
    /// The weapon is listed on the market (it stays in escrow until sold or cancelled).
    #[error("weapon #{id} is listed on the market (listing #{listing})")]
    Listed {
        /// Weapon id.
        id: i64,
        /// The open listing.
        listing: i64,
    },
    /// The weapon is already offered in another open trade.
    #[error("weapon #{id} is already offered in trade #{trade}")]
    InTrade {
        /// Weapon id.
        id: i64,
        /// The open trade.
        trade: i64,
    },
    /// A trade asks for a weapon the other player does not own.
    #[error("weapon #{0} is not theirs")]
    NotTheirs(i64),
    /// A rule refused (top level, not enough Chrons or materials, no free slot, empty slot).
    #[error(transparent)]
    Rules(#[from] WeaponError),
}

fn refused(r: WeaponRefusal) -> StorageError {
    StorageError::Refused(Refusal::Weapon(r))
}

/// A socketed gem.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SocketedGem {
    /// Gem row id.
    pub id: i64,
    /// Slot (0-based).
    pub slot: u32,
    /// The gem.
    pub gem: GemDrop,
}

/// A weapon as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Weapon {
    /// Row id.
    pub id: i64,
    /// Owner.
    pub owner_id: UserId,
    /// Whether it is the equipped one.
    pub equipped: bool,
    /// Type, tier, level, base stats and gems.
    pub state: WeaponState,
    /// The socketed gems with their ids, by slot.
    pub gems: Vec<SocketedGem>,
    /// When it was obtained.
    pub created_at: DateTime<Utc>,
}

type WeaponRow = (
    i64,
    i64,
    String,
    String,
    i32,
    f64,
    i32,
    i32,
    bool,
    DateTime<Utc>,
);

const COLUMNS: &str =
    "id, owner_id, weapon_type, rarity, attack, crit_rate, slots, level, equipped, created_at";

type GemRow = (i64, i64, String, String, i32, Option<i32>);

fn to_u32(v: i32) -> u32 {
    u32::try_from(v).unwrap_or(0)
}

fn build(r: WeaponRow, mut gems: Vec<SocketedGem>) -> Result<Weapon> {
    let rarity = Rarity::from_name(&r.3)
        .ok_or_else(|| StorageError::Corrupt(format!("weapon {} has rarity {:?}", r.0, r.3)))?;
    gems.sort_by_key(|g| g.slot);
    Ok(Weapon {
        id: r.0,
        owner_id: UserId::from_db(r.1),
        equipped: r.8,
        state: WeaponState {
            weapon_type: r.2,
            rarity,
            level: to_u32(r.7),
            base: WeaponBase {
                attack: to_u32(r.4),
                // Stored as a percentage (5.0 = 5 %); tenths of a percent in the core.
                crit: (r.5 * 10.0).round().max(0.0) as u32,
                slots: to_u32(r.6),
            },
            gems: gems
                .iter()
                .map(|g| Socketed {
                    slot: g.slot,
                    gem: g.gem.clone(),
                })
                .collect(),
        },
        gems,
        created_at: r.9,
    })
}

fn gem_of(r: GemRow) -> Option<(i64, SocketedGem)> {
    Some((
        r.1,
        SocketedGem {
            id: r.0,
            slot: to_u32(r.5?),
            gem: GemDrop {
                gem_type: r.2,
                rarity: Rarity::from_name(&r.3)?,
                power: to_u32(r.4),
            },
        },
    ))
}

fn assemble(rows: Vec<WeaponRow>, gems: Vec<GemRow>) -> Result<Vec<Weapon>> {
    let gems: Vec<(i64, SocketedGem)> = gems.into_iter().filter_map(gem_of).collect();
    rows.into_iter()
        .map(|r| {
            let mine = gems
                .iter()
                .filter(|(w, _)| *w == r.0)
                .map(|(_, g)| g.clone())
                .collect();
            build(r, mine)
        })
        .collect()
}

const GEM_COLUMNS: &str = "id, weapon_id, gem_type, rarity, power, slot";

/// A player's weapons: the equipped one first, then the newest first.
pub async fn list(storage: &Storage, owner: UserId) -> Result<Vec<Weapon>> {
    let (rows, gems): (Vec<WeaponRow>, Vec<GemRow>) = conn_run!(storage, |conn| {
        let rows = sqlx::query_as(&format!(
            "SELECT {COLUMNS} FROM weapons WHERE owner_id = $1 ORDER BY equipped DESC, id DESC"
        ))
        .bind(owner.to_db())
        .fetch_all(&mut *conn)
        .await?;
        let gems = sqlx::query_as(&format!(
            "SELECT {GEM_COLUMNS} FROM gems WHERE weapon_id IN \
             (SELECT id FROM weapons WHERE owner_id = $1)"
        ))
        .bind(owner.to_db())
        .fetch_all(&mut *conn)
        .await?;
        (rows, gems)
    });
    assemble(rows, gems)
}

/// One weapon by id (anyone's), with its gems.
pub async fn get(storage: &Storage, id: i64) -> Result<Option<Weapon>> {
    let (rows, gems): (Vec<WeaponRow>, Vec<GemRow>) = conn_run!(storage, |conn| {
        let rows = sqlx::query_as(&format!("SELECT {COLUMNS} FROM weapons WHERE id = $1"))
            .bind(id)
            .fetch_all(&mut *conn)
            .await?;
        let gems = sqlx::query_as(&format!(
            "SELECT {GEM_COLUMNS} FROM gems WHERE weapon_id = $1"
        ))
        .bind(id)
        .fetch_all(&mut *conn)
        .await?;
        (rows, gems)
    });
    Ok(assemble(rows, gems)?.pop())
}

/// Locks weapon `id` inside `tx` and checks it is `owner`'s.
/// Locks weapon `id` of `owner` for an action on it (equip, enhance, scrap, empower, unsocket):
/// refused while it is listed on the market ([`WeaponRefusal::Listed`]).
async fn lock_weapon(tx: &mut Tx, owner: UserId, id: i64) -> Result<Weapon> {
    let w = lock_weapon_any(tx, owner, id).await?;
    if let Some(listing) = open_listing(tx, id).await? {
        return Err(refused(WeaponRefusal::Listed { id, listing }));
    }
    Ok(w)
}

/// The open market listing of weapon `id`, if any.
async fn open_listing(tx: &mut Tx, id: i64) -> Result<Option<i64>> {
    let row: Option<(i64,)> = tx_run!(tx, |conn| {
        sqlx::query_as(
            "SELECT id FROM market_listings WHERE status = 'open' AND item_key = $1 LIMIT 1",
        )
        .bind(weapon_key(id))
        .fetch_optional(&mut *conn)
        .await?
    });
    Ok(row.map(|r| r.0))
}

/// The open, unexpired trade (other than `except`) in which `owner` gives weapon `id`: they
/// proposed it, or they confirmed a trade that asks for it.
async fn open_trade(
    tx: &mut Tx,
    owner: UserId,
    id: i64,
    except: Option<i64>,
    now: DateTime<Utc>,
) -> Result<Option<i64>> {
    let row: Option<(i64,)> = tx_run!(tx, |conn| {
        sqlx::query_as(
            "SELECT id FROM trades WHERE status = 'open' AND expires_at > $1 AND id <> $2 \
             AND ((initiator_id = $3 AND initiator_item_key = $4) \
               OR (partner_id = $3 AND partner_item_key = $4 AND partner_confirmed)) \
             ORDER BY id LIMIT 1",
        )
        .bind(now)
        .bind(except.unwrap_or(0))
        .bind(owner.to_db())
        .bind(weapon_key(id))
        .fetch_optional(&mut *conn)
        .await?
    });
    Ok(row.map(|r| r.0))
}

/// Checks inside `tx` that `owner` may give weapon `id` away (a trade offer, a market listing):
/// theirs ([`WeaponRefusal::NotYourWeapon`]), not equipped ([`WeaponRefusal::Equipped`]), not
/// listed ([`WeaponRefusal::Listed`]) and not offered in another open trade than `except`
/// ([`WeaponRefusal::InTrade`]). The weapon row is locked. Returns it.
pub async fn check_offerable(
    tx: &mut Tx,
    owner: UserId,
    id: i64,
    except: Option<i64>,
    now: DateTime<Utc>,
) -> Result<Weapon> {
    let w = lock_weapon_any(tx, owner, id).await?;
    if w.equipped {
        return Err(refused(WeaponRefusal::Equipped(id)));
    }
    if let Some(listing) = open_listing(tx, id).await? {
        return Err(refused(WeaponRefusal::Listed { id, listing }));
    }
    if let Some(trade) = open_trade(tx, owner, id, except, now).await? {
        return Err(refused(WeaponRefusal::InTrade { id, trade }));
    }
    Ok(w)
}

/// Locks weapon `id` and checks it is `owner`'s (listed or not).
async fn lock_weapon_any(tx: &mut Tx, owner: UserId, id: i64) -> Result<Weapon> {
    let (rows, gems): (Vec<WeaponRow>, Vec<GemRow>) = tx_run!(tx, |conn, d| {
        let rows = sqlx::query_as(&format!(
            "SELECT {COLUMNS} FROM weapons WHERE id = $1{}",
            d.for_update()
        ))
        .bind(id)
        .fetch_all(&mut *conn)
        .await?;
        let gems = sqlx::query_as(&format!(
            "SELECT {GEM_COLUMNS} FROM gems WHERE weapon_id = $1{}",
            d.for_update()
        ))
        .bind(id)
        .fetch_all(&mut *conn)
        .await?;
        (rows, gems)
    });
    let w = assemble(rows, gems)?
        .pop()
        .ok_or_else(|| refused(WeaponRefusal::UnknownWeapon(id)))?;
    if w.owner_id != owner {
        return Err(refused(WeaponRefusal::NotYourWeapon(id)));
    }
    Ok(w)
}

/// Adds a new weapon for `owner` inside `tx` and records it in the trail (`action`, from the
/// game). Returns its id.
pub async fn add(
    tx: &mut Tx,
    owner: UserId,
    drop: &WeaponDrop,
    action: &str,
    now: DateTime<Utc>,
) -> Result<i64> {
    users::ensure(tx, owner).await?;
    let attack =
        i32::try_from(drop.base.attack).map_err(|_| StorageError::Refused(Refusal::Overflow))?;
    let slots =
        i32::try_from(drop.base.slots).map_err(|_| StorageError::Refused(Refusal::Overflow))?;
    let crit = f64::from(drop.base.crit) / 10.0;
    let id: i64 = tx_run!(tx, |conn| {
        let (id,): (i64,) = sqlx::query_as(
            "INSERT INTO weapons (owner_id, name, weapon_type, rarity, attack, crit_rate, slots, \
             level, created_at, updated_at) VALUES ($1, $2, $2, $3, $4, $5, $6, 0, $7, $7) \
             RETURNING id",
        )
        .bind(owner.to_db())
        .bind(&drop.weapon_type)
        .bind(drop.rarity.as_str())
        .bind(attack)
        .bind(crit)
        .bind(slots)
        .bind(now)
        .fetch_one(&mut *conn)
        .await?;
        id
    });
    trail::record(
        tx,
        &Move::row(
            ItemKind::Weapon,
            id,
            &drop.weapon_type,
            None,
            Some(owner),
            action,
        ),
        now,
    )
    .await?;
    Ok(id)
}

/// Equips weapon `id` of `owner` (the one equipped before, if another, is unequipped).
/// Returns the weapon and the id of the one it replaced.
pub async fn equip(
    storage: &Storage,
    owner: UserId,
    id: i64,
    now: DateTime<Utc>,
) -> Result<(Weapon, Option<i64>)> {
    transaction!(storage, |tx| {
        users::lock(tx, owner).await?;
        let mut w = lock_weapon(tx, owner, id).await?;
        let before: Option<(i64,)> = tx_run!(tx, |conn| {
            sqlx::query_as("SELECT id FROM weapons WHERE owner_id = $1 AND equipped")
                .bind(owner.to_db())
                .fetch_optional(&mut *conn)
                .await?
        });
        tx_run!(tx, |conn| {
            sqlx::query(
                "UPDATE weapons SET equipped = FALSE, updated_at = $2 \
                 WHERE owner_id = $1 AND equipped",
            )
            .bind(owner.to_db())
            .bind(now)
            .execute(&mut *conn)
            .await?;
            sqlx::query("UPDATE weapons SET equipped = TRUE, updated_at = $2 WHERE id = $1")
                .bind(id)
                .bind(now)
                .execute(&mut *conn)
                .await?;
        });
        w.equipped = true;
        Ok((w, before.map(|b| b.0).filter(|b| *b != id)))
    })
}

/// Unequips `owner`'s equipped weapon. Returns it; [`WeaponRefusal::NothingEquipped`] when none.
pub async fn unequip(storage: &Storage, owner: UserId, now: DateTime<Utc>) -> Result<Weapon> {
    transaction!(storage, |tx| {
        users::lock(tx, owner).await?;
        let current: Option<(i64,)> = tx_run!(tx, |conn| {
            sqlx::query_as("SELECT id FROM weapons WHERE owner_id = $1 AND equipped")
                .bind(owner.to_db())
                .fetch_optional(&mut *conn)
                .await?
        });
        let (id,) = current.ok_or_else(|| refused(WeaponRefusal::NothingEquipped))?;
        let mut w = lock_weapon(tx, owner, id).await?;
        tx_run!(tx, |conn| {
            sqlx::query("UPDATE weapons SET equipped = FALSE, updated_at = $2 WHERE id = $1")
                .bind(id)
                .bind(now)
                .execute(&mut *conn)
                .await?;
        });
        w.equipped = false;
        Ok(w)
    })
}

/// What [`enhance`] did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Enhanced {
    /// The weapon before.
    pub before: Weapon,
    /// What the rules decided (cost, chance, success, level after).
    pub outcome: EnhanceOutcome,
    /// The wallet afterwards.
    pub balance_after: Chrons,
    /// Materials left.
    pub materials_left: i64,
}

/// Enhances weapon `id` of `owner` once, in one transaction: locks the player, the weapon and
/// the `material` stack; `roll(rarity, level, balance, materials)` applies the rules; the
/// Chrons (one ledger row, kind `enhance`) and the materials are taken either way; the level
/// is stored. Refusals (nothing changes): the weapon is unknown or someone else's, its level
/// is not `expected_level`, or the rules refuse (top level, not enough Chrons or materials).
#[allow(clippy::too_many_arguments)]
pub async fn enhance<F>(
    storage: &Storage,
    owner: UserId,
    guild: Option<GuildId>,
    id: i64,
    expected_level: u32,
    material: &str,
    now: DateTime<Utc>,
    mut roll: F,
) -> Result<Enhanced>
where
    F: FnMut(Rarity, u32, Chrons, i64) -> std::result::Result<EnhanceOutcome, WeaponError>,
{
    transaction!(storage, |tx| {
        let balance = Chrons::new(users::lock(tx, owner).await?);
        let before = lock_weapon(tx, owner, id).await?;
        let level = before.state.level;
        if level != expected_level {
            return Err(refused(WeaponRefusal::Changed {
                id,
                expected: expected_level,
                actual: level,
            }));
        }
        let have = inventory::quantity(tx, owner, material).await?;
        let outcome = roll(before.state.rarity, level, balance, have)
            .map_err(|e| refused(WeaponRefusal::Rules(e)))?;
        let q = &outcome.quote;
        let mut materials_left = have;
        if q.materials > 0 {
            materials_left =
                inventory::remove(tx, owner, material, i64::from(q.materials), now).await?;
            trail::record(
                tx,
                &Move::stack(
                    material,
                    i64::from(q.materials),
                    Some(owner),
                    None,
                    "enhance",
                ),
                now,
            )
            .await?;
        }
        let balance_after = if q.chrons.is_positive() {
            let mut memo = Memo::new(format!(
                "enhanced weapon #{id} (level {level} → {})",
                outcome.level_after
            ))
            .kind("enhance")
            .at(now);
            memo.guild_id = guild;
            let neg = q
                .chrons
                .checked_neg()
                .ok_or(StorageError::Refused(Refusal::Overflow))?;
            economy::apply(tx, owner, neg, &memo).await?.balance_after()
        } else {
            balance
        };
        let after = i32::try_from(outcome.level_after)
            .map_err(|_| StorageError::Refused(Refusal::Overflow))?;
        tx_run!(tx, |conn| {
            sqlx::query("UPDATE weapons SET level = $1, updated_at = $2 WHERE id = $3")
                .bind(after)
                .bind(now)
                .bind(id)
                .execute(&mut *conn)
                .await?;
        });
        Ok(Enhanced {
            before,
            outcome,
            balance_after,
            materials_left,
        })
    })
}

/// What [`scrap`] did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scrapped {
    /// The weapon, as it was.
    pub weapon: Weapon,
    /// Materials granted.
    pub materials: u32,
    /// Materials owned afterwards.
    pub materials_total: i64,
    /// Ids of the gems it held, now free in the player's inventory.
    pub freed_gems: Vec<i64>,
}

/// Scraps weapon `id` of `owner` in one transaction: its gems go back to the player (free),
/// the weapon is deleted, and `materials(rarity, level)` of `material` are granted.
pub async fn scrap<F>(
    storage: &Storage,
    owner: UserId,
    id: i64,
    material: &str,
    now: DateTime<Utc>,
    materials: F,
) -> Result<Scrapped>
where
    F: Fn(Rarity, u32) -> u32,
{
    transaction!(storage, |tx| {
        users::lock(tx, owner).await?;
        let weapon = lock_weapon(tx, owner, id).await?;
        let freed: Vec<i64> = weapon.gems.iter().map(|g| g.id).collect();
        for g in &weapon.gems {
            trail::record(
                tx,
                &Move::row(
                    ItemKind::Gem,
                    g.id,
                    &g.gem.gem_type,
                    Some(owner),
                    Some(owner),
                    "unsocket",
                )
                .in_weapon(id),
                now,
            )
            .await?;
        }
        tx_run!(tx, |conn| {
            sqlx::query(
                "UPDATE gems SET weapon_id = NULL, slot = NULL, updated_at = $2 \
                 WHERE weapon_id = $1",
            )
            .bind(id)
            .bind(now)
            .execute(&mut *conn)
            .await?;
            sqlx::query("DELETE FROM weapons WHERE id = $1")
                .bind(id)
                .execute(&mut *conn)
                .await?;
        });
        trail::record(
            tx,
            &Move::row(
                ItemKind::Weapon,
                id,
                &weapon.state.weapon_type,
                Some(owner),
                None,
                "scrap",
            ),
            now,
        )
        .await?;
        let n = materials(weapon.state.rarity, weapon.state.level);
        let total = if n > 0 {
            trail::record(
                tx,
                &Move::stack(material, i64::from(n), None, Some(owner), "scrap"),
                now,
            )
            .await?;
            inventory::add(tx, owner, material, i64::from(n), now).await?
        } else {
            inventory::quantity(tx, owner, material).await?
        };
        Ok(Scrapped {
            weapon,
            materials: n,
            materials_total: total,
            freed_gems: freed,
        })
    })
}

/// What [`empower`] did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Empowered {
    /// The weapon before.
    pub before: Weapon,
    /// The weapon after.
    pub after: Weapon,
    /// The slot filled.
    pub slot: u32,
}

/// Locks gem `id` inside `tx`: `(owner, weapon it is in, the gem)`; `None` when there is none.
async fn lock_gem(tx: &mut Tx, id: i64) -> Result<Option<(UserId, Option<i64>, GemDrop)>> {
    let row: Option<(i64, Option<i64>, String, String, i32)> = tx_run!(tx, |conn, d| {
        sqlx::query_as(&format!(
            "SELECT owner_id, weapon_id, gem_type, rarity, power FROM gems WHERE id = $1{}",
            d.for_update()
        ))
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?
    });
    row.map(|(o, w, t, r, p)| {
        Ok((
            UserId::from_db(o),
            w,
            GemDrop {
                gem_type: t,
                rarity: Rarity::from_name(&r)
                    .ok_or_else(|| StorageError::Corrupt(format!("gem {id} has rarity {r:?}")))?,
                power: to_u32(p),
            },
        ))
    })
    .transpose()
}

/// Sockets free gem `gem_id` of `owner` into the lowest free slot of their weapon `weapon_id`,
/// in one transaction. Refusals (nothing changes): unknown or someone else's weapon or gem, the
/// gem already socketed (also the loser of two empowers of one gem at once), no free slot.
pub async fn empower(
    storage: &Storage,
    owner: UserId,
    weapon_id: i64,
    gem_id: i64,
    now: DateTime<Utc>,
) -> Result<Empowered> {
    transaction!(storage, |tx| {
        users::lock(tx, owner).await?;
        let before = lock_weapon(tx, owner, weapon_id).await?;
        let (gem_owner, inside, gem) = lock_gem(tx, gem_id)
            .await?
            .ok_or_else(|| refused(WeaponRefusal::UnknownGem(gem_id)))?;
        if gem_owner != owner {
            return Err(refused(WeaponRefusal::NotYourGem(gem_id)));
        }
        if let Some(w) = inside {
            return Err(refused(WeaponRefusal::GemNotFree {
                gem: gem_id,
                weapon: w,
            }));
        }
        let used: Vec<u32> = before.gems.iter().map(|g| g.slot).collect();
        let slot = free_slot(before.state.base.slots, &used)
            .map_err(|e| refused(WeaponRefusal::Rules(e)))?;
        let slot_db = i32::try_from(slot).map_err(|_| StorageError::Refused(Refusal::Overflow))?;
        let n = tx_run!(tx, |conn| {
            sqlx::query(
                "UPDATE gems SET weapon_id = $1, slot = $2, updated_at = $3 \
                 WHERE id = $4 AND owner_id = $5 AND weapon_id IS NULL",
            )
            .bind(weapon_id)
            .bind(slot_db)
            .bind(now)
            .bind(gem_id)
            .bind(owner.to_db())
            .execute(&mut *conn)
            .await?
            .rows_affected()
        });
        if n != 1 {
            return Err(refused(WeaponRefusal::GemNotFree {
                gem: gem_id,
                weapon: weapon_id,
            }));
        }
        trail::record(
            tx,
            &Move::row(
                ItemKind::Gem,
                gem_id,
                &gem.gem_type,
                Some(owner),
                Some(owner),
                "empower",
            )
            .in_weapon(weapon_id),
            now,
        )
        .await?;
        let mut after = before.clone();
        after.gems.push(SocketedGem {
            id: gem_id,
            slot,
            gem: gem.clone(),
        });
        after.gems.sort_by_key(|g| g.slot);
        after.state.gems = after
            .gems
            .iter()
            .map(|g| Socketed {
                slot: g.slot,
                gem: g.gem.clone(),
            })
            .collect();
        Ok(Empowered {
            before,
            after,
            slot,
        })
    })
}

/// What [`unsocket`] did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unsocketed {
    /// The weapon afterwards.
    pub weapon: Weapon,
    /// The gem taken out (now free).
    pub gem: SocketedGem,
    /// The fee paid.
    pub fee: Chrons,
    /// The wallet afterwards.
    pub balance_after: Chrons,
}

/// Takes the gem of `slot` out of `owner`'s weapon `weapon_id` for `fee(gem)` Chrons (one
/// ledger row, kind `unsocket`), in one transaction. Refusals (nothing changes): unknown or
/// someone else's weapon, an empty slot, not enough Chrons.
pub async fn unsocket<F>(
    storage: &Storage,
    owner: UserId,
    guild: Option<GuildId>,
    weapon_id: i64,
    slot: u32,
    now: DateTime<Utc>,
    fee: F,
) -> Result<Unsocketed>
where
    F: Fn(&GemDrop) -> Chrons,
{
    transaction!(storage, |tx| {
        let balance = Chrons::new(users::lock(tx, owner).await?);
        let mut weapon = lock_weapon(tx, owner, weapon_id).await?;
        let i = weapon
            .gems
            .iter()
            .position(|g| g.slot == slot)
            .ok_or_else(|| refused(WeaponRefusal::Rules(WeaponError::EmptySlot(slot))))?;
        let gem = weapon.gems.remove(i);
        weapon.state.gems.retain(|g| g.slot != slot);
        let cost = fee(&gem.gem);
        if balance < cost {
            return Err(StorageError::Refused(Refusal::InsufficientFunds {
                needed: cost,
                available: balance,
            }));
        }
        tx_run!(tx, |conn| {
            sqlx::query(
                "UPDATE gems SET weapon_id = NULL, slot = NULL, updated_at = $2 WHERE id = $1",
            )
            .bind(gem.id)
            .bind(now)
            .execute(&mut *conn)
            .await?;
        });
        trail::record(
            tx,
            &Move::row(
                ItemKind::Gem,
                gem.id,
                &gem.gem.gem_type,
                Some(owner),
                Some(owner),
                "unsocket",
            )
            .in_weapon(weapon_id),
            now,
        )
        .await?;
        let balance_after = if cost.is_positive() {
            let mut memo = Memo::new(format!(
                "unsocketed gem #{} from weapon #{weapon_id}",
                gem.id
            ))
            .kind("unsocket")
            .at(now);
            memo.guild_id = guild;
            let neg = cost
                .checked_neg()
                .ok_or(StorageError::Refused(Refusal::Overflow))?;
            economy::apply(tx, owner, neg, &memo).await?.balance_after()
        } else {
            balance
        };
        Ok(Unsocketed {
            weapon,
            gem,
            fee: cost,
            balance_after,
        })
    })
}

/// The owner of gem `id` (`None` when there is no such gem).
pub async fn gem_owner(storage: &Storage, id: i64) -> Result<Option<UserId>> {
    let row: Option<(i64,)> = conn_run!(storage, |conn| {
        sqlx::query_as("SELECT owner_id FROM gems WHERE id = $1")
            .bind(id)
            .fetch_optional(&mut *conn)
            .await?
    });
    Ok(row.map(|r| UserId::from_db(r.0)))
}

/// The type of weapon `id` inside `tx` (`None`: no such weapon).
pub(crate) async fn type_in(tx: &mut Tx, id: i64) -> Result<Option<String>> {
    let row: Option<(String,)> = tx_run!(tx, |conn| {
        sqlx::query_as("SELECT weapon_type FROM weapons WHERE id = $1")
            .bind(id)
            .fetch_optional(&mut *conn)
            .await?
    });
    Ok(row.map(|r| r.0))
}

/// The item key a trade offer uses for weapon `id` (`weapon:<id>`, quantity 1).
pub fn weapon_key(id: i64) -> String {
    format!("weapon:{id}")
}

/// The weapon id of a key made by [`weapon_key`] (`None` for other keys).
pub fn weapon_of_key(key: &str) -> Option<i64> {
    key.strip_prefix("weapon:")?.parse().ok()
}

/// Moves weapon `id` from `from` to `to` inside `tx` (a trade, the market): its socketed gems
/// move with it, it arrives unequipped, and every movement is recorded in the trail (`action`).
/// The caller checks what else applies ([`check_offerable`] for a trade; the market's own
/// listing for a purchase).
/// [`Refusal::NotEnoughItems`] (item `weapon:<id>`) when `from` does not own it.
pub async fn transfer(
    tx: &mut Tx,
    from: UserId,
    to: UserId,
    id: i64,
    action: &str,
    now: DateTime<Utc>,
) -> Result<()> {
    let weapon = match lock_weapon_any(tx, from, id).await {
        Ok(w) => w,
        Err(StorageError::Refused(Refusal::Weapon(
            WeaponRefusal::UnknownWeapon(_) | WeaponRefusal::NotYourWeapon(_),
        ))) => {
            return Err(StorageError::Refused(Refusal::NotEnoughItems {
                item: weapon_key(id),
                needed: 1,
                available: 0,
            }));
        }
        Err(e) => return Err(e),
    };
    users::ensure(tx, to).await?;
    tx_run!(tx, |conn| {
        sqlx::query(
            "UPDATE weapons SET owner_id = $1, equipped = FALSE, updated_at = $2 WHERE id = $3",
        )
        .bind(to.to_db())
        .bind(now)
        .bind(id)
        .execute(&mut *conn)
        .await?;
        sqlx::query("UPDATE gems SET owner_id = $1, updated_at = $2 WHERE weapon_id = $3")
            .bind(to.to_db())
            .bind(now)
            .bind(id)
            .execute(&mut *conn)
            .await?;
    });
    trail::record(
        tx,
        &Move::row(
            ItemKind::Weapon,
            id,
            &weapon.state.weapon_type,
            Some(from),
            Some(to),
            action,
        ),
        now,
    )
    .await?;
    for g in &weapon.gems {
        trail::record(
            tx,
            &Move::row(
                ItemKind::Gem,
                g.id,
                &g.gem.gem_type,
                Some(from),
                Some(to),
                action,
            )
            .in_weapon(id),
            now,
        )
        .await?;
    }
    Ok(())
}
