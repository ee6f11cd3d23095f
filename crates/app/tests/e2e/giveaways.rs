//! Giveaways end to end: a giveaway with requirements (role, level, account age) where a
//! member who fails them is told each reason privately, entering and leaving by the button
//! with the live entry count, the end by the scheduler job after a restart (winners pinged,
//! nobody else), a reroll among the others, and every manager command refused to a plain
//! member.

use std::time::{Duration, Instant};

use chronix_core::ids::{GuildId, UserId};
use chronix_sandbox::{CommandCall, Id, Message};
use chronix_storage::giveaways::{self as store, GiveawayId, GiveawayStatus};

use crate::helpers::*;

/// `user` presses a button; returns the ephemeral answer.
async fn press(w: &World, user: Id, m: &Message, label: &str) -> Message {
    let i = w.sb.click_button(user, m.id, label).unwrap();
    let r = w.sb.wait_for_reply(&i, REPLY).await.unwrap();
    assert!(r.is_ephemeral(), "{r:?}");
    // Consume the ephemeral answer from the channel feed.
    let _ = w.sb.wait_for_message(m.channel_id, REPLY).await;
    r
}

/// Waits until the stored message satisfies `f`.
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

/// A member with an account created 30 days ago.
fn old_member(w: &World, name: &str) -> Id {
    let u =
        w.sb.create_user_created_at(name, chrono::Utc::now() - chrono::Duration::days(30));
    w.sb.add_member(w.guild.id, u);
    u
}

async fn set_level(w: &World, user: Id, level: i32) {
    chronix_storage::guild_users::add_xp(
        &w.db.storage(),
        GuildId::new(w.guild.id),
        UserId::new(user),
        1_000,
        move |_| level,
        chrono::Utc::now(),
    )
    .await
    .unwrap();
}

