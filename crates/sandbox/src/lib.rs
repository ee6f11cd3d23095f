//! A Discord-compatible REST + gateway server on 127.0.0.1, with a test driver.
