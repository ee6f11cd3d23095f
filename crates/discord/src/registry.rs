//! The one list of features.
//!
//! Each feature module exposes `pub fn commands() -> Vec<Command>` (and optionally component
//! handlers for its buttons and an event listener) and is listed once in [`features`], under
//! the same name as in [`chronix_config::FEATURES`] (`economy`, `gameplay`, `moderation`, …).
//! [`CORE`] commands are always on.
//!
//! * `ENABLE_<FEATURE>=false`: the feature's commands are not registered (neither prefix nor
//!   slash), its component handlers and listener are never called.
//! * `module disable <name>` on a guild: the global check refuses the feature's commands there,
//!   and [`crate::Data::feature_enabled_in`] tells listeners to stay idle for that guild.
//!
//! The feature name is written into each command's `category` here, so commands do not repeat it.

use chronix_config::Config;
use poise::serenity_prelude as serenity;

use crate::{Command, Data, Error};

/// The always-on feature.
pub const CORE: &str = "core";

/// A boxed future.
pub type BoxFuture<'a, T> = poise::BoxFuture<'a, T>;

/// Handles a button/select whose `custom_id` starts with the registered prefix.
pub type ComponentHandler = for<'a> fn(
    &'a serenity::Context,
    &'a serenity::ComponentInteraction,
    &'a Data,
) -> BoxFuture<'a, Result<(), Error>>;

/// Receives every gateway event while the feature is enabled.
pub type Listener = for<'a> fn(
    &'a serenity::Context,
    &'a serenity::FullEvent,
    &'a Data,
) -> BoxFuture<'a, Result<(), Error>>;

