//! Property tests (proptest) for the invariants of the rules.

mod common;

use std::sync::LazyLock;

use chronix_core::autohunt::{
    self, AutohuntError, AutohuntRules, AutohuntSession, Trait, TraitLevels, tick_cost,
    tick_outcome, upgrade, upgrade_cost, upgrade_suggestion,
};
use chronix_core::economy::Chrons;
use chronix_core::economy::{
    self, AmountError, BetRules, CoinSide, DailyRules, DiceBet, MoneyError, OfferError,
    StreakState, WeeklyRules, claim_daily, claim_weekly, day_index, interest, normalise_name,
    parse_amount, parse_offer, split_trade, week_index,
};
use chronix_core::hunt::{HuntModifiers, roll_hunt};
use chronix_core::items::{quote_buy, quote_sell};
use chronix_core::render::format_number;
use chronix_core::tables::Tables;
use chronix_core::text::{closest, edit_distance};
use chronix_core::xp::XpCurve;
use chrono::{DateTime, Duration, Utc};
use proptest::prelude::*;

/// The cap as a plain number, for strategies and range checks.
const MAX_CHRONS: i64 = chronix_core::economy::MAX_CHRONS.get();

static TABLES: LazyLock<Tables> = LazyLock::new(common::real_tables);

fn balance() -> impl Strategy<Value = i64> {
    prop_oneof![0..=1_000i64, 0..=MAX_CHRONS, Just(MAX_CHRONS), Just(0)]
}

fn any_amount() -> impl Strategy<Value = i64> {
    prop_oneof![
        any::<i64>(),
        -1_000..=1_000i64,
        Just(i64::MAX),
        Just(i64::MIN),
        0..=MAX_CHRONS
    ]
}

