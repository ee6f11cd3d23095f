//! The playground: `chronix sandbox` (and `chronix` without `DISCORD_TOKEN`).
//!
//! Starts the local sandbox (a Discord-compatible server), a demo guild "Chronix Playground"
//! (you are its owner; alice and bob are members; #general, #bot-commands, #error-log and the
//! voice channel lounge), and the real bot on SQLite (`DATA_DIR/playground.db`). Then reads
//! lines from standard input:
//!
//! * `chro pay @alice 50`: a message in the current channel (any text is sent as a message;
//!   typed `@name`, `#channel` and `@&role` are sent as mentions, as picking them in Discord);
//! * `/help`, `/prefix set !`, `/help command:ping`: a slash command (arguments fill the
//!   options in order; `name:value` picks an option by name);
//! * `!click Next`: press a button (by label or custom id) on the latest message with buttons;
//! * `!select <menu> <values…>`, `!modal <field>=<value> …`: pick in a select menu, submit the
//!   form the bot opened;
//! * `!join-voice lounge`, `!leave-voice`;
//! * `!as alice <line>`: run any line (text, `/command`, `!click …`) as another member (alice
//!   and bob are not admins); `!as carol` with a new name makes carol join by an invite;
//! * `!channel bot-commands`: switch channel; `!help`; `!quit`.
//!
//! Every message or edit the bot makes is printed with `render::message_to_text` (mentions by
//! name, `<t:…>` timestamps as dates and "in 5 minutes"). With piped
//! input (`printf 'chro ping\n/help\n' | chronix sandbox`) each line runs in turn and the
//! playground exits at the end of input, after the last reply is printed.

use chronix_core::ids::{ChannelId, GuildId};
use std::collections::BTreeMap;
use std::io::{IsTerminal, Write};
use std::time::{Duration, Instant};

use anyhow::Context as _;
use chronix_config::{Config, Secret};
use chronix_discord::BotOptions;
use chronix_sandbox::render::message_to_text;
use chronix_sandbox::{
    ChannelKind, CommandCall, FeedKind, Id, InteractionResponse, InteractionStatus, Sandbox,
    SandboxConfig,
};
use serde_json::Value;
use tokio::io::AsyncBufReadExt;

/// How long to wait for the first reply to an action.
const FIRST_REPLY: Duration = Duration::from_secs(5);
/// The bot is considered done once nothing new happened for this long.
const QUIET: Duration = Duration::from_millis(400);

/// The demo world.
struct World {
    out: Box<dyn Write + Send>,
    sb: Sandbox,
    guild: Id,
    users: BTreeMap<String, Id>,
    channels: BTreeMap<String, Id>,
    channel: Id,
    you: Id,
    voice: BTreeMap<String, Id>,
    feed_seen: usize,
    last_with_buttons: Option<Id>,
    last_with_selects: Option<Id>,
    /// The interaction the bot answered with the form that is open.
    last_modal: Option<chronix_sandbox::Interaction>,
}

/// Fold a label as a person reads it: `Next ▶` and `next` match (case and symbols ignored).
fn fold(s: &str) -> String {
    s.chars()
        .filter(|c| c.is_alphanumeric() || *c == '/')
        .flat_map(char::to_lowercase)
        .collect()
}

/// A modal (`{title, components}`) as a form: one line per text input, with how to answer.
fn modal_to_text(modal: &Value) -> String {
    let mut out = format!(
        "── Chronix opens a form: {} ──\n",
        modal["title"].as_str().unwrap_or_default()
    );
    for c in modal["components"]
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|row| row["components"].as_array().cloned().unwrap_or_default())
    {
        let required = if c["required"].as_bool().unwrap_or(true) {
            " (required)"
        } else {
            ""
        };
        out.push_str(&format!(
            "  {}: {}{required}\n",
            c["custom_id"].as_str().unwrap_or_default(),
            c["label"].as_str().unwrap_or_default()
        ));
    }
    out.push_str("(answer with !modal <field>=<value> …)\n");
    out
}

