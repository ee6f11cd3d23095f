//! Reading the sandbox's state (messages, members, commands, audit log, REST log, feed) and
//! injecting faults (gateway drops and closes, REST faults).

use std::sync::atomic::Ordering;
use std::time::Duration;

use crate::hub::{FeedItem, Out, RestCall, RestFault};
use crate::payloads;
use crate::perms::{self};
use crate::state::{Channel, Command, Id, Interaction, Member, Message, Role, State};

use super::*;

impl Sandbox {
    /// Run a closure with read access to the whole state.
    ///
    /// The state is locked meanwhile: do not call other `Sandbox` methods that read the state
    /// from inside the closure (they would deadlock); `bot_id()`/`application_id()` are fine.
    pub fn with_state<R>(&self, f: impl FnOnce(&State) -> R) -> R {
        f(&self.inner.state.lock())
    }

    /// Change the state directly (no events are dispatched).
    pub fn with_state_mut<R>(&self, f: impl FnOnce(&mut State) -> R) -> R {
        let r = f(&mut self.inner.state.lock());
        self.inner.bump();
        r
    }

    /// A message by id.
    pub fn message(&self, id: Id) -> Option<Message> {
        self.inner.state.lock().messages.get(&id).cloned()
    }

    /// All messages of a channel, oldest first (including ephemeral ones).
    pub fn messages_in(&self, channel_id: Id) -> Vec<Message> {
        self.inner
            .state
            .lock()
            .channel_messages(channel_id)
            .into_iter()
            .cloned()
            .collect()
    }

    /// A member.
    pub fn member(&self, guild_id: Id, user_id: Id) -> Option<Member> {
        self.inner
            .state
            .lock()
            .members
            .get(&(guild_id, user_id))
            .cloned()
    }

    /// A channel.
    pub fn channel(&self, id: Id) -> Option<Channel> {
        self.inner.state.lock().channels.get(&id).cloned()
    }

    /// A role.
    pub fn role(&self, id: Id) -> Option<Role> {
        self.inner.state.lock().roles.get(&id).cloned()
    }

    /// An interaction (with its current status and `@original` message).
    pub fn interaction(&self, id: Id) -> Option<Interaction> {
        self.inner.state.lock().interactions.get(&id).cloned()
    }

    /// Registered application commands (global and guild).
    pub fn commands(&self) -> Vec<Command> {
        self.inner.state.lock().commands.values().cloned().collect()
    }

    /// The channel permissions of a user, computed like Discord.
    pub fn permissions(&self, channel_id: Id, user_id: Id) -> u64 {
        perms::channel_permissions(&self.inner.state.lock(), channel_id, user_id)
    }

    /// The members of a thread (user ids, ascending).
    pub fn thread_members(&self, thread_id: Id) -> Vec<Id> {
        self.inner
            .state
            .lock()
            .extra
            .thread_members
            .get(&thread_id)
            .map(|m| m.keys().copied().collect())
            .unwrap_or_default()
    }

    /// The audit log of a guild, oldest first (the bot's moderation actions with their reasons).
    pub fn audit_log(&self, guild_id: Id) -> Vec<crate::state::AuditEntry> {
        self.inner
            .state
            .lock()
            .audit_log
            .iter()
            .filter(|e| e.guild_id == guild_id)
            .cloned()
            .collect()
    }

    /// Bans of a guild.
    pub fn bans(&self, guild_id: Id) -> Vec<crate::state::Ban> {
        self.inner
            .state
            .lock()
            .bans
            .values()
            .filter(|b| b.guild_id == guild_id)
            .cloned()
            .collect()
    }

    /// Every REST call the bot made so far.
    pub fn rest_log(&self) -> Vec<RestCall> {
        self.inner.log.lock().clone()
    }

    /// Forget the REST log.
    pub fn clear_rest_log(&self) {
        self.inner.log.lock().clear();
        self.inner.cursors.lock().remove(&(4, 0));
    }

