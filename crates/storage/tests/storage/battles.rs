//! Battles on both backends: the wager escrow race (a player accepting two challenges with the
//! same Chrons gets one escrow), a full battle to a win with its payouts in the final
//! transaction, a stale turn, the busy refusal, PvE, decline/expiry, and the clan-wars contract
//! (finished, winner_id, updated_at = the end; the win credited to the winner's clan of the
//! moment in the final transaction).

use std::collections::BTreeMap;

use chronix_core::battles::{
    Action, BattleKind, BattleRules, Combatant, PetFighter, Setup, WeaponFighter, pick_enemy,
    pick_team_enemy,
};
use chronix_core::economy::Chrons;
use chronix_core::ids::{ChannelId, GuildId, UserId};
use chronix_core::xp::XpCurve;
use chronix_storage::battles::{
    self, ActRules, Acted, Actor, BattleId, BattleRefusal, BattleStatus, ChallengeLimits,
    NewChallenge, StoredBattle,
};
use chronix_storage::economy::{self, Memo};
use chronix_storage::{Refusal, Storage};
use rand::SeedableRng;

use crate::{refusal, scalar, t, tables};

both!(
    battle_escrow_race_takes_the_chrons_once,
    battle_runs_to_a_win_and_pays_in_the_final_transaction,
    battle_refuses_busy_self_stale_and_wrong_turn,
    battle_pve_loss_has_no_winner_and_decline_and_expiry_close_challenges,
    battle_team_pve_runs_to_a_shared_win_and_refuses_a_busy_member,
    battle_win_counts_for_the_clan_the_winner_was_in,
    battle_challenge_limits_refuse_with_the_time_left,
);

const A: UserId = UserId::new(11);
const B: UserId = UserId::new(22);
const C: UserId = UserId::new(33);
const D: UserId = UserId::new(44);

fn rules() -> BattleRules {
    BattleRules::shipped().unwrap()
}

async fn bal(s: &Storage, u: UserId) -> i64 {
    economy::balance(s, u).await.unwrap().get()
}

async fn seed(s: &Storage, u: UserId, n: i64) {
    economy::credit(s, u, Chrons::new(n), &Memo::new("seed"))
        .await
        .unwrap();
}

fn fighter(r: &BattleRules, u: UserId, power: u32) -> Combatant {
    let pet = PetFighter {
        id: 1,
        name: format!("pet{u}"),
        emoji: "🐾".into(),
        element: "fire".into(),
        power,
        hp: 40,
        defense: 0,
        affinity: 100,
    };
    let weapon = WeaponFighter {
        id: 1,
        name: "Blade".into(),
        element: "fire".into(),
        attack: 20,
        crit: 0,
        defense: 0,
        hp: 0,
        gems: 0,
    };
    Combatant::player(
        r,
        u,
        format!("p{u}"),
        vec![pet],
        Some(weapon),
        BTreeMap::new(),
    )
}

fn pvp(r: &BattleRules, a: UserId, b: UserId) -> Setup {
    Setup {
        kind: BattleKind::Pvp,
        sides: [vec![fighter(r, a, 200)], vec![fighter(r, b, 5)]],
    }
}

async fn challenge(s: &Storage, a: UserId, b: UserId, wager: i64) -> StoredBattle {
    battles::challenge(
        s,
        &NewChallenge {
            guild: Some(GuildId::new(1)),
            channel: ChannelId::new(2),
            challenger: a,
            opponent: b,
            wager: Chrons::new(wager),
            expires_at: t(60),
            setup: Some(pvp(&rules(), a, b)),
        },
        &ChallengeLimits::NONE,
        t(0),
    )
    .await
    .unwrap()
}

