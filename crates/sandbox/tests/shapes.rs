//! Contract tests for documented shapes: fields Discord documents (or sends) that a bot may read,
//! with exact values and presence (the payloads themselves are also deserialized by serenity and
//! twilight-model in `contract.rs`).

use std::collections::BTreeSet;

use chronix_sandbox::{Sandbox, payloads};
use serde_json::{Value, json};
use serenity::all::{HttpBuilder, UserId};

/// `GET {path}` on a fresh connection without an `Authorization` header: (status, JSON body).
async fn get_without_token(sb: &Sandbox, path: &str) -> (u16, Value) {
    get_raw(sb, path, "").await
}

/// `GET {path}` on a fresh connection with the bot token: (status, JSON body).
async fn get_with_token(sb: &Sandbox, path: &str) -> (u16, Value) {
    get_raw(sb, path, &format!("authorization: Bot {}\r\n", sb.token())).await
}

async fn get_raw(sb: &Sandbox, path: &str, auth_header: &str) -> (u16, Value) {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let addr = sb.base_url().trim_start_matches("http://").to_owned();
    let mut tcp = tokio::net::TcpStream::connect(addr).await.unwrap();
    let req =
        format!("GET {path} HTTP/1.1\r\nhost: 127.0.0.1\r\n{auth_header}connection: close\r\n\r\n");
    tcp.write_all(req.as_bytes()).await.unwrap();
    let mut raw = Vec::new();
    tcp.read_to_end(&mut raw).await.unwrap();
    let text = String::from_utf8(raw).unwrap();
    let (head, body) = text.split_once("\r\n\r\n").unwrap();
    (
        head[9..12].parse().unwrap(),
        serde_json::from_str(body).unwrap(),
    )
}

fn keys(v: &Value) -> BTreeSet<&str> {
    v.as_object()
        .unwrap_or_else(|| panic!("not an object: {v}"))
        .keys()
        .map(String::as_str)
        .collect()
}

fn last_response(sb: &Sandbox) -> Value {
    sb.rest_log().last().unwrap().response.clone().unwrap()
}

