# Textes du noyau : erreurs, refus, éléments d'interface partagés.

## Refus (titres)
error-title-not-allowed = Non autorisé
error-title-module-disabled = Module désactivé
error-title-restarting = Redémarrage
error-title-cooldown = Temps de recharge
error-title-invalid-input = Saisie invalide
error-title-server-only = Serveur uniquement
error-title-cannot = Impossible

## Refus (textes)
error-invalid-input = { $what }
error-missing-tier = Il faut le rang **{ $tier }** pour utiliser `{ $command }`.
error-feature-disabled = Le module **{ $feature }** est désactivé sur ce serveur. Un admin peut le réactiver avec `module enable { $feature }`.
error-guild-only = Cette commande ne marche que sur un serveur.
error-dev-guild-only = Les commandes du propriétaire et des développeurs ne marchent que sur le serveur de développement.
error-shutting-down = Chronix redémarre ; réessayez dans un instant.
error-blacklisted = Vous ne pouvez pas utiliser les commandes de Chronix.
error-cooldown = Doucement ! Réessayez dans { $seconds } s.
error-not-here = Vous ne pouvez pas utiliser cette commande ici.
error-usage = Utilisation : `{ $usage }`
error-needs-subcommand = `{ $command }` attend une sous-commande : { $subcommands }.

## Erreurs internes
error-internal-title = Quelque chose s'est mal passé
error-internal-text = C'est notre faute. L'erreur a été enregistrée sous l'identifiant `{ $id }` ; citez-le si vous signalez le problème.
error-internal-id = Identifiant d'erreur
note-error = Erreur `{ $id }` dans { $kind }.
error-report-title = Erreur { $id }
error-report-command = Commande
error-report-user = Utilisateur
error-report-guild = Serveur
error-report-dm = MP
error-report-channel = Salon
error-report-repeats = Répétitions non publiées
error-report-repeats-value = { $count ->
    [one] La même erreur s'est reproduite une fois depuis le dernier rapport (au plus un rapport toutes les { $minutes } min).
   *[other] La même erreur s'est reproduite { $count } fois depuis le dernier rapport (au plus un rapport toutes les { $minutes } min).
}
error-argument-missing = Il manque quelque chose.
error-argument-not-understood = Je n'ai pas compris `{ $input }`.
error-argument-takes = `{ $command }` attend :
error-argument-required = • `<{ $name }>` : { $description }
error-argument-optional = • `[{ $name }]` (facultatif) : { $description }

## Le nom de la langue (affiché par `language show`)
language-name = Français

## Boutons et pagination partagée
button-no-longer-valid = Ce bouton n'est plus valable.
pager-first = ⏮ Début
pager-prev = ◀ Préc.
pager-next = Suiv. ▶
pager-last = Fin ⏭
pager-not-yours-title = Pas à vous
pager-not-yours = Seul { $owner } peut tourner ces pages ; lancez la commande vous-même pour avoir les vôtres.
pager-sent-privately-title = Envoyé en privé
pager-sent-privately = 📬 Je vous l'ai envoyé en message privé.
pager-dm-closed-title = Envoi privé impossible
pager-dm-closed = Vos messages privés sont fermés. Ouvrez-les, ou utilisez la commande slash : vous seul verrez sa réponse.

## Commandes à préfixe
prefix-listening-title = Chronix vous écoute
prefix-listening = Tapez { $help } pour voir ce que je sais faire.
prefix-unknown-title = Commande inconnue
prefix-unknown = Je ne connais pas `{ $command }`. Tapez { $help } pour la liste.
prefix-unknown-hint = Je ne connais pas `{ $command }`. Vouliez-vous dire `{ $suggestion }` ? Tapez { $help } pour la liste.

## The shared confirm dialog
confirm-yes = Confirmer
confirm-no = Annuler
confirm-cancelled = ❎ Annulé : rien n'a été fait.
confirm-timed-out = ⌛ Délai dépassé : rien n'a été fait.
confirm-expired-title = Expiré
confirm-expired = ⌛ Plus rien n'attend de réponse ici ; rien n'a été fait.
confirm-not-yours = Seul { $owner } peut répondre.
confirm-expires = ⌛ Expire { $when }.

## L'assistant partagé (panneau en plusieurs étapes)
wizard-title = Assistant
wizard-step = Étape { $step }/{ $total }
wizard-back = ◀ Retour
wizard-next = Suivant ▶
wizard-cancel = Annuler
wizard-confirm = Confirmer
wizard-preview = Vérifiez vos réponses, puis appuyez sur Suivant (ou Retour pour les changer).
wizard-confirm-question = Confirmez pour continuer avec ces réponses.
wizard-cancelled = ❎ Annulé : rien n'a été fait.
wizard-expired = ⌛ Expiré : personne n'a répondu à temps, rien n'a été fait.
wizard-closed = Cet assistant est terminé.
wizard-not-yours = Seul { $owner } peut répondre à cet assistant ; lancez la commande vous-même pour avoir le vôtre.
wizard-stale-title = Déjà modifié
wizard-stale = Ce panneau a changé depuis votre clic (un autre clic est passé avant) ; utilisez le panneau tel qu'il est maintenant.
wizard-incomplete-title = Pas terminé
wizard-incomplete = Répondez à cette étape avant de continuer.