async fn battle_escrow_race_takes_the_chrons_once(s: Storage) {
    seed(&s, A, 1000).await;
    seed(&s, C, 1000).await;
    seed(&s, B, 100).await;
    let r = rules();
    let one = challenge(&s, A, B, 100).await;
    let two = challenge(&s, C, B, 100).await;
    let mut tasks = Vec::new();
    for (id, other) in [(one.id, A), (two.id, C)] {
        let s = s.clone();
        let setup = pvp(&r, other, B);
        tasks.push(tokio::spawn(async move {
            battles::accept(&s, id, B, Some(&setup), 7, t(100), t(1)).await
        }));
    }
    let mut ok = 0;
    let mut refused = Vec::new();
    for task in tasks {
        match task.await.unwrap() {
            Ok(b) => {
                assert_eq!(b.status, BattleStatus::Active);
                ok += 1;
            }
            Err(chronix_storage::StorageError::Refused(r)) => refused.push(r),
            Err(e) => panic!("failure: {e:?}"),
        }
    }
    assert_eq!(ok, 1, "exactly one escrow: {refused:?}");
    assert!(
        matches!(
            refused[0],
            Refusal::InsufficientFunds { .. } | Refusal::Battle(BattleRefusal::Busy(_))
        ),
        "{refused:?}"
    );
    assert_eq!(bal(&s, B).await, 0);
    // Only the accepted challenger paid.
    assert_eq!(bal(&s, A).await + bal(&s, C).await, 1900);
    assert!(economy::reconcile(&s).await.unwrap().is_empty());
    assert_eq!(
        scalar(&s, "SELECT COUNT(*) FROM battle_participants WHERE live").await,
        2
    );
}

async fn battle_runs_to_a_win_and_pays_in_the_final_transaction(s: Storage) {
    seed(&s, A, 500).await;
    seed(&s, B, 500).await;
    let r = rules();
    let tables = tables();
    let curve = XpCurve::default();
    let ar = ActRules {
        rules: &r,
        tables: &tables,
        curve: &curve,
    };
    let c = challenge(&s, A, B, 100).await;
    assert_eq!(c.status, BattleStatus::Pending);
    let b = battles::accept(&s, c.id, B, Some(&pvp(&r, A, B)), 1234, t(100), t(1))
        .await
        .unwrap();
    assert_eq!((bal(&s, A).await, bal(&s, B).await), (400, 400));
    let mut turn = 0;
    let mut now = 2;
    let acted = loop {
        let acted = attack(&s, &ar, b.id, turn, now).await;
        turn += 1;
        now += 1;
        if acted.state.outcome.is_some() {
            break acted;
        }
        assert_eq!(acted.battle.turn, turn, "state persisted after every turn");
    };
    let end = acted.battle;
    assert_eq!(end.status, BattleStatus::Finished);
    assert_eq!(end.winner, Some(A), "the strong side wins");
    assert_eq!(end.updated_at, t(now - 1));
    assert_eq!(end.turn_deadline, None);
    let reward = r.rewards.pvp;
    let gem = acted.payouts.iter().find(|p| p.won).unwrap().gem.is_some();
    assert_eq!(bal(&s, A).await, 400 + reward.chrons + 200);
    assert_eq!(bal(&s, B).await, 400 + r.rewards.consolation.chrons);
    assert_eq!(
        scalar(&s, "SELECT global_xp FROM users WHERE id = 11").await,
        reward.xp
    );
    assert_eq!(
        scalar(&s, "SELECT COUNT(*) FROM gems WHERE owner_id = 11").await,
        i64::from(gem)
    );
    assert!(economy::reconcile(&s).await.unwrap().is_empty());
    // Replaying the stored battle gives the same log.
    let stored = battles::get(&s, b.id).await.unwrap().unwrap();
    assert_eq!(stored.replay(&r).unwrap().log, acted.state.log);
    // Nobody is live any more; the record and the leaderboard count it.
    assert_eq!(
        scalar(&s, "SELECT COUNT(*) FROM battle_participants WHERE live").await,
        0
    );
    let rec = battles::record(&s, A).await.unwrap();
    assert_eq!((rec.wins, rec.losses, rec.pvp_wins), (1, 0, 1));
    assert_eq!(battles::record(&s, B).await.unwrap().losses, 1);
    assert_eq!(battles::top(&s, 10).await.unwrap(), vec![(A, 1)]);
    assert_eq!(battles::history(&s, B, 10).await.unwrap().len(), 1);
    // Over: further actions are refused and the end time stays.
    let r2 = battles::act(
        &s,
        &ar,
        b.id,
        Actor::Timer,
        &Action::Skip { max_missed: 2 },
        turn,
        t(999),
        t(999),
    )
    .await;
    assert_eq!(refusal(r2), Refusal::Battle(BattleRefusal::Over));
    assert_eq!(
        battles::get(&s, b.id).await.unwrap().unwrap().updated_at,
        t(now - 1)
    );
}

