//! The pet commands: `pets` (`p`, `mypets`), `pet …`, `train` (`pt`).

use std::time::Duration;

use chronix_core::pets::{self as rules, PetRules};
use chronix_core::render::{format_chrons, format_number, progress_bar};
use chronix_storage::pets::{self as store, Pet};
use chronix_storage::{economy as ledger, inventory};

use super::{PetsRefusal, consumables, find_creature, pet_id, pet_label, rarity_of, storage_error};
use crate::prelude::*;
use crate::tables::{pet_rules, rng, tables};
use crate::ui::confirm::{self, Answer, Change};

/// Pets commands.
pub fn commands() -> Vec<Command> {
    vec![pets(), pet(), train(), consumables::use_cmd()]
}

/// Your pets (the team first).
#[poise::command(
    prefix_command,
    slash_command,
    aliases("p", "mypets"),
    custom_data = Tier::Everyone
)]
pub async fn pets(ctx: Context<'_>) -> Result<(), Error> {
    show_list(ctx).await
}

/// Your pets: info, adopt, train, feed, evolve, prestige, release, team.
#[poise::command(
    prefix_command,
    slash_command,
    subcommands(
        "pet_list",
        "pet_info",
        "pet_adopt",
        "pet_rename",
        "pet_train",
        "pet_feed",
        "pet_evolve",
        "pet_prestige",
        "pet_release",
        "pet_team"
    ),
    custom_data = Tier::Everyone
)]
pub async fn pet(ctx: Context<'_>) -> Result<(), Error> {
    show_list(ctx).await
}

/// Your pets (the team first).
#[poise::command(
    prefix_command,
    slash_command,
    rename = "list",
    custom_data = Tier::Everyone
)]
pub async fn pet_list(ctx: Context<'_>) -> Result<(), Error> {
    show_list(ctx).await
}

async fn my_pets(ctx: Context<'_>) -> Result<Vec<Pet>, Error> {
    Ok(store::list(ctx.data().storage(), ctx.author().id.core()).await?)
}

use crate::kernel::ids::ToCore;

/// One line of the list.
fn list_line(l: Locale, r: &PetRules, p: &Pet) -> String {
    let t = tables();
    let traits: String = t
        .creature(&p.pet_type)
        .map(|c| r.traits_of(c).iter().map(|x| x.emoji.as_str()).collect())
        .unwrap_or_default();
    tr!(
        l,
        "pets-list-line",
        team = if p.active { "⭐" } else { "▫️" },
        rarity = t.rarity_emoji(rarity_of(p)),
        pet = pet_label(p),
        level = p.level.to_string(),
        stage = r.stage(p.stage.max(0) as u32).name.as_str(),
        stamina = p.stamina.to_string(),
        max = r.stamina_max.to_string(),
        traits = traits
    )
}

async fn show_list(ctx: Context<'_>) -> Result<(), Error> {
    let l = ctx.lang();
    let r = pet_rules();
    let pets = my_pets(ctx).await?;
    let mut e = Embed::gameplay(tr!(l, "pets-list-title", user = ctx.author().name.as_str()));
    if pets.is_empty() {
        e = e.description(tr!(l, "pets-list-empty"));
    } else {
        let lines: Vec<String> = pets.iter().take(25).map(|p| list_line(l, r, p)).collect();
        let mut d = lines.join("\n");
        if pets.len() > 25 {
            d.push('\n');
            d.push_str(&tr!(l, "pets-list-more", count = pets.len() - 25));
        }
        e = e.description(d);
    }
    let team = pets.iter().filter(|p| p.active).count();
    e = e.footer(tr!(
        l,
        "pets-list-footer",
        count = pets.len(),
        max = r.max_pets.to_string(),
        team = team.to_string(),
        size = r.team_size.to_string()
    ));
    ctx.send(embeds::reply(e)).await?;
    Ok(())
}

