//! Test-only commands. They are never registered by the binary: the end-to-end tests pass
//! them in [`crate::BotOptions::extra_commands`] to force an internal error and a panic.

use crate::prelude::*;

/// The test-only commands (`boom`: internal error, `kaboom`: panic, `snooze`: slow), hidden
/// from help.
pub fn test_commands() -> Vec<Command> {
    vec![boom(), kaboom(), snooze()]
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
