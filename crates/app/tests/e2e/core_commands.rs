//! `ping`, `help`, `about` by prefix, alias and slash.

use chronix_sandbox::{CommandCall, InteractionResponse};

use crate::helpers::*;

const PING_FIELDS: [&str; 3] = ["Gateway heartbeat", "REST round-trip", "Database"];

#[tokio::test]
async fn ping_by_prefix_alias_case_and_slash() {
    let w = World::start().await;
    for text in ["chro ping", "chro latency", "CHRO PiNg"] {
        let m = w.say(w.owner, text).await;
        assert_eq!(title(&m), "ℹ️ Pong!", "{text}");
        assert_eq!(field_names(&m), PING_FIELDS, "{text}");
        assert!(field(&m, "Database").ends_with(" ms"), "{text}");
        assert!(field(&m, "REST round-trip").ends_with(" ms"), "{text}");
    }
    let m = w.slash(w.member, CommandCall::new("ping")).await;
    assert_eq!(title(&m), "ℹ️ Pong!");
    assert_eq!(field_names(&m), PING_FIELDS);
    assert!(!m.is_ephemeral());

    // Every message went out with allowed_mentions (no pings) and an embed footer/timestamp.
    let posts = w.rest("POST", &format!("/channels/{}/messages", w.guild.general));
    assert_eq!(posts.len(), 3);
    for call in &posts {
        let body = call.body.as_ref().expect("json body");
        assert_eq!(
            body["allowed_mentions"]["parse"],
            serde_json::json!([]),
            "{body}"
        );
        assert_eq!(body["embeds"][0]["footer"]["text"], "Chronix");
        assert!(body["embeds"][0]["timestamp"].is_string());
    }
    let callbacks = w.rest("POST", "/callback");
    assert_eq!(callbacks.len(), 1);
    assert!(callbacks[0].body.as_ref().unwrap()["data"]["allowed_mentions"].is_object());

    // The heartbeat latency shows up once the first heartbeat was acknowledged.
    tokio::time::sleep(std::time::Duration::from_millis(1200)).await;
    let m = w.say(w.owner, "chro ping").await;
    assert!(
        field(&m, "Gateway heartbeat").ends_with(" ms"),
        "{}",
        field(&m, "Gateway heartbeat")
    );
}

