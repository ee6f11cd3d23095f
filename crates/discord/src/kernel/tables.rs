//! The game tables (`assets/tables/*.yaml`: loot, creatures, gems, crates, shop items), shared by
//! the features that read them (hunt, autohunt, economy's shop and market).
//!
//! They are loaded and validated by [`init`] (a start-up hook of the features that need them: a
//! bad table stops start-up with every problem listed), and `item_definitions` is synced from
//! them. They are read from the first directory that exists among `$DATA_DIR/tables`,
//! `./assets/tables` and `/usr/share/chronix/assets/tables` (the Docker image); without any, the
//! copy compiled into the binary is used.

use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

use anyhow::Context as _;
use chronix_config::Config;
use chronix_core::pets::PetRules;
use chronix_core::tables::{FILE_NAMES, TableSources, Tables};
use chronix_core::xp::XpCurve;
use rand::SeedableRng;
use rand::rngs::StdRng;

use crate::Data;
use crate::registry::BoxFuture;

static TABLES: OnceLock<Arc<Tables>> = OnceLock::new();
static PET_RULES: OnceLock<Arc<PetRules>> = OnceLock::new();

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

/// Reads and validates the six table files of `dir` (or the embedded copy). The error lists
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
        weapons: &texts[5],
    };
    Tables::from_yaml_strs(&sources).map_err(|e| {
        anyhow::anyhow!(
            "the game tables in {} are invalid; fix these problems:\n{e}",
            dir.display()
        )
    })
}

/// Reads and validates `pets.yaml` of `dir` (the embedded copy when `dir` is `None` or has no
/// `pets.yaml`) against `tables`. The error lists every problem with its key.
pub fn load_pet_rules(dir: Option<&Path>, tables: &Tables) -> anyhow::Result<PetRules> {
    let path = dir.map(|d| d.join(chronix_core::pets::FILE));
    let text = match &path {
        Some(p) if p.is_file() => std::fs::read_to_string(p)
            .with_context(|| format!("reading game table {}", p.display()))?,
        _ => chronix_core::pets::shipped_source().to_string(),
    };
    PetRules::from_yaml_str(&text, tables).map_err(|problems| {
        let list: Vec<String> = problems.iter().map(|p| format!("  - {p}")).collect();
        anyhow::anyhow!(
            "the pet rules ({}) are invalid; fix these problems:\n{}",
            path.as_ref()
                .filter(|p| p.is_file())
                .map_or("embedded".to_string(), |p| p.display().to_string()),
            list.join("\n")
        )
    })
}

/// [`init`] as a feature start-up hook (`Feature::on_start(tables::start_hook)`).
pub fn start_hook(data: &Data) -> BoxFuture<'_, anyhow::Result<()>> {
    Box::pin(init(data))
}

/// Start-up: loads and validates the tables (an error stops the bot) and syncs
/// `item_definitions`. Runs once per process (later calls only sync the definitions).
pub async fn init(data: &Data) -> anyhow::Result<()> {
    let dir = tables_dir(data.config());
    let tables = load_tables(dir.as_deref())?;
    tracing::info!(
        source = %dir.as_ref().map_or("embedded".to_string(), |d| d.display().to_string()),
        creatures = tables.creatures().len(),
        "game tables loaded"
    );
    let pets = load_pet_rules(dir.as_deref(), &tables)?;
    let tables = TABLES.get_or_init(|| Arc::new(tables));
    PET_RULES.get_or_init(|| Arc::new(pets));
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

/// The validated pet rules ([`init`]'s, or the embedded copy when `init` has not run).
pub fn pet_rules() -> &'static Arc<PetRules> {
    PET_RULES.get_or_init(|| {
        Arc::new(
            PetRules::shipped(tables())
                .expect("the embedded pets.yaml is valid (chronix-core tests it)"),
        )
    })
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
        for (name, text) in FILE_NAMES.iter().zip([
            src.hunt,
            src.creatures,
            src.gems,
            src.crates,
            src.items,
            src.weapons,
        ]) {
            std::fs::write(dir.join(name), text).unwrap();
        }
        assert!(load_tables(Some(&dir)).is_ok());
        let t = load_tables(Some(&dir)).unwrap();
        assert!(
            load_pet_rules(Some(&dir), &t).is_ok(),
            "no pets.yaml: the embedded one"
        );
        std::fs::write(dir.join("pets.yaml"), "team_size: 3\n").unwrap();
        let err = load_pet_rules(Some(&dir), &t).unwrap_err().to_string();
        assert!(err.contains("pets.yaml"), "{err}");
        let bad = src.creatures.replacen("rarity: common", "rarity: epik", 1);
        std::fs::write(dir.join("creatures.yaml"), bad).unwrap();
        let err = load_tables(Some(&dir)).unwrap_err().to_string();
        std::fs::remove_dir_all(&dir).unwrap();
        assert!(
            err.contains("creatures.yaml") && err.contains("epik"),
            "{err}"
        );
    }
}