/// 2020-01-01T00:00:00Z plus an offset.
fn at(secs: i64) -> DateTime<Utc> {
    DateTime::from_timestamp(1_577_836_800 + secs, 0).unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn money_never_overflows_or_goes_negative(from in balance(), to in balance(), amount in any_amount()) {
        let results = [economy::credit(Chrons::new(from), Chrons::new(amount)), economy::debit(Chrons::new(from), Chrons::new(amount)), economy::apply_change(Chrons::new(from), Chrons::new(amount))];
        for v in results.into_iter().flatten() {
            prop_assert!((0..=MAX_CHRONS).contains(&v.get()));
        }
        match economy::transfer(Chrons::new(from), Chrons::new(to), Chrons::new(amount)) {
            Ok((a, b)) => {
                prop_assert!((0..=MAX_CHRONS).contains(&a.get()) && (0..=MAX_CHRONS).contains(&b.get()));
                prop_assert_eq!((a + b).get(), from + to);
                prop_assert_eq!(from - a.get(), amount);
            }
            Err(MoneyError::NonPositiveAmount(_)) => prop_assert!(amount <= 0),
            Err(MoneyError::InsufficientFunds { .. }) => prop_assert!(amount > from),
            Err(MoneyError::BalanceCap { .. }) => prop_assert!(to as i128 + amount as i128 > MAX_CHRONS as i128),
            Err(e) => prop_assert!(false, "unexpected {e}"),
        }
        // Corrupt stored balances are refused, never "fixed".
        prop_assert_eq!(economy::credit(Chrons::new(-1), Chrons::new(5)), Err(MoneyError::InvalidBalance(Chrons::new(-1))));
    }

    #[test]
    fn parsed_amounts_are_positive_and_bounded(text in "\\PC{0,16}", bal in balance()) {
        if let Ok(v) = parse_amount(&text, Chrons::new(bal)) {
            prop_assert!((1..=MAX_CHRONS).contains(&v.get()));
        }
    }

    #[test]
    fn parsed_amounts_from_number_like_text(text in "[-+]?[0-9,_]{0,20}(\\.[0-9]{0,4})?[kmbtKMBT]?%?", bal in balance()) {
        match parse_amount(&text, Chrons::new(bal)) {
            Ok(v) => {
                prop_assert!((1..=MAX_CHRONS).contains(&v.get()));
                prop_assert!(!text.starts_with('-'));
                if text.ends_with('%') { prop_assert!(v <= Chrons::new(bal)); }
            }
            Err(AmountError::Negative) => prop_assert!(text.starts_with('-')),
            Err(_) => {}
        }
    }

    #[test]
    fn amounts_round_trip(n in 1..=MAX_CHRONS, bal in balance()) {
        prop_assert_eq!(parse_amount(&n.to_string(), Chrons::new(bal)), Ok(Chrons::new(n)));
        prop_assert_eq!(parse_amount(&format_number(n), Chrons::new(bal)), Ok(Chrons::new(n)));
        prop_assert_eq!(parse_amount(&format!("-{n}"), Chrons::new(bal)), Err(AmountError::Negative));
        if n <= MAX_CHRONS / 1_000 {
            prop_assert_eq!(parse_amount(&format!("{n}k"), Chrons::new(bal)), Ok(Chrons::new(n * 1_000)));
        } else {
            prop_assert_eq!(parse_amount(&format!("{n}k"), Chrons::new(bal)), Err(AmountError::TooLarge { max: Chrons::new(MAX_CHRONS) }));
        }
        for word in ["all", "half", "50%"] {
            match parse_amount(word, Chrons::new(bal)) {
                Ok(v) => prop_assert!(v <= Chrons::new(bal)),
                Err(e) => prop_assert_eq!(e, AmountError::Zero),
            }
        }
    }

    #[test]
    fn interest_never_exceeds_cap_or_overflows(
        bal in any_amount(), rate in prop_oneof![0..=100u32, any::<u32>()],
        cap in any_amount(), periods in prop_oneof![0..=400u32, any::<u32>()],
    ) {
        let i = interest(Chrons::new(bal), rate, Chrons::new(cap), periods);
        prop_assert!(i >= Chrons::new(0));
        prop_assert!(i <= Chrons::new(cap.max(0)));
        if (0..=MAX_CHRONS).contains(&bal) {
            prop_assert!(bal + i.get() <= MAX_CHRONS);
        } else if bal < 0 {
            prop_assert_eq!(i, 0);
        }
        // More periods never pay less.
        prop_assert!(interest(Chrons::new(bal), rate, Chrons::new(cap), periods.saturating_add(1)) >= i);
    }

    #[test]
    fn bet_payouts_are_never_negative(bet in any_amount(), seed in any::<u64>(), edge in 0..=10_000u32) {
        let rules = BetRules { min_bet: Chrons::new(1), max_bet: Chrons::new(MAX_CHRONS), house_edge_bp: edge };
        let mut r = common::rng(seed);
        let in_range = (1..=MAX_CHRONS).contains(&bet);
        for o in [
            economy::coinflip(Chrons::new(bet), CoinSide::Tails, &rules, &mut r),
            economy::dice(Chrons::new(bet), DiceBet::Exact(2), &rules, &mut r),
            economy::dice(Chrons::new(bet), DiceBet::Low, &rules, &mut r),
            economy::slots(Chrons::new(bet), &rules, &mut r),
        ] {
            prop_assert_eq!(o.is_ok(), in_range);
            if let Ok(o) = o {
                prop_assert!(o.payout >= Chrons::new(0) && o.payout <= MAX_CHRONS);
                prop_assert_eq!(o.won, o.payout > Chrons::new(0));
                // Never more than the biggest multiplier (slots jackpot < 300×).
                prop_assert!(i128::from(o.payout) <= i128::from(o.bet) * 300);
            }
        }
    }

    #[test]
    fn xp_level_is_monotone(a in any::<i64>(), b in any::<i64>(), q in 0..50u64, l in 0..500u64, c in 0..1_000u64) {
        let curve = XpCurve { quadratic: q, linear: l, constant: c, max_level: 1_000 };
        let (lo, hi) = if a <= b { (a, b) } else { (b, a) };
        prop_assert!(curve.level_for_xp(lo) <= curve.level_for_xp(hi));
        let p = curve.progress(hi);
        prop_assert!(p.xp_into_level >= 0);
        if let Some(next) = p.xp_for_next { prop_assert!(p.xp_into_level < next); }
    }

    #[test]
    fn xp_totals_and_levels_agree(level in 0..=1_000u32) {
        let curve = XpCurve::default();
        let total = curve.total_xp_for_level(level);
        prop_assert_eq!(curve.level_for_xp(total), level);
        if level > 0 { prop_assert_eq!(curve.level_for_xp(total - 1), level - 1); }
        if level < 1_000 {
            prop_assert_eq!(curve.total_xp_for_level(level + 1) - total, curve.xp_to_next(level));
        }
    }

    #[test]
    fn daily_streaks_over_arbitrary_claim_times(
        steps in prop::collection::vec(prop_oneof![0..3_600i64, 0..86_400i64, 0..(4 * 86_400i64), -7_200..0i64], 1..60),
        hour in 0..24u32,
    ) {
        let rules = DailyRules { reset_hour_utc: hour, ..DailyRules::default() };
        let mut state = StreakState::default();
        let mut now = 0i64;
        let mut claimed_days: Vec<i64> = Vec::new();
        for step in steps {
            now += step; // may go backwards: clocks are not trusted
            let t = at(now);
            let today = day_index(t, hour);
            let last_day = state.last_claim.map(|l| day_index(l, hour));
            match claim_daily(&state, t, &rules) {
                Ok(claim) => {
                    prop_assert!(!claimed_days.contains(&today), "two claims on day {today}");
                    prop_assert!(last_day.is_none_or(|d| today > d));
                    match last_day {
                        Some(d) if today == d + 1 => prop_assert_eq!(claim.streak, state.streak + 1),
                        Some(_) => prop_assert_eq!(claim.streak, 1, "streak must reset after a missed day"),
                        None => prop_assert_eq!(claim.streak, 1),
                    }
                    let bonus_days = (claim.streak - 1).min(rules.streak_cap) as i64;
                    prop_assert_eq!(claim.reward, rules.base + rules.streak_step * bonus_days);
                    prop_assert!(claim.next_reset > t);
                    prop_assert_eq!(day_index(claim.next_reset, hour), today + 1);
                    claimed_days.push(today);
                    state = claim.state;
                }
                Err(economy::ClaimError::AlreadyClaimed { next_reset, wait }) => {
                    let d = last_day.expect("refused without a previous claim");
                    prop_assert!(today <= d);
                    prop_assert!(wait > Duration::zero());
                    prop_assert_eq!(t + wait, next_reset);
                    prop_assert_eq!(day_index(next_reset, hour), d + 1);
                }
            }
        }
    }

    #[test]
    fn weekly_once_per_week(steps in prop::collection::vec(0..(3 * 86_400i64), 1..40), hour in 0..24u32) {
        let mut last = None;
        let mut weeks = Vec::new();
        let mut now = 0;
        for s in steps {
            now += s;
            let t = at(now);
            if let Ok(c) = claim_weekly(last, t, hour, &WeeklyRules::default()) {
                let w = week_index(t, hour);
                prop_assert!(!weeks.contains(&w));
                prop_assert_eq!(week_index(c.next_reset, hour), w + 1);
                weeks.push(w);
                last = Some(t);
            } else {
                prop_assert_eq!(week_index(t, hour), week_index(last.unwrap(), hour));
            }
        }
    }

    #[test]
    fn autohunt_amounts_stay_sane(
        level in prop_oneof![0..100u32, any::<u32>()], essence in 0..1_000_000i64,
        e in 0..10u32, tempo in 0..12u32, thrift in 0..12u32, ess in 0..8u32,
        balance in balance(), seed in any::<u64>(),
    ) {
        let rules = AutohuntRules::default();
        let session = AutohuntSession { level, essence, traits: TraitLevels { efficiency: e, tempo, thrift, essence: ess } };
        let cost = tick_cost(&session, &rules);
        prop_assert!((1..=MAX_CHRONS).contains(&cost.get()));
        prop_assert!(autohunt::tick_interval(&session, &rules) >= Duration::seconds(rules.min_interval_secs as i64));
        let mut r = common::rng(seed);
        match tick_outcome(&session, Chrons::new(balance), &rules, &TABLES, &mut r) {
            Ok(t) => {
                prop_assert!(balance >= cost.get());
                prop_assert_eq!(t.cost, cost);
                prop_assert!(t.xp >= 0 && t.chrons_earned >= Chrons::new(0) && t.essence_gained >= 1);
                prop_assert_eq!(t.hunts.len() as u32, autohunt::rolls_per_tick(&session, &rules));
                prop_assert!(t.apply(&session).essence >= session.essence);
            }
            Err(AutohuntError::InsufficientChrons { cost: c, balance: b }) => {
                prop_assert!(b < c);
            }
            Err(other) => prop_assert!(false, "unexpected {other}"),
        }
        for t in Trait::ALL {
            match upgrade(&session, t, &rules) {
                Ok(u) => {
                    prop_assert!(u.session.essence >= 0);
                    prop_assert_eq!(u.session.essence, essence - u.cost);
                    prop_assert!(u.new_level <= rules.trait_rule(t).max_level);
                }
                Err(AutohuntError::MaxLevel { max, .. }) => prop_assert!(session.traits.get(t) >= max),
                Err(AutohuntError::NotEnoughEssence { needed, have }) => prop_assert!(have < needed),
                Err(other) => prop_assert!(false, "unexpected {other}"),
            }
        }
        if let Some(s) = upgrade_suggestion(&session, &rules) {
            for t in Trait::ALL {
                if let Some(c) = upgrade_cost(&session, t, &rules) {
                    // Only traits that still change something may be cheaper than the suggestion.
                    let useless = (t == Trait::Thrift && tick_cost(&AutohuntSession { traits: TraitLevels { thrift: thrift + 1, ..session.traits }, ..session }, &rules) == cost)
                        || (t == Trait::Tempo && autohunt::tick_interval(&AutohuntSession { traits: TraitLevels { tempo: tempo + 1, ..session.traits }, ..session }, &rules) == autohunt::tick_interval(&session, &rules));
                    prop_assert!(useless || c >= s.cost);
                }
            }
            prop_assert_eq!(s.affordable, essence >= s.cost);
        }
    }

    #[test]
    fn hunts_never_pay_negative(x in any::<u32>(), ch in any::<u32>(), luck in any::<u32>(), drop in any::<u32>(), seed in any::<u64>()) {
        let mods = HuntModifiers { xp_bonus_pct: x, chrons_bonus_pct: ch, luck_pct: luck, drop_bonus_pct: drop };
        let h = roll_hunt(&TABLES, &mods, &mut common::rng(seed));
        prop_assert!(h.xp >= 0 && h.chrons >= Chrons::new(0) && h.chrons <= MAX_CHRONS);
    }
}

