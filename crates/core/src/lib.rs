//! Pure game and economy rules for Chronix: no I/O, no clock, no global RNG.
