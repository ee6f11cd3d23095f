//! Server events (feature `eventboard`, switch `ENABLE_EVENTS`): the event row
//! (`server_events`, validated by [`EventSpec::validate`] before it is written), RSVPs
//! (`server_event_rsvps`) and the attendee bonus grants (`server_event_bonuses`).
//!
//! [`rsvp`] runs in one transaction that locks the event row (`FOR UPDATE` on Postgres; SQLite's
//! `BEGIN IMMEDIATE` serialises writers), counts the going members and either seats the member
//! or puts them on the waitlist, so concurrent "going" clicks never exceed the capacity. A
//! going member who changes their answer frees a place: the first in line (lowest `seq`) is
//! promoted in the same transaction.
//!
//! [`finish_occurrence`] pays the attendee bonus (server XP, and Chrons through the ledger
//! with an idempotency key) once per member and occurrence, then moves a repeating event to
//! its next occurrence (RSVPs start over) or marks a one-off event finished.

use chronix_core::economy::Chrons;
use chronix_core::eventboard::{
    AttendeeBonus, CalendarEvent, EventError, EventSpec, Recurrence, RemindBy, Rsvp,
    next_occurrence,
};
use chronix_core::ids::{ChannelId, GuildId, MessageId, UserId};
use chrono::{DateTime, Duration, SubsecRound, Utc};

use crate::{Memo, Refusal, Result, Storage, StorageError, Tx};

/// An event's id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct EventId(i64);

impl EventId {
    /// From its button or job form.
    pub const fn new(id: i64) -> Self {
        Self(id)
    }
    /// Its value.
    pub const fn get(self) -> i64 {
        self.0
    }
}

impl std::fmt::Display for EventId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

/// Where an event is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EventStatus {
    /// Upcoming (or running).
    Scheduled,
    /// Called off.
    Cancelled,
    /// A one-off event that took place.
    Finished,
}

impl EventStatus {
    fn parse(s: &str) -> Self {
        match s {
            "scheduled" => EventStatus::Scheduled,
            "cancelled" => EventStatus::Cancelled,
            _ => EventStatus::Finished,
        }
    }
}

/// A stored event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServerEvent {
    /// Id.
    pub id: EventId,
    /// Its server.
    pub guild: GuildId,
    /// The channel of its RSVP panel.
    pub channel: ChannelId,
    /// The panel message.
    pub message: Option<MessageId>,
    /// Who created it.
    pub host: UserId,
    /// Title.
    pub title: String,
    /// Description.
    pub description: String,
    /// The next (or current) occurrence's start.
    pub starts_at: DateTime<Utc>,
    /// Length of an occurrence.
    pub duration: Duration,
    /// Repeat.
    pub recurrence: Recurrence,
    /// Places (`None`: unlimited).
    pub capacity: Option<u32>,
    /// How going members are reminded.
    pub remind_by: RemindBy,
    /// How long before the start.
    pub remind_before: Duration,
    /// Discord's own scheduled event, when the bot could create one.
    pub discord_event: Option<u64>,
    /// Scheduled, cancelled or finished.
    pub status: EventStatus,
    /// Last change.
    pub updated_at: DateTime<Utc>,
}

impl ServerEvent {
    /// The end of the current occurrence.
    pub fn ends_at(&self) -> DateTime<Utc> {
        self.starts_at + self.duration
    }
    /// As an iCalendar entry.
    pub fn calendar(&self) -> CalendarEvent {
        CalendarEvent {
            id: self.id.0,
            title: self.title.clone(),
            description: self.description.clone(),
            starts_at: self.starts_at,
            ends_at: self.ends_at(),
            recurrence: self.recurrence,
            updated_at: self.updated_at,
            cancelled: self.status == EventStatus::Cancelled,
        }
    }
}

/// Why an event action was refused (nothing changed).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EventRefusal {
    /// The options are invalid.
    #[error(transparent)]
    Invalid(#[from] EventError),
    /// No such event in this server.
    #[error("no such event")]
    NotFound,
    /// Cancelled or over.
    #[error("this event is no longer open")]
    Closed,
}

fn refused(r: EventRefusal) -> StorageError {
    StorageError::Refused(Refusal::Event(r))
}

