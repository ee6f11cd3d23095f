//! The command reference, `docs/commands.md`, generated from the registered commands so it
//! cannot drift: `chronix commands > docs/commands.md`, and a test compares the file with
//! [`command_reference`].

use crate::Command;
use crate::kernel::commands::params;
use std::collections::HashMap;

use crate::registry::{Feature, feature_commands, slash_paths};

/// Markdown: one section per feature (in registry order), one row per command and
/// subcommand with its prefix form, aliases, slash form, tier and description.
pub fn command_reference(features: &[Feature]) -> String {
    let mut out = String::from(
        "# Commands\n\n\
         Generated from the code by `chronix commands`; a test keeps this file in step.\n\
         Every command works with the `chro` prefix (or the server's own prefix, or a mention of\n\
         the bot) and, where a slash form is listed, as a slash command. Aliases work with the\n\
         prefix. Slash commands are grouped by feature (`/economy shop`) to stay within Discord's\n\
         limits (100 commands, 25 subcommands each); the most common ones stay at the top\n\
         (`/balance`). The tier says who may run it (everyone, dj, mod, admin, dev, owner); dev\n\
         and owner commands exist only on `DEV_GUILD_ID`. A feature switched off with its\n\
         `ENABLE_*` key registers none of its commands; `chro module disable <module>` switches\n\
         it off for one server.\n",
    );
    for feature in features {
        let commands = feature_commands(feature);
        if commands.is_empty() {
            continue;
        }
        let slash: HashMap<String, Option<String>> = slash_paths(feature).into_iter().collect();
        out.push_str(&format!(
            "\n## {} (module `{}`)\n\n| command | aliases | slash | tier | what it does |\n|---|---|---|---|---|\n",
            feature.name, feature.switch
        ));
        for c in commands {
            rows(&c, &slash, &mut out);
        }
    }
    out
}

fn rows(c: &Command, slash: &HashMap<String, Option<String>>, out: &mut String) {
    let aliases: Vec<String> = c.aliases.iter().map(|a| format!("`{a}`")).collect();
    let slash_form = match slash.get(c.qualified_name.as_ref()) {
        Some(Some(path)) => format!("`{path}`"),
        _ => "—".to_string(),
    };
    let tier = crate::Tier::of(c).map_or("owner (undeclared)", |t| t.name());
    out.push_str(&format!(
        "| `chro {}{}` | {} | {slash_form} | {tier} | {} |\n",
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
        rows(sub, slash, out);
    }
}
