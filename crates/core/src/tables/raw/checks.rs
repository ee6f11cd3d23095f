//! Validation of each parsed table file (creatures, gems, crates, hunt, items), reporting every
//! problem with its file and key.

use super::*;

pub(super) fn check_creatures(c: &mut Checker, f: CreaturesFile) -> Vec<Creature> {
    if f.creatures.is_empty() {
        c.push(
            CREATURES,
            "creatures",
            ProblemKind::EmptyPool,
            "no creatures defined".into(),
        );
    }
    c.ids(
        CREATURES,
        "creatures",
        f.creatures.iter().map(|x| x.id.as_str()),
    );
    let mut out = Vec::new();
    for (i, raw) in f.creatures.into_iter().enumerate() {
        let key = entry_key("creatures", i, &raw.id);
        c.text(CREATURES, format!("{key}.name"), "name", &raw.name);
        c.text(CREATURES, format!("{key}.emoji"), "emoji", &raw.emoji);
        let rarity = c.rarity(CREATURES, format!("{key}.rarity"), &raw.rarity);
        let weight = c.weight(CREATURES, format!("{key}.weight"), raw.weight);
        if !ELEMENTS.contains(&raw.element.as_str()) {
            c.push(
                CREATURES,
                format!("{key}.element"),
                ProblemKind::InvalidValue,
                format!(
                    "unknown element {:?} (expected one of: {})",
                    raw.element,
                    ELEMENTS.join(", ")
                ),
            );
        }
        let mut stat = |name: &str, v: i64| -> u32 {
            if v <= 0 || v > i64::from(u32::MAX) {
                c.push(
                    CREATURES,
                    format!("{key}.stats.{name}"),
                    ProblemKind::InvalidValue,
                    format!("stat {name} must be a positive number, got {v}"),
                );
                0
            } else {
                v as u32
            }
        };
        let stats = Stats {
            hp: stat("hp", raw.stats.hp),
            attack: stat("attack", raw.stats.attack),
            defense: stat("defense", raw.stats.defense),
            speed: stat("speed", raw.stats.speed),
        };
        if let Some(rarity) = rarity {
            out.push(Creature {
                id: raw.id,
                name: raw.name,
                emoji: raw.emoji,
                rarity,
                element: raw.element,
                weight,
                stats,
                exclusive: raw.exclusive,
            });
        }
    }
    out
}

pub(super) fn check_gems(c: &mut Checker, f: GemsFile) -> Vec<GemType> {
    if f.gems.is_empty() {
        c.push(
            GEMS,
            "gems",
            ProblemKind::EmptyPool,
            "no gem types defined".into(),
        );
    }
    c.ids(GEMS, "gems", f.gems.iter().map(|x| x.id.as_str()));
    let mut out = Vec::new();
    for (i, raw) in f.gems.into_iter().enumerate() {
        let key = entry_key("gems", i, &raw.id);
        c.text(GEMS, format!("{key}.name"), "name", &raw.name);
        c.text(GEMS, format!("{key}.emoji"), "emoji", &raw.emoji);
        let weight = c.weight(GEMS, format!("{key}.weight"), raw.weight);
        let stat = match raw.stat.as_str() {
            "attack" => GemStat::Attack,
            "defense" => GemStat::Defense,
            "hp" => GemStat::Hp,
            "speed" => GemStat::Speed,
            "crit" => GemStat::Crit,
            other => {
                c.push(
                    GEMS,
                    format!("{key}.stat"),
                    ProblemKind::InvalidValue,
                    format!("unknown stat {other:?} (expected attack, defense, hp, speed or crit)"),
                );
                GemStat::Attack
            }
        };
        let mut power = [0u32; 6];
        let mut seen = Vec::new();
        for (name, v) in &raw.power.0 {
            let v = *v;
            let k = format!("{key}.power.{name}");
            if let Some(r) = c.rarity(GEMS, k.clone(), name) {
                if seen.contains(&r) {
                    c.push(
                        GEMS,
                        k,
                        ProblemKind::DuplicateId,
                        format!("rarity {} listed twice", r.as_str()),
                    );
                    continue;
                }
                seen.push(r);
                if v <= 0 || v > i64::from(u32::MAX) {
                    c.push(
                        GEMS,
                        k,
                        ProblemKind::InvalidValue,
                        format!("power must be positive, got {v}"),
                    );
                } else {
                    power[r.index()] = v as u32;
                }
            }
        }
        for r in Rarity::ALL {
            if !raw.power.keys().any(|k| Rarity::from_name(k) == Some(r)) {
                c.push(
                    GEMS,
                    format!("{key}.power"),
                    ProblemKind::InvalidValue,
                    format!("missing power for rarity {}", r.as_str()),
                );
            }
        }
        out.push(GemType {
            id: raw.id,
            name: raw.name,
            emoji: raw.emoji,
            stat,
            weight,
            power,
        });
    }
    out
}

