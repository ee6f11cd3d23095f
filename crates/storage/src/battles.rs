//! Battles (rows of `battles` and `battle_participants`); the rules are
//! `chronix_core::battles`.
//!
//! A row keeps the battle's setup (`data`), `seed` and `actions`: the state is always the
//! replay of those ([`chronix_core::battles::run`]), so `battle replay` and the live battle
//! agree by construction. `turn` counts the stored actions; [`act`] takes the turn its caller
//! drew (a button or a timer) and refuses a stale one, so two clicks or a click racing the turn
//! timer apply once.
//!
//! Money and items: a wager is escrowed from both players at [`accept`] (one transaction that
//! locks the battle row, then both players' `users` rows in id order through the ledger, then
//! marks them live: a player who accepts two challenges with the same Chrons gets one escrow,
//! the other is refused). The end of a battle (the last [`act`]) writes the final state,
//! `status = 'finished'`, `winner_id` and the end time, and pays every reward, consolation and
//! the pot through the ledger, global XP and a reward gem, in that same transaction. A potion
//! used in a battle leaves the player's inventory in the transaction of that turn.
//!
//! A team battle ([`start_pve`] with several players on side 0) has one participant row per
//! member; `challenger_id` and, when it is won, `winner_id` are the member who started it.
//!
//! Contract: `battle_type` is 'pvp', 'wild' or 'boss'; a finished battle has
//! `status = 'finished'`, `winner_id` = the winning user (the member who started it for a team;
//! NULL for a draw or a lost PvE battle) and `updated_at` = its end, never changed afterwards.
//! The weekly clan war counts the win for the winner's clan of the moment, credited in the
//! final transaction ([`crate::clans::credit_win`]); a team's win is credited for each member
//! still in it.

use chronix_core::battles::{
    self as rules, Action, Battle, BattleError, BattleKind, BattleRules, Payout, Setup,
};
use chronix_core::economy::Chrons;
use chronix_core::ids::{ChannelId, GuildId, MessageId, UserId};
use chronix_core::tables::Tables;
use chronix_core::xp::XpCurve;
use chrono::{DateTime, Utc};
use sqlx::types::Json;

use crate::economy::{self, Memo};
use crate::{Refusal, Result, Storage, StorageError, Tx, hunt, inventory, users};

/// A battle's id (what buttons, jobs and `battle replay` carry).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct BattleId(i64);

impl BattleId {
    /// From its button, job or command form.
    pub const fn new(id: i64) -> Self {
        Self(id)
    }
    /// Its value.
    pub const fn get(self) -> i64 {
        self.0
    }
}

impl std::fmt::Display for BattleId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

/// Where a battle is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BattleStatus {
    /// A challenge waiting for Accept.
    Pending,
    /// Being fought.
    Active,
    /// Over.
    Finished,
    /// The challenge was declined (or withdrawn).
    Declined,
    /// Nobody answered the challenge in time.
    Expired,
}

impl BattleStatus {
    /// The stored text.
    pub const fn as_str(self) -> &'static str {
        match self {
            BattleStatus::Pending => "pending",
            BattleStatus::Active => "active",
            BattleStatus::Finished => "finished",
            BattleStatus::Declined => "declined",
            BattleStatus::Expired => "expired",
        }
    }
    fn parse(s: &str) -> Self {
        match s {
            "pending" => BattleStatus::Pending,
            "active" => BattleStatus::Active,
            "finished" => BattleStatus::Finished,
            "declined" => BattleStatus::Declined,
            _ => BattleStatus::Expired,
        }
    }
}

/// Why a battle action was refused (nothing changed).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BattleRefusal {
    /// No such battle.
    #[error("there is no battle #{0}")]
    NotFound(BattleId),
    /// A challenge to oneself.
    #[error("you cannot challenge yourself")]
    SelfChallenge,
    /// A player is in another battle.
    #[error("{0} is already in a battle")]
    Busy(UserId),
    /// The battle is over (or the challenge closed).
    #[error("this battle is over")]
    Over,
    /// Only the challenged player may accept.
    #[error("only {0} can answer this challenge")]
    NotChallenged(UserId),
    /// Not a fighter of this battle.
    #[error("you are not in this battle")]
    NotInBattle,
    /// Another player's turn.
    #[error("it is not your turn")]
    NotYourTurn,
    /// The panel was drawn for an earlier turn.
    #[error("the battle moved on")]
    Stale,
    /// The challenge expired.
    #[error("this challenge expired")]
    Expired,
    /// A rule of the engine refused the action.
    #[error(transparent)]
    Rule(#[from] BattleError),
    /// The challenger has as many challenges waiting as allowed.
    #[error("you have {max} challenges waiting already")]
    TooManyChallenges {
        /// Most open challenges.
        max: u32,
        /// When the first of them lapses (unless answered before).
        free_at: DateTime<Utc>,
    },
    /// The same player was challenged recently and declined (or let it expire).
    #[error("you challenged {user} recently")]
    RechallengeTooSoon {
        /// The challenged player.
        user: UserId,
        /// When they may be challenged again.
        at: DateTime<Utc>,
    },
}

