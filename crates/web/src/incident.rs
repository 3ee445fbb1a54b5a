//! Incident mode: the plan put to work. Activating the plan for a scenario
//! (or for what is hit, chosen on the spot) turns the analysis of that
//! situation into a checklist; the team works through it, keeps a log, and
//! sees each other's changes as they happen. Closing gives the report.

use draaiboek_analysis::Analysis;
use draaiboek_analysis::output::{scenario_json, step_json};
use draaiboek_plan::{Effect, Hits, Id, Language, Phase, Plan, Scenario, ScenarioKind};
use draaiboek_render::doc::{Block, Chapter, Document, Table};
use draaiboek_store::{Event, IncidentFull, NewItem};

/// The id of a scenario made on the spot from what is hit.
pub const ON_THE_SPOT: &str = "on-the-spot";

fn name_and_phone(plan: &Plan, id: &Id) -> String {
    if let Some(p) = plan.people.iter().find(|p| &p.id == id) {
        return match p.mobile.as_ref().or(p.phone.as_ref()) {
            Some(n) => format!("{} {}", p.name, n.as_str()),
            None => p.name.clone(),
        };
    }
    if let Some(p) = plan.parties.iter().find(|p| &p.id == id) {
        return match &p.phone {
            Some(n) => format!("{} {}", p.name, n.as_str()),
            None => p.name.clone(),
        };
    }
    id.to_string()
}

fn person_name(plan: &Plan, id: &str) -> String {
    plan.people
        .iter()
        .find(|p| p.id.as_str() == id)
        .map(|p| p.name.clone())
        .or_else(|| plan.parties.iter().find(|p| p.id.as_str() == id).map(|p| p.name.clone()))
        .unwrap_or_else(|| id.to_owned())
}

/// The plan with a scenario for what is hit, chosen on the spot.
pub fn with_scenario_on_the_spot(plan: &Plan, hits: Hits, effect: Effect, lang: Language) -> Plan {
    let mut plan = plan.clone();
    plan.scenarios.push(Scenario {
        id: Id::new(ON_THE_SPOT).expect("a valid id"),
        name: if lang == Language::En { "Chosen on the spot".into() } else { "Ter plekke gekozen".into() },
        kind: ScenarioKind::Custom,
        hits,
        effect: Some(effect),
        likelihood: None,
        duration_hours: None,
        location_unusable_hours: None,
        extra: Vec::new(),
    });
    plan
}

/// The checklist of the plan for scenario `id`: first-hour tasks, the call
/// tree, the recovery steps in order, the scenario's other tasks, and each
/// process with when the plan says it is back.
pub fn checklist(plan: &Plan, scenario: &str, lang: Language) -> Option<Vec<NewItem>> {
    let analysis = Analysis::new(plan);
    let res = analysis.scenario(scenario)?;
    let mut items = Vec::new();
    let task_item = |t: &draaiboek_plan::Task, kind: &str| NewItem {
        kind: kind.into(),
        title: t.title.clone(),
        owner: t.owner.as_ref().map(|o| o.to_string()),
        call: t.call.iter().map(|c| name_and_phone(plan, c)).collect::<Vec<_>>().join(", "),
        procedure: t.details.clone().unwrap_or_default(),
        planned_hours: None,
    };
    let applies =
        |t: &&draaiboek_plan::Task| t.scenarios.is_empty() || t.scenarios.iter().any(|s| s.as_str() == scenario);
    for t in plan.tasks.iter().filter(applies).filter(|t| t.phase == Some(Phase::FirstHour)) {
        items.push(task_item(t, "first_hour"));
    }
    for entry in &plan.organisation.call_tree {
        for callee in &entry.calls {
            items.push(NewItem {
                kind: "call".into(),
                title: format!(
                    "{} {} {}",
                    person_name(plan, entry.caller.as_str()),
                    if lang == Language::En { "calls" } else { "belt" },
                    person_name(plan, callee.as_str())
                ),
                owner: Some(entry.caller.to_string()),
                call: name_and_phone(plan, callee),
                procedure: String::new(),
                planned_hours: None,
            });
        }
    }
    for (order, step) in res.steps.iter().enumerate() {
        let s = step_json(&analysis.graph, step, order + 1, lang);
        items.push(NewItem {
            kind: "step".into(),
            title: s.title.clone(),
            owner: s.who.first().cloned(),
            call: s
                .call
                .iter()
                .map(|c| match &c.phone {
                    Some(p) => format!("{} {p}", c.name),
                    None => c.name.clone(),
                })
                .collect::<Vec<_>>()
                .join(", "),
            procedure: s.procedure.clone().unwrap_or_default(),
            planned_hours: s.end,
        });
    }
    for t in plan.tasks.iter().filter(applies).filter(|t| t.phase != Some(Phase::FirstHour)) {
        items.push(task_item(t, "task"));
    }
    let json = scenario_json(&analysis, res, lang);
    for p in &json.processes {
        let name = plan.processes.iter().find(|x| x.id.as_str() == p.id).map_or(p.id.clone(), |x| x.name.clone());
        items.push(NewItem {
            kind: "process".into(),
            title: name,
            owner: None,
            call: String::new(),
            procedure: p.explanation.clone(),
            planned_hours: p.recovered_at,
        });
    }
    Some(items)
}

