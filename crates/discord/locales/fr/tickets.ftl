# La fonctionnalité tickets (issue 14).

## Commands (slash descriptions and help texts)
cmd-ticket =
    .name = ticket
    .description = Tickets d'assistance : panneaux, salons de ticket privés, transcriptions.
cmd-ticket-setup =
    .name = configurer
    .description = Construire un panneau de tickets pas à pas (catégorie, équipe, mentions, sujets, message).
cmd-ticket-add =
    .name = ajouter
    .description = Faire entrer un membre dans ce ticket.
cmd-ticket-add-opt-user =
    .name = membre
    .description = Le membre à ajouter
cmd-ticket-remove =
    .name = retirer
    .description = Faire sortir un membre de ce ticket.
cmd-ticket-remove-opt-user =
    .name = membre
    .description = Le membre à retirer
cmd-ticket-rename =
    .name = renommer
    .description = Renommer le salon de ce ticket.
cmd-ticket-rename-opt-name =
    .name = nom
    .description = Le nouveau nom
cmd-ticket-claim =
    .name = prendre
    .description = Prendre en charge ce ticket : vous vous en occupez.
cmd-ticket-close =
    .name = fermer
    .description = Fermer ce ticket (avec confirmation) ; la transcription va au salon de logs et à l'auteur.
cmd-ticket-close-opt-reason =
    .name = raison
    .description = Pourquoi il est fermé
cmd-ticket-reopen =
    .name = rouvrir
    .description = Rouvrir ce ticket fermé avant que son salon soit supprimé.
cmd-ticket-stats =
    .name = stats
    .description = Les chiffres des tickets de ce serveur : ouverts, fermés, et par membre de l'équipe.
cmd-ticket-panels =
    .name = panneaux
    .description = Les panneaux de tickets de ce serveur.
cmd-ticket-edit =
    .name = modifier
    .description = Modifier un panneau de tickets : l'assistant à nouveau, à partir de ses réglages.
cmd-ticket-edit-opt-panel =
    .name = panneau
    .description = Le numéro du panneau (voir ticket panneaux)
cmd-ticket-delete =
    .name = supprimer
    .description = Supprimer un panneau de tickets et son message (avec confirmation ; ses tickets restent).
cmd-ticket-delete-opt-panel =
    .name = panneau
    .description = Le numéro du panneau (voir ticket panneaux)

## ticket (no subcommand)
tickets-intro-title = Tickets
tickets-intro = 🎫 Les membres ouvrent des tickets privés avec les boutons d'un panneau. Les admins construisent un panneau avec `ticket setup` et gèrent les panneaux avec `ticket panels`, `ticket edit` et `ticket delete` ; dans un ticket, l'équipe utilise `ticket claim`, `ticket add`, `ticket remove`, `ticket rename`, `ticket close` et `ticket reopen` ; `ticket stats` fait le bilan.

## Refusals
tickets-refused-title = Ticket
tickets-limit-reached = Vous avez déjà { $max } { $max ->
        [one] ticket ouvert
       *[other] tickets ouverts
    } depuis ce panneau : terminez-le d'abord.
tickets-no-panel = Ce panneau de tickets n'existe plus.
tickets-already-closed = Ce ticket est déjà fermé.
tickets-not-closed = Ce ticket n'est pas fermé.
tickets-deleted = Le salon de ce ticket a été supprimé ; ouvrez plutôt un nouveau ticket.
tickets-already-claimed = { $user } s'occupe déjà de ce ticket.
tickets-unchanged = Rien à changer : ce ticket est déjà comme ça.
tickets-not-a-ticket = Ce salon n'est pas un ticket : utilisez cette commande dans le salon d'un ticket.
tickets-staff-only = Seule l'équipe de ce ticket peut faire ça.
tickets-staff-or-opener = Seuls l'équipe de ce ticket ou le membre qui l'a ouvert peuvent faire ça.
tickets-remove-opener = Le membre qui a ouvert ce ticket y reste ; fermez plutôt le ticket.
tickets-rename-empty = Un nom de salon demande au moins une lettre ou un chiffre.
tickets-open-failed = Je n'ai pas pu créer le salon du ticket : il me faut les permissions Gérer les salons et Gérer les rôles (et l'accès à la catégorie). Rien n'a été ouvert.

