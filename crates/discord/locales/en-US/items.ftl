# The items feature: crates (and later gems, the forge, weapons and pets).

## Commands (slash descriptions and help texts)
cmd-crates =
    .description = Your crates (with your pity count) and the crates on offer.
cmd-crate =
    .description = Your crates: list them, open them.
cmd-crate-list =
    .description = Your crates and the crates on offer.
cmd-crate-open =
    .description = Open crates: crate open basic 3, or crate open all.
cmd-crate-open-opt-kind =
    .description = Crate type (basic, advanced…) or all
cmd-crate-open-opt-count =
    .description = How many (1 if empty, at most 50)
cmd-opencrate =
    .description = Open crates (same as crate open).
cmd-opencrate-opt-kind =
    .description = Crate type (basic, advanced…) or all
cmd-opencrate-opt-count =
    .description = How many (1 if empty, at most 50)
## weapons and gem sockets (their texts: weapons.ftl)
cmd-weapons =
    .description = Your weapons, with their stats (paged).
cmd-weapon =
    .description = Your weapons: info, equip, unequip, enhance, scrap.
cmd-weapon-list =
    .description = Your weapons, with their stats (paged).
cmd-weapon-info =
    .description = A weapon's stats, gems and next enhancement.
cmd-weapon-info-opt-weapon =
    .description = Your weapon (name or id)
cmd-weapon-equip =
    .description = Equip a weapon (the one equipped before is unequipped).
cmd-weapon-equip-opt-weapon =
    .description = Your weapon (name or id)
cmd-weapon-unequip =
    .description = Unequip your equipped weapon.
cmd-weapon-enhance =
    .description = Enhance a weapon one level (Chrons and materials; the chance is shown first).
cmd-weapon-enhance-opt-weapon =
    .description = Your weapon (name or id)
cmd-weapon-scrap =
    .description = Scrap a weapon for materials (its gems come back to you).
cmd-weapon-scrap-opt-weapon =
    .description = Your weapon (name or id)
cmd-gem =
    .description = Gems in weapons: empower (socket) and unsocket.
cmd-gem-empower =
    .description = Socket a gem into a weapon (its stats before and after are shown first).
cmd-gem-empower-opt-weapon =
    .description = Your weapon (name or id)
cmd-gem-empower-opt-gem =
    .description = A free gem of yours (type or id)
cmd-gem-unsocket =
    .description = Take a gem out of a weapon, for a fee.
cmd-gem-unsocket-opt-weapon =
    .description = Your weapon (name or id)
cmd-gem-unsocket-opt-slot =
    .description = The slot (1, 2…) to empty
cmd-empower =
    .description = Socket a gem into a weapon (same as gem empower).
cmd-empower-opt-weapon =
    .description = Your weapon (name or id)
cmd-empower-opt-gem =
    .description = A free gem of yours (type or id)

## Shared
items-rarity = { $rarity ->
        [common] Common
        [rare] Rare
        [epic] Epic
        [legendary] Legendary
        [mythic] Mythic
        [celestial] Celestial
       *[other] { $rarity }
    }

## crates
items-crates-title = { $user }'s crates
items-crates-none = 📦 No crates yet. Hunts find them, the `shop` sells some.
items-crates-owned-line = { $label } (`{ $id }`) ×{ $count }
items-crates-pity = · pity { $misses }/{ $after } toward { $rarity }
items-crates-on-offer = 🛒 On offer
items-crates-offer = { $label } (`{ $id }`) · { $price }
items-crates-offer-event = { $label } (`{ $id }`) · { $price } · event ends { $ends }
items-crates-not-sold = found, not sold
items-crates-footer = Open with `crate open <type> [count]` or `crate open all`.
items-crates-count = { $count ->
        [one] { $count } crate
       *[other] { $count } crates
    }

## crate open
items-autocomplete-all = 📦 All my crates
items-crate-unknown = There is no crate called `{ $name }`. Crates: { $known }.
items-crate-not-enough = You have { $available } × { $label }, not { $needed }.
items-count-range = Open between 1 and { $max } crates at once.
items-no-crates = You have no crates to open. Hunts find them, the `shop` sells some.
items-reveal-title = Opening { $what }…
items-reveal-shaking = { $icon } *The crate shakes…* 💥
items-reveal-glow = ✨ A { $emoji } **{ $rarity }** glow bursts out!
items-reveal-glow-none = ✨ The lid creaks open…
items-opened-title = { $what } opened!
items-field-loot = 🎒 Loot
items-field-best = 🏆 Best finds
items-field-summary = 📊 By rarity
items-field-chrons = 💠 Chrons
items-chrons = +{ $gained } · balance { $balance }
items-field-left = 📦 Crates left
items-loot-none = Only Chrons this time.
items-loot-more = …and { $count } more (see `inventory`).
items-pity-progress = Pity: { $misses }/{ $after } toward { $rarity }
items-pity-used = ✨ Pity! { $count ->
        [one] A guaranteed drop
       *[other] { $count } guaranteed drops
    } this time.

## gems
cmd-gems =
    .description = Your gems: gems, gems rare, gems ruby, gems epic sapphire.
cmd-gems-opt-filter =
    .description = Only this rarity or gem type
cmd-gems-opt-more =
    .description = Only this rarity or gem type
cmd-forge =
    .description = Forge 3 gems of one type and rarity into 1 of the next rarity (success chance shown first).
cmd-forge-opt-rarity =
    .description = Rarity of the gems to forge (common, rare, epic, legendary, mythic)
cmd-forge-opt-count =
    .description = How many forges (1 if empty, at most 10)
items-gems-title = { $user }'s gems
items-gems-none = 💎 No gems here. Hunts and crates find them.
items-gems-footer = Filter: `gems <rarity> <type>` · forge 3 into 1: `forge <rarity>`
items-gem-line = `#{ $id }` { $gem }
items-gem-line-socketed = `#{ $id }` { $gem } · in weapon #{ $weapon }
items-gems-unknown-filter = `{ $text }` is neither a rarity (common … celestial) nor a gem type.
items-unknown-rarity = `{ $text }` is not a rarity: common, rare, epic, legendary, mythic or celestial.

## forge
items-forge-title = Forge
items-forge-top = Celestial gems are the highest rarity: they cannot be forged.
items-forge-not-enough = { $count ->
        [one] A forge takes { $inputs } free { $rarity } gems of one type
       *[other] { $count } forges take { $inputs } free { $rarity } gems of one type each
    }; you have enough for { $possible }.
items-forge-question = Forge { $count ->
        [one] { $inputs } { $rarity } gems into 1 { $target } gem
       *[other] { $count } times { $inputs } { $rarity } gems into { $target } gems
    }?
    Success chance: **{ $chance } %** per forge. On failure the cost is paid, { $lost } gems are lost and { $back } comes back.
    { $gems }
items-forge-wallet = 💠 Wallet
items-forge-success = ✅ { $gem } ({ $chance } % chance)
items-forge-failure = 💥 The forge failed: { $lost } gems lost ({ $chance } % chance)
items-forge-done = { $count ->
        [one] Forge: { $wins ->
            [0] failed
           *[other] success
        }
       *[other] Forge: { $wins }/{ $count } succeeded
    }
items-forge-paid = −{ $cost } · balance { $balance }

# Note for the server's gameplay log (Legendary and better crate finds).
note-crate-rare = { $user } opened { $what } and found { $rarity } loot.