async fn battle_refuses_busy_self_stale_and_wrong_turn(s: Storage) {
    let r = rules();
    let tables = tables();
    let curve = XpCurve::default();
    let ar = ActRules {
        rules: &r,
        tables: &tables,
        curve: &curve,
    };
    let new = |a, b| NewChallenge {
        guild: None,
        channel: ChannelId::new(2),
        challenger: a,
        opponent: b,
        wager: Chrons::new(0),
        expires_at: t(60),
        setup: None,
    };
    assert_eq!(
        refusal(battles::challenge(&s, &new(A, A), &ChallengeLimits::NONE, t(0)).await),
        Refusal::Battle(BattleRefusal::SelfChallenge)
    );
    let mut w = new(A, B);
    w.wager = Chrons::new(50);
    assert!(matches!(
        refusal(battles::challenge(&s, &w, &ChallengeLimits::NONE, t(0)).await),
        Refusal::InsufficientFunds { .. }
    ));
    let c = battles::challenge(&s, &new(A, B), &ChallengeLimits::NONE, t(0))
        .await
        .unwrap();
    assert_eq!(
        refusal(battles::accept(&s, c.id, A, Some(&pvp(&r, A, B)), 1, t(100), t(1)).await),
        Refusal::Battle(BattleRefusal::NotChallenged(B))
    );
    let b = battles::accept(&s, c.id, B, Some(&pvp(&r, A, B)), 1, t(100), t(1))
        .await
        .unwrap();
    // Busy: C cannot challenge A, nor can A start a PvE battle.
    assert_eq!(
        refusal(battles::challenge(&s, &new(C, A), &ChallengeLimits::NONE, t(2)).await),
        Refusal::Battle(BattleRefusal::Busy(A))
    );
    assert_eq!(
        battles::live_of(&s, A).await.unwrap().map(|x| x.id),
        Some(b.id)
    );
    // Wrong turn, stale turn, not in the battle.
    let act = |actor, turn| {
        let (s, ar) = (&s, &ar);
        async move { battles::act(s, ar, b.id, actor, &Action::Defend, turn, t(100), t(3)).await }
    };
    assert_eq!(
        refusal(act(Actor::Player(B), 0).await),
        Refusal::Battle(BattleRefusal::NotYourTurn)
    );
    assert_eq!(
        refusal(act(Actor::Player(C), 0).await),
        Refusal::Battle(BattleRefusal::NotInBattle)
    );
    act(Actor::Player(A), 0).await.unwrap();
    assert_eq!(
        refusal(act(Actor::Player(B), 0).await),
        Refusal::Battle(BattleRefusal::Stale)
    );
    // A potion the player does not have is refused by the engine.
    let r3 = battles::act(
        &s,
        &ar,
        b.id,
        Actor::Player(B),
        &Action::UseItem {
            item: "healing_potion".into(),
        },
        1,
        t(100),
        t(4),
    )
    .await;
    assert!(matches!(
        refusal(r3),
        Refusal::Battle(BattleRefusal::Rule(_))
    ));
    // The timer skips B twice: B forfeits.
    assert!(battles::set_warned(&s, b.id, 1).await.unwrap());
    assert!(!battles::set_warned(&s, b.id, 1).await.unwrap());
    let skip = Action::Skip { max_missed: 2 };
    battles::act(&s, &ar, b.id, Actor::Timer, &skip, 1, t(100), t(5))
        .await
        .unwrap();
    battles::act(
        &s,
        &ar,
        b.id,
        Actor::Player(A),
        &Action::Defend,
        2,
        t(100),
        t(6),
    )
    .await
    .unwrap();
    let end = battles::act(&s, &ar, b.id, Actor::Timer, &skip, 3, t(100), t(7))
        .await
        .unwrap();
    assert_eq!(end.battle.status, BattleStatus::Finished);
    assert_eq!(end.battle.winner, Some(A));
}

