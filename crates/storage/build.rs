//! Rebuild when a migration is added or changed: `sqlx::migrate!` embeds the migration folders at
//! compile time, and Cargo does not notice new files in them on its own.
fn main() {
    println!("cargo:rerun-if-changed=../../migrations/postgres");
    println!("cargo:rerun-if-changed=../../migrations/sqlite");
}
