//! The REST API (`/api/v10/...`): the request entry point (body parsing, injected faults, auth,
//! optional rate limits, the call log). Routing is in [`routes`] (the one routing table); the
//! handlers live in one module per Discord resource.

mod audit;
mod channels;
mod commands;
mod common;
mod events;
mod expressions;
mod guilds;
mod interactions;
mod invites;
mod members;
mod messages;
mod reactions;
mod roles;
mod routes;
mod threads;
mod users;
mod webhooks;

pub(crate) use events::event_changed;
pub(crate) use expressions::{emojis_changed, stickers_changed};
pub(crate) use invites::new_invite_code;
pub(crate) use members::new_member;
pub(crate) use messages::{insert_message, parse_mentions};
pub(crate) use webhooks::{new_webhook, webhooks_update};

use std::sync::Arc;

use axum::body::Body;
use axum::extract::{FromRequest, Multipart, Request, State as AxState};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

use crate::hub::{FaultKind, Inner, RestCall};
use crate::payloads;
use crate::state::Id;

use common::{ApiErr, Ctx, FileIn, Res, err, parse_query, percent_decode, route_template};

/// Entry point for every non-websocket request.
pub(crate) async fn handle(AxState(inner): AxState<Arc<Inner>>, req: Request) -> Response {
    let method = req.method().clone();
    let path = req.uri().path().to_owned();
    let query_str = req.uri().query().map(str::to_owned);
    let headers = req.headers().clone();

    if let Some(rest) = path.strip_prefix("/attachments/") {
        return serve_attachment(&inner, rest);
    }
    if let Some(rest) = path.strip_prefix("/cdn/") {
        return serve_cdn(&inner, rest);
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
                        let parsed: Value = serde_json::from_slice(&data).unwrap_or(Value::Null);
                        // plain form fields read before it stay (`POST /guilds/{id}/stickers`)
                        match (&mut body, parsed) {
                            (Value::Object(b), Value::Object(p)) => b.extend(p),
                            (b, p) => *b = p,
                        }
                    } else if let Some(filename) = filename {
                        files.push(FileIn {
                            field: name,
                            filename,
                            content_type: ct,
                            data,
                        });
                    } else if let Ok(text) = String::from_utf8(data) {
                        // a plain form field (sticker `name`, `tags`, `description`)
                        if !body.is_object() {
                            body = Value::Object(serde_json::Map::new());
                        }
                        body[name.as_str()] = Value::String(text);
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
            // Discord serves `GET /gateway` openly (`/gateway/bot` needs the token)
            // webhook routes with a token need no authorization; `/webhooks/{id}` does
            let public = first == Some("interactions")
                || (first == Some("webhooks") && segs.len() >= 3)
                || (segs.len() == 1 && first == Some("gateway") && method == Method::GET)
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
                let r = routes::route_request(&inner, &ctx);
                if let Ok((_, resp)) = &r {
                    audit::record_audit(&inner, &ctx, resp.as_ref());
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

/// The CDN: `/cdn/avatars/{user}/{hash}.png` and `/cdn/banners/{guild}/{hash}.png` (any
/// `?size=`), as Discord's `cdn.discordapp.com` serves them. Only PNG is stored; another
/// extension is a 415, an unknown picture a 404.
fn serve_cdn(inner: &Inner, rest: &str) -> Response {
    let (key, ext) = rest.rsplit_once('.').unwrap_or((rest, ""));
    if !ext.eq_ignore_ascii_case("png") {
        return StatusCode::UNSUPPORTED_MEDIA_TYPE.into_response();
    }
    let found = inner.state.lock().extra.cdn.get(key).cloned();
    match found {
        Some(bytes) => {
            let mut r = Response::new(Body::from(bytes));
            r.headers_mut()
                .insert(header::CONTENT_TYPE, HeaderValue::from_static("image/png"));
            r
        }
        None => StatusCode::NOT_FOUND.into_response(),
    }
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
