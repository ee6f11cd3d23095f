//! `chronix bench rankcard [--cards N]`: renders N rank cards (the levels feature's PNG, through
//! `chronix-render`: SVG template, resvg, the shipped fonts) on one thread and prints
//! `rankcard: N cards, X ms/card (first Y ms)`. The first card includes loading the fonts.
//! Each card carries a 256×256 avatar and a 960×540 server banner (PNG, decoded and painted on
//! every card, as the bot does after fetching them from the CDN).

use std::time::Instant;

/// Renders `cards` cards; the report line.
pub fn rankcard(cards: u32) -> anyhow::Result<String> {
    let cards = cards.max(1);
    let picture = |w: u32, h: u32, a: &str, b: &str| {
        chronix_render::render_svg(&format!(
            r##"<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}"><defs><linearGradient id="g"><stop offset="0" stop-color="{a}"/><stop offset="1" stop-color="{b}"/></linearGradient></defs><rect width="{w}" height="{h}" fill="url(#g)"/><circle cx="{}" cy="{}" r="{}" fill="#fff" fill-opacity="0.4"/></svg>"##,
            w / 2,
            h / 2,
            h / 3
        ))
    };
    let avatar = picture(256, 256, "#f5a623", "#d0021b")?;
    let backdrop = picture(960, 540, "#4a90e2", "#50e3c2")?;
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
            avatar: Some(&avatar),
            backdrop: Some(&backdrop),
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
