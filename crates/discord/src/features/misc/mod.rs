//! `misc`: small everyday commands (`roll`, `flip`, `serverinfo`). The betting games
//! `coinflip` and `dice` belong to `economy`.

use crate::prelude::*;
use crate::registry::Feature;

/// The misc feature.
pub fn feature() -> Feature {
    Feature::new("misc", commands).slash_group(
        "misc",
        "Small everyday commands: dice, coins, server info",
        &[],
    )
}

/// Misc commands.
pub fn commands() -> Vec<Command> {
    vec![roll(), flip(), serverinfo()]
}

/// Roll a die (6 sides unless you say otherwise).
#[poise::command(prefix_command, slash_command, custom_data = Tier::Everyone)]
pub async fn roll(
    ctx: Context<'_>,
    #[description = "Number of sides (2 to 1000)"] sides: Option<u32>,
) -> Result<(), Error> {
    let sides = sides.unwrap_or(6);
    if !(2..=1000).contains(&sides) {
        return Err(UserError::InvalidInput(tr!(ctx, "misc-roll-sides")).into());
    }
    let value = rand::random_range(1..=sides);
    ctx.send(embeds::reply(
        Embed::info(tr!(ctx, "misc-roll-title")).description(tr!(
            ctx,
            "misc-roll-text",
            value = value.to_string(),
            sides = sides.to_string()
        )),
    ))
    .await?;
    Ok(())
}

/// Flip a coin.
#[poise::command(prefix_command, slash_command, custom_data = Tier::Everyone)]
pub async fn flip(ctx: Context<'_>) -> Result<(), Error> {
    let side = if rand::random::<bool>() {
        tr!(ctx, "misc-flip-heads")
    } else {
        tr!(ctx, "misc-flip-tails")
    };
    ctx.send(embeds::reply(
        Embed::info(tr!(ctx, "misc-flip-title")).description(format!("🪙 **{side}**")),
    ))
    .await?;
    Ok(())
}

/// Facts about this server.
#[poise::command(prefix_command, slash_command, guild_only, aliases("si", "guildinfo"), custom_data = Tier::Everyone)]
pub async fn serverinfo(ctx: Context<'_>) -> Result<(), Error> {
    let gid = ctx.guild_id().ok_or(UserError::GuildOnly)?;
    let cached = ctx
        .data()
        .guilds()
        .facts(gid)
        .map(|g| (g.name, g.owner_id, g.member_count, g.channels, g.roles));
    let (name, owner, members, channels, roles) = match cached {
        Some(t) => t,
        None => {
            let g = gid.to_partial_guild(ctx.http()).await?;
            (g.name.clone(), g.owner_id, 0, 0, g.roles.len())
        }
    };
    let created = gid.created_at();
    let embed = Embed::info(name)
        .field(tr!(ctx, "misc-server-owner"), format!("<@{owner}>"), true)
        .field(tr!(ctx, "misc-server-members"), members.to_string(), true)
        .field(tr!(ctx, "misc-server-channels"), channels.to_string(), true)
        .field(tr!(ctx, "misc-server-roles"), roles.to_string(), true)
        .field(
            tr!(ctx, "misc-server-created"),
            format!("<t:{}:D>", created.unix_timestamp()),
            true,
        )
        .field(tr!(ctx, "misc-server-id"), gid.to_string(), true);
    ctx.send(embeds::reply(embed)).await?;
    Ok(())
}
