//! Issue 13: owner and developer tools on the dev server, the audit trail, backups.

use std::time::{Duration, Instant};

use chronix_core::economy::Chrons;
use chronix_core::ids::UserId;
use chronix_sandbox::{ChannelKind, GuildSetup, Id, InteractionResponse, Message};
use chronix_storage::audit;
use chronix_storage::owner::{self as store, PendingStatus};

use crate::helpers::*;

fn uid(id: Id) -> UserId {
    UserId::from_db(id as i64)
}

/// Entries of the audit trail with this action.
async fn audited(w: &World, action: &str) -> Vec<audit::AuditEntry> {
    audit::search(
        &w.db,
        &audit::AuditFilter {
            action: Some(action.into()),
            ..audit::AuditFilter::default()
        },
        0,
        100,
    )
    .await
    .unwrap()
    .0
    .into_iter()
    .filter(|e| e.action == action)
    .collect()
}

/// A world with a dev guild whose owner is OWNER_ID, plus a dev (DEV_IDS) and the plain
/// member, both members of the dev guild.
async fn dev_world(env: Vec<(&'static str, String)>, backend: Backend) -> (World, GuildSetup, Id) {
    let (w, dev) = World::start_with(Setup {
        dev_guild: true,
        env,
        backend,
        ..Setup::default()
    })
    .await;
    let dev = dev.unwrap();
    let dev_user = w.dev_user.unwrap();
    w.sb.add_member(dev.id, dev_user);
    w.sb.add_member(dev.id, w.member);
    (w, dev, dev_user)
}

#[tokio::test]
async fn owner_and_dev_commands_exist_only_on_the_dev_server_and_refuse_everyone_else() {
    let (w, dev, dev_user) = dev_world(Vec::new(), Backend::Sqlite).await;
    for name in ["owner", "dev", "audit"] {
        let regs: Vec<_> =
            w.sb.commands()
                .into_iter()
                .filter(|c| c.name == name)
                .collect();
        assert_eq!(regs.len(), 1, "/{name} registered once");
        assert_eq!(
            regs[0].guild_id,
            Some(dev.id),
            "/{name} only on the dev server"
        );
    }
    let owner_commands = [
        "chro owner guilds",
        "chro owner leave 1",
        "chro owner broadcast hello",
        "chro owner blacklist user 5 spam",
        "chro owner unblacklist user 5",
        "chro owner grant <@5> 10 test",
        "chro owner take <@5> 10 test",
        "chro owner unban-me 1",
        "chro owner sql SELECT 1",
        "chro owner backup",
        "chro owner pending",
    ];
    let dev_commands = [
        "chro dev panel",
        "chro dev elevate 5",
        "chro dev error ABC",
        "chro audit show",
        "chro audit verify",
    ];
    // A member of the dev server who is neither owner nor dev: refused everything.
    for text in owner_commands.iter().chain(dev_commands.iter()) {
        let m = w.say_in(w.member, dev.general, text).await;
        assert_eq!(title(&m), "❌ Not allowed", "{text}");
    }
    // A dev: refused the owner's commands, served the dev ones.
    for text in owner_commands {
        let m = w.say_in(dev_user, dev.general, text).await;
        assert_eq!(title(&m), "❌ Not allowed", "{text}");
        assert!(description(&m).contains("**owner**"), "{text}");
    }
    let m = w.say_in(dev_user, dev.general, "chro audit verify").await;
    assert_eq!(title(&m), "✅ Audit trail intact");
    // The owner outside the dev server: refused (and nothing registered there).
    w.sb.add_member(w.guild.id, dev.owner_id);
    let m = w.say(dev.owner_id, "chro owner guilds").await;
    assert_eq!(title(&m), "❌ Not allowed");
    assert!(description(&m).contains("development server"));
    assert!(audited(&w, "owner.guilds").await.is_empty());
}

/// The owner says `text` in the dev server; returns the bot's answer.
async fn on_dev(w: &World, dev: &GuildSetup, text: &str) -> Message {
    w.say_in(dev.owner_id, dev.general, text).await
}

/// The next edit of message `id` in `channel` (other edits are skipped).
async fn edit_of(w: &World, channel: Id, id: Id, within: Duration) -> Message {
    let end = Instant::now() + within;
    loop {
        let left = end.saturating_duration_since(Instant::now());
        let e = w.sb.wait_for_edit(channel, left).await.expect("an edit");
        if e.id == id {
            return e;
        }
    }
}

/// Clicks `label` on `m` and returns the updated message.
async fn click(w: &World, user: Id, m: &Message, label: &str) -> Message {
    let i = w.sb.click_button(user, m.id, label).unwrap();
    w.sb.wait_for_reply(&i, REPLY).await.unwrap()
}

async fn remote_action_waits_for_confirmation(backend: Backend) {
    let (w, dev, _) = dev_world(
        vec![
            ("SCHEDULER_TICK_MS", "100".into()),
            ("OWNER_CONFIRM_TTL_SECS", "2".into()),
            (
                "OWNER_DM_WEBHOOK_URL",
                "https://discord.com/api/webhooks/77/hook-token".into(),
            ),
        ],
        backend,
    )
    .await;
    let owner = dev.owner_id;
    let target = w.guild.id;
    let m = on_dev(&w, &dev, &format!("chro owner leave {target}")).await;
    assert_eq!(title(&m), "⚠️ Leave a server?");
    assert!(description(&m).contains(&format!("Test Guild ({target})")));
    assert!(field(&m, "Waiting for confirmation").contains("press Confirm"));
    assert!(
        w.rest("DELETE", "/users/@me/guilds/").is_empty(),
        "nothing done yet"
    );
    let mut open = store::pending_open(&w.db).await.unwrap();
    let end = Instant::now() + REPLY;
    while open[0].message.is_none() && Instant::now() < end {
        // Recorded right after the reply is sent.
        tokio::time::sleep(Duration::from_millis(20)).await;
        open = store::pending_open(&w.db).await.unwrap();
    }
    assert_eq!(open.len(), 1);
    assert_eq!(open[0].action, "owner.leave");
    assert_eq!(open[0].message.map(|m| m.get()), Some(m.id));
    // Someone else's click does nothing.
    let i = w.sb.click_button(w.member, m.id, "Confirm").unwrap();
    match w.sb.wait_for_response(&i, REPLY).await.unwrap() {
        InteractionResponse::Message { ephemeral, .. } => assert!(ephemeral),
        other => panic!("expected a private refusal, got {other:?}"),
    }
    let _ = w.sb.wait_for_message(dev.general, REPLY).await;
    assert!(w.rest("DELETE", "/users/@me/guilds/").is_empty());
    // The owner's click runs it, once.
    let done = click(&w, owner, &m, "Confirm").await;
    assert_eq!(title(&done), format!("✅ Left Test Guild ({target})"));
    assert!(done.components.is_empty());
    let left = w.rest("DELETE", "/users/@me/guilds/");
    assert_eq!(left.len(), 1);
    assert_eq!(left[0].path, format!("/users/@me/guilds/{target}"));
    let entries = audited(&w, "owner.leave").await;
    assert_eq!(entries.len(), 1);
    assert_eq!(entries[0].actor_id, uid(owner));
    assert_eq!(
        entries[0].target.as_deref(),
        Some(target.to_string().as_str())
    );
    assert_eq!(
        store::pending_get(&w.db, open[0].id)
            .await
            .unwrap()
            .unwrap()
            .status,
        PendingStatus::Done
    );
    // …and copied to the owner's webhook.
    w.sb.settle(Duration::from_millis(200), REPLY)
        .await
        .unwrap();
    let copies = w.rest("POST", "/webhooks/77/hook-token");
    assert!(
        copies.iter().any(|c| c.body.as_ref().is_some_and(|b| b
            .to_string()
            .contains(&format!("Left Test Guild ({target})")))),
        "{copies:?}"
    );

    // Unconfirmed: it expires, the button goes, nothing runs.
    let started = Instant::now();
    let m = on_dev(&w, &dev, &format!("chro owner unban-me {target}")).await;
    assert_eq!(title(&m), "⚠️ Unban yourself?");
    // (The Confirm click's update of the first confirmation is an edit too: skip it.)
    let e = edit_of(&w, dev.general, m.id, Duration::from_secs(6)).await;
    assert!(
        started.elapsed() >= Duration::from_millis(1500),
        "not before its time"
    );
    assert_eq!(title(&e), "ℹ️ Owner action expired");
    assert!(e.components.is_empty());
    assert!(w.rest("DELETE", "/bans/").is_empty(), "the unban never ran");
    assert!(audited(&w, "owner.unban_me").await.is_empty());
    let late = w.sb.click_button(owner, m.id, "Confirm");
    assert!(
        late.is_err() || {
            let i = late.unwrap();
            matches!(
                w.sb.wait_for_response(&i, REPLY).await.unwrap(),
                InteractionResponse::Message {
                    ephemeral: true,
                    ..
                }
            )
        }
    );
}

#[tokio::test]
async fn a_remote_owner_action_waits_for_confirmation_runs_after_the_click_and_expires_without_it()
{
    remote_action_waits_for_confirmation(Backend::Sqlite).await;
}

#[tokio::test]
async fn a_remote_owner_action_waits_for_confirmation_on_postgres() {
    remote_action_waits_for_confirmation(Backend::Postgres).await;
}

#[tokio::test]
async fn with_the_override_the_owner_confirms_in_place_and_the_bypass_is_audited() {
    let (w, dev, _) = dev_world(
        vec![("FORCE_OWNER_OVERRIDE", "true".into())],
        Backend::Sqlite,
    )
    .await;
    let owner = dev.owner_id;
    let m = on_dev(&w, &dev, &format!("chro owner leave {}", w.guild.id)).await;
    assert_eq!(title(&m), "⚠️ Leave a server?");
    assert!(
        store::pending_open(&w.db).await.unwrap().is_empty(),
        "nothing stored"
    );
    let done = click(&w, owner, &m, "Confirm").await;
    assert!(
        title(&done).starts_with("✅ Left Test Guild"),
        "{}",
        title(&done)
    );
    assert_eq!(audited(&w, "owner.override").await.len(), 1);
    assert_eq!(audited(&w, "owner.leave").await.len(), 1);
}

async fn grants_and_takes(backend: Backend) {
    let (w, dev, _) = dev_world(Vec::new(), backend).await;
    let member = w.member;
    let m = on_dev(
        &w,
        &dev,
        &format!("chro owner grant <@{member}> 1500 contest prize"),
    )
    .await;
    assert_eq!(title(&m), "✅ Granted 1500 Chrons to member");
    assert_eq!(field(&m, "Now"), "1500 Chrons");
    assert_eq!(field(&m, "Reason"), "contest prize");
    let m = on_dev(&w, &dev, &format!("chro owner take <@{member}> 400 refund")).await;
    assert_eq!(title(&m), "✅ Took 400 Chrons from member");
    let m = on_dev(
        &w,
        &dev,
        &format!("chro owner take <@{member}> 5000 too much"),
    )
    .await;
    assert_eq!(title(&m), "❌ Cannot do that");
    assert_eq!(description(&m), "They have 1100 Chrons, fewer than 5000.");
    let m = on_dev(
        &w,
        &dev,
        &format!("chro owner grant <@{member}> basic_crate:2 event"),
    )
    .await;
    assert_eq!(title(&m), "✅ Granted 2 × `basic_crate` to member");
    let m = on_dev(&w, &dev, &format!("chro owner grant <@{member}> 10")).await;
    assert!(
        title(&m).starts_with("❌"),
        "a reason is required: {}",
        title(&m)
    );
    let s = w.db.storage();
    assert_eq!(
        chronix_storage::economy::balance(&s, uid(member))
            .await
            .unwrap(),
        Chrons::new(1100)
    );
    let ledger: Vec<(i64, i64, String)> =
        chronix_storage::economy::history(&s, uid(member), 10, None)
            .await
            .unwrap()
            .into_iter()
            .map(|e| (e.change.get(), e.balance_after.get(), e.kind))
            .collect();
    assert_eq!(
        ledger,
        [
            (-400, 1100, "owner".to_string()),
            (1500, 1500, "owner".to_string())
        ]
    );
    assert!(
        chronix_storage::economy::reconcile(&s)
            .await
            .unwrap()
            .is_empty()
    );
    assert_eq!(
        chronix_storage::inventory::list(&s, uid(member))
            .await
            .unwrap()
            .quantity("basic_crate"),
        2
    );
    assert_eq!(audited(&w, "owner.grant").await.len(), 2);
    assert_eq!(audited(&w, "owner.take").await.len(), 1);
}

#[tokio::test]
async fn grant_and_take_are_ledgered_with_exact_balances() {
    grants_and_takes(Backend::Sqlite).await;
}

#[tokio::test]
async fn grant_and_take_are_ledgered_on_postgres() {
    grants_and_takes(Backend::Postgres).await;
}

#[tokio::test]
async fn an_elevated_dev_runs_dev_commands_elsewhere_until_the_elevation_expires() {
    let (w, dev, dev_user) = dev_world(Vec::new(), Backend::Sqlite).await;
    w.sb.add_member(w.guild.id, dev_user);
    let m = w.say(dev_user, "chro audit verify").await;
    assert_eq!(title(&m), "❌ Not allowed", "not elevated yet");
    let m = w
        .say_in(dev_user, dev.general, "chro dev elevate 500")
        .await;
    assert_eq!(title(&m), "❌ Invalid input");
    let m = w.say_in(dev_user, dev.general, "chro dev elevate 5").await;
    assert_eq!(title(&m), "⚠️ Elevated");
    assert_eq!(audited(&w, "dev.elevate").await.len(), 1);
    let m = w.say(dev_user, "chro audit verify").await;
    assert_eq!(title(&m), "✅ Audit trail intact");
    let m = w.say(dev_user, "chro audit show").await;
    assert!(title(&m).starts_with("ℹ️ Audit trail"), "{}", title(&m));
    let elevated = audited(&w, "dev.elevated_command").await;
    assert_eq!(elevated.len(), 2, "every elevated command is audited");
    assert_eq!(elevated[1].target.as_deref(), Some("audit verify"));
    assert_eq!(elevated[0].guild().map(|g| g.get()), Some(w.guild.id));
    // Still not the owner's commands.
    let m = w.say(dev_user, "chro owner guilds").await;
    assert_eq!(title(&m), "❌ Not allowed");
    // The elevation ends at its time (checked at use: move its expiry into the past).
    let now = chrono::Utc::now();
    store::elevate(
        &w.db,
        uid(dev_user),
        now - chrono::Duration::minutes(6),
        now - chrono::Duration::seconds(1),
    )
    .await
    .unwrap();
    let m = w.say(dev_user, "chro audit verify").await;
    assert_eq!(title(&m), "❌ Not allowed");
    assert!(description(&m).contains("development server"));
    assert_eq!(audited(&w, "dev.elevated_command").await.len(), 2);
}

#[tokio::test]
async fn each_kind_of_sensitive_action_leaves_one_audit_entry_and_tampering_is_found() {
    let (w, dev, _) = dev_world(Vec::new(), Backend::Sqlite).await;
    // moderation (the guild's owner warns the member)
    let m = w
        .say(w.owner, &format!("chro warn <@{}> spam", w.member))
        .await;
    assert!(title(&m).starts_with("✅"), "{}", title(&m));
    // configuration and module switches
    w.say(w.owner, "chro prefix set !").await;
    w.say(w.owner, "!prefix reset").await;
    w.say(w.owner, "chro module disable misc").await;
    w.say(w.owner, "chro logs privacy on").await;
    // an owner command
    on_dev(&w, &dev, "chro owner blacklist user 12345 spam").await;
    // a wizard confirmation
    let m = w.say(w.member, "chro wiztest").await;
    let sel = m
        .components
        .iter()
        .flat_map(|r| r["components"].as_array().cloned().unwrap_or_default())
        .find(|c| c["type"] == 3)
        .and_then(|c| c["custom_id"].as_str().map(str::to_string))
        .unwrap();
    let i = w.sb.select(w.member, m.id, &sel, &["red"]).unwrap();
    let m = w.sb.wait_for_reply(&i, REPLY).await.unwrap();
    let m = click(&w, w.member, &m, "Next ▶").await;
    let open = w.sb.click_button(w.member, m.id, "Set name").unwrap();
    let _ = w.sb.wait_for_response(&open, REPLY).await.unwrap();
    let named =
        w.sb.submit_modal(w.member, &open, &[("name", "Ada")])
            .unwrap();
    let mut m = w.sb.wait_for_reply(&named, REPLY).await.unwrap();
    for label in ["Next ▶", "Next ▶", "Confirm"] {
        m = click(&w, w.member, &m, label).await;
    }
    assert_eq!(title(&m), "✅ Created", "the wizard ran");
    let warn = audited(&w, "moderation.warn").await;
    assert_eq!(warn.len(), 1);
    assert_eq!(warn[0].actor_id, uid(w.owner));
    assert_eq!(
        warn[0].target.as_deref(),
        Some(w.member.to_string().as_str())
    );
    assert!(
        warn[0].details.contains(r#""reason":"spam""#),
        "{}",
        warn[0].details
    );
    let prefix = audited(&w, "config.prefix").await;
    assert_eq!(prefix.len(), 2);
    assert_eq!(prefix[1].details, r#"{"after":"!","before":null}"#);
    assert_eq!(prefix[0].details, r#"{"after":null,"before":"!"}"#);
    let module = audited(&w, "config.module.misc").await;
    assert_eq!(module.len(), 1);
    assert_eq!(module[0].details, r#"{"after":false,"before":true}"#);
    let privacy = audited(&w, "config.logs.privacy").await;
    assert_eq!(privacy.len(), 1);
    assert_eq!(privacy[0].details, r#"{"after":true,"before":null}"#);
    assert_eq!(audited(&w, "owner.blacklist").await.len(), 1);
    let wiz = audited(&w, "wizard.confirm").await;
    assert_eq!(wiz.len(), 1);
    assert_eq!(wiz[0].actor_id, uid(w.member));
    let m = on_dev(&w, &dev, "chro audit show action:config.").await;
    assert_eq!(title(&m), "ℹ️ Audit trail (4 entries)");
    let m = on_dev(&w, &dev, "chro audit verify").await;
    assert_eq!(title(&m), "✅ Audit trail intact");
    // Tampering: a raw UPDATE past the (dropped) append-only trigger.
    let storage = w.db.storage();
    let chronix_storage::Db::Sqlite(pool) = storage.db() else {
        unreachable!()
    };
    assert!(
        sqlx::query("UPDATE audit_log SET details = '{}' WHERE id = 1")
            .execute(pool)
            .await
            .is_err(),
        "append-only"
    );
    sqlx::query("DROP TRIGGER audit_log_no_update")
        .execute(pool)
        .await
        .unwrap();
    sqlx::query("UPDATE audit_log SET details = '{\"reason\":\"nothing\"}' WHERE id = 1")
        .execute(pool)
        .await
        .unwrap();
    let m = on_dev(&w, &dev, "chro audit verify").await;
    assert_eq!(title(&m), "❌ Audit trail broken");
    assert_eq!(description(&m), "Entry #1 was edited after it was written.");
}

#[tokio::test]
async fn a_blacklisted_user_is_refused_until_taken_off() {
    let (w, dev, _) = dev_world(Vec::new(), Backend::Sqlite).await;
    let m = on_dev(
        &w,
        &dev,
        &format!("chro owner blacklist user <@{}> raids", w.member),
    )
    .await;
    assert_eq!(title(&m), format!("✅ Blacklisted <@{0}> ({0})", w.member));
    let m = w.say(w.member, "chro ping").await;
    assert_eq!(title(&m), "❌ Not allowed");
    assert_eq!(description(&m), "You cannot use Chronix commands.");
    let m = on_dev(
        &w,
        &dev,
        &format!("chro owner unblacklist user {}", w.member),
    )
    .await;
    assert!(title(&m).starts_with("✅ Removed"), "{}", title(&m));
    let m = w.say(w.member, "chro ping").await;
    assert!(!title(&m).starts_with("❌"), "{}", title(&m));
}

#[tokio::test]
async fn owner_sql_reads_only_and_backup_writes_a_file() {
    let dir = std::env::temp_dir().join(format!("chronix-e2e-backups-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let (w, dev, _) = dev_world(
        vec![
            ("BACKUP_DIR", dir.display().to_string()),
            ("BACKUP_KEEP", "1".into()),
        ],
        Backend::Sqlite,
    )
    .await;
    seed(&w.db, w.member, 42).await;
    let m = on_dev(
        &w,
        &dev,
        "chro owner sql SELECT id, chrons FROM users WHERE chrons = 42",
    )
    .await;
    assert_eq!(title(&m), "ℹ️ Query result (1 rows)");
    assert_eq!(
        description(&m),
        format!(
            "```\nid{} | chrons\n{}-+-------\n{} | 42\n```",
            " ".repeat(w.member.to_string().len() - 2),
            "-".repeat(w.member.to_string().len()),
            w.member
        )
    );
    let m = on_dev(&w, &dev, "chro owner sql DELETE FROM users").await;
    assert_eq!(title(&m), "❌ Cannot do that");
    assert!(description(&m).starts_with("Only one SELECT"));
    assert_eq!(
        audited(&w, "owner.sql").await.len(),
        2,
        "attempts are audited too"
    );
    for _ in 0..2 {
        let m = on_dev(&w, &dev, "chro owner backup").await;
        assert_eq!(title(&m), "✅ Database backed up");
    }
    let files = chronix_storage::backup::list(&dir);
    assert_eq!(files.len(), 1, "BACKUP_KEEP=1 pruned the older one");
    assert!(std::fs::metadata(&files[0]).unwrap().len() > 0);
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test]
async fn the_dev_panel_shows_the_bot_and_switches_a_feature_for_everyone() {
    let (mut w, dev, dev_user) = dev_world(Vec::new(), Backend::Sqlite).await;
    let m = w.say_in(dev_user, dev.general, "chro dev panel").await;
    assert_eq!(title(&m), "ℹ️ Dev panel");
    for f in [
        "Uptime",
        "Gateway",
        "Commands",
        "Caches",
        "Database",
        "Scheduler",
        "Tables",
        "Features",
    ] {
        assert!(
            field_names(&m).contains(&f.to_string()),
            "{f}: {:?}",
            field_names(&m)
        );
    }
    assert!(field(&m, "Database").starts_with("SQLite"));
    assert!(field(&m, "Features").contains("`misc` on"));
    // The switch: misc off for everyone.
    let sel = m
        .components
        .iter()
        .flat_map(|r| r["components"].as_array().cloned().unwrap_or_default())
        .find(|c| c["type"] == 3)
        .and_then(|c| c["custom_id"].as_str().map(str::to_string))
        .unwrap();
    let i = w.sb.select(w.member, m.id, &sel, &["misc"]).unwrap();
    match w.sb.wait_for_response(&i, REPLY).await.unwrap() {
        InteractionResponse::Message { ephemeral, .. } => assert!(ephemeral, "not for members"),
        other => panic!("{other:?}"),
    }
    let _ = w.sb.wait_for_message(dev.general, REPLY).await;
    let i = w.sb.select(dev_user, m.id, &sel, &["misc"]).unwrap();
    let m2 = w.sb.wait_for_reply(&i, REPLY).await.unwrap();
    assert!(field(&m2, "Features").contains("`misc` off (switched at run time)"));
    let r = w.say(w.member, "chro roll 20").await;
    assert_eq!(title(&r), "❌ Module disabled");
    assert_eq!(audited(&w, "dev.switch").await.len(), 1);
    // The switch is kept in the database: still off after a restart.
    w.bot.take().unwrap().shutdown().await;
    w.restart_bot(Vec::new()).await;
    let r = w.say(w.member, "chro roll 20").await;
    assert_eq!(title(&r), "❌ Module disabled", "still off after a restart");
    let i = w.sb.select(dev_user, m.id, &sel, &["misc"]).unwrap();
    w.sb.wait_for_reply(&i, REPLY).await.unwrap();
    let r = w.say(w.member, "chro roll 20").await;
    assert!(!title(&r).starts_with("❌"), "{}", title(&r));
    // Recent errors and the configuration, privately.
    let i = w.sb.click_button(dev_user, m.id, "Configuration").unwrap();
    let c = w.sb.wait_for_reply(&i, REPLY).await.unwrap();
    assert_eq!(title(&c), "ℹ️ Effective configuration (secrets hidden)");
    assert!(description(&c).contains("discord_token: [redacted]"));
    assert!(!description(&c).contains(w.sb.token()));
    let i = w.sb.click_button(dev_user, m.id, "Recent errors").unwrap();
    let c = w.sb.wait_for_reply(&i, REPLY).await.unwrap();
    assert_eq!(title(&c), "ℹ️ 0 recent errors");
    assert_eq!(store::panels(&w.db).await.unwrap().len(), 1);
    let _ = Instant::now();
}

#[tokio::test]
async fn a_blacklisted_server_is_left_when_the_bot_joins_it() {
    let (mut w, dev, _) = dev_world(Vec::new(), Backend::Sqlite).await;
    let target = w.guild.id;
    // The bot has received both servers (a GUILD_CREATE arriving after the blacklisting would
    // rightly make it leave at once).
    let all_there = || w.bot().data().guilds().len() >= 2;
    assert!(eventually(all_there).await, "the bot received its servers");
    let m = on_dev(
        &w,
        &dev,
        &format!("chro owner blacklist guild {target} raid server"),
    )
    .await;
    assert_eq!(title(&m), format!("✅ Blacklisted server {target}"));
    assert!(
        w.rest("DELETE", "/users/@me/guilds/").is_empty(),
        "not at once"
    );
    // The next time the bot receives the server (a restart or a new invite), it leaves.
    w.bot.take().unwrap().shutdown().await;
    w.restart_bot(Vec::new()).await;
    let end = Instant::now() + REPLY;
    while w.rest("DELETE", "/users/@me/guilds/").is_empty() && Instant::now() < end {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let left: Vec<String> = w
        .rest("DELETE", "/users/@me/guilds/")
        .into_iter()
        .map(|c| c.path)
        .collect();
    assert_eq!(
        left,
        [format!("/users/@me/guilds/{target}")],
        "only that server"
    );
}

/// Queues one run of the job kind `kind`, due now.
async fn run_now(w: &World, kind: &str) {
    let now = chrono::Utc::now();
    chronix_discord::scheduler::enqueue(w.bot().data(), kind, serde_json::json!({}), now, None)
        .await
        .unwrap();
}

/// Waits until `f` holds (or the reply time is over).
async fn eventually(mut f: impl FnMut() -> bool) -> bool {
    let end = Instant::now() + REPLY;
    while !f() && Instant::now() < end {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    f()
}

#[tokio::test]
async fn the_scheduled_backup_and_health_report_jobs_run_from_the_jobs_table() {
    let dir = std::env::temp_dir().join(format!("chronix-e2e-sched-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    // The health channel is made before the bot starts: a world with a dev guild first, then
    // the channel, then a restart with the channel configured.
    let (mut w, dev, _) = dev_world(
        vec![
            ("BACKUP_DIR", dir.display().to_string()),
            ("BACKUP_INTERVAL", "3600".into()),
            ("BACKUP_KEEP", "2".into()),
            ("SCHEDULER_TICK_MS", "50".into()),
        ],
        Backend::Sqlite,
    )
    .await;
    let health = w.sb.create_channel(dev.id, "health", ChannelKind::Text);
    w.bot.take().unwrap().shutdown().await;
    w.config_values
        .insert("HEALTH_REPORT_CHANNEL_ID".into(), health.to_string());
    w.config = chronix_config::Config::from_values(&w.config_values).unwrap();
    w.restart_bot(Vec::new()).await;
    // The backup job: due (no backup yet) → one file.
    run_now(&w, "owner.backup").await;
    assert!(
        eventually(|| chronix_storage::backup::list(&dir).len() == 1).await,
        "the backup job wrote a file"
    );
    // Run again within BACKUP_INTERVAL: not due, nothing new.
    run_now(&w, "owner.backup").await;
    tokio::time::sleep(Duration::from_millis(600)).await;
    assert_eq!(
        chronix_storage::backup::list(&dir).len(),
        1,
        "not due again yet"
    );
    // The health report posts the status to its channel.
    run_now(&w, "owner.health_report").await;
    let m =
        w.sb.wait_for_message(health, REPLY)
            .await
            .expect("a health report");
    assert_eq!(title(&m), "ℹ️ Health report");
    for f in ["Uptime", "Gateway", "Commands", "Database", "Scheduler"] {
        assert!(
            field_names(&m).contains(&f.to_string()),
            "{f}: {:?}",
            field_names(&m)
        );
    }
    assert!(field(&m, "Database").starts_with("SQLite"));
    let _ = std::fs::remove_dir_all(&dir);
}
