# La fonctionnalité générale (toujours active).

## Commandes
cmd-help =
    .name = aide
    .description = Toutes les commandes par module, ou le détail d'une commande.
cmd-ping =
    .name = ping
    .description = Latence du bot : battement de la passerelle, aller-retour REST et base de données.
cmd-about =
    .name = apropos
    .description = À propos de Chronix : version, disponibilité, serveurs, mémoire et commandes lancées.
cmd-devstats =
    .name = devstats
    .description = Vue développeur des métriques : nombre, erreurs, refus et latence moyenne.
cmd-prefix =
    .name = prefixe
    .description = Affiche ou change le préfixe des commandes de ce serveur.
cmd-prefix-show =
    .name = afficher
    .description = Affiche les préfixes qui marchent ici.
cmd-prefix-set =
    .name = choisir
    .description = Choisit un préfixe pour ce serveur (il remplace celui par défaut).
cmd-prefix-reset =
    .name = reinitialiser
    .description = Revient au préfixe par défaut.
cmd-module =
    .name = module
    .description = Active ou désactive des modules de Chronix sur ce serveur.
cmd-module-list =
    .name = liste
    .description = Liste les modules et indique s'ils sont actifs ici.
cmd-module-enable =
    .name = activer
    .description = Réactive un module sur ce serveur.
cmd-module-disable =
    .name = desactiver
    .description = Désactive un module sur ce serveur.
cmd-errorlog =
    .name = journal-erreurs
    .description = Choisit où vont les rapports d'erreur de ce serveur.
cmd-errorlog-set =
    .name = choisir
    .description = Envoie les rapports d'erreur (avec leur identifiant) dans un salon.
cmd-errorlog-clear =
    .name = effacer
    .description = Arrête d'envoyer les rapports d'erreur dans un salon.
cmd-language =
    .name = langue
    .description = Affiche ou change la langue de Chronix sur ce serveur.
cmd-language-show =
    .name = afficher
    .description = Affiche la langue de ce serveur.
cmd-language-set =
    .name = choisir
    .description = Choisit la langue de Chronix sur ce serveur.
cmd-language-reset =
    .name = réinitialiser
    .description = Revient à l'anglais (par défaut) sur ce serveur.

## language
general-language-title = Langue
general-language-show = Chronix répond en { $language } sur ce serveur. Les commandes slash répondent dans la langue Discord de chacun quand Chronix la parle.
general-language-show-default = Aucune langue n'est choisie sur ce serveur : Chronix répond en anglais. Les commandes slash répondent dans la langue Discord de chacun quand Chronix la parle.
general-language-available = Disponibles
general-language-set-title = Langue mise à jour
general-language-set = Chronix répond désormais en { $language } sur ce serveur.
general-language-reset-title = Langue réinitialisée
general-language-reset = Chronix répond de nouveau en anglais sur ce serveur.
general-language-unsupported = Chronix ne parle pas `{ $code }`. Disponibles : { $available }.

## prefix
general-prefix-title = Préfixe
general-prefix-show-custom = Ici, les commandes commencent par { $list } (préfixe personnalisé). Me mentionner et les commandes `/` marchent toujours.
general-prefix-show-default = Ici, les commandes commencent par { $list } (préfixe par défaut). Me mentionner et les commandes `/` marchent toujours.
general-prefix-set-title = Préfixe mis à jour
general-prefix-set = Ici, les commandes commencent désormais par `{ $prefix }` (par exemple `{ $example }`). Le préfixe par défaut `{ $default }` ne marche plus sur ce serveur ; `prefix reset` le rétablit.
general-prefix-reset-title = Préfixe réinitialisé
general-prefix-reset = Ici, les commandes commencent de nouveau par `{ $default }`.

## module
general-module-title = Modules
general-module-always-on = ✅ `{ $name }` : toujours actif
general-module-off-bot = ⛔ `{ $name }` : désactivé pour tout le bot (`{ $key }=false`)
general-module-off-here = ❌ `{ $name }` : désactivé sur ce serveur
general-module-on = ✅ `{ $name }` : actif
general-module-footer = Admins : module enable <nom> / module disable <nom>
general-module-core = Le module general ne peut pas être désactivé.
general-module-unknown = aucun module ne s'appelle `{ $name }`. Modules : { $modules }.
general-module-enabled-title = Module activé
general-module-enabled = `{ $name }` est de nouveau actif sur ce serveur.
general-module-enabled-off-title = Module activé, mais désactivé pour tout le bot
general-module-enabled-off = `{ $name }` est autorisé sur ce serveur, mais le bot tourne sans lui ; le propriétaire du bot doit l'activer.
general-module-disabled-title = Module désactivé
general-module-disabled = `{ $name }` est désactivé sur ce serveur ; ses commandes répondent maintenant par un refus. `module enable { $name }` le réactive.

## errorlog
general-errorlog-other-server = ce salon n'est pas sur ce serveur
general-errorlog-set-title = Journal d'erreurs choisi
general-errorlog-set = Les rapports d'erreur de ce serveur vont désormais dans { $channel }.
general-errorlog-cleared-title = Journal d'erreurs retiré
general-errorlog-cleared = Les rapports d'erreur sont désormais seulement journalisés.

## help
general-help-aliases-inline = {" "}(alias : { $aliases })
general-help-module-disabled = ❌ Ce module est désactivé sur ce serveur (`module enable { $feature }`).
general-help-page-title = Aide de Chronix : { $feature } ({ $page }/{ $pages })
general-help-page-footer = Page { $page }/{ $pages } • { $help } <commande> pour le détail
general-help-title = Aide de Chronix
general-help-none = Aucune commande disponible.
general-help-no-description = Pas de description.
general-help-details-title = Aide : { $command }
general-help-usage = Utilisation
general-help-slash = Slash
general-help-no-aliases = aucun
general-help-aliases = Alias
general-help-tier = Rang
general-help-module = Module
general-help-subcommands = Sous-commandes
general-help-unknown-title = Commande inconnue
general-help-unknown = Aucune commande ne s'appelle `{ $command }`. `{ $help }` les liste toutes.

## ping, about, devstats
general-ping-title = Pong !
general-ping-gateway = Battement de la passerelle
general-ping-rest = Aller-retour REST
general-ping-database = Base de données
general-ping-first-heartbeat = connecté (premier battement en attente)
general-ping-reconnecting = reconnexion
general-ping-failed = ⚠️ indisponible (détails dans le journal)
general-about-title = À propos de Chronix
general-about-text = Un bot Discord tout-en-un : jeux, économie, modération et plus.
general-about-unknown = inconnue
general-about-version = Version
general-about-uptime = Disponibilité
general-about-guilds = Serveurs
general-about-memory = Mémoire
general-about-commands-run = Commandes lancées
general-about-features = Fonctionnalités
general-devstats-title = Métriques des commandes
general-devstats-line = `{ $name }` : { $count } lancées, { $errors } erreurs, { $refused } refus, { $mean } ms en moyenne
general-devstats-none = Aucune commande enregistrée pour l'instant.
general-devstats-in-flight = En cours
general-devstats-total = Total
