//! Chronix images: SVG templates rendered to PNG in Rust with `resvg` (no browser, no Python).
//!
//! Text is drawn with the DejaVu Sans fonts shipped in `assets/fonts/` (Bitstream Vera licence,
//! `assets/fonts/DejaVu-LICENSE.txt`), embedded at compile time and loaded once per process, so
//! rendering never reads the system's fonts and looks the same everywhere.
//!
//! * [`render_svg`]: any SVG document → PNG bytes.
//! * [`rank_card`]: the levels feature's rank card ([`RankCard`], [`RANK_CARD_SIZE`]).
//! * [`banner`]: a welcome banner ([`Banner`], [`BANNER_SIZE`]) for the welcomer.
//! * [`pictures`]: a member's avatar and a server's banner (PNG bytes the caller fetched)
//!   painted over a template; a picture that does not decode leaves the template's initials
//!   and colour visible.
//!
//! Every text shown on a card comes from the caller (already localised); this crate only lays
//! it out. User-supplied text is XML-escaped ([`escape`]).

use std::sync::{Arc, LazyLock};

use resvg::{tiny_skia, usvg};

pub mod pictures;

use pictures::Shape;

/// DejaVu Sans (regular).
const DEJAVU_SANS: &[u8] = include_bytes!("../../../assets/fonts/DejaVuSans.ttf");
/// DejaVu Sans Bold.
const DEJAVU_SANS_BOLD: &[u8] = include_bytes!("../../../assets/fonts/DejaVuSans-Bold.ttf");
/// The font family every template uses.
pub const FONT_FAMILY: &str = "DejaVu Sans";

static FONTS: LazyLock<Arc<usvg::fontdb::Database>> = LazyLock::new(|| {
    let mut db = usvg::fontdb::Database::new();
    db.load_font_data(DEJAVU_SANS.to_vec());
    db.load_font_data(DEJAVU_SANS_BOLD.to_vec());
    db.set_sans_serif_family(FONT_FAMILY);
    Arc::new(db)
});

/// Why an image could not be rendered (a template bug, never user input).
#[derive(Debug, thiserror::Error)]
pub enum RenderError {
    /// The SVG did not parse.
    #[error("invalid SVG: {0}")]
    Svg(#[from] usvg::Error),
    /// Zero or huge size.
    #[error("bad image size")]
    Size,
    /// PNG encoding failed.
    #[error("PNG encoding: {0}")]
    Png(String),
}

/// Renders an SVG document to PNG bytes at its own size.
pub fn render_svg(svg: &str) -> Result<Vec<u8>, RenderError> {
    encode(&svg_pixmap(svg)?)
}

/// Renders an SVG document to a pixmap at its own size.
fn svg_pixmap(svg: &str) -> Result<tiny_skia::Pixmap, RenderError> {
    let opt = usvg::Options {
        font_family: FONT_FAMILY.to_string(),
        fontdb: FONTS.clone(),
        ..usvg::Options::default()
    };
    let tree = usvg::Tree::from_str(svg, &opt)?;
    let size = tree.size().to_int_size();
    if size.width() > 4096 || size.height() > 4096 {
        return Err(RenderError::Size);
    }
    let mut pixmap =
        tiny_skia::Pixmap::new(size.width(), size.height()).ok_or(RenderError::Size)?;
    resvg::render(&tree, tiny_skia::Transform::default(), &mut pixmap.as_mut());
    Ok(pixmap)
}

fn encode(pixmap: &tiny_skia::Pixmap) -> Result<Vec<u8>, RenderError> {
    pixmap
        .encode_png()
        .map_err(|e| RenderError::Png(e.to_string()))
}

/// Renders `svg` with an optional picture under it (a backdrop its translucent background
/// shows) and an optional picture over it (an avatar over the drawn initials).
fn compose(
    svg: &str,
    under: Option<(&tiny_skia::Pixmap, Shape)>,
    over: Option<(&tiny_skia::Pixmap, Shape)>,
) -> Result<Vec<u8>, RenderError> {
    let top = svg_pixmap(svg)?;
    let mut canvas = tiny_skia::Pixmap::new(top.width(), top.height()).ok_or(RenderError::Size)?;
    if let Some((picture, shape)) = under {
        pictures::paint(&mut canvas, picture, shape);
    }
    pictures::overlay(&mut canvas, &top);
    if let Some((picture, shape)) = over {
        pictures::paint(&mut canvas, picture, shape);
    }
    encode(&canvas)
}

/// Escapes text for an SVG text node or attribute (control characters are dropped: XML
/// forbids most of them).
pub fn escape(s: &str) -> String {
    let clean: String = s.chars().filter(|c| !c.is_control()).collect();
    chronix_core::tickets::escape_html(&clean)
}

/// Keeps at most `max` characters, ending with `…` when cut.
pub fn ellipsize(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        return s.to_string();
    }
    let mut out: String = s.chars().take(max.saturating_sub(1)).collect();
    out.push('…');
    out
}

