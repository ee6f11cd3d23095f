//! Log rows: batched inserts (more rows than one statement's chunk), pruning by age, settings.

use chronix_core::ids::{ChannelId, GuildId, RoleId, UserId};
use chronix_storage::Storage;
use chronix_storage::logging::{self, NewLog, SettingsChange};
use serde_json::json;

use crate::t;

fn row(i: usize, secs: i64) -> NewLog {
    NewLog {
        guild_id: Some(GuildId::new(7)),
        category: "message".into(),
        log_type: if i % 2 == 0 {
            "message_edit"
        } else {
            "message_delete"
        }
        .into(),
        channel_id: Some(ChannelId::new(100 + i as u64 % 3)),
        actor_id: Some(UserId::new(1_000 + i as u64)),
        subject_id: Some(u64::MAX - i as u64),
        payload: json!({ "i": i, "before": format!("b{i}"), "after": "it's \"quoted\"" }),
        created_at: t(secs),
    }
}

async fn batch_insert_writes_every_row_in_order(s: Storage) {
    // More than one chunk on both backends.
    let rows: Vec<NewLog> = (0..5_200).map(|i| row(i, i as i64)).collect();
    assert_eq!(logging::insert_batch(&s, &rows).await.unwrap(), 5_200);
    assert_eq!(logging::insert_batch(&s, &[]).await.unwrap(), 0);
    assert_eq!(
        logging::count(&s, Some(GuildId::new(7))).await.unwrap(),
        5_200
    );
    assert_eq!(logging::count(&s, Some(GuildId::new(8))).await.unwrap(), 0);
    let latest = logging::recent(&s, GuildId::new(7), None, 2).await.unwrap();
    assert_eq!(latest.len(), 2);
    let last = &latest[0];
    assert_eq!(last.payload["i"], 5_199);
    assert_eq!(last.payload["after"], "it's \"quoted\"");
    assert_eq!(last.log_type, "message_delete");
    assert_eq!(last.category, "message");
    assert_eq!(last.channel_id, Some(ChannelId::new(100)), "5199 % 3 == 0");
    assert_eq!(last.actor_id, Some(UserId::new(6_199)));
    assert_eq!(
        last.subject_id,
        Some((u64::MAX - 5_199).min(i64::MAX as u64))
    );
    assert_eq!(last.created_at, t(5_199));
    let edits = logging::recent(&s, GuildId::new(7), Some("message_edit"), 10_000)
        .await
        .unwrap();
    assert_eq!(edits.len(), 2_600);
    assert!(edits.iter().all(|r| r.log_type == "message_edit"));
}

async fn batch_insert_keeps_special_characters(s: Storage) {
    // Postgres writes by COPY text format: tabs, newlines, backslashes and `\N` in values must
    // come back unchanged, and NULL columns stay NULL.
    let tricky = "tab\there\nnew line\\back\\slash\r\\N é 🎮";
    let at = t(42) + chrono::Duration::microseconds(123_456);
    let rows = vec![NewLog {
        guild_id: Some(GuildId::new(11)),
        category: "message".into(),
        log_type: "odd\tkind\\".into(),
        channel_id: None,
        actor_id: None,
        subject_id: None,
        payload: json!({ "text": tricky, "nested": { "n": null } }),
        created_at: at,
    }];
    assert_eq!(logging::insert_batch(&s, &rows).await.unwrap(), 1);
    let got = logging::recent(&s, GuildId::new(11), None, 5)
        .await
        .unwrap();
    assert_eq!(got.len(), 1);
    let r = &got[0];
    assert_eq!(r.payload["text"], tricky);
    assert_eq!(r.payload["nested"]["n"], serde_json::Value::Null);
    assert_eq!(r.log_type, "odd\tkind\\");
    assert_eq!((r.channel_id, r.actor_id, r.subject_id), (None, None, None));
    assert_eq!(r.created_at, at);
}

async fn prune_removes_only_older_rows(s: Storage) {
    let rows: Vec<NewLog> = (0..10).map(|i| row(i, i as i64 * 100)).collect();
    logging::insert_batch(&s, &rows).await.unwrap();
    assert_eq!(logging::prune(&s, t(450)).await.unwrap(), 5);
    let left = logging::recent(&s, GuildId::new(7), None, 100)
        .await
        .unwrap();
    let idx: Vec<i64> = left
        .iter()
        .map(|r| r.payload["i"].as_i64().unwrap())
        .collect();
    assert_eq!(idx, vec![9, 8, 7, 6, 5]);
    assert_eq!(logging::prune(&s, t(450)).await.unwrap(), 0);
}

async fn settings_switches_and_ignores(s: Storage) {
    let g = GuildId::new(9);
    let d = logging::settings(&s, g).await.unwrap();
    assert!(d.store_content && d.category_enabled("vc") && d.ignored_channels.is_empty());
    let v = logging::update(&s, g, SettingsChange::Category("vc".into(), false), t(0))
        .await
        .unwrap();
    assert!(!v.category_enabled("vc"));
    logging::update(
        &s,
        g,
        SettingsChange::IgnoreChannel(ChannelId::new(5), true),
        t(1),
    )
    .await
    .unwrap();
    logging::update(
        &s,
        g,
        SettingsChange::IgnoreChannel(ChannelId::new(3), true),
        t(1),
    )
    .await
    .unwrap();
    logging::update(
        &s,
        g,
        SettingsChange::IgnoreRole(RoleId::new(8), true),
        t(2),
    )
    .await
    .unwrap();
    logging::update(&s, g, SettingsChange::StoreContent(false), t(3))
        .await
        .unwrap();
    logging::update(
        &s,
        g,
        SettingsChange::CategoryChannel(Some(ChannelId::new(77))),
        t(3),
    )
    .await
    .unwrap();
    let v = logging::settings(&s, g).await.unwrap();
    assert_eq!(v.disabled_categories, vec!["vc".to_string()]);
    assert_eq!(
        v.ignored_channels,
        vec![ChannelId::new(3), ChannelId::new(5)]
    );
    assert_eq!(v.ignored_roles, vec![RoleId::new(8)]);
    assert!(!v.store_content);
    assert_eq!(v.category_channel_id, Some(ChannelId::new(77)));
    logging::update(
        &s,
        g,
        SettingsChange::IgnoreChannel(ChannelId::new(5), false),
        t(4),
    )
    .await
    .unwrap();
    let v = logging::update(&s, g, SettingsChange::Category("vc".into(), true), t(4))
        .await
        .unwrap();
    assert_eq!(v.ignored_channels, vec![ChannelId::new(3)]);
    assert!(v.disabled_categories.is_empty());
    // Another guild is untouched.
    assert_eq!(
        logging::settings(&s, GuildId::new(10)).await.unwrap(),
        logging::LoggingSettings::defaults(GuildId::new(10))
    );
}

both!(
    batch_insert_writes_every_row_in_order,
    batch_insert_keeps_special_characters,
    prune_removes_only_older_rows,
    settings_switches_and_ignores
);
