//! The kernel: the machinery every feature plugs into. It never imports a feature.

pub mod audit;
pub mod cached;
pub mod caller;
pub mod commands;
pub mod data;
pub mod debug;
pub mod embeds;
pub mod errors;
pub mod events;
pub mod flood;
pub mod framework;
pub mod guilds;
pub mod i18n;
pub mod ids;
pub mod limits;
pub mod metrics;
pub mod perms;
pub mod pictures;
pub mod prefix;
pub mod reference;
pub mod registry;
pub mod scheduler;
pub mod settings;
pub mod tables;
pub mod throttle;
pub mod ui;

#[cfg(test)]
mod tests {
    /// Architecture invariant: the kernel never imports a feature.
    #[test]
    fn the_kernel_never_imports_a_feature() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/kernel");
        let mut offenders = Vec::new();
        let mut stack = vec![dir];
        while let Some(d) = stack.pop() {
            for entry in std::fs::read_dir(&d).unwrap() {
                let p = entry.unwrap().path();
                if p.is_dir() {
                    stack.push(p);
                } else if p.extension().is_some_and(|e| e == "rs") {
                    let text = std::fs::read_to_string(&p).unwrap();
                    // Built from parts so that this file does not match itself.
                    let needles = [
                        ["crate::", "features"].concat(),
                        ["super::", "features"].concat(),
                    ];
                    if needles.iter().any(|n| text.contains(n.as_str())) {
                        offenders.push(p.display().to_string());
                    }
                }
            }
        }
        assert!(
            offenders.is_empty(),
            "kernel files importing features: {offenders:?}"
        );
    }
}
