//! Localisation: every user-facing text is a Fluent message in
//! `crates/discord/locales/<locale>/<feature>.ftl` (the kernel's own texts in `kernel.ftl`),
//! embedded into the binary at compile time by `fluent-templates`.
//!
//! # The language to answer in
//!
//! 1. the interaction's user locale (slash commands and components carry one), if supported;
//! 2. else the server's setting (`language set <locale>`, stored in `guild_settings.language`);
//! 3. else English (`en-US`).
//!
//! A locale Chronix has no file for (`ja`, …) counts as unset; Discord's English variants
//! (`en-GB`) map to `en-US`. A message missing in a locale falls back to English.
//!
//! # API
//!
//! * [`tr!`](crate::tr)`(x, "economy-balance-title-other", user = name)` where `x` is anything
//!   [`Localize`]: a command [`Context`], a [`Locale`], a [`crate::Caller`].
//! * Components, listeners and jobs: [`locale_for`] (user locale + guild) or
//!   [`guild_locale`], then `tr!(locale, …)`.
//! * Command names and descriptions: `cmd-<qualified name, spaces as dashes>` (options:
//!   `cmd-<…>-opt-<option>`, see [`option_id`]) with the
//!   attributes `.description` (and, for other locales, `.name`); the registry fills the
//!   Discord localisations from them ([`localize_command`]).

use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::LazyLock;

pub use fluent_templates::fluent_bundle::FluentValue;
use fluent_templates::{LanguageIdentifier, Loader};

use crate::{Command, Context, Data};
use poise::serenity_prelude as serenity;

fluent_templates::static_loader! {
    static LOCALES = {
        locales: "./locales",
        fallback_language: "en-US",
        // Fluent wraps every placeholder in Unicode isolation marks (U+2068 … U+2069) by default;
        // several Discord clients render them as visible garbage, so they are turned off.
        customise: |bundle| bundle.set_use_isolating(false),
    };
}

/// The default locale.
pub const DEFAULT_LOCALE: &str = "en-US";

/// Every locale Chronix has files for (Discord locale codes), English first.
pub const SUPPORTED: &[&str] = &["en-US", "fr"];

/// Locales other than English and the files (features) each claims to translate completely: a
/// test checks that every message of those English files exists there too.
pub const COMPLETE: &[(&str, &[&str])] = &[(
    "fr",
    &[
        "kernel",
        "economy",
        "misc",
        "general",
        "hunt",
        "autohunt",
        "items",
        "moderation",
        "tickets",
        "levels",
        "logging",
        "owner",
        "welcome",
        "invites",
        "tempvoice",
        "announcements",
        "reactionroles",
        "tags",
        "pets",
        "giveaways",
        "eventboard",
        "battles",
        "clans",
        "teams",
    ],
)];

static IDS: LazyLock<Vec<LanguageIdentifier>> = LazyLock::new(|| {
    SUPPORTED
        .iter()
        .map(|s| s.parse().expect("a valid locale code"))
        .collect()
});

/// A supported locale.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Locale(usize);

impl Locale {
    /// English (`en-US`), the fallback.
    pub const EN: Locale = Locale(0);

    /// The supported locale for a Discord locale code (`fr`, `en-GB`, …); `None` if Chronix does
    /// not speak it.
    pub fn from_code(code: &str) -> Option<Locale> {
        let code = code.trim();
        if let Some(i) = SUPPORTED.iter().position(|s| s.eq_ignore_ascii_case(code)) {
            return Some(Locale(i));
        }
        let lang = code.split(['-', '_']).next()?;
        SUPPORTED
            .iter()
            .position(|s| {
                s.split('-')
                    .next()
                    .is_some_and(|l| l.eq_ignore_ascii_case(lang))
            })
            .map(Locale)
    }

    /// Every supported locale.
    pub fn all() -> impl Iterator<Item = Locale> {
        (0..SUPPORTED.len()).map(Locale)
    }

