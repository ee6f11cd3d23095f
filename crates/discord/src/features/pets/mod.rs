//! `pets`: the creatures players keep (issue 10, spec feature 10).
//!
//! * [`commands`]: `pets` (`p`, `mypets`), `pet info|adopt|rename|train|feed|evolve|prestige|
//!   release|team`, `train` (`pt`); an **Adopt** button under every hunt that caught a creature
//!   ([`adopt_button`], handled by [`on_component`]).
//! * [`consumables`]: `use <item>`: the shop's consumables (hunt effects for the next hunts) and
//!   pet food.
//!
//! The rules are `assets/tables/pets.yaml` (`chronix_core::pets`, loaded with the game tables by
//! `kernel::tables`); every change is one transaction of `chronix_storage::pets`. Switched by
//! `ENABLE_GAMEPLAY` (shared with `hunt`, whose start-up hook loads the tables). See
//! `docs/pets.md`.

pub mod commands;
pub mod consumables;

use chronix_core::pets::{NameProblem, PetError};
use chronix_core::tables::{Creature, Rarity};
use chronix_storage::StorageError;
use chronix_storage::pets::{Pet, PetRefusal};

use crate::kernel::ids::ToCore;
use crate::prelude::*;
use crate::tables::{pet_rules, tables};

/// `custom_id` prefix of the pets feature's buttons (`chx:pet:adopt:<owner>:<creature>`).
pub const PREFIX: &str = "chx:pet:";

/// The pets feature.
pub fn feature() -> Feature {
    Feature::new("pets", commands::commands)
        .switch(crate::features::hunt::SWITCH)
        .component(PREFIX, on_component)
}

/// The pets feature's typed refusals (a ❌ embed; nothing changed).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PetsRefusal {
    /// No pet of the player matches what they typed.
    UnknownPet {
        /// What they typed.
        text: String,
    },
    /// The player has no pet at all.
    NoPets,
    /// Not a creature id or name.
    UnknownCreature {
        /// What they typed.
        text: String,
    },
    /// Not pet food (or no such item).
    NotFood {
        /// What they typed.
        text: String,
    },
    /// No food of any kind in the inventory.
    NoFoodAtAll,
    /// An item `use` cannot use.
    NotUsable {
        /// Item name.
        name: String,
    },
    /// The Adopt button of someone else's hunt.
    NotYourCatch,
    /// Storage refused.
    Storage(chronix_storage::Refusal),
}

impl std::fmt::Display for PetsRefusal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&crate::errors::Refusal::text(self, Locale::EN))
    }
}

fn quoted(text: &str) -> String {
    embeds::truncate(text.trim(), 40).replace('`', "'")
}

/// A pet's label: `emoji **Name** #id`.
pub fn pet_label(p: &Pet) -> String {
    let emoji = tables()
        .creature(&p.pet_type)
        .map_or("🐾", |c| c.emoji.as_str());
    format!("{emoji} **{}** `#{}`", p.name, p.id)
}

/// The refusal text of a pet rule.
pub fn rule_text(l: Locale, e: &PetError) -> String {
    match e {
        PetError::Tired { have, need } => tr!(
            l,
            "pets-tired",
            have = have.to_string(),
            need = need.to_string()
        ),
        PetError::Resting { until } => tr!(
            l,
            "pets-resting",
            when = format!("<t:{}:R>", until.timestamp())
        ),
        PetError::AtLevelCap { cap } => tr!(l, "pets-level-cap", cap = cap.to_string()),
        PetError::StaminaFull => tr!(l, "pets-stamina-full"),
        PetError::LevelTooLow { need } => tr!(l, "pets-level-too-low", need = need.to_string()),
        PetError::FinalStage => tr!(l, "pets-final-stage"),
        PetError::NotReadyForPrestige { stage, level } => tr!(
            l,
            "pets-prestige-not-ready",
            stage = pet_rules().stage(*stage).name.as_str(),
            level = level.to_string()
        ),
        PetError::MaxPrestige(n) => tr!(l, "pets-prestige-max", max = n.to_string()),
        PetError::BadName(p) => match p {
            NameProblem::Empty => tr!(l, "pets-name-empty"),
            NameProblem::TooLong => tr!(
                l,
                "pets-name-too-long",
                max = chronix_core::pets::MAX_NAME_CHARS.to_string()
            ),
            NameProblem::Forbidden => tr!(l, "pets-name-forbidden"),
        },
        PetError::NotFood(name) => tr!(l, "pets-not-food", item = quoted(name)),
    }
}

