use chronix_storage::{Storage, guild_users, users};

both!(users_get_or_create, guild_users_get_or_create_and_xp);

async fn users_get_or_create(s: Storage) {
    assert_eq!(users::get(&s, 7).await.unwrap(), None);
    let u = users::get_or_create(&s, 7).await.unwrap();
    assert_eq!(
        (u.id, u.chrons, u.bank, u.global_xp, u.global_level),
        (7, 0, 0, 0, 0)
    );
    let again = users::get_or_create(&s, 7).await.unwrap();
    assert_eq!(again, u);
    assert_eq!(users::get(&s, 7).await.unwrap(), Some(u));
    assert_eq!(users::count(&s).await.unwrap(), 1);
}

async fn guild_users_get_or_create_and_xp(s: Storage) {
    assert_eq!(guild_users::get(&s, 100, 7).await.unwrap(), None);
    let gu = guild_users::get_or_create(&s, 100, 7).await.unwrap();
    assert_eq!(
        (gu.guild_id, gu.user_id, gu.xp, gu.level, gu.balance),
        (100, 7, 0, 0, 0)
    );
    assert_eq!(gu.last_message, None);
    // the global profile was created too
    assert_eq!(users::count(&s).await.unwrap(), 1);
    let level = |xp: i64| (xp / 100) as i32;
    let gu = guild_users::add_xp(&s, 100, 7, 150, level, crate::t(5))
        .await
        .unwrap();
    assert_eq!(
        (gu.xp, gu.level, gu.last_message),
        (150, 1, Some(crate::t(5)))
    );
    let gu = guild_users::add_xp(&s, 100, 7, 60, level, crate::t(9))
        .await
        .unwrap();
    assert_eq!((gu.xp, gu.level), (210, 2));
    assert!(matches!(
        guild_users::add_xp(&s, 100, 7, -1, level, crate::t(9)).await,
        Err(chronix_storage::StorageError::InvalidAmount(-1))
    ));
    assert_eq!(guild_users::get(&s, 100, 7).await.unwrap().unwrap().xp, 210);
}
