//! Permission tiers: refusals leave the database unchanged; dev commands live on DEV_GUILD_ID.

use chronix_core::ids::GuildId;
use chronix_sandbox::CommandCall;
use chronix_sandbox::perms::bits;
use chronix_storage::guild_settings;

use crate::helpers::*;

#[tokio::test]
async fn a_member_cannot_set_the_prefix() {
    let w = World::start().await;
    let m = w.say(w.member, "chro prefix set !").await;
    assert_eq!(title(&m), "❌ Not allowed");
    assert_eq!(
        description(&m),
        "You need the **admin** tier to use `prefix set`."
    );
    let stored = guild_settings::get(&w.db, GuildId::from_db(w.guild.id as i64))
        .await
        .unwrap();
    assert_eq!(stored.prefix, None, "refused commands change nothing");

    // By slash the refusal is ephemeral.
    let m = w
        .slash(
            w.member,
            CommandCall::new("bot")
                .sub("prefix")
                .sub("set")
                .opt("new_prefix", "!"),
        )
        .await;
    assert_eq!(title(&m), "❌ Not allowed");
    assert!(m.is_ephemeral());
    assert_eq!(
        guild_settings::get(&w.db, GuildId::from_db(w.guild.id as i64))
            .await
            .unwrap()
            .prefix,
        None
    );

    // Manage Guild makes an admin.
    let role = w.sb.create_role(w.guild.id, "managers", bits::MANAGE_GUILD);
    w.sb.give_role(w.guild.id, w.member, role);
    let m = w.say(w.member, "chro prefix set !").await;
    assert_eq!(title(&m), "✅ Prefix updated");
}

#[tokio::test]
async fn dev_commands_are_registered_and_allowed_only_on_the_dev_guild() {
    let (w, dev) = World::start_with(Setup {
        dev_guild: true,
        ..Setup::default()
    })
    .await;
    let dev = dev.unwrap();
    let commands = w.sb.commands();
    let devstats: Vec<_> = commands.iter().filter(|c| c.name == "devstats").collect();
    assert_eq!(devstats.len(), 1);
    assert_eq!(
        devstats[0].guild_id,
        Some(dev.id),
        "dev commands only on DEV_GUILD_ID"
    );
    let ping = commands.iter().find(|c| c.name == "ping").unwrap();
    assert_eq!(ping.guild_id, None, "public commands are global");

    // The owner (OWNER_ID = the dev guild's owner) is refused outside the dev guild…
    w.sb.add_member(w.guild.id, dev.owner_id);
    let m = w.say(dev.owner_id, "chro devstats").await;
    assert_eq!(title(&m), "❌ Not allowed");
    assert!(description(&m).contains("development server"));
    // …and served on it.
    let m = w.say_in(dev.owner_id, dev.general, "chro devstats").await;
    assert_eq!(title(&m), "ℹ️ Command metrics");
    // A non-dev on the dev guild is refused.
    w.sb.add_member(dev.id, w.member);
    let m = w.say_in(w.member, dev.general, "chro devstats").await;
    assert_eq!(title(&m), "❌ Not allowed");
    assert!(description(&m).contains("**dev**"));
}

#[tokio::test]
async fn dev_mode_registers_every_slash_command_on_the_dev_guild_only() {
    let (w, dev) = World::start_with(Setup {
        dev_guild: true,
        env: vec![("DEV_MODE", "true".into())],
        ..Setup::default()
    })
    .await;
    let dev = dev.unwrap();
    let commands = w.sb.commands();
    assert!(commands.iter().any(|c| c.name == "devstats"));
    for c in &commands {
        assert_eq!(
            c.guild_id,
            Some(dev.id),
            "{} registered outside DEV_GUILD_ID",
            c.name
        );
    }
}

#[tokio::test]
async fn force_owner_override_lets_the_owner_run_dev_commands_elsewhere() {
    let (w, dev) = World::start_with(Setup {
        dev_guild: true,
        env: vec![("FORCE_OWNER_OVERRIDE", "true".into())],
        ..Setup::default()
    })
    .await;
    let owner = dev.unwrap().owner_id;
    w.sb.add_member(w.guild.id, owner);
    let m = w.say(owner, "chro devstats").await;
    assert_eq!(title(&m), "ℹ️ Command metrics");
    // Still not for anyone else.
    let m = w.say(w.owner, "chro devstats").await;
    assert_eq!(title(&m), "❌ Not allowed");
}

/// Issue 9: prefix commands check permissions in the channel (overwrites included) like slash
/// commands: a channel overwrite denying the permission a command needs refuses both forms
/// there, while both still work elsewhere.
#[tokio::test]
async fn a_channel_overwrite_refuses_the_prefix_form_like_the_slash_form() {
    let w = World::start().await;
    let role = w.sb.create_role(w.guild.id, "managers", bits::MANAGE_GUILD);
    w.sb.give_role(w.guild.id, w.member, role);
    let locked =
        w.sb.create_channel(w.guild.id, "locked", chronix_sandbox::ChannelKind::Text);
    w.sb.set_overwrite(
        locked,
        chronix_sandbox::Overwrite {
            id: role,
            member: false,
            allow: 0,
            deny: bits::MANAGE_GUILD,
        },
    );
    let gid = GuildId::from_db(w.guild.id as i64);

    let m = w.say_in(w.member, locked, "chro prefix set !").await;
    assert_eq!(title(&m), "❌ Not allowed", "{}", description(&m));
    assert_eq!(guild_settings::get(&w.db, gid).await.unwrap().prefix, None);
    // The slash form is refused there too (Discord computes the member's channel permissions).
    let i =
        w.sb.run_command(
            w.member,
            locked,
            CommandCall::new("bot")
                .sub("prefix")
                .sub("set")
                .opt("new_prefix", "!"),
        )
        .expect("slash command exists");
    let m = w.sb.wait_for_reply(&i, REPLY).await.unwrap();
    assert_eq!(title(&m), "❌ Not allowed");
    assert_eq!(guild_settings::get(&w.db, gid).await.unwrap().prefix, None);

    // In #general (no overwrite) the same member may.
    let m = w.say(w.member, "chro prefix set !").await;
    assert_eq!(title(&m), "✅ Prefix updated");
}