    /// Its code (`en-US`, `fr`).
    pub fn code(self) -> &'static str {
        SUPPORTED[self.0]
    }

    fn id(self) -> &'static LanguageIdentifier {
        &IDS[self.0]
    }

    /// The message `id` (English if this locale lacks it; the id itself, logged, if English
    /// lacks it too — a test keeps that from happening).
    pub fn tr(self, id: &str) -> String {
        self.tr_args(id, &[])
    }

    /// The message `id` with arguments.
    pub fn tr_args(self, id: &str, args: &[(&'static str, FluentValue<'_>)]) -> String {
        let map: HashMap<Cow<'static, str>, FluentValue<'_>> = args
            .iter()
            .map(|(k, v)| (Cow::Borrowed(*k), v.clone()))
            .collect();
        LOCALES
            .try_lookup_with_args(self.id(), id, &map)
            .unwrap_or_else(|| {
                tracing::warn!(id, locale = self.code(), "missing message");
                id.to_string()
            })
    }

    /// The message `id` in exactly this locale (no fallback), for Discord localisations.
    pub fn exact(self, id: &str) -> Option<String> {
        LOCALES
            .lookup_single_language::<&str>(self.id(), id, None)
            .ok()
    }
}

impl std::fmt::Display for Locale {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.code())
    }
}

/// Something that knows the language to answer in.
pub trait Localize {
    /// The locale (named `lang`: poise's `Context::locale` is the raw Discord code).
    fn lang(&self) -> Locale;
}

impl Localize for Locale {
    fn lang(&self) -> Locale {
        *self
    }
}

impl Localize for Context<'_> {
    fn lang(&self) -> Locale {
        locale_of(*self)
    }
}

impl Localize for crate::Caller {
    fn lang(&self) -> Locale {
        self.locale
    }
}

impl<T: Localize + ?Sized> Localize for &T {
    fn lang(&self) -> Locale {
        (**self).lang()
    }
}

/// A localised text: `tr!(ctx, "economy-wallet")`,
/// `tr!(locale, "economy-balance-text", user = mention, amount = n)`.
///
/// The first argument is anything [`Localize`] (a command context, a [`Locale`], a
/// [`crate::Caller`]); the id must be a string literal (a test checks it exists in English);
/// argument values are anything `FluentValue: From` (strings, integers, floats).
#[macro_export]
macro_rules! tr {
    ($l:expr, $id:literal $(,)?) => {
        $crate::kernel::i18n::Localize::lang(&$l).tr($id)
    };
    ($l:expr, $id:literal, $($k:ident = $v:expr),+ $(,)?) => {
        $crate::kernel::i18n::Localize::lang(&$l).tr_args(
            $id,
            &[$((stringify!($k), $crate::kernel::i18n::FluentValue::from($v))),+],
        )
    };
}

/// The language for a user (their Discord locale, if any) in a guild (its setting, if cached;
/// the global check reads the settings before every command, so a command always finds them).
pub fn resolve(data: &Data, user_locale: Option<&str>, guild: Option<u64>) -> Locale {
    user_locale
        .and_then(Locale::from_code)
        .or_else(|| {
            let s = data.settings().peek(guild?)?;
            s.language.as_deref().and_then(Locale::from_code)
        })
        .unwrap_or(Locale::EN)
}

/// The locale for a command's answer.
pub fn locale_of(ctx: Context<'_>) -> Locale {
    let user = match ctx {
        poise::Context::Application(a) => Some(a.interaction.locale.as_str()),
        poise::Context::Prefix(_) => None,
    };
    resolve(ctx.data(), user, ctx.guild_id().map(|g| g.get()))
}

/// The locale for a component or modal (user locale, else the guild's setting), reading the
/// settings if they are not cached.
pub async fn locale_for(data: &Data, user_locale: &str, guild: Option<u64>) -> Locale {
    if let Some(l) = Locale::from_code(user_locale) {
        return l;
    }
    guild_locale(data, guild).await
}