pub(super) fn check_crates(
    c: &mut Checker,
    f: CratesFile,
    creatures: Option<&[Creature]>,
    gems: Option<&[GemType]>,
    weapons: Option<&crate::weapons::WeaponTable>,
) -> Vec<CrateDef> {
    if f.crates.is_empty() {
        c.push(
            CRATES,
            "crates",
            ProblemKind::EmptyPool,
            "no crates defined".into(),
        );
    }
    c.ids(CRATES, "crates", f.crates.iter().map(|x| x.id.as_str()));
    let mut out = Vec::new();
    for (i, raw) in f.crates.into_iter().enumerate() {
        let key = entry_key("crates", i, &raw.id);
        c.text(CRATES, format!("{key}.name"), "name", &raw.name);
        c.text(CRATES, format!("{key}.emoji"), "emoji", &raw.emoji);
        if !(1..=100).contains(&raw.rolls) {
            c.push(
                CRATES,
                format!("{key}.rolls"),
                ProblemKind::InvalidValue,
                format!("rolls must be between 1 and 100, got {}", raw.rolls),
            );
        }
        let gem_chance = c.probability(CRATES, format!("{key}.gem_chance"), raw.gem_chance);
        let creature_weights = c.rarity_weights(
            CRATES,
            &format!("{key}.creature_weights"),
            &raw.creature_weights,
        );
        let gem_weights = c.rarity_weights(CRATES, &format!("{key}.gem_weights"), &raw.gem_weights);
        if gem_chance < 1.0 && raw.creature_weights.is_empty() {
            c.push(
                CRATES,
                format!("{key}.creature_weights"),
                ProblemKind::EmptyPool,
                "empty pool: gem_chance < 1 so creatures can drop, but no creature rarity is listed"
                    .into(),
            );
        }
        if gem_chance > 0.0 && raw.gem_weights.is_empty() {
            c.push(
                CRATES,
                format!("{key}.gem_weights"),
                ProblemKind::EmptyPool,
                "empty pool: gem_chance > 0 but no gem rarity is listed".into(),
            );
        }
        if let Some(creatures) = creatures {
            for &(r, _) in &creature_weights {
                if !creatures.iter().any(|cr| cr.rarity == r && !cr.exclusive) {
                    c.push(
                        CRATES,
                        format!("{key}.creature_weights.{}", r.as_str()),
                        ProblemKind::EmptyPool,
                        format!(
                            "empty pool: no creature in {CREATURES} has rarity {}",
                            r.as_str()
                        ),
                    );
                }
            }
        }
        if gem_chance > 0.0 && gems.is_some_and(|g| g.is_empty()) {
            c.push(
                CRATES,
                format!("{key}.gem_chance"),
                ProblemKind::EmptyPool,
                format!("empty pool: gems can drop but {GEMS} defines no gem type"),
            );
        }
        let chrons = c.range(
            CRATES,
            format!("{key}.chrons"),
            raw.chrons.unwrap_or(RawRange { min: 0, max: 0 }),
        );
        let pity = raw.pity.as_ref().and_then(|p| {
            let rarity = c.rarity(CRATES, format!("{key}.pity.rarity"), &p.rarity)?;
            if !(1..=1000).contains(&p.after) {
                c.push(
                    CRATES,
                    format!("{key}.pity.after"),
                    ProblemKind::InvalidValue,
                    format!("pity.after must be between 1 and 1000, got {}", p.after),
                );
                return None;
            }
            // The guaranteed roll may be a creature: one of that tier must exist.
            if gem_chance < 1.0
                && creatures
                    .is_some_and(|cs| !cs.iter().any(|cr| cr.rarity == rarity && !cr.exclusive))
            {
                c.push(
                    CRATES,
                    format!("{key}.pity.rarity"),
                    ProblemKind::EmptyPool,
                    format!(
                        "empty pool: no creature in {CREATURES} has rarity {}",
                        rarity.as_str()
                    ),
                );
                return None;
            }
            Some(Pity {
                after: p.after as u32,
                rarity,
            })
        });
        let event = raw.event.as_ref().and_then(|e| {
            let mut when =
                |field: &str, text: &str| match chrono::DateTime::parse_from_rfc3339(text) {
                    Ok(t) => Some(t.with_timezone(&chrono::Utc)),
                    Err(err) => {
                        c.push(
                            CRATES,
                            format!("{key}.event.{field}"),
                            ProblemKind::InvalidValue,
                            format!("not an RFC 3339 time ({err}): {text:?}"),
                        );
                        None
                    }
                };
            let (start, end) = (when("start", &e.start)?, when("end", &e.end)?);
            if start >= end {
                c.push(
                    CRATES,
                    format!("{key}.event"),
                    ProblemKind::InvalidValue,
                    "the event must end after it starts".into(),
                );
                return None;
            }
            Some(EventWindow { start, end })
        });
        let (weapon_chance, weapon_weights) =
            check_crate_weapons(c, &key, &raw, event.is_some(), weapons);
        let exclusive_creature_chance =
            check_crate_creatures(c, &key, &raw, event.is_some(), creatures);
        out.push(CrateDef {
            id: raw.id,
            name: raw.name,
            emoji: raw.emoji,
            rolls: raw.rolls.clamp(1, 100) as u32,
            gem_chance,
            creature_weights,
            gem_weights,
            chrons,
            pity,
            event,
            weapon_chance,
            weapon_weights,
            exclusive_weapons: raw.exclusive_weapons,
            exclusive_creatures: raw.exclusive_creatures,
            exclusive_creature_chance,
        });
    }
    // Every exclusive creature is in some event crate's pool (else nothing could ever give it).
    if let Some(cs) = creatures {
        for (i, cr) in cs.iter().enumerate().filter(|(_, cr)| cr.exclusive) {
            if !out.iter().any(|c| c.exclusive_creatures.contains(&cr.id)) {
                c.push(
                    CREATURES,
                    format!("{}.exclusive", entry_key("creatures", i, &cr.id)),
                    ProblemKind::EmptyPool,
                    format!(
                        "exclusive creature {:?} is in no crate's exclusive_creatures, so nobody can get it",
                        cr.id
                    ),
                );
            }
        }
    }
    // Every exclusive weapon is in some event crate's pool (else nothing could ever drop it).
    if let Some(w) = weapons {
        for (i, t) in w.types.iter().enumerate().filter(|(_, t)| t.exclusive) {
            if !out.iter().any(|c| c.exclusive_weapons.contains(&t.id)) {
                c.push(
                    "weapons.yaml",
                    format!("{}.exclusive", entry_key("weapons", i, &t.id)),
                    ProblemKind::EmptyPool,
                    format!(
                        "exclusive weapon {:?} is in no crate's exclusive_weapons, so it never drops",
                        t.id
                    ),
                );
            }
        }
    }
    out
}

