//! Owner tools (issue 13): blacklist, pending confirmations, elevations, panels, ledgered
//! grants and takes with their audit entry, the read-only query, audit search, backups.

use chronix_core::economy::Chrons;
use chronix_core::ids::{ChannelId, GuildId, MessageId, UserId};
use chronix_storage::audit::{self, AuditFilter};
use chronix_storage::owner::{self, Blacklisted, Grant, OwnerRefusal, PendingId, PendingStatus};
use chronix_storage::{Refusal, Storage, StorageError, economy, inventory};
use serde_json::json;
use std::time::Duration;

use crate::{exec, t, tables};

both!(
    blacklist_adds_lists_and_removes_once,
    a_pending_action_is_taken_once_and_expires_after_its_time,
    an_elevation_holds_until_its_expiry,
    panels_are_remembered,
    grants_and_takes_are_ledgered_and_audited_together,
    a_take_beyond_the_balance_changes_nothing,
    the_query_is_read_only_and_returns_a_table,
    audit_search_filters_by_actor_action_and_time,
    tampering_with_an_entry_is_found_by_verify,
    feature_switches_are_kept_until_switched_back_on,
);

async fn feature_switches_are_kept_until_switched_back_on(s: Storage) {
    let dev = UserId::new(5);
    assert!(owner::switched_off_features(&s).await.unwrap().is_empty());
    assert!(
        owner::set_feature_switch(&s, "logging", false, dev, t(1))
            .await
            .unwrap()
    );
    assert!(
        owner::set_feature_switch(&s, "games", false, dev, t(2))
            .await
            .unwrap()
    );
    // Switching off twice changes nothing.
    assert!(
        !owner::set_feature_switch(&s, "logging", false, dev, t(3))
            .await
            .unwrap()
    );
    assert_eq!(
        owner::switched_off_features(&s).await.unwrap(),
        vec!["games".to_string(), "logging".to_string()]
    );
    assert!(
        owner::set_feature_switch(&s, "logging", true, dev, t(4))
            .await
            .unwrap()
    );
    assert!(
        !owner::set_feature_switch(&s, "logging", true, dev, t(5))
            .await
            .unwrap()
    );
    assert_eq!(
        owner::switched_off_features(&s).await.unwrap(),
        vec!["games".to_string()]
    );
}

/// User 1 grants (or takes) `what` to (from) user 2 at `t(at)`.
async fn adj(
    s: &Storage,
    guild: Option<GuildId>,
    what: Grant,
    take: bool,
    reason: &str,
    at: i64,
) -> chronix_storage::Result<owner::Adjusted> {
    let (me, them) = (UserId::new(1), UserId::new(2));
    owner::adjust(s, me, guild, them, &what, take, reason, t(at)).await
}

fn c(n: i64) -> Grant {
    Grant::Chrons(Chrons::new(n))
}

fn owner_refusal(e: StorageError) -> OwnerRefusal {
    match e {
        StorageError::Refused(Refusal::Owner(r)) => r,
        other => panic!("expected an owner refusal, got {other:?}"),
    }
}

async fn blacklist_adds_lists_and_removes_once(s: Storage) {
    let u = Blacklisted::User(UserId::new(7));
    let g = Blacklisted::Guild(GuildId::new(8));
    owner::blacklist_add(&s, u, "spam", UserId::new(1), t(1))
        .await
        .unwrap();
    owner::blacklist_add(&s, g, "abuse", UserId::new(1), t(2))
        .await
        .unwrap();
    let again = owner::blacklist_add(&s, u, "spam", UserId::new(1), t(3)).await;
    assert_eq!(
        owner_refusal(again.unwrap_err()),
        OwnerRefusal::BlacklistUnchanged
    );
    assert!(owner::is_blacklisted(&s, u).await.unwrap());
    assert!(owner::is_blacklisted(&s, g).await.unwrap());
    assert!(
        !owner::is_blacklisted(&s, Blacklisted::User(UserId::new(8)))
            .await
            .unwrap()
    );
    let list = owner::blacklist(&s).await.unwrap();
    assert_eq!(
        list.iter()
            .map(|e| (e.target, e.reason.as_str()))
            .collect::<Vec<_>>(),
        [(u, "spam"), (g, "abuse")]
    );
    owner::blacklist_remove(&s, u).await.unwrap();
    assert!(!owner::is_blacklisted(&s, u).await.unwrap());
    let twice = owner::blacklist_remove(&s, u).await;
    assert_eq!(
        owner_refusal(twice.unwrap_err()),
        OwnerRefusal::BlacklistUnchanged
    );
}

