//! A ticket's life: open (panel button), claim, lock/unlock, close (modal with a reason, or
//! `ticket close` with a confirm dialog), transcript, reopen, and the job that deletes a
//! closed ticket's channel.
//!
//! Each action checks who may do it (see the feature docs), changes the row with one
//! conditional update (two racing clicks: one applies, the other is told why not), then
//! talks to Discord. A ticket is a private channel or, when its panel says so, a private thread
//! of the panel's channel ([`set_read_only`] and [`set_member`] do the one or the other).
//! Buttons: `chx:tk:open:<panel>:<topic index or ->` (or the select menu `chx:tk:pick:<panel>`
//! whose values are topic indexes, for panels with more than 5 topics), `chx:tk:claim:<ticket>`,
//! `chx:tk:close:<ticket>` (opens the modal `chx:tk:closem:<ticket>`), `chx:tk:tr:<ticket>`,
//! `chx:tk:lock:<ticket>`, `chx:tk:reopen:<ticket>`.

use chronix_core::tickets::{
    Transcript, TranscriptAttachment, TranscriptEmbed, TranscriptMessage, channel_name,
};
use chronix_storage::jobs as jobq;
use chronix_storage::tickets::{self as store, Panel, PanelId, Ticket, TicketId};
use chrono::Utc;

use super::{DELETE_JOB, PREFIX, UPLOAD_BUDGET, is_staff, number, panel_of, refused, user_error};
use crate::kernel::ids::{ToCore, ToDiscord};
use crate::prelude::*;
use crate::registry::BoxFuture;
use crate::scheduler::JobContext;

/// Who acts: the user, their roles and their permissions in the channel.
#[derive(Debug, Clone)]
pub struct Actor {
    /// The user.
    pub user: serenity::User,
    /// Their role ids.
    pub roles: Vec<serenity::RoleId>,
    /// Their permissions in the channel.
    pub permissions: serenity::Permissions,
}

impl Actor {
    fn of_component(ci: &serenity::ComponentInteraction) -> Self {
        Self::of_member(ci.user.clone(), ci.member.as_ref())
    }
    fn of_member(user: serenity::User, m: Option<&serenity::Member>) -> Self {
        Self {
            user,
            roles: m.map(|m| m.roles.clone()).unwrap_or_default(),
            permissions: m.and_then(|m| m.permissions).unwrap_or_default(),
        }
    }
    /// The invoker of a command.
    pub async fn of_command(ctx: Context<'_>) -> Self {
        Self {
            user: ctx.author().clone(),
            roles: crate::perms::author_roles(ctx).await.unwrap_or_default(),
            permissions: crate::perms::author_permissions(ctx).await,
        }
    }
    fn is_staff(&self, panel: Option<&Panel>) -> bool {
        is_staff(panel, &self.roles, self.permissions)
    }
}

/// What a member of a ticket may do in its channel.
pub fn member_allow() -> serenity::Permissions {
    serenity::Permissions::VIEW_CHANNEL
        | serenity::Permissions::SEND_MESSAGES
        | serenity::Permissions::READ_MESSAGE_HISTORY
        | serenity::Permissions::ATTACH_FILES
        | serenity::Permissions::EMBED_LINKS
}

/// The opener's overwrite: a member's rights, or read-only when the ticket is locked or
/// closed.
pub fn opener_overwrite(user: serenity::UserId, read_only: bool) -> serenity::PermissionOverwrite {
    let (allow, deny) = if read_only {
        (
            serenity::Permissions::VIEW_CHANNEL | serenity::Permissions::READ_MESSAGE_HISTORY,
            serenity::Permissions::SEND_MESSAGES,
        )
    } else {
        (member_allow(), serenity::Permissions::empty())
    };
    serenity::PermissionOverwrite {
        allow,
        deny,
        kind: serenity::PermissionOverwriteType::Member(user),
    }
}