/// Up to two initials of a name (`"ann lee"` → `"AL"`, `"bob"` → `"B"`, none → `"?"`).
pub fn initials(name: &str) -> String {
    let letters: String = name
        .split(|c: char| !c.is_alphanumeric())
        .filter_map(|w| w.chars().next())
        .take(2)
        .flat_map(char::to_uppercase)
        .collect();
    if letters.is_empty() {
        "?".to_string()
    } else {
        letters
    }
}

/// A colour picked from a seed (a user id): stable, saturated, readable under white text.
pub fn seed_color(seed: u64) -> (u8, u8, u8) {
    const PALETTE: [(u8, u8, u8); 8] = [
        (88, 101, 242),
        (87, 160, 96),
        (235, 69, 158),
        (237, 66, 69),
        (230, 126, 34),
        (26, 188, 156),
        (155, 89, 182),
        (52, 152, 219),
    ];
    PALETTE[(seed % PALETTE.len() as u64) as usize]
}

fn hex((r, g, b): (u8, u8, u8)) -> String {
    format!("#{r:02x}{g:02x}{b:02x}")
}

fn shade((r, g, b): (u8, u8, u8), pct: u16) -> (u8, u8, u8) {
    let f = |c: u8| (u16::from(c) * pct / 100).min(255) as u8;
    (f(r), f(g), f(b))
}

/// The rank card's size in pixels (width, height).
pub const RANK_CARD_SIZE: (u32, u32) = (934, 282);

/// What a rank card shows. Labels come localised from the caller.
#[derive(Debug, Clone)]
pub struct RankCard<'a> {
    /// The member's display name.
    pub name: &'a str,
    /// Seed of the avatar colour (the user id).
    pub avatar_seed: u64,
    /// Level.
    pub level: u32,
    /// Rank (`None`: not ranked yet).
    pub rank: Option<i64>,
    /// XP earned inside the level.
    pub xp_into_level: i64,
    /// XP the level needs (`None` at the max level).
    pub xp_for_next: Option<i64>,
    /// `"RANK"`.
    pub rank_label: &'a str,
    /// `"LEVEL"`.
    pub level_label: &'a str,
    /// The XP line under the name, e.g. `"1,234 / 2,000 XP"` or `"MAX"`.
    pub xp_text: &'a str,
    /// A small line above the name (e.g. the server's name or "Global").
    pub subtitle: &'a str,
    /// Background colour.
    pub background: (u8, u8, u8),
    /// The member's avatar (PNG), drawn over the initials.
    pub avatar: Option<&'a [u8]>,
    /// The server's banner (PNG), shown through the background.
    pub backdrop: Option<&'a [u8]>,
}

/// The rank card as SVG (see [`rank_card`]); its background is translucent when the card has
/// a backdrop.
pub fn rank_card_svg(c: &RankCard<'_>) -> String {
    rank_card_svg_over(c, c.backdrop.is_some())
}

