//! Channel webhooks: create / list (`/channels/{id}/webhooks`, `/guilds/{id}/webhooks`), get,
//! modify, delete (with or without the token), and execute (`POST /webhooks/{id}/{token}`,
//! `?wait=true` answers the message). Messages posted by a webhook carry `webhook_id` and an
//! author named after the webhook. Interaction follow-ups share the `/webhooks/{application_id}`
//! prefix and stay in [`super::interactions`].

use std::sync::Arc;

use serde_json::Value;

use crate::extra::Webhook;
use crate::hub::{FeedKind, Inner, intents};
use crate::limits::FormErrors;
use crate::payloads;
use crate::perms::bits::*;
use crate::state::{Id, State, User};

use super::common::*;
use super::messages::{build_message, insert_message};

fn unknown_webhook() -> ApiErr {
    unknown(10015, "Webhook")
}

fn check_name(body: &Value, required: bool) -> Result<(), ApiErr> {
    let mut e = FormErrors::default();
    match body["name"].as_str() {
        Some(n) if n.is_empty() || n.chars().count() > 80 => e.push(
            &["name".to_owned()],
            "BASE_TYPE_BAD_LENGTH",
            "Must be between 1 and 80 in length.",
        ),
        Some(n) if n.to_lowercase().contains("clyde") || n.to_lowercase().contains("discord") => e
            .push(
                &["name".to_owned()],
                "WEBHOOK_INVALID_USERNAME",
                format!("Username cannot contain \"{n}\""),
            ),
        None if required => e.push(
            &["name".to_owned()],
            "BASE_TYPE_REQUIRED",
            "This field is required",
        ),
        _ => {}
    }
    if e.is_empty() { Ok(()) } else { Err(form(e)) }
}

/// Create a webhook in a state (the driver's `create_webhook` uses it too).
pub(crate) fn new_webhook(
    inner: &Inner,
    st: &mut State,
    channel_id: Id,
    name: &str,
    creator: Id,
) -> Webhook {
    let id = inner.snowflake();
    let token: String = (0..68)
        .map(|_| {
            let chars = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
            chars[rand::random_range(0..chars.len())] as char
        })
        .collect();
    let guild_id = st
        .channels
        .get(&channel_id)
        .and_then(|c| c.guild_id)
        .unwrap_or_default();
    let w = Webhook {
        id,
        guild_id,
        channel_id,
        name: name.to_owned(),
        token,
        creator_id: creator,
    };
    // a webhook's messages are authored by a bot user with the webhook's id and name
    st.users.insert(
        id,
        User {
            id,
            name: name.to_owned(),
            global_name: None,
            bot: true,
            avatar: None,
        },
    );
    st.extra.webhooks.insert(id, w.clone());
    w
}

pub(super) fn create_webhook(inner: &Arc<Inner>, cid: Id, c: &Ctx) -> Res {
    check_name(&c.body, true)?;
    let (v, gid) = {
        let mut st = inner.state.lock();
        let ch = st
            .channels
            .get(&cid)
            .ok_or_else(|| unknown(10003, "Channel"))?;
        let gid = ch
            .guild_id
            .ok_or_else(|| err(400, 50024, "Cannot execute action on this channel type"))?;
        need(&st, cid, MANAGE_WEBHOOKS)?;
        if st
            .extra
            .webhooks
            .values()
            .filter(|w| w.channel_id == cid)
            .count()
            >= 15
        {
            return Err(err(400, 30007, "Maximum number of webhooks reached (15)"));
        }
        let bot = st.bot_id;
        let w = new_webhook(
            inner,
            &mut st,
            cid,
            c.body["name"].as_str().unwrap_or(""),
            bot,
        );
        (payloads::webhook(&st, &inner.base_url, &w, true), gid)
    };
    webhooks_update(inner, gid, cid);
    ok(v)
}

/// WEBHOOKS_UPDATE (`{guild_id, channel_id}`), as Discord sends on any change.
pub(crate) fn webhooks_update(inner: &Inner, gid: Id, cid: Id) {
    inner.dispatch(
        "WEBHOOKS_UPDATE",
        &serde_json::json!({"guild_id": gid.to_string(), "channel_id": cid.to_string()}),
        gate_guild(intents::GUILD_WEBHOOKS, gid),
    );
}

