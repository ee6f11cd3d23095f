//! Interaction callbacks (types 4–9), follow-ups and `@original`, with Discord's timing rules:
//! the first response must arrive within the ack window (3 s) or the interaction fails with
//! 10062 Unknown interaction; tokens for follow-ups expire after 15 minutes.

use std::sync::Arc;

use chrono::Utc;
use serde_json::{Value, json};

use super::common::{ApiErr, Ctx, FileIn, Res, err};
use super::messages::{apply_edit, build_message, insert_message, remove_message, store_edit};
use crate::hub::Inner;
use crate::limits::{self, FormErrors};
use crate::payloads;
use crate::state::{
    Id, Interaction, InteractionResponse, InteractionStatus, Message, MessageInteraction, State,
};

fn unknown_interaction() -> ApiErr {
    err(404, 10062, "Unknown interaction")
}

fn find_by_token(inner: &Inner, app: Id, token: &str) -> Result<Interaction, ApiErr> {
    let st = inner.state.lock();
    if app != st.application_id {
        return Err(err(404, 10015, "Unknown Webhook"));
    }
    let i = st
        .interactions
        .values()
        .find(|i| i.token == token)
        .cloned()
        .ok_or_else(|| err(404, 10015, "Unknown Webhook"))?;
    if i.created.elapsed() > inner.config.interaction_token_ttl {
        return Err(err(401, 50027, "Invalid Webhook Token"));
    }
    Ok(i)
}

/// Message type of a response: 20 chat input, 23 context menu, 0 for components and modals.
fn response_message_type(i: &Interaction) -> u8 {
    match (i.kind, i.data["type"].as_u64()) {
        (2, Some(2 | 3)) => 23,
        (2, _) => 20,
        _ => 0,
    }
}

/// A message authored by the application for an interaction.
fn interaction_message(
    inner: &Inner,
    i: &Interaction,
    body: &Value,
    files: &[FileIn],
) -> Result<Message, ApiErr> {
    let st = inner.state.lock();
    let mut msg = build_message(inner, &st, i.channel_id, st.bot_id, body, files)?;
    let flags = body["flags"].as_u64().unwrap_or(0);
    msg.flags |= flags & 64;
    if flags & 64 != 0 {
        msg.visible_to = Some(i.user_id);
    }
    msg.webhook_id = Some(st.application_id);
    msg.interaction = Some(interaction_meta(&st, i));
    msg.kind = response_message_type(i);
    Ok(msg)
}

/// `POST /interactions/{id}/{token}/callback`
pub(crate) fn callback(inner: &Arc<Inner>, iid: Id, token: &str, c: &Ctx) -> Res {
    let i = {
        let mut st = inner.state.lock();
        let i = st
            .interactions
            .get_mut(&iid)
            .filter(|i| i.token == token)
            .ok_or_else(unknown_interaction)?;
        match i.status {
            InteractionStatus::Pending => {}
            InteractionStatus::Failed => return Err(unknown_interaction()),
            InteractionStatus::Responded(_) => {
                return Err(err(
                    400,
                    40060,
                    "Interaction has already been acknowledged.",
                ));
            }
        }
        if i.created.elapsed() > inner.config.interaction_ack_timeout {
            i.status = InteractionStatus::Failed;
            drop(st);
            inner.bump();
            return Err(unknown_interaction());
        }
        i.clone()
    };
    let kind = c.body["type"].as_u64().unwrap_or(0);
    let data = c.body.get("data").cloned().unwrap_or(json!({}));
    let component_like = i.message_id.is_some();
    let bad_type = || {
        let mut e = FormErrors::default();
        e.push(
            &["type".to_owned()],
            "INTERACTION_CALLBACK_TYPE_INVALID",
            "Interaction callback type is invalid for this interaction",
        );
        ApiErr(400, payloads::form_error(e.into_value()))
    };
    let resp = match kind {
        4 => {
            if i.kind == 4 {
                return Err(bad_type());
            }
            let msg = interaction_message(inner, &i, &data, &c.files)?;
            let ephemeral = msg.is_ephemeral();
            let mid = msg.id;
            insert_message(inner, msg);
            InteractionResponse::Message {
                message_id: mid,
                ephemeral,
            }
        }
        5 => {
            if i.kind == 4 {
                return Err(bad_type());
            }
            let ephemeral = data["flags"].as_u64().unwrap_or(0) & 64 != 0;
            let st = inner.state.lock();
            let ch = st
                .channels
                .get(&i.channel_id)
                .ok_or_else(|| err(404, 10003, "Unknown Channel"))?;
            let msg = Message {
                id: inner.snowflake(),
                channel_id: i.channel_id,
                guild_id: ch.guild_id,
                author_id: st.bot_id,
                content: String::new(),
                embeds: vec![],
                components: vec![],
                attachments: vec![],
                reactions: vec![],
                timestamp: Utc::now(),
                edited_timestamp: None,
                flags: 128 | if ephemeral { 64 } else { 0 },
                kind: response_message_type(&i),
                tts: false,
                pinned: false,
                reference: None,
                interaction: Some(interaction_meta(&st, &i)),
                webhook_id: Some(st.application_id),
                visible_to: ephemeral.then_some(i.user_id),
                mentions: vec![],
                mention_roles: vec![],
                mention_everyone: false,
            };
            drop(st);
            let mid = msg.id;
            insert_message(inner, msg);
            InteractionResponse::Deferred {
                message_id: mid,
                ephemeral,
            }
        }
        6 => {
            // components, and modal submits (closes the modal; poise does this)
            if !component_like && i.kind != 5 {
                return Err(bad_type());
            }
            InteractionResponse::DeferredUpdate
        }
        7 => {
            let Some(mid) = i.message_id else {
                return Err(bad_type());
            };
            let mut msg = inner
                .state
                .lock()
                .messages
                .get(&mid)
                .cloned()
                .ok_or_else(|| err(404, 10008, "Unknown Message"))?;
            apply_edit(inner, &mut msg, &data, &c.files)?;
            store_edit(inner, msg);
            InteractionResponse::UpdateMessage { message_id: mid }
        }
        8 => {
            if i.kind != 4 {
                return Err(bad_type());
            }
            let mut e = FormErrors::default();
            limits::validate_choices(&data, &mut e);
            if !e.is_empty() {
                return Err(ApiErr(400, payloads::form_error(e.into_value())));
            }
            InteractionResponse::Autocomplete(
                data["choices"].as_array().cloned().unwrap_or_default(),
            )
        }
        9 => {
            if i.kind == 4 || i.kind == 5 {
                return Err(bad_type());
            }
            let mut e = FormErrors::default();
            limits::validate_modal(&data, &mut e);
            if !e.is_empty() {
                return Err(ApiErr(400, payloads::form_error(e.into_value())));
            }
            InteractionResponse::Modal(data)
        }
        _ => return Err(bad_type()),
    };
    {
        let mut st = inner.state.lock();
        let original = match &resp {
            InteractionResponse::Message { message_id, .. }
            | InteractionResponse::Deferred { message_id, .. } => Some(*message_id),
            InteractionResponse::DeferredUpdate | InteractionResponse::UpdateMessage { .. } => {
                i.message_id
            }
            _ => None,
        };
        if let Some(x) = st.interactions.get_mut(&iid) {
            x.original_message = original;
        }
        set_status(&mut st, iid, resp);
    }
    inner.bump();
    Ok((204, None))
}

