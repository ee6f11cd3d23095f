//! `lock` / `unlock`, `lockdown` / `lockdown end` and `role add` / `role remove` end to end:
//! a custom `@everyone` overwrite comes back bit for bit, "no overwrite" comes back as none, a
//! lockdown is restored by a bot that was restarted in between, and every role refusal a
//! moderator expects.

use chronix_core::ids::{ChannelId, GuildId, RoleId, UserId};
use chronix_core::moderation::{CaseKind, CaseTarget};
use chronix_sandbox::perms::bits;
use chronix_sandbox::{ChannelKind, Id, Overwrite};
use chronix_storage::moderation;

use crate::helpers::*;

/// Denied to @everyone by a lock of a text channel (the bot may deny each: @everyone has
/// Create Private Threads by default, as on Discord, and so does the bot).
const TEXT_LOCK: u64 = bits::SEND_MESSAGES
    | bits::SEND_MESSAGES_IN_THREADS
    | bits::CREATE_PUBLIC_THREADS
    | bits::CREATE_PRIVATE_THREADS;
const VOICE_LOCK: u64 = bits::CONNECT | bits::SEND_MESSAGES;

fn gid(w: &World) -> GuildId {
    GuildId::new(w.guild.id)
}

/// A moderator with Manage Messages (the mod tier), Manage Channels and Manage Roles.
fn lock_moderator(w: &World, name: &str) -> Id {
    let m = w.sb.create_user(name);
    w.sb.add_member(w.guild.id, m);
    let role = w.sb.create_role(
        w.guild.id,
        &format!("{name}-role"),
        bits::MANAGE_MESSAGES | bits::MANAGE_CHANNELS | bits::MANAGE_ROLES,
    );
    w.sb.give_role(w.guild.id, m, role);
    m
}

/// A staff channel where `role` may still talk when @everyone is locked out (a role overwrite
/// allowing Send Messages), as moderators set up on Discord.
fn staff_channel(w: &World, user: Id) -> Id {
    let staff = w.sb.create_channel(w.guild.id, "staff", ChannelKind::Text);
    let role = w.sb.member(w.guild.id, user).unwrap().roles[0];
    w.sb.set_overwrite(
        staff,
        Overwrite {
            id: role,
            member: false,
            allow: bits::SEND_MESSAGES,
            deny: 0,
        },
    );
    staff
}

/// The (allow, deny) overwrite of a role or member on a channel.
fn overwrite(w: &World, channel: Id, id: Id) -> Option<(u64, u64)> {
    w.sb.channel(channel)
        .unwrap()
        .overwrites
        .iter()
        .find(|o| o.id == id)
        .map(|o| (o.allow, o.deny))
}

async fn case(w: &World, n: u32) -> moderation::Case {
    moderation::get(&w.db, gid(w), n)
        .await
        .unwrap()
        .unwrap_or_else(|| panic!("case #{n}"))
}

