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

use std::collections::HashMap;

use chronix_core::clans::{
    self as rules, ClanRules, Pairing, Perk, PerkLevels, Role, Standing, WarOutcome, WarRules,
};
use chronix_core::economy::Chrons;
use chronix_core::ids::{ChannelId, GuildId, UserId};
use chrono::{DateTime, Utc};

use crate::economy::{self, Memo};
use crate::{Refusal, Result, Storage, StorageError, Tx, users};

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

/// `by` (manage_clan) invites `target`: a pending invite the target accepts with `clan join`.
pub async fn invite(
    storage: &Storage,
    by: UserId,
    target: UserId,
    now: DateTime<Utc>,
) -> Result<Clan> {
    if by == target {
        return refused(ClanRefusal::Yourself);
    }
    transaction!(storage, |tx| {
        let clan = require_manager(tx, by).await?;
        if membership_in(tx, target).await?.is_some() {
            return refused(ClanRefusal::TargetInAClan(target));
        }
        users::ensure(tx, target).await?;
        let kind: Option<(String,)> = tx_run!(tx, |conn| {
            sqlx::query_as("SELECT kind FROM clan_invites WHERE clan_id = $1 AND user_id = $2")
                .bind(clan)
                .bind(target.to_db())
                .fetch_optional(&mut *conn)
                .await?
        });
        if kind.as_ref().is_some_and(|(k,)| k == "invite") {
            return refused(ClanRefusal::AlreadyPending);
        }
        tx_run!(tx, |conn| {
            sqlx::query(
                "INSERT INTO clan_invites (clan_id, user_id, kind, by_id, created_at) \
                 VALUES ($1, $2, 'invite', $3, $4) \
                 ON CONFLICT (clan_id, user_id) DO UPDATE SET kind = 'invite', by_id = $3",
            )
            .bind(clan)
            .bind(target.to_db())
            .bind(by.to_db())
            .bind(now)
            .execute(&mut *conn)
            .await?;
        });
        log_in(
            tx,
            clan,
            &Entry::event("invite", Some(by), target.to_string()),
            now,
        )
        .await?;
        clan_in(tx, clan).await
    })
}

/// What `clan join` did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Joined {
    /// The player had an invite (or an officer approved): they are a member now.
    Member(Clan),
    /// No invite: a request waits for an officer's approval.
    Requested(Clan),
}

/// `user` joins the clan named `name`: at once with an invite, else a request is filed for an
/// officer ([`decide_request`]).
pub async fn join(
    storage: &Storage,
    user: UserId,
    name: &str,
    max_members: u32,
    now: DateTime<Utc>,
) -> Result<Joined> {
    let Some(target) = by_name(storage, name).await? else {
        return refused(ClanRefusal::NoSuchClan(name.trim().to_string()));
    };
    let res = transaction!(storage, |tx| {
        lock_clan(tx, target.id).await?;
        if membership_in(tx, user).await?.is_some() {
            return refused(ClanRefusal::AlreadyInClan);
        }
        users::ensure(tx, user).await?;
        let kind: Option<(String,)> = tx_run!(tx, |conn| {
            sqlx::query_as("SELECT kind FROM clan_invites WHERE clan_id = $1 AND user_id = $2")
                .bind(target.id)
                .bind(user.to_db())
                .fetch_optional(&mut *conn)
                .await?
        });
        match kind.as_ref().map(|(k,)| k.as_str()) {
            Some("invite") => {
                if count_members(tx, target.id).await? >= i64::from(max_members) {
                    return refused(ClanRefusal::Full { max: max_members });
                }
                add_member(tx, target.id, user, Role::Member, now).await?;
                log_in(tx, target.id, &Entry::event("join", Some(user), ""), now).await?;
                Ok(Joined::Member(clan_in(tx, target.id).await?))
            }
            Some(_) => refused(ClanRefusal::AlreadyPending),
            None => {
                tx_run!(tx, |conn| {
                    sqlx::query(
                        "INSERT INTO clan_invites (clan_id, user_id, kind, by_id, created_at) \
                         VALUES ($1, $2, 'request', $2, $3)",
                    )
                    .bind(target.id)
                    .bind(user.to_db())
                    .bind(now)
                    .execute(&mut *conn)
                    .await?;
                });
                Ok(Joined::Requested(clan_in(tx, target.id).await?))
            }
        }
    });
    res.map_err(|e| unique_to(e, ClanRefusal::AlreadyInClan))
}