type Row = (
    i64,
    i64,
    i64,
    Option<i64>,
    i64,
    String,
    String,
    DateTime<Utc>,
    i64,
    String,
    Option<i32>,
    String,
    i64,
    Option<i64>,
    String,
    DateTime<Utc>,
);

const COLUMNS: &str = "id, guild_id, channel_id, message_id, host_id, title, description, \
                       starts_at, duration_secs, recurrence, capacity, remind_by, \
                       remind_before_secs, discord_event_id, status, updated_at";

fn from_row(r: Row) -> ServerEvent {
    ServerEvent {
        id: EventId(r.0),
        guild: GuildId::from_db(r.1),
        channel: ChannelId::from_db(r.2),
        message: r.3.map(MessageId::from_db),
        host: UserId::from_db(r.4),
        title: r.5,
        description: r.6,
        starts_at: r.7,
        duration: Duration::seconds(r.8),
        recurrence: Recurrence::parse(&r.9).unwrap_or_default(),
        capacity: r.10.and_then(|c| u32::try_from(c).ok()),
        remind_by: RemindBy::parse(&r.11).unwrap_or_default(),
        remind_before: Duration::seconds(r.12),
        discord_event: r.13.and_then(|v| u64::try_from(v).ok()),
        status: EventStatus::parse(&r.14),
        updated_at: r.15,
    }
}

/// Creates an event (its panel is posted afterwards: [`set_message`]); invalid options at
/// `now` are refused with [`EventRefusal::Invalid`]. The start is kept to the second (jobs
/// name an occurrence by its Unix time).
pub async fn create(
    storage: &Storage,
    guild: GuildId,
    channel: ChannelId,
    host: UserId,
    spec: &EventSpec,
    now: DateTime<Utc>,
) -> Result<ServerEvent> {
    spec.validate(now)
        .map_err(|e| refused(EventRefusal::Invalid(e)))?;
    let sql = format!(
        "INSERT INTO server_events (guild_id, channel_id, host_id, title, description, \
         starts_at, duration_secs, recurrence, capacity, remind_by, remind_before_secs, status, \
         created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, \
         'scheduled', $12, $12) RETURNING {COLUMNS}"
    );
    let row: Row = conn_run!(storage, |conn| {
        sqlx::query_as(&sql)
            .bind(guild.to_db())
            .bind(channel.to_db())
            .bind(host.to_db())
            .bind(spec.title.trim())
            .bind(spec.description.trim())
            .bind(spec.starts_at.trunc_subsecs(0))
            .bind(spec.duration.num_seconds())
            .bind(spec.recurrence.as_str())
            .bind(spec.capacity.map(|c| i32::try_from(c).unwrap_or(i32::MAX)))
            .bind(spec.remind_by.as_str())
            .bind(spec.remind_before.num_seconds())
            .bind(now)
            .fetch_one(&mut *conn)
            .await?
    });
    Ok(from_row(row))
}

/// Records the panel message.
pub async fn set_message(storage: &Storage, id: EventId, message: MessageId) -> Result<()> {
    conn_run!(storage, |conn| {
        sqlx::query("UPDATE server_events SET message_id = $1 WHERE id = $2")
            .bind(message.to_db())
            .bind(id.0)
            .execute(&mut *conn)
            .await?;
    });
    Ok(())
}

/// Records Discord's scheduled event created alongside.
pub async fn set_discord_event(storage: &Storage, id: EventId, discord: u64) -> Result<()> {
    conn_run!(storage, |conn| {
        sqlx::query("UPDATE server_events SET discord_event_id = $1 WHERE id = $2")
            .bind(i64::try_from(discord).unwrap_or(i64::MAX))
            .bind(id.0)
            .execute(&mut *conn)
            .await?;
    });
    Ok(())
}

/// An event by id.
pub async fn get(storage: &Storage, id: EventId) -> Result<Option<ServerEvent>> {
    let sql = format!("SELECT {COLUMNS} FROM server_events WHERE id = $1");
    let row: Option<Row> = conn_run!(storage, |conn| {
        sqlx::query_as(&sql)
            .bind(id.0)
            .fetch_optional(&mut *conn)
            .await?
    });
    Ok(row.map(from_row))
}