/// Makes the opener read-only (`true`) or lets them write again. A channel: the opener's
/// overwrite. A private thread (no per-member overwrites there): the thread is locked, so only
/// members who may manage threads (and the bot) write in it.
pub async fn set_read_only(
    http: &serenity::Http,
    t: &Ticket,
    read_only: bool,
) -> Result<(), serenity::Error> {
    let Some(ch) = t.channel else {
        return Ok(());
    };
    if t.thread {
        ch.discord()
            .edit_thread(http, serenity::EditThread::new().locked(read_only))
            .await
            .map(|_| ())
    } else {
        ch.discord()
            .create_permission(http, opener_overwrite(t.opener.discord(), read_only))
            .await
    }
}

/// Lets a member into the ticket (`true`: a member overwrite, or joins the thread) or takes
/// them out.
pub async fn set_member(
    http: &serenity::Http,
    t: &Ticket,
    user: serenity::UserId,
    inside: bool,
) -> Result<(), serenity::Error> {
    let Some(ch) = t.channel.map(|c| c.discord()) else {
        return Ok(());
    };
    match (t.thread, inside) {
        (true, true) => ch.add_thread_member(http, user).await,
        (true, false) => ch.remove_thread_member(http, user).await,
        (false, true) => {
            ch.create_permission(
                http,
                serenity::PermissionOverwrite {
                    allow: member_allow(),
                    deny: serenity::Permissions::empty(),
                    kind: serenity::PermissionOverwriteType::Member(user),
                },
            )
            .await
        }
        (false, false) => {
            ch.delete_permission(http, serenity::PermissionOverwriteType::Member(user))
                .await
        }
    }
}

/// Requires staff of the ticket's panel.
pub async fn require_staff(
    data: &Data,
    l: Locale,
    actor: &Actor,
    t: &Ticket,
) -> Result<Option<Panel>, Error> {
    let panel = panel_of(data, t).await?;
    if !actor.is_staff(panel.as_ref()) {
        return Err(refused(l, tr!(l, "tickets-staff-only")));
    }
    Ok(panel)
}

/// Requires staff or the opener.
pub async fn require_staff_or_opener(
    data: &Data,
    l: Locale,
    actor: &Actor,
    t: &Ticket,
) -> Result<Option<Panel>, Error> {
    let panel = panel_of(data, t).await?;
    if actor.user.id.core() != t.opener && !actor.is_staff(panel.as_ref()) {
        return Err(refused(l, tr!(l, "tickets-staff-or-opener")));
    }
    Ok(panel)
}

fn ticket_buttons(id: TicketId, l: Locale) -> serenity::CreateActionRow {
    let b = |action: &str, label: String, emoji: char, style| {
        serenity::CreateButton::new(format!("{PREFIX}{action}:{id}"))
            .label(label)
            .emoji(emoji)
            .style(style)
    };
    serenity::CreateActionRow::Buttons(vec![
        b(
            "claim",
            tr!(l, "tickets-button-claim"),
            '🙋',
            serenity::ButtonStyle::Success,
        ),
        b(
            "close",
            tr!(l, "tickets-button-close"),
            '🔒',
            serenity::ButtonStyle::Danger,
        ),
        b(
            "tr",
            tr!(l, "tickets-button-transcript"),
            '📜',
            serenity::ButtonStyle::Secondary,
        ),
        b(
            "lock",
            tr!(l, "tickets-button-lock"),
            '🔐',
            serenity::ButtonStyle::Secondary,
        ),
    ])
}

fn reopen_button(id: TicketId, l: Locale) -> serenity::CreateActionRow {
    serenity::CreateActionRow::Buttons(vec![
        serenity::CreateButton::new(format!("{PREFIX}reopen:{id}"))
            .label(tr!(l, "tickets-button-reopen"))
            .emoji('🔓')
            .style(serenity::ButtonStyle::Secondary),
    ])
}

