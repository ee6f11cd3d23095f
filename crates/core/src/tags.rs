//! Tags and custom commands (spec §27, §XVII; issue 14): tag names ([`normalize_name`]), a
//! tag's body and its ONE validation ([`TagBody::validate`]), who may create tags
//! ([`TagSettings`]) and the safe rendering of a tag ([`render`]).
//!
//! Rendering rules (the injection tests below hold them):
//! * placeholders `{user}`, `{user.name}`, `{user.mention}`, `{user.id}`, `{server}`,
//!   `{channel}`, `{args}`, `{args.1}` … are filled in ONE pass: a value that contains a
//!   placeholder (a member named `{user.mention}`, an argument `{args}`) is not expanded again;
//! * the result is sanitised ([`sanitize`]): `@everyone`, `@here` and role mentions
//!   (`<@&id>`) are broken with a zero-width space, whatever wrote them (the tag's author, a
//!   member's name, an argument);
//! * the only mention the message may ping is the invoking member, and only when the tag uses
//!   `{user.mention}` ([`Rendered::ping_user`]); the bot sends every other mention disabled;
//! * the text is cut to the limit it is shown in (2,000 characters, 4,096 in an embed).
//!
//! Pure: no clock, no I/O.

use serde::{Deserialize, Serialize};

use crate::ids::{ChannelId, UserId};

/// Longest tag name (a slash command's name).
pub const MAX_NAME: usize = 32;
/// Longest tag text.
pub const MAX_CONTENT: usize = 2000;
/// Longest text shown as a message.
pub const MAX_MESSAGE: usize = 2000;
/// Longest text shown in an embed.
pub const MAX_EMBED: usize = 4096;
/// Longest image URL.
pub const MAX_URL: usize = 512;
/// Custom slash commands per server.
pub const MAX_SLASH: usize = 25;
/// Longest cooldown, in seconds (a day).
pub const MAX_COOLDOWN_SECS: u32 = 86_400;
/// Names a tag cannot take (the `tag` subcommands).
pub const RESERVED: &[&str] = &[
    "create", "edit", "delete", "info", "list", "search", "show", "trigger", "slash", "cooldown",
    "access",
];

/// Why a tag (or its settings) is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TagError {
    /// Empty name.
    #[error("the name is empty")]
    EmptyName,
    /// Name too long.
    #[error("the name is longer than {max} characters")]
    NameTooLong {
        /// The limit.
        max: usize,
    },
    /// A character a slash command name cannot hold.
    #[error("the name may hold only letters, digits, - and _")]
    BadName,
    /// The name of a `tag` subcommand.
    #[error("that name is reserved")]
    Reserved(String),
    /// Neither text nor image.
    #[error("the tag is empty")]
    Empty,
    /// Text too long.
    #[error("the text is longer than {max} characters")]
    TooLong {
        /// The limit.
        max: usize,
    },
    /// Not an http(s) URL.
    #[error("the image is not an http(s) link")]
    BadImage,
    /// Cooldown too long.
    #[error("the cooldown is longer than {max} seconds")]
    CooldownTooLong {
        /// The limit.
        max: u32,
    },
}

/// A tag name as stored: trimmed, lower case, `[\p{L}\p{N}_-]`, 1–32 characters, not a
/// subcommand of `tag`.
pub fn normalize_name(raw: &str) -> Result<String, TagError> {
    let name = raw.trim().to_lowercase();
    if name.is_empty() {
        return Err(TagError::EmptyName);
    }
    if name.chars().count() > MAX_NAME {
        return Err(TagError::NameTooLong { max: MAX_NAME });
    }
    if !name
        .chars()
        .all(|c| c.is_alphanumeric() || c == '-' || c == '_')
    {
        return Err(TagError::BadName);
    }
    if RESERVED.contains(&name.as_str()) {
        return Err(TagError::Reserved(name));
    }
    Ok(name)
}

