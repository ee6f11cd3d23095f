//! `welcome setup`: the welcomer's panel, a wizard (kernel [`crate::ui::wizard`]).
//!
//! Steps: 1. where (welcome channel, farewell channel, intro guide by DM) → 2. texts (welcome,
//! farewell and DM texts in one modal; plain or embed), each shown filled in for the admin →
//! 3. banner (off, or a background colour: presets or `#rrggbb`) → 4. auto roles (members,
//! bots, and when: at once, after a delay, after membership screening) → 5. gifts (starter
//! Chrons, XP boost for the first hours) → preview (every choice and the filled-in texts) →
//! confirm. `welcome test` then posts the real message with its banner.
//!
//! The server's text channels and roles, and the bot's highest role, are read once when the
//! wizard opens and kept in its state; a role at or above the bot's highest role (or managed
//! by an integration) is refused when picked, with the reason. Every input is checked with
//! `WelcomeSettings::validate`, the one check storage applies again on save.

use chronix_core::ids::{ChannelId, RoleId};
use chronix_core::welcome::{self as rules, RoleFacts, RoleProblem, WelcomeSettings};
use serde::{Deserialize, Serialize};

use super::greet::Facts;
use crate::kernel::ids::ToCore;
use crate::prelude::*;
use crate::ui::wizard::{Control, Input, ModalSpec, Step, TextField, View, WizardDef, WizardSpec};

/// The wizard's registered name.
pub const WIZARD: &str = "welcome.setup";
/// Options per select (Discord's limit).
const OPTIONS: usize = 25;
/// Delays offered for auto roles, in seconds.
const DELAYS: [u32; 5] = [0, 60, 300, 600, 3_600];
/// Banner colours offered (the modal takes any `#rrggbb`).
const COLOURS: [(&str, &str); 5] = [
    ("blurple", "#5865f2"),
    ("green", "#57f287"),
    ("red", "#ed4245"),
    ("gold", "#f1c40f"),
    ("dark", "#23272a"),
];

/// A text channel the wizard offers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Channel {
    /// Its id.
    pub id: ChannelId,
    /// Its name.
    pub name: String,
}

/// The wizard's state.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Setup {
    /// The server's text channels.
    pub channels: Vec<Channel>,
    /// The server's roles (`@everyone` left out).
    pub roles: Vec<RoleFacts>,
    /// The bot's highest role position.
    pub bot_top: i64,
    /// The server's name (preview).
    pub server: String,
    /// Members now (preview).
    pub members: u64,
    /// The admin (the preview shows them as the new member).
    pub admin: chronix_core::ids::UserId,
    /// The admin's name.
    pub admin_name: String,
    /// The settings being built.
    pub settings: WelcomeSettings,
}

impl Setup {
    fn facts(&self) -> Facts {
        Facts {
            user: self.admin,
            name: self.admin_name.clone(),
            guild: chronix_core::ids::GuildId::new(0),
            server: self.server.clone(),
            members: self.members,
            position: self.members,
            inviter: None,
            now: chrono::Utc::now(),
            avatar: None,
        }
    }

    /// `text` filled in as the admin would see it joining.
    fn filled(&self, l: Locale, text: &str) -> String {
        crate::embeds::truncate(&self.facts().fill(l, text), 1000)
    }
}

fn channel_name(id: Option<ChannelId>, l: Locale) -> String {
    match id {
        Some(id) => format!("<#{id}>"),
        None => tr!(l, "welcome-none"),
    }
}

fn role_names(picked: &[RoleId], l: Locale) -> String {
    if picked.is_empty() {
        return tr!(l, "welcome-none");
    }
    picked
        .iter()
        .map(|r| format!("<@&{r}>"))
        .collect::<Vec<_>>()
        .join(" ")
}

fn refuse(l: Locale, text: String) -> UserError {
    UserError::Refused {
        title: tr!(l, "welcome-refused-title"),
        text,
    }
}

