//! The features: one folder each, joined in ONE list, [`all`]. To add a feature, create
//! `src/features/<name>/mod.rs` with `pub fn feature() -> Feature` and add one line here.

pub mod announcements;
pub mod autohunt;
pub mod battles;
pub mod clans;
pub mod economy;
pub mod eventboard;
pub mod general;
pub mod giveaways;
pub mod hunt;
pub mod invites;
pub mod items;
pub mod levels;
pub mod logging;
pub mod misc;
pub mod moderation;
pub mod owner;
pub mod pets;
pub mod reactionroles;
pub mod tags;
pub mod teams;
pub mod tempvoice;
pub mod tickets;
pub mod welcome;

use crate::registry::Feature;

/// Every feature, in the order help lists them. Add a feature here (one line) and nowhere else.
pub fn all() -> Vec<Feature> {
    vec![
        general::feature(),
        misc::feature(),
        economy::feature(),
        hunt::feature(),
        autohunt::feature(),
        items::feature(),
        pets::feature(),
        moderation::feature(),
        tickets::feature(),
        owner::feature(),
        levels::feature(),
        logging::feature(),
        welcome::feature(),
        invites::feature(),
        tempvoice::feature(),
        announcements::feature(),
        reactionroles::feature(),
        tags::feature(),
        giveaways::feature(),
        eventboard::feature(),
        battles::feature(),
        clans::feature(),
        teams::feature(),
    ]
}

/// The command reference of every feature (`docs/commands.md`).
pub fn command_reference() -> String {
    crate::reference::command_reference(&all())
}

