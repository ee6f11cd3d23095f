//! Mass actions (`massban` / `masskick`): reading the selection a moderator typed, choosing the
//! members it matches, and the members skipped with their reason. Pure: the caller lists the
//! members (with what invite tracking stored about their join) and passes the time.

use std::collections::BTreeMap;

use chrono::{DateTime, Duration, Utc};

use super::{Act, Hierarchy, HierarchyRefusal, check_target, parse_duration_max};
use crate::ids::{RoleId, UserId};
use crate::invites::account_age;

/// The longest window a selection accepts (`joined:`, `account:`): a year.
pub const MAX_WINDOW_SECS: i64 = 366 * 86_400;
/// Names shown in a preview.
pub const SAMPLE: usize = 10;
/// Most members one mass action takes.
pub const MAX_TARGETS: usize = 5_000;

/// What selects members; every criterion given must hold (they combine with "and").
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Selector {
    /// Members with this role.
    pub role: Option<RoleId>,
    /// Members who joined with this invite code.
    pub code: Option<String>,
    /// Members invited by this user.
    pub inviter: Option<UserId>,
    /// Members who joined within this span before now.
    pub joined_within: Option<Duration>,
    /// Members who joined at least this long ago (with `joined_within`: a window).
    pub joined_before: Option<Duration>,
    /// Accounts younger than this.
    pub account_younger_than: Option<Duration>,
    /// Bots are skipped unless this is set.
    pub include_bots: bool,
}

/// Why a selection could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SelectorError {
    /// No criterion: a mass action never takes the whole server.
    #[error("give at least one of role:, code:, inviter:, joined:, account:")]
    NoCriterion,
    /// A word that is not `key:value` with a known key.
    #[error("unknown selection word {0:?}")]
    UnknownWord(String),
    /// A key given twice.
    #[error("{0} given twice")]
    Repeated(&'static str),
    /// A role or user that is not a mention or an id.
    #[error("{0:?} is not a mention or an id")]
    BadId(String),
    /// A span that is not a duration (`7d`, `12h`) up to a year.
    #[error("{0:?} is not a duration up to a year")]
    BadSpan(String),
    /// An invite code with characters invite codes never have.
    #[error("{0:?} is not an invite code")]
    BadCode(String),
}

fn id_of(text: &str, prefixes: &[&str]) -> Option<u64> {
    let mut t = text.trim();
    for p in prefixes {
        if let Some(rest) = t.strip_prefix(p).and_then(|r| r.strip_suffix('>')) {
            t = rest;
            break;
        }
    }
    t.parse::<u64>().ok().filter(|n| *n > 0)
}

fn set<T>(slot: &mut Option<T>, v: T, key: &'static str) -> Result<(), SelectorError> {
    if slot.is_some() {
        return Err(SelectorError::Repeated(key));
    }
    *slot = Some(v);
    Ok(())
}

/// Reads a selection: words `role:<@&id|id>`, `code:<invite code or discord.gg link>`,
/// `inviter:<@id|id>`, `joined:<span>` (joined within the span), `before:<span>` (joined at
/// least that long ago), `account:<span>` (accounts younger than the span), `bots`.
pub fn parse_selector(text: &str) -> Result<Selector, SelectorError> {
    let mut s = Selector::default();
    for word in text.split_whitespace() {
        if word.eq_ignore_ascii_case("bots") {
            s.include_bots = true;
            continue;
        }
        let Some((key, value)) = word.split_once(':') else {
            return Err(SelectorError::UnknownWord(word.chars().take(40).collect()));
        };
        let span = |v: &str| {
            parse_duration_max(v, MAX_WINDOW_SECS)
                .map_err(|_| SelectorError::BadSpan(v.chars().take(40).collect()))
        };
        let bad_id = || SelectorError::BadId(value.chars().take(40).collect());
        match key.to_ascii_lowercase().as_str() {
            "role" => set(
                &mut s.role,
                RoleId::new(id_of(value, &["<@&"]).ok_or_else(bad_id)?),
                "role",
            )?,
            "inviter" => set(
                &mut s.inviter,
                UserId::new(id_of(value, &["<@!", "<@"]).ok_or_else(bad_id)?),
                "inviter",
            )?,
            "code" => {
                let code = value.rsplit('/').next().unwrap_or(value).trim().to_string();
                let ok = !code.is_empty()
                    && code.len() <= 32
                    && code
                        .chars()
                        .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
                if !ok {
                    return Err(SelectorError::BadCode(value.chars().take(40).collect()));
                }
                set(&mut s.code, code, "code")?
            }
            "joined" => set(&mut s.joined_within, span(value)?, "joined")?,
            "before" => set(&mut s.joined_before, span(value)?, "before")?,
            "account" => set(&mut s.account_younger_than, span(value)?, "account")?,
            _ => return Err(SelectorError::UnknownWord(word.chars().take(40).collect())),
        }
    }
    let any = s.role.is_some()
        || s.code.is_some()
        || s.inviter.is_some()
        || s.joined_within.is_some()
        || s.joined_before.is_some()
        || s.account_younger_than.is_some();
    if !any {
        return Err(SelectorError::NoCriterion);
    }
    Ok(s)
}

