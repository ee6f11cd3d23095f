//! Wizard: a multi-step panel (selects, buttons, modals, Back / Next / Cancel), an automatic
//! preview step and a confirm step, with its state stored in the database (`ui_wizards`, see
//! [`chronix_storage::wizards`]) so that a restart mid-wizard resumes it or expires it cleanly.
//!
//! A feature describes its wizard once with a typed state `S` ([`WizardSpec`]) and registers it
//! ([`crate::registry::Feature::wizard`]); a command opens one with [`start`]. Then the kernel
//!
//! * answers only the owner (anyone else gets an ephemeral "not yours"),
//! * loads the row, applies the click (a step's input, Back, Next, Cancel, Confirm) and stores
//!   step and state on every action, each action bumping the row's `version`;
//! * refuses a click drawn with an older version (two fast clicks on the same panel: one
//!   applies, the other is told the panel changed), so the feature's `on_confirm` runs once;
//! * slides the expiry ([`WizardSpec::ttl`], 15 minutes by default) on every action; the kernel
//!   job [`EXPIRE_JOB`] marks wizards past it expired and edits their message to say so
//!   (without components), after a restart too.
//!
//! Steps `0..n` are the feature's; step `n` is the preview (the feature's summary of the state)
//! and step `n + 1` the confirm step, whose Confirm button calls the feature's `on_confirm`.
//! The row is marked done *before* `on_confirm` runs (that is what makes it run once): if it
//! fails, the owner gets the usual error report and the wizard stays finished; `on_confirm`
//! should do its work in one storage transaction.
//!
//! Opening a modal changes nothing; its submission carries the version of the panel it was
//! opened from, so a submission after another action on the panel is refused as stale.
//!
//! Button ids: `chx:wiz:<id>:<version>:<action>` with action `b` (back), `n` (next), `x`
//! (cancel), `ok` (confirm), `s.<key>` (a select), `k.<key>` (a button), `m.<key>` (opens a
//! modal) and, for the modal's submission, `M.<key>`.

use std::sync::Arc;

use chronix_core::ids::{ChannelId, GuildId, UserId};
use chronix_storage::wizards::{self as store, NewWizard, Outcome, Status, Wizard, WizardId};
use chrono::{DateTime, Utc};
use poise::serenity_prelude as serenity;
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::embeds::{self, Embed};
use crate::errors::UserError;
use crate::kernel::i18n::Locale;
use crate::kernel::ids::{ToCore, ToDiscord};
use crate::registry::BoxFuture;
use crate::tr;
use crate::{Data, Error};

mod run;
pub use run::{expire_job, on_click, on_modal, start};

/// `custom_id` prefix of every wizard button, select and modal.
pub const PREFIX: &str = "chx:wiz:";
/// The job kind that expires wizards nobody touched in time.
pub const EXPIRE_JOB: &str = "ui.wizard_expire";
/// How long a wizard waits for its owner by default (sliding: every action restarts it).
pub const DEFAULT_TTL: chrono::Duration = chrono::Duration::minutes(15);
/// Wizards expired per job run.
const SWEEP: i64 = 50;

/// A control a step draws under its embed.
#[derive(Debug, Clone)]
pub enum Control {
    /// A string select (one row); its choice reaches `on_input` as [`Input::Select`].
    Select {
        /// The key `on_input` sees (short, no `:`).
        key: &'static str,
        /// Shown when nothing is picked.
        placeholder: String,
        /// `(label, value, selected)`.
        options: Vec<(String, String, bool)>,
        /// At least this many values.
        min: u8,
        /// At most this many values.
        max: u8,
    },
    /// A button; a press reaches `on_input` as [`Input::Button`].
    Button {
        /// The key `on_input` sees.
        key: &'static str,
        /// Its label.
        label: String,
    },
    /// A button that opens a modal; the submission reaches `on_input` as [`Input::Modal`].
    Modal(ModalSpec),
}

