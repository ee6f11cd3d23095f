# La fonctionnalité objets : caisses (puis gemmes, forge, armes et familiers).

## Commands (slash descriptions and help texts)
cmd-crates =
    .name = caisses
    .description = Vos caisses (avec votre compteur de pitié) et les caisses proposées.
cmd-crate =
    .name = caisse
    .description = Vos caisses : les lister, les ouvrir.
cmd-crate-list =
    .name = liste
    .description = Vos caisses et les caisses proposées.
cmd-crate-open =
    .name = ouvrir
    .description = Ouvrir des caisses : crate open basic 3, ou crate open all.
cmd-crate-open-opt-kind =
    .name = type
    .description = Type de caisse (basic, advanced…) ou all
cmd-crate-open-opt-count =
    .name = nombre
    .description = Combien (1 si vide, 50 au plus)
cmd-opencrate =
    .description = Ouvrir des caisses (comme crate open).
cmd-opencrate-opt-kind =
    .description = Type de caisse (basic, advanced…) ou all
cmd-opencrate-opt-count =
    .description = Combien (1 si vide, 50 au plus)

## armes et châsses de gemmes (leurs textes : weapons.ftl, en anglais pour l'instant)
cmd-weapons =
    .name = armes
    .description = Vos armes, avec leurs statistiques (en pages).
cmd-weapon =
    .name = arme
    .description = Vos armes : infos, équiper, déséquiper, améliorer, recycler.
cmd-weapon-list =
    .name = liste
    .description = Vos armes, avec leurs statistiques (en pages).
cmd-weapon-info =
    .name = infos
    .description = Les statistiques, gemmes et prochaine amélioration d'une arme.
cmd-weapon-info-opt-weapon =
    .name = arme
    .description = Votre arme (nom ou id)
cmd-weapon-equip =
    .name = equiper
    .description = Équiper une arme (celle équipée avant est rangée).
cmd-weapon-equip-opt-weapon =
    .name = arme
    .description = Votre arme (nom ou id)
cmd-weapon-unequip =
    .name = desequiper
    .description = Ranger votre arme équipée.
cmd-weapon-enhance =
    .name = ameliorer
    .description = Améliorer une arme d'un niveau (Chrons et matériaux ; la chance est affichée d'abord).
cmd-weapon-enhance-opt-weapon =
    .name = arme
    .description = Votre arme (nom ou id)
cmd-weapon-scrap =
    .name = recycler
    .description = Recycler une arme en matériaux (ses gemmes vous reviennent).
cmd-weapon-scrap-opt-weapon =
    .name = arme
    .description = Votre arme (nom ou id)
cmd-gem =
    .name = gemme
    .description = Les gemmes dans les armes : sertir et dessertir.
