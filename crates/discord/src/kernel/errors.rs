//! Errors: friendly [`UserError`]s versus internal errors with an error id.
//!
//! * A [`UserError`] is the user's to fix (missing tier, bad input, disabled module). It is
//!   shown as a ❌ embed (ephemeral for slash commands) and logged at debug level only.
//! * Anything else is internal. The user sees a short apology with an error id (8 hex
//!   characters); the full error with command, user and guild goes to the log and, as an embed
//!   with the same id, to the guild's error-log channel (`guild_settings.error_log_channel_id`).
//! * A panic inside a command is caught by poise (`handle_panics`, on by default) and reported
//!   exactly like an internal error, so it never takes the bot down.

use poise::FrameworkError;
use poise::serenity_prelude as serenity;

use crate::embeds::{self, Embed};
use crate::kernel::i18n::{Locale, Localize};
use crate::perms::Tier;
use crate::{Context, Data, Error, tr};

/// A problem the user can fix. The kernel's variants are shown in the user's language
/// ([`UserError::text`]); the `Display` text is the English one (for logs). `Message`,
/// `InvalidInput` and `Refused` carry text the feature has already localised.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum UserError {
    /// Free-form friendly message.
    #[error("{0}")]
    Message(String),
    /// Bad input, with what was expected.
    #[error("{0}")]
    InvalidInput(String),
    /// The author lacks the command's tier.
    #[error("You need the **{required}** tier to use `{command}`.")]
    MissingTier {
        /// The command's tier.
        required: Tier,
        /// Its qualified name.
        command: String,
    },
    /// The command's feature is switched off on this guild.
    #[error(
        "The **{0}** module is disabled on this server. An admin can turn it back on with `module enable {0}`."
    )]
    FeatureDisabled(String),
    /// The command needs a guild.
    #[error("This command only works in a server.")]
    GuildOnly,
    /// Owner and developer commands only run on `DEV_GUILD_ID`.
    #[error("Owner and developer commands only work on the development server.")]
    DevGuildOnly,
    /// Chronix is stopping and takes no new commands.
    #[error("Chronix is restarting; try again in a moment.")]
    ShuttingDown,
    /// The author is on the owner's blacklist.
    #[error("You cannot use Chronix commands.")]
    Blacklisted,
    /// A cooldown is running.
    #[error("Slow down! Try again in {0} s.")]
    Cooldown(u64),
    /// A feature's typed refusal (see [`Refusal`]).
    #[error("{text}")]
    Refused {
        /// The embed's title.
        title: String,
        /// What the user reads.
        text: String,
    },
}

impl UserError {
    /// A free-form friendly message (already localised).
    pub fn msg(text: impl Into<String>) -> Self {
        UserError::Message(text.into())
    }

    /// The text shown to the user, in `locale`.
    pub fn text(&self, locale: Locale) -> String {
        match self {
            UserError::Message(m) => m.clone(),
            UserError::InvalidInput(what) => {
                tr!(locale, "error-invalid-input", what = what.as_str())
            }
            UserError::MissingTier { required, command } => tr!(
                locale,
                "error-missing-tier",
                tier = required.to_string(),
                command = command.as_str()
            ),
            UserError::FeatureDisabled(f) => {
                tr!(locale, "error-feature-disabled", feature = f.as_str())
            }
            UserError::GuildOnly => tr!(locale, "error-guild-only"),
            UserError::DevGuildOnly => tr!(locale, "error-dev-guild-only"),
            UserError::ShuttingDown => tr!(locale, "error-shutting-down"),
            UserError::Blacklisted => tr!(locale, "error-blacklisted"),
            UserError::Cooldown(s) => tr!(locale, "error-cooldown", seconds = *s),
            UserError::Refused { text, .. } => text.clone(),
        }
    }

    /// The embed's title, in `locale`.
    pub fn title(&self, locale: Locale) -> String {
        match self {
            UserError::MissingTier { .. } | UserError::DevGuildOnly | UserError::Blacklisted => {
                tr!(locale, "error-title-not-allowed")
            }
            UserError::FeatureDisabled(_) => tr!(locale, "error-title-module-disabled"),
            UserError::ShuttingDown => tr!(locale, "error-title-restarting"),
            UserError::Cooldown(_) => tr!(locale, "error-title-cooldown"),
            UserError::InvalidInput(_) => tr!(locale, "error-title-invalid-input"),
            UserError::GuildOnly => tr!(locale, "error-title-server-only"),
            UserError::Message(_) => tr!(locale, "error-title-cannot"),
            UserError::Refused { title, .. } => title.clone(),
        }
    }
}

