//! `economy`: Chrons (💠), global across servers.
//!
//! * [`wallet`]: `balance` (`bal`, `wallet`), `pay` (`give`, `transfer`; a confirm button above
//!   [`EconomySettings::pay_confirm_threshold`]: the pending payment is a `pending_payments`
//!   row, the buttons `chx:eco:pay:<id>:yes|no` refer to it, so a click after a restart still
//!   pays; [`wallet::PAY_EXPIRE_JOB`] strips lapsed ones), `transactions` (`tx`, `ledger`; paged),
//!   `leaderboard` (`lb`, `top`; global or server, by Chrons, level or hunts; paged).
//! * [`earn`]: `daily` (streak), `weekly`, `work`, `beg`.
//! * [`games`]: `coinflip` (`cf`, `betflip`), `slots` (`slot`, `spin`), `dice` (`betdice`, `bd`): one atomic
//!   `place_bet` each (debit, resolve, credit in one transaction).
//! * [`bank`]: `deposit` (`dep`), `withdraw` (`with`), interest paid by [`pay_interest_job`].
//! * [`shop`]: `shop`, `buy`, `sell`, `market` (list/sell/buy/cancel), `trade` (both sides
//!   confirm with a button; the swap is one transaction; a weapon moves with its gems).
//! * [`complete`]: autocomplete of the item options (`buy`, `sell`, `market`, `trade`).
//!
//! Glue only: parse (amounts with `chronix_core::economy::parse_amount`), call `chronix_storage`,
//! render with [`crate::embeds`]. Every refusal is a [`UserError`] and changes nothing.
//! Buttons are stateless: their `custom_id` (prefix [`COMPONENT_PREFIX`]) carries what they need
//! (for `pay` and `trade`, only the id of the stored row: amounts are never read from a button).

pub mod bank;
pub mod complete;
pub mod earn;
pub mod games;
pub mod shop;
pub mod wallet;

use crate::errors::Refusal as _;
pub use crate::kernel::caller::guild_of;
use crate::kernel::ids::ToCore;
use chronix_core::economy::{AmountError, Chrons, EconomyRules, parse_amount};
use chronix_core::ratelimit::{Decision, RateLimit};
use chronix_core::render::{format_chrons, format_duration};
use chronix_core::tables::Tables;
use chronix_storage::market::MarketRefusal;
use chronix_storage::trade::TradeRefusal;
use chronix_storage::{Missing, Refusal, StorageError};
use chrono::{DateTime, Utc};
use rand::SeedableRng;
use rand::rngs::StdRng;

use crate::prelude::*;
use crate::registry::Feature;

/// `custom_id` prefix of every economy button.
pub const COMPONENT_PREFIX: &str = "chx:eco:";

/// The economy feature.
pub fn feature() -> Feature {
    Feature::new("economy", commands)
        .slash_group(
            "economy",
            "Chrons: earn, bet, bank, shop, market and trade",
            &["balance", "daily", "pay"],
        )
        .component(COMPONENT_PREFIX, on_component)
        .pages(wallet::HISTORY_PAGES, wallet::draw_history)
        .pages(wallet::BOARD_PAGES, wallet::draw_board)
        .job(crate::scheduler::JobKind::once(
            wallet::PAY_EXPIRE_JOB,
            wallet::pay_expire_job,
        ))
        .job(crate::scheduler::JobKind::every(
            "bank_interest",
            chrono::Duration::hours(1),
            bank_interest_job,
        ))
        .job(crate::scheduler::JobKind::every(
            "economy_rate_limit_prune",
            chrono::Duration::hours(1),
            rate_limit_prune_job,
        ))
        .config_keys(&[
            "ECONOMY_HOUSE_EDGE_BP",
            "ECONOMY_BET_MIN",
            "ECONOMY_BET_MAX",
            "ECONOMY_DAILY_RESET_HOUR",
            "ECONOMY_BANK_RATE_BP",
            "ECONOMY_BANK_CAP",
            "ECONOMY_PAY_CONFIRM_ABOVE",
            "ECONOMY_RATE_LIMIT_BETS",
            "ECONOMY_RATE_LIMIT_PAY",
            "ECONOMY_RATE_LIMIT_TRADE",
            "ECONOMY_RATE_LIMIT_MARKET",
            "ECONOMY_RATE_LIMIT_LEADERBOARD",
        ])
}

