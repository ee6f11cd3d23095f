use super::*;

fn values(pairs: &[(&str, &str)]) -> RawValues {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

#[test]
fn defaults_load_and_use_sqlite_in_data_dir() {
    let cfg = Config::from_values(&RawValues::new()).expect("defaults are valid");
    assert_eq!(cfg.prefix, "chro");
    assert_eq!(
        cfg.database_url.expose(),
        Some("sqlite://data/chronix.db?mode=rwc")
    );
    assert!(!cfg.uses_postgres());
    assert!(cfg.is_playground());
    assert!(cfg.features.enabled("economy"));
    assert!(!cfg.features.enabled("ai"));
    assert_eq!(cfg.hunt_cooldown_secs, 15);
    assert_eq!(cfg.autohunt_interval_secs, 300);
}

#[test]
fn booleans_accept_only_true_and_false() {
    for good in ["true", "false"] {
        assert!(Config::from_values(&values(&[("ENABLE_MUSIC", good)])).is_ok());
    }
    for bad in ["yes", "1", "TRUE", "on", ""] {
        let err = Config::from_values(&values(&[("ENABLE_MUSIC", bad)])).unwrap_err();
        assert_eq!(err.problems.len(), 1, "{bad}");
        let p = &err.problems[0];
        assert_eq!(p.key, "ENABLE_MUSIC");
        assert!(p.message.contains("true or false"), "{}", p.message);
        assert!(
            p.message.contains("example: ENABLE_MUSIC=true"),
            "{}",
            p.message
        );
    }
}

#[test]
fn every_problem_is_reported_with_key_and_example() {
    let err = Config::from_values(&values(&[
        ("OWNER_ID", "not-a-number"),
        ("ECONOMY_DAILY_RESET_HOUR", "24"),
        ("HEALTH_BIND", "localhost"),
        ("LOG_FORMAT", "xml"),
        ("DISCORD_API_PROXY", "ftp://x"),
    ]))
    .unwrap_err();
    let keys: Vec<&str> = err.problems.iter().map(|p| p.key.as_str()).collect();
    assert_eq!(
        keys,
        [
            "OWNER_ID",
            "DISCORD_API_PROXY",
            "LOG_FORMAT",
            "HEALTH_BIND",
            "ECONOMY_DAILY_RESET_HOUR"
        ]
    );
    let text = err.to_string();
    assert!(
        text.contains("OWNER_ID: value \"not-a-number\" is not a Discord id"),
        "{text}"
    );
    assert!(
        text.contains("ECONOMY_DAILY_RESET_HOUR: value \"24\" is out of range (0–23)"),
        "{text}"
    );
    assert!(text.contains("example: HEALTH_BIND=0.0.0.0:9090"), "{text}");
}

#[test]
fn secrets_never_show_in_debug_or_errors() {
    let token = "MTIz.super-secret-token";
    let db = "postgres://chronix:hunter2@db/chronix";
    let cfg = Config::from_values(&values(&[
        ("DISCORD_TOKEN", token),
        ("DATABASE_URL", db),
        ("DISCORD_API_PROXY", "http://127.0.0.1:1"),
    ]))
    .unwrap();
    let debug = format!("{cfg:?}");
    for s in [token, "hunter2"] {
        assert!(!debug.contains(s), "{s} leaked in Debug");
    }
    assert!(debug.contains("[redacted]"));
    assert_eq!(cfg.discord_token.expose(), Some(token));
    assert!(cfg.uses_postgres());

    let err =
        Config::from_values(&values(&[("DATABASE_URL", "mysql://u:hunter2@h/db")])).unwrap_err();
    assert!(!err.to_string().contains("hunter2"), "{err}");
    assert_eq!(err.problems[0].key, "DATABASE_URL");

    let summary = Config::summary(&values(&[("DISCORD_TOKEN", token)]));
    let shown: HashMap<_, _> = summary.into_iter().collect();
    assert_eq!(shown["DISCORD_TOKEN"], "[set]");
    assert_eq!(shown["DATABASE_URL"], "[unset]");
    assert_eq!(shown["PREFIX"], "chro");
}

#[test]
fn env_file_then_environment_with_unknown_keys_refused() {
    let dir = std::env::temp_dir().join(format!("chronix-cfg-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join(".env");
    std::fs::write(&file, "PREFIX=zz\nHUNT_COOLDOWN_SECS=30\n").unwrap();
    let cfg = Config::load_from(
        &file,
        [("HUNT_COOLDOWN_SECS".to_string(), "45".to_string())],
    )
    .unwrap();
    assert_eq!(cfg.prefix, "zz", ".env value used");
    assert_eq!(cfg.hunt_cooldown_secs, 45, "environment wins over .env");

    std::fs::write(&file, "PREFX=zz\n").unwrap();
    let err = Config::load_from(&file, []).unwrap_err();
    assert_eq!(err.problems[0].key, "PREFX");
    assert!(
        err.problems[0].message.contains("did you mean PREFIX?"),
        "{err}"
    );

    // Unrelated environment variables are ignored, unknown feature flags are not.
    assert!(Config::load_from(&dir.join("missing"), [("HOME".into(), "/x".into())]).is_ok());
    let err = Config::load_from(
        &dir.join("missing"),
        [("ENABLE_MUSCI".into(), "true".into())],
    )
    .unwrap_err();
    assert!(
        err.problems[0]
            .message
            .contains("did you mean ENABLE_MUSIC?"),
        "{err}"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn env_example_is_in_step_with_the_key_table() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../.env.example");
    let text = std::fs::read_to_string(&path).expect(".env.example exists at the repo root");
    assert_eq!(
        text,
        env_example(),
        "regenerate with `cargo run -- config-example > .env.example`"
    );
    // And the generated example is itself a valid configuration.
    let cfg = Config::load_from(&path, []);
    assert!(cfg.is_ok(), "{:?}", cfg.err());
}

#[test]
fn every_feature_has_a_declared_flag() {
    for (name, env_key, default) in FEATURES {
        let k = keys::find(env_key).unwrap_or_else(|| panic!("{env_key} not in KEYS"));
        assert_eq!(k.kind, Kind::Bool);
        assert_eq!(k.default, *default, "{name}");
    }
    let flags = KEYS
        .iter()
        .filter(|k| k.name.starts_with("ENABLE_"))
        .count();
    assert_eq!(flags, FEATURES.len());
}

#[test]
fn key_names_are_unique_and_examples_valid() {
    let mut seen = std::collections::HashSet::new();
    for k in KEYS {
        assert!(seen.insert(k.name), "duplicate key {}", k.name);
        let cfg = Config::from_values(&values(&[(k.name, k.example)]));
        assert!(
            cfg.is_ok(),
            "example of {} is invalid: {:?}",
            k.name,
            cfg.err()
        );
    }
}

#[test]
fn readme_table_is_in_step_with_the_key_table() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../README.md");
    let text = std::fs::read_to_string(&path).expect("README.md exists at the repo root");
    let start = "<!-- config-table:start -->\n";
    let begin = text
        .find(start)
        .expect("README has the config-table:start marker")
        + start.len();
    let end = text
        .find("<!-- config-table:end -->")
        .expect("README has the end marker");
    assert_eq!(
        &text[begin..end],
        markdown_table(),
        "regenerate with `chronix config-table`"
    );
}

#[test]
fn economy_keys_are_typed_and_checked_together() {
    let cfg = Config::from_values(&values(&[
        ("ECONOMY_HOUSE_EDGE_BP", "0"),
        ("ECONOMY_DAILY_RESET_HOUR", "23"),
        ("ECONOMY_BET_MAX", "1000"),
    ]))
    .unwrap();
    assert_eq!(cfg.economy.house_edge_bp, 0);
    assert_eq!(cfg.economy.daily_reset_hour, 23);
    assert_eq!(cfg.economy.bet_max, 1000);
    assert_eq!(cfg.economy.bet_min, 10);
    assert_eq!(cfg.economy.pay_confirm_above, 10_000);

    let err = Config::from_values(&values(&[
        ("ECONOMY_DAILY_RESET_HOUR", "24"),
        ("ECONOMY_HOUSE_EDGE_BP", "9000"),
        ("ECONOMY_BET_MIN", "500"),
        ("ECONOMY_BET_MAX", "100"),
        ("ECONOMY_BANK_CAP", "-5"),
    ]))
    .unwrap_err();
    let keys: Vec<&str> = err.problems.iter().map(|p| p.key.as_str()).collect();
    assert_eq!(
        keys,
        [
            "ECONOMY_HOUSE_EDGE_BP",
            "ECONOMY_BET_MIN",
            "ECONOMY_DAILY_RESET_HOUR",
            "ECONOMY_BANK_CAP"
        ]
    );
    let text = err.to_string();
    assert!(text.contains("\"24\" is out of range (0–23)"), "{text}");
    assert!(text.contains("larger than ECONOMY_BET_MAX (100)"), "{text}");
}

/// Every key is read by some crate (a key nobody reads is removed, not documented as if it
/// worked): the field it fills must appear outside this crate.
#[test]
fn every_key_is_read_somewhere() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut sources = String::new();
    let mut stack = vec![root.clone()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                if !p.ends_with("config") && !p.ends_with("target") {
                    stack.push(p);
                }
            } else if p.extension().is_some_and(|x| x == "rs") {
                sources.push_str(&std::fs::read_to_string(&p).unwrap());
            }
        }
    }
    let mut unused = Vec::new();
    for k in crate::KEYS {
        if k.name.starts_with("ENABLE_") {
            continue; // read through `Features` by the registry and `module list`
        }
        let field = k.name.to_lowercase();
        let field = field.strip_prefix("economy_").unwrap_or(&field);
        // `LOG_*` keys of the Logging section fill `Config::logging` (`LoggingConfig`).
        let field = match k.section {
            "Logging" => field.strip_prefix("log_").unwrap_or(field),
            _ => field,
        };
        if !sources.contains(&format!(".{field}")) {
            unused.push(k.name);
        }
    }
    assert!(unused.is_empty(), "keys read by nothing: {unused:?}");
}

