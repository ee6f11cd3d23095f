//! Reaction-role panels on both backends: records (validated, per server, by message, edited,
//! deleted with their grants) and the grants the restart reconciliation reads.

use chronix_core::ids::{ChannelId, GuildId, MessageId, RoleId, UserId};
use chronix_core::reactionroles::{Delivery, Emoji, Entry, Mode, PanelConfig, PanelError};
use chronix_storage::Refusal;
use chronix_storage::Storage;
use chronix_storage::reactionroles::{self as store, PanelId, ReactionRoleRefusal};

use crate::{refusal, t};

both!(
    panels_are_validated_stored_and_found,
    grants_are_recorded_once_and_go_with_the_panel
);

const G1: GuildId = GuildId::new(1);
const G2: GuildId = GuildId::new(2);
const CH: ChannelId = ChannelId::new(5);
const ADMIN: UserId = UserId::new(9);
const ALICE: UserId = UserId::new(10);
const BOB: UserId = UserId::new(11);

fn rr<T: std::fmt::Debug>(r: chronix_storage::Result<T>) -> ReactionRoleRefusal {
    match refusal(r) {
        Refusal::ReactionRoles(x) => x,
        other => panic!("expected a reaction-role refusal, got {other:?}"),
    }
}

fn config() -> PanelConfig {
    PanelConfig {
        title: "Colours".into(),
        description: "Pick one".into(),
        mode: Mode::Toggle,
        delivery: Delivery::Reactions,
        max: 0,
        entries: vec![
            Entry {
                role: RoleId::new(100),
                emoji: Some(Emoji::Unicode {
                    text: "🔴".into()
                }),
                label: "Red".into(),
            },
            Entry {
                role: RoleId::new(101),
                emoji: Some(Emoji::Custom {
                    name: "green".into(),
                    id: 77,
                    animated: false,
                }),
                label: "Green".into(),
            },
        ],
    }
}

async fn panels_are_validated_stored_and_found(s: Storage) {
    let mut bad = config();
    bad.entries[1].emoji = None;
    assert_eq!(
        rr(store::create(&s, G1, CH, &bad, ADMIN, t(0)).await),
        ReactionRoleRefusal::InvalidPanel(PanelError::MissingEmoji(RoleId::new(101)))
    );
    let p = store::create(&s, G1, CH, &config(), ADMIN, t(0))
        .await
        .unwrap();
    assert_eq!(p.config, config());
    assert_eq!(p.message, None);
    assert_eq!(p.created_by, ADMIN);
    store::set_message(&s, p.id, MessageId::new(555))
        .await
        .unwrap();
    let found = store::by_message(&s, MessageId::new(555))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(found.id, p.id);
    assert_eq!(found.config, config());
    assert!(
        store::by_message(&s, MessageId::new(1))
            .await
            .unwrap()
            .is_none()
    );
    // Per server: another server neither sees nor changes it.
    assert!(store::panel(&s, G2, p.id).await.unwrap().is_none());
    let mut c = config();
    c.mode = Mode::Single;
    assert_eq!(
        rr(store::update(&s, G2, p.id, &c, t(1)).await),
        ReactionRoleRefusal::NoPanel
    );
    let after = store::update(&s, G1, p.id, &c, t(1)).await.unwrap();
    assert_eq!(after.config.mode, Mode::Single);
    c.max = 5;
    assert_eq!(
        rr(store::update(&s, G1, p.id, &c, t(2)).await),
        ReactionRoleRefusal::InvalidPanel(PanelError::MaxAboveRoles { roles: 2 })
    );
    let q = store::create(&s, G1, CH, &config(), ADMIN, t(3))
        .await
        .unwrap();
    let ids: Vec<PanelId> = store::panels(&s, G1)
        .await
        .unwrap()
        .iter()
        .map(|p| p.id)
        .collect();
    assert_eq!(ids, [p.id, q.id]);
    assert!(store::panels(&s, G2).await.unwrap().is_empty());
    assert!(store::delete(&s, G2, p.id).await.unwrap().is_none());
    assert_eq!(store::delete(&s, G1, p.id).await.unwrap().unwrap().id, p.id);
    assert!(store::panel(&s, G1, p.id).await.unwrap().is_none());
}

async fn grants_are_recorded_once_and_go_with_the_panel(s: Storage) {
    let p = store::create(&s, G1, CH, &config(), ADMIN, t(0))
        .await
        .unwrap();
    let red = RoleId::new(100);
    let green = RoleId::new(101);
    store::record_grant(&s, p.id, ALICE, red, t(1))
        .await
        .unwrap();
    store::record_grant(&s, p.id, ALICE, red, t(2))
        .await
        .unwrap();
    store::record_grant(&s, p.id, BOB, green, t(2))
        .await
        .unwrap();
    store::record_grant(&s, p.id, ALICE, green, t(2))
        .await
        .unwrap();
    assert_eq!(
        store::grants(&s, p.id).await.unwrap(),
        [(ALICE, red), (ALICE, green), (BOB, green)]
    );
    store::drop_grant(&s, p.id, ALICE, red).await.unwrap();
    store::drop_grant(&s, p.id, ALICE, red).await.unwrap();
    assert_eq!(
        store::grants(&s, p.id).await.unwrap(),
        [(ALICE, green), (BOB, green)]
    );
    store::delete(&s, G1, p.id).await.unwrap();
    assert!(store::grants(&s, p.id).await.unwrap().is_empty());
}
