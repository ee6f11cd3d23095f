//! Announcements (`announcements`, the record as JSON in `payload`, validated by
//! [`Announcement::validate`] before every write), their posted occurrences
//! (`announcement_runs`) and networks for cross-server broadcasting (`announce_networks`,
//! `announce_network_members`).
//!
//! Posting is a job of kind [`POST_JOB`] per occurrence (payload: the announcement's id and the
//! occurrence), queued in the transaction that schedules the announcement. [`claim_due`] is the
//! one place an occurrence is taken: under the row's lock it checks that the announcement is
//! still scheduled for exactly that occurrence, applies the missed-occurrence rule
//! ([`chronix_core::announcements::on_due`]), records the occurrence in `announcement_runs`
//! (primary key: a second claim of it finds the row and gets nothing) and, for a recurring
//! announcement, moves `scheduled_at` to the next occurrence and queues its job, all in one
//! transaction. Two workers running the same job therefore post it once.

use chronix_core::announcements::{AnnounceError, Announcement, Schedule, on_due, parse_timezone};
use chronix_core::ids::{ChannelId, GuildId, UserId};
use chrono::{DateTime, Duration, Utc};
use chrono_tz::Tz;

use crate::jobs::{self, NewJob};
use crate::{Dialect, Refusal, Result, Storage, StorageError, Tx};

/// The job kind that posts one occurrence (payload `{"id": …, "at": "<RFC 3339>"}`).
pub const POST_JOB: &str = "announcements.post";
/// Announcements listed by [`list`].
pub const LIST_LIMIT: i64 = 25;
/// Networks one server may own.
pub const MAX_NETWORKS: i64 = 5;

/// An announcement's id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct AnnouncementId(i64);

/// A network's id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct NetworkId(i64);

macro_rules! row_id {
    ($t:ident) => {
        impl $t {
            /// From its command, button or job form.
            pub const fn new(id: i64) -> Self {
                Self(id)
            }
            /// Its value.
            pub const fn get(self) -> i64 {
                self.0
            }
        }
        impl std::fmt::Display for $t {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                self.0.fmt(f)
            }
        }
    };
}
row_id!(AnnouncementId);
row_id!(NetworkId);

/// Where an announcement is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    /// Kept, not scheduled.
    Draft,
    /// Waiting for its next occurrence (`next`).
    Scheduled,
    /// Posted (a one-off) or finished.
    Done,
    /// Cancelled by an admin.
    Cancelled,
    /// A one-off missed by more than the grace window while the bot was down.
    Missed,
}

impl Status {
    /// The stored text.
    pub const fn as_str(self) -> &'static str {
        match self {
            Status::Draft => "draft",
            Status::Scheduled => "scheduled",
            Status::Done => "done",
            Status::Cancelled => "cancelled",
            Status::Missed => "missed",
        }
    }
    fn parse(s: &str) -> Self {
        match s {
            "draft" => Status::Draft,
            "scheduled" => Status::Scheduled,
            "done" => Status::Done,
            "missed" => Status::Missed,
            _ => Status::Cancelled,
        }
    }
    /// Draft or scheduled: may be edited, sent or cancelled.
    pub const fn is_active(self) -> bool {
        matches!(self, Status::Draft | Status::Scheduled)
    }
}

/// A stored announcement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stored {
    /// Id.
    pub id: AnnouncementId,
    /// Its server.
    pub guild: GuildId,
    /// Who made it.
    pub author: UserId,
    /// The record.
    pub record: Announcement,
    /// Its status.
    pub status: Status,
    /// The next occurrence while scheduled.
    pub next: Option<DateTime<Utc>>,
    /// Occurrences posted so far.
    pub runs: i64,
    /// The last posted occurrence.
    pub last_run_at: Option<DateTime<Utc>>,
    /// Created.
    pub created_at: DateTime<Utc>,
}

