//! The feature API: what a feature declares, in one place, and the [`Registry`] that joins them.
//!
//! A feature is one folder under `src/features/` with a `pub fn feature() -> Feature`, listed once
//! in `features::all()`. It declares:
//!
//! * its **commands** ([`Feature::new`]);
//! * its **component/modal handlers**, by `custom_id` prefix ([`Feature::component`]);
//! * its typed **gateway event listeners** ([`Feature::on`], see [`crate::events`]);
//! * its **jobs** (named, DB-backed, retried; one-shot or recurring, [`Feature::job`]) and
//!   **ticks** (periodic work such as autohunt, [`Feature::tick`]), run by
//!   [`crate::scheduler`];
//! * its **start-up hook** ([`Feature::on_start`], e.g. loading tables);
//! * its **configuration keys** ([`Feature::config_keys`]) and its `ENABLE_*` **switch**
//!   ([`Feature::switch`]: the name in [`chronix_config::FEATURES`]; several features may share
//!   one switch, e.g. `hunt` and `autohunt` are both `ENABLE_GAMEPLAY`).
//!
//! * `ENABLE_<SWITCH>=false`: the feature's commands are not registered (neither prefix nor
//!   slash); its components, listeners, jobs and ticks stay idle.
//! * `module disable <switch>` on a guild: the global check refuses the feature's commands there,
//!   listeners are not called for that guild, and ticks/jobs ask
//!   [`crate::Data::feature_enabled_in`].
//!
//! The switch name is written into each command's `category`, so commands do not repeat it.

use std::sync::Arc;

use chronix_config::Config;
use poise::serenity_prelude as serenity;

use crate::events::{EventKind, Listener};
use crate::scheduler::{JobKind, Tick};
use crate::{Command, Data, Error};

/// The switch of features that are always on (`help`, `ping`, `prefix`, `module`, …).
pub const ALWAYS_ON: &str = "general";

/// A boxed future.
pub type BoxFuture<'a, T> = poise::BoxFuture<'a, T>;

/// Handles a button/select whose `custom_id` starts with the registered prefix.
pub type ComponentHandler = for<'a> fn(
    &'a serenity::Context,
    &'a serenity::ComponentInteraction,
    &'a Data,
) -> BoxFuture<'a, Result<(), Error>>;

/// Handles a modal submission whose `custom_id` starts with the registered prefix.
pub type ModalHandler = for<'a> fn(
    &'a serenity::Context,
    &'a serenity::ModalInteraction,
    &'a Data,
) -> BoxFuture<'a, Result<(), Error>>;

/// Runs once at start-up, before the gateway connects (an error stops start-up).
pub type StartHook = for<'a> fn(&'a Data) -> BoxFuture<'a, anyhow::Result<()>>;

/// What the framework did not recognise, offered to features that answer such input
/// ([`Feature::unknown`]): a prefix command name (tags answer `chro <tag name>`) or a slash
/// command that is not one of the bot's (a guild command a feature registered itself).
#[derive(Debug, Clone, Copy)]
pub enum Unknown<'a> {
    /// `<prefix><word> <rest>` where `word` is no command.
    Prefix {
        /// The message.
        msg: &'a serenity::Message,
        /// The first word after the prefix.
        word: &'a str,
        /// The rest of the message after that word (trimmed).
        rest: &'a str,
    },
    /// A slash command the framework does not know.
    Slash(&'a serenity::CommandInteraction),
}

/// Answers unknown input ([`Unknown`]); `Ok(true)` when it did (nobody else is asked and the
/// "unknown command" hint is not sent).
pub type UnknownHandler =
    for<'a> fn(&'a serenity::Context, &'a Data, Unknown<'a>) -> BoxFuture<'a, Result<bool, Error>>;

/// Runs once at graceful shutdown, after the gateway closed (flush what is held in memory).
pub type ShutdownHook = for<'a> fn(&'a Data) -> BoxFuture<'a, anyhow::Result<()>>;

