# The reactionroles feature: reaction roles and button roles (issue 14).

## Commands (slash descriptions and help texts)
cmd-rr =
    .description = Reaction roles and button roles: panels members pick their roles from.
cmd-rr-setup =
    .description = Build a role panel step by step (mode, roles, emojis, message).
cmd-rr-list =
    .description = List this server's role panels.
cmd-rr-edit =
    .description = Change a panel's title, text, mode, cap, or roles (addrole, removerole, emoji).
cmd-rr-edit-opt-panel =
    .description = The panel's number (see rr list)
cmd-rr-edit-opt-field =
    .description = title, text, mode, max, addrole, removerole or emoji
cmd-rr-edit-opt-value =
    .description = The new value
cmd-rr-delete =
    .description = Delete a role panel and its message (members keep their roles).
cmd-rr-delete-opt-panel =
    .description = The panel's number (see rr list)

## Names
rr-mode-toggle = Toggle (add and remove)
rr-mode-single = Single (one role at a time)
rr-mode-verify = Verify (add only)
rr-delivery-reactions = Reactions
rr-delivery-buttons = Buttons
rr-delivery-select = Select menu
rr-none = none

## Refusals
rr-refused-title = Not possible
rr-no-panel = There is no role panel with that number on this server (see `rr list`).
rr-role-above-bot = The role **{ $role }** is at or above my highest role, so Discord does not let me give it. Move my role above it in Server Settings → Roles, or pick another role.
rr-role-managed = The role **{ $role }** is managed by an integration (a bot's own role or the booster role): nobody can give it.
rr-role-everyone = @everyone is every member's role already: it cannot be handed out.
rr-role-unknown = The role { $role } no longer exists.
rr-cannot-give = I cannot change this role: { $reason }
rr-max-reached = You already have { $max ->
    [one] the one role
   *[other] { $max } roles
} this panel allows: remove one first.
rr-verify-keeps = This panel only gives roles: it does not take them back.
rr-too-many = Pick at most { $max ->
    [one] one role
   *[other] { $max } roles
} on this panel.
rr-dm-refused = Your choice on the panel **{ $title }** changed nothing: { $reason }
rr-panel-no-role = Pick at least one role.
rr-panel-too-many = A panel of this kind holds at most { $max } roles.
rr-panel-duplicate-role = The role { $role } is listed twice.
rr-panel-duplicate-emoji = The emoji { $emoji } is used for two roles: each reaction needs its own.
rr-panel-missing-emoji = The role { $role } has no emoji: a reaction panel needs one per role.
rr-panel-empty-title = The title cannot be empty.
rr-panel-title-long = The title is longer than { $max } characters.
rr-panel-text-long = The text is longer than { $max } characters.
rr-panel-label-long = A label is longer than { $max } characters.
rr-panel-max-above = The cap per member cannot be above the number of roles ({ $roles }).
rr-edit-bad-mode = The mode is toggle, single or verify.
rr-edit-bad-max = The cap is a number from 0 (no cap) to the number of roles.

## Use
rr-done-title = Roles updated
rr-added = You now have { $roles }.
rr-removed = You no longer have { $roles }.
rr-added-removed = You now have { $added } instead of { $removed }.
rr-unchanged = Nothing changed: you already have what you picked.
rr-select-placeholder = Pick your roles
rr-hint-toggle = React or click to get a role; again to remove it.
rr-hint-toggle-max = React or click to get a role (at most { $max }); again to remove it.
rr-hint-single = One role at a time: picking one replaces the other.
rr-hint-verify = Pick to get the role; it stays.

## Commands
rr-intro-title = Reaction roles
rr-intro = `rr setup` builds a panel (reactions, buttons or a select menu; toggle, single or verify mode; a cap per member). `rr list` shows the panels, `rr edit <panel> <title|text|mode|max> <value>` changes one, `rr delete <panel>` removes one.
rr-list-title = Role panels
rr-list-none = No role panel yet: `rr setup` builds one.
rr-list-line = **#{ $id }** { $title } · { $mode } · { $delivery } · cap { $max }
    { $roles }
    { $link }
rr-edited-title = Panel updated
rr-edited = Panel #{ $id } and its message are updated.
rr-deleted-title = Panel deleted
rr-deleted = Panel #{ $id } and its message are gone; members keep their roles.

## Setup wizard
rr-setup-title = Role panel setup
rr-setup-how-title = How members pick
rr-setup-how = Choose the mode (toggle: add and remove; single: one role at a time; verify: add only), how members pick (reactions, buttons or a select menu) and, if you want, a cap of roles per member.
rr-setup-mode = Mode
rr-setup-delivery = Reactions, buttons or select menu
rr-setup-max = Most roles per member
rr-setup-max-none = No cap
rr-setup-max-option = At most { $count }
rr-setup-roles-title = Roles
rr-setup-roles = Pick the roles of the panel (at most { $max }). I can only give roles below my highest role.
rr-setup-roles-pick = Pick roles
rr-setup-no-roles = This server has no role I could offer: create some first.
rr-setup-emojis-title = Emojis and labels
rr-setup-emojis = One line per role, in order: an emoji (a server emoji like `<:name:id>` works too; `-` for none on buttons and menus), then the label. Reaction panels need an emoji per role.
rr-setup-emojis-edit = Edit emojis and labels
rr-setup-emojis-label = One line per role: emoji label
rr-setup-bad-emoji = Line { $line } does not start with an emoji.
rr-setup-message-title = Panel message
rr-setup-message = The title and text of the panel; the roles are listed under the text.
rr-setup-message-edit = Edit the message
rr-field-mode = Mode
rr-field-delivery = Members pick with
rr-field-max = Most roles per member
rr-field-roles = Roles
rr-field-title = Title
rr-field-text = Text
rr-default-title = Pick your roles
rr-default-text = Choose the roles you want below.
rr-setup-done-title = Panel posted
rr-setup-done = Panel #{ $id } is live in { $channel }.

# rr edit: the roles of a panel.
rr-edit-bad-role = Start the value with the role: a mention or its id (`rr edit 1 addrole @Role 🎮 Gamers`).
rr-edit-bad-emoji = { $emoji } is not an emoji (type one, or a server emoji like `<:name:id>`).
rr-edit-not-on-panel = The role { $role } is not on this panel.
