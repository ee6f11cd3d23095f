//! Embed builders used by every feature: one look (themes, colours, footer, timestamp) and
//! Discord's limits enforced in one place, so no feature can send an embed Discord rejects.
//!
//! ```ignore
//! let e = Embed::success("Prefix updated").description(format!("Now `{p}`"));
//! ctx.send(embeds::reply(e)).await?;
//! ```

use poise::serenity_prelude as serenity;

/// Discord's embed limits (characters, not bytes).
pub mod limits {
    /// Title.
    pub const TITLE: usize = 256;
    /// Description.
    pub const DESCRIPTION: usize = 4096;
    /// Number of fields.
    pub const FIELDS: usize = 25;
    /// Field name.
    pub const FIELD_NAME: usize = 256;
    /// Field value.
    pub const FIELD_VALUE: usize = 1024;
    /// Footer text.
    pub const FOOTER: usize = 2048;
    /// Author name.
    pub const AUTHOR: usize = 256;
    /// All text of one embed together.
    pub const TOTAL: usize = 6000;
}

/// Footer text when a feature sets none.
pub const DEFAULT_FOOTER: &str = "Chronix";

/// The look of an embed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Theme {
    /// ✅ green.
    Success,
    /// ❌ red.
    Error,
    /// ℹ️ blue.
    Info,
    /// ⚠️ amber.
    Warning,
    /// 💠 teal, for gameplay (chrons, loot, battles).
    Gameplay,
}

impl Theme {
    /// The emoji put before the title.
    pub fn emoji(self) -> &'static str {
        match self {
            Theme::Success => "✅",
            Theme::Error => "❌",
            Theme::Info => "ℹ️",
            Theme::Warning => "⚠️",
            Theme::Gameplay => "💠",
        }
    }

    /// The side colour (RGB).
    pub fn colour(self) -> u32 {
        match self {
            Theme::Success => 0x2ECC71,
            Theme::Error => 0xE74C3C,
            Theme::Info => 0x3498DB,
            Theme::Warning => 0xF1C40F,
            Theme::Gameplay => 0x1ABC9C,
        }
    }
}

/// Cut `s` to at most `max` characters, ending with `…` when something was cut.
pub fn truncate(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        return s.to_string();
    }
    if max == 0 {
        return String::new();
    }
    let mut out: String = s.chars().take(max - 1).collect();
    out.push('…');
    out
}

/// A field of an [`Embed`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Field {
    /// Name (bold line).
    pub name: String,
    /// Value.
    pub value: String,
    /// Shown side by side with its neighbours.
    pub inline: bool,
}

/// A Chronix embed: build it, then turn it into a [`serenity::CreateEmbed`] (limits applied).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Embed {
    /// Theme (emoji and colour).
    pub theme: Theme,
    /// Title without the theme emoji.
    pub title: String,
    /// Description.
    pub description: Option<String>,
    /// Fields, in order.
    pub fields: Vec<Field>,
    /// Footer text.
    pub footer: String,
    /// Whether to stamp the current time.
    pub timestamp: bool,
    /// A side colour instead of the theme's (e.g. a loot rarity's).
    pub colour: Option<u32>,
}

impl Embed {
    /// A new embed of a theme.
    pub fn new(theme: Theme, title: impl Into<String>) -> Self {
        Self {
            theme,
            title: title.into(),
            description: None,
            fields: Vec::new(),
            footer: DEFAULT_FOOTER.into(),
            timestamp: true,
            colour: None,
        }
    }
    /// ✅ Success.
    pub fn success(title: impl Into<String>) -> Self {
        Self::new(Theme::Success, title)
    }
    /// ❌ Error.
    pub fn error(title: impl Into<String>) -> Self {
        Self::new(Theme::Error, title)
    }
    /// ℹ️ Info.
    pub fn info(title: impl Into<String>) -> Self {
        Self::new(Theme::Info, title)
    }
    /// ⚠️ Warning.
    pub fn warning(title: impl Into<String>) -> Self {
        Self::new(Theme::Warning, title)
    }
    /// 💠 Gameplay.
    pub fn gameplay(title: impl Into<String>) -> Self {
        Self::new(Theme::Gameplay, title)
    }
    /// Set the description.
    pub fn description(mut self, text: impl Into<String>) -> Self {
        self.description = Some(text.into());
        self
    }
    /// Add a field.
    pub fn field(
        mut self,
        name: impl Into<String>,
        value: impl Into<String>,
        inline: bool,
    ) -> Self {
        self.fields.push(Field {
            name: name.into(),
            value: value.into(),
            inline,
        });
        self
    }
    /// Replace the footer.
    pub fn footer(mut self, text: impl Into<String>) -> Self {
        self.footer = text.into();
        self
    }
    /// Use this side colour (RGB) instead of the theme's.
    pub fn colour(mut self, rgb: u32) -> Self {
        self.colour = Some(rgb);
        self
    }
    /// Leave out the timestamp.
    pub fn without_timestamp(mut self) -> Self {
        self.timestamp = false;
        self
    }

    /// The full title as sent (emoji + title), limited.
    pub fn full_title(&self) -> String {
        truncate(
            &format!("{} {}", self.theme.emoji(), self.title),
            limits::TITLE,
        )
    }