/// Limits on challenges (`BATTLE_MAX_PENDING_CHALLENGES`, `BATTLE_RECHALLENGE_SECS`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ChallengeLimits {
    /// Most challenges of one challenger waiting at once.
    pub max_pending: u32,
    /// After a decline, a withdrawal or an expiry, the wait before the same challenger may
    /// challenge the same player again.
    pub rechallenge: chrono::Duration,
}

impl ChallengeLimits {
    /// No limit (tests of other rules).
    pub const NONE: ChallengeLimits = ChallengeLimits {
        max_pending: u32::MAX,
        rechallenge: chrono::Duration::zero(),
    };
}

/// Refuses a challenge beyond `limits`, under the challenger's lock: the open challenges of
/// `new.challenger` (pending and not lapsed), then the last closed challenge to the same
/// opponent (declined: from its answer; expired or lapsed: from its expiry).
async fn check_limits(
    tx: &mut Tx,
    new: &NewChallenge,
    limits: &ChallengeLimits,
    now: DateTime<Utc>,
) -> Result<()> {
    let open: Vec<(Option<DateTime<Utc>>,)> = tx_run!(tx, |conn| {
        sqlx::query_as(
            "SELECT expires_at FROM battles WHERE challenger_id = $1 AND status = 'pending' \
             AND (expires_at IS NULL OR expires_at > $2) ORDER BY expires_at",
        )
        .bind(new.challenger.to_db())
        .bind(now)
        .fetch_all(&mut *conn)
        .await?
    });
    if open.len() >= limits.max_pending as usize {
        return Err(BattleRefusal::TooManyChallenges {
            max: limits.max_pending,
            free_at: open.iter().find_map(|(e,)| *e).unwrap_or(now),
        }
        .into());
    }
    if limits.rechallenge <= chrono::Duration::zero() {
        return Ok(());
    }
    let closed: Vec<(String, DateTime<Utc>, Option<DateTime<Utc>>)> = tx_run!(tx, |conn| {
        sqlx::query_as(
            "SELECT status, updated_at, expires_at FROM battles \
             WHERE challenger_id = $1 AND opponent_id = $2 AND battle_type = 'pvp' \
             AND (status IN ('declined', 'expired') OR (status = 'pending' AND expires_at <= $3)) \
             ORDER BY id DESC LIMIT 5",
        )
        .bind(new.challenger.to_db())
        .bind(new.opponent.to_db())
        .bind(now)
        .fetch_all(&mut *conn)
        .await?
    });
    let last = closed
        .into_iter()
        .map(|(status, updated, expires)| match status.as_str() {
            "declined" => updated,
            _ => expires.unwrap_or(updated),
        })
        .max();
    if let Some(at) = last.map(|t| t + limits.rechallenge).filter(|at| *at > now) {
        return Err(BattleRefusal::RechallengeTooSoon {
            user: new.opponent,
            at,
        }
        .into());
    }
    Ok(())
}

impl From<BattleRefusal> for StorageError {
    fn from(r: BattleRefusal) -> Self {
        StorageError::Refused(Refusal::Battle(r))
    }
}

/// A stored battle.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredBattle {
    /// Id.
    pub id: BattleId,
    /// PvP, wild or boss.
    pub kind: BattleKind,
    /// Server.
    pub guild: Option<GuildId>,
    /// Channel of its panel.
    pub channel: Option<ChannelId>,
    /// Its panel.
    pub message: Option<MessageId>,
    /// The combatants at the start (none while a challenge waits).
    pub setup: Option<Setup>,
    /// The seed.
    pub seed: u64,
    /// The actions so far.
    pub actions: Vec<Action>,
    /// Status.
    pub status: BattleStatus,
    /// The winning user once finished.
    pub winner: Option<UserId>,
    /// Side 0's player.
    pub challenger: UserId,
    /// Side 1's player (PvP).
    pub opponent: Option<UserId>,
    /// Wager of each player (PvP).
    pub wager: Chrons,
    /// Actions stored.
    pub turn: u32,
    /// When the current turn times out.
    pub turn_deadline: Option<DateTime<Utc>>,
    /// The timeout warning was given for this turn.
    pub warned: bool,
    /// When a challenge lapses.
    pub expires_at: Option<DateTime<Utc>>,
    /// Created.
    pub created_at: DateTime<Utc>,
    /// Last change (the end, once finished).
    pub updated_at: DateTime<Utc>,
}