/// One feature (see the module docs).
pub struct Feature {
    /// Name: the folder under `src/features/` and the module of the same name in `core` and
    /// `storage` (`economy`, `hunt`, `autohunt`, …).
    pub name: &'static str,
    /// The `ENABLE_*` switch and `module` name (a name in [`chronix_config::FEATURES`], or
    /// [`ALWAYS_ON`]).
    pub switch: &'static str,
    /// Its commands.
    pub commands: fn() -> Vec<Command>,
    /// `(custom_id prefix, handler)` for its buttons and selects.
    pub components: Vec<(&'static str, ComponentHandler)>,
    /// `(custom_id prefix, handler)` for its modals.
    pub modals: Vec<(&'static str, ModalHandler)>,
    /// Its event listeners, each with the event kinds it receives.
    pub listeners: Vec<(&'static [EventKind], Listener)>,
    /// Its job kinds.
    pub jobs: Vec<JobKind>,
    /// Its ticks.
    pub ticks: Vec<Arc<dyn Tick>>,
    /// Its start-up hooks.
    pub start_hooks: Vec<StartHook>,
    /// Its shutdown hooks.
    pub shutdown_hooks: Vec<ShutdownHook>,
    /// Its page sources for the shared paginator, by name.
    pub page_sources: Vec<(&'static str, crate::ui::paginator::PageFn)>,
    /// Its wizards for the shared wizard panel ([`crate::ui::wizard`]).
    pub wizards: Vec<crate::ui::wizard::WizardDef>,
    /// The configuration keys it reads (beyond its switch), for `config` listings and tests.
    pub config_keys: &'static [&'static str],
    /// How its commands appear as slash commands (see [`SlashGroup`]).
    pub slash_group: Option<SlashGroup>,
    /// Its answer to input the framework does not recognise (see [`Unknown`]).
    pub unknown: Option<UnknownHandler>,
}

/// How a feature's commands appear as slash commands. Discord allows at most 100 top-level
/// slash commands per application, 25 subcommands (or groups) per command and 25 options each;
/// a product with two dozen feature areas has to group. So a feature names one slash command,
/// `/<name>`, that holds its commands as subcommands (`/economy shop`, and a command with
/// subcommands becomes a group: `/economy market sell`), except the very common ones it keeps
/// at the top (`/balance`, `/daily`). Prefix commands keep their short names and aliases
/// (`chro shop`, `chro bal`). Owner and developer commands always stay at the top, because they
/// are registered on `DEV_GUILD_ID` only.
#[derive(Debug, Clone, Copy)]
pub struct SlashGroup {
    /// The group's slash command name.
    pub name: &'static str,
    /// Its description (shown in Discord's command picker).
    pub description: &'static str,
    /// Commands (by name) kept as top-level slash commands.
    pub top_level: &'static [&'static str],
}

impl Feature {
    /// A feature with commands, switched by `ENABLE_<NAME>` unless [`Feature::switch`] says
    /// otherwise.
    pub fn new(name: &'static str, commands: fn() -> Vec<Command>) -> Self {
        Self {
            name,
            switch: name,
            commands,
            components: Vec::new(),
            modals: Vec::new(),
            listeners: Vec::new(),
            jobs: Vec::new(),
            ticks: Vec::new(),
            start_hooks: Vec::new(),
            shutdown_hooks: Vec::new(),
            page_sources: Vec::new(),
            wizards: Vec::new(),
            config_keys: &[],
            slash_group: None,
            unknown: None,
        }
    }
    /// Its answer to unknown prefix commands and slash commands (see [`Unknown`]).
    pub fn unknown(mut self, handler: UnknownHandler) -> Self {
        self.unknown = Some(handler);
        self
    }
    /// The `ENABLE_*` switch (a name in [`chronix_config::FEATURES`] or [`ALWAYS_ON`]).
    pub fn switch(mut self, switch: &'static str) -> Self {
        self.switch = switch;
        self
    }
    /// A component handler for `custom_id`s starting with `prefix`.
    pub fn component(mut self, prefix: &'static str, handler: ComponentHandler) -> Self {
        self.components.push((prefix, handler));
        self
    }
    /// A modal handler for `custom_id`s starting with `prefix`.
    pub fn modal(mut self, prefix: &'static str, handler: ModalHandler) -> Self {
        self.modals.push((prefix, handler));
        self
    }
    /// A listener for the given event kinds.
    pub fn on(mut self, kinds: &'static [EventKind], listener: Listener) -> Self {
        self.listeners.push((kinds, listener));
        self
    }
    /// A job kind.
    pub fn job(mut self, job: JobKind) -> Self {
        self.jobs.push(job);
        self
    }
    /// A tick.
    pub fn tick(mut self, tick: Arc<dyn Tick>) -> Self {
        self.ticks.push(tick);
        self
    }
    /// A start-up hook.
    pub fn on_start(mut self, hook: StartHook) -> Self {
        self.start_hooks.push(hook);
        self
    }
    /// A shutdown hook: runs at graceful shutdown once the gateway is closed, so no event
    /// arrives after it (a feature flushes its in-memory queue here).
    pub fn on_shutdown(mut self, hook: ShutdownHook) -> Self {
        self.shutdown_hooks.push(hook);
        self
    }
    /// A page source for [`crate::ui::paginator`] (the name goes into button ids: keep it short,
    /// without `:`).
    pub fn pages(mut self, name: &'static str, draw: crate::ui::paginator::PageFn) -> Self {
        self.page_sources.push((name, draw));
        self
    }
    /// A wizard for [`crate::ui::wizard`] (built with
    /// [`crate::ui::wizard::WizardSpec::build`]; its name is stored with each open wizard:
    /// keep it stable).
    pub fn wizard(mut self, def: crate::ui::wizard::WizardDef) -> Self {
        self.wizards.push(def);
        self
    }
    /// Groups its slash commands under `/<name>` but for `top_level` (see [`SlashGroup`]).
    pub fn slash_group(
        mut self,
        name: &'static str,
        description: &'static str,
        top_level: &'static [&'static str],
    ) -> Self {
        self.slash_group = Some(SlashGroup {
            name,
            description,
            top_level,
        });
        self
    }
    /// The configuration keys it reads.
    pub fn config_keys(mut self, keys: &'static [&'static str]) -> Self {
        self.config_keys = keys;
        self
    }
    /// Whether the configuration switches it on.
    pub fn enabled(&self, config: &Config) -> bool {
        enabled(config, self.switch)
    }
}

