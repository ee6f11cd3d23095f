//! Clans 🛡️ and teams: the rules of `assets/tables/clans.yaml` (BP, perks, wars, team hunts).
//!
//! * Names: [`validate_name`] (3–24 characters: letters, digits, spaces, `-`, `_`, `'`, `.`).
//! * Roles: [`Role`] — the owner and officers have *manage_clan* ([`Role::can_manage`]).
//! * BP: the owner's new clan starts with [`ClanRules::initial_bp`]; a deposit earns
//!   [`ClanRules::bp_for_deposit`] (one BP per `chrons_per_bp` Chrons of that deposit); a war win
//!   earns [`WarRules::win_bp`].
//! * Perks ([`Perk`]): bought level by level with BP ([`ClanRules::next_level_cost`]); their
//!   effects are [`ClanRules::hunt_modifiers`] (hunt, autohunt, team hunt) and
//!   [`ClanRules::shop_discount_pct`] with [`discounted`] (the shop).
//! * Disband: [`disband_refund`] shares the treasury equally between the members, the remainder
//!   to the owner.
//! * Wars: [`week_bounds`], [`WarRules::score`], [`pair`] and [`decide`].
//! * Teams: their rules are read from the same file ([`crate::teams`]).

use chrono::{DateTime, Duration, Utc};
use serde::Deserialize;

use crate::economy::{Chrons, scale_percent};
use crate::hunt::HuntModifiers;
use crate::ids::UserId;
use crate::teams::TeamRules;

/// The file name of the rules.
pub const FILE: &str = "clans.yaml";

/// The shipped `clans.yaml`.
pub fn shipped_source() -> &'static str {
    include_str!("../../../assets/tables/clans.yaml")
}

/// A clan perk.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Perk {
    /// Extra XP of hunts.
    XpBoost,
    /// Extra Chrons of hunts.
    HuntRate,
    /// Off the shop's buy prices.
    ShopDiscount,
}

impl Perk {
    /// Every perk, in display order.
    pub const ALL: [Perk; 3] = [Perk::XpBoost, Perk::HuntRate, Perk::ShopDiscount];

    /// The id stored in `clan_perks.perk` and typed by players.
    pub fn id(self) -> &'static str {
        match self {
            Perk::XpBoost => "xp_boost",
            Perk::HuntRate => "hunt_rate",
            Perk::ShopDiscount => "shop_discount",
        }
    }

    /// A perk from its id (case-insensitive; `-`, spaces and `_` alike; a few short names).
    pub fn parse(text: &str) -> Option<Perk> {
        let t = text.trim().to_lowercase().replace(['-', ' '], "_");
        match t.as_str() {
            "xp_boost" | "xp" => Some(Perk::XpBoost),
            "hunt_rate" | "hunt" => Some(Perk::HuntRate),
            "shop_discount" | "shop" | "discount" => Some(Perk::ShopDiscount),
            _ => None,
        }
    }
}

/// One level of a perk.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PerkLevel {
    /// BP to reach this level.
    pub cost: i64,
    /// Effect in percent.
    pub pct: u32,
}

/// A perk's levels.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PerkRule {
    /// Its emoji.
    pub emoji: String,
    /// Level 1, 2, …
    pub levels: Vec<PerkLevel>,
}

/// A clan's perk levels (0: not bought).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PerkLevels {
    /// [`Perk::XpBoost`].
    pub xp_boost: u32,
    /// [`Perk::HuntRate`].
    pub hunt_rate: u32,
    /// [`Perk::ShopDiscount`].
    pub shop_discount: u32,
}

impl PerkLevels {
    /// The level of one perk.
    pub fn get(&self, p: Perk) -> u32 {
        match p {
            Perk::XpBoost => self.xp_boost,
            Perk::HuntRate => self.hunt_rate,
            Perk::ShopDiscount => self.shop_discount,
        }
    }

    /// Sets the level of one perk.
    pub fn set(&mut self, p: Perk, level: u32) {
        match p {
            Perk::XpBoost => self.xp_boost = level,
            Perk::HuntRate => self.hunt_rate = level,
            Perk::ShopDiscount => self.shop_discount = level,
        }
    }
}

/// Weekly war rules.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WarRules {
    /// Points per PvP win of a member.
    pub pvp_points: i64,
    /// Points per PvE (wild, boss) win of a member.
    pub pve_points: i64,
    /// BP the winner of a pairing earns.
    pub win_bp: i64,
}