/// The recurring job: deletes rate-limit counts of windows that are over (hourly).
fn rate_limit_prune_job<'a>(
    ctx: &'a crate::scheduler::JobContext,
    _job: &'a chronix_storage::jobs::Job,
) -> poise::BoxFuture<'a, Result<(), Error>> {
    Box::pin(async move {
        let deleted = prune_rate_limits(&ctx.data, ctx.now).await?;
        tracing::debug!(deleted, "old rate-limit windows pruned");
        Ok(())
    })
}

/// Deletes the stored counts of rate-limit windows that ended before `now` (every window of
/// the longest configured limit, plus a minute of clock skew). Returns how many rows went.
pub async fn prune_rate_limits(data: &Data, now: DateTime<Utc>) -> Result<u64, Error> {
    let longest = i64::from(data.config().economy.longest_rate_limit_window_secs());
    let before = now.timestamp() - longest - 60;
    Ok(chronix_storage::rate_limits::prune(data.storage(), before).await?)
}

/// What a per-user rate limit (`ECONOMY_RATE_LIMIT_*`) guards.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Limited {
    /// coinflip, slots, dice.
    Bets,
    /// pay.
    Pay,
    /// trade.
    Trade,
    /// market (every subcommand).
    Market,
    /// leaderboard.
    Leaderboard,
}

impl Limited {
    /// The `rate_limits.action` value.
    pub fn action(self) -> &'static str {
        match self {
            Limited::Bets => "bet",
            Limited::Pay => "pay",
            Limited::Trade => "trade",
            Limited::Market => "market",
            Limited::Leaderboard => "leaderboard",
        }
    }

    /// Its configured limit.
    pub fn limit(self, c: &chronix_config::EconomyConfig) -> RateLimit {
        match self {
            Limited::Bets => c.rate_limit_bets,
            Limited::Pay => c.rate_limit_pay,
            Limited::Trade => c.rate_limit_trade,
            Limited::Market => c.rate_limit_market,
            Limited::Leaderboard => c.rate_limit_leaderboard,
        }
    }
}

/// The economy's typed refusals (shown as an ephemeral ❌ embed, never an internal error).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EconomyRefusal {
    /// The player went over a per-user rate limit; the next window starts at `retry_at`.
    RateLimited {
        /// Start of the next window.
        retry_at: DateTime<Utc>,
        /// Seconds until then (at least 1).
        wait_secs: u64,
    },
    /// Storage refused the operation (not enough Chrons or items, a bad amount, a cooldown, a
    /// closed trade or listing…): shown with [`refusal_text`].
    Storage(Refusal),
}

impl std::fmt::Display for EconomyRefusal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.text(Locale::EN))
    }
}

impl crate::errors::Refusal for EconomyRefusal {
    fn title(&self, l: Locale) -> String {
        match self {
            EconomyRefusal::RateLimited { .. } => tr!(l, "economy-rate-limited-title"),
            EconomyRefusal::Storage(_) => tr!(l, "error-title-cannot"),
        }
    }
    fn text(&self, l: Locale) -> String {
        match self {
            EconomyRefusal::RateLimited {
                retry_at,
                wait_secs,
            } => tr!(
                l,
                "economy-rate-limited",
                again = try_again(l, *retry_at, std::time::Duration::from_secs(*wait_secs))
            ),
            EconomyRefusal::Storage(r) => refusal_text(l, r),
        }
    }
}

