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

use std::sync::{Arc, OnceLock};

use chronix_core::clans::{ClanRules, Perk, Role};
use chronix_core::economy::Chrons;
use chronix_core::hunt::HuntModifiers;
use chronix_core::ids::UserId;
use chronix_core::render::{format_chrons, format_number};
use chronix_storage::StorageError;
use chronix_storage::clans::{self as store, Clan, ClanRefusal, Joined, WarLine, WarResult};

use crate::kernel::audit::{self, Audit};
use crate::kernel::ids::{ToCore, ToDiscord};
use crate::prelude::*;
use crate::scheduler::JobKind;
use crate::ui::confirm::{self, Answer, Change};

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

/// Invite a player to your clan (manage_clan).
#[poise::command(
    prefix_command,
    slash_command,
    rename = "invite",
    custom_data = Tier::Everyone
)]
pub async fn clan_invite(
    ctx: Context<'_>,
    #[description = "The player"] member: serenity::User,
) -> Result<(), Error> {
    let c = Caller::of(ctx).await;
    let clan = store::invite(ctx.data().storage(), c.user, member.id.core(), c.now)
        .await
        .map_err(|e| storage_error(c.locale, e))?;
    let e = Embed::success(tr!(c.locale, "clans-invited-title")).description(tr!(
        c.locale,
        "clans-invited",
        user = format!("<@{}>", member.id),
        name = clan.name.as_str()
    ));
    ctx.send(embeds::reply(e)).await?;
    Ok(())
}

/// The Approve / Decline buttons of a join request.
fn request_buttons(l: Locale, clan: i64, user: UserId) -> serenity::CreateActionRow {
    serenity::CreateActionRow::Buttons(vec![
        serenity::CreateButton::new(format!("{PREFIX}req:{clan}:{user}:yes"))
            .label(tr!(l, "clans-approve"))
            .style(serenity::ButtonStyle::Success),
        serenity::CreateButton::new(format!("{PREFIX}req:{clan}:{user}:no"))
            .label(tr!(l, "clans-decline"))
            .style(serenity::ButtonStyle::Secondary),
    ])
}

/// Join a clan: at once with an invite, else a request an officer approves.
#[poise::command(
    prefix_command,
    slash_command,
    rename = "join",
    custom_data = Tier::Everyone
)]
pub async fn clan_join(
    ctx: Context<'_>,
    #[description = "The clan's name"]
    #[rest]
    name: String,
) -> Result<(), Error> {
    let c = Caller::of(ctx).await;
    let l = c.locale;
    let joined = store::join(
        ctx.data().storage(),
        c.user,
        &name,
        rules().max_members,
        c.now,
    )
    .await
    .map_err(|e| storage_error(l, e))?;
    match joined {
        Joined::Member(clan) => {
            let e = Embed::success(tr!(l, "clans-joined-title")).description(tr!(
                l,
                "clans-joined",
                name = clan.name.as_str()
            ));
            ctx.send(embeds::reply(e)).await?;
        }
        Joined::Requested(clan) => {
            let e = Embed::info(tr!(l, "clans-requested-title")).description(tr!(
                l,
                "clans-requested",
                user = format!("<@{}>", c.user),
                name = clan.name.as_str()
            ));
            ctx.send(embeds::reply(e).components(vec![request_buttons(l, clan.id, c.user)]))
                .await?;
        }
    }
    Ok(())
}

/// Pending join requests of your clan, with Approve / Decline buttons.
#[poise::command(
    prefix_command,
    slash_command,
    rename = "requests",
    custom_data = Tier::Everyone
)]
pub async fn clan_requests(ctx: Context<'_>) -> Result<(), Error> {
    let l = crate::kernel::i18n::locale_of(ctx);
    let (clan, _) = my_clan(ctx, l).await?;
    let users = store::requests(ctx.data().storage(), clan.id).await?;
    let lines: Vec<String> = users.iter().map(|u| format!("<@{u}>")).collect();
    let e = Embed::info(tr!(l, "clans-requests-title", name = clan.name.as_str())).description(
        if lines.is_empty() {
            tr!(l, "clans-no-requests")
        } else {
            lines.join("\n")
        },
    );
    let rows: Vec<serenity::CreateActionRow> = users
        .iter()
        .take(5)
        .map(|u| request_buttons(l, clan.id, *u))
        .collect();
    ctx.send(embeds::reply(e).components(rows)).await?;
    Ok(())
}

