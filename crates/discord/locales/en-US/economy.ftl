# The economy feature: balance, pay, transactions, leaderboard, bank, daily/work, games, shop.

## Commands (slash descriptions and help texts)
cmd-balance =
    .description = Show your Chrons (💠), or another player's.

## balance
economy-balance-title-own = Your balance
economy-balance-title-other = { $user }'s balance
economy-balance-text = { $user } has **{ $amount }**
economy-wallet = Wallet
economy-bank = Bank
economy-net-worth = Net worth
