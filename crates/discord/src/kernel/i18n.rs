//! The language to answer in: the interaction's user locale, else the guild's setting, else
//! English.

use crate::Context;

/// The default locale.
pub const DEFAULT_LOCALE: &str = "en-US";

/// The locale for a command's answer.
pub async fn locale_of(ctx: Context<'_>) -> String {
    if let poise::Context::Application(a) = ctx {
        return a.interaction.locale.clone();
    }
    DEFAULT_LOCALE.to_string()
}
