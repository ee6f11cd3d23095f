//! Render messages legibly in a terminal (used by the playground and in test failure output).

use chrono::{DateTime, Local, TimeZone, Utc};
use serde_json::Value;

use crate::state::Message;

fn s(v: &Value) -> &str {
    v.as_str().unwrap_or("")
}

/// Render a message: content, embeds (author, title, description, fields, footer), attachments,
/// buttons as `[ Label ]` rows, select menus, reactions.
///
/// ```
/// # use chronix_sandbox::render::message_to_text;
/// # use chronix_sandbox::Message;
/// # fn demo(m: &Message) { println!("{}", message_to_text(m)); }
/// ```
pub fn message_to_text(m: &Message) -> String {
    let mut out = String::new();
    if m.flags & 128 != 0 {
        out.push_str("… thinking …\n");
    }
    if m.is_ephemeral() {
        out.push_str("(only you can see this)\n");
    }
    if !m.content.is_empty() {
        out.push_str(&markup(&m.content));
        out.push('\n');
    }
    for e in &m.embeds {
        out.push_str(&embed_to_text(e));
    }
    for a in &m.attachments {
        out.push_str(&format!("📎 {} ({} bytes) {}\n", a.filename, a.size, a.url));
    }
    for row in &m.components {
        let mut line = Vec::new();
        for c in row["components"].as_array().into_iter().flatten() {
            match c["type"].as_u64() {
                Some(2) => {
                    let label = c["label"]
                        .as_str()
                        .map(str::to_owned)
                        .unwrap_or_else(|| emoji_text(&c["emoji"]));
                    let mut b = format!("[ {label} ]");
                    if c["style"] == 5 {
                        b = format!("[ {label} ↗ ]");
                    }
                    if c["disabled"].as_bool().unwrap_or(false) {
                        b = format!("({b} disabled)");
                    }
                    line.push(b);
                }
                Some(3) => {
                    let opts: Vec<String> = c["options"]
                        .as_array()
                        .into_iter()
                        .flatten()
                        .map(|o| {
                            let mark = if o["default"].as_bool().unwrap_or(false) {
                                "*"
                            } else {
                                ""
                            };
                            format!("{mark}{}", s(&o["label"]))
                        })
                        .collect();
                    let ph = c["placeholder"].as_str().unwrap_or("Make a selection");
                    line.push(format!("[ {ph} ▾ ]  {{{}}}", opts.join(" | ")));
                }
                Some(5) => line.push(format!(
                    "[ {} ▾ users ]",
                    c["placeholder"].as_str().unwrap_or("Select users")
                )),
                Some(6) => line.push(format!(
                    "[ {} ▾ roles ]",
                    c["placeholder"].as_str().unwrap_or("Select roles")
                )),
                Some(7) => line.push(format!(
                    "[ {} ▾ users/roles ]",
                    c["placeholder"].as_str().unwrap_or("Select")
                )),
                Some(8) => line.push(format!(
                    "[ {} ▾ channels ]",
                    c["placeholder"].as_str().unwrap_or("Select channels")
                )),
                _ => {}
            }
        }
        if !line.is_empty() {
            out.push_str(&line.join(" "));
            out.push('\n');
        }
    }
    if !m.reactions.is_empty() {
        let r: Vec<String> = m
            .reactions
            .iter()
            .map(|r| format!("{} {}", r.emoji, r.users.len()))
            .collect();
        out.push_str(&r.join("  "));
        out.push('\n');
    }
    if m.edited_timestamp.is_some() && m.flags & 128 == 0 {
        out.push_str("(edited)\n");
    }
    out
}

fn emoji_text(e: &Value) -> String {
    match (e["name"].as_str(), e["id"].as_str()) {
        (Some(n), Some(_)) => format!(":{n}:"),
        (Some(n), None) => n.to_owned(),
        _ => String::new(),
    }
}

/// Render one embed as a box-ish block with a left bar.
pub fn embed_to_text(e: &Value) -> String {
    embed_at(e, Utc::now(), &Local)
}

/// Discord's timestamp markup (`<t:1700000000:R>` and the other styles) as a client shows it,
/// relative to now and in the local time zone.
pub fn markup(text: &str) -> String {
    markup_at(text, Utc::now(), &Local)
}