async fn a_pending_action_is_taken_once_and_expires_after_its_time(s: Storage) {
    let by = UserId::new(1);
    let p = owner::pending_create(
        &s,
        "owner.leave",
        &json!({"guild": "42"}),
        Some(GuildId::new(42)),
        by,
        t(0),
        t(60),
    )
    .await
    .unwrap();
    assert_eq!(p.status, PendingStatus::Open);
    owner::pending_set_message(&s, p.id, ChannelId::new(5), MessageId::new(6))
        .await
        .unwrap();
    let got = owner::pending_get(&s, p.id).await.unwrap().unwrap();
    assert_eq!(got.message, Some(MessageId::new(6)));
    assert_eq!(got.payload, json!({"guild": "42"}));
    assert_eq!(owner::pending_open(&s).await.unwrap().len(), 1);
    // Not expired before its time.
    assert!(
        owner::pending_expire(&s, p.id, t(59))
            .await
            .unwrap()
            .is_none()
    );
    let taken = owner::pending_take(&s, p.id, t(10)).await.unwrap();
    assert_eq!(taken.status, PendingStatus::Done);
    let second = owner::pending_take(&s, p.id, t(11)).await;
    assert_eq!(
        owner_refusal(second.unwrap_err()),
        OwnerRefusal::PendingClosed(p.id.get())
    );
    assert!(
        owner::pending_expire(&s, p.id, t(61))
            .await
            .unwrap()
            .is_none(),
        "done stays done"
    );

    let q = owner::pending_create(&s, "owner.leave", &json!({}), None, by, t(0), t(60))
        .await
        .unwrap();
    let late = owner::pending_take(&s, q.id, t(60)).await;
    assert_eq!(
        owner_refusal(late.unwrap_err()),
        OwnerRefusal::PendingClosed(q.id.get())
    );
    let expired = owner::pending_expire(&s, q.id, t(60))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(expired.status, PendingStatus::Expired);
    assert!(owner::pending_open(&s).await.unwrap().is_empty());
    assert!(
        owner::pending_get(&s, PendingId::new(999))
            .await
            .unwrap()
            .is_none()
    );
}

async fn an_elevation_holds_until_its_expiry(s: Storage) {
    let dev = UserId::new(3);
    assert_eq!(owner::elevated_until(&s, dev, t(0)).await.unwrap(), None);
    owner::elevate(&s, dev, t(0), t(300)).await.unwrap();
    assert_eq!(
        owner::elevated_until(&s, dev, t(299)).await.unwrap(),
        Some(t(300))
    );
    assert_eq!(owner::elevated_until(&s, dev, t(300)).await.unwrap(), None);
    owner::elevate(&s, dev, t(400), t(500)).await.unwrap();
    assert_eq!(
        owner::elevated_until(&s, dev, t(450)).await.unwrap(),
        Some(t(500))
    );
    assert!(owner::drop_elevation(&s, dev).await.unwrap());
    assert_eq!(owner::elevated_until(&s, dev, t(450)).await.unwrap(), None);
    assert!(!owner::drop_elevation(&s, dev).await.unwrap());
}

