use super::*;
use proptest::prelude::*;

fn secs(s: &str) -> i64 {
    parse_duration(s).unwrap().num_seconds()
}

#[test]
fn every_accepted_form() {
    assert_eq!(secs("10m"), 600);
    assert_eq!(secs("2h"), 7_200);
    assert_eq!(secs("7d"), 604_800);
    assert_eq!(secs("1w"), 604_800);
    assert_eq!(secs("90s"), 90);
    assert_eq!(secs("1h30m"), 5_400);
    assert_eq!(secs("1d 12h"), 129_600);
    assert_eq!(secs("1D2H3M4S"), 93_784);
    assert_eq!(secs("  3 days "), 259_200);
    assert_eq!(secs("5min"), 300);
    assert_eq!(secs("2 hours 15 minutes"), 8_100);
    assert_eq!(secs("1wk"), 604_800);
    assert_eq!(secs("45 sec"), 45);
}

#[test]
fn clear_errors_for_the_rest() {
    assert_eq!(parse_duration(""), Err(DurationError::Empty));
    assert_eq!(parse_duration("   "), Err(DurationError::Empty));
    assert_eq!(
        parse_duration("10"),
        Err(DurationError::MissingUnit("10".into()))
    );
    assert_eq!(
        parse_duration("10x"),
        Err(DurationError::UnknownUnit("10x".into()))
    );
    assert_eq!(
        parse_duration("h"),
        Err(DurationError::Malformed("h".into()))
    );
    assert_eq!(
        parse_duration("1h-5m"),
        Err(DurationError::Malformed("-5m".into()))
    );
    assert_eq!(parse_duration("0m"), Err(DurationError::Zero));
    assert_eq!(
        parse_duration("99999999999999999999d"),
        Err(DurationError::TooLong {
            max_secs: MAX_DURATION_SECS
        })
    );
    assert_eq!(
        parse_duration_max("29d", MAX_TIMEOUT_SECS),
        Err(DurationError::TooLong {
            max_secs: MAX_TIMEOUT_SECS
        })
    );
    assert_eq!(
        parse_duration_max("28d", MAX_TIMEOUT_SECS)
            .unwrap()
            .num_days(),
        28
    );
    assert!(
        DurationError::MissingUnit("10".into())
            .to_string()
            .contains("add s, m, h, d or w")
    );
}

fn r(n: u64) -> RoleId {
    RoleId::new(n)
}

fn h() -> Hierarchy {
    let mut positions = HashMap::new();
    positions.insert(r(1), 0); // @everyone
    positions.insert(r(10), 1); // member
    positions.insert(r(20), 5); // mod
    positions.insert(r(30), 8); // bot
    positions.insert(r(40), 10); // admin above bot
    Hierarchy {
        owner: UserId::new(100),
        bot: UserId::new(200),
        positions,
    }
}

#[test]
fn hierarchy_rules() {
    let h = h();
    let (owner, bot, m, t) = (
        UserId::new(100),
        UserId::new(200),
        UserId::new(300),
        UserId::new(400),
    );
    let bot_roles = [r(30)];
    let ok = |actor, ar: &[RoleId], tr: Option<&[RoleId]>| {
        check_target(&h, Act::OnMember, actor, ar, &bot_roles, t, tr)
    };
    assert_eq!(ok(m, &[r(20)], Some(&[r(10)])), Ok(()));
    assert_eq!(ok(m, &[r(20)], None), Ok(()), "non-member: no role check");
    assert_eq!(
        ok(m, &[r(20)], Some(&[r(20)])),
        Err(HierarchyRefusal::ModeratorTooLow),
        "same top role"
    );
    assert_eq!(
        ok(m, &[r(40)], Some(&[r(40)])),
        Err(HierarchyRefusal::ModeratorTooLow)
    );
    assert_eq!(
        ok(owner, &[], Some(&[r(40)])),
        Err(HierarchyRefusal::BotTooLow),
        "owner outranks everyone but the bot still must"
    );
    assert_eq!(ok(owner, &[], Some(&[r(20)])), Ok(()));
    assert_eq!(
        check_target(&h, Act::Warn, owner, &[], &bot_roles, t, Some(&[r(40)])),
        Ok(()),
        "a warning needs no bot rank"
    );
    assert_eq!(
        check_target(&h, Act::OnMember, m, &[r(40)], &bot_roles, m, Some(&[])),
        Err(HierarchyRefusal::SelfTarget)
    );
    assert_eq!(
        check_target(&h, Act::OnMember, m, &[r(40)], &bot_roles, owner, None),
        Err(HierarchyRefusal::TargetIsOwner)
    );
    assert_eq!(
        check_target(&h, Act::OnMember, m, &[r(40)], &bot_roles, bot, None),
        Err(HierarchyRefusal::TargetIsBot)
    );
    assert_eq!(
        ok(m, &[], Some(&[])),
        Err(HierarchyRefusal::ModeratorTooLow),
        "no roles against no roles"
    );
}

