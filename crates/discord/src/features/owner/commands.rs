//! `owner …`: the owner's commands (Tier::Owner; registered on the dev server only).

use std::time::Duration;

use chronix_core::economy::Chrons;
use chronix_storage::owner::{self as store, Blacklisted, Grant};
use serde_json::json;

use super::guard::{Request, guard};
use super::{parse_guild, record, refusal};
use crate::audit::Audit;
use crate::kernel::ids::ToCore;
use crate::prelude::*;
use crate::ui::paginator::{self, Delivery, Page, PageRequest};

/// Page source of `owner guilds`.
pub const GUILD_PAGES: &str = "ownguilds";
const PER_PAGE: usize = 10;
/// Rows `owner sql` shows.
pub const SQL_ROWS: usize = 20;
/// `owner sql`'s statement timeout.
pub const SQL_TIMEOUT: Duration = Duration::from_secs(5);

/// The owner's tools.
#[poise::command(
    prefix_command,
    slash_command,
    subcommands(
        "owner_guilds",
        "owner_leave",
        "owner_broadcast",
        "owner_blacklist",
        "owner_unblacklist",
        "owner_grant",
        "owner_take",
        "owner_unban_me",
        "owner_sql",
        "owner_backup",
        "owner_pending"
    ),
    subcommand_required,
    custom_data = Tier::Owner
)]
pub async fn owner(_ctx: Context<'_>) -> Result<(), Error> {
    Ok(())
}

/// The servers Chronix is in (paged).
#[poise::command(prefix_command, slash_command, rename = "guilds", custom_data = Tier::Owner)]
pub async fn owner_guilds(ctx: Context<'_>) -> Result<(), Error> {
    paginator::send(ctx, GUILD_PAGES, String::new(), Delivery::Public).await
}

/// Page source of `owner guilds`.
pub fn draw_guilds<'a>(
    data: &'a Data,
    req: &'a PageRequest,
) -> poise::BoxFuture<'a, Result<Page, Error>> {
    Box::pin(async move {
        let l = req.locale;
        let ids = data.guilds().ids();
        let total = ids.len().div_ceil(PER_PAGE).max(1);
        let index = paginator::clamp(req.page, total);
        let lines: Vec<String> = ids
            .iter()
            .skip(index * PER_PAGE)
            .take(PER_PAGE)
            .map(|g| match data.guilds().facts(*g) {
                Some(f) => tr!(
                    l,
                    "owner-guilds-line",
                    id = g.get().to_string(),
                    name = embeds::truncate(&f.name, 60),
                    members = f.member_count
                ),
                None => format!("`{g}`"),
            })
            .collect();
        let e = Embed::info(tr!(l, "owner-guilds-title", count = ids.len())).description(
            if lines.is_empty() {
                tr!(l, "owner-guilds-none")
            } else {
                lines.join("\n")
            },
        );
        Ok(Page::new(e, index, total, String::new()))
    })
}

/// Make Chronix leave a server (confirmed in the dev server).
#[poise::command(prefix_command, slash_command, rename = "leave", custom_data = Tier::Owner)]
pub async fn owner_leave(
    ctx: Context<'_>,
    #[description = "The server's id"] guild: String,
) -> Result<(), Error> {
    on_server(ctx, "owner.leave", &guild, |l, shown| {
        Embed::warning(tr!(l, "owner-leave-title")).description(tr!(
            l,
            "owner-leave-preview",
            guild = shown
        ))
    })
    .await
}

/// Asks for (or, with the override, previews) `action` on the server whose id is `guild`;
/// `preview` draws what will happen from the server's shown name.
async fn on_server(
    ctx: Context<'_>,
    action: &'static str,
    guild: &str,
    preview: fn(Locale, String) -> Embed,
) -> Result<(), Error> {
    let who = Caller::of(ctx).await;
    let l = who.locale;
    let g = parse_guild(l, guild)?;
    let preview = preview(l, guild_name(ctx.data(), g));
    let payload = json!({ "guild": g.get().to_string() });
    let guild = Some(g);
    guard(
        ctx,
        Request {
            action,
            guild,
            payload,
            preview,
        },
    )
    .await
}

