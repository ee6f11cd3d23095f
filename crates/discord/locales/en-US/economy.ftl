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
economy-balance = Balance
economy-your-balance = Your balance
economy-amount = Amount

## Shared refusals
economy-no-chrons = You have no Chrons for that (your balance is 0 💠).
economy-try-again = Try again in { $duration } ({ $at }).
economy-insufficient-funds = You don't have enough Chrons: that needs { $needed } and you have { $available }.
economy-not-enough-items = Not enough **{ $item }**: that needs { $needed } and there are { $available }.
economy-amount-not-positive = The amount must be more than zero.
economy-amount-too-large = That amount is too large.
economy-self-transfer = You can't do that with yourself.
economy-on-cooldown = ⏳ Not so fast! { $again }
economy-rate-limited-title = Slow down
economy-rate-limited = ⏳ You are doing that too often. { $again }

## pay
economy-pay-self = You can't pay yourself.
economy-pay-bot = Bots don't need Chrons.
economy-pay-sent-title = Payment sent
economy-pay-sent = { $from } paid **{ $amount }** to { $to }.
economy-pay-confirm-title = Confirm payment
economy-pay-confirm = Pay **{ $amount }** to { $to }? This expires { $expires }.
economy-confirm = Confirm
economy-cancel = Cancel
economy-pay-only-payer = Only the payer can answer this.
economy-pay-cancelled-title = Payment cancelled
economy-pay-nothing-paid = Nothing was paid.
economy-pay-expired-title = Payment expired
economy-pay-expired = ⌛ This payment expired before it was confirmed: nothing was paid. Run `pay` again.
economy-pay-closed = This payment was already answered: nothing more was paid.

## transactions
economy-history-title = Transactions
economy-history-line = `{ $change }` 💠 { $reason } • bal { $balance } • { $at }
economy-history-empty = No transactions yet: earn your first Chrons with `daily` or `hunt`.
economy-history-total = { $count } in total

## leaderboard
economy-board-unknown = `{ $word }` is not a leaderboard; use global or server, and chrons, level or hunts
economy-board-chrons = Chrons
economy-board-level = level
economy-board-hunts = hunts
economy-board-global = Global leaderboard: { $what }
economy-board-server = Server leaderboard: { $what }
economy-board-xp = { $xp } XP
economy-board-hunt-count = { $hunts } hunts
economy-board-empty = Nobody here yet.

## bank
economy-bank-interest = Interest: { $rate } % per day, up to { $cap } per payment
economy-deposit-title = Deposit
economy-deposit-text = You deposited **{ $amount }**.
economy-withdraw-title = Withdrawal
economy-withdraw-text = You withdrew **{ $amount }**.
economy-bank-empty = Your bank is empty.
economy-bank-holds-only = Your bank holds only { $available }; you asked for { $needed }.

## daily, weekly, work, beg
economy-daily-title = Daily reward
economy-daily-claimed = You claimed **{ $reward }**.
economy-daily-claimed-bonus = You claimed **{ $reward }** ({ $base } + { $bonus } streak bonus).
economy-daily-streak-lost = You missed a day, so your streak starts again.
economy-streak = Streak
economy-streak-days = 🔥 { $days } { $days ->
        [one] day
       *[other] days
    }
economy-best-streak = Best streak
economy-next-claim = Next claim
economy-weekly-title = Weekly reward
economy-weekly-claimed = You claimed **{ $reward }**.
economy-work-title = Work
economy-work-text = You { $job } and earned **{ $earned }**.
economy-work-again = Work again
economy-beg-title = Beg
economy-beg-given = A kind stranger gave you **{ $earned }**.
economy-beg-nothing = Nobody gave you anything this time.
economy-beg-again = Beg again

## games
economy-cannot-bet = Can't bet that: { $reason }.
economy-bet-error-not-positive = the bet must be more than zero
economy-bet-error-below-min = the smallest bet is { $min } Chrons
economy-bet-error-above-max = the largest bet is { $max } Chrons
economy-bet-error-invalid-choice = two dice total between 2 and 12
economy-game-coinflip = Coinflip
economy-game-slots = Slots
economy-game-dice = Dice
economy-game-won-title = { $game }: you won!
economy-game-won = You won **{ $amount }**.
economy-game-lost-title = { $game }: you lost
economy-game-lost = You lost **{ $amount }**.
economy-bet = Bet
economy-payout = Payout

