//! Application command registrations that break Discord's limits are refused as Discord does:
//! HTTP 400 with `50035 Invalid Form Body` and the nested `errors` object (or `30032` when a
//! scope would hold too many commands of one type), through the bulk overwrite (global and guild)
//! and the single create. Requests go through serenity's `Http` like a bot's would.

use chronix_sandbox::Sandbox;
use serde_json::{Value, json};
use serenity::all::{GuildId, Http, HttpBuilder, HttpError};

fn http(sb: &Sandbox) -> Http {
    HttpBuilder::new(sb.token())
        .proxy(sb.base_url())
        .ratelimiter_disabled(true)
        .application_id(sb.application_id().into())
        .build()
}

fn status(e: serenity::Error) -> (u16, isize) {
    match e {
        serenity::Error::Http(HttpError::UnsuccessfulRequest(r)) => {
            (r.status_code.as_u16(), r.error.code)
        }
        other => panic!("unexpected error {other:?}"),
    }
}

fn last_response(sb: &Sandbox) -> Value {
    sb.rest_log()
        .last()
        .and_then(|c| c.response.clone())
        .unwrap_or(Value::Null)
}

/// The single `{code, message}` error at `pointer` (JSON pointer into `errors`).
fn error_at(body: &Value, pointer: &str) -> (String, String) {
    let errs = &body["errors"].pointer(pointer).unwrap_or_else(|| {
        panic!("no errors at {pointer} in {body}");
    })["_errors"];
    assert_eq!(errs.as_array().map(Vec::len), Some(1), "{body}");
    (
        errs[0]["code"].as_str().unwrap().to_owned(),
        errs[0]["message"].as_str().unwrap().to_owned(),
    )
}

fn slash(name: &str) -> Value {
    json!({"name": name, "description": "d", "type": 1})
}

/// Where a refused command lands: bulk global, bulk guild, single global, single guild.
#[derive(Clone, Copy, Debug)]
enum Via {
    BulkGlobal,
    BulkGuild,
    OneGlobal,
    OneGuild,
}

const ALL: [Via; 4] = [
    Via::BulkGlobal,
    Via::BulkGuild,
    Via::OneGlobal,
    Via::OneGuild,
];

impl Via {
    /// The JSON pointer prefix of the command in `errors` (`/0` in a bulk body, root otherwise).
    fn prefix(self) -> &'static str {
        match self {
            Via::BulkGlobal | Via::BulkGuild => "/0",
            Via::OneGlobal | Via::OneGuild => "",
        }
    }

    async fn register(self, http: &Http, guild: GuildId, cmd: &Value) -> Result<(), (u16, isize)> {
        let list = json!([cmd]);
        let r = match self {
            Via::BulkGlobal => http.create_global_commands(&list).await.map(|_| ()),
            Via::BulkGuild => http.create_guild_commands(guild, &list).await.map(|_| ()),
            Via::OneGlobal => http.create_global_command(cmd).await.map(|_| ()),
            Via::OneGuild => http.create_guild_command(guild, cmd).await.map(|_| ()),
        };
        r.map_err(status)
    }
}

/// Register `cmd` every way; each must be refused with 50035 and the one error at `pointer`
/// (relative to the command) with `code`. Returns the last error message.
async fn refused(sb: &Sandbox, cmd: &Value, pointer: &str, code: &str) -> String {
    let http = http(sb);
    let guild = GuildId::new(sb.create_guild("Cmds").id);
    let before = sb.commands().len();
    let mut message = String::new();
    for via in ALL {
        assert_eq!(
            via.register(&http, guild, cmd).await,
            Err((400, 50035)),
            "{via:?} accepted {cmd}"
        );
        let body = last_response(sb);
        assert_eq!(body["message"], "Invalid Form Body");
        let (got, msg) = error_at(&body, &format!("{}{pointer}", via.prefix()));
        assert_eq!(got, code, "{via:?}: {body}");
        message = msg;
    }
    assert_eq!(sb.commands().len(), before, "nothing was registered");
    message
}

async fn accepted(sb: &Sandbox, cmd: &Value) {
    let http = http(sb);
    let guild = GuildId::new(sb.create_guild("Ok").id);
    for via in ALL {
        assert_eq!(
            via.register(&http, guild, cmd).await,
            Ok(()),
            "{via:?}: {cmd}"
        );
    }
}

