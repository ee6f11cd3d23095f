# La fonctionnalité invitations (issue 12) : qui a invité qui, compteurs, classement, récompenses.

## Commands (slash descriptions and help texts)
cmd-invites =
    .description = Combien de membres quelqu'un a invités : réguliers, faux, partis et bonus.
cmd-invites-opt-user =
    .description = Les invitations de qui (par défaut : vous)
cmd-invites-show =
    .description = Combien de membres quelqu'un a invités : réguliers, faux, partis et bonus.
cmd-invites-show-opt-user =
    .description = Les invitations de qui (par défaut : vous)
cmd-invites-leaderboard =
    .description = Les meilleurs recruteurs du serveur (par pages).
cmd-invites-who =
    .description = Qui a invité un membre, avec quelle invitation et quand.
cmd-invites-who-opt-user =
    .description = Le membre
cmd-invites-bonus =
    .description = Ajouter ou retirer des invitations bonus (admin, audité).
cmd-invites-bonus-add =
    .description = Donner des invitations bonus à un membre.
cmd-invites-bonus-add-opt-user =
    .description = Le membre
cmd-invites-bonus-add-opt-amount =
    .description = Combien (de 1 à 100000)
cmd-invites-bonus-remove =
    .description = Retirer des invitations bonus à un membre.
cmd-invites-bonus-remove-opt-user =
    .description = Le membre
cmd-invites-bonus-remove-opt-amount =
    .description = Combien (de 1 à 100000)
cmd-invites-channel =
    .description = Choisir (ou, sans salon, désactiver) le salon des lignes « X a invité Y » (admin).
cmd-invites-channel-opt-channel =
    .description = Le salon (aucun : désactiver)
cmd-invites-reward =
    .description = Donner un rôle quand les invitations d'un membre atteignent un nombre (admin).
cmd-invites-reward-opt-count =
    .description = Invitations nécessaires (au moins 1)
cmd-invites-reward-opt-role =
    .description = Le rôle (une mention ou un identifiant)
cmd-invites-unreward =
    .description = Retirer la récompense d'un nombre d'invitations (admin).
cmd-invites-unreward-opt-count =
    .description = Le nombre

## Counts
invites-title-own = Vos invitations
invites-title = Invitations de { $user }
invites-total = **{ $total }** invitations
invites-field-regular = Réguliers
invites-field-fake = Faux
invites-field-left = Partis
invites-field-bonus = Bonus
invites-field-joined = Arrivé

## Leaderboard
invites-board-title = Meilleurs recruteurs
invites-board-line = `#{ $rank }` { $user } • **{ $total }** ({ $regular } réguliers, { $fake } faux, { $left } partis, { $bonus } bonus)
invites-board-empty = Personne n'a encore invité qui que ce soit.

## Who
invites-who-title = Comment { $user } est arrivé
invites-who-invite = Invité par { $inviter } avec l'invitation `{ $code }`.
invites-who-invite-nobody = Arrivé avec l'invitation `{ $code }` (son créateur est inconnu).
invites-who-vanity = Arrivé par l'URL personnalisée du serveur.
invites-who-unknown = Arrivé par une invitation inconnue (les invitations n'ont pas pu être comparées).
invites-who-never = Je n'ai jamais vu ce membre arriver.
invites-who-fake = Oui : un compte récent

## Admin
invites-refused-title = Invitations
invites-bonus-title = Invitations bonus
invites-bonus-done = { $user } a maintenant un bonus de **{ $bonus }** (total : { $total }).
invites-bonus-range = Le nombre doit être entre 1 et { $max }.
invites-settings-title = Réglages des invitations
invites-channel-set = Les lignes d'arrivée vont maintenant dans { $channel }.
invites-channel-off = Les lignes d'arrivée sont désactivées.
invites-reward-done = { $role } est donné à **{ $count }** invitations.
invites-unreward-done = Plus de récompense à { $count } invitations.
invites-reward-zero = Une récompense demande au moins 1 invitation.
invites-reward-too-many = Au plus { $max } rôles en récompense.
invites-bad-role = `{ $role }` n'est pas un rôle : mentionnez-le ou donnez son identifiant.

## The invite channel
invites-joined-line = { $inviter } a invité { $user } (total : { $total })
