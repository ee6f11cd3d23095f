# The hunt feature.

## Commands (slash descriptions and help texts)
cmd-hunt =
    .description = Go hunting: XP, Chrons and maybe a creature, a gem or a crate.
cmd-inventory =
    .description = Your creatures, gems and crates.
