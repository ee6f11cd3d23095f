//! Reaction roles end to end: the `rr setup` wizard posting a reaction panel (reactions added
//! by the bot), a button panel and a select panel; each mode (toggle, single, verify) and the
//! cap per member, by reaction and by button or select; the reconciliation after a restart
//! (a reaction added and one removed while the bot was down); a role above the bot refused at
//! setup and at use (DM for a reaction, ephemeral for a click); `rr list/edit/delete`; every
//! admin command refused to a plain member.

use std::time::Duration;

use chronix_sandbox::{Id, Message};

use crate::helpers::*;

const WAIT: Duration = Duration::from_secs(10);

struct Roles {
    red: Id,
    green: Id,
    blue: Id,
}

fn roles(w: &World) -> Roles {
    let g = w.guild.id;
    // Created in this order, each below the ones before: blue is the lowest.
    Roles {
        red: w.sb.create_role(g, "Red", 0),
        green: w.sb.create_role(g, "Green", 0),
        blue: w.sb.create_role(g, "Blue", 0),
    }
}

fn has(w: &World, user: Id, role: Id) -> bool {
    w.sb.member(w.guild.id, user)
        .is_some_and(|m| m.roles.contains(&role))
}

async fn wait_role(w: &World, user: Id, role: Id, want: bool) {
    let g = w.guild.id;
    w.sb.wait_until(WAIT, "member roles", |s| {
        s.members
            .get(&(g, user))
            .is_some_and(|m| m.roles.contains(&role) == want)
    })
    .await
    .unwrap_or_else(|e| panic!("role {role} of {user} never became {want}: {e}"));
}

fn reactors(w: &World, message: Id, emoji: &str) -> Vec<Id> {
    w.sb.message(message)
        .and_then(|m| {
            m.reactions
                .iter()
                .find(|r| r.emoji == emoji)
                .map(|r| r.users.clone())
        })
        .unwrap_or_default()
}

/// Runs the wizard as the owner: mode, delivery, cap, roles, emoji lines; returns the panel.
async fn setup_panel(
    w: &World,
    mode: &str,
    delivery: &str,
    max: &str,
    picked: &[Id],
    lines: &str,
) -> Message {
    let m = w.say(w.owner, "chro rr setup").await;
    assert_eq!(title(&m), "ℹ️ How members pick");
    let m = pick(w, w.owner, &m, "mode", &[mode]).await;
    let m = pick(w, w.owner, &m, "how", &[delivery]).await;
    let m = pick(w, w.owner, &m, "max", &[max]).await;
    let m = click(w, w.owner, &m, "Next ▶").await;
    assert_eq!(title(&m), "ℹ️ Roles");
    let ids: Vec<String> = picked.iter().map(|r| r.to_string()).collect();
    let ids: Vec<&str> = ids.iter().map(String::as_str).collect();
    let m = pick(w, w.owner, &m, "roles", &ids).await;
    let m = click(w, w.owner, &m, "Next ▶").await;
    assert_eq!(title(&m), "ℹ️ Emojis and labels");
    let m = modal(
        w,
        w.owner,
        &m,
        "Edit emojis and labels",
        &[("lines", lines)],
    )
    .await;
    let m = click(w, w.owner, &m, "Next ▶").await;
    assert_eq!(title(&m), "ℹ️ Panel message");
    let m = modal(
        w,
        w.owner,
        &m,
        "Edit the message",
        &[("title", "Colours"), ("text", "Pick a colour.")],
    )
    .await;
    let m = click(w, w.owner, &m, "Next ▶").await;
    assert_eq!(title(&m), "ℹ️ Role panel setup");
    let m = click(w, w.owner, &m, "Next ▶").await;
    let done = click(w, w.owner, &m, "Confirm").await;
    assert_eq!(title(&done), "✅ Panel posted");
    let panel = w.sb.wait_for_message(w.guild.general, REPLY).await.unwrap();
    assert_eq!(title(&panel), "ℹ️ Colours");
    panel
}