/// Whether a switch is on in the configuration.
pub fn enabled(config: &Config, switch: &str) -> bool {
    switch == ALWAYS_ON || config.features.enabled(switch)
}

/// Set the category (switch name) and the qualified names (`prefix set`) of a command tree.
/// poise does the latter when the framework is built; doing it here too makes listings outside
/// the framework (help, tests) show the same names.
pub fn set_category(cmd: &mut Command, switch: &'static str) {
    fn walk(cmd: &mut Command, name: &'static str, parent: Option<&str>) {
        cmd.category = Some(name.into());
        cmd.qualified_name = match parent {
            Some(p) => format!("{p} {}", cmd.name).into(),
            None => cmd.name.clone(),
        };
        let q = cmd.qualified_name.to_string();
        for sub in &mut cmd.subcommands {
            walk(sub, name, Some(&q));
        }
    }
    walk(cmd, switch, None);
}

/// The commands of one feature, with their category set and their descriptions and Discord
/// localisations filled from the Fluent files ([`crate::kernel::i18n::localize_command`]).
pub fn feature_commands(feature: &Feature) -> Vec<Command> {
    let mut cmds = (feature.commands)();
    for c in &mut cmds {
        set_category(c, feature.switch);
        crate::kernel::i18n::localize_command(c);
    }
    cmds
}