impl WarRules {
    /// A clan's war score from its members' wins of the week.
    pub fn score(&self, pvp_wins: i64, pve_wins: i64) -> i64 {
        pvp_wins
            .max(0)
            .saturating_mul(self.pvp_points)
            .saturating_add(pve_wins.max(0).saturating_mul(self.pve_points))
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPerks {
    xp_boost: PerkRule,
    hunt_rate: PerkRule,
    shop_discount: PerkRule,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    initial_bp: i64,
    max_members: u32,
    chrons_per_bp: i64,
    perks: RawPerks,
    war: WarRules,
    teams: TeamRules,
}

/// The validated rules of `clans.yaml`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClanRules {
    /// BP a new clan starts with.
    pub initial_bp: i64,
    /// Most members of a clan.
    pub max_members: u32,
    /// Chrons deposited per BP earned.
    pub chrons_per_bp: i64,
    xp_boost: PerkRule,
    hunt_rate: PerkRule,
    shop_discount: PerkRule,
    /// Wars.
    pub war: WarRules,
    /// Teams.
    pub teams: TeamRules,
}

impl ClanRules {
    /// Parses and validates `clans.yaml`; every problem is listed (`key: message`).
    pub fn from_yaml_str(text: &str) -> Result<ClanRules, Vec<String>> {
        let raw: RawFile = serde_yaml::from_str(text).map_err(|e| vec![format!("{FILE}: {e}")])?;
        let mut problems = Vec::new();
        if raw.initial_bp < 0 {
            problems.push("initial_bp: must be 0 or more".to_string());
        }
        if raw.max_members < 2 {
            problems.push("max_members: must be at least 2".to_string());
        }
        if raw.chrons_per_bp < 1 {
            problems.push("chrons_per_bp: must be at least 1".to_string());
        }
        for (name, rule) in [
            ("xp_boost", &raw.perks.xp_boost),
            ("hunt_rate", &raw.perks.hunt_rate),
            ("shop_discount", &raw.perks.shop_discount),
        ] {
            if rule.levels.is_empty() {
                problems.push(format!("perks.{name}.levels: at least one level"));
            }
            let mut last = 0;
            for (i, l) in rule.levels.iter().enumerate() {
                if l.cost < 1 {
                    problems.push(format!("perks.{name}.levels[{i}].cost: must be at least 1"));
                }
                if l.pct <= last {
                    problems.push(format!(
                        "perks.{name}.levels[{i}].pct: must be more than the level before"
                    ));
                }
                last = l.pct;
            }
        }
        if let Some(l) = raw.perks.shop_discount.levels.last() {
            if l.pct >= 100 {
                problems.push("perks.shop_discount: a discount must stay below 100".to_string());
            }
        }
        if raw.war.pvp_points < 0 || raw.war.pve_points < 0 || raw.war.win_bp < 0 {
            problems.push("war: points and win_bp must be 0 or more".to_string());
        }
        if raw.teams.max_members < 2 {
            problems.push("teams.max_members: must be at least 2".to_string());
        }
        if !problems.is_empty() {
            return Err(problems);
        }
        Ok(ClanRules {
            initial_bp: raw.initial_bp,
            max_members: raw.max_members,
            chrons_per_bp: raw.chrons_per_bp,
            xp_boost: raw.perks.xp_boost,
            hunt_rate: raw.perks.hunt_rate,
            shop_discount: raw.perks.shop_discount,
            war: raw.war,
            teams: raw.teams,
        })
    }

    /// The shipped rules.
    pub fn shipped() -> Result<ClanRules, Vec<String>> {
        Self::from_yaml_str(shipped_source())
    }

    /// The levels of one perk.
    pub fn perk(&self, p: Perk) -> &PerkRule {
        match p {
            Perk::XpBoost => &self.xp_boost,
            Perk::HuntRate => &self.hunt_rate,
            Perk::ShopDiscount => &self.shop_discount,
        }
    }

    /// The highest level of a perk.
    pub fn max_level(&self, p: Perk) -> u32 {
        u32::try_from(self.perk(p).levels.len()).unwrap_or(u32::MAX)
    }

    /// BP to go from `level` to `level + 1` (`None` at the top).
    pub fn next_level_cost(&self, p: Perk, level: u32) -> Option<i64> {
        self.perk(p)
            .levels
            .get(usize::try_from(level).ok()?)
            .map(|l| l.cost)
    }

    /// The effect of a perk at `level`, percent (0 at level 0; the top level's above it).
    pub fn pct(&self, p: Perk, level: u32) -> u32 {
        if level == 0 {
            return 0;
        }
        let levels = &self.perk(p).levels;
        let i = usize::try_from(level - 1).unwrap_or(usize::MAX);
        levels.get(i).or(levels.last()).map_or(0, |l| l.pct)
    }

