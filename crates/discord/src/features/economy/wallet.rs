//! `balance`, `pay`, `transactions`, `leaderboard`.

use crate::kernel::ids::{ToCore, ToDiscord};
use chronix_core::economy::Chrons;
use chronix_core::ids::{GuildId, UserId};
use chronix_core::render::format_number;
use chronix_storage::economy::{self, Memo};
use chronix_storage::leaderboard::Metric;
use chronix_storage::payments::{self, NewPayment, PaymentId, PaymentRefusal, PaymentStatus};
use chronix_storage::rankings;
use chronix_storage::{Refusal, StorageError, bank as bank_store, guild_users};

use super::{EconomyRefusal, amount, chrons, now, refusal, settings};
use crate::events::{Note, NoteTopic};
use crate::prelude::*;
use crate::ui::confirm;
use crate::ui::paginator::{self, Delivery, Page, PageRequest};

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
    let Caller {
        user: me,
        guild,
        locale: l,
        ..
    } = Caller::of(ctx).await;
    let who = user.as_ref().unwrap_or_else(|| ctx.author());
    let b = bank_store::balances(ctx.data().storage(), who.id.core()).await?;
    if let Some(g) = guild {
        record_member(ctx.data(), g, me).await?;
    }
    let title = if who.id == ctx.author().id {
        tr!(l, "economy-balance-title-own")
    } else {
        tr!(l, "economy-balance-title-other", user = who.name.as_str())
    };
    let e = Embed::gameplay(title)
        .description(tr!(
            l,
            "economy-balance-text",
            user = format!("<@{}>", who.id),
            amount = chrons(b.wallet)
        ))
        .field(tr!(l, "economy-wallet"), chrons(b.wallet), true)
        .field(tr!(l, "economy-bank"), chrons(b.bank), true)
        .field(
            tr!(l, "economy-net-worth"),
            chrons(b.wallet.saturating_add(b.bank)),
            true,
        );
    ctx.send(embeds::reply(e)).await?;
    Ok(())
}

/// The (server, member) pairs this process has recorded in `guild_users` (per bot; bounded:
/// it starts over past [`RECORDED_MAX`] pairs, and recording again is harmless).
#[derive(Default)]
struct RecordedMembers(dashmap::DashSet<(GuildId, UserId)>);

const RECORDED_MAX: usize = 200_000;

/// Server leaderboards rank the members a server has seen: records `user` in `guild` once per
/// process, so a member's later balances cost no query.
async fn record_member(data: &Data, guild: GuildId, user: UserId) -> Result<(), Error> {
    let recorded = data.state::<RecordedMembers>();
    if recorded.0.len() >= RECORDED_MAX {
        recorded.0.clear();
    }
    if recorded.0.insert((guild, user)) {
        if let Err(e) = guild_users::ensure_member(data.storage(), guild, user).await {
            recorded.0.remove(&(guild, user));
            return Err(e.into());
        }
    }
    Ok(())
}

fn pay_memo(ctx_guild: Option<GuildId>, key: String) -> Memo {
    let mut m = Memo::new("payment").kind("transfer").key(key).at(now());
    m.guild_id = ctx_guild;
    m
}

fn paid_embed(l: Locale, from: u64, to: u64, amount: i64, balance: i64) -> Embed {
    Embed::success(tr!(l, "economy-pay-sent-title"))
        .description(tr!(
            l,
            "economy-pay-sent",
            from = format!("<@{from}>"),
            to = format!("<@{to}>"),
            amount = chrons(Chrons::new(amount))
        ))
        .field(tr!(l, "economy-amount"), chrons(Chrons::new(amount)), true)
        .field(
            tr!(l, "economy-your-balance"),
            chrons(Chrons::new(balance)),
            true,
        )
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
    let Caller {
        guild, locale: l, ..
    } = Caller::of(ctx).await;
    let author = ctx.author().id.get();
    if user.id.get() == author {
        return Err(UserError::msg(tr!(l, "economy-pay-self")).into());
    }
    if user.bot {
        return Err(UserError::msg(tr!(l, "economy-pay-bot")).into());
    }
    super::rate_limit(ctx, super::Limited::Pay).await?;
    let storage = ctx.data().storage();
    let wallet = economy::balance(storage, UserId::new(author)).await?;
    let amount = amount(l, &amount_text, wallet)?;
    if amount > wallet {
        return Err(crate::errors::refuse(
            l,
            EconomyRefusal::Storage(Refusal::InsufficientFunds {
                needed: amount,
                available: wallet,
            }),
        ));
    }
    let s = settings(ctx.data());
    if amount > s.pay_confirm_threshold {
        // Large payments ask first. The pending payment is a database row; the buttons carry
        // only its id, so a click after a restart still pays (and a double click pays once).
        return ask_to_pay(ctx, user.id.core(), amount, wallet).await;
    }
    let memo = pay_memo(guild, format!("pay:{}", ctx.id()));
    let t = economy::transfer(storage, UserId::new(author), user.id.core(), amount, &memo)
        .await
        .map_err(|e| refusal(l, e))?;
    ctx.send(embeds::reply(paid_embed(
        l,
        author,
        user.id.get(),
        amount.get(),
        t.from.balance_after.get(),
    )))
    .await?;
    note_payment(
        ctx.serenity_context(),
        ctx.data(),
        ctx.guild_id(),
        ctx.channel_id(),
        (UserId::new(author), user.id.core()),
        amount,
    )
    .await;
    Ok(())
}

