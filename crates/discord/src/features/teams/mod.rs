//! `teams`: `team [info]|create|invite|join|leave|disband|hunt|battle` — lightweight groups (a
//! player in at most one) that hunt and fight together (spec §X). A team hunt: every member off
//! their hunt cooldown rolls one hunt (with their own clan's perks); the XP and Chrons are
//! pooled, raised by the team bonus and shared equally; the items are dealt round-robin, the
//! caller first (`chronix_core::teams::share_team_hunt`); all recorded in one transaction
//! (`chronix_storage::teams::record_hunt`). A team battle (`team battle wild|boss`): every
//! member not in another battle fights one enemy scaled to the team, on the battles feature's
//! panel (`features::battles`; the rules in `chronix_core::battles`). Switch `ENABLE_TEAMS`
//! (a team battle needs `ENABLE_BATTLES` too). See `docs/clans.md` and `docs/battles.md`.

use chronix_core::economy::Chrons;
use chronix_core::hunt::roll_hunt;
use chronix_core::render::{format_chrons, format_number, loot_line};
use chronix_core::teams::share_team_hunt;
use chronix_storage::StorageError;
use chronix_storage::teams::{self as store, Team, TeamRefusal};

use crate::features::battles::commands as battles;
use crate::kernel::ids::{ToCore, ToDiscord};
use crate::prelude::*;
use crate::tables::{rng, tables, xp_curve};

/// The switch.
pub const SWITCH: &str = "teams";

/// The teams feature.
pub fn feature() -> Feature {
    Feature::new("teams", commands).switch(SWITCH)
}

/// The team commands.
pub fn commands() -> Vec<Command> {
    vec![team()]
}

/// The teams feature's typed refusals.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TeamsRefusal {
    /// Storage refused.
    Storage(chronix_storage::Refusal),
    /// A team battle needs at least 2 members who are not in another battle.
    NotEnoughFree {
        /// Members free now.
        free: usize,
    },
    /// Battles are switched off here.
    BattlesOff,
}

impl std::fmt::Display for TeamsRefusal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&crate::errors::Refusal::text(self, Locale::EN))
    }
}

impl crate::errors::Refusal for TeamsRefusal {
    fn text(&self, l: Locale) -> String {
        match self {
            TeamsRefusal::Storage(chronix_storage::Refusal::Team(t)) => match t {
                TeamRefusal::NotInTeam => tr!(l, "teams-not-in-team"),
                TeamRefusal::AlreadyInTeam => tr!(l, "teams-already-in-team"),
                TeamRefusal::TargetInATeam(u) => {
                    tr!(l, "teams-target-in-team", user = format!("<@{u}>"))
                }
                TeamRefusal::NotLeader => tr!(l, "teams-not-leader"),
                TeamRefusal::NoInvite => tr!(l, "teams-no-invite"),
                TeamRefusal::Full { max } => tr!(l, "teams-full", max = max.to_string()),
                TeamRefusal::NotEnoughPresent { present } => {
                    tr!(l, "teams-not-enough-present", present = present.to_string())
                }
                TeamRefusal::Yourself => tr!(l, "teams-yourself"),
                TeamRefusal::BadName(_) => tr!(l, "teams-bad-name"),
            },
            TeamsRefusal::Storage(r) => crate::features::economy::refusal_text(l, r),
            TeamsRefusal::NotEnoughFree { free } => {
                tr!(l, "teams-battle-not-enough-free", free = free.to_string())
            }
            TeamsRefusal::BattlesOff => tr!(l, "teams-battle-off"),
        }
    }
}

fn storage_error(l: Locale, e: StorageError) -> Error {
    match e {
        StorageError::Refused(r) => crate::errors::refuse(l, TeamsRefusal::Storage(r)),
        e => anyhow::Error::new(e),
    }
}

fn refuse(l: Locale, r: TeamRefusal) -> Error {
    crate::errors::refuse(l, TeamsRefusal::Storage(chronix_storage::Refusal::Team(r)))
}

fn max_members() -> u32 {
    crate::features::clans::rules().teams.max_members
}

fn team_embed(l: Locale, t: &Team) -> Embed {
    let members: Vec<String> = t
        .members
        .iter()
        .map(|u| {
            if *u == t.leader {
                format!("👑 <@{u}>")
            } else {
                format!("<@{u}>")
            }
        })
        .collect();
    Embed::gameplay(tr!(l, "teams-info-title", name = t.name.as_str()))
        .description(members.join("\n"))
        .footer(tr!(
            l,
            "teams-info-footer",
            count = t.members.len().to_string(),
            max = max_members().to_string()
        ))
}

/// Teams: small groups that hunt and fight together and share the loot.
#[poise::command(
    prefix_command,
    slash_command,
    subcommands(
        "team_info",
        "team_create",
        "team_invite",
        "team_join",
        "team_leave",
        "team_disband",
        "team_hunt",
        "team_battle"
    ),
    custom_data = Tier::Everyone
)]
pub async fn team(ctx: Context<'_>) -> Result<(), Error> {
    show(ctx).await
}