/// Why an announcement action was refused (nothing changed).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AnnounceRefusal {
    /// The record is invalid.
    #[error(transparent)]
    Invalid(#[from] AnnounceError),
    /// No such announcement in this server.
    #[error("no announcement #{0} here")]
    NoSuch(i64),
    /// It is done, missed or cancelled.
    #[error("announcement #{0} is no longer active")]
    NotActive(i64),
    /// The schedule has no occurrence left (a one-off in the past).
    #[error("this schedule has no time left to post")]
    NothingToPost,
    /// No such network.
    #[error("no network #{0}")]
    NoNetwork(i64),
    /// The network belongs to another server.
    #[error("network #{0} belongs to another server")]
    NotYourNetwork(i64),
    /// A server cannot join its own network.
    #[error("this server owns that network")]
    OwnNetwork,
    /// No join request (or membership) of that server.
    #[error("no request from that server")]
    NoRequest,
    /// The server owns too many networks.
    #[error("at most {max} networks per server")]
    TooManyNetworks {
        /// The limit.
        max: i64,
    },
    /// A network name empty or longer than 50 characters.
    #[error("a network name has 1 to 50 characters")]
    BadNetworkName,
}

fn refused(r: AnnounceRefusal) -> StorageError {
    StorageError::Refused(Refusal::Announce(r))
}

type Row = (
    i64,
    i64,
    i64,
    String,
    Option<DateTime<Utc>>,
    String,
    i64,
    Option<DateTime<Utc>>,
    DateTime<Utc>,
);

fn columns(d: Dialect) -> &'static str {
    match d {
        Dialect::Postgres => {
            "id, guild_id, author_id, payload::text, scheduled_at, status, runs, last_run_at, \
             created_at"
        }
        Dialect::Sqlite => {
            "id, guild_id, author_id, payload, scheduled_at, status, runs, last_run_at, created_at"
        }
    }
}

fn json_param(d: Dialect, n: u8) -> String {
    match d {
        Dialect::Postgres => format!("CAST(${n} AS JSONB)"),
        Dialect::Sqlite => format!("${n}"),
    }
}

fn from_row(r: Row) -> Result<Stored> {
    let record = serde_json::from_str(&r.3)
        .map_err(|e| StorageError::Corrupt(format!("announcement {}: {e}", r.0)))?;
    Ok(Stored {
        id: AnnouncementId(r.0),
        guild: GuildId::from_db(r.1),
        author: UserId::from_db(r.2),
        record,
        status: Status::parse(&r.5),
        next: r.4,
        runs: r.6,
        last_run_at: r.7,
        created_at: r.8,
    })
}

fn to_json(a: &Announcement) -> Result<String> {
    serde_json::to_string(a).map_err(|e| StorageError::Corrupt(format!("announcement: {e}")))
}

/// The dedupe key of the job of one occurrence.
pub fn job_key(id: AnnouncementId, at: DateTime<Utc>) -> String {
    format!("announce:{}@{}", id.0, at.timestamp())
}

/// The payload of the job of one occurrence.
pub fn job_payload(id: AnnouncementId, at: DateTime<Utc>) -> serde_json::Value {
    serde_json::json!({ "id": id.0, "at": at.to_rfc3339() })
}

/// Reads a [`POST_JOB`] payload.
pub fn parse_job_payload(v: &serde_json::Value) -> Option<(AnnouncementId, DateTime<Utc>)> {
    let id = v.get("id")?.as_i64()?;
    let at = DateTime::parse_from_rfc3339(v.get("at")?.as_str()?).ok()?;
    Some((AnnouncementId(id), at.with_timezone(&Utc)))
}