/// Leave your clan (the owner transfers or disbands instead).
#[poise::command(
    prefix_command,
    slash_command,
    rename = "leave",
    custom_data = Tier::Everyone
)]
pub async fn clan_leave(ctx: Context<'_>) -> Result<(), Error> {
    let c = Caller::of(ctx).await;
    let clan = store::leave(ctx.data().storage(), c.user, c.now)
        .await
        .map_err(|e| storage_error(c.locale, e))?;
    let e = Embed::success(tr!(c.locale, "clans-left-title")).description(tr!(
        c.locale,
        "clans-left",
        name = clan.name.as_str()
    ));
    ctx.send(embeds::reply(e)).await?;
    Ok(())
}

/// Remove a member from your clan (manage_clan; officers kick members only).
#[poise::command(
    prefix_command,
    slash_command,
    rename = "kick",
    custom_data = Tier::Everyone
)]
pub async fn clan_kick(
    ctx: Context<'_>,
    #[description = "The member"] member: serenity::User,
) -> Result<(), Error> {
    let c = Caller::of(ctx).await;
    let clan = store::kick(ctx.data().storage(), c.user, member.id.core(), c.now)
        .await
        .map_err(|e| storage_error(c.locale, e))?;
    audit::record(
        ctx.data(),
        Audit::new(c.user, c.guild, "clans.kick")
            .target(member.id)
            .with("clan", clan.name.as_str()),
    )
    .await?;
    let e = Embed::success(tr!(c.locale, "clans-kicked-title")).description(tr!(
        c.locale,
        "clans-kicked",
        user = format!("<@{}>", member.id),
        name = clan.name.as_str()
    ));
    ctx.send(embeds::reply(e)).await?;
    Ok(())
}

async fn set_role(ctx: Context<'_>, member: serenity::User, officer: bool) -> Result<(), Error> {
    let c = Caller::of(ctx).await;
    store::set_officer(
        ctx.data().storage(),
        c.user,
        member.id.core(),
        officer,
        c.now,
    )
    .await
    .map_err(|e| storage_error(c.locale, e))?;
    let role = if officer { Role::Officer } else { Role::Member };
    let e = Embed::success(tr!(c.locale, "clans-role-title")).description(tr!(
        c.locale,
        "clans-role-set",
        user = format!("<@{}>", member.id),
        role = role_name(c.locale, role)
    ));
    ctx.send(embeds::reply(e)).await?;
    Ok(())
}

/// Make a member an officer (owner).
#[poise::command(
    prefix_command,
    slash_command,
    rename = "promote",
    custom_data = Tier::Everyone
)]
pub async fn clan_promote(
    ctx: Context<'_>,
    #[description = "The member"] member: serenity::User,
) -> Result<(), Error> {
    set_role(ctx, member, true).await
}

/// Make an officer a plain member again (owner).
#[poise::command(
    prefix_command,
    slash_command,
    rename = "demote",
    custom_data = Tier::Everyone
)]
pub async fn clan_demote(
    ctx: Context<'_>,
    #[description = "The officer"] member: serenity::User,
) -> Result<(), Error> {
    set_role(ctx, member, false).await
}

