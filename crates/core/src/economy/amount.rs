//! Parsing amounts typed by users: `1000`, `1,000`, `1k`, `2.5m`, `all`, `half`, `25%`.

use super::{Chrons, MAX_CHRONS};

/// Why a typed amount was refused. Each variant renders as a message fit for the user.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AmountError {
    /// Nothing was typed.
    #[error("please give an amount, like `500`, `2.5k`, `half` or `all`")]
    Empty,
    /// The text is not an amount.
    #[error("`{0}` is not an amount; try `500`, `2.5k`, `1m`, `half`, `all` or `25%`")]
    Malformed(String),
    /// A negative amount.
    #[error("the amount can't be negative")]
    Negative,
    /// Zero (including `all`/`half` of an empty balance).
    #[error("the amount must be more than zero")]
    Zero,
    /// A fraction of a Chron (`1.5`, `1.2345k`).
    #[error("Chrons can't be split: `{0}` is not a whole number of Chrons")]
    NotWhole(String),
    /// A percentage outside 1..=100.
    #[error("a percentage must be between 1% and 100%")]
    BadPercent,
    /// More than [`MAX_CHRONS`].
    #[error("that's too much: the most you can use at once is {max} Chrons")]
    TooLarge {
        /// [`MAX_CHRONS`].
        max: Chrons,
    },
}

/// Parses an amount typed by a user. `balance` is what `all`, `half` and percentages refer to.
///
/// Accepted (case-insensitive, surrounding spaces and a trailing `💠` ignored):
/// - whole numbers with optional `,`/`_` separators: `1000`, `1,000`, `1_000`
/// - a decimal with a suffix `k` (10³), `m` (10⁶), `b` (10⁹), `t` (10¹²): `1k`, `2.5m`; the result
///   must be a whole number of Chrons
/// - `all` / `max` (the whole balance), `half` (rounded down), `N%` (1–100, rounded down)
///
/// The result is always within `1..=MAX_CHRONS`.
pub fn parse_amount(input: &str, balance: Chrons) -> Result<Chrons, AmountError> {
    let text = input
        .trim()
        .trim_end_matches('💠')
        .trim()
        .to_ascii_lowercase();
    if text.is_empty() {
        return Err(AmountError::Empty);
    }
    let balance = balance.clamp(Chrons::ZERO, MAX_CHRONS);
    let value: i128 = match text.as_str() {
        "all" | "max" | "everything" => i128::from(balance),
        "half" => i128::from(balance) / 2,
        _ if text.ends_with('%') => {
            let digits = text[..text.len() - 1].trim();
            if digits.starts_with('-') {
                return Err(AmountError::Negative);
            }
            if digits.is_empty() || digits.len() > 3 || !digits.bytes().all(|b| b.is_ascii_digit())
            {
                return Err(AmountError::Malformed(input.trim().to_owned()));
            }
            let pct: i128 = digits.parse().map_err(|_| AmountError::BadPercent)?;
            if !(1..=100).contains(&pct) {
                return Err(AmountError::BadPercent);
            }
            i128::from(balance) * pct / 100
        }
        _ => parse_number(&text, input.trim())?,
    };
    if value == 0 {
        return Err(AmountError::Zero);
    }
    if value > i128::from(MAX_CHRONS) {
        return Err(AmountError::TooLarge { max: MAX_CHRONS });
    }
    Ok(Chrons::clamped(value))
}

