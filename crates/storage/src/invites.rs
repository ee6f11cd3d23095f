//! Invite tracking (issue 12): one `invite_joins` row per join (how the member came, fake or
//! not, when they left), admin bonuses (`invite_bonus`, audited), the server's settings
//! (`invite_settings`, JSON checked by `chronix_core::invites::InviteSettings::validate`) and
//! reward roles given once (`invite_reward_grants`). Counts are computed from the rows, so a
//! leave or a rejoin never leaves a stored counter out of step.

use chronix_core::ids::{GuildId, UserId};
use chronix_core::invites::{
    InviteCounts, InviteReward, InviteSettings, InviteSettingsError, JoinSource,
};
use chrono::{DateTime, SubsecRound, Utc};

use crate::{Refusal, Result, Storage, StorageError, Tx, audit};

/// Why an invites action was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum InvitesRefusal {
    /// The settings break a rule.
    #[error("invalid invite settings: {0}")]
    Invalid(InviteSettingsError),
}

/// One join to record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Join {
    /// The server.
    pub guild: GuildId,
    /// Who joined.
    pub user: UserId,
    /// How.
    pub source: JoinSource,
    /// The account was younger than the server's limit.
    pub fake: bool,
    /// When.
    pub joined_at: DateTime<Utc>,
}

/// A stored join.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JoinRecord {
    /// Who joined.
    pub user: UserId,
    /// How.
    pub source: JoinSource,
    /// Fake join.
    pub fake: bool,
    /// When.
    pub joined_at: DateTime<Utc>,
    /// When they left (`None`: still here, as far as the bot saw).
    pub left_at: Option<DateTime<Utc>>,
}

impl JoinRecord {
    /// Who invited them (an invite's creator).
    pub fn inviter(&self) -> Option<UserId> {
        match &self.source {
            JoinSource::Invite { inviter, .. } => *inviter,
            _ => None,
        }
    }

    /// The invite code they joined with.
    pub fn code(&self) -> Option<&str> {
        match &self.source {
            JoinSource::Invite { code, .. } => Some(code),
            _ => None,
        }
    }
}

#[derive(sqlx::FromRow)]
struct JoinRow {
    user_id: i64,
    source: String,
    code: Option<String>,
    inviter_id: Option<i64>,
    fake: bool,
    joined_at: DateTime<Utc>,
    left_at: Option<DateTime<Utc>>,
}

impl JoinRow {
    fn into_record(self) -> JoinRecord {
        let source = match (self.source.as_str(), self.code) {
            ("invite", Some(code)) => JoinSource::Invite {
                code,
                inviter: self.inviter_id.map(UserId::from_db),
            },
            ("vanity", _) => JoinSource::Vanity,
            _ => JoinSource::Unknown,
        };
        JoinRecord {
            user: UserId::from_db(self.user_id),
            source,
            fake: self.fake,
            joined_at: self.joined_at,
            left_at: self.left_at,
        }
    }
}

const JOIN_COLUMNS: &str = "user_id, source, code, inviter_id, fake, joined_at, left_at";

/// Records a join. An earlier join of the same member still open (the bot missed their leave)
/// is closed at this join first, so each member has at most one open row. The same join seen
/// twice (a replayed gateway event: same member, same `joined_at`) is recorded once. Returns
/// whether it was new.
pub async fn record_join(storage: &Storage, j: &Join) -> Result<bool> {
    let new = record_joins(storage, std::slice::from_ref(j)).await?;
    Ok(new.first().copied().unwrap_or(false))
}

/// Records joins in one transaction, in order, each as [`record_join`] does. A burst of joins
/// of one server, each member once, costs one read of those members' rows, one multi-row
/// insert and one update per member whose earlier join is still open; otherwise (several
/// servers, a member twice) the joins are recorded one after the other in the transaction.
/// Returns, for each, whether it was new.
pub async fn record_joins(storage: &Storage, joins: &[Join]) -> Result<Vec<bool>> {
    let Some(first) = joins.first() else {
        return Ok(Vec::new());
    };
    let mut users = std::collections::HashSet::new();
    if joins
        .iter()
        .all(|j| j.guild == first.guild && users.insert(j.user))
    {
        return record_burst(storage, first.guild, joins).await;
    }
    record_one_by_one(storage, joins).await
}

