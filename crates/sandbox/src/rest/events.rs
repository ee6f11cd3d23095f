//! Guild scheduled events (`/guilds/{id}/scheduled-events[/{id}[/users]]`): list, get, create,
//! modify (including status changes), delete, and the interested users; each change dispatches
//! GUILD_SCHEDULED_EVENT_CREATE / _UPDATE / _DELETE (intent GUILD_SCHEDULED_EVENTS).

use std::sync::Arc;

use chrono::{DateTime, Utc};
use serde_json::Value;

use crate::extra::ScheduledEvent;
use crate::hub::{Inner, intents};
use crate::limits::FormErrors;
use crate::payloads;
use crate::perms::bits::*;
use crate::state::{ChannelKind, Id, State};

use super::common::*;

fn unknown_event() -> ApiErr {
    unknown(10070, "Guild Scheduled Event")
}

/// Dispatch one of the GUILD_SCHEDULED_EVENT_* events for an event.
pub(crate) fn event_changed(inner: &Inner, name: &str, e: &ScheduledEvent) {
    let v = payloads::scheduled_event(&inner.state.lock(), e);
    inner.dispatch(
        name,
        &v,
        gate_guild(intents::GUILD_SCHEDULED_EVENTS, e.guild_id),
    );
}

fn time(body: &Value, key: &str) -> Option<DateTime<Utc>> {
    body[key]
        .as_str()
        .and_then(|s| DateTime::parse_from_rfc3339(s).ok())
        .map(|t| t.with_timezone(&Utc))
}

fn find(st: &State, gid: Id, eid: Id) -> Result<ScheduledEvent, ApiErr> {
    st.extra
        .events
        .get(&eid)
        .filter(|e| e.guild_id == gid)
        .cloned()
        .ok_or_else(unknown_event)
}

pub(super) fn list_events(inner: &Arc<Inner>, gid: Id) -> Res {
    let st = inner.state.lock();
    if !st.guilds.contains_key(&gid) {
        return Err(unknown(10004, "Guild"));
    }
    ok(Value::Array(
        st.extra
            .events
            .values()
            .filter(|e| e.guild_id == gid)
            .map(|e| payloads::scheduled_event(&st, e))
            .collect(),
    ))
}

pub(super) fn get_event(inner: &Arc<Inner>, gid: Id, eid: Id) -> Res {
    let st = inner.state.lock();
    let e = find(&st, gid, eid)?;
    ok(payloads::scheduled_event(&st, &e))
}

/// Check the fields of a create (all of them) or a modify (those present) body.
fn validate(st: &State, gid: Id, b: &Value, create: bool) -> Result<(), ApiErr> {
    let mut e = FormErrors::default();
    let mut field = |k: &str, code: &str, msg: &str| e.push(&[k.to_owned()], code, msg);
    match b["name"].as_str() {
        Some(n) if n.is_empty() || n.chars().count() > 100 => field(
            "name",
            "BASE_TYPE_BAD_LENGTH",
            "Must be between 1 and 100 in length.",
        ),
        None if create => field("name", "BASE_TYPE_REQUIRED", "This field is required"),
        _ => {}
    }
    if create && time(b, "scheduled_start_time").is_none() {
        field(
            "scheduled_start_time",
            "BASE_TYPE_REQUIRED",
            "This field is required",
        );
    }
    let kind = b["entity_type"].as_u64();
    match kind {
        Some(1 | 2) => {
            let ok_channel = vid(&b["channel_id"])
                .and_then(|c| st.channels.get(&c))
                .is_some_and(|c| {
                    c.guild_id == Some(gid)
                        && matches!(c.kind, ChannelKind::Voice | ChannelKind::Stage)
                });
            if !ok_channel {
                field("channel_id", "BASE_TYPE_REQUIRED", "This field is required");
            }
        }
        Some(3) => {
            if b["entity_metadata"]["location"]
                .as_str()
                .is_none_or(str::is_empty)
            {
                field(
                    "entity_metadata",
                    "BASE_TYPE_REQUIRED",
                    "This field is required",
                );
            }
            if create && time(b, "scheduled_end_time").is_none() {
                field(
                    "scheduled_end_time",
                    "BASE_TYPE_REQUIRED",
                    "This field is required",
                );
            }
        }
        None if !create => {}
        _ => field(
            "entity_type",
            "BASE_TYPE_CHOICES",
            "Value must be one of {1, 2, 3}.",
        ),
    }
    if e.is_empty() { Ok(()) } else { Err(form(e)) }
}

