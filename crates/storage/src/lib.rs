//! Chronix storage: the only crate that speaks SQL (PostgreSQL and SQLite).
