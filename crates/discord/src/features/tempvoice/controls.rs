//! What can be done to a temporary channel, shared by the panel (buttons, user selects,
//! modals: `chx:tv:<action>:<channel>`) and the `vc` commands.
//!
//! Who may: the owner, or a server admin (Administrator or Manage Server), for rename, limit,
//! lock/unlock, hide/unhide, permit, kick and transfer; `claim` is for a member in the channel
//! once its owner left; `persist` is for server admins only (a persistent channel stays).

use chronix_core::ids::{ChannelId, UserId};
use chronix_core::tempvoice::{check_user_limit, sanitise};
use chronix_storage::tempvoice::{self as store, Flag, TempChannel};

use super::{Occupancy, PREFIX, hub_error, refused, user_error};
use crate::kernel::ids::{ToCore, ToDiscord};
use crate::prelude::*;
use crate::registry::BoxFuture;

/// Who acts.
#[derive(Debug, Clone, Copy)]
pub struct Actor {
    /// The user.
    pub user: UserId,
    /// A server admin (Administrator or Manage Server).
    pub admin: bool,
}

/// An action on a temporary channel.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    /// Rename it.
    Rename(String),
    /// Set its user limit (0: none).
    Limit(u32),
    /// Lock (true) or unlock.
    Lock(bool),
    /// Hide (true) or unhide.
    Hide(bool),
    /// Let a member see and join it.
    Permit(UserId),
    /// Disconnect a member and keep them out.
    Kick(UserId),
    /// Give it to a member in it.
    Transfer(UserId),
    /// Take it over (the owner left).
    Claim,
    /// Keep it when empty (toggles).
    Persist,
}

/// What the owner may do in their channel (also given to the bot).
pub fn manage_allow() -> serenity::Permissions {
    serenity::Permissions::VIEW_CHANNEL
        | serenity::Permissions::CONNECT
        | serenity::Permissions::SPEAK
        | serenity::Permissions::MANAGE_CHANNELS
        | serenity::Permissions::MOVE_MEMBERS
}

/// The owner's overwrite.
pub fn owner_overwrite(owner: UserId) -> serenity::PermissionOverwrite {
    serenity::PermissionOverwrite {
        allow: manage_allow(),
        deny: serenity::Permissions::empty(),
        kind: serenity::PermissionOverwriteType::Member(owner.discord()),
    }
}

fn member_overwrite(
    user: UserId,
    allow: serenity::Permissions,
    deny: serenity::Permissions,
) -> serenity::PermissionOverwrite {
    serenity::PermissionOverwrite {
        allow,
        deny,
        kind: serenity::PermissionOverwriteType::Member(user.discord()),
    }
}

/// The temporary channel a control acts on: the one the command runs in (its text chat), else
/// the one the caller is in.
pub async fn target(
    data: &Data,
    l: Locale,
    guild: serenity::GuildId,
    here: serenity::ChannelId,
    user: UserId,
) -> Result<TempChannel, Error> {
    if let Some(t) = store::by_channel(data.storage(), here.core()).await? {
        return Ok(t);
    }
    let Some(c) = data.state::<Occupancy>().channel_of(guild.core(), user) else {
        return Err(refused(l, tr!(l, "tempvoice-not-in-channel")));
    };
    match store::by_channel(data.storage(), c).await? {
        Some(t) => Ok(t),
        None => Err(refused(l, tr!(l, "tempvoice-not-in-channel"))),
    }
}

