//! Clans and teams through the sandbox: `clan create` (and its aliases) charging the founder,
//! invites, a join request approved by an officer's button, deposit and withdraw through the
//! ledger, perks bought with BP and applied by `hunt` and `buy`, the log, the disband dialog;
//! a weekly war run from the jobs table (posted once to each clan's channel); a team hunt; and
//! every refusal (not in a clan, not manage_clan, name taken or invalid, already in a clan, not
//! enough Chrons or BP, treasury too small, not the owner, not in a team…).

use std::time::Duration;

use chronix_core::economy::Chrons;
use chronix_core::ids::UserId;
use chronix_sandbox::{ChannelKind, CommandCall};
use chronix_storage::{clans, economy, jobs, teams};

use crate::helpers::*;

fn uid(id: u64) -> UserId {
    UserId::new(id)
}

fn refused(m: &chronix_sandbox::Message, text: &str) {
    assert_eq!(title(m), "❌ Cannot do that", "{}", description(m));
    assert!(description(m).contains(text), "{}", description(m));
}

async fn balance(w: &World, user: u64) -> i64 {
    economy::balance(&w.db.storage(), uid(user))
        .await
        .unwrap()
        .get()
}

async fn books_balance(w: &World) {
    let s = w.db.storage();
    assert!(clans::reconcile(&s).await.unwrap().is_empty());
    assert!(economy::reconcile(&s).await.unwrap().is_empty());
}