/// One feature.
pub struct Feature {
    /// Name, as in `chronix_config::FEATURES` (or [`CORE`]).
    pub name: &'static str,
    /// Its commands.
    pub commands: fn() -> Vec<Command>,
    /// `(custom_id prefix, handler)` for its components.
    pub components: Vec<(&'static str, ComponentHandler)>,
    /// Its event listener.
    pub listener: Option<Listener>,
}

impl Feature {
    /// A feature with commands only.
    pub fn new(name: &'static str, commands: fn() -> Vec<Command>) -> Self {
        Self {
            name,
            commands,
            components: Vec::new(),
            listener: None,
        }
    }
    /// Add a component handler.
    pub fn component(mut self, prefix: &'static str, handler: ComponentHandler) -> Self {
        self.components.push((prefix, handler));
        self
    }
    /// Set the listener.
    pub fn listener(mut self, listener: Listener) -> Self {
        self.listener = Some(listener);
        self
    }
}

/// Every feature, core first. Add a feature here (one line) and nowhere else.
pub fn features() -> Vec<Feature> {
    vec![
        crate::core::feature(),
        crate::misc::feature(),
        crate::economy::feature(),
        crate::gameplay::feature(),
    ]
}

/// Whether a feature is enabled by configuration.
pub fn enabled(config: &Config, name: &str) -> bool {
    name == CORE || config.features.enabled(name)
}

/// Set the category (feature name) and the qualified names (`prefix set`) of a command
/// tree. poise does the latter when the framework is built; doing it here too makes listings
/// outside the framework (help buttons, tests) show the same names.
fn set_category(cmd: &mut Command, name: &'static str) {
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
    walk(cmd, name, None);
}

/// The commands of one feature, with their category set.
pub fn feature_commands(feature: &Feature) -> Vec<Command> {
    let mut cmds = (feature.commands)();
    for c in &mut cmds {
        set_category(c, feature.name);
    }
    cmds
}

/// The commands to register under `config` (features switched off are left out).
pub fn enabled_commands(config: &Config) -> Vec<Command> {
    features()
        .iter()
        .filter(|f| enabled(config, f.name))
        .flat_map(feature_commands)
        .collect()
}

/// The component handler for a `custom_id`, among enabled features.
pub fn component_handler(
    config: &Config,
    custom_id: &str,
) -> Option<(&'static str, ComponentHandler)> {
    features()
        .into_iter()
        .filter(|f| enabled(config, f.name))
        .find_map(|f| {
            f.components
                .iter()
                .find(|(p, _)| custom_id.starts_with(p))
                .map(|(_, h)| (f.name, *h))
        })
}

/// The listeners of enabled features.
pub fn listeners(config: &Config) -> Vec<(&'static str, Listener)> {
    features()
        .into_iter()
        .filter(|f| enabled(config, f.name))
        .filter_map(|f| f.listener.map(|l| (f.name, l)))
        .collect()
}

/// Every command of every feature plus the test-only commands (for listings and tests).
pub fn all_commands_for_tests() -> Vec<Command> {
    let mut v: Vec<Command> = features().iter().flat_map(feature_commands).collect();
    let mut extra = crate::debug::test_commands();
    for c in &mut extra {
        set_category(c, CORE);
    }
    v.extend(extra);
    v
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Tier;
    use std::collections::HashSet;

    #[test]
    fn every_command_declares_a_tier() {
        let listing = tier_listing(&all_commands_for_tests());
        let mut missing = Vec::new();
        for (name, tier) in &listing {
            match tier {
                Some(t) => println!("{name:<24} {t}"),
                None => missing.push(name.clone()),
            }
        }
        assert!(missing.is_empty(), "commands without a tier: {missing:?}");
    }

    #[test]
    fn core_tiers_are_as_documented() {
        let listing: Vec<(String, Tier)> = tier_listing(&feature_commands(&crate::core::feature()))
            .into_iter()
            .map(|(n, t)| (n, t.unwrap()))
            .collect();
        let expected = [
            ("help", Tier::Everyone),
            ("ping", Tier::Everyone),
            ("about", Tier::Everyone),
            ("devstats", Tier::Dev),
            ("prefix", Tier::Everyone),
            ("prefix show", Tier::Everyone),
            ("prefix set", Tier::Admin),
            ("prefix reset", Tier::Admin),
            ("module", Tier::Everyone),
            ("module list", Tier::Everyone),
            ("module enable", Tier::Admin),
            ("module disable", Tier::Admin),
            ("errorlog", Tier::Everyone),
            ("errorlog set", Tier::Admin),
            ("errorlog clear", Tier::Admin),
        ];
        let expected: Vec<(String, Tier)> =
            expected.iter().map(|(n, t)| (n.to_string(), *t)).collect();
        assert_eq!(listing, expected);
    }

    #[test]
    fn feature_names_match_the_configuration() {
        let known: HashSet<&str> = chronix_config::FEATURES
            .iter()
            .map(|(n, _, _)| *n)
            .collect();
        let mut seen = HashSet::new();
        for f in features() {
            assert!(seen.insert(f.name), "feature {} listed twice", f.name);
            assert!(
                f.name == CORE || known.contains(f.name),
                "unknown feature {}",
                f.name
            );
        }
    }

    #[test]
    fn command_names_and_aliases_are_unique() {
        let mut seen = HashSet::new();
        for c in all_commands_for_tests() {
            for n in
                std::iter::once(c.name.to_string()).chain(c.aliases.iter().map(|a| a.to_string()))
            {
                assert!(seen.insert(n.clone()), "name or alias {n} used twice");
            }
        }
    }

    #[test]
    fn disabled_features_are_not_registered() {
        let mut config = Config::from_values(&Default::default()).unwrap();
        let names = |c: &Config| -> Vec<String> {
            enabled_commands(c)
                .iter()
                .map(|c| c.name.to_string())
                .collect()
        };
        assert!(names(&config).contains(&"roll".to_string()));
        config.features.set("misc", false);
        let n = names(&config);
        assert!(!n.contains(&"roll".to_string()));
        assert!(n.contains(&"ping".to_string()), "core is always on");
    }

    #[test]
    fn categories_are_set_recursively() {
        for c in all_commands_for_tests() {
            assert!(c.category.is_some(), "{}", c.name);
            for s in &c.subcommands {
                assert_eq!(s.category, c.category);
            }
        }
    }
}