impl StoredBattle {
    /// The battle now (replayed), when it has started.
    pub fn replay(&self, rules: &BattleRules) -> Option<Battle> {
        let setup = self.setup.as_ref()?;
        rules::run(rules, setup, self.seed, &self.actions).ok()
    }

    /// The players of the battle: those of its setup (a team battle has several on side 0),
    /// else the challenger and the opponent.
    pub fn players(&self) -> Vec<UserId> {
        match &self.setup {
            Some(s) if !s.users().is_empty() => s.users(),
            _ => std::iter::once(self.challenger)
                .chain(self.opponent)
                .collect(),
        }
    }
}

#[derive(sqlx::FromRow)]
struct Row {
    id: i64,
    battle_type: String,
    guild_id: Option<i64>,
    channel_id: Option<i64>,
    message_id: Option<i64>,
    data: Json<serde_json::Value>,
    seed: i64,
    actions: String,
    status: String,
    winner_id: Option<i64>,
    challenger_id: Option<i64>,
    opponent_id: Option<i64>,
    wager: i64,
    turn: i32,
    turn_deadline: Option<DateTime<Utc>>,
    warned: bool,
    expires_at: Option<DateTime<Utc>>,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
}

const COLUMNS: &str = "id, battle_type, guild_id, channel_id, message_id, data, seed, actions, \
     status, winner_id, challenger_id, opponent_id, wager, turn, turn_deadline, warned, \
     expires_at, created_at, updated_at";

fn from_row(r: Row) -> Result<StoredBattle> {
    let corrupt = |what: &str| StorageError::Corrupt(format!("battle {}: {what}", r.id));
    let kind = BattleKind::parse(&r.battle_type).ok_or_else(|| corrupt("battle_type"))?;
    let setup = if r.data.0.is_null() || r.data.0.as_object().is_some_and(|o| o.is_empty()) {
        None
    } else {
        Some(serde_json::from_value(r.data.0.clone()).map_err(|e| corrupt(&e.to_string()))?)
    };
    let actions: Vec<Action> =
        serde_json::from_str(&r.actions).map_err(|e| corrupt(&e.to_string()))?;
    Ok(StoredBattle {
        id: BattleId(r.id),
        kind,
        guild: r.guild_id.map(GuildId::from_db),
        channel: r.channel_id.map(ChannelId::from_db),
        message: r.message_id.map(MessageId::from_db),
        setup,
        seed: r.seed as u64,
        actions,
        status: BattleStatus::parse(&r.status),
        winner: r.winner_id.map(UserId::from_db),
        challenger: UserId::from_db(r.challenger_id.ok_or_else(|| corrupt("challenger"))?),
        opponent: r.opponent_id.map(UserId::from_db),
        wager: Chrons::new(r.wager),
        turn: u32::try_from(r.turn).unwrap_or(0),
        turn_deadline: r.turn_deadline,
        warned: r.warned,
        expires_at: r.expires_at,
        created_at: r.created_at,
        updated_at: r.updated_at,
    })
}

/// A challenge to store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewChallenge {
    /// Server.
    pub guild: Option<GuildId>,
    /// Channel.
    pub channel: ChannelId,
    /// Who challenges.
    pub challenger: UserId,
    /// Who is challenged.
    pub opponent: UserId,
    /// Wager of each (0: none).
    pub wager: Chrons,
    /// When the challenge lapses.
    pub expires_at: DateTime<Utc>,
    /// The fighters as they are when challenged (the battle starts from them unless the
    /// accept brings fresh ones).
    pub setup: Option<Setup>,
}

async fn busy_in(tx: &mut Tx, user: UserId) -> Result<bool> {
    let row: Option<(i64,)> = tx_run!(tx, |conn| {
        sqlx::query_as("SELECT battle_id FROM battle_participants WHERE user_id = $1 AND live")
            .bind(user.to_db())
            .fetch_optional(&mut *conn)
            .await?
    });
    Ok(row.is_some())
}

/// The live battle of `user` (a pending challenge does not count), if any.
pub async fn live_of(storage: &Storage, user: UserId) -> Result<Option<StoredBattle>> {
    let row: Option<(i64,)> = conn_run!(storage, |conn| {
        sqlx::query_as("SELECT battle_id FROM battle_participants WHERE user_id = $1 AND live")
            .bind(user.to_db())
            .fetch_optional(&mut *conn)
            .await?
    });
    match row {
        Some((id,)) => get(storage, BattleId(id)).await,
        None => Ok(None),
    }
}

