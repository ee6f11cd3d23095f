//! What each player gets at the end of a battle ([`payouts`]).

use super::{Battle, BattleKind, BattleRules};
use crate::economy::{Chrons, scale_percent};
use crate::ids::UserId;
use crate::items::GemDrop;
use crate::tables::Tables;

/// What each player gets at the end, in Chrons and XP, and whether a gem is due.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Payout {
    /// The player.
    pub user: UserId,
    /// Chrons (reward, consolation and wager).
    pub chrons: Chrons,
    /// Global XP.
    pub xp: i64,
    /// Won.
    pub won: bool,
    /// A reward gem.
    pub gem: Option<GemDrop>,
}

/// The payouts of a battle that is over: the winner gets the reward of its kind (and the
/// whole pot of `wager` × 2 in PvP; a draw gives each their wager back), the loser the
/// consolation. In PvE the winning side's reward is shared by its players still in the battle
/// ([`super::TeamReward`]: one player gets it whole); a player who left (surrender, forfeit)
/// gets the consolation. The gems are drawn from the battle's generator, in player order.
pub fn payouts(
    rules: &BattleRules,
    tables: &Tables,
    battle: &mut Battle,
    wager: Chrons,
) -> Vec<Payout> {
    let Some(outcome) = battle.outcome else {
        return Vec::new();
    };
    let pvp = battle.kind == BattleKind::Pvp;
    let reward = rules.reward(battle.kind);
    let consolation = rules.rewards.consolation;
    let mut out = Vec::new();
    // (side, user, left the battle)
    let players: Vec<(usize, UserId, bool)> = (0..2)
        .flat_map(|s| {
            battle.sides[s]
                .iter()
                .filter_map(move |c| c.user.map(|u| (s, u, c.left)))
        })
        .collect();
    let winners = players
        .iter()
        .filter(|(s, _, left)| outcome.winner == Some(*s) && (pvp || !*left))
        .count();
    let pool = scale_percent(
        reward.chrons,
        100 + rules.rewards.team.bonus_pct(winners.max(1)),
    );
    let n = i64::try_from(winners.max(1)).unwrap_or(i64::MAX);
    let mut rank = 0i64;
    for (side, user, left) in players {
        let won = outcome.winner == Some(side) && (pvp || !left);
        let draw = outcome.winner.is_none();
        let (mut chrons, xp) = if won && !pvp {
            // An equal part of the pool; the remainder one Chron each to the first.
            let part = pool / n + i64::from(rank < pool % n);
            rank += 1;
            (part, reward.xp)
        } else if won {
            (reward.chrons, reward.xp)
        } else {
            (consolation.chrons, consolation.xp)
        };
        if pvp {
            if won {
                chrons = chrons.saturating_add(wager.get().saturating_mul(2));
            } else if draw {
                chrons = chrons.saturating_add(wager.get());
            }
        }
        let gem = if won {
            battle.reward_gem(rules, tables, reward.gem_chance_pct)
        } else {
            None
        };
        out.push(Payout {
            user,
            chrons: Chrons::new(chrons),
            xp,
            won,
            gem,
        });
    }
    out
}
