# La fonctionnalité économie.

## Commandes
cmd-balance =
    .name = solde
    .description = Affiche vos Chrons (💠), ou ceux d'un autre joueur.

cmd-pay =
    .name = payer
    .description = Payez des Chrons à un autre joueur.
cmd-transactions =
    .name = transactions
    .description = Votre historique : chaque mouvement de vos Chrons, du plus récent au plus ancien.
cmd-leaderboard =
    .name = classement
    .description = Les joueurs les plus riches (mondial ou ce serveur), par Chrons, niveau ou chasses.
cmd-daily =
    .name = quotidien
    .description = Réclamez vos Chrons du jour ; chaque jour de suite augmente votre bonus.
cmd-weekly =
    .name = hebdo
    .description = Réclamez vos Chrons de la semaine (elle commence le lundi).
cmd-work =
    .name = travailler
    .description = Travaillez pour quelques Chrons (une fois par heure).
cmd-beg =
    .name = mendier
    .description = Mendiez quelques Chrons (toutes les quelques minutes ; parfois rien).
cmd-coinflip =
    .name = pile-ou-face
    .description = Pariez sur un pile ou face : choisissez heads ou tails (heads par défaut).
cmd-slots =
    .name = machine-a-sous
    .description = Faites tourner la machine à sous.
cmd-dice =
    .name = des
    .description = Pariez sur deux dés : low (2-6), high (8-12), seven, doubles ou un total exact.
cmd-deposit =
    .name = deposer
    .description = Placez des Chrons de votre portefeuille à la banque (ils rapportent des intérêts).
cmd-withdraw =
    .name = retirer
    .description = Retirez des Chrons de la banque vers votre portefeuille.
cmd-shop =
    .name = boutique
    .description = Les objets de la boutique, avec leurs prix.
cmd-buy =
    .name = acheter
    .description = Achetez des objets à la boutique.
cmd-sell =
    .name = vendre
    .description = Vendez des objets ou des créatures à la boutique.
cmd-market =
    .name = marche
    .description = Le marché entre joueurs : offres ouvertes.
