# La fonctionnalité journalisation (issue 13).

## Commands (slash descriptions and help texts)
cmd-create-logs =
    .description = Créer les salons de logs (le propriétaire du bot les a tous, un admin tous sauf gameplay-logs).
cmd-logs =
    .description = Salons de logs : où va chaque catégorie, ce qui est ignoré, confidentialité.
cmd-logs-show =
    .description = Où va chaque catégorie, ce qui est ignoré, le mode confidentialité.
cmd-logs-set =
    .description = Envoyer les entrées d'une catégorie dans un salon.
cmd-logs-set-opt-category =
    .description = message, mod, vc, server, member, invite, error ou gameplay
cmd-logs-set-opt-channel =
    .description = Le salon
cmd-logs-ignore =
    .description = Ne plus journaliser ce qui se passe dans un salon ou pour les membres d'un rôle.
cmd-logs-ignore-opt-target =
    .description = #salon ou @rôle
cmd-logs-unignore =
    .description = Journaliser de nouveau un salon ou un rôle.
cmd-logs-unignore-opt-target =
    .description = #salon ou @rôle
cmd-logs-enable =
    .description = Journaliser de nouveau une catégorie.
cmd-logs-enable-opt-category =
    .description = message, mod, vc, server, member, invite, error ou gameplay
