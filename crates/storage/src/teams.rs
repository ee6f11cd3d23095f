//! Teams (rows of `teams`, `team_members`, `team_invites`): lightweight groups, a player in at
//! most one (`team_members.user_id` is unique), that hunt together; the rules are
//! `chronix_core::teams`.
//!
//! Read a player's team with [`of_user`] (the battles feature may use it for team PvE).
//! A team hunt ([`record_hunt`]) is ONE transaction: every member present gets their hunt
//! cooldown, their share of the Chrons through the ledger (kind `team_hunt`), their items and
//! their XP; the players are locked in ascending id order.

use chronix_core::economy::Chrons;
use chronix_core::ids::{GuildId, UserId};
use chronix_core::teams::TeamShare;
use chronix_core::xp::XpCurve;
use chrono::{DateTime, Duration, Utc};

use crate::economy::{self, Memo};
use crate::{Refusal, Result, Storage, StorageError, Tx, cooldowns, hunt, inventory, users};

/// Why a team action was refused (nothing changed).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TeamRefusal {
    /// The player is in no team.
    #[error("you are not in a team")]
    NotInTeam,
    /// The player is in a team already.
    #[error("you are already in a team")]
    AlreadyInTeam,
    /// The target is in a team already.
    #[error("{0} is already in a team")]
    TargetInATeam(UserId),
    /// Only the leader can do that.
    #[error("only the team leader can do that")]
    NotLeader,
    /// No invite from that team.
    #[error("no invite to that team")]
    NoInvite,
    /// The team is full.
    #[error("the team is full ({max} members)")]
    Full {
        /// Most members.
        max: u32,
    },
    /// A team hunt needs two members off their hunt cooldown.
    #[error("only {present} member(s) can hunt now")]
    NotEnoughPresent {
        /// Members who can hunt.
        present: usize,
    },
    /// Inviting yourself.
    #[error("not yourself")]
    Yourself,
    /// A name of 3 to 24 characters.
    #[error(transparent)]
    BadName(#[from] chronix_core::clans::NameProblem),
}

fn refused<T>(r: TeamRefusal) -> Result<T> {
    Err(StorageError::Refused(Refusal::Team(r)))
}

/// A team.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Team {
    /// Id.
    pub id: i64,
    /// Name.
    pub name: String,
    /// Leader.
    pub leader: UserId,
    /// Members (the leader first, then by join time).
    pub members: Vec<UserId>,
}

async fn team_of_in(tx: &mut Tx, user: UserId) -> Result<Option<i64>> {
    let row: Option<(i64,)> = tx_run!(tx, |conn| {
        sqlx::query_as("SELECT team_id FROM team_members WHERE user_id = $1")
            .bind(user.to_db())
            .fetch_optional(&mut *conn)
            .await?
    });
    Ok(row.map(|(t,)| t))
}

async fn lock_team(tx: &mut Tx, team: i64) -> Result<Team> {
    let row: Option<(String, i64)> = tx_run!(tx, |conn, d| {
        let sql = format!(
            "SELECT name, leader_id FROM teams WHERE id = $1{}",
            d.for_update()
        );
        sqlx::query_as(&sql)
            .bind(team)
            .fetch_optional(&mut *conn)
            .await?
    });
    let Some((name, leader)) = row else {
        return refused(TeamRefusal::NotInTeam);
    };
    let members: Vec<(i64,)> = tx_run!(tx, |conn| {
        sqlx::query_as(
            "SELECT user_id FROM team_members WHERE team_id = $1 ORDER BY joined_at, user_id",
        )
        .bind(team)
        .fetch_all(&mut *conn)
        .await?
    });
    let leader = UserId::from_db(leader);
    let mut members: Vec<UserId> = members.into_iter().map(|(u,)| UserId::from_db(u)).collect();
    members.sort_by_key(|u| *u != leader);
    Ok(Team {
        id: team,
        name,
        leader,
        members,
    })
}

/// The caller's team, locked (re-read under the lock).
async fn my_team_locked(tx: &mut Tx, user: UserId) -> Result<Team> {
    let Some(id) = team_of_in(tx, user).await? else {
        return refused(TeamRefusal::NotInTeam);
    };
    let team = lock_team(tx, id).await?;
    if !team.members.contains(&user) {
        return refused(TeamRefusal::NotInTeam);
    }
    Ok(team)
}

fn unique_to(e: StorageError, r: TeamRefusal) -> StorageError {
    if e.is_unique_violation() {
        StorageError::Refused(Refusal::Team(r))
    } else {
        e
    }
}

