//! Moderation end to end: every action by prefix and slash with its case, DM and REST call;
//! refusals by an unprivileged member, a moderator without the action's permission, a
//! lower-ranked moderator, and when the bot lacks the permission (Discord's 50013); a temp-ban
//! that ends after a restart; manual bans/unbans/kicks/timeouts done in Discord becoming cases
//! once, from the audit log.

use std::time::{Duration, Instant};

use chronix_core::ids::{GuildId, UserId};
use chronix_core::moderation::CaseKind;
use chronix_sandbox::perms::bits;
use chronix_sandbox::{CommandCall, Id, ManualAction};
use chronix_storage::moderation::{self, CaseSource};

use crate::helpers::*;

fn gid(w: &World) -> GuildId {
    GuildId::new(w.guild.id)
}

fn uid(id: Id) -> UserId {
    UserId::new(id)
}

/// A moderator with Ban, Kick and Timeout Members (a role above the members').
fn moderator(w: &World, name: &str) -> Id {
    let m = w.sb.create_user(name);
    w.sb.add_member(w.guild.id, m);
    let role = w.sb.create_role(
        w.guild.id,
        &format!("{name}-role"),
        bits::BAN_MEMBERS | bits::KICK_MEMBERS | bits::MODERATE_MEMBERS,
    );
    w.sb.give_role(w.guild.id, m, role);
    m
}

async fn case_count(w: &World) -> usize {
    let mut n = 0;
    for i in 1..=50u32 {
        if moderation::get(&w.db, gid(w), i).await.unwrap().is_some() {
            n += 1;
        }
    }
    n
}

async fn wait_for_case(w: &World, number: u32) -> moderation::Case {
    let end = Instant::now() + REPLY;
    loop {
        if let Some(c) = moderation::get(&w.db, gid(w), number).await.unwrap() {
            return c;
        }
        assert!(Instant::now() < end, "case #{number} never appeared");
        tokio::time::sleep(Duration::from_millis(30)).await;
    }
}

