//! Permission tiers: declared once per command, enforced in one place.
//!
//! A command declares its tier in poise's `custom_data`:
//!
//! ```ignore
//! #[poise::command(prefix_command, slash_command, custom_data = Tier::Admin)]
//! ```
//!
//! [`command_check`] (installed as poise's global `command_check`) runs before every command
//! and refuses, with a friendly [`UserError`], when Chronix is shutting down, the command's
//! feature is disabled on the guild, or the author lacks the tier. A command that forgot its
//! tier is treated as owner-only (fail closed) and a unit test lists every command's tier.

use std::fmt;

use poise::serenity_prelude as serenity;
use serenity::Permissions;

use crate::errors::UserError;
use crate::{Command, Context, Data, Error};

/// Who may run a command, from least to most privileged.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Tier {
    /// Anyone.
    Everyone,
    /// The guild's DJ role when `MUSIC_DJ_ROLE_REQUIRED=true` (mods and admins pass too).
    Dj,
    /// Manage Messages, Kick Members or Ban Members.
    Mod,
    /// Administrator or Manage Guild.
    Admin,
    /// A user in `DEV_IDS` (or the owner); only on `DEV_GUILD_ID`.
    Dev,
    /// `OWNER_ID`; only on `DEV_GUILD_ID`.
    Owner,
}

impl Tier {
    /// Every tier, in order.
    pub const ALL: [Tier; 6] = [
        Tier::Everyone,
        Tier::Dj,
        Tier::Mod,
        Tier::Admin,
        Tier::Dev,
        Tier::Owner,
    ];

    /// Lower-case name, as shown in help.
    pub fn name(self) -> &'static str {
        match self {
            Tier::Everyone => "everyone",
            Tier::Dj => "dj",
            Tier::Mod => "mod",
            Tier::Admin => "admin",
            Tier::Dev => "dev",
            Tier::Owner => "owner",
        }
    }

    /// Tiers bound to the development guild (registered only there as slash commands).
    pub fn is_dev_only(self) -> bool {
        matches!(self, Tier::Dev | Tier::Owner)
    }

    /// The tier a command declared in `custom_data`, if any.
    pub fn of(command: &Command) -> Option<Tier> {
        command.custom_data.downcast_ref::<Tier>().copied()
    }

    /// The tier a command declared, or [`Tier::Owner`] (fail closed) when it forgot.
    pub fn of_or_owner(command: &Command) -> Tier {
        Tier::of(command).unwrap_or(Tier::Owner)
    }
}

impl fmt::Display for Tier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// What is known about the author, for [`allows`].
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Facts {
    /// Author is `OWNER_ID`.
    pub is_owner: bool,
    /// Author is in `DEV_IDS`.
    pub is_dev: bool,
    /// Permissions in the invoking channel, overwrites included (empty in DMs).
    pub permissions: Permissions,
    /// Author has the guild's DJ role.
    pub has_dj_role: bool,
    /// `MUSIC_DJ_ROLE_REQUIRED`.
    pub dj_required: bool,
}

/// Administrator or Manage Guild.
pub fn is_admin(p: Permissions) -> bool {
    p.administrator() || p.manage_guild()
}

/// Manage Messages, Kick Members or Ban Members (or admin).
pub fn is_mod(p: Permissions) -> bool {
    is_admin(p) || p.manage_messages() || p.kick_members() || p.ban_members()
}

/// Whether `facts` satisfy `tier` (place rules for dev/owner are checked separately).
pub fn allows(tier: Tier, facts: &Facts) -> bool {
    match tier {
        Tier::Everyone => true,
        Tier::Dj => !facts.dj_required || facts.has_dj_role || is_mod(facts.permissions),
        Tier::Mod => is_mod(facts.permissions),
        Tier::Admin => is_admin(facts.permissions),
        Tier::Dev => facts.is_dev || facts.is_owner,
        Tier::Owner => facts.is_owner,
    }
}

/// Marks an invocation whose run outside the dev server (override or elevation) was audited.
struct AuditedOutside;