/// What a tag shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TagBody {
    /// The text (with placeholders).
    pub content: String,
    /// Shown in an embed (titled with the tag's name) rather than as plain text.
    pub embed: bool,
    /// An image shown with it.
    pub image: Option<String>,
}

impl TagBody {
    /// The one check every entry point (commands, storage) uses.
    pub fn validate(&self) -> Result<(), TagError> {
        if self.content.trim().is_empty() && self.image.is_none() {
            return Err(TagError::Empty);
        }
        if self.content.chars().count() > MAX_CONTENT {
            return Err(TagError::TooLong { max: MAX_CONTENT });
        }
        if let Some(url) = &self.image
            && !is_image_url(url)
        {
            return Err(TagError::BadImage);
        }
        Ok(())
    }
}

/// Reads a tag body as typed after the name: leading flags `--embed` (show it in an embed)
/// and `--image <url>`, then the text.
pub fn parse_body(raw: &str) -> TagBody {
    let mut rest = raw.trim_start();
    let mut embed = false;
    let mut image = None;
    loop {
        if let Some(r) = rest.strip_prefix("--embed")
            && (r.is_empty() || r.starts_with(char::is_whitespace))
        {
            embed = true;
            rest = r.trim_start();
        } else if let Some(r) = rest.strip_prefix("--image")
            && r.starts_with(char::is_whitespace)
        {
            let r = r.trim_start();
            let (url, after) = r.split_once(char::is_whitespace).unwrap_or((r, ""));
            image = Some(url.to_string());
            rest = after.trim_start();
        } else {
            break;
        }
    }
    TagBody {
        content: rest.trim_end().to_string(),
        embed,
        image,
    }
}

/// An `http(s)://` link without spaces, at most [`MAX_URL`] long.
pub fn is_image_url(url: &str) -> bool {
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"));
    url.len() <= MAX_URL
        && rest.is_some_and(|r| {
            !r.is_empty() && !r.starts_with('/') && !r.chars().any(|c| c.is_whitespace())
        })
}

/// Checks a custom command's cooldown.
pub fn check_cooldown(secs: u32) -> Result<(), TagError> {
    if secs > MAX_COOLDOWN_SECS {
        return Err(TagError::CooldownTooLong {
            max: MAX_COOLDOWN_SECS,
        });
    }
    Ok(())
}

/// Who may create tags (and edit or delete other members' tags) on a server.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Access {
    /// Every member.
    Everyone,
    /// Members with Manage Messages (the default).
    #[default]
    ManageMessages,
    /// Members with Manage Server.
    ManageServer,
    /// Administrators.
    Admin,
}

impl Access {
    /// Every level, loosest first.
    pub const ALL: [Access; 4] = [
        Access::Everyone,
        Access::ManageMessages,
        Access::ManageServer,
        Access::Admin,
    ];
    /// Its stable name.
    pub const fn name(self) -> &'static str {
        match self {
            Access::Everyone => "everyone",
            Access::ManageMessages => "manage_messages",
            Access::ManageServer => "manage_server",
            Access::Admin => "admin",
        }
    }
    /// The level of a stable name.
    pub fn from_name(s: &str) -> Option<Access> {
        let s = s.trim().to_lowercase().replace([' ', '-'], "_");
        Access::ALL.into_iter().find(|a| a.name() == s)
    }
}

/// A server's tag settings (JSON in `tag_settings.config`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct TagSettings {
    /// Who may create tags and manage everyone's.
    #[serde(default)]
    pub manage: Access,
}

/// What a tag is rendered for.
#[derive(Debug, Clone)]
pub struct Facts<'a> {
    /// The invoking member's display name.
    pub user_name: &'a str,
    /// The invoking member.
    pub user: UserId,
    /// The server's name.
    pub server: &'a str,
    /// The channel it runs in.
    pub channel: ChannelId,
    /// The arguments after the tag's name.
    pub args: &'a [String],
}

