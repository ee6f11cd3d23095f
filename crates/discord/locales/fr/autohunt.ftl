# La fonctionnalité chasse automatique.

## Commands (slash descriptions and help texts)
cmd-autohunt =
    .name = autochasse
    .description = Chasse automatique toutes les quelques minutes, payée en Chrons, qui rapporte de l'essence.
cmd-autohunt-enable =
    .name = activer
    .description = Lancer la chasse automatique ; ce message devient son statut en direct.
cmd-autohunt-disable =
    .name = désactiver
    .description = Arrêter la chasse automatique.
cmd-autohunt-status =
    .name = statut
    .description = Votre chasse automatique : statut, dernier butin, essence et prochaine amélioration.
cmd-autohunt-upgrade =
    .name = améliorer
    .description = Dépenser de l'essence pour un trait : efficacité, tempo, économie ou essence.
cmd-autohunt-upgrade-opt-trait =
    .name = trait
    .description = Le trait à améliorer
    .choice-efficiency = Efficacité
    .choice-tempo = Tempo
    .choice-thrift = Économie
    .choice-essence = Essence

## Traits (core's `Trait::label`)
autohunt-trait-efficiency = Efficacité
autohunt-trait-tempo = Tempo
autohunt-trait-thrift = Économie
autohunt-trait-essence = Essence

## status (no session yet), enable, disable
autohunt-title = Chasse automatique
autohunt-intro = 🤖 La chasse automatique chasse pour vous toutes les quelques minutes, pour quelques Chrons par passage, et rapporte de l'✨ essence pour l'améliorer. Commencez avec `autohunt enable` (`ah on`).
autohunt-low-funds = ⚠️ Un passage coûte { $cost } et vous avez { $balance } : gagnez d'abord des Chrons, sinon la chasse automatique s'arrête.
autohunt-not-running = Vous n'avez pas de chasse automatique en cours. Lancez-en une avec `autohunt enable`.
autohunt-stopped-title = Chasse automatique arrêtée
autohunt-stopped = ⏹️ La chasse automatique est arrêtée. Ce cycle : { $runs } passage(s), { $spent } dépensés, { $earned } gagnés.

## upgrade
autohunt-no-session = Vous n'avez pas encore de chasse automatique. Lancez-en une avec `autohunt enable`.
autohunt-upgraded-title = Chasse automatique améliorée
autohunt-upgraded = { $emoji } **{ $upgrade }** passe au niveau **{ $level }** (−{ $cost } ✨).
autohunt-field-essence-left = ✨ Essence restante
autohunt-field-cost = 💠 Coût par passage
autohunt-field-interval = ⏱️ Intervalle
autohunt-field-rolls = 🎯 Tirages par passage
# Refusals (core's `AutohuntError`, rendered here; core keeps its Display for logs).
autohunt-error-essence = pas assez d'essence : il faut { $needed } ✨, vous en avez { $have } ✨
autohunt-error-max-level = { $upgrade } est déjà à son niveau maximum ({ $max })
autohunt-error-no-effect-tempo = { $upgrade } ne changerait rien pour l'instant : les passages sont déjà aussi fréquents que possible
autohunt-error-no-effect-cost = { $upgrade } ne changerait rien pour l'instant : un passage coûte déjà le moins possible
autohunt-error-chrons = pas assez de Chrons pour la chasse automatique : un passage coûte { $cost }, le solde est de { $balance }

## Direct messages from the scheduler
autohunt-paused-title = Chasse automatique en pause
autohunt-paused = Le gameplay a été désactivé sur le serveur où vous avez lancé votre chasse automatique : elle est en pause, sans passage ni frais, jusqu'à ce qu'un admin le réactive avec `module enable gameplay`, ou que vous la relanciez sur un autre serveur avec `autohunt enable`.
autohunt-live-lost-title = Message en direct de la chasse automatique arrêté
autohunt-live-lost = Votre chasse automatique continue, mais je ne mets plus à jour son message en direct : { $reason }. Utilisez `autohunt status` pour la suivre, ou `autohunt enable` dans un autre salon pour un nouveau message en direct.
autohunt-live-lost-gone = son salon a été supprimé
autohunt-live-lost-hidden = je ne peux plus voir son salon ni y écrire
autohunt-broke = ⏹️ Votre chasse automatique s'est arrêtée : un passage coûte { $cost } et votre portefeuille contient { $balance }. Gagnez des Chrons, puis relancez-la avec `autohunt enable` (`ah on`).

## Live embed
autohunt-owner = Chasse automatique de <@{ $user }>
autohunt-field-status = Statut
autohunt-status-paused = ⏸️ En pause : le gameplay est désactivé sur le serveur où elle a été lancée
autohunt-status-first = 🟢 En cours · premier passage <t:{ $at }:R>
autohunt-status-next = 🟢 En cours · prochain passage <t:{ $at }:R>
autohunt-status-running = 🟢 En cours
autohunt-status-broke = 🔴 Arrêtée : un passage coûte { $cost }, pas assez de Chrons
autohunt-status-stopped = ⏸️ Arrêtée
autohunt-field-last = 🎒 Dernier butin
autohunt-last-none = — (aucun passage pour l'instant)
autohunt-last-nothing = 🍃 rien · +{ $xp } XP · +{ $earned }
autohunt-last = { $icons } · +{ $xp } XP · +{ $earned }
autohunt-field-essence = ✨ Essence
autohunt-essence = { $essence } ({ $total } gagnée(s) au total)
autohunt-field-cycle = 💠 Ce cycle
autohunt-cycle = { $spent } dépensés · { $earned } gagnés · { $runs } passage(s)
autohunt-field-pets = 🐾 Familiers actifs
autohunt-pets-none = aucun actif
autohunt-pet = { $emoji } { $name } · ⚡ { $stamina }
autohunt-field-next = ⬆️ Prochaine amélioration
autohunt-next-ready = { $emoji } **{ $upgrade }** pour { $cost } ✨ — prêt : `autohunt upgrade { $command }`
autohunt-next-missing = { $emoji } **{ $upgrade }** pour { $cost } ✨ (encore { $missing } ✨)
autohunt-next-maxed = Tout est au maximum 🏆
autohunt-footer = Niveau { $level } · { $cost } par passage · toutes les { $interval } · { $rolls } tirage(s) par passage
