//! Tags and custom commands (`tags`, one row per tag, its name unique per server: the unique
//! index decides between two creations of one name at once, the loser gets
//! [`TagRefusal::Exists`]) and who may manage them (`tag_settings`).
//!
//! Every write validates the body ([`TagBody::validate`]) and the name
//! ([`normalize_name`]) first. A tag's owner may edit and delete it; the caller decides who
//! else may (the server's [`TagSettings::manage`] level).

use chronix_core::ids::{GuildId, UserId};
use chronix_core::tags::{
    MAX_SLASH, TagBody, TagError, TagSettings, check_cooldown, normalize_name,
};
use chrono::{DateTime, Utc};

use crate::{Refusal, Result, Storage, StorageError, Tx};

/// A stored tag.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tag {
    /// Row id.
    pub id: i64,
    /// Its server.
    pub guild: GuildId,
    /// Its name (normalised).
    pub name: String,
    /// What it shows.
    pub body: TagBody,
    /// Who created it (may edit and delete it).
    pub owner: UserId,
    /// How often it was shown.
    pub uses: i64,
    /// Answers a message that starts with its name.
    pub trigger: bool,
    /// Registered as a guild slash command.
    pub slash: bool,
    /// The slash command's id once registered.
    pub slash_command_id: Option<u64>,
    /// Seconds between two uses by one member (custom commands).
    pub cooldown_secs: u32,
    /// Created.
    pub created_at: DateTime<Utc>,
    /// Last changed.
    pub updated_at: DateTime<Utc>,
}

/// Why a tag action was refused (nothing changed).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TagRefusal {
    /// Invalid name, body or cooldown.
    #[error(transparent)]
    Invalid(#[from] TagError),
    /// A tag of that name exists on the server.
    #[error("a tag of that name exists")]
    Exists(String),
    /// No tag of that name.
    #[error("no such tag")]
    NoTag(String),
    /// The server has its maximum of custom slash commands.
    #[error("too many slash commands")]
    SlashLimit {
        /// The limit.
        max: usize,
    },
}

fn refused(r: TagRefusal) -> StorageError {
    StorageError::Refused(Refusal::Tags(r))
}

fn invalid(e: TagError) -> StorageError {
    refused(TagRefusal::Invalid(e))
}

type Row = (
    i64,
    i64,
    String,
    String,
    bool,
    Option<String>,
    i64,
    i64,
    bool,
    bool,
    Option<i64>,
    i64,
    DateTime<Utc>,
    DateTime<Utc>,
);

const COLUMNS: &str = "id, guild_id, name, content, embed, image_url, owner_id, uses, \
                       trigger_word, slash, slash_command_id, cooldown_secs, created_at, updated_at";

fn from_row(r: Row) -> Tag {
    Tag {
        id: r.0,
        guild: GuildId::from_db(r.1),
        name: r.2,
        body: TagBody {
            content: r.3,
            embed: r.4,
            image: r.5,
        },
        owner: UserId::from_db(r.6),
        uses: r.7,
        trigger: r.8,
        slash: r.9,
        slash_command_id: r.10.map(|v| v as u64),
        cooldown_secs: u32::try_from(r.11).unwrap_or(0),
        created_at: r.12,
        updated_at: r.13,
    }
}

/// Creates a tag. Refused: invalid name or body, or the name taken on the server (also when
/// two creations race: one wins).
pub async fn create(
    storage: &Storage,
    guild: GuildId,
    name: &str,
    body: &TagBody,
    owner: UserId,
    now: DateTime<Utc>,
) -> Result<Tag> {
    let name = normalize_name(name).map_err(invalid)?;
    body.validate().map_err(invalid)?;
    let res: Result<Row> = async {
        Ok(conn_run!(storage, |conn| {
            sqlx::query_as(&format!(
                "INSERT INTO tags (guild_id, name, content, embed, image_url, owner_id, \
                 created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $7) \
                 RETURNING {COLUMNS}"
            ))
            .bind(guild.to_db())
            .bind(&name)
            .bind(&body.content)
            .bind(body.embed)
            .bind(body.image.as_deref())
            .bind(owner.to_db())
            .bind(now)
            .fetch_one(&mut *conn)
            .await?
        }))
    }
    .await;
    match res {
        Ok(r) => Ok(from_row(r)),
        Err(e) if e.is_unique_violation() => Err(refused(TagRefusal::Exists(name))),
        Err(e) => Err(e),
    }
}

/// A tag by name (normalised first; none for an invalid name).
pub async fn get(storage: &Storage, guild: GuildId, name: &str) -> Result<Option<Tag>> {
    let Ok(name) = normalize_name(name) else {
        return Ok(None);
    };
    let row: Option<Row> = conn_run!(storage, |conn| {
        sqlx::query_as(&format!(
            "SELECT {COLUMNS} FROM tags WHERE guild_id = $1 AND name = $2"
        ))
        .bind(guild.to_db())
        .bind(&name)
        .fetch_optional(&mut *conn)
        .await?
    });
    Ok(row.map(from_row))
}

