//! Wizards: the stored state of the shared multi-step panel (`ui_wizards`), so a restart
//! mid-wizard resumes it or expires it cleanly.
//!
//! Every applied action bumps the row's `version`. A click carries the version it was drawn
//! with, and [`advance`] and [`finish`] apply only when that version is still the row's, the
//! wizard is open and not past its expiry, in one conditional `UPDATE`: of two fast clicks on
//! the same panel exactly one applies, the other gets [`Outcome::Stale`].

use chronix_core::ids::{ChannelId, GuildId, MessageId, UserId};
use chrono::{DateTime, Utc};

use crate::{Result, Storage};

/// A wizard's id (the `ui_wizards.id` row id).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct WizardId(i64);

impl WizardId {
    /// From its text or button form (see [`WizardId::get`]).
    pub const fn new(id: i64) -> Self {
        Self(id)
    }
    /// Its value (what button ids and job payloads carry).
    pub const fn get(self) -> i64 {
        self.0
    }
}

impl std::fmt::Display for WizardId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

/// Where a wizard is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    /// Answering clicks.
    Open,
    /// Confirmed.
    Done,
    /// Cancelled by its owner.
    Cancelled,
    /// Nobody touched it before its expiry.
    Expired,
}

impl Status {
    /// The stored text.
    pub const fn as_str(self) -> &'static str {
        match self {
            Status::Open => "open",
            Status::Done => "done",
            Status::Cancelled => "cancelled",
            Status::Expired => "expired",
        }
    }
    fn parse(s: &str) -> Self {
        match s {
            "open" => Status::Open,
            "done" => Status::Done,
            "cancelled" => Status::Cancelled,
            // The CHECK constraint allows nothing else.
            _ => Status::Expired,
        }
    }
}

/// A stored wizard.
#[derive(Debug, Clone, PartialEq)]
pub struct Wizard {
    /// Id.
    pub id: WizardId,
    /// The wizard's registered name.
    pub kind: String,
    /// The only user who may press its buttons.
    pub owner: UserId,
    /// Its guild (none in DMs).
    pub guild: Option<GuildId>,
    /// The channel of its message.
    pub channel: Option<ChannelId>,
    /// Its message, once sent.
    pub message: Option<MessageId>,
    /// The step shown (0-based; the wizard decides what the last ones are).
    pub step: u32,
    /// The feature's state, as JSON.
    pub state: serde_json::Value,
    /// Bumped by every applied action.
    pub version: i64,
    /// Where it is in its life.
    pub status: Status,
    /// When it expires unless touched (sliding).
    pub expires_at: DateTime<Utc>,
    /// Created.
    pub created_at: DateTime<Utc>,
    /// Last change.
    pub updated_at: DateTime<Utc>,
}

impl Wizard {
    /// Open and not past its expiry at `now`.
    pub fn is_live(&self, now: DateTime<Utc>) -> bool {
        self.status == Status::Open && self.expires_at > now
    }
}

#[derive(sqlx::FromRow)]
struct Row {
    id: i64,
    kind: String,
    owner_id: i64,
    guild_id: Option<i64>,
    channel_id: Option<i64>,
    message_id: Option<i64>,
    step: i32,
    state: String,
    version: i64,
    status: String,
    expires_at: DateTime<Utc>,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
}

impl From<Row> for Wizard {
    fn from(r: Row) -> Self {
        Self {
            id: WizardId(r.id),
            kind: r.kind,
            owner: UserId::from_db(r.owner_id),
            guild: r.guild_id.map(GuildId::from_db),
            channel: r.channel_id.map(ChannelId::from_db),
            message: r.message_id.map(MessageId::from_db),
            step: u32::try_from(r.step).unwrap_or(0),
            // Only this module writes the column, always with valid JSON.
            state: serde_json::from_str(&r.state).unwrap_or(serde_json::Value::Null),
            version: r.version,
            status: Status::parse(&r.status),
            expires_at: r.expires_at,
            created_at: r.created_at,
            updated_at: r.updated_at,
        }
    }
}

const COLUMNS: &str = "id, kind, owner_id, guild_id, channel_id, message_id, step, state, \
                       version, status, expires_at, created_at, updated_at";

/// A wizard to open.
#[derive(Debug, Clone, PartialEq)]
pub struct NewWizard {
    /// The wizard's registered name.
    pub kind: String,
    /// Its owner.
    pub owner: UserId,
    /// Its guild.
    pub guild: Option<GuildId>,
    /// The channel its message goes to.
    pub channel: Option<ChannelId>,
    /// The initial state.
    pub state: serde_json::Value,
    /// Its first expiry.
    pub expires_at: DateTime<Utc>,
}

/// What an action on a wizard did.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    /// Applied: the wizard as it is now (version bumped).
    Applied(Wizard),
    /// Not applied: the click was drawn with an older version (another action applied first).
    /// The wizard as it is now.
    Stale(Wizard),
    /// Not applied: the wizard is no longer open (done, cancelled or expired).
    Closed(Wizard),
    /// Not applied: the wizard is open but past its expiry (the caller expires it).
    Expired(Wizard),
    /// There is no such wizard.
    Missing,
}

/// Opens a wizard (status open, step 0, version 1; no message yet).
pub async fn create(storage: &Storage, new: NewWizard, now: DateTime<Utc>) -> Result<Wizard> {
    let state = new.state.to_string();
    let sql = format!(
        "INSERT INTO ui_wizards (kind, owner_id, guild_id, channel_id, step, state, version, \
         status, expires_at, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, 0, $5, 1, 'open', $6, $7, $7) RETURNING {COLUMNS}"
    );
    let row: Row = conn_run!(storage, |conn| {
        sqlx::query_as::<_, Row>(&sql)
            .bind(&new.kind)
            .bind(new.owner.to_db())
            .bind(new.guild.map(GuildId::to_db))
            .bind(new.channel.map(ChannelId::to_db))
            .bind(&state)
            .bind(new.expires_at)
            .bind(now)
            .fetch_one(&mut *conn)
            .await?
    });
    Ok(row.into())
}

