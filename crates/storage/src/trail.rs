//! The item trail: one `item_trail` row per movement of an item (a weapon, a gem or a quantity
//! of a stack), recorded in the same transaction as the movement, so an item's history can be
//! read back and the conservation of items checked (what came into the game minus what left it
//! equals what players own).
//!
//! `from` is `None` when the item comes from the game (loot, a forge), `to` is `None` when it
//! leaves it (scrapped, consumed, sold to the shop). A gem moving into or out of a weapon keeps
//! its owner (`from == to`) and names the weapon.

use chronix_core::ids::UserId;
use chrono::{DateTime, Utc};

use crate::{Result, Storage, Tx};

/// What moved.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ItemKind {
    /// A `weapons` row.
    Weapon,
    /// A `gems` row.
    Gem,
    /// A quantity of a `user_items` stack.
    Stack,
    /// A `pets` row (hatched from a crate, adopted, released).
    Pet,
}

impl ItemKind {
    /// As stored.
    pub fn as_str(self) -> &'static str {
        match self {
            ItemKind::Weapon => "weapon",
            ItemKind::Gem => "gem",
            ItemKind::Stack => "stack",
            ItemKind::Pet => "pet",
        }
    }

    fn from_str(s: &str) -> Option<ItemKind> {
        match s {
            "weapon" => Some(ItemKind::Weapon),
            "gem" => Some(ItemKind::Gem),
            "stack" => Some(ItemKind::Stack),
            "pet" => Some(ItemKind::Pet),
            _ => None,
        }
    }
}

/// One movement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Move {
    /// What moved.
    pub kind: ItemKind,
    /// The row id of a weapon or gem (`None` for a stack).
    pub item_id: Option<i64>,
    /// The stack key, gem type or weapon type.
    pub item_key: String,
    /// How many (1 for a weapon or a gem).
    pub quantity: i64,
    /// Who gave it (`None`: the game).
    pub from: Option<UserId>,
    /// Who got it (`None`: it left the game).
    pub to: Option<UserId>,
    /// Why: `loot`, `forge`, `scrap`, `enhance`, `empower`, `unsocket`, `trade`, `market`…
    pub action: String,
    /// The weapon a gem went into or out of.
    pub weapon_id: Option<i64>,
}

impl Move {
    /// A movement of `quantity` of `item_key` (a stack) for `action`.
    pub fn stack(
        key: &str,
        quantity: i64,
        from: Option<UserId>,
        to: Option<UserId>,
        action: &str,
    ) -> Move {
        Move {
            kind: ItemKind::Stack,
            item_id: None,
            item_key: key.to_owned(),
            quantity,
            from,
            to,
            action: action.to_owned(),
            weapon_id: None,
        }
    }

    /// A movement of one weapon or gem row.
    pub fn row(
        kind: ItemKind,
        id: i64,
        key: &str,
        from: Option<UserId>,
        to: Option<UserId>,
        action: &str,
    ) -> Move {
        Move {
            kind,
            item_id: Some(id),
            item_key: key.to_owned(),
            quantity: 1,
            from,
            to,
            action: action.to_owned(),
            weapon_id: None,
        }
    }

    /// The same, naming the weapon a gem went into or out of.
    pub fn in_weapon(mut self, weapon: i64) -> Move {
        self.weapon_id = Some(weapon);
        self
    }
}

