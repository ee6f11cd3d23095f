//! The one table of configuration keys. `.env.example`, the README table and the
//! loader all come from here; a test keeps `.env.example` in step with it.

/// What kind of value a key takes. The loader checks values against it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Free text.
    Text,
    /// `true` or `false`, nothing else.
    Bool,
    /// A Discord snowflake (a positive 64-bit integer).
    Snowflake,
    /// A comma-separated list of snowflakes.
    SnowflakeList,
    /// A comma-separated list of words.
    List,
    /// A positive integer.
    Int,
    /// A non-negative integer.
    Count,
    /// An hour of the day, 0–23.
    Hour,
    /// A number of seconds (positive integer).
    Seconds,
    /// A TCP port, 1–65535.
    Port,
    /// `host:port`.
    SocketAddr,
    /// A URL.
    Url,
    /// One of a fixed set of words.
    Choice(&'static [&'static str]),
    /// A per-user rate limit: `<hits>/<window>` (`5/10s`, `20/1m`, `100/1h`), or `off`.
    RateLimit,
}

impl Kind {
    /// The word shown in `.env.example` and the README.
    pub fn name(self) -> &'static str {
        match self {
            Kind::Text => "string",
            Kind::Bool => "bool",
            Kind::Snowflake => "snowflake",
            Kind::SnowflakeList => "snowflake list",
            Kind::List => "list",
            Kind::Int => "integer",
            Kind::Count => "integer ≥ 0",
            Kind::Hour => "hour 0–23",
            Kind::Seconds => "seconds",
            Kind::Port => "port",
            Kind::SocketAddr => "host:port",
            Kind::Url => "url",
            Kind::Choice(_) => "choice",
            Kind::RateLimit => "rate limit",
        }
    }
}

/// One configuration key.
#[derive(Debug, Clone, Copy)]
pub struct Key {
    /// Environment variable name.
    pub name: &'static str,
    /// Section in `.env.example` and the README.
    pub section: &'static str,
    /// Value type.
    pub kind: Kind,
    /// Default value as text (empty: unset).
    pub default: &'static str,
    /// A secret: never printed, never logged, redacted in `Debug`.
    pub secret: bool,
    /// What the key does.
    pub doc: &'static str,
    /// A valid example value, used in error messages.
    pub example: &'static str,
}

const fn key(
    name: &'static str,
    section: &'static str,
    kind: Kind,
    default: &'static str,
    doc: &'static str,
    example: &'static str,
) -> Key {
    Key {
        name,
        section,
        kind,
        default,
        secret: false,
        doc,
        example,
    }
}

const fn secret(
    name: &'static str,
    section: &'static str,
    doc: &'static str,
    example: &'static str,
) -> Key {
    Key {
        name,
        section,
        kind: Kind::Text,
        default: "",
        secret: true,
        doc,
        example,
    }
}

const fn flag(name: &'static str, default: &'static str, doc: &'static str) -> Key {
    Key {
        name,
        section: "Features",
        kind: Kind::Bool,
        default,
        secret: false,
        doc,
        example: "true",
    }
}

/// Feature areas with an `ENABLE_*` flag. The names are the feature names used in
/// every layer (`core`, `storage`, `discord`, `web`) and by `chro module disable <name>`.
pub const FEATURES: &[(&str, &str, &str)] = &[
    ("economy", "ENABLE_ECONOMY", "true"),
    ("gameplay", "ENABLE_GAMEPLAY", "true"),
    ("chess", "ENABLE_CHESS", "true"),
    ("moderation", "ENABLE_MODERATION", "true"),
    ("logging", "ENABLE_LOGGING", "true"),
    ("tickets", "ENABLE_TICKETS", "true"),
    ("announcements", "ENABLE_ANNOUNCEMENTS", "true"),
    ("music", "ENABLE_MUSIC", "true"),
    ("feeds", "ENABLE_FEEDS", "true"),
    ("ai", "ENABLE_AI", "false"),
    ("levels", "ENABLE_LEVELS", "true"),
    ("invites", "ENABLE_INVITES", "true"),
    ("welcome", "ENABLE_WELCOME", "true"),
    ("tempvoice", "ENABLE_TEMPVOICE", "true"),
    ("reactionroles", "ENABLE_REACTIONROLES", "true"),
    ("tags", "ENABLE_TAGS", "true"),
    ("giveaways", "ENABLE_GIVEAWAYS", "true"),
    ("events", "ENABLE_EVENTS", "true"),
    ("misc", "ENABLE_MISC", "true"),
    ("owner", "ENABLE_OWNER", "true"),
    ("dashboard", "ENABLE_DASHBOARD", "false"),
    ("battles", "ENABLE_BATTLES", "true"),
    ("clans", "ENABLE_CLANS", "true"),
    ("teams", "ENABLE_TEAMS", "true"),
];

