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

## Direct messages from the scheduler
autohunt-paused-title = Autohunt paused
autohunt-paused = Gameplay was turned off on the server where you started your autohunt, so it is paused: no runs and no charges until an admin turns it back on with `module enable gameplay`, or until you start it on another server with `autohunt enable`.
autohunt-live-lost-title = Autohunt live message stopped
autohunt-live-lost = Your autohunt keeps running, but I stopped updating its live message: { $reason }. Use `autohunt status` to check on it, or `autohunt enable` in another channel for a new live message.
autohunt-live-lost-gone = its channel was deleted
autohunt-live-lost-hidden = I can no longer see or write in its channel

## Live embed
autohunt-status-paused = ⏸️ Paused: gameplay is turned off on the server where it was started
