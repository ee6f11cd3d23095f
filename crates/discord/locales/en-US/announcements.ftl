# The announcements feature (issue 14).

## Commands (slash descriptions and help texts)
cmd-announce =
    .description = Announcements: build, schedule and broadcast themed announcements.
cmd-announce-setup =
    .description = Build an announcement step by step (channels, template, text, images, buttons, pings, schedule).
cmd-announce-list =
    .description = This server's announcements: drafts and scheduled ones first, then recent ones.
cmd-announce-edit =
    .description = Change a draft or scheduled announcement (opens the wizard on it).
cmd-announce-edit-opt-id =
    .description = The announcement's number (see announce list)
cmd-announce-cancel =
    .description = Cancel a draft or scheduled announcement.
cmd-announce-cancel-opt-id =
    .description = The announcement's number (see announce list)
cmd-announce-send =
    .description = Post an announcement right away.
cmd-announce-send-now =
    .description = Post a draft or scheduled announcement now (a recurring one keeps its schedule).
cmd-announce-send-now-opt-id =
    .description = The announcement's number (see announce list)
cmd-announce-timezone =
    .description = Show or set this server's time zone (schedules use it), e.g. Europe/Paris or UTC.
cmd-announce-timezone-opt-zone =
    .description = An IANA time zone such as Europe/Paris, America/New_York or UTC
cmd-announce-network =
    .description = Networks: broadcast announcements to other servers that opted in.
cmd-announce-network-create =
    .description = Create a network this server publishes to.
cmd-announce-network-create-opt-name =
    .description = Its name
cmd-announce-network-join =
    .description = Ask to receive a network's broadcasts in a channel of this server.
cmd-announce-network-join-opt-id =
    .description = The network's number
cmd-announce-network-join-opt-channel =
    .description = The channel that receives its broadcasts
cmd-announce-network-approve =
    .description = Approve a server's request to join one of this server's networks.
cmd-announce-network-approve-opt-id =
    .description = The network's number
cmd-announce-network-approve-opt-server =
    .description = The id of the server that asked
cmd-announce-network-leave =
    .description = Leave a network (the owner leaving deletes it).
cmd-announce-network-leave-opt-id =
    .description = The network's number
cmd-announce-network-list =
    .description = The networks this server owns (with their servers) and the ones it joined.

## Refusals
announce-refused-title = Announcement
announce-no-such = There is no announcement #{ $id } on this server.
announce-not-active = Announcement #{ $id } is no longer a draft or scheduled (see `announce list`).
announce-nothing-to-post = This schedule has no time left to post: pick a time in the future.
announce-no-network = There is no network #{ $id }.
announce-not-your-network = Network #{ $id } belongs to another server.
announce-own-network = This server owns that network: its announcements reach it already.
announce-no-request = That server is not in this network and did not ask to join it.
announce-too-many-networks = A server can own at most { $max } networks.
announce-bad-network-name = A network name has 1 to 50 characters.
announce-invalid-no-channel = Pick at least one channel.
announce-invalid-channels = Pick at most { $max } channels.
announce-invalid-empty-title = The title cannot be empty.
announce-invalid-title-long = The title can have at most { $max } characters.
announce-invalid-text-long = The text can have at most { $max } characters.
announce-invalid-url = `{ $url }` is not an http(s) link.
announce-invalid-buttons = At most { $max } buttons.
announce-invalid-label = Write each button as `label | https://link`; a label has 1 to { $max } characters.
announce-invalid-roles = Ping at most { $max } roles.
announce-schedule-not-understood = I did not understand that schedule. Write one of: `now`, `in 10m`, `2026-12-24 18:00`, `daily 09:00`, `weekly mon 09:00`, `cron 0 9 * * 1-5`.
announce-schedule-bad-time = Write the time of day as HH:MM (24 hours), e.g. `09:30`.
announce-schedule-bad-day = Write the day of the week as `mon`, `tue`, `wed`, `thu`, `fri`, `sat` or `sun`.
announce-schedule-bad-date = That date or time does not exist in this server's time zone (a daylight-saving change skips it?). Write `YYYY-MM-DD HH:MM`.
announce-schedule-past = That time has already passed.
announce-schedule-too-far = Schedule at most { $days } days ahead.
announce-schedule-bad-cron = That cron expression was refused: { $reason }. Write five fields: minute hour day month weekday, e.g. `0 9 * * 1-5`.
announce-schedule-never = That cron expression never runs (e.g. 30 February).
announce-schedule-bad-duration = Write a delay as a number and a unit: `30s`, `10m`, `2h` or `1d`.

## Words
announce-none = none
announce-status-draft = draft
announce-status-scheduled = scheduled
announce-status-done = posted
announce-status-cancelled = cancelled
announce-status-missed = missed
announce-template-info = Info
announce-template-event = Event
announce-template-update = Update
announce-template-alert = Alert
announce-schedule-draft = Draft: not posted until you schedule or send it.
announce-schedule-now = When you confirm.
announce-schedule-once = Once, { $at }.
announce-schedule-recurring = { $words } ({ $tz })
announce-broadcast-footer = Broadcast from the { $network } network

