//! Custom prefix: set, the new one works and the old one does not, reset; mention prefix.

use chronix_core::ids::GuildId;
use chronix_sandbox::CommandCall;
use chronix_storage::guild_settings;

use crate::helpers::*;

#[tokio::test]
async fn prefix_set_replaces_the_default_and_reset_restores_it() {
    let w = World::start().await;
    let m = w.say(w.owner, "chro prefix set !").await;
    assert_eq!(title(&m), "✅ Prefix updated");
    let stored = guild_settings::get(&w.db, GuildId::from_db(w.guild.id as i64))
        .await
        .unwrap();
    assert_eq!(stored.prefix.as_deref(), Some("!"));

    let m = w.say(w.member, "!ping").await;
    assert_eq!(title(&m), "ℹ️ Pong!");
    w.say_expect_silence(w.member, "chro ping").await;
    let m = w.say(w.member, "!prefix show").await;
    assert!(description(&m).contains("`!`"));
    let m = w.say(w.member, "!help").await;
    assert!(
        description(&m).contains("`!ping` (aliases: latency)"),
        "{}",
        description(&m)
    );
    let m = w.say(w.member, "!pnig").await;
    assert!(description(&m).contains("Did you mean `!ping`?"));

    // Mentioning the bot always works.
    let m = w.say(w.member, &format!("<@{}> ping", w.sb.bot_id())).await;
    assert_eq!(title(&m), "ℹ️ Pong!");

    let m = w.say(w.owner, "!prefix reset").await;
    assert_eq!(title(&m), "✅ Prefix reset");
    let m = w.say(w.member, "chro ping").await;
    assert_eq!(title(&m), "ℹ️ Pong!");
    w.say_expect_silence(w.member, "!ping").await;
    let stored = guild_settings::get(&w.db, GuildId::from_db(w.guild.id as i64))
        .await
        .unwrap();
    assert_eq!(stored.prefix, None);
}

#[tokio::test]
async fn prefix_by_slash_and_validation() {
    let w = World::start().await;
    let m = w
        .slash(
            w.owner,
            CommandCall::new("bot")
                .sub("prefix")
                .sub("set")
                .opt("new_prefix", "cx"),
        )
        .await;
    assert_eq!(title(&m), "✅ Prefix updated");
    let m = w.say(w.member, "cx ping").await;
    assert_eq!(title(&m), "ℹ️ Pong!");
    let m = w.say(w.owner, "cx prefix set <@1>").await;
    assert_eq!(title(&m), "❌ Invalid input");
    let m = w
        .slash(w.owner, CommandCall::new("bot").sub("prefix").sub("reset"))
        .await;
    assert_eq!(title(&m), "✅ Prefix reset");
    let m = w.say(w.member, "chro ping").await;
    assert_eq!(title(&m), "ℹ️ Pong!");
}