/// Tells the server's gameplay log about a payment (the logging feature keeps the large ones).
async fn note_payment(
    sctx: &serenity::Context,
    data: &Data,
    guild: Option<serenity::GuildId>,
    channel: serenity::ChannelId,
    (payer, payee): (UserId, UserId),
    amount: Chrons,
) {
    let Some(g) = guild else { return };
    let n = Note::new(g, NoteTopic::Gameplay, "pay", "note-pay")
        .user(payer.discord())
        .channel(channel)
        .arg("from", format!("<@{payer}>"))
        .arg("to", format!("<@{payee}>"))
        .arg("amount", chrons(amount))
        .amount(amount)
        .payload(
            serde_json::json!({ "from": payer.get(), "to": payee.get(), "amount": amount.get() }),
        );
    crate::events::note(sctx, data, n).await;
}

/// The job kind that expires pending payments nobody confirmed and strips their buttons.
pub const PAY_EXPIRE_JOB: &str = "economy.pay_expire";
/// Pending payments expired per job run.
const PAY_SWEEP: i64 = 100;

/// The Confirm / Cancel buttons of pending payment `id` (`chx:eco:pay:<id>:yes|no`).
fn pay_buttons(l: Locale, id: PaymentId) -> Vec<serenity::CreateActionRow> {
    let p = super::COMPONENT_PREFIX;
    vec![serenity::CreateActionRow::Buttons(vec![
        super::button(
            format!("{p}pay:{id}:yes"),
            &tr!(l, "confirm-yes"),
            serenity::ButtonStyle::Success,
        ),
        super::button(
            format!("{p}pay:{id}:no"),
            &tr!(l, "confirm-no"),
            serenity::ButtonStyle::Secondary,
        ),
    ])]
}

/// Stores the pending payment, queues its expiry and posts the question with its buttons.
async fn ask_to_pay(
    ctx: Context<'_>,
    payee: UserId,
    amount: Chrons,
    wallet: Chrons,
) -> Result<(), Error> {
    let Caller {
        user,
        guild,
        locale: l,
        now,
        ..
    } = Caller::of(ctx).await;
    let data = ctx.data();
    let s = settings(data);
    let at = now;
    let new = NewPayment {
        payer: user,
        payee,
        amount,
        guild,
        channel: Some(ctx.channel_id().core()),
        memo: "payment".to_string(),
        expires_at: at + chrono::Duration::seconds(s.pay_confirm_ttl_secs.max(1)),
    };
    let p = payments::create(data.storage(), &new, at)
        .await
        .map_err(|e| refusal(l, e))?;
    // Queued first: a payment whose message could not be sent still expires.
    crate::scheduler::enqueue(
        data,
        PAY_EXPIRE_JOB,
        serde_json::json!({ "id": p.id.get() }),
        p.expires_at,
        Some(format!("{PAY_EXPIRE_JOB}:{}", p.id)),
    )
    .await?;
    let changes = [confirm::Change {
        what: tr!(l, "economy-your-wallet"),
        before: chrons(wallet),
        after: chrons(wallet - amount),
    }];
    let question = format!(
        "{}\n{}",
        tr!(
            l,
            "economy-pay-question",
            amount = chrons(amount),
            to = format!("<@{}>", payee.get())
        ),
        tr!(
            l,
            "confirm-expires",
            when = format!("<t:{}:R>", p.expires_at.timestamp())
        )
    );
    let embed = confirm::embed(&tr!(l, "economy-pay-confirm-title"), &question, &changes);
    let handle = ctx
        .send(embeds::reply(embed).components(pay_buttons(l, p.id)))
        .await?;
    let msg = handle.message().await?;
    payments::set_message(data.storage(), p.id, msg.channel_id.core(), msg.id.core()).await?;
    Ok(())
}