/// An event of `guild` by id (`NotFound` refusal for another server's).
pub async fn get_in(storage: &Storage, guild: GuildId, id: EventId) -> Result<ServerEvent> {
    match get(storage, id).await? {
        Some(e) if e.guild == guild => Ok(e),
        _ => Err(refused(EventRefusal::NotFound)),
    }
}

/// The server's scheduled events, soonest first.
pub async fn upcoming(storage: &Storage, guild: GuildId) -> Result<Vec<ServerEvent>> {
    let sql = format!(
        "SELECT {COLUMNS} FROM server_events WHERE guild_id = $1 AND status = 'scheduled' \
         ORDER BY starts_at, id"
    );
    let rows: Vec<Row> = conn_run!(storage, |conn| {
        sqlx::query_as(&sql)
            .bind(guild.to_db())
            .fetch_all(&mut *conn)
            .await?
    });
    Ok(rows.into_iter().map(from_row).collect())
}

/// Cancels a scheduled event.
pub async fn cancel(storage: &Storage, id: EventId, now: DateTime<Utc>) -> Result<ServerEvent> {
    let sql = format!(
        "UPDATE server_events SET status = 'cancelled', updated_at = $2 \
         WHERE id = $1 AND status = 'scheduled' RETURNING {COLUMNS}"
    );
    let row: Option<Row> = conn_run!(storage, |conn| {
        sqlx::query_as(&sql)
            .bind(id.0)
            .bind(now)
            .fetch_optional(&mut *conn)
            .await?
    });
    match row {
        Some(r) => Ok(from_row(r)),
        None => match get(storage, id).await? {
            None => Err(refused(EventRefusal::NotFound)),
            Some(_) => Err(refused(EventRefusal::Closed)),
        },
    }
}

/// RSVP counts of an event.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    /// Going (seated).
    pub going: i64,
    /// Maybe.
    pub maybe: i64,
    /// Not going.
    pub not_going: i64,
    /// Waiting for a place.
    pub waitlist: i64,
}

async fn counts_in(tx: &mut Tx, id: EventId) -> Result<Counts> {
    let rows: Vec<(String, i64)> = tx_run!(tx, |conn| {
        sqlx::query_as(
            "SELECT status, COUNT(*) FROM server_event_rsvps WHERE event_id = $1 GROUP BY status",
        )
        .bind(id.0)
        .fetch_all(&mut *conn)
        .await?
    });
    let mut c = Counts::default();
    for (s, n) in rows {
        match Rsvp::parse(&s) {
            Some(Rsvp::Going) => c.going = n,
            Some(Rsvp::Maybe) => c.maybe = n,
            Some(Rsvp::NotGoing) => c.not_going = n,
            Some(Rsvp::Waitlist) => c.waitlist = n,
            None => {}
        }
    }
    Ok(c)
}

/// RSVP counts of an event.
pub async fn counts(storage: &Storage, id: EventId) -> Result<Counts> {
    transaction!(storage, |tx| counts_in(tx, id).await)
}

/// The members with an RSVP of `status`, in the order they answered.
pub async fn members(storage: &Storage, id: EventId, status: Rsvp) -> Result<Vec<UserId>> {
    transaction!(storage, |tx| members_in(tx, id, status).await)
}

async fn members_in(tx: &mut Tx, id: EventId, status: Rsvp) -> Result<Vec<UserId>> {
    let rows: Vec<i64> = tx_run!(tx, |conn| {
        sqlx::query_scalar(
            "SELECT user_id FROM server_event_rsvps WHERE event_id = $1 AND status = $2 \
             ORDER BY seq",
        )
        .bind(id.0)
        .bind(status.as_str())
        .fetch_all(&mut *conn)
        .await?
    });
    Ok(rows.into_iter().map(UserId::from_db).collect())
}

/// What [`rsvp`] did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Answered {
    /// The member's state now (`Waitlist` when they wanted to go and it is full).
    pub state: Rsvp,
    /// Whether anything changed (clicking the same answer twice changes nothing).
    pub changed: bool,
    /// Members moved from the waitlist to going by this change.
    pub promoted: Vec<UserId>,
    /// The counts afterwards.
    pub counts: Counts,
    /// The event.
    pub event: ServerEvent,
}