pub(super) fn create_event(inner: &Arc<Inner>, gid: Id, c: &Ctx) -> Res {
    let e = {
        let mut st = inner.state.lock();
        need_guild(&st, gid, CREATE_EVENTS)?;
        validate(&st, gid, &c.body, true)?;
        let b = &c.body;
        let e = ScheduledEvent {
            id: inner.snowflake(),
            guild_id: gid,
            channel_id: vid(&b["channel_id"]),
            creator_id: st.bot_id,
            name: b["name"].as_str().unwrap_or("").to_owned(),
            description: b["description"].as_str().map(str::to_owned),
            start: time(b, "scheduled_start_time").unwrap_or_else(Utc::now),
            end: time(b, "scheduled_end_time"),
            entity_type: b["entity_type"].as_u64().unwrap_or(3) as u8,
            status: 1,
            location: b["entity_metadata"]["location"].as_str().map(str::to_owned),
        };
        st.extra.events.insert(e.id, e.clone());
        e
    };
    event_changed(inner, "GUILD_SCHEDULED_EVENT_CREATE", &e);
    ok(payloads::scheduled_event(&inner.state.lock(), &e))
}

/// Status changes follow Discord's rules: scheduled → active or canceled, active → completed.
pub(super) fn modify_event(inner: &Arc<Inner>, gid: Id, eid: Id, c: &Ctx) -> Res {
    let e = {
        let mut st = inner.state.lock();
        need_guild(&st, gid, MANAGE_EVENTS)?;
        let mut e = find(&st, gid, eid)?;
        validate(&st, gid, &c.body, false)?;
        let b = &c.body;
        if let Some(s) = b["status"].as_u64() {
            let allowed = matches!((e.status, s), (1, 2 | 4) | (2, 3)) || u64::from(e.status) == s;
            if !allowed {
                return Err(err(400, 180000, "Cannot update event status"));
            }
            e.status = s as u8;
        }
        if let Some(n) = b["name"].as_str() {
            n.clone_into(&mut e.name);
        }
        if b.get("description").is_some() {
            e.description = b["description"].as_str().map(str::to_owned);
        }
        if let Some(t) = time(b, "scheduled_start_time") {
            e.start = t;
        }
        if b.get("scheduled_end_time").is_some() {
            e.end = time(b, "scheduled_end_time");
        }
        if let Some(k) = b["entity_type"].as_u64() {
            e.entity_type = k as u8;
            e.channel_id = vid(&b["channel_id"]);
        }
        if let Some(l) = b["entity_metadata"]["location"].as_str() {
            e.location = Some(l.to_owned());
        }
        st.extra.events.insert(eid, e.clone());
        e
    };
    event_changed(inner, "GUILD_SCHEDULED_EVENT_UPDATE", &e);
    ok(payloads::scheduled_event(&inner.state.lock(), &e))
}

pub(super) fn delete_event(inner: &Arc<Inner>, gid: Id, eid: Id) -> Res {
    let e = {
        let mut st = inner.state.lock();
        need_guild(&st, gid, MANAGE_EVENTS)?;
        let e = find(&st, gid, eid)?;
        st.extra.events.remove(&eid);
        st.extra.event_users.retain(|(ev, _)| *ev != eid);
        e
    };
    event_changed(inner, "GUILD_SCHEDULED_EVENT_DELETE", &e);
    no_content()
}

/// `GET .../scheduled-events/{id}/users` (`with_member=true` adds members; `limit` ≤ 100).
pub(super) fn event_users(inner: &Arc<Inner>, gid: Id, eid: Id, c: &Ctx) -> Res {
    let st = inner.state.lock();
    find(&st, gid, eid)?;
    let with_member = c.query.get("with_member").is_some_and(|v| v == "true");
    let limit = c.q_u64("limit").unwrap_or(100).min(100) as usize;
    ok(Value::Array(
        st.extra
            .event_users
            .range((eid, 0)..=(eid, u64::MAX))
            .take(limit)
            .map(|(_, u)| payloads::event_user_entry(&st, gid, eid, *u, with_member))
            .collect(),
    ))
}