/// A modal a step opens.
#[derive(Debug, Clone)]
pub struct ModalSpec {
    /// The key `on_input` sees.
    pub key: &'static str,
    /// The label of the button that opens it.
    pub button: String,
    /// The modal's title.
    pub title: String,
    /// Its text inputs.
    pub fields: Vec<TextField>,
}

/// A text input of a modal.
#[derive(Debug, Clone)]
pub struct TextField {
    /// Its key in [`Input::Modal`].
    pub key: &'static str,
    /// Its label.
    pub label: String,
    /// Pre-filled value (the current state).
    pub value: Option<String>,
    /// Whether it must be filled.
    pub required: bool,
    /// Longest accepted value.
    pub max_len: u16,
    /// A paragraph instead of one line.
    pub long: bool,
}

/// What a step shows: its embed (the kernel adds the step counter in the footer) and controls.
#[derive(Debug, Clone)]
pub struct View {
    /// The embed.
    pub embed: Embed,
    /// At most 3 selects; buttons and modal openers share one row (at most 5).
    pub controls: Vec<Control>,
}

/// What the owner did on a step.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Input {
    /// Picked values in a select.
    Select {
        /// The select's key.
        key: String,
        /// The values picked.
        values: Vec<String>,
    },
    /// Pressed a button.
    Button {
        /// The button's key.
        key: String,
    },
    /// Submitted a modal.
    Modal {
        /// The modal's key.
        key: String,
        /// `(field key, value)`.
        values: Vec<(String, String)>,
    },
}

impl Input {
    /// The control's key.
    pub fn key(&self) -> &str {
        match self {
            Input::Select { key, .. } | Input::Button { key } | Input::Modal { key, .. } => key,
        }
    }
    /// A modal field's value (trimmed; `None` when empty or absent).
    pub fn field(&self, name: &str) -> Option<&str> {
        match self {
            Input::Modal { values, .. } => values
                .iter()
                .find(|(k, _)| k == name)
                .map(|(_, v)| v.trim())
                .filter(|v| !v.is_empty()),
            _ => None,
        }
    }
    /// The first value picked in a select.
    pub fn first(&self) -> Option<&str> {
        match self {
            Input::Select { values, .. } => values.first().map(String::as_str),
            _ => None,
        }
    }
}

/// One step of a wizard over state `S`.
pub struct Step<S> {
    /// Draws the step.
    pub draw: fn(&S, Locale) -> View,
    /// Applies an input to the state (a [`UserError`] is shown to the owner, nothing stored).
    pub on_input: fn(&mut S, &Input, Locale) -> Result<(), UserError>,
    /// Whether Next is enabled (the step's required answers are given).
    pub ready: fn(&S) -> bool,
}

impl<S> Step<S> {
    /// A step that is always ready.
    pub fn new(
        draw: fn(&S, Locale) -> View,
        on_input: fn(&mut S, &Input, Locale) -> Result<(), UserError>,
    ) -> Self {
        Self {
            draw,
            on_input,
            ready: |_| true,
        }
    }
    /// Next stays disabled until `ready` holds.
    pub fn ready(mut self, ready: fn(&S) -> bool) -> Self {
        self.ready = ready;
        self
    }
}

/// What `on_confirm` gets.
#[derive(Debug, Clone)]
pub struct Confirmed<S> {
    /// The wizard.
    pub id: WizardId,
    /// Its owner (who pressed Confirm).
    pub owner: UserId,
    /// Its guild.
    pub guild: Option<GuildId>,
    /// Its channel.
    pub channel: Option<ChannelId>,
    /// The final state.
    pub state: S,
    /// The owner's language.
    pub locale: Locale,
}

/// The feature's action on Confirm; its embed replaces the panel.
pub type ConfirmFn<S> = for<'a> fn(&'a Data, Confirmed<S>) -> BoxFuture<'a, Result<Embed, Error>>;

