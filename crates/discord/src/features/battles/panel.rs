//! The battle's message (challenge, then the fight, then the result), its buttons and selects,
//! and the timer jobs.
//!
//! Buttons carry the battle id and the turn they were drawn for
//! (`chx:bt:<verb>:<battle>:<turn>`): storage applies an action only on that turn, so a double
//! click or a click racing the timer applies once, and a click after a restart works.

use chronix_core::battles::{Action, Battle, BattleKind, Combatant, LogEntry, Payout};
use chronix_core::render::{format_chrons, progress_bar};
use chronix_storage::StorageError;
use chronix_storage::battles::{
    self as store, ActRules, Acted, Actor, BattleId, BattleRefusal, BattleStatus, StoredBattle,
};
use chrono::Utc;

use super::{BattlesRefusal, PREFIX, TURN_JOB, WARN_JOB, rules, storage_error};
use crate::events::{Note, NoteTopic};
use crate::kernel::ids::{ToCore, ToDiscord};
use crate::prelude::*;
use crate::registry::BoxFuture;
use crate::scheduler::JobContext;
use crate::tables::tables;

/// How many log lines the panel shows.
const LOG_LINES: usize = 6;

/// The name of a kind of battle.
pub fn kind_name(l: Locale, k: BattleKind) -> String {
    match k {
        BattleKind::Pvp => tr!(l, "battles-kind-pvp"),
        BattleKind::Wild => tr!(l, "battles-kind-wild"),
        BattleKind::Boss => tr!(l, "battles-kind-boss"),
    }
}

/// One line of the log as players read it.
pub fn log_line(l: Locale, e: &LogEntry) -> String {
    match e {
        LogEntry::Hit {
            turn,
            by,
            target,
            damage,
            crit,
            element_pct,
            blocked,
            hp_left,
            ..
        } => {
            let mut extra = String::new();
            if *crit {
                extra.push_str(&tr!(l, "battles-log-crit"));
            }
            if *element_pct > 100 {
                extra.push_str(&tr!(l, "battles-log-strong"));
            } else if *element_pct < 100 {
                extra.push_str(&tr!(l, "battles-log-weak"));
            }
            if *blocked {
                extra.push_str(&tr!(l, "battles-log-blocked"));
            }
            tr!(
                l,
                "battles-log-hit",
                turn = *turn as i64,
                by = by.as_str(),
                target = target.as_str(),
                damage = *damage as i64,
                extra = extra,
                hp = *hp_left as i64
            )
        }
        LogEntry::Defend { turn, by } => {
            tr!(
                l,
                "battles-log-defend",
                turn = *turn as i64,
                by = by.as_str()
            )
        }
        LogEntry::Heal {
            turn,
            by,
            item,
            amount,
        } => tr!(
            l,
            "battles-log-heal",
            turn = *turn as i64,
            by = by.as_str(),
            item = tables().item(item).map_or_else(
                || tr!(l, "battles-potion"),
                |i| format!("{} {}", i.emoji, i.name)
            ),
            amount = *amount as i64
        ),
        LogEntry::Switch { turn, by, pet } => tr!(
            l,
            "battles-log-switch",
            turn = *turn as i64,
            by = by.as_str(),
            pet = pet.as_str()
        ),
        LogEntry::Skip { turn, by } => {
            tr!(l, "battles-log-skip", turn = *turn as i64, by = by.as_str())
        }
        LogEntry::Surrender { turn, by } => {
            tr!(
                l,
                "battles-log-surrender",
                turn = *turn as i64,
                by = by.as_str()
            )
        }
        LogEntry::Forfeit { turn, by } => {
            tr!(
                l,
                "battles-log-forfeit",
                turn = *turn as i64,
                by = by.as_str()
            )
        }
        LogEntry::End { name, timeout, .. } => match (name, timeout) {
            (None, _) => tr!(l, "battles-log-draw"),
            (Some(n), true) => tr!(l, "battles-log-end-turns", winner = n.as_str()),
            (Some(n), false) => tr!(l, "battles-log-end", winner = n.as_str()),
        },
    }
}

