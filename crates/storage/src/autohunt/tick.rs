//! One scheduler batch of autohunt runs (see the module docs of `autohunt`).

use super::*;

/// The rules a batch runs with.
#[derive(Debug, Clone, Copy)]
pub struct TickRules<'a> {
    /// Autohunt costs, traits, intervals.
    pub rules: &'a AutohuntRules,
    /// Loot tables.
    pub tables: &'a Tables,
    /// XP curve for global levels.
    pub curve: &'a XpCurve,
    /// Pet rules: with them, every run gives the player's active pets their share (stamina
    /// spent, XP gained; `chronix_core::pets::autohunt_run`), written in the same transaction.
    /// `None`: pets are left alone.
    pub pets: Option<&'a chronix_core::pets::PetRules>,
    /// Clan rules: with them, a player in a clan rolls with the clan's perks
    /// (`ClanRules::hunt_modifiers`), read for the whole batch in one query. `None`: no perks.
    pub clans: Option<&'a chronix_core::clans::ClanRules>,
}

/// The clan perks of the batch's players as hunt modifiers (empty without clan rules).
async fn clan_modifiers(
    tx: &mut Tx,
    sessions: &[Session],
    ctx: &TickRules<'_>,
) -> Result<std::collections::HashMap<UserId, chronix_core::hunt::HuntModifiers>> {
    let Some(rules) = ctx.clans else {
        return Ok(Default::default());
    };
    let ids: Vec<UserId> = sessions.iter().map(|s| s.user_id).collect();
    let levels = crate::clans::perks_of_users_in(tx, &ids).await?;
    Ok(levels
        .into_iter()
        .map(|(u, l)| (u, rules.hunt_modifiers(&l)))
        .collect())
}

/// One active pet's share of a run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PetShare {
    /// Pet id.
    pub id: i64,
    /// Stamina spent (0: too tired, it sat this run out).
    pub stamina_spent: u32,
    /// XP gained.
    pub xp: u64,
    /// Levels gained.
    pub levels: u32,
    /// Stamina after.
    pub stamina: u32,
}

/// One session's run in a batch.
#[derive(Debug, Clone, PartialEq)]
pub struct Run {
    /// The session after the run.
    pub session: Session,
    /// What the run rolled (cost, loot, XP, Chrons, essence).
    pub outcome: TickOutcome,
    /// Wallet balance after the run.
    pub balance_after: Chrons,
    /// What the player's active pets got from the run (empty without pets or pet rules).
    pub pets: Vec<PetShare>,
}

/// A session the batch disabled because its player could not pay.
#[derive(Debug, Clone, PartialEq)]
pub struct Disabled {
    /// The session after it was disabled.
    pub session: Session,
    /// Cost of the run.
    pub cost: Chrons,
    /// The player's balance.
    pub balance: Chrons,
}

/// What one batch did.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Batch {
    /// Sessions that ran.
    pub runs: Vec<Run>,
    /// Sessions disabled for lack of Chrons.
    pub disabled: Vec<Disabled>,
}

impl Batch {
    /// Sessions claimed (ran or disabled).
    pub fn claimed(&self) -> usize {
        self.runs.len() + self.disabled.len()
    }
}

/// Claims and runs one batch of due sessions in its own transaction (see the module docs),
/// retried as a whole on transient errors (deadlock, busy). Returns what happened, after the
/// commit.
pub async fn process_due<R: Rng + Send>(
    storage: &Storage,
    now: DateTime<Utc>,
    limit: i64,
    ctx: TickRules<'_>,
    rng: &mut R,
) -> Result<Batch> {
    transaction!(storage, |tx| process_due_in(tx, now, limit, ctx, &mut *rng)
        .await)
}

