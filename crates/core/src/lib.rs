//! Pure game and economy rules for Chronix: no I/O, no clock, no global RNG.
//!
//! Every function that needs the time takes `now: DateTime<Utc>`; every function that needs
//! randomness takes `rng: &mut impl rand::Rng`, so the same seed always gives the same result.
//! The only "input" is [`tables::Tables::from_yaml_strs`], which parses YAML text the caller read.
//!
//! Modules (named like the feature in every layer of the workspace):
//! - [`economy`]: the [`economy::Chrons`] money type and checked balance helpers, amount parsing
//!   (`"2.5k"`, `"half"`), `/daily` with streaks, `/weekly`, `/work`, `/beg`, coinflip/dice/slots
//!   with a configurable house edge, bank interest.
//! - [`tables`]: the data files of `assets/tables/` (rarities, creatures, gems, crates, shop),
//!   parsed and validated with every problem reported.
//! - [`hunt`]: one manual hunt ([`hunt::roll_hunt`]) and its exact probabilities.
//! - [`invites`]: which invite a member joined with, fake joins, invite counts and rewards.
//! - [`autohunt`]: per-tick cost, loot and essence; trait upgrades and the upgrade suggestion.
//! - [`xp`]: the levelling curve and message XP.
//! - [`items`]: loot types, shop quotes, crate opening, the gem forge.
//! - [`logging`]: log categories and channel names, the message cache, embed packing.
//! - [`moderation`]: durations (`10m`, `2h`, `7d`), role-hierarchy checks, case kinds and the
//!   argument parsing of moderation commands.
//! - [`pets`]: pet rules from `pets.yaml` (XP curve, training, feeding, evolution, prestige,
//!   traits, stats, the autohunt share).
//! - [`ratelimit`]: per-user rate limits (fixed windows) as pure rules.
//! - [`render`]: shared text helpers (`format_chrons`, loot icons, durations, progress bars).
//! - [`tickets`]: ticket panel configuration (one validation for every entry point), ticket
//!   channel names and transcripts (self-contained HTML and plain text, sized for uploads).
//! - [`announcements`]: the announcement record (one validation), templates, sanitising of
//!   user text, schedules (once, daily, weekly, cron) in a server's time zone and the
//!   missed-occurrence rule.
//! - [`giveaways`]: giveaway options and requirements, and the fair winner draw.
//! - [`eventboard`]: server events: start times, recurrence, RSVP states, the attendee bonus
//!   rule and the iCalendar export.
//! - [`weapons`]: weapon stats, enhancement (cost, chance, failure), scrap, gem sockets.
//! - [`battles`]: the battle engine (combatants, damage, elements, turns, replay, rewards).
//! - [`text`]: typo suggestions (`edit_distance`, `closest`) for configuration keys and commands.
//! - [`clans`]: clan names, roles, BP, perks and their effects, the disband refund, weekly war
//!   weeks, pairing and scoring (`clans.yaml`).
//! - [`teams`]: team rules and the team-hunt share.
//!
//! ```
//! use chronix_core::economy::{self, BetRules, Chrons, CoinSide};
//! use chronix_core::render::format_chrons;
//! use rand::SeedableRng;
//!
//! let balance = Chrons::new(12_345);
//! let bet = economy::parse_amount("half", balance).unwrap();
//! assert_eq!(bet, 6_172);
//! let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(7); // production: a CSPRNG
//! let outcome = economy::coinflip(bet, CoinSide::Heads, &BetRules::default(), &mut rng).unwrap();
//! let new_balance = economy::apply_change(balance, outcome.net()).unwrap();
//! println!("{} → {}", format_chrons(balance), format_chrons(new_balance));
//! ```
//!
//! Architecture invariant: this crate depends on no async runtime, database, Discord library,
//! clock or global random generator.

#![warn(missing_docs)]

pub mod announcements;
pub mod autohunt;
pub mod battles;
pub mod clans;
pub mod economy;
pub mod eventboard;
pub mod giveaways;
pub mod hunt;
pub mod ids;
pub mod invites;
pub mod items;
pub mod levels;
pub mod logging;
pub mod moderation;
pub mod pets;
pub mod ratelimit;
pub mod reactionroles;
pub mod render;
pub mod tables;
pub mod tags;
pub mod teams;
pub mod tempvoice;
pub mod text;
pub mod tickets;
pub mod weapons;
pub mod welcome;
pub mod xp;
