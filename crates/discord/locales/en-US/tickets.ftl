# The tickets feature (issue 14).

## Commands (slash descriptions and help texts)
cmd-ticket =
    .description = Support tickets: panels, private ticket channels, transcripts.
cmd-ticket-setup =
    .description = Build a ticket panel step by step (category, staff, pings, topics, message).
cmd-ticket-add =
    .description = Let a member into this ticket.
cmd-ticket-add-opt-user =
    .description = The member to add
cmd-ticket-remove =
    .description = Take a member out of this ticket.
cmd-ticket-remove-opt-user =
    .description = The member to remove
cmd-ticket-rename =
    .description = Rename this ticket's channel.
cmd-ticket-rename-opt-name =
    .description = The new name
cmd-ticket-claim =
    .description = Claim this ticket: you handle it.
cmd-ticket-close =
    .description = Close this ticket (asks to confirm); the transcript goes to the log channel and the opener.
cmd-ticket-close-opt-reason =
    .description = Why it is closed
cmd-ticket-reopen =
    .description = Reopen this closed ticket before its channel is deleted.
cmd-ticket-stats =
    .description = Ticket figures of this server: open, closed, and per staff member.
cmd-ticket-panels =
    .description = This server's ticket panels.
cmd-ticket-edit =
    .description = Change a ticket panel: the setup wizard again, starting from its settings.
cmd-ticket-edit-opt-panel =
    .description = The panel's number (see ticket panels)
cmd-ticket-delete =
    .description = Delete a ticket panel and its message (asks to confirm; its tickets stay).
cmd-ticket-delete-opt-panel =
    .description = The panel's number (see ticket panels)

## ticket (no subcommand)
tickets-intro-title = Tickets
tickets-intro = 🎫 Members open private tickets from a panel's buttons. Admins build a panel with `ticket setup` and manage panels with `ticket panels`, `ticket edit` and `ticket delete`; in a ticket, staff use `ticket claim`, `ticket add`, `ticket remove`, `ticket rename`, `ticket close` and `ticket reopen`; `ticket stats` sums it up.

## Refusals
tickets-refused-title = Ticket
tickets-limit-reached = You already have { $max } open { $max ->
        [one] ticket
       *[other] tickets
    } from this panel: finish it first.
tickets-no-panel = This ticket panel no longer exists.
tickets-already-closed = This ticket is already closed.
tickets-not-closed = This ticket is not closed.
tickets-deleted = This ticket's channel was deleted; open a new ticket instead.
tickets-already-claimed = { $user } already handles this ticket.
tickets-unchanged = Nothing to change: this ticket is already like that.
tickets-not-a-ticket = This channel is not a ticket: use this command in a ticket's channel.
tickets-staff-only = Only this ticket's staff can do that.
tickets-staff-or-opener = Only this ticket's staff or the member who opened it can do that.
tickets-remove-opener = The member who opened this ticket stays in it; close the ticket instead.
tickets-rename-empty = A channel name needs at least one letter or digit.
tickets-open-failed = I could not create the ticket's channel: I need the Manage Channels and Manage Roles permissions (and access to the category). Nothing was opened.

## Panel configuration problems
tickets-panel-no-staff = Pick at least one staff role.
tickets-panel-too-many-roles = Pick at most { $max } roles.
tickets-panel-empty-title = The panel needs a title.
tickets-panel-title-long = The title can be at most { $max } characters long.
tickets-panel-description-long = The message can be at most { $max } characters long.
tickets-panel-too-many-topics = At most { $max } topics.
tickets-panel-topic-long = A topic can be at most { $max } characters long.
tickets-panel-duplicate-topic = The topic “{ $topic }” is listed twice.
tickets-panel-open-limit = Members may have between 1 and { $max } open tickets.

## Setup wizard
tickets-setup-title = Ticket panel
tickets-setup-place-title = Where do tickets go?
tickets-setup-place = Pick the category for ticket channels, the channel that receives transcripts, and how many open tickets one member may have. Tickets are private channels, or private threads of the panel's channel (the thread button).
tickets-setup-category = Category of ticket channels
tickets-setup-no-category = No category
tickets-setup-log = Log channel for transcripts
tickets-setup-no-log = No log channel (transcripts only by DM)
tickets-setup-limit = Open tickets per member
tickets-setup-limit-option = { $count } open { $count ->
        [one] ticket
       *[other] tickets
    } per member