#[tokio::test]
async fn help_pages_by_feature_and_next_edits_the_message() {
    let w = World::start().await;
    let m = w.say(w.member, "chro help").await;
    assert!(
        title(&m).starts_with("ℹ️ Chronix help: general (1/"),
        "{}",
        title(&m)
    );
    let d = description(&m);
    for cmd in [
        "`chro ping`",
        "`chro help [command]`",
        "`chro prefix set <new_prefix>`",
        "`chro module disable <name>`",
    ] {
        assert!(d.contains(cmd), "{cmd} missing from\n{d}");
    }
    assert!(!d.contains("boom"), "hidden test commands stay hidden");
    assert!(
        !d.contains("devstats"),
        "dev commands are hidden from non-devs"
    );
    let labels: Vec<_> = m.buttons().into_iter().filter_map(|b| b.1).collect();
    let (_, total) = labels[2].split_once('/').unwrap();
    assert_eq!(
        labels,
        [
            "⏮ First",
            "◀ Prev",
            &format!("1/{total}"),
            "Next ▶",
            "Last ⏭"
        ]
    );

    // Somebody else's click is refused privately and changes nothing (the page is never drawn
    // with the presser's permissions: the owner would see owner-only commands).
    let click = w.sb.click_button(w.owner, m.id, "Next ▶").unwrap();
    match w.sb.wait_for_response(&click, REPLY).await.unwrap() {
        InteractionResponse::Message { ephemeral, .. } => assert!(ephemeral),
        other => panic!("expected an ephemeral refusal, got {other:?}"),
    }
    let refusal = w.sb.wait_for_reply(&click, REPLY).await.unwrap();
    assert_eq!(title(&refusal), "❌ Not yours");
    let _ = w.sb.wait_for_message(w.guild.general, REPLY).await; // the refusal, from the feed
    assert!(w.sb.wait_for_edit(w.guild.general, SILENCE).await.is_err());

    let click = w.sb.click_button(w.member, m.id, "Next ▶").unwrap();
    match w.sb.wait_for_response(&click, REPLY).await.unwrap() {
        InteractionResponse::UpdateMessage { message_id } => assert_eq!(message_id, m.id),
        other => panic!("expected an update of the help message, got {other:?}"),
    }
    let edited = w.sb.wait_for_edit(w.guild.general, REPLY).await.unwrap();
    assert_eq!(edited.id, m.id, "Next edits the same message");
    assert!(
        title(&edited).starts_with("ℹ️ Chronix help: misc (2/"),
        "{}",
        title(&edited)
    );
    assert!(description(&edited).contains("`chro roll [sides]`: Roll a die"));
    assert!(description(&edited).contains("`chro serverinfo` (aliases: si, guildinfo)"));

    // Prev goes back; Last jumps to the end, where Next and Last are disabled.
    let click = w.sb.click_button(w.member, m.id, "◀ Prev").unwrap();
    let again = w.sb.wait_for_reply(&click, REPLY).await.unwrap();
    assert!(title(&again).starts_with("ℹ️ Chronix help: general (1/"));
    let click = w.sb.click_button(w.member, m.id, "Last ⏭").unwrap();
    let last = w.sb.wait_for_reply(&click, REPLY).await.unwrap();
    let t = title(&last);
    assert!(t.ends_with(&format!("({total}/{total})")), "{t}");
    let disabled: Vec<bool> = last.buttons().into_iter().map(|b| b.2).collect();
    assert_eq!(disabled, [false, false, true, true, true]);

    // Alias and slash.
    let m = w.say(w.member, "chro commands").await;
    assert!(title(&m).starts_with("ℹ️ Chronix help: general (1/"));
    let m = w.slash(w.member, CommandCall::new("help")).await;
    assert!(title(&m).starts_with("ℹ️ Chronix help: general (1/"));
}

#[tokio::test]
async fn help_for_one_command_shows_usage_aliases_and_tier() {
    let w = World::start().await;
    let m = w.say(w.member, "chro help prefix set").await;
    assert_eq!(title(&m), "ℹ️ Help: prefix set");
    assert_eq!(field(&m, "Usage"), "`chro prefix set <new_prefix>`");
    assert_eq!(field(&m, "Tier"), "admin");
    assert_eq!(field(&m, "Module"), "general");
    let m = w.say(w.member, "chro help stats").await;
    assert_eq!(title(&m), "ℹ️ Help: about");
    assert!(field(&m, "Aliases").contains("`stats`"));
    assert_eq!(field(&m, "Tier"), "everyone");
    let m = w
        .slash(w.member, CommandCall::new("help").opt("command", "ping"))
        .await;
    assert_eq!(title(&m), "ℹ️ Help: ping");
    let m = w.say(w.member, "chro help nosuchthing").await;
    assert_eq!(title(&m), "⚠️ No such command");
}

#[tokio::test]
async fn about_and_stats() {
    let w = World::start().await;
    let expected = [
        "Version",
        "Uptime",
        "Guilds",
        "Memory",
        "Commands run",
        "Features",
    ];
    let m = w.say(w.member, "chro about").await;
    assert_eq!(title(&m), "ℹ️ About Chronix");
    assert_eq!(field_names(&m), expected);
    assert_eq!(field(&m, "Version"), env!("CARGO_PKG_VERSION"));
    assert_eq!(field(&m, "Guilds"), "1");
    assert!(field(&m, "Memory").ends_with(" MiB"));
    let m = w.say(w.member, "chro stats").await;
    assert_eq!(title(&m), "ℹ️ About Chronix");
    assert_eq!(field(&m, "Commands run"), "1", "the first about finished");
    let m = w
        .slash(w.member, CommandCall::new("bot").sub("about"))
        .await;
    assert_eq!(field_names(&m), expected);
    assert_eq!(field(&m, "Commands run"), "2");
}

