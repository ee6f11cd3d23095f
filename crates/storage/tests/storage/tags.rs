//! Tags on both backends: a name unique per server (also when many tasks create it at once:
//! exactly one wins, the others are refused), validation, edit/delete, list and search, the
//! slash command limit per server, cooldowns and the per-server settings.

use chronix_core::ids::{GuildId, UserId};
use chronix_core::tags::{Access, MAX_SLASH, TagBody, TagError, TagSettings};
use chronix_storage::Refusal;
use chronix_storage::Storage;
use chronix_storage::tags::{self as store, TagRefusal};

use crate::{refusal, t};

both!(
    names_are_unique_per_server_under_a_race,
    tags_are_validated_edited_listed_and_deleted,
    slash_commands_are_limited_per_server,
);

const G1: GuildId = GuildId::new(1);
const G2: GuildId = GuildId::new(2);
const ALICE: UserId = UserId::new(10);

fn tg<T: std::fmt::Debug>(r: chronix_storage::Result<T>) -> TagRefusal {
    match refusal(r) {
        Refusal::Tags(x) => x,
        other => panic!("expected a tag refusal, got {other:?}"),
    }
}

fn body(text: &str) -> TagBody {
    TagBody {
        content: text.into(),
        embed: false,
        image: None,
    }
}

async fn names_are_unique_per_server_under_a_race(s: Storage) {
    let tasks: Vec<_> = (0..16)
        .map(|i| {
            let s = s.clone();
            tokio::spawn(async move {
                store::create(
                    &s,
                    G1,
                    if i % 2 == 0 { "Rules" } else { " rules " },
                    &body(&format!("version {i}")),
                    UserId::new(100 + i),
                    t(i as i64),
                )
                .await
            })
        })
        .collect();
    let mut won = 0;
    for task in tasks {
        match task.await.unwrap() {
            Ok(tag) => {
                won += 1;
                assert_eq!(tag.name, "rules");
            }
            Err(e) => assert_eq!(tg::<()>(Err(e)), TagRefusal::Exists("rules".into())),
        }
    }
    assert_eq!(won, 1, "exactly one creation wins");
    let (all, n) = store::list(&s, G1, 0, 10).await.unwrap();
    assert_eq!((all.len(), n), (1, 1));
    // Another server has its own names.
    store::create(&s, G2, "rules", &body("x"), ALICE, t(0))
        .await
        .unwrap();
}

async fn tags_are_validated_edited_listed_and_deleted(s: Storage) {
    assert_eq!(
        tg(store::create(&s, G1, "a b", &body("x"), ALICE, t(0)).await),
        TagRefusal::Invalid(TagError::BadName)
    );
    assert_eq!(
        tg(store::create(&s, G1, "edit", &body("x"), ALICE, t(0)).await),
        TagRefusal::Invalid(TagError::Reserved("edit".into()))
    );
    assert_eq!(
        tg(store::create(&s, G1, "empty", &body(" "), ALICE, t(0)).await),
        TagRefusal::Invalid(TagError::Empty)
    );
    for n in ["faq", "rules", "refunds", "zebra"] {
        store::create(&s, G1, n, &body(n), ALICE, t(0))
            .await
            .unwrap();
    }
    let (page, total) = store::list(&s, G1, 1, 2).await.unwrap();
    assert_eq!(total, 4);
    assert_eq!(
        page.iter().map(|t| t.name.as_str()).collect::<Vec<_>>(),
        ["refunds", "rules"]
    );
    let found: Vec<String> = store::search(&s, G1, "r", 10)
        .await
        .unwrap()
        .into_iter()
        .map(|t| t.name)
        .collect();
    assert_eq!(found, ["refunds", "rules", "zebra"], "prefix matches first");
    assert!(store::search(&s, G1, "%", 10).await.unwrap().len() == 4);
    let (before, after) = store::edit(&s, G1, "FAQ", &body("new"), t(5))
        .await
        .unwrap();
    assert_eq!(before.body.content, "faq");
    assert_eq!(after.body.content, "new");
    assert_eq!(after.updated_at, t(5));
    assert_eq!(
        tg(store::edit(&s, G1, "nope", &body("x"), t(5)).await),
        TagRefusal::NoTag("nope".into())
    );
    store::count_use(&s, after.id).await.unwrap();
    store::count_use(&s, after.id).await.unwrap();
    assert_eq!(store::get(&s, G1, "faq").await.unwrap().unwrap().uses, 2);
    let tr = store::set_trigger(&s, G1, "faq", true, t(6)).await.unwrap();
    assert!(tr.trigger);
    let cd = store::set_cooldown(&s, G1, "faq", 30, t(6)).await.unwrap();
    assert_eq!(cd.cooldown_secs, 30);
    assert_eq!(
        tg(store::set_cooldown(&s, G1, "faq", 100_000, t(6)).await),
        TagRefusal::Invalid(TagError::CooldownTooLong { max: 86_400 })
    );
    assert_eq!(store::delete(&s, G1, "faq").await.unwrap().name, "faq");
    assert_eq!(
        tg(store::delete(&s, G1, "faq").await),
        TagRefusal::NoTag("faq".into())
    );
    assert_eq!(
        store::settings(&s, G1).await.unwrap(),
        TagSettings::default()
    );
    let set = TagSettings {
        manage: Access::Everyone,
    };
    store::set_settings(&s, G1, &set, t(7)).await.unwrap();
    assert_eq!(store::settings(&s, G1).await.unwrap(), set);
    assert_eq!(
        store::settings(&s, G2).await.unwrap(),
        TagSettings::default()
    );
}

async fn slash_commands_are_limited_per_server(s: Storage) {
    for i in 0..=MAX_SLASH {
        store::create(&s, G1, &format!("t{i}"), &body("x"), ALICE, t(0))
            .await
            .unwrap();
    }
    for i in 0..MAX_SLASH {
        let tag = store::set_slash(&s, G1, &format!("t{i}"), true, t(1))
            .await
            .unwrap();
        assert!(tag.slash);
    }
    assert_eq!(
        tg(store::set_slash(&s, G1, &format!("t{MAX_SLASH}"), true, t(1)).await),
        TagRefusal::SlashLimit { max: MAX_SLASH }
    );
    // Turning one already on again is not a new place.
    store::set_slash(&s, G1, "t0", true, t(2)).await.unwrap();
    store::set_slash_command_id(
        &s,
        store::get(&s, G1, "t1").await.unwrap().unwrap().id,
        Some(42),
    )
    .await
    .unwrap();
    let off = store::set_slash(&s, G1, "t1", false, t(3)).await.unwrap();
    assert!(!off.slash);
    assert_eq!(
        off.slash_command_id, None,
        "turning off forgets the command"
    );
    store::set_slash(&s, G1, &format!("t{MAX_SLASH}"), true, t(4))
        .await
        .unwrap();
    assert_eq!(store::slash_tags(&s, G1).await.unwrap().len(), MAX_SLASH);
    assert!(store::slash_tags(&s, G2).await.unwrap().is_empty());
}
