//! Invite tracking rules: which invite a member joined with (comparing invite uses before and
//! after the join), fake joins (an account younger than the server's limit), the counts shown
//! by `invites` and the reward roles due at a count. Pure: the caller fetches the invites and
//! passes the times.

use std::collections::BTreeMap;

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

use crate::ids::{ChannelId, RoleId, UserId};

/// Discord's epoch (2015-01-01T00:00:00Z) in milliseconds since the Unix epoch.
pub const DISCORD_EPOCH_MS: u64 = 1_420_070_400_000;

/// When a Discord id was made (for a user: when the account was created).
pub fn snowflake_time(id: u64) -> DateTime<Utc> {
    let ms = (id >> 22).saturating_add(DISCORD_EPOCH_MS);
    DateTime::from_timestamp_millis(i64::try_from(ms).unwrap_or(i64::MAX)).unwrap_or_default()
}

/// The account age of `user` at `at` (zero when the id is from the future).
pub fn account_age(user: UserId, at: DateTime<Utc>) -> Duration {
    (at - snowflake_time(user.get())).max(Duration::zero())
}

/// A join is fake when the account was younger than `min_age_days` at the join (0: never).
pub fn is_fake(user: UserId, joined_at: DateTime<Utc>, min_age_days: u64) -> bool {
    min_age_days > 0
        && account_age(user, joined_at) < Duration::days(i64::try_from(min_age_days).unwrap_or(0))
}

/// One invite as the cache keeps it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct InviteUse {
    /// Who created it (`None`: unknown, e.g. a widget invite).
    pub inviter: Option<UserId>,
    /// Times used.
    pub uses: u64,
    /// Most uses before Discord deletes it (0: unlimited).
    pub max_uses: u64,
}

/// A guild's invites by code (the vanity URL is kept apart, see [`attribute`]).
pub type InviteUses = BTreeMap<String, InviteUse>;

/// How a member joined.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum JoinSource {
    /// Through this invite, made by `inviter`.
    Invite {
        /// The code.
        code: String,
        /// Who made it, when known.
        inviter: Option<UserId>,
    },
    /// Through the server's vanity URL.
    Vanity,
    /// Not known: no count moved, or several did (two joins at once), or the invites could not
    /// be read.
    Unknown,
}

impl JoinSource {
    /// The stored name: `invite`, `vanity` or `unknown`.
    pub fn kind(&self) -> &'static str {
        match self {
            JoinSource::Invite { .. } => "invite",
            JoinSource::Vanity => "vanity",
            JoinSource::Unknown => "unknown",
        }
    }
}

/// Which invite a join used, from the invites before (`before`, the cache) and after (`after`,
/// fetched at the join) and the vanity URL's uses before and after (`None`: no vanity URL or
/// not readable).
///
/// Exactly one invite whose uses went up is that invite. When none went up, an invite that
/// disappeared while one use short of its `max_uses` was used up by this join (Discord deletes
/// it). Otherwise a vanity count that went up means the vanity URL; anything else (no change,
/// or several invites at once) is [`JoinSource::Unknown`].
pub fn attribute(
    before: &InviteUses,
    after: &InviteUses,
    vanity_before: Option<u64>,
    vanity_after: Option<u64>,
) -> JoinSource {
    let grown: Vec<(&String, &InviteUse)> = after
        .iter()
        .filter(|(code, now)| now.uses > before.get(*code).map_or(0, |b| b.uses))
        .collect();
    let pick = |code: &String, inv: &InviteUse| JoinSource::Invite {
        code: code.clone(),
        inviter: inv.inviter,
    };
    match grown.as_slice() {
        [(code, inv)] => return pick(code, inv),
        [] => {}
        _ => return JoinSource::Unknown,
    }
    let used_up: Vec<(&String, &InviteUse)> = before
        .iter()
        .filter(|(code, b)| {
            !after.contains_key(*code) && b.max_uses > 0 && b.uses + 1 >= b.max_uses
        })
        .collect();
    if let [(code, inv)] = used_up.as_slice() {
        return pick(code, inv);
    }
    match (vanity_before, vanity_after) {
        (b, Some(a)) if used_up.is_empty() && a > b.unwrap_or(0) => JoinSource::Vanity,
        _ => JoinSource::Unknown,
    }
}

