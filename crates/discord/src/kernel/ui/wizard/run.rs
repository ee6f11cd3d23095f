//! Running a wizard: opening it, applying clicks and modal submissions, expiring it.

use super::*;

/// Opens wizard `name` for the author of `ctx` with `state`: stores it, sends its first step as
/// the reply and schedules its expiry. Returns its id.
pub async fn start<S: Serialize>(
    ctx: crate::Context<'_>,
    name: &str,
    state: &S,
) -> Result<WizardId, Error> {
    let data = ctx.data();
    let Some(def) = data.registry().wizard(name).cloned() else {
        anyhow::bail!("no wizard called {name}");
    };
    let l = crate::kernel::i18n::locale_of(ctx);
    let now = Utc::now();
    let w = store::create(
        data.storage(),
        NewWizard {
            kind: name.to_string(),
            owner: ctx.author().id.core(),
            guild: ctx.guild_id().map(ToCore::core),
            channel: Some(ctx.channel_id().core()),
            state: serde_json::to_value(state)?,
            expires_at: now + def.ttl,
        },
        now,
    )
    .await?;
    // Queued first: a wizard whose message could not be sent still expires.
    schedule_expiry(data, w.id, w.expires_at).await?;
    let (embed, rows) = render(&def, &w, l)?;
    let handle = ctx.send(embeds::reply(embed).components(rows)).await?;
    let msg = handle.message().await?;
    store::set_message(data.storage(), w.id, msg.channel_id.core(), msg.id.core()).await?;
    Ok(w.id)
}

/// Queues the expiry job of wizard `id` at `at`.
async fn schedule_expiry(data: &Data, id: WizardId, at: DateTime<Utc>) -> Result<(), Error> {
    crate::scheduler::enqueue(
        data,
        EXPIRE_JOB,
        serde_json::json!({ "id": id.get() }),
        at,
        Some(format!("{EXPIRE_JOB}:{id}@{}", at.timestamp_millis())),
    )
    .await?;
    Ok(())
}

/// The job: expires every wizard past its expiry and strips its message; if this job's wizard
/// was touched meanwhile (sliding expiry), queues the job again at its new expiry.
pub fn expire_job<'a>(
    ctx: &'a crate::scheduler::JobContext,
    job: &'a chronix_storage::jobs::Job,
) -> BoxFuture<'a, Result<(), Error>> {
    Box::pin(async move {
        let data = &ctx.data;
        loop {
            let swept = store::expire_due(data.storage(), ctx.now, SWEEP).await?;
            let n = swept.len();
            for w in swept {
                strip(ctx, &w).await?;
            }
            if n < SWEEP as usize {
                break;
            }
        }
        if let Some(id) = job.payload["id"].as_i64() {
            if let Some(w) = store::get(data.storage(), WizardId::new(id)).await? {
                if w.status == Status::Open {
                    schedule_expiry(data, w.id, w.expires_at).await?;
                }
            }
        }
        Ok(())
    })
}

/// Edits an expired wizard's message to say so, without components (a deleted message or
/// channel is fine).
async fn strip(ctx: &crate::scheduler::JobContext, w: &Wizard) -> Result<(), Error> {
    let (Some(channel), Some(message)) = (w.channel, w.message) else {
        return Ok(());
    };
    let l = crate::kernel::i18n::guild_locale(&ctx.data, w.guild.map(|g| g.get())).await;
    let def = ctx.data.registry().wizard(&w.kind);
    let embed = closed_panel(def, Status::Expired, l);
    let edit = serenity::EditMessage::new()
        .embed(embed.into())
        .components(Vec::new());
    match channel
        .discord()
        .edit_message(ctx.http.as_ref(), message.discord(), edit)
        .await
    {
        Ok(_) => Ok(()),
        Err(serenity::Error::Http(serenity::HttpError::UnsuccessfulRequest(r)))
            if matches!(r.status_code.as_u16(), 403 | 404) =>
        {
            Ok(())
        }
        Err(e) => Err(e.into()),
    }
}

