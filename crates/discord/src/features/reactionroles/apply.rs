//! What members do to a panel (react, unreact, click a button, pick in the select) and the
//! restart reconciliation of reaction panels.
//!
//! Every choice reads the member's roles from Discord, asks the mode rules
//! (`chronix_core::reactionroles::decide`) what to add and remove, checks that the bot may
//! give and take each of those roles (its highest role, managed roles, @everyone), then
//! changes them and records what the panel gave (`reaction_role_grants`). A refusal is
//! explained: ephemerally for a click or pick; by DM for a reaction, which is taken back.

use std::collections::{BTreeMap, BTreeSet};

use chronix_core::ids::{GuildId, RoleId, UserId};
use chronix_core::reactionroles::{self as rules, Act, Change, Delivery, Mode, RuleRefusal};
use chronix_storage::reactionroles::{self as store, Panel, PanelId};
use chrono::Utc;

use super::setup::reaction_type;
use super::{PREFIX, mention, refused, role_problem};
use crate::events::Event;
use crate::kernel::ids::{ToCore, ToDiscord};
use crate::prelude::*;
use crate::registry::BoxFuture;

/// What a member chose.
#[derive(Debug, Clone)]
pub enum Pick {
    /// One role, by reaction or button.
    One(RoleId, Act),
    /// The select's values.
    Select(Vec<RoleId>),
}

/// The outcome of a choice: the change made, or why nothing changed.
pub type Outcome = Result<Change, String>;

/// The listener of reactions and guild creates.
pub fn on_event<'a>(
    ctx: &'a serenity::Context,
    data: &'a Data,
    event: &'a Event<'a>,
) -> BoxFuture<'a, Result<(), Error>> {
    Box::pin(async move {
        match event {
            Event::ReactionAdd(r) => on_reaction(ctx, data, r, Act::React).await,
            Event::ReactionRemove(r) => on_reaction(ctx, data, r, Act::Unreact).await,
            Event::GuildJoin { guild, .. } => reconcile(ctx, data, guild.id.core()).await,
            _ => Ok(()),
        }
    })
}

fn rule_text(l: Locale, r: &RuleRefusal) -> String {
    match r {
        RuleRefusal::MaxReached { max } => tr!(l, "rr-max-reached", max = *max),
        RuleRefusal::VerifyKeeps => tr!(l, "rr-verify-keeps"),
        RuleRefusal::TooMany { max } => tr!(l, "rr-too-many", max = *max),
    }
}

/// Applies a member's choice on `panel`: the change made, or why nothing changed.
pub async fn choose(
    http: &serenity::Http,
    data: &Data,
    l: Locale,
    bot: serenity::UserId,
    panel: &Panel,
    user: UserId,
    pick: &Pick,
) -> Result<Outcome, Error> {
    let gid = panel.guild.discord();
    let member = gid.member(http, user.discord()).await?;
    let held: Vec<RoleId> = member.roles.iter().map(|r| r.core()).collect();
    let decided = match pick {
        Pick::One(role, act) => rules::decide(&panel.config, &held, *role, *act),
        Pick::Select(picked) => rules::decide_select(&panel.config, &held, picked),
    };
    let change = match decided {
        Ok(c) => c,
        Err(r) => return Ok(Err(rule_text(l, &r))),
    };
    if change.is_empty() {
        // A reaction for a role the member already holds: remember it as the panel's, so
        // removing the reaction (also while the bot is down) takes it back as usual.
        if let Pick::One(role, Act::React) = pick
            && held.contains(role)
        {
            store::record_grant(data.storage(), panel.id, user, *role, Utc::now()).await?;
        }
        return Ok(Ok(change));
    }
    let (roles, top) = super::role_facts(http, bot, panel.guild).await?;
    for r in change.add.iter().chain(&change.remove) {
        if let Err(p) = rules::check_role(*r, &roles, top) {
            return Ok(Err(tr!(l, "rr-cannot-give", reason = role_problem(l, &p))));
        }
    }
    let reason = format!("reaction roles: panel {}", panel.id);
    let now = Utc::now();
    for r in &change.remove {
        http.remove_member_role(gid, user.discord(), r.discord(), Some(&reason))
            .await?;
        store::drop_grant(data.storage(), panel.id, user, *r).await?;
    }
    for r in &change.add {
        http.add_member_role(gid, user.discord(), r.discord(), Some(&reason))
            .await?;
        store::record_grant(data.storage(), panel.id, user, *r, now).await?;
    }
    tracing::debug!(panel = %panel.id, %user, ?change, "reaction roles: changed");
    Ok(Ok(change))
}

/// The role of a panel whose emoji is `emoji`.
fn role_of_emoji(panel: &Panel, emoji: &serenity::ReactionType) -> Option<RoleId> {
    let (unicode, custom) = match emoji {
        serenity::ReactionType::Unicode(s) => (Some(s.as_str()), None),
        serenity::ReactionType::Custom { id, .. } => (None, Some(id.get())),
        _ => return None,
    };
    panel
        .config
        .entries
        .iter()
        .find(|e| {
            e.emoji
                .as_ref()
                .is_some_and(|em| em.matches(unicode, custom))
        })
        .map(|e| e.role)
}

