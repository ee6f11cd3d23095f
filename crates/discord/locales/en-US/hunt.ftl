# The hunt feature.

## Commands (slash descriptions and help texts)
cmd-hunt =
    .description = Go hunting: XP, Chrons and maybe a creature, a gem or a crate.
cmd-inventory =
    .description = Your creatures, gems and crates.

## hunt
hunt-title = Hunt
hunt-caught = You caught { $rarity_emoji } { $emoji } **{ $name }** ({ $rarity ->
        [common] Common
        [rare] Rare
        [epic] Epic
        [legendary] Legendary
        [mythic] Mythic
        [celestial] Celestial
       *[other] { $rarity }
    })!
hunt-quiet = 🍃 The woods were quiet: no creature this time.
hunt-lucky-gem = Lucky! You also found 💎 a gem.
hunt-lucky-crate = Lucky! You also found 📦 a crate.
hunt-lucky-gem-and-crate = Lucky! You also found 💎 a gem and 📦 a crate.
hunt-xp = +{ $xp } XP · level { $level }
hunt-xp-level-up = +{ $xp } XP · level { $level } 🎉 level up!
hunt-field-xp = ✨ XP
hunt-field-chrons = 💠 Chrons
hunt-chrons = +{ $gained } · balance { $balance }
hunt-field-loot = 🎒 Loot
hunt-footer = 🏹 { $hunts } { $count ->
        [one] hunt
       *[other] hunts
    } · next hunt in { $secs } s
hunt-footer-best = 🏹 { $hunts } { $count ->
        [one] hunt
       *[other] hunts
    } · best catch { $emoji } { $name } · next hunt in { $secs } s

## inventory
inventory-title = { $user }'s inventory
inventory-empty = 🎒 Empty. Go `hunt`ing!
inventory-creatures = 🐾 Creatures
inventory-items = 🧪 Items
inventory-gems = 💎 Gems
inventory-crates = 📦 Crates
