//! Listeners for messages (edit, delete, bulk delete, pins), members (join, leave, nickname,
//! roles), voice (join, leave, move), bans and kicks: each turns its event into an [`Entry`].

use chronix_core::ids::{ChannelId, GuildId, MessageId, RoleId, UserId};
use chronix_core::logging::{self as rules, CachedMessage, LogCategory, TranscriptLine};
use chrono::Utc;
use serde_json::json;

use super::pipeline::{Entry, LogEmbed, colour};
use super::state::{GuildLogConfig, LogState, SlimMember};
use super::{jump, mention_list, submit};
use crate::kernel::ids::ToCore;
use crate::prelude::*;

/// Fills the caches from a GUILD_CREATE: roles, channels, members, voice, emojis, stickers.
pub fn guild_join(state: &LogState, g: &serenity::Guild) {
    let gid = g.id.core();
    for r in g.roles.values() {
        state
            .roles
            .insert((gid, r.id.core()), super::server::slim_role(r));
    }
    for c in g.channels.values() {
        state
            .channels
            .insert(c.id.core(), super::server::slim_channel(c));
    }
    for m in g.members.values() {
        state.remember_member(gid, m.user.id.core(), slim_member(m.nick.clone(), &m.roles));
    }
    for v in g.voice_states.values() {
        if let Some(c) = v.channel_id {
            state.voice.insert((gid, v.user_id.core()), c.core());
        }
    }
    state.emojis.insert(
        gid,
        g.emojis
            .values()
            .map(|e| (e.id.get(), e.name.clone()))
            .collect(),
    );
    state.stickers.insert(
        gid,
        g.stickers
            .values()
            .map(|s| (s.id.get(), s.name.clone()))
            .collect(),
    );
}

fn slim_member(nick: Option<String>, roles: &[serenity::RoleId]) -> SlimMember {
    let mut roles: Vec<RoleId> = roles.iter().map(|r| r.core()).collect();
    roles.sort();
    SlimMember { nick, roles }
}

fn attachments_of(a: &[serenity::Attachment]) -> Vec<String> {
    a.iter()
        .map(|a| format!("{} ({})", a.filename, a.url))
        .collect()
}

/// A new message: cached (content only when the server allows it), its author's roles noted.
pub async fn message_create(
    data: &Data,
    state: &LogState,
    m: &serenity::Message,
) -> Result<(), Error> {
    let Some(g) = m.guild_id else { return Ok(()) };
    let gid = g.core();
    let cfg = state.config(data, gid).await?;
    if cfg.is_log_channel(m.channel_id.core()) {
        return Ok(());
    }
    if let Some(member) = &m.member {
        state.remember_member(
            gid,
            m.author.id.core(),
            slim_member(member.nick.clone(), &member.roles),
        );
    }
    let cached = CachedMessage {
        channel_id: m.channel_id.core(),
        author_id: m.author.id.core(),
        author_bot: m.author.bot,
        content: cfg.settings.store_content.then(|| m.content.clone()),
        attachments: attachments_of(&m.attachments),
        cached_at: Utc::now(),
    };
    state.with_messages(data, |c| c.insert(m.id.core(), cached, Utc::now()));
    Ok(())
}

/// The text shown for a content: itself, "not stored" (privacy) or "unknown" (not cached).
fn content_text(l: Locale, store: bool, known: Option<Option<String>>) -> String {
    match (store, known) {
        (false, _) => tr!(l, "logging-content-not-stored"),
        (true, Some(Some(c))) if c.is_empty() => tr!(l, "logging-content-empty"),
        (true, Some(Some(c))) => rules::clip(&c, 1000),
        (true, _) => tr!(l, "logging-content-unknown"),
    }
}