async fn lock(tx: &mut Tx, id: BattleId) -> Result<StoredBattle> {
    let row: Option<Row> = tx_run!(tx, |conn, d| {
        sqlx::query_as(&format!(
            "SELECT {COLUMNS} FROM battles WHERE id = $1{}",
            d.for_update()
        ))
        .bind(id.0)
        .fetch_optional(&mut *conn)
        .await?
    });
    from_row(row.ok_or(BattleRefusal::NotFound(id))?)
}

/// A battle by id.
pub async fn get(storage: &Storage, id: BattleId) -> Result<Option<StoredBattle>> {
    let row: Option<Row> = conn_run!(storage, |conn| {
        sqlx::query_as(&format!("SELECT {COLUMNS} FROM battles WHERE id = $1"))
            .bind(id.0)
            .fetch_optional(&mut *conn)
            .await?
    });
    row.map(from_row).transpose()
}

/// Stores a PvP challenge (status pending). Refused: oneself, a player in a live battle, a
/// challenger who cannot cover the wager now (it is taken only at accept), a challenger beyond
/// `limits` (too many challenges waiting, the same player challenged too recently).
pub async fn challenge(
    storage: &Storage,
    new: &NewChallenge,
    limits: &ChallengeLimits,
    now: DateTime<Utc>,
) -> Result<StoredBattle> {
    if new.challenger == new.opponent {
        return Err(BattleRefusal::SelfChallenge.into());
    }
    if new.wager < 0 {
        return Err(StorageError::Refused(Refusal::InvalidAmount(
            new.wager.get(),
        )));
    }
    let data = match &new.setup {
        Some(setup) => {
            serde_json::to_value(setup).map_err(|e| StorageError::Corrupt(e.to_string()))?
        }
        None => serde_json::json!({}),
    };
    let id = transaction!(storage, |tx| {
        for u in [new.challenger, new.opponent] {
            users::ensure(tx, u).await?;
            if busy_in(tx, u).await? {
                return Err(BattleRefusal::Busy(u).into());
            }
        }
        let balance = Chrons::new(users::lock(tx, new.challenger).await?);
        check_limits(tx, new, limits, now).await?;
        if new.wager > 0 && balance < new.wager {
            return Err(StorageError::Refused(Refusal::InsufficientFunds {
                needed: new.wager,
                available: balance,
            }));
        }
        let (id,): (i64,) = tx_run!(tx, |conn| {
            sqlx::query_as(
                "INSERT INTO battles (battle_type, guild_id, channel_id, data, status, \
                     challenger_id, opponent_id, wager, expires_at, created_at, updated_at) \
                 VALUES ('pvp', $1, $2, $3, 'pending', $4, $5, $6, $7, $8, $8) RETURNING id",
            )
            .bind(new.guild.map(GuildId::to_db))
            .bind(new.channel.to_db())
            .bind(Json(&data))
            .bind(new.challenger.to_db())
            .bind(new.opponent.to_db())
            .bind(new.wager.get())
            .bind(new.expires_at)
            .bind(now)
            .fetch_one(&mut *conn)
            .await?
        });
        for (side, u) in [(0, new.challenger), (1, new.opponent)] {
            tx_run!(tx, |conn| {
                sqlx::query(
                    "INSERT INTO battle_participants (battle_id, user_id, side, live) \
                     VALUES ($1, $2, $3, FALSE)",
                )
                .bind(id)
                .bind(u.to_db())
                .bind(side)
                .execute(&mut *conn)
                .await?;
            });
        }
        Ok(id)
    })?;
    get(storage, BattleId(id))
        .await?
        .ok_or(BattleRefusal::NotFound(BattleId(id)).into())
}

/// Records where the battle's panel is.
pub async fn set_message(
    storage: &Storage,
    id: BattleId,
    channel: ChannelId,
    message: MessageId,
) -> Result<()> {
    conn_run!(storage, |conn| {
        sqlx::query("UPDATE battles SET channel_id = $1, message_id = $2 WHERE id = $3")
            .bind(channel.to_db())
            .bind(message.to_db())
            .bind(id.0)
            .execute(&mut *conn)
            .await?;
    });
    Ok(())
}

async fn set_live(tx: &mut Tx, id: BattleId, live: bool) -> Result<()> {
    tx_run!(tx, |conn| {
        sqlx::query("UPDATE battle_participants SET live = $1 WHERE battle_id = $2")
            .bind(live)
            .bind(id.0)
            .execute(&mut *conn)
            .await?;
    });
    Ok(())
}

