//! The one call that appends to the tamper-evident audit trail (storage `audit`): who, where,
//! what, on what, and the before/after where it applies.
//!
//! ```ignore
//! audit::record(data, Audit::new(user, guild, "config.prefix").before(old).after(new)).await?;
//! ```
//!
//! Callers: moderation cases, configuration and module switches, owner and dev commands,
//! elevated and override runs of dev commands (the permission check), wizard confirmations.

use chronix_core::ids::{GuildId, UserId};
use chronix_storage::audit::{self, AuditEntry};
use chrono::Utc;
use serde_json::{Map, Value};

use crate::{Data, Error};

/// One audit entry to append.
#[derive(Debug, Clone)]
pub struct Audit {
    /// Who did it.
    pub actor: UserId,
    /// Where (a guild), if anywhere.
    pub guild: Option<GuildId>,
    /// What: `<area>.<verb>` (`moderation.ban`, `config.prefix`, `owner.leave`).
    pub action: String,
    /// On what or whom (a user id, a module name), if anything.
    pub target: Option<String>,
    /// The state before, where it applies.
    pub before: Option<Value>,
    /// The state after, where it applies.
    pub after: Option<Value>,
    /// Anything else worth keeping (reason, case number).
    pub extra: Map<String, Value>,
}

impl Audit {
    /// An entry without target or details.
    pub fn new(actor: UserId, guild: Option<GuildId>, action: impl Into<String>) -> Self {
        Self {
            actor,
            guild,
            action: action.into(),
            target: None,
            before: None,
            after: None,
            extra: Map::new(),
        }
    }
    /// On what or whom.
    pub fn target(mut self, target: impl ToString) -> Self {
        self.target = Some(target.to_string());
        self
    }
    /// The state before.
    pub fn before(mut self, v: impl Into<Value>) -> Self {
        self.before = Some(v.into());
        self
    }
    /// The state after.
    pub fn after(mut self, v: impl Into<Value>) -> Self {
        self.after = Some(v.into());
        self
    }
    /// Another detail.
    pub fn with(mut self, key: &str, v: impl Into<Value>) -> Self {
        self.extra.insert(key.to_string(), v.into());
        self
    }
    /// The stored `details`: `{before, after, …extra}` (keys present when set).
    pub fn details(&self) -> Value {
        let mut m = self.extra.clone();
        if let Some(b) = &self.before {
            m.insert("before".into(), b.clone());
        }
        if let Some(a) = &self.after {
            m.insert("after".into(), a.clone());
        }
        Value::Object(m)
    }
}

/// Appends `a` to the audit trail (its own transaction) and returns the entry.
pub async fn record(data: &Data, a: Audit) -> Result<AuditEntry, Error> {
    let entry = audit::append(
        data.storage(),
        a.actor,
        a.guild,
        &a.action,
        a.target.as_deref(),
        &a.details(),
        Utc::now(),
    )
    .await?;
    tracing::info!(
        audit_id = entry.id,
        actor = a.actor.get(),
        guild = ?a.guild.map(|g| g.get()),
        action = %a.action,
        "audited"
    );
    Ok(entry)
}

/// Appends a configuration change of the caller's server (`config.<key>`, before and after)
/// to the audit trail: the one call configuration commands make.
pub async fn config_change(
    ctx: crate::Context<'_>,
    key: &str,
    before: impl Into<Value>,
    after: impl Into<Value>,
) -> Result<(), Error> {
    use crate::kernel::ids::ToCore;
    let a = Audit::new(
        ctx.author().id.core(),
        ctx.guild_id().map(|g| g.core()),
        format!("config.{key}"),
    )
    .target(key)
    .before(before)
    .after(after);
    record(ctx.data(), a).await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn details_hold_before_after_and_extras() {
        let a = Audit::new(UserId::new(1), None, "config.prefix")
            .target("prefix")
            .before("chro")
            .after("!")
            .with("reason", "tidy");
        assert_eq!(
            a.details().to_string(),
            r#"{"after":"!","before":"chro","reason":"tidy"}"#
        );
        assert_eq!(
            Audit::new(UserId::new(1), None, "x").details().to_string(),
            "{}"
        );
    }
}
