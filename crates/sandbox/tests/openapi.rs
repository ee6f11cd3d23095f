//! The broad session (every REST route through serenity's `Http`, every user action through the
//! driver; shared with the contract test) checked against Discord's own OpenAPI description:
//! every request serenity sent matches a documented operation and its request schema, every
//! response the sandbox gave has a documented status and matches its schema, and every gateway
//! event whose payload is a documented object matches that object's schema.
//!
//! Run: `cargo test -p chronix-sandbox --features openapi --test openapi`.

mod scenario;

use std::collections::BTreeSet;

use chronix_sandbox::openapi::Spec;
use serde_json::json;

#[tokio::test]
async fn broad_session_agrees_with_discords_openapi_description() {
    let spec = Spec::discord();
    // the validator does reject what the description forbids
    assert!(
        !spec
            .check_schema("UserResponse", &json!({"id": 1}))
            .is_empty()
    );
    assert!(
        spec.check_schema("GuildRoleResponse", &json!({"id": "1"}))
            .iter()
            .any(|e| e.contains("missing required property `name`"))
    );

    let scenario::Session { sb, rec, .. } = scenario::broad_session().await;
    let log = sb.rest_log();
    let frames = sb.recorded_events(&rec);
    let mut failures = Vec::new();
    let mut operations = BTreeSet::new();
    for call in &log {
        operations.insert(
            spec.template_for(&call.method, &call.path)
                .map(|t| format!("{} {t}", call.method)),
        );
        // the scenario sends some bodies Discord rejects on purpose (50035 Invalid Form Body):
        // only their 400 answers are checked
        if call.status != 400 {
            failures.extend(spec.check_request(call));
        }
        failures.extend(spec.check_response(call));
    }
    failures.extend(spec.check_frames(&frames));
    let unexpected: Vec<String> = failures
        .iter()
        .filter(|f| !f.is_known())
        .map(ToString::to_string)
        .collect();
    assert!(
        unexpected.is_empty(),
        "{} departures from Discord's OpenAPI description:\n{}",
        unexpected.len(),
        unexpected.join("\n")
    );
    assert!(!operations.contains(&None));
    assert!(
        operations.len() >= 55,
        "the session covers {} operations",
        operations.len()
    );
    let checked: BTreeSet<String> = frames
        .iter()
        .filter_map(|f| serde_json::from_str::<serde_json::Value>(f).ok())
        .filter_map(|v| v["t"].as_str().map(str::to_owned))
        .filter(|t| {
            chronix_sandbox::openapi::EVENT_SCHEMAS
                .iter()
                .any(|(e, _, _)| e == t)
                || t.starts_with("CHANNEL_")
        })
        .collect();
    for e in [
        "GUILD_CREATE",
        "MESSAGE_CREATE",
        "MESSAGE_UPDATE",
        "GUILD_ROLE_CREATE",
        "GUILD_MEMBER_ADD",
        "INTERACTION_CREATE",
        "CHANNEL_CREATE",
        "THREAD_CREATE",
    ] {
        assert!(checked.contains(e), "{e} was not checked: {checked:?}");
    }
}
