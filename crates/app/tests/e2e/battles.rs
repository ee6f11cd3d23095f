//! Battles through the sandbox: a PvP match by buttons to a win (escrowed wager, exact rewards,
//! the gameplay log line, the same replay), Use Item and Switch Pet by private selects, a
//! surrender, a timed-out turn with its warning and a forfeit, a restart mid-battle whose timer
//! fires after the restart, PvE wins and losses (prefix and slash), every refusal, and a team
//! battle (two members by buttons to a shared win; by slash, a surrendered member is out); who
//! may replay a battle (its players; a moderator of its server, who alone gets the full view)
//! and the limits on challenges (open challenges per challenger, the wait after a decline or
//! an expiry).

use std::time::{Duration, Instant};

use chronix_core::battles::{Battle, BattleRules};
use chronix_core::ids::UserId;
use chronix_core::tables::{Tables, shipped_sources};
use chronix_sandbox::{ChannelKind, CommandCall, Id, Message};
use chronix_storage::battles::{self as store, BattleId, BattleStatus, StoredBattle};
use chronix_storage::{economy, inventory, pets};

use crate::helpers::*;

fn env(extra: &[(&'static str, &str)]) -> Vec<(&'static str, String)> {
    let mut v = vec![("SCHEDULER_TICK_MS", "100".to_string())];
    for (k, x) in extra {
        v.push((k, x.to_string()));
    }
    v
}

async fn start(extra: &[(&'static str, &str)]) -> World {
    World::start_with(Setup {
        env: env(extra),
        ..Setup::default()
    })
    .await
    .0
}

fn uid(x: Id) -> UserId {
    UserId::from_db(x as i64)
}

async fn bal(w: &World, u: Id) -> i64 {
    economy::balance(&w.db.storage(), uid(u))
        .await
        .unwrap()
        .get()
}

async fn scalar(w: &World, q: &str) -> i64 {
    match w.db.storage().db() {
        chronix_storage::Db::Sqlite(p) => sqlx::query_scalar(q).fetch_one(p).await.unwrap(),
        chronix_storage::Db::Postgres(p) => sqlx::query_scalar(q).fetch_one(p).await.unwrap(),
    }
}

async fn stored(w: &World, id: i64) -> (StoredBattle, Option<Battle>) {
    let b = store::get(&w.db.storage(), BattleId::new(id))
        .await
        .unwrap()
        .unwrap();
    let s = b.replay(&BattleRules::shipped().unwrap());
    (b, s)
}

/// Whose turn it is in battle `id` (none once over).
async fn turn_of(w: &World, id: i64) -> Option<Id> {
    let (_, s) = stored(w, id).await;
    s.and_then(|s| s.whose_turn()).map(|u| u.get())
}

/// `user` presses `label` on the panel: the panel is updated in place.
async fn press(w: &World, user: Id, m: &Message, label: &str) -> Message {
    let i = w.sb.click_button(user, m.id, label).unwrap();
    updated(w, &i, m).await
}

/// `user` presses `label` and gets a private answer (a refusal or a select menu).
async fn private(w: &World, user: Id, m: &Message, label: &str) -> Message {
    let i = w.sb.click_button(user, m.id, label).unwrap();
    let r = w.sb.wait_for_reply(&i, REPLY).await.unwrap();
    assert!(r.is_ephemeral(), "{r:?}");
    let _ = w.sb.wait_for_message(m.channel_id, REPLY).await;
    r
}

fn refused(m: &Message, text: &str) {
    assert_eq!(title(m), "❌ Cannot do that", "{}", description(m));
    assert_eq!(description(m), text);
}

/// The custom id of the first select menu of a message.
fn first_select(m: &Message) -> String {
    m.components
        .iter()
        .flat_map(|r| r["components"].as_array().cloned().unwrap_or_default())
        .find(|c| c["type"] == 3)
        .and_then(|c| c["custom_id"].as_str().map(str::to_string))
        .unwrap_or_else(|| panic!("no select on {m:?}"))
}

async fn choose(w: &World, user: Id, m: &Message, value: &str) -> Message {
    let i = w.sb.select(user, m.id, &first_select(m), &[value]).unwrap();
    updated(w, &i, m).await
}

async fn wait_message(w: &World, id: Id, what: &str, f: impl Fn(&Message) -> bool) -> Message {
    let end = Instant::now() + Duration::from_secs(20);
    loop {
        if let Some(m) = w.sb.message(id) {
            if f(&m) {
                return m;
            }
            if Instant::now() > end {
                panic!("{what}: message is now {m:?}");
            }
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

fn log_of(m: &Message) -> String {
    field(m, "Log")
}

/// Presses Attack for whoever's turn it is until the battle `id` is over.
async fn fight_to_the_end(w: &World, id: i64, mut m: Message) -> Message {
    for _ in 0..200 {
        match turn_of(w, id).await {
            Some(who) => m = press(w, who, &m, "Attack").await,
            None => return m,
        }
    }
    panic!("battle {id} did not end");
}

async fn give_pet(w: &World, user: Id, creature: &str) {
    let s = w.db.storage();
    let tables = Tables::from_yaml_strs(&shipped_sources()).unwrap();
    let rules = chronix_core::pets::PetRules::shipped(&tables).unwrap();
    let mut tx = s.begin().await.unwrap();
    inventory::add(&mut tx, uid(user), creature, 1, chrono::Utc::now())
        .await
        .unwrap();
    tx.commit().await.unwrap();
    let p = pets::adopt(
        &s,
        uid(user),
        tables.creature(creature).unwrap(),
        None,
        &rules,
        chrono::Utc::now(),
    )
    .await
    .unwrap();
    pets::set_active(&s, uid(user), p.id, true, 3, chrono::Utc::now())
        .await
        .unwrap();
}

async fn give(w: &World, user: Id, key: &str, n: i64) {
    let s = w.db.storage();
    let mut tx = s.begin().await.unwrap();
    inventory::add(&mut tx, uid(user), key, n, chrono::Utc::now())
        .await
        .unwrap();
    tx.commit().await.unwrap();
}

#[tokio::test]
async fn a_pvp_match_by_buttons_pays_the_winner_logs_it_and_replays_the_same() {
    let w = start(&[]).await;
    let (a, b) = (w.owner, w.member);
    let gp = w.sb.create_channel(w.guild.id, "gp", ChannelKind::Text);
    let r = w.say(a, &format!("chro logs set gameplay <#{gp}>")).await;
    assert_eq!(title(&r), "✅ Log channel set");
    seed(&w.db.storage(), a, 1000).await;
    seed(&w.db.storage(), b, 1000).await;

    let m = w.say(a, &format!("chro battle <@{b}> 100")).await;
    assert_eq!(title(&m), "💠 Battle challenge");
    assert!(
        description(&m).starts_with(&format!("<@{a}> challenges <@{b}> to a battle!")),
        "{}",
        description(&m)
    );
    assert_eq!(field(&m, "Wager"), "100 💠");
    let r = private(&w, a, &m, "Accept").await;
    refused(&r, &format!("Only <@{b}> can answer this challenge."));
    assert_eq!((bal(&w, a).await, bal(&w, b).await), (1000, 1000));

    let m = press(&w, b, &m, "Accept").await;
    assert!(title(&m).starts_with("💠 Battle #1: "), "{}", title(&m));
    assert_eq!(log_of(&m), "The battle begins.");
    assert!(description(&m).starts_with(&format!("Turn 1: <@{a}> to act")));
    assert_eq!(
        (bal(&w, a).await, bal(&w, b).await),
        (900, 900),
        "the wager is escrowed from both at accept"
    );
    let labels: Vec<String> = m.buttons().into_iter().filter_map(|b| b.1).collect();
    assert_eq!(
        labels,
        ["Attack", "Defend", "Use Item", "Switch Pet", "Surrender"]
    );
    let r = private(&w, b, &m, "Attack").await;
    refused(&r, "It is not your turn.");
    let m = press(&w, a, &m, "Attack").await;
    assert!(log_of(&m).contains("hits"), "{}", log_of(&m));
    let (row, _) = stored(&w, 1).await;
    assert_eq!(row.turn, 1, "the state is stored after every turn");

    let m = fight_to_the_end(&w, 1, m).await;
    assert!(m.buttons().is_empty(), "no buttons once over");
    let (row, state) = stored(&w, 1).await;
    assert_eq!(row.status, BattleStatus::Finished);
    let winner = row.winner.unwrap().get();
    let loser = if winner == a { b } else { a };
    assert!(description(&m).starts_with("🏆 **"), "{}", description(&m));
    assert_eq!(bal(&w, winner).await, 900 + 150 + 200);
    assert_eq!(bal(&w, loser).await, 900 + 20);
    assert_eq!(
        scalar(
            &w,
            &format!("SELECT global_xp FROM users WHERE id = {winner}")
        )
        .await,
        40
    );
    assert_eq!(
        scalar(
            &w,
            &format!("SELECT global_xp FROM users WHERE id = {loser}")
        )
        .await,
        10
    );
    let gems = scalar(
        &w,
        &format!("SELECT COUNT(*) FROM gems WHERE owner_id = {winner}"),
    )
    .await;
    assert_eq!(
        gems,
        i64::from(description(&m).contains(", a ")),
        "{}",
        description(&m)
    );
    assert!(
        economy::reconcile(&w.db.storage())
            .await
            .unwrap()
            .is_empty()
    );

    // The gameplay log line.
    let end = Instant::now() + Duration::from_secs(10);
    let line = format!("<@{winner}> beat <@{loser}> in battle #1 (PvP).");
    loop {
        let found =
            w.sb.messages_in(gp)
                .into_iter()
                .flat_map(|m| m.embeds)
                .any(|e| e["description"].as_str() == Some(line.as_str()));
        if found {
            break;
        }
        assert!(Instant::now() < end, "no gameplay line {line:?}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }

    // The replay shows the same log (the panel shows its last lines).
    let r = w.say(b, "chro battle replay 1").await;
    assert_eq!(title(&r), "💠 Replay of battle #1");
    let replay = description(&r);
    assert_eq!(replay.lines().count(), state.unwrap().log.len());
    assert!(
        replay.ends_with(&log_of(&m)),
        "{replay}\n---\n{}",
        log_of(&m)
    );

    // Stats, leaderboard, history.
    let r = w.say(winner, "chro battle stats").await;
    assert_eq!(field(&r, "Wins"), "1");
    assert_eq!(field(&r, "PvP wins"), "1");
    let r = w.say(loser, "chro battle stats").await;
    assert_eq!(field(&r, "Losses"), "1");
    let r = w.say(a, "chro battle top").await;
    assert_eq!(description(&r), format!("1. <@{winner}>: 1 wins"));
    let r = w.say(loser, "chro battle history").await;
    assert!(
        description(&r).starts_with(&format!("`#1` PvP vs <@{winner}>: **lost**")),
        "{}",
        description(&r)
    );
}

#[tokio::test]
async fn use_item_and_switch_pet_answer_privately_and_a_surrender_ends_it() {
    let w = start(&[]).await;
    let (a, b) = (w.owner, w.member);
    give_pet(&w, b, "ember_rat").await;
    give_pet(&w, b, "dust_bunny").await;
    give(&w, b, "healing_potion", 1).await;

    let m = w.say(a, &format!("chro fight <@{b}>")).await;
    assert_eq!(field(&m, "Wager"), "—");
    let m = press(&w, b, &m, "Accept").await;
    let r = private(&w, a, &m, "Switch Pet").await;
    refused(&r, "You have no other pet to switch to.");
    let r = private(&w, a, &m, "Use Item").await;
    refused(&r, "You have no potions left (buy some in the shop).");
    let m = press(&w, a, &m, "Attack").await;

    // B switches to the second pet through a private select.
    let sel = private(&w, b, &m, "Switch Pet").await;
    assert_eq!(title(&sel), "💠 Pick the pet to send out");
    let done = choose(&w, b, &sel, "1").await;
    assert_eq!(title(&done), "✅ Done");
    assert!(
        description(&done).contains("sends out Dust Bunny"),
        "{}",
        description(&done)
    );
    let m = wait_message(&w, m.id, "switched", |x| {
        log_of(x).contains("sends out Dust Bunny")
    })
    .await;
    let m = press(&w, a, &m, "Attack").await;

    // B drinks the potion: it leaves the inventory.
    let sel = private(&w, b, &m, "Use Item").await;
    let done = choose(&w, b, &sel, "healing_potion").await;
    assert!(
        description(&done).contains("drinks 🧪 Healing Potion"),
        "{}",
        description(&done)
    );
    let inv = inventory::list(&w.db.storage(), uid(b)).await.unwrap();
    assert_eq!(inv.quantity("healing_potion"), 0);
    let m = wait_message(&w, m.id, "healed", |x| log_of(x).contains("Healing Potion")).await;
    let m = press(&w, a, &m, "Attack").await;
    let r = private(&w, b, &m, "Use Item").await;
    refused(&r, "You have no potions left (buy some in the shop).");

    // B opens a select, then surrenders: the old select is refused, A wins.
    let sel = private(&w, b, &m, "Switch Pet").await;
    let m = press(&w, b, &m, "Surrender").await;
    assert!(log_of(&m).contains("surrenders"), "{}", log_of(&m));
    let i = w.sb.select(b, sel.id, &first_select(&sel), &["0"]).unwrap();
    let r = w.sb.wait_for_reply(&i, REPLY).await.unwrap();
    let _ = w.sb.wait_for_message(m.channel_id, REPLY).await;
    refused(&r, "This battle is over.");
    let (row, _) = stored(&w, 1).await;
    assert_eq!(row.winner, Some(uid(a)));
    assert_eq!(bal(&w, a).await, 150);
    assert_eq!(bal(&w, b).await, 20);
}

#[tokio::test]
async fn a_timed_out_turn_is_warned_then_skipped_and_missed_turns_forfeit() {
    let w = start(&[("BATTLE_TURN_SECS", "2"), ("BATTLE_MAX_MISSED_TURNS", "2")]).await;
    let (a, b) = (w.owner, w.member);
    let m = w.say(a, &format!("chro duel <@{b}>")).await;
    let m = press(&w, b, &m, "Accept").await;
    // A does nothing: a warning that pings A, then the turn is skipped.
    let warn =
        w.sb.wait_for_message(w.guild.general, Duration::from_secs(10))
            .await
            .unwrap();
    assert!(
        warn.content
            .starts_with(&format!("⏰ <@{a}>, your turn in battle #1 ends")),
        "{}",
        warn.content
    );
    assert_eq!(warn.mentions, [a], "only the player is pinged");
    let m = wait_message(&w, m.id, "skipped", |x| {
        log_of(x).contains("let the turn run out")
    })
    .await;
    assert_eq!(turn_of(&w, 1).await, Some(b));
    let m = press(&w, b, &m, "Attack").await;
    // A misses a second turn in a row: forfeit, B wins.
    let m = wait_message(&w, m.id, "forfeit", |x| log_of(x).contains("forfeits")).await;
    assert!(m.buttons().is_empty());
    let (row, _) = stored(&w, 1).await;
    assert_eq!(row.status, BattleStatus::Finished);
    assert_eq!(row.winner, Some(uid(b)));
    assert_eq!(bal(&w, b).await, 150);
    assert_eq!(bal(&w, a).await, 20);
}

#[tokio::test]
async fn a_battle_resumes_after_a_restart_with_its_turn_timer() {
    let mut w = start(&[("BATTLE_TURN_SECS", "3")]).await;
    let (a, b) = (w.owner, w.member);
    let m = w.say(a, &format!("chro battle <@{b}>")).await;
    let m = press(&w, b, &m, "Accept").await;
    let m = press(&w, a, &m, "Attack").await;
    w.bot.take().unwrap().shutdown().await;
    // B's turn times out while the bot is down; the timer is a job, so it fires after the restart.
    tokio::time::sleep(Duration::from_millis(3300)).await;
    assert_eq!(
        stored(&w, 1).await.0.turn,
        1,
        "nothing happens while the bot is down"
    );
    w.restart_bot(Vec::new()).await;
    let m = wait_message(&w, m.id, "skipped after restart", |x| {
        log_of(x).contains("let the turn run out")
    })
    .await;
    assert_eq!(turn_of(&w, 1).await, Some(a));
    // The buttons of the panel work after the restart: A attacks, B surrenders.
    let m = press(&w, a, &m, "Attack").await;
    let m = press(&w, b, &m, "Surrender").await;
    assert!(m.buttons().is_empty());
    let (row, _) = stored(&w, 1).await;
    assert_eq!(row.winner, Some(uid(a)));
    assert_eq!(row.turn, 4);
}

#[tokio::test]
async fn pve_wild_wins_and_a_boss_loss_by_slash() {
    let w = start(&[]).await;
    let a = w.member;
    give_pet(&w, a, "frost_wyrm").await;
    // A boss fight by slash, surrendered: lost, no winner, the consolation.
    let m = w.slash(a, CommandCall::new("battle").sub("boss")).await;
    assert!(title(&m).starts_with("💠 Battle #1: "), "{}", title(&m));
    let m = press(&w, a, &m, "Surrender").await;
    assert!(description(&m).starts_with("🏆 **"), "{}", description(&m));
    let (row, _) = stored(&w, 1).await;
    assert_eq!(row.kind.as_str(), "boss");
    assert_eq!((row.status, row.winner), (BattleStatus::Finished, None));
    assert_eq!(bal(&w, a).await, 20);

    // Wild fights by prefix until one is won (the enemy has 72–84 % of the player's attack and
    // 75–95 % of their HP).
    let mut wins = 0;
    let mut losses = 0;
    for n in 2..12 {
        let m = w.say(a, "chro battle wild").await;
        assert!(
            title(&m).starts_with(&format!("💠 Battle #{n}: ")),
            "{}",
            title(&m)
        );
        fight_to_the_end(&w, n, m).await;
        let (row, _) = stored(&w, n).await;
        assert_eq!(row.kind.as_str(), "wild");
        if row.winner == Some(uid(a)) {
            wins += 1;
            break;
        }
        losses += 1;
    }
    assert_eq!(wins, 1, "a wild fight was won");
    assert_eq!(bal(&w, a).await, 20 + 80 + 20 * losses);
    let r = w.say(a, "chro battle stats").await;
    assert_eq!(field(&r, "Wins"), "1");
    assert_eq!(field(&r, "Losses"), (1 + losses).to_string());
}

#[tokio::test]
async fn refusals_self_bot_busy_funds_ids_decline_and_expiry() {
    let w = start(&[
        ("BATTLE_CHALLENGE_SECS", "1"),
        ("BATTLE_RECHALLENGE_SECS", "0"),
    ])
    .await;
    let (a, b) = (w.owner, w.member);
    let c = w.sb.create_user("carol");
    w.sb.add_member(w.guild.id, c);
    let r = w.say(a, &format!("chro battle <@{a}>")).await;
    refused(&r, "You cannot challenge yourself.");
    let r = w.say(a, &format!("chro battle <@{}>", w.sb.bot_id())).await;
    refused(&r, "Bots do not fight battles.");
    let r = w.say(a, &format!("chro battle <@{b}> 100")).await;
    assert_eq!(title(&r), "❌ Cannot do that");
    assert!(
        description(&r).starts_with("You don't have enough Chrons"),
        "{}",
        description(&r)
    );
    let r = w.say(a, &format!("chro battle <@{b}> lots")).await;
    refused(
        &r,
        "`lots` is not a wager: give an amount like 100, 2.5k or half.",
    );
    let r = w.say(a, "chro battle replay abc").await;
    refused(&r, "`abc` is not a battle id.");
    let r = w.say(a, "chro battle replay 99").await;
    refused(&r, "There is no battle #99.");

    // Decline.
    let m = w.say(c, &format!("chro battle <@{b}>")).await;
    let m = press(&w, b, &m, "Decline").await;
    assert_eq!(title(&m), "💠 Challenge declined");
    assert!(m.buttons().is_empty());
    // Expiry (BATTLE_CHALLENGE_SECS=1): the job strips the buttons.
    let m = w.say(c, &format!("chro battle <@{b}>")).await;
    let m = wait_message(&w, m.id, "expired", |x| title(x) == "💠 Challenge expired").await;
    assert!(m.buttons().is_empty());
    let r = w.say(a, "chro battle replay 1").await;
    refused(
        &r,
        "That battle has not started: there is nothing to replay.",
    );

    // Busy: A and B fight; C cannot challenge A, A cannot start a PvE battle.
    let m = w.say(a, &format!("chro battle <@{b}>")).await;
    let _m = press(&w, b, &m, "Accept").await;
    let r = w.say(c, &format!("chro battle <@{a}>")).await;
    refused(&r, &format!("<@{a}> is already in a battle."));
    let r = w.say(a, "chro battle wild").await;
    refused(&r, &format!("<@{a}> is already in a battle."));
    assert_eq!(
        scalar(&w, "SELECT COUNT(*) FROM battles WHERE status = 'active'").await,
        1
    );
}

#[tokio::test]
async fn a_team_battle_is_fought_by_both_members_to_a_shared_win() {
    let w = start(&[]).await;
    let (lead, mate) = (w.owner, w.member);
    let third = w.sb.create_user("third");
    w.sb.add_member(w.guild.id, third);
    let r = w.say(lead, "chro team battle wild").await;
    assert_eq!(title(&r), "❌ Cannot do that");
    assert!(
        description(&r).starts_with("You are not in a team"),
        "{}",
        description(&r)
    );
    w.say(lead, "chro team create Pack").await;
    let r = w.say(lead, "chro team battle wild").await;
    refused(
        &r,
        "A team battle needs at least 2 members who are not in another battle (now: 1).",
    );
    w.say(lead, &format!("chro team invite <@{mate}>")).await;
    w.say(mate, &format!("chro team join <@{lead}>")).await;

    // Wild team battles until one is won: each is fought by both members, by buttons.
    for n in 1..8i64 {
        // Every earlier battle was lost (the consolation, 20 each).
        let losses = n - 1;
        let m = w.say(lead, "chro team battle wild").await;
        assert!(
            title(&m).starts_with(&format!("💠 Battle #{n}: owner, member vs ")),
            "{}",
            title(&m)
        );
        // The panel: both members (the starter to act), the enemy scaled to the team, the log.
        // Each member: 10 + 10 (unarmed) × 6 = 70 HP. The enemy: (70 + 70) × 115 % = 161 ×
        // its hp_pct.
        let names = field_names(&m);
        assert_eq!(names.len(), 4, "{names:?}");
        assert_eq!(names[0], "▶️ owner");
        assert_eq!(names[1], "member");
        assert_eq!(names[3], "Log");
        for name in &names[..2] {
            assert_eq!(
                field(&m, name),
                "❤️ ▰▰▰▰▰▰▰▰▰▰ 70/70\n🐾 no pet\n🗡️ unarmed"
            );
        }
        let hp = match names[2].as_str() {
            "🐺 Feral Wolf" => 144,
            "🦇 Cave Bat" => 128,
            "🟠 Magma Slime" => 152,
            "🧊 Frost Imp" => 120,
            other => panic!("enemy {other}"),
        };
        assert!(
            field(&m, &names[2]).starts_with(&format!("❤️ ▰▰▰▰▰▰▰▰▰▰ {hp}/{hp}\n")),
            "{}",
            field(&m, &names[2])
        );
        assert_eq!(turn_of(&w, n).await, Some(lead));
        if n == 1 {
            // Not a member: refused privately; a member out of turn too; both in one battle.
            let r = private(&w, third, &m, "Attack").await;
            refused(&r, "You are not in this battle.");
            let r = private(&w, mate, &m, "Attack").await;
            refused(&r, "It is not your turn.");
            let r = w.say(mate, "chro battle wild").await;
            refused(&r, &format!("<@{mate}> is already in a battle."));
        }
        // The lead acts, then the mate, then the enemy.
        let m = press(&w, lead, &m, "Attack").await;
        assert_eq!(turn_of(&w, n).await, Some(mate));
        assert_eq!(field_names(&m)[1], "▶️ member");
        let m = fight_to_the_end(&w, n, m).await;
        let (row, _) = stored(&w, n).await;
        assert_eq!(row.status, BattleStatus::Finished);
        if row.winner == Some(uid(lead)) {
            // The wild win: 80 × (100 + 10) / 100 = 88, 44 each, 25 XP each.
            for u in [lead, mate] {
                assert!(
                    description(&m).contains(&format!("<@{u}>: +44 💠, +25 XP")),
                    "{}",
                    description(&m)
                );
                assert_eq!(bal(&w, u).await, 44 + 20 * losses);
            }
            assert!(
                economy::reconcile(&w.db.storage())
                    .await
                    .unwrap()
                    .is_empty()
            );
            let r = w.say(mate, "chro battle stats").await;
            assert_eq!(field(&r, "Wins"), "1");
            let r = w.say(mate, "chro battle history").await;
            assert!(
                description(&r).starts_with(&format!("`#{n}` wild vs ")),
                "{}",
                description(&r)
            );
            assert!(description(&r).contains("**won**"), "{}", description(&r));
            // The replay re-runs it for a player of it: the same number of log lines.
            let r = w.say(mate, &format!("chro battle replay {n}")).await;
            let (_, state) = stored(&w, n).await;
            assert_eq!(description(&r).lines().count(), state.unwrap().log.len());

            // A boss by slash, started by the mate (who acts first). The mate surrenders: out,
            // the lead fights on alone; the lead surrenders too: lost, the consolation each.
            let m = w
                .slash(mate, CommandCall::new("team").sub("battle").opt("kind", 1))
                .await;
            let b = n + 1;
            assert!(
                title(&m).starts_with(&format!("💠 Battle #{b}: member, owner vs ")),
                "{}",
                title(&m)
            );
            let (row, _) = stored(&w, b).await;
            assert_eq!(row.kind.as_str(), "boss");
            assert_eq!(turn_of(&w, b).await, Some(mate));
            let m = press(&w, mate, &m, "Surrender").await;
            assert!(log_of(&m).contains("surrenders"), "{}", log_of(&m));
            assert_eq!(turn_of(&w, b).await, Some(lead), "the battle goes on");
            let m = press(&w, lead, &m, "Attack").await;
            assert_eq!(turn_of(&w, b).await, Some(lead), "the mate is out");
            let m = press(&w, lead, &m, "Surrender").await;
            assert!(m.buttons().is_empty());
            let (row, _) = stored(&w, b).await;
            assert_eq!((row.status, row.winner), (BattleStatus::Finished, None));
            for u in [lead, mate] {
                assert_eq!(bal(&w, u).await, 44 + 20 * losses + 20);
            }
            return;
        }
    }
    panic!("no team battle won in 7");
}

#[tokio::test]
async fn replays_are_for_the_players_and_the_servers_moderators_who_see_everything() {
    let w = start(&[]).await;
    let (a, b) = (w.owner, w.member);
    let outsider = w.sb.create_user("outsider");
    w.sb.add_member(w.guild.id, outsider);
    let moderator = w.sb.create_user("moderator");
    w.sb.add_member(w.guild.id, moderator);
    let role = w.sb.create_role(
        w.guild.id,
        "helpers",
        chronix_sandbox::perms::bits::MANAGE_MESSAGES,
    );
    w.sb.give_role(w.guild.id, moderator, role);
    seed(&w.db.storage(), a, 1000).await;
    seed(&w.db.storage(), b, 1000).await;

    // Battle #1 with a wager: A hits once, B surrenders.
    let m = w.say(a, &format!("chro battle <@{b}> 100")).await;
    let m = press(&w, b, &m, "Accept").await;
    let m = press(&w, a, &m, "Attack").await;
    let m = press(&w, b, &m, "Surrender").await;
    assert!(m.buttons().is_empty());

    // A player replays it; the full view is not theirs.
    let r = w.say(b, "chro battle replay 1").await;
    assert_eq!(title(&r), "💠 Replay of battle #1");
    assert_eq!(description(&r).lines().count(), 3, "{}", description(&r));
    let r = w.say(b, "chro battle replay 1 full").await;
    refused(
        &r,
        "The full view is for the moderators of the server the battle was fought on.",
    );
    // Someone else is refused.
    let r = w.say(outsider, "chro battle replay #1").await;
    refused(
        &r,
        "Battle #1 is not yours: its players and the moderators of the server it was fought on can replay it.",
    );
    let r = w
        .slash(
            outsider,
            CommandCall::new("battle").sub("replay").opt("id", "1"),
        )
        .await;
    assert!(r.is_ephemeral());
    assert!(
        description(&r).starts_with("Battle #1 is not yours"),
        "{}",
        description(&r)
    );

    // A moderator of the server (Manage Messages) replays it, and gets the full view.
    let r = w.say(moderator, "chro battle replay 1").await;
    assert_eq!(title(&r), "💠 Replay of battle #1");
    let r = w.say(moderator, "chro battle replay 1 full").await;
    assert_eq!(title(&r), "ℹ️ Battle #1: moderator view");
    assert_eq!(field(&r, "Kind"), "PvP");
    assert_eq!(field(&r, "Status"), "over");
    assert_eq!(field(&r, "Winner"), format!("<@{a}>"));
    assert_eq!(field(&r, "Fighters"), format!("<@{a}> · <@{b}>"));
    let (row, state) = stored(&w, 1).await;
    assert_eq!(field(&r, "Seed"), row.seed.to_string());
    assert_eq!(field(&r, "Turns"), "2 actions, 0 timed out");
    assert_eq!(field(&r, "Wager"), "100 💠");
    assert_eq!(
        field(&r, "Ledger"),
        [
            format!("<@{a}> −100 💠 (`battle_wager`)"),
            format!("<@{b}> −100 💠 (`battle_wager`)"),
            format!("<@{a}> +350 💠 (`battle`)"),
            format!("<@{b}> +20 💠 (`battle`)"),
        ]
        .join("\n")
    );
    let log = w.sb.wait_for_message(w.guild.general, REPLY).await.unwrap();
    assert_eq!(title(&log), "ℹ️ Battle #1: full log (1/1)");
    let text = description(&log);
    let lines: Vec<&str> = text.lines().collect();
    let state = state.unwrap();
    assert_eq!(lines.len(), state.log.len());
    assert!(lines[0].starts_with("`1` **"), "{}", lines[0]);
    // The hit's roll, as the replay computes it.
    let roll = match &state.log[0] {
        chronix_core::battles::LogEntry::Hit { roll, .. } => *roll,
        other => panic!("the first entry is not a hit: {other:?}"),
    };
    assert!(
        lines[0].ends_with(&format!("[roll +{roll} %, element × 100 %]")),
        "{}",
        lines[0]
    );
    assert!(lines[1].contains("surrenders"), "{}", lines[1]);
}

#[tokio::test]
async fn challenges_are_limited_per_challenger_and_per_declined_player() {
    let w = start(&[
        ("BATTLE_MAX_PENDING_CHALLENGES", "2"),
        ("BATTLE_RECHALLENGE_SECS", "120"),
    ])
    .await;
    let (a, b) = (w.owner, w.member);
    let c = w.sb.create_user("carol");
    w.sb.add_member(w.guild.id, c);
    let d = w.sb.create_user("dave");
    w.sb.add_member(w.guild.id, d);

    let to_b = w.say(a, &format!("chro battle <@{b}>")).await;
    assert_eq!(title(&to_b), "💠 Battle challenge");
    let to_c = w.say(a, &format!("chro battle <@{c}>")).await;
    assert_eq!(title(&to_c), "💠 Battle challenge");
    // A third while two wait: refused with the time the first lapses.
    let (first, _) = stored(&w, 1).await;
    let r = w.say(a, &format!("chro battle <@{d}>")).await;
    refused(
        &r,
        &format!(
            "You already have 2 challenges waiting for an answer: wait until one is answered or lapses (<t:{}:R>).",
            first.expires_at.unwrap().timestamp()
        ),
    );

    // B declines: A may not challenge B again for 120 s, but may challenge D now.
    let m = press(&w, b, &to_b, "Decline").await;
    assert_eq!(title(&m), "💠 Challenge declined");
    let (declined, _) = stored(&w, 1).await;
    let r = w.say(a, &format!("chro battle <@{b}>")).await;
    refused(
        &r,
        &format!(
            "You challenged <@{b}> a moment ago: you can challenge them again <t:{}:R>.",
            (declined.updated_at + chrono::Duration::seconds(120)).timestamp()
        ),
    );
    let r = w
        .slash(
            a,
            CommandCall::new("battle")
                .sub("challenge")
                .opt("opponent", b),
        )
        .await;
    assert!(r.is_ephemeral());
    assert!(description(&r).starts_with(&format!("You challenged <@{b}> a moment ago")));
    // B may challenge A (the wait is the challenger's, towards the player who declined).
    let m = w.say(b, &format!("chro battle <@{a}>")).await;
    assert_eq!(title(&m), "💠 Battle challenge");
    let m = w.say(a, &format!("chro battle <@{d}>")).await;
    assert_eq!(title(&m), "💠 Battle challenge");
    assert_eq!(
        scalar(&w, "SELECT COUNT(*) FROM battles WHERE status = 'pending'").await,
        3,
        "a refused challenge stores nothing"
    );
}