async fn battle_pve_loss_has_no_winner_and_decline_and_expiry_close_challenges(s: Storage) {
    let r = rules();
    let tables = tables();
    let curve = XpCurve::default();
    let ar = ActRules {
        rules: &r,
        tables: &tables,
        curve: &curve,
    };
    let me = fighter(&r, A, 1);
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(1);
    let boss = pick_enemy(&r, BattleKind::Boss, &me, &mut rng);
    let setup = Setup {
        kind: BattleKind::Boss,
        sides: [vec![me], vec![boss]],
    };
    let b = battles::start_pve(&s, None, ChannelId::new(2), A, &setup, 9, t(100), t(0))
        .await
        .unwrap();
    assert_eq!(b.kind, BattleKind::Boss);
    let mut turn = 0;
    let end = loop {
        let acted = battles::act(
            &s,
            &ar,
            b.id,
            Actor::Player(A),
            &Action::Defend,
            turn,
            t(100),
            t(1),
        )
        .await
        .unwrap();
        turn += 1;
        if acted.state.outcome.is_some() {
            break acted;
        }
    };
    assert_eq!(end.battle.status, BattleStatus::Finished);
    assert_eq!(end.battle.winner, None, "a lost PvE battle has no winner");
    assert_eq!(bal(&s, A).await, r.rewards.consolation.chrons);
    assert_eq!(
        scalar(&s, "SELECT COUNT(*) FROM battles WHERE battle_type = 'boss' AND status = 'finished' AND winner_id IS NULL").await,
        1
    );

    // Decline and expiry.
    let c = challenge(&s, A, B, 0).await;
    assert_eq!(
        refusal(battles::decline(&s, c.id, C, t(1)).await),
        Refusal::Battle(BattleRefusal::NotChallenged(B))
    );
    let d = battles::decline(&s, c.id, B, t(1)).await.unwrap();
    assert_eq!(d.status, BattleStatus::Declined);
    assert_eq!(
        refusal(battles::accept(&s, c.id, B, Some(&pvp(&r, A, B)), 1, t(100), t(2)).await),
        Refusal::Battle(BattleRefusal::Over)
    );
    let c = challenge(&s, A, B, 0).await;
    assert!(
        battles::expire(&s, c.id, t(30)).await.unwrap().is_none(),
        "not yet"
    );
    assert_eq!(
        battles::expire(&s, c.id, t(60))
            .await
            .unwrap()
            .unwrap()
            .status,
        BattleStatus::Expired
    );
    assert!(
        battles::get(&s, BattleId::new(9999))
            .await
            .unwrap()
            .is_none()
    );
}

