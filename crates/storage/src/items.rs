//! Items: opening crates, the gem forge (and, later, empowering, weapons and pets).
//!
//! [`open_crates`] opens one or more kinds of crates for a player in ONE transaction: it
//! removes the crates from their stacks (row-locked: two opens of the last crate at once → one
//! opens it, the other is refused with [`Refusal::NotEnoughItems`] and changes nothing), reads
//! and updates the player's pity counter of each kind (`crate_pity`, row-locked), rolls each
//! crate through the caller's `roll` (the pure `chronix_core::items::open_crate_with_pity`, given
//! the locked pity count), grants the loot ([`inventory::grant_loot`]) and credits the Chrons
//! found with one ledger row (kind `"crate"`).
//!
//! [`forge_gems`] runs one or more forges in ONE transaction: the input gems are locked (free
//! gems of the player only), the caller's `roll` (the pure `chronix_core::items::forge`) decides
//! with the locked balance, the consumed gems are deleted, the cost is debited through the ledger
//! (kind `"forge"`) and the forged gem is added. A gem used by two forges at once is consumed
//! once: the second forge is refused with [`Refusal::NotEnoughItems`] and changes nothing.
//!
//! ```ignore
//! let opened = items::open_crates(&storage, user, guild, &[("basic".into(), 3)], now,
//!     |id, misses| open_crate_with_pity(&tables, tables.crate_def(id).unwrap(), misses, &mut rng),
//! ).await?;
//! ```

use std::collections::BTreeMap;

use chronix_core::economy::Chrons;
use chronix_core::ids::{GuildId, UserId};
use chronix_core::items::{ForgeError, ForgeOutcome, GemDrop, Loot, PityOpening, crate_key};
use chronix_core::tables::Rarity;
use chrono::{DateTime, Utc};

use crate::economy::{self, Memo};
use crate::inventory::Gem;
use crate::trail::{self, ItemKind, Move};
use crate::{Refusal, Result, Storage, StorageError, Tx, inventory, users};

/// The crates of one kind opened by [`open_crates`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpenedKind {
    /// Crate id.
    pub crate_id: String,
    /// One entry per crate, in the order rolled.
    pub openings: Vec<PityOpening>,
    /// Crates of this kind the player still owns.
    pub left: i64,
    /// The pity count after these openings.
    pub misses_after: u32,
}

/// What [`open_crates`] did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Opened {
    /// Per kind, in the order asked.
    pub kinds: Vec<OpenedKind>,
    /// Chrons found in all the crates (credited with one ledger row).
    pub chrons: Chrons,
    /// The wallet after the credit.
    pub balance_after: Chrons,
}

impl Opened {
    /// Crates opened.
    pub fn count(&self) -> usize {
        self.kinds.iter().map(|k| k.openings.len()).sum()
    }

    /// Every piece of loot, in the order rolled.
    pub fn loot(&self) -> impl Iterator<Item = &Loot> {
        self.kinds
            .iter()
            .flat_map(|k| k.openings.iter())
            .flat_map(|o| o.opening.loot.iter())
    }
}

/// A player's pity count for one crate kind (`crate_pity`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PityCount {
    /// Openings in a row without the kind's pity tier.
    pub misses: u32,
    /// Crates of this kind ever opened.
    pub opened: i64,
}

