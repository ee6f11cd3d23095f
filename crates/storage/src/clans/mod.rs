//! Clans 🛡️ (rows of `clans`, `clan_members`, `clan_invites`, `clan_ledger`, `clan_perks`,
//! `clan_wars`, `clan_war_matches`); the rules are `chronix_core::clans`.
//!
//! Every change is ONE transaction. Lock order: the clan row first (`FOR UPDATE` on Postgres;
//! SQLite write transactions hold the database lock), then users in ascending id order (through
//! [`economy::apply`]), so two clan actions never deadlock.
//!
//! Architecture invariant: the treasury moves only through the clan ledger ([`log_in`], the one
//! writer of `clans.treasury` and `clans.bp`): each move writes a `clan_ledger` row with
//! `treasury_after`, and the Chrons' other side is a normal ledger row of the user
//! ([`economy::apply`]) in the same transaction, so the sum of a clan's `change` is always its
//! treasury ([`reconcile`]). A withdrawal checks the treasury under the clan's row lock: two
//! withdrawals at once never overdraw it (the second waits and then sees the first).
//!
//! Wars: a battle win is credited to the winner's clan of the moment in the battle's final
//! transaction ([`credit_win`], a `clan_war_points` row); [`settle_war`] scores the week from
//! those rows and inserts the week's `clan_wars` row first (`week_end` is unique): of two
//! workers settling the same week, exactly one pays.
//!
//! Files: this one (the rows, the clan ledger [`log_in`], the locks and the reads),
//! `membership` (invites, requests, roles, leaving, disbanding), `treasury` (deposits,
//! withdrawals, perks, the war channel, [`reconcile`]) and `wars` ([`credit_win`],
//! [`settle_war`]).

use std::collections::HashMap;

use chronix_core::clans::{self as rules, ClanRules, Perk, PerkLevels, Role};
use chronix_core::economy::Chrons;
use chronix_core::ids::{ChannelId, GuildId, UserId};
use chrono::{DateTime, Utc};

use crate::economy::{self, Memo};
use crate::{Refusal, Result, Storage, StorageError, Tx, users};

mod membership;
mod treasury;
mod wars;

pub use membership::{
    Disbanded, Joined, decide_request, disband, invite, join, kick, leave, requests, set_officer,
    transfer,
};
pub use treasury::{
    ClanMismatch, TreasuryMove, buy_perk, deposit, reconcile, set_channel, withdraw,
};
#[cfg(feature = "testing")]
pub use wars::insert_finished_battle;
pub use wars::{WAR_BATTLE_TYPES, WarLine, WarReport, WarResult, credit_win, settle_war};

/// Why a clan action was refused (nothing changed).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ClanRefusal {
    /// The player is in no clan.
    #[error("you are not in a clan")]
    NotInClan,
    /// The player is in a clan already.
    #[error("you are already in a clan")]
    AlreadyInClan,
    /// The target player is in a clan already.
    #[error("{0} is already in a clan")]
    TargetInAClan(UserId),
    /// The target player is not in the caller's clan.
    #[error("{0} is not in your clan")]
    TargetNotInClan(UserId),
    /// The action needs manage_clan (owner or officer).
    #[error("you need manage_clan (owner or officer)")]
    NotManager,
    /// The action is the owner's.
    #[error("only the owner can do that")]
    NotOwner,
    /// The name is taken.
    #[error("the name {0} is taken")]
    NameTaken(String),
    /// The name is invalid.
    #[error(transparent)]
    BadName(#[from] rules::NameProblem),
    /// No clan by that name.
    #[error("no clan named {0}")]
    NoSuchClan(String),
    /// The clan is full.
    #[error("the clan is full ({max} members)")]
    Full {
        /// Most members.
        max: u32,
    },
    /// The owner must transfer or disband first.
    #[error("the owner cannot leave")]
    OwnerCannotLeave,
    /// The caller does not outrank the target (kick, demote an officer…).
    #[error("you cannot do that to {0}")]
    Outranked(UserId),
    /// Acting on yourself (kick, promote, transfer).
    #[error("not on yourself")]
    Yourself,
    /// The target already has that role.
    #[error("{user} is already {role:?}")]
    SameRole {
        /// The target.
        user: UserId,
        /// Their role.
        role: Role,
    },
    /// Already invited or already asked.
    #[error("already pending")]
    AlreadyPending,
    /// No pending request of that player.
    #[error("no request from {0}")]
    NoRequest(UserId),
    /// Not enough BP.
    #[error("not enough BP: needed {needed}, available {available}")]
    NotEnoughBp {
        /// BP needed.
        needed: i64,
        /// BP the clan has.
        available: i64,
    },
    /// The perk is at its top level.
    #[error("{perk:?} is at its top level ({max})")]
    PerkMaxed {
        /// The perk.
        perk: Perk,
        /// Its top level.
        max: u32,
    },
    /// A withdrawal larger than the treasury.
    #[error("the treasury has {available}, not {needed}")]
    TreasuryTooSmall {
        /// Asked for.
        needed: Chrons,
        /// In the treasury.
        available: Chrons,
    },
}