/// An interaction (component click, modal submit, slash command) that carries its user's
/// locale and its server: [`locale_of_interaction`] answers it in the right language.
pub trait InteractionOrigin {
    /// The user's Discord locale code and the server (`None` in DMs).
    fn origin(&self) -> (&str, Option<u64>);
}

impl InteractionOrigin for serenity::ComponentInteraction {
    fn origin(&self) -> (&str, Option<u64>) {
        (&self.locale, self.guild_id.map(|g| g.get()))
    }
}

impl InteractionOrigin for serenity::ModalInteraction {
    fn origin(&self) -> (&str, Option<u64>) {
        (&self.locale, self.guild_id.map(|g| g.get()))
    }
}

impl InteractionOrigin for serenity::CommandInteraction {
    fn origin(&self) -> (&str, Option<u64>) {
        (&self.locale, self.guild_id.map(|g| g.get()))
    }
}

/// The locale to answer an interaction in: [`locale_for`] its user's locale and server.
pub async fn locale_of_interaction(data: &Data, i: &impl InteractionOrigin) -> Locale {
    let (locale, guild) = i.origin();
    locale_for(data, locale, guild).await
}

/// The guild's language (for listeners and jobs, which have no user locale).
pub async fn guild_locale(data: &Data, guild: Option<u64>) -> Locale {
    let Some(g) = guild else { return Locale::EN };
    match data.settings().get(g).await {
        Ok(s) => s.language.as_deref().and_then(Locale::from_code),
        Err(e) => {
            tracing::warn!(error = %e, guild = g, "cannot read the guild's language");
            None
        }
    }
    .unwrap_or(Locale::EN)
}

/// The message id of a command: `cmd-<qualified name with spaces as dashes>`.
pub fn command_id(qualified_name: &str) -> String {
    format!("cmd-{}", qualified_name.replace(' ', "-"))
}

/// Whether `name` is a valid Discord command name (`^[-_\p{L}\p{N}]{1,32}$`, lower case).
pub fn is_valid_command_name(name: &str) -> bool {
    let n = name.chars().count();
    (1..=32).contains(&n)
        && name.chars().all(|c| {
            (c == '-' || c == '_' || c.is_alphanumeric()) && c.to_lowercase().eq(std::iter::once(c))
        })
}

/// Fill a command tree's English description and its Discord localisations (name and
/// description) from the Fluent files. `qualified_name` must be set (the registry does it).
pub fn localize_command(cmd: &mut Command) {
    let id = command_id(&cmd.qualified_name);
    if let Some(d) = Locale::EN.exact(&format!("{id}.description")) {
        cmd.description = Some(d.into());
    }
    let mut names = Vec::new();
    let mut descriptions = Vec::new();
    for l in Locale::all().skip(1) {
        if let Some(n) = l.exact(&format!("{id}.name")) {
            if is_valid_command_name(&n) {
                names.push((l.code().into(), n.into()));
            } else {
                tracing::warn!(command = %cmd.qualified_name, locale = %l, "invalid localised name {n:?}");
            }
        }
        if let Some(d) = l.exact(&format!("{id}.description")) {
            if (1..=100).contains(&d.chars().count()) {
                descriptions.push((l.code().into(), d.into()));
            }
        }
    }
    cmd.name_localizations = names.into();
    cmd.description_localizations = descriptions.into();
    for p in &mut cmd.parameters {
        localize_parameter(&id, p);
    }
    for sub in &mut cmd.subcommands {
        localize_command(sub);
    }
}

/// The message id of a command's option: `cmd-<command>-opt-<option>`.
pub fn option_id(command_id: &str, option: &str) -> String {
    format!("{command_id}-opt-{option}")
}

