//! `clans` 🛡️: `clan create|info|list|top|invite|join|requests|leave|kick|promote|demote|
//! transfer|disband|deposit|withdraw|perks|perk|log|channel` (issue 11, spec §X).
//!
//! Glue only: the rules are `chronix_core::clans` (`assets/tables/clans.yaml`), every change one
//! transaction of `chronix_storage::clans`. A join request waits for an officer's click
//! (`chx:clan:req:<clan>:<user>:yes|no`: the button carries only ids; storage checks the
//! clicker's manage_clan). The weekly war is the recurring job [`WAR_JOB`] (Thursday 00:00
//! UTC), settled once in storage and posted to each clan's channel. The perks are applied by
//! hunt ([`hunt_modifiers`]), autohunt (the tick reads them for its batch) and the shop
//! ([`shop_discount_pct`]). Switch `ENABLE_CLANS`. See `docs/clans.md`.
//!
//! Files: this one (the feature, the perks' hooks, refusals, `clan`, `create`, `info`, `list`,
//! `top`), `members` (invite, join and its buttons, requests, leave, kick, promote, demote,
//! transfer, disband), `treasury` (deposit, withdraw, perks, perk, log, channel) and `war` (the
//! weekly job and its embed).

use std::sync::{Arc, OnceLock};

use chronix_core::clans::{ClanRules, Perk, Role};
use chronix_core::economy::Chrons;
use chronix_core::hunt::HuntModifiers;
use chronix_core::ids::UserId;
use chronix_core::render::{format_chrons, format_number};
use chronix_storage::StorageError;
use chronix_storage::clans::{self as store, Clan, ClanRefusal};

use crate::kernel::ids::ToCore;
use crate::prelude::*;
use crate::scheduler::JobKind;

mod members;
mod treasury;
mod war;

pub use members::{
    clan_demote, clan_disband, clan_invite, clan_join, clan_kick, clan_leave, clan_promote,
    clan_requests, clan_transfer, on_component,
};
pub use treasury::{clan_channel, clan_deposit, clan_log, clan_perk, clan_perks, clan_withdraw};
pub use war::war_embed;
use war::war_job;

/// The switch.
pub const SWITCH: &str = "clans";
/// `custom_id` prefix of the clan buttons.
pub const PREFIX: &str = "chx:clan:";
/// The weekly war job.
pub const WAR_JOB: &str = "clans_war";

/// The clans feature.
pub fn feature() -> Feature {
    Feature::new("clans", commands)
        .switch(SWITCH)
        .component(PREFIX, on_component)
        .job(JobKind::every(WAR_JOB, chrono::Duration::weeks(1), war_job))
        .config_keys(&["CLANS_CREATE_COST", "CLANS_WAR_PRIZE"])
}

/// The clan rules (the shipped `clans.yaml`, validated by chronix-core's tests).
pub fn rules() -> &'static Arc<ClanRules> {
    static RULES: OnceLock<Arc<ClanRules>> = OnceLock::new();
    RULES.get_or_init(|| {
        Arc::new(ClanRules::shipped().expect("the embedded clans.yaml is valid (core tests it)"))
    })
}

/// What `user`'s clan perks add to a hunt (nothing when clans are off or outside a clan).
pub async fn hunt_modifiers(data: &Data, user: UserId) -> Result<HuntModifiers, Error> {
    if !data.config().features.enabled(SWITCH) {
        return Ok(HuntModifiers::default());
    }
    let levels = store::perks_of_user(data.storage(), user).await?;
    Ok(rules().hunt_modifiers(&levels))
}

/// `user`'s shop discount from their clan's perk, percent.
pub async fn shop_discount_pct(data: &Data, user: UserId) -> Result<u32, Error> {
    if !data.config().features.enabled(SWITCH) {
        return Ok(0);
    }
    let levels = store::perks_of_user(data.storage(), user).await?;
    Ok(rules().shop_discount_pct(&levels))
}

