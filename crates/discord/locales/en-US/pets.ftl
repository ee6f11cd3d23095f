# The pets feature: pets, the team, and `use` (consumables and pet food).

## Commands (slash descriptions and help texts)
cmd-pets =
    .description = Your pets (the team first).
cmd-pet =
    .description = Your pets: info, adopt, train, feed, evolve, prestige, release, team.
cmd-pet-list =
    .description = Your pets (the team first).
cmd-pet-info =
    .description = A pet's card: stats, level, stamina, traits and what evolving needs.
cmd-pet-info-opt-pet =
    .description = Your pet (name or #id)
cmd-pet-adopt =
    .description = Adopt a creature you caught as a pet.
cmd-pet-adopt-opt-creature =
    .description = A creature from your inventory
cmd-pet-adopt-opt-name =
    .description = Its name (the creature's name if empty)
cmd-pet-rename =
    .description = Rename a pet (at most 32 characters, no mentions).
cmd-pet-rename-opt-pet =
    .description = Your pet (name or #id)
cmd-pet-rename-opt-name =
    .description = The new name
cmd-pet-train =
    .description = Train a pet: XP for stamina, then it rests.
cmd-pet-train-opt-pet =
    .description = Your pet (name or #id; your first team pet if empty)
cmd-pet-feed =
    .description = Feed a pet: pet food from your inventory restores its stamina.
cmd-pet-feed-opt-pet =
    .description = Your pet (name or #id)
cmd-pet-feed-opt-food =
    .description = Which food (the smallest you own if empty)
cmd-pet-evolve =
    .description = Evolve a pet to its next stage (level and items; asks first).
cmd-pet-evolve-opt-pet =
    .description = Your pet (name or #id)
cmd-pet-prestige =
    .description = Prestige a pet: back to level 1 for a permanent bonus (asks first).
cmd-pet-prestige-opt-pet =
    .description = Your pet (name or #id)
cmd-pet-release =
    .description = Release a pet: it leaves Time Shards behind (asks first).
cmd-pet-release-opt-pet =
    .description = Your pet (name or #id)
cmd-pet-team =
    .description = Your active team (up to 3 pets; autohunt uses it).
cmd-pet-team-show =
    .description = Your active team.
cmd-pet-team-add =
    .description = Put a pet in your active team.
cmd-pet-team-add-opt-pet =
    .description = Your pet (name or #id)
cmd-pet-team-remove =
    .description = Take a pet out of your active team.
cmd-pet-team-remove-opt-pet =
    .description = Your pet (name or #id)
cmd-train =
    .description = Train a pet (same as pet train).
cmd-train-opt-pet =
    .description = Your pet (name or #id; your first team pet if empty)
cmd-use =
    .description = Use an item: a lure, scroll, net or magnet for your next hunts, or pet food.
cmd-use-opt-item =
    .description = The item (name or id)
cmd-use-opt-pet =
    .description = For pet food: the pet (your first team pet if empty)

## Lists and cards
pets-list-title = 🐾 { $user }'s pets
pets-list-empty = No pets yet. Catch a creature with `hunt`, then press **Adopt** or type `pet adopt <creature>`.
pets-list-line = { $team } { $rarity } { $pet } · Lv { $level } ({ $stage }) · ⚡ { $stamina }/{ $max } { $traits }
pets-list-more = …and { $count } more.
pets-list-footer = { $count } of { $max } pets · team { $team }/{ $size } · ⭐ = in the team · `pet info <pet>`
pets-info-title = { $pet }
pets-field-type = Type
pets-type = { $rarity_emoji } { $rarity } { $creature } ({ $element })
pets-field-level = Level
pets-level = Lv **{ $level }**/{ $cap } · { $stage }
    { $bar } { $xp }/{ $need } XP
pets-level-capped = Lv **{ $level }** · { $stage } (level cap: evolve or prestige to grow)
pets-field-stamina = Stamina
pets-field-affinity = Affinity
pets-field-prestige = Prestige
pets-prestige-value = { $count } (+{ $bonus } % stats)
pets-field-team = Team
pets-in-team = ⭐ active
pets-not-in-team = resting
pets-field-stats = Stats
pets-stats = ❤️ { $hp } · ⚔️ { $attack } · 🛡️ { $defense } · 💨 { $speed } · power **{ $power }**
pets-field-traits = Traits
pets-field-next = Next
pets-next-evolution = Evolves into **{ $stage }** at level { $level }: { $cost }
pets-next-prestige = Final stage: at level { $level } it can prestige (+{ $bonus } % stats for good).
pets-free = free
pets-field-stage = Stage
pets-field-power = Power
pets-field-wallet = Your wallet

## Actions
pets-adopt-button = Adopt { $name }
pets-adopted = 🎉 { $pet } joined your pets!
pets-adopted-footer = Put it in your team with `pet team add { $id }`; train it with `pet train { $id }`.
pets-renamed-title = Renamed
pets-renamed = **{ $old }** is now { $pet }.
pets-trained = 🏋️ { $pet } trained: +{ $xp } XP, −{ $stamina } stamina.
pets-level-up = ⬆️ Level up! Now level **{ $level }**.
pets-reached-cap = 🧱 Level { $level } is this stage's cap: `pet evolve` to grow further.
pets-trained-footer = It can train again { $when }.
pets-fed = 🍽️ { $pet } ate { $emoji } { $food }: +{ $gained } stamina ({ $left } left).
pets-evolve-title = Evolve?
pets-evolve-question = Evolve { $pet } into **{ $stage }** for { $cost }? Its level cap becomes { $cap }.
pets-evolved = ✨ { $pet } evolved into **{ $stage }**!
pets-prestige-title = Prestige?
pets-prestige-question = Prestige { $pet }? It goes back to level 1 of the first stage and keeps +{ $bonus } % stats for good.
pets-prestiged = 🌟 { $pet } prestiged ({ $count ->
        [one] once
       *[other] { $count } times
    }).
pets-release-title = Release?
pets-release-question = Release { $pet } (level { $level })? It leaves for good and leaves { $reward } behind.
pets-released-title = Released
pets-released = 👋 { $pet } went back to the wild and left { $reward }.
pets-team-title = ⭐ Your team ({ $count }/{ $size })
pets-team-empty = Nobody in the team. `pet team add <pet>` puts a pet in it.
pets-team-footer = Active pets join your autohunt runs: they spend stamina and gain XP.
pets-team-joined = ✅ { $pet } joined the team.
pets-team-left = { $pet } left the team.
pets-use-title = { $item } in use
pets-used = { $emoji } **{ $item }**: { $effect }
    Applies to your next **{ $hunts }** { $hunts ->
        [one] hunt
       *[other] hunts
    }.
pets-use-footer = Effects of different items add up; using the same item again adds its hunts.

## Refusals
pets-unknown = You have no pet called `{ $pet }`. `pets` lists yours.
pets-none-yet = You have no pets yet. Catch a creature with `hunt`, then `pet adopt <creature>`.
pets-not-yours = Pet #{ $id } is not yours.
pets-team-full = Your team is full ({ $size } pets). Take one out with `pet team remove <pet>` first.
pets-too-many = You have the most pets one player can keep ({ $max }). Release one first.
pets-no-food = You have no { $item }. Buy pet food in the `shop`.
pets-no-food-at-all = You have no pet food. Buy some in the `shop` (🍖 Pet Treat, 🍱 Feast Platter).
pets-no-creature = You have no { $creature } to adopt: catch one with `hunt` (or it was sold).
pets-unknown-creature = There is no creature called `{ $creature }`.
pets-not-food = `{ $item }` is not pet food.
pets-use-not-usable = { $item } can't be used (it is not a consumable or pet food).
pets-adopt-not-yours = This is someone else's catch.
pets-tired = Too tired: { $have } stamina, { $need } needed. Feed it with `pet feed`.
pets-resting = Still resting from training: again { $when }.
pets-level-cap = At level { $cap }, this stage's cap: evolve it (`pet evolve`) to grow further.
pets-stamina-full = Its stamina is already full: the food would be wasted.
pets-level-too-low = Evolving needs level { $need }.
pets-final-stage = It is at its final stage already.
pets-prestige-not-ready = Prestige needs the { $stage } stage at level { $level }.
pets-prestige-max = It has the most prestiges ({ $max }).
pets-name-empty = The name is empty.
pets-name-too-long = Names have at most { $max } characters.
pets-name-forbidden = Names can't contain mentions, `@`, `<`, `>`, backticks or line breaks.
