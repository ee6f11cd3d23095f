//! Chronix Discord glue: poise commands, panels, listeners, embed builders.
