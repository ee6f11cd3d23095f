//! `battle replay <id> [full]`: who may see a battle again, and the moderators' full view.
//!
//! The players of a battle (its `battle_participants`) replay it: the log, turn by turn, as the
//! panel showed it. A moderator (the kernel's `Mod` tier: [`perms::is_mod`] in the channel
//! where they ask) of the server the battle was fought on replays any battle of that server and
//! alone gets `full`: every turn of the log with its numbers, the seed, the wager, the ledger
//! rows of the escrow and the payouts, and the timed-out turns. Anyone else gets
//! [`BattlesRefusal::NotYourReplay`].

use chronix_core::battles::{Action, Battle, LogEntry};
use chronix_core::render::format_chrons;
use chronix_storage::battles::{
    self as store, BattleId, BattleRefusal, BattleStatus, StoredBattle,
};

use super::commands::wager_text;
use super::{BattlesRefusal, panel, rules};
use crate::kernel::ids::ToCore;
use crate::kernel::perms;
use crate::prelude::*;

/// The extra view of `battle replay`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, poise::ChoiceParameter)]
pub enum View {
    /// Everything the log keeps (the server's moderators).
    Full,
}

/// The characters of log lines per page of the full view (an embed takes 4,096).
const PAGE_CHARS: usize = 3_900;

/// Runs `battle replay <id> [view]` for the author of `ctx`.
pub async fn run(ctx: Context<'_>, id: &str, view: Option<View>) -> Result<(), Error> {
    let l = ctx.lang();
    let n = id
        .trim()
        .trim_start_matches('#')
        .parse::<i64>()
        .map_err(|_| crate::errors::refuse(l, BattlesRefusal::BadId(id.to_string())))?;
    let storage = ctx.data().storage();
    let id = BattleId::new(n);
    let b = store::get(storage, id).await?.ok_or_else(|| {
        crate::errors::refuse(
            l,
            BattlesRefusal::Storage(chronix_storage::Refusal::Battle(BattleRefusal::NotFound(
                id,
            ))),
        )
    })?;
    let me = ctx.author().id.core();
    let player = b.players().contains(&me) || store::participants(storage, id).await?.contains(&me);
    let here = ctx.guild_id().map(|g| g.core());
    let moderator =
        b.guild.is_some() && b.guild == here && perms::is_mod(perms::author_permissions(ctx).await);
    if !player && !moderator {
        return Err(crate::errors::refuse(l, BattlesRefusal::NotYourReplay(id)));
    }
    if view.is_some() && !moderator {
        return Err(crate::errors::refuse(
            l,
            BattlesRefusal::FullViewForModerators,
        ));
    }
    let started = matches!(b.status, BattleStatus::Active | BattleStatus::Finished);
    let Some(state) = b.replay(rules()).filter(|_| started) else {
        return Err(crate::errors::refuse(l, BattlesRefusal::NothingToReplay));
    };
    match view {
        None => {
            let lines: Vec<String> = state.log.iter().map(|e| panel::log_line(l, e)).collect();
            let e = Embed::gameplay(tr!(l, "battles-replay-title", id = b.id.get()))
                .description(embeds::truncate(&lines.join("\n"), 4000))
                .footer(tr!(
                    l,
                    "battles-replay-footer",
                    seed = b.seed.to_string(),
                    actions = b.actions.len() as i64
                ));
            ctx.send(embeds::reply(e)).await?;
        }
        Some(View::Full) => full(ctx, l, &b, &state).await?,
    }
    Ok(())
}

/// A log line with the numbers the moderators need (a hit's roll and element multiplier).
fn full_line(l: Locale, e: &LogEntry) -> String {
    let line = panel::log_line(l, e);
    match e {
        LogEntry::Hit {
            element_pct, roll, ..
        } => format!(
            "{line} {}",
            tr!(
                l,
                "battles-mod-hit-detail",
                pct = i64::from(*element_pct),
                roll = i64::from(*roll)
            )
        ),
        _ => line,
    }
}

/// Pages of lines, each at most [`PAGE_CHARS`] long (a longer line is cut).
fn pages(lines: &[String]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut page = String::new();
    for line in lines {
        let line = embeds::truncate(line, PAGE_CHARS);
        if !page.is_empty() && page.len() + 1 + line.len() > PAGE_CHARS {
            out.push(std::mem::take(&mut page));
        }
        if !page.is_empty() {
            page.push('\n');
        }
        page.push_str(&line);
    }
    if !page.is_empty() {
        out.push(page);
    }
    out
}