async fn panels_are_remembered(s: Storage) {
    let c = ChannelId::new(10);
    owner::panel_add(&s, c, UserId::new(1), t(0)).await.unwrap();
    owner::panel_add(&s, c, UserId::new(1), t(1)).await.unwrap();
    assert_eq!(owner::panels(&s).await.unwrap(), [(c, None)]);
    owner::panel_set_message(&s, c, MessageId::new(11))
        .await
        .unwrap();
    assert_eq!(
        owner::panels(&s).await.unwrap(),
        [(c, Some(MessageId::new(11)))]
    );
    owner::panel_remove(&s, c).await.unwrap();
    assert!(owner::panels(&s).await.unwrap().is_empty());
}

async fn grants_and_takes_are_ledgered_and_audited_together(s: Storage) {
    inventory::sync_definitions(&s, &tables()).await.unwrap();
    let (them, g) = (UserId::new(2), Some(GuildId::new(9)));
    let a = adj(&s, g, c(500), false, "event prize", 1).await.unwrap();
    assert_eq!(a.after, 500);
    let b = adj(&s, g, c(200), true, "refund", 2).await.unwrap();
    assert_eq!(b.after, 300);
    let item = Grant::Item {
        key: "basic_crate".into(),
        qty: 3,
    };
    let gift = adj(&s, None, item, false, "gift", 3).await.unwrap();
    assert_eq!(gift.after, 3);
    let one = Grant::Item {
        key: "basic_crate".into(),
        qty: 1,
    };
    let d = adj(&s, None, one, true, "oops", 4).await.unwrap();
    assert_eq!(d.after, 2);
    assert_eq!(economy::balance(&s, them).await.unwrap(), Chrons::new(300));
    let history = economy::history(&s, them, 10, None).await.unwrap();
    let ledger: Vec<(i64, i64, &str, &str)> = history
        .iter()
        .map(|e| {
            (
                e.change.get(),
                e.balance_after.get(),
                e.kind.as_str(),
                e.reason.as_str(),
            )
        })
        .collect();
    assert_eq!(
        ledger,
        [
            (-200, 300, "owner", "refund"),
            (500, 500, "owner", "event prize")
        ]
    );
    assert!(economy::reconcile(&s).await.unwrap().is_empty());
    assert_eq!(
        inventory::list(&s, them)
            .await
            .unwrap()
            .quantity("basic_crate"),
        2
    );
    let entries = audit::recent(&s, 10).await.unwrap();
    let actions: Vec<(&str, Option<&str>)> = entries
        .iter()
        .map(|e| (e.action.as_str(), e.target.as_deref()))
        .collect();
    assert_eq!(
        actions,
        [
            ("owner.take", Some("2")),
            ("owner.grant", Some("2")),
            ("owner.take", Some("2")),
            ("owner.grant", Some("2"))
        ]
    );
    assert_eq!(entries[3].id, a.audit_id);
    assert_eq!(
        entries[3].details,
        r#"{"balance_after":500,"chrons":500,"reason":"event prize"}"#
    );
    assert_eq!(entries[3].guild(), Some(GuildId::new(9)));
    assert!(audit::verify(&s).await.unwrap().is_intact());
}

async fn a_take_beyond_the_balance_changes_nothing(s: Storage) {
    let them = UserId::new(2);
    adj(&s, None, c(50), false, "seed", 1).await.unwrap();
    let e = adj(&s, None, c(80), true, "too much", 2).await.unwrap_err();
    assert!(
        matches!(e, StorageError::Refused(Refusal::InsufficientFunds { .. })),
        "{e:?}"
    );
    let z = adj(&s, None, c(0), false, "zero", 2).await.unwrap_err();
    assert!(
        matches!(z, StorageError::Refused(Refusal::InvalidAmount(0))),
        "{z:?}"
    );
    assert_eq!(economy::balance(&s, them).await.unwrap(), Chrons::new(50));
    assert_eq!(
        audit::recent(&s, 10).await.unwrap().len(),
        1,
        "only the grant is audited"
    );
}

