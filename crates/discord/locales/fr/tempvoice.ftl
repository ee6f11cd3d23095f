# La fonction tempvoice : salons vocaux temporaires (ticket 15).

## Commandes
cmd-vc =
    .name = vc
    .description = Salons vocaux temporaires : rejoignez un hub pour avoir votre propre salon.
cmd-vc-setup =
    .name = configurer
    .description = Configurer un hub « rejoindre pour créer » (catégorie, hub, format du nom, limite, débit).
cmd-vc-hubs =
    .name = hubs
    .description = Lister les hubs de ce serveur.
cmd-vc-unhub =
    .name = retirer-hub
    .description = Un salon n'est plus un hub (ses salons restent jusqu'à ce qu'ils se vident).
cmd-vc-unhub-opt-channel =
    .name = salon
    .description = Le salon hub
cmd-vc-rename =
    .name = renommer
    .description = Renommer votre salon.
cmd-vc-rename-opt-name =
    .name = nom
    .description = Le nouveau nom
cmd-vc-limit =
    .name = limite
    .description = Fixer la limite de membres de votre salon (0 : aucune).
cmd-vc-limit-opt-count =
    .name = nombre
    .description = Nombre maximal de membres (0 à 99 ; 0 : sans limite)
cmd-vc-lock =
    .name = verrouiller
    .description = Verrouiller votre salon : seuls vous et les membres autorisés peuvent entrer.
cmd-vc-unlock =
    .name = deverrouiller
    .description = Déverrouiller votre salon.
cmd-vc-hide =
    .name = masquer
    .description = Cacher votre salon aux membres que vous n'avez pas autorisés.
cmd-vc-unhide =
    .name = afficher
    .description = Rendre votre salon visible à nouveau.
cmd-vc-permit =
    .name = autoriser
    .description = Permettre à un membre de voir et de rejoindre votre salon.
cmd-vc-permit-opt-user =
    .name = membre
    .description = Le membre
cmd-vc-kick =
    .name = expulser
    .description = Déconnecter un membre de votre salon et l'empêcher de revenir.
cmd-vc-kick-opt-user =
    .name = membre
    .description = Le membre
cmd-vc-transfer =
    .name = transferer
    .description = Donner votre salon à un membre qui s'y trouve.
cmd-vc-transfer-opt-user =
    .name = membre
    .description = Le nouveau propriétaire
cmd-vc-claim =
    .name = reprendre
    .description = Reprendre le salon où vous êtes une fois que son propriétaire est parti.
cmd-vc-persist =
    .name = conserver
    .description = Garder ce salon quand il se vide, ou non (administrateurs du serveur).

## vc (sans sous-commande)
tempvoice-intro-title = Salons vocaux temporaires
tempvoice-intro = 🔊 Rejoignez un salon hub et Chronix vous crée votre propre salon vocal et vous y déplace ; il disparaît quand le dernier membre part. Dedans, utilisez les boutons du panneau ou `vc rename`, `vc limit`, `vc lock`/`unlock`, `vc hide`/`unhide`, `vc permit`, `vc kick`, `vc transfer` ; `vc claim` le reprend une fois son propriétaire parti. Administrateurs : `vc setup`, `vc hubs`, `vc unhub`, `vc persist`.

## Refus
tempvoice-refused-title = Salon vocal
tempvoice-format-empty = Le format du nom est vide.
tempvoice-format-long = Le format du nom dépasse { $max } caractères.
tempvoice-limit-range = La limite de membres est un nombre de 0 (sans limite) à { $max }.
tempvoice-bitrate-range = Le débit va de { $min } à { $max } kbit/s.
tempvoice-not-a-number = `{ $given }` n'est pas un nombre entier.
tempvoice-hub-exists = Ce salon est déjà un hub.
tempvoice-no-hub = Ce salon n'est pas un hub.
tempvoice-not-temporary = Ce n'est pas (ou plus) un salon vocal temporaire.
tempvoice-owner-changed = Le propriétaire du salon a changé entre-temps ; réessayez.
tempvoice-already-owner = Ce membre est déjà propriétaire du salon.
tempvoice-unchanged = Le salon est déjà dans cet état.
tempvoice-not-in-channel = Lancez ceci dans le chat d'un salon vocal temporaire, ou rejoignez d'abord votre salon vocal temporaire.
tempvoice-owner-only = Seul le propriétaire du salon (ou un administrateur du serveur) peut faire cela.
tempvoice-admins-only = Seuls les administrateurs du serveur peuvent conserver un salon.
tempvoice-already-yours = Ce salon est déjà à vous.
tempvoice-claim-join-first = Rejoignez le salon avant de le reprendre.
tempvoice-owner-present = Le propriétaire est encore dans le salon ; demandez-lui de vous le transférer.
tempvoice-rename-empty = Le nouveau nom est vide.
tempvoice-kick-owner = Le propriétaire ne peut pas être expulsé de son propre salon.
tempvoice-transfer-not-here = Transférez le salon à quelqu'un qui s'y trouve.
tempvoice-transfer-bot = Un bot ne peut pas posséder de salon.

