//! `role add` / `role remove`: give or take a role, with the checks a moderator expects. The
//! role is read by hand ([`rules::parse_role_arg`]: a mention, an id, an exact name, a unique
//! prefix) against the server's roles read by REST, since serenity's `Role` argument needs the
//! guild cache, which is off. Refusals, in order: the moderator's Manage Roles, an unreadable
//! or ambiguous role, `@everyone` or a managed role, the member (yourself, the owner, the bot,
//! someone not below you, not a member), the role above the moderator's or the bot's highest
//! role, the member already having (or not having) it.

use chronix_core::moderation::{self as rules, Act, CaseKind, HierarchyRefusal, RoleFacts};
use chronix_storage::moderation::NewCase;

use super::actions::{done_embed, record_case};
use super::{ModRefusal, Perm, audit_reason, check, discord_error};
use crate::errors::refuse;
use crate::kernel::ids::{ToCore, ToDiscord};
use crate::prelude::*;

/// Give or take a member's role.
#[poise::command(
    prefix_command,
    slash_command,
    guild_only,
    subcommands("role_add", "role_remove"),
    subcommand_required,
    custom_data = Tier::Mod
)]
pub async fn role(_ctx: Context<'_>) -> Result<(), Error> {
    Ok(())
}

/// Give a member a role (a mention, an id or its name).
#[poise::command(
    prefix_command,
    slash_command,
    guild_only,
    rename = "add",
    aliases("give"),
    custom_data = Tier::Mod
)]
pub async fn role_add(
    ctx: Context<'_>,
    #[description = "Who gets the role"] user: serenity::User,
    #[description = "The role: a mention, its id or its name"]
    #[rest]
    role: String,
) -> Result<(), Error> {
    change(ctx, user, &role, true).await
}

/// Take a role from a member (a mention, an id or its name).
#[poise::command(
    prefix_command,
    slash_command,
    guild_only,
    rename = "remove",
    aliases("take"),
    custom_data = Tier::Mod
)]
pub async fn role_remove(
    ctx: Context<'_>,
    #[description = "Who loses the role"] user: serenity::User,
    #[description = "The role: a mention, its id or its name"]
    #[rest]
    role: String,
) -> Result<(), Error> {
    change(ctx, user, &role, false).await
}

async fn change(
    ctx: Context<'_>,
    user: serenity::User,
    text: &str,
    add: bool,
) -> Result<(), Error> {
    let c = Caller::of(ctx).await;
    let Caller {
        user: me,
        guild,
        locale: l,
        ..
    } = c.clone();
    let gid = guild.ok_or(UserError::GuildOnly)?;
    super::tools::need(ctx, l, Perm::ManageRoles).await?;
    let roles = ctx.http().get_guild_roles(gid.discord()).await?;
    let facts: Vec<RoleFacts> = roles
        .iter()
        .map(|r| RoleFacts {
            id: r.id.core(),
            name: r.name.clone(),
        })
        .collect();
    let role_id =
        rules::parse_role_arg(text, &facts).map_err(|e| refuse(l, ModRefusal::RoleArg(e)))?;
    let role = roles
        .iter()
        .find(|r| r.id.core() == role_id)
        .ok_or_else(|| anyhow::anyhow!("a parsed role is missing from its list"))?;
    if role.managed || role_id.get() == gid.get() {
        return Err(refuse(
            l,
            ModRefusal::Hierarchy(HierarchyRefusal::RoleNotAssignable),
        ));
    }
    let checked = check(ctx, &c, user.id, Some(Perm::ManageRoles), Act::Warn).await?;
    let Some(has) = &checked.target_roles else {
        return Err(refuse(l, ModRefusal::NotAMember(user.id.core())));
    };
    rules::check_role(
        &checked.hierarchy,
        me,
        &checked.actor_roles,
        &checked.bot_roles,
        role_id,
        false,
    )
    .map_err(|r| refuse(l, ModRefusal::Hierarchy(r)))?;
    let target = user.id.core();
    match (add, has.contains(&role_id)) {
        (true, true) => return Err(refuse(l, ModRefusal::HasRole(target, role_id))),
        (false, false) => return Err(refuse(l, ModRefusal::LacksRole(target, role_id))),
        _ => {}
    }
    let audit = audit_reason(&ctx.author().name, None);
    let done = if add {
        ctx.http()
            .add_member_role(gid.discord(), user.id, role.id, Some(&audit))
            .await
    } else {
        ctx.http()
            .remove_member_role(gid.discord(), user.id, role.id, Some(&audit))
            .await
    };
    done.map_err(|e| discord_error(l, e, Perm::ManageRoles))?;
    let kind = if add {
        CaseKind::RoleAdd
    } else {
        CaseKind::RoleRemove
    };
    let mut new = NewCase::new(gid, kind, target, me);
    new.role = Some(role_id);
    let case = record_case(ctx, &c, new).await?;
    ctx.send(embeds::reply(done_embed(l, &user.name, &case, false)))
        .await?;
    Ok(())
}