/// A message edit: before (from the cache) and after.
pub async fn message_update(
    data: &Data,
    state: &LogState,
    e: &serenity::MessageUpdateEvent,
) -> Result<(), Error> {
    let Some(after) = e.content.clone() else {
        return Ok(());
    };
    if e.author.as_ref().is_some_and(|a| a.bot) {
        return Ok(());
    }
    let Some((gid, cfg, channel)) = watched(data, state, e.guild_id, e.channel_id).await? else {
        return Ok(());
    };
    // The member object of the update is the freshest record of the author's roles (the
    // ignore rules read them).
    if let (Some(Some(member)), Some(a)) = (&e.member, &e.author) {
        state.remember_member(
            gid,
            a.id.core(),
            slim_member(member.nick.clone(), &member.roles),
        );
    }
    let store = cfg.settings.store_content;
    let now = Utc::now();
    let (old, author, bot) = state.with_messages(data, |c| {
        let meta = c.get(e.id.core(), now).map(|m| (m.author_id, m.author_bot));
        let old = c.replace_content(e.id.core(), store.then(|| after.clone()), now);
        (old, meta.map(|m| m.0), meta.is_some_and(|m| m.1))
    });
    if bot {
        return Ok(());
    }
    if store && matches!(&old, Some(Some(b)) if *b == after) {
        return Ok(()); // an embed unfurl, not an edit
    }
    let author = e.author.as_ref().map(|a| a.id.core()).or(author);
    let l = cfg.locale;
    let known = old.is_some();
    // Edits are the busiest kind: the embed is built only when the server posts them.
    let embed = if cfg.channel_of(LogCategory::Message).is_none() {
        LogEmbed::unposted(now)
    } else {
        message_embed(
            "✏️",
            tr!(l, "logging-title-message-edit"),
            colour::UPDATE,
            l,
            (gid, channel, e.id.core()),
            author,
            now,
        )
        .field(
            tr!(l, "logging-field-before"),
            content_text(l, store, old.clone()),
            false,
        )
        .field(
            tr!(l, "logging-field-after"),
            content_text(l, store, Some(Some(after.clone()))),
            false,
        )
    };
    let payload = if store {
        json!({ "message_id": e.id.get(), "before": old.flatten(), "after": after, "before_known": known })
    } else {
        json!({ "message_id": e.id.get(), "content_stored": false })
    };
    let entry = Entry::new(gid, LogCategory::Message, "message_edit", false, embed)
        .channel(channel)
        .actor(author)
        .subject(e.id.get())
        .payload(payload);
    submit(data, state, entry).await
}

/// A message delete: content, author and attachments from the cache.
pub async fn message_delete(
    data: &Data,
    state: &LogState,
    guild: Option<serenity::GuildId>,
    channel: serenity::ChannelId,
    id: serenity::MessageId,
) -> Result<(), Error> {
    let Some((gid, cfg, channel)) = watched(data, state, guild, channel).await? else {
        return Ok(());
    };
    let now = Utc::now();
    let cached = state.with_messages(data, |c| c.remove(id.core(), now));
    if cached.as_ref().is_some_and(|m| m.author_bot) {
        return Ok(());
    }
    let l = cfg.locale;
    let store = cfg.settings.store_content;
    let author = cached.as_ref().map(|m| m.author_id);
    let mut embed = message_embed(
        "🗑️",
        tr!(l, "logging-title-message-delete"),
        colour::DELETE,
        l,
        (gid, channel, id.core()),
        author,
        now,
    )
    .field(
        tr!(l, "logging-field-content"),
        content_text(l, store, cached.as_ref().map(|m| m.content.clone())),
        false,
    );
    let files: Vec<String> = cached
        .as_ref()
        .map(|m| m.attachments.clone())
        .unwrap_or_default();
    if !files.is_empty() {
        embed = embed.field(tr!(l, "logging-field-attachments"), files.join("\n"), false);
    }
    let payload = json!({
        "message_id": id.get(),
        "known": cached.is_some(),
        "content": if store { cached.as_ref().and_then(|m| m.content.clone()) } else { None },
        "attachments": files,
    });
    let entry = Entry::new(gid, LogCategory::Message, "message_delete", false, embed)
        .channel(channel)
        .actor(author)
        .subject(id.get())
        .payload(payload);
    submit(data, state, entry).await
}

