# La fonctionnalité économie.

## Commandes
cmd-balance =
    .name = solde
    .description = Affiche vos Chrons (💠), ou ceux d'un autre joueur.

## balance
economy-balance-title-own = Votre solde
economy-balance-title-other = Solde de { $user }
economy-balance-text = { $user } a **{ $amount }**
economy-wallet = Portefeuille
economy-bank = Banque
economy-net-worth = Fortune nette