/// [`process_due`] inside the caller's transaction (nothing is visible to others before the
/// caller commits; dropping `tx` undoes the whole batch).
pub async fn process_due_in<R: Rng + Send>(
    tx: &mut Tx,
    now: DateTime<Utc>,
    limit: i64,
    ctx: TickRules<'_>,
    rng: &mut R,
) -> Result<Batch> {
    let sessions: Vec<Session> = tx_run!(tx, |conn, d| {
        let sql = format!(
            "SELECT {COLUMNS} FROM autohunt_sessions WHERE enabled AND paused_at IS NULL \
             AND next_run_at <= $1 ORDER BY next_run_at LIMIT $2{}",
            d.for_update_skip_locked()
        );
        sqlx::query_as::<_, Session>(&sql)
            .bind(now)
            .bind(limit.max(0))
            .fetch_all(&mut *conn)
            .await?
    });
    if sessions.is_empty() {
        return Ok(Batch::default());
    }
    match tx.dialect() {
        crate::Dialect::Postgres => process_pg(tx, sessions, now, ctx, rng).await,
        crate::Dialect::Sqlite => process_rows(tx, sessions, now, ctx, rng).await,
    }
}

/// The session after a run (the same values the SQL writes).
fn after_run(
    s: &Session,
    o: &TickOutcome,
    ctx: &TickRules<'_>,
    now: DateTime<Utc>,
) -> Result<Session> {
    let add = |a: i64, b: i64| {
        a.checked_add(b)
            .ok_or(StorageError::Refused(Refusal::Overflow))
    };
    let core = o.apply(&s.core());
    let next_cost = rules_mod::tick_cost(&core, ctx.rules);
    Ok(Session {
        last_run: Some(now),
        next_run_at: Some(next_run(&core, ctx.rules, now)?),
        essence: core.essence,
        cost: next_cost,
        total_runs: add(s.total_runs, 1)?,
        total_spent: Chrons::new(add(s.total_spent.get(), o.cost.get())?),
        total_earned: Chrons::new(add(s.total_earned.get(), o.chrons_earned.get())?),
        cycle_runs: add(s.cycle_runs, 1)?,
        cycle_spent: Chrons::new(add(s.cycle_spent.get(), o.cost.get())?),
        cycle_earned: Chrons::new(add(s.cycle_earned.get(), o.chrons_earned.get())?),
        total_essence: add(s.total_essence, o.essence_gained)?,
        last_xp: o.xp,
        last_earned: o.chrons_earned,
        last_essence: o.essence_gained,
        last_loot: loot_codes(&o.loot),
        updated_at: now,
        ..s.clone()
    })
}

pub(super) fn next_run(
    core: &AutohuntSession,
    rules: &AutohuntRules,
    now: DateTime<Utc>,
) -> Result<DateTime<Utc>> {
    let interval: Duration = rules_mod::tick_interval(core, rules);
    now.checked_add_signed(interval)
        .ok_or(StorageError::Refused(Refusal::Overflow))
}

fn run_memo(o: &TickOutcome, now: DateTime<Utc>) -> Memo {
    Memo::new(run_reason(o)).kind("autohunt").at(now)
}

fn run_reason(o: &TickOutcome) -> String {
    format!("autohunt run: -{} cost, +{} loot", o.cost, o.chrons_earned)
}

fn disabled_session(s: &Session, cost: i64, now: DateTime<Utc>) -> Session {
    Session {
        enabled: false,
        next_run_at: None,
        cost: Chrons::new(cost),
        disabled_reason: Some(INSUFFICIENT_FUNDS.to_string()),
        updated_at: now,
        ..s.clone()
    }
}

