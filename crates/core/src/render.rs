//! Pure rendering helpers shared by the Discord layer, the dashboard and the sandbox.

use chrono::Duration;

use crate::economy::{BetDetail, Chrons};
use crate::items::Loot;
use crate::tables::{Rarity, Tables};

/// The Chrons emoji.
pub const CHRONS_EMOJI: &str = "💠";
/// The gems emoji.
pub const GEMS_EMOJI: &str = "💎";
/// The essence emoji.
pub const ESSENCE_EMOJI: &str = "✨";

/// `1234567` → `"1,234,567"` (negative numbers keep their sign).
pub fn format_number(n: i64) -> String {
    let digits = n.unsigned_abs().to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3 + 1);
    if n < 0 {
        out.push('-');
    }
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(ch);
    }
    out
}

/// `1234` → `"1,234 💠"`.
pub fn format_chrons(amount: Chrons) -> String {
    format!("{} {CHRONS_EMOJI}", format_number(amount.get()))
}

/// A duration as `"1d 3h"`, `"2h 5m"`, `"4m 10s"` or `"12s"` (two largest units; negative as 0s).
pub fn format_duration(d: Duration) -> String {
    let total = d.num_seconds().max(0);
    let (days, hours, mins, secs) = (
        total / 86_400,
        total % 86_400 / 3_600,
        total % 3_600 / 60,
        total % 60,
    );
    match (days, hours, mins) {
        (0, 0, 0) => format!("{secs}s"),
        (0, 0, m) => format!("{m}m {secs}s"),
        (0, h, m) => format!("{h}h {m}m"),
        (d, h, _) => format!("{d}d {h}h"),
    }
}

/// The emoji of a tier as configured in the tables.
pub fn rarity_emoji(tables: &Tables, rarity: Rarity) -> &str {
    tables.rarity_emoji(rarity)
}

/// The icon of one piece of loot (creature, gem or crate emoji; `❔` if unknown).
pub fn loot_icon<'t>(tables: &'t Tables, loot: &Loot) -> &'t str {
    match loot {
        Loot::Creature(c) | Loot::Pet(c) => {
            tables.creature(&c.id).map_or("❔", |x| x.emoji.as_str())
        }
        Loot::Gem(g) => tables.gem(&g.gem_type).map_or("❔", |x| x.emoji.as_str()),
        Loot::Crate { id } => tables.crate_def(id).map_or("❔", |x| x.emoji.as_str()),
        Loot::Weapon(w) => tables
            .weapons()
            .weapon_type(&w.weapon_type)
            .map_or("❔", |x| x.emoji.as_str()),
    }
}

/// Loot as a line of icons: `"🐇 ♦️ 📦"` (empty string for no loot).
pub fn loot_icons(tables: &Tables, loot: &[Loot]) -> String {
    loot.iter()
        .map(|l| loot_icon(tables, l))
        .collect::<Vec<_>>()
        .join(" ")
}

/// One piece of loot with its tier and name: `"🟣 🐆 Shadow Panther"`,
/// `"🔵 🔷 Sapphire (+4)"`, `"📦 Basic Crate"`.
pub fn loot_line(tables: &Tables, loot: &Loot) -> String {
    match loot {
        Loot::Creature(c) => {
            let name = tables
                .creature(&c.id)
                .map_or(c.id.as_str(), |x| x.name.as_str());
            format!(
                "{} {} {name}",
                tables.rarity_emoji(c.rarity),
                loot_icon(tables, loot)
            )
        }
        Loot::Gem(g) => {
            let name = tables
                .gem(&g.gem_type)
                .map_or(g.gem_type.as_str(), |x| x.name.as_str());
            format!(
                "{} {} {name} (+{})",
                tables.rarity_emoji(g.rarity),
                loot_icon(tables, loot),
                g.power
            )
        }
        Loot::Crate { id } => {
            let name = tables
                .crate_def(id)
                .map_or(id.as_str(), |x| x.name.as_str());
            format!("{} {name}", loot_icon(tables, loot))
        }
        Loot::Pet(c) => {
            let name = tables
                .creature(&c.id)
                .map_or(c.id.as_str(), |x| x.name.as_str());
            format!(
                "{} {} {name} 🐾",
                tables.rarity_emoji(c.rarity),
                loot_icon(tables, loot)
            )
        }
        Loot::Weapon(w) => {
            let name = tables
                .weapons()
                .weapon_type(&w.weapon_type)
                .map_or(w.weapon_type.as_str(), |x| x.name.as_str());
            format!(
                "{} {} {name}",
                tables.rarity_emoji(w.rarity),
                loot_icon(tables, loot)
            )
        }
    }
}