/// A bulk delete: one entry with a text transcript attached.
pub async fn message_delete_bulk(
    data: &Data,
    state: &LogState,
    guild: Option<serenity::GuildId>,
    channel: serenity::ChannelId,
    ids: &[serenity::MessageId],
) -> Result<(), Error> {
    let Some((_, cfg, channel)) = watched(data, state, guild, channel).await? else {
        return Ok(());
    };
    let gid = cfg.settings.guild_id;
    let now = Utc::now();
    let lines: Vec<TranscriptLine> = state.with_messages(data, |c| {
        ids.iter()
            .map(|id| TranscriptLine {
                message_id: id.core(),
                message: c.remove(id.core(), now),
            })
            .collect()
    });
    let l = cfg.locale;
    let known = lines.iter().filter(|x| x.message.is_some()).count();
    let text = rules::transcript(
        &lines,
        &tr!(l, "logging-content-unknown"),
        &tr!(l, "logging-content-not-stored"),
    );
    let mut embed = LogEmbed::new(
        "🧹",
        tr!(l, "logging-title-message-bulk"),
        colour::DELETE,
        now,
    )
    .description(tr!(
        l,
        "logging-bulk",
        count = ids.len(),
        channel = format!("<#{channel}>"),
        known = known
    ))
    .footer(ids_footer(None, Some(channel), None));
    embed.file = Some((format!("bulk-delete-{channel}.txt"), text.into_bytes()));
    let ids_json: Vec<u64> = ids.iter().map(|i| i.get()).collect();
    let entry = Entry::new(
        gid,
        LogCategory::Message,
        "message_bulk_delete",
        false,
        embed,
    )
    .channel(channel)
    .payload(json!({ "count": ids.len(), "known": known, "message_ids": ids_json }));
    submit(data, state, entry).await
}

/// A channel's pins changed.
pub async fn pins(
    data: &Data,
    state: &LogState,
    p: &serenity::ChannelPinsUpdateEvent,
) -> Result<(), Error> {
    let Some(g) = p.guild_id else { return Ok(()) };
    let gid = g.core();
    let l = state.config(data, gid).await?.locale;
    let channel = p.channel_id.core();
    let embed = LogEmbed::new("📌", tr!(l, "logging-title-pins"), colour::INFO, Utc::now())
        .description(tr!(l, "logging-pins", channel = format!("<#{channel}>")))
        .footer(ids_footer(None, Some(channel), None));
    let entry = Entry::new(gid, LogCategory::Message, "pins_update", false, embed)
        .channel(channel)
        .payload(json!({ "last_pin": p.last_pin_timestamp.map(|t| t.to_string()) }));
    submit(data, state, entry).await
}

/// A member joined.
pub async fn member_join(data: &Data, state: &LogState, m: &serenity::Member) -> Result<(), Error> {
    let gid = m.guild_id.core();
    let user = m.user.id.core();
    state.remember_member(gid, user, slim_member(m.nick.clone(), &m.roles));
    let cfg = state.config(data, gid).await?;
    let l = cfg.locale;
    let created = m.user.id.created_at().unix_timestamp();
    // A raid brings joins by the thousand: the embed is built only when the server posts them.
    let embed = if cfg.channel_of(LogCategory::Member).is_none() {
        LogEmbed::unposted(Utc::now())
    } else {
        LogEmbed::new(
            "📥",
            tr!(l, "logging-title-member-join"),
            colour::CREATE,
            Utc::now(),
        )
        .description(tr!(
            l,
            "logging-member",
            user = format!("<@{user}>"),
            name = m.user.name.clone()
        ))
        .field(
            tr!(l, "logging-field-account-created"),
            format!("<t:{created}:R>"),
            true,
        )
        .footer(ids_footer(Some(user), None, None))
    };
    let entry = Entry::new(gid, LogCategory::Member, "member_join", true, embed)
        .actor(Some(user))
        .subject(user.get())
        .payload(json!({ "user": user.get(), "name": m.user.name }));
    submit(data, state, entry).await
}

