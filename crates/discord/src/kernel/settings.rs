//! Per-guild settings, cached.
//!
//! Every command consults the guild's settings (custom prefix, disabled modules) so they are
//! cached in memory. The bot's own setters ([`SettingsCache::set_prefix`] and friends) write
//! through and replace the cached entry at once; entries also expire after [`TTL`] so a change
//! made elsewhere (the dashboard) is picked up within that time.

use chronix_core::ids::{ChannelId, GuildId};
use std::sync::Arc;
use std::time::Duration;

use chronix_storage::Storage;
use chronix_storage::guild_settings::{self, GuildSettings};

/// How long a cached entry is trusted.
pub const TTL: Duration = Duration::from_secs(60);

/// Settings of one guild as the bot uses them.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Settings {
    /// Custom prefix (replaces the default prefixes when set).
    pub prefix: Option<String>,
    /// Disabled modules (feature names).
    pub disabled_modules: Vec<String>,
    /// Channel receiving error reports.
    pub error_log_channel_id: Option<u64>,
    /// DJ role.
    pub dj_role_id: Option<u64>,
    /// The server's language (`language set`, a Discord locale code; column `locale`).
    pub language: Option<String>,
}

impl Settings {
    /// Whether `module` is switched off for the guild.
    pub fn is_module_disabled(&self, module: &str) -> bool {
        self.disabled_modules.iter().any(|m| m == module)
    }
}

impl From<GuildSettings> for Settings {
    fn from(s: GuildSettings) -> Self {
        Self {
            prefix: s.prefix,
            disabled_modules: s.disabled_modules,
            error_log_channel_id: s.error_log_channel_id.map(|c| c.get()),
            dj_role_id: s.dj_role_id.map(|r| r.get()),
            language: s.locale,
        }
    }
}

/// The cache.
#[derive(Debug)]
pub struct SettingsCache {
    storage: Storage,
    /// One read per guild at a time (a burst of events to a guild not cached yet reads its
    /// settings once).
    entries: crate::kernel::cached::PerGuild<Settings>,
}

impl SettingsCache {
    /// A cache over `storage`.
    pub fn new(storage: Storage) -> Self {
        Self {
            storage,
            entries: crate::kernel::cached::PerGuild::new(TTL),
        }
    }

    /// Settings of a guild (cached).
    pub async fn get(&self, guild_id: u64) -> chronix_storage::Result<Arc<Settings>> {
        let guild = GuildId::new(guild_id);
        self.entries
            .get(guild, || async {
                Ok(guild_settings::get(&self.storage, guild).await?.into())
            })
            .await
    }

    /// The cached entry only (no database access), for the prefix fast path in tests.
    pub fn peek(&self, guild_id: u64) -> Option<Arc<Settings>> {
        self.entries.peek(GuildId::new(guild_id))
    }

    fn put(&self, guild_id: u64, s: Arc<Settings>) {
        self.entries.put(GuildId::new(guild_id), s);
    }

    /// Entries held.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether nothing is cached.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Drop a guild's entry (next read goes to the database).
    pub fn invalidate(&self, guild_id: u64) {
        self.entries.invalidate(GuildId::new(guild_id));
    }

    /// Set (`Some`) or reset (`None`) the custom prefix; the cache is updated at once.
    pub async fn set_prefix(
        &self,
        guild_id: u64,
        prefix: Option<String>,
    ) -> chronix_storage::Result<Arc<Settings>> {
        let s = guild_settings::set_prefix(&self.storage, GuildId::new(guild_id), prefix).await;
        self.after_write(guild_id, s)
    }

    /// Enable or disable a module for the guild.
    pub async fn set_module_enabled(
        &self,
        guild_id: u64,
        module: &str,
        enabled: bool,
    ) -> chronix_storage::Result<Arc<Settings>> {
        let s = guild_settings::set_module_enabled(
            &self.storage,
            GuildId::new(guild_id),
            module,
            enabled,
        )
        .await;
        self.after_write(guild_id, s)
    }

    /// Set or clear the error-log channel.
    pub async fn set_error_log_channel(
        &self,
        guild_id: u64,
        channel_id: Option<u64>,
    ) -> chronix_storage::Result<Arc<Settings>> {
        let s = guild_settings::set_error_log_channel(
            &self.storage,
            GuildId::new(guild_id),
            channel_id.map(ChannelId::new),
        )
        .await;
        self.after_write(guild_id, s)
    }

    /// Set (`Some`, a supported locale code) or reset (`None`) the server's language.
    pub async fn set_language(
        &self,
        guild_id: u64,
        language: Option<String>,
    ) -> chronix_storage::Result<Arc<Settings>> {
        let s = guild_settings::set_locale(&self.storage, GuildId::new(guild_id), language).await;
        self.after_write(guild_id, s)
    }

    fn after_write(
        &self,
        guild_id: u64,
        result: chronix_storage::Result<GuildSettings>,
    ) -> chronix_storage::Result<Arc<Settings>> {
        match result {
            Ok(s) => {
                let s = Arc::new(Settings::from(s));
                self.put(guild_id, s.clone());
                Ok(s)
            }
            Err(e) => {
                self.invalidate(guild_id);
                Err(e)
            }
        }
    }
}