fn parse_number(text: &str, original: &str) -> Result<i128, AmountError> {
    let malformed = || AmountError::Malformed(original.to_owned());
    let (negative, body) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text.strip_prefix('+').unwrap_or(text)),
    };
    let (body, multiplier): (&str, i128) = match body.chars().last() {
        Some('k') => (&body[..body.len() - 1], 1_000),
        Some('m') => (&body[..body.len() - 1], 1_000_000),
        Some('b') => (&body[..body.len() - 1], 1_000_000_000),
        Some('t') => (&body[..body.len() - 1], 1_000_000_000_000),
        _ => (body, 1),
    };
    let body = body.trim_end();
    let (int_part, frac_part) = match body.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (body, None),
    };
    // Integer part: digits with optional `,` / `_` separators between digits.
    if int_part.is_empty() && frac_part.is_none_or(|f| f.is_empty()) {
        return Err(malformed());
    }
    if int_part.starts_with([',', '_']) || int_part.ends_with([',', '_']) {
        return Err(malformed());
    }
    let mut int_value: i128 = 0;
    for ch in int_part.chars() {
        match ch {
            '0'..='9' => {
                int_value = int_value * 10 + i128::from(ch as u8 - b'0');
                if int_value > i128::from(MAX_CHRONS) * 10 {
                    // Keep consuming to report "malformed" before "too large" for junk input.
                    if !int_part
                        .chars()
                        .all(|c| c.is_ascii_digit() || c == ',' || c == '_')
                    {
                        return Err(malformed());
                    }
                    return if negative {
                        Err(AmountError::Negative)
                    } else {
                        Err(AmountError::TooLarge { max: MAX_CHRONS })
                    };
                }
            }
            ',' | '_' => {}
            _ => return Err(malformed()),
        }
    }
    // Fraction: digits only, at most 12 (suffix `t` is 10^12).
    let (frac_value, frac_scale) = match frac_part {
        None => (0i128, 1i128),
        Some(f) => {
            if f.len() > 12
                || !f.bytes().all(|b| b.is_ascii_digit())
                || (f.is_empty() && int_part.is_empty())
            {
                return Err(malformed());
            }
            let v: i128 = if f.is_empty() {
                0
            } else {
                f.parse().map_err(|_| malformed())?
            };
            (v, 10i128.pow(f.len() as u32))
        }
    };
    if negative {
        return Err(AmountError::Negative);
    }
    let frac_chrons = frac_value * multiplier;
    if frac_chrons % frac_scale != 0 {
        return Err(AmountError::NotWhole(original.to_owned()));
    }
    Ok(int_value * multiplier + frac_chrons / frac_scale)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepted_forms() {
        let ok = |s: &str, bal: i64| {
            parse_amount(s, Chrons::new(bal)).unwrap_or_else(|e| panic!("{s}: {e}"))
        };
        assert_eq!(ok("1000", 0), Chrons::new(1_000));
        assert_eq!(ok("1,000", 0), Chrons::new(1_000));
        assert_eq!(ok("1_000_000", 0), Chrons::new(1_000_000));
        assert_eq!(ok("1k", 0), Chrons::new(1_000));
        assert_eq!(ok("1K", 0), Chrons::new(1_000));
        assert_eq!(ok("2.5m", 0), Chrons::new(2_500_000));
        assert_eq!(ok("1.234k", 0), Chrons::new(1_234));
        assert_eq!(ok(".5k", 0), Chrons::new(500));
        assert_eq!(ok("3b", 0), Chrons::new(3_000_000_000));
        assert_eq!(ok("1000t", 0), MAX_CHRONS);
        assert_eq!(ok("  +42 💠 ", 0), Chrons::new(42));
        assert_eq!(ok("all", 777), Chrons::new(777));
        assert_eq!(ok("MAX", 777), Chrons::new(777));
        assert_eq!(ok("half", 777), Chrons::new(388));
        assert_eq!(ok("25%", 1_000), Chrons::new(250));
        assert_eq!(ok("100%", 1_000), Chrons::new(1_000));
    }

    #[test]
    fn refused_forms() {
        let err = |s: &str, bal: i64| parse_amount(s, Chrons::new(bal)).unwrap_err();
        assert_eq!(err("", 10), AmountError::Empty);
        assert_eq!(err("   ", 10), AmountError::Empty);
        assert_eq!(err("0", 10), AmountError::Zero);
        assert_eq!(err("0k", 10), AmountError::Zero);
        assert_eq!(err("all", 0), AmountError::Zero);
        assert_eq!(err("half", 1), AmountError::Zero);
        assert_eq!(err("-5", 10), AmountError::Negative);
        assert_eq!(err("-2.5k", 10), AmountError::Negative);
        assert_eq!(err("-10%", 10), AmountError::Negative);
        assert_eq!(err("1.5", 10), AmountError::NotWhole("1.5".into()));
        assert_eq!(err("1.2345k", 10), AmountError::NotWhole("1.2345k".into()));
        assert_eq!(err("101%", 10), AmountError::BadPercent);
        assert_eq!(err("0%", 10), AmountError::BadPercent);
        assert_eq!(err("1001t", 10), AmountError::TooLarge { max: MAX_CHRONS });
        assert_eq!(
            err("99999999999999999999999999999", 10),
            AmountError::TooLarge { max: MAX_CHRONS }
        );
        for junk in [
            "abc", "k", "1kk", "1e5", "1..5", "12a", ",5", "5,", "1.2.3", "%", "½", "--5",
        ] {
            assert!(matches!(err(junk, 10), AmountError::Malformed(_)), "{junk}");
        }
    }

    #[test]
    fn percent_bounds() {
        let p = |s: &str| parse_amount(s, Chrons::new(1_000));
        assert_eq!(p("1%"), Ok(Chrons::new(10)));
        assert_eq!(p("100%"), Ok(Chrons::new(1_000)));
        assert_eq!(p("050%"), Ok(Chrons::new(500)));
        assert_eq!(p(" 7 %"), Ok(Chrons::new(70)));
        // At most three digits, digits only.
        for bad in ["1000%", "0100%", "1a%", "a%", "5.5%", "+5%", "%%", "٣%"] {
            assert_eq!(p(bad), Err(AmountError::Malformed(bad.into())), "{bad}");
        }
        assert_eq!(p("101%"), Err(AmountError::BadPercent));
        assert_eq!(p("000%"), Err(AmountError::BadPercent));
        assert_eq!(p("- 5%"), Err(AmountError::Negative));
        assert_eq!(parse_amount("1%", Chrons::new(99)), Err(AmountError::Zero));
        assert_eq!(parse_amount("50%", MAX_CHRONS), Ok(MAX_CHRONS / 2));
    }

    #[test]
    fn long_numbers_stop_early_at_ten_times_the_maximum() {
        let err = |s: &str| parse_amount(s, Chrons::new(0)).unwrap_err();
        let too_large = AmountError::TooLarge { max: MAX_CHRONS };
        // Up to 10 × MAX_CHRONS the whole text is read (so a fraction is reported), beyond it the
        // digits are only checked.
        assert_eq!(
            err("10000000000000000.5"),
            AmountError::NotWhole("10000000000000000.5".into())
        );
        assert_eq!(err("10000000000000001.5"), too_large);
        assert_eq!(err("10000000000000000"), too_large);
        assert_eq!(err("1000000000000001"), too_large);
        assert_eq!(
            parse_amount("999999999999999", Chrons::new(0)),
            Ok(Chrons::new(999_999_999_999_999))
        );
        // Far more digits than an i128 holds.
        assert_eq!(err(&"9".repeat(60)), too_large);
        assert_eq!(err(&format!("-{}", "9".repeat(60))), AmountError::Negative);
        // Separators are allowed in long numbers; anything else is malformed.
        assert_eq!(err("99,999,999,999,999,999"), too_large);
        assert_eq!(err("99_999_999_999_999_999"), too_large);
        for junk in [
            "99999999999999999x",
            "x99999999999999999",
            "99999999999999999 9",
            "99999999999999999-",
            "99999999999999999.",
        ] {
            let expected = if junk.ends_with('.') {
                too_large.clone()
            } else {
                AmountError::Malformed(junk.into())
            };
            assert_eq!(err(junk), expected, "{junk}");
        }
    }

    #[test]
    fn fraction_bounds() {
        let ok = |s: &str| parse_amount(s, Chrons::new(0));
        // Up to 12 decimals (the `t` suffix makes all of them whole Chrons).
        assert_eq!(ok("1.000000000001t"), Ok(Chrons::new(1_000_000_000_001)));
        assert_eq!(ok("0.000000000001t"), Ok(Chrons::new(1)));
        assert_eq!(
            ok("1.0000000000000t"),
            Err(AmountError::Malformed("1.0000000000000t".into()))
        );
        // A point with nothing after it, and nothing before it.
        assert_eq!(ok("5."), Ok(Chrons::new(5)));
        assert_eq!(ok("2.k"), Ok(Chrons::new(2_000)));
        assert_eq!(ok(".5k"), Ok(Chrons::new(500)));
        assert_eq!(ok("."), Err(AmountError::Malformed(".".into())));
        assert_eq!(ok(".k"), Err(AmountError::Malformed(".k".into())));
        // Only digits after the point (`i128::from_str` alone would accept a sign).
        for junk in ["1.+5k", "1.-5k", "1.5_0k", "1.5,0k", "1. 5k"] {
            assert_eq!(ok(junk), Err(AmountError::Malformed(junk.into())), "{junk}");
        }
        assert_eq!(ok("1.5"), Err(AmountError::NotWhole("1.5".into())));
        assert_eq!(ok("1.5k"), Ok(Chrons::new(1_500)));
        assert_eq!(ok("0.5k"), Ok(Chrons::new(500)));
        assert_eq!(ok("1.25k"), Ok(Chrons::new(1_250)));
        assert_eq!(ok("1.001m"), Ok(Chrons::new(1_001_000)));
        assert_eq!(ok("2.000000001b"), Ok(Chrons::new(2_000_000_001)));
        assert_eq!(
            ok("1.0000000001b"),
            Err(AmountError::NotWhole("1.0000000001b".into()))
        );
    }

    #[test]
    fn errors_read_well() {
        assert_eq!(
            AmountError::TooLarge { max: MAX_CHRONS }.to_string(),
            "that's too much: the most you can use at once is 1000000000000000 Chrons"
        );
        assert!(
            AmountError::Malformed("x".into())
                .to_string()
                .contains("`x` is not an amount")
        );
    }
}