## Panel configuration problems
tickets-panel-no-staff = Choisissez au moins un rôle d'équipe.
tickets-panel-too-many-roles = Choisissez { $max } rôles au plus.
tickets-panel-empty-title = Le panneau a besoin d'un titre.
tickets-panel-title-long = Le titre peut faire { $max } caractères au plus.
tickets-panel-description-long = Le message peut faire { $max } caractères au plus.
tickets-panel-too-many-topics = { $max } sujets au plus.
tickets-panel-topic-long = Un sujet peut faire { $max } caractères au plus.
tickets-panel-duplicate-topic = Le sujet « { $topic } » apparaît deux fois.
tickets-panel-open-limit = Les membres peuvent avoir entre 1 et { $max } tickets ouverts.

## Setup wizard
tickets-setup-title = Panneau de tickets
tickets-setup-place-title = Où vont les tickets ?
tickets-setup-place = Choisissez la catégorie des salons de ticket, le salon qui reçoit les transcriptions, et combien de tickets ouverts un membre peut avoir. Les tickets sont des salons privés, ou des fils privés du salon du panneau (le bouton des fils).
tickets-setup-category = Catégorie des salons de ticket
tickets-setup-no-category = Aucune catégorie
tickets-setup-log = Salon de logs pour les transcriptions
tickets-setup-no-log = Aucun salon de logs (transcriptions seulement par MP)
tickets-setup-limit = Tickets ouverts par membre
tickets-setup-limit-option = { $count } { $count ->
        [one] ticket ouvert
       *[other] tickets ouverts
    } par membre
tickets-setup-staff-title = Rôles de l'équipe
tickets-setup-staff = Les membres ayant ces rôles voient tous les tickets de ce panneau et peuvent les prendre en charge, les verrouiller, les fermer et les rouvrir.
tickets-setup-staff-pick = Rôles de l'équipe
tickets-setup-no-roles = Ce serveur n'a aucun rôle que je puisse proposer : créez d'abord un rôle d'équipe, puis relancez `ticket setup`.
tickets-setup-ping-title = Rôles à mentionner
tickets-setup-ping = Ces rôles sont mentionnés à l'ouverture d'un ticket (facultatif).
tickets-setup-ping-pick = Rôles à mentionner
tickets-setup-no-ping = Aucune mention
tickets-setup-topics-title = Sujets
tickets-setup-topics = Jusqu'à 5 sujets deviennent chacun un bouton du panneau, au-delà (au plus { $max }) un menu où choisir ; sans sujets, le panneau a un seul bouton « Ouvrir un ticket ».
tickets-setup-topics-edit = Modifier les sujets
tickets-setup-topics-clear = Aucun sujet
tickets-setup-topics-label = Un sujet par ligne
tickets-setup-no-topics-yet = aucun : un seul bouton « Ouvrir un ticket »
tickets-setup-message-title = Message du panneau
tickets-setup-message = Le titre et le texte que les membres lisent au-dessus des boutons.
tickets-setup-message-edit = Modifier le message
tickets-setup-done-title = Panneau de tickets créé
tickets-setup-done = Le panneau #{ $id } est publié dans { $channel }.
tickets-default-title = Assistance
tickets-default-message = Besoin d'aide ? Cliquez sur un bouton ci-dessous pour ouvrir un ticket privé avec notre équipe.
tickets-none = aucun

## Fields
tickets-field-category = Catégorie
tickets-field-log = Salon de logs
tickets-field-limit = Tickets ouverts par membre
tickets-field-staff = Rôles de l'équipe
tickets-field-ping = Rôles à mentionner
tickets-field-topics = Sujets
tickets-field-title = Titre
tickets-field-message = Message
tickets-field-opener = Ouvert par
tickets-field-topic = Sujet
tickets-field-claimed-by = Pris en charge par
tickets-field-closed-by = Fermé par
tickets-field-reason = Raison
tickets-field-messages = Messages
tickets-field-transcript = Transcription

