//! Interactions users start: slash commands (options typed from the registered schema),
//! autocomplete, context menus, button clicks, select menus, modal submits.

use serde_json::{Value, json};

use crate::hub::Gate;
use crate::payloads;
use crate::perms::{self, bits};
use crate::state::{
    Command, Id, Interaction, InteractionResponse, InteractionStatus, Message, State,
};

use super::*;

impl Sandbox {
    fn new_interaction(
        &self,
        kind: u8,
        user_id: Id,
        channel_id: Id,
        data: Value,
        message_id: Option<Id>,
        command_name: &str,
    ) -> Result<Interaction, DriverError> {
        let (i, payload) = {
            let mut st = self.inner.state.lock();
            let ch = st
                .channels
                .get(&channel_id)
                .ok_or_else(|| DriverError::NotFound(format!("channel {channel_id}")))?;
            let guild_id = ch.guild_id;
            if !st.users.contains_key(&user_id) {
                return Err(DriverError::NotFound(format!("user {user_id}")));
            }
            if let Some(g) = guild_id {
                if !st.members.contains_key(&(g, user_id)) {
                    return Err(DriverError::NotFound(format!(
                        "member {user_id} of guild {g}"
                    )));
                }
            }
            let id = self.inner.snowflake();
            let token = format!("aW50ZXJhY3Rpb246{id}:{:064x}", rand::random::<u128>());
            let i = Interaction {
                id,
                token,
                kind,
                user_id,
                channel_id,
                guild_id,
                data,
                message_id,
                command_name: command_name.to_owned(),
                created: std::time::Instant::now(),
                status: InteractionStatus::Pending,
                original_message: None,
            };
            st.interactions.insert(id, i.clone());
            (i.clone(), payloads::interaction(&st, &i))
        };
        self.inner.dispatch(
            "INTERACTION_CREATE",
            &payload,
            Gate {
                intent: None,
                guild_id: i.guild_id,
                content_gated: false,
            },
        );
        Ok(i)
    }

    fn find_command(
        &self,
        st: &State,
        guild_id: Option<Id>,
        name: &str,
        kind: u8,
    ) -> Result<Command, DriverError> {
        st.commands
            .values()
            .find(|c| {
                c.name == name && c.kind == kind && c.guild_id.is_some() && c.guild_id == guild_id
            })
            .or_else(|| {
                st.commands
                    .values()
                    .find(|c| c.name == name && c.kind == kind && c.guild_id.is_none())
            })
            .cloned()
            .ok_or_else(|| {
                DriverError::UnknownCommand(
                    name.to_owned(),
                    st.commands
                        .values()
                        .map(|c| c.name.clone())
                        .collect::<Vec<_>>()
                        .join(", "),
                )
            })
    }

    fn command_data(
        &self,
        user_id: Id,
        channel_id: Id,
        call: &CommandCall,
        autocomplete: bool,
    ) -> Result<Value, DriverError> {
        let st = self.inner.state.lock();
        let guild_id = st.channels.get(&channel_id).and_then(|c| c.guild_id);
        let cmd = self.find_command(&st, guild_id, &call.name, 1)?;
        check_command_allowed(&st, &cmd, guild_id, user_id)?;
        let mut res = Resolved::default();
        let defs = cmd.json["options"].as_array().cloned().unwrap_or_default();
        let options = build_options(&defs, &call.path, call, autocomplete, &mut res)?;
        let mut data =
            json!({"id": cmd.id.to_string(), "name": cmd.name, "type": 1, "options": options});
        if let Some(g) = cmd.guild_id {
            data["guild_id"] = json!(g.to_string());
        }
        if !res.is_empty() {
            data["resolved"] =
                payloads::resolved(&st, guild_id, &res.users, &res.roles, &res.channels);
        }
        Ok(data)
    }