/// Counts one use of `what` by the author against its `ECONOMY_RATE_LIMIT_*` limit (shared by
/// every bot process through the database) and refuses with
/// [`EconomyRefusal::RateLimited`] over it, before any work. Refused uses count too.
pub async fn rate_limit(ctx: Context<'_>, what: Limited) -> Result<(), Error> {
    let limit = what.limit(&ctx.data().config().economy);
    if limit.is_off() {
        return Ok(());
    }
    let now = now();
    let decision = chronix_storage::rate_limits::hit(
        ctx.data().storage(),
        ctx.author().id.core(),
        what.action(),
        limit,
        now,
    )
    .await?;
    match decision {
        Decision::Allowed { .. } => Ok(()),
        Decision::Limited { retry_at } => {
            let wait_secs = u64::try_from((retry_at - now).num_seconds().max(1)).unwrap_or(1);
            Err(crate::errors::refuse(
                ctx,
                EconomyRefusal::RateLimited {
                    retry_at,
                    wait_secs,
                },
            ))
        }
    }
}

/// The recurring job: bank interest for every saver, once per period.
fn bank_interest_job<'a>(
    ctx: &'a crate::scheduler::JobContext,
    _job: &'a chronix_storage::jobs::Job,
) -> poise::BoxFuture<'a, Result<(), Error>> {
    Box::pin(async move {
        let (savers, paid) = pay_interest_job(&ctx.data, ctx.now).await?;
        tracing::info!(savers, paid, "bank interest paid");
        Ok(())
    })
}

/// Economy commands.
pub fn commands() -> Vec<Command> {
    vec![
        wallet::balance(),
        wallet::pay(),
        wallet::transactions(),
        wallet::leaderboard(),
        earn::daily(),
        earn::weekly(),
        earn::work(),
        earn::beg(),
        games::cf(),
        games::slots(),
        games::betdice(),
        bank::deposit(),
        bank::withdraw(),
        shop::shop(),
        shop::buy(),
        shop::sell(),
        shop::market(),
        shop::trade(),
    ]
}

/// Economy settings: the core rules plus the Discord-side knobs. The `ECONOMY_*` configuration
/// keys feed them ([`EconomySettings::from_config`]); the rest keep their defaults.
#[derive(Debug, Clone)]
pub struct EconomySettings {
    /// Daily/weekly/work/beg/bets/bank rules.
    pub rules: EconomyRules,
    /// `pay` above this amount asks for a confirmation button.
    pub pay_confirm_threshold: Chrons,
    /// How long a pay confirmation button stays valid (seconds).
    pub pay_confirm_ttl_secs: i64,
    /// How long a trade stays open (seconds).
    pub trade_ttl_secs: i64,
    /// Lines per page of `transactions`.
    pub history_page: i64,
    /// Lines per page of `leaderboard`.
    pub leaderboard_page: i64,
    /// Savers per transaction batch of the interest job.
    pub interest_batch: i64,
}

impl Default for EconomySettings {
    fn default() -> Self {
        Self {
            rules: EconomyRules::default(),
            pay_confirm_threshold: Chrons::new(10_000),
            pay_confirm_ttl_secs: 120,
            trade_ttl_secs: 600,
            history_page: 10,
            leaderboard_page: 10,
            interest_batch: 500,
        }
    }
}

impl EconomySettings {
    /// Defaults overridden by the `ECONOMY_*` keys (house edge, bet limits, daily reset hour,
    /// bank rate and cap, pay confirmation threshold and time to live).
    pub fn from_config(c: &chronix_config::EconomyConfig) -> Self {
        let mut s = Self::default();
        s.rules.bets.house_edge_bp = c.house_edge_bp;
        s.rules.bets.min_bet = Chrons::new(c.bet_min);
        s.rules.bets.max_bet = Chrons::new(c.bet_max);
        s.rules.daily.reset_hour_utc = c.daily_reset_hour;
        s.rules.bank.rate_bp = c.bank_rate_bp;
        s.rules.bank.cap = Chrons::new(c.bank_cap);
        s.pay_confirm_threshold = Chrons::new(c.pay_confirm_above);
        s.pay_confirm_ttl_secs = i64::try_from(c.pay_confirm_ttl_secs).unwrap_or(i64::MAX);
        s
    }
}