async fn battle_team_pve_runs_to_a_shared_win_and_refuses_a_busy_member(s: Storage) {
    let r = rules();
    let tables = tables();
    let curve = XpCurve::default();
    let ar = ActRules {
        rules: &r,
        tables: &tables,
        curve: &curve,
    };
    // C is in a solo wild battle: a team setup with C is refused and writes nothing.
    let solo = fighter(&r, C, 30);
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(2);
    let wolf = pick_enemy(&r, BattleKind::Wild, &solo, &mut rng);
    let busy = battles::start_pve(
        &s,
        None,
        ChannelId::new(2),
        C,
        &Setup {
            kind: BattleKind::Wild,
            sides: [vec![solo], vec![wolf]],
        },
        5,
        t(100),
        t(0),
    )
    .await
    .unwrap();
    let members = vec![fighter(&r, A, 30), fighter(&r, B, 30), fighter(&r, C, 30)];
    let e = pick_team_enemy(&r, BattleKind::Wild, &members, &mut rng);
    let with_c = Setup {
        kind: BattleKind::Wild,
        sides: [members, vec![e]],
    };
    assert_eq!(
        refusal(battles::start_pve(&s, None, ChannelId::new(2), A, &with_c, 6, t(100), t(1)).await),
        Refusal::Battle(BattleRefusal::Busy(C))
    );
    assert_eq!(
        refusal(battles::start_pve(&s, None, ChannelId::new(2), D, &with_c, 6, t(100), t(1)).await),
        Refusal::Battle(BattleRefusal::NotInBattle),
        "the starter must be one of the fighters"
    );
    assert_eq!(scalar(&s, "SELECT COUNT(*) FROM battles").await, 1);
    assert_eq!(
        scalar(&s, "SELECT COUNT(*) FROM battle_participants").await,
        1
    );

    // A and B fight together: one battle, both live; turns A, B, the enemy.
    let members = vec![fighter(&r, A, 30), fighter(&r, B, 30)];
    let e = pick_team_enemy(&r, BattleKind::Wild, &members, &mut rng);
    let setup = Setup {
        kind: BattleKind::Wild,
        sides: [members, vec![e]],
    };
    let b = battles::start_pve(
        &s,
        Some(GuildId::new(1)),
        ChannelId::new(2),
        A,
        &setup,
        77,
        t(100),
        t(2),
    )
    .await
    .unwrap();
    assert_eq!(b.players(), vec![A, B]);
    assert_eq!(b.challenger, A);
    assert_eq!(
        battles::live_of(&s, B).await.unwrap().map(|x| x.id),
        Some(b.id)
    );
    assert_eq!(
        refusal(battles::start_pve(&s, None, ChannelId::new(2), B, &setup, 8, t(100), t(3)).await),
        Refusal::Battle(BattleRefusal::Busy(A)),
        "one live battle per player"
    );
    let act = |actor, action: Action, turn, at| {
        let (s, ar) = (&s, &ar);
        async move { battles::act(s, ar, b.id, actor, &action, turn, t(at + 60), t(at)).await }
    };
    assert_eq!(
        refusal(act(Actor::Player(B), Action::Attack, 0, 3).await),
        Refusal::Battle(BattleRefusal::NotYourTurn)
    );
    assert_eq!(
        refusal(act(Actor::Player(D), Action::Attack, 0, 3).await),
        Refusal::Battle(BattleRefusal::NotInBattle)
    );
    let first = act(Actor::Player(A), Action::Attack, 0, 3).await.unwrap();
    assert_eq!(first.state.whose_turn(), Some(B), "B acts after A");
    let mut turn = 1;
    let mut at = 4;
    let end = loop {
        let st = battles::get(&s, b.id).await.unwrap().unwrap();
        let who = st.replay(&r).unwrap().whose_turn().unwrap();
        let acted = act(Actor::Player(who), Action::Attack, turn, at)
            .await
            .unwrap();
        turn += 1;
        at += 1;
        if acted.state.outcome.is_some() {
            break acted;
        }
    };
    assert_eq!(end.battle.status, BattleStatus::Finished);
    assert_eq!(
        end.battle.winner,
        Some(A),
        "the team won; winner_id is its starter"
    );
    // A wild win (80) × (100 + 10 % for the second member) / 100 = 88, split in 2: 44 each,
    // 25 XP each.
    let paid: Vec<(UserId, i64, i64)> = end
        .payouts
        .iter()
        .map(|p| (p.user, p.chrons.get(), p.xp))
        .collect();
    assert_eq!(paid, vec![(A, 44, 25), (B, 44, 25)]);
    assert_eq!((bal(&s, A).await, bal(&s, B).await), (44, 44));
    for (u, id) in [(A, 11), (B, 22)] {
        assert_eq!(
            scalar(&s, &format!("SELECT global_xp FROM users WHERE id = {id}")).await,
            25
        );
        let gem = end
            .payouts
            .iter()
            .find(|p| p.user == u)
            .unwrap()
            .gem
            .is_some();
        assert_eq!(
            scalar(
                &s,
                &format!("SELECT COUNT(*) FROM gems WHERE owner_id = {id}")
            )
            .await,
            i64::from(gem)
        );
    }
    assert!(economy::reconcile(&s).await.unwrap().is_empty());
    // Both are free again, and both count the win.
    assert_eq!(battles::live_of(&s, A).await.unwrap(), None);
    assert_eq!(battles::live_of(&s, B).await.unwrap(), None);
    assert_eq!(battles::record(&s, A).await.unwrap().wins, 1);
    assert_eq!(battles::record(&s, B).await.unwrap().wins, 1);
    assert_eq!(battles::top(&s, 10).await.unwrap(), vec![(A, 1), (B, 1)]);
    // C's solo battle is untouched.
    assert_eq!(
        battles::live_of(&s, C).await.unwrap().map(|x| x.id),
        Some(busy.id)
    );
}

/// Whoever's turn it is in battle `id` attacks at `t(at)`, on turn `turn`.
async fn attack(s: &Storage, ar: &ActRules<'_>, id: BattleId, turn: u32, at: i64) -> Acted {
    let st = battles::get(s, id).await.unwrap().unwrap();
    let who = st.replay(ar.rules).unwrap().whose_turn().unwrap();
    battles::act(
        s,
        ar,
        id,
        Actor::Player(who),
        &Action::Attack,
        turn,
        t(at + 60),
        t(at),
    )
    .await
    .unwrap()
}

/// Fights battle `id` (accepted, turn 0) with Attack until it ends at `t(at)`.
async fn fight_out(s: &Storage, ar: &ActRules<'_>, id: BattleId, at: i64) -> StoredBattle {
    for turn in 0..200 {
        let acted = attack(s, ar, id, turn, at).await;
        if acted.state.outcome.is_some() {
            return acted.battle;
        }
    }
    panic!("battle {id} did not end");
}

