//! What each player gets at the end of a battle ([`payouts`]).

use super::{Battle, BattleKind, BattleRules};
use crate::economy::Chrons;
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
/// consolation. The gem is drawn from the battle's generator.
pub fn payouts(
    rules: &BattleRules,
    tables: &Tables,
    battle: &mut Battle,
    wager: Chrons,
) -> Vec<Payout> {
    let Some(outcome) = battle.outcome else {
        return Vec::new();
    };
    let reward = rules.reward(battle.kind);
    let consolation = rules.rewards.consolation;
    let mut out = Vec::new();
    let players: Vec<(usize, UserId)> = (0..2)
        .flat_map(|s| {
            battle.sides[s]
                .iter()
                .filter_map(move |c| c.user.map(|u| (s, u)))
        })
        .collect();
    for (side, user) in players {
        let won = outcome.winner == Some(side);
        let draw = outcome.winner.is_none();
        let (mut chrons, xp) = if won {
            (reward.chrons, reward.xp)
        } else {
            (consolation.chrons, consolation.xp)
        };
        if battle.kind == BattleKind::Pvp {
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
