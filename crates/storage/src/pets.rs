//! Pets (rows of `pets`): adopting a caught creature, renaming, training, feeding, evolving,
//! prestige, release and the active team; the rules are `chronix_core::pets`.
//!
//! Every change is ONE transaction that locks the owner's `users` row first, then the pet row
//! (`FOR UPDATE` on Postgres; SQLite write transactions hold the database lock), in the same
//! order as the autohunt batch (players, then their pets), so they never deadlock with it.
//! Items (the adopted creature, pet food, evolution materials, what a release leaves) move
//! through [`crate::inventory`] and Chrons through the ledger ([`economy::apply`]) in that same
//! transaction. A refusal ([`PetRefusal`]) changes nothing.
//!
//! Architecture invariant: a player never has more than `team_size` active pets: activating
//! counts the active pets under the owner's row lock (two activations at once: one waits for
//! the other and then sees its pet).

use chronix_core::economy::Chrons;
use chronix_core::ids::{GuildId, UserId};
use chronix_core::pets::{self as rules, PetError, PetRules, PetState, Training};
use chronix_core::tables::{Creature, Tables};
use chrono::{DateTime, Utc};
use rand::Rng;

use crate::economy::{self, Memo};
use crate::trail::{self, ItemKind, Move};
use crate::{Refusal, Result, Storage, StorageError, Tx, inventory, users};

/// Why a pet action was refused (nothing changed).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PetRefusal {
    /// No pet with that id.
    #[error("no pet #{0}")]
    Unknown(i64),
    /// The pet belongs to someone else.
    #[error("pet #{0} is not yours")]
    NotYours(i64),
    /// The team already has `size` pets.
    #[error("the team is full ({size} pets)")]
    TeamFull {
        /// The team size.
        size: u32,
    },
    /// The player owns the most pets already.
    #[error("you have the most pets ({max})")]
    TooManyPets {
        /// The most pets.
        max: u32,
    },
    /// No such food in the inventory.
    #[error("no {item} left")]
    NoFood {
        /// The food's item key.
        item: String,
    },
    /// No such creature in the inventory to adopt.
    #[error("no {creature} to adopt")]
    NoCreature {
        /// The creature id.
        creature: String,
    },
    /// A rule of `chronix_core::pets` (tired, resting, level cap…).
    #[error(transparent)]
    Rule(#[from] PetError),
}

impl From<PetRefusal> for StorageError {
    fn from(r: PetRefusal) -> Self {
        StorageError::Refused(Refusal::Pet(r))
    }
}

impl From<PetError> for StorageError {
    fn from(e: PetError) -> Self {
        PetRefusal::Rule(e).into()
    }
}

/// A row of `pets`.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct Pet {
    /// Row id (what players type: `pet info 12`).
    pub id: i64,
    /// Owner.
    #[sqlx(try_from = "i64")]
    pub owner_id: UserId,
    /// Creature id.
    pub pet_type: String,
    /// Name.
    pub name: String,
    /// Tier (`"common"` …).
    pub rarity: String,
    /// Level.
    pub level: i32,
    /// XP into the level.
    pub xp: i64,
    /// Stamina.
    pub stamina: i32,
    /// Affinity multiplier (1.0 = ×1).
    pub affinity: f64,
    /// In the active team.
    pub active: bool,
    /// Prestiges.
    pub prestige: i32,
    /// Evolution stage.
    pub stage: i32,
    /// Last training.
    pub trained_at: Option<DateTime<Utc>>,
    /// When it joined the team (while active).
    pub team_since: Option<DateTime<Utc>>,
    /// When it was adopted.
    pub created_at: DateTime<Utc>,
}

impl Pet {
    /// The pet's state for the core rules.
    pub fn state(&self) -> PetState {
        PetState {
            level: u32::try_from(self.level).unwrap_or(1).max(1),
            xp: u64::try_from(self.xp).unwrap_or(0),
            stamina: u32::try_from(self.stamina).unwrap_or(0),
            affinity: affinity_hundredths(self.affinity),
            stage: u32::try_from(self.stage).unwrap_or(0),
            prestige: u32::try_from(self.prestige).unwrap_or(0),
        }
    }
}

fn affinity_hundredths(a: f64) -> u32 {
    (a * 100.0).round().clamp(1.0, 100_000.0) as u32
}

fn affinity_db(h: u32) -> f64 {
    f64::from(h) / 100.0
}

const COLUMNS: &str = "id, owner_id, pet_type, name, rarity, level, xp, stamina, affinity, \
                       active, prestige, stage, trained_at, team_since, created_at";

