//! Channel and member tools: `purge` (filters; bulk delete for messages younger than 14 days,
//! older ones one by one up to a limit, the rest reported), `slowmode`, `nick`. Each checks the moderator's own permission and the hierarchy, and turns
//! Discord's 50013 into a sentence naming the permission.

use chronix_core::moderation::{self as rules, Act, MessageFacts, PurgeError, PurgeFilter};

use super::{ModRefusal, Perm, audit_reason, check, discord_error, mention};
use crate::errors::refuse;
use crate::kernel::ids::{ToCore, ToDiscord};
use crate::prelude::*;

/// Older messages `purge` deletes one by one at most (each is a REST call).
pub const PURGE_SINGLE_MAX: usize = 20;

/// Refusal of a moderator lacking a channel permission.
pub(super) async fn need(ctx: Context<'_>, l: Locale, p: Perm) -> Result<(), Error> {
    let have = crate::perms::author_permissions(ctx).await;
    if have.contains(p.bits()) || have.administrator() {
        Ok(())
    } else {
        Err(refuse(l, ModRefusal::YouLack(p)))
    }
}

/// What the user reads for bad `purge` words.
pub fn purge_error_text(l: Locale, e: &PurgeError) -> String {
    match e {
        PurgeError::BadCount { max } => tr!(l, "moderation-purge-bad-count", max = *max),
        PurgeError::UnknownFilter(w) => tr!(
            l,
            "moderation-purge-unknown-filter",
            word = embeds::truncate(w, 30).replace('`', "'")
        ),
        PurgeError::ContainsWithoutText => tr!(l, "moderation-purge-contains-empty"),
    }
}

/// Delete recent messages here (filters: a user, bots, links, attachments, embeds, contains).
#[poise::command(prefix_command, slash_command, guild_only, aliases("clear", "prune"), custom_data = Tier::Mod)]
pub async fn purge(
    ctx: Context<'_>,
    #[description = "How many recent messages to look at (1 to 1000)"] count: u32,
    #[description = "Filters: a user, bots, links, attachments, embeds, contains <text>"]
    #[rest]
    filters: Option<String>,
) -> Result<(), Error> {
    let who = Caller::of(ctx).await;
    let (l, gid) = (who.locale, who.guild.ok_or(UserError::GuildOnly)?);
    if count == 0 || count > rules::PURGE_MAX {
        return Err(UserError::InvalidInput(purge_error_text(
            l,
            &PurgeError::BadCount {
                max: rules::PURGE_MAX,
            },
        ))
        .into());
    }
    let filter: PurgeFilter = rules::parse_purge_filters(filters.as_deref().unwrap_or(""))
        .map_err(|e| UserError::InvalidInput(purge_error_text(l, &e)))?;
    need(ctx, l, Perm::ManageMessages).await?;
    let channel = ctx.channel_id();
    let http = ctx.http();
    // The command message itself goes too (prefix form), and is not counted.
    let mut before = match ctx {
        poise::Context::Prefix(p) => Some(p.msg.id),
        poise::Context::Application(_) => None,
    };
    let mut looked = 0u32;
    // (id, creation time in ms)
    let mut picked: Vec<(serenity::MessageId, i64)> = Vec::new();
    while looked < count {
        let want = (count - looked).min(100) as u8;
        let page = http
            .get_messages(
                channel,
                before.map(serenity::MessagePagination::Before),
                Some(want),
            )
            .await
            .map_err(|e| discord_error(l, e, Perm::ManageMessages))?;
        if page.is_empty() {
            break;
        }
        for m in &page {
            looked += 1;
            let facts = MessageFacts {
                author: m.author.id.core(),
                bot: m.author.bot || m.webhook_id.is_some(),
                content: m.content.clone(),
                attachments: m.attachments.len(),
                embeds: m.embeds.len(),
                pinned: m.pinned,
            };
            if filter.matches(&facts) {
                picked.push((m.id, m.timestamp.unix_timestamp() * 1_000));
            }
            if looked >= count {
                break;
            }
        }
        before = page.last().map(|m| m.id);
        if page.len() < usize::from(want) {
            break;
        }
    }
    let now_ms = who.now.timestamp_millis();
    let (recent, old): (Vec<_>, Vec<_>) = picked
        .iter()
        .copied()
        .partition(|(_, at)| rules::bulk_deletable_at(*at, now_ms));
    let recent: Vec<serenity::MessageId> = recent.into_iter().map(|(id, _)| id).collect();
    let old: Vec<serenity::MessageId> = old.into_iter().map(|(id, _)| id).collect();
    let reason = audit_reason(&ctx.author().name, None);
    let mut deleted = 0usize;
    for chunk in recent.chunks(100) {
        if chunk.len() == 1 {
            http.delete_message(channel, chunk[0], Some(&reason))
                .await
                .map_err(|e| discord_error(l, e, Perm::ManageMessages))?;
        } else {
            let body = serde_json::json!({ "messages": chunk });
            http.delete_messages(channel, &body, Some(&reason))
                .await
                .map_err(|e| discord_error(l, e, Perm::ManageMessages))?;
        }
        deleted += chunk.len();
    }
    let mut one_by_one = 0usize;
    for id in old.iter().take(PURGE_SINGLE_MAX) {
        http.delete_message(channel, *id, Some(&reason))
            .await
            .map_err(|e| discord_error(l, e, Perm::ManageMessages))?;
        one_by_one += 1;
    }
    let left = old.len() - one_by_one;
    if let poise::Context::Prefix(p) = ctx {
        let _ = http.delete_message(channel, p.msg.id, Some(&reason)).await;
    }
    chronix_storage::audit::append(
        ctx.data().storage(),
        who.user,
        Some(gid),
        "moderation.purge",
        Some(&channel.get().to_string()),
        &serde_json::json!({
            "looked_at": looked,
            "bulk": deleted,
            "one_by_one": one_by_one,
            "left_older_than_14_days": left,
        }),
        who.now,
    )
    .await?;
    let mut e = Embed::success(tr!(
        l,
        "moderation-purge-done",
        count = (deleted + one_by_one) as u64
    ))
    .description(tr!(
        l,
        "moderation-purge-detail",
        looked = u64::from(looked),
        bulk = deleted as u64,
        single = one_by_one as u64
    ));
    if left > 0 {
        e = e.footer(tr!(l, "moderation-purge-left", count = left as u64));
    }
    ctx.send(embeds::reply(e)).await?;
    Ok(())
}

