//! The REST API (`/api/v10/...`): routing, auth, faults, the call log, and every handler.

use std::collections::HashMap;
use std::sync::Arc;

use axum::body::Body;
use axum::extract::{FromRequest, Multipart, Request, State as AxState};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::response::{IntoResponse, Response};
use chrono::{Duration as ChronoDuration, Utc};
use serde_json::{Value, json};

use crate::hub::{FaultKind, FeedKind, Gate, Inner, RestCall, intents};
use crate::limits::{self, FormErrors};
use crate::payloads;
use crate::perms::bits::*;
use crate::perms::{base_permissions, channel_permissions};
use crate::state::{
    Attachment, Ban, Channel, ChannelKind, Command, Id, InteractionResponse, InteractionStatus,
    Invite, Member, Message, MessageInteraction, Overwrite, Role, State,
};

/// An API error: status + Discord JSON body.
#[derive(Debug)]
pub(crate) struct ApiErr(pub u16, pub Value);

type Res = Result<(u16, Option<Value>), ApiErr>;

fn err(status: u16, code: u64, msg: &str) -> ApiErr {
    ApiErr(status, payloads::error(code, msg))
}

fn unknown(code: u64, what: &str) -> ApiErr {
    err(404, code, &format!("Unknown {what}"))
}

fn missing_perms() -> ApiErr {
    err(403, 50013, "Missing Permissions")
}

fn missing_access() -> ApiErr {
    err(403, 50001, "Missing Access")
}

fn form(errs: FormErrors) -> ApiErr {
    ApiErr(400, payloads::form_error(errs.into_value()))
}

fn ok(v: Value) -> Res {
    Ok((200, Some(v)))
}

fn no_content() -> Res {
    Ok((204, None))
}

/// A file part of a multipart request.
#[derive(Clone, Debug)]
pub(crate) struct FileIn {
    pub field: String,
    pub filename: String,
    pub content_type: Option<String>,
    pub data: Vec<u8>,
}

/// One parsed request.
pub(crate) struct Ctx {
    pub method: Method,
    pub segs: Vec<String>,
    pub query: HashMap<String, String>,
    pub body: Value,
    pub files: Vec<FileIn>,
    pub reason: Option<String>,
}

impl Ctx {
    fn q_u64(&self, k: &str) -> Option<u64> {
        self.query.get(k).and_then(|v| v.parse().ok())
    }
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            if let Some(b) = std::str::from_utf8(&bytes[i + 1..i + 3])
                .ok()
                .and_then(|h| u8::from_str_radix(h, 16).ok())
            {
                out.push(b);
                i += 3;
                continue;
            }
        }
        out.push(if bytes[i] == b'+' { b' ' } else { bytes[i] });
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn parse_query(q: Option<&str>) -> HashMap<String, String> {
    q.unwrap_or("")
        .split('&')
        .filter(|s| !s.is_empty())
        .map(|kv| {
            let (k, v) = kv.split_once('=').unwrap_or((kv, ""));
            (percent_decode(k), percent_decode(v))
        })
        .collect()
}

/// Route template from concrete segments (`/channels/{channel_id}/messages/{message_id}`).
pub(crate) fn route_template(segs: &[String]) -> String {
    let mut out = String::new();
    let mut prev = "";
    for (i, s) in segs.iter().enumerate() {
        let is_id = s.chars().all(|c| c.is_ascii_digit()) && !s.is_empty();
        let name = match prev {
            "channels" if is_id => "{channel_id}",
            "messages" if is_id => "{message_id}",
            "guilds" if is_id => "{guild_id}",
            "members" | "bans" | "users" if is_id => "{user_id}",
            "roles" if is_id => "{role_id}",
            "applications" if is_id => "{application_id}",
            "commands" if is_id => "{command_id}",
            "interactions" if is_id => "{interaction_id}",
            "webhooks" if is_id => "{webhook_id}",
            "permissions" if is_id => "{overwrite_id}",
            "pins" if is_id => "{message_id}",
            "invites" if i == 1 => "{code}",
            "reactions" => "{emoji}",
            _ if i >= 2 && (segs[i - 2] == "interactions" || segs[i - 2] == "webhooks") => {
                "{token}"
            }
            _ if i >= 2 && segs[i - 2] == "reactions" => {
                if s == "@me" {
                    "@me"
                } else {
                    "{user_id}"
                }
            }
            _ => s.as_str(),
        };
        out.push('/');
        out.push_str(name);
        prev = s.as_str();
    }
    out
}

/// Entry point for every non-websocket request.
pub(crate) async fn handle(AxState(inner): AxState<Arc<Inner>>, req: Request) -> Response {
    let method = req.method().clone();
    let path = req.uri().path().to_owned();
    let query_str = req.uri().query().map(str::to_owned);
    let headers = req.headers().clone();

    if let Some(rest) = path.strip_prefix("/attachments/") {
        return serve_attachment(&inner, rest);
    }
    let api_path = match path.strip_prefix("/api") {
        Some(p) => {
            if let Some(after_v) = p.strip_prefix("/v") {
                let n = after_v.find('/').unwrap_or(after_v.len());
                after_v[n..].to_owned()
            } else {
                p.to_owned()
            }
        }
        None => {
            return json_response(
                404,
                Some(payloads::error(0, "404: Not Found")),
                &HeaderMap::new(),
            );
        }
    };
    let segs: Vec<String> = api_path
        .split('/')
        .filter(|s| !s.is_empty())
        .map(percent_decode)
        .collect();
    let route = route_template(&segs);
    let reason = headers
        .get("x-audit-log-reason")
        .and_then(|v| v.to_str().ok())
        .map(percent_decode);

    // body: JSON or multipart
    let is_multipart = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|ct| ct.starts_with("multipart/form-data"));
    let mut body = Value::Null;
    let mut files = Vec::new();
    if is_multipart {
        match Multipart::from_request(req, &()).await {
            Ok(mut mp) => {
                while let Ok(Some(field)) = mp.next_field().await {
                    let name = field.name().unwrap_or("").to_owned();
                    let filename = field.file_name().map(str::to_owned);
                    let ct = field.content_type().map(str::to_owned);
                    let data = field.bytes().await.map(|b| b.to_vec()).unwrap_or_default();
                    if name == "payload_json" {
                        body = serde_json::from_slice(&data).unwrap_or(Value::Null);
                    } else if let Some(filename) = filename {
                        files.push(FileIn {
                            field: name,
                            filename,
                            content_type: ct,
                            data,
                        });
                    }
                }
            }
            Err(_) => {
                return json_response(
                    400,
                    Some(payloads::error(
                        50109,
                        "The request body contains invalid JSON.",
                    )),
                    &HeaderMap::new(),
                );
            }
        }
    } else {
        let bytes = axum::body::to_bytes(req.into_body(), 64 * 1024 * 1024)
            .await
            .unwrap_or_default();
        if !bytes.is_empty() {
            match serde_json::from_slice(&bytes) {
                Ok(v) => body = v,
                Err(_) => {
                    return json_response(
                        400,
                        Some(payloads::error(
                            50109,
                            "The request body contains invalid JSON.",
                        )),
                        &HeaderMap::new(),
                    );
                }
            }
        }
    }

    let mut call = RestCall {
        method: method.to_string(),
        route: route.clone(),
        path: api_path.clone(),
        query: query_str.clone(),
        body: (!body.is_null()).then(|| body.clone()),
        files: files.iter().map(|f| f.filename.clone()).collect(),
        reason: reason.clone(),
        status: 0,
        response: None,
    };

    // injected faults
    let fault = {
        let mut faults = inner.faults.lock();
        let pos = faults.iter().position(|f| {
            f.times > 0
                && f.method
                    .as_ref()
                    .is_none_or(|m| m.eq_ignore_ascii_case(method.as_str()))
                && f.route_contains
                    .as_ref()
                    .is_none_or(|r| route.contains(r.as_str()) || api_path.contains(r.as_str()))
        });
        pos.map(|p| {
            faults[p].times -= 1;
            let k = faults[p].kind.clone();
            if faults[p].times == 0 {
                faults.remove(p);
            }
            k
        })
    };
    let mut extra_headers = HeaderMap::new();
    let result: Res = match fault {
        Some(FaultKind::Status(code)) => Err(ApiErr(
            code,
            json!({"message": format!("{code}: Injected fault"), "code": 0}),
        )),
        Some(FaultKind::RateLimit {
            retry_after,
            global,
        }) => {
            if let Ok(v) = HeaderValue::from_str(&retry_after.to_string()) {
                extra_headers.insert("retry-after", v);
            }
            if global {
                extra_headers.insert("x-ratelimit-global", HeaderValue::from_static("true"));
            }
            extra_headers.insert(
                "x-ratelimit-scope",
                HeaderValue::from_static(if global { "global" } else { "user" }),
            );
            Err(ApiErr(429, payloads::rate_limited(retry_after, global)))
        }
        other => {
            if let Some(FaultKind::Delay(d)) = other {
                tokio::time::sleep(d).await;
            }
            let first = segs.first().map(String::as_str);
            let public = matches!(first, Some("interactions" | "webhooks"))
                || (first == Some("invites") && method == Method::GET);
            let needs_auth = !public;
            let authed = headers
                .get(header::AUTHORIZATION)
                .and_then(|v| v.to_str().ok())
                .is_some_and(|v| v.strip_prefix("Bot ").unwrap_or(v) == inner.token);
            let limited = if inner.config.rate_limits && first != Some("interactions") {
                let per_channel = (method == Method::POST
                    && segs.len() == 3
                    && segs[0] == "channels"
                    && segs[2] == "messages")
                    .then(|| {
                        inner.take_bucket(
                            &format!("msg:{}", segs[1]),
                            5,
                            std::time::Duration::from_secs(5),
                        )
                    })
                    .flatten();
                per_channel.map(|r| (r, false)).or_else(|| {
                    inner
                        .take_bucket("global", 50, std::time::Duration::from_secs(1))
                        .map(|r| (r, true))
                })
            } else {
                None
            };
            if let Some((retry_after, global)) = limited {
                if let Ok(v) = HeaderValue::from_str(&retry_after.to_string()) {
                    extra_headers.insert("retry-after", v);
                }
                extra_headers.insert(
                    "x-ratelimit-scope",
                    HeaderValue::from_static(if global { "global" } else { "user" }),
                );
                if global {
                    extra_headers.insert("x-ratelimit-global", HeaderValue::from_static("true"));
                }
                Err(ApiErr(429, payloads::rate_limited(retry_after, global)))
            } else if needs_auth && !authed {
                Err(err(401, 0, "401: Unauthorized"))
            } else {
                let ctx = Ctx {
                    method: method.clone(),
                    segs,
                    query: parse_query(query_str.as_deref()),
                    body,
                    files,
                    reason,
                };
                let r = route_request(&inner, &ctx);
                if let Ok((_, resp)) = &r {
                    record_audit(&inner, &ctx, resp.as_ref());
                }
                r
            }
        }
    };
    let (status, resp_body) = match result {
        Ok((s, b)) => (s, b),
        Err(ApiErr(s, b)) => (s, Some(b)),
    };
    call.status = status;
    call.response = resp_body.clone();
    inner.log.lock().push(call);
    inner.bump();
    json_response(status, resp_body, &extra_headers)
}

