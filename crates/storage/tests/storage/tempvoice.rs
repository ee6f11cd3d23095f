//! Temporary voice channels on both backends: hubs (validation, one hub per channel, removal
//! keeps the channels), numbers reserved per hub (lowest free, distinct under concurrent
//! joins), ownership transfer (conditional), flags, and the restart clean-up query.

use std::collections::HashSet;

use chronix_core::ids::{ChannelId, GuildId, UserId};
use chronix_core::tempvoice::{HubConfig, HubError};
use chronix_storage::Refusal;
use chronix_storage::Storage;
use chronix_storage::tempvoice::{self as store, Flag, TempVoiceRefusal};

use crate::{refusal, t};

both!(
    hubs_are_validated_unique_and_removable,
    channels_get_the_lowest_free_number,
    concurrent_joins_get_distinct_numbers,
    ownership_moves_only_from_the_current_owner,
    flags_change_once,
    cleanup_removes_gone_rows_and_returns_empty_channels,
);

const G1: GuildId = GuildId::new(1);
const G2: GuildId = GuildId::new(2);
const ALICE: UserId = UserId::new(10);
const BOB: UserId = UserId::new(11);
const CAROL: UserId = UserId::new(12);
const HUB: ChannelId = ChannelId::new(100);
const CATEGORY: ChannelId = ChannelId::new(99);

fn tv<T: std::fmt::Debug>(r: chronix_storage::Result<T>) -> TempVoiceRefusal {
    match refusal(r) {
        Refusal::TempVoice(t) => t,
        other => panic!("expected a temp voice refusal, got {other:?}"),
    }
}

fn config() -> HubConfig {
    HubConfig {
        name_format: "{user}'s VC #{n}".into(),
        user_limit: 5,
        bitrate: Some(64_000),
    }
}

/// A hub and a channel row with its Discord channel `channel`.
async fn channel(
    s: &Storage,
    hub: store::HubId,
    owner: UserId,
    channel: u64,
) -> store::TempChannel {
    let r = store::reserve(s, hub, owner, t(1)).await.unwrap();
    store::set_channel(s, r.id, ChannelId::new(channel))
        .await
        .unwrap()
}

async fn hubs_are_validated_unique_and_removable(s: Storage) {
    let bad = HubConfig {
        user_limit: 100,
        ..config()
    };
    assert_eq!(
        tv(store::create_hub(&s, G1, HUB, None, &bad, t(0)).await),
        TempVoiceRefusal::InvalidHub(HubError::UserLimit { max: 99 })
    );
    let h = store::create_hub(&s, G1, HUB, Some(CATEGORY), &config(), t(0))
        .await
        .unwrap();
    assert_eq!(
        (h.guild, h.channel, h.category, &h.config),
        (G1, HUB, Some(CATEGORY), &config())
    );
    assert_eq!(
        tv(store::create_hub(&s, G1, HUB, None, &config(), t(0)).await),
        TempVoiceRefusal::HubExists
    );
    let h2 = store::create_hub(
        &s,
        G1,
        ChannelId::new(101),
        None,
        &HubConfig::default(),
        t(0),
    )
    .await
    .unwrap();
    assert_eq!(h2.config.bitrate, None);
    assert_eq!(store::hubs(&s, G1).await.unwrap(), [h.clone(), h2.clone()]);
    assert!(store::hubs(&s, G2).await.unwrap().is_empty());
    assert_eq!(store::hub(&s, HUB).await.unwrap(), Some(h.clone()));

    let c = channel(&s, h.id, ALICE, 500).await;
    assert_eq!(c.hub, Some(h.id));
    // Another server cannot remove it; removing keeps the channel, without its hub.
    assert_eq!(store::delete_hub(&s, G2, HUB).await.unwrap(), None);
    assert_eq!(
        store::delete_hub(&s, G1, HUB).await.unwrap(),
        Some(h.clone())
    );
    assert_eq!(store::hub(&s, HUB).await.unwrap(), None);
    let c = store::by_channel(&s, ChannelId::new(500))
        .await
        .unwrap()
        .unwrap();
    assert_eq!((c.hub, c.owner), (None, ALICE));
    assert_eq!(
        tv(store::reserve(&s, h.id, BOB, t(2)).await),
        TempVoiceRefusal::NoHub
    );
}

async fn channels_get_the_lowest_free_number(s: Storage) {
    let h = store::create_hub(&s, G1, HUB, None, &config(), t(0))
        .await
        .unwrap();
    let other = store::create_hub(&s, G1, ChannelId::new(101), None, &config(), t(0))
        .await
        .unwrap();
    let a = channel(&s, h.id, ALICE, 500).await;
    let b = channel(&s, h.id, BOB, 501).await;
    let o = channel(&s, other.id, CAROL, 502).await;
    assert_eq!((a.number, b.number, o.number), (1, 2, 1));
    assert_eq!(
        (
            a.guild,
            a.owner,
            a.channel,
            a.persistent,
            a.locked,
            a.hidden
        ),
        (G1, ALICE, Some(ChannelId::new(500)), false, false, false)
    );
    assert!(store::remove(&s, ChannelId::new(500)).await.unwrap());
    assert!(!store::remove(&s, ChannelId::new(500)).await.unwrap());
    assert_eq!(
        channel(&s, h.id, CAROL, 503).await.number,
        1,
        "1 is free again"
    );
    let r = store::reserve(&s, h.id, ALICE, t(3)).await.unwrap();
    assert_eq!((r.number, r.channel), (3, None));
    store::discard(&s, r.id).await.unwrap();
    assert_eq!(
        store::reserve(&s, h.id, ALICE, t(3)).await.unwrap().number,
        3
    );
    assert_eq!(store::of_guild(&s, G1).await.unwrap().len(), 4);
}

