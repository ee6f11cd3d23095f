use chronix_storage::{Storage, guild_settings};

both!(guild_settings_defaults_and_setters);

async fn guild_settings_defaults_and_setters(s: Storage) {
    let g = 555;
    let d = guild_settings::get(&s, g).await.unwrap();
    assert_eq!(d, guild_settings::GuildSettings::defaults(g));
    assert!(d.is_module_enabled("music"));

    let v = guild_settings::set_prefix(&s, g, Some("!".into()))
        .await
        .unwrap();
    assert_eq!(v.prefix.as_deref(), Some("!"));
    assert_eq!(
        guild_settings::get(&s, g).await.unwrap().prefix.as_deref(),
        Some("!")
    );
    guild_settings::set_prefix(&s, g, Some("   ".into()))
        .await
        .unwrap();
    assert_eq!(guild_settings::get(&s, g).await.unwrap().prefix, None);
    guild_settings::set_prefix(&s, g, Some("chro ".into()))
        .await
        .unwrap();
    guild_settings::set_prefix(&s, g, None).await.unwrap();
    assert_eq!(guild_settings::get(&s, g).await.unwrap().prefix, None);

    guild_settings::set_module_enabled(&s, g, "music", false)
        .await
        .unwrap();
    guild_settings::set_module_enabled(&s, g, "music", false)
        .await
        .unwrap();
    guild_settings::set_module_enabled(&s, g, "games", false)
        .await
        .unwrap();
    let v = guild_settings::get(&s, g).await.unwrap();
    assert_eq!(
        v.disabled_modules,
        vec!["games".to_string(), "music".to_string()]
    );
    assert!(!v.is_module_enabled("music"));
    guild_settings::set_module_enabled(&s, g, "music", true)
        .await
        .unwrap();
    assert_eq!(
        guild_settings::get(&s, g).await.unwrap().disabled_modules,
        vec!["games".to_string()]
    );

    guild_settings::set_error_log_channel(&s, g, Some(4242))
        .await
        .unwrap();
    guild_settings::set_log_channel(&s, g, "mod", Some(11))
        .await
        .unwrap();
    guild_settings::set_log_channel(&s, g, "invite", Some(12))
        .await
        .unwrap();
    guild_settings::set_log_channel(&s, g, "invite", None)
        .await
        .unwrap();
    guild_settings::set_dj_role(&s, g, Some(77)).await.unwrap();
    guild_settings::set_locale(&s, g, Some("fr".into()))
        .await
        .unwrap();
    guild_settings::set_ai_enabled(&s, g, true).await.unwrap();
    let v = guild_settings::get(&s, g).await.unwrap();
    assert_eq!(v.error_log_channel_id, Some(4242));
    assert_eq!(
        v.log_channels.into_iter().collect::<Vec<_>>(),
        vec![("mod".to_string(), 11)]
    );
    assert_eq!(
        (v.dj_role_id, v.locale.as_deref(), v.ai_enabled),
        (Some(77), Some("fr"), true)
    );
    assert_eq!(v.disabled_modules, vec!["games".to_string()]);
    // other guilds are untouched
    assert_eq!(
        guild_settings::get(&s, g + 1).await.unwrap(),
        guild_settings::GuildSettings::defaults(g + 1)
    );

    assert!(guild_settings::reset(&s, g).await.unwrap());
    assert_eq!(
        guild_settings::get(&s, g).await.unwrap(),
        guild_settings::GuildSettings::defaults(g)
    );
}
