//! Games of chance: `coinflip` (`cf`), `slots`, `dice` (`betdice`). Each is one atomic
//! `place_bet`: the stake is debited, the game resolved with a CSPRNG and the payout credited
//! in one transaction.

use chronix_core::economy::Chrons;
use chronix_core::economy::{self as rules_mod, BetOutcome, CoinSide, DiceBet, coinflip, dice};
use chronix_core::render::bet_detail;
use chronix_storage::bets::{PlaceBetError, place_bet};
use chronix_storage::economy;

use super::{amount, bet_error_text, chrons, refusal, rng, settings};
use crate::prelude::*;

async fn stake(ctx: Context<'_>, text: &str) -> Result<i64, Error> {
    let Caller {
        user, locale: l, ..
    } = Caller::of(ctx).await;
    super::rate_limit(ctx, super::Limited::Bets).await?;
    let wallet = economy::balance(ctx.data().storage(), user).await?;
    let bet = amount(l, text, wallet)?;
    settings(ctx.data()).rules.bets.check(bet).map_err(|e| {
        let reason = bet_error_text(l, &e);
        UserError::msg(tr!(l, "economy-cannot-bet", reason = reason))
    })?;
    Ok(bet.get())
}

async fn play(
    ctx: Context<'_>,
    game: &str,
    game_name: String,
    bet: i64,
    mut roll: impl FnMut(&mut rand::rngs::StdRng) -> Result<BetOutcome, chronix_core::economy::BetError>,
) -> Result<(), Error> {
    let Caller {
        user,
        guild,
        locale: l,
        now,
        ..
    } = Caller::of(ctx).await;
    let mut r = rng();
    let placed = place_bet(
        ctx.data().storage(),
        user,
        game,
        Chrons::new(bet),
        guild,
        now,
        || roll(&mut r),
    )
    .await
    .map_err(|e| match e {
        PlaceBetError::Refused(e) => {
            let reason = bet_error_text(l, &e);
            UserError::msg(tr!(l, "economy-cannot-bet", reason = reason)).into()
        }
        PlaceBetError::Storage(e) => refusal(l, e),
    })?;
    let o = &placed.outcome;
    let (title, verdict) = if o.won {
        (
            tr!(l, "economy-game-won-title", game = game_name),
            tr!(l, "economy-game-won", amount = chrons(o.payout)),
        )
    } else {
        (
            tr!(l, "economy-game-lost-title", game = game_name),
            tr!(l, "economy-game-lost", amount = chrons(o.bet)),
        )
    };
    let theme = if o.won {
        Theme::Success
    } else {
        Theme::Gameplay
    };
    let e = Embed::new(theme, title)
        .description(format!("{}\n{verdict}", bet_detail(&o.detail)))
        .field(tr!(l, "economy-bet"), chrons(o.bet), true)
        .field(tr!(l, "economy-payout"), chrons(o.payout), true)
        .field(
            tr!(l, "economy-balance"),
            chrons(placed.balance_after()),
            true,
        );
    ctx.send(embeds::reply(e)).await?;
    let text = if o.won {
        "note-bet-won"
    } else {
        "note-bet-lost"
    };
    crate::events::gameplay_note(ctx, "bet", text, |n| {
        n.arg("user", format!("<@{user}>"))
            .arg("game", game)
            .arg("stake", chrons(o.bet))
            .arg("payout", chrons(o.payout))
            .amount(o.bet)
            .payload(serde_json::json!({
                "game": game, "bet": o.bet.get(), "payout": o.payout.get(), "won": o.won
            }))
    })
    .await;
    Ok(())
}

/// Bet on a coin flip: call heads or tails (heads if you don't say).
#[poise::command(
    prefix_command,
    slash_command,
    rename = "coinflip",
    aliases("cf", "betflip", "coinbet"),
    custom_data = Tier::Everyone
)]
pub async fn cf(
    ctx: Context<'_>,
    #[description = "Your bet: 100, 1k, half, all"] bet: String,
    #[description = "heads or tails"] side: Option<String>,
) -> Result<(), Error> {
    let called: CoinSide = match side.as_deref() {
        Some(s) => s.parse().map_err(UserError::InvalidInput)?,
        None => CoinSide::Heads,
    };
    let bet = stake(ctx, &bet).await?;
    let rules = &settings(ctx.data()).rules.bets;
    let name = tr!(ctx, "economy-game-coinflip");
    play(ctx, "Coinflip", name, bet, |r| {
        coinflip(Chrons::new(bet), called, rules, r)
    })
    .await
}

/// Spin the slot machine.
#[poise::command(
    prefix_command,
    slash_command,
    aliases("slot", "spin"),
    custom_data = Tier::Everyone
)]
pub async fn slots(
    ctx: Context<'_>,
    #[description = "Your bet: 100, 1k, half, all"] bet: String,
) -> Result<(), Error> {
    let bet = stake(ctx, &bet).await?;
    let rules = &settings(ctx.data()).rules.bets;
    let name = tr!(ctx, "economy-game-slots");
    play(ctx, "Slots", name, bet, |r| {
        rules_mod::slots(Chrons::new(bet), rules, r)
    })
    .await
}

/// Bet on two dice: low (2-6), high (8-12), seven, doubles, or an exact total.
#[poise::command(
    prefix_command,
    slash_command,
    rename = "dice",
    aliases("betdice", "bd", "dicebet"),
    custom_data = Tier::Everyone
)]
pub async fn betdice(
    ctx: Context<'_>,
    #[description = "Your bet: 100, 1k, half, all"] bet: String,
    #[description = "low, high, seven, doubles or 2-12"] choice: String,
) -> Result<(), Error> {
    let choice: DiceBet = choice.parse().map_err(UserError::InvalidInput)?;
    let bet = stake(ctx, &bet).await?;
    let rules = &settings(ctx.data()).rules.bets;
    let name = tr!(ctx, "economy-game-dice");
    play(ctx, "Dice", name, bet, |r| {
        dice(Chrons::new(bet), choice, rules, r)
    })
    .await
}
