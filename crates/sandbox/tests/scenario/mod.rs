//! The broad session shared by the contract test (serenity + twilight parse everything) and the
//! OpenAPI test (everything agrees with Discord's description): every REST route through
//! serenity's `Http` and every user action through the driver, with a recorder session capturing
//! every dispatch.

use std::time::Duration;

use chronix_sandbox::{CommandCall, GuildSetup, InteractionResponse, Sandbox};
use serde_json::json;
use serenity::all::{
    ButtonStyle, ChannelType, CreateActionRow, CreateAttachment, CreateButton, CreateChannel,
    CreateCommand, CreateCommandOption, CreateEmbed, CreateEmbedFooter, CreateInputText,
    CreateInteractionResponse, CreateInteractionResponseFollowup, CreateInteractionResponseMessage,
    CreateInvite, CreateMessage, CreateModal, CreateSelectMenu, CreateSelectMenuKind,
    CreateSelectMenuOption, CreateThread, EditChannel, EditInteractionResponse, EditMember,
    EditMessage, EditRole, GetMessages, GuildId, HttpBuilder, InputTextStyle, PermissionOverwrite,
    PermissionOverwriteType, Permissions, ReactionType, RoleId, Timestamp, UserId,
};

/// What the session leaves behind: the sandbox, the recorder id and the main guild.
pub struct Session {
    pub sb: Sandbox,
    pub rec: String,
    #[allow(dead_code)] // the contract test reads it, the OpenAPI test does not
    pub g: GuildSetup,
}