/// [`markup`] at a given instant and time zone (tests pass a fixed `now` and `Utc`).
pub fn markup_at<Tz: TimeZone>(text: &str, now: DateTime<Utc>, tz: &Tz) -> String
where
    Tz::Offset: std::fmt::Display,
{
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(i) = rest.find("<t:") {
        out.push_str(&rest[..i]);
        let tail = &rest[i + 3..];
        let Some(end) = tail.find('>') else {
            out.push_str(&rest[i..]);
            return out;
        };
        let (secs, style) = tail[..end].split_once(':').unwrap_or((&tail[..end], "f"));
        let when = secs
            .parse::<i64>()
            .ok()
            .and_then(|s| DateTime::<Utc>::from_timestamp(s, 0));
        match (when, style) {
            (Some(t), "t" | "T" | "d" | "D" | "f" | "F" | "R") => {
                out.push_str(&timestamp_text(t, style, now, tz));
            }
            _ => out.push_str(&rest[i..i + 3 + end + 1]),
        }
        rest = &tail[end + 1..];
    }
    out.push_str(rest);
    out
}

/// One `<t:…:style>` as the English (UK) Discord client shows it.
fn timestamp_text<Tz: TimeZone>(
    t: DateTime<Utc>,
    style: &str,
    now: DateTime<Utc>,
    tz: &Tz,
) -> String
where
    Tz::Offset: std::fmt::Display,
{
    let l = t.with_timezone(tz);
    match style {
        "t" => l.format("%H:%M").to_string(),
        "T" => l.format("%H:%M:%S").to_string(),
        "d" => l.format("%d/%m/%Y").to_string(),
        "D" => l.format("%-d %B %Y").to_string(),
        "F" => l.format("%A, %-d %B %Y %H:%M").to_string(),
        "R" => relative(t, now),
        _ => l.format("%-d %B %Y %H:%M").to_string(),
    }
}

/// `in 23 hours`, `5 minutes ago`, `in a few seconds` (whole units, rounded down).
fn relative(t: DateTime<Utc>, now: DateTime<Utc>) -> String {
    let secs = (t - now).num_seconds();
    let a = secs.unsigned_abs();
    let (n, unit) = match a {
        0..=44 => {
            return if secs >= 0 {
                "in a few seconds"
            } else {
                "a few seconds ago"
            }
            .into();
        }
        45..=3_599 => (a.max(60) / 60, "minute"),
        3_600..=86_399 => (a / 3_600, "hour"),
        86_400..=2_591_999 => (a / 86_400, "day"),
        2_592_000..=31_535_999 => (a / 2_592_000, "month"),
        _ => (a / 31_536_000, "year"),
    };
    let plural = if n == 1 { "" } else { "s" };
    if secs >= 0 {
        format!("in {n} {unit}{plural}")
    } else {
        format!("{n} {unit}{plural} ago")
    }
}

/// An embed's `timestamp` as a client shows it: `Today at 16:20`, `Yesterday at 09:05`, or
/// `20/04/2021 16:20` (local time, no seconds).
fn embed_time<Tz: TimeZone>(raw: &str, now: DateTime<Utc>, tz: &Tz) -> String
where
    Tz::Offset: std::fmt::Display,
{
    let Ok(t) = DateTime::parse_from_rfc3339(raw) else {
        return raw.to_owned();
    };
    let l = t.with_timezone(tz);
    let today = now.with_timezone(tz).date_naive();
    let hm = l.format("%H:%M");
    if l.date_naive() == today {
        format!("Today at {hm}")
    } else if today.pred_opt() == Some(l.date_naive()) {
        format!("Yesterday at {hm}")
    } else {
        l.format("%d/%m/%Y %H:%M").to_string()
    }
}

