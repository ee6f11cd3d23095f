//! A poise bot against the sandbox: start-up (`GET /oauth2/applications/@me`, global command
//! registration), prefix + slash commands, subcommands, ephemeral replies, a button collector,
//! a modal and autocomplete.

use std::time::Duration;

use chronix_sandbox::{CommandCall, InteractionResponse, Sandbox};
use poise::serenity_prelude as serenity;
use serenity::{
    ClientBuilder, CreateActionRow, CreateButton, CreateInteractionResponse,
    CreateInteractionResponseMessage, GatewayIntents, HttpBuilder,
};

type Error = Box<dyn std::error::Error + Send + Sync>;
type Ctx<'a> = poise::Context<'a, (), Error>;
type AppCtx<'a> = poise::ApplicationContext<'a, (), Error>;

const T: Duration = Duration::from_secs(10);

/// Add two numbers.
#[poise::command(slash_command, prefix_command)]
async fn add(
    ctx: Ctx<'_>,
    #[description = "first"] a: i64,
    #[description = "second"] b: i64,
) -> Result<(), Error> {
    ctx.say(format!("{}", a + b)).await?;
    Ok(())
}

/// Settings.
#[poise::command(slash_command, subcommands("set"), subcommand_required)]
async fn config(_ctx: Ctx<'_>) -> Result<(), Error> {
    Ok(())
}

/// Set a value.
#[poise::command(slash_command)]
async fn set(
    ctx: Ctx<'_>,
    #[description = "key"] key: String,
    #[description = "value"] value: i64,
) -> Result<(), Error> {
    ctx.send(
        poise::CreateReply::default()
            .content(format!("{key} = {value}"))
            .ephemeral(true),
    )
    .await?;
    Ok(())
}

/// Asks for confirmation with a button.
#[poise::command(slash_command)]
async fn confirm(ctx: Ctx<'_>) -> Result<(), Error> {
    let row = CreateActionRow::Buttons(vec![
        CreateButton::new("yes").label("Yes"),
        CreateButton::new("no").label("No"),
    ]);
    let handle = ctx
        .send(
            poise::CreateReply::default()
                .content("Are you sure?")
                .components(vec![row]),
        )
        .await?;
    let msg = handle.message().await?;
    if let Some(press) = msg
        .await_component_interaction(ctx.serenity_context())
        .timeout(T)
        .await
    {
        let text = if press.data.custom_id == "yes" {
            "Confirmed"
        } else {
            "Cancelled"
        };
        press
            .create_response(
                ctx.http(),
                CreateInteractionResponse::UpdateMessage(
                    CreateInteractionResponseMessage::new()
                        .content(text)
                        .components(vec![]),
                ),
            )
            .await?;
    }
    Ok(())
}

#[derive(Debug, poise::Modal)]
#[name = "Feedback"]
struct Feedback {
    #[name = "Your feedback"]
    #[paragraph]
    text: String,
}

/// Opens a modal.
#[poise::command(slash_command)]
async fn feedback(ctx: AppCtx<'_>) -> Result<(), Error> {
    use poise::Modal as _;
    if let Some(f) = Feedback::execute(ctx).await? {
        ctx.say(format!("thanks for: {}", f.text)).await?;
    }
    Ok(())
}

async fn fruits(_ctx: Ctx<'_>, partial: &str) -> serenity::CreateAutocompleteResponse {
    let mut r = serenity::CreateAutocompleteResponse::new();
    for f in ["apple", "apricot", "banana"]
        .into_iter()
        .filter(|f| f.starts_with(partial))
    {
        r = r.add_string_choice(f, f);
    }
    r
}

/// Pick a fruit.
#[poise::command(slash_command)]
async fn fruit(
    ctx: Ctx<'_>,
    #[description = "name"]
    #[autocomplete = "fruits"]
    name: String,
) -> Result<(), Error> {
    ctx.say(format!("you picked {name}")).await?;
    Ok(())
}

