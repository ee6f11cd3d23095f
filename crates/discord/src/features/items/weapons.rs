//! Weapons: `weapons` (paged list; `arsenal`, `myweapons`), `weapon info <weapon>`,
//! `weapon equip <weapon>` / `weapon unequip` (one equipped at most), `weapon enhance <weapon>`
//! (`upgrade`; a confirm dialog with the cost, the chance and what a failure costs) and
//! `weapon scrap <weapon>` (`salvage`; a confirm dialog with the materials it gives).
//!
//! A `<weapon>` is an id (`12`, `#12`) or a type name (`ember blade`, `ember_blade`: your
//! equipped weapon of that type, else your best one); slash options autocomplete your weapons.
//! The rules are `chronix_core::weapons`; every change is one transaction of
//! `chronix_storage::weapons`.

use std::time::Duration;

use chronix_core::economy::{Chrons, normalise_name};
use chronix_core::render::format_chrons;
use chronix_core::tables::{Rarity, Tables};
use chronix_core::weapons::{
    EnhanceQuote, WeaponError, WeaponState, WeaponStats, enhance, enhance_quote, scrap_yield, stats,
};
use chronix_storage::weapons::{self as store, Weapon, WeaponRefusal};
use chronix_storage::{economy as ledger, inventory};

use crate::kernel::ids::ToCore;
use crate::kernel::ui::paginator::{self, Delivery, Page, PageRequest};
use crate::prelude::*;
use crate::tables::{rng, tables};
use crate::ui::confirm::{self, Answer, Change};

/// Page source name of `weapons`.
pub const PAGES: &str = "wpn";

/// Weapons per page of `weapons`.
const PER_PAGE: usize = 8;

/// The weapons part of the items feature's refusals (shown as a ❌ embed; nothing changed).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WeaponsRefusal {
    /// No weapon of yours matches.
    UnknownWeapon {
        /// What the player typed.
        text: String,
    },
    /// The weapon is someone else's.
    NotYourWeapon {
        /// Its id.
        id: i64,
    },
    /// No gem of yours matches.
    UnknownGem {
        /// What the player typed.
        text: String,
    },
    /// The gem is someone else's.
    NotYourGem {
        /// Its id.
        id: i64,
    },
    /// The gem is already socketed.
    GemNotFree {
        /// Gem id.
        gem: i64,
        /// The weapon it is in.
        weapon: i64,
    },
    /// `weapon unequip` with nothing equipped.
    NothingEquipped,
    /// The weapon changed since the dialog (another enhance ran first).
    Changed,
    /// A rule refused.
    Rules(WeaponError),
    /// The weapon is equipped (trading or listing it).
    Equipped {
        /// Its id.
        id: i64,
    },
    /// The weapon is listed on the market.
    Listed {
        /// Its id.
        id: i64,
        /// The listing.
        listing: i64,
    },
    /// The weapon is offered in another open trade.
    InTrade {
        /// Its id.
        id: i64,
        /// The trade.
        trade: i64,
    },
    /// A trade asks for a weapon the other player does not own.
    NotTheirs {
        /// Its id.
        id: i64,
    },
}

impl std::fmt::Display for WeaponsRefusal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&crate::errors::Refusal::text(self, Locale::EN))
    }
}

fn quoted(text: &str) -> String {
    embeds::truncate(text.trim(), 40).replace('`', "'")
}

