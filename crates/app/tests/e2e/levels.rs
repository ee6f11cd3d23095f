//! Levels end to end: chatting earns XP (buffered in memory, nothing written inside the
//! cooldown, commands and repeated text earn nothing), reaching a level posts the server's
//! level-up text and gives the reward role (once), the buffer is written at shutdown; the rank
//! card is a PNG of the card's size; the leaderboard pages; XP admin commands are refused to
//! members, work for admins (audited) and the reset asks to confirm.

use std::time::{Duration, Instant};

use chronix_core::ids::{GuildId, UserId};
use chronix_discord::features::levels::chat::LevelsState;
use chronix_sandbox::Id;
use chronix_storage::levels::{self as store, XpGrant};

use crate::helpers::*;

fn gid(w: &World) -> GuildId {
    GuildId::from_db(w.guild.id as i64)
}

fn uid(id: Id) -> UserId {
    UserId::from_db(id as i64)
}

/// XP the bot holds in memory, not written yet.
fn pending(w: &World) -> i64 {
    w.bot().data().state::<LevelsState>().pending_xp()
}

/// Waits until the bot's buffer holds `xp`.
async fn wait_pending(w: &World, xp: i64) {
    let end = Instant::now() + REPLY;
    while pending(w) != xp {
        assert!(
            Instant::now() < end,
            "pending XP {} never reached {xp}",
            pending(w)
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

async fn configure(w: &World, text: &str) {
    let m = w.say(w.owner, text).await;
    assert_eq!(
        title(&m),
        "✅ Level settings saved",
        "{text}: {}",
        description(&m)
    );
}

async fn chatting_levels_up(backend: Backend) {
    let (mut w, _) = World::start_with(Setup {
        backend,
        ..Setup::default()
    })
    .await;
    let s = w.db.storage();
    let role = w.sb.create_role(w.guild.id, "Level 1", 0);
    // Every message earns exactly 60 XP; no cooldown so the test needs no clock.
    configure(&w, "chro levelconfig xprate 60 60 0").await;
    configure(&w, &format!("chro levelconfig reward 1 <@&{role}>")).await;
    configure(
        &w,
        "chro levelconfig message GG {mention}, level {level} on {server}! @everyone",
    )
    .await;

    w.sb.send_message(w.member, w.guild.general, "hello there");
    wait_pending(&w, 60).await;
    assert_eq!(
        store::member(&s, gid(&w), uid(w.member)).await.unwrap().xp,
        0,
        "buffered, not written"
    );
    // Commands, short and repeated messages earn nothing.
    let _ = w.say(w.member, "chro ping").await;
    w.sb.send_message(w.member, w.guild.general, "ok");
    w.sb.send_message(w.member, w.guild.general, "Hello, there!");
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(pending(&w), 60);

    // 120 XP ≥ 100: level 1 right away, with the text and the role.
    let m = w.say(w.member, "second message").await;
    assert_eq!(
        m.content,
        format!("GG <@{}>, level 1 on Test Guild! @everyone", w.member)
    );
    let is_level_up = |c: &chronix_sandbox::RestCall| {
        c.body
            .as_ref()
            .is_some_and(|b| b["content"].as_str().is_some_and(|t| t.starts_with("GG")))
    };
    let end = Instant::now() + REPLY;
    let call = loop {
        let posts = w.rest("POST", &format!("/channels/{}/messages", w.guild.general));
        if let Some(c) = posts.into_iter().rev().find(is_level_up) {
            break c;
        }
        assert!(
            Instant::now() < end,
            "the level-up message is not in the REST log"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    };
    let allowed = &call.body.unwrap()["allowed_mentions"];
    assert_eq!(
        allowed["users"],
        serde_json::json!([w.member.to_string()]),
        "pings the member only"
    );
    assert_eq!(allowed["parse"], serde_json::json!([]));
    let end = Instant::now() + REPLY;
    while !w
        .sb
        .member(w.guild.id, w.member)
        .unwrap()
        .roles
        .contains(&role)
    {
        assert!(Instant::now() < end, "the reward role was not given");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let mx = store::member(&s, gid(&w), uid(w.member)).await.unwrap();
    assert_eq!((mx.xp, mx.level, mx.global_xp), (120, 1, 120));
    assert_eq!(pending(&w), 0);
    assert_eq!(
        store::grants(&s, gid(&w), uid(w.member))
            .await
            .unwrap()
            .len(),
        1
    );
    let adds = w.rest("PUT", &format!("/roles/{role}")).len();
    assert_eq!(adds, 1);

    // An admin takes the level away and the member earns it again: the role is not given twice.
    let m = w
        .say(w.owner, &format!("chro xp set <@{}> 0", w.member))
        .await;
    assert_eq!(title(&m), "✅ XP changed");
    w.sb.send_message(w.member, w.guild.general, "third words here");
    wait_pending(&w, 60).await;
    let m = w.say(w.member, "fourth words here").await;
    assert!(m.content.starts_with("GG"), "{}", m.content);
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(
        w.rest("PUT", &format!("/roles/{role}")).len(),
        1,
        "level 1's reward is granted once"
    );

    // What is buffered at shutdown is written.
    w.sb.send_message(w.member, w.guild.general, "fifth words here");
    wait_pending(&w, 60).await;
    w.bot.take().unwrap().shutdown().await;
    let mx = store::member(&s, gid(&w), uid(w.member)).await.unwrap();
    assert_eq!((mx.xp, mx.level), (180, 1));
    assert_eq!(
        mx.global_xp, 300,
        "global XP counts every chat XP, admin changes aside"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn chatting_levels_a_member_up_with_the_message_and_the_role() {
    chatting_levels_up(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn chatting_levels_a_member_up_on_postgres() {
    chatting_levels_up(Backend::Postgres).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn rank_card_is_a_png_of_the_card_size() {
    let w = World::start().await;
    configure(&w, "chro levelconfig xprate 40 40 0").await;
    w.sb.send_message(w.member, w.guild.general, "hello everyone");
    wait_pending(&w, 40).await;
    let m = w.say(w.member, "chro rank").await;
    assert_eq!(title(&m), "💠 Your rank");
    let other = w.say(w.owner, &format!("chro rank <@{}>", w.member)).await;
    assert_eq!(title(&other), "💠 Rank of member");
    assert_eq!(field(&m, "Level"), "0");
    assert_eq!(field(&m, "XP"), "40 / 100 XP");
    assert_eq!(
        field(&m, "Rank"),
        "#1",
        "rank flushes the member's buffered XP first"
    );
    assert_eq!(m.attachments.len(), 1);
    let png = &m.attachments[0];
    assert_eq!(png.filename, "rank.png");
    assert_eq!(
        chronix_render::png_size(&png.data),
        Some(chronix_render::RANK_CARD_SIZE)
    );
    if let Ok(path) = std::env::var("CHRONIX_CARD_OUT") {
        std::fs::write(path, &png.data).unwrap();
    }
    let m = w.say(w.member, &format!("chro rank <@{}>", w.owner)).await;
    assert_eq!(field(&m, "Rank"), "not ranked yet");
    let m = w
        .say(w.member, &format!("chro rank <@{}>", w.sb.bot_id()))
        .await;
    assert_eq!(title(&m), "❌ Levels");
    assert_eq!(description(&m), "Bots have no levels.");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn the_rank_card_draws_the_avatar_and_the_server_banner_from_the_cdn() {
    let w = World::start().await;
    // Before: the member has Discord's default avatar and the server no banner.
    let plain = w.say(w.member, "chro rank").await;
    let plain = &plain.attachments[0].data;
    let (r, g, b) = png_pixel(plain, 141, 141);
    assert!(
        !(r > 200 && g > 200 && b < 60),
        "initials' colour, not yellow"
    );

    w.sb.set_avatar(w.member, Some(solid_png(128, 128, "#ffd800")))
        .unwrap();
    w.sb.set_guild_banner(w.guild.id, Some(solid_png(960, 540, "#0050ff")))
        .unwrap();
    let cache = w.bot().data().guilds().clone();
    let until = Instant::now() + REPLY;
    while cache
        .banner(chronix_discord::serenity::GuildId::new(w.guild.id))
        .is_none()
    {
        assert!(
            Instant::now() < until,
            "GUILD_UPDATE with the banner never arrived"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let m = w.say(w.member, "chro rank").await;
    let png = &m.attachments[0].data;
    assert_eq!(
        chronix_render::png_size(png),
        Some(chronix_render::RANK_CARD_SIZE)
    );
    if let Ok(path) = std::env::var("CHRONIX_CARD_OUT") {
        std::fs::write(path, png).unwrap();
    }
    // The ring is the avatar; the card's edge shows the blue banner through its colour.
    assert_eq!(png_pixel(png, 141, 141), (255, 216, 0));
    let (r, _, b) = png_pixel(png, 8, 140);
    assert!(b > r + 60, "the banner shows behind the card: {r} vs {b}");
    // The owner has no avatar: their ring keeps the initials, on the same banner.
    let theirs = w.say(w.member, &format!("chro rank <@{}>", w.owner)).await;
    assert_ne!(
        png_pixel(&theirs.attachments[0].data, 141, 141),
        (255, 216, 0)
    );
    // Both pictures were fetched once and kept (one avatar, one banner).
    let kept = w
        .bot()
        .data()
        .state::<chronix_discord::pictures::Pictures>()
        .len();
    assert_eq!(kept, 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn leaderboard_pages_server_and_global() {
    let w = World::start().await;
    let s = w.db.storage();
    let users = w.sb.create_users("player", 12);
    let grants: Vec<XpGrant> = users
        .iter()
        .enumerate()
        .map(|(i, u)| XpGrant {
            guild: gid(&w),
            user: uid(*u),
            xp: 100 * (i as i64 + 1),
            global: i % 2 == 0,
        })
        .collect();
    let curve = |_| chronix_core::levels::default_curve();
    store::grant(
        &s,
        &grants,
        &curve,
        &chronix_core::xp::XpCurve::default(),
        chrono::Utc::now(),
    )
    .await
    .unwrap();
    let m = w.say(w.member, "chro levels").await;
    assert_eq!(title(&m), "💠 Server levels");
    let d = description(&m);
    let lines: Vec<&str> = d.lines().collect();
    assert_eq!(lines.len(), 10);
    assert_eq!(
        lines[0],
        format!("`#1` <@{}> • level **5** • 1,200 XP", users[11])
    );
    let labels: Vec<String> = m.buttons().into_iter().filter_map(|b| b.1).collect();
    assert!(labels.contains(&"1/2".to_string()), "{labels:?}");
    let click = w.sb.click_button(w.member, m.id, "Next ▶").unwrap();
    let p2 = w.sb.wait_for_reply(&click, REPLY).await.unwrap();
    let d = description(&p2);
    assert_eq!(d.lines().count(), 2);
    assert_eq!(
        d.lines().next().unwrap(),
        format!("`#11` <@{}> • level **1** • 200 XP", users[1])
    );
    let _ =
        w.sb.wait_for_message(w.guild.general, Duration::from_millis(300))
            .await;
    let m = w.say(w.member, "chro levels global").await;
    assert_eq!(title(&m), "💠 Global levels");
    let d = description(&m);
    assert_eq!(d.lines().count(), 6, "half the grants counted globally");
    assert_eq!(
        d.lines().next().unwrap(),
        format!("`#1` <@{}> • level **4** • 1,100 XP", users[10])
    );
    let m = w.say(w.member, "chro levels everywhere").await;
    assert_eq!(description(&m), "Say `server` or `global`.");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn xp_admin_commands_are_refused_to_members_and_audited_for_admins() {
    let w = World::start().await;
    let s = w.db.storage();
    for text in [
        format!("chro xp set <@{}> 100", w.owner),
        "chro xp reset".to_string(),
        "chro levelconfig show".to_string(),
        "chro levelconfig xprate 1 2 3".to_string(),
    ] {
        let m = w.say(w.member, &text).await;
        assert_eq!(title(&m), "❌ Not allowed", "{text}");
    }
    assert_eq!(
        store::member(&s, gid(&w), uid(w.owner)).await.unwrap().xp,
        0
    );

    let m = w
        .say(w.owner, &format!("chro xp set <@{}> 300", w.member))
        .await;
    assert_eq!(title(&m), "✅ XP changed");
    assert_eq!(
        description(&m),
        format!("<@{}>: 0 → **300** XP (level 2).", w.member)
    );
    let m = w
        .say(w.owner, &format!("chro xp remove <@{}> 50", w.member))
        .await;
    assert_eq!(
        description(&m),
        format!("<@{}>: 300 → **250** XP (level 1).", w.member)
    );
    let m = w
        .say(w.owner, &format!("chro xp add <@{}> 0", w.member))
        .await;
    assert_eq!(description(&m), "The amount must be more than 0.");
    let m = w.say(w.owner, "chro levelconfig reward 501 <@&1>").await;
    assert_eq!(title(&m), "❌ Levels");
    let m = w.say(w.owner, "chro levelconfig xprate 30 10 60").await;
    assert_eq!(
        description(&m),
        "The XP range 30–10 is not valid: 0 ≤ min ≤ max ≤ 1,000."
    );

    let m = w.say(w.owner, "chro xp reset").await;
    assert_eq!(title(&m), "⚠️ Reset the server's levels?");
    w.sb.settle(Duration::from_millis(200), REPLY)
        .await
        .unwrap();
    let click = w.sb.click_button(w.owner, m.id, "Confirm").unwrap();
    let done = w.sb.wait_for_reply(&click, REPLY).await.unwrap();
    assert_eq!(
        description(&done),
        "Server levels reset: 1 members back to 0."
    );
    assert_eq!(
        store::member(&s, gid(&w), uid(w.member)).await.unwrap().xp,
        0
    );
    let actions: Vec<String> = chronix_storage::audit::recent(&s, 10)
        .await
        .unwrap()
        .into_iter()
        .rev()
        .map(|e| e.action)
        .collect();
    assert_eq!(
        actions,
        ["levels.xp_set", "levels.xp_remove", "levels.reset"]
    );
}