tickets-setup-staff-title = Staff roles
tickets-setup-staff = Members with these roles see every ticket of this panel and can claim, lock, close and reopen them.
tickets-setup-staff-pick = Staff roles
tickets-setup-no-roles = This server has no role I can offer: create a staff role first, then run `ticket setup` again.
tickets-setup-ping-title = Ping roles
tickets-setup-ping = These roles are pinged when a ticket opens (optional).
tickets-setup-ping-pick = Roles to ping
tickets-setup-no-ping = No pings
tickets-setup-topics-title = Topics
tickets-setup-topics = Up to 5 topics become one button each on the panel, more (at most { $max }) a menu to pick from; without topics the panel has one “Open a ticket” button.
tickets-setup-topics-edit = Edit topics
tickets-setup-topics-clear = No topics
tickets-setup-topics-label = One topic per line
tickets-setup-no-topics-yet = none: one “Open a ticket” button
tickets-setup-message-title = Panel message
tickets-setup-message = The title and text members read above the buttons.
tickets-setup-message-edit = Edit message
tickets-setup-done-title = Ticket panel created
tickets-setup-done = Panel #{ $id } is posted in { $channel }.
tickets-default-title = Support
tickets-default-message = Need help? Click a button below to open a private ticket with our staff.
tickets-none = none

## Fields
tickets-field-category = Category
tickets-field-log = Log channel
tickets-field-limit = Open tickets per member
tickets-field-staff = Staff roles
tickets-field-ping = Ping roles
tickets-field-topics = Topics
tickets-field-title = Title
tickets-field-message = Message
tickets-field-opener = Opened by
tickets-field-topic = Topic
tickets-field-claimed-by = Claimed by
tickets-field-closed-by = Closed by
tickets-field-reason = Reason
tickets-field-messages = Messages
tickets-field-transcript = Transcript

## Panel and ticket messages
tickets-open-button = Open a ticket
tickets-opened-title = Ticket { $number } opened
tickets-opened = Your ticket is { $channel }.
tickets-channel-topic = Ticket { $number } opened by { $user }
tickets-ticket-title = Ticket { $number }
tickets-ticket-welcome = Welcome { $user }! Describe what you need; our staff will be with you soon. Use the buttons below to close the ticket or get its transcript.
tickets-button-claim = Claim
tickets-button-close = Close
tickets-button-transcript = Transcript
tickets-button-lock = Lock
tickets-button-reopen = Reopen
tickets-claimed-title = Ticket claimed
tickets-claimed = { $user } handles this ticket.
tickets-locked-title = Ticket locked
tickets-locked = { $user } can read this ticket but no longer write in it. Press Lock again to unlock.
tickets-unlocked-title = Ticket unlocked
tickets-unlocked = { $user } can write in this ticket again.
tickets-added-title = Member added
tickets-added = { $user } can now see and write in this ticket.
tickets-removed-title = Member removed
tickets-removed = { $user } no longer sees this ticket.
tickets-renamed-title = Ticket renamed
tickets-renamed = This channel is now #{ $name }.

## Close, transcript, reopen
tickets-close-modal = Close ticket { $number }
tickets-close-reason = Reason (optional)
tickets-close-confirm-title = Close ticket { $number }?
tickets-close-confirm = The transcript goes to the log channel and to the member who opened it, then this channel is deleted. Reason: { $reason }
tickets-closing = Closing…
tickets-closed-title = Ticket { $number } closed
tickets-closed = Closed by { $user }. This channel is deleted { $when } unless staff reopen it.
tickets-closed-log-title = Ticket { $number } closed
tickets-dm-closed = Your ticket on { $guild } was closed. Its transcript is attached.
tickets-delivered-log = 📨 posted in { $channel }
tickets-delivery-log-failed = ⚠️ could not be posted in the log channel
tickets-delivered-dm = 📨 sent to the opener by DM
tickets-delivery-dm-failed = ⚠️ could not be sent by DM (DMs closed)
tickets-transcript-title = Transcript of ticket { $number }
tickets-transcript-ready = The transcript so far, as a web page and as text.
tickets-reopened-title = Ticket { $number } reopened
tickets-reopened = Reopened by { $user }: the channel stays and the opener can write again.

## stats
tickets-stats-title = Tickets
tickets-stats-open = Open
tickets-stats-closed = Closed
tickets-stats-staff = Staff
tickets-stats-line = { $user }: { $claimed } claimed, { $closed } closed

# Issue 14: threads, topic menu, panel edit and delete.
tickets-setup-threads-off = 📁 Tickets open as private channels
tickets-setup-threads-on = 🧵 Tickets open as private threads
tickets-field-kind = Tickets open as
tickets-kind-channels = private channels
tickets-kind-threads = private threads of the panel's channel
tickets-pick-topic = Pick a topic to open a ticket
tickets-panels-title = Ticket panels
tickets-panels-none = This server has no ticket panel yet: `ticket setup` builds one.
tickets-panels-line = **#{ $id }** { $title } in { $channel }: { $topics } topics, { $kind }
tickets-edited-title = Ticket panel updated
tickets-edited = Panel #{ $id } and its message in { $channel } are updated.
tickets-delete-confirm-title = Delete ticket panel #{ $id }?
tickets-delete-confirm = “{ $title }” in { $channel }: its message is deleted and nobody can open tickets from it any more. Open tickets stay.
tickets-panel-deleted-title = Ticket panel deleted
tickets-panel-deleted = Panel #{ $id } is deleted.