/// How the kernel answers a click.
enum Answer {
    /// Edit the panel.
    Update(Embed, Vec<serenity::CreateActionRow>),
    /// Open a modal.
    Modal(serenity::CreateModal),
}

/// Applies one action of `user` (see the module docs).
async fn act(
    data: &Data,
    user: serenity::UserId,
    id: WizardId,
    version: i64,
    action: Action,
    input: Option<Input>,
    l: Locale,
) -> Result<Answer, Error> {
    let gone = || -> Error { UserError::msg(tr!(l, "button-no-longer-valid")).into() };
    let Some(w) = store::get(data.storage(), id).await? else {
        return Err(gone());
    };
    if w.owner != user.core() {
        return Err(UserError::Refused {
            title: tr!(l, "pager-not-yours-title"),
            text: tr!(l, "wizard-not-yours", owner = format!("<@{}>", w.owner)),
        }
        .into());
    }
    let Some(def) = data.registry().wizard(&w.kind).cloned() else {
        return Err(gone());
    };
    let now = Utc::now();
    let stale = || -> Error {
        UserError::Refused {
            title: tr!(l, "wizard-stale-title"),
            text: tr!(l, "wizard-stale"),
        }
        .into()
    };
    if w.status != Status::Open {
        return closed(&def, &w, l);
    }
    if w.expires_at <= now {
        // The job marks it expired (and edits the message again, to the same).
        return Ok(Answer::Update(
            closed_panel(Some(&def), Status::Expired, l),
            Vec::new(),
        ));
    }
    if w.version != version {
        return Err(stale());
    }
    let n = def.steps;
    let step = w.step as usize;
    let expires = now + def.ttl;
    let outcome = match action {
        Action::Back => {
            store::advance(
                data.storage(),
                id,
                version,
                w.step.saturating_sub(1),
                &w.state,
                expires,
                now,
            )
            .await?
        }
        Action::Next => {
            if step > n || (step < n && !def.inner.ready(step, &w.state)?) {
                return Err(UserError::Refused {
                    title: tr!(l, "wizard-incomplete-title"),
                    text: tr!(l, "wizard-incomplete"),
                }
                .into());
            }
            store::advance(
                data.storage(),
                id,
                version,
                w.step + 1,
                &w.state,
                expires,
                now,
            )
            .await?
        }
        Action::Cancel => {
            store::finish(data.storage(), id, version, Status::Cancelled, now).await?
        }
        Action::Confirm => {
            if step != n + 1 {
                return Err(gone());
            }
            match store::finish(data.storage(), id, version, Status::Done, now).await? {
                Outcome::Applied(done) => {
                    crate::audit::record(
                        data,
                        crate::audit::Audit::new(done.owner, done.guild, "wizard.confirm")
                            .target(&done.kind)
                            .with("wizard", done.id.get())
                            .after(done.state.clone()),
                    )
                    .await?;
                    let result = def.inner.confirm(data, &done, l).await?;
                    return Ok(Answer::Update(result, Vec::new()));
                }
                other => other,
            }
        }
        Action::OpenModal(key) => {
            if step >= n {
                return Err(gone());
            }
            let view = def.inner.draw(step, &w.state, l)?;
            let Some(spec) = view.controls.into_iter().find_map(|c| match c {
                Control::Modal(m) if m.key == key => Some(m),
                _ => None,
            }) else {
                return Err(gone());
            };
            let rows = spec
                .fields
                .iter()
                .map(|f| {
                    let style = if f.long {
                        serenity::InputTextStyle::Paragraph
                    } else {
                        serenity::InputTextStyle::Short
                    };
                    let mut t = serenity::CreateInputText::new(style, &f.label, f.key)
                        .required(f.required)
                        .max_length(f.max_len);
                    if let Some(v) = &f.value {
                        t = t.value(v);
                    }
                    serenity::CreateActionRow::InputText(t)
                })
                .collect();
            let modal = serenity::CreateModal::new(
                custom_id(id, version, &Action::Submit(key)),
                embeds::truncate(&spec.title, 45),
            )
            .components(rows);
            return Ok(Answer::Modal(modal));
        }
        Action::Select(_) | Action::Button(_) | Action::Submit(_) => {
            let Some(input) = input else {
                return Err(gone());
            };
            if step >= n {
                return Err(gone());
            }
            let state = match def.inner.input(step, &w.state, &input, l)? {
                Ok(s) => s,
                Err(refusal) => return Err(refusal.into()),
            };
            store::advance(data.storage(), id, version, w.step, &state, expires, now).await?
        }
    };
    match outcome {
        Outcome::Applied(w) if w.status == Status::Open => {
            let (embed, rows) = render(&def, &w, l)?;
            Ok(Answer::Update(embed, rows))
        }
        Outcome::Applied(w) | Outcome::Closed(w) => closed(&def, &w, l),
        Outcome::Expired(_) => Ok(Answer::Update(
            closed_panel(Some(&def), Status::Expired, l),
            Vec::new(),
        )),
        Outcome::Stale(_) => Err(stale()),
        Outcome::Missing => Err(gone()),
    }
}

