//! Tickets on both backends: numbering per guild (also under concurrent opens), the per-member
//! open limit, claim / lock / close / reopen / delete with their refusals, invalid panels, and
//! staff statistics.

use chronix_core::ids::{ChannelId, GuildId, RoleId, UserId};
use chronix_core::tickets::{PanelConfig, PanelError};
use chronix_storage::Refusal;
use chronix_storage::Storage;
use chronix_storage::tickets::{self as store, StaffStats, TicketRefusal, TicketStatus};

use crate::{refusal, t};

both!(
    tickets_are_numbered_per_guild_and_the_open_limit_holds,
    concurrent_opens_get_distinct_numbers,
    ticket_claim_lock_close_reopen_and_delete,
    invalid_panels_are_refused_and_panels_round_trip,
    panels_are_edited_and_deleted_within_their_server,
);

const G1: GuildId = GuildId::new(1);
const G2: GuildId = GuildId::new(2);
const ALICE: UserId = UserId::new(10);
const BOB: UserId = UserId::new(11);
const STAFF: UserId = UserId::new(20);

fn config(max_open: u32) -> PanelConfig {
    PanelConfig {
        title: "Support".into(),
        description: "Open a ticket".into(),
        category: Some(ChannelId::new(300)),
        log_channel: Some(ChannelId::new(301)),
        staff_roles: vec![RoleId::new(50)],
        ping_roles: vec![RoleId::new(51)],
        topics: vec!["Billing".into(), "Bug".into()],
        max_open,
        threads: false,
    }
}

fn ticket_refusal<T: std::fmt::Debug>(r: chronix_storage::Result<T>) -> TicketRefusal {
    match refusal(r) {
        Refusal::Ticket(t) => t,
        other => panic!("expected a ticket refusal, got {other:?}"),
    }
}

async fn tickets_are_numbered_per_guild_and_the_open_limit_holds(s: Storage) {
    let p1 = store::create_panel(&s, G1, ChannelId::new(100), &config(2), t(0))
        .await
        .unwrap();
    let p2 = store::create_panel(&s, G2, ChannelId::new(200), &config(1), t(0))
        .await
        .unwrap();
    let a1 = store::open(&s, p1.id, ALICE, Some("Billing"), t(1))
        .await
        .unwrap();
    let a2 = store::open(&s, p1.id, ALICE, None, t(2)).await.unwrap();
    assert_eq!((a1.number, a2.number), (1, 2));
    assert_eq!(
        (a1.guild, a1.opener, a1.status, a1.topic.as_deref()),
        (G1, ALICE, TicketStatus::Open, Some("Billing"))
    );
    assert_eq!(a1.panel, Some(p1.id));
    // The third open ticket of ALICE on this panel is refused and uses no number.
    assert_eq!(
        ticket_refusal(store::open(&s, p1.id, ALICE, None, t(3)).await),
        TicketRefusal::LimitReached { max: 2 }
    );
    let b = store::open(&s, p1.id, BOB, None, t(4)).await.unwrap();
    assert_eq!(b.number, 3, "the refused open did not use a number");
    // Another guild counts from 1.
    let other = store::open(&s, p2.id, ALICE, None, t(5)).await.unwrap();
    assert_eq!((other.guild, other.number), (G2, 1));
    // A closed ticket frees a place.
    store::close(&s, a1.id, ALICE, None, t(6)).await.unwrap();
    let a3 = store::open(&s, p1.id, ALICE, None, t(7)).await.unwrap();
    assert_eq!(a3.number, 4);
    assert_eq!(
        ticket_refusal(store::open(&s, store::PanelId::new(999), ALICE, None, t(8)).await),
        TicketRefusal::NoPanel
    );
}

