//! `balance`, `pay`, `transactions`, `leaderboard`.

use chronix_core::render::format_number;
use chronix_storage::economy::{self, Memo};
use chronix_storage::leaderboard::Metric;
use chronix_storage::rankings;
use chronix_storage::{bank as bank_store, guild_users};

use super::{amount, button, chrons, db_id, guild_of, now, refusal, settings, update_message};
use crate::prelude::*;

/// Show your Chrons (💠), or another player's.
#[poise::command(
    prefix_command,
    slash_command,
    aliases("bal", "wallet"),
    custom_data = Tier::Everyone
)]
pub async fn balance(
    ctx: Context<'_>,
    #[description = "Whose balance (you if empty)"] user: Option<serenity::User>,
) -> Result<(), Error> {
    let who = user.as_ref().unwrap_or_else(|| ctx.author());
    let b = bank_store::balances(ctx.data().storage(), db_id(who.id.get())).await?;
    if let Some(g) = guild_of(ctx) {
        // Server leaderboards rank the members a server has seen.
        guild_users::ensure_member(ctx.data().storage(), g, db_id(ctx.author().id.get())).await?;
    }
    let title = if who.id == ctx.author().id {
        "Your balance".to_string()
    } else {
        format!("{}'s balance", who.name)
    };
    let e = Embed::gameplay(title)
        .description(format!("<@{}> has **{}**", who.id, chrons(b.wallet)))
        .field("Wallet", chrons(b.wallet), true)
        .field("Bank", chrons(b.bank), true)
        .field("Net worth", chrons(b.wallet.saturating_add(b.bank)), true);
    ctx.send(embeds::reply(e)).await?;
    Ok(())
}

fn pay_memo(ctx_guild: Option<i64>, key: String) -> Memo {
    let mut m = Memo::new("payment").kind("transfer").key(key).at(now());
    m.guild_id = ctx_guild;
    m
}

fn paid_embed(from: u64, to: u64, amount: i64, balance: i64) -> Embed {
    Embed::success("Payment sent")
        .description(format!("<@{from}> paid **{}** to <@{to}>.", chrons(amount)))
        .field("Amount", chrons(amount), true)
        .field("Your balance", chrons(balance), true)
}

/// Pay Chrons to another player.
#[poise::command(
    prefix_command,
    slash_command,
    aliases("give", "transfer"),
    custom_data = Tier::Everyone
)]
pub async fn pay(
    ctx: Context<'_>,
    #[description = "Who gets the Chrons"] user: serenity::User,
    #[description = "How much: 500, 2.5k, half, all"]
    #[rename = "amount"]
    amount_text: String,
) -> Result<(), Error> {
    let author = ctx.author().id.get();
    if user.id.get() == author {
        return Err(UserError::msg("You can't pay yourself.").into());
    }
    if user.bot {
        return Err(UserError::msg("Bots don't need Chrons.").into());
    }
    let storage = ctx.data().storage();
    let wallet = economy::balance(storage, db_id(author)).await?;
    let amount = amount(&amount_text, wallet)?;
    if amount > wallet {
        return Err(refusal(chronix_storage::StorageError::InsufficientFunds {
            needed: amount,
            available: wallet,
        }));
    }
    let s = settings(ctx.data());
    if amount > s.pay_confirm_threshold {
        let expires = now().timestamp() + s.pay_confirm_ttl_secs;
        let ok = format!(
            "{}pay:ok:{author}:{}:{amount}:{expires}",
            super::COMPONENT_PREFIX,
            user.id
        );
        let no = format!("{}pay:no:{author}", super::COMPONENT_PREFIX);
        let e = Embed::warning("Confirm payment").description(format!(
            "Pay **{}** to <@{}>? This expires <t:{expires}:R>.",
            chrons(amount),
            user.id
        ));
        let row = serenity::CreateActionRow::Buttons(vec![
            button(ok, "Confirm", serenity::ButtonStyle::Success),
            button(no, "Cancel", serenity::ButtonStyle::Secondary),
        ]);
        ctx.send(embeds::reply(e).components(vec![row])).await?;
        return Ok(());
    }
    let memo = pay_memo(guild_of(ctx), format!("pay:{}", ctx.id()));
    let t = economy::transfer(storage, db_id(author), db_id(user.id.get()), amount, &memo)
        .await
        .map_err(refusal)?;
    ctx.send(embeds::reply(paid_embed(
        author,
        user.id.get(),
        amount,
        t.from.balance_after,
    )))
    .await?;
    Ok(())
}