/// An officer of `clan_id` approves (or declines) `user`'s request. Returns the clan, and
/// whether the player is a member now.
pub async fn decide_request(
    storage: &Storage,
    officer: UserId,
    clan_id: i64,
    user: UserId,
    approve: bool,
    max_members: u32,
    now: DateTime<Utc>,
) -> Result<(Clan, bool)> {
    let res = transaction!(storage, |tx| {
        let clan = require_manager(tx, officer).await?;
        if clan != clan_id {
            return refused(ClanRefusal::NotManager);
        }
        let deleted = tx_run!(tx, |conn| {
            sqlx::query(
                "DELETE FROM clan_invites WHERE clan_id = $1 AND user_id = $2 AND kind = 'request'",
            )
            .bind(clan)
            .bind(user.to_db())
            .execute(&mut *conn)
            .await?
            .rows_affected()
        });
        if deleted == 0 {
            return refused(ClanRefusal::NoRequest(user));
        }
        if !approve {
            return Ok((clan_in(tx, clan).await?, false));
        }
        if membership_in(tx, user).await?.is_some() {
            return refused(ClanRefusal::TargetInAClan(user));
        }
        if count_members(tx, clan).await? >= i64::from(max_members) {
            return refused(ClanRefusal::Full { max: max_members });
        }
        add_member(tx, clan, user, Role::Member, now).await?;
        log_in(
            tx,
            clan,
            &Entry::event("join", Some(user), format!("approved by {officer}")),
            now,
        )
        .await?;
        Ok((clan_in(tx, clan).await?, true))
    });
    res.map_err(|e| unique_to(e, ClanRefusal::TargetInAClan(user)))
}

/// The pending join requests of a clan, oldest first.
pub async fn requests(storage: &Storage, clan_id: i64) -> Result<Vec<UserId>> {
    let rows: Vec<(i64,)> = conn_run!(storage, |conn| {
        sqlx::query_as(
            "SELECT user_id FROM clan_invites WHERE clan_id = $1 AND kind = 'request' \
             ORDER BY created_at, user_id",
        )
        .bind(clan_id)
        .fetch_all(&mut *conn)
        .await?
    });
    Ok(rows.into_iter().map(|(u,)| UserId::from_db(u)).collect())
}

async fn remove_member(tx: &mut Tx, clan: i64, user: UserId) -> Result<()> {
    tx_run!(tx, |conn| {
        sqlx::query("DELETE FROM clan_members WHERE clan_id = $1 AND user_id = $2")
            .bind(clan)
            .bind(user.to_db())
            .execute(&mut *conn)
            .await?;
    });
    Ok(())
}

/// `user` leaves their clan (the owner must transfer or disband first).
pub async fn leave(storage: &Storage, user: UserId, now: DateTime<Utc>) -> Result<Clan> {
    transaction!(storage, |tx| {
        let (clan, role) = my_clan_locked(tx, user).await?;
        if role == Role::Owner {
            return refused(ClanRefusal::OwnerCannotLeave);
        }
        remove_member(tx, clan, user).await?;
        log_in(tx, clan, &Entry::event("leave", Some(user), ""), now).await?;
        clan_in(tx, clan).await
    })
}

async fn target_role(tx: &mut Tx, clan: i64, target: UserId) -> Result<Role> {
    match membership_in(tx, target).await? {
        Some((c, r)) if c == clan => Ok(r),
        _ => refused(ClanRefusal::TargetNotInClan(target)),
    }
}

/// `by` (manage_clan, outranking the target) removes `target` from the clan.
pub async fn kick(
    storage: &Storage,
    by: UserId,
    target: UserId,
    now: DateTime<Utc>,
) -> Result<Clan> {
    if by == target {
        return refused(ClanRefusal::Yourself);
    }
    transaction!(storage, |tx| {
        let (clan, role) = my_clan_locked(tx, by).await?;
        if !role.can_manage() {
            return refused(ClanRefusal::NotManager);
        }
        let theirs = target_role(tx, clan, target).await?;
        if !role.outranks(theirs) {
            return refused(ClanRefusal::Outranked(target));
        }
        remove_member(tx, clan, target).await?;
        log_in(
            tx,
            clan,
            &Entry::event("kick", Some(by), target.to_string()),
            now,
        )
        .await?;
        clan_in(tx, clan).await
    })
}