/// The line a hunt shows when clan perks raised it (`None` without perks).
pub fn perk_line(l: Locale, mods: &HuntModifiers) -> Option<String> {
    (mods.xp_bonus_pct > 0 || mods.chrons_bonus_pct > 0).then(|| {
        tr!(
            l,
            "clans-hunt-perks",
            xp = mods.xp_bonus_pct.to_string(),
            chrons = mods.chrons_bonus_pct.to_string()
        )
    })
}

/// The clans feature's typed refusals.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ClansRefusal {
    /// Storage refused.
    Storage(chronix_storage::Refusal),
    /// Not a perk.
    UnknownPerk(String),
    /// A request button pressed for a request that is gone.
    NoSuchClan(String),
}

impl std::fmt::Display for ClansRefusal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&crate::errors::Refusal::text(self, Locale::EN))
    }
}

fn quoted(text: &str) -> String {
    embeds::truncate(text.trim(), 40).replace('`', "'")
}

fn perk_name(l: Locale, p: Perk) -> String {
    tr!(l, "clans-perk-name", perk = p.id())
}

fn role_name(l: Locale, r: Role) -> String {
    tr!(l, "clans-role", role = r.as_str())
}

/// The text of a clan refusal.
pub fn clan_refusal_text(l: Locale, r: &ClanRefusal) -> String {
    match r {
        ClanRefusal::NotInClan => tr!(l, "clans-not-in-clan"),
        ClanRefusal::AlreadyInClan => tr!(l, "clans-already-in-clan"),
        ClanRefusal::TargetInAClan(u) => tr!(l, "clans-target-in-clan", user = format!("<@{u}>")),
        ClanRefusal::TargetNotInClan(u) => {
            tr!(l, "clans-target-not-in-clan", user = format!("<@{u}>"))
        }
        ClanRefusal::NotManager => tr!(l, "clans-not-manager"),
        ClanRefusal::NotOwner => tr!(l, "clans-not-owner"),
        ClanRefusal::NameTaken(n) => tr!(l, "clans-name-taken", name = quoted(n)),
        ClanRefusal::BadName(_) => tr!(l, "clans-bad-name"),
        ClanRefusal::NoSuchClan(n) => tr!(l, "clans-no-such-clan", name = quoted(n)),
        ClanRefusal::Full { max } => tr!(l, "clans-full", max = max.to_string()),
        ClanRefusal::OwnerCannotLeave => tr!(l, "clans-owner-cannot-leave"),
        ClanRefusal::Outranked(u) => tr!(l, "clans-outranked", user = format!("<@{u}>")),
        ClanRefusal::Yourself => tr!(l, "clans-yourself"),
        ClanRefusal::SameRole { user, role } => tr!(
            l,
            "clans-same-role",
            user = format!("<@{user}>"),
            role = role_name(l, *role)
        ),
        ClanRefusal::AlreadyPending => tr!(l, "clans-already-pending"),
        ClanRefusal::NoRequest(u) => tr!(l, "clans-no-request", user = format!("<@{u}>")),
        ClanRefusal::NotEnoughBp { needed, available } => tr!(
            l,
            "clans-not-enough-bp",
            needed = needed.to_string(),
            available = available.to_string()
        ),
        ClanRefusal::PerkMaxed { perk, max } => tr!(
            l,
            "clans-perk-maxed",
            perk = perk_name(l, *perk),
            max = max.to_string()
        ),
        ClanRefusal::TreasuryTooSmall { needed, available } => tr!(
            l,
            "clans-treasury-too-small",
            needed = format_chrons(*needed),
            available = format_chrons(*available)
        ),
    }
}

impl crate::errors::Refusal for ClansRefusal {
    fn text(&self, l: Locale) -> String {
        match self {
            ClansRefusal::UnknownPerk(p) => tr!(l, "clans-unknown-perk", perk = quoted(p)),
            ClansRefusal::NoSuchClan(n) => tr!(l, "clans-no-such-clan", name = quoted(n)),
            ClansRefusal::Storage(chronix_storage::Refusal::Clan(c)) => clan_refusal_text(l, c),
            ClansRefusal::Storage(r) => crate::features::economy::refusal_text(l, r),
        }
    }
}