/// Records `m` inside `tx` (the transaction that moves the item).
pub async fn record(tx: &mut Tx, m: &Move, now: DateTime<Utc>) -> Result<()> {
    tx_run!(tx, |conn| {
        sqlx::query(
            "INSERT INTO item_trail (item_kind, item_id, item_key, quantity, from_user, to_user, \
             action, weapon_id, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        )
        .bind(m.kind.as_str())
        .bind(m.item_id)
        .bind(&m.item_key)
        .bind(m.quantity)
        .bind(m.from.map(UserId::to_db))
        .bind(m.to.map(UserId::to_db))
        .bind(&m.action)
        .bind(m.weapon_id)
        .bind(now)
        .execute(&mut *conn)
        .await?;
    });
    Ok(())
}

/// Records many movements inside `tx`: ONE multi-row `INSERT … SELECT FROM UNNEST` on
/// PostgreSQL (batch jobs such as autohunt stay set-based), row by row on SQLite.
pub async fn record_many(tx: &mut Tx, moves: &[Move], now: DateTime<Utc>) -> Result<()> {
    if moves.is_empty() {
        return Ok(());
    }
    match tx.inner_mut() {
        crate::TxInner::Pg(t) => {
            let conn: &mut sqlx::PgConnection = t;
            let kinds: Vec<&str> = moves.iter().map(|m| m.kind.as_str()).collect();
            let ids: Vec<Option<i64>> = moves.iter().map(|m| m.item_id).collect();
            let keys: Vec<&str> = moves.iter().map(|m| m.item_key.as_str()).collect();
            let qtys: Vec<i64> = moves.iter().map(|m| m.quantity).collect();
            let froms: Vec<Option<i64>> = moves.iter().map(|m| m.from.map(UserId::to_db)).collect();
            let tos: Vec<Option<i64>> = moves.iter().map(|m| m.to.map(UserId::to_db)).collect();
            let actions: Vec<&str> = moves.iter().map(|m| m.action.as_str()).collect();
            let weapons: Vec<Option<i64>> = moves.iter().map(|m| m.weapon_id).collect();
            sqlx::query(
                "INSERT INTO item_trail (item_kind, item_id, item_key, quantity, from_user, \
                 to_user, action, weapon_id, created_at) \
                 SELECT k, i, key, q, f, t, a, w, $9 FROM UNNEST($1::TEXT[], $2::BIGINT[], \
                 $3::TEXT[], $4::BIGINT[], $5::BIGINT[], $6::BIGINT[], $7::TEXT[], $8::BIGINT[]) \
                 AS u(k, i, key, q, f, t, a, w)",
            )
            .bind(&kinds)
            .bind(&ids)
            .bind(&keys)
            .bind(&qtys)
            .bind(&froms)
            .bind(&tos)
            .bind(&actions)
            .bind(&weapons)
            .bind(now)
            .execute(&mut *conn)
            .await?;
        }
        crate::TxInner::Sqlite(_) => {
            for m in moves {
                record(tx, m, now).await?;
            }
        }
    }
    Ok(())
}

type Row = (
    String,
    Option<i64>,
    String,
    i64,
    Option<i64>,
    Option<i64>,
    String,
    Option<i64>,
);

fn from_row(r: Row) -> Option<Move> {
    Some(Move {
        kind: ItemKind::from_str(&r.0)?,
        item_id: r.1,
        item_key: r.2,
        quantity: r.3,
        from: r.4.map(UserId::from_db),
        to: r.5.map(UserId::from_db),
        action: r.6,
        weapon_id: r.7,
    })
}

const COLUMNS: &str =
    "item_kind, item_id, item_key, quantity, from_user, to_user, action, weapon_id";

/// The movements of one weapon or gem, oldest first.
pub async fn of_item(storage: &Storage, kind: ItemKind, id: i64) -> Result<Vec<Move>> {
    let rows: Vec<Row> = conn_run!(storage, |conn| {
        sqlx::query_as(&format!(
            "SELECT {COLUMNS} FROM item_trail WHERE item_kind = $1 AND item_id = $2 ORDER BY id"
        ))
        .bind(kind.as_str())
        .bind(id)
        .fetch_all(&mut *conn)
        .await?
    });
    Ok(rows.into_iter().filter_map(from_row).collect())
}

/// Every movement, oldest first (tests and audits).
pub async fn all(storage: &Storage) -> Result<Vec<Move>> {
    let rows: Vec<Row> = conn_run!(storage, |conn| {
        sqlx::query_as(&format!("SELECT {COLUMNS} FROM item_trail ORDER BY id"))
            .fetch_all(&mut *conn)
            .await?
    });
    Ok(rows.into_iter().filter_map(from_row).collect())
}