/// The panel buttons' and ticket buttons' handler.
pub fn on_component<'a>(
    ctx: &'a serenity::Context,
    ci: &'a serenity::ComponentInteraction,
    data: &'a Data,
) -> BoxFuture<'a, Result<(), Error>> {
    Box::pin(async move {
        let l = crate::kernel::i18n::locale_of_interaction(data, ci).await;
        let gone = || -> Error { UserError::msg(tr!(l, "button-no-longer-valid")).into() };
        let rest = ci.data.custom_id.strip_prefix(PREFIX).unwrap_or_default();
        let mut parts = rest.split(':');
        let action = parts.next().unwrap_or_default();
        let Some(id) = parts.next().and_then(|x| x.parse::<i64>().ok()) else {
            return Err(gone());
        };
        if action == "open" {
            return open(ctx, ci, data, l, PanelId::new(id), parts.next()).await;
        }
        if action == "pick" {
            let topic = match &ci.data.kind {
                serenity::ComponentInteractionDataKind::StringSelect { values } => {
                    values.first().map(String::as_str)
                }
                _ => None,
            };
            return open(ctx, ci, data, l, PanelId::new(id), topic).await;
        }
        let Some(t) = store::get(data.storage(), TicketId::new(id)).await? else {
            return Err(gone());
        };
        let actor = Actor::of_component(ci);
        let public = |embed: Embed, rows: Vec<serenity::CreateActionRow>| {
            serenity::CreateInteractionResponse::Message(
                serenity::CreateInteractionResponseMessage::new()
                    .embed(embed.into())
                    .components(rows)
                    .allowed_mentions(embeds::no_mentions()),
            )
        };
        match action {
            "claim" => {
                let e = claim(data, l, &actor, &t).await?;
                ci.create_response(&ctx.http, public(e, Vec::new())).await?;
            }
            "lock" => {
                let e = toggle_lock(&ctx.http, data, l, &actor, &t).await?;
                ci.create_response(&ctx.http, public(e, Vec::new())).await?;
            }
            "reopen" => {
                let e = reopen(&ctx.http, data, l, &actor, &t).await?;
                ci.create_response(&ctx.http, public(e, Vec::new())).await?;
            }
            "close" => {
                require_staff_or_opener(data, l, &actor, &t).await?;
                if t.status != store::TicketStatus::Open {
                    return Err(user_error(
                        l,
                        chronix_storage::Refusal::Ticket(store::TicketRefusal::AlreadyClosed)
                            .into(),
                    ));
                }
                let reason = serenity::CreateInputText::new(
                    serenity::InputTextStyle::Paragraph,
                    tr!(l, "tickets-close-reason"),
                    "reason",
                )
                .required(false)
                .max_length(500);
                let modal = serenity::CreateModal::new(
                    format!("{PREFIX}closem:{}", t.id),
                    embeds::truncate(
                        &tr!(l, "tickets-close-modal", number = number(t.number)),
                        45,
                    ),
                )
                .components(vec![serenity::CreateActionRow::InputText(reason)]);
                ci.create_response(&ctx.http, serenity::CreateInteractionResponse::Modal(modal))
                    .await?;
            }
            "tr" => {
                require_staff_or_opener(data, l, &actor, &t).await?;
                ci.defer_ephemeral(&ctx.http).await?;
                let transcript = transcript(&ctx.http, data, &t, &actor.user.name, None).await?;
                let files = attachments(&transcript);
                let e = Embed::info(tr!(
                    l,
                    "tickets-transcript-title",
                    number = number(t.number)
                ))
                .description(tr!(l, "tickets-transcript-ready"));
                ci.create_followup(
                    &ctx.http,
                    serenity::CreateInteractionResponseFollowup::new()
                        .embed(e.into())
                        .add_files(files)
                        .ephemeral(true)
                        .allowed_mentions(embeds::no_mentions()),
                )
                .await?;
            }
            _ => return Err(gone()),
        }
        Ok(())
    })
}

