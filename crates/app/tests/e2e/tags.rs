//! Tags end to end: create / show / edit / delete / info / list / search; placeholders and
//! injection attempts (the REST body's `allowed_mentions` pings nobody but the invoker, and
//! only with `{user.mention}`); `chro <tag>` as a prefix command; a trigger word with its
//! cooldown; a tag registered as a guild slash command and run; tag names autocompleting;
//! who may create and edit (the server's level, a tag's owner); admin commands refused to a
//! plain member.

use chronix_sandbox::{CommandCall, Id, InteractionResponse};
use serde_json::{Value, json};

use crate::helpers::*;

/// The body of the bot's last message POSTed to `channel`.
fn last_post(w: &World, channel: Id) -> Value {
    w.rest("POST", &format!("/channels/{channel}/messages"))
        .last()
        .and_then(|c| c.body.clone())
        .expect("a message was posted")
}

#[tokio::test]
async fn tags_render_placeholders_safely() {
    let w = World::start().await;
    let g = w.guild.id;
    let mods = w.sb.create_role(g, "Mods", 0);
    let m = w
        .say(
            w.owner,
            "chro tag create greet Hi {user.mention} from {server} in {channel}: {args} / {args.2} @everyone @here <@&1>",
        )
        .await;
    assert_eq!(title(&m), "✅ Tag created");

    // Arguments that try to ping or inject placeholders stay text; only the invoker pings.
    let arg = format!("@everyone <@&{mods}> {{user.mention}} {{args}}");
    let r = w.say(w.member, &format!("chro tag greet {arg}")).await;
    let z = '\u{200b}';
    let expected = format!(
        "Hi <@{m}> from Test Guild in <#{c}>: @{z}everyone <@{z}&{mods}> {{user.mention}} {{args}} / <@{z}&{mods}> @{z}everyone @{z}here <@{z}&1>",
        m = w.member,
        c = w.guild.general
    );
    assert_eq!(r.content, expected);
    assert_eq!(r.mentions, [w.member], "only the invoker is pinged");
    let body = last_post(&w, w.guild.general);
    assert_eq!(
        body["allowed_mentions"],
        json!({"parse": [], "users": [w.member.to_string()], "roles": [], "replied_user": false})
    );

    // `chro <tag>` works as a prefix command (no command of that name).
    let r = w.say(w.member, "chro greet a b").await;
    assert!(
        r.content
            .starts_with(&format!("Hi <@{}> from Test Guild", w.member))
    );

    // A tag without {user.mention} pings nobody, even with a mention typed in.
    w.say(
        w.owner,
        &format!("chro tag create quote <@{}> said {{args}}", w.owner),
    )
    .await;
    let r = w.say(w.member, "chro tag quote @here").await;
    assert_eq!(r.content, format!("<@{}> said @{z}here", w.owner));
    assert!(r.mentions.is_empty());
    let body = last_post(&w, w.guild.general);
    assert_eq!(body["allowed_mentions"]["parse"], json!([]));
    assert!(
        body["allowed_mentions"]["users"]
            .as_array()
            .is_none_or(|u| u.is_empty()),
        "{body}"
    );
    assert!(
        body["allowed_mentions"]["roles"]
            .as_array()
            .is_none_or(|u| u.is_empty()),
        "{body}"
    );

    // An embed tag with an image; a placeholder in the member's name is not expanded.
    w.say(
        w.owner,
        "chro tag create rules --embed --image https://example.com/rules.png Be nice, {user}.",
    )
    .await;
    let r = w.say(w.member, "chro tag rules").await;
    assert_eq!(title(&r), "ℹ️ rules");
    assert_eq!(description(&r), "Be nice, member.");
    assert_eq!(embed(&r)["image"]["url"], "https://example.com/rules.png");

    // Too long: cut at Discord's limit.
    w.say(w.owner, "chro tag create echo {args}{args}{args}")
        .await;
    let long = "x".repeat(900);
    let r = w.say(w.member, &format!("chro tag echo {long}")).await;
    assert_eq!(r.content.chars().count(), 2000);
    assert!(r.content.ends_with('…'));

    // info, list, search, edit, delete.
    let r = w.say(w.member, "chro tag info greet").await;
    assert_eq!(title(&r), "ℹ️ Tag greet");
    assert_eq!(field(&r, "Owner"), format!("<@{}>", w.owner));
    assert_eq!(field(&r, "Uses"), "2");
    let r = w.say(w.member, "chro tag list").await;
    assert_eq!(description(&r), "4 tags: `echo`, `greet`, `quote`, `rules`");
    let r = w.say(w.member, "chro tag search re").await;
    assert_eq!(description(&r), "`greet`");
    let r = w.say(w.owner, "chro tag edit greet Hello {user}").await;
    assert_eq!(title(&r), "✅ Tag changed");
    let r = w.say(w.member, "chro greet").await;
    assert_eq!(r.content, "Hello member");
    let r = w.say(w.owner, "chro tag delete greet").await;
    assert_eq!(title(&r), "✅ Tag deleted");
    let r = w.say(w.member, "chro tag greet").await;
    assert_eq!(
        description(&r),
        "There is no tag `greet` on this server (see `tag list`)."
    );
    let audit = chronix_storage::audit::recent(&w.db.storage(), 20)
        .await
        .unwrap();
    for action in ["tags.create", "tags.edit", "tags.delete"] {
        assert!(audit.iter().any(|a| a.action == action), "{action}");
    }
}

