//! Welcomer groundwork on both backends: settings round-trip and invalid ones are refused; the
//! starter kit (Chrons and items) is given once per member and server through the ledger, also
//! when two joins race; a kit with an unknown item gives nothing.

use chronix_core::economy::Chrons;
use chronix_core::ids::{GuildId, RoleId, UserId};
use chronix_core::levels::XpBoost;
use chronix_core::welcome::{KitItem, WelcomeError, WelcomeSettings};
use chronix_storage::welcome::{self as store, RoleGrant, StarterKit, WelcomeRefusal};
use chronix_storage::{Refusal, Storage, audit, economy, inventory, jobs, xp_boosts};

use crate::{refusal, scalar, t};

both!(
    welcome_settings_round_trip_and_invalid_ones_are_refused,
    the_starter_kit_is_given_once_per_member_and_server,
    a_starter_kit_gives_items_with_the_chrons_or_alone,
    a_delayed_role_job_is_queued_and_run_once_per_join,
    an_xp_boost_is_granted_once_and_read_while_it_lasts,
    screening_roles_are_released_once,
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
        bot_roles: vec![RoleId::new(6)],
        dm: true,
        dm_message: "Read #rules, {user}".into(),
        farewell_embed: true,
        role_delay_secs: 600,
        xp_boost_pct: 150,
        xp_boost_hours: 24,
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
        store::give_starter_kit(&s, G, ANN, StarterKit::chrons(kit), t(0))
            .await
            .unwrap(),
        Some(kit)
    );
    assert_eq!(
        store::give_starter_kit(&s, G, ANN, StarterKit::chrons(kit), t(1))
            .await
            .unwrap(),
        None,
        "rejoining"
    );
    assert_eq!(
        store::give_starter_kit(&s, G, ANN, StarterKit::chrons(Chrons::new(999)), t(2))
            .await
            .unwrap(),
        None,
        "a changed kit is not given again"
    );
    assert_eq!(
        store::give_starter_kit(&s, GuildId::new(2), ANN, StarterKit::chrons(kit), t(3))
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
            store::give_starter_kit(&s, G, bob, StarterKit::chrons(kit), t(10 + i))
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
        refusal(
            store::give_starter_kit(
                &s,
                G,
                UserId::new(12),
                StarterKit::chrons(Chrons::new(0)),
                t(20)
            )
            .await
        ),
        Refusal::InvalidAmount(0)
    );
    assert!(economy::reconcile(&s).await.unwrap().is_empty());
}

async fn a_starter_kit_gives_items_with_the_chrons_or_alone(s: Storage) {
    inventory::sync_definitions(&s, &crate::tables())
        .await
        .unwrap();
    let item = |i: &str, n: u32| KitItem {
        item: i.into(),
        quantity: n,
    };
    let items = [item("hunting_lure", 2), item("basic_crate", 1)];
    let kit = StarterKit {
        chrons: Chrons::new(100),
        items: &items,
    };
    let cara = UserId::new(21);
    assert_eq!(
        store::give_starter_kit(&s, G, cara, kit, t(0))
            .await
            .unwrap(),
        Some(Chrons::new(100))
    );
    let inv = inventory::list(&s, cara).await.unwrap();
    assert_eq!(
        (inv.quantity("hunting_lure"), inv.quantity("basic_crate")),
        (2, 1)
    );
    // Once: rejoining gives no second set of items.
    assert_eq!(
        store::give_starter_kit(&s, G, cara, kit, t(1))
            .await
            .unwrap(),
        None
    );
    assert_eq!(
        inventory::list(&s, cara)
            .await
            .unwrap()
            .quantity("hunting_lure"),
        2
    );
    // Items alone: no ledger row, the balance reported as it is.
    let dan = UserId::new(22);
    let only = StarterKit {
        chrons: Chrons::ZERO,
        items: &items[..1],
    };
    assert_eq!(
        store::give_starter_kit(&s, G, dan, only, t(2))
            .await
            .unwrap(),
        Some(Chrons::ZERO)
    );
    assert_eq!(
        inventory::list(&s, dan)
            .await
            .unwrap()
            .quantity("hunting_lure"),
        2
    );
    // An item the game does not know: nothing at all is given (no Chrons, no kit row).
    let eve = UserId::new(23);
    let bad = [item("hunting_lure", 1), item("no_such_thing", 1)];
    let kit = StarterKit {
        chrons: Chrons::new(50),
        items: &bad,
    };
    assert!(
        store::give_starter_kit(&s, G, eve, kit, t(3))
            .await
            .is_err()
    );
    assert_eq!(economy::balance(&s, eve).await.unwrap(), Chrons::ZERO);
    assert_eq!(
        inventory::list(&s, eve)
            .await
            .unwrap()
            .quantity("hunting_lure"),
        0
    );
    assert_eq!(
        store::give_starter_kit(&s, G, eve, StarterKit::chrons(Chrons::new(50)), t(4))
            .await
            .unwrap(),
        Some(Chrons::new(50)),
        "the failed kit left no row behind"
    );
    assert!(economy::reconcile(&s).await.unwrap().is_empty());
}

