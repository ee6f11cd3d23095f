//! Listeners for the server's structure: roles and channels (create, update with before/after,
//! delete; permission overwrites included), threads, invites, emojis, stickers, webhooks and
//! integrations.

use std::collections::BTreeMap;

use chronix_core::ids::{ChannelId, GuildId};
use chronix_core::logging::LogCategory;
use chrono::Utc;
use serde_json::json;

use super::messages::ids_footer;
use super::pipeline::{Entry, LogEmbed, colour};
use super::state::{LogState, SlimChannel, SlimRole};
use super::submit;
use crate::kernel::ids::ToCore;
use crate::prelude::*;

pub fn slim_role(r: &serenity::Role) -> SlimRole {
    SlimRole {
        name: r.name.clone(),
        colour: r.colour.0,
        permissions: r.permissions.bits(),
        hoist: r.hoist,
        mentionable: r.mentionable,
    }
}

pub fn slim_channel(c: &serenity::GuildChannel) -> SlimChannel {
    let mut overwrites: Vec<(String, u64, u64, u64)> = c
        .permission_overwrites
        .iter()
        .map(|o| {
            let (kind, id) = match o.kind {
                serenity::PermissionOverwriteType::Member(u) => ("member", u.get()),
                serenity::PermissionOverwriteType::Role(r) => ("role", r.get()),
                _ => ("other", 0),
            };
            (kind.to_string(), id, o.allow.bits(), o.deny.bits())
        })
        .collect();
    overwrites.sort();
    SlimChannel {
        guild_id: c.guild_id.core(),
        name: c.name.clone(),
        topic: c.topic.clone(),
        nsfw: c.nsfw,
        parent_id: c.parent_id.map(|p| p.core()),
        slowmode: c.rate_limit_per_user.unwrap_or(0),
        overwrites,
        thread: c.thread_metadata.map(|m| (m.archived, m.locked)),
    }
}

fn perm_names(bits: u64) -> String {
    let p = serenity::Permissions::from_bits_truncate(bits);
    let names = p.get_permission_names();
    if names.is_empty() {
        "—".into()
    } else {
        names.join(", ")
    }
}

/// `(field, before, after)` of the attributes that differ.
fn role_diff(b: &SlimRole, a: &SlimRole) -> Vec<(&'static str, String, String)> {
    let mut d = Vec::new();
    if b.name != a.name {
        d.push(("name", b.name.clone(), a.name.clone()));
    }
    if b.colour != a.colour {
        d.push((
            "colour",
            format!("#{:06X}", b.colour),
            format!("#{:06X}", a.colour),
        ));
    }
    if b.permissions != a.permissions {
        let added = a.permissions & !b.permissions;
        let removed = b.permissions & !a.permissions;
        d.push((
            "permissions",
            format!("− {}", perm_names(removed)),
            format!("+ {}", perm_names(added)),
        ));
    }
    if b.hoist != a.hoist {
        d.push(("hoist", b.hoist.to_string(), a.hoist.to_string()));
    }
    if b.mentionable != a.mentionable {
        d.push((
            "mentionable",
            b.mentionable.to_string(),
            a.mentionable.to_string(),
        ));
    }
    d
}

fn overwrite_target(kind: &str, id: u64) -> String {
    match kind {
        "member" => format!("<@{id}>"),
        _ => format!("<@&{id}>"),
    }
}

