//! `announce setup` and `announce edit <id>`: the announcement wizard (kernel
//! [`crate::ui::wizard`]).
//!
//! Steps: 1. channels (one or several; and a network of this server to broadcast to) →
//! 2. template → 3. title and text (modal) → 4. thumbnail and image (modal) → 5. link buttons
//! (modal, one `label | url` per line) → 6. ping roles and `@everyone` → 7. schedule (modal:
//! `now`, `in 10m`, `2026-12-24 18:00`, `daily 09:00`, `weekly mon 09:00`, `cron 0 9 * * 1-5`;
//! or "Send on confirm" / "Keep as draft"), shown back in words with the next 3 times in the
//! server's time zone → preview → confirm. Every input is checked by the record's one
//! validation (`Announcement::validate`) before it is kept; storage checks it again.
//!
//! The server's text channels, roles and networks are read once when the wizard opens and
//! kept in its state (a select lists at most 25).

use chronix_core::announcements::{
    self as rules, Announcement, Schedule, Template, format_local, parse_buttons, parse_timezone,
};
use chronix_core::ids::{ChannelId, RoleId};
use chronix_storage::announcements::{self as store, AnnouncementId};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};

use super::{record_error, refused, schedule_error, schedule_text, template_text};
use crate::kernel::ids::ToCore;
use crate::prelude::*;
use crate::ui::wizard::{Control, Input, ModalSpec, Step, TextField, View, WizardDef, WizardSpec};

/// The wizard's registered name.
pub const WIZARD: &str = "announcements.setup";
/// Options per select (Discord's limit).
const OPTIONS: usize = 25;

/// A channel, role or network the wizard offers.
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
    /// The server's text channels.
    pub texts: Vec<Choice<ChannelId>>,
    /// The server's roles.
    pub roles: Vec<Choice<RoleId>>,
    /// The networks this server owns.
    pub networks: Vec<Choice<i64>>,
    /// The server's time zone (IANA name).
    pub tz: String,
    /// The announcement being edited (`announce edit`), if any.
    pub editing: Option<i64>,
    /// The record being built.
    pub record: Announcement,
}

impl Setup {
    fn tz(&self) -> Tz {
        parse_timezone(&self.tz).unwrap_or(Tz::UTC)
    }
}

fn label(s: &str) -> String {
    crate::embeds::truncate(s, 100)
}

fn ids<T: From<u64>>(input: &Input) -> Vec<T> {
    match input {
        Input::Select { values, .. } => values
            .iter()
            .filter_map(|v| v.parse::<u64>().ok())
            .map(T::from)
            .collect(),
        _ => Vec::new(),
    }
}

fn names<T: PartialEq + std::fmt::Display + Copy>(
    picked: &[T],
    all: &[Choice<T>],
    prefix: &str,
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
                .map_or_else(|| id.to_string(), |c| format!("{prefix}{}", c.name))
        })
        .collect::<Vec<_>>()
        .join(", ")
}

fn max_of(n: usize, limit: usize) -> u8 {
    n.min(limit).clamp(1, OPTIONS) as u8
}

fn channels_step() -> Step<Setup> {
    Step::new(
        |s: &Setup, l| {
            let mut controls = vec![Control::Select {
                key: "ch",
                placeholder: tr!(l, "announce-setup-channels-pick"),
                options: s
                    .texts
                    .iter()
                    .take(OPTIONS)
                    .map(|c| {
                        (
                            label(&format!("#{}", c.name)),
                            c.id.to_string(),
                            s.record.channels.contains(&c.id),
                        )
                    })
                    .collect(),
                min: 1,
                max: max_of(s.texts.len(), rules::MAX_CHANNELS),
            }];
            if !s.networks.is_empty() {
                controls.push(Control::Select {
                    key: "net",
                    placeholder: tr!(l, "announce-setup-network-pick"),
                    options: std::iter::once((
                        tr!(l, "announce-setup-no-network"),
                        "none".to_string(),
                        s.record.network.is_none(),
                    ))
                    .chain(s.networks.iter().take(OPTIONS - 1).map(|n| {
                        (
                            label(&format!("🌐 {}", n.name)),
                            n.id.to_string(),
                            s.record.network == Some(n.id),
                        )
                    }))
                    .collect(),
                    min: 1,
                    max: 1,
                });
            }
            View {
                embed: Embed::info(tr!(l, "announce-setup-channels-title"))
                    .description(tr!(l, "announce-setup-channels")),
                controls,
            }
        },
        |s, input, _l| {
            match input.key() {
                "ch" => s.record.channels = ids(input),
                "net" => s.record.network = input.first().and_then(|v| v.parse::<i64>().ok()),
                _ => {}
            }
            Ok(())
        },
    )
    .ready(|s| !s.record.channels.is_empty())
}