impl crate::errors::Refusal for PetsRefusal {
    fn text(&self, l: Locale) -> String {
        match self {
            PetsRefusal::UnknownPet { text } => tr!(l, "pets-unknown", pet = quoted(text)),
            PetsRefusal::NoPets => tr!(l, "pets-none-yet"),
            PetsRefusal::UnknownCreature { text } => {
                tr!(l, "pets-unknown-creature", creature = quoted(text))
            }
            PetsRefusal::NotFood { text } => tr!(l, "pets-not-food", item = quoted(text)),
            PetsRefusal::NoFoodAtAll => tr!(l, "pets-no-food-at-all"),
            PetsRefusal::NotUsable { name } => tr!(l, "pets-use-not-usable", item = quoted(name)),
            PetsRefusal::NotYourCatch => tr!(l, "pets-adopt-not-yours"),
            PetsRefusal::Storage(chronix_storage::Refusal::Pet(p)) => match p {
                PetRefusal::Unknown(id) => tr!(l, "pets-unknown", pet = format!("#{id}")),
                PetRefusal::NotYours(id) => tr!(l, "pets-not-yours", id = id.to_string()),
                PetRefusal::TeamFull { size } => {
                    tr!(l, "pets-team-full", size = size.to_string())
                }
                PetRefusal::TooManyPets { max } => {
                    tr!(l, "pets-too-many", max = max.to_string())
                }
                PetRefusal::NoFood { item } => tr!(
                    l,
                    "pets-no-food",
                    item = tables()
                        .item(item)
                        .map_or_else(|| item.clone(), |i| format!("{} {}", i.emoji, i.name))
                ),
                PetRefusal::NoCreature { creature } => tr!(
                    l,
                    "pets-no-creature",
                    creature = tables()
                        .creature(creature)
                        .map_or_else(|| creature.clone(), |c| format!("{} {}", c.emoji, c.name))
                ),
                PetRefusal::Rule(e) => rule_text(l, e),
            },
            PetsRefusal::Storage(r) => crate::features::economy::refusal_text(l, r),
        }
    }
}

/// A storage error as the command error: a refusal as a [`PetsRefusal`], anything else as an
/// internal error.
pub fn storage_error(l: Locale, e: StorageError) -> Error {
    match e {
        StorageError::Refused(r) => crate::errors::refuse(l, PetsRefusal::Storage(r)),
        e => anyhow::Error::new(e),
    }
}

/// Finds a pet among `pets` by what the player typed: `12`, `#12` or a name (case-insensitive,
/// exact first, then a prefix).
pub fn find_pet<'p>(pets: &'p [Pet], text: &str) -> Option<&'p Pet> {
    let t = text.trim();
    if let Ok(id) = t.trim_start_matches('#').parse::<i64>() {
        return pets.iter().find(|p| p.id == id);
    }
    let want = t.to_lowercase();
    pets.iter()
        .find(|p| p.name.to_lowercase() == want)
        .or_else(|| {
            pets.iter()
                .find(|p| p.name.to_lowercase().starts_with(&want))
        })
}

