//! Backups and restores of the whole database (`chronix backup`, `chronix restore`, `owner
//! backup`, the scheduled backup job).
//!
//! * SQLite: `VACUUM INTO` writes a consistent copy while the bot runs. Restoring copies the
//!   file over the configured database (the old file is kept beside it as `*.pre-restore`);
//!   stop the bot first.
//! * PostgreSQL: `pg_dump --format=custom` (the client tools must be installed; Debian:
//!   `postgresql-client`). Restoring runs `pg_restore` into the configured database, which
//!   must be empty (create it with `createdb`), so nothing is overwritten by accident.
//!
//! Files are named `chronix-<UTC time>.sqlite` or `.pgdump`; [`prune`] keeps the newest `keep`.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::str::FromStr;

use chrono::{DateTime, Utc};

use crate::{Dialect, Result, Storage, StorageError};

/// A backup written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BackupFile {
    /// Where.
    pub path: PathBuf,
    /// Its size.
    pub bytes: u64,
}

/// The file name of a backup taken at `now`.
pub fn file_name(dialect: Dialect, now: DateTime<Utc>) -> String {
    let ext = match dialect {
        Dialect::Postgres => "pgdump",
        Dialect::Sqlite => "sqlite",
    };
    format!("chronix-{}.{ext}", now.format("%Y%m%dT%H%M%S%.3fZ"))
}

fn is_backup(p: &Path) -> bool {
    let name = p.file_name().and_then(|n| n.to_str()).unwrap_or("");
    name.starts_with("chronix-") && (name.ends_with(".sqlite") || name.ends_with(".pgdump"))
}

fn io(what: &str, e: impl std::fmt::Display) -> StorageError {
    StorageError::Config(format!("{what}: {e}"))
}

/// Writes a backup of `storage` (whose URL is `database_url`, needed by `pg_dump`) to `out`,
/// which must not exist.
pub async fn write_to(storage: &Storage, database_url: &str, out: &Path) -> Result<BackupFile> {
    if out.exists() {
        return Err(io("backup", format!("{} already exists", out.display())));
    }
    if let Some(dir) = out.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(|e| io("cannot create the backup directory", e))?;
    }
    match storage.dialect() {
        Dialect::Sqlite => crate::owner::sqlite_vacuum_into(storage, out).await?,
        Dialect::Postgres => {
            let (url, out) = (database_url.to_string(), out.to_path_buf());
            run_tool(
                "pg_dump",
                vec![
                    "--format=custom".into(),
                    "--no-owner".into(),
                    "--no-privileges".into(),
                    format!("--file={}", out.display()),
                    format!("--dbname={url}"),
                ],
            )
            .await?;
        }
    }
    let bytes = std::fs::metadata(out)
        .map_err(|e| io("backup written but unreadable", e))?
        .len();
    Ok(BackupFile {
        path: out.to_path_buf(),
        bytes,
    })
}

/// Writes a backup into `dir` under [`file_name`].
pub async fn write_into(
    storage: &Storage,
    database_url: &str,
    dir: &Path,
    now: DateTime<Utc>,
) -> Result<BackupFile> {
    let out = dir.join(file_name(storage.dialect(), now));
    write_to(storage, database_url, &out).await
}

async fn run_tool(tool: &'static str, args: Vec<String>) -> Result<()> {
    let output = tokio::task::spawn_blocking(move || Command::new(tool).args(&args).output())
        .await
        .map_err(|e| io(tool, e))?
        .map_err(|e| {
            io(
                tool,
                format!("{e} (install the PostgreSQL client tools to back up PostgreSQL)"),
            )
        })?;
    if !output.status.success() {
        let err = String::from_utf8_lossy(&output.stderr);
        return Err(io(tool, crate::redact_url(err.trim())));
    }
    Ok(())
}

/// Restores `file` into the database at `database_url` (see the module docs). The bot must be
/// stopped; a PostgreSQL target must be empty.
pub async fn restore(database_url: &str, file: &Path) -> Result<()> {
    if !file.is_file() {
        return Err(io("restore", format!("{} is not a file", file.display())));
    }
    if database_url.starts_with("sqlite:") {
        let opts = sqlx::sqlite::SqliteConnectOptions::from_str(database_url)?;
        let target = opts.get_filename().to_path_buf();
        if let Some(dir) = target.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(|e| io("restore", e))?;
        }
        if target.exists() {
            let aside = target.with_extension("pre-restore");
            std::fs::rename(&target, &aside).map_err(|e| io("restore", e))?;
        }
        for suffix in ["-wal", "-shm"] {
            let side = PathBuf::from(format!("{}{suffix}", target.display()));
            let _ = std::fs::remove_file(side);
        }
        std::fs::copy(file, &target).map_err(|e| io("restore", e))?;
        Ok(())
    } else if database_url.starts_with("postgres://") || database_url.starts_with("postgresql://") {
        run_tool(
            "pg_restore",
            vec![
                "--no-owner".into(),
                "--no-privileges".into(),
                "--exit-on-error".into(),
                format!("--dbname={database_url}"),
                file.display().to_string(),
            ],
        )
        .await
    } else {
        Err(io("restore", "unsupported database URL"))
    }
}

/// Backups in `dir`, newest first.
pub fn list(dir: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|rd| {
            rd.filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| is_backup(p))
                .collect()
        })
        .unwrap_or_default();
    // Names carry the UTC time: they sort like their age.
    v.sort();
    v.reverse();
    v
}

/// Deletes all but the newest `keep` backups in `dir`; returns what was deleted.
pub fn prune(dir: &Path, keep: usize) -> Result<Vec<PathBuf>> {
    let mut removed = Vec::new();
    for p in list(dir).into_iter().skip(keep) {
        std::fs::remove_file(&p).map_err(|e| io("prune", e))?;
        removed.push(p);
    }
    Ok(removed)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn names_sort_by_time_and_prune_keeps_the_newest() {
        let dir = std::env::temp_dir().join(format!("chronix-backup-test-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let t = |s| Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, s).unwrap();
        let names: Vec<String> = (0..4).map(|i| file_name(Dialect::Sqlite, t(i))).collect();
        assert_eq!(names[0], "chronix-20260101T000000.000Z.sqlite");
        for n in &names {
            std::fs::write(dir.join(n), b"x").unwrap();
        }
        std::fs::write(dir.join("notes.txt"), b"x").unwrap();
        let removed = prune(&dir, 2).unwrap();
        assert_eq!(
            removed,
            vec![dir.join(&names[1]), dir.join(&names[0])],
            "the oldest go"
        );
        assert_eq!(list(&dir), vec![dir.join(&names[3]), dir.join(&names[2])]);
        assert!(dir.join("notes.txt").exists(), "other files stay");
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
