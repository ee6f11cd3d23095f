//! Welcomer end to end: the `welcome setup` wizard (every step, the filled-in preview, a role
//! above the bot refused with its reason, saved as one record); a member joining gets the
//! welcome with its banner (a PNG of the banner's size) pinging only them, the intro guide by
//! DM, the auto roles, the starter kit and the XP boost; a bot gets the bot roles only; leaving
//! posts the farewell; rejoining gives no second kit; delayed roles come from one job; roles
//! after membership screening come when the member passes it; `welcome test`, `disable`
//! and the refusals for non-admins.

use std::time::{Duration, Instant};

use chronix_core::economy::Chrons;
use chronix_core::ids::{ChannelId, GuildId, RoleId, UserId};
use chronix_core::welcome::{KitItem, WelcomeSettings};
use chronix_sandbox::{ChannelKind, Id, Message};
use chronix_storage::welcome as store;

use crate::helpers::*;

fn gid(w: &World) -> GuildId {
    GuildId::from_db(w.guild.id as i64)
}

fn uid(id: Id) -> UserId {
    UserId::from_db(id as i64)
}

fn rid(id: Id) -> RoleId {
    RoleId::from_db(id as i64)
}

fn cid(id: Id) -> ChannelId {
    ChannelId::from_db(id as i64)
}