#[tokio::test]
async fn poise_bot_end_to_end() {
    let sb = Sandbox::start().await.unwrap();
    let g = sb.create_guild("Poise");
    let alice = sb.create_user("alice");
    sb.add_member(g.id, alice);

    let framework = poise::Framework::builder()
        .options(poise::FrameworkOptions {
            commands: vec![add(), config(), confirm(), feedback(), fruit()],
            prefix_options: poise::PrefixFrameworkOptions {
                prefix: Some("!".into()),
                ..Default::default()
            },
            ..Default::default()
        })
        .setup(|ctx, _ready, framework| {
            Box::pin(async move {
                poise::builtins::register_globally(ctx, &framework.options().commands).await?;
                Ok(())
            })
        })
        .build();
    let http = HttpBuilder::new(sb.token())
        .proxy(sb.base_url())
        .ratelimiter_disabled(true)
        .build();
    let intents = GatewayIntents::non_privileged() | GatewayIntents::MESSAGE_CONTENT;
    let mut client = ClientBuilder::new_with_http(http, intents)
        .framework(framework)
        .await
        .unwrap();
    let bot = tokio::spawn(async move {
        let _ = client.start().await;
    });
    sb.wait_for_ready(T).await.unwrap();
    // poise read the application and registered its commands globally
    sb.wait_for_rest("GET", "/oauth2/applications/@me", T)
        .await
        .unwrap();
    sb.wait_for_rest("PUT", "/applications/{application_id}/commands", T)
        .await
        .unwrap();
    assert_eq!(sb.commands().len(), 5);

    // prefix command
    sb.send_message(alice, g.general, "!add 2 3");
    assert_eq!(
        sb.wait_for_message(g.general, T).await.unwrap().content,
        "5"
    );

    // slash command
    let i = sb
        .run_command(
            alice,
            g.general,
            CommandCall::new("add").opt("a", 40).opt("b", 2),
        )
        .unwrap();
    assert_eq!(sb.wait_for_reply(&i, T).await.unwrap().content, "42");

    // subcommand with an ephemeral reply
    let i = sb
        .run_command(
            alice,
            g.general,
            CommandCall::new("config")
                .sub("set")
                .opt("key", "volume")
                .opt("value", "7"),
        )
        .unwrap();
    let reply = sb.wait_for_reply(&i, T).await.unwrap();
    assert_eq!(reply.content, "volume = 7");
    assert_eq!(reply.visible_to, Some(alice));

    // button handled by a collector
    let i = sb
        .run_command(alice, g.general, CommandCall::new("confirm"))
        .unwrap();
    let prompt = sb.wait_for_reply(&i, T).await.unwrap();
    assert!(chronix_sandbox::render::message_to_text(&prompt).contains("[ Yes ] [ No ]"));
    // like a human, click only after the bot is listening: poise fetches `@original`, then
    // starts its collector
    sb.wait_for_rest("GET", "/messages/@original", T)
        .await
        .unwrap();
    sb.settle(Duration::from_millis(50), T).await.unwrap();
    let click = sb.click_button(alice, prompt.id, "Yes").unwrap();
    assert_eq!(
        sb.wait_for_reply(&click, T).await.unwrap().content,
        "Confirmed"
    );

    // modal
    let i = sb
        .run_command(alice, g.general, CommandCall::new("feedback"))
        .unwrap();
    let InteractionResponse::Modal(modal) = sb.wait_for_response(&i, T).await.unwrap() else {
        panic!("no modal")
    };
    assert_eq!(modal["title"], "Feedback");
    let input = modal["components"][0]["components"][0]["custom_id"]
        .as_str()
        .unwrap()
        .to_owned();
    let submit = sb
        .submit_modal(alice, &i, &[(&input, "great bot")])
        .unwrap();
    // poise closes the modal with a deferred update, then answers with a follow-up
    assert_eq!(
        sb.wait_for_response(&submit, T).await.unwrap(),
        InteractionResponse::DeferredUpdate
    );
    assert_eq!(
        sb.wait_for_followup(&i, T).await.unwrap().content,
        "thanks for: great bot"
    );

    // autocomplete
    let ac = sb
        .autocomplete(
            alice,
            g.general,
            CommandCall::new("fruit").opt("name", "ap").focus("name"),
        )
        .unwrap();
    let InteractionResponse::Autocomplete(choices) = sb.wait_for_response(&ac, T).await.unwrap()
    else {
        panic!()
    };
    let names: Vec<&str> = choices.iter().filter_map(|c| c["name"].as_str()).collect();
    assert_eq!(names, ["apple", "apricot"]);

    bot.abort();
}