#[tokio::test]
async fn clan_create_join_deposit_withdraw_perks_and_refusals() {
    let w = World::start().await;
    let s = w.db.storage();
    let (owner, other) = (w.owner, w.member);
    let third = w.sb.create_user("third");
    w.sb.add_member(w.guild.id, third);

    // Not in a clan yet; creating needs Chrons (5,000 by default).
    refused(&w.say(owner, "chro clan").await, "You are not in a clan");
    refused(
        &w.say(owner, "chro clan create Wolves").await,
        "You don't have enough Chrons",
    );
    seed(&s, owner, 10_000).await;
    let m = w.say(owner, "chro clan create Wolves").await;
    assert_eq!(title(&m), "✅ Clan founded", "{}", description(&m));
    assert!(
        description(&m).contains("**Wolves** is yours") && description(&m).contains("**50 BP**")
    );
    assert_eq!(balance(&w, owner).await, 5_000);
    let h = economy::history(&s, uid(owner), 1, None).await.unwrap();
    assert_eq!(
        (h[0].change, h[0].kind.as_str()),
        (Chrons::new(-5_000), "clan_create")
    );

    // Aliases and refusals of create.
    refused(
        &w.say(owner, "chro clan new Other").await,
        "already in a clan",
    );
    seed(&s, other, 20_000).await;
    refused(
        &w.say(other, "chro clan make wolves").await,
        "The name **wolves** is taken",
    );
    refused(
        &w.say(other, "chro clan create ab").await,
        "3 to 24 characters",
    );
    refused(
        &w.say(other, "chro clan deposit 100").await,
        "You are not in a clan",
    );
    assert_eq!(balance(&w, other).await, 20_000);

    // Invite, then join; a request approved by an officer's button.
    let m = w.say(owner, &format!("chro clan invite <@{other}>")).await;
    assert_eq!(title(&m), "✅ Invitation sent");
    let m = w.say(other, "chro clan join Wolves").await;
    assert!(
        description(&m).contains("You joined **Wolves**"),
        "{}",
        description(&m)
    );
    let m = w.say(third, "chro clan join wolves").await;
    assert!(
        description(&m).contains("asks to join **Wolves**"),
        "{}",
        description(&m)
    );
    let m = click(&w, owner, &m, "Approve").await;
    assert!(
        description(&m).contains(&format!("<@{third}> joined **Wolves**")),
        "{}",
        description(&m)
    );
    assert_eq!(
        clans::of_user(&s, uid(third))
            .await
            .unwrap()
            .unwrap()
            .0
            .members,
        3
    );

    // A plain member has no manage_clan.
    refused(
        &w.say(other, "chro clan withdraw 10").await,
        "Only the owner and officers",
    );
    refused(
        &w.say(other, &format!("chro clan kick <@{third}>")).await,
        "Only the owner and officers",
    );
    refused(
        &w.say(other, "chro clan perk hunt_rate").await,
        "Only the owner and officers",
    );

    // Treasury: deposit (earns BP), withdraw (manage_clan), exact wallets.
    let m = w.say(other, "chro clan deposit 1000").await;
    assert_eq!(title(&m), "✅ Deposit");
    assert!(description(&m).contains("(+10 BP)"), "{}", description(&m));
    assert_eq!(field(&m, "Treasury"), "1,000 💠");
    assert_eq!(balance(&w, other).await, 19_000);
    let m = w
        .slash(
            owner,
            CommandCall::new("clan")
                .sub("withdraw")
                .opt("amount", "300"),
        )
        .await;
    assert_eq!(title(&m), "✅ Withdrawal", "{}", description(&m));
    assert_eq!(field(&m, "Treasury"), "700 💠");
    assert_eq!(balance(&w, owner).await, 5_300);
    refused(
        &w.say(owner, "chro clan withdraw 5000").await,
        "The treasury has 700 💠, not 5,000 💠",
    );
    refused(
        &w.say(other, "chro clan deposit 1m").await,
        "You don't have enough Chrons",
    );

    // Perks: 60 BP → xp_boost 1 (25) and shop_discount 1 (30); 5 BP left.
    refused(
        &w.say(owner, "chro clan perk nope").await,
        "`nope` is not a perk",
    );
    let m = w.say(owner, "chro clan perk xp_boost").await;
    assert!(
        description(&m).contains("XP boost is now level **1** (+5 %)"),
        "{}",
        description(&m)
    );
    let m = w.say(owner, "chro clan perk shop discount").await;
    assert!(
        description(&m).contains("BP left: **5**"),
        "{}",
        description(&m)
    );
    refused(
        &w.say(owner, "chro clan perk shop_discount").await,
        "Not enough BP: this needs **60 BP**, the clan has **5 BP**",
    );

    // The perks apply: a hunt shows them; the shop price is 5 % off (400 → 380).
    let m = w.say(third, "chro hunt").await;
    assert_eq!(field(&m, "🛡️ Clan perks"), "+5 % XP · +0 % Chrons");
    let before = balance(&w, owner).await;
    let m = w.say(owner, "chro buy hunting_lure").await;
    assert_eq!(field(&m, "🏷️ Clan discount"), "−5 %");
    assert_eq!(balance(&w, owner).await, before - 380);

    // Info, list, top, log.
    let m = w.say(other, "chro clan info").await;
    assert_eq!(title(&m), "💠 Clan Wolves");
    assert_eq!(field(&m, "Members"), "3/30");
    assert_eq!(field(&m, "BP"), "5");
    assert!(
        field(&m, "Perks").contains("XP boost — level 1/3 (+5 %)"),
        "{}",
        field(&m, "Perks")
    );
    let m = w
        .slash(
            other,
            CommandCall::new("clan").sub("info").opt("name", "wolves"),
        )
        .await;
    assert_eq!(title(&m), "💠 Clan Wolves");
    assert!(description(&w.say(other, "chro clan list").await).contains("**Wolves**"));
    assert!(description(&w.say(other, "chro clan top").await).contains("**1.** 🛡️ **Wolves**"));
    let log = description(&w.say(other, "chro clan log").await);
    for kind in [
        "🛡️ founded",
        "📥 deposit",
        "📤 withdrawal",
        "✨ perk",
        "➕ joined",
    ] {
        assert!(log.contains(kind), "{kind}: {log}");
    }

    // Roles: promote, demote, kick, leave, transfer.
    refused(
        &w.say(other, &format!("chro clan promote <@{third}>")).await,
        "Only the clan's owner",
    );
    let m = w.say(owner, &format!("chro clan promote <@{other}>")).await;
    assert!(
        description(&m).contains("is now ⭐ officer"),
        "{}",
        description(&m)
    );
    refused(
        &w.say(other, &format!("chro clan kick <@{owner}>")).await,
        "You cannot do that to",
    );
    let m = w.say(other, &format!("chro clan kick <@{third}>")).await;
    assert_eq!(title(&m), "✅ Member removed");
    refused(
        &w.say(owner, "chro clan leave").await,
        "The owner cannot leave",
    );
    let m = w.say(owner, &format!("chro clan demote <@{other}>")).await;
    assert!(
        description(&m).contains("is now member"),
        "{}",
        description(&m)
    );
    let m = w
        .say(owner, &format!("chro clan transfer <@{other}>"))
        .await;
    assert_eq!(title(&m), "✅ Ownership transferred");
    refused(
        &w.say(owner, "chro clan disband").await,
        "Only the clan's owner",
    );

    // Disband: a confirm dialog, then the treasury (700) is shared: 350 each.
    let (o_before, m_before) = (balance(&w, owner).await, balance(&w, other).await);
    let m = w.say(other, "chro clan disband").await;
    assert_eq!(title(&m), "⚠️ Disband the clan?", "{}", description(&m));
    let m = click(&w, other, &m, "Confirm").await;
    assert!(
        description(&m).contains("**Wolves** was disbanded"),
        "{}",
        description(&m)
    );
    assert_eq!(balance(&w, owner).await, o_before + 350);
    assert_eq!(balance(&w, other).await, m_before + 350);
    assert!(clans::of_user(&s, uid(other)).await.unwrap().is_none());
    books_balance(&w).await;
}

