//! The real table files validate; every validation rule is caught by a dedicated broken file.

mod common;

use chronix_core::tables::{ProblemKind, Rarity, TableProblem, TableSources, Tables};

/// Minimal valid tables, small enough to break one thing at a time.
const HUNT: &str = r#"
rarities:
  - { rarity: common,    emoji: "⚪", weight: 60, essence: 1, sell_value: 5 }
  - { rarity: rare,      emoji: "🔵", weight: 25, essence: 2, sell_value: 20 }
  - { rarity: epic,      emoji: "🟣", weight: 10, essence: 5, sell_value: 80 }
  - { rarity: legendary, emoji: "🟡", weight: 3,  essence: 15, sell_value: 400 }
  - { rarity: mythic,    emoji: "🔴", weight: 1,  essence: 40, sell_value: 2000 }
  - { rarity: celestial, emoji: "🌌", weight: 1,  essence: 120, sell_value: 10000 }
hunt:
  xp: { min: 5, max: 10 }
  chrons: { min: 10, max: 20 }
  creature_chance: 0.9
  gem_chance: 0.1
  gem_rarity_weights: { common: 9, rare: 1 }
  crate_chance: 0.05
  crate_weights: { basic: 1 }
"#;

const CREATURES: &str = r#"
creatures:
  - { id: c1, name: C1, emoji: "🐇", rarity: common,    element: nature, stats: { hp: 1, attack: 1, defense: 1, speed: 1 } }
  - { id: r1, name: R1, emoji: "🦊", rarity: rare,      element: ice,    stats: { hp: 1, attack: 1, defense: 1, speed: 1 } }
  - { id: e1, name: E1, emoji: "🐆", rarity: epic,      element: shadow, stats: { hp: 1, attack: 1, defense: 1, speed: 1 } }
  - { id: l1, name: L1, emoji: "🐉", rarity: legendary, element: fire,   stats: { hp: 1, attack: 1, defense: 1, speed: 1 } }
  - { id: m1, name: M1, emoji: "🐙", rarity: mythic,    element: arcane, stats: { hp: 1, attack: 1, defense: 1, speed: 1 } }
  - { id: s1, name: S1, emoji: "🌠", rarity: celestial, element: light,  stats: { hp: 1, attack: 1, defense: 1, speed: 1 } }
"#;

const GEMS: &str = r#"
gems:
  - id: ruby
    name: Ruby
    emoji: "♦️"
    stat: attack
    power: { common: 1, rare: 2, epic: 3, legendary: 4, mythic: 5, celestial: 6 }
"#;

const CRATES: &str = r#"
crates:
  - id: basic
    name: Basic Crate
    emoji: "📦"
    rolls: 2
    gem_chance: 0.5
    creature_weights: { common: 9, rare: 1 }
    gem_weights: { common: 1 }
    chrons: { min: 1, max: 2 }
"#;

const ITEMS: &str = r#"
items:
  - { id: lure, name: Lure, emoji: "🪝", kind: consumable, buy: 10, sell: 5, effect: { luck_pct: 10, hunts: 1 } }
  - { id: basic_crate, name: Basic Crate, emoji: "📦", kind: crate, buy: 100, sell: 25, crate: basic }
  - { id: shard, name: Shard, emoji: "⏳", kind: material, sell: 5 }
"#;

const WEAPONS: &str = r#"
rarities:
  common:    { attack_pct: 100, slots: 1, scrap: 1, cost_pct: 100 }
  rare:      { attack_pct: 120, slots: 1, scrap: 2, cost_pct: 100 }
  epic:      { attack_pct: 140, slots: 2, scrap: 3, cost_pct: 100 }
  legendary: { attack_pct: 160, slots: 2, scrap: 4, cost_pct: 100 }
  mythic:    { attack_pct: 180, slots: 3, scrap: 5, cost_pct: 100 }
  celestial: { attack_pct: 200, slots: 3, scrap: 6, cost_pct: 100 }
enhance:
  material: shard
  chrons: { base: 10, growth_pct: 150 }
  materials: { base: 1, per_level: 1 }
  success_pct: [90, 50]
  attack_pct_per_level: 10