/// A wizard over a typed state `S` (serialised as JSON in the database).
pub struct WizardSpec<S> {
    /// Its registered name (stored in `ui_wizards.kind`).
    pub name: &'static str,
    /// Its title (preview, confirm, cancelled and expired panels).
    pub title: fn(Locale) -> String,
    /// Its steps, in order (at least one).
    pub steps: Vec<Step<S>>,
    /// The preview: `(name, value)` fields summing the state up.
    pub summary: fn(&S, Locale) -> Vec<(String, String)>,
    /// The action on Confirm.
    pub on_confirm: ConfirmFn<S>,
    /// Idle time before it expires (sliding).
    pub ttl: chrono::Duration,
}

impl<S> WizardSpec<S>
where
    S: Serialize + DeserializeOwned + Send + Sync + 'static,
{
    /// A wizard with [`DEFAULT_TTL`].
    pub fn new(
        name: &'static str,
        title: fn(Locale) -> String,
        steps: Vec<Step<S>>,
        summary: fn(&S, Locale) -> Vec<(String, String)>,
        on_confirm: ConfirmFn<S>,
    ) -> Self {
        Self {
            name,
            title,
            steps,
            summary,
            on_confirm,
            ttl: DEFAULT_TTL,
        }
    }
    /// Another idle time.
    pub fn ttl(mut self, ttl: chrono::Duration) -> Self {
        self.ttl = ttl;
        self
    }
    /// The registrable, type-erased definition.
    pub fn build(self) -> WizardDef {
        assert!(!self.steps.is_empty(), "wizard {} has no step", self.name);
        assert!(
            !self.name.contains(':'),
            "wizard name {} contains :",
            self.name
        );
        WizardDef {
            name: self.name,
            ttl: self.ttl,
            steps: self.steps.len(),
            inner: Arc::new(self),
        }
    }
}

/// The state as JSON, behind the typed [`WizardSpec`].
trait Erased: Send + Sync {
    fn title(&self, l: Locale) -> String;
    fn draw(&self, step: usize, state: &serde_json::Value, l: Locale) -> Result<View, Error>;
    fn ready(&self, step: usize, state: &serde_json::Value) -> Result<bool, Error>;
    fn input(
        &self,
        step: usize,
        state: &serde_json::Value,
        input: &Input,
        l: Locale,
    ) -> Result<Result<serde_json::Value, UserError>, Error>;
    fn summary(&self, state: &serde_json::Value, l: Locale)
    -> Result<Vec<(String, String)>, Error>;
    fn confirm<'a>(
        &'a self,
        data: &'a Data,
        w: &Wizard,
        l: Locale,
    ) -> BoxFuture<'a, Result<Embed, Error>>;
}

fn typed<S: DeserializeOwned>(v: &serde_json::Value) -> Result<S, Error> {
    Ok(serde_json::from_value(v.clone())?)
}

impl<S> Erased for WizardSpec<S>
where
    S: Serialize + DeserializeOwned + Send + Sync + 'static,
{
    fn title(&self, l: Locale) -> String {
        (self.title)(l)
    }
    fn draw(&self, step: usize, state: &serde_json::Value, l: Locale) -> Result<View, Error> {
        let s: S = typed(state)?;
        Ok((self.steps[step].draw)(&s, l))
    }
    fn ready(&self, step: usize, state: &serde_json::Value) -> Result<bool, Error> {
        let s: S = typed(state)?;
        Ok((self.steps[step].ready)(&s))
    }
    fn input(
        &self,
        step: usize,
        state: &serde_json::Value,
        input: &Input,
        l: Locale,
    ) -> Result<Result<serde_json::Value, UserError>, Error> {
        let mut s: S = typed(state)?;
        Ok(match (self.steps[step].on_input)(&mut s, input, l) {
            Ok(()) => Ok(serde_json::to_value(&s)?),
            Err(e) => Err(e),
        })
    }
    fn summary(
        &self,
        state: &serde_json::Value,
        l: Locale,
    ) -> Result<Vec<(String, String)>, Error> {
        let s: S = typed(state)?;
        Ok((self.summary)(&s, l))
    }
    fn confirm<'a>(
        &'a self,
        data: &'a Data,
        w: &Wizard,
        l: Locale,
    ) -> BoxFuture<'a, Result<Embed, Error>> {
        let state: Result<S, Error> = typed(&w.state);
        let (id, owner, guild, channel) = (w.id, w.owner, w.guild, w.channel);
        Box::pin(async move {
            let c = Confirmed {
                id,
                owner,
                guild,
                channel,
                state: state?,
                locale: l,
            };
            (self.on_confirm)(data, c).await
        })
    }
}

