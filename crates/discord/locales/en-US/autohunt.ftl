# The autohunt feature.

## Commands (slash descriptions and help texts)
cmd-autohunt =
    .description = Automatic hunting every few minutes, paid in Chrons, earning essence.
cmd-autohunt-enable =
    .description = Start autohunting; this message becomes the live status.
cmd-autohunt-disable =
    .description = Stop autohunting.
cmd-autohunt-status =
    .description = Your autohunt: status, last loot, essence and the next upgrade.
cmd-autohunt-upgrade =
    .description = Spend essence on a trait: efficiency, tempo, thrift or essence.