/// A pet's card: type, level, stamina, affinity, stats, traits, what evolving needs.
pub fn info_embed(l: Locale, p: &Pet) -> Embed {
    let t = tables();
    let r = pet_rules();
    let s = p.state();
    let rarity = rarity_of(p);
    let creature = t.creature(&p.pet_type);
    let mut e = Embed::gameplay(tr!(l, "pets-info-title", pet = pet_label(p)))
        .colour(rarity.colour())
        .field(
            tr!(l, "pets-field-type"),
            tr!(
                l,
                "pets-type",
                rarity_emoji = t.rarity_emoji(rarity),
                rarity = tr!(l, "items-rarity", rarity = rarity.as_str()),
                creature = creature.map_or(p.pet_type.as_str(), |c| c.name.as_str()),
                element = creature.map_or("?", |c| c.element.as_str())
            ),
            true,
        );
    let cap = r.level_cap(s.stage);
    let level = if s.level >= cap {
        tr!(
            l,
            "pets-level-capped",
            level = s.level.to_string(),
            stage = r.stage(s.stage).name.as_str()
        )
    } else {
        let need = r.xp_to_next(s.level);
        tr!(
            l,
            "pets-level",
            level = s.level.to_string(),
            cap = cap.to_string(),
            stage = r.stage(s.stage).name.as_str(),
            bar = progress_bar(s.xp as i64, need as i64, 10),
            xp = format_number(s.xp as i64),
            need = format_number(need as i64)
        )
    };
    e = e.field(tr!(l, "pets-field-level"), level, true).field(
        tr!(l, "pets-field-stamina"),
        format!(
            "{} {}/{}",
            progress_bar(i64::from(s.stamina), i64::from(r.stamina_max), 10),
            s.stamina,
            r.stamina_max
        ),
        true,
    );
    e = e.field(
        tr!(l, "pets-field-affinity"),
        format!("×{:.2}", f64::from(s.affinity) / 100.0),
        true,
    );
    e = e.field(
        tr!(l, "pets-field-prestige"),
        tr!(
            l,
            "pets-prestige-value",
            count = s.prestige,
            bonus = (s.prestige * r.prestige_bonus_pct).to_string()
        ),
        true,
    );
    e = e.field(
        tr!(l, "pets-field-team"),
        if p.active {
            tr!(l, "pets-in-team")
        } else {
            tr!(l, "pets-not-in-team")
        },
        true,
    );
    if let Some(c) = creature {
        let st = rules::stats(r, &c.stats, &s);
        e = e.field(
            tr!(l, "pets-field-stats"),
            tr!(
                l,
                "pets-stats",
                hp = st.hp.to_string(),
                attack = st.attack.to_string(),
                defense = st.defense.to_string(),
                speed = st.speed.to_string(),
                power = rules::power(&st).to_string()
            ),
            false,
        );
        let traits: Vec<String> = r
            .traits_of(c)
            .iter()
            .map(|x| format!("{} {}", x.emoji, x.name))
            .collect();
        if !traits.is_empty() {
            e = e.field(tr!(l, "pets-field-traits"), traits.join(" · "), false);
        }
    }
    let next = match r.next_stage(s.stage) {
        Some(stage) => {
            let cost = stage.evolve.as_ref();
            tr!(
                l,
                "pets-next-evolution",
                stage = stage.name.as_str(),
                level = cost.map_or(0, |c| c.min_level).to_string(),
                cost = cost.map_or_else(String::new, |c| evolve_cost_text(l, c))
            )
        }
        None => tr!(
            l,
            "pets-next-prestige",
            level = r.level_cap(s.stage).to_string(),
            bonus = r.prestige_bonus_pct.to_string()
        ),
    };
    e.field(tr!(l, "pets-field-next"), next, false)
}

fn evolve_cost_text(l: Locale, c: &rules::EvolveCost) -> String {
    let t = tables();
    let mut parts: Vec<String> = c
        .items
        .iter()
        .map(|(k, n)| match t.item(k) {
            Some(i) => format!("{} {} ×{n}", i.emoji, i.name),
            None => format!("{k} ×{n}"),
        })
        .collect();
    if c.chrons > chronix_core::economy::Chrons::ZERO {
        parts.push(format_chrons(c.chrons));
    }
    if parts.is_empty() {
        tr!(l, "pets-free")
    } else {
        parts.join(" + ")
    }
}