/// The owner makes `target` an officer (`officer = true`) or a plain member again.
pub async fn set_officer(
    storage: &Storage,
    owner: UserId,
    target: UserId,
    officer: bool,
    now: DateTime<Utc>,
) -> Result<Clan> {
    if owner == target {
        return refused(ClanRefusal::Yourself);
    }
    transaction!(storage, |tx| {
        let (clan, role) = my_clan_locked(tx, owner).await?;
        if role != Role::Owner {
            return refused(ClanRefusal::NotOwner);
        }
        let theirs = target_role(tx, clan, target).await?;
        let want = if officer { Role::Officer } else { Role::Member };
        if theirs == want {
            return refused(ClanRefusal::SameRole {
                user: target,
                role: want,
            });
        }
        set_role_in(tx, clan, target, want, now).await?;
        let kind = if officer { "promote" } else { "demote" };
        log_in(
            tx,
            clan,
            &Entry::event(kind, Some(owner), target.to_string()),
            now,
        )
        .await?;
        clan_in(tx, clan).await
    })
}

/// The owner hands the clan to `target` (a member), becoming an officer.
pub async fn transfer(
    storage: &Storage,
    owner: UserId,
    target: UserId,
    now: DateTime<Utc>,
) -> Result<Clan> {
    if owner == target {
        return refused(ClanRefusal::Yourself);
    }
    transaction!(storage, |tx| {
        let (clan, role) = my_clan_locked(tx, owner).await?;
        if role != Role::Owner {
            return refused(ClanRefusal::NotOwner);
        }
        target_role(tx, clan, target).await?;
        set_role_in(tx, clan, target, Role::Owner, now).await?;
        set_role_in(tx, clan, owner, Role::Officer, now).await?;
        tx_run!(tx, |conn| {
            sqlx::query("UPDATE clans SET owner_id = $1, updated_at = $2 WHERE id = $3")
                .bind(target.to_db())
                .bind(now)
                .bind(clan)
                .execute(&mut *conn)
                .await?;
        });
        log_in(
            tx,
            clan,
            &Entry::event("transfer", Some(owner), target.to_string()),
            now,
        )
        .await?;
        clan_in(tx, clan).await
    })
}

/// What [`disband`] did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Disbanded {
    /// The clan as it was.
    pub clan: Clan,
    /// Who got what back ([`rules::disband_refund`]).
    pub refunds: Vec<(UserId, Chrons)>,
}

/// The owner disbands the clan: the treasury is shared out ([`rules::disband_refund`]: equal
/// parts, the remainder to the owner; each a ledger row of kind `clan_refund` and a clan-ledger
/// row that empties the treasury), then the clan and everything of it is deleted.
pub async fn disband(
    storage: &Storage,
    owner: UserId,
    guild: Option<GuildId>,
    now: DateTime<Utc>,
) -> Result<Disbanded> {
    transaction!(storage, |tx| {
        let (clan, role) = my_clan_locked(tx, owner).await?;
        if role != Role::Owner {
            return refused(ClanRefusal::NotOwner);
        }
        let before = clan_in(tx, clan).await?;
        let rows: Vec<(i64, String)> = tx_run!(tx, |conn| {
            sqlx::query_as(
                "SELECT user_id, role FROM clan_members WHERE clan_id = $1 ORDER BY user_id",
            )
            .bind(clan)
            .fetch_all(&mut *conn)
            .await?
        });
        let members: Vec<(UserId, Role)> = rows
            .into_iter()
            .map(|(u, r)| (UserId::from_db(u), Role::from_db(&r)))
            .collect();
        let refunds = rules::disband_refund(before.treasury, &members);
        for (u, amount) in &refunds {
            log_in(
                tx,
                clan,
                &Entry {
                    kind: "refund",
                    user: Some(*u),
                    change: Chrons::new(-amount.get()),
                    bp_change: 0,
                    detail: String::new(),
                },
                now,
            )
            .await?;
            let mut memo = Memo::new(format!("clan {} disbanded: refund", before.name))
                .kind("clan_refund")
                .at(now);
            memo.guild_id = guild;
            economy::apply(tx, *u, *amount, &memo).await?;
        }
        tx_run!(tx, |conn| {
            sqlx::query("DELETE FROM clans WHERE id = $1")
                .bind(clan)
                .execute(&mut *conn)
                .await?;
        });
        Ok(Disbanded {
            clan: before,
            refunds,
        })
    })
}