#[test]
fn role_rules() {
    let h = h();
    let m = UserId::new(300);
    assert_eq!(check_role(&h, m, &[r(20)], &[r(30)], r(10), false), Ok(()));
    assert_eq!(
        check_role(&h, m, &[r(20)], &[r(30)], r(20), false),
        Err(HierarchyRefusal::RoleAboveModerator)
    );
    assert_eq!(
        check_role(&h, UserId::new(100), &[], &[r(30)], r(40), false),
        Err(HierarchyRefusal::RoleAboveBot)
    );
    assert_eq!(
        check_role(&h, m, &[r(40)], &[r(30)], r(1), true),
        Err(HierarchyRefusal::RoleNotAssignable)
    );
}

#[test]
fn action_args() {
    let a = parse_action_args(Some("7d spamming links"), true, MAX_DURATION_SECS).unwrap();
    assert_eq!(a.duration, Some(Duration::days(7)));
    assert_eq!(a.reason.as_deref(), Some("spamming links"));
    let a = parse_action_args(Some("spamming"), true, MAX_DURATION_SECS).unwrap();
    assert_eq!(a.duration, None);
    assert_eq!(a.reason.as_deref(), Some("spamming"));
    let a = parse_action_args(Some("--delete 1d 2h raid"), true, MAX_DURATION_SECS).unwrap();
    assert_eq!(a.delete, Some(Duration::days(1)));
    assert_eq!(a.duration, Some(Duration::hours(2)));
    assert_eq!(a.reason.as_deref(), Some("raid"));
    let a = parse_action_args(Some("2h --delete=7d"), true, MAX_DURATION_SECS).unwrap();
    assert_eq!(
        (a.duration, a.delete, a.reason),
        (Some(Duration::hours(2)), Some(Duration::days(7)), None)
    );
    assert_eq!(
        parse_action_args(Some("--delete 8d"), true, MAX_DURATION_SECS),
        Err(ArgsError::Duration(DurationError::TooLong {
            max_secs: MAX_BAN_DELETE_SECS
        }))
    );
    assert_eq!(
        parse_action_args(Some("--delete"), true, MAX_DURATION_SECS),
        Err(ArgsError::DeleteWithoutValue)
    );
    // without --delete support the flag is part of the reason
    let a = parse_action_args(Some("--delete 1d"), false, MAX_DURATION_SECS).unwrap();
    assert_eq!(a.reason.as_deref(), Some("--delete 1d"));
    // a number alone is a reason ("3 strikes"), a bad duration is an error
    let a = parse_action_args(Some("3 strikes"), true, MAX_DURATION_SECS).unwrap();
    assert_eq!(a.reason.as_deref(), Some("3 strikes"));
    assert_eq!(
        parse_action_args(Some("10x rude"), false, MAX_DURATION_SECS),
        Err(ArgsError::Duration(DurationError::UnknownUnit(
            "10x".into()
        )))
    );
    assert_eq!(
        parse_action_args(Some("30d"), false, MAX_TIMEOUT_SECS),
        Err(ArgsError::Duration(DurationError::TooLong {
            max_secs: MAX_TIMEOUT_SECS
        }))
    );
    let long = "x".repeat(513);
    assert_eq!(
        parse_action_args(Some(&long), false, MAX_DURATION_SECS),
        Err(ArgsError::ReasonTooLong {
            chars: 513,
            max: 512
        })
    );
    assert_eq!(
        parse_action_args(None, true, MAX_DURATION_SECS),
        Ok(ActionArgs::default())
    );
    assert_eq!(delete_message_days(Some(Duration::days(1))), 1);
    assert_eq!(delete_message_days(Some(Duration::hours(2))), 1);
    assert_eq!(delete_message_days(Some(Duration::days(7))), 7);
    assert_eq!(delete_message_days(None), 0);
}

