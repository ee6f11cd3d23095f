# The items feature, weapons and gem sockets (issue 10).

## Shared
items-element = { $element ->
        [fire] 🔥 Fire
        [ice] ❄️ Ice
        [shadow] 🌑 Shadow
        [lightning] ⚡ Lightning
        [nature] 🌿 Nature
        [storm] 🌪️ Storm
        [light] ☀️ Light
        [arcane] 🔮 Arcane
       *[other] { $element }
    }
items-weapon-stats = ⚔️ { $attack } · 🎯 { $crit } · 💎 { $used }/{ $slots }
items-weapon-stat-extra = { $stat ->
        [defense] {" · "}🛡️ +{ $value }
        [hp] {" · "}❤️ +{ $value }
       *[speed] {" · "}💨 +{ $value }
    }

## Refusals
items-weapon-unknown = You have no weapon `{ $text }`. See your weapons with `weapons`.
items-weapon-not-yours = Weapon #{ $id } is not yours.
items-gem-unknown = You have no gem `{ $text }`. See your gems with `gems`.
items-gem-not-yours = Gem #{ $id } is not yours.
items-gem-not-free = Gem #{ $gem } is already socketed in weapon #{ $weapon }.
items-weapon-nothing-equipped = You have no weapon equipped.
items-weapon-changed = This weapon changed since you were asked (another action ran first); nothing was done. Try again.
items-weapon-max-level = This weapon is at the top level (+{ $max }).
items-weapon-not-enough-chrons = That costs { $cost }; you have { $balance }.
items-weapon-not-enough-materials = That takes { $needed } × { $material }; you have { $available }.
items-weapon-no-free-slot = { $slots ->
        [0] This weapon has no gem slot.
        [one] This weapon's only gem slot is filled.
       *[other] All { $slots } gem slots of this weapon are filled.
    } Unsocket a gem first (`gem unsocket`).
items-weapon-empty-slot = Slot { $slot } of this weapon holds no gem.

## weapons (list)
items-weapons-title = Your weapons
items-weapons-none = No weapons yet. Crates drop them (`crate open`).
items-weapons-line-equipped = { $weapon } ✅ equipped
items-weapons-footer = { $count ->
        [one] { $count } weapon
       *[other] { $count } weapons
    } · page { $page }/{ $pages } · `weapon info <weapon>`

## weapon info
items-weapon-field-rarity = Rarity
items-weapon-field-element = Element
items-weapon-field-level = Level
items-weapon-field-stats = 📊 Stats
items-weapon-field-gems = 💎 Gem slots
items-weapon-field-next = ⬆️ Next enhancement
items-weapon-slot-gem = { $slot }. { $gem } (`#{ $id }`)
items-weapon-slot-empty = { $slot }. — empty —
items-weapon-no-slots = This weapon has no gem slot.
items-weapon-next = { $cost } + { $materials } × { $material } · { $chance } % chance
items-weapon-next-max = Top level reached.
items-weapon-footer = #{ $id } · `weapon equip { $id }` · `weapon enhance { $id }` · `gem empower { $id } <gem>`
items-weapon-footer-equipped = #{ $id } · equipped · `weapon enhance { $id }` · `gem empower { $id } <gem>`

## weapon equip / unequip
items-weapon-equipped-title = Weapon equipped
items-weapon-equipped = You wield { $weapon }.
items-weapon-replaced = Weapon #{ $id } went back to your arsenal.
items-weapon-unequipped-title = Weapon unequipped
items-weapon-unequipped = { $weapon } went back to your arsenal.

## weapon enhance
items-enhance-title = Enhance
items-enhance-question = Enhance { $weapon } from +{ $from } to +{ $to }?
    Success chance: **{ $chance } %**. It costs { $cost } and { $materials } × { $material }, paid whether it succeeds or fails.
    On failure: { $failure }
items-enhance-failure-keep = the weapon keeps its level.
items-enhance-failure-drop = the weapon drops to +{ $level }.
items-enhance-attack-on-success = ⚔️ Attack on success
items-enhance-success-title = Enhanced!
items-enhance-success = ✅ { $weapon } ({ $chance } % chance)
items-enhance-failure-title = The enhancement failed
items-enhance-failure = 💥 { $weapon } ({ $chance } % chance)
items-enhance-materials-paid = −{ $used } · { $left } left

## weapon scrap
items-scrap-title = Scrap
items-scrap-question = Scrap { $weapon } for { $materials } × { $material }? It is destroyed for good.
items-scrap-gems-back = { $count ->
        [one] Its gem comes back to your inventory.
       *[other] Its { $count } gems come back to your inventory.
    }
items-scrap-equipped = It is your equipped weapon.
items-scrap-done-title = Weapon scrapped
items-scrap-done = { $weapon } became { $materials } × { $material } (you have { $total }).{ $gems ->
        [0] {""}
        [one] {" "}Its gem is back in your inventory.
       *[other] {" "}Its { $gems } gems are back in your inventory.
    }

## gem empower / unsocket
items-empower-title = Empower
items-empower-question = Socket { $gem } (`#{ $id }`) into slot { $slot } of { $weapon }?
    Taking it out later costs { $fee }.
items-empower-stat = { $stat ->
        [attack] ⚔️ Attack
        [crit] 🎯 Crit
        [defense] 🛡️ Defense
        [hp] ❤️ HP
       *[speed] 💨 Speed
    }
items-empower-slots = 💎 Slots
items-empower-done-title = Weapon empowered
items-empower-done = { $gem } is in slot { $slot } of { $weapon }.
items-empower-before = Before
items-empower-after = After
items-unsocket-title = Unsocket
items-unsocket-question = Take { $gem } out of slot { $slot } of { $weapon } for { $fee }?
items-unsocket-done-title = Gem unsocketed
items-unsocket-done = { $gem } (`#{ $id }`) is back in your inventory; { $weapon } has a free slot.

# Weapons in trades and on the market
items-weapon-is-equipped = Weapon #{ $id } is equipped; unequip it first (`weapon unequip`).
items-weapon-listed = Weapon #{ $id } is listed on the market (listing #{ $listing }); cancel the listing first.
items-weapon-in-trade = Weapon #{ $id } is already offered in trade #{ $trade }.
items-weapon-not-theirs = Weapon #{ $id } does not belong to the player you trade with.
