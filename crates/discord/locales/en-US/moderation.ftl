# The moderation feature: bans, kicks, timeouts, warnings and numbered cases.

## Commands (slash descriptions and help texts)
cmd-ban =
    .description = Ban a user (a duration makes it a temp-ban; --delete 1d deletes their recent messages).
cmd-ban-opt-user =
    .description = Who to ban (a member or a user id)
cmd-ban-opt-duration =
    .description = How long (10m, 2h, 7d, 1h30m); none for a permanent ban
cmd-ban-opt-delete =
    .description = Delete their messages of the last … (at most 7d)
cmd-ban-opt-reason =
    .description = Why
cmd-unban =
    .description = Lift a ban.
cmd-unban-opt-user =
    .description = Who to unban (a user id)
cmd-unban-opt-reason =
    .description = Why
cmd-softban =
    .description = Ban then unban at once: removes the member and their last day of messages.
cmd-softban-opt-user =
    .description = Who to softban
cmd-softban-opt-reason =
    .description = Why
cmd-kick =
    .description = Remove a member from the server (they can join again).
cmd-kick-opt-user =
    .description = Who to kick
cmd-kick-opt-reason =
    .description = Why
cmd-timeout =
    .description = Time a member out with Discord's timeout (10m, 2h, 7d; at most 28 days).
cmd-timeout-opt-user =
    .description = Who to time out
cmd-timeout-opt-duration =
    .description = How long (10m, 2h, 7d, 1h30m; at most 28d)
cmd-timeout-opt-reason =
    .description = Why
cmd-untimeout =
    .description = Lift a member's timeout.
cmd-untimeout-opt-user =
    .description = Whose timeout to lift
cmd-untimeout-opt-reason =
    .description = Why
cmd-warn =
    .description = Warn a member: a case, and a DM to them.
cmd-warn-opt-user =
    .description = Who to warn
cmd-warn-opt-reason =
    .description = Why
cmd-warnings =
    .description = A member's active warnings.
cmd-warnings-opt-user =
    .description = Whose warnings
cmd-unwarn =
    .description = Remove one warning by its case number.
cmd-unwarn-opt-case =
    .description = The warning's case number
cmd-clearwarns =
    .description = Remove every active warning of a member.
cmd-clearwarns-opt-user =
    .description = Whose warnings to remove
cmd-case =
    .description = A case by number (case 12); case reason, case delete.
cmd-case-opt-number =
    .description = Case number
cmd-case-show =
    .description = Show a case.
cmd-case-show-opt-number =
    .description = Case number
cmd-case-reason =
    .description = Set or change a case's reason.
cmd-case-reason-opt-number =
    .description = Case number
cmd-case-reason-opt-reason =
    .description = The new reason
cmd-case-delete =
    .description = Delete a case (admins; recorded in the audit trail; the number is not reused).
cmd-case-delete-opt-number =
    .description = Case number
cmd-modlogs =
    .description = A member's cases on this server, newest first (paged).
cmd-modlogs-opt-user =
    .description = Whose cases
cmd-moddm =
    .description = Whether the target of an action is told by DM on this server (on by default).
cmd-moddm-opt-enabled =
    .description = on or off

## Permissions (as Discord's settings name them)
moderation-perm-ban-members = Ban Members
moderation-perm-kick-members = Kick Members
moderation-perm-moderate-members = Timeout Members

## Refusals
moderation-duration-empty = No duration given: write it like 10m, 2h, 7d or 1h30m.
moderation-duration-missing-unit = `{ $part }` has no unit: add s, m, h, d or w (for example 10m).
moderation-duration-unknown-unit = `{ $part }` is not a time unit: use s, m, h, d or w.
moderation-duration-malformed = `{ $part }` is not a duration: write it like 10m, 2h, 7d or 1h30m.
moderation-duration-zero = The duration must be longer than zero.
moderation-duration-too-long = The duration is too long (at most { $max }).
moderation-reason-too-long = The reason is too long ({ $chars } characters, at most { $max }).
moderation-reason-empty = Write the new reason after the case number.
moderation-delete-without-value = `--delete` needs a duration of at most 7 days (for example `--delete 1d`).
moderation-hierarchy-self = You cannot do that to yourself.
moderation-hierarchy-owner = The server owner cannot be moderated.
moderation-hierarchy-bot = I will not do that to myself.
moderation-hierarchy-moderator = Their highest role is not below yours.
moderation-hierarchy-bot-low = Their highest role is not below mine: move my role above theirs and try again.
moderation-hierarchy-role-moderator = That role is not below your highest role.
moderation-hierarchy-role-bot = That role is not below my highest role: move my role above it and try again.
moderation-hierarchy-role-unassignable = That role cannot be given or taken.
moderation-you-lack = You need the **{ $permission }** permission for this.
moderation-bot-lacks = I am missing the **{ $permission }** permission here: give it to my role and try again.
moderation-not-banned = { $user } is not banned.
moderation-not-member = { $user } is not a member of this server.
moderation-not-timed-out = { $user } is not timed out.
moderation-no-case = There is no case #{ $number } on this server.
moderation-not-a-warning = Case #{ $number } is not an active warning.