/// A treasury move.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TreasuryMove {
    /// The clan after.
    pub clan: Clan,
    /// The clan-ledger row.
    pub entry: LogEntry,
    /// The player's wallet after.
    pub wallet_after: Chrons,
}

/// Any member deposits `amount` (> 0) into the treasury: a ledger debit (kind `clan_deposit`)
/// and a clan-ledger credit, plus [`ClanRules::bp_for_deposit`] BP.
pub async fn deposit(
    storage: &Storage,
    user: UserId,
    amount: Chrons,
    rules: &ClanRules,
    guild: Option<GuildId>,
    now: DateTime<Utc>,
) -> Result<TreasuryMove> {
    if !amount.is_positive() {
        return Err(StorageError::Refused(Refusal::InvalidAmount(amount.get())));
    }
    transaction!(storage, |tx| {
        let (clan, _) = my_clan_locked(tx, user).await?;
        let name = clan_in(tx, clan).await?.name;
        let mut memo = Memo::new(format!("deposit to clan {name}"))
            .kind("clan_deposit")
            .at(now);
        memo.guild_id = guild;
        let applied = economy::apply(tx, user, Chrons::new(-amount.get()), &memo).await?;
        let entry = log_in(
            tx,
            clan,
            &Entry {
                kind: "deposit",
                user: Some(user),
                change: amount,
                bp_change: rules.bp_for_deposit(amount),
                detail: String::new(),
            },
            now,
        )
        .await?;
        Ok(TreasuryMove {
            clan: clan_in(tx, clan).await?,
            entry,
            wallet_after: applied.balance_after(),
        })
    })
}

/// A manage_clan member withdraws `amount` (> 0) from the treasury to their wallet (checked
/// under the clan's row lock: [`ClanRefusal::TreasuryTooSmall`]).
pub async fn withdraw(
    storage: &Storage,
    user: UserId,
    amount: Chrons,
    guild: Option<GuildId>,
    now: DateTime<Utc>,
) -> Result<TreasuryMove> {
    if !amount.is_positive() {
        return Err(StorageError::Refused(Refusal::InvalidAmount(amount.get())));
    }
    transaction!(storage, |tx| {
        let clan = require_manager(tx, user).await?;
        let entry = log_in(
            tx,
            clan,
            &Entry {
                kind: "withdraw",
                user: Some(user),
                change: Chrons::new(-amount.get()),
                bp_change: 0,
                detail: String::new(),
            },
            now,
        )
        .await?;
        let name = clan_in(tx, clan).await?.name;
        let mut memo = Memo::new(format!("withdrawal from clan {name}"))
            .kind("clan_withdraw")
            .at(now);
        memo.guild_id = guild;
        let applied = economy::apply(tx, user, amount, &memo).await?;
        Ok(TreasuryMove {
            clan: clan_in(tx, clan).await?,
            entry,
            wallet_after: applied.balance_after(),
        })
    })
}

/// A manage_clan member buys the next level of `perk` with the clan's BP. Returns the clan and
/// the new level.
pub async fn buy_perk(
    storage: &Storage,
    user: UserId,
    perk: Perk,
    rules: &ClanRules,
    now: DateTime<Utc>,
) -> Result<(Clan, u32)> {
    transaction!(storage, |tx| {
        let clan = require_manager(tx, user).await?;
        let level: Option<(i64,)> = tx_run!(tx, |conn| {
            sqlx::query_as(
                "SELECT CAST(level AS BIGINT) FROM clan_perks WHERE clan_id = $1 AND perk = $2",
            )
            .bind(clan)
            .bind(perk.id())
            .fetch_optional(&mut *conn)
            .await?
        });
        let level = level.map_or(0, |(l,)| u32::try_from(l).unwrap_or(0));
        let Some(cost) = rules.next_level_cost(perk, level) else {
            return refused(ClanRefusal::PerkMaxed {
                perk,
                max: rules.max_level(perk),
            });
        };
        let next = level + 1;
        log_in(
            tx,
            clan,
            &Entry {
                kind: "perk",
                user: Some(user),
                change: Chrons::ZERO,
                bp_change: -cost,
                detail: format!("{} {next}", perk.id()),
            },
            now,
        )
        .await?;
        tx_run!(tx, |conn| {
            sqlx::query(
                "INSERT INTO clan_perks (clan_id, perk, level, updated_at) VALUES ($1, $2, $3, $4) \
                 ON CONFLICT (clan_id, perk) DO UPDATE SET level = excluded.level, \
                 updated_at = excluded.updated_at",
            )
            .bind(clan)
            .bind(perk.id())
            .bind(i64::from(next))
            .bind(now)
            .execute(&mut *conn)
            .await?;
        });
        Ok((clan_in(tx, clan).await?, next))
    })
}

