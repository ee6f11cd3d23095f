//! The listeners: a member joins (welcome in the channel with the banner, the intro guide by
//! DM, auto roles now / after the delay / after screening, the starter kit and the XP boost),
//! passes membership screening (the waiting auto roles), leaves (the farewell); and the
//! [`ROLE_JOB`] job that gives delayed auto roles.
//!
//! Timed work is a row: a delay queues one job per join (`storage::welcome::schedule_roles`);
//! a member waiting for screening is a row taken once (`storage::welcome::pass_screening`).
//! Nothing sleeps in memory.

use chronix_core::ids::{GuildId, RoleId, UserId};
use chronix_core::welcome::{self as rules, RoleTiming, WelcomeSettings};
use chronix_storage::welcome::{self as store, ROLE_JOB, RoleGrant};
use chrono::{DateTime, Utc};

use super::greet::{self, Facts, Kind};
use crate::events::Event;
use crate::kernel::ids::{ToCore, ToDiscord};
use crate::prelude::*;
use crate::registry::BoxFuture;
use crate::scheduler::JobContext;

/// The XP boost's source name in `xp_boosts`.
pub const BOOST_SOURCE: &str = "welcome";

/// The audit-log reason of auto roles.
const REASON: &str = "welcome auto role";

fn display_name(u: &serenity::User) -> String {
    u.global_name.clone().unwrap_or_else(|| u.name.clone())
}

/// The placeholders' values for `user` in `guild` now (`members` from the guild cache);
/// `just_joined` when it is for the welcome of a join that is happening.
pub async fn facts(
    data: &Data,
    guild: GuildId,
    user: &serenity::User,
    now: DateTime<Utc>,
    just_joined: bool,
) -> Result<Facts, Error> {
    let g = data.guilds().facts(guild.discord());
    let members = g.as_ref().map_or(0, |g| g.member_count);
    let inviter = super::inviter_of(data, guild, user.id.core(), just_joined)
        .await?
        .map(|u| format!("<@{u}>"));
    Ok(Facts {
        user: user.id.core(),
        name: display_name(user),
        guild,
        server: g.map(|g| g.name).unwrap_or_default(),
        members,
        position: members,
        inviter,
        now,
        avatar: crate::pictures::avatar_hash(user),
    })
}

/// Gives `roles` to a member; a role Discord refuses (deleted, above the bot since the setup)
/// or a member who left is logged, not an error. Returns how many were given.
pub async fn give_roles(
    http: &serenity::Http,
    guild: GuildId,
    user: UserId,
    roles: &[RoleId],
) -> usize {
    let mut given = 0;
    for r in roles {
        match http
            .add_member_role(guild.discord(), user.discord(), r.discord(), Some(REASON))
            .await
        {
            Ok(()) => given += 1,
            Err(e) => {
                tracing::info!(error = %e, %guild, %user, role = %r, "could not give an auto role")
            }
        }
    }
    given
}

/// Gives the roles now or queues them after the server's delay.
async fn roles_after(
    data: &Data,
    http: &serenity::Http,
    grant: RoleGrant,
    delay_secs: u32,
    joined_at: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Result<(), Error> {
    if delay_secs == 0 {
        give_roles(http, grant.guild, grant.user, &grant.roles).await;
        return Ok(());
    }
    let run_at = now + chrono::Duration::seconds(i64::from(delay_secs));
    store::schedule_roles(data.storage(), &grant, joined_at, run_at, now).await?;
    Ok(())
}

/// `MemberJoin`.
pub fn on_join<'a>(
    _ctx: &'a serenity::Context,
    data: &'a Data,
    event: &'a Event<'a>,
) -> BoxFuture<'a, Result<(), Error>> {
    Box::pin(async move {
        let Event::MemberJoin(m) = event else {
            return Ok(());
        };
        let Some(http) = data.http() else {
            return Ok(());
        };
        let guild = m.guild_id.core();
        let s = super::settings(data, guild).await?;
        if !s.enabled {
            return Ok(());
        }
        let now = Utc::now();
        let user = m.user.id.core();
        let joined_at = m.joined_at.map_or(now, |t| *t);
        if let Some((roles, timing)) = rules::role_plan(&s, m.user.bot, m.pending) {
            let grant = RoleGrant { guild, user, roles };
            match timing {
                RoleTiming::Now => roles_after(data, http, grant, 0, joined_at, now).await?,
                RoleTiming::After(secs) => {
                    roles_after(data, http, grant, secs, joined_at, now).await?
                }
                RoleTiming::OnScreening => {
                    store::await_screening(data.storage(), guild, user, joined_at).await?
                }
            }
        }
        if !m.user.bot {
            gifts(data, &s, guild, user, now).await?;
        }
        let dm = s.dm && !m.user.bot;
        if s.channel.is_none() && !dm {
            // Nothing to post: no placeholders to fill (the inviter is not waited for).
            return Ok(());
        }
        let l = crate::i18n::guild_locale(data, Some(guild.get())).await;
        let f = facts(data, guild, &m.user, now, true).await?;
        if let Some(c) = s.channel {
            let msg = greet::compose(data, l, &s, &f, Kind::Welcome).await?;
            if let Err(e) = c.discord().send_message(http.as_ref(), msg).await {
                tracing::info!(error = %e, %guild, "could not post a welcome");
            }
        }
        if dm {
            let msg = greet::compose(data, l, &s, &f, Kind::Dm).await?;
            if let Err(e) = m.user.id.direct_message(http.as_ref(), msg).await {
                tracing::info!(error = %e, %guild, %user, "could not send the intro guide");
            }
        }
        Ok(())
    })
}

