//! What a welcome, a farewell and the DM intro guide look like: the server's text with its
//! placeholders filled (`chronix_core::welcome::render`), plain or in an embed, and the banner
//! (`chronix_render::banner`, rendered off the async runtime). Shared by the join and leave
//! listeners and by `welcome test`, so the preview is exactly what members get.
//!
//! Mentions: a welcome pings only the joining member (the server's text may hold `@everyone`
//! or role mentions; they never ping); a farewell and the DM ping nobody.

use chronix_core::ids::{GuildId, UserId};
use chronix_core::welcome::{self as rules, JoinFacts, WelcomeSettings};
use chrono::{DateTime, Utc};

use crate::kernel::ids::ToDiscord;
use crate::prelude::*;

/// The banner's file name.
pub const BANNER_FILE: &str = "welcome.png";

/// Who the message is about and where, with the values of every placeholder.
#[derive(Debug, Clone)]
pub struct Facts {
    /// The member.
    pub user: UserId,
    /// Their display name.
    pub name: String,
    /// The server.
    pub guild: GuildId,
    /// The server's name.
    pub server: String,
    /// Members now.
    pub members: u64,
    /// The member's join position.
    pub position: u64,
    /// Who invited them (a mention), when known.
    pub inviter: Option<String>,
    /// When the check runs (account age).
    pub now: DateTime<Utc>,
    /// The member's avatar hash (`None`: Discord's default; the banner draws initials).
    pub avatar: Option<String>,
}

impl Facts {
    /// `text` with the placeholders filled.
    pub fn fill(&self, l: Locale, text: &str) -> String {
        let mention = format!("<@{}>", self.user);
        rules::render(
            text,
            &JoinFacts {
                user: &self.name,
                mention: &mention,
                server: &self.server,
                members: self.members,
                position: self.position,
                inviter: self.inviter.as_deref(),
                account_age_days: rules::account_age_days(self.user, self.now),
            },
            &tr!(l, "welcome-inviter-unknown"),
        )
    }
}

/// Which message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// The welcome in the server's channel.
    Welcome,
    /// The farewell.
    Farewell,
    /// The intro guide by DM.
    Dm,
}

/// The message of `kind` for `f` (with the banner for a welcome when the server wants one).
pub async fn compose(
    data: &Data,
    l: Locale,
    s: &WelcomeSettings,
    f: &Facts,
    kind: Kind,
) -> Result<serenity::CreateMessage, Error> {
    let (template, embed) = match kind {
        Kind::Welcome => (&s.message, s.embed),
        Kind::Farewell => (&s.farewell, s.farewell_embed),
        Kind::Dm => (&s.dm_message, false),
    };
    let text = f.fill(l, template);
    let mut msg = if embed {
        let title = match kind {
            Kind::Farewell => tr!(l, "welcome-embed-farewell", server = f.server.as_str()),
            _ => tr!(l, "welcome-embed-title", server = f.server.as_str()),
        };
        serenity::CreateMessage::new().embed(
            Embed::new(Theme::Info, title)
                .description(text)
                .colour(banner_rgb(s))
                .into(),
        )
    } else {
        serenity::CreateMessage::new().content(crate::embeds::truncate(&text, 2000))
    };
    msg = msg.allowed_mentions(match kind {
        Kind::Welcome => serenity::CreateAllowedMentions::new()
            .users([f.user.discord()])
            .empty_roles()
            .everyone(false),
        _ => crate::embeds::no_mentions(),
    });
    if kind == Kind::Welcome && s.banner {
        let png = banner(data, l, s, f).await?;
        msg = msg.add_file(serenity::CreateAttachment::bytes(png, BANNER_FILE));
    }
    Ok(msg)
}

fn banner_rgb(s: &WelcomeSettings) -> u32 {
    let (r, g, b) = chronix_core::levels::parse_color(&s.banner_color).unwrap_or((88, 101, 242));
    (u32::from(r) << 16) | (u32::from(g) << 8) | u32::from(b)
}

/// The banner PNG: the member's avatar (initials when they have none or it cannot be fetched)
/// and name on the server's colour, over the server's banner when it has one, with
/// "member #N of <server>".
pub async fn banner(
    data: &Data,
    l: Locale,
    s: &WelcomeSettings,
    f: &Facts,
) -> Result<Vec<u8>, Error> {
    let pics = crate::pictures::member(data, f.user, f.avatar.as_deref(), Some(f.guild)).await;
    let headline = tr!(l, "welcome-banner-headline");
    let subtitle = tr!(
        l,
        "welcome-banner-subtitle",
        position = chronix_core::render::format_number(f.position as i64),
        server = f.server.as_str()
    );
    let name = f.name.clone();
    let seed = f.user.get();
    let background = chronix_core::levels::parse_color(&s.banner_color).unwrap_or((88, 101, 242));
    let png = tokio::task::spawn_blocking(move || {
        chronix_render::banner(&chronix_render::Banner {
            headline: &headline,
            name: &name,
            avatar_seed: seed,
            subtitle: &subtitle,
            background,
            avatar: pics.avatar.as_deref().map(Vec::as_slice),
            backdrop: pics.backdrop.as_deref().map(Vec::as_slice),
        })
    })
    .await??;
    Ok(png)
}