/// `POST /webhooks/{app}/{token}`: a follow-up message.
pub(crate) fn followup(inner: &Arc<Inner>, app: Id, token: &str, c: &Ctx) -> Res {
    let i = find_by_token(inner, app, token)?;
    if !matches!(i.status, InteractionStatus::Responded(_)) {
        return Err(err(404, 10015, "Unknown Webhook"));
    }
    // After a deferred (type 5) response, the first follow-up replaces the "thinking" message.
    if let Some(orig) = i.original_message {
        let loading = inner
            .state
            .lock()
            .messages
            .get(&orig)
            .filter(|m| m.flags & 128 != 0)
            .cloned();
        if let Some(mut msg) = loading {
            apply_edit(inner, &mut msg, &c.body, &c.files)?;
            return Ok((200, Some(store_edit(inner, msg))));
        }
    }
    let msg = interaction_message(inner, &i, &c.body, &c.files)?;
    Ok((200, Some(insert_message(inner, msg))))
}

/// `GET/PATCH/DELETE /webhooks/{app}/{token}/messages/{@original|id}`
pub(crate) fn webhook_message(
    inner: &Arc<Inner>,
    app: Id,
    token: &str,
    which: &str,
    c: &Ctx,
) -> Res {
    let i = find_by_token(inner, app, token)?;
    let unknown_msg = || err(404, 10008, "Unknown Message");
    let mid = if which == "@original" {
        i.original_message.ok_or_else(unknown_msg)?
    } else {
        which.parse::<Id>().map_err(|_| unknown_msg())?
    };
    let msg = inner
        .state
        .lock()
        .messages
        .get(&mid)
        .cloned()
        .ok_or_else(unknown_msg)?;
    let app_id = inner.state.lock().application_id;
    if msg.webhook_id != Some(app_id) && Some(mid) != i.original_message {
        return Err(unknown_msg());
    }
    match c.method.as_str() {
        "GET" => {
            let st = inner.state.lock();
            Ok((200, Some(payloads::message(&st, &msg, false))))
        }
        "PATCH" => {
            let mut msg = msg;
            apply_edit(inner, &mut msg, &c.body, &c.files)?;
            Ok((200, Some(store_edit(inner, msg))))
        }
        "DELETE" => {
            remove_message(inner, mid);
            Ok((204, None))
        }
        _ => Err(ApiErr(
            405,
            json!({"message": "405: Method Not Allowed", "code": 0}),
        )),
    }
}

/// The `interaction_metadata` of a response to `i`: a component interaction names the message
/// holding the component, a modal submission the interaction that opened the modal (the
/// latest of the user's interactions answered with a modal of the same `custom_id`).
fn interaction_meta(st: &State, i: &crate::state::Interaction) -> MessageInteraction {
    let triggering = if i.kind == 5 {
        st.interactions
            .values()
            .filter(|o| {
                o.user_id == i.user_id
                    && o.id < i.id
                    && matches!(
                        &o.status,
                        InteractionStatus::Responded(InteractionResponse::Modal(m))
                            if m["custom_id"] == i.data["custom_id"]
                    )
            })
            .max_by_key(|o| o.id)
            .map(|o| Box::new(interaction_meta(st, o)))
    } else {
        None
    };
    MessageInteraction {
        id: i.id,
        kind: i.kind,
        name: i.command_name.clone(),
        user_id: i.user_id,
        interacted_message_id: if i.kind == 3 { i.message_id } else { None },
        triggering,
    }
}

fn set_status(st: &mut State, iid: Id, resp: InteractionResponse) {
    if let Some(i) = st.interactions.get_mut(&iid) {
        i.status = InteractionStatus::Responded(resp);
    }
}