/// [`embed_to_text`] at a given instant and time zone.
pub fn embed_at<Tz: TimeZone>(e: &Value, now: DateTime<Utc>, tz: &Tz) -> String
where
    Tz::Offset: std::fmt::Display,
{
    let markup = |t: &str| markup_at(t, now, tz);
    let mut lines: Vec<String> = Vec::new();
    if let Some(a) = e["author"]["name"].as_str() {
        lines.push(markup(a));
    }
    if let Some(t) = e["title"].as_str().map(markup) {
        match e["url"].as_str() {
            Some(u) => lines.push(format!("**{t}** <{u}>")),
            None => lines.push(format!("**{t}**")),
        }
    }
    if let Some(d) = e["description"].as_str().map(markup) {
        lines.extend(d.lines().map(str::to_owned));
    }
    for f in e["fields"].as_array().into_iter().flatten() {
        let inline = if f["inline"].as_bool().unwrap_or(false) {
            " (inline)"
        } else {
            ""
        };
        lines.push(format!("{}{inline}", markup(s(&f["name"]))));
        lines.extend(markup(s(&f["value"])).lines().map(|l| format!("  {l}")));
    }
    if let Some(u) = e["image"]["url"].as_str() {
        lines.push(format!("[image] {u}"));
    }
    if let Some(u) = e["thumbnail"]["url"].as_str() {
        lines.push(format!("[thumbnail] {u}"));
    }
    let mut footer = Vec::new();
    if let Some(f) = e["footer"]["text"].as_str() {
        footer.push(markup(f));
    }
    if let Some(t) = e["timestamp"].as_str() {
        footer.push(embed_time(t, now, tz));
    }
    if !footer.is_empty() {
        lines.push(footer.join(" • "));
    }
    let mut out = String::new();
    for l in lines {
        out.push_str("│ ");
        out.push_str(&l);
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn renders_content_embeds_buttons_and_selects() {
        let m = Message {
            id: 1,
            channel_id: 2,
            guild_id: None,
            author_id: 3,
            content: "Hello".into(),
            embeds: vec![json!({
                "title": "Stats", "description": "line one\nline two",
                "fields": [{"name": "Level", "value": "7", "inline": true}],
                "footer": {"text": "chronix"}
            })],
            components: vec![
                json!({"type": 1, "components": [
                    {"type": 2, "style": 1, "label": "Yes", "custom_id": "y"},
                    {"type": 2, "style": 4, "label": "No", "custom_id": "n", "disabled": true}
                ]}),
                json!({"type": 1, "components": [{"type": 3, "custom_id": "s", "placeholder": "Pick",
                    "options": [{"label": "A", "value": "a"}, {"label": "B", "value": "b"}]}]}),
            ],
            attachments: vec![],
            reactions: vec![crate::state::Reaction {
                emoji: "👍".into(),
                users: vec![5, 6],
            }],
            timestamp: chrono::Utc::now(),
            edited_timestamp: None,
            flags: 64,
            kind: 0,
            tts: false,
            pinned: false,
            reference: None,
            interaction: None,
            webhook_id: None,
            visible_to: Some(5),
            mentions: vec![],
            mention_roles: vec![],
            mention_everyone: false,
        };
        let text = message_to_text(&m);
        let expected = "(only you can see this)\nHello\n│ **Stats**\n│ line one\n│ line two\n│ Level (inline)\n│   7\n│ chronix\n[ Yes ] ([ No ] disabled)\n[ Pick ▾ ]  {A | B}\n👍 2\n";
        assert_eq!(text, expected);
    }

    #[test]
    fn renders_timestamps_as_a_client() {
        let now = DateTime::<Utc>::from_timestamp(1_700_000_000, 0).unwrap(); // 2023-11-14 22:13:20
        let at = |text: &str| markup_at(text, now, &Utc);
        assert_eq!(at("next <t:1700082800:R>."), "next in 23 hours.");
        assert_eq!(at("<t:1699999700:R>"), "5 minutes ago");
        assert_eq!(at("<t:1700000010:R>"), "in a few seconds");
        assert_eq!(
            at("<t:1700000060:R> <t:1700086400:R>"),
            "in 1 minute in 1 day"
        );
        assert_eq!(at("<t:1700000000:t>"), "22:13");
        assert_eq!(at("<t:1700000000:T>"), "22:13:20");
        assert_eq!(at("<t:1700000000:d>"), "14/11/2023");
        assert_eq!(at("<t:1700000000:D>"), "14 November 2023");
        assert_eq!(at("<t:1700000000:f>"), "14 November 2023 22:13");
        assert_eq!(at("<t:1700000000>"), "14 November 2023 22:13");
        assert_eq!(at("<t:1700000000:F>"), "Tuesday, 14 November 2023 22:13");
        // Not markup: left as typed.
        assert_eq!(at("<t:abc:R> <t:1:Q> <t:5"), "<t:abc:R> <t:1:Q> <t:5");
        let e = json!({"description": "ends <t:1700003600:R>", "footer": {"text": "f"},
            "timestamp": "2023-11-14T22:00:00.123456789+00:00"});
        assert_eq!(
            embed_at(&e, now, &Utc),
            "│ ends in 1 hour\n│ f • Today at 22:00\n"
        );
        let e = json!({"timestamp": "2023-11-13T08:05:00Z"});
        assert_eq!(embed_at(&e, now, &Utc), "│ Yesterday at 08:05\n");
        let e = json!({"timestamp": "2023-11-01T08:05:00Z"});
        assert_eq!(embed_at(&e, now, &Utc), "│ 01/11/2023 08:05\n");
    }
}