async fn add_member(tx: &mut Tx, team: i64, user: UserId, now: DateTime<Utc>) -> Result<()> {
    users::ensure(tx, user).await?;
    tx_run!(tx, |conn| {
        sqlx::query("INSERT INTO team_members (team_id, user_id, joined_at) VALUES ($1, $2, $3)")
            .bind(team)
            .bind(user.to_db())
            .bind(now)
            .execute(&mut *conn)
            .await?;
        sqlx::query("DELETE FROM team_invites WHERE user_id = $1")
            .bind(user.to_db())
            .execute(&mut *conn)
            .await?;
    });
    Ok(())
}

/// The team of `user`, if any.
pub async fn of_user(storage: &Storage, user: UserId) -> Result<Option<Team>> {
    let row: Option<(i64,)> = conn_run!(storage, |conn| {
        sqlx::query_as("SELECT team_id FROM team_members WHERE user_id = $1")
            .bind(user.to_db())
            .fetch_optional(&mut *conn)
            .await?
    });
    let Some((id,)) = row else {
        return Ok(None);
    };
    get(storage, id).await
}

/// A team by id.
pub async fn get(storage: &Storage, id: i64) -> Result<Option<Team>> {
    let mut tx = storage.begin().await?;
    let t = match lock_team(&mut tx, id).await {
        Ok(t) => Some(t),
        Err(StorageError::Refused(Refusal::Team(TeamRefusal::NotInTeam))) => None,
        Err(e) => return Err(e),
    };
    tx.rollback().await?;
    Ok(t)
}

/// `leader` creates a team named `name` (validated like a clan name).
pub async fn create(
    storage: &Storage,
    leader: UserId,
    name: &str,
    now: DateTime<Utc>,
) -> Result<Team> {
    let name = chronix_core::clans::validate_name(name)
        .map_err(|p| StorageError::Refused(Refusal::Team(p.into())))?;
    let res = transaction!(storage, |tx| {
        users::lock(tx, leader).await?;
        if team_of_in(tx, leader).await?.is_some() {
            return refused(TeamRefusal::AlreadyInTeam);
        }
        let (id,): (i64,) = tx_run!(tx, |conn| {
            sqlx::query_as(
                "INSERT INTO teams (name, leader_id, created_at, updated_at) VALUES ($1, $2, $3, $3) \
                 RETURNING id",
            )
            .bind(&name)
            .bind(leader.to_db())
            .bind(now)
            .fetch_one(&mut *conn)
            .await?
        });
        add_member(tx, id, leader, now).await?;
        lock_team(tx, id).await
    });
    res.map_err(|e| unique_to(e, TeamRefusal::AlreadyInTeam))
}

/// The leader invites `target` (not in a team).
pub async fn invite(
    storage: &Storage,
    leader: UserId,
    target: UserId,
    max: u32,
    now: DateTime<Utc>,
) -> Result<Team> {
    if leader == target {
        return refused(TeamRefusal::Yourself);
    }
    transaction!(storage, |tx| {
        let team = my_team_locked(tx, leader).await?;
        if team.leader != leader {
            return refused(TeamRefusal::NotLeader);
        }
        if team_of_in(tx, target).await?.is_some() {
            return refused(TeamRefusal::TargetInATeam(target));
        }
        if team.members.len() >= max as usize {
            return refused(TeamRefusal::Full { max });
        }
        users::ensure(tx, target).await?;
        tx_run!(tx, |conn| {
            sqlx::query(
                "INSERT INTO team_invites (team_id, user_id, created_at) VALUES ($1, $2, $3) \
                 ON CONFLICT (team_id, user_id) DO NOTHING",
            )
            .bind(team.id)
            .bind(target.to_db())
            .bind(now)
            .execute(&mut *conn)
            .await?;
        });
        Ok(team)
    })
}

/// `user` joins the team of `member` (they need its invite).
pub async fn join(
    storage: &Storage,
    user: UserId,
    member: UserId,
    max: u32,
    now: DateTime<Utc>,
) -> Result<Team> {
    let res = transaction!(storage, |tx| {
        if team_of_in(tx, user).await?.is_some() {
            return refused(TeamRefusal::AlreadyInTeam);
        }
        let Some(id) = team_of_in(tx, member).await? else {
            return refused(TeamRefusal::NoInvite);
        };
        let team = lock_team(tx, id).await?;
        let invited: Option<(i64,)> = tx_run!(tx, |conn| {
            sqlx::query_as("SELECT team_id FROM team_invites WHERE team_id = $1 AND user_id = $2")
                .bind(id)
                .bind(user.to_db())
                .fetch_optional(&mut *conn)
                .await?
        });
        if invited.is_none() {
            return refused(TeamRefusal::NoInvite);
        }
        if team.members.len() >= max as usize {
            return refused(TeamRefusal::Full { max });
        }
        add_member(tx, id, user, now).await?;
        lock_team(tx, id).await
    });
    res.map_err(|e| unique_to(e, TeamRefusal::AlreadyInTeam))
}

