//! Teams: lightweight groups (a player is in at most one) that hunt together. The rules are the
//! `teams` section of `assets/tables/clans.yaml` ([`crate::clans::ClanRules::teams`]).
//!
//! A team hunt ([`share_team_hunt`]): every member present rolls one hunt; the XP and Chrons of
//! all rolls are pooled, the pool grows by [`TeamRules::bonus_pct`], and each member gets an equal
//! part (the remainder one unit each to the first members, the caller first); the items are dealt
//! round-robin in roll order, starting with the caller.

use serde::Deserialize;

use crate::economy::{Chrons, scale_percent};
use crate::ids::UserId;
use crate::items::Loot;

/// Team rules.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TeamRules {
    /// Most members of a team (leader included).
    pub max_members: u32,
    /// Pool bonus per member beyond the first, percent.
    pub bonus_pct_per_member: u32,
    /// Largest pool bonus, percent.
    pub bonus_cap_pct: u32,
}

impl TeamRules {
    /// The pool bonus of a team hunt with `present` members.
    pub fn bonus_pct(&self, present: usize) -> u32 {
        let extra = u32::try_from(present.saturating_sub(1)).unwrap_or(u32::MAX);
        extra
            .saturating_mul(self.bonus_pct_per_member)
            .min(self.bonus_cap_pct)
    }
}

/// One member's part of a team hunt.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TeamShare {
    /// The member.
    pub user: UserId,
    /// XP.
    pub xp: i64,
    /// Chrons.
    pub chrons: Chrons,
    /// Items.
    pub loot: Vec<Loot>,
}

/// Shares a team hunt: the XP and Chrons of every member's roll are pooled, the pool grows by
/// [`TeamRules::bonus_pct`], and each member gets an equal part; the remainder goes one unit
/// each to the first members in `members`' order (the caller first). Loot is dealt round-robin
/// in roll order, starting with the first member. `members` must not be empty (an empty list
/// gives nothing).
pub fn share_team_hunt(
    rules: &TeamRules,
    members: &[UserId],
    pooled_xp: i64,
    pooled_chrons: Chrons,
    loot: Vec<Loot>,
) -> Vec<TeamShare> {
    let n = members.len();
    if n == 0 {
        return Vec::new();
    }
    let pct = 100 + rules.bonus_pct(n);
    let xp = scale_percent(pooled_xp, pct);
    let chrons = scale_percent(pooled_chrons.get(), pct);
    let n64 = i64::try_from(n).unwrap_or(i64::MAX);
    let split = |total: i64, i: usize| -> i64 {
        let base = total / n64;
        let rest = usize::try_from(total - base * n64).unwrap_or(0);
        base + i64::from(i < rest)
    };
    let mut out: Vec<TeamShare> = members
        .iter()
        .enumerate()
        .map(|(i, u)| TeamShare {
            user: *u,
            xp: split(xp, i),
            chrons: Chrons::new(split(chrons, i)),
            loot: Vec::new(),
        })
        .collect();
    for (i, l) in loot.into_iter().enumerate() {
        out[i % n].loot.push(l);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rules() -> TeamRules {
        crate::clans::ClanRules::shipped().unwrap().teams
    }

    #[test]
    fn team_hunts_share_the_boosted_pool_equally() {
        let r = rules();
        assert_eq!(
            (
                r.bonus_pct(1),
                r.bonus_pct(2),
                r.bonus_pct(5),
                r.bonus_pct(9)
            ),
            (0, 10, 40, 40)
        );
        let m = [UserId::new(10), UserId::new(11), UserId::new(12)];
        let loot: Vec<Loot> = (0..4)
            .map(|i| Loot::Crate {
                id: format!("c{i}"),
            })
            .collect();
        let s = share_team_hunt(&r, &m, 100, Chrons::new(50), loot);
        // Pool ×1.2: 120 XP, 60 Chrons.
        assert_eq!(s.iter().map(|x| x.xp).collect::<Vec<_>>(), vec![40, 40, 40]);
        assert_eq!(
            s.iter().map(|x| x.chrons.get()).collect::<Vec<_>>(),
            vec![20, 20, 20]
        );
        assert_eq!(s[0].loot.len(), 2);
        assert_eq!((s[1].loot.len(), s[2].loot.len()), (1, 1));
        let s = share_team_hunt(&r, &m, 11, Chrons::new(10), Vec::new());
        // 13 XP, 12 Chrons: remainders to the first members.
        assert_eq!(s.iter().map(|x| x.xp).collect::<Vec<_>>(), vec![5, 4, 4]);
        assert_eq!(s.iter().map(|x| x.chrons.get()).sum::<i64>(), 12);
        assert!(share_team_hunt(&r, &[], 10, Chrons::new(1), Vec::new()).is_empty());
    }
}