## Résultats
tempvoice-renamed-title = Salon renommé
tempvoice-renamed = Il s'appelle maintenant **{ $name }**.
tempvoice-limit-title = Limite de membres fixée
tempvoice-limit-set = Au plus { $count } { $count ->
        [one] membre peut
       *[other] membres peuvent
    } être dans le salon.
tempvoice-limit-none = Tout le monde peut entrer : pas de limite.
tempvoice-locked = Salon verrouillé : seuls le propriétaire et les membres autorisés peuvent entrer.
tempvoice-unlocked = Salon déverrouillé.
tempvoice-hidden = Salon masqué : seuls le propriétaire et les membres autorisés le voient.
tempvoice-unhidden = Salon de nouveau visible.
tempvoice-permitted-title = Membre autorisé
tempvoice-permitted = { $user } peut maintenant voir et rejoindre le salon.
tempvoice-kicked-title = Membre expulsé
tempvoice-kicked = { $user } a été déconnecté et ne peut plus revenir.
tempvoice-transferred-title = Salon transféré
tempvoice-claimed-title = Salon repris
tempvoice-owner-now = { $user } est maintenant propriétaire du salon.
tempvoice-persistent = Salon conservé : il reste quand il est vide.
tempvoice-not-persistent = Le salon disparaîtra quand il sera vide.

## Panneau de contrôle
tempvoice-panel-title = { $name }
tempvoice-panel = Ce salon appartient à { $user }. Utilisez les boutons ci-dessous, ou ici `vc rename`, `vc limit`, `vc lock`, `vc permit`, `vc kick`, `vc transfer`. Il disparaît quand tout le monde est parti.
tempvoice-button-lock = Verrouiller
tempvoice-button-unlock = Déverrouiller
tempvoice-button-hide = Masquer
tempvoice-button-unhide = Afficher
tempvoice-button-claim = Reprendre
tempvoice-button-rename = Renommer
tempvoice-button-limit = Limite
tempvoice-button-persist = Conserver / libérer
tempvoice-select-permit = Autoriser un membre…
tempvoice-select-kick = Expulser un membre…
tempvoice-select-transfer = Transférer à…
tempvoice-field-name = Nouveau nom
tempvoice-field-limit = Limite de membres
tempvoice-audit-created = Salon vocal temporaire de l'utilisateur { $user }
tempvoice-slow-down-title = Doucement
tempvoice-slow-down = Vous créez des salons vocaux trop vite. Restez dans le hub, rien ne se passera ; rejoignez-le à nouveau { $at }.

## vc hubs / unhub
tempvoice-hubs-title = Hubs vocaux
tempvoice-hubs-none = Aucun hub pour l'instant : un administrateur en crée un avec `vc setup`.
tempvoice-hubs-line = { $hub } : `{ $format }`, limite { $limit }
tempvoice-unhub-title = Hub retiré
tempvoice-unhub = { $hub } est de nouveau un salon vocal ordinaire ; les salons créés depuis lui restent jusqu'à ce qu'ils se vident.

## vc setup (assistant)
tempvoice-setup-title = Hub vocal
tempvoice-setup-place-title = Où vont les salons ?
tempvoice-setup-place = Choisissez la catégorie des nouveaux salons vocaux, et le hub que les membres rejoignent pour en avoir un. Chacun peut être créé pour vous.
tempvoice-setup-category = Catégorie des nouveaux salons
tempvoice-setup-hub = Salon hub (« rejoindre pour créer »)
tempvoice-setup-new-category = ➕ Créer une nouvelle catégorie
tempvoice-setup-new-hub = ➕ Créer un nouveau salon hub
tempvoice-setup-settings-title = Réglages des salons
tempvoice-setup-settings = Le format du nom utilise `{"{"}user{"}"}` pour le nom du membre et `{"{"}n{"}"}` pour un compteur. Une limite de 0 signifie aucune ; laissez le débit vide pour celui de Discord.
tempvoice-setup-edit = Modifier les réglages
tempvoice-field-category = Catégorie
tempvoice-field-hub = Hub
tempvoice-field-format = Format du nom
tempvoice-field-example = Exemple
tempvoice-field-bitrate = Débit
tempvoice-field-bitrate-kbps = Débit en kbit/s (8 à 96, vide : par défaut)
tempvoice-kbps = { $kbps } kbit/s
tempvoice-default = Celui de Discord
tempvoice-category-name = Salons vocaux
tempvoice-hub-name = ➕ Rejoindre pour créer
tempvoice-setup-done-title = Hub vocal prêt
tempvoice-setup-done = Rejoignez { $hub } pour avoir votre propre salon vocal dans { $category }.