    /// A user runs a slash command registered by the bot (guild commands take precedence over
    /// global ones). Option types come from the registered schema, so `.opt("count", 3)` and
    /// `.opt("count", "3")` both work for an integer option. Dispatches INTERACTION_CREATE.
    pub fn run_command(
        &self,
        user_id: Id,
        channel_id: Id,
        call: CommandCall,
    ) -> Result<Interaction, DriverError> {
        let data = self.command_data(user_id, channel_id, &call, false)?;
        let mut name = call.name.clone();
        for p in &call.path {
            name.push(' ');
            name.push_str(p);
        }
        self.new_interaction(2, user_id, channel_id, data, None, &name)
    }

    /// A user types into an option with autocomplete (`call.focus("option")`). The bot answers
    /// with callback type 8; read the choices with [`Sandbox::wait_for_response`].
    pub fn autocomplete(
        &self,
        user_id: Id,
        channel_id: Id,
        call: CommandCall,
    ) -> Result<Interaction, DriverError> {
        let data = self.command_data(user_id, channel_id, &call, true)?;
        self.new_interaction(4, user_id, channel_id, data, None, &call.name)
    }

    /// A user runs a context-menu command on another user (type 2 command).
    pub fn run_user_command(
        &self,
        user_id: Id,
        channel_id: Id,
        name: &str,
        target: Id,
    ) -> Result<Interaction, DriverError> {
        let data = {
            let st = self.inner.state.lock();
            let gid = st.channels.get(&channel_id).and_then(|c| c.guild_id);
            let cmd = self.find_command(&st, gid, name, 2)?;
            json!({"id": cmd.id.to_string(), "name": name, "type": 2, "target_id": target.to_string(),
                   "resolved": payloads::resolved(&st, gid, &[target], &[], &[])})
        };
        self.new_interaction(2, user_id, channel_id, data, None, name)
    }

    /// A user runs a context-menu command on a message (type 3 command).
    pub fn run_message_command(
        &self,
        user_id: Id,
        name: &str,
        message_id: Id,
    ) -> Result<Interaction, DriverError> {
        let (data, cid) = {
            let st = self.inner.state.lock();
            let m = st
                .messages
                .get(&message_id)
                .ok_or_else(|| DriverError::NotFound(format!("message {message_id}")))?;
            let cmd = self.find_command(&st, m.guild_id, name, 3)?;
            let mut msgs = serde_json::Map::new();
            msgs.insert(message_id.to_string(), payloads::message(&st, m, false));
            (
                json!({"id": cmd.id.to_string(), "name": name, "type": 3, "target_id": message_id.to_string(),
                       "resolved": {"messages": msgs}}),
                m.channel_id,
            )
        };
        self.new_interaction(2, user_id, cid, data, None, name)
    }

    fn visible_message(&self, user_id: Id, message_id: Id) -> Result<Message, DriverError> {
        let m = self
            .message(message_id)
            .ok_or_else(|| DriverError::NotFound(format!("message {message_id}")))?;
        if m.visible_to.is_some_and(|u| u != user_id) {
            return Err(DriverError::NotFound(format!(
                "message {message_id} (ephemeral for someone else)"
            )));
        }
        Ok(m)
    }

    /// A user clicks a button on a message, found by custom_id or by label.
    pub fn click_button(
        &self,
        user_id: Id,
        message_id: Id,
        custom_id_or_label: &str,
    ) -> Result<Interaction, DriverError> {
        let m = self.visible_message(user_id, message_id)?;
        let button = m
            .components
            .iter()
            .flat_map(|row| row["components"].as_array().cloned().unwrap_or_default())
            .filter(|c| c["type"] == 2)
            .find(|c| c["custom_id"] == custom_id_or_label)
            .or_else(|| {
                m.components
                    .iter()
                    .flat_map(|row| row["components"].as_array().cloned().unwrap_or_default())
                    .filter(|c| c["type"] == 2)
                    .find(|c| c["label"] == custom_id_or_label)
            })
            .ok_or_else(|| {
                DriverError::NotFound(format!(
                    "button `{custom_id_or_label}` on message {message_id}"
                ))
            })?;
        if button["disabled"].as_bool().unwrap_or(false) || button["custom_id"].as_str().is_none() {
            return Err(DriverError::Disabled(custom_id_or_label.to_owned()));
        }
        let data = json!({"custom_id": button["custom_id"], "component_type": 2});
        self.new_interaction(3, user_id, m.channel_id, data, Some(message_id), "")
    }

