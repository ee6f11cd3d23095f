//! Pictures drawn over a template: a member's avatar in a circle and a server's banner behind a
//! card. The caller fetched the PNG bytes (the CDN); this module decodes them with tiny-skia and
//! paints them with a pattern shader, so a picture is clipped to its shape without masks.
//!
//! A picture that is not a PNG, is larger than [`MAX_SIDE`] on a side (a decompression bomb) or
//! fails to decode is skipped: the template's own drawing (initials, colour) stays visible.

use resvg::tiny_skia::{
    FillRule, FilterQuality, Paint, Path, PathBuilder, Pattern, Pixmap, PixmapPaint, Rect,
    SpreadMode, Transform,
};

/// The largest width or height of a picture that is decoded.
pub const MAX_SIDE: u32 = 4096;

/// A shape a picture fills, scaled to cover it (centred, cropped).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Shape {
    /// A circle: centre x, centre y, radius.
    Circle(f32, f32, f32),
    /// A rectangle with round corners: x, y, width, height, corner radius.
    RoundRect(f32, f32, f32, f32, f32),
}

impl Shape {
    fn bounds(self) -> (f32, f32, f32, f32) {
        match self {
            Shape::Circle(cx, cy, r) => (cx - r, cy - r, 2.0 * r, 2.0 * r),
            Shape::RoundRect(x, y, w, h, _) => (x, y, w, h),
        }
    }

    fn path(self) -> Option<Path> {
        match self {
            Shape::Circle(cx, cy, r) => PathBuilder::from_circle(cx, cy, r),
            Shape::RoundRect(x, y, w, h, r) => round_rect(x, y, w, h, r),
        }
    }
}

/// A rounded rectangle (cubic corners with the usual 0.5523 circle constant).
fn round_rect(x: f32, y: f32, w: f32, h: f32, r: f32) -> Option<Path> {
    let r = r.clamp(0.0, w.min(h) / 2.0);
    if r == 0.0 {
        return Some(PathBuilder::from_rect(Rect::from_xywh(x, y, w, h)?));
    }
    let k = r * 0.552_284_8;
    let (x2, y2) = (x + w, y + h);
    let mut pb = PathBuilder::new();
    pb.move_to(x + r, y);
    pb.line_to(x2 - r, y);
    pb.cubic_to(x2 - r + k, y, x2, y + r - k, x2, y + r);
    pb.line_to(x2, y2 - r);
    pb.cubic_to(x2, y2 - r + k, x2 - r + k, y2, x2 - r, y2);
    pb.line_to(x + r, y2);
    pb.cubic_to(x + r - k, y2, x, y2 - r + k, x, y2 - r);
    pb.line_to(x, y + r);
    pb.cubic_to(x, y + r - k, x + r - k, y, x + r, y);
    pb.close();
    pb.finish()
}

/// Decodes PNG bytes, `None` when they are not a PNG of a sane size or do not decode.
pub fn decode(bytes: &[u8]) -> Option<Pixmap> {
    let (w, h) = crate::png_size(bytes)?;
    if w == 0 || h == 0 || w > MAX_SIDE || h > MAX_SIDE {
        return None;
    }
    Pixmap::decode_png(bytes).ok()
}

/// Paints `picture` into `shape` on `canvas`, scaled to cover the shape. Returns whether it
/// was painted.
pub fn paint(canvas: &mut Pixmap, picture: &Pixmap, shape: Shape) -> bool {
    let (x, y, w, h) = shape.bounds();
    let (pw, ph) = (picture.width() as f32, picture.height() as f32);
    let scale = (w / pw).max(h / ph);
    let tx = x + (w - pw * scale) / 2.0;
    let ty = y + (h - ph * scale) / 2.0;
    let Some(path) = shape.path() else {
        return false;
    };
    let paint = Paint {
        shader: Pattern::new(
            picture.as_ref(),
            SpreadMode::Pad,
            FilterQuality::Bicubic,
            1.0,
            Transform::from_row(scale, 0.0, 0.0, scale, tx, ty),
        ),
        anti_alias: true,
        ..Paint::default()
    };
    canvas.fill_path(
        &path,
        &paint,
        FillRule::Winding,
        Transform::identity(),
        None,
    );
    true
}

/// Draws `top` over `canvas` (both the same size).
pub fn overlay(canvas: &mut Pixmap, top: &Pixmap) {
    canvas.draw_pixmap(
        0,
        0,
        top.as_ref(),
        &PixmapPaint::default(),
        Transform::identity(),
        None,
    );
}

#[cfg(test)]
mod tests {
    use super::*;
    use resvg::tiny_skia::Color;

    fn solid(w: u32, h: u32, c: Color) -> Vec<u8> {
        let mut p = Pixmap::new(w, h).unwrap();
        p.fill(c);
        p.encode_png().unwrap()
    }

    #[test]
    fn a_picture_fills_its_circle_and_nothing_outside() {
        let pic = decode(&solid(40, 20, Color::from_rgba8(255, 0, 0, 255))).unwrap();
        let mut canvas = Pixmap::new(100, 100).unwrap();
        assert!(paint(&mut canvas, &pic, Shape::Circle(50.0, 50.0, 30.0)));
        let at = |x: u32, y: u32| canvas.pixel(x, y).unwrap();
        assert_eq!((at(50, 50).red(), at(50, 50).alpha()), (255, 255));
        // Cover: the 2:1 picture fills the circle's top and bottom too.
        assert_eq!(at(50, 22).red(), 255);
        // Outside the circle (the box's corner) stays empty.
        assert_eq!(at(22, 22).alpha(), 0);
        assert_eq!(at(90, 90).alpha(), 0);
    }

    #[test]
    fn round_corners_stay_empty() {
        let pic = decode(&solid(8, 8, Color::from_rgba8(0, 0, 255, 255))).unwrap();
        let mut canvas = Pixmap::new(200, 100).unwrap();
        assert!(paint(
            &mut canvas,
            &pic,
            Shape::RoundRect(0.0, 0.0, 200.0, 100.0, 24.0)
        ));
        assert_eq!(canvas.pixel(1, 1).unwrap().alpha(), 0);
        assert_eq!(canvas.pixel(100, 50).unwrap().blue(), 255);
        assert_eq!(canvas.pixel(100, 1).unwrap().alpha(), 255);
    }

    #[test]
    fn bad_bytes_and_huge_pictures_are_skipped() {
        assert!(decode(b"not a png at all, not even close").is_none());
        let mut huge = solid(2, 2, Color::WHITE);
        // Claim 5000×5000 in the header: refused before decoding.
        huge[16..20].copy_from_slice(&5000u32.to_be_bytes());
        huge[20..24].copy_from_slice(&5000u32.to_be_bytes());
        assert!(decode(&huge).is_none());
        let mut truncated = solid(30, 30, Color::BLACK);
        truncated.truncate(40);
        assert!(decode(&truncated).is_none());
    }
}