/// Run the playground on standard input and output until the end of input or `!quit`.
pub async fn run(config: Config) -> anyhow::Result<()> {
    let interactive = std::io::stdin().is_terminal();
    let input = tokio::io::BufReader::new(tokio::io::stdin());
    run_with(config, input, Box::new(std::io::stdout()), interactive).await
}

/// Run the playground on any input and output (tests feed a script and read the transcript).
/// `interactive` shows a prompt; otherwise each input line is echoed before its replies.
pub async fn run_with(
    mut config: Config,
    input: impl tokio::io::AsyncBufRead + Unpin,
    mut out: Box<dyn Write + Send>,
    interactive: bool,
) -> anyhow::Result<()> {
    let sb = Sandbox::start_with(SandboxConfig {
        heartbeat_interval: Duration::from_secs(5),
        ..SandboxConfig::default()
    })
    .await
    .context("starting the sandbox")?;
    let g = sb.create_guild("Chronix Playground");
    let you = g.owner_id;
    sb.with_state_mut(|st| {
        if let Some(u) = st.users.get_mut(&you) {
            u.name = "you".into();
        }
    });
    let alice = sb.create_user("alice");
    let bob = sb.create_user("bob");
    sb.add_member(g.id, alice);
    sb.add_member(g.id, bob);
    let bot_commands = sb.create_channel(g.id, "bot-commands", ChannelKind::Text);
    let error_log = sb.create_channel(g.id, "error-log", ChannelKind::Text);
    let lounge = sb.create_channel(g.id, "lounge", ChannelKind::Voice);

    config.discord_token = Secret::new(Some(sb.token().to_string()));
    config.discord_api_proxy = Some(sb.base_url().to_string());
    config.discord_cdn_url = format!("{}/cdn", sb.base_url().trim_end_matches('/'));
    config.dev_guild_id = Some(g.id);
    config.owner_id = Some(you);
    config.dev_mode = true;
    let db_path = config.data_dir.join("playground.db");
    if let Some(dir) = db_path.parent() {
        std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    }
    config.database_url = Secret::new(Some(format!("sqlite://{}?mode=rwc", db_path.display())));
    config.database_max_connections = 4;
    let storage = crate::connect_and_migrate(&config)
        .await
        .with_context(|| format!("opening {}", db_path.display()))?;
    // A fresh guild id each run: point its error reports at #error-log.
    chronix_storage::guild_settings::set_error_log_channel(
        &storage,
        GuildId::new(g.id),
        Some(ChannelId::new(error_log)),
    )
    .await
    .context("setting the error-log channel")?;

    let bot = chronix_discord::start(config, storage, BotOptions::default()).await?;
    sb.wait_for_ready(Duration::from_secs(15))
        .await
        .context("the bot did not connect to the sandbox")?;
    let deadline = Instant::now() + Duration::from_secs(10);
    while sb.commands().is_empty() && Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }

    writeln!(
        out,
        "Chronix playground: guild \"Chronix Playground\", you are the owner, alice and bob are members.\n\
         Type `chro help`, `/ping`, `chro pay @alice 50`, `!click Next`, `!as alice !click Next`, `!channel error-log`, `!help` or `!quit`."
    )?;
    let mut world = World {
        out,
        feed_seen: sb.feed().len(),
        sb,
        guild: g.id,
        users: BTreeMap::from([
            ("you".into(), you),
            ("alice".into(), alice),
            ("bob".into(), bob),
        ]),
        channels: BTreeMap::from([
            ("general".into(), g.general),
            ("bot-commands".into(), bot_commands),
            ("error-log".into(), error_log),
        ]),
        voice: BTreeMap::from([("lounge".into(), lounge)]),
        channel: g.general,
        you,
        last_with_buttons: None,
        last_with_selects: None,
        last_modal: None,
    };
    let mut lines = input.lines();
    loop {
        if interactive {
            let prompt = format!("#{}> ", world.channel_name(world.channel));
            world.write(&prompt);
        }
        let Some(line) = lines.next_line().await? else {
            break;
        };
        let line = line.trim();
        if line.is_empty() {
            continue;
        }
        if !interactive {
            let echo = format!("#{}> {line}\n", world.channel_name(world.channel));
            world.write(&echo);
        }
        match world.handle(line).await {
            Ok(true) => {}
            Ok(false) => break,
            Err(e) => world.write(&format!("⚠️  {e:#}\n")),
        }
    }
    bot.shutdown().await;
    Ok(())
}

