//! Tickets (spec §25, §XI): the panel configuration record and its ONE validation
//! ([`PanelConfig::validate`], used by the setup wizard, the bot and later the dashboard), the
//! ticket channel's name, and transcripts ([`Transcript`]: a self-contained HTML file and a plain
//! text one, fitted to Discord's upload size by [`Transcript::files`]).
//!
//! Pure: no clock (times are passed in), no I/O.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::ids::{ChannelId, RoleId, UserId};

/// Most topics on one panel (Discord's limit of options in a select menu).
pub const MAX_TOPICS: usize = 25;
/// Up to this many topics the panel has one button each (a row holds 5 buttons); more are
/// offered in a select menu.
pub const MAX_TOPIC_BUTTONS: usize = 5;
/// Most staff roles or ping roles on one panel.
pub const MAX_ROLES: usize = 10;
/// Longest panel title (Discord's embed title limit).
pub const MAX_TITLE: usize = 256;
/// Longest panel message (kept well under Discord's 4,096 for the embed description).
pub const MAX_DESCRIPTION: usize = 2_000;
/// Longest topic label (Discord's button label limit).
pub const MAX_TOPIC: usize = 80;
/// Highest per-user limit of open tickets.
pub const MAX_OPEN_LIMIT: u32 = 10;

/// A ticket panel's configuration: a plain record stored as JSON in `ticket_panels.config`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PanelConfig {
    /// The panel message's title.
    pub title: String,
    /// The panel message's text (the "initial message").
    pub description: String,
    /// The category ticket channels are created in (none: at the top of the server).
    #[serde(default)]
    pub category: Option<ChannelId>,
    /// Where transcripts are posted (none: only the opener's DM).
    #[serde(default)]
    pub log_channel: Option<ChannelId>,
    /// Roles that see and handle the tickets (at least one).
    pub staff_roles: Vec<RoleId>,
    /// Roles pinged when a ticket opens.
    #[serde(default)]
    pub ping_roles: Vec<RoleId>,
    /// Topics, one button each (none: one "Open a ticket" button).
    #[serde(default)]
    pub topics: Vec<String>,
    /// How many open tickets one member may have from this panel.
    pub max_open: u32,
    /// Open tickets as private threads of the panel's channel instead of private channels
    /// (`category` is then unused).
    #[serde(default)]
    pub threads: bool,
}

/// Why a panel configuration is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PanelError {
    /// No staff role.
    #[error("a panel needs at least one staff role")]
    NoStaffRole,
    /// Too many staff or ping roles.
    #[error("at most {max} roles")]
    TooManyRoles {
        /// The limit.
        max: usize,
    },
    /// The title is empty.
    #[error("the title is empty")]
    EmptyTitle,
    /// The title is too long.
    #[error("the title is longer than {max} characters")]
    TitleTooLong {
        /// The limit.
        max: usize,
    },
    /// The message is too long.
    #[error("the message is longer than {max} characters")]
    DescriptionTooLong {
        /// The limit.
        max: usize,
    },
    /// Too many topics.
    #[error("at most {max} topics")]
    TooManyTopics {
        /// The limit.
        max: usize,
    },
    /// A topic is too long.
    #[error("a topic is longer than {max} characters")]
    TopicTooLong {
        /// The limit.
        max: usize,
    },
    /// A topic is listed twice.
    #[error("the topic {0:?} is listed twice")]
    DuplicateTopic(String),
    /// The per-user limit is out of range.
    #[error("the per-member limit must be between 1 and {max}")]
    OpenLimit {
        /// The limit.
        max: u32,
    },
}

impl PanelConfig {
    /// Whether the panel offers its topics in a select menu (more than
    /// [`MAX_TOPIC_BUTTONS`]) rather than one button each.
    pub fn topic_select(&self) -> bool {
        self.topics.len() > MAX_TOPIC_BUTTONS
    }

