# La fonctionnalité accueil (issue 15) : messages de bienvenue et d'au revoir, bannière, rôles automatiques, cadeaux.

## Commands (slash descriptions and help texts)
cmd-welcome =
    .name = bienvenue
    .description = Messages de bienvenue et d'au revoir, bannière, rôles automatiques et cadeaux (admin).
cmd-welcome-setup =
    .name = configurer
    .description = Ouvrir le panneau de l'accueil (salons, textes, bannière, rôles automatiques, cadeaux).
cmd-welcome-show =
    .name = afficher
    .description = Afficher les réglages de l'accueil de ce serveur.
cmd-welcome-enable =
    .name = activer
    .description = Réactiver l'accueil avec ses réglages enregistrés.
cmd-welcome-disable =
    .name = desactiver
    .description = Désactiver l'accueil (messages, rôles et cadeaux) en gardant ses réglages.
cmd-welcome-test =
    .name = tester
    .description = Publier ici la bienvenue (avec sa bannière), comme si vous veniez d'arriver.

## Messages
welcome-inviter-unknown = quelqu'un
welcome-embed-title = Bienvenue sur { $server } !
welcome-embed-farewell = Au revoir de { $server }
welcome-banner-headline = BIENVENUE
welcome-banner-subtitle = Membre n° { $position } de { $server }
welcome-none = aucun
welcome-on = activé
welcome-off = désactivé
welcome-refused-title = Accueil
welcome-style-embed = embed
welcome-style-text = texte

## Setup wizard
welcome-setup-title = Configuration de l'accueil
welcome-setup-place-title = Où
welcome-setup-place = Choisissez le salon des bienvenues et celui des au revoir (ou aucun), et si les nouveaux membres reçoivent aussi un guide en MP.
welcome-setup-channel = Salon de bienvenue
welcome-setup-farewell-channel = Salon des au revoir
welcome-setup-dm-toggle = MP : { $state }
welcome-setup-texts-title = Textes
welcome-setup-texts = Variables : {"{"}user{"}"}, {"{"}mention{"}"}, {"{"}server{"}"}, {"{"}members{"}"}, {"{"}position{"}"}, {"{"}inviter{"}"}, {"{"}account_age{"}"} (jours). Ci-dessous, chaque texte tel que vous le verriez en arrivant maintenant.
welcome-setup-texts-edit = Modifier les textes
welcome-setup-welcome-label = Bienvenue
welcome-setup-farewell-label = Au revoir
welcome-setup-dm-label = Guide (MP)
welcome-setup-welcome-style = Bienvenue en { $style }
welcome-setup-farewell-style = Au revoir en { $style }
welcome-setup-banner-title = Bannière
welcome-setup-banner = La bienvenue peut porter une bannière : les initiales et le nom du membre sur une couleur de fond de votre choix.
welcome-setup-banner-pick = Bannière
welcome-setup-no-banner = Pas de bannière
welcome-setup-colour-edit = Couleur personnalisée
welcome-setup-colour-label = Couleur (#rrggbb)
welcome-colour-blurple = Blurple
welcome-colour-green = Vert
welcome-colour-red = Rouge
welcome-colour-gold = Or
welcome-colour-dark = Sombre
welcome-setup-roles-title = Rôles automatiques
welcome-setup-roles = Les rôles donnés aux membres qui arrivent, ceux donnés aux bots, et quand les membres reçoivent les leurs. Les rôles doivent être sous le plus haut rôle de Chronix.
welcome-setup-member-roles = Rôles des membres
welcome-setup-bot-roles = Rôles des bots
welcome-setup-when = Quand
welcome-setup-gifts-title = Cadeaux
welcome-setup-gifts = Un kit de départ en Chrons et en objets (donné une fois par membre, même après un retour) et un bonus d'XP pour les premières heures (100 % = aucun).
welcome-setup-gifts-edit = Modifier les cadeaux
welcome-setup-starter-label = Chrons de départ (0 : aucun)
welcome-setup-boost-pct-label = Bonus d'XP en % (100 : aucun)
welcome-setup-boost-hours-label = Durée du bonus d'XP en heures
welcome-setup-items-label = Objets de départ (ex. hunting_lure x2)
welcome-setup-done-title = Accueil enregistré
welcome-setup-done = L'accueil est activé. Essayez-le avec `welcome test`.

## Fields
welcome-field-channel = Salon de bienvenue
welcome-field-farewell-channel = Salon des au revoir
welcome-field-dm = Guide en MP
welcome-field-welcome = Bienvenue ({ $style })
welcome-field-farewell = Au revoir ({ $style })
welcome-field-dm-text = Guide
welcome-field-banner = Bannière
welcome-field-roles = Rôles des membres
welcome-field-bot-roles = Rôles des bots
welcome-field-timing = Rôles donnés
welcome-field-starter = Kit de départ
welcome-field-boost = Bonus d'XP
welcome-banner-on = activée, { $colour }
welcome-timing-now = tout de suite
welcome-timing-delay = après { $minutes ->
    [one] 1 minute
   *[other] { $minutes } minutes
}
welcome-timing-screening = après la vérification d'adhésion
welcome-starter-value = { $chrons } Chrons
welcome-starter-item = { $quantity } × { $item }
welcome-boost-value = { $pct } % pendant { $hours ->
    [one] 1 heure
   *[other] { $hours } heures
}

## Commands
welcome-show-title = Accueil
welcome-show-state = L'accueil est { $state }.
welcome-saved-title = Accueil enregistré
welcome-enabled = L'accueil est de nouveau activé.
welcome-disabled = L'accueil est désactivé : ni messages, ni rôles, ni cadeaux. Ses réglages sont gardés ; `welcome enable` le réactive.
welcome-test-title = Test de l'accueil
welcome-test-posted = La bienvenue est publiée dans ce salon telle que vous la recevriez.

## Refusals
welcome-role-above-bot = Chronix ne peut pas donner **{ $role }** : ce rôle est au niveau ou au-dessus du plus haut rôle de Chronix. Montez le rôle de Chronix au-dessus dans les réglages du serveur, ou choisissez un autre rôle.
welcome-role-managed = Personne ne peut donner **{ $role }** : ce rôle est géré par une intégration.
welcome-not-a-number = « { $value } » n'est pas un nombre entier.
welcome-bad-text = Un texte doit avoir de 1 à { $max } caractères.
welcome-bad-roles = Au plus { $max } rôles par liste.
welcome-bad-delay = Le délai des rôles est d'un jour au plus.
welcome-bad-starter = Le kit de départ va de 0 à { $max } Chrons.
welcome-bad-starter-items = Les objets de départ s'écrivent `objet x2, autre_objet` : { $kinds } sortes au plus, de 1 à { $max } de chacune, chacune une fois.
welcome-unknown-item = L'objet `{ $item }` n'existe pas (voir `shop` pour les identifiants).
welcome-bad-colour = Une couleur s'écrit #rrggbb (par exemple #5865f2).
welcome-bad-boost = Le bonus d'XP doit être entre 100 % et { $pct } %, pendant { $hours } heures au plus.
welcome-bad-duplicate-role = { $role } figure deux fois (un rôle est pour les membres ou pour les bots).
