//! The driver's value types: wait and driver errors, the ids of a created guild, slash-command
//! invocations and their option values.

use std::time::Duration;

use crate::state::Id;

/// Why a `wait_for_*` call returned without a result.
#[derive(Debug, thiserror::Error, PartialEq)]
pub enum WaitError {
    /// Nothing happened before the timeout.
    #[error("timed out after {0:?} waiting for {1}")]
    Timeout(Duration, String),
    /// The bot did not acknowledge the interaction within the ack window; the user sees
    /// "The application did not respond".
    #[error("The application did not respond")]
    NoResponse,
}

/// Why a driver action was refused (the Discord client would not let the user do it).
#[derive(Debug, thiserror::Error, PartialEq)]
pub enum DriverError {
    /// No such registered command (for this guild or globally).
    #[error("unknown command /{0} (registered: {1})")]
    UnknownCommand(String, String),
    /// Option not in the command's schema.
    #[error("unknown option `{0}`")]
    UnknownOption(String),
    /// A required option was not given.
    #[error("missing required option `{0}`")]
    MissingOption(String),
    /// The command has subcommands; name one with [`CommandCall::sub`].
    #[error("command needs a subcommand")]
    SubcommandRequired,
    /// No such subcommand (group).
    #[error("unknown subcommand `{0}`")]
    UnknownSubcommand(String),
    /// A value does not fit the option's type or choices.
    #[error("invalid value for `{0}`: {1}")]
    InvalidValue(String, String),
    /// Unknown message / channel / user / component.
    #[error("not found: {0}")]
    NotFound(String),
    /// The component is disabled (or a link button).
    #[error("component `{0}` cannot be used")]
    Disabled(String),
    /// The user lacks a permission for this action.
    #[error("user lacks permission: {0}")]
    MissingPermission(&'static str),
    /// The interaction did not open a modal.
    #[error("that interaction was not answered with a modal")]
    NoModal,
}

/// Ids created by [`Sandbox::create_guild`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct GuildSetup {
    /// Guild id (also the `@everyone` role id).
    pub id: Id,
    /// The owner (a human user named `owner`).
    pub owner_id: Id,
    /// `@everyone` role id (= guild id).
    pub everyone_role: Id,
    /// The bot's managed role (permissions: [`bits::DEFAULT_BOT`]).
    pub bot_role: Id,
    /// `#general` text channel.
    pub general: Id,
    /// `General` voice channel.
    pub voice: Id,
}

/// A value for a slash-command option; its Discord type comes from the registered schema.
#[derive(Clone, Debug, PartialEq)]
pub enum OptValue {
    /// String (also accepted for any type and parsed).
    Str(String),
    /// Integer.
    Int(i64),
    /// Number.
    Num(f64),
    /// Boolean.
    Bool(bool),
    /// A snowflake (user, channel, role, mentionable).
    Id(Id),
}

impl From<&str> for OptValue {
    fn from(v: &str) -> Self {
        OptValue::Str(v.to_owned())
    }
}
impl From<String> for OptValue {
    fn from(v: String) -> Self {
        OptValue::Str(v)
    }
}
impl From<i64> for OptValue {
    fn from(v: i64) -> Self {
        OptValue::Int(v)
    }
}
impl From<i32> for OptValue {
    fn from(v: i32) -> Self {
        OptValue::Int(v.into())
    }
}
impl From<f64> for OptValue {
    fn from(v: f64) -> Self {
        OptValue::Num(v)
    }
}
impl From<bool> for OptValue {
    fn from(v: bool) -> Self {
        OptValue::Bool(v)
    }
}
impl From<u64> for OptValue {
    fn from(v: u64) -> Self {
        OptValue::Id(v)
    }
}

/// A slash-command invocation: `CommandCall::new("config").sub("set").opt("key", "x")`.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct CommandCall {
    /// Command name.
    pub name: String,
    /// Subcommand group / subcommand names.
    pub path: Vec<String>,
    /// Options (name, value).
    pub options: Vec<(String, OptValue)>,
    /// For autocomplete: the focused option.
    pub focused: Option<String>,
}

impl CommandCall {
    /// `/name`.
    pub fn new(name: &str) -> Self {
        Self {
            name: name.to_owned(),
            ..Self::default()
        }
    }
    /// Add a subcommand group or subcommand (call twice for `group sub`).
    #[allow(clippy::should_implement_trait)]
    pub fn sub(mut self, name: &str) -> Self {
        self.path.push(name.to_owned());
        self
    }
    /// Add an option.
    pub fn opt(mut self, name: &str, value: impl Into<OptValue>) -> Self {
        self.options.push((name.to_owned(), value.into()));
        self
    }
    /// Mark the option being typed (autocomplete); add it with [`CommandCall::opt`] too.
    pub fn focus(mut self, name: &str) -> Self {
        self.focused = Some(name.to_owned());
        self
    }
}
