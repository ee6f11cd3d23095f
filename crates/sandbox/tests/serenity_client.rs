//! A real serenity client connected to the sandbox through the proxy.

use std::time::Duration;

use chronix_sandbox::{CommandCall, InteractionResponse, Sandbox};
use serenity::all::{
    ButtonStyle, Command, CommandDataOptionValue, CommandOptionType, Context, CreateActionRow,
    CreateButton, CreateCommand, CreateCommandOption, CreateInteractionResponse,
    CreateInteractionResponseMessage, CreateMessage, EditInteractionResponse, EventHandler,
    GatewayIntents, HttpBuilder, Interaction, Message, Ready,
};
use serenity::async_trait;

const T: Duration = Duration::from_secs(10);

struct Handler;

#[async_trait]
impl EventHandler for Handler {
    async fn ready(&self, ctx: Context, _ready: Ready) {
        let cmds = vec![
            CreateCommand::new("echo")
                .description("Echo text")
                .add_option(
                    CreateCommandOption::new(CommandOptionType::String, "text", "What to say")
                        .required(true),
                ),
            CreateCommand::new("slow").description("Deferred reply"),
            CreateCommand::new("menu").description("Shows a button"),
        ];
        Command::set_global_commands(&ctx.http, cmds)
            .await
            .expect("register commands");
    }

    async fn message(&self, ctx: Context, msg: Message) {
        if msg.author.bot {
            return;
        }
        if msg.content == "!ping" {
            msg.channel_id.say(&ctx.http, "pong").await.expect("reply");
        } else if msg.content == "!buttons" {
            let row = CreateActionRow::Buttons(vec![
                CreateButton::new("yes")
                    .label("Yes")
                    .style(ButtonStyle::Success),
                CreateButton::new("no")
                    .label("No")
                    .style(ButtonStyle::Danger),
            ]);
            msg.channel_id
                .send_message(
                    &ctx.http,
                    CreateMessage::new().content("Sure?").components(vec![row]),
                )
                .await
                .expect("send buttons");
        }
    }

    async fn interaction_create(&self, ctx: Context, interaction: Interaction) {
        match interaction {
            Interaction::Command(cmd) => match cmd.data.name.as_str() {
                "echo" => {
                    let text = match &cmd.data.options[0].value {
                        CommandDataOptionValue::String(s) => s.clone(),
                        _ => "?".into(),
                    };
                    let msg = CreateInteractionResponseMessage::new()
                        .content(format!("echo: {text}"))
                        .ephemeral(true);
                    cmd.create_response(&ctx.http, CreateInteractionResponse::Message(msg))
                        .await
                        .expect("respond");
                }
                "slow" => {
                    cmd.defer(&ctx.http).await.expect("defer");
                    tokio::time::sleep(Duration::from_millis(100)).await;
                    cmd.edit_response(
                        &ctx.http,
                        EditInteractionResponse::new().content("done thinking"),
                    )
                    .await
                    .expect("edit");
                }
                _ => {}
            },
            Interaction::Component(c) => {
                let msg = CreateInteractionResponseMessage::new()
                    .content(format!("you chose {}", c.data.custom_id))
                    .components(vec![]);
                c.create_response(&ctx.http, CreateInteractionResponse::UpdateMessage(msg))
                    .await
                    .expect("update");
            }
            _ => {}
        }
    }
}

async fn start_bot(sb: &Sandbox) -> tokio::task::JoinHandle<()> {
    let http = HttpBuilder::new(sb.token())
        .proxy(sb.base_url())
        .ratelimiter_disabled(true)
        .build();
    let intents = GatewayIntents::non_privileged() | GatewayIntents::MESSAGE_CONTENT;
    let mut client = serenity::all::ClientBuilder::new_with_http(http, intents)
        .event_handler(Handler)
        .await
        .expect("client");
    tokio::spawn(async move {
        let _ = client.start().await;
    })
}