/// A pet's card: stats, level, stamina, traits and what evolving needs.
#[poise::command(
    prefix_command,
    slash_command,
    rename = "info",
    custom_data = Tier::Everyone
)]
pub async fn pet_info(
    ctx: Context<'_>,
    #[description = "Your pet (name or #id)"]
    #[autocomplete = "autocomplete_pet"]
    #[rest]
    pet: String,
) -> Result<(), Error> {
    let l = ctx.lang();
    let pets = my_pets(ctx).await?;
    let id = pet_id(l, &pets, &pet)?;
    let p = match pets.iter().find(|p| p.id == id) {
        Some(p) => p.clone(),
        None => match store::get(ctx.data().storage(), id).await? {
            Some(p) => p,
            None => {
                return Err(crate::errors::refuse(
                    l,
                    PetsRefusal::UnknownPet { text: pet },
                ));
            }
        },
    };
    ctx.send(embeds::reply(info_embed(l, &p))).await?;
    Ok(())
}

/// The card shown after an adoption.
pub fn adopted_embed(l: Locale, p: &Pet) -> Embed {
    info_embed(l, p)
        .description(tr!(l, "pets-adopted", pet = pet_label(p)))
        .footer(tr!(l, "pets-adopted-footer", id = p.id.to_string()))
}

/// Adopt a creature you caught as a pet: `pet adopt dust bunny`, `pet adopt ember_rat Sparky`.
#[poise::command(
    prefix_command,
    slash_command,
    rename = "adopt",
    custom_data = Tier::Everyone
)]
pub async fn pet_adopt(
    ctx: Context<'_>,
    #[description = "A creature from your inventory"]
    #[autocomplete = "autocomplete_creature"]
    creature: String,
    #[description = "Its name (the creature's name if empty)"]
    #[rest]
    name: Option<String>,
) -> Result<(), Error> {
    let Caller {
        user,
        locale: l,
        now,
        ..
    } = Caller::of(ctx).await;
    // Prefix users type names with spaces: "pet adopt dust bunny Fluffy".
    let (c, name) = match find_creature(&creature) {
        Some(c) => (c, name),
        None => {
            let joined = match &name {
                Some(n) => format!("{creature} {n}"),
                None => creature.clone(),
            };
            let words: Vec<&str> = joined.split_whitespace().collect();
            let found = (1..=words.len().min(3)).rev().find_map(|k| {
                find_creature(&words[..k].join(" ")).map(|c| (c, words[k..].join(" ")))
            });
            match found {
                Some((c, rest)) => (c, Some(rest).filter(|r| !r.is_empty())),
                None => {
                    return Err(crate::errors::refuse(
                        l,
                        PetsRefusal::UnknownCreature { text: creature },
                    ));
                }
            }
        }
    };
    let p = store::adopt(
        ctx.data().storage(),
        user,
        c,
        name.as_deref(),
        pet_rules(),
        now,
    )
    .await
    .map_err(|e| storage_error(l, e))?;
    ctx.send(embeds::reply(adopted_embed(l, &p))).await?;
    Ok(())
}

/// Rename a pet (at most 32 characters, no mentions).
#[poise::command(
    prefix_command,
    slash_command,
    rename = "rename",
    custom_data = Tier::Everyone
)]
pub async fn pet_rename(
    ctx: Context<'_>,
    #[description = "Your pet (name or #id)"]
    #[autocomplete = "autocomplete_pet"]
    pet: String,
    #[description = "The new name"]
    #[rest]
    name: String,
) -> Result<(), Error> {
    let Caller {
        user,
        locale: l,
        now,
        ..
    } = Caller::of(ctx).await;
    let pets = my_pets(ctx).await?;
    let id = pet_id(l, &pets, &pet)?;
    let old = pets.iter().find(|p| p.id == id).map(|p| p.name.clone());
    let p = store::rename(ctx.data().storage(), user, id, &name, now)
        .await
        .map_err(|e| storage_error(l, e))?;
    let e = Embed::success(tr!(l, "pets-renamed-title")).description(tr!(
        l,
        "pets-renamed",
        old = old.unwrap_or_default(),
        pet = pet_label(&p)
    ));
    ctx.send(embeds::reply(e)).await?;
    Ok(())
}

/// Train a pet: XP for stamina, then it rests (the first team pet if you name none).
#[poise::command(
    prefix_command,
    slash_command,
    rename = "train",
    custom_data = Tier::Everyone
)]
pub async fn pet_train(
    ctx: Context<'_>,
    #[description = "Your pet (name or #id; your first team pet if empty)"]
    #[autocomplete = "autocomplete_pet"]
    #[rest]
    pet: Option<String>,
) -> Result<(), Error> {
    do_train(ctx, pet).await
}