/// A registered wizard (see [`WizardSpec::build`]).
#[derive(Clone)]
pub struct WizardDef {
    /// Its name.
    pub name: &'static str,
    /// Its idle time.
    pub ttl: chrono::Duration,
    steps: usize,
    inner: Arc<dyn Erased>,
}

impl std::fmt::Debug for WizardDef {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WizardDef")
            .field("name", &self.name)
            .field("steps", &self.steps)
            .finish()
    }
}

/// What a click asks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    /// Back.
    Back,
    /// Next.
    Next,
    /// Cancel.
    Cancel,
    /// Confirm.
    Confirm,
    /// A select of the step.
    Select(String),
    /// A button of the step.
    Button(String),
    /// Open a modal of the step.
    OpenModal(String),
    /// A modal's submission.
    Submit(String),
}

impl Action {
    fn code(&self) -> String {
        match self {
            Action::Back => "b".into(),
            Action::Next => "n".into(),
            Action::Cancel => "x".into(),
            Action::Confirm => "ok".into(),
            Action::Select(k) => format!("s.{k}"),
            Action::Button(k) => format!("k.{k}"),
            Action::OpenModal(k) => format!("m.{k}"),
            Action::Submit(k) => format!("M.{k}"),
        }
    }
    fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "b" => Action::Back,
            "n" => Action::Next,
            "x" => Action::Cancel,
            "ok" => Action::Confirm,
            _ => {
                let (tag, key) = s.split_once('.')?;
                let key = key.to_string();
                match tag {
                    "s" => Action::Select(key),
                    "k" => Action::Button(key),
                    "m" => Action::OpenModal(key),
                    "M" => Action::Submit(key),
                    _ => return None,
                }
            }
        })
    }
}

/// The `custom_id` of a control.
pub fn custom_id(id: WizardId, version: i64, action: &Action) -> String {
    format!("{PREFIX}{id}:{version}:{}", action.code())
}

/// Parses a control's `custom_id`: `(wizard, version, action)`.
pub fn parse(custom_id: &str) -> Option<(WizardId, i64, Action)> {
    let rest = custom_id.strip_prefix(PREFIX)?;
    let mut parts = rest.splitn(3, ':');
    let id = WizardId::new(parts.next()?.parse().ok()?);
    let version = parts.next()?.parse().ok()?;
    let action = Action::parse(parts.next()?)?;
    Some((id, version, action))
}