async fn enqueue_occurrence(
    tx: &mut Tx,
    id: AnnouncementId,
    at: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Result<()> {
    jobs::enqueue_in(
        tx,
        NewJob::new(POST_JOB, job_payload(id, at), at).dedupe_key(job_key(id, at)),
        now,
    )
    .await?;
    Ok(())
}

async fn drop_occurrence(tx: &mut Tx, id: AnnouncementId, at: Option<DateTime<Utc>>) -> Result<()> {
    let Some(at) = at else { return Ok(()) };
    let key = job_key(id, at);
    tx_run!(tx, |conn| {
        sqlx::query("DELETE FROM jobs WHERE dedupe_key = $1 AND status = 'pending'")
            .bind(&key)
            .execute(&mut *conn)
            .await?;
    });
    Ok(())
}

async fn check_network(tx: &mut Tx, guild: GuildId, a: &Announcement) -> Result<()> {
    let Some(n) = a.network else { return Ok(()) };
    let owner: Option<(i64,)> = tx_run!(tx, |conn| {
        sqlx::query_as("SELECT guild_id FROM announce_networks WHERE id = $1")
            .bind(n)
            .fetch_optional(&mut *conn)
            .await?
    });
    match owner {
        None => Err(refused(AnnounceRefusal::NoNetwork(n))),
        Some((g,)) if g != guild.to_db() => Err(refused(AnnounceRefusal::NotYourNetwork(n))),
        Some(_) => Ok(()),
    }
}

/// Status and first occurrence of a record confirmed at `now`.
fn plan(a: &Announcement, tz: Tz, now: DateTime<Utc>) -> Result<(Status, Option<DateTime<Utc>>)> {
    a.validate()
        .map_err(|e| refused(AnnounceRefusal::Invalid(e)))?;
    if a.schedule == Schedule::Draft {
        return Ok((Status::Draft, None));
    }
    match a.schedule.first(now, tz) {
        Some(t) => Ok((Status::Scheduled, Some(t))),
        None => Err(refused(AnnounceRefusal::NothingToPost)),
    }
}

/// Stores a new announcement: a draft, or scheduled with the job of its first occurrence
/// queued in the same transaction (`Schedule::Now`: due at `now`).
pub async fn create(
    storage: &Storage,
    guild: GuildId,
    author: UserId,
    a: &Announcement,
    tz: Tz,
    now: DateTime<Utc>,
) -> Result<Stored> {
    let (status, next) = plan(a, tz, now)?;
    let json = to_json(a)?;
    let first = a.channels.first().copied().unwrap_or(ChannelId::new(0));
    transaction!(storage, |tx| {
        check_network(tx, guild, a).await?;
        let row: Row = tx_run!(tx, |conn, d| {
            let sql = format!(
                "INSERT INTO announcements (guild_id, author_id, channel_id, payload, \
                 scheduled_at, recurrence, status, created_at, updated_at) \
                 VALUES ($1, $2, $3, {}, $5, $6, $7, $8, $8) RETURNING {}",
                json_param(d, 4),
                columns(d)
            );
            sqlx::query_as(&sql)
                .bind(guild.to_db())
                .bind(author.to_db())
                .bind(first.to_db())
                .bind(&json)
                .bind(next)
                .bind(a.is_recurring().then(|| a.schedule.describe()))
                .bind(status.as_str())
                .bind(now)
                .fetch_one(&mut *conn)
                .await?
        });
        let stored = from_row(row)?;
        if let Some(at) = next {
            enqueue_occurrence(tx, stored.id, at, now).await?;
        }
        Ok(stored)
    })
}

async fn lock(tx: &mut Tx, guild: Option<GuildId>, id: AnnouncementId) -> Result<Option<Stored>> {
    let row: Option<Row> = tx_run!(tx, |conn, d| {
        let sql = format!(
            "SELECT {} FROM announcements WHERE id = $1{}",
            columns(d),
            d.for_update()
        );
        sqlx::query_as(&sql)
            .bind(id.0)
            .fetch_optional(&mut *conn)
            .await?
    });
    let stored = row.map(from_row).transpose()?;
    Ok(stored.filter(|s| guild.is_none_or(|g| s.guild == g)))
}

async fn lock_active(tx: &mut Tx, guild: GuildId, id: AnnouncementId) -> Result<Stored> {
    let Some(s) = lock(tx, Some(guild), id).await? else {
        return Err(refused(AnnounceRefusal::NoSuch(id.0)));
    };
    if !s.status.is_active() {
        return Err(refused(AnnounceRefusal::NotActive(id.0)));
    }
    Ok(s)
}

#[allow(clippy::too_many_arguments)]
async fn write(
    tx: &mut Tx,
    id: AnnouncementId,
    a: &Announcement,
    status: Status,
    next: Option<DateTime<Utc>>,
    ran: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
) -> Result<Stored> {
    let json = to_json(a)?;
    let first = a.channels.first().copied().unwrap_or(ChannelId::new(0));
    let row: Row = tx_run!(tx, |conn, d| {
        let sql = format!(
            "UPDATE announcements SET payload = {}, channel_id = $2, scheduled_at = $3, \
             status = $4, recurrence = $5, runs = runs + $6, \
             last_run_at = COALESCE($7, last_run_at), updated_at = $8 WHERE id = $9 \
             RETURNING {}",
            json_param(d, 1),
            columns(d)
        );
        sqlx::query_as(&sql)
            .bind(&json)
            .bind(first.to_db())
            .bind(next)
            .bind(status.as_str())
            .bind(a.is_recurring().then(|| a.schedule.describe()))
            .bind(i64::from(ran.is_some()))
            .bind(ran)
            .bind(now)
            .bind(id.0)
            .fetch_one(&mut *conn)
            .await?
    });
    from_row(row)
}

/// Replaces an active announcement's record (`announce edit`): the job of its old next
/// occurrence is dropped and the new schedule's first one queued, in one transaction.
pub async fn update(
    storage: &Storage,
    guild: GuildId,
    id: AnnouncementId,
    a: &Announcement,
    tz: Tz,
    now: DateTime<Utc>,
) -> Result<Stored> {
    let (status, next) = plan(a, tz, now)?;
    transaction!(storage, |tx| {
        let old = lock_active(tx, guild, id).await?;
        check_network(tx, guild, a).await?;
        drop_occurrence(tx, id, old.next).await?;
        let stored = write(tx, id, a, status, next, None, now).await?;
        if let Some(at) = next {
            enqueue_occurrence(tx, id, at, now).await?;
        }
        Ok(stored)
    })
}

/// Cancels a draft or scheduled announcement (its pending job is dropped).
pub async fn cancel(
    storage: &Storage,
    guild: GuildId,
    id: AnnouncementId,
    now: DateTime<Utc>,
) -> Result<Stored> {
    transaction!(storage, |tx| {
        let old = lock_active(tx, guild, id).await?;
        drop_occurrence(tx, id, old.next).await?;
        write(tx, id, &old.record, Status::Cancelled, None, None, now).await
    })
}

/// An announcement of a server.
pub async fn get(storage: &Storage, guild: GuildId, id: AnnouncementId) -> Result<Option<Stored>> {
    transaction!(storage, |tx| lock(tx, Some(guild), id).await)
}

/// A server's announcements: active ones (drafts and scheduled, by next time) then the most
/// recent others, at most [`LIST_LIMIT`].
pub async fn list(storage: &Storage, guild: GuildId) -> Result<Vec<Stored>> {
    let rows: Vec<Row> = conn_run!(storage, |conn, d| {
        let sql = format!(
            "SELECT {} FROM announcements WHERE guild_id = $1 \
             ORDER BY CASE WHEN status IN ('draft', 'scheduled') THEN 0 ELSE 1 END, \
             CASE WHEN status IN ('draft', 'scheduled') THEN id ELSE -id END LIMIT $2",
            columns(d)
        );
        sqlx::query_as(&sql)
            .bind(guild.to_db())
            .bind(LIST_LIMIT)
            .fetch_all(&mut *conn)
            .await?
    });
    rows.into_iter().map(from_row).collect()
}

/// What [`claim_due`] took.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Claim {
    /// The announcement after the claim.
    pub stored: Stored,
    /// The occurrence to post now (`None`: missed, skipped by the rule).
    pub post: Option<DateTime<Utc>>,
    /// Occurrences skipped.
    pub skipped: u32,
}

