//! The caller of a command: who, where, in which language, and when — derived once, so
//! commands do not re-derive it (and convert ids) each in their own way.

use chronix_core::ids::{ChannelId, GuildId, UserId};
use chrono::{DateTime, Utc};

use crate::Context;
use crate::kernel::i18n::Locale;
use crate::kernel::ids::ToCore;

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

/// The guild a command runs in (`None` in DMs), as a Chronix id: the one way commands derive it.
pub fn guild_of(ctx: Context<'_>) -> Option<GuildId> {
    ctx.guild_id().map(|g| g.core())
}

impl Caller {
    /// The caller of a command context.
    pub async fn of(ctx: Context<'_>) -> Caller {
        let guild = guild_of(ctx);
        if let Some(g) = guild {
            // Warm the settings cache (the global check normally did already).
            let _ = ctx.data().settings().get(g.get()).await;
        }
        let locale = crate::kernel::i18n::locale_of(ctx);
        Caller {
            user: ctx.author().id.core(),
            guild,
            channel: ctx.channel_id().core(),
            locale,
            now: Utc::now(),
        }
    }
}