/// The escrow's ledger key of `user` in battle `id`.
pub fn escrow_key(id: BattleId) -> String {
    format!("battle:{id}:escrow")
}

/// The payouts' ledger key of battle `id`.
pub fn payout_key(id: BattleId) -> String {
    format!("battle:{id}:payout")
}

/// The challenged player accepts: in ONE transaction, the challenge row is locked and checked
/// (pending, not expired, `user` is the opponent), both players are locked in id order and
/// must be free, the wager is taken from both through the ledger, and the battle starts with
/// `setup` (or the one stored with the challenge) and `seed`, its first turn due at `deadline`.
#[allow(clippy::too_many_arguments)]
pub async fn accept(
    storage: &Storage,
    id: BattleId,
    user: UserId,
    setup: Option<&Setup>,
    seed: u64,
    deadline: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Result<StoredBattle> {
    let fresh = setup
        .map(serde_json::to_value)
        .transpose()
        .map_err(|e| StorageError::Corrupt(e.to_string()))?;
    transaction!(storage, |tx| {
        let b = lock(tx, id).await?;
        let data = match (&fresh, &b.setup) {
            (Some(d), _) => d.clone(),
            (None, Some(s)) => {
                serde_json::to_value(s).map_err(|e| StorageError::Corrupt(e.to_string()))?
            }
            (None, None) => {
                return Err(StorageError::Corrupt(format!(
                    "battle {id} has no fighters"
                )));
            }
        };
        if b.status != BattleStatus::Pending {
            return Err(BattleRefusal::Over.into());
        }
        if b.opponent != Some(user) {
            return Err(BattleRefusal::NotChallenged(b.opponent.unwrap_or(b.challenger)).into());
        }
        if b.expires_at.is_some_and(|e| e <= now) {
            return Err(BattleRefusal::Expired.into());
        }
        let mut players = b.players();
        players.sort();
        for u in &players {
            users::lock(tx, *u).await?;
        }
        for u in &players {
            if busy_in(tx, *u).await? {
                return Err(BattleRefusal::Busy(*u).into());
            }
        }
        if b.wager > 0 {
            for u in &players {
                let memo = Memo::new(format!("battle #{id} wager"))
                    .kind("battle_wager")
                    .key(escrow_key(id))
                    .at(now);
                let memo = match b.guild {
                    Some(g) => memo.guild(g),
                    None => memo,
                };
                economy::apply(tx, *u, -b.wager, &memo).await?;
            }
        }
        set_live(tx, id, true).await?;
        tx_run!(tx, |conn| {
            sqlx::query(
                "UPDATE battles SET status = 'active', data = $1, seed = $2, turn = 0, \
                     turn_deadline = $3, warned = FALSE, updated_at = $4 WHERE id = $5",
            )
            .bind(Json(&data))
            .bind(seed as i64)
            .bind(deadline)
            .bind(now)
            .bind(id.0)
            .execute(&mut *conn)
            .await?;
        });
        lock(tx, id).await
    })
}

/// The challenge is declined (by the opponent) or withdrawn (by the challenger).
pub async fn decline(
    storage: &Storage,
    id: BattleId,
    user: UserId,
    now: DateTime<Utc>,
) -> Result<StoredBattle> {
    transaction!(storage, |tx| {
        let b = lock(tx, id).await?;
        if b.status != BattleStatus::Pending {
            return Err(BattleRefusal::Over.into());
        }
        if !b.players().contains(&user) {
            return Err(BattleRefusal::NotChallenged(b.opponent.unwrap_or(b.challenger)).into());
        }
        close(tx, id, BattleStatus::Declined, now).await?;
        lock(tx, id).await
    })
}

async fn close(tx: &mut Tx, id: BattleId, status: BattleStatus, now: DateTime<Utc>) -> Result<()> {
    tx_run!(tx, |conn| {
        sqlx::query("UPDATE battles SET status = $1, updated_at = $2 WHERE id = $3")
            .bind(status.as_str())
            .bind(now)
            .bind(id.0)
            .execute(&mut *conn)
            .await?;
    });
    Ok(())
}

/// Marks a pending challenge past its expiry as expired (the expiry job). `None` when it was
/// answered already.
pub async fn expire(
    storage: &Storage,
    id: BattleId,
    now: DateTime<Utc>,
) -> Result<Option<StoredBattle>> {
    transaction!(storage, |tx| {
        let b = lock(tx, id).await?;
        if b.status != BattleStatus::Pending || b.expires_at.is_some_and(|e| e > now) {
            return Ok(None);
        }
        close(tx, id, BattleStatus::Expired, now).await?;
        Ok(Some(lock(tx, id).await?))
    })
}

/// Starts a PvE battle of `user` (already built `setup`): the player, or a team of players, on
/// side 0, `user` (who started it) among them. One transaction locks every player's `users`
/// row in id order and refuses with [`BattleRefusal::Busy`] when one of them is in another live
/// battle; then the battle row and one live participant row per player (the unique index on
/// live players holds one live battle per player even against a race).
#[allow(clippy::too_many_arguments)]
pub async fn start_pve(
    storage: &Storage,
    guild: Option<GuildId>,
    channel: ChannelId,
    user: UserId,
    setup: &Setup,
    seed: u64,
    deadline: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Result<StoredBattle> {
    let data = serde_json::to_value(setup).map_err(|e| StorageError::Corrupt(e.to_string()))?;
    let members: Vec<UserId> = setup.sides[0].iter().filter_map(|c| c.user).collect();
    if !members.contains(&user) {
        return Err(BattleRefusal::NotInBattle.into());
    }
    let mut locked = members.clone();
    locked.sort();
    locked.dedup();
    let id = transaction!(storage, |tx| {
        for u in &locked {
            users::lock(tx, *u).await?;
        }
        for u in &members {
            if busy_in(tx, *u).await? {
                return Err(BattleRefusal::Busy(*u).into());
            }
        }
        let (id,): (i64,) = tx_run!(tx, |conn| {
            sqlx::query_as(
                "INSERT INTO battles (battle_type, guild_id, channel_id, data, seed, status, \
                     challenger_id, turn_deadline, created_at, updated_at) \
                 VALUES ($1, $2, $3, $4, $5, 'active', $6, $7, $8, $8) RETURNING id",
            )
            .bind(setup.kind.as_str())
            .bind(guild.map(GuildId::to_db))
            .bind(channel.to_db())
            .bind(Json(&data))
            .bind(seed as i64)
            .bind(user.to_db())
            .bind(deadline)
            .bind(now)
            .fetch_one(&mut *conn)
            .await?
        });
        for u in &locked {
            tx_run!(tx, |conn| {
                sqlx::query(
                    "INSERT INTO battle_participants (battle_id, user_id, side, live) \
                     VALUES ($1, $2, 0, TRUE)",
                )
                .bind(id)
                .bind(u.to_db())
                .execute(&mut *conn)
                .await?;
            });
        }
        Ok(id)
    })?;
    get(storage, BattleId(id))
        .await?
        .ok_or(BattleRefusal::NotFound(BattleId(id)).into())
}

/// Who acts: a player (a click) or the turn timer (a skip of whoever's turn it is).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Actor {
    /// A player.
    Player(UserId),
    /// The turn timer.
    Timer,
}

/// What [`act`] did.
#[derive(Debug, Clone)]
pub struct Acted {
    /// The row after.
    pub battle: StoredBattle,
    /// The battle after (replayed).
    pub state: Battle,
    /// What each player got, when this action ended it.
    pub payouts: Vec<Payout>,
}

/// The rules and data an [`act`] needs.
pub struct ActRules<'a> {
    /// Battle rules.
    pub rules: &'a BattleRules,
    /// Game tables (the reward gem).
    pub tables: &'a Tables,
    /// The global XP curve.
    pub curve: &'a XpCurve,
}