#[tokio::test]
async fn names_must_be_1_to_32_lowercase_word_characters() {
    let sb = Sandbox::start().await.unwrap();
    for ok in [
        "ping",
        "a",
        "x-y_z",
        "データ",
        "पिंग",
        "ทดสอบ",
        "n123",
        &"n".repeat(32),
    ] {
        accepted(&sb, &slash(ok)).await;
    }
    let msg = refused(&sb, &slash(""), "/name", "BASE_TYPE_BAD_LENGTH").await;
    assert_eq!(msg, "Must be between 1 and 32 in length.");
    refused(
        &sb,
        &slash(&"n".repeat(33)),
        "/name",
        "BASE_TYPE_BAD_LENGTH",
    )
    .await;
    for bad in ["Ping", "with space", "bang!", "émoji🙂", "ÉCOLE"] {
        let msg = refused(
            &sb,
            &slash(bad),
            "/name",
            "APPLICATION_COMMAND_INVALID_NAME",
        )
        .await;
        assert_eq!(msg, "Command name is invalid");
    }
    // localized names follow the same rules
    let cmd = json!({"name": "ping", "description": "d", "name_localizations": {"fr": "Pong"}});
    refused(
        &sb,
        &cmd,
        "/name_localizations/fr",
        "APPLICATION_COMMAND_INVALID_NAME",
    )
    .await;
    // option names too
    let cmd = json!({"name": "ping", "description": "d",
        "options": [{"type": 3, "name": "Bad Name", "description": "d"}]});
    refused(
        &sb,
        &cmd,
        "/options/0/name",
        "APPLICATION_COMMAND_INVALID_NAME",
    )
    .await;
    // context-menu commands may have spaces and capitals
    let user_cmd = json!({"name": "Show Profile", "type": 2});
    accepted(&sb, &user_cmd).await;
}

#[tokio::test]
async fn descriptions_must_be_1_to_100_characters() {
    let sb = Sandbox::start().await.unwrap();
    accepted(
        &sb,
        &json!({"name": "ping", "description": "d".repeat(100)}),
    )
    .await;
    let msg = refused(
        &sb,
        &json!({"name": "ping", "description": ""}),
        "/description",
        "BASE_TYPE_BAD_LENGTH",
    )
    .await;
    assert_eq!(msg, "Must be between 1 and 100 in length.");
    refused(
        &sb,
        &json!({"name": "ping", "description": "d".repeat(101)}),
        "/description",
        "BASE_TYPE_BAD_LENGTH",
    )
    .await;
    refused(
        &sb,
        &json!({"name": "ping", "description": "d", "description_localizations": {"de": "x".repeat(101)}}),
        "/description_localizations/de",
        "BASE_TYPE_BAD_LENGTH",
    )
    .await;
    refused(
        &sb,
        &json!({"name": "ping", "description": "d",
            "options": [{"type": 3, "name": "o", "description": ""}]}),
        "/options/0/description",
        "BASE_TYPE_BAD_LENGTH",
    )
    .await;
}

fn string_opts(n: usize) -> Vec<Value> {
    (0..n)
        .map(|i| json!({"type": 3, "name": format!("o{i}"), "description": "d"}))
        .collect()
}

fn subcommands(n: usize) -> Vec<Value> {
    (0..n)
        .map(|i| json!({"type": 1, "name": format!("s{i}"), "description": "d"}))
        .collect()
}