/// The close modal's handler: closes with the reason typed.
pub fn on_modal<'a>(
    ctx: &'a serenity::Context,
    mi: &'a serenity::ModalInteraction,
    data: &'a Data,
) -> BoxFuture<'a, Result<(), Error>> {
    Box::pin(async move {
        let l = crate::kernel::i18n::locale_of_interaction(data, mi).await;
        let gone = || -> Error { UserError::msg(tr!(l, "button-no-longer-valid")).into() };
        let Some(id) = mi
            .data
            .custom_id
            .strip_prefix(PREFIX)
            .and_then(|r| r.strip_prefix("closem:"))
            .and_then(|x| x.parse::<i64>().ok())
        else {
            return Err(gone());
        };
        let Some(t) = store::get(data.storage(), TicketId::new(id)).await? else {
            return Err(gone());
        };
        let reason = mi
            .data
            .components
            .iter()
            .flat_map(|r| r.components.iter())
            .find_map(|c| match c {
                serenity::ActionRowComponent::InputText(t) if t.custom_id == "reason" => {
                    t.value.clone()
                }
                _ => None,
            })
            .map(|r| r.trim().to_string())
            .filter(|r| !r.is_empty());
        let actor = Actor::of_member(mi.user.clone(), mi.member.as_ref());
        let t = start_close(data, l, &actor, &t, reason.as_deref()).await?;
        mi.defer(&ctx.http).await?;
        let (embed, rows) = finish_close(&ctx.http, data, l, &t, &actor.user).await?;
        mi.edit_response(
            &ctx.http,
            serenity::EditInteractionResponse::new()
                .embed(embed.into())
                .components(rows)
                .allowed_mentions(embeds::no_mentions()),
        )
        .await?;
        Ok(())
    })
}

/// Opens a ticket from a panel button: the row (number, per-member limit), then the private
/// channel and its first message.
async fn open(
    ctx: &serenity::Context,
    ci: &serenity::ComponentInteraction,
    data: &Data,
    l: Locale,
    panel: PanelId,
    topic: Option<&str>,
) -> Result<(), Error> {
    let Some(guild) = ci.guild_id else {
        return Err(UserError::GuildOnly.into());
    };
    let panel = match store::panel(data.storage(), panel).await? {
        Some(p) if p.guild == guild.core() => p,
        _ => return Err(refused(l, tr!(l, "tickets-no-panel"))),
    };
    let topic = topic
        .and_then(|i| i.parse::<usize>().ok())
        .and_then(|i| panel.config.topics.get(i).cloned());
    let now = Utc::now();
    let t = store::open(
        data.storage(),
        panel.id,
        ci.user.id.core(),
        topic.as_deref(),
        now,
    )
    .await
    .map_err(|e| user_error(l, e))?;
    ci.defer_ephemeral(&ctx.http).await?;
    let gl = crate::kernel::i18n::guild_locale(data, Some(guild.get())).await;
    let bot = ctx.cache.current_user().id;
    let created = if panel.config.threads {
        create_thread(&ctx.http, data, &panel, &t, gl).await
    } else {
        create_channel(&ctx.http, data, bot, &panel, &t, gl).await
    };
    let answer = match created {
        Ok(channel) => Embed::success(tr!(l, "tickets-opened-title", number = number(t.number)))
            .description(tr!(l, "tickets-opened", channel = format!("<#{channel}>"))),
        Err(e) => {
            tracing::warn!(error = ?e, ticket = %t.id, "could not create a ticket channel");
            store::discard(data.storage(), t.id, Utc::now()).await?;
            Embed::error(tr!(l, "tickets-refused-title")).description(tr!(l, "tickets-open-failed"))
        }
    };
    ci.edit_response(
        &ctx.http,
        serenity::EditInteractionResponse::new()
            .embed(answer.into())
            .allowed_mentions(embeds::no_mentions()),
    )
    .await?;
    Ok(())
}