/// `pay:ok:<payer>:<payee>:<amount>:<expires>` / `pay:no:<payer>`.
pub(super) async fn on_pay_button(
    ctx: &serenity::Context,
    interaction: &serenity::ComponentInteraction,
    data: &Data,
    args: &str,
) -> Result<(), Error> {
    let parts: Vec<&str> = args.split(':').collect();
    let clicker = interaction.user.id.get();
    let payer: u64 = parts.get(1).and_then(|p| p.parse().ok()).unwrap_or(0);
    if clicker != payer {
        return Err(UserError::msg("Only the payer can answer this.").into());
    }
    if parts.first() == Some(&"no") {
        let e = Embed::info("Payment cancelled").description("Nothing was paid.");
        return update_message(ctx, interaction, e, vec![]).await;
    }
    let (Some(payee), Some(amount), Some(expires)) = (
        parts.get(2).and_then(|p| p.parse::<u64>().ok()),
        parts.get(3).and_then(|p| p.parse::<i64>().ok()),
        parts.get(4).and_then(|p| p.parse::<i64>().ok()),
    ) else {
        return Err(UserError::msg("This button is no longer valid.").into());
    };
    if now().timestamp() > expires {
        let e = Embed::warning("Payment expired").description("Nothing was paid; run `pay` again.");
        return update_message(ctx, interaction, e, vec![]).await;
    }
    let memo = pay_memo(
        interaction.guild_id.map(|g| db_id(g.get())),
        format!("pay:{}", interaction.message.id),
    );
    let t = economy::transfer(data.storage(), db_id(payer), db_id(payee), amount, &memo)
        .await
        .map_err(refusal)?;
    let e = paid_embed(payer, payee, amount, t.from.balance_after);
    update_message(ctx, interaction, e, vec![]).await
}

async fn history_page(
    data: &Data,
    user: u64,
    before: Option<i64>,
) -> Result<(Embed, Vec<serenity::CreateActionRow>), Error> {
    let per = settings(data).history_page;
    let rows = economy::history(data.storage(), db_id(user), per + 1, before).await?;
    let more = rows.len() as i64 > per;
    let rows: Vec<_> = rows.into_iter().take(per as usize).collect();
    let lines: Vec<String> = rows
        .iter()
        .map(|e| {
            let sign = if e.change > 0 { "+" } else { "" };
            format!(
                "`{sign}{}` 💠 {} • bal {} • <t:{}:R>",
                format_number(e.change),
                embeds::truncate(&e.reason, 60),
                format_number(e.balance_after),
                e.created_at.timestamp()
            )
        })
        .collect();
    let e = Embed::gameplay("Transactions").description(if lines.is_empty() {
        "No transactions yet.".to_string()
    } else {
        lines.join("\n")
    });
    let prefix = super::COMPONENT_PREFIX;
    let older = rows.last().map_or(0, |e| e.id);
    let row = serenity::CreateActionRow::Buttons(vec![
        button(
            format!("{prefix}tx:{user}:0"),
            "Newest",
            serenity::ButtonStyle::Secondary,
        )
        .disabled(before.is_none()),
        button(
            format!("{prefix}tx:{user}:{older}"),
            "Older",
            serenity::ButtonStyle::Primary,
        )
        .disabled(!more),
    ]);
    Ok((e, vec![row]))
}

