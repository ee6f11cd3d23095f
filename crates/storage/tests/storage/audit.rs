use chronix_core::ids::{GuildId, UserId};
use chronix_storage::audit::{self, AuditProblem, GENESIS_HASH};
use chronix_storage::{Dialect, Storage};
use serde_json::json;

use crate::{exec, t};

both!(
    chain_appends_and_verifies,
    triggers_refuse_update_and_delete,
    detects_edited_row,
    detects_edited_row_with_recomputed_hash,
    detects_deleted_middle_row,
    detects_deleted_tail,
    concurrent_appends_never_fork,
    verify_during_appends_has_no_false_alarms,
);

async fn seed(s: &Storage, n: i64) {
    for i in 1..=n {
        let e = audit::append(
            s,
            UserId::from_db(1000 + i),
            Some(GuildId::new(9)),
            "economy.adjust",
            Some(&format!("user:{i}")),
            &json!({"amount": i * 10, "b": [1, 2], "a": null}),
            t(i),
        )
        .await
        .unwrap();
        assert_eq!(e.id, i);
    }
}

/// A tamperer with database access removes the append-only triggers first.
async fn drop_triggers(s: &Storage) {
    match s.dialect() {
        Dialect::Postgres => {
            exec(s, "DROP TRIGGER audit_log_no_update ON audit_log")
                .await
                .unwrap();
            exec(s, "DROP TRIGGER audit_log_no_delete ON audit_log")
                .await
                .unwrap();
        }
        Dialect::Sqlite => {
            exec(s, "DROP TRIGGER audit_log_no_update").await.unwrap();
            exec(s, "DROP TRIGGER audit_log_no_delete").await.unwrap();
        }
    }
}

