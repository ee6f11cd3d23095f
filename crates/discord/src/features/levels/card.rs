//! The rank card: a member's level, progress, rank and XP drawn by `chronix-render` (an SVG
//! template rendered with resvg and the shipped DejaVu fonts), with the member's avatar in the
//! ring and the server's banner behind the card when it has one (fetched from Discord's CDN by
//! `kernel::pictures`, cached; a picture that cannot be fetched in 2 s leaves the initials on a
//! colour picked from the user id, and the server's card colour).

use chronix_core::ids::{GuildId, UserId};
use chronix_core::levels::{LevelSettings, Scope, parse_color};
use chronix_core::render::format_number;
use chronix_storage::{leaderboard, levels as store};

use crate::pictures::MemberPictures;
use crate::prelude::*;

/// The attachment's file name.
pub const FILE: &str = "rank.png";

/// What the card shows, also written in the embed beside it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Standing {
    /// Level.
    pub level: u32,
    /// Total XP in the scope.
    pub xp: i64,
    /// XP inside the level and what the level needs (`None` at the max level).
    pub into: i64,
    /// See `into`.
    pub needed: Option<i64>,
    /// Rank in the scope.
    pub rank: Option<i64>,
}

/// A member's standing in a server or globally.
pub async fn standing(
    data: &Data,
    s: &LevelSettings,
    scope: Scope,
    guild: GuildId,
    user: UserId,
) -> Result<Standing, Error> {
    let m = store::member(data.storage(), guild, user).await?;
    let (xp, curve, rank) = match scope {
        Scope::Server => (
            m.xp,
            s.curve.clone(),
            store::guild_rank(data.storage(), guild, user).await?,
        ),
        Scope::Global => (
            m.global_xp,
            crate::tables::xp_curve(),
            leaderboard::global_rank(data.storage(), leaderboard::Metric::GlobalXp, user).await?,
        ),
    };
    let p = curve.progress(xp);
    Ok(Standing {
        level: p.level,
        xp,
        into: p.xp_into_level,
        needed: p.xp_for_next,
        rank,
    })
}

/// The XP line: `"1,234 / 2,000 XP"`, or the max-level text.
pub fn xp_line(l: Locale, st: &Standing) -> String {
    match st.needed {
        Some(n) => tr!(
            l,
            "levels-card-xp",
            into = format_number(st.into),
            needed = format_number(n)
        ),
        None => tr!(l, "levels-card-max", xp = format_number(st.xp)),
    }
}

/// Renders the card PNG off the async runtime.
pub async fn render(
    l: Locale,
    s: &LevelSettings,
    st: &Standing,
    name: &str,
    user: UserId,
    subtitle: &str,
    pictures: MemberPictures,
) -> Result<Vec<u8>, Error> {
    let name = name.to_string();
    let subtitle = subtitle.to_string();
    let rank_label = tr!(l, "levels-card-rank");
    let level_label = tr!(l, "levels-card-level");
    let xp_text = xp_line(l, st);
    let background = parse_color(&s.card_color).unwrap_or((35, 39, 42));
    let st = st.clone();
    let png = tokio::task::spawn_blocking(move || {
        chronix_render::rank_card(&chronix_render::RankCard {
            name: &name,
            avatar_seed: user.get(),
            level: st.level,
            rank: st.rank,
            xp_into_level: st.into,
            xp_for_next: st.needed,
            rank_label: &rank_label,
            level_label: &level_label,
            xp_text: &xp_text,
            subtitle: &subtitle,
            background,
            avatar: pictures.avatar.as_deref().map(Vec::as_slice),
            backdrop: pictures.backdrop.as_deref().map(Vec::as_slice),
        })
    })
    .await??;
    Ok(png)
}