/// What a game rolled: `"🪙 heads"`, `"🎲 3 + 4 = 7"`, `"🍒 | 🍒 | 💎"`.
pub fn bet_detail(detail: &BetDetail) -> String {
    match detail {
        BetDetail::Coinflip { landed, .. } => format!("{} {landed}", landed.emoji()),
        BetDetail::Dice { dice, .. } => {
            format!("🎲 {} + {} = {}", dice[0], dice[1], dice[0] + dice[1])
        }
        BetDetail::Slots { reels, .. } => reels
            .iter()
            .map(|s| s.emoji())
            .collect::<Vec<_>>()
            .join(" | "),
    }
}

/// A text progress bar: `progress_bar(3, 10, 10)` → `"▰▰▰▱▱▱▱▱▱▱"`.
pub fn progress_bar(current: i64, total: i64, width: usize) -> String {
    let filled = if total <= 0 {
        width
    } else {
        let c = i128::from(current.clamp(0, total));
        (c * width as i128 / i128::from(total)) as usize
    };
    "▰".repeat(filled) + &"▱".repeat(width - filled)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::economy::{BetDetail, CoinSide, DiceBet, SlotSymbol};
    use crate::items::{CreatureDrop, GemDrop};
    use crate::tables::test_tables;

    #[test]
    fn numbers_and_chrons() {
        assert_eq!(format_chrons(Chrons::new(1_234)), "1,234 💠");
        assert_eq!(format_chrons(Chrons::new(0)), "0 💠");
        assert_eq!(format_chrons(Chrons::new(999)), "999 💠");
        assert_eq!(format_chrons(Chrons::new(1_000_000)), "1,000,000 💠");
        assert_eq!(format_chrons(Chrons::new(-1_234_567)), "-1,234,567 💠");
        assert_eq!(format_number(i64::MIN), "-9,223,372,036,854,775,808");
    }

    #[test]
    fn durations_and_bars() {
        assert_eq!(format_duration(Duration::seconds(12)), "12s");
        assert_eq!(format_duration(Duration::seconds(250)), "4m 10s");
        assert_eq!(format_duration(Duration::seconds(7_500)), "2h 5m");
        assert_eq!(format_duration(Duration::seconds(97_200)), "1d 3h");
        assert_eq!(format_duration(Duration::seconds(-5)), "0s");
        assert_eq!(progress_bar(3, 10, 10), "▰▰▰▱▱▱▱▱▱▱");
        assert_eq!(progress_bar(50, 10, 4), "▰▰▰▰");
        assert_eq!(progress_bar(-1, 10, 4), "▱▱▱▱");
        assert_eq!(progress_bar(0, 0, 3), "▰▰▰");
    }

    #[test]
    fn loot_rendering() {
        let t = test_tables();
        let loot = vec![
            Loot::Creature(CreatureDrop {
                id: "shadow_panther".into(),
                rarity: Rarity::Epic,
            }),
            Loot::Gem(GemDrop {
                gem_type: "sapphire".into(),
                rarity: Rarity::Rare,
                power: 4,
            }),
            Loot::Crate { id: "basic".into() },
            Loot::Crate {
                id: "vanished".into(),
            },
        ];
        assert_eq!(loot_icons(&t, &loot), "🐆 🔷 📦 ❔");
        assert_eq!(loot_icons(&t, &[]), "");
        assert_eq!(loot_line(&t, &loot[0]), "🟣 🐆 Shadow Panther");
        assert_eq!(loot_line(&t, &loot[1]), "🔵 🔷 Sapphire (+4)");
        assert_eq!(loot_line(&t, &loot[2]), "📦 Basic Crate");
        assert_eq!(rarity_emoji(&t, Rarity::Celestial), "🌌");
    }

    #[test]
    fn bet_rendering() {
        let c = BetDetail::Coinflip {
            called: CoinSide::Heads,
            landed: CoinSide::Tails,
        };
        assert_eq!(bet_detail(&c), "🌀 tails");
        let d = BetDetail::Dice {
            choice: DiceBet::Seven,
            dice: [3, 4],
        };
        assert_eq!(bet_detail(&d), "🎲 3 + 4 = 7");
        let s = BetDetail::Slots {
            reels: [SlotSymbol::Cherry, SlotSymbol::Cherry, SlotSymbol::Diamond],
            line: Some((SlotSymbol::Cherry, 2)),
        };
        assert_eq!(bet_detail(&s), "🍒 | 🍒 | 💎");
    }
}