/// The economy settings in force for this bot (from its configuration; cheap to build).
pub fn settings(data: &Data) -> EconomySettings {
    EconomySettings::from_config(&data.config().economy)
}

/// The game tables (shop prices, creature sell prices): the same validated tables as the
/// gameplay feature (loaded at start-up, or the shipped copy when gameplay is off).
pub fn tables() -> &'static Tables {
    crate::tables::tables()
}

/// Writes the item definitions of [`tables`] into the database (idempotent upserts). The
/// gameplay feature does this at start-up; economy falls back to it lazily
/// ([`with_item_definitions`]) when gameplay is switched off.
pub async fn ensure_item_definitions(data: &Data) -> Result<(), Error> {
    chronix_storage::inventory::sync_definitions(data.storage(), tables()).await?;
    Ok(())
}

/// Runs a storage operation that grants items; when an item definition is missing (tables never
/// synced into this database), syncs them and runs the operation once more. The failed attempt
/// rolled back, so nothing happens twice.
pub async fn with_item_definitions<T, F, Fut>(data: &Data, mut op: F) -> Result<T, StorageError>
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Result<T, StorageError>>,
{
    match op().await {
        Err(StorageError::NotFound(Missing::ItemDefinition(_))) => {
            chronix_storage::inventory::sync_definitions(data.storage(), tables()).await?;
            op().await
        }
        other => other,
    }
}

/// A CSPRNG seeded from the OS, for every game roll.
pub fn rng() -> StdRng {
    StdRng::from_os_rng()
}

/// Current time (storage functions take `now`).
pub fn now() -> DateTime<Utc> {
    Utc::now()
}

/// `1,234 💠`.
pub fn chrons(n: Chrons) -> String {
    format_chrons(n)
}

/// Parses an amount typed by a user (relative to `balance` for `all`, `half`, `N%`). A zero
/// amount is refused as such; only a *relative* amount of an empty wallet says the wallet is
/// empty (`/pay alice 0` is a zero amount whatever the balance).
pub fn amount(l: Locale, input: &str, balance: Chrons) -> Result<Chrons, UserError> {
    let text = input.trim().to_ascii_lowercase();
    let relative =
        matches!(text.as_str(), "all" | "max" | "everything" | "half") || text.ends_with('%');
    parse_amount(input, balance).map_err(|e| match e {
        AmountError::Zero if balance == 0 && relative => {
            UserError::msg(tr!(l, "economy-no-chrons"))
        }
        e => UserError::InvalidInput(amount_error_text(l, &e)),
    })
}

/// Why an amount did not parse, in `l` (core's `Display` stays the English text for logs).
pub fn amount_error_text(l: Locale, e: &AmountError) -> String {
    match e {
        AmountError::Empty => tr!(l, "economy-amount-error-empty"),
        AmountError::Malformed(text) => {
            tr!(l, "economy-amount-error-malformed", text = text.as_str())
        }
        AmountError::Negative => tr!(l, "economy-amount-error-negative"),
        AmountError::Zero => tr!(l, "economy-amount-error-zero"),
        AmountError::NotWhole(text) => {
            tr!(l, "economy-amount-error-not-whole", text = text.as_str())
        }
        AmountError::BadPercent => tr!(l, "economy-amount-error-bad-percent"),
        AmountError::TooLarge { max } => {
            tr!(
                l,
                "economy-amount-error-too-large",
                max = max.get().to_string()
            )
        }
    }
}

