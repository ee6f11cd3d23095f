# La fonctionnalité générale (toujours active).

## Commandes
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
