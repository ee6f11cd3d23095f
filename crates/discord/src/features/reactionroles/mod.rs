//! `reactionroles`: reaction roles and button roles (spec §26; issue 14).
//!
//! * [`setup`]: `rr setup`, the panel wizard (kernel [`crate::ui::wizard`], Admin): mode
//!   (toggle, single, verify), delivery (reactions, buttons, a select menu) and the cap per
//!   member → roles (a role at or above the bot's highest role, managed by an integration or
//!   @everyone is refused with the reason) → emojis and labels → the panel message → preview
//!   → confirm. Confirming stores the panel (`reaction_panels`, checked by
//!   `chronix_core::reactionroles::PanelConfig::validate`), posts it in the wizard's channel
//!   (adding the reactions for a reaction panel) and writes an audit entry.
//! * [`apply`]: what a member's reaction, unreaction, button click or select pick does
//!   (`chronix_core::reactionroles::decide`), the role hierarchy check at use (a refusal is
//!   explained: ephemerally for a click, by DM for a reaction, whose reaction is taken back),
//!   and the restart reconciliation: on GUILD_CREATE (start-up, reconnect) each reaction
//!   panel's reactions are read from Discord and compared with what the panel gave
//!   (`reaction_role_grants`): reactions added while the bot was down give their role,
//!   reactions removed meanwhile take it back (not in verify mode).
//! * [`commands`]: `rr` (`reactionroles`, `reactionrole`) with `setup`, `list`, `edit`,
//!   `delete` (Admin; each audited).
//!
//! Buttons carry only row ids (`chx:rr:b:<panel>:<role>`, the select `chx:rr:s:<panel>`), so
//! they work after a restart.

pub mod apply;
pub mod commands;
pub mod setup;

use chronix_core::ids::{GuildId, RoleId};
use chronix_core::reactionroles::{Delivery, Mode, PanelError, RoleFacts, RoleProblem};
use chronix_storage::reactionroles::{Panel, ReactionRoleRefusal};
use chronix_storage::{Refusal as StoreRefusal, StorageError};

use crate::events::EventKind;
use crate::kernel::ids::{ToCore, ToDiscord};
use crate::prelude::*;

/// `custom_id` prefix of the panels' buttons and selects.
pub const PREFIX: &str = "chx:rr:";

/// The reaction roles feature.
pub fn feature() -> Feature {
    Feature::new("reactionroles", || vec![commands::rr()])
        .on(
            &[
                EventKind::ReactionAdd,
                EventKind::ReactionRemove,
                EventKind::GuildJoin,
            ],
            apply::on_event,
        )
        .component(PREFIX, apply::on_component)
        .wizard(setup::wizard())
}

/// The name of a mode.
pub fn mode_name(l: Locale, m: Mode) -> String {
    match m {
        Mode::Toggle => tr!(l, "rr-mode-toggle"),
        Mode::Single => tr!(l, "rr-mode-single"),
        Mode::Verify => tr!(l, "rr-mode-verify"),
    }
}

/// The name of a delivery.
pub fn delivery_name(l: Locale, d: Delivery) -> String {
    match d {
        Delivery::Reactions => tr!(l, "rr-delivery-reactions"),
        Delivery::Buttons => tr!(l, "rr-delivery-buttons"),
        Delivery::Select => tr!(l, "rr-delivery-select"),
    }
}

/// Why the bot may not give a role, in words.
pub fn role_problem(l: Locale, p: &RoleProblem) -> String {
    match p {
        RoleProblem::AboveBot(name) => tr!(l, "rr-role-above-bot", role = name.as_str()),
        RoleProblem::Managed(name) => tr!(l, "rr-role-managed", role = name.as_str()),
        RoleProblem::Everyone => tr!(l, "rr-role-everyone"),
        RoleProblem::Unknown(id) => tr!(l, "rr-role-unknown", role = format!("<@&{id}>")),
    }
}