/// Why a bet is refused, in `l` (core's `Display` stays the English text for logs).
pub fn bet_error_text(l: Locale, e: &chronix_core::economy::BetError) -> String {
    use chronix_core::economy::BetError;
    match e {
        BetError::NotPositive => tr!(l, "economy-bet-error-not-positive"),
        BetError::BelowMinimum { min } => {
            let min = chronix_core::render::format_number(min.get());
            tr!(l, "economy-bet-error-below-min", min = min)
        }
        BetError::AboveMaximum { max } => {
            let max = chronix_core::render::format_number(max.get());
            tr!(l, "economy-bet-error-above-max", max = max)
        }
        BetError::InvalidChoice => tr!(l, "economy-bet-error-invalid-choice"),
    }
}

/// "Try again in 12s (<t:…:R>)."
pub fn try_again(l: Locale, expires_at: DateTime<Utc>, remaining: std::time::Duration) -> String {
    let d = chrono::Duration::from_std(remaining).unwrap_or_default();
    let secs = d.num_seconds().max(1);
    tr!(
        l,
        "economy-try-again",
        duration = format_duration(chrono::Duration::seconds(secs)),
        at = format!("<t:{}:R>", expires_at.timestamp())
    )
}

/// Turns a storage error into what the user sees: a refusal becomes
/// [`EconomyRefusal::Storage`] (an ephemeral ❌ embed in `l`), anything else stays internal
/// (error id).
pub fn refusal(l: Locale, e: StorageError) -> Error {
    match e {
        StorageError::Refused(r) => crate::errors::refuse(l, EconomyRefusal::Storage(r)),
        e => anyhow::Error::new(e),
    }
}

/// What the user reads for a storage [`Refusal`], in `l`. Autohunt's rules and pending payments
/// (answered in `wallet`) are handled by their callers before they get here; their English text
/// is the fallback.
pub fn refusal_text(l: Locale, r: &Refusal) -> String {
    match r {
        Refusal::InsufficientFunds { needed, available } => tr!(
            l,
            "economy-insufficient-funds",
            needed = chrons(*needed),
            available = chrons(*available)
        ),
        Refusal::NotEnoughItems {
            item,
            needed,
            available,
        } => {
            let t = tables();
            let name = t
                .item(item)
                .map(|i| i.name.as_str())
                .or_else(|| t.creature(item).map(|c| c.name.as_str()))
                .unwrap_or(item.as_str());
            tr!(
                l,
                "economy-not-enough-items",
                item = name,
                needed = needed.to_string(),
                available = available.to_string()
            )
        }
        Refusal::InvalidAmount(_) => tr!(l, "economy-amount-not-positive"),
        Refusal::Overflow => tr!(l, "economy-amount-too-large"),
        Refusal::SelfTransfer => tr!(l, "economy-self-transfer"),
        Refusal::OnCooldown {
            expires_at,
            remaining,
        } => tr!(
            l,
            "economy-on-cooldown",
            again = try_again(l, *expires_at, *remaining)
        ),
        Refusal::Trade(t) => match t {
            TradeRefusal::NotFound(id) => {
                tr!(l, "economy-trade-not-found", id = id.to_string())
            }
            TradeRefusal::NotAParty => tr!(l, "economy-trade-not-yours"),
            TradeRefusal::Closed => tr!(l, "economy-trade-closed"),
            TradeRefusal::Expired => tr!(l, "economy-trade-expired"),
        },
        Refusal::Market(m) => match m {
            MarketRefusal::NotFound(id) => {
                tr!(l, "economy-market-not-found", id = id.to_string())
            }
            MarketRefusal::Closed(id) => tr!(l, "economy-market-closed", id = id.to_string()),
            MarketRefusal::OwnListing => tr!(l, "economy-market-own-listing"),
            MarketRefusal::NotYours(id) => {
                tr!(l, "economy-market-not-yours", id = id.to_string())
            }
        },
        Refusal::Weapon(w) => crate::features::items::weapons::refusal_text(l, w),
        other => other.to_string(),
    }
}

