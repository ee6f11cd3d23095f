//! Localisation: `language set` switches a server to French for prefix commands (and for
//! refusals), slash commands keep the user's Discord locale, and the registered slash commands
//! carry French names and descriptions.
//!
//! The sandbox driver sends every interaction with the user locale `en-US` and has no way to
//! set another one, so "a slash command with a `fr` user locale answers in French" is covered
//! by the unit tests of `chronix_discord::kernel::i18n` only.

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