/// Hours between two instants, as people read them.
pub fn hours_between(from: i64, to: i64, lang: Language) -> String {
    draaiboek_analysis::text::hours(((to - from).max(0) as f64 / 3600.0 * 10.0).round() / 10.0, lang)
}

fn at(t: i64, lang: Language) -> String {
    let day = draaiboek_plan::Date::from_unix_days(t.div_euclid(86_400));
    let secs = t.rem_euclid(86_400);
    format!("{} {:02}:{:02}", draaiboek_render::doc::date(day, lang), secs / 3600, secs / 60 % 60)
}

fn state_word(state: &str, lang: Language) -> &'static str {
    let en = lang == Language::En;
    match state {
        "todo" => {
            if en {
                "to do"
            } else {
                "te doen"
            }
        }
        "doing" => {
            if en {
                "under way"
            } else {
                "bezig"
            }
        }
        "done" => {
            if en {
                "done"
            } else {
                "gedaan"
            }
        }
        _ => {
            if en {
                "skipped"
            } else {
                "overgeslagen"
            }
        }
    }
}

/// A process the situation does not hit: the plan has it working on (back
/// after 0 h). It is never late and needs no marking.
pub fn not_hit(item: &draaiboek_store::Item) -> bool {
    item.kind == "process" && item.planned_hours.is_some_and(|h| h <= 0.0)
}

/// The incident's scenario by its name while the plan still has it (its id
/// beside it), or that what is hit was chosen on the spot.
pub fn scenario_label(scenario: Option<&str>, plan: Option<&Plan>, lang: Language) -> String {
    match scenario {
        Some(id) => plan
            .and_then(|p| p.scenarios.iter().find(|s| s.id.as_str() == id))
            .map_or_else(|| id.to_owned(), |s| format!("{} ({id})", s.name)),
        None => if lang == Language::En { "chosen on the spot" } else { "ter plekke gekozen" }.to_owned(),
    }
}

