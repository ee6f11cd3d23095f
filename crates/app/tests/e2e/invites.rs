//! Invite tracking end to end: members joining through different invites are attributed to
//! the invite's creator; the vanity URL and unknown joins are labelled; fake joins (new
//! accounts) and leaves are counted apart; `invites`, `invites who` and the leaderboard read
//! right; the invite channel gets "X invited Y (total: Z)" without pings; a reward role is given
//! once; admin commands are refused to members and bonuses are audited.

use std::time::{Duration, Instant};

use chronix_core::ids::{GuildId, UserId};
use chronix_core::invites::JoinSource;
use chronix_discord::features::invites::tracker::{GuildInvites, InviteCache};
use chronix_sandbox::perms::bits;
use chronix_sandbox::{ChannelKind, Id};
use chronix_storage::invites as store;

use crate::helpers::*;

fn gid(w: &World) -> GuildId {
    GuildId::new(w.guild.id)
}

/// An account made `days` ago.
fn aged(w: &World, name: &str, days: i64) -> Id {
    w.sb.create_user_created_at(name, chrono::Utc::now() - chrono::Duration::days(days))
}

/// Joins `user` through `code` and waits until the bot stored the join.
async fn join(w: &World, user: Id, code: &str) -> store::JoinRecord {
    w.sb.join_via_invite(user, code).expect("joins");
    wait_stored(w, user).await
}

