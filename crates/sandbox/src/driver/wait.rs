//! Waiting for the bot: its messages, edits, deletions, DMs, ephemeral replies, interaction
//! responses and follow-ups, REST calls, quiet periods.

use std::time::Duration;

use tokio::time::Instant;

use crate::hub::{FeedItem, FeedKind, RestCall};
use crate::state::{Id, Interaction, InteractionResponse, InteractionStatus, Message, State};

use super::*;

impl Sandbox {
    pub(super) async fn wait_for<T>(
        &self,
        timeout: Duration,
        what: &str,
        mut f: impl FnMut(&Self) -> Option<T>,
    ) -> Result<T, WaitError> {
        let deadline = Instant::now() + timeout;
        let mut rx = self.inner.changed.subscribe();
        loop {
            rx.borrow_and_update();
            if let Some(v) = f(self) {
                return Ok(v);
            }
            match tokio::time::timeout_at(deadline, rx.changed()).await {
                Ok(Ok(())) => {}
                _ => {
                    if let Some(v) = f(self) {
                        return Ok(v);
                    }
                    return Err(WaitError::Timeout(timeout, what.to_owned()));
                }
            }
        }
    }

    fn next_in_feed(
        &self,
        cursor: u8,
        channel_id: Id,
        pred: impl Fn(&FeedItem) -> bool,
    ) -> Option<Message> {
        let feed = self.inner.feed.lock();
        let mut cursors = self.inner.cursors.lock();
        let start = cursors.get(&(cursor, channel_id)).copied().unwrap_or(0);
        let pos = feed
            .iter()
            .enumerate()
            .skip(start)
            .find(|(_, it)| it.message.channel_id == channel_id && pred(it))?
            .0;
        cursors.insert((cursor, channel_id), pos + 1);
        Some(feed[pos].message.clone())
    }

    /// Wait until the gateway has a bot session that received READY and its GUILD_CREATEs.
    pub async fn wait_for_ready(&self, timeout: Duration) -> Result<(), WaitError> {
        self.wait_for(timeout, "a bot to identify", |s| {
            let sessions = s.inner.sessions.lock();
            let mut connected = sessions.values().filter(|x| x.conn.is_some()).peekable();
            // connected, and every GUILD_CREATE streamed after READY sent
            (connected.peek().is_some() && connected.all(|x| x.pending.is_empty())).then_some(())
        })
        .await?;
        // let the client process the READY/GUILD_CREATE burst before events follow
        tokio::time::sleep(Duration::from_millis(50)).await;
        Ok(())
    }

    /// The bot's next new message in a channel (REST create, interaction response or follow-up,
    /// including ephemeral ones: check [`Message::visible_to`]). Each message is returned once:
    /// messages the bot sent before this call are returned first, in order. A deferred
    /// response's "thinking" placeholder is skipped; it is returned once it gets its content
    /// (`@original` edit or first follow-up).
    pub async fn wait_for_message(
        &self,
        channel_id: Id,
        timeout: Duration,
    ) -> Result<Message, WaitError> {
        self.wait_for(
            timeout,
            &format!("a bot message in channel {channel_id}"),
            |s| {
                s.next_in_feed(CURSOR_CREATED, channel_id, |it| {
                    it.kind == FeedKind::Created && it.message.flags & 128 == 0
                })
            },
        )
        .await
    }

    /// The bot's next edit of a message in a channel (REST edit, `@original` edit, type 7 update).
    pub async fn wait_for_edit(
        &self,
        channel_id: Id,
        timeout: Duration,
    ) -> Result<Message, WaitError> {
        self.wait_for(
            timeout,
            &format!("a bot edit in channel {channel_id}"),
            |s| s.next_in_feed(CURSOR_EDITED, channel_id, |it| it.kind == FeedKind::Edited),
        )
        .await
    }

