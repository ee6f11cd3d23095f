//! Games of chance, atomically: [`place_bet`] debits the stake, resolves the game (a pure rule
//! from `chronix_core::economy::bets`, passed in as a closure) and credits the payout in ONE
//! transaction. Any failure after the debit (the rule refuses, the credit overflows, the
//! database fails) rolls everything back; concurrent bets serialise on the user's row, so they
//! never overdraw.

use chronix_core::economy::Chrons;
use chronix_core::economy::{BetError, BetOutcome};
use chronix_core::ids::{GuildId, UserId};
use chrono::{DateTime, Utc};

use crate::economy::{self, Applied, Memo};
use crate::{Refusal, Storage, StorageError, TX_MAX_ATTEMPTS};

/// Why a bet did not happen. Nothing changed in either case.
#[derive(Debug, thiserror::Error)]
pub enum PlaceBetError {
    /// The game's rules refused the bet (limits, invalid choice).
    #[error(transparent)]
    Refused(#[from] BetError),
    /// Storage refused or failed (not enough Chrons, database error…).
    #[error(transparent)]
    Storage(#[from] StorageError),
}

/// A bet that was placed and resolved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Placed {
    /// The game's outcome.
    pub outcome: BetOutcome,
    /// The stake's ledger row.
    pub stake: Applied,
    /// The payout's ledger row (`None` on a loss).
    pub payout: Option<Applied>,
}

impl Placed {
    /// Wallet balance after the bet.
    pub fn balance_after(&self) -> Chrons {
        self.payout
            .as_ref()
            .map_or_else(|| self.stake.balance_after(), Applied::balance_after)
    }
}

/// Places a bet of `bet` Chrons on `game` for `user_id`, in one transaction: debit, `resolve`,
/// credit the payout. `resolve` is called after the debit succeeded (it may be called again if
/// the transaction is retried after a transient error; nothing was committed then). The outcome
/// must be for `bet` and have a non-negative payout.
pub async fn place_bet<F>(
    storage: &Storage,
    user_id: UserId,
    game: &str,
    bet: Chrons,
    guild_id: Option<GuildId>,
    now: DateTime<Utc>,
    mut resolve: F,
) -> std::result::Result<Placed, PlaceBetError>
where
    F: FnMut() -> std::result::Result<BetOutcome, BetError>,
{
    if bet <= 0 {
        return Err(StorageError::Refused(Refusal::InvalidAmount(bet.get())).into());
    }
    let mut attempt = 0;
    loop {
        attempt += 1;
        let mut tx = storage.begin().await?;
        let res: std::result::Result<Placed, PlaceBetError> = async {
            let mut stake_memo = Memo::new(format!("{game} bet")).kind("bet").at(now);
            stake_memo.guild_id = guild_id;
            let stake = economy::apply(&mut tx, user_id, -bet, &stake_memo).await?;
            let outcome = resolve()?;
            if outcome.bet != bet || outcome.payout < 0 {
                return Err(StorageError::Conflict(format!(
                    "bet outcome does not match the stake ({} vs {bet})",
                    outcome.bet
                ))
                .into());
            }
            let payout = if outcome.payout > 0 {
                let mut memo = Memo::new(format!("{game} win")).kind("bet_win").at(now);
                memo.guild_id = guild_id;
                Some(economy::apply(&mut tx, user_id, outcome.payout, &memo).await?)
            } else {
                None
            };
            Ok(Placed {
                outcome,
                stake,
                payout,
            })
        }
        .await;
        let res = match res {
            Ok(v) => tx.commit().await.map(|()| v).map_err(PlaceBetError::from),
            Err(e) => {
                let _ = tx.rollback().await;
                Err(e)
            }
        };
        match res {
            Err(PlaceBetError::Storage(e)) if e.is_retryable() && attempt < TX_MAX_ATTEMPTS => {
                tracing::debug!(attempt, error = %e, "transient database error, retrying the bet");
                tokio::time::sleep(std::time::Duration::from_millis(5 * u64::from(attempt))).await;
            }
            other => return other,
        }
    }
}
