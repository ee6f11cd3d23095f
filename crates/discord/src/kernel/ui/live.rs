//! Live panel: one message per subject (an autohunt session, a battle, a music player, a
//! giveaway) edited in place as its state changes.
//!
//! * Edits are **coalesced**: [`LivePanels::queue`] remembers that a subject changed; at most one
//!   edit per subject per [`LivePanels::per_subject`] window, showing the newest state.
//! * Edits are **budgeted**: at most [`LivePanels::per_second`] edits per second overall (the rest
//!   wait for the next [`LivePanels::flush`]).
//! * A deleted message (404 Unknown Message) is **re-posted** once and the new id saved
//!   ([`LiveSource::posted`]).
//! * A channel that is gone or that the bot can no longer see or write to (404 Unknown Channel,
//!   403 / 50001 Missing Access, 50013 Missing Permissions) is **given up**:
//!   [`LiveSource::lost`] is called once (the feature stops posting for that subject and tells its
//!   owner), and nothing is retried for ever.
//!
//! A feature implements [`LiveSource`] (what to show and where, and what to save) and keeps a
//! `LivePanels<Source>` in its tick.

use std::collections::HashMap;
use std::future::Future;
use std::hash::Hash;
use std::sync::Arc;
use std::time::{Duration, Instant};

use poise::serenity_prelude as serenity;

use crate::embeds::{self, Embed};
use crate::{Data, Error};

/// What a live panel shows now.
pub struct LiveView {
    /// The channel it lives in.
    pub channel: serenity::ChannelId,
    /// The message to edit (`None`: post a new one).
    pub message: Option<serenity::MessageId>,
    /// The embed.
    pub embed: Embed,
    /// Its buttons.
    pub components: Vec<serenity::CreateActionRow>,
}

/// Why a live panel was given up.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lost {
    /// The channel was deleted (404 Unknown Channel).
    ChannelGone,
    /// The bot can no longer see or write in the channel (403 / 50001 / 50013).
    NoAccess,
}

/// A feature's side of a live panel.
pub trait LiveSource: Send + Sync + 'static {
    /// What identifies a subject (a user id, a battle id, …).
    type Key: Copy + Eq + Hash + Ord + std::fmt::Debug + Send + Sync + 'static;
    /// The current view of a subject (`None`: nothing to show any more).
    fn view(
        &self,
        data: &Data,
        key: Self::Key,
    ) -> impl Future<Output = Result<Option<LiveView>, Error>> + Send;
    /// A new message was posted for the subject: save its id.
    fn posted(
        &self,
        data: &Data,
        key: Self::Key,
        channel: serenity::ChannelId,
        message: serenity::MessageId,
    ) -> impl Future<Output = Result<(), Error>> + Send;
    /// The panel cannot be shown any more (see [`Lost`]): stop posting and tell its owner once.
    fn lost(
        &self,
        data: &Data,
        key: Self::Key,
        why: Lost,
    ) -> impl Future<Output = Result<(), Error>> + Send;
}

/// Coalesced, budgeted live panels of one feature.
pub struct LivePanels<S: LiveSource> {
    source: S,
    http: Arc<serenity::Http>,
    pending: HashMap<S::Key, ()>,
    last_edit: HashMap<S::Key, Instant>,
    /// Minimum time between two edits of one subject's panel.
    pub per_subject: Duration,
    /// Global edit budget per second.
    pub per_second: u32,
    window: (Instant, u32),
}

/// What one [`LivePanels::show`] did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shown {
    /// Nothing to show.
    Nothing,
    /// The message was edited.
    Edited,
    /// A new message was posted (first time, or the old one was deleted).
    Posted,
    /// The channel is gone or inaccessible: given up.
    Lost(Lost),
}

impl<S: LiveSource> LivePanels<S> {
    /// Defaults: one edit per subject per 5 s, 10 edits per second overall.
    pub fn new(source: S, http: Arc<serenity::Http>) -> Self {
        Self {
            source,
            http,
            pending: HashMap::new(),
            last_edit: HashMap::new(),
            per_subject: Duration::from_secs(5),
            per_second: 10,
            window: (Instant::now(), 0),
        }
    }