/// Add an audit-log entry for a successful moderation call.
fn record_audit(inner: &Inner, c: &Ctx, resp: Option<&Value>) {
    let s: Vec<&str> = c.segs.iter().map(String::as_str).collect();
    let m = c.method.as_str();
    let resp_id = || resp.and_then(|r| r["id"].as_str()).map(str::to_owned);
    let (action, target, guild_hint): (u16, Option<String>, Option<Id>) = match (m, s.as_slice()) {
        ("POST", ["guilds", g, "channels"]) => (10, resp_id(), pid(g)),
        ("PATCH", ["channels", ch]) => (11, Some((*ch).to_owned()), None),
        ("DELETE", ["channels", ch]) => (
            12,
            Some((*ch).to_owned()),
            resp.and_then(|r| vid(&r["guild_id"])),
        ),
        ("PUT", ["channels", ch, "permissions", _]) => (14, Some((*ch).to_owned()), None),
        ("DELETE", ["channels", ch, "permissions", _]) => (15, Some((*ch).to_owned()), None),
        ("DELETE", ["guilds", g, "members", u]) => (20, Some((*u).to_owned()), pid(g)),
        ("PUT", ["guilds", g, "bans", u]) => (22, Some((*u).to_owned()), pid(g)),
        ("DELETE", ["guilds", g, "bans", u]) => (23, Some((*u).to_owned()), pid(g)),
        ("PATCH", ["guilds", g, "members", u]) => {
            let only_roles = c
                .body
                .as_object()
                .is_some_and(|o| o.keys().all(|k| k == "roles"));
            (
                if only_roles { 25 } else { 24 },
                Some((*u).to_owned()),
                pid(g),
            )
        }
        ("PUT" | "DELETE", ["guilds", g, "members", u, "roles", _]) => {
            (25, Some((*u).to_owned()), pid(g))
        }
        ("POST", ["guilds", g, "roles"]) => (30, resp_id(), pid(g)),
        ("PATCH", ["guilds", g, "roles", r]) => (31, Some((*r).to_owned()), pid(g)),
        ("DELETE", ["guilds", g, "roles", r]) => (32, Some((*r).to_owned()), pid(g)),
        ("POST", ["channels", ch, "invites"]) => (40, Some((*ch).to_owned()), None),
        ("DELETE", ["invites", _]) => (42, None, resp.and_then(|r| vid(&r["guild"]["id"]))),
        ("POST", ["channels", ch, "messages", "bulk-delete"]) => (73, Some((*ch).to_owned()), None),
        ("PUT", ["channels", ch, "pins", _]) => (74, Some((*ch).to_owned()), None),
        ("DELETE", ["channels", ch, "pins", _]) => (75, Some((*ch).to_owned()), None),
        _ => return,
    };
    let mut st = inner.state.lock();
    let guild_id = guild_hint.or_else(|| {
        let ch = s.get(1).and_then(|x| pid(x))?;
        st.channels.get(&ch).and_then(|c| c.guild_id)
    });
    let Some(guild_id) = guild_id else { return };
    let user_id = st.bot_id;
    st.audit_log.push(crate::state::AuditEntry {
        id: inner.snowflake(),
        guild_id,
        action_type: action,
        user_id,
        target_id: target,
        reason: c.reason.clone(),
        body: c.body.clone(),
    });
}

fn json_response(status: u16, body: Option<Value>, extra: &HeaderMap) -> Response {
    let status = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let mut resp = match body {
        Some(b) => {
            let mut r = (status, b.to_string()).into_response();
            r.headers_mut().insert(
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/json"),
            );
            r
        }
        None => status.into_response(),
    };
    for (k, v) in extra {
        resp.headers_mut().insert(k.clone(), v.clone());
    }
    resp
}

fn serve_attachment(inner: &Inner, rest: &str) -> Response {
    // /attachments/{channel}/{attachment}/{filename}
    let parts: Vec<&str> = rest.split('/').collect();
    let att_id: Option<Id> = parts.get(1).and_then(|s| s.parse().ok());
    let state = inner.state.lock();
    let found = att_id.and_then(|aid| {
        state
            .messages
            .values()
            .flat_map(|m| m.attachments.iter())
            .find(|a| a.id == aid)
            .cloned()
    });
    drop(state);
    match found {
        Some(a) => {
            let mut r = Response::new(Body::from(a.data));
            if let Some(ct) = a.content_type.and_then(|c| HeaderValue::from_str(&c).ok()) {
                r.headers_mut().insert(header::CONTENT_TYPE, ct);
            }
            r
        }
        None => StatusCode::NOT_FOUND.into_response(),
    }
}

fn pid(s: &str) -> Option<Id> {
    s.parse().ok()
}

fn vid(v: &Value) -> Option<Id> {
    match v {
        Value::String(s) => s.parse().ok(),
        Value::Number(n) => n.as_u64(),
        _ => None,
    }
}