#[tokio::test]
async fn a_giveaway_with_requirements_ends_after_a_restart_and_rerolls() {
    let (mut w, _) = World::start_with(Setup {
        env: vec![("SCHEDULER_TICK_MS", "100".into())],
        ..Setup::default()
    })
    .await;
    let g = w.guild.id;
    let vip = w.sb.create_role(g, "VIP", 0);
    let alice = old_member(&w, "alice");
    let bob = old_member(&w, "bob");
    for u in [alice, bob] {
        w.sb.give_role(g, u, vip);
        set_level(&w, u, 3).await;
    }

    let panel = w
        .say(
            w.owner,
            &format!("chro giveaway start 8s 1 Discord Nitro role:<@&{vip}> level:2 age:7d"),
        )
        .await;
    let started = w.sb.wait_for_message(w.guild.general, REPLY).await.unwrap();
    assert_eq!(title(&started), "✅ Giveaway started");
    assert_eq!(title(&panel), "💠 Giveaway: Discord Nitro");
    assert_eq!(field(&panel, "Winners"), "1");
    assert_eq!(field(&panel, "Entries"), "0");
    assert_eq!(
        field(&panel, "Requirements"),
        format!("Role <@&{vip}>\nLevel 2 or more\nAccount older than 7d")
    );
    assert!(description(&panel).contains("<t:"), "Discord timestamps");
    let gid = GiveawayId::new(1);
    let row = store::get(&w.db.storage(), gid).await.unwrap().unwrap();
    assert_eq!(row.message.map(|m| m.get()), Some(panel.id));

    // A plain member (no role, level 0, a new account) is told every reason.
    let r = press(&w, w.member, &panel, "Enter").await;
    assert_eq!(title(&r), "❌ Giveaway");
    let d = description(&r);
    assert!(d.starts_with("You cannot enter this giveaway yet:"), "{d}");
    assert!(
        d.contains(&format!("• You need the role <@&{vip}>.")),
        "{d}"
    );
    assert!(
        d.contains("• You need level **2** (you are level 0)."),
        "{d}"
    );
    assert!(
        d.contains("• Your account is too new: you can enter <t:"),
        "{d}"
    );
    assert!(
        !store::is_entered(&w.db.storage(), gid, UserId::new(w.member))
            .await
            .unwrap()
    );

    // Alice and Bob enter; Bob leaves by pressing again, then enters again.
    let r = press(&w, alice, &panel, "Enter").await;
    assert_eq!(title(&r), "✅ You are in!");
    assert!(
        description(&r).contains("(1 entries)"),
        "{}",
        description(&r)
    );
    let r = press(&w, bob, &panel, "Enter").await;
    assert!(description(&r).contains("(2 entries)"));
    let r = press(&w, bob, &panel, "Enter").await;
    assert_eq!(title(&r), "ℹ️ You left the giveaway");
    assert!(description(&r).contains("(1 entries)"));
    let r = press(&w, bob, &panel, "Enter").await;
    assert_eq!(title(&r), "✅ You are in!");
    // The panel's live count follows.
    wait_message(&w, panel.id, "entries 2", |m| field(m, "Entries") == "2").await;

    // The bot goes down before the end and comes back after it: the job ends it once.
    w.bot.take().unwrap().shutdown().await;
    let row = store::get(&w.db.storage(), gid).await.unwrap().unwrap();
    let wait = (row.ends_at - chrono::Utc::now()).num_milliseconds().max(0) as u64;
    tokio::time::sleep(Duration::from_millis(wait + 300)).await;
    assert_eq!(
        store::get(&w.db.storage(), gid)
            .await
            .unwrap()
            .unwrap()
            .status,
        GiveawayStatus::Open,
        "nothing ends while the bot is down"
    );
    w.restart_bot(Vec::new()).await;
    let won =
        w.sb.wait_for_message(w.guild.general, Duration::from_secs(20))
            .await
            .unwrap();
    let winners = store::winners(&w.db.storage(), gid).await.unwrap();
    assert_eq!(winners.len(), 1);
    let first = winners[0].0.get();
    assert!(first == alice || first == bob);
    assert_eq!(
        won.content,
        format!("🎉 Congratulations <@{first}>! You won **Discord Nitro**.")
    );
    assert_eq!(won.mentions, [first], "only the winner is pinged");
    let ended = wait_message(&w, panel.id, "ended panel", |m| {
        title(m) == "✅ Giveaway ended: Discord Nitro"
    })
    .await;
    assert_eq!(field(&ended, "Drawn"), format!("<@{first}>"));
    assert!(ended.buttons().is_empty(), "no Enter button once ended");
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(
        store::winners(&w.db.storage(), gid).await.unwrap().len(),
        1,
        "ended once"
    );

    // Reroll: the other entrant wins; then nobody is left.
    let other = if first == alice { bob } else { alice };
    let again = w.say(w.owner, "chro giveaway reroll 1").await;
    assert_eq!(
        again.content,
        format!("🎉 New draw: congratulations <@{other}>! You won **Discord Nitro**.")
    );
    assert_eq!(again.mentions, [other]);
    let done = w.sb.wait_for_message(w.guild.general, REPLY).await.unwrap();
    assert_eq!(title(&done), "✅ New winners drawn");
    let r = w.say(w.owner, "chro giveaway reroll 1").await;
    assert_eq!(
        description(&r),
        "Everyone who entered has won already: nobody is left to draw."
    );
    let r = w.say(w.owner, "chro giveaway end 1").await;
    assert_eq!(description(&r), "This giveaway has ended.");

    // The list shows it.
    let r = w.say(w.member, "chro giveaway list").await;
    assert_eq!(title(&r), "ℹ️ Giveaways");
    assert!(
        field(&r, "#1 · Discord Nitro").starts_with("ended · 2 entries · 1 winner(s)"),
        "{r:?}"
    );
}