async fn the_query_is_read_only_and_returns_a_table(s: Storage) {
    let them = UserId::new(2);
    adj(&s, None, c(70), false, "seed", 1).await.unwrap();
    let r = owner::read_only_query(
        &s,
        "SELECT id, chrons, NULL AS empty FROM users ORDER BY id;",
        10,
        Duration::from_secs(5),
    )
    .await
    .unwrap();
    assert_eq!(r.columns, ["id", "chrons", "empty"]);
    assert_eq!(r.rows, [vec!["2".to_string(), "70".into(), "NULL".into()]]);
    assert!(!r.truncated);
    let many = owner::read_only_query(&s, "SELECT id FROM transactions", 0, Duration::from_secs(5))
        .await
        .unwrap();
    assert!(many.truncated && many.rows.is_empty());
    // A write hidden in a CTE is refused by the database itself.
    let sneaky = "WITH x AS (UPDATE users SET chrons = 0 RETURNING id) SELECT * FROM x";
    let e = owner::read_only_query(&s, sneaky, 10, Duration::from_secs(5))
        .await
        .unwrap_err();
    assert!(matches!(owner_refusal(e), OwnerRefusal::Query(_)));
    let e = owner::read_only_query(&s, "DELETE FROM users", 10, Duration::from_secs(5))
        .await
        .unwrap_err();
    assert_eq!(owner_refusal(e), OwnerRefusal::NotASelect);
    let e = owner::read_only_query(
        &s,
        "SELECT * FROM no_such_table",
        10,
        Duration::from_secs(5),
    )
    .await
    .unwrap_err();
    assert!(matches!(owner_refusal(e), OwnerRefusal::Query(_)));
    assert_eq!(
        economy::balance(&s, them).await.unwrap(),
        Chrons::new(70),
        "nothing changed"
    );
    // The connection is usable for writes again afterwards.
    adj(&s, None, c(1), false, "after", 2).await.unwrap();
    if s.dialect() == chronix_storage::Dialect::Postgres {
        let e = owner::read_only_query(&s, "SELECT pg_sleep(2)", 10, Duration::from_millis(100))
            .await
            .unwrap_err();
        assert!(matches!(owner_refusal(e), OwnerRefusal::Query(_)));
    }
}

async fn audit_search_filters_by_actor_action_and_time(s: Storage) {
    for (i, (actor, action)) in [
        (1, "moderation.ban"),
        (2, "config.prefix"),
        (1, "owner.leave"),
        (1, "moderation.kick"),
    ]
    .into_iter()
    .enumerate()
    {
        audit::append(
            &s,
            UserId::new(actor),
            None,
            action,
            None,
            &json!({}),
            t(i as i64 * 10),
        )
        .await
        .unwrap();
    }
    let all = audit::search(&s, &AuditFilter::default(), 0, 10)
        .await
        .unwrap();
    assert_eq!(all.1, 4);
    assert_eq!(all.0.iter().map(|e| e.id).collect::<Vec<_>>(), [4, 3, 2, 1]);
    let f = AuditFilter {
        actor: Some(UserId::new(1)),
        ..AuditFilter::default()
    };
    let (rows, n) = audit::search(&s, &f, 1, 1).await.unwrap();
    assert_eq!((n, rows[0].id), (3, 3));
    let f = AuditFilter {
        action: Some("moderation.".into()),
        ..AuditFilter::default()
    };
    let (rows, n) = audit::search(&s, &f, 0, 10).await.unwrap();
    assert_eq!(
        (n, rows.iter().map(|e| e.id).collect::<Vec<_>>()),
        (2, vec![4, 1])
    );
    let f = AuditFilter {
        since: Some(t(15)),
        action: Some("mod".into()),
        actor: Some(UserId::new(1)),
    };
    let (rows, n) = audit::search(&s, &f, 0, 10).await.unwrap();
    assert_eq!((n, rows[0].action.as_str()), (1, "moderation.kick"));
    // Underscores in an action are themselves.
    audit::append(
        &s,
        UserId::new(3),
        None,
        "dev.elevated_command",
        None,
        &json!({}),
        t(99),
    )
    .await
    .unwrap();
    let f = AuditFilter {
        action: Some("dev.elevated_command".into()),
        ..AuditFilter::default()
    };
    assert_eq!(audit::search(&s, &f, 0, 10).await.unwrap().1, 1);
}