async fn a_delayed_role_job_is_queued_and_run_once_per_join(s: Storage) {
    let grant = RoleGrant {
        guild: G,
        user: ANN,
        roles: vec![RoleId::new(5), RoleId::new(6)],
    };
    let joined = t(0);
    let run_at = t(60);
    assert!(
        store::schedule_roles(&s, &grant, joined, run_at, t(0))
            .await
            .unwrap()
    );
    assert!(
        !store::schedule_roles(&s, &grant, joined, run_at, t(1))
            .await
            .unwrap(),
        "the same join delivered twice queues one job"
    );
    let lease = chrono::Duration::seconds(30);
    let kinds = [store::ROLE_JOB];
    assert!(
        jobs::claim_due_of(&s, "w1", t(59), 10, lease, Some(&kinds))
            .await
            .unwrap()
            .is_empty(),
        "not before the delay"
    );
    // Two workers claim at once: one gets the job.
    let (a, b) = tokio::join!(
        jobs::claim_due_of(&s, "w1", t(61), 10, lease, Some(&kinds)),
        jobs::claim_due_of(&s, "w2", t(61), 10, lease, Some(&kinds)),
    );
    let claimed: Vec<jobs::Job> = a.unwrap().into_iter().chain(b.unwrap()).collect();
    assert_eq!(claimed.len(), 1);
    let job = &claimed[0];
    assert_eq!(
        serde_json::from_value::<RoleGrant>(job.payload.0.clone()).unwrap(),
        grant
    );
    let worker = job.locked_by.clone().unwrap();
    jobs::complete(&s, job.id, &worker, t(62)).await.unwrap();
    assert!(
        jobs::claim_due_of(&s, "w1", t(120), 10, lease, Some(&kinds))
            .await
            .unwrap()
            .is_empty(),
        "done jobs are not claimed again"
    );
    assert!(
        !store::schedule_roles(&s, &grant, joined, run_at, t(130))
            .await
            .unwrap(),
        "a late duplicate of the same join does not queue it again"
    );
    assert!(
        store::schedule_roles(&s, &grant, t(500), t(560), t(500))
            .await
            .unwrap(),
        "joining again is a new join"
    );
}

async fn an_xp_boost_is_granted_once_and_read_while_it_lasts(s: Storage) {
    let boost = XpBoost {
        pct: 200,
        until: t(3_600),
    };
    assert_eq!(xp_boosts::active(&s, G, ANN, t(0)).await.unwrap(), None);
    assert!(
        xp_boosts::grant(&s, G, ANN, "welcome", boost, t(0))
            .await
            .unwrap()
    );
    let again = XpBoost {
        pct: 300,
        until: t(99_999),
    };
    assert!(
        !xp_boosts::grant(&s, G, ANN, "welcome", again, t(10))
            .await
            .unwrap(),
        "rejoining does not renew it"
    );
    assert_eq!(
        xp_boosts::active(&s, G, ANN, t(100)).await.unwrap(),
        Some(boost)
    );
    assert_eq!(
        xp_boosts::active(&s, GuildId::new(2), ANN, t(100))
            .await
            .unwrap(),
        None,
        "per server"
    );
    assert_eq!(xp_boosts::active(&s, G, ANN, t(3_600)).await.unwrap(), None);
}

async fn screening_roles_are_released_once(s: Storage) {
    assert!(
        !store::pass_screening(&s, G, ANN).await.unwrap(),
        "never waited"
    );
    store::await_screening(&s, G, ANN, t(0)).await.unwrap();
    store::await_screening(&s, G, ANN, t(1)).await.unwrap();
    let mut tasks = Vec::new();
    for _ in 0..4 {
        let s = s.clone();
        tasks.push(tokio::spawn(async move {
            store::pass_screening(&s, G, ANN).await.unwrap()
        }));
    }
    let mut taken = 0;
    for task in tasks {
        taken += usize::from(task.await.unwrap());
    }
    assert_eq!(taken, 1, "member updates racing: the roles are given once");
    assert!(!store::pass_screening(&s, G, ANN).await.unwrap());
}
