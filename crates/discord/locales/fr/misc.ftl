# La fonctionnalité misc.

## Commandes
cmd-roll =
    .name = lancer
    .description = Lance un dé (6 faces, ou le nombre donné).
cmd-flip =
    .name = pile
    .description = Tire à pile ou face.
cmd-serverinfo =
    .name = infoserveur
    .description = Informations sur ce serveur.

## roll, flip, serverinfo
misc-roll-sides = un dé a de 2 à 1000 faces
misc-roll-title = Lancer de dé
misc-roll-text = 🎲 Vous avez obtenu **{ $value }** (d{ $sides }).
misc-flip-title = Pile ou face
misc-flip-heads = Face
misc-flip-tails = Pile
misc-server-owner = Propriétaire
misc-server-members = Membres
misc-server-channels = Salons
misc-server-roles = Rôles
misc-server-created = Créé
misc-server-id = Id