/// The cache to keep after a join was attributed to `source`: the invites as fetched
/// (`after`), except that an invite that grew by more than one use since `before` gives only
/// one use to this join. The rest belong to joins whose events are still queued (a burst of
/// joins through one invite); they stay for those joins to find.
pub fn after_join(before: &InviteUses, mut after: InviteUses, source: &JoinSource) -> InviteUses {
    if let JoinSource::Invite { code, .. } = source {
        let had = before.get(code).map_or(0, |b| b.uses);
        if let Some(now) = after.get_mut(code) {
            if now.uses > had + 1 {
                now.uses = had + 1;
            }
        }
    }
    after
}

/// What one reading of the invites tells about the joins that waited for it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attributed {
    /// How each join came, in the order the joins arrived.
    pub sources: Vec<JoinSource>,
    /// The invite cache to keep.
    pub uses: InviteUses,
    /// The vanity URL's uses to keep.
    pub vanity: Option<u64>,
}

/// Which invite each of `joins` members used, from one reading of the invites taken after
/// they all joined (a burst of joins is compared once, not once per join: Discord limits how
/// often the invites may be read).
///
/// One join is [`attribute`] and [`after_join`]. For several:
/// - the moved counts are the invites whose uses went up, the used-up invites that vanished
///   (see [`attribute`]) and the vanity URL;
/// - when only one count moved, the joins take its new uses in order (the rest stay in the
///   cache for joins still to come) and any join left over is [`JoinSource::Unknown`];
/// - when several moved and their new uses are exactly the number of joins, every use is one
///   of these joins: they are dealt out in order (invites by code, the vanity URL last). Each
///   invite's count is then exact; which of the members came by which of those invites is a
///   guess;
/// - otherwise (several moved, with more or fewer uses than joins) every join is unknown.
pub fn attribute_batch(
    before: &InviteUses,
    after: InviteUses,
    vanity_before: Option<u64>,
    vanity_after: Option<u64>,
    joins: usize,
) -> Attributed {
    if joins <= 1 {
        let sources = if joins == 1 {
            vec![attribute(before, &after, vanity_before, vanity_after)]
        } else {
            Vec::new()
        };
        let uses = match sources.first() {
            Some(s) => after_join(before, after, s),
            None => after,
        };
        return Attributed {
            sources,
            uses,
            vanity: vanity_after,
        };
    }
    // (source, new uses, the code when it is an invite still listed)
    let mut moved: Vec<(JoinSource, u64, Option<&String>)> = Vec::new();
    for (code, now) in &after {
        let had = before.get(code).map_or(0, |b| b.uses);
        if now.uses > had {
            let source = JoinSource::Invite {
                code: code.clone(),
                inviter: now.inviter,
            };
            moved.push((source, now.uses - had, Some(code)));
        }
    }
    for (code, b) in before {
        if !after.contains_key(code) && b.max_uses > 0 && b.uses + 1 >= b.max_uses {
            let source = JoinSource::Invite {
                code: code.clone(),
                inviter: b.inviter,
            };
            moved.push((source, b.max_uses.saturating_sub(b.uses).max(1), None));
        }
    }
    if let Some(a) = vanity_after {
        let had = vanity_before.unwrap_or(0);
        if a > had {
            moved.push((JoinSource::Vanity, a - had, None));
        }
    }
    let total: u64 = moved.iter().map(|(_, n, _)| n).sum();
    let mut uses = after.clone();
    let mut vanity = vanity_after;
    let sources = match moved.as_slice() {
        [(source, n, code)] => {
            let taken = usize::try_from(*n).unwrap_or(usize::MAX).min(joins);
            // Uses not taken stay for the joins still to come.
            let taken_u64 = taken as u64;
            if let Some(code) = code {
                let had = before.get(*code).map_or(0, |b| b.uses);
                if let Some(u) = uses.get_mut(*code) {
                    u.uses = had + taken_u64;
                }
            } else if *source == JoinSource::Vanity {
                vanity = Some(vanity_before.unwrap_or(0) + taken_u64);
            }
            let mut v = vec![source.clone(); taken];
            v.resize(joins, JoinSource::Unknown);
            v
        }
        _ if total == joins as u64 => moved
            .iter()
            .flat_map(|(s, n, _)| std::iter::repeat_n(s.clone(), *n as usize))
            .collect(),
        _ => vec![JoinSource::Unknown; joins],
    };
    Attributed {
        sources,
        uses,
        vanity,
    }
}