impl crate::errors::Refusal for WeaponsRefusal {
    fn text(&self, l: Locale) -> String {
        match self {
            WeaponsRefusal::UnknownWeapon { text } => {
                tr!(l, "items-weapon-unknown", text = quoted(text))
            }
            WeaponsRefusal::NotYourWeapon { id } => {
                tr!(l, "items-weapon-not-yours", id = id.to_string())
            }
            WeaponsRefusal::UnknownGem { text } => {
                tr!(l, "items-gem-unknown", text = quoted(text))
            }
            WeaponsRefusal::NotYourGem { id } => tr!(l, "items-gem-not-yours", id = id.to_string()),
            WeaponsRefusal::GemNotFree { gem, weapon } => tr!(
                l,
                "items-gem-not-free",
                gem = gem.to_string(),
                weapon = weapon.to_string()
            ),
            WeaponsRefusal::NothingEquipped => tr!(l, "items-weapon-nothing-equipped"),
            WeaponsRefusal::Changed => tr!(l, "items-weapon-changed"),
            WeaponsRefusal::Equipped { id } => {
                tr!(l, "items-weapon-is-equipped", id = id.to_string())
            }
            WeaponsRefusal::Listed { id, listing } => tr!(
                l,
                "items-weapon-listed",
                id = id.to_string(),
                listing = listing.to_string()
            ),
            WeaponsRefusal::InTrade { id, trade } => tr!(
                l,
                "items-weapon-in-trade",
                id = id.to_string(),
                trade = trade.to_string()
            ),
            WeaponsRefusal::NotTheirs { id } => {
                tr!(l, "items-weapon-not-theirs", id = id.to_string())
            }
            WeaponsRefusal::Rules(e) => match e {
                WeaponError::MaxLevel(max) => {
                    tr!(l, "items-weapon-max-level", max = max.to_string())
                }
                WeaponError::NotEnoughChrons { cost, balance } => tr!(
                    l,
                    "items-weapon-not-enough-chrons",
                    cost = format_chrons(*cost),
                    balance = format_chrons(*balance)
                ),
                WeaponError::NotEnoughMaterials { needed, available } => tr!(
                    l,
                    "items-weapon-not-enough-materials",
                    material = material_label(tables()),
                    needed = needed.to_string(),
                    available = available.to_string()
                ),
                WeaponError::NoFreeSlot(slots) => {
                    tr!(l, "items-weapon-no-free-slot", slots = *slots)
                }
                WeaponError::EmptySlot(slot) => {
                    tr!(l, "items-weapon-empty-slot", slot = (slot + 1).to_string())
                }
            },
        }
    }
}

/// A storage error as the command error: a weapon refusal as a [`WeaponsRefusal`], anything
/// else as the items feature does.
pub fn storage_error(l: Locale, e: chronix_storage::StorageError) -> Error {
    use chronix_storage::{Refusal, StorageError};
    let r = match e {
        StorageError::Refused(Refusal::Weapon(w)) => from_storage(w),
        e => return super::storage_refusal(l, e),
    };
    crate::errors::refuse(l, r)
}

fn from_storage(w: WeaponRefusal) -> WeaponsRefusal {
    match w {
        WeaponRefusal::UnknownWeapon(id) => WeaponsRefusal::UnknownWeapon {
            text: id.to_string(),
        },
        WeaponRefusal::NotYourWeapon(id) => WeaponsRefusal::NotYourWeapon { id },
        WeaponRefusal::UnknownGem(id) => WeaponsRefusal::UnknownGem {
            text: id.to_string(),
        },
        WeaponRefusal::NotYourGem(id) => WeaponsRefusal::NotYourGem { id },
        WeaponRefusal::GemNotFree { gem, weapon } => WeaponsRefusal::GemNotFree { gem, weapon },
        WeaponRefusal::NothingEquipped => WeaponsRefusal::NothingEquipped,
        WeaponRefusal::Changed { .. } => WeaponsRefusal::Changed,
        WeaponRefusal::Rules(e) => WeaponsRefusal::Rules(e),
        WeaponRefusal::Equipped(id) => WeaponsRefusal::Equipped { id },
        WeaponRefusal::Listed { id, listing } => WeaponsRefusal::Listed { id, listing },
        WeaponRefusal::InTrade { id, trade } => WeaponsRefusal::InTrade { id, trade },
        WeaponRefusal::NotTheirs(id) => WeaponsRefusal::NotTheirs { id },
    }
}

/// What the player reads for a storage weapon refusal (the economy's `trade` and `market`
/// show these too).
pub fn refusal_text(l: Locale, w: &WeaponRefusal) -> String {
    crate::errors::Refusal::text(&from_storage(w.clone()), l)
}