#[tokio::test]
async fn every_action_makes_a_numbered_case_with_a_dm() {
    let w = World::start().await;
    let m = moderator(&w, "mod");
    let target = w.member;

    // warn: case #1, told by DM
    let r = w
        .say(m, &format!("chro warn <@{target}> spamming links"))
        .await;
    assert_eq!(title(&r), "✅ member was warned");
    assert_eq!(field(&r, "Case"), "#1");
    assert_eq!(field(&r, "Reason"), "spamming links");
    let dm = w.sb.wait_for_dm(target, REPLY).await.unwrap();
    assert_eq!(title(&dm), "⚠️ You were warned in Test Guild");
    assert_eq!(field(&dm, "Reason"), "spamming links");
    let r = w.say(m, &format!("chro warnings <@{target}>")).await;
    assert_eq!(title(&r), "ℹ️ Warnings of member (1)");
    assert!(
        description(&r).starts_with("**#1** · spamming links · by <@"),
        "{}",
        description(&r)
    );

    // timeout 10m: Discord's timeout set, case #2 active until then
    let r = w
        .say(m, &format!("chro timeout <@{target}> 10m calm down"))
        .await;
    assert_eq!(title(&r), "✅ member was timed out for 10m");
    assert_eq!(field(&r, "Case"), "#2");
    let until =
        w.sb.member(w.guild.id, target)
            .unwrap()
            .communication_disabled_until
            .expect("timed out");
    let left = until - chrono::Utc::now();
    assert!(left > chrono::Duration::minutes(9) && left <= chrono::Duration::minutes(10));
    let c = moderation::get(&w.db, gid(&w), 2).await.unwrap().unwrap();
    assert_eq!((c.kind, c.active), (CaseKind::Timeout, true));
    assert_eq!(
        title(&w.sb.wait_for_dm(target, REPLY).await.unwrap()),
        "⚠️ You were timed out in Test Guild for 10m"
    );
    let patch = w.rest("PATCH", &format!("/members/{target}"));
    assert_eq!(patch.len(), 1);
    assert_eq!(
        patch[0].reason.as_deref(),
        Some("mod: calm down"),
        "the moderator and the reason go to Discord's audit log"
    );

    // untimeout: lifted, the timeout case ends, case #3
    let r = w.say(m, &format!("chro untimeout <@{target}>")).await;
    assert_eq!(title(&r), "✅ member's timeout was lifted");
    assert_eq!(field(&r, "Case"), "#3");
    assert!(
        w.sb.member(w.guild.id, target)
            .unwrap()
            .communication_disabled_until
            .is_none()
    );
    assert!(
        !moderation::get(&w.db, gid(&w), 2)
            .await
            .unwrap()
            .unwrap()
            .active
    );
    let r = w.say(m, &format!("chro untimeout <@{target}>")).await;
    assert_eq!(title(&r), "❌ Cannot do that");
    assert_eq!(description(&r), format!("<@{target}> is not timed out."));

    // kick: DM first, then removed; case #4
    let r = w.say(m, &format!("chro kick <@{target}> bye")).await;
    assert_eq!(title(&r), "✅ member was kicked");
    assert_eq!(field(&r, "Case"), "#4");
    assert_eq!(
        title(&w.sb.wait_for_dm(target, REPLY).await.unwrap()),
        "⚠️ You were kicked from Test Guild"
    );
    assert!(w.sb.member(w.guild.id, target).is_none());
    let r = w.say(m, &format!("chro kick <@{target}>")).await;
    assert_eq!(
        description(&r),
        format!("<@{target}> is not a member of this server.")
    );

    // temp-ban by id of a non-member, with a deletion window: case #5 with its job
    let r = w
        .say(m, &format!("chro ban {target} 7d --delete 1d raid"))
        .await;
    assert_eq!(title(&r), "✅ member was banned for 7d");
    assert_eq!(field(&r, "Case"), "#5");
    assert_eq!(w.sb.bans(w.guild.id).len(), 1);
    let put = w.rest("PUT", &format!("/bans/{target}"));
    assert_eq!(put.len(), 1);
    assert_eq!(
        put[0]
            .body
            .as_ref()
            .map(|b| b["delete_message_seconds"].clone()),
        None,
        "serenity sends the window as a query parameter"
    );
    assert!(
        put[0]
            .query
            .as_deref()
            .unwrap_or_default()
            .contains("delete_message_seconds=86400"),
        "{:?}",
        put[0].query
    );
    let c = moderation::get(&w.db, gid(&w), 5).await.unwrap().unwrap();
    assert_eq!((c.kind, c.active), (CaseKind::TempBan, true));
    assert_eq!(c.reason.as_deref(), Some("raid"));

    // a plain ban of the temp-banned user makes it permanent: case #6
    let r = w.say(m, &format!("chro ban {target}")).await;
    assert_eq!(title(&r), "✅ member was banned");
    assert_eq!(
        description(&r),
        "Their temp-ban (case #5) is now permanent."
    );
    assert!(
        !moderation::get(&w.db, gid(&w), 5)
            .await
            .unwrap()
            .unwrap()
            .active
    );

    // unban: case #7; a second unban is refused
    let r = w
        .say(m, &format!("chro unban {target} appeal accepted"))
        .await;
    assert_eq!(title(&r), "✅ member was unbanned");
    assert_eq!(field(&r, "Case"), "#7");
    assert!(w.sb.bans(w.guild.id).is_empty());
    let r = w.say(m, &format!("chro unban {target}")).await;
    assert_eq!(description(&r), format!("<@{target}> is not banned."));

    // softban of a member: ban + unban, case #8
    w.sb.add_member(w.guild.id, target);
    let r = w.say(m, &format!("chro softban <@{target}> cleanup")).await;
    assert_eq!(title(&r), "✅ member was softbanned");
    assert_eq!(field(&r, "Case"), "#8");
    assert!(w.sb.bans(w.guild.id).is_empty() && w.sb.member(w.guild.id, target).is_none());

    // case, case reason, modlogs
    let r = w.say(m, "chro case 5").await;
    assert_eq!(title(&r), "ℹ️ Case #5: Temp-ban");
    assert_eq!(field(&r, "Reason"), "raid");
    assert!(field(&r, "Status").starts_with("Ended <t:"));
    let r = w
        .say(m, "chro case reason 5 raid from another server")
        .await;
    assert_eq!(title(&r), "✅ Case #5: reason updated");
    assert_eq!(description(&r), "raid from another server");
    let r = w.say(m, "chro case 99").await;
    assert_eq!(description(&r), "There is no case #99 on this server.");
    let r = w.say(m, &format!("chro modlogs <@{target}>")).await;
    assert_eq!(title(&r), "ℹ️ Moderation history");
    let d = description(&r);
    assert!(d.contains("**#8** Softban · cleanup"), "{d}");
    assert!(
        d.contains("**#5** Temp-ban · raid from another server"),
        "{d}"
    );
    assert!(d.contains("**#1** Warning · spamming links"), "{d}");
    assert!(
        d.find("**#8**").unwrap() < d.find("**#1**").unwrap(),
        "newest first: {d}"
    );

    // unwarn / clearwarns
    let r = w.say(m, "chro unwarn 4").await;
    assert_eq!(description(&r), "Case #4 is not an active warning.");
    let r = w.say(m, "chro unwarn 1").await;
    assert_eq!(title(&r), "✅ Warning #1 removed");
    let r = w.say(m, &format!("chro clearwarns <@{target}>")).await;
    assert_eq!(title(&r), "✅ 0 warnings of member removed");

    // case delete: admins only, audited
    let r = w.say(m, "chro case delete 1").await;
    assert_eq!(title(&r), "❌ Not allowed");
    let r = w.say(w.owner, "chro case delete 1").await;
    assert_eq!(title(&r), "✅ Case #1 deleted");
    assert!(moderation::get(&w.db, gid(&w), 1).await.unwrap().is_none());
    let a = chronix_storage::audit::recent(&w.db, 1).await.unwrap();
    assert_eq!(a[0].action, "moderation.case_delete");
    assert_eq!(a[0].actor_id, uid(w.owner));

    // no duplicate cases from the audit-log entries of the bot's own actions
    w.sb.settle(Duration::from_millis(300), REPLY)
        .await
        .unwrap();
    assert_eq!(case_count(&w).await, 7, "cases 2..=8");
}

