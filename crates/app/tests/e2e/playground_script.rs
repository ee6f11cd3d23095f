//! The playground (`chronix sandbox`) driven by a script, as with piped standard input.

use std::io::Write;
use std::sync::{Arc, Mutex};

use chronix_config::Config;

#[derive(Clone, Default)]
struct Transcript(Arc<Mutex<Vec<u8>>>);

impl Write for Transcript {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[tokio::test]
async fn a_scripted_playground_session() {
    let dir = std::env::temp_dir().join(format!("chronix-playground-{}", std::process::id()));
    let mut raw = std::collections::HashMap::new();
    raw.insert("DATA_DIR".to_string(), dir.display().to_string());
    // Payments above 20 ask for a confirmation click.
    raw.insert("ECONOMY_PAY_CONFIRM_ABOVE".to_string(), "20".to_string());
    let config = Config::from_values(&raw).unwrap();
    let script = "chro ping\n/help\n!click Next\n!as alice chro prefix set !\n/bot prefix show\n\
                  chro daily\nchro pay @alice 50\n!as alice !click Confirm\n!click Confirm\n\
                  /pay bob 10\n!as carol chro ping\n!as carol !join-voice lounge\n\
                  !quit\nchro never-read\n";
    let transcript = Transcript::default();
    crate::playground::run_with(
        config,
        tokio::io::BufReader::new(script.as_bytes()),
        Box::new(transcript.clone()),
        false,
    )
    .await
    .unwrap();
    let text = String::from_utf8(transcript.0.lock().unwrap().clone()).unwrap();
    let _ = std::fs::remove_dir_all(&dir);
    println!("{text}");
    let mut at = 0;
    for expected in [
        "#general> chro ping",
        "── Chronix in #general ──",
        "Pong!",
        "#general> /help",
        "Chronix help: general (1/",
        "[ Next ▶ ]",
        "#general> !click Next",
        "── Chronix in #general (edited) ──",
        "Chronix help: misc (2/",
        "#general> !as alice chro prefix set !",
        "Not allowed",
        "#general> /bot prefix show",
        "`chro`",
        "#general> chro daily",
        // A typed @alice is sent as a mention (the bot understands it) and shown by name; the
        // confirmation's <t:…:R> reads as a client shows it.
        "#general> chro pay @alice 50",
        "Pay **50 💠** to @alice?",
        "This expires in 1 minute.",
        "[ Confirm ] [ Cancel ]",
        // A member's click is alice's, not the owner's.
        "#general> !as alice !click Confirm",
        "(only you can see this)",
        "Only @you can answer this.",
        "#general> !click Confirm",
        "── Chronix in #general (edited) ──",
        "@you paid **50 💠** to @alice.",
        "#general> /pay bob 10",
        "@you paid **10 💠** to @bob.",
        // A new name joins by an invite, then acts.
        "#general> !as carol chro ping",
        "(carol joined the guild with invite play3)",
        "Pong!",
        "#general> !as carol !join-voice lounge",
        "(carol joined voice lounge)",
    ] {
        match text[at..].find(expected) {
            Some(i) => at += i + expected.len(),
            None => panic!("{expected:?} missing (in order) from the transcript:\n{text}"),
        }
    }
    assert!(
        !text.contains("never-read"),
        "input after !quit is not read:\n{text}"
    );
}
