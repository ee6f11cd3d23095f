//! `moderation`: numbered cases for every action, the bot's and the ones done by hand.
//!
//! * [`actions`]: `ban` (a duration makes it a temp-ban; `--delete 1d` deletes recent
//!   messages), `unban`, `softban`, `kick`, `timeout`, `untimeout`. Each checks the moderator's
//!   own permission for the action, the role hierarchy (`chronix_core::moderation::check_target`:
//!   nobody acts on the owner, on themself, on the bot, or on someone whose highest role is not
//!   below theirs and the bot's), tells the target by DM (per server, `moddm`; a closed DM is not
//!   an error), acts, and records a case. Discord's 50013 becomes a sentence naming the missing
//!   permission.
//! * [`cases`]: `warn`, `warnings`, `unwarn`, `clearwarns`, `case <n>` / `case reason` /
//!   `case delete` (admin, audited), `modlogs @user` (paged), `moddm`.
//! * [`tools`]: `purge` (filters: a user, bots, links, attachments, embeds, contains <text>;
//!   bulk delete for messages younger than 14 days, older ones one by one up to 20, the rest
//!   reported), `slowmode`, `nick`.
//! * [`locks`]: `lock` / `unlock` (a channel) and `lockdown` / `lockdown end` (every text and
//!   voice channel): the `@everyone` overwrite each channel had is stored before it changes
//!   (`chronix_storage::moderation::locks`) and put back exactly, after restarts too.
//! * [`roles`]: `role add` / `role remove`, the role read by hand
//!   (`chronix_core::moderation::parse_role_arg`: the guild cache is off).
//! * [`expire`]: the job `moderation.expire`, queued with a temp-ban or timeout in the same
//!   transaction as its case: it lifts the ban (whether or not the moderator still has their
//!   role) and ends the case exactly once, after restarts too.
//! * [`manual`]: bans, unbans, kicks and timeouts done in Discord's own menus become cases from
//!   the audit-log entry (moderator and reason); entries written by the bot itself are skipped,
//!   and one entry makes at most one case (unique per guild).
//!
//! Slash: `/mod …`; prefix commands keep their short names (`chro ban`).

pub mod actions;
pub mod cases;
pub mod expire;
pub mod locks;
pub mod manual;
pub mod mass;
pub mod roles;
pub mod tools;

use chronix_core::ids::{ChannelId as CoreChannelId, RoleId as CoreRoleId, UserId as CoreUserId};
use chronix_core::moderation::{
    self as rules, ArgsError, CaseKind, CaseTarget, DurationError, Hierarchy, HierarchyRefusal,
    RoleArgError,
};
use chronix_storage::moderation::{Case, CaseSource, ModerationRefusal};
use chronix_storage::{Refusal as StorageRefusal, StorageError};

use crate::kernel::ids::{ToCore, ToDiscord};
use crate::prelude::*;
use crate::registry::Feature;

/// The moderation feature.
pub fn feature() -> Feature {
    mass::register(Feature::new("moderation", commands))
        .slash_group(
            "mod",
            "Moderation: bans, kicks, timeouts, warnings and cases",
            &[],
        )
        .pages(cases::MODLOG_PAGES, cases::draw_modlogs)
        .job(crate::scheduler::JobKind::once(
            expire::EXPIRE_JOB,
            expire::expire_job,
        ))
        .on(
            &[crate::events::EventKind::AuditLogEntry],
            manual::on_audit_entry,
        )
}

/// Moderation commands.
pub fn commands() -> Vec<Command> {
    vec![
        actions::ban(),
        actions::unban(),
        actions::softban(),
        actions::kick(),
        actions::timeout(),
        actions::untimeout(),
        cases::warn(),
        cases::warnings(),
        cases::unwarn(),
        cases::clearwarns(),
        cases::case(),
        cases::modlogs(),
        cases::moddm(),
        tools::purge(),
        tools::slowmode(),
        tools::nick(),
        locks::lock(),
        locks::unlock(),
        locks::lockdown(),
        roles::role(),
    ]
    .into_iter()
    .chain(mass::commands())
    .collect()
}