/// Applies one action to an active battle in ONE transaction: the row is locked, the battle
/// replayed, `turn` must equal the turn the caller drew (else [`BattleRefusal::Stale`]), the
/// actor must be the player whose turn it is (the timer skips whoever it is), the action must
/// be legal; then the action is stored with the next `deadline` (a potion leaves the
/// inventory). When it ends the battle: status finished, winner, end time, participants no
/// longer live, and every payout through the ledger (plus XP and a gem) in this transaction.
#[allow(clippy::too_many_arguments)]
pub async fn act(
    storage: &Storage,
    r: &ActRules<'_>,
    id: BattleId,
    actor: Actor,
    action: &Action,
    turn: u32,
    deadline: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Result<Acted> {
    transaction!(storage, |tx| {
        let b = lock(tx, id).await?;
        if b.status != BattleStatus::Active {
            return Err(BattleRefusal::Over.into());
        }
        if let Actor::Player(u) = actor {
            if !b.players().contains(&u) {
                return Err(BattleRefusal::NotInBattle.into());
            }
        }
        let setup = b
            .setup
            .clone()
            .ok_or_else(|| StorageError::Corrupt(format!("battle {id} has no setup")))?;
        let mut state = rules::run(r.rules, &setup, b.seed, &b.actions)
            .map_err(|(k, e)| StorageError::Corrupt(format!("battle {id} action {k}: {e}")))?;
        if state.outcome.is_some() {
            return Err(BattleRefusal::Over.into());
        }
        if let Actor::Player(u) = actor {
            if state.whose_turn() != Some(u) {
                return Err(BattleRefusal::NotYourTurn.into());
            }
        }
        if b.turn != turn {
            return Err(BattleRefusal::Stale.into());
        }
        state.check(action).map_err(BattleRefusal::Rule)?;
        if let (Action::UseItem { item }, Some(u)) = (action, state.whose_turn()) {
            inventory::remove(tx, u, item, 1, now).await?;
        }
        state.act(r.rules, action).map_err(BattleRefusal::Rule)?;
        let mut actions = b.actions.clone();
        actions.push(action.clone());
        let actions_text =
            serde_json::to_string(&actions).map_err(|e| StorageError::Corrupt(e.to_string()))?;
        let over = state.outcome.is_some();
        let winner = state.winner_user();
        tx_run!(tx, |conn| {
            sqlx::query(
                "UPDATE battles SET actions = $1, turn = $2, turn_deadline = $3, warned = FALSE, \
                     status = $4, winner_id = $5, updated_at = $6 WHERE id = $7",
            )
            .bind(&actions_text)
            .bind(i32::try_from(actions.len()).unwrap_or(i32::MAX))
            .bind(if over { None } else { Some(deadline) })
            .bind(if over { "finished" } else { "active" })
            .bind(winner.map(UserId::to_db))
            .bind(now)
            .bind(id.0)
            .execute(&mut *conn)
            .await?;
        });
        let mut payouts = Vec::new();
        if over {
            set_live(tx, id, false).await?;
            let mut end = state.clone();
            payouts = rules::payouts(r.rules, r.tables, &mut end, b.wager);
            pay(tx, r, &b, &payouts, now).await?;
            for w in state.winning_users() {
                crate::clans::credit_win(tx, id.0, b.kind.as_str(), w, now).await?;
            }
        }
        let battle = lock(tx, id).await?;
        Ok(Acted {
            battle,
            state: state.clone(),
            payouts,
        })
    })
}

async fn pay(
    tx: &mut Tx,
    r: &ActRules<'_>,
    b: &StoredBattle,
    payouts: &[Payout],
    now: DateTime<Utc>,
) -> Result<()> {
    let mut sorted: Vec<&Payout> = payouts.iter().collect();
    sorted.sort_by_key(|p| p.user);
    for p in sorted {
        if p.chrons > 0 {
            let what = if p.won { "win" } else { "consolation" };
            let memo = Memo::new(format!("battle #{} {what}", b.id))
                .kind("battle")
                .key(payout_key(b.id))
                .at(now);
            let memo = match b.guild {
                Some(g) => memo.guild(g),
                None => memo,
            };
            economy::apply(tx, p.user, p.chrons, &memo).await?;
        }
        if p.xp > 0 {
            hunt::add_global_xp(tx, p.user, p.xp, r.curve, now).await?;
        }
        if let Some(g) = &p.gem {
            inventory::add_gem(tx, p.user, g, now).await?;
        }
    }
    Ok(())
}

/// Marks the timeout warning of turn `turn` as given; false when the turn moved on (or it was
/// given already).
pub async fn set_warned(storage: &Storage, id: BattleId, turn: u32) -> Result<bool> {
    let n = conn_run!(storage, |conn| {
        sqlx::query(
            "UPDATE battles SET warned = TRUE WHERE id = $1 AND turn = $2 AND status = 'active' \
             AND NOT warned",
        )
        .bind(id.0)
        .bind(i32::try_from(turn).unwrap_or(i32::MAX))
        .execute(&mut *conn)
        .await?
        .rows_affected()
    });
    Ok(n == 1)
}

/// A player's finished battles, newest first.
pub async fn history(storage: &Storage, user: UserId, limit: i64) -> Result<Vec<StoredBattle>> {
    let sql = format!(
        "SELECT {} FROM battles b JOIN battle_participants p ON p.battle_id = b.id \
         WHERE p.user_id = $1 AND b.status = 'finished' ORDER BY b.updated_at DESC, b.id DESC \
         LIMIT $2",
        COLUMNS
            .split(", ")
            .map(|c| format!("b.{}", c.trim()))
            .collect::<Vec<_>>()
            .join(", ")
    );
    let rows: Vec<Row> = conn_run!(storage, |conn| {
        sqlx::query_as(&sql)
            .bind(user.to_db())
            .bind(limit)
            .fetch_all(&mut *conn)
            .await?
    });
    rows.into_iter().map(from_row).collect()
}

/// A player's record.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Record {
    /// Battles won.
    pub wins: i64,
    /// Battles lost.
    pub losses: i64,
    /// Draws.
    pub draws: i64,
    /// PvP wins.
    pub pvp_wins: i64,
}