/// A tag by name or the [`TagRefusal::NoTag`] refusal.
pub async fn require(storage: &Storage, guild: GuildId, name: &str) -> Result<Tag> {
    get(storage, guild, name)
        .await?
        .ok_or_else(|| refused(TagRefusal::NoTag(name.trim().to_lowercase())))
}

async fn lock(tx: &mut Tx, guild: GuildId, name: &str) -> Result<Tag> {
    let row: Option<Row> = tx_run!(tx, |conn, d| {
        sqlx::query_as(&format!(
            "SELECT {COLUMNS} FROM tags WHERE guild_id = $1 AND name = $2{}",
            d.for_update()
        ))
        .bind(guild.to_db())
        .bind(name)
        .fetch_optional(&mut *conn)
        .await?
    });
    row.map(from_row)
        .ok_or_else(|| refused(TagRefusal::NoTag(name.to_string())))
}

/// Replaces a tag's body; returns the tag before and after.
pub async fn edit(
    storage: &Storage,
    guild: GuildId,
    name: &str,
    body: &TagBody,
    now: DateTime<Utc>,
) -> Result<(Tag, Tag)> {
    body.validate().map_err(invalid)?;
    let name = name.trim().to_lowercase();
    transaction!(storage, |tx| {
        let before = lock(tx, guild, &name).await?;
        let row: Row = tx_run!(tx, |conn| {
            sqlx::query_as(&format!(
                "UPDATE tags SET content = $1, embed = $2, image_url = $3, updated_at = $4 \
                 WHERE id = $5 RETURNING {COLUMNS}"
            ))
            .bind(&body.content)
            .bind(body.embed)
            .bind(body.image.as_deref())
            .bind(now)
            .bind(before.id)
            .fetch_one(&mut *conn)
            .await?
        });
        Ok((before, from_row(row)))
    })
}

/// Deletes a tag; returns it.
pub async fn delete(storage: &Storage, guild: GuildId, name: &str) -> Result<Tag> {
    let name = name.trim().to_lowercase();
    let row: Option<Row> = conn_run!(storage, |conn| {
        sqlx::query_as(&format!(
            "DELETE FROM tags WHERE guild_id = $1 AND name = $2 RETURNING {COLUMNS}"
        ))
        .bind(guild.to_db())
        .bind(&name)
        .fetch_optional(&mut *conn)
        .await?
    });
    row.map(from_row)
        .ok_or_else(|| refused(TagRefusal::NoTag(name)))
}

/// Tags of a server, by name, `limit` from `offset`; with the total count.
pub async fn list(
    storage: &Storage,
    guild: GuildId,
    offset: i64,
    limit: i64,
) -> Result<(Vec<Tag>, i64)> {
    let (rows, total): (Vec<Row>, (i64,)) = conn_run!(storage, |conn| {
        let rows = sqlx::query_as(&format!(
            "SELECT {COLUMNS} FROM tags WHERE guild_id = $1 ORDER BY name LIMIT $2 OFFSET $3"
        ))
        .bind(guild.to_db())
        .bind(limit)
        .bind(offset)
        .fetch_all(&mut *conn)
        .await?;
        let total = sqlx::query_as("SELECT COUNT(*) FROM tags WHERE guild_id = $1")
            .bind(guild.to_db())
            .fetch_one(&mut *conn)
            .await?;
        (rows, total)
    });
    Ok((rows.into_iter().map(from_row).collect(), total.0))
}

/// Tags whose name contains `query` (names starting with it first), at most `limit`.
pub async fn search(
    storage: &Storage,
    guild: GuildId,
    query: &str,
    limit: i64,
) -> Result<Vec<Tag>> {
    let q: String = query
        .trim()
        .to_lowercase()
        .chars()
        .filter(|c| c.is_alphanumeric() || *c == '-' || *c == '_')
        .collect();
    let rows: Vec<Row> = conn_run!(storage, |conn| {
        sqlx::query_as(&format!(
            "SELECT {COLUMNS} FROM tags WHERE guild_id = $1 AND name LIKE $2 \
             ORDER BY CASE WHEN name LIKE $3 THEN 0 ELSE 1 END, name LIMIT $4"
        ))
        .bind(guild.to_db())
        .bind(format!("%{q}%"))
        .bind(format!("{q}%"))
        .bind(limit)
        .fetch_all(&mut *conn)
        .await?
    });
    Ok(rows.into_iter().map(from_row).collect())
}

/// Counts a use.
pub async fn count_use(storage: &Storage, id: i64) -> Result<()> {
    conn_run!(storage, |conn| {
        sqlx::query("UPDATE tags SET uses = uses + 1 WHERE id = $1")
            .bind(id)
            .execute(&mut *conn)
            .await?;
    });
    Ok(())
}

/// Turns the trigger word on or off; returns the tag after.
pub async fn set_trigger(
    storage: &Storage,
    guild: GuildId,
    name: &str,
    on: bool,
    now: DateTime<Utc>,
) -> Result<Tag> {
    set_column(storage, guild, name, "trigger_word", on, now).await
}

