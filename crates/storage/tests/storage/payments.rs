//! Pending payments (a `pay` waiting for its Confirm button) on both backends: only the payer
//! answers, a confirmation pays exactly once even under concurrent clicks, an expired one pays
//! nothing, and the sweep expires each lapsed row once.

use chronix_core::economy::Chrons;
use chronix_core::ids::{ChannelId, GuildId, MessageId, UserId};
use chronix_storage::economy::{self, Memo};
use chronix_storage::payments::{self, NewPayment, PaymentId, PaymentRefusal, PaymentStatus};
use chronix_storage::{Refusal, Storage, StorageError};
use chrono::Duration;

use crate::{refusal, scalar, t};

both!(
    pending_payment_confirms_once_under_concurrent_clicks,
    pending_payment_refuses_non_payer_expired_and_closed,
    pending_payment_cancel_and_expiry_sweep,
);

const PAYER: UserId = UserId::new(1);
const PAYEE: UserId = UserId::new(2);

async fn bal(s: &Storage, u: UserId) -> i64 {
    economy::balance(s, u).await.unwrap().get()
}

fn new_payment(amount: i64, expires_in: i64) -> NewPayment {
    NewPayment {
        payer: PAYER,
        payee: PAYEE,
        amount: Chrons::new(amount),
        guild: Some(GuildId::new(77)),
        channel: Some(ChannelId::new(88)),
        memo: "payment".into(),
        expires_at: t(0) + Duration::seconds(expires_in),
    }
}

async fn seed(s: &Storage, amount: i64) {
    economy::credit(s, PAYER, Chrons::new(amount), &Memo::new("seed"))
        .await
        .unwrap();
}

async fn pending_payment_confirms_once_under_concurrent_clicks(s: Storage) {
    seed(&s, 50_000).await;
    let p = payments::create(&s, &new_payment(20_000, 120), t(0))
        .await
        .unwrap();
    assert_eq!(
        (p.payer, p.payee, p.amount, p.status),
        (PAYER, PAYEE, Chrons::new(20_000), PaymentStatus::Open)
    );
    assert_eq!(
        bal(&s, PAYER).await,
        50_000,
        "nothing moves before the click"
    );
    payments::set_message(&s, p.id, ChannelId::new(88), MessageId::new(99))
        .await
        .unwrap();
    let stored = payments::get(&s, p.id).await.unwrap().unwrap();
    assert_eq!(stored.message, Some(MessageId::new(99)));

    // Eight clicks at once: exactly one pays, the others are told it is closed.
    let mut tasks = Vec::new();
    for _ in 0..8 {
        let s = s.clone();
        tasks.push(tokio::spawn(async move {
            payments::confirm(&s, p.id, PAYER, t(10)).await
        }));
    }
    let mut paid = 0;
    for task in tasks {
        match task.await.unwrap() {
            Ok((done, transfer)) => {
                paid += 1;
                assert_eq!(done.status, PaymentStatus::Done);
                assert_eq!(transfer.from.balance_after, 30_000);
                assert!(!transfer.replayed);
            }
            Err(StorageError::Refused(Refusal::Payment(PaymentRefusal::Closed(
                PaymentStatus::Done,
            )))) => {}
            Err(e) => panic!("{e:?}"),
        }
    }
    assert_eq!(paid, 1);
    assert_eq!(
        (bal(&s, PAYER).await, bal(&s, PAYEE).await),
        (30_000, 20_000)
    );
    assert_eq!(
        payments::get(&s, p.id).await.unwrap().unwrap().status,
        PaymentStatus::Done
    );
    assert_eq!(
        scalar(
            &s,
            &format!(
                "SELECT COUNT(*) FROM transactions WHERE idempotency_key = 'pay:confirm:{}'",
                p.id
            )
        )
        .await,
        2,
        "one debit and one credit row"
    );
    // A later click (e.g. after a restart) pays nothing more.
    assert_eq!(
        refusal(payments::confirm(&s, p.id, PAYER, t(11)).await),
        Refusal::Payment(PaymentRefusal::Closed(PaymentStatus::Done))
    );
    assert!(economy::reconcile(&s).await.unwrap().is_empty());
}

