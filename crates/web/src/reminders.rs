//! Reminders by e-mail, when mail is configured: a review of the plan that
//! is due within two weeks, an exercise planned within a week. Each goes
//! once, to the owners and editors of the organisation.

use std::time::Duration;

use draaiboek_plan::{Date, Language};
use draaiboek_store::Role;

use crate::App;
use crate::mail::Message;

const SENT: &str = "reminder.sent.";

fn within(day: Date, today: Date, days: i64) -> bool {
    let d = day.day_number() - today.day_number();
    d <= days
}

/// Sends what is due on `today` and not sent before; returns how many
/// messages went.
pub async fn send_due(app: &App, today: Date) -> Result<usize, String> {
    let Some(mail) = app.config.mail.clone() else { return Ok(0) };
    let mut sent = 0;
    for org in app.db.orgs().await.map_err(|e| e.to_string())? {
        let to: Vec<String> = app
            .db
            .members(org.id)
            .await
            .map_err(|e| e.to_string())?
            .into_iter()
            .filter(|(_, r)| *r >= Role::Editor)
            .map(|(u, _)| u.email)
            .collect();
        if to.is_empty() {
            continue;
        }
        let loaded = app.cache.load(app.db.as_ref(), org.id).await.map_err(|e| e.to_string())?;
        let Ok(plan) = &loaded.plan else { continue };
        let lang = draaiboek_analysis::language(plan, None);
        let en = lang == Language::En;
        let link = format!("{}/o/{}", app.config.public_url.trim_end_matches('/'), org.slug);
        let mut due: Vec<(String, Message)> = Vec::new();
        let review = draaiboek_render::icalendar::review_due(plan, today);
        if within(review, today, 14) {
            let when = draaiboek_render::doc::date(review, lang).replace('\u{a0}', " ");
            due.push((
                format!("review.{review}"),
                Message {
                    to: to.clone(),
                    subject: if en {
                        format!("{}: the calamity plan is due for review on {when}", org.name)
                    } else {
                        format!("{}: het calamiteitenplan moet op {when} worden doorgelopen", org.name)
                    },
                    body: if en {
                        format!("The calamity plan of {} is due for review on {when}.\n\nGo through it, correct what changed, and mark it as reviewed on the dashboard:\n{link}\n", org.name)
                    } else {
                        format!("Het calamiteitenplan van {} moet op {when} worden doorgelopen.\n\nLoop het door, verbeter wat veranderd is, en markeer het als doorgelopen op het dashboard:\n{link}\n", org.name)
                    },
                },
            ));
        }
        for e in plan.exercises.iter().filter(|e| e.performed.is_none()) {
            let Some(day) = e.planned else { continue };
            if day < today || !within(day, today, 7) {
                continue;
            }
            let when = draaiboek_render::doc::date(day, lang).replace('\u{a0}', " ");
            // Those who take part hear of it too.
            let mut to = to.clone();
            for p in plan.people.iter().filter(|p| e.participants.contains(&p.id)) {
                if let Some(a) = &p.email
                    && !to.contains(a)
                {
                    to.push(a.clone());
                }
            }
            let kind = draaiboek_render::icalendar::exercise_kind(e.kind, lang);
            due.push((
                format!("exercise.{}.{day}", e.id),
                Message {
                    to,
                    subject: if en {
                        format!("{}: exercise {} ({kind}) on {when}", org.name, e.id)
                    } else {
                        format!("{}: oefening {} ({kind}) op {when}", org.name, e.id)
                    },
                    body: if en {
                        format!("The exercise {} ({kind}) is planned for {when}.\n\nRun it from the page Incidents and exercises, and record the result:\n{link}/incidents\n", e.id)
                    } else {
                        format!("De oefening {} ({kind}) staat gepland op {when}.\n\nVoer haar uit vanaf de pagina Incidenten en oefeningen, en leg het resultaat vast:\n{link}/incidents\n", e.id)
                    },
                },
            ));
        }
        for (key, message) in due {
            let key = format!("{SENT}{key}");
            if app.db.setting(org.id, &key).await.map_err(|e| e.to_string())?.is_some() {
                continue;
            }
            mail.send(&message).await?;
            app.db.set_setting(org.id, &key, Some(&today.to_string())).await.map_err(|e| e.to_string())?;
            sent += 1;
        }
    }
    Ok(sent)
}

/// Checks for reminders every `every`, for as long as the server runs.
pub async fn run(app: App, every: Duration) {
    loop {
        if let Err(e) = send_due(&app, crate::cache::today()).await {
            eprintln!("reminders: {e}");
        }
        tokio::time::sleep(every).await;
    }
}

/// The news that the plan is activated, to everyone in the call tree with
/// an e-mail address (their private one too: company mail may be down).
pub fn activation_message(plan: &draaiboek_plan::Plan, title: &str, by: &str, link: &str, exercise: bool) -> Message {
    let lang = draaiboek_analysis::language(plan, None);
    let en = lang == Language::En;
    let mut to = Vec::new();
    for entry in &plan.organisation.call_tree {
        for id in std::iter::once(&entry.caller).chain(&entry.calls) {
            if let Some(p) = plan.people.iter().find(|p| &p.id == id) {
                for a in [&p.email, &p.private_email].into_iter().flatten() {
                    if !to.contains(a) {
                        to.push(a.clone());
                    }
                }
            }
        }
    }
    let what = match (exercise, en) {
        (true, true) => "EXERCISE: ",
        (true, false) => "OEFENING: ",
        _ => "",
    };
    let mut calls = String::new();
    for entry in &plan.organisation.call_tree {
        let name = |id: &draaiboek_plan::Id| {
            plan.people
                .iter()
                .find(|p| &p.id == id)
                .map(|p| p.name.clone())
                .or_else(|| plan.parties.iter().find(|p| &p.id == id).map(|p| p.name.clone()))
                .unwrap_or_else(|| id.to_string())
        };
        let callees: Vec<String> = entry.calls.iter().map(name).collect();
        calls.push_str(&format!(
            "- {} {} {}\n",
            name(&entry.caller),
            if en { "calls" } else { "belt" },
            callees.join(", ")
        ));
    }
    Message {
        to,
        subject: if en {
            format!("{what}{}: the calamity plan is activated: {title}", plan.organisation.name)
        } else {
            format!("{what}{}: het calamiteitenplan is geactiveerd: {title}", plan.organisation.name)
        },
        body: if en {
            format!(
                "{what}The calamity plan was activated by {by}: {title}.\n\nThe call tree:\n{calls}\nThe checklist, the log and what to do:\n{link}\n"
            )
        } else {
            format!(
                "{what}Het calamiteitenplan is geactiveerd door {by}: {title}.\n\nDe belboom:\n{calls}\nDe checklist, het logboek en wat te doen:\n{link}\n"
            )
        },
    }
}