#[test]
fn economy_rate_limits_parse_and_bad_values_name_the_key() {
    let cfg = Config::from_values(&values(&[])).unwrap();
    let r = &cfg.economy;
    assert_eq!(r.rate_limit_bets, RateLimit::new(10, 10));
    assert_eq!(r.rate_limit_leaderboard, RateLimit::new(10, 60));
    assert_eq!(r.longest_rate_limit_window_secs(), 60);
    let cfg = Config::from_values(&values(&[
        ("ECONOMY_RATE_LIMIT_BETS", "3/5s"),
        ("ECONOMY_RATE_LIMIT_PAY", "off"),
        ("ECONOMY_RATE_LIMIT_MARKET", "100/2h"),
    ]))
    .unwrap();
    let r = &cfg.economy;
    assert_eq!(r.rate_limit_bets, RateLimit::new(3, 5));
    assert!(r.rate_limit_pay.is_off());
    assert_eq!(r.longest_rate_limit_window_secs(), 7_200);
    let off = ["BETS", "PAY", "TRADE", "MARKET", "LEADERBOARD"]
        .map(|k| (format!("ECONOMY_RATE_LIMIT_{k}"), "off".to_string()));
    let cfg = Config::from_values(&off.into_iter().collect()).unwrap();
    assert_eq!(cfg.economy.longest_rate_limit_window_secs(), 0);
    let err = Config::from_values(&values(&[("ECONOMY_RATE_LIMIT_TRADE", "fast")])).unwrap_err();
    assert_eq!(err.problems.len(), 1);
    assert_eq!(err.problems[0].key, "ECONOMY_RATE_LIMIT_TRADE");
    assert!(
        err.problems[0].message.contains("5/10s"),
        "{}",
        err.problems[0].message
    );
}
