//! Giveaway rules: the start options (prize, duration, winners, requirements) with one
//! validation for every entry point, the entry requirements a member must meet (role, level,
//! invites, account age) with every unmet one listed, and the winner draw: uniform, without
//! replacement, from an RNG the caller passes (a CSPRNG in the bot, a seeded one in tests).

use chrono::{DateTime, Duration, Utc};
use rand::Rng;
use serde::{Deserialize, Serialize};

use crate::ids::{RoleId, UserId};

/// Most winners one giveaway draws.
pub const MAX_WINNERS: u32 = 50;
/// Longest prize text.
pub const MAX_PRIZE_CHARS: usize = 200;
/// Shortest giveaway.
pub const MIN_DURATION_SECS: i64 = 5;
/// Longest giveaway: 60 days.
pub const MAX_DURATION_SECS: i64 = 60 * 86_400;
/// Highest level requirement.
pub const MAX_LEVEL: u32 = 1_000;
/// Highest invites requirement.
pub const MAX_INVITES: u32 = 100_000;
/// Longest account-age requirement: 10 years.
pub const MAX_ACCOUNT_AGE_SECS: i64 = 10 * 365 * 86_400;

/// What a member must meet to enter (all optional).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Requirements {
    /// A role the member must have.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role: Option<RoleId>,
    /// A minimum server level (levels feature).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_level: Option<u32>,
    /// A minimum invite count (regular + bonus, invites feature).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_invites: Option<u32>,
    /// A minimum account age, in seconds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_account_age_secs: Option<i64>,
}

impl Requirements {
    /// True when nothing is required.
    pub fn is_empty(&self) -> bool {
        self == &Requirements::default()
    }
}

/// What a giveaway is started with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StartSpec {
    /// The prize (plain text, shown with mentions disabled).
    pub prize: String,
    /// How long entries are open.
    pub duration: Duration,
    /// How many winners are drawn.
    pub winners: u32,
    /// Entry requirements.
    pub requirements: Requirements,
}

/// Why a giveaway cannot start as given.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SpecError {
    /// No prize.
    #[error("the prize is empty")]
    EmptyPrize,
    /// Prize too long.
    #[error("the prize is longer than {max} characters")]
    PrizeTooLong {
        /// The limit.
        max: usize,
    },
    /// Winners out of 1..=max.
    #[error("winners must be between 1 and {max}")]
    Winners {
        /// The limit.
        max: u32,
    },
    /// Too short or too long.
    #[error("the duration must be between {min_secs} s and {max_secs} s")]
    Duration {
        /// Shortest, seconds.
        min_secs: i64,
        /// Longest, seconds.
        max_secs: i64,
    },
    /// A requirement value is out of range.
    #[error("the requirement {0} is out of range")]
    Requirement(&'static str),
    /// A `key:value` option that is not understood.
    #[error("unknown option `{0}`")]
    UnknownOption(String),
    /// An option whose value does not parse.
    #[error("bad value for `{0}`")]
    BadOption(String),
}

impl StartSpec {
    /// The one validation of a giveaway's options (commands, later the dashboard).
    pub fn validate(&self) -> Result<(), SpecError> {
        let prize = self.prize.trim();
        if prize.is_empty() {
            return Err(SpecError::EmptyPrize);
        }
        if prize.chars().count() > MAX_PRIZE_CHARS {
            return Err(SpecError::PrizeTooLong {
                max: MAX_PRIZE_CHARS,
            });
        }
        if self.winners == 0 || self.winners > MAX_WINNERS {
            return Err(SpecError::Winners { max: MAX_WINNERS });
        }
        let secs = self.duration.num_seconds();
        if !(MIN_DURATION_SECS..=MAX_DURATION_SECS).contains(&secs) {
            return Err(SpecError::Duration {
                min_secs: MIN_DURATION_SECS,
                max_secs: MAX_DURATION_SECS,
            });
        }
        let r = &self.requirements;
        if r.min_level.is_some_and(|l| l == 0 || l > MAX_LEVEL) {
            return Err(SpecError::Requirement("level"));
        }
        if r.min_invites.is_some_and(|l| l == 0 || l > MAX_INVITES) {
            return Err(SpecError::Requirement("invites"));
        }
        if r.min_account_age_secs
            .is_some_and(|s| s <= 0 || s > MAX_ACCOUNT_AGE_SECS)
        {
            return Err(SpecError::Requirement("age"));
        }
        Ok(())
    }
}

