//! Internal errors and panics: an error id for the user, a full report with the same id in
//! the guild's error-log channel, and the bot keeps running.

use chronix_sandbox::CommandCall;

use crate::helpers::*;

fn error_id(m: &chronix_sandbox::Message) -> String {
    let v = field(m, "Error id");
    let id = v.trim_matches('`').to_string();
    assert_eq!(id.len(), 8, "{v}");
    assert!(id.chars().all(|c| c.is_ascii_hexdigit()), "{v}");
    id
}

#[tokio::test]
async fn an_internal_error_shows_an_id_and_reports_it_to_the_error_log() {
    // Every report posted (the repeat throttle is tested below).
    let (w, _) = World::start_with(Setup {
        env: vec![("ERROR_LOG_REPEAT_WINDOW_SECS", "0".into())],
        ..Setup::default()
    })
    .await;
    let m = w
        .say(w.owner, &format!("chro errorlog set <#{}>", w.error_log))
        .await;
    assert_eq!(title(&m), "✅ Error log set");

    let m = w.say(w.member, "chro boom").await;
    assert_eq!(title(&m), "❌ Something went wrong");
    let id = error_id(&m);
    assert!(description(&m).contains(&id));
    assert!(
        !description(&m).contains("forced failure"),
        "no internals shown to users"
    );

    let report = w.sb.wait_for_message(w.error_log, REPLY).await.unwrap();
    assert_eq!(title(&report), format!("❌ Error {id}"));
    assert_eq!(field(&report, "Error id"), format!("`{id}`"));
    assert_eq!(field(&report, "Command"), "`chro boom`");
    assert_eq!(field(&report, "User"), format!("member ({})", w.member));
    assert_eq!(field(&report, "Guild"), w.guild.id.to_string());
    assert!(description(&report).contains("forced failure for tests"));

    // By slash: ephemeral apology, same kind of report.
    let m = w.slash(w.member, CommandCall::new("boom")).await;
    assert!(m.is_ephemeral());
    let id2 = error_id(&m);
    assert_ne!(id, id2);
    let report = w.sb.wait_for_message(w.error_log, REPLY).await.unwrap();
    assert_eq!(title(&report), format!("❌ Error {id2}"));
    assert_eq!(field(&report, "Command"), "`/boom`");

    // The metrics count the errors.
    let stats = w.bot().data().metrics().get("boom").unwrap();
    assert_eq!((stats.count, stats.errors), (2, 2));
}

#[tokio::test]
async fn a_panicking_command_is_reported_and_the_bot_keeps_running() {
    let w = World::start().await;
    w.say(w.owner, &format!("chro errorlog set <#{}>", w.error_log))
        .await;
    let m = w.say(w.member, "chro kaboom").await;
    assert_eq!(title(&m), "❌ Something went wrong");
    let id = error_id(&m);
    let report = w.sb.wait_for_message(w.error_log, REPLY).await.unwrap();
    assert_eq!(title(&report), format!("❌ Error {id}"));
    assert!(description(&report).contains("panic: forced panic for tests"));
    let m = w.say(w.member, "chro ping").await;
    assert_eq!(title(&m), "ℹ️ Pong!");
}

#[tokio::test]
async fn without_an_error_log_channel_the_user_still_gets_an_id() {
    let w = World::start().await;
    let m = w.say(w.member, "chro boom").await;
    error_id(&m);
    assert!(w.sb.messages_in(w.error_log).is_empty());
}