    /// The feature's source.
    pub fn source(&self) -> &S {
        &self.source
    }

    /// Marks a subject as changed (shown at the next flush its window allows).
    pub fn queue(&mut self, key: S::Key) {
        self.pending.insert(key, ());
    }

    /// Subjects waiting for an edit.
    pub fn pending(&self) -> usize {
        self.pending.len()
    }

    /// Takes one edit from the per-second budget.
    pub fn take_budget(&mut self) -> bool {
        let now = Instant::now();
        if now.duration_since(self.window.0) >= Duration::from_secs(1) {
            self.window = (now, 0);
        }
        if self.window.1 >= self.per_second {
            return false;
        }
        self.window.1 += 1;
        true
    }

    /// Shows what the budget allows: subjects whose last edit is old enough, oldest first.
    pub async fn flush(&mut self, data: &Data) {
        let now = Instant::now();
        let mut ready: Vec<S::Key> = self
            .pending
            .keys()
            .copied()
            .filter(|k| {
                self.last_edit
                    .get(k)
                    .is_none_or(|t| now.duration_since(*t) >= self.per_subject)
            })
            .collect();
        ready.sort_by_key(|k| (self.last_edit.get(k).copied(), *k));
        for key in ready {
            if !self.take_budget() {
                break;
            }
            self.pending.remove(&key);
            self.last_edit.insert(key, Instant::now());
            if let Err(e) = self.show(data, key).await {
                tracing::warn!(?key, error = ?e, "live panel update failed");
            }
        }
        // Forget subjects not edited for a long time.
        self.last_edit
            .retain(|_, t| now.duration_since(*t) < Duration::from_secs(3600));
    }

    /// Shows one subject now (no coalescing, no budget).
    pub async fn show(&self, data: &Data, key: S::Key) -> Result<Shown, Error> {
        let Some(view) = self.source.view(data, key).await? else {
            return Ok(Shown::Nothing);
        };
        if let Some(mid) = view.message {
            let edit = serenity::EditMessage::new()
                .embed(view.embed.clone().into())
                .components(view.components.clone());
            match view
                .channel
                .edit_message(self.http.as_ref(), mid, edit)
                .await
            {
                Ok(_) => return Ok(Shown::Edited),
                Err(e) => match classify(&e) {
                    Some(Failure::MessageGone) => {
                        tracing::debug!(?key, "live panel was deleted: posting a new one");
                    }
                    Some(Failure::Lost(why)) => return self.give_up(data, key, why).await,
                    None => return Err(e.into()),
                },
            }
        }
        let msg = embeds::message(view.embed).components(view.components);
        match view.channel.send_message(self.http.as_ref(), msg).await {
            Ok(m) => {
                self.source.posted(data, key, view.channel, m.id).await?;
                Ok(Shown::Posted)
            }
            Err(e) => match classify(&e) {
                Some(Failure::Lost(why)) => self.give_up(data, key, why).await,
                // A 404 on a post can only be the channel.
                Some(Failure::MessageGone) => self.give_up(data, key, Lost::ChannelGone).await,
                None => Err(e.into()),
            },
        }
    }

    async fn give_up(&self, data: &Data, key: S::Key, why: Lost) -> Result<Shown, Error> {
        tracing::info!(?key, ?why, "live panel given up");
        self.source.lost(data, key, why).await?;
        Ok(Shown::Lost(why))
    }
}

enum Failure {
    MessageGone,
    Lost(Lost),
}

/// Discord's answer to an edit or post, as far as live panels care.
fn classify(e: &serenity::Error) -> Option<Failure> {
    let serenity::Error::Http(serenity::HttpError::UnsuccessfulRequest(r)) = e else {
        return None;
    };
    match (r.status_code.as_u16(), r.error.code) {
        // 10008 Unknown Message.
        (404, 10008) => Some(Failure::MessageGone),
        // 10003 Unknown Channel (and any other 404 on a channel route).
        (404, 10003) => Some(Failure::Lost(Lost::ChannelGone)),
        (404, _) => Some(Failure::MessageGone),
        // 50001 Missing Access, 50013 Missing Permissions.
        (403, _) => Some(Failure::Lost(Lost::NoAccess)),
        _ => None,
    }
}