/// Run the broad session.
pub async fn broad_session() -> Session {
    let sb = Sandbox::start().await.unwrap();
    let rec = sb.record_events((1 << 26) - 1);
    let g = sb.create_guild("Contract");
    let alice = sb.create_user("alice");
    let bob = sb.create_user("bob");
    sb.add_member(g.id, alice);
    sb.add_member(g.id, bob);
    let mods = sb.create_role(g.id, "mods", 0);
    sb.give_role(g.id, alice, mods);
    sb.set_role_permissions(mods, 1 << 10);
    let cat = sb.create_channel(g.id, "Stuff", chronix_sandbox::ChannelKind::Category);
    let _thread = sb.create_channel_in(
        g.id,
        "a thread",
        chronix_sandbox::ChannelKind::PublicThread,
        Some(g.general),
    );
    let text2 = sb.create_channel_in(g.id, "text2", chronix_sandbox::ChannelKind::Text, Some(cat));
    sb.set_overwrite(
        text2,
        chronix_sandbox::Overwrite {
            id: g.id,
            member: false,
            allow: 0,
            deny: 1 << 11,
        },
    );

    let http = HttpBuilder::new(sb.token())
        .proxy(sb.base_url())
        .ratelimiter_disabled(true)
        .application_id(sb.application_id().into())
        .build();
    let gid = GuildId::new(g.id);
    let general = serenity::all::ChannelId::new(g.general);

    // ---- meta
    http.get_gateway().await.unwrap();
    http.get_bot_gateway().await.unwrap();
    http.get_current_user().await.unwrap();
    http.get_current_application_info().await.unwrap();
    http.get_user(UserId::new(alice)).await.unwrap();

    // ---- guild reads
    gid.to_partial_guild(&http).await.unwrap();
    gid.channels(&http).await.unwrap();
    gid.roles(&http).await.unwrap();
    gid.member(&http, UserId::new(alice)).await.unwrap();
    gid.members(&http, Some(100), None).await.unwrap();
    gid.search_members(&http, "al", None).await.unwrap();
    general.to_channel(&http).await.unwrap();

    // ---- messages
    let row = CreateActionRow::Buttons(vec![
        CreateButton::new("ok")
            .label("OK")
            .style(ButtonStyle::Primary),
        CreateButton::new_link("https://example.com").label("Docs"),
    ]);
    let select = CreateActionRow::SelectMenu(CreateSelectMenu::new(
        "pick",
        CreateSelectMenuKind::String {
            options: vec![
                CreateSelectMenuOption::new("One", "1"),
                CreateSelectMenuOption::new("Two", "2"),
            ],
        },
    ));
    let embed = CreateEmbed::new()
        .title("Title")
        .description("Desc")
        .field("a", "b", true)
        .footer(CreateEmbedFooter::new("foot"))
        .timestamp(Timestamp::now());
    let m1 = general
        .send_message(
            &http,
            CreateMessage::new()
                .content(format!("hello <@{alice}>"))
                .embed(embed)
                .components(vec![row, select])
                .add_file(CreateAttachment::bytes(b"hello file".to_vec(), "hello.txt")),
        )
        .await
        .unwrap();
    assert_eq!(m1.attachments.len(), 1);
    assert!(m1.attachments[0].url.starts_with("http://127.0.0.1:"));
    let m2 = general
        .send_message(
            &http,
            CreateMessage::new().content("reply").reference_message(&m1),
        )
        .await
        .unwrap();
    general
        .edit_message(&http, m2.id, EditMessage::new().content("edited"))
        .await
        .unwrap();
    general
        .messages(&http, GetMessages::new().limit(10))
        .await
        .unwrap();
    general.message(&http, m1.id).await.unwrap();
    let thumbs = ReactionType::Unicode("👍".into());
    general
        .create_reaction(&http, m1.id, thumbs.clone())
        .await
        .unwrap();
    general
        .reaction_users(&http, m1.id, thumbs.clone(), None, None)
        .await
        .unwrap();
    general.message(&http, m1.id).await.unwrap();
    general
        .delete_reaction(&http, m1.id, None, thumbs.clone())
        .await
        .unwrap();
    general.pin(&http, m2.id).await.unwrap();
    general.pins(&http).await.unwrap();
    general
        .create_thread_from_message(&http, m2.id, CreateThread::new("discussion"))
        .await
        .unwrap();
    let m3 = general.say(&http, "three").await.unwrap();
    let m4 = general.say(&http, "four").await.unwrap();
    general
        .delete_messages(&http, [m3.id, m4.id])
        .await
        .unwrap();
    general.delete_message(&http, m2.id).await.unwrap();
    general.broadcast_typing(&http).await.unwrap();

    // ---- user actions (driver) → events
    let um = sb.send_message(alice, g.general, "hi bot");
    sb.edit_user_message(um, "hi bot (edited)");
    sb.react(alice, m1.id.get(), "👍");
    sb.react(alice, m1.id.get(), "blob:123456789012345678");
    sb.unreact(alice, m1.id.get(), "👍");
    sb.typing(alice, g.general);
    sb.join_voice(alice, g.id, g.voice);
    sb.leave_voice(alice, g.id);
    sb.delete_user_message(um);
    let dm_in = sb.send_dm(bob, "hello in DM");
    let _ = dm_in;

    // ---- channels
    let ch = gid
        .create_channel(
            &http,
            CreateChannel::new("new-channel")
                .kind(ChannelType::Text)
                .category(cat),
        )
        .await
        .unwrap();
    let voice = gid
        .create_channel(
            &http,
            CreateChannel::new("Voice 2").kind(ChannelType::Voice),
        )
        .await
        .unwrap();
    let mut ch2 = ch.clone();
    ch2.edit(&http, EditChannel::new().topic("a topic"))
        .await
        .unwrap();
    ch.id
        .create_permission(
            &http,
            PermissionOverwrite {
                allow: Permissions::VIEW_CHANNEL,
                deny: Permissions::SEND_MESSAGES,
                kind: PermissionOverwriteType::Role(RoleId::new(g.id)),
            },
        )
        .await
        .unwrap();
    ch.id
        .delete_permission(&http, PermissionOverwriteType::Role(RoleId::new(g.id)))
        .await
        .unwrap();
    ch.id.delete(&http).await.unwrap();
    voice.id.delete(&http).await.unwrap();

    // ---- roles and members
    let r = gid
        .create_role(&http, EditRole::new().name("helpers").colour(0x00ff00))
        .await
        .unwrap();
    gid.edit_role(&http, r.id, EditRole::new().name("helpers2"))
        .await
        .unwrap();
    http.add_member_role(gid, UserId::new(alice), r.id, Some("promote"))
        .await
        .unwrap();
    http.remove_member_role(gid, UserId::new(alice), r.id, Some("demote"))
        .await
        .unwrap();
    gid.edit_member(
        &http,
        UserId::new(alice),
        EditMember::new().nickname("ally"),
    )
    .await
    .unwrap();
    let until = Timestamp::from_unix_timestamp(chrono::Utc::now().timestamp() + 600).unwrap();
    gid.edit_member(
        &http,
        UserId::new(alice),
        EditMember::new().disable_communication_until_datetime(until),
    )
    .await
    .unwrap();
    gid.edit_member(
        &http,
        UserId::new(alice),
        EditMember::new().enable_communication(),
    )
    .await
    .unwrap();
    gid.delete_role(&http, r.id).await.unwrap();
    gid.kick_with_reason(&http, UserId::new(bob), "bye")
        .await
        .unwrap();
    gid.ban_with_reason(&http, UserId::new(alice), 0, "spam")
        .await
        .unwrap();
    gid.bans(&http, None, None).await.unwrap();
    gid.unban(&http, UserId::new(alice)).await.unwrap();
    gid.audit_logs(&http, None, None, None, None).await.unwrap();
    sb.add_member(g.id, alice);
    let carol = sb.create_user("carol");
    sb.add_member(g.id, carol);
    sb.remove_member(g.id, carol);

    // ---- DMs
    let dm = UserId::new(bob).create_dm_channel(&http).await.unwrap();
    dm.id.say(&http, "hello bob").await.unwrap();

    // ---- invites
    let inv = general
        .create_invite(&http, CreateInvite::new().max_age(3600))
        .await
        .unwrap();
    http.get_invite(&inv.code, false, false, None)
        .await
        .unwrap();
    general.invites(&http).await.unwrap();
    http.delete_invite(&inv.code, None).await.unwrap();

    // ---- application commands
    let cmds = vec![
        CreateCommand::new("echo")
            .description("Echo")
            .add_option(
                CreateCommandOption::new(serenity::all::CommandOptionType::String, "text", "text")
                    .required(true)
                    .set_autocomplete(true),
            )
            .add_option(CreateCommandOption::new(
                serenity::all::CommandOptionType::User,
                "who",
                "user",
            )),
        CreateCommand::new("config")
            .description("Config")
            .add_option(
                CreateCommandOption::new(
                    serenity::all::CommandOptionType::SubCommand,
                    "set",
                    "Set a value",
                )
                .add_sub_option(
                    CreateCommandOption::new(
                        serenity::all::CommandOptionType::Integer,
                        "value",
                        "v",
                    )
                    .required(true),
                )
                .add_sub_option(CreateCommandOption::new(
                    serenity::all::CommandOptionType::Role,
                    "role",
                    "r",
                )),
            ),
        CreateCommand::new("Inspect").kind(serenity::all::CommandType::User),
        CreateCommand::new("Quote").kind(serenity::all::CommandType::Message),
    ];
    serenity::all::Command::set_global_commands(&http, cmds)
        .await
        .unwrap();
    gid.set_commands(
        &http,
        vec![CreateCommand::new("local").description("Guild command")],
    )
    .await
    .unwrap();
    serenity::all::Command::get_global_commands(&http)
        .await
        .unwrap();
    gid.get_commands(&http).await.unwrap();

    // ---- interactions: every callback type
    let i = sb
        .run_command(
            alice,
            g.general,
            CommandCall::new("echo").opt("text", "hi").opt("who", bob),
        )
        .unwrap();
    http.create_interaction_response(
        i.id.into(),
        &i.token,
        &CreateInteractionResponse::Message(
            CreateInteractionResponseMessage::new()
                .content("echo hi")
                .components(vec![CreateActionRow::Buttons(vec![
                    CreateButton::new("again").label("Again"),
                ])]),
        ),
        vec![],
    )
    .await
    .unwrap();
    http.get_original_interaction_response(&i.token)
        .await
        .unwrap();
    http.edit_original_interaction_response(
        &i.token,
        &EditInteractionResponse::new().content("echo hi!"),
        vec![],
    )
    .await
    .unwrap();
    let f = http
        .create_followup_message(
            &i.token,
            &CreateInteractionResponseFollowup::new()
                .content("and more")
                .ephemeral(true),
            vec![],
        )
        .await
        .unwrap();
    http.get_followup_message(&i.token, f.id).await.unwrap();
    http.edit_followup_message(
        &i.token,
        f.id,
        &CreateInteractionResponseFollowup::new().content("edited more"),
        vec![],
    )
    .await
    .unwrap();
    http.delete_followup_message(&i.token, f.id).await.unwrap();
    let original = sb.interaction(i.id).unwrap().original_message.unwrap();

    let sub = sb
        .run_command(
            alice,
            g.general,
            CommandCall::new("config")
                .sub("set")
                .opt("value", "5")
                .opt("role", mods),
        )
        .unwrap();
    http.create_interaction_response(
        sub.id.into(),
        &sub.token,
        &CreateInteractionResponse::Defer(CreateInteractionResponseMessage::new().ephemeral(true)),
        vec![],
    )
    .await
    .unwrap();
    http.edit_original_interaction_response(
        &sub.token,
        &EditInteractionResponse::new().content("set"),
        vec![],
    )
    .await
    .unwrap();
    http.delete_original_interaction_response(&sub.token)
        .await
        .unwrap();

    let ac = sb
        .autocomplete(
            alice,
            g.general,
            CommandCall::new("echo").opt("text", "he").focus("text"),
        )
        .unwrap();
    http.create_interaction_response(
        ac.id.into(),
        &ac.token,
        &CreateInteractionResponse::Autocomplete(
            serenity::all::CreateAutocompleteResponse::new().add_string_choice("hello", "hello"),
        ),
        vec![],
    )
    .await
    .unwrap();
    assert!(
        matches!(sb.wait_for_response(&ac, Duration::from_secs(1)).await.unwrap(), InteractionResponse::Autocomplete(c) if c.len() == 1)
    );

    let click = sb.click_button(alice, original, "Again").unwrap();
    http.create_interaction_response(
        click.id.into(),
        &click.token,
        &CreateInteractionResponse::Acknowledge,
        vec![],
    )
    .await
    .unwrap();
    http.edit_original_interaction_response(
        &click.token,
        &EditInteractionResponse::new().content("clicked"),
        vec![],
    )
    .await
    .unwrap();

    let pick = sb.select(alice, m1.id.get(), "pick", &["2"]).unwrap();
    let modal =
        CreateModal::new("feedback", "Feedback").components(vec![CreateActionRow::InputText(
            CreateInputText::new(InputTextStyle::Paragraph, "Your feedback", "text").required(true),
        )]);
    http.create_interaction_response(
        pick.id.into(),
        &pick.token,
        &CreateInteractionResponse::Modal(modal),
        vec![],
    )
    .await
    .unwrap();
    let submit = sb.submit_modal(alice, &pick, &[("text", "great")]).unwrap();
    http.create_interaction_response(
        submit.id.into(),
        &submit.token,
        &CreateInteractionResponse::UpdateMessage(
            CreateInteractionResponseMessage::new().content("thanks"),
        ),
        vec![],
    )
    .await
    .unwrap();

    let uc = sb
        .run_user_command(alice, g.general, "Inspect", bob)
        .unwrap();
    let mc = sb.run_message_command(alice, "Quote", m1.id.get()).unwrap();
    for it in [&uc, &mc] {
        http.create_interaction_response(
            it.id.into(),
            &it.token,
            &CreateInteractionResponse::Message(
                CreateInteractionResponseMessage::new().content("ok"),
            ),
            vec![],
        )
        .await
        .unwrap();
    }
    let dm_cmd = sb
        .run_command(
            bob,
            sb.dm_channel(bob),
            CommandCall::new("echo").opt("text", "dm"),
        )
        .unwrap();
    http.create_interaction_response(
        dm_cmd.id.into(),
        &dm_cmd.token,
        &CreateInteractionResponse::Message(
            CreateInteractionResponseMessage::new().content("dm ok"),
        ),
        vec![],
    )
    .await
    .unwrap();

    // ---- errors are Discord-shaped and parse in serenity
    let too_long = http
        .send_message(general, vec![], &json!({"content": "x".repeat(2001)}))
        .await
        .unwrap_err();
    let unknown = http
        .get_channel(serenity::all::ChannelId::new(1))
        .await
        .unwrap_err();
    let forbidden = gid.kick(&http, UserId::new(g.owner_id)).await.unwrap_err();
    for (e, status, code) in [
        (too_long, 400, 50035),
        (unknown, 404, 10003),
        (forbidden, 403, 50013),
    ] {
        match e {
            serenity::Error::Http(serenity::all::HttpError::UnsuccessfulRequest(r)) => {
                assert_eq!(r.status_code.as_u16(), status);
                assert_eq!(r.error.code, code);
            }
            other => panic!("unexpected {other:?}"),
        }
    }

    let other = sb.create_guild("Other");
    sb.remove_bot_from_guild(other.id);
    Session { sb, rec, g }
}