/// Applies `action` to `t` for `actor`, after the permission checks; the answer to show.
pub async fn apply(
    http: &serenity::Http,
    data: &Data,
    l: Locale,
    actor: Actor,
    t: &TempChannel,
    action: Action,
) -> Result<Embed, Error> {
    let Some(channel) = t.channel else {
        return Err(user_error(
            l,
            chronix_storage::Refusal::TempVoice(store::TempVoiceRefusal::NotTemporary).into(),
        ));
    };
    let occupancy = data.state::<Occupancy>();
    match &action {
        Action::Claim => {
            if actor.user == t.owner {
                return Err(refused(l, tr!(l, "tempvoice-already-yours")));
            }
            if !occupancy.is_in(channel, actor.user) {
                return Err(refused(l, tr!(l, "tempvoice-claim-join-first")));
            }
            if occupancy.is_in(channel, t.owner) {
                return Err(refused(l, tr!(l, "tempvoice-owner-present")));
            }
        }
        Action::Persist => {
            if !actor.admin {
                return Err(refused(l, tr!(l, "tempvoice-admins-only")));
            }
        }
        _ => {
            if actor.user != t.owner && !actor.admin {
                return Err(refused(l, tr!(l, "tempvoice-owner-only")));
            }
        }
    }
    let ch = channel.discord();
    let mention = |u: UserId| format!("<@{u}>");
    Ok(match action {
        Action::Rename(name) => {
            let name = sanitise(&name);
            if name.is_empty() {
                return Err(refused(l, tr!(l, "tempvoice-rename-empty")));
            }
            ch.edit(http, serenity::EditChannel::new().name(&name))
                .await?;
            Embed::success(tr!(l, "tempvoice-renamed-title")).description(tr!(
                l,
                "tempvoice-renamed",
                name = name
            ))
        }
        Action::Limit(n) => {
            check_user_limit(n).map_err(|e| refused(l, hub_error(l, &e)))?;
            ch.edit(http, serenity::EditChannel::new().user_limit(n))
                .await?;
            let text = if n == 0 {
                tr!(l, "tempvoice-limit-none")
            } else {
                tr!(l, "tempvoice-limit-set", count = n)
            };
            Embed::success(tr!(l, "tempvoice-limit-title")).description(text)
        }
        Action::Lock(on) | Action::Hide(on) => {
            let flag = if matches!(action, Action::Lock(_)) {
                Flag::Locked
            } else {
                Flag::Hidden
            };
            let t = store::set_flag(data.storage(), channel, flag, on)
                .await
                .map_err(|e| user_error(l, e))?;
            set_everyone(http, &t).await?;
            Embed::success(match (flag, on) {
                (Flag::Locked, true) => tr!(l, "tempvoice-locked"),
                (Flag::Locked, false) => tr!(l, "tempvoice-unlocked"),
                (_, true) => tr!(l, "tempvoice-hidden"),
                (_, false) => tr!(l, "tempvoice-unhidden"),
            })
        }
        Action::Permit(u) => {
            ch.create_permission(
                http,
                member_overwrite(
                    u,
                    serenity::Permissions::VIEW_CHANNEL | serenity::Permissions::CONNECT,
                    serenity::Permissions::empty(),
                ),
            )
            .await?;
            Embed::success(tr!(l, "tempvoice-permitted-title")).description(tr!(
                l,
                "tempvoice-permitted",
                user = mention(u)
            ))
        }
        Action::Kick(u) => {
            if u == t.owner || u == actor.user {
                return Err(refused(l, tr!(l, "tempvoice-kick-owner")));
            }
            ch.create_permission(
                http,
                member_overwrite(
                    u,
                    serenity::Permissions::empty(),
                    serenity::Permissions::CONNECT,
                ),
            )
            .await?;
            if occupancy.is_in(channel, u) {
                t.guild
                    .discord()
                    .disconnect_member(http, u.discord())
                    .await?;
            }
            Embed::success(tr!(l, "tempvoice-kicked-title")).description(tr!(
                l,
                "tempvoice-kicked",
                user = mention(u)
            ))
        }
        Action::Transfer(u) => {
            if !occupancy.is_in(channel, u) {
                return Err(refused(l, tr!(l, "tempvoice-transfer-not-here")));
            }
            let t = hand_over(http, data, l, t, u).await?;
            Embed::success(tr!(l, "tempvoice-transferred-title")).description(tr!(
                l,
                "tempvoice-owner-now",
                user = mention(t.owner)
            ))
        }
        Action::Claim => {
            let t = hand_over(http, data, l, t, actor.user).await?;
            Embed::success(tr!(l, "tempvoice-claimed-title")).description(tr!(
                l,
                "tempvoice-owner-now",
                user = mention(t.owner)
            ))
        }
        Action::Persist => {
            let t = store::set_flag(data.storage(), channel, Flag::Persistent, !t.persistent)
                .await
                .map_err(|e| user_error(l, e))?;
            crate::kernel::audit::record(
                data,
                crate::kernel::audit::Audit::new(actor.user, Some(t.guild), "tempvoice.persist")
                    .target(channel)
                    .after(t.persistent),
            )
            .await?;
            if t.persistent {
                Embed::success(tr!(l, "tempvoice-persistent"))
            } else {
                Embed::success(tr!(l, "tempvoice-not-persistent"))
            }
        }
    })
}