    /// The next message deleted by the bot in a channel (as it was before deletion).
    pub async fn wait_for_deletion(
        &self,
        channel_id: Id,
        timeout: Duration,
    ) -> Result<Message, WaitError> {
        self.wait_for(
            timeout,
            &format!("a bot deletion in channel {channel_id}"),
            |s| {
                s.next_in_feed(CURSOR_DELETED, channel_id, |it| {
                    it.kind == FeedKind::Deleted
                })
            },
        )
        .await
    }

    /// The bot's next DM to a user.
    pub async fn wait_for_dm(&self, user_id: Id, timeout: Duration) -> Result<Message, WaitError> {
        self.wait_for(timeout, &format!("a DM to user {user_id}"), |s| {
            let cid = s.inner.state.lock().dm_channel(user_id).map(|c| c.id)?;
            s.next_in_feed(CURSOR_CREATED, cid, |it| {
                it.kind == FeedKind::Created && it.message.flags & 128 == 0
            })
        })
        .await
    }

    /// The next ephemeral message (interaction response or follow-up) only `user_id` can see.
    pub async fn wait_for_ephemeral(
        &self,
        user_id: Id,
        timeout: Duration,
    ) -> Result<Message, WaitError> {
        self.wait_for(
            timeout,
            &format!("an ephemeral message for user {user_id}"),
            |s| {
                let feed = s.inner.feed.lock();
                let mut cursors = s.inner.cursors.lock();
                let start = cursors
                    .get(&(CURSOR_EPHEMERAL, user_id))
                    .copied()
                    .unwrap_or(0);
                let pos = feed
                    .iter()
                    .enumerate()
                    .skip(start)
                    .find(|(_, it)| {
                        it.kind != FeedKind::Deleted
                            && it.message.visible_to == Some(user_id)
                            && it.message.flags & 128 == 0
                    })?
                    .0;
                cursors.insert((CURSOR_EPHEMERAL, user_id), pos + 1);
                Some(feed[pos].message.clone())
            },
        )
        .await
    }

    /// How the bot acknowledged an interaction. Returns [`WaitError::NoResponse`] once the ack
    /// window (3 s) has passed without a response, as the user would see it.
    pub async fn wait_for_response(
        &self,
        interaction: &Interaction,
        timeout: Duration,
    ) -> Result<InteractionResponse, WaitError> {
        let ack = self.inner.config.interaction_ack_timeout;
        let iid = interaction.id;
        let r = self.wait_for(timeout, "an interaction response", |s| {
            let mut st = s.inner.state.lock();
            let i = st.interactions.get_mut(&iid)?;
            match &i.status {
                InteractionStatus::Responded(r) => Some(Ok(r.clone())),
                InteractionStatus::Failed => Some(Err(WaitError::NoResponse)),
                InteractionStatus::Pending if i.created.elapsed() > ack => {
                    i.status = InteractionStatus::Failed;
                    Some(Err(WaitError::NoResponse))
                }
                InteractionStatus::Pending => None,
            }
        });
        // also wake up when the ack window closes
        let created = interaction.created;
        let window =
            tokio::time::sleep_until(Instant::from_std(created + ack + Duration::from_millis(5)));
        tokio::pin!(r);
        tokio::pin!(window);
        tokio::select! {
            res = &mut r => res?,
            _ = &mut window => {
                let res = self.wait_for(Duration::ZERO, "an interaction response", |s| {
                    let mut st = s.inner.state.lock();
                    let i = st.interactions.get_mut(&iid)?;
                    match &i.status {
                        InteractionStatus::Responded(r) => Some(Ok(r.clone())),
                        _ => {
                            i.status = InteractionStatus::Failed;
                            Some(Err(WaitError::NoResponse))
                        }
                    }
                }).await;
                self.inner.bump();
                res?
            }
        }
    }

