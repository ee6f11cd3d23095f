# La fonction reactionroles : rôles par réaction et par bouton (ticket 14).

## Commandes
cmd-rr =
    .name = rr
    .description = Rôles par réaction et par bouton : des panneaux où les membres choisissent leurs rôles.
cmd-rr-setup =
    .name = configurer
    .description = Construire un panneau de rôles pas à pas (mode, rôles, émojis, message).
cmd-rr-list =
    .name = liste
    .description = Lister les panneaux de rôles de ce serveur.
cmd-rr-edit =
    .name = modifier
    .description = Changer titre, texte, mode, plafond ou rôles (addrole, removerole, emoji) d'un panneau.
cmd-rr-edit-opt-panel =
    .name = panneau
    .description = Le numéro du panneau (voir rr liste)
cmd-rr-edit-opt-field =
    .name = champ
    .description = title, text, mode, max, addrole, removerole ou emoji
cmd-rr-edit-opt-value =
    .name = valeur
    .description = La nouvelle valeur
cmd-rr-delete =
    .name = supprimer
    .description = Supprimer un panneau de rôles et son message (les membres gardent leurs rôles).
cmd-rr-delete-opt-panel =
    .name = panneau
    .description = Le numéro du panneau (voir rr liste)

## Noms
rr-mode-toggle = Bascule (ajouter et retirer)
rr-mode-single = Unique (un rôle à la fois)
rr-mode-verify = Vérification (ajout seulement)
rr-delivery-reactions = Réactions
rr-delivery-buttons = Boutons
rr-delivery-select = Menu déroulant
rr-none = aucun