    /// The one validation of a panel configuration (wizard, bot, dashboard).
    pub fn validate(&self) -> Result<(), PanelError> {
        if self.staff_roles.is_empty() {
            return Err(PanelError::NoStaffRole);
        }
        if self.staff_roles.len() > MAX_ROLES || self.ping_roles.len() > MAX_ROLES {
            return Err(PanelError::TooManyRoles { max: MAX_ROLES });
        }
        if self.title.trim().is_empty() {
            return Err(PanelError::EmptyTitle);
        }
        if self.title.chars().count() > MAX_TITLE {
            return Err(PanelError::TitleTooLong { max: MAX_TITLE });
        }
        if self.description.chars().count() > MAX_DESCRIPTION {
            return Err(PanelError::DescriptionTooLong {
                max: MAX_DESCRIPTION,
            });
        }
        check_topics(&self.topics)?;
        if self.max_open == 0 || self.max_open > MAX_OPEN_LIMIT {
            return Err(PanelError::OpenLimit {
                max: MAX_OPEN_LIMIT,
            });
        }
        Ok(())
    }
}

/// Checks a topic list (count, length, duplicates ignoring case).
pub fn check_topics(topics: &[String]) -> Result<(), PanelError> {
    if topics.len() > MAX_TOPICS {
        return Err(PanelError::TooManyTopics { max: MAX_TOPICS });
    }
    let mut seen: Vec<String> = Vec::new();
    for t in topics {
        if t.chars().count() > MAX_TOPIC {
            return Err(PanelError::TopicTooLong { max: MAX_TOPIC });
        }
        let k = t.to_lowercase();
        if seen.contains(&k) {
            return Err(PanelError::DuplicateTopic(t.clone()));
        }
        seen.push(k);
    }
    Ok(())
}

/// Topics typed one per line: trimmed, empty lines dropped.
pub fn parse_topics(text: &str) -> Vec<String> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(str::to_string)
        .collect()
}

/// A ticket channel's name: `ticket-0042`, or `ticket-0042-billing` with a topic (lower case,
/// letters, digits and dashes; at most 100 characters, Discord's limit).
pub fn channel_name(number: i64, topic: Option<&str>) -> String {
    let mut name = format!("ticket-{number:04}");
    if let Some(t) = topic {
        let slug = slug(t);
        if !slug.is_empty() {
            name.push('-');
            name.push_str(&slug);
        }
    }
    name.chars().take(100).collect()
}

/// A name as Discord shows text channels: lower case, spaces and symbols as single dashes.
pub fn slug(s: &str) -> String {
    let mut out = String::new();
    for c in s.chars().flat_map(char::to_lowercase) {
        if c.is_alphanumeric() {
            out.push(c);
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    out.trim_end_matches('-').chars().take(90).collect()
}

/// An embed of a transcribed message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TranscriptEmbed {
    /// Its title.
    pub title: String,
    /// Its description.
    pub description: String,
}

/// An attachment of a transcribed message (listed, not copied).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TranscriptAttachment {
    /// File name.
    pub filename: String,
    /// Where Discord keeps it.
    pub url: String,
    /// Size in bytes.
    pub size: u64,
}

/// One message of a ticket channel.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TranscriptMessage {
    /// The author's name.
    pub author: String,
    /// The author's id.
    pub author_id: UserId,
    /// Whether the author is a bot.
    pub bot: bool,
    /// When it was sent.
    pub at: DateTime<Utc>,
    /// Its text.
    pub content: String,
    /// Its embeds.
    pub embeds: Vec<TranscriptEmbed>,
    /// Its attachments.
    pub attachments: Vec<TranscriptAttachment>,
}

/// A closed ticket's transcript.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Transcript {
    /// The server's name.
    pub guild: String,
    /// The ticket's number in the server.
    pub number: i64,
    /// The ticket's channel name.
    pub channel: String,
    /// Who opened it.
    pub opener: String,
    /// Its topic.
    pub topic: Option<String>,
    /// When it opened.
    pub opened_at: DateTime<Utc>,
    /// When it closed.
    pub closed_at: DateTime<Utc>,
    /// Who closed it.
    pub closed_by: String,
    /// Why.
    pub reason: Option<String>,
    /// Its messages, oldest first.
    pub messages: Vec<TranscriptMessage>,
}