/// The embed of a payment that lapsed.
fn pay_expired_embed(l: Locale) -> Embed {
    Embed::info(tr!(l, "economy-pay-expired-title")).description(tr!(l, "economy-pay-expired"))
}

/// `pay:<id>:yes` / `pay:<id>:no`: only the payer answers; everything is read from the row.
pub(super) async fn on_pay_button(
    ctx: &serenity::Context,
    interaction: &serenity::ComponentInteraction,
    data: &Data,
    args: &str,
) -> Result<(), Error> {
    let (id, action) = args.split_once(':').unwrap_or((args, ""));
    let id = PaymentId::new(id.parse().unwrap_or(0));
    let user = interaction.user.id.core();
    let storage = data.storage();
    let l = crate::kernel::i18n::locale_of_interaction(data, interaction).await;
    let result = if action == "yes" {
        match payments::confirm(storage, id, user, now()).await {
            Ok((p, t)) => {
                note_payment(
                    ctx,
                    data,
                    interaction.guild_id,
                    interaction.channel_id,
                    (p.payer, p.payee),
                    p.amount,
                )
                .await;
                Ok(paid_embed(
                    l,
                    p.payer.get(),
                    p.payee.get(),
                    p.amount.get(),
                    t.from.balance_after.get(),
                ))
            }
            Err(e) => Err(e),
        }
    } else {
        payments::cancel(storage, id, user, now()).await.map(|_| {
            Embed::info(tr!(l, "economy-pay-cancelled-title"))
                .description(tr!(l, "confirm-cancelled"))
        })
    };
    let e = match result {
        Ok(e) => e,
        Err(StorageError::Refused(Refusal::Payment(r))) => match r {
            PaymentRefusal::NotPayer { payer } => {
                return Err(UserError::Refused {
                    title: tr!(l, "pager-not-yours-title"),
                    text: tr!(
                        l,
                        "confirm-not-yours",
                        owner = format!("<@{}>", payer.get())
                    ),
                }
                .into());
            }
            PaymentRefusal::Expired | PaymentRefusal::Closed(PaymentStatus::Expired) => {
                pay_expired_embed(l)
            }
            PaymentRefusal::Closed(_) => {
                return Err(UserError::msg(tr!(l, "economy-pay-closed")).into());
            }
            PaymentRefusal::NotFound(_) => {
                return Err(UserError::msg(tr!(l, "button-no-longer-valid")).into());
            }
        },
        Err(e) => return Err(refusal(l, e)),
    };
    super::update_message(ctx, interaction, e, Vec::new()).await
}

/// The job: expires every pending payment past its expiry and edits its message to say so,
/// without buttons (a deleted message or channel is fine).
pub fn pay_expire_job<'a>(
    ctx: &'a crate::scheduler::JobContext,
    _job: &'a chronix_storage::jobs::Job,
) -> poise::BoxFuture<'a, Result<(), Error>> {
    Box::pin(async move {
        loop {
            let swept = payments::expire_due(ctx.data.storage(), ctx.now, PAY_SWEEP).await?;
            let n = swept.len();
            for p in swept {
                let (Some(channel), Some(message)) = (p.channel, p.message) else {
                    continue;
                };
                let l =
                    crate::kernel::i18n::guild_locale(&ctx.data, p.guild.map(|g| g.get())).await;
                let edit = serenity::EditMessage::new()
                    .embed(pay_expired_embed(l).into())
                    .components(Vec::new());
                match channel
                    .discord()
                    .edit_message(ctx.http.as_ref(), message.discord(), edit)
                    .await
                {
                    Ok(_) => {}
                    Err(serenity::Error::Http(serenity::HttpError::UnsuccessfulRequest(r)))
                        if matches!(r.status_code.as_u16(), 403 | 404) => {}
                    Err(e) => return Err(e.into()),
                }
            }
            if n < PAY_SWEEP as usize {
                break;
            }
        }
        Ok(())
    })
}