/// The features a bot runs with: built once at start-up and kept in [`Data`].
pub struct Registry {
    features: Vec<Feature>,
}

impl std::fmt::Debug for Registry {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list()
            .entries(self.features.iter().map(|x| x.name))
            .finish()
    }
}

impl Registry {
    /// Joins the kernel's own parts ([`kernel_feature`]) and `features` (panics on a name,
    /// component prefix, job kind or page source listed twice: a programming error caught by
    /// tests).
    pub fn new(features: Vec<Feature>) -> Self {
        let features: Vec<Feature> = std::iter::once(kernel_feature()).chain(features).collect();
        let mut names = std::collections::HashSet::new();
        let mut jobs = std::collections::HashSet::new();
        let mut pages = std::collections::HashSet::new();
        let mut wizards = std::collections::HashSet::new();
        for f in &features {
            assert!(names.insert(f.name), "feature {} listed twice", f.name);
            for j in &f.jobs {
                assert!(jobs.insert(j.name), "job kind {} registered twice", j.name);
                assert!(!j.name.contains('@'), "job kind {} contains @", j.name);
            }
            for (p, _) in &f.page_sources {
                assert!(pages.insert(*p), "page source {p} registered twice");
                assert!(!p.contains(':'), "page source {p} contains :");
            }
            for w in &f.wizards {
                assert!(wizards.insert(w.name), "wizard {} registered twice", w.name);
            }
        }
        let prefixes: Vec<&str> = features
            .iter()
            .flat_map(|f| f.components.iter().map(|(p, _)| *p))
            .collect();
        for (i, a) in prefixes.iter().enumerate() {
            for b in &prefixes[i + 1..] {
                assert!(
                    !a.starts_with(b) && !b.starts_with(a),
                    "component prefixes {a} and {b} overlap"
                );
            }
        }
        Self { features }
    }
    /// A page source by name.
    pub fn page_source(&self, name: &str) -> Option<crate::ui::paginator::PageFn> {
        self.features
            .iter()
            .flat_map(|f| f.page_sources.iter())
            .find(|(n, _)| *n == name)
            .map(|(_, d)| *d)
    }
    /// A wizard by name (enabled or not: an open wizard of a switched-off feature still
    /// answers, so it can be cancelled or expire cleanly).
    pub fn wizard(&self, name: &str) -> Option<&crate::ui::wizard::WizardDef> {
        self.features
            .iter()
            .flat_map(|f| f.wizards.iter())
            .find(|w| w.name == name)
    }
    /// Every feature, enabled or not, in registration order.
    pub fn all(&self) -> &[Feature] {
        &self.features
    }
    /// The features the configuration switches on.
    pub fn enabled<'a>(&'a self, config: &'a Config) -> impl Iterator<Item = &'a Feature> + 'a {
        self.features.iter().filter(move |f| f.enabled(config))
    }
    /// The switch of a feature by name.
    pub fn switch_of(&self, feature: &str) -> Option<&'static str> {
        self.features
            .iter()
            .find(|f| f.name == feature)
            .map(|f| f.switch)
    }
    /// The switches known to this registry (for `module` commands), in order, unique.
    pub fn switches(&self) -> Vec<&'static str> {
        let mut out: Vec<&'static str> = Vec::new();
        for f in &self.features {
            if !out.contains(&f.switch) {
                out.push(f.switch);
            }
        }
        out
    }
    /// The commands to register under `config` (features switched off are left out).
    pub fn enabled_commands(&self, config: &Config) -> Vec<Command> {
        self.enabled(config).flat_map(feature_commands).collect()
    }
    /// The commands the framework runs under `config`: every enabled feature's commands by
    /// their prefix names, plus the slash layout of [`SlashGroup`]s (a grouped command is
    /// present twice: prefix-only at the top, and slash-only inside its group).
    pub fn framework_commands(&self, config: &Config) -> Vec<Command> {
        self.enabled(config).flat_map(slash_layout).collect()
    }
    /// Every command of every feature (for listings and tests).
    pub fn all_commands(&self) -> Vec<Command> {
        self.features.iter().flat_map(feature_commands).collect()
    }
    /// The component handler for a `custom_id`, among enabled features: `(switch, handler)`.
    pub fn component_handler(
        &self,
        config: &Config,
        custom_id: &str,
    ) -> Option<(&'static str, ComponentHandler)> {
        self.enabled(config).find_map(|f| {
            f.components
                .iter()
                .find(|(p, _)| custom_id.starts_with(p))
                .map(|(_, h)| (f.switch, *h))
        })
    }
    /// The modal handler for a `custom_id`, among enabled features: `(switch, handler)`.
    pub fn modal_handler(
        &self,
        config: &Config,
        custom_id: &str,
    ) -> Option<(&'static str, ModalHandler)> {
        self.enabled(config).find_map(|f| {
            f.modals
                .iter()
                .find(|(p, _)| custom_id.starts_with(p))
                .map(|(_, h)| (f.switch, *h))
        })
    }
    /// The listeners of enabled features for one kind of event: `(feature, switch, listener)`.
    pub fn listeners_for(
        &self,
        config: &Config,
        kind: EventKind,
    ) -> Vec<(&'static str, &'static str, Listener)> {
        self.enabled(config)
            .flat_map(|f| {
                f.listeners
                    .iter()
                    .filter(move |(kinds, _)| kinds.contains(&kind))
                    .map(move |(_, l)| (f.name, f.switch, *l))
            })
            .collect()
    }
    /// The job kinds of enabled features, with their switch.
    pub fn jobs(&self, config: &Config) -> Vec<(&'static str, JobKind)> {
        self.enabled(config)
            .flat_map(|f| f.jobs.iter().map(move |j| (f.switch, *j)))
            .collect()
    }
    /// Every job kind, enabled or not (a job of a switched-off feature waits in the table).
    pub fn all_jobs(&self) -> Vec<JobKind> {
        self.features
            .iter()
            .flat_map(|f| f.jobs.iter().copied())
            .collect()
    }
    /// The ticks of enabled features, with their switch.
    pub fn ticks(&self, config: &Config) -> Vec<(&'static str, Arc<dyn Tick>)> {
        self.enabled(config)
            .flat_map(|f| f.ticks.iter().map(move |t| (f.switch, t.clone())))
            .collect()
    }
    /// The start-up hooks of enabled features.
    pub fn start_hooks(&self, config: &Config) -> Vec<(&'static str, StartHook)> {
        self.enabled(config)
            .flat_map(|f| f.start_hooks.iter().map(move |h| (f.name, *h)))
            .collect()
    }
    /// The handlers of unknown input of enabled features: `(switch, handler)`.
    pub fn unknown_handlers(&self, config: &Config) -> Vec<(&'static str, UnknownHandler)> {
        self.enabled(config)
            .filter_map(|f| f.unknown.map(|h| (f.switch, h)))
            .collect()
    }
    /// The shutdown hooks of enabled features, with their feature's name.
    pub fn shutdown_hooks(&self, config: &Config) -> Vec<(&'static str, ShutdownHook)> {
        self.enabled(config)
            .flat_map(|f| f.shutdown_hooks.iter().map(move |h| (f.name, *h)))
            .collect()
    }
}