/// The global check: shutdown flag, blacklist, runtime and guild feature switches, then the
/// tier (dev and owner commands outside the dev server: the override or an elevation, audited).
pub async fn command_check(ctx: Context<'_>) -> Result<bool, Error> {
    let data = ctx.data();
    if data.is_shutting_down() {
        return Err(UserError::ShuttingDown.into());
    }
    let command = ctx.command();
    let uid = ctx.author().id.get();
    if data.blocked_users().contains(&uid) && data.config().owner_id != Some(uid) {
        return Err(UserError::Blacklisted.into());
    }
    let feature = feature_of(ctx);
    let guild_id = ctx.guild_id();
    if let Some(feature) = feature.as_deref() {
        if data.is_switched_off(feature) {
            return Err(UserError::FeatureDisabled(feature.to_string()).into());
        }
    }
    if let (Some(gid), Some(feature)) = (guild_id, feature.as_deref()) {
        if feature != crate::registry::ALWAYS_ON {
            let settings = data.settings().get(gid.get()).await?;
            if settings.is_module_disabled(feature) {
                return Err(UserError::FeatureDisabled(feature.to_string()).into());
            }
        }
    }
    let tier = match Tier::of(command) {
        Some(t) => t,
        None => {
            tracing::error!(command = %command.qualified_name, "command has no tier; treating it as owner-only");
            Tier::Owner
        }
    };
    if tier == Tier::Everyone {
        return Ok(true);
    }
    let config = data.config();
    let is_owner = config.owner_id == Some(uid);
    let is_dev = config.dev_ids.contains(&uid);
    if tier.is_dev_only() {
        let on_dev_guild = guild_id.is_some_and(|g| Some(g.get()) == config.dev_guild_id);
        let facts = Facts {
            is_owner,
            is_dev,
            ..Facts::default()
        };
        if !allows(tier, &facts) {
            return Err(UserError::MissingTier {
                required: tier,
                command: command.qualified_name.to_string(),
            }
            .into());
        }
        if !on_dev_guild {
            let audit = |action: &str| {
                crate::audit::Audit::new(
                    chronix_core::ids::UserId::new(uid),
                    guild_id.map(|g| chronix_core::ids::GuildId::new(g.get())),
                    action,
                )
                .target(&command.qualified_name)
                .with("invocation", ctx.invocation_string())
            };
            // poise runs this check once per level of the command tree (`audit verify`: twice):
            // audit the run once.
            let first = ctx.invocation_data::<AuditedOutside>().await.is_none();
            if config.force_owner_override {
                tracing::warn!(user = uid, command = %command.qualified_name, guild = ?guild_id,
                    "FORCE_OWNER_OVERRIDE: running a {tier} command outside DEV_GUILD_ID");
                if first {
                    crate::audit::record(data, audit("owner.override")).await?;
                }
            } else if let Some(until) = chronix_storage::owner::elevated_until(
                data.storage(),
                chronix_core::ids::UserId::new(uid),
                chrono::Utc::now(),
            )
            .await?
            {
                if first {
                    crate::audit::record(
                        data,
                        audit("dev.elevated_command").with("elevated_until", until.to_rfc3339()),
                    )
                    .await?;
                }
            } else {
                return Err(UserError::DevGuildOnly.into());
            }
            ctx.set_invocation_data(AuditedOutside).await;
        }
        return Ok(true);
    }
    let Some(gid) = guild_id else {
        return Err(UserError::GuildOnly.into());
    };
    let permissions = author_permissions(ctx).await;
    let settings = data.settings().get(gid.get()).await?;
    let has_dj_role = match (tier, settings.dj_role_id) {
        (Tier::Dj, Some(role)) => author_roles(ctx)
            .await
            .is_some_and(|roles| roles.iter().any(|r| r.get() == role)),
        _ => false,
    };
    let facts = Facts {
        is_owner,
        is_dev,
        permissions,
        has_dj_role,
        dj_required: config.music_dj_role_required,
    };
    if allows(tier, &facts) {
        Ok(true)
    } else {
        Err(UserError::MissingTier {
            required: tier,
            command: command.qualified_name.to_string(),
        }
        .into())
    }
}

/// The feature (category) of the invoked command, falling back to its parent's.
pub fn feature_of(ctx: Context<'_>) -> Option<String> {
    ctx.command_tree()
        .iter()
        .rev()
        .find_map(|c| c.category.as_deref())
        .or(ctx.command().category.as_deref())
        .map(str::to_string)
}

/// The author's role ids: those of the member object the invocation carries (Discord sends it
/// with every guild message and interaction), else fetched.
pub async fn author_roles(ctx: Context<'_>) -> Option<Vec<serenity::RoleId>> {
    let carried = match ctx {
        poise::Context::Prefix(p) => p.msg.member.as_ref().map(|m| m.roles.clone()),
        poise::Context::Application(a) => a.interaction.member.as_ref().map(|m| m.roles.clone()),
    };
    match carried {
        Some(roles) => Some(roles),
        None => ctx.author_member().await.map(|m| m.roles.clone()),
    }
}