/// Post an announcement to every server's announcement or system channel (preview first).
#[poise::command(prefix_command, slash_command, rename = "broadcast", custom_data = Tier::Owner)]
pub async fn owner_broadcast(
    ctx: Context<'_>,
    #[rest]
    #[description = "The announcement"]
    text: String,
) -> Result<(), Error> {
    let who = Caller::of(ctx).await;
    let l = who.locale;
    let text = text.trim().to_string();
    if text.is_empty() {
        return Err(UserError::InvalidInput(tr!(l, "owner-broadcast-empty")).into());
    }
    let servers = ctx.data().guilds().len();
    guard(
        ctx,
        Request {
            action: "owner.broadcast",
            guild: None,
            payload: json!({ "text": text }),
            preview: Embed::warning(tr!(l, "owner-broadcast-preview-title", count = servers))
                .description(embeds::truncate(&text, 3500)),
        },
    )
    .await
}

fn guild_name(data: &Data, g: serenity::GuildId) -> String {
    data.guilds()
        .facts(g)
        .map(|f| format!("{} ({g})", f.name))
        .unwrap_or_else(|| g.to_string())
}

/// `user <mention|id>` or `guild <id>`.
fn parse_target(l: Locale, kind: &str, id: &str) -> Result<Blacklisted, Error> {
    match kind.trim().to_lowercase().as_str() {
        "user" => chronix_core::moderation::parse_user(id.trim())
            .map(Blacklisted::User)
            .ok_or_else(|| {
                UserError::InvalidInput(tr!(l, "owner-bad-user", text = embeds::truncate(id, 40)))
                    .into()
            }),
        "guild" | "server" => Ok(Blacklisted::Guild(parse_guild(l, id)?.core())),
        _ => Err(UserError::InvalidInput(tr!(l, "owner-blacklist-kind")).into()),
    }
}

fn target_text(t: Blacklisted) -> String {
    match t {
        Blacklisted::User(u) => format!("<@{u}> ({u})"),
        Blacklisted::Guild(g) => format!("server {g}"),
    }
}

/// Refuse a user's commands, or leave a server whenever it adds Chronix.
#[poise::command(prefix_command, slash_command, rename = "blacklist", custom_data = Tier::Owner)]
pub async fn owner_blacklist(
    ctx: Context<'_>,
    #[description = "user or guild"] kind: String,
    #[description = "The user (mention or id) or the server's id"] id: String,
    #[rest]
    #[description = "Why"]
    reason: String,
) -> Result<(), Error> {
    let who = Caller::of(ctx).await;
    let l = who.locale;
    let target = parse_target(l, &kind, &id)?;
    let reason = reason.trim().to_string();
    if reason.is_empty() {
        return Err(UserError::InvalidInput(tr!(l, "owner-reason-required")).into());
    }
    let (me, here) = (who.user, who.guild);
    if let Blacklisted::User(u) = target {
        if ctx.data().config().owner_id == Some(u.get()) {
            return Err(UserError::InvalidInput(tr!(l, "owner-blacklist-self")).into());
        }
    }
    store::blacklist_add(ctx.data().storage(), target, &reason, me, who.now)
        .await
        .map_err(|e| refusal(l, e))?;
    if let Blacklisted::User(u) = target {
        ctx.data().blocked_users().insert(u.get());
    }
    let e = Embed::success(tr!(l, "owner-blacklisted", target = target_text(target))).field(
        tr!(l, "owner-field-reason"),
        reason.clone(),
        false,
    );
    let a = Audit::new(me, here, "owner.blacklist")
        .target(target_text(target))
        .with("reason", reason);
    record(ctx.data(), ctx.http(), a, e.clone()).await?;
    ctx.send(embeds::reply(e)).await?;
    Ok(())
}