/// The error of a dialog's storage call as the embed that replaces the dialog.
pub fn dialog_error(l: Locale, e: chronix_storage::StorageError) -> Result<Embed, Error> {
    match storage_error(l, e).downcast::<UserError>() {
        Ok(u) => Ok(crate::errors::user_error_embed(&u, l)),
        Err(e) => Err(e),
    }
}

/// `⏳ Time Shard` (the enhancement material).
pub fn material_label(t: &Tables) -> String {
    let id = &t.weapons().enhance.material;
    t.item(id)
        .map_or_else(|| id.clone(), |i| format!("{} {}", i.emoji, i.name))
}

/// `🟣 🗡️ **Ember Blade** +2 · #12`.
pub fn weapon_label(t: &Tables, w: &Weapon) -> String {
    let (emoji, name) = t
        .weapons()
        .weapon_type(&w.state.weapon_type)
        .map_or(("❔", w.state.weapon_type.as_str()), |x| {
            (x.emoji.as_str(), x.name.as_str())
        });
    let level = if w.state.level > 0 {
        format!(" +{}", w.state.level)
    } else {
        String::new()
    };
    format!(
        "{} {emoji} **{name}**{level} · #{}",
        t.rarity_emoji(w.state.rarity),
        w.id
    )
}

/// `⚔️ 24 · 🎯 5.0 % · 💎 1/2` (and the gems' other stats when there are).
pub fn stats_line(l: Locale, s: &WeaponStats) -> String {
    let mut line = tr!(
        l,
        "items-weapon-stats",
        attack = s.attack.to_string(),
        crit = crit(s.crit),
        used = s.used.to_string(),
        slots = s.slots.to_string()
    );
    for (key, v) in [("defense", s.defense), ("hp", s.hp), ("speed", s.speed)] {
        if v > 0 {
            line.push_str(&tr!(
                l,
                "items-weapon-stat-extra",
                stat = key,
                value = v.to_string()
            ));
        }
    }
    line
}

/// Tenths of a percent as `5.0 %`.
fn crit(tenths: u32) -> String {
    format!("{}.{} %", tenths / 10, tenths % 10)
}

fn element_name(l: Locale, element: &str) -> String {
    tr!(l, "items-element", element = element)
}

/// Finds `text` among `user`'s weapons: an id (`12`, `#12`; someone else's is refused as not
/// yours), or a type id or name (the equipped weapon of that type first, else the best one).
pub async fn resolve(
    data: &Data,
    l: Locale,
    user: chronix_core::ids::UserId,
    text: &str,
) -> Result<Weapon, Error> {
    let trimmed = text.trim().trim_start_matches('#');
    let unknown = || {
        crate::errors::refuse(
            l,
            WeaponsRefusal::UnknownWeapon {
                text: text.to_string(),
            },
        )
    };
    if let Ok(id) = trimmed.parse::<i64>() {
        let w = store::get(data.storage(), id).await?.ok_or_else(unknown)?;
        if w.owner_id != user {
            return Err(crate::errors::refuse(
                l,
                WeaponsRefusal::NotYourWeapon { id },
            ));
        }
        return Ok(w);
    }
    let want = normalise_name(trimmed);
    let t = tables();
    let mut mine: Vec<Weapon> = store::list(data.storage(), user)
        .await?
        .into_iter()
        .filter(|w| {
            w.state.weapon_type == want
                || t.weapons()
                    .weapon_type(&w.state.weapon_type)
                    .is_some_and(|x| normalise_name(&x.name) == want)
        })
        .collect();
    mine.sort_by_key(|w| std::cmp::Reverse((w.equipped, w.state.rarity, w.state.level, w.id)));
    mine.into_iter().next().ok_or_else(unknown)
}

