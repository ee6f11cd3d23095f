//! The caller of a command: who, where, in which language, and when — derived once, so
//! commands do not re-derive it (and convert ids) each in their own way.

use chronix_core::ids::{ChannelId, GuildId, UserId};
use chrono::{DateTime, Utc};

use crate::Context;
use crate::kernel::i18n::Locale;

/// Who runs a command, where, and when.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Caller {
    /// The invoking user.
    pub user: UserId,
    /// The guild, if not in DMs.
    pub guild: Option<GuildId>,
    /// The channel.
    pub channel: ChannelId,
    /// The language to answer in: the interaction's user locale, else the guild's setting,
    /// else English (`en-US`).
    pub locale: Locale,
    /// The time the command started (pass it to core rules and storage).
    pub now: DateTime<Utc>,
}

impl Caller {
    /// The caller of a command context.
    pub async fn of(ctx: Context<'_>) -> Caller {
        let guild = ctx.guild_id().map(|g| GuildId::new(g.get()));
        if let Some(g) = guild {
            // Warm the settings cache (the global check normally did already).
            let _ = ctx.data().settings().get(g.get()).await;
        }
        let locale = crate::kernel::i18n::locale_of(ctx);
        Caller {
            user: UserId::new(ctx.author().id.get()),
            guild,
            channel: ChannelId::new(ctx.channel_id().get()),
            locale,
            now: Utc::now(),
        }
    }
}