impl World {
    /// The exact label (or custom id) of the button `typed` names on message `mid`: `next`
    /// finds `Next ▶` (case and symbols ignored), as a person reads the button.
    fn button_label(&self, mid: Id, typed: &str) -> String {
        let want = fold(typed);
        let buttons = self
            .sb
            .messages_in(self.channel)
            .into_iter()
            .find(|m| m.id == mid)
            .map(|m| m.buttons())
            .unwrap_or_default();
        buttons
            .into_iter()
            .filter_map(|(_, label, _)| label)
            .find(|l| *l == typed || (!want.is_empty() && fold(l) == want))
            .unwrap_or_else(|| typed.to_string())
    }

    fn write(&mut self, text: &str) {
        let _ = self.out.write_all(text.as_bytes());
        let _ = self.out.flush();
    }

    fn channel_name(&self, id: Id) -> String {
        self.channels
            .iter()
            .find(|(_, c)| **c == id)
            .map(|(n, _)| n.clone())
            .unwrap_or_else(|| id.to_string())
    }

    /// Run one input line; `Ok(false)` ends the session. `!as <name> <line>` runs any line
    /// (text, `/command` or `!verb`) as that member; `!as <new name>` makes a new user join by
    /// an invite first.
    async fn handle(&mut self, line: &str) -> anyhow::Result<bool> {
        let mut user = self.you;
        let mut line = line;
        if let Some(rest) = line.strip_prefix("!as ") {
            let rest = rest.trim();
            let (who, tail) = rest.split_once(' ').unwrap_or((rest, ""));
            let who = who.trim_start_matches('@');
            user = match self.users.get(who) {
                Some(id) => *id,
                None => self.join_new_member(who).await?,
            };
            line = tail.trim();
            if line.is_empty() {
                return Ok(true);
            }
        }
        let Some(cmd) = line.strip_prefix('!') else {
            self.act(user, line).await?;
            return Ok(true);
        };
        let (word, rest) = cmd.split_once(' ').unwrap_or((cmd, ""));
        let rest = rest.trim();
        match word {
            "quit" | "exit" => return Ok(false),
            "help" => {
                let text = format!(
                    "  <text>                 send a message (e.g. chro ping; @alice, #general, @&role become mentions)\n  \
                     /<command> [args]      run a slash command (e.g. /help, /prefix set !, /help command:ping)\n  \
                     !click <label>         press a button on the latest message with buttons\n  \
                     !select <menu> <vals>  pick values in a select menu (by custom id or placeholder)\n  \
                     !modal <field>=<value> fill in and submit the form the bot opened\n  \
                     !join-voice <channel>  join a voice channel ({}); !leave-voice leaves it\n  \
                     !as <user> <line>      run any line as alice or bob; a new name joins by an invite\n  \
                     !channel <name>        switch channel ({})\n  \
                     !quit                  leave\n",
                    self.voice.keys().cloned().collect::<Vec<_>>().join(", "),
                    self.channels.keys().cloned().collect::<Vec<_>>().join(", ")
                );
                self.write(&text);
            }
            "click" => {
                let mid = self
                    .last_with_buttons
                    .context("no message with buttons yet")?;
                let label = self.button_label(mid, rest);
                let i = self.sb.click_button(user, mid, &label)?;
                self.answered(&i).await;
            }
            "select" => {
                let (mid, custom_id, values) = self.select_args(rest)?;
                let values: Vec<&str> = values.iter().map(String::as_str).collect();
                let i = self.sb.select(user, mid, &custom_id, &values)?;
                self.answered(&i).await;
            }
            "modal" => {
                let opened_by = self
                    .last_modal
                    .clone()
                    .context("no form is open (a button or command opens one)")?;
                let values = self.modal_values(&opened_by, rest)?;
                let pairs: Vec<(&str, &str)> = values
                    .iter()
                    .map(|(k, v)| (k.as_str(), v.as_str()))
                    .collect();
                let i = self.sb.submit_modal(user, &opened_by, &pairs)?;
                self.last_modal = None;
                self.answered(&i).await;
            }
            "join-voice" => {
                let name = rest.trim_start_matches('#');
                let c = *self
                    .voice
                    .get(name)
                    .with_context(|| format!("no voice channel called {rest}"))?;
                self.sb.join_voice(user, self.guild, c);
                let text = format!("({} joined voice {name})\n", self.user_name(user));
                self.write(&text);
                self.print_activity(false).await;
            }
            "leave-voice" => {
                self.sb.leave_voice(user, self.guild);
                let text = format!("({} left voice)\n", self.user_name(user));
                self.write(&text);
                self.print_activity(false).await;
            }
            "channel" => {
                let c = *self
                    .channels
                    .get(rest.trim_start_matches('#'))
                    .with_context(|| format!("no channel called {rest}"))?;
                self.channel = c;
                let text = format!("(now in #{})\n", self.channel_name(c));
                self.write(&text);
            }
            _ => {
                // Not a playground command: send it as a message.
                self.act(user, line).await?;
            }
        }
        Ok(true)
    }

