//! `deposit` and `withdraw`. Interest is paid by the scheduler ([`super::pay_interest_job`]).

use chronix_storage::bank;
use chronix_storage::economy::Memo;
use chronix_storage::{Refusal, StorageError};

use super::{amount, chrons, refusal, settings};
use crate::prelude::*;

fn bank_embed(
    l: Locale,
    rules: &chronix_core::economy::BankRules,
    title: String,
    text: String,
    b: bank::Balances,
) -> Embed {
    Embed::gameplay(title)
        .description(text)
        .field(tr!(l, "economy-wallet"), chrons(b.wallet), true)
        .field(tr!(l, "economy-bank"), chrons(b.bank), true)
        .footer(tr!(
            l,
            "economy-bank-interest",
            rate = format!("{}.{:02}", rules.rate_bp / 100, rules.rate_bp % 100),
            cap = chrons(rules.cap)
        ))
}

/// Put Chrons from your wallet into the bank (it earns interest).
#[poise::command(
    prefix_command,
    slash_command,
    aliases("dep"),
    custom_data = Tier::Everyone
)]
pub async fn deposit(
    ctx: Context<'_>,
    #[description = "How much: 500, 2.5k, half, all"]
    #[rename = "amount"]
    amount_text: String,
) -> Result<(), Error> {
    let Caller {
        user,
        guild,
        locale: l,
        now,
        ..
    } = Caller::of(ctx).await;
    let storage = ctx.data().storage();
    let b = bank::balances(storage, user).await?;
    let amount = amount(l, &amount_text, b.wallet)?;
    let mut memo = Memo::new("bank deposit").kind("bank_deposit").at(now);
    memo.guild_id = guild;
    let after = bank::deposit(
        storage,
        user,
        amount,
        &settings(ctx.data()).rules.bank,
        &memo,
        now,
    )
    .await
    .map_err(|e| refusal(l, e))?;
    ctx.send(embeds::reply(bank_embed(
        l,
        &settings(ctx.data()).rules.bank,
        tr!(l, "economy-deposit-title"),
        tr!(l, "economy-deposit-text", amount = chrons(amount)),
        after,
    )))
    .await?;
    Ok(())
}

/// Take Chrons out of the bank into your wallet.
#[poise::command(
    prefix_command,
    slash_command,
    aliases("with"),
    custom_data = Tier::Everyone
)]
pub async fn withdraw(
    ctx: Context<'_>,
    #[description = "How much: 500, 2.5k, half, all"]
    #[rename = "amount"]
    amount_text: String,
) -> Result<(), Error> {
    let Caller {
        user,
        guild,
        locale: l,
        now,
        ..
    } = Caller::of(ctx).await;
    let storage = ctx.data().storage();
    let b = bank::balances(storage, user).await?;
    let amount = amount(l, &amount_text, b.bank).map_err(|e| match e {
        UserError::Message(_) => UserError::msg(tr!(l, "economy-bank-empty")),
        e => e,
    })?;
    let mut memo = Memo::new("bank withdrawal").kind("bank_withdraw").at(now);
    memo.guild_id = guild;
    let rules = settings(ctx.data()).rules.bank;
    let after = bank::withdraw(storage, user, amount, &rules, &memo, now)
        .await
        .map_err(|e| match e {
            StorageError::Refused(Refusal::InsufficientFunds { needed, available }) => {
                UserError::msg(tr!(
                    l,
                    "economy-bank-holds-only",
                    available = chrons(available),
                    needed = chrons(needed)
                ))
                .into()
            }
            e => refusal(l, e),
        })?;
    ctx.send(embeds::reply(bank_embed(
        l,
        &settings(ctx.data()).rules.bank,
        tr!(l, "economy-withdraw-title"),
        tr!(l, "economy-withdraw-text", amount = chrons(amount)),
        after,
    )))
    .await?;
    Ok(())
}