#[tokio::test]
async fn reaction_panel_toggle_single_verify_and_cap() {
    let w = World::start().await;
    let r = roles(&w);
    let panel = setup_panel(
        &w,
        "toggle",
        "reactions",
        "0",
        &[r.red, r.green, r.blue],
        "🔴 Red team\n🟢 Green team\n🔵",
    )
    .await;
    let d = description(&panel);
    assert!(
        d.starts_with(&format!(
            "Pick a colour.\n\n🔴 <@&{}> — Red team\n🟢 <@&{}> — Green team\n🔵 <@&{}> — Blue",
            r.red, r.green, r.blue
        )),
        "{d}"
    );
    // The bot put the three reactions on its panel.
    w.sb.wait_until(WAIT, "bot reactions", |s| {
        s.messages
            .get(&panel.id)
            .is_some_and(|m| m.reactions.len() == 3)
    })
    .await
    .unwrap();
    let audit = chronix_storage::audit::recent(&w.db.storage(), 10)
        .await
        .unwrap();
    assert!(
        audit
            .iter()
            .any(|a| a.action == "reactionroles.panel_create"),
        "{audit:?}"
    );

    // Toggle: react gives, unreact takes.
    w.sb.react(w.member, panel.id, "🔴");
    wait_role(&w, w.member, r.red, true).await;
    w.sb.react(w.member, panel.id, "🟢");
    wait_role(&w, w.member, r.green, true).await;
    w.sb.unreact(w.member, panel.id, "🔴");
    wait_role(&w, w.member, r.red, false).await;
    assert!(has(&w, w.member, r.green));
    w.sb.unreact(w.member, panel.id, "🟢");
    wait_role(&w, w.member, r.green, false).await;

    // Single: choosing one removes the other, and its reaction.
    let e = w.say(w.owner, "chro rr edit 1 mode single").await;
    assert_eq!(title(&e), "✅ Panel updated");
    w.sb.react(w.member, panel.id, "🔴");
    wait_role(&w, w.member, r.red, true).await;
    w.sb.react(w.member, panel.id, "🔵");
    wait_role(&w, w.member, r.blue, true).await;
    wait_role(&w, w.member, r.red, false).await;
    w.sb.wait_until(WAIT, "red reaction taken back", |s| {
        s.messages.get(&panel.id).is_some_and(|m| {
            m.reactions
                .iter()
                .find(|x| x.emoji == "🔴")
                .is_none_or(|x| !x.users.contains(&w.member))
        })
    })
    .await
    .unwrap();
    assert!(reactors(&w, panel.id, "🔵").contains(&w.member));

    // Verify: unreacting keeps the role.
    let e = w.say(w.owner, "chro rr edit 1 mode verify").await;
    assert_eq!(title(&e), "✅ Panel updated");
    w.sb.unreact(w.member, panel.id, "🔵");
    let _ = w.sb.settle(Duration::from_millis(300), WAIT).await;
    assert!(has(&w, w.member, r.blue), "verify mode never takes back");

    // Cap: toggle with at most one role; a second reaction is refused, taken back, explained.
    let e = w.say(w.owner, "chro rr edit 1 mode toggle").await;
    assert_eq!(title(&e), "✅ Panel updated");
    let e = w.say(w.owner, "chro rr edit 1 max 1").await;
    assert_eq!(title(&e), "✅ Panel updated");
    w.sb.react(w.member, panel.id, "🟢");
    let dm = w.sb.wait_for_dm(w.member, WAIT).await.unwrap();
    assert_eq!(
        description(&dm),
        "Your choice on the panel **Colours** changed nothing: You already have the one role this panel allows: remove one first."
    );
    assert!(!has(&w, w.member, r.green));
    w.sb.wait_until(WAIT, "green reaction taken back", |s| {
        s.messages.get(&panel.id).is_some_and(|m| {
            m.reactions
                .iter()
                .find(|x| x.emoji == "🟢")
                .is_none_or(|x| !x.users.contains(&w.member))
        })
    })
    .await
    .unwrap();
    let edited = w.sb.message(panel.id).unwrap();
    assert_eq!(
        edited.embeds[0]["footer"]["text"].as_str(),
        Some("React or click to get a role (at most 1); again to remove it.")
    );

    // list and delete.
    let l = w.say(w.owner, "chro rr list").await;
    assert!(
        description(&l).starts_with("**#1** Colours · Toggle"),
        "{}",
        description(&l)
    );
    let d = w.say(w.owner, "chro rr delete 1").await;
    assert_eq!(title(&d), "✅ Panel deleted");
    let deleted = w.sb.wait_for_deletion(w.guild.general, WAIT).await.unwrap();
    assert_eq!(deleted.id, panel.id);
    assert!(has(&w, w.member, r.blue), "members keep their roles");
    let l = w.say(w.owner, "chro rr list").await;
    assert_eq!(description(&l), "No role panel yet: `rr setup` builds one.");
}

