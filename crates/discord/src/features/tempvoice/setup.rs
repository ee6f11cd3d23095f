//! `vc setup`: the hub wizard (kernel [`crate::ui::wizard`]).
//!
//! Steps: 1. where (the category new channels go in, and the hub: each a new one or one of
//! the server's) → 2. settings (name format, user limit, bitrate, in a modal; checked by
//! `HubConfig::validate`) → preview (with an example name) → confirm. Confirm creates what was
//! asked for (category, hub voice channel), stores the hub and writes an audit entry.

use chronix_core::ids::ChannelId;
use chronix_core::tempvoice::{self as rules, HubConfig};
use chronix_storage::tempvoice as store;
use serde::{Deserialize, Serialize};

use super::hub_error;
use crate::kernel::ids::{ToCore, ToDiscord};
use crate::prelude::*;
use crate::ui::wizard::{Control, ModalSpec, Step, TextField, View, WizardDef, WizardSpec};

/// The wizard's registered name.
pub const WIZARD: &str = "tempvoice.setup";
/// The value of the "create a new one" option.
const NEW: &str = "new";

/// A channel the wizard offers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Offered {
    /// Its id.
    pub id: ChannelId,
    /// Its name.
    pub name: String,
}

/// The wizard's state.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Setup {
    /// The server's categories.
    pub categories: Vec<Offered>,
    /// The server's voice channels.
    pub voices: Vec<Offered>,
    /// The picked category (none: create one).
    pub category: Option<ChannelId>,
    /// The picked hub (none: create one).
    pub hub: Option<ChannelId>,
    /// The settings.
    pub config: HubConfig,
}

/// The select's options: "create a new one", then the offered channels (25 in all at most).
fn offer(new: String, picked: Option<ChannelId>, all: &[Offered]) -> Vec<(String, String, bool)> {
    let mut v = vec![(new, NEW.to_string(), picked.is_none())];
    v.extend(all.iter().take(24).map(|c| {
        (
            crate::embeds::truncate(&c.name, 100),
            c.id.to_string(),
            picked == Some(c.id),
        )
    }));
    v
}

fn name_of(id: Option<ChannelId>, all: &[Offered], new: String) -> String {
    match id {
        None => new,
        Some(id) => all
            .iter()
            .find(|c| c.id == id)
            .map_or_else(|| id.to_string(), |c| c.name.clone()),
    }
}

fn bitrate_text(l: Locale, b: Option<u32>) -> String {
    match b {
        Some(b) => tr!(l, "tempvoice-kbps", kbps = b / 1000),
        None => tr!(l, "tempvoice-default"),
    }
}

/// The wizard's definition.
pub fn wizard() -> WizardDef {
    let place = Step::new(
        |s: &Setup, l| View {
            embed: Embed::info(tr!(l, "tempvoice-setup-place-title"))
                .description(tr!(l, "tempvoice-setup-place")),
            controls: vec![
                Control::Select {
                    key: "cat",
                    placeholder: tr!(l, "tempvoice-setup-category"),
                    options: offer(
                        tr!(l, "tempvoice-setup-new-category"),
                        s.category,
                        &s.categories,
                    ),
                    min: 1,
                    max: 1,
                },
                Control::Select {
                    key: "hub",
                    placeholder: tr!(l, "tempvoice-setup-hub"),
                    options: offer(tr!(l, "tempvoice-setup-new-hub"), s.hub, &s.voices),
                    min: 1,
                    max: 1,
                },
            ],
        },
        |s, input, _l| {
            let picked = input
                .first()
                .and_then(|v| v.parse::<u64>().ok())
                .map(ChannelId::new);
            match input.key() {
                "cat" => s.category = picked,
                "hub" => s.hub = picked,
                _ => {}
            }
            Ok(())
        },
    );
    let settings = Step::new(
        |s: &Setup, l| View {
            embed: Embed::info(tr!(l, "tempvoice-setup-settings-title"))
                .description(tr!(l, "tempvoice-setup-settings"))
                .field(
                    tr!(l, "tempvoice-field-format"),
                    s.config.name_format.clone(),
                    false,
                )
                .field(
                    tr!(l, "tempvoice-field-example"),
                    rules::channel_name(&s.config.name_format, "Alice", 1),
                    false,
                )
                .field(
                    tr!(l, "tempvoice-field-limit"),
                    s.config.user_limit.to_string(),
                    true,
                )
                .field(
                    tr!(l, "tempvoice-field-bitrate"),
                    bitrate_text(l, s.config.bitrate),
                    true,
                ),
            controls: vec![Control::Modal(ModalSpec {
                key: "set",
                button: tr!(l, "tempvoice-setup-edit"),
                title: tr!(l, "tempvoice-setup-settings-title"),
                fields: vec![
                    TextField {
                        key: "format",
                        label: tr!(l, "tempvoice-field-format"),
                        value: Some(s.config.name_format.clone()),
                        required: true,
                        max_len: rules::MAX_FORMAT as u16,
                        long: false,
                    },
                    TextField {
                        key: "limit",
                        label: tr!(l, "tempvoice-field-limit"),
                        value: Some(s.config.user_limit.to_string()),
                        required: false,
                        max_len: 2,
                        long: false,
                    },
                    TextField {
                        key: "bitrate",
                        label: tr!(l, "tempvoice-field-bitrate-kbps"),
                        value: s.config.bitrate.map(|b| (b / 1000).to_string()),
                        required: false,
                        max_len: 3,
                        long: false,
                    },
                ],
            })],
        },
        |s, input, l| {
            let number = |key: &str| -> Result<Option<u32>, UserError> {
                match input.field(key) {
                    None => Ok(None),
                    Some(v) => v.parse::<u32>().map(Some).map_err(|_| UserError::Refused {
                        title: tr!(l, "tempvoice-refused-title"),
                        text: tr!(l, "tempvoice-not-a-number", given = v),
                    }),
                }
            };
            let config = HubConfig {
                name_format: input.field("format").unwrap_or("").to_string(),
                user_limit: number("limit")?.unwrap_or(0),
                bitrate: number("bitrate")?.map(|k| k.saturating_mul(1000)),
            };
            config.validate().map_err(|e| UserError::Refused {
                title: tr!(l, "tempvoice-refused-title"),
                text: hub_error(l, &e),
            })?;
            s.config = config;
            Ok(())
        },
    );
    WizardSpec::new(
        WIZARD,
        |l| tr!(l, "tempvoice-setup-title"),
        vec![place, settings],
        |s, l| {
            vec![
                (
                    tr!(l, "tempvoice-field-category"),
                    name_of(
                        s.category,
                        &s.categories,
                        tr!(l, "tempvoice-setup-new-category"),
                    ),
                ),
                (
                    tr!(l, "tempvoice-field-hub"),
                    name_of(s.hub, &s.voices, tr!(l, "tempvoice-setup-new-hub")),
                ),
                (
                    tr!(l, "tempvoice-field-format"),
                    s.config.name_format.clone(),
                ),
                (
                    tr!(l, "tempvoice-field-example"),
                    rules::channel_name(&s.config.name_format, "Alice", 1),
                ),
                (
                    tr!(l, "tempvoice-field-limit"),
                    s.config.user_limit.to_string(),
                ),
                (
                    tr!(l, "tempvoice-field-bitrate"),
                    bitrate_text(l, s.config.bitrate),
                ),
            ]
        },
        |data, c| Box::pin(confirm(data, c)),
    )
    .build()
}