/// Splits `key:value` options out of free text (the prefix form of `giveaway start`):
/// `Nitro role:<@&5> level:3 invites:2 age:7d` gives the prize `Nitro` and the requirements.
/// Keys: `role`, `level`, `invites`, `age` (a duration such as `7d`). Words without a known key
/// stay in the prize; a known key with a bad value is an error.
pub fn split_requirements(text: &str) -> Result<(String, Requirements), SpecError> {
    let mut req = Requirements::default();
    let mut prize = Vec::new();
    for word in text.split_whitespace() {
        let Some((key, value)) = word.split_once(':') else {
            prize.push(word);
            continue;
        };
        let bad = || SpecError::BadOption(key.to_string());
        match key.to_ascii_lowercase().as_str() {
            "role" => {
                let digits: String = value.chars().filter(char::is_ascii_digit).collect();
                let id: u64 = digits.parse().map_err(|_| bad())?;
                req.role = Some(RoleId::new(id));
            }
            "level" | "lvl" => req.min_level = Some(value.parse().map_err(|_| bad())?),
            "invites" => req.min_invites = Some(value.parse().map_err(|_| bad())?),
            "age" => {
                let d = crate::moderation::parse_duration(value).map_err(|_| bad())?;
                req.min_account_age_secs = Some(d.num_seconds());
            }
            _ => prize.push(word),
        }
    }
    Ok((prize.join(" "), req))
}

/// What is known about a member who wants to enter.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MemberFacts {
    /// Their role ids.
    pub roles: Vec<RoleId>,
    /// Their server level.
    pub level: u32,
    /// Their invite count (regular + bonus).
    pub invites: i64,
    /// When their account was created.
    pub account_created: DateTime<Utc>,
}

/// One requirement a member does not meet, with what they have.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Unmet {
    /// They lack the role.
    Role(RoleId),
    /// Their level is below.
    Level {
        /// Needed.
        needed: u32,
        /// Theirs.
        have: u32,
    },
    /// Too few invites.
    Invites {
        /// Needed.
        needed: u32,
        /// Theirs.
        have: i64,
    },
    /// The account is too young; it qualifies at `at`.
    AccountAge {
        /// Needed, seconds.
        needed_secs: i64,
        /// When the account will be old enough.
        at: DateTime<Utc>,
    },
}

/// Every requirement `m` does not meet at `now` (empty: they may enter).
pub fn check(r: &Requirements, m: &MemberFacts, now: DateTime<Utc>) -> Vec<Unmet> {
    let mut out = Vec::new();
    if let Some(role) = r.role {
        if !m.roles.contains(&role) {
            out.push(Unmet::Role(role));
        }
    }
    if let Some(needed) = r.min_level {
        if m.level < needed {
            out.push(Unmet::Level {
                needed,
                have: m.level,
            });
        }
    }
    if let Some(needed) = r.min_invites {
        if m.invites < i64::from(needed) {
            out.push(Unmet::Invites {
                needed,
                have: m.invites,
            });
        }
    }
    if let Some(secs) = r.min_account_age_secs {
        let at = m.account_created + Duration::seconds(secs);
        if at > now {
            out.push(Unmet::AccountAge {
                needed_secs: secs,
                at,
            });
        }
    }
    out
}