/// Take a user or a server off the blacklist.
#[poise::command(prefix_command, slash_command, rename = "unblacklist", custom_data = Tier::Owner)]
pub async fn owner_unblacklist(
    ctx: Context<'_>,
    #[description = "user or guild"] kind: String,
    #[description = "The user (mention or id) or the server's id"] id: String,
) -> Result<(), Error> {
    let who = Caller::of(ctx).await;
    let l = who.locale;
    let target = parse_target(l, &kind, &id)?;
    store::blacklist_remove(ctx.data().storage(), target)
        .await
        .map_err(|e| refusal(l, e))?;
    if let Blacklisted::User(u) = target {
        ctx.data().blocked_users().remove(&u.get());
    }
    let (me, here) = (who.user, who.guild);
    let e = Embed::success(tr!(l, "owner-unblacklisted", target = target_text(target)));
    let a = Audit::new(me, here, "owner.unblacklist").target(target_text(target));
    record(ctx.data(), ctx.http(), a, e.clone()).await?;
    ctx.send(embeds::reply(e)).await?;
    Ok(())
}

/// `500` (Chrons), `basic_crate` or `basic_crate:3` (items).
pub fn parse_grant(text: &str) -> Option<Grant> {
    let t = text.trim();
    let digits: String = t.chars().filter(|c| !matches!(c, ',' | '_')).collect();
    if let Ok(n) = digits.parse::<i64>() {
        return Some(Grant::Chrons(Chrons::new(n)));
    }
    let (key, qty) = match t.split_once(':') {
        Some((k, q)) => (k, q.trim().parse::<i64>().ok()?),
        None => (t, 1),
    };
    let key_ok = !key.is_empty()
        && key
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
    key_ok.then(|| Grant::Item {
        key: key.to_string(),
        qty,
    })
}

async fn adjust(
    ctx: Context<'_>,
    user: serenity::User,
    what: String,
    reason: String,
    take: bool,
) -> Result<(), Error> {
    let who = Caller::of(ctx).await;
    let l = who.locale;
    let Some(grant) = parse_grant(&what) else {
        return Err(UserError::InvalidInput(tr!(
            l,
            "owner-bad-grant",
            text = embeds::truncate(&what, 40)
        ))
        .into());
    };
    let reason = reason.trim().to_string();
    if reason.is_empty() {
        return Err(UserError::InvalidInput(tr!(l, "owner-reason-required")).into());
    }
    let (me, here) = (who.user, who.guild);
    let done = store::adjust(
        ctx.data().storage(),
        me,
        here,
        user.id.core(),
        &grant,
        take,
        &reason,
        who.now,
    )
    .await
    .map_err(|e| refusal(l, e))?;
    let (what, after) = match &grant {
        Grant::Chrons(n) => (
            tr!(l, "owner-chrons", amount = n.get()),
            tr!(l, "owner-chrons", amount = done.after),
        ),
        Grant::Item { key, qty } => (
            format!("{qty} × `{key}`"),
            format!("{} × `{key}`", done.after),
        ),
    };
    let title = if take {
        tr!(l, "owner-took", what = what, user = user.name.as_str())
    } else {
        tr!(l, "owner-granted", what = what, user = user.name.as_str())
    };
    let e = Embed::success(title)
        .field(tr!(l, "owner-field-now"), after, true)
        .field(tr!(l, "owner-field-reason"), reason, false)
        .footer(format!("audit #{}", done.audit_id));
    // Audited with the change itself (one transaction); the owner gets the copy.
    super::notify_owner(ctx.data(), ctx.http(), e.clone()).await;
    ctx.send(embeds::reply(e)).await?;
    Ok(())
}

/// Give a user Chrons (`500`) or items (`basic_crate:3`) through the ledger; reason required.
#[poise::command(prefix_command, slash_command, rename = "grant", custom_data = Tier::Owner)]
pub async fn owner_grant(
    ctx: Context<'_>,
    #[description = "Who"] user: serenity::User,
    #[description = "Chrons (500) or an item (basic_crate:3)"] what: String,
    #[rest]
    #[description = "Why (required)"]
    reason: String,
) -> Result<(), Error> {
    adjust(ctx, user, what, reason, false).await
}