async fn record_run(
    tx: &mut Tx,
    id: AnnouncementId,
    at: DateTime<Utc>,
    posted: bool,
    now: DateTime<Utc>,
) -> Result<bool> {
    let n = tx_run!(tx, |conn| {
        sqlx::query(
            "INSERT INTO announcement_runs (announcement_id, occurrence_at, posted, created_at) \
             VALUES ($1, $2, $3, $4) ON CONFLICT (announcement_id, occurrence_at) DO NOTHING",
        )
        .bind(id.0)
        .bind(at)
        .bind(posted)
        .bind(now)
        .execute(&mut *conn)
        .await?
        .rows_affected()
    });
    Ok(n == 1)
}

/// Takes the occurrence `due` of announcement `id` when its job runs at `now` (see the module
/// docs), in the server's time zone (`guild_settings.timezone`, UTC when unset). `None`:
/// nothing to do (cancelled, edited to another time, or already taken by another worker).
/// The caller posts `Claim::post` when it is set.
pub async fn claim_due(
    storage: &Storage,
    id: AnnouncementId,
    due: DateTime<Utc>,
    now: DateTime<Utc>,
    grace: Duration,
) -> Result<Option<Claim>> {
    transaction!(storage, |tx| {
        let Some(s) = lock(tx, None, id).await? else {
            return Ok(None);
        };
        if s.status != Status::Scheduled || s.next != Some(due) {
            return Ok(None);
        }
        let tz_name: Option<(Option<String>,)> = tx_run!(tx, |conn| {
            sqlx::query_as("SELECT timezone FROM guild_settings WHERE guild_id = $1")
                .bind(s.guild.to_db())
                .fetch_optional(&mut *conn)
                .await?
        });
        let tz = tz_name
            .and_then(|r| r.0)
            .and_then(|n| parse_timezone(&n))
            .unwrap_or(Tz::UTC);
        let d = on_due(&s.record.schedule, tz, due, now, grace);
        if !record_run(tx, id, d.post.unwrap_or(due), d.post.is_some(), now).await? {
            return Ok(None);
        }
        let status = match (d.next, d.post) {
            (Some(_), _) => Status::Scheduled,
            (None, Some(_)) => Status::Done,
            (None, None) => Status::Missed,
        };
        let stored = write(tx, id, &s.record, status, d.next, d.post, now).await?;
        if let Some(at) = d.next {
            enqueue_occurrence(tx, id, at, now).await?;
        }
        Ok(Some(Claim {
            stored,
            post: d.post,
            skipped: d.skipped,
        }))
    })
}