fn route_request(inner: &Arc<Inner>, c: &Ctx) -> Res {
    let s: Vec<&str> = c.segs.iter().map(String::as_str).collect();
    let m = &c.method;
    let get = *m == Method::GET;
    let post = *m == Method::POST;
    let put = *m == Method::PUT;
    let patch = *m == Method::PATCH;
    let delete = *m == Method::DELETE;
    let id = |i: usize| -> Result<Id, ApiErr> {
        s.get(i)
            .and_then(|x| pid(x))
            .ok_or_else(|| ApiErr(404, payloads::error(0, "404: Not Found")))
    };
    match s.as_slice() {
        ["gateway"] if get => ok(payloads::gateway(&inner.gateway_url())),
        ["gateway", "bot"] if get => ok(payloads::gateway_bot(&inner.gateway_url())),
        ["oauth2", "applications", "@me"] | ["applications", "@me"] if get => {
            ok(payloads::application(&inner.state.lock()))
        }
        ["users", "@me"] if get => {
            let st = inner.state.lock();
            ok(payloads::user_by_id(&st, st.bot_id))
        }
        ["users", "@me", "channels"] if post => open_dm(inner, c),
        ["users", "@me", "guilds"] if get => {
            let st = inner.state.lock();
            ok(Value::Array(
                st.guilds
                    .values()
                    .map(|g| json!({"id": g.id.to_string(), "name": g.name, "icon": null, "owner": false, "permissions": base_permissions(&st, g.id, st.bot_id).to_string(), "features": []}))
                    .collect(),
            ))
        }
        ["users", "@me", "guilds", _] if delete => no_content(),
        ["users", _] if get => {
            let uid = id(1)?;
            let st = inner.state.lock();
            match st.users.get(&uid) {
                Some(u) => ok(payloads::user(u)),
                None => Err(unknown(10013, "User")),
            }
        }
        // channels
        ["channels", _] if get => {
            let cid = id(1)?;
            let st = inner.state.lock();
            let ch = st
                .channels
                .get(&cid)
                .ok_or_else(|| unknown(10003, "Channel"))?;
            if ch.guild_id.is_some() && channel_permissions(&st, cid, st.bot_id) & VIEW_CHANNEL == 0
            {
                return Err(missing_access());
            }
            ok(payloads::channel(&st, ch))
        }
        ["channels", _] if patch => modify_channel(inner, id(1)?, c),
        ["channels", _] if delete => delete_channel(inner, id(1)?),
        ["channels", _, "messages"] if get => list_messages(inner, id(1)?, c),
        ["channels", _, "messages"] if post => create_message(inner, id(1)?, c),
        ["channels", _, "messages", "bulk-delete"] if post => bulk_delete(inner, id(1)?, c),
        ["channels", _, "messages", _] if get => {
            let (cid, mid) = (id(1)?, id(3)?);
            let st = inner.state.lock();
            check_read(&st, cid)?;
            let msg = st
                .messages
                .get(&mid)
                .filter(|m| m.channel_id == cid && m.visible_to.is_none())
                .ok_or_else(|| unknown(10008, "Message"))?;
            ok(payloads::message(&st, msg, false))
        }
        ["channels", _, "messages", _] if patch => edit_message(inner, id(1)?, id(3)?, c),
        ["channels", _, "messages", _] if delete => delete_message(inner, id(1)?, id(3)?),
        ["channels", _, "messages", _, "crosspost"] if post => {
            let st = inner.state.lock();
            let msg = st
                .messages
                .get(&id(3)?)
                .ok_or_else(|| unknown(10008, "Message"))?;
            ok(payloads::message(&st, msg, false))
        }
        ["channels", _, "messages", _, "reactions"] if delete => {
            clear_reactions(inner, id(1)?, id(3)?, None)
        }
        ["channels", _, "messages", _, "reactions", emoji] if delete => {
            clear_reactions(inner, id(1)?, id(3)?, Some(emoji))
        }
        ["channels", _, "messages", _, "reactions", emoji] if get => {
            list_reactions(inner, id(1)?, id(3)?, emoji)
        }
        ["channels", _, "messages", _, "reactions", emoji, "@me"] if put => {
            add_reaction(inner, id(1)?, id(3)?, emoji)
        }
        ["channels", _, "messages", _, "reactions", emoji, who] if delete => {
            let uid = if *who == "@me" {
                None
            } else {
                Some(pid(who).ok_or_else(|| unknown(10013, "User"))?)
            };
            remove_reaction(inner, id(1)?, id(3)?, emoji, uid)
        }
        ["channels", _, "permissions", _] if put => set_overwrite(inner, id(1)?, id(3)?, c),
        ["channels", _, "permissions", _] if delete => delete_overwrite(inner, id(1)?, id(3)?),
        ["channels", _, "typing"] if post => {
            let st = inner.state.lock();
            st.channels
                .get(&id(1)?)
                .ok_or_else(|| unknown(10003, "Channel"))?;
            no_content()
        }
        ["channels", _, "pins"] | ["channels", _, "messages", "pins"] if get => {
            let cid = id(1)?;
            let st = inner.state.lock();
            check_read(&st, cid)?;
            let pins: Vec<Value> = st
                .channel_messages(cid)
                .into_iter()
                .rev()
                .filter(|m| m.pinned)
                .map(|m| payloads::message(&st, m, false))
                .collect();
            if s.len() == 4 {
                ok(
                    json!({"items": pins.into_iter().map(|m| json!({"pinned_at": payloads::ts(Utc::now()), "message": m})).collect::<Vec<_>>(), "has_more": false}),
                )
            } else {
                ok(Value::Array(pins))
            }
        }
        ["channels", _, "pins", _] | ["channels", _, "messages", "pins", _] if put || delete => {
            let mid = id(s.len() - 1)?;
            pin(inner, id(1)?, mid, put)
        }
        ["channels", _, "invites"] if post => create_invite(inner, id(1)?, c),
        ["channels", _, "invites"] if get => {
            let cid = id(1)?;
            let st = inner.state.lock();
            st.channels
                .get(&cid)
                .ok_or_else(|| unknown(10003, "Channel"))?;
            if channel_permissions(&st, cid, st.bot_id) & MANAGE_CHANNELS == 0 {
                return Err(missing_perms());
            }
            ok(Value::Array(
                st.invites
                    .values()
                    .filter(|i| i.channel_id == cid)
                    .map(|i| payloads::invite(&st, i))
                    .collect(),
            ))
        }
        ["channels", _, "threads"] if post => create_thread(inner, id(1)?, None, c),
        ["channels", _, "messages", _, "threads"] if post => {
            create_thread(inner, id(1)?, Some(id(3)?), c)
        }
        ["invites", code] if get => {
            let st = inner.state.lock();
            let inv = st
                .invites
                .get(*code)
                .ok_or_else(|| unknown(10006, "Invite"))?;
            ok(payloads::invite(&st, inv))
        }
        ["invites", code] if delete => delete_invite(inner, code),
        // guilds
        ["guilds", _] if get => {
            let gid = id(1)?;
            let st = inner.state.lock();
            let g = st.guilds.get(&gid).ok_or_else(|| unknown(10004, "Guild"))?;
            let mut v = payloads::guild(&st, g);
            if c.query.get("with_counts").is_some_and(|v| v == "true") {
                v["approximate_member_count"] = json!(st.guild_members(gid).len());
                v["approximate_presence_count"] = json!(0);
            }
            ok(v)
        }
        ["guilds", _, "channels"] if get => {
            let gid = id(1)?;
            let st = inner.state.lock();
            st.guilds.get(&gid).ok_or_else(|| unknown(10004, "Guild"))?;
            ok(Value::Array(
                st.guild_channels(gid)
                    .into_iter()
                    .map(|ch| payloads::channel(&st, ch))
                    .collect(),
            ))
        }
        ["guilds", _, "channels"] if post => create_channel(inner, id(1)?, c),
        ["guilds", _, "roles"] if get => {
            let gid = id(1)?;
            let st = inner.state.lock();
            st.guilds.get(&gid).ok_or_else(|| unknown(10004, "Guild"))?;
            ok(Value::Array(
                st.guild_roles(gid)
                    .into_iter()
                    .map(payloads::role)
                    .collect(),
            ))
        }
        ["guilds", _, "roles"] if post => create_role(inner, id(1)?, c),
        ["guilds", _, "roles", _] if get => {
            let st = inner.state.lock();
            let r = st
                .roles
                .get(&id(3)?)
                .filter(|r| r.guild_id == id(1).unwrap_or(0))
                .ok_or_else(|| unknown(10011, "Role"))?;
            ok(payloads::role(r))
        }
        ["guilds", _, "roles", _] if patch => modify_role(inner, id(1)?, id(3)?, c),
        ["guilds", _, "roles", _] if delete => delete_role(inner, id(1)?, id(3)?),
        ["guilds", _, "members"] if get => {
            let gid = id(1)?;
            let st = inner.state.lock();
            st.guilds.get(&gid).ok_or_else(|| unknown(10004, "Guild"))?;
            let limit = c.q_u64("limit").unwrap_or(1).clamp(1, 1000) as usize;
            let after = c.q_u64("after").unwrap_or(0);
            ok(Value::Array(
                st.guild_members(gid)
                    .into_iter()
                    .filter(|m| m.user_id > after)
                    .take(limit)
                    .map(|m| payloads::member_with_guild(&st, m))
                    .collect(),
            ))
        }
        ["guilds", _, "members", "search"] if get => {
            let gid = id(1)?;
            let st = inner.state.lock();
            let q = c
                .query
                .get("query")
                .cloned()
                .unwrap_or_default()
                .to_lowercase();
            let limit = c.q_u64("limit").unwrap_or(1).clamp(1, 1000) as usize;
            ok(Value::Array(
                st.guild_members(gid)
                    .into_iter()
                    .filter(|m| {
                        st.users
                            .get(&m.user_id)
                            .is_some_and(|u| u.name.to_lowercase().starts_with(&q))
                            || m.nick
                                .as_ref()
                                .is_some_and(|n| n.to_lowercase().starts_with(&q))
                    })
                    .take(limit)
                    .map(|m| payloads::member_with_guild(&st, m))
                    .collect(),
            ))
        }
        ["guilds", _, "members", "@me"] if patch => {
            let bot = inner.state.lock().bot_id;
            modify_member(inner, id(1)?, bot, c)
        }
        ["guilds", _, "members", _] if get => {
            let (gid, uid) = (id(1)?, id(3)?);
            let st = inner.state.lock();
            st.guilds.get(&gid).ok_or_else(|| unknown(10004, "Guild"))?;
            let mem = st
                .members
                .get(&(gid, uid))
                .ok_or_else(|| unknown(10007, "Member"))?;
            ok(payloads::member_with_guild(&st, mem))
        }
        ["guilds", _, "members", _] if patch => modify_member(inner, id(1)?, id(3)?, c),
        ["guilds", _, "members", _] if delete => kick(inner, id(1)?, id(3)?, c),
        ["guilds", _, "members", _, "roles", _] if put || delete => {
            member_role(inner, id(1)?, id(3)?, id(5)?, put)
        }
        ["guilds", _, "bans"] if get => {
            let gid = id(1)?;
            let st = inner.state.lock();
            need_guild(&st, gid, BAN_MEMBERS)?;
            ok(Value::Array(
                st.bans
                    .values()
                    .filter(|b| b.guild_id == gid)
                    .map(|b| payloads::ban(&st, b))
                    .collect(),
            ))
        }
        ["guilds", _, "bans", _] if get => {
            let (gid, uid) = (id(1)?, id(3)?);
            let st = inner.state.lock();
            need_guild(&st, gid, BAN_MEMBERS)?;
            let b = st
                .bans
                .get(&(gid, uid))
                .ok_or_else(|| unknown(10026, "Ban"))?;
            ok(payloads::ban(&st, b))
        }
        ["guilds", _, "bans", _] if put => ban(inner, id(1)?, id(3)?, c),
        ["guilds", _, "bans", _] if delete => unban(inner, id(1)?, id(3)?),
        ["guilds", _, "invites"] if get => {
            let gid = id(1)?;
            let st = inner.state.lock();
            need_guild(&st, gid, MANAGE_GUILD)?;
            ok(Value::Array(
                st.invites
                    .values()
                    .filter(|i| i.guild_id == gid)
                    .map(|i| payloads::invite(&st, i))
                    .collect(),
            ))
        }
        ["guilds", _, "audit-logs"] if get => {
            let gid = id(1)?;
            let st = inner.state.lock();
            need_guild(&st, gid, VIEW_AUDIT_LOG)?;
            let limit = c.q_u64("limit").unwrap_or(50).clamp(1, 100) as usize;
            let entries: Vec<&crate::state::AuditEntry> = st
                .audit_log
                .iter()
                .rev()
                .filter(|e| e.guild_id == gid)
                .filter(|e| c.q_u64("user_id").is_none_or(|u| e.user_id == u))
                .filter(|e| {
                    c.q_u64("action_type")
                        .is_none_or(|a| u64::from(e.action_type) == a)
                })
                .filter(|e| c.q_u64("before").is_none_or(|b| e.id < b))
                .take(limit)
                .collect();
            ok(payloads::audit_log(&st, &entries))
        }
        // application commands
        ["applications", _, "commands"] => commands_route(inner, id(1)?, None, None, c),
        ["applications", _, "commands", _] => commands_route(inner, id(1)?, None, Some(id(3)?), c),
        ["applications", _, "guilds", _, "commands"] => {
            commands_route(inner, id(1)?, Some(id(3)?), None, c)
        }
        ["applications", _, "guilds", _, "commands", _] => {
            commands_route(inner, id(1)?, Some(id(3)?), Some(id(5)?), c)
        }
        // interactions
        ["interactions", _, token, "callback"] if post => {
            crate::interactions::callback(inner, id(1)?, token, c)
        }
        ["webhooks", _, token] if post => crate::interactions::followup(inner, id(1)?, token, c),
        ["webhooks", _, token, "messages", mid] => {
            crate::interactions::webhook_message(inner, id(1)?, token, mid, c)
        }
        _ => Err(ApiErr(404, json!({"message": "404: Not Found", "code": 0}))),
    }
}