async fn show(ctx: Context<'_>) -> Result<(), Error> {
    let l = crate::kernel::i18n::locale_of(ctx);
    let t = store::of_user(ctx.data().storage(), ctx.author().id.core())
        .await?
        .ok_or_else(|| refuse(l, TeamRefusal::NotInTeam))?;
    ctx.send(embeds::reply(team_embed(l, &t))).await?;
    Ok(())
}

/// Your team and its members.
#[poise::command(
    prefix_command,
    slash_command,
    rename = "info",
    custom_data = Tier::Everyone
)]
pub async fn team_info(ctx: Context<'_>) -> Result<(), Error> {
    show(ctx).await
}

/// Start a team (you lead it).
#[poise::command(
    prefix_command,
    slash_command,
    rename = "create",
    custom_data = Tier::Everyone
)]
pub async fn team_create(
    ctx: Context<'_>,
    #[description = "The team's name (3 to 24 characters)"]
    #[rest]
    name: String,
) -> Result<(), Error> {
    let c = Caller::of(ctx).await;
    let t = store::create(ctx.data().storage(), c.user, &name, c.now)
        .await
        .map_err(|e| storage_error(c.locale, e))?;
    let e = team_embed(c.locale, &t).description(tr!(
        c.locale,
        "teams-created",
        name = t.name.as_str()
    ));
    ctx.send(embeds::reply(e)).await?;
    Ok(())
}

/// Invite a player to your team (leader).
#[poise::command(
    prefix_command,
    slash_command,
    rename = "invite",
    custom_data = Tier::Everyone
)]
pub async fn team_invite(
    ctx: Context<'_>,
    #[description = "The player"] member: serenity::User,
) -> Result<(), Error> {
    let c = Caller::of(ctx).await;
    let t = store::invite(
        ctx.data().storage(),
        c.user,
        member.id.core(),
        max_members(),
        c.now,
    )
    .await
    .map_err(|e| storage_error(c.locale, e))?;
    let e = Embed::success(tr!(c.locale, "teams-invited-title")).description(tr!(
        c.locale,
        "teams-invited",
        user = format!("<@{}>", member.id),
        name = t.name.as_str(),
        leader = format!("<@{}>", c.user)
    ));
    ctx.send(embeds::reply(e)).await?;
    Ok(())
}

/// Join the team of a member who invited you.
#[poise::command(
    prefix_command,
    slash_command,
    rename = "join",
    custom_data = Tier::Everyone
)]
pub async fn team_join(
    ctx: Context<'_>,
    #[description = "A member of the team"] member: serenity::User,
) -> Result<(), Error> {
    let c = Caller::of(ctx).await;
    let t = store::join(
        ctx.data().storage(),
        c.user,
        member.id.core(),
        max_members(),
        c.now,
    )
    .await
    .map_err(|e| storage_error(c.locale, e))?;
    let e =
        team_embed(c.locale, &t).description(tr!(c.locale, "teams-joined", name = t.name.as_str()));
    ctx.send(embeds::reply(e)).await?;
    Ok(())
}

/// Leave your team (a leader hands it to the next member).
#[poise::command(
    prefix_command,
    slash_command,
    rename = "leave",
    custom_data = Tier::Everyone
)]
pub async fn team_leave(ctx: Context<'_>) -> Result<(), Error> {
    let c = Caller::of(ctx).await;
    store::leave(ctx.data().storage(), c.user, c.now)
        .await
        .map_err(|e| storage_error(c.locale, e))?;
    let e =
        Embed::success(tr!(c.locale, "teams-left-title")).description(tr!(c.locale, "teams-left"));
    ctx.send(embeds::reply(e)).await?;
    Ok(())
}

/// Disband your team (leader).
#[poise::command(
    prefix_command,
    slash_command,
    rename = "disband",
    custom_data = Tier::Everyone
)]
pub async fn team_disband(ctx: Context<'_>) -> Result<(), Error> {
    let c = Caller::of(ctx).await;
    let t = store::disband(ctx.data().storage(), c.user)
        .await
        .map_err(|e| storage_error(c.locale, e))?;
    let e = Embed::success(tr!(c.locale, "teams-disbanded-title")).description(tr!(
        c.locale,
        "teams-disbanded",
        name = t.name.as_str()
    ));
    ctx.send(embeds::reply(e)).await?;
    Ok(())
}