/// A player's pets: the team first (in the order they joined it), then by level, newest first.
pub async fn list(storage: &Storage, owner: UserId) -> Result<Vec<Pet>> {
    let sql = format!(
        "SELECT {COLUMNS} FROM pets WHERE owner_id = $1 \
         ORDER BY active DESC, team_since, level DESC, id DESC"
    );
    conn_run!(storage, |conn| {
        Ok(sqlx::query_as::<_, Pet>(&sql)
            .bind(owner.to_db())
            .fetch_all(&mut *conn)
            .await?)
    })
}

/// The active team of a player, in the order the pets joined it.
pub async fn team(storage: &Storage, owner: UserId) -> Result<Vec<Pet>> {
    let sql = format!(
        "SELECT {COLUMNS} FROM pets WHERE owner_id = $1 AND active ORDER BY team_since, id"
    );
    conn_run!(storage, |conn| {
        Ok(sqlx::query_as::<_, Pet>(&sql)
            .bind(owner.to_db())
            .fetch_all(&mut *conn)
            .await?)
    })
}

/// One pet by id (whoever owns it).
pub async fn get(storage: &Storage, id: i64) -> Result<Option<Pet>> {
    let sql = format!("SELECT {COLUMNS} FROM pets WHERE id = $1");
    conn_run!(storage, |conn| {
        Ok(sqlx::query_as::<_, Pet>(&sql)
            .bind(id)
            .fetch_optional(&mut *conn)
            .await?)
    })
}

/// Locks the owner, then the pet; refuses an unknown pet or someone else's.
async fn lock_own(tx: &mut Tx, owner: UserId, id: i64) -> Result<Pet> {
    users::lock(tx, owner).await?;
    let pet: Option<Pet> = tx_run!(tx, |conn, d| {
        let sql = format!("SELECT {COLUMNS} FROM pets WHERE id = $1{}", d.for_update());
        sqlx::query_as::<_, Pet>(&sql)
            .bind(id)
            .fetch_optional(&mut *conn)
            .await?
    });
    let pet = pet.ok_or(PetRefusal::Unknown(id))?;
    if pet.owner_id != owner {
        return Err(PetRefusal::NotYours(id).into());
    }
    Ok(pet)
}

/// Writes a pet's state (and `trained_at` when given) inside `tx`.
async fn write_state(
    tx: &mut Tx,
    id: i64,
    s: &PetState,
    trained_at: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
) -> Result<()> {
    let i = |v: u32| i32::try_from(v).map_err(|_| StorageError::Refused(Refusal::Overflow));
    let (level, stamina, stage, prestige) =
        (i(s.level)?, i(s.stamina)?, i(s.stage)?, i(s.prestige)?);
    let xp = i64::try_from(s.xp).map_err(|_| StorageError::Refused(Refusal::Overflow))?;
    tx_run!(tx, |conn| {
        sqlx::query(
            "UPDATE pets SET level = $1, xp = $2, stamina = $3, affinity = $4, stage = $5, \
             prestige = $6, trained_at = COALESCE($7, trained_at), updated_at = $8 WHERE id = $9",
        )
        .bind(level)
        .bind(xp)
        .bind(stamina)
        .bind(affinity_db(s.affinity))
        .bind(stage)
        .bind(prestige)
        .bind(trained_at)
        .bind(now)
        .bind(id)
        .execute(&mut *conn)
        .await?;
    });
    Ok(())
}

async fn fetch_in(tx: &mut Tx, id: i64) -> Result<Pet> {
    let sql = format!("SELECT {COLUMNS} FROM pets WHERE id = $1");
    tx_run!(tx, |conn| {
        Ok(sqlx::query_as::<_, Pet>(&sql)
            .bind(id)
            .fetch_one(&mut *conn)
            .await?)
    })
}

