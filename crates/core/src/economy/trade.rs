//! Free text typed for a `trade`: `500 for golden net 2`, split into the two sides, and one side
//! parsed into Chrons and an item stack.
//!
//! These functions only ever slice the string they were given, at positions found in that same
//! string, so no input can make them panic (issue 9: `ȺȺ for 5` used to panic because `" for "`
//! was searched in the lower-cased text, which can be longer than the original).

use super::{AmountError, Chrons, MAX_CHRONS, parse_amount};

/// The word between the two sides of a trade, with its surrounding spaces.
const FOR: &[u8] = b" for ";

/// Splits `give for get` at the first `" for "` (ASCII case-insensitive: `FOR`, `For`).
/// Without one, everything is given and nothing asked: `(text, "")`.
///
/// Both parts are slices of `text`, untrimmed.
pub fn split_trade(text: &str) -> (&str, &str) {
    // `FOR` is ASCII, and in UTF-8 an ASCII byte is always a whole character, so a match starts
    // and ends on character boundaries.
    match text
        .as_bytes()
        .windows(FOR.len())
        .position(|w| w.eq_ignore_ascii_case(FOR))
    {
        Some(i) => (&text[..i], &text[i + FOR.len()..]),
        None => (text, ""),
    }
}

/// The normal form of an item or creature name typed by a user, to compare with ids and names:
/// trimmed, lower-cased, spaces and `-` turned into `_`, apostrophes dropped.
/// `"Scholar's Scroll"` → `"scholars_scroll"`, `" Golden-Net "` → `"golden_net"`.
pub fn normalise_name(text: &str) -> String {
    text.trim()
        .to_lowercase()
        .replace([' ', '-'], "_")
        .replace('\'', "")
}

/// An item stack asked for by name; the caller looks the name up.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ItemRequest {
    /// The name as typed (words joined by single spaces), not yet normalised.
    pub name: String,
    /// How many (≥ 1).
    pub quantity: i64,
}

/// One side of a trade as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OfferText {
    /// Chrons offered (0 = none).
    pub chrons: Chrons,
    /// The item stack offered, if any.
    pub item: Option<ItemRequest>,
}

/// Why one side of a trade could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum OfferError {
    /// The leading amount is not a valid amount.
    #[error(transparent)]
    Amount(#[from] AmountError),
    /// The item quantity was zero or negative.
    #[error("An item quantity must be at least 1.")]
    Quantity,
}

