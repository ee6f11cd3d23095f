//! Messages: building them from create bodies (limits, mentions, attachments), storing edits
//! and deletions with their gateway dispatches, and the `/channels/{id}/messages` routes
//! (create, edit, delete, bulk delete, list, get, crosspost, pins).

use std::sync::Arc;

use chrono::{Duration as ChronoDuration, Utc};
use serde_json::{Value, json};

use crate::hub::{FeedKind, Gate, Inner, intents};
use crate::limits::{self, FormErrors};
use crate::payloads;
use crate::perms::bits::*;
use crate::perms::channel_permissions;
use crate::state::{Attachment, Id, Message, State};

use super::common::*;

/// Parse `<@id>`, `<@!id>`, `<@&id>` and `@everyone`/`@here` mentions.
pub(crate) fn parse_mentions(content: &str) -> (Vec<Id>, Vec<Id>, bool) {
    let mut users = Vec::new();
    let mut roles = Vec::new();
    let mut rest = content;
    while let Some(start) = rest.find("<@") {
        rest = &rest[start + 2..];
        let (is_role, body) = match rest.strip_prefix('&') {
            Some(b) => (true, b),
            None => (false, rest.strip_prefix('!').unwrap_or(rest)),
        };
        if let Some(end) = body.find('>') {
            if let Ok(idv) = body[..end].parse::<Id>() {
                let list = if is_role { &mut roles } else { &mut users };
                if !list.contains(&idv) {
                    list.push(idv);
                }
            }
        }
    }
    let everyone = content.contains("@everyone") || content.contains("@here");
    (users, roles, everyone)
}

