//! Reaction roles and button roles (spec §26; issue 14): a panel's configuration record and its
//! ONE validation ([`PanelConfig::validate`], used by the setup wizard, the edit commands and
//! storage before every write), emoji parsing ([`Emoji::parse`]), the check that the bot may
//! give a role ([`check_role`]) and the mode rules ([`decide`], [`decide_select`]): what a
//! member's reaction, click or pick adds and removes.
//!
//! Modes: **toggle** (add on react/click, remove on unreact/click again), **single** (choosing
//! one removes the member's other roles of the panel), **verify** (add only: unreacting or
//! clicking again removes nothing). A panel may cap the roles of it one member holds
//! ([`PanelConfig::max`], 0: no cap; single mode is a cap of one by itself).
//!
//! Pure: no clock, no I/O.

use serde::{Deserialize, Serialize};

use crate::ids::RoleId;

/// Most roles on one panel: Discord allows 20 distinct reactions per message and 25 options
/// per select (buttons: 5 rows of 5).
pub const MAX_ENTRIES_REACTIONS: usize = 20;
/// Most roles on a button or select panel.
pub const MAX_ENTRIES: usize = 25;
/// Longest panel title (an embed title).
pub const MAX_TITLE: usize = 256;
/// Longest panel text.
pub const MAX_DESCRIPTION: usize = 2000;
/// Longest button or option label (Discord: 80).
pub const MAX_LABEL: usize = 80;

/// How a panel hands its roles out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Mode {
    /// Add on react or click, remove on unreact or a second click.
    Toggle,
    /// One role of the panel at a time: choosing one removes the others.
    Single,
    /// Add only (rules accepted, verified): nothing removes the role.
    Verify,
}

impl Mode {
    /// Every mode, in the order the wizard offers them.
    pub const ALL: [Mode; 3] = [Mode::Toggle, Mode::Single, Mode::Verify];
    /// Its stable name.
    pub const fn name(self) -> &'static str {
        match self {
            Mode::Toggle => "toggle",
            Mode::Single => "single",
            Mode::Verify => "verify",
        }
    }
    /// The mode of a stable name.
    pub fn from_name(s: &str) -> Option<Mode> {
        Mode::ALL.into_iter().find(|m| m.name() == s)
    }
}

/// How members pick.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Delivery {
    /// Reactions on the panel message.
    Reactions,
    /// One button per role.
    Buttons,
    /// One select menu listing the roles.
    Select,
}

impl Delivery {
    /// Every delivery, in the order the wizard offers them.
    pub const ALL: [Delivery; 3] = [Delivery::Reactions, Delivery::Buttons, Delivery::Select];
    /// Its stable name.
    pub const fn name(self) -> &'static str {
        match self {
            Delivery::Reactions => "reactions",
            Delivery::Buttons => "buttons",
            Delivery::Select => "select",
        }
    }
    /// The delivery of a stable name.
    pub fn from_name(s: &str) -> Option<Delivery> {
        Delivery::ALL.into_iter().find(|d| d.name() == s)
    }
    /// Most roles a panel of this delivery holds.
    pub const fn max_entries(self) -> usize {
        match self {
            Delivery::Reactions => MAX_ENTRIES_REACTIONS,
            Delivery::Buttons | Delivery::Select => MAX_ENTRIES,
        }
    }
}

/// An emoji: a Unicode one, or a server's custom one (`<:name:id>`, `<a:name:id>`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum Emoji {
    /// A Unicode emoji (as typed).
    Unicode {
        /// The characters.
        text: String,
    },
    /// A custom emoji.
    Custom {
        /// Its name.
        name: String,
        /// Its id.
        id: u64,
        /// Animated.
        animated: bool,
    },
}

