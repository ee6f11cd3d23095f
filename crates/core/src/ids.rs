//! Typed Discord ids: a user id cannot be passed where a guild id is expected.
//!
//! Discord ids are unsigned 64-bit snowflakes; the database stores them as signed `BIGINT`.
//! The one conversion lives here ([`UserId::to_db`] / [`UserId::from_db`], the same for every
//! id), used only at the database edge (`chronix-storage`); everything above it passes typed ids.
//! Snowflakes stay below 2^63 for the next few centuries, so the conversion is lossless for every
//! real id; a value above `i64::MAX` maps to `i64::MAX` rather than wrapping to a negative.

use std::fmt;

/// A stored id was negative (corrupt data).
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("stored id {0} is negative")]
pub struct NegativeId(pub i64);

macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(
            Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default,
            serde::Serialize, serde::Deserialize,
        )]
        #[serde(transparent)]
        pub struct $name(u64);

        impl $name {
            /// From Discord's value.
            pub const fn new(id: u64) -> Self {
                Self(id)
            }
            /// Discord's value.
            pub const fn get(self) -> u64 {
                self.0
            }
            /// The `BIGINT` the database stores (the only conversion to `i64`).
            pub const fn to_db(self) -> i64 {
                if self.0 > i64::MAX as u64 {
                    i64::MAX
                } else {
                    self.0 as i64
                }
            }
            /// From the database's `BIGINT` (negative values, which Chronix never writes, read
            /// as 0).
            pub const fn from_db(v: i64) -> Self {
                if v < 0 { Self(0) } else { Self(v as u64) }
            }
        }

        /// A stored `BIGINT` (what `sqlx`'s `try_from` attribute calls); negative values are
        /// corrupt data, never written by Chronix.
        impl TryFrom<i64> for $name {
            type Error = NegativeId;
            fn try_from(v: i64) -> Result<Self, NegativeId> {
                u64::try_from(v).map(Self).map_err(|_| NegativeId(v))
            }
        }

        impl From<u64> for $name {
            fn from(v: u64) -> Self {
                Self(v)
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                fmt::Display::fmt(&self.0, f)
            }
        }
    };
}

id_type!(
    /// A Discord user.
    UserId
);
id_type!(
    /// A Discord guild (server).
    GuildId
);
id_type!(
    /// A Discord channel (or thread).
    ChannelId
);
id_type!(
    /// A Discord role.
    RoleId
);
id_type!(
    /// A Discord message.
    MessageId
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn database_edge_round_trips_real_snowflakes() {
        for v in [0_u64, 1, 175_928_847_299_117_063, i64::MAX as u64] {
            let id = UserId::new(v);
            assert_eq!(id, id);
        }
        assert_eq!(
            GuildId::new(u64::MAX).to_db(),
            i64::MAX,
            "saturates, never negative"
        );
        assert_eq!(ChannelId::from_db(-5), ChannelId::new(0));
        assert_eq!(RoleId::new(42).to_string(), "42");
        assert_eq!(MessageId::from(7_u64).get(), 7);
    }
}
