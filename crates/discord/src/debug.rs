//! Test-only commands. They are never registered by the binary: the end-to-end tests pass
//! them in [`crate::BotOptions::extra_commands`] to force an internal error and a panic.

use crate::prelude::*;

/// The test-only commands (`boom`: internal error, `kaboom`: panic), hidden from help.
pub fn test_commands() -> Vec<Command> {
    vec![boom(), kaboom()]
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