fn template_step() -> Step<Setup> {
    Step::new(
        |s: &Setup, l| View {
            embed: Embed::info(tr!(l, "announce-setup-template-title"))
                .description(tr!(l, "announce-setup-template")),
            controls: vec![Control::Select {
                key: "tpl",
                placeholder: tr!(l, "announce-setup-template-pick"),
                options: Template::ALL
                    .iter()
                    .map(|t| {
                        (
                            template_text(l, *t),
                            t.as_str().to_string(),
                            s.record.template == *t,
                        )
                    })
                    .collect(),
                min: 1,
                max: 1,
            }],
        },
        |s, input, _l| {
            if let Some(t) = input.first().and_then(Template::parse) {
                s.record.template = t;
            }
            Ok(())
        },
    )
}

fn text_step() -> Step<Setup> {
    Step::new(
        |s: &Setup, l| View {
            embed: Embed::info(tr!(l, "announce-setup-text-title"))
                .description(tr!(l, "announce-setup-text"))
                .field(
                    tr!(l, "announce-field-title"),
                    if s.record.title.is_empty() {
                        "—".to_string()
                    } else {
                        s.record.title.clone()
                    },
                    false,
                )
                .field(
                    tr!(l, "announce-field-text"),
                    if s.record.description.is_empty() {
                        "—".to_string()
                    } else {
                        s.record.description.clone()
                    },
                    false,
                ),
            controls: vec![Control::Modal(ModalSpec {
                key: "text",
                button: tr!(l, "announce-setup-text-edit"),
                title: tr!(l, "announce-setup-text-title"),
                fields: vec![
                    TextField {
                        key: "title",
                        label: tr!(l, "announce-field-title"),
                        value: Some(s.record.title.clone()).filter(|t| !t.is_empty()),
                        required: true,
                        max_len: rules::MAX_TITLE as u16,
                        long: false,
                    },
                    TextField {
                        key: "text",
                        label: tr!(l, "announce-field-text"),
                        value: Some(s.record.description.clone()).filter(|d| !d.is_empty()),
                        required: false,
                        max_len: rules::MAX_DESCRIPTION as u16,
                        long: true,
                    },
                ],
            })],
        },
        |s, input, l| {
            let mut next = s.record.clone();
            next.title = input.field("title").unwrap_or("").to_string();
            next.description = input.field("text").unwrap_or("").to_string();
            next.check_text()
                .map_err(|e| refused(l, record_error(l, &e)))?;
            s.record = next;
            Ok(())
        },
    )
    .ready(|s| !s.record.title.trim().is_empty())
}