#[tokio::test]
async fn a_war_tick_from_the_jobs_table_pays_and_posts_once() {
    let w = World::start().await;
    let s = w.db.storage();
    let (a, b) = (w.owner, w.member);
    seed(&s, a, 5_000).await;
    seed(&s, b, 5_000).await;
    let wolves_ch =
        w.sb.create_channel(w.guild.id, "wolves-war", ChannelKind::Text);
    let bears_ch =
        w.sb.create_channel(w.guild.id, "bears-war", ChannelKind::Text);
    w.say(a, "chro clan create Wolves").await;
    w.say(b, "chro clan create Bears").await;
    let m = w.say(a, &format!("chro clan channel <#{wolves_ch}>")).await;
    assert!(
        description(&m).contains(&format!("<#{wolves_ch}>")),
        "{}",
        description(&m)
    );
    let x = w.sb.create_user("x");
    w.sb.add_member(w.guild.id, x);
    refused(
        &w.say(x, "chro clan channel").await,
        "You are not in a clan",
    );
    w.say(b, &format!("chro clan channel <#{bears_ch}>")).await;

    // The week that ended at the last Thursday 00:00 UTC: Wolves 1 PvP win (3), Bears 2 wild
    // wins (2).
    let (start, end) = chronix_core::clans::week_bounds(chrono::Utc::now());
    for (kind, who) in [("pvp", a), ("wild", b), ("wild", b)] {
        clans::insert_finished_battle(&s, kind, uid(who), end - chrono::Duration::hours(1))
            .await
            .unwrap();
    }
    clans::insert_finished_battle(&s, "pvp", uid(b), start - chrono::Duration::hours(1))
        .await
        .unwrap();
    let job = |key: &str| {
        jobs::NewJob::new("clans_war", serde_json::json!({}), end).dedupe_key(key.to_string())
    };
    jobs::enqueue(&s, job("test-war-1"), chrono::Utc::now())
        .await
        .unwrap();
    let m =
        w.sb.wait_for_message(wolves_ch, Duration::from_secs(10))
            .await
            .unwrap();
    assert_eq!(title(&m), "💠 Weekly clan war");
    assert!(
        description(&m).contains("🏆 **Wolves** beat **Bears** 3–2!"),
        "{}",
        description(&m)
    );
    assert_eq!(field(&m, "Prize"), "+2,500 💠 · +25 BP");
    let m =
        w.sb.wait_for_message(bears_ch, Duration::from_secs(5))
            .await
            .unwrap();
    assert!(
        description(&m).contains("**Bears** lost to **Wolves** 2–3."),
        "{}",
        description(&m)
    );
    let wolves = clans::of_user(&s, uid(a)).await.unwrap().unwrap().0;
    assert_eq!(
        (wolves.treasury, wolves.bp, wolves.war_wins),
        (Chrons::new(2_500), 75, 1)
    );

    // The same week again (a second process, a restart): nothing more.
    jobs::enqueue(&s, job("test-war-2"), chrono::Utc::now())
        .await
        .unwrap();
    assert!(
        w.sb.wait_for_message(wolves_ch, Duration::from_secs(3))
            .await
            .is_err()
    );
    let wolves = clans::of_user(&s, uid(a)).await.unwrap().unwrap().0;
    assert_eq!(wolves.treasury, Chrons::new(2_500));
    let log = description(&w.say(a, "chro clan log").await);
    assert!(log.contains("🏆 war prize"), "{log}");
    books_balance(&w).await;
}