/// `announce send now`: records an extra occurrence at `now` and returns the announcement to
/// post. A draft or a one-off is then done (its pending job dropped); a recurring one keeps
/// its schedule.
pub async fn send_now(
    storage: &Storage,
    guild: GuildId,
    id: AnnouncementId,
    now: DateTime<Utc>,
) -> Result<Stored> {
    transaction!(storage, |tx| {
        let s = lock_active(tx, guild, id).await?;
        s.record
            .validate()
            .map_err(|e| refused(AnnounceRefusal::Invalid(e)))?;
        if !record_run(tx, id, now, true, now).await? {
            return Err(refused(AnnounceRefusal::NotActive(id.0)));
        }
        let (status, next) = if s.record.is_recurring() && s.status == Status::Scheduled {
            (Status::Scheduled, s.next)
        } else {
            drop_occurrence(tx, id, s.next).await?;
            (Status::Done, None)
        };
        write(tx, id, &s.record, status, next, Some(now), now).await
    })
}

/// Occurrences recorded for an announcement: `(occurrence, posted)`, oldest first.
pub async fn runs(storage: &Storage, id: AnnouncementId) -> Result<Vec<(DateTime<Utc>, bool)>> {
    Ok(conn_run!(storage, |conn| {
        sqlx::query_as(
            "SELECT occurrence_at, posted FROM announcement_runs WHERE announcement_id = $1 \
             ORDER BY occurrence_at",
        )
        .bind(id.0)
        .fetch_all(&mut *conn)
        .await?
    }))
}

// ----- networks -----

/// A network of servers receiving one server's broadcasts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Network {
    /// Id (what other servers type to join).
    pub id: NetworkId,
    /// The publishing server.
    pub owner: GuildId,
    /// Its name.
    pub name: String,
}

/// A server's place in a network.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Member {
    /// The network.
    pub network: NetworkId,
    /// The server.
    pub guild: GuildId,
    /// The channel receiving broadcasts (chosen by that server's admin).
    pub channel: ChannelId,
    /// Approved by the network's owner.
    pub approved: bool,
}