#[tokio::test]
async fn refusals_change_nothing() {
    let w = World::start().await;
    let other = w.sb.create_user("other");
    w.sb.add_member(w.guild.id, other);

    // an unprivileged member
    let r = w.say(w.member, &format!("chro ban <@{other}>")).await;
    assert_eq!(title(&r), "❌ Not allowed");
    assert_eq!(description(&r), "You need the **mod** tier to use `ban`.");
    // a moderator without Ban Members (Manage Messages makes the mod tier)
    let helper = w.sb.create_user("helper");
    w.sb.add_member(w.guild.id, helper);
    let role =
        w.sb.create_role(w.guild.id, "helpers", bits::MANAGE_MESSAGES);
    w.sb.give_role(w.guild.id, helper, role);
    let r = w.say(helper, &format!("chro ban <@{other}>")).await;
    assert_eq!(
        description(&r),
        "You need the **Ban Members** permission for this."
    );
    // a lower-ranked moderator against a higher one (a role created later is placed lower)
    let low = moderator(&w, "senior");
    let junior = moderator(&w, "junior");
    let r = w.say(junior, &format!("chro kick <@{low}>")).await;
    assert_eq!(description(&r), "Their highest role is not below yours.");
    // the owner, yourself, the bot
    let r = w.say(low, &format!("chro ban <@{}>", w.owner)).await;
    assert_eq!(description(&r), "The server owner cannot be moderated.");
    let r = w.say(low, &format!("chro timeout <@{low}> 1h")).await;
    assert_eq!(description(&r), "You cannot do that to yourself.");
    let r = w.say(low, &format!("chro kick <@{}>", w.sb.bot_id())).await;
    assert_eq!(description(&r), "I will not do that to myself.");
    // a target above the bot
    let vip = w.sb.create_role(w.guild.id, "vip", 0);
    w.sb.update_role(vip, |r| r.position = 50);
    let lead = w.sb.create_role(w.guild.id, "lead", bits::ADMINISTRATOR);
    w.sb.update_role(lead, |r| r.position = 60);
    w.sb.give_role(w.guild.id, other, vip);
    let boss = w.sb.create_user("boss");
    w.sb.add_member(w.guild.id, boss);
    w.sb.give_role(w.guild.id, boss, lead);
    let r = w.say(boss, &format!("chro kick <@{other}>")).await;
    assert_eq!(
        description(&r),
        "Their highest role is not below mine: move my role above theirs and try again."
    );
    // bad input
    let r = w
        .say(low, &format!("chro timeout <@{}> 10x", w.member))
        .await;
    assert_eq!(title(&r), "❌ Invalid input");
    assert_eq!(
        description(&r),
        "`10x` is not a time unit: use s, m, h, d or w."
    );
    let r = w
        .say(low, &format!("chro timeout <@{}> 30d", w.member))
        .await;
    assert_eq!(description(&r), "The duration is too long (at most 28d).");
    let r = w
        .say(low, &format!("chro ban <@{}> 0m oops", w.member))
        .await;
    assert_eq!(description(&r), "The duration must be longer than zero.");
    // the bot lacks Ban Members: refused before the target hears anything…
    w.sb.set_bot_permissions(w.guild.id, bits::DEFAULT_EVERYONE | bits::KICK_MEMBERS);
    let lacks =
        "I am missing the **Ban Members** permission here: give it to my role and try again.";
    let r = w.say(low, &format!("chro ban <@{}>", w.member)).await;
    assert_eq!(description(&r), lacks);
    assert!(
        w.sb.wait_for_dm(w.member, Duration::from_millis(300))
            .await
            .is_err(),
        "no DM for an action that cannot happen"
    );
    // …and where only Discord knows, its 50013 becomes the same sentence
    let r = w.say(low, &format!("chro unban {}", w.member)).await;
    assert_eq!(description(&r), lacks);
    assert!(
        w.rest("DELETE", "/bans/").iter().any(|c| c.status == 403),
        "Discord was asked and said 50013"
    );
    // by slash the refusal is ephemeral
    let r = w
        .slash(
            w.member,
            CommandCall::new("mod")
                .sub("warn")
                .opt("user", other.to_string()),
        )
        .await;
    assert!(r.is_ephemeral());
    assert_eq!(title(&r), "❌ Not allowed");

    assert_eq!(case_count(&w).await, 0, "no refusal recorded a case");
    assert!(w.sb.bans(w.guild.id).is_empty());
    assert!(w.sb.member(w.guild.id, other).is_some());
}

