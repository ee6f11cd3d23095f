# The misc feature.

## Commands (slash descriptions and help texts)
cmd-roll =
    .description = Roll a die (6 sides unless you say otherwise).
cmd-flip =
    .description = Flip a coin.
cmd-serverinfo =
    .description = Facts about this server.