/// A member left (or was kicked or banned).
pub async fn member_leave(
    data: &Data,
    state: &LogState,
    guild: serenity::GuildId,
    u: &serenity::User,
) -> Result<(), Error> {
    let gid = guild.core();
    let user = u.id.core();
    let l = state.config(data, gid).await?.locale;
    let before = state.members.get(&(gid, user)).map(|m| m.clone());
    let mut embed = LogEmbed::new(
        "📤",
        tr!(l, "logging-title-member-leave"),
        colour::DELETE,
        Utc::now(),
    )
    .description(tr!(
        l,
        "logging-member",
        user = format!("<@{user}>"),
        name = u.name.clone()
    ));
    if let Some(m) = &before {
        embed = embed.field(
            tr!(l, "logging-field-roles"),
            mention_list(l, &m.roles),
            false,
        );
    }
    embed = embed.footer(ids_footer(Some(user), None, None));
    // The entry is checked against ignored roles while the record still exists.
    let entry = Entry::new(gid, LogCategory::Member, "member_leave", true, embed)
        .actor(Some(user))
        .subject(user.get())
        .payload(json!({ "user": user.get(), "name": u.name,
            "roles": before.as_ref().map(|m| m.roles.iter().map(|r| r.get()).collect::<Vec<_>>()) }));
    let r = submit(data, state, entry).await;
    state.members.remove(&(gid, user));
    state.voice.remove(&(gid, user));
    r
}

/// A member's nickname or roles changed: one entry per kind of change, before and after.
pub async fn member_update(
    data: &Data,
    state: &LogState,
    e: &serenity::GuildMemberUpdateEvent,
) -> Result<(), Error> {
    let gid = e.guild_id.core();
    let user = e.user.id.core();
    let now_m = slim_member(e.nick.clone(), &e.roles);
    let before = state.members.get(&(gid, user)).map(|m| m.clone());
    if before.as_ref() == Some(&now_m) {
        return Ok(());
    }
    // Roles first, so an entry about a role taken away is judged on the roles before.
    let l = state.config(data, gid).await?.locale;
    let now = Utc::now();
    let who = tr!(
        l,
        "logging-member",
        user = format!("<@{user}>"),
        name = e.user.name.clone()
    );
    let mut entries = Vec::new();
    match &before {
        Some(b) if b.nick != now_m.nick => {
            let none = || tr!(l, "logging-none");
            let embed = LogEmbed::new(
                "🏷️",
                tr!(l, "logging-title-member-nick"),
                colour::UPDATE,
                now,
            )
            .description(who.clone())
            .field(
                tr!(l, "logging-field-before"),
                b.nick.clone().unwrap_or_else(none),
                true,
            )
            .field(
                tr!(l, "logging-field-after"),
                now_m.nick.clone().unwrap_or_else(none),
                true,
            )
            .footer(ids_footer(Some(user), None, None));
            entries.push(
                Entry::new(gid, LogCategory::Member, "member_nick", false, embed)
                    .payload(json!({ "before": b.nick, "after": now_m.nick })),
            );
        }
        _ => {}
    }
    let roles_changed = before.as_ref().is_none_or(|b| b.roles != now_m.roles);
    if roles_changed {
        let mut embed = LogEmbed::new(
            "🎭",
            tr!(l, "logging-title-member-roles"),
            colour::UPDATE,
            now,
        )
        .description(who.clone());
        let payload = match &before {
            Some(b) => {
                let (added, removed) = rules::diff_ids(&b.roles, &now_m.roles);
                if !added.is_empty() {
                    embed = embed.field(
                        tr!(l, "logging-field-added"),
                        mention_list(l, &added),
                        false,
                    );
                }
                if !removed.is_empty() {
                    embed = embed.field(
                        tr!(l, "logging-field-removed"),
                        mention_list(l, &removed),
                        false,
                    );
                }
                json!({ "added": ids(&added), "removed": ids(&removed), "before": ids(&b.roles), "after": ids(&now_m.roles) })
            }
            None => {
                embed = embed
                    .field(
                        tr!(l, "logging-field-before"),
                        tr!(l, "logging-state-unknown"),
                        false,
                    )
                    .field(
                        tr!(l, "logging-field-after"),
                        mention_list(l, &now_m.roles),
                        false,
                    );
                json!({ "before": null, "after": ids(&now_m.roles) })
            }
        };
        entries.push(
            Entry::new(
                gid,
                LogCategory::Member,
                "member_roles",
                false,
                embed.footer(ids_footer(Some(user), None, None)),
            )
            .payload(payload),
        );
    }
    for entry in entries {
        submit(data, state, entry.actor(Some(user)).subject(user.get())).await?;
    }
    state.remember_member(gid, user, now_m);
    Ok(())
}