fn media_step() -> Step<Setup> {
    Step::new(
        |s: &Setup, l| {
            let none = || tr!(l, "announce-none");
            View {
                embed: Embed::info(tr!(l, "announce-setup-media-title"))
                    .description(tr!(l, "announce-setup-media"))
                    .field(
                        tr!(l, "announce-field-thumbnail"),
                        s.record.thumbnail.clone().unwrap_or_else(none),
                        false,
                    )
                    .field(
                        tr!(l, "announce-field-image"),
                        s.record.image.clone().unwrap_or_else(none),
                        false,
                    ),
                controls: vec![
                    Control::Modal(ModalSpec {
                        key: "media",
                        button: tr!(l, "announce-setup-media-edit"),
                        title: tr!(l, "announce-setup-media-title"),
                        fields: vec![
                            TextField {
                                key: "thumb",
                                label: tr!(l, "announce-field-thumbnail"),
                                value: s.record.thumbnail.clone(),
                                required: false,
                                max_len: rules::MAX_URL as u16,
                                long: false,
                            },
                            TextField {
                                key: "image",
                                label: tr!(l, "announce-field-image"),
                                value: s.record.image.clone(),
                                required: false,
                                max_len: rules::MAX_URL as u16,
                                long: false,
                            },
                        ],
                    }),
                    Control::Button {
                        key: "nomedia",
                        label: tr!(l, "announce-setup-media-clear"),
                    },
                ],
            }
        },
        |s, input, l| {
            let thumb = input.field("thumb").map(str::to_string);
            let image = input.field("image").map(str::to_string);
            for u in thumb.iter().chain(image.iter()) {
                if !rules::is_url(u) {
                    return Err(refused(
                        l,
                        record_error(l, &rules::AnnounceError::BadUrl(u.clone())),
                    ));
                }
            }
            s.record.thumbnail = thumb;
            s.record.image = image;
            Ok(())
        },
    )
}

fn buttons_text(s: &Setup) -> String {
    s.record
        .buttons
        .iter()
        .map(|b| format!("{} | {}", b.label, b.url))
        .collect::<Vec<_>>()
        .join("\n")
}

fn buttons_step() -> Step<Setup> {
    Step::new(
        |s: &Setup, l| View {
            embed: Embed::info(tr!(l, "announce-setup-buttons-title"))
                .description(tr!(l, "announce-setup-buttons", max = rules::MAX_BUTTONS))
                .field(
                    tr!(l, "announce-field-buttons"),
                    if s.record.buttons.is_empty() {
                        tr!(l, "announce-none")
                    } else {
                        buttons_text(s)
                    },
                    false,
                ),
            controls: vec![
                Control::Modal(ModalSpec {
                    key: "buttons",
                    button: tr!(l, "announce-setup-buttons-edit"),
                    title: tr!(l, "announce-setup-buttons-title"),
                    fields: vec![TextField {
                        key: "buttons",
                        label: tr!(l, "announce-setup-buttons-label"),
                        value: Some(buttons_text(s)).filter(|t| !t.is_empty()),
                        required: false,
                        max_len: 1000,
                        long: true,
                    }],
                }),
                Control::Button {
                    key: "nobuttons",
                    label: tr!(l, "announce-setup-buttons-clear"),
                },
            ],
        },
        |s, input, l| {
            let buttons = match input {
                Input::Modal { .. } => parse_buttons(input.field("buttons").unwrap_or(""))
                    .map_err(|e| refused(l, record_error(l, &e)))?,
                _ => Vec::new(),
            };
            s.record.buttons = buttons;
            Ok(())
        },
    )
}

fn pings_step() -> Step<Setup> {
    Step::new(
        |s: &Setup, l| {
            let mut controls = Vec::new();
            if !s.roles.is_empty() {
                controls.push(Control::Select {
                    key: "roles",
                    placeholder: tr!(l, "announce-setup-pings-pick"),
                    options: s
                        .roles
                        .iter()
                        .take(OPTIONS)
                        .map(|r| {
                            (
                                label(&format!("@{}", r.name)),
                                r.id.to_string(),
                                s.record.ping_roles.contains(&r.id),
                            )
                        })
                        .collect(),
                    min: 0,
                    max: max_of(s.roles.len(), rules::MAX_ROLES),
                });
            }
            controls.push(Control::Button {
                key: "everyone",
                label: if s.record.ping_everyone {
                    tr!(l, "announce-setup-everyone-off")
                } else {
                    tr!(l, "announce-setup-everyone-on")
                },
            });
            controls.push(Control::Button {
                key: "noping",
                label: tr!(l, "announce-setup-no-pings"),
            });
            View {
                embed: Embed::info(tr!(l, "announce-setup-pings-title"))
                    .description(tr!(l, "announce-setup-pings"))
                    .field(tr!(l, "announce-field-pings"), pings_text(s, l), false),
                controls,
            }
        },
        |s, input, _l| {
            match input.key() {
                "roles" => s.record.ping_roles = ids(input),
                "everyone" => s.record.ping_everyone = !s.record.ping_everyone,
                _ => {
                    s.record.ping_roles.clear();
                    s.record.ping_everyone = false;
                }
            }
            Ok(())
        },
    )
}