/// The starter kit (once per member and server, through the ledger) and the XP boost (once).
async fn gifts(
    data: &Data,
    s: &WelcomeSettings,
    guild: GuildId,
    user: UserId,
    now: DateTime<Utc>,
) -> Result<(), Error> {
    if s.has_kit() {
        let kit = store::StarterKit {
            chrons: chronix_core::economy::Chrons::new(s.starter_chrons),
            items: &s.starter_items,
        };
        store::give_starter_kit(data.storage(), guild, user, kit, now).await?;
    }
    if let Some(b) = s.xp_boost(now) {
        chronix_storage::xp_boosts::grant(data.storage(), guild, user, BOOST_SOURCE, b, now)
            .await?;
    }
    Ok(())
}

/// `MemberUpdate`: a member whose auto roles wait for screening passed it (`pending` false).
pub fn on_update<'a>(
    _ctx: &'a serenity::Context,
    data: &'a Data,
    event: &'a Event<'a>,
) -> BoxFuture<'a, Result<(), Error>> {
    Box::pin(async move {
        let Event::MemberUpdate { event, .. } = event else {
            return Ok(());
        };
        if event.pending {
            return Ok(());
        }
        let Some(http) = data.http() else {
            return Ok(());
        };
        let guild = event.guild_id.core();
        let user = event.user.id.core();
        // Most updates are of members who never waited: one indexed delete that finds nothing.
        if !store::pass_screening(data.storage(), guild, user).await? {
            return Ok(());
        }
        let s = super::settings(data, guild).await?;
        let Some((roles, _)) = rules::role_plan(&s, event.user.bot, false) else {
            return Ok(());
        };
        let now = Utc::now();
        let joined_at = *event.joined_at;
        let grant = RoleGrant { guild, user, roles };
        roles_after(data, http, grant, s.role_delay_secs, joined_at, now).await
    })
}

/// `MemberLeave`: the farewell; a member still waiting for screening stops waiting.
pub fn on_leave<'a>(
    _ctx: &'a serenity::Context,
    data: &'a Data,
    event: &'a Event<'a>,
) -> BoxFuture<'a, Result<(), Error>> {
    Box::pin(async move {
        let Event::MemberLeave { guild_id, user, .. } = event else {
            return Ok(());
        };
        let Some(http) = data.http() else {
            return Ok(());
        };
        let guild = guild_id.core();
        store::pass_screening(data.storage(), guild, user.id.core()).await?;
        let s = super::settings(data, guild).await?;
        let Some(c) = s.farewell_channel.filter(|_| s.enabled) else {
            return Ok(());
        };
        let l = crate::i18n::guild_locale(data, Some(guild.get())).await;
        let f = facts(data, guild, user, Utc::now(), false).await?;
        let msg = greet::compose(data, l, &s, &f, Kind::Farewell).await?;
        if let Err(e) = c.discord().send_message(http.as_ref(), msg).await {
            tracing::info!(error = %e, %guild, "could not post a farewell");
        }
        Ok(())
    })
}

/// The [`ROLE_JOB`] job: gives a member's delayed auto roles (nothing when they left).
pub fn role_job<'a>(
    ctx: &'a JobContext,
    job: &'a chronix_storage::jobs::Job,
) -> BoxFuture<'a, Result<(), Error>> {
    Box::pin(async move {
        let grant: RoleGrant = serde_json::from_value(job.payload.0.clone())
            .map_err(|e| anyhow::anyhow!("{ROLE_JOB} job with a bad payload: {e}"))?;
        give_roles(&ctx.http, grant.guild, grant.user, &grant.roles).await;
        Ok(())
    })
}