/// Suggests the player's weapons (equipped first), matching what they typed; the value is the
/// weapon's id.
pub async fn autocomplete_weapon<'a>(
    ctx: Context<'a>,
    partial: &'a str,
) -> serenity::CreateAutocompleteResponse {
    let t = tables();
    let want = partial.trim().trim_start_matches('#').to_lowercase();
    let weapons = store::list(ctx.data().storage(), ctx.author().id.core())
        .await
        .unwrap_or_default();
    let mut out = serenity::CreateAutocompleteResponse::new();
    for w in weapons
        .iter()
        .filter(|w| {
            let name = t
                .weapons()
                .weapon_type(&w.state.weapon_type)
                .map_or(String::new(), |x| x.name.to_lowercase());
            want.is_empty()
                || name.contains(&want)
                || w.state.weapon_type.contains(&want)
                || w.id.to_string().starts_with(&want)
        })
        .take(25)
    {
        let label = weapon_label(t, w).replace("**", "");
        let label = if w.equipped {
            format!("{label} ✅")
        } else {
            label
        };
        out = out.add_string_choice(embeds::truncate(&label, 100), w.id.to_string());
    }
    out
}

/// Your weapons (paged): `weapons`.
#[poise::command(
    prefix_command,
    slash_command,
    aliases("arsenal", "myweapons"),
    custom_data = Tier::Everyone
)]
pub async fn weapons(ctx: Context<'_>) -> Result<(), Error> {
    paginator::send(ctx, PAGES, String::new(), Delivery::Public).await
}

/// Page source of `weapons`: the invoker's weapons.
pub fn draw_weapons<'a>(
    data: &'a Data,
    req: &'a PageRequest,
) -> poise::BoxFuture<'a, Result<Page, Error>> {
    Box::pin(async move {
        let l = req.locale;
        let t = tables();
        let all = store::list(data.storage(), req.owner.core()).await?;
        let total = all.len().div_ceil(PER_PAGE).max(1);
        let index = paginator::clamp(req.page, total);
        let lines: Vec<String> = all
            .iter()
            .skip(index * PER_PAGE)
            .take(PER_PAGE)
            .map(|w| {
                let s = stats(t, &w.state);
                let label = weapon_label(t, w);
                let line = if w.equipped {
                    tr!(l, "items-weapons-line-equipped", weapon = label)
                } else {
                    label
                };
                format!("{line}\n{}", stats_line(l, &s))
            })
            .collect();
        let e = Embed::gameplay(tr!(l, "items-weapons-title"))
            .description(if lines.is_empty() {
                tr!(l, "items-weapons-none")
            } else {
                lines.join("\n")
            })
            .footer(tr!(
                l,
                "items-weapons-footer",
                count = all.len(),
                page = (index + 1).to_string(),
                pages = total.to_string()
            ));
        Ok(Page::new(e, index, total, String::new()))
    })
}

/// Your weapons: info, equip, enhance, scrap.
#[poise::command(
    prefix_command,
    slash_command,
    rename = "weapon",
    aliases("wpn"),
    subcommands(
        "weapon_list",
        "weapon_info",
        "weapon_equip",
        "weapon_unequip",
        "weapon_enhance",
        "weapon_scrap"
    ),
    custom_data = Tier::Everyone
)]
pub async fn weapon_cmd(ctx: Context<'_>) -> Result<(), Error> {
    paginator::send(ctx, PAGES, String::new(), Delivery::Public).await
}

/// Your weapons (paged).
#[poise::command(
    prefix_command,
    slash_command,
    rename = "list",
    custom_data = Tier::Everyone
)]
pub async fn weapon_list(ctx: Context<'_>) -> Result<(), Error> {
    paginator::send(ctx, PAGES, String::new(), Delivery::Public).await
}

/// A weapon's stats, gems and next enhancement.
#[poise::command(
    prefix_command,
    slash_command,
    rename = "info",
    aliases("show", "stats"),
    custom_data = Tier::Everyone
)]
pub async fn weapon_info(
    ctx: Context<'_>,
    #[description = "Your weapon (name or id)"]
    #[autocomplete = "autocomplete_weapon"]
    #[rest]
    weapon: String,
) -> Result<(), Error> {
    let Caller {
        user, locale: l, ..
    } = Caller::of(ctx).await;
    let t = tables();
    let w = resolve(ctx.data(), l, user, &weapon).await?;
    ctx.send(embeds::reply(info_embed(l, t, &w))).await?;
    Ok(())
}

