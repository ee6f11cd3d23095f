//! Membership: invites, join requests, leaving, kicks, roles, transfer and disband (one
//! transaction each, the clan row locked first).

use chronix_core::clans::{self as rules, Role};
use chronix_core::economy::Chrons;
use chronix_core::ids::{GuildId, UserId};
use chrono::{DateTime, Utc};

use super::{
    Clan, ClanRefusal, Entry, add_member, by_name, clan_in, count_members, lock_clan, log_in,
    membership_in, my_clan_locked, owned_clan_locked, refused, require_manager, set_role_in,
    unique_to,
};
use crate::economy::{self, Memo};
use crate::{Result, Storage, Tx, users};

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
        let clan = owned_clan_locked(tx, owner).await?;
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
        let clan = owned_clan_locked(tx, owner).await?;
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
        let clan = owned_clan_locked(tx, owner).await?;
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
