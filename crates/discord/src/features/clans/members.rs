//! Membership commands: invite, join (with the officers' Approve / Decline buttons), requests,
//! leave, kick, promote, demote, transfer and disband.

use chronix_core::clans::Role;
use chronix_core::economy::Chrons;
use chronix_core::ids::UserId;
use chronix_core::render::format_chrons;
use chronix_storage::StorageError;
use chronix_storage::clans::{self as store, Clan, ClanRefusal, Joined};

use super::{ClansRefusal, PREFIX, my_clan, role_name, rules, storage_error};
use crate::kernel::audit::{self, Audit};
use crate::kernel::ids::ToCore;
use crate::prelude::*;
use crate::ui::confirm::{self, Answer, Change};

/// A clan action on another player: the storage call, its audit record (kick and transfer,
/// the sensitive ones) and the ✅ embed naming the member and the clan.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum MemberAction {
    Invite,
    Kick,
    Promote,
    Demote,
    Transfer,
}

impl MemberAction {
    async fn apply(self, data: &Data, c: &Caller, target: UserId) -> Result<Clan, StorageError> {
        let s = data.storage();
        match self {
            MemberAction::Invite => store::invite(s, c.user, target, c.now).await,
            MemberAction::Kick => store::kick(s, c.user, target, c.now).await,
            MemberAction::Promote => store::set_officer(s, c.user, target, true, c.now).await,
            MemberAction::Demote => store::set_officer(s, c.user, target, false, c.now).await,
            MemberAction::Transfer => store::transfer(s, c.user, target, c.now).await,
        }
    }

    /// The audit trail's action name, for the sensitive ones.
    fn audited(self) -> Option<&'static str> {
        match self {
            MemberAction::Kick => Some("clans.kick"),
            MemberAction::Transfer => Some("clans.transfer"),
            _ => None,
        }
    }

    /// Title and text of the success embed.
    fn done(self, l: Locale, user: String, clan: &str) -> (String, String) {
        match self {
            MemberAction::Invite => (
                tr!(l, "clans-invited-title"),
                tr!(l, "clans-invited", user = user, name = clan),
            ),
            MemberAction::Kick => (
                tr!(l, "clans-kicked-title"),
                tr!(l, "clans-kicked", user = user, name = clan),
            ),
            MemberAction::Promote | MemberAction::Demote => {
                let role = if self == MemberAction::Promote {
                    Role::Officer
                } else {
                    Role::Member
                };
                (
                    tr!(l, "clans-role-title"),
                    tr!(l, "clans-role-set", user = user, role = role_name(l, role)),
                )
            }
            MemberAction::Transfer => (
                tr!(l, "clans-transferred-title"),
                tr!(l, "clans-transferred", user = user, name = clan),
            ),
        }
    }
}

async fn member_action(
    ctx: Context<'_>,
    member: serenity::User,
    action: MemberAction,
) -> Result<(), Error> {
    let c = Caller::of(ctx).await;
    let clan = action
        .apply(ctx.data(), &c, member.id.core())
        .await
        .map_err(|e| storage_error(c.locale, e))?;
    if let Some(kind) = action.audited() {
        audit::record(
            ctx.data(),
            Audit::new(c.user, c.guild, kind)
                .target(member.id)
                .with("clan", clan.name.as_str()),
        )
        .await?;
    }
    let (title, text) = action.done(c.locale, format!("<@{}>", member.id), &clan.name);
    ctx.send(embeds::reply(Embed::success(title).description(text)))
        .await?;
    Ok(())
}

/// Invite a player to your clan (manage_clan).
#[poise::command(
    prefix_command,
    slash_command,
    rename = "invite",
    custom_data = Tier::Everyone
)]
pub async fn clan_invite(
    ctx: Context<'_>,
    #[description = "The player"] member: serenity::User,
) -> Result<(), Error> {
    member_action(ctx, member, MemberAction::Invite).await
}

/// The Approve / Decline buttons of a join request.
fn request_buttons(l: Locale, clan: i64, user: UserId) -> serenity::CreateActionRow {
    serenity::CreateActionRow::Buttons(vec![
        serenity::CreateButton::new(format!("{PREFIX}req:{clan}:{user}:yes"))
            .label(tr!(l, "clans-approve"))
            .style(serenity::ButtonStyle::Success),
        serenity::CreateButton::new(format!("{PREFIX}req:{clan}:{user}:no"))
            .label(tr!(l, "clans-decline"))
            .style(serenity::ButtonStyle::Secondary),
    ])
}