async fn pending_payment_refuses_non_payer_expired_and_closed(s: Storage) {
    seed(&s, 50_000).await;
    // Self-payments and empty amounts are never stored.
    let mut selfpay = new_payment(100, 120);
    selfpay.payee = PAYER;
    assert_eq!(
        refusal(payments::create(&s, &selfpay, t(0)).await),
        Refusal::SelfTransfer
    );
    assert_eq!(
        refusal(payments::create(&s, &new_payment(0, 120), t(0)).await),
        Refusal::InvalidAmount(0)
    );
    let p = payments::create(&s, &new_payment(15_000, 120), t(0))
        .await
        .unwrap();
    // The payee and a stranger can neither confirm nor cancel.
    for who in [PAYEE, UserId::new(3)] {
        assert_eq!(
            refusal(payments::confirm(&s, p.id, who, t(5)).await),
            Refusal::Payment(PaymentRefusal::NotPayer { payer: PAYER })
        );
        assert_eq!(
            refusal(payments::cancel(&s, p.id, who, t(5)).await),
            Refusal::Payment(PaymentRefusal::NotPayer { payer: PAYER })
        );
    }
    // At and after its expiry the payer is refused too; nothing moved, the row stays open
    // (the sweep marks it expired).
    for at in [120, 500] {
        assert_eq!(
            refusal(payments::confirm(&s, p.id, PAYER, t(at)).await),
            Refusal::Payment(PaymentRefusal::Expired)
        );
    }
    assert_eq!((bal(&s, PAYER).await, bal(&s, PAYEE).await), (50_000, 0));
    assert_eq!(
        payments::get(&s, p.id).await.unwrap().unwrap().status,
        PaymentStatus::Open
    );
    // One second before the expiry it still pays.
    let (done, _) = payments::confirm(&s, p.id, PAYER, t(119)).await.unwrap();
    assert_eq!(done.status, PaymentStatus::Done);
    assert_eq!(
        (bal(&s, PAYER).await, bal(&s, PAYEE).await),
        (35_000, 15_000)
    );
    // Unknown ids.
    assert_eq!(
        refusal(payments::confirm(&s, PaymentId::new(9_999), PAYER, t(5)).await),
        Refusal::Payment(PaymentRefusal::NotFound(PaymentId::new(9_999)))
    );
    // Not enough money at the click: refused, nothing moves, still open.
    let p = payments::create(&s, &new_payment(40_000, 120), t(0))
        .await
        .unwrap();
    assert!(matches!(
        refusal(payments::confirm(&s, p.id, PAYER, t(6)).await),
        Refusal::InsufficientFunds { .. }
    ));
    assert_eq!(
        payments::get(&s, p.id).await.unwrap().unwrap().status,
        PaymentStatus::Open
    );
    assert_eq!(bal(&s, PAYER).await, 35_000);
    assert!(economy::reconcile(&s).await.unwrap().is_empty());
}

async fn pending_payment_cancel_and_expiry_sweep(s: Storage) {
    seed(&s, 50_000).await;
    let a = payments::create(&s, &new_payment(11_000, 60), t(0))
        .await
        .unwrap();
    let b = payments::create(&s, &new_payment(12_000, 120), t(0))
        .await
        .unwrap();
    let c = payments::create(&s, &new_payment(13_000, 30), t(0))
        .await
        .unwrap();
    // The payer cancels `a`: nothing moves, and it cannot be confirmed afterwards.
    let cancelled = payments::cancel(&s, a.id, PAYER, t(1)).await.unwrap();
    assert_eq!(cancelled.status, PaymentStatus::Cancelled);
    assert_eq!(
        refusal(payments::confirm(&s, a.id, PAYER, t(2)).await),
        Refusal::Payment(PaymentRefusal::Closed(PaymentStatus::Cancelled))
    );
    // Nothing is due before any expiry.
    assert!(
        payments::expire_due(&s, t(29), 10)
            .await
            .unwrap()
            .is_empty()
    );
    // At 60 s only `c` is due (`a` is cancelled, `b` lapses at 120 s).
    let swept = payments::expire_due(&s, t(60), 10).await.unwrap();
    assert_eq!(swept.iter().map(|p| p.id).collect::<Vec<_>>(), vec![c.id]);
    assert_eq!(swept[0].status, PaymentStatus::Expired);
    assert_eq!(swept[0].channel, Some(ChannelId::new(88)));
    // Swept once: a second run finds nothing new; the limit is honoured.
    assert!(
        payments::expire_due(&s, t(61), 10)
            .await
            .unwrap()
            .is_empty()
    );
    assert!(
        payments::expire_due(&s, t(500), 0)
            .await
            .unwrap()
            .is_empty()
    );
    let swept = payments::expire_due(&s, t(500), 10).await.unwrap();
    assert_eq!(swept.iter().map(|p| p.id).collect::<Vec<_>>(), vec![b.id]);
    assert_eq!(
        refusal(payments::confirm(&s, b.id, PAYER, t(501)).await),
        Refusal::Payment(PaymentRefusal::Closed(PaymentStatus::Expired))
    );
    assert_eq!((bal(&s, PAYER).await, bal(&s, PAYEE).await), (50_000, 0));
}