unsocket_fee: { common: 1, rare: 1, epic: 1, legendary: 1, mythic: 1, celestial: 1 }
weapons:
  - { id: w1, name: W1, emoji: "🗡️", element: fire, attack: 5, crit: 10 }
"#;

struct Files {
    hunt: String,
    creatures: String,
    gems: String,
    crates: String,
    items: String,
    weapons: String,
}

impl Files {
    fn ok() -> Files {
        Files {
            hunt: HUNT.into(),
            creatures: CREATURES.into(),
            gems: GEMS.into(),
            crates: CRATES.into(),
            items: ITEMS.into(),
            weapons: WEAPONS.into(),
        }
    }

    fn sources(&self) -> TableSources<'_> {
        TableSources {
            hunt: &self.hunt,
            creatures: &self.creatures,
            gems: &self.gems,
            crates: &self.crates,
            items: &self.items,
            weapons: &self.weapons,
        }
    }

    fn problems(&self) -> Vec<TableProblem> {
        self.sources().validate()
    }
}

fn replace(text: &str, from: &str, to: &str) -> String {
    assert!(text.contains(from), "test bug: {from:?} not in the fixture");
    text.replacen(from, to, 1)
}

/// Asserts that exactly the expected problem (kind, file, key) is reported, and that building
/// the tables fails with it.
#[track_caller]
fn assert_problem(files: &Files, kind: ProblemKind, file: &str, key: &str) {
    let problems = files.problems();
    assert!(
        problems
            .iter()
            .any(|p| p.kind == kind && p.file == file && p.key == key),
        "expected {kind:?} at {file}: {key}, got {problems:#?}"
    );
    let err = Tables::from_yaml_strs(&files.sources()).expect_err("must not build");
    assert_eq!(err.0, problems);
    let rendered = err.to_string();
    assert!(
        rendered.contains(file) && rendered.contains(key),
        "{rendered}"
    );
}

#[test]
fn real_table_files_validate() {
    let texts = common::real_sources();
    let problems = common::sources(&texts).validate();
    assert!(problems.is_empty(), "{problems:#?}");
    let t = common::real_tables();
    // Every tier has creatures, emojis as documented.
    for r in Rarity::ALL {
        assert!(t.creatures_of(r).count() > 0, "{r} has no creature");
        assert_eq!(t.rarity_emoji(r), r.default_emoji());
    }
    assert_eq!(t.rarities().iter().map(|r| r.weight).sum::<u64>(), 10_000);
    // Shop items never let anyone mint Chrons.
    for item in t.items() {
        if let (Some(b), Some(s)) = (item.buy, item.sell) {
            assert!(s <= b, "{}", item.id);
        }
    }
}

#[test]
fn the_fixture_is_valid() {
    let files = Files::ok();
    assert_eq!(files.problems(), vec![]);
    let t = Tables::from_yaml_strs(&files.sources()).unwrap();
    assert_eq!(t.creatures().len(), 6);
    assert_eq!(t.crate_def("basic").unwrap().rolls, 2);
}

#[test]
fn unknown_rarity_in_creatures() {
    let mut f = Files::ok();
    f.creatures = replace(&f.creatures, "rarity: epic", "rarity: epik");
    assert_problem(
        &f,
        ProblemKind::UnknownRarity,
        "creatures.yaml",
        "creatures[2](e1).rarity",
    );
    let msg = f
        .problems()
        .into_iter()
        .find(|p| p.kind == ProblemKind::UnknownRarity)
        .unwrap();
    assert!(msg.message.contains("\"epik\"") && msg.message.contains("celestial"));
}

#[test]
fn unknown_rarity_in_weight_map() {
    let mut f = Files::ok();
    f.crates = replace(
        &f.crates,
        "{ common: 9, rare: 1 }",
        "{ common: 9, uncommon: 1 }",
    );
    assert_problem(
        &f,
        ProblemKind::UnknownRarity,
        "crates.yaml",
        "crates[0](basic).creature_weights.uncommon",
    );
}

