# La fonctionnalité modération : bannissements, expulsions, exclusions, avertissements et cas numérotés.

## Commands (slash descriptions and help texts)
cmd-ban =
    .name = bannir
    .description = Bannir un utilisateur (une durée = ban temporaire ; --delete 1d efface ses messages récents).
cmd-ban-opt-user =
    .name = utilisateur
    .description = Qui bannir (un membre ou un identifiant d'utilisateur)
cmd-ban-opt-duration =
    .name = duree
    .description = Combien de temps (10m, 2h, 7d, 1h30m) ; rien pour un ban définitif
cmd-ban-opt-delete =
    .name = supprimer
    .description = Supprimer ses messages des dernières … (7d au plus)
cmd-ban-opt-reason =
    .name = raison
    .description = Pourquoi
cmd-unban =
    .name = debannir
    .description = Lever un bannissement.
cmd-unban-opt-user =
    .name = utilisateur
    .description = Qui débannir (un identifiant d'utilisateur)
cmd-unban-opt-reason =
    .name = raison
    .description = Pourquoi
cmd-softban =
    .name = softban
    .description = Bannir puis débannir aussitôt : retire le membre et son dernier jour de messages.
cmd-softban-opt-user =
    .name = utilisateur
    .description = Qui softbannir
cmd-softban-opt-reason =
    .name = raison
    .description = Pourquoi
cmd-kick =
    .name = expulser
    .description = Retirer un membre du serveur (il peut revenir).
cmd-kick-opt-user =
    .name = membre
    .description = Qui expulser
cmd-kick-opt-reason =
    .name = raison
    .description = Pourquoi
cmd-timeout =
    .name = exclure
    .description = Exclure temporairement un membre avec l'exclusion de Discord (10m, 2h, 7d ; 28 jours au plus).
cmd-timeout-opt-user =
    .name = membre
    .description = Qui exclure temporairement
cmd-timeout-opt-duration =
    .name = duree
    .description = Combien de temps (10m, 2h, 7d, 1h30m ; 28d au plus)
cmd-timeout-opt-reason =
    .name = raison
    .description = Pourquoi
cmd-untimeout =
    .name = lever-exclusion
    .description = Lever l'exclusion temporaire d'un membre.
cmd-untimeout-opt-user =
    .name = membre
    .description = De qui lever l'exclusion
cmd-untimeout-opt-reason =
    .name = raison
    .description = Pourquoi
cmd-warn =
    .name = avertir
    .description = Avertir un membre : un cas, et un MP pour lui.
cmd-warn-opt-user =
    .name = membre
    .description = Qui avertir
cmd-warn-opt-reason =
    .name = raison
    .description = Pourquoi
cmd-warnings =
    .name = avertissements
    .description = Les avertissements actifs d'un membre.
cmd-warnings-opt-user =
    .name = membre
    .description = Les avertissements de qui
cmd-unwarn =
    .name = retirer-avertissement
    .description = Retirer un avertissement par son numéro de cas.
cmd-unwarn-opt-case =
    .name = cas
    .description = Le numéro de cas de l'avertissement
cmd-clearwarns =
    .name = effacer-avertissements
    .description = Retirer tous les avertissements actifs d'un membre.
cmd-clearwarns-opt-user =
    .name = membre
    .description = De qui retirer les avertissements
cmd-case =
    .name = cas
    .description = Un cas par son numéro (case 12) ; case reason, case delete.
cmd-case-opt-number =
    .name = numero
    .description = Numéro du cas
cmd-case-show =
    .name = afficher
    .description = Afficher un cas.
cmd-case-show-opt-number =
    .name = numero
    .description = Numéro du cas
cmd-case-reason =
    .name = raison
    .description = Définir ou changer la raison d'un cas.
cmd-case-reason-opt-number =
    .name = numero
    .description = Numéro du cas
cmd-case-reason-opt-reason =
    .name = raison
    .description = La nouvelle raison
cmd-case-delete =
    .name = supprimer
    .description = Supprimer un cas (admins ; noté dans le journal d'audit ; le numéro n'est pas réutilisé).
cmd-case-delete-opt-number =
    .name = numero
    .description = Numéro du cas
cmd-modlogs =
    .name = sanctions
    .description = Les cas d'un membre sur ce serveur, du plus récent au plus ancien (par pages).
cmd-modlogs-opt-user =
    .name = membre
    .description = Les cas de qui
cmd-moddm =
    .name = mp-moderation
    .description = Si la cible d'une action est prévenue par MP sur ce serveur (activé par défaut).
cmd-moddm-opt-enabled =
    .name = active
    .description = on ou off

## Permissions (as Discord's settings name them)
moderation-perm-ban-members = Bannir des membres
moderation-perm-kick-members = Expulser des membres
moderation-perm-moderate-members = Exclure temporairement des membres

## Refusals
moderation-duration-empty = Aucune durée donnée : écrivez-la comme 10m, 2h, 7d ou 1h30m.
moderation-duration-missing-unit = `{ $part }` n'a pas d'unité : ajoutez s, m, h, d ou w (par exemple 10m).
moderation-duration-unknown-unit = `{ $part }` n'est pas une unité de temps : utilisez s, m, h, d ou w.
moderation-duration-malformed = `{ $part }` n'est pas une durée : écrivez-la comme 10m, 2h, 7d ou 1h30m.
moderation-duration-zero = La durée doit être supérieure à zéro.
moderation-duration-too-long = La durée est trop longue ({ $max } au plus).
moderation-reason-too-long = La raison est trop longue ({ $chars } caractères, { $max } au plus).
moderation-reason-empty = Écrivez la nouvelle raison après le numéro du cas.
moderation-delete-without-value = `--delete` demande une durée de 7 jours au plus (par exemple `--delete 1d`).
moderation-hierarchy-self = Vous ne pouvez pas vous faire ça à vous-même.
moderation-hierarchy-owner = Le propriétaire du serveur ne peut pas être sanctionné.
moderation-hierarchy-bot = Je ne vais pas me faire ça à moi-même.
moderation-hierarchy-moderator = Son rôle le plus haut n'est pas en dessous du vôtre.
moderation-hierarchy-bot-low = Son rôle le plus haut n'est pas en dessous du mien : placez mon rôle au-dessus du sien et réessayez.
moderation-hierarchy-role-moderator = Ce rôle n'est pas en dessous de votre rôle le plus haut.
moderation-hierarchy-role-bot = Ce rôle n'est pas en dessous de mon rôle le plus haut : placez mon rôle au-dessus et réessayez.
moderation-hierarchy-role-unassignable = Ce rôle ne peut être ni donné ni retiré.
moderation-you-lack = Il vous faut la permission **{ $permission }** pour ça.
moderation-bot-lacks = Il me manque la permission **{ $permission }** ici : donnez-la à mon rôle et réessayez.
moderation-not-banned = { $user } n'est pas banni.
moderation-not-member = { $user } n'est pas membre de ce serveur.
moderation-not-timed-out = { $user } n'est pas exclu temporairement.
moderation-no-case = Il n'y a pas de cas #{ $number } sur ce serveur.
moderation-not-a-warning = Le cas #{ $number } n'est pas un avertissement actif.

## Case kinds
moderation-kind-ban = Bannissement
moderation-kind-tempban = Ban temporaire
moderation-kind-unban = Débannissement
moderation-kind-softban = Softban
moderation-kind-kick = Expulsion
moderation-kind-timeout = Exclusion temporaire
moderation-kind-untimeout = Exclusion levée
moderation-kind-warn = Avertissement

## Actions done
moderation-done-ban = { $user } a été banni
moderation-done-tempban = { $user } a été banni pour { $duration }
moderation-done-unban = { $user } a été débanni
moderation-done-softban = { $user } a été softbanni
moderation-done-kick = { $user } a été expulsé
moderation-done-timeout = { $user } a été exclu temporairement pour { $duration }
moderation-done-untimeout = L'exclusion de { $user } a été levée
moderation-done-warn = { $user } a été averti
moderation-made-permanent = Son ban temporaire (cas #{ $number }) est désormais définitif.
moderation-replaced-tempban = Ceci remplace son ban temporaire en cours (cas #{ $number }).
moderation-dm-sent = La personne a été prévenue par MP.
moderation-dm-not-sent = La personne n'a pas été prévenue par MP (ses MP sont fermés ou le serveur l'a désactivé).
moderation-no-reason = Aucune raison donnée
moderation-expired-reason = Fin du ban temporaire (cas #{ $number })

## Fields
moderation-field-case = Cas
moderation-field-target = Utilisateur
moderation-field-moderator = Modérateur
moderation-field-reason = Raison
moderation-field-created = Date
moderation-field-duration = Durée
moderation-field-expires = Fin
moderation-field-status = Statut
moderation-status-ends = Se termine { $at }
moderation-status-ended = Terminé { $at }
moderation-source-manual = Fait dans Discord ; modérateur et raison lus dans le journal d'audit.

## DMs to the target
moderation-dm-ban = Vous avez été banni de { $guild }
moderation-dm-tempban = Vous avez été banni de { $guild } pour { $duration }
moderation-dm-softban = Vous avez été retiré de { $guild } et vos messages récents ont été supprimés
moderation-dm-kick = Vous avez été expulsé de { $guild }
moderation-dm-timeout = Vous avez été exclu temporairement de { $guild } pour { $duration }
moderation-dm-warn = Vous avez reçu un avertissement sur { $guild }

## Cases and warnings
moderation-case-title = Cas #{ $number } : { $kind }
moderation-warnings-title = Avertissements de { $user } ({ $count })
moderation-warnings-empty = { $user } n'a aucun avertissement actif.
moderation-warnings-line = **#{ $number }** · { $reason } · par { $moderator } · { $at }
moderation-unwarn-done = Avertissement #{ $number } retiré
moderation-unwarn-text = { $user } a un avertissement de moins.
moderation-clearwarns-done = { $count ->
    [one] 1 avertissement de { $user } retiré
   *[other] { $count } avertissements de { $user } retirés
}
moderation-reason-updated = Cas #{ $number } : raison mise à jour
moderation-case-deleted = Cas #{ $number } supprimé
moderation-case-deleted-text = Le cas « { $kind } » de { $user } a disparu de l'historique ; la suppression est notée dans le journal d'audit.
moderation-modlogs-title = Historique de modération
moderation-modlogs-empty = { $user } n'a aucun cas sur ce serveur.
moderation-modlogs-line = **#{ $number }** { $kind } · { $reason } · par { $moderator } · { $at }
moderation-modlogs-total = { $count ->
    [one] 1 cas
   *[other] { $count } cas
}
moderation-dm-setting-on = Les cibles des actions de modération sont désormais prévenues par MP
moderation-dm-setting-off = Les cibles des actions de modération ne sont plus prévenues par MP

## Channel and member tools
cmd-purge =
    .name = purger
    .description = Effacer des messages récents (filtres : membre, bots, links, attachments, embeds, contains <texte>).
cmd-purge-opt-count =
    .name = nombre
    .description = Combien de messages récents examiner (1 à 1000)
cmd-purge-opt-filters =
    .name = filtres
    .description = Filtres : un utilisateur, bots, links, attachments, embeds, contains <texte>
cmd-slowmode =
    .name = mode-lent
    .description = Régler le mode lent de ce salon (10s, 5m, 1h ; off ; 6h au plus).
cmd-slowmode-opt-delay =
    .name = delai
    .description = Délai entre deux messages (10s, 5m, 1h ; off)
cmd-nick =
    .name = pseudo
    .description = Définir ou effacer le pseudo d'un membre.
cmd-nick-opt-user =
    .name = membre
    .description = Le pseudo de qui
cmd-nick-opt-nickname =
    .name = pseudo
    .description = Le nouveau pseudo (rien pour l'effacer)
moderation-perm-manage-messages = Gérer les messages
moderation-perm-manage-channels = Gérer les salons
moderation-perm-manage-nicknames = Gérer les pseudos
moderation-perm-manage-roles = Gérer les rôles
moderation-purge-bad-count = Indiquez combien de messages examiner, de 1 à { $max }.
moderation-purge-unknown-filter = `{ $word }` n'est pas un filtre : utilisez bots, links, attachments, embeds, un utilisateur ou contains <texte>.
moderation-purge-contains-empty = `contains` demande le texte à chercher.
moderation-purge-done = { $count ->
    [one] 1 message supprimé
   *[other] { $count } messages supprimés
}
moderation-purge-detail = { $looked } examinés · { $bulk } supprimés d'un coup · { $single } de plus de 14 jours supprimés un par un
moderation-purge-left = { $count ->
    [one] 1 message correspondant de plus de 14 jours a été laissé (Discord les supprime un par un ; relancez purge)
   *[other] { $count } messages correspondants de plus de 14 jours ont été laissés (Discord les supprime un par un ; relancez purge)
}
moderation-slowmode-on = Mode lent : un message toutes les { $delay }
moderation-slowmode-off = Le mode lent est désactivé
moderation-nick-too-long = Un pseudo fait au plus 32 caractères.
moderation-nick-title = Pseudo modifié
moderation-nick-set = { $user } s'appelle désormais { $nick }.
moderation-nick-cleared = Le pseudo de { $user } a été effacé.

## Mass actions (massban / masskick)
cmd-massban =
    .description = Bannir tous les membres d'une sélection, après un aperçu (admin ; ex. `code:abc joined:2h`).
cmd-massban-opt-selection =
    .description = role:, code:, inviter:, joined:, before:, account:, bots ; puis reason: …
cmd-masskick =
    .description = Expulser tous les membres d'une sélection, après un aperçu (admin ; ex. `role:@raid`).
cmd-masskick-opt-selection =
    .description = role:, code:, inviter:, joined:, before:, account:, bots ; puis reason: …
moderation-kind-massban = Bannissement de masse
moderation-kind-masskick = Expulsion de masse
moderation-mass-no-criterion = Dites qui sélectionner : `role:@rôle`, `code:<invitation>`, `inviter:@membre`, `joined:2h` (arrivés depuis), `before:1d` (arrivés il y a au moins), `account:7d` (comptes plus récents que), et `bots` pour inclure les bots. Ajoutez `reason: …` à la fin.
moderation-mass-unknown-word = `{ $word }` n'est pas un mot de sélection (role:, code:, inviter:, joined:, before:, account:, bots ; puis reason: …).
moderation-mass-repeated = `{ $key }:` est donné deux fois.
moderation-mass-bad-id = `{ $value }` n'est ni une mention ni un identifiant.
moderation-mass-bad-span = `{ $value }` n'est pas une durée d'au plus un an (comme 30m, 12h, 7d).
moderation-mass-bad-code = `{ $value }` n'est pas un code d'invitation.
moderation-mass-reason-long = La raison est trop longue (512 caractères au plus).
moderation-mass-nobody = Aucun membre ne correspond à cette sélection.
moderation-mass-title-ban = Bannissement de masse
moderation-mass-title-kick = Expulsion de masse
moderation-mass-preview-ban = Bannir **{ $count }** { $count ->
    [one] membre
   *[other] membres
} ?
moderation-mass-preview-kick = Expulser **{ $count }** { $count ->
    [one] membre
   *[other] membres
} ?
moderation-mass-sample = Parmi eux : { $names }{ $more ->
    [0] {""}
   *[other] {" "}et { $more } de plus
}.
moderation-mass-skipped = Épargnés : { $count }
moderation-mass-skip-bot = bots (ajoutez `bots` pour les inclure)
moderation-mass-skip-self = vous-même
moderation-mass-skip-owner = le propriétaire du serveur
moderation-mass-skip-the-bot = moi
moderation-mass-skip-above-you = un rôle qui n'est pas sous le vôtre
moderation-mass-skip-above-bot = un rôle qui n'est pas sous le mien
moderation-mass-over-limit = { $count } de plus correspondaient, mais une opération prend au plus { $max } membres.
moderation-mass-reason = Raison : { $reason }
moderation-mass-rate-limited = Ce serveur a lancé autant d'actions de masse que permis pour l'instant ; la prochaine pourra démarrer { $at }.
moderation-mass-started = Lancé : { $count } membres. Progression ci-dessous.
moderation-mass-status-running = En cours
moderation-mass-status-cancelled = Annulé
moderation-mass-status-done = Terminé
moderation-mass-field-status = État
moderation-mass-counts = { $done } faits · { $failed } échoués · { $total } sélectionnés
moderation-mass-cancel = Annuler
moderation-mass-cancel-not-yours = Seuls le modérateur qui a lancé cette opération ou un administrateur peuvent l'annuler.
moderation-mass-not-running = Cette opération est déjà terminée.
moderation-mass-summary = { $done } sur { $total } faits, { $failed } échoués · sélection : { $selection } · raison : { $reason }
## lock, unlock, lockdown
cmd-lock =
    .name = verrouiller
    .description = Verrouiller un salon : @everyone n'y écrit plus ; `lock server` verrouille tout.
cmd-lock-opt-channel =
    .name = salon
    .description = Quel salon (celui-ci si vide)
cmd-lock-opt-reason =
    .name = raison
    .description = Pourquoi
cmd-unlock =
    .name = deverrouiller
    .description = Déverrouiller un salon verrouillé par lock : ses permissions @everyone sont remises à l'identique.
cmd-unlock-opt-channel =
    .name = salon
    .description = Quel salon (celui-ci si vide)
cmd-unlock-opt-reason =
    .name = raison
    .description = Pourquoi
cmd-lockdown =
    .name = confinement
    .description = Verrouiller tous les salons textuels et vocaux du serveur (lockdown end les rétablit).
cmd-lockdown-opt-reason =
    .name = raison
    .description = Pourquoi
cmd-lockdown-start =
    .name = lancer
    .description = Verrouiller tous les salons textuels et vocaux du serveur.
cmd-lockdown-start-opt-reason =
    .name = raison
    .description = Pourquoi
cmd-lockdown-end =
    .name = fin
    .description = Terminer le confinement : chaque salon verrouillé retrouve exactement ses permissions.
moderation-kind-lock = Salon verrouillé
moderation-kind-unlock = Salon déverrouillé
moderation-kind-lockdown = Confinement du serveur
moderation-kind-lockdown-end = Fin du confinement
moderation-target-server = tout le serveur
moderation-field-channel = Salon
moderation-field-scope = Portée
moderation-lock-done = Salon verrouillé
moderation-lock-done-text = { $channel } : @everyone ne peut plus envoyer de messages, créer de fils ni se connecter ici. `unlock` remet les permissions comme avant.
moderation-unlock-done = Salon déverrouillé
moderation-unlock-done-text = { $channel } a retrouvé ses permissions @everyone d'avant.
moderation-lock-already = { $channel } est déjà verrouillé : faites d'abord `unlock`.
moderation-lock-not-locked = { $channel } n'a pas été verrouillé par `lock` ou `lockdown` : il n'y a rien à rétablir.
moderation-lock-thread = Les fils prennent les permissions de leur salon : verrouillez plutôt { $channel }.
moderation-lock-thread-orphan = Les fils prennent les permissions de leur salon : verrouillez plutôt ce salon.
moderation-lock-unsupported = { $channel } n'est ni un salon textuel ni un salon vocal : il ne peut pas être verrouillé.
moderation-lock-foreign = Ce salon n'est pas sur ce serveur.
moderation-lockdown-none = Il n'y a pas de confinement à terminer sur ce serveur.
moderation-lockdown-progress = Verrouillage du serveur…
moderation-lockdown-end-progress = Fin du confinement…
moderation-lockdown-done = Le serveur est confiné
moderation-lockdown-running = Le serveur est déjà confiné
moderation-lockdown-running-text = Lancé par { $by } { $at }. Les salons qui avaient été manqués sont verrouillés ; `lockdown end` les rétablit tous.
moderation-lockdown-field-channels = Salons
moderation-lockdown-counts = { $locked } verrouillés · { $skipped } déjà verrouillés · { $failed } en échec
moderation-lockdown-failed-hint = Certains salons n'ont pas pu être verrouillés (il me faut Gérer les rôles) : relancez lockdown pour réessayer.
moderation-lockdown-end-done = Le confinement est terminé
moderation-lockdown-end-text = { $restored ->
    [one] 1 salon a retrouvé ses permissions d'avant.
   *[other] { $restored } salons ont retrouvé leurs permissions d'avant.
}
moderation-lockdown-end-partial = Le confinement n'est pas encore terminé
moderation-lockdown-end-partial-text = { $restored } rétablis, { $failed } non ({ $channels }) : donnez-moi Gérer les rôles et relancez `lockdown end`.

## role add, role remove
cmd-role =
    .name = role
    .description = Donner ou retirer un rôle à un membre.
cmd-role-add =
    .name = ajouter
    .description = Donner un rôle à un membre (mention, identifiant ou nom).
cmd-role-add-opt-user =
    .name = membre
    .description = Qui reçoit le rôle
cmd-role-add-opt-role =
    .name = role
    .description = Le rôle : mention, identifiant ou nom
cmd-role-remove =
    .name = retirer
    .description = Retirer un rôle à un membre (mention, identifiant ou nom).
cmd-role-remove-opt-user =
    .name = membre
    .description = Qui perd le rôle
cmd-role-remove-opt-role =
    .name = role
    .description = Le rôle : mention, identifiant ou nom
moderation-kind-role-add = Rôle donné
moderation-kind-role-remove = Rôle retiré
moderation-field-role = Rôle
moderation-done-role-add = { $user } a reçu un rôle
moderation-done-role-remove = { $user } a perdu un rôle
moderation-role-has = { $user } a déjà { $role }.
moderation-role-lacks = { $user } n'a pas { $role }.
moderation-role-arg-empty = Indiquez le rôle : mention, identifiant ou nom.
moderation-role-arg-unknown = Il n'y a pas de rôle `{ $text }` sur ce serveur.
moderation-role-arg-ambiguous = `{ $text }` correspond à { $count } rôles : { $names }. Écrivez davantage du nom, ou mentionnez le rôle.