/// A file to upload: `(file name, bytes)`.
pub type File = (String, Vec<u8>);

/// Escapes text for HTML (element content and attribute values).
pub fn escape_html(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

fn ts(t: DateTime<Utc>) -> String {
    t.format("%Y-%m-%d %H:%M:%S UTC").to_string()
}

const STYLE: &str = "body{font-family:system-ui,sans-serif;background:#313338;color:#dbdee1;\
margin:0;padding:16px}header{border-bottom:1px solid #4e5058;margin-bottom:12px}\
.m{padding:6px 0;border-bottom:1px solid #2b2d31}.a{font-weight:600;color:#f2f3f5}\
.b{background:#5865f2;color:#fff;border-radius:3px;font-size:10px;padding:1px 4px;margin-left:4px}\
.t{color:#949ba4;font-size:12px;margin-left:8px}.c{white-space:pre-wrap;margin-top:2px}\
.e{border-left:4px solid #5865f2;background:#2b2d31;padding:6px 10px;margin-top:4px;\
white-space:pre-wrap}.f{color:#00a8fc}.o{color:#949ba4;font-style:italic}";

impl Transcript {
    fn title(&self) -> String {
        format!("Ticket #{:04} · {}", self.number, self.guild)
    }

    /// The file names: `transcript-0042.html` and `transcript-0042.txt` (parts: `-2`, `-3`…).
    pub fn file_stem(&self) -> String {
        format!("transcript-{:04}", self.number)
    }

    fn header_lines(&self) -> Vec<(&'static str, String)> {
        let mut v = vec![
            ("Channel", format!("#{}", self.channel)),
            ("Opened by", self.opener.clone()),
            ("Opened", ts(self.opened_at)),
            ("Closed by", self.closed_by.clone()),
            ("Closed", ts(self.closed_at)),
        ];
        if let Some(t) = &self.topic {
            v.insert(1, ("Topic", t.clone()));
        }
        v.push(("Reason", self.reason.clone().unwrap_or_else(|| "—".into())));
        v.push(("Messages", self.messages.len().to_string()));
        v
    }

    fn html_message(m: &TranscriptMessage) -> String {
        let mut s = format!(
            "<div class=\"m\"><span class=\"a\" title=\"{}\">{}</span>{}<span class=\"t\">{}</span>",
            m.author_id,
            escape_html(&m.author),
            if m.bot {
                "<span class=\"b\">BOT</span>"
            } else {
                ""
            },
            ts(m.at)
        );
        if !m.content.is_empty() {
            s.push_str(&format!(
                "<div class=\"c\">{}</div>",
                escape_html(&m.content)
            ));
        }
        for e in &m.embeds {
            s.push_str(&format!(
                "<div class=\"e\"><b>{}</b>\n{}</div>",
                escape_html(&e.title),
                escape_html(&e.description)
            ));
        }
        for a in &m.attachments {
            s.push_str(&format!(
                "<div class=\"f\">📎 <a href=\"{}\">{}</a> ({} bytes)</div>",
                escape_html(&a.url),
                escape_html(&a.filename),
                a.size
            ));
        }
        s.push_str("</div>\n");
        s
    }

    /// The self-contained HTML transcript (inline style, no script, no external resource
    /// but the attachments' links), of the messages from `skip` on (a note says how many
    /// earlier ones were left out).
    pub fn html_from(&self, skip: usize) -> String {
        let mut s =
            String::from("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">");
        s.push_str(&format!(
            "<title>{}</title><style>{STYLE}</style></head><body>\n<header><h1>{}</h1>",
            escape_html(&self.title()),
            escape_html(&self.title())
        ));
        for (k, v) in self.header_lines() {
            s.push_str(&format!("<div><b>{k}:</b> {}</div>", escape_html(&v)));
        }
        s.push_str("</header>\n");
        if skip > 0 {
            s.push_str(&format!(
                "<p class=\"o\">{skip} earlier messages are left out of this file (upload size); \
                 the text transcript lists them.</p>\n"
            ));
        }
        for m in self.messages.iter().skip(skip) {
            s.push_str(&Self::html_message(m));
        }
        s.push_str("</body></html>\n");
        s
    }

    /// The whole HTML transcript.
    pub fn html(&self) -> String {
        self.html_from(0)
    }

    fn text_message(m: &TranscriptMessage) -> String {
        let mut s = format!(
            "[{}] {}{} ({}):",
            ts(m.at),
            m.author,
            if m.bot { " [BOT]" } else { "" },
            m.author_id
        );
        if !m.content.is_empty() {
            s.push(' ');
            s.push_str(&m.content);
        }
        s.push('\n');
        for e in &m.embeds {
            s.push_str(&format!("    [embed] {}: {}\n", e.title, e.description));
        }
        for a in &m.attachments {
            s.push_str(&format!(
                "    [attachment] {} ({} bytes) {}\n",
                a.filename, a.size, a.url
            ));
        }
        s
    }

    /// The plain-text transcript.
    pub fn text(&self) -> String {
        let mut s = format!("{}\n", self.title());
        for (k, v) in self.header_lines() {
            s.push_str(&format!("{k}: {v}\n"));
        }
        s.push('\n');
        for m in &self.messages {
            s.push_str(&Self::text_message(m));
        }
        s
    }

    /// The files to upload within `budget` bytes in all (Discord refuses larger uploads):
    ///
    /// * the HTML file gets half the budget; when the whole transcript is larger, it keeps
    ///   the latest messages that fit and says how many earlier ones it left out;
    /// * the text file gets the other half, split at line ends into parts of at most a quarter
    ///   of the budget each (`transcript-0042.txt`, `transcript-0042-2.txt`); text beyond
    ///   its half is cut with a final note.
    pub fn files(&self, budget: usize) -> Vec<File> {
        let stem = self.file_stem();
        let half = budget / 2;
        let mut html = self.html();
        let mut skip = 0;
        while html.len() > half && skip < self.messages.len() {
            // Drop about as many messages as needed, at least one per round.
            let over = html.len() - half;
            let avg = (html.len() / (self.messages.len() - skip + 1)).max(1);
            skip = (skip + over.div_ceil(avg).max(1)).min(self.messages.len());
            html = self.html_from(skip);
        }
        let mut out = Vec::new();
        if html.len() <= half {
            out.push((format!("{stem}.html"), html.into_bytes()));
        }
        let part = (budget / 4).max(1);
        let text = self.text();
        let note = "\n[… transcript cut: too large to upload]\n";
        let mut kept = 0;
        let mut parts: Vec<String> = vec![String::new()];
        for line in text.split_inclusive('\n') {
            if kept + line.len() + note.len() > half {
                let last = parts.last_mut().expect("one part");
                if last.len() + note.len() > part {
                    parts.push(note.to_string());
                } else {
                    last.push_str(note);
                }
                break;
            }
            let mut l = line;
            while !l.is_empty() {
                let cur = parts.last().map_or(0, String::len);
                let room = part.saturating_sub(cur);
                // A line goes whole into the next part when it fits there.
                if room == 0 || (cur > 0 && l.len() > room && l.len() <= part) {
                    parts.push(String::new());
                    continue;
                }
                let mut take = l.len().min(room);
                while !l.is_char_boundary(take) {
                    take -= 1;
                }
                if take == 0 {
                    // Less room than one character: at least one character per part.
                    take = l.char_indices().nth(1).map_or(l.len(), |(i, _)| i);
                }
                parts.last_mut().expect("one part").push_str(&l[..take]);
                l = &l[take..];
            }
            kept += line.len();
        }
        for (i, p) in parts.into_iter().filter(|p| !p.is_empty()).enumerate() {
            let name = if i == 0 {
                format!("{stem}.txt")
            } else {
                format!("{stem}-{}.txt", i + 1)
            };
            out.push((name, p.into_bytes()));
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn config() -> PanelConfig {
        PanelConfig {
            title: "Support".into(),
            description: "Open a ticket".into(),
            category: Some(ChannelId::new(5)),
            log_channel: None,
            staff_roles: vec![RoleId::new(9)],
            ping_roles: vec![],
            topics: vec!["Billing".into(), "Bug".into()],
            max_open: 1,
            threads: false,
        }
    }

    #[test]
    fn a_valid_panel_passes_and_each_rule_refuses() {
        assert_eq!(config().validate(), Ok(()));
        let mut c = config();
        c.staff_roles.clear();
        assert_eq!(c.validate(), Err(PanelError::NoStaffRole));
        let mut c = config();
        c.title = "  ".into();
        assert_eq!(c.validate(), Err(PanelError::EmptyTitle));
        let mut c = config();
        c.title = "x".repeat(257);
        assert_eq!(c.validate(), Err(PanelError::TitleTooLong { max: 256 }));
        let mut c = config();
        c.description = "x".repeat(2001);
        assert_eq!(
            c.validate(),
            Err(PanelError::DescriptionTooLong { max: 2000 })
        );
        let mut c = config();
        c.topics = (0..26).map(|i| format!("t{i}")).collect();
        assert_eq!(c.validate(), Err(PanelError::TooManyTopics { max: 25 }));
        c.topics.pop();
        assert_eq!(c.validate(), Ok(()));
        assert!(c.topic_select(), "more than 5 topics: a select menu");
        c.topics.truncate(5);
        assert!(!c.topic_select(), "up to 5: buttons");
        let mut c = config();
        c.topics = vec!["Bug".into(), "bug".into()];
        assert_eq!(c.validate(), Err(PanelError::DuplicateTopic("bug".into())));
        let mut c = config();
        c.topics = vec!["x".repeat(81)];
        assert_eq!(c.validate(), Err(PanelError::TopicTooLong { max: 80 }));
        let mut c = config();
        c.max_open = 0;
        assert_eq!(c.validate(), Err(PanelError::OpenLimit { max: 10 }));
        let mut c = config();
        c.ping_roles = (0..11).map(RoleId::new).collect();
        assert_eq!(c.validate(), Err(PanelError::TooManyRoles { max: 10 }));
    }

    #[test]
    fn the_config_is_a_plain_json_record() {
        let json = serde_json::to_value(config()).unwrap();
        assert_eq!(json["staff_roles"], serde_json::json!([9]));
        assert_eq!(json["category"], 5);
        assert_eq!(json["threads"], false);
        let back: PanelConfig = serde_json::from_value(json.clone()).unwrap();
        let mut old = json;
        old.as_object_mut().unwrap().remove("threads");
        let older: PanelConfig = serde_json::from_value(old).unwrap();
        assert!(
            !older.threads,
            "records stored before the option read as channels"
        );
        assert_eq!(back, config());
    }

    #[test]
    fn topics_and_channel_names() {
        assert_eq!(
            parse_topics(" Billing \n\n Bug report\n"),
            ["Billing", "Bug report"]
        );
        assert_eq!(channel_name(42, None), "ticket-0042");
        assert_eq!(
            channel_name(7, Some("Bug report!")),
            "ticket-0007-bug-report"
        );
        assert_eq!(channel_name(12345, Some("  ")), "ticket-12345");
        assert!(channel_name(1, Some(&"a".repeat(300))).chars().count() <= 100);
    }

    fn transcript(n: usize) -> Transcript {
        let t = Utc.with_ymd_and_hms(2026, 12, 1, 10, 0, 0).unwrap();
        Transcript {
            guild: "Test <Guild>".into(),
            number: 3,
            channel: "ticket-0003".into(),
            opener: "alice".into(),
            topic: Some("Billing".into()),
            opened_at: t,
            closed_at: t + chrono::Duration::minutes(5),
            closed_by: "staff".into(),
            reason: Some("solved".into()),
            messages: (0..n)
                .map(|i| TranscriptMessage {
                    author: if i == 0 {
                        "Chronix".into()
                    } else {
                        "alice".into()
                    },
                    author_id: UserId::new(100 + i as u64),
                    bot: i == 0,
                    at: t + chrono::Duration::seconds(i as i64),
                    content: format!("message {i} <script>alert(1)</script>"),
                    embeds: if i == 0 {
                        vec![TranscriptEmbed {
                            title: "Ticket #0003".into(),
                            description: "Welcome".into(),
                        }]
                    } else {
                        vec![]
                    },
                    attachments: if i == 1 {
                        vec![TranscriptAttachment {
                            filename: "log.txt".into(),
                            url: "http://x/log.txt".into(),
                            size: 12,
                        }]
                    } else {
                        vec![]
                    },
                })
                .collect(),
        }
    }

    #[test]
    fn html_is_self_contained_and_escaped() {
        let h = transcript(3).html();
        assert!(h.starts_with("<!DOCTYPE html>"));
        assert!(h.contains("<style>"));
        assert!(!h.contains("<script"), "user text is escaped");
        assert!(h.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
        assert!(h.contains("Test &lt;Guild&gt;"));
        assert!(h.contains("<b>Ticket #0003</b>\nWelcome"));
        assert!(h.contains("<a href=\"http://x/log.txt\">log.txt</a> (12 bytes)"));
        assert!(h.contains("<b>Reason:</b> solved"));
        assert!(h.contains("2026-12-01 10:00:02 UTC"));
        assert!(!h.contains("src="), "no external resource");
    }

    #[test]
    fn text_lists_authors_times_embeds_and_attachments() {
        let t = transcript(2).text();
        assert!(t.starts_with("Ticket #0003 · Test <Guild>\n"));
        assert!(t.contains("Topic: Billing\n"));
        assert!(t.contains(
            "[2026-12-01 10:00:00 UTC] Chronix [BOT] (100): message 0 <script>alert(1)</script>\n    [embed] Ticket #0003: Welcome\n"
        ));
        assert!(t.contains("    [attachment] log.txt (12 bytes) http://x/log.txt\n"));
    }

    #[test]
    fn files_fit_the_budget() {
        let small = transcript(3);
        let f = small.files(1 << 20);
        let names: Vec<&str> = f.iter().map(|x| x.0.as_str()).collect();
        assert_eq!(names, ["transcript-0003.html", "transcript-0003.txt"]);
        assert_eq!(f[0].1, small.html().into_bytes());
        assert_eq!(f[1].1, small.text().into_bytes());

        let big = transcript(400);
        let budget = 40_000;
        let f = big.files(budget);
        let total: usize = f.iter().map(|x| x.1.len()).sum();
        assert!(total <= budget, "{total} > {budget}");
        let html = String::from_utf8(f[0].1.clone()).unwrap();
        assert!(f[0].0.ends_with(".html") && html.len() <= budget / 2);
        assert!(html.contains("earlier messages are left out"));
        assert!(
            html.contains("message 399 "),
            "the latest messages are kept"
        );
        let parts: Vec<&File> = f.iter().filter(|x| x.0.ends_with(".txt")).collect();
        assert!(parts.len() >= 2, "the text is split in parts");
        assert_eq!(parts[1].0, "transcript-0003-2.txt");
        assert!(parts.iter().all(|p| p.1.len() <= budget / 4));
        let text: String = parts
            .iter()
            .map(|p| String::from_utf8(p.1.clone()).unwrap())
            .collect();
        assert!(text.starts_with("Ticket #0003"));
        assert!(text.ends_with("[… transcript cut: too large to upload]\n"));
    }
}