#[test]
fn unknown_rarity_in_rarity_list() {
    let mut f = Files::ok();
    f.hunt = replace(&f.hunt, "rarity: mythic,", "rarity: mystic,");
    assert_problem(
        &f,
        ProblemKind::UnknownRarity,
        "hunt.yaml",
        "rarities[4](mystic).rarity",
    );
    // ... and the real tier is then reported missing.
    assert!(
        f.problems()
            .iter()
            .any(|p| p.key == "rarities" && p.message.contains("mythic"))
    );
}

#[test]
fn zero_weight() {
    let mut f = Files::ok();
    f.hunt = replace(&f.hunt, "weight: 3,", "weight: 0,");
    assert_problem(
        &f,
        ProblemKind::NonPositiveWeight,
        "hunt.yaml",
        "rarities[3](legendary).weight",
    );
}

#[test]
fn negative_weight() {
    let mut f = Files::ok();
    f.hunt = replace(
        &f.hunt,
        "crate_weights: { basic: 1 }",
        "crate_weights: { basic: -4 }",
    );
    assert_problem(
        &f,
        ProblemKind::NonPositiveWeight,
        "hunt.yaml",
        "hunt.crate_weights.basic",
    );
    let mut f = Files::ok();
    f.creatures = replace(
        &f.creatures,
        "id: c1, name: C1,",
        "id: c1, name: C1, weight: -1,",
    );
    assert_problem(
        &f,
        ProblemKind::NonPositiveWeight,
        "creatures.yaml",
        "creatures[0](c1).weight",
    );
}

#[test]
fn empty_pool_tier_without_creatures() {
    let mut f = Files::ok();
    f.creatures = replace(&f.creatures, "rarity: celestial", "rarity: mythic");
    assert_problem(
        &f,
        ProblemKind::EmptyPool,
        "hunt.yaml",
        "rarities[5](celestial).weight",
    );
}

#[test]
fn empty_pool_crate_tier_without_creatures() {
    let mut f = Files::ok();
    f.crates = replace(
        &f.crates,
        "{ common: 9, rare: 1 }",
        "{ common: 9, rare: 1, celestial: 1 }",
    );
    f.creatures = replace(&f.creatures, "rarity: celestial", "rarity: mythic");
    assert_problem(
        &f,
        ProblemKind::EmptyPool,
        "crates.yaml",
        "crates[0](basic).creature_weights.celestial",
    );
}

#[test]
fn empty_pool_lists() {
    let mut f = Files::ok();
    f.creatures = "creatures: []\n".into();
    assert_problem(&f, ProblemKind::EmptyPool, "creatures.yaml", "creatures");
    let mut f = Files::ok();
    f.hunt = replace(
        &f.hunt,
        "gem_rarity_weights: { common: 9, rare: 1 }",
        "gem_rarity_weights: {}",
    );
    assert_problem(
        &f,
        ProblemKind::EmptyPool,
        "hunt.yaml",
        "hunt.gem_rarity_weights",
    );
    let mut f = Files::ok();
    f.crates = replace(&f.crates, "gem_weights: { common: 1 }", "gem_weights: {}");
    assert_problem(
        &f,
        ProblemKind::EmptyPool,
        "crates.yaml",
        "crates[0](basic).gem_weights",
    );
}

#[test]
fn duplicate_ids() {
    let mut f = Files::ok();
    f.creatures = replace(&f.creatures, "id: r1,", "id: c1,");
    assert_problem(
        &f,
        ProblemKind::DuplicateId,
        "creatures.yaml",
        "creatures[1](c1).id",
    );
    let mut f = Files::ok();
    f.items = replace(&f.items, "id: basic_crate,", "id: lure,");
    assert_problem(
        &f,
        ProblemKind::DuplicateId,
        "items.yaml",
        "items[1](lure).id",
    );
}

#[test]
fn duplicate_rarity_tier() {
    let mut f = Files::ok();
    f.hunt = replace(&f.hunt, "rarity: rare,", "rarity: common,");
    assert_problem(
        &f,
        ProblemKind::DuplicateId,
        "hunt.yaml",
        "rarities[1](common).rarity",
    );
}