#[tokio::test]
async fn unknown_commands_get_a_hint_and_other_text_is_ignored() {
    let w = World::start().await;
    let m = w.say(w.member, "chro pnig").await;
    assert_eq!(title(&m), "⚠️ Unknown command");
    let d = description(&m);
    assert!(
        d.contains("`pnig`") && d.contains("Did you mean `chro ping`?"),
        "{d}"
    );
    let m = w.say(w.owner, "chro xyzzy plugh").await;
    assert!(!description(&m).contains("Did you mean"));
    w.say_expect_silence(w.member, "chronicles of narnia are great")
        .await;
    w.say_expect_silence(w.member, "hello there").await;
}

/// Issue 9: an unknown command is answered at most once per user per 5 s (a script typing
/// unknown commands gets one answer); other users are answered meanwhile; the "did you mean"
/// comparison skips words longer than any command name.
#[tokio::test]
async fn unknown_commands_are_answered_at_most_once_per_user_per_five_seconds() {
    let w = World::start().await;
    let alice = w.member;
    let m = w.say(alice, "chro pnig").await;
    assert_eq!(title(&m), "⚠️ Unknown command");
    w.say_expect_silence(alice, "chro pnig").await;
    w.say_expect_silence(alice, "chro").await;
    // Another user is answered.
    let long = format!("chro {}", "pingpong".repeat(8));
    let m = w.say(w.owner, &long).await;
    assert_eq!(title(&m), "⚠️ Unknown command");
    assert!(
        !description(&m).contains("Did you mean"),
        "no suggestion for a 64-character word: {}",
        description(&m)
    );
    // Known commands are never throttled by this.
    let m = w.say(alice, "chro ping").await;
    assert_eq!(title(&m), "ℹ️ Pong!");
    assert_eq!(
        w.rest("POST", &format!("/channels/{}/messages", w.guild.general))
            .into_iter()
            .filter(|c| c
                .body
                .as_ref()
                .is_some_and(|b| b.to_string().contains("Unknown command")))
            .count(),
        2,
        "one reply to alice, one to the owner"
    );
    // After the window, alice is answered again.
    tokio::time::sleep(std::time::Duration::from_millis(5200)).await;
    let m = w.say(alice, "chro pnig").await;
    assert_eq!(title(&m), "⚠️ Unknown command");
}

#[tokio::test]
async fn bad_arguments_and_missing_subcommands_get_usage_help() {
    let w = World::start().await;
    let m = w.say(w.member, "chro roll lots").await;
    assert_eq!(title(&m), "❌ Invalid input");
    assert!(
        description(&m).contains("Usage: `chro roll [sides]`"),
        "{}",
        description(&m)
    );
    let m = w.say(w.member, "chro roll 1").await;
    assert_eq!(title(&m), "❌ Invalid input");
    let m = w.say(w.owner, "chro prefix").await;
    assert_eq!(title(&m), "❌ Cannot do that");
    assert!(
        description(&m).contains("`show`, `set`, `reset`"),
        "{}",
        description(&m)
    );
}

#[tokio::test]
async fn direct_messages_work_for_everyone_commands_only() {
    let w = World::start().await;
    w.sb.send_dm(w.member, "chro ping");
    let m = w.sb.wait_for_dm(w.member, REPLY).await.unwrap();
    assert_eq!(title(&m), "ℹ️ Pong!");
    w.sb.send_dm(w.member, "chro prefix set !");
    let m = w.sb.wait_for_dm(w.member, REPLY).await.unwrap();
    assert_eq!(title(&m), "❌ Server only");
}