    /// A user picks values from a select menu (string, user, role, mentionable or channel select).
    pub fn select(
        &self,
        user_id: Id,
        message_id: Id,
        custom_id: &str,
        values: &[&str],
    ) -> Result<Interaction, DriverError> {
        let m = self.visible_message(user_id, message_id)?;
        let comp = m
            .component(custom_id)
            .cloned()
            .ok_or_else(|| DriverError::NotFound(format!("select `{custom_id}`")))?;
        let ctype = comp["type"].as_u64().unwrap_or(0);
        if !(3..=8).contains(&ctype) || ctype == 4 {
            return Err(DriverError::NotFound(format!(
                "select `{custom_id}` (component type {ctype})"
            )));
        }
        if comp["disabled"].as_bool().unwrap_or(false) {
            return Err(DriverError::Disabled(custom_id.to_owned()));
        }
        let min = comp["min_values"].as_u64().unwrap_or(1) as usize;
        let max = comp["max_values"].as_u64().unwrap_or(1) as usize;
        if values.len() < min || values.len() > max {
            return Err(DriverError::InvalidValue(
                custom_id.to_owned(),
                format!("pick between {min} and {max} values"),
            ));
        }
        if ctype == 3 {
            for v in values {
                if !comp["options"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .any(|o| o["value"] == *v)
                {
                    return Err(DriverError::InvalidValue(
                        custom_id.to_owned(),
                        format!("`{v}` is not an option"),
                    ));
                }
            }
        }
        let mut data = json!({"custom_id": custom_id, "component_type": ctype, "values": values});
        if ctype != 3 {
            let ids: Vec<Id> = values.iter().filter_map(|v| v.parse().ok()).collect();
            let st = self.inner.state.lock();
            let (users, roles, chans): (Vec<Id>, Vec<Id>, Vec<Id>) = match ctype {
                5 => (ids, vec![], vec![]),
                6 => (vec![], ids, vec![]),
                8 => (vec![], vec![], ids),
                _ => (
                    ids.iter()
                        .copied()
                        .filter(|i| st.users.contains_key(i))
                        .collect(),
                    ids.iter()
                        .copied()
                        .filter(|i| st.roles.contains_key(i))
                        .collect(),
                    vec![],
                ),
            };
            data["resolved"] = payloads::resolved(&st, m.guild_id, &users, &roles, &chans);
        }
        self.new_interaction(3, user_id, m.channel_id, data, Some(message_id), "")
    }

    /// A user submits the modal the bot opened in answer to `opened_by` (callback type 9).
    /// `values` are `(text input custom_id, value)`; inputs not given are sent empty
    /// (an error if the input is required).
    pub fn submit_modal(
        &self,
        user_id: Id,
        opened_by: &Interaction,
        values: &[(&str, &str)],
    ) -> Result<Interaction, DriverError> {
        let i = self
            .interaction(opened_by.id)
            .ok_or_else(|| DriverError::NotFound("interaction".into()))?;
        let InteractionStatus::Responded(InteractionResponse::Modal(modal)) = &i.status else {
            return Err(DriverError::NoModal);
        };
        let mut rows = Vec::new();
        let mut next_id = 0u64;
        for row in modal["components"].as_array().into_iter().flatten() {
            next_id += 1;
            let row_id = next_id;
            let mut comps = Vec::new();
            for input in row["components"].as_array().into_iter().flatten() {
                let cid = input["custom_id"].as_str().unwrap_or("");
                let given = values
                    .iter()
                    .find(|(k, _)| *k == cid)
                    .map(|(_, v)| (*v).to_owned());
                let required = input["required"].as_bool().unwrap_or(true);
                let value = match given {
                    Some(v) => v,
                    None if required => return Err(DriverError::MissingOption(cid.to_owned())),
                    None => String::new(),
                };
                if let Some(maxl) = input["max_length"].as_u64() {
                    if value.chars().count() as u64 > maxl {
                        return Err(DriverError::InvalidValue(
                            cid.to_owned(),
                            format!("longer than {maxl}"),
                        ));
                    }
                }
                next_id += 1;
                comps.push(json!({"type": 4, "id": next_id, "custom_id": cid, "value": value}));
            }
            rows.push(json!({"type": 1, "id": row_id, "components": comps}));
        }
        for (k, _) in values {
            if !rows.iter().any(|r| {
                r["components"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .any(|c| c["custom_id"] == *k)
            }) {
                return Err(DriverError::UnknownOption((*k).to_owned()));
            }
        }
        let data = json!({"custom_id": modal["custom_id"], "components": rows});
        self.new_interaction(
            5,
            user_id,
            i.channel_id,
            data,
            i.message_id,
            &i.command_name,
        )
    }
}

/// The Discord client hides commands a user may not use: `default_member_permissions` in
/// guilds, `dm_permission: false` / `contexts` without 1 in DMs.
fn check_command_allowed(
    st: &State,
    cmd: &Command,
    guild_id: Option<Id>,
    user_id: Id,
) -> Result<(), DriverError> {
    match guild_id {
        Some(g) => {
            let needed = cmd.json["default_member_permissions"]
                .as_str()
                .and_then(|p| p.parse::<u64>().ok());
            if let Some(needed) = needed {
                let have = perms::base_permissions(st, g, user_id);
                if have & bits::ADMINISTRATOR == 0
                    && have != bits::ALL
                    && (needed == 0 || have & needed != needed)
                {
                    return Err(DriverError::MissingPermission(
                        "default_member_permissions of the command",
                    ));
                }
            }
        }
        None => {
            let dm_ok = cmd.guild_id.is_none()
                && cmd.json["dm_permission"].as_bool() != Some(false)
                && cmd.json["contexts"]
                    .as_array()
                    .is_none_or(|c| c.iter().any(|x| x == 1));
            if !dm_ok {
                return Err(DriverError::UnknownCommand(
                    cmd.name.clone(),
                    "not available in DMs".into(),
                ));
            }
        }
    }
    Ok(())
}

#[derive(Default)]
struct Resolved {
    users: Vec<Id>,
    roles: Vec<Id>,
    channels: Vec<Id>,
}

impl Resolved {
    fn is_empty(&self) -> bool {
        self.users.is_empty() && self.roles.is_empty() && self.channels.is_empty()
    }
}

fn build_options(
    defs: &[Value],
    path: &[String],
    call: &CommandCall,
    autocomplete: bool,
    res: &mut Resolved,
) -> Result<Vec<Value>, DriverError> {
    let has_subs = defs
        .iter()
        .any(|d| matches!(d["type"].as_u64(), Some(1 | 2)));
    if let Some((first, rest)) = path.split_first() {
        let def = defs
            .iter()
            .find(|d| d["name"] == first.as_str() && matches!(d["type"].as_u64(), Some(1 | 2)))
            .ok_or_else(|| DriverError::UnknownSubcommand(first.clone()))?;
        let sub_defs = def["options"].as_array().cloned().unwrap_or_default();
        if def["type"] == 2 && rest.is_empty() {
            return Err(DriverError::SubcommandRequired);
        }
        let inner = build_options(&sub_defs, rest, call, autocomplete, res)?;
        return Ok(vec![
            json!({"name": first, "type": def["type"], "options": inner}),
        ]);
    }
    if has_subs {
        return Err(DriverError::SubcommandRequired);
    }
    let mut out = Vec::new();
    for (name, val) in &call.options {
        let def = defs
            .iter()
            .find(|d| d["name"] == name.as_str())
            .ok_or_else(|| DriverError::UnknownOption(name.clone()))?;
        let t = def["type"].as_u64().unwrap_or(3);
        let focused = call.focused.as_deref() == Some(name.as_str());
        let bad = |why: &str| DriverError::InvalidValue(name.clone(), why.to_owned());
        let as_id = || -> Result<Id, DriverError> {
            match val {
                OptValue::Id(i) => Ok(*i),
                OptValue::Int(i) if *i >= 0 => Ok(*i as u64),
                OptValue::Str(s) => s
                    .trim_start_matches("<@")
                    .trim_start_matches(['!', '&', '#'])
                    .trim_end_matches('>')
                    .parse()
                    .map_err(|_| bad("not an id")),
                _ => Err(bad("not an id")),
            }
        };
        let value = if focused {
            // autocomplete sends what the user typed so far, as a string
            match val {
                OptValue::Str(s) => json!(s),
                OptValue::Int(i) => json!(i.to_string()),
                OptValue::Num(n) => json!(n.to_string()),
                OptValue::Bool(b) => json!(b.to_string()),
                OptValue::Id(i) => json!(i.to_string()),
            }
        } else {
            match t {
                3 => match val {
                    OptValue::Str(s) => json!(s),
                    OptValue::Int(i) => json!(i.to_string()),
                    OptValue::Num(n) => json!(n.to_string()),
                    OptValue::Bool(b) => json!(b.to_string()),
                    OptValue::Id(i) => json!(i.to_string()),
                },
                4 => json!(match val {
                    OptValue::Int(i) => *i,
                    OptValue::Id(i) => *i as i64,
                    OptValue::Str(s) => s.parse::<i64>().map_err(|_| bad("not an integer"))?,
                    _ => return Err(bad("not an integer")),
                }),
                10 => json!(match val {
                    OptValue::Num(n) => *n,
                    OptValue::Int(i) => *i as f64,
                    OptValue::Str(s) => s.parse::<f64>().map_err(|_| bad("not a number"))?,
                    _ => return Err(bad("not a number")),
                }),
                5 => json!(match val {
                    OptValue::Bool(b) => *b,
                    OptValue::Str(s) => s.parse::<bool>().map_err(|_| bad("not a boolean"))?,
                    _ => return Err(bad("not a boolean")),
                }),
                6 => {
                    let i = as_id()?;
                    res.users.push(i);
                    json!(i.to_string())
                }
                7 => {
                    let i = as_id()?;
                    res.channels.push(i);
                    json!(i.to_string())
                }
                8 => {
                    let i = as_id()?;
                    res.roles.push(i);
                    json!(i.to_string())
                }
                9 => {
                    let i = as_id()?;
                    res.users.push(i);
                    res.roles.push(i);
                    json!(i.to_string())
                }
                _ => return Err(bad("unsupported option type")),
            }
        };
        if !focused {
            if let Some(choices) = def["choices"].as_array().filter(|c| !c.is_empty()) {
                if !choices.iter().any(|c| c["value"] == value) {
                    return Err(bad("not one of the choices"));
                }
            }
            if let (Some(min), Some(v)) = (def["min_value"].as_f64(), value.as_f64()) {
                if v < min {
                    return Err(bad("below min_value"));
                }
            }
            if let (Some(max), Some(v)) = (def["max_value"].as_f64(), value.as_f64()) {
                if v > max {
                    return Err(bad("above max_value"));
                }
            }
            if let (Some(maxl), Some(s)) = (def["max_length"].as_u64(), value.as_str()) {
                if s.chars().count() as u64 > maxl {
                    return Err(bad("longer than max_length"));
                }
            }
        }
        let mut o = json!({"name": name, "type": t, "value": value});
        if focused {
            o["focused"] = json!(true);
        }
        out.push(o);
    }
    if !autocomplete {
        for d in defs {
            if d["required"].as_bool().unwrap_or(false)
                && !call.options.iter().any(|(n, _)| d["name"] == n.as_str())
            {
                return Err(DriverError::MissingOption(
                    d["name"].as_str().unwrap_or("").to_owned(),
                ));
            }
        }
    }
    Ok(out)
}