/// Train a pet (`train`, `pt`): the same as `pet train`.
#[poise::command(prefix_command, aliases("pt"), custom_data = Tier::Everyone)]
pub async fn train(
    ctx: Context<'_>,
    #[description = "Your pet (name or #id; your first team pet if empty)"]
    #[rest]
    pet: Option<String>,
) -> Result<(), Error> {
    do_train(ctx, pet).await
}

/// The pet a command without a pet argument means: the first of the team, else the first pet.
fn default_pet(l: Locale, pets: &[Pet]) -> Result<i64, Error> {
    pets.iter()
        .find(|p| p.active)
        .or_else(|| pets.first())
        .map(|p| p.id)
        .ok_or_else(|| crate::errors::refuse(l, PetsRefusal::NoPets))
}

async fn do_train(ctx: Context<'_>, pet: Option<String>) -> Result<(), Error> {
    let Caller {
        user,
        locale: l,
        now,
        ..
    } = Caller::of(ctx).await;
    let pets = my_pets(ctx).await?;
    let id = match pet.as_deref().filter(|p| !p.trim().is_empty()) {
        Some(p) => pet_id(l, &pets, p)?,
        None => default_pet(l, &pets)?,
    };
    let mut rng = rng();
    let (p, t) = store::train(
        ctx.data().storage(),
        user,
        id,
        pet_rules(),
        tables(),
        now,
        &mut rng,
    )
    .await
    .map_err(|e| storage_error(l, e))?;
    let mut lines = vec![tr!(
        l,
        "pets-trained",
        pet = pet_label(&p),
        xp = t.gain.gained.to_string(),
        stamina = t.stamina_spent.to_string()
    )];
    if t.gain.levels > 0 {
        lines.push(tr!(l, "pets-level-up", level = p.level.to_string()));
    }
    if t.gain.capped {
        lines.push(tr!(l, "pets-reached-cap", level = p.level.to_string()));
    }
    let e = info_embed(l, &p).description(lines.join("\n")).footer(tr!(
        l,
        "pets-trained-footer",
        when = format!("<t:{}:R>", t.next_at.timestamp())
    ));
    ctx.send(embeds::reply(e)).await?;
    Ok(())
}

/// Feed a pet: restores stamina, uses pet food from your inventory (the smallest that helps).
#[poise::command(
    prefix_command,
    slash_command,
    rename = "feed",
    custom_data = Tier::Everyone
)]
pub async fn pet_feed(
    ctx: Context<'_>,
    #[description = "Your pet (name or #id)"]
    #[autocomplete = "autocomplete_pet"]
    pet: String,
    #[description = "Which food (the smallest you own if empty)"]
    #[autocomplete = "super::consumables::autocomplete_food"]
    #[rest]
    food: Option<String>,
) -> Result<(), Error> {
    let l = ctx.lang();
    let pets = my_pets(ctx).await?;
    // Prefix users type names with spaces ("pet feed Sir Fluff pet treat"): the longest run of
    // words that names one of their pets exactly is the pet, the rest the food.
    let joined = match &food {
        Some(f) => format!("{pet} {f}"),
        None => pet.clone(),
    };
    let words: Vec<&str> = joined.split_whitespace().collect();
    let exact = (1..=words.len()).rev().find_map(|k| {
        let name = words[..k].join(" ").to_lowercase();
        pets.iter()
            .find(|p| p.name.to_lowercase() == name)
            .map(|p| (p.id, words[k..].join(" ")))
    });
    let (id, food) = match exact {
        Some((id, rest)) => (id, Some(rest).filter(|r| !r.is_empty())),
        None => (pet_id(l, &pets, &pet)?, food),
    };
    consumables::feed(ctx, id, food.as_deref()).await
}

async fn confirm_ttl(ctx: Context<'_>) -> Duration {
    Duration::from_secs(ctx.data().config().items_confirm_ttl_secs)
}

/// The result of a confirmed action as the dialog's last state (a refusal as its ❌ embed).
fn outcome(l: Locale, r: Result<Embed, chronix_storage::StorageError>) -> Result<Embed, Error> {
    match r {
        Ok(e) => Ok(e),
        Err(e) => match storage_error(l, e).downcast::<UserError>() {
            Ok(u) => Ok(crate::errors::user_error_embed(&u, l)),
            Err(e) => Err(e),
        },
    }
}