#[tokio::test]
async fn at_most_25_options_subcommands_groups_and_choices() {
    let sb = Sandbox::start().await.unwrap();
    let cmd = |options: Vec<Value>| json!({"name": "c", "description": "d", "options": options});
    accepted(&sb, &cmd(string_opts(25))).await;
    let msg = refused(
        &sb,
        &cmd(string_opts(26)),
        "/options",
        "BASE_TYPE_MAX_LENGTH",
    )
    .await;
    assert_eq!(msg, "Must be 25 or fewer in length.");
    // 26 subcommands
    refused(
        &sb,
        &cmd(subcommands(26)),
        "/options",
        "BASE_TYPE_MAX_LENGTH",
    )
    .await;
    // 26 options inside a subcommand
    let sub = json!({"type": 1, "name": "s", "description": "d", "options": string_opts(26)});
    refused(
        &sb,
        &cmd(vec![sub]),
        "/options/0/options",
        "BASE_TYPE_MAX_LENGTH",
    )
    .await;
    // 26 subcommands inside a group
    let group = json!({"type": 2, "name": "g", "description": "d", "options": subcommands(26)});
    refused(
        &sb,
        &cmd(vec![group]),
        "/options/0/options",
        "BASE_TYPE_MAX_LENGTH",
    )
    .await;
    // 26 choices
    let choices: Vec<Value> = (0..26)
        .map(|i| json!({"name": format!("c{i}"), "value": format!("v{i}")}))
        .collect();
    let opt = json!({"type": 3, "name": "o", "description": "d", "choices": choices});
    refused(
        &sb,
        &cmd(vec![opt]),
        "/options/0/choices",
        "BASE_TYPE_MAX_LENGTH",
    )
    .await;
    let opt = json!({"type": 3, "name": "o", "description": "d", "choices": choices[..25]});
    accepted(&sb, &cmd(vec![opt])).await;
}

#[tokio::test]
async fn groups_hold_only_subcommands_and_nesting_stops_at_two_levels() {
    let sb = Sandbox::start().await.unwrap();
    let cmd = |options: Value| json!({"name": "c", "description": "d", "options": options});
    // command → group → subcommand → option: the deepest Discord allows
    let ok = json!([{"type": 2, "name": "g", "description": "d", "options": [
        {"type": 1, "name": "s", "description": "d", "options": string_opts(2)}]}]);
    accepted(&sb, &cmd(ok)).await;
    // a group inside a group
    let nested = json!([{"type": 2, "name": "g", "description": "d", "options": [
        {"type": 2, "name": "h", "description": "d", "options": subcommands(1)}]}]);
    let msg = refused(
        &sb,
        &cmd(nested),
        "/options/0/options/0/type",
        "APPLICATION_COMMAND_OPTION_TYPE_INVALID",
    )
    .await;
    assert_eq!(msg, "Sub-command groups can only contain sub-commands");
    // a subcommand inside a subcommand
    let nested = json!([{"type": 1, "name": "s", "description": "d", "options": subcommands(1)}]);
    refused(
        &sb,
        &cmd(nested),
        "/options/0/options/0/type",
        "APPLICATION_COMMAND_OPTION_TYPE_INVALID",
    )
    .await;
    // a plain option in a group (and only there, so the level is not mixed)
    let mixed = json!([{"type": 2, "name": "g", "description": "d", "options": string_opts(1)}]);
    refused(
        &sb,
        &cmd(mixed),
        "/options/0/options/0/type",
        "APPLICATION_COMMAND_OPTION_TYPE_INVALID",
    )
    .await;
    // subcommands next to plain options on one level
    let mut level = subcommands(1);
    level.extend(string_opts(1));
    let msg = refused(
        &sb,
        &cmd(Value::Array(level)),
        "/options",
        "APPLICATION_COMMAND_OPTIONS_TYPE_INVALID",
    )
    .await;
    assert_eq!(
        msg,
        "Sub-command and sub-command group option types are mutually exclusive to all other types"
    );
    // required options come first
    let opts = json!([{"type": 3, "name": "a", "description": "d"},
        {"type": 3, "name": "b", "description": "d", "required": true}]);
    refused(
        &sb,
        &cmd(opts),
        "/options/1/required",
        "APPLICATION_COMMAND_OPTIONS_REQUIRED_INVALID",
    )
    .await;
}