fn ids(v: &[RoleId]) -> Vec<u64> {
    v.iter().map(|r| r.get()).collect()
}

/// Someone joined, left or moved in voice (mute and deafen changes are not logged).
pub async fn voice(data: &Data, state: &LogState, v: &serenity::VoiceState) -> Result<(), Error> {
    let Some(g) = v.guild_id else { return Ok(()) };
    let gid = g.core();
    let user = v.user_id.core();
    let before = state.voice.get(&(gid, user)).map(|c| *c);
    let after = v.channel_id.map(|c| c.core());
    if before == after {
        return Ok(());
    }
    match after {
        Some(c) => state.voice.insert((gid, user), c),
        None => state.voice.remove(&(gid, user)).map(|(_, c)| c),
    };
    let l = state.config(data, gid).await?.locale;
    // The name too: a temporary voice channel is often gone by the time the entry is read.
    let ch = |c: ChannelId| match state.channels.get(&c) {
        Some(x) => format!("<#{c}> (**{}**)", x.name),
        None => format!("<#{c}>"),
    };
    let (emoji, title, kind, desc) = match (before, after) {
        (None, Some(a)) => (
            "🔊",
            tr!(l, "logging-title-voice-join"),
            "voice_join",
            tr!(
                l,
                "logging-voice-join",
                user = format!("<@{user}>"),
                channel = ch(a)
            ),
        ),
        (Some(b), None) => (
            "🔇",
            tr!(l, "logging-title-voice-leave"),
            "voice_leave",
            tr!(
                l,
                "logging-voice-leave",
                user = format!("<@{user}>"),
                channel = ch(b)
            ),
        ),
        (Some(b), Some(a)) => (
            "🔀",
            tr!(l, "logging-title-voice-move"),
            "voice_move",
            tr!(
                l,
                "logging-voice-move",
                user = format!("<@{user}>"),
                from = ch(b),
                to = ch(a)
            ),
        ),
        (None, None) => return Ok(()),
    };
    let embed = LogEmbed::new(emoji, title, colour::VOICE, Utc::now())
        .description(desc)
        .footer(ids_footer(Some(user), after.or(before), None));
    let entry = Entry::new(gid, LogCategory::Vc, kind, false, embed)
        .channel(after.or(before).unwrap_or_default())
        .actor(Some(user))
        .subject(user.get())
        .payload(json!({ "before": before.map(|c| c.get()), "after": after.map(|c| c.get()) }));
    submit(data, state, entry).await
}

/// A ban or an unban.
pub async fn ban(
    data: &Data,
    state: &LogState,
    guild: serenity::GuildId,
    u: &serenity::User,
    added: bool,
) -> Result<(), Error> {
    let gid = guild.core();
    let user = u.id.core();
    let l = state.config(data, gid).await?.locale;
    let (emoji, title, kind, c) = if added {
        ("🔨", tr!(l, "logging-title-ban"), "ban_add", colour::DELETE)
    } else {
        (
            "🕊️",
            tr!(l, "logging-title-unban"),
            "ban_remove",
            colour::CREATE,
        )
    };
    let embed = LogEmbed::new(emoji, title, c, Utc::now())
        .description(tr!(
            l,
            "logging-member",
            user = format!("<@{user}>"),
            name = u.name.clone()
        ))
        .footer(ids_footer(Some(user), None, None));
    let entry = Entry::new(gid, LogCategory::Mod, kind, true, embed)
        .subject(user.get())
        .payload(json!({ "user": user.get(), "name": u.name }));
    submit(data, state, entry).await
}