/// Fields Discord documents (or sends) that a bot may read: exact values and presence.
#[tokio::test]
async fn documented_shapes_match_discord() {
    let sb = Sandbox::start().await.unwrap();
    let g = sb.create_guild("Shapes");
    let alice = sb.create_user("alice");
    let bob = sb.create_user("bob");
    sb.add_member(g.id, alice);
    let http = HttpBuilder::new(sb.token())
        .proxy(sb.base_url())
        .ratelimiter_disabled(true)
        .application_id(sb.application_id().into())
        .build();

    // GET /gateway is served without a token, /gateway/bot is not
    let (status, body) = get_without_token(&sb, "/api/v10/gateway").await;
    assert_eq!((status, body), (200, json!({"url": sb.gateway_url()})));
    let (status, body) = get_without_token(&sb, "/api/v10/gateway/bot").await;
    assert_eq!((status, &body["code"]), (401, &json!(0)));

    // user objects carry primary_guild (null); the current user also mfa_enabled and locale
    http.get_user(UserId::new(alice)).await.unwrap();
    let user = last_response(&sb);
    assert_eq!(user["primary_guild"], Value::Null);
    assert!(keys(&user).contains("primary_guild"));
    assert!(!keys(&user).contains("mfa_enabled"));
    http.get_current_user().await.unwrap();
    let me = last_response(&sb);
    assert_eq!(me["id"], sb.bot_id().to_string());
    assert_eq!(me["mfa_enabled"], false);
    assert_eq!(me["locale"], "en-US");
    assert_eq!(me["verified"], true);
    assert!(keys(&me).contains("primary_guild"));

    // the application: type (null), flags, approximate counts, owner (configurable)
    http.get_current_application_info().await.unwrap();
    let app = last_response(&sb);
    assert!(keys(&app).contains("type"));
    assert_eq!(app["type"], Value::Null);
    // GATEWAY_PRESENCE_LIMITED | GATEWAY_GUILD_MEMBERS_LIMITED | GATEWAY_MESSAGE_CONTENT_LIMITED
    assert_eq!(app["flags"], (1 << 13) | (1 << 15) | (1 << 19));
    assert_eq!(app["approximate_guild_count"], 1);
    assert_eq!(app["approximate_user_install_count"], 0);
    assert_eq!(app["approximate_user_authorization_count"], 0);
    assert_eq!(app["integration_types_config"], json!({"0": {}}));
    for k in [
        "interactions_endpoint_url",
        "role_connections_verification_url",
        "event_webhooks_url",
    ] {
        assert_eq!(app[k], Value::Null, "{k}");
        assert!(keys(&app).contains(k), "{k}");
    }
    // by default the human with the lowest id (here the guild's owner) owns the application;
    // it can be set
    assert_eq!(app["owner"]["id"], g.owner_id.to_string());
    sb.set_application_owner(bob);
    let info = http.get_current_application_info().await.unwrap();
    assert_eq!(info.owner.map(|o| o.id.get()), Some(bob));
    // READY's application flags match
    let ready = sb.with_state(|st| payloads::ready(st, "sid", "ws://x", None));
    assert_eq!(ready["application"]["flags"], app["flags"]);

    // components get sequential numeric ids (1.., depth first, skipping ids the app set)
    let body = json!({"content": "pick", "components": [
        {"type": 1, "components": [
            {"type": 2, "style": 1, "custom_id": "a", "label": "A"},
            {"type": 2, "style": 1, "custom_id": "b", "label": "B"}]},
        {"type": 1, "components": [
            {"type": 3, "custom_id": "s", "id": 1, "options": [{"label": "x", "value": "x"}]}]}]});
    let general = serenity::all::ChannelId::new(g.general);
    let m = http.send_message(general, vec![], &body).await.unwrap();
    let sent = last_response(&sb);
    let ids = |c: &Value| -> Vec<Value> {
        c.as_array()
            .unwrap()
            .iter()
            .flat_map(|row| {
                std::iter::once(row["id"].clone()).chain(
                    row["components"]
                        .as_array()
                        .unwrap()
                        .iter()
                        .map(|c| c["id"].clone()),
                )
            })
            .collect()
    };
    assert_eq!(ids(&sent["components"]), [2, 3, 4, 5, 1].map(|i| json!(i)));
    // an edit numbers its new components afresh
    let edit = json!({"components": [{"type": 1, "components": [
        {"type": 2, "style": 1, "custom_id": "c", "label": "C"}]}]});
    http.edit_message(general, m.id, &edit, vec![])
        .await
        .unwrap();
    assert_eq!(
        ids(&last_response(&sb)["components"]),
        [1, 2].map(|i| json!(i))
    );

    // pins: the old array route and the paged `messages/pins` one
    http.pin_message(general, m.id, None).await.unwrap();
    let (status, pins) =
        get_with_token(&sb, &format!("/api/v10/channels/{}/pins", g.general)).await;
    assert_eq!(status, 200);
    assert_eq!(pins[0]["id"], m.id.to_string());
    let path = format!("/api/v10/channels/{}/messages/pins", g.general);
    let (status, paged) = get_with_token(&sb, &path).await;
    assert_eq!(status, 200, "{paged}");
    assert_eq!(keys(&paged), BTreeSet::from(["items", "has_more"]));
    assert_eq!(paged["has_more"], false);
    assert_eq!(paged["items"][0]["message"]["id"], m.id.to_string());
    assert!(paged["items"][0]["pinned_at"].is_string());

    // application commands omit option fields that were not given (instead of echoing null)
    let cmds = json!([
        {"name": "opts", "description": "d", "options": [
            {"type": 4, "name": "n", "description": "d", "required": true, "min_value": 1,
             "max_value": 10, "choices": [{"name": "one", "value": 1, "name_localizations": null}]},
            {"type": 3, "name": "text", "description": "t", "min_length": null,
             "max_length": null, "choices": null, "autocomplete": null, "channel_types": null}]},
        {"name": "subs", "description": "d", "options": [
            {"type": 1, "name": "sub", "description": "d", "options": [
                {"type": 5, "name": "flag", "description": "d", "min_value": null}]}]}]);
    http.create_global_commands(&cmds).await.unwrap();
    let registered = last_response(&sb);
    let opts = registered[0]["options"].clone();
    assert_eq!(
        keys(&opts[0]),
        BTreeSet::from([
            "type",
            "name",
            "description",
            "required",
            "min_value",
            "max_value",
            "choices"
        ])
    );
    assert_eq!(opts[0]["choices"], json!([{"name": "one", "value": 1}]));
    assert_eq!(
        keys(&opts[1]),
        BTreeSet::from(["type", "name", "description"])
    );
    assert_eq!(
        keys(&registered[1]["options"][0]["options"][0]),
        BTreeSet::from(["type", "name", "description"])
    );
    // and the same when read back
    http.get_global_commands().await.unwrap();
    assert_eq!(last_response(&sb)[0]["options"], opts);
}

