//! `autohunt`: automatic hunting (spec §VII).
//!
//! * [`commands`]: `autohunt` (`autoh`, `ah`) with `enable` (`on`), `disable` (`off`),
//!   `status`, `upgrade <trait>`; the live embed ([`commands::live_embed`]).
//! * [`tick`]: the feature's scheduler tick: due sessions in batches on `AUTOHUNT_WORKERS`
//!   concurrent workers ([`tick::process_due_concurrently`], one transaction per batch,
//!   `SKIP LOCKED`), DMs to players whose session stopped, and the live panels (kernel
//!   [`crate::ui::live`]) edited in place.
//!
//! Switched by `ENABLE_GAMEPLAY` (shared with `hunt`).

pub mod commands;
pub mod tick;

use std::sync::Arc;

use chronix_config::Config;
use chronix_core::autohunt::AutohuntRules;

use crate::prelude::*;

/// The autohunt feature.
pub fn feature() -> Feature {
    Feature::new("autohunt", || vec![commands::autohunt()])
        // The game tables it reads are loaded by `hunt`'s start-up hook: same switch, so they
        // are always loaded when autohunt runs (a second hook would read and validate them twice).
        .switch(crate::features::hunt::SWITCH)
        .tick(Arc::new(tick::AutohuntTick::default()))
        .config_keys(&[
            "AUTOHUNT_INTERVAL_SECS",
            "AUTOHUNT_BATCH_SIZE",
            "AUTOHUNT_WORKERS",
        ])
}

/// The autohunt rules: core's defaults with the interval from `AUTOHUNT_INTERVAL_SECS`.
pub fn autohunt_rules(config: &Config) -> AutohuntRules {
    let defaults = AutohuntRules::default();
    let interval = u32::try_from(config.autohunt_interval_secs.max(1)).unwrap_or(u32::MAX);
    AutohuntRules {
        base_interval_secs: interval,
        min_interval_secs: defaults.min_interval_secs.min(interval),
        ..defaults
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn autohunt_interval_comes_from_the_configuration() {
        let mut config = Config::from_values(&Default::default()).unwrap();
        config.autohunt_interval_secs = 2;
        let r = autohunt_rules(&config);
        assert_eq!((r.base_interval_secs, r.min_interval_secs), (2, 2));
    }
}