/// Hand your clan to another member (owner; you become an officer).
#[poise::command(
    prefix_command,
    slash_command,
    rename = "transfer",
    custom_data = Tier::Everyone
)]
pub async fn clan_transfer(
    ctx: Context<'_>,
    #[description = "The new owner"] member: serenity::User,
) -> Result<(), Error> {
    let c = Caller::of(ctx).await;
    let clan = store::transfer(ctx.data().storage(), c.user, member.id.core(), c.now)
        .await
        .map_err(|e| storage_error(c.locale, e))?;
    audit::record(
        ctx.data(),
        Audit::new(c.user, c.guild, "clans.transfer")
            .target(member.id)
            .with("clan", clan.name.as_str()),
    )
    .await?;
    let e = Embed::success(tr!(c.locale, "clans-transferred-title")).description(tr!(
        c.locale,
        "clans-transferred",
        user = format!("<@{}>", member.id),
        name = clan.name.as_str()
    ));
    ctx.send(embeds::reply(e)).await?;
    Ok(())
}

/// Disband your clan: the treasury is shared between the members (owner; asks first).
#[poise::command(
    prefix_command,
    slash_command,
    rename = "disband",
    custom_data = Tier::Everyone
)]
pub async fn clan_disband(ctx: Context<'_>) -> Result<(), Error> {
    let c = Caller::of(ctx).await;
    let l = c.locale;
    let (clan, role) = my_clan(ctx, l).await?;
    if role != Role::Owner {
        return Err(storage_error(
            l,
            StorageError::Refused(chronix_storage::Refusal::Clan(ClanRefusal::NotOwner)),
        ));
    }
    let title = tr!(l, "clans-disband-title");
    let question = tr!(
        l,
        "clans-disband-question",
        name = clan.name.as_str(),
        members = clan.members.to_string()
    );
    let changes = [Change {
        what: tr!(l, "clans-field-treasury"),
        before: format_chrons(clan.treasury),
        after: format_chrons(Chrons::ZERO),
    }];
    let ttl = std::time::Duration::from_secs(ctx.data().config().items_confirm_ttl_secs.max(5));
    let Answer::Confirmed(ci) = confirm::ask(ctx, &title, &question, &changes, ttl).await? else {
        return Ok(());
    };
    let done = store::disband(ctx.data().storage(), c.user, c.guild, c.now).await;
    let e = match done {
        Ok(d) => {
            audit::record(
                ctx.data(),
                Audit::new(c.user, c.guild, "clans.disband")
                    .target(d.clan.id)
                    .with("clan", d.clan.name.as_str())
                    .with("treasury", d.clan.treasury.get()),
            )
            .await?;
            let lines: Vec<String> = d
                .refunds
                .iter()
                .map(|(u, a)| format!("<@{u}> +{}", format_chrons(*a)))
                .collect();
            Embed::success(title).description(format!(
                "{}\n{}",
                tr!(l, "clans-disbanded", name = d.clan.name.as_str()),
                lines.join("\n")
            ))
        }
        Err(StorageError::Refused(r)) => Embed::error(tr!(l, "error-title-cannot"))
            .description(crate::errors::Refusal::text(&ClansRefusal::Storage(r), l)),
        Err(e) => return Err(e.into()),
    };
    confirm::done(ctx.serenity_context(), &ci, e).await
}