#[test]
fn min_above_max() {
    let mut f = Files::ok();
    f.hunt = replace(
        &f.hunt,
        "chrons: { min: 10, max: 20 }",
        "chrons: { min: 30, max: 20 }",
    );
    assert_problem(&f, ProblemKind::MinAboveMax, "hunt.yaml", "hunt.chrons");
    let mut f = Files::ok();
    f.crates = replace(
        &f.crates,
        "chrons: { min: 1, max: 2 }",
        "chrons: { min: 3, max: 2 }",
    );
    assert_problem(
        &f,
        ProblemKind::MinAboveMax,
        "crates.yaml",
        "crates[0](basic).chrons",
    );
}

#[test]
fn probability_outside_unit_interval() {
    let mut f = Files::ok();
    f.hunt = replace(&f.hunt, "gem_chance: 0.1", "gem_chance: 1.5");
    assert_problem(
        &f,
        ProblemKind::ProbabilityOutOfRange,
        "hunt.yaml",
        "hunt.gem_chance",
    );
    let mut f = Files::ok();
    f.hunt = replace(&f.hunt, "crate_chance: 0.05", "crate_chance: -0.01");
    assert_problem(
        &f,
        ProblemKind::ProbabilityOutOfRange,
        "hunt.yaml",
        "hunt.crate_chance",
    );
    let mut f = Files::ok();
    f.crates = replace(&f.crates, "gem_chance: 0.5", "gem_chance: .nan");
    assert_problem(
        &f,
        ProblemKind::ProbabilityOutOfRange,
        "crates.yaml",
        "crates[0](basic).gem_chance",
    );
}

#[test]
fn unknown_crate_reference() {
    let mut f = Files::ok();
    f.hunt = replace(
        &f.hunt,
        "crate_weights: { basic: 1 }",
        "crate_weights: { basic: 1, golden: 1 }",
    );
    assert_problem(
        &f,
        ProblemKind::UnknownReference,
        "hunt.yaml",
        "hunt.crate_weights.golden",
    );
    let mut f = Files::ok();
    f.items = replace(&f.items, "crate: basic", "crate: golden");
    assert_problem(
        &f,
        ProblemKind::UnknownReference,
        "items.yaml",
        "items[1](basic_crate).crate",
    );
}

#[test]
fn sell_price_above_buy_price() {
    let mut f = Files::ok();
    f.items = replace(&f.items, "buy: 10, sell: 5", "buy: 10, sell: 50");
    assert_problem(
        &f,
        ProblemKind::InvalidValue,
        "items.yaml",
        "items[0](lure).sell",
    );
}

#[test]
fn gem_power_must_cover_every_tier() {
    let mut f = Files::ok();
    f.gems = replace(&f.gems, ", celestial: 6", "");
    assert_problem(
        &f,
        ProblemKind::InvalidValue,
        "gems.yaml",
        "gems[0](ruby).power",
    );
}

#[test]
fn unparsable_yaml_and_unknown_keys() {
    let mut f = Files::ok();
    f.gems = "gems: [ { id: ruby".into();
    let problems = f.problems();
    assert_eq!(problems.len(), 1, "{problems:#?}");
    assert_eq!(
        (problems[0].kind, problems[0].file),
        (ProblemKind::Parse, "gems.yaml")
    );

    let mut f = Files::ok();
    f.hunt = replace(&f.hunt, "creature_chance: 0.9", "creature_chanse: 0.9");
    let problems = f.problems();
    assert!(
        problems.iter().any(|p| p.kind == ProblemKind::Parse
            && p.file == "hunt.yaml"
            && p.message.contains("creature_chanse")),
        "{problems:#?}"
    );
}