/// A player's wins, losses and draws over finished battles (a PvE battle won by a team counts
/// as a win for every member; `winner_id` holds the member who started it).
pub async fn record(storage: &Storage, user: UserId) -> Result<Record> {
    let (total, wins, pvp_wins, draws): (i64, i64, i64, i64) = conn_run!(storage, |conn| {
        sqlx::query_as(
            "SELECT COUNT(*), \
                 COALESCE(SUM(CASE WHEN b.winner_id = $1 OR (b.battle_type <> 'pvp' \
                     AND b.winner_id IS NOT NULL) THEN 1 ELSE 0 END), 0), \
                 COALESCE(SUM(CASE WHEN b.winner_id = $1 AND b.battle_type = 'pvp' THEN 1 ELSE 0 END), 0), \
                 COALESCE(SUM(CASE WHEN b.winner_id IS NULL AND b.battle_type = 'pvp' THEN 1 ELSE 0 END), 0) \
             FROM battles b JOIN battle_participants p ON p.battle_id = b.id \
             WHERE p.user_id = $1 AND b.status = 'finished'",
        )
        .bind(user.to_db())
        .fetch_one(&mut *conn)
        .await?
    });
    Ok(Record {
        wins,
        losses: total - wins - draws,
        draws,
        pvp_wins,
    })
}