async fn set_state(
    tx: &mut Tx,
    id: EventId,
    user: UserId,
    state: Rsvp,
    now: DateTime<Utc>,
) -> Result<()> {
    tx_run!(tx, |conn| {
        let seq: i64 = sqlx::query_scalar(
            "SELECT COALESCE(MAX(seq), 0) + 1 FROM server_event_rsvps WHERE event_id = $1",
        )
        .bind(id.0)
        .fetch_one(&mut *conn)
        .await?;
        sqlx::query(
            "INSERT INTO server_event_rsvps (event_id, user_id, status, seq, updated_at) \
             VALUES ($1, $2, $3, $4, $5) ON CONFLICT (event_id, user_id) DO UPDATE \
             SET status = excluded.status, seq = excluded.seq, updated_at = excluded.updated_at",
        )
        .bind(id.0)
        .bind(user.to_db())
        .bind(state.as_str())
        .bind(seq)
        .bind(now)
        .execute(&mut *conn)
        .await?;
    });
    Ok(())
}

/// `user` answers `want` (going, maybe or not going; `Waitlist` counts as going). Going past
/// the capacity puts them on the waitlist; a going member who changes their answer frees a
/// place for the first in line.
pub async fn rsvp(
    storage: &Storage,
    id: EventId,
    user: UserId,
    want: Rsvp,
    now: DateTime<Utc>,
) -> Result<Answered> {
    let want = if want == Rsvp::Waitlist {
        Rsvp::Going
    } else {
        want
    };
    let sql = format!("SELECT {COLUMNS} FROM server_events WHERE id = $1");
    transaction!(storage, |tx| {
        let row: Option<Row> = tx_run!(tx, |conn, d| {
            let sql = format!("{sql}{}", d.for_update());
            sqlx::query_as(&sql)
                .bind(id.0)
                .fetch_optional(&mut *conn)
                .await?
        });
        let Some(row) = row else {
            return Err(refused(EventRefusal::NotFound));
        };
        let event = from_row(row);
        if event.status != EventStatus::Scheduled {
            return Err(refused(EventRefusal::Closed));
        }
        let current: Option<String> = tx_run!(tx, |conn| {
            sqlx::query_scalar(
                "SELECT status FROM server_event_rsvps WHERE event_id = $1 AND user_id = $2",
            )
            .bind(id.0)
            .bind(user.to_db())
            .fetch_optional(&mut *conn)
            .await?
        });
        let current = current.as_deref().and_then(Rsvp::parse);
        let before = counts_in(tx, id).await?;
        let state = match want {
            Rsvp::Going => match current {
                Some(Rsvp::Going) | Some(Rsvp::Waitlist) => current.unwrap_or(Rsvp::Going),
                _ => {
                    let full = event.capacity.is_some_and(|c| before.going >= i64::from(c));
                    if full { Rsvp::Waitlist } else { Rsvp::Going }
                }
            },
            other => other,
        };
        let changed = current != Some(state);
        if changed {
            set_state(tx, id, user, state, now).await?;
        }
        let mut promoted = Vec::new();
        if changed && current == Some(Rsvp::Going) {
            if let Some(cap) = event.capacity {
                let mut going = counts_in(tx, id).await?.going;
                let line = members_in(tx, id, Rsvp::Waitlist).await?;
                for u in line {
                    if going >= i64::from(cap) {
                        break;
                    }
                    tx_run!(tx, |conn| {
                        sqlx::query(
                            "UPDATE server_event_rsvps SET status = 'going', updated_at = $3 \
                             WHERE event_id = $1 AND user_id = $2",
                        )
                        .bind(id.0)
                        .bind(u.to_db())
                        .bind(now)
                        .execute(&mut *conn)
                        .await?;
                    });
                    promoted.push(u);
                    going += 1;
                }
            }
        }
        let counts = counts_in(tx, id).await?;
        Ok(Answered {
            state,
            changed,
            promoted,
            counts,
            event,
        })
    })
}