async fn treasury_move(ctx: Context<'_>, amount: String, deposit: bool) -> Result<(), Error> {
    let c = Caller::of(ctx).await;
    let l = c.locale;
    let storage = ctx.data().storage();
    let (clan, _) = my_clan(ctx, l).await?;
    let base = if deposit {
        chronix_storage::economy::balance(storage, c.user).await?
    } else {
        clan.treasury
    };
    let amount = crate::features::economy::amount(l, &amount, base)?;
    let moved = if deposit {
        store::deposit(storage, c.user, amount, rules(), c.guild, c.now).await
    } else {
        store::withdraw(storage, c.user, amount, c.guild, c.now).await
    }
    .map_err(|e| storage_error(l, e))?;
    if !deposit {
        audit::record(
            ctx.data(),
            Audit::new(c.user, c.guild, "clans.withdraw")
                .target(moved.clan.id)
                .with("amount", amount.get()),
        )
        .await?;
    }
    let (title, text) = if deposit {
        (
            tr!(l, "clans-deposit-title"),
            tr!(
                l,
                "clans-deposited",
                amount = format_chrons(amount),
                name = moved.clan.name.as_str(),
                bp = moved.entry.bp_change.to_string()
            ),
        )
    } else {
        (
            tr!(l, "clans-withdraw-title"),
            tr!(
                l,
                "clans-withdrew",
                amount = format_chrons(amount),
                name = moved.clan.name.as_str()
            ),
        )
    };
    let e = Embed::success(title)
        .description(text)
        .field(
            tr!(l, "clans-field-treasury"),
            format_chrons(moved.clan.treasury),
            true,
        )
        .field(tr!(l, "clans-field-bp"), format_number(moved.clan.bp), true)
        .field(
            tr!(l, "clans-field-wallet"),
            format_chrons(moved.wallet_after),
            true,
        );
    ctx.send(embeds::reply(e)).await?;
    Ok(())
}

/// Put Chrons into your clan's treasury (earns BP).
#[poise::command(
    prefix_command,
    slash_command,
    rename = "deposit",
    custom_data = Tier::Everyone
)]
pub async fn clan_deposit(
    ctx: Context<'_>,
    #[description = "How much (500, 2.5k, half, all)"] amount: String,
) -> Result<(), Error> {
    treasury_move(ctx, amount, true).await
}

/// Take Chrons out of your clan's treasury (manage_clan).
#[poise::command(
    prefix_command,
    slash_command,
    rename = "withdraw",
    custom_data = Tier::Everyone
)]
pub async fn clan_withdraw(
    ctx: Context<'_>,
    #[description = "How much (500, 2.5k, half, all)"] amount: String,
) -> Result<(), Error> {
    treasury_move(ctx, amount, false).await
}

/// The perks, their levels and what the next level costs.
#[poise::command(
    prefix_command,
    slash_command,
    rename = "perks",
    custom_data = Tier::Everyone
)]
pub async fn clan_perks(ctx: Context<'_>) -> Result<(), Error> {
    let l = crate::kernel::i18n::locale_of(ctx);
    let mine = store::of_user(ctx.data().storage(), ctx.author().id.core()).await?;
    let (levels, bp) = match &mine {
        Some((c, _)) => (store::perks(ctx.data().storage(), c.id).await?, c.bp),
        None => (Default::default(), 0),
    };
    let r = rules();
    let mut e = Embed::gameplay(tr!(l, "clans-perks-title")).description(tr!(
        l,
        "clans-perks-text",
        bp = bp.to_string()
    ));
    for p in Perk::ALL {
        let lv = levels.get(p);
        let next = r.next_level_cost(p, lv).map_or_else(
            || tr!(l, "clans-perk-top"),
            |cost| {
                tr!(
                    l,
                    "clans-perk-next",
                    cost = cost.to_string(),
                    pct = r.pct(p, lv + 1).to_string()
                )
            },
        );
        e = e.field(
            format!("{} {} (`{}`)", r.perk(p).emoji, perk_name(l, p), p.id()),
            format!(
                "{}\n{}\n{}",
                tr!(l, "clans-perk-effect", perk = p.id()),
                tr!(
                    l,
                    "clans-perk-level",
                    level = lv.to_string(),
                    max = r.max_level(p).to_string(),
                    pct = r.pct(p, lv).to_string()
                ),
                next
            ),
            false,
        );
    }
    ctx.send(embeds::reply(e)).await?;
    Ok(())
}

