//! Case kinds and what a case is about (member, channel or server).

use super::*;

/// What a moderation action is, as stored in `mod_cases.action`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CaseKind {
    /// A permanent ban.
    Ban,
    /// A ban with an end.
    TempBan,
    /// A ban lifted.
    Unban,
    /// Ban then unban at once (deletes the member's recent messages).
    Softban,
    /// Removed from the server.
    Kick,
    /// Discord's timeout.
    Timeout,
    /// A timeout lifted.
    Untimeout,
    /// A warning.
    Warn,
    /// The summary of a `massban` run (target: the moderator who ran it).
    MassBan,
    /// The summary of a `masskick` run (target: the moderator who ran it).
    MassKick,
    /// A channel locked for `@everyone` (`lock`).
    Lock,
    /// A locked channel restored (`unlock`).
    Unlock,
    /// Every channel of the server locked (`lockdown`).
    Lockdown,
    /// A lockdown ended, every channel restored (`lockdown end`).
    LockdownEnd,
    /// A role given to a member (`role add`).
    RoleAdd,
    /// A role taken from a member (`role remove`).
    RoleRemove,
}

/// What a case is about: a member (most kinds), a channel (`lock`) or the whole server
/// (`lockdown`). Decided by the kind, so the stored target id needs no type column.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CaseTarget {
    /// A user or member.
    User(UserId),
    /// A channel.
    Channel(ChannelId),
    /// The server itself.
    Server(GuildId),
}

impl CaseTarget {
    /// The raw id (stored in `mod_cases.target_id`).
    pub const fn id(self) -> u64 {
        match self {
            CaseTarget::User(u) => u.get(),
            CaseTarget::Channel(c) => c.get(),
            CaseTarget::Server(g) => g.get(),
        }
    }

    /// The target of a case of `kind` whose stored id is `raw`.
    pub const fn of(kind: CaseKind, raw: u64) -> Self {
        match kind {
            CaseKind::Lock | CaseKind::Unlock => CaseTarget::Channel(ChannelId::new(raw)),
            CaseKind::Lockdown | CaseKind::LockdownEnd => CaseTarget::Server(GuildId::new(raw)),
            _ => CaseTarget::User(UserId::new(raw)),
        }
    }

    /// The user, when the case is about one.
    pub const fn user(self) -> Option<UserId> {
        match self {
            CaseTarget::User(u) => Some(u),
            _ => None,
        }
    }

    /// How Discord shows it: `<@user>`, `<#channel>`, or "the server" (given by the caller).
    pub fn mention(self, server: &str) -> String {
        match self {
            CaseTarget::User(u) => format!("<@{}>", u.get()),
            CaseTarget::Channel(c) => format!("<#{}>", c.get()),
            CaseTarget::Server(_) => server.to_string(),
        }
    }
}

impl From<UserId> for CaseTarget {
    fn from(u: UserId) -> Self {
        CaseTarget::User(u)
    }
}

impl CaseKind {
    /// Every kind.
    pub const ALL: [CaseKind; 16] = [
        CaseKind::Ban,
        CaseKind::TempBan,
        CaseKind::Unban,
        CaseKind::Softban,
        CaseKind::Kick,
        CaseKind::Timeout,
        CaseKind::Untimeout,
        CaseKind::Warn,
        CaseKind::MassBan,
        CaseKind::MassKick,
        CaseKind::Lock,
        CaseKind::Unlock,
        CaseKind::Lockdown,
        CaseKind::LockdownEnd,
        CaseKind::RoleAdd,
        CaseKind::RoleRemove,
    ];

    /// The stored text.
    pub const fn as_str(self) -> &'static str {
        match self {
            CaseKind::Ban => "ban",
            CaseKind::TempBan => "tempban",
            CaseKind::Unban => "unban",
            CaseKind::Softban => "softban",
            CaseKind::Kick => "kick",
            CaseKind::Timeout => "timeout",
            CaseKind::Untimeout => "untimeout",
            CaseKind::Warn => "warn",
            CaseKind::MassBan => "massban",
            CaseKind::MassKick => "masskick",
            CaseKind::Lock => "lock",
            CaseKind::Unlock => "unlock",
            CaseKind::Lockdown => "lockdown",
            CaseKind::LockdownEnd => "lockdown_end",
            CaseKind::RoleAdd => "role_add",
            CaseKind::RoleRemove => "role_remove",
        }
    }

    /// From the stored text.
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// Whether a case of this kind ends by itself (and stays "active" until then).
    pub const fn is_timed(self) -> bool {
        matches!(self, CaseKind::TempBan | CaseKind::Timeout)
    }
}