/// Fill an option's English description and its localisations from the message
/// `cmd-<command>-opt-<option>`: `.description` (≤ 100 chars), `.name` (other locales; the
/// command-name rules) and, for choices, `.choice-<English choice name, lower case, spaces as
/// dashes>` (other locales' labels, ≤ 100 chars). English choice names stay those of the code
/// (prefix commands parse them); the English `.choice-…` attributes are the reference the
/// other locales translate.
fn localize_parameter(command_id: &str, p: &mut poise::CommandParameter<Data, crate::Error>) {
    let id = option_id(command_id, &p.name);
    if let Some(d) = Locale::EN.exact(&format!("{id}.description")) {
        p.description = Some(d.into());
    }
    let mut names = Vec::new();
    let mut descriptions = Vec::new();
    for l in Locale::all().skip(1) {
        if let Some(n) = l.exact(&format!("{id}.name")) {
            if is_valid_command_name(&n) {
                names.push((l.code().into(), n.into()));
            } else {
                tracing::warn!(option = %id, locale = %l, "invalid localised option name {n:?}");
            }
        }
        if let Some(d) = l.exact(&format!("{id}.description")) {
            if (1..=100).contains(&d.chars().count()) {
                descriptions.push((l.code().into(), d.into()));
            }
        }
    }
    p.name_localizations = names.into();
    p.description_localizations = descriptions.into();
    let mut choices = p.choices.to_vec();
    for c in &mut choices {
        let key = format!("{id}.choice-{}", c.name.to_lowercase().replace(' ', "-"));
        let labels: Vec<_> = Locale::all()
            .skip(1)
            .filter_map(|l| {
                let label = l.exact(&key)?;
                (1..=100)
                    .contains(&label.chars().count())
                    .then(|| (l.code().into(), label.into()))
            })
            .collect();
        c.localizations = labels.into();
    }
    p.choices = choices.into();
}

/// A command's description in a locale (help texts), falling back to English.
pub fn command_description(cmd: &Command, locale: Locale) -> Option<String> {
    let id = format!("{}.description", command_id(&cmd.qualified_name));
    locale
        .exact(&id)
        .or_else(|| cmd.description.as_ref().map(|d| d.to_string()))
}

#[cfg(test)]
pub(crate) mod tests {
    use std::collections::{BTreeMap, BTreeSet};
    use std::path::{Path, PathBuf};

    use fluent_syntax::ast;

    use super::*;

