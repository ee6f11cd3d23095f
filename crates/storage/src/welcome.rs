//! The welcomer (issue 15; groundwork for the bot feature): a server's welcomer settings
//! (`welcome_settings`, JSON checked by `chronix_core::welcome::WelcomeSettings::validate`) and
//! the starter kit, given once per member and server (`welcome_kits`) through the ledger.

use chronix_core::economy::Chrons;
use chronix_core::ids::{GuildId, UserId};
use chronix_core::welcome::{WelcomeError, WelcomeSettings};
use chrono::{DateTime, Utc};

use crate::economy::{self, Memo};
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

/// Gives a member the server's starter kit (`chrons` > 0) once: the kit row and the ledger
/// credit (kind `welcome`) commit together. Returns the balance after, or `None` when the
/// member already had this server's kit (nothing changed).
pub async fn give_starter_kit(
    storage: &Storage,
    guild: GuildId,
    user: UserId,
    chrons: Chrons,
    now: DateTime<Utc>,
) -> Result<Option<Chrons>> {
    if chrons <= 0 {
        return Err(StorageError::Refused(Refusal::InvalidAmount(chrons.get())));
    }
    transaction!(storage, |tx| {
        crate::users::ensure(tx, user).await?;
        let inserted = tx_run!(tx, |conn| {
            sqlx::query(
                "INSERT INTO welcome_kits (guild_id, user_id, chrons, given_at) \
                 VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING",
            )
            .bind(guild.to_db())
            .bind(user.to_db())
            .bind(chrons.get())
            .bind(now)
            .execute(&mut *conn)
            .await?
            .rows_affected()
        });
        if inserted == 0 {
            return Ok(None);
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