#[test]
fn spans_read_back() {
    assert_eq!(format_span(Duration::minutes(10)), "10m");
    assert_eq!(format_span(Duration::minutes(90)), "1h 30m");
    assert_eq!(format_span(Duration::seconds(86_405)), "1d 5s");
    assert_eq!(format_span(Duration::zero()), "0s");
    for s in ["7d", "1h 30m", "2s", "1d 5s"] {
        assert_eq!(format_span(parse_duration(s).unwrap()), s);
    }
}

#[test]
fn case_kinds_round_trip() {
    for k in CaseKind::ALL {
        assert_eq!(CaseKind::parse(k.as_str()), Some(k));
    }
    assert_eq!(CaseKind::parse("nope"), None);
    assert!(CaseKind::TempBan.is_timed() && !CaseKind::Ban.is_timed());
}

#[test]
fn purge_filters() {
    let f = parse_purge_filters("bots links").unwrap();
    assert!(f.bots && f.links && !f.embeds);
    let f = parse_purge_filters("<@42> contains Free Nitro here").unwrap();
    assert_eq!(f.user, Some(UserId::new(42)));
    assert_eq!(f.contains.as_deref(), Some("Free Nitro here"));
    assert_eq!(parse_purge_filters("").unwrap(), PurgeFilter::default());
    assert_eq!(
        parse_purge_filters("everything"),
        Err(PurgeError::UnknownFilter("everything".into()))
    );
    assert_eq!(
        parse_purge_filters("contains"),
        Err(PurgeError::ContainsWithoutText)
    );
    let msg = |author: u64, bot: bool, content: &str| MessageFacts {
        author: UserId::new(author),
        bot,
        content: content.into(),
        ..MessageFacts::default()
    };
    let f = parse_purge_filters("contains nitro").unwrap();
    assert!(f.matches(&msg(1, false, "FREE NITRO")));
    assert!(!f.matches(&msg(1, false, "hello")));
    let f = parse_purge_filters("bots").unwrap();
    assert!(f.matches(&msg(1, true, "x")) && !f.matches(&msg(1, false, "x")));
    let f = parse_purge_filters("links").unwrap();
    assert!(f.matches(&msg(1, false, "see https://x.y")));
    assert!(f.matches(&msg(1, false, "join discord.gg/abc")));
    assert!(!f.matches(&msg(1, false, "no link")));
    let mut a = msg(1, false, "");
    assert!(!parse_purge_filters("files").unwrap().matches(&a));
    a.attachments = 1;
    assert!(parse_purge_filters("files").unwrap().matches(&a));
    a.pinned = true;
    assert!(
        !PurgeFilter::default().matches(&a),
        "pinned messages are kept"
    );
    let mut e = msg(1, false, "");
    e.embeds = 2;
    assert!(parse_purge_filters("embeds").unwrap().matches(&e));
    let f = parse_purge_filters("2").unwrap();
    assert!(f.matches(&msg(2, false, "")) && !f.matches(&msg(3, false, "")));
}

#[test]
fn bulk_delete_age() {
    let now_ms = 1_800_000_000_000i64;
    let id_at = |ms: i64| ((ms - 1_420_070_400_000) as u64) << 22;
    assert_eq!(snowflake_ms(id_at(now_ms)), now_ms);
    assert!(bulk_deletable(id_at(now_ms - 86_400_000), now_ms));
    assert!(!bulk_deletable(id_at(now_ms - 15 * 86_400_000), now_ms));
}

fn roles() -> Vec<RoleFacts> {
    [
        (1, "@everyone"),
        (10, "Members"),
        (11, "Moderators"),
        (12, "Mods"),
        (13, "VIP"),
        (14, "vip"),
        (15, "Muted"),
    ]
    .into_iter()
    .map(|(id, name)| RoleFacts {
        id: RoleId::new(id),
        name: name.into(),
    })
    .collect()
}