/// The caller and their pet named by `text` (a name, a prefix, an id): the first step of
/// `pet evolve`, `prestige` and `release`. A pet that is not in their list is someone else's or
/// does not exist; a read says which, with the refusal the storage action would give
/// (`Pet #12 is not yours`), and nothing changes.
async fn resolve_pet(ctx: Context<'_>, text: &str) -> Result<(Caller, Pet), Error> {
    use chronix_storage::pets::PetRefusal;
    let caller = Caller::of(ctx).await;
    let l = caller.locale;
    let pets = my_pets(ctx).await?;
    let id = pet_id(l, &pets, text)?;
    if let Some(p) = pets.into_iter().find(|p| p.id == id) {
        return Ok((caller, p));
    }
    let why = match store::get(ctx.data().storage(), id).await? {
        // Adopted between the two reads: it is theirs now.
        Some(p) if p.owner_id == caller.user => return Ok((caller, p)),
        Some(_) => PetRefusal::NotYours(id),
        None => PetRefusal::Unknown(id),
    };
    Err(storage_error(
        l,
        chronix_storage::StorageError::Refused(chronix_storage::Refusal::Pet(why)),
    ))
}

/// Evolve a pet to its next stage (level and items; asks first).
#[poise::command(
    prefix_command,
    slash_command,
    rename = "evolve",
    custom_data = Tier::Everyone
)]
pub async fn pet_evolve(
    ctx: Context<'_>,
    #[description = "Your pet (name or #id)"]
    #[autocomplete = "autocomplete_pet"]
    #[rest]
    pet: String,
) -> Result<(), Error> {
    let (
        Caller {
            user,
            guild,
            locale: l,
            now,
            ..
        },
        p,
    ) = resolve_pet(ctx, &pet).await?;
    let (p, id) = (&p, p.id);
    let r = pet_rules();
    let storage = ctx.data().storage();
    // Check the rules before asking (level, final stage).
    let mut s = p.state();
    let cost = rules::evolve(r, &mut s).map_err(|e| {
        crate::errors::refuse(
            l,
            PetsRefusal::Storage(chronix_storage::Refusal::Pet(
                chronix_storage::pets::PetRefusal::Rule(e),
            )),
        )
    })?;
    let base = tables().creature(&p.pet_type).map(|c| c.stats);
    let mut changes = vec![Change {
        what: tr!(l, "pets-field-stage"),
        before: r.stage(p.state().stage).name.clone(),
        after: r.stage(s.stage).name.clone(),
    }];
    if let Some(base) = base {
        changes.push(Change {
            what: tr!(l, "pets-field-power"),
            before: rules::power(&rules::stats(r, &base, &p.state())).to_string(),
            after: rules::power(&rules::stats(r, &base, &s)).to_string(),
        });
    }
    if cost.chrons > chronix_core::economy::Chrons::ZERO {
        let balance = ledger::balance(storage, user).await?;
        changes.push(Change {
            what: tr!(l, "pets-field-wallet"),
            before: format_chrons(balance),
            after: format_chrons(balance.saturating_sub(cost.chrons)),
        });
    }
    let question = tr!(
        l,
        "pets-evolve-question",
        pet = pet_label(p),
        stage = r.stage(s.stage).name.as_str(),
        cost = evolve_cost_text(l, &cost),
        cap = r.level_cap(s.stage).to_string()
    );
    let title = tr!(l, "pets-evolve-title");
    let Answer::Confirmed(ci) =
        confirm::ask(ctx, &title, &question, &changes, confirm_ttl(ctx).await).await?
    else {
        return Ok(());
    };
    let result = store::evolve(storage, user, id, r, guild, now)
        .await
        .map(|p| {
            info_embed(l, &p).description(tr!(
                l,
                "pets-evolved",
                pet = pet_label(&p),
                stage = r.stage(p.state().stage).name.as_str()
            ))
        });
    let e = outcome(l, result)?;
    confirm::done(ctx.serenity_context(), &ci, e).await
}