fn refused<T>(r: ClanRefusal) -> Result<T> {
    Err(StorageError::Refused(Refusal::Clan(r)))
}

/// A clan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Clan {
    /// Id.
    pub id: i64,
    /// Name.
    pub name: String,
    /// Owner.
    pub owner: UserId,
    /// Treasury.
    pub treasury: Chrons,
    /// BP.
    pub bp: i64,
    /// Where it was created.
    pub guild: Option<GuildId>,
    /// Where its war results go.
    pub channel: Option<ChannelId>,
    /// Wars won.
    pub war_wins: i64,
    /// Wars lost.
    pub war_losses: i64,
    /// Members.
    pub members: i64,
    /// Created.
    pub created_at: DateTime<Utc>,
}

#[derive(sqlx::FromRow)]
struct ClanRow {
    id: i64,
    name: String,
    owner_id: i64,
    treasury: i64,
    bp: i64,
    guild_id: Option<i64>,
    channel_id: Option<i64>,
    war_wins: i64,
    war_losses: i64,
    members: i64,
    created_at: DateTime<Utc>,
}

impl From<ClanRow> for Clan {
    fn from(r: ClanRow) -> Self {
        Clan {
            id: r.id,
            name: r.name,
            owner: UserId::from_db(r.owner_id),
            treasury: Chrons::new(r.treasury),
            bp: r.bp,
            guild: r.guild_id.map(GuildId::from_db),
            channel: r.channel_id.map(ChannelId::from_db),
            war_wins: r.war_wins,
            war_losses: r.war_losses,
            members: r.members,
            created_at: r.created_at,
        }
    }
}

const CLAN_SELECT: &str = "SELECT c.id, c.name, c.owner_id, c.treasury, CAST(c.bp AS BIGINT) AS bp, \
     c.guild_id, c.channel_id, CAST(c.war_wins AS BIGINT) AS war_wins, \
     CAST(c.war_losses AS BIGINT) AS war_losses, \
     (SELECT COUNT(*) FROM clan_members m WHERE m.clan_id = c.id) AS members, c.created_at \
     FROM clans c";

/// A member of a clan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Member {
    /// The player.
    pub user: UserId,
    /// Their role.
    pub role: Role,
    /// When they joined.
    pub joined_at: DateTime<Utc>,
}

/// A row of the clan ledger and log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LogEntry {
    /// Row id.
    pub id: i64,
    /// Who acted (or received), if anyone.
    pub user: Option<UserId>,
    /// What: `create`, `deposit`, `withdraw`, `perk`, `join`, `leave`, `kick`, `promote`,
    /// `demote`, `transfer`, `invite`, `war_prize`, `channel`.
    pub kind: String,
    /// Treasury change.
    pub change: Chrons,
    /// Treasury after.
    pub treasury_after: Chrons,
    /// BP change.
    pub bp_change: i64,
    /// BP after.
    pub bp_after: i64,
    /// Detail (a perk id and level, a target's id, …).
    pub detail: String,
    /// When.
    pub created_at: DateTime<Utc>,
}

#[derive(sqlx::FromRow)]
struct LogRow {
    id: i64,
    user_id: Option<i64>,
    kind: String,
    change: i64,
    treasury_after: i64,
    bp_change: i64,
    bp_after: i64,
    detail: String,
    created_at: DateTime<Utc>,
}

impl From<LogRow> for LogEntry {
    fn from(r: LogRow) -> Self {
        LogEntry {
            id: r.id,
            user: r.user_id.map(UserId::from_db),
            kind: r.kind,
            change: Chrons::new(r.change),
            treasury_after: Chrons::new(r.treasury_after),
            bp_change: r.bp_change,
            bp_after: r.bp_after,
            detail: r.detail,
            created_at: r.created_at,
        }
    }
}