#[tokio::test]
async fn slash_commands_and_closed_dms() {
    let w = World::start().await;
    let m = moderator(&w, "mod");
    w.sb.set_dms_closed(w.member, true);
    let r = w
        .slash(
            m,
            CommandCall::new("mod")
                .sub("timeout")
                .opt("user", w.member.to_string())
                .opt("duration", "1h30m")
                .opt("reason", "flooding"),
        )
        .await;
    assert_eq!(title(&r), "✅ member was timed out for 1h 30m");
    assert_eq!(
        embed(&r)["footer"]["text"],
        "They were not told by DM (their DMs are closed or the server turned it off)."
    );
    let r = w
        .slash(
            m,
            CommandCall::new("mod")
                .sub("case")
                .sub("show")
                .opt("number", 1),
        )
        .await;
    assert_eq!(title(&r), "ℹ️ Case #1: Timeout");
    assert_eq!(field(&r, "Duration"), "1h 30m");
    // a bad slash duration is refused strictly
    let r = w
        .slash(
            m,
            CommandCall::new("mod")
                .sub("ban")
                .opt("user", w.member.to_string())
                .opt("duration", "soon"),
        )
        .await;
    assert_eq!(
        description(&r),
        "`soon` is not a duration: write it like 10m, 2h, 7d or 1h30m."
    );
    // DMs turned off for the server
    w.sb.set_dms_closed(w.member, false);
    let r = w.say(w.owner, "chro moddm off").await;
    assert_eq!(
        title(&r),
        "✅ Targets of moderation actions are no longer told by DM"
    );
    let r = w.say(m, &format!("chro warn <@{}>", w.member)).await;
    assert_eq!(title(&r), "✅ member was warned");
    assert!(
        w.sb.wait_for_dm(w.member, Duration::from_millis(500))
            .await
            .is_err(),
        "no DM when the server turned them off"
    );
}

#[tokio::test]
async fn a_temp_ban_ends_after_a_restart_exactly_once() {
    let (mut w, _) = World::start_with(Setup {
        env: vec![("SCHEDULER_TICK_MS", "50".into())],
        ..Setup::default()
    })
    .await;
    let m = moderator(&w, "mod");
    let r = w.say(m, &format!("chro ban <@{}> 2s raid", w.member)).await;
    assert_eq!(title(&r), "✅ member was banned for 2s");
    w.bot.take().unwrap().shutdown().await;
    // The moderator loses their role while the bot is down: the ban still ends.
    w.sb.with_state_mut(|st| {
        if let Some(mem) = st.members.get_mut(&(w.guild.id, m)) {
            mem.roles.clear();
        }
    });
    tokio::time::sleep(Duration::from_millis(2_300)).await;
    assert_eq!(
        w.sb.bans(w.guild.id).len(),
        1,
        "nothing ends while the bot is down"
    );
    w.restart_bot(Vec::new()).await;
    let unban = wait_for_case(&w, 2).await;
    assert_eq!(unban.kind, CaseKind::Unban);
    assert_eq!(unban.moderator, uid(w.sb.bot_id()));
    assert_eq!(unban.reason.as_deref(), Some("Temp-ban ended (case #1)"));
    assert!(w.sb.bans(w.guild.id).is_empty());
    assert!(
        !moderation::get(&w.db, gid(&w), 1)
            .await
            .unwrap()
            .unwrap()
            .active
    );
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(
        w.rest("DELETE", &format!("/bans/{}", w.member)).len(),
        1,
        "unbanned once"
    );
    assert_eq!(case_count(&w).await, 2);
}