/// A feature's typed refusal: each feature has one enum of the things it refuses (not enough
/// Chrons, on cooldown, not your button, …). It is shown to the user as an ephemeral ❌ embed
/// with [`Refusal::title`] and its `Display` text; it is never an internal error, and no code
/// matches on its text. Convert with [`refuse`] (or `?` through `From<R> for anyhow::Error`
/// after [`refuse`]).
pub trait Refusal: std::fmt::Display + std::fmt::Debug + Send + Sync + 'static {
    /// The embed's title, in `locale`.
    fn title(&self, locale: Locale) -> String {
        tr!(locale, "error-title-cannot")
    }
    /// What the user reads, in `locale` (the English `Display` text unless overridden).
    fn text(&self, locale: Locale) -> String {
        let _ = locale;
        self.to_string()
    }
}

/// A refusal as the command error that shows it to the user (in `to`'s language).
pub fn refuse<R: Refusal>(to: impl Localize, r: R) -> Error {
    let locale = to.lang();
    UserError::Refused {
        title: r.title(locale),
        text: r.text(locale),
    }
    .into()
}

/// Runs a future, turning a panic into an error (`panic: <payload>`), like poise does for
/// commands. Used for component handlers, listeners, jobs and ticks.
pub async fn catch_panic<T>(
    fut: impl std::future::Future<Output = Result<T, Error>>,
) -> Result<T, Error> {
    futures::FutureExt::catch_unwind(std::panic::AssertUnwindSafe(fut))
        .await
        .unwrap_or_else(|payload| {
            let text = payload
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| payload.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "(non-string panic payload)".into());
            Err(anyhow::anyhow!("panic: {text}"))
        })
}

/// A fresh error id: 8 lower-case hex characters.
pub fn new_error_id() -> String {
    format_error_id(rand::random::<u32>())
}

/// Format a 32-bit value as an error id.
pub fn format_error_id(v: u32) -> String {
    format!("{v:08x}")
}

