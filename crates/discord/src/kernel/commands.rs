//! Small helpers over command trees shared by help, the error messages and the command
//! reference: how a command is typed.

use crate::Command;

/// The parameters of a command as typed: ` <required> [optional]`.
pub fn params(c: &Command) -> String {
    c.parameters
        .iter()
        .map(|p| {
            if p.required {
                format!(" <{}>", p.name)
            } else {
                format!(" [{}]", p.name)
            }
        })
        .collect()
}

/// How to type a command: `chro prefix set <new_prefix>` (or `/prefix set …` for slash).
pub fn usage(command: &Command, prefix: &str) -> String {
    let prefix = if prefix == "/" {
        "/".to_string()
    } else {
        crate::prefix::invoke(prefix, "")
    };
    let subs = if command.subcommands.is_empty() {
        String::new()
    } else {
        let names: Vec<&str> = command
            .subcommands
            .iter()
            .map(|s| s.name.as_ref())
            .collect();
        format!(" <{}>", names.join("|"))
    };
    format!(
        "{prefix}{}{subs}{}",
        command.qualified_name,
        params(command)
    )
}