cmd-logs-disable =
    .description = Ne plus journaliser une catégorie (rien n'est stocké ni publié pour elle).
cmd-logs-disable-opt-category =
    .description = message, mod, vc, server, member, invite, error ou gameplay
cmd-logs-privacy =
    .description = Confidentialité : on ne garde aucun contenu (modifs et suppressions le signalent), off le garde.
cmd-logs-privacy-opt-mode =
    .description = on : ne stocker aucun contenu de message ; off : le stocker

## Commands' answers
logging-intro-title = Salons de logs
logging-intro = 📜 `create-logs` crée une catégorie privée avec un salon par type d'événement. `logs show` indique où va chacun ; `logs set <category> #channel` en redirige un ; `logs ignore #channel|@role` (et `unignore`) en exclut certains ; `logs disable <category>` / `logs enable` en coupe ou en rétablit un ; `logs privacy on` ne garde aucun contenu de message.
logging-created-title = Salons de logs prêts
logging-created-owner = La série complète, gameplay-logs compris. Les rôles de l'équipe peuvent les lire ; personne d'autre ne les voit.
logging-created-admin = Tous les salons de logs sauf gameplay-logs (celui du propriétaire du bot). Les rôles de l'équipe peuvent les lire ; personne d'autre ne les voit.
logging-created-new = Créés
logging-created-kept = Déjà présents
logging-show-title = Salons de logs
logging-show-ignored = Ignorés
logging-show-privacy = Contenu des messages
logging-privacy-stored = conservé (les modifications et suppressions l'affichent)
logging-privacy-not-stored = non conservé (mode confidentialité activé)
logging-unset = non défini
logging-off = désactivé
logging-none = aucun
logging-set-title = Salon de logs défini
logging-set = Les entrées `{ $category }` vont maintenant dans { $channel }.
logging-ignore-title = Ignoré
logging-ignored = { $target } n'est plus journalisé.
logging-unignore-title = De nouveau journalisé
logging-unignored = { $target } est de nouveau journalisé.
logging-enabled-title = Catégorie activée
logging-enabled = `{ $category }` est de nouveau journalisée.
logging-disabled-title = Catégorie désactivée
logging-disabled = `{ $category }` n'est plus journalisée.
logging-privacy-title = Confidentialité
logging-privacy-on = Le contenu des messages n'est plus conservé : les modifications et suppressions indiquent qu'il n'a pas été stocké, et ce qui était conservé est oublié.
logging-privacy-off = Le contenu des messages est de nouveau conservé (le temps du cache des messages) pour que les modifications et suppressions puissent l'afficher.
logging-bad-category = `{ $given }` n'est pas une catégorie de logs. Catégories : { $names }.
logging-bad-target = `{ $given }` n'est ni un #salon ni un @rôle.
logging-bad-privacy = Indiquez `logs privacy on` (ne garder aucun contenu) ou `logs privacy off`.

## Log entries
logging-overflow-title = Entrées de logs non publiées
logging-overflow = { $count } { $count ->
        [one] entrée n'a
       *[other] entrées n'ont
    } pas été { $count ->
        [one] publiée
       *[other] publiées
    } ici car trop sont arrivées d'un coup ; { $count ->
        [one] elle est stockée
       *[other] elles sont stockées
    } dans la table des logs.
logging-someone = quelqu'un
logging-in-channel-by = { $user } dans { $channel } { $link }
logging-content-unknown = (inconnu : le message n'était pas dans le cache)
logging-content-not-stored = (non stocké : mode confidentialité)
logging-content-empty = (pas de texte)
logging-state-unknown = (inconnu : jamais vu auparavant)
logging-field-before = Avant
logging-field-after = Après
logging-field-content = Contenu
logging-field-attachments = Pièces jointes
logging-field-roles = Rôles
logging-field-added = Ajoutés
logging-field-removed = Retirés
logging-field-renamed = Renommé
logging-field-reason = Raison
logging-field-inviter = Invité par
logging-field-max-uses = Utilisations max
logging-field-max-age = Durée max
logging-field-account-created = Compte créé
logging-title-message-edit = Message modifié
logging-title-message-delete = Message supprimé
logging-title-message-bulk = Messages supprimés en masse
logging-bulk = { $count } messages supprimés dans { $channel } ({ $known } connus) ; transcription jointe.
logging-title-pins = Épingles modifiées
logging-pins = Les messages épinglés de { $channel } ont changé.
logging-member = { $user } ({ $name })
logging-title-member-join = Arrivée d'un membre
logging-title-member-leave = Départ d'un membre
logging-title-member-nick = Pseudo modifié
logging-title-member-roles = Rôles modifiés
logging-title-voice-join = A rejoint un vocal
logging-title-voice-leave = A quitté un vocal
logging-title-voice-move = A changé de vocal
logging-voice-join = { $user } a rejoint { $channel }.
logging-voice-leave = { $user } a quitté { $channel }.
logging-voice-move = { $user } est passé de { $from } à { $to }.
logging-title-ban = Membre banni
logging-title-unban = Membre débanni
logging-title-gameplay = Jeu
logging-title-error = Erreur
logging-title-kick = Membre expulsé
logging-kick = { $user } a été expulsé par { $moderator }.
logging-title-timeout = Membre exclu temporairement
logging-timeout = { $user } a été exclu temporairement par { $moderator } jusqu'au { $until }.
logging-title-untimeout = Exclusion temporaire levée
logging-untimeout = { $moderator } a levé l'exclusion temporaire de { $user }.
logging-title-role-create = Rôle créé
logging-title-role-update = Rôle modifié
logging-title-role-delete = Rôle supprimé
logging-title-channel-create = Salon créé
logging-title-channel-update = Salon modifié
logging-title-channel-delete = Salon supprimé
logging-title-thread-create = Fil créé
logging-title-thread-update = Fil modifié
logging-title-thread-delete = Fil supprimé
logging-title-invite-create = Invitation créée
logging-title-invite-delete = Invitation supprimée
logging-invite = `{ $code }` pour { $channel }
logging-title-emojis = Émojis modifiés
logging-title-stickers = Autocollants modifiés
logging-title-webhooks = Webhooks modifiés
logging-webhooks = Les webhooks de { $channel } ont changé.
logging-title-integrations = Intégrations modifiées
logging-integrations = Les intégrations du serveur ont changé.
logging-attr-name = Nom
logging-attr-colour = Couleur
logging-attr-permissions = Permissions
logging-attr-hoist = Affiché séparément
logging-attr-mentionable = Mentionnable
logging-attr-topic = Sujet
logging-attr-nsfw = Soumis à une limite d'âge
logging-attr-category = Catégorie
logging-attr-slowmode = Mode lent
logging-attr-archived = Archivé
logging-attr-locked = Verrouillé
logging-attr-overwrites = Permissions spécifiques