/// Messages answering a component interaction carry `interaction_metadata.interacted_message_id`
/// (the message holding the component), messages answering a modal submission carry
/// `triggering_interaction_metadata` (the interaction that opened the modal), as Discord
/// documents; serenity refuses the message list without them.
#[tokio::test]
async fn interaction_metadata_names_the_component_message_and_the_modal_opener() {
    use serenity::all::{
        ButtonStyle, ChannelId, CreateActionRow, CreateButton, CreateInputText,
        CreateInteractionResponse, CreateInteractionResponseMessage, CreateMessage, CreateModal,
        GetMessages, InputTextStyle, InteractionId, MessageInteractionMetadata,
    };
    let sb = Sandbox::start().await.unwrap();
    let g = sb.create_guild("Metadata");
    let alice = sb.create_user("alice");
    sb.add_member(g.id, alice);
    let http = HttpBuilder::new(sb.token())
        .proxy(sb.base_url())
        .ratelimiter_disabled(true)
        .build();
    let channel = ChannelId::new(g.general);
    let with_button = channel
        .send_message(
            &http,
            CreateMessage::new()
                .content("pick")
                .components(vec![CreateActionRow::Buttons(vec![
                    CreateButton::new("b:yes")
                        .label("Yes")
                        .style(ButtonStyle::Primary),
                    CreateButton::new("b:form").label("Form"),
                ])]),
        )
        .await
        .unwrap();
    // A component interaction answered with a message.
    let click = sb.click_button(alice, with_button.id.get(), "Yes").unwrap();
    http.create_interaction_response(
        InteractionId::new(click.id),
        &click.token,
        &CreateInteractionResponse::Message(
            CreateInteractionResponseMessage::new().content("clicked"),
        ),
        Vec::new(),
    )
    .await
    .unwrap();
    // A modal opened from a component, its submission answered with a message.
    let open = sb
        .click_button(alice, with_button.id.get(), "Form")
        .unwrap();
    http.create_interaction_response(
        InteractionId::new(open.id),
        &open.token,
        &CreateInteractionResponse::Modal(CreateModal::new("m:form", "Form").components(vec![
            CreateActionRow::InputText(CreateInputText::new(InputTextStyle::Short, "Name", "name")),
        ])),
        Vec::new(),
    )
    .await
    .unwrap();
    let submit = sb.submit_modal(alice, &open, &[("name", "Ada")]).unwrap();
    http.create_interaction_response(
        InteractionId::new(submit.id),
        &submit.token,
        &CreateInteractionResponse::Message(
            CreateInteractionResponseMessage::new().content("submitted"),
        ),
        Vec::new(),
    )
    .await
    .unwrap();

    let messages = channel
        .messages(&http, GetMessages::new().limit(10))
        .await
        .expect("serenity reads the messages");
    let clicked = messages.iter().find(|m| m.content == "clicked").unwrap();
    match clicked.interaction_metadata.as_deref() {
        Some(MessageInteractionMetadata::Component(c)) => {
            assert_eq!(c.id.get(), click.id);
            assert_eq!(c.interacted_message_id, with_button.id);
        }
        other => panic!("component metadata expected, got {other:?}"),
    }
    let submitted = messages.iter().find(|m| m.content == "submitted").unwrap();
    match submitted.interaction_metadata.as_deref() {
        Some(MessageInteractionMetadata::ModalSubmit(m)) => {
            assert_eq!(m.id.get(), submit.id);
            match &*m.triggering_interaction_metadata {
                MessageInteractionMetadata::Component(c) => {
                    assert_eq!(c.id.get(), open.id);
                    assert_eq!(c.interacted_message_id, with_button.id);
                }
                other => panic!("the opener's metadata expected, got {other:?}"),
            }
        }
        other => panic!("modal metadata expected, got {other:?}"),
    }
}