/// One member as the selection sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate {
    /// Who.
    pub user: UserId,
    /// Their name (for the preview).
    pub name: String,
    /// A bot account.
    pub bot: bool,
    /// Their roles.
    pub roles: Vec<RoleId>,
    /// When they joined (Discord's member object).
    pub joined_at: Option<DateTime<Utc>>,
    /// The invite code they joined with (invite tracking), if known.
    pub code: Option<String>,
    /// Who invited them (invite tracking), if known.
    pub inviter: Option<UserId>,
}

/// Why a matching member is left out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Skip {
    /// A bot, and bots were not asked for.
    Bot,
    /// The hierarchy forbids it (owner, the moderator, the bot, a role not below theirs).
    Hierarchy(HierarchyRefusalKey),
}

/// [`HierarchyRefusal`] as an ordered key (for counting skips by reason).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum HierarchyRefusalKey {
    /// The moderator themself.
    SelfTarget,
    /// The server owner.
    Owner,
    /// The bot itself.
    TheBot,
    /// Highest role not below the moderator's.
    AboveModerator,
    /// Highest role not below the bot's.
    AboveBot,
}

impl HierarchyRefusalKey {
    fn of(r: HierarchyRefusal) -> Self {
        match r {
            HierarchyRefusal::SelfTarget => Self::SelfTarget,
            HierarchyRefusal::TargetIsOwner => Self::Owner,
            HierarchyRefusal::TargetIsBot => Self::TheBot,
            HierarchyRefusal::BotTooLow => Self::AboveBot,
            _ => Self::AboveModerator,
        }
    }
}

/// What a selection gives: the members to act on (in the order listed), a sample of their
/// names, and the matching members skipped, counted by reason.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Selection {
    /// Members to act on.
    pub targets: Vec<UserId>,
    /// Up to [`SAMPLE`] of their names.
    pub sample: Vec<String>,
    /// Matching members skipped, by reason.
    pub skipped: BTreeMap<Skip, usize>,
    /// Members beyond [`MAX_TARGETS`] left out.
    pub over_limit: usize,
}

impl Selection {
    /// How many matching members were skipped.
    pub fn skipped_total(&self) -> usize {
        self.skipped.values().sum()
    }
}

/// Whether `c` matches every criterion of `s` at `now`.
pub fn matches(s: &Selector, c: &Candidate, now: DateTime<Utc>) -> bool {
    if let Some(r) = s.role
        && !c.roles.contains(&r)
    {
        return false;
    }
    if let Some(code) = &s.code
        && c.code.as_deref() != Some(code.as_str())
    {
        return false;
    }
    if let Some(i) = s.inviter
        && c.inviter != Some(i)
    {
        return false;
    }
    if let Some(w) = s.joined_within
        && c.joined_at.is_none_or(|j| j < now - w)
    {
        return false;
    }
    if let Some(b) = s.joined_before
        && c.joined_at.is_none_or(|j| j > now - b)
    {
        return false;
    }
    if let Some(a) = s.account_younger_than
        && account_age(c.user, now) >= a
    {
        return false;
    }
    true
}