/// Applies `change` to a copy of the settings, checks it and keeps it.
fn apply(
    s: &mut Setup,
    l: Locale,
    change: impl FnOnce(&mut WelcomeSettings),
) -> Result<(), UserError> {
    let mut next = s.settings.clone();
    change(&mut next);
    next.validate()
        .and_then(|()| next.unknown_item(super::known_item))
        .map_err(|e| refuse(l, super::settings_error(l, &e)))?;
    s.settings = next;
    Ok(())
}

fn on_off(l: Locale, on: bool) -> String {
    if on {
        tr!(l, "welcome-on")
    } else {
        tr!(l, "welcome-off")
    }
}

fn channel_options(s: &Setup, l: Locale, picked: Option<ChannelId>) -> Vec<(String, String, bool)> {
    std::iter::once((tr!(l, "welcome-none"), "none".to_string(), picked.is_none()))
        .chain(s.channels.iter().take(OPTIONS - 1).map(|c| {
            (
                crate::embeds::truncate(&format!("#{}", c.name), 100),
                c.id.to_string(),
                picked == Some(c.id),
            )
        }))
        .collect()
}

fn role_select(s: &Setup, l: Locale, key: &'static str, picked: &[RoleId]) -> Control {
    Control::Select {
        key,
        placeholder: if key == "bots" {
            tr!(l, "welcome-setup-bot-roles")
        } else {
            tr!(l, "welcome-setup-member-roles")
        },
        options: s
            .roles
            .iter()
            .take(OPTIONS)
            .map(|r| {
                (
                    crate::embeds::truncate(&format!("@{}", r.name), 100),
                    r.id.to_string(),
                    picked.contains(&r.id),
                )
            })
            .collect(),
        min: 0,
        max: s.roles.len().min(rules::MAX_ROLES).min(OPTIONS) as u8,
    }
}

fn values(input: &Input) -> &[String] {
    match input {
        Input::Select { values, .. } => values,
        _ => &[],
    }
}

fn ids<T: From<u64>>(values: &[String]) -> Vec<T> {
    values
        .iter()
        .filter_map(|v| v.parse::<u64>().ok())
        .map(T::from)
        .collect()
}

/// The text of a role the bot cannot give.
fn role_problem(l: Locale, p: &RoleProblem) -> String {
    match p {
        RoleProblem::AboveBot(name) => tr!(l, "welcome-role-above-bot", role = name.as_str()),
        RoleProblem::Managed(name) => tr!(l, "welcome-role-managed", role = name.as_str()),
    }
}

fn timing_value(s: &WelcomeSettings) -> String {
    if s.after_screening {
        "screening".into()
    } else {
        s.role_delay_secs.to_string()
    }
}

fn timing_label(l: Locale, s: &WelcomeSettings) -> String {
    if s.after_screening {
        tr!(l, "welcome-timing-screening")
    } else if s.role_delay_secs == 0 {
        tr!(l, "welcome-timing-now")
    } else {
        tr!(
            l,
            "welcome-timing-delay",
            minutes = i64::from(s.role_delay_secs / 60)
        )
    }
}

fn place() -> Step<Setup> {
    Step::new(
        |s: &Setup, l| View {
            embed: Embed::info(tr!(l, "welcome-setup-place-title"))
                .description(tr!(l, "welcome-setup-place"))
                .field(
                    tr!(l, "welcome-field-channel"),
                    channel_name(s.settings.channel, l),
                    true,
                )
                .field(
                    tr!(l, "welcome-field-farewell-channel"),
                    channel_name(s.settings.farewell_channel, l),
                    true,
                )
                .field(tr!(l, "welcome-field-dm"), on_off(l, s.settings.dm), true),
            controls: vec![
                Control::Select {
                    key: "wch",
                    placeholder: tr!(l, "welcome-setup-channel"),
                    options: channel_options(s, l, s.settings.channel),
                    min: 1,
                    max: 1,
                },
                Control::Select {
                    key: "fch",
                    placeholder: tr!(l, "welcome-setup-farewell-channel"),
                    options: channel_options(s, l, s.settings.farewell_channel),
                    min: 1,
                    max: 1,
                },
                Control::Button {
                    key: "dm",
                    label: tr!(
                        l,
                        "welcome-setup-dm-toggle",
                        state = on_off(l, !s.settings.dm)
                    ),
                },
            ],
        },
        |s, input, l| {
            let picked = input
                .first()
                .and_then(|v| v.parse::<u64>().ok())
                .map(ChannelId::new);
            match input.key() {
                "wch" => apply(s, l, |c| c.channel = picked),
                "fch" => apply(s, l, |c| c.farewell_channel = picked),
                "dm" => apply(s, l, |c| c.dm = !c.dm),
                _ => Ok(()),
            }
        },
    )
}

