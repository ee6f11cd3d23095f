use super::*;

fn utc(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
}

fn paris() -> Tz {
    parse_timezone("Europe/Paris").unwrap()
}

fn ann() -> Announcement {
    Announcement {
        channels: vec![ChannelId::new(1)],
        title: "Hello".into(),
        schedule: Schedule::Now,
        ..Announcement::default()
    }
}

#[test]
fn schedules_parse_from_one_line() {
    let now = utc("2026-12-01T12:00:00Z");
    let tz = paris();
    assert_eq!(Schedule::parse("now", tz, now), Ok(Schedule::Now));
    assert_eq!(
        Schedule::parse("in 10m", tz, now),
        Ok(Schedule::Once {
            at: utc("2026-12-01T12:10:00Z")
        })
    );
    // Paris is UTC+1 in December.
    assert_eq!(
        Schedule::parse("2026-12-24 18:00", tz, now),
        Ok(Schedule::Once {
            at: utc("2026-12-24T17:00:00Z")
        })
    );
    assert_eq!(
        Schedule::parse("Daily 09:30", tz, now),
        Ok(Schedule::Daily {
            time: NaiveTime::from_hms_opt(9, 30, 0).unwrap()
        })
    );
    assert_eq!(
        Schedule::parse("weekly mon 09:00", tz, now),
        Ok(Schedule::Weekly {
            day: Weekday::Mon,
            time: NaiveTime::from_hms_opt(9, 0, 0).unwrap()
        })
    );
    assert_eq!(
        Schedule::parse("cron 0  9 * * 1-5", tz, now),
        Ok(Schedule::Cron {
            expr: "0 9 * * 1-5".into()
        })
    );
    assert_eq!(
        Schedule::parse("*/15 * * * *", tz, now),
        Ok(Schedule::Cron {
            expr: "*/15 * * * *".into()
        })
    );
}

#[test]
fn malformed_schedules_are_refused_with_a_reason() {
    let now = utc("2026-12-01T12:00:00Z");
    let tz = paris();
    assert_eq!(
        Schedule::parse("sometimes", tz, now),
        Err(ScheduleError::NotUnderstood)
    );
    assert_eq!(
        Schedule::parse("daily 25:00", tz, now),
        Err(ScheduleError::BadTime)
    );
    assert_eq!(
        Schedule::parse("weekly funday 09:00", tz, now),
        Err(ScheduleError::BadDay)
    );
    assert_eq!(
        Schedule::parse("2020-01-01 10:00", tz, now),
        Err(ScheduleError::InThePast)
    );
    assert_eq!(
        Schedule::parse("in 0m", tz, now),
        Err(ScheduleError::BadDuration)
    );
    assert!(matches!(
        Schedule::parse("cron 61 * * * *", tz, now),
        Err(ScheduleError::BadCron(_))
    ));
    assert!(matches!(
        Schedule::parse("cron * * *", tz, now),
        Err(ScheduleError::BadCron(m)) if m.contains("5 fields")
    ));
    assert!(matches!(
        Schedule::parse("cron 0 0 0 * * *", tz, now),
        Err(ScheduleError::BadCron(_))
    ));
    assert!(matches!(
        Schedule::parse("cron 0 9 * * xyz", tz, now),
        Err(ScheduleError::BadCron(_))
    ));
    assert_eq!(
        Schedule::parse("cron 0 0 30 2 *", tz, now),
        Err(ScheduleError::NeverRuns)
    );
    // 02:30 on the spring-forward night does not exist in Paris.
    assert_eq!(
        Schedule::parse("2027-03-28 02:30", tz, now),
        Err(ScheduleError::BadDate)
    );
}

#[test]
fn daily_occurrences_keep_local_time_across_dst() {
    let tz = paris();
    let s = Schedule::parse("daily 09:00", tz, utc("2027-03-26T12:00:00Z")).unwrap();
    // 27 March is CET (UTC+1), 28 March is CEST (UTC+2) after the change.
    let runs = s.upcoming(utc("2027-03-26T12:00:00Z"), tz, 3);
    assert_eq!(
        runs,
        vec![
            utc("2027-03-27T08:00:00Z"),
            utc("2027-03-28T07:00:00Z"),
            utc("2027-03-29T07:00:00Z"),
        ]
    );
    // Autumn: back to UTC+1 on 31 October 2027.
    let runs = s.upcoming(utc("2027-10-29T12:00:00Z"), tz, 3);
    assert_eq!(
        runs,
        vec![
            utc("2027-10-30T07:00:00Z"),
            utc("2027-10-31T08:00:00Z"),
            utc("2027-11-01T08:00:00Z"),
        ]
    );
}

#[test]
fn a_time_in_the_dst_gap_runs_after_it_and_a_repeated_time_runs_once() {
    let tz = paris();
    // 02:30 does not exist on 28 March 2027 (02:00 → 03:00).
    let s = Schedule::parse("daily 02:30", tz, utc("2027-03-26T12:00:00Z")).unwrap();
    let runs = s.upcoming(utc("2027-03-27T12:00:00Z"), tz, 2);
    assert_eq!(
        runs[0],
        utc("2027-03-28T01:00:00Z"),
        "first instant after the gap"
    );
    assert_eq!(runs[1], utc("2027-03-29T00:30:00Z"));
    // 02:30 happens twice on 31 October 2027: once (the first, CEST).
    let runs = s.upcoming(utc("2027-10-30T12:00:00Z"), tz, 2);
    assert_eq!(
        runs,
        vec![utc("2027-10-31T00:30:00Z"), utc("2027-11-01T01:30:00Z")]
    );
}