/// One clan-ledger write: what [`log_in`] appends.
#[derive(Debug, Clone)]
pub struct Entry<'a> {
    /// Kind (see [`LogEntry::kind`]).
    pub kind: &'a str,
    /// Who.
    pub user: Option<UserId>,
    /// Treasury change.
    pub change: Chrons,
    /// BP change.
    pub bp_change: i64,
    /// Detail.
    pub detail: String,
}

impl<'a> Entry<'a> {
    /// An event without money or BP.
    pub fn event(kind: &'a str, user: Option<UserId>, detail: impl Into<String>) -> Self {
        Entry {
            kind,
            user,
            change: Chrons::ZERO,
            bp_change: 0,
            detail: detail.into(),
        }
    }
}

/// Applies `e` to the (locked) clan: the only writer of `clans.treasury` and `clans.bp`. A
/// treasury or BP that would go below zero is refused ([`ClanRefusal::TreasuryTooSmall`],
/// [`ClanRefusal::NotEnoughBp`]).
pub async fn log_in(
    tx: &mut Tx,
    clan_id: i64,
    e: &Entry<'_>,
    now: DateTime<Utc>,
) -> Result<LogEntry> {
    let (treasury, bp) = lock_clan(tx, clan_id).await?;
    let t_after = treasury
        .checked_add(e.change.get())
        .ok_or(StorageError::Refused(Refusal::Overflow))?;
    if t_after < 0 {
        return refused(ClanRefusal::TreasuryTooSmall {
            needed: e.change.abs(),
            available: Chrons::new(treasury),
        });
    }
    let bp_after = bp
        .checked_add(e.bp_change)
        .ok_or(StorageError::Refused(Refusal::Overflow))?;
    if bp_after < 0 {
        return refused(ClanRefusal::NotEnoughBp {
            needed: -e.bp_change,
            available: bp,
        });
    }
    if e.change != Chrons::ZERO || e.bp_change != 0 {
        tx_run!(tx, |conn| {
            sqlx::query("UPDATE clans SET treasury = $1, bp = $2, updated_at = $3 WHERE id = $4")
                .bind(t_after)
                .bind(bp_after)
                .bind(now)
                .bind(clan_id)
                .execute(&mut *conn)
                .await?;
        });
    }
    let row: LogRow = tx_run!(tx, |conn| {
        sqlx::query_as(
            "INSERT INTO clan_ledger (clan_id, user_id, kind, change, treasury_after, bp_change, \
             bp_after, detail, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) \
             RETURNING id, user_id, kind, change, treasury_after, bp_change, bp_after, detail, \
             created_at",
        )
        .bind(clan_id)
        .bind(e.user.map(UserId::to_db))
        .bind(e.kind)
        .bind(e.change.get())
        .bind(t_after)
        .bind(e.bp_change)
        .bind(bp_after)
        .bind(&e.detail)
        .bind(now)
        .fetch_one(&mut *conn)
        .await?
    });
    Ok(row.into())
}

/// Locks the clan row; returns `(treasury, bp)`.
async fn lock_clan(tx: &mut Tx, clan_id: i64) -> Result<(i64, i64)> {
    let row: Option<(i64, i64)> = tx_run!(tx, |conn, d| {
        let sql = format!(
            "SELECT treasury, CAST(bp AS BIGINT) FROM clans WHERE id = $1{}",
            d.for_update()
        );
        sqlx::query_as(&sql)
            .bind(clan_id)
            .fetch_optional(&mut *conn)
            .await?
    });
    match row {
        Some(r) => Ok(r),
        None => refused(ClanRefusal::NotInClan),
    }
}

/// The clan and role of `user`, read inside `tx` (no lock).
async fn membership_in(tx: &mut Tx, user: UserId) -> Result<Option<(i64, Role)>> {
    let row: Option<(i64, String)> = tx_run!(tx, |conn| {
        sqlx::query_as("SELECT clan_id, role FROM clan_members WHERE user_id = $1")
            .bind(user.to_db())
            .fetch_optional(&mut *conn)
            .await?
    });
    Ok(row.map(|(c, r)| (c, Role::from_db(&r))))
}