fn texts() -> Step<Setup> {
    Step::new(
        |s: &Setup, l| {
            let c = &s.settings;
            View {
                embed: Embed::info(tr!(l, "welcome-setup-texts-title"))
                    .description(tr!(l, "welcome-setup-texts"))
                    .field(
                        tr!(l, "welcome-field-welcome", style = style(l, c.embed)),
                        s.filled(l, &c.message),
                        false,
                    )
                    .field(
                        tr!(
                            l,
                            "welcome-field-farewell",
                            style = style(l, c.farewell_embed)
                        ),
                        s.filled(l, &c.farewell),
                        false,
                    )
                    .field(
                        tr!(l, "welcome-field-dm-text"),
                        s.filled(l, &c.dm_message),
                        false,
                    ),
                controls: vec![
                    Control::Modal(ModalSpec {
                        key: "msg",
                        button: tr!(l, "welcome-setup-texts-edit"),
                        title: tr!(l, "welcome-setup-texts-title"),
                        fields: vec![
                            text_field(
                                "welcome",
                                tr!(l, "welcome-setup-welcome-label"),
                                &c.message,
                            ),
                            text_field(
                                "farewell",
                                tr!(l, "welcome-setup-farewell-label"),
                                &c.farewell,
                            ),
                            text_field("dm", tr!(l, "welcome-setup-dm-label"), &c.dm_message),
                        ],
                    }),
                    Control::Button {
                        key: "wemb",
                        label: tr!(l, "welcome-setup-welcome-style", style = style(l, !c.embed)),
                    },
                    Control::Button {
                        key: "femb",
                        label: tr!(
                            l,
                            "welcome-setup-farewell-style",
                            style = style(l, !c.farewell_embed)
                        ),
                    },
                ],
            }
        },
        |s, input, l| match input.key() {
            "wemb" => apply(s, l, |c| c.embed = !c.embed),
            "femb" => apply(s, l, |c| c.farewell_embed = !c.farewell_embed),
            "msg" => {
                let get = |k: &str| input.field(k).unwrap_or("").to_string();
                apply(s, l, |c| {
                    c.message = get("welcome");
                    c.farewell = get("farewell");
                    c.dm_message = get("dm");
                })
            }
            _ => Ok(()),
        },
    )
}

fn style(l: Locale, embed: bool) -> String {
    if embed {
        tr!(l, "welcome-style-embed")
    } else {
        tr!(l, "welcome-style-text")
    }
}

fn text_field(key: &'static str, label: String, value: &str) -> TextField {
    TextField {
        key,
        label,
        value: Some(value.to_string()),
        required: true,
        max_len: rules::MAX_TEXT as u16,
        long: true,
    }
}

fn banner() -> Step<Setup> {
    Step::new(
        |s: &Setup, l| {
            let c = &s.settings;
            let mut options = vec![(
                tr!(l, "welcome-setup-no-banner"),
                "none".to_string(),
                !c.banner,
            )];
            options.extend(COLOURS.iter().map(|(name, hex)| {
                (
                    format!("{} ({hex})", colour_name(l, name)),
                    (*hex).to_string(),
                    c.banner && c.banner_color.eq_ignore_ascii_case(hex),
                )
            }));
            View {
                embed: Embed::info(tr!(l, "welcome-setup-banner-title"))
                    .description(tr!(l, "welcome-setup-banner"))
                    .field(tr!(l, "welcome-field-banner"), banner_label(l, c), false),
                controls: vec![
                    Control::Select {
                        key: "ban",
                        placeholder: tr!(l, "welcome-setup-banner-pick"),
                        options,
                        min: 1,
                        max: 1,
                    },
                    Control::Modal(ModalSpec {
                        key: "col",
                        button: tr!(l, "welcome-setup-colour-edit"),
                        title: tr!(l, "welcome-setup-banner-title"),
                        fields: vec![TextField {
                            key: "colour",
                            label: tr!(l, "welcome-setup-colour-label"),
                            value: Some(c.banner_color.clone()),
                            required: true,
                            max_len: 7,
                            long: false,
                        }],
                    }),
                ],
            }
        },
        |s, input, l| match input.key() {
            "ban" => match input.first() {
                Some("none") | None => apply(s, l, |c| c.banner = false),
                Some(hex) => {
                    let hex = hex.to_string();
                    apply(s, l, |c| {
                        c.banner = true;
                        c.banner_color = hex;
                    })
                }
            },
            "col" => {
                let hex = input.field("colour").unwrap_or("").to_lowercase();
                apply(s, l, |c| {
                    c.banner = true;
                    c.banner_color = hex;
                })
            }
            _ => Ok(()),
        },
    )
}

