//! `tags`: tags and custom commands (spec §27, §XVII; issue 14).
//!
//! * [`commands`]: `tag` with `show`, `create`, `edit`, `delete`, `info`, `list`, `search`,
//!   `trigger`, `slash`, `cooldown` and `access`; `chro tag <name> [args]` shows a tag too.
//!   Creating needs the server's tag level (`tag access`, Manage Messages by default); a tag's
//!   owner edits and deletes their own, members at the level everyone's.
//! * [`custom`]: what shows a tag without the `tag` command: `chro <name> [args]` when `name`
//!   is no command (the kernel offers unknown prefix commands to the feature), a message
//!   starting with the name of a tag that is a trigger word, and the guild slash command
//!   `/<name>` of a tag registered as one (at most 25 per server; the kernel offers slash
//!   commands it does not know). These custom commands have a per-member cooldown.
//!
//! Rendering is `chronix_core::tags::render`: placeholders in one pass, mass and role
//! mentions broken, the text cut; the message's `allowed_mentions` pings nobody but the
//! invoking member when the tag says `{user.mention}`.

pub mod commands;
pub mod custom;

use chronix_core::ids::{ChannelId, UserId};
use chronix_core::tags::{Access, Facts, MAX_EMBED, MAX_MESSAGE, TagError, render};
use chronix_storage::tags::{Tag, TagRefusal};
use chronix_storage::{Refusal as StoreRefusal, StorageError};

use crate::events::EventKind;
use crate::prelude::*;

/// The tags feature.
pub fn feature() -> Feature {
    Feature::new("tags", || vec![commands::tag()])
        .on(
            &[EventKind::MessageCreate, EventKind::GuildJoin],
            custom::on_event,
        )
        .unknown(custom::on_unknown)
}

/// Whether permissions `p` reach the level `a`.
pub fn reaches(a: Access, p: serenity::Permissions) -> bool {
    let admin = p.administrator();
    match a {
        Access::Everyone => true,
        Access::ManageMessages => admin || p.manage_messages() || p.manage_guild(),
        Access::ManageServer => admin || p.manage_guild(),
        Access::Admin => admin,
    }
}

/// The name of a level.
pub fn access_name(l: Locale, a: Access) -> String {
    match a {
        Access::Everyone => tr!(l, "tags-access-everyone"),
        Access::ManageMessages => tr!(l, "tags-access-manage-messages"),
        Access::ManageServer => tr!(l, "tags-access-manage-server"),
        Access::Admin => tr!(l, "tags-access-admin"),
    }
}

/// The text of a tag problem.
pub fn tag_error(l: Locale, e: &TagError) -> String {
    match e {
        TagError::EmptyName => tr!(l, "tags-name-empty"),
        TagError::NameTooLong { max } => tr!(l, "tags-name-long", max = *max),
        TagError::BadName => tr!(l, "tags-name-bad"),
        TagError::Reserved(n) => tr!(l, "tags-name-reserved", name = n.as_str()),
        TagError::Empty => tr!(l, "tags-empty"),
        TagError::TooLong { max } => tr!(l, "tags-too-long", max = *max),
        TagError::BadImage => tr!(l, "tags-bad-image"),
        TagError::CooldownTooLong { max } => tr!(l, "tags-cooldown-long", max = *max),
    }
}

/// A refusal shown to the user.
pub fn refused(l: Locale, text: String) -> Error {
    UserError::Refused {
        title: tr!(l, "tags-refused-title"),
        text,
    }
    .into()
}

/// Turns a storage refusal of this feature into a [`UserError`]; other errors pass through.
pub fn user_error(l: Locale, e: StorageError) -> Error {
    match e {
        StorageError::Refused(StoreRefusal::Tags(r)) => refused(
            l,
            match r {
                TagRefusal::Invalid(e) => tag_error(l, &e),
                TagRefusal::Exists(n) => tr!(l, "tags-exists", name = n.as_str()),
                TagRefusal::NoTag(n) => tr!(l, "tags-no-tag", name = n.as_str()),
                TagRefusal::SlashLimit { max } => tr!(l, "tags-slash-limit", max = max),
            },
        ),
        other => other.into(),
    }
}

/// A tag rendered for sending: text and/or embed, and the mentions it may ping.
pub struct Shown {
    /// Plain text.
    pub content: Option<String>,
    /// An embed.
    pub embed: Option<serenity::CreateEmbed>,
    /// Who may be pinged.
    pub mentions: serenity::CreateAllowedMentions,
}

/// What a tag shows for a member.
pub struct Who<'a> {
    /// The member.
    pub user: UserId,
    /// Their display name.
    pub name: &'a str,
    /// The server's name.
    pub server: &'a str,
    /// The channel.
    pub channel: ChannelId,
}

/// Renders a tag (see the module docs).
pub fn show(tag: &Tag, who: &Who<'_>, args: &[String]) -> Shown {
    let facts = Facts {
        user_name: who.name,
        user: who.user,
        server: who.server,
        channel: who.channel,
        args,
    };
    let max = if tag.body.embed {
        MAX_EMBED
    } else {
        MAX_MESSAGE
    };
    let r = render(&tag.body.content, &facts, max);
    let mentions = match r.ping_user {
        Some(u) => serenity::CreateAllowedMentions::new()
            .users(vec![serenity::UserId::new(u.get())])
            .replied_user(false),
        None => crate::embeds::no_mentions(),
    };
    let text = Some(r.text).filter(|t| !t.trim().is_empty());
    let (content, embed) = if tag.body.embed || (text.is_none() && tag.body.image.is_some()) {
        let mut e = Embed::new(Theme::Info, tag.name.clone()).without_timestamp();
        if let Some(t) = text {
            e = e.description(t);
        }
        let mut ce: serenity::CreateEmbed = e.into();
        if let Some(url) = &tag.body.image {
            ce = ce.image(url);
        }
        (None, Some(ce))
    } else {
        let embed = tag
            .body
            .image
            .as_ref()
            .map(|url| serenity::CreateEmbed::new().image(url));
        (text, embed)
    };
    Shown {
        content,
        embed,
        mentions,
    }
}

impl Shown {
    /// As a new message.
    pub fn message(self) -> serenity::CreateMessage {
        let mut m = serenity::CreateMessage::new().allowed_mentions(self.mentions);
        if let Some(c) = self.content {
            m = m.content(c);
        }
        if let Some(e) = self.embed {
            m = m.embed(e);
        }
        m
    }
    /// As a command reply.
    pub fn reply(self) -> poise::CreateReply {
        let mut m = poise::CreateReply::default().allowed_mentions(self.mentions);
        if let Some(c) = self.content {
            m = m.content(c);
        }
        if let Some(e) = self.embed {
            m = m.embed(e);
        }
        m
    }
    /// As an interaction response.
    pub fn response(self) -> serenity::CreateInteractionResponse {
        let mut m =
            serenity::CreateInteractionResponseMessage::new().allowed_mentions(self.mentions);
        if let Some(c) = self.content {
            m = m.content(c);
        }
        if let Some(e) = self.embed {
            m = m.embed(e);
        }
        serenity::CreateInteractionResponse::Message(m)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn levels() {
        let p = serenity::Permissions::MANAGE_MESSAGES;
        assert!(reaches(Access::ManageMessages, p));
        assert!(!reaches(Access::ManageServer, p));
        assert!(reaches(Access::Everyone, serenity::Permissions::empty()));
        assert!(!reaches(
            Access::ManageMessages,
            serenity::Permissions::empty()
        ));
        assert!(reaches(Access::Admin, serenity::Permissions::ADMINISTRATOR));
    }
}