/// A manage_clan member sets (or clears) the channel that gets the clan's war results.
pub async fn set_channel(
    storage: &Storage,
    user: UserId,
    channel: Option<(GuildId, ChannelId)>,
    now: DateTime<Utc>,
) -> Result<Clan> {
    transaction!(storage, |tx| {
        let clan = require_manager(tx, user).await?;
        tx_run!(tx, |conn| {
            sqlx::query(
                "UPDATE clans SET channel_id = $1, guild_id = COALESCE($2, guild_id), \
                 updated_at = $3 WHERE id = $4",
            )
            .bind(channel.map(|(_, c)| c.to_db()))
            .bind(channel.map(|(g, _)| g.to_db()))
            .bind(now)
            .bind(clan)
            .execute(&mut *conn)
            .await?;
        });
        let detail = channel.map_or(String::new(), |(_, c)| c.to_string());
        log_in(tx, clan, &Entry::event("channel", Some(user), detail), now).await?;
        clan_in(tx, clan).await
    })
}

/// A clan whose treasury is not the sum of its ledger.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClanMismatch {
    /// Clan id.
    pub clan: i64,
    /// `clans.treasury`.
    pub treasury: Chrons,
    /// Sum of its `clan_ledger.change`.
    pub ledger_sum: Chrons,
}

/// Every clan whose treasury differs from the sum of its ledger (empty when the books balance).
pub async fn reconcile(storage: &Storage) -> Result<Vec<ClanMismatch>> {
    let rows: Vec<(i64, i64, i64)> = conn_run!(storage, |conn| {
        sqlx::query_as(
            "SELECT c.id, c.treasury, CAST(COALESCE((SELECT SUM(l.change) FROM clan_ledger l \
             WHERE l.clan_id = c.id), 0) AS BIGINT) FROM clans c ORDER BY c.id",
        )
        .fetch_all(&mut *conn)
        .await?
    });
    Ok(rows
        .into_iter()
        .filter(|(_, t, s)| t != s)
        .map(|(c, t, s)| ClanMismatch {
            clan: c,
            treasury: Chrons::new(t),
            ledger_sum: Chrons::new(s),
        })
        .collect())
}

/// One clan's line of a war report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WarLine {
    /// The clan.
    pub clan: i64,
    /// Its name.
    pub name: String,
    /// Its results channel.
    pub channel: Option<ChannelId>,
    /// The server of that channel (its language is the post's).
    pub guild: Option<GuildId>,
    /// Its score.
    pub score: i64,
    /// Its opponent (id, name, score), `None` for a bye.
    pub opponent: Option<(i64, String, i64)>,
    /// What happened to it.
    pub outcome: WarResult,
    /// Chrons paid into its treasury.
    pub prize: Chrons,
    /// BP earned.
    pub bp: i64,
}

/// A clan's result in a war.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WarResult {
    /// Won its pairing.
    Won,
    /// Lost it.
    Lost,
    /// Same score.
    Draw,
    /// No opponent.
    Bye,
}

/// A settled war.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WarReport {
    /// `clan_wars.id`.
    pub war_id: i64,
    /// Week start.
    pub week_start: DateTime<Utc>,
    /// Week end.
    pub week_end: DateTime<Utc>,
    /// One line per clan.
    pub lines: Vec<WarLine>,
}

/// The battle types a war counts: PvP wins count `pvp_points`, the others `pve_points`.
pub const WAR_BATTLE_TYPES: [&str; 3] = ["pvp", "wild", "boss"];