/// An inviter's counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct InviteCounts {
    /// Members they invited who are still here and not fake.
    pub regular: i64,
    /// Joins through their invites by accounts younger than the limit.
    pub fake: i64,
    /// Members they invited (not fake) who left.
    pub left: i64,
    /// Added or taken by an admin (`invites bonus`).
    pub bonus: i64,
}

impl InviteCounts {
    /// The count that ranks and earns rewards: regular plus bonus (never below zero).
    pub fn total(&self) -> i64 {
        (self.regular + self.bonus).max(0)
    }
}

/// A reward role given once an inviter's total reaches `count`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct InviteReward {
    /// Invites needed (≥ 1).
    pub count: u32,
    /// The role given.
    pub role: RoleId,
}

/// Most reward roles a server may set.
pub const MAX_REWARDS: usize = 25;

/// A server's invite-tracking settings.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct InviteSettings {
    /// Where "X invited Y (total: Z)" goes (`None`: nowhere).
    pub channel: Option<ChannelId>,
    /// Reward roles, by count.
    #[serde(default)]
    pub rewards: Vec<InviteReward>,
}

/// A broken settings rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum InviteSettingsError {
    /// A reward count of 0.
    #[error("a reward needs at least one invite")]
    ZeroCount,
    /// More than [`MAX_REWARDS`] rewards.
    #[error("at most {0} reward roles")]
    TooMany(usize),
}

impl InviteSettings {
    /// Sets the reward at `count` (replacing that count's role), kept sorted by count.
    pub fn set_reward(&mut self, count: u32, role: RoleId) {
        self.rewards.retain(|r| r.count != count);
        self.rewards.push(InviteReward { count, role });
        self.rewards.sort_by_key(|r| r.count);
    }

    /// Checks the rules every write keeps.
    pub fn validate(&self) -> Result<(), InviteSettingsError> {
        if self.rewards.iter().any(|r| r.count == 0) {
            return Err(InviteSettingsError::ZeroCount);
        }
        if self.rewards.len() > MAX_REWARDS {
            return Err(InviteSettingsError::TooMany(MAX_REWARDS));
        }
        Ok(())
    }