#[tokio::test]
async fn lock_and_unlock_restore_a_custom_overwrite_exactly() {
    let w = World::start().await;
    let m = lock_moderator(&w, "mod");
    let staff = staff_channel(&w, m);
    let g = w.guild.id;
    let general = w.guild.general;
    let custom = (
        bits::SEND_MESSAGES | bits::ADD_REACTIONS | bits::ATTACH_FILES,
        bits::MENTION_EVERYONE,
    );
    w.sb.set_overwrite(
        general,
        Overwrite {
            id: g,
            member: false,
            allow: custom.0,
            deny: custom.1,
        },
    );

    // a plain member is refused by the tier
    let r = w.say(w.member, "chro lock").await;
    assert_eq!(title(&r), "❌ Not allowed");
    assert_eq!(overwrite(&w, general, g), Some(custom));

    let r = w.say(m, "chro lock raid incoming").await;
    assert_eq!(title(&r), "✅ Channel locked");
    assert!(
        description(&r).starts_with(&format!("<#{general}>: @everyone can no longer")),
        "{}",
        description(&r)
    );
    assert_eq!(field(&r, "Case"), "#1");
    assert_eq!(field(&r, "Reason"), "raid incoming");
    assert_eq!(
        overwrite(&w, general, g),
        Some((custom.0 & !TEXT_LOCK, custom.1 | TEXT_LOCK)),
        "the lock bits are denied, every other bit kept"
    );
    assert_eq!(
        overwrite(&w, general, w.sb.bot_id()),
        Some((bits::SEND_MESSAGES, 0)),
        "the bot keeps talking there"
    );
    let c = case(&w, 1).await;
    assert_eq!(
        (c.kind, c.target, c.reason.as_deref()),
        (
            CaseKind::Lock,
            CaseTarget::Channel(ChannelId::new(general)),
            Some("raid incoming")
        )
    );
    let put = w.rest("PUT", &format!("/channels/{general}/permissions/{g}"));
    assert_eq!(put.len(), 1);
    assert_eq!(put[0].reason.as_deref(), Some("mod: raid incoming"));

    // the moderator now talks from the staff channel
    let r = w.say_in(m, staff, &format!("chro lock <#{general}>")).await;
    assert_eq!(title(&r), "❌ Cannot do that");
    assert_eq!(
        description(&r),
        format!("<#{general}> is locked already: `unlock` it first.")
    );

    let r = w
        .say_in(m, staff, &format!("chro unlock <#{general}>"))
        .await;
    assert_eq!(title(&r), "✅ Channel unlocked");
    assert_eq!(field(&r, "Case"), "#2");
    assert_eq!(overwrite(&w, general, g), Some(custom), "exactly as before");
    assert_eq!(overwrite(&w, general, w.sb.bot_id()), None);
    assert_eq!(case(&w, 2).await.kind, CaseKind::Unlock);
    let r = w.say(m, "chro unlock").await;
    assert_eq!(
        description(&r),
        format!(
            "<#{general}> was not locked with `lock` or `lockdown`, so there is nothing to restore."
        )
    );

    // a channel named by mention, without any overwrite before: it has none again after
    let quiet = w.sb.create_channel(g, "quiet", ChannelKind::Text);
    let r = w.say_in(m, staff, &format!("chro lock <#{quiet}>")).await;
    assert_eq!(title(&r), "✅ Channel locked");
    assert_eq!(overwrite(&w, quiet, g), Some((0, TEXT_LOCK)));
    let r = w.say_in(m, staff, &format!("chro unlock <#{quiet}>")).await;
    assert_eq!(title(&r), "✅ Channel unlocked");
    assert_eq!(overwrite(&w, quiet, g), None, "the overwrite is deleted");
    assert_eq!(
        w.rest("DELETE", &format!("/channels/{quiet}/permissions/{g}"))
            .len(),
        1
    );
    // a category cannot be locked
    let cat = w.sb.create_channel(g, "cat", ChannelKind::Category);
    let r = w.say_in(m, staff, &format!("chro lock <#{cat}>")).await;
    assert_eq!(
        description(&r),
        format!("<#{cat}> is neither a text nor a voice channel, so it cannot be locked.")
    );

    let actions: Vec<String> = chronix_storage::audit::recent(&w.db, 20)
        .await
        .unwrap()
        .into_iter()
        .map(|e| e.action)
        .filter(|a| a.starts_with("moderation."))
        .collect();
    assert_eq!(
        actions.iter().filter(|a| *a == "moderation.lock").count(),
        2
    );
    assert_eq!(
        actions.iter().filter(|a| *a == "moderation.unlock").count(),
        2
    );
}