#[tokio::test]
async fn button_and_select_panels_in_each_mode() {
    let w = World::start().await;
    let r = roles(&w);
    let panel = setup_panel(
        &w,
        "toggle",
        "buttons",
        "0",
        &[r.red, r.green],
        "🔴 Red\n- Green",
    )
    .await;
    let labels: Vec<String> = panel.buttons().into_iter().filter_map(|b| b.1).collect();
    assert_eq!(labels, ["Red", "Green"]);

    let click_reply = |user: Id, label: &'static str| {
        let w = &w;
        let id = panel.id;
        async move {
            let i = w.sb.click_button(user, id, label).unwrap();
            let m = w.sb.wait_for_reply(&i, REPLY).await.unwrap();
            assert!(m.is_ephemeral());
            let _ = w.sb.wait_for_message(w.guild.general, REPLY).await;
            m
        }
    };
    // Toggle.
    let m = click_reply(w.member, "Red").await;
    assert_eq!(description(&m), format!("You now have <@&{}>.", r.red));
    assert!(has(&w, w.member, r.red));
    let m = click_reply(w.member, "Red").await;
    assert_eq!(
        description(&m),
        format!("You no longer have <@&{}>.", r.red)
    );
    assert!(!has(&w, w.member, r.red));
    // Single.
    w.say(w.owner, "chro rr edit 1 mode single").await;
    click_reply(w.member, "Red").await;
    let m = click_reply(w.member, "Green").await;
    assert_eq!(
        description(&m),
        format!("You now have <@&{}> instead of <@&{}>.", r.green, r.red)
    );
    assert!(has(&w, w.member, r.green) && !has(&w, w.member, r.red));
    // Verify: a second click is refused, the role stays.
    w.say(w.owner, "chro rr edit 1 mode verify").await;
    let m = click_reply(w.member, "Green").await;
    assert_eq!(title(&m), "❌ Not possible");
    assert_eq!(
        description(&m),
        "This panel only gives roles: it does not take them back."
    );
    assert!(has(&w, w.member, r.green));

    // A select panel: the picks become the member's roles of the panel (toggle, cap 2).
    let sel = setup_panel(
        &w,
        "toggle",
        "select",
        "2",
        &[r.red, r.blue],
        "🔴 Red\n🔵 Blue",
    )
    .await;
    let id = sel.components[0]["components"][0]["custom_id"]
        .as_str()
        .unwrap()
        .to_string();
    assert_eq!(sel.components[0]["components"][0]["max_values"], 2);
    let pick_reply = |values: Vec<String>| {
        let w = &w;
        let id = id.clone();
        let msg = sel.id;
        async move {
            let v: Vec<&str> = values.iter().map(String::as_str).collect();
            let i = w.sb.select(w.member, msg, &id, &v).unwrap();
            let m = w.sb.wait_for_reply(&i, REPLY).await.unwrap();
            let _ = w.sb.wait_for_message(w.guild.general, REPLY).await;
            m
        }
    };
    let m = pick_reply(vec![r.red.to_string(), r.blue.to_string()]).await;
    assert_eq!(
        description(&m),
        format!("You now have <@&{}>, <@&{}>.", r.red, r.blue)
    );
    assert!(has(&w, w.member, r.red) && has(&w, w.member, r.blue));
    let m = pick_reply(vec![r.blue.to_string()]).await;
    assert_eq!(
        description(&m),
        format!("You no longer have <@&{}>.", r.red)
    );
    assert!(!has(&w, w.member, r.red) && has(&w, w.member, r.blue));
    // Green (from the other panel) is untouched by this panel.
    assert!(has(&w, w.member, r.green));
}

