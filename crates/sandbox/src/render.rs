//! Render messages legibly in a terminal (used by the playground and in test failure output).

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
        out.push_str(&m.content);
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
    let mut lines: Vec<String> = Vec::new();
    if let Some(a) = e["author"]["name"].as_str() {
        lines.push(a.to_owned());
    }
    if let Some(t) = e["title"].as_str() {
        match e["url"].as_str() {
            Some(u) => lines.push(format!("**{t}** <{u}>")),
            None => lines.push(format!("**{t}**")),
        }
    }
    if let Some(d) = e["description"].as_str() {
        lines.extend(d.lines().map(str::to_owned));
    }
    for f in e["fields"].as_array().into_iter().flatten() {
        let inline = if f["inline"].as_bool().unwrap_or(false) {
            " (inline)"
        } else {
            ""
        };
        lines.push(format!("{}{inline}", s(&f["name"])));
        lines.extend(s(&f["value"]).lines().map(|l| format!("  {l}")));
    }
    if let Some(u) = e["image"]["url"].as_str() {
        lines.push(format!("[image] {u}"));
    }
    if let Some(u) = e["thumbnail"]["url"].as_str() {
        lines.push(format!("[thumbnail] {u}"));
    }
    let mut footer = Vec::new();
    if let Some(f) = e["footer"]["text"].as_str() {
        footer.push(f.to_owned());
    }
    if let Some(t) = e["timestamp"].as_str() {
        footer.push(t.to_owned());
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
}