fn colour_name(l: Locale, name: &str) -> String {
    match name {
        "blurple" => tr!(l, "welcome-colour-blurple"),
        "green" => tr!(l, "welcome-colour-green"),
        "red" => tr!(l, "welcome-colour-red"),
        "gold" => tr!(l, "welcome-colour-gold"),
        _ => tr!(l, "welcome-colour-dark"),
    }
}

fn banner_label(l: Locale, c: &WelcomeSettings) -> String {
    if c.banner {
        tr!(l, "welcome-banner-on", colour = c.banner_color.as_str())
    } else {
        tr!(l, "welcome-off")
    }
}

fn roles() -> Step<Setup> {
    Step::new(
        |s: &Setup, l| {
            let c = &s.settings;
            let mut controls = Vec::new();
            if !s.roles.is_empty() {
                controls.push(role_select(s, l, "roles", &c.auto_roles));
                controls.push(role_select(s, l, "bots", &c.bot_roles));
            }
            let mut when: Vec<(String, String, bool)> = DELAYS
                .iter()
                .map(|d| {
                    let t = WelcomeSettings {
                        role_delay_secs: *d,
                        after_screening: false,
                        ..WelcomeSettings::default()
                    };
                    (
                        timing_label(l, &t),
                        d.to_string(),
                        timing_value(c) == d.to_string(),
                    )
                })
                .collect();
            when.push((
                tr!(l, "welcome-timing-screening"),
                "screening".into(),
                c.after_screening,
            ));
            controls.push(Control::Select {
                key: "when",
                placeholder: tr!(l, "welcome-setup-when"),
                options: when,
                min: 1,
                max: 1,
            });
            View {
                embed: Embed::info(tr!(l, "welcome-setup-roles-title"))
                    .description(tr!(l, "welcome-setup-roles"))
                    .field(
                        tr!(l, "welcome-field-roles"),
                        role_names(&c.auto_roles, l),
                        true,
                    )
                    .field(
                        tr!(l, "welcome-field-bot-roles"),
                        role_names(&c.bot_roles, l),
                        true,
                    )
                    .field(tr!(l, "welcome-field-timing"), timing_label(l, c), true),
                controls,
            }
        },
        |s, input, l| match input.key() {
            "roles" | "bots" => {
                let picked: Vec<RoleId> = ids(values(input));
                rules::check_roles(&picked, &s.roles, s.bot_top)
                    .map_err(|p| refuse(l, role_problem(l, &p)))?;
                let bots = input.key() == "bots";
                apply(s, l, |c| {
                    if bots {
                        c.bot_roles = picked;
                    } else {
                        c.auto_roles = picked;
                    }
                })
            }
            "when" => {
                let v = input.first().unwrap_or("0").to_string();
                apply(s, l, |c| {
                    c.after_screening = v == "screening";
                    if let Ok(d) = v.parse::<u32>() {
                        c.role_delay_secs = d;
                    }
                })
            }
            _ => Ok(()),
        },
    )
}