impl Emoji {
    /// Parses what an admin typed: `<:name:id>`, `<a:name:id>` or a Unicode emoji (no letters,
    /// digits or spaces, at most 32 bytes). `None` for anything else.
    pub fn parse(s: &str) -> Option<Emoji> {
        let s = s.trim();
        if let Some(inner) = s.strip_prefix('<').and_then(|r| r.strip_suffix('>')) {
            let (animated, rest) = match inner.strip_prefix("a:") {
                Some(r) => (true, r),
                None => (false, inner.strip_prefix(':')?),
            };
            let (name, id) = rest.split_once(':')?;
            let id: u64 = id.parse().ok()?;
            let name_ok = (2..=32).contains(&name.len())
                && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
            return (name_ok && id > 0).then(|| Emoji::Custom {
                name: name.to_string(),
                id,
                animated,
            });
        }
        let ok = !s.is_empty()
            && s.len() <= 32
            && !s.chars().any(|c| {
                c.is_ascii_alphanumeric() || c.is_whitespace() || c.is_ascii_punctuation()
            })
            && s.chars().any(|c| !c.is_ascii() && !is_joiner(c));
        ok.then(|| Emoji::Unicode {
            text: s.to_string(),
        })
    }

    /// How a message shows it (`<:name:id>` or the characters).
    pub fn markdown(&self) -> String {
        match self {
            Emoji::Unicode { text } => text.clone(),
            Emoji::Custom { name, id, animated } => {
                format!("<{}:{name}:{id}>", if *animated { "a" } else { "" })
            }
        }
    }

    /// Whether a reaction's emoji (Unicode text, or a custom emoji's id) is this one. Unicode
    /// is compared without variation selectors (clients send `❤` and `❤️` alike).
    pub fn matches(&self, unicode: Option<&str>, custom_id: Option<u64>) -> bool {
        match (self, unicode, custom_id) {
            (Emoji::Custom { id, .. }, _, Some(c)) => *id == c,
            (Emoji::Unicode { text }, Some(u), None) => strip_vs(text) == strip_vs(u),
            _ => false,
        }
    }
}

fn is_joiner(c: char) -> bool {
    matches!(c, '\u{200d}' | '\u{fe0f}' | '\u{fe0e}')
}

fn strip_vs(s: &str) -> String {
    s.chars()
        .filter(|c| !matches!(c, '\u{fe0f}' | '\u{fe0e}'))
        .collect()
}

/// One role of a panel.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    /// The role.
    pub role: RoleId,
    /// Its emoji (required for reactions, optional on buttons and options).
    pub emoji: Option<Emoji>,
    /// Its label on a button or option (the role's name by default).
    pub label: String,
}

/// A panel's configuration: a plain record (stored as JSON in `reaction_panels.config`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PanelConfig {
    /// The panel embed's title.
    pub title: String,
    /// Its text.
    #[serde(default)]
    pub description: String,
    /// The mode.
    pub mode: Mode,
    /// How members pick.
    pub delivery: Delivery,
    /// Most roles of this panel one member may hold (0: no cap).
    #[serde(default)]
    pub max: u8,
    /// The roles, in the panel's order.
    pub entries: Vec<Entry>,
}

/// Why a panel configuration is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PanelError {
    /// No role.
    #[error("the panel has no role")]
    NoRole,
    /// Too many roles for the delivery.
    #[error("at most {max} roles")]
    TooManyRoles {
        /// The limit.
        max: usize,
    },
    /// A role twice.
    #[error("a role is listed twice")]
    DuplicateRole(RoleId),
    /// An emoji twice (reactions).
    #[error("an emoji is used twice")]
    DuplicateEmoji(String),
    /// A reaction panel's role without an emoji.
    #[error("a role has no emoji")]
    MissingEmoji(RoleId),
    /// Empty title.
    #[error("the title is empty")]
    EmptyTitle,
    /// Title too long.
    #[error("the title is longer than {max} characters")]
    TitleTooLong {
        /// The limit.
        max: usize,
    },
    /// Text too long.
    #[error("the text is longer than {max} characters")]
    DescriptionTooLong {
        /// The limit.
        max: usize,
    },
    /// A label too long.
    #[error("a label is longer than {max} characters")]
    LabelTooLong {
        /// The limit.
        max: usize,
    },
    /// The cap is above the number of roles.
    #[error("the cap is above the number of roles")]
    MaxAboveRoles {
        /// The number of roles.
        roles: usize,
    },
}

