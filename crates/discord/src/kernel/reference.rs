//! The command reference, `docs/commands.md`, generated from the registered commands so it
//! cannot drift: `chronix commands > docs/commands.md`, and a test compares the file with
//! [`command_reference`].

use crate::Command;
use crate::kernel::commands::params;
use crate::registry::{Feature, feature_commands};

/// Markdown: one section per feature (in registry order), one row per command and
/// subcommand with its prefix form, aliases, slash form, tier and description.
pub fn command_reference(features: &[Feature]) -> String {
    let mut out = String::from(
        "# Commands\n\n\
         Generated from the code by `chronix commands`; a test keeps this file in step.\n\
         Every command works with the `chro` prefix (or the server's own prefix, or a mention of\n\
         the bot) and, where a slash form is listed, as a slash command. Aliases work with the\n\
         prefix. The tier says who may run it (everyone, dj, mod, admin, dev, owner); dev and\n\
         owner commands exist only on `DEV_GUILD_ID`. A feature switched off with its `ENABLE_*`\n\
         key registers none of its commands; `chro module disable <feature>` switches it off for\n\
         one server.\n",
    );
    for feature in features {
        let commands = feature_commands(feature);
        if commands.is_empty() {
            continue;
        }
        out.push_str(&format!(
            "\n## {}\n\n| command | aliases | slash | tier | what it does |\n|---|---|---|---|---|\n",
            feature.name
        ));
        for c in commands {
            rows(&c, &mut out);
        }
    }
    out
}

fn rows(c: &Command, out: &mut String) {
    let aliases: Vec<String> = c.aliases.iter().map(|a| format!("`{a}`")).collect();
    let has_slash =
        c.slash_action.is_some() || c.subcommands.iter().any(|s| s.slash_action.is_some());
    let slash = if has_slash {
        format!("`/{}`", c.qualified_name)
    } else {
        "—".to_string()
    };
    let tier = crate::Tier::of(c).map_or("owner (undeclared)", |t| t.name());
    out.push_str(&format!(
        "| `chro {}{}` | {} | {slash} | {tier} | {} |\n",
        c.qualified_name,
        params(c),
        if aliases.is_empty() {
            "—".to_string()
        } else {
            aliases.join(" ")
        },
        c.description.as_deref().unwrap_or("").replace('|', "\\|"),
    ));
    for sub in &c.subcommands {
        rows(sub, out);
    }
}
