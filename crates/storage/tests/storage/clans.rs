//! Clans and teams on both backends: creation charges exactly, membership, the treasury race,
//! perks (and their effect on an autohunt batch), the weekly war paid once by two workers,
//! disband refunds, team hunts. Every case ends with both ledgers reconciling.

use std::collections::HashMap;

use chronix_core::autohunt::{AutohuntRules, tick_outcome_with};
use chronix_core::clans::{ClanRules, NameProblem, Perk, Role};
use chronix_core::economy::Chrons;
use chronix_core::ids::UserId;
use chronix_core::items::Loot;
use chronix_core::teams::share_team_hunt;
use chronix_core::xp::XpCurve;
use chronix_storage::autohunt::{self, TickRules};
use chronix_storage::clans::{self, ClanRefusal, Joined, WarResult};
use chronix_storage::economy::{self, Memo};
use chronix_storage::teams::{self, TeamRefusal};
use chronix_storage::{Refusal, Storage, inventory};
use rand::SeedableRng;
use rand::rngs::StdRng;

use crate::{refusal, scalar, t, tables};

both!(
    create_charges_exactly_and_refuses_cleanly,
    membership_invites_requests_roles_and_leaving,
    two_withdrawals_racing_never_overdraw,
    perks_cost_bp_and_raise_an_autohunt_batch,
    war_is_paid_once_by_two_workers,
    disband_refunds_the_treasury_by_the_rule,
    teams_form_and_hunt_together,
);

fn u(n: u64) -> UserId {
    UserId::new(n)
}

fn rules() -> ClanRules {
    ClanRules::shipped().unwrap()
}

async fn fund(s: &Storage, user: u64, amount: i64) {
    economy::credit(
        s,
        u(user),
        Chrons::new(amount),
        &Memo::new("seed").kind("seed"),
    )
    .await
    .unwrap();
}

async fn books_balance(s: &Storage) {
    assert!(clans::reconcile(s).await.unwrap().is_empty());
    assert!(economy::reconcile(s).await.unwrap().is_empty());
}

fn clan_refusal<T: std::fmt::Debug>(r: chronix_storage::Result<T>) -> ClanRefusal {
    match refusal(r) {
        Refusal::Clan(c) => c,
        other => panic!("expected a clan refusal, got {other:?}"),
    }
}

async fn create_charges_exactly_and_refuses_cleanly(s: Storage) {
    let r = rules();
    fund(&s, 1, 10_000).await;
    fund(&s, 2, 1_000).await;
    let c = clans::create(
        &s,
        u(1),
        "  The   Wolves ",
        Chrons::new(5_000),
        &r,
        None,
        t(0),
    )
    .await
    .unwrap();
    assert_eq!(
        (c.name.as_str(), c.owner, c.bp, c.treasury, c.members),
        ("The Wolves", u(1), 50, Chrons::ZERO, 1)
    );
    assert_eq!(
        economy::balance(&s, u(1)).await.unwrap(),
        Chrons::new(5_000)
    );
    let h = economy::history(&s, u(1), 5, None).await.unwrap();
    assert_eq!(
        (h[0].change, h[0].kind.as_str()),
        (Chrons::new(-5_000), "clan_create")
    );
    let log = clans::log(&s, c.id, 10).await.unwrap();
    assert_eq!(
        (log[0].kind.as_str(), log[0].bp_change, log[0].bp_after),
        ("create", 50, 50)
    );
    let (mine, role) = clans::of_user(&s, u(1)).await.unwrap().unwrap();
    assert_eq!((mine.id, role), (c.id, Role::Owner));

    // Refusals change nothing.
    let ledger = scalar(&s, "SELECT COUNT(*) FROM transactions").await;
    assert_eq!(
        clan_refusal(clans::create(&s, u(2), "the wolves", Chrons::new(500), &r, None, t(1)).await),
        ClanRefusal::NameTaken("the wolves".into())
    );
    assert_eq!(
        clan_refusal(clans::create(&s, u(1), "Other", Chrons::new(500), &r, None, t(1)).await),
        ClanRefusal::AlreadyInClan
    );
    assert_eq!(
        clan_refusal(clans::create(&s, u(2), "x", Chrons::new(500), &r, None, t(1)).await),
        ClanRefusal::BadName(NameProblem::Length)
    );
    assert!(matches!(
        refusal(clans::create(&s, u(2), "Poor Clan", Chrons::new(5_000), &r, None, t(1)).await),
        Refusal::InsufficientFunds { .. }
    ));
    assert_eq!(
        scalar(&s, "SELECT COUNT(*) FROM transactions").await,
        ledger
    );
    assert_eq!(scalar(&s, "SELECT COUNT(*) FROM clans").await, 1);
    assert_eq!(
        economy::balance(&s, u(2)).await.unwrap(),
        Chrons::new(1_000)
    );
    books_balance(&s).await;
}