/// The battle leaderboard: players by wins (a team's PvE win counts for every member), at most
/// `limit`.
pub async fn top(storage: &Storage, limit: i64) -> Result<Vec<(UserId, i64)>> {
    let rows: Vec<(i64, i64)> = conn_run!(storage, |conn| {
        sqlx::query_as(
            "SELECT p.user_id, COUNT(*) AS wins FROM battles b \
             JOIN battle_participants p ON p.battle_id = b.id \
             WHERE b.status = 'finished' AND b.winner_id IS NOT NULL \
                 AND (b.winner_id = p.user_id OR b.battle_type <> 'pvp') \
             GROUP BY p.user_id ORDER BY wins DESC, p.user_id ASC LIMIT $1",
        )
        .bind(limit)
        .fetch_all(&mut *conn)
        .await?
    });
    Ok(rows
        .into_iter()
        .map(|(u, n)| (UserId::from_db(u), n))
        .collect())
}

/// The active battles (to re-arm their timers after a restart).
pub async fn active(storage: &Storage) -> Result<Vec<StoredBattle>> {
    let rows: Vec<Row> = conn_run!(storage, |conn| {
        sqlx::query_as(&format!(
            "SELECT {COLUMNS} FROM battles WHERE status = 'active' ORDER BY id"
        ))
        .fetch_all(&mut *conn)
        .await?
    });
    rows.into_iter().map(from_row).collect()
}

/// The players of battle `id` (its `battle_participants`), by side.
pub async fn participants(storage: &Storage, id: BattleId) -> Result<Vec<UserId>> {
    let rows: Vec<(i64,)> = conn_run!(storage, |conn| {
        sqlx::query_as(
            "SELECT user_id FROM battle_participants WHERE battle_id = $1 ORDER BY side, user_id",
        )
        .bind(id.0)
        .fetch_all(&mut *conn)
        .await?
    });
    Ok(rows.into_iter().map(|(u,)| UserId::from_db(u)).collect())
}

/// A ledger row of a battle: a wager taken at accept or a payout at the end.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MoneyMove {
    /// The player.
    pub user: UserId,
    /// The change of their wallet.
    pub change: Chrons,
    /// The ledger kind (`battle_wager`, `battle`).
    pub kind: String,
    /// When.
    pub at: DateTime<Utc>,
}

/// The ledger rows of battle `id` (escrowed wagers, then payouts), oldest first.
pub async fn money(storage: &Storage, id: BattleId) -> Result<Vec<MoneyMove>> {
    let rows: Vec<(i64, i64, String, DateTime<Utc>)> = conn_run!(storage, |conn| {
        sqlx::query_as(
            "SELECT user_id, change, kind, created_at FROM transactions \
             WHERE idempotency_key IN ($1, $2) ORDER BY id",
        )
        .bind(escrow_key(id))
        .bind(payout_key(id))
        .fetch_all(&mut *conn)
        .await?
    });
    Ok(rows
        .into_iter()
        .map(|(u, c, kind, at)| MoneyMove {
            user: UserId::from_db(u),
            change: Chrons::new(c),
            kind,
            at,
        })
        .collect())
}