cmd-gem-empower =
    .name = sertir
    .description = Sertir une gemme dans une arme (ses statistiques avant et après sont affichées d'abord).
cmd-gem-empower-opt-weapon =
    .name = arme
    .description = Votre arme (nom ou id)
cmd-gem-empower-opt-gem =
    .name = gemme
    .description = Une gemme libre à vous (type ou id)
cmd-gem-unsocket =
    .name = dessertir
    .description = Retirer une gemme d'une arme, contre des frais.
cmd-gem-unsocket-opt-weapon =
    .name = arme
    .description = Votre arme (nom ou id)
cmd-gem-unsocket-opt-slot =
    .name = emplacement
    .description = L'emplacement (1, 2…) à vider
cmd-empower =
    .description = Sertir une gemme dans une arme (comme gem empower).
cmd-empower-opt-weapon =
    .description = Votre arme (nom ou id)
cmd-empower-opt-gem =
    .description = Une gemme libre à vous (type ou id)

## Shared
items-rarity = { $rarity ->
        [common] Commun
        [rare] Rare
        [epic] Épique
        [legendary] Légendaire
        [mythic] Mythique
        [celestial] Céleste
       *[other] { $rarity }
    }

## crates
items-crates-title = Caisses de { $user }
items-crates-none = 📦 Pas encore de caisses. Les chasses en trouvent, la `shop` en vend.
items-crates-owned-line = { $label } (`{ $id }`) ×{ $count }
items-crates-pity = · pitié { $misses }/{ $after } vers { $rarity }
items-crates-on-offer = 🛒 Proposées
items-crates-offer = { $label } (`{ $id }`) · { $price }
items-crates-offer-event = { $label } (`{ $id }`) · { $price } · l'événement finit { $ends }
items-crates-not-sold = trouvée, pas vendue
items-crates-footer = Ouvrez avec `crate open <type> [nombre]` ou `crate open all`.
items-crates-count = { $count ->
        [one] { $count } caisse
       *[other] { $count } caisses
    }

## crate open
items-autocomplete-all = 📦 Toutes mes caisses
items-crate-unknown = Il n'y a pas de caisse `{ $name }`. Caisses : { $known }.
items-crate-not-enough = Vous avez { $available } × { $label }, pas { $needed }.
items-count-range = Ouvrez entre 1 et { $max } caisses à la fois.
items-no-crates = Vous n'avez aucune caisse à ouvrir. Les chasses en trouvent, la `shop` en vend.
items-reveal-title = Ouverture : { $what }…
items-reveal-shaking = { $icon } *La caisse tremble…* 💥
items-reveal-glow = ✨ Une lueur { $emoji } **{ $rarity }** jaillit !
items-reveal-glow-none = ✨ Le couvercle grince…
items-opened-title = { $what } : ouverte !
items-field-loot = 🎒 Butin
items-field-best = 🏆 Meilleures trouvailles
items-field-summary = 📊 Par rareté
items-field-chrons = 💠 Chrons
items-chrons = +{ $gained } · solde { $balance }
items-field-left = 📦 Caisses restantes
items-loot-none = Seulement des Chrons cette fois.
items-loot-more = …et { $count } de plus (voir `inventory`).
items-pity-progress = Pitié : { $misses }/{ $after } vers { $rarity }
items-pity-used = ✨ Pitié ! { $count ->
        [one] Un butin garanti
       *[other] { $count } butins garantis
    } cette fois.

## gems
cmd-gems =
    .name = gemmes
    .description = Vos gemmes : gems, gems rare, gems ruby, gems epic sapphire.
cmd-gems-opt-filter =
    .name = filtre
    .description = Seulement cette rareté ou ce type de gemme
cmd-gems-opt-more =
    .name = et
    .description = Seulement cette rareté ou ce type de gemme
cmd-forge =
    .name = forger
    .description = Forger 3 gemmes d'un type et d'une rareté en 1 de la rareté suivante (chance affichée avant).
cmd-forge-opt-rarity =
    .name = rarete
    .description = Rareté des gemmes à forger (common, rare, epic, legendary, mythic)
cmd-forge-opt-count =
    .name = nombre
    .description = Combien de forges (1 si vide, 10 au plus)
items-gems-title = Gemmes de { $user }
items-gems-none = 💎 Aucune gemme ici. Les chasses et les caisses en trouvent.
items-gems-footer = Filtrer : `gems <rareté> <type>` · forger 3 en 1 : `forge <rareté>`
items-gem-line = `#{ $id }` { $gem }
items-gem-line-socketed = `#{ $id }` { $gem } · sertie dans l'arme #{ $weapon }
items-gems-unknown-filter = `{ $text }` n'est ni une rareté (common … celestial) ni un type de gemme.
items-unknown-rarity = `{ $text }` n'est pas une rareté : common, rare, epic, legendary, mythic ou celestial.

## forge
items-forge-title = Forge
items-forge-top = Les gemmes célestes sont la rareté la plus haute : on ne peut pas les forger.
items-forge-not-enough = { $count ->
        [one] Une forge prend { $inputs } gemmes { $rarity } libres d'un même type
       *[other] { $count } forges prennent chacune { $inputs } gemmes { $rarity } libres d'un même type
    } ; vous en avez assez pour { $possible }.
items-forge-question = Forger { $count ->
        [one] { $inputs } gemmes { $rarity } en 1 gemme { $target }
       *[other] { $count } fois { $inputs } gemmes { $rarity } en gemmes { $target }
    } ?
    Chance de réussite : **{ $chance } %** par forge. En cas d'échec le coût est payé, { $lost } gemmes sont perdues et { $back } revient.
    { $gems }
items-forge-wallet = 💠 Portefeuille
items-forge-success = ✅ { $gem } ({ $chance } % de chance)
items-forge-failure = 💥 La forge a échoué : { $lost } gemmes perdues ({ $chance } % de chance)
items-forge-done = { $count ->
        [one] Forge : { $wins ->
            [0] échec
           *[other] réussite
        }
       *[other] Forge : { $wins }/{ $count } réussies
    }
items-forge-paid = −{ $cost } · solde { $balance }

# Note pour le journal de jeu du serveur (trouvailles Légendaires et mieux).
note-crate-rare = { $user } a ouvert { $what } et a trouvé un butin { $rarity }.