#[tokio::test]
async fn a_command_is_at_most_8000_characters_counting_localizations() {
    let sb = Sandbox::start().await.unwrap();
    // name (1) + description (100) + 25 choices × (name 100 + value 100) = 5,101
    let choices = |value_len: usize| -> Vec<Value> {
        (0..25)
            .map(|i| json!({"name": format!("{i:0>100}"), "value": format!("{i:0>width$}", width = value_len)}))
            .collect()
    };
    let cmd = |options: Vec<Value>| json!({"name": "c", "description": "d".repeat(100), "options": options});
    let opt = |name: &str, value_len: usize| json!({"type": 3, "name": name, "description": "d", "choices": choices(value_len)});
    // c(1) + 100 + 2 × (o + d + 25 × 200) = 101 + 2 × 5,002 = 10,105: too large
    let msg = refused(
        &sb,
        &cmd(vec![opt("o", 100), opt("p", 100)]),
        "",
        "APPLICATION_COMMAND_TOO_LARGE",
    )
    .await;
    assert_eq!(msg, "Command exceeds maximum size (8000)");
    // 101 + 5,002 + (1 + 1 + 25 × (100 + 10)) = 7,855: fits
    accepted(&sb, &cmd(vec![opt("o", 100), opt("p", 10)])).await;
    // the longest localization of a field counts instead of the default: +25 × 90 = 10,105
    let mut long = opt("p", 10);
    for c in long["choices"].as_array_mut().unwrap() {
        c["name_localizations"] = json!({"fr": "x".repeat(100), "de": "y".repeat(10)});
        c["name"] = json!("z");
    }
    // 101 + 5,002 + (2 + 25 × (100 + 10)) = 7,855 again (the longest localization is 100)
    accepted(&sb, &cmd(vec![opt("o", 100), long.clone()])).await;
    long["description_localizations"] = json!({"fr": "d".repeat(100)});
    // + 99 for the option description localization, still 7,954
    accepted(&sb, &cmd(vec![opt("o", 100), long.clone()])).await;
    long["name_localizations"] = json!({"fr": "p".repeat(32)});
    // + 31 for the option name localization: 7,985; one more long localization tips it over
    accepted(&sb, &cmd(vec![opt("o", 100), long.clone()])).await;
    let mut top = cmd(vec![opt("o", 100), long]);
    top["name_localizations"] = json!({"fr": "c".repeat(17)});
    // + 16: 8,001
    refused(&sb, &top, "", "APPLICATION_COMMAND_TOO_LARGE").await;
}

#[tokio::test]
async fn at_most_100_slash_commands_per_scope() {
    let sb = Sandbox::start().await.unwrap();
    let http = http(&sb);
    let g = GuildId::new(sb.create_guild("Many").id);
    let many = |n: usize| -> Value { (0..n).map(|i| slash(&format!("c{i}"))).collect() };

    // bulk: 101 slash commands (within the 130-entry array) → 30032
    for guild in [None, Some(g)] {
        let r = match guild {
            None => http.create_global_commands(&many(101)).await,
            Some(g) => http.create_guild_commands(g, &many(101)).await,
        };
        assert_eq!(r.map_err(status).err(), Some((400, 30032)));
        assert_eq!(
            last_response(&sb)["message"],
            "Maximum number of application commands reached (100)"
        );
    }
    // more than 130 entries → 50035 at the root of `errors`
    let r = http.create_global_commands(&many(131)).await;
    assert_eq!(r.map_err(status).err(), Some((400, 50035)));
    let (code, msg) = error_at(&last_response(&sb), "");
    assert_eq!(code, "BASE_TYPE_MAX_LENGTH");
    assert_eq!(msg, "Must be 130 or fewer in length.");
    assert!(sb.commands().is_empty());

    // 100 slash + 15 user + 15 message commands fit in one scope
    let mut list = many(100).as_array().unwrap().clone();
    list.extend((0..15).map(|i| json!({"name": format!("User {i}"), "type": 2})));
    list.extend((0..15).map(|i| json!({"name": format!("Message {i}"), "type": 3})));
    http.create_global_commands(&list).await.unwrap();
    http.create_guild_commands(g, &list).await.unwrap();
    assert_eq!(sb.commands().len(), 260);
    // a 16th user command is one too many
    list[100] = json!({"name": "User 15", "type": 2});
    list.push(json!({"name": "User 16", "type": 2}));
    list.remove(0);
    let r = http.create_global_commands(&list).await;
    assert_eq!(r.map_err(status).err(), Some((400, 30032)));
    assert_eq!(
        last_response(&sb)["message"],
        "Maximum number of application commands reached (15)"
    );

    // single create: a 101st new slash command is refused, re-posting an existing name is not
    let r = http.create_global_command(&slash("c100")).await;
    assert_eq!(r.map_err(status).err(), Some((400, 30032)));
    let r = http.create_guild_command(g, &slash("c100")).await;
    assert_eq!(r.map_err(status).err(), Some((400, 30032)));
    http.create_global_command(&json!({"name": "c5", "description": "changed"}))
        .await
        .unwrap();
    assert_eq!(sb.commands().len(), 260);
}