/// A crate's exclusive creatures (only for an event crate, only creatures marked `exclusive`)
/// and the chance that a creature roll comes from them. Returns the chance (0 without a pool).
fn check_crate_creatures(
    c: &mut Checker,
    key: &str,
    raw: &RawCrate,
    is_event: bool,
    creatures: Option<&[Creature]>,
) -> f64 {
    let chance = c.probability(
        CRATES,
        format!("{key}.exclusive_creature_chance"),
        raw.exclusive_creature_chance,
    );
    if raw.exclusive_creatures.is_empty() {
        if chance > 0.0 {
            c.push(
                CRATES,
                format!("{key}.exclusive_creatures"),
                ProblemKind::EmptyPool,
                "empty pool: exclusive_creature_chance > 0 but no exclusive creature is listed"
                    .into(),
            );
        }
        return 0.0;
    }
    if !is_event {
        c.push(
            CRATES,
            format!("{key}.exclusive_creatures"),
            ProblemKind::InvalidValue,
            "only an event crate (with `event: { start, end }`) has exclusive creatures".into(),
        );
    }
    if chance <= 0.0 {
        c.push(
            CRATES,
            format!("{key}.exclusive_creature_chance"),
            ProblemKind::InvalidValue,
            "a crate with exclusive creatures needs an exclusive_creature_chance above 0".into(),
        );
    }
    if let Some(cs) = creatures {
        for (i, id) in raw.exclusive_creatures.iter().enumerate() {
            let k = format!("{key}.exclusive_creatures[{i}]");
            match cs.iter().find(|cr| &cr.id == id) {
                None => c.push(
                    CRATES,
                    k,
                    ProblemKind::UnknownReference,
                    format!("no creature {id:?} in {CREATURES}"),
                ),
                Some(cr) if !cr.exclusive => c.push(
                    CRATES,
                    k,
                    ProblemKind::InvalidValue,
                    format!("creature {id:?} is not marked exclusive in {CREATURES}"),
                ),
                Some(_) => {}
            }
        }
    }
    chance
}

