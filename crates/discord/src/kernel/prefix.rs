//! Prefix resolution.
//!
//! * A guild with a custom prefix (`prefix set`) uses that prefix **only**; otherwise the
//!   defaults `PREFIX` and `PREFIX_SHORT` apply. Mentioning the bot always works (poise's
//!   `mention_as_prefix`).
//! * Prefixes match case-insensitively (`Chro ping` works) and commands too.
//! * A prefix that ends in a letter or digit must be followed by whitespace, so `chro ping`
//!   is a command but `chronicles are fun` is not. A symbol prefix (`!`) needs no space.
//! * Unknown commands: a prefix followed by an unknown word gets a short ⚠️ reply naming the
//!   closest command and `help` (documented choice; silence would leave users guessing).
//!   A bare prefix (`chro`) is treated the same way, pointing at `help`.

use chronix_config::Config;

use crate::Command;
use crate::embeds::{self, Embed};

/// The prefixes that apply: the guild's custom one alone, or the configured defaults.
pub fn active_prefixes(config: &Config, custom: Option<&str>) -> Vec<String> {
    let mut v: Vec<String> = match custom {
        Some(p) if !p.trim().is_empty() => vec![p.trim().to_string()],
        _ => {
            let mut d = vec![config.prefix.clone(), config.prefix_short.clone()];
            d.retain(|p| !p.is_empty());
            d.dedup();
            d
        }
    };
    // Longest first, so `chronix` wins over `chro` when both are configured.
    v.sort_by_key(|p| std::cmp::Reverse(p.len()));
    v
}

/// The matching prefix at the start of `content` (a slice of it), if any.
pub fn match_prefix<'a>(content: &'a str, prefixes: &[String]) -> Option<&'a str> {
    prefixes.iter().find_map(|p| {
        let head = content.get(..p.len())?;
        if !head.eq_ignore_ascii_case(p) {
            return None;
        }
        let rest = &content[p.len()..];
        let needs_space = p.chars().last().is_some_and(char::is_alphanumeric);
        let ok = if needs_space {
            rest.is_empty() || rest.starts_with(char::is_whitespace)
        } else {
            !rest.trim().is_empty()
        };
        ok.then_some(head)
    })
}

/// How to type `rest` after `prefix`: `chro help` (word prefixes need a space), `!help`.
pub fn invoke(prefix: &str, rest: &str) -> String {
    if prefix.chars().last().is_some_and(char::is_alphanumeric) {
        format!("{prefix} {rest}")
    } else {
        format!("{prefix}{rest}")
    }
}

/// Validate a custom prefix: 1 to 10 characters, no whitespace, no backticks, no mentions.
pub fn validate_custom_prefix(p: &str) -> Result<(), String> {
    let n = p.chars().count();
    if n == 0 || n > 10 {
        return Err("a prefix has 1 to 10 characters".into());
    }
    if p.chars().any(char::is_whitespace) {
        return Err("a prefix cannot contain spaces".into());
    }
    if p.contains(['`', '@', '<', '>']) {
        return Err("a prefix cannot contain backticks, mentions or `@`".into());
    }
    Ok(())
}

/// The closest top-level command name or alias to `word` (distance ≤ 2), skipping hidden ones.
pub fn closest_command(commands: &[Command], word: &str) -> Option<String> {
    // Command names have at most 32 characters: a longer word is no typo of one, and the edit
    // distance over a whole pasted paragraph would cost for nothing.
    if word.chars().count() > MAX_SUGGESTION_WORD {
        return None;
    }
    let word = word.to_lowercase();
    let names = commands.iter().filter(|c| !c.hide_in_help).flat_map(|c| {
        std::iter::once(c.name.to_string())
            .chain(c.aliases.iter().map(|a| a.to_string()))
            .map(move |name| (c.name.to_string(), name))
    });
    chronix_core::text::closest(&word, names, 2)
}

/// Longest word compared with command names for a "did you mean" hint.
pub const MAX_SUGGESTION_WORD: usize = 32;