/// Prestige a pet: back to level 1 for a permanent stat bonus (asks first).
#[poise::command(
    prefix_command,
    slash_command,
    rename = "prestige",
    custom_data = Tier::Everyone
)]
pub async fn pet_prestige(
    ctx: Context<'_>,
    #[description = "Your pet (name or #id)"]
    #[autocomplete = "autocomplete_pet"]
    #[rest]
    pet: String,
) -> Result<(), Error> {
    let (
        Caller {
            user,
            locale: l,
            now,
            ..
        },
        p,
    ) = resolve_pet(ctx, &pet).await?;
    let (p, id) = (&p, p.id);
    let r = pet_rules();
    let storage = ctx.data().storage();
    let mut s = p.state();
    rules::prestige(r, &mut s).map_err(|e| {
        crate::errors::refuse(
            l,
            PetsRefusal::Storage(chronix_storage::Refusal::Pet(
                chronix_storage::pets::PetRefusal::Rule(e),
            )),
        )
    })?;
    let before = p.state();
    let changes = [
        Change {
            what: tr!(l, "pets-field-level"),
            before: before.level.to_string(),
            after: s.level.to_string(),
        },
        Change {
            what: tr!(l, "pets-field-prestige"),
            before: format!("+{} %", before.prestige * r.prestige_bonus_pct),
            after: format!("+{} %", s.prestige * r.prestige_bonus_pct),
        },
    ];
    let question = tr!(
        l,
        "pets-prestige-question",
        pet = pet_label(p),
        bonus = r.prestige_bonus_pct.to_string()
    );
    let title = tr!(l, "pets-prestige-title");
    let Answer::Confirmed(ci) =
        confirm::ask(ctx, &title, &question, &changes, confirm_ttl(ctx).await).await?
    else {
        return Ok(());
    };
    let result = store::prestige(storage, user, id, r, now).await.map(|p| {
        info_embed(l, &p).description(tr!(
            l,
            "pets-prestiged",
            pet = pet_label(&p),
            count = p.prestige
        ))
    });
    let e = outcome(l, result)?;
    confirm::done(ctx.serenity_context(), &ci, e).await
}

/// Release a pet: it leaves for good and leaves Time Shards behind (asks first).
#[poise::command(
    prefix_command,
    slash_command,
    rename = "release",
    custom_data = Tier::Everyone
)]
pub async fn pet_release(
    ctx: Context<'_>,
    #[description = "Your pet (name or #id)"]
    #[autocomplete = "autocomplete_pet"]
    #[rest]
    pet: String,
) -> Result<(), Error> {
    let (
        Caller {
            user,
            locale: l,
            now,
            ..
        },
        p,
    ) = resolve_pet(ctx, &pet).await?;
    let (p, id) = (&p, p.id);
    let r = pet_rules();
    let storage = ctx.data().storage();
    let (item, n) = r.release_reward(rarity_of(p));
    let reward = match tables().item(&item) {
        Some(i) => format!("{} {} ×{n}", i.emoji, i.name),
        None => format!("{item} ×{n}"),
    };
    let have = inventory::list(storage, user).await?.quantity(&item);
    let changes = [Change {
        what: tables()
            .item(&item)
            .map_or_else(|| item.clone(), |i| format!("{} {}", i.emoji, i.name)),
        before: have.to_string(),
        after: (have + n).to_string(),
    }];
    let question = tr!(
        l,
        "pets-release-question",
        pet = pet_label(p),
        level = p.level.to_string(),
        reward = reward
    );
    let title = tr!(l, "pets-release-title");
    let Answer::Confirmed(ci) =
        confirm::ask(ctx, &title, &question, &changes, confirm_ttl(ctx).await).await?
    else {
        return Ok(());
    };
    let result = store::release(storage, user, id, r, now)
        .await
        .map(|(p, (item, n))| {
            let reward = match tables().item(&item) {
                Some(i) => format!("{} {} ×{n}", i.emoji, i.name),
                None => format!("{item} ×{n}"),
            };
            Embed::success(tr!(l, "pets-released-title")).description(tr!(
                l,
                "pets-released",
                pet = pet_label(&p),
                reward = reward
            ))
        });
    let e = outcome(l, result)?;
    confirm::done(ctx.serenity_context(), &ci, e).await
}

/// Your active team (up to 3 pets; autohunt and battles use it).
#[poise::command(
    prefix_command,
    slash_command,
    rename = "team",
    subcommands("team_show", "team_add", "team_remove"),
    custom_data = Tier::Everyone
)]
pub async fn pet_team(ctx: Context<'_>) -> Result<(), Error> {
    show_team(ctx, None).await
}