/// The caller's clan, locked, and their role (re-read under the lock).
async fn my_clan_locked(tx: &mut Tx, user: UserId) -> Result<(i64, Role)> {
    let Some((clan, _)) = membership_in(tx, user).await? else {
        return refused(ClanRefusal::NotInClan);
    };
    lock_clan(tx, clan).await?;
    match membership_in(tx, user).await? {
        Some((c, role)) if c == clan => Ok((clan, role)),
        _ => refused(ClanRefusal::NotInClan),
    }
}

/// The clan `owner` owns, locked; [`ClanRefusal::NotOwner`] unless they own it (re-read under
/// the lock).
async fn owned_clan_locked(tx: &mut Tx, owner: UserId) -> Result<i64> {
    let (clan, role) = my_clan_locked(tx, owner).await?;
    if role != Role::Owner {
        return refused(ClanRefusal::NotOwner);
    }
    Ok(clan)
}

async fn require_manager(tx: &mut Tx, user: UserId) -> Result<i64> {
    let (clan, role) = my_clan_locked(tx, user).await?;
    if !role.can_manage() {
        return refused(ClanRefusal::NotManager);
    }
    Ok(clan)
}

async fn clan_in(tx: &mut Tx, clan_id: i64) -> Result<Clan> {
    let sql = format!("{CLAN_SELECT} WHERE c.id = $1");
    let row: ClanRow = tx_run!(tx, |conn| {
        sqlx::query_as(&sql)
            .bind(clan_id)
            .fetch_one(&mut *conn)
            .await?
    });
    Ok(row.into())
}

async fn count_members(tx: &mut Tx, clan_id: i64) -> Result<i64> {
    tx_run!(tx, |conn| {
        let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM clan_members WHERE clan_id = $1")
            .bind(clan_id)
            .fetch_one(&mut *conn)
            .await?;
        Ok(n)
    })
}

async fn add_member(
    tx: &mut Tx,
    clan_id: i64,
    user: UserId,
    role: Role,
    now: DateTime<Utc>,
) -> Result<()> {
    users::ensure(tx, user).await?;
    tx_run!(tx, |conn| {
        sqlx::query(
            "INSERT INTO clan_members (clan_id, user_id, role, joined_at, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $4, $4)",
        )
        .bind(clan_id)
        .bind(user.to_db())
        .bind(role.as_str())
        .bind(now)
        .execute(&mut *conn)
        .await?;
        // Joining a clan ends every other invite or request of the player.
        sqlx::query("DELETE FROM clan_invites WHERE user_id = $1")
            .bind(user.to_db())
            .execute(&mut *conn)
            .await?;
    });
    Ok(())
}

async fn set_role_in(
    tx: &mut Tx,
    clan_id: i64,
    user: UserId,
    role: Role,
    now: DateTime<Utc>,
) -> Result<()> {
    tx_run!(tx, |conn| {
        sqlx::query(
            "UPDATE clan_members SET role = $1, updated_at = $2 WHERE clan_id = $3 AND user_id = $4",
        )
        .bind(role.as_str())
        .bind(now)
        .bind(clan_id)
        .bind(user.to_db())
        .execute(&mut *conn)
        .await?;
    });
    Ok(())
}

/// Maps a unique violation of a clan insert to a refusal.
fn unique_to(e: StorageError, r: ClanRefusal) -> StorageError {
    if e.is_unique_violation() {
        StorageError::Refused(Refusal::Clan(r))
    } else {
        e
    }
}