/// Take Chrons (`500`) or items (`basic_crate:3`) from a user through the ledger; reason required.
#[poise::command(prefix_command, slash_command, rename = "take", custom_data = Tier::Owner)]
pub async fn owner_take(
    ctx: Context<'_>,
    #[description = "Who"] user: serenity::User,
    #[description = "Chrons (500) or an item (basic_crate:3)"] what: String,
    #[rest]
    #[description = "Why (required)"]
    reason: String,
) -> Result<(), Error> {
    adjust(ctx, user, what, reason, true).await
}

/// Lift your own ban on a server and get a fresh invite (confirmed in the dev server).
#[poise::command(prefix_command, slash_command, rename = "unban-me", custom_data = Tier::Owner)]
pub async fn owner_unban_me(
    ctx: Context<'_>,
    #[description = "The server's id"] guild: String,
) -> Result<(), Error> {
    on_server(ctx, "owner.unban_me", &guild, |l, shown| {
        Embed::warning(tr!(l, "owner-unban-title")).description(tr!(
            l,
            "owner-unban-preview",
            guild = shown
        ))
    })
    .await
}

/// A monospace table of `columns` and `rows` (cells cut to 24 characters), at most `max` chars.
pub fn table(columns: &[String], rows: &[Vec<String>], max: usize) -> String {
    let cut = |s: &str| embeds::truncate(&s.replace(['\n', '`'], " "), 24);
    let mut widths: Vec<usize> = columns.iter().map(|c| cut(c).chars().count()).collect();
    for r in rows {
        for (i, c) in r.iter().enumerate() {
            if let Some(w) = widths.get_mut(i) {
                *w = (*w).max(cut(c).chars().count());
            }
        }
    }
    let line = |cells: &[String]| {
        cells
            .iter()
            .enumerate()
            .map(|(i, c)| {
                let c = cut(c);
                let pad = widths.get(i).copied().unwrap_or(0);
                format!("{c:<pad$}")
            })
            .collect::<Vec<_>>()
            .join(" | ")
            .trim_end()
            .to_string()
    };
    let mut out = vec![
        line(columns),
        widths
            .iter()
            .map(|w| "-".repeat(*w))
            .collect::<Vec<_>>()
            .join("-+-"),
    ];
    let mut used: usize = out.iter().map(|l| l.len() + 1).sum();
    for r in rows {
        let l = line(r);
        if used + l.len() + 1 > max {
            out.push("…".into());
            break;
        }
        used += l.len() + 1;
        out.push(l);
    }
    out.join("\n")
}

/// Run one read-only SELECT (read-only transaction, 5 s statement timeout) and show a table.
#[poise::command(prefix_command, slash_command, rename = "sql", custom_data = Tier::Owner)]
pub async fn owner_sql(
    ctx: Context<'_>,
    #[rest]
    #[description = "One SELECT statement"]
    query: String,
) -> Result<(), Error> {
    let who = Caller::of(ctx).await;
    let l = who.locale;
    let query = query
        .trim()
        .trim_start_matches("```sql")
        .trim_matches('`')
        .trim()
        .to_string();
    let (me, here) = (who.user, who.guild);
    // Audited before it runs: a failing query is an attempt worth keeping too.
    let a = Audit::new(me, here, "owner.sql").with("query", query.clone());
    crate::audit::record(ctx.data(), a).await?;
    let r = store::read_only_query(ctx.data().storage(), &query, SQL_ROWS, SQL_TIMEOUT)
        .await
        .map_err(|e| refusal(l, e))?;
    let body = if r.columns.is_empty() {
        tr!(l, "owner-sql-no-rows")
    } else {
        format!("```\n{}\n```", table(&r.columns, &r.rows, 3800))
    };
    let mut e = Embed::info(tr!(l, "owner-sql-title", rows = r.rows.len())).description(body);
    if r.truncated {
        e = e.footer(tr!(l, "owner-sql-truncated", rows = SQL_ROWS));
    }
    super::notify_owner(
        ctx.data(),
        ctx.http(),
        Embed::info(tr!(l, "owner-sql-title", rows = r.rows.len()))
            .description(format!("```sql\n{}\n```", embeds::truncate(&query, 3000))),
    )
    .await;
    ctx.send(embeds::reply(e)).await?;
    Ok(())
}

