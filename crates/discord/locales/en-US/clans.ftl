# The clans feature: clans, treasury, perks, weekly wars.

## Commands (slash descriptions and help texts)
cmd-clan =
    .description = Clans: create one, join one, share a treasury, buy perks, fight weekly wars.
cmd-clan-create =
    .description = Found a clan (it costs Chrons; you get starting BP for perks).
cmd-clan-create-opt-name =
    .description = The clan's name (3 to 24 characters)
cmd-clan-info =
    .description = A clan's card: owner, members, treasury, BP, perks, wars.
cmd-clan-info-opt-name =
    .description = A clan's name (yours if empty)
cmd-clan-list =
    .description = Every clan, by name.
cmd-clan-list-opt-page =
    .description = Page (1 if empty)
cmd-clan-top =
    .description = The strongest clans: war wins, then BP, then treasury.
cmd-clan-invite =
    .description = Invite a player to your clan (manage_clan).
cmd-clan-invite-opt-member =
    .description = The player
cmd-clan-join =
    .description = Join a clan: at once with an invite, else a request an officer approves.
cmd-clan-join-opt-name =
    .description = The clan's name
cmd-clan-requests =
    .description = Pending join requests of your clan, with Approve / Decline buttons.
cmd-clan-leave =
    .description = Leave your clan (the owner transfers or disbands instead).
cmd-clan-kick =
    .description = Remove a member from your clan (manage_clan; officers kick members only).
cmd-clan-kick-opt-member =
    .description = The member
cmd-clan-promote =
    .description = Make a member an officer (owner).
cmd-clan-promote-opt-member =
    .description = The member
cmd-clan-demote =
    .description = Make an officer a plain member again (owner).
cmd-clan-demote-opt-member =
    .description = The officer
cmd-clan-transfer =
    .description = Hand your clan to another member (owner; you become an officer).
cmd-clan-transfer-opt-member =
    .description = The new owner
cmd-clan-disband =
    .description = Disband your clan: the treasury is shared between the members (owner; asks first).
cmd-clan-deposit =
    .description = Put Chrons into your clan's treasury (earns BP).
cmd-clan-deposit-opt-amount =
    .description = How much (500, 2.5k, half, all)
cmd-clan-withdraw =
    .description = Take Chrons out of your clan's treasury (manage_clan).
cmd-clan-withdraw-opt-amount =
    .description = How much (500, 2.5k, half, all)
cmd-clan-perks =
    .description = The perks, their levels and what the next level costs.
cmd-clan-perk =
    .description = Buy the next level of a perk with the clan's BP (manage_clan).
cmd-clan-perk-opt-perk =
    .description = xp_boost, hunt_rate or shop_discount
cmd-clan-log =
    .description = The clan's log: treasury moves, perks, members and wars.
cmd-clan-channel =
    .description = Where the clan's war results are posted (manage_clan; this channel if empty).
cmd-clan-channel-opt-channel =
    .description = A channel (this one if empty)

## Refusals
clans-not-in-clan = You are not in a clan. Found one with `clan create <name>` or ask to join one with `clan join <name>`.
clans-already-in-clan = You are already in a clan (leave it first with `clan leave`).
clans-target-in-clan = { $user } is already in a clan.
clans-target-not-in-clan = { $user } is not in your clan.
clans-not-manager = Only the owner and officers (manage_clan) can do that.
clans-not-owner = Only the clan's owner can do that.
clans-name-taken = The name **{ $name }** is taken.
clans-bad-name = A clan or team name has 3 to 24 characters: letters, digits, spaces and - _ ' .
clans-no-such-clan = There is no clan named **{ $name }**.
clans-full = The clan is full ({ $max } members).
clans-owner-cannot-leave = The owner cannot leave: hand the clan over with `clan transfer @member` or `clan disband` it.
clans-outranked = You cannot do that to { $user } (officers manage plain members only).
clans-yourself = Not on yourself.
clans-same-role = { $user } is already { $role }.
clans-already-pending = That invite or request is already waiting.
clans-no-request = { $user } has no pending request (already handled?).
clans-not-enough-bp = Not enough BP: this needs **{ $needed } BP**, the clan has **{ $available } BP**. Deposits and war wins earn BP.
clans-perk-maxed = { $perk } is at its top level ({ $max }).
clans-treasury-too-small = The treasury has { $available }, not { $needed }.
clans-unknown-perk = `{ $perk }` is not a perk: `xp_boost`, `hunt_rate` or `shop_discount`.