/// The embed of `weapon info`.
pub fn info_embed(l: Locale, t: &Tables, w: &Weapon) -> Embed {
    let s = stats(t, &w.state);
    let ty = t.weapons().weapon_type(&w.state.weapon_type);
    let mut e = Embed::gameplay(weapon_label(t, w).replace("**", ""))
        .colour(w.state.rarity.colour())
        .field(
            tr!(l, "items-weapon-field-rarity"),
            format!(
                "{} {}",
                t.rarity_emoji(w.state.rarity),
                tr!(l, "items-rarity", rarity = w.state.rarity.as_str())
            ),
            true,
        )
        .field(
            tr!(l, "items-weapon-field-element"),
            ty.map_or_else(String::new, |x| element_name(l, &x.element)),
            true,
        )
        .field(
            tr!(l, "items-weapon-field-level"),
            format!("+{} / +{}", w.state.level, t.weapons().enhance.max_level()),
            true,
        )
        .field(tr!(l, "items-weapon-field-stats"), stats_line(l, &s), false);
    let gems: Vec<String> = (0..w.state.base.slots)
        .map(|slot| match w.gems.iter().find(|g| g.slot == slot) {
            Some(g) => tr!(
                l,
                "items-weapon-slot-gem",
                slot = (slot + 1).to_string(),
                gem = chronix_core::render::loot_line(
                    t,
                    &chronix_core::items::Loot::Gem(g.gem.clone())
                ),
                id = g.id.to_string()
            ),
            None => tr!(l, "items-weapon-slot-empty", slot = (slot + 1).to_string()),
        })
        .collect();
    e = e.field(
        tr!(l, "items-weapon-field-gems"),
        if gems.is_empty() {
            tr!(l, "items-weapon-no-slots")
        } else {
            gems.join("\n")
        },
        false,
    );
    let next = match enhance_quote(t.weapons(), w.state.rarity, w.state.level) {
        Ok(q) => tr!(
            l,
            "items-weapon-next",
            cost = format_chrons(q.chrons),
            materials = q.materials.to_string(),
            material = material_label(t),
            chance = q.chance_pct.to_string()
        ),
        Err(_) => tr!(l, "items-weapon-next-max"),
    };
    e = e.field(tr!(l, "items-weapon-field-next"), next, false);
    let footer = if w.equipped {
        tr!(l, "items-weapon-footer-equipped", id = w.id.to_string())
    } else {
        tr!(l, "items-weapon-footer", id = w.id.to_string())
    };
    e.footer(footer)
}

/// Equip a weapon (the one equipped before is unequipped).
#[poise::command(
    prefix_command,
    slash_command,
    rename = "equip",
    aliases("wield"),
    custom_data = Tier::Everyone
)]
pub async fn weapon_equip(
    ctx: Context<'_>,
    #[description = "Your weapon (name or id)"]
    #[autocomplete = "autocomplete_weapon"]
    #[rest]
    weapon: String,
) -> Result<(), Error> {
    let Caller {
        user,
        locale: l,
        now,
        ..
    } = Caller::of(ctx).await;
    let t = tables();
    let w = resolve(ctx.data(), l, user, &weapon).await?;
    let (w, before) = store::equip(ctx.data().storage(), user, w.id, now)
        .await
        .map_err(|e| storage_error(l, e))?;
    let mut e = Embed::success(tr!(l, "items-weapon-equipped-title"))
        .description(tr!(
            l,
            "items-weapon-equipped",
            weapon = weapon_label(t, &w)
        ))
        .field(
            tr!(l, "items-weapon-field-stats"),
            stats_line(l, &stats(t, &w.state)),
            false,
        );
    if let Some(b) = before {
        e = e.footer(tr!(l, "items-weapon-replaced", id = b.to_string()));
    }
    ctx.send(embeds::reply(e)).await?;
    Ok(())
}