#[test]
fn every_problem_is_reported_not_only_the_first() {
    let mut f = Files::ok();
    f.hunt = replace(&f.hunt, "gem_chance: 0.1", "gem_chance: 2.0");
    f.hunt = replace(
        &f.hunt,
        "xp: { min: 5, max: 10 }",
        "xp: { min: 50, max: 10 }",
    );
    f.creatures = replace(&f.creatures, "id: r1,", "id: c1,");
    f.creatures = replace(&f.creatures, "element: fire", "element: lava");
    f.items = replace(&f.items, "buy: 100,", "buy: 0,");
    let kinds: Vec<_> = f.problems().iter().map(|p| (p.file, p.kind)).collect();
    for expected in [
        ("hunt.yaml", ProblemKind::ProbabilityOutOfRange),
        ("hunt.yaml", ProblemKind::MinAboveMax),
        ("creatures.yaml", ProblemKind::DuplicateId),
        ("creatures.yaml", ProblemKind::InvalidValue),
        ("items.yaml", ProblemKind::InvalidValue),
    ] {
        assert!(
            kinds.contains(&expected),
            "missing {expected:?} in {kinds:?}"
        );
    }
}

#[test]
fn duplicate_keys_in_weight_maps() {
    let mut f = Files::ok();
    f.crates = replace(
        &f.crates,
        "{ common: 9, rare: 1 }",
        "{ common: 9, common: 1 }",
    );
    assert_problem(
        &f,
        ProblemKind::DuplicateId,
        "crates.yaml",
        "crates[0](basic).creature_weights.common",
    );
    let mut f = Files::ok();
    f.hunt = replace(
        &f.hunt,
        "crate_weights: { basic: 1 }",
        "crate_weights: { basic: 1, basic: 2 }",
    );
    assert_problem(
        &f,
        ProblemKind::DuplicateId,
        "hunt.yaml",
        "hunt.crate_weights.basic",
    );
    let mut f = Files::ok();
    f.gems = replace(&f.gems, "rare: 2,", "rare: 2, rare: 3,");
    assert_problem(
        &f,
        ProblemKind::DuplicateId,
        "gems.yaml",
        "gems[0](ruby).power.rare",
    );
}

#[test]
fn absurd_weights_are_refused() {
    let mut f = Files::ok();
    f.hunt = replace(&f.hunt, "weight: 60,", "weight: 9223372036854775807,");
    assert_problem(
        &f,
        ProblemKind::InvalidValue,
        "hunt.yaml",
        "rarities[0](common).weight",
    );
}

#[test]
fn weapon_tables_are_validated() {
    // The enhancement material must be a material of the shop.
    let mut f = Files::ok();
    f.weapons = replace(&f.weapons, "material: shard", "material: basic_crate");
    assert_problem(
        &f,
        ProblemKind::InvalidValue,
        "weapons.yaml",
        "enhance.material",
    );
    let mut f = Files::ok();
    f.weapons = replace(&f.weapons, "material: shard", "material: dust");
    assert_problem(
        &f,
        ProblemKind::UnknownReference,
        "weapons.yaml",
        "enhance.material",
    );
    // Every tier is required; elements are known; attack is positive.
    let mut f = Files::ok();
    f.weapons = replace(
        &f.weapons,
        "  celestial: { attack_pct: 200, slots: 3, scrap: 6, cost_pct: 100 }\n",
        "",
    );
    assert_problem(
        &f,
        ProblemKind::InvalidValue,
        "weapons.yaml",
        "rarities.celestial",
    );
    let mut f = Files::ok();
    f.weapons = replace(
        &f.weapons,
        "element: fire, attack: 5",
        "element: mud, attack: 0",
    );
    assert_problem(
        &f,
        ProblemKind::InvalidValue,
        "weapons.yaml",
        "weapons[0](w1).element",
    );
    assert_problem(
        &f,
        ProblemKind::InvalidValue,
        "weapons.yaml",
        "weapons[0](w1).attack",
    );
    // A crate with weapons needs their weights.
    let mut f = Files::ok();
    f.crates = replace(
        &f.crates,
        "chrons: { min: 1, max: 2 }",
        "chrons: { min: 1, max: 2 }\n    weapon_chance: 0.1",
    );
    assert_problem(
        &f,
        ProblemKind::EmptyPool,
        "crates.yaml",
        "crates[0](basic).weapon_weights",
    );
}

