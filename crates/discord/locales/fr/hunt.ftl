# La fonctionnalité chasse.

## Commands (slash descriptions and help texts)
cmd-hunt =
    .name = chasse
    .description = Partir à la chasse : XP, Chrons et peut-être une créature, une gemme ou une caisse.
cmd-inventory =
    .name = inventaire
    .description = Vos créatures, gemmes et caisses.

## hunt
hunt-title = Chasse
hunt-caught = Vous avez attrapé { $rarity_emoji } { $emoji } **{ $name }** ({ $rarity ->
        [common] commun
        [rare] rare
        [epic] épique
        [legendary] légendaire
        [mythic] mythique
        [celestial] céleste
       *[other] { $rarity }
    }) !
hunt-quiet = 🍃 Les bois étaient calmes : aucune créature cette fois.
hunt-lucky-gem = Quelle chance ! Vous avez aussi trouvé 💎 une gemme.
hunt-lucky-crate = Quelle chance ! Vous avez aussi trouvé 📦 une caisse.
hunt-lucky-gem-and-crate = Quelle chance ! Vous avez aussi trouvé 💎 une gemme et 📦 une caisse.
hunt-xp = +{ $xp } XP · niveau { $level }
hunt-xp-level-up = +{ $xp } XP · niveau { $level } 🎉 niveau supérieur !
hunt-field-xp = ✨ XP
hunt-field-chrons = 💠 Chrons
hunt-chrons = +{ $gained } · solde { $balance }
hunt-field-loot = 🎒 Butin
hunt-footer = 🏹 { $hunts } { $count ->
        [one] chasse
       *[other] chasses
    } · prochaine chasse dans { $secs } s
hunt-footer-best = 🏹 { $hunts } { $count ->
        [one] chasse
       *[other] chasses
    } · meilleure prise { $emoji } { $name } · prochaine chasse dans { $secs } s

## inventory
inventory-title = Inventaire de { $user }
inventory-empty = 🎒 Vide. Allez chasser avec `hunt` !
inventory-creatures = 🐾 Créatures
inventory-items = 🧪 Objets
inventory-gems = 💎 Gemmes
inventory-crates = 📦 Caisses
