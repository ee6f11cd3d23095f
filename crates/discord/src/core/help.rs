//! `help`: one page per feature with Prev/Next buttons, and `help <command>` details.
//!
//! The buttons are stateless: their `custom_id` carries the target page
//! (`chx:help:next:2`), so paging works for anyone, at any time, even after a restart.

use poise::serenity_prelude as serenity;

use crate::perms::visible_to;
use crate::prelude::*;
use crate::registry::{self, CORE};

/// `custom_id` prefix of the help buttons.
pub const COMPONENT_PREFIX: &str = "chx:help:";

/// One page: a feature and its command lines.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Page {
    /// Feature name.
    pub feature: String,
    /// One line per command.
    pub lines: Vec<String>,
}

/// The parameters of a command as typed: ` <required> [optional]`.
pub(crate) fn params(c: &Command) -> String {
    c.parameters
        .iter()
        .map(|p| {
            if p.required {
                format!(" <{}>", p.name)
            } else {
                format!(" [{}]", p.name)
            }
        })
        .collect()
}

/// How to type a command: `chro prefix set <new_prefix>`.
pub fn usage(_data: &Data, command: &Command, prefix: &str) -> String {
    let prefix = if prefix == "/" {
        "/".to_string()
    } else {
        crate::prefix::invoke(prefix, "")
    };
    let subs = if command.subcommands.is_empty() {
        String::new()
    } else {
        let names: Vec<&str> = command
            .subcommands
            .iter()
            .map(|s| s.name.as_ref())
            .collect();
        format!(" <{}>", names.join("|"))
    };
    format!(
        "{prefix}{}{subs}{}",
        command.qualified_name,
        params(command)
    )
}

fn line(c: &Command, prefix: &str) -> String {
    let aliases = if c.aliases.is_empty() {
        String::new()
    } else {
        format!(
            " (aliases: {})",
            c.aliases
                .iter()
                .map(|a| a.as_ref())
                .collect::<Vec<_>>()
                .join(", ")
        )
    };
    let desc = c.description.as_deref().unwrap_or("");
    format!(
        "`{}{}`{aliases}: {desc}",
        crate::prefix::invoke(prefix, &c.qualified_name),
        params(c)
    )
}

/// The help pages `user` may see, core first, then features in registry order. Features
/// switched off on the guild (`disabled`) say so at the top of their page.
pub fn pages(
    data: &Data,
    commands: &[Command],
    user: u64,
    prefix: &str,
    disabled: &[String],
) -> Vec<Page> {
    let mut order: Vec<String> = registry::features()
        .iter()
        .map(|f| f.name.to_string())
        .collect();
    if !order.iter().any(|f| f == CORE) {
        order.insert(0, CORE.into());
    }
    let mut out = Vec::new();
    for feature in order {
        let mut lines = Vec::new();
        for c in commands
            .iter()
            .filter(|c| c.category.as_deref() == Some(feature.as_str()))
        {
            if !visible_to(data, c, user) {
                continue;
            }
            if c.subcommands.is_empty() {
                lines.push(line(c, prefix));
            } else {
                for s in c.subcommands.iter().filter(|s| visible_to(data, s, user)) {
                    lines.push(line(s, prefix));
                }
            }
        }
        if !lines.is_empty() {
            if disabled.contains(&feature) {
                lines.insert(
                    0,
                    format!(
                        "❌ This module is disabled on this server (`module enable {feature}`)."
                    ),
                );
            }
            out.push(Page { feature, lines });
        }
    }
    out
}

/// The embed and buttons of page `index` (wrapped into range).
pub fn render_page(
    pages: &[Page],
    index: usize,
    prefix: &str,
) -> (Embed, Vec<serenity::CreateActionRow>) {
    let n = pages.len().max(1);
    let i = index % n;
    let embed = match pages.get(i) {
        Some(p) => Embed::info(format!("Chronix help: {} ({}/{})", p.feature, i + 1, n))
            .description(p.lines.join("\n"))
            .footer(format!(
                "Page {}/{} • {} <command> for details",
                i + 1,
                n,
                crate::prefix::invoke(prefix, "help")
            )),
        None => Embed::info("Chronix help").description("No commands are available."),
    };
    let prev = (i + n - 1) % n;
    let next = (i + 1) % n;
    let row = serenity::CreateActionRow::Buttons(vec![
        serenity::CreateButton::new(format!("{COMPONENT_PREFIX}prev:{prev}"))
            .label("Prev")
            .style(serenity::ButtonStyle::Secondary)
            .disabled(n < 2),
        serenity::CreateButton::new(format!("{COMPONENT_PREFIX}next:{next}"))
            .label("Next")
            .style(serenity::ButtonStyle::Primary)
            .disabled(n < 2),
    ]);
    (embed, vec![row])
}