/// Back the database up now (into BACKUP_DIR; old backups pruned to BACKUP_KEEP).
#[poise::command(prefix_command, slash_command, rename = "backup", custom_data = Tier::Owner)]
pub async fn owner_backup(ctx: Context<'_>) -> Result<(), Error> {
    let who = Caller::of(ctx).await;
    let l = who.locale;
    ctx.defer().await?;
    let (file, pruned) = super::jobs::backup_now(ctx.data()).await?;
    let name = file
        .path
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_default();
    let e = Embed::success(tr!(l, "owner-backup-done"))
        .field(tr!(l, "owner-backup-file"), format!("`{name}`"), false)
        .field(
            tr!(l, "owner-backup-size"),
            format!("{} KiB", file.bytes.div_ceil(1024)),
            true,
        )
        .field(tr!(l, "owner-backup-pruned"), pruned.to_string(), true);
    let (me, here) = (who.user, who.guild);
    let a = Audit::new(me, here, "owner.backup")
        .target(name)
        .with("bytes", file.bytes);
    record(ctx.data(), ctx.http(), a, e.clone()).await?;
    ctx.send(embeds::reply(e)).await?;
    Ok(())
}

/// Owner actions waiting for their Confirm click.
#[poise::command(prefix_command, slash_command, rename = "pending", custom_data = Tier::Owner)]
pub async fn owner_pending(ctx: Context<'_>) -> Result<(), Error> {
    let who = Caller::of(ctx).await;
    let l = who.locale;
    let open = store::pending_open(ctx.data().storage()).await?;
    let lines: Vec<String> = open
        .iter()
        .map(|p| {
            tr!(
                l,
                "owner-pending-line",
                id = p.id.get(),
                action = p.action.as_str(),
                guild = p.guild.map(|g| g.get().to_string()).unwrap_or("-".into()),
                expires = format!("<t:{}:R>", p.expires_at.timestamp())
            )
        })
        .collect();
    let e = Embed::info(tr!(l, "owner-pending-title", count = open.len())).description(
        if lines.is_empty() {
            tr!(l, "owner-pending-none")
        } else {
            lines.join("\n")
        },
    );
    ctx.send(embeds::reply(e)).await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grants_parse() {
        assert_eq!(parse_grant("1,500"), Some(Grant::Chrons(Chrons::new(1500))));
        assert_eq!(
            parse_grant("basic_crate:3"),
            Some(Grant::Item {
                key: "basic_crate".into(),
                qty: 3
            })
        );
        assert_eq!(
            parse_grant("pet_treat"),
            Some(Grant::Item {
                key: "pet_treat".into(),
                qty: 1
            })
        );
        assert_eq!(parse_grant("Bad Key"), None);
        assert_eq!(parse_grant("x:y"), None);
    }

    #[test]
    fn tables_are_aligned_and_bounded() {
        let t = table(
            &["id".into(), "name".into()],
            &[
                vec!["1".into(), "alice".into()],
                vec!["22".into(), "b".into()],
            ],
            1000,
        );
        assert_eq!(t, "id | name\n---+------\n1  | alice\n22 | b");
        let long: Vec<Vec<String>> = (0..100).map(|i| vec![i.to_string()]).collect();
        let t = table(&["n".into()], &long, 60);
        assert!(t.chars().count() <= 62 && t.ends_with('…'), "{t}");
    }
}