fn channel_diff(b: &SlimChannel, a: &SlimChannel) -> Vec<(&'static str, String, String)> {
    let mut d = Vec::new();
    if b.name != a.name {
        d.push(("name", b.name.clone(), a.name.clone()));
    }
    if b.topic != a.topic {
        d.push((
            "topic",
            b.topic.clone().unwrap_or_default(),
            a.topic.clone().unwrap_or_default(),
        ));
    }
    if b.nsfw != a.nsfw {
        d.push(("nsfw", b.nsfw.to_string(), a.nsfw.to_string()));
    }
    if b.parent_id != a.parent_id {
        let p = |c: Option<ChannelId>| c.map_or_else(|| "—".into(), |c| format!("<#{c}>"));
        d.push(("category", p(b.parent_id), p(a.parent_id)));
    }
    if b.slowmode != a.slowmode {
        d.push((
            "slowmode",
            format!("{}s", b.slowmode),
            format!("{}s", a.slowmode),
        ));
    }
    if let (Some((b_arch, b_lock)), Some((a_arch, a_lock))) = (b.thread, a.thread) {
        if b_arch != a_arch {
            d.push(("archived", b_arch.to_string(), a_arch.to_string()));
        }
        if b_lock != a_lock {
            d.push(("locked", b_lock.to_string(), a_lock.to_string()));
        }
    }
    if b.overwrites != a.overwrites {
        let show = |list: &[(String, u64, u64, u64)], other: &[(String, u64, u64, u64)]| {
            let lines: Vec<String> = list
                .iter()
                .filter(|o| !other.contains(o))
                .map(|(k, id, allow, deny)| {
                    format!(
                        "{}: ✅ {} ❌ {}",
                        overwrite_target(k, *id),
                        perm_names(*allow),
                        perm_names(*deny)
                    )
                })
                .collect();
            if lines.is_empty() {
                "—".to_string()
            } else {
                lines.join("\n")
            }
        };
        d.push((
            "overwrites",
            show(&b.overwrites, &a.overwrites),
            show(&a.overwrites, &b.overwrites),
        ));
    }
    d
}

fn field_title(l: Locale, f: &str) -> String {
    match f {
        "name" => tr!(l, "logging-attr-name"),
        "colour" => tr!(l, "logging-attr-colour"),
        "permissions" => tr!(l, "logging-attr-permissions"),
        "hoist" => tr!(l, "logging-attr-hoist"),
        "mentionable" => tr!(l, "logging-attr-mentionable"),
        "topic" => tr!(l, "logging-attr-topic"),
        "nsfw" => tr!(l, "logging-attr-nsfw"),
        "category" => tr!(l, "logging-attr-category"),
        "slowmode" => tr!(l, "logging-attr-slowmode"),
        "archived" => tr!(l, "logging-attr-archived"),
        "locked" => tr!(l, "logging-attr-locked"),
        _ => tr!(l, "logging-attr-overwrites"),
    }
}