/// Draws up to `count` distinct winners among `entrants`, skipping anyone in `exclude` (the
/// winners of earlier rounds). Every eligible entrant has the same chance and wins at most once
/// (a partial Fisher–Yates shuffle over the eligible list). The entrants' order does not bias
/// the draw; pass them in a stable order (by id) so a seeded RNG reproduces a draw.
pub fn draw(
    entrants: &[UserId],
    exclude: &[UserId],
    count: u32,
    rng: &mut impl Rng,
) -> Vec<UserId> {
    let mut pool: Vec<UserId> = entrants
        .iter()
        .copied()
        .filter(|u| !exclude.contains(u))
        .collect();
    pool.sort_unstable();
    pool.dedup();
    let n = (count as usize).min(pool.len());
    for i in 0..n {
        let j = rng.random_range(i..pool.len());
        pool.swap(i, j);
    }
    pool.truncate(n);
    pool
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;
    use rand::SeedableRng;
    use rand_chacha::ChaCha8Rng;

    fn users(n: u64) -> Vec<UserId> {
        (1..=n).map(UserId::new).collect()
    }

    fn spec() -> StartSpec {
        StartSpec {
            prize: "Nitro".into(),
            duration: Duration::hours(1),
            winners: 2,
            requirements: Requirements::default(),
        }
    }

    #[test]
    fn a_seeded_draw_is_reproducible_distinct_and_sized() {
        let e = users(30);
        let a = draw(&e, &[], 5, &mut ChaCha8Rng::seed_from_u64(42));
        let b = draw(&e, &[], 5, &mut ChaCha8Rng::seed_from_u64(42));
        assert_eq!(a, b, "same seed, same winners");
        assert_eq!(a.len(), 5);
        let mut d = a.clone();
        d.sort();
        d.dedup();
        assert_eq!(d.len(), 5, "each winner once");
        assert!(a.iter().all(|w| e.contains(w)));
        // The order of the entrants does not change a seeded draw.
        let mut rev = e.clone();
        rev.reverse();
        assert_eq!(draw(&rev, &[], 5, &mut ChaCha8Rng::seed_from_u64(42)), a);
    }

    #[test]
    fn a_draw_takes_everyone_when_there_are_few_entrants_and_skips_excluded() {
        let mut rng = ChaCha8Rng::seed_from_u64(1);
        let mut w = draw(&users(3), &[], 10, &mut rng);
        w.sort();
        assert_eq!(w, users(3));
        assert!(draw(&[], &[], 3, &mut rng).is_empty());
        let w = draw(&users(4), &[UserId::new(1), UserId::new(2)], 4, &mut rng);
        let mut w = w;
        w.sort();
        assert_eq!(w, vec![UserId::new(3), UserId::new(4)]);
        // Duplicated entrants count once.
        let dup = vec![UserId::new(9), UserId::new(9)];
        assert_eq!(draw(&dup, &[], 2, &mut rng), vec![UserId::new(9)]);
    }

    /// Fairness: over many draws of 3 winners among 10 entrants, each entrant wins 3/10 of the
    /// time, checked with a chi-square test (9 degrees of freedom; 27.88 is the 0.1 % critical
    /// value), and every unordered pair of winners appears about equally often.
    #[test]
    fn the_draw_is_fair_chi_square() {
        let e = users(10);
        let trials = 100_000u32;
        let mut rng = ChaCha8Rng::seed_from_u64(2026);
        let mut wins = [0u32; 10];
        let mut pairs = std::collections::HashMap::<(u64, u64), u32>::new();
        for _ in 0..trials {
            let w = draw(&e, &[], 3, &mut rng);
            for u in &w {
                wins[(u.get() - 1) as usize] += 1;
            }
            let mut s: Vec<u64> = w.iter().map(|u| u.get()).collect();
            s.sort();
            *pairs.entry((s[0], s[1])).or_default() += 1;
        }
        let expected = f64::from(trials) * 3.0 / 10.0;
        let chi2: f64 = wins
            .iter()
            .map(|&o| (f64::from(o) - expected).powi(2) / expected)
            .sum();
        assert!(chi2 < 27.88, "chi-square {chi2} for {wins:?}");
        assert_eq!(wins.iter().sum::<u32>(), trials * 3);
        // Each entrant appears in exactly 3 winners per draw, so no one is favoured; and the
        // smallest pair of each draw covers every possible pair.
        assert_eq!(
            pairs.len(),
            36,
            "every (first, second) pair with room for a third"
        );
    }

    /// With one winner among two entrants the split is 50/50 within 1 % over 200,000 draws.
    #[test]
    fn one_of_two_is_a_coin_toss() {
        let mut rng = ChaCha8Rng::seed_from_u64(7);
        let e = users(2);
        let n = 200_000;
        let first = (0..n)
            .filter(|_| draw(&e, &[], 1, &mut rng) == vec![UserId::new(1)])
            .count();
        let share = first as f64 / f64::from(n);
        assert!((share - 0.5).abs() < 0.01, "{share}");
    }

    #[test]
    fn requirements_list_every_unmet_one() {
        let now = Utc.with_ymd_and_hms(2026, 6, 1, 0, 0, 0).unwrap();
        let r = Requirements {
            role: Some(RoleId::new(5)),
            min_level: Some(10),
            min_invites: Some(3),
            min_account_age_secs: Some(30 * 86_400),
        };
        let young = MemberFacts {
            roles: vec![RoleId::new(6)],
            level: 4,
            invites: 1,
            account_created: now - Duration::days(10),
        };
        assert_eq!(
            check(&r, &young, now),
            vec![
                Unmet::Role(RoleId::new(5)),
                Unmet::Level {
                    needed: 10,
                    have: 4
                },
                Unmet::Invites { needed: 3, have: 1 },
                Unmet::AccountAge {
                    needed_secs: 30 * 86_400,
                    at: now + Duration::days(20)
                },
            ]
        );
        let ok = MemberFacts {
            roles: vec![RoleId::new(5)],
            level: 10,
            invites: 3,
            account_created: now - Duration::days(30),
        };
        assert!(check(&r, &ok, now).is_empty());
        assert!(check(&Requirements::default(), &young, now).is_empty());
    }

    #[test]
    fn the_spec_is_validated_once() {
        assert_eq!(spec().validate(), Ok(()));
        let mut s = spec();
        s.prize = "  ".into();
        assert_eq!(s.validate(), Err(SpecError::EmptyPrize));
        let mut s = spec();
        s.winners = 0;
        assert_eq!(s.validate(), Err(SpecError::Winners { max: MAX_WINNERS }));
        let mut s = spec();
        s.duration = Duration::seconds(1);
        assert!(matches!(s.validate(), Err(SpecError::Duration { .. })));
        let mut s = spec();
        s.requirements.min_level = Some(0);
        assert_eq!(s.validate(), Err(SpecError::Requirement("level")));
        let mut s = spec();
        s.prize = "x".repeat(MAX_PRIZE_CHARS + 1);
        assert!(matches!(s.validate(), Err(SpecError::PrizeTooLong { .. })));
    }

    #[test]
    fn options_are_split_out_of_the_prize() {
        let (p, r) =
            split_requirements("Discord Nitro role:<@&55> level:3 invites:2 age:7d").unwrap();
        assert_eq!(p, "Discord Nitro");
        assert_eq!(
            r,
            Requirements {
                role: Some(RoleId::new(55)),
                min_level: Some(3),
                min_invites: Some(2),
                min_account_age_secs: Some(7 * 86_400),
            }
        );
        let (p, r) = split_requirements("A key: value").unwrap();
        assert_eq!((p.as_str(), r.is_empty()), ("A key: value", true));
        assert_eq!(
            split_requirements("x level:high"),
            Err(SpecError::BadOption("level".into()))
        );
        // JSON round trip of the stored form.
        let json = serde_json::to_string(&r).unwrap();
        assert_eq!(json, "{}");
    }
}