/// A crate's weapons: the chance per roll, the tier weights, and the exclusive pool (only for
/// an event crate, only exclusive weapons).
fn check_crate_weapons(
    c: &mut Checker,
    key: &str,
    raw: &RawCrate,
    is_event: bool,
    weapons: Option<&crate::weapons::WeaponTable>,
) -> (f64, Vec<(Rarity, u64)>) {
    let chance = c.probability(CRATES, format!("{key}.weapon_chance"), raw.weapon_chance);
    let weights = c.rarity_weights(
        CRATES,
        &format!("{key}.weapon_weights"),
        &raw.weapon_weights,
    );
    if chance > 0.0 && weights.is_empty() {
        c.push(
            CRATES,
            format!("{key}.weapon_weights"),
            ProblemKind::EmptyPool,
            "empty pool: weapon_chance > 0 but no weapon rarity is listed".into(),
        );
    }
    if !raw.exclusive_weapons.is_empty() && !is_event {
        c.push(
            CRATES,
            format!("{key}.exclusive_weapons"),
            ProblemKind::InvalidValue,
            "only an event crate (with `event: { start, end }`) has exclusive weapons".into(),
        );
    }
    if !raw.exclusive_weapons.is_empty() && chance <= 0.0 {
        c.push(
            CRATES,
            format!("{key}.weapon_chance"),
            ProblemKind::InvalidValue,
            "a crate with exclusive weapons needs a weapon_chance above 0".into(),
        );
    }
    if let Some(w) = weapons {
        for (i, id) in raw.exclusive_weapons.iter().enumerate() {
            let k = format!("{key}.exclusive_weapons[{i}]");
            match w.weapon_type(id) {
                None => c.push(
                    CRATES,
                    k,
                    ProblemKind::UnknownReference,
                    format!("no weapon {id:?} in weapons.yaml"),
                ),
                Some(t) if !t.exclusive => c.push(
                    CRATES,
                    k,
                    ProblemKind::InvalidValue,
                    format!("weapon {id:?} is not marked exclusive in weapons.yaml"),
                ),
                Some(_) => {}
            }
        }
    }
    (chance, weights)
}