/// A click on a wizard that is no longer open: a cancelled or expired panel is drawn closed
/// (again); a confirmed one keeps the feature's result and the click is told it is finished.
fn closed(def: &WizardDef, w: &Wizard, l: Locale) -> Result<Answer, Error> {
    match w.status {
        Status::Done => Err(UserError::msg(tr!(l, "wizard-closed")).into()),
        status => Ok(Answer::Update(
            closed_panel(Some(def), status, l),
            Vec::new(),
        )),
    }
}

fn response(answer: Answer) -> serenity::CreateInteractionResponse {
    match answer {
        Answer::Update(embed, rows) => serenity::CreateInteractionResponse::UpdateMessage(
            serenity::CreateInteractionResponseMessage::new()
                .embed(embed.into())
                .components(rows)
                .allowed_mentions(embeds::no_mentions()),
        ),
        Answer::Modal(m) => serenity::CreateInteractionResponse::Modal(m),
    }
}

/// The kernel's handler for every wizard button and select.
pub fn on_click<'a>(
    ctx: &'a serenity::Context,
    ci: &'a serenity::ComponentInteraction,
    data: &'a Data,
) -> BoxFuture<'a, Result<(), Error>> {
    Box::pin(async move {
        let l = crate::kernel::i18n::locale_of_interaction(data, ci).await;
        let Some((id, version, action)) = parse(&ci.data.custom_id) else {
            return Err(UserError::msg(tr!(l, "button-no-longer-valid")).into());
        };
        let input = match (&action, &ci.data.kind) {
            (
                Action::Select(key),
                serenity::ComponentInteractionDataKind::StringSelect { values },
            ) => Some(Input::Select {
                key: key.clone(),
                values: values.clone(),
            }),
            (Action::Button(key), _) => Some(Input::Button { key: key.clone() }),
            _ => None,
        };
        let answer = act(data, ci.user.id, id, version, action, input, l).await?;
        ci.create_response(&ctx.http, response(answer)).await?;
        Ok(())
    })
}

/// The kernel's handler for every wizard modal.
pub fn on_modal<'a>(
    ctx: &'a serenity::Context,
    mi: &'a serenity::ModalInteraction,
    data: &'a Data,
) -> BoxFuture<'a, Result<(), Error>> {
    Box::pin(async move {
        let l = crate::kernel::i18n::locale_of_interaction(data, mi).await;
        let Some((id, version, Action::Submit(key))) = parse(&mi.data.custom_id) else {
            return Err(UserError::msg(tr!(l, "button-no-longer-valid")).into());
        };
        let values = mi
            .data
            .components
            .iter()
            .flat_map(|row| row.components.iter())
            .filter_map(|c| match c {
                serenity::ActionRowComponent::InputText(t) => {
                    Some((t.custom_id.clone(), t.value.clone().unwrap_or_default()))
                }
                _ => None,
            })
            .collect();
        let input = Input::Modal {
            key: key.clone(),
            values,
        };
        let answer = act(
            data,
            mi.user.id,
            id,
            version,
            Action::Submit(key),
            Some(input),
            l,
        )
        .await?;
        mi.create_response(&ctx.http, response(answer)).await?;
        Ok(())
    })
}