/// Creates a pet of `creature` for `owner` inside `tx` (the owner's row must be locked by the
/// caller when the pet count matters): refuses past `max_pets`. Returns the new pet.
pub async fn insert_in(
    tx: &mut Tx,
    owner: UserId,
    creature: &Creature,
    name: &str,
    rules: &PetRules,
    now: DateTime<Utc>,
) -> Result<Pet> {
    let (n,): (i64,) = tx_run!(tx, |conn| {
        sqlx::query_as("SELECT COUNT(*) FROM pets WHERE owner_id = $1")
            .bind(owner.to_db())
            .fetch_one(&mut *conn)
            .await?
    });
    if n >= i64::from(rules.max_pets) {
        return Err(PetRefusal::TooManyPets {
            max: rules.max_pets,
        }
        .into());
    }
    let s = rules.new_pet();
    let (id,): (i64,) = tx_run!(tx, |conn| {
        sqlx::query_as(
            "INSERT INTO pets (owner_id, pet_type, name, rarity, level, xp, stamina, affinity, \
             active, prestige, stage, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, 1, 0, $5, $6, FALSE, 0, 0, $7, $7) RETURNING id",
        )
        .bind(owner.to_db())
        .bind(&creature.id)
        .bind(name)
        .bind(creature.rarity.as_str())
        .bind(i32::try_from(s.stamina).unwrap_or(i32::MAX))
        .bind(affinity_db(s.affinity))
        .bind(now)
        .fetch_one(&mut *conn)
        .await?
    });
    fetch_in(tx, id).await
}

/// Creates the pet of a [`chronix_core::items::Loot::Pet`] (a creature that came out of a crate
/// as a pet) inside `tx`: named after the creature (`item_definitions`), fresh (level 1, full
/// stamina, affinity ×1: the column defaults, as `pets.yaml` ships). The caller keeps the count
/// under `max_pets` (the crate opening hatches pets only while there is room). Returns its id.
pub async fn insert_loot_in(
    tx: &mut Tx,
    owner: UserId,
    creature: &chronix_core::items::CreatureDrop,
    now: DateTime<Utc>,
) -> Result<i64> {
    users::ensure(tx, owner).await?;
    let row: Option<(i64,)> = tx_run!(tx, |conn| {
        sqlx::query_as(
            "INSERT INTO pets (owner_id, pet_type, name, rarity, created_at, updated_at) \
             SELECT $1, d.id, d.name, $3, $4, $4 FROM item_definitions d \
             WHERE d.id = $2 AND d.item_type = 'creature' RETURNING id",
        )
        .bind(owner.to_db())
        .bind(&creature.id)
        .bind(creature.rarity.as_str())
        .bind(now)
        .fetch_optional(&mut *conn)
        .await?
    });
    row.map(|r| r.0)
        .ok_or_else(|| StorageError::NotFound(crate::Missing::ItemDefinition(creature.id.clone())))
}

/// Adopts one caught `creature` (a stack of `user_items`) as a pet named `name` (the creature's
/// name when `None`): the creature leaves the inventory and the pet appears, in one transaction.
pub async fn adopt(
    storage: &Storage,
    owner: UserId,
    creature: &Creature,
    name: Option<&str>,
    rules: &PetRules,
    now: DateTime<Utc>,
) -> Result<Pet> {
    let name = match name {
        Some(n) => rules::validate_name(n)?,
        None => creature.name.clone(),
    };
    transaction!(storage, |tx| {
        users::lock(tx, owner).await?;
        match inventory::remove(tx, owner, &creature.id, 1, now).await {
            Err(StorageError::Refused(Refusal::NotEnoughItems { .. })) => {
                return Err(PetRefusal::NoCreature {
                    creature: creature.id.clone(),
                }
                .into());
            }
            other => other?,
        };
        let pet = insert_in(tx, owner, creature, &name, rules, now).await?;
        // The trail: the creature leaves the stack, the pet comes in.
        let moves = [
            Move::stack(&creature.id, 1, Some(owner), None, "adopt"),
            Move::row(
                ItemKind::Pet,
                pet.id,
                &creature.id,
                None,
                Some(owner),
                "adopt",
            ),
        ];
        trail::record_many(tx, &moves, now).await?;
        Ok(pet)
    })
}

/// Renames a pet (the name is checked by [`rules::validate_name`]).
pub async fn rename(
    storage: &Storage,
    owner: UserId,
    id: i64,
    name: &str,
    now: DateTime<Utc>,
) -> Result<Pet> {
    let name = rules::validate_name(name)?;
    transaction!(storage, |tx| {
        lock_own(tx, owner, id).await?;
        tx_run!(tx, |conn| {
            sqlx::query("UPDATE pets SET name = $1, updated_at = $2 WHERE id = $3")
                .bind(&name)
                .bind(now)
                .bind(id)
                .execute(&mut *conn)
                .await?;
        });
        fetch_in(tx, id).await
    })
}