async fn battle_win_counts_for_the_clan_the_winner_was_in(s: Storage) {
    use chronix_core::clans::ClanRules;
    use chronix_storage::clans::{self, Joined, WarResult};
    let r = rules();
    let cr = ClanRules::shipped().unwrap();
    let tables = tables();
    let curve = XpCurve::default();
    let ar = ActRules {
        rules: &r,
        tables: &tables,
        curve: &curve,
    };
    // Wolves (owner D) with A; Bears (owner E).
    let (d, e) = (UserId::new(44), UserId::new(55));
    let wolves = clans::create(&s, d, "Wolves", Chrons::ZERO, &cr, None, t(0))
        .await
        .unwrap();
    let bears = clans::create(&s, e, "Bears", Chrons::ZERO, &cr, None, t(0))
        .await
        .unwrap();
    clans::invite(&s, d, A, t(0)).await.unwrap();
    let joined = clans::join(&s, A, "Wolves", cr.max_members, t(0))
        .await
        .unwrap();
    assert!(matches!(joined, Joined::Member(_)));

    // A (the strong side) beats B while in Wolves: the final transaction credits Wolves.
    let c = challenge(&s, A, B, 0).await;
    battles::accept(&s, c.id, B, None, 77, t(100), t(1))
        .await
        .unwrap();
    let end = fight_out(&s, &ar, c.id, 10).await;
    assert_eq!(end.winner, Some(A));
    assert_eq!(
        scalar(
            &s,
            &format!(
                "SELECT clan_id FROM clan_war_points WHERE user_id = 11 AND battle_id = {}",
                c.id
            )
        )
        .await,
        wolves.id
    );

    // A leaves Wolves and joins Bears: the point stays with Wolves; A brings none to Bears.
    clans::leave(&s, A, t(20)).await.unwrap();
    clans::invite(&s, e, A, t(21)).await.unwrap();
    clans::join(&s, A, "Bears", cr.max_members, t(22))
        .await
        .unwrap();
    // B, outside any clan, wins nothing for anyone; a lost PvE battle credits nobody.
    assert_eq!(scalar(&s, "SELECT COUNT(*) FROM clan_war_points").await, 1);

    let report = clans::settle_war(&s, t(0), t(604_800), &cr.war, Chrons::new(100), t(604_801))
        .await
        .unwrap()
        .unwrap();
    let line = |id: i64| report.lines.iter().find(|l| l.clan == id).unwrap().clone();
    assert_eq!(
        (line(wolves.id).score, line(wolves.id).outcome),
        (cr.war.pvp_points, WarResult::Won)
    );
    assert_eq!(
        (line(bears.id).score, line(bears.id).outcome),
        (0, WarResult::Lost)
    );
}

async fn battle_challenge_limits_refuse_with_the_time_left(s: Storage) {
    let limits = ChallengeLimits {
        max_pending: 2,
        rechallenge: chrono::Duration::seconds(120),
    };
    let d = UserId::new(44);
    let ask = |to: UserId, at: i64| {
        let s = s.clone();
        async move {
            battles::challenge(
                &s,
                &NewChallenge {
                    guild: Some(GuildId::new(1)),
                    channel: ChannelId::new(2),
                    challenger: A,
                    opponent: to,
                    wager: Chrons::ZERO,
                    expires_at: t(at + 60),
                    setup: Some(pvp(&rules(), A, to)),
                },
                &limits,
                t(at),
            )
            .await
        }
    };
    let to_b = ask(B, 0).await.unwrap();
    ask(C, 1).await.unwrap();
    // Two waiting: a third is refused until the first lapses (t(60)).
    assert_eq!(
        refusal(ask(d, 2).await),
        Refusal::Battle(BattleRefusal::TooManyChallenges {
            max: 2,
            free_at: t(60)
        })
    );
    // B declines at t(10): A may challenge B again from t(130), others at once.
    battles::decline(&s, to_b.id, B, t(10)).await.unwrap();
    assert_eq!(
        refusal(ask(B, 20).await),
        Refusal::Battle(BattleRefusal::RechallengeTooSoon {
            user: B,
            at: t(130)
        })
    );
    ask(d, 20).await.unwrap();
    // The challenge to C lapsed at t(61) (its job has not run yet): C from t(181).
    assert_eq!(
        refusal(ask(C, 100).await),
        Refusal::Battle(BattleRefusal::RechallengeTooSoon {
            user: C,
            at: t(181)
        })
    );
    assert_eq!(ask(B, 130).await.unwrap().opponent, Some(B));
    assert_eq!(
        scalar(&s, "SELECT COUNT(*) FROM battles WHERE status = 'pending'").await,
        3,
        "refused challenges stored nothing"
    );
}
