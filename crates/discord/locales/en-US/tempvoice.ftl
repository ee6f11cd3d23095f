# The tempvoice feature: temporary voice channels (issue 15).

## Commands (slash descriptions and help texts)
cmd-vc =
    .description = Temporary voice channels: join a hub to get your own channel.
cmd-vc-setup =
    .description = Set up a "join to create" hub (category, hub channel, name format, limit, bitrate).
cmd-vc-hubs =
    .description = List this server's hubs.
cmd-vc-unhub =
    .description = Stop a channel being a hub (its channels stay until they empty).
cmd-vc-unhub-opt-channel =
    .description = The hub channel
cmd-vc-rename =
    .description = Rename your channel.
cmd-vc-rename-opt-name =
    .description = The new name
cmd-vc-limit =
    .description = Set your channel's user limit (0: none).
cmd-vc-limit-opt-count =
    .description = Most members (0 to 99; 0: no limit)
cmd-vc-lock =
    .description = Lock your channel: only you and permitted members can join.
cmd-vc-unlock =
    .description = Unlock your channel.
cmd-vc-hide =
    .description = Hide your channel from members you did not permit.
cmd-vc-unhide =
    .description = Show your channel again.
cmd-vc-permit =
    .description = Let a member see and join your channel.
cmd-vc-permit-opt-user =
    .description = The member
cmd-vc-kick =
    .description = Disconnect a member from your channel and keep them out.
cmd-vc-kick-opt-user =
    .description = The member
cmd-vc-transfer =
    .description = Give your channel to a member in it.
cmd-vc-transfer-opt-user =
    .description = The new owner
cmd-vc-claim =
    .description = Take over the channel you are in once its owner left.
cmd-vc-persist =
    .description = Keep this channel when it empties, or not (server admins).

## vc (no subcommand)
tempvoice-intro-title = Temporary voice channels
tempvoice-intro = 🔊 Join a hub channel and Chronix makes you your own voice channel and moves you there; it goes away when the last member leaves. In it, use the panel's buttons or `vc rename`, `vc limit`, `vc lock`/`unlock`, `vc hide`/`unhide`, `vc permit`, `vc kick`, `vc transfer`; `vc claim` takes it over once its owner left. Admins: `vc setup`, `vc hubs`, `vc unhub`, `vc persist`.

## Refusals
tempvoice-refused-title = Voice channel
tempvoice-format-empty = The name format is empty.
tempvoice-format-long = The name format is longer than { $max } characters.
tempvoice-limit-range = The user limit is a number from 0 (no limit) to { $max }.
tempvoice-bitrate-range = The bitrate is from { $min } to { $max } kbps.
tempvoice-not-a-number = `{ $given }` is not a whole number.
tempvoice-hub-exists = That channel is already a hub.
tempvoice-no-hub = That channel is not a hub.
tempvoice-not-temporary = That is not a temporary voice channel (any more).
tempvoice-owner-changed = The channel's owner changed meanwhile; try again.
tempvoice-already-owner = That member owns the channel already.
tempvoice-unchanged = The channel is like that already.
tempvoice-not-in-channel = Run this in a temporary voice channel's chat, or join your temporary voice channel first.
tempvoice-owner-only = Only the channel's owner (or a server admin) can do that.
tempvoice-admins-only = Only server admins can make a channel persistent.
tempvoice-already-yours = You own this channel already.
tempvoice-claim-join-first = Join the channel before claiming it.
tempvoice-owner-present = The owner is still in the channel; ask them to transfer it.
tempvoice-rename-empty = The new name is empty.
tempvoice-kick-owner = The owner cannot be kicked from their own channel.
tempvoice-transfer-not-here = Transfer the channel to someone who is in it.
tempvoice-transfer-bot = A bot cannot own a channel.

## Outcomes
tempvoice-renamed-title = Channel renamed
tempvoice-renamed = It is now called **{ $name }**.
tempvoice-limit-title = User limit set
tempvoice-limit-set = At most { $count } { $count ->
        [one] member
       *[other] members
    } can be in the channel.
tempvoice-limit-none = Anyone can join: no user limit.
tempvoice-locked = Channel locked: only the owner and permitted members can join.
tempvoice-unlocked = Channel unlocked.
tempvoice-hidden = Channel hidden: only the owner and permitted members see it.
tempvoice-unhidden = Channel visible again.
tempvoice-permitted-title = Member permitted
tempvoice-permitted = { $user } can now see and join the channel.
tempvoice-kicked-title = Member kicked
tempvoice-kicked = { $user } was disconnected and cannot join again.
tempvoice-transferred-title = Channel transferred
tempvoice-claimed-title = Channel claimed
tempvoice-owner-now = { $user } owns the channel now.
tempvoice-persistent = Channel kept: it stays when empty.
tempvoice-not-persistent = The channel will go when it empties.

## Control panel
tempvoice-panel-title = { $name }
tempvoice-panel = { $user } owns this channel. Use the buttons below, or `vc rename`, `vc limit`, `vc lock`, `vc permit`, `vc kick`, `vc transfer` here. It goes away when everyone has left.
tempvoice-button-lock = Lock
tempvoice-button-unlock = Unlock
tempvoice-button-hide = Hide
tempvoice-button-unhide = Unhide
tempvoice-button-claim = Claim
tempvoice-button-rename = Rename
tempvoice-button-limit = Limit
tempvoice-button-persist = Keep / release
tempvoice-select-permit = Permit a member…
tempvoice-select-kick = Kick a member…
tempvoice-select-transfer = Transfer to…
tempvoice-field-name = New name
tempvoice-field-limit = User limit
tempvoice-audit-created = Temporary voice channel of user { $user }
tempvoice-slow-down-title = Slow down
tempvoice-slow-down = You are making voice channels too fast. Stay in the hub and nothing happens; rejoin it { $at }.

## vc hubs / unhub
tempvoice-hubs-title = Voice hubs
tempvoice-hubs-none = No hub yet: an admin sets one up with `vc setup`.
tempvoice-hubs-line = { $hub }: `{ $format }`, limit { $limit }
tempvoice-unhub-title = Hub removed
tempvoice-unhub = { $hub } is an ordinary voice channel again; the channels made from it stay until they empty.

## vc setup (wizard)
tempvoice-setup-title = Voice hub
tempvoice-setup-place-title = Where do the channels go?
tempvoice-setup-place = Pick the category the new voice channels go in, and the hub members join to get one. Either can be made for you.
tempvoice-setup-category = Category of the new channels
tempvoice-setup-hub = Hub channel ("join to create")
tempvoice-setup-new-category = ➕ Create a new category
tempvoice-setup-new-hub = ➕ Create a new hub channel
tempvoice-setup-settings-title = Channel settings
tempvoice-setup-settings = The name format uses `{"{"}user{"}"}` for the member's name and `{"{"}n{"}"}` for a counter. User limit 0 means none; leave the bitrate empty for Discord's default.
tempvoice-setup-edit = Edit settings
tempvoice-field-category = Category
tempvoice-field-hub = Hub
tempvoice-field-format = Name format
tempvoice-field-example = Example
tempvoice-field-bitrate = Bitrate
tempvoice-field-bitrate-kbps = Bitrate in kbps (8 to 96, empty: default)
tempvoice-kbps = { $kbps } kbps
tempvoice-default = Discord's default
tempvoice-category-name = Voice channels
tempvoice-hub-name = ➕ Join to create
tempvoice-setup-done-title = Voice hub ready
tempvoice-setup-done = Join { $hub } to get your own voice channel in { $category }.
