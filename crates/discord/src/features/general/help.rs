//! `help`: one page per module through the shared paginator (only the invoker can page, and a
//! page lists what the invoker may run), and `help <command>` details.

use crate::perms::visible_to;
use crate::prelude::*;
use crate::registry::ALWAYS_ON as CORE;
use crate::ui::paginator::{self, PageRequest};

/// The help pages' name in the paginator.
pub const PAGES: &str = "help";

/// One page: a feature and its command lines.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Page {
    /// Feature name.
    pub feature: String,
    /// One line per command.
    pub lines: Vec<String>,
}

pub use crate::kernel::commands::{params, usage};

fn line(l: Locale, c: &Command, prefix: &str) -> String {
    let aliases = if c.aliases.is_empty() {
        String::new()
    } else {
        tr!(
            l,
            "general-help-aliases-inline",
            aliases = c
                .aliases
                .iter()
                .map(|a| a.as_ref())
                .collect::<Vec<_>>()
                .join(", ")
        )
    };
    let desc = crate::kernel::i18n::command_description(c, l).unwrap_or_default();
    format!(
        "`{}{}`{aliases}: {desc}",
        crate::prefix::invoke(prefix, &c.qualified_name),
        params(c)
    )
}

/// The help pages `user` may see, core first, then features in registry order. Features
/// switched off on the guild (`disabled`) say so at the top of their page.
pub fn pages(
    l: Locale,
    data: &Data,
    commands: &[Command],
    user: u64,
    prefix: &str,
    disabled: &[String],
) -> Vec<Page> {
    let mut order: Vec<String> = data
        .registry()
        .switches()
        .into_iter()
        .map(str::to_string)
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
                lines.push(line(l, c, prefix));
            } else {
                for s in c.subcommands.iter().filter(|s| visible_to(data, s, user)) {
                    lines.push(line(l, s, prefix));
                }
            }
        }
        if !lines.is_empty() {
            if disabled.contains(&feature) {
                lines.insert(
                    0,
                    tr!(
                        l,
                        "general-help-module-disabled",
                        feature = feature.as_str()
                    ),
                );
            }
            out.push(Page { feature, lines });
        }
    }
    out
}

/// The embed of page `index` (clamped into range).
pub fn render_page(l: Locale, pages: &[Page], index: usize, prefix: &str) -> paginator::Page {
    let n = pages.len().max(1);
    let i = paginator::clamp(index, n);
    let embed = match pages.get(i) {
        Some(p) => Embed::info(tr!(
            l,
            "general-help-page-title",
            feature = p.feature.as_str(),
            page = (i + 1).to_string(),
            pages = n.to_string()
        ))
        .description(p.lines.join("\n"))
        .footer(tr!(
            l,
            "general-help-page-footer",
            page = (i + 1).to_string(),
            pages = n.to_string(),
            help = crate::prefix::invoke(prefix, "help")
        )),
        None => Embed::info(tr!(l, "general-help-title")).description(tr!(l, "general-help-none")),
    };
    paginator::Page::new(embed, i, n, "")
}

/// The paginator's page source: the invoker's help, page `req.page`.
pub fn draw_page<'a>(
    data: &'a Data,
    req: &'a PageRequest,
) -> poise::BoxFuture<'a, Result<paginator::Page, Error>> {
    Box::pin(async move {
        let (prefix, disabled) = guild_view(data, req.guild_id.map(|g| g.get())).await;
        let commands = data.registry().enabled_commands(data.config());
        let l = req.locale;
        let pages = pages(l, data, &commands, req.owner.get(), &prefix, &disabled);
        Ok(render_page(l, &pages, req.page, &prefix))
    })
}

/// The detail embed of one command.
pub fn details(l: Locale, c: &Command, prefix: &str) -> Embed {
    let tier = crate::Tier::of_or_owner(c);
    // English keeps the doc comment's longer help text; other locales show their description.
    let text = if l == Locale::EN {
        c.help_text.as_deref().map(str::to_string)
    } else {
        None
    }
    .or_else(|| crate::kernel::i18n::command_description(c, l))
    .unwrap_or_else(|| tr!(l, "general-help-no-description"));
    let mut e = Embed::info(tr!(
        l,
        "general-help-details-title",
        command = c.qualified_name.to_string()
    ))
    .description(text)
    .field(
        tr!(l, "general-help-usage"),
        format!("`{}`", usage(c, prefix)),
        false,
    );
    if c.slash_action.is_some() || !c.subcommands.is_empty() {
        e = e.field(
            tr!(l, "general-help-slash"),
            format!("`{}`", usage(c, "/")),
            true,
        );
    }
    let aliases = if c.aliases.is_empty() {
        tr!(l, "general-help-no-aliases")
    } else {
        c.aliases
            .iter()
            .map(|a| format!("`{a}`"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    e = e
        .field(tr!(l, "general-help-aliases"), aliases, true)
        .field(tr!(l, "general-help-tier"), tier.name(), true)
        .field(
            tr!(l, "general-help-module"),
            c.category.as_deref().unwrap_or(CORE),
            true,
        );
    if !c.subcommands.is_empty() {
        let subs: Vec<String> = c
            .subcommands
            .iter()
            .map(|s| format!("`{}`", s.name))
            .collect();
        e = e.field(tr!(l, "general-help-subcommands"), subs.join(", "), false);
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
    let (prefix, _disabled) = guild_view(data, ctx.guild_id().map(|g| g.get())).await;
    let commands = &ctx.framework().options().commands;
    if let Some(query) = command.as_deref().map(str::trim).filter(|q| !q.is_empty()) {
        let query = query.trim_start_matches('/');
        let mut tree = Vec::new();
        let found = poise::find_command(commands, query, true, &mut tree)
            .and_then(|_| tree.last().copied())
            .filter(|c| visible_to(data, c, ctx.author().id.get()));
        let embed = match found {
            Some(c) => details(ctx.lang(), c, &prefix),
            None => Embed::warning(tr!(ctx, "general-help-unknown-title")).description(tr!(
                ctx,
                "general-help-unknown",
                command = embeds::truncate(query, 50).replace('`', "'"),
                help = crate::prefix::invoke(&prefix, "help")
            )),
        };
        ctx.send(embeds::reply(embed)).await?;
        return Ok(());
    }
    paginator::send(ctx, PAGES, String::new(), paginator::Delivery::Public).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_clamp_and_count() {
        let pages = vec![
            Page {
                feature: "general".into(),
                lines: vec!["a".into()],
            },
            Page {
                feature: "misc".into(),
                lines: vec!["b".into()],
            },
        ];
        let p = render_page(Locale::EN, &pages, usize::MAX, "chro");
        assert_eq!((p.index, p.total), (1, 2));
        assert_eq!(p.embed.clamped().title, "ℹ️ Chronix help: misc (2/2)");
        let p = render_page(Locale::EN, &pages, 0, "chro");
        assert_eq!(p.embed.clamped().title, "ℹ️ Chronix help: general (1/2)");
    }
}