/// The text of a panel configuration problem.
pub fn panel_error(l: Locale, e: &PanelError) -> String {
    match e {
        PanelError::NoRole => tr!(l, "rr-panel-no-role"),
        PanelError::TooManyRoles { max } => tr!(l, "rr-panel-too-many", max = *max),
        PanelError::DuplicateRole(r) => {
            tr!(l, "rr-panel-duplicate-role", role = format!("<@&{r}>"))
        }
        PanelError::DuplicateEmoji(e) => tr!(l, "rr-panel-duplicate-emoji", emoji = e.as_str()),
        PanelError::MissingEmoji(r) => tr!(l, "rr-panel-missing-emoji", role = format!("<@&{r}>")),
        PanelError::EmptyTitle => tr!(l, "rr-panel-empty-title"),
        PanelError::TitleTooLong { max } => tr!(l, "rr-panel-title-long", max = *max),
        PanelError::DescriptionTooLong { max } => tr!(l, "rr-panel-text-long", max = *max),
        PanelError::LabelTooLong { max } => tr!(l, "rr-panel-label-long", max = *max),
        PanelError::MaxAboveRoles { roles } => tr!(l, "rr-panel-max-above", roles = *roles),
    }
}

/// A refusal shown to the user.
pub fn refused(l: Locale, text: String) -> Error {
    UserError::Refused {
        title: tr!(l, "rr-refused-title"),
        text,
    }
    .into()
}

/// Turns a storage refusal of this feature into a [`UserError`]; other errors pass through.
pub fn user_error(l: Locale, e: StorageError) -> Error {
    match e {
        StorageError::Refused(StoreRefusal::ReactionRoles(r)) => refused(
            l,
            match r {
                ReactionRoleRefusal::InvalidPanel(e) => panel_error(l, &e),
                ReactionRoleRefusal::NoPanel => tr!(l, "rr-no-panel"),
            },
        ),
        other => other.into(),
    }
}

/// The server's roles as the hierarchy check needs them, and the bot's highest position.
pub async fn role_facts(
    http: &serenity::Http,
    bot: serenity::UserId,
    guild: GuildId,
) -> Result<(Vec<RoleFacts>, i64), Error> {
    let gid = guild.discord();
    let roles = gid.roles(http).await?;
    let me = gid.member(http, bot).await?;
    let top = me
        .roles
        .iter()
        .filter_map(|r| roles.get(r).map(|r| i64::from(r.position)))
        .max()
        .unwrap_or(0);
    let mut facts: Vec<RoleFacts> = roles
        .values()
        .map(|r| RoleFacts {
            id: r.id.core(),
            name: r.name.clone(),
            position: i64::from(r.position),
            managed: r.managed,
            everyone: r.id.get() == gid.get(),
        })
        .collect();
    facts.sort_by(|a, b| b.position.cmp(&a.position).then(a.id.cmp(&b.id)));
    Ok((facts, top))
}

/// The role mention.
pub fn mention(r: RoleId) -> String {
    format!("<@&{r}>")
}

/// One line describing a panel (for `rr list`).
pub fn summary_line(l: Locale, p: &Panel) -> String {
    let c = &p.config;
    let roles = c
        .entries
        .iter()
        .map(|e| match &e.emoji {
            Some(em) => format!("{} {}", em.markdown(), mention(e.role)),
            None => mention(e.role),
        })
        .collect::<Vec<_>>()
        .join(" ");
    let link = match p.message {
        Some(m) => format!("https://discord.com/channels/{}/{}/{m}", p.guild, p.channel),
        None => format!("<#{}>", p.channel),
    };
    tr!(
        l,
        "rr-list-line",
        id = p.id.get(),
        title = crate::embeds::truncate(&c.title, 60),
        mode = mode_name(l, c.mode),
        delivery = delivery_name(l, c.delivery),
        max = i64::from(c.max),
        roles = roles,
        link = link
    )
}