/// Your ledger: every change of your Chrons, newest first.
#[poise::command(
    prefix_command,
    slash_command,
    aliases("tx", "ledger", "history"),
    custom_data = Tier::Everyone
)]
pub async fn transactions(ctx: Context<'_>) -> Result<(), Error> {
    let (e, rows) = history_page(ctx.data(), ctx.author().id.get(), None).await?;
    ctx.send(embeds::reply(e).components(rows).ephemeral(true))
        .await?;
    Ok(())
}

/// `tx:<user>:<before id, 0 = newest>`.
pub(super) async fn on_history_button(
    ctx: &serenity::Context,
    interaction: &serenity::ComponentInteraction,
    data: &Data,
    args: &str,
) -> Result<(), Error> {
    let (user, before) = args.split_once(':').unwrap_or((args, "0"));
    let user: u64 = user.parse().unwrap_or(0);
    if interaction.user.id.get() != user {
        return Err(UserError::msg("These are someone else's transactions.").into());
    }
    let before = before.parse::<i64>().ok().filter(|b| *b > 0);
    let (e, rows) = history_page(data, user, before).await?;
    update_message(ctx, interaction, e, rows).await
}

/// What a leaderboard shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Board {
    server: bool,
    metric: Metric,
}

impl Board {
    fn parse(words: &str) -> Result<Board, UserError> {
        let mut b = Board {
            server: false,
            metric: Metric::Chrons,
        };
        for w in words.split_whitespace() {
            match w.to_ascii_lowercase().as_str() {
                "global" | "g" | "world" => b.server = false,
                "server" | "s" | "guild" | "local" => b.server = true,
                "chrons" | "money" | "coins" | "c" => b.metric = Metric::Chrons,
                "level" | "xp" | "lvl" | "l" => b.metric = Metric::GlobalXp,
                "hunts" | "hunt" | "h" => b.metric = Metric::Hunts,
                other => {
                    return Err(UserError::InvalidInput(format!(
                        "`{}` is not a leaderboard; use global or server, and chrons, level or hunts",
                        embeds::truncate(other, 30).replace('`', "'")
                    )));
                }
            }
        }
        Ok(b)
    }

    fn code(self) -> String {
        let m = match self.metric {
            Metric::Chrons => "c",
            Metric::GlobalXp => "l",
            Metric::Hunts => "h",
        };
        format!("{}{m}", if self.server { "s" } else { "g" })
    }

    fn from_code(code: &str) -> Board {
        Board {
            server: code.starts_with('s'),
            metric: match code.chars().nth(1) {
                Some('l') => Metric::GlobalXp,
                Some('h') => Metric::Hunts,
                _ => Metric::Chrons,
            },
        }
    }

    fn title(self) -> String {
        let what = match self.metric {
            Metric::Chrons => "Chrons",
            Metric::GlobalXp => "level",
            Metric::Hunts => "hunts",
        };
        let scope = if self.server { "Server" } else { "Global" };
        format!("{scope} leaderboard: {what}")
    }
}