pub(super) fn list_webhooks(inner: &Arc<Inner>, channel: Option<Id>, guild: Option<Id>) -> Res {
    let st = inner.state.lock();
    match (channel, guild) {
        (Some(cid), _) => {
            st.channels
                .get(&cid)
                .ok_or_else(|| unknown(10003, "Channel"))?;
            need(&st, cid, MANAGE_WEBHOOKS)?;
        }
        (None, Some(gid)) => need_guild(&st, gid, MANAGE_WEBHOOKS)?,
        (None, None) => {}
    }
    let list: Vec<Value> = st
        .extra
        .webhooks
        .values()
        .filter(|w| channel.is_none_or(|c| w.channel_id == c))
        .filter(|w| guild.is_none_or(|g| w.guild_id == g))
        .map(|w| payloads::webhook(&st, &inner.base_url, w, true))
        .collect();
    ok(Value::Array(list))
}

/// Find a webhook; with `token`, the token must match (and no permission is needed).
fn find(st: &State, wid: Id, token: Option<&str>) -> Result<Webhook, ApiErr> {
    let w = st
        .extra
        .webhooks
        .get(&wid)
        .cloned()
        .ok_or_else(unknown_webhook)?;
    match token {
        Some(t) if t != w.token => Err(err(401, 50027, "Invalid Webhook Token")),
        Some(_) => Ok(w),
        None => {
            need(st, w.channel_id, MANAGE_WEBHOOKS)?;
            Ok(w)
        }
    }
}

pub(super) fn get_webhook(inner: &Arc<Inner>, wid: Id, token: Option<&str>) -> Res {
    let st = inner.state.lock();
    let w = find(&st, wid, token)?;
    ok(payloads::webhook(&st, &inner.base_url, &w, token.is_none()))
}

pub(super) fn modify_webhook(inner: &Arc<Inner>, wid: Id, token: Option<&str>, c: &Ctx) -> Res {
    check_name(&c.body, false)?;
    let (v, gid, cid) = {
        let mut st = inner.state.lock();
        let mut w = find(&st, wid, token)?;
        if let Some(n) = c.body["name"].as_str() {
            w.name = n.to_owned();
            if let Some(u) = st.users.get_mut(&wid) {
                u.name = n.to_owned();
            }
        }
        if token.is_none() {
            if let Some(cid) = vid(&c.body["channel_id"]) {
                if st.channels.get(&cid).and_then(|ch| ch.guild_id) != Some(w.guild_id) {
                    return Err(unknown(10003, "Channel"));
                }
                w.channel_id = cid;
            }
        }
        st.extra.webhooks.insert(wid, w.clone());
        (
            payloads::webhook(&st, &inner.base_url, &w, token.is_none()),
            w.guild_id,
            w.channel_id,
        )
    };
    webhooks_update(inner, gid, cid);
    ok(v)
}

pub(super) fn delete_webhook(inner: &Arc<Inner>, wid: Id, token: Option<&str>) -> Res {
    let w = {
        let mut st = inner.state.lock();
        let w = find(&st, wid, token)?;
        st.extra.webhooks.remove(&wid);
        w
    };
    webhooks_update(inner, w.guild_id, w.channel_id);
    no_content()
}

/// `POST /webhooks/{id}/{token}`: post a message as the webhook (a `username`/`avatar_url`
/// override is accepted but not kept: the author is the webhook). 204 unless `?wait=true`, which
/// answers the message.
pub(super) fn execute_webhook(inner: &Arc<Inner>, wid: Id, token: &str, c: &Ctx) -> Res {
    let msg = {
        let st = inner.state.lock();
        let w = find(&st, wid, Some(token))?;
        let mut msg = build_message(inner, &st, w.channel_id, wid, &c.body, &c.files)?;
        msg.webhook_id = Some(wid);
        msg
    };
    let v = insert_message(inner, msg.clone());
    inner.feed(FeedKind::Created, msg);
    if c.query.get("wait").is_some_and(|w| w == "true") {
        ok(v)
    } else {
        no_content()
    }
}