async fn membership_invites_requests_roles_and_leaving(s: Storage) {
    let r = rules();
    let c = clans::create(&s, u(1), "Owls", Chrons::ZERO, &r, None, t(0))
        .await
        .unwrap();
    // A member without manage_clan cannot invite.
    clans::invite(&s, u(1), u(2), t(1)).await.unwrap();
    assert_eq!(
        clan_refusal(clans::invite(&s, u(1), u(2), t(1)).await),
        ClanRefusal::AlreadyPending
    );
    assert!(matches!(
        clans::join(&s, u(2), "owls", 30, t(2)).await.unwrap(),
        Joined::Member(_)
    ));
    assert_eq!(
        clan_refusal(clans::invite(&s, u(2), u(3), t(3)).await),
        ClanRefusal::NotManager
    );
    assert_eq!(
        clan_refusal(clans::join(&s, u(2), "owls", 30, t(3)).await),
        ClanRefusal::AlreadyInClan
    );
    assert_eq!(
        clan_refusal(clans::join(&s, u(3), "nobody", 30, t(3)).await),
        ClanRefusal::NoSuchClan("nobody".into())
    );
    // A request, approved by an officer.
    assert!(matches!(
        clans::join(&s, u(3), "OWLS", 30, t(4)).await.unwrap(),
        Joined::Requested(_)
    ));
    assert_eq!(clans::requests(&s, c.id).await.unwrap(), vec![u(3)]);
    assert_eq!(
        clan_refusal(clans::decide_request(&s, u(2), c.id, u(3), true, 30, t(5)).await),
        ClanRefusal::NotManager
    );
    clans::set_officer(&s, u(1), u(2), true, t(6))
        .await
        .unwrap();
    assert_eq!(
        clan_refusal(clans::set_officer(&s, u(1), u(2), true, t(6)).await),
        ClanRefusal::SameRole {
            user: u(2),
            role: Role::Officer
        }
    );
    let (_, joined) = clans::decide_request(&s, u(2), c.id, u(3), true, 30, t(7))
        .await
        .unwrap();
    assert!(joined);
    assert_eq!(
        clan_refusal(clans::decide_request(&s, u(2), c.id, u(3), true, 30, t(7)).await),
        ClanRefusal::NoRequest(u(3))
    );
    // Full clan: a request is approved only while there is room.
    clans::join(&s, u(4), "Owls", 3, t(8)).await.unwrap();
    assert_eq!(
        clan_refusal(clans::decide_request(&s, u(1), c.id, u(4), true, 3, t(8)).await),
        ClanRefusal::Full { max: 3 }
    );
    // Kicks follow rank; the owner cannot leave; transfer hands over.
    assert_eq!(
        clan_refusal(clans::kick(&s, u(2), u(1), t(9)).await),
        ClanRefusal::Outranked(u(1))
    );
    assert_eq!(
        clan_refusal(clans::kick(&s, u(3), u(2), t(9)).await),
        ClanRefusal::NotManager
    );
    assert_eq!(
        clan_refusal(clans::kick(&s, u(2), u(9), t(9)).await),
        ClanRefusal::TargetNotInClan(u(9))
    );
    clans::kick(&s, u(2), u(3), t(10)).await.unwrap();
    assert_eq!(
        clan_refusal(clans::leave(&s, u(1), t(11)).await),
        ClanRefusal::OwnerCannotLeave
    );
    assert_eq!(
        clan_refusal(clans::transfer(&s, u(2), u(1), t(11)).await),
        ClanRefusal::NotOwner
    );
    let c2 = clans::transfer(&s, u(1), u(2), t(12)).await.unwrap();
    assert_eq!(c2.owner, u(2));
    assert_eq!(
        clans::of_user(&s, u(1)).await.unwrap().unwrap().1,
        Role::Officer
    );
    clans::leave(&s, u(1), t(13)).await.unwrap();
    assert!(clans::of_user(&s, u(1)).await.unwrap().is_none());
    assert_eq!(
        clan_refusal(clans::leave(&s, u(1), t(14)).await),
        ClanRefusal::NotInClan
    );
    let members = clans::members(&s, c.id).await.unwrap();
    assert_eq!(
        members.iter().map(|m| (m.user, m.role)).collect::<Vec<_>>(),
        vec![(u(2), Role::Owner)]
    );
    let kinds: Vec<String> = clans::log(&s, c.id, 50)
        .await
        .unwrap()
        .into_iter()
        .rev()
        .map(|e| e.kind)
        .collect();
    assert_eq!(
        kinds,
        [
            "create", "invite", "join", "promote", "join", "kick", "transfer", "leave"
        ]
    );
    books_balance(&s).await;
}