#[tokio::test]
async fn lockdown_then_restore_across_a_restart() {
    let mut w = World::start().await;
    let m = lock_moderator(&w, "mod");
    let staff = staff_channel(&w, m);
    let g = w.guild.id;
    let (general, voice) = (w.guild.general, w.guild.voice);
    // (denying Embed Links would also silence the bot's embeds there, as on Discord)
    let custom = (
        bits::ADD_REACTIONS,
        bits::MENTION_EVERYONE | bits::USE_EXTERNAL_EMOJIS,
    );
    w.sb.set_overwrite(
        general,
        Overwrite {
            id: g,
            member: false,
            allow: custom.0,
            deny: custom.1,
        },
    );
    let news = w.sb.create_channel(g, "news", ChannelKind::Announcement);
    let cat = w.sb.create_channel(g, "cat", ChannelKind::Category);
    // locked on its own before the lockdown: it stays locked after `lockdown end`
    let own = w.sb.create_channel(g, "own", ChannelKind::Text);
    let r = w.say_in(m, staff, &format!("chro lock <#{own}>")).await;
    assert_eq!(title(&r), "✅ Channel locked");

    let before = |ch: Id| overwrite(&w, ch, g);
    let (was_general, was_voice, was_news, was_error_log) = (
        before(general),
        before(voice),
        before(news),
        before(w.error_log),
    );
    assert_eq!(was_voice, None);

    let r = w.say_in(m, staff, "chro lockdown raid").await;
    assert_eq!(title(&r), "✅ The server is in lockdown");
    assert_eq!(field(&r, "Case"), "#2");
    assert_eq!(
        field(&r, "Channels"),
        "5 locked · 1 locked already · 0 failed",
        "general, error-log, news, voice, staff; own was locked; the category is skipped"
    );
    assert_eq!(
        overwrite(&w, general, g),
        Some((custom.0, custom.1 | TEXT_LOCK))
    );
    assert_eq!(overwrite(&w, voice, g), Some((0, VOICE_LOCK)));
    assert_eq!(overwrite(&w, news, g), Some((0, TEXT_LOCK)));
    assert_eq!(overwrite(&w, cat, g), None);
    assert_eq!(
        case(&w, 2).await.target,
        CaseTarget::Server(GuildId::new(g))
    );

    // run again: idempotent, no second case, the stored overwrites stay the first ones
    let r = w.say_in(m, staff, "chro lock server").await;
    assert_eq!(title(&r), "ℹ️ The server is in lockdown already");
    assert_eq!(
        field(&r, "Channels"),
        "0 locked · 6 locked already · 0 failed"
    );
    assert!(moderation::get(&w.db, gid(&w), 3).await.unwrap().is_none());

    // the bot restarts; the lockdown is in the database
    w.bot.take().unwrap().shutdown().await;
    w.restart_bot(Vec::new()).await;

    let r = w.say_in(m, staff, "chro lockdown end").await;
    assert_eq!(title(&r), "✅ The lockdown is over");
    assert_eq!(
        description(&r),
        "5 channels have their permissions back as they were."
    );
    assert_eq!(field(&r, "Case"), "#3");
    assert_eq!(overwrite(&w, general, g), was_general, "bit for bit");
    assert_eq!(
        overwrite(&w, voice, g),
        was_voice,
        "no overwrite: none again"
    );
    assert_eq!(overwrite(&w, news, g), was_news);
    assert_eq!(overwrite(&w, w.error_log, g), was_error_log);
    assert_eq!(overwrite(&w, staff, g), None);
    for ch in [general, voice, news] {
        assert_eq!(overwrite(&w, ch, w.sb.bot_id()), None);
    }
    assert_eq!(
        overwrite(&w, own, g),
        Some((0, TEXT_LOCK)),
        "a channel locked on its own stays locked"
    );
    assert_eq!(case(&w, 3).await.kind, CaseKind::LockdownEnd);
    let r = w.say_in(m, staff, "chro unlock server").await;
    assert_eq!(title(&r), "❌ Cannot do that");
    assert_eq!(
        description(&r),
        "There is no lockdown to end on this server."
    );
}

/// Roles for the role tests, highest first: senior moderator, helpers, junior moderator,
/// muted, two "Mods …" roles (created later = lower).
struct Roles {
    senior: Id,
    junior: Id,
    helpers: Id,
    muted: Id,
}

fn role_world(w: &World) -> Roles {
    let g = w.guild.id;
    let senior = lock_moderator(w, "senior");
    let helpers = w.sb.create_role(g, "Helpers", 0);
    let junior = lock_moderator(w, "junior");
    let muted = w.sb.create_role(g, "Muted", 0);
    w.sb.create_role(g, "Mods A", 0);
    w.sb.create_role(g, "Mods B", 0);
    Roles {
        senior,
        junior,
        helpers,
        muted,
    }
}

fn has_role(w: &World, user: Id, role: Id) -> bool {
    w.sb.member(w.guild.id, user).unwrap().roles.contains(&role)
}