/// Buy the next level of a perk with the clan's BP (manage_clan).
#[poise::command(
    prefix_command,
    slash_command,
    rename = "perk",
    custom_data = Tier::Everyone
)]
pub async fn clan_perk(
    ctx: Context<'_>,
    #[description = "xp_boost, hunt_rate or shop_discount"]
    #[rest]
    perk: String,
) -> Result<(), Error> {
    let c = Caller::of(ctx).await;
    let l = c.locale;
    let p = Perk::parse(&perk)
        .ok_or_else(|| crate::errors::refuse(l, ClansRefusal::UnknownPerk(perk.clone())))?;
    let (clan, level) = store::buy_perk(ctx.data().storage(), c.user, p, rules(), c.now)
        .await
        .map_err(|e| storage_error(l, e))?;
    let e = Embed::success(tr!(l, "clans-perk-bought-title")).description(tr!(
        l,
        "clans-perk-bought",
        perk = perk_name(l, p),
        level = level.to_string(),
        pct = rules().pct(p, level).to_string(),
        bp = clan.bp.to_string()
    ));
    ctx.send(embeds::reply(e)).await?;
    Ok(())
}

/// The clan's log: treasury moves, perks, members and wars.
#[poise::command(
    prefix_command,
    slash_command,
    rename = "log",
    custom_data = Tier::Everyone
)]
pub async fn clan_log(ctx: Context<'_>) -> Result<(), Error> {
    let l = crate::kernel::i18n::locale_of(ctx);
    let (clan, _) = my_clan(ctx, l).await?;
    let rows = store::log(ctx.data().storage(), clan.id, 15).await?;
    let lines: Vec<String> = rows
        .iter()
        .map(|e| {
            let mut s = format!(
                "<t:{}:R> {}",
                e.created_at.timestamp(),
                tr!(l, "clans-log-kind", kind = e.kind.as_str())
            );
            if let Some(u) = e.user {
                s.push_str(&format!(" · <@{u}>"));
            }
            if e.change != Chrons::ZERO {
                let sign = if e.change.is_positive() { "+" } else { "−" };
                s.push_str(&format!(
                    " · {sign}{} → {}",
                    format_chrons(e.change.abs()),
                    format_chrons(e.treasury_after)
                ));
            }
            if e.bp_change != 0 {
                s.push_str(&format!(" · {:+} BP", e.bp_change));
            }
            if !e.detail.is_empty() && e.kind.as_str() == "perk" {
                s.push_str(&format!(" · `{}`", e.detail));
            }
            s
        })
        .collect();
    let e = Embed::info(tr!(l, "clans-log-title", name = clan.name.as_str()))
        .description(lines.join("\n"))
        .field(
            tr!(l, "clans-field-treasury"),
            format_chrons(clan.treasury),
            true,
        )
        .field(tr!(l, "clans-field-bp"), format_number(clan.bp), true);
    ctx.send(embeds::reply(e)).await?;
    Ok(())
}

/// Where the clan's war results are posted (manage_clan; this channel if empty).
#[poise::command(
    prefix_command,
    slash_command,
    rename = "channel",
    guild_only,
    custom_data = Tier::Everyone
)]
pub async fn clan_channel(
    ctx: Context<'_>,
    #[description = "A channel (this one if empty)"] channel: Option<serenity::GuildChannel>,
) -> Result<(), Error> {
    let c = Caller::of(ctx).await;
    let Some(guild) = c.guild else {
        return Err(UserError::GuildOnly.into());
    };
    let ch = channel.map_or(c.channel, |ch| ch.id.core());
    store::set_channel(ctx.data().storage(), c.user, Some((guild, ch)), c.now)
        .await
        .map_err(|e| storage_error(c.locale, e))?;
    let e = Embed::success(tr!(c.locale, "clans-channel-title")).description(tr!(
        c.locale,
        "clans-channel-set",
        channel = format!("<#{ch}>")
    ));
    ctx.send(embeds::reply(e)).await?;
    Ok(())
}