async fn two_withdrawals_racing_never_overdraw(s: Storage) {
    let r = rules();
    fund(&s, 1, 1_000).await;
    fund(&s, 2, 500).await;
    let c = clans::create(&s, u(1), "Bank", Chrons::ZERO, &r, None, t(0))
        .await
        .unwrap();
    clans::invite(&s, u(1), u(2), t(0)).await.unwrap();
    clans::join(&s, u(2), "Bank", 30, t(0)).await.unwrap();
    let d = clans::deposit(&s, u(2), Chrons::new(250), &r, None, t(1))
        .await
        .unwrap();
    assert_eq!(
        (d.clan.treasury, d.clan.bp, d.wallet_after),
        (Chrons::new(250), 52, Chrons::new(250))
    );
    clans::deposit(&s, u(1), Chrons::new(750), &r, None, t(1))
        .await
        .unwrap();
    // A plain member cannot withdraw.
    assert_eq!(
        clan_refusal(clans::withdraw(&s, u(2), Chrons::new(1), None, t(2)).await),
        ClanRefusal::NotManager
    );
    clans::set_officer(&s, u(1), u(2), true, t(2))
        .await
        .unwrap();
    for round in 0..5 {
        let (a, b) = tokio::join!(
            clans::withdraw(&s, u(1), Chrons::new(150), None, t(3 + round)),
            clans::withdraw(&s, u(2), Chrons::new(150), None, t(3 + round)),
        );
        let oks = [a.is_ok(), b.is_ok()].iter().filter(|x| **x).count();
        let treasury = clans::get(&s, c.id).await.unwrap().unwrap().treasury;
        assert!(treasury >= Chrons::ZERO);
        if round < 3 {
            assert_eq!(oks, 2, "round {round}: {a:?} {b:?}");
        }
        if round == 3 {
            // 100 left: exactly one of two 150 withdrawals… neither fits.
            assert_eq!(oks, 0);
        }
        for res in [a, b] {
            if let Err(e) = res {
                assert_eq!(
                    clan_refusal::<()>(Err(e)),
                    ClanRefusal::TreasuryTooSmall {
                        needed: Chrons::new(150),
                        available: Chrons::new(100)
                    }
                );
            }
        }
    }
    // Two withdrawals of 60 from 100: exactly one succeeds.
    let (a, b) = tokio::join!(
        clans::withdraw(&s, u(1), Chrons::new(60), None, t(20)),
        clans::withdraw(&s, u(2), Chrons::new(60), None, t(20)),
    );
    assert_eq!([a.is_ok(), b.is_ok()].iter().filter(|x| **x).count(), 1);
    let c = clans::get(&s, c.id).await.unwrap().unwrap();
    assert_eq!(c.treasury, Chrons::new(40));
    // Every Chron is somewhere: wallets + treasury = what was funded.
    let wallets = economy::balance(&s, u(1)).await.unwrap().get()
        + economy::balance(&s, u(2)).await.unwrap().get();
    assert_eq!(wallets + c.treasury.get(), 1_500);
    assert_eq!(
        clan_refusal(clans::withdraw(&s, u(1), Chrons::new(41), None, t(21)).await),
        ClanRefusal::TreasuryTooSmall {
            needed: Chrons::new(41),
            available: Chrons::new(40)
        }
    );
    assert!(matches!(
        refusal(clans::deposit(&s, u(1), Chrons::new(1_000_000), &r, None, t(21)).await),
        Refusal::InsufficientFunds { .. }
    ));
    assert_eq!(
        refusal(clans::withdraw(&s, u(1), Chrons::ZERO, None, t(21)).await),
        Refusal::InvalidAmount(0)
    );
    let kinds: Vec<String> = clans::log(&s, c.id, 3)
        .await
        .unwrap()
        .into_iter()
        .map(|e| e.kind)
        .collect();
    assert_eq!(kinds, ["withdraw", "withdraw", "withdraw"]);
    books_balance(&s).await;
}