async fn concurrent_joins_get_distinct_numbers(s: Storage) {
    let h = store::create_hub(&s, G1, HUB, None, &config(), t(0))
        .await
        .unwrap();
    let runs: Vec<_> = (0..10)
        .map(|i| {
            let s = s.clone();
            tokio::spawn(async move { store::reserve(&s, h.id, UserId::new(100 + i), t(1)).await })
        })
        .collect();
    let mut numbers = Vec::new();
    for r in runs {
        numbers.push(r.await.unwrap().unwrap().number);
    }
    numbers.sort_unstable();
    assert_eq!(numbers, (1..=10).collect::<Vec<u32>>());
}

async fn ownership_moves_only_from_the_current_owner(s: Storage) {
    let h = store::create_hub(&s, G1, HUB, None, &config(), t(0))
        .await
        .unwrap();
    let c = channel(&s, h.id, ALICE, 500).await;
    let ch = c.channel.unwrap();
    let moved = store::transfer(&s, ch, ALICE, BOB).await.unwrap();
    assert_eq!((moved.owner, moved.number), (BOB, c.number));
    // A second transfer from the old owner (a stale click) is refused.
    assert_eq!(
        tv(store::transfer(&s, ch, ALICE, CAROL).await),
        TempVoiceRefusal::OwnerChanged
    );
    assert_eq!(
        tv(store::transfer(&s, ch, BOB, BOB).await),
        TempVoiceRefusal::AlreadyOwner
    );
    assert_eq!(
        tv(store::transfer(&s, ch, ALICE, BOB).await),
        TempVoiceRefusal::AlreadyOwner
    );
    assert_eq!(
        tv(store::transfer(&s, ChannelId::new(9), ALICE, BOB).await),
        TempVoiceRefusal::NotTemporary
    );
    assert_eq!(store::by_channel(&s, ch).await.unwrap().unwrap().owner, BOB);
}

async fn flags_change_once(s: Storage) {
    let h = store::create_hub(&s, G1, HUB, None, &config(), t(0))
        .await
        .unwrap();
    let ch = channel(&s, h.id, ALICE, 500).await.channel.unwrap();
    for f in [Flag::Persistent, Flag::Locked, Flag::Hidden] {
        let on = store::set_flag(&s, ch, f, true).await.unwrap();
        assert!(on.flag(f), "{f:?}");
        assert_eq!(
            tv(store::set_flag(&s, ch, f, true).await),
            TempVoiceRefusal::Unchanged
        );
    }
    let row = store::by_channel(&s, ch).await.unwrap().unwrap();
    assert!(row.persistent && row.locked && row.hidden);
    let off = store::set_flag(&s, ch, Flag::Locked, false).await.unwrap();
    assert!(!off.locked && off.hidden && off.persistent);
    assert_eq!(
        tv(store::set_flag(&s, ChannelId::new(9), Flag::Locked, true).await),
        TempVoiceRefusal::NotTemporary
    );
}

async fn cleanup_removes_gone_rows_and_returns_empty_channels(s: Storage) {
    let h = store::create_hub(&s, G1, HUB, None, &config(), t(0))
        .await
        .unwrap();
    let h2 = store::create_hub(&s, G2, ChannelId::new(200), None, &config(), t(0))
        .await
        .unwrap();
    let gone = channel(&s, h.id, ALICE, 500).await;
    let empty = channel(&s, h.id, BOB, 501).await;
    let busy = channel(&s, h.id, CAROL, 502).await;
    let kept = channel(&s, h.id, ALICE, 503).await;
    store::set_flag(&s, ChannelId::new(503), Flag::Persistent, true)
        .await
        .unwrap();
    let unfinished = store::reserve(&s, h.id, BOB, t(1)).await.unwrap();
    let fresh = store::reserve(&s, h.id, BOB, t(100)).await.unwrap();
    let elsewhere = channel(&s, h2.id, ALICE, 600).await;

    let existing: HashSet<ChannelId> = [501, 502, 503].into_iter().map(ChannelId::new).collect();
    let occupied: HashSet<ChannelId> = [ChannelId::new(502)].into_iter().collect();
    let c = store::cleanup(&s, G1, &existing, &occupied, t(50))
        .await
        .unwrap();
    let ids = |v: &[store::TempChannel]| v.iter().map(|t| t.id).collect::<Vec<_>>();
    assert_eq!(ids(&c.removed), [gone.id, unfinished.id]);
    assert_eq!(
        ids(&c.empty),
        [empty.id],
        "persistent and occupied ones stay"
    );
    let left = ids(&store::of_guild(&s, G1).await.unwrap());
    assert_eq!(left, [empty.id, busy.id, kept.id, fresh.id]);
    assert_eq!(ids(&store::of_guild(&s, G2).await.unwrap()), [elsewhere.id]);
    // Run again: nothing more to remove.
    let again = store::cleanup(&s, G1, &existing, &occupied, t(50))
        .await
        .unwrap();
    assert!(again.removed.is_empty());
}