/// Set this channel's slowmode (`slowmode 10s`, `slowmode 1h`, `slowmode off`; at most 6h).
#[poise::command(prefix_command, slash_command, guild_only, custom_data = Tier::Mod)]
pub async fn slowmode(
    ctx: Context<'_>,
    #[description = "Delay between messages (10s, 5m, 1h; off)"] delay: String,
) -> Result<(), Error> {
    let l = Caller::of(ctx).await.locale;
    let secs = rules::parse_slowmode(&delay).map_err(|e| refuse(l, ModRefusal::Args(e.into())))?;
    need(ctx, l, Perm::ManageChannels).await?;
    ctx.channel_id()
        .edit(
            ctx.http(),
            serenity::EditChannel::new()
                .rate_limit_per_user(secs)
                .audit_log_reason(&audit_reason(&ctx.author().name, None)),
        )
        .await
        .map_err(|e| discord_error(l, e, Perm::ManageChannels))?;
    let text = if secs == 0 {
        tr!(l, "moderation-slowmode-off")
    } else {
        tr!(
            l,
            "moderation-slowmode-on",
            delay = rules::format_span(chrono::Duration::seconds(i64::from(secs)))
        )
    };
    ctx.send(embeds::reply(Embed::success(text))).await?;
    Ok(())
}

/// Set or clear a member's nickname.
#[poise::command(prefix_command, slash_command, guild_only, aliases("nickname"), custom_data = Tier::Mod)]
pub async fn nick(
    ctx: Context<'_>,
    #[description = "Whose nickname"] user: serenity::User,
    #[description = "The new nickname (none clears it)"]
    #[rest]
    nickname: Option<String>,
) -> Result<(), Error> {
    let who = Caller::of(ctx).await;
    let (l, gid) = (who.locale, who.guild.ok_or(UserError::GuildOnly)?.discord());
    let nickname = rules::clean_nick(nickname.as_deref())
        .map_err(|_| UserError::InvalidInput(tr!(l, "moderation-nick-too-long")))?;
    need(ctx, l, Perm::ManageNicknames).await?;
    let checked = check(ctx, &who, user.id, None, Act::OnMember).await?;
    if checked.target_roles.is_none() {
        return Err(refuse(l, ModRefusal::NotAMember(user.id.core())));
    }
    gid.edit_member(
        ctx.http(),
        user.id,
        serenity::EditMember::new()
            .nickname(nickname.clone().unwrap_or_default())
            .audit_log_reason(&audit_reason(&ctx.author().name, None)),
    )
    .await
    .map_err(|e| discord_error(l, e, Perm::ManageNicknames))?;
    let text = match &nickname {
        Some(n) => tr!(
            l,
            "moderation-nick-set",
            user = mention(user.id.core()),
            nick = n.as_str()
        ),
        None => tr!(l, "moderation-nick-cleared", user = mention(user.id.core())),
    };
    ctx.send(embeds::reply(
        Embed::success(tr!(l, "moderation-nick-title")).description(text),
    ))
    .await?;
    Ok(())
}