    /// What the user finally sees as the answer to an interaction: the response message once it
    /// is no longer "thinking" (after a deferred response, the `@original` edit or first
    /// follow-up), or the updated component message for types 6/7.
    pub async fn wait_for_reply(
        &self,
        interaction: &Interaction,
        timeout: Duration,
    ) -> Result<Message, WaitError> {
        let deadline = Instant::now() + timeout;
        let resp = self.wait_for_response(interaction, timeout).await?;
        let iid = interaction.id;
        let remaining = deadline.saturating_duration_since(Instant::now());
        match resp {
            InteractionResponse::DeferredUpdate => {
                // wait for the component message to be edited after the interaction
                let mid = interaction.message_id.unwrap_or(0);
                let since = chrono::Utc::now()
                    - chrono::Duration::milliseconds(
                        interaction.created.elapsed().as_millis() as i64
                    );
                self.wait_for(remaining, "the deferred update", |s| {
                    s.message(mid)
                        .filter(|m| m.edited_timestamp.is_some_and(|t| t >= since))
                })
                .await
            }
            _ => {
                self.wait_for(remaining, "the interaction reply", |s| {
                    let st = s.inner.state.lock();
                    let i = st.interactions.get(&iid)?;
                    let m = st.messages.get(&i.original_message?)?;
                    (m.flags & 128 == 0).then(|| m.clone())
                })
                .await
            }
        }
    }

    /// The next follow-up message (`POST /webhooks/{app}/{token}`) for an interaction.
    pub async fn wait_for_followup(
        &self,
        interaction: &Interaction,
        timeout: Duration,
    ) -> Result<Message, WaitError> {
        let iid = interaction.id;
        let original = move |s: &Self| s.interaction(iid).and_then(|i| i.original_message);
        self.wait_for(timeout, "a follow-up", |s| {
            let orig = original(s);
            s.next_in_feed(CURSOR_FOLLOWUP, interaction.channel_id, |it| {
                it.kind == FeedKind::Created
                    && it
                        .message
                        .interaction
                        .as_ref()
                        .is_some_and(|mi| mi.id == iid)
                    && Some(it.message.id) != orig
            })
        })
        .await
    }

    /// The first REST call (from now on or already logged and not yet returned by this method)
    /// whose method matches and whose route template or path contains `route_contains`.
    pub async fn wait_for_rest(
        &self,
        method: &str,
        route_contains: &str,
        timeout: Duration,
    ) -> Result<RestCall, WaitError> {
        self.wait_for(timeout, &format!("{method} {route_contains}"), |s| {
            let log = s.inner.log.lock();
            let mut cursors = s.inner.cursors.lock();
            let start = cursors.get(&(4, 0)).copied().unwrap_or(0);
            let pos = log
                .iter()
                .enumerate()
                .skip(start)
                .find(|(_, c)| {
                    c.method.eq_ignore_ascii_case(method)
                        && (c.route.contains(route_contains) || c.path.contains(route_contains))
                })?
                .0;
            cursors.insert((4, 0), pos + 1);
            Some(log[pos].clone())
        })
        .await
    }

    /// Wait until nothing happens (no REST call, no event, no state change) for `quiet`, e.g.
    /// before clicking a button the bot awaits with a collector. Fails after `timeout`.
    pub async fn settle(&self, quiet: Duration, timeout: Duration) -> Result<(), WaitError> {
        let deadline = Instant::now() + timeout;
        let mut rx = self.inner.changed.subscribe();
        rx.borrow_and_update();
        loop {
            let until = (Instant::now() + quiet).min(deadline);
            match tokio::time::timeout_at(until, rx.changed()).await {
                Err(_) if Instant::now() >= deadline && until == deadline => {
                    return Err(WaitError::Timeout(timeout, "the bot to settle".into()));
                }
                Err(_) => return Ok(()),
                Ok(Ok(())) => {
                    rx.borrow_and_update();
                }
                Ok(Err(_)) => return Ok(()),
            }
        }
    }

    /// Wait until a predicate on the state holds.
    pub async fn wait_until(
        &self,
        timeout: Duration,
        what: &str,
        f: impl Fn(&State) -> bool,
    ) -> Result<(), WaitError> {
        self.wait_for(timeout, what, |s| f(&s.inner.state.lock()).then_some(()))
            .await
    }
}