type MemberRow = (i64, i64, i64, String);

fn member(r: MemberRow) -> Member {
    Member {
        network: NetworkId(r.0),
        guild: GuildId::from_db(r.1),
        channel: ChannelId::from_db(r.2),
        approved: r.3 == "approved",
    }
}

/// Creates a network owned by `guild`.
pub async fn network_create(
    storage: &Storage,
    guild: GuildId,
    name: &str,
    by: UserId,
    now: DateTime<Utc>,
) -> Result<Network> {
    let name = name.trim().to_string();
    if name.is_empty() || name.chars().count() > 50 {
        return Err(refused(AnnounceRefusal::BadNetworkName));
    }
    transaction!(storage, |tx| {
        let (n,): (i64,) = tx_run!(tx, |conn| {
            sqlx::query_as("SELECT COUNT(*) FROM announce_networks WHERE guild_id = $1")
                .bind(guild.to_db())
                .fetch_one(&mut *conn)
                .await?
        });
        if n >= MAX_NETWORKS {
            return Err(refused(AnnounceRefusal::TooManyNetworks {
                max: MAX_NETWORKS,
            }));
        }
        let (id,): (i64,) = tx_run!(tx, |conn| {
            sqlx::query_as(
                "INSERT INTO announce_networks (guild_id, name, created_by, created_at) \
                 VALUES ($1, $2, $3, $4) RETURNING id",
            )
            .bind(guild.to_db())
            .bind(&name)
            .bind(by.to_db())
            .bind(now)
            .fetch_one(&mut *conn)
            .await?
        });
        Ok(Network {
            id: NetworkId(id),
            owner: guild,
            name: name.clone(),
        })
    })
}

/// A network by id.
pub async fn network(storage: &Storage, id: NetworkId) -> Result<Option<Network>> {
    let row: Option<(i64, i64, String)> = conn_run!(storage, |conn| {
        sqlx::query_as("SELECT id, guild_id, name FROM announce_networks WHERE id = $1")
            .bind(id.0)
            .fetch_optional(&mut *conn)
            .await?
    });
    Ok(row.map(|r| Network {
        id: NetworkId(r.0),
        owner: GuildId::from_db(r.1),
        name: r.2,
    }))
}

/// `guild` asks to join network `id` with `channel` receiving its broadcasts (its admin opts
/// in). A repeated request changes the channel and keeps an approval.
pub async fn network_join(
    storage: &Storage,
    id: NetworkId,
    guild: GuildId,
    channel: ChannelId,
    by: UserId,
    now: DateTime<Utc>,
) -> Result<Member> {
    let Some(n) = network(storage, id).await? else {
        return Err(refused(AnnounceRefusal::NoNetwork(id.0)));
    };
    if n.owner == guild {
        return Err(refused(AnnounceRefusal::OwnNetwork));
    }
    let row: MemberRow = conn_run!(storage, |conn| {
        sqlx::query_as(
            "INSERT INTO announce_network_members (network_id, guild_id, channel_id, status, \
             requested_by, created_at) VALUES ($1, $2, $3, 'pending', $4, $5) \
             ON CONFLICT (network_id, guild_id) DO UPDATE SET channel_id = EXCLUDED.channel_id \
             RETURNING network_id, guild_id, channel_id, status",
        )
        .bind(id.0)
        .bind(guild.to_db())
        .bind(channel.to_db())
        .bind(by.to_db())
        .bind(now)
        .fetch_one(&mut *conn)
        .await?
    });
    Ok(member(row))
}

