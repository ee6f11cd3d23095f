//! `general`: the always-on commands: `help`, `ping`, `about` (alias `stats`), `devstats`,
//! `prefix`, `module`, `errorlog`, `language`.

pub mod admin;
pub mod help;
pub mod info;
pub mod language;

use crate::prelude::*;
use crate::registry::ALWAYS_ON;

/// The general feature.
pub fn feature() -> Feature {
    Feature::new("general", commands)
        .switch(ALWAYS_ON)
        .slash_group(
            "bot",
            "Chronix itself: about, prefix, modules, error log",
            &["help", "ping"],
        )
        .pages(help::PAGES, help::draw_page)
}

/// General commands.
pub fn commands() -> Vec<Command> {
    vec![
        help::help(),
        info::ping(),
        info::about(),
        info::devstats(),
        admin::prefix(),
        admin::module(),
        admin::errorlog(),
        language::language(),
    ]
}
