//! Chronix configuration: defaults, .env, environment; secrets redacted.
