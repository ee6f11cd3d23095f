//! Per-server values read from the database and kept for a while: settings that listeners
//! consult at every event (a member joins, a message is sent).
//!
//! One read per server at a time: events that arrive while a server's value is being read
//! wait for that read instead of each making its own (a raid of 1,000 joins reads the
//! welcome settings once, and holds no database connection while it waits). A command that
//! changes the value calls [`PerGuild::invalidate`] after writing it; a change made elsewhere
//! (the dashboard, another bot process, a test writing the database) is seen after the TTL.

use std::future::Future;
use std::sync::Arc;
use std::time::{Duration, Instant};

use chronix_core::ids::GuildId;
use dashmap::DashMap;

/// How long a value is trusted by default (as the kernel's guild settings).
pub const TTL: Duration = crate::kernel::settings::TTL;

type Slot<T> = Arc<tokio::sync::Mutex<Option<(Instant, Arc<T>)>>>;

/// Values of type `T` per server.
#[derive(Debug)]
pub struct PerGuild<T> {
    ttl: Duration,
    slots: DashMap<GuildId, Slot<T>>,
}

impl<T> Default for PerGuild<T> {
    fn default() -> Self {
        Self::new(TTL)
    }
}

impl<T> PerGuild<T> {
    /// Values trusted for `ttl`.
    pub fn new(ttl: Duration) -> Self {
        Self {
            ttl,
            slots: DashMap::new(),
        }
    }

    /// The value of `guild`: cached, or read by `load` (once, however many callers ask at the
    /// same time). A failed read is not cached.
    pub async fn get<E, F, Fut>(&self, guild: GuildId, load: F) -> Result<Arc<T>, E>
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<T, E>>,
    {
        let slot = self.slots.entry(guild).or_default().clone();
        let mut held = slot.lock().await;
        if let Some((at, v)) = held.as_ref()
            && at.elapsed() < self.ttl
        {
            return Ok(v.clone());
        }
        let v = Arc::new(load().await?);
        *held = Some((Instant::now(), v.clone()));
        Ok(v)
    }

    /// Forgets the value of `guild` (after a change): the next `get` reads it again. A read
    /// already under way finishes for its callers and is not kept.
    pub fn invalidate(&self, guild: GuildId) {
        self.slots.remove(&guild);
    }

    /// Replaces the value of `guild` (after writing it).
    pub fn put(&self, guild: GuildId, value: Arc<T>) {
        let slot = Arc::new(tokio::sync::Mutex::new(Some((Instant::now(), value))));
        self.slots.insert(guild, slot);
    }

    /// The value held for `guild`, fresh or not, without reading or waiting (`None` while it
    /// is being read).
    pub fn peek(&self, guild: GuildId) -> Option<Arc<T>> {
        let slot = self.slots.get(&guild)?.clone();
        let held = slot.try_lock().ok()?;
        held.as_ref().map(|(_, v)| v.clone())
    }

    /// Servers held.
    pub fn len(&self) -> usize {
        self.slots.len()
    }

    /// Whether no server is held.
    pub fn is_empty(&self) -> bool {
        self.slots.is_empty()
    }

    /// Forgets every server's value.
    pub fn clear(&self) {
        self.slots.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};

    const G: GuildId = GuildId::new(1);

    #[tokio::test]
    async fn one_read_for_many_callers_until_invalidated_or_expired() {
        let cache: PerGuild<usize> = PerGuild::new(Duration::from_secs(3));
        let reads = AtomicUsize::new(0);
        let load = || async {
            tokio::time::sleep(Duration::from_millis(20)).await;
            Ok::<_, ()>(reads.fetch_add(1, Ordering::SeqCst) + 1)
        };
        // 50 callers at once: one read, all see its value.
        let got = futures::future::join_all((0..50).map(|_| cache.get(G, load))).await;
        assert!(got.iter().all(|v| **v.as_ref().unwrap() == 1));
        assert_eq!(reads.load(Ordering::SeqCst), 1);
        // Another server has its own value.
        assert_eq!(*cache.get(GuildId::new(2), load).await.unwrap(), 2);
        // Invalidated: read again.
        cache.invalidate(G);
        assert_eq!(*cache.get(G, load).await.unwrap(), 3);
        assert_eq!(*cache.get(G, load).await.unwrap(), 3);
        // Expired: read again.
        tokio::time::sleep(Duration::from_millis(3_100)).await;
        assert_eq!(*cache.get(G, load).await.unwrap(), 4);
        // A failed read is not kept.
        cache.clear();
        assert_eq!(
            cache.get(G, || async { Err::<usize, _>("down") }).await,
            Err("down")
        );
        assert_eq!(*cache.get(G, load).await.unwrap(), 5);
        // Put replaces at once; peek reads without loading.
        cache.put(G, Arc::new(9));
        assert_eq!(cache.peek(G).as_deref(), Some(&9));
        assert_eq!(*cache.get(G, load).await.unwrap(), 9);
        assert_eq!(cache.peek(GuildId::new(3)), None);
        assert_eq!(cache.len(), 1, "cleared: only G");
    }
}