pub(super) fn check_hunt(
    c: &mut Checker,
    f: HuntFile,
    creatures: Option<&[Creature]>,
    crates: Option<&[CrateDef]>,
) -> ([RarityInfo; 6], HuntTable) {
    let mut infos: [Option<RarityInfo>; 6] = Default::default();
    for (i, raw) in f.rarities.iter().enumerate() {
        let key = entry_key("rarities", i, &raw.rarity);
        let rarity = c.rarity(HUNT, format!("{key}.rarity"), &raw.rarity);
        let weight = c.weight(HUNT, format!("{key}.weight"), raw.weight);
        c.text(HUNT, format!("{key}.emoji"), "emoji", &raw.emoji);
        if raw.essence < 0 {
            c.push(
                HUNT,
                format!("{key}.essence"),
                ProblemKind::InvalidValue,
                format!("essence must not be negative, got {}", raw.essence),
            );
        }
        if raw.sell_value < 0 {
            c.push(
                HUNT,
                format!("{key}.sell_value"),
                ProblemKind::InvalidValue,
                format!("sell_value must not be negative, got {}", raw.sell_value),
            );
        }
        let Some(rarity) = rarity else { continue };
        if infos[rarity.index()].is_some() {
            c.push(
                HUNT,
                format!("{key}.rarity"),
                ProblemKind::DuplicateId,
                format!("rarity {} is listed twice", rarity.as_str()),
            );
            continue;
        }
        if weight > 0
            && f.hunt.creature_chance > 0.0
            && creatures.is_some_and(|cs| !cs.iter().any(|cr| cr.rarity == rarity && !cr.exclusive))
        {
            c.push(
                HUNT,
                format!("{key}.weight"),
                ProblemKind::EmptyPool,
                format!(
                    "empty pool: hunts can find {} creatures but no creature in {CREATURES} has that rarity",
                    rarity.as_str()
                ),
            );
        }
        infos[rarity.index()] = Some(RarityInfo {
            rarity,
            emoji: raw.emoji.clone(),
            weight,
            essence: raw.essence.max(0),
            sell_value: raw.sell_value.max(0),
        });
    }
    for r in Rarity::ALL {
        if infos[r.index()].is_none()
            && !f
                .rarities
                .iter()
                .any(|x| Rarity::from_name(&x.rarity) == Some(r))
        {
            c.push(
                HUNT,
                "rarities",
                ProblemKind::InvalidValue,
                format!(
                    "rarity {} is missing (all six tiers must be listed)",
                    r.as_str()
                ),
            );
        }
    }
    let rarities = Rarity::ALL.map(|r| {
        infos[r.index()].take().unwrap_or(RarityInfo {
            rarity: r,
            emoji: r.default_emoji().to_owned(),
            weight: 0,
            essence: 0,
            sell_value: 0,
        })
    });

    let h = f.hunt;
    let xp = c.range(HUNT, "hunt.xp".into(), h.xp);
    let chrons = c.range(HUNT, "hunt.chrons".into(), h.chrons);
    let creature_chance = c.probability(HUNT, "hunt.creature_chance".into(), h.creature_chance);
    let gem_chance = c.probability(HUNT, "hunt.gem_chance".into(), h.gem_chance);
    let crate_chance = c.probability(HUNT, "hunt.crate_chance".into(), h.crate_chance);
    let gem_rarity_weights =
        c.rarity_weights(HUNT, "hunt.gem_rarity_weights", &h.gem_rarity_weights);
    if gem_chance > 0.0 && h.gem_rarity_weights.is_empty() {
        c.push(
            HUNT,
            "hunt.gem_rarity_weights",
            ProblemKind::EmptyPool,
            "empty pool: gem_chance > 0 but no gem rarity is listed".into(),
        );
    }
    let mut crate_weights: Vec<(String, u64)> = Vec::new();
    let mut seen = HashSet::new();
    for (id, w) in &h.crate_weights.0 {
        let key = format!("hunt.crate_weights.{id}");
        if !seen.insert(id.as_str()) {
            c.push(
                HUNT,
                key,
                ProblemKind::DuplicateId,
                format!("crate {id:?} listed twice"),
            );
            continue;
        }
        let w = c.weight(HUNT, key.clone(), *w);
        if crates.is_some_and(|cs| !cs.iter().any(|cd| &cd.id == id)) {
            c.push(
                HUNT,
                key,
                ProblemKind::UnknownReference,
                format!("unknown crate {id:?} (not defined in {CRATES})"),
            );
        }
        if w > 0 {
            crate_weights.push((id.clone(), w));
        }
    }
    if crate_chance > 0.0 && h.crate_weights.is_empty() {
        c.push(
            HUNT,
            "hunt.crate_weights",
            ProblemKind::EmptyPool,
            "empty pool: crate_chance > 0 but no crate is listed".into(),
        );
    }
    (
        rarities,
        HuntTable {
            xp,
            chrons,
            creature_chance,
            gem_chance,
            gem_rarity_weights,
            crate_chance,
            crate_weights,
        },
    )
}