#[test]
fn role_arguments() {
    let rs = roles();
    let ok = |t: &str| parse_role_arg(t, &rs);
    assert_eq!(ok("<@&11>"), Ok(r(11)));
    assert_eq!(ok("12"), Ok(r(12)));
    assert_eq!(ok("members"), Ok(r(10)), "case-insensitive");
    assert_eq!(ok("@Muted"), Ok(r(15)), "a leading @ is ignored");
    assert_eq!(ok("mods"), Ok(r(12)), "an exact name beats a prefix");
    assert_eq!(ok("mut"), Ok(r(15)), "a unique prefix");
    assert_eq!(
        ok("everyone"),
        Ok(r(1)),
        "found; refused later as unassignable"
    );
    assert_eq!(ok("  "), Err(RoleArgError::Empty));
    assert_eq!(ok("<@&99>"), Err(RoleArgError::NotFound("<@&99>".into())));
    assert_eq!(ok("admins"), Err(RoleArgError::NotFound("admins".into())));
    assert_eq!(ok("@"), Err(RoleArgError::NotFound("@".into())));
    assert_eq!(
        ok("mod"),
        Err(RoleArgError::Ambiguous {
            text: "mod".into(),
            names: vec!["Moderators".into(), "Mods".into()],
            count: 2
        })
    );
    assert_eq!(
        ok("VIP"),
        Err(RoleArgError::Ambiguous {
            text: "VIP".into(),
            names: vec!["VIP".into(), "vip".into()],
            count: 2
        }),
        "two roles with the same name"
    );
    assert!(
        RoleArgError::NotFound("x".into())
            .to_string()
            .contains("no role `x`")
    );
}

#[test]
fn locking_keeps_the_other_bits() {
    use lock_bits::*;
    let bits = LockableKind::Text.denied().unwrap();
    assert_eq!(
        locked_overwrite(None, bits),
        Overwrite {
            allow: 0,
            deny: bits
        }
    );
    let prev = Overwrite {
        allow: SEND_MESSAGES | ADD_REACTIONS,
        deny: 1 << 15,
    };
    assert_eq!(
        locked_overwrite(Some(prev), bits),
        Overwrite {
            allow: ADD_REACTIONS,
            deny: (1 << 15) | bits
        }
    );
    assert_eq!(
        LockableKind::from_discord(2).denied(),
        Some(CONNECT | SEND_MESSAGES)
    );
    assert_eq!(LockableKind::from_discord(15), LockableKind::Forum);
    assert_eq!(LockableKind::from_discord(11).denied(), None);
    assert_eq!(LockableKind::from_discord(4).denied(), None, "categories");
}

#[test]
fn case_targets_follow_the_kind() {
    assert_eq!(
        CaseTarget::of(CaseKind::Lock, 7),
        CaseTarget::Channel(ChannelId::new(7))
    );
    assert_eq!(
        CaseTarget::of(CaseKind::LockdownEnd, 7),
        CaseTarget::Server(GuildId::new(7))
    );
    assert_eq!(
        CaseTarget::of(CaseKind::RoleAdd, 7).user(),
        Some(UserId::new(7))
    );
    assert_eq!(CaseTarget::Channel(ChannelId::new(7)).mention("x"), "<#7>");
}

#[test]
fn slowmode_and_nicknames() {
    assert_eq!(parse_slowmode("off"), Ok(0));
    assert_eq!(parse_slowmode("10s"), Ok(10));
    assert_eq!(parse_slowmode("6h"), Ok(21_600));
    assert_eq!(
        parse_slowmode("7h"),
        Err(DurationError::TooLong {
            max_secs: SLOWMODE_MAX_SECS
        })
    );
    assert_eq!(clean_nick(Some("  ")), Ok(None));
    assert_eq!(clean_nick(Some(" Bob ")), Ok(Some("Bob".into())));
    assert_eq!(clean_nick(Some(&"x".repeat(33))), Err(33));
}