/// Opens `count` crates of each `(crate id, count)` of `batch` for `user` in one transaction
/// (retried on transient errors, so `roll` may be called again for a retry). `roll(crate id,
/// misses)` rolls one crate given the player's pity count and returns its outcome.
///
/// Refusals (nothing changes): [`Refusal::InvalidAmount`] for an empty batch or a count of 0,
/// [`Refusal::NotEnoughItems`] (item `<id>_crate`) when the player has fewer crates,
/// [`Refusal::Overflow`] when the Chrons would not fit.
pub async fn open_crates<F>(
    storage: &Storage,
    user: UserId,
    guild: Option<GuildId>,
    batch: &[(String, u32)],
    now: DateTime<Utc>,
    mut roll: F,
) -> Result<Opened>
where
    F: FnMut(&str, u32) -> PityOpening,
{
    if batch.is_empty() {
        return Err(StorageError::Refused(Refusal::InvalidAmount(0)));
    }
    if let Some((_, n)) = batch.iter().find(|(_, n)| *n == 0) {
        return Err(StorageError::Refused(Refusal::InvalidAmount(i64::from(*n))));
    }
    // Lock stacks in key order, so two batches of several kinds never wait on each other in a
    // cycle.
    let mut order: Vec<usize> = (0..batch.len()).collect();
    order.sort_by(|a, b| batch[*a].0.cmp(&batch[*b].0));
    transaction!(storage, |tx| {
        let mut kinds: Vec<Option<OpenedKind>> = vec![None; batch.len()];
        let mut loot: Vec<Loot> = Vec::new();
        let mut chrons = Chrons::ZERO;
        for &i in &order {
            let (id, count) = &batch[i];
            let left = inventory::remove(tx, user, &crate_key(id), i64::from(*count), now).await?;
            let opened = Move::stack(&crate_key(id), i64::from(*count), Some(user), None, "crate");
            trail::record(tx, &opened, now).await?;
            let mut pity = lock_pity(tx, user, id).await?;
            let mut openings = Vec::with_capacity(*count as usize);
            for _ in 0..*count {
                let o = roll(id, pity.misses);
                pity.misses = o.misses_after;
                chrons = chrons
                    .checked_add(o.opening.chrons)
                    .ok_or(StorageError::Refused(Refusal::Overflow))?;
                loot.extend(o.opening.loot.iter().cloned());
                openings.push(o);
            }
            pity.opened = pity.opened.saturating_add(i64::from(*count));
            save_pity(tx, user, id, pity, now).await?;
            kinds[i] = Some(OpenedKind {
                crate_id: id.clone(),
                openings,
                left,
                misses_after: pity.misses,
            });
        }
        inventory::grant_loot(tx, user, &loot, now).await?;
        let balance_after = if chrons.is_positive() {
            let n: usize = kinds.iter().flatten().map(|k| k.openings.len()).sum();
            let mut memo = Memo::new(format!("opened {n} crate(s)"))
                .kind("crate")
                .at(now);
            memo.guild_id = guild;
            economy::apply(tx, user, chrons, &memo)
                .await?
                .balance_after()
        } else {
            Chrons::new(users::lock(tx, user).await?)
        };
        Ok(Opened {
            kinds: kinds.into_iter().flatten().collect(),
            chrons,
            balance_after,
        })
    })
}

async fn lock_pity(tx: &mut Tx, user: UserId, crate_id: &str) -> Result<PityCount> {
    let row: Option<(i32, i64)> = tx_run!(tx, |conn, d| {
        let sql = format!(
            "SELECT misses, opened FROM crate_pity WHERE user_id = $1 AND crate_type = $2{}",
            d.for_update()
        );
        sqlx::query_as(&sql)
            .bind(user.to_db())
            .bind(crate_id)
            .fetch_optional(&mut *conn)
            .await?
    });
    Ok(row.map_or(PityCount::default(), |(m, o)| PityCount {
        misses: u32::try_from(m).unwrap_or(0),
        opened: o,
    }))
}

async fn save_pity(
    tx: &mut Tx,
    user: UserId,
    crate_id: &str,
    pity: PityCount,
    now: DateTime<Utc>,
) -> Result<()> {
    let misses =
        i32::try_from(pity.misses).map_err(|_| StorageError::Refused(Refusal::Overflow))?;
    tx_run!(tx, |conn| {
        sqlx::query(
            "INSERT INTO crate_pity (user_id, crate_type, misses, opened, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $5) \
             ON CONFLICT (user_id, crate_type) DO UPDATE SET misses = excluded.misses, \
             opened = excluded.opened, updated_at = excluded.updated_at",
        )
        .bind(user.to_db())
        .bind(crate_id)
        .bind(misses)
        .bind(pity.opened)
        .bind(now)
        .execute(&mut *conn)
        .await?;
    });
    Ok(())
}

/// A player's pity counts, by crate id (kinds never opened are absent).
pub async fn pity_counts(storage: &Storage, user: UserId) -> Result<BTreeMap<String, PityCount>> {
    let rows: Vec<(String, i32, i64)> = conn_run!(storage, |conn| {
        sqlx::query_as(
            "SELECT crate_type, misses, opened FROM crate_pity WHERE user_id = $1 \
             ORDER BY crate_type",
        )
        .bind(user.to_db())
        .fetch_all(&mut *conn)
        .await?
    });
    Ok(rows
        .into_iter()
        .map(|(id, m, o)| {
            (
                id,
                PityCount {
                    misses: u32::try_from(m).unwrap_or(0),
                    opened: o,
                },
            )
        })
        .collect())
}

/// One forge done by [`forge_gems`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ForgeResult {
    /// What the rules decided.
    pub outcome: ForgeOutcome,
    /// The input gems, as they were.
    pub inputs: Vec<Gem>,
    /// Id of the forged gem (on success).
    pub forged_id: Option<i64>,
}

/// What [`forge_gems`] did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Forged {
    /// One result per group, in order.
    pub forges: Vec<ForgeResult>,
    /// Chrons spent on all of them (one ledger row).
    pub cost: Chrons,
    /// The wallet afterwards.
    pub balance_after: Chrons,
}