/// An audit-log entry: kicks and timeouts go to mod-logs (bans come as their own events).
pub async fn audit_entry(
    data: &Data,
    state: &LogState,
    guild: serenity::GuildId,
    a: &serenity::AuditLogEntry,
) -> Result<(), Error> {
    use crate::serenity::audit_log::{Action, Change, MemberAction};
    let gid = guild.core();
    let target = a.target_id.map(|t| t.get());
    let moderator = a.user_id.core();
    let user = target.map(UserId::new);
    // Kicks, and timeouts given or lifted (Discord's audit log is the only place that says
    // who did it and why).
    let timeout = match a.action {
        Action::Member(MemberAction::Kick) => None,
        Action::Member(MemberAction::Update) => {
            let Some(until) = a.changes.iter().flatten().find_map(|c| match c {
                Change::CommunicationDisabledUntil { new, .. } => Some(*new),
                _ => None,
            }) else {
                return Ok(());
            };
            Some(until)
        }
        _ => return Ok(()),
    };
    let l = state.config(data, gid).await?.locale;
    let who =
        |u: Option<UserId>| u.map_or_else(|| tr!(l, "logging-someone"), |t| format!("<@{t}>"));
    let (kind, mut embed, until) = match timeout {
        None => (
            "member_kick",
            LogEmbed::new("👢", tr!(l, "logging-title-kick"), colour::MOD, Utc::now()).description(
                tr!(
                    l,
                    "logging-kick",
                    user = who(user),
                    moderator = format!("<@{moderator}>")
                ),
            ),
            None,
        ),
        Some(Some(ts)) => (
            "member_timeout",
            LogEmbed::new(
                "⏳",
                tr!(l, "logging-title-timeout"),
                colour::MOD,
                Utc::now(),
            )
            .description(tr!(
                l,
                "logging-timeout",
                user = who(user),
                moderator = format!("<@{moderator}>"),
                until = format!("<t:{}:f>", ts.unix_timestamp())
            )),
            Some(ts.unix_timestamp()),
        ),
        Some(None) => (
            "member_untimeout",
            LogEmbed::new(
                "⌛",
                tr!(l, "logging-title-untimeout"),
                colour::MOD,
                Utc::now(),
            )
            .description(tr!(
                l,
                "logging-untimeout",
                user = who(user),
                moderator = format!("<@{moderator}>")
            )),
            None,
        ),
    };
    if let Some(r) = &a.reason {
        embed = embed.field(tr!(l, "logging-field-reason"), r.clone(), false);
    }
    embed = embed.footer(ids_footer(user, None, None));
    let entry = Entry::new(gid, LogCategory::Mod, kind, true, embed)
        .actor(Some(moderator))
        .subject(target.unwrap_or_default())
        .payload(json!({ "moderator": moderator.get(), "target": target, "reason": a.reason, "until": until }));
    submit(data, state, entry).await
}

/// The guild, its logging configuration and the channel of a message event, unless it is not
/// in a guild or happened in a log channel (the bot's own entries are not logged).
async fn watched(
    data: &Data,
    state: &LogState,
    guild: Option<serenity::GuildId>,
    channel: serenity::ChannelId,
) -> Result<Option<(GuildId, std::sync::Arc<GuildLogConfig>, ChannelId)>, Error> {
    let Some(g) = guild else { return Ok(None) };
    let gid = g.core();
    let cfg = state.config(data, gid).await?;
    let channel = channel.core();
    Ok((!cfg.is_log_channel(channel)).then_some((gid, cfg, channel)))
}

/// The embed of an entry about one message: who, where, a jump link, the ids.
fn message_embed(
    emoji: &str,
    title: String,
    colour: u32,
    l: Locale,
    (gid, channel, message): (GuildId, ChannelId, MessageId),
    author: Option<UserId>,
    now: chrono::DateTime<Utc>,
) -> LogEmbed {
    LogEmbed::new(emoji, title, colour, now)
        .description(tr!(
            l,
            "logging-in-channel-by",
            user = author.map_or_else(|| tr!(l, "logging-someone"), |a| format!("<@{a}>")),
            channel = format!("<#{channel}>"),
            link = jump(gid, channel, message)
        ))
        .footer(ids_footer(author, Some(channel), Some(message)))
}

/// `user 1 · channel 2 · message 3` (ids for search).
pub fn ids_footer(
    user: Option<UserId>,
    channel: Option<ChannelId>,
    message: Option<MessageId>,
) -> String {
    let mut parts = Vec::new();
    if let Some(u) = user {
        parts.push(format!("user {u}"));
    }
    if let Some(c) = channel {
        parts.push(format!("channel {c}"));
    }
    if let Some(m) = message {
        parts.push(format!("message {m}"));
    }
    parts.join(" · ")
}