/// A combatant's field: HP bar, active pet, weapon.
fn fighter_value(l: Locale, c: &Combatant) -> String {
    let mut lines = vec![tr!(
        l,
        "battles-hp",
        bar = progress_bar(i64::from(c.hp), i64::from(c.max_hp), 10),
        hp = c.hp as i64,
        max = c.max_hp as i64
    )];
    match c.pet() {
        Some(p) => lines.push(tr!(
            l,
            "battles-pet",
            pet = format!("{} {}", p.emoji, p.name),
            element = p.element.as_str(),
            power = p.power as i64
        )),
        None if c.user.is_none() => lines.push(tr!(
            l,
            "battles-enemy-element",
            element = c.element.as_str()
        )),
        None => lines.push(tr!(l, "battles-no-pet")),
    }
    if c.user.is_some() {
        lines.push(match &c.weapon {
            Some(w) => tr!(
                l,
                "battles-weapon",
                weapon = w.name.as_str(),
                attack = w.attack as i64
            ),
            None => tr!(l, "battles-unarmed"),
        });
    }
    if c.defending {
        lines.push(tr!(l, "battles-defending"));
    }
    lines.join("\n")
}

fn fighter_name(c: &Combatant) -> String {
    if c.emoji.is_empty() {
        c.name.clone()
    } else {
        format!("{} {}", c.emoji, c.name)
    }
}

fn payout_line(l: Locale, p: &Payout) -> String {
    let gem = p
        .gem
        .as_ref()
        .map(|g| {
            let t = tables();
            let name = t
                .gem(&g.gem_type)
                .map_or_else(|| g.gem_type.clone(), |x| format!("{} {}", x.emoji, x.name));
            tr!(
                l,
                "battles-reward-gem",
                gem = name,
                rarity = g.rarity.as_str()
            )
        })
        .unwrap_or_default();
    tr!(
        l,
        "battles-reward-line",
        user = format!("<@{}>", p.user),
        chrons = format_chrons(p.chrons),
        xp = p.xp,
        gem = gem
    )
}