/// Unequip your equipped weapon.
#[poise::command(
    prefix_command,
    slash_command,
    rename = "unequip",
    aliases("sheathe"),
    custom_data = Tier::Everyone
)]
pub async fn weapon_unequip(ctx: Context<'_>) -> Result<(), Error> {
    let Caller {
        user,
        locale: l,
        now,
        ..
    } = Caller::of(ctx).await;
    let w = store::unequip(ctx.data().storage(), user, now)
        .await
        .map_err(|e| storage_error(l, e))?;
    let e = Embed::success(tr!(l, "items-weapon-unequipped-title")).description(tr!(
        l,
        "items-weapon-unequipped",
        weapon = weapon_label(tables(), &w)
    ));
    ctx.send(embeds::reply(e)).await?;
    Ok(())
}

fn confirm_ttl(data: &Data) -> Duration {
    Duration::from_secs(data.config().items_confirm_ttl_secs)
}

/// Enhance a weapon one level: Chrons and materials, with a success chance (shown first).
#[poise::command(
    prefix_command,
    slash_command,
    rename = "enhance",
    aliases("upgrade", "refine"),
    custom_data = Tier::Everyone
)]
pub async fn weapon_enhance(
    ctx: Context<'_>,
    #[description = "Your weapon (name or id)"]
    #[autocomplete = "autocomplete_weapon"]
    #[rest]
    weapon: String,
) -> Result<(), Error> {
    let Caller {
        user,
        guild,
        locale: l,
        now,
        ..
    } = Caller::of(ctx).await;
    let t = tables();
    let table = t.weapons();
    let storage = ctx.data().storage();
    let w = resolve(ctx.data(), l, user, &weapon).await?;
    let refuse = |e: WeaponError| crate::errors::refuse(l, WeaponsRefusal::Rules(e));
    let q: EnhanceQuote = enhance_quote(table, w.state.rarity, w.state.level).map_err(refuse)?;
    let balance = ledger::balance(storage, user).await?;
    let material = &table.enhance.material;
    let have = inventory::list(storage, user).await?.quantity(material);
    if balance < q.chrons {
        return Err(refuse(WeaponError::NotEnoughChrons {
            cost: q.chrons,
            balance,
        }));
    }
    if have < i64::from(q.materials) {
        return Err(refuse(WeaponError::NotEnoughMaterials {
            needed: q.materials,
            available: have,
        }));
    }
    let up = WeaponState {
        level: w.state.level + 1,
        ..w.state.clone()
    };
    let failure = if q.downgrade_on_failure {
        tr!(
            l,
            "items-enhance-failure-drop",
            level = (w.state.level - 1).to_string()
        )
    } else {
        tr!(l, "items-enhance-failure-keep")
    };
    let question = tr!(
        l,
        "items-enhance-question",
        weapon = weapon_label(t, &w),
        from = w.state.level.to_string(),
        to = (w.state.level + 1).to_string(),
        chance = q.chance_pct.to_string(),
        cost = format_chrons(q.chrons),
        materials = q.materials.to_string(),
        material = material_label(t),
        failure = failure
    );
    let changes = [
        Change {
            what: tr!(l, "items-forge-wallet"),
            before: format_chrons(balance),
            after: format_chrons(balance.saturating_sub(q.chrons)),
        },
        Change {
            what: material_label(t),
            before: have.to_string(),
            after: (have - i64::from(q.materials)).to_string(),
        },
        Change {
            what: tr!(l, "items-enhance-attack-on-success"),
            before: stats(t, &w.state).attack.to_string(),
            after: stats(t, &up).attack.to_string(),
        },
    ];
    let title = tr!(l, "items-enhance-title");
    let Answer::Confirmed(ci) =
        confirm::ask(ctx, &title, &question, &changes, confirm_ttl(ctx.data())).await?
    else {
        return Ok(());
    };
    let mut rng = rng();
    let result = store::enhance(
        storage,
        user,
        guild,
        w.id,
        w.state.level,
        material,
        now,
        |rarity, level, balance: Chrons, materials| {
            enhance(table, rarity, level, balance, materials, &mut rng)
        },
    )
    .await;
    let embed = match result {
        Ok(done) => enhanced_embed(l, t, &done),
        Err(e) => dialog_error(l, e)?,
    };
    confirm::done(ctx.serenity_context(), &ci, embed).await
}

