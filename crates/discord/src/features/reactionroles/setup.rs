//! `rr setup`: the panel wizard (kernel [`crate::ui::wizard`]).
//!
//! Steps: 1. how (mode, delivery, cap per member) → 2. roles (refused with the reason when
//! the bot may not give one: at or above its highest role, managed, @everyone) → 3. emojis
//! and labels (a modal, one line per role: `<emoji> [label]`) → 4. the panel message (title
//! and text) → preview → confirm. The server's roles and the bot's highest position are read
//! once when the wizard opens and kept in its state; Confirm checks them again live.

use chronix_core::ids::RoleId;
use chronix_core::reactionroles::{
    self as rules, Delivery, Emoji, Entry, Mode, PanelConfig, RoleFacts,
};
use chronix_storage::reactionroles as store;
use serde::{Deserialize, Serialize};

use super::{PREFIX, delivery_name, mention, mode_name, panel_error, refused, role_problem};
use crate::kernel::ids::{ToCore, ToDiscord};
use crate::prelude::*;
use crate::ui::wizard::{Control, Input, ModalSpec, Step, TextField, View, WizardDef, WizardSpec};

/// The wizard's registered name.
pub const WIZARD: &str = "reactionroles.setup";
/// Options per select (Discord's limit).
const OPTIONS: usize = 25;
/// Caps offered (0: none).
const CAPS: [u8; 5] = [0, 1, 2, 3, 5];
/// Emojis a reaction panel starts with, in order.
const DEFAULT_EMOJIS: [&str; 20] = [
    "🔴", "🟠", "🟡", "🟢", "🔵", "🟣", "🟤", "⚫", "⚪", "🟥", "🟧", "🟨", "🟩", "🟦", "🟪", "🟫",
    "⭐", "🔥", "💧", "🍀",
];

/// The wizard's state.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Setup {
    /// The server's roles (highest first), with what decides whether the bot may give them.
    pub roles: Vec<RoleFacts>,
    /// The bot's highest role position.
    pub bot_top: i64,
    /// Mode.
    pub mode: Mode,
    /// Delivery.
    pub delivery: Delivery,
    /// Cap per member (0: none).
    pub max: u8,
    /// The panel's roles with their emojis and labels, in order.
    pub entries: Vec<Entry>,
    /// Panel title.
    pub title: String,
    /// Panel text.
    pub description: String,
}

impl Setup {
    /// The panel configuration the wizard describes.
    pub fn config(&self) -> PanelConfig {
        PanelConfig {
            title: self.title.clone(),
            description: self.description.clone(),
            mode: self.mode,
            delivery: self.delivery,
            max: self.max,
            entries: self.entries.clone(),
        }
    }

    fn role_name(&self, id: RoleId) -> String {
        self.roles
            .iter()
            .find(|r| r.id == id)
            .map_or_else(|| id.to_string(), |r| r.name.clone())
    }
}

fn label(s: &str) -> String {
    crate::embeds::truncate(s, 100)
}

fn refuse(l: Locale, text: String) -> UserError {
    UserError::Refused {
        title: tr!(l, "rr-refused-title"),
        text,
    }
}

