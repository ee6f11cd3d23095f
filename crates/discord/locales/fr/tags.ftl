# La fonction tags : tags et commandes personnalisées (ticket 14).

## Commandes
cmd-tag =
    .name = tag
    .description = Tags : des textes enregistrés que chacun affiche avec `tag <nom>`.
cmd-tag-opt-name =
    .name = nom
    .description = Le nom du tag
cmd-tag-opt-args =
    .name = arguments
    .description = Arguments ({"{"}args{"}"})
cmd-tag-show =
    .name = afficher
    .description = Afficher un tag.
cmd-tag-show-opt-name =
    .name = nom
    .description = Le nom du tag
cmd-tag-show-opt-args =
    .name = arguments
    .description = Arguments ({"{"}args{"}"})
cmd-tag-create =
    .name = creer
    .description = Créer un tag : `tag create <nom> [--embed] [--image <url>] <texte>`.
cmd-tag-create-opt-name =
    .name = nom
    .description = Le nom du tag
cmd-tag-create-opt-content =
    .name = texte
    .description = Son texte ({"{"}user{"}"}, {"{"}server{"}"}, {"{"}args{"}"}…) ; --embed, --image <url> d'abord
cmd-tag-edit =
    .name = modifier
    .description = Changer le texte d'un tag (le vôtre, ou tout tag avec le niveau du serveur).
cmd-tag-edit-opt-name =
    .name = nom
    .description = Le nom du tag
cmd-tag-edit-opt-content =
    .name = texte
    .description = Son nouveau texte ; --embed, --image <url> d'abord
cmd-tag-delete =
    .name = supprimer
    .description = Supprimer un tag (le vôtre, ou tout tag avec le niveau du serveur).
cmd-tag-delete-opt-name =
    .name = nom
    .description = Le nom du tag
cmd-tag-info =
    .name = infos
    .description = Qui a créé un tag, combien de fois il a servi, et comment il s'utilise.
cmd-tag-info-opt-name =
    .name = nom
    .description = Le nom du tag
cmd-tag-list =
    .name = liste
    .description = Lister les tags de ce serveur.
cmd-tag-search =
    .name = chercher
    .description = Chercher des tags par nom.
cmd-tag-search-opt-query =
    .name = recherche
    .description = Une partie du nom
cmd-tag-trigger =
    .name = declencheur
    .description = Faire répondre un tag aux messages qui commencent par son nom (oui ou non).
cmd-tag-trigger-opt-name =
    .name = nom
    .description = Le nom du tag
cmd-tag-trigger-opt-on =
    .name = actif
    .description = oui ou non
cmd-tag-slash =
    .name = slash
    .description = Enregistrer un tag comme commande slash du serveur, /<nom> (oui ou non ; 25 au plus).
cmd-tag-slash-opt-name =
    .name = nom
    .description = Le nom du tag
cmd-tag-slash-opt-on =
    .name = actif
    .description = oui ou non
cmd-tag-cooldown =
    .name = delai
    .description = Secondes d'attente d'un membre entre deux usages d'un tag comme commande (0 : aucune).
cmd-tag-cooldown-opt-name =
    .name = nom
    .description = Le nom du tag
cmd-tag-cooldown-opt-seconds =
    .name = secondes
    .description = Secondes (0 à 86400)
cmd-tag-access =
    .name = acces
    .description = Qui peut créer des tags et gérer ceux des autres : everyone, manage_messages, manage_server, admin.
cmd-tag-access-opt-level =
    .name = niveau
    .description = everyone, manage_messages, manage_server ou admin

## Noms
tags-access-everyone = tous les membres
tags-access-manage-messages = les membres avec Gérer les messages
tags-access-manage-server = les membres avec Gérer le serveur
tags-access-admin = les administrateurs
tags-on = activé
tags-off = désactivé
tags-seconds = { $secs ->
    [0] aucun
    [one] 1 seconde
   *[other] { $secs } secondes
}

## Refus
tags-refused-title = Tag
tags-name-empty = Un tag a besoin d'un nom.
tags-name-long = Un nom de tag fait au plus { $max } caractères.
tags-name-bad = Un nom de tag ne contient que des lettres, des chiffres, - et _ (pas d'espace).
tags-name-reserved = `{ $name }` est une sous-commande de `tag` : choisissez un autre nom.
tags-empty = Un tag a besoin d'un texte ou d'une image.
tags-too-long = Le texte d'un tag fait au plus { $max } caractères.
tags-bad-image = L'image doit être un lien http(s).
tags-cooldown-long = Un délai fait au plus { $max } secondes.
tags-exists = Il y a déjà un tag `{ $name }` sur ce serveur.
tags-no-tag = Il n'y a pas de tag `{ $name }` sur ce serveur (voir `tag list`).
tags-slash-limit = Ce serveur a déjà ses { $max } commandes slash personnalisées : désactivez-en une d'abord.
tags-need-level = Ici, créer des tags est réservé à { $level }.
tags-not-yours = Ce tag appartient à { $owner } : seuls lui ou elle, ou les membres qui gèrent les tags ici, peuvent le changer.
tags-slash-collides = `/{ $name }` est une de mes propres commandes : un tag ne peut pas prendre sa place.
tags-access-bad = Le niveau est everyone, manage_messages, manage_server ou admin.

## Commandes
tags-intro-title = Tags
tags-intro = `tag <nom>` affiche un tag (aussi `chro <nom>` si aucune commande n'a ce nom). `tag create <nom> <texte>` en crée un (`--embed`, `--image <url>` d'abord ; variables `{"{"}user{"}"}`, `{"{"}user.mention{"}"}`, `{"{"}server{"}"}`, `{"{"}channel{"}"}`, `{"{"}args{"}"}`, `{"{"}args.1{"}"}`…). `tag edit/delete/info/list/search` ; commandes personnalisées : `tag trigger <nom> on`, `tag slash <nom> on`, `tag cooldown <nom> <secondes>`.
tags-created-title = Tag créé
tags-created = `{ $name }` est prêt : `tag { $name }` l'affiche.
tags-edited-title = Tag modifié
tags-edited = `{ $name }` a son nouveau texte.
tags-deleted-title = Tag supprimé
tags-deleted = `{ $name }` a disparu.
tags-info-title = Tag { $name }
tags-field-owner = Propriétaire
tags-field-uses = Utilisations
tags-field-created = Créé
tags-field-trigger = Mot déclencheur
tags-field-slash = Commande slash
tags-field-cooldown = Délai
tags-list-title = Tags
tags-list-none = Aucun tag : `tag create <nom> <texte>` en crée un.
tags-list = { $count ->
    [one] 1 tag
   *[other] { $count } tags
} : { $names }
tags-search-title = Tags trouvés
tags-search-none = Aucun tag n'a cela dans son nom.
tags-updated-title = Tag mis à jour
tags-trigger-set = Mot déclencheur pour `{ $name }` : { $state }.
tags-slash-on = `/{ $name }` est maintenant une commande slash de ce serveur.
tags-slash-off = `/{ $name }` n'est plus une commande slash.
tags-cooldown-set = Délai de `{ $name }` : { $secs ->
    [0] aucun
    [one] 1 seconde
   *[other] { $secs } secondes
}.
tags-access-set = Les tags peuvent maintenant être créés par { $level }.
tags-cooldown-title = Doucement
tags-on-cooldown = `{ $name }` vient de servir : réessayez dans un instant.
tags-slash-description = Une commande personnalisée de ce serveur
tags-slash-args = Arguments
