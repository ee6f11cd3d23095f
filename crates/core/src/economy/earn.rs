//! `/work` and `/beg`.

use rand::Rng;
use serde::{Deserialize, Serialize};

use super::Chrons;

/// `/work` settings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct WorkRules {
    /// Smallest pay.
    pub min: Chrons,
    /// Largest pay.
    pub max: Chrons,
    /// Seconds between two `/work`.
    pub cooldown_secs: u32,
}

impl Default for WorkRules {
    /// 150–400 💠, once an hour.
    fn default() -> Self {
        WorkRules {
            min: Chrons::new(150),
            max: Chrons::new(400),
            cooldown_secs: 3_600,
        }
    }
}

/// `/beg` settings.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct BegRules {
    /// Probability of getting nothing.
    pub nothing_chance: f64,
    /// Smallest gift.
    pub min: Chrons,
    /// Largest gift.
    pub max: Chrons,
    /// Seconds between two `/beg`.
    pub cooldown_secs: u32,
}

impl Default for BegRules {
    /// 40 % nothing, otherwise 5–60 💠; every 5 minutes.
    fn default() -> Self {
        BegRules {
            nothing_chance: 0.4,
            min: Chrons::new(5),
            max: Chrons::new(60),
            cooldown_secs: 300,
        }
    }
}

/// Jobs shown by `/work` (index in [`WorkOutcome::job`]).
pub const JOBS: [&str; 8] = [
    "🛠️ repaired a clock tower",
    "📦 delivered parcels through a time rift",
    "🧪 brewed potions for the alchemist",
    "🌾 harvested chrono-wheat",
    "🗺️ mapped an unexplored dungeon",
    "🐾 walked a dragon",
    "📚 sorted the archive of forgotten years",
    "⚒️ forged horseshoes for the royal stable",
];

/// Result of `/work`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WorkOutcome {
    /// Pay.
    pub earned: Chrons,
    /// Flavour text from [`JOBS`].
    pub job: &'static str,
}

/// Result of `/beg`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BegOutcome {
    /// The gift; 0 = nobody gave anything.
    pub earned: Chrons,
}

fn sane_range(min: Chrons, max: Chrons) -> (Chrons, Chrons) {
    let min = min.clamp(Chrons::ZERO, super::MAX_CHRONS);
    let max = max.clamp(min, super::MAX_CHRONS);
    (min, max)
}

/// Rolls the pay of one `/work` (uniform in `min..=max`).
pub fn work(rules: &WorkRules, rng: &mut impl Rng) -> WorkOutcome {
    let (min, max) = sane_range(rules.min, rules.max);
    let earned = Chrons::new(rng.random_range(min.get()..=max.get()));
    let job = JOBS[rng.random_range(0..JOBS.len())];
    WorkOutcome { earned, job }
}

/// Rolls one `/beg`: nothing with probability `nothing_chance`, else uniform in `min..=max`.
pub fn beg(rules: &BegRules, rng: &mut impl Rng) -> BegOutcome {
    let p = if rules.nothing_chance.is_nan() {
        1.0
    } else {
        rules.nothing_chance.clamp(0.0, 1.0)
    };
    if rng.random_bool(p) {
        return BegOutcome {
            earned: Chrons::ZERO,
        };
    }
    let (min, max) = sane_range(rules.min, rules.max);
    BegOutcome {
        earned: Chrons::new(rng.random_range(min.get()..=max.get())),
    }
}