/// Runs one forge per group of gem ids (each group: the inputs of one forge) for `user` in one
/// transaction. `roll(inputs, balance)` applies the forge rules to the locked gems and the
/// balance left after the previous forges of the batch.
///
/// Refusals (nothing changes): [`Refusal::InvalidAmount`] for no group or an empty one,
/// [`Refusal::NotEnoughItems`] (item `gem:<id>`) when a gem is not a free gem of the player
/// (gone, socketed, someone else's, or listed twice), [`Refusal::Forge`] when the rules refuse.
pub async fn forge_gems<F>(
    storage: &Storage,
    user: UserId,
    guild: Option<GuildId>,
    groups: &[Vec<i64>],
    now: DateTime<Utc>,
    mut roll: F,
) -> Result<Forged>
where
    F: FnMut(&[GemDrop], Chrons) -> std::result::Result<ForgeOutcome, ForgeError>,
{
    if groups.is_empty() || groups.iter().any(Vec::is_empty) {
        return Err(StorageError::Refused(Refusal::InvalidAmount(0)));
    }
    transaction!(storage, |tx| {
        let mut balance = Chrons::new(users::lock(tx, user).await?);
        let mut forges = Vec::with_capacity(groups.len());
        let mut cost = Chrons::ZERO;
        let mut seen = std::collections::HashSet::new();
        for group in groups {
            let mut inputs = Vec::with_capacity(group.len());
            for id in group {
                let gem = if seen.insert(*id) {
                    lock_free_gem(tx, user, *id).await?
                } else {
                    None
                };
                inputs.push(gem.ok_or_else(|| {
                    StorageError::Refused(Refusal::NotEnoughItems {
                        item: format!("gem:{id}"),
                        needed: 1,
                        available: 0,
                    })
                })?);
            }
            let drops: Vec<GemDrop> = inputs.iter().map(gem_drop).collect::<Result<_>>()?;
            let outcome = roll(&drops, balance).map_err(|e| StorageError::Refused(e.into()))?;
            for g in inputs.iter().take(outcome.gems_consumed as usize) {
                tx_run!(tx, |conn| {
                    sqlx::query("DELETE FROM gems WHERE id = $1")
                        .bind(g.id)
                        .execute(&mut *conn)
                        .await?;
                });
                let used = Move::row(ItemKind::Gem, g.id, &g.gem_type, Some(user), None, "forge");
                trail::record(tx, &used, now).await?;
            }
            let forged_id = match &outcome.forged {
                Some(g) => {
                    let id = inventory::add_gem(tx, user, g, now).await?;
                    let made = Move::row(ItemKind::Gem, id, &g.gem_type, None, Some(user), "forge");
                    trail::record(tx, &made, now).await?;
                    Some(id)
                }
                None => None,
            };
            balance = balance
                .checked_sub(outcome.cost)
                .ok_or(StorageError::Refused(Refusal::Overflow))?;
            cost = cost
                .checked_add(outcome.cost)
                .ok_or(StorageError::Refused(Refusal::Overflow))?;
            forges.push(ForgeResult {
                outcome,
                inputs,
                forged_id,
            });
        }
        let balance_after = if cost.is_positive() {
            let mut memo = Memo::new(format!("forged {} time(s)", forges.len()))
                .kind("forge")
                .at(now);
            memo.guild_id = guild;
            let neg = cost
                .checked_neg()
                .ok_or(StorageError::Refused(Refusal::Overflow))?;
            economy::apply(tx, user, neg, &memo).await?.balance_after()
        } else {
            balance
        };
        Ok(Forged {
            forges,
            cost,
            balance_after,
        })
    })
}

fn gem_drop(g: &Gem) -> Result<GemDrop> {
    Ok(GemDrop {
        gem_type: g.gem_type.clone(),
        rarity: Rarity::from_name(&g.rarity).ok_or_else(|| {
            StorageError::Corrupt(format!("gem {} has rarity {:?}", g.id, g.rarity))
        })?,
        power: u32::try_from(g.power).unwrap_or(0),
    })
}

async fn lock_free_gem(tx: &mut Tx, user: UserId, id: i64) -> Result<Option<Gem>> {
    tx_run!(tx, |conn, d| {
        let sql = format!(
            "SELECT {} FROM gems WHERE id = $1 AND owner_id = $2 AND weapon_id IS NULL{}",
            inventory::GEM_COLUMNS,
            d.for_update()
        );
        Ok(sqlx::query_as::<_, Gem>(&sql)
            .bind(id)
            .bind(user.to_db())
            .fetch_optional(&mut *conn)
            .await?)
    })
}