/// Hunt together: every member off cooldown hunts; the loot and XP are shared.
#[poise::command(
    prefix_command,
    slash_command,
    rename = "hunt",
    custom_data = Tier::Everyone
)]
pub async fn team_hunt(ctx: Context<'_>) -> Result<(), Error> {
    let c = Caller::of(ctx).await;
    let l = c.locale;
    let data = ctx.data();
    let storage = data.storage();
    let t = store::of_user(storage, c.user)
        .await?
        .ok_or_else(|| refuse(l, TeamRefusal::NotInTeam))?;
    let mut present = store::present(storage, &t, c.now).await?;
    // The caller first (they get the first remainder and the first item).
    present.sort_by_key(|u| *u != c.user);
    if present.len() < 2 {
        return Err(refuse(
            l,
            TeamRefusal::NotEnoughPresent {
                present: present.len(),
            },
        ));
    }
    let tables = tables();
    let mut pooled_xp = 0i64;
    let mut pooled = Chrons::ZERO;
    let mut loot = Vec::new();
    for u in &present {
        let mods = crate::features::clans::hunt_modifiers(data, *u).await?;
        let o = roll_hunt(tables, &mods, &mut rng());
        pooled_xp = pooled_xp.saturating_add(o.xp);
        pooled = pooled.saturating_add(o.chrons);
        loot.extend(o.loot());
    }
    let team_rules = crate::features::clans::rules().teams;
    let shares = share_team_hunt(&team_rules, &present, pooled_xp, pooled, loot);
    let cooldown = chrono::Duration::seconds(
        i64::try_from(data.config().hunt_cooldown_secs).unwrap_or(i64::MAX / 2_000_000),
    );
    let done = store::record_hunt(
        storage,
        c.user,
        &shares,
        cooldown,
        &xp_curve(),
        c.guild,
        c.now,
    )
    .await
    .map_err(|e| storage_error(l, e))?;
    let mut e =
        Embed::gameplay(tr!(l, "teams-hunt-title", name = t.name.as_str())).description(tr!(
            l,
            "teams-hunt-text",
            count = present.len().to_string(),
            bonus = team_rules.bonus_pct(present.len()).to_string()
        ));
    let mut lines = Vec::new();
    for h in &done {
        let items: Vec<String> = h.share.loot.iter().map(|x| loot_line(tables, x)).collect();
        let mut line = tr!(
            l,
            "teams-hunt-share",
            user = format!("<@{}>", h.share.user),
            xp = format_number(h.share.xp),
            chrons = format_chrons(h.share.chrons),
            balance = format_chrons(h.balance_after)
        );
        if !items.is_empty() {
            line.push_str(" · ");
            line.push_str(&items.join(", "));
        }
        lines.push(line);
    }
    e = e.field(tr!(l, "teams-hunt-shares"), lines.join("\n"), false);
    ctx.send(embeds::reply(e)).await?;
    Ok(())
}

/// What a team fights.
#[derive(Debug, Clone, Copy, PartialEq, Eq, poise::ChoiceParameter)]
pub enum TeamFoe {
    /// A wild enemy.
    Wild,
    /// A boss.
    Boss,
}

/// Fight together: every member not in another battle joins; the enemy is scaled to the team.
#[poise::command(
    prefix_command,
    slash_command,
    rename = "battle",
    custom_data = Tier::Everyone
)]
pub async fn team_battle(
    ctx: Context<'_>,
    #[description = "What you fight: wild or boss"] kind: TeamFoe,
) -> Result<(), Error> {
    let c = Caller::of(ctx).await;
    let l = c.locale;
    let data = ctx.data();
    let storage = data.storage();
    if !data
        .feature_enabled_in("battles", c.guild.map(|g| g.get()))
        .await
    {
        return Err(crate::errors::refuse(l, TeamsRefusal::BattlesOff));
    }
    let t = store::of_user(storage, c.user)
        .await?
        .ok_or_else(|| refuse(l, TeamRefusal::NotInTeam))?;
    // The caller first, then the team's order; members in another battle stay out.
    let mut members = t.members.clone();
    members.sort_by_key(|u| *u != c.user);
    let mut free = Vec::new();
    for u in members {
        if chronix_storage::battles::live_of(storage, u)
            .await?
            .is_none()
        {
            free.push(u);
        } else if u == c.user {
            return Err(crate::features::battles::storage_error(
                l,
                chronix_storage::battles::BattleRefusal::Busy(u).into(),
            ));
        }
    }
    if free.len() < 2 {
        return Err(crate::errors::refuse(
            l,
            TeamsRefusal::NotEnoughFree { free: free.len() },
        ));
    }
    let mut fighters = Vec::new();
    for u in free {
        let name = if u == c.user {
            battles::display_name(ctx.author())
        } else {
            match u.discord().to_user(ctx).await {
                Ok(user) => battles::display_name(&user),
                Err(_) => u.to_string(),
            }
        };
        fighters.push(battles::combatant(data, u, &name).await?);
    }
    let kind = match kind {
        TeamFoe::Wild => chronix_core::battles::BattleKind::Wild,
        TeamFoe::Boss => chronix_core::battles::BattleKind::Boss,
    };
    battles::start_pve(ctx, kind, fighters).await
}