/// Text a user could type: any Unicode scalar values, including controls, combining marks and
/// characters whose lower case is longer or shorter in UTF-8 (`Ⱥ` → `ⱥ`, `İ` → `i̇`, `K` → `k`).
fn any_text() -> impl Strategy<Value = String> {
    prop_oneof![
        prop::collection::vec(any::<char>(), 0..24).prop_map(String::from_iter),
        prop::collection::vec(
            prop_oneof![
                Just(" for ".to_owned()),
                Just(" FOR ".to_owned()),
                Just("for".to_owned()),
                Just(" ".to_owned()),
                Just("+".to_owned()),
                Just(",".to_owned()),
                "[ȺȾİKẞΣ💠ǅ]{1,3}",
                "[0-9.,_kmbtKMBT%+-]{1,5}",
                "(golden net|pet treat|nothing|half|all|heads|tails|low|seven|doubles)",
                any::<char>().prop_map(String::from),
            ],
            0..10,
        )
        .prop_map(|parts| parts.concat()),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 1_024, ..ProptestConfig::default() })]

    /// Every parser of free text typed by users returns, never panics, and what it accepts is in
    /// range. (Checked against the old `trade` split, which searched the lower-cased text and
    /// sliced the original: this strategy finds its panic, shrunk to `"ẞ for "`.)
    #[test]
    fn free_text_parsers_never_panic(text in any_text(), other in any_text(), bal in balance()) {
        if let Ok(v) = parse_amount(&text, Chrons::new(bal)) {
            prop_assert!((1..=MAX_CHRONS).contains(&v.get()));
        }
        if text.parse::<CoinSide>().is_ok() {
            let t = text.trim().to_ascii_lowercase();
            prop_assert!(["h", "head", "heads", "t", "tail", "tails"].contains(&t.as_str()), "{t}");
        }
        if let Ok(DiceBet::Exact(n)) = text.parse::<DiceBet>() {
            prop_assert!((2..=12).contains(&n));
        }

        // `trade`: split, then parse each side (the order the command uses them in).
        let (give, get) = split_trade(&text);
        match text.to_ascii_lowercase().find(" for ") {
            Some(i) => {
                prop_assert_eq!(give, &text[..i]);
                prop_assert!(text[i..i + 5].eq_ignore_ascii_case(" for "));
                prop_assert_eq!(get, &text[i + 5..]);
            }
            None => prop_assert_eq!((give, get), (text.as_str(), "")),
        }
        for side in [give, get, text.as_str()] {
            match parse_offer(side) {
                Ok(o) => {
                    prop_assert!((0..=MAX_CHRONS).contains(&o.chrons.get()));
                    if let Some(item) = o.item {
                        prop_assert!(item.quantity >= 1);
                        prop_assert!(!item.name.is_empty());
                        prop_assert!(!item.name.contains(['+', ',']));
                        prop_assert!(item.name.split(' ').all(|w| !w.is_empty() && !w.contains(char::is_whitespace)));
                    }
                }
                Err(OfferError::Amount(_) | OfferError::Quantity) => {}
            }
        }

        // Item names.
        let n = normalise_name(&text);
        prop_assert!(!n.contains([' ', '-', '\'']), "{n:?}");
        for q in [0, 1, u32::MAX] {
            let _ = quote_buy(&TABLES, &text, q);
            let _ = quote_sell(&TABLES, &n, q);
        }

        // "Did you mean …?" suggestions for typed names.
        let d = edit_distance(&text, &other);
        prop_assert!(d <= text.chars().count().max(other.chars().count()));
        prop_assert_eq!(d, edit_distance(&other, &text));
        prop_assert_eq!(edit_distance(&text, &text), 0);
        let exact = closest(&text, [(1, other.as_str()), (2, text.as_str())], 0);
        prop_assert_eq!(exact, Some(if other == text { 1 } else { 2 }));
    }
}
