# The economy feature: balance, pay, transactions, leaderboard, bank, daily/work, games, shop.

## Commands (slash descriptions and help texts)
cmd-pay =
    .description = Pay Chrons to another player.
cmd-transactions =
    .description = Your ledger: every change of your Chrons, newest first.
cmd-leaderboard =
    .description = The richest players (global or this server), by Chrons, level or hunts.
cmd-daily =
    .description = Claim your daily Chrons; claim every day to grow your streak bonus.
cmd-weekly =
    .description = Claim your weekly Chrons (the week starts on Monday).
cmd-work =
    .description = Work a shift for some Chrons (once an hour).
cmd-beg =
    .description = Beg for a few Chrons (every few minutes; sometimes nobody gives anything).
cmd-coinflip =
    .description = Bet on a coin flip: call heads or tails (heads if you don't say).
cmd-slots =
    .description = Spin the slot machine.
cmd-dice =
    .description = Bet on two dice: low (2-6), high (8-12), seven, doubles, or an exact total.
cmd-deposit =
    .description = Put Chrons from your wallet into the bank (it earns interest).
cmd-withdraw =
    .description = Take Chrons out of the bank into your wallet.
cmd-shop =
    .description = What the shop sells and buys.
cmd-buy =
    .description = Buy an item from the shop.
cmd-sell =
    .description = Sell an item to the shop.
cmd-market =
    .description = The player marketplace: list items for sale, buy other players' listings.
cmd-market-list =
    .description = Open listings (of one item if you name it).
cmd-market-sell =
    .description = List items for sale: they leave your inventory until sold or cancelled.
cmd-market-buy =
    .description = Buy a listing by its number.
cmd-market-cancel =
    .description = Cancel your listing and get the items back.
cmd-trade =
    .description = Trade with another player: `trade @user 500 for golden_net 2`; both confirm.
cmd-balance =
    .description = Show your Chrons (💠), or another player's.

## balance
economy-balance-title-own = Your balance
economy-balance-title-other = { $user }'s balance
economy-balance-text = { $user } has **{ $amount }**
economy-wallet = Wallet
economy-bank = Bank
economy-net-worth = Net worth