pub(super) fn check_items(
    c: &mut Checker,
    f: ItemsFile,
    crates: Option<&[CrateDef]>,
) -> Vec<ShopItem> {
    if f.items.is_empty() {
        c.push(
            ITEMS,
            "items",
            ProblemKind::EmptyPool,
            "no items defined".into(),
        );
    }
    c.ids(ITEMS, "items", f.items.iter().map(|x| x.id.as_str()));
    let mut out = Vec::new();
    for (i, raw) in f.items.into_iter().enumerate() {
        let key = entry_key("items", i, &raw.id);
        c.text(ITEMS, format!("{key}.name"), "name", &raw.name);
        c.text(ITEMS, format!("{key}.emoji"), "emoji", &raw.emoji);
        let kind = match raw.kind.as_str() {
            "consumable" => ItemKind::Consumable,
            "crate" => ItemKind::Crate,
            "food" => ItemKind::Food,
            "material" => ItemKind::Material,
            "collectible" => ItemKind::Collectible,
            other => {
                c.push(
                    ITEMS,
                    format!("{key}.kind"),
                    ProblemKind::InvalidValue,
                    format!(
                        "unknown kind {other:?} (expected consumable, crate, food, material or collectible)"
                    ),
                );
                ItemKind::Collectible
            }
        };
        if let Some(b) = raw.buy {
            if b <= 0 {
                c.push(
                    ITEMS,
                    format!("{key}.buy"),
                    ProblemKind::InvalidValue,
                    format!("buy price must be positive, got {b}"),
                );
            }
        }
        if let Some(s) = raw.sell {
            if s < 0 {
                c.push(
                    ITEMS,
                    format!("{key}.sell"),
                    ProblemKind::InvalidValue,
                    format!("sell price must not be negative, got {s}"),
                );
            }
        }
        if let (Some(b), Some(s)) = (raw.buy, raw.sell) {
            if s > b {
                c.push(
                    ITEMS,
                    format!("{key}.sell"),
                    ProblemKind::InvalidValue,
                    format!("sell price {s} is above buy price {b}: buying and selling would mint Chrons"),
                );
            }
        }
        match (kind, &raw.crate_id) {
            (ItemKind::Crate, None) => c.push(
                ITEMS,
                format!("{key}.crate"),
                ProblemKind::InvalidValue,
                "a crate item must name the crate it opens as (`crate: <id>`)".into(),
            ),
            (ItemKind::Crate, Some(id)) => {
                if raw.id != crate::items::crate_key(id) {
                    c.push(
                        ITEMS,
                        format!("{key}.id"),
                        ProblemKind::InvalidValue,
                        format!(
                            "a crate item is the inventory stack of its crate: its id must be {:?}",
                            crate::items::crate_key(id)
                        ),
                    );
                }
                if crates.is_some_and(|cs| !cs.iter().any(|cd| &cd.id == id)) {
                    c.push(
                        ITEMS,
                        format!("{key}.crate"),
                        ProblemKind::UnknownReference,
                        format!("unknown crate {id:?} (not defined in {CRATES})"),
                    );
                }
            }
            (_, Some(_)) => c.push(
                ITEMS,
                format!("{key}.crate"),
                ProblemKind::InvalidValue,
                "only items of kind crate may name a crate".into(),
            ),
            (_, None) => {}
        }
        if matches!(kind, ItemKind::Consumable | ItemKind::Food) && raw.effect.is_none() {
            c.push(
                ITEMS,
                format!("{key}.effect"),
                ProblemKind::InvalidValue,
                "consumables and food need an effect".into(),
            );
        }
        out.push(ShopItem {
            id: raw.id,
            name: raw.name,
            emoji: raw.emoji,
            kind,
            description: raw.description,
            buy: raw.buy,
            sell: raw.sell,
            crate_id: raw.crate_id,
            effect: raw.effect,
        });
    }
    out
}
