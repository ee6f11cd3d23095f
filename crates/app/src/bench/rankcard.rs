//! `chronix bench rankcard [--cards N]`: renders N rank cards (the levels feature's PNG, through
//! `chronix-render`: SVG template, resvg, the shipped fonts) on one thread and prints
//! `rankcard: N cards, X ms/card (first Y ms)`. The first card includes loading the fonts.

use std::time::Instant;

/// Renders `cards` cards; the report line.
pub fn rankcard(cards: u32) -> anyhow::Result<String> {
    let cards = cards.max(1);
    let mut first = None;
    let start = Instant::now();
    let mut bytes = 0;
    for i in 0..cards {
        let t = Instant::now();
        let xp = format!("{} / 2,000 XP", i % 2_000);
        let png = chronix_render::rank_card(&chronix_render::RankCard {
            name: "Benchmark member",
            avatar_seed: u64::from(i),
            level: i % 500,
            rank: Some(i64::from(i) + 1),
            xp_into_level: i64::from(i % 2_000),
            xp_for_next: Some(2_000),
            rank_label: "RANK",
            level_label: "LEVEL",
            xp_text: &xp,
            subtitle: "Bench Guild",
            background: (35, 39, 42),
        })?;
        bytes += png.len();
        first.get_or_insert(t.elapsed());
    }
    let total = start.elapsed();
    let ms = |d: std::time::Duration| d.as_secs_f64() * 1e3;
    Ok(format!(
        "rankcard: {cards} cards, {:.2} ms/card (first {:.2} ms), {} KiB/card",
        ms(total) / f64::from(cards),
        ms(first.unwrap_or_default()),
        bytes / cards as usize / 1024
    ))
}