/// The audit-trail entry of a recorded case (`moderation.<kind>`, target, case, reason).
pub fn case_audit(c: &Case) -> crate::audit::Audit {
    crate::audit::Audit::new(
        c.moderator,
        Some(c.guild),
        format!("moderation.{}", c.kind.as_str()),
    )
    .target(c.target.id())
    .with("case", c.number)
    .with("role", c.role.map(|r| r.get().to_string()))
    .with("reason", c.reason.clone())
    .with("duration_secs", c.duration.map(|d| d.num_seconds()))
    .with("manual", c.source == CaseSource::Manual)
}

/// A Discord permission a moderation action needs (named in refusals).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Perm {
    /// Ban Members.
    BanMembers,
    /// Kick Members.
    KickMembers,
    /// Moderate Members (timeouts).
    ModerateMembers,
    /// Manage Messages (purge).
    ManageMessages,
    /// Manage Channels (slowmode).
    ManageChannels,
    /// Manage Nicknames.
    ManageNicknames,
    /// Manage Roles.
    ManageRoles,
}

impl Perm {
    /// The permission bit.
    pub fn bits(self) -> serenity::Permissions {
        match self {
            Perm::BanMembers => serenity::Permissions::BAN_MEMBERS,
            Perm::KickMembers => serenity::Permissions::KICK_MEMBERS,
            Perm::ModerateMembers => serenity::Permissions::MODERATE_MEMBERS,
            Perm::ManageMessages => serenity::Permissions::MANAGE_MESSAGES,
            Perm::ManageChannels => serenity::Permissions::MANAGE_CHANNELS,
            Perm::ManageNicknames => serenity::Permissions::MANAGE_NICKNAMES,
            Perm::ManageRoles => serenity::Permissions::MANAGE_ROLES,
        }
    }

    /// Its name as Discord's settings show it, in `l`.
    pub fn name(self, l: Locale) -> String {
        match self {
            Perm::BanMembers => tr!(l, "moderation-perm-ban-members"),
            Perm::KickMembers => tr!(l, "moderation-perm-kick-members"),
            Perm::ModerateMembers => tr!(l, "moderation-perm-moderate-members"),
            Perm::ManageMessages => tr!(l, "moderation-perm-manage-messages"),
            Perm::ManageChannels => tr!(l, "moderation-perm-manage-channels"),
            Perm::ManageNicknames => tr!(l, "moderation-perm-manage-nicknames"),
            Perm::ManageRoles => tr!(l, "moderation-perm-manage-roles"),
        }
    }
}

/// Moderation's typed refusals (an ephemeral ❌ embed; nothing was done).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ModRefusal {
    /// The words after the target could not be read.
    Args(ArgsError),
    /// The role hierarchy forbids it.
    Hierarchy(HierarchyRefusal),
    /// The moderator lacks the permission of this action.
    YouLack(Perm),
    /// The bot lacks the permission (Discord answered 50013).
    BotLacks(Perm),
    /// Unban of someone who is not banned.
    NotBanned(CoreUserId),
    /// Kick or timeout of someone who is not a member.
    NotAMember(CoreUserId),
    /// Untimeout of someone who is not timed out.
    NotTimedOut(CoreUserId),
    /// A case refusal from storage.
    Case(ModerationRefusal),
    /// The role argument could not be read.
    RoleArg(RoleArgError),
    /// `role add` of a role the member has.
    HasRole(CoreUserId, CoreRoleId),
    /// `role remove` of a role the member does not have.
    LacksRole(CoreUserId, CoreRoleId),
    /// `lock` of a channel locked already.
    AlreadyLocked(CoreChannelId),
    /// `unlock` of a channel Chronix did not lock.
    NotLocked(CoreChannelId),
    /// `lock` of a thread: its permissions are its parent channel's.
    ThreadLock(Option<CoreChannelId>),
    /// `lock` of a category or another channel without messages or voice.
    NotLockable(CoreChannelId),
    /// A channel of another server.
    ForeignChannel,
    /// `lockdown end` without a lockdown.
    NoLockdown,
}

impl std::fmt::Display for ModRefusal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&crate::errors::Refusal::text(self, Locale::EN))
    }
}