#[tokio::test]
async fn reactions_made_while_the_bot_was_down_are_reconciled_on_start() {
    let mut w = World::start().await;
    let r = roles(&w);
    let panel = setup_panel(&w, "toggle", "reactions", "0", &[r.red, r.green], "🔴\n🟢").await;
    let alice = w.sb.create_user("alice");
    w.sb.add_member(w.guild.id, alice);
    w.sb.react(w.member, panel.id, "🔴");
    wait_role(&w, w.member, r.red, true).await;

    w.bot.take().unwrap().shutdown().await;
    // While the bot is down: the member takes their reaction back, alice reacts.
    w.sb.unreact(w.member, panel.id, "🔴");
    w.sb.react(alice, panel.id, "🟢");
    assert!(has(&w, w.member, r.red) && !has(&w, alice, r.green));

    w.restart_bot(Vec::new()).await;
    wait_role(&w, alice, r.green, true).await;
    wait_role(&w, w.member, r.red, false).await;
    // And the reconciled state keeps working.
    w.sb.unreact(alice, panel.id, "🟢");
    wait_role(&w, alice, r.green, false).await;
}

#[tokio::test]
async fn roles_above_the_bot_are_refused_at_setup_and_at_use() {
    let w = World::start().await;
    let r = roles(&w);
    let boss = w.sb.create_role(w.guild.id, "Boss", 0);
    w.sb.update_role(boss, |x| x.position = 50);

    // At setup: the wizard refuses the role and says why.
    let m = w.say(w.owner, "chro rr setup").await;
    let m = click(&w, w.owner, &m, "Next ▶").await;
    let i =
        w.sb.select(w.owner, m.id, &select(&m, "roles"), &[&boss.to_string()])
            .unwrap();
    let reply = w.sb.wait_for_reply(&i, REPLY).await.unwrap();
    let _ = w.sb.wait_for_message(w.guild.general, REPLY).await;
    assert!(reply.is_ephemeral());
    assert_eq!(title(&reply), "❌ Not possible");
    assert_eq!(
        description(&reply),
        "The role **Boss** is at or above my highest role, so Discord does not let me give it. Move my role above it in Server Settings → Roles, or pick another role."
    );

    // At use: a role moved above the bot after the setup.
    let panel = setup_panel(&w, "toggle", "buttons", "0", &[r.red, r.green], "🔴\n🟢").await;
    w.sb.update_role(r.red, |x| x.position = 60);
    let i = w.sb.click_button(w.member, panel.id, "Red").unwrap();
    let m = w.sb.wait_for_reply(&i, REPLY).await.unwrap();
    let _ = w.sb.wait_for_message(w.guild.general, REPLY).await;
    assert!(m.is_ephemeral());
    assert_eq!(
        description(&m),
        "I cannot change this role: The role **Red** is at or above my highest role, so Discord does not let me give it. Move my role above it in Server Settings → Roles, or pick another role."
    );
    assert!(!has(&w, w.member, r.red));
    assert!(w.rest("PUT", &format!("/roles/{}", r.red)).is_empty());

    // By reaction: the reaction is taken back and the member told by DM.
    let rp = setup_panel(&w, "toggle", "reactions", "0", &[r.green], "🟢").await;
    w.sb.update_role(r.green, |x| x.position = 70);
    w.sb.react(w.member, rp.id, "🟢");
    let dm = w.sb.wait_for_dm(w.member, WAIT).await.unwrap();
    assert!(
        description(&dm).contains("The role **Green** is at or above my highest role"),
        "{}",
        description(&dm)
    );
    assert!(!has(&w, w.member, r.green));
}