/// Answers a component interaction by replacing its message.
pub async fn update_message(
    ctx: &serenity::Context,
    interaction: &serenity::ComponentInteraction,
    embed: Embed,
    components: Vec<serenity::CreateActionRow>,
) -> Result<(), Error> {
    let response = serenity::CreateInteractionResponse::UpdateMessage(
        serenity::CreateInteractionResponseMessage::new()
            .embed(embed.into())
            .components(components)
            .allowed_mentions(embeds::no_mentions()),
    );
    interaction.create_response(&ctx.http, response).await?;
    Ok(())
}

/// A button.
pub fn button(id: String, label: &str, style: serenity::ButtonStyle) -> serenity::CreateButton {
    serenity::CreateButton::new(id).label(label).style(style)
}

/// Routes `chx:eco:<kind>:…` buttons.
pub fn on_component<'a>(
    ctx: &'a serenity::Context,
    interaction: &'a serenity::ComponentInteraction,
    data: &'a Data,
) -> poise::BoxFuture<'a, Result<(), Error>> {
    Box::pin(async move {
        let rest = interaction
            .data
            .custom_id
            .strip_prefix(COMPONENT_PREFIX)
            .unwrap_or_default();
        let (kind, args) = rest.split_once(':').unwrap_or((rest, ""));
        match kind {
            "trade" => shop::on_trade_button(ctx, interaction, data, args).await,
            "pay" => wallet::on_pay_button(ctx, interaction, data, args).await,
            _ => {
                let l = crate::kernel::i18n::locale_of_interaction(data, interaction).await;
                Err(UserError::msg(tr!(l, "button-no-longer-valid")).into())
            }
        }
    })
}