#[tokio::test]
async fn giveaway_end_and_cancel_by_managers_and_refusals_to_plain_members() {
    let (w, _) = World::start_with(Setup {
        env: vec![("SCHEDULER_TICK_MS", "100".into())],
        ..Setup::default()
    })
    .await;
    let g = w.guild.id;
    // Every manager command is refused to a plain member.
    for cmd in [
        "chro giveaway start 1h 1 Prize",
        "chro giveaway end 1",
        "chro giveaway reroll 1",
        "chro giveaway cancel 1",
    ] {
        let r = w.say(w.member, cmd).await;
        assert_eq!(title(&r), "❌ Giveaway", "{cmd}");
        assert_eq!(
            description(&r),
            "Only members with Manage Server or the giveaway manager role can do that.",
            "{cmd}"
        );
    }
    let r = w.say(w.member, "chro giveaway managers").await;
    assert!(title(&r).starts_with("❌"), "{r:?}");
    assert!(description(&r).contains("admin"), "{}", description(&r));

    // The manager role lets a member run them.
    let role = w.sb.create_role(g, "Hosts", 0);
    let r = w
        .say(w.owner, &format!("chro giveaway managers <@&{role}>"))
        .await;
    assert_eq!(title(&r), "✅ Giveaway managers");
    let host = w.sb.create_user("host");
    w.sb.add_member(g, host);
    w.sb.give_role(g, host, role);
    let panel = w.say(host, "chro giveaway start 1h 2 Two keys").await;
    assert_eq!(title(&panel), "💠 Giveaway: Two keys");
    let _ = w.sb.wait_for_message(w.guild.general, REPLY).await;
    let r = press(&w, w.member, &panel, "Enter").await;
    assert_eq!(title(&r), "✅ You are in!");

    // Ended early by a manager: the job is called off, the winner pinged.
    let won = w.say(host, "chro giveaway end 1").await;
    assert_eq!(
        won.content,
        format!("🎉 Congratulations <@{}>! You won **Two keys**.", w.member)
    );
    let r = w.sb.wait_for_message(w.guild.general, REPLY).await.unwrap();
    assert_eq!(title(&r), "✅ Giveaway ended");
    assert_eq!(
        description(&r),
        "**Two keys**: 1 winner(s) drawn among 1 entries."
    );
    // The ended panel has no Enter button any more.
    wait_message(&w, panel.id, "ended panel", |m| m.buttons().is_empty()).await;

    // Cancel.
    let panel2 = w.say(w.owner, "chro giveaway start 1h 1 Sticker").await;
    let _ = w.sb.wait_for_message(w.guild.general, REPLY).await;
    let r = w.say(w.owner, "chro giveaway cancel 2").await;
    assert_eq!(title(&r), "⚠️ Giveaway cancelled");
    let m = wait_message(&w, panel2.id, "cancelled panel", |m| {
        title(m) == "⚠️ Giveaway cancelled: Sticker"
    })
    .await;
    assert!(m.buttons().is_empty());
    let r = w.say(w.owner, "chro giveaway end 2").await;
    assert_eq!(description(&r), "This giveaway was cancelled.");
    let r = w.say(w.owner, "chro giveaway end 99").await;
    assert_eq!(
        description(&r),
        "There is no giveaway with that id on this server."
    );
    let r = w.say(w.owner, "chro giveaway start 1h 0 Nothing").await;
    assert_eq!(
        description(&r),
        "The number of winners must be between 1 and 50."
    );
}

/// `user` runs `/giveaway start …` in #general; returns the ephemeral answer.
async fn slash_start(w: &World, user: Id, call: CommandCall) -> Message {
    let i = w.sb.run_command(user, w.guild.general, call).unwrap();
    let r = w.sb.wait_for_reply(&i, REPLY).await.unwrap();
    assert!(r.is_ephemeral(), "{r:?}");
    r
}

fn start_call(duration: &str, winners: i64, prize: &str) -> CommandCall {
    CommandCall::new("giveaway")
        .sub("start")
        .opt("duration", duration)
        .opt("winners", winners)
        .opt("prize", prize)
}