    /// A new user called `name` joins the guild through an invite the owner made.
    async fn join_new_member(&mut self, name: &str) -> anyhow::Result<Id> {
        anyhow::ensure!(
            !name.is_empty() && name.chars().all(|c| c.is_alphanumeric() || c == '_'),
            "usage: !as <user> <line> (a new user's name is letters, digits and _)"
        );
        let uid = self.sb.create_user(name);
        let code = format!("play{}", self.users.len());
        let (guild, channel, you) = (self.guild, self.channel, self.you);
        self.sb.with_state_mut(|st| {
            st.invites.insert(
                code.clone(),
                chronix_sandbox::Invite {
                    code: code.clone(),
                    guild_id: guild,
                    channel_id: channel,
                    inviter_id: you,
                    max_age: 0,
                    max_uses: 0,
                    uses: 0,
                    temporary: false,
                    created_at: chrono::Utc::now(),
                },
            );
        });
        self.sb.join_via_invite(uid, &code)?;
        self.users.insert(name.to_string(), uid);
        let text = format!("({name} joined the guild with invite {code})\n");
        self.write(&text);
        self.print_activity(false).await;
        Ok(uid)
    }

    fn user_name(&self, id: Id) -> String {
        self.users
            .iter()
            .find(|(_, u)| **u == id)
            .map(|(n, _)| n.clone())
            .unwrap_or_else(|| id.to_string())
    }

    /// After a click, select, modal or command: show a form the bot opened, then the bot's
    /// messages.
    async fn answered(&mut self, i: &chronix_sandbox::Interaction) {
        let shown = match self.sb.wait_for_response(i, FIRST_REPLY).await {
            Ok(InteractionResponse::Modal(modal)) => {
                self.last_modal = Some(i.clone());
                let text = modal_to_text(&modal);
                self.write(&text);
                true
            }
            _ => false,
        };
        self.print_activity(!shown).await;
    }