    /// What a clan's perks add to a hunt of one of its members.
    pub fn hunt_modifiers(&self, levels: &PerkLevels) -> HuntModifiers {
        HuntModifiers {
            xp_bonus_pct: self.pct(Perk::XpBoost, levels.xp_boost),
            chrons_bonus_pct: self.pct(Perk::HuntRate, levels.hunt_rate),
            ..HuntModifiers::default()
        }
    }

    /// The shop discount of a clan's members, percent.
    pub fn shop_discount_pct(&self, levels: &PerkLevels) -> u32 {
        self.pct(Perk::ShopDiscount, levels.shop_discount)
    }

    /// BP a deposit of `amount` earns.
    pub fn bp_for_deposit(&self, amount: Chrons) -> i64 {
        amount.get().max(0) / self.chrons_per_bp.max(1)
    }
}

/// A shop price after a discount of `pct` percent (rounded down, never below 1 for a positive
/// price).
pub fn discounted(total: Chrons, pct: u32) -> Chrons {
    if total.get() <= 0 || pct == 0 {
        return total;
    }
    let off = scale_percent(total.get(), pct.min(100));
    Chrons::new((total.get() - off).max(1))
}

/// A member's role.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Role {
    /// The owner (one per clan).
    Owner,
    /// An officer (has manage_clan).
    Officer,
    /// A member.
    Member,
}

impl Role {
    /// The stored value.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Owner => "owner",
            Role::Officer => "officer",
            Role::Member => "member",
        }
    }

    /// From the stored value (unknown values read as a plain member).
    pub fn from_db(s: &str) -> Role {
        match s {
            "owner" => Role::Owner,
            "officer" => Role::Officer,
            _ => Role::Member,
        }
    }

    /// The manage_clan permission: invite, approve, kick members, withdraw, buy perks, set the
    /// channel.
    pub fn can_manage(self) -> bool {
        matches!(self, Role::Owner | Role::Officer)
    }

    /// Whether `self` may kick someone with role `other` (the owner anyone else, an officer
    /// plain members only).
    pub fn outranks(self, other: Role) -> bool {
        matches!(
            (self, other),
            (Role::Owner, Role::Officer | Role::Member) | (Role::Officer, Role::Member)
        )
    }
}

/// Why a clan name is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum NameProblem {
    /// Fewer than 3 or more than 24 characters.
    #[error("a clan name has 3 to 24 characters")]
    Length,
    /// A character that is not a letter, a digit, a space or `-_'.`.
    #[error("a clan name has only letters, digits, spaces and - _ ' .")]
    Characters,
}

/// Shortest and longest clan (and team) names.
pub const NAME_LEN: std::ops::RangeInclusive<usize> = 3..=24;

/// The clean form of a clan name (spaces collapsed, trimmed) or why it is refused.
pub fn validate_name(text: &str) -> Result<String, NameProblem> {
    let name = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if !NAME_LEN.contains(&name.chars().count()) {
        return Err(NameProblem::Length);
    }
    if !name
        .chars()
        .all(|c| c.is_alphanumeric() || matches!(c, ' ' | '-' | '_' | '\'' | '.'))
    {
        return Err(NameProblem::Characters);
    }
    Ok(name)
}

/// Who gets what when a clan with `treasury` is disbanded: equal shares for every member, the
/// remainder (treasury mod members) to the owner. `members` lists every member with their role
/// (the owner among them); no member, or an empty treasury: nothing.
pub fn disband_refund(treasury: Chrons, members: &[(UserId, Role)]) -> Vec<(UserId, Chrons)> {
    let n = i64::try_from(members.len()).unwrap_or(i64::MAX);
    if treasury.get() <= 0 || n == 0 {
        return Vec::new();
    }
    let each = treasury.get() / n;
    let rest = treasury.get() - each * n;
    let owner = members
        .iter()
        .find(|(_, r)| *r == Role::Owner)
        .map_or(members[0].0, |(u, _)| *u);
    members
        .iter()
        .map(|(u, _)| {
            let extra = if *u == owner { rest } else { 0 };
            (*u, Chrons::new(each + extra))
        })
        .filter(|(_, c)| c.get() > 0)
        .collect()
}

/// The war week that ends at the last Thursday 00:00 UTC at or before `now` (weeks are aligned
/// on the Unix epoch, a Thursday): `(start, end)`, `end - start` = 7 days.
pub fn week_bounds(now: DateTime<Utc>) -> (DateTime<Utc>, DateTime<Utc>) {
    let week = 7 * 86_400;
    let secs = now.timestamp().div_euclid(week) * week;
    let end = DateTime::<Utc>::from_timestamp(secs, 0).unwrap_or(now);
    (end - Duration::days(7), end)
}