    fn root() -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).to_path_buf()
    }

    /// `locale → file stem → (message id or `id.attribute` → placeholders)`.
    pub(crate) type Catalogue =
        BTreeMap<String, BTreeMap<String, BTreeMap<String, BTreeSet<String>>>>;

    fn vars_of_inline(e: &ast::InlineExpression<String>, out: &mut BTreeSet<String>) {
        match e {
            ast::InlineExpression::VariableReference { id } => {
                out.insert(id.name.clone());
            }
            ast::InlineExpression::Placeable { expression } => vars_of_expr(expression, out),
            ast::InlineExpression::FunctionReference { arguments, .. } => {
                for a in &arguments.positional {
                    vars_of_inline(a, out);
                }
                for a in &arguments.named {
                    vars_of_inline(&a.value, out);
                }
            }
            _ => {}
        }
    }

    fn vars_of_expr(e: &ast::Expression<String>, out: &mut BTreeSet<String>) {
        match e {
            ast::Expression::Inline(i) => vars_of_inline(i, out),
            ast::Expression::Select { selector, variants } => {
                vars_of_inline(selector, out);
                for v in variants {
                    vars_of_pattern(&v.value, out);
                }
            }
        }
    }

    fn vars_of_pattern(p: &ast::Pattern<String>, out: &mut BTreeSet<String>) {
        for el in &p.elements {
            if let ast::PatternElement::Placeable { expression } = el {
                vars_of_expr(expression, out);
            }
        }
    }

    /// Every locale file, parsed (panics with the file and the errors if one does not parse).
    pub(crate) fn catalogue() -> Catalogue {
        let mut out = Catalogue::new();
        for dir in std::fs::read_dir(root().join("locales")).unwrap() {
            let dir = dir.unwrap().path();
            let locale = dir.file_name().unwrap().to_string_lossy().to_string();
            for f in std::fs::read_dir(&dir).unwrap() {
                let f = f.unwrap().path();
                assert_eq!(f.extension().and_then(|e| e.to_str()), Some("ftl"), "{f:?}");
                let stem = f.file_stem().unwrap().to_string_lossy().to_string();
                let text = std::fs::read_to_string(&f).unwrap();
                let res = fluent_syntax::parser::parse(text)
                    .unwrap_or_else(|(_, errs)| panic!("{} does not parse: {errs:?}", f.display()));
                let mut msgs = BTreeMap::new();
                for entry in res.body {
                    match entry {
                        ast::Entry::Message(m) => {
                            if let Some(v) = &m.value {
                                let mut vars = BTreeSet::new();
                                vars_of_pattern(v, &mut vars);
                                msgs.insert(m.id.name.clone(), vars);
                            }
                            for a in &m.attributes {
                                let mut vars = BTreeSet::new();
                                vars_of_pattern(&a.value, &mut vars);
                                msgs.insert(format!("{}.{}", m.id.name, a.id.name), vars);
                            }
                        }
                        ast::Entry::Junk { content } => {
                            panic!("{}: junk {content:?}", f.display())
                        }
                        _ => {}
                    }
                }
                out.entry(locale.clone()).or_default().insert(stem, msgs);
            }
        }
        out
    }

    /// Every message id (or `id.attribute`) of a locale, with the file it is in.
    fn ids_of(c: &Catalogue, locale: &str) -> BTreeMap<String, String> {
        let mut ids = BTreeMap::new();
        for (file, msgs) in &c[locale] {
            for id in msgs.keys() {
                if let Some(other) = ids.insert(id.clone(), file.clone()) {
                    panic!("{locale}: {id} is in both {file}.ftl and {other}.ftl");
                }
            }
        }
        ids
    }

    /// The ids the sources pass to `tr!` (the literal after the first argument).
    fn ids_in_sources() -> BTreeSet<(String, String)> {
        let mut out = BTreeSet::new();
        let mut stack = vec![root().join("src")];
        while let Some(d) = stack.pop() {
            for e in std::fs::read_dir(&d).unwrap() {
                let p = e.unwrap().path();
                if p.is_dir() {
                    stack.push(p);
                    continue;
                }
                if p.extension().is_none_or(|e| e != "rs") {
                    continue;
                }
                let text = std::fs::read_to_string(&p).unwrap();
                let needle = ["tr", "!("].concat();
                for (at, _) in text.match_indices(&needle) {
                    let rest = &text[at + needle.len()..];
                    let line_start = text[..at].rfind('\n').map_or(0, |i| i + 1);
                    let line = text[line_start..at].trim_start();
                    // Comments and the macro's own definition are not uses.
                    if line.starts_with("//") || rest.starts_with('$') {
                        continue;
                    }
                    let Some(q) = rest.find('"') else { continue };
                    let lit = &rest[q + 1..];
                    let Some(end) = lit.find('"') else { continue };
                    out.insert((lit[..end].to_string(), p.display().to_string()));
                }
            }
        }
        out
    }

    #[test]
    fn every_locale_file_parses_and_every_supported_locale_has_files() {
        let c = catalogue();
        let dirs: BTreeSet<&str> = c.keys().map(String::as_str).collect();
        let supported: BTreeSet<&str> = SUPPORTED.iter().copied().collect();
        assert_eq!(dirs, supported, "locales/ folders versus SUPPORTED");
        for l in SUPPORTED {
            ids_of(&c, l); // no id twice
        }
    }

    #[test]
    fn every_id_used_in_code_exists_in_english() {
        let c = catalogue();
        let en = ids_of(&c, DEFAULT_LOCALE);
        let used = ids_in_sources();
        assert!(used.len() > 20, "the scan found too few ids: {used:?}");
        let missing: Vec<_> = used.iter().filter(|(id, _)| !en.contains_key(id)).collect();
        assert!(missing.is_empty(), "ids missing in en-US: {missing:?}");
    }

    #[test]
    fn complete_locales_have_every_english_id_of_the_files_they_claim() {
        let c = catalogue();
        for (locale, files) in COMPLETE {
            for f in *files {
                let en = &c[DEFAULT_LOCALE][*f];
                let other = c[*locale]
                    .get(*f)
                    .unwrap_or_else(|| panic!("{locale}/{f}.ftl is missing"));
                let missing: Vec<_> = en
                    .keys()
                    .filter(|id| !other.contains_key(*id) && !id.ends_with(".name"))
                    .collect();
                assert!(missing.is_empty(), "{locale}/{f}.ftl lacks {missing:?}");
            }
        }
    }

    #[test]
    fn placeholders_match_across_locales() {
        let c = catalogue();
        let mut en = BTreeMap::new();
        for msgs in c[DEFAULT_LOCALE].values() {
            en.extend(msgs.iter());
        }
        for (locale, files) in &c {
            for (file, msgs) in files {
                for (id, vars) in msgs {
                    if id.ends_with(".name") {
                        continue;
                    }
                    let Some(en_vars) = en.get(id) else {
                        panic!("{locale}/{file}.ftl: {id} is not in English");
                    };
                    assert_eq!(vars, *en_vars, "{locale}/{file}.ftl: placeholders of {id}");
                }
            }
        }
    }

    #[test]
    fn localised_command_names_and_descriptions_follow_discords_rules() {
        let c = catalogue();
        for (locale, files) in &c {
            for msgs in files.values() {
                for id in msgs.keys().filter(|id| id.starts_with("cmd-")) {
                    let text = Locale::from_code(locale).unwrap().exact(id).unwrap();
                    if id.ends_with(".name") {
                        assert!(is_valid_command_name(&text), "{locale}: {id} = {text:?}");
                    } else if id.ends_with(".description") {
                        let n = text.chars().count();
                        assert!((1..=100).contains(&n), "{locale}: {id} has {n} chars");
                    }
                }
            }
        }
    }

    #[test]
    fn lookups_fall_back_and_have_no_isolation_marks() {
        let fr = Locale::from_code("fr").unwrap();
        assert_eq!(Locale::from_code("en-GB"), Some(Locale::EN));
        assert_eq!(Locale::from_code("ja"), None);
        assert_eq!(
            tr!(Locale::EN, "error-cooldown", seconds = 5),
            "Slow down! Try again in 5 s."
        );
        assert_eq!(
            tr!(fr, "error-cooldown", seconds = 5),
            "Doucement ! Réessayez dans 5 s."
        );
        let s = tr!(fr, "economy-balance-title-other", user = "alice");
        assert_eq!(s, "Solde de alice");
        assert!(!s.contains('\u{2068}') && !s.contains('\u{2069}'));
        assert_eq!(Locale::EN.tr("no-such-message"), "no-such-message");
        // A leading `{"  "}` keeps the indentation Fluent strips from continuation lines.
        assert_eq!(
            tr!(
                Locale::EN,
                "economy-shop-line",
                item = "I",
                buy = "1",
                sell = "2",
                description = "D"
            ),
            "I\n  buy 1 • sells for 2 • D"
        );
        assert_eq!(tr!(Locale::EN, "economy-streak-days", days = 1), "🔥 1 day");
        assert_eq!(
            tr!(Locale::EN, "economy-streak-days", days = 3),
            "🔥 3 days"
        );
    }

    #[test]
    fn command_names() {
        assert!(is_valid_command_name("solde"));
        assert!(is_valid_command_name("classement-général"));
        assert!(!is_valid_command_name("Solde"));
        assert!(!is_valid_command_name("two words"));
        assert!(!is_valid_command_name(""));
    }
}