/// The scheduler's bank-interest job: pays every saver what is due at `now` (idempotent per
/// period, safe to run after a restart or twice). Returns `(savers, total paid)`.
pub async fn pay_interest_job(data: &Data, now: DateTime<Utc>) -> Result<(usize, i64), Error> {
    let s = settings(data);
    let storage = data.storage();
    Ok(
        chronix_storage::bank::pay_all_interest(storage, &s.rules.bank, s.interest_batch, now)
            .await?,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_load_and_amounts_read_well() {
        assert!(tables().item("pet_treat").is_some());
        assert_eq!(
            amount(Locale::EN, "1.5k", Chrons::ZERO),
            Ok(Chrons::new(1_500))
        );
        assert!(matches!(
            amount(Locale::EN, "-5", Chrons::new(10)),
            Err(UserError::InvalidInput(_))
        ));
        assert!(matches!(
            amount(Locale::EN, "all", Chrons::new(0)),
            Err(UserError::Message(_))
        ));
        assert_eq!(
            amount(Locale::EN, "0", Chrons::new(0)),
            Err(UserError::InvalidInput(
                "the amount must be more than zero".into()
            )),
            "a zero amount is refused as zero, even with an empty wallet"
        );
        let m = try_again(
            Locale::EN,
            DateTime::from_timestamp(1_000, 0).unwrap(),
            std::time::Duration::from_secs(12),
        );
        assert_eq!(m, "Try again in 12s (<t:1000:R>).");
    }

    #[test]
    fn bet_errors_read_like_core_in_english_and_are_translated() {
        use chronix_core::economy::BetError;
        let fr = Locale::from_code("fr").unwrap();
        let all = [
            BetError::NotPositive,
            BetError::BelowMinimum {
                min: Chrons::new(50),
            },
            BetError::AboveMaximum {
                max: Chrons::new(60),
            },
            BetError::InvalidChoice,
        ];
        for e in &all {
            assert_eq!(bet_error_text(Locale::EN, e), e.to_string(), "{e:?}");
            assert_ne!(bet_error_text(fr, e), e.to_string(), "{e:?}");
        }
        assert_eq!(
            bet_error_text(fr, &all[1]),
            "la plus petite mise est de 50 Chrons"
        );
    }

    #[test]
    fn amount_errors_read_like_core_in_english_and_are_translated() {
        let fr = Locale::from_code("fr").unwrap();
        let all = [
            AmountError::Empty,
            AmountError::Malformed("abc".into()),
            AmountError::Negative,
            AmountError::Zero,
            AmountError::NotWhole("2.5".into()),
            AmountError::BadPercent,
            AmountError::TooLarge {
                max: Chrons::new(1_000),
            },
        ];
        for e in &all {
            assert_eq!(amount_error_text(Locale::EN, e), e.to_string(), "{e:?}");
            assert_ne!(amount_error_text(fr, e), e.to_string(), "{e:?}");
        }
        assert_eq!(
            amount_error_text(fr, &AmountError::Zero),
            "le montant doit être supérieur à zéro"
        );
        assert_eq!(
            amount(fr, "0", Chrons::new(50)),
            Err(UserError::InvalidInput(
                "le montant doit être supérieur à zéro".into()
            ))
        );
    }

    #[test]
    fn refusals_are_user_errors_and_failures_are_not() {
        let e = refusal(
            Locale::EN,
            StorageError::Refused(Refusal::InsufficientFunds {
                needed: Chrons::new(10),
                available: Chrons::new(5),
            }),
        );
        let u = e.downcast_ref::<UserError>().unwrap();
        assert_eq!(
            u.to_string(),
            "You don't have enough Chrons: that needs 10 💠 and you have 5 💠."
        );
        let fr = Locale::from_code("fr").unwrap();
        let e = refusal(
            fr,
            StorageError::Refused(Refusal::InsufficientFunds {
                needed: Chrons::new(10),
                available: Chrons::new(5),
            }),
        );
        assert_eq!(
            e.downcast_ref::<UserError>().unwrap().to_string(),
            "Vous n'avez pas assez de Chrons : il faut 10 💠 et vous avez 5 💠."
        );
        let e = refusal(Locale::EN, StorageError::Conflict("x".into()));
        assert!(e.downcast_ref::<UserError>().is_none());
    }

    #[test]
    fn the_rate_limit_refusal_says_when_to_try_again() {
        let r = EconomyRefusal::RateLimited {
            retry_at: DateTime::from_timestamp(1_000, 0).unwrap(),
            wait_secs: 12,
        };
        assert_eq!(r.title(Locale::EN), "Slow down");
        assert_eq!(
            r.text(Locale::EN),
            "⏳ You are doing that too often. Try again in 12s (<t:1000:R>)."
        );
        assert_eq!(r.to_string(), r.text(Locale::EN));
        let fr = Locale::from_code("fr").unwrap();
        assert_eq!(r.title(fr), "Doucement");
        assert!(
            r.text(fr)
                .starts_with("⏳ Vous faites cela trop souvent. Réessayez dans 12"),
            "{}",
            r.text(fr)
        );
        let e = crate::errors::refuse(Locale::EN, r);
        assert!(matches!(
            e.downcast_ref::<UserError>(),
            Some(UserError::Refused { .. })
        ));
    }

    #[test]
    fn each_limited_action_reads_its_own_key() {
        let mut c = chronix_config::Config::from_values(&Default::default())
            .unwrap()
            .economy;
        c.rate_limit_pay = RateLimit::OFF;
        c.rate_limit_trade = RateLimit::new(3, 60);
        assert_eq!(Limited::Trade.limit(&c), RateLimit::new(3, 60));
        assert!(Limited::Pay.limit(&c).is_off());
        let actions: std::collections::HashSet<_> = [
            Limited::Bets,
            Limited::Pay,
            Limited::Trade,
            Limited::Market,
            Limited::Leaderboard,
        ]
        .iter()
        .map(|l| l.action())
        .collect();
        assert_eq!(actions.len(), 5);
    }

    #[test]
    fn command_names_do_not_clash() {
        let mut seen = std::collections::HashSet::new();
        for c in commands() {
            for n in
                std::iter::once(c.name.to_string()).chain(c.aliases.iter().map(|a| a.to_string()))
            {
                assert!(seen.insert(n.clone()), "{n} twice");
            }
        }
    }
}