/// Restrict parsed mentions to what `allowed_mentions` permits (as Discord does for pings).
pub(crate) fn apply_allowed_mentions(
    am: &Value,
    users: &mut Vec<Id>,
    roles: &mut Vec<Id>,
    everyone: &mut bool,
) {
    if !am.is_object() {
        return;
    }
    let parse: Vec<&str> = am["parse"]
        .as_array()
        .map(|a| a.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    let list = |k: &str| -> Vec<Id> {
        am[k]
            .as_array()
            .map(|a| a.iter().filter_map(vid).collect())
            .unwrap_or_default()
    };
    if !parse.contains(&"users") {
        let allowed = list("users");
        users.retain(|u| allowed.contains(u));
    }
    if !parse.contains(&"roles") {
        let allowed = list("roles");
        roles.retain(|r| allowed.contains(r));
    }
    if !parse.contains(&"everyone") {
        *everyone = false;
    }
}

/// Build (not insert) a message from a create body. Validates limits and emptiness.
pub(crate) fn build_message(
    inner: &Inner,
    st: &State,
    channel_id: Id,
    author_id: Id,
    body: &Value,
    files: &[FileIn],
) -> Result<Message, ApiErr> {
    let ch = st
        .channels
        .get(&channel_id)
        .ok_or_else(|| unknown(10003, "Channel"))?;
    let mut errs = FormErrors::default();
    limits::validate_message(body, &mut errs);
    if !errs.is_empty() {
        return Err(form(errs));
    }
    let id = inner.snowflake();
    let attachments = build_attachments(inner, channel_id, body, files, &[]);
    let content = body["content"].as_str().unwrap_or("").to_owned();
    let embeds = body["embeds"].as_array().cloned().unwrap_or_default();
    let components =
        payloads::with_component_ids(body["components"].as_array().cloned().unwrap_or_default());
    let stickers = body["sticker_ids"]
        .as_array()
        .is_some_and(|a| !a.is_empty());
    if content.is_empty()
        && embeds.is_empty()
        && attachments.is_empty()
        && !stickers
        && body["poll"].is_null()
    {
        return Err(err(400, 50006, "Cannot send an empty message"));
    }
    let (mut mentions, mut mention_roles, mut everyone) = parse_mentions(&content);
    apply_allowed_mentions(
        &body["allowed_mentions"],
        &mut mentions,
        &mut mention_roles,
        &mut everyone,
    );
    let allowed_everyone = ch
        .guild_id
        .is_none_or(|_| channel_permissions(st, channel_id, author_id) & MENTION_EVERYONE != 0);
    let mut reference = None;
    if let Some(r) = vid(&body["message_reference"]["message_id"]) {
        let exists = st
            .messages
            .get(&r)
            .is_some_and(|m| m.channel_id == channel_id);
        if !exists {
            if body["message_reference"]["fail_if_not_exists"].as_bool() != Some(false) {
                let mut e = FormErrors::default();
                e.push(
                    &["message_reference".to_owned()],
                    "REPLIES_UNKNOWN_MESSAGE",
                    "Unknown message",
                );
                return Err(form(e));
            }
        } else {
            reference = Some(r);
        }
    }
    let mut embeds = embeds;
    for e in &mut embeds {
        normalise_embed_media(e);
        if e.get("type").is_none() {
            e["type"] = json!("rich");
        }
    }
    Ok(Message {
        id,
        channel_id,
        guild_id: ch.guild_id,
        author_id,
        content,
        embeds,
        components,
        attachments,
        reactions: vec![],
        timestamp: Utc::now(),
        edited_timestamp: None,
        flags: body["flags"].as_u64().unwrap_or(0) & (4 | 4096),
        kind: if reference.is_some() { 19 } else { 0 },
        tts: body["tts"].as_bool().unwrap_or(false),
        pinned: false,
        reference,
        interaction: None,
        webhook_id: None,
        visible_to: None,
        mentions,
        mention_roles,
        mention_everyone: everyone && allowed_everyone,
    })
}

pub(super) fn build_attachments(
    inner: &Inner,
    channel_id: Id,
    body: &Value,
    files: &[FileIn],
    keep: &[Attachment],
) -> Vec<Attachment> {
    let meta = body["attachments"].as_array().cloned().unwrap_or_default();
    let mut out: Vec<Attachment> = Vec::new();
    // existing attachments listed by id are kept (edits)
    for m in &meta {
        if let Some(aid) = vid(&m["id"]) {
            if let Some(a) = keep.iter().find(|a| a.id == aid) {
                out.push(a.clone());
            }
        }
    }
    for (idx, f) in files.iter().enumerate() {
        let n = f
            .field
            .strip_prefix("files[")
            .and_then(|x| x.strip_suffix(']'))
            .and_then(|x| x.parse::<u64>().ok())
            .unwrap_or(idx as u64);
        let m = meta
            .iter()
            .find(|m| vid(&m["id"]) == Some(n) && keep.iter().all(|k| k.id != n));
        let aid = inner.snowflake();
        let filename = m
            .and_then(|m| m["filename"].as_str())
            .unwrap_or(&f.filename)
            .to_owned();
        out.push(Attachment {
            id: aid,
            url: format!(
                "{}/attachments/{channel_id}/{aid}/{filename}",
                inner.base_url
            ),
            size: f.data.len() as u64,
            content_type: f.content_type.clone(),
            description: m.and_then(|m| m["description"].as_str()).map(str::to_owned),
            filename,
            data: f.data.clone(),
        });
    }
    out
}

/// Insert a new message, update the channel, dispatch MESSAGE_CREATE (not for ephemeral ones)
/// and record it in the feed when the bot authored it. Returns the message JSON.
pub(crate) fn insert_message(inner: &Inner, msg: Message) -> Value {
    let (json_rest, json_gw, gate, is_bot) = {
        let mut st = inner.state.lock();
        if let Some(ch) = st.channels.get_mut(&msg.channel_id) {
            ch.last_message_id = Some(msg.id);
        }
        st.messages.insert(msg.id, msg.clone());
        (
            payloads::message(&st, &msg, false),
            payloads::message(&st, &msg, true),
            gate_for_message(&st, &msg),
            msg.author_id == st.bot_id,
        )
    };
    if msg.visible_to.is_none() {
        inner.dispatch("MESSAGE_CREATE", &json_gw, gate);
    }
    if is_bot {
        inner.feed(FeedKind::Created, msg);
    }
    json_rest
}

/// Apply an edit body to a message (only present keys change).
pub(crate) fn apply_edit(
    inner: &Inner,
    msg: &mut Message,
    body: &Value,
    files: &[FileIn],
) -> Result<(), ApiErr> {
    let mut errs = FormErrors::default();
    limits::validate_message(body, &mut errs);
    if !errs.is_empty() {
        return Err(form(errs));
    }
    if let Some(o) = body.as_object() {
        if o.contains_key("content") {
            msg.content = body["content"].as_str().unwrap_or("").to_owned();
            let (u, r, e) = parse_mentions(&msg.content);
            msg.mentions = u;
            msg.mention_roles = r;
            msg.mention_everyone = e;
        }
        if o.contains_key("embeds") {
            msg.embeds = body["embeds"].as_array().cloned().unwrap_or_default();
            for e in &mut msg.embeds {
                normalise_embed_media(e);
                if e.get("type").is_none() {
                    e["type"] = json!("rich");
                }
            }
        }
        if o.contains_key("components") {
            msg.components = payloads::with_component_ids(
                body["components"].as_array().cloned().unwrap_or_default(),
            );
        }
        if o.contains_key("attachments") || !files.is_empty() {
            let keep = msg.attachments.clone();
            let mut b = body.clone();
            if !o.contains_key("attachments") {
                b["attachments"] = Value::Array(
                    keep.iter()
                        .map(|a| json!({"id": a.id.to_string()}))
                        .collect(),
                );
            }
            msg.attachments = build_attachments(inner, msg.channel_id, &b, files, &keep);
        }
        if let Some(f) = body["flags"].as_u64() {
            msg.flags = (msg.flags & !4) | (f & 4);
        }
    }
    msg.flags &= !128;
    if msg.content.is_empty()
        && msg.embeds.is_empty()
        && msg.attachments.is_empty()
        && msg.components.is_empty()
    {
        return Err(err(400, 50006, "Cannot send an empty message"));
    }
    msg.edited_timestamp = Some(Utc::now());
    Ok(())
}

/// Store an edited message, dispatch MESSAGE_UPDATE (not for ephemeral) and feed it.
pub(crate) fn store_edit(inner: &Inner, msg: Message) -> Value {
    let (rest, gw, gate, is_bot, was_loading) = {
        let mut st = inner.state.lock();
        let was_loading = st.messages.get(&msg.id).is_some_and(|m| m.flags & 128 != 0);
        st.messages.insert(msg.id, msg.clone());
        (
            payloads::message(&st, &msg, false),
            payloads::message(&st, &msg, true),
            gate_for_message(&st, &msg),
            msg.author_id == st.bot_id,
            was_loading,
        )
    };
    if msg.visible_to.is_none() {
        inner.dispatch("MESSAGE_UPDATE", &gw, gate);
    }
    if is_bot {
        // A deferred "thinking" message getting its content is, for the user, a new message.
        inner.feed(
            if was_loading {
                FeedKind::Created
            } else {
                FeedKind::Edited
            },
            msg,
        );
    }
    rest
}

/// Remove a message, dispatch MESSAGE_DELETE and feed it.
pub(crate) fn remove_message(inner: &Inner, mid: Id) -> Option<Message> {
    let msg = inner.state.lock().messages.remove(&mid)?;
    if msg.visible_to.is_none() {
        let gate = Gate {
            intent: Some(if msg.guild_id.is_some() {
                intents::GUILD_MESSAGES
            } else {
                intents::DIRECT_MESSAGES
            }),
            guild_id: msg.guild_id,
            content_gated: false,
        };
        inner.dispatch(
            "MESSAGE_DELETE",
            &payloads::message_delete(msg.id, msg.channel_id, msg.guild_id),
            gate,
        );
    }
    inner.feed(FeedKind::Deleted, msg.clone());
    Some(msg)
}

// ----- messages -----

pub(super) fn create_message(inner: &Arc<Inner>, cid: Id, c: &Ctx) -> Res {
    let msg = {
        let st = inner.state.lock();
        let ch = st
            .channels
            .get(&cid)
            .ok_or_else(|| unknown(10003, "Channel"))?;
        if !ch.kind.is_textual() {
            return Err(err(
                400,
                50008,
                "Cannot send messages in a non-text channel",
            ));
        }
        match ch.guild_id {
            Some(_) => {
                let send = if ch.kind.is_thread() {
                    SEND_MESSAGES_IN_THREADS
                } else {
                    SEND_MESSAGES
                };
                if ch.kind.is_thread() {
                    let t = st.extra.thread(cid);
                    if t.archived && t.locked {
                        return Err(err(400, 50083, "Thread is archived"));
                    }
                }
                let mut bits = send;
                if !c.files.is_empty() {
                    bits |= ATTACH_FILES;
                }
                if c.body["message_reference"].is_object() {
                    bits |= READ_MESSAGE_HISTORY;
                }
                need(&st, cid, bits)?;
            }
            None => {
                if ch.recipients.iter().any(|u| st.dm_closed.contains(u)) {
                    return Err(err(403, 50007, "Cannot send messages to this user"));
                }
            }
        }
        let mut msg = build_message(inner, &st, cid, st.bot_id, &c.body, &c.files)?;
        // without EMBED_LINKS, Discord drops the embeds silently
        if ch.guild_id.is_some() && channel_permissions(&st, cid, st.bot_id) & EMBED_LINKS == 0 {
            msg.embeds.clear();
        }
        msg
    };
    ok(insert_message(inner, msg))
}

pub(super) fn edit_message(inner: &Arc<Inner>, cid: Id, mid: Id, c: &Ctx) -> Res {
    let mut msg = {
        let st = inner.state.lock();
        let ch = st
            .channels
            .get(&cid)
            .ok_or_else(|| unknown(10003, "Channel"))?;
        // Like Discord: a guild channel the bot cannot see answers 403 Missing Access (50001),
        // even for the bot's own messages.
        if ch.guild_id.is_some() && channel_permissions(&st, cid, st.bot_id) & VIEW_CHANNEL == 0 {
            return Err(missing_access());
        }
        let msg = st
            .messages
            .get(&mid)
            .filter(|m| m.channel_id == cid)
            .ok_or_else(|| unknown(10008, "Message"))?;
        if msg.author_id != st.bot_id {
            // only flags (suppress embeds) may be changed on others' messages, with MANAGE_MESSAGES
            let only_flags = c
                .body
                .as_object()
                .is_some_and(|o| o.keys().all(|k| k == "flags"));
            if !only_flags {
                return Err(err(
                    403,
                    50005,
                    "Cannot edit a message authored by another user",
                ));
            }
            need(&st, cid, MANAGE_MESSAGES)?;
        }
        msg.clone()
    };
    apply_edit(inner, &mut msg, &c.body, &c.files)?;
    ok(store_edit(inner, msg))
}

pub(super) fn delete_message(inner: &Arc<Inner>, cid: Id, mid: Id) -> Res {
    {
        let st = inner.state.lock();
        let ch = st
            .channels
            .get(&cid)
            .ok_or_else(|| unknown(10003, "Channel"))?;
        let msg = st
            .messages
            .get(&mid)
            .filter(|m| m.channel_id == cid)
            .ok_or_else(|| unknown(10008, "Message"))?;
        if msg.author_id != st.bot_id {
            if ch.guild_id.is_none() {
                return Err(err(403, 50003, "Cannot execute action on a DM channel"));
            }
            need(&st, cid, MANAGE_MESSAGES)?;
        }
    }
    remove_message(inner, mid);
    no_content()
}

pub(super) fn bulk_delete(inner: &Arc<Inner>, cid: Id, c: &Ctx) -> Res {
    let ids: Vec<Id> = c.body["messages"]
        .as_array()
        .map(|a| a.iter().filter_map(vid).collect())
        .unwrap_or_default();
    let (gid, existing) = {
        let st = inner.state.lock();
        let ch = st
            .channels
            .get(&cid)
            .ok_or_else(|| unknown(10003, "Channel"))?;
        let Some(gid) = ch.guild_id else {
            return Err(err(403, 50003, "Cannot execute action on a DM channel"));
        };
        need(&st, cid, MANAGE_MESSAGES)?;
        if ids.len() < 2 || ids.len() > 100 {
            let mut e = FormErrors::default();
            e.push(
                &["messages".to_owned()],
                "BASE_TYPE_BAD_LENGTH",
                "Must be between 2 and 100 in length.",
            );
            return Err(form(e));
        }
        let cutoff = Utc::now() - ChronoDuration::days(14);
        let mut existing = Vec::new();
        for i in &ids {
            if let Some(m) = st.messages.get(i).filter(|m| m.channel_id == cid) {
                if m.timestamp < cutoff {
                    return Err(err(
                        400,
                        50034,
                        "You can only bulk delete messages that are under 14 days old.",
                    ));
                }
                existing.push(*i);
            }
        }
        (gid, existing)
    };
    let mut removed = Vec::new();
    for i in &existing {
        if let Some(m) = inner.state.lock().messages.remove(i) {
            removed.push(m);
        }
    }
    inner.dispatch(
        "MESSAGE_DELETE_BULK",
        &payloads::message_delete_bulk(&existing, cid, Some(gid)),
        gate_guild(intents::GUILD_MESSAGES, gid),
    );
    for m in removed {
        inner.feed(FeedKind::Deleted, m);
    }
    no_content()
}

pub(super) fn list_messages(inner: &Arc<Inner>, cid: Id, c: &Ctx) -> Res {
    let st = inner.state.lock();
    check_read(&st, cid)?;
    let limit = c.q_u64("limit").unwrap_or(50).clamp(1, 100) as usize;
    let all: Vec<&Message> = st
        .channel_messages(cid)
        .into_iter()
        .filter(|m| m.visible_to.is_none())
        .collect();
    let chosen: Vec<&Message> = if let Some(b) = c.q_u64("before") {
        all.iter()
            .rev()
            .filter(|m| m.id < b)
            .take(limit)
            .copied()
            .collect()
    } else if let Some(a) = c.q_u64("after") {
        let mut v: Vec<&Message> = all
            .iter()
            .filter(|m| m.id > a)
            .take(limit)
            .copied()
            .collect();
        v.reverse();
        v
    } else if let Some(ar) = c.q_u64("around") {
        let half = limit / 2;
        let mut before: Vec<&Message> = all
            .iter()
            .rev()
            .filter(|m| m.id < ar)
            .take(half)
            .copied()
            .collect();
        let mut v: Vec<&Message> = all
            .iter()
            .filter(|m| m.id >= ar)
            .take(limit - half)
            .copied()
            .collect();
        v.reverse();
        v.append(&mut before);
        v
    } else {
        all.iter().rev().take(limit).copied().collect()
    };
    ok(Value::Array(
        chosen
            .into_iter()
            .map(|m| payloads::message(&st, m, false))
            .collect(),
    ))
}

/// `PUT`/`DELETE /channels/{id}/messages/pins/{id}` (and the older `pins/{id}`): a change
/// emits MESSAGE_UPDATE and CHANNEL_PINS_UPDATE (`last_pin_timestamp`: the newest remaining pin).
pub(super) fn pin(inner: &Arc<Inner>, cid: Id, mid: Id, on: bool) -> Res {
    let (msg, changed, pins_update, gate) = {
        let mut st = inner.state.lock();
        st.channels
            .get(&cid)
            .ok_or_else(|| unknown(10003, "Channel"))?;
        if st.channels[&cid].guild_id.is_some() {
            need(&st, cid, MANAGE_MESSAGES)?;
        }
        let m = st
            .messages
            .get_mut(&mid)
            .filter(|m| m.channel_id == cid)
            .ok_or_else(|| unknown(10008, "Message"))?;
        let changed = m.pinned != on;
        m.pinned = on;
        let msg = m.clone();
        if on && changed {
            st.pinned_at.insert(mid, Utc::now());
        } else if !on {
            st.pinned_at.remove(&mid);
        }
        let last = st.last_pin(cid);
        let guild_id = st.channels[&cid].guild_id;
        let gate = Gate {
            intent: Some(if guild_id.is_some() {
                intents::GUILDS
            } else {
                intents::DIRECT_MESSAGES
            }),
            guild_id,
            content_gated: false,
        };
        (
            msg,
            changed,
            payloads::channel_pins_update(guild_id, cid, last),
            gate,
        )
    };
    if changed {
        store_edit(inner, msg);
        inner.dispatch("CHANNEL_PINS_UPDATE", &pins_update, gate);
    }
    no_content()
}

/// `GET /channels/{id}/messages/{id}`.
pub(super) fn get_message(inner: &Arc<Inner>, cid: Id, mid: Id) -> Res {
    let st = inner.state.lock();
    check_read(&st, cid)?;
    let msg = st
        .messages
        .get(&mid)
        .filter(|m| m.channel_id == cid && m.visible_to.is_none())
        .ok_or_else(|| unknown(10008, "Message"))?;
    ok(payloads::message(&st, msg, false))
}

/// `POST /channels/{id}/messages/{id}/crosspost`.
pub(super) fn crosspost(inner: &Arc<Inner>, mid: Id) -> Res {
    let st = inner.state.lock();
    let msg = st
        .messages
        .get(&mid)
        .ok_or_else(|| unknown(10008, "Message"))?;
    ok(payloads::message(&st, msg, false))
}

/// `GET /channels/{id}/pins` (an array), or `GET /channels/{id}/messages/pins` (`paged`:
/// `{items: [{pinned_at, message}], has_more}`).
pub(super) fn list_pins(inner: &Arc<Inner>, cid: Id, paged: bool) -> Res {
    let st = inner.state.lock();
    check_read(&st, cid)?;
    // Newest pin first, as Discord lists them.
    let mut pinned: Vec<(chrono::DateTime<Utc>, &Message)> = st
        .channel_messages(cid)
        .into_iter()
        .filter(|m| m.pinned)
        .map(|m| (st.pinned_at.get(&m.id).copied().unwrap_or(m.timestamp), m))
        .collect();
    pinned.sort_by(|a, b| b.0.cmp(&a.0).then(b.1.id.cmp(&a.1.id)));
    if paged {
        let items: Vec<Value> = pinned
            .iter()
            .map(|(at, m)| json!({"pinned_at": payloads::ts(*at), "message": payloads::message(&st, m, false)}))
            .collect();
        ok(json!({"items": items, "has_more": false}))
    } else {
        ok(Value::Array(
            pinned
                .iter()
                .map(|(_, m)| payloads::message(&st, m, false))
                .collect(),
        ))
    }
}

/// As Discord stores an embed's media: a thumbnail, image or video keeps its `url`, gets a
/// `proxy_url`, and drops the `null` fields a client may send (serenity sends `height`,
/// `width` and `proxy_url` as `null`).
fn normalise_embed_media(e: &mut Value) {
    for key in ["thumbnail", "image", "video"] {
        if let Some(m) = e.get_mut(key).and_then(Value::as_object_mut) {
            m.retain(|_, v| !v.is_null());
            if let Some(url) = m.get("url").cloned() {
                m.entry("proxy_url").or_insert(url);
            }
        }
    }
}