## Wizard
announce-setup-title = Announcement
announce-setup-channels-title = Where is it posted?
announce-setup-channels = Pick one or several channels. With a network of this server, it is also posted to every server that joined it.
announce-setup-channels-pick = Channels
announce-setup-network-pick = Also broadcast to a network
announce-setup-no-network = No network
announce-setup-template-title = Template
announce-setup-template = Pick the look: 📢 Info, 📅 Event, 🆕 Update or 🚨 Alert.
announce-setup-template-pick = Template
announce-setup-text-title = Title and text
announce-setup-text = Write the title and the text. Mentions written here never ping: pick who is pinged in the pings step.
announce-setup-text-edit = Edit text
announce-setup-media-title = Images
announce-setup-media = A thumbnail (top right) and a large image (bottom), as https links. Both are optional.
announce-setup-media-edit = Set images
announce-setup-media-clear = No images
announce-setup-buttons-title = Link buttons
announce-setup-buttons = Up to { $max } link buttons, one per line as `label | https://link`.
announce-setup-buttons-edit = Edit buttons
announce-setup-buttons-clear = No buttons
announce-setup-buttons-label = One button per line: label | https://link
announce-setup-pings-title = Pings
announce-setup-pings = Pick the roles to ping, and whether to ping @everyone. Nobody else is pinged.
announce-setup-pings-pick = Roles to ping
announce-setup-everyone-on = Ping @everyone
announce-setup-everyone-off = Don't ping @everyone
announce-setup-no-pings = No pings
announce-setup-schedule-title = Schedule
announce-setup-schedule = When is it posted? Times are in this server's time zone, { $tz } (`announce timezone` changes it). Write `now`, `in 10m`, `2026-12-24 18:00`, `daily 09:00`, `weekly mon 09:00` or `cron 0 9 * * 1-5` (minute hour day month weekday).
announce-setup-schedule-edit = Set schedule
announce-setup-schedule-label = When (e.g. daily 09:00)
announce-setup-schedule-now = Send on confirm
announce-setup-schedule-draft = Keep as draft
announce-setup-done-title = Announcement saved
announce-setup-done-scheduled = Announcement #{ $id } is scheduled: next post { $at } (<t:{ $ts }:R>). `announce list` shows it, `announce cancel { $id }` cancels it.
announce-setup-done-draft = Announcement #{ $id } is kept as a draft. `announce send now { $id }` posts it, `announce edit { $id }` schedules it.
announce-field-channels = Channels
announce-field-template = Template
announce-field-title = Title
announce-field-text = Text
announce-field-thumbnail = Thumbnail link
announce-field-image = Image link
announce-field-images = Images
announce-field-buttons = Buttons
announce-field-pings = Pings
announce-field-schedule = Schedule
announce-field-next = Next times
announce-field-network = Network

## list, cancel, send now, timezone
announce-list-title = Announcements
announce-list-empty = No announcements yet: `announce setup` builds one.
announce-list-footer = Times in { $tz }
announce-list-line = { $template } · { $schedule } · next: { $next } · posted { $runs } × · { $channels }
announce-cancelled-title = Announcement cancelled
announce-cancelled = Announcement #{ $id } ({ $title }) is cancelled: it will not be posted again.
announce-sent-title = Announcement sent
announce-sent = Announcement #{ $id } was posted in { $count ->
        [one] { $count } channel
       *[other] { $count } channels
    }: { $channels }
announce-sent-failed = { $count ->
        [one] { $count } channel refused it
       *[other] { $count } channels refused it
    } (deleted, or Chronix may not post there).
announce-timezone-title = Time zone
announce-timezone-show = This server's time zone is { $tz } (it is { $time }). `announce timezone Europe/Paris` changes it.
announce-timezone-set = This server's time zone is now { $tz } (it is { $time }). Schedules use it from their next time on.
announce-timezone-unknown = `{ $zone }` is not a time zone I know. Use an IANA name such as `Europe/Paris`, `America/New_York` or `UTC`.

## network
announce-network-created-title = Network created
announce-network-created = Network #{ $id } ({ $name }) is yours. Other servers join it with `announce network join { $id } #channel`; you approve each with `announce network approve { $id } <server id>`. Pick it in the first step of `announce setup` to broadcast.
announce-network-joined-title = Network
announce-network-joined = This server asked to receive network #{ $id } in { $channel }. Its owner approves with `announce network approve { $id } { $guild }`.
announce-network-joined-approved = Network #{ $id } now posts in { $channel }.
announce-network-channel-elsewhere = Pick a channel of this server.
announce-network-bad-server = Give the server's id (a number).
announce-network-approved-title = Server approved
announce-network-approved = Server { $guild } now receives the broadcasts of network #{ $id }.
announce-network-left-title = Network left
announce-network-left = This server is out of network #{ $id }.
announce-network-list-title = Networks
announce-network-list-empty = This server owns no network and joined none.
announce-network-owned = #{ $id } { $name } (yours)
announce-network-member = Server { $guild }: { $status }
announce-network-joined-field = #{ $id } (joined)
announce-network-membership = Posts in { $channel }: { $status }
announce-network-approved-status = approved
announce-network-pending-status = waiting for approval