/// The transactions pages' name in the paginator.
pub const HISTORY_PAGES: &str = "tx";

/// Page source: the invoker's ledger, newest first (only the invoker can page).
pub fn draw_history<'a>(
    data: &'a Data,
    req: &'a PageRequest,
) -> poise::BoxFuture<'a, Result<Page, Error>> {
    Box::pin(async move {
        let l = req.locale;
        let per = settings(data).history_page.max(1);
        let user = req.owner.core();
        let count = economy::history_count(data.storage(), user).await?;
        let total = usize::try_from((count + per - 1) / per).unwrap_or(1).max(1);
        let index = paginator::clamp(req.page, total);
        let rows = economy::history_page(data.storage(), user, index as i64 * per, per).await?;
        let lines: Vec<String> = rows
            .iter()
            .map(|e| {
                let sign = if e.change > 0 { "+" } else { "" };
                tr!(
                    l,
                    "economy-history-line",
                    change = format!("{sign}{}", format_number(e.change.get())),
                    reason = embeds::truncate(&e.reason, 60),
                    balance = format_number(e.balance_after.get()),
                    at = format!("<t:{}:R>", e.created_at.timestamp())
                )
            })
            .collect();
        let e = Embed::gameplay(tr!(l, "economy-history-title"))
            .description(if lines.is_empty() {
                tr!(l, "economy-history-empty")
            } else {
                lines.join("\n")
            })
            .footer(tr!(
                l,
                "economy-history-total",
                count = format_number(count)
            ));
        Ok(Page::new(e, index, total, ""))
    })
}

/// Your ledger: every change of your Chrons, newest first.
///
/// Private: an ephemeral reply for the slash command, a direct message for the prefix command.
#[poise::command(
    prefix_command,
    slash_command,
    aliases("tx", "ledger", "history"),
    custom_data = Tier::Everyone
)]
pub async fn transactions(ctx: Context<'_>) -> Result<(), Error> {
    paginator::send(ctx, HISTORY_PAGES, String::new(), Delivery::Private).await
}

/// What a leaderboard shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Board {
    server: bool,
    metric: Metric,
}