/// The battle's embed and buttons in its current state.
pub fn view(
    l: Locale,
    b: &StoredBattle,
    state: Option<&Battle>,
    payouts: &[Payout],
) -> (Embed, Vec<serenity::CreateActionRow>) {
    let wager = super::commands::wager_text(b.wager);
    match b.status {
        BattleStatus::Pending | BattleStatus::Declined | BattleStatus::Expired => {
            let opp = b.opponent.map(|o| format!("<@{o}>")).unwrap_or_default();
            let (title, text) = match b.status {
                BattleStatus::Pending => (
                    tr!(l, "battles-challenge-title"),
                    tr!(
                        l,
                        "battles-challenge",
                        challenger = format!("<@{}>", b.challenger),
                        opponent = opp.clone(),
                        when = format!("<t:{}:R>", b.expires_at.map_or(0, |t| t.timestamp()))
                    ),
                ),
                BattleStatus::Declined => (
                    tr!(l, "battles-declined-title"),
                    tr!(l, "battles-declined", opponent = opp.clone()),
                ),
                _ => (
                    tr!(l, "battles-expired-title"),
                    tr!(l, "battles-expired-text", opponent = opp.clone()),
                ),
            };
            let e = Embed::gameplay(title)
                .description(text)
                .field(tr!(l, "battles-field-wager"), wager, true)
                .footer(tr!(l, "battles-footer", id = b.id.get()));
            let rows = if b.status == BattleStatus::Pending {
                vec![serenity::CreateActionRow::Buttons(vec![
                    button(
                        &format!("acc:{}:0", b.id),
                        tr!(l, "battles-button-accept"),
                        '⚔',
                        serenity::ButtonStyle::Success,
                    ),
                    button(
                        &format!("dec:{}:0", b.id),
                        tr!(l, "battles-button-decline"),
                        '✖',
                        serenity::ButtonStyle::Secondary,
                    ),
                ])]
            } else {
                Vec::new()
            };
            (e, rows)
        }
        BattleStatus::Active | BattleStatus::Finished => {
            let Some(state) = state else {
                return (Embed::warning(tr!(l, "battles-panel-broken")), Vec::new());
            };
            let names: Vec<String> = state
                .sides
                .iter()
                .map(|s| s.iter().map(fighter_name).collect::<Vec<_>>().join(", "))
                .collect();
            let mut e = Embed::gameplay(tr!(
                l,
                "battles-title",
                id = b.id.get(),
                a = names[0].as_str(),
                b = names[1].as_str()
            ));
            let over = b.status == BattleStatus::Finished || state.outcome.is_some();
            let description = if over {
                let mut d = match state.outcome.and_then(|o| o.winner) {
                    Some(w) => tr!(l, "battles-winner", winner = names[w].as_str()),
                    None => tr!(l, "battles-draw"),
                };
                if !payouts.is_empty() {
                    d.push_str("\n\n");
                    d.push_str(
                        &payouts
                            .iter()
                            .map(|p| payout_line(l, p))
                            .collect::<Vec<_>>()
                            .join("\n"),
                    );
                }
                d
            } else {
                let c = state.current();
                tr!(
                    l,
                    "battles-turn",
                    turn = (state.turn + 1) as i64,
                    who = c
                        .user
                        .map_or_else(|| fighter_name(c), |u| format!("<@{u}>")),
                    when = format!("<t:{}:R>", b.turn_deadline.map_or(0, |t| t.timestamp()))
                )
            };
            e = e.description(description);
            for (s, side) in state.sides.iter().enumerate() {
                for (i, c) in side.iter().enumerate() {
                    let mark = if !over && state.next == (s, i) {
                        "▶️ "
                    } else {
                        ""
                    };
                    e = e.field(
                        format!("{mark}{}", fighter_name(c)),
                        fighter_value(l, c),
                        true,
                    );
                }
            }
            let start = state.log.len().saturating_sub(LOG_LINES);
            let log: Vec<String> = state.log[start..].iter().map(|x| log_line(l, x)).collect();
            e = e.field(
                tr!(l, "battles-field-log"),
                if log.is_empty() {
                    tr!(l, "battles-log-empty")
                } else {
                    log.join("\n")
                },
                false,
            );
            if b.kind == BattleKind::Pvp {
                e = e.field(tr!(l, "battles-field-wager"), wager, true);
            }
            e = e.footer(tr!(l, "battles-footer", id = b.id.get()));
            let rows = if over {
                Vec::new()
            } else {
                let t = b.turn;
                vec![serenity::CreateActionRow::Buttons(vec![
                    button(
                        &format!("atk:{}:{t}", b.id),
                        tr!(l, "battles-button-attack"),
                        '⚔',
                        serenity::ButtonStyle::Danger,
                    ),
                    button(
                        &format!("def:{}:{t}", b.id),
                        tr!(l, "battles-button-defend"),
                        '🛡',
                        serenity::ButtonStyle::Primary,
                    ),
                    button(
                        &format!("item:{}:{t}", b.id),
                        tr!(l, "battles-button-item"),
                        '🧪',
                        serenity::ButtonStyle::Secondary,
                    ),
                    button(
                        &format!("sw:{}:{t}", b.id),
                        tr!(l, "battles-button-switch"),
                        '🔁',
                        serenity::ButtonStyle::Secondary,
                    ),
                    button(
                        &format!("sur:{}:{t}", b.id),
                        tr!(l, "battles-button-surrender"),
                        '🏳',
                        serenity::ButtonStyle::Secondary,
                    ),
                ])]
            };
            (e, rows)
        }
    }
}

fn button(
    id: &str,
    label: String,
    emoji: char,
    style: serenity::ButtonStyle,
) -> serenity::CreateButton {
    serenity::CreateButton::new(format!("{PREFIX}{id}"))
        .label(label)
        .emoji(emoji)
        .style(style)
}