/// Moves ownership (conditional on the owner the caller saw) and the owner's overwrite.
async fn hand_over(
    http: &serenity::Http,
    data: &Data,
    l: Locale,
    t: &TempChannel,
    to: UserId,
) -> Result<TempChannel, Error> {
    let channel = t.channel.unwrap_or(ChannelId::new(0));
    let moved = store::transfer(data.storage(), channel, t.owner, to)
        .await
        .map_err(|e| user_error(l, e))?;
    let ch = channel.discord();
    ch.delete_permission(
        http,
        serenity::PermissionOverwriteType::Member(t.owner.discord()),
    )
    .await?;
    ch.create_permission(http, owner_overwrite(to)).await?;
    Ok(moved)
}

/// The @everyone overwrite of a channel from its lock and hide flags (none when neither).
async fn set_everyone(http: &serenity::Http, t: &TempChannel) -> Result<(), Error> {
    let Some(channel) = t.channel else {
        return Ok(());
    };
    let everyone = serenity::PermissionOverwriteType::Role(serenity::RoleId::new(t.guild.get()));
    let mut deny = serenity::Permissions::empty();
    if t.locked {
        deny |= serenity::Permissions::CONNECT;
    }
    if t.hidden {
        deny |= serenity::Permissions::VIEW_CHANNEL;
    }
    if deny.is_empty() {
        channel.discord().delete_permission(http, everyone).await?;
    } else {
        channel
            .discord()
            .create_permission(
                http,
                serenity::PermissionOverwrite {
                    allow: serenity::Permissions::empty(),
                    deny,
                    kind: everyone,
                },
            )
            .await?;
    }
    Ok(())
}

/// The control panel posted in a new channel's text chat.
pub fn panel_message(t: &TempChannel, name: &str, l: Locale) -> serenity::CreateMessage {
    let id = t.channel.map_or(0, ChannelId::get);
    let button = |action: &str, label: String, style| {
        serenity::CreateButton::new(format!("{PREFIX}{action}:{id}"))
            .label(label)
            .style(style)
    };
    let grey = serenity::ButtonStyle::Secondary;
    let select = |action: &str, placeholder: String| {
        serenity::CreateActionRow::SelectMenu(
            serenity::CreateSelectMenu::new(
                format!("{PREFIX}{action}:{id}"),
                serenity::CreateSelectMenuKind::User {
                    default_users: None,
                },
            )
            .placeholder(placeholder)
            .min_values(1)
            .max_values(1),
        )
    };
    let e = Embed::info(tr!(l, "tempvoice-panel-title", name = name))
        .description(tr!(l, "tempvoice-panel", user = format!("<@{}>", t.owner)))
        .without_timestamp();
    crate::embeds::message(e).components(vec![
        serenity::CreateActionRow::Buttons(vec![
            button("lock", tr!(l, "tempvoice-button-lock"), grey),
            button("unlock", tr!(l, "tempvoice-button-unlock"), grey),
            button("hide", tr!(l, "tempvoice-button-hide"), grey),
            button("unhide", tr!(l, "tempvoice-button-unhide"), grey),
            button(
                "claim",
                tr!(l, "tempvoice-button-claim"),
                serenity::ButtonStyle::Success,
            ),
        ]),
        serenity::CreateActionRow::Buttons(vec![
            button(
                "rename",
                tr!(l, "tempvoice-button-rename"),
                serenity::ButtonStyle::Primary,
            ),
            button(
                "limit",
                tr!(l, "tempvoice-button-limit"),
                serenity::ButtonStyle::Primary,
            ),
            button("persist", tr!(l, "tempvoice-button-persist"), grey),
        ]),
        select("permit", tr!(l, "tempvoice-select-permit")),
        select("kick", tr!(l, "tempvoice-select-kick")),
        select("transfer", tr!(l, "tempvoice-select-transfer")),
    ])
}

fn parse(custom_id: &str) -> Option<(&str, ChannelId)> {
    let rest = custom_id.strip_prefix(PREFIX)?;
    let (action, id) = rest.split_once(':')?;
    Some((action, ChannelId::new(id.parse().ok()?)))
}

fn actor_of(user: &serenity::User, member: Option<&serenity::Member>) -> Actor {
    Actor {
        user: user.id.core(),
        admin: member
            .and_then(|m| m.permissions)
            .is_some_and(crate::perms::is_admin),
    }
}