async fn concurrent_opens_get_distinct_numbers(s: Storage) {
    let p = store::create_panel(&s, G1, ChannelId::new(100), &config(1), t(0))
        .await
        .unwrap();
    // 12 members open at once, and one member clicks 4 times at once (limit 1).
    let mut tasks = Vec::new();
    for i in 0..12_u64 {
        let s = s.clone();
        tasks.push(tokio::spawn(async move {
            store::open(&s, p.id, UserId::new(1000 + i), None, t(1)).await
        }));
    }
    for _ in 0..4 {
        let s = s.clone();
        tasks.push(tokio::spawn(async move {
            store::open(&s, p.id, ALICE, None, t(1)).await
        }));
    }
    let mut numbers = Vec::new();
    let mut limited = 0;
    for task in tasks {
        match task.await.unwrap() {
            Ok(ticket) => numbers.push(ticket.number),
            Err(e) => {
                assert_eq!(
                    ticket_refusal::<()>(Err(e)),
                    TicketRefusal::LimitReached { max: 1 }
                );
                limited += 1;
            }
        }
    }
    numbers.sort_unstable();
    assert_eq!(
        numbers,
        (1..=13).collect::<Vec<i64>>(),
        "1..13 each once, no gap"
    );
    assert_eq!(limited, 3, "ALICE got exactly one ticket");
}

async fn ticket_claim_lock_close_reopen_and_delete(s: Storage) {
    let p = store::create_panel(&s, G1, ChannelId::new(100), &config(1), t(0))
        .await
        .unwrap();
    let tk = store::open(&s, p.id, ALICE, None, t(1)).await.unwrap();
    store::set_channel(&s, tk.id, ChannelId::new(777), None, true)
        .await
        .unwrap();
    let found = store::by_channel(&s, ChannelId::new(777))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(found.id, tk.id);
    assert_eq!(found.channel, Some(ChannelId::new(777)));
    assert!(found.thread, "opened as a private thread");

    let c = store::claim(&s, tk.id, STAFF, t(2)).await.unwrap();
    assert_eq!(c.claimed_by, Some(STAFF));
    assert_eq!(
        ticket_refusal(store::claim(&s, tk.id, BOB, t(3)).await),
        TicketRefusal::AlreadyClaimed { by: STAFF }
    );
    assert!(
        store::set_locked(&s, tk.id, true, t(4))
            .await
            .unwrap()
            .locked
    );
    assert_eq!(
        ticket_refusal(store::set_locked(&s, tk.id, true, t(4)).await),
        TicketRefusal::Unchanged
    );
    let closed = store::close(&s, tk.id, STAFF, Some("solved"), t(5))
        .await
        .unwrap();
    assert_eq!(
        (
            closed.status,
            closed.closed_by,
            closed.close_reason.as_deref(),
            closed.closed_at
        ),
        (
            TicketStatus::Closed,
            Some(STAFF),
            Some("solved"),
            Some(t(5))
        )
    );
    assert_eq!(
        ticket_refusal(store::close(&s, tk.id, ALICE, None, t(6)).await),
        TicketRefusal::AlreadyClosed
    );
    assert_eq!(
        ticket_refusal(store::claim(&s, tk.id, BOB, t(6)).await),
        TicketRefusal::AlreadyClosed
    );
    let re = store::reopen(&s, tk.id, t(7)).await.unwrap();
    assert_eq!(
        (re.status, re.locked, re.closed_by, re.claimed_by),
        (TicketStatus::Open, false, None, Some(STAFF))
    );
    assert_eq!(
        ticket_refusal(store::reopen(&s, tk.id, t(8)).await),
        TicketRefusal::NotClosed
    );
    // An open ticket is not deleted; a closed one is, once.
    assert_eq!(store::mark_deleted(&s, tk.id, t(9)).await.unwrap(), None);
    store::close(&s, tk.id, ALICE, None, t(10)).await.unwrap();
    let gone = store::mark_deleted(&s, tk.id, t(11))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(gone.status, TicketStatus::Deleted);
    assert_eq!(store::mark_deleted(&s, tk.id, t(12)).await.unwrap(), None);
    assert_eq!(
        ticket_refusal(store::reopen(&s, tk.id, t(13)).await),
        TicketRefusal::Deleted
    );

    // Statistics: one closed by STAFF (then reopened), closed again by ALICE; one open by BOB
    // claimed by BOB.
    let b = store::open(&s, p.id, BOB, None, t(14)).await.unwrap();
    store::claim(&s, b.id, BOB, t(15)).await.unwrap();
    let st = store::stats(&s, G1).await.unwrap();
    assert_eq!((st.open, st.closed), (1, 1));
    assert_eq!(
        st.staff,
        [
            StaffStats {
                staff: BOB,
                claimed: 1,
                closed: 0
            },
            StaffStats {
                staff: STAFF,
                claimed: 1,
                closed: 0
            },
            StaffStats {
                staff: ALICE,
                claimed: 0,
                closed: 1
            },
        ]
    );
    assert_eq!(store::stats(&s, G2).await.unwrap().open, 0);
}