## shop, market, trade
economy-no-such-item = There is no item called `{ $item }`. `shop` lists them.
economy-no-such-goods = There is no item or creature called `{ $item }`. `shop` lists the items.
economy-shop-title = Shop
economy-shop-not-sold = not sold
economy-shop-line = { $item }
    {"  "}buy { $buy } • sells for { $sell } • { $description }
economy-shop-footer = buy <item> [quantity] • sell <item> [quantity]
economy-buy-title = Purchase
economy-buy-text = You bought { $quantity } × { $item } for **{ $total }**.
economy-you-own = You own
economy-quantity-range = The quantity must be between 1 and { $max }.
economy-cannot-sell = That can't be sold.
economy-sell-title = Sold
economy-sell-text = You sold { $quantity } × { $item } for **{ $total }**.
economy-listing-line = `#{ $id }` { $quantity } × { $item } for **{ $price }** by { $seller }
economy-market-title = Market
economy-market-empty = No listings yet. `market sell <item> <quantity> <price>` lists one.
economy-list-at-least-one = List at least one.
economy-listed-title = Listed
economy-listed-footer = Others buy it with: market buy { $id }
economy-bought-title = Bought
economy-listing-cancelled-title = Listing cancelled
economy-item-quantity = An item quantity must be at least 1.
economy-offer-nothing = nothing
economy-trade-complete = Trade complete #{ $id }
economy-trade-cancelled = Trade cancelled #{ $id }
economy-trade-offer = Trade offer #{ $id }
economy-trade-gives = { $tick } gives
economy-trade-expires = Expires
economy-trade-self = You can't trade with yourself.
economy-trade-bot = Bots don't trade.
economy-trade-empty = A trade needs something on at least one side.
economy-trade-both-confirm = Both sides press **Confirm** to swap.
economy-trade-cancelled-by = Cancelled by { $user }.
economy-trade-chrons-gone = Someone no longer has the Chrons they offered; nothing was swapped.
economy-trade-items-gone = Someone no longer has the items they offered; nothing was swapped.
economy-trade-swapped = Everything was swapped.
economy-trade-waiting = { $user } confirmed; waiting for the other side.
economy-your-wallet = Your wallet
economy-pay-question = Pay **{ $amount }** to { $to }?
economy-trade-not-found = There is no trade #{ $id }.
economy-trade-not-yours = This trade is not yours.
economy-trade-closed = This trade is already closed.
economy-trade-expired = This trade expired; start a new one.
economy-market-not-found = There is no listing #{ $id }.
economy-market-closed = Listing #{ $id } is no longer for sale.
economy-market-own-listing = You can't buy your own listing; cancel it instead.
economy-market-not-yours = Listing #{ $id } is not yours.
economy-amount-error-empty = please give an amount, like `500`, `2.5k`, `half` or `all`
economy-amount-error-malformed = `{ $text }` is not an amount; try `500`, `2.5k`, `1m`, `half`, `all` or `25%`
economy-amount-error-negative = the amount can't be negative
economy-amount-error-zero = the amount must be more than zero
economy-amount-error-not-whole = Chrons can't be split: `{ $text }` is not a whole number of Chrons
economy-amount-error-bad-percent = a percentage must be between 1% and 100%
economy-amount-error-too-large = that's too much: the most you can use at once is { $max } Chrons

# Notes for the server's gameplay log (large payments and bets).
note-pay = { $from } paid { $amount } to { $to }.
note-bet-won = { $user } bet { $stake } on { $game } and won { $payout }.
note-bet-lost = { $user } bet { $stake } on { $game } and lost it.

# Weapons in trades and on the market
economy-weapon-goods = ⚔️ weapon #{ $id }
economy-weapon-field = Weapon (with its gems)
economy-listing-line-weapon = `#{ $id }` { $item } for **{ $price }** by { $seller }