    /// `!select` arguments: the latest message with a select menu, the menu (by custom id or
    /// placeholder, the longest leading words that name one; the only menu otherwise) and the
    /// values (option labels or values; member, role and channel names for those selects).
    fn select_args(&self, rest: &str) -> anyhow::Result<(Id, String, Vec<String>)> {
        let mid = self
            .last_with_selects
            .context("no message with a select menu yet")?;
        let m = self
            .sb
            .message(mid)
            .context("the select menu's message is gone")?;
        let selects: Vec<Value> = m
            .components
            .iter()
            .flat_map(|row| row["components"].as_array().cloned().unwrap_or_default())
            .filter(|c| matches!(c["type"].as_u64(), Some(3 | 5 | 6 | 7 | 8)))
            .collect();
        let words: Vec<&str> = rest.split_whitespace().collect();
        let mut found = None;
        for k in (1..=words.len()).rev() {
            let name = words[..k].join(" ");
            if let Some(c) = selects.iter().find(|c| {
                c["custom_id"] == name.as_str()
                    || c["placeholder"]
                        .as_str()
                        .is_some_and(|p| fold(p) == fold(&name))
            }) {
                found = Some((c.clone(), k));
                break;
            }
        }
        let (menu, used) = match found {
            Some(f) => f,
            None if selects.len() == 1 => (selects[0].clone(), 0),
            None => anyhow::bail!("no select menu called `{rest}` on the latest message"),
        };
        let custom_id = menu["custom_id"].as_str().unwrap_or_default().to_string();
        let roles: Vec<(String, Id)> = self.sb.with_state(|st| {
            st.roles
                .values()
                .filter(|r| r.guild_id == self.guild)
                .map(|r| (r.name.clone(), r.id))
                .collect()
        });
        let values = words[used..]
            .iter()
            .map(|w| {
                let bare = w.trim_start_matches(['@', '&', '#']);
                let by_name = match menu["type"].as_u64() {
                    Some(3) => menu["options"]
                        .as_array()
                        .into_iter()
                        .flatten()
                        .find(|o| {
                            o["value"] == *w
                                || o["label"].as_str().is_some_and(|l| fold(l) == fold(w))
                        })
                        .and_then(|o| o["value"].as_str().map(str::to_owned)),
                    Some(5 | 7) => self.users.get(bare).map(Id::to_string).or_else(|| {
                        roles
                            .iter()
                            .find(|(n, _)| n == bare)
                            .map(|(_, id)| id.to_string())
                    }),
                    Some(6) => roles
                        .iter()
                        .find(|(n, _)| n == bare)
                        .map(|(_, id)| id.to_string()),
                    Some(8) => self
                        .channels
                        .get(bare)
                        .or_else(|| self.voice.get(bare))
                        .map(Id::to_string),
                    _ => None,
                };
                by_name.unwrap_or_else(|| (*w).to_string())
            })
            .collect();
        Ok((mid, custom_id, values))
    }