fn entries_text(s: &Setup) -> String {
    s.entries
        .iter()
        .map(|e| {
            format!(
                "{} {}",
                e.emoji
                    .as_ref()
                    .map_or_else(|| "-".to_string(), Emoji::markdown),
                e.label
            )
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn entries_shown(s: &Setup, none: String) -> String {
    if s.entries.is_empty() {
        return none;
    }
    s.entries
        .iter()
        .map(|e| {
            format!(
                "{} {} ({})",
                e.emoji
                    .as_ref()
                    .map_or_else(|| "·".to_string(), Emoji::markdown),
                mention(e.role),
                e.label
            )
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// The wizard's definition.
pub fn wizard() -> WizardDef {
    let how = Step::new(
        |s: &Setup, l| View {
            embed: Embed::info(tr!(l, "rr-setup-how-title")).description(tr!(l, "rr-setup-how")),
            controls: vec![
                Control::Select {
                    key: "mode",
                    placeholder: tr!(l, "rr-setup-mode"),
                    options: Mode::ALL
                        .iter()
                        .map(|m| (mode_name(l, *m), m.name().to_string(), s.mode == *m))
                        .collect(),
                    min: 1,
                    max: 1,
                },
                Control::Select {
                    key: "how",
                    placeholder: tr!(l, "rr-setup-delivery"),
                    options: Delivery::ALL
                        .iter()
                        .map(|d| (delivery_name(l, *d), d.name().to_string(), s.delivery == *d))
                        .collect(),
                    min: 1,
                    max: 1,
                },
                Control::Select {
                    key: "max",
                    placeholder: tr!(l, "rr-setup-max"),
                    options: CAPS
                        .iter()
                        .map(|n| {
                            (
                                if *n == 0 {
                                    tr!(l, "rr-setup-max-none")
                                } else {
                                    tr!(l, "rr-setup-max-option", count = i64::from(*n))
                                },
                                n.to_string(),
                                s.max == *n,
                            )
                        })
                        .collect(),
                    min: 1,
                    max: 1,
                },
            ],
        },
        |s, input, _l| {
            let first = input.first().unwrap_or("");
            match input.key() {
                "mode" => {
                    if let Some(m) = Mode::from_name(first) {
                        s.mode = m;
                    }
                }
                "how" => {
                    if let Some(d) = Delivery::from_name(first) {
                        s.delivery = d;
                        if d == Delivery::Reactions {
                            fill_default_emojis(&mut s.entries);
                        }
                    }
                }
                "max" => {
                    if let Some(n) = first.parse::<u8>().ok().filter(|n| CAPS.contains(n)) {
                        s.max = n;
                    }
                }
                _ => {}
            }
            Ok(())
        },
    );
    let roles = Step::new(
        |s: &Setup, l| {
            let offered: Vec<&RoleFacts> = s
                .roles
                .iter()
                .filter(|r| !r.everyone)
                .take(OPTIONS)
                .collect();
            let embed = Embed::info(tr!(l, "rr-setup-roles-title")).description(tr!(
                l,
                "rr-setup-roles",
                max = s.delivery.max_entries()
            ));
            if offered.is_empty() {
                return View {
                    embed: embed.description(tr!(l, "rr-setup-no-roles")),
                    controls: Vec::new(),
                };
            }
            let max = offered.len().min(s.delivery.max_entries()) as u8;
            View {
                embed,
                controls: vec![Control::Select {
                    key: "roles",
                    placeholder: tr!(l, "rr-setup-roles-pick"),
                    options: offered
                        .iter()
                        .map(|r| {
                            (
                                label(&format!("@{}", r.name)),
                                r.id.to_string(),
                                s.entries.iter().any(|e| e.role == r.id),
                            )
                        })
                        .collect(),
                    min: 1,
                    max,
                }],
            }
        },
        |s, input, l| {
            let Input::Select { values, .. } = input else {
                return Ok(());
            };
            let picked: Vec<RoleId> = values
                .iter()
                .filter_map(|v| v.parse::<u64>().ok())
                .map(RoleId::new)
                .collect();
            for r in &picked {
                rules::check_role(*r, &s.roles, s.bot_top)
                    .map_err(|p| refuse(l, role_problem(l, &p)))?;
            }
            let mut entries: Vec<Entry> = picked
                .iter()
                .map(|r| {
                    s.entries
                        .iter()
                        .find(|e| e.role == *r)
                        .cloned()
                        .unwrap_or_else(|| Entry {
                            role: *r,
                            emoji: None,
                            label: crate::embeds::truncate(&s.role_name(*r), rules::MAX_LABEL),
                        })
                })
                .collect();
            if s.delivery == Delivery::Reactions {
                fill_default_emojis(&mut entries);
            }
            s.entries = entries;
            if usize::from(s.max) > s.entries.len() {
                s.max = 0;
            }
            Ok(())
        },
    )
    .ready(|s| !s.entries.is_empty());
    let emojis = Step::new(
        |s: &Setup, l| View {
            embed: Embed::info(tr!(l, "rr-setup-emojis-title"))
                .description(tr!(l, "rr-setup-emojis"))
                .field(
                    tr!(l, "rr-field-roles"),
                    entries_shown(s, tr!(l, "rr-none")),
                    false,
                ),
            controls: vec![Control::Modal(ModalSpec {
                key: "emojis",
                button: tr!(l, "rr-setup-emojis-edit"),
                title: tr!(l, "rr-setup-emojis-title"),
                fields: vec![TextField {
                    key: "lines",
                    label: tr!(l, "rr-setup-emojis-label"),
                    value: Some(entries_text(s)).filter(|t| !t.is_empty()),
                    required: false,
                    max_len: 2000,
                    long: true,
                }],
            })],
        },
        |s, input, l| {
            let defaults: Vec<String> = s.entries.iter().map(|e| s.role_name(e.role)).collect();
            let parsed = rules::parse_emoji_lines(input.field("lines").unwrap_or(""), &defaults)
                .map_err(|line| refuse(l, tr!(l, "rr-setup-bad-emoji", line = line)))?;
            let entries: Vec<Entry> = s
                .entries
                .iter()
                .zip(parsed)
                .map(|(e, (emoji, label))| Entry {
                    role: e.role,
                    emoji,
                    label,
                })
                .collect();
            rules::check_entries(&entries, s.delivery)
                .map_err(|e| refuse(l, panel_error(l, &e)))?;
            s.entries = entries;
            Ok(())
        },
    )
    .ready(|s| rules::check_entries(&s.entries, s.delivery).is_ok());
    let message = Step::new(
        |s: &Setup, l| View {
            embed: Embed::info(tr!(l, "rr-setup-message-title"))
                .description(tr!(l, "rr-setup-message"))
                .field(tr!(l, "rr-field-title"), s.title.clone(), false)
                .field(
                    tr!(l, "rr-field-text"),
                    if s.description.is_empty() {
                        "—".to_string()
                    } else {
                        s.description.clone()
                    },
                    false,
                ),
            controls: vec![Control::Modal(ModalSpec {
                key: "msg",
                button: tr!(l, "rr-setup-message-edit"),
                title: tr!(l, "rr-setup-message-title"),
                fields: vec![
                    TextField {
                        key: "title",
                        label: tr!(l, "rr-field-title"),
                        value: Some(s.title.clone()),
                        required: true,
                        max_len: rules::MAX_TITLE as u16,
                        long: false,
                    },
                    TextField {
                        key: "text",
                        label: tr!(l, "rr-field-text"),
                        value: Some(s.description.clone()).filter(|d| !d.is_empty()),
                        required: false,
                        max_len: rules::MAX_DESCRIPTION as u16,
                        long: true,
                    },
                ],
            })],
        },
        |s, input, l| {
            let mut next = s.clone();
            next.title = input.field("title").unwrap_or("").to_string();
            next.description = input.field("text").unwrap_or("").to_string();
            next.config()
                .validate()
                .map_err(|e| refuse(l, panel_error(l, &e)))?;
            s.title = next.title;
            s.description = next.description;
            Ok(())
        },
    )
    .ready(|s| s.config().validate().is_ok());
    WizardSpec::new(
        WIZARD,
        |l| tr!(l, "rr-setup-title"),
        vec![how, roles, emojis, message],
        |s, l| {
            vec![
                (tr!(l, "rr-field-mode"), mode_name(l, s.mode)),
                (tr!(l, "rr-field-delivery"), delivery_name(l, s.delivery)),
                (
                    tr!(l, "rr-field-max"),
                    if s.max == 0 {
                        tr!(l, "rr-setup-max-none")
                    } else {
                        s.max.to_string()
                    },
                ),
                (
                    tr!(l, "rr-field-roles"),
                    entries_shown(s, tr!(l, "rr-none")),
                ),
                (tr!(l, "rr-field-title"), s.title.clone()),
            ]
        },
        |data, c| Box::pin(confirm(data, c)),
    )
    .build()
}

fn fill_default_emojis(entries: &mut [Entry]) {
    let taken: Vec<Option<Emoji>> = entries.iter().map(|e| e.emoji.clone()).collect();
    let mut free = DEFAULT_EMOJIS
        .iter()
        .map(|t| Emoji::Unicode {
            text: (*t).to_string(),
        })
        .filter(|e| !taken.contains(&Some(e.clone())));
    for e in entries.iter_mut().filter(|e| e.emoji.is_none()) {
        e.emoji = free.next();
    }
}

async fn confirm(data: &Data, c: crate::ui::wizard::Confirmed<Setup>) -> Result<Embed, Error> {
    let l = c.locale;
    let (Some(guild), Some(channel)) = (c.guild, c.channel) else {
        return Err(UserError::GuildOnly.into());
    };
    let Some(http) = data.http() else {
        anyhow::bail!("no HTTP client for the reaction-role panel");
    };
    let config = c.state.config();
    let bot = http.get_current_user().await?.id;
    let (roles, top) = super::role_facts(http.as_ref(), bot, guild).await?;
    for e in &config.entries {
        rules::check_role(e.role, &roles, top).map_err(|p| refused(l, role_problem(l, &p)))?;
    }
    let now = chrono::Utc::now();
    let panel = store::create(data.storage(), guild, channel, &config, c.owner, now)
        .await
        .map_err(|e| super::user_error(l, e))?;
    let gl = crate::kernel::i18n::guild_locale(data, Some(guild.get())).await;
    let msg = channel
        .discord()
        .send_message(http.as_ref(), panel_message(&panel, gl))
        .await?;
    store::set_message(data.storage(), panel.id, msg.id.core()).await?;
    if config.delivery == Delivery::Reactions {
        for e in &config.entries {
            if let Some(em) = &e.emoji {
                msg.react(http.as_ref(), reaction_type(em)).await?;
            }
        }
    }
    crate::kernel::audit::record(
        data,
        crate::kernel::audit::Audit::new(c.owner, Some(guild), "reactionroles.panel_create")
            .target(panel.id)
            .after(serde_json::to_value(&config)?),
    )
    .await?;
    Ok(
        Embed::success(tr!(l, "rr-setup-done-title")).description(tr!(
            l,
            "rr-setup-done",
            id = panel.id.get(),
            channel = format!("<#{channel}>")
        )),
    )
}

/// An emoji as serenity sends it.
pub fn reaction_type(e: &Emoji) -> serenity::ReactionType {
    match e {
        Emoji::Unicode { text } => serenity::ReactionType::Unicode(text.clone()),
        Emoji::Custom { name, id, animated } => serenity::ReactionType::Custom {
            animated: *animated,
            id: serenity::EmojiId::new(*id),
            name: Some(name.clone()),
        },
    }
}

/// The panel's embed.
pub fn panel_embed(panel: &store::Panel, l: Locale) -> Embed {
    let c = &panel.config;
    let mut text = c.description.clone();
    let lines = c
        .entries
        .iter()
        .map(|e| match &e.emoji {
            Some(em) => format!("{} {} — {}", em.markdown(), mention(e.role), e.label),
            None => format!("{} — {}", mention(e.role), e.label),
        })
        .collect::<Vec<_>>()
        .join("\n");
    if !text.is_empty() {
        text.push_str("\n\n");
    }
    text.push_str(&lines);
    let hint = match (c.mode, c.cap()) {
        (Mode::Single, _) => tr!(l, "rr-hint-single"),
        (Mode::Verify, _) => tr!(l, "rr-hint-verify"),
        (Mode::Toggle, Some(n)) => tr!(l, "rr-hint-toggle-max", max = n),
        (Mode::Toggle, None) => tr!(l, "rr-hint-toggle"),
    };
    Embed::new(Theme::Info, c.title.clone())
        .description(text)
        .footer(hint)
        .without_timestamp()
}

/// The panel's components: buttons (5 per row) or one select; none for reactions.
pub fn panel_components(panel: &store::Panel, l: Locale) -> Vec<serenity::CreateActionRow> {
    let c = &panel.config;
    match c.delivery {
        Delivery::Reactions => Vec::new(),
        Delivery::Buttons => c
            .entries
            .chunks(5)
            .map(|row| {
                serenity::CreateActionRow::Buttons(
                    row.iter()
                        .map(|e| {
                            let mut b = serenity::CreateButton::new(format!(
                                "{PREFIX}b:{}:{}",
                                panel.id, e.role
                            ))
                            .label(label(&e.label))
                            .style(serenity::ButtonStyle::Secondary);
                            if let Some(em) = &e.emoji {
                                b = b.emoji(reaction_type(em));
                            }
                            b
                        })
                        .collect(),
                )
            })
            .collect(),
        Delivery::Select => {
            let options = c
                .entries
                .iter()
                .map(|e| {
                    let mut o =
                        serenity::CreateSelectMenuOption::new(label(&e.label), e.role.to_string());
                    if let Some(em) = &e.emoji {
                        o = o.emoji(reaction_type(em));
                    }
                    o
                })
                .collect();
            let max = c.cap().unwrap_or(c.entries.len()).min(c.entries.len()) as u8;
            vec![serenity::CreateActionRow::SelectMenu(
                serenity::CreateSelectMenu::new(
                    format!("{PREFIX}s:{}", panel.id),
                    serenity::CreateSelectMenuKind::String { options },
                )
                .placeholder(tr!(l, "rr-select-placeholder"))
                .min_values(0)
                .max_values(max.max(1)),
            )]
        }
    }
}

/// The panel's message.
pub fn panel_message(panel: &store::Panel, l: Locale) -> serenity::CreateMessage {
    crate::embeds::message(panel_embed(panel, l)).components(panel_components(panel, l))
}

/// Opens the wizard with the server's roles and the bot's highest position.
pub async fn start(ctx: Context<'_>) -> Result<(), Error> {
    let Some(gid) = ctx.guild_id() else {
        return Err(UserError::GuildOnly.into());
    };
    let l = crate::kernel::i18n::locale_of(ctx);
    let bot = ctx.cache().current_user().id;
    let (roles, bot_top) = super::role_facts(ctx.http(), bot, gid.core()).await?;
    let state = Setup {
        roles,
        bot_top,
        mode: Mode::Toggle,
        delivery: Delivery::Reactions,
        max: 0,
        entries: Vec::new(),
        title: tr!(l, "rr-default-title"),
        description: tr!(l, "rr-default-text"),
    };
    crate::ui::wizard::start(ctx, WIZARD, &state).await?;
    Ok(())
}
