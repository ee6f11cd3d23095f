//! Pets from crates: which creatures rolled from a crate come out as pets.

use rand::Rng;

use super::*;

/// Whether a creature rolled from crate `crate_id` comes out as a pet (one draw).
pub fn hatches_from_crate(rules: &PetRules, crate_id: &str, rng: &mut impl Rng) -> bool {
    match rules.crate_pet_chance.get(crate_id) {
        Some(p) if *p > 0.0 => rng.random_bool(p.min(1.0)),
        _ => false,
    }
}

/// Turns creatures rolled from crate `crate_id` into pets, each with the crate kind's
/// `crate_pet_chance`, at most `room` of them (the pets the player may still own; decreased).
/// Returns how many hatched.
pub fn hatch(
    rules: &PetRules,
    crate_id: &str,
    loot: &mut [crate::items::Loot],
    room: &mut u32,
    rng: &mut impl Rng,
) -> u32 {
    let mut n = 0;
    for l in loot.iter_mut() {
        if *room == 0 {
            break;
        }
        if let crate::items::Loot::Creature(c) = l {
            if hatches_from_crate(rules, crate_id, rng) {
                *l = crate::items::Loot::Pet(c.clone());
                *room -= 1;
                n += 1;
            }
        }
    }
    n
}