/// Join a clan: at once with an invite, else a request an officer approves.
#[poise::command(
    prefix_command,
    slash_command,
    rename = "join",
    custom_data = Tier::Everyone
)]
pub async fn clan_join(
    ctx: Context<'_>,
    #[description = "The clan's name"]
    #[rest]
    name: String,
) -> Result<(), Error> {
    let c = Caller::of(ctx).await;
    let l = c.locale;
    let joined = store::join(
        ctx.data().storage(),
        c.user,
        &name,
        rules().max_members,
        c.now,
    )
    .await
    .map_err(|e| storage_error(l, e))?;
    match joined {
        Joined::Member(clan) => {
            let e = Embed::success(tr!(l, "clans-joined-title")).description(tr!(
                l,
                "clans-joined",
                name = clan.name.as_str()
            ));
            ctx.send(embeds::reply(e)).await?;
        }
        Joined::Requested(clan) => {
            let e = Embed::info(tr!(l, "clans-requested-title")).description(tr!(
                l,
                "clans-requested",
                user = format!("<@{}>", c.user),
                name = clan.name.as_str()
            ));
            ctx.send(embeds::reply(e).components(vec![request_buttons(l, clan.id, c.user)]))
                .await?;
        }
    }
    Ok(())
}

/// Pending join requests of your clan, with Approve / Decline buttons.
#[poise::command(
    prefix_command,
    slash_command,
    rename = "requests",
    custom_data = Tier::Everyone
)]
pub async fn clan_requests(ctx: Context<'_>) -> Result<(), Error> {
    let l = crate::kernel::i18n::locale_of(ctx);
    let (clan, _) = my_clan(ctx, l).await?;
    let users = store::requests(ctx.data().storage(), clan.id).await?;
    let lines: Vec<String> = users.iter().map(|u| format!("<@{u}>")).collect();
    let e = Embed::info(tr!(l, "clans-requests-title", name = clan.name.as_str())).description(
        if lines.is_empty() {
            tr!(l, "clans-no-requests")
        } else {
            lines.join("\n")
        },
    );
    let rows: Vec<serenity::CreateActionRow> = users
        .iter()
        .take(5)
        .map(|u| request_buttons(l, clan.id, *u))
        .collect();
    ctx.send(embeds::reply(e).components(rows)).await?;
    Ok(())
}

/// Leave your clan (the owner transfers or disbands instead).
#[poise::command(
    prefix_command,
    slash_command,
    rename = "leave",
    custom_data = Tier::Everyone
)]
pub async fn clan_leave(ctx: Context<'_>) -> Result<(), Error> {
    let c = Caller::of(ctx).await;
    let clan = store::leave(ctx.data().storage(), c.user, c.now)
        .await
        .map_err(|e| storage_error(c.locale, e))?;
    let e = Embed::success(tr!(c.locale, "clans-left-title")).description(tr!(
        c.locale,
        "clans-left",
        name = clan.name.as_str()
    ));
    ctx.send(embeds::reply(e)).await?;
    Ok(())
}

/// Remove a member from your clan (manage_clan; officers kick members only).
#[poise::command(
    prefix_command,
    slash_command,
    rename = "kick",
    custom_data = Tier::Everyone
)]
pub async fn clan_kick(
    ctx: Context<'_>,
    #[description = "The member"] member: serenity::User,
) -> Result<(), Error> {
    member_action(ctx, member, MemberAction::Kick).await
}

/// Make a member an officer (owner).
#[poise::command(
    prefix_command,
    slash_command,
    rename = "promote",
    custom_data = Tier::Everyone
)]
pub async fn clan_promote(
    ctx: Context<'_>,
    #[description = "The member"] member: serenity::User,
) -> Result<(), Error> {
    member_action(ctx, member, MemberAction::Promote).await
}

/// Make an officer a plain member again (owner).
#[poise::command(
    prefix_command,
    slash_command,
    rename = "demote",
    custom_data = Tier::Everyone
)]
pub async fn clan_demote(
    ctx: Context<'_>,
    #[description = "The officer"] member: serenity::User,
) -> Result<(), Error> {
    member_action(ctx, member, MemberAction::Demote).await
}