// ----- helpers shared with interactions -----

pub(crate) fn need(st: &State, channel_id: Id, bits: u64) -> Result<(), ApiErr> {
    let p = channel_permissions(st, channel_id, st.bot_id);
    if p & VIEW_CHANNEL == 0 {
        return Err(missing_access());
    }
    if p & bits != bits {
        return Err(missing_perms());
    }
    Ok(())
}

pub(crate) fn need_guild(st: &State, guild_id: Id, bits: u64) -> Result<(), ApiErr> {
    if !st.guilds.contains_key(&guild_id) {
        return Err(unknown(10004, "Guild"));
    }
    if base_permissions(st, guild_id, st.bot_id) & bits != bits {
        return Err(missing_perms());
    }
    Ok(())
}

/// The bot must be above the target in the role hierarchy (and the target must not be the owner).
fn above(st: &State, guild_id: Id, target: Id) -> Result<(), ApiErr> {
    if target == st.bot_id {
        return Ok(());
    }
    if st
        .guilds
        .get(&guild_id)
        .is_some_and(|g| g.owner_id == target)
    {
        return Err(missing_perms());
    }
    if st.top_position(guild_id, st.bot_id) <= st.top_position(guild_id, target) {
        return Err(missing_perms());
    }
    Ok(())
}

fn check_read(st: &State, cid: Id) -> Result<&Channel, ApiErr> {
    let ch = st
        .channels
        .get(&cid)
        .ok_or_else(|| unknown(10003, "Channel"))?;
    if ch.guild_id.is_some() {
        need(st, cid, VIEW_CHANNEL | READ_MESSAGE_HISTORY)?;
    }
    Ok(ch)
}

fn gate_for_message(st: &State, m: &Message) -> Gate {
    let mentions_bot = m.mentions.contains(&st.bot_id);
    Gate {
        intent: Some(if m.guild_id.is_some() {
            intents::GUILD_MESSAGES
        } else {
            intents::DIRECT_MESSAGES
        }),
        guild_id: m.guild_id,
        content_gated: m.guild_id.is_some() && m.author_id != st.bot_id && !mentions_bot,
    }
}

fn gate_guild(intent: u64, guild_id: Id) -> Gate {
    Gate {
        intent: Some(intent),
        guild_id: Some(guild_id),
        content_gated: false,
    }
}

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
    let components = body["components"].as_array().cloned().unwrap_or_default();
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

