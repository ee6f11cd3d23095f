//! Welcomer groundwork on both backends: settings round-trip and invalid ones are refused; the
//! starter kit is given once per member and server through the ledger, also when two joins race.

use chronix_core::economy::Chrons;
use chronix_core::ids::{GuildId, RoleId, UserId};
use chronix_core::welcome::{WelcomeError, WelcomeSettings};
use chronix_storage::welcome::{self as store, WelcomeRefusal};
use chronix_storage::{Refusal, Storage, audit, economy};

use crate::{refusal, scalar, t};

both!(
    welcome_settings_round_trip_and_invalid_ones_are_refused,
    the_starter_kit_is_given_once_per_member_and_server,
);

const G: GuildId = GuildId::new(1);
const ANN: UserId = UserId::new(10);

async fn welcome_settings_round_trip_and_invalid_ones_are_refused(s: Storage) {
    assert_eq!(
        store::settings(&s, G).await.unwrap(),
        WelcomeSettings::default()
    );
    let cfg = WelcomeSettings {
        auto_roles: vec![RoleId::new(5)],
        starter_chrons: 500,
        ..WelcomeSettings::default()
    };
    store::save_settings(&s, G, ANN, &cfg, t(0)).await.unwrap();
    assert_eq!(store::settings(&s, G).await.unwrap(), cfg);
    let bad = WelcomeSettings {
        starter_chrons: -5,
        ..cfg.clone()
    };
    assert_eq!(
        refusal(store::save_settings(&s, G, ANN, &bad, t(1)).await),
        Refusal::Welcome(WelcomeRefusal::Invalid(WelcomeError::Starter))
    );
    assert_eq!(store::settings(&s, G).await.unwrap(), cfg);
    let actions: Vec<String> = audit::recent(&s, 5)
        .await
        .unwrap()
        .into_iter()
        .map(|e| e.action)
        .collect();
    assert_eq!(actions, ["welcome.settings"]);
}

async fn the_starter_kit_is_given_once_per_member_and_server(s: Storage) {
    let kit = Chrons::new(250);
    assert_eq!(
        store::give_starter_kit(&s, G, ANN, kit, t(0))
            .await
            .unwrap(),
        Some(kit)
    );
    assert_eq!(
        store::give_starter_kit(&s, G, ANN, kit, t(1))
            .await
            .unwrap(),
        None,
        "rejoining"
    );
    assert_eq!(
        store::give_starter_kit(&s, G, ANN, Chrons::new(999), t(2))
            .await
            .unwrap(),
        None,
        "a changed kit is not given again"
    );
    assert_eq!(
        store::give_starter_kit(&s, GuildId::new(2), ANN, kit, t(3))
            .await
            .unwrap(),
        Some(Chrons::new(500)),
        "each server gives its own"
    );
    // Two joins racing: one kit.
    let bob = UserId::new(11);
    let mut tasks = Vec::new();
    for i in 0..6 {
        let s = s.clone();
        tasks.push(tokio::spawn(async move {
            store::give_starter_kit(&s, G, bob, kit, t(10 + i))
                .await
                .unwrap()
                .is_some()
        }));
    }
    let mut given = 0;
    for task in tasks {
        given += usize::from(task.await.unwrap());
    }
    assert_eq!(given, 1);
    assert_eq!(
        scalar(
            &s,
            "SELECT COUNT(*) FROM transactions WHERE kind = 'welcome'"
        )
        .await,
        3
    );
    assert_eq!(
        refusal(store::give_starter_kit(&s, G, UserId::new(12), Chrons::new(0), t(20)).await),
        Refusal::InvalidAmount(0)
    );
    assert!(economy::reconcile(&s).await.unwrap().is_empty());
}