/// Rows inserted by one statement (7 parameters each, far below either backend's limit).
const INSERT_CHUNK: usize = 500;

/// [`record_joins`] for joins of `guild`, each member once.
async fn record_burst(storage: &Storage, guild: GuildId, joins: &[Join]) -> Result<Vec<bool>> {
    transaction!(storage, |tx| store_burst(tx, guild, joins).await)
}

/// Stores joins of `guild` (each member once) in `tx`: one read of those members' rows, the
/// open joins closed, one insert per [`INSERT_CHUNK`] new joins.
async fn store_burst(tx: &mut Tx, guild: GuildId, joins: &[Join]) -> Result<Vec<bool>> {
    // Milliseconds: what both backends store and compare exactly.
    let at = |j: &Join| j.joined_at.trunc_subsecs(3);
    let rows: Vec<(i64, DateTime<Utc>, Option<DateTime<Utc>>)> = tx_run!(tx, |conn| {
        let mut qb = sqlx::QueryBuilder::new(
            "SELECT user_id, joined_at, left_at FROM invite_joins WHERE guild_id = ",
        );
        qb.push_bind(guild.to_db());
        qb.push(" AND user_id IN (");
        let mut ids = qb.separated(", ");
        for j in joins {
            ids.push_bind(j.user.to_db());
        }
        ids.push_unseparated(")");
        // One SQL text per burst size: not kept prepared (see `logging::insert_batch`).
        qb.build_query_as()
            .persistent(false)
            .fetch_all(&mut *conn)
            .await?
    });
    let new: Vec<bool> = joins
        .iter()
        .map(|j| {
            !rows
                .iter()
                .any(|(u, t, _)| *u == j.user.to_db() && *t == at(j))
        })
        .collect();
    // Earlier joins still open (the bot missed the leave) close at the new join.
    for (j, _) in joins.iter().zip(&new).filter(|(_, n)| **n) {
        if rows
            .iter()
            .any(|(u, _, left)| *u == j.user.to_db() && left.is_none())
        {
            tx_run!(tx, |conn| {
                sqlx::query(
                    "UPDATE invite_joins SET left_at = $1 \
                     WHERE guild_id = $2 AND user_id = $3 AND left_at IS NULL",
                )
                .bind(at(j))
                .bind(guild.to_db())
                .bind(j.user.to_db())
                .execute(&mut *conn)
                .await?;
            });
        }
    }
    let fresh: Vec<&Join> = joins
        .iter()
        .zip(&new)
        .filter_map(|(j, n)| n.then_some(j))
        .collect();
    for chunk in fresh.chunks(INSERT_CHUNK) {
        tx_run!(tx, |conn| {
            let mut qb = sqlx::QueryBuilder::new(
                "INSERT INTO invite_joins (guild_id, user_id, source, code, inviter_id, \
                 fake, joined_at) ",
            );
            qb.push_values(chunk, |mut b, j| {
                let (code, inviter) = match &j.source {
                    JoinSource::Invite { code, inviter } => (Some(code.clone()), *inviter),
                    _ => (None, None),
                };
                b.push_bind(j.guild.to_db())
                    .push_bind(j.user.to_db())
                    .push_bind(j.source.kind())
                    .push_bind(code)
                    .push_bind(inviter.map(UserId::to_db))
                    .push_bind(j.fake)
                    .push_bind(at(j));
            });
            let full = chunk.len() == INSERT_CHUNK;
            qb.build().persistent(full).execute(&mut *conn).await?;
        });
    }
    Ok(new)
}

/// [`record_joins`] one join after the other, in one transaction (a member twice, or several
/// servers).
async fn record_one_by_one(storage: &Storage, joins: &[Join]) -> Result<Vec<bool>> {
    transaction!(storage, |tx| {
        let mut new = Vec::with_capacity(joins.len());
        for j in joins {
            new.extend(store_burst(tx, j.guild, std::slice::from_ref(j)).await?);
        }
        Ok(new)
    })
}