/// SQLite: the same effects, row by row, in the caller's transaction.
async fn process_rows<R: Rng + Send>(
    tx: &mut Tx,
    sessions: Vec<Session>,
    now: DateTime<Utc>,
    ctx: TickRules<'_>,
    rng: &mut R,
) -> Result<Batch> {
    let mut batch = Batch::default();
    let perks = clan_modifiers(tx, &sessions, &ctx).await?;
    for s in sessions {
        let balance = users::lock(tx, s.user_id).await?;
        let extra = perks.get(&s.user_id).copied().unwrap_or_default();
        match rules_mod::tick_outcome_with(
            &s.core(),
            Chrons::new(balance),
            ctx.rules,
            ctx.tables,
            extra,
            rng,
        ) {
            Err(AutohuntError::InsufficientChrons { cost, balance }) => {
                let after = disabled_session(&s, cost.get(), now);
                write_disabled_row(tx, &after).await?;
                batch.disabled.push(Disabled {
                    session: after,
                    cost,
                    balance,
                });
            }
            Err(e) => return Err(StorageError::Conflict(e.to_string())),
            Ok(o) => {
                let after = after_run(&s, &o, &ctx, now)?;
                let net = o.net_chrons();
                let balance_after = if net != 0 {
                    economy::apply(tx, s.user_id, net, &run_memo(&o, now))
                        .await?
                        .balance_after()
                } else {
                    Chrons::new(balance)
                };
                inventory::grant_loot(tx, s.user_id, &o.loot, now).await?;
                hunt::add_global_xp(tx, s.user_id, o.xp, ctx.curve, now).await?;
                write_run_row(tx, &after).await?;
                batch.runs.push(Run {
                    session: after,
                    outcome: o,
                    balance_after,
                    pets: Vec::new(),
                });
            }
        }
    }
    pets_share(tx, &mut batch, &ctx, now).await?;
    Ok(batch)
}

/// Gives the active pets of the players who ran their share (see [`TickRules::pets`]): one
/// `SELECT … WHERE owner_id = ANY(…)` and one `UPDATE … FROM UNNEST` for the whole batch on
/// Postgres (the players are locked already, pets are locked after them as every pet command
/// does). A player's pets share each of their runs in this batch (one per session).
async fn pets_share(
    tx: &mut Tx,
    batch: &mut Batch,
    ctx: &TickRules<'_>,
    now: DateTime<Utc>,
) -> Result<()> {
    let Some(rules) = ctx.pets else {
        return Ok(());
    };
    if batch.runs.is_empty() {
        return Ok(());
    }
    let owners: Vec<UserId> = batch.runs.iter().map(|r| r.session.user_id).collect();
    let pets = crate::pets::active_of_in(tx, &owners).await?;
    if pets.is_empty() {
        return Ok(());
    }
    let mut updates = Vec::new();
    let index: std::collections::HashMap<UserId, usize> = batch
        .runs
        .iter()
        .enumerate()
        .map(|(i, r)| (r.session.user_id, i))
        .collect();
    for p in pets {
        let Some(&run) = index.get(&p.owner_id) else {
            continue;
        };
        let effects = ctx
            .tables
            .creature(&p.pet_type)
            .map(|c| rules.effects_of(c))
            .unwrap_or_default();
        let mut state = p.state();
        let (spent, gain) = chronix_core::pets::autohunt_run(rules, &effects, &mut state);
        batch.runs[run].pets.push(PetShare {
            id: p.id,
            stamina_spent: spent,
            xp: gain.gained,
            levels: gain.levels,
            stamina: state.stamina,
        });
        if spent > 0 {
            updates.push(crate::pets::PetUpdate { id: p.id, state });
        }
    }
    crate::pets::apply_autohunt_in(tx, &updates, now).await
}

async fn write_disabled_row(tx: &mut Tx, s: &Session) -> Result<()> {
    tx_run!(tx, |conn| {
        sqlx::query(
            "UPDATE autohunt_sessions SET enabled = FALSE, next_run_at = NULL, cost = $1, \
             disabled_reason = $2, updated_at = $3 WHERE user_id = $4",
        )
        .bind(s.cost.get())
        .bind(&s.disabled_reason)
        .bind(s.updated_at)
        .bind(s.user_id.to_db())
        .execute(&mut *conn)
        .await?;
    });
    Ok(())
}

