//! Test-only commands and features. They are never registered by the binary: the end-to-end
//! tests pass them in [`crate::BotOptions::extra_commands`] (to force an internal error and a
//! panic, …) and [`crate::BotOptions::extra_features`] (the test wizard).

use crate::prelude::*;

/// The test-only commands (`boom`: internal error, `kaboom`: panic, `snooze`: slow, `wiztest`:
/// the test wizard), hidden from help.
pub fn test_commands() -> Vec<Command> {
    vec![boom(), kaboom(), snooze(), wiztest()]
}

/// Fail with an internal error (tests only).
#[poise::command(prefix_command, slash_command, hide_in_help, custom_data = Tier::Everyone)]
pub async fn boom(_ctx: Context<'_>) -> Result<(), Error> {
    Err(anyhow::anyhow!("forced failure for tests").context("the boom command failed on purpose"))
}

/// Panic (tests only).
#[poise::command(prefix_command, slash_command, hide_in_help, custom_data = Tier::Everyone)]
#[allow(clippy::unused_async)]
pub async fn kaboom(_ctx: Context<'_>) -> Result<(), Error> {
    panic!("forced panic for tests");
}

/// Answer after one second (tests only: graceful shutdown waits for it).
#[poise::command(prefix_command, slash_command, hide_in_help, custom_data = Tier::Everyone)]
pub async fn snooze(ctx: Context<'_>) -> Result<(), Error> {
    tokio::time::sleep(std::time::Duration::from_secs(1)).await;
    ctx.send(embeds::reply(Embed::info("Awake"))).await?;
    Ok(())
}

/// Open the test wizard (tests only; `wiztest short`: expires after 3 s).
#[poise::command(prefix_command, slash_command, hide_in_help, custom_data = Tier::Everyone)]
pub async fn wiztest(ctx: Context<'_>, mode: Option<String>) -> Result<(), Error> {
    let name = match mode.as_deref() {
        Some("short") => TEST_WIZARD_SHORT,
        _ => TEST_WIZARD,
    };
    let state = TestWizard {
        nonce: rand::random(),
        ..TestWizard::default()
    };
    crate::ui::wizard::start(ctx, name, &state).await?;
    Ok(())
}

/// The test wizard's name.
pub const TEST_WIZARD: &str = "testwiz";
/// The same wizard with a three-second idle time.
pub const TEST_WIZARD_SHORT: &str = "testwizshort";

/// The test wizard's state: a colour (step 1, a select), a name (step 2, a modal) and a counter
/// (step 2, a button).
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct TestWizard {
    /// Picked in step 1.
    pub colour: Option<String>,
    /// Typed in step 2's modal.
    pub name: Option<String>,
    /// Raised by step 2's `+1` button.
    pub count: u32,
    /// Random, set at start: tells the wizards of parallel tests apart (their databases reuse ids).
    pub nonce: u64,
}

static CONFIRMED: std::sync::Mutex<Vec<TestWizard>> = std::sync::Mutex::new(Vec::new());

/// The test wizards confirmed so far in this process (their final states).
pub fn confirmed() -> Vec<TestWizard> {
    CONFIRMED.lock().map(|v| v.clone()).unwrap_or_default()
}

/// The test-only features (the test wizards), registered by the end-to-end tests beside
/// [`test_commands`].
pub fn test_features() -> Vec<Feature> {
    vec![
        Feature::new("debug", Vec::new)
            .switch(crate::registry::ALWAYS_ON)
            .wizard(test_wizard(TEST_WIZARD, crate::ui::wizard::DEFAULT_TTL))
            .wizard(test_wizard(TEST_WIZARD_SHORT, chrono::Duration::seconds(3))),
    ]
}

fn test_wizard(name: &'static str, ttl: chrono::Duration) -> crate::ui::wizard::WizardDef {
    use crate::ui::wizard::{Control, Input, ModalSpec, Step, TextField, View, WizardSpec};
    let colour = Step::new(
        |s: &TestWizard, _l| View {
            embed: Embed::info("Pick a colour")
                .description(s.colour.clone().unwrap_or_else(|| "none yet".into())),
            controls: vec![Control::Select {
                key: "colour",
                placeholder: "Colour".into(),
                options: ["red", "green", "blue"]
                    .into_iter()
                    .map(|c| (c.to_string(), c.to_string(), s.colour.as_deref() == Some(c)))
                    .collect(),
                min: 1,
                max: 1,
            }],
        },
        |s, input, _l| {
            s.colour = input.first().map(str::to_string);
            Ok(())
        },
    )
    .ready(|s| s.colour.is_some());
    let name_step = Step::new(
        |s: &TestWizard, _l| View {
            embed: Embed::info("Name it")
                .field("Name", s.name.clone().unwrap_or_else(|| "—".into()), true)
                .field("Count", s.count.to_string(), true),
            controls: vec![
                Control::Modal(ModalSpec {
                    key: "name",
                    button: "Set name".into(),
                    title: "Name".into(),
                    fields: vec![TextField {
                        key: "name",
                        label: "Name".into(),
                        value: s.name.clone(),
                        required: true,
                        max_len: 32,
                        long: false,
                    }],
                }),
                Control::Button {
                    key: "plus",
                    label: "+1".into(),
                },
            ],
        },
        |s, input, _l| {
            match input {
                Input::Button { .. } => s.count += 1,
                Input::Modal { .. } => match input.field("name") {
                    Some("nobody") => {
                        return Err(UserError::Refused {
                            title: "Bad name".into(),
                            text: "Not that name.".into(),
                        });
                    }
                    Some(n) => s.name = Some(n.to_string()),
                    None => return Err(UserError::msg("A name is required.")),
                },
                Input::Select { .. } => {}
            }
            Ok(())
        },
    )
    .ready(|s| s.name.is_some());
    WizardSpec::new(
        name,
        |_l| "Test wizard".into(),
        vec![colour, name_step],
        |s, _l| {
            vec![
                ("Colour".into(), s.colour.clone().unwrap_or_default()),
                ("Name".into(), s.name.clone().unwrap_or_default()),
                ("Count".into(), s.count.to_string()),
            ]
        },
        |_data, c| {
            Box::pin(async move {
                let text = format!(
                    "{} ({}) ×{}",
                    c.state.name.clone().unwrap_or_default(),
                    c.state.colour.clone().unwrap_or_default(),
                    c.state.count
                );
                if let Ok(mut v) = CONFIRMED.lock() {
                    v.push(c.state);
                }
                Ok(Embed::success("Created").description(text))
            })
        },
    )
    .ttl(ttl)
    .build()
}
