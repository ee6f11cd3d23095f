//! Core commands, always on: `help`, `ping`, `about` (alias `stats`), `prefix`, `module`,
//! `errorlog`.

pub mod admin;
pub mod help;
pub mod info;

use crate::Command;
use crate::registry::{CORE, Feature};

/// The core feature.
pub fn feature() -> Feature {
    Feature::new(CORE, commands).component(help::COMPONENT_PREFIX, help::on_component)
}

/// Core commands.
pub fn commands() -> Vec<Command> {
    vec![
        help::help(),
        info::ping(),
        info::about(),
        info::devstats(),
        admin::prefix(),
        admin::module(),
        admin::errorlog(),
    ]
}