async fn leaderboard_page(
    data: &Data,
    board: Board,
    guild: Option<u64>,
    page: i64,
    at: rankings::Page,
) -> Result<(Embed, Vec<serenity::CreateActionRow>), Error> {
    let per = settings(data).leaderboard_page;
    let scope = match (board.server, guild) {
        (true, Some(g)) => rankings::Scope::Guild(db_id(g)),
        (true, None) => return Err(UserError::GuildOnly.into()),
        (false, _) => rankings::Scope::Global,
    };
    let mut rows = rankings::page(data.storage(), board.metric, scope, at, per + 1).await?;
    let more = match at {
        rankings::Page::Before(_) => true,
        _ => rows.len() as i64 > per,
    };
    rows.truncate(per as usize);
    let first_rank = page.max(0) * per + 1;
    let lines: Vec<String> = rows
        .iter()
        .zip(first_rank..)
        .map(|((user, score), rank)| {
            let medal = match rank {
                1 => "🥇".to_string(),
                2 => "🥈".to_string(),
                3 => "🥉".to_string(),
                r => format!("`#{r}`"),
            };
            let score = match board.metric {
                Metric::Chrons => chrons(*score),
                Metric::GlobalXp => format!("{} XP", format_number(*score)),
                Metric::Hunts => format!("{} hunts", format_number(*score)),
            };
            format!("{medal} <@{user}> • {score}")
        })
        .collect();
    let e = Embed::gameplay(board.title())
        .description(if lines.is_empty() {
            "Nobody here yet.".to_string()
        } else {
            lines.join("\n")
        })
        .footer(format!("Page {}", page + 1));
    let prefix = super::COMPONENT_PREFIX;
    let g = guild.unwrap_or(0);
    let code = board.code();
    let (fs, fu) = rows.first().map_or((0, 0), |r| (r.1, r.0));
    let (ls, lu) = rows.last().map_or((0, 0), |r| (r.1, r.0));
    let row = serenity::CreateActionRow::Buttons(vec![
        button(
            format!("{prefix}lb:{code}:{g}:{}:b:{fs}:{fu}", (page - 1).max(0)),
            "Prev",
            serenity::ButtonStyle::Secondary,
        )
        .disabled(page == 0 || rows.is_empty()),
        button(
            format!("{prefix}lb:{code}:{g}:{}:a:{ls}:{lu}", page + 1),
            "Next",
            serenity::ButtonStyle::Primary,
        )
        .disabled(!more),
    ]);
    Ok((e, vec![row]))
}

/// The richest players (global or this server), by Chrons, level or hunts.
#[poise::command(
    prefix_command,
    slash_command,
    aliases("lb", "top", "rich"),
    custom_data = Tier::Everyone
)]
pub async fn leaderboard(
    ctx: Context<'_>,
    #[description = "global or server, and chrons, level or hunts"]
    #[rest]
    board: Option<String>,
) -> Result<(), Error> {
    let board = Board::parse(board.as_deref().unwrap_or(""))?;
    let guild = ctx.guild_id().map(|g| g.get());
    let (e, rows) = leaderboard_page(ctx.data(), board, guild, 0, rankings::Page::First).await?;
    ctx.send(embeds::reply(e).components(rows)).await?;
    Ok(())
}

/// `lb:<code>:<guild>:<page>`.
pub(super) async fn on_leaderboard_button(
    ctx: &serenity::Context,
    interaction: &serenity::ComponentInteraction,
    data: &Data,
    args: &str,
) -> Result<(), Error> {
    let parts: Vec<&str> = args.split(':').collect();
    let board = Board::from_code(parts.first().copied().unwrap_or("gc"));
    let guild = parts
        .get(1)
        .and_then(|g| g.parse::<u64>().ok())
        .filter(|g| *g > 0);
    let page = parts.get(2).and_then(|p| p.parse().ok()).unwrap_or(0);
    let num = |i: usize| {
        parts
            .get(i)
            .and_then(|v| v.parse::<i64>().ok())
            .unwrap_or(0)
    };
    let cursor = rankings::Cursor {
        score: num(4),
        user_id: num(5),
    };
    let at = match parts.get(3) {
        _ if page == 0 => rankings::Page::First,
        Some(&"b") => rankings::Page::Before(cursor),
        Some(&"a") => rankings::Page::After(cursor),
        _ => rankings::Page::First,
    };
    let (e, rows) = leaderboard_page(data, board, guild, page, at).await?;
    update_message(ctx, interaction, e, rows).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn boards_parse_and_round_trip() {
        let b = Board::parse("server hunts").unwrap();
        assert_eq!(
            b,
            Board {
                server: true,
                metric: Metric::Hunts
            }
        );
        assert_eq!(Board::from_code(&b.code()), b);
        assert_eq!(Board::parse("").unwrap().code(), "gc");
        assert_eq!(Board::from_code("gl").metric, Metric::GlobalXp);
        assert!(Board::parse("richest").is_err());
    }
}