#[tokio::test]
async fn manual_actions_become_cases_from_the_audit_log() {
    let w = World::start().await;
    let m = moderator(&w, "mod");
    let t = w.member;
    w.sb.moderate(
        m,
        w.guild.id,
        t,
        ManualAction::Timeout(chrono::Utc::now() + chrono::Duration::hours(1)),
        Some("cool off"),
    )
    .unwrap();
    let c = wait_for_case(&w, 1).await;
    assert_eq!(
        (c.kind, c.moderator, c.source, c.reason.as_deref(), c.active),
        (
            CaseKind::Timeout,
            uid(m),
            CaseSource::Manual,
            Some("cool off"),
            true
        )
    );
    assert!(c.expires_at.is_some());
    w.sb.moderate(m, w.guild.id, t, ManualAction::Untimeout, None)
        .unwrap();
    let c2 = wait_for_case(&w, 2).await;
    assert_eq!((c2.kind, c2.reason), (CaseKind::Untimeout, None));
    assert!(
        !moderation::get(&w.db, gid(&w), 1)
            .await
            .unwrap()
            .unwrap()
            .active
    );
    w.sb.moderate(
        m,
        w.guild.id,
        t,
        ManualAction::Kick,
        Some("left the rules channel"),
    )
    .unwrap();
    assert_eq!(wait_for_case(&w, 3).await.kind, CaseKind::Kick);
    w.sb.moderate(m, w.guild.id, t, ManualAction::Ban, Some("raid"))
        .unwrap();
    let b = wait_for_case(&w, 4).await;
    assert_eq!((b.kind, b.reason.as_deref()), (CaseKind::Ban, Some("raid")));
    w.sb.moderate(m, w.guild.id, t, ManualAction::Unban, Some("appeal"))
        .unwrap();
    assert_eq!(wait_for_case(&w, 5).await.kind, CaseKind::Unban);
    // The case shows where it came from.
    let r = w.say(m, "chro case 4").await;
    assert_eq!(title(&r), "ℹ️ Case #4: Ban");
    assert_eq!(
        embed(&r)["footer"]["text"],
        "Done in Discord; moderator and reason read from the audit log."
    );
    // The bot's own action is one case, not two.
    w.sb.add_member(w.guild.id, t);
    let r = w.say(m, &format!("chro kick <@{t}> again")).await;
    assert_eq!(field(&r, "Case"), "#6");
    w.sb.settle(Duration::from_millis(400), REPLY)
        .await
        .unwrap();
    assert_eq!(case_count(&w).await, 6);
}

/// A moderator with every permission the channel and member tools need.
fn tool_moderator(w: &World) -> Id {
    let m = w.sb.create_user("tools");
    w.sb.add_member(w.guild.id, m);
    let role = w.sb.create_role(
        w.guild.id,
        "tools-role",
        bits::MANAGE_MESSAGES | bits::MANAGE_CHANNELS | bits::MANAGE_NICKNAMES | bits::MANAGE_ROLES,
    );
    w.sb.give_role(w.guild.id, m, role);
    m
}

fn exists(w: &World, id: Id) -> bool {
    w.sb.message(id).is_some()
}