#[tokio::test]
async fn serenity_bot_replies_runs_commands_and_survives_a_dropped_gateway() {
    let sb = Sandbox::start().await.unwrap();
    let g = sb.create_guild("Test");
    let alice = sb.create_user("alice");
    sb.add_member(g.id, alice);
    let bot = start_bot(&sb).await;
    sb.wait_for_ready(T).await.unwrap();

    // message → REST reply
    sb.send_message(alice, g.general, "!ping");
    let reply = sb.wait_for_message(g.general, T).await.unwrap();
    assert_eq!(reply.content, "pong");
    assert_eq!(reply.author_id, sb.bot_id());

    // the commands were registered through PUT /applications/{id}/commands
    let put = sb
        .wait_for_rest("PUT", "/applications/{application_id}/commands", T)
        .await
        .unwrap();
    assert_eq!(put.status, 200);
    assert_eq!(sb.commands().len(), 3);

    // slash command with an option → ephemeral response visible to the driver
    let i = sb
        .run_command(
            alice,
            g.general,
            CommandCall::new("echo").opt("text", "hello"),
        )
        .unwrap();
    let resp = sb.wait_for_response(&i, T).await.unwrap();
    assert!(
        matches!(
            resp,
            InteractionResponse::Message {
                ephemeral: true,
                ..
            }
        ),
        "{resp:?}"
    );
    let m = sb.wait_for_reply(&i, T).await.unwrap();
    assert_eq!(m.content, "echo: hello");
    assert_eq!(m.visible_to, Some(alice));

    // deferred response, then @original edit
    let i = sb
        .run_command(alice, g.general, CommandCall::new("slow"))
        .unwrap();
    assert!(matches!(
        sb.wait_for_response(&i, T).await.unwrap(),
        InteractionResponse::Deferred { .. }
    ));
    let m = sb.wait_for_reply(&i, T).await.unwrap();
    assert_eq!(m.content, "done thinking");

    // buttons: click by label → type 7 update
    sb.send_message(alice, g.general, "!buttons");
    let mut with_buttons = sb.wait_for_message(g.general, T).await.unwrap();
    while with_buttons.components.is_empty() {
        with_buttons = sb.wait_for_message(g.general, T).await.unwrap();
    }
    let click = sb.click_button(alice, with_buttons.id, "Yes").unwrap();
    assert!(matches!(
        sb.wait_for_response(&click, T).await.unwrap(),
        InteractionResponse::UpdateMessage { .. }
    ));
    let updated = sb.message(with_buttons.id).unwrap();
    assert_eq!(updated.content, "you chose yes");
    assert!(updated.components.is_empty());

    // drop the gateway; a message sent while it is down must still arrive after RESUME
    sb.drop_gateway().await;
    let while_down = sb.send_message(alice, g.general, "!ping");
    sb.wait_for_resume(1, T).await.unwrap();
    let reply = sb.wait_for_message(g.general, T).await.unwrap();
    assert_eq!(reply.content, "pong");
    assert!(reply.id > while_down);

    // op 7 RECONNECT and a resumable close code (4000) also end in a RESUME
    sb.send_reconnect();
    sb.wait_for_resume(2, T).await.unwrap();
    sb.close_gateway(4000).await;
    sb.send_message(alice, g.general, "!ping");
    sb.wait_for_resume(3, T).await.unwrap();
    assert_eq!(
        sb.wait_for_message(g.general, T).await.unwrap().content,
        "pong"
    );

    bot.abort();
}

#[tokio::test]
async fn interaction_not_acknowledged_in_time_fails_like_discord() {
    let sb = Sandbox::start_with(chronix_sandbox::SandboxConfig {
        interaction_ack_timeout: Duration::from_millis(300),
        ..Default::default()
    })
    .await
    .unwrap();
    let g = sb.create_guild("Test");
    let alice = sb.create_user("alice");
    sb.add_member(g.id, alice);
    sb.with_state_mut(|st| {
        let id = 4242;
        st.commands.insert(
            id,
            chronix_sandbox::Command {
                id,
                guild_id: None,
                name: "ghost".into(),
                kind: 1,
                json: serde_json::json!({"id": "4242", "name": "ghost", "type": 1, "description": "x"}),
            },
        );
    });
    // nobody is connected: the user sees "The application did not respond"
    let i = sb
        .run_command(alice, g.general, CommandCall::new("ghost"))
        .unwrap();
    let err = sb.wait_for_response(&i, T).await.unwrap_err();
    assert_eq!(err, chronix_sandbox::WaitError::NoResponse);
    assert_eq!(err.to_string(), "The application did not respond");

    // a late callback is rejected with 10062 Unknown interaction
    let http = HttpBuilder::new(sb.token())
        .proxy(sb.base_url())
        .ratelimiter_disabled(true)
        .build();
    let late = http
        .create_interaction_response(
            i.id.into(),
            &i.token,
            &CreateInteractionResponse::Defer(CreateInteractionResponseMessage::new()),
            vec![],
        )
        .await
        .unwrap_err();
    match late {
        serenity::Error::Http(serenity::all::HttpError::UnsuccessfulRequest(r)) => {
            assert_eq!(r.status_code.as_u16(), 404);
            assert_eq!(r.error.code, 10062);
        }
        other => panic!("unexpected {other:?}"),
    }
}
