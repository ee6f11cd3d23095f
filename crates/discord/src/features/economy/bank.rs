//! `deposit` and `withdraw`. Interest is paid by the scheduler ([`super::pay_interest_job`]).

use chronix_storage::bank;
use chronix_storage::economy::Memo;

use super::{amount, chrons, db_id, guild_of, now, refusal, settings};
use crate::prelude::*;

fn bank_embed(
    rules: &chronix_core::economy::BankRules,
    title: &str,
    verb: &str,
    amount: i64,
    b: bank::Balances,
) -> Embed {
    Embed::gameplay(title)
        .description(format!("You {verb} **{}**.", chrons(amount)))
        .field("Wallet", chrons(b.wallet), true)
        .field("Bank", chrons(b.bank), true)
        .footer(format!(
            "Interest: {}.{:02} % per day, up to {} per payment",
            rules.rate_bp / 100,
            rules.rate_bp % 100,
            chrons(rules.cap)
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
    let user = db_id(ctx.author().id.get());
    let storage = ctx.data().storage();
    let b = bank::balances(storage, user).await?;
    let amount = amount(&amount_text, b.wallet)?;
    let at = now();
    let mut memo = Memo::new("bank deposit").kind("bank_deposit").at(at);
    memo.guild_id = guild_of(ctx);
    let after = bank::deposit(
        storage,
        user,
        amount,
        &settings(ctx.data()).rules.bank,
        &memo,
        at,
    )
    .await
    .map_err(refusal)?;
    ctx.send(embeds::reply(bank_embed(
        &settings(ctx.data()).rules.bank,
        "Deposit",
        "deposited",
        amount,
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
    let user = db_id(ctx.author().id.get());
    let storage = ctx.data().storage();
    let b = bank::balances(storage, user).await?;
    let amount = amount(&amount_text, b.bank).map_err(|e| match e {
        UserError::Message(_) => UserError::msg("Your bank is empty."),
        e => e,
    })?;
    let at = now();
    let mut memo = Memo::new("bank withdrawal").kind("bank_withdraw").at(at);
    memo.guild_id = guild_of(ctx);
    let rules = settings(ctx.data()).rules.bank;
    let after = bank::withdraw(storage, user, amount, &rules, &memo, at)
        .await
        .map_err(|e| match e {
            chronix_storage::StorageError::InsufficientFunds { needed, available } => {
                UserError::msg(format!(
                    "Your bank holds only {}; you asked for {}.",
                    chrons(available),
                    chrons(needed)
                ))
                .into()
            }
            e => refusal(e),
        })?;
    ctx.send(embeds::reply(bank_embed(
        &settings(ctx.data()).rules.bank,
        "Withdrawal",
        "withdrew",
        amount,
        after,
    )))
    .await?;
    Ok(())
}