#[test]
fn weekly_and_cron_schedules_follow_the_time_zone() {
    let ny = parse_timezone("america/new_york").unwrap();
    let s = Schedule::parse("weekly sun 10:00", ny, utc("2027-03-10T00:00:00Z")).unwrap();
    // Sunday 14 March 2027 is the US change (EDT, UTC-4 from 02:00).
    assert_eq!(
        s.upcoming(utc("2027-03-06T00:00:00Z"), ny, 2),
        vec![utc("2027-03-07T15:00:00Z"), utc("2027-03-14T14:00:00Z")]
    );
    let c = Schedule::parse("cron 0 9 * * 1-5", ny, utc("2027-03-10T00:00:00Z")).unwrap();
    assert_eq!(
        c.upcoming(utc("2027-03-12T00:00:00Z"), ny, 2),
        vec![utc("2027-03-12T14:00:00Z"), utc("2027-03-15T13:00:00Z")]
    );
    assert!(c.describe().contains("0 9 * * 1-5"), "{}", c.describe());
    assert_eq!(s.describe(), "every Sunday at 10:00");
}

#[test]
fn the_latest_missed_occurrence_is_posted_once_within_the_grace_window() {
    let tz = parse_timezone("UTC").unwrap();
    let hourly = Schedule::Cron {
        expr: "0 * * * *".into(),
    };
    // On time.
    let d = on_due(
        &hourly,
        tz,
        utc("2026-12-01T10:00:00Z"),
        utc("2026-12-01T10:00:02Z"),
        MISSED_GRACE,
    );
    assert_eq!(d.post, Some(utc("2026-12-01T10:00:00Z")));
    assert_eq!(d.skipped, 0);
    assert_eq!(d.next, Some(utc("2026-12-01T11:00:00Z")));
    // Down from 09:59 to 13:10: 10, 11, 12 skipped; 13:00 posted (10 min late).
    let d = on_due(
        &hourly,
        tz,
        utc("2026-12-01T10:00:00Z"),
        utc("2026-12-01T13:10:00Z"),
        MISSED_GRACE,
    );
    assert_eq!(d.post, Some(utc("2026-12-01T13:00:00Z")));
    assert_eq!(d.skipped, 3);
    assert_eq!(d.next, Some(utc("2026-12-01T14:00:00Z")));
    // Down until 13:45: nothing fresh enough; all four skipped.
    let d = on_due(
        &hourly,
        tz,
        utc("2026-12-01T10:00:00Z"),
        utc("2026-12-01T13:45:00Z"),
        MISSED_GRACE,
    );
    assert_eq!(d.post, None);
    assert_eq!(d.skipped, 4);
    assert_eq!(d.next, Some(utc("2026-12-01T14:00:00Z")));
    // A one-off two hours late is missed.
    let once = Schedule::Once {
        at: utc("2026-12-01T10:00:00Z"),
    };
    let d = on_due(
        &once,
        tz,
        utc("2026-12-01T10:00:00Z"),
        utc("2026-12-01T12:00:00Z"),
        MISSED_GRACE,
    );
    assert_eq!((d.post, d.skipped, d.next), (None, 1, None));
}

#[test]
fn sanitising_breaks_mass_and_role_pings_only() {
    assert_eq!(sanitise("hi @everyone"), "hi @\u{200B}everyone");
    assert_eq!(sanitise("@HERE now"), "@\u{200B}HERE now");
    assert_eq!(
        sanitise("<@&42> and <@7> <@!8>"),
        "<@\u{200B}&42> and <@\u{200B}7> <@\u{200B}!8>"
    );
    assert_eq!(sanitise("mail me@example.org"), "mail me@example.org");
    assert_eq!(sanitise("@"), "@");
    assert_eq!(sanitise("and @here."), "and @\u{200B}here.");
    assert_eq!(sanitise("@é@everyone"), "@é@\u{200B}everyone");
}

#[test]
fn the_ping_line_has_only_what_was_chosen() {
    let mut a = ann();
    assert_eq!(a.ping_line(), None);
    a.ping_roles = vec![RoleId::new(5), RoleId::new(6)];
    assert_eq!(a.ping_line().as_deref(), Some("<@&5> <@&6>"));
    a.ping_everyone = true;
    assert_eq!(a.ping_line().as_deref(), Some("@everyone <@&5> <@&6>"));
}

#[test]
fn the_record_is_validated_in_one_place() {
    assert_eq!(ann().validate(), Ok(()));
    let mut a = ann();
    a.channels.clear();
    assert_eq!(a.validate(), Err(AnnounceError::NoChannel));
    let mut a = ann();
    a.title = "  ".into();
    assert_eq!(a.validate(), Err(AnnounceError::EmptyTitle));
    let mut a = ann();
    a.image = Some("javascript:alert(1)".into());
    assert!(matches!(a.validate(), Err(AnnounceError::BadUrl(_))));
    let mut a = ann();
    a.schedule = Schedule::Cron { expr: "bad".into() };
    assert!(matches!(
        a.validate(),
        Err(AnnounceError::Schedule(ScheduleError::BadCron(_)))
    ));
    assert_eq!(
        parse_buttons("Site | https://example.org\n\nDocs|http://d.example"),
        Ok(vec![
            LinkButton {
                label: "Site".into(),
                url: "https://example.org".into()
            },
            LinkButton {
                label: "Docs".into(),
                url: "http://d.example".into()
            },
        ])
    );
    assert!(matches!(
        parse_buttons("no url here"),
        Err(AnnounceError::BadLabel { .. })
    ));
    assert!(matches!(
        parse_buttons("x | ftp://x"),
        Err(AnnounceError::BadUrl(_))
    ));
    let json = serde_json::to_value(ann()).unwrap();
    let back: Announcement = serde_json::from_value(json).unwrap();
    assert_eq!(back, ann());
}
