//! The real bot runs every command of `docs/commands.md` (prefix forms, a few slash forms and
//! button clicks) with the REST log and a gateway recorder on; every request it sent, every
//! response and event the sandbox gave must agree with Discord's OpenAPI description
//! (`chronix_sandbox::openapi`, known departures excepted, each with its reason).

use std::collections::BTreeSet;

use chronix_sandbox::openapi::Spec;
use chronix_sandbox::{CommandCall, Id};

use crate::helpers::*;

/// Every gateway intent bit, so the recorder sees every event.
const ALL_INTENTS: u64 = (1 << 26) - 1;

/// Send `text` in `channel` as `user` and wait for the bot's answer there (`None` if none came).
async fn run(w: &World, user: Id, channel: Id, text: &str) -> Option<chronix_sandbox::Message> {
    w.sb.send_message(user, channel, text);
    w.sb.wait_for_message(channel, REPLY).await.ok()
}

/// The prefix forms of docs/commands.md without their arguments (`chro market sell`).
fn documented_commands() -> Vec<String> {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../docs/commands.md");
    let text = std::fs::read_to_string(path).expect("docs/commands.md");
    text.lines()
        .filter_map(|l| l.strip_prefix("| `"))
        .filter_map(|l| l.split('`').next())
        .filter(|c| c.starts_with("chro "))
        .map(|c| {
            c.split(' ')
                .take_while(|w| !w.starts_with('<') && !w.starts_with('['))
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect()
}

#[tokio::test]
async fn every_command_agrees_with_discords_openapi_description() {
    let backups = std::env::temp_dir().join(format!("chronix-openapi-{}", std::process::id()));
    let (w, dev) = World::start_with(Setup {
        dev_guild: true,
        env: vec![("BACKUP_DIR", backups.display().to_string())],
        ..Setup::default()
    })
    .await;
    let dev = dev.expect("dev guild");
    let rec = w.sb.record_events(ALL_INTENTS);
    let s = w.db.storage();
    seed(&s, w.owner, 100_000).await;
    seed(&s, w.member, 100_000).await;
    let (owner, member, general) = (w.owner, w.member, w.guild.general);
    let member_mention = format!("<@{member}>");
    let owner_mention = format!("<@{owner}>");
    let error_log = format!("<#{}>", w.error_log);
    // moderation acts on a member of its own (kicked and banned along the way)
    let target = w.sb.create_user("target");
    w.sb.add_member(w.guild.id, target);
    let t = format!("<@{target}>");
    let lvl_role = format!("<@&{}>", w.sb.create_role(w.guild.id, "Level 5", 0));
    let helpers = format!("<@&{}>", w.sb.create_role(w.guild.id, "Helpers", 0));

    let mut silent = Vec::new();
    let commands: Vec<(Id, String)> = [
        // general
        (member, "chro help".to_owned()),
        (member, "chro help pay".to_owned()),
        (member, "chro ping".to_owned()),
        (member, "chro about".to_owned()),
        (member, "chro prefix".to_owned()),
        (member, "chro prefix show".to_owned()),
        (owner, "chro prefix set !".to_owned()),
        (owner, "!prefix reset".to_owned()),
        (member, "chro module".to_owned()),
        (member, "chro module list".to_owned()),
        (owner, "chro module disable misc".to_owned()),
        (owner, "chro module enable misc".to_owned()),
        (member, "chro errorlog".to_owned()),
        (owner, format!("chro errorlog set {error_log}")),
        (owner, "chro errorlog clear".to_owned()),
        (member, "chro language".to_owned()),
        (member, "chro language show".to_owned()),
        (owner, "chro language set fr".to_owned()),
        (owner, "chro language reset".to_owned()),
        // misc
        (member, "chro roll 20".to_owned()),
        (member, "chro flip".to_owned()),
        (member, "chro serverinfo".to_owned()),
        // logging (its channels then receive the entries of everything below)
        (owner, "chro create-logs".to_owned()),
        (member, "chro logs".to_owned()),
        (owner, "chro logs show".to_owned()),
        (owner, format!("chro logs set vc {error_log}")),
        (owner, format!("chro logs ignore {error_log}")),
        (owner, format!("chro logs unignore {error_log}")),
        (owner, "chro logs disable vc".to_owned()),
        (owner, "chro logs enable vc".to_owned()),
        (owner, "chro logs privacy off".to_owned()),
        // economy
        (member, "chro balance".to_owned()),
        (member, format!("chro balance {owner_mention}")),
        (member, format!("chro pay {owner_mention} 50")),
        (member, "chro transactions".to_owned()),
        (member, "chro leaderboard".to_owned()),
        (member, "chro daily".to_owned()),
        (member, "chro weekly".to_owned()),
        (member, "chro work".to_owned()),
        (member, "chro beg".to_owned()),
        (member, "chro coinflip 10 tails".to_owned()),
        (member, "chro slots 10".to_owned()),
        (member, "chro dice 10 high".to_owned()),
        (member, "chro deposit 100".to_owned()),
        (member, "chro withdraw 50".to_owned()),
        (member, "chro shop".to_owned()),
        (owner, "chro buy pet_treat 3".to_owned()),
        (owner, "chro sell pet_treat 1".to_owned()),
        (member, "chro market".to_owned()),
        (owner, "chro market sell pet_treat 1 500".to_owned()),
        (member, "chro market list".to_owned()),
        (member, "chro market buy 1".to_owned()),
        (owner, "chro market sell pet_treat 1 700".to_owned()),
        (owner, "chro market cancel 2".to_owned()),
        (
            owner,
            format!("chro trade {member_mention} 300 for pet treat 1"),
        ),
        // hunt and autohunt
        (member, "chro hunt".to_owned()),
        (member, "chro inventory".to_owned()),
        (member, "chro autohunt".to_owned()),
        (member, "chro autohunt enable".to_owned()),
        (member, "chro autohunt status".to_owned()),
        (member, "chro autohunt upgrade efficiency".to_owned()),
        (member, "chro autohunt disable".to_owned()),
        // items (crates bought in the shop open like hunted ones; the reveal edits its message)
        (member, "chro buy basic_crate 2".to_owned()),
        (member, "chro crates".to_owned()),
        (member, "chro crate".to_owned()),
        (member, "chro crate list".to_owned()),
        (member, "chro crate open basic".to_owned()),
        (member, "chro opencrate all".to_owned()),
        (member, "chro gems".to_owned()),
        (member, "chro forge rare".to_owned()),
        // pets (refusals where the member has no such pet: replies all the same)
        (member, "chro pets".to_owned()),
        (member, "chro pet".to_owned()),
        (member, "chro pet list".to_owned()),
        (member, "chro pet adopt dust bunny".to_owned()),
        (member, "chro pet info 1".to_owned()),
        (member, "chro pet rename 1 Buddy".to_owned()),
        (member, "chro pet train 1".to_owned()),
        (member, "chro train 1".to_owned()),
        (member, "chro pet feed 1".to_owned()),
        (member, "chro pet evolve 1".to_owned()),
        (member, "chro pet prestige 1".to_owned()),
        (member, "chro pet team".to_owned()),
        (member, "chro pet team show".to_owned()),
        (member, "chro pet team add 1".to_owned()),
        (member, "chro pet team remove 1".to_owned()),
        (member, "chro pet release 1".to_owned()),
        (member, "chro use golden net".to_owned()),
        // weapons and gem sockets (refusals when the crates dropped none: still answers)
        (member, "chro weapons".to_owned()),
        (member, "chro weapon".to_owned()),
        (member, "chro weapon list".to_owned()),
        (member, "chro weapon info 1".to_owned()),
        (member, "chro weapon equip 1".to_owned()),
        (member, "chro weapon unequip".to_owned()),
        (member, "chro weapon enhance 1".to_owned()),
        (member, "chro weapon scrap 1".to_owned()),
        (member, "chro gem empower 1 1".to_owned()),
        (member, "chro empower 1 1".to_owned()),
        (member, "chro gem unsocket 1 1".to_owned()),
        // levels
        (member, "chro rank".to_owned()),
        (member, format!("chro rank {owner_mention}")),
        (member, "chro levels".to_owned()),
        (owner, "chro levelconfig".to_owned()),
        (owner, "chro levelconfig show".to_owned()),
        (owner, "chro levelconfig xprate 15 25 60 3".to_owned()),
        (owner, "chro levelconfig curve 5 50 100".to_owned()),
        (owner, "chro levelconfig announce here".to_owned()),
        (
            owner,
            "chro levelconfig message GG {mention}, level {level}!".to_owned(),
        ),
        (owner, "chro levelconfig card true".to_owned()),
        (owner, format!("chro levelconfig reward 5 {lvl_role}")),
        (owner, "chro levelconfig unreward 5".to_owned()),
        (owner, "chro levelconfig stack false".to_owned()),
        (owner, format!("chro levelconfig ignore {error_log}")),
        (owner, format!("chro levelconfig multiplier 150 {lvl_role}")),
        (owner, "chro levelconfig booster 120".to_owned()),
        (owner, "chro levelconfig scope server".to_owned()),
        (owner, "chro levelconfig color #336699".to_owned()),
        (owner, "chro xp".to_owned()),
        (owner, format!("chro xp set {member_mention} 500")),
        (owner, format!("chro xp add {member_mention} 50")),
        (owner, format!("chro xp remove {member_mention} 20")),
        (owner, "chro xp reset".to_owned()),
        // moderation
        (owner, format!("chro warn {t} spam")),
        (owner, format!("chro warnings {t}")),
        (owner, "chro unwarn 1".to_owned()),
        (owner, format!("chro clearwarns {t}")),
        (owner, format!("chro timeout {t} 10m flood")),
        (owner, format!("chro untimeout {t}")),
        (owner, "chro case 2".to_owned()),
        (owner, "chro case show 2".to_owned()),
        (owner, "chro case reason 2 flooding".to_owned()),
        (owner, format!("chro modlogs {t}")),
        (owner, "chro case delete 3".to_owned()),
        (owner, "chro moddm on".to_owned()),
        (owner, format!("chro role add {member_mention} {helpers}")),
        (owner, format!("chro role remove {member_mention} helpers")),
        (owner, "chro lock raid".to_owned()),
        (owner, "chro unlock".to_owned()),
        (owner, "chro lockdown raid".to_owned()),
        (owner, "chro lockdown start".to_owned()),
        (owner, "chro lockdown end".to_owned()),
        (owner, format!("chro kick {t}")),
        (owner, format!("chro ban {target} 1h raid")),
        (owner, format!("chro unban {target}")),
        (owner, format!("chro softban {target}")),
        (owner, "chro slowmode 5s".to_owned()),
        (owner, "chro slowmode off".to_owned()),
        (owner, format!("chro nick {member_mention} Sparky")),
        (owner, "chro purge 3 bots".to_owned()),
        // mass actions: a preview (not confirmed)
        (owner, "chro massban joined:1h".to_owned()),
        (owner, "chro masskick joined:1h".to_owned()),
        // invites
        (member, "chro invites".to_owned()),
        (member, format!("chro invites show {owner_mention}")),
        (member, "chro invites leaderboard".to_owned()),
        (member, format!("chro invites who {member_mention}")),
        (owner, "chro invites bonus".to_owned()),
        (owner, format!("chro invites bonus add {member_mention} 3")),
        (
            owner,
            format!("chro invites bonus remove {member_mention} 1"),
        ),
        (owner, format!("chro invites channel <#{general}>")),
        (owner, format!("chro invites reward 5 {lvl_role}")),
        (owner, "chro invites unreward 5".to_owned()),
        // welcome
        (owner, "chro welcome".to_owned()),
        (owner, "chro welcome show".to_owned()),
        (owner, "chro welcome enable".to_owned()),
        (owner, "chro welcome test".to_owned()),
        (owner, "chro welcome disable".to_owned()),
        (owner, "chro welcome setup".to_owned()),
        // temporary voice (outside a temporary channel: refusals)
        (member, "chro vc".to_owned()),
        (owner, "chro vc hubs".to_owned()),
        (owner, format!("chro vc unhub <#{}>", w.guild.voice)),
        (member, "chro vc rename lounge".to_owned()),
        (member, "chro vc limit 3".to_owned()),
        (member, "chro vc lock".to_owned()),
        (member, "chro vc unlock".to_owned()),
        (member, "chro vc hide".to_owned()),
        (member, "chro vc unhide".to_owned()),
        (member, format!("chro vc permit {owner_mention}")),
        (member, format!("chro vc kick {owner_mention}")),
        (member, format!("chro vc transfer {owner_mention}")),
        (member, "chro vc claim".to_owned()),
        (owner, "chro vc persist".to_owned()),
        (owner, "chro vc setup".to_owned()),
        // reaction roles (a panel is built below)
        (member, "chro rr".to_owned()),
        (owner, "chro rr list".to_owned()),
        (owner, "chro rr edit 99 title x".to_owned()),
        (owner, "chro rr delete 99".to_owned()),
        // tags
        (member, "chro tag".to_owned()),
        (
            owner,
            "chro tag create faq Read the FAQ, {user.mention} {args}".to_owned(),
        ),
        (member, "chro tag faq @everyone".to_owned()),
        (member, "chro tag show faq".to_owned()),
        (
            owner,
            "chro tag edit faq FAQ: {user.mention} {args}".to_owned(),
        ),
        (member, "chro tag info faq".to_owned()),
        (member, "chro tag list".to_owned()),
        (member, "chro tag search fa".to_owned()),
        (owner, "chro tag trigger faq true".to_owned()),
        (owner, "chro tag cooldown faq 0".to_owned()),
        (owner, "chro tag access manage_messages".to_owned()),
        (member, "chro faq".to_owned()),
        (member, "faq please".to_owned()),
        (owner, "chro tag slash faq true".to_owned()),
        // giveaways and events
        (member, "chro giveaway".to_owned()),
        (owner, "chro giveaway start 1h 1 A prize level:2".to_owned()),
        (member, "chro giveaway list".to_owned()),
        (owner, "chro giveaway end 1".to_owned()),
        (owner, "chro giveaway reroll 1".to_owned()),
        (owner, "chro giveaway cancel 1".to_owned()),
        (owner, format!("chro giveaway managers {lvl_role}")),
        (member, "chro event".to_owned()),
        (
            owner,
            "chro event create 2h 1h Game night | Snacks capacity:2".to_owned(),
        ),
        (member, "chro event list".to_owned()),
        (member, "chro event ics".to_owned()),
        (owner, "chro event cancel 1".to_owned()),
        // battles: a wild fight (left open), a challenge refused as busy, the records
        (member, "chro battle".to_owned()),
        (member, "chro battle wild".to_owned()),
        (member, "chro battle boss".to_owned()),
        (owner, format!("chro battle challenge {member_mention} 10")),
        (member, "chro battle history".to_owned()),
        (member, "chro battle stats".to_owned()),
        (member, "chro battle top".to_owned()),
        (member, "chro battle replay 1".to_owned()),
        // clans: founded, joined, its treasury and perks, handed over and left
        (member, "chro clan".to_owned()),
        (owner, "chro clan create Openapi".to_owned()),
        (owner, format!("chro clan invite {member_mention}")),
        (member, "chro clan join Openapi".to_owned()),
        (owner, "chro clan requests".to_owned()),
        (owner, format!("chro clan promote {member_mention}")),
        (owner, format!("chro clan demote {member_mention}")),
        (owner, "chro clan deposit 1000".to_owned()),
        (owner, "chro clan withdraw 100".to_owned()),
        (owner, "chro clan perks".to_owned()),
        (owner, "chro clan perk xp_boost".to_owned()),
        (owner, "chro clan log".to_owned()),
        (owner, format!("chro clan channel <#{general}>")),
        (member, "chro clan info".to_owned()),
        (member, "chro clan list".to_owned()),
        (member, "chro clan top".to_owned()),
        (owner, format!("chro clan transfer {member_mention}")),
        (member, format!("chro clan kick {owner_mention}")),
        (owner, "chro clan leave".to_owned()),
        (member, "chro clan disband".to_owned()),
        // teams
        (member, "chro team".to_owned()),
        (member, "chro team create Squad".to_owned()),
        (member, format!("chro team invite {owner_mention}")),
        (owner, format!("chro team join {member_mention}")),
        (member, "chro team info".to_owned()),
        (member, "chro team hunt".to_owned()),
        // refused: the member's wild fight above is still open
        (owner, "chro team battle wild".to_owned()),
        (owner, "chro team leave".to_owned()),
        (member, "chro team disband".to_owned()),
    ]
    .into_iter()
    .collect();
    for (user, text) in &commands {
        if run(&w, *user, general, text).await.is_none() {
            silent.push(text.clone());
        }
    }
    // Some commands post two messages (a giveaway or event panel and the answer): let the
    // extra ones arrive before the clicks below read the channel.
    while w.sb.wait_for_message(general, SILENCE).await.is_ok() {}
    // a confirmation clicked through, and a help page turned
    let m = run(
        &w,
        owner,
        general,
        &format!("chro pay {member_mention} 20000"),
    )
    .await
    .expect("confirmation");
    let click = w.sb.click_button(owner, m.id, "Confirm").unwrap();
    w.sb.wait_for_reply(&click, REPLY).await.unwrap();
    let m = run(&w, member, general, "chro help").await.expect("help");
    let click = w.sb.click_button(member, m.id, "Next ▶").unwrap();
    w.sb.wait_for_reply(&click, REPLY).await.unwrap();
    // developer commands live on the dev guild
    if run(&w, dev.owner_id, dev.general, "chro devstats")
        .await
        .is_none()
    {
        silent.push("chro devstats".into());
    }
    // owner, dev and audit commands live on the dev guild too
    w.sb.add_member(dev.id, member);
    let guild_id = w.guild.id;
    let owner_sent: Vec<String> = vec![
        "chro owner guilds".into(),
        format!("chro owner grant {member_mention} 100 openapi check"),
        format!("chro owner take {member_mention} 50 openapi check"),
        "chro owner blacklist user 424242 openapi check".into(),
        "chro owner unblacklist user 424242".into(),
        "chro owner sql SELECT 1 AS one".into(),
        "chro owner backup".into(),
        format!("chro owner leave {guild_id}"),
        format!("chro owner unban-me {guild_id}"),
        "chro owner broadcast Hello from the openapi check".into(),
        "chro owner pending".into(),
        "chro dev panel".into(),
        "chro dev elevate 5".into(),
        "chro dev error ABCD".into(),
        "chro audit show".into(),
        "chro audit verify".into(),
    ];
    for text in &owner_sent {
        if run(&w, dev.owner_id, dev.general, text).await.is_none() {
            silent.push(text.clone());
        }
    }
    let _ = std::fs::remove_dir_all(&backups);
    // tickets: a panel built by the wizard, a ticket opened from it, the commands inside it
    let mut ticket_sent = vec!["chro ticket".to_owned(), "chro ticket stats".to_owned()];
    for (user, text) in [(member, "chro ticket"), (owner, "chro ticket stats")] {
        if run(&w, user, general, text).await.is_none() {
            silent.push(text.into());
        }
    }
    // A command above may post a second message late (a panel and its answer): let it arrive
    // before the wizard's message is read.
    while w.sb.wait_for_message(general, SILENCE).await.is_ok() {}
    let staff_role = w.sb.create_role(w.guild.id, "Staff", 0);
    let helper = w.sb.create_user("helper");
    w.sb.add_member(w.guild.id, helper);
    let mut m = run(&w, owner, general, "chro ticket setup")
        .await
        .expect("wizard");
    ticket_sent.push("chro ticket setup".into());
    let world = &w;
    let step = |m: &chronix_sandbox::Message, label: &str| {
        let i = world.sb.click_button(owner, m.id, label).unwrap();
        async move { world.sb.wait_for_reply(&i, REPLY).await.unwrap() }
    };
    m = step(&m, "Next ▶").await;
    let staff_select = m
        .components
        .iter()
        .flat_map(|r| r["components"].as_array().cloned().unwrap_or_default())
        .find_map(|c| c["custom_id"].as_str().map(str::to_owned))
        .expect("the staff select");
    let i =
        w.sb.select(owner, m.id, &staff_select, &[&staff_role.to_string()])
            .unwrap();
    m = w.sb.wait_for_reply(&i, REPLY).await.unwrap();
    for _ in 0..5 {
        m = step(&m, "Next ▶").await;
    }
    step(&m, "Confirm").await;
    let panel = w.sb.wait_for_message(general, REPLY).await.expect("panel");
    let open =
        w.sb.click_button(member, panel.id, "Open a ticket")
            .unwrap();
    let opened = w.sb.wait_for_reply(&open, REPLY).await.unwrap();
    let _ = w.sb.wait_for_message(general, REPLY).await;
    let ticket: Id = opened.embeds[0]["description"]
        .as_str()
        .and_then(|d| d.strip_prefix("Your ticket is <#"))
        .and_then(|d| d.strip_suffix(">."))
        .and_then(|d| d.parse().ok())
        .expect("the ticket channel");
    let welcome = w.sb.wait_for_message(ticket, REPLY).await.expect("welcome");
    let lock = w.sb.click_button(owner, welcome.id, "Lock").unwrap();
    w.sb.wait_for_reply(&lock, REPLY).await.unwrap();
    let _ = w.sb.wait_for_message(ticket, REPLY).await; // the lock notice, answered in the channel
    for text in [
        format!("chro ticket add <@{helper}>"),
        format!("chro ticket remove <@{helper}>"),
        "chro ticket rename help me".to_owned(),
        "chro ticket claim".to_owned(),
    ] {
        if run(&w, owner, ticket, &text).await.is_none() {
            silent.push(text.clone());
        }
        ticket_sent.push(text);
    }
    let ask = run(&w, owner, ticket, "chro ticket close done")
        .await
        .expect("close confirmation");
    ticket_sent.push("chro ticket close done".into());
    let _ =
        w.sb.settle(std::time::Duration::from_millis(200), REPLY)
            .await;
    let confirm = w.sb.click_button(owner, ask.id, "Confirm").unwrap();
    w.sb.wait_for_reply(&confirm, REPLY).await.unwrap();
    let _closed = w.sb.wait_for_message(ticket, REPLY).await.expect("closed");
    if run(&w, owner, ticket, "chro ticket reopen").await.is_none() {
        silent.push("chro ticket reopen".into());
    }
    ticket_sent.push("chro ticket reopen".into());
    // ticket panels: listed, opened in the wizard again, and a deletion asked (not confirmed)
    while w.sb.wait_for_message(general, SILENCE).await.is_ok() {}
    for text in [
        "chro ticket panels",
        "chro ticket edit 1",
        "chro ticket delete 1",
    ] {
        if run(&w, owner, general, text).await.is_none() {
            silent.push(text.into());
        }
        ticket_sent.push(text.into());
    }
    // announcements: two drafts stored as the wizard would, one sent now (a themed embed with
    // a link button and a role ping), the other opened in the wizard and cancelled; networks
    let news_role = w.sb.create_role(w.guild.id, "News", 0);
    for title in ["Openapi news", "Openapi later"] {
        let a = chronix_core::announcements::Announcement {
            channels: vec![chronix_core::ids::ChannelId::from_db(general as i64)],
            title: title.into(),
            description: "Hello @everyone".into(),
            thumbnail: Some("https://example.org/t.png".into()),
            buttons: vec![chronix_core::announcements::LinkButton {
                label: "Site".into(),
                url: "https://example.org".into(),
            }],
            ping_roles: vec![chronix_core::ids::RoleId::from_db(news_role as i64)],
            ..Default::default()
        };
        chronix_storage::announcements::create(
            &w.db.storage(),
            chronix_core::ids::GuildId::from_db(w.guild.id as i64),
            chronix_core::ids::UserId::from_db(owner as i64),
            &a,
            chrono_tz::Tz::UTC,
            chrono::Utc::now(),
        )
        .await
        .unwrap();
    }
    let ann_sent: Vec<String> = [
        "chro announce timezone Europe/Paris",
        "chro announce list",
        "chro announce send now 1",
        "chro announce edit 2",
        "chro announce cancel 2",
        "chro announce setup",
        "chro announce network create Openapi",
        "chro announce network list",
        "chro announce network join 1 #general",
        "chro announce network approve 1 424242",
        "chro announce network leave 1",
    ]
    .into_iter()
    .map(str::to_owned)
    .collect();
    for text in &ann_sent {
        let text = text.replace("#general", &format!("<#{general}>"));
        if run(&w, owner, general, &text).await.is_none() {
            silent.push(text);
        }
    }
    // slash forms
    for call in [
        CommandCall::new("ping"),
        CommandCall::new("help"),
        CommandCall::new("balance"),
        CommandCall::new("pay")
            .opt("user", owner)
            .opt("amount", "5"),
        CommandCall::new("economy").sub("shop"),
        CommandCall::new("bot").sub("language").sub("show"),
        CommandCall::new("misc").sub("roll"),
        CommandCall::new("rank"),
        CommandCall::new("faq").opt("args", "hi"),
        CommandCall::new("tag").sub("show").opt("name", "faq"),
    ] {
        w.slash(member, call).await;
    }
    for text in ["chro tag slash faq false", "chro tag delete faq"] {
        if run(&w, owner, general, text).await.is_none() {
            silent.push(text.into());
        }
    }
    // reaction roles: a reaction panel built by the wizard, a reaction, a button panel's click
    let red = w.sb.create_role(w.guild.id, "Red", 0);
    while w.sb.wait_for_message(general, SILENCE).await.is_ok() {}
    let mut m = run(&w, owner, general, "chro rr setup")
        .await
        .expect("rr wizard");
    m = step(&m, "Next ▶").await;
    let i =
        w.sb.select(owner, m.id, &select(&m, "roles"), &[&red.to_string()])
            .unwrap();
    m = w.sb.wait_for_reply(&i, REPLY).await.unwrap();
    for _ in 0..4 {
        m = step(&m, "Next ▶").await;
    }
    step(&m, "Confirm").await;
    let rr_panel =
        w.sb.wait_for_message(general, REPLY)
            .await
            .expect("rr panel");
    w.sb.wait_until(REPLY, "the bot's reaction", |s| {
        s.messages
            .get(&rr_panel.id)
            .is_some_and(|m| !m.reactions.is_empty())
    })
    .await
    .unwrap();
    w.sb.react(member, rr_panel.id, "🔴");
    w.sb.wait_until(REPLY, "the reaction role", |s| {
        s.members
            .get(&(w.guild.id, member))
            .is_some_and(|m| m.roles.contains(&red))
    })
    .await
    .unwrap();
    w.sb.unreact(member, rr_panel.id, "🔴");
    let _ =
        w.sb.settle(std::time::Duration::from_millis(300), REPLY)
            .await;
    assert!(silent.is_empty(), "no answer to {silent:?}");
    // every command of docs/commands.md was run (`!` was the custom prefix for a moment)
    let mut sent: Vec<String> = commands
        .iter()
        .map(|(_, t)| t.replacen('!', "chro ", 1))
        .collect();
    sent.push("chro devstats".into());
    sent.extend(owner_sent);
    sent.extend(ticket_sent);
    sent.extend(ann_sent);
    sent.extend([
        "chro rr setup".into(),
        "chro tag slash faq false".into(),
        "chro tag delete faq".into(),
    ]);
    let documented = documented_commands();
    assert!(documented.len() >= 50, "{documented:?}");
    for documented in documented {
        assert!(
            sent.iter()
                .any(|t| t == &documented || t.starts_with(&format!("{documented} "))),
            "`{documented}` of docs/commands.md was not run"
        );
    }

    let spec = Spec::discord();
    let log = w.sb.rest_log();
    let mut failures = spec.check_calls(&log);
    failures.extend(spec.check_frames(&w.sb.recorded_events(&rec)));
    let unexplained: Vec<String> = failures
        .iter()
        .filter(|f| !f.is_known())
        .map(ToString::to_string)
        .collect();
    assert!(
        unexplained.is_empty(),
        "{} departures from Discord's OpenAPI description:\n{}",
        unexplained.len(),
        unexplained.join("\n")
    );
    let operations: BTreeSet<_> = log
        .iter()
        .filter_map(|c| spec.template_for(&c.method, &c.path))
        .collect();
    for op in [
        "/channels/{channel_id}/messages",
        "/channels/{channel_id}/messages/{message_id}",
        "/interactions/{interaction_id}/{interaction_token}/callback",
        "/applications/{application_id}/commands",
    ] {
        assert!(
            operations.contains(op),
            "{op} not exercised: {operations:?}"
        );
    }
}
