# The general feature.

## Commands (slash descriptions and help texts)
cmd-help =
    .description = Show every command by module, or details of one command.
cmd-ping =
    .description = Check the bot's latency: gateway heartbeat, REST round-trip and database.
cmd-about =
    .description = About Chronix: version, uptime, guilds, memory and commands run.
cmd-devstats =
    .description = Developer view of command metrics: count, errors, refusals and mean latency.
cmd-prefix =
    .description = Show or change this server's command prefix.
cmd-prefix-show =
    .description = Show the prefixes that work here.
cmd-prefix-set =
    .description = Set a custom prefix for this server (it replaces the default one).
cmd-prefix-reset =
    .description = Go back to the default prefix.
cmd-module =
    .description = Switch Chronix modules on or off for this server.
cmd-module-list =
    .description = List the modules and whether they are on here.
cmd-module-enable =
    .description = Turn a module back on for this server.
cmd-module-disable =
    .description = Turn a module off for this server.
cmd-errorlog =
    .description = Choose where error reports for this server go.
cmd-errorlog-set =
    .description = Send error reports (with their error ids) to a channel.
cmd-errorlog-clear =
    .description = Stop sending error reports to a channel.
cmd-language =
    .description = Show or change the language Chronix answers in on this server.
cmd-language-show =
    .description = Show this server's language.
cmd-language-set =
    .description = Set the language Chronix answers in on this server.
cmd-language-reset =
    .description = Go back to English (the default) on this server.

## language
general-language-title = Language
general-language-show = Chronix answers in { $language } on this server. Slash commands answer in each user's Discord language when Chronix speaks it.
general-language-show-default = No language is set on this server: Chronix answers in English. Slash commands answer in each user's Discord language when Chronix speaks it.
general-language-available = Available
general-language-set-title = Language updated
general-language-set = Chronix now answers in { $language } on this server.
general-language-reset-title = Language reset
general-language-reset = Chronix answers in English again on this server.
general-language-unsupported = Chronix does not speak `{ $code }`. Available: { $available }.

## prefix
general-prefix-title = Prefix
general-prefix-show-custom = Commands here start with { $list } (custom prefix). Mentioning me and `/` commands always work.
general-prefix-show-default = Commands here start with { $list } (default prefix). Mentioning me and `/` commands always work.
general-prefix-set-title = Prefix updated
general-prefix-set = Commands here now start with `{ $prefix }` (for example `{ $example }`). The default `{ $default }` no longer works on this server; `prefix reset` brings it back.
general-prefix-reset-title = Prefix reset
general-prefix-reset = Commands here start with `{ $default }` again.

## module
general-module-title = Modules
general-module-always-on = ✅ `{ $name }`: always on
general-module-off-bot = ⛔ `{ $name }`: off for the whole bot (`{ $key }=false`)
general-module-off-here = ❌ `{ $name }`: disabled on this server
general-module-on = ✅ `{ $name }`: on
general-module-footer = Admins: module enable <name> / module disable <name>
general-module-core = The general module cannot be switched off.
general-module-unknown = there is no module called `{ $name }`. Modules: { $modules }.
general-module-enabled-title = Module enabled
general-module-enabled = `{ $name }` is on again on this server.
general-module-enabled-off-title = Module enabled, but off for the whole bot
general-module-enabled-off = `{ $name }` is allowed on this server, but the bot runs with it switched off; the bot owner has to turn it on.
general-module-disabled-title = Module disabled
general-module-disabled = `{ $name }` is off on this server; its commands now answer with a refusal. `module enable { $name }` turns it back on.

## errorlog
general-errorlog-other-server = that channel is not on this server
general-errorlog-set-title = Error log set
general-errorlog-set = Error reports for this server now go to { $channel }.
general-errorlog-cleared-title = Error log cleared
general-errorlog-cleared = Error reports are only logged now.

## help
general-help-aliases-inline = {" "}(aliases: { $aliases })
general-help-module-disabled = ❌ This module is disabled on this server (`module enable { $feature }`).
general-help-page-title = Chronix help: { $feature } ({ $page }/{ $pages })
general-help-page-footer = Page { $page }/{ $pages } • { $help } <command> for details
general-help-title = Chronix help
general-help-none = No commands are available.
general-help-no-description = No description.
general-help-details-title = Help: { $command }
general-help-usage = Usage
general-help-slash = Slash
general-help-no-aliases = none
general-help-aliases = Aliases
general-help-tier = Tier
general-help-module = Module
general-help-subcommands = Subcommands
general-help-unknown-title = No such command
general-help-unknown = There is no command called `{ $command }`. `{ $help }` lists them all.

## ping, about, devstats
general-ping-title = Pong!
general-ping-gateway = Gateway heartbeat
general-ping-rest = REST round-trip
general-ping-database = Database
general-ping-first-heartbeat = connected (first heartbeat pending)
general-ping-reconnecting = reconnecting
general-ping-failed = ⚠️ unavailable (details in the log)
general-about-title = About Chronix
general-about-text = An all-in-one Discord bot: gameplay, economy, moderation and more.
general-about-unknown = unknown
general-about-version = Version
general-about-uptime = Uptime
general-about-guilds = Guilds
general-about-memory = Memory
general-about-commands-run = Commands run
general-about-features = Features
general-devstats-title = Command metrics
general-devstats-line = `{ $name }`: { $count } run, { $errors } errors, { $refused } refused, { $mean } ms mean
general-devstats-none = No commands recorded yet.
general-devstats-in-flight = In flight
general-devstats-total = Total