## Refus
rr-refused-title = Impossible
rr-no-panel = Il n'y a pas de panneau de rôles de ce numéro sur ce serveur (voir `rr list`).
rr-role-above-bot = Le rôle **{ $role }** est au niveau de mon rôle le plus haut ou au-dessus : Discord ne me laisse pas le donner. Placez mon rôle au-dessus dans Paramètres du serveur → Rôles, ou choisissez un autre rôle.
rr-role-managed = Le rôle **{ $role }** est géré par une intégration (le rôle d'un bot ou celui des boosters) : personne ne peut le donner.
rr-role-everyone = @everyone est déjà le rôle de chaque membre : il ne se distribue pas.
rr-role-unknown = Le rôle { $role } n'existe plus.
rr-cannot-give = Je ne peux pas changer ce rôle : { $reason }
rr-max-reached = Vous avez déjà { $max ->
    [one] le rôle
   *[other] les { $max } rôles
} que ce panneau permet : retirez-en un d'abord.
rr-verify-keeps = Ce panneau donne des rôles mais ne les reprend pas.
rr-too-many = Choisissez au plus { $max ->
    [one] un rôle
   *[other] { $max } rôles
} sur ce panneau.
rr-dm-refused = Votre choix sur le panneau **{ $title }** n'a rien changé : { $reason }
rr-panel-no-role = Choisissez au moins un rôle.
rr-panel-too-many = Un panneau de ce genre contient au plus { $max } rôles.
rr-panel-duplicate-role = Le rôle { $role } figure deux fois.
rr-panel-duplicate-emoji = L'émoji { $emoji } sert à deux rôles : chaque réaction doit avoir le sien.
rr-panel-missing-emoji = Le rôle { $role } n'a pas d'émoji : un panneau à réactions en demande un par rôle.
rr-panel-empty-title = Le titre ne peut pas être vide.
rr-panel-title-long = Le titre dépasse { $max } caractères.
rr-panel-text-long = Le texte dépasse { $max } caractères.
rr-panel-label-long = Un libellé dépasse { $max } caractères.
rr-panel-max-above = Le plafond par membre ne peut pas dépasser le nombre de rôles ({ $roles }).
rr-edit-bad-mode = Le mode est toggle, single ou verify.
rr-edit-bad-max = Le plafond est un nombre de 0 (aucun) au nombre de rôles.

## Utilisation
rr-done-title = Rôles mis à jour
rr-added = Vous avez maintenant { $roles }.
rr-removed = Vous n'avez plus { $roles }.
rr-added-removed = Vous avez maintenant { $added } à la place de { $removed }.
rr-unchanged = Rien n'a changé : vous avez déjà ce que vous avez choisi.
rr-select-placeholder = Choisissez vos rôles
rr-hint-toggle = Réagissez ou cliquez pour obtenir un rôle ; encore une fois pour le retirer.
rr-hint-toggle-max = Réagissez ou cliquez pour obtenir un rôle (au plus { $max }) ; encore une fois pour le retirer.
rr-hint-single = Un rôle à la fois : en choisir un remplace l'autre.
rr-hint-verify = Choisissez pour obtenir le rôle ; il reste.

## Commandes
rr-intro-title = Rôles par réaction
rr-intro = `rr setup` construit un panneau (réactions, boutons ou menu ; mode bascule, unique ou vérification ; un plafond par membre). `rr list` montre les panneaux, `rr edit <panneau> <title|text|mode|max> <valeur>` en modifie un, `rr delete <panneau>` en supprime un.
rr-list-title = Panneaux de rôles
rr-list-none = Aucun panneau de rôles : `rr setup` en construit un.
rr-list-line = **#{ $id }** { $title } · { $mode } · { $delivery } · plafond { $max }
    { $roles }
    { $link }
rr-edited-title = Panneau mis à jour
rr-edited = Le panneau #{ $id } et son message sont à jour.
rr-deleted-title = Panneau supprimé
rr-deleted = Le panneau #{ $id } et son message ont disparu ; les membres gardent leurs rôles.

## Assistant
rr-setup-title = Panneau de rôles
rr-setup-how-title = Comment les membres choisissent
rr-setup-how = Choisissez le mode (bascule : ajouter et retirer ; unique : un rôle à la fois ; vérification : ajout seulement), la façon de choisir (réactions, boutons ou menu) et, si vous voulez, un plafond de rôles par membre.
rr-setup-mode = Mode
rr-setup-delivery = Réactions, boutons ou menu
rr-setup-max = Rôles au plus par membre
rr-setup-max-none = Sans plafond
rr-setup-max-option = Au plus { $count }
rr-setup-roles-title = Rôles
rr-setup-roles = Choisissez les rôles du panneau (au plus { $max }). Je ne peux donner que des rôles sous mon rôle le plus haut.
rr-setup-roles-pick = Choisir des rôles
rr-setup-no-roles = Ce serveur n'a aucun rôle que je pourrais proposer : créez-en d'abord.
rr-setup-emojis-title = Émojis et libellés
rr-setup-emojis = Une ligne par rôle, dans l'ordre : un émoji (un émoji du serveur comme `<:nom:id>` aussi ; `-` pour aucun sur les boutons et menus), puis le libellé. Les panneaux à réactions demandent un émoji par rôle.
rr-setup-emojis-edit = Modifier émojis et libellés
rr-setup-emojis-label = Une ligne par rôle : émoji libellé
rr-setup-bad-emoji = La ligne { $line } ne commence pas par un émoji.
rr-setup-message-title = Message du panneau
rr-setup-message = Le titre et le texte du panneau ; les rôles sont listés sous le texte.
rr-setup-message-edit = Modifier le message
rr-field-mode = Mode
rr-field-delivery = Les membres choisissent par
rr-field-max = Rôles au plus par membre
rr-field-roles = Rôles
rr-field-title = Titre
rr-field-text = Texte
rr-default-title = Choisissez vos rôles
rr-default-text = Choisissez ci-dessous les rôles que vous voulez.
rr-setup-done-title = Panneau publié
rr-setup-done = Le panneau #{ $id } est en place dans { $channel }.

# rr edit : les rôles d'un panneau.
rr-edit-bad-role = Commencez la valeur par le rôle : une mention ou son id (`rr edit 1 addrole @Rôle 🎮 Joueurs`).
rr-edit-bad-emoji = { $emoji } n'est pas un emoji (tapez-en un, ou un emoji du serveur comme `<:nom:id>`).
rr-edit-not-on-panel = Le rôle { $role } n'est pas sur ce panneau.