impl PanelConfig {
    /// The one check every entry point (wizard, edit command, storage) uses.
    pub fn validate(&self) -> Result<(), PanelError> {
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
        check_entries(&self.entries, self.delivery)?;
        if usize::from(self.max) > self.entries.len() {
            return Err(PanelError::MaxAboveRoles {
                roles: self.entries.len(),
            });
        }
        Ok(())
    }

    /// The entry of a role.
    pub fn entry(&self, role: RoleId) -> Option<&Entry> {
        self.entries.iter().find(|e| e.role == role)
    }

    /// The panel's roles.
    pub fn roles(&self) -> Vec<RoleId> {
        self.entries.iter().map(|e| e.role).collect()
    }

    /// The cap a member meets (single mode: one).
    pub fn cap(&self) -> Option<usize> {
        match (self.mode, self.max) {
            (Mode::Single, _) => Some(1),
            (_, 0) => None,
            (_, n) => Some(usize::from(n)),
        }
    }
}

/// Checks the roles of a panel (count, duplicates, emojis, labels) for a delivery.
pub fn check_entries(entries: &[Entry], delivery: Delivery) -> Result<(), PanelError> {
    if entries.is_empty() {
        return Err(PanelError::NoRole);
    }
    if entries.len() > delivery.max_entries() {
        return Err(PanelError::TooManyRoles {
            max: delivery.max_entries(),
        });
    }
    let mut roles = std::collections::HashSet::new();
    let mut emojis = std::collections::HashSet::new();
    for e in entries {
        if !roles.insert(e.role) {
            return Err(PanelError::DuplicateRole(e.role));
        }
        if e.label.chars().count() > MAX_LABEL {
            return Err(PanelError::LabelTooLong { max: MAX_LABEL });
        }
        match &e.emoji {
            Some(em) => {
                let key = match em {
                    Emoji::Unicode { text } => strip_vs(text),
                    Emoji::Custom { id, .. } => id.to_string(),
                };
                if delivery == Delivery::Reactions && !emojis.insert(key) {
                    return Err(PanelError::DuplicateEmoji(em.markdown()));
                }
            }
            None if delivery == Delivery::Reactions => {
                return Err(PanelError::MissingEmoji(e.role));
            }
            None => {}
        }
    }
    Ok(())
}

/// Parses the wizard's emoji lines: line `i` is `<emoji> [label]` for role `i`; a missing or
/// empty line keeps no emoji and the default label. Returns, per role, the emoji and label, or
/// the 1-based number of the first line whose emoji does not parse.
pub fn parse_emoji_lines(
    text: &str,
    defaults: &[String],
) -> Result<Vec<(Option<Emoji>, String)>, usize> {
    let lines: Vec<&str> = text.lines().collect();
    defaults
        .iter()
        .enumerate()
        .map(|(i, default)| {
            let line = lines.get(i).map_or("", |l| l.trim());
            if line.is_empty() || line == "-" {
                return Ok((None, default.clone()));
            }
            let (first, rest) = line.split_once(char::is_whitespace).unwrap_or((line, ""));
            let emoji = if first == "-" {
                None
            } else {
                Some(Emoji::parse(first).ok_or(i + 1)?)
            };
            let label = rest.trim();
            Ok((
                emoji,
                if label.is_empty() {
                    default.clone()
                } else {
                    label.to_string()
                },
            ))
        })
        .collect()
}

/// What decides whether the bot may give a role.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoleFacts {
    /// The role.
    pub id: RoleId,
    /// Its name.
    pub name: String,
    /// Its position (higher is above).
    pub position: i64,
    /// Managed by an integration (a bot's role, the booster role).
    pub managed: bool,
    /// The server's @everyone.
    pub everyone: bool,
}

/// Why the bot cannot give a role.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RoleProblem {
    /// At or above the bot's highest role.
    AboveBot(String),
    /// Managed by an integration.
    Managed(String),
    /// @everyone.
    Everyone,
    /// The role no longer exists.
    Unknown(RoleId),
}