    /// The embed with every limit applied: each part cut to its own limit, at most 25 fields,
    /// and the description (then the last fields) shortened until the total fits 6000.
    pub fn clamped(&self) -> Clamped {
        let title = self.full_title();
        let mut description = self
            .description
            .as_deref()
            .map(|d| truncate(d, limits::DESCRIPTION));
        let mut fields: Vec<Field> = self
            .fields
            .iter()
            .take(limits::FIELDS)
            .map(|f| Field {
                name: truncate(
                    if f.name.is_empty() {
                        "\u{200b}"
                    } else {
                        &f.name
                    },
                    limits::FIELD_NAME,
                ),
                value: truncate(
                    if f.value.is_empty() {
                        "\u{200b}"
                    } else {
                        &f.value
                    },
                    limits::FIELD_VALUE,
                ),
                inline: f.inline,
            })
            .collect();
        let footer = truncate(&self.footer, limits::FOOTER);
        let len = |d: &Option<String>, fields: &[Field]| {
            title.chars().count()
                + footer.chars().count()
                + d.as_deref().map_or(0, |d| d.chars().count())
                + fields
                    .iter()
                    .map(|f| f.name.chars().count() + f.value.chars().count())
                    .sum::<usize>()
        };
        let mut total = len(&description, &fields);
        if total > limits::TOTAL {
            if let Some(d) = &description {
                let over = total - limits::TOTAL;
                let keep = d.chars().count().saturating_sub(over);
                description = Some(truncate(d, keep.max(1)));
            }
            total = len(&description, &fields);
            while total > limits::TOTAL && !fields.is_empty() {
                fields.pop();
                total = len(&description, &fields);
            }
        }
        Clamped {
            title,
            description,
            fields,
            footer,
            colour: self.colour.unwrap_or(self.theme.colour()),
            timestamp: self.timestamp,
        }
    }
}

/// An [`Embed`] after limits were applied (what goes on the wire).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Clamped {
    /// Title with emoji.
    pub title: String,
    /// Description.
    pub description: Option<String>,
    /// Fields.
    pub fields: Vec<Field>,
    /// Footer.
    pub footer: String,
    /// Colour.
    pub colour: u32,
    /// Timestamp on.
    pub timestamp: bool,
}

impl Clamped {
    /// Characters counted against the 6000 total.
    pub fn total_len(&self) -> usize {
        self.title.chars().count()
            + self.footer.chars().count()
            + self.description.as_deref().map_or(0, |d| d.chars().count())
            + self
                .fields
                .iter()
                .map(|f| f.name.chars().count() + f.value.chars().count())
                .sum::<usize>()
    }
}

impl From<Embed> for serenity::CreateEmbed {
    fn from(e: Embed) -> Self {
        let c = e.clamped();
        let mut out = serenity::CreateEmbed::new()
            .title(c.title)
            .colour(c.colour)
            .footer(serenity::CreateEmbedFooter::new(c.footer));
        if let Some(d) = c.description {
            out = out.description(d);
        }
        for f in c.fields {
            out = out.field(f.name, f.value, f.inline);
        }
        if c.timestamp {
            out = out.timestamp(serenity::Timestamp::now());
        }
        out
    }
}

/// No pings at all: no users, roles, `@everyone` or replied-to user.
pub fn no_mentions() -> serenity::CreateAllowedMentions {
    serenity::CreateAllowedMentions::new()
        .empty_users()
        .empty_roles()
        .everyone(false)
        .replied_user(false)
}

/// A poise reply with one embed and no pings.
pub fn reply(embed: Embed) -> poise::CreateReply {
    poise::CreateReply::default()
        .embed(embed.into())
        .allowed_mentions(no_mentions())
}

/// A channel message with one embed and no pings (for listeners and reports).
pub fn message(embed: Embed) -> serenity::CreateMessage {
    serenity::CreateMessage::new()
        .embed(embed.into())
        .allowed_mentions(no_mentions())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn truncate_counts_characters_not_bytes() {
        assert_eq!(truncate("héllo", 5), "héllo");
        assert_eq!(truncate("héllo wörld", 6), "héllo…");
        assert_eq!(truncate("💠💠💠", 2), "💠…");
        assert_eq!(truncate("abc", 0), "");
    }

    #[test]
    fn themes_put_their_emoji_in_the_title() {
        for (theme, emoji) in [
            (Theme::Success, "✅"),
            (Theme::Error, "❌"),
            (Theme::Info, "ℹ️"),
            (Theme::Warning, "⚠️"),
            (Theme::Gameplay, "💠"),
        ] {
            let c = Embed::new(theme, "Hi").clamped();
            assert_eq!(c.title, format!("{emoji} Hi"));
            assert_eq!(c.colour, theme.colour());
            assert_eq!(c.footer, DEFAULT_FOOTER);
        }
    }

    #[test]
    fn every_limit_is_enforced() {
        let long = "x".repeat(10_000);
        let mut e = Embed::info(long.clone())
            .description(long.clone())
            .footer(long.clone());
        for _ in 0..40 {
            e = e.field(long.clone(), long.clone(), true);
        }
        let c = e.clamped();
        assert_eq!(c.title.chars().count(), limits::TITLE);
        assert!(c.footer.chars().count() <= limits::FOOTER);
        assert!(c.fields.len() <= limits::FIELDS);
        for f in &c.fields {
            assert!(f.name.chars().count() <= limits::FIELD_NAME);
            assert!(f.value.chars().count() <= limits::FIELD_VALUE);
        }
        assert!(c.description.as_ref().unwrap().chars().count() <= limits::DESCRIPTION);
        assert!(c.total_len() <= limits::TOTAL, "total {}", c.total_len());
    }

    #[test]
    fn small_embeds_are_untouched_and_empty_fields_get_a_placeholder() {
        let c = Embed::success("Done")
            .description("all good")
            .field("a", "", false)
            .clamped();
        assert_eq!(c.description.as_deref(), Some("all good"));
        assert_eq!(c.fields[0].value, "\u{200b}");
    }

    #[test]
    fn no_mentions_serialises_to_an_empty_parse_list() {
        let v = serde_json::to_value(no_mentions()).unwrap();
        assert_eq!(v["parse"], serde_json::json!([]));
        assert_eq!(v["replied_user"], false);
    }
}