fn pings_text(s: &Setup, l: Locale) -> String {
    let mut parts = Vec::new();
    if s.record.ping_everyone {
        parts.push("@everyone".to_string());
    }
    if !s.record.ping_roles.is_empty() {
        parts.push(names(&s.record.ping_roles, &s.roles, "@", String::new()));
    }
    if parts.is_empty() {
        tr!(l, "announce-none")
    } else {
        parts.join(", ")
    }
}

/// The schedule in words and its next 3 times (for the schedule step and the preview).
pub fn upcoming_text(s: &Schedule, tz: Tz, l: Locale) -> String {
    let runs = s.upcoming(chrono::Utc::now(), tz, 3);
    if runs.is_empty() {
        return tr!(l, "announce-none");
    }
    runs.iter()
        .map(|t| format!("• {} — <t:{}:R>", format_local(*t, tz), t.timestamp()))
        .collect::<Vec<_>>()
        .join("\n")
}

fn schedule_step() -> Step<Setup> {
    Step::new(
        |s: &Setup, l| {
            let tz = s.tz();
            View {
                embed: Embed::info(tr!(l, "announce-setup-schedule-title"))
                    .description(tr!(l, "announce-setup-schedule", tz = tz.name()))
                    .field(
                        tr!(l, "announce-field-schedule"),
                        schedule_text(l, &s.record.schedule, tz),
                        false,
                    )
                    .field(
                        tr!(l, "announce-field-next"),
                        upcoming_text(&s.record.schedule, tz, l),
                        false,
                    ),
                controls: vec![
                    Control::Modal(ModalSpec {
                        key: "when",
                        button: tr!(l, "announce-setup-schedule-edit"),
                        title: tr!(l, "announce-setup-schedule-title"),
                        fields: vec![TextField {
                            key: "when",
                            label: tr!(l, "announce-setup-schedule-label"),
                            value: None,
                            required: true,
                            max_len: 100,
                            long: false,
                        }],
                    }),
                    Control::Button {
                        key: "now",
                        label: tr!(l, "announce-setup-schedule-now"),
                    },
                    Control::Button {
                        key: "draft",
                        label: tr!(l, "announce-setup-schedule-draft"),
                    },
                ],
            }
        },
        |s, input, l| {
            s.record.schedule = match input.key() {
                "now" => Schedule::Now,
                "draft" => Schedule::Draft,
                _ => Schedule::parse(
                    input.field("when").unwrap_or(""),
                    s.tz(),
                    chrono::Utc::now(),
                )
                .map_err(|e| refused(l, schedule_error(l, &e)))?,
            };
            Ok(())
        },
    )
}

fn summary(s: &Setup, l: Locale) -> Vec<(String, String)> {
    let none = || tr!(l, "announce-none");
    let tz = s.tz();
    let mut out = vec![
        (
            tr!(l, "announce-field-channels"),
            names(&s.record.channels, &s.texts, "#", none()),
        ),
        (
            tr!(l, "announce-field-template"),
            template_text(l, s.record.template),
        ),
        (tr!(l, "announce-field-title"), s.record.title.clone()),
        (
            tr!(l, "announce-field-images"),
            match (&s.record.thumbnail, &s.record.image) {
                (None, None) => none(),
                (t, i) => [t.as_deref(), i.as_deref()]
                    .into_iter()
                    .flatten()
                    .collect::<Vec<_>>()
                    .join("\n"),
            },
        ),
        (
            tr!(l, "announce-field-buttons"),
            if s.record.buttons.is_empty() {
                none()
            } else {
                buttons_text(s)
            },
        ),
        (tr!(l, "announce-field-pings"), pings_text(s, l)),
        (
            tr!(l, "announce-field-schedule"),
            schedule_text(l, &s.record.schedule, tz),
        ),
        (
            tr!(l, "announce-field-next"),
            upcoming_text(&s.record.schedule, tz, l),
        ),
    ];
    if let Some(n) = s.record.network {
        out.push((
            tr!(l, "announce-field-network"),
            names(&[n], &s.networks, "🌐 ", none()),
        ));
    }
    out
}