impl Board {
    fn parse(l: Locale, words: &str) -> Result<Board, UserError> {
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
                    return Err(UserError::InvalidInput(tr!(
                        l,
                        "economy-board-unknown",
                        word = embeds::truncate(other, 30).replace('`', "'")
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

    fn title(self, l: Locale) -> String {
        let what = match self.metric {
            Metric::Chrons => tr!(l, "economy-board-chrons"),
            Metric::GlobalXp => tr!(l, "economy-board-level"),
            Metric::Hunts => tr!(l, "economy-board-hunts"),
        };
        if self.server {
            tr!(l, "economy-board-server", what = what)
        } else {
            tr!(l, "economy-board-global", what = what)
        }
    }
}

/// The leaderboard pages' name in the paginator.
pub const BOARD_PAGES: &str = "lb";

/// A keyset cursor as button state: `<code><dir><score>.<user>` (base 36 keeps ids short).
fn cursor_state(code: &str, dir: char, score: i64, user: i64) -> String {
    format!("{code}{dir}{}.{}", base36(score), base36(user))
}

fn base36(v: i64) -> String {
    let mut n = v.unsigned_abs();
    let mut out = Vec::new();
    loop {
        out.push(b"0123456789abcdefghijklmnopqrstuvwxyz"[(n % 36) as usize]);
        n /= 36;
        if n == 0 {
            break;
        }
    }
    if v < 0 {
        out.push(b'-');
    }
    out.reverse();
    String::from_utf8(out).unwrap_or_default()
}

/// `(board, direction, cursor)` from a state.
fn parse_state(state: &str) -> (Board, Option<(char, rankings::Cursor)>) {
    let board = Board::from_code(state.get(..2).unwrap_or("gc"));
    let cursor = state.get(2..).and_then(|rest| {
        let mut chars = rest.chars();
        let dir = chars.next()?;
        let (score, user) = chars.as_str().split_once('.')?;
        Some((
            dir,
            rankings::Cursor {
                score: i64::from_str_radix(score, 36).ok()?,
                user_id: UserId::new(u64::from_str_radix(user, 36).ok()?),
            },
        ))
    });
    (board, cursor)
}

/// Page source: a leaderboard, read by keyset (`Next` and `Prev` carry the cursor of the line
/// next to them, `First` and `Last` read the ends), so any page costs what the first costs.
pub fn draw_board<'a>(
    data: &'a Data,
    req: &'a PageRequest,
) -> poise::BoxFuture<'a, Result<Page, Error>> {
    Box::pin(async move {
        let l = req.locale;
        let per = settings(data).leaderboard_page.max(1);
        let (board, cursor) = parse_state(&req.state);
        let scope = match (board.server, req.guild_id) {
            (true, Some(g)) => rankings::Scope::Guild(g.core()),
            (true, None) => return Err(UserError::GuildOnly.into()),
            (false, _) => rankings::Scope::Global,
        };
        let count = rankings::count(data.storage(), board.metric, scope).await?;
        let total = usize::try_from((count + per - 1) / per).unwrap_or(1).max(1);
        let index = paginator::clamp(req.page, total);
        let last_len = count - (total as i64 - 1) * per;
        let at = match cursor {
            _ if index == 0 => rankings::Page::First,
            _ if index + 1 == total => rankings::Page::Last(last_len.max(1)),
            Some(('a', c)) if req.page == req.from + 1 => rankings::Page::After(c),
            Some(('b', c)) if req.page + 1 == req.from => rankings::Page::Before(c),
            _ => rankings::Page::First,
        };
        let index = if at == rankings::Page::First {
            0
        } else {
            index
        };
        let rows = rankings::page(data.storage(), board.metric, scope, at, per).await?;
        let first_rank = index as i64 * per + 1;
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
                    Metric::Chrons => chrons(Chrons::new(*score)),
                    Metric::GlobalXp => tr!(l, "economy-board-xp", xp = format_number(*score)),
                    Metric::Hunts => {
                        tr!(l, "economy-board-hunt-count", hunts = format_number(*score))
                    }
                };
                format!("{medal} <@{user}> • {score}")
            })
            .collect();
        let e = Embed::gameplay(board.title(l)).description(if lines.is_empty() {
            tr!(l, "economy-board-empty")
        } else {
            lines.join("\n")
        });
        let code = board.code();
        let mut page = Page::new(e, index, total, code.clone());
        if let (Some(first), Some(last)) = (rows.first(), rows.last()) {
            page.prev_state = Some(cursor_state(&code, 'b', first.1, first.0));
            page.next_state = Some(cursor_state(&code, 'a', last.1, last.0));
        }
        Ok(page)
    })
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
    let Caller { locale: l, .. } = Caller::of(ctx).await;
    super::rate_limit(ctx, super::Limited::Leaderboard).await?;
    let board = Board::parse(l, board.as_deref().unwrap_or(""))?;
    if board.server && ctx.guild_id().is_none() {
        return Err(UserError::GuildOnly.into());
    }
    paginator::send(ctx, BOARD_PAGES, board.code(), Delivery::Public).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn boards_parse_and_round_trip() {
        let b = Board::parse(Locale::EN, "server hunts").unwrap();
        assert_eq!(
            b,
            Board {
                server: true,
                metric: Metric::Hunts
            }
        );
        assert_eq!(Board::from_code(&b.code()), b);
        assert_eq!(Board::parse(Locale::EN, "").unwrap().code(), "gc");
        assert_eq!(Board::from_code("gl").metric, Metric::GlobalXp);
        assert!(Board::parse(Locale::EN, "richest").is_err());
    }

    #[test]
    fn cursor_states_round_trip_and_stay_short() {
        let s = cursor_state("sh", 'a', i64::MAX, 1_175_928_847_299_117_063);
        assert!(s.len() <= 30, "{s}");
        let (board, cursor) = parse_state(&s);
        assert_eq!(board.code(), "sh");
        assert_eq!(
            cursor,
            Some((
                'a',
                rankings::Cursor {
                    score: i64::MAX,
                    user_id: UserId::new(1_175_928_847_299_117_063)
                }
            ))
        );
        assert_eq!(parse_state("gc"), (Board::from_code("gc"), None));
        assert_eq!(base36(0), "0");
        assert_eq!(base36(-37), "-11");
    }
}