    /// `!modal` arguments: `field=value` pairs (a field by custom id or label; a value runs
    /// until the next `field=`).
    fn modal_values(
        &self,
        opened_by: &chronix_sandbox::Interaction,
        rest: &str,
    ) -> anyhow::Result<Vec<(String, String)>> {
        let Some(chronix_sandbox::Interaction {
            status: InteractionStatus::Responded(InteractionResponse::Modal(modal)),
            ..
        }) = self.sb.interaction(opened_by.id)
        else {
            anyhow::bail!("the form is no longer open");
        };
        let inputs: Vec<(String, String)> = modal["components"]
            .as_array()
            .into_iter()
            .flatten()
            .flat_map(|row| row["components"].as_array().cloned().unwrap_or_default())
            .map(|c| {
                (
                    c["custom_id"].as_str().unwrap_or_default().to_string(),
                    c["label"].as_str().unwrap_or_default().to_string(),
                )
            })
            .collect();
        let field = |k: &str| {
            inputs
                .iter()
                .find(|(id, label)| id == k || fold(label) == fold(k))
                .map(|(id, _)| id.clone())
        };
        let mut out: Vec<(String, String)> = Vec::new();
        for w in rest.split_whitespace() {
            match w.split_once('=').and_then(|(k, v)| Some((field(k)?, v))) {
                Some((id, v)) => out.push((id, v.to_string())),
                None => match out.last_mut() {
                    Some((_, v)) => {
                        v.push(' ');
                        v.push_str(w);
                    }
                    None => anyhow::bail!(
                        "usage: !modal <field>=<value> … (fields: {})",
                        inputs
                            .iter()
                            .map(|(id, _)| id.as_str())
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                },
            }
        }
        Ok(out)
    }

    async fn act(&mut self, user: Id, text: &str) -> anyhow::Result<()> {
        if let Some(slash) = text.strip_prefix('/') {
            let registered: Vec<(String, Value)> = self
                .sb
                .commands()
                .into_iter()
                .filter(|c| c.guild_id.is_none() || c.guild_id == Some(self.guild))
                .map(|c| (c.name, c.json))
                .collect();
            let call = parse_slash(slash, &registered, &self.users).map_err(anyhow::Error::msg)?;
            let i = self.sb.run_command(user, self.channel, call)?;
            self.answered(&i).await;
        } else {
            let content = self.with_mentions(text);
            self.sb.send_message(user, self.channel, &content);
            self.print_activity(true).await;
        }
        Ok(())
    }

    /// Typed `@name`, `#channel` and `@&role` as the mentions a client sends when they are
    /// picked (`<@id>`, `<#id>`, `<@&id>`); unknown names stay text.
    fn with_mentions(&self, text: &str) -> String {
        let roles: Vec<(String, Id)> = self.sb.with_state(|st| {
            st.roles
                .values()
                .filter(|r| r.guild_id == self.guild && r.id != self.guild)
                .map(|r| (r.name.clone(), r.id))
                .collect()
        });
        to_mentions(text, |sigil, name| match sigil {
            "@" => self.users.get(name).map(|id| format!("<@{id}>")),
            "#" => self
                .channels
                .get(name)
                .or_else(|| self.voice.get(name))
                .map(|id| format!("<#{id}>")),
            _ => roles
                .iter()
                .find(|(n, _)| n == name)
                .map(|(_, id)| format!("<@&{id}>")),
        })
    }

    /// Mentions shown as a client shows them: members (`<@id>`, `<@!id>`) as `@name`,
    /// channels (`<#id>`) as `#name`, roles (`<@&id>`) as `@name`.
    fn with_names(&self, text: &str) -> String {
        let mut out = text.to_string();
        for (name, id) in &self.users {
            for form in [format!("<@{id}>"), format!("<@!{id}>")] {
                out = out.replace(&form, &format!("@{name}"));
            }
        }
        for (name, id) in self.channels.iter().chain(&self.voice) {
            out = out.replace(&format!("<#{id}>"), &format!("#{name}"));
        }
        let roles: Vec<(String, Id)> = self.sb.with_state(|st| {
            st.roles
                .values()
                .filter(|r| r.guild_id == self.guild)
                .map(|r| (r.name.clone(), r.id))
                .collect()
        });
        for (name, id) in roles {
            out = out.replace(&format!("<@&{id}>"), &format!("@{name}"));
        }
        out
    }

    /// Print everything the bot did since the last call: wait up to [`FIRST_REPLY`] for
    /// something, then until nothing happens for [`QUIET`].
    async fn print_activity(&mut self, expect_reply: bool) {
        let start = Instant::now();
        let mut last_change = None::<Instant>;
        loop {
            let feed = self.sb.feed();
            if feed.len() > self.feed_seen {
                for item in &feed[self.feed_seen..] {
                    let m = &item.message;
                    if m.visible_to
                        .is_some_and(|u| !self.users.values().any(|x| *x == u))
                    {
                        continue;
                    }
                    let what = match item.kind {
                        FeedKind::Created => "",
                        FeedKind::Edited => " (edited)",
                        FeedKind::Deleted => " (deleted)",
                    };
                    let text = format!(
                        "── Chronix in #{}{what} ──\n{}\n",
                        self.channel_name(m.channel_id),
                        self.with_names(message_to_text(m).trim_end())
                    );
                    self.write(&text);
                    if !m.buttons().is_empty() && item.kind != FeedKind::Deleted {
                        self.last_with_buttons = Some(m.id);
                    }
                    let has_select = m.components.iter().any(|row| {
                        row["components"]
                            .as_array()
                            .into_iter()
                            .flatten()
                            .any(|c| matches!(c["type"].as_u64(), Some(3 | 5 | 6 | 7 | 8)))
                    });
                    if has_select && item.kind != FeedKind::Deleted {
                        self.last_with_selects = Some(m.id);
                    }
                }
                self.feed_seen = feed.len();
                last_change = Some(Instant::now());
            }
            match last_change {
                Some(t) if t.elapsed() >= QUIET => break,
                None if !expect_reply && start.elapsed() >= QUIET => break,
                None if start.elapsed() >= FIRST_REPLY => {
                    self.write("(no reply)\n");
                    break;
                }
                _ => {}
            }
            tokio::time::sleep(Duration::from_millis(25)).await;
        }
    }
}

/// Replace each `@name`, `#name` and `@&name` (at a word start; names of letters, digits, `_`
/// and `-`) with what `lookup(sigil, name)` returns; unknown names stay as typed.
pub fn to_mentions(text: &str, lookup: impl Fn(&str, &str) -> Option<String>) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(i) = rest.find(['@', '#']) {
        let boundary = rest[..i]
            .chars()
            .next_back()
            .is_none_or(|c| !c.is_alphanumeric());
        out.push_str(&rest[..i]);
        let (sigil, tail) = if rest[i..].starts_with("@&") {
            ("@&", &rest[i + 2..])
        } else {
            (&rest[i..i + 1], &rest[i + 1..])
        };
        let len = tail
            .find(|c: char| !(c.is_alphanumeric() || c == '_' || c == '-'))
            .unwrap_or(tail.len());
        let name = &tail[..len];
        let id = if !boundary || name.is_empty() {
            None
        } else {
            lookup(sigil, name)
        };
        match id {
            Some(m) => out.push_str(&m),
            None => {
                out.push_str(sigil);
                out.push_str(name);
            }
        }
        rest = &tail[len..];
    }
    out.push_str(rest);
    out
}