#[tokio::test]
async fn admin_commands_are_refused_to_a_plain_member() {
    let w = World::start().await;
    for cmd in [
        "chro rr setup",
        "chro rr list",
        "chro rr edit 1 title x",
        "chro rr delete 1",
        "chro rr",
    ] {
        let m = w.say(w.member, cmd).await;
        assert_eq!(title(&m), "❌ Not allowed", "{cmd}");
    }
}

#[tokio::test]
async fn rr_edit_adds_and_removes_roles_and_changes_emojis() {
    let w = World::start().await;
    let r = roles(&w);
    let panel = setup_panel(
        &w,
        "toggle",
        "reactions",
        "0",
        &[r.red, r.green],
        "🔴 Red team\n🟢 Green team",
    )
    .await;
    w.sb.wait_until(WAIT, "bot reactions", |s| {
        s.messages
            .get(&panel.id)
            .is_some_and(|m| m.reactions.len() == 2)
    })
    .await
    .unwrap();
    w.sb.react(w.member, panel.id, "🟢");
    wait_role(&w, w.member, r.green, true).await;

    // Refused to a plain member; bad values refused with the reason, nothing changes.
    let m = w
        .say(
            w.member,
            &format!("chro rr edit 1 addrole <@&{}> 🔵", r.blue),
        )
        .await;
    assert_eq!(title(&m), "❌ Not allowed");
    let m = w.say(w.owner, "chro rr edit 1 addrole blue").await;
    assert_eq!(
        description(&m),
        "Start the value with the role: a mention or its id (`rr edit 1 addrole @Role 🎮 Gamers`)."
    );
    let m = w
        .say(w.owner, &format!("chro rr edit 1 addrole <@&{}>", r.blue))
        .await;
    assert_eq!(
        description(&m),
        format!(
            "The role <@&{}> has no emoji: a reaction panel needs one per role.",
            r.blue
        )
    );
    let boss = w.sb.create_role(w.guild.id, "Boss", 0);
    w.sb.update_role(boss, |x| x.position = 50);
    let m = w
        .say(w.owner, &format!("chro rr edit 1 addrole <@&{boss}> 👑"))
        .await;
    assert_eq!(title(&m), "❌ Not possible");
    assert!(description(&m).starts_with("The role **Boss** is at or above my highest role"));
    let m = w
        .say(
            w.owner,
            &format!("chro rr edit 1 removerole <@&{}>", r.blue),
        )
        .await;
    assert_eq!(
        description(&m),
        format!("The role <@&{}> is not on this panel.", r.blue)
    );
    let m = w
        .say(w.owner, &format!("chro rr edit 1 emoji <@&{}> blue", r.red))
        .await;
    assert_eq!(
        description(&m),
        "blue is not an emoji (type one, or a server emoji like `<:name:id>`)."
    );
    assert_eq!(
        w.sb.message(panel.id).unwrap().reactions.len(),
        2,
        "nothing changed"
    );

    // Add a role: the message lists it and the bot reacts with its emoji.
    let m = w
        .say(
            w.owner,
            &format!("chro rr edit 1 addrole <@&{}> 🔵 Blue team", r.blue),
        )
        .await;
    assert_eq!(title(&m), "✅ Panel updated");
    assert_eq!(description(&m), "Panel #1 and its message are updated.");
    let d = description(&w.sb.message(panel.id).unwrap());
    assert!(d.contains(&format!("🔵 <@&{}> — Blue team", r.blue)), "{d}");
    w.sb.wait_until(WAIT, "blue reaction", |s| {
        s.messages
            .get(&panel.id)
            .is_some_and(|m| m.reactions.iter().any(|x| x.emoji == "🔵"))
    })
    .await
    .unwrap();
    assert_eq!(reactors(&w, panel.id, "🔵"), [w.sb.bot_id()]);
    w.sb.react(w.member, panel.id, "🔵");
    wait_role(&w, w.member, r.blue, true).await;

    // Change an emoji: the old reactions go, the bot reacts with the new one, which works.
    let m = w
        .say(w.owner, &format!("chro rr edit 1 emoji <@&{}> ❤️", r.red))
        .await;
    assert_eq!(title(&m), "✅ Panel updated");
    let msg = w.sb.message(panel.id).unwrap();
    assert!(reactors(&w, panel.id, "🔴").is_empty());
    assert_eq!(reactors(&w, panel.id, "❤️"), [w.sb.bot_id()]);
    assert!(
        description(&msg).contains(&format!("❤️ <@&{}> — Red team", r.red)),
        "{}",
        description(&msg)
    );
    w.sb.react(w.member, panel.id, "❤️");
    wait_role(&w, w.member, r.red, true).await;

    // Remove a role: its line and its reactions go; members keep the role.
    let m = w
        .say(
            w.owner,
            &format!("chro rr edit 1 removerole <@&{}>", r.green),
        )
        .await;
    assert_eq!(title(&m), "✅ Panel updated");
    let msg = w.sb.message(panel.id).unwrap();
    assert!(!description(&msg).contains(&format!("<@&{}>", r.green)));
    assert!(reactors(&w, panel.id, "🟢").is_empty());
    assert!(has(&w, w.member, r.green), "members keep the role");
    let emojis: Vec<String> = msg.reactions.iter().map(|x| x.emoji.clone()).collect();
    assert_eq!(emojis.len(), 2, "{emojis:?}");

    let audit = chronix_storage::audit::recent(&w.db.storage(), 20)
        .await
        .unwrap();
    assert_eq!(
        audit
            .iter()
            .filter(|a| a.action == "reactionroles.panel_edit")
            .count(),
        3
    );

    // A button panel: the buttons follow; an emoji can be cleared.
    let buttons = setup_panel(&w, "toggle", "buttons", "0", &[r.red], "🔴 Red").await;
    let m = w
        .say(w.owner, &format!("chro rr edit 2 addrole <@&{}>", r.green))
        .await;
    assert_eq!(title(&m), "✅ Panel updated");
    let labels: Vec<String> =
        w.sb.message(buttons.id)
            .unwrap()
            .buttons()
            .into_iter()
            .filter_map(|b| b.1)
            .collect();
    assert_eq!(
        labels,
        ["Red", "Green"],
        "the label defaults to the role's name"
    );
    let m = w
        .say(w.owner, &format!("chro rr edit 2 emoji <@&{}> none", r.red))
        .await;
    assert_eq!(title(&m), "✅ Panel updated");
    let b = &w.sb.message(buttons.id).unwrap().components[0]["components"][0];
    assert!(b["emoji"].is_null(), "{b}");
    let m = w
        .say(w.owner, &format!("chro rr edit 2 removerole <@&{}>", r.red))
        .await;
    assert_eq!(title(&m), "✅ Panel updated");
    let labels: Vec<String> =
        w.sb.message(buttons.id)
            .unwrap()
            .buttons()
            .into_iter()
            .filter_map(|b| b.1)
            .collect();
    assert_eq!(labels, ["Green"]);
    // The last role cannot go.
    let m = w
        .say(
            w.owner,
            &format!("chro rr edit 2 removerole <@&{}>", r.green),
        )
        .await;
    assert_eq!(title(&m), "❌ Not possible");
}