fn ephemeral(
    embed: Embed,
    rows: Vec<serenity::CreateActionRow>,
) -> serenity::CreateInteractionResponse {
    serenity::CreateInteractionResponse::Message(
        serenity::CreateInteractionResponseMessage::new()
            .embed(embed.into())
            .components(rows)
            .ephemeral(true)
            .allowed_mentions(embeds::no_mentions()),
    )
}

fn update(
    embed: Embed,
    rows: Vec<serenity::CreateActionRow>,
) -> serenity::CreateInteractionResponse {
    serenity::CreateInteractionResponse::UpdateMessage(
        serenity::CreateInteractionResponseMessage::new()
            .embed(embed.into())
            .components(rows)
            .allowed_mentions(embeds::no_mentions()),
    )
}

/// Queues the warning (at half the turn time) and the timeout of the current turn.
pub async fn arm_timers(data: &Data, b: &StoredBattle) -> Result<(), Error> {
    let Some(deadline) = b.turn_deadline else {
        return Ok(());
    };
    if b.status != BattleStatus::Active {
        return Ok(());
    }
    let secs = data.config().battles.battle_turn_secs as i64;
    let payload = serde_json::json!({ "battle": b.id.get(), "turn": b.turn });
    crate::scheduler::enqueue(
        data,
        WARN_JOB,
        payload.clone(),
        deadline - chrono::Duration::milliseconds(secs * 500),
        Some(format!("{WARN_JOB}:{}:{}", b.id, b.turn)),
    )
    .await?;
    crate::scheduler::enqueue(
        data,
        TURN_JOB,
        payload,
        deadline,
        Some(format!("{TURN_JOB}:{}:{}", b.id, b.turn)),
    )
    .await?;
    Ok(())
}

fn act_rules() -> (
    &'static chronix_core::battles::BattleRules,
    std::sync::Arc<chronix_core::tables::Tables>,
) {
    (rules(), tables().clone())
}

/// Applies an action (a click or the timer), then arms the next turn's timers or, at the end,
/// files the gameplay note. Returns what storage did.
pub async fn act(
    data: &Data,
    id: BattleId,
    actor: Actor,
    action: &Action,
    turn: u32,
) -> Result<Acted, StorageError> {
    let (r, t) = act_rules();
    let curve = crate::tables::xp_curve();
    let ar = ActRules {
        rules: r,
        tables: &t,
        curve: &curve,
    };
    let now = Utc::now();
    let deadline = now + chrono::Duration::seconds(data.config().battles.battle_turn_secs as i64);
    let acted = store::act(data.storage(), &ar, id, actor, action, turn, deadline, now).await?;
    if acted.state.outcome.is_none() {
        if let Err(e) = arm_timers(data, &acted.battle).await {
            tracing::warn!(error = ?e, battle = %id, "could not queue the battle's turn timers");
        }
    } else {
        end_note(data, &acted).await;
    }
    Ok(acted)
}

async fn end_note(data: &Data, acted: &Acted) {
    let b = &acted.battle;
    let Some(guild) = b.guild else { return };
    let l = crate::kernel::i18n::guild_locale(data, Some(guild.get())).await;
    let names: Vec<String> = acted
        .state
        .sides
        .iter()
        .map(|s| {
            s.iter()
                .map(|c| {
                    c.user
                        .map_or_else(|| fighter_name(c), |u| format!("<@{u}>"))
                })
                .collect::<Vec<_>>()
                .join(", ")
        })
        .collect();
    let winner = acted.state.outcome.and_then(|o| o.winner);
    let (kind, text) = match winner {
        Some(_) => ("battle_won", "note-battle-won"),
        None => ("battle_draw", "note-battle-draw"),
    };
    let mut n = Note::new(guild.discord(), NoteTopic::Gameplay, kind, text)
        .arg("id", b.id.get().to_string())
        .arg("kind", kind_name(l, b.kind));
    if let Some(c) = b.channel {
        n = n.channel(c.discord());
    }
    if let Some(w) = winner {
        n = n
            .arg("winner", names[w].clone())
            .arg("loser", names[1 - w].clone());
        if let Some(u) = acted.battle.winner {
            n = n.user(u.discord());
        }
    } else {
        n = n.arg("a", names[0].clone()).arg("b", names[1].clone());
    }
    let payouts: Vec<serde_json::Value> = acted
        .payouts
        .iter()
        .map(|p| serde_json::json!({ "user": p.user.get(), "chrons": p.chrons.get(), "xp": p.xp, "gem": p.gem.as_ref().map(|g| g.gem_type.clone()) }))
        .collect();
    n = n.payload(serde_json::json!({ "battle": b.id.get(), "kind": b.kind.as_str(), "wager": b.wager.get(), "payouts": payouts }));
    crate::events::note_from_job(data, n).await;
}

