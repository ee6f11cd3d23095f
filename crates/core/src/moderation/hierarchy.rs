//! The role-hierarchy checks every moderation command runs before acting.

use super::*;

/// What is being done, for the hierarchy rules.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Act {
    /// Ban, kick, timeout, softban, nick: acts on a member (if they are one).
    OnMember,
    /// Warn: needs no bot permission, but the moderator must outrank the member.
    Warn,
}

/// The role facts the hierarchy rules read.
#[derive(Debug, Clone, Default)]
pub struct Hierarchy {
    /// The server owner.
    pub owner: UserId,
    /// The bot.
    pub bot: UserId,
    /// Each role's position (`@everyone` is 0).
    pub positions: HashMap<RoleId, i64>,
}

impl Hierarchy {
    /// The highest position among `roles` (0 when none is known: `@everyone`).
    pub fn top(&self, roles: &[RoleId]) -> i64 {
        roles
            .iter()
            .filter_map(|r| self.positions.get(r))
            .copied()
            .max()
            .unwrap_or(0)
    }
}

/// Why the hierarchy forbids an action.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum HierarchyRefusal {
    /// The moderator aimed at themself.
    #[error("you cannot do that to yourself")]
    SelfTarget,
    /// The target owns the server.
    #[error("the server owner cannot be moderated")]
    TargetIsOwner,
    /// The target is the bot.
    #[error("I will not do that to myself")]
    TargetIsBot,
    /// The target's highest role is not below the moderator's.
    #[error("their highest role is not below yours")]
    ModeratorTooLow,
    /// The target's highest role is not below the bot's.
    #[error("their highest role is not below mine")]
    BotTooLow,
    /// A role to give or take is not below the moderator's highest role.
    #[error("that role is not below your highest role")]
    RoleAboveModerator,
    /// A role to give or take is not below the bot's highest role.
    #[error("that role is not below my highest role")]
    RoleAboveBot,
    /// `@everyone` or a managed role cannot be given or taken.
    #[error("that role cannot be given or taken")]
    RoleNotAssignable,
}

/// Checks an action by `actor` (with `actor_roles`) on `target` (with `target_roles`, `None` when
/// the target is not a member: a ban by id), the bot having `bot_roles`. The owner may act on
/// anyone below the bot; nobody acts on the owner, on themself or on the bot.
pub fn check_target(
    h: &Hierarchy,
    act: Act,
    actor: UserId,
    actor_roles: &[RoleId],
    bot_roles: &[RoleId],
    target: UserId,
    target_roles: Option<&[RoleId]>,
) -> Result<(), HierarchyRefusal> {
    if target == actor {
        return Err(HierarchyRefusal::SelfTarget);
    }
    if target == h.owner {
        return Err(HierarchyRefusal::TargetIsOwner);
    }
    if target == h.bot {
        return Err(HierarchyRefusal::TargetIsBot);
    }
    let Some(target_roles) = target_roles else {
        return Ok(()); // not a member: no roles to compare
    };
    let target_top = h.top(target_roles);
    if actor != h.owner && h.top(actor_roles) <= target_top {
        return Err(HierarchyRefusal::ModeratorTooLow);
    }
    if act == Act::OnMember && h.top(bot_roles) <= target_top {
        return Err(HierarchyRefusal::BotTooLow);
    }
    Ok(())
}

/// Checks giving or taking `role` (the target member is checked with [`check_target`] first
/// when it is someone else). `@everyone` (the guild's id) cannot be given.
pub fn check_role(
    h: &Hierarchy,
    actor: UserId,
    actor_roles: &[RoleId],
    bot_roles: &[RoleId],
    role: RoleId,
    is_everyone: bool,
) -> Result<(), HierarchyRefusal> {
    if is_everyone {
        return Err(HierarchyRefusal::RoleNotAssignable);
    }
    let pos = h.positions.get(&role).copied().unwrap_or(0);
    if actor != h.owner && h.top(actor_roles) <= pos {
        return Err(HierarchyRefusal::RoleAboveModerator);
    }
    if h.top(bot_roles) <= pos {
        return Err(HierarchyRefusal::RoleAboveBot);
    }
    Ok(())
}