async fn on_reaction(
    ctx: &serenity::Context,
    data: &Data,
    r: &serenity::Reaction,
    act: Act,
) -> Result<(), Error> {
    let (Some(_), Some(user)) = (r.guild_id, r.user_id) else {
        return Ok(());
    };
    let bot = ctx.cache.current_user().id;
    if user == bot || r.member.as_ref().is_some_and(|m| m.user.bot) {
        return Ok(());
    }
    let Some(panel) = store::by_message(data.storage(), r.message_id.core()).await? else {
        return Ok(());
    };
    if panel.config.delivery != Delivery::Reactions {
        return Ok(());
    }
    let Some(role) = role_of_emoji(&panel, &r.emoji) else {
        return Ok(());
    };
    react(ctx, data, bot, &panel, user.core(), role, act).await
}

/// A reaction (or unreaction) of `user` for `role` on a reaction panel, with what follows:
/// the other reactions taken back in single mode, the refused reaction taken back and
/// explained by DM.
async fn react(
    ctx: &serenity::Context,
    data: &Data,
    bot: serenity::UserId,
    panel: &Panel,
    user: UserId,
    role: RoleId,
    act: Act,
) -> Result<(), Error> {
    let http = ctx.http.as_ref();
    let l = crate::kernel::i18n::guild_locale(data, Some(panel.guild.get())).await;
    let Some(message) = panel.message else {
        return Ok(());
    };
    let outcome = choose(http, data, l, bot, panel, user, &Pick::One(role, act)).await?;
    match outcome {
        Ok(change) => {
            // Single mode: the reactions of the roles taken away go too.
            for removed in &change.remove {
                if *removed == role {
                    continue;
                }
                if let Some(em) = panel.config.entry(*removed).and_then(|e| e.emoji.as_ref()) {
                    let _ = http
                        .delete_reaction(
                            panel.channel.discord(),
                            message.discord(),
                            user.discord(),
                            &reaction_type(em),
                        )
                        .await;
                }
            }
        }
        Err(text) => {
            if act == Act::React
                && let Some(em) = panel.config.entry(role).and_then(|e| e.emoji.as_ref())
            {
                let _ = http
                    .delete_reaction(
                        panel.channel.discord(),
                        message.discord(),
                        user.discord(),
                        &reaction_type(em),
                    )
                    .await;
            }
            tell_by_dm(http, user, l, panel, text).await;
        }
    }
    Ok(())
}

/// Explains a refusal by DM (a closed DM is not an error).
async fn tell_by_dm(http: &serenity::Http, user: UserId, l: Locale, panel: &Panel, text: String) {
    let embed = Embed::error(tr!(l, "rr-refused-title")).description(tr!(
        l,
        "rr-dm-refused",
        title = crate::embeds::truncate(&panel.config.title, 100),
        reason = text
    ));
    let sent = async {
        let dm = user.discord().create_dm_channel(http).await?;
        dm.send_message(http, crate::embeds::message(embed)).await?;
        Ok::<_, serenity::Error>(())
    }
    .await;
    if let Err(e) = sent {
        tracing::debug!(%user, error = %e, "reaction roles: could not DM a refusal");
    }
}

fn changed_text(l: Locale, change: &Change) -> String {
    let list = |v: &[RoleId]| v.iter().map(|r| mention(*r)).collect::<Vec<_>>().join(", ");
    match (change.add.is_empty(), change.remove.is_empty()) {
        (true, true) => tr!(l, "rr-unchanged"),
        (false, true) => tr!(l, "rr-added", roles = list(&change.add)),
        (true, false) => tr!(l, "rr-removed", roles = list(&change.remove)),
        (false, false) => tr!(
            l,
            "rr-added-removed",
            added = list(&change.add),
            removed = list(&change.remove)
        ),
    }
}

fn parse(custom_id: &str) -> Option<(&str, PanelId, Option<RoleId>)> {
    let rest = custom_id.strip_prefix(PREFIX)?;
    let mut parts = rest.split(':');
    let kind = parts.next()?;
    let panel = PanelId::new(parts.next()?.parse().ok()?);
    let role = match parts.next() {
        Some(r) => Some(RoleId::new(r.parse().ok()?)),
        None => None,
    };
    Some((kind, panel, role))
}