async fn perks_cost_bp_and_raise_an_autohunt_batch(s: Storage) {
    let r = rules();
    let c = clans::create(&s, u(1), "Hunters", Chrons::ZERO, &r, None, t(0))
        .await
        .unwrap();
    // 50 BP: xp_boost 1 (25) + hunt_rate 1 (25); then nothing left.
    let (_, lv) = clans::buy_perk(&s, u(1), Perk::XpBoost, &r, t(1))
        .await
        .unwrap();
    assert_eq!(lv, 1);
    let (after, _) = clans::buy_perk(&s, u(1), Perk::HuntRate, &r, t(1))
        .await
        .unwrap();
    assert_eq!(after.bp, 0);
    assert_eq!(
        clan_refusal(clans::buy_perk(&s, u(1), Perk::XpBoost, &r, t(2)).await),
        ClanRefusal::NotEnoughBp {
            needed: 50,
            available: 0
        }
    );
    // Deposits earn BP: 20,000 Chrons → 200 BP; xp_boost 2 (50) and 3 (100).
    fund(&s, 1, 20_000).await;
    clans::deposit(&s, u(1), Chrons::new(20_000), &r, None, t(3))
        .await
        .unwrap();
    clans::buy_perk(&s, u(1), Perk::XpBoost, &r, t(4))
        .await
        .unwrap();
    let (after, lv) = clans::buy_perk(&s, u(1), Perk::XpBoost, &r, t(4))
        .await
        .unwrap();
    assert_eq!((after.bp, lv), (50, 3));
    assert_eq!(
        clan_refusal(clans::buy_perk(&s, u(1), Perk::XpBoost, &r, t(4)).await),
        ClanRefusal::PerkMaxed {
            perk: Perk::XpBoost,
            max: 3
        }
    );
    let levels = clans::perks_of_user(&s, u(1)).await.unwrap();
    assert_eq!(
        (levels.xp_boost, levels.hunt_rate, levels.shop_discount),
        (3, 1, 0)
    );
    assert_eq!(clans::perks(&s, c.id).await.unwrap(), levels);
    assert_eq!(
        clans::perks_of_user(&s, u(7)).await.unwrap(),
        Default::default()
    );

    // An autohunt batch: player 1 (clan perks: +20 % XP, +5 % Chrons) and player 2 (none).
    let tables = tables();
    inventory::sync_definitions(&s, &tables).await.unwrap();
    let ah = AutohuntRules::default();
    let curve = XpCurve::default();
    for (p, due) in [(1u64, -700), (2, -650)] {
        fund(&s, p, 1_000).await;
        autohunt::enable(&s, u(p), None, None, &ah, t(due))
            .await
            .unwrap();
    }
    let mut replay = StdRng::seed_from_u64(3);
    let mut expected = HashMap::new();
    for p in [1u64, 2] {
        let sess = autohunt::get(&s, u(p)).await.unwrap().unwrap().core();
        let extra = if p == 1 {
            r.hunt_modifiers(&levels)
        } else {
            Default::default()
        };
        let bal = economy::balance(&s, u(p)).await.unwrap();
        let o = tick_outcome_with(&sess, bal, &ah, &tables, extra, &mut replay).unwrap();
        expected.insert(u(p), o);
    }
    // The same rolls without the perk give less XP to player 1.
    let mut plain = StdRng::seed_from_u64(3);
    let sess1 = autohunt::get(&s, u(1)).await.unwrap().unwrap().core();
    let o_plain = tick_outcome_with(
        &sess1,
        Chrons::new(1_000),
        &ah,
        &tables,
        Default::default(),
        &mut plain,
    )
    .unwrap();
    assert!(
        expected[&u(1)].xp > o_plain.xp,
        "{} vs {}",
        expected[&u(1)].xp,
        o_plain.xp
    );
    let ctx = TickRules {
        rules: &ah,
        tables: &tables,
        curve: &curve,
        pets: None,
        clans: Some(&r),
    };
    let batch = autohunt::process_due(&s, t(10), 10, ctx, &mut StdRng::seed_from_u64(3))
        .await
        .unwrap();
    assert_eq!(batch.runs.len(), 2);
    for run in &batch.runs {
        assert_eq!(
            &run.outcome, &expected[&run.session.user_id],
            "{}",
            run.session.user_id
        );
    }
    let xp1 = scalar(&s, "SELECT global_xp FROM users WHERE id = 1").await;
    assert_eq!(xp1, expected[&u(1)].xp);
    books_balance(&s).await;
}