/// Your active team.
#[poise::command(
    prefix_command,
    slash_command,
    rename = "show",
    custom_data = Tier::Everyone
)]
pub async fn team_show(ctx: Context<'_>) -> Result<(), Error> {
    show_team(ctx, None).await
}

/// Put a pet in your active team.
#[poise::command(
    prefix_command,
    slash_command,
    rename = "add",
    custom_data = Tier::Everyone
)]
pub async fn team_add(
    ctx: Context<'_>,
    #[description = "Your pet (name or #id)"]
    #[autocomplete = "autocomplete_pet"]
    #[rest]
    pet: String,
) -> Result<(), Error> {
    set_team(ctx, &pet, true).await
}

/// Take a pet out of your active team.
#[poise::command(
    prefix_command,
    slash_command,
    rename = "remove",
    custom_data = Tier::Everyone
)]
pub async fn team_remove(
    ctx: Context<'_>,
    #[description = "Your pet (name or #id)"]
    #[autocomplete = "autocomplete_pet"]
    #[rest]
    pet: String,
) -> Result<(), Error> {
    set_team(ctx, &pet, false).await
}

async fn set_team(ctx: Context<'_>, pet: &str, active: bool) -> Result<(), Error> {
    let Caller {
        user,
        locale: l,
        now,
        ..
    } = Caller::of(ctx).await;
    let pets = my_pets(ctx).await?;
    let id = pet_id(l, &pets, pet)?;
    let p = store::set_active(
        ctx.data().storage(),
        user,
        id,
        active,
        pet_rules().team_size,
        now,
    )
    .await
    .map_err(|e| storage_error(l, e))?;
    let note = if active {
        tr!(l, "pets-team-joined", pet = pet_label(&p))
    } else {
        tr!(l, "pets-team-left", pet = pet_label(&p))
    };
    show_team(ctx, Some(note)).await
}

async fn show_team(ctx: Context<'_>, note: Option<String>) -> Result<(), Error> {
    let l = ctx.lang();
    let r = pet_rules();
    let team = store::team(ctx.data().storage(), ctx.author().id.core()).await?;
    let mut lines: Vec<String> = note.into_iter().collect();
    if team.is_empty() {
        lines.push(tr!(l, "pets-team-empty"));
    }
    for p in &team {
        lines.push(list_line(l, r, p));
    }
    let e = Embed::gameplay(tr!(
        l,
        "pets-team-title",
        count = team.len().to_string(),
        size = r.team_size.to_string()
    ))
    .description(lines.join("\n"))
    .footer(tr!(l, "pets-team-footer"));
    ctx.send(embeds::reply(e)).await?;
    Ok(())
}

/// Suggests the player's pets matching what they typed (value: the pet id).
pub async fn autocomplete_pet<'a>(
    ctx: Context<'a>,
    partial: &'a str,
) -> serenity::CreateAutocompleteResponse {
    let pets = store::list(ctx.data().storage(), ctx.author().id.core())
        .await
        .unwrap_or_default();
    let want = partial.trim().trim_start_matches('#').to_lowercase();
    let mut out = serenity::CreateAutocompleteResponse::new();
    for p in pets
        .iter()
        .filter(|p| p.name.to_lowercase().contains(&want) || p.id.to_string().starts_with(&want))
        .take(25)
    {
        let label = format!(
            "{} #{} · Lv {} · ⚡{}",
            embeds::truncate(&p.name, 40),
            p.id,
            p.level,
            p.stamina
        );
        out = out.add_string_choice(label, p.id.to_string());
    }
    out
}

/// Suggests the creatures the player owns (to adopt).
async fn autocomplete_creature<'a>(
    ctx: Context<'a>,
    partial: &'a str,
) -> serenity::CreateAutocompleteResponse {
    let inv = inventory::list(ctx.data().storage(), ctx.author().id.core())
        .await
        .unwrap_or_default();
    let want = partial.trim().to_lowercase();
    let mut out = serenity::CreateAutocompleteResponse::new();
    for s in inv
        .stacks
        .iter()
        .filter(|s| s.item_type == inventory::CREATURE)
        .take(25)
    {
        if let Some(c) = tables().creature(&s.item_key) {
            if c.id.contains(&want) || c.name.to_lowercase().contains(&want) {
                out = out.add_string_choice(
                    format!("{} {} ×{}", c.emoji, c.name, s.quantity),
                    c.id.clone(),
                );
            }
        }
    }
    out
}
