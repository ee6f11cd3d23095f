//! Reactions: `/channels/{id}/messages/{id}/reactions/...` (add, remove, clear, list).

use std::sync::Arc;

use serde_json::{Value, json};

use crate::hub::{Gate, Inner, intents};
use crate::payloads;
use crate::perms::bits::*;
use crate::state::{Id, Message};

use super::common::*;

// ----- reactions -----

pub(super) fn reaction_gate(m: &Message) -> Gate {
    Gate {
        intent: Some(if m.guild_id.is_some() {
            intents::GUILD_MESSAGE_REACTIONS
        } else {
            intents::DIRECT_MESSAGE_REACTIONS
        }),
        guild_id: m.guild_id,
        content_gated: false,
    }
}

pub(super) fn valid_emoji(e: &str) -> bool {
    !e.is_empty() && !e.chars().all(|c| c.is_ascii_alphanumeric())
}

pub(super) fn add_reaction(inner: &Arc<Inner>, cid: Id, mid: Id, emoji: &str) -> Res {
    if !valid_emoji(emoji) {
        return Err(err(400, 10014, "Unknown Emoji"));
    }
    let (ev, gate) = {
        let mut st = inner.state.lock();
        let ch = st
            .channels
            .get(&cid)
            .ok_or_else(|| unknown(10003, "Channel"))?
            .clone();
        let bot = st.bot_id;
        let exists = st
            .messages
            .get(&mid)
            .filter(|m| m.channel_id == cid)
            .ok_or_else(|| unknown(10008, "Message"))?;
        let new_emoji = !exists.reactions.iter().any(|r| r.emoji == emoji);
        if ch.guild_id.is_some() {
            need(
                &st,
                cid,
                READ_MESSAGE_HISTORY | if new_emoji { ADD_REACTIONS } else { 0 },
            )?;
        }
        let m = st.messages.get_mut(&mid).expect("checked");
        match m.reactions.iter_mut().find(|r| r.emoji == emoji) {
            Some(r) if r.users.contains(&bot) => return no_content(),
            Some(r) => r.users.push(bot),
            None => m.reactions.push(crate::state::Reaction {
                emoji: emoji.to_owned(),
                users: vec![bot],
            }),
        }
        let m = st.messages[&mid].clone();
        (
            payloads::reaction_event(&st, &m, bot, emoji, true),
            reaction_gate(&m),
        )
    };
    inner.dispatch("MESSAGE_REACTION_ADD", &ev, gate);
    no_content()
}

pub(super) fn remove_reaction(
    inner: &Arc<Inner>,
    cid: Id,
    mid: Id,
    emoji: &str,
    user: Option<Id>,
) -> Res {
    let (ev, gate) = {
        let mut st = inner.state.lock();
        st.channels
            .get(&cid)
            .ok_or_else(|| unknown(10003, "Channel"))?;
        let bot = st.bot_id;
        let uid = user.unwrap_or(bot);
        if uid != bot {
            if st.channels[&cid].guild_id.is_none() {
                return Err(err(403, 50003, "Cannot execute action on a DM channel"));
            }
            need(&st, cid, MANAGE_MESSAGES)?;
        }
        let m = st
            .messages
            .get_mut(&mid)
            .filter(|m| m.channel_id == cid)
            .ok_or_else(|| unknown(10008, "Message"))?;
        let Some(r) = m.reactions.iter_mut().find(|r| r.emoji == emoji) else {
            return no_content();
        };
        let before = r.users.len();
        r.users.retain(|u| *u != uid);
        if r.users.len() == before {
            return no_content();
        }
        m.reactions.retain(|r| !r.users.is_empty());
        let m = m.clone();
        (
            payloads::reaction_event(&st, &m, uid, emoji, false),
            reaction_gate(&m),
        )
    };
    inner.dispatch("MESSAGE_REACTION_REMOVE", &ev, gate);
    no_content()
}

pub(super) fn clear_reactions(inner: &Arc<Inner>, cid: Id, mid: Id, emoji: Option<&str>) -> Res {
    let (ev, gate) = {
        let mut st = inner.state.lock();
        st.channels
            .get(&cid)
            .ok_or_else(|| unknown(10003, "Channel"))?;
        need(&st, cid, MANAGE_MESSAGES)?;
        let m = st
            .messages
            .get_mut(&mid)
            .filter(|m| m.channel_id == cid)
            .ok_or_else(|| unknown(10008, "Message"))?;
        match emoji {
            Some(e) => m.reactions.retain(|r| r.emoji != e),
            None => m.reactions.clear(),
        }
        let mut ev = json!({"channel_id": cid.to_string(), "message_id": mid.to_string()});
        if let Some(g) = m.guild_id {
            ev["guild_id"] = json!(g.to_string());
        }
        if let Some(e) = emoji {
            ev["emoji"] = payloads::emoji(e);
        }
        (ev, reaction_gate(m))
    };
    let name = if emoji.is_some() {
        "MESSAGE_REACTION_REMOVE_EMOJI"
    } else {
        "MESSAGE_REACTION_REMOVE_ALL"
    };
    inner.dispatch(name, &ev, gate);
    no_content()
}

pub(super) fn list_reactions(inner: &Arc<Inner>, cid: Id, mid: Id, emoji: &str) -> Res {
    let st = inner.state.lock();
    check_read(&st, cid)?;
    let m = st
        .messages
        .get(&mid)
        .filter(|m| m.channel_id == cid)
        .ok_or_else(|| unknown(10008, "Message"))?;
    let users = m
        .reactions
        .iter()
        .find(|r| r.emoji == emoji)
        .map(|r| r.users.clone())
        .unwrap_or_default();
    ok(Value::Array(
        users
            .into_iter()
            .map(|u| payloads::user_by_id(&st, u))
            .collect(),
    ))
}