/// The clan buttons: Approve / Decline of a join request (`req:<clan>:<user>:yes|no`).
pub fn on_component<'a>(
    ctx: &'a serenity::Context,
    interaction: &'a serenity::ComponentInteraction,
    data: &'a Data,
) -> poise::BoxFuture<'a, Result<(), Error>> {
    Box::pin(async move {
        let l = crate::kernel::i18n::locale_of_interaction(data, interaction).await;
        let rest = interaction
            .data
            .custom_id
            .strip_prefix(PREFIX)
            .unwrap_or_default();
        let parts: Vec<&str> = rest.split(':').collect();
        let (clan, user, approve) = match parts.as_slice() {
            ["req", clan, user, yes] => (
                clan.parse::<i64>().ok(),
                user.parse::<u64>().ok(),
                *yes == "yes",
            ),
            _ => (None, None, false),
        };
        let (Some(clan), Some(user)) = (clan, user) else {
            return Err(UserError::msg(tr!(l, "button-no-longer-valid")).into());
        };
        let user = UserId::new(user);
        let officer = interaction.user.id.core();
        let (c, joined) = store::decide_request(
            data.storage(),
            officer,
            clan,
            user,
            approve,
            rules().max_members,
            chrono::Utc::now(),
        )
        .await
        .map_err(|e| storage_error(l, e))?;
        let text = if joined {
            tr!(
                l,
                "clans-request-approved",
                user = format!("<@{user}>"),
                name = c.name.as_str(),
                officer = format!("<@{officer}>")
            )
        } else {
            tr!(
                l,
                "clans-request-declined",
                user = format!("<@{user}>"),
                name = c.name.as_str(),
                officer = format!("<@{officer}>")
            )
        };
        let e = Embed::info(tr!(l, "clans-requested-title")).description(text);
        crate::features::economy::update_message(ctx, interaction, e, Vec::new()).await
    })
}

/// The weekly war job: settles the week that ended at the job's slot (once, whatever the
/// number of processes) and posts each clan's result to its channel, in that server's language.
fn war_job<'a>(
    ctx: &'a crate::scheduler::JobContext,
    job: &'a chronix_storage::jobs::Job,
) -> poise::BoxFuture<'a, Result<(), Error>> {
    Box::pin(async move {
        let (start, end) = chronix_core::clans::week_bounds(job.run_at);
        let prize = Chrons::new(ctx.data.config().clans_war_prize);
        let report =
            store::settle_war(ctx.data.storage(), start, end, &rules().war, prize, ctx.now).await?;
        let Some(report) = report else {
            return Ok(());
        };
        tracing::info!(
            war = report.war_id,
            clans = report.lines.len(),
            "clan war settled"
        );
        for line in &report.lines {
            let Some(channel) = line.channel else {
                continue;
            };
            let l = crate::kernel::i18n::guild_locale(&ctx.data, line.guild.map(|g| g.get())).await;
            let e = war_embed(l, line);
            if let Err(e) = channel
                .discord()
                .send_message(&ctx.http, embeds::message(e))
                .await
            {
                tracing::warn!(clan = line.clan, error = %e, "war result not posted");
            }
        }
        Ok(())
    })
}

/// A clan's war result.
pub fn war_embed(l: Locale, line: &WarLine) -> Embed {
    let result = match line.outcome {
        WarResult::Won => "won",
        WarResult::Lost => "lost",
        WarResult::Draw => "draw",
        WarResult::Bye => "bye",
    };
    let text = match &line.opponent {
        Some((_, name, score)) => tr!(
            l,
            "clans-war-result",
            result = result,
            name = line.name.as_str(),
            score = line.score.to_string(),
            opponent = name.as_str(),
            their = score.to_string()
        ),
        None => tr!(
            l,
            "clans-war-bye",
            name = line.name.as_str(),
            score = line.score.to_string()
        ),
    };
    let mut e = Embed::gameplay(tr!(l, "clans-war-title")).description(text);
    if line.outcome == WarResult::Won {
        e = e.field(
            tr!(l, "clans-war-prize"),
            format!("+{} · +{} BP", format_chrons(line.prize), line.bp),
            false,
        );
    }
    e
}