/// Waits until `user` has `role`.
async fn wait_role(w: &World, user: Id, role: Id) {
    let end = Instant::now() + REPLY;
    while !w
        .sb
        .member(w.guild.id, user)
        .is_some_and(|m| m.roles.contains(&role))
    {
        assert!(Instant::now() < end, "role {role} never given to {user}");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

fn has_role(w: &World, user: Id, role: Id) -> bool {
    w.sb.member(w.guild.id, user)
        .is_some_and(|m| m.roles.contains(&role))
}

async fn save(w: &World, s: &WelcomeSettings) {
    store::save_settings(&w.db.storage(), gid(w), uid(w.owner), s, chrono::Utc::now())
        .await
        .unwrap();
    // Written behind the bot's back (as the dashboard would): the bot's cached copy is dropped
    // as a settings command does.
    chronix_discord::features::welcome::settings_changed(w.bot().data(), gid(w));
}

/// The welcome's banner: one `welcome.png` of the banner's size.
fn assert_banner(m: &Message) {
    assert_eq!(m.attachments.len(), 1, "{m:?}");
    let png = &m.attachments[0];
    assert_eq!(png.filename, "welcome.png");
    assert_eq!(
        chronix_render::png_size(&png.data),
        Some(chronix_render::BANNER_SIZE)
    );
    if let Ok(path) = std::env::var("CHRONIX_BANNER_OUT") {
        std::fs::write(path, &png.data).unwrap();
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn the_setup_wizard_previews_and_saves_the_welcomer() {
    let w = World::start().await;
    let g = w.guild.id;
    let bye = w.sb.create_channel(g, "goodbye", ChannelKind::Text);
    let members = w.sb.create_role(g, "Members", 0);
    let bots = w.sb.create_role(g, "Bots", 0);
    let admins = w.sb.create_role(g, "Admins", 0);
    w.sb.update_role(admins, |r| r.position = 50);

    let r = w.say(w.member, "chro welcome setup").await;
    assert_eq!(title(&r), "❌ Not allowed");
    assert_eq!(
        description(&r),
        "You need the **admin** tier to use `welcome setup`."
    );

    let m = w.say(w.owner, "chro welcome setup").await;
    assert_eq!(title(&m), "ℹ️ Where");
    let m = pick(&w, w.owner, &m, "wch", &[&g_general(&w)]).await;
    let m = pick(&w, w.owner, &m, "fch", &[&bye.to_string()]).await;
    let m = click(&w, w.owner, &m, "Turn the DM on").await;
    assert_eq!(field(&m, "Intro guide by DM"), "on");
    let m = click(&w, w.owner, &m, "Next ▶").await;

    assert_eq!(title(&m), "ℹ️ Texts");
    let m = modal(
        &w,
        w.owner,
        &m,
        "Edit texts",
        &[
            (
                "welcome",
                "Hi {mention}! You are #{position} on {server}, invited by {inviter}. @everyone",
            ),
            ("farewell", "{user} left {server}."),
            ("dm", "Guide for {user}: read the rules."),
        ],
    )
    .await;
    assert_eq!(
        field(&m, "Welcome (text)"),
        format!(
            "Hi <@{}>! You are #3 on Test Guild, invited by someone. @everyone",
            w.owner
        ),
        "the text filled in as the admin would see it"
    );
    assert_eq!(field(&m, "Intro guide"), "Guide for owner: read the rules.");
    let m = click(&w, w.owner, &m, "Farewell as embed").await;
    assert_eq!(field(&m, "Farewell (embed)"), "owner left Test Guild.");
    let m = click(&w, w.owner, &m, "Next ▶").await;

    assert_eq!(title(&m), "ℹ️ Banner");
    let m = pick(&w, w.owner, &m, "ban", &["#57f287"]).await;
    assert_eq!(field(&m, "Banner"), "on, #57f287");
    let m = click(&w, w.owner, &m, "Next ▶").await;

    assert_eq!(title(&m), "ℹ️ Auto roles");
    // A role above the bot's highest role is refused with the reason; nothing is stored.
    let i =
        w.sb.select(w.owner, m.id, &select(&m, "roles"), &[&admins.to_string()])
            .unwrap();
    let r = w.sb.wait_for_reply(&i, REPLY).await.unwrap();
    assert!(r.is_ephemeral(), "{r:?}");
    assert_eq!(title(&r), "❌ Welcomer");
    assert_eq!(
        description(&r),
        "Chronix cannot give **Admins**: it is at or above Chronix's highest role. Move Chronix's role above it in the server settings, or pick another role."
    );
    let m = pick(&w, w.owner, &m, "roles", &[&members.to_string()]).await;
    let m = pick(&w, w.owner, &m, "bots", &[&bots.to_string()]).await;
    let m = pick(&w, w.owner, &m, "when", &["300"]).await;
    assert_eq!(field(&m, "Member roles"), format!("<@&{members}>"));
    assert_eq!(field(&m, "Roles given"), "after 5 minutes");
    let m = click(&w, w.owner, &m, "Next ▶").await;

    assert_eq!(title(&m), "ℹ️ Gifts");
    // An item the game does not have is refused by name; nothing changes.
    let open = w.sb.click_button(w.owner, m.id, "Edit gifts").unwrap();
    w.sb.wait_for_response(&open, REPLY).await.unwrap();
    let i =
        w.sb.submit_modal(
            w.owner,
            &open,
            &[
                ("chrons", "250"),
                ("pct", "200"),
                ("hours", "24"),
                ("items", "hunting_lure x2, dragon_egg"),
            ],
        )
        .unwrap();
    let r = w.sb.wait_for_reply(&i, REPLY).await.unwrap();
    assert!(r.is_ephemeral(), "{r:?}");
    assert_eq!(
        description(&r),
        "There is no item `dragon_egg` (see `shop` for item ids)."
    );
    let m = modal(
        &w,
        w.owner,
        &m,
        "Edit gifts",
        &[
            ("chrons", "250"),
            ("pct", "200"),
            ("hours", "24"),
            ("items", "Hunting_Lure x2, basic_crate"),
        ],
    )
    .await;
    assert_eq!(
        field(&m, "Starter kit"),
        "250 Chrons, 2 × 🪝 Hunting Lure, 1 × 📦 Basic Crate"
    );
    assert_eq!(field(&m, "XP boost"), "200 % for 24 hours");
    let m = click(&w, w.owner, &m, "Next ▶").await;

    // The preview: every choice, texts filled in.
    assert_eq!(title(&m), "ℹ️ Welcomer setup");
    assert_eq!(
        field(&m, "Welcome channel"),
        format!("<#{}>", w.guild.general)
    );
    assert_eq!(field(&m, "Farewell channel"), format!("<#{bye}>"));
    assert_eq!(field(&m, "Bot roles"), format!("<@&{bots}>"));
    assert!(field(&m, "Welcome (text)").starts_with(&format!("Hi <@{}>!", w.owner)));
    let m = click(&w, w.owner, &m, "Next ▶").await;
    let done = click(&w, w.owner, &m, "Confirm").await;
    assert_eq!(title(&done), "✅ Welcomer saved");

    let s = store::settings(&w.db.storage(), gid(&w)).await.unwrap();
    assert_eq!(
        s,
        WelcomeSettings {
            enabled: true,
            channel: Some(cid(w.guild.general)),
            dm: true,
            dm_message: "Guide for {user}: read the rules.".into(),
            message:
                "Hi {mention}! You are #{position} on {server}, invited by {inviter}. @everyone"
                    .into(),
            embed: false,
            banner: true,
            banner_color: "#57f287".into(),
            farewell_channel: Some(cid(bye)),
            farewell: "{user} left {server}.".into(),
            farewell_embed: true,
            auto_roles: vec![rid(members)],
            bot_roles: vec![rid(bots)],
            role_delay_secs: 300,
            after_screening: false,
            starter_chrons: 250,
            starter_items: vec![
                KitItem {
                    item: "hunting_lure".into(),
                    quantity: 2
                },
                KitItem {
                    item: "basic_crate".into(),
                    quantity: 1
                },
            ],
            xp_boost_pct: 200,
            xp_boost_hours: 24,
        }
    );
}

fn g_general(w: &World) -> String {
    w.guild.general.to_string()
}

async fn joining_and_leaving(backend: Backend) {
    let (w, _) = World::start_with(Setup {
        backend,
        ..Setup::default()
    })
    .await;
    let g = w.guild.id;
    let storage = w.db.storage();
    let bye = w.sb.create_channel(g, "goodbye", ChannelKind::Text);
    let members = w.sb.create_role(g, "Members", 0);
    let bots = w.sb.create_role(g, "Bots", 0);
    save(
        &w,
        &WelcomeSettings {
            channel: Some(cid(w.guild.general)),
            dm: true,
            message: "Welcome {mention} (#{position} of {members}) @everyone".into(),
            farewell_channel: Some(cid(bye)),
            farewell: "{user} left {server}.".into(),
            farewell_embed: true,
            auto_roles: vec![rid(members)],
            bot_roles: vec![rid(bots)],
            starter_chrons: 250,
            starter_items: vec![KitItem {
                item: "scholar_scroll".into(),
                quantity: 3,
            }],
            xp_boost_pct: 150,
            xp_boost_hours: 12,
            ..WelcomeSettings::default()
        },
    )
    .await;

    let ann = w.sb.create_user("ann");
    w.sb.set_avatar(ann, Some(solid_png(96, 96, "#ff2d95")))
        .unwrap();
    w.sb.add_member(g, ann);
    let m = w.sb.wait_for_message(w.guild.general, REPLY).await.unwrap();
    assert_eq!(m.content, format!("Welcome <@{ann}> (#4 of 4) @everyone"));
    assert_banner(&m);
    // Ann's avatar is in the banner's ring (fetched from the CDN by its hash).
    assert_eq!(png_pixel(&m.attachments[0].data, 512, 110), (255, 45, 149));
    let end = Instant::now() + REPLY;
    let call = loop {
        if let Some(c) = w
            .rest("POST", &format!("/channels/{}/messages", w.guild.general))
            .pop()
        {
            break c;
        }
        assert!(Instant::now() < end, "the welcome is not in the REST log");
        tokio::time::sleep(Duration::from_millis(20)).await;
    };
    let allowed = call.body.unwrap()["allowed_mentions"].clone();
    assert_eq!(allowed["users"], serde_json::json!([ann.to_string()]));
    assert_eq!(
        allowed["parse"],
        serde_json::json!([]),
        "no @everyone, no roles"
    );
    let dm = w.sb.wait_for_dm(ann, REPLY).await.unwrap();
    assert_eq!(
        dm.content,
        "👋 Welcome to **Test Guild**, ann! Read the rules and say hello in the chat."
    );
    wait_role(&w, ann, members).await;
    assert!(!has_role(&w, ann, bots));
    assert_eq!(
        chronix_storage::economy::balance(&storage, uid(ann))
            .await
            .unwrap(),
        Chrons::new(250)
    );
    assert_eq!(
        chronix_storage::inventory::list(&storage, uid(ann))
            .await
            .unwrap()
            .quantity("scholar_scroll"),
        3,
        "the starter items come with the Chrons"
    );
    let boost = chronix_storage::xp_boosts::active(&storage, gid(&w), uid(ann), chrono::Utc::now())
        .await
        .unwrap()
        .expect("the welcome XP boost");
    assert_eq!(boost.pct, 150);

    // A bot gets the bot roles, no DM, no kit.
    let helper = w.sb.create_bot_user("HelperBot");
    w.sb.add_member(g, helper);
    let m = w.sb.wait_for_message(w.guild.general, REPLY).await.unwrap();
    assert!(m.content.starts_with(&format!("Welcome <@{helper}>")));
    wait_role(&w, helper, bots).await;
    assert!(!has_role(&w, helper, members));
    assert_eq!(
        chronix_storage::economy::balance(&storage, uid(helper))
            .await
            .unwrap(),
        Chrons::new(0)
    );

    // Leaving: the farewell (an embed), pinging nobody.
    w.sb.remove_member(g, ann);
    let f = w.sb.wait_for_message(bye, REPLY).await.unwrap();
    assert_eq!(title(&f), "ℹ️ Goodbye from Test Guild");
    assert_eq!(description(&f), "ann left Test Guild.");

    // Rejoining: welcomed and given the roles again, but no second kit.
    w.sb.add_member(g, ann);
    let m = w.sb.wait_for_message(w.guild.general, REPLY).await.unwrap();
    assert!(m.content.starts_with(&format!("Welcome <@{ann}>")));
    wait_role(&w, ann, members).await;
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert_eq!(
        chronix_storage::economy::balance(&storage, uid(ann))
            .await
            .unwrap(),
        Chrons::new(250),
        "the starter kit is given once"
    );
    assert!(
        chronix_storage::economy::reconcile(&storage)
            .await
            .unwrap()
            .is_empty()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn members_are_welcomed_with_banner_roles_and_gifts_and_farewelled() {
    joining_and_leaving(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn members_are_welcomed_and_farewelled_on_postgres() {
    joining_and_leaving(Backend::Postgres).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn delayed_roles_come_from_one_job_and_screened_roles_after_screening() {
    let w = World::start().await;
    let g = w.guild.id;
    let members = w.sb.create_role(g, "Members", 0);
    let base = WelcomeSettings {
        auto_roles: vec![rid(members)],
        banner: false,
        ..WelcomeSettings::default()
    };
    save(
        &w,
        &WelcomeSettings {
            role_delay_secs: 2,
            ..base.clone()
        },
    )
    .await;
    let ann = w.sb.create_user("ann");
    w.sb.add_member(g, ann);
    tokio::time::sleep(Duration::from_millis(700)).await;
    assert!(!has_role(&w, ann, members), "not before the delay");
    let end = Instant::now() + Duration::from_secs(8);
    while !has_role(&w, ann, members) {
        assert!(Instant::now() < end, "the delayed role never came");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(
        w.rest("PUT", &format!("/members/{ann}/roles/{members}"))
            .len(),
        1,
        "given once"
    );

    // After screening: nothing while pending, the roles once the member passes it.
    save(
        &w,
        &WelcomeSettings {
            after_screening: true,
            ..base
        },
    )
    .await;
    let bob = w.sb.create_user("bob");
    w.sb.add_pending_member(g, bob);
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert!(!has_role(&w, bob, members), "pending members wait");
    w.sb.pass_screening(g, bob).unwrap();
    wait_role(&w, bob, members).await;
    // Another update of the member gives nothing again.
    w.sb.take_role(g, bob, members).unwrap();
    w.sb.give_role(g, bob, w.sb.create_role(g, "Other", 0));
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert!(
        !has_role(&w, bob, members),
        "screening roles are given once"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn welcome_test_show_and_disable_are_for_admins() {
    let w = World::start().await;
    save(
        &w,
        &WelcomeSettings {
            channel: Some(cid(w.guild.general)),
            ..WelcomeSettings::default()
        },
    )
    .await;
    for cmd in ["test", "show", "disable"] {
        let r = w.say(w.member, &format!("chro welcome {cmd}")).await;
        assert_eq!(
            description(&r),
            format!("You need the **admin** tier to use `welcome {cmd}`.")
        );
    }
    let m = w.say(w.owner, "chro welcome test").await;
    assert_eq!(
        m.content,
        format!(
            "👋 Welcome <@{}> to **Test Guild**! You are member #3.",
            w.owner
        )
    );
    assert_banner(&m);

    let m = w.say(w.owner, "chro welcome show").await;
    assert_eq!(title(&m), "ℹ️ Welcomer");
    assert_eq!(description(&m), "The welcomer is on.");
    assert_eq!(
        field(&m, "Welcome channel"),
        format!("<#{}>", w.guild.general)
    );

    let m = w.say(w.owner, "chro welcome disable").await;
    assert_eq!(title(&m), "✅ Welcomer saved");
    assert!(
        !store::settings(&w.db.storage(), gid(&w))
            .await
            .unwrap()
            .enabled
    );
    let ann = w.sb.create_user("ann");
    w.sb.add_member(w.guild.id, ann);
    assert!(
        w.sb.wait_for_message(w.guild.general, SILENCE)
            .await
            .is_err(),
        "a disabled welcomer says nothing"
    );
    let m = w.say(w.owner, "chro welcome enable").await;
    assert_eq!(description(&m), "The welcomer is on again.");
}

#[tokio::test]
async fn the_welcome_names_the_inviter_from_the_invite_tracker() {
    use chronix_sandbox::perms::bits;
    let w = World::start().await;
    let g = w.guild.id;
    // The bot may read invites (Manage Server); alice joins first (unknown) and makes an invite.
    w.sb.set_bot_permissions(g, bits::DEFAULT_BOT | bits::MANAGE_GUILD);
    let alice = w.sb.create_user("alice");
    w.sb.add_member(g, alice);
    let storage = w.db.storage();
    let end = Instant::now() + REPLY;
    while chronix_storage::invites::last_join(&storage, gid(&w), uid(alice))
        .await
        .unwrap()
        .is_none()
    {
        assert!(Instant::now() < end, "alice's join was never stored");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let code = w.sb.create_invite(alice, w.guild.general).unwrap();
    save(
        &w,
        &WelcomeSettings {
            channel: Some(cid(w.guild.general)),
            message: "Hi {mention}, invited by {inviter}.".into(),
            ..WelcomeSettings::default()
        },
    )
    .await;
    tokio::time::sleep(Duration::from_millis(200)).await;
    let bob = w.sb.create_user("bob");
    w.sb.join_via_invite(bob, &code).unwrap();
    let m = w.sb.wait_for_message(w.guild.general, REPLY).await.unwrap();
    assert_eq!(m.content, format!("Hi <@{bob}>, invited by <@{alice}>."));
}