/// The detail embed of one command.
pub fn details(data: &Data, c: &Command, prefix: &str) -> Embed {
    let tier = crate::Tier::of_or_owner(c);
    let mut e = Embed::info(format!("Help: {}", c.qualified_name))
        .description(
            c.help_text
                .as_deref()
                .or(c.description.as_deref())
                .unwrap_or("No description.")
                .to_string(),
        )
        .field("Usage", format!("`{}`", usage(data, c, prefix)), false);
    if c.slash_action.is_some() || !c.subcommands.is_empty() {
        e = e.field("Slash", format!("`{}`", usage(data, c, "/")), true);
    }
    let aliases = if c.aliases.is_empty() {
        "none".to_string()
    } else {
        c.aliases
            .iter()
            .map(|a| format!("`{a}`"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    e = e
        .field("Aliases", aliases, true)
        .field("Tier", tier.name(), true)
        .field("Module", c.category.as_deref().unwrap_or(CORE), true);
    if !c.subcommands.is_empty() {
        let subs: Vec<String> = c
            .subcommands
            .iter()
            .map(|s| format!("`{}`", s.name))
            .collect();
        e = e.field("Subcommands", subs.join(", "), false);
    }
    e
}

/// The prefix to show a user in a guild (custom or default) and the guild's disabled modules.
pub async fn guild_view(data: &Data, guild_id: Option<u64>) -> (String, Vec<String>) {
    let default = data.config().prefix.clone();
    match guild_id {
        Some(g) => match data.settings().get(g).await {
            Ok(s) => (
                s.prefix.clone().unwrap_or(default),
                s.disabled_modules.clone(),
            ),
            Err(_) => (default, Vec::new()),
        },
        None => (default, Vec::new()),
    }
}

/// Show every command by module, or details of one command.
#[poise::command(prefix_command, slash_command, aliases("commands"), custom_data = Tier::Everyone)]
pub async fn help(
    ctx: Context<'_>,
    #[description = "A command to explain"]
    #[rest]
    command: Option<String>,
) -> Result<(), Error> {
    let data = ctx.data();
    let (prefix, disabled) = guild_view(data, ctx.guild_id().map(|g| g.get())).await;
    let commands = &ctx.framework().options().commands;
    if let Some(query) = command.as_deref().map(str::trim).filter(|q| !q.is_empty()) {
        let query = query.trim_start_matches('/');
        let mut tree = Vec::new();
        let found = poise::find_command(commands, query, true, &mut tree)
            .and_then(|_| tree.last().copied())
            .filter(|c| visible_to(data, c, ctx.author().id.get()));
        let embed = match found {
            Some(c) => details(data, c, &prefix),
            None => Embed::warning("No such command").description(format!(
                "There is no command called `{}`. `{}` lists them all.",
                embeds::truncate(query, 50).replace('`', "'"),
                crate::prefix::invoke(&prefix, "help")
            )),
        };
        ctx.send(embeds::reply(embed)).await?;
        return Ok(());
    }
    let pages = pages(data, commands, ctx.author().id.get(), &prefix, &disabled);
    let (embed, rows) = render_page(&pages, 0, &prefix);
    ctx.send(embeds::reply(embed).components(rows)).await?;
    Ok(())
}

/// Parse `chx:help:next:3` into the target page.
pub fn parse_custom_id(id: &str) -> Option<usize> {
    let rest = id.strip_prefix(COMPONENT_PREFIX)?;
    let (dir, page) = rest.split_once(':')?;
    if dir != "prev" && dir != "next" {
        return None;
    }
    page.parse().ok()
}

/// Button handler: edit the help message to the target page.
pub fn on_component<'a>(
    ctx: &'a serenity::Context,
    interaction: &'a serenity::ComponentInteraction,
    data: &'a Data,
) -> poise::BoxFuture<'a, Result<(), Error>> {
    Box::pin(async move {
        let target = parse_custom_id(&interaction.data.custom_id).unwrap_or(0);
        let (prefix, disabled) = guild_view(data, interaction.guild_id.map(|g| g.get())).await;
        let commands = registry::enabled_commands(data.config());
        let pages = pages(
            data,
            &commands,
            interaction.user.id.get(),
            &prefix,
            &disabled,
        );
        let (embed, rows) = render_page(&pages, target, &prefix);
        let response = serenity::CreateInteractionResponse::UpdateMessage(
            serenity::CreateInteractionResponseMessage::new()
                .embed(embed.into())
                .components(rows)
                .allowed_mentions(embeds::no_mentions()),
        );
        interaction.create_response(&ctx.http, response).await?;
        Ok(())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn custom_ids_round_trip() {
        assert_eq!(parse_custom_id("chx:help:next:2"), Some(2));
        assert_eq!(parse_custom_id("chx:help:prev:0"), Some(0));
        assert_eq!(parse_custom_id("chx:help:up:1"), None);
        assert_eq!(parse_custom_id("other:next:1"), None);
    }

    #[test]
    fn buttons_wrap_and_have_distinct_ids() {
        let pages = vec![
            Page {
                feature: "core".into(),
                lines: vec!["a".into()],
            },
            Page {
                feature: "misc".into(),
                lines: vec!["b".into()],
            },
        ];
        let (embed, rows) = render_page(&pages, 1, "chro");
        assert_eq!(embed.clamped().title, "ℹ️ Chronix help: misc (2/2)");
        let v = serde_json::to_value(&rows).unwrap();
        let ids: Vec<&str> = v[0]["components"]
            .as_array()
            .unwrap()
            .iter()
            .map(|b| b["custom_id"].as_str().unwrap())
            .collect();
        assert_eq!(ids, ["chx:help:prev:0", "chx:help:next:0"]);
    }
}