async fn invalid_panels_are_refused_and_panels_round_trip(s: Storage) {
    let mut bad = config(1);
    bad.staff_roles.clear();
    assert_eq!(
        ticket_refusal(store::create_panel(&s, G1, ChannelId::new(100), &bad, t(0)).await),
        TicketRefusal::InvalidPanel(PanelError::NoStaffRole)
    );
    assert!(
        store::panels(&s, G1).await.unwrap().is_empty(),
        "nothing stored"
    );
    let a = store::create_panel(&s, G1, ChannelId::new(100), &config(1), t(0))
        .await
        .unwrap();
    let b = store::create_panel(&s, G1, ChannelId::new(101), &config(3), t(1))
        .await
        .unwrap();
    store::set_panel_message(&s, a.id, chronix_core::ids::MessageId::new(55))
        .await
        .unwrap();
    let got = store::panel(&s, a.id).await.unwrap().unwrap();
    assert_eq!(got.config, config(1));
    assert_eq!(got.message, Some(chronix_core::ids::MessageId::new(55)));
    assert_eq!(got.channel, ChannelId::new(100));
    let all: Vec<_> = store::panels(&s, G1)
        .await
        .unwrap()
        .into_iter()
        .map(|p| p.id)
        .collect();
    assert_eq!(all, [a.id, b.id], "several panels per server");
}

async fn panels_are_edited_and_deleted_within_their_server(s: Storage) {
    let p = store::create_panel(&s, G1, ChannelId::new(100), &config(1), t(0))
        .await
        .unwrap();
    let mut edited = config(2);
    edited.threads = true;
    edited.topics = (1..=7).map(|i| format!("Topic {i}")).collect();
    let got = store::update_panel(&s, G1, p.id, &edited, t(1))
        .await
        .unwrap();
    assert_eq!(got.config, edited);
    assert_eq!(
        store::panel(&s, p.id).await.unwrap().unwrap().config,
        edited
    );
    // Another server's admin cannot touch it; an invalid record changes nothing.
    assert_eq!(
        ticket_refusal(store::update_panel(&s, G2, p.id, &config(1), t(2)).await),
        TicketRefusal::NoPanel
    );
    let mut bad = edited.clone();
    bad.title = " ".into();
    assert_eq!(
        ticket_refusal(store::update_panel(&s, G1, p.id, &bad, t(2)).await),
        TicketRefusal::InvalidPanel(PanelError::EmptyTitle)
    );
    assert_eq!(
        store::panel(&s, p.id).await.unwrap().unwrap().config,
        edited
    );

    // Deleting keeps the tickets, without their panel.
    let tk = store::open(&s, p.id, ALICE, None, t(3)).await.unwrap();
    assert_eq!(
        ticket_refusal(store::delete_panel(&s, G2, p.id).await),
        TicketRefusal::NoPanel
    );
    let gone = store::delete_panel(&s, G1, p.id).await.unwrap();
    assert_eq!(gone.id, p.id);
    assert!(store::panel(&s, p.id).await.unwrap().is_none());
    let kept = store::get(&s, tk.id).await.unwrap().unwrap();
    assert_eq!((kept.panel, kept.status), (None, TicketStatus::Open));
    assert_eq!(
        ticket_refusal(store::delete_panel(&s, G1, p.id).await),
        TicketRefusal::NoPanel
    );
}