    /// The rewards an inviter with `total` invites has reached.
    pub fn rewards_due(&self, total: i64) -> Vec<InviteReward> {
        self.rewards
            .iter()
            .filter(|r| i64::from(r.count) <= total)
            .copied()
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn uses(list: &[(&str, u64, u64, u64)]) -> InviteUses {
        list.iter()
            .map(|(c, inviter, uses, max)| {
                (
                    c.to_string(),
                    InviteUse {
                        inviter: Some(UserId::new(*inviter)),
                        uses: *uses,
                        max_uses: *max,
                    },
                )
            })
            .collect()
    }

    fn invite(code: &str, inviter: u64) -> JoinSource {
        JoinSource::Invite {
            code: code.into(),
            inviter: Some(UserId::new(inviter)),
        }
    }

    #[test]
    fn the_invite_whose_uses_went_up_is_the_one() {
        let before = uses(&[("aaa", 1, 3, 0), ("bbb", 2, 0, 0)]);
        let after = uses(&[("aaa", 1, 3, 0), ("bbb", 2, 1, 0)]);
        assert_eq!(attribute(&before, &after, None, None), invite("bbb", 2));
        // An invite created after the cache was filled and used at once.
        let after = uses(&[("aaa", 1, 3, 0), ("bbb", 2, 0, 0), ("new", 7, 1, 0)]);
        assert_eq!(attribute(&before, &after, None, None), invite("new", 7));
    }

    #[test]
    fn a_used_up_invite_that_vanished_is_the_one() {
        let before = uses(&[("aaa", 1, 4, 5), ("bbb", 2, 0, 0)]);
        let after = uses(&[("bbb", 2, 0, 0)]);
        assert_eq!(attribute(&before, &after, None, None), invite("aaa", 1));
        // Deleted by hand (not one short of its limit): not a use.
        let before = uses(&[("aaa", 1, 1, 5)]);
        assert_eq!(
            attribute(&before, &InviteUses::new(), None, None),
            JoinSource::Unknown
        );
    }

    #[test]
    fn vanity_and_unknown_are_labelled() {
        let inv = uses(&[("aaa", 1, 3, 0)]);
        assert_eq!(attribute(&inv, &inv, Some(4), Some(5)), JoinSource::Vanity);
        assert_eq!(attribute(&inv, &inv, None, Some(1)), JoinSource::Vanity);
        assert_eq!(attribute(&inv, &inv, Some(5), Some(5)), JoinSource::Unknown);
        assert_eq!(attribute(&inv, &inv, None, None), JoinSource::Unknown);
        // Two invites moved at once (two joins between fetches): not guessed.
        let after = uses(&[("aaa", 1, 4, 0), ("ccc", 3, 1, 0)]);
        assert_eq!(attribute(&inv, &after, None, None), JoinSource::Unknown);
        assert_eq!(JoinSource::Vanity.kind(), "vanity");
        assert_eq!(invite("x", 1).kind(), "invite");
    }

    #[test]
    fn a_burst_through_one_invite_is_attributed_one_join_at_a_time() {
        // Three joins through `aaa` happened before the first join's fetch.
        let mut cache = uses(&[("aaa", 1, 3, 0), ("bbb", 2, 0, 0)]);
        let fetched = uses(&[("aaa", 1, 6, 0), ("bbb", 2, 0, 0)]);
        for kept in [4, 5, 6] {
            let source = attribute(&cache, &fetched, None, None);
            assert_eq!(source, invite("aaa", 1));
            cache = after_join(&cache, fetched.clone(), &source);
            assert_eq!(cache["aaa"].uses, kept);
        }
        // All three are counted: a fourth join with nothing new is unknown.
        assert_eq!(attribute(&cache, &fetched, None, None), JoinSource::Unknown);
        // Unknown and vanity joins keep the fetch as it is.
        let before = uses(&[("aaa", 1, 3, 0)]);
        let after = uses(&[("aaa", 1, 9, 0)]);
        assert_eq!(
            after_join(&before, after.clone(), &JoinSource::Vanity),
            after
        );
    }

    #[test]
    fn a_burst_read_once_is_dealt_out_in_order() {
        let before = uses(&[("aaa", 1, 3, 0), ("bbb", 2, 0, 0)]);
        // One join: the single-join rule.
        let after = uses(&[("aaa", 1, 4, 0), ("bbb", 2, 0, 0)]);
        let one = attribute_batch(&before, after.clone(), None, None, 1);
        assert_eq!(one.sources, vec![invite("aaa", 1)]);
        assert_eq!(one.uses, after);
        // Three joins, five new uses of `aaa`: three are theirs, two stay for later joins.
        let after = uses(&[("aaa", 1, 8, 0), ("bbb", 2, 0, 0)]);
        let three = attribute_batch(&before, after, None, None, 3);
        assert_eq!(three.sources, vec![invite("aaa", 1); 3]);
        assert_eq!(three.uses["aaa"].uses, 6);
        // Four joins, two new uses of `aaa`: the two others are unknown.
        let after = uses(&[("aaa", 1, 5, 0), ("bbb", 2, 0, 0)]);
        let four = attribute_batch(&before, after, None, None, 4);
        assert_eq!(
            four.sources,
            vec![
                invite("aaa", 1),
                invite("aaa", 1),
                JoinSource::Unknown,
                JoinSource::Unknown
            ]
        );
        assert_eq!(four.uses["aaa"].uses, 5);
    }

    #[test]
    fn a_burst_through_several_invites_counts_each_exactly_or_not_at_all() {
        let before = uses(&[("aaa", 1, 3, 0), ("bbb", 2, 0, 0), ("ccc", 3, 1, 2)]);
        // aaa +2, bbb +1, ccc used up (vanished one short of its limit), vanity +1: five uses.
        let after = uses(&[("aaa", 1, 5, 0), ("bbb", 2, 1, 0)]);
        let five = attribute_batch(&before, after.clone(), Some(7), Some(8), 5);
        assert_eq!(
            five.sources,
            vec![
                invite("aaa", 1),
                invite("aaa", 1),
                invite("bbb", 2),
                invite("ccc", 3),
                JoinSource::Vanity
            ]
        );
        assert_eq!((five.uses, five.vanity), (after.clone(), Some(8)));
        // Six joins for five uses (or four for five): no guess.
        for n in [4, 6] {
            let got = attribute_batch(&before, after.clone(), Some(7), Some(8), n);
            assert_eq!(got.sources, vec![JoinSource::Unknown; n]);
        }
        // Only the vanity URL moved, by more than the joins: the rest stays.
        let same = before.clone();
        let v = attribute_batch(&before, same, Some(7), Some(10), 2);
        assert_eq!(v.sources, vec![JoinSource::Vanity; 2]);
        assert_eq!(v.vanity, Some(9));
        assert!(
            attribute_batch(&before, before.clone(), None, None, 0)
                .sources
                .is_empty()
        );
    }

    #[test]
    fn fake_is_an_account_younger_than_the_limit() {
        let joined = DateTime::parse_from_rfc3339("2026-01-10T00:00:00Z")
            .unwrap()
            .with_timezone(&Utc);
        let made = |at: DateTime<Utc>| {
            UserId::new(((at.timestamp_millis() as u64) - DISCORD_EPOCH_MS) << 22)
        };
        let young = made(joined - Duration::days(3));
        let old = made(joined - Duration::days(30));
        assert_eq!(snowflake_time(young.get()), joined - Duration::days(3));
        assert!(is_fake(young, joined, 7));
        assert!(!is_fake(old, joined, 7));
        assert!(!is_fake(young, joined, 0), "0 turns it off");
    }

    #[test]
    fn totals_and_rewards() {
        let c = InviteCounts {
            regular: 5,
            fake: 2,
            left: 1,
            bonus: -10,
        };
        assert_eq!(c.total(), 0);
        let mut s = InviteSettings::default();
        s.set_reward(10, RoleId::new(2));
        s.set_reward(3, RoleId::new(1));
        s.set_reward(10, RoleId::new(3));
        assert_eq!(
            s.rewards.iter().map(|r| r.count).collect::<Vec<_>>(),
            [3, 10]
        );
        assert_eq!(s.rewards_due(5).len(), 1);
        assert_eq!(s.rewards_due(10).len(), 2);
        assert!(s.validate().is_ok());
        s.set_reward(0, RoleId::new(9));
        assert_eq!(s.validate(), Err(InviteSettingsError::ZeroCount));
    }

    proptest! {
        /// One join through any invite (or a used-up one) is attributed to exactly that invite.
        #[test]
        fn one_join_is_attributed_to_its_invite(
            counts in proptest::collection::vec((0u64..50, 0u64..3), 1..12),
            pick in 0usize..12,
        ) {
            let before: InviteUses = counts.iter().enumerate().map(|(i, (u, extra))| {
                let max = if *extra == 0 { 0 } else { u + extra };
                (format!("c{i}"), InviteUse { inviter: Some(UserId::new(i as u64)), uses: *u, max_uses: max })
            }).collect();
            let code = format!("c{}", pick % counts.len());
            let mut after = before.clone();
            let inv = after.get_mut(&code).unwrap();
            inv.uses += 1;
            if inv.max_uses > 0 && inv.uses >= inv.max_uses {
                after.remove(&code);
            }
            let got = attribute(&before, &after, Some(3), Some(3));
            prop_assert_eq!(got, JoinSource::Invite { code: code.clone(), inviter: before[&code].inviter });
        }
    }
}
