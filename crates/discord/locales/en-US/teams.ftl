# The teams feature: small groups that hunt together.

## Commands (slash descriptions and help texts)
cmd-team =
    .description = Teams: small groups that hunt together and share the loot.
cmd-team-info =
    .description = Your team and its members.
cmd-team-create =
    .description = Start a team (you lead it).
cmd-team-create-opt-name =
    .description = The team's name (3 to 24 characters)
cmd-team-invite =
    .description = Invite a player to your team (leader).
cmd-team-invite-opt-member =
    .description = The player
cmd-team-join =
    .description = Join the team of a member who invited you.
cmd-team-join-opt-member =
    .description = A member of the team
cmd-team-leave =
    .description = Leave your team (a leader hands it to the next member).
cmd-team-disband =
    .description = Disband your team (leader).
cmd-team-hunt =
    .description = Hunt together: every member off cooldown hunts; the loot and XP are shared.

## Refusals
teams-not-in-team = You are not in a team. Start one with `team create <name>`.
teams-already-in-team = You are already in a team (leave it first with `team leave`).
teams-target-in-team = { $user } is already in a team.
teams-not-leader = Only the team's leader can do that.
teams-no-invite = You have no invite to that team: its leader invites you with `team invite`.
teams-full = The team is full ({ $max } members).
teams-not-enough-present = A team hunt needs at least 2 members off their hunt cooldown (now: { $present }).
teams-yourself = Not yourself.
teams-bad-name = A team name has 3 to 24 characters: letters, digits, spaces and - _ ' .

## Replies
teams-info-title = Team { $name }
teams-info-footer = { $count }/{ $max } members
teams-created = You lead **{ $name }**. Invite players with `team invite @player`.
teams-invited-title = Team invitation
teams-invited = { $user } can join **{ $name }** with `team join { $leader }`.
teams-joined = You joined **{ $name }**.
teams-left-title = Team left
teams-left = You left your team.
teams-disbanded-title = Team disbanded
teams-disbanded = **{ $name }** is no more.
teams-hunt-title = Team hunt: { $name }
teams-hunt-text = { $count } members hunted together (+{ $bonus } % team bonus); everything is shared equally.
teams-hunt-shares = Shares
teams-hunt-share = { $user }: +{ $xp } XP · +{ $chrons } (wallet { $balance })

## Team battles (the panel is the battles feature's)
cmd-team-battle =
    .description = Fight together: every member not in another battle joins; the enemy is scaled to the team.
cmd-team-battle-opt-kind =
    .description = What you fight: wild or boss
    .choice-wild = Wild
    .choice-boss = Boss
teams-battle-not-enough-free = A team battle needs at least 2 members who are not in another battle (now: { $free }).
teams-battle-off = Battles are switched off here.