/// The moderators' view: a summary (players, result, seed, wager, ledger rows, timeouts), then
/// every line of the log, in pages.
async fn full(ctx: Context<'_>, l: Locale, b: &StoredBattle, state: &Battle) -> Result<(), Error> {
    let storage = ctx.data().storage();
    let players: Vec<String> = store::participants(storage, b.id)
        .await?
        .iter()
        .map(|u| format!("<@{u}>"))
        .collect();
    let enemies: Vec<String> = match &b.setup {
        Some(s) if b.kind != chronix_core::battles::BattleKind::Pvp => s.sides[1]
            .iter()
            .map(|c| format!("{} {}", c.emoji, c.name))
            .collect(),
        _ => Vec::new(),
    };
    let money: Vec<String> = store::money(storage, b.id)
        .await?
        .iter()
        .map(|m| {
            let sign = if m.change.is_positive() { "+" } else { "−" };
            tr!(
                l,
                "battles-mod-money-line",
                user = format!("<@{}>", m.user),
                change = format!("{sign}{}", format_chrons(m.change.abs())),
                kind = m.kind.as_str()
            )
        })
        .collect();
    let timeouts = b
        .actions
        .iter()
        .filter(|a| matches!(a, Action::Skip { .. }))
        .count();
    let none = || "—".to_string();
    let mut e = Embed::info(tr!(l, "battles-mod-title", id = b.id.get()))
        .field(
            tr!(l, "battles-mod-field-kind"),
            panel::kind_name(l, b.kind),
            true,
        )
        .field(
            tr!(l, "battles-mod-field-status"),
            tr!(l, "battles-mod-status", status = b.status.as_str()),
            true,
        )
        .field(
            tr!(l, "battles-mod-field-winner"),
            b.winner.map_or_else(none, |w| format!("<@{w}>")),
            true,
        )
        .field(
            tr!(l, "battles-mod-field-players"),
            players
                .into_iter()
                .chain(enemies)
                .collect::<Vec<_>>()
                .join(" · "),
            false,
        )
        .field(tr!(l, "battles-mod-field-seed"), b.seed.to_string(), true)
        .field(
            tr!(l, "battles-mod-field-turns"),
            tr!(
                l,
                "battles-mod-turns",
                actions = b.actions.len() as i64,
                timeouts = timeouts as i64
            ),
            true,
        )
        .field(tr!(l, "battles-field-wager"), wager_text(b.wager), true)
        .field(
            tr!(l, "battles-mod-field-time"),
            tr!(
                l,
                "battles-mod-time",
                start = format!("<t:{}:f>", b.created_at.timestamp()),
                end = format!("<t:{}:f>", b.updated_at.timestamp())
            ),
            false,
        )
        .field(
            tr!(l, "battles-mod-field-money"),
            if money.is_empty() {
                none()
            } else {
                money.join("\n")
            },
            false,
        );
    if let Some(c) = b.channel {
        e = e.field(tr!(l, "battles-mod-field-channel"), format!("<#{c}>"), true);
    }
    ctx.send(embeds::reply(e).ephemeral(true)).await?;
    let lines: Vec<String> = state.log.iter().map(|e| full_line(l, e)).collect();
    let pages = pages(&lines);
    let total = pages.len();
    for (i, text) in pages.into_iter().enumerate() {
        let e = Embed::info(tr!(
            l,
            "battles-mod-log-title",
            id = b.id.get(),
            page = (i + 1) as i64,
            pages = total as i64
        ))
        .description(text);
        ctx.send(embeds::reply(e).ephemeral(true)).await?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_keep_every_line_and_stay_under_the_limit() {
        let lines: Vec<String> = (0..300)
            .map(|i| format!("line {i:03} {}", "x".repeat(40)))
            .collect();
        let p = pages(&lines);
        assert_eq!(p.len(), 4);
        assert!(p.iter().all(|x| x.len() <= PAGE_CHARS));
        let back: Vec<&str> = p.iter().flat_map(|x| x.lines()).collect();
        assert_eq!(back, lines.iter().map(String::as_str).collect::<Vec<_>>());
    }
}