/// The panel of a wizard at its stored step: embed and component rows.
pub fn render(
    def: &WizardDef,
    w: &Wizard,
    l: Locale,
) -> Result<(Embed, Vec<serenity::CreateActionRow>), Error> {
    let n = def.steps;
    let step = (w.step as usize).min(n + 1);
    let total = n + 2;
    let cid = |a: &Action| custom_id(w.id, w.version, a);
    let button = |a: Action, label: String, style: serenity::ButtonStyle, disabled: bool| {
        serenity::CreateButton::new(cid(&a))
            .label(label)
            .style(style)
            .disabled(disabled)
    };
    let mut rows = Vec::new();
    let embed = if step < n {
        let view = def.inner.draw(step, &w.state, l)?;
        let mut extra = Vec::new();
        for c in view.controls {
            match c {
                Control::Select {
                    key,
                    placeholder,
                    options,
                    min,
                    max,
                } => {
                    let options = options
                        .into_iter()
                        .map(|(label, value, on)| {
                            serenity::CreateSelectMenuOption::new(label, value)
                                .default_selection(on)
                        })
                        .collect();
                    rows.push(serenity::CreateActionRow::SelectMenu(
                        serenity::CreateSelectMenu::new(
                            cid(&Action::Select(key.into())),
                            serenity::CreateSelectMenuKind::String { options },
                        )
                        .placeholder(placeholder)
                        .min_values(min)
                        .max_values(max),
                    ));
                }
                Control::Button { key, label } => extra.push(button(
                    Action::Button(key.into()),
                    label,
                    serenity::ButtonStyle::Secondary,
                    false,
                )),
                Control::Modal(m) => extra.push(button(
                    Action::OpenModal(m.key.into()),
                    m.button,
                    serenity::ButtonStyle::Secondary,
                    false,
                )),
            }
        }
        if !extra.is_empty() {
            rows.push(serenity::CreateActionRow::Buttons(extra));
        }
        let ready = def.inner.ready(step, &w.state)?;
        rows.push(serenity::CreateActionRow::Buttons(vec![
            button(
                Action::Back,
                tr!(l, "wizard-back"),
                serenity::ButtonStyle::Secondary,
                step == 0,
            ),
            button(
                Action::Next,
                tr!(l, "wizard-next"),
                serenity::ButtonStyle::Primary,
                !ready,
            ),
            button(
                Action::Cancel,
                tr!(l, "wizard-cancel"),
                serenity::ButtonStyle::Danger,
                false,
            ),
        ]));
        view.embed
    } else {
        let mut e = if step == n {
            Embed::info(def.inner.title(l)).description(tr!(l, "wizard-preview"))
        } else {
            Embed::warning(def.inner.title(l)).description(tr!(l, "wizard-confirm-question"))
        };
        for (name, value) in def.inner.summary(&w.state, l)? {
            e = e.field(name, value, true);
        }
        let forward = if step == n {
            button(
                Action::Next,
                tr!(l, "wizard-next"),
                serenity::ButtonStyle::Primary,
                false,
            )
        } else {
            button(
                Action::Confirm,
                tr!(l, "wizard-confirm"),
                serenity::ButtonStyle::Success,
                false,
            )
        };
        rows.push(serenity::CreateActionRow::Buttons(vec![
            button(
                Action::Back,
                tr!(l, "wizard-back"),
                serenity::ButtonStyle::Secondary,
                false,
            ),
            forward,
            button(
                Action::Cancel,
                tr!(l, "wizard-cancel"),
                serenity::ButtonStyle::Danger,
                false,
            ),
        ]));
        e
    };
    let embed = embed.footer(tr!(
        l,
        "wizard-step",
        step = (step + 1) as i64,
        total = total as i64
    ));
    if rows.len() > 5 {
        anyhow::bail!(
            "wizard {} step {step} draws {} rows (max 5)",
            def.name,
            rows.len()
        );
    }
    Ok((embed, rows))
}