    /// Everything the bot did to messages, in order.
    pub fn feed(&self) -> Vec<FeedItem> {
        self.inner.feed.lock().clone()
    }

    // ----- faults -----

    /// Number of gateway sessions with a live connection.
    pub fn connected_sessions(&self) -> usize {
        self.inner
            .sessions
            .lock()
            .values()
            .filter(|s| s.conn.is_some())
            .count()
    }

    /// How many IDENTIFYs were answered with READY so far (a new session each: events sent to
    /// an earlier session and not yet read are lost to the client).
    pub fn identify_count(&self) -> u64 {
        self.inner.identifies.load(Ordering::Relaxed)
    }

    /// How many RESUMEs succeeded so far.
    pub fn resume_count(&self) -> u64 {
        self.inner.resumes.load(Ordering::Relaxed)
    }

    /// Drop every gateway connection abruptly (no close frame), keeping the sessions resumable.
    /// Returns once the connections are gone; events dispatched meanwhile are buffered and
    /// replayed on RESUME.
    pub async fn drop_gateway(&self) {
        self.kill_connections(Out::Drop).await;
    }

    /// Close every gateway connection with a close code (4000 keeps sessions resumable;
    /// 4004/4010… make serenity stop; the sandbox forgets sessions for 1000/1001 only when the
    /// client sends them).
    pub async fn close_gateway(&self, code: u16) {
        self.kill_connections(Out::Close(code)).await;
    }

    pub(super) async fn kill_connections(&self, how: Out) {
        {
            let mut sessions = self.inner.sessions.lock();
            for s in sessions.values_mut() {
                if let Some((_, tx)) = s.conn.take() {
                    let _ = tx.send(match &how {
                        Out::Close(c) => Out::Close(*c),
                        _ => Out::Drop,
                    });
                }
            }
        }
        self.inner.bump();
    }

    /// Start recording every gateway event as a bot with these intents would receive it (a
    /// session without a connection). Read the frames with [`Sandbox::recorded_events`].
    pub fn record_events(&self, intents: u64) -> String {
        let sid = format!("recorder-{:016x}", rand::random::<u64>());
        self.inner.sessions.lock().insert(
            sid.clone(),
            crate::hub::Session {
                intents,
                seq: 0,
                shard: None,
                buffer: Default::default(),
                conn: None,
                ready: true,
                large_threshold: 250,
                pending: Default::default(),
            },
        );
        sid
    }

    /// The raw gateway frames (`{"op":0,"t":..,"s":..,"d":..}`) recorded for a recorder id.
    pub fn recorded_events(&self, recorder: &str) -> Vec<String> {
        self.inner
            .sessions
            .lock()
            .get(recorder)
            .map(|s| s.buffer.iter().map(|(_, f)| f.clone()).collect())
            .unwrap_or_default()
    }

    /// Ask connected clients to reconnect (op 7 RECONNECT); they resume.
    pub fn send_reconnect(&self) {
        let sessions = self.inner.sessions.lock();
        for s in sessions.values() {
            if let Some((_, tx)) = &s.conn {
                let _ = tx.send(Out::Frame(payloads::reconnect().to_string()));
            }
        }
    }

    /// Wait until `n` resumes have happened in total.
    pub async fn wait_for_resume(&self, n: u64, timeout: Duration) -> Result<(), WaitError> {
        self.wait_for(timeout, "a RESUME", |s| {
            (s.resume_count() >= n && s.connected_sessions() > 0).then_some(())
        })
        .await
    }

    /// Inject a REST fault (5xx, 429 with `retry-after`, or a delay).
    pub fn inject_fault(&self, fault: RestFault) {
        self.inner.faults.lock().push(fault);
    }

    /// Remove pending faults.
    pub fn clear_faults(&self) {
        self.inner.faults.lock().clear();
    }
}