/// Redraws the battle's message (after a timer acted).
pub async fn redraw(http: &serenity::Http, data: &Data, b: &StoredBattle, payouts: &[Payout]) {
    let (Some(channel), Some(message)) = (b.channel, b.message) else {
        return;
    };
    let l = crate::kernel::i18n::guild_locale(data, b.guild.map(|g| g.get())).await;
    let state = b.replay(rules());
    let (embed, rows) = view(l, b, state.as_ref(), payouts);
    let edit = serenity::EditMessage::new()
        .embed(embed.into())
        .components(rows)
        .allowed_mentions(embeds::no_mentions());
    if let Err(e) = channel
        .discord()
        .edit_message(http, message.discord(), edit)
        .await
    {
        tracing::info!(error = %e, battle = %b.id, "could not edit a battle panel");
    }
}

/// The buttons and selects of battles.
pub fn on_component<'a>(
    ctx: &'a serenity::Context,
    ci: &'a serenity::ComponentInteraction,
    data: &'a Data,
) -> BoxFuture<'a, Result<(), Error>> {
    Box::pin(async move {
        let l = crate::kernel::i18n::locale_of_interaction(data, ci).await;
        let gone = || -> Error { UserError::msg(tr!(l, "button-no-longer-valid")).into() };
        let rest = ci.data.custom_id.strip_prefix(PREFIX).unwrap_or_default();
        let mut parts = rest.split(':');
        let (Some(verb), Some(id), Some(turn)) = (parts.next(), parts.next(), parts.next()) else {
            return Err(gone());
        };
        let (Ok(id), Ok(turn)) = (id.parse::<i64>(), turn.parse::<u32>()) else {
            return Err(gone());
        };
        let id = BattleId::new(id);
        let user = ci.user.id.core();
        let storage = data.storage();
        match verb {
            "acc" => {
                let now = Utc::now();
                let deadline =
                    now + chrono::Duration::seconds(data.config().battles.battle_turn_secs as i64);
                let b = store::accept(
                    storage,
                    id,
                    user,
                    None,
                    super::commands::new_seed(),
                    deadline,
                    now,
                )
                .await
                .map_err(|e| storage_error(l, e))?;
                let state = b.replay(rules());
                let (embed, rows) = view(l, &b, state.as_ref(), &[]);
                ci.create_response(&ctx.http, update(embed, rows)).await?;
                arm_timers(data, &b).await?;
                Ok(())
            }
            "dec" => {
                let b = store::decline(storage, id, user, Utc::now())
                    .await
                    .map_err(|e| storage_error(l, e))?;
                let (embed, rows) = view(l, &b, None, &[]);
                ci.create_response(&ctx.http, update(embed, rows)).await?;
                Ok(())
            }
            "atk" | "def" | "sur" => {
                let action = match verb {
                    "atk" => Action::Attack,
                    "def" => Action::Defend,
                    _ => Action::Surrender,
                };
                let acted = act(data, id, Actor::Player(user), &action, turn)
                    .await
                    .map_err(|e| storage_error(l, e))?;
                let (embed, rows) = view(l, &acted.battle, Some(&acted.state), &acted.payouts);
                ci.create_response(&ctx.http, update(embed, rows)).await?;
                Ok(())
            }
            "item" | "sw" => {
                let b = store::get(storage, id).await?.ok_or_else(gone)?;
                let state = check_turn(l, &b, user, turn)?;
                let me = state.current();
                let options: Vec<serenity::CreateSelectMenuOption> = if verb == "item" {
                    me.items
                        .iter()
                        .filter(|(_, (n, _))| *n > 0)
                        .map(|(item, (n, heal))| {
                            let name = tables().item(item).map_or_else(
                                || item.clone(),
                                |i| format!("{} {}", i.emoji, i.name),
                            );
                            serenity::CreateSelectMenuOption::new(
                                tr!(
                                    l,
                                    "battles-item-option",
                                    item = name,
                                    count = *n as i64,
                                    heal = *heal as i64
                                ),
                                item.clone(),
                            )
                        })
                        .collect()
                } else {
                    me.team
                        .iter()
                        .enumerate()
                        .filter(|(i, _)| *i != me.active)
                        .map(|(i, p)| {
                            serenity::CreateSelectMenuOption::new(
                                tr!(
                                    l,
                                    "battles-pet-option",
                                    pet = format!("{} {}", p.emoji, p.name),
                                    element = p.element.as_str(),
                                    power = p.power as i64
                                ),
                                i.to_string(),
                            )
                        })
                        .collect()
                };
                if options.is_empty() {
                    let why = if verb == "item" {
                        BattlesRefusal::NoPotions
                    } else {
                        BattlesRefusal::NoOtherPet
                    };
                    return Err(crate::errors::refuse(l, why));
                }
                let (key, title) = if verb == "item" {
                    ("useitem", tr!(l, "battles-pick-item"))
                } else {
                    ("swpet", tr!(l, "battles-pick-pet"))
                };
                let menu = serenity::CreateSelectMenu::new(
                    format!("{PREFIX}{key}:{id}:{turn}"),
                    serenity::CreateSelectMenuKind::String { options },
                )
                .placeholder(title.clone());
                ci.create_response(
                    &ctx.http,
                    ephemeral(
                        Embed::gameplay(title),
                        vec![serenity::CreateActionRow::SelectMenu(menu)],
                    ),
                )
                .await?;
                Ok(())
            }
            "useitem" | "swpet" => {
                let serenity::ComponentInteractionDataKind::StringSelect { values } = &ci.data.kind
                else {
                    return Err(gone());
                };
                let Some(v) = values.first() else {
                    return Err(gone());
                };
                let action = if verb == "useitem" {
                    Action::UseItem { item: v.clone() }
                } else {
                    Action::SwitchPet {
                        pet: v.parse().map_err(|_| gone())?,
                    }
                };
                let acted = act(data, id, Actor::Player(user), &action, turn)
                    .await
                    .map_err(|e| storage_error(l, e))?;
                let last = acted
                    .state
                    .log
                    .iter()
                    .rev()
                    .find(|e| matches!(e, LogEntry::Heal { .. } | LogEntry::Switch { .. }))
                    .map(|e| log_line(l, e))
                    .unwrap_or_default();
                ci.create_response(
                    &ctx.http,
                    update(
                        Embed::success(tr!(l, "battles-done")).description(last),
                        Vec::new(),
                    ),
                )
                .await?;
                redraw(&ctx.http, data, &acted.battle, &acted.payouts).await;
                Ok(())
            }
            _ => Err(gone()),
        }
    })
}

