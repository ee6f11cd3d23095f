# La fonctionnalité équipes : de petits groupes qui chassent ensemble.

## Commands (slash descriptions and help texts)
cmd-team =
    .description = Équipes : de petits groupes qui chassent ensemble et partagent le butin.
cmd-team-info =
    .description = Votre équipe et ses membres.
cmd-team-create =
    .description = Créer une équipe (vous la dirigez).
cmd-team-create-opt-name =
    .description = Le nom de l'équipe (3 à 24 caractères)
cmd-team-invite =
    .description = Inviter un joueur dans votre équipe (chef d'équipe).
cmd-team-invite-opt-member =
    .description = Le joueur
cmd-team-join =
    .description = Rejoindre l'équipe d'un membre qui vous a invité.
cmd-team-join-opt-member =
    .description = Un membre de l'équipe
cmd-team-leave =
    .description = Quitter votre équipe (un chef la transmet au membre suivant).
cmd-team-disband =
    .description = Dissoudre votre équipe (chef d'équipe).
cmd-team-hunt =
    .description = Chasser ensemble : chaque membre hors délai chasse ; le butin et l'XP sont partagés.

## Refusals
teams-not-in-team = Vous n'êtes dans aucune équipe. Créez-en une avec `team create <nom>`.
teams-already-in-team = Vous êtes déjà dans une équipe (quittez-la d'abord avec `team leave`).
teams-target-in-team = { $user } est déjà dans une équipe.
teams-not-leader = Seul le chef d'équipe peut faire cela.
teams-no-invite = Vous n'avez pas d'invitation pour cette équipe : son chef vous invite avec `team invite`.
teams-full = L'équipe est complète ({ $max } membres).
teams-not-enough-present = Une chasse d'équipe demande au moins 2 membres hors délai de chasse (actuellement : { $present }).
teams-yourself = Pas vous-même.
teams-bad-name = Un nom d'équipe a 3 à 24 caractères : lettres, chiffres, espaces et - _ ' .

## Replies
teams-info-title = Équipe { $name }
teams-info-footer = { $count }/{ $max } membres
teams-created = Vous dirigez **{ $name }**. Invitez des joueurs avec `team invite @joueur`.
teams-invited-title = Invitation d'équipe
teams-invited = { $user } peut rejoindre **{ $name }** avec `team join { $leader }`.
teams-joined = Vous avez rejoint **{ $name }**.
teams-left-title = Équipe quittée
teams-left = Vous avez quitté votre équipe.
teams-disbanded-title = Équipe dissoute
teams-disbanded = **{ $name }** n'existe plus.
teams-hunt-title = Chasse d'équipe : { $name }
teams-hunt-text = { $count } membres ont chassé ensemble (+{ $bonus } % de bonus d'équipe) ; tout est partagé à parts égales.
teams-hunt-shares = Parts
teams-hunt-share = { $user } : +{ $xp } XP · +{ $chrons } (portefeuille { $balance })

## Team battles (the panel is the battles feature's)
cmd-team-battle =
    .description = Combattre ensemble : les membres libres participent ; l'ennemi est à la mesure de l'équipe.
cmd-team-battle-opt-kind =
    .description = Ce que vous combattez : wild (sauvage) ou boss
    .choice-wild = Ennemi sauvage
    .choice-boss = Boss
teams-battle-not-enough-free = Un combat d'équipe demande au moins 2 membres qui ne sont pas dans un autre combat (actuellement : { $free }).
teams-battle-off = Les combats sont désactivés ici.
