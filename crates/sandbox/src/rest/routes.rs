//! The one routing table of the REST API: method + path segments → handler. Handlers live in
//! one module per Discord resource; this is the only module that knows all of them.

use std::sync::Arc;

use axum::http::Method;
use serde_json::json;

use crate::hub::Inner;
use crate::payloads;
use crate::state::Id;

use super::common::{ApiErr, Ctx, Res, pid, unknown};
use super::{
    audit, channels, commands, events, expressions, guilds, interactions, invites, members,
    messages, reactions, roles, threads, users, webhooks,
};

/// Dispatch one authorised request to its handler (404 `0` for unknown routes).
pub(super) fn route_request(inner: &Arc<Inner>, c: &Ctx) -> Res {
    let s: Vec<&str> = c.segs.iter().map(String::as_str).collect();
    let m = &c.method;
    let get = *m == Method::GET;
    let post = *m == Method::POST;
    let put = *m == Method::PUT;
    let patch = *m == Method::PATCH;
    let delete = *m == Method::DELETE;
    let id = |i: usize| -> Result<Id, ApiErr> {
        s.get(i)
            .and_then(|x| pid(x))
            .ok_or_else(|| ApiErr(404, payloads::error(0, "404: Not Found")))
    };
    match s.as_slice() {
        // gateway, oauth2, users
        ["gateway"] if get => users::gateway(inner),
        ["gateway", "bot"] if get => users::gateway_bot(inner),
        ["oauth2", "applications", "@me"] | ["applications", "@me"] if get => {
            users::application(inner)
        }
        ["users", "@me"] if get => users::current_user(inner),
        ["users", "@me", "channels"] if post => channels::open_dm(inner, c),
        ["users", "@me", "guilds"] if get => users::current_user_guilds(inner),
        ["users", "@me", "guilds", _] if delete => users::leave_guild(),
        ["users", _] if get => users::get_user(inner, id(1)?),
        // channels
        ["channels", _] if get => channels::get_channel(inner, id(1)?),
        ["channels", _] if patch => channels::modify_channel(inner, id(1)?, c),
        ["channels", _] if delete => channels::delete_channel(inner, id(1)?),
        ["channels", _, "permissions", _] if put => {
            channels::set_overwrite(inner, id(1)?, id(3)?, c)
        }
        ["channels", _, "permissions", _] if delete => {
            channels::delete_overwrite(inner, id(1)?, id(3)?)
        }
        ["channels", _, "typing"] if post => channels::typing(inner, id(1)?),
        ["channels", _, "threads"] if post => channels::create_thread(inner, id(1)?, None, c),
        ["channels", _, "messages", _, "threads"] if post => {
            channels::create_thread(inner, id(1)?, Some(id(3)?), c)
        }
        ["channels", _, "thread-members"] if get => threads::list(inner, id(1)?),
        ["channels", _, "thread-members", user] if put || delete || get => {
            let uid = if *user == "@me" {
                inner.state.lock().bot_id
            } else {
                id(3)?
            };
            if put {
                threads::add(inner, id(1)?, uid)
            } else if delete {
                threads::remove(inner, id(1)?, uid)
            } else {
                threads::get(inner, id(1)?, uid)
            }
        }
        // messages
        ["channels", _, "messages"] if get => messages::list_messages(inner, id(1)?, c),
        ["channels", _, "messages"] if post => messages::create_message(inner, id(1)?, c),
        ["channels", _, "messages", "bulk-delete"] if post => {
            messages::bulk_delete(inner, id(1)?, c)
        }
        // before `messages/{message_id}`, which would take `pins` for an id
        ["channels", _, "pins"] if get => messages::list_pins(inner, id(1)?, false),
        ["channels", _, "messages", "pins"] if get => messages::list_pins(inner, id(1)?, true),
        ["channels", _, "messages", _] if get => messages::get_message(inner, id(1)?, id(3)?),
        ["channels", _, "messages", _] if patch => messages::edit_message(inner, id(1)?, id(3)?, c),
        ["channels", _, "messages", _] if delete => messages::delete_message(inner, id(1)?, id(3)?),
        ["channels", _, "messages", _, "crosspost"] if post => messages::crosspost(inner, id(3)?),
        ["channels", _, "pins", _] | ["channels", _, "messages", "pins", _] if put || delete => {
            messages::pin(inner, id(1)?, id(s.len() - 1)?, put)
        }
        // reactions
        ["channels", _, "messages", _, "reactions"] if delete => {
            reactions::clear_reactions(inner, id(1)?, id(3)?, None)
        }
        ["channels", _, "messages", _, "reactions", emoji] if delete => {
            reactions::clear_reactions(inner, id(1)?, id(3)?, Some(emoji))
        }
        ["channels", _, "messages", _, "reactions", emoji] if get => {
            reactions::list_reactions(inner, id(1)?, id(3)?, emoji)
        }
        ["channels", _, "messages", _, "reactions", emoji, "@me"] if put => {
            reactions::add_reaction(inner, id(1)?, id(3)?, emoji)
        }
        ["channels", _, "messages", _, "reactions", emoji, who] if delete => {
            let uid = if *who == "@me" {
                None
            } else {
                Some(pid(who).ok_or_else(|| unknown(10013, "User"))?)
            };
            reactions::remove_reaction(inner, id(1)?, id(3)?, emoji, uid)
        }
        // invites
        ["channels", _, "invites"] if post => invites::create_invite(inner, id(1)?, c),
        ["channels", _, "invites"] if get => invites::list_channel_invites(inner, id(1)?),
        ["guilds", _, "invites"] if get => invites::list_guild_invites(inner, id(1)?),
        ["guilds", _, "vanity-url"] if get => invites::vanity_url(inner, id(1)?),
        ["invites", code] if get => invites::get_invite(inner, code),
        ["invites", code] if delete => invites::delete_invite(inner, code),
        // guilds
        ["guilds", _] if get => guilds::get_guild(inner, id(1)?, c),
        ["guilds", _, "channels"] if get => guilds::list_channels(inner, id(1)?),
        ["guilds", _, "channels"] if post => channels::create_channel(inner, id(1)?, c),
        ["guilds", _, "audit-logs"] if get => audit::get_audit_log(inner, id(1)?, c),
        // roles
        ["guilds", _, "roles"] if get => roles::list_roles(inner, id(1)?),
        ["guilds", _, "roles"] if post => roles::create_role(inner, id(1)?, c),
        ["guilds", _, "roles", _] if get => roles::get_role(inner, id(1)?, id(3)?),
        ["guilds", _, "roles", _] if patch => roles::modify_role(inner, id(1)?, id(3)?, c),
        ["guilds", _, "roles", _] if delete => roles::delete_role(inner, id(1)?, id(3)?),
        // members and bans
        ["guilds", _, "members"] if get => members::list_members(inner, id(1)?, c),
        ["guilds", _, "members", "search"] if get => members::search_members(inner, id(1)?, c),
        ["guilds", _, "members", "@me"] if patch => {
            let bot = inner.state.lock().bot_id;
            members::modify_member(inner, id(1)?, bot, c)
        }
        ["guilds", _, "members", _] if get => members::get_member(inner, id(1)?, id(3)?),
        ["guilds", _, "members", _] if patch => members::modify_member(inner, id(1)?, id(3)?, c),
        ["guilds", _, "members", _] if delete => members::kick(inner, id(1)?, id(3)?, c),
        ["guilds", _, "members", _, "roles", _] if put || delete => {
            members::member_role(inner, id(1)?, id(3)?, id(5)?, put)
        }
        ["guilds", _, "bans"] if get => members::list_bans(inner, id(1)?),
        ["guilds", _, "bulk-ban"] if post => members::bulk_ban(inner, id(1)?, c),
        ["guilds", _, "bans", _] if get => members::get_ban(inner, id(1)?, id(3)?),
        ["guilds", _, "bans", _] if put => members::ban(inner, id(1)?, id(3)?, c),
        ["guilds", _, "bans", _] if delete => members::unban(inner, id(1)?, id(3)?),
        // application commands
        ["applications", _, "commands"] => commands::commands_route(inner, id(1)?, None, None, c),
        ["applications", _, "commands", _] => {
            commands::commands_route(inner, id(1)?, None, Some(id(3)?), c)
        }
        ["applications", _, "guilds", _, "commands"] => {
            commands::commands_route(inner, id(1)?, Some(id(3)?), None, c)
        }
        ["applications", _, "guilds", _, "commands", _] => {
            commands::commands_route(inner, id(1)?, Some(id(3)?), Some(id(5)?), c)
        }
        // emojis and stickers
        ["guilds", _, "emojis"] if get => expressions::list_emojis(inner, id(1)?),
        ["guilds", _, "emojis"] if post => expressions::create_emoji(inner, id(1)?, c),
        ["guilds", _, "emojis", _] if get => expressions::get_emoji(inner, id(1)?, id(3)?),
        ["guilds", _, "emojis", _] if patch => expressions::modify_emoji(inner, id(1)?, id(3)?, c),
        ["guilds", _, "emojis", _] if delete => expressions::delete_emoji(inner, id(1)?, id(3)?),
        ["guilds", _, "stickers"] if get => expressions::list_stickers(inner, id(1)?),
        ["guilds", _, "stickers"] if post => expressions::create_sticker(inner, id(1)?, c),
        ["guilds", _, "stickers", _] if get => expressions::get_sticker(inner, id(1)?, id(3)?),
        ["guilds", _, "stickers", _] if patch => {
            expressions::modify_sticker(inner, id(1)?, id(3)?, c)
        }
        ["guilds", _, "stickers", _] if delete => {
            expressions::delete_sticker(inner, id(1)?, id(3)?)
        }
        // scheduled events
        ["guilds", _, "scheduled-events"] if get => events::list_events(inner, id(1)?),
        ["guilds", _, "scheduled-events"] if post => events::create_event(inner, id(1)?, c),
        ["guilds", _, "scheduled-events", _] if get => events::get_event(inner, id(1)?, id(3)?),
        ["guilds", _, "scheduled-events", _] if patch => {
            events::modify_event(inner, id(1)?, id(3)?, c)
        }
        ["guilds", _, "scheduled-events", _] if delete => {
            events::delete_event(inner, id(1)?, id(3)?)
        }
        ["guilds", _, "scheduled-events", _, "users"] if get => {
            events::event_users(inner, id(1)?, id(3)?, c)
        }
        // channel webhooks (`/webhooks/{application_id}/{token}` are interaction follow-ups)
        ["channels", _, "webhooks"] if post => webhooks::create_webhook(inner, id(1)?, c),
        ["channels", _, "webhooks"] if get => webhooks::list_webhooks(inner, Some(id(1)?), None),
        ["guilds", _, "webhooks"] if get => webhooks::list_webhooks(inner, None, Some(id(1)?)),
        ["webhooks", _] if get => webhooks::get_webhook(inner, id(1)?, None),
        ["webhooks", _] if patch => webhooks::modify_webhook(inner, id(1)?, None, c),
        ["webhooks", _] if delete => webhooks::delete_webhook(inner, id(1)?, None),
        ["webhooks", _, token] if post && !is_app(inner, id(1)?) => {
            webhooks::execute_webhook(inner, id(1)?, token, c)
        }
        ["webhooks", _, token] if get => webhooks::get_webhook(inner, id(1)?, Some(token)),
        ["webhooks", _, token] if patch => webhooks::modify_webhook(inner, id(1)?, Some(token), c),
        ["webhooks", _, token] if delete => webhooks::delete_webhook(inner, id(1)?, Some(token)),
        // interactions and their webhooks
        ["interactions", _, token, "callback"] if post => {
            interactions::callback(inner, id(1)?, token, c)
        }
        ["webhooks", _, token] if post => interactions::followup(inner, id(1)?, token, c),
        ["webhooks", _, token, "messages", mid] => {
            interactions::webhook_message(inner, id(1)?, token, mid, c)
        }
        _ => Err(ApiErr(404, json!({"message": "404: Not Found", "code": 0}))),
    }
}

/// Whether a `/webhooks/{id}` id is the application's (interaction follow-ups) rather than a
/// channel webhook's.
fn is_app(inner: &Inner, id: Id) -> bool {
    inner.state.lock().application_id == id
}
