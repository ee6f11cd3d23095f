//! The scheduled backup and the hourly health report.

use chronix_storage::backup::{self, BackupFile};
use chrono::Utc;

use crate::prelude::*;
use crate::registry::BoxFuture;
use crate::scheduler::JobContext;
use chronix_storage::jobs::Job;

/// Checks every 10 minutes whether a backup is due (`BACKUP_INTERVAL` since the newest file).
pub const BACKUP_JOB: &str = "owner.backup";
/// Posts the health report to `HEALTH_REPORT_CHANNEL_ID` every hour.
pub const HEALTH_JOB: &str = "owner.health_report";

/// Backs up into `BACKUP_DIR` now and prunes to `BACKUP_KEEP`; returns the file and how many
/// old ones were deleted.
pub async fn backup_now(data: &Data) -> Result<(BackupFile, usize), Error> {
    let config = data.config();
    let url = config.database_url.expose().unwrap_or_default();
    let file = backup::write_into(data.storage(), url, &config.backup_dir, Utc::now()).await?;
    let pruned = backup::prune(&config.backup_dir, config.backup_keep as usize)?;
    tracing::info!(file = %file.path.display(), bytes = file.bytes, pruned = pruned.len(), "database backed up");
    Ok((file, pruned.len()))
}

/// Whether a scheduled backup is due: an interval is set and the newest backup is older.
pub fn backup_due(data: &Data) -> bool {
    let config = data.config();
    if config.backup_interval_secs == 0 {
        return false;
    }
    let newest = backup::list(&config.backup_dir)
        .first()
        .and_then(|p| std::fs::metadata(p).ok())
        .and_then(|m| m.modified().ok());
    match newest {
        Some(t) => t
            .elapsed()
            .map(|age| age.as_secs() >= config.backup_interval_secs)
            .unwrap_or(true),
        None => true,
    }
}

/// The scheduled backup (see [`BACKUP_JOB`]).
pub fn backup_job<'a>(ctx: &'a JobContext, _job: &'a Job) -> BoxFuture<'a, Result<(), Error>> {
    Box::pin(async move {
        if backup_due(&ctx.data) {
            backup_now(&ctx.data).await?;
        }
        Ok(())
    })
}

/// The hourly health report (see [`HEALTH_JOB`]).
pub fn health_job<'a>(ctx: &'a JobContext, _job: &'a Job) -> BoxFuture<'a, Result<(), Error>> {
    Box::pin(async move {
        let Some(channel) = ctx.data.config().health_report_channel_id else {
            return Ok(());
        };
        let l = crate::kernel::i18n::guild_locale(&ctx.data, ctx.data.config().dev_guild_id).await;
        let e = super::dev::status_embed(&ctx.data, l, tr!(l, "owner-health-title")).await?;
        serenity::ChannelId::new(channel)
            .send_message(&ctx.http, embeds::message(e))
            .await?;
        Ok(())
    })
}