#[tokio::test]
async fn arguments_that_do_not_parse_name_the_argument_and_leave_nothing_in_flight() {
    let w = World::start().await;
    let m = w.say(w.member, "chro bal @nobody").await;
    assert_eq!(title(&m), "❌ Invalid input");
    let d = description(&m);
    assert!(d.contains("I could not understand `@nobody`."), "{d}");
    assert!(d.contains("`balance` takes:"), "{d}");
    assert!(
        d.contains("• `[user]` (optional): Whose balance (you if empty)"),
        "{d}"
    );
    assert!(d.contains("Usage: `chro balance [user]`"), "{d}");
    assert!(!d.contains("Too many arguments"), "{d}");

    let m = w.say(w.member, "chro buy hunting_lure -3").await;
    let d = description(&m);
    assert!(
        d.contains("I could not understand `hunting_lure -3`."),
        "{d}"
    );
    assert!(
        d.contains("• `[count]` (optional): How many (1 if empty)"),
        "{d}"
    );

    // Nothing stays counted as running: a shutdown does not wait for phantom commands.
    assert_eq!(w.bot().data().metrics().in_flight(), 0);
}

#[tokio::test]
async fn a_zero_payment_is_refused_as_zero_even_with_an_empty_wallet() {
    let w = World::start().await;
    let m = w
        .slash(
            w.member,
            CommandCall::new("pay")
                .opt("user", chronix_sandbox::OptValue::Id(w.owner))
                .opt("amount", "0"),
        )
        .await;
    let d = description(&m);
    assert!(d.contains("the amount must be more than zero"), "{d}");
    // `all` of an empty wallet says the wallet is empty.
    let m = w
        .say(w.member, &format!("chro pay <@{}> all", w.owner))
        .await;
    assert!(
        description(&m).contains("You have no Chrons for that"),
        "{}",
        description(&m)
    );
}

#[tokio::test]
async fn ping_never_shows_raw_rest_error_text() {
    let w = World::start().await;
    w.sb.inject_fault(chronix_sandbox::RestFault::new(
        Some("/users/@me"),
        chronix_sandbox::FaultKind::Status(500),
        1,
    ));
    let m = w.say(w.member, "chro ping").await;
    assert_eq!(
        field(&m, "REST round-trip"),
        "⚠️ unavailable (details in the log)"
    );
    assert!(!description(&m).contains("500"));
}

/// Issue 9: the same internal error repeated within `ERROR_LOG_REPEAT_WINDOW_SECS` is counted,
/// not re-posted to the error-log channel; the next report after the window says how many were
/// held back. Users still get an error id every time, never the raw error.
#[tokio::test]
async fn repeated_errors_are_counted_not_reposted_to_the_error_log() {
    let (w, _) = World::start_with(Setup {
        env: vec![("ERROR_LOG_REPEAT_WINDOW_SECS", "2".into())],
        ..Setup::default()
    })
    .await;
    w.say(w.owner, &format!("chro errorlog set <#{}>", w.error_log))
        .await;
    let m = w.say(w.member, "chro boom").await;
    let first = error_id(&m);
    let report = w.sb.wait_for_message(w.error_log, REPLY).await.unwrap();
    assert_eq!(title(&report), format!("❌ Error {first}"));
    assert!(!field_names(&report).contains(&"Repeats not posted".to_string()));
    // Twice more within the window (once by slash, by another user): each gets an id, the
    // error log gets nothing.
    let m = w.say(w.member, "chro boom").await;
    error_id(&m);
    assert!(!description(&m).contains("forced failure"));
    let m = w.slash(w.owner, CommandCall::new("boom")).await;
    error_id(&m);
    // Another failing command is another error: posted.
    let m = w.say(w.member, "chro kaboom").await;
    let other = error_id(&m);
    let report = w.sb.wait_for_message(w.error_log, REPLY).await.unwrap();
    assert_eq!(title(&report), format!("❌ Error {other}"));
    assert!(
        w.sb.wait_for_message(w.error_log, SILENCE).await.is_err(),
        "repeats are not posted"
    );
    // After the window: posted again, with the count of what was held back.
    tokio::time::sleep(std::time::Duration::from_millis(2100)).await;
    let m = w.say(w.member, "chro boom").await;
    let last = error_id(&m);
    let report = w.sb.wait_for_message(w.error_log, REPLY).await.unwrap();
    assert_eq!(title(&report), format!("❌ Error {last}"));
    assert_eq!(
        field(&report, "Repeats not posted"),
        "The same error happened 2 more times since the last report (at most one report per 1 min)."
    );
}