## Panel and ticket messages
tickets-open-button = Ouvrir un ticket
tickets-opened-title = Ticket { $number } ouvert
tickets-opened = Votre ticket est { $channel }.
tickets-channel-topic = Ticket { $number } ouvert par { $user }
tickets-ticket-title = Ticket { $number }
tickets-ticket-welcome = Bienvenue { $user } ! Décrivez ce dont vous avez besoin ; notre équipe sera bientôt avec vous. Utilisez les boutons ci-dessous pour fermer le ticket ou obtenir sa transcription.
tickets-button-claim = Prendre en charge
tickets-button-close = Fermer
tickets-button-transcript = Transcription
tickets-button-lock = Verrouiller
tickets-button-reopen = Rouvrir
tickets-claimed-title = Ticket pris en charge
tickets-claimed = { $user } s'occupe de ce ticket.
tickets-locked-title = Ticket verrouillé
tickets-locked = { $user } peut lire ce ticket mais plus y écrire. Appuyez de nouveau sur Verrouiller pour déverrouiller.
tickets-unlocked-title = Ticket déverrouillé
tickets-unlocked = { $user } peut de nouveau écrire dans ce ticket.
tickets-added-title = Membre ajouté
tickets-added = { $user } peut désormais voir ce ticket et y écrire.
tickets-removed-title = Membre retiré
tickets-removed = { $user } ne voit plus ce ticket.
tickets-renamed-title = Ticket renommé
tickets-renamed = Ce salon s'appelle désormais #{ $name }.

## Close, transcript, reopen
tickets-close-modal = Fermer le ticket { $number }
tickets-close-reason = Raison (facultatif)
tickets-close-confirm-title = Fermer le ticket { $number } ?
tickets-close-confirm = La transcription va au salon de logs et au membre qui l'a ouvert, puis ce salon est supprimé. Raison : { $reason }
tickets-closing = Fermeture…
tickets-closed-title = Ticket { $number } fermé
tickets-closed = Fermé par { $user }. Ce salon sera supprimé { $when }, sauf si l'équipe le rouvre.
tickets-closed-log-title = Ticket { $number } fermé
tickets-dm-closed = Votre ticket sur { $guild } a été fermé. Sa transcription est jointe.
tickets-delivered-log = 📨 publiée dans { $channel }
tickets-delivery-log-failed = ⚠️ n'a pas pu être publiée dans le salon de logs
tickets-delivered-dm = 📨 envoyée à l'auteur par MP
tickets-delivery-dm-failed = ⚠️ n'a pas pu être envoyée par MP (MP fermés)
tickets-transcript-title = Transcription du ticket { $number }
tickets-transcript-ready = La transcription jusqu'ici, en page web et en texte.
tickets-reopened-title = Ticket { $number } rouvert
tickets-reopened = Rouvert par { $user } : le salon reste et l'auteur peut de nouveau écrire.

## stats
tickets-stats-title = Tickets
tickets-stats-open = Ouverts
tickets-stats-closed = Fermés
tickets-stats-staff = Équipe
tickets-stats-line = { $user } : { $claimed } pris en charge, { $closed } fermés

# Issue 14 : fils, menu des sujets, modification et suppression des panneaux.
tickets-setup-threads-off = 📁 Les tickets s'ouvrent en salons privés
tickets-setup-threads-on = 🧵 Les tickets s'ouvrent en fils privés
tickets-field-kind = Les tickets s'ouvrent en
tickets-kind-channels = salons privés
tickets-kind-threads = fils privés du salon du panneau
tickets-pick-topic = Choisissez un sujet pour ouvrir un ticket
tickets-panels-title = Panneaux de tickets
tickets-panels-none = Ce serveur n'a pas encore de panneau de tickets : `ticket setup` en construit un.
tickets-panels-line = **#{ $id }** { $title } dans { $channel } : { $topics } sujets, { $kind }
tickets-edited-title = Panneau de tickets modifié
tickets-edited = Le panneau #{ $id } et son message dans { $channel } sont à jour.
tickets-delete-confirm-title = Supprimer le panneau de tickets #{ $id } ?
tickets-delete-confirm = « { $title } » dans { $channel } : son message est supprimé et plus personne ne peut ouvrir de ticket avec. Les tickets ouverts restent.
tickets-panel-deleted-title = Panneau de tickets supprimé
tickets-panel-deleted = Le panneau #{ $id } est supprimé.