/// Creates a clan named `name` (validated, unique case-insensitively) owned by `owner`, who pays
/// `cost` Chrons (a ledger row of kind `clan_create`; the Chrons leave the economy) and whose
/// clan starts with `rules.initial_bp` BP.
pub async fn create(
    storage: &Storage,
    owner: UserId,
    name: &str,
    cost: Chrons,
    rules: &ClanRules,
    guild: Option<GuildId>,
    now: DateTime<Utc>,
) -> Result<Clan> {
    let name =
        rules::validate_name(name).map_err(|p| StorageError::Refused(Refusal::Clan(p.into())))?;
    let res = transaction!(storage, |tx| {
        users::lock(tx, owner).await?;
        if membership_in(tx, owner).await?.is_some() {
            return refused(ClanRefusal::AlreadyInClan);
        }
        let taken: Option<(i64,)> = tx_run!(tx, |conn| {
            sqlx::query_as("SELECT id FROM clans WHERE lower(name) = lower($1)")
                .bind(&name)
                .fetch_optional(&mut *conn)
                .await?
        });
        if taken.is_some() {
            return refused(ClanRefusal::NameTaken(name.clone()));
        }
        if cost.is_positive() {
            let mut memo = Memo::new(format!("created clan {name}"))
                .kind("clan_create")
                .at(now);
            memo.guild_id = guild;
            economy::apply(tx, owner, Chrons::new(-cost.get()), &memo).await?;
        }
        let (id,): (i64,) = tx_run!(tx, |conn| {
            sqlx::query_as(
                "INSERT INTO clans (name, owner_id, treasury, bp, guild_id, created_at, updated_at) \
                 VALUES ($1, $2, 0, 0, $3, $4, $4) RETURNING id",
            )
            .bind(&name)
            .bind(owner.to_db())
            .bind(guild.map(GuildId::to_db))
            .bind(now)
            .fetch_one(&mut *conn)
            .await?
        });
        add_member(tx, id, owner, Role::Owner, now).await?;
        log_in(
            tx,
            id,
            &Entry {
                kind: "create",
                user: Some(owner),
                change: Chrons::ZERO,
                bp_change: rules.initial_bp,
                detail: name.clone(),
            },
            now,
        )
        .await?;
        clan_in(tx, id).await
    });
    res.map_err(|e| unique_to(e, ClanRefusal::NameTaken(name.clone())))
}

/// The clan of `user` and their role.
pub async fn of_user(storage: &Storage, user: UserId) -> Result<Option<(Clan, Role)>> {
    let row: Option<(i64, String)> = conn_run!(storage, |conn| {
        sqlx::query_as("SELECT clan_id, role FROM clan_members WHERE user_id = $1")
            .bind(user.to_db())
            .fetch_optional(&mut *conn)
            .await?
    });
    let Some((id, role)) = row else {
        return Ok(None);
    };
    Ok(get(storage, id).await?.map(|c| (c, Role::from_db(&role))))
}

/// A clan by id.
pub async fn get(storage: &Storage, id: i64) -> Result<Option<Clan>> {
    let sql = format!("{CLAN_SELECT} WHERE c.id = $1");
    let row: Option<ClanRow> = conn_run!(storage, |conn| {
        sqlx::query_as(&sql)
            .bind(id)
            .fetch_optional(&mut *conn)
            .await?
    });
    Ok(row.map(Into::into))
}

/// A clan by name (case-insensitive, spaces collapsed).
pub async fn by_name(storage: &Storage, name: &str) -> Result<Option<Clan>> {
    let name = name.split_whitespace().collect::<Vec<_>>().join(" ");
    let sql = format!("{CLAN_SELECT} WHERE lower(c.name) = lower($1)");
    let row: Option<ClanRow> = conn_run!(storage, |conn| {
        sqlx::query_as(&sql)
            .bind(&name)
            .fetch_optional(&mut *conn)
            .await?
    });
    Ok(row.map(Into::into))
}

/// The members of a clan: the owner, officers, then members, each by join time.
pub async fn members(storage: &Storage, clan_id: i64) -> Result<Vec<Member>> {
    let rows: Vec<(i64, String, DateTime<Utc>)> = conn_run!(storage, |conn| {
        sqlx::query_as(
            "SELECT user_id, role, joined_at FROM clan_members WHERE clan_id = $1 \
             ORDER BY CASE role WHEN 'owner' THEN 0 WHEN 'officer' THEN 1 ELSE 2 END, joined_at, user_id",
        )
        .bind(clan_id)
        .fetch_all(&mut *conn)
        .await?
    });
    Ok(rows
        .into_iter()
        .map(|(u, r, j)| Member {
            user: UserId::from_db(u),
            role: Role::from_db(&r),
            joined_at: j,
        })
        .collect())
}

/// Clans by name (`offset`, `limit`), and how many there are.
pub async fn list(storage: &Storage, offset: i64, limit: i64) -> Result<(Vec<Clan>, i64)> {
    let sql = format!("{CLAN_SELECT} ORDER BY lower(c.name), c.id LIMIT $1 OFFSET $2");
    conn_run!(storage, |conn| {
        let rows: Vec<ClanRow> = sqlx::query_as(&sql)
            .bind(limit.max(0))
            .bind(offset.max(0))
            .fetch_all(&mut *conn)
            .await?;
        let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM clans")
            .fetch_one(&mut *conn)
            .await?;
        Ok((rows.into_iter().map(Into::into).collect(), n))
    })
}