fn gifts() -> Step<Setup> {
    Step::new(
        |s: &Setup, l| {
            let c = &s.settings;
            View {
                embed: Embed::info(tr!(l, "welcome-setup-gifts-title"))
                    .description(tr!(l, "welcome-setup-gifts"))
                    .field(tr!(l, "welcome-field-starter"), starter_label(l, c), true)
                    .field(tr!(l, "welcome-field-boost"), boost_label(l, c), true),
                controls: vec![Control::Modal(ModalSpec {
                    key: "gift",
                    button: tr!(l, "welcome-setup-gifts-edit"),
                    title: tr!(l, "welcome-setup-gifts-title"),
                    fields: vec![
                        number(
                            "chrons",
                            tr!(l, "welcome-setup-starter-label"),
                            c.starter_chrons,
                        ),
                        number(
                            "pct",
                            tr!(l, "welcome-setup-boost-pct-label"),
                            i64::from(c.xp_boost_pct),
                        ),
                        number(
                            "hours",
                            tr!(l, "welcome-setup-boost-hours-label"),
                            i64::from(c.xp_boost_hours),
                        ),
                        TextField {
                            key: "items",
                            label: tr!(l, "welcome-setup-items-label"),
                            // Discord refuses an empty pre-filled value.
                            value: Some(kit_text(&c.starter_items)).filter(|t| !t.is_empty()),
                            required: false,
                            max_len: 200,
                            long: false,
                        },
                    ],
                })],
            }
        },
        |s, input, l| {
            let num = |k: &str| -> Result<i64, UserError> {
                let v = input.field(k).unwrap_or("0").replace([',', '_', ' '], "");
                v.parse::<i64>()
                    .map_err(|_| refuse(l, tr!(l, "welcome-not-a-number", value = v.as_str())))
            };
            let chrons = num("chrons")?;
            let pct = u32::try_from(num("pct")?).unwrap_or(u32::MAX);
            let hours = u32::try_from(num("hours")?).unwrap_or(u32::MAX);
            let items = chronix_core::welcome::parse_kit(input.field("items").unwrap_or(""))
                .map_err(|e| refuse(l, super::settings_error(l, &e)))?;
            apply(s, l, |c| {
                c.starter_chrons = chrons;
                c.starter_items = items;
                c.xp_boost_pct = pct;
                c.xp_boost_hours = hours;
            })
        },
    )
}

fn number(key: &'static str, label: String, value: i64) -> TextField {
    TextField {
        key,
        label,
        value: Some(value.to_string()),
        required: true,
        max_len: 12,
        long: false,
    }
}