/// Trains a pet at `now` (cooldown, stamina, XP, affinity; see [`rules::train`]). Returns the
/// pet after and what the training did.
pub async fn train(
    storage: &Storage,
    owner: UserId,
    id: i64,
    rules: &PetRules,
    tables: &Tables,
    now: DateTime<Utc>,
    rng: &mut (impl Rng + Send),
) -> Result<(Pet, Training)> {
    transaction!(storage, |tx| {
        let pet = lock_own(tx, owner, id).await?;
        let effects = tables
            .creature(&pet.pet_type)
            .map(|c| rules.effects_of(c))
            .unwrap_or_default();
        let mut s = pet.state();
        let t = rules::train(rules, &effects, &mut s, pet.trained_at, now, rng)?;
        write_state(tx, id, &s, Some(now), now).await?;
        Ok((fetch_in(tx, id).await?, t))
    })
}

/// Feeds a pet one `food` (a `user_items` key of kind food restoring `restore` stamina): the
/// food leaves the inventory and the stamina rises, in one transaction. Refused (nothing
/// consumed) when the pet's stamina is full or the player has none of that food.
pub async fn feed(
    storage: &Storage,
    owner: UserId,
    id: i64,
    food: &str,
    restore: u32,
    rules: &PetRules,
    now: DateTime<Utc>,
) -> Result<(Pet, u32)> {
    transaction!(storage, |tx| {
        let pet = lock_own(tx, owner, id).await?;
        let mut s = pet.state();
        let gained = rules::feed(rules, &mut s, restore)?;
        match inventory::remove(tx, owner, food, 1, now).await {
            Err(StorageError::Refused(Refusal::NotEnoughItems { .. })) => {
                return Err(PetRefusal::NoFood {
                    item: food.to_string(),
                }
                .into());
            }
            other => other?,
        };
        write_state(tx, id, &s, None, now).await?;
        Ok((fetch_in(tx, id).await?, gained))
    })
}

/// Evolves a pet to its next stage: the level is checked, the items and Chrons of the stage are
/// taken (ledger kind `"pet"`), in one transaction.
pub async fn evolve(
    storage: &Storage,
    owner: UserId,
    id: i64,
    rules: &PetRules,
    guild: Option<GuildId>,
    now: DateTime<Utc>,
) -> Result<Pet> {
    transaction!(storage, |tx| {
        let pet = lock_own(tx, owner, id).await?;
        let mut s = pet.state();
        let cost = rules::evolve(rules, &mut s)?;
        for (item, n) in &cost.items {
            inventory::remove(tx, owner, item, *n, now).await?;
        }
        if cost.chrons > Chrons::ZERO {
            let mut memo = Memo::new(format!("pet evolve #{id}")).kind("pet").at(now);
            if let Some(g) = guild {
                memo = memo.guild(g);
            }
            economy::apply(tx, owner, -cost.chrons, &memo).await?;
        }
        write_state(tx, id, &s, None, now).await?;
        fetch_in(tx, id).await
    })
}

/// Prestiges a pet (see [`rules::prestige`]).
pub async fn prestige(
    storage: &Storage,
    owner: UserId,
    id: i64,
    rules: &PetRules,
    now: DateTime<Utc>,
) -> Result<Pet> {
    transaction!(storage, |tx| {
        let pet = lock_own(tx, owner, id).await?;
        let mut s = pet.state();
        rules::prestige(rules, &mut s)?;
        write_state(tx, id, &s, None, now).await?;
        fetch_in(tx, id).await
    })
}

/// Releases a pet: it is deleted and leaves its release reward (`rules.release`) in the owner's
/// inventory, in one transaction. Returns the pet as it was and the items given.
pub async fn release(
    storage: &Storage,
    owner: UserId,
    id: i64,
    rules: &PetRules,
    now: DateTime<Utc>,
) -> Result<(Pet, (String, i64))> {
    transaction!(storage, |tx| {
        let pet = lock_own(tx, owner, id).await?;
        tx_run!(tx, |conn| {
            sqlx::query("DELETE FROM pets WHERE id = $1")
                .bind(id)
                .execute(&mut *conn)
                .await?;
        });
        let rarity = chronix_core::tables::Rarity::from_name(&pet.rarity)
            .unwrap_or(chronix_core::tables::Rarity::Common);
        let reward = rules.release_reward(rarity);
        let mut moves = vec![Move::row(
            ItemKind::Pet,
            id,
            &pet.pet_type,
            Some(owner),
            None,
            "release",
        )];
        if reward.1 > 0 {
            inventory::add(tx, owner, &reward.0, reward.1, now).await?;
            moves.push(Move::stack(
                &reward.0,
                reward.1,
                None,
                Some(owner),
                "release",
            ));
        }
        trail::record_many(tx, &moves, now).await?;
        Ok((pet, reward))
    })
}

