//! The role argument: a mention, an id, an exact name or a unique prefix.

use super::*;

/// A role of the server, as the role argument reads it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RoleFacts {
    /// Its id.
    pub id: RoleId,
    /// Its name.
    pub name: String,
}

/// Why a role argument could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RoleArgError {
    /// Nothing was given.
    #[error("name the role: a mention, its id or its name")]
    Empty,
    /// No role is named or numbered so.
    #[error("there is no role `{0}` on this server")]
    NotFound(String),
    /// Several roles match: their names (at most [`AMBIGUOUS_SHOWN`]) and how many matched.
    #[error("`{text}` matches {count} roles: {}", names.join(", "))]
    Ambiguous {
        /// The text given.
        text: String,
        /// The first matching names, sorted.
        names: Vec<String>,
        /// How many roles matched.
        count: usize,
    },
}

/// How many matching names an ambiguous role refusal lists.
pub const AMBIGUOUS_SHOWN: usize = 10;

/// Reads a role argument against the server's roles: a mention (`<@&id>`), an id, else a name,
/// case-insensitive and without a leading `@` — an exact name first, else a unique prefix.
/// Two roles with the same exact name, or a prefix of several, are [`RoleArgError::Ambiguous`].
pub fn parse_role_arg(text: &str, roles: &[RoleFacts]) -> Result<RoleId, RoleArgError> {
    let text = text.trim();
    if text.is_empty() {
        return Err(RoleArgError::Empty);
    }
    let shown: String = text.chars().take(30).collect();
    let mention = text
        .strip_prefix("<@&")
        .and_then(|t| t.strip_suffix('>'))
        .and_then(|t| t.parse::<u64>().ok());
    if let Some(id) = mention {
        return roles
            .iter()
            .find(|r| r.id.get() == id)
            .map(|r| r.id)
            .ok_or(RoleArgError::NotFound(shown));
    }
    if let Ok(id) = text.parse::<u64>() {
        if let Some(r) = roles.iter().find(|r| r.id.get() == id) {
            return Ok(r.id);
        }
    }
    let key = |s: &str| s.trim().trim_start_matches('@').to_lowercase();
    let wanted = key(text);
    if wanted.is_empty() {
        return Err(RoleArgError::NotFound(shown));
    }
    let pick = |matches: Vec<&RoleFacts>| -> Option<Result<RoleId, RoleArgError>> {
        match matches.as_slice() {
            [] => None,
            [one] => Some(Ok(one.id)),
            many => {
                let mut names: Vec<String> = many.iter().map(|r| r.name.clone()).collect();
                names.sort();
                names.truncate(AMBIGUOUS_SHOWN);
                Some(Err(RoleArgError::Ambiguous {
                    text: shown.clone(),
                    names,
                    count: many.len(),
                }))
            }
        }
    };
    let exact: Vec<&RoleFacts> = roles.iter().filter(|r| key(&r.name) == wanted).collect();
    if let Some(res) = pick(exact) {
        return res;
    }
    let prefixed: Vec<&RoleFacts> = roles
        .iter()
        .filter(|r| key(&r.name).starts_with(&wanted))
        .collect();
    pick(prefixed).unwrap_or(Err(RoleArgError::NotFound(shown)))
}