/// Checks that the bot (highest role at `bot_top`) may give `role`.
pub fn check_role(role: RoleId, roles: &[RoleFacts], bot_top: i64) -> Result<(), RoleProblem> {
    let Some(r) = roles.iter().find(|r| r.id == role) else {
        return Err(RoleProblem::Unknown(role));
    };
    if r.everyone {
        return Err(RoleProblem::Everyone);
    }
    if r.managed {
        return Err(RoleProblem::Managed(r.name.clone()));
    }
    if r.position >= bot_top {
        return Err(RoleProblem::AboveBot(r.name.clone()));
    }
    Ok(())
}

/// What a member did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Act {
    /// Reacted with the role's emoji.
    React,
    /// Removed that reaction.
    Unreact,
    /// Clicked the role's button.
    Click,
}

/// The roles to add and to remove.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Change {
    /// To add.
    pub add: Vec<RoleId>,
    /// To remove.
    pub remove: Vec<RoleId>,
}

impl Change {
    /// Nothing to do.
    pub fn is_empty(&self) -> bool {
        self.add.is_empty() && self.remove.is_empty()
    }
}

/// Why a member's choice changes nothing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RuleRefusal {
    /// They hold the panel's cap already.
    MaxReached {
        /// The cap.
        max: usize,
    },
    /// Verify mode: the role stays once given.
    VerifyKeeps,
    /// They picked more than the cap in a select.
    TooMany {
        /// The cap.
        max: usize,
    },
}

/// What a reaction, unreaction or click on `chosen` does for a member holding `held` (any of
/// their roles; only the panel's count).
pub fn decide(
    config: &PanelConfig,
    held: &[RoleId],
    chosen: RoleId,
    act: Act,
) -> Result<Change, RuleRefusal> {
    let panel = config.roles();
    let mine: Vec<RoleId> = panel.iter().copied().filter(|r| held.contains(r)).collect();
    let has = mine.contains(&chosen);
    let wants = match act {
        Act::React => true,
        Act::Unreact => false,
        Act::Click => !has,
    };
    if !wants {
        if !has {
            return Ok(Change::default());
        }
        if config.mode == Mode::Verify {
            return match act {
                Act::Unreact => Ok(Change::default()),
                _ => Err(RuleRefusal::VerifyKeeps),
            };
        }
        return Ok(Change {
            add: Vec::new(),
            remove: vec![chosen],
        });
    }
    if has {
        return Ok(Change::default());
    }
    if config.mode == Mode::Single {
        return Ok(Change {
            add: vec![chosen],
            remove: mine,
        });
    }
    if let Some(max) = config.cap()
        && mine.len() >= max
    {
        return Err(RuleRefusal::MaxReached { max });
    }
    Ok(Change {
        add: vec![chosen],
        remove: Vec::new(),
    })
}

