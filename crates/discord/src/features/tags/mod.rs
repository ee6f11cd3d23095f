//! `tags`: tags and custom commands (spec §27; issue 14).

use crate::prelude::*;

/// The tags feature.
pub fn feature() -> Feature {
    Feature::new("tags", Vec::new)
}