/// Settles the war of the week `[start, end)` once: pairs the clans ([`rules::pair`] by BP),
/// scores them from the battle wins credited to them in the week ([`credit_win`]: the clan the
/// winner was in when the battle ended, whatever happened since), pays each pairing's winner `prize` Chrons into its treasury and
/// `rules.win_bp` BP (clan ledger, kind `war_prize`), and records the matches. `None` when the
/// week was already settled (by this or another process): nothing changes.
pub async fn settle_war(
    storage: &Storage,
    start: DateTime<Utc>,
    end: DateTime<Utc>,
    rules: &WarRules,
    prize: Chrons,
    now: DateTime<Utc>,
) -> Result<Option<WarReport>> {
    transaction!(storage, |tx| {
        let war: Option<(i64,)> = tx_run!(tx, |conn| {
            sqlx::query_as(
                "INSERT INTO clan_wars (week_start, week_end, settled_at) VALUES ($1, $2, $3) \
                 ON CONFLICT (week_end) DO NOTHING RETURNING id",
            )
            .bind(start)
            .bind(end)
            .bind(now)
            .fetch_optional(&mut *conn)
            .await?
        });
        let Some((war_id,)) = war else {
            return Ok(None);
        };
        let clans: Vec<WarClanRow> = tx_run!(tx, |conn, d| {
            let sql = format!(
                "SELECT id, name, CAST(bp AS BIGINT) AS bp, channel_id, guild_id FROM clans \
                 ORDER BY id{}",
                d.for_update()
            );
            sqlx::query_as(&sql).fetch_all(&mut *conn).await?
        });
        let wins: Vec<(i64, String, i64)> = tx_run!(tx, |conn| {
            sqlx::query_as(
                "SELECT clan_id, battle_type, COUNT(*) FROM clan_war_points \
                 WHERE won_at >= $1 AND won_at < $2 GROUP BY clan_id, battle_type",
            )
            .bind(start)
            .bind(end)
            .fetch_all(&mut *conn)
            .await?
        });
        let mut tally: HashMap<i64, (i64, i64)> = HashMap::new();
        for (clan, kind, n) in wins {
            let t = tally.entry(clan).or_default();
            if kind == "pvp" {
                t.0 += n;
            } else {
                t.1 += n;
            }
        }
        let score = |c: i64| {
            let (pvp, pve) = tally.get(&c).copied().unwrap_or_default();
            rules.score(pvp, pve)
        };
        let info: HashMap<i64, ClanPost> = clans
            .iter()
            .map(|c| {
                let post = ClanPost {
                    name: c.name.clone(),
                    channel: c.channel_id.map(ChannelId::from_db),
                    guild: c.guild_id.map(GuildId::from_db),
                };
                (c.id, post)
            })
            .collect();
        let standings: Vec<Standing> = clans
            .iter()
            .map(|c| Standing {
                clan: c.id,
                rating: c.bp,
            })
            .collect();
        let mut lines = Vec::new();
        for p in rules::pair(&standings) {
            let (sa, sb) = (score(p.a), p.b.map_or(0, score));
            let outcome = rules::decide(&p, sa, sb);
            let winner = match outcome {
                WarOutcome::Winner(w) => Some(w),
                _ => None,
            };
            let mut paid = Chrons::ZERO;
            if let Some(w) = winner {
                if prize.is_positive() || rules.win_bp > 0 {
                    log_in(
                        tx,
                        w,
                        &Entry {
                            kind: "war_prize",
                            user: None,
                            change: prize.max(Chrons::ZERO),
                            bp_change: rules.win_bp,
                            detail: format!("war {war_id}"),
                        },
                        now,
                    )
                    .await?;
                    paid = prize.max(Chrons::ZERO);
                }
                let loser = if w == p.a { p.b } else { Some(p.a) };
                tx_run!(tx, |conn| {
                    sqlx::query("UPDATE clans SET war_wins = war_wins + 1 WHERE id = $1")
                        .bind(w)
                        .execute(&mut *conn)
                        .await?;
                    sqlx::query("UPDATE clans SET war_losses = war_losses + 1 WHERE id = $1")
                        .bind(loser)
                        .execute(&mut *conn)
                        .await?;
                });
            }
            tx_run!(tx, |conn| {
                sqlx::query(
                    "INSERT INTO clan_war_matches (war_id, clan_a, clan_b, score_a, score_b, \
                     winner, prize) VALUES ($1, $2, $3, $4, $5, $6, $7)",
                )
                .bind(war_id)
                .bind(p.a)
                .bind(p.b)
                .bind(sa)
                .bind(sb)
                .bind(winner)
                .bind(paid.get())
                .execute(&mut *conn)
                .await?;
            });
            lines.extend(war_lines(&p, sa, sb, winner, paid, rules.win_bp, &info));
        }
        Ok(Some(WarReport {
            war_id,
            week_start: start,
            week_end: end,
            lines,
        }))
    })
}