/// A registry of every feature plus the test-only commands' feature (for listings and tests).
#[cfg(test)]
pub(crate) fn all_commands_for_tests() -> Vec<crate::Command> {
    let mut v = crate::registry::Registry::new(all()).all_commands();
    let mut extra = crate::debug::test_commands();
    for c in &mut extra {
        crate::registry::set_category(c, crate::registry::ALWAYS_ON);
    }
    v.extend(extra);
    v
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Tier;
    use crate::registry::{ALWAYS_ON, Registry, feature_commands, tier_listing};
    use chronix_config::Config;
    use std::collections::HashSet;

    /// Every command and subcommand has `cmd-<name>.description` in its feature's English file
    /// (slash descriptions, help texts). `CHRONIX_DUMP_CMDS=1` prints the missing entries.
    #[test]
    fn every_command_has_an_english_description_in_its_features_file() {
        let c = crate::kernel::i18n::tests::catalogue();
        let mut missing = Vec::new();
        for f in all() {
            let file = c["en-US"].get(f.name).cloned().unwrap_or_default();
            fn walk(cmd: &crate::Command, out: &mut Vec<(String, String)>) {
                out.push((
                    crate::kernel::i18n::command_id(&cmd.qualified_name),
                    cmd.description.as_deref().unwrap_or("").to_string(),
                ));
                for s in &cmd.subcommands {
                    walk(s, out);
                }
            }
            let mut cmds = Vec::new();
            for cmd in feature_commands(&f) {
                walk(&cmd, &mut cmds);
            }
            for (id, desc) in cmds {
                if !file.contains_key(&format!("{id}.description")) {
                    missing.push(format!("{}: {id} =\n    .description = {desc}", f.name));
                }
            }
        }
        if std::env::var_os("CHRONIX_DUMP_CMDS").is_some() {
            println!("{}", missing.join("\n"));
        }
        assert!(missing.is_empty(), "missing: {missing:#?}");
    }

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
    fn general_tiers_are_as_documented() {
        let listing: Vec<(String, Tier)> = tier_listing(&feature_commands(&general::feature()))
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
            ("language", Tier::Everyone),
            ("language show", Tier::Everyone),
            ("language set", Tier::Admin),
            ("language reset", Tier::Admin),
        ];
        let expected: Vec<(String, Tier)> =
            expected.iter().map(|(n, t)| (n.to_string(), *t)).collect();
        assert_eq!(listing, expected);
    }

    #[test]
    fn switches_match_the_configuration_and_names_are_unique() {
        let known: HashSet<&str> = chronix_config::FEATURES
            .iter()
            .map(|(n, _, _)| *n)
            .collect();
        // Registry::new panics on duplicate names, job kinds, page sources and overlapping
        // component prefixes.
        let registry = Registry::new(all());
        for f in registry.all() {
            assert!(
                f.switch == ALWAYS_ON || known.contains(f.switch),
                "unknown switch {} of feature {}",
                f.switch,
                f.name
            );
        }
    }

    #[test]
    fn feature_names_are_the_same_in_core_and_storage() {
        // A feature with rules or tables has a module of the same name in `chronix-core` and
        // `chronix-storage` (the README's naming rule); check the ones that exist.
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        for f in all() {
            let here = root.join("discord/src/features").join(f.name);
            assert!(
                here.join("mod.rs").is_file(),
                "feature {} has no folder",
                f.name
            );
        }
        for name in [
            "economy",
            "hunt",
            "autohunt",
            "items",
            "moderation",
            "tickets",
            "levels",
            "logging",
            "welcome",
            "invites",
            "tempvoice",
            "announcements",
            "reactionroles",
            "tags",
            "pets",
            "giveaways",
            "eventboard",
            "battles",
            "clans",
            "teams",
        ] {
            let core = root.join("core/src");
            let storage = root.join("storage/src");
            assert!(
                core.join(format!("{name}.rs")).is_file() || core.join(name).is_dir(),
                "core has no {name} module"
            );
            assert!(
                storage.join(format!("{name}.rs")).is_file() || storage.join(name).is_dir(),
                "storage has no {name} module"
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
        let registry = Registry::new(all());
        let names = |c: &Config| -> Vec<String> {
            registry
                .enabled_commands(c)
                .iter()
                .map(|c| c.name.to_string())
                .collect()
        };
        assert!(names(&config).contains(&"roll".to_string()));
        config.features.set("misc", false);
        let n = names(&config);
        assert!(!n.contains(&"roll".to_string()));
        assert!(n.contains(&"ping".to_string()), "general is always on");
        config.features.set("gameplay", false);
        let n = names(&config);
        assert!(
            !n.contains(&"hunt".to_string()) && !n.contains(&"autohunt".to_string()),
            "hunt and autohunt share ENABLE_GAMEPLAY"
        );
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

    #[test]
    fn the_slash_commands_fit_discords_limits() {
        let registry = Registry::new(all());
        let commands: Vec<crate::Command> = registry
            .all()
            .iter()
            .flat_map(crate::registry::slash_layout)
            .collect();
        let mut raw = std::collections::HashMap::new();
        raw.insert("DEV_GUILD_ID".to_string(), "1".to_string());
        let config = Config::from_values(&raw).unwrap();
        let (global, dev) = crate::kernel::framework::slash_commands(&commands, &config);
        let names: Vec<&str> = global.iter().filter_map(|c| c["name"].as_str()).collect();
        println!("{} global slash commands: {names:?}", global.len());
        assert_eq!(
            crate::kernel::limits::problems(&global),
            Vec::<String>::new()
        );
        assert_eq!(crate::kernel::limits::problems(&dev), Vec::<String>::new());
        for top in [
            "balance", "daily", "pay", "hunt", "help", "economy", "bot", "misc",
        ] {
            assert!(names.contains(&top), "/{top} missing: {names:?}");
        }
        for grouped in ["shop", "deposit", "roll", "prefix", "about"] {
            assert!(!names.contains(&grouped), "/{grouped} should be in a group");
        }
        let dev_names: Vec<&str> = dev.iter().filter_map(|c| c["name"].as_str()).collect();
        assert_eq!(
            dev_names,
            ["devstats", "owner", "dev", "audit"],
            "dev commands only on the dev guild"
        );
        // `/economy market sell` is a group with a subcommand.
        let eco = global.iter().find(|c| c["name"] == "economy").unwrap();
        let market = eco["options"]
            .as_array()
            .unwrap()
            .iter()
            .find(|o| o["name"] == "market")
            .unwrap();
        assert_eq!(market["type"], 2);
        assert!(
            market["options"]
                .as_array()
                .unwrap()
                .iter()
                .any(|o| o["name"] == "sell")
        );
    }

    #[test]
    fn docs_commands_md_is_in_step_with_the_code() {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/commands.md");
        let text = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(
            text == command_reference(),
            "docs/commands.md is out of date: regenerate with `cargo run -- commands > docs/commands.md`"
        );
    }

    #[test]
    fn reference_lists_every_command_with_its_tier() {
        let text = command_reference();
        assert!(
            text.contains("| `chro ping` | `latency` | `/ping` | everyone |"),
            "{text}"
        );
        assert!(
            text.contains("| `chro prefix set <new_prefix>` |"),
            "{text}"
        );
        assert!(
            !text.contains("owner (undeclared)"),
            "every command declares a tier"
        );
    }

    #[test]
    fn unknown_commands_get_a_hint() {
        let cmds = all_commands_for_tests();
        let e = crate::prefix::unknown_command_reply(
            &cmds,
            "chro",
            "pnig now",
            crate::kernel::i18n::Locale::EN,
        )
        .unwrap()
        .clamped();
        assert_eq!(e.title, "⚠️ Unknown command");
        let d = e.description.unwrap();
        assert!(
            d.contains("`pnig`") && d.contains("`chro ping`") && d.contains("`chro help`"),
            "{d}"
        );
        let e = crate::prefix::unknown_command_reply(
            &cmds,
            "chro",
            "zzzzzzzz",
            crate::kernel::i18n::Locale::EN,
        )
        .unwrap()
        .clamped();
        assert!(!e.description.unwrap().contains("Did you mean"));
    }
}
