//! Serenity's ids ↔ Chronix's typed ids (`chronix_core::ids`). Both are `u64` snowflakes; the
//! conversion keeps the kind, so a user id stays a user id on its way to storage. The only
//! `i64` conversion is inside `chronix-storage`.

use poise::serenity_prelude as serenity;

/// Serenity id → Chronix id.
pub trait ToCore {
    /// The Chronix id type.
    type Core;
    /// The same snowflake as a Chronix id.
    fn core(self) -> Self::Core;
}

/// Chronix id → serenity id.
pub trait ToDiscord {
    /// The serenity id type.
    type Discord;
    /// The same snowflake as a serenity id.
    fn discord(self) -> Self::Discord;
}

macro_rules! pair {
    ($($name:ident),*) => {$(
        impl ToCore for serenity::$name {
            type Core = chronix_core::ids::$name;
            fn core(self) -> Self::Core {
                chronix_core::ids::$name::new(self.get())
            }
        }
        impl ToDiscord for chronix_core::ids::$name {
            type Discord = serenity::$name;
            fn discord(self) -> Self::Discord {
                // Serenity refuses 0; Chronix never stores it for a real object.
                serenity::$name::new(self.get().max(1))
            }
        }
    )*};
}

pair!(UserId, GuildId, ChannelId, RoleId, MessageId);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_keep_their_kind_and_value_both_ways() {
        let u = serenity::UserId::new(175_928_847_299_117_063);
        assert_eq!(
            u.core(),
            chronix_core::ids::UserId::new(175_928_847_299_117_063)
        );
        assert_eq!(u.core().discord(), u);
        let g = chronix_core::ids::GuildId::new(42);
        assert_eq!(g.discord().core(), g);
    }
}