#[tokio::test]
async fn custom_commands_trigger_words_cooldowns_and_guild_slash_commands() {
    let w = World::start().await;
    w.say(w.owner, "chro tag create faq Read the FAQ, {user.mention}.")
        .await;
    let r = w.say(w.owner, "chro tag trigger faq true").await;
    assert_eq!(description(&r), "Trigger word for `faq`: on.");
    let r = w.say(w.owner, "chro tag cooldown faq 60").await;
    assert_eq!(description(&r), "Cooldown of `faq`: 60 seconds.");

    // The trigger word answers, then waits for the cooldown.
    let r = w.say(w.member, "faq please").await;
    assert_eq!(r.content, format!("Read the FAQ, <@{}>.", w.member));
    assert_eq!(r.mentions, [w.member]);
    w.say_expect_silence(w.member, "faq again").await;
    // Another member has their own cooldown; ordinary words get nothing.
    let alice = w.sb.create_user("alice");
    w.sb.add_member(w.guild.id, alice);
    let r = w.say(alice, "FAQ").await;
    assert_eq!(r.content, format!("Read the FAQ, <@{alice}>."));
    w.say_expect_silence(alice, "hello faq").await;

    // A guild slash command.
    let r = w.say(w.owner, "chro tag slash faq true").await;
    assert_eq!(
        description(&r),
        "`/faq` is now a slash command of this server."
    );
    let cmd =
        w.sb.commands()
            .into_iter()
            .find(|c| c.name == "faq")
            .expect("registered");
    assert_eq!(cmd.guild_id, Some(w.guild.id));
    let bob = w.sb.create_user("bob");
    w.sb.add_member(w.guild.id, bob);
    let m = w.slash(bob, CommandCall::new("faq").opt("args", "x")).await;
    assert_eq!(m.content, format!("Read the FAQ, <@{bob}>."));
    let cb = w
        .rest("POST", "/callback")
        .last()
        .and_then(|c| c.body.clone())
        .unwrap();
    assert_eq!(
        cb["data"]["allowed_mentions"],
        json!({"parse": [], "users": [bob.to_string()], "roles": [], "replied_user": false})
    );
    // Within the cooldown: told privately.
    let i =
        w.sb.run_command(bob, w.guild.general, CommandCall::new("faq"))
            .unwrap();
    let m = w.sb.wait_for_reply(&i, REPLY).await.unwrap();
    assert!(m.is_ephemeral());
    assert_eq!(
        description(&m),
        "`faq` was used a moment ago: try again shortly."
    );
    let _ = w.sb.wait_for_message(w.guild.general, REPLY).await;
    // A bot command's name cannot be taken.
    w.say(w.owner, "chro tag create ping pong").await;
    let r = w.say(w.owner, "chro tag slash ping true").await;
    assert_eq!(
        description(&r),
        "`/ping` is one of my own commands: a tag cannot take its place."
    );
    // Off again: the command is gone.
    w.say(w.owner, "chro tag slash faq false").await;
    assert!(!w.sb.commands().iter().any(|c| c.name == "faq"));

    // Tag names autocomplete in /tag show.
    let i =
        w.sb.autocomplete(
            w.member,
            w.guild.general,
            CommandCall::new("tag")
                .sub("show")
                .opt("name", "f")
                .focus("name"),
        )
        .unwrap();
    let choices = match w.sb.wait_for_response(&i, REPLY).await.unwrap() {
        InteractionResponse::Autocomplete(c) => c,
        other => panic!("expected choices, got {other:?}"),
    };
    let names: Vec<&str> = choices.iter().filter_map(|c| c["value"].as_str()).collect();
    assert_eq!(names, ["faq"]);
}

#[tokio::test]
async fn who_may_create_and_edit_tags() {
    let w = World::start().await;
    // Manage Messages by default: a plain member cannot create.
    let r = w.say(w.member, "chro tag create mine hello").await;
    assert_eq!(
        description(&r),
        "Creating tags here is for members with Manage Messages."
    );
    w.say(w.owner, "chro tag create owners hello").await;
    let r = w.say(w.member, "chro tag edit owners hacked").await;
    assert_eq!(
        description(&r),
        format!(
            "This tag belongs to <@{}>: only they, or members who manage tags here, can change it.",
            w.owner
        )
    );
    for cmd in [
        "chro tag delete owners",
        "chro tag trigger owners true",
        "chro tag slash owners true",
        "chro tag cooldown owners 5",
    ] {
        let r = w.say(w.member, cmd).await;
        assert_eq!(title(&r), "❌ Tag", "{cmd}");
    }
    // The admin command is refused to a plain member.
    let r = w.say(w.member, "chro tag access everyone").await;
    assert_eq!(title(&r), "❌ Not allowed");
    // Opened to everyone: the member creates a tag and edits their own, not the owner's.
    let r = w.say(w.owner, "chro tag access everyone").await;
    assert_eq!(description(&r), "Tags can now be created by every member.");
    let r = w.say(w.member, "chro tag create mine hello").await;
    assert_eq!(title(&r), "✅ Tag created");
    let r = w.say(w.member, "chro tag edit mine bye").await;
    assert_eq!(title(&r), "✅ Tag changed");
    // With everyone at the level, the member may manage all tags (the level says so).
    let r = w.say(w.member, "chro tag edit owners fine").await;
    assert_eq!(title(&r), "✅ Tag changed");
    // Names are checked.
    let r = w.say(w.owner, "chro tag create list x").await;
    assert_eq!(
        description(&r),
        "`list` is a `tag` subcommand: pick another name."
    );
    let r = w.say(w.owner, "chro tag create mine again").await;
    assert_eq!(
        description(&r),
        "There is already a tag `mine` on this server."
    );
}