/// A rendered tag.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rendered {
    /// The text, sanitised and cut.
    pub text: String,
    /// The one member the message may ping (the invoker, when the tag says `{user.mention}`).
    pub ping_user: Option<UserId>,
}

/// Splits a command's arguments on whitespace.
pub fn split_args(s: &str) -> Vec<String> {
    s.split_whitespace().map(str::to_string).collect()
}

/// Renders `template` for `facts`, cut to `max` characters (see the module rules).
pub fn render(template: &str, facts: &Facts<'_>, max: usize) -> Rendered {
    let ping = std::cell::Cell::new(false);
    let filled = crate::text::fill_placeholders(template, |key| {
        Some(match key {
            "user" | "user.name" => facts.user_name.to_string(),
            "user.mention" => {
                ping.set(true);
                format!("<@{}>", facts.user)
            }
            "user.id" => facts.user.to_string(),
            "server" => facts.server.to_string(),
            "channel" => format!("<#{}>", facts.channel),
            "args" => facts.args.join(" "),
            _ => {
                let n: usize = key.strip_prefix("args.")?.parse().ok()?;
                facts
                    .args
                    .get(n.checked_sub(1)?)
                    .cloned()
                    .unwrap_or_default()
            }
        })
    });
    Rendered {
        text: cut(&sanitize(&filled), max),
        ping_user: ping.get().then_some(facts.user),
    }
}

/// Breaks `@everyone`, `@here` (any case) and role mentions `<@&id>` with a zero-width space,
/// so they show as text and ping nobody even where mentions were not disabled.
pub fn sanitize(text: &str) -> String {
    const ZWSP: char = '\u{200b}';
    let mut out = String::with_capacity(text.len() + 8);
    let mut rest = text;
    while let Some(i) = rest.find(['@', '<']) {
        out.push_str(&rest[..i]);
        let tail = &rest[i..];
        let lower = tail
            .get(..9)
            .or(tail.get(..5))
            .unwrap_or(tail)
            .to_ascii_lowercase();
        if tail.starts_with('@') && (lower.starts_with("@everyone") || lower.starts_with("@here")) {
            out.push('@');
            out.push(ZWSP);
            rest = &tail[1..];
        } else if tail.starts_with("<@&") {
            out.push_str("<@");
            out.push(ZWSP);
            rest = &tail[2..];
        } else {
            let c = tail.chars().next().expect("found");
            out.push(c);
            rest = &tail[c.len_utf8()..];
        }
    }
    out.push_str(rest);
    out
}

