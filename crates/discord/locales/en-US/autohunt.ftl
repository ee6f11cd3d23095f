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
cmd-autohunt-upgrade-opt-trait =
    .description = The trait to upgrade
    .choice-efficiency = Efficiency
    .choice-tempo = Tempo
    .choice-thrift = Thrift
    .choice-essence = Essence

## Traits (core's `Trait::label`)
autohunt-trait-efficiency = Efficiency
autohunt-trait-tempo = Tempo
autohunt-trait-thrift = Thrift
autohunt-trait-essence = Essence

## status (no session yet), enable, disable
autohunt-title = Autohunt
autohunt-intro = 🤖 Autohunt hunts for you every few minutes, for a few Chrons per run, and earns ✨ essence to upgrade it. Start with `autohunt enable` (`ah on`).
autohunt-low-funds = ⚠️ A run costs { $cost } and you have { $balance }: earn some Chrons first or autohunt stops.
autohunt-not-running = You have no autohunt running. Start one with `autohunt enable`.
autohunt-stopped-title = Autohunt stopped
autohunt-stopped = ⏹️ Autohunt is off. This cycle: { $runs } runs, spent { $spent }, earned { $earned }.

## upgrade
autohunt-no-session = You have no autohunt yet. Start one with `autohunt enable`.
autohunt-upgraded-title = Autohunt upgraded
autohunt-upgraded = { $emoji } **{ $upgrade }** is now level **{ $level }** (−{ $cost } ✨).
autohunt-field-essence-left = ✨ Essence left
autohunt-field-cost = 💠 Cost per run
autohunt-field-interval = ⏱️ Interval
autohunt-field-rolls = 🎯 Rolls per run
# Refusals (core's `AutohuntError`, rendered here; core keeps its Display for logs).
autohunt-error-essence = not enough essence: need { $needed } ✨, have { $have } ✨
autohunt-error-max-level = { $upgrade } is already at its max level ({ $max })
autohunt-error-no-effect-tempo = { $upgrade } would change nothing now: runs are already as frequent as they can be
autohunt-error-no-effect-cost = { $upgrade } would change nothing now: a run already costs as little as it can
autohunt-error-chrons = not enough Chrons for autohunt: a run costs { $cost }, balance is { $balance }

## Direct messages from the scheduler
autohunt-paused-title = Autohunt paused
autohunt-paused = Gameplay was turned off on the server where you started your autohunt, so it is paused: no runs and no charges until an admin turns it back on with `module enable gameplay`, or until you start it on another server with `autohunt enable`.
autohunt-live-lost-title = Autohunt live message stopped
autohunt-live-lost = Your autohunt keeps running, but I stopped updating its live message: { $reason }. Use `autohunt status` to check on it, or `autohunt enable` in another channel for a new live message.
autohunt-live-lost-gone = its channel was deleted
autohunt-live-lost-hidden = I can no longer see or write in its channel
autohunt-broke = ⏹️ Your autohunt stopped: a run costs { $cost } and your wallet holds { $balance }. Earn some Chrons, then restart it with `autohunt enable` (`ah on`).

## Live embed
autohunt-owner = <@{ $user }>'s autohunt
autohunt-field-status = Status
autohunt-status-paused = ⏸️ Paused: gameplay is turned off on the server where it was started
autohunt-status-first = 🟢 Running · first run <t:{ $at }:R>
autohunt-status-next = 🟢 Running · next run <t:{ $at }:R>
autohunt-status-running = 🟢 Running
autohunt-status-broke = 🔴 Stopped: a run costs { $cost }, not enough Chrons
autohunt-status-stopped = ⏸️ Stopped
autohunt-field-last = 🎒 Last loot
autohunt-last-none = — (no run yet)
autohunt-last-nothing = 🍃 nothing · +{ $xp } XP · +{ $earned }
autohunt-last = { $icons } · +{ $xp } XP · +{ $earned }
autohunt-field-essence = ✨ Essence
autohunt-essence = { $essence } (earned { $total } in total)
autohunt-field-cycle = 💠 This cycle
autohunt-cycle = spent { $spent } · earned { $earned } · { $runs } runs
autohunt-field-pets = 🐾 Active pets
autohunt-pets-none = none active
autohunt-pet = { $emoji } { $name } · ⚡ { $stamina }
autohunt-field-next = ⬆️ Next upgrade
autohunt-next-ready = { $emoji } **{ $upgrade }** for { $cost } ✨ — ready: `autohunt upgrade { $command }`
autohunt-next-missing = { $emoji } **{ $upgrade }** for { $cost } ✨ ({ $missing } ✨ to go)
autohunt-next-maxed = Everything is maxed 🏆
autohunt-footer = Level { $level } · { $cost } per run · every { $interval } · { $rolls } roll(s) per run