/// A storage error as the command's error (a refusal as a ❌ embed).
pub fn storage_error(l: Locale, e: StorageError) -> Error {
    match e {
        StorageError::Refused(r) => crate::errors::refuse(l, ClansRefusal::Storage(r)),
        e => anyhow::Error::new(e),
    }
}

/// The clan commands.
pub fn commands() -> Vec<Command> {
    vec![clan()]
}

/// Clans: create one, join one, share a treasury, buy perks, fight weekly wars.
#[poise::command(
    prefix_command,
    slash_command,
    subcommands(
        "clan_create",
        "clan_info",
        "clan_list",
        "clan_top",
        "clan_invite",
        "clan_join",
        "clan_requests",
        "clan_leave",
        "clan_kick",
        "clan_promote",
        "clan_demote",
        "clan_transfer",
        "clan_disband",
        "clan_deposit",
        "clan_withdraw",
        "clan_perks",
        "clan_perk",
        "clan_log",
        "clan_channel"
    ),
    custom_data = Tier::Everyone
)]
pub async fn clan(ctx: Context<'_>) -> Result<(), Error> {
    show_info(ctx, None).await
}

/// Found a clan (it costs Chrons; you get starting BP for perks).
#[poise::command(
    prefix_command,
    slash_command,
    rename = "create",
    aliases("new", "make"),
    custom_data = Tier::Everyone
)]
pub async fn clan_create(
    ctx: Context<'_>,
    #[description = "The clan's name (3 to 24 characters)"]
    #[rest]
    name: String,
) -> Result<(), Error> {
    let c = Caller::of(ctx).await;
    let l = c.locale;
    let cost = Chrons::new(ctx.data().config().clans_create_cost);
    let clan = store::create(
        ctx.data().storage(),
        c.user,
        &name,
        cost,
        rules(),
        c.guild,
        c.now,
    )
    .await
    .map_err(|e| storage_error(l, e))?;
    let e = Embed::success(tr!(l, "clans-created-title")).description(tr!(
        l,
        "clans-created",
        name = clan.name.as_str(),
        cost = format_chrons(cost),
        bp = clan.bp.to_string()
    ));
    ctx.send(embeds::reply(e)).await?;
    Ok(())
}

/// A clan's card: owner, members, treasury, BP, perks, wars.
#[poise::command(
    prefix_command,
    slash_command,
    rename = "info",
    custom_data = Tier::Everyone
)]
pub async fn clan_info(
    ctx: Context<'_>,
    #[description = "A clan's name (yours if empty)"]
    #[rest]
    name: Option<String>,
) -> Result<(), Error> {
    show_info(ctx, name).await
}

async fn my_clan(ctx: Context<'_>, l: Locale) -> Result<(Clan, Role), Error> {
    store::of_user(ctx.data().storage(), ctx.author().id.core())
        .await?
        .ok_or_else(|| {
            crate::errors::refuse(
                l,
                ClansRefusal::Storage(chronix_storage::Refusal::Clan(ClanRefusal::NotInClan)),
            )
        })
}