/// `text` cut to `max` characters (an ellipsis marks the cut).
pub fn cut(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let mut s: String = text.chars().take(max.saturating_sub(1)).collect();
    s.push('…');
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    fn facts<'a>(name: &'a str, args: &'a [String]) -> Facts<'a> {
        Facts {
            user_name: name,
            user: UserId::new(42),
            server: "Guild",
            channel: ChannelId::new(7),
            args,
        }
    }

    fn args(s: &str) -> Vec<String> {
        split_args(s)
    }

    #[test]
    fn placeholders_fill() {
        let a = args("one two three");
        let r = render(
            "Hi {user} ({user.id}) in {server} {channel}: {args} / {args.2} / [{args.9}] {nope}",
            &facts("Ana", &a),
            MAX_MESSAGE,
        );
        assert_eq!(
            r.text,
            "Hi Ana (42) in Guild <#7>: one two three / two / [] {nope}"
        );
        assert_eq!(r.ping_user, None);
        let r = render("{user.mention} welcome", &facts("Ana", &a), MAX_MESSAGE);
        assert_eq!(r.text, "<@42> welcome");
        assert_eq!(r.ping_user, Some(UserId::new(42)));
    }

    #[test]
    fn injections_are_neutralised() {
        let z = '\u{200b}';
        // The tag's own text.
        let r = render("@everyone @here @EVERYONE <@&5> hi", &facts("A", &[]), 2000);
        assert_eq!(
            r.text,
            format!("@{z}everyone @{z}here @{z}EVERYONE <@{z}&5> hi")
        );
        // Arguments holding mentions and placeholders are not expanded again.
        let a = args("@everyone <@&99> {user.mention} {args}");
        let r = render("{args}", &facts("A", &a), 2000);
        assert_eq!(
            r.text,
            format!("@{z}everyone <@{z}&99> {{user.mention}} {{args}}")
        );
        assert_eq!(r.ping_user, None, "an argument cannot make the tag ping");
        // A member named like a placeholder or a mass mention.
        let r = render("{user}", &facts("{user.mention} @here", &[]), 2000);
        assert_eq!(r.text, format!("{{user.mention}} @{z}here"));
        assert_eq!(r.ping_user, None);
        // A user mention typed in stays text; the bot sends it with mentions disabled.
        let r = render("<@1> <@!2>", &facts("A", &[]), 2000);
        assert_eq!(r.text, "<@1> <@!2>");
        assert_eq!(r.ping_user, None);
    }

    #[test]
    fn length_is_cut() {
        let a = vec!["x".repeat(5000)];
        let r = render("{args}{args}", &facts("A", &a), MAX_MESSAGE);
        assert_eq!(r.text.chars().count(), MAX_MESSAGE);
        assert!(r.text.ends_with('…'));
        assert_eq!(cut("héllo", 3), "hé…");
        assert_eq!(cut("abc", 3), "abc");
    }

    #[test]
    fn names() {
        assert_eq!(normalize_name("  Rules "), Ok("rules".into()));
        assert_eq!(normalize_name("faq_2-b"), Ok("faq_2-b".into()));
        assert_eq!(normalize_name("café"), Ok("café".into()));
        assert_eq!(normalize_name(""), Err(TagError::EmptyName));
        assert_eq!(normalize_name("a b"), Err(TagError::BadName));
        assert_eq!(normalize_name("@everyone"), Err(TagError::BadName));
        assert_eq!(
            normalize_name(&"x".repeat(33)),
            Err(TagError::NameTooLong { max: 32 })
        );
        assert_eq!(
            normalize_name("List"),
            Err(TagError::Reserved("list".into()))
        );
    }

    #[test]
    fn bodies_parse_with_flags() {
        let b = parse_body("--embed --image https://x.io/a.png  Hello {user}");
        assert!(b.embed);
        assert_eq!(b.image.as_deref(), Some("https://x.io/a.png"));
        assert_eq!(b.content, "Hello {user}");
        let b = parse_body("just --embed text");
        assert!(!b.embed && b.image.is_none());
        assert_eq!(b.content, "just --embed text");
        assert_eq!(parse_body("--embedded").content, "--embedded");
    }

    #[test]
    fn bodies() {
        let b = |c: &str, img: Option<&str>| TagBody {
            content: c.into(),
            embed: false,
            image: img.map(str::to_string),
        };
        assert_eq!(b("hi", None).validate(), Ok(()));
        assert_eq!(b(" ", None).validate(), Err(TagError::Empty));
        assert_eq!(b("", Some("https://x.io/a.png")).validate(), Ok(()));
        assert_eq!(
            b("", Some("javascript:alert(1)")).validate(),
            Err(TagError::BadImage)
        );
        assert_eq!(
            b("", Some("https://a b")).validate(),
            Err(TagError::BadImage)
        );
        assert_eq!(
            b(&"x".repeat(2001), None).validate(),
            Err(TagError::TooLong { max: 2000 })
        );
        assert_eq!(
            check_cooldown(86_401),
            Err(TagError::CooldownTooLong { max: 86_400 })
        );
        assert_eq!(
            Access::from_name("Manage Messages"),
            Some(Access::ManageMessages)
        );
        assert_eq!(TagSettings::default().manage, Access::ManageMessages);
    }
}