#[tokio::test]
async fn a_war_is_posted_in_the_servers_language_and_wins_count_where_they_happened() {
    use chronix_core::ids::{ChannelId, GuildId};
    let w = World::start().await;
    let s = w.db.storage();
    let (a, b) = (w.owner, w.member);
    let x = w.sb.create_user("x");
    w.sb.add_member(w.guild.id, x);
    let ch = w.sb.create_channel(w.guild.id, "guerre", ChannelKind::Text);
    let m = w.say(a, "chro language set fr").await;
    assert_eq!(title(&m), "✅ Langue mise à jour");
    let r = chronix_core::clans::ClanRules::shipped().unwrap();
    let now = chrono::Utc::now();
    let guild = Some(GuildId::new(w.guild.id));
    clans::create(&s, uid(a), "Loups", Chrons::ZERO, &r, guild, now)
        .await
        .unwrap();
    clans::create(&s, uid(b), "Ours", Chrons::ZERO, &r, guild, now)
        .await
        .unwrap();
    clans::set_channel(
        &s,
        uid(a),
        Some((GuildId::new(w.guild.id), ChannelId::new(ch))),
        now,
    )
    .await
    .unwrap();
    // X wins a PvP battle as a Loup, then leaves for the Ours: the 3 points stay with the
    // Loups, the Ours keep their 1 (a wild win of B).
    clans::invite(&s, uid(a), uid(x), now).await.unwrap();
    clans::join(&s, uid(x), "Loups", r.max_members, now)
        .await
        .unwrap();
    let (_, end) = chronix_core::clans::week_bounds(now);
    let at = end - chrono::Duration::hours(1);
    clans::insert_finished_battle(&s, "pvp", uid(x), at)
        .await
        .unwrap();
    clans::insert_finished_battle(&s, "wild", uid(b), at)
        .await
        .unwrap();
    clans::leave(&s, uid(x), now).await.unwrap();
    clans::invite(&s, uid(b), uid(x), now).await.unwrap();
    clans::join(&s, uid(x), "Ours", r.max_members, now)
        .await
        .unwrap();
    let job = jobs::NewJob::new("clans_war", serde_json::json!({}), end).dedupe_key("fr-war");
    jobs::enqueue(&s, job, now).await.unwrap();
    let m =
        w.sb.wait_for_message(ch, Duration::from_secs(10))
            .await
            .unwrap();
    assert_eq!(title(&m), "💠 Guerre de clans hebdomadaire");
    assert_eq!(description(&m), "🏆 **Loups** a battu **Ours** 3–1 !");
    assert_eq!(field(&m, "Prix"), "+2,500 💠 · +25 BP");
    books_balance(&w).await;
}

#[tokio::test]
async fn team_hunt_shares_the_loot_and_every_refusal() {
    let w = World::start_with(Setup {
        env: vec![("HUNT_COOLDOWN_SECS", "60".into())],
        ..Setup::default()
    })
    .await
    .0;
    let s = w.db.storage();
    let (lead, mate) = (w.owner, w.member);
    let third = w.sb.create_user("third");
    w.sb.add_member(w.guild.id, third);

    refused(
        &w.say(lead, "chro team hunt").await,
        "You are not in a team",
    );
    refused(
        &w.say(lead, "chro team create x").await,
        "3 to 24 characters",
    );
    let m = w.say(lead, "chro team create Pack").await;
    assert!(
        description(&m).contains("You lead **Pack**"),
        "{}",
        description(&m)
    );
    refused(
        &w.say(lead, "chro team create Again").await,
        "already in a team",
    );
    refused(
        &w.say(mate, &format!("chro team join <@{lead}>")).await,
        "You have no invite",
    );
    refused(&w.say(lead, "chro team hunt").await, "at least 2 members");
    let m = w.say(lead, &format!("chro team invite <@{mate}>")).await;
    assert_eq!(title(&m), "✅ Team invitation");
    let m = w
        .slash(
            mate,
            CommandCall::new("team").sub("join").opt("member", lead),
        )
        .await;
    assert!(
        description(&m).contains("You joined **Pack**"),
        "{}",
        description(&m)
    );
    refused(
        &w.say(mate, &format!("chro team invite <@{third}>")).await,
        "Only the team's leader",
    );
    assert_eq!(
        teams::of_user(&s, uid(mate))
            .await
            .unwrap()
            .unwrap()
            .members,
        vec![uid(lead), uid(mate)]
    );

    // The hunt: two members, +10 % team bonus, equal shares (the caller gets the remainder).
    let m = w.say(mate, "chro team hunt").await;
    assert_eq!(title(&m), "💠 Team hunt: Pack", "{}", description(&m));
    assert!(description(&m).contains("2 members hunted together (+10 % team bonus)"));
    let (a, b) = (balance(&w, lead).await, balance(&w, mate).await);
    assert!(b == a || b == a + 1, "equal shares: {a} {b}");
    assert!(a >= 10, "{a}");
    let h = economy::history(&s, uid(lead), 1, None).await.unwrap();
    assert_eq!(h[0].kind, "team_hunt");
    let shares = field(&m, "Shares");
    assert!(
        shares.contains(&format!("<@{lead}>: +")) && shares.contains(&format!("<@{mate}>: +")),
        "{shares}"
    );
    // Both are on their hunt cooldown now: nobody can hunt.
    refused(&w.say(lead, "chro team hunt").await, "(now: 0)");
    assert!(description(&w.say(lead, "chro hunt").await).contains("Slow down"));

    let m = w.say(lead, "chro team").await;
    assert!(
        description(&m).contains(&format!("👑 <@{lead}>")),
        "{}",
        description(&m)
    );
    let m = w.say(lead, "chro team leave").await;
    assert_eq!(title(&m), "✅ Team left");
    refused(
        &w.say(lead, "chro team disband").await,
        "You are not in a team",
    );
    let m = w.say(mate, "chro team disband").await;
    assert!(
        description(&m).contains("**Pack** is no more"),
        "{}",
        description(&m)
    );
    books_balance(&w).await;
}
