//! `ticket setup`: the panel wizard (kernel [`crate::ui::wizard`]).
//!
//! Steps: 1. where (category of the ticket channels, log channel for transcripts, open tickets
//! per member) → 2. staff roles → 3. ping roles → 4. topics (one button each; none: one
//! "Open a ticket" button) → 5. the panel message (title and text) → preview → confirm.
//! The server's categories, text channels and roles are read once when the wizard opens and
//! kept in its state (the selects list them; Discord allows 25 options per select).
//!
//! Confirm stores the panel (validated by `PanelConfig::validate`, the one check every entry
//! point uses), posts its message in the wizard's channel and writes an audit entry.

use chronix_core::ids::{ChannelId, RoleId};
use chronix_core::tickets::{self as rules, PanelConfig};
use chronix_storage::tickets as store;
use serde::{Deserialize, Serialize};

use super::{PREFIX, panel_error};
use crate::kernel::ids::{ToCore, ToDiscord};
use crate::prelude::*;
use crate::ui::wizard::{Control, Input, ModalSpec, Step, TextField, View, WizardDef, WizardSpec};

/// The wizard's registered name.
pub const WIZARD: &str = "tickets.setup";
/// Options per select (Discord's limit), including a "none" entry where there is one.
const OPTIONS: usize = 25;
/// Per-member limits offered.
const LIMITS: [u32; 4] = [1, 2, 3, 5];

/// A channel or role the wizard offers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Choice<T> {
    /// Its id.
    pub id: T,
    /// Its name.
    pub name: String,
}

/// The wizard's state.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Setup {
    /// The server's categories (offered).
    pub categories: Vec<Choice<ChannelId>>,
    /// The server's text channels (offered as log channel).
    pub texts: Vec<Choice<ChannelId>>,
    /// The server's roles (offered as staff and ping roles).
    pub roles: Vec<Choice<RoleId>>,
    /// Picked category.
    pub category: Option<ChannelId>,
    /// Picked log channel.
    pub log_channel: Option<ChannelId>,
    /// Open tickets per member.
    pub max_open: u32,
    /// Picked staff roles.
    pub staff_roles: Vec<RoleId>,
    /// Picked ping roles.
    pub ping_roles: Vec<RoleId>,
    /// Topics.
    pub topics: Vec<String>,
    /// Panel title.
    pub title: String,
    /// Panel text.
    pub description: String,
    /// Open tickets as private threads of the panel's channel.
    #[serde(default)]
    pub threads: bool,
    /// The panel being edited (`ticket edit`); none: a new panel.
    #[serde(default)]
    pub editing: Option<i64>,
}

impl Setup {
    /// The panel configuration the wizard describes.
    pub fn config(&self) -> PanelConfig {
        PanelConfig {
            title: self.title.clone(),
            description: self.description.clone(),
            category: self.category,
            log_channel: self.log_channel,
            staff_roles: self.staff_roles.clone(),
            ping_roles: self.ping_roles.clone(),
            topics: self.topics.clone(),
            max_open: self.max_open,
            threads: self.threads,
        }
    }
}

fn label(s: &str) -> String {
    crate::embeds::truncate(s, 100)
}

fn channel_options<T: Copy + Eq + std::fmt::Display>(
    none: String,
    picked: Option<T>,
    choices: &[Choice<T>],
    prefix: &str,
) -> Vec<(String, String, bool)> {
    std::iter::once((none, "none".to_string(), picked.is_none()))
        .chain(choices.iter().take(OPTIONS - 1).map(|c| {
            (
                label(&format!("{prefix}{}", c.name)),
                c.id.to_string(),
                picked == Some(c.id),
            )
        }))
        .collect()
}

fn role_options(roles: &[Choice<RoleId>], picked: &[RoleId]) -> Vec<(String, String, bool)> {
    roles
        .iter()
        .take(OPTIONS)
        .map(|r| {
            (
                label(&format!("@{}", r.name)),
                r.id.to_string(),
                picked.contains(&r.id),
            )
        })
        .collect()
}

fn parse_ids<T: From<u64>>(values: &[String]) -> Vec<T> {
    values
        .iter()
        .filter_map(|v| v.parse::<u64>().ok())
        .map(T::from)
        .collect()
}

fn input_values(input: &Input) -> &[String] {
    match input {
        Input::Select { values, .. } => values,
        _ => &[],
    }
}