async fn chain_appends_and_verifies(s: Storage) {
    let empty = audit::verify(&s).await.unwrap();
    assert!(empty.is_intact());
    assert_eq!(empty.rows_checked, 0);
    seed(&s, 5).await;
    let rows = audit::recent(&s, 10).await.unwrap();
    assert_eq!(
        rows.iter().map(|r| r.id).collect::<Vec<_>>(),
        vec![5, 4, 3, 2, 1]
    );
    assert_eq!(rows[4].prev_hash, GENESIS_HASH);
    assert_eq!(rows[3].prev_hash, rows[4].hash);
    assert_eq!(rows[0].details, r#"{"a":null,"amount":50,"b":[1,2]}"#);
    assert_eq!(
        (
            rows[0].actor_id,
            rows[0].guild(),
            rows[0].target.as_deref(),
            rows[0].created_at
        ),
        (
            UserId::new(1005),
            Some(GuildId::new(9)),
            Some("user:5"),
            t(5)
        )
    );
    assert_eq!(audit::head(&s).await.unwrap(), (5, rows[0].hash.clone()));
    let report = audit::verify(&s).await.unwrap();
    assert!(report.is_intact(), "{report:?}");
    assert_eq!(report.rows_checked, 5);
    // the hash is reproducible from the fields
    let r = &rows[2];
    assert_eq!(audit::compute_hash(r), r.hash);
}

async fn triggers_refuse_update_and_delete(s: Storage) {
    seed(&s, 2).await;
    let e = exec(&s, "UPDATE audit_log SET action = 'x' WHERE id = 1")
        .await
        .unwrap_err();
    assert!(e.to_string().contains("append-only"), "{e}");
    let e = exec(&s, "DELETE FROM audit_log WHERE id = 2")
        .await
        .unwrap_err();
    assert!(e.to_string().contains("append-only"), "{e}");
    if s.dialect() == Dialect::Postgres {
        let e = exec(&s, "TRUNCATE audit_log").await.unwrap_err();
        assert!(e.to_string().contains("append-only"), "{e}");
    }
    assert!(audit::verify(&s).await.unwrap().is_intact());
}

async fn detects_edited_row(s: Storage) {
    seed(&s, 5).await;
    drop_triggers(&s).await;
    assert_eq!(
        exec(
            &s,
            "UPDATE audit_log SET details = '{\"amount\":1}' WHERE id = 3"
        )
        .await
        .unwrap(),
        1
    );
    let report = audit::verify(&s).await.unwrap();
    assert_eq!(report.problems, vec![AuditProblem::EditedRow { id: 3 }]);
    assert_eq!(report.rows_checked, 5);
}

async fn detects_edited_row_with_recomputed_hash(s: Storage) {
    seed(&s, 4).await;
    drop_triggers(&s).await;
    let rows = audit::recent(&s, 10).await.unwrap();
    let r = rows.iter().find(|r| r.id == 2).unwrap();
    let mut forged_row = r.clone();
    forged_row.action = "nothing.happened".into();
    let forged = audit::compute_hash(&forged_row);
    exec(
        &s,
        &format!(
            "UPDATE audit_log SET action = 'nothing.happened', hash = '{forged}' WHERE id = 2"
        ),
    )
    .await
    .unwrap();
    let report = audit::verify(&s).await.unwrap();
    assert_eq!(report.problems, vec![AuditProblem::BrokenLink { id: 3 }]);
}

async fn detects_deleted_middle_row(s: Storage) {
    seed(&s, 5).await;
    drop_triggers(&s).await;
    assert_eq!(
        exec(&s, "DELETE FROM audit_log WHERE id = 3")
            .await
            .unwrap(),
        1
    );
    let report = audit::verify(&s).await.unwrap();
    assert_eq!(
        report.problems,
        vec![AuditProblem::MissingRows {
            after_id: 2,
            next_id: 4
        }]
    );
    assert_eq!(
        report.first_problem(),
        Some(&AuditProblem::MissingRows {
            after_id: 2,
            next_id: 4
        })
    );
    assert_eq!(report.rows_checked, 4);
}

async fn detects_deleted_tail(s: Storage) {
    seed(&s, 5).await;
    drop_triggers(&s).await;
    assert_eq!(
        exec(&s, "DELETE FROM audit_log WHERE id >= 4")
            .await
            .unwrap(),
        2
    );
    let report = audit::verify(&s).await.unwrap();
    assert_eq!(
        report.problems,
        vec![AuditProblem::TailDeleted {
            last_found_id: 3,
            head_last_id: 5
        }]
    );
    // deleting the first row is a gap at the start
    exec(&s, "DELETE FROM audit_log WHERE id = 1")
        .await
        .unwrap();
    let report = audit::verify(&s).await.unwrap();
    assert_eq!(
        report.first_problem(),
        Some(&AuditProblem::MissingRows {
            after_id: 0,
            next_id: 2
        })
    );
}

async fn concurrent_appends_never_fork(s: Storage) {
    let mut handles = Vec::new();
    for w in 0..8i64 {
        let s = s.clone();
        handles.push(tokio::spawn(async move {
            for i in 0..10 {
                audit::append(
                    &s,
                    UserId::from_db(w),
                    None,
                    "owner.action",
                    None,
                    &json!({"i": i}),
                    t(i),
                )
                .await
                .unwrap();
            }
        }));
    }
    for h in handles {
        h.await.unwrap();
    }
    let report = audit::verify(&s).await.unwrap();
    assert!(report.is_intact(), "{report:?}");
    assert_eq!(report.rows_checked, 80);
    assert_eq!(audit::head(&s).await.unwrap().0, 80);
}

async fn verify_during_appends_has_no_false_alarms(s: Storage) {
    let writer = {
        let s = s.clone();
        tokio::spawn(async move {
            for i in 0..60 {
                audit::append(&s, UserId::new(1), None, "tick", None, &json!(i), t(i))
                    .await
                    .unwrap();
            }
        })
    };
    while !writer.is_finished() {
        let report = audit::verify(&s).await.unwrap();
        assert!(report.is_intact(), "{report:?}");
    }
    writer.await.unwrap();
    let report = audit::verify(&s).await.unwrap();
    assert!(report.is_intact());
    assert_eq!(report.rows_checked, 60);
}