/// The replayed battle when it is `user`'s turn `turn` (else the refusal to show).
fn check_turn(
    l: Locale,
    b: &StoredBattle,
    user: chronix_core::ids::UserId,
    turn: u32,
) -> Result<Battle, Error> {
    let refuse = |r: BattleRefusal| {
        crate::errors::refuse(
            l,
            BattlesRefusal::Storage(chronix_storage::Refusal::Battle(r)),
        )
    };
    if b.status != BattleStatus::Active {
        return Err(refuse(BattleRefusal::Over));
    }
    if !b.players().contains(&user) {
        return Err(refuse(BattleRefusal::NotInBattle));
    }
    let state = b
        .replay(rules())
        .ok_or_else(|| refuse(BattleRefusal::Over))?;
    if state.whose_turn() != Some(user) {
        return Err(refuse(BattleRefusal::NotYourTurn));
    }
    if b.turn != turn {
        return Err(refuse(BattleRefusal::Stale));
    }
    Ok(state)
}

fn job_battle(job: &chronix_storage::jobs::Job) -> anyhow::Result<(BattleId, u32)> {
    let Some(id) = job.payload["battle"].as_i64() else {
        anyhow::bail!("battle job without a battle id");
    };
    let turn = job.payload["turn"].as_u64().unwrap_or(0);
    Ok((BattleId::new(id), u32::try_from(turn).unwrap_or(0)))
}

