//! `gameplay`: hunting (spec §V) and autohunt (spec §VII).
//!
//! * [`hunt`]: `hunt` (`h`, `search`): one roll on the data-driven tables, applied in ONE
//!   transaction (cooldown, Chrons through the ledger, loot, XP, stats); `inventory` (`inv`,
//!   `bag`).
//! * [`autohunt`]: `autohunt` (`autoh`, `ah`) with `enable` (`on`), `disable` (`off`), `status`,
//!   `upgrade <trait>`; the live embed ([`autohunt::live_embed`]) the scheduler edits in place.
//! * The scheduler loop itself lives in [`crate::scheduler`].
//!
//! The tables (`assets/tables/*.yaml`) are loaded and validated by [`init`] when the bot starts
//! (a bad table stops start-up with every problem listed), and `item_definitions` is synced from
//! them. They are read from the first directory that exists among `$DATA_DIR/tables`,
//! `./assets/tables` and `/usr/share/chronix/assets/tables` (the Docker image); without any, the
//! copy compiled into the binary is used.

pub mod autohunt;
pub mod hunt;

use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

use anyhow::Context as _;
use chronix_config::Config;
use chronix_core::autohunt::AutohuntRules;
use chronix_core::tables::{FILE_NAMES, TableSources, Tables};
use chronix_core::xp::XpCurve;
use rand::SeedableRng;
use rand::rngs::StdRng;

use crate::prelude::*;
use crate::registry::Feature;

/// The feature name (as `ENABLE_GAMEPLAY`).
pub const NAME: &str = "gameplay";

/// The gameplay feature.
pub fn feature() -> Feature {
    Feature::new(NAME, commands)
}

/// Gameplay commands.
pub fn commands() -> Vec<Command> {
    vec![hunt::hunt(), hunt::inventory(), autohunt::autohunt()]
}

static TABLES: OnceLock<Arc<Tables>> = OnceLock::new();

/// Where the tables are read from: the first existing directory among `$DATA_DIR/tables`,
/// `./assets/tables`, `/usr/share/chronix/assets/tables`; `None` means the embedded copy.
pub fn tables_dir(config: &Config) -> Option<PathBuf> {
    [
        config.data_dir.join("tables"),
        PathBuf::from("assets/tables"),
        PathBuf::from("/usr/share/chronix/assets/tables"),
    ]
    .into_iter()
    .find(|d| d.join("hunt.yaml").is_file())
}

/// Reads and validates the five table files of `dir` (or the embedded copy). The error lists
/// every problem with its file and key.
pub fn load_tables(dir: Option<&Path>) -> anyhow::Result<Tables> {
    let Some(dir) = dir else {
        return Tables::from_yaml_strs(&chronix_core::tables::shipped_sources())
            .map_err(|e| anyhow::anyhow!("the embedded game tables are invalid:\n{e}"));
    };
    let mut texts = Vec::new();
    for name in FILE_NAMES {
        let path = dir.join(name);
        texts.push(
            std::fs::read_to_string(&path)
                .with_context(|| format!("reading game table {}", path.display()))?,
        );
    }
    let sources = TableSources {
        hunt: &texts[0],
        creatures: &texts[1],
        gems: &texts[2],
        crates: &texts[3],
        items: &texts[4],
    };
    Tables::from_yaml_strs(&sources).map_err(|e| {
        anyhow::anyhow!(
            "the game tables in {} are invalid; fix these problems:\n{e}",
            dir.display()
        )
    })
}

/// Start-up: loads and validates the tables (an error stops the bot) and syncs
/// `item_definitions`. Called by [`crate::framework::start`] when gameplay is enabled.
pub async fn init(data: &Data) -> anyhow::Result<()> {
    let dir = tables_dir(data.config());
    let tables = load_tables(dir.as_deref())?;
    tracing::info!(
        source = %dir.as_ref().map_or("embedded".to_string(), |d| d.display().to_string()),
        creatures = tables.creatures().len(),
        "game tables loaded"
    );
    let tables = TABLES.get_or_init(|| Arc::new(tables));
    chronix_storage::inventory::sync_definitions(data.storage(), tables)
        .await
        .context("syncing item definitions from the game tables")?;
    Ok(())
}

/// The validated tables ([`init`]'s, or the embedded copy when `init` has not run).
pub fn tables() -> &'static Arc<Tables> {
    TABLES.get_or_init(|| {
        Arc::new(
            Tables::from_yaml_strs(&chronix_core::tables::shipped_sources())
                .expect("the embedded game tables are valid (chronix-core tests them)"),
        )
    })
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

/// The global XP curve.
pub fn xp_curve() -> XpCurve {
    XpCurve::default()
}

/// A CSPRNG seeded from the OS, for every roll.
pub fn rng() -> StdRng {
    StdRng::from_os_rng()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_tables_are_valid_and_a_bad_table_lists_its_problems() {
        assert!(load_tables(None).is_ok());
        let dir = std::env::temp_dir().join(format!("chronix-tables-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let src = chronix_core::tables::shipped_sources();
        for (name, text) in
            FILE_NAMES
                .iter()
                .zip([src.hunt, src.creatures, src.gems, src.crates, src.items])
        {
            std::fs::write(dir.join(name), text).unwrap();
        }
        assert!(load_tables(Some(&dir)).is_ok());
        let bad = src.creatures.replacen("rarity: common", "rarity: epik", 1);
        std::fs::write(dir.join("creatures.yaml"), bad).unwrap();
        let err = load_tables(Some(&dir)).unwrap_err().to_string();
        std::fs::remove_dir_all(&dir).unwrap();
        assert!(
            err.contains("creatures.yaml") && err.contains("epik"),
            "{err}"
        );
    }

    #[test]
    fn autohunt_interval_comes_from_the_configuration() {
        let mut config = Config::from_values(&Default::default()).unwrap();
        config.autohunt_interval_secs = 2;
        let r = autohunt_rules(&config);
        assert_eq!((r.base_interval_secs, r.min_interval_secs), (2, 2));
    }
}