impl SlashGroup {
    /// Whether the group holds `c` as a subcommand: not kept at the top, and not a dev/owner
    /// command (those are registered on `DEV_GUILD_ID` only, so they stay top-level).
    pub fn holds(&self, c: &Command) -> bool {
        !self.top_level.contains(&c.name.as_ref()) && !crate::Tier::of_or_owner(c).is_dev_only()
    }
}

/// A feature's commands as the framework runs them (see [`SlashGroup`]).
pub fn slash_layout(feature: &Feature) -> Vec<Command> {
    let Some(group) = feature.slash_group else {
        return feature_commands(feature);
    };
    let mut out = Vec::new();
    let mut subs = Vec::new();
    // `fn() -> Vec<Command>` is called twice: poise commands cannot be cloned.
    for (mut top, sub) in feature_commands(feature)
        .into_iter()
        .zip(feature_commands(feature))
    {
        if group.holds(&top) {
            strip_slash(&mut top);
            subs.push(sub);
        }
        out.push(top);
    }
    if subs.is_empty() {
        return out;
    }
    // Discord never invokes a group itself; poise only needs an action to build it.
    let action = subs.iter().find_map(|c| c.slash_action);
    let mut parent = Command {
        name: group.name.into(),
        description: Some(group.description.into()),
        subcommands: subs,
        subcommand_required: true,
        slash_action: action,
        custom_data: Box::new(crate::Tier::Everyone),
        ..Default::default()
    };
    set_category(&mut parent, feature.switch);
    out.push(parent);
    out
}