/// The strongest clans: most war wins, then BP, then treasury.
pub async fn top(storage: &Storage, limit: i64) -> Result<Vec<Clan>> {
    let sql = format!(
        "{CLAN_SELECT} ORDER BY c.war_wins DESC, c.bp DESC, c.treasury DESC, c.id LIMIT $1"
    );
    let rows: Vec<ClanRow> = conn_run!(storage, |conn| {
        sqlx::query_as(&sql)
            .bind(limit.max(0))
            .fetch_all(&mut *conn)
            .await?
    });
    Ok(rows.into_iter().map(Into::into).collect())
}

/// The newest `limit` rows of a clan's ledger and log.
pub async fn log(storage: &Storage, clan_id: i64, limit: i64) -> Result<Vec<LogEntry>> {
    let rows: Vec<LogRow> = conn_run!(storage, |conn| {
        sqlx::query_as(
            "SELECT id, user_id, kind, change, treasury_after, bp_change, bp_after, detail, \
             created_at FROM clan_ledger WHERE clan_id = $1 ORDER BY id DESC LIMIT $2",
        )
        .bind(clan_id)
        .bind(limit.max(0))
        .fetch_all(&mut *conn)
        .await?
    });
    Ok(rows.into_iter().map(Into::into).collect())
}

/// A perk level of every perk of a clan.
pub async fn perks(storage: &Storage, clan_id: i64) -> Result<PerkLevels> {
    let rows: Vec<(String, i64)> = conn_run!(storage, |conn| {
        sqlx::query_as("SELECT perk, CAST(level AS BIGINT) FROM clan_perks WHERE clan_id = $1")
            .bind(clan_id)
            .fetch_all(&mut *conn)
            .await?
    });
    Ok(levels_from(rows))
}

fn levels_from(rows: impl IntoIterator<Item = (String, i64)>) -> PerkLevels {
    let mut l = PerkLevels::default();
    for (p, lv) in rows {
        if let Some(p) = Perk::parse(&p) {
            l.set(p, u32::try_from(lv).unwrap_or(0));
        }
    }
    l
}

/// The perk levels of `user`'s clan (all 0 outside a clan): what hunt and the shop apply.
pub async fn perks_of_user(storage: &Storage, user: UserId) -> Result<PerkLevels> {
    let rows: Vec<(String, i64)> = conn_run!(storage, |conn| {
        sqlx::query_as(
            "SELECT p.perk, CAST(p.level AS BIGINT) FROM clan_members m \
             JOIN clan_perks p ON p.clan_id = m.clan_id WHERE m.user_id = $1",
        )
        .bind(user.to_db())
        .fetch_all(&mut *conn)
        .await?
    });
    Ok(levels_from(rows))
}

/// The perk levels of the clans of `users`, inside `tx`, in one query (the autohunt batch):
/// players outside a clan (or whose clan has no perk) are absent.
pub async fn perks_of_users_in(
    tx: &mut Tx,
    users: &[UserId],
) -> Result<HashMap<UserId, PerkLevels>> {
    if users.is_empty() {
        return Ok(HashMap::new());
    }
    let ids: Vec<i64> = users.iter().map(|u| u.to_db()).collect();
    let rows: Vec<(i64, String, i64)> = match tx.inner_mut() {
        crate::TxInner::Pg(t) => {
            sqlx::query_as(
                "SELECT m.user_id, p.perk, CAST(p.level AS BIGINT) FROM clan_members m \
                 JOIN clan_perks p ON p.clan_id = m.clan_id WHERE m.user_id = ANY($1)",
            )
            .bind(&ids)
            .fetch_all(&mut **t)
            .await?
        }
        crate::TxInner::Sqlite(t) => {
            let json =
                serde_json::to_string(&ids).map_err(|e| StorageError::Corrupt(e.to_string()))?;
            sqlx::query_as(
                "SELECT m.user_id, p.perk, CAST(p.level AS BIGINT) FROM clan_members m \
                 JOIN clan_perks p ON p.clan_id = m.clan_id \
                 WHERE m.user_id IN (SELECT value FROM json_each($1))",
            )
            .bind(json)
            .fetch_all(&mut **t)
            .await?
        }
    };
    let mut out: HashMap<UserId, Vec<(String, i64)>> = HashMap::new();
    for (u, p, l) in rows {
        out.entry(UserId::from_db(u)).or_default().push((p, l));
    }
    Ok(out.into_iter().map(|(u, r)| (u, levels_from(r))).collect())
}