/// Whether `s` looks like an error id.
pub fn is_error_id(s: &str) -> bool {
    s.len() == 8
        && s.bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

/// The embed a user sees for a [`UserError`], in `locale`.
pub fn user_error_embed(e: &UserError, locale: Locale) -> Embed {
    Embed::error(e.title(locale)).description(e.text(locale))
}

/// The embed a user sees for an internal error, in `locale`.
pub fn internal_error_embed(id: &str, locale: Locale) -> Embed {
    Embed::error(tr!(locale, "error-internal-title"))
        .description(tr!(locale, "error-internal-text", id = id))
        .field(tr!(locale, "error-internal-id"), format!("`{id}`"), true)
}

/// What an internal error report carries.
#[derive(Debug, Clone)]
pub struct Report {
    /// Error id.
    pub id: String,
    /// How it was invoked, e.g. `chro boom` or `/boom`.
    pub command: String,
    /// `name (id)`.
    pub user: String,
    /// Guild id, if any.
    pub guild_id: Option<u64>,
    /// Channel id (none for listeners and jobs).
    pub channel_id: Option<u64>,
    /// The full error (`{:?}` of the anyhow chain, or the panic payload).
    pub error: String,
    /// What failed, for the repeat throttle: `command <qualified name>`, `button <id prefix>`,
    /// `listener <feature> on <event>` (no arguments, so a repeat is recognised).
    pub kind: String,
}

impl Report {
    /// What makes two reports "the same error" for the error-log throttle: the server, the
    /// failing command (or button, listener) and the error's first line.
    pub fn repeat_key(&self) -> (u64, String) {
        let first = self.error.lines().next().unwrap_or("");
        (
            self.guild_id.unwrap_or(0),
            format!("{}\n{}", self.kind, embeds::truncate(first, 200)),
        )
    }

    /// The embed posted to the error-log channel, in `locale` (the guild's language).
    pub fn embed(&self, locale: Locale) -> Embed {
        Embed::error(tr!(locale, "error-report-title", id = self.id.as_str()))
            .description(format!("```\n{}\n```", embeds::truncate(&self.error, 3900)))
            .field(
                tr!(locale, "error-internal-id"),
                format!("`{}`", self.id),
                true,
            )
            .field(
                tr!(locale, "error-report-command"),
                format!("`{}`", self.command),
                true,
            )
            .field(tr!(locale, "error-report-user"), self.user.clone(), true)
            .field(
                tr!(locale, "error-report-guild"),
                self.guild_id
                    .map_or_else(|| tr!(locale, "error-report-dm"), |g| g.to_string()),
                true,
            )
            .field(
                tr!(locale, "error-report-channel"),
                self.channel_id
                    .map_or("-".to_string(), |c| format!("<#{c}>")),
                true,
            )
    }
}

/// Send an ephemeral (for slash) reply; failures are logged, never propagated.
async fn reply(ctx: Context<'_>, embed: Embed) {
    if let Err(e) = ctx.send(embeds::reply(embed).ephemeral(true)).await {
        tracing::warn!(error = %e, "could not send an error reply");
    }
}

/// Show a user error.
pub async fn show_user_error(ctx: Context<'_>, e: &UserError) {
    tracing::debug!(command = %ctx.command().qualified_name, user = ctx.author().id.get(), "user error: {e}");
    reply(ctx, user_error_embed(e, ctx.lang())).await;
}

/// Report an internal error: id, log, error-log channel, apology. Returns the id.
pub async fn report_internal(ctx: Context<'_>, error: String) -> String {
    let id = new_error_id();
    let report = Report {
        id: id.clone(),
        kind: format!("command {}", ctx.command().qualified_name),
        command: ctx.invocation_string(),
        user: format!("{} ({})", ctx.author().name, ctx.author().id),
        guild_id: ctx.guild_id().map(|g| g.get()),
        channel_id: Some(ctx.channel_id().get()),
        error,
    };
    tracing::error!(
        error_id = %report.id,
        command = %report.command,
        user = %report.user,
        guild = ?report.guild_id,
        channel = ?report.channel_id,
        "command failed: {}",
        report.error
    );
    post_report(ctx.serenity_context(), ctx.data(), &report).await;
    reply(ctx, internal_error_embed(&id, ctx.lang())).await;
    id
}

/// Post a report to the guild's error-log channel, if it has one.
pub async fn post_report(sctx: &serenity::Context, data: &Data, report: &Report) {
    data.remember_error(report);
    let Some(gid) = report.guild_id else { return };
    // The server's logs keep every error (the log channel below gets repeats throttled).
    let note = crate::events::Note::new(
        serenity::GuildId::new(gid),
        crate::events::NoteTopic::Error,
        "error",
        "note-error",
    )
    .arg("id", &report.id)
    .arg("kind", &report.kind)
    .payload(serde_json::json!({
        "id": report.id,
        "kind": report.kind,
        "command": report.command,
        "user": report.user,
    }));
    let note = match report.channel_id {
        Some(c) => note.channel(serenity::ChannelId::new(c)),
        None => note,
    };
    Box::pin(crate::events::note(sctx, data, note)).await;
    let channel = match data.settings().get(gid).await {
        Ok(s) => s.error_log_channel_id,
        Err(e) => {
            tracing::warn!(error = %e, "cannot read guild settings for the error log");
            None
        }
    };
    if let Some(ch) = channel {
        // The same error again within the window is counted, not posted.
        let suppressed = match data
            .error_log_throttle()
            .check(report.repeat_key(), std::time::Instant::now())
        {
            crate::kernel::throttle::Verdict::Hold => {
                tracing::debug!(error_id = %report.id, guild = gid, "repeated error not posted to the error log");
                return;
            }
            crate::kernel::throttle::Verdict::Pass { suppressed } => suppressed,
        };
        let locale = crate::kernel::i18n::guild_locale(data, Some(gid)).await;
        let mut embed = report.embed(locale);
        if suppressed > 0 {
            let minutes = data.error_log_throttle().window().as_secs().div_ceil(60);
            embed = embed.field(
                tr!(locale, "error-report-repeats"),
                tr!(
                    locale,
                    "error-report-repeats-value",
                    count = suppressed,
                    minutes = minutes
                ),
                false,
            );
        }
        let msg = embeds::message(embed);
        if let Err(e) = serenity::ChannelId::new(ch)
            .send_message(&sctx.http, msg)
            .await
        {
            tracing::warn!(error = %e, channel = ch, "cannot post to the error-log channel");
        }
    }
}

/// What to tell a user whose arguments did not parse: the text that was not understood, each
/// argument the command takes (what it expects) and the usage. poise reports an optional
/// argument that did not parse as "too many arguments"; the user sees which text was left.
fn argument_problem(
    ctx: Context<'_>,
    error: &(dyn std::error::Error + Send + Sync + 'static),
    input: Option<&str>,
) -> String {
    let command = ctx.command();
    let usage = crate::kernel::commands::usage(command, ctx.prefix());
    let clean = |s: &str| embeds::truncate(s, 100).replace('`', "'");
    let args = match ctx {
        poise::Context::Prefix(p) => p.args.trim().to_string(),
        poise::Context::Application(_) => String::new(),
    };
    let what = match (input, error.is::<poise::TooFewArguments>()) {
        (_, true) => tr!(ctx, "error-argument-missing"),
        (Some(i), _) => tr!(ctx, "error-argument-not-understood", input = clean(i)),
        (None, _) if error.is::<poise::TooManyArguments>() && !args.is_empty() => {
            tr!(ctx, "error-argument-not-understood", input = clean(&args))
        }
        (None, _) => format!("{error}."),
    };
    let mut lines = vec![what];
    if !command.parameters.is_empty() {
        lines.push(tr!(
            ctx,
            "error-argument-takes",
            command = command.qualified_name.to_string()
        ));
        for p in &command.parameters {
            let desc = p.description.as_deref().unwrap_or("").to_string();
            lines.push(if p.required {
                tr!(
                    ctx,
                    "error-argument-required",
                    name = p.name.to_string(),
                    description = desc
                )
            } else {
                tr!(
                    ctx,
                    "error-argument-optional",
                    name = p.name.to_string(),
                    description = desc
                )
            });
        }
    }
    lines.push(tr!(ctx, "error-usage", usage = usage));
    lines.join("\n")
}

/// The framework's `on_error`: every failure ends here.
pub async fn on_error(error: FrameworkError<'_, Data, Error>) {
    match error {
        FrameworkError::Command { error, ctx, .. } => {
            ctx.data().metrics().finish(ctx, false);
            match error.downcast_ref::<UserError>() {
                Some(u) => show_user_error(ctx, u).await,
                None => {
                    report_internal(ctx, format!("{error:?}")).await;
                }
            }
        }
        FrameworkError::CommandPanic { payload, ctx, .. } => {
            ctx.data().metrics().finish(ctx, false);
            let text = payload.unwrap_or_else(|| "(non-string panic payload)".into());
            report_internal(ctx, format!("panic: {text}")).await;
        }
        FrameworkError::CommandCheckFailed { error, ctx, .. } => {
            ctx.data().metrics().refused(ctx);
            match error {
                Some(e) => match e.downcast_ref::<UserError>() {
                    Some(u) => show_user_error(ctx, u).await,
                    None => {
                        report_internal(ctx, format!("in a command check: {e:?}")).await;
                    }
                },
                None => show_user_error(ctx, &UserError::msg(tr!(ctx, "error-not-here"))).await,
            }
        }
        FrameworkError::ArgumentParse {
            error, input, ctx, ..
        } => {
            ctx.data().metrics().refused(ctx);
            let text = argument_problem(ctx, error.as_ref(), input.as_deref());
            show_user_error(ctx, &UserError::InvalidInput(text)).await;
        }
        FrameworkError::SubcommandRequired { ctx } => {
            let subs: Vec<String> = ctx
                .command()
                .subcommands
                .iter()
                .map(|s| format!("`{}`", s.name))
                .collect();
            show_user_error(
                ctx,
                &UserError::msg(tr!(
                    ctx,
                    "error-needs-subcommand",
                    command = ctx.command().qualified_name.to_string(),
                    subcommands = subs.join(", ")
                )),
            )
            .await;
        }
        FrameworkError::GuildOnly { ctx, .. } => show_user_error(ctx, &UserError::GuildOnly).await,
        FrameworkError::CooldownHit {
            remaining_cooldown,
            ctx,
            ..
        } => {
            show_user_error(
                ctx,
                &UserError::Cooldown(remaining_cooldown.as_secs().max(1)),
            )
            .await
        }
        FrameworkError::UnknownCommand {
            msg,
            content_start,
            framework,
            trigger,
            ..
        } => {
            if trigger != poise::MessageDispatchTrigger::MessageCreate {
                return;
            }
            let start = usize::from(content_start).min(msg.content.len());
            let shown_prefix = msg.content.get(..start).unwrap_or("").trim_end();
            let rest = msg.content.get(start..).unwrap_or("");
            let (word, after) = rest
                .trim_start()
                .split_once(char::is_whitespace)
                .unwrap_or((rest.trim_start(), ""));
            let unknown = crate::registry::Unknown::Prefix {
                msg,
                word,
                rest: after.trim(),
            };
            if offer_unknown(
                framework.serenity_context,
                framework.user_data,
                msg.guild_id,
                unknown,
            )
            .await
            {
                return;
            }
            let Some(reply) = crate::prefix::unknown_command_reply(
                &framework.options().commands,
                shown_prefix,
                rest,
                crate::kernel::i18n::guild_locale(
                    framework.user_data,
                    msg.guild_id.map(|g| g.get()),
                )
                .await,
            ) else {
                return;
            };
            // At most one such reply per user per few seconds: a script typing unknown
            // commands gets one answer, not one per message.
            if framework
                .user_data
                .unknown_command_throttle()
                .check(msg.author.id.get(), std::time::Instant::now())
                == crate::kernel::throttle::Verdict::Hold
            {
                tracing::debug!(
                    user = msg.author.id.get(),
                    "unknown command not answered (throttled)"
                );
                return;
            }
            let out = embeds::message(reply).reference_message(msg);
            if let Err(e) = msg
                .channel_id
                .send_message(&framework.serenity_context.http, out)
                .await
            {
                tracing::warn!(error = %e, "could not answer an unknown command");
            }
        }
        FrameworkError::UnknownInteraction {
            framework,
            interaction,
            ..
        } => {
            let unknown = crate::registry::Unknown::Slash(interaction);
            if !offer_unknown(
                framework.serenity_context,
                framework.user_data,
                interaction.guild_id,
                unknown,
            )
            .await
            {
                tracing::warn!(command = %interaction.data.name, "unknown slash command");
            }
        }
        other => {
            if let Err(e) = poise::builtins::on_error(other).await {
                tracing::error!(error = %e, "error while handling a framework error");
            }
        }
    }
}

/// Offers input the framework did not recognise to the features that answer such input
/// (enabled, and not switched off on the guild); whether one answered. A failing handler is
/// logged and counts as having answered (the user does not also get "unknown command").
async fn offer_unknown(
    ctx: &serenity::Context,
    data: &Data,
    guild: Option<serenity::GuildId>,
    unknown: crate::registry::Unknown<'_>,
) -> bool {
    for (switch, handler) in data.registry().unknown_handlers(data.config()) {
        if !data
            .feature_enabled_in(switch, guild.map(|g| g.get()))
            .await
        {
            continue;
        }
        match catch_panic(handler(ctx, data, unknown)).await {
            Ok(true) => return true,
            Ok(false) => {}
            Err(e) => {
                tracing::error!(feature = switch, error = ?e, "answering unknown input failed");
                return true;
            }
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn error_ids_are_eight_lower_hex_chars() {
        assert_eq!(format_error_id(0), "00000000");
        assert_eq!(format_error_id(0xDEADBEEF), "deadbeef");
        for _ in 0..100 {
            let id = new_error_id();
            assert!(is_error_id(&id), "{id}");
        }
        assert!(!is_error_id("DEADBEEF"));
        assert!(!is_error_id("1234567"));
        assert!(!is_error_id("12345678a"));
    }

    #[test]
    fn internal_error_embed_shows_the_id_and_no_details() {
        let c = internal_error_embed("0badc0de", Locale::EN).clamped();
        assert!(c.description.unwrap().contains("`0badc0de`"));
        assert_eq!(c.fields[0].value, "`0badc0de`");
    }

    #[test]
    fn report_embed_carries_everything() {
        let r = Report {
            id: "0badc0de".into(),
            command: "chro boom".into(),
            user: "alice (42)".into(),
            guild_id: Some(7),
            channel_id: Some(9),
            error: "database on fire".into(),
            kind: "command boom".into(),
        };
        let c = r.embed(Locale::EN).clamped();
        assert_eq!(c.title, "❌ Error 0badc0de");
        assert!(c.description.unwrap().contains("database on fire"));
        let names: Vec<_> = c.fields.iter().map(|f| f.name.as_str()).collect();
        assert_eq!(names, ["Error id", "Command", "User", "Guild", "Channel"]);
    }

    #[test]
    fn user_error_messages_are_friendly() {
        let e = UserError::MissingTier {
            required: Tier::Admin,
            command: "prefix set".into(),
        };
        assert_eq!(
            e.to_string(),
            "You need the **admin** tier to use `prefix set`."
        );
        assert_eq!(e.text(Locale::EN), e.to_string());
        let c = user_error_embed(&UserError::FeatureDisabled("misc".into()), Locale::EN).clamped();
        assert_eq!(c.title, "❌ Module disabled");
        assert_eq!(
            c.description.unwrap(),
            "The **misc** module is disabled on this server. An admin can turn it back on with `module enable misc`."
        );
        let fr = Locale::from_code("fr").unwrap();
        let c = user_error_embed(&UserError::FeatureDisabled("misc".into()), fr).clamped();
        assert_eq!(c.title, "❌ Module désactivé");
        for e in [
            UserError::GuildOnly,
            UserError::DevGuildOnly,
            UserError::ShuttingDown,
            UserError::Cooldown(5),
            UserError::InvalidInput("x".into()),
        ] {
            assert_eq!(e.text(Locale::EN), e.to_string(), "English text of {e:?}");
        }
    }
}