async fn set_column(
    storage: &Storage,
    guild: GuildId,
    name: &str,
    column: &'static str,
    on: bool,
    now: DateTime<Utc>,
) -> Result<Tag> {
    let name = name.trim().to_lowercase();
    let row: Option<Row> = conn_run!(storage, |conn| {
        sqlx::query_as(&format!(
            "UPDATE tags SET {column} = $1, updated_at = $2 \
             WHERE guild_id = $3 AND name = $4 RETURNING {COLUMNS}"
        ))
        .bind(on)
        .bind(now)
        .bind(guild.to_db())
        .bind(&name)
        .fetch_optional(&mut *conn)
        .await?
    });
    row.map(from_row)
        .ok_or_else(|| refused(TagRefusal::NoTag(name)))
}

/// Turns the guild slash command on or off; turning it on is refused past [`MAX_SLASH`] per
/// server (counted while the server's tag rows are locked, so two at once cannot both take
/// the last place on PostgreSQL; SQLite has one writer). Returns the tag after.
pub async fn set_slash(
    storage: &Storage,
    guild: GuildId,
    name: &str,
    on: bool,
    now: DateTime<Utc>,
) -> Result<Tag> {
    let name = name.trim().to_lowercase();
    transaction!(storage, |tx| {
        let _: Vec<(i64,)> = tx_run!(tx, |conn, d| {
            sqlx::query_as(&format!(
                "SELECT id FROM tags WHERE guild_id = $1 ORDER BY id{}",
                d.for_update()
            ))
            .bind(guild.to_db())
            .fetch_all(&mut *conn)
            .await?
        });
        let tag = lock(tx, guild, &name).await?;
        if on && !tag.slash {
            let (n,): (i64,) = tx_run!(tx, |conn| {
                sqlx::query_as("SELECT COUNT(*) FROM tags WHERE guild_id = $1 AND slash")
                    .bind(guild.to_db())
                    .fetch_one(&mut *conn)
                    .await?
            });
            if n as usize >= MAX_SLASH {
                return Err(refused(TagRefusal::SlashLimit { max: MAX_SLASH }));
            }
        }
        let row: Row = tx_run!(tx, |conn| {
            sqlx::query_as(&format!(
                "UPDATE tags SET slash = $1, updated_at = $2, \
                 slash_command_id = CASE WHEN $1 THEN slash_command_id ELSE NULL END \
                 WHERE id = $3 RETURNING {COLUMNS}"
            ))
            .bind(on)
            .bind(now)
            .bind(tag.id)
            .fetch_one(&mut *conn)
            .await?
        });
        Ok(from_row(row))
    })
}

/// Records the id Discord gave a tag's slash command.
pub async fn set_slash_command_id(storage: &Storage, id: i64, command: Option<u64>) -> Result<()> {
    conn_run!(storage, |conn| {
        sqlx::query("UPDATE tags SET slash_command_id = $1 WHERE id = $2")
            .bind(command.map(|c| c as i64))
            .bind(id)
            .execute(&mut *conn)
            .await?;
    });
    Ok(())
}

/// Sets a custom command's cooldown; returns the tag after.
pub async fn set_cooldown(
    storage: &Storage,
    guild: GuildId,
    name: &str,
    secs: u32,
    now: DateTime<Utc>,
) -> Result<Tag> {
    check_cooldown(secs).map_err(invalid)?;
    let name = name.trim().to_lowercase();
    let row: Option<Row> = conn_run!(storage, |conn| {
        sqlx::query_as(&format!(
            "UPDATE tags SET cooldown_secs = $1, updated_at = $2 \
             WHERE guild_id = $3 AND name = $4 RETURNING {COLUMNS}"
        ))
        .bind(i64::from(secs))
        .bind(now)
        .bind(guild.to_db())
        .bind(&name)
        .fetch_optional(&mut *conn)
        .await?
    });
    row.map(from_row)
        .ok_or_else(|| refused(TagRefusal::NoTag(name)))
}

/// The tags of a server registered as slash commands.
pub async fn slash_tags(storage: &Storage, guild: GuildId) -> Result<Vec<Tag>> {
    let rows: Vec<Row> = conn_run!(storage, |conn| {
        sqlx::query_as(&format!(
            "SELECT {COLUMNS} FROM tags WHERE guild_id = $1 AND slash ORDER BY name"
        ))
        .bind(guild.to_db())
        .fetch_all(&mut *conn)
        .await?
    });
    Ok(rows.into_iter().map(from_row).collect())
}

/// A server's tag settings (defaults when never set).
pub async fn settings(storage: &Storage, guild: GuildId) -> Result<TagSettings> {
    crate::guild_json::load(storage, "tag_settings", guild).await
}

/// Saves a server's tag settings.
pub async fn set_settings(
    storage: &Storage,
    guild: GuildId,
    settings: &TagSettings,
    now: DateTime<Utc>,
) -> Result<()> {
    let json = serde_json::to_string(settings)
        .map_err(|e| StorageError::Corrupt(format!("tag settings: {e}")))?;
    transaction!(storage, |tx| {
        crate::guild_json::store_in(tx, "tag_settings", guild, &json, now).await
    })
}
