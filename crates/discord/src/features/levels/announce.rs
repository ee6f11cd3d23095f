//! The level-up message: the server's text (placeholders filled by
//! `chronix_core::levels::render_template`), with the rank card attached when the server chose
//! the image style; in the channel of the message, a fixed channel or by DM. It pings only the
//! member who levelled up (the text is the server's own; roles and @everyone never ping).

use chronix_core::ids::ChannelId;
use chronix_core::levels::{LevelSettings, Placeholders, Scope, render_template};
use chronix_storage::levels::Granted;

use super::card;
use super::chat::{Destination, destination};
use crate::kernel::ids::ToDiscord;
use crate::prelude::*;

/// Announces `g`'s level-up (see the module docs). A closed DM or a missing channel is logged,
/// not an error.
pub async fn level_up(
    data: &Data,
    http: &serenity::Http,
    s: &LevelSettings,
    g: &Granted,
    channel: Option<ChannelId>,
    name: Option<String>,
) -> Result<(), Error> {
    let Some(to) = destination(s.announce, channel) else {
        return Ok(());
    };
    let l = crate::i18n::guild_locale(data, Some(g.guild.get())).await;
    // The card needs the avatar's hash, which the message's author carried but the batch did
    // not keep: one user read per level-up drawn as a card.
    let user = if name.is_none() || s.card {
        http.get_user(g.user.discord()).await.ok()
    } else {
        None
    };
    let avatar = user.as_ref().and_then(crate::pictures::avatar_hash);
    let name = match (name, user) {
        (Some(n), _) => n,
        (None, Some(u)) => u.global_name.unwrap_or(u.name),
        (None, None) => g.user.to_string(),
    };
    let server = data.guilds().name(g.guild.discord()).unwrap_or_default();
    let rank = if s.message.contains("{rank}") {
        chronix_storage::levels::guild_rank(data.storage(), g.guild, g.user).await?
    } else {
        None
    };
    let mention = format!("<@{}>", g.user);
    let text = render_template(
        &s.message,
        &Placeholders {
            user: &name,
            mention: &mention,
            level: g.new_level,
            server: &server,
            xp: g.xp,
            rank,
        },
    );
    let mut msg = serenity::CreateMessage::new()
        .content(crate::embeds::truncate(&text, 2000))
        .allowed_mentions(
            serenity::CreateAllowedMentions::new()
                .users([g.user.discord()])
                .empty_roles()
                .everyone(false),
        );
    if s.card {
        let st = card::standing(data, s, Scope::Server, g.guild, g.user).await?;
        let pics = crate::pictures::member(data, g.user, avatar.as_deref(), Some(g.guild)).await;
        let png = card::render(l, s, &st, &name, g.user, &server, pics).await?;
        msg = msg.add_file(serenity::CreateAttachment::bytes(png, card::FILE));
    }
    let sent = match to {
        Destination::Channel(c) => c.discord().send_message(http, msg).await.map(|_| ()),
        Destination::Dm => g.user.discord().direct_message(http, msg).await.map(|_| ()),
    };
    if let Err(e) = sent {
        tracing::info!(error = %e, guild = %g.guild, user = %g.user, "could not announce a level-up");
    }
    Ok(())
}