/// A clan's standing for the pairing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Standing {
    /// Clan id.
    pub clan: i64,
    /// Strength: the clan's BP (stronger clans meet each other).
    pub rating: i64,
}

/// One pairing of a war.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Pairing {
    /// A clan.
    pub a: i64,
    /// Its opponent; `None`: a bye (odd count), no prize.
    pub b: Option<i64>,
}

/// Pairs clans by strength: sorted by rating (highest first, then lower id), the 1st meets the
/// 2nd, the 3rd the 4th, …; with an odd count the last one has a bye.
pub fn pair(standings: &[Standing]) -> Vec<Pairing> {
    let mut s = standings.to_vec();
    s.sort_by(|x, y| y.rating.cmp(&x.rating).then(x.clan.cmp(&y.clan)));
    s.dedup_by_key(|x| x.clan);
    s.chunks(2)
        .map(|c| Pairing {
            a: c[0].clan,
            b: c.get(1).map(|x| x.clan),
        })
        .collect()
}

/// The result of a pairing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WarOutcome {
    /// This clan won.
    Winner(i64),
    /// Same score (including 0–0): nobody wins.
    Draw,
    /// No opponent.
    Bye,
}

/// Who wins a pairing given each side's score: the higher score; equal scores are a draw.
pub fn decide(p: &Pairing, score_a: i64, score_b: i64) -> WarOutcome {
    match p.b {
        None => WarOutcome::Bye,
        Some(b) if score_b > score_a => WarOutcome::Winner(b),
        Some(_) if score_a > score_b => WarOutcome::Winner(p.a),
        Some(_) => WarOutcome::Draw,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::hunt::roll_hunt;
    use crate::tables::test_tables;
    use rand::SeedableRng;

    fn rules() -> ClanRules {
        ClanRules::shipped().expect("shipped clans.yaml is valid")
    }

    #[test]
    fn shipped_rules_are_valid_and_bad_ones_list_their_problems() {
        let r = rules();
        assert_eq!(
            (r.initial_bp, r.max_members, r.chrons_per_bp),
            (50, 30, 100)
        );
        let bad = shipped_source()
            .replace("chrons_per_bp: 100", "chrons_per_bp: 0")
            .replace("{ cost: 50, pct: 10 }", "{ cost: 50, pct: 1 }");
        let p = ClanRules::from_yaml_str(&bad).unwrap_err();
        assert!(p.iter().any(|x| x.starts_with("chrons_per_bp")), "{p:?}");
        assert!(
            p.iter()
                .any(|x| x.starts_with("perks.xp_boost.levels[1].pct")),
            "{p:?}"
        );
        assert!(ClanRules::from_yaml_str("initial_bp: [").is_err());
    }

    #[test]
    fn perk_levels_costs_and_effects() {
        let r = rules();
        assert_eq!(r.max_level(Perk::XpBoost), 3);
        assert_eq!(r.next_level_cost(Perk::XpBoost, 0), Some(25));
        assert_eq!(r.next_level_cost(Perk::XpBoost, 2), Some(100));
        assert_eq!(r.next_level_cost(Perk::XpBoost, 3), None);
        let levels = PerkLevels {
            xp_boost: 2,
            hunt_rate: 1,
            shop_discount: 3,
        };
        assert_eq!(
            r.hunt_modifiers(&levels),
            HuntModifiers {
                xp_bonus_pct: 10,
                chrons_bonus_pct: 5,
                ..HuntModifiers::default()
            }
        );
        assert_eq!(r.shop_discount_pct(&levels), 15);
        assert_eq!(
            r.hunt_modifiers(&PerkLevels::default()),
            HuntModifiers::default()
        );
        assert_eq!(Perk::parse("XP boost"), Some(Perk::XpBoost));
        assert_eq!(Perk::parse("shop-discount"), Some(Perk::ShopDiscount));
        assert_eq!(Perk::parse("nope"), None);
    }

    #[test]
    fn a_perk_raises_the_xp_and_chrons_of_the_same_roll() {
        let t = test_tables();
        let r = rules();
        let mods = r.hunt_modifiers(&PerkLevels {
            xp_boost: 3,
            hunt_rate: 3,
            shop_discount: 0,
        });
        let (mut a, mut b) = (
            rand_chacha::ChaCha8Rng::seed_from_u64(9),
            rand_chacha::ChaCha8Rng::seed_from_u64(9),
        );
        for _ in 0..100 {
            let plain = roll_hunt(&t, &HuntModifiers::default(), &mut a);
            let perk = roll_hunt(&t, &mods, &mut b);
            assert_eq!(perk.xp, plain.xp * 120 / 100);
            assert_eq!(perk.chrons.get(), plain.chrons.get() * 120 / 100);
            assert_eq!(perk.creature, plain.creature);
        }
    }

    #[test]
    fn discounts_and_deposit_bp() {
        assert_eq!(discounted(Chrons::new(1000), 15), Chrons::new(850));
        assert_eq!(discounted(Chrons::new(999), 10), Chrons::new(900));
        assert_eq!(discounted(Chrons::new(1), 50), Chrons::new(1));
        assert_eq!(discounted(Chrons::new(500), 0), Chrons::new(500));
        let r = rules();
        assert_eq!(r.bp_for_deposit(Chrons::new(99)), 0);
        assert_eq!(r.bp_for_deposit(Chrons::new(250)), 2);
    }

    #[test]
    fn names_and_roles() {
        assert_eq!(validate_name("  The   Wolves "), Ok("The Wolves".into()));
        assert_eq!(validate_name("ab"), Err(NameProblem::Length));
        assert_eq!(validate_name(&"x".repeat(25)), Err(NameProblem::Length));
        assert_eq!(validate_name("<@123> hi"), Err(NameProblem::Characters));
        assert_eq!(validate_name("Les Éclairs"), Ok("Les Éclairs".into()));
        assert!(Role::Owner.can_manage() && Role::Officer.can_manage());
        assert!(!Role::Member.can_manage());
        assert!(Role::Owner.outranks(Role::Officer) && Role::Officer.outranks(Role::Member));
        assert!(!Role::Officer.outranks(Role::Officer) && !Role::Member.outranks(Role::Member));
        for r in [Role::Owner, Role::Officer, Role::Member] {
            assert_eq!(Role::from_db(r.as_str()), r);
        }
    }

    #[test]
    fn disband_shares_the_treasury_equally_and_the_owner_gets_the_remainder() {
        let (o, a, b) = (UserId::new(1), UserId::new(2), UserId::new(3));
        let m = [(a, Role::Member), (o, Role::Owner), (b, Role::Officer)];
        let r = disband_refund(Chrons::new(100), &m);
        assert_eq!(
            r,
            vec![
                (a, Chrons::new(33)),
                (o, Chrons::new(34)),
                (b, Chrons::new(33))
            ]
        );
        let total: i64 = r.iter().map(|(_, c)| c.get()).sum();
        assert_eq!(total, 100);
        assert_eq!(
            disband_refund(Chrons::new(2), &m),
            vec![(o, Chrons::new(2))]
        );
        assert!(disband_refund(Chrons::ZERO, &m).is_empty());
        assert!(disband_refund(Chrons::new(5), &[]).is_empty());
    }

    #[test]
    fn war_weeks_pairing_scoring_and_outcomes() {
        let t = DateTime::parse_from_rfc3339("2026-12-05T13:00:00Z")
            .unwrap()
            .with_timezone(&Utc);
        let (s, e) = week_bounds(t);
        assert_eq!(e.to_rfc3339(), "2026-12-03T00:00:00+00:00"); // a Thursday
        assert_eq!(e - s, Duration::days(7));
        assert_eq!(
            week_bounds(e),
            (s, e),
            "the boundary itself closes that week"
        );

        let r = rules().war;
        assert_eq!(r.score(2, 5), 11);
        assert_eq!(r.score(0, 0), 0);
        assert_eq!(r.score(-1, 1), 1);

        let st = |clan, rating| Standing { clan, rating };
        let p = pair(&[st(1, 10), st(2, 50), st(3, 50), st(4, 0), st(5, 20)]);
        assert_eq!(
            p,
            vec![
                Pairing { a: 2, b: Some(3) },
                Pairing { a: 5, b: Some(1) },
                Pairing { a: 4, b: None },
            ]
        );
        assert!(pair(&[]).is_empty());
        assert_eq!(pair(&[st(7, 1)]), vec![Pairing { a: 7, b: None }]);
        assert_eq!(decide(&p[0], 3, 9), WarOutcome::Winner(3));
        assert_eq!(decide(&p[0], 9, 3), WarOutcome::Winner(2));
        assert_eq!(decide(&p[0], 0, 0), WarOutcome::Draw);
        assert_eq!(decide(&p[2], 100, 0), WarOutcome::Bye);
    }
}