/// What [`finish_occurrence`] did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finished {
    /// The members who got the attendee bonus now.
    pub rewarded: Vec<UserId>,
    /// The event afterwards (moved to its next occurrence, or finished).
    pub event: ServerEvent,
}

/// Ends the occurrence of `id` that started at `occurrence`: every going member gets `bonus`
/// (server XP with the level `level_for` computes, and Chrons through the ledger) once, then
/// a repeating event moves to its first occurrence after `now` with its RSVPs cleared, and a
/// one-off event is finished. `None` when the event is no longer at that occurrence (cancelled,
/// or already moved on: a job that ran twice changes nothing).
pub async fn finish_occurrence(
    storage: &Storage,
    id: EventId,
    occurrence: DateTime<Utc>,
    bonus: AttendeeBonus,
    level_for: impl Fn(i64) -> u32 + Send + Sync,
    now: DateTime<Utc>,
) -> Result<Option<Finished>> {
    let sql = format!("SELECT {COLUMNS} FROM server_events WHERE id = $1");
    transaction!(storage, |tx| {
        let row: Option<Row> = tx_run!(tx, |conn, d| {
            let sql = format!("{sql}{}", d.for_update());
            sqlx::query_as(&sql)
                .bind(id.0)
                .fetch_optional(&mut *conn)
                .await?
        });
        let Some(event) = row.map(from_row) else {
            return Ok(None);
        };
        if event.status != EventStatus::Scheduled
            || event.starts_at.timestamp() != occurrence.timestamp()
        {
            return Ok(None);
        }
        let going = members_in(tx, id, Rsvp::Going).await?;
        let mut rewarded = Vec::new();
        for u in going {
            let fresh = tx_run!(tx, |conn| {
                sqlx::query(
                    "INSERT INTO server_event_bonuses (event_id, occurrence, user_id) \
                     VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
                )
                .bind(id.0)
                .bind(occurrence)
                .bind(u.to_db())
                .execute(&mut *conn)
                .await?
                .rows_affected()
                    == 1
            });
            if !fresh {
                continue;
            }
            if bonus.chrons > 0 {
                let memo = Memo::new(format!("event attended: {}", event.title))
                    .kind("event_bonus")
                    .guild(event.guild)
                    .key(format!("event:{}:{}:{}", id.0, occurrence.timestamp(), u))
                    .at(now);
                crate::economy::apply(tx, u, Chrons::new(bonus.chrons), &memo).await?;
            }
            if bonus.xp > 0 {
                let gu = crate::guild_users::get_or_create_in(tx, event.guild, u).await?;
                let xp = gu.xp.saturating_add(bonus.xp);
                let level = i32::try_from(level_for(xp)).unwrap_or(i32::MAX);
                tx_run!(tx, |conn| {
                    sqlx::query(
                        "UPDATE guild_users SET xp = $1, level = $2, updated_at = $3 \
                         WHERE guild_id = $4 AND user_id = $5",
                    )
                    .bind(xp)
                    .bind(level)
                    .bind(now)
                    .bind(event.guild.to_db())
                    .bind(u.to_db())
                    .execute(&mut *conn)
                    .await?;
                });
            }
            rewarded.push(u);
        }
        let next = next_occurrence(event.starts_at, event.recurrence, now);
        let upd = match next {
            Some(_) => {
                "UPDATE server_events SET starts_at = $2, updated_at = $3 WHERE id = $1 \
                 RETURNING "
            }
            None => {
                "UPDATE server_events SET status = 'finished', starts_at = $2, updated_at = $3 \
                 WHERE id = $1 RETURNING "
            }
        };
        let upd = format!("{upd}{COLUMNS}");
        let row: Row = tx_run!(tx, |conn| {
            sqlx::query_as(&upd)
                .bind(id.0)
                .bind(next.unwrap_or(event.starts_at))
                .bind(now)
                .fetch_one(&mut *conn)
                .await?
        });
        if next.is_some() {
            tx_run!(tx, |conn| {
                sqlx::query("DELETE FROM server_event_rsvps WHERE event_id = $1")
                    .bind(id.0)
                    .execute(&mut *conn)
                    .await?;
            });
        }
        Ok(Some(Finished {
            rewarded,
            event: from_row(row),
        }))
    })
}
