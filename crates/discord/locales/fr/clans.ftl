# La fonctionnalité clans : clans, trésorerie, avantages, guerres hebdomadaires.

## Commands (slash descriptions and help texts)
cmd-clan =
    .description = Clans : fonder, rejoindre, partager une trésorerie, avantages, guerres hebdomadaires.
cmd-clan-create =
    .description = Fonder un clan (coûte des Chrons ; vous recevez des BP de départ pour les avantages).
cmd-clan-create-opt-name =
    .description = Le nom du clan (3 à 24 caractères)
cmd-clan-info =
    .description = La fiche d'un clan : chef, membres, trésorerie, BP, avantages, guerres.
cmd-clan-info-opt-name =
    .description = Le nom d'un clan (le vôtre si vide)
cmd-clan-list =
    .description = Tous les clans, par nom.
cmd-clan-list-opt-page =
    .description = Page (1 si vide)
cmd-clan-top =
    .description = Les clans les plus forts : victoires en guerre, puis BP, puis trésorerie.
cmd-clan-invite =
    .description = Inviter un joueur dans votre clan (manage_clan).
cmd-clan-invite-opt-member =
    .description = Le joueur
cmd-clan-join =
    .description = Rejoindre un clan : tout de suite avec une invitation, sinon une demande qu'un officier accepte.
cmd-clan-join-opt-name =
    .description = Le nom du clan
cmd-clan-requests =
    .description = Les demandes d'adhésion en attente, avec les boutons Accepter / Refuser.
cmd-clan-leave =
    .description = Quitter votre clan (le chef le transmet ou le dissout).