fn rank_card_svg_over(c: &RankCard<'_>, backdrop: bool) -> String {
    let (w, h) = RANK_CARD_SIZE;
    // With a backdrop the card lets the server's banner show through, and its panel stays dark
    // enough for the white text.
    let (bg_opacity, panel_opacity) = if backdrop {
        ("0.3", "0.7")
    } else {
        ("1", "0.85")
    };
    let bg = hex(c.background);
    let panel = hex(shade(c.background, 70));
    let accent_rgb = seed_color(c.avatar_seed);
    let accent = hex(accent_rgb);
    let fraction = match c.xp_for_next {
        Some(n) if n > 0 => (c.xp_into_level.max(0) as f64 / n as f64).clamp(0.0, 1.0),
        _ => 1.0,
    };
    let bar_x = 270.0;
    let bar_w = 620.0;
    let fill = (bar_w * fraction).max(if fraction > 0.0 { 36.0 } else { 0.0 });
    let name = escape(&ellipsize(c.name, 22));
    let subtitle = escape(&ellipsize(c.subtitle, 40));
    let initials = escape(&initials(c.name));
    let rank = c.rank.map_or_else(|| "—".to_string(), |r| format!("#{r}"));
    let fill_rect = if fill > 0.0 {
        format!(
            r#"<rect x="{bar_x}" y="190" width="{fill:.1}" height="36" rx="18" fill="{accent}"/>"#
        )
    } else {
        String::new()
    };
    format!(
        r##"<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" viewBox="0 0 {w} {h}">
<rect width="{w}" height="{h}" rx="24" fill="{bg}" fill-opacity="{bg_opacity}"/>
<rect x="20" y="20" width="{iw}" height="{ih}" rx="18" fill="{panel}" fill-opacity="{panel_opacity}"/>
<circle cx="141" cy="141" r="96" fill="{bg}"/>
<circle cx="141" cy="141" r="88" fill="{accent}"/>
<text x="141" y="141" font-family="{FONT_FAMILY}" font-size="72" font-weight="bold" fill="#ffffff" text-anchor="middle" dominant-baseline="central">{initials}</text>
<text x="270" y="78" font-family="{FONT_FAMILY}" font-size="22" fill="#b9bbbe">{subtitle}</text>
<text x="270" y="128" font-family="{FONT_FAMILY}" font-size="42" font-weight="bold" fill="#ffffff">{name}</text>
<text x="890" y="78" font-family="{FONT_FAMILY}" text-anchor="end" fill="#ffffff"><tspan font-size="22" fill="#b9bbbe">{rank_label} </tspan><tspan font-size="46" font-weight="bold">{rank}</tspan><tspan font-size="22" fill="{accent_light}">  {level_label} </tspan><tspan font-size="46" font-weight="bold" fill="{accent_light}">{level}</tspan></text>
<text x="890" y="172" font-family="{FONT_FAMILY}" font-size="24" fill="#b9bbbe" text-anchor="end">{xp_text}</text>
<rect x="{bar_x}" y="190" width="{bar_w}" height="36" rx="18" fill="#484b4e"/>
{fill_rect}
</svg>"##,
        iw = w - 40,
        ih = h - 40,
        accent_light = hex(shade(accent_rgb, 140)),
        rank_label = escape(c.rank_label),
        level_label = escape(c.level_label),
        level = c.level,
        xp_text = escape(c.xp_text),
    )
}

/// The rank card as PNG ([`RANK_CARD_SIZE`]): the backdrop (if any, and if it decodes) under
/// the card, the avatar (likewise) in the ring.
pub fn rank_card(c: &RankCard<'_>) -> Result<Vec<u8>, RenderError> {
    with_pictures(
        c.avatar,
        c.backdrop,
        (RANK_CARD_SIZE, 24.0),
        Shape::Circle(141.0, 141.0, 88.0),
        |backdrop| rank_card_svg_over(c, backdrop),
    )
}