/// A kit's items as the admin types them (`hunting_lure x2, basic_crate x1`).
fn kit_text(items: &[chronix_core::welcome::KitItem]) -> String {
    items
        .iter()
        .map(|i| format!("{} x{}", i.item, i.quantity))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The starter kit as text: Chrons and items with their names from the game tables.
pub fn starter_label(l: Locale, c: &WelcomeSettings) -> String {
    let mut parts = Vec::new();
    if c.starter_chrons > 0 {
        parts.push(tr!(
            l,
            "welcome-starter-value",
            chrons = chronix_core::render::format_number(c.starter_chrons)
        ));
    }
    let tables = crate::tables::tables();
    for i in &c.starter_items {
        let name = tables
            .item(&i.item)
            .map_or_else(|| i.item.clone(), |d| format!("{} {}", d.emoji, d.name));
        parts.push(tr!(
            l,
            "welcome-starter-item",
            quantity = i.quantity,
            item = name
        ));
    }
    if parts.is_empty() {
        tr!(l, "welcome-off")
    } else {
        parts.join(", ")
    }
}

/// The XP boost as text.
pub fn boost_label(l: Locale, c: &WelcomeSettings) -> String {
    if c.xp_boost_pct > 100 && c.xp_boost_hours > 0 {
        tr!(
            l,
            "welcome-boost-value",
            pct = c.xp_boost_pct,
            hours = c.xp_boost_hours
        )
    } else {
        tr!(l, "welcome-off")
    }
}

/// The preview step: every setting, the texts filled in as the admin would see them.
pub fn summary(s: &Setup, l: Locale) -> Vec<(String, String)> {
    fields(l, &s.settings, &|t| s.filled(l, t))
}

/// Every setting as `(name, value)`, the texts shown through `text` (filled in for the
/// preview, as written for `welcome show`).
pub fn fields(
    l: Locale,
    c: &WelcomeSettings,
    text: &dyn Fn(&str) -> String,
) -> Vec<(String, String)> {
    vec![
        (tr!(l, "welcome-field-channel"), channel_name(c.channel, l)),
        (tr!(l, "welcome-field-dm"), on_off(l, c.dm)),
        (
            tr!(l, "welcome-field-farewell-channel"),
            channel_name(c.farewell_channel, l),
        ),
        (
            tr!(l, "welcome-field-welcome", style = style(l, c.embed)),
            text(&c.message),
        ),
        (
            tr!(
                l,
                "welcome-field-farewell",
                style = style(l, c.farewell_embed)
            ),
            text(&c.farewell),
        ),
        (tr!(l, "welcome-field-dm-text"), text(&c.dm_message)),
        (tr!(l, "welcome-field-banner"), banner_label(l, c)),
        (tr!(l, "welcome-field-roles"), role_names(&c.auto_roles, l)),
        (
            tr!(l, "welcome-field-bot-roles"),
            role_names(&c.bot_roles, l),
        ),
        (tr!(l, "welcome-field-timing"), timing_label(l, c)),
        (tr!(l, "welcome-field-starter"), starter_label(l, c)),
        (tr!(l, "welcome-field-boost"), boost_label(l, c)),
    ]
}

/// The wizard's definition.
pub fn wizard() -> WizardDef {
    WizardSpec::new(
        WIZARD,
        |l| tr!(l, "welcome-setup-title"),
        vec![place(), texts(), banner(), roles(), gifts()],
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
    let mut settings = c.state.settings;
    settings.enabled = true;
    super::save(data, guild, c.owner, &settings, chrono::Utc::now())
        .await
        .map_err(|e| super::user_error(l, e))?;
    Ok(
        Embed::success(tr!(l, "welcome-setup-done-title"))
            .description(tr!(l, "welcome-setup-done")),
    )
}

/// Opens the wizard over the server's current settings, channels and roles.
pub async fn start(ctx: Context<'_>) -> Result<(), Error> {
    let Some(gid) = ctx.guild_id() else {
        return Err(UserError::GuildOnly.into());
    };
    let http = ctx.http();
    let mut channels: Vec<serenity::GuildChannel> =
        gid.channels(http).await?.into_values().collect();
    channels.sort_by_key(|c| (c.position, c.id));
    let all_roles = gid.roles(http).await?;
    let bot_id = ctx.cache().current_user().id;
    let bot = gid.member(http, bot_id).await?;
    let bot_top = bot
        .roles
        .iter()
        .filter_map(|r| all_roles.get(r).map(|r| i64::from(r.position)))
        .max()
        .unwrap_or(0);
    let mut roles: Vec<&serenity::Role> = all_roles
        .values()
        .filter(|r| r.id.get() != gid.get())
        .collect();
    roles.sort_by(|a, b| b.position.cmp(&a.position).then(a.id.cmp(&b.id)));
    let guild = gid.core();
    let facts = ctx.data().guilds().facts(gid);
    let state = Setup {
        channels: channels
            .iter()
            .filter(|c| c.kind == serenity::ChannelType::Text)
            .map(|c| Channel {
                id: c.id.core(),
                name: c.name.clone(),
            })
            .collect(),
        roles: roles
            .iter()
            .map(|r| RoleFacts {
                id: r.id.core(),
                name: r.name.clone(),
                position: i64::from(r.position),
                managed: r.managed,
            })
            .collect(),
        bot_top,
        server: facts.as_ref().map(|f| f.name.clone()).unwrap_or_default(),
        members: facts.map_or(1, |f| f.member_count),
        admin: ctx.author().id.core(),
        admin_name: ctx
            .author()
            .global_name
            .clone()
            .unwrap_or_else(|| ctx.author().name.clone()),
        settings: chronix_storage::welcome::settings(ctx.data().storage(), guild).await?,
    };
    crate::ui::wizard::start(ctx, WIZARD, &state).await?;
    Ok(())
}
