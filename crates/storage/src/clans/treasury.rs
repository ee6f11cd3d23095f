//! The treasury and what it buys: deposits and withdrawals through both ledgers, perks bought
//! with BP, the war channel, and [`reconcile`].

use chronix_core::clans::{ClanRules, Perk};
use chronix_core::economy::Chrons;
use chronix_core::ids::{ChannelId, GuildId, UserId};
use chrono::{DateTime, Utc};

use super::{
    Clan, ClanRefusal, Entry, LogEntry, clan_in, log_in, my_clan_locked, refused, require_manager,
};
use crate::economy::{self, Memo};
use crate::{Refusal, Result, Storage, StorageError};

/// A treasury move.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TreasuryMove {
    /// The clan after.
    pub clan: Clan,
    /// The clan-ledger row.
    pub entry: LogEntry,
    /// The player's wallet after.
    pub wallet_after: Chrons,
}

/// Any member deposits `amount` (> 0) into the treasury: a ledger debit (kind `clan_deposit`)
/// and a clan-ledger credit, plus [`ClanRules::bp_for_deposit`] BP.
pub async fn deposit(
    storage: &Storage,
    user: UserId,
    amount: Chrons,
    rules: &ClanRules,
    guild: Option<GuildId>,
    now: DateTime<Utc>,
) -> Result<TreasuryMove> {
    if !amount.is_positive() {
        return Err(StorageError::Refused(Refusal::InvalidAmount(amount.get())));
    }
    transaction!(storage, |tx| {
        let (clan, _) = my_clan_locked(tx, user).await?;
        let name = clan_in(tx, clan).await?.name;
        let mut memo = Memo::new(format!("deposit to clan {name}"))
            .kind("clan_deposit")
            .at(now);
        memo.guild_id = guild;
        let applied = economy::apply(tx, user, Chrons::new(-amount.get()), &memo).await?;
        let entry = log_in(
            tx,
            clan,
            &Entry {
                kind: "deposit",
                user: Some(user),
                change: amount,
                bp_change: rules.bp_for_deposit(amount),
                detail: String::new(),
            },
            now,
        )
        .await?;
        Ok(TreasuryMove {
            clan: clan_in(tx, clan).await?,
            entry,
            wallet_after: applied.balance_after(),
        })
    })
}

/// A manage_clan member withdraws `amount` (> 0) from the treasury to their wallet (checked
/// under the clan's row lock: [`ClanRefusal::TreasuryTooSmall`]).
pub async fn withdraw(
    storage: &Storage,
    user: UserId,
    amount: Chrons,
    guild: Option<GuildId>,
    now: DateTime<Utc>,
) -> Result<TreasuryMove> {
    if !amount.is_positive() {
        return Err(StorageError::Refused(Refusal::InvalidAmount(amount.get())));
    }
    transaction!(storage, |tx| {
        let clan = require_manager(tx, user).await?;
        let entry = log_in(
            tx,
            clan,
            &Entry {
                kind: "withdraw",
                user: Some(user),
                change: Chrons::new(-amount.get()),
                bp_change: 0,
                detail: String::new(),
            },
            now,
        )
        .await?;
        let name = clan_in(tx, clan).await?.name;
        let mut memo = Memo::new(format!("withdrawal from clan {name}"))
            .kind("clan_withdraw")
            .at(now);
        memo.guild_id = guild;
        let applied = economy::apply(tx, user, amount, &memo).await?;
        Ok(TreasuryMove {
            clan: clan_in(tx, clan).await?,
            entry,
            wallet_after: applied.balance_after(),
        })
    })
}

/// A manage_clan member buys the next level of `perk` with the clan's BP. Returns the clan and
/// the new level.
pub async fn buy_perk(
    storage: &Storage,
    user: UserId,
    perk: Perk,
    rules: &ClanRules,
    now: DateTime<Utc>,
) -> Result<(Clan, u32)> {
    transaction!(storage, |tx| {
        let clan = require_manager(tx, user).await?;
        let level: Option<(i64,)> = tx_run!(tx, |conn| {
            sqlx::query_as(
                "SELECT CAST(level AS BIGINT) FROM clan_perks WHERE clan_id = $1 AND perk = $2",
            )
            .bind(clan)
            .bind(perk.id())
            .fetch_optional(&mut *conn)
            .await?
        });
        let level = level.map_or(0, |(l,)| u32::try_from(l).unwrap_or(0));
        let Some(cost) = rules.next_level_cost(perk, level) else {
            return refused(ClanRefusal::PerkMaxed {
                perk,
                max: rules.max_level(perk),
            });
        };
        let next = level + 1;
        log_in(
            tx,
            clan,
            &Entry {
                kind: "perk",
                user: Some(user),
                change: Chrons::ZERO,
                bp_change: -cost,
                detail: format!("{} {next}", perk.id()),
            },
            now,
        )
        .await?;
        tx_run!(tx, |conn| {
            sqlx::query(
                "INSERT INTO clan_perks (clan_id, perk, level, updated_at) VALUES ($1, $2, $3, $4) \
                 ON CONFLICT (clan_id, perk) DO UPDATE SET level = excluded.level, \
                 updated_at = excluded.updated_at",
            )
            .bind(clan)
            .bind(perk.id())
            .bind(i64::from(next))
            .bind(now)
            .execute(&mut *conn)
            .await?;
        });
        Ok((clan_in(tx, clan).await?, next))
    })
}

/// A manage_clan member sets (or clears) the channel that gets the clan's war results.
pub async fn set_channel(
    storage: &Storage,
    user: UserId,
    channel: Option<(GuildId, ChannelId)>,
    now: DateTime<Utc>,
) -> Result<Clan> {
    transaction!(storage, |tx| {
        let clan = require_manager(tx, user).await?;
        tx_run!(tx, |conn| {
            sqlx::query(
                "UPDATE clans SET channel_id = $1, guild_id = COALESCE($2, guild_id), \
                 updated_at = $3 WHERE id = $4",
            )
            .bind(channel.map(|(_, c)| c.to_db()))
            .bind(channel.map(|(g, _)| g.to_db()))
            .bind(now)
            .bind(clan)
            .execute(&mut *conn)
            .await?;
        });
        let detail = channel.map_or(String::new(), |(_, c)| c.to_string());
        log_in(tx, clan, &Entry::event("channel", Some(user), detail), now).await?;
        clan_in(tx, clan).await
    })
}

/// A clan whose treasury is not the sum of its ledger.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClanMismatch {
    /// Clan id.
    pub clan: i64,
    /// `clans.treasury`.
    pub treasury: Chrons,
    /// Sum of its `clan_ledger.change`.
    pub ledger_sum: Chrons,
}

/// Every clan whose treasury differs from the sum of its ledger (empty when the books balance).
pub async fn reconcile(storage: &Storage) -> Result<Vec<ClanMismatch>> {
    let rows: Vec<(i64, i64, i64)> = conn_run!(storage, |conn| {
        sqlx::query_as(
            "SELECT c.id, c.treasury, CAST(COALESCE((SELECT SUM(l.change) FROM clan_ledger l \
             WHERE l.clan_id = c.id), 0) AS BIGINT) FROM clans c ORDER BY c.id",
        )
        .fetch_all(&mut *conn)
        .await?
    });
    Ok(rows
        .into_iter()
        .filter(|(_, t, s)| t != s)
        .map(|(c, t, s)| ClanMismatch {
            clan: c,
            treasury: Chrons::new(t),
            ledger_sum: Chrons::new(s),
        })
        .collect())
}