cmd-market-list =
    .name = offres
    .description = Les offres ouvertes (d'un seul objet si précisé).
cmd-market-sell =
    .name = vendre
    .description = Mettez des objets en vente pour un prix total.
cmd-market-buy =
    .name = acheter
    .description = Achetez une offre par son numéro.
cmd-market-cancel =
    .name = annuler
    .description = Annulez votre offre ; les objets vous reviennent.
cmd-trade =
    .name = echanger
    .description = Proposez un échange à un joueur : Chrons et objets contre Chrons et objets.

## balance
economy-balance-title-own = Votre solde
economy-balance-title-other = Solde de { $user }
economy-balance-text = { $user } a **{ $amount }**
economy-wallet = Portefeuille
economy-bank = Banque
economy-net-worth = Fortune nette
economy-balance = Solde
economy-your-balance = Votre solde
economy-amount = Montant

## Refus communs
economy-no-chrons = Vous n'avez pas de Chrons pour ça (votre solde est de 0 💠).
economy-try-again = Réessayez dans { $duration } ({ $at }).
economy-insufficient-funds = Vous n'avez pas assez de Chrons : il faut { $needed } et vous avez { $available }.
economy-not-enough-items = Pas assez de **{ $item }** : il en faut { $needed } et il y en a { $available }.
economy-amount-not-positive = Le montant doit être supérieur à zéro.
economy-amount-too-large = Ce montant est trop grand.
economy-self-transfer = Impossible de faire ça avec vous-même.
economy-on-cooldown = ⏳ Pas si vite ! { $again }
economy-rate-limited-title = Doucement
economy-rate-limited = ⏳ Vous faites cela trop souvent. { $again }

## pay
economy-pay-self = Vous ne pouvez pas vous payer vous-même.
economy-pay-bot = Les bots n'ont pas besoin de Chrons.
economy-pay-sent-title = Paiement envoyé
economy-pay-sent = { $from } a payé **{ $amount }** à { $to }.
economy-pay-confirm-title = Confirmer le paiement
economy-pay-confirm = Payer **{ $amount }** à { $to } ? Expire { $expires }.
economy-confirm = Confirmer
economy-cancel = Annuler
economy-pay-only-payer = Seul le payeur peut répondre.
economy-pay-cancelled-title = Paiement annulé
economy-pay-nothing-paid = Rien n'a été payé.
economy-pay-expired-title = Paiement expiré
economy-pay-expired = ⌛ Ce paiement a expiré avant d'être confirmé : rien n'a été payé. Relancez `pay`.
economy-pay-closed = Ce paiement a déjà reçu une réponse : rien de plus n'a été payé.

## transactions
economy-history-title = Transactions
economy-history-line = `{ $change }` 💠 { $reason } • solde { $balance } • { $at }
economy-history-empty = Aucune transaction pour l'instant : gagnez vos premiers Chrons avec `daily` ou `hunt`.
economy-history-total = { $count } au total

## leaderboard
economy-board-unknown = `{ $word }` n'est pas un classement ; utilisez global ou server, et chrons, level ou hunts
economy-board-chrons = Chrons
economy-board-level = niveau
economy-board-hunts = chasses
economy-board-global = Classement mondial : { $what }
economy-board-server = Classement du serveur : { $what }
economy-board-xp = { $xp } XP
economy-board-hunt-count = { $hunts } chasses
economy-board-empty = Personne pour l'instant.

## bank
economy-bank-interest = Intérêts : { $rate } % par jour, jusqu'à { $cap } par versement
economy-deposit-title = Dépôt
economy-deposit-text = Vous avez déposé **{ $amount }**.
economy-withdraw-title = Retrait
economy-withdraw-text = Vous avez retiré **{ $amount }**.
economy-bank-empty = Votre banque est vide.
economy-bank-holds-only = Votre banque ne contient que { $available } ; vous avez demandé { $needed }.

## daily, weekly, work, beg
economy-daily-title = Récompense du jour
economy-daily-claimed = Vous avez reçu **{ $reward }**.
economy-daily-claimed-bonus = Vous avez reçu **{ $reward }** ({ $base } + { $bonus } de bonus de série).
economy-daily-streak-lost = Vous avez manqué un jour : votre série recommence.
economy-streak = Série
economy-streak-days = 🔥 { $days } { $days ->
        [one] jour
       *[other] jours
    }
economy-best-streak = Meilleure série
economy-next-claim = Prochaine récompense
economy-weekly-title = Récompense de la semaine
economy-weekly-claimed = Vous avez reçu **{ $reward }**.
economy-work-title = Travail
economy-work-text = Vous avez travaillé ({ $job }) et gagné **{ $earned }**.
economy-work-again = Retravailler
economy-beg-title = Mendier
economy-beg-given = Un passant généreux vous a donné **{ $earned }**.
economy-beg-nothing = Personne ne vous a rien donné cette fois.
economy-beg-again = Remendier
economy-cannot-bet = Impossible de miser ça : { $reason }.
economy-bet-error-not-positive = la mise doit être supérieure à zéro
economy-bet-error-below-min = la plus petite mise est de { $min } Chrons
economy-bet-error-above-max = la plus grosse mise est de { $max } Chrons
economy-bet-error-invalid-choice = deux dés font un total entre 2 et 12
economy-game-coinflip = Pile ou face
economy-game-slots = Machine à sous
economy-game-dice = Dés
economy-game-won-title = { $game } : gagné !
economy-game-won = Vous avez gagné **{ $amount }**.
economy-game-lost-title = { $game } : perdu
economy-game-lost = Vous avez perdu **{ $amount }**.
economy-bet = Mise
economy-payout = Gain

## boutique, marché, échanges
economy-no-such-item = Aucun objet ne s'appelle `{ $item }`. `shop` les liste.
economy-no-such-goods = Aucun objet ni créature ne s'appelle `{ $item }`. `shop` liste les objets.
economy-shop-title = Boutique
economy-shop-not-sold = pas en vente
economy-shop-line = { $item }
    {"  "}achat { $buy } • revente { $sell } • { $description }
economy-shop-footer = buy <objet> [quantité] • sell <objet> [quantité]
economy-buy-title = Achat
economy-buy-text = Vous avez acheté { $quantity } × { $item } pour **{ $total }**.
economy-you-own = Vous possédez
economy-quantity-range = La quantité doit être entre 1 et { $max }.
economy-cannot-sell = Ça ne se vend pas.
economy-sell-title = Vendu
economy-sell-text = Vous avez vendu { $quantity } × { $item } pour **{ $total }**.
economy-listing-line = `#{ $id }` { $quantity } × { $item } pour **{ $price }** par { $seller }
economy-market-title = Marché
economy-market-empty = Aucune offre pour l'instant. `market sell <objet> <quantité> <prix>` en crée une.
economy-list-at-least-one = Mettez-en au moins un en vente.
economy-listed-title = En vente
economy-listed-footer = Les autres l'achètent avec : market buy { $id }
economy-bought-title = Acheté
economy-listing-cancelled-title = Offre annulée
economy-item-quantity = La quantité d'un objet doit être d'au moins 1.
economy-offer-nothing = rien
economy-trade-complete = Échange conclu #{ $id }
economy-trade-cancelled = Échange annulé #{ $id }
economy-trade-offer = Proposition d'échange #{ $id }
economy-trade-gives = { $tick } donne
economy-trade-expires = Expire
economy-trade-self = Vous ne pouvez pas échanger avec vous-même.
economy-trade-bot = Les bots n'échangent pas.
economy-trade-empty = Un échange demande quelque chose d'au moins un côté.
economy-trade-both-confirm = Les deux côtés appuient sur **Confirmer** pour échanger.
economy-trade-cancelled-by = Annulé par { $user }.
economy-trade-chrons-gone = Quelqu'un n'a plus les Chrons proposés ; rien n'a été échangé.
economy-trade-items-gone = Quelqu'un n'a plus les objets proposés ; rien n'a été échangé.
economy-trade-swapped = Tout a été échangé.
economy-trade-waiting = { $user } a confirmé ; en attente de l'autre côté.
economy-your-wallet = Votre portefeuille
economy-pay-question = Payer **{ $amount }** à { $to } ?
economy-trade-not-found = Il n'y a pas d'échange n° { $id }.
economy-trade-not-yours = Cet échange ne vous concerne pas.
economy-trade-closed = Cet échange est déjà clos.
economy-trade-expired = Cet échange a expiré ; lancez-en un nouveau.
economy-market-not-found = Il n'y a pas d'annonce n° { $id }.
economy-market-closed = L'annonce n° { $id } n'est plus en vente.
economy-market-own-listing = Vous ne pouvez pas acheter votre propre annonce ; annulez-la plutôt.
economy-market-not-yours = L'annonce n° { $id } n'est pas à vous.
economy-amount-error-empty = indiquez un montant, comme `500`, `2.5k`, `half` ou `all`
economy-amount-error-malformed = `{ $text }` n'est pas un montant ; essayez `500`, `2.5k`, `1m`, `half`, `all` ou `25%`
economy-amount-error-negative = le montant ne peut pas être négatif
economy-amount-error-zero = le montant doit être supérieur à zéro
economy-amount-error-not-whole = les Chrons ne se divisent pas : `{ $text }` n'est pas un nombre entier de Chrons
economy-amount-error-bad-percent = un pourcentage doit être compris entre 1 % et 100 %
economy-amount-error-too-large = c'est trop : vous pouvez utiliser au plus { $max } Chrons à la fois

# Notes pour le journal de jeu du serveur (gros paiements et gros paris).
note-pay = { $from } a payé { $amount } à { $to }.
note-bet-won = { $user } a misé { $stake } au jeu { $game } et a gagné { $payout }.
note-bet-lost = { $user } a misé { $stake } au jeu { $game } et a tout perdu.

# Armes dans les échanges et sur le marché
economy-weapon-goods = ⚔️ arme #{ $id }
economy-weapon-field = Arme (avec ses gemmes)
economy-listing-line-weapon = `#{ $id }` { $item } pour **{ $price }** par { $seller }