/// Records that `user` left: closes their open join and returns it (`None`: the bot never saw
/// them join).
pub async fn record_leave(
    storage: &Storage,
    guild: GuildId,
    user: UserId,
    now: DateTime<Utc>,
) -> Result<Option<JoinRecord>> {
    let sql = format!(
        "UPDATE invite_joins SET left_at = $1 \
         WHERE guild_id = $2 AND user_id = $3 AND left_at IS NULL RETURNING {JOIN_COLUMNS}"
    );
    let row: Option<JoinRow> = conn_run!(storage, |conn| {
        sqlx::query_as(&sql)
            .bind(now)
            .bind(guild.to_db())
            .bind(user.to_db())
            .fetch_optional(&mut *conn)
            .await?
    });
    Ok(row.map(JoinRow::into_record))
}

/// The latest join of `user` (whether or not they left since).
pub async fn last_join(
    storage: &Storage,
    guild: GuildId,
    user: UserId,
) -> Result<Option<JoinRecord>> {
    let sql = format!(
        "SELECT {JOIN_COLUMNS} FROM invite_joins WHERE guild_id = $1 AND user_id = $2 \
         ORDER BY joined_at DESC, id DESC LIMIT 1"
    );
    let row: Option<JoinRow> = conn_run!(storage, |conn| {
        sqlx::query_as(&sql)
            .bind(guild.to_db())
            .bind(user.to_db())
            .fetch_optional(&mut *conn)
            .await?
    });
    Ok(row.map(JoinRow::into_record))
}

/// Who invited `user` to `guild` (their latest join), `None` for a vanity, unknown or
/// unrecorded join. The welcomer's `{inviter}` placeholder reads this.
pub async fn inviter_of(storage: &Storage, guild: GuildId, user: UserId) -> Result<Option<UserId>> {
    Ok(last_join(storage, guild, user)
        .await?
        .and_then(|j| j.inviter()))
}

/// The joins of members still in `guild` (as far as the bot saw), oldest first: what mass
/// actions select from by invite code, inviter or join time.
pub async fn current_joins(storage: &Storage, guild: GuildId) -> Result<Vec<JoinRecord>> {
    let sql = format!(
        "SELECT {JOIN_COLUMNS} FROM invite_joins WHERE guild_id = $1 AND left_at IS NULL \
         ORDER BY joined_at, id"
    );
    let rows: Vec<JoinRow> = conn_run!(storage, |conn| {
        sqlx::query_as(&sql)
            .bind(guild.to_db())
            .fetch_all(&mut *conn)
            .await?
    });
    Ok(rows.into_iter().map(JoinRow::into_record).collect())
}

/// The per-inviter sums, shared by [`counts`] and [`leaderboard`]: joins (regular, fake, left)
/// and bonuses of one server, one row per inviter.
const SUMS: &str = "SELECT inviter_id, \
     CAST(SUM(regular) AS BIGINT) AS regular, CAST(SUM(fake) AS BIGINT) AS fake, \
     CAST(SUM(lft) AS BIGINT) AS lft, CAST(SUM(bonus) AS BIGINT) AS bonus FROM ( \
       SELECT inviter_id, \
         CASE WHEN fake THEN 0 WHEN left_at IS NULL THEN 1 ELSE 0 END AS regular, \
         CASE WHEN fake THEN 1 ELSE 0 END AS fake, \
         CASE WHEN fake THEN 0 WHEN left_at IS NULL THEN 0 ELSE 1 END AS lft, \
         0 AS bonus \
       FROM invite_joins WHERE guild_id = $1 AND inviter_id IS NOT NULL \
       UNION ALL \
       SELECT inviter_id, 0, 0, 0, bonus FROM invite_bonus WHERE guild_id = $2 \
     ) t";

type SumRow = (i64, i64, i64, i64, i64);

fn counts_of(r: &SumRow) -> InviteCounts {
    InviteCounts {
        regular: r.1,
        fake: r.2,
        left: r.3,
        bonus: r.4,
    }
}

/// An inviter's counts in `guild` (zeros when they invited nobody).
pub async fn counts(storage: &Storage, guild: GuildId, inviter: UserId) -> Result<InviteCounts> {
    let sql = format!("{SUMS} WHERE inviter_id = $3 GROUP BY inviter_id");
    let row: Option<SumRow> = conn_run!(storage, |conn| {
        sqlx::query_as(&sql)
            .bind(guild.to_db())
            .bind(guild.to_db())
            .bind(inviter.to_db())
            .fetch_optional(&mut *conn)
            .await?
    });
    Ok(row.as_ref().map(counts_of).unwrap_or_default())
}