/// Hand your clan to another member (owner; you become an officer).
#[poise::command(
    prefix_command,
    slash_command,
    rename = "transfer",
    custom_data = Tier::Everyone
)]
pub async fn clan_transfer(
    ctx: Context<'_>,
    #[description = "The new owner"] member: serenity::User,
) -> Result<(), Error> {
    member_action(ctx, member, MemberAction::Transfer).await
}

/// Disband your clan: the treasury is shared between the members (owner; asks first).
#[poise::command(
    prefix_command,
    slash_command,
    rename = "disband",
    custom_data = Tier::Everyone
)]
pub async fn clan_disband(ctx: Context<'_>) -> Result<(), Error> {
    let c = Caller::of(ctx).await;
    let l = c.locale;
    let (clan, role) = my_clan(ctx, l).await?;
    if role != Role::Owner {
        return Err(storage_error(
            l,
            StorageError::Refused(chronix_storage::Refusal::Clan(ClanRefusal::NotOwner)),
        ));
    }
    let title = tr!(l, "clans-disband-title");
    let question = tr!(
        l,
        "clans-disband-question",
        name = clan.name.as_str(),
        members = clan.members.to_string()
    );
    let changes = [Change {
        what: tr!(l, "clans-field-treasury"),
        before: format_chrons(clan.treasury),
        after: format_chrons(Chrons::ZERO),
    }];
    let ttl = std::time::Duration::from_secs(ctx.data().config().items_confirm_ttl_secs.max(5));
    let Answer::Confirmed(ci) = confirm::ask(ctx, &title, &question, &changes, ttl).await? else {
        return Ok(());
    };
    let done = store::disband(ctx.data().storage(), c.user, c.guild, c.now).await;
    let e = match done {
        Ok(d) => {
            audit::record(
                ctx.data(),
                Audit::new(c.user, c.guild, "clans.disband")
                    .target(d.clan.id)
                    .with("clan", d.clan.name.as_str())
                    .with("treasury", d.clan.treasury.get()),
            )
            .await?;
            let lines: Vec<String> = d
                .refunds
                .iter()
                .map(|(u, a)| format!("<@{u}> +{}", format_chrons(*a)))
                .collect();
            Embed::success(title).description(format!(
                "{}\n{}",
                tr!(l, "clans-disbanded", name = d.clan.name.as_str()),
                lines.join("\n")
            ))
        }
        Err(StorageError::Refused(r)) => Embed::error(tr!(l, "error-title-cannot"))
            .description(crate::errors::Refusal::text(&ClansRefusal::Storage(r), l)),
        Err(e) => return Err(e.into()),
    };
    confirm::done(ctx.serenity_context(), &ci, e).await
}

/// The clan buttons: Approve / Decline of a join request (`req:<clan>:<user>:yes|no`).
pub fn on_component<'a>(
    ctx: &'a serenity::Context,
    interaction: &'a serenity::ComponentInteraction,
    data: &'a Data,
) -> poise::BoxFuture<'a, Result<(), Error>> {
    Box::pin(async move {
        let l = crate::kernel::i18n::locale_of_interaction(data, interaction).await;
        let rest = interaction
            .data
            .custom_id
            .strip_prefix(PREFIX)
            .unwrap_or_default();
        let parts: Vec<&str> = rest.split(':').collect();
        let (clan, user, approve) = match parts.as_slice() {
            ["req", clan, user, yes] => (
                clan.parse::<i64>().ok(),
                user.parse::<u64>().ok(),
                *yes == "yes",
            ),
            _ => (None, None, false),
        };
        let (Some(clan), Some(user)) = (clan, user) else {
            return Err(UserError::msg(tr!(l, "button-no-longer-valid")).into());
        };
        let user = UserId::new(user);
        let officer = interaction.user.id.core();
        let (c, joined) = store::decide_request(
            data.storage(),
            officer,
            clan,
            user,
            approve,
            rules().max_members,
            chrono::Utc::now(),
        )
        .await
        .map_err(|e| storage_error(l, e))?;
        let text = if joined {
            tr!(
                l,
                "clans-request-approved",
                user = format!("<@{user}>"),
                name = c.name.as_str(),
                officer = format!("<@{officer}>")
            )
        } else {
            tr!(
                l,
                "clans-request-declined",
                user = format!("<@{user}>"),
                name = c.name.as_str(),
                officer = format!("<@{officer}>")
            )
        };
        let e = Embed::info(tr!(l, "clans-requested-title")).description(text);
        crate::features::economy::update_message(ctx, interaction, e, Vec::new()).await
    })
}