/// `user` leaves their team; a leader's team passes to the next member, and a team left empty
/// is deleted. Returns the team after (`None` when it is gone).
pub async fn leave(storage: &Storage, user: UserId, now: DateTime<Utc>) -> Result<Option<Team>> {
    transaction!(storage, |tx| {
        let team = my_team_locked(tx, user).await?;
        tx_run!(tx, |conn| {
            sqlx::query("DELETE FROM team_members WHERE team_id = $1 AND user_id = $2")
                .bind(team.id)
                .bind(user.to_db())
                .execute(&mut *conn)
                .await?;
        });
        let rest: Vec<UserId> = team
            .members
            .iter()
            .copied()
            .filter(|u| *u != user)
            .collect();
        match rest.first() {
            None => {
                delete(tx, team.id).await?;
                Ok(None)
            }
            Some(next) => {
                if team.leader == user {
                    tx_run!(tx, |conn| {
                        sqlx::query(
                            "UPDATE teams SET leader_id = $1, updated_at = $2 WHERE id = $3",
                        )
                        .bind(next.to_db())
                        .bind(now)
                        .bind(team.id)
                        .execute(&mut *conn)
                        .await?;
                    });
                }
                Ok(Some(lock_team(tx, team.id).await?))
            }
        }
    })
}

async fn delete(tx: &mut Tx, team: i64) -> Result<()> {
    tx_run!(tx, |conn| {
        sqlx::query("DELETE FROM teams WHERE id = $1")
            .bind(team)
            .execute(&mut *conn)
            .await?;
    });
    Ok(())
}

/// The leader disbands the team. Returns it as it was.
pub async fn disband(storage: &Storage, leader: UserId) -> Result<Team> {
    transaction!(storage, |tx| {
        let team = my_team_locked(tx, leader).await?;
        if team.leader != leader {
            return refused(TeamRefusal::NotLeader);
        }
        delete(tx, team.id).await?;
        Ok(team)
    })
}

/// The members of `team` who can hunt at `now` (their hunt cooldown is over), in team order.
pub async fn present(storage: &Storage, team: &Team, now: DateTime<Utc>) -> Result<Vec<UserId>> {
    let mut out = Vec::new();
    for u in &team.members {
        if cooldowns::remaining(storage, *u, hunt::COOLDOWN_COMMAND, now)
            .await?
            .is_none()
        {
            out.push(*u);
        }
    }
    Ok(out)
}

/// What a member got from a team hunt.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HuntShare {
    /// The share.
    pub share: TeamShare,
    /// Wallet after.
    pub balance_after: Chrons,
    /// Level after.
    pub level_after: u32,
    /// Whether they levelled up.
    pub levelled_up: bool,
}

/// Records a team hunt of `team` (the caller's) in ONE transaction: each share's member gets
/// the hunt cooldown (so a member who hunted meanwhile refuses the whole hunt with
/// [`Refusal::OnCooldown`]), their Chrons (ledger, kind `team_hunt`), items and XP. Every share
/// must be a member of the team (else [`TeamRefusal::NotInTeam`]).
pub async fn record_hunt(
    storage: &Storage,
    caller: UserId,
    shares: &[TeamShare],
    cooldown: Duration,
    curve: &XpCurve,
    guild: Option<GuildId>,
    now: DateTime<Utc>,
) -> Result<Vec<HuntShare>> {
    transaction!(storage, |tx| {
        let team = my_team_locked(tx, caller).await?;
        if shares.len() < 2 {
            return refused(TeamRefusal::NotEnoughPresent {
                present: shares.len(),
            });
        }
        if shares.iter().any(|s| !team.members.contains(&s.user)) {
            return refused(TeamRefusal::NotInTeam);
        }
        let mut order: Vec<&TeamShare> = shares.iter().collect();
        order.sort_by_key(|s| s.user);
        let mut out = Vec::new();
        for s in order {
            let mut balance = Chrons::new(users::lock(tx, s.user).await?);
            cooldowns::try_start_in(tx, s.user, hunt::COOLDOWN_COMMAND, now, cooldown).await?;
            if s.chrons.is_positive() {
                let mut memo = Memo::new(format!("team hunt ({})", team.name))
                    .kind("team_hunt")
                    .at(now);
                memo.guild_id = guild;
                balance = economy::apply(tx, s.user, s.chrons, &memo)
                    .await?
                    .balance_after();
            }
            inventory::grant_loot(tx, s.user, &s.loot, now).await?;
            let (before, after, _) =
                hunt::add_global_xp(tx, s.user, s.xp.max(0), curve, now).await?;
            out.push(HuntShare {
                share: s.clone(),
                balance_after: balance,
                level_after: after,
                levelled_up: after > before,
            });
        }
        // Back in the team's order (the caller first).
        out.sort_by_key(|h| shares.iter().position(|s| s.user == h.share.user));
        Ok(out)
    })
}
