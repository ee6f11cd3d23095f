//! Localisation: `language set` switches a server to French for prefix commands (and for
//! refusals), slash commands keep the user's Discord locale, and the registered slash commands
//! carry French names and descriptions.
//!
//! The sandbox driver sends interactions with the user locale `en-US` unless a test sets another
//! one with `set_user_locale(user, "fr")`: a user whose Discord client is in French gets slash
//! answers in French on a server with no language set.

use chronix_sandbox::CommandCall;

use crate::helpers::*;

#[tokio::test]
async fn language_set_fr_makes_prefix_commands_answer_in_french() {
    let w = World::start().await;
    let s = w.db.storage();
    seed(&s, w.owner, 1_234).await;

    let m = w.say(w.owner, "chro language show").await;
    assert_eq!(title(&m), "ℹ️ Language");
    assert_eq!(
        description(&m),
        "No language is set on this server: Chronix answers in English. Slash commands answer in \
         each user's Discord language when Chronix speaks it."
    );
    assert_eq!(field(&m, "Available"), "English (`en-US`), Français (`fr`)");

    let m = w.say(w.owner, "chro language set klingon").await;
    assert_eq!(title(&m), "❌ Invalid input");
    assert_eq!(
        description(&m),
        "Chronix does not speak `klingon`. Available: en-US, fr."
    );

    let m = w.say(w.owner, "chro language set fr").await;
    assert_eq!(title(&m), "✅ Langue mise à jour");
    assert_eq!(
        description(&m),
        "Chronix répond désormais en Français (`fr`) sur ce serveur."
    );

    let m = w.say(w.owner, "chro balance").await;
    assert_eq!(title(&m), "💠 Votre solde");
    assert_eq!(description(&m), format!("<@{}> a **1,234 💠**", w.owner));
    assert_eq!(field_names(&m), ["Portefeuille", "Banque", "Fortune nette"]);

    // Kernel refusals follow the server's language too.
    let m = w.say(w.member, "chro language set en-US").await;
    assert_eq!(title(&m), "❌ Non autorisé");
    assert_eq!(
        description(&m),
        "Il faut le rang **admin** pour utiliser `language set`."
    );

    // A slash command answers in the user's Discord locale (the sandbox sends en-US).
    let m = w.slash(w.owner, CommandCall::new("balance")).await;
    assert_eq!(title(&m), "💠 Your balance");

    let m = w.say(w.owner, "chro language reset").await;
    assert_eq!(title(&m), "✅ Language reset");
    let m = w.say(w.owner, "chro balance").await;
    assert_eq!(title(&m), "💠 Your balance");
}