/// Chooses the members of `candidates` that `s` selects, leaving out (with the reason) bots
/// unless asked for and anyone the hierarchy protects from `moderator` or the bot.
pub fn select(
    s: &Selector,
    h: &Hierarchy,
    moderator: UserId,
    moderator_roles: &[RoleId],
    bot_roles: &[RoleId],
    candidates: &[Candidate],
    now: DateTime<Utc>,
) -> Selection {
    let mut out = Selection::default();
    for c in candidates.iter().filter(|c| matches(s, c, now)) {
        let skip = match check_target(
            h,
            Act::OnMember,
            moderator,
            moderator_roles,
            bot_roles,
            c.user,
            Some(&c.roles),
        ) {
            Err(r) => Some(Skip::Hierarchy(HierarchyRefusalKey::of(r))),
            Ok(()) if c.bot && !s.include_bots => Some(Skip::Bot),
            Ok(()) => None,
        };
        if let Some(k) = skip {
            *out.skipped.entry(k).or_default() += 1;
        } else if out.targets.len() >= MAX_TARGETS {
            out.over_limit += 1;
        } else {
            if out.sample.len() < SAMPLE {
                out.sample.push(c.name.clone());
            }
            out.targets.push(c.user);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use std::collections::HashMap;

    const OWNER: UserId = UserId::new(1);
    const BOT: UserId = UserId::new(2);
    const MOD: UserId = UserId::new(3);
    const LOW: RoleId = RoleId::new(10);
    const MODROLE: RoleId = RoleId::new(20);
    const BOTROLE: RoleId = RoleId::new(30);

    fn h() -> Hierarchy {
        Hierarchy {
            owner: OWNER,
            bot: BOT,
            positions: HashMap::from([(LOW, 1), (MODROLE, 5), (BOTROLE, 10)]),
        }
    }

    fn now() -> DateTime<Utc> {
        DateTime::parse_from_rfc3339("2026-06-01T00:00:00Z")
            .unwrap()
            .with_timezone(&Utc)
    }

    /// A user id whose account was made `days` before [`now`].
    fn user_made(days: i64, n: u64) -> UserId {
        let ms = (now() - Duration::days(days)).timestamp_millis() as u64;
        UserId::new(((ms - crate::invites::DISCORD_EPOCH_MS) << 22) | n)
    }

    fn cand(user: UserId, roles: &[RoleId], code: Option<&str>, joined_days_ago: i64) -> Candidate {
        Candidate {
            user,
            name: format!("u{}", user.get() & 0xFFFF),
            bot: false,
            roles: roles.to_vec(),
            joined_at: Some(now() - Duration::days(joined_days_ago)),
            code: code.map(str::to_string),
            inviter: code.map(|_| UserId::new(77)),
        }
    }

    #[test]
    fn selections_are_read() {
        let s = parse_selector("code:https://discord.gg/abc123 joined:2h bots").unwrap();
        assert_eq!(s.code.as_deref(), Some("abc123"));
        assert_eq!(s.joined_within, Some(Duration::hours(2)));
        assert!(s.include_bots);
        let s = parse_selector("role:<@&55> inviter:<@66> account:7d before:1d").unwrap();
        assert_eq!(s.role, Some(RoleId::new(55)));
        assert_eq!(s.inviter, Some(UserId::new(66)));
        assert_eq!(s.account_younger_than, Some(Duration::days(7)));
        assert_eq!(s.joined_before, Some(Duration::days(1)));
        assert_eq!(parse_selector("bots"), Err(SelectorError::NoCriterion));
        assert_eq!(parse_selector(""), Err(SelectorError::NoCriterion));
        assert_eq!(
            parse_selector("everyone"),
            Err(SelectorError::UnknownWord("everyone".into()))
        );
        assert_eq!(
            parse_selector("role:1 role:2"),
            Err(SelectorError::Repeated("role"))
        );
        assert_eq!(
            parse_selector("role:@mods"),
            Err(SelectorError::BadId("@mods".into()))
        );
        assert_eq!(
            parse_selector("joined:forever"),
            Err(SelectorError::BadSpan("forever".into()))
        );
        assert_eq!(
            parse_selector("joined:400d"),
            Err(SelectorError::BadSpan("400d".into()))
        );
        assert_eq!(
            parse_selector("code:a<b"),
            Err(SelectorError::BadCode("a<b".into()))
        );
    }

    #[test]
    fn criteria_combine_and_protected_members_are_skipped_with_reasons() {
        let raider = user_made(1, 1);
        let old = user_made(400, 2);
        let mut bot = cand(user_made(1, 3), &[], Some("raid"), 0);
        bot.bot = true;
        let candidates = vec![
            cand(raider, &[], Some("raid"), 0),
            cand(old, &[], Some("raid"), 0),
            cand(user_made(1, 4), &[], Some("other"), 0),
            cand(user_made(1, 5), &[MODROLE], Some("raid"), 0),
            cand(user_made(1, 6), &[BOTROLE], Some("raid"), 0),
            cand(OWNER, &[], Some("raid"), 0),
            cand(MOD, &[MODROLE], Some("raid"), 0),
            bot.clone(),
            cand(user_made(1, 7), &[], Some("raid"), 10),
        ];
        let s = parse_selector("code:raid joined:1d").unwrap();
        let sel = select(&s, &h(), MOD, &[MODROLE], &[BOTROLE], &candidates, now());
        assert_eq!(sel.targets, [raider, old]);
        assert_eq!(
            sel.sample,
            [candidates[0].name.clone(), candidates[1].name.clone()]
        );
        assert_eq!(
            sel.skipped,
            BTreeMap::from([
                (Skip::Bot, 1),
                (Skip::Hierarchy(HierarchyRefusalKey::SelfTarget), 1),
                (Skip::Hierarchy(HierarchyRefusalKey::Owner), 1),
                (Skip::Hierarchy(HierarchyRefusalKey::AboveModerator), 2),
            ])
        );
        // The account age narrows it to the new account (the owner's and the moderator's
        // accounts are old, so they no longer match at all).
        let s = parse_selector("code:raid account:7d joined:1d").unwrap();
        let sel = select(&s, &h(), MOD, &[MODROLE], &[BOTROLE], &candidates, now());
        assert_eq!(sel.targets, [raider]);
        assert_eq!(sel.skipped_total(), 3);
        // Asked for, the bot is taken.
        let s = parse_selector("code:raid account:7d joined:1d bots").unwrap();
        let sel = select(&s, &h(), MOD, &[MODROLE], &[BOTROLE], &candidates, now());
        assert_eq!(sel.targets, [raider, bot.user]);
        // The owner as moderator is stopped only by the bot's own role.
        let s = parse_selector("code:raid").unwrap();
        let sel = select(&s, &h(), OWNER, &[], &[BOTROLE], &candidates, now());
        assert_eq!(
            sel.skipped
                .get(&Skip::Hierarchy(HierarchyRefusalKey::AboveBot)),
            Some(&1)
        );
        assert_eq!(sel.skipped_total(), 3, "{:?}", sel.skipped);
    }

    fn arb_candidate() -> impl Strategy<Value = Candidate> {
        (
            1u64..5_000,
            0i64..30,
            proptest::option::of(prop_oneof![Just(LOW), Just(MODROLE), Just(BOTROLE)]),
            proptest::option::of(prop_oneof![Just("a"), Just("b")]),
            0i64..30,
            any::<bool>(),
        )
            .prop_map(|(n, made, role, code, joined, bot)| {
                let mut c = cand(
                    user_made(made, n),
                    &role.into_iter().collect::<Vec<_>>(),
                    code,
                    joined,
                );
                c.bot = bot;
                c
            })
    }

    fn arb_selector() -> impl Strategy<Value = Selector> {
        (
            proptest::option::of(prop_oneof![Just(LOW), Just(MODROLE)]),
            proptest::option::of(prop_oneof![Just("a".to_string()), Just("b".to_string())]),
            proptest::option::of((1i64..30).prop_map(Duration::days)),
            proptest::option::of((1i64..30).prop_map(Duration::days)),
            any::<bool>(),
        )
            .prop_map(
                |(role, code, joined_within, account, include_bots)| Selector {
                    role,
                    code,
                    joined_within,
                    account_younger_than: account,
                    include_bots,
                    ..Selector::default()
                },
            )
    }

    proptest! {
        /// Every matching member is either a target or skipped (never both, never lost);
        /// targets all match, none is protected, bots only when asked; the sample is a prefix.
        #[test]
        fn selection_partitions_the_matching_members(
            candidates in proptest::collection::vec(arb_candidate(), 0..60),
            s in arb_selector(),
        ) {
            // A member is listed once (two generated candidates may share an id).
            let mut seen = std::collections::HashSet::new();
            let candidates: Vec<Candidate> =
                candidates.into_iter().filter(|c| seen.insert(c.user)).collect();
            let sel = select(&s, &h(), MOD, &[MODROLE], &[BOTROLE], &candidates, now());
            let matching = candidates.iter().filter(|c| matches(&s, c, now())).count();
            prop_assert_eq!(sel.targets.len() + sel.skipped_total() + sel.over_limit, matching);
            for t in &sel.targets {
                let c = candidates.iter().find(|c| c.user == *t).unwrap();
                prop_assert!(matches(&s, c, now()));
                prop_assert!(s.include_bots || !c.bot);
                prop_assert!(h().top(&c.roles) < h().top(&[MODROLE]));
                prop_assert!(*t != MOD && *t != OWNER && *t != BOT);
            }
            prop_assert!(sel.sample.len() <= SAMPLE.min(sel.targets.len()));
        }

        /// Random text never panics: a selection or a typed error.
        #[test]
        fn any_text_reads_or_is_refused(text in "\\PC{0,80}") {
            let _ = parse_selector(&text);
        }
    }
}