/// Every key Chronix reads.
pub const KEYS: &[Key] = &[
    // --- Discord ---------------------------------------------------------------------------
    secret(
        "DISCORD_TOKEN",
        "Discord",
        "Bot token. Leave empty to start the local sandbox playground instead of Discord.",
        "MTIzNDU2Nzg5MDEyMzQ1Njc4.GaBcDe.xxxxxxxx",
    ),
    key(
        "OWNER_ID",
        "Discord",
        Kind::Snowflake,
        "",
        "Your Discord user id: the only user who can run owner commands.",
        "123456789012345678",
    ),
    key(
        "DEV_GUILD_ID",
        "Discord",
        Kind::Snowflake,
        "",
        "The dev server: owner/dev commands exist only here; slash commands register here in dev mode.",
        "123456789012345678",
    ),
    key(
        "DEV_IDS",
        "Discord",
        Kind::SnowflakeList,
        "",
        "User ids with the dev tier (comma-separated).",
        "1234567890,2345678901",
    ),
    key(
        "DEV_MODE",
        "Discord",
        Kind::Bool,
        "false",
        "Register slash commands on DEV_GUILD_ID only (instant) instead of globally.",
        "true",
    ),
    key(
        "PREFIX",
        "Discord",
        Kind::Text,
        "chro",
        "Text-command prefix (a server can set its own with `chro prefix set`).",
        "chro",
    ),
    key(
        "PREFIX_SHORT",
        "Discord",
        Kind::Text,
        "chro",
        "A second, shorter prefix that also works.",
        "c!",
    ),
    key(
        "DISCORD_API_PROXY",
        "Discord",
        Kind::Url,
        "",
        "Send REST calls to this base URL instead of https://discord.com (the sandbox uses it; \
         the rate limiter is then off, so point it only at a Discord-compatible server).",
        "http://127.0.0.1:8787",
    ),
    key(
        "DISCORD_CDN_URL",
        "Discord",
        Kind::Url,
        "https://cdn.discordapp.com",
        "Where avatars and server banners are downloaded from for rank cards and welcome \
         banners (the sandbox serves its own under /cdn). A picture that cannot be fetched in \
         2 s is drawn as initials instead.",
        "https://cdn.discordapp.com",
    ),
    key(
        "FORCE_OWNER_OVERRIDE",
        "Discord",
        Kind::Bool,
        "false",
        "Let owner commands run outside DEV_GUILD_ID without dashboard confirmation (logged).",
        "false",
    ),
    // --- Storage ---------------------------------------------------------------------------
    Key {
        name: "DATABASE_URL",
        section: "Storage",
        kind: Kind::Url,
        default: "",
        secret: true,
        doc: "postgres://user:pass@host:5432/chronix, or sqlite://path. Empty: an SQLite file \
              chronix.db in DATA_DIR (nothing to install). A Postgres on this machine \
              (localhost, 127.0.0.1, a socket) is reached without TLS unless the URL says \
              sslmode=require.",
        example: "postgres://chronix:secret@db:5432/chronix",
    },
    key(
        "DATABASE_MAX_CONNECTIONS",
        "Storage",
        Kind::Int,
        "10",
        "Size of the database connection pool.",
        "10",
    ),
    key(
        "DATA_DIR",
        "Storage",
        Kind::Text,
        "data",
        "Directory for the SQLite database, log files and backups.",
        "/var/lib/chronix",
    ),
    // --- Logging and health -------------------------------------------------------------------
    key(
        "LOG_LEVEL",
        "Observability",
        Kind::Text,
        "info",
        "tracing filter, e.g. info or chronix=debug,serenity=warn.",
        "info",
    ),
    key(
        "LOG_FORMAT",
        "Observability",
        Kind::Choice(&["pretty", "json"]),
        "pretty",
        "Console log format: pretty (coloured) or json.",
        "json",
    ),
    key(
        "HEALTH_BIND",
        "Observability",
        Kind::SocketAddr,
        "127.0.0.1:9090",
        "Address of /healthz, /readyz and Prometheus /metrics.",
        "0.0.0.0:9090",
    ),
    key(
        "ERROR_LOG_REPEAT_WINDOW_SECS",
        "Observability",
        Kind::Count,
        "300",
        "The same internal error (same server and command) is posted to the error-log channel at most once per this many seconds; repeats are counted and the next report says how many (0: post every one).",
        "300",
    ),
    // --- Features --------------------------------------------------------------------------
    flag(
        "ENABLE_ECONOMY",
        "true",
        "Chrons, daily, pay, shop, bank, bets, leaderboard.",
    ),
    flag(
        "ENABLE_GAMEPLAY",
        "true",
        "Hunt, autohunt, pets, weapons, gems, crates, battles, clans, teams.",
    ),
    flag("ENABLE_CHESS", "true", "Chess games between members."),
    flag(
        "ENABLE_MODERATION",
        "true",
        "Ban, kick, timeout, warn, purge, cases, mass actions.",
    ),
    flag("ENABLE_LOGGING", "true", "Log channels and the logs table."),
    flag(
        "ENABLE_TICKETS",
        "true",
        "Ticket panels, claim, close, transcripts.",
    ),
    flag(
        "ENABLE_ANNOUNCEMENTS",
        "true",
        "Announcement wizard and scheduled announcements.",
    ),
    flag("ENABLE_MUSIC", "true", "Music through Lavalink."),
    flag("ENABLE_FEEDS", "true", "RSS and YouTube feeds."),
    flag(
        "ENABLE_AI",
        "false",
        "AI features (opt-in per server as well).",
    ),
    flag("ENABLE_LEVELS", "true", "Chat XP, levels and level roles."),
    flag("ENABLE_INVITES", "true", "Invite tracking."),
    flag(
        "ENABLE_WELCOME",
        "true",
        "Welcome and farewell messages, auto roles.",
    ),
    flag("ENABLE_TEMPVOICE", "true", "Temporary voice channels."),
    flag("ENABLE_REACTIONROLES", "true", "Reaction and button roles."),
    flag("ENABLE_TAGS", "true", "Custom commands and tags."),
    flag("ENABLE_GIVEAWAYS", "true", "Giveaways."),
    flag("ENABLE_EVENTS", "true", "Scheduled events with RSVP."),
    flag(
        "ENABLE_MISC",
        "true",
        "Utility commands (serverinfo, poll, remind…).",
    ),
    flag("ENABLE_OWNER", "true", "Owner/dev tools on DEV_GUILD_ID."),
    flag("ENABLE_DASHBOARD", "false", "The web dashboard."),
    flag(
        "ENABLE_BATTLES",
        "true",
        "Battles: PvP challenges with wagers, wild and boss fights, replays.",
    ),
    // --- Gameplay --------------------------------------------------------------------------
    key(
        "HUNT_COOLDOWN_SECS",
        "Gameplay",
        Kind::Seconds,
        "15",
        "Cooldown between two hunts of one player.",
        "15",
    ),
    key(
        "AUTOHUNT_INTERVAL_SECS",
        "Gameplay",
        Kind::Seconds,
        "300",
        "Time between two autohunt runs of one session.",
        "300",
    ),
    key(
        "AUTOHUNT_BATCH_SIZE",
        "Gameplay",
        Kind::Int,
        "500",
        "Sessions claimed per scheduler batch.",
        "500",
    ),
    key(
        "AUTOHUNT_WORKERS",
        "Gameplay",
        Kind::Int,
        "4",
        "Autohunt batches the scheduler runs at once (each its own transaction; SKIP LOCKED \
         keeps them apart).",
        "4",
    ),
    key(
        "SCHEDULER_TICK_MS",
        "Gameplay",
        Kind::Int,
        "1000",
        "How often the job scheduler looks for due work, in milliseconds.",
        "1000",
    ),
    key(
        "CRATE_DEFAULTS",
        "Gameplay",
        Kind::List,
        "basic,advanced,mythic",
        "Crate kinds on offer (ids from assets/tables/crates.yaml, comma-separated): `crates` lists \
         them (with the event crates whose window is open); an unknown id stops start-up.",
        "basic,advanced,mythic",
    ),
    key(
        "ITEMS_CONFIRM_TTL_SECS",
        "Gameplay",
        Kind::Seconds,
        "60",
        "How long the confirm dialogs of `forge` (and later `gem empower`, `weapon enhance`) wait \
         for the player's click before they say \"timed out\".",
        "60",
    ),
    // --- Economy ---------------------------------------------------------------------------
    key(
        "ECONOMY_HOUSE_EDGE_BP",
        "Economy",
        Kind::Count,
        "300",
        "House edge of coinflip, dice and slots in basis points (300 = 3 %; the expected \
         return of a bet is 1 − edge).",
        "300",
    ),
    key(
        "ECONOMY_BET_MIN",
        "Economy",
        Kind::Int,
        "10",
        "Smallest bet, in Chrons.",
        "10",
    ),
    key(
        "ECONOMY_BET_MAX",
        "Economy",
        Kind::Int,
        "250000",
        "Largest bet, in Chrons.",
        "250000",
    ),
    key(
        "ECONOMY_DAILY_RESET_HOUR",
        "Economy",
        Kind::Hour,
        "0",
        "Hour (UTC) at which `daily` becomes claimable again; a missed day resets the streak.",
        "0",
    ),
    key(
        "ECONOMY_BANK_RATE_BP",
        "Economy",
        Kind::Count,
        "10",
        "Bank interest per period in basis points (10 = 0.1 %), paid by the scheduler.",
        "10",
    ),
    key(
        "ECONOMY_BANK_CAP",
        "Economy",
        Kind::Count,
        "10000",
        "Most interest one account earns in one period, in Chrons.",
        "10000",
    ),
    key(
        "ECONOMY_PAY_CONFIRM_ABOVE",
        "Economy",
        Kind::Count,
        "10000",
        "`pay` above this many Chrons asks the payer to confirm with a button.",
        "10000",
    ),
    key(
        "ECONOMY_PAY_CONFIRM_TTL_SECS",
        "Economy",
        Kind::Seconds,
        "120",
        "How long a `pay` confirmation waits for the payer's click (kept in the database: a restart meanwhile does not lose it).",
        "120",
    ),
    key(
        "ECONOMY_RATE_LIMIT_BETS",
        "Economy",
        Kind::RateLimit,
        "10/10s",
        "Per-player limit on coinflip, slots and dice bets: uses per window, e.g. 5/10s, 20/1m or 100/1h (off: no limit).",
        "10/10s",
    ),
    key(
        "ECONOMY_RATE_LIMIT_PAY",
        "Economy",
        Kind::RateLimit,
        "10/1m",
        "Per-player limit on `pay`: uses per window, e.g. 5/10s, 20/1m or 100/1h (off: no limit).",
        "10/1m",
    ),
    key(
        "ECONOMY_RATE_LIMIT_TRADE",
        "Economy",
        Kind::RateLimit,
        "10/1m",
        "Per-player limit on opening a `trade`: uses per window, e.g. 5/10s, 20/1m or 100/1h (off: no limit).",
        "10/1m",
    ),
    key(
        "ECONOMY_RATE_LIMIT_MARKET",
        "Economy",
        Kind::RateLimit,
        "20/1m",
        "Per-player limit on `market` commands: uses per window, e.g. 5/10s, 20/1m or 100/1h (off: no limit).",
        "20/1m",
    ),
    key(
        "ECONOMY_RATE_LIMIT_LEADERBOARD",
        "Economy",
        Kind::RateLimit,
        "10/1m",
        "Per-player limit on `leaderboard`: uses per window, e.g. 5/10s, 20/1m or 100/1h (off: no limit).",
        "10/1m",
    ),
    // --- Music -----------------------------------------------------------------------------
    key(
        "MUSIC_DJ_ROLE_REQUIRED",
        "Music",
        Kind::Bool,
        "false",
        "Only members with the server's DJ role may control playback.",
        "true",
    ),
    // --- Tickets ---------------------------------------------------------------------------
    key(
        "TICKETS_DELETE_DELAY_SECS",
        "Tickets",
        Kind::Seconds,
        "60",
        "How long a closed ticket's channel stays (read-only for the opener, reopenable) before \
         a scheduler job deletes it.",
        "60",
    ),
    // --- Temporary voice channels ----------------------------------------------------------
    key(
        "TEMPVOICE_CREATE_LIMIT",
        "Temporary voice",
        Kind::RateLimit,
        "2/1m",
        "Per-member limit on channels created by joining a hub: creations per window, e.g. 2/1m \
         (off: no limit). Past it the member stays in the hub and gets one DM per window.",
        "2/1m",
    ),
    // --- Owner tools, backups ----------------------------------------------------------------
    secret(
        "OWNER_DM_WEBHOOK_URL",
        "Owner",
        "A webhook (in a channel only you can read) that receives a copy of every owner action \
         (with a fresh invite for `owner unban-me`). Empty: no copies.",
        "https://discord.com/api/webhooks/123/abc",
    ),
    key(
        "OWNER_CONFIRM_TTL_SECS",
        "Owner",
        Kind::Seconds,
        "600",
        "How long an owner action that affects another server waits for its Confirm click in \
         the dev server (when FORCE_OWNER_OVERRIDE=false) before it expires.",
        "600",
    ),
    key(
        "HEALTH_REPORT_CHANNEL_ID",
        "Owner",
        Kind::Snowflake,
        "",
        "A channel of the dev server that gets an hourly uptime and health report. Empty: none.",
        "123456789012345678",
    ),
    key(
        "BACKUP_INTERVAL",
        "Owner",
        Kind::Count,
        "0",
        "Seconds between scheduled database backups (SQLite: VACUUM INTO; PostgreSQL: pg_dump). \
         0: no scheduled backups (`chronix backup` and `owner backup` still work).",
        "86400",
    ),
    key(
        "BACKUP_KEEP",
        "Owner",
        Kind::Int,
        "7",
        "How many backups to keep in BACKUP_DIR (the oldest are deleted after each backup).",
        "7",
    ),
    key(
        "BACKUP_DIR",
        "Owner",
        Kind::Text,
        "",
        "Where backups go. Empty: DATA_DIR/backups.",
        "/var/backups/chronix",
    ),
    // --- Invites and mass actions ------------------------------------------------------------
    key(
        "INVITES_FAKE_ACCOUNT_DAYS",
        "Invites",
        Kind::Int,
        "7",
        "A join by an account younger than this many days counts as fake in `invites` (0: none \
         is fake). The age is read from the account's id.",
        "7",
    ),
    key(
        "MASS_ACTION_RATE_LIMIT",
        "Moderation",
        Kind::RateLimit,
        "2/1h",
        "massban/masskick runs started per server and window (a preview does not count).",
        "2/1h",
    ),
    key(
        "MASS_ACTION_BATCH",
        "Moderation",
        Kind::Int,
        "50",
        "Members a mass action handles per step (bans go through Discord's bulk-ban endpoint, at \
         most 200 per call; kicks one call each); the progress message is edited after each step.",
        "50",
    ),
    // --- Logging (log channels) ---------------------------------------------------------------
    key(
        "LOG_NON_AUDIT_EVENTS",
        "Logging",
        Kind::Bool,
        "true",
        "Log events Discord's audit log does not record (message edits and deletes, voice joins, \
         leaves and moves, pins, member role and nickname changes) to the log channels.",
        "true",
    ),
    key(
        "LOG_RETENTION_DAYS",
        "Logging",
        Kind::Int,
        "90",
        "Rows of the `logs` table older than this many days are pruned by a scheduler job.",
        "90",
    ),
    key(
        "LOG_MESSAGE_CACHE_SIZE",
        "Logging",
        Kind::Count,
        "50000",
        "Messages kept in memory (content, author, attachments) so an edit or delete can show the \
         old content; the oldest go first (0: keep none).",
        "50000",
    ),
    key(
        "LOG_MESSAGE_CACHE_SECS",
        "Logging",
        Kind::Seconds,
        "86400",
        "How long a cached message is kept; an edit or delete of an older message says the old \
         content is unknown.",
        "86400",
    ),
    key(
        "LOG_POST_RATE",
        "Logging",
        Kind::RateLimit,
        "5/5s",
        "Log messages posted per log channel and window (Discord allows about 5 per 5 s per \
         channel); entries beyond it wait, coalesced up to 10 embeds per message.",
        "5/5s",
    ),
    key(
        "LOG_CHANNEL_BACKLOG",
        "Logging",
        Kind::Int,
        "2000",
        "Entries waiting to be posted per log channel; beyond it entries are stored but not \
         posted, and the channel gets a count of what it missed.",
        "2000",
    ),
    key(
        "LOG_GAMEPLAY_MIN_CHRONS",
        "Logging",
        Kind::Int,
        "10000",
        "gameplay-logs gets payments and bets of at least this many Chrons (rare crate drops \
         always).",
        "10000",
    ),
    // --- Feeds and AI --------------------------------------------------------------------------
    // --- Dashboard ---------------------------------------------------------------------------
    // --- Battles -----------------------------------------------------------------------------
    key(
        "BATTLE_TURN_SECS",
        "Battles",
        Kind::Seconds,
        "60",
        "Time a player has for each battle turn (a warning at half time); then the turn is \
         skipped by a scheduler job.",
        "60",
    ),
    key(
        "BATTLE_MAX_MISSED_TURNS",
        "Battles",
        Kind::Int,
        "2",
        "Timed-out turns in a row after which a player forfeits the battle.",
        "2",
    ),
    key(
        "BATTLE_CHALLENGE_SECS",
        "Battles",
        Kind::Seconds,
        "120",
        "How long a `battle @user` challenge waits for Accept before it expires.",
        "120",
    ),
    key(
        "BATTLE_MAX_PENDING_CHALLENGES",
        "Battles",
        Kind::Int,
        "3",
        "Most challenges a player may have waiting for an answer at once; another is refused \
         until one is answered or expires.",
        "3",
    ),
    key(
        "BATTLE_RECHALLENGE_SECS",
        "Battles",
        Kind::Count,
        "120",
        "After a challenge is declined, withdrawn or expires, how long the challenger must wait \
         before challenging the same player again (0: no wait).",
        "120",
    ),
    // --- Clans and teams -----------------------------------------------------------------------
    flag(
        "ENABLE_CLANS",
        "true",
        "Clans: treasury, BP perks (applied to hunt, autohunt and the shop), weekly clan wars.",
    ),
    flag(
        "ENABLE_TEAMS",
        "true",
        "Teams: small groups that hunt together and share the loot.",
    ),
    key(
        "CLANS_CREATE_COST",
        "Gameplay",
        Kind::Count,
        "5000",
        "Chrons `clan create` costs (taken from the founder's wallet through the ledger; 0: free).",
        "5000",
    ),
    key(
        "CLANS_WAR_PRIZE",
        "Gameplay",
        Kind::Count,
        "2500",
        "Chrons paid into the treasury of each clan that wins its pairing in the weekly clan war \
         (with the BP of clans.yaml; 0: BP only).",
        "2500",
    ),
];

/// Look a key up by name.
pub fn find(name: &str) -> Option<&'static Key> {
    KEYS.iter().find(|k| k.name == name)
}