fn build_attachments(
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
                if e.get("type").is_none() {
                    e["type"] = json!("rich");
                }
            }
        }
        if o.contains_key("components") {
            msg.components = body["components"].as_array().cloned().unwrap_or_default();
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

fn create_message(inner: &Arc<Inner>, cid: Id, c: &Ctx) -> Res {
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

fn edit_message(inner: &Arc<Inner>, cid: Id, mid: Id, c: &Ctx) -> Res {
    let mut msg = {
        let st = inner.state.lock();
        st.channels
            .get(&cid)
            .ok_or_else(|| unknown(10003, "Channel"))?;
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

fn delete_message(inner: &Arc<Inner>, cid: Id, mid: Id) -> Res {
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

fn bulk_delete(inner: &Arc<Inner>, cid: Id, c: &Ctx) -> Res {
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

fn list_messages(inner: &Arc<Inner>, cid: Id, c: &Ctx) -> Res {
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

fn pin(inner: &Arc<Inner>, cid: Id, mid: Id, on: bool) -> Res {
    let msg = {
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
        m.pinned = on;
        m.clone()
    };
    store_edit(inner, msg);
    no_content()
}

// ----- reactions -----

fn reaction_gate(m: &Message) -> Gate {
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

fn valid_emoji(e: &str) -> bool {
    !e.is_empty() && !e.chars().all(|c| c.is_ascii_alphanumeric())
}

fn add_reaction(inner: &Arc<Inner>, cid: Id, mid: Id, emoji: &str) -> Res {
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

fn remove_reaction(inner: &Arc<Inner>, cid: Id, mid: Id, emoji: &str, user: Option<Id>) -> Res {
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

fn clear_reactions(inner: &Arc<Inner>, cid: Id, mid: Id, emoji: Option<&str>) -> Res {
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

fn list_reactions(inner: &Arc<Inner>, cid: Id, mid: Id, emoji: &str) -> Res {
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

// ----- DMs -----

fn open_dm(inner: &Arc<Inner>, c: &Ctx) -> Res {
    let uid = vid(&c.body["recipient_id"]).ok_or_else(|| {
        let mut e = FormErrors::default();
        e.push(
            &["recipient_id".to_owned()],
            "BASE_TYPE_REQUIRED",
            "This field is required",
        );
        form(e)
    })?;
    let mut st = inner.state.lock();
    if !st.users.contains_key(&uid) {
        return Err(unknown(10013, "User"));
    }
    if let Some(ch) = st.dm_channel(uid) {
        return ok(payloads::channel(&st, ch));
    }
    let ch = Channel {
        id: inner.snowflake(),
        kind: ChannelKind::Dm,
        guild_id: None,
        name: String::new(),
        position: 0,
        parent_id: None,
        topic: None,
        nsfw: false,
        rate_limit_per_user: 0,
        overwrites: vec![],
        recipients: vec![uid],
        bitrate: 0,
        user_limit: 0,
        last_message_id: None,
        owner_id: None,
    };
    let v = payloads::channel(&st, &ch);
    st.channels.insert(ch.id, ch);
    ok(v)
}

// ----- channels -----

fn parse_overwrites(v: &Value) -> Vec<Overwrite> {
    v.as_array()
        .into_iter()
        .flatten()
        .filter_map(|o| {
            Some(Overwrite {
                id: vid(&o["id"])?,
                member: o["type"].as_u64() == Some(1) || o["type"] == "member",
                allow: o["allow"]
                    .as_str()
                    .and_then(|s| s.parse().ok())
                    .or(o["allow"].as_u64())
                    .unwrap_or(0),
                deny: o["deny"]
                    .as_str()
                    .and_then(|s| s.parse().ok())
                    .or(o["deny"].as_u64())
                    .unwrap_or(0),
            })
        })
        .collect()
}

fn channel_form_check(body: &Value, creating: bool) -> Result<(), ApiErr> {
    let mut e = FormErrors::default();
    let name_len = body["name"].as_str().map(|s| s.chars().count());
    if (creating && name_len.is_none()) || name_len.is_some_and(|l| l == 0 || l > 100) {
        e.push(
            &["name".to_owned()],
            "BASE_TYPE_BAD_LENGTH",
            "Must be between 1 and 100 in length.",
        );
    }
    if body["topic"]
        .as_str()
        .is_some_and(|t| t.chars().count() > 1024)
    {
        e.push(
            &["topic".to_owned()],
            "BASE_TYPE_MAX_LENGTH",
            "Must be 1024 or fewer in length.",
        );
    }
    if body["rate_limit_per_user"]
        .as_u64()
        .is_some_and(|r| r > 21600)
    {
        e.push(
            &["rate_limit_per_user".to_owned()],
            "NUMBER_TYPE_MAX",
            "int value should be less than or equal to 21600.",
        );
    }
    if e.is_empty() { Ok(()) } else { Err(form(e)) }
}

fn create_channel(inner: &Arc<Inner>, gid: Id, c: &Ctx) -> Res {
    channel_form_check(&c.body, true)?;
    let (v, ch) = {
        let mut st = inner.state.lock();
        need_guild(&st, gid, MANAGE_CHANNELS)?;
        let kind = ChannelKind::from_code(c.body["type"].as_u64().unwrap_or(0))
            .unwrap_or(ChannelKind::Text);
        let position = st.guild_channels(gid).len() as i64;
        let ch = Channel {
            id: inner.snowflake(),
            kind,
            guild_id: Some(gid),
            name: c.body["name"].as_str().unwrap_or("").to_owned(),
            position: c.body["position"].as_i64().unwrap_or(position),
            parent_id: vid(&c.body["parent_id"]),
            topic: c.body["topic"].as_str().map(str::to_owned),
            nsfw: c.body["nsfw"].as_bool().unwrap_or(false),
            rate_limit_per_user: c.body["rate_limit_per_user"].as_u64().unwrap_or(0),
            overwrites: parse_overwrites(&c.body["permission_overwrites"]),
            recipients: vec![],
            bitrate: c.body["bitrate"].as_u64().unwrap_or(64000),
            user_limit: c.body["user_limit"].as_u64().unwrap_or(0),
            last_message_id: None,
            owner_id: None,
        };
        st.channels.insert(ch.id, ch.clone());
        (payloads::channel(&st, &ch), ch)
    };
    inner.dispatch("CHANNEL_CREATE", &v, gate_guild(intents::GUILDS, gid));
    let _ = ch;
    ok(v)
}

fn modify_channel(inner: &Arc<Inner>, cid: Id, c: &Ctx) -> Res {
    channel_form_check(&c.body, false)?;
    let (v, gid, thread) = {
        let mut st = inner.state.lock();
        let ch = st
            .channels
            .get(&cid)
            .ok_or_else(|| unknown(10003, "Channel"))?
            .clone();
        let Some(gid) = ch.guild_id else {
            return Err(err(403, 50003, "Cannot execute action on a DM channel"));
        };
        let mut bits = if ch.kind.is_thread() {
            MANAGE_THREADS
        } else {
            MANAGE_CHANNELS
        };
        if c.body.get("permission_overwrites").is_some() {
            bits |= MANAGE_ROLES;
        }
        need(&st, cid, bits)?;
        let ch = st.channels.get_mut(&cid).expect("checked");
        let b = &c.body;
        if let Some(n) = b["name"].as_str() {
            ch.name = n.to_owned();
        }
        if b.get("topic").is_some() {
            ch.topic = b["topic"].as_str().map(str::to_owned);
        }
        if let Some(x) = b["nsfw"].as_bool() {
            ch.nsfw = x;
        }
        if let Some(x) = b["rate_limit_per_user"].as_u64() {
            ch.rate_limit_per_user = x;
        }
        if let Some(x) = b["position"].as_i64() {
            ch.position = x;
        }
        if b.get("parent_id").is_some() {
            ch.parent_id = vid(&b["parent_id"]);
        }
        if b.get("permission_overwrites").is_some() {
            ch.overwrites = parse_overwrites(&b["permission_overwrites"]);
        }
        if let Some(x) = b["bitrate"].as_u64() {
            ch.bitrate = x;
        }
        if let Some(x) = b["user_limit"].as_u64() {
            ch.user_limit = x;
        }
        let ch = ch.clone();
        (payloads::channel(&st, &ch), gid, ch.kind.is_thread())
    };
    inner.dispatch(
        if thread {
            "THREAD_UPDATE"
        } else {
            "CHANNEL_UPDATE"
        },
        &v,
        gate_guild(intents::GUILDS, gid),
    );
    ok(v)
}

fn delete_channel(inner: &Arc<Inner>, cid: Id) -> Res {
    let (v, gid, thread) = {
        let mut st = inner.state.lock();
        let ch = st
            .channels
            .get(&cid)
            .ok_or_else(|| unknown(10003, "Channel"))?
            .clone();
        let Some(gid) = ch.guild_id else {
            return ok(payloads::channel(&st, &ch));
        };
        need(
            &st,
            cid,
            if ch.kind.is_thread() {
                MANAGE_THREADS
            } else {
                MANAGE_CHANNELS
            },
        )?;
        let v = payloads::channel(&st, &ch);
        st.channels.remove(&cid);
        st.messages.retain(|_, m| m.channel_id != cid);
        (v, gid, ch.kind.is_thread())
    };
    let v2 = if thread {
        json!({"id": v["id"], "guild_id": v["guild_id"], "parent_id": v["parent_id"], "type": v["type"]})
    } else {
        v.clone()
    };
    inner.dispatch(
        if thread {
            "THREAD_DELETE"
        } else {
            "CHANNEL_DELETE"
        },
        &v2,
        gate_guild(intents::GUILDS, gid),
    );
    ok(v)
}

fn set_overwrite(inner: &Arc<Inner>, cid: Id, target: Id, c: &Ctx) -> Res {
    let (v, gid) = {
        let mut st = inner.state.lock();
        let ch = st
            .channels
            .get(&cid)
            .ok_or_else(|| unknown(10003, "Channel"))?;
        let Some(gid) = ch.guild_id else {
            return Err(err(403, 50003, "Cannot execute action on a DM channel"));
        };
        need(&st, cid, MANAGE_ROLES)?;
        let parse = |k: &str| {
            c.body[k]
                .as_str()
                .and_then(|s| s.parse().ok())
                .or(c.body[k].as_u64())
                .unwrap_or(0u64)
        };
        let (allow, deny) = (parse("allow"), parse("deny"));
        // Discord: you cannot grant permissions you do not have yourself
        let mine = channel_permissions(&st, cid, st.bot_id);
        if mine & ADMINISTRATOR == 0
            && mine != crate::perms::bits::ALL
            && (allow | deny) & !mine != 0
        {
            return Err(missing_perms());
        }
        let member = c.body["type"].as_u64() == Some(1);
        let ch = st.channels.get_mut(&cid).expect("checked");
        ch.overwrites.retain(|o| o.id != target);
        ch.overwrites.push(Overwrite {
            id: target,
            member,
            allow,
            deny,
        });
        let ch = ch.clone();
        (payloads::channel(&st, &ch), gid)
    };
    inner.dispatch("CHANNEL_UPDATE", &v, gate_guild(intents::GUILDS, gid));
    no_content()
}

fn delete_overwrite(inner: &Arc<Inner>, cid: Id, target: Id) -> Res {
    let (v, gid) = {
        let mut st = inner.state.lock();
        let ch = st
            .channels
            .get(&cid)
            .ok_or_else(|| unknown(10003, "Channel"))?;
        let Some(gid) = ch.guild_id else {
            return Err(err(403, 50003, "Cannot execute action on a DM channel"));
        };
        need(&st, cid, MANAGE_ROLES)?;
        let ch = st.channels.get_mut(&cid).expect("checked");
        ch.overwrites.retain(|o| o.id != target);
        let ch = ch.clone();
        (payloads::channel(&st, &ch), gid)
    };
    inner.dispatch("CHANNEL_UPDATE", &v, gate_guild(intents::GUILDS, gid));
    no_content()
}

fn create_thread(inner: &Arc<Inner>, cid: Id, from_message: Option<Id>, c: &Ctx) -> Res {
    let (v, gid) = {
        let mut st = inner.state.lock();
        let parent = st
            .channels
            .get(&cid)
            .ok_or_else(|| unknown(10003, "Channel"))?
            .clone();
        let Some(gid) = parent.guild_id else {
            return Err(err(
                400,
                50024,
                "Cannot execute action on this channel type",
            ));
        };
        let private = from_message.is_none() && c.body["type"].as_u64() == Some(12);
        need(
            &st,
            cid,
            if private {
                1 << 36
            } else {
                CREATE_PUBLIC_THREADS
            },
        )?;
        let name = c.body["name"].as_str().unwrap_or("");
        if name.is_empty() || name.chars().count() > 100 {
            let mut e = FormErrors::default();
            e.push(
                &["name".to_owned()],
                "BASE_TYPE_BAD_LENGTH",
                "Must be between 1 and 100 in length.",
            );
            return Err(form(e));
        }
        if let Some(mid) = from_message {
            st.messages
                .get(&mid)
                .filter(|m| m.channel_id == cid)
                .ok_or_else(|| unknown(10008, "Message"))?;
        }
        let ch = Channel {
            id: from_message.unwrap_or_else(|| inner.snowflake()),
            kind: if private {
                ChannelKind::PrivateThread
            } else {
                ChannelKind::PublicThread
            },
            guild_id: Some(gid),
            name: name.to_owned(),
            position: 0,
            parent_id: Some(cid),
            topic: None,
            nsfw: false,
            rate_limit_per_user: 0,
            overwrites: vec![],
            recipients: vec![],
            bitrate: 0,
            user_limit: 0,
            last_message_id: None,
            owner_id: Some(st.bot_id),
        };
        st.channels.insert(ch.id, ch.clone());
        let mut v = payloads::channel(&st, &ch);
        v["newly_created"] = json!(true);
        (v, gid)
    };
    inner.dispatch("THREAD_CREATE", &v, gate_guild(intents::GUILDS, gid));
    Ok((201, Some(v)))
}

// ----- invites -----

fn create_invite(inner: &Arc<Inner>, cid: Id, c: &Ctx) -> Res {
    let (v, ev, gid) = {
        let mut st = inner.state.lock();
        let ch = st
            .channels
            .get(&cid)
            .ok_or_else(|| unknown(10003, "Channel"))?;
        let Some(gid) = ch.guild_id else {
            return Err(err(
                400,
                50024,
                "Cannot execute action on this channel type",
            ));
        };
        need(&st, cid, CREATE_INSTANT_INVITE)?;
        let max_age = c.body["max_age"].as_u64().unwrap_or(86400);
        if max_age > 604_800 {
            let mut e = FormErrors::default();
            e.push(
                &["max_age".to_owned()],
                "NUMBER_TYPE_MAX",
                "int value should be less than or equal to 604800.",
            );
            return Err(form(e));
        }
        let code: String = (0..8)
            .map(|_| {
                let chars = b"ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";
                chars[rand::random_range(0..chars.len())] as char
            })
            .collect();
        let inv = Invite {
            code: code.clone(),
            guild_id: gid,
            channel_id: cid,
            inviter_id: st.bot_id,
            max_age,
            max_uses: c.body["max_uses"].as_u64().unwrap_or(0),
            uses: 0,
            temporary: c.body["temporary"].as_bool().unwrap_or(false),
            created_at: Utc::now(),
        };
        st.invites.insert(code, inv.clone());
        (
            payloads::invite(&st, &inv),
            payloads::invite_create(&st, &inv),
            gid,
        )
    };
    inner.dispatch(
        "INVITE_CREATE",
        &ev,
        gate_guild(intents::GUILD_INVITES, gid),
    );
    ok(v)
}

fn delete_invite(inner: &Arc<Inner>, code: &str) -> Res {
    let (v, ev, gid) = {
        let mut st = inner.state.lock();
        let inv = st
            .invites
            .get(code)
            .ok_or_else(|| unknown(10006, "Invite"))?
            .clone();
        let can = channel_permissions(&st, inv.channel_id, st.bot_id) & MANAGE_CHANNELS != 0
            || base_permissions(&st, inv.guild_id, st.bot_id) & MANAGE_GUILD != 0;
        if !can {
            return Err(missing_perms());
        }
        let v = payloads::invite(&st, &inv);
        st.invites.remove(code);
        (v, payloads::invite_delete(&inv), inv.guild_id)
    };
    inner.dispatch(
        "INVITE_DELETE",
        &ev,
        gate_guild(intents::GUILD_INVITES, gid),
    );
    ok(v)
}

// ----- roles -----

fn parse_perm(v: &Value) -> Option<u64> {
    v.as_str().and_then(|s| s.parse().ok()).or(v.as_u64())
}

fn create_role(inner: &Arc<Inner>, gid: Id, c: &Ctx) -> Res {
    let v = {
        let mut st = inner.state.lock();
        need_guild(&st, gid, MANAGE_ROLES)?;
        if c.body["name"]
            .as_str()
            .is_some_and(|n| n.chars().count() > 100)
        {
            let mut e = FormErrors::default();
            e.push(
                &["name".to_owned()],
                "BASE_TYPE_MAX_LENGTH",
                "Must be 100 or fewer in length.",
            );
            return Err(form(e));
        }
        let permissions = parse_perm(&c.body["permissions"])
            .unwrap_or(st.roles.get(&gid).map_or(0, |r| r.permissions));
        let mine = base_permissions(&st, gid, st.bot_id);
        if mine & ADMINISTRATOR == 0 && mine != crate::perms::bits::ALL && permissions & !mine != 0
        {
            return Err(missing_perms());
        }
        // new roles go right above @everyone
        for r in st
            .roles
            .values_mut()
            .filter(|r| r.guild_id == gid && r.position >= 1)
        {
            r.position += 1;
        }
        let role = Role {
            id: inner.snowflake(),
            guild_id: gid,
            name: c.body["name"].as_str().unwrap_or("new role").to_owned(),
            permissions,
            position: 1,
            color: c.body["color"].as_u64().unwrap_or(0) as u32,
            hoist: c.body["hoist"].as_bool().unwrap_or(false),
            mentionable: c.body["mentionable"].as_bool().unwrap_or(false),
            managed: false,
            bot_id: None,
        };
        st.roles.insert(role.id, role.clone());
        payloads::role(&role)
    };
    inner.dispatch(
        "GUILD_ROLE_CREATE",
        &json!({"guild_id": gid.to_string(), "role": v}),
        gate_guild(intents::GUILDS, gid),
    );
    ok(v)
}

fn modify_role(inner: &Arc<Inner>, gid: Id, rid: Id, c: &Ctx) -> Res {
    let v = {
        let mut st = inner.state.lock();
        need_guild(&st, gid, MANAGE_ROLES)?;
        let role = st
            .roles
            .get(&rid)
            .filter(|r| r.guild_id == gid)
            .ok_or_else(|| unknown(10011, "Role"))?;
        if rid != gid && role.position >= st.top_position(gid, st.bot_id) {
            return Err(missing_perms());
        }
        let mine = base_permissions(&st, gid, st.bot_id);
        if let Some(p) = parse_perm(&c.body["permissions"]) {
            if mine & ADMINISTRATOR == 0
                && mine != crate::perms::bits::ALL
                && p & !mine & !role.permissions != 0
            {
                return Err(missing_perms());
            }
        }
        let r = st.roles.get_mut(&rid).expect("checked");
        if let Some(n) = c.body["name"].as_str() {
            r.name = n.to_owned();
        }
        if let Some(p) = parse_perm(&c.body["permissions"]) {
            r.permissions = p;
        }
        if let Some(x) = c.body["color"].as_u64() {
            r.color = x as u32;
        }
        if let Some(x) = c.body["hoist"].as_bool() {
            r.hoist = x;
        }
        if let Some(x) = c.body["mentionable"].as_bool() {
            r.mentionable = x;
        }
        payloads::role(r)
    };
    inner.dispatch(
        "GUILD_ROLE_UPDATE",
        &json!({"guild_id": gid.to_string(), "role": v}),
        gate_guild(intents::GUILDS, gid),
    );
    ok(v)
}

fn delete_role(inner: &Arc<Inner>, gid: Id, rid: Id) -> Res {
    {
        let mut st = inner.state.lock();
        need_guild(&st, gid, MANAGE_ROLES)?;
        let role = st
            .roles
            .get(&rid)
            .filter(|r| r.guild_id == gid)
            .ok_or_else(|| unknown(10011, "Role"))?;
        if rid == gid || role.managed {
            return Err(err(400, 50028, "Invalid Role"));
        }
        if role.position >= st.top_position(gid, st.bot_id) {
            return Err(missing_perms());
        }
        st.roles.remove(&rid);
        for m in st.members.values_mut().filter(|m| m.guild_id == gid) {
            m.roles.retain(|r| *r != rid);
        }
    }
    inner.dispatch(
        "GUILD_ROLE_DELETE",
        &payloads::role_delete(gid, rid),
        gate_guild(intents::GUILDS, gid),
    );
    no_content()
}

// ----- members -----

fn member_update_dispatch(inner: &Inner, gid: Id, uid: Id) -> Option<Value> {
    let v = {
        let st = inner.state.lock();
        let m = st.members.get(&(gid, uid))?;
        payloads::member_with_guild(&st, m)
    };
    inner.dispatch(
        "GUILD_MEMBER_UPDATE",
        &v,
        gate_guild(intents::GUILD_MEMBERS, gid),
    );
    Some(v)
}

fn modify_member(inner: &Arc<Inner>, gid: Id, uid: Id, c: &Ctx) -> Res {
    let b = &c.body;
    let mut voice_ev = None;
    {
        let mut st = inner.state.lock();
        st.guilds.get(&gid).ok_or_else(|| unknown(10004, "Guild"))?;
        let old = st
            .members
            .get(&(gid, uid))
            .ok_or_else(|| unknown(10007, "Member"))?
            .clone();
        let bot = st.bot_id;
        let perms = base_permissions(&st, gid, bot);
        let has = |bits: u64| perms & bits == bits;
        let mut new = old.clone();
        if b.get("nick").is_some() {
            let nick = b["nick"]
                .as_str()
                .filter(|s| !s.is_empty())
                .map(str::to_owned);
            if nick.as_ref().is_some_and(|n| n.chars().count() > 32) {
                let mut e = FormErrors::default();
                e.push(
                    &["nick".to_owned()],
                    "BASE_TYPE_MAX_LENGTH",
                    "Must be 32 or fewer in length.",
                );
                return Err(form(e));
            }
            if uid == bot {
                if !has(CHANGE_NICKNAME) && !has(MANAGE_NICKNAMES) {
                    return Err(missing_perms());
                }
            } else {
                if !has(MANAGE_NICKNAMES) {
                    return Err(missing_perms());
                }
                above(&st, gid, uid)?;
            }
            new.nick = nick;
        }
        if let Some(roles) = b["roles"].as_array() {
            if !has(MANAGE_ROLES) {
                return Err(missing_perms());
            }
            let wanted: Vec<Id> = roles.iter().filter_map(vid).collect();
            let top = st.top_position(gid, bot);
            for r in wanted
                .iter()
                .filter(|r| !old.roles.contains(r))
                .chain(old.roles.iter().filter(|r| !wanted.contains(r)))
            {
                let role = st
                    .roles
                    .get(r)
                    .filter(|x| x.guild_id == gid)
                    .ok_or_else(|| unknown(10011, "Role"))?;
                if role.managed || role.position >= top {
                    return Err(missing_perms());
                }
            }
            new.roles = wanted;
        }
        if b.get("communication_disabled_until").is_some() {
            if !has(MODERATE_MEMBERS) {
                return Err(missing_perms());
            }
            above(&st, gid, uid)?;
            if base_permissions(&st, gid, uid) & ADMINISTRATOR != 0 {
                return Err(missing_perms());
            }
            let until = match b["communication_disabled_until"].as_str() {
                Some(s) => Some(
                    chrono::DateTime::parse_from_rfc3339(s)
                        .map_err(|_| {
                            let mut e = FormErrors::default();
                            e.push(
                                &["communication_disabled_until".to_owned()],
                                "DATE_TIME_TYPE_PARSE",
                                "Could not parse the date.",
                            );
                            form(e)
                        })?
                        .with_timezone(&Utc),
                ),
                None => None,
            };
            if until.is_some_and(|u| u > Utc::now() + ChronoDuration::days(28)) {
                let mut e = FormErrors::default();
                e.push(
                    &["communication_disabled_until".to_owned()],
                    "COMMUNICATION_DISABLED_TIMESTAMP_TOO_LONG",
                    "Timeout duration cannot exceed 28 days.",
                );
                return Err(form(e));
            }
            new.communication_disabled_until = until.filter(|u| *u > Utc::now());
        }
        if let Some(x) = b["mute"].as_bool() {
            if !has(MUTE_MEMBERS) {
                return Err(missing_perms());
            }
            new.mute = x;
        }
        if let Some(x) = b["deaf"].as_bool() {
            if !has(DEAFEN_MEMBERS) {
                return Err(missing_perms());
            }
            new.deaf = x;
        }
        if b.get("channel_id").is_some() {
            if !has(MOVE_MEMBERS) {
                return Err(missing_perms());
            }
            let target = vid(&b["channel_id"]);
            let Some(vs) = st.voice_states.get_mut(&(gid, uid)) else {
                return Err(err(400, 40032, "Target user is not connected to voice."));
            };
            vs.channel_id = target;
            let vs = vs.clone();
            if target.is_none() {
                st.voice_states.remove(&(gid, uid));
            }
            voice_ev = Some(vs);
        }
        st.members.insert((gid, uid), new);
    }
    if let Some(vs) = voice_ev {
        let v = payloads::voice_state(&inner.state.lock(), &vs);
        inner.dispatch(
            "VOICE_STATE_UPDATE",
            &v,
            gate_guild(intents::GUILD_VOICE_STATES, gid),
        );
    }
    let v = member_update_dispatch(inner, gid, uid).unwrap_or(Value::Null);
    ok(v)
}

fn member_role(inner: &Arc<Inner>, gid: Id, uid: Id, rid: Id, add: bool) -> Res {
    {
        let mut st = inner.state.lock();
        need_guild(&st, gid, MANAGE_ROLES)?;
        let role = st
            .roles
            .get(&rid)
            .filter(|r| r.guild_id == gid)
            .ok_or_else(|| unknown(10011, "Role"))?;
        if role.managed || rid == gid || role.position >= st.top_position(gid, st.bot_id) {
            return Err(missing_perms());
        }
        let m = st
            .members
            .get_mut(&(gid, uid))
            .ok_or_else(|| unknown(10007, "Member"))?;
        let had = m.roles.contains(&rid);
        if add == had {
            return no_content();
        }
        if add {
            m.roles.push(rid);
        } else {
            m.roles.retain(|r| *r != rid);
        }
    }
    member_update_dispatch(inner, gid, uid);
    no_content()
}

fn kick(inner: &Arc<Inner>, gid: Id, uid: Id, _c: &Ctx) -> Res {
    let ev = {
        let mut st = inner.state.lock();
        need_guild(&st, gid, KICK_MEMBERS)?;
        st.members
            .get(&(gid, uid))
            .ok_or_else(|| unknown(10007, "Member"))?;
        above(&st, gid, uid)?;
        st.members.remove(&(gid, uid));
        st.voice_states.remove(&(gid, uid));
        payloads::member_remove(&st, gid, uid)
    };
    inner.dispatch(
        "GUILD_MEMBER_REMOVE",
        &ev,
        gate_guild(intents::GUILD_MEMBERS, gid),
    );
    no_content()
}

fn ban(inner: &Arc<Inner>, gid: Id, uid: Id, c: &Ctx) -> Res {
    let delete_secs = c.body["delete_message_seconds"]
        .as_u64()
        .or_else(|| c.body["delete_message_days"].as_u64().map(|d| d * 86400))
        .unwrap_or(0);
    if delete_secs > 604_800 {
        let mut e = FormErrors::default();
        e.push(
            &["delete_message_seconds".to_owned()],
            "NUMBER_TYPE_MAX",
            "int value should be less than or equal to 604800.",
        );
        return Err(form(e));
    }
    let (was_member, ban_ev, rm_ev, deleted) = {
        let mut st = inner.state.lock();
        need_guild(&st, gid, BAN_MEMBERS)?;
        if !st.users.contains_key(&uid) {
            return Err(unknown(10013, "User"));
        }
        let was_member = st.members.contains_key(&(gid, uid));
        if was_member {
            above(&st, gid, uid)?;
        }
        st.bans.insert(
            (gid, uid),
            Ban {
                guild_id: gid,
                user_id: uid,
                reason: c
                    .reason
                    .clone()
                    .or_else(|| c.body["reason"].as_str().map(str::to_owned)),
            },
        );
        st.members.remove(&(gid, uid));
        st.voice_states.remove(&(gid, uid));
        let cutoff = Utc::now() - ChronoDuration::seconds(delete_secs as i64);
        let deleted: Vec<Message> = if delete_secs > 0 {
            st.messages
                .values()
                .filter(|m| m.guild_id == Some(gid) && m.author_id == uid && m.timestamp >= cutoff)
                .cloned()
                .collect()
        } else {
            vec![]
        };
        for m in &deleted {
            st.messages.remove(&m.id);
        }
        (
            was_member,
            payloads::ban_event(&st, gid, uid),
            payloads::member_remove(&st, gid, uid),
            deleted,
        )
    };
    inner.dispatch(
        "GUILD_BAN_ADD",
        &ban_ev,
        gate_guild(intents::GUILD_MODERATION, gid),
    );
    if was_member {
        inner.dispatch(
            "GUILD_MEMBER_REMOVE",
            &rm_ev,
            gate_guild(intents::GUILD_MEMBERS, gid),
        );
    }
    let mut by_channel: HashMap<Id, Vec<Id>> = HashMap::new();
    for m in &deleted {
        by_channel.entry(m.channel_id).or_default().push(m.id);
    }
    for (cid, ids) in by_channel {
        inner.dispatch(
            "MESSAGE_DELETE_BULK",
            &payloads::message_delete_bulk(&ids, cid, Some(gid)),
            gate_guild(intents::GUILD_MESSAGES, gid),
        );
    }
    no_content()
}

fn unban(inner: &Arc<Inner>, gid: Id, uid: Id) -> Res {
    let ev = {
        let mut st = inner.state.lock();
        need_guild(&st, gid, BAN_MEMBERS)?;
        st.bans
            .remove(&(gid, uid))
            .ok_or_else(|| unknown(10026, "Ban"))?;
        payloads::ban_event(&st, gid, uid)
    };
    inner.dispatch(
        "GUILD_BAN_REMOVE",
        &ev,
        gate_guild(intents::GUILD_MODERATION, gid),
    );
    no_content()
}

// ----- application commands -----

fn normalize_command(
    inner: &Inner,
    app: Id,
    guild: Option<Id>,
    v: &Value,
    existing: Option<&Command>,
) -> Command {
    let kind = v["type"].as_u64().unwrap_or(1) as u8;
    let id = existing.map_or_else(|| inner.snowflake(), |c| c.id);
    let name = v["name"].as_str().unwrap_or("").to_owned();
    let mut j = json!({
        "id": id.to_string(),
        "application_id": app.to_string(),
        "version": inner.snowflake().to_string(),
        "type": kind,
        "name": name,
        "name_localizations": v.get("name_localizations").cloned().unwrap_or(Value::Null),
        "description": v["description"].as_str().unwrap_or(""),
        "description_localizations": v.get("description_localizations").cloned().unwrap_or(Value::Null),
        "default_member_permissions": v.get("default_member_permissions").cloned().unwrap_or(Value::Null),
        "nsfw": v["nsfw"].as_bool().unwrap_or(false),
        "integration_types": v.get("integration_types").cloned().unwrap_or(json!([0])),
        "contexts": v.get("contexts").cloned().unwrap_or(Value::Null),
    });
    if let Some(o) = v.get("options").filter(|o| o.is_array()) {
        j["options"] = o.clone();
    }
    match guild {
        Some(g) => j["guild_id"] = json!(g.to_string()),
        None => j["dm_permission"] = json!(v["dm_permission"].as_bool().unwrap_or(true)),
    }
    Command {
        id,
        guild_id: guild,
        name,
        kind,
        json: j,
    }
}

/// `30032`: more commands of one type in a scope than Discord allows (HTTP 400).
fn too_many_commands(kind: u64) -> ApiErr {
    err(
        400,
        30032,
        &format!(
            "Maximum number of application commands reached ({})",
            limits::command_limit(kind)
        ),
    )
}

fn commands_route(
    inner: &Arc<Inner>,
    app: Id,
    guild: Option<Id>,
    cmd_id: Option<Id>,
    c: &Ctx,
) -> Res {
    let mut st = inner.state.lock();
    if app != st.application_id {
        return Err(unknown(10002, "Application"));
    }
    if let Some(g) = guild {
        if !st.guilds.contains_key(&g) {
            return Err(unknown(10004, "Guild"));
        }
    }
    let scope = |cmd: &Command| cmd.guild_id == guild;
    match (&c.method, cmd_id) {
        (m, None) if *m == Method::GET => ok(Value::Array(
            st.commands
                .values()
                .filter(|x| scope(x))
                .map(payloads::command)
                .collect(),
        )),
        (m, None) if *m == Method::PUT => {
            let list = c.body.as_array().cloned().unwrap_or_default();
            let mut e = FormErrors::default();
            if list.len() > limits::BULK_COMMANDS_MAX {
                e.push(
                    &[],
                    "BASE_TYPE_MAX_LENGTH",
                    format!("Must be {} or fewer in length.", limits::BULK_COMMANDS_MAX),
                );
            }
            let mut seen = std::collections::HashSet::new();
            for (i, cmd) in list.iter().enumerate() {
                limits::validate_command(cmd, &[i.to_string()], &mut e);
                let key = (
                    cmd["type"].as_u64().unwrap_or(1),
                    cmd["name"].as_str().unwrap_or("").to_owned(),
                );
                if !seen.insert(key) {
                    e.push(
                        &[i.to_string(), "name".into()],
                        "APPLICATION_COMMANDS_DUPLICATE_NAME",
                        "Application command names must be unique",
                    );
                }
            }
            if !e.is_empty() {
                return Err(form(e));
            }
            for kind in 1..=4 {
                let n = list
                    .iter()
                    .filter(|c| c["type"].as_u64().unwrap_or(1) == kind)
                    .count();
                if n > limits::command_limit(kind) {
                    return Err(too_many_commands(kind));
                }
            }
            let old: Vec<Command> = st.commands.values().filter(|x| scope(x)).cloned().collect();
            st.commands.retain(|_, x| x.guild_id != guild);
            let mut out = Vec::new();
            for cmd in &list {
                let kind = cmd["type"].as_u64().unwrap_or(1) as u8;
                let ex = old
                    .iter()
                    .find(|o| o.name == cmd["name"].as_str().unwrap_or("") && o.kind == kind);
                let n = normalize_command(inner, app, guild, cmd, ex);
                out.push(n.json.clone());
                st.commands.insert(n.id, n);
            }
            ok(Value::Array(out))
        }
        (m, None) if *m == Method::POST => {
            let mut e = FormErrors::default();
            limits::validate_command(&c.body, &[], &mut e);
            if !e.is_empty() {
                return Err(form(e));
            }
            let kind = c.body["type"].as_u64().unwrap_or(1) as u8;
            let name = c.body["name"].as_str().unwrap_or("");
            let ex = st
                .commands
                .values()
                .find(|o| scope(o) && o.name == name && o.kind == kind)
                .cloned();
            let created = ex.is_none();
            let same_kind = st
                .commands
                .values()
                .filter(|o| scope(o) && u64::from(o.kind) == u64::from(kind))
                .count();
            if created && same_kind >= limits::command_limit(kind.into()) {
                return Err(too_many_commands(kind.into()));
            }
            let n = normalize_command(inner, app, guild, &c.body, ex.as_ref());
            let v = n.json.clone();
            st.commands.insert(n.id, n);
            Ok((if created { 201 } else { 200 }, Some(v)))
        }
        (m, Some(cid)) if *m == Method::GET => {
            let cmd = st
                .commands
                .get(&cid)
                .filter(|x| scope(x))
                .ok_or_else(|| unknown(10063, "application command"))?;
            ok(payloads::command(cmd))
        }
        (m, Some(cid)) if *m == Method::PATCH => {
            let cmd = st
                .commands
                .get(&cid)
                .filter(|x| scope(x))
                .ok_or_else(|| unknown(10063, "application command"))?
                .clone();
            let mut merged = cmd.json.clone();
            if let (Some(dst), Some(src)) = (merged.as_object_mut(), c.body.as_object()) {
                for (k, v) in src {
                    dst.insert(k.clone(), v.clone());
                }
            }
            let mut e = FormErrors::default();
            limits::validate_command(&merged, &[], &mut e);
            if !e.is_empty() {
                return Err(form(e));
            }
            let n = normalize_command(inner, app, guild, &merged, Some(&cmd));
            let v = n.json.clone();
            st.commands.insert(n.id, n);
            ok(v)
        }
        (m, Some(cid)) if *m == Method::DELETE => {
            st.commands
                .get(&cid)
                .filter(|x| scope(x))
                .ok_or_else(|| unknown(10063, "application command"))?;
            st.commands.remove(&cid);
            no_content()
        }
        _ => Err(ApiErr(
            405,
            json!({"message": "405: Method Not Allowed", "code": 0}),
        )),
    }
}

// helpers used by the driver

pub(crate) fn new_member(guild_id: Id, user_id: Id) -> Member {
    Member {
        guild_id,
        user_id,
        nick: None,
        roles: vec![],
        joined_at: Utc::now(),
        communication_disabled_until: None,
        mute: false,
        deaf: false,
    }
}

pub(crate) fn interaction_meta(i: &crate::state::Interaction) -> MessageInteraction {
    MessageInteraction {
        id: i.id,
        kind: i.kind,
        name: i.command_name.clone(),
        user_id: i.user_id,
    }
}

pub(crate) fn set_status(st: &mut State, iid: Id, resp: InteractionResponse) {
    if let Some(i) = st.interactions.get_mut(&iid) {
        i.status = InteractionStatus::Responded(resp);
    }
}
