//! Pictures from Discord's CDN (`DISCORD_CDN_URL`): members' avatars and servers' banners, for
//! the images the bot draws (rank cards, welcome banners).
//!
//! A picture is fetched as PNG with a 2 s timeout and a size cap ([`MAX_BYTES`]) and kept in a
//! small per-bot cache by URL (the URL holds the picture's hash, so a new avatar is a new URL
//! and never a stale entry). A picture that cannot be fetched gives `None`, and the image is
//! drawn without it (initials, the server's colour); the failure is remembered for a few
//! minutes so a CDN outage does not put 2 s on every command.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use chronix_core::ids::{GuildId, UserId};
use parking_lot::Mutex;

use crate::data::Data;
use crate::kernel::ids::ToDiscord;
use crate::serenity;

/// The largest picture downloaded.
pub const MAX_BYTES: usize = 2 * 1024 * 1024;
/// How long a fetch may take.
const TIMEOUT: Duration = Duration::from_secs(2);
/// How long a fetched picture is kept.
const KEEP_OK: Duration = Duration::from_secs(60 * 60);
/// How long a failed fetch is remembered.
const KEEP_FAILED: Duration = Duration::from_secs(5 * 60);
/// Pictures kept at most (the oldest are dropped first).
const CAPACITY: usize = 256;

/// PNG bytes.
pub type Picture = Arc<Vec<u8>>;

/// The per-bot cache and HTTP client (`data.state::<Pictures>()`).
#[derive(Default)]
pub struct Pictures {
    client: reqwest::Client,
    cache: Mutex<HashMap<String, (Instant, Option<Picture>)>>,
}

impl Pictures {
    fn cached(&self, url: &str, now: Instant) -> Option<Option<Picture>> {
        let cache = self.cache.lock();
        let (at, pic) = cache.get(url)?;
        let keep = if pic.is_some() { KEEP_OK } else { KEEP_FAILED };
        (now.duration_since(*at) < keep).then(|| pic.clone())
    }

    fn remember(&self, url: &str, now: Instant, pic: Option<Picture>) {
        let mut cache = self.cache.lock();
        if cache.len() >= CAPACITY && !cache.contains_key(url) {
            if let Some(oldest) = cache
                .iter()
                .min_by_key(|(_, (at, _))| *at)
                .map(|(k, _)| k.clone())
            {
                cache.remove(&oldest);
            }
        }
        cache.insert(url.to_string(), (now, pic));
    }

    /// Pictures held (tests).
    pub fn len(&self) -> usize {
        self.cache.lock().len()
    }

    /// Whether nothing is held.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// `{cdn}/avatars/{user}/{hash}.png?size=256`.
pub fn avatar_url(cdn: &str, user: UserId, hash: &str) -> String {
    format!(
        "{}/avatars/{user}/{hash}.png?size=256",
        cdn.trim_end_matches('/')
    )
}

/// `{cdn}/banners/{guild}/{hash}.png?size=1024`.
pub fn banner_url(cdn: &str, guild: GuildId, hash: &str) -> String {
    format!(
        "{}/banners/{guild}/{hash}.png?size=1024",
        cdn.trim_end_matches('/')
    )
}

/// A user's avatar hash as the CDN's URLs take it (`None`: Discord's default avatar).
pub fn avatar_hash(user: &serenity::User) -> Option<String> {
    user.avatar.as_ref().map(ToString::to_string)
}

/// A server's banner, `None` when it has none or it cannot be fetched.
pub async fn guild_banner(data: &Data, guild: GuildId) -> Option<Picture> {
    let hash = data.guilds().banner(guild.discord())?;
    let url = banner_url(&data.config().discord_cdn_url, guild, &hash);
    fetch(data, &url).await
}

/// A member's avatar and their server's banner, for a card drawn about them.
#[derive(Debug, Clone, Default)]
pub struct MemberPictures {
    /// The avatar (`None`: default avatar, or not fetched).
    pub avatar: Option<Picture>,
    /// The server's banner (`None`: no banner, not in a server, or not fetched).
    pub backdrop: Option<Picture>,
}

/// Fetches `user`'s avatar (by its hash, `None` for Discord's default) and `guild`'s banner
/// side by side.
pub async fn member(
    data: &Data,
    user: UserId,
    avatar_hash: Option<&str>,
    guild: Option<GuildId>,
) -> MemberPictures {
    let cdn = &data.config().discord_cdn_url;
    let avatar = async {
        match avatar_hash {
            Some(h) => fetch(data, &avatar_url(cdn, user, h)).await,
            None => None,
        }
    };
    let backdrop = async {
        match guild {
            Some(g) => guild_banner(data, g).await,
            None => None,
        }
    };
    let (avatar, backdrop) = tokio::join!(avatar, backdrop);
    MemberPictures { avatar, backdrop }
}

/// Fetches a PNG (cached; see the module's text).
pub async fn fetch(data: &Data, url: &str) -> Option<Picture> {
    let pictures = data.state::<Pictures>();
    if let Some(hit) = pictures.cached(url, Instant::now()) {
        return hit;
    }
    let got = download(&pictures.client, url).await;
    if let Err(why) = &got {
        tracing::debug!(%url, %why, "picture not fetched");
    }
    let pic = got.ok().map(Arc::new);
    pictures.remember(url, Instant::now(), pic.clone());
    pic
}

async fn download(client: &reqwest::Client, url: &str) -> Result<Vec<u8>, String> {
    let mut resp = client
        .get(url)
        .timeout(TIMEOUT)
        .send()
        .await
        .map_err(|e| e.without_url().to_string())?;
    if !resp.status().is_success() {
        return Err(format!("status {}", resp.status()));
    }
    if resp.content_length().is_some_and(|n| n > MAX_BYTES as u64) {
        return Err("too large".into());
    }
    let mut bytes = Vec::new();
    while let Some(chunk) = resp
        .chunk()
        .await
        .map_err(|e| e.without_url().to_string())?
    {
        bytes.extend_from_slice(&chunk);
        if bytes.len() > MAX_BYTES {
            return Err("too large".into());
        }
    }
    if !bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        return Err("not a PNG".into());
    }
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_follow_discords_cdn_layout() {
        assert_eq!(
            avatar_url("https://cdn.discordapp.com/", UserId::new(42), "a_1f"),
            "https://cdn.discordapp.com/avatars/42/a_1f.png?size=256"
        );
        assert_eq!(
            banner_url("http://127.0.0.1:9/cdn", GuildId::new(7), "ab"),
            "http://127.0.0.1:9/cdn/banners/7/ab.png?size=1024"
        );
    }

    #[test]
    fn failures_are_forgotten_sooner_than_pictures_and_the_oldest_go_first() {
        let p = Pictures::default();
        let t0 = Instant::now();
        p.remember("ok", t0, Some(Arc::new(vec![1])));
        p.remember("bad", t0, None);
        let later = t0 + KEEP_FAILED + Duration::from_secs(1);
        assert_eq!(p.cached("ok", later), Some(Some(Arc::new(vec![1]))));
        assert_eq!(p.cached("bad", later), None);
        assert_eq!(p.cached("bad", t0), Some(None));
        for i in 0..CAPACITY {
            p.remember(
                &format!("u{i}"),
                t0 + Duration::from_millis(i as u64 + 1),
                None,
            );
        }
        assert_eq!(p.len(), CAPACITY);
        assert_eq!(p.cached("ok", t0), None, "the oldest entry made room");
    }
}