async fn wait_stored(w: &World, user: Id) -> store::JoinRecord {
    let end = Instant::now() + REPLY;
    loop {
        if let Some(j) = store::last_join(&w.db, gid(w), UserId::new(user))
            .await
            .unwrap()
        {
            return j;
        }
        assert!(Instant::now() < end, "the join of {user} was never stored");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// Waits until the bot's invite cache of the test guild satisfies `ready` (events are handled
/// concurrently: a join handled before an earlier event was taken in sees the cache as it was).
async fn wait_cache(w: &World, what: &str, ready: impl Fn(&GuildInvites) -> bool) {
    let cache = w.bot().data().state::<InviteCache>().guild(gid(w));
    let end = Instant::now() + REPLY;
    while !ready(&*cache.lock().await) {
        assert!(Instant::now() < end, "{what} was never seen");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// Waits until the bot knows whether the guild has a vanity URL (from its GUILD_CREATE or a
/// GUILD_UPDATE): a join handled before that reads or skips the vanity URL on what it knew.
async fn wait_sees_vanity(w: &World, has: bool) {
    let what = format!("has_vanity {has}");
    wait_cache(w, &what, |g| g.has_vanity == Some(has)).await;
}

/// The world with the bot allowed to read invites (Manage Server), two inviters (who joined
/// without an invite: unknown) and their invites.
async fn setup() -> (World, Id, Id, String, String) {
    let w = World::start().await;
    w.sb.set_bot_permissions(w.guild.id, bits::DEFAULT_BOT | bits::MANAGE_GUILD);
    // The grant is a role update, handled concurrently with the joins below: wait until the
    // bot has taken it in (a refused start-up read is forgotten), or a join handled first would
    // still find the refusal and the first comparison would come a join later than planned.
    wait_cache(&w, "the grant of Manage Server", |g| {
        g.refused_until.is_none()
    })
    .await;
    let alice = aged(&w, "alice", 100);
    let bob = aged(&w, "bob", 100);
    // Joins are compared one at a time, in the order the bot handles them: wait for each
    // (two joins in flight at once can be attributed either way, as on Discord).
    for u in [alice, bob] {
        w.sb.add_member(w.guild.id, u);
        wait_stored(&w, u).await;
    }
    let a = w.sb.create_invite(alice, w.guild.general).unwrap();
    let b = w.sb.create_invite(bob, w.guild.general).unwrap();
    (w, alice, bob, a, b)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn joins_are_attributed_counted_and_shown() {
    let (w, alice, bob, a, b) = setup().await;
    let u1 = aged(&w, "u1", 30);
    let u2 = aged(&w, "u2", 30);
    let u3 = aged(&w, "u3", 30);
    let newbie = aged(&w, "newbie", 2);
    let j = join(&w, u1, &a).await;
    assert_eq!(
        j.source,
        JoinSource::Invite {
            code: a.clone(),
            inviter: Some(UserId::new(alice))
        }
    );
    assert!(!j.fake);
    join(&w, u2, &a).await;
    let j = join(&w, u3, &b).await;
    assert_eq!(j.inviter(), Some(UserId::new(bob)));
    let j = join(&w, newbie, &a).await;
    assert!(j.fake, "a 2-day-old account is fake (limit 7 days)");
    assert_eq!(j.inviter(), Some(UserId::new(alice)));

    // No vanity URL in the guild's GUILD_CREATE: once the bot has taken that in, an unknown
    // join does not ask for one (unknown joins read the vanity URL's count only where there is
    // one; a join handled before the GUILD_CREATE may still have asked).
    wait_sees_vanity(&w, false).await;
    let vanity_reads = || {
        w.rest("GET", &format!("/guilds/{}/vanity-url", w.guild.id))
            .len()
    };
    let before = vanity_reads();
    let walk_in = aged(&w, "walk-in", 30);
    w.sb.add_member(w.guild.id, walk_in);
    assert_eq!(wait_stored(&w, walk_in).await.source, JoinSource::Unknown);
    assert_eq!(vanity_reads(), before);

    // The vanity URL (set: GUILD_UPDATE carries its code).
    w.sb.set_vanity_url(w.guild.id, "cool");
    wait_sees_vanity(&w, true).await;
    let v = aged(&w, "vanity", 30);
    assert_eq!(join(&w, v, "cool").await.source, JoinSource::Vanity);
    assert!(vanity_reads() >= 1);

    // u1 leaves: alice's count moves to "left".
    w.sb.remove_member(w.guild.id, u1);
    let end = Instant::now() + REPLY;
    while store::counts(&w.db, gid(&w), UserId::new(alice))
        .await
        .unwrap()
        .left
        == 0
    {
        assert!(Instant::now() < end, "the leave was never stored");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }

    let m = w.say(w.member, &format!("chro invites <@{alice}>")).await;
    assert_eq!(title(&m), "ℹ️ Invites of alice", "{:?}", fields(&m));
    assert_eq!(description(&m), "**1** invites");
    assert_eq!(field(&m, "Regular"), "1");
    assert_eq!(field(&m, "Fake"), "1");
    assert_eq!(field(&m, "Left"), "1");
    assert_eq!(field(&m, "Bonus"), "0");
    let m = w.say(bob, "chro invs").await;
    assert_eq!(title(&m), "ℹ️ Your invites");
    assert_eq!(field(&m, "Regular"), "1");

    let m = w.say(w.member, &format!("chro invites who <@{u3}>")).await;
    assert_eq!(title(&m), "ℹ️ How u3 joined");
    assert_eq!(
        description(&m),
        format!("Invited by <@{bob}> with the invite `{b}`.")
    );
    let m = w.say(w.member, &format!("chro invites who <@{v}>")).await;
    assert_eq!(description(&m), "Joined through the server's vanity URL.");
    let m = w
        .say(w.member, &format!("chro invites who <@{newbie}>"))
        .await;
    assert_eq!(field(&m, "Fake"), "Yes: a new account");
    // Alice joined without an invite: unknown.
    let m = w
        .say(w.member, &format!("chro invites who <@{alice}>"))
        .await;
    assert_eq!(
        description(&m),
        "Joined through an unknown invite (the invites could not be compared)."
    );
    let m = w
        .say(w.member, &format!("chro invites who <@{}>", w.owner))
        .await;
    assert_eq!(description(&m), "I never saw this member join.");

    let m = w.say(w.member, "chro invites leaderboard").await;
    assert_eq!(title(&m), "ℹ️ Top inviters");
    assert_eq!(
        description(&m),
        format!(
            "`#1` <@{alice}> • **1** (1 regular, 1 fake, 1 left, 0 bonus)\n\
             `#2` <@{bob}> • **1** (1 regular, 0 fake, 0 left, 0 bonus)"
        )
    );
    // The welcomer's placeholder reads the same attribution.
    assert_eq!(
        store::inviter_of(&w.db, gid(&w), UserId::new(u2))
            .await
            .unwrap(),
        Some(UserId::new(alice))
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn the_invite_channel_and_rewards_and_admin_commands() {
    let (w, _alice, bob, _a, b) = setup().await;
    let chan =
        w.sb.create_channel(w.guild.id, "invites", ChannelKind::Text);
    let role = w.sb.create_role(w.guild.id, "recruiter", 0);

    // Members may not configure or change bonuses.
    for text in [
        format!("chro invites bonus add <@{bob}> 5"),
        format!("chro invites channel <#{chan}>"),
        format!("chro invites reward 2 <@&{role}>"),
    ] {
        let m = w.say(w.member, &text).await;
        assert_eq!(title(&m), "❌ Not allowed", "{text}");
    }

    let m = w
        .say(w.owner, &format!("chro invites channel <#{chan}>"))
        .await;
    assert_eq!(title(&m), "✅ Invite settings");
    assert_eq!(description(&m), format!("Join lines now go to <#{chan}>."));
    let m = w
        .say(w.owner, &format!("chro invites reward 2 <@&{role}>"))
        .await;
    assert_eq!(
        description(&m),
        format!("<@&{role}> is given at **2** invites.")
    );
    let m = w.say(w.owner, "chro invites reward 0 123").await;
    assert_eq!(description(&m), "A reward needs at least 1 invite.");

    let u1 = aged(&w, "u1", 30);
    join(&w, u1, &b).await;
    let line = w.sb.wait_for_message(chan, REPLY).await.unwrap();
    assert_eq!(line.content, format!("<@{bob}> invited <@{u1}> (total: 1)"));
    let has_role = |w: &World| w.sb.member(w.guild.id, bob).unwrap().roles.contains(&role);
    assert!(!has_role(&w));
    let u2 = aged(&w, "u2", 30);
    join(&w, u2, &b).await;
    let line = w.sb.wait_for_message(chan, REPLY).await.unwrap();
    assert_eq!(line.content, format!("<@{bob}> invited <@{u2}> (total: 2)"));
    let end = Instant::now() + REPLY;
    while !has_role(&w) {
        assert!(Instant::now() < end, "the reward role was never given");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    // Mentions were disabled on the line.
    let calls = w.rest("POST", &format!("/channels/{chan}/messages"));
    assert!(
        calls
            .iter()
            .all(|c| c.body.as_ref().unwrap()["allowed_mentions"]["parse"] == serde_json::json!([])),
        "{calls:?}"
    );

    // Bonus: audited, shown.
    let m = w
        .say(w.owner, &format!("chro invites bonus add <@{bob}> 5"))
        .await;
    assert_eq!(title(&m), "✅ Bonus invites");
    assert_eq!(
        description(&m),
        format!("<@{bob}> now has a bonus of **5** (total: 7).")
    );
    let m = w
        .say(w.owner, &format!("chro invites bonus remove <@{bob}> 2"))
        .await;
    assert_eq!(
        description(&m),
        format!("<@{bob}> now has a bonus of **3** (total: 5).")
    );
    let trail = chronix_storage::audit::recent(&w.db, 20).await.unwrap();
    assert_eq!(
        trail.iter().filter(|e| e.action == "invites.bonus").count(),
        2
    );
    assert!(trail.iter().any(|e| e.action == "invites.settings"));
    let m = w
        .say(w.member, &format!("chro invites show <@{bob}>"))
        .await;
    assert_eq!(field(&m, "Bonus"), "3");
    assert_eq!(description(&m), "**5** invites");
}

/// Without Manage Server Discord refuses the invites: the bot believes the refusal instead of
/// asking again at every join (refusals count toward Discord's limit on invalid requests),
/// and reads them again once a role changes.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_refused_read_is_not_repeated_at_every_join() {
    let w = World::start().await;
    let reads = || {
        w.rest("GET", &format!("/guilds/{}/invites", w.guild.id))
            .len()
    };
    let code = w.sb.create_invite(w.owner, w.guild.general).unwrap();
    for i in 0..5 {
        let u = aged(&w, &format!("early{i}"), 100);
        assert_eq!(join(&w, u, &code).await.source, JoinSource::Unknown);
    }
    // The start-up read, and the first join's when that join is handled before the guild's
    // start-up read: never one per join.
    assert!(reads() <= 2, "{} reads for 5 refused joins", reads());

    // Given Manage Server (a role update): the bot reads the invites again. The first read
    // after the refusal is a baseline; the next join through the owner's invite is his. (The
    // role update and the first join are separate events: the join may be handled first and
    // still find the refusal, then the second read is the baseline.)
    w.sb.set_bot_permissions(w.guild.id, bits::DEFAULT_BOT | bits::MANAGE_GUILD);
    let mut attributed = None;
    for i in 0..4 {
        let u = aged(&w, &format!("later{i}"), 100);
        let j = join(&w, u, &code).await;
        if j.inviter().is_some() {
            attributed = Some(i);
            break;
        }
    }
    assert!(
        matches!(attributed, Some(1 | 2)),
        "the second (or third) join after the grant is attributed: {attributed:?}"
    );
    assert!(reads() >= 3, "{}", reads());
}