/// Creates the ticket's private channel and posts its first message (pinging the opener and
/// the panel's ping roles, nobody else).
async fn create_channel(
    http: &serenity::Http,
    data: &Data,
    bot: serenity::UserId,
    panel: &Panel,
    t: &Ticket,
    l: Locale,
) -> Result<serenity::ChannelId, Error> {
    let c = &panel.config;
    let guild = t.guild.discord();
    let opener = t.opener.discord();
    let mut overwrites = vec![
        serenity::PermissionOverwrite {
            allow: serenity::Permissions::empty(),
            deny: serenity::Permissions::VIEW_CHANNEL,
            kind: serenity::PermissionOverwriteType::Role(serenity::RoleId::new(guild.get())),
        },
        serenity::PermissionOverwrite {
            allow: member_allow(),
            deny: serenity::Permissions::empty(),
            kind: serenity::PermissionOverwriteType::Member(bot),
        },
        opener_overwrite(opener, false),
    ];
    for r in &c.staff_roles {
        overwrites.push(serenity::PermissionOverwrite {
            allow: member_allow(),
            deny: serenity::Permissions::empty(),
            kind: serenity::PermissionOverwriteType::Role(r.discord()),
        });
    }
    let mut create = serenity::CreateChannel::new(channel_name(t.number, t.topic.as_deref()))
        .kind(serenity::ChannelType::Text)
        .topic(tr!(
            l,
            "tickets-channel-topic",
            number = number(t.number),
            user = format!("<@{opener}>")
        ))
        .permissions(overwrites);
    if let Some(cat) = c.category {
        create = create.category(cat.discord());
    }
    let channel = guild.create_channel(http, create).await?;
    welcome(http, data, panel, t, channel.id, false, l).await?;
    Ok(channel.id)
}

/// Creates the ticket as a private thread of the panel's channel (only its members and those
/// who may manage threads see it; nobody else can invite), adds the opener and the members who
/// hold a staff role, and posts its first message.
async fn create_thread(
    http: &serenity::Http,
    data: &Data,
    panel: &Panel,
    t: &Ticket,
    l: Locale,
) -> Result<serenity::ChannelId, Error> {
    let thread = panel
        .channel
        .discord()
        .create_thread(
            http,
            serenity::CreateThread::new(channel_name(t.number, t.topic.as_deref()))
                .kind(serenity::ChannelType::PrivateThread)
                .invitable(false)
                .auto_archive_duration(serenity::AutoArchiveDuration::OneWeek),
        )
        .await?;
    thread
        .id
        .add_thread_member(http, t.opener.discord())
        .await?;
    for staff in staff_members(http, t.guild.discord(), panel).await {
        if staff != t.opener.discord()
            && let Err(e) = thread.id.add_thread_member(http, staff).await
        {
            tracing::info!(error = %e, ticket = %t.id, "could not add a staff member to a ticket thread");
        }
    }
    welcome(http, data, panel, t, thread.id, true, l).await?;
    Ok(thread.id)
}

/// The members holding one of the panel's staff roles (the first 1,000 members of the server;
/// those with Manage Threads see every ticket thread anyway).
async fn staff_members(
    http: &serenity::Http,
    guild: serenity::GuildId,
    panel: &Panel,
) -> Vec<serenity::UserId> {
    match guild.members(http, Some(1000), None).await {
        Ok(members) => members
            .into_iter()
            .filter(|m| {
                !m.user.bot
                    && m.roles
                        .iter()
                        .any(|r| panel.config.staff_roles.contains(&r.core()))
            })
            .map(|m| m.user.id)
            .collect(),
        Err(e) => {
            tracing::warn!(error = %e, panel = %panel.id, "could not list the staff of a ticket panel");
            Vec::new()
        }
    }
}

/// The ticket's first message (pinging the opener and the panel's ping roles, nobody else),
/// then the row learns its channel or thread.
async fn welcome(
    http: &serenity::Http,
    data: &Data,
    panel: &Panel,
    t: &Ticket,
    channel: serenity::ChannelId,
    thread: bool,
    l: Locale,
) -> Result<(), Error> {
    let c = &panel.config;
    let opener = t.opener.discord();
    let mut embed = Embed::info(tr!(l, "tickets-ticket-title", number = number(t.number)))
        .description(tr!(
            l,
            "tickets-ticket-welcome",
            user = format!("<@{opener}>")
        ))
        .field(tr!(l, "tickets-field-opener"), format!("<@{opener}>"), true);
    if let Some(topic) = &t.topic {
        embed = embed.field(tr!(l, "tickets-field-topic"), topic.clone(), true);
    }
    let mut content = format!("<@{opener}>");
    for r in &c.ping_roles {
        content.push_str(&format!(" <@&{r}>"));
    }
    let mentions = serenity::CreateAllowedMentions::new()
        .users(vec![opener])
        .roles(c.ping_roles.iter().map(|r| r.discord()).collect::<Vec<_>>())
        .everyone(false)
        .replied_user(false);
    let msg = channel
        .send_message(
            http,
            serenity::CreateMessage::new()
                .content(content)
                .embed(embed.into())
                .components(vec![ticket_buttons(t.id, l)])
                .allowed_mentions(mentions),
        )
        .await?;
    store::set_channel(
        data.storage(),
        t.id,
        channel.core(),
        Some(msg.id.core()),
        thread,
    )
    .await?;
    Ok(())
}