/// Puts a pet in the active team (`active = true`) or takes it out. Joining a full team is
/// refused with [`PetRefusal::TeamFull`]; the count is taken under the owner's row lock.
pub async fn set_active(
    storage: &Storage,
    owner: UserId,
    id: i64,
    active: bool,
    team_size: u32,
    now: DateTime<Utc>,
) -> Result<Pet> {
    transaction!(storage, |tx| {
        let pet = lock_own(tx, owner, id).await?;
        if pet.active == active {
            return Ok(pet);
        }
        if active {
            let (n,): (i64,) = tx_run!(tx, |conn| {
                sqlx::query_as("SELECT COUNT(*) FROM pets WHERE owner_id = $1 AND active")
                    .bind(owner.to_db())
                    .fetch_one(&mut *conn)
                    .await?
            });
            if n >= i64::from(team_size) {
                return Err(PetRefusal::TeamFull { size: team_size }.into());
            }
        }
        let since = active.then_some(now);
        tx_run!(tx, |conn| {
            sqlx::query(
                "UPDATE pets SET active = $1, team_since = $2, updated_at = $3 WHERE id = $4",
            )
            .bind(active)
            .bind(since)
            .bind(now)
            .bind(id)
            .execute(&mut *conn)
            .await?;
        });
        fetch_in(tx, id).await
    })
}

/// One pet's share of autohunt runs in a batch, computed by the autohunt batch and written by
/// [`apply_autohunt_in`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PetUpdate {
    /// Pet id.
    pub id: i64,
    /// State after.
    pub state: PetState,
}

/// The active pets of `owners` (locked by the caller through their `users` rows), inside `tx`,
/// ordered by owner, then team order.
pub async fn active_of_in(tx: &mut Tx, owners: &[UserId]) -> Result<Vec<Pet>> {
    if owners.is_empty() {
        return Ok(Vec::new());
    }
    match tx.inner_mut() {
        crate::TxInner::Pg(t) => {
            let conn: &mut sqlx::PgConnection = t;
            let ids: Vec<i64> = owners.iter().map(|o| o.to_db()).collect();
            let sql = format!(
                "SELECT {COLUMNS} FROM pets WHERE owner_id = ANY($1) AND active \
                 ORDER BY owner_id, team_since, id"
            );
            Ok(sqlx::query_as::<_, Pet>(&sql)
                .bind(&ids)
                .fetch_all(&mut *conn)
                .await?)
        }
        crate::TxInner::Sqlite(t) => {
            let conn: &mut sqlx::SqliteConnection = t;
            let mut out = Vec::new();
            let sql = format!(
                "SELECT {COLUMNS} FROM pets WHERE owner_id = $1 AND active ORDER BY team_since, id"
            );
            for o in owners {
                out.extend(
                    sqlx::query_as::<_, Pet>(&sql)
                        .bind(o.to_db())
                        .fetch_all(&mut *conn)
                        .await?,
                );
            }
            Ok(out)
        }
    }
}

/// Writes the pets' states of an autohunt batch inside `tx`: one `UPDATE … FROM UNNEST` on
/// Postgres, row by row on SQLite.
pub async fn apply_autohunt_in(
    tx: &mut Tx,
    updates: &[PetUpdate],
    now: DateTime<Utc>,
) -> Result<()> {
    if updates.is_empty() {
        return Ok(());
    }
    match tx.inner_mut() {
        crate::TxInner::Pg(t) => {
            let conn: &mut sqlx::PgConnection = t;
            let ids: Vec<i64> = updates.iter().map(|u| u.id).collect();
            let levels: Vec<i32> = updates.iter().map(|u| u.state.level as i32).collect();
            let xps: Vec<i64> = updates.iter().map(|u| u.state.xp as i64).collect();
            let stamina: Vec<i32> = updates.iter().map(|u| u.state.stamina as i32).collect();
            sqlx::query(
                "UPDATE pets SET level = u.level, xp = u.xp, stamina = u.stamina, updated_at = $5 \
                 FROM UNNEST($1::BIGINT[], $2::INT[], $3::BIGINT[], $4::INT[]) \
                 AS u(id, level, xp, stamina) WHERE pets.id = u.id",
            )
            .bind(&ids)
            .bind(&levels)
            .bind(&xps)
            .bind(&stamina)
            .bind(now)
            .execute(&mut *conn)
            .await?;
            Ok(())
        }
        crate::TxInner::Sqlite(_) => {
            for u in updates {
                write_state(tx, u.id, &u.state, None, now).await?;
            }
            Ok(())
        }
    }
}