/// Adds one "before → after" field pair per changed attribute.
fn with_diff(mut e: LogEmbed, l: Locale, diff: &[(&'static str, String, String)]) -> LogEmbed {
    for (f, b, a) in diff {
        let name = field_title(l, f);
        e = e
            .field(
                format!("{name} · {}", tr!(l, "logging-field-before")),
                b.clone(),
                true,
            )
            .field(
                format!("{name} · {}", tr!(l, "logging-field-after")),
                a.clone(),
                true,
            );
    }
    e
}

fn diff_json(diff: &[(&'static str, String, String)]) -> serde_json::Value {
    diff.iter()
        .map(|(f, b, a)| ((*f).to_string(), json!({ "before": b, "after": a })))
        .collect::<serde_json::Map<_, _>>()
        .into()
}

/// A role was created, changed or deleted.
pub async fn role(
    data: &Data,
    state: &LogState,
    guild: serenity::GuildId,
    role_id: serenity::RoleId,
    new: Option<&serenity::Role>,
    created: bool,
) -> Result<(), Error> {
    let gid = guild.core();
    let rid = role_id.core();
    let before = state.roles.get(&(gid, rid)).map(|r| r.clone());
    let after = new.map(slim_role);
    match &after {
        Some(a) => state.roles.insert((gid, rid), a.clone()),
        None => state.roles.remove(&(gid, rid)).map(|(_, r)| r),
    };
    let l = state.config(data, gid).await?.locale;
    let now = Utc::now();
    let (kind, embed, payload) = match (&before, &after, created) {
        (_, Some(a), true) => (
            "role_create",
            LogEmbed::new(
                "➕",
                tr!(l, "logging-title-role-create"),
                colour::CREATE,
                now,
            )
            .description(format!("<@&{rid}> · **{}**", a.name))
            .field(
                tr!(l, "logging-attr-permissions"),
                perm_names(a.permissions),
                false,
            ),
            json!({ "name": a.name, "permissions": a.permissions }),
        ),
        (Some(b), Some(a), false) => {
            let diff = role_diff(b, a);
            if diff.is_empty() {
                return Ok(()); // a position change only
            }
            let e = LogEmbed::new(
                "🛠️",
                tr!(l, "logging-title-role-update"),
                colour::UPDATE,
                now,
            )
            .description(format!("<@&{rid}> · **{}**", a.name));
            ("role_update", with_diff(e, l, &diff), diff_json(&diff))
        }
        (None, Some(a), false) => (
            "role_update",
            LogEmbed::new(
                "🛠️",
                tr!(l, "logging-title-role-update"),
                colour::UPDATE,
                now,
            )
            .description(format!("<@&{rid}> · **{}**", a.name))
            .field(
                tr!(l, "logging-field-before"),
                tr!(l, "logging-state-unknown"),
                false,
            ),
            json!({ "name": a.name, "before_known": false }),
        ),
        (b, None, _) => (
            "role_delete",
            LogEmbed::new(
                "➖",
                tr!(l, "logging-title-role-delete"),
                colour::DELETE,
                now,
            )
            .description(b.as_ref().map_or_else(
                || tr!(l, "logging-state-unknown"),
                |b| format!("**{}**", b.name),
            )),
            json!({ "name": b.as_ref().map(|b| b.name.clone()) }),
        ),
    };
    let entry = Entry::new(
        gid,
        LogCategory::Server,
        kind,
        true,
        embed.footer(format!("role {rid}")),
    )
    .subject(rid.get())
    .payload(payload);
    submit(data, state, entry).await
}

/// A channel (or category, or thread) was created, changed or deleted.
pub async fn channel(
    data: &Data,
    state: &LogState,
    c: &serenity::GuildChannel,
    what: Change,
) -> Result<(), Error> {
    let gid = c.guild_id.core();
    let cid = c.id.core();
    let before = state.channels.get(&cid).map(|x| x.clone());
    let after = slim_channel(c);
    if what == Change::Delete {
        state.channels.remove(&cid);
    } else {
        state.channels.insert(cid, after.clone());
    }
    let l = state.config(data, gid).await?.locale;
    let now = Utc::now();
    let thread = c.thread_metadata.is_some();
    let (kind, embed, payload) = match what {
        Change::Create => (
            if thread {
                "thread_create"
            } else {
                "channel_create"
            },
            LogEmbed::new(
                if thread { "🧵" } else { "➕" },
                if thread {
                    tr!(l, "logging-title-thread-create")
                } else {
                    tr!(l, "logging-title-channel-create")
                },
                colour::CREATE,
                now,
            )
            .description(format!("<#{cid}> · **{}**", c.name)),
            json!({ "name": c.name, "kind": u8::from(c.kind), "parent": c.parent_id.map(|p| p.get()) }),
        ),
        Change::Update => {
            let (kind, emoji, title) = if thread {
                ("thread_update", "🧵", tr!(l, "logging-title-thread-update"))
            } else {
                (
                    "channel_update",
                    "🛠️",
                    tr!(l, "logging-title-channel-update"),
                )
            };
            let Some(b) = before else {
                let e = LogEmbed::new(emoji, title, colour::UPDATE, now)
                    .description(format!("<#{cid}> · **{}**", c.name))
                    .field(
                        tr!(l, "logging-field-before"),
                        tr!(l, "logging-state-unknown"),
                        false,
                    );
                let entry = Entry::new(gid, LogCategory::Server, kind, true, e)
                    .channel(cid)
                    .subject(cid.get())
                    .payload(json!({ "name": c.name, "before_known": false }));
                return submit(data, state, entry).await;
            };
            let diff = channel_diff(&b, &after);
            if diff.is_empty() {
                return Ok(());
            }
            let e = LogEmbed::new(emoji, title, colour::UPDATE, now)
                .description(format!("<#{cid}> · **{}**", c.name));
            (kind, with_diff(e, l, &diff), diff_json(&diff))
        }
        Change::Delete => (
            "channel_delete",
            LogEmbed::new(
                "➖",
                tr!(l, "logging-title-channel-delete"),
                colour::DELETE,
                now,
            )
            .description(format!("**{}**", c.name)),
            json!({ "name": c.name, "kind": u8::from(c.kind) }),
        ),
    };
    let entry = Entry::new(
        gid,
        LogCategory::Server,
        kind,
        true,
        embed.footer(ids_footer(None, Some(cid), None)),
    )
    .channel(cid)
    .subject(cid.get())
    .payload(payload);
    submit(data, state, entry).await
}

/// What happened to a channel.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Change {
    Create,
    Update,
    Delete,
}

/// A thread was deleted.
pub async fn thread_delete(
    data: &Data,
    state: &LogState,
    t: &serenity::PartialGuildChannel,
) -> Result<(), Error> {
    let gid = t.guild_id.core();
    let cid = t.id.core();
    let name = state.channels.remove(&cid).map(|(_, c)| c.name);
    let l = state.config(data, gid).await?.locale;
    let embed = LogEmbed::new(
        "🧵",
        tr!(l, "logging-title-thread-delete"),
        colour::DELETE,
        Utc::now(),
    )
    .description(
        name.clone()
            .map_or_else(|| tr!(l, "logging-state-unknown"), |n| format!("**{n}**")),
    )
    .footer(ids_footer(None, Some(cid), None));
    let entry = Entry::new(gid, LogCategory::Server, "thread_delete", true, embed)
        .channel(cid)
        .subject(cid.get())
        .payload(json!({ "name": name, "parent": t.parent_id.get() }));
    submit(data, state, entry).await
}

/// An invite was created or deleted.
pub async fn invite(
    data: &Data,
    state: &LogState,
    guild: Option<serenity::GuildId>,
    channel: serenity::ChannelId,
    code: &str,
    created: Option<&serenity::InviteCreateEvent>,
) -> Result<(), Error> {
    let Some(g) = guild else { return Ok(()) };
    let gid = g.core();
    let cid = channel.core();
    let l = state.config(data, gid).await?.locale;
    let now = Utc::now();
    let (kind, mut embed) = match created {
        Some(_) => (
            "invite_create",
            LogEmbed::new(
                "🧭",
                tr!(l, "logging-title-invite-create"),
                colour::CREATE,
                now,
            ),
        ),
        None => (
            "invite_delete",
            LogEmbed::new(
                "🧭",
                tr!(l, "logging-title-invite-delete"),
                colour::DELETE,
                now,
            ),
        ),
    };
    embed = embed.description(tr!(
        l,
        "logging-invite",
        code = code.to_string(),
        channel = format!("<#{cid}>")
    ));
    let inviter = created
        .and_then(|i| i.inviter.as_ref())
        .map(|u| u.id.core());
    if let Some(i) = created {
        if let Some(u) = inviter {
            embed = embed.field(tr!(l, "logging-field-inviter"), format!("<@{u}>"), true);
        }
        embed = embed
            .field(
                tr!(l, "logging-field-max-uses"),
                i.max_uses.to_string(),
                true,
            )
            .field(
                tr!(l, "logging-field-max-age"),
                format!("{}s", i.max_age),
                true,
            );
    }
    let entry = Entry::new(gid, LogCategory::Invite, kind, true, embed.footer(ids_footer(inviter, Some(cid), None)))
        .channel(cid)
        .actor(inviter)
        .payload(json!({ "code": code, "max_uses": created.map(|i| i.max_uses), "max_age": created.map(|i| i.max_age) }));
    submit(data, state, entry).await
}

/// A guild's emojis or stickers changed: what was added, removed or renamed.
pub async fn expressions(
    data: &Data,
    state: &LogState,
    guild: serenity::GuildId,
    now_list: BTreeMap<u64, String>,
    stickers: bool,
) -> Result<(), Error> {
    let gid = guild.core();
    let map = if stickers {
        &state.stickers
    } else {
        &state.emojis
    };
    let before = map.insert(gid, now_list.clone());
    let l = state.config(data, gid).await?.locale;
    let (emoji, title, kind) = if stickers {
        ("🏷️", tr!(l, "logging-title-stickers"), "stickers_update")
    } else {
        ("😀", tr!(l, "logging-title-emojis"), "emojis_update")
    };
    let mut embed = LogEmbed::new(emoji, title, colour::UPDATE, Utc::now());
    let payload = match before {
        None => {
            embed = embed.field(
                tr!(l, "logging-field-before"),
                tr!(l, "logging-state-unknown"),
                false,
            );
            json!({ "before": null, "after": now_list })
        }
        Some(b) => {
            let added: Vec<String> = now_list
                .iter()
                .filter(|(id, _)| !b.contains_key(id))
                .map(|(_, n)| n.clone())
                .collect();
            let removed: Vec<String> = b
                .iter()
                .filter(|(id, _)| !now_list.contains_key(id))
                .map(|(_, n)| n.clone())
                .collect();
            let renamed: Vec<String> = now_list
                .iter()
                .filter_map(|(id, n)| {
                    b.get(id)
                        .filter(|old| *old != n)
                        .map(|old| format!("{old} → {n}"))
                })
                .collect();
            if added.is_empty() && removed.is_empty() && renamed.is_empty() {
                return Ok(());
            }
            for (name, list) in [
                (tr!(l, "logging-field-added"), &added),
                (tr!(l, "logging-field-removed"), &removed),
                (tr!(l, "logging-field-renamed"), &renamed),
            ] {
                if !list.is_empty() {
                    embed = embed.field(name, list.join(", "), false);
                }
            }
            json!({ "added": added, "removed": removed, "renamed": renamed })
        }
    };
    let entry = Entry::new(gid, LogCategory::Server, kind, true, embed).payload(payload);
    submit(data, state, entry).await
}

/// A channel's webhooks or the guild's integrations changed (Discord says only that).
pub async fn hooks(
    data: &Data,
    state: &LogState,
    guild: serenity::GuildId,
    channel: Option<serenity::ChannelId>,
) -> Result<(), Error> {
    let gid: GuildId = guild.core();
    let l = state.config(data, gid).await?.locale;
    let now = Utc::now();
    let (kind, embed) = match channel {
        Some(c) => (
            "webhooks_update",
            LogEmbed::new("🪝", tr!(l, "logging-title-webhooks"), colour::INFO, now)
                .description(tr!(
                    l,
                    "logging-webhooks",
                    channel = format!("<#{}>", c.get())
                ))
                .footer(ids_footer(None, Some(c.core()), None)),
        ),
        None => (
            "integrations_update",
            LogEmbed::new(
                "🔌",
                tr!(l, "logging-title-integrations"),
                colour::INFO,
                now,
            )
            .description(tr!(l, "logging-integrations")),
        ),
    };
    let mut entry = Entry::new(gid, LogCategory::Server, kind, true, embed)
        .payload(json!({ "channel": channel.map(|c| c.get()) }));
    if let Some(c) = channel {
        entry = entry.channel(c.core());
    }
    submit(data, state, entry).await
}