/// The id of the pet the player means: one of theirs by id or name; an id of someone else's pet
/// is passed through (storage refuses it as "not yours").
pub fn pet_id(l: Locale, pets: &[Pet], text: &str) -> Result<i64, Error> {
    if let Some(p) = find_pet(pets, text) {
        return Ok(p.id);
    }
    match text.trim().trim_start_matches('#').parse::<i64>() {
        Ok(id) => Ok(id),
        Err(_) if pets.is_empty() => Err(crate::errors::refuse(l, PetsRefusal::NoPets)),
        Err(_) => Err(crate::errors::refuse(
            l,
            PetsRefusal::UnknownPet {
                text: text.to_string(),
            },
        )),
    }
}

/// Finds a creature by id or name.
pub fn find_creature(text: &str) -> Option<&'static Creature> {
    let want = chronix_core::economy::normalise_name(text);
    tables()
        .creatures()
        .iter()
        .find(|c| c.id == want || chronix_core::economy::normalise_name(&c.name) == want)
}

/// The Adopt button under a hunt that caught `creature` (only `owner` may press it).
pub fn adopt_button(l: Locale, owner: UserIdRaw, creature: &Creature) -> serenity::CreateActionRow {
    serenity::CreateActionRow::Buttons(vec![
        serenity::CreateButton::new(format!("{PREFIX}adopt:{owner}:{}", creature.id))
            .label(tr!(l, "pets-adopt-button", name = creature.name.as_str()))
            .emoji('🐾')
            .style(serenity::ButtonStyle::Primary),
    ])
}

/// A raw Discord user id in a `custom_id`.
pub type UserIdRaw = u64;

/// The pets feature's buttons: Adopt (under a hunt).
pub fn on_component<'a>(
    ctx: &'a serenity::Context,
    interaction: &'a serenity::ComponentInteraction,
    data: &'a Data,
) -> poise::BoxFuture<'a, Result<(), Error>> {
    Box::pin(async move {
        let l = crate::kernel::i18n::locale_of_interaction(data, interaction).await;
        let rest = interaction
            .data
            .custom_id
            .strip_prefix(PREFIX)
            .unwrap_or_default();
        let mut parts = rest.splitn(3, ':');
        let (Some("adopt"), Some(owner), Some(creature)) =
            (parts.next(), parts.next(), parts.next())
        else {
            return Err(UserError::msg(tr!(l, "button-no-longer-valid")).into());
        };
        if owner.parse::<u64>().ok() != Some(interaction.user.id.get()) {
            return Err(crate::errors::refuse(l, PetsRefusal::NotYourCatch));
        }
        let Some(c) = tables().creature(creature) else {
            return Err(UserError::msg(tr!(l, "button-no-longer-valid")).into());
        };
        let user = interaction.user.id.core();
        let pet = chronix_storage::pets::adopt(
            data.storage(),
            user,
            c,
            None,
            pet_rules(),
            chrono::Utc::now(),
        )
        .await
        .map_err(|e| storage_error(l, e))?;
        let response = serenity::CreateInteractionResponse::Message(
            serenity::CreateInteractionResponseMessage::new()
                .embed(commands::adopted_embed(l, &pet).into())
                .allowed_mentions(embeds::no_mentions()),
        );
        interaction.create_response(&ctx.http, response).await?;
        // The button has done its job: take it off the hunt message.
        let _ = interaction
            .channel_id
            .edit_message(
                &ctx.http,
                interaction.message.id,
                serenity::EditMessage::new().components(Vec::new()),
            )
            .await;
        Ok(())
    })
}

/// How many more pets `user` may own (`max_pets` minus what they have): crates hatch pets only
/// while there is room.
pub async fn pet_room(data: &Data, user: chronix_core::ids::UserId) -> Result<u32, Error> {
    let have = chronix_storage::pets::list(data.storage(), user)
        .await?
        .len();
    Ok(pet_rules()
        .max_pets
        .saturating_sub(u32::try_from(have).unwrap_or(u32::MAX)))
}

/// The tier of a stored pet (Common when the row holds something unknown).
pub fn rarity_of(p: &Pet) -> Rarity {
    Rarity::from_name(&p.rarity).unwrap_or(Rarity::Common)
}