#[test]
fn exclusive_weapons_come_only_from_event_crates() {
    let exclusive = "\n  - { id: x1, name: X1, emoji: \"❄️\", element: ice, attack: 9, crit: 10, exclusive: true }";
    // An exclusive weapon no crate lists never drops: refused.
    let mut f = Files::ok();
    f.weapons.push_str(exclusive);
    assert_problem(
        &f,
        ProblemKind::EmptyPool,
        "weapons.yaml",
        "weapons[1](x1).exclusive",
    );
    // Listed by a crate without an event window: refused.
    let pool = "chrons: { min: 1, max: 2 }\n    weapon_chance: 0.1\n    weapon_weights: { rare: 1 }\n    exclusive_weapons: [x1]";
    f.crates = replace(&f.crates, "chrons: { min: 1, max: 2 }", pool);
    assert_problem(
        &f,
        ProblemKind::InvalidValue,
        "crates.yaml",
        "crates[0](basic).exclusive_weapons",
    );
    // With the window: valid, and only that crate drops it.
    let mut ok = Files::ok();
    ok.weapons.push_str(exclusive);
    ok.crates = replace(
        &ok.crates,
        "chrons: { min: 1, max: 2 }",
        &format!(
            "{pool}\n    event: {{ start: \"2026-12-01T00:00:00Z\", end: \"2027-01-01T00:00:00Z\" }}"
        ),
    );
    assert_eq!(ok.problems(), vec![]);
    // A non-exclusive weapon in an exclusive pool, or an unknown one: refused.
    let mut f = Files::ok();
    f.weapons.push_str(exclusive);
    f.crates = ok.crates.replace("[x1]", "[x1, w1, nope]");
    assert_problem(
        &f,
        ProblemKind::InvalidValue,
        "crates.yaml",
        "crates[0](basic).exclusive_weapons[1]",
    );
    assert_problem(
        &f,
        ProblemKind::UnknownReference,
        "crates.yaml",
        "crates[0](basic).exclusive_weapons[2]",
    );
}

#[test]
fn exclusive_creatures_come_only_from_event_crates() {
    let exclusive = "  - { id: x1, name: X1, emoji: \"❄️\", rarity: epic, element: ice, exclusive: true, stats: { hp: 1, attack: 1, defense: 1, speed: 1 } }\n";
    // An exclusive creature no crate lists: nobody can get it, refused.
    let mut f = Files::ok();
    f.creatures.push_str(exclusive);
    assert_problem(
        &f,
        ProblemKind::EmptyPool,
        "creatures.yaml",
        "creatures[6](x1).exclusive",
    );
    // Listed by a crate without an event window: refused.
    let pool = "chrons: { min: 1, max: 2 }\n    exclusive_creatures: [x1]\n    exclusive_creature_chance: 0.5";
    f.crates = replace(&f.crates, "chrons: { min: 1, max: 2 }", pool);
    assert_problem(
        &f,
        ProblemKind::InvalidValue,
        "crates.yaml",
        "crates[0](basic).exclusive_creatures",
    );
    // With the window: valid; the crate has the pool and hunts never draw the creature.
    let mut ok = Files::ok();
    ok.creatures.push_str(exclusive);
    ok.crates = replace(
        &ok.crates,
        "chrons: { min: 1, max: 2 }",
        &format!(
            "{pool}\n    event: {{ start: \"2026-12-01T00:00:00Z\", end: \"2027-01-01T00:00:00Z\" }}"
        ),
    );
    assert_eq!(ok.problems(), vec![]);
    // A pool without a chance, a non-exclusive creature in it, an unknown one: refused.
    let mut f = Files::ok();
    f.creatures.push_str(exclusive);
    f.crates = ok.crates.replace("[x1]", "[x1, e1, nope]").replace(
        "exclusive_creature_chance: 0.5",
        "exclusive_creature_chance: 0",
    );
    assert_problem(
        &f,
        ProblemKind::InvalidValue,
        "crates.yaml",
        "crates[0](basic).exclusive_creature_chance",
    );
    assert_problem(
        &f,
        ProblemKind::InvalidValue,
        "crates.yaml",
        "crates[0](basic).exclusive_creatures[1]",
    );
    assert_problem(
        &f,
        ProblemKind::UnknownReference,
        "crates.yaml",
        "crates[0](basic).exclusive_creatures[2]",
    );
}