#[tokio::test]
async fn purge_with_each_filter_and_old_messages() {
    let w = World::start().await;
    let m = tool_moderator(&w);
    let general = w.guild.general;
    let other = w.sb.create_user("other");
    w.sb.add_member(w.guild.id, other);
    let hello = w.sb.send_message(w.member, general, "hello there");
    let link =
        w.sb.send_message(w.member, general, "buy at https://spam.example");
    let nitro = w.sb.send_message(other, general, "FREE NITRO for everyone");
    let file =
        w.sb.send_message_with_files(w.member, general, "look", &[("cat.png", &b"png"[..])])
            .unwrap();
    let hook = w.sb.create_webhook(general, "feed").unwrap();
    let hooked = w.sb.execute_webhook(hook.id, "automated post").unwrap();
    // a message older than 14 days: Discord's bulk delete refuses it
    let ancient = w.sb.send_message(w.member, general, "ancient history");
    w.sb.with_state_mut(|st| {
        if let Some(msg) = st.messages.get_mut(&ancient) {
            msg.timestamp = chrono::Utc::now() - chrono::Duration::days(20);
        }
    });

    // bad words are refused and nothing is deleted
    let r = w.say(m, "chro purge 10 everything").await;
    assert_eq!(title(&r), "❌ Invalid input");
    assert!(
        description(&r).contains("`everything` is not a filter"),
        "{}",
        description(&r)
    );
    let r = w.say(m, "chro purge 0").await;
    assert!(
        description(&r).contains("from 1 to 1000"),
        "{}",
        description(&r)
    );
    let r = w.say(w.member, "chro purge 10").await;
    assert_eq!(title(&r), "❌ Not allowed");
    assert!(exists(&w, hello) && exists(&w, link));

    let r = w.say(m, "chro purge 50 links").await;
    assert_eq!(title(&r), "✅ 1 message deleted");
    assert!(!exists(&w, link) && exists(&w, hello));
    let r = w.say(m, "chro purge 50 contains nitro").await;
    assert_eq!(title(&r), "✅ 1 message deleted");
    assert!(!exists(&w, nitro));
    let r = w.say(m, "chro purge 50 attachments").await;
    assert_eq!(title(&r), "✅ 1 message deleted");
    assert!(!exists(&w, file));
    let r = w
        .say(m, &format!("chro purge 50 <@{}> contains hello", w.member))
        .await;
    assert_eq!(title(&r), "✅ 1 message deleted");
    assert!(!exists(&w, hello));
    // the old message: deleted one by one (bulk delete would refuse it)
    let r = w.say(m, "chro purge 100 contains ancient").await;
    assert_eq!(title(&r), "✅ 1 message deleted");
    assert!(
        description(&r).ends_with("1 older than 14 days deleted one by one"),
        "{}",
        description(&r)
    );
    assert!(!exists(&w, ancient));
    assert!(
        w.rest("DELETE", &format!("/messages/{ancient}"))
            .iter()
            .any(|c| c.status == 204)
    );
    // bots (the webhook's post and the bot's own replies), then embeds
    let r = w.say(m, "chro purge 100 bots").await;
    assert!(!exists(&w, hooked));
    let bulk = w.rest("POST", "/messages/bulk-delete");
    assert!(!bulk.is_empty(), "recent messages go in one bulk delete");
    assert!(title(&r).ends_with("messages deleted"), "{}", title(&r));
    let before = w.sb.messages_in(general).len();
    let r = w.say(m, "chro purge 100 embeds").await;
    assert!(title(&r).starts_with("✅ 1 message"), "{}", title(&r));
    assert!(w.sb.messages_in(general).len() < before + 1);
    // the purge is in the audit trail
    let a = chronix_storage::audit::recent(&w.db, 1).await.unwrap();
    assert_eq!(a[0].action, "moderation.purge");
}

#[tokio::test]
async fn slowmode_and_nick() {
    let w = World::start().await;
    let m = tool_moderator(&w);
    let r = w.say(m, "chro slowmode 10s").await;
    assert_eq!(title(&r), "✅ Slowmode: one message every 10s");
    assert_eq!(
        w.sb.channel(w.guild.general).unwrap().rate_limit_per_user,
        10
    );
    let r = w.say(m, "chro slowmode off").await;
    assert_eq!(title(&r), "✅ Slowmode is off");
    assert_eq!(
        w.sb.channel(w.guild.general).unwrap().rate_limit_per_user,
        0
    );
    let r = w.say(m, "chro slowmode 7h").await;
    assert_eq!(description(&r), "The duration is too long (at most 6h).");

    let r = w.say(m, &format!("chro nick <@{}> Sparky", w.member)).await;
    assert_eq!(title(&r), "✅ Nickname changed");
    assert_eq!(
        w.sb.member(w.guild.id, w.member).unwrap().nick.as_deref(),
        Some("Sparky")
    );
    let r = w.say(m, &format!("chro nick <@{}>", w.member)).await;
    assert_eq!(
        description(&r),
        format!("<@{}>'s nickname was cleared.", w.member)
    );
    assert_eq!(w.sb.member(w.guild.id, w.member).unwrap().nick, None);
    let r = w
        .say(m, &format!("chro nick <@{}>", w.guild.owner_id))
        .await;
    assert_eq!(description(&r), "The server owner cannot be moderated.");
}