/// The owner of network `id` (`owner`) approves the request of `guild`.
pub async fn network_approve(
    storage: &Storage,
    owner: GuildId,
    id: NetworkId,
    guild: GuildId,
    by: UserId,
) -> Result<Member> {
    match network(storage, id).await? {
        None => return Err(refused(AnnounceRefusal::NoNetwork(id.0))),
        Some(n) if n.owner != owner => return Err(refused(AnnounceRefusal::NotYourNetwork(id.0))),
        Some(_) => {}
    }
    let row: Option<MemberRow> = conn_run!(storage, |conn| {
        sqlx::query_as(
            "UPDATE announce_network_members SET status = 'approved', approved_by = $1 \
             WHERE network_id = $2 AND guild_id = $3 \
             RETURNING network_id, guild_id, channel_id, status",
        )
        .bind(by.to_db())
        .bind(id.0)
        .bind(guild.to_db())
        .fetch_optional(&mut *conn)
        .await?
    });
    row.map(member)
        .ok_or_else(|| refused(AnnounceRefusal::NoRequest))
}

/// `guild` leaves network `id`; when `guild` owns it, the network is deleted with its
/// members. True if something was removed.
pub async fn network_leave(storage: &Storage, guild: GuildId, id: NetworkId) -> Result<bool> {
    let Some(n) = network(storage, id).await? else {
        return Err(refused(AnnounceRefusal::NoNetwork(id.0)));
    };
    let removed = transaction!(storage, |tx| {
        let n = tx_run!(tx, |conn| {
            if n.owner == guild {
                sqlx::query("DELETE FROM announce_network_members WHERE network_id = $1")
                    .bind(id.0)
                    .execute(&mut *conn)
                    .await?;
                sqlx::query("DELETE FROM announce_networks WHERE id = $1")
                    .bind(id.0)
                    .execute(&mut *conn)
                    .await?
                    .rows_affected()
            } else {
                sqlx::query(
                    "DELETE FROM announce_network_members WHERE network_id = $1 AND guild_id = $2",
                )
                .bind(id.0)
                .bind(guild.to_db())
                .execute(&mut *conn)
                .await?
                .rows_affected()
            }
        });
        Ok(n)
    })?;
    Ok(removed > 0)
}

/// The networks a server owns, and its memberships in others.
pub async fn networks_of(storage: &Storage, guild: GuildId) -> Result<(Vec<Network>, Vec<Member>)> {
    let owned: Vec<(i64, i64, String)> = conn_run!(storage, |conn| {
        sqlx::query_as(
            "SELECT id, guild_id, name FROM announce_networks WHERE guild_id = $1 ORDER BY id",
        )
        .bind(guild.to_db())
        .fetch_all(&mut *conn)
        .await?
    });
    let joined: Vec<MemberRow> = conn_run!(storage, |conn| {
        sqlx::query_as(
            "SELECT network_id, guild_id, channel_id, status FROM announce_network_members \
             WHERE guild_id = $1 ORDER BY network_id",
        )
        .bind(guild.to_db())
        .fetch_all(&mut *conn)
        .await?
    });
    Ok((
        owned
            .into_iter()
            .map(|r| Network {
                id: NetworkId(r.0),
                owner: GuildId::from_db(r.1),
                name: r.2,
            })
            .collect(),
        joined.into_iter().map(member).collect(),
    ))
}

/// The members of a network (pending and approved), by server id.
pub async fn network_members(storage: &Storage, id: NetworkId) -> Result<Vec<Member>> {
    let rows: Vec<MemberRow> = conn_run!(storage, |conn| {
        sqlx::query_as(
            "SELECT network_id, guild_id, channel_id, status FROM announce_network_members \
             WHERE network_id = $1 ORDER BY guild_id",
        )
        .bind(id.0)
        .fetch_all(&mut *conn)
        .await?
    });
    Ok(rows.into_iter().map(member).collect())
}

/// The pending post jobs of all announcements: `(announcement, occurrence)`, by time (for
/// checks and diagnostics).
pub async fn pending_occurrences(
    storage: &Storage,
) -> Result<Vec<(AnnouncementId, DateTime<Utc>)>> {
    let rows: Vec<(sqlx::types::Json<serde_json::Value>,)> = conn_run!(storage, |conn| {
        sqlx::query_as(
            "SELECT payload FROM jobs WHERE kind = $1 AND status = 'pending' ORDER BY run_at, id",
        )
        .bind(POST_JOB)
        .fetch_all(&mut *conn)
        .await?
    });
    Ok(rows
        .iter()
        .filter_map(|r| parse_job_payload(&r.0.0))
        .collect())
}
