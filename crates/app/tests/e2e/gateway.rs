//! Gateway trouble and shutdown.

use std::time::Duration;

use crate::helpers::*;

#[tokio::test]
async fn a_dropped_gateway_connection_resumes_and_commands_are_answered() {
    let w = World::start().await;
    let m = w.say(w.member, "chro ping").await;
    assert_eq!(title(&m), "ℹ️ Pong!");
    w.sb.drop_gateway().await;
    // Sent while the bot is disconnected: buffered and replayed on RESUME.
    w.sb.send_message(w.member, w.guild.general, "chro ping");
    let m =
        w.sb.wait_for_message(w.guild.general, Duration::from_secs(20))
            .await
            .expect("answered after reconnecting");
    assert_eq!(title(&m), "ℹ️ Pong!");
    assert!(w.sb.connected_sessions() >= 1);
    let m = w.say(w.member, "chro ping").await;
    assert_eq!(title(&m), "ℹ️ Pong!");
}

#[tokio::test]
async fn shutdown_closes_the_gateway() {
    let mut w = World::start().await;
    assert!(w.bot().wait_connected(Duration::from_secs(5)).await);
    let data = w.bot().data().clone();
    let bot = w.bot.take().unwrap();
    bot.shutdown().await;
    assert!(data.is_shutting_down());
    let end = std::time::Instant::now() + Duration::from_secs(5);
    while w.sb.connected_sessions() > 0 && std::time::Instant::now() < end {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert_eq!(w.sb.connected_sessions(), 0);
    w.say_expect_silence(w.member, "chro ping").await;
}

#[tokio::test]
async fn shutdown_finishes_in_flight_commands_and_refuses_new_ones() {
    let mut w = World::start().await;
    let data = w.bot().data().clone();
    w.sb.send_message(w.member, w.guild.general, "chro snooze");
    let end = std::time::Instant::now() + Duration::from_secs(5);
    while data.metrics().in_flight() == 0 && std::time::Instant::now() < end {
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    assert_eq!(data.metrics().in_flight(), 1, "snooze is running");
    let bot = w.bot.take().unwrap();
    let stopping = tokio::spawn(bot.shutdown());
    while !data.is_shutting_down() {
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    let m = w.say(w.member, "chro ping").await;
    assert_eq!(title(&m), "❌ Restarting", "no new commands while stopping");
    let m =
        w.sb.wait_for_message(w.guild.general, REPLY)
            .await
            .expect("the in-flight command finishes");
    assert_eq!(title(&m), "ℹ️ Awake");
    stopping.await.unwrap();
    assert_eq!(data.metrics().in_flight(), 0);
    let end = std::time::Instant::now() + Duration::from_secs(5);
    while w.sb.connected_sessions() > 0 && std::time::Instant::now() < end {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert_eq!(
        w.sb.connected_sessions(),
        0,
        "gateway closed after the command finished"
    );
}