/// Expires a challenge nobody answered and strips its buttons.
pub fn challenge_job<'a>(
    ctx: &'a JobContext,
    job: &'a chronix_storage::jobs::Job,
) -> BoxFuture<'a, Result<(), Error>> {
    Box::pin(async move {
        let (id, _) = job_battle(job)?;
        if let Some(b) = store::expire(ctx.data.storage(), id, Utc::now()).await? {
            redraw(&ctx.http, &ctx.data, &b, &[]).await;
        }
        Ok(())
    })
}

/// Warns the player whose turn is running out (once per turn).
pub fn warn_job<'a>(
    ctx: &'a JobContext,
    job: &'a chronix_storage::jobs::Job,
) -> BoxFuture<'a, Result<(), Error>> {
    Box::pin(async move {
        let (id, turn) = job_battle(job)?;
        if !store::set_warned(ctx.data.storage(), id, turn).await? {
            return Ok(());
        }
        let Some(b) = store::get(ctx.data.storage(), id).await? else {
            return Ok(());
        };
        let (Some(channel), Some(state)) = (b.channel, b.replay(rules())) else {
            return Ok(());
        };
        let Some(user) = state.whose_turn() else {
            return Ok(());
        };
        let l = crate::kernel::i18n::guild_locale(&ctx.data, b.guild.map(|g| g.get())).await;
        let text = tr!(
            l,
            "battles-warning",
            user = format!("<@{user}>"),
            id = b.id.get(),
            when = format!("<t:{}:R>", b.turn_deadline.map_or(0, |t| t.timestamp())),
            missed = ctx.data.config().battles.battle_max_missed_turns as i64
        );
        let mut msg = serenity::CreateMessage::new()
            .content(text)
            .allowed_mentions(serenity::CreateAllowedMentions::new().users(vec![user.discord()]));
        if let Some(m) = b.message {
            msg = msg.reference_message((channel.discord(), m.discord()));
        }
        if let Err(e) = channel.discord().send_message(&ctx.http, msg).await {
            tracing::info!(error = %e, battle = %id, "could not post a turn warning");
        }
        Ok(())
    })
}

/// Skips a turn that timed out (a forfeit after too many in a row), then redraws the panel.
pub fn turn_job<'a>(
    ctx: &'a JobContext,
    job: &'a chronix_storage::jobs::Job,
) -> BoxFuture<'a, Result<(), Error>> {
    Box::pin(async move {
        let (id, turn) = job_battle(job)?;
        let skip = Action::Skip {
            max_missed: ctx.data.config().battles.battle_max_missed_turns,
        };
        match act(&ctx.data, id, Actor::Timer, &skip, turn).await {
            Ok(acted) => {
                redraw(&ctx.http, &ctx.data, &acted.battle, &acted.payouts).await;
                Ok(())
            }
            // The player acted in time, or the battle is over: nothing to skip.
            Err(StorageError::Refused(_)) => Ok(()),
            Err(e) => Err(e.into()),
        }
    })
}