#[tokio::test]
async fn role_add_and_remove_with_every_refusal() {
    let w = World::start().await;
    let rs = role_world(&w);
    let target = w.member;

    let r = w
        .say(rs.senior, &format!("chro role add <@{target}> muted"))
        .await;
    assert_eq!(title(&r), "✅ member was given a role");
    assert_eq!(field(&r, "Role"), format!("<@&{}>", rs.muted));
    assert_eq!(field(&r, "Case"), "#1");
    assert!(has_role(&w, target, rs.muted));
    let c = moderation::get(&w.db, gid(&w), 1).await.unwrap().unwrap();
    assert_eq!(
        (c.kind, c.target, c.role),
        (
            CaseKind::RoleAdd,
            CaseTarget::User(UserId::new(target)),
            Some(RoleId::new(rs.muted))
        )
    );
    let put = w.rest("PUT", &format!("/members/{target}/roles/{}", rs.muted));
    assert_eq!(put.len(), 1);
    assert_eq!(put[0].reason.as_deref(), Some("senior"));

    let r = w
        .say(
            rs.senior,
            &format!("chro role add <@{target}> <@&{}>", rs.muted),
        )
        .await;
    assert_eq!(
        description(&r),
        format!("<@{target}> has <@&{}> already.", rs.muted)
    );
    let r = w
        .say(rs.senior, &format!("chro role remove <@{target}> MUTED"))
        .await;
    assert_eq!(title(&r), "✅ member lost a role");
    assert!(!has_role(&w, target, rs.muted));
    assert_eq!(case(&w, 2).await.kind, CaseKind::RoleRemove);
    let r = w
        .say(
            rs.senior,
            &format!("chro role remove <@{target}> {}", rs.muted),
        )
        .await;
    assert_eq!(
        description(&r),
        format!("<@{target}> does not have <@&{}>.", rs.muted)
    );

    // the role argument
    let r = w
        .say(rs.senior, &format!("chro role add <@{target}> mods"))
        .await;
    assert_eq!(title(&r), "❌ Invalid input");
    assert_eq!(
        description(&r),
        "`mods` matches 2 roles: `Mods A`, `Mods B`. Write more of the name, or mention the role."
    );
    let r = w
        .say(rs.senior, &format!("chro role add <@{target}> nope"))
        .await;
    assert_eq!(description(&r), "There is no role `nope` on this server.");
    let r = w
        .say(rs.senior, &format!("chro role add <@{target}> mods b"))
        .await;
    assert_eq!(
        title(&r),
        "✅ member was given a role",
        "a unique full name"
    );
    // @everyone and the bot's managed role
    for role in ["@everyone".to_string(), format!("<@&{}>", w.guild.bot_role)] {
        let r = w
            .say(rs.senior, &format!("chro role add <@{target}> {role}"))
            .await;
        assert_eq!(
            description(&r),
            "That role cannot be given or taken.",
            "{role}"
        );
    }

    // a lower-ranked moderator: the role above theirs, and a member above them
    let r = w
        .say(rs.junior, &format!("chro role add <@{target}> helpers"))
        .await;
    assert_eq!(title(&r), "❌ Not allowed");
    assert_eq!(description(&r), "That role is not below your highest role.");
    let r = w
        .say(rs.junior, &format!("chro role add <@{}> muted", rs.senior))
        .await;
    assert_eq!(description(&r), "Their highest role is not below yours.");
    let r = w
        .say(rs.junior, &format!("chro role add <@{}> muted", rs.junior))
        .await;
    assert_eq!(description(&r), "You cannot do that to yourself.");
    // a role above the bot's (even the owner cannot have me give it)
    let vip = w.sb.create_role(w.guild.id, "vip", 0);
    w.sb.update_role(vip, |r| r.position = 50);
    let r = w
        .say(w.owner, &format!("chro role add <@{target}> vip"))
        .await;
    assert_eq!(
        description(&r),
        "That role is not below my highest role: move my role above it and try again."
    );
    assert!(!has_role(&w, target, vip));
    // a plain member, and a moderator without Manage Roles
    let r = w
        .say(target, &format!("chro role add <@{target}> muted"))
        .await;
    assert_eq!(title(&r), "❌ Not allowed");
    assert_eq!(
        description(&r),
        "You need the **mod** tier to use `role add`."
    );
    let helper = w.sb.create_user("helper");
    w.sb.add_member(w.guild.id, helper);
    let role =
        w.sb.create_role(w.guild.id, "msg-only", bits::MANAGE_MESSAGES);
    w.sb.give_role(w.guild.id, helper, role);
    let r = w
        .say(helper, &format!("chro role add <@{target}> muted"))
        .await;
    assert_eq!(
        description(&r),
        "You need the **Manage Roles** permission for this."
    );
    assert!(!has_role(&w, target, rs.muted));
    assert!(
        moderation::get(&w.db, gid(&w), 4).await.unwrap().is_none(),
        "refusals record no case (cases: add, remove, add Mods B)"
    );
    let _ = rs.helpers;
}

#[tokio::test]
async fn timeout_refuses_its_words_in_the_order_they_are_written() {
    let w = World::start().await;
    let m = lock_moderator(&w, "mod");
    let role =
        w.sb.create_role(w.guild.id, "timeouts", bits::MODERATE_MEMBERS);
    w.sb.give_role(w.guild.id, m, role);
    let long = "x".repeat(513);
    // both bad: the duration (written first) is refused first
    let r = w
        .say(m, &format!("chro timeout <@{}> 10x {long}", w.member))
        .await;
    assert_eq!(title(&r), "❌ Invalid input");
    assert_eq!(
        description(&r),
        "`10x` is not a time unit: use s, m, h, d or w."
    );
    // a good duration: then the reason
    let r = w
        .say(m, &format!("chro timeout <@{}> 10m {long}", w.member))
        .await;
    assert!(
        description(&r).contains("513 characters"),
        "{}",
        description(&r)
    );
    // words before permissions: a moderator without Moderate Members, with a bad duration
    let other = lock_moderator(&w, "other");
    let r = w
        .say(other, &format!("chro timeout <@{}> 10x", w.member))
        .await;
    assert_eq!(
        description(&r),
        "`10x` is not a time unit: use s, m, h, d or w."
    );
    let r = w
        .say(other, &format!("chro timeout <@{}> 10m", w.member))
        .await;
    assert_eq!(
        description(&r),
        "You need the **Timeout Members** permission for this."
    );
    assert!(moderation::get(&w.db, gid(&w), 1).await.unwrap().is_none());
}
