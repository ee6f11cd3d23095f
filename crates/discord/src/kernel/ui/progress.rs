//! Progress: one message that shows how far long work (mass actions, imports) has come: a bar,
//! the counts and failures, edited at most once per [`Progress::every`], and a final state.

use std::time::{Duration, Instant};

use poise::serenity_prelude as serenity;

use crate::Error;
use crate::embeds::{self, Embed};

/// `[██████░░░░] 60 %`, 10 cells wide.
pub fn bar(done: u64, total: u64) -> String {
    let pct = (done.min(total) * 100).checked_div(total).unwrap_or(100);
    let filled = (pct / 10) as usize;
    format!(
        "[{}{}] {pct} %",
        "█".repeat(filled),
        "░".repeat(10 - filled)
    )
}

/// The text of a progress message.
pub fn text(done: u64, failed: u64, total: u64) -> String {
    let mut t = format!("{}\n{done}/{total} done", bar(done, total));
    if failed > 0 {
        t.push_str(&format!(" · {failed} failed"));
    }
    t
}

/// A progress message in a channel.
pub struct Progress {
    http: std::sync::Arc<serenity::Http>,
    channel: serenity::ChannelId,
    message: serenity::MessageId,
    title: String,
    total: u64,
    last: Instant,
    /// Minimum time between two edits.
    pub every: Duration,
    /// Edits made (for tests and metrics).
    pub edits: u32,
}

impl Progress {
    /// Posts the message at 0 of `total`.
    pub async fn start(
        http: std::sync::Arc<serenity::Http>,
        channel: serenity::ChannelId,
        title: &str,
        total: u64,
    ) -> Result<Self, Error> {
        let e = Embed::info(title).description(text(0, 0, total));
        let m = channel
            .send_message(http.as_ref(), embeds::message(e))
            .await?;
        Ok(Self {
            http,
            channel,
            message: m.id,
            title: title.to_string(),
            total,
            last: Instant::now(),
            every: Duration::from_secs(1),
            edits: 0,
        })
    }

    /// Shows `done`/`failed` if the last edit is old enough (edits are budgeted; call freely).
    pub async fn update(&mut self, done: u64, failed: u64) -> Result<(), Error> {
        if self.last.elapsed() < self.every {
            return Ok(());
        }
        self.show(Embed::info(&self.title), done, failed).await
    }

    /// The final state (always shown).
    pub async fn finish(&mut self, done: u64, failed: u64) -> Result<(), Error> {
        let e = if failed == 0 {
            Embed::success(&self.title)
        } else {
            Embed::warning(&self.title)
        };
        self.show(e, done, failed).await
    }

    async fn show(&mut self, e: Embed, done: u64, failed: u64) -> Result<(), Error> {
        let edit = serenity::EditMessage::new()
            .embed(e.description(text(done, failed, self.total)).into());
        self.channel
            .edit_message(self.http.as_ref(), self.message, edit)
            .await?;
        self.last = Instant::now();
        self.edits += 1;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bars_and_counts() {
        assert_eq!(bar(0, 10), "[░░░░░░░░░░] 0 %");
        assert_eq!(bar(6, 10), "[██████░░░░] 60 %");
        assert_eq!(bar(10, 10), "[██████████] 100 %");
        assert_eq!(bar(15, 10), "[██████████] 100 %", "never past full");
        assert_eq!(bar(0, 0), "[██████████] 100 %", "nothing to do is done");
        assert_eq!(text(3, 1, 4), "[███████░░░] 75 %\n3/4 done · 1 failed");
        assert_eq!(text(4, 0, 4), "[██████████] 100 %\n4/4 done");
    }
}