/// One page of the server's inviters by total (regular + bonus), then by id.
pub async fn leaderboard(
    storage: &Storage,
    guild: GuildId,
    offset: i64,
    limit: i64,
) -> Result<Vec<(UserId, InviteCounts)>> {
    let sql = format!(
        "{SUMS} GROUP BY inviter_id ORDER BY SUM(regular) + SUM(bonus) DESC, inviter_id \
         LIMIT $3 OFFSET $4"
    );
    let rows: Vec<SumRow> = conn_run!(storage, |conn| {
        sqlx::query_as(&sql)
            .bind(guild.to_db())
            .bind(guild.to_db())
            .bind(limit)
            .bind(offset)
            .fetch_all(&mut *conn)
            .await?
    });
    Ok(rows
        .iter()
        .map(|r| (UserId::from_db(r.0), counts_of(r)))
        .collect())
}

/// How many inviters the leaderboard lists.
pub async fn leaderboard_len(storage: &Storage, guild: GuildId) -> Result<i64> {
    let sql = format!("SELECT COUNT(*) FROM ({SUMS} GROUP BY inviter_id) s");
    let (n,): (i64,) = conn_run!(storage, |conn| {
        sqlx::query_as(&sql)
            .bind(guild.to_db())
            .bind(guild.to_db())
            .fetch_one(&mut *conn)
            .await?
    });
    Ok(n)
}

/// Adds `delta` (negative: removes) to an inviter's bonus; audited as `invites.bonus` in the
/// same transaction. Returns the new bonus.
pub async fn add_bonus(
    storage: &Storage,
    guild: GuildId,
    inviter: UserId,
    delta: i64,
    actor: UserId,
    now: DateTime<Utc>,
) -> Result<i64> {
    transaction!(storage, |tx| {
        let (bonus,): (i64,) = tx_run!(tx, |conn| {
            sqlx::query_as(
                "INSERT INTO invite_bonus (guild_id, inviter_id, bonus) VALUES ($1, $2, $3) \
                 ON CONFLICT (guild_id, inviter_id) \
                 DO UPDATE SET bonus = invite_bonus.bonus + excluded.bonus RETURNING bonus",
            )
            .bind(guild.to_db())
            .bind(inviter.to_db())
            .bind(delta)
            .fetch_one(&mut *conn)
            .await?
        });
        audit::append_in(
            tx,
            actor,
            Some(guild),
            "invites.bonus",
            Some(&inviter.to_string()),
            &serde_json::json!({ "delta": delta, "bonus": bonus }),
            now,
        )
        .await?;
        Ok(bonus)
    })
}

/// A server's invite settings (the defaults when it never saved any).
pub async fn settings(storage: &Storage, guild: GuildId) -> Result<InviteSettings> {
    crate::guild_json::load(storage, "invite_settings", guild).await
}

/// Stores a server's settings after checking them (refused with [`InvitesRefusal::Invalid`],
/// nothing written); audited as `invites.settings`.
pub async fn save_settings(
    storage: &Storage,
    guild: GuildId,
    actor: UserId,
    s: &InviteSettings,
    now: DateTime<Utc>,
) -> Result<()> {
    s.validate()
        .map_err(|e| StorageError::Refused(Refusal::Invites(InvitesRefusal::Invalid(e))))?;
    let json = serde_json::to_string(s)
        .map_err(|e| StorageError::Corrupt(format!("invite settings: {e}")))?;
    transaction!(storage, |tx| {
        crate::guild_json::store_in(tx, "invite_settings", guild, &json, now).await?;
        audit::append_in(
            tx,
            actor,
            Some(guild),
            "invites.settings",
            None,
            &serde_json::from_str::<serde_json::Value>(&json).unwrap_or_default(),
            now,
        )
        .await?;
        Ok(())
    })
}

/// Records the reward grants of `due` for an inviter; returns those not granted before (the
/// roles the bot must give now). Each reward is granted once, whatever happens to the count.
pub async fn claim_rewards(
    storage: &Storage,
    guild: GuildId,
    user: UserId,
    due: &[InviteReward],
    now: DateTime<Utc>,
) -> Result<Vec<InviteReward>> {
    let key = |r: &InviteReward| Ok((i64::from(r.count), r.role));
    let table = ("invite_reward_grants", "count");
    crate::role_grants::claim(storage, table, (guild, user), due, key, now).await
}