#[tokio::test]
async fn slash_start_takes_the_requirements_as_options_and_the_prefix_form_still_parses_them() {
    let w = World::start().await;
    let g = w.guild.id;
    let vip = w.sb.create_role(g, "VIP", 0);

    // Refused to a plain member, in both forms.
    let r = slash_start(&w, w.member, start_call("1h", 1, "Nitro")).await;
    assert_eq!(
        description(&r),
        "Only members with Manage Server or the giveaway manager role can do that."
    );
    let r = w
        .say(w.member, "chro giveaway start 1h 1 Nitro level:2")
        .await;
    assert_eq!(
        description(&r),
        "Only members with Manage Server or the giveaway manager role can do that."
    );
    assert!(
        store::list(&w.db.storage(), GuildId::new(g), 10)
            .await
            .unwrap()
            .is_empty(),
        "nothing started"
    );

    // The slash form: every requirement as an option; the prize is taken as written.
    let r = slash_start(
        &w,
        w.owner,
        start_call("1h", 2, "Nitro level:9")
            .opt("role", vip)
            .opt("min_level", 2i64)
            .opt("min_invites", 3i64)
            .opt("account_age", "7d"),
    )
    .await;
    assert_eq!(title(&r), "✅ Giveaway started");
    let row = store::get(&w.db.storage(), GiveawayId::new(1))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(row.prize, "Nitro level:9");
    assert_eq!(row.winners, 2);
    assert_eq!(row.requirements.role.map(|r| r.get()), Some(vip));
    assert_eq!(row.requirements.min_level, Some(2));
    assert_eq!(row.requirements.min_invites, Some(3));
    assert_eq!(row.requirements.min_account_age_secs, Some(7 * 86_400));
    let panel = w.sb.message(row.message.unwrap().get()).unwrap();
    assert_eq!(title(&panel), "💠 Giveaway: Nitro level:9");
    assert_eq!(
        field(&panel, "Requirements"),
        format!("Role <@&{vip}>\nLevel 2 or more\n3 invites or more\nAccount older than 7d")
    );
    // A member without them is told each one.
    let r = press(&w, w.member, &panel, "Enter").await;
    let d = description(&r);
    assert!(
        d.contains(&format!("• You need the role <@&{vip}>.")),
        "{d}"
    );
    assert!(
        d.contains("• You need level **2** (you are level 0)."),
        "{d}"
    );
    assert!(d.contains("• You need **3** invites (you have 0)."), "{d}");

    // No requirement option: none required.
    let r = slash_start(&w, w.owner, start_call("1h", 1, "Sticker pack")).await;
    assert_eq!(title(&r), "✅ Giveaway started");
    let row = store::get(&w.db.storage(), GiveawayId::new(2))
        .await
        .unwrap()
        .unwrap();
    assert!(row.requirements.is_empty());

    // A bad age is refused, nothing started.
    let r = slash_start(
        &w,
        w.owner,
        start_call("1h", 1, "Keys").opt("account_age", "soon"),
    )
    .await;
    assert_eq!(title(&r), "❌ Giveaway");
    assert_eq!(
        description(&r),
        "The value of `account_age` does not read: use role:@Role, level:5, invites:3, age:7d and a duration like 2h."
    );
    assert!(
        store::get(&w.db.storage(), GiveawayId::new(3))
            .await
            .unwrap()
            .is_none()
    );

    // The prefix form still reads the key:value words after the prize.
    while w
        .sb
        .wait_for_message(w.guild.general, Duration::from_millis(300))
        .await
        .is_ok()
    {}
    let panel = w
        .say(
            w.owner,
            &format!("chro giveaway start 1h 1 Gift card role:<@&{vip}> invites:1 age:2d"),
        )
        .await;
    assert_eq!(title(&panel), "💠 Giveaway: Gift card");
    assert_eq!(
        field(&panel, "Requirements"),
        format!("Role <@&{vip}>\n1 invites or more\nAccount older than 2d")
    );
    let row = store::get(&w.db.storage(), GiveawayId::new(3))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        (
            row.requirements.min_invites,
            row.requirements.min_account_age_secs
        ),
        (Some(1), Some(2 * 86_400))
    );
}