/// What the user reads for a bad duration, in `l`.
pub fn duration_error_text(l: Locale, e: &DurationError) -> String {
    match e {
        DurationError::Empty => tr!(l, "moderation-duration-empty"),
        DurationError::MissingUnit(p) => {
            tr!(l, "moderation-duration-missing-unit", part = clip(p))
        }
        DurationError::UnknownUnit(p) => {
            tr!(l, "moderation-duration-unknown-unit", part = clip(p))
        }
        DurationError::Malformed(p) => tr!(l, "moderation-duration-malformed", part = clip(p)),
        DurationError::Zero => tr!(l, "moderation-duration-zero"),
        DurationError::TooLong { max_secs } => tr!(
            l,
            "moderation-duration-too-long",
            max = rules::format_span(chrono::Duration::seconds(*max_secs))
        ),
    }
}

/// User text quoted inside a refusal: short, without backticks.
fn clip(s: &str) -> String {
    embeds::truncate(s, 30).replace('`', "'")
}

impl crate::errors::Refusal for ModRefusal {
    fn title(&self, l: Locale) -> String {
        match self {
            ModRefusal::Args(_) | ModRefusal::RoleArg(_) => tr!(l, "error-title-invalid-input"),
            ModRefusal::Hierarchy(_) | ModRefusal::YouLack(_) => {
                tr!(l, "error-title-not-allowed")
            }
            _ => tr!(l, "error-title-cannot"),
        }
    }

    fn text(&self, l: Locale) -> String {
        match self {
            ModRefusal::Args(ArgsError::Duration(d)) => duration_error_text(l, d),
            ModRefusal::Args(ArgsError::ReasonTooLong { chars, max }) => tr!(
                l,
                "moderation-reason-too-long",
                chars = *chars as u64,
                max = *max as u64
            ),
            ModRefusal::Args(ArgsError::DeleteWithoutValue) => {
                tr!(l, "moderation-delete-without-value")
            }
            ModRefusal::Hierarchy(h) => match h {
                HierarchyRefusal::SelfTarget => tr!(l, "moderation-hierarchy-self"),
                HierarchyRefusal::TargetIsOwner => tr!(l, "moderation-hierarchy-owner"),
                HierarchyRefusal::TargetIsBot => tr!(l, "moderation-hierarchy-bot"),
                HierarchyRefusal::ModeratorTooLow => tr!(l, "moderation-hierarchy-moderator"),
                HierarchyRefusal::BotTooLow => tr!(l, "moderation-hierarchy-bot-low"),
                HierarchyRefusal::RoleAboveModerator => {
                    tr!(l, "moderation-hierarchy-role-moderator")
                }
                HierarchyRefusal::RoleAboveBot => tr!(l, "moderation-hierarchy-role-bot"),
                HierarchyRefusal::RoleNotAssignable => {
                    tr!(l, "moderation-hierarchy-role-unassignable")
                }
            },
            ModRefusal::YouLack(p) => {
                tr!(l, "moderation-you-lack", permission = p.name(l))
            }
            ModRefusal::BotLacks(p) => {
                tr!(l, "moderation-bot-lacks", permission = p.name(l))
            }
            ModRefusal::NotBanned(u) => tr!(l, "moderation-not-banned", user = mention(*u)),
            ModRefusal::NotAMember(u) => tr!(l, "moderation-not-member", user = mention(*u)),
            ModRefusal::NotTimedOut(u) => {
                tr!(l, "moderation-not-timed-out", user = mention(*u))
            }
            ModRefusal::Case(ModerationRefusal::NoSuchCase(n)) => {
                tr!(l, "moderation-no-case", number = u64::from(*n))
            }
            ModRefusal::Case(ModerationRefusal::NotAWarning(n)) => {
                tr!(l, "moderation-not-a-warning", number = u64::from(*n))
            }
            ModRefusal::RoleArg(e) => role_arg_text(l, e),
            ModRefusal::HasRole(u, r) => {
                tr!(
                    l,
                    "moderation-role-has",
                    user = mention(*u),
                    role = role_mention(*r)
                )
            }
            ModRefusal::LacksRole(u, r) => {
                tr!(
                    l,
                    "moderation-role-lacks",
                    user = mention(*u),
                    role = role_mention(*r)
                )
            }
            ModRefusal::AlreadyLocked(c) => {
                tr!(l, "moderation-lock-already", channel = channel_mention(*c))
            }
            ModRefusal::NotLocked(c) => {
                tr!(
                    l,
                    "moderation-lock-not-locked",
                    channel = channel_mention(*c)
                )
            }
            ModRefusal::ThreadLock(Some(p)) => {
                tr!(l, "moderation-lock-thread", channel = channel_mention(*p))
            }
            ModRefusal::ThreadLock(None) => tr!(l, "moderation-lock-thread-orphan"),
            ModRefusal::NotLockable(c) => {
                tr!(
                    l,
                    "moderation-lock-unsupported",
                    channel = channel_mention(*c)
                )
            }
            ModRefusal::ForeignChannel => tr!(l, "moderation-lock-foreign"),
            ModRefusal::NoLockdown => tr!(l, "moderation-lockdown-none"),
        }
    }
}