async fn confirm(data: &Data, c: crate::ui::wizard::Confirmed<Setup>) -> Result<Embed, Error> {
    let l = c.locale;
    let Some(guild) = c.guild else {
        return Err(UserError::GuildOnly.into());
    };
    let Some(http) = data.http() else {
        anyhow::bail!("no HTTP client for the hub set-up");
    };
    let s = c.state;
    s.config
        .validate()
        .map_err(|e| super::refused(l, hub_error(l, &e)))?;
    if let Some(hub) = s.hub {
        if store::hub(data.storage(), hub).await?.is_some() {
            return Err(super::refused(l, tr!(l, "tempvoice-hub-exists")));
        }
    }
    let gl = crate::kernel::i18n::guild_locale(data, Some(guild.get())).await;
    let g = guild.discord();
    let category = match s.category {
        Some(c) => c,
        None => {
            let create = serenity::CreateChannel::new(tr!(gl, "tempvoice-category-name"))
                .kind(serenity::ChannelType::Category);
            g.create_channel(http.as_ref(), create).await?.id.core()
        }
    };
    let hub = match s.hub {
        Some(h) => h,
        None => {
            let create = serenity::CreateChannel::new(tr!(gl, "tempvoice-hub-name"))
                .kind(serenity::ChannelType::Voice)
                .category(category.discord());
            g.create_channel(http.as_ref(), create).await?.id.core()
        }
    };
    let now = chrono::Utc::now();
    let stored = store::create_hub(data.storage(), guild, hub, Some(category), &s.config, now)
        .await
        .map_err(|e| super::user_error(l, e))?;
    crate::kernel::audit::record(
        data,
        crate::kernel::audit::Audit::new(c.owner, Some(guild), "tempvoice.hub_create")
            .target(hub)
            .after(serde_json::to_value(&stored.config)?)
            .with("category", category.get()),
    )
    .await?;
    Ok(
        Embed::success(tr!(l, "tempvoice-setup-done-title")).description(tr!(
            l,
            "tempvoice-setup-done",
            hub = format!("<#{hub}>"),
            category = format!("<#{category}>")
        )),
    )
}

/// Opens the wizard with the server's categories and voice channels.
pub async fn start(ctx: Context<'_>) -> Result<(), Error> {
    let Some(gid) = ctx.guild_id() else {
        return Err(UserError::GuildOnly.into());
    };
    let mut channels: Vec<serenity::GuildChannel> =
        gid.channels(ctx.http()).await?.into_values().collect();
    channels.sort_by_key(|c| (c.position, c.id));
    let of_kind = |kind: serenity::ChannelType| -> Vec<Offered> {
        channels
            .iter()
            .filter(|c| c.kind == kind)
            .map(|c| Offered {
                id: c.id.core(),
                name: c.name.clone(),
            })
            .collect()
    };
    let state = Setup {
        categories: of_kind(serenity::ChannelType::Category),
        voices: of_kind(serenity::ChannelType::Voice),
        category: None,
        hub: None,
        config: HubConfig::default(),
    };
    crate::ui::wizard::start(ctx, WIZARD, &state).await?;
    Ok(())
}