fn public(embed: Embed) -> serenity::CreateInteractionResponse {
    serenity::CreateInteractionResponse::Message(
        serenity::CreateInteractionResponseMessage::new()
            .embed(embed.into())
            .allowed_mentions(embeds::no_mentions()),
    )
}

/// The panel's buttons and user selects.
pub fn on_component<'a>(
    ctx: &'a serenity::Context,
    ci: &'a serenity::ComponentInteraction,
    data: &'a Data,
) -> BoxFuture<'a, Result<(), Error>> {
    Box::pin(async move {
        let l = crate::kernel::i18n::locale_of_interaction(data, ci).await;
        let gone = || -> Error { UserError::msg(tr!(l, "button-no-longer-valid")).into() };
        let Some((action, channel)) = parse(&ci.data.custom_id) else {
            return Err(gone());
        };
        let Some(t) = store::by_channel(data.storage(), channel).await? else {
            return Err(refused(l, tr!(l, "tempvoice-not-temporary")));
        };
        let actor = actor_of(&ci.user, ci.member.as_ref());
        let picked = || match &ci.data.kind {
            serenity::ComponentInteractionDataKind::UserSelect { values } => {
                values.first().map(|u| u.core())
            }
            _ => None,
        };
        let action = match action {
            "lock" => Action::Lock(true),
            "unlock" => Action::Lock(false),
            "hide" => Action::Hide(true),
            "unhide" => Action::Hide(false),
            "claim" => Action::Claim,
            "persist" => Action::Persist,
            "permit" => Action::Permit(picked().ok_or_else(gone)?),
            "kick" => Action::Kick(picked().ok_or_else(gone)?),
            "transfer" => Action::Transfer(picked().ok_or_else(gone)?),
            "rename" | "limit" => {
                if actor.user != t.owner && !actor.admin {
                    return Err(refused(l, tr!(l, "tempvoice-owner-only")));
                }
                let (label, max) = if action == "rename" {
                    (tr!(l, "tempvoice-field-name"), 100)
                } else {
                    (tr!(l, "tempvoice-field-limit"), 2)
                };
                let input = serenity::CreateInputText::new(
                    serenity::InputTextStyle::Short,
                    label.clone(),
                    "value",
                )
                .required(true)
                .max_length(max);
                let modal =
                    serenity::CreateModal::new(format!("{PREFIX}{action}:{channel}"), label)
                        .components(vec![serenity::CreateActionRow::InputText(input)]);
                ci.create_response(&ctx.http, serenity::CreateInteractionResponse::Modal(modal))
                    .await?;
                return Ok(());
            }
            _ => return Err(gone()),
        };
        let e = apply(&ctx.http, data, l, actor, &t, action).await?;
        ci.create_response(&ctx.http, public(e)).await?;
        Ok(())
    })
}

/// The rename and limit modals.
pub fn on_modal<'a>(
    ctx: &'a serenity::Context,
    mi: &'a serenity::ModalInteraction,
    data: &'a Data,
) -> BoxFuture<'a, Result<(), Error>> {
    Box::pin(async move {
        let l = crate::kernel::i18n::locale_of_interaction(data, mi).await;
        let gone = || -> Error { UserError::msg(tr!(l, "button-no-longer-valid")).into() };
        let Some((action, channel)) = parse(&mi.data.custom_id) else {
            return Err(gone());
        };
        let Some(t) = store::by_channel(data.storage(), channel).await? else {
            return Err(refused(l, tr!(l, "tempvoice-not-temporary")));
        };
        let value = mi
            .data
            .components
            .iter()
            .flat_map(|r| r.components.iter())
            .find_map(|c| match c {
                serenity::ActionRowComponent::InputText(t) if t.custom_id == "value" => {
                    t.value.clone()
                }
                _ => None,
            })
            .unwrap_or_default();
        let action = match action {
            "rename" => Action::Rename(value),
            "limit" => match value.trim().parse::<u32>() {
                Ok(n) => Action::Limit(n),
                Err(_) => {
                    return Err(refused(
                        l,
                        tr!(
                            l,
                            "tempvoice-limit-range",
                            max = chronix_core::tempvoice::MAX_USER_LIMIT
                        ),
                    ));
                }
            },
            _ => return Err(gone()),
        };
        let actor = actor_of(&mi.user, mi.member.as_ref());
        let e = apply(&ctx.http, data, l, actor, &t, action).await?;
        mi.create_response(&ctx.http, public(e)).await?;
        Ok(())
    })
}