proptest! {
    /// Random purge words never panic.
    #[test]
    fn purge_filters_never_panic(s in "\\PC{0,200}") {
        let _ = parse_purge_filters(&s);
    }

    /// Random text never panics: a duration within bounds or a typed error.
    #[test]
    fn durations_never_panic(s in "\\PC{0,40}") {
        match parse_duration(&s) {
            Ok(d) => prop_assert!(d.num_seconds() > 0 && d.num_seconds() <= MAX_DURATION_SECS),
            Err(e) => prop_assert!(!e.to_string().is_empty()),
        }
    }

    /// Random argument text never panics and a valid result keeps its limits.
    #[test]
    fn action_args_never_panic(s in "\\PC{0,600}", del in any::<bool>()) {
        if let Ok(a) = parse_action_args(Some(&s), del, MAX_TIMEOUT_SECS) {
            prop_assert!(a.duration.is_none_or(|d| d.num_seconds() > 0 && d.num_seconds() <= MAX_TIMEOUT_SECS));
            prop_assert!(a.delete.is_none_or(|d| d.num_seconds() <= MAX_BAN_DELETE_SECS));
            prop_assert!(a.reason.is_none_or(|r| !r.is_empty() && r.chars().count() <= MAX_REASON_CHARS));
        }
    }

    /// Random role text against random roles: a role of the list or a typed refusal.
    #[test]
    fn role_args_never_panic(
        s in "\\PC{0,60}",
        names in proptest::collection::vec("\\PC{0,12}", 0..12),
    ) {
        let rs: Vec<RoleFacts> = names
            .into_iter()
            .enumerate()
            .map(|(i, name)| RoleFacts { id: RoleId::new(i as u64 + 1), name })
            .collect();
        match parse_role_arg(&s, &rs) {
            Ok(id) => prop_assert!(rs.iter().any(|r| r.id == id)),
            Err(RoleArgError::Ambiguous { names, count, .. }) => {
                prop_assert!(count >= 2 && !names.is_empty() && names.len() <= AMBIGUOUS_SHOWN);
            }
            Err(e) => prop_assert!(!e.to_string().is_empty()),
        }
    }

    /// A mention or id of a listed role always finds it.
    #[test]
    fn role_mentions_find_their_role(n in 1usize..20, pick in 0usize..20, mention in any::<bool>()) {
        let rs: Vec<RoleFacts> = (0..n)
            .map(|i| RoleFacts { id: RoleId::new(1_000 + i as u64), name: format!("r{i}") })
            .collect();
        let want = rs[pick % n].id;
        let text = if mention { format!("<@&{}>", want.get()) } else { want.get().to_string() };
        prop_assert_eq!(parse_role_arg(&text, &rs), Ok(want));
    }

    /// Random member text: a non-zero user id or nothing.
    #[test]
    fn member_args_never_panic(s in "\\PC{0,40}") {
        if let Some(u) = parse_user(&s) {
            prop_assert!(u.get() > 0);
        }
    }

    /// Random reasons: trimmed and within Discord's limit, or too long.
    #[test]
    fn reasons_never_panic(s in "\\PC{0,700}") {
        match clean_reason(Some(&s)) {
            Ok(Some(r)) => prop_assert!(!r.is_empty() && r == r.trim() && r.chars().count() <= MAX_REASON_CHARS),
            Ok(None) => prop_assert!(s.trim().is_empty()),
            Err(ArgsError::ReasonTooLong { chars, max }) => prop_assert!(chars > max),
            Err(e) => prop_assert!(false, "unexpected {e:?}"),
        }
    }

    /// Random slowmode and nickname text: within Discord's limits or a typed refusal.
    #[test]
    fn slowmode_and_nicks_never_panic(s in "\\PC{0,40}") {
        if let Ok(secs) = parse_slowmode(&s) {
            prop_assert!(i64::from(secs) <= SLOWMODE_MAX_SECS);
        }
        if let Ok(Some(n)) = clean_nick(Some(&s)) {
            prop_assert!(!n.is_empty() && n.chars().count() <= MAX_NICK_CHARS);
        }
    }

    /// Durations built from parts read back to their sum.
    #[test]
    fn composed_durations_read_back(d in 0i64..30, h in 0i64..24, m in 0i64..60) {
        prop_assume!(d + h + m > 0);
        let text = format!("{d}d{h}h{m}m");
        prop_assert_eq!(secs(&text), d * 86_400 + h * 3_600 + m * 60);
    }
}
