use chronix_core::economy::Chrons;
use chronix_core::ids::{GuildId, UserId};
use chronix_storage::bank::{self, Balances};
use chronix_storage::economy::{self, Memo};
use chronix_storage::{Refusal, Storage, guild_users, users};

use crate::scalar;

both!(
    users_get_or_create,
    guild_users_get_or_create_and_xp,
    balance_read_writes_nothing,
);

async fn users_get_or_create(s: Storage) {
    assert_eq!(users::get(&s, UserId::new(7)).await.unwrap(), None);
    let u = users::get_or_create(&s, UserId::new(7)).await.unwrap();
    assert_eq!(
        (u.id, u.chrons, u.bank, u.global_xp, u.global_level),
        (7, Chrons::new(0), Chrons::new(0), 0, 0)
    );
    let again = users::get_or_create(&s, UserId::new(7)).await.unwrap();
    assert_eq!(again, u);
    assert_eq!(users::get(&s, UserId::new(7)).await.unwrap(), Some(u));
    assert_eq!(users::count(&s).await.unwrap(), 1);
}

async fn guild_users_get_or_create_and_xp(s: Storage) {
    assert_eq!(
        guild_users::get(&s, GuildId::new(100), UserId::new(7))
            .await
            .unwrap(),
        None
    );
    let gu = guild_users::get_or_create(&s, GuildId::new(100), UserId::new(7))
        .await
        .unwrap();
    assert_eq!(
        (gu.guild_id, gu.user_id, gu.xp, gu.level, gu.balance),
        (GuildId::new(100), UserId::new(7), 0, 0, Chrons::new(0))
    );
    assert_eq!(gu.last_message, None);
    // the global profile was created too
    assert_eq!(users::count(&s).await.unwrap(), 1);
    let level = |xp: i64| (xp / 100) as i32;
    let gu = guild_users::add_xp(
        &s,
        GuildId::new(100),
        UserId::new(7),
        150,
        level,
        crate::t(5),
    )
    .await
    .unwrap();
    assert_eq!(
        (gu.xp, gu.level, gu.last_message),
        (150, 1, Some(crate::t(5)))
    );
    let gu = guild_users::add_xp(
        &s,
        GuildId::new(100),
        UserId::new(7),
        60,
        level,
        crate::t(9),
    )
    .await
    .unwrap();
    assert_eq!((gu.xp, gu.level), (210, 2));
    assert!(matches!(
        guild_users::add_xp(
            &s,
            GuildId::new(100),
            UserId::new(7),
            -1,
            level,
            crate::t(9)
        )
        .await,
        Err(chronix_storage::StorageError::Refused(
            Refusal::InvalidAmount(-1)
        ))
    ));
    assert_eq!(
        guild_users::get(&s, GuildId::new(100), UserId::new(7))
            .await
            .unwrap()
            .unwrap()
            .xp,
        210
    );
}

/// `chro balance` is a read: a never-seen player reads as zeros and leaves no row, and a known
/// member's server registration is a plain read that does not wait for a writer.
async fn balance_read_writes_nothing(s: Storage) {
    const ZERO: Balances = Balances {
        wallet: Chrons::new(0),
        bank: Chrons::new(0),
    };
    assert_eq!(bank::balances(&s, UserId::new(77)).await.unwrap(), ZERO);
    assert_eq!(economy::balance(&s, UserId::new(77)).await.unwrap(), 0);
    assert_eq!(users::get(&s, UserId::new(77)).await.unwrap(), None);
    assert_eq!(users::count(&s).await.unwrap(), 0);
    assert_eq!(scalar(&s, "SELECT COUNT(*) FROM guild_users").await, 0);
    assert_eq!(scalar(&s, "SELECT COUNT(*) FROM transactions").await, 0);

    // The first registration in a server writes; later ones only read.
    assert!(
        guild_users::ensure_member(&s, GuildId::new(9), UserId::new(1))
            .await
            .unwrap()
    );
    assert!(
        !guild_users::ensure_member(&s, GuildId::new(9), UserId::new(1))
            .await
            .unwrap()
    );
    assert_eq!(users::count(&s).await.unwrap(), 1);
    assert_eq!(scalar(&s, "SELECT COUNT(*) FROM guild_users").await, 1);

    // A writer holds the member's rows (and, on SQLite, the database write lock): the read
    // path answers at once and does not see the uncommitted credit.
    let mut tx = s.begin().await.unwrap();
    guild_users::get_or_create_in(&mut tx, GuildId::new(9), UserId::new(1))
        .await
        .unwrap();
    economy::apply(
        &mut tx,
        UserId::new(1),
        Chrons::new(5),
        &Memo::new("pending"),
    )
    .await
    .unwrap();
    let read = tokio::time::timeout(std::time::Duration::from_secs(5), async {
        let b = bank::balances(&s, UserId::new(1)).await.unwrap();
        let created = guild_users::ensure_member(&s, GuildId::new(9), UserId::new(1))
            .await
            .unwrap();
        (b, created)
    })
    .await
    .expect("the balance read waited for a writer");
    assert_eq!(read, (ZERO, false));
    tx.commit().await.unwrap();
    assert_eq!(
        bank::balances(&s, UserId::new(1)).await.unwrap(),
        Balances {
            wallet: Chrons::new(5),
            bank: Chrons::new(0)
        }
    );
}