/// The wizard's definition.
pub fn wizard() -> WizardDef {
    WizardSpec::new(
        WIZARD,
        |l| tr!(l, "announce-setup-title"),
        vec![
            channels_step(),
            template_step(),
            text_step(),
            media_step(),
            buttons_step(),
            pings_step(),
            schedule_step(),
        ],
        summary,
        |data, c| Box::pin(confirm(data, c)),
    )
    .build()
}

async fn confirm(data: &Data, c: crate::ui::wizard::Confirmed<Setup>) -> Result<Embed, Error> {
    let l = c.locale;
    let Some(guild) = c.guild else {
        return Err(UserError::GuildOnly.into());
    };
    let record = &c.state.record;
    record
        .validate()
        .map_err(|e| refused(l, record_error(l, &e)))?;
    let tz = c.state.tz();
    let now = chrono::Utc::now();
    let (stored, action) = match c.state.editing {
        Some(id) => (
            store::update(
                data.storage(),
                guild,
                AnnouncementId::new(id),
                record,
                tz,
                now,
            )
            .await
            .map_err(|e| super::user_error(l, e))?,
            "announcements.edit",
        ),
        None => (
            store::create(data.storage(), guild, c.owner, record, tz, now)
                .await
                .map_err(|e| super::user_error(l, e))?,
            "announcements.create",
        ),
    };
    crate::audit::record(
        data,
        crate::audit::Audit::new(c.owner, Some(guild), action)
            .target(stored.id)
            .after(serde_json::to_value(record)?),
    )
    .await?;
    let text = match stored.next {
        Some(at) => tr!(
            l,
            "announce-setup-done-scheduled",
            id = stored.id.get(),
            at = format_local(at, tz),
            ts = at.timestamp()
        ),
        None => tr!(l, "announce-setup-done-draft", id = stored.id.get()),
    };
    Ok(Embed::success(tr!(l, "announce-setup-done-title")).description(text))
}

/// Opens the wizard (new, or on a stored announcement) with the server's text channels,
/// roles, networks and time zone.
pub async fn start(ctx: Context<'_>, editing: Option<store::Stored>) -> Result<(), Error> {
    let Some(gid) = ctx.guild_id() else {
        return Err(UserError::GuildOnly.into());
    };
    let data = ctx.data();
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
    let (owned, _) = store::networks_of(data.storage(), gid.core()).await?;
    let tz = super::timezone(data, gid.core()).await?;
    let record = match &editing {
        Some(s) => s.record.clone(),
        None => Announcement {
            channels: vec![ctx.channel_id().core()],
            ..Announcement::default()
        },
    };
    let state = Setup {
        texts: channels
            .iter()
            .filter(|c| {
                matches!(
                    c.kind,
                    serenity::ChannelType::Text | serenity::ChannelType::News
                )
            })
            .map(|c| Choice {
                id: c.id.core(),
                name: c.name.clone(),
            })
            .collect(),
        roles: roles
            .iter()
            .map(|r| Choice {
                id: r.id.core(),
                name: r.name.clone(),
            })
            .collect(),
        networks: owned
            .iter()
            .map(|n| Choice {
                id: n.id.get(),
                name: n.name.clone(),
            })
            .collect(),
        tz: tz.name().to_string(),
        editing: editing.map(|s| s.id.get()),
        record,
    };
    crate::ui::wizard::start(ctx, WIZARD, &state).await?;
    Ok(())
}