/// Renders a template (`svg(has_backdrop)`) of `size` with round corners, the backdrop under it
/// and the avatar in `ring`; a picture that does not decode is left out.
fn with_pictures(
    avatar: Option<&[u8]>,
    backdrop: Option<&[u8]>,
    ((w, h), corner): ((u32, u32), f32),
    ring: Shape,
    svg: impl FnOnce(bool) -> String,
) -> Result<Vec<u8>, RenderError> {
    let avatar = avatar.and_then(pictures::decode);
    let backdrop = backdrop.and_then(pictures::decode);
    compose(
        &svg(backdrop.is_some()),
        backdrop
            .as_ref()
            .map(|b| (b, Shape::RoundRect(0.0, 0.0, w as f32, h as f32, corner))),
        avatar.as_ref().map(|a| (a, ring)),
    )
}

/// The welcome banner's size in pixels (width, height).
pub const BANNER_SIZE: (u32, u32) = (1024, 360);

/// What a welcome banner shows (issue 15, welcomer). Texts come localised from the caller.
#[derive(Debug, Clone)]
pub struct Banner<'a> {
    /// The big line (e.g. "WELCOME").
    pub headline: &'a str,
    /// The member's name.
    pub name: &'a str,
    /// Seed of the avatar colour (the user id).
    pub avatar_seed: u64,
    /// The small line (e.g. "Member #1,234 of Chronix").
    pub subtitle: &'a str,
    /// Background colour chosen by the server.
    pub background: (u8, u8, u8),
    /// The member's avatar (PNG), drawn in the ring over the initials.
    pub avatar: Option<&'a [u8]>,
    /// The server's banner (PNG), shown through the background.
    pub backdrop: Option<&'a [u8]>,
}

/// The welcome banner as SVG: the member's initials in a ring at the top, the headline, the
/// name and a subtitle, centred on the server's colour with a soft diagonal shade.
pub fn banner_svg(b: &Banner<'_>) -> String {
    banner_svg_over(b, b.backdrop.is_some())
}

fn banner_svg_over(b: &Banner<'_>, backdrop: bool) -> String {
    let (w, h) = BANNER_SIZE;
    let bg_opacity = if backdrop { "0.4" } else { "1" };
    let bg = hex(b.background);
    let dark = hex(shade(b.background, 55));
    let accent = hex(seed_color(b.avatar_seed));
    let cx = w / 2;
    format!(
        r##"<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" viewBox="0 0 {w} {h}">
<defs><linearGradient id="g" x1="0" y1="0" x2="1" y2="1"><stop offset="0" stop-color="{bg}"/><stop offset="1" stop-color="{dark}"/></linearGradient></defs>
<rect width="{w}" height="{h}" rx="28" fill="url(#g)" fill-opacity="{bg_opacity}"/>
<circle cx="{cx}" cy="110" r="78" fill="#ffffff"/>
<circle cx="{cx}" cy="110" r="70" fill="{accent}"/>
<text x="{cx}" y="110" font-family="{FONT_FAMILY}" font-size="60" font-weight="bold" fill="#ffffff" text-anchor="middle" dominant-baseline="central">{initials}</text>
<text x="{cx}" y="238" font-family="{FONT_FAMILY}" font-size="44" font-weight="bold" fill="#ffffff" text-anchor="middle">{headline}</text>
<text x="{cx}" y="290" font-family="{FONT_FAMILY}" font-size="34" fill="#ffffff" text-anchor="middle">{name}</text>
<text x="{cx}" y="332" font-family="{FONT_FAMILY}" font-size="22" fill="#dcddde" text-anchor="middle">{subtitle}</text>
</svg>"##,
        initials = escape(&initials(b.name)),
        headline = escape(&ellipsize(b.headline, 30)),
        name = escape(&ellipsize(b.name, 32)),
        subtitle = escape(&ellipsize(b.subtitle, 60)),
    )
}