fn refuse(l: Locale, text: String) -> UserError {
    UserError::Refused {
        title: tr!(l, "tickets-refused-title"),
        text,
    }
}

fn names<T: Eq + std::fmt::Display + Copy>(
    picked: &[T],
    all: &[Choice<T>],
    none: String,
) -> String {
    if picked.is_empty() {
        return none;
    }
    picked
        .iter()
        .map(|id| {
            all.iter()
                .find(|c| c.id == *id)
                .map_or_else(|| id.to_string(), |c| c.name.clone())
        })
        .collect::<Vec<_>>()
        .join(", ")
}

fn max_roles(roles: &[Choice<RoleId>]) -> u8 {
    roles.len().min(rules::MAX_ROLES).min(OPTIONS) as u8
}

/// The wizard's definition.
pub fn wizard() -> WizardDef {
    let place = Step::new(
        |s: &Setup, l| View {
            embed: Embed::info(tr!(l, "tickets-setup-place-title"))
                .description(tr!(l, "tickets-setup-place")),
            controls: vec![
                Control::Select {
                    key: "cat",
                    placeholder: tr!(l, "tickets-setup-category"),
                    options: channel_options(
                        tr!(l, "tickets-setup-no-category"),
                        s.category,
                        &s.categories,
                        "📁 ",
                    ),
                    min: 1,
                    max: 1,
                },
                Control::Select {
                    key: "log",
                    placeholder: tr!(l, "tickets-setup-log"),
                    options: channel_options(
                        tr!(l, "tickets-setup-no-log"),
                        s.log_channel,
                        &s.texts,
                        "#",
                    ),
                    min: 1,
                    max: 1,
                },
                Control::Select {
                    key: "max",
                    placeholder: tr!(l, "tickets-setup-limit"),
                    options: LIMITS
                        .iter()
                        .map(|n| {
                            (
                                tr!(l, "tickets-setup-limit-option", count = *n),
                                n.to_string(),
                                s.max_open == *n,
                            )
                        })
                        .collect(),
                    min: 1,
                    max: 1,
                },
                Control::Button {
                    key: "threads",
                    label: if s.threads {
                        tr!(l, "tickets-setup-threads-on")
                    } else {
                        tr!(l, "tickets-setup-threads-off")
                    },
                },
            ],
        },
        |s, input, _l| {
            let first = input.first().unwrap_or("none");
            match input.key() {
                "threads" => s.threads = !s.threads,
                "cat" => s.category = first.parse::<u64>().ok().map(ChannelId::new),
                "log" => s.log_channel = first.parse::<u64>().ok().map(ChannelId::new),
                "max" => {
                    if let Some(n) = first.parse::<u32>().ok().filter(|n| LIMITS.contains(n)) {
                        s.max_open = n;
                    }
                }
                _ => {}
            }
            Ok(())
        },
    );
    let staff = Step::new(
        |s: &Setup, l| {
            let mut embed = Embed::info(tr!(l, "tickets-setup-staff-title"))
                .description(tr!(l, "tickets-setup-staff"));
            if s.roles.is_empty() {
                embed = embed.description(tr!(l, "tickets-setup-no-roles"));
                return View {
                    embed,
                    controls: Vec::new(),
                };
            }
            View {
                embed,
                controls: vec![Control::Select {
                    key: "staff",
                    placeholder: tr!(l, "tickets-setup-staff-pick"),
                    options: role_options(&s.roles, &s.staff_roles),
                    min: 1,
                    max: max_roles(&s.roles),
                }],
            }
        },
        |s, input, _l| {
            s.staff_roles = parse_ids(input_values(input));
            Ok(())
        },
    )
    .ready(|s| !s.staff_roles.is_empty());
    let ping = Step::new(
        |s: &Setup, l| {
            let embed = Embed::info(tr!(l, "tickets-setup-ping-title"))
                .description(tr!(l, "tickets-setup-ping"));
            let mut controls = vec![Control::Button {
                key: "noping",
                label: tr!(l, "tickets-setup-no-ping"),
            }];
            if !s.roles.is_empty() {
                controls.insert(
                    0,
                    Control::Select {
                        key: "ping",
                        placeholder: tr!(l, "tickets-setup-ping-pick"),
                        options: role_options(&s.roles, &s.ping_roles),
                        min: 0,
                        max: max_roles(&s.roles),
                    },
                );
            }
            View { embed, controls }
        },
        |s, input, _l| {
            s.ping_roles = match input {
                Input::Select { values, .. } => parse_ids(values),
                _ => Vec::new(),
            };
            Ok(())
        },
    );
    let topics = Step::new(
        |s: &Setup, l| View {
            embed: Embed::info(tr!(l, "tickets-setup-topics-title"))
                .description(tr!(l, "tickets-setup-topics", max = rules::MAX_TOPICS))
                .field(
                    tr!(l, "tickets-field-topics"),
                    if s.topics.is_empty() {
                        tr!(l, "tickets-setup-no-topics-yet")
                    } else {
                        s.topics.join("\n")
                    },
                    false,
                ),
            controls: vec![
                Control::Modal(ModalSpec {
                    key: "topics",
                    button: tr!(l, "tickets-setup-topics-edit"),
                    title: tr!(l, "tickets-setup-topics-title"),
                    fields: vec![TextField {
                        key: "topics",
                        label: tr!(l, "tickets-setup-topics-label"),
                        value: Some(s.topics.join("\n")).filter(|t| !t.is_empty()),
                        required: false,
                        max_len: 2_000,
                        long: true,
                    }],
                }),
                Control::Button {
                    key: "notopics",
                    label: tr!(l, "tickets-setup-topics-clear"),
                },
            ],
        },
        |s, input, l| {
            let topics = match input {
                Input::Modal { .. } => rules::parse_topics(input.field("topics").unwrap_or("")),
                _ => Vec::new(),
            };
            rules::check_topics(&topics).map_err(|e| refuse(l, panel_error(l, &e)))?;
            s.topics = topics;
            Ok(())
        },
    );
    let message = Step::new(
        |s: &Setup, l| View {
            embed: Embed::info(tr!(l, "tickets-setup-message-title"))
                .description(tr!(l, "tickets-setup-message"))
                .field(tr!(l, "tickets-field-title"), s.title.clone(), false)
                .field(
                    tr!(l, "tickets-field-message"),
                    if s.description.is_empty() {
                        "—".to_string()
                    } else {
                        s.description.clone()
                    },
                    false,
                ),
            controls: vec![Control::Modal(ModalSpec {
                key: "msg",
                button: tr!(l, "tickets-setup-message-edit"),
                title: tr!(l, "tickets-setup-message-title"),
                fields: vec![
                    TextField {
                        key: "title",
                        label: tr!(l, "tickets-field-title"),
                        value: Some(s.title.clone()),
                        required: true,
                        max_len: rules::MAX_TITLE as u16,
                        long: false,
                    },
                    TextField {
                        key: "text",
                        label: tr!(l, "tickets-field-message"),
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
            if next.staff_roles.is_empty() {
                // Checked by step 2; keep the message check independent of it.
                next.staff_roles = vec![RoleId::new(0)];
            }
            next.config()
                .validate()
                .map_err(|e| refuse(l, panel_error(l, &e)))?;
            s.title = next.title;
            s.description = next.description;
            Ok(())
        },
    )
    .ready(|s| !s.title.trim().is_empty());
    WizardSpec::new(
        WIZARD,
        |l| tr!(l, "tickets-setup-title"),
        vec![place, staff, ping, topics, message],
        |s, l| {
            let none = || tr!(l, "tickets-none");
            let one = |id: Option<ChannelId>, all: &[Choice<ChannelId>]| match id {
                Some(id) => names(&[id], all, none()),
                None => none(),
            };
            vec![
                (
                    tr!(l, "tickets-field-category"),
                    one(s.category, &s.categories),
                ),
                (tr!(l, "tickets-field-log"), one(s.log_channel, &s.texts)),
                (
                    tr!(l, "tickets-field-kind"),
                    if s.threads {
                        tr!(l, "tickets-kind-threads")
                    } else {
                        tr!(l, "tickets-kind-channels")
                    },
                ),
                (tr!(l, "tickets-field-limit"), s.max_open.to_string()),
                (
                    tr!(l, "tickets-field-staff"),
                    names(&s.staff_roles, &s.roles, none()),
                ),
                (
                    tr!(l, "tickets-field-ping"),
                    names(&s.ping_roles, &s.roles, none()),
                ),
                (
                    tr!(l, "tickets-field-topics"),
                    if s.topics.is_empty() {
                        none()
                    } else {
                        s.topics.join(", ")
                    },
                ),
                (tr!(l, "tickets-field-title"), s.title.clone()),
            ]
        },
        |data, c| Box::pin(confirm(data, c)),
    )
    .build()
}

async fn confirm(data: &Data, c: crate::ui::wizard::Confirmed<Setup>) -> Result<Embed, Error> {
    let l = c.locale;
    let (Some(guild), Some(channel)) = (c.guild, c.channel) else {
        return Err(UserError::GuildOnly.into());
    };
    let config = c.state.config();
    if let Some(id) = c.state.editing {
        return edit(data, c.owner, guild, store::PanelId::new(id), &config, l).await;
    }
    let now = chrono::Utc::now();
    let panel = store::create_panel(data.storage(), guild, channel, &config, now)
        .await
        .map_err(|e| super::user_error(l, e))?;
    let Some(http) = data.http() else {
        anyhow::bail!("no HTTP client for the ticket panel");
    };
    let gl = crate::kernel::i18n::guild_locale(data, Some(guild.get())).await;
    let msg = channel
        .discord()
        .send_message(http.as_ref(), panel_message(&panel, gl))
        .await?;
    store::set_panel_message(data.storage(), panel.id, msg.id.core()).await?;
    chronix_storage::audit::append(
        data.storage(),
        c.owner,
        Some(guild),
        "tickets.panel_create",
        Some(&panel.id.to_string()),
        &serde_json::to_value(&config)?,
        now,
    )
    .await?;
    Ok(
        Embed::success(tr!(l, "tickets-setup-done-title")).description(tr!(
            l,
            "tickets-setup-done",
            id = panel.id.get(),
            channel = format!("<#{channel}>")
        )),
    )
}

/// Stores an edited panel and updates its message in place (posted again in the panel's
/// channel when it was deleted); audited with the configuration before and after.
async fn edit(
    data: &Data,
    owner: chronix_core::ids::UserId,
    guild: chronix_core::ids::GuildId,
    id: store::PanelId,
    config: &PanelConfig,
    l: Locale,
) -> Result<Embed, Error> {
    let Some(before) = store::panel(data.storage(), id)
        .await?
        .filter(|p| p.guild == guild)
    else {
        return Err(refuse(l, tr!(l, "tickets-no-panel")).into());
    };
    let now = chrono::Utc::now();
    let after = store::update_panel(data.storage(), guild, id, config, now)
        .await
        .map_err(|e| super::user_error(l, e))?;
    let Some(http) = data.http() else {
        anyhow::bail!("no HTTP client for the ticket panel");
    };
    let gl = crate::kernel::i18n::guild_locale(data, Some(guild.get())).await;
    let edited = match after.message {
        Some(m) => after
            .channel
            .discord()
            .edit_message(
                http.as_ref(),
                m.discord(),
                serenity::EditMessage::new()
                    .embed(panel_embed(&after).into())
                    .components(panel_rows(&after, gl)),
            )
            .await
            .is_ok(),
        None => false,
    };
    if !edited {
        let msg = after
            .channel
            .discord()
            .send_message(http.as_ref(), panel_message(&after, gl))
            .await?;
        store::set_panel_message(data.storage(), after.id, msg.id.core()).await?;
    }
    crate::kernel::audit::record(
        data,
        crate::kernel::audit::Audit::new(owner, Some(guild), "tickets.panel_edit")
            .target(after.id)
            .before(serde_json::to_value(&before.config)?)
            .after(serde_json::to_value(&after.config)?),
    )
    .await?;
    Ok(
        Embed::success(tr!(l, "tickets-edited-title")).description(tr!(
            l,
            "tickets-edited",
            id = after.id.get(),
            channel = format!("<#{}>", after.channel)
        )),
    )
}

/// The panel's embed.
fn panel_embed(panel: &store::Panel) -> Embed {
    let c = &panel.config;
    let mut embed = Embed::new(Theme::Info, c.title.clone()).without_timestamp();
    if !c.description.is_empty() {
        embed = embed.description(c.description.clone());
    }
    embed
}

/// The panel's components: one button per topic (or one "Open a ticket"), or a select menu of
/// the topics when there are more than 5.
fn panel_rows(panel: &store::Panel, l: Locale) -> Vec<serenity::CreateActionRow> {
    let c = &panel.config;
    if c.topic_select() {
        let options = c
            .topics
            .iter()
            .enumerate()
            .map(|(i, t)| serenity::CreateSelectMenuOption::new(label(t), i.to_string()))
            .collect();
        return vec![serenity::CreateActionRow::SelectMenu(
            serenity::CreateSelectMenu::new(
                format!("{PREFIX}pick:{}", panel.id),
                serenity::CreateSelectMenuKind::String { options },
            )
            .placeholder(tr!(l, "tickets-pick-topic"))
            .min_values(1)
            .max_values(1),
        )];
    }
    let buttons = if c.topics.is_empty() {
        vec![
            serenity::CreateButton::new(format!("{PREFIX}open:{}:-", panel.id))
                .label(tr!(l, "tickets-open-button"))
                .emoji('🎫')
                .style(serenity::ButtonStyle::Primary),
        ]
    } else {
        c.topics
            .iter()
            .enumerate()
            .map(|(i, t)| {
                serenity::CreateButton::new(format!("{PREFIX}open:{}:{i}", panel.id))
                    .label(label(t))
                    .style(serenity::ButtonStyle::Primary)
            })
            .collect()
    };
    vec![serenity::CreateActionRow::Buttons(buttons)]
}

/// The panel's message: its embed and its buttons or topic select.
pub fn panel_message(panel: &store::Panel, l: Locale) -> serenity::CreateMessage {
    crate::embeds::message(panel_embed(panel)).components(panel_rows(panel, l))
}

/// The server's categories, text channels and roles, as the wizard offers them.
async fn server_choices(
    ctx: Context<'_>,
    gid: serenity::GuildId,
) -> Result<
    (
        Vec<Choice<ChannelId>>,
        Vec<Choice<ChannelId>>,
        Vec<Choice<RoleId>>,
    ),
    Error,
> {
    let mut channels: Vec<serenity::GuildChannel> =
        gid.channels(ctx.http()).await?.into_values().collect();
    channels.sort_by_key(|c| (c.position, c.id));
    let mut roles: Vec<serenity::Role> = gid
        .roles(ctx.http())
        .await?
        .into_values()
        .filter(|r| !r.managed && r.id.get() != gid.get())
        .collect();
    roles.sort_by(|a, b| b.position.cmp(&a.position).then(a.id.cmp(&b.id)));
    let pick = |kind: serenity::ChannelType| -> Vec<Choice<ChannelId>> {
        channels
            .iter()
            .filter(|c| c.kind == kind)
            .map(|c| Choice {
                id: c.id.core(),
                name: c.name.clone(),
            })
            .collect()
    };
    let roles = roles
        .iter()
        .map(|r| Choice {
            id: r.id.core(),
            name: r.name.clone(),
        })
        .collect();
    Ok((
        pick(serenity::ChannelType::Category),
        pick(serenity::ChannelType::Text),
        roles,
    ))
}

/// Opens the wizard with the server's categories, text channels and roles.
pub async fn start(ctx: Context<'_>) -> Result<(), Error> {
    let Some(gid) = ctx.guild_id() else {
        return Err(UserError::GuildOnly.into());
    };
    let l = crate::kernel::i18n::locale_of(ctx);
    let (categories, texts, roles) = server_choices(ctx, gid).await?;
    let state = Setup {
        categories,
        texts,
        roles,
        category: None,
        log_channel: None,
        max_open: 1,
        staff_roles: Vec::new(),
        ping_roles: Vec::new(),
        topics: Vec::new(),
        title: tr!(l, "tickets-default-title"),
        description: tr!(l, "tickets-default-message"),
        threads: false,
        editing: None,
    };
    crate::ui::wizard::start(ctx, WIZARD, &state).await?;
    Ok(())
}

/// Opens the wizard on a stored panel (`ticket edit`): every step starts from its
/// configuration, and Confirm updates it and its message.
pub async fn start_edit(ctx: Context<'_>, panel: store::Panel) -> Result<(), Error> {
    let Some(gid) = ctx.guild_id() else {
        return Err(UserError::GuildOnly.into());
    };
    let (categories, texts, roles) = server_choices(ctx, gid).await?;
    let c = panel.config;
    let state = Setup {
        categories,
        texts,
        roles,
        category: c.category,
        log_channel: c.log_channel,
        max_open: c.max_open,
        staff_roles: c.staff_roles,
        ping_roles: c.ping_roles,
        topics: c.topics,
        title: c.title,
        description: c.description,
        threads: c.threads,
        editing: Some(panel.id.get()),
    };
    crate::ui::wizard::start(ctx, WIZARD, &state).await?;
    Ok(())
}
