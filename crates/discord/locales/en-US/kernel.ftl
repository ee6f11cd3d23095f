# The kernel's texts: errors, refusals, shared UI parts.
# Placeholders are written { $name }; Chronix turns Fluent's Unicode isolation marks off.

## Refusals (titles of the ❌ embed)
error-title-not-allowed = Not allowed
error-title-module-disabled = Module disabled
error-title-restarting = Restarting
error-title-cooldown = On cooldown
error-title-invalid-input = Invalid input
error-title-server-only = Server only
error-title-cannot = Cannot do that

## Refusals (texts)
error-invalid-input = { $what }
error-missing-tier = You need the **{ $tier }** tier to use `{ $command }`.
error-feature-disabled = The **{ $feature }** module is disabled on this server. An admin can turn it back on with `module enable { $feature }`.
error-guild-only = This command only works in a server.
error-dev-guild-only = Owner and developer commands only work on the development server.
error-shutting-down = Chronix is restarting; try again in a moment.
error-blacklisted = You cannot use Chronix commands.
error-cooldown = Slow down! Try again in { $seconds } s.
error-not-here = You cannot use this command here.
error-usage = Usage: `{ $usage }`
error-needs-subcommand = `{ $command }` needs a subcommand: { $subcommands }.

## Internal errors
error-internal-title = Something went wrong
error-internal-text = That one is on us. The error was logged with id `{ $id }`; mention it if you report the problem.
error-internal-id = Error id
note-error = Error `{ $id }` in { $kind }.
error-report-title = Error { $id }
error-report-command = Command
error-report-user = User
error-report-guild = Guild
error-report-dm = DM
error-report-channel = Channel
error-report-repeats = Repeats not posted
error-report-repeats-value = { $count ->
    [one] The same error happened once more since the last report (at most one report per { $minutes } min).
   *[other] The same error happened { $count } more times since the last report (at most one report per { $minutes } min).
}
error-argument-missing = Something is missing.
error-argument-not-understood = I could not understand `{ $input }`.
error-argument-takes = `{ $command }` takes:
error-argument-required = • `<{ $name }>`: { $description }
error-argument-optional = • `[{ $name }]` (optional): { $description }

## The language's own name (shown by `language show`)
language-name = English

## Buttons and the shared paginator
button-no-longer-valid = This button is no longer valid.
pager-first = ⏮ First
pager-prev = ◀ Prev
pager-next = Next ▶
pager-last = Last ⏭
pager-not-yours-title = Not yours
pager-not-yours = Only { $owner } can turn these pages; run the command yourself to get your own.
pager-sent-privately-title = Sent privately
pager-sent-privately = 📬 I sent it to you in a direct message.
pager-dm-closed-title = Could not send it privately
pager-dm-closed = Your direct messages are closed. Allow them, or use the slash command: its answer only you can see.

## Prefix commands
prefix-listening-title = Chronix is listening
prefix-listening = Type { $help } to see what I can do.
prefix-unknown-title = Unknown command
prefix-unknown = I don't know `{ $command }`. Type { $help } for the list.
prefix-unknown-hint = I don't know `{ $command }`. Did you mean `{ $suggestion }`? Type { $help } for the list.

## The shared confirm dialog
confirm-yes = Confirm
confirm-no = Cancel
confirm-cancelled = ❎ Cancelled: nothing was done.
confirm-timed-out = ⌛ Timed out: nothing was done.
confirm-expired-title = Expired
confirm-expired = ⌛ This is no longer waiting for an answer; nothing was done.
confirm-not-yours = Only { $owner } can answer this.
confirm-expires = ⌛ This expires { $when }.

## The shared wizard (multi-step panel)
wizard-title = Wizard
wizard-step = Step { $step }/{ $total }
wizard-back = ◀ Back
wizard-next = Next ▶
wizard-cancel = Cancel
wizard-confirm = Confirm
wizard-preview = Check your answers, then press Next (or Back to change them).
wizard-confirm-question = Confirm to go ahead with these answers.
wizard-cancelled = ❎ Cancelled: nothing was done.
wizard-expired = ⌛ Expired: nobody answered in time, nothing was done.
wizard-closed = This wizard is finished.
wizard-not-yours = Only { $owner } can answer this wizard; run the command yourself to get your own.
wizard-stale-title = Already changed
wizard-stale = This panel changed since you clicked (another click came first); use the panel as it is now.
wizard-incomplete-title = Not finished
wizard-incomplete = Answer this step before going on.
