use chronix_core::ids::{ChannelId, GuildId, RoleId};
use chronix_storage::{Storage, guild_settings};

both!(guild_settings_defaults_and_setters);

async fn guild_settings_defaults_and_setters(s: Storage) {
    let g = 555;
    let d = guild_settings::get(&s, GuildId::new(g)).await.unwrap();
    assert_eq!(d, guild_settings::GuildSettings::defaults(GuildId::new(g)));
    assert!(d.is_module_enabled("music"));

    let v = guild_settings::set_prefix(&s, GuildId::new(g), Some("!".into()))
        .await
        .unwrap();
    assert_eq!(v.prefix.as_deref(), Some("!"));
    assert_eq!(
        guild_settings::get(&s, GuildId::new(g))
            .await
            .unwrap()
            .prefix
            .as_deref(),
        Some("!")
    );
    guild_settings::set_prefix(&s, GuildId::new(g), Some("   ".into()))
        .await
        .unwrap();
    assert_eq!(
        guild_settings::get(&s, GuildId::new(g))
            .await
            .unwrap()
            .prefix,
        None
    );
    guild_settings::set_prefix(&s, GuildId::new(g), Some("chro ".into()))
        .await
        .unwrap();
    guild_settings::set_prefix(&s, GuildId::new(g), None)
        .await
        .unwrap();
    assert_eq!(
        guild_settings::get(&s, GuildId::new(g))
            .await
            .unwrap()
            .prefix,
        None
    );

    guild_settings::set_module_enabled(&s, GuildId::new(g), "music", false)
        .await
        .unwrap();
    guild_settings::set_module_enabled(&s, GuildId::new(g), "music", false)
        .await
        .unwrap();
    guild_settings::set_module_enabled(&s, GuildId::new(g), "games", false)
        .await
        .unwrap();
    let v = guild_settings::get(&s, GuildId::new(g)).await.unwrap();
    assert_eq!(
        v.disabled_modules,
        vec!["games".to_string(), "music".to_string()]
    );
    assert!(!v.is_module_enabled("music"));
    guild_settings::set_module_enabled(&s, GuildId::new(g), "music", true)
        .await
        .unwrap();
    assert_eq!(
        guild_settings::get(&s, GuildId::new(g))
            .await
            .unwrap()
            .disabled_modules,
        vec!["games".to_string()]
    );

    guild_settings::set_error_log_channel(&s, GuildId::new(g), Some(ChannelId::new(4242)))
        .await
        .unwrap();
    guild_settings::set_log_channel(&s, GuildId::new(g), "mod", Some(ChannelId::new(11)))
        .await
        .unwrap();
    guild_settings::set_log_channel(&s, GuildId::new(g), "invite", Some(ChannelId::new(12)))
        .await
        .unwrap();
    guild_settings::set_log_channel(&s, GuildId::new(g), "invite", None)
        .await
        .unwrap();
    guild_settings::set_dj_role(&s, GuildId::new(g), Some(RoleId::new(77)))
        .await
        .unwrap();
    guild_settings::set_locale(&s, GuildId::new(g), Some("fr".into()))
        .await
        .unwrap();
    guild_settings::set_ai_enabled(&s, GuildId::new(g), true)
        .await
        .unwrap();
    let v = guild_settings::get(&s, GuildId::new(g)).await.unwrap();
    assert_eq!(v.error_log_channel_id, Some(ChannelId::new(4242)));
    assert_eq!(
        v.log_channels.into_iter().collect::<Vec<_>>(),
        vec![("mod".to_string(), 11)]
    );
    assert_eq!(
        (v.dj_role_id, v.locale.as_deref(), v.ai_enabled),
        (Some(RoleId::new(77)), Some("fr"), true)
    );
    assert_eq!(v.disabled_modules, vec!["games".to_string()]);
    // other guilds are untouched
    assert_eq!(
        guild_settings::get(&s, GuildId::new(g + 1)).await.unwrap(),
        guild_settings::GuildSettings::defaults(GuildId::new(g + 1))
    );

    assert!(guild_settings::reset(&s, GuildId::new(g)).await.unwrap());
    assert_eq!(
        guild_settings::get(&s, GuildId::new(g)).await.unwrap(),
        guild_settings::GuildSettings::defaults(GuildId::new(g))
    );
}