cmd-clan-kick =
    .description = Exclure un membre de votre clan (manage_clan ; les officiers n'excluent que les membres).
cmd-clan-kick-opt-member =
    .description = Le membre
cmd-clan-promote =
    .description = Nommer un membre officier (chef).
cmd-clan-promote-opt-member =
    .description = Le membre
cmd-clan-demote =
    .description = Rendre un officier simple membre (chef).
cmd-clan-demote-opt-member =
    .description = L'officier
cmd-clan-transfer =
    .description = Transmettre votre clan à un autre membre (chef ; vous devenez officier).
cmd-clan-transfer-opt-member =
    .description = Le nouveau chef
cmd-clan-disband =
    .description = Dissoudre votre clan : la trésorerie est partagée entre les membres (chef ; demande confirmation).
cmd-clan-deposit =
    .description = Verser des Chrons dans la trésorerie du clan (rapporte des BP).
cmd-clan-deposit-opt-amount =
    .description = Combien (500, 2.5k, half, all)
cmd-clan-withdraw =
    .description = Retirer des Chrons de la trésorerie du clan (manage_clan).
cmd-clan-withdraw-opt-amount =
    .description = Combien (500, 2.5k, half, all)
cmd-clan-perks =
    .description = Les avantages, leurs niveaux et le coût du niveau suivant.
cmd-clan-perk =
    .description = Acheter le niveau suivant d'un avantage avec les BP du clan (manage_clan).
cmd-clan-perk-opt-perk =
    .description = xp_boost, hunt_rate ou shop_discount
cmd-clan-log =
    .description = Le journal du clan : trésorerie, avantages, membres et guerres.
cmd-clan-channel =
    .description = Où publier les résultats de guerre du clan (manage_clan ; ce salon si vide).
cmd-clan-channel-opt-channel =
    .description = Un salon (celui-ci si vide)

## Refusals
clans-not-in-clan = Vous n'êtes dans aucun clan. Fondez-en un avec `clan create <nom>` ou demandez à en rejoindre un avec `clan join <nom>`.
clans-already-in-clan = Vous êtes déjà dans un clan (quittez-le d'abord avec `clan leave`).
clans-target-in-clan = { $user } est déjà dans un clan.
clans-target-not-in-clan = { $user } n'est pas dans votre clan.
clans-not-manager = Seuls le chef et les officiers (manage_clan) peuvent faire cela.
clans-not-owner = Seul le chef du clan peut faire cela.
clans-name-taken = Le nom **{ $name }** est déjà pris.
clans-bad-name = Un nom de clan ou d'équipe a 3 à 24 caractères : lettres, chiffres, espaces et - _ ' .
clans-no-such-clan = Aucun clan ne s'appelle **{ $name }**.
clans-full = Le clan est complet ({ $max } membres).
clans-owner-cannot-leave = Le chef ne peut pas partir : transmettez le clan avec `clan transfer @membre` ou dissolvez-le avec `clan disband`.
clans-outranked = Vous ne pouvez pas faire cela à { $user } (les officiers ne gèrent que les simples membres).
clans-yourself = Pas sur vous-même.
clans-same-role = { $user } est déjà { $role }.
clans-already-pending = Cette invitation ou demande attend déjà.
clans-no-request = { $user } n'a pas de demande en attente (déjà traitée ?).
clans-not-enough-bp = Pas assez de BP : il faut **{ $needed } BP**, le clan en a **{ $available } BP**. Les dépôts et les victoires en guerre rapportent des BP.
clans-perk-maxed = { $perk } est à son niveau maximal ({ $max }).
clans-treasury-too-small = La trésorerie contient { $available }, pas { $needed }.
clans-unknown-perk = `{ $perk }` n'est pas un avantage : `xp_boost`, `hunt_rate` ou `shop_discount`.

## Words
clans-role = { $role ->
    [owner] 👑 chef
    [officer] ⭐ officier
   *[member] membre
}
clans-perk-name = { $perk ->
    [xp_boost] Bonus d'XP
    [hunt_rate] Rendement de chasse
   *[shop_discount] Remise en boutique
}
clans-perk-effect = { $perk ->
    [xp_boost] Plus d'XP à la chasse, en chasse auto et en chasse d'équipe.
    [hunt_rate] Plus de Chrons à la chasse, en chasse auto et en chasse d'équipe.
   *[shop_discount] Des prix plus bas en boutique (`buy`).
}
clans-perk-level = niveau { $level }/{ $max } (+{ $pct } %)
clans-perk-next = niveau suivant : { $cost } BP (+{ $pct } %)
clans-perk-top = niveau maximal atteint
clans-log-kind = { $kind ->
    [create] 🛡️ fondation
    [deposit] 📥 dépôt
    [withdraw] 📤 retrait
    [refund] 💸 remboursement
    [perk] ✨ avantage
    [invite] ✉️ invitation
    [join] ➕ arrivée
    [leave] ➖ départ
    [kick] 🚪 exclusion
    [promote] ⭐ promotion
    [demote] 🔽 rétrogradation
    [transfer] 👑 transmission
    [channel] 📣 salon de guerre
    [war_prize] 🏆 prix de guerre
   *[other] { $kind }
}

## Replies
clans-created-title = Clan fondé
clans-created = **{ $name }** est à vous. Il a coûté { $cost } ; il démarre avec **{ $bp } BP** à dépenser en avantages (`clan perks`).
clans-info-title = Clan { $name }
clans-field-owner = Chef
clans-field-members = Membres
clans-field-treasury = Trésorerie
clans-field-bp = BP
clans-field-wars = Guerres
clans-field-channel = Salon de guerre
clans-field-perks = Avantages
clans-field-wallet = Votre portefeuille
clans-wars-record = { $wins } gagnée(s) · { $losses } perdue(s)
clans-no-channel = aucun (`clan channel`)
clans-list-title = Clans
clans-list-footer = Page { $page }/{ $pages } · { $total } clans
clans-top-title = Meilleurs clans
clans-none-yet = Aucun clan pour l'instant. Fondez le premier avec `clan create <nom>`.
clans-invited-title = Invitation envoyée
clans-invited = { $user } peut rejoindre **{ $name }** avec `clan join { $name }`.
clans-joined-title = Bienvenue
clans-joined = Vous avez rejoint **{ $name }**.
clans-requested-title = Demande d'adhésion
clans-requested = { $user } demande à rejoindre **{ $name }**. Un officier accepte avec les boutons (ou `clan requests`).
clans-request-approved = { $user } a rejoint **{ $name }** (accepté par { $officer }).
clans-request-declined = La demande de { $user } pour rejoindre **{ $name }** a été refusée par { $officer }.
clans-approve = Accepter
clans-decline = Refuser
clans-requests-title = Demandes d'adhésion de { $name }
clans-no-requests = Aucune demande en attente.
clans-left-title = Clan quitté
clans-left = Vous avez quitté **{ $name }**.
clans-kicked-title = Membre exclu
clans-kicked = { $user } ne fait plus partie de **{ $name }**.
clans-role-title = Rôle modifié
clans-role-set = { $user } est maintenant { $role }.
clans-transferred-title = Clan transmis
clans-transferred = { $user } est le nouveau chef de **{ $name }** ; vous êtes officier.
clans-disband-title = Dissoudre le clan ?
clans-disband-question = **{ $name }** et ses { $members } membre(s) disparaîtront. La trésorerie est partagée à parts égales entre les membres (le reste au chef).
clans-disbanded = **{ $name }** a été dissous. Remboursements :
clans-deposit-title = Dépôt
clans-deposited = Vous avez versé { $amount } dans la trésorerie de **{ $name }** (+{ $bp } BP).
clans-withdraw-title = Retrait
clans-withdrew = Vous avez retiré { $amount } de la trésorerie de **{ $name }**.
clans-perks-title = Avantages de clan
clans-perks-text = Achetés avec des BP par le chef et les officiers (`clan perk <avantage>`). Votre clan a **{ $bp } BP**.
clans-perk-bought-title = Avantage acheté
clans-perk-bought = { $perk } passe au niveau **{ $level }** (+{ $pct } %). BP restants : **{ $bp }**.
clans-log-title = Journal de { $name }
clans-channel-title = Salon de guerre
clans-channel-set = Les résultats de guerre du clan seront publiés dans { $channel }.
clans-hunt-perks-field = 🛡️ Avantages de clan
clans-hunt-perks = +{ $xp } % d'XP · +{ $chrons } % de Chrons
clans-shop-discount-field = 🏷️ Remise de clan
clans-shop-discount = −{ $pct } %
clans-war-title = Guerre de clans hebdomadaire
clans-war-result = { $result ->
    [won] 🏆 **{ $name }** a battu **{ $opponent }** { $score }–{ $their } !
    [lost] **{ $name }** a perdu contre **{ $opponent }** { $score }–{ $their }.
   *[draw] **{ $name }** et **{ $opponent }** font match nul { $score }–{ $their }.
}
clans-war-bye = **{ $name }** n'avait pas d'adversaire cette semaine (score { $score }).
clans-war-prize = Prix