#[tokio::test]
async fn slash_commands_are_registered_with_french_names_and_descriptions() {
    let w = World::start().await;
    let cmds = w.sb.commands();
    let balance = cmds.iter().find(|c| c.name == "balance").expect("balance");
    assert_eq!(balance.json["name_localizations"]["fr"], "solde");
    assert_eq!(
        balance.json["description"],
        "Show your Chrons (💠), or another player's."
    );
    assert_eq!(
        balance.json["description_localizations"]["fr"],
        "Affiche vos Chrons (💠), ou ceux d'un autre joueur."
    );
    // `language` lives in the `/bot` group (a subcommand group with `show`, `set`, `reset`).
    let bot = cmds.iter().find(|c| c.name == "bot").expect("/bot");
    let language = bot.json["options"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["name"] == "language")
        .expect("/bot language");
    assert_eq!(language["name_localizations"]["fr"], "langue");
    let set = language["options"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["name"] == "set")
        .expect("language set");
    assert_eq!(set["name_localizations"]["fr"], "choisir");

    // Options and their choices are localised too (`/autohunt upgrade trait:`).
    let autohunt = cmds
        .iter()
        .find(|c| c.name == "autohunt")
        .expect("/autohunt");
    assert_eq!(autohunt.json["name_localizations"]["fr"], "autochasse");
    let upgrade = autohunt.json["options"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["name"] == "upgrade")
        .expect("autohunt upgrade");
    assert_eq!(upgrade["name_localizations"]["fr"], "améliorer");
    let option = &upgrade["options"][0];
    assert_eq!(option["name"], "trait");
    assert_eq!(option["description"], "The trait to upgrade");
    assert_eq!(
        option["description_localizations"]["fr"],
        "Le trait à améliorer"
    );
    let choices: Vec<(String, String)> = option["choices"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["name"].as_str().unwrap().to_string(),
                c["name_localizations"]["fr"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(
        choices,
        [
            ("Efficiency".to_string(), "Efficacité".to_string()),
            ("Tempo".to_string(), "Tempo".to_string()),
            ("Thrift".to_string(), "Économie".to_string()),
            ("Essence".to_string(), "Essence".to_string()),
        ]
    );
}

#[tokio::test]
async fn hunt_and_inventory_answer_in_the_servers_language() {
    let w = World::start().await;
    let m = w.say(w.owner, "chro language set fr").await;
    assert_eq!(title(&m), "✅ Langue mise à jour");

    let m = w.say(w.member, "chro hunt").await;
    assert_eq!(title(&m), "💠 Chasse");
    assert_eq!(field_names(&m), ["✨ XP", "💠 Chrons", "🎒 Butin"]);
    let xp = field(&m, "✨ XP");
    assert!(xp.starts_with('+') && xp.contains(" XP · niveau "), "{xp}");
    assert!(field(&m, "💠 Chrons").contains(" · solde "));
    let d = description(&m);
    assert!(
        d.starts_with("Vous avez attrapé ") || d.starts_with("🍃 Les bois étaient calmes"),
        "{d}"
    );
    let footer = embed(&m)["footer"]["text"].as_str().unwrap().to_string();
    assert!(
        footer.starts_with("🏹 1 chasse · ") && footer.contains(" · prochaine chasse dans "),
        "{footer}"
    );

    let m = w.say(w.owner, "chro inv").await;
    assert!(title(&m).starts_with("💠 Inventaire de "), "{}", title(&m));
    assert_eq!(description(&m), "🎒 Vide. Allez chasser avec `hunt` !");
}

#[tokio::test]
async fn autohunt_answers_in_the_servers_language() {
    use chronix_core::autohunt::{
        AutohuntRules, Trait, tick_cost, upgrade_cost, upgrade_suggestion,
    };
    use chronix_core::economy::Chrons;
    use chronix_core::ids::UserId;
    use chronix_core::render::{format_chrons, format_number};

    let (w, _) = World::start_with(Setup {
        env: vec![("AUTOHUNT_INTERVAL_SECS", "600".into())],
        ..Setup::default()
    })
    .await;
    let s = w.db.storage();
    seed(&s, w.member, 5_000).await;
    let m = w.say(w.owner, "chro language set fr").await;
    assert_eq!(title(&m), "✅ Langue mise à jour");

    // No session yet: status explains autohunt, an upgrade is refused.
    let m = w.say(w.member, "chro autohunt status").await;
    assert_eq!(title(&m), "💠 Chasse automatique");
    assert_eq!(
        description(&m),
        "🤖 La chasse automatique chasse pour vous toutes les quelques minutes, pour quelques \
         Chrons par passage, et rapporte de l'✨ essence pour l'améliorer. Commencez avec \
         `autohunt enable` (`ah on`)."
    );
    let m = w.say(w.member, "chro autohunt upgrade tempo").await;
    assert_eq!(title(&m), "❌ Impossible");
    assert_eq!(
        description(&m),
        "Vous n'avez pas encore de chasse automatique. Lancez-en une avec `autohunt enable`."
    );

    // `enable`: the live embed in French.
    let m = w.say(w.member, "chro autohunt enable").await;
    assert_eq!(title(&m), "💠 Chasse automatique");
    assert_eq!(
        description(&m),
        format!("Chasse automatique de <@{}>", w.member)
    );
    assert_eq!(
        field_names(&m),
        [
            "Statut",
            "🎒 Dernier butin",
            "✨ Essence",
            "💠 Ce cycle",
            "🐾 Familiers actifs",
            "⬆️ Prochaine amélioration"
        ]
    );
    let session = chronix_storage::autohunt::get(&s, UserId::new(w.member))
        .await
        .unwrap()
        .unwrap();
    let next = session.next_run_at.unwrap().timestamp();
    assert_eq!(
        field(&m, "Statut"),
        format!("🟢 En cours · premier passage <t:{next}:R>")
    );
    assert_eq!(
        field(&m, "🎒 Dernier butin"),
        "— (aucun passage pour l'instant)"
    );
    assert_eq!(field(&m, "✨ Essence"), "0 (0 gagnée(s) au total)");
    assert_eq!(
        field(&m, "💠 Ce cycle"),
        format!(
            "{z} dépensés · {z} gagnés · 0 passage(s)",
            z = format_chrons(Chrons::ZERO)
        )
    );
    assert_eq!(field(&m, "🐾 Familiers actifs"), "aucun actif");
    let d = AutohuntRules::default();
    let rules = AutohuntRules {
        base_interval_secs: 600,
        min_interval_secs: d.min_interval_secs.min(600),
        ..d
    };
    let core = session.core();
    let u = upgrade_suggestion(&core, &rules).unwrap();
    let name = match u.trait_ {
        Trait::Efficiency => "Efficacité",
        Trait::Tempo => "Tempo",
        Trait::Thrift => "Économie",
        Trait::Essence => "Essence",
    };
    assert_eq!(
        field(&m, "⬆️ Prochaine amélioration"),
        format!(
            "{} **{name}** pour {} ✨ (encore {} ✨)",
            u.trait_.emoji(),
            format_number(u.cost),
            format_number(u.essence_missing)
        )
    );
    assert_eq!(
        embed(&m)["footer"]["text"].as_str().unwrap(),
        format!(
            "Niveau {} · {} par passage · toutes les 10m 0s · 1 tirage(s) par passage",
            session.level,
            format_chrons(tick_cost(&core, &rules))
        )
    );

    // `status` shows the same panel; an upgrade without essence is refused in French.
    let m = w.say(w.member, "chro autohunt status").await;
    assert_eq!(
        field(&m, "🎒 Dernier butin"),
        "— (aucun passage pour l'instant)"
    );
    let m = w.say(w.member, "chro autohunt upgrade thrift").await;
    assert_eq!(title(&m), "❌ Impossible");
    let cost = upgrade_cost(&core, Trait::Thrift, &rules).unwrap();
    assert_eq!(
        description(&m),
        format!("pas assez d'essence : il faut {cost} ✨, vous en avez 0 ✨")
    );

    let m = w.say(w.member, "chro ah off").await;
    assert_eq!(title(&m), "💠 Chasse automatique arrêtée");
    assert_eq!(
        description(&m),
        format!(
            "⏹️ La chasse automatique est arrêtée. Ce cycle : 0 passage(s), {z} dépensés, {z} \
             gagnés.",
            z = format_chrons(Chrons::ZERO)
        )
    );
}

#[tokio::test]
async fn slash_commands_answer_in_the_users_discord_locale() {
    let w = World::start().await;
    let s = w.db.storage();
    seed(&s, w.member, 1_234).await;
    w.sb.set_user_locale(w.member, "fr");

    // No server language: the user's French client decides.
    let m = w.slash(w.member, CommandCall::new("balance")).await;
    assert_eq!(title(&m), "💠 Votre solde");
    assert_eq!(description(&m), format!("<@{}> a **1,234 💠**", w.member));
    assert_eq!(field_names(&m), ["Portefeuille", "Banque", "Fortune nette"]);

    let m = w.slash(w.member, CommandCall::new("hunt")).await;
    assert_eq!(title(&m), "💠 Chasse");
    assert_eq!(field_names(&m), ["✨ XP", "💠 Chrons", "🎒 Butin"]);
    let footer = embed(&m)["footer"]["text"].as_str().unwrap().to_string();
    assert!(
        footer.starts_with("🏹 1 chasse · ") && footer.contains(" · prochaine chasse dans "),
        "{footer}"
    );

    let m = w
        .slash(w.member, CommandCall::new("autohunt").sub("status"))
        .await;
    assert_eq!(title(&m), "💠 Chasse automatique");
    assert!(description(&m).starts_with("🤖 La chasse automatique chasse pour vous"));
    // The live panel is shared by the channel: it speaks the server's language (none: English),
    // as the scheduler's later edits do.
    let m = w
        .slash(w.member, CommandCall::new("autohunt").sub("enable"))
        .await;
    assert_eq!(title(&m), "💠 Autohunt");
    assert_eq!(field(&m, "🎒 Last loot"), "— (no run yet)");
    let m = w
        .slash(w.member, CommandCall::new("autohunt").sub("disable"))
        .await;
    assert_eq!(title(&m), "💠 Chasse automatique arrêtée");

    // Another user (en-US client) and prefix commands stay in English.
    let m = w.slash(w.owner, CommandCall::new("balance")).await;
    assert_eq!(title(&m), "💠 Your balance");
    let m = w.say(w.member, "chro balance").await;
    assert_eq!(title(&m), "💠 Your balance");
}

#[tokio::test]
async fn autohunt_dms_and_live_panel_edits_follow_the_servers_language() {
    use chronix_core::ids::UserId;
    use chronix_core::render::format_chrons;
    use std::time::Duration;

    let (w, _) = World::start_with(Setup {
        env: vec![
            ("AUTOHUNT_INTERVAL_SECS", "1".into()),
            ("SCHEDULER_TICK_MS", "100".into()),
        ],
        ..Setup::default()
    })
    .await;
    let s = w.db.storage();
    seed(&s, w.member, 10).await; // a run costs more
    let m = w.say(w.owner, "chro language set fr").await;
    assert_eq!(title(&m), "✅ Langue mise à jour");

    let live = w.say(w.member, "chro autohunt enable").await;
    assert_eq!(title(&live), "💠 Chasse automatique");
    let session = chronix_storage::autohunt::get(&s, UserId::new(w.member))
        .await
        .unwrap()
        .unwrap();
    let (cost, wallet) = (
        format_chrons(session.cost),
        format_chrons(chronix_core::economy::Chrons::new(10)),
    );
    assert_eq!(
        embed(&live)["footer"]["text"].as_str().unwrap(),
        format!(
            "⚠️ Un passage coûte {cost} et vous avez {wallet} : gagnez d'abord des Chrons, sinon \
             la chasse automatique s'arrête."
        )
    );

    let dm =
        w.sb.wait_for_dm(w.member, Duration::from_secs(10))
            .await
            .expect("a DM about the stopped autohunt");
    assert_eq!(title(&dm), "⚠️ Chasse automatique arrêtée");
    assert_eq!(
        description(&dm),
        format!(
            "⏹️ Votre chasse automatique s'est arrêtée : un passage coûte {cost} et votre \
             portefeuille contient {wallet}. Gagnez des Chrons, puis relancez-la avec \
             `autohunt enable` (`ah on`)."
        )
    );
    let edited =
        w.sb.wait_for_edit(w.guild.general, Duration::from_secs(10))
            .await
            .expect("the live panel shows the stop");
    assert_eq!(edited.id, live.id);
    assert_eq!(
        field(&edited, "Statut"),
        format!("🔴 Arrêtée : un passage coûte {cost}, pas assez de Chrons")
    );
}