/// A clan as a war reads it (locked).
#[derive(sqlx::FromRow)]
struct WarClanRow {
    id: i64,
    name: String,
    bp: i64,
    channel_id: Option<i64>,
    guild_id: Option<i64>,
}

/// Where a clan's war result goes.
struct ClanPost {
    name: String,
    channel: Option<ChannelId>,
    guild: Option<GuildId>,
}

fn war_lines(
    p: &Pairing,
    sa: i64,
    sb: i64,
    winner: Option<i64>,
    prize: Chrons,
    win_bp: i64,
    info: &HashMap<i64, ClanPost>,
) -> Vec<WarLine> {
    let name = |c: i64| info.get(&c).map(|x| x.name.clone()).unwrap_or_default();
    let line = |me: i64, my: i64, other: Option<(i64, i64)>| {
        let outcome = match (other, winner) {
            (None, _) => WarResult::Bye,
            (_, Some(w)) if w == me => WarResult::Won,
            (_, Some(_)) => WarResult::Lost,
            (_, None) => WarResult::Draw,
        };
        let won = outcome == WarResult::Won;
        WarLine {
            clan: me,
            name: name(me),
            channel: info.get(&me).and_then(|x| x.channel),
            guild: info.get(&me).and_then(|x| x.guild),
            score: my,
            opponent: other.map(|(o, s)| (o, name(o), s)),
            outcome,
            prize: if won { prize } else { Chrons::ZERO },
            bp: if won { win_bp } else { 0 },
        }
    };
    let mut v = vec![line(p.a, sa, p.b.map(|b| (b, sb)))];
    if let Some(b) = p.b {
        v.push(line(b, sb, Some((p.a, sa))));
    }
    v
}

/// Credits the win of `winner` in battle `battle` (of type `battle_type`, ended at `at`) to the
/// clan `winner` is in now, inside the battle's final transaction: a `clan_war_points` row that
/// [`settle_war`] scores (only the types of [`WAR_BATTLE_TYPES`]; outside a clan, nothing).
/// Leaving the clan later does not move it; joining another brings nothing from before.
pub async fn credit_win(
    tx: &mut Tx,
    battle: i64,
    battle_type: &str,
    winner: UserId,
    at: DateTime<Utc>,
) -> Result<()> {
    if !WAR_BATTLE_TYPES.contains(&battle_type) {
        return Ok(());
    }
    tx_run!(tx, |conn| {
        sqlx::query(
            "INSERT INTO clan_war_points (battle_id, user_id, clan_id, battle_type, won_at) \
             SELECT $1, user_id, clan_id, $2, $3 FROM clan_members WHERE user_id = $4 \
             ON CONFLICT (battle_id, user_id) DO NOTHING",
        )
        .bind(battle)
        .bind(battle_type)
        .bind(at)
        .bind(winner.to_db())
        .execute(&mut *conn)
        .await?;
    });
    Ok(())
}

/// Test helper: inserts a finished battle row won by `winner` at `at` and credits the win as
/// the battle's final transaction does ([`credit_win`]: `status = 'finished'`, `winner_id`,
/// `battle_type`, `updated_at`, and the clan war point of the winner's clan now).
#[cfg(feature = "testing")]
pub async fn insert_finished_battle(
    storage: &Storage,
    battle_type: &str,
    winner: UserId,
    at: DateTime<Utc>,
) -> Result<i64> {
    transaction!(storage, |tx| {
        let (id,): (i64,) = tx_run!(tx, |conn| {
            sqlx::query_as(
                "INSERT INTO battles (battle_type, status, winner_id, created_at, updated_at) \
                 VALUES ($1, 'finished', $2, $3, $3) RETURNING id",
            )
            .bind(battle_type)
            .bind(winner.to_db())
            .bind(at)
            .fetch_one(&mut *conn)
            .await?
        });
        credit_win(tx, id, battle_type, winner, at).await?;
        Ok(id)
    })
}