async fn war_is_paid_once_by_two_workers(s: Storage) {
    let r = rules();
    // Four clans; BP pairs them: A (bp 50+30) with B (50+20), C (50+10) with D (50).
    let mut ids = Vec::new();
    for (owner, name, bonus) in [
        (1u64, "Alpha", 3_000),
        (2, "Bravo", 2_000),
        (3, "Charlie", 1_000),
        (4, "Delta", 0),
    ] {
        let c = clans::create(&s, u(owner), name, Chrons::ZERO, &r, None, t(0))
            .await
            .unwrap();
        if bonus > 0 {
            fund(&s, owner, bonus).await;
            clans::deposit(&s, u(owner), Chrons::new(bonus), &r, None, t(0))
                .await
                .unwrap();
        }
        ids.push(c.id);
    }
    // Members' wins in the week [t(0), t(604800)): Alpha 1 PvP (3), Bravo 2 wild + 1 boss (3):
    // a draw; Charlie 1 PvP (3), Delta 2 wild (2): Charlie wins. Outside the week, unfinished
    // or of another type: not counted.
    let week = 604_800;
    for (kind, who, at) in [
        ("pvp", 1u64, 10),
        ("wild", 2, 20),
        ("wild", 2, 30),
        ("boss", 2, 40),
        ("pvp", 3, 50),
        ("wild", 4, 60),
        ("wild", 4, 70),
        ("pvp", 4, week + 5),
        ("pvp", 4, -5),
        ("chess", 4, 80),
    ] {
        clans::insert_finished_battle(&s, kind, u(who), t(at))
            .await
            .unwrap();
    }
    crate::exec(
        &s,
        "INSERT INTO battles (battle_type, status, winner_id) VALUES ('pvp', 'active', 4)",
    )
    .await
    .unwrap();
    let prize = Chrons::new(2_500);
    let (a, b) = tokio::join!(
        clans::settle_war(&s, t(0), t(week), &r.war, prize, t(week + 1)),
        clans::settle_war(&s, t(0), t(week), &r.war, prize, t(week + 1)),
    );
    let (a, b) = (a.unwrap(), b.unwrap());
    assert_eq!(
        [a.is_some(), b.is_some()].iter().filter(|x| **x).count(),
        1,
        "paid once"
    );
    let report = a.or(b).unwrap();
    let line = |name: &str| {
        report
            .lines
            .iter()
            .find(|l| l.name == name)
            .unwrap()
            .clone()
    };
    assert_eq!(
        (line("Alpha").score, line("Alpha").outcome),
        (3, WarResult::Draw)
    );
    assert_eq!(line("Alpha").opponent.as_ref().unwrap().1, "Bravo");
    assert_eq!(
        (line("Bravo").score, line("Bravo").outcome),
        (3, WarResult::Draw)
    );
    assert_eq!(
        (
            line("Charlie").score,
            line("Charlie").outcome,
            line("Charlie").prize
        ),
        (3, WarResult::Won, prize)
    );
    assert_eq!(
        (
            line("Delta").score,
            line("Delta").outcome,
            line("Delta").prize
        ),
        (2, WarResult::Lost, Chrons::ZERO)
    );
    let charlie = clans::get(&s, ids[2]).await.unwrap().unwrap();
    assert_eq!(
        (charlie.treasury, charlie.bp, charlie.war_wins),
        (Chrons::new(3_500), 60 + 25, 1)
    );
    assert_eq!(clans::get(&s, ids[3]).await.unwrap().unwrap().war_losses, 1);
    // Again, later (a restart, another process): nothing.
    assert!(
        clans::settle_war(&s, t(0), t(week), &r.war, prize, t(week + 99))
            .await
            .unwrap()
            .is_none()
    );
    assert_eq!(
        scalar(
            &s,
            "SELECT COUNT(*) FROM clan_ledger WHERE kind = 'war_prize'"
        )
        .await,
        1
    );
    assert_eq!(scalar(&s, "SELECT COUNT(*) FROM clan_war_matches").await, 2);
    books_balance(&s).await;
}