async fn write_run_row(tx: &mut Tx, s: &Session) -> Result<()> {
    tx_run!(tx, |conn| {
        sqlx::query(
            "UPDATE autohunt_sessions SET last_run = $1, next_run_at = $2, essence = $3, \
             cost = $4, total_runs = $5, total_spent = $6, total_earned = $7, cycle_runs = $8, \
             cycle_spent = $9, cycle_earned = $10, total_essence = $11, last_xp = $12, \
             last_earned = $13, last_essence = $14, last_loot = $15, updated_at = $1 \
             WHERE user_id = $16",
        )
        .bind(s.last_run)
        .bind(s.next_run_at)
        .bind(s.essence)
        .bind(s.cost.get())
        .bind(s.total_runs)
        .bind(s.total_spent.get())
        .bind(s.total_earned.get())
        .bind(s.cycle_runs)
        .bind(s.cycle_spent.get())
        .bind(s.cycle_earned.get())
        .bind(s.total_essence)
        .bind(s.last_xp)
        .bind(s.last_earned.get())
        .bind(s.last_essence)
        .bind(&s.last_loot)
        .bind(s.user_id.to_db())
        .execute(&mut *conn)
        .await?;
    });
    Ok(())
}

/// Postgres: set-based writes for the whole batch.
async fn process_pg<R: Rng + Send>(
    tx: &mut Tx,
    sessions: Vec<Session>,
    now: DateTime<Utc>,
    ctx: TickRules<'_>,
    rng: &mut R,
) -> Result<Batch> {
    // Lock the players once, through the ledger (id order, deadlock-free against transfers);
    // the same lock serves the ledger batch below.
    let ids: Vec<UserId> = sessions.iter().map(|s| s.user_id).collect();
    let locked = economy::lock_batch(tx, &ids).await?;
    let perks = clan_modifiers(tx, &sessions, &ctx).await?;

    let mut batch = Batch::default();
    // Columns for the set-based statements.
    let (mut u_id, mut u_xp, mut u_lvl) = (vec![], vec![], vec![]);
    // Ledger changes, and the index in `batch.runs` of each.
    let (mut changes, mut change_run) = (vec![], vec![]);
    let mut loot: Vec<(UserId, Loot)> = Vec::new();
    let mut runs_after: Vec<Session> = Vec::new();
    let mut disabled_after: Vec<Session> = Vec::new();

    for s in sessions {
        // A session whose user row vanished cannot exist (FK); treat as zero balance.
        let (balance, xp) = (
            locked.balance(s.user_id).map_or(0, Chrons::get),
            locked.global_xp(s.user_id).unwrap_or(0),
        );
        let extra = perks.get(&s.user_id).copied().unwrap_or_default();
        match rules_mod::tick_outcome_with(
            &s.core(),
            Chrons::new(balance),
            ctx.rules,
            ctx.tables,
            extra,
            rng,
        ) {
            Err(AutohuntError::InsufficientChrons { cost, balance }) => {
                let after = disabled_session(&s, cost.get(), now);
                disabled_after.push(after.clone());
                batch.disabled.push(Disabled {
                    session: after,
                    cost,
                    balance,
                });
            }
            Err(e) => return Err(StorageError::Conflict(e.to_string())),
            Ok(o) => {
                let after = after_run(&s, &o, &ctx, now)?;
                let net = o.net_chrons();
                let new_xp = xp
                    .checked_add(o.xp)
                    .ok_or(StorageError::Refused(Refusal::Overflow))?;
                u_id.push(s.user_id);
                u_xp.push(new_xp);
                u_lvl.push(
                    i32::try_from(ctx.curve.level_for_xp(new_xp))
                        .map_err(|_| StorageError::Refused(Refusal::Overflow))?,
                );
                if net != 0 {
                    changes.push(economy::Change::new(s.user_id, net, run_memo(&o, now)));
                    change_run.push(batch.runs.len());
                }
                loot.extend(o.loot.iter().map(|l| (s.user_id, l.clone())));
                runs_after.push(after.clone());
                // A run that changes no balance leaves it as it was; the others get the
                // ledger's `balance_after` below.
                batch.runs.push(Run {
                    session: after,
                    outcome: o,
                    balance_after: Chrons::new(balance),
                    pets: Vec::new(),
                });
            }
        }
    }

    // Every Chron moves through the ledger module (debits refused below zero, one ledger row
    // with `balance_after` per run); a refusal fails the whole batch, which charges nobody.
    // XP rides in the same `users` write.
    let xp = economy::XpUpdates {
        user_ids: u_id,
        global_xp: u_xp,
        global_level: u_lvl,
        at: Some(now),
    };
    let applied = economy::apply_batch_locked(tx, locked, &changes, &xp).await?;
    for (a, &run) in applied.iter().zip(&change_run) {
        batch.runs[run].balance_after = a.balance_after();
    }
    let TxInner::Pg(t) = tx.inner_mut() else {
        return Err(StorageError::Config(
            "process_pg on a non-Postgres transaction".into(),
        ));
    };
    let conn: &mut sqlx::PgConnection = t;
    if !runs_after.is_empty() {
        let col = |f: fn(&Session) -> i64| runs_after.iter().map(f).collect::<Vec<i64>>();
        let next: Vec<DateTime<Utc>> = runs_after
            .iter()
            .map(|s| s.next_run_at.unwrap_or(now))
            .collect();
        let loot_json: Vec<&str> = runs_after.iter().map(|s| s.last_loot.as_str()).collect();
        sqlx::query(
            "UPDATE autohunt_sessions AS s SET last_run = $1, next_run_at = v.next, \
             essence = v.essence, cost = v.cost, total_runs = v.runs, total_spent = v.spent, \
             total_earned = v.earned, cycle_runs = v.c_runs, cycle_spent = v.c_spent, \
             cycle_earned = v.c_earned, total_essence = v.t_ess, last_xp = v.l_xp, \
             last_earned = v.l_earned, last_essence = v.l_ess, last_loot = v.l_loot, updated_at = $1 \
             FROM UNNEST($2::BIGINT[], $3::TIMESTAMPTZ[], $4::BIGINT[], $5::BIGINT[], $6::BIGINT[], \
                         $7::BIGINT[], $8::BIGINT[], $9::BIGINT[], $10::BIGINT[], $11::BIGINT[], \
                         $12::BIGINT[], $13::BIGINT[], $14::BIGINT[], $15::BIGINT[], $16::TEXT[]) \
               AS v(user_id, next, essence, cost, runs, spent, earned, c_runs, c_spent, c_earned, \
                    t_ess, l_xp, l_earned, l_ess, l_loot) \
             WHERE s.user_id = v.user_id",
        )
        .bind(now)
        .bind(col(|s| s.user_id.to_db()))
        .bind(&next)
        .bind(col(|s| s.essence))
        .bind(col(|s| s.cost.get()))
        .bind(col(|s| s.total_runs))
        .bind(col(|s| s.total_spent.get()))
        .bind(col(|s| s.total_earned.get()))
        .bind(col(|s| s.cycle_runs))
        .bind(col(|s| s.cycle_spent.get()))
        .bind(col(|s| s.cycle_earned.get()))
        .bind(col(|s| s.total_essence))
        .bind(col(|s| s.last_xp))
        .bind(col(|s| s.last_earned.get()))
        .bind(col(|s| s.last_essence))
        .bind(&loot_json)
        .execute(&mut *conn)
        .await?;
    }
    if !disabled_after.is_empty() {
        let ids: Vec<i64> = disabled_after.iter().map(|s| s.user_id.to_db()).collect();
        let costs: Vec<i64> = disabled_after.iter().map(|s| s.cost.get()).collect();
        sqlx::query(
            "UPDATE autohunt_sessions AS s SET enabled = FALSE, next_run_at = NULL, cost = v.cost, \
             disabled_reason = $3, updated_at = $4 \
             FROM UNNEST($1::BIGINT[], $2::BIGINT[]) AS v(user_id, cost) WHERE s.user_id = v.user_id",
        )
        .bind(&ids)
        .bind(&costs)
        .bind(INSUFFICIENT_FUNDS)
        .bind(now)
        .execute(&mut *conn)
        .await?;
    }
    // Loot last: its upserts touch the most rows.
    inventory::grant_loot_batch(tx, &loot, now).await?;
    pets_share(tx, &mut batch, &ctx, now).await?;
    Ok(batch)
}