/// The welcome banner as PNG ([`BANNER_SIZE`]), with the backdrop and avatar as on the rank
/// card.
pub fn banner(b: &Banner<'_>) -> Result<Vec<u8>, RenderError> {
    with_pictures(
        b.avatar,
        b.backdrop,
        (BANNER_SIZE, 28.0),
        Shape::Circle((BANNER_SIZE.0 / 2) as f32, 110.0, 70.0),
        |backdrop| banner_svg_over(b, backdrop),
    )
}

/// `(width, height)` of a PNG from its header, `None` when it is not a PNG.
pub fn png_size(bytes: &[u8]) -> Option<(u32, u32)> {
    const SIG: [u8; 8] = [0x89, b'P', b'N', b'G', 0x0d, 0x0a, 0x1a, 0x0a];
    if bytes.len() < 24 || bytes[..8] != SIG || &bytes[12..16] != b"IHDR" {
        return None;
    }
    let w = u32::from_be_bytes(bytes[16..20].try_into().ok()?);
    let h = u32::from_be_bytes(bytes[20..24].try_into().ok()?);
    Some((w, h))
}

#[cfg(test)]
mod tests {
    use super::*;

    pub(crate) fn sample() -> RankCard<'static> {
        RankCard {
            name: "Ann <Lee> & co",
            avatar_seed: 42,
            level: 12,
            rank: Some(3),
            xp_into_level: 1_234,
            xp_for_next: Some(2_000),
            rank_label: "RANK",
            level_label: "LEVEL",
            xp_text: "1,234 / 2,000 XP",
            subtitle: "Test Guild",
            background: (35, 39, 42),
            avatar: None,
            backdrop: None,
        }
    }

    #[test]
    fn rank_card_is_a_png_of_the_card_size() {
        let png = rank_card(&sample()).unwrap();
        assert_eq!(png_size(&png), Some(RANK_CARD_SIZE));
        if let Ok(path) = std::env::var("CHRONIX_CARD_OUT") {
            std::fs::write(path, &png).unwrap();
        }
    }

    #[test]
    fn text_is_escaped_and_cut() {
        let svg = rank_card_svg(&sample());
        assert!(svg.contains("Ann &lt;Lee&gt; &amp; co"), "{svg}");
        assert_eq!(ellipsize("abcdef", 4), "abc…");
        assert_eq!(ellipsize("abc", 4), "abc");
        assert_eq!(initials("ann lee"), "AL");
        assert_eq!(initials("bob"), "B");
        assert_eq!(initials("__"), "?");
        assert_eq!(escape("a\u{7}b\"'"), "ab&quot;&#39;");
    }

    #[test]
    fn max_level_and_empty_bars_render() {
        let mut c = sample();
        c.xp_for_next = None;
        c.rank = None;
        assert_eq!(png_size(&rank_card(&c).unwrap()), Some(RANK_CARD_SIZE));
        c.xp_for_next = Some(100);
        c.xp_into_level = 0;
        assert!(!rank_card_svg(&c).contains(r#"y="190" width="0"#));
        assert_eq!(png_size(&rank_card(&c).unwrap()), Some(RANK_CARD_SIZE));
    }

    #[test]
    fn the_fonts_are_loaded_from_the_shipped_files() {
        let families: Vec<String> = FONTS
            .faces()
            .flat_map(|f| f.families.iter().map(|(n, _)| n.clone()))
            .collect();
        assert!(families.iter().all(|f| f == FONT_FAMILY), "{families:?}");
        assert_eq!(FONTS.len(), 2);
    }

    #[test]
    fn welcome_banner_is_a_png_of_the_banner_size() {
        let b = Banner {
            headline: "WELCOME",
            name: "Ann <Lee>",
            avatar_seed: 7,
            subtitle: "Member #1,234 of Test Guild",
            background: (88, 101, 242),
            avatar: None,
            backdrop: None,
        };
        assert!(banner_svg(&b).contains("Ann &lt;Lee&gt;"));
        let png = banner(&b).unwrap();
        assert_eq!(png_size(&png), Some(BANNER_SIZE));
        if let Ok(path) = std::env::var("CHRONIX_BANNER_OUT") {
            std::fs::write(path, &png).unwrap();
        }
    }

    /// A test picture: a diagonal gradient, so crops and scales show.
    fn gradient(w: u32, h: u32, rgb: (u8, u8, u8)) -> Vec<u8> {
        let mut p = tiny_skia::Pixmap::new(w, h).unwrap();
        for y in 0..h {
            for x in 0..w {
                let t = (x + y) as f32 / (w + h) as f32;
                let f = |c: u8| (f32::from(c) * (0.4 + 0.6 * t)) as u8;
                let px = tiny_skia::ColorU8::from_rgba(f(rgb.0), f(rgb.1), f(rgb.2), 255);
                p.pixels_mut()[(y * w + x) as usize] = px.premultiply();
            }
        }
        p.encode_png().unwrap()
    }

    fn pixel(png: &[u8], x: u32, y: u32) -> tiny_skia::ColorU8 {
        tiny_skia::Pixmap::decode_png(png)
            .unwrap()
            .pixel(x, y)
            .unwrap()
            .demultiply()
    }

    #[test]
    fn the_avatar_covers_the_initials_and_the_backdrop_shows_through() {
        let plain = rank_card(&sample()).unwrap();
        let avatar = gradient(128, 128, (255, 200, 0));
        let backdrop = gradient(960, 540, (0, 160, 255));
        let mut c = sample();
        c.avatar = Some(&avatar);
        c.backdrop = Some(&backdrop);
        let png = rank_card(&c).unwrap();
        assert_eq!(png_size(&png), Some(RANK_CARD_SIZE));
        if let Ok(path) = std::env::var("CHRONIX_CARD_PICTURES_OUT") {
            std::fs::write(path, &png).unwrap();
        }
        // The ring's centre is the avatar's colour (yellow-ish), not the initials' accent.
        let centre = pixel(&png, 141, 141);
        assert!(
            centre.red() > 150 && centre.green() > 100 && centre.blue() < 40,
            "{centre:?}"
        );
        assert_ne!(pixel(&plain, 141, 141), centre);
        // A corner of the card outside the panel shows the blue backdrop through the colour.
        let edge = pixel(&png, 8, 140);
        assert!(edge.blue() > edge.red() + 40, "{edge:?}");
        // A picture that does not decode changes nothing.
        let mut broken = sample();
        broken.avatar = Some(b"\x89PNG but not really");
        broken.backdrop = Some(b"nope");
        assert_eq!(rank_card(&broken).unwrap(), plain);
    }

    #[test]
    fn the_banner_takes_an_avatar_and_a_backdrop() {
        let avatar = gradient(64, 64, (255, 255, 255));
        let backdrop = gradient(1600, 400, (200, 30, 30));
        let b = Banner {
            headline: "WELCOME",
            name: "Ann",
            avatar_seed: 7,
            subtitle: "Member #2 of Test Guild",
            background: (88, 101, 242),
            avatar: Some(&avatar),
            backdrop: Some(&backdrop),
        };
        let png = banner(&b).unwrap();
        assert_eq!(png_size(&png), Some(BANNER_SIZE));
        if let Ok(path) = std::env::var("CHRONIX_BANNER_PICTURES_OUT") {
            std::fs::write(path, &png).unwrap();
        }
        let centre = pixel(&png, 512, 110);
        assert!(centre.red() > 150 && centre.blue() > 150, "{centre:?}");
        // The red backdrop shows through the server's blue-violet colour.
        let plain = banner(&Banner {
            avatar: None,
            backdrop: None,
            ..b.clone()
        })
        .unwrap();
        let (edge, before) = (pixel(&png, 40, 200), pixel(&plain, 40, 200));
        assert!(edge.red() > before.red() + 10, "{edge:?} vs {before:?}");
        assert!(edge.blue() + 40 < before.blue(), "{edge:?} vs {before:?}");
    }

    #[test]
    fn png_size_rejects_other_bytes() {
        assert_eq!(png_size(b"GIF89a................"), None);
    }
}