async fn disband_refunds_the_treasury_by_the_rule(s: Storage) {
    let r = rules();
    let c = clans::create(&s, u(5), "Temp", Chrons::ZERO, &r, None, t(0))
        .await
        .unwrap();
    for m in [6u64, 7] {
        clans::invite(&s, u(5), u(m), t(0)).await.unwrap();
        clans::join(&s, u(m), "Temp", 30, t(0)).await.unwrap();
    }
    fund(&s, 6, 100).await;
    clans::deposit(&s, u(6), Chrons::new(100), &r, None, t(1))
        .await
        .unwrap();
    assert_eq!(
        clan_refusal(clans::disband(&s, u(6), None, t(2)).await),
        ClanRefusal::NotOwner
    );
    let d = clans::disband(&s, u(5), None, t(3)).await.unwrap();
    assert_eq!(d.clan.id, c.id);
    assert_eq!(
        d.refunds,
        vec![
            (u(5), Chrons::new(34)),
            (u(6), Chrons::new(33)),
            (u(7), Chrons::new(33))
        ]
    );
    assert_eq!(economy::balance(&s, u(5)).await.unwrap(), Chrons::new(34));
    assert_eq!(economy::balance(&s, u(6)).await.unwrap(), Chrons::new(33));
    let h = economy::history(&s, u(7), 1, None).await.unwrap();
    assert_eq!(
        (h[0].kind.as_str(), h[0].change),
        ("clan_refund", Chrons::new(33))
    );
    assert!(clans::get(&s, c.id).await.unwrap().is_none());
    assert!(clans::of_user(&s, u(6)).await.unwrap().is_none());
    assert_eq!(scalar(&s, "SELECT COUNT(*) FROM clan_ledger").await, 0);
    books_balance(&s).await;
}