async fn tampering_with_an_entry_is_found_by_verify(s: Storage) {
    adj(&s, None, c(5), false, "a", 1).await.unwrap();
    adj(&s, None, c(5), false, "b", 2).await.unwrap();
    assert!(
        exec(&s, "UPDATE audit_log SET action = 'x' WHERE id = 1")
            .await
            .is_err(),
        "append-only"
    );
    match s.dialect() {
        chronix_storage::Dialect::Postgres => {
            exec(&s, "ALTER TABLE audit_log DISABLE TRIGGER USER")
                .await
                .unwrap();
        }
        chronix_storage::Dialect::Sqlite => {
            exec(&s, "DROP TRIGGER audit_log_no_update").await.unwrap();
        }
    }
    exec(
        &s,
        "UPDATE audit_log SET details = '{\"chrons\":5000000}' WHERE id = 1",
    )
    .await
    .unwrap();
    let report = audit::verify(&s).await.unwrap();
    assert_eq!(
        report.first_problem(),
        Some(&chronix_storage::audit::AuditProblem::EditedRow { id: 1 })
    );
}

/// A backup restored into a fresh, empty database holds the same data (balances, ledger,
/// an intact audit chain).
async fn backup_restores_into_a_fresh_database(
    source: chronix_storage::testing::TestDb,
    source_url: String,
    target: chronix_storage::testing::TestDb,
    target_url: String,
) {
    let s = source.storage();
    let them = UserId::new(2);
    adj(&s, None, c(1234), false, "kept", 1).await.unwrap();
    let dir = std::env::temp_dir().join(format!(
        "chronix-backup-{}-{}",
        std::process::id(),
        target.name().replace(['/', '.'], "_")
    ));
    let file = chronix_storage::backup::write_into(&s, &source_url, &dir, t(5))
        .await
        .unwrap();
    assert!(file.bytes > 0);
    assert_eq!(chronix_storage::backup::list(&dir), vec![file.path.clone()]);
    // Changes after the backup are not in it.
    adj(&s, None, c(1), false, "later", 6).await.unwrap();
    let target_storage = target.storage();
    target_storage.close().await;
    chronix_storage::backup::restore(&target_url, &file.path)
        .await
        .unwrap();
    let restored = Storage::connect(&target_url, 2).await.unwrap();
    restored.migrate().await.unwrap();
    assert_eq!(
        economy::balance(&restored, them).await.unwrap(),
        Chrons::new(1234)
    );
    assert!(economy::reconcile(&restored).await.unwrap().is_empty());
    let report = audit::verify(&restored).await.unwrap();
    assert!(report.is_intact() && report.rows_checked == 1, "{report:?}");
    restored.close().await;
    std::fs::remove_dir_all(&dir).unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn backup_restores_into_a_fresh_sqlite_database() {
    let source = chronix_storage::testing::fresh_sqlite().await;
    let target = chronix_storage::testing::empty_sqlite().await;
    let (su, tu) = (
        format!("sqlite://{}", source.name()),
        format!("sqlite://{}", target.name()),
    );
    backup_restores_into_a_fresh_database(source, su, target, tu).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn backup_restores_into_a_fresh_postgres_database() {
    let admin = std::env::var("TEST_DATABASE_URL")
        .unwrap_or_else(|_| chronix_storage::testing::DEFAULT_TEST_DATABASE_URL.to_string());
    let base = admin
        .rsplit_once('/')
        .expect("a database in the URL")
        .0
        .to_string();
    let source = chronix_storage::testing::fresh_postgres().await;
    let target = chronix_storage::testing::empty_postgres().await;
    let (su, tu) = (
        format!("{base}/{}", source.name()),
        format!("{base}/{}", target.name()),
    );
    backup_restores_into_a_fresh_database(source, su, target, tu).await;
}