/// The author's permissions **in the invoking channel** (the guild's roles, then the
/// channel's permission overwrites, a thread's taken from its parent), the same rule for both
/// forms: slash commands get them from the interaction (Discord computes them with the
/// overwrites); prefix commands compute them from the kernel's guild cache
/// ([`crate::guilds`]) and the roles of the message's member (the guild and channel fetched
/// over REST when not cached). Empty when unknown (fail closed).
pub async fn author_permissions(ctx: Context<'_>) -> Permissions {
    if let poise::Context::Application(actx) = ctx {
        if let Some(p) = actx.interaction.member.as_ref().and_then(|m| m.permissions) {
            return p;
        }
    }
    let Some(gid) = ctx.guild_id() else {
        return Permissions::empty();
    };
    let Some(roles) = author_roles(ctx).await else {
        return Permissions::empty();
    };
    let channel_id = ctx.channel_id();
    if let Some(p) = ctx
        .data()
        .guilds()
        .permissions_in(gid, channel_id, ctx.author().id, &roles)
    {
        return p;
    }
    let Some(member) = ctx.author_member().await else {
        return Permissions::empty();
    };
    let member = member.into_owned();
    let channel = match channel_id.to_channel(ctx.http()).await {
        Ok(serenity::Channel::Guild(c)) => c,
        _ => return Permissions::empty(),
    };
    let channel = match (channel.thread_metadata.is_some(), channel.parent_id) {
        (true, Some(parent)) => match parent.to_channel(ctx.http()).await {
            Ok(serenity::Channel::Guild(c)) => c,
            _ => return Permissions::empty(),
        },
        _ => channel,
    };
    match gid.to_partial_guild(ctx.http()).await {
        Ok(guild) => guild.user_permissions_in(&channel, &member),
        Err(_) => Permissions::empty(),
    }
}

/// Whether a user may see a command in help (dev/owner commands only for devs and the owner).
pub fn visible_to(data: &Data, command: &Command, user: u64) -> bool {
    if command.hide_in_help {
        return false;
    }
    let tier = Tier::of_or_owner(command);
    let config = data.config();
    match tier {
        Tier::Owner => config.owner_id == Some(user),
        Tier::Dev => config.owner_id == Some(user) || config.dev_ids.contains(&user),
        _ => true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn facts(p: Permissions) -> Facts {
        Facts {
            permissions: p,
            ..Facts::default()
        }
    }

    #[test]
    fn tiers_are_ordered() {
        let mut v = Tier::ALL.to_vec();
        v.sort();
        assert_eq!(v, Tier::ALL.to_vec());
    }

    #[test]
    fn admin_is_administrator_or_manage_guild() {
        assert!(allows(Tier::Admin, &facts(Permissions::ADMINISTRATOR)));
        assert!(allows(Tier::Admin, &facts(Permissions::MANAGE_GUILD)));
        assert!(!allows(Tier::Admin, &facts(Permissions::MANAGE_MESSAGES)));
        assert!(!allows(Tier::Admin, &facts(Permissions::empty())));
    }

    #[test]
    fn mod_is_messages_kick_or_ban_or_admin() {
        for p in [
            Permissions::MANAGE_MESSAGES,
            Permissions::KICK_MEMBERS,
            Permissions::BAN_MEMBERS,
            Permissions::ADMINISTRATOR,
        ] {
            assert!(allows(Tier::Mod, &facts(p)), "{p:?}");
        }
        assert!(!allows(Tier::Mod, &facts(Permissions::SEND_MESSAGES)));
    }

    #[test]
    fn dj_needs_the_role_only_when_required() {
        let mut f = facts(Permissions::empty());
        assert!(allows(Tier::Dj, &f));
        f.dj_required = true;
        assert!(!allows(Tier::Dj, &f));
        f.has_dj_role = true;
        assert!(allows(Tier::Dj, &f));
        let mut m = facts(Permissions::MANAGE_MESSAGES);
        m.dj_required = true;
        assert!(allows(Tier::Dj, &m));
    }

    #[test]
    fn dev_and_owner() {
        let owner = Facts {
            is_owner: true,
            ..Facts::default()
        };
        let dev = Facts {
            is_dev: true,
            ..Facts::default()
        };
        let admin = facts(Permissions::ADMINISTRATOR);
        assert!(allows(Tier::Owner, &owner));
        assert!(allows(Tier::Dev, &owner));
        assert!(allows(Tier::Dev, &dev));
        assert!(!allows(Tier::Owner, &dev));
        assert!(!allows(Tier::Dev, &admin));
        assert!(!allows(Tier::Owner, &admin));
    }
}