/// Claims a ticket for a staff member.
pub async fn claim(data: &Data, l: Locale, actor: &Actor, t: &Ticket) -> Result<Embed, Error> {
    require_staff(data, l, actor, t).await?;
    store::claim(data.storage(), t.id, actor.user.id.core(), Utc::now())
        .await
        .map_err(|e| user_error(l, e))?;
    Ok(
        Embed::success(tr!(l, "tickets-claimed-title")).description(tr!(
            l,
            "tickets-claimed",
            user = format!("<@{}>", actor.user.id)
        )),
    )
}

/// Locks an open ticket (the opener reads but no longer writes) or unlocks it.
pub async fn toggle_lock(
    http: &serenity::Http,
    data: &Data,
    l: Locale,
    actor: &Actor,
    t: &Ticket,
) -> Result<Embed, Error> {
    require_staff(data, l, actor, t).await?;
    let lock = !t.locked;
    let t = store::set_locked(data.storage(), t.id, lock, Utc::now())
        .await
        .map_err(|e| user_error(l, e))?;
    set_read_only(http, &t, lock).await?;
    let user = format!("<@{}>", t.opener);
    Ok(if lock {
        Embed::warning(tr!(l, "tickets-locked-title")).description(tr!(
            l,
            "tickets-locked",
            user = user
        ))
    } else {
        Embed::success(tr!(l, "tickets-unlocked-title")).description(tr!(
            l,
            "tickets-unlocked",
            user = user
        ))
    })
}

/// Checks that `actor` may close the ticket and closes its row.
pub async fn start_close(
    data: &Data,
    l: Locale,
    actor: &Actor,
    t: &Ticket,
    reason: Option<&str>,
) -> Result<Ticket, Error> {
    require_staff_or_opener(data, l, actor, t).await?;
    store::close(
        data.storage(),
        t.id,
        actor.user.id.core(),
        reason,
        Utc::now(),
    )
    .await
    .map_err(|e| user_error(l, e))
}