/// The reply to an unknown command (`None` = stay silent), in `locale`.
pub fn unknown_command_reply(
    commands: &[Command],
    shown_prefix: &str,
    rest: &str,
    locale: crate::kernel::i18n::Locale,
) -> Option<Embed> {
    use crate::tr;
    let word = rest.split_whitespace().next().unwrap_or("");
    let help = format!("`{}`", invoke(shown_prefix, "help"));
    if word.is_empty() {
        return Some(
            Embed::info(tr!(locale, "prefix-listening-title")).description(tr!(
                locale,
                "prefix-listening",
                help = help
            )),
        );
    }
    let shown = embeds::truncate(word, 32).replace('`', "'");
    let text = match closest_command(commands, word) {
        Some(c) => tr!(
            locale,
            "prefix-unknown-hint",
            command = shown,
            suggestion = invoke(shown_prefix, &c),
            help = help
        ),
        None => tr!(locale, "prefix-unknown", command = shown, help = help),
    };
    Some(Embed::warning(tr!(locale, "prefix-unknown-title")).description(text))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config() -> Config {
        Config::from_values(&Default::default()).unwrap()
    }

    fn p(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn defaults_apply_without_a_custom_prefix() {
        let c = config();
        assert_eq!(active_prefixes(&c, None), p(&["chro"]));
        assert_eq!(active_prefixes(&c, Some("  ")), p(&["chro"]));
    }

    #[test]
    fn a_custom_prefix_replaces_the_defaults() {
        let c = config();
        assert_eq!(active_prefixes(&c, Some("!")), p(&["!"]));
        let pre = active_prefixes(&c, Some("!"));
        assert_eq!(match_prefix("chro ping", &pre), None);
        assert_eq!(match_prefix("!ping", &pre), Some("!"));
    }

    #[test]
    fn longest_prefix_wins_and_matching_ignores_case() {
        let mut c = config();
        c.prefix = "chronix".into();
        c.prefix_short = "chro".into();
        let pre = active_prefixes(&c, None);
        assert_eq!(pre, p(&["chronix", "chro"]));
        assert_eq!(match_prefix("chronix ping", &pre), Some("chronix"));
        assert_eq!(match_prefix("CHRO ping", &pre), Some("CHRO"));
        assert_eq!(match_prefix("Chro PING", &pre), Some("Chro"));
    }

    #[test]
    fn word_prefixes_need_a_space_symbol_prefixes_do_not() {
        let pre = p(&["chro"]);
        assert_eq!(match_prefix("chronicles are fun", &pre), None);
        assert_eq!(match_prefix("chro", &pre), Some("chro"));
        assert_eq!(match_prefix("chro   help", &pre), Some("chro"));
        assert_eq!(match_prefix("hello chro ping", &pre), None);
        let pre = p(&["!"]);
        assert_eq!(match_prefix("!ping", &pre), Some("!"));
        assert_eq!(match_prefix("!", &pre), None);
        assert_eq!(match_prefix("! ", &pre), None);
        let pre = p(&["é!"]);
        assert_eq!(match_prefix("é!ping", &pre), Some("é!"));
        assert_eq!(match_prefix("e", &pre), None);
    }

    #[test]
    fn invocations_follow_the_prefix_kind() {
        assert_eq!(invoke("chro", "help"), "chro help");
        assert_eq!(invoke("!", "help"), "!help");
        assert_eq!(invoke("cx", "ping"), "cx ping");
    }

    #[test]
    fn custom_prefix_validation() {
        assert!(validate_custom_prefix("!").is_ok());
        assert!(validate_custom_prefix("cx").is_ok());
        assert!(validate_custom_prefix("").is_err());
        assert!(validate_custom_prefix("a b").is_err());
        assert!(validate_custom_prefix("12345678901").is_err());
        assert!(validate_custom_prefix("`").is_err());
        assert!(validate_custom_prefix("<@1>").is_err());
        assert!(validate_custom_prefix("@").is_err());
    }
}