async fn teams_form_and_hunt_together(s: Storage) {
    let r = rules();
    let team = teams::create(&s, u(1), "Pack", t(0)).await.unwrap();
    assert_eq!(team.members, vec![u(1)]);
    let team_refusal = |res: chronix_storage::Result<teams::Team>| match refusal(res) {
        Refusal::Team(x) => x,
        other => panic!("{other:?}"),
    };
    assert_eq!(
        team_refusal(teams::create(&s, u(1), "Again", t(0)).await),
        TeamRefusal::AlreadyInTeam
    );
    assert_eq!(
        team_refusal(teams::join(&s, u(2), u(1), 5, t(1)).await),
        TeamRefusal::NoInvite
    );
    teams::invite(&s, u(1), u(2), 5, t(1)).await.unwrap();
    teams::invite(&s, u(1), u(3), 5, t(1)).await.unwrap();
    teams::join(&s, u(2), u(1), 5, t(2)).await.unwrap();
    assert_eq!(
        team_refusal(teams::invite(&s, u(2), u(4), 5, t(2)).await),
        TeamRefusal::NotLeader
    );
    assert_eq!(
        team_refusal(teams::join(&s, u(3), u(1), 2, t(3)).await),
        TeamRefusal::Full { max: 2 }
    );
    let team = teams::join(&s, u(3), u(1), 5, t(3)).await.unwrap();
    assert_eq!(team.members, vec![u(1), u(2), u(3)]);
    assert_eq!(teams::of_user(&s, u(3)).await.unwrap().unwrap().id, team.id);

    // A team hunt: shares computed by core, recorded in one transaction.
    let tables = tables();
    inventory::sync_definitions(&s, &tables).await.unwrap();
    let present = teams::present(&s, &team, t(10)).await.unwrap();
    assert_eq!(present, vec![u(1), u(2), u(3)]);
    let loot = vec![Loot::Crate { id: "basic".into() }];
    let shares = share_team_hunt(&r.teams, &present, 30, Chrons::new(90), loot);
    let done = teams::record_hunt(
        &s,
        u(2),
        &shares,
        chrono::Duration::seconds(15),
        &XpCurve::default(),
        None,
        t(10),
    )
    .await
    .unwrap();
    assert_eq!(done.len(), 3);
    // Pool ×1.2: 36 XP, 108 Chrons → 12 XP and 36 Chrons each; the crate to the first member.
    for p in [1u64, 2, 3] {
        assert_eq!(economy::balance(&s, u(p)).await.unwrap(), Chrons::new(36));
        assert_eq!(
            scalar(&s, &format!("SELECT global_xp FROM users WHERE id = {p}")).await,
            12
        );
    }
    assert_eq!(
        inventory::list(&s, u(1))
            .await
            .unwrap()
            .crate_counts()
            .get("basic"),
        Some(&1)
    );
    // Everyone is on the hunt cooldown now: a second hunt at once is refused, nothing changes.
    assert!(teams::present(&s, &team, t(11)).await.unwrap().is_empty());
    assert!(matches!(
        refusal(
            teams::record_hunt(
                &s,
                u(1),
                &shares,
                chrono::Duration::seconds(15),
                &XpCurve::default(),
                None,
                t(11)
            )
            .await
        ),
        Refusal::OnCooldown { .. }
    ));
    assert_eq!(economy::balance(&s, u(1)).await.unwrap(), Chrons::new(36));
    // An outsider's share is refused.
    let mut bad = shares.clone();
    bad[0].user = u(9);
    assert_eq!(
        match refusal(
            teams::record_hunt(
                &s,
                u(1),
                &bad,
                chrono::Duration::seconds(15),
                &XpCurve::default(),
                None,
                t(100)
            )
            .await
        ) {
            Refusal::Team(x) => x,
            o => panic!("{o:?}"),
        },
        TeamRefusal::NotInTeam
    );
    // The leader leaves: the next member leads; the last one out deletes the team.
    let after = teams::leave(&s, u(1), t(200)).await.unwrap().unwrap();
    assert_eq!(
        (after.leader, after.members.clone()),
        (u(2), vec![u(2), u(3)])
    );
    assert_eq!(
        team_refusal(teams::disband(&s, u(3)).await),
        TeamRefusal::NotLeader
    );
    teams::disband(&s, u(2)).await.unwrap();
    assert!(teams::of_user(&s, u(3)).await.unwrap().is_none());
    books_balance(&s).await;
}
