# The misc feature.

## Commands (slash descriptions and help texts)
cmd-roll =
    .description = Roll a die (6 sides unless you say otherwise).
cmd-flip =
    .description = Flip a coin.
cmd-serverinfo =
    .description = Facts about this server.

## roll, flip, serverinfo
misc-roll-sides = a die has 2 to 1000 sides
misc-roll-title = Dice roll
misc-roll-text = 🎲 You rolled **{ $value }** (d{ $sides }).
misc-flip-title = Coin flip
misc-flip-heads = Heads
misc-flip-tails = Tails
misc-server-owner = Owner
misc-server-members = Members
misc-server-channels = Channels
misc-server-roles = Roles
misc-server-created = Created
misc-server-id = Id