/// Parses one side of a trade: `500`, `golden_net 2`, `500 + golden net 2`, `nothing`.
///
/// - empty, `nothing` (any case), `-` or `0` is nothing;
/// - words are separated by spaces, `+` or `,`;
/// - a first word starting with an ASCII digit is an amount, read by [`parse_amount`] against a
///   balance of [`MAX_CHRONS`] (there is no balance here: `50%` is half of `MAX_CHRONS`, and the
///   trade itself refuses more than the player has); `all` or `half` is not an amount but a name;
/// - the remaining words are an item name, and if there are two or more of them and the last is
///   an integer, that is the quantity (else 1).
pub fn parse_offer(text: &str) -> Result<OfferText, OfferError> {
    let mut offer = OfferText::default();
    let text = text.trim();
    if text.is_empty() || text.eq_ignore_ascii_case("nothing") || text == "-" || text == "0" {
        return Ok(offer);
    }
    let mut words: Vec<&str> = text
        .split(|c: char| c.is_whitespace() || c == '+' || c == ',')
        .filter(|w| !w.is_empty())
        .collect();
    if let Some(first) = words.first() {
        if first.starts_with(|c: char| c.is_ascii_digit()) {
            offer.chrons = parse_amount(first, MAX_CHRONS)?;
            words.remove(0);
        }
    }
    if !words.is_empty() {
        let quantity = match words.last().and_then(|w| w.parse::<i64>().ok()) {
            Some(q) if words.len() > 1 => {
                words.pop();
                q
            }
            _ => 1,
        };
        if quantity <= 0 {
            return Err(OfferError::Quantity);
        }
        offer.item = Some(ItemRequest {
            name: words.join(" "),
            quantity,
        });
    }
    Ok(offer)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(name: &str, quantity: i64) -> Option<ItemRequest> {
        Some(ItemRequest {
            name: name.to_owned(),
            quantity,
        })
    }

    #[test]
    fn issue_9_input_splits_without_panicking() {
        // `Ⱥ` (2 bytes) lower-cases to `ⱥ` (3 bytes): the old code found " for " at byte 6 of
        // the lower-cased text and sliced the original (9 bytes) at 6 + 5 = 11.
        let text = "ȺȺ for 5";
        assert_eq!("ȺȺ for 5".to_lowercase().find(" for "), Some(6));
        assert_eq!(split_trade(text), ("ȺȺ", "5"));
        assert_eq!(split_trade("alice ȺȺ for 5"), ("alice ȺȺ", "5"));
        assert_eq!(split_trade("ȺȺȺȺ FOR ȺȺ"), ("ȺȺȺȺ", "ȺȺ"));
        // The other direction: `ẞ` (3 bytes) lower-cases to `ß` (2 bytes), and the old code
        // sliced inside the `ẞ`.
        assert_eq!(split_trade("ẞ for "), ("ẞ", ""));
        assert_eq!(split_trade("ẞẞ For golden net"), ("ẞẞ", "golden net"));
        assert_eq!(
            parse_offer("ȺȺ"),
            Ok(OfferText {
                chrons: Chrons::new(0),
                item: item("ȺȺ", 1),
            })
        );
        assert_eq!(
            parse_offer("5"),
            Ok(OfferText {
                chrons: Chrons::new(5),
                item: None
            })
        );
    }

    #[test]
    fn splits_at_the_first_for_in_any_ascii_case() {
        assert_eq!(split_trade("500 for golden net 2"), ("500", "golden net 2"));
        assert_eq!(split_trade("500 FOR 2"), ("500", "2"));
        assert_eq!(split_trade("500 fOr 2"), ("500", "2"));
        assert_eq!(split_trade("1 for 2 for 3"), ("1", "2 for 3"));
        assert_eq!(split_trade(" for x"), ("", "x"));
        assert_eq!(split_trade("x for "), ("x", ""));
        // Only the word with a space on each side.
        assert_eq!(split_trade("500 fort 2"), ("500 fort 2", ""));
        assert_eq!(split_trade("500 for"), ("500 for", ""));
        assert_eq!(split_trade("500\tfor 2"), ("500\tfor 2", ""));
        assert_eq!(split_trade(""), ("", ""));
        assert_eq!(split_trade("for"), ("for", ""));
    }

    #[test]
    fn names_are_normalised() {
        assert_eq!(normalise_name("Scholar's Scroll"), "scholars_scroll");
        assert_eq!(normalise_name("  Golden-Net \n"), "golden_net");
        assert_eq!(normalise_name("golden_net"), "golden_net");
        assert_eq!(normalise_name("ȺȺ"), "ⱥⱥ");
        assert_eq!(normalise_name(""), "");
    }

    #[test]
    fn offers_with_chrons_items_and_quantities() {
        let ok = |s: &str| parse_offer(s).unwrap_or_else(|e| panic!("{s}: {e}"));
        for nothing in [
            "",
            "   ",
            "nothing",
            "NOTHING",
            " Nothing ",
            "-",
            "0",
            " 0 ",
        ] {
            assert_eq!(ok(nothing), OfferText::default(), "{nothing:?}");
        }
        assert_eq!(
            ok("2.5k"),
            OfferText {
                chrons: Chrons::new(2_500),
                item: None
            }
        );
        assert_eq!(
            ok("500 + golden net 2"),
            OfferText {
                chrons: Chrons::new(500),
                item: item("golden net", 2)
            }
        );
        assert_eq!(
            ok("500,golden_net,3"),
            OfferText {
                chrons: Chrons::new(500),
                item: item("golden_net", 3)
            }
        );
        assert_eq!(
            ok("Pet Treat"),
            OfferText {
                chrons: Chrons::new(0),
                item: item("Pet Treat", 1)
            }
        );
        // A lone number after the amount is a name, not a quantity.
        assert_eq!(
            ok("5 7"),
            OfferText {
                chrons: Chrons::new(5),
                item: item("7", 1)
            }
        );
        assert_eq!(
            ok("unicorn 3"),
            OfferText {
                chrons: Chrons::new(0),
                item: item("unicorn", 3)
            }
        );
        assert_eq!(
            ok("golden net 1"),
            OfferText {
                chrons: Chrons::new(0),
                item: item("golden net", 1)
            }
        );
        // Only a first word starting with a digit is an amount.
        assert_eq!(
            ok("half"),
            OfferText {
                chrons: Chrons::new(0),
                item: item("half", 1)
            }
        );
        assert_eq!(
            ok("50%"),
            OfferText {
                chrons: MAX_CHRONS / 2,
                item: None
            }
        );
        assert_eq!(
            ok("1000t"),
            OfferText {
                chrons: MAX_CHRONS,
                item: None
            }
        );
    }

    #[test]
    fn refused_offers() {
        assert_eq!(parse_offer("golden net 0"), Err(OfferError::Quantity));
        assert_eq!(parse_offer("golden net -2"), Err(OfferError::Quantity));
        assert_eq!(
            parse_offer("5x golden net"),
            Err(OfferError::Amount(AmountError::Malformed("5x".into())))
        );
        assert_eq!(
            parse_offer("1001t"),
            Err(OfferError::Amount(AmountError::TooLarge {
                max: MAX_CHRONS
            }))
        );
        assert_eq!(
            parse_offer("00"),
            Err(OfferError::Amount(AmountError::Zero))
        );
        assert_eq!(
            OfferError::Quantity.to_string(),
            "An item quantity must be at least 1."
        );
        assert_eq!(
            OfferError::Amount(AmountError::Zero).to_string(),
            AmountError::Zero.to_string()
        );
    }
}