/// The panel of a wizard that no longer takes clicks (no components).
pub fn closed_panel(def: Option<&WizardDef>, status: Status, l: Locale) -> Embed {
    let title = def.map_or_else(|| tr!(l, "wizard-title"), |d| d.inner.title(l));
    match status {
        Status::Cancelled => Embed::info(title).description(tr!(l, "wizard-cancelled")),
        Status::Expired | Status::Open => Embed::info(title).description(tr!(l, "wizard-expired")),
        Status::Done => Embed::info(title).description(tr!(l, "wizard-closed")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stored(step: u32, state: serde_json::Value) -> Wizard {
        let t = DateTime::from_timestamp(1_900_000_000, 0).unwrap();
        Wizard {
            id: WizardId::new(12),
            kind: crate::debug::TEST_WIZARD.into(),
            owner: UserId::new(7),
            guild: None,
            channel: None,
            message: None,
            step,
            state,
            version: 3,
            status: Status::Open,
            expires_at: t,
            created_at: t,
            updated_at: t,
        }
    }

    /// `(type, custom_id, label, disabled)` of every component, row by row.
    fn components(rows: &[serenity::CreateActionRow]) -> Vec<Vec<(u64, String, String, bool)>> {
        rows.iter()
            .map(|r| {
                let v = serde_json::to_value(r).unwrap();
                v["components"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|c| {
                        (
                            c["type"].as_u64().unwrap(),
                            c["custom_id"].as_str().unwrap_or_default().to_string(),
                            c["label"].as_str().unwrap_or_default().to_string(),
                            c["disabled"].as_bool().unwrap_or(false),
                        )
                    })
                    .collect()
            })
            .collect()
    }

    #[test]
    fn steps_preview_and_confirm_are_drawn_with_versioned_ids() {
        let registry = crate::registry::Registry::new(crate::debug::test_features());
        let def = registry.wizard(crate::debug::TEST_WIZARD).unwrap().clone();
        let l = Locale::EN;
        let empty = serde_json::json!({"colour": null, "name": null, "count": 0, "nonce": 1});
        let (e, rows) = render(&def, &stored(0, empty.clone()), l).unwrap();
        assert_eq!(e.footer, "Step 1/4");
        let c = components(&rows);
        assert_eq!(c.len(), 2, "the select's row and the navigation row");
        assert_eq!(c[0][0].0, 3);
        assert_eq!(c[0][0].1, "chx:wiz:12:3:s.colour");
        let nav: Vec<(&str, &str, bool)> = c[1]
            .iter()
            .map(|b| (b.1.as_str(), b.2.as_str(), b.3))
            .collect();
        assert_eq!(
            nav,
            [
                ("chx:wiz:12:3:b", "◀ Back", true),
                ("chx:wiz:12:3:n", "Next ▶", true),
                ("chx:wiz:12:3:x", "Cancel", false)
            ]
        );

        let (e, rows) = render(&def, &stored(1, empty.clone()), l).unwrap();
        assert_eq!(e.footer, "Step 2/4");
        let c = components(&rows);
        let ids: Vec<&str> = c[0].iter().map(|b| b.1.as_str()).collect();
        assert_eq!(ids, ["chx:wiz:12:3:m.name", "chx:wiz:12:3:k.plus"]);

        let full = serde_json::json!({"colour": "red", "name": "Ada", "count": 2, "nonce": 1});
        let (e, rows) = render(&def, &stored(2, full.clone()), l).unwrap();
        assert_eq!(e.title, "Test wizard");
        assert_eq!(e.footer, "Step 3/4");
        let fields: Vec<(&str, &str)> = e
            .fields
            .iter()
            .map(|f| (f.name.as_str(), f.value.as_str()))
            .collect();
        assert_eq!(fields, [("Colour", "red"), ("Name", "Ada"), ("Count", "2")]);
        assert_eq!(components(&rows)[0][1].1, "chx:wiz:12:3:n");
        let (e, rows) = render(&def, &stored(3, full), l).unwrap();
        assert_eq!(e.footer, "Step 4/4");
        let labels: Vec<String> = components(&rows)[0].iter().map(|b| b.2.clone()).collect();
        assert_eq!(labels, ["◀ Back", "Confirm", "Cancel"]);
        assert_eq!(components(&rows)[0][1].1, "chx:wiz:12:3:ok");
    }

    #[test]
    #[should_panic(expected = "wizard testwiz registered twice")]
    fn a_wizard_name_is_registered_once() {
        let mut features = crate::debug::test_features();
        features.extend(crate::debug::test_features().into_iter().map(|mut f| {
            f.name = "debug2";
            f
        }));
        let _ = crate::registry::Registry::new(features);
    }

    #[test]
    fn custom_ids_round_trip_and_fit_discord() {
        let key = "k".repeat(40);
        for a in [
            Action::Back,
            Action::Next,
            Action::Cancel,
            Action::Confirm,
            Action::Select(key.clone()),
            Action::Button(key.clone()),
            Action::OpenModal(key.clone()),
            Action::Submit(key.clone()),
        ] {
            let id = custom_id(WizardId::new(i64::MAX), i64::MAX, &a);
            assert!(id.len() <= 100, "{id}: {} chars", id.len());
            assert_eq!(parse(&id), Some((WizardId::new(i64::MAX), i64::MAX, a)));
        }
        assert_eq!(parse("chx:wiz:1:2:zz"), None);
        assert_eq!(parse("chx:wiz:x:2:n"), None);
        assert_eq!(parse("chx:pg:1:2:n"), None);
    }
}