/// After the row is closed: the opener becomes read-only, the transcript goes to the log
/// channel and the opener's DM, the channel's deletion is queued. Returns the message for the
/// ticket channel (with a Reopen button).
pub async fn finish_close(
    http: &serenity::Http,
    data: &Data,
    l: Locale,
    t: &Ticket,
    closer: &serenity::User,
) -> Result<(Embed, Vec<serenity::CreateActionRow>), Error> {
    let now = Utc::now();
    if let Err(e) = set_read_only(http, t, true).await {
        tracing::warn!(error = %e, ticket = %t.id, "could not make a closed ticket read-only");
    }
    let panel = panel_of(data, t).await?;
    let gl = crate::kernel::i18n::guild_locale(data, Some(t.guild.get())).await;
    let transcript = match transcript(http, data, t, &closer.name, t.close_reason.clone()).await {
        Ok(tr) => Some(tr),
        Err(e) => {
            tracing::warn!(error = ?e, ticket = %t.id, "could not read a ticket's messages");
            None
        }
    };
    let summary = |l: Locale| {
        let mut e = Embed::info(tr!(
            l,
            "tickets-closed-log-title",
            number = number(t.number)
        ))
        .field(
            tr!(l, "tickets-field-opener"),
            format!("<@{}>", t.opener),
            true,
        )
        .field(
            tr!(l, "tickets-field-closed-by"),
            format!("<@{}>", closer.id),
            true,
        )
        .field(
            tr!(l, "tickets-field-claimed-by"),
            t.claimed_by
                .map_or_else(|| tr!(l, "tickets-none"), |u| format!("<@{u}>")),
            true,
        )
        .field(
            tr!(l, "tickets-field-reason"),
            t.close_reason
                .clone()
                .unwrap_or_else(|| tr!(l, "tickets-none")),
            false,
        );
        if let Some(topic) = &t.topic {
            e = e.field(tr!(l, "tickets-field-topic"), topic.clone(), true);
        }
        if let Some(tr) = &transcript {
            e = e.field(
                tr!(l, "tickets-field-messages"),
                tr.messages.len().to_string(),
                true,
            );
        }
        e
    };
    let files = transcript.as_ref().map(attachments).unwrap_or_default();
    let mut delivered = Vec::new();
    if let Some(log) = panel.as_ref().and_then(|p| p.config.log_channel) {
        let m = embeds::message(summary(gl)).add_files(files.clone());
        match log.discord().send_message(http, m).await {
            Ok(_) => delivered.push(tr!(
                l,
                "tickets-delivered-log",
                channel = format!("<#{log}>")
            )),
            Err(e) => {
                tracing::warn!(error = %e, ticket = %t.id, "could not post a transcript to the log channel");
                delivered.push(tr!(l, "tickets-delivery-log-failed"));
            }
        }
    }
    let dm = embeds::message(summary(gl).description(tr!(
        gl,
        "tickets-dm-closed",
        guild = guild_name(data, t)
    )))
    .add_files(files);
    match t.opener.discord().direct_message(http, dm).await {
        Ok(_) => delivered.push(tr!(l, "tickets-delivered-dm")),
        Err(e) => {
            tracing::info!(error = %e, ticket = %t.id, "could not DM a ticket's transcript");
            delivered.push(tr!(l, "tickets-delivery-dm-failed"));
        }
    }
    let delay = chrono::Duration::seconds(
        i64::try_from(data.config().tickets_delete_delay_secs).unwrap_or(i64::MAX / 2),
    );
    let at = now + delay;
    crate::scheduler::enqueue(
        data,
        DELETE_JOB,
        serde_json::json!({ "ticket": t.id.get() }),
        at,
        Some(delete_key(t.id)),
    )
    .await?;
    chronix_storage::audit::append(
        data.storage(),
        closer.id.core(),
        Some(t.guild),
        "tickets.close",
        Some(&t.id.to_string()),
        &serde_json::json!({ "number": t.number, "reason": t.close_reason }),
        now,
    )
    .await?;
    let e = Embed::warning(tr!(l, "tickets-closed-title", number = number(t.number)))
        .description(tr!(
            l,
            "tickets-closed",
            user = format!("<@{}>", closer.id),
            when = format!("<t:{}:R>", at.timestamp())
        ))
        .field(
            tr!(l, "tickets-field-reason"),
            t.close_reason
                .clone()
                .unwrap_or_else(|| tr!(l, "tickets-none")),
            false,
        )
        .field(
            tr!(l, "tickets-field-transcript"),
            delivered.join("\n"),
            false,
        );
    Ok((e, vec![reopen_button(t.id, l)]))
}

fn delete_key(id: TicketId) -> String {
    format!("{DELETE_JOB}:{id}")
}

fn guild_name(data: &Data, t: &Ticket) -> String {
    data.guilds()
        .facts(t.guild.discord())
        .map_or_else(|| t.guild.to_string(), |f| f.name)
}

/// Reopens a closed ticket whose channel still exists (staff only): the deletion is called off
/// and the opener may write again.
pub async fn reopen(
    http: &serenity::Http,
    data: &Data,
    l: Locale,
    actor: &Actor,
    t: &Ticket,
) -> Result<Embed, Error> {
    require_staff(data, l, actor, t).await?;
    let t = store::reopen(data.storage(), t.id, Utc::now())
        .await
        .map_err(|e| user_error(l, e))?;
    jobq::cancel_by_dedupe_key(data.storage(), &delete_key(t.id)).await?;
    set_read_only(http, &t, false).await?;
    Ok(
        Embed::success(tr!(l, "tickets-reopened-title", number = number(t.number))).description(
            tr!(
                l,
                "tickets-reopened",
                user = format!("<@{}>", actor.user.id)
            ),
        ),
    )
}