fn enhanced_embed(l: Locale, t: &Tables, done: &store::Enhanced) -> Embed {
    let o = &done.outcome;
    let mut after = done.before.clone();
    after.state.level = o.level_after;
    let e = if o.success {
        Embed::success(tr!(l, "items-enhance-success-title")).description(tr!(
            l,
            "items-enhance-success",
            weapon = weapon_label(t, &after),
            chance = o.quote.chance_pct.to_string()
        ))
    } else {
        Embed::warning(tr!(l, "items-enhance-failure-title")).description(tr!(
            l,
            "items-enhance-failure",
            weapon = weapon_label(t, &after),
            chance = o.quote.chance_pct.to_string()
        ))
    };
    e.field(
        tr!(l, "items-weapon-field-stats"),
        stats_line(l, &stats(t, &after.state)),
        false,
    )
    .field(
        tr!(l, "items-field-chrons"),
        tr!(
            l,
            "items-forge-paid",
            cost = format_chrons(o.quote.chrons),
            balance = format_chrons(done.balance_after)
        ),
        true,
    )
    .field(
        material_label(t),
        tr!(
            l,
            "items-enhance-materials-paid",
            used = o.quote.materials.to_string(),
            left = done.materials_left.to_string()
        ),
        true,
    )
}

/// Scrap a weapon for materials (its gems come back to you).
#[poise::command(
    prefix_command,
    slash_command,
    rename = "scrap",
    aliases("salvage", "dismantle"),
    custom_data = Tier::Everyone
)]
pub async fn weapon_scrap(
    ctx: Context<'_>,
    #[description = "Your weapon (name or id)"]
    #[autocomplete = "autocomplete_weapon"]
    #[rest]
    weapon: String,
) -> Result<(), Error> {
    let Caller {
        user,
        locale: l,
        now,
        ..
    } = Caller::of(ctx).await;
    let t = tables();
    let table = t.weapons();
    let storage = ctx.data().storage();
    let w = resolve(ctx.data(), l, user, &weapon).await?;
    let gives = scrap_yield(table, w.state.rarity, w.state.level);
    let have = inventory::list(storage, user)
        .await?
        .quantity(&table.enhance.material);
    let mut question = tr!(
        l,
        "items-scrap-question",
        weapon = weapon_label(t, &w),
        materials = gives.to_string(),
        material = material_label(t)
    );
    if !w.gems.is_empty() {
        question.push('\n');
        question.push_str(&tr!(l, "items-scrap-gems-back", count = w.gems.len()));
    }
    if w.equipped {
        question.push('\n');
        question.push_str(&tr!(l, "items-scrap-equipped"));
    }
    let changes = [Change {
        what: material_label(t),
        before: have.to_string(),
        after: (have + i64::from(gives)).to_string(),
    }];
    let title = tr!(l, "items-scrap-title");
    let Answer::Confirmed(ci) =
        confirm::ask(ctx, &title, &question, &changes, confirm_ttl(ctx.data())).await?
    else {
        return Ok(());
    };
    let result = crate::features::economy::with_item_definitions(ctx.data(), || {
        store::scrap(
            storage,
            user,
            w.id,
            &table.enhance.material,
            now,
            |r, lv| scrap_yield(table, r, lv),
        )
    })
    .await;
    let embed = match result {
        Ok(s) => Embed::success(tr!(l, "items-scrap-done-title")).description(tr!(
            l,
            "items-scrap-done",
            weapon = weapon_label(t, &s.weapon),
            materials = s.materials.to_string(),
            material = material_label(t),
            total = s.materials_total.to_string(),
            gems = s.freed_gems.len()
        )),
        Err(e) => dialog_error(l, e)?,
    };
    confirm::done(ctx.serenity_context(), &ci, embed).await
}

/// The rarity of a weapon in words (for other modules).
pub fn rarity_name(l: Locale, r: Rarity) -> String {
    tr!(l, "items-rarity", rarity = r.as_str())
}