/// Turn `prefix set !` into a [`CommandCall`] using the registered schema: subcommands
/// first, then options in order (`name:value` picks by name; the last string option takes the
/// rest of the line). A user option accepts a member's name (`alice`, `@alice`) from `users`.
pub fn parse_slash(
    input: &str,
    registered: &[(String, Value)],
    users: &BTreeMap<String, Id>,
) -> Result<CommandCall, String> {
    // Discord option types 6 (user) and 9 (mentionable) take an id: resolve member names.
    let value_for = |o: &Value, v: &str| -> String {
        let is_user = o["type"] == 6 || o["type"] == 9;
        match users.get(v.trim_start_matches('@')) {
            Some(id) if is_user => id.to_string(),
            _ => v.to_string(),
        }
    };
    let mut words: Vec<&str> = input.split_whitespace().collect();
    if words.is_empty() {
        return Err("type a command after /".into());
    }
    let name = words.remove(0).to_lowercase();
    let (_, json) = registered
        .iter()
        .find(|(n, _)| *n == name)
        .ok_or_else(|| format!("no slash command /{name} is registered"))?;
    let mut call = CommandCall::new(&name);
    let mut options: Vec<Value> = json["options"].as_array().cloned().unwrap_or_default();
    // Descend into subcommand groups (2) and subcommands (1).
    while options.iter().any(|o| o["type"] == 1 || o["type"] == 2) {
        let Some(sub) = words.first().map(|w| w.to_lowercase()) else {
            let subs: Vec<&str> = options.iter().filter_map(|o| o["name"].as_str()).collect();
            return Err(format!("/{name} needs a subcommand: {}", subs.join(", ")));
        };
        let found = options
            .iter()
            .find(|o| o["name"] == sub.as_str())
            .cloned()
            .ok_or_else(|| format!("/{name} has no subcommand {sub}"))?;
        words.remove(0);
        call = call.sub(&sub);
        options = found["options"].as_array().cloned().unwrap_or_default();
    }
    let mut positional = Vec::new();
    for w in &words {
        match w.split_once(':') {
            Some((k, v)) if options.iter().any(|o| o["name"] == *k) => {
                let o = options
                    .iter()
                    .find(|o| o["name"] == *k)
                    .unwrap_or(&Value::Null);
                call = call.opt(k, value_for(o, v).as_str());
            }
            _ => positional.push(*w),
        }
    }
    let free: Vec<&Value> = options
        .iter()
        .filter(|o| !call.options.iter().any(|(n, _)| o["name"] == n.as_str()))
        .collect();
    let mut i = 0;
    for (k, o) in free.iter().enumerate() {
        if i >= positional.len() {
            break;
        }
        let oname = o["name"].as_str().unwrap_or_default();
        let last = k + 1 == free.len();
        let value = if last && o["type"] == 3 {
            let v = positional[i..].join(" ");
            i = positional.len();
            v
        } else {
            let v = value_for(o, positional[i]);
            i += 1;
            v
        };
        call = call.opt(oname, value.as_str());
    }
    if i < positional.len() {
        return Err(format!(
            "too many arguments for /{name}: {}",
            positional[i..].join(" ")
        ));
    }
    Ok(call)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chronix_sandbox::OptValue;
    use serde_json::json;

    fn registered() -> Vec<(String, Value)> {
        vec![
            ("ping".into(), json!({"name": "ping"})),
            (
                "help".into(),
                json!({"name": "help", "options": [{"type": 3, "name": "command"}]}),
            ),
            (
                "prefix".into(),
                json!({"name": "prefix", "options": [
                    {"type": 1, "name": "set", "options": [{"type": 3, "name": "new_prefix"}]},
                    {"type": 1, "name": "reset"}
                ]}),
            ),
        ]
    }

    #[test]
    fn parses_plain_sub_and_rest() {
        let c = parse_slash("ping", &registered(), &BTreeMap::new()).unwrap();
        assert_eq!(c.name, "ping");
        let c = parse_slash("prefix set !", &registered(), &BTreeMap::new()).unwrap();
        assert_eq!(c.path, ["set"]);
        assert_eq!(
            c.options,
            [("new_prefix".to_string(), OptValue::Str("!".into()))]
        );
        let c = parse_slash("help prefix set", &registered(), &BTreeMap::new()).unwrap();
        assert_eq!(
            c.options,
            [("command".to_string(), OptValue::Str("prefix set".into()))]
        );
        let c = parse_slash("help command:ping", &registered(), &BTreeMap::new()).unwrap();
        assert_eq!(
            c.options,
            [("command".to_string(), OptValue::Str("ping".into()))]
        );
    }

    #[test]
    fn user_options_take_member_names() {
        let reg = vec![(
            "pay".to_string(),
            json!({"name": "pay", "options": [
                {"type": 6, "name": "user"},
                {"type": 3, "name": "amount"}
            ]}),
        )];
        let users = BTreeMap::from([("alice".to_string(), 42)]);
        for line in ["pay alice 50", "pay @alice 50", "pay user:alice amount:50"] {
            let c = parse_slash(line, &reg, &users).unwrap();
            assert_eq!(
                c.options,
                [
                    ("user".to_string(), OptValue::Str("42".into())),
                    ("amount".to_string(), OptValue::Str("50".into()))
                ],
                "{line}"
            );
        }
        // A string option keeps the name as text.
        let c = parse_slash("pay 7 alice", &reg, &users).unwrap();
        assert_eq!(
            c.options[1],
            ("amount".to_string(), OptValue::Str("alice".into()))
        );
    }

    #[test]
    fn typed_names_become_mentions() {
        let lookup = |sigil: &str, name: &str| match (sigil, name) {
            ("@", "alice") => Some("<@1>".to_string()),
            ("#", "bot-commands") => Some("<#2>".to_string()),
            ("@&", "mods") => Some("<@&3>".to_string()),
            _ => None,
        };
        assert_eq!(
            to_mentions("chro pay @alice 50", lookup),
            "chro pay <@1> 50"
        );
        assert_eq!(
            to_mentions("see #bot-commands, ping @&mods!", lookup),
            "see <#2>, ping <@&3>!"
        );
        // Unknown names, mid-word sigils and bare sigils stay as typed.
        assert_eq!(
            to_mentions("@bob a@alice #5 @ # @&x @everyone", lookup),
            "@bob a@alice #5 @ # @&x @everyone"
        );
    }

    #[test]
    fn explains_mistakes() {
        assert!(
            parse_slash("nope", &registered(), &BTreeMap::new())
                .unwrap_err()
                .contains("/nope")
        );
        assert!(
            parse_slash("prefix", &registered(), &BTreeMap::new())
                .unwrap_err()
                .contains("set, reset")
        );
        assert!(
            parse_slash("ping extra", &registered(), &BTreeMap::new())
                .unwrap_err()
                .contains("too many")
        );
    }
}
