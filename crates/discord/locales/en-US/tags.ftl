# The tags feature: tags and custom commands (issue 14).

## Commands (slash descriptions and help texts)
cmd-tag =
    .description = Tags: saved texts anyone can show with `tag <name>`.
cmd-tag-opt-name =
    .description = The tag's name
cmd-tag-opt-args =
    .description = Arguments ({"{"}args{"}"})
cmd-tag-show =
    .description = Show a tag.
cmd-tag-show-opt-name =
    .description = The tag's name
cmd-tag-show-opt-args =
    .description = Arguments ({"{"}args{"}"})
cmd-tag-create =
    .description = Create a tag: `tag create <name> [--embed] [--image <url>] <text>`.
cmd-tag-create-opt-name =
    .description = The tag's name
cmd-tag-create-opt-content =
    .description = Its text ({"{"}user{"}"}, {"{"}server{"}"}, {"{"}args{"}"}…); --embed, --image <url> first
cmd-tag-edit =
    .description = Change a tag's text (yours, or any with the server's tag level).
cmd-tag-edit-opt-name =
    .description = The tag's name
cmd-tag-edit-opt-content =
    .description = Its new text; --embed, --image <url> first
cmd-tag-delete =
    .description = Delete a tag (yours, or any with the server's tag level).
cmd-tag-delete-opt-name =
    .description = The tag's name
cmd-tag-info =
    .description = Who made a tag, how often it was used, and how it runs.
cmd-tag-info-opt-name =
    .description = The tag's name
cmd-tag-list =
    .description = List this server's tags.
cmd-tag-search =
    .description = Find tags by name.
cmd-tag-search-opt-query =
    .description = Part of a name
cmd-tag-trigger =
    .description = Make a tag answer a message that starts with its name (on or off).
cmd-tag-trigger-opt-name =
    .description = The tag's name
cmd-tag-trigger-opt-on =
    .description = on or off
cmd-tag-slash =
    .description = Register a tag as a slash command of this server, /<name> (on or off; 25 at most).
cmd-tag-slash-opt-name =
    .description = The tag's name
cmd-tag-slash-opt-on =
    .description = on or off
cmd-tag-cooldown =
    .description = Seconds a member waits between two uses of a tag as a custom command (0: none).
cmd-tag-cooldown-opt-name =
    .description = The tag's name
cmd-tag-cooldown-opt-seconds =
    .description = Seconds (0 to 86400)
cmd-tag-access =
    .description = Who may create tags and manage everyone's: everyone, manage_messages, manage_server, admin.
cmd-tag-access-opt-level =
    .description = everyone, manage_messages, manage_server or admin

## Names
tags-access-everyone = every member
tags-access-manage-messages = members with Manage Messages
tags-access-manage-server = members with Manage Server
tags-access-admin = administrators
tags-on = on
tags-off = off
tags-seconds = { $secs ->
    [0] none
    [one] 1 second
   *[other] { $secs } seconds
}

## Refusals
tags-refused-title = Tag
tags-name-empty = A tag needs a name.
tags-name-long = A tag name is at most { $max } characters.
tags-name-bad = A tag name holds only letters, digits, - and _ (no spaces).
tags-name-reserved = `{ $name }` is a `tag` subcommand: pick another name.
tags-empty = A tag needs a text or an image.
tags-too-long = A tag's text is at most { $max } characters.
tags-bad-image = The image must be an http(s) link.
tags-cooldown-long = A cooldown is at most { $max } seconds.
tags-exists = There is already a tag `{ $name }` on this server.
tags-no-tag = There is no tag `{ $name }` on this server (see `tag list`).
tags-slash-limit = This server has its { $max } custom slash commands already: turn one off first.
tags-need-level = Creating tags here is for { $level }.
tags-not-yours = This tag belongs to { $owner }: only they, or members who manage tags here, can change it.
tags-slash-collides = `/{ $name }` is one of my own commands: a tag cannot take its place.
tags-access-bad = The level is everyone, manage_messages, manage_server or admin.

## Commands
tags-intro-title = Tags
tags-intro = `tag <name>` shows a tag (also `chro <name>` when no command has that name). `tag create <name> <text>` makes one (`--embed`, `--image <url>` first; placeholders `{"{"}user{"}"}`, `{"{"}user.mention{"}"}`, `{"{"}server{"}"}`, `{"{"}channel{"}"}`, `{"{"}args{"}"}`, `{"{"}args.1{"}"}`…). `tag edit/delete/info/list/search`; custom commands: `tag trigger <name> on`, `tag slash <name> on`, `tag cooldown <name> <seconds>`.
tags-created-title = Tag created
tags-created = `{ $name }` is ready: `tag { $name }` shows it.
tags-edited-title = Tag changed
tags-edited = `{ $name }` has its new text.
tags-deleted-title = Tag deleted
tags-deleted = `{ $name }` is gone.
tags-info-title = Tag { $name }
tags-field-owner = Owner
tags-field-uses = Uses
tags-field-created = Created
tags-field-trigger = Trigger word
tags-field-slash = Slash command
tags-field-cooldown = Cooldown
tags-list-title = Tags
tags-list-none = No tag yet: `tag create <name> <text>` makes one.
tags-list = { $count ->
    [one] 1 tag
   *[other] { $count } tags
}: { $names }
tags-search-title = Tags found
tags-search-none = No tag has that in its name.
tags-updated-title = Tag updated
tags-trigger-set = Trigger word for `{ $name }`: { $state }.
tags-slash-on = `/{ $name }` is now a slash command of this server.
tags-slash-off = `/{ $name }` is no longer a slash command.
tags-cooldown-set = Cooldown of `{ $name }`: { $secs ->
    [0] none
    [one] 1 second
   *[other] { $secs } seconds
}.
tags-access-set = Tags can now be created by { $level }.
tags-cooldown-title = Slow down
tags-on-cooldown = `{ $name }` was used a moment ago: try again shortly.
tags-slash-description = A custom command of this server
tags-slash-args = Arguments
