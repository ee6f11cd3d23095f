# The invites feature (issue 12): who invited whom, counts, leaderboard, rewards.

## Commands (slash descriptions and help texts)
cmd-invites =
    .description = How many members someone invited: regular, fake, left and bonus.
cmd-invites-opt-user =
    .description = Whose invites (default: you)
cmd-invites-show =
    .description = How many members someone invited: regular, fake, left and bonus.
cmd-invites-show-opt-user =
    .description = Whose invites (default: you)
cmd-invites-leaderboard =
    .description = The server's top inviters (paged).
cmd-invites-who =
    .description = Who invited a member, with which invite and when.
cmd-invites-who-opt-user =
    .description = The member
cmd-invites-bonus =
    .description = Add or remove bonus invites (admin, audited).
cmd-invites-bonus-add =
    .description = Give a member bonus invites.
cmd-invites-bonus-add-opt-user =
    .description = The member
cmd-invites-bonus-add-opt-amount =
    .description = How many (1 to 100000)
cmd-invites-bonus-remove =
    .description = Take bonus invites from a member.
cmd-invites-bonus-remove-opt-user =
    .description = The member
cmd-invites-bonus-remove-opt-amount =
    .description = How many (1 to 100000)
cmd-invites-channel =
    .description = Set (or with no channel, turn off) the channel for "X invited Y" lines (admin).
cmd-invites-channel-opt-channel =
    .description = The channel (none: turn off)
cmd-invites-reward =
    .description = Give a role once a member's invites reach a count (admin).
cmd-invites-reward-opt-count =
    .description = Invites needed (at least 1)
cmd-invites-reward-opt-role =
    .description = The role (a mention or an id)
cmd-invites-unreward =
    .description = Remove the role reward at a count (admin).
cmd-invites-unreward-opt-count =
    .description = The count

## Counts
invites-title-own = Your invites
invites-title = Invites of { $user }
invites-total = **{ $total }** invites
invites-field-regular = Regular
invites-field-fake = Fake
invites-field-left = Left
invites-field-bonus = Bonus
invites-field-joined = Joined

## Leaderboard
invites-board-title = Top inviters
invites-board-line = `#{ $rank }` { $user } • **{ $total }** ({ $regular } regular, { $fake } fake, { $left } left, { $bonus } bonus)
invites-board-empty = Nobody has invited anyone yet.

## Who
invites-who-title = How { $user } joined
invites-who-invite = Invited by { $inviter } with the invite `{ $code }`.
invites-who-invite-nobody = Joined with the invite `{ $code }` (its creator is unknown).
invites-who-vanity = Joined through the server's vanity URL.
invites-who-unknown = Joined through an unknown invite (the invites could not be compared).
invites-who-never = I never saw this member join.
invites-who-fake = Yes: a new account

## Admin
invites-refused-title = Invites
invites-bonus-title = Bonus invites
invites-bonus-done = { $user } now has a bonus of **{ $bonus }** (total: { $total }).
invites-bonus-range = The amount must be between 1 and { $max }.
invites-settings-title = Invite settings
invites-channel-set = Join lines now go to { $channel }.
invites-channel-off = Join lines are off.
invites-reward-done = { $role } is given at **{ $count }** invites.
invites-unreward-done = No reward at { $count } invites any more.
invites-reward-zero = A reward needs at least 1 invite.
invites-reward-too-many = At most { $max } reward roles.
invites-bad-role = `{ $role }` is not a role: mention it or give its id.

## The invite channel
invites-joined-line = { $inviter } invited { $user } (total: { $total })
