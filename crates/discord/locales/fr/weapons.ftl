# La fonctionnalité objets : armes et emplacements de gemmes (ticket 10).

## Shared
items-element = { $element ->
        [fire] 🔥 Feu
        [ice] ❄️ Glace
        [shadow] 🌑 Ombre
        [lightning] ⚡ Foudre
        [nature] 🌿 Nature
        [storm] 🌪️ Tempête
        [light] ☀️ Lumière
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
items-weapon-unknown = Vous n'avez aucune arme `{ $text }`. Voyez vos armes avec `weapons`.
items-weapon-not-yours = L'arme #{ $id } n'est pas à vous.
items-gem-unknown = Vous n'avez aucune gemme `{ $text }`. Voyez vos gemmes avec `gems`.
items-gem-not-yours = La gemme #{ $id } n'est pas à vous.
items-gem-not-free = La gemme #{ $gem } est déjà sertie dans l'arme #{ $weapon }.
items-weapon-nothing-equipped = Vous n'avez aucune arme équipée.
items-weapon-changed = Cette arme a changé depuis la question (une autre action est passée avant) ; rien n'a été fait. Réessayez.
items-weapon-max-level = Cette arme est au niveau maximum (+{ $max }).
items-weapon-not-enough-chrons = Cela coûte { $cost } ; vous avez { $balance }.
items-weapon-not-enough-materials = Il faut { $needed } × { $material } ; vous en avez { $available }.
items-weapon-no-free-slot = { $slots ->
        [0] Cette arme n'a aucun emplacement de gemme.
        [one] Le seul emplacement de gemme de cette arme est occupé.
       *[other] Les { $slots } emplacements de gemme de cette arme sont occupés.
    } Dessertissez d'abord une gemme (`gem unsocket`).
items-weapon-empty-slot = L'emplacement { $slot } de cette arme ne contient aucune gemme.

## weapons (list)
items-weapons-title = Vos armes
items-weapons-none = Pas encore d'armes. Les caisses en donnent (`crate open`).
items-weapons-line-equipped = { $weapon } ✅ équipée
items-weapons-footer = { $count ->
        [one] { $count } arme
       *[other] { $count } armes
    } · page { $page }/{ $pages } · `weapon info <arme>`

## weapon info
items-weapon-field-rarity = Rareté
items-weapon-field-element = Élément
items-weapon-field-level = Niveau
items-weapon-field-stats = 📊 Stats
items-weapon-field-gems = 💎 Emplacements de gemme
items-weapon-field-next = ⬆️ Prochaine amélioration
items-weapon-slot-gem = { $slot }. { $gem } (`#{ $id }`)
items-weapon-slot-empty = { $slot }. — vide —
items-weapon-no-slots = Cette arme n'a aucun emplacement de gemme.
items-weapon-next = { $cost } + { $materials } × { $material } · { $chance } % de chance
items-weapon-next-max = Niveau maximum atteint.
items-weapon-footer = #{ $id } · `weapon equip { $id }` · `weapon enhance { $id }` · `gem empower { $id } <gemme>`
items-weapon-footer-equipped = #{ $id } · équipée · `weapon enhance { $id }` · `gem empower { $id } <gemme>`

## weapon equip / unequip
items-weapon-equipped-title = Arme équipée
items-weapon-equipped = Vous maniez { $weapon }.
items-weapon-replaced = L'arme #{ $id } retourne dans votre arsenal.
items-weapon-unequipped-title = Arme déséquipée
items-weapon-unequipped = { $weapon } retourne dans votre arsenal.

## weapon enhance
items-enhance-title = Amélioration
items-enhance-question = Améliorer { $weapon } de +{ $from } à +{ $to } ?
    Chance de réussite : **{ $chance } %**. Cela coûte { $cost } et { $materials } × { $material }, payés en cas de réussite comme d'échec.
    En cas d'échec : { $failure }
items-enhance-failure-keep = l'arme garde son niveau.
items-enhance-failure-drop = l'arme redescend à +{ $level }.
items-enhance-attack-on-success = ⚔️ Attaque en cas de réussite
items-enhance-success-title = Amélioration réussie !
items-enhance-success = ✅ { $weapon } ({ $chance } % de chance)
items-enhance-failure-title = L'amélioration a échoué
items-enhance-failure = 💥 { $weapon } ({ $chance } % de chance)
items-enhance-materials-paid = −{ $used } · reste { $left }

## weapon scrap
items-scrap-title = Recyclage
items-scrap-question = Recycler { $weapon } contre { $materials } × { $material } ? L'arme est détruite pour de bon.
items-scrap-gems-back = { $count ->
        [one] Sa gemme revient dans votre inventaire.
       *[other] Ses { $count } gemmes reviennent dans votre inventaire.
    }
items-scrap-equipped = C'est votre arme équipée.
items-scrap-done-title = Arme recyclée
items-scrap-done = { $weapon } a donné { $materials } × { $material } (vous en avez { $total }).{ $gems ->
        [0] {""}
        [one] {" "}Sa gemme est de retour dans votre inventaire.
       *[other] {" "}Ses { $gems } gemmes sont de retour dans votre inventaire.
    }

## gem empower / unsocket
items-empower-title = Sertissage
items-empower-question = Sertir { $gem } (`#{ $id }`) dans l'emplacement { $slot } de { $weapon } ?
    La retirer plus tard coûtera { $fee }.
items-empower-stat = { $stat ->
        [attack] ⚔️ Attaque
        [crit] 🎯 Critique
        [defense] 🛡️ Défense
        [hp] ❤️ PV
       *[speed] 💨 Vitesse
    }
items-empower-slots = 💎 Emplacements
items-empower-done-title = Gemme sertie
items-empower-done = { $gem } est dans l'emplacement { $slot } de { $weapon }.
items-empower-before = Avant
items-empower-after = Après
items-unsocket-title = Dessertissage
items-unsocket-question = Retirer { $gem } de l'emplacement { $slot } de { $weapon } pour { $fee } ?
items-unsocket-done-title = Gemme dessertie
items-unsocket-done = { $gem } (`#{ $id }`) est de retour dans votre inventaire ; { $weapon } a un emplacement libre.

# Armes dans les échanges et sur le marché
items-weapon-is-equipped = L'arme #{ $id } est équipée ; déséquipez-la d'abord (`weapon unequip`).
items-weapon-listed = L'arme #{ $id } est en vente sur le marché (annonce #{ $listing }) ; annulez l'annonce d'abord.
items-weapon-in-trade = L'arme #{ $id } est déjà proposée dans l'échange #{ $trade }.
items-weapon-not-theirs = L'arme #{ $id } n'appartient pas au joueur avec qui vous échangez.