/// A storage error as the user sees it: a moderation refusal becomes [`ModRefusal::Case`];
/// anything else stays internal.
pub fn storage_error(l: Locale, e: StorageError) -> Error {
    match e {
        StorageError::Refused(StorageRefusal::Moderation(r)) => {
            crate::errors::refuse(l, ModRefusal::Case(r))
        }
        e => anyhow::Error::new(e),
    }
}

/// `<@id>` (mentions are disabled on every message, so this never pings).
pub fn mention(u: CoreUserId) -> String {
    format!("<@{}>", u.get())
}

/// `<@&id>` (never pings either).
pub fn role_mention(r: CoreRoleId) -> String {
    format!("<@&{}>", r.get())
}

/// `<#id>`.
pub fn channel_mention(c: CoreChannelId) -> String {
    format!("<#{}>", c.get())
}

/// A case's target as the reader sees it: a member, a channel or "the whole server".
pub fn target_text(l: Locale, t: CaseTarget) -> String {
    t.mention(&tr!(l, "moderation-target-server"))
}

/// The label of a case's target field: "User", "Channel" or "Scope".
pub fn target_label(l: Locale, t: CaseTarget) -> String {
    match t {
        CaseTarget::User(_) => tr!(l, "moderation-field-target"),
        CaseTarget::Channel(_) => tr!(l, "moderation-field-channel"),
        CaseTarget::Server(_) => tr!(l, "moderation-field-scope"),
    }
}