/// A panel's button or select.
pub fn on_component<'a>(
    ctx: &'a serenity::Context,
    ci: &'a serenity::ComponentInteraction,
    data: &'a Data,
) -> BoxFuture<'a, Result<(), Error>> {
    Box::pin(async move {
        let l = crate::kernel::i18n::locale_of_interaction(data, ci).await;
        let gone = || -> Error { UserError::msg(tr!(l, "button-no-longer-valid")).into() };
        let Some(guild) = ci.guild_id else {
            return Err(gone());
        };
        let Some((kind, id, role)) = parse(&ci.data.custom_id) else {
            return Err(gone());
        };
        let Some(panel) = store::panel(data.storage(), guild.core(), id).await? else {
            return Err(refused(l, tr!(l, "rr-no-panel")));
        };
        let pick = match (kind, role, &ci.data.kind) {
            ("b", Some(role), _) if panel.config.entry(role).is_some() => {
                Pick::One(role, Act::Click)
            }
            ("s", None, serenity::ComponentInteractionDataKind::StringSelect { values }) => {
                Pick::Select(
                    values
                        .iter()
                        .filter_map(|v| v.parse::<u64>().ok())
                        .map(RoleId::new)
                        .collect(),
                )
            }
            _ => return Err(gone()),
        };
        let bot = ctx.cache.current_user().id;
        let outcome = choose(&ctx.http, data, l, bot, &panel, ci.user.id.core(), &pick).await?;
        let embed = match outcome {
            Ok(change) => {
                Embed::success(tr!(l, "rr-done-title")).description(changed_text(l, &change))
            }
            Err(text) => return Err(refused(l, text)),
        };
        ci.create_response(
            &ctx.http,
            serenity::CreateInteractionResponse::Message(
                serenity::CreateInteractionResponseMessage::new()
                    .embed(embed.into())
                    .ephemeral(true)
                    .allowed_mentions(crate::embeds::no_mentions()),
            ),
        )
        .await?;
        Ok(())
    })
}

/// Everyone (but bots) who reacted with `emoji` on `message`, read page by page.
async fn reactors(
    http: &serenity::Http,
    panel: &Panel,
    message: serenity::MessageId,
    emoji: &serenity::ReactionType,
) -> Result<BTreeSet<UserId>, serenity::Error> {
    let mut all = BTreeSet::new();
    let mut after: Option<u64> = None;
    loop {
        let page = http
            .get_reaction_users(panel.channel.discord(), message, emoji, 100, after)
            .await?;
        let full = page.len() >= 100;
        let mut progressed = false;
        for u in page {
            if after.is_some_and(|a| u.id.get() <= a) {
                continue;
            }
            progressed = true;
            after = Some(after.map_or(u.id.get(), |a| a.max(u.id.get())));
            if !u.bot {
                all.insert(u.id.core());
            }
        }
        if !full || !progressed {
            return Ok(all);
        }
    }
}

/// Restart reconciliation of a server's reaction panels: reactions added while the bot was
/// down give their role; roles the panel gave whose reaction is gone are taken back (not in
/// verify mode).
pub async fn reconcile(ctx: &serenity::Context, data: &Data, guild: GuildId) -> Result<(), Error> {
    let http = ctx.http.as_ref();
    let bot = ctx.cache.current_user().id;
    for panel in store::panels(data.storage(), guild).await? {
        let Some(message) = panel.message else {
            continue;
        };
        if panel.config.delivery != Delivery::Reactions {
            continue;
        }
        let mut now_reacting: BTreeMap<RoleId, BTreeSet<UserId>> = BTreeMap::new();
        let mut readable = true;
        for e in &panel.config.entries {
            let Some(em) = &e.emoji else { continue };
            match reactors(http, &panel, message.discord(), &reaction_type(em)).await {
                Ok(users) => {
                    now_reacting.insert(e.role, users);
                }
                Err(err) => {
                    tracing::info!(panel = %panel.id, error = %err, "reaction roles: panel message unreadable, not reconciled");
                    readable = false;
                    break;
                }
            }
        }
        if !readable {
            continue;
        }
        let granted: BTreeSet<(UserId, RoleId)> = store::grants(data.storage(), panel.id)
            .await?
            .into_iter()
            .collect();
        let mut fixed = 0usize;
        for (user, role) in &granted {
            let still = now_reacting.get(role).is_some_and(|s| s.contains(user));
            if !still {
                if panel.config.mode == Mode::Verify {
                    continue;
                }
                if let Err(e) = react(ctx, data, bot, &panel, *user, *role, Act::Unreact).await {
                    tracing::info!(panel = %panel.id, %user, error = %e, "reaction roles: could not take a role back");
                }
                store::drop_grant(data.storage(), panel.id, *user, *role).await?;
                fixed += 1;
            }
        }
        for (role, users) in &now_reacting {
            for user in users {
                if !granted.contains(&(*user, *role)) {
                    if let Err(e) = react(ctx, data, bot, &panel, *user, *role, Act::React).await {
                        tracing::info!(panel = %panel.id, %user, error = %e, "reaction roles: could not give a role");
                    }
                    fixed += 1;
                }
            }
        }
        tracing::info!(panel = %panel.id, fixed, "reaction roles: reconciled");
    }
    Ok(())
}