/// Reads the ticket channel's messages (up to 1,000, oldest first) into a transcript.
pub async fn transcript(
    http: &serenity::Http,
    data: &Data,
    t: &Ticket,
    closed_by: &str,
    reason: Option<String>,
) -> Result<Transcript, Error> {
    let Some(ch) = t.channel else {
        anyhow::bail!("ticket {} has no channel", t.id);
    };
    let mut all: Vec<serenity::Message> = Vec::new();
    let mut before: Option<serenity::MessageId> = None;
    for _ in 0..10 {
        let mut req = serenity::GetMessages::new().limit(100);
        if let Some(b) = before {
            req = req.before(b);
        }
        let page = ch.discord().messages(http, req).await?;
        let n = page.len();
        before = page.last().map(|m| m.id);
        all.extend(page);
        if n < 100 {
            break;
        }
    }
    all.sort_by_key(|m| m.id);
    let opener = match t.opener.discord().to_user(http).await {
        Ok(u) => u.name,
        Err(_) => t.opener.to_string(),
    };
    let at = |ts: &serenity::Timestamp| {
        chrono::DateTime::from_timestamp(ts.unix_timestamp(), 0).unwrap_or_default()
    };
    let now = Utc::now();
    Ok(Transcript {
        guild: guild_name(data, t),
        number: t.number,
        channel: channel_name(t.number, t.topic.as_deref()),
        opener,
        topic: t.topic.clone(),
        opened_at: t.created_at,
        closed_at: t.closed_at.unwrap_or(now),
        closed_by: closed_by.to_string(),
        reason,
        messages: all
            .iter()
            .map(|m| TranscriptMessage {
                author: m.author.name.clone(),
                author_id: m.author.id.core(),
                bot: m.author.bot,
                at: at(&m.timestamp),
                content: m.content.clone(),
                embeds: m
                    .embeds
                    .iter()
                    .map(|e| TranscriptEmbed {
                        title: e.title.clone().unwrap_or_default(),
                        description: e.description.clone().unwrap_or_default(),
                    })
                    .collect(),
                attachments: m
                    .attachments
                    .iter()
                    .map(|a| TranscriptAttachment {
                        filename: a.filename.clone(),
                        url: a.url.clone(),
                        size: u64::from(a.size),
                    })
                    .collect(),
            })
            .collect(),
    })
}

/// The transcript's files as uploads, within [`UPLOAD_BUDGET`].
pub fn attachments(t: &Transcript) -> Vec<serenity::CreateAttachment> {
    t.files(UPLOAD_BUDGET)
        .into_iter()
        .map(|(name, bytes)| serenity::CreateAttachment::bytes(bytes, name))
        .collect()
}

/// The job that deletes a closed ticket's channel (nothing when it was reopened meanwhile; a
/// channel already gone is fine).
pub fn delete_job<'a>(
    ctx: &'a JobContext,
    job: &'a chronix_storage::jobs::Job,
) -> BoxFuture<'a, Result<(), Error>> {
    Box::pin(async move {
        let Some(id) = job.payload["ticket"].as_i64() else {
            anyhow::bail!("tickets.delete_channel job without a ticket id");
        };
        let Some(t) = store::get(ctx.data.storage(), TicketId::new(id)).await? else {
            return Ok(());
        };
        if t.status == store::TicketStatus::Open {
            return Ok(()); // reopened meanwhile: keep the channel
        }
        if let Some(ch) = t.channel {
            match ch.discord().delete(ctx.http.as_ref()).await {
                Ok(_) => {}
                Err(serenity::Error::Http(serenity::HttpError::UnsuccessfulRequest(r)))
                    if r.status_code.as_u16() == 404 => {}
                Err(e) => return Err(e.into()),
            }
        }
        store::mark_deleted(ctx.data.storage(), t.id, ctx.now).await?;
        Ok(())
    })
}