## Case kinds
moderation-kind-ban = Ban
moderation-kind-tempban = Temp-ban
moderation-kind-unban = Unban
moderation-kind-softban = Softban
moderation-kind-kick = Kick
moderation-kind-timeout = Timeout
moderation-kind-untimeout = Timeout lifted
moderation-kind-warn = Warning

## Actions done
moderation-done-ban = { $user } was banned
moderation-done-tempban = { $user } was banned for { $duration }
moderation-done-unban = { $user } was unbanned
moderation-done-softban = { $user } was softbanned
moderation-done-kick = { $user } was kicked
moderation-done-timeout = { $user } was timed out for { $duration }
moderation-done-untimeout = { $user }'s timeout was lifted
moderation-done-warn = { $user } was warned
moderation-made-permanent = Their temp-ban (case #{ $number }) is now permanent.
moderation-replaced-tempban = This replaces their running temp-ban (case #{ $number }).
moderation-dm-sent = They were told by DM.
moderation-dm-not-sent = They were not told by DM (their DMs are closed or the server turned it off).
moderation-no-reason = No reason given
moderation-expired-reason = Temp-ban ended (case #{ $number })

## Fields
moderation-field-case = Case
moderation-field-target = User
moderation-field-moderator = Moderator
moderation-field-reason = Reason
moderation-field-created = When
moderation-field-duration = Duration
moderation-field-expires = Ends
moderation-field-status = Status
moderation-status-ends = Ends { $at }
moderation-status-ended = Ended { $at }
moderation-source-manual = Done in Discord; moderator and reason read from the audit log.

## DMs to the target
moderation-dm-ban = You were banned from { $guild }
moderation-dm-tempban = You were banned from { $guild } for { $duration }
moderation-dm-softban = You were removed from { $guild } and your recent messages were deleted
moderation-dm-kick = You were kicked from { $guild }
moderation-dm-timeout = You were timed out in { $guild } for { $duration }
moderation-dm-warn = You were warned in { $guild }

## Cases and warnings
moderation-case-title = Case #{ $number }: { $kind }
moderation-warnings-title = Warnings of { $user } ({ $count })
moderation-warnings-empty = { $user } has no active warnings.
moderation-warnings-line = **#{ $number }** · { $reason } · by { $moderator } · { $at }
moderation-unwarn-done = Warning #{ $number } removed
moderation-unwarn-text = { $user } has one warning less.
moderation-clearwarns-done = { $count ->
    [one] 1 warning of { $user } removed
   *[other] { $count } warnings of { $user } removed
}
moderation-reason-updated = Case #{ $number }: reason updated
moderation-case-deleted = Case #{ $number } deleted
moderation-case-deleted-text = The { $kind } of { $user } is gone from the history; the deletion is recorded in the audit trail.
moderation-modlogs-title = Moderation history
moderation-modlogs-empty = { $user } has no cases on this server.
moderation-modlogs-line = **#{ $number }** { $kind } · { $reason } · by { $moderator } · { $at }
moderation-modlogs-total = { $count ->
    [one] 1 case
   *[other] { $count } cases
}
moderation-dm-setting-on = Targets of moderation actions are now told by DM
moderation-dm-setting-off = Targets of moderation actions are no longer told by DM

## Channel and member tools
cmd-purge =
    .description = Delete recent messages here (filters: a user, bots, links, attachments, embeds, contains <text>).
cmd-purge-opt-count =
    .description = How many recent messages to look at (1 to 1000)
cmd-purge-opt-filters =
    .description = Filters: a user, bots, links, attachments, embeds, contains <text>
cmd-slowmode =
    .description = Set this channel's slowmode (10s, 5m, 1h; off; at most 6h).
cmd-slowmode-opt-delay =
    .description = Delay between messages (10s, 5m, 1h; off)
cmd-nick =
    .description = Set or clear a member's nickname.
cmd-nick-opt-user =
    .description = Whose nickname
cmd-nick-opt-nickname =
    .description = The new nickname (none clears it)
moderation-perm-manage-messages = Manage Messages
moderation-perm-manage-channels = Manage Channels
moderation-perm-manage-nicknames = Manage Nicknames
moderation-perm-manage-roles = Manage Roles
moderation-purge-bad-count = Give how many messages to look at, from 1 to { $max }.
moderation-purge-unknown-filter = `{ $word }` is not a filter: use bots, links, attachments, embeds, a user or contains <text>.
moderation-purge-contains-empty = `contains` needs the text to look for.
moderation-purge-done = { $count ->
    [one] 1 message deleted
   *[other] { $count } messages deleted
}
moderation-purge-detail = Looked at { $looked } · { $bulk } deleted at once · { $single } older than 14 days deleted one by one
moderation-purge-left = { $count ->
    [one] 1 matching message older than 14 days was left (Discord deletes those one at a time; run purge again)
   *[other] { $count } matching messages older than 14 days were left (Discord deletes those one at a time; run purge again)
}
moderation-slowmode-on = Slowmode: one message every { $delay }
moderation-slowmode-off = Slowmode is off
moderation-nick-too-long = A nickname has at most 32 characters.
moderation-nick-title = Nickname changed
moderation-nick-set = { $user } is now called { $nick }.
moderation-nick-cleared = { $user }'s nickname was cleared.

## Mass actions (massban / masskick)
cmd-massban =
    .description = Ban every member a selection matches, after a preview (admin; e.g. `code:abc joined:2h`).
cmd-massban-opt-selection =
    .description = role:, code:, inviter:, joined:, before:, account:, bots; then reason: …
cmd-masskick =
    .description = Kick every member a selection matches, after a preview (admin; e.g. `role:@raid`).
cmd-masskick-opt-selection =
    .description = role:, code:, inviter:, joined:, before:, account:, bots; then reason: …
moderation-kind-massban = Mass ban
moderation-kind-masskick = Mass kick
moderation-mass-no-criterion = Say whom to select: `role:@role`, `code:<invite>`, `inviter:@user`, `joined:2h` (joined within), `before:1d` (joined at least that long ago), `account:7d` (accounts younger than), and `bots` to include bots. Add `reason: …` at the end.
moderation-mass-unknown-word = `{ $word }` is not a selection word (role:, code:, inviter:, joined:, before:, account:, bots; then reason: …).
moderation-mass-repeated = `{ $key }:` is given twice.
moderation-mass-bad-id = `{ $value }` is not a mention or an id.
moderation-mass-bad-span = `{ $value }` is not a duration up to a year (like 30m, 12h, 7d).
moderation-mass-bad-code = `{ $value }` is not an invite code.
moderation-mass-reason-long = The reason is too long (at most 512 characters).
moderation-mass-nobody = No member matches this selection.
moderation-mass-title-ban = Mass ban
moderation-mass-title-kick = Mass kick
moderation-mass-preview-ban = Ban **{ $count }** { $count ->
    [one] member
   *[other] members
}?
moderation-mass-preview-kick = Kick **{ $count }** { $count ->
    [one] member
   *[other] members
}?
moderation-mass-sample = Among them: { $names }{ $more ->
    [0] {""}
   *[other] {" "}and { $more } more
}.
moderation-mass-skipped = Skipped: { $count }
moderation-mass-skip-bot = bots (add `bots` to include them)
moderation-mass-skip-self = yourself
moderation-mass-skip-owner = the server owner
moderation-mass-skip-the-bot = me
moderation-mass-skip-above-you = a role not below yours
moderation-mass-skip-above-bot = a role not below mine
moderation-mass-over-limit = { $count } more matched but one run takes at most { $max } members.
moderation-mass-reason = Reason: { $reason }
moderation-mass-rate-limited = This server started as many mass actions as allowed for now; the next one can start { $at }.
moderation-mass-started = Started: { $count } members. Progress below.
moderation-mass-status-running = Running
moderation-mass-status-cancelled = Cancelled
moderation-mass-status-done = Done
moderation-mass-field-status = Status
moderation-mass-counts = { $done } done · { $failed } failed · { $total } selected
moderation-mass-cancel = Cancel
moderation-mass-cancel-not-yours = Only the moderator who started this run or an administrator can cancel it.
moderation-mass-not-running = This run is already over.
moderation-mass-summary = { $done } of { $total } done, { $failed } failed · selection: { $selection } · reason: { $reason }
## lock, unlock, lockdown
cmd-lock =
    .description = Lock a channel: @everyone can no longer talk (or connect) there; `lock server` locks all.
cmd-lock-opt-channel =
    .description = Which channel (this one if empty)
cmd-lock-opt-reason =
    .description = Why
cmd-unlock =
    .description = Unlock a channel locked with lock: its @everyone permissions are put back exactly.
cmd-unlock-opt-channel =
    .description = Which channel (this one if empty)
cmd-unlock-opt-reason =
    .description = Why
cmd-lockdown =
    .description = Lock every text and voice channel of the server (lockdown end restores them).
cmd-lockdown-opt-reason =
    .description = Why
cmd-lockdown-start =
    .description = Lock every text and voice channel of the server.
cmd-lockdown-start-opt-reason =
    .description = Why
cmd-lockdown-end =
    .description = End the lockdown: every channel it locked gets its permissions back exactly.
moderation-kind-lock = Channel locked
moderation-kind-unlock = Channel unlocked
moderation-kind-lockdown = Server lockdown
moderation-kind-lockdown-end = Lockdown ended
moderation-target-server = the whole server
moderation-field-channel = Channel
moderation-field-scope = Scope
moderation-lock-done = Channel locked
moderation-lock-done-text = { $channel }: @everyone can no longer send messages, create threads or connect here. `unlock` puts the permissions back as they were.
moderation-unlock-done = Channel unlocked
moderation-unlock-done-text = { $channel } has its @everyone permissions back as they were.
moderation-lock-already = { $channel } is locked already: `unlock` it first.
moderation-lock-not-locked = { $channel } was not locked with `lock` or `lockdown`, so there is nothing to restore.
moderation-lock-thread = Threads take their permissions from their channel: lock { $channel } instead.
moderation-lock-thread-orphan = Threads take their permissions from their channel: lock that channel instead.
moderation-lock-unsupported = { $channel } is neither a text nor a voice channel, so it cannot be locked.
moderation-lock-foreign = That channel is not on this server.
moderation-lockdown-none = There is no lockdown to end on this server.
moderation-lockdown-progress = Locking the server…
moderation-lockdown-end-progress = Ending the lockdown…
moderation-lockdown-done = The server is in lockdown
moderation-lockdown-running = The server is in lockdown already
moderation-lockdown-running-text = Started by { $by } { $at }. Channels it had missed are locked now; `lockdown end` restores them all.
moderation-lockdown-field-channels = Channels
moderation-lockdown-counts = { $locked } locked · { $skipped } locked already · { $failed } failed
moderation-lockdown-failed-hint = Some channels could not be locked (I need Manage Roles there): run lockdown again to retry.
moderation-lockdown-end-done = The lockdown is over
moderation-lockdown-end-text = { $restored ->
    [one] 1 channel has its permissions back as they were.
   *[other] { $restored } channels have their permissions back as they were.
}
moderation-lockdown-end-partial = The lockdown is not over yet
moderation-lockdown-end-partial-text = { $restored } restored, { $failed } could not be ({ $channels }): give me Manage Roles there and run `lockdown end` again.

## role add, role remove
cmd-role =
    .description = Give or take a member's role.
cmd-role-add =
    .description = Give a member a role (a mention, an id or its name).
cmd-role-add-opt-user =
    .description = Who gets the role
cmd-role-add-opt-role =
    .description = The role: a mention, its id or its name
cmd-role-remove =
    .description = Take a role from a member (a mention, an id or its name).
cmd-role-remove-opt-user =
    .description = Who loses the role
cmd-role-remove-opt-role =
    .description = The role: a mention, its id or its name
moderation-kind-role-add = Role given
moderation-kind-role-remove = Role taken
moderation-field-role = Role
moderation-done-role-add = { $user } was given a role
moderation-done-role-remove = { $user } lost a role
moderation-role-has = { $user } has { $role } already.
moderation-role-lacks = { $user } does not have { $role }.
moderation-role-arg-empty = Name the role: a mention, its id or its name.
moderation-role-arg-unknown = There is no role `{ $text }` on this server.
moderation-role-arg-ambiguous = `{ $text }` matches { $count } roles: { $names }. Write more of the name, or mention the role.
