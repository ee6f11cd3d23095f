//! Feature switches: `module disable` per guild, `ENABLE_*=false` for the whole bot.

use chronix_core::ids::GuildId;
use chronix_storage::guild_settings;

use crate::helpers::*;

#[tokio::test]
async fn a_disabled_module_refuses_its_commands() {
    let w = World::start().await;
    let m = w.say(w.member, "chro roll 20").await;
    assert_eq!(title(&m), "ℹ️ Dice roll");

    let m = w.say(w.member, "chro module disable misc").await;
    assert_eq!(title(&m), "❌ Not allowed", "members cannot switch modules");
    let m = w.say(w.owner, "chro module disable misc").await;
    assert_eq!(title(&m), "✅ Module disabled");
    let stored = guild_settings::get(&w.db, GuildId::from_db(w.guild.id as i64))
        .await
        .unwrap();
    assert_eq!(stored.disabled_modules, ["misc"]);

    for text in ["chro roll", "chro flip", "chro serverinfo"] {
        let m = w.say(w.member, text).await;
        assert_eq!(title(&m), "❌ Module disabled", "{text}");
        assert!(description(&m).contains("module enable misc"));
    }
    // Help says so on the module's page.
    let help = w.say(w.member, "chro help").await;
    let click = w.sb.click_button(w.member, help.id, "Next ▶").unwrap(); // page 2: misc
    let page = w.sb.wait_for_reply(&click, REPLY).await.unwrap();
    assert!(
        description(&page).starts_with("❌ This module is disabled on this server"),
        "{}",
        description(&page)
    );
    // Core commands keep working.
    let m = w.say(w.member, "chro ping").await;
    assert_eq!(title(&m), "ℹ️ Pong!");
    let m = w.say(w.member, "chro module list").await;
    assert!(description(&m).contains("❌ `misc`: disabled on this server"));
    assert!(description(&m).contains("⛔ `ai`: off for the whole bot (`ENABLE_AI=false`)"));

    let m = w.say(w.owner, "chro module disable general").await;
    assert_eq!(title(&m), "❌ Cannot do that");
    let m = w.say(w.owner, "chro module disable nope").await;
    assert_eq!(title(&m), "❌ Invalid input");

    let m = w.say(w.owner, "chro module enable misc").await;
    assert_eq!(title(&m), "✅ Module enabled");
    let m = w.say(w.member, "chro flip").await;
    assert_eq!(title(&m), "ℹ️ Coin flip");
}

#[tokio::test]
async fn a_feature_switched_off_in_the_config_is_not_registered() {
    let (w, _) = World::start_with(Setup {
        env: vec![("ENABLE_MISC", "false".into())],
        ..Setup::default()
    })
    .await;
    let names: Vec<String> = w.sb.commands().into_iter().map(|c| c.name).collect();
    for core in ["help", "ping", "bot"] {
        assert!(
            names.contains(&core.to_string()),
            "{core} missing from {names:?}"
        );
    }
    for misc in ["misc", "roll", "flip", "serverinfo"] {
        assert!(
            !names.contains(&misc.to_string()),
            "{misc} registered: {names:?}"
        );
    }
    let m = w.say(w.member, "chro roll").await;
    assert_eq!(title(&m), "⚠️ Unknown command");
    let m = w.say(w.member, "chro help").await;
    assert!(title(&m).starts_with("ℹ️ Chronix help: general (1/"));
    let t = title(&m);
    let total: usize = t
        .trim_end_matches(')')
        .rsplit_once('/')
        .unwrap()
        .1
        .parse()
        .unwrap();
    for _ in 1..total {
        let click = w.sb.click_button(w.member, m.id, "Next ▶").unwrap();
        let page = w.sb.wait_for_reply(&click, REPLY).await.unwrap();
        assert!(
            !title(&page).contains("misc"),
            "no help page for a switched-off feature"
        );
    }
}

/// `serverinfo` reads the kernel's guild cache (serenity's guild cache is off): the owner and
/// the counts follow the gateway events (a member joins, a channel and a role are created).
#[tokio::test]
async fn serverinfo_follows_the_kernel_guild_cache() {
    let w = World::start().await;
    let count = |m: &chronix_sandbox::Message, name: &str| -> u64 {
        field(m, name).parse().expect("a number")
    };
    let before = w.say(w.member, "chro serverinfo").await;
    assert_eq!(field(&before, "Owner"), format!("<@{}>", w.owner));
    let members =
        w.sb.with_state(|s| s.guild_members(w.guild.id).len() as u64);
    assert_eq!(count(&before, "Members"), members);

    let newcomer = w.sb.create_user("newcomer");
    w.sb.add_member(w.guild.id, newcomer);
    w.sb.create_channel(w.guild.id, "fresh", chronix_sandbox::ChannelKind::Text);
    w.sb.create_role(w.guild.id, "fresh", 0);
    let after = w.say(w.member, "chro serverinfo").await;
    assert_eq!(count(&after, "Members"), members + 1);
    assert_eq!(count(&after, "Channels"), count(&before, "Channels") + 1);
    assert_eq!(count(&after, "Roles"), count(&before, "Roles") + 1);
}