## Words
clans-role = { $role ->
    [owner] 👑 owner
    [officer] ⭐ officer
   *[member] member
}
clans-perk-name = { $perk ->
    [xp_boost] XP boost
    [hunt_rate] Hunt rate
   *[shop_discount] Shop discount
}
clans-perk-effect = { $perk ->
    [xp_boost] More XP from hunts, autohunt and team hunts.
    [hunt_rate] More Chrons from hunts, autohunt and team hunts.
   *[shop_discount] Lower prices in the shop (`buy`).
}
clans-perk-level = level { $level }/{ $max } (+{ $pct } %)
clans-perk-next = next level: { $cost } BP (+{ $pct } %)
clans-perk-top = top level reached
clans-log-kind = { $kind ->
    [create] 🛡️ founded
    [deposit] 📥 deposit
    [withdraw] 📤 withdrawal
    [refund] 💸 refund
    [perk] ✨ perk
    [invite] ✉️ invite
    [join] ➕ joined
    [leave] ➖ left
    [kick] 🚪 kick
    [promote] ⭐ promotion
    [demote] 🔽 demotion
    [transfer] 👑 ownership transfer
    [channel] 📣 war channel
    [war_prize] 🏆 war prize
   *[other] { $kind }
}

## Replies
clans-created-title = Clan founded
clans-created = **{ $name }** is yours. It cost { $cost }; it starts with **{ $bp } BP** to spend on perks (`clan perks`).
clans-info-title = Clan { $name }
clans-field-owner = Owner
clans-field-members = Members
clans-field-treasury = Treasury
clans-field-bp = BP
clans-field-wars = Wars
clans-field-channel = War channel
clans-field-perks = Perks
clans-field-wallet = Your wallet
clans-wars-record = { $wins } won · { $losses } lost
clans-no-channel = none (`clan channel`)
clans-list-title = Clans
clans-list-footer = Page { $page }/{ $pages } · { $total } clans
clans-top-title = Top clans
clans-none-yet = No clan yet. Found the first with `clan create <name>`.
clans-invited-title = Invitation sent
clans-invited = { $user } can join **{ $name }** with `clan join { $name }`.
clans-joined-title = Welcome
clans-joined = You joined **{ $name }**.
clans-requested-title = Join request
clans-requested = { $user } asks to join **{ $name }**. An officer approves with the buttons (or `clan requests`).
clans-request-approved = { $user } joined **{ $name }** (approved by { $officer }).
clans-request-declined = { $user }'s request to join **{ $name }** was declined by { $officer }.
clans-approve = Approve
clans-decline = Decline
clans-requests-title = Join requests of { $name }
clans-no-requests = No pending request.
clans-left-title = Clan left
clans-left = You left **{ $name }**.
clans-kicked-title = Member removed
clans-kicked = { $user } is no longer in **{ $name }**.
clans-role-title = Role changed
clans-role-set = { $user } is now { $role }.
clans-transferred-title = Ownership transferred
clans-transferred = { $user } now owns **{ $name }**; you are an officer.
clans-disband-title = Disband the clan?
clans-disband-question = **{ $name }** and its { $members } member(s) will be gone. The treasury is shared equally between the members (the remainder to the owner).
clans-disbanded = **{ $name }** was disbanded. Refunds:
clans-deposit-title = Deposit
clans-deposited = You put { $amount } into **{ $name }**'s treasury (+{ $bp } BP).
clans-withdraw-title = Withdrawal
clans-withdrew = You took { $amount } out of **{ $name }**'s treasury.
clans-perks-title = Clan perks
clans-perks-text = Bought with BP by the owner and officers (`clan perk <perk>`). Your clan has **{ $bp } BP**.
clans-perk-bought-title = Perk bought
clans-perk-bought = { $perk } is now level **{ $level }** (+{ $pct } %). BP left: **{ $bp }**.
clans-log-title = Log of { $name }
clans-channel-title = War channel
clans-channel-set = The clan's war results will be posted in { $channel }.
clans-hunt-perks-field = 🛡️ Clan perks
clans-hunt-perks = +{ $xp } % XP · +{ $chrons } % Chrons
clans-shop-discount-field = 🏷️ Clan discount
clans-shop-discount = −{ $pct } %
clans-war-title = Weekly clan war
clans-war-result = { $result ->
    [won] 🏆 **{ $name }** beat **{ $opponent }** { $score }–{ $their }!
    [lost] **{ $name }** lost to **{ $opponent }** { $score }–{ $their }.
   *[draw] **{ $name }** and **{ $opponent }** drew { $score }–{ $their }.
}
clans-war-bye = **{ $name }** had no opponent this week (score { $score }).
clans-war-prize = Prize