/// Records where the wizard's message is (after sending it); does not change its version.
pub async fn set_message(
    storage: &Storage,
    id: WizardId,
    channel: ChannelId,
    message: MessageId,
) -> Result<()> {
    conn_run!(storage, |conn| {
        sqlx::query("UPDATE ui_wizards SET channel_id = $1, message_id = $2 WHERE id = $3")
            .bind(channel.to_db())
            .bind(message.to_db())
            .bind(id.0)
            .execute(&mut *conn)
            .await?;
    });
    Ok(())
}

/// A wizard by id.
pub async fn get(storage: &Storage, id: WizardId) -> Result<Option<Wizard>> {
    let sql = format!("SELECT {COLUMNS} FROM ui_wizards WHERE id = $1");
    let row: Option<Row> = conn_run!(storage, |conn| {
        sqlx::query_as::<_, Row>(&sql)
            .bind(id.0)
            .fetch_optional(&mut *conn)
            .await?
    });
    Ok(row.map(Into::into))
}

/// Why a conditional update did not apply, read after it.
async fn refusal(
    storage: &Storage,
    id: WizardId,
    version: i64,
    now: DateTime<Utc>,
) -> Result<Outcome> {
    Ok(match get(storage, id).await? {
        None => Outcome::Missing,
        Some(w) if w.status != Status::Open => Outcome::Closed(w),
        Some(w) if w.version != version => Outcome::Stale(w),
        Some(w) if w.expires_at <= now => Outcome::Expired(w),
        // It changed between the update and this read: stale as well.
        Some(w) => Outcome::Stale(w),
    })
}

/// Moves an open wizard to `step` with `state` and a new expiry, only if its version is still
/// `version` and it has not expired at `now`; bumps the version.
pub async fn advance(
    storage: &Storage,
    id: WizardId,
    version: i64,
    step: u32,
    state: &serde_json::Value,
    expires_at: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Result<Outcome> {
    let state = state.to_string();
    let step = i32::try_from(step).unwrap_or(i32::MAX);
    let sql = format!(
        "UPDATE ui_wizards SET step = $1, state = $2, expires_at = $3, version = version + 1, \
         updated_at = $4 \
         WHERE id = $5 AND version = $6 AND status = 'open' AND expires_at > $4 \
         RETURNING {COLUMNS}"
    );
    let row: Option<Row> = conn_run!(storage, |conn| {
        sqlx::query_as::<_, Row>(&sql)
            .bind(step)
            .bind(&state)
            .bind(expires_at)
            .bind(now)
            .bind(id.0)
            .bind(version)
            .fetch_optional(&mut *conn)
            .await?
    });
    match row {
        Some(r) => Ok(Outcome::Applied(r.into())),
        None => refusal(storage, id, version, now).await,
    }
}

/// Closes an open wizard as `status` (done or cancelled) under the same conditions as
/// [`advance`]; bumps the version. A second confirm of the same panel gets
/// [`Outcome::Stale`] or [`Outcome::Closed`], so the feature's action runs once.
pub async fn finish(
    storage: &Storage,
    id: WizardId,
    version: i64,
    status: Status,
    now: DateTime<Utc>,
) -> Result<Outcome> {
    let sql = format!(
        "UPDATE ui_wizards SET status = $1, version = version + 1, updated_at = $2 \
         WHERE id = $3 AND version = $4 AND status = 'open' AND expires_at > $2 \
         RETURNING {COLUMNS}"
    );
    let row: Option<Row> = conn_run!(storage, |conn| {
        sqlx::query_as::<_, Row>(&sql)
            .bind(status.as_str())
            .bind(now)
            .bind(id.0)
            .bind(version)
            .fetch_optional(&mut *conn)
            .await?
    });
    match row {
        Some(r) => Ok(Outcome::Applied(r.into())),
        None => refusal(storage, id, version, now).await,
    }
}

/// Marks up to `limit` open wizards whose expiry is at or before `now` as expired (oldest
/// expiry first) and returns them, so the caller can strip their messages. Each one is
/// returned by exactly one caller, even with several processes.
pub async fn expire_due(storage: &Storage, now: DateTime<Utc>, limit: i64) -> Result<Vec<Wizard>> {
    if limit <= 0 {
        return Ok(Vec::new());
    }
    let mut tx = storage.begin().await?;
    let rows: Vec<Row> = tx_run!(&mut tx, |conn, d| {
        let sql = format!(
            "UPDATE ui_wizards SET status = 'expired', version = version + 1, updated_at = $1 \
             WHERE id IN (SELECT id FROM ui_wizards WHERE status = 'open' AND expires_at <= $1 \
                 ORDER BY expires_at, id LIMIT $2{}) \
             RETURNING {COLUMNS}",
            d.for_update_skip_locked()
        );
        sqlx::query_as::<_, Row>(&sql)
            .bind(now)
            .bind(limit)
            .fetch_all(&mut *conn)
            .await?
    });
    tx.commit().await?;
    let mut out: Vec<Wizard> = rows.into_iter().map(Into::into).collect();
    out.sort_by(|a, b| a.expires_at.cmp(&b.expires_at).then(a.id.cmp(&b.id)));
    Ok(out)
}
