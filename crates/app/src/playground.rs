//! The playground: `chronix sandbox` (and `chronix` without `DISCORD_TOKEN`).
//!
//! Starts the local sandbox (a Discord-compatible server), a demo guild "Chronix Playground"
//! (you are its owner; alice and bob are members; #general, #bot-commands and #error-log), and
//! the real bot on SQLite (`DATA_DIR/playground.db`). Then reads lines from standard input:
//!
//! * `chro ping`: a message in the current channel (any text is sent as a message);
//! * `/help`, `/prefix set !`, `/help command:ping`: a slash command (arguments fill the
//!   options in order; `name:value` picks an option by name);
//! * `!click Next`: press a button (by label or custom id) on the latest message with buttons;
//! * `!as alice chro prefix set !`: act as another member (alice and bob are not admins);
//! * `!channel bot-commands`: switch channel; `!help`; `!quit`.
//!
//! Every message or edit the bot makes is printed with `render::message_to_text`. With piped
//! input (`printf 'chro ping\n/help\n' | chronix sandbox`) each line runs in turn and the
//! playground exits at the end of input, after the last reply is printed.

use std::collections::BTreeMap;
use std::io::{IsTerminal, Write};
use std::time::{Duration, Instant};

use anyhow::Context as _;
use chronix_config::{Config, Secret};
use chronix_discord::BotOptions;
use chronix_sandbox::render::message_to_text;
use chronix_sandbox::{ChannelKind, CommandCall, FeedKind, Id, Sandbox, SandboxConfig};
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
    feed_seen: usize,
    last_with_buttons: Option<Id>,
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

    config.discord_token = Secret::new(Some(sb.token().to_string()));
    config.discord_api_proxy = Some(sb.base_url().to_string());
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
        g.id as i64,
        Some(error_log as i64),
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
         Type `chro help`, `/ping`, `!click Next`, `!as alice chro prefix set !`, `!channel error-log`, `!help` or `!quit`."
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
        channel: g.general,
        you,
        last_with_buttons: None,
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
        let fold = |s: &str| -> String {
            s.chars()
                .filter(|c| c.is_alphanumeric() || *c == '/')
                .flat_map(char::to_lowercase)
                .collect()
        };
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

    /// Run one input line; `Ok(false)` ends the session.
    async fn handle(&mut self, line: &str) -> anyhow::Result<bool> {
        if let Some(cmd) = line.strip_prefix('!') {
            let (word, rest) = cmd.split_once(' ').unwrap_or((cmd, ""));
            let rest = rest.trim();
            match word {
                "quit" | "exit" => return Ok(false),
                "help" => {
                    let text = format!(
                        "  <text>             send a message (e.g. chro ping)\n  \
                         /<command> [args]  run a slash command (e.g. /help, /prefix set !, /help command:ping)\n  \
                         !click <label>     press a button on the latest message with buttons\n  \
                         !as <user> <text>  act as alice or bob (text or /command)\n  \
                         !channel <name>    switch channel ({})\n  \
                         !quit              leave\n",
                        self.channels.keys().cloned().collect::<Vec<_>>().join(", ")
                    );
                    self.write(&text);
                }
                "click" => {
                    let mid = self
                        .last_with_buttons
                        .context("no message with buttons yet")?;
                    let label = self.button_label(mid, rest);
                    let i = self.sb.click_button(self.you, mid, &label)?;
                    let _ = self.sb.wait_for_response(&i, FIRST_REPLY).await;
                    self.print_activity().await;
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
                "as" => {
                    let (who, text) = rest.split_once(' ').context("usage: !as <user> <text>")?;
                    let uid = *self
                        .users
                        .get(who)
                        .with_context(|| format!("no user called {who}"))?;
                    self.act(uid, text.trim()).await?;
                }
                _ => {
                    // Not a playground command: send it as a message.
                    self.act(self.you, line).await?;
                }
            }
            return Ok(true);
        }
        self.act(self.you, line).await?;
        Ok(true)
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
            let _ = self.sb.wait_for_reply(&i, FIRST_REPLY).await;
        } else {
            self.sb.send_message(user, self.channel, text);
        }
        self.print_activity().await;
        Ok(())
    }

    /// Mentions of the playground's members (`<@id>`, `<@!id>`) shown as `@name`, so a person
    /// reads who paid whom.
    fn with_names(&self, text: &str) -> String {
        let mut out = text.to_string();
        for (name, id) in &self.users {
            for form in [format!("<@{id}>"), format!("<@!{id}>")] {
                out = out.replace(&form, &format!("@{name}"));
            }
        }
        out
    }

    /// Print everything the bot did since the last call: wait up to [`FIRST_REPLY`] for
    /// something, then until nothing happens for [`QUIET`].
    async fn print_activity(&mut self) {
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
                }
                self.feed_seen = feed.len();
                last_change = Some(Instant::now());
            }
            match last_change {
                Some(t) if t.elapsed() >= QUIET => break,
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