async fn show_info(ctx: Context<'_>, name: Option<String>) -> Result<(), Error> {
    let l = crate::kernel::i18n::locale_of(ctx);
    let storage = ctx.data().storage();
    let clan = match name.as_deref().map(str::trim).filter(|n| !n.is_empty()) {
        Some(n) => store::by_name(storage, n)
            .await?
            .ok_or_else(|| crate::errors::refuse(l, ClansRefusal::NoSuchClan(n.to_string())))?,
        None => my_clan(ctx, l).await?.0,
    };
    let members = store::members(storage, clan.id).await?;
    let perks = store::perks(storage, clan.id).await?;
    let r = rules();
    let list: Vec<String> = members
        .iter()
        .take(20)
        .map(|m| format!("<@{}> · {}", m.user, role_name(l, m.role)))
        .collect();
    let perk_lines: Vec<String> = Perk::ALL
        .iter()
        .map(|p| {
            let lv = perks.get(*p);
            format!(
                "{} {} — {}",
                r.perk(*p).emoji,
                perk_name(l, *p),
                tr!(
                    l,
                    "clans-perk-level",
                    level = lv.to_string(),
                    max = r.max_level(*p).to_string(),
                    pct = r.pct(*p, lv).to_string()
                )
            )
        })
        .collect();
    let e = Embed::gameplay(tr!(l, "clans-info-title", name = clan.name.as_str()))
        .description(list.join("\n"))
        .field(
            tr!(l, "clans-field-owner"),
            format!("<@{}>", clan.owner),
            true,
        )
        .field(
            tr!(l, "clans-field-members"),
            format!("{}/{}", clan.members, r.max_members),
            true,
        )
        .field(
            tr!(l, "clans-field-treasury"),
            format_chrons(clan.treasury),
            true,
        )
        .field(tr!(l, "clans-field-bp"), format_number(clan.bp), true)
        .field(
            tr!(l, "clans-field-wars"),
            tr!(
                l,
                "clans-wars-record",
                wins = clan.war_wins.to_string(),
                losses = clan.war_losses.to_string()
            ),
            true,
        )
        .field(
            tr!(l, "clans-field-channel"),
            clan.channel
                .map_or_else(|| tr!(l, "clans-no-channel"), |c| format!("<#{c}>")),
            true,
        )
        .field(tr!(l, "clans-field-perks"), perk_lines.join("\n"), false);
    ctx.send(embeds::reply(e)).await?;
    Ok(())
}

fn clan_line(c: &Clan) -> String {
    format!(
        "🛡️ **{}** · 👥 {} · {} · {} BP · ⚔️ {}–{}",
        c.name,
        c.members,
        format_chrons(c.treasury),
        c.bp,
        c.war_wins,
        c.war_losses
    )
}

/// Every clan, by name.
#[poise::command(
    prefix_command,
    slash_command,
    rename = "list",
    custom_data = Tier::Everyone
)]
pub async fn clan_list(
    ctx: Context<'_>,
    #[description = "Page (1 if empty)"] page: Option<u32>,
) -> Result<(), Error> {
    let l = crate::kernel::i18n::locale_of(ctx);
    let per = 15i64;
    let page = i64::from(page.unwrap_or(1).max(1));
    let (clans, total) = store::list(ctx.data().storage(), (page - 1) * per, per).await?;
    let pages = ((total + per - 1) / per).max(1);
    let lines: Vec<String> = clans.iter().map(clan_line).collect();
    let e = Embed::gameplay(tr!(l, "clans-list-title"))
        .description(if lines.is_empty() {
            tr!(l, "clans-none-yet")
        } else {
            lines.join("\n")
        })
        .footer(tr!(
            l,
            "clans-list-footer",
            page = page.to_string(),
            pages = pages.to_string(),
            total = total.to_string()
        ));
    ctx.send(embeds::reply(e)).await?;
    Ok(())
}

/// The strongest clans: war wins, then BP, then treasury.
#[poise::command(
    prefix_command,
    slash_command,
    rename = "top",
    custom_data = Tier::Everyone
)]
pub async fn clan_top(ctx: Context<'_>) -> Result<(), Error> {
    let l = crate::kernel::i18n::locale_of(ctx);
    let clans = store::top(ctx.data().storage(), 10).await?;
    let lines: Vec<String> = clans
        .iter()
        .enumerate()
        .map(|(i, c)| format!("**{}.** {}", i + 1, clan_line(c)))
        .collect();
    let e = Embed::gameplay(tr!(l, "clans-top-title")).description(if lines.is_empty() {
        tr!(l, "clans-none-yet")
    } else {
        lines.join("\n")
    });
    ctx.send(embeds::reply(e)).await?;
    Ok(())
}
