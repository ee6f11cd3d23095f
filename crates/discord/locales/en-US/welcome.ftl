# The welcome feature (issue 15): welcome and farewell messages, banner, auto roles, gifts.

## Commands (slash descriptions and help texts)
cmd-welcome =
    .description = Welcome and farewell messages, banner, auto roles and gifts for new members (admin).
cmd-welcome-setup =
    .description = Open the welcomer's setup panel (channels, texts, banner, auto roles, gifts).
cmd-welcome-show =
    .description = Show this server's welcomer settings.
cmd-welcome-enable =
    .description = Turn the welcomer on again with its saved settings.
cmd-welcome-disable =
    .description = Turn the welcomer off (messages, roles and gifts), keeping its settings.
cmd-welcome-test =
    .description = Post the welcome (with its banner) here, as if you had just joined.

## Messages
welcome-inviter-unknown = someone
welcome-embed-title = Welcome to { $server }!
welcome-embed-farewell = Goodbye from { $server }
welcome-banner-headline = WELCOME
welcome-banner-subtitle = Member #{ $position } of { $server }
welcome-none = none
welcome-on = on
welcome-off = off
welcome-refused-title = Welcomer
welcome-style-embed = embed
welcome-style-text = text

## Setup wizard
welcome-setup-title = Welcomer setup
welcome-setup-place-title = Where
welcome-setup-place = Pick the channel for welcomes and the one for farewells (or none), and whether new members also get an intro guide by DM.
welcome-setup-channel = Welcome channel
welcome-setup-farewell-channel = Farewell channel
welcome-setup-dm-toggle = Turn the DM { $state }
welcome-setup-texts-title = Texts
welcome-setup-texts = Placeholders: {"{"}user{"}"}, {"{"}mention{"}"}, {"{"}server{"}"}, {"{"}members{"}"}, {"{"}position{"}"}, {"{"}inviter{"}"}, {"{"}account_age{"}"} (days). Below, each text as you would see it joining now.
welcome-setup-texts-edit = Edit texts
welcome-setup-welcome-label = Welcome
welcome-setup-farewell-label = Farewell
welcome-setup-dm-label = Intro guide (DM)
welcome-setup-welcome-style = Welcome as { $style }
welcome-setup-farewell-style = Farewell as { $style }
welcome-setup-banner-title = Banner
welcome-setup-banner = The welcome can carry a banner: the member's initials and name on a background colour of your choice.
welcome-setup-banner-pick = Banner
welcome-setup-no-banner = No banner
welcome-setup-colour-edit = Custom colour
welcome-setup-colour-label = Colour (#rrggbb)
welcome-colour-blurple = Blurple
welcome-colour-green = Green
welcome-colour-red = Red
welcome-colour-gold = Gold
welcome-colour-dark = Dark
welcome-setup-roles-title = Auto roles
welcome-setup-roles = Roles given to members who join, roles given to bots, and when members get theirs. The roles must be below Chronix's highest role.
welcome-setup-member-roles = Roles for members
welcome-setup-bot-roles = Roles for bots
welcome-setup-when = When
welcome-setup-gifts-title = Gifts
welcome-setup-gifts = A starter kit of Chrons and items (given once per member, also after rejoining) and an XP boost for the first hours (100 % = none).
welcome-setup-gifts-edit = Edit gifts
welcome-setup-starter-label = Starter Chrons (0: none)
welcome-setup-boost-pct-label = XP boost in % (100: none)
welcome-setup-boost-hours-label = XP boost duration in hours
welcome-setup-items-label = Starter items (e.g. hunting_lure x2)
welcome-setup-done-title = Welcomer saved
welcome-setup-done = The welcomer is on. Try it with `welcome test`.

## Fields
welcome-field-channel = Welcome channel
welcome-field-farewell-channel = Farewell channel
welcome-field-dm = Intro guide by DM
welcome-field-welcome = Welcome ({ $style })
welcome-field-farewell = Farewell ({ $style })
welcome-field-dm-text = Intro guide
welcome-field-banner = Banner
welcome-field-roles = Member roles
welcome-field-bot-roles = Bot roles
welcome-field-timing = Roles given
welcome-field-starter = Starter kit
welcome-field-boost = XP boost
welcome-banner-on = on, { $colour }
welcome-timing-now = at once
welcome-timing-delay = after { $minutes ->
    [one] 1 minute
   *[other] { $minutes } minutes
}
welcome-timing-screening = after membership screening
welcome-starter-value = { $chrons } Chrons
welcome-starter-item = { $quantity } × { $item }
welcome-boost-value = { $pct } % for { $hours ->
    [one] 1 hour
   *[other] { $hours } hours
}

## Commands
welcome-show-title = Welcomer
welcome-show-state = The welcomer is { $state }.
welcome-saved-title = Welcomer saved
welcome-enabled = The welcomer is on again.
welcome-disabled = The welcomer is off: no messages, roles or gifts. Its settings are kept; `welcome enable` turns it back on.
welcome-test-title = Welcome test
welcome-test-posted = The welcome is posted in this channel as you would get it.

## Refusals
welcome-role-above-bot = Chronix cannot give **{ $role }**: it is at or above Chronix's highest role. Move Chronix's role above it in the server settings, or pick another role.
welcome-role-managed = Nobody can give **{ $role }**: it is managed by an integration.
welcome-not-a-number = “{ $value }” is not a whole number.
welcome-bad-text = A text must have 1 to { $max } characters.
welcome-bad-roles = At most { $max } roles per list.
welcome-bad-delay = The role delay is at most one day.
welcome-bad-starter = The starter kit is 0 to { $max } Chrons.
welcome-bad-starter-items = Starter items are written `item x2, other_item`: at most { $kinds } kinds, 1 to { $max } of each, each once.
welcome-unknown-item = There is no item `{ $item }` (see `shop` for item ids).
welcome-bad-colour = A colour is written #rrggbb (for example #5865f2).
welcome-bad-boost = The XP boost must be between 100 % and { $pct } %, for at most { $hours } hours.
welcome-bad-duplicate-role = { $role } is listed twice (a role is for members or for bots).
