//! The welcomer (issue 15; groundwork for the bot feature): a server's welcomer settings
//! (`welcome_settings`, JSON checked by `chronix_core::welcome::WelcomeSettings::validate`) and
//! the starter kit, given once per member and server (`welcome_kits`) through the ledger, and
//! the delayed auto-role job ([`schedule_roles`], a row of the kernel scheduler's `jobs`).

use chronix_core::economy::Chrons;
use chronix_core::ids::{GuildId, RoleId, UserId};
use chronix_core::welcome::{KitItem, WelcomeError, WelcomeSettings};
use chrono::{DateTime, Utc};

use crate::economy::{self, Memo};
use crate::jobs::{self, NewJob};
use crate::{Refusal, Result, Storage, StorageError, audit};

/// Why a welcomer action was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum WelcomeRefusal {
    /// The settings break a rule.
    #[error("invalid welcome settings: {0}")]
    Invalid(WelcomeError),
}

/// A server's welcomer settings (the defaults when it never saved any).
pub async fn settings(storage: &Storage, guild: GuildId) -> Result<WelcomeSettings> {
    crate::guild_json::load(storage, "welcome_settings", guild).await
}

/// Stores a server's welcomer settings after checking them (refused with
/// [`WelcomeRefusal::Invalid`], nothing written); audited as `welcome.settings`.
pub async fn save_settings(
    storage: &Storage,
    guild: GuildId,
    actor: UserId,
    s: &WelcomeSettings,
    now: DateTime<Utc>,
) -> Result<()> {
    s.validate()
        .map_err(|e| StorageError::Refused(Refusal::Welcome(WelcomeRefusal::Invalid(e))))?;
    let value = serde_json::to_value(s)
        .map_err(|e| StorageError::Corrupt(format!("welcome settings: {e}")))?;
    let json = value.to_string();
    transaction!(storage, |tx| {
        crate::guild_json::store_in(tx, "welcome_settings", guild, &json, now).await?;
        audit::append_in(
            tx,
            actor,
            Some(guild),
            "welcome.settings",
            None,
            &value,
            now,
        )
        .await?;
        Ok(())
    })
}

/// What a starter kit gives: Chrons (0: none) and items (shop items or crates, by id).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StarterKit<'a> {
    /// Chrons, through the ledger.
    pub chrons: Chrons,
    /// Items, added to the member's stacks.
    pub items: &'a [KitItem],
}

impl StarterKit<'_> {
    /// A kit of Chrons only.
    pub fn chrons(chrons: Chrons) -> StarterKit<'static> {
        StarterKit { chrons, items: &[] }
    }
}

/// Gives a member the server's starter kit once: the kit row, the ledger credit (kind
/// `welcome`) and the item stacks commit together (an item unknown to `item_definitions` gives
/// nothing at all). Returns the balance after, or `None` when the member already had this
/// server's kit (nothing changed). An empty kit or negative Chrons are refused.
pub async fn give_starter_kit(
    storage: &Storage,
    guild: GuildId,
    user: UserId,
    kit: StarterKit<'_>,
    now: DateTime<Utc>,
) -> Result<Option<Chrons>> {
    let chrons = kit.chrons;
    if chrons < 0 || (chrons == 0 && kit.items.is_empty()) {
        return Err(StorageError::Refused(Refusal::InvalidAmount(chrons.get())));
    }
    if kit.items.iter().any(|i| i.quantity == 0) {
        return Err(StorageError::Refused(Refusal::InvalidAmount(0)));
    }
    let items = serde_json::to_string(kit.items)
        .map_err(|e| StorageError::Corrupt(format!("starter items: {e}")))?;
    transaction!(storage, |tx| {
        crate::users::ensure(tx, user).await?;
        let inserted = tx_run!(tx, |conn| {
            sqlx::query(
                "INSERT INTO welcome_kits (guild_id, user_id, chrons, given_at, items) \
                 VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING",
            )
            .bind(guild.to_db())
            .bind(user.to_db())
            .bind(chrons.get())
            .bind(now)
            .bind(&items)
            .execute(&mut *conn)
            .await?
            .rows_affected()
        });
        if inserted == 0 {
            return Ok(None);
        }
        for i in kit.items {
            crate::inventory::add(tx, user, &i.item, i64::from(i.quantity), now).await?;
        }
        if chrons == 0 {
            return Ok(Some(Chrons::new(crate::users::lock(tx, user).await?)));
        }
        let memo = Memo::new("welcome starter kit")
            .kind("welcome")
            .guild(guild)
            .key(format!("welcome:kit:{guild}"))
            .at(now);
        let applied = economy::apply(tx, user, chrons, &memo).await?;
        Ok(Some(applied.entry.balance_after))
    })
}

/// The job kind that gives a member's auto roles after the server's delay.
pub const ROLE_JOB: &str = "welcome.roles";

/// What a delayed auto-role job gives (its payload).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct RoleGrant {
    /// The server.
    pub guild: GuildId,
    /// The member.
    pub user: UserId,
    /// The roles to give.
    pub roles: Vec<RoleId>,
}

/// Queues the job that gives `grant`'s roles at `run_at`. One job per join: the dedupe key holds
/// the member's `joined_at`, so a join event delivered twice queues one job, and a member who
/// leaves and joins again gets a new one. Returns whether a job was created.
pub async fn schedule_roles(
    storage: &Storage,
    grant: &RoleGrant,
    joined_at: DateTime<Utc>,
    run_at: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Result<bool> {
    let payload = serde_json::to_value(grant)
        .map_err(|e| StorageError::Corrupt(format!("welcome role grant: {e}")))?;
    let key = format!(
        "{ROLE_JOB}:{}:{}:{}",
        grant.guild,
        grant.user,
        joined_at.timestamp_millis()
    );
    let job = NewJob::new(ROLE_JOB, payload, run_at).dedupe_key(key);
    Ok(jobs::enqueue(storage, job, now).await?.created)
}

/// Remembers that a member joined while membership screening is pending: their auto roles wait
/// for [`pass_screening`]. A second call for the same member keeps the first row.
pub async fn await_screening(
    storage: &Storage,
    guild: GuildId,
    user: UserId,
    joined_at: DateTime<Utc>,
) -> Result<()> {
    conn_run!(storage, |conn| {
        sqlx::query(
            "INSERT INTO welcome_screening (guild_id, user_id, joined_at) VALUES ($1, $2, $3) \
             ON CONFLICT DO NOTHING",
        )
        .bind(guild.to_db())
        .bind(user.to_db())
        .bind(joined_at)
        .execute(&mut *conn)
        .await?;
    });
    Ok(())
}

/// Takes the member's waiting row (the member passed screening, or left): `true` for the one
/// caller that took it, so the roles are given once however often the update arrives.
pub async fn pass_screening(storage: &Storage, guild: GuildId, user: UserId) -> Result<bool> {
    let n = conn_run!(storage, |conn| {
        sqlx::query("DELETE FROM welcome_screening WHERE guild_id = $1 AND user_id = $2")
            .bind(guild.to_db())
            .bind(user.to_db())
            .execute(&mut *conn)
            .await?
            .rows_affected()
    });
    Ok(n == 1)
}