/// What the user reads for a role argument that names no single role.
pub fn role_arg_text(l: Locale, e: &RoleArgError) -> String {
    match e {
        RoleArgError::Empty => tr!(l, "moderation-role-arg-empty"),
        RoleArgError::NotFound(t) => tr!(l, "moderation-role-arg-unknown", text = clip(t)),
        RoleArgError::Ambiguous { text, names, count } => tr!(
            l,
            "moderation-role-arg-ambiguous",
            text = clip(text),
            count = *count as u64,
            names = names
                .iter()
                .map(|n| format!("`{}`", clip(n)))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}

/// Discord's JSON error code of a failed REST call (50013 Missing Permissions, 10007 Unknown
/// Member, 10026 Unknown Ban, 50007 Cannot send messages to this user…).
pub fn discord_code(e: &serenity::Error) -> Option<isize> {
    match e {
        serenity::Error::Http(serenity::HttpError::UnsuccessfulRequest(r)) => Some(r.error.code),
        _ => None,
    }
}

/// A failed Discord call: 50013 becomes [`ModRefusal::BotLacks`] naming `perm`, the rest stays
/// internal.
pub fn discord_error(l: Locale, e: serenity::Error, perm: Perm) -> Error {
    if discord_code(&e) == Some(50013) {
        crate::errors::refuse(l, ModRefusal::BotLacks(perm))
    } else {
        anyhow::Error::new(e)
    }
}

/// The stored name of a case kind, in `l`.
pub fn kind_name(l: Locale, k: CaseKind) -> String {
    match k {
        CaseKind::Ban => tr!(l, "moderation-kind-ban"),
        CaseKind::TempBan => tr!(l, "moderation-kind-tempban"),
        CaseKind::Unban => tr!(l, "moderation-kind-unban"),
        CaseKind::Softban => tr!(l, "moderation-kind-softban"),
        CaseKind::Kick => tr!(l, "moderation-kind-kick"),
        CaseKind::Timeout => tr!(l, "moderation-kind-timeout"),
        CaseKind::Untimeout => tr!(l, "moderation-kind-untimeout"),
        CaseKind::Warn => tr!(l, "moderation-kind-warn"),
        CaseKind::MassBan => tr!(l, "moderation-kind-massban"),
        CaseKind::MassKick => tr!(l, "moderation-kind-masskick"),
        CaseKind::Lock => tr!(l, "moderation-kind-lock"),
        CaseKind::Unlock => tr!(l, "moderation-kind-unlock"),
        CaseKind::Lockdown => tr!(l, "moderation-kind-lockdown"),
        CaseKind::LockdownEnd => tr!(l, "moderation-kind-lockdown-end"),
        CaseKind::RoleAdd => tr!(l, "moderation-kind-role-add"),
        CaseKind::RoleRemove => tr!(l, "moderation-kind-role-remove"),
    }
}

/// The reason, or "No reason given".
pub fn reason_or_none(l: Locale, r: Option<&str>) -> String {
    match r {
        Some(r) => embeds::truncate(r, 500),
        None => tr!(l, "moderation-no-reason"),
    }
}

/// The full embed of a case (`case <n>`).
pub fn case_embed(l: Locale, c: &Case) -> Embed {
    let mut e = Embed::info(tr!(
        l,
        "moderation-case-title",
        number = u64::from(c.number),
        kind = kind_name(l, c.kind)
    ))
    .field(target_label(l, c.target), target_text(l, c.target), true)
    .field(
        tr!(l, "moderation-field-moderator"),
        mention(c.moderator),
        true,
    )
    .field(
        tr!(l, "moderation-field-created"),
        format!("<t:{}:f>", c.created_at.timestamp()),
        true,
    )
    .field(
        tr!(l, "moderation-field-reason"),
        reason_or_none(l, c.reason.as_deref()),
        false,
    );
    if let Some(r) = c.role {
        e = e.field(tr!(l, "moderation-field-role"), role_mention(r), true);
    }
    if let Some(d) = c.duration {
        e = e.field(
            tr!(l, "moderation-field-duration"),
            chronix_core::moderation::format_span(d),
            true,
        );
    }
    if let Some(at) = c.expires_at {
        let status = if c.active {
            tr!(
                l,
                "moderation-status-ends",
                at = format!("<t:{}:R>", at.timestamp())
            )
        } else {
            let ended = c.ended_at.unwrap_or(at);
            tr!(
                l,
                "moderation-status-ended",
                at = format!("<t:{}:R>", ended.timestamp())
            )
        };
        e = e.field(tr!(l, "moderation-field-status"), status, true);
    }
    if c.source == CaseSource::Manual {
        e = e.footer(tr!(l, "moderation-source-manual"));
    }
    e
}

/// The role facts of a guild for the hierarchy rules (each role's position, the owner) and each
/// role's guild-level permissions (one REST call; moderation actions are rare and must not act
/// on stale positions).
pub async fn hierarchy(
    http: &serenity::Http,
    guild: serenity::GuildId,
    bot: serenity::UserId,
) -> Result<(Hierarchy, RolePerms), Error> {
    let g = http.get_guild(guild).await?;
    let h = Hierarchy {
        owner: g.owner_id.core(),
        bot: bot.core(),
        positions: g
            .roles
            .values()
            .map(|r| (r.id.core(), i64::from(r.position)))
            .collect(),
    };
    let perms = RolePerms {
        everyone: g
            .roles
            .get(&serenity::RoleId::new(guild.get()))
            .map(|r| r.permissions)
            .unwrap_or_default(),
        roles: g
            .roles
            .values()
            .map(|r| (r.id.core(), r.permissions))
            .collect(),
    };
    Ok((h, perms))
}

/// Each role's guild-level permissions.
pub struct RolePerms {
    everyone: serenity::Permissions,
    roles: std::collections::HashMap<chronix_core::ids::RoleId, serenity::Permissions>,
}

impl RolePerms {
    /// The guild-level permissions of a member with `roles` (`@everyone` included;
    /// Administrator means everything).
    pub fn of(&self, roles: &[chronix_core::ids::RoleId]) -> serenity::Permissions {
        let mut p = self.everyone;
        for r in roles {
            p |= self.roles.get(r).copied().unwrap_or_default();
        }
        if p.administrator() {
            serenity::Permissions::all()
        } else {
            p
        }
    }
}

/// A member's role ids, `None` when they are not a member (Discord's 10007 Unknown Member).
pub async fn member_roles(
    http: &serenity::Http,
    guild: serenity::GuildId,
    user: serenity::UserId,
) -> Result<Option<Vec<chronix_core::ids::RoleId>>, Error> {
    match http.get_member(guild, user).await {
        Ok(m) => Ok(Some(m.roles.iter().map(|r| r.core()).collect())),
        Err(e) if matches!(discord_code(&e), Some(10007 | 10013)) => Ok(None),
        Err(e) => Err(e.into()),
    }
}

/// The bot's user id (from the cache's current user, else REST).
pub async fn bot_id(ctx: Context<'_>) -> Result<serenity::UserId, Error> {
    Ok(ctx.cache().current_user().id)
}

/// Who acts and on whom, after the checks every member action runs.
pub struct Checked {
    /// The target's roles (`None`: not a member).
    pub target_roles: Option<Vec<chronix_core::ids::RoleId>>,
    /// The server's role positions.
    pub hierarchy: Hierarchy,
    /// The moderator's roles.
    pub actor_roles: Vec<chronix_core::ids::RoleId>,
    /// The bot's roles.
    pub bot_roles: Vec<chronix_core::ids::RoleId>,
}

/// The checks of an action on `target` by the author: their own permission `perm` (`None` for a
/// warning), then the hierarchy. Refuses with a [`ModRefusal`].
pub async fn check(
    ctx: Context<'_>,
    who: &crate::Caller,
    target: serenity::UserId,
    perm: Option<Perm>,
    act: rules::Act,
) -> Result<Checked, Error> {
    let l = who.locale;
    let gid = who.guild.ok_or(UserError::GuildOnly)?.discord();
    if let Some(p) = perm {
        let have = crate::perms::author_permissions(ctx).await;
        if !have.contains(p.bits()) && !have.administrator() {
            return Err(crate::errors::refuse(l, ModRefusal::YouLack(p)));
        }
    }
    let bot = bot_id(ctx).await?;
    let (h, role_perms) = hierarchy(ctx.http(), gid, bot).await?;
    let actor_roles: Vec<chronix_core::ids::RoleId> = crate::perms::author_roles(ctx)
        .await
        .unwrap_or_default()
        .iter()
        .map(|r| r.core())
        .collect();
    let bot_roles = member_roles(ctx.http(), gid, bot)
        .await?
        .unwrap_or_default();
    // Refused before the target is told anything (Discord's 50013 stays the fallback).
    if let Some(p) = perm {
        if !role_perms.of(&bot_roles).contains(p.bits()) {
            return Err(crate::errors::refuse(l, ModRefusal::BotLacks(p)));
        }
    }
    let target_roles = member_roles(ctx.http(), gid, target).await?;
    rules::check_target(
        &h,
        act,
        who.user,
        &actor_roles,
        &bot_roles,
        target.core(),
        target_roles.as_deref(),
    )
    .map_err(|r| crate::errors::refuse(l, ModRefusal::Hierarchy(r)))?;
    Ok(Checked {
        target_roles,
        hierarchy: h,
        actor_roles,
        bot_roles,
    })
}

/// Tells the target by DM, if the server wants it. A closed DM (or any failure to deliver) is
/// not an error: it is logged at debug level and the action goes on.
pub async fn dm_target(
    ctx: Context<'_>,
    target: serenity::UserId,
    kind: CaseKind,
    reason: Option<&str>,
    duration: Option<chrono::Duration>,
) -> bool {
    let Some(gid) = ctx.guild_id() else {
        return false;
    };
    match chronix_storage::moderation::dm_targets(ctx.data().storage(), gid.core()).await {
        Ok(true) => {}
        Ok(false) => return false,
        Err(e) => {
            tracing::warn!(error = ?e, "moderation DM setting unreadable; not sending the DM");
            return false;
        }
    }
    let l = crate::i18n::guild_locale(ctx.data(), Some(gid.get())).await;
    let guild_name = ctx
        .data()
        .guilds()
        .facts(gid)
        .map(|f| f.name)
        .unwrap_or_else(|| gid.to_string());
    let dur = duration
        .map(chronix_core::moderation::format_span)
        .unwrap_or_default();
    let title = match kind {
        CaseKind::Ban => tr!(l, "moderation-dm-ban", guild = guild_name.as_str()),
        CaseKind::TempBan => tr!(
            l,
            "moderation-dm-tempban",
            guild = guild_name.as_str(),
            duration = dur.as_str()
        ),
        CaseKind::Softban => tr!(l, "moderation-dm-softban", guild = guild_name.as_str()),
        CaseKind::Kick => tr!(l, "moderation-dm-kick", guild = guild_name.as_str()),
        CaseKind::Timeout => tr!(
            l,
            "moderation-dm-timeout",
            guild = guild_name.as_str(),
            duration = dur.as_str()
        ),
        CaseKind::Warn => tr!(l, "moderation-dm-warn", guild = guild_name.as_str()),
        CaseKind::Unban
        | CaseKind::Untimeout
        | CaseKind::MassBan
        | CaseKind::MassKick
        | CaseKind::Lock
        | CaseKind::Unlock
        | CaseKind::Lockdown
        | CaseKind::LockdownEnd
        | CaseKind::RoleAdd
        | CaseKind::RoleRemove => return false,
    };
    let embed = Embed::warning(title).field(
        tr!(l, "moderation-field-reason"),
        reason_or_none(l, reason),
        false,
    );
    let sent = async {
        let channel = target.create_dm_channel(ctx.http()).await?;
        channel
            .send_message(ctx.http(), embeds::message(embed))
            .await?;
        Ok::<_, serenity::Error>(())
    }
    .await;
    match sent {
        Ok(()) => true,
        Err(e) => {
            tracing::debug!(user = %target, code = ?discord_code(&e), "moderation DM not delivered");
            false
        }
    }
}

/// The reason sent to Discord's audit log: `<moderator name>: <reason>` (at most 512 chars).
pub fn audit_reason(moderator: &str, reason: Option<&str>) -> String {
    let text = match reason {
        Some(r) => format!("{moderator}: {r}"),
        None => moderator.to_string(),
    };
    text.chars().take(rules::MAX_REASON_CHARS).collect()
}

/// A user id back to serenity (for REST calls from jobs and listeners).
pub fn discord_user(u: CoreUserId) -> serenity::UserId {
    u.discord()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_refusal_has_a_text() {
        use crate::errors::Refusal as _;
        let u = CoreUserId::new(5);
        let all = [
            ModRefusal::Args(ArgsError::Duration(DurationError::Empty)),
            ModRefusal::Args(ArgsError::Duration(DurationError::MissingUnit("10".into()))),
            ModRefusal::Args(ArgsError::Duration(DurationError::UnknownUnit("1x".into()))),
            ModRefusal::Args(ArgsError::Duration(DurationError::Malformed("h".into()))),
            ModRefusal::Args(ArgsError::Duration(DurationError::Zero)),
            ModRefusal::Args(ArgsError::Duration(DurationError::TooLong {
                max_secs: 28 * 86_400,
            })),
            ModRefusal::Args(ArgsError::ReasonTooLong {
                chars: 600,
                max: 512,
            }),
            ModRefusal::Args(ArgsError::DeleteWithoutValue),
            ModRefusal::Hierarchy(HierarchyRefusal::SelfTarget),
            ModRefusal::Hierarchy(HierarchyRefusal::TargetIsOwner),
            ModRefusal::Hierarchy(HierarchyRefusal::TargetIsBot),
            ModRefusal::Hierarchy(HierarchyRefusal::ModeratorTooLow),
            ModRefusal::Hierarchy(HierarchyRefusal::BotTooLow),
            ModRefusal::Hierarchy(HierarchyRefusal::RoleAboveModerator),
            ModRefusal::Hierarchy(HierarchyRefusal::RoleAboveBot),
            ModRefusal::Hierarchy(HierarchyRefusal::RoleNotAssignable),
            ModRefusal::YouLack(Perm::BanMembers),
            ModRefusal::BotLacks(Perm::ModerateMembers),
            ModRefusal::NotBanned(u),
            ModRefusal::NotAMember(u),
            ModRefusal::NotTimedOut(u),
            ModRefusal::Case(ModerationRefusal::NoSuchCase(3)),
            ModRefusal::Case(ModerationRefusal::NotAWarning(3)),
            ModRefusal::RoleArg(RoleArgError::Empty),
            ModRefusal::RoleArg(RoleArgError::NotFound("x".into())),
            ModRefusal::RoleArg(RoleArgError::Ambiguous {
                text: "mod".into(),
                names: vec!["Moderators".into(), "Mods".into()],
                count: 2,
            }),
            ModRefusal::HasRole(u, CoreRoleId::new(7)),
            ModRefusal::LacksRole(u, CoreRoleId::new(7)),
            ModRefusal::AlreadyLocked(CoreChannelId::new(8)),
            ModRefusal::NotLocked(CoreChannelId::new(8)),
            ModRefusal::ThreadLock(Some(CoreChannelId::new(8))),
            ModRefusal::ThreadLock(None),
            ModRefusal::NotLockable(CoreChannelId::new(8)),
            ModRefusal::ForeignChannel,
            ModRefusal::NoLockdown,
        ];
        for r in all {
            let t = r.text(Locale::EN);
            assert!(!t.is_empty() && !t.contains("moderation-"), "{r:?}: {t}");
        }
        assert_eq!(
            ModRefusal::RoleArg(RoleArgError::Ambiguous {
                text: "mod".into(),
                names: vec!["Moderators".into(), "Mods".into()],
                count: 2,
            })
            .text(Locale::EN),
            "`mod` matches 2 roles: `Moderators`, `Mods`. Write more of the name, or mention the role."
        );
        assert_eq!(
            ModRefusal::BotLacks(Perm::BanMembers).text(Locale::EN),
            "I am missing the **Ban Members** permission here: give it to my role and try again."
        );
    }

    #[test]
    fn audit_reasons_fit_discords_limit() {
        assert_eq!(audit_reason("mod", Some("spam")), "mod: spam");
        assert_eq!(audit_reason("mod", None), "mod");
        assert_eq!(
            audit_reason("mod", Some(&"x".repeat(600))).chars().count(),
            512
        );
    }

    /// Random text through every moderation argument parser, rendered as the user would read
    /// it in every locale: a valid action, or a refusal that is a real sentence (no missing
    /// Fluent id, never empty).
    mod fuzz {
        use super::*;
        use chronix_core::moderation::{
            MAX_DURATION_SECS, MAX_TIMEOUT_SECS, RoleFacts, parse_action_args, parse_duration_max,
            parse_purge_filters, parse_role_arg, parse_slowmode, parse_user,
        };
        use proptest::prelude::*;

        fn clear(text: &str) -> bool {
            !text.trim().is_empty() && !text.contains("moderation-") && !text.contains("{ $")
        }

        fn refused(r: ModRefusal) -> Result<(), TestCaseError> {
            for l in Locale::all() {
                let t = r.text(l);
                prop_assert!(clear(&t), "{:?} in {}: {t:?}", r, l.code());
                prop_assert!(clear(&r.title(l)));
            }
            Ok(())
        }

        proptest! {
            #[test]
            fn ban_and_timeout_words(s in "\\PC{0,80}", del in any::<bool>()) {
                for max in [MAX_DURATION_SECS, MAX_TIMEOUT_SECS] {
                    if let Err(e) = parse_action_args(Some(&s), del, max) {
                        refused(ModRefusal::Args(e))?;
                    }
                    if let Err(e) = parse_duration_max(&s, max) {
                        refused(ModRefusal::Args(e.into()))?;
                    }
                }
                if let Err(e) = parse_slowmode(&s) {
                    refused(ModRefusal::Args(e.into()))?;
                }
            }

            #[test]
            fn purge_words(s in "\\PC{0,80}") {
                if let Err(e) = parse_purge_filters(&s) {
                    for l in Locale::all() {
                        prop_assert!(clear(&tools::purge_error_text(l, &e)));
                    }
                }
            }

            #[test]
            fn role_and_member_words(
                s in "\\PC{0,40}",
                names in proptest::collection::vec("[a-zA-Z@ ]{0,8}", 0..8),
            ) {
                let roles: Vec<RoleFacts> = names
                    .into_iter()
                    .enumerate()
                    .map(|(i, name)| RoleFacts { id: CoreRoleId::new(i as u64 + 1), name })
                    .collect();
                if let Err(e) = parse_role_arg(&s, &roles) {
                    refused(ModRefusal::RoleArg(e))?;
                }
                if let Some(u) = parse_user(&s) {
                    refused(ModRefusal::NotAMember(u))?;
                }
            }
        }
    }
}