/// Makes a command tree prefix-only.
fn strip_slash(c: &mut Command) {
    c.slash_action = None;
    for s in &mut c.subcommands {
        strip_slash(s);
    }
}

/// How each command of a feature is typed as a slash command: `(prefix qualified name, slash
/// path)`, `None` for prefix-only commands (for the command reference and help).
pub fn slash_paths(feature: &Feature) -> Vec<(String, Option<String>)> {
    fn walk(c: &Command, slash_prefix: Option<&str>, out: &mut Vec<(String, Option<String>)>) {
        let slash = slash_prefix.map(|p| {
            if p.is_empty() {
                format!("/{}", c.name)
            } else {
                format!("{p} {}", c.name)
            }
        });
        let has_slash = c.slash_action.is_some();
        out.push((
            c.qualified_name.to_string(),
            slash.clone().filter(|_| has_slash),
        ));
        for s in &c.subcommands {
            walk(s, slash.as_deref().filter(|_| has_slash), out);
        }
    }
    let mut out = Vec::new();
    let group = feature.slash_group;
    for c in feature_commands(feature) {
        let prefix = match group {
            Some(g) if g.holds(&c) => format!("/{}", g.name),
            _ => String::new(),
        };
        walk(&c, Some(&prefix), &mut out);
    }
    out
}

/// The kernel's own part, always on: the shared UI components' buttons and jobs.
fn kernel_feature() -> Feature {
    Feature::new("kernel", Vec::new)
        .switch(ALWAYS_ON)
        .component(crate::ui::paginator::PREFIX, crate::ui::paginator::on_click)
        .component(crate::ui::confirm::PREFIX, crate::ui::confirm::on_click)
        .component(crate::ui::wizard::PREFIX, crate::ui::wizard::on_click)
        .modal(crate::ui::wizard::PREFIX, crate::ui::wizard::on_modal)
        .job(JobKind::once(
            crate::ui::paginator::EXPIRE_JOB,
            crate::ui::paginator::expire_job,
        ))
        .job(JobKind::once(
            crate::ui::wizard::EXPIRE_JOB,
            crate::ui::wizard::expire_job,
        ))
}

/// Walk a command tree: `(qualified name, tier)` for every command and subcommand.
pub fn tier_listing(commands: &[Command]) -> Vec<(String, Option<crate::Tier>)> {
    fn walk(c: &Command, out: &mut Vec<(String, Option<crate::Tier>)>) {
        out.push((c.qualified_name.to_string(), crate::Tier::of(c)));
        for s in &c.subcommands {
            walk(s, out);
        }
    }
    let mut out = Vec::new();
    for c in commands {
        walk(c, &mut out);
    }
    out
}