/// What picking `picked` in a panel's select does: the member's roles of the panel become the
/// picked ones (toggle, single), or the picked ones are added (verify).
pub fn decide_select(
    config: &PanelConfig,
    held: &[RoleId],
    picked: &[RoleId],
) -> Result<Change, RuleRefusal> {
    let panel = config.roles();
    let picked: Vec<RoleId> = panel
        .iter()
        .copied()
        .filter(|r| picked.contains(r))
        .collect();
    let mine: Vec<RoleId> = panel.iter().copied().filter(|r| held.contains(r)).collect();
    let add: Vec<RoleId> = picked
        .iter()
        .copied()
        .filter(|r| !mine.contains(r))
        .collect();
    if config.mode == Mode::Verify {
        if let Some(max) = config.cap()
            && mine.len() + add.len() > max
        {
            return Err(RuleRefusal::MaxReached { max });
        }
        return Ok(Change {
            add,
            remove: Vec::new(),
        });
    }
    if let Some(max) = config.cap()
        && picked.len() > max
    {
        return Err(RuleRefusal::TooMany { max });
    }
    let remove = mine
        .iter()
        .copied()
        .filter(|r| !picked.contains(r))
        .collect();
    Ok(Change { add, remove })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn r(n: u64) -> RoleId {
        RoleId::new(n)
    }

    fn panel(mode: Mode, max: u8) -> PanelConfig {
        PanelConfig {
            title: "Roles".into(),
            description: String::new(),
            mode,
            delivery: Delivery::Reactions,
            max,
            entries: (1..=3)
                .map(|i| Entry {
                    role: r(i),
                    emoji: Some(Emoji::Unicode {
                        text: ["🔴", "🟢", "🔵"][i as usize - 1].into(),
                    }),
                    label: format!("role {i}"),
                })
                .collect(),
        }
    }

    fn change(add: &[u64], remove: &[u64]) -> Change {
        Change {
            add: add.iter().map(|n| r(*n)).collect(),
            remove: remove.iter().map(|n| r(*n)).collect(),
        }
    }

    #[test]
    fn toggle_adds_and_removes() {
        let p = panel(Mode::Toggle, 0);
        assert_eq!(decide(&p, &[], r(1), Act::React), Ok(change(&[1], &[])));
        assert_eq!(decide(&p, &[r(1)], r(1), Act::React), Ok(change(&[], &[])));
        assert_eq!(
            decide(&p, &[r(1)], r(1), Act::Unreact),
            Ok(change(&[], &[1]))
        );
        assert_eq!(decide(&p, &[], r(1), Act::Unreact), Ok(change(&[], &[])));
        assert_eq!(decide(&p, &[r(1)], r(1), Act::Click), Ok(change(&[], &[1])));
        assert_eq!(
            decide(&p, &[r(1), r(9)], r(2), Act::Click),
            Ok(change(&[2], &[])),
            "roles outside the panel do not count"
        );
    }

    #[test]
    fn single_replaces_the_others() {
        let p = panel(Mode::Single, 0);
        assert_eq!(
            decide(&p, &[r(1), r(9)], r(2), Act::React),
            Ok(change(&[2], &[1]))
        );
        assert_eq!(
            decide(&p, &[r(2)], r(2), Act::Unreact),
            Ok(change(&[], &[2]))
        );
        assert_eq!(
            decide(&p, &[r(3)], r(1), Act::Click),
            Ok(change(&[1], &[3]))
        );
        assert_eq!(p.cap(), Some(1));
    }

    #[test]
    fn verify_only_adds() {
        let p = panel(Mode::Verify, 0);
        assert_eq!(decide(&p, &[], r(1), Act::React), Ok(change(&[1], &[])));
        assert_eq!(
            decide(&p, &[r(1)], r(1), Act::Unreact),
            Ok(change(&[], &[]))
        );
        assert_eq!(
            decide(&p, &[r(1)], r(1), Act::Click),
            Err(RuleRefusal::VerifyKeeps)
        );
        assert_eq!(
            decide_select(&p, &[r(1)], &[r(2)]),
            Ok(change(&[2], &[])),
            "a select adds, never removes"
        );
    }

    #[test]
    fn the_cap_refuses_past_it() {
        let p = panel(Mode::Toggle, 2);
        assert_eq!(decide(&p, &[r(1)], r(2), Act::React), Ok(change(&[2], &[])));
        assert_eq!(
            decide(&p, &[r(1), r(2)], r(3), Act::React),
            Err(RuleRefusal::MaxReached { max: 2 })
        );
        assert_eq!(
            decide(&p, &[r(1), r(2)], r(1), Act::Click),
            Ok(change(&[], &[1])),
            "removing is always allowed"
        );
        assert_eq!(
            decide_select(&p, &[], &[r(1), r(2), r(3)]),
            Err(RuleRefusal::TooMany { max: 2 })
        );
        let v = panel(Mode::Verify, 1);
        assert_eq!(
            decide_select(&v, &[r(1)], &[r(2)]),
            Err(RuleRefusal::MaxReached { max: 1 })
        );
    }

    #[test]
    fn a_select_sets_the_panel_roles() {
        let p = panel(Mode::Toggle, 0);
        assert_eq!(
            decide_select(&p, &[r(1), r(2), r(9)], &[r(2), r(3), r(42)]),
            Ok(change(&[3], &[1])),
            "unknown values ignored, other roles untouched"
        );
        let s = panel(Mode::Single, 0);
        assert_eq!(decide_select(&s, &[r(1)], &[r(3)]), Ok(change(&[3], &[1])));
    }

    #[test]
    fn emojis_parse() {
        assert_eq!(
            Emoji::parse("<:party:123>"),
            Some(Emoji::Custom {
                name: "party".into(),
                id: 123,
                animated: false
            })
        );
        assert_eq!(
            Emoji::parse("<a:wave_1:9>").map(|e| e.markdown()),
            Some("<a:wave_1:9>".into())
        );
        assert!(Emoji::parse("🎮").is_some());
        assert!(Emoji::parse("❤️").is_some());
        assert!(Emoji::parse("👨‍👩‍👧").is_some());
        for bad in [
            "",
            "abc",
            "<:x:1>",
            "<:party:abc>",
            "@everyone",
            "🎮 x",
            ":)",
            "\u{200d}",
        ] {
            assert_eq!(Emoji::parse(bad), None, "{bad:?}");
        }
        let heart = Emoji::parse("❤️").unwrap();
        assert!(heart.matches(Some("❤"), None));
        assert!(!heart.matches(None, Some(5)));
        assert!(Emoji::parse("<:p:55>").is_none());
        assert!(
            Emoji::parse("<:pp:55>")
                .unwrap()
                .matches(Some("pp"), Some(55))
        );
    }

    #[test]
    fn emoji_lines_map_to_roles_in_order() {
        let d = vec!["Red".to_string(), "Green".to_string(), "Blue".to_string()];
        let got = parse_emoji_lines("🔴 Team red\n\n<:gg:77>", &d).unwrap();
        assert_eq!(got[0].1, "Team red");
        assert_eq!(got[1], (None, "Green".into()));
        assert!(matches!(got[2].0, Some(Emoji::Custom { id: 77, .. })));
        assert_eq!(parse_emoji_lines("🔴\nnope", &d), Err(2));
    }

    #[test]
    fn validation() {
        let mut p = panel(Mode::Toggle, 0);
        assert_eq!(p.validate(), Ok(()));
        p.entries[1].emoji = p.entries[0].emoji.clone();
        assert!(matches!(p.validate(), Err(PanelError::DuplicateEmoji(_))));
        p.delivery = Delivery::Buttons;
        assert_eq!(p.validate(), Ok(()), "buttons may share an emoji");
        p.entries[1].emoji = None;
        assert_eq!(p.validate(), Ok(()));
        p.delivery = Delivery::Reactions;
        assert_eq!(p.validate(), Err(PanelError::MissingEmoji(r(2))));
        let mut p = panel(Mode::Toggle, 4);
        assert_eq!(p.validate(), Err(PanelError::MaxAboveRoles { roles: 3 }));
        p.max = 0;
        p.entries.push(p.entries[0].clone());
        assert_eq!(p.validate(), Err(PanelError::DuplicateRole(r(1))));
        p.entries.clear();
        assert_eq!(p.validate(), Err(PanelError::NoRole));
        let mut p = panel(Mode::Toggle, 0);
        p.title = " ".into();
        assert_eq!(p.validate(), Err(PanelError::EmptyTitle));
    }

    #[test]
    fn the_bot_gives_only_roles_below_its_own() {
        let roles = vec![
            RoleFacts {
                id: r(1),
                name: "@everyone".into(),
                position: 0,
                managed: false,
                everyone: true,
            },
            RoleFacts {
                id: r(2),
                name: "Member".into(),
                position: 1,
                managed: false,
                everyone: false,
            },
            RoleFacts {
                id: r(3),
                name: "Chronix".into(),
                position: 2,
                managed: true,
                everyone: false,
            },
            RoleFacts {
                id: r(4),
                name: "Admin".into(),
                position: 3,
                managed: false,
                everyone: false,
            },
        ];
        assert_eq!(check_role(r(2), &roles, 2), Ok(()));
        assert_eq!(
            check_role(r(4), &roles, 2),
            Err(RoleProblem::AboveBot("Admin".into()))
        );
        assert_eq!(
            check_role(r(3), &roles, 5),
            Err(RoleProblem::Managed("Chronix".into()))
        );
        assert_eq!(check_role(r(1), &roles, 2), Err(RoleProblem::Everyone));
        assert_eq!(check_role(r(9), &roles, 2), Err(RoleProblem::Unknown(r(9))));
    }
}