/// The report of a closed incident: what happened when, what was done and
/// skipped and why, actual recovery against the plan, and the log.
pub fn report(full: &IncidentFull, organisation: &str, plan: Option<&Plan>, lang: Language) -> Document {
    let en = lang == Language::En;
    let t = |e: &'static str, n: &'static str| if en { e } else { n };
    let i = &full.incident;
    let kind = if i.exercise { t("Exercise", "Oefening") } else { t("Incident", "Incident") };
    let end = i.closed_at.unwrap_or(i.activated_at);
    let owner =
        |o: &Option<String>| o.as_deref().map(|o| plan.map_or(o.to_owned(), |p| person_name(p, o))).unwrap_or_default();
    let mut cover = vec![
        (t("Organisation", "Organisatie").to_owned(), organisation.to_owned()),
        (kind.to_owned(), format!("{} {}: {}", t("number", "nummer"), i.number, i.title)),
        (t("Scenario", "Scenario").to_owned(), scenario_label(i.scenario.as_deref(), plan, lang)),
        (t("Activated", "Geactiveerd").to_owned(), format!("{} ({})", at(i.activated_at, lang), i.activated_by)),
    ];
    if let Some(c) = i.closed_at {
        cover.push((
            t("Closed", "Afgesloten").to_owned(),
            format!("{} ({})", at(c, lang), i.closed_by.clone().unwrap_or_default()),
        ));
        cover.push((t("Duration", "Duur").to_owned(), hours_between(i.activated_at, c, lang)));
    }
    let done = full.items.iter().filter(|x| x.state == "done").count();
    let skipped = full.items.iter().filter(|x| x.state == "skipped").count();
    cover.push((
        t("Checklist", "Checklist").to_owned(),
        format!(
            "{} {}, {done} {}, {skipped} {}",
            full.items.len(),
            t("items", "punten"),
            t("done", "gedaan"),
            t("skipped", "overgeslagen")
        ),
    ));
    let mut blocks = vec![Block::Facts(cover)];
    if i.exercise {
        blocks.push(Block::Callout(t("This was an exercise.", "Dit was een oefening.").into()));
    }
    let title = format!("{kind} {}: {}", i.number, i.title);
    let mut chapters = vec![Chapter { anchor: "cover".into(), title: title.clone(), blocks }];

    let timeline: Vec<Vec<String>> = full
        .events
        .iter()
        .map(|e: &Event| vec![at(e.at, lang), e.by.clone(), e.kind.clone(), e.text.clone()])
        .collect();
    chapters.push(Chapter {
        anchor: "timeline".into(),
        title: t("Timeline", "Tijdlijn").into(),
        blocks: vec![Block::Table(Table {
            header: vec![
                t("When", "Wanneer").into(),
                t("Who", "Wie").into(),
                t("What", "Wat").into(),
                t("Details", "Details").into(),
            ],
            rows: timeline,
        })],
    });

    let rows: Vec<Vec<String>> = full
        .items
        .iter()
        .filter(|x| x.kind != "process")
        .map(|x| {
            vec![
                x.title.clone(),
                owner(&x.owner),
                state_word(&x.state, lang).to_owned(),
                x.changed_by.clone().unwrap_or_default(),
                x.changed_at.map(|c| at(c, lang)).unwrap_or_default(),
                x.reason.clone().unwrap_or_default(),
            ]
        })
        .collect();
    chapters.push(Chapter {
        anchor: "checklist".into(),
        title: t("Steps and tasks", "Stappen en taken").into(),
        blocks: vec![Block::Table(Table {
            header: vec![
                t("Item", "Punt").into(),
                t("Owner", "Eigenaar").into(),
                t("State", "Status").into(),
                t("By", "Door").into(),
                t("When", "Wanneer").into(),
                t("Reason for skipping", "Reden om over te slaan").into(),
            ],
            rows,
        })],
    });

    let rows: Vec<Vec<String>> = full
        .items
        .iter()
        .filter(|x| x.kind == "process")
        .map(|x| {
            if not_hit(x) {
                return vec![x.title.clone(), t("not hit", "niet getroffen").to_owned(), "—".to_owned(), String::new()];
            }
            let planned =
                x.planned_hours.map_or(t("never", "nooit").to_owned(), |h| draaiboek_analysis::text::hours(h, lang));
            let actual = match (x.state.as_str(), x.changed_at) {
                ("done", Some(c)) => hours_between(i.activated_at, c, lang),
                _ => format!(
                    "{} ({} {})",
                    t("not back", "niet terug"),
                    t("at closing", "bij afsluiten"),
                    hours_between(i.activated_at, end, lang)
                ),
            };
            let late = match (x.planned_hours, x.state.as_str(), x.changed_at) {
                (Some(h), "done", Some(c)) => ((c - i.activated_at) as f64 / 3600.0 > h).then(|| t("late", "te laat")),
                (Some(h), _, _) => ((end - i.activated_at) as f64 / 3600.0 > h).then(|| t("late", "te laat")),
                (None, _, _) => None,
            };
            vec![x.title.clone(), planned, actual, late.unwrap_or("").to_owned()]
        })
        .collect();
    chapters.push(Chapter {
        anchor: "recovery".into(),
        title: t("Recovery against the plan", "Herstel tegenover het plan").into(),
        blocks: vec![Block::Table(Table {
            header: vec![
                t("Process", "Proces").into(),
                t("Plan: back after", "Plan: terug na").into(),
                t("Actual", "Werkelijk").into(),
                "".into(),
            ],
            rows,
        })],
    });

    let log: Vec<Vec<String>> = full
        .events
        .iter()
        .filter(|e| e.kind == "log")
        .map(|e| vec![at(e.at, lang), e.by.clone(), e.text.clone()])
        .collect();
    chapters.push(Chapter {
        anchor: "log".into(),
        title: t("Log", "Logboek").into(),
        blocks: if log.is_empty() {
            vec![Block::Para(t("No log entries.", "Geen logregels.").into())]
        } else {
            vec![Block::Table(Table {
                header: vec![t("When", "Wanneer").into(), t("Who", "Wie").into(), t("Entry", "Regel").into()],
                rows: log,
            })]
        },
    });
    Document { lang, title: title.clone(), running_head: format!("{organisation} · {title}"), chapters }
}
