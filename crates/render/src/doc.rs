//! The plan document as content, before it has a format: chapters of
//! blocks (text, facts, tables, timeline charts). The HTML and Markdown
//! writers (and any other) turn the same content into their format, so
//! every format says the same.

use draaiboek_analysis::output::{ScenarioJson, scenario_json};
use draaiboek_analysis::text::{euros, hours, pick};
use draaiboek_analysis::{AREAS, Analysis, Report, Severity};
use draaiboek_plan::{Date, ForwardTo, Id, Language, LocationKind, Phase, Plan};

use crate::icalendar::{exercise_kind, review_due};
use crate::labels;

#[derive(Debug, Clone, PartialEq)]
pub struct Document {
    pub lang: Language,
    pub title: String,
    /// Organisation and version, for running headers.
    pub running_head: String,
    pub chapters: Vec<Chapter>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Chapter {
    /// An anchor: lower-case letters, digits and `-`.
    pub anchor: String,
    pub title: String,
    pub blocks: Vec<Block>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    Heading(String),
    Para(String),
    /// Text that must stand out: a warning, or what to do first.
    Callout(String),
    /// Label and value pairs.
    Facts(Vec<(String, String)>),
    List(Vec<String>),
    Table(Table),
    Timeline(Timeline),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    pub header: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

/// When each process is back, against its RTO and MTPD.
#[derive(Debug, Clone, PartialEq)]
pub struct Timeline {
    /// The hours the chart spans; later recoveries run off its edge.
    pub horizon: f64,
    pub rows: Vec<TimelineRow>,
    /// Marks on the time axis, with their labels.
    pub ticks: Vec<(f64, String)>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct TimelineRow {
    pub label: String,
    /// `None`: never back.
    pub back_at: Option<f64>,
    /// When it is back, in words ("86 h", "never").
    pub back_label: String,
    pub rto: Option<f64>,
    pub mtpd: Option<f64>,
}

impl TimelineRow {
    pub fn state(&self) -> RowState {
        let t = self.back_at.unwrap_or(f64::INFINITY);
        if self.mtpd.is_some_and(|m| t > m) {
            RowState::MissesMtpd
        } else if self.rto.is_some_and(|r| t > r) {
            RowState::MissesRto
        } else {
            RowState::Meets
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RowState {
    Meets,
    MissesRto,
    MissesMtpd,
}

const MONTHS_EN: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];
const MONTHS_NL: [&str; 12] = [
    "januari",
    "februari",
    "maart",
    "april",
    "mei",
    "juni",
    "juli",
    "augustus",
    "september",
    "oktober",
    "november",
    "december",
];

/// A date as the reader writes it: `15 January 2026`, `15 januari 2026`,
/// with no-break spaces so that it stays on one line.
pub fn date(d: Date, lang: Language) -> String {
    let months = match lang {
        Language::En => MONTHS_EN,
        Language::Nl => MONTHS_NL,
    };
    format!("{}\u{a0}{}\u{a0}{}", d.day(), months[d.month() as usize - 1], d.year())
}

fn opt(s: &Option<String>) -> String {
    s.clone().unwrap_or_default()
}

fn phone(p: &Option<draaiboek_plan::Phone>) -> String {
    p.as_ref().map(|p| p.to_string()).unwrap_or_default()
}

struct Ctx<'a, 'p> {
    a: &'a Analysis<'p>,
    plan: &'p Plan,
    lang: Language,
}

impl Ctx<'_, '_> {
    fn t(&self, en: &'static str, nl: &'static str) -> String {
        pick(self.lang, en, nl).to_owned()
    }

    fn h(&self, v: f64) -> String {
        hours(v, self.lang)
    }

    fn oh(&self, v: Option<draaiboek_plan::Hours>) -> String {
        v.map(|h| self.h(h.get())).unwrap_or_default()
    }

    fn person(&self, id: &Id) -> Option<&draaiboek_plan::Person> {
        self.plan.people.iter().find(|p| &p.id == id)
    }

    /// A person or party by name with their number: "Jan de Vries (+31 6 ...)".
    fn who(&self, id: &Id) -> String {
        if let Some(p) = self.person(id) {
            let number = p.mobile.as_ref().or(p.phone.as_ref());
            return match number {
                Some(n) => format!("{} ({n})", p.name),
                None => p.name.clone(),
            };
        }
        if let Some(p) = self.plan.parties.iter().find(|p| &p.id == id) {
            return match &p.phone {
                Some(n) => format!("{} ({n})", p.name),
                None => p.name.clone(),
            };
        }
        id.to_string()
    }

    fn name(&self, id: &Id) -> String {
        crate::name_of(self.plan, id.as_str())
    }

    fn names(&self, ids: &[Id]) -> String {
        ids.iter().map(|i| self.name(i)).collect::<Vec<_>>().join(", ")
    }
}

fn severity_label(s: Severity, lang: Language) -> String {
    let l = s.label(lang);
    let mut c = l.chars();
    c.next().map(|f| f.to_uppercase().chain(c).collect()).unwrap_or_default()
}

/// The whole plan document, for `today`.
pub fn document(a: &Analysis<'_>, report: &Report, lang: Language, today: Date) -> Document {
    let plan = a.plan();
    let cx = Ctx { a, plan, lang };
    let version = match plan.organisation.last_reviewed {
        Some(d) => format!("{} {}", cx.t("reviewed", "doorgelopen"), date(d, lang)),
        None => cx.t("never reviewed", "nooit doorgelopen"),
    };
    let mut chapters = vec![cover(&cx, report, &version, today), disaster(&cx), contacts(&cx)];
    for s in &a.scenarios {
        chapters.push(scenario(&cx, &scenario_json(a, s, lang)));
    }
    chapters.extend([telephony(&cx), alternate(&cx), replacement(&cx), inventory(&cx), impact(&cx)]);
    chapters.push(exercises(&cx, today));
    chapters.push(findings(&cx, report));
    Document {
        lang,
        title: format!("{} {}", cx.t("ICT calamity plan", "ICT-calamiteitenplan"), plan.organisation.name),
        running_head: format!("{} · {}", plan.organisation.name, version),
        chapters,
    }
}

fn cover(cx: &Ctx<'_, '_>, report: &Report, version: &str, today: Date) -> Chapter {
    let o = &cx.plan.organisation;
    let mut facts = vec![(cx.t("Organisation", "Organisatie"), o.name.clone())];
    if let Some(a) = &o.address {
        facts.push((cx.t("Address", "Adres"), a.clone()));
    }
    facts.push((cx.t("Version", "Versie"), version.to_owned()));
    facts.push((cx.t("Printed", "Afgedrukt"), date(today, cx.lang)));
    facts.push((cx.t("Next review", "Volgende review"), date(review_due(cx.plan, today), cx.lang)));
    let score = report.score.overall.map_or("-".to_owned(), |s| format!("{s}/100"));
    facts.push((cx.t("Readiness score", "Paraatheidsscore"), score));
    Chapter {
        anchor: "cover".into(),
        title: format!("{} {}", cx.t("ICT calamity plan", "ICT-calamiteitenplan"), o.name),
        blocks: vec![
            Block::Facts(facts),
            Block::Callout(cx.t(
                "Keep a printed copy of this plan away from the office: at home, in the car, with the IT provider.",
                "Bewaar een afgedrukt exemplaar van dit plan buiten het kantoor: thuis, in de auto, bij de IT-leverancier.",
            )),
        ],
    }
}

fn disaster(cx: &Ctx<'_, '_>) -> Chapter {
    let o = &cx.plan.organisation;
    let mut blocks = Vec::new();
    let mut facts = Vec::new();
    if let Some(n) = &o.emergency_number {
        facts.push((cx.t("Emergency number", "Alarmnummer"), n.to_string()));
    }
    let chief = |id: &Option<Id>| -> String {
        match id.as_ref() {
            None => "-".into(),
            Some(id) => {
                let mut s = cx.who(id);
                if let Some(d) = cx.person(id).and_then(|p| p.deputy.as_ref()) {
                    s.push_str(&format!("; {}: {}", cx.t("deputy", "plaatsvervanger"), cx.who(d)));
                }
                s
            }
        }
    };
    facts.push((cx.t("Crisis coordinator", "Crisiscoördinator"), chief(&o.crisis_coordinator)));
    facts.push((cx.t("Decides to activate the plan", "Besluit het plan te activeren"), chief(&o.plan_activator)));
    if let Some(c) = &o.activation_criteria {
        facts.push((cx.t("Activate the plan when", "Activeer het plan als"), c.clone()));
    }
    blocks.push(Block::Facts(facts));
    let first_hour: Vec<&draaiboek_plan::Task> =
        cx.plan.tasks.iter().filter(|t| t.phase == Some(Phase::FirstHour) && t.scenarios.is_empty()).collect();
    if !first_hour.is_empty() {
        blocks.push(Block::Heading(cx.t("The first hour", "Het eerste uur")));
        blocks.push(task_table(cx, &first_hour));
    }
    if !o.call_tree.is_empty() {
        blocks.push(Block::Heading(cx.t("Call tree", "Belboom")));
        let rows = o
            .call_tree
            .iter()
            .map(|c| vec![cx.who(&c.caller), c.calls.iter().map(|x| cx.who(x)).collect::<Vec<_>>().join("; ")])
            .collect();
        blocks.push(Block::Table(Table {
            header: vec![cx.t("Who", "Wie"), cx.t("Calls, in this order", "Belt, in deze volgorde")],
            rows,
        }));
    }
    Chapter { anchor: "when-disaster-strikes".into(), title: cx.t("When disaster strikes", "Als het misgaat"), blocks }
}

fn task_table(cx: &Ctx<'_, '_>, tasks: &[&draaiboek_plan::Task]) -> Block {
    let rows = tasks
        .iter()
        .map(|t| {
            vec![
                t.title.clone(),
                t.owner.as_ref().map(|o| cx.who(o)).unwrap_or_default(),
                t.call.iter().map(|c| cx.who(c)).collect::<Vec<_>>().join("; "),
                opt(&t.details),
            ]
        })
        .collect();
    Block::Table(Table {
        header: vec![cx.t("Task", "Taak"), cx.t("Who", "Wie"), cx.t("Call", "Bellen"), cx.t("Details", "Toelichting")],
        rows,
    })
}

fn contacts(cx: &Ctx<'_, '_>) -> Chapter {
    let plan = cx.plan;
    let people = plan
        .people
        .iter()
        .map(|p| {
            vec![
                p.name.clone(),
                p.department.as_ref().map(|d| cx.name(d)).unwrap_or_default(),
                opt(&p.role),
                phone(&p.mobile),
                phone(&p.phone),
                opt(&p.private_email),
            ]
        })
        .collect();
    let parties = plan
        .parties
        .iter()
        .map(|p| {
            vec![
                p.name.clone(),
                labels::party_kind(p.kind, cx.lang).to_owned(),
                phone(&p.phone),
                opt(&p.email),
                opt(&p.contract),
                opt(&p.reference),
            ]
        })
        .collect();
    Chapter {
        anchor: "contacts".into(),
        title: cx.t("Contacts", "Contacten"),
        blocks: vec![
            Block::Heading(cx.t("People", "Mensen")),
            Block::Table(Table {
                header: vec![
                    cx.t("Name", "Naam"),
                    cx.t("Department", "Afdeling"),
                    cx.t("Role", "Rol"),
                    cx.t("Mobile", "Mobiel"),
                    cx.t("Phone", "Telefoon"),
                    cx.t("Private e-mail", "Privé-e-mail"),
                ],
                rows: people,
            }),
            Block::Heading(cx.t("Parties", "Partijen")),
            Block::Table(Table {
                header: vec![
                    cx.t("Name", "Naam"),
                    cx.t("Kind", "Soort"),
                    cx.t("Phone", "Telefoon"),
                    cx.t("E-mail", "E-mail"),
                    cx.t("Contract", "Contract"),
                    cx.t("Reference", "Referentie"),
                ],
                rows: parties,
            }),
        ],
    }
}

fn scenario(cx: &Ctx<'_, '_>, s: &ScenarioJson) -> Chapter {
    let plan = cx.plan;
    let sc = plan.scenarios.iter().find(|x| x.id.as_str() == s.scenario).expect("scenario of this plan");
    let mut blocks = Vec::new();
    let mut hit = Vec::new();
    if !sc.hits.locations.is_empty() {
        hit.push((cx.t("Locations", "Locaties"), cx.names(&sc.hits.locations)));
    }
    if !sc.hits.parties.is_empty() {
        hit.push((cx.t("Parties", "Partijen"), cx.names(&sc.hits.parties)));
    }
    let assets: Vec<String> = s.assets.iter().filter(|x| x.hit).map(|x| crate::name_of(plan, &x.id)).collect();
    if !assets.is_empty() {
        hit.push((cx.t("Assets", "ICT-middelen"), assets.join(", ")));
    }
    hit.push((
        cx.t("Effect", "Gevolg"),
        match sc.effect() {
            draaiboek_plan::Effect::Destroyed => cx.t("destroyed", "vernietigd"),
            draaiboek_plan::Effect::Unavailable => match sc.duration_hours {
                Some(h) => format!("{} {}", cx.t("unavailable for", "onbeschikbaar gedurende"), cx.h(h.get())),
                None => cx.t("unavailable", "onbeschikbaar"),
            },
        },
    ));
    blocks.push(Block::Facts(hit));

    if !s.processes.is_empty() {
        blocks.push(Block::Heading(cx.t("When each process is back", "Wanneer elk proces terug is")));
        let rows: Vec<TimelineRow> = s
            .processes
            .iter()
            .map(|p| {
                let pr = plan.processes.iter().find(|x| x.id.as_str() == p.id).expect("process of this plan");
                TimelineRow {
                    label: pr.name.clone(),
                    back_at: p.recovered_at,
                    back_label: p.recovered_at.map_or(cx.t("never", "nooit"), |t| cx.h(t)),
                    rto: pr.rto_hours.map(|h| h.get()),
                    mtpd: pr.mtpd_hours.map(|h| h.get()),
                }
            })
            .collect();
        blocks.push(Block::Timeline(timeline(cx, rows)));
        let table = s
            .processes
            .iter()
            .map(|p| {
                let pr = plan.processes.iter().find(|x| x.id.as_str() == p.id).expect("process of this plan");
                let mark = |missed: Option<bool>| match missed {
                    Some(true) => cx.t(" (missed)", " (gemist)"),
                    _ => String::new(),
                };
                vec![
                    pr.name.clone(),
                    p.recovered_at.map_or(cx.t("never", "nooit"), |t| cx.h(t)),
                    format!("{}{}", cx.oh(pr.rto_hours), mark(p.misses_rto)),
                    format!("{}{}", cx.oh(pr.mtpd_hours), mark(p.misses_mtpd)),
                    p.downtime_cost_eur.map(|c| euros(c, cx.lang)).unwrap_or_default(),
                ]
            })
            .collect();
        blocks.push(Block::Table(Table {
            header: vec![
                cx.t("Process", "Proces"),
                cx.t("Back after", "Terug na"),
                "RTO".into(),
                "MTPD".into(),
                cx.t("Cost of standstill", "Kosten van stilstand"),
            ],
            rows: table,
        }));
        let missed: Vec<String> = s
            .processes
            .iter()
            .filter(|p| p.misses_rto == Some(true) || p.misses_mtpd == Some(true))
            .map(|p| p.explanation.clone())
            .collect();
        if !missed.is_empty() {
            blocks.push(Block::Heading(cx.t("Why objectives are missed", "Waarom doelen worden gemist")));
            blocks.push(Block::List(missed));
        }
    }

    if !s.steps.is_empty() {
        blocks.push(Block::Heading(cx.t("Recovery steps, in order", "Herstelstappen, op volgorde")));
        let rows = s
            .steps
            .iter()
            .map(|st| {
                let when = match st.start {
                    Some(start) => format!("{} – {}", cx.h(start), st.end.map_or(cx.t("never", "nooit"), |e| cx.h(e))),
                    None => cx.t("cannot start", "kan niet beginnen"),
                };
                let call: Vec<String> = st
                    .call
                    .iter()
                    .map(|c| match &c.phone {
                        Some(p) => format!("{} ({p})", c.name),
                        None => c.name.clone(),
                    })
                    .collect();
                let who: Vec<String> = st.who.iter().map(|w| crate::name_of(plan, w)).collect();
                vec![
                    st.order.to_string(),
                    when,
                    st.title.clone(),
                    who.join(", "),
                    call.join("; "),
                    st.procedure.clone().unwrap_or_default(),
                ]
            })
            .collect();
        blocks.push(Block::Table(Table {
            header: vec![
                "#".into(),
                cx.t("When", "Wanneer"),
                cx.t("What", "Wat"),
                cx.t("Who", "Wie"),
                cx.t("Call", "Bellen"),
                cx.t("How", "Hoe"),
            ],
            rows,
        }));
    }

    let lost: Vec<Vec<String>> = s
        .data
        .iter()
        .filter(|d| d.data_loss_hours != Some(0.0))
        .map(|d| {
            let set = plan.data.iter().find(|x| x.id.as_str() == d.id).expect("data of this plan");
            vec![
                set.name.clone(),
                d.data_loss_hours.map_or(cx.t("everything", "alles"), |l| cx.h(l)),
                d.backup.clone().unwrap_or_default(),
                cx.oh(set.rpo_hours),
            ]
        })
        .collect();
    if !lost.is_empty() {
        blocks.push(Block::Heading(cx.t("Data lost", "Dataverlies")));
        blocks.push(Block::Table(Table {
            header: vec![
                cx.t("Data", "Gegevens"),
                cx.t("Lost", "Verloren"),
                cx.t("Backup used", "Gebruikte back-up"),
                "RPO".into(),
            ],
            rows: lost,
        }));
    }

    let total: f64 = s.processes.iter().filter_map(|p| p.downtime_cost_eur).sum();
    if total > 0.0 {
        blocks.push(Block::Para(format!(
            "{}: {}",
            cx.t("Cost of standstill", "Kosten van stilstand"),
            euros(total, cx.lang)
        )));
    }

    let mut tasks: Vec<&draaiboek_plan::Task> =
        plan.tasks.iter().filter(|t| t.scenarios.is_empty() || t.scenarios.contains(&sc.id)).collect();
    tasks.sort_by_key(|t| t.phase.unwrap_or(Phase::Recovery));
    if !tasks.is_empty() {
        blocks.push(Block::Heading(cx.t("Tasks", "Taken")));
        blocks.push(task_table(cx, &tasks));
    }
    Chapter {
        anchor: format!("scenario-{}", sc.id),
        title: format!("{}: {}", cx.t("Scenario", "Scenario"), sc.name),
        blocks,
    }
}

/// The chart spans the objectives with room to spare, so that what is late
/// stands out; a recovery far beyond them runs off the edge.
fn timeline(cx: &Ctx<'_, '_>, rows: Vec<TimelineRow>) -> Timeline {
    let objectives = rows.iter().flat_map(|r| [r.rto, r.mtpd]).flatten().fold(0.0f64, f64::max);
    let latest = rows.iter().filter_map(|r| r.back_at).fold(0.0f64, f64::max);
    let horizon = if objectives > 0.0 { (objectives * 1.5).min(latest.max(objectives) * 1.1) } else { latest * 1.1 };
    let horizon = horizon.max(1.0);
    // Round steps: 1, 2, 5 times a power of ten, four or five of them.
    let raw = horizon / 4.0;
    let magnitude = 10f64.powf(raw.log10().floor());
    let step = [1.0, 2.0, 5.0, 10.0].iter().map(|m| m * magnitude).find(|s| *s >= raw).unwrap_or(raw);
    let ticks = (0..).map(|k| k as f64 * step).take_while(|t| *t <= horizon).map(|t| (t, cx.h(t))).collect();
    Timeline { horizon, rows, ticks }
}

fn telephony(cx: &Ctx<'_, '_>) -> Chapter {
    let rows = cx
        .plan
        .telephony
        .iter()
        .map(|n| {
            vec![
                n.number.to_string(),
                opt(&n.label),
                n.provider.as_ref().map(|p| cx.who(p)).unwrap_or_default(),
                match &n.forward_to {
                    Some(ForwardTo::Person(p)) => cx.who(p),
                    Some(ForwardTo::Number(p)) => p.to_string(),
                    None => cx.t("not forwarded", "niet doorgeschakeld"),
                },
                opt(&n.forward_how),
                n.forward_minutes
                    .map(|m| format!("{} min", draaiboek_analysis::text::number(m.get(), cx.lang)))
                    .unwrap_or_default(),
            ]
        })
        .collect();
    Chapter {
        anchor: "telephony".into(),
        title: cx.t("Telephony", "Telefonie"),
        blocks: vec![Block::Table(Table {
            header: vec![
                cx.t("Number", "Nummer"),
                cx.t("Label", "Omschrijving"),
                cx.t("Provider", "Provider"),
                cx.t("Forward to", "Doorschakelen naar"),
                cx.t("How", "Hoe"),
                cx.t("Takes", "Duurt"),
            ],
            rows,
        })],
    }
}

fn alternate(cx: &Ctx<'_, '_>) -> Chapter {
    let plan = cx.plan;
    let mut blocks = Vec::new();
    for (l, loc) in plan.locations.iter().enumerate().filter(|(_, l)| l.kind == LocationKind::Alternate) {
        blocks.push(Block::Heading(loc.name.clone()));
        let mut facts = Vec::new();
        if let Some(a) = &loc.address {
            facts.push((cx.t("Address", "Adres"), a.clone()));
        }
        facts.push((cx.t("Workplaces", "Werkplekken"), loc.workplaces.unwrap_or(0).to_string()));
        facts.push((cx.t("Ready within", "Klaar binnen"), cx.oh(loc.ready_within_hours)));
        if let Some(c) = &loc.contact {
            facts.push((cx.t("Contact", "Contact"), cx.who(c)));
        }
        if let Some(a) = &loc.arrangements {
            facts.push((cx.t("Arrangements", "Afspraken"), a.clone()));
        }
        if let Some(a) = &loc.access {
            facts.push((cx.t("Access", "Toegang"), a.clone()));
        }
        blocks.push(Block::Facts(facts));
        let mut moves = Vec::new();
        for res in &cx.a.scenarios {
            let procs: Vec<String> = res
                .processes
                .iter()
                .enumerate()
                .filter(|(_, o)| o.workplace.1 == draaiboek_analysis::recovery::Workplace::Alternate(l))
                .map(|(p, _)| plan.processes[p].name.clone())
                .collect();
            if !procs.is_empty() {
                moves.push(vec![plan.scenarios[res.scenario].name.clone(), procs.join(", ")]);
            }
        }
        if moves.is_empty() {
            blocks.push(Block::Para(cx.t(
                "No scenario of the plan moves a process here.",
                "Geen scenario van het plan verplaatst een proces hierheen.",
            )));
        } else {
            blocks.push(Block::Table(Table {
                header: vec![
                    cx.t("Scenario", "Scenario"),
                    cx.t("Processes that move here", "Processen die hierheen gaan"),
                ],
                rows: moves,
            }));
        }
    }
    if blocks.is_empty() {
        blocks.push(Block::Callout(cx.t("The plan has no alternate location.", "Het plan heeft geen uitwijklocatie.")));
    }
    Chapter { anchor: "alternate-location".into(), title: cx.t("Alternate location", "Uitwijklocatie"), blocks }
}

fn replacement(cx: &Ctx<'_, '_>) -> Chapter {
    let rows = cx
        .plan
        .assets
        .iter()
        .map(|a| match &a.replacement {
            Some(r) => vec![
                a.name.clone(),
                labels::strategy(r.strategy, cx.lang).to_owned(),
                r.supplier.as_ref().map(|s| cx.who(s)).unwrap_or_default(),
                cx.oh(r.lead_time_hours),
                cx.oh(r.setup_hours),
                r.cost_eur.map(|c| euros(c, cx.lang)).unwrap_or_default(),
            ],
            None => {
                vec![a.name.clone(), cx.t("none", "geen"), String::new(), String::new(), String::new(), String::new()]
            }
        })
        .collect();
    Chapter {
        anchor: "replacement-hardware".into(),
        title: cx.t("Replacement hardware", "Vervangende hardware"),
        blocks: vec![Block::Table(Table {
            header: vec![
                cx.t("Asset", "ICT-middel"),
                cx.t("Strategy", "Strategie"),
                cx.t("Supplier", "Leverancier"),
                cx.t("Lead time", "Levertijd"),
                cx.t("Set-up", "Inrichten"),
                cx.t("Cost", "Kosten"),
            ],
            rows,
        })],
    }
}

fn inventory(cx: &Ctx<'_, '_>) -> Chapter {
    let plan = cx.plan;
    let assets = plan
        .assets
        .iter()
        .map(|a| {
            let quantity = if a.quantity() > 1 { format!("{}× ", a.quantity()) } else { String::new() };
            vec![
                format!("{quantity}{}", a.name),
                labels::asset_kind(a.kind, cx.lang).to_owned(),
                [&a.manufacturer, &a.model].into_iter().flatten().cloned().collect::<Vec<_>>().join(" "),
                opt(&a.serial),
                opt(&a.specs),
                a.location.as_ref().map(|l| cx.name(l)).unwrap_or_default(),
                a.warranty_until.map(|d| date(d, cx.lang)).unwrap_or_default(),
            ]
        })
        .collect();
    let apps = plan
        .applications
        .iter()
        .map(|a| {
            vec![
                a.name.clone(),
                a.hosting.map(|h| labels::hosting(h, cx.lang).to_owned()).unwrap_or_default(),
                a.vendor.as_ref().map(|v| cx.name(v)).unwrap_or_default(),
                a.restore_by.iter().map(|r| cx.who(r)).collect::<Vec<_>>().join("; "),
                opt(&a.credentials_at),
            ]
        })
        .collect();
    let mut data = Vec::new();
    for d in &plan.data {
        if d.backups.is_empty() {
            data.push(vec![
                d.name.clone(),
                cx.oh(d.rpo_hours),
                cx.t("no backup", "geen back-up"),
                String::new(),
                String::new(),
                String::new(),
            ]);
        }
        for b in &d.backups {
            let place = match &b.location {
                draaiboek_plan::BackupPlace::Cloud => "cloud".to_owned(),
                draaiboek_plan::BackupPlace::Location(l) => cx.name(l),
            };
            let safe = if b.immutable() || b.kind.is_offline() { cx.t("yes", "ja") } else { cx.t("no", "nee") };
            data.push(vec![
                d.name.clone(),
                cx.oh(d.rpo_hours),
                format!("{} ({}, {place})", b.id, b.kind),
                format!("{} / {}", cx.h(b.every_hours.get()), cx.h(b.restore_hours.get())),
                safe,
                b.last_restore_test.map(|t| date(t, cx.lang)).unwrap_or_else(|| cx.t("never", "nooit")),
            ]);
        }
    }
    Chapter {
        anchor: "inventory".into(),
        title: cx.t("Inventory", "Inventaris"),
        blocks: vec![
            Block::Heading(cx.t("Assets", "ICT-middelen")),
            Block::Table(Table {
                header: vec![
                    cx.t("Asset", "ICT-middel"),
                    cx.t("Kind", "Soort"),
                    cx.t("Make and model", "Merk en model"),
                    cx.t("Serial", "Serienummer"),
                    cx.t("Specifications", "Specificaties"),
                    cx.t("Location", "Locatie"),
                    cx.t("Warranty until", "Garantie tot"),
                ],
                rows: assets,
            }),
            Block::Heading(cx.t("Applications", "Applicaties")),
            Block::Table(Table {
                header: vec![
                    cx.t("Application", "Applicatie"),
                    cx.t("Hosting", "Hosting"),
                    cx.t("Vendor", "Leverancier"),
                    cx.t("Restored by", "Hersteld door"),
                    cx.t("Credentials kept at", "Inloggegevens bewaard in"),
                ],
                rows: apps,
            }),
            Block::Heading(cx.t("Data and backups", "Gegevens en back-ups")),
            Block::Table(Table {
                header: vec![
                    cx.t("Data", "Gegevens"),
                    "RPO".into(),
                    cx.t("Backup", "Back-up"),
                    cx.t("Every / restore", "Elke / terugzetten"),
                    cx.t("Safe from ransomware", "Veilig voor ransomware"),
                    cx.t("Last restore test", "Laatste hersteltest"),
                ],
                rows: data,
            }),
        ],
    }
}

fn impact(cx: &Ctx<'_, '_>) -> Chapter {
    let plan = cx.plan;
    let g = &cx.a.graph;
    let rows = g
        .process_rank
        .iter()
        .map(|&p| {
            let pr = &plan.processes[p];
            // The tightest RPO of the data the process needs, directly or through an application.
            let rpo = g.process_needs[p]
                .iter()
                .flat_map(|n| match *n {
                    draaiboek_analysis::Node::Data(d) => vec![d],
                    draaiboek_analysis::Node::App(a) => g.app_deps[a]
                        .iter()
                        .filter_map(|x| match x {
                            draaiboek_analysis::Node::Data(d) => Some(*d),
                            _ => None,
                        })
                        .collect(),
                    _ => Vec::new(),
                })
                .filter_map(|d| plan.data[d].rpo_hours.map(|h| h.get()))
                .reduce(f64::min);
            vec![
                pr.name.clone(),
                pr.priority.map(|x| x.to_string()).unwrap_or_default(),
                cx.oh(pr.rto_hours),
                cx.oh(pr.mtpd_hours),
                rpo.map(|r| cx.h(r)).unwrap_or_default(),
                pr.cost_per_hour_eur.map(|c| euros(c, cx.lang)).unwrap_or_default(),
                opt(&pr.workaround),
            ]
        })
        .collect();
    Chapter {
        anchor: "impact-analysis".into(),
        title: cx.t("Impact analysis", "Impactanalyse"),
        blocks: vec![Block::Table(Table {
            header: vec![
                cx.t("Process", "Proces"),
                cx.t("Priority", "Prioriteit"),
                "RTO".into(),
                "MTPD".into(),
                "RPO".into(),
                cx.t("Cost per hour", "Kosten per uur"),
                cx.t("Workaround", "Noodoplossing"),
            ],
            rows,
        })],
    }
}

fn exercises(cx: &Ctx<'_, '_>, today: Date) -> Chapter {
    let plan = cx.plan;
    let done: Vec<Vec<String>> = plan
        .exercises
        .iter()
        .filter(|e| e.performed.is_some())
        .map(|e| {
            vec![
                e.performed.map(|d| date(d, cx.lang)).unwrap_or_default(),
                exercise_kind(e.kind, cx.lang).to_owned(),
                cx.names(&e.covers),
                e.result
                    .map(|r| match r {
                        draaiboek_plan::ExerciseResult::Passed => cx.t("passed", "geslaagd"),
                        draaiboek_plan::ExerciseResult::Partly => cx.t("partly", "deels"),
                        draaiboek_plan::ExerciseResult::Failed => cx.t("failed", "mislukt"),
                    })
                    .unwrap_or_default(),
                cx.oh(e.measured_hours),
                opt(&e.findings),
            ]
        })
        .collect();
    let planned: Vec<Vec<String>> = plan
        .exercises
        .iter()
        .filter(|e| e.performed.is_none())
        .map(|e| {
            let when = e.planned.map(|d| {
                let late = if d < today { cx.t(" (overdue)", " (te laat)") } else { String::new() };
                format!("{}{late}", date(d, cx.lang))
            });
            vec![when.unwrap_or_default(), exercise_kind(e.kind, cx.lang).to_owned(), cx.names(&e.covers)]
        })
        .collect();
    let mut blocks = vec![Block::Heading(cx.t("Done", "Gedaan"))];
    if done.is_empty() {
        blocks.push(Block::Para(cx.t("No exercise was performed yet.", "Er is nog geen oefening gedaan.")));
    } else {
        blocks.push(Block::Table(Table {
            header: vec![
                cx.t("Date", "Datum"),
                cx.t("Kind", "Soort"),
                cx.t("Covers", "Omvat"),
                cx.t("Result", "Resultaat"),
                cx.t("Measured", "Gemeten"),
                cx.t("Findings", "Bevindingen"),
            ],
            rows: done,
        }));
    }
    blocks.push(Block::Heading(cx.t("Planned", "Gepland")));
    if planned.is_empty() {
        blocks.push(Block::Para(cx.t("No exercise is planned.", "Er is geen oefening gepland.")));
    } else {
        blocks.push(Block::Table(Table {
            header: vec![cx.t("Date", "Datum"), cx.t("Kind", "Soort"), cx.t("Covers", "Omvat")],
            rows: planned,
        }));
    }
    Chapter { anchor: "exercises".into(), title: cx.t("Exercises", "Oefeningen"), blocks }
}

fn findings(cx: &Ctx<'_, '_>, report: &Report) -> Chapter {
    let mut scores: Vec<Vec<String>> = AREAS
        .iter()
        .filter_map(|a| report.score.areas.get(a).map(|s| vec![a.label(cx.lang).to_owned(), s.to_string()]))
        .collect();
    scores.push(vec![cx.t("Overall", "Totaal"), report.score.overall.map_or("-".into(), |s| s.to_string())]);
    let rows = report
        .findings
        .iter()
        .map(|f| {
            let subject = match &f.scenario {
                Some(s) => format!("{} ({s})", f.subject),
                None => f.subject.clone(),
            };
            vec![
                severity_label(f.check.severity, cx.lang),
                f.check.code.to_owned(),
                subject,
                f.message.clone(),
                f.fix.clone(),
            ]
        })
        .collect();
    let mut blocks = vec![
        Block::Heading(cx.t("Score per area", "Score per gebied")),
        Block::Table(Table { header: vec![cx.t("Area", "Gebied"), cx.t("Score", "Score")], rows: scores }),
        Block::Heading(cx.t("Findings", "Bevindingen")),
    ];
    if report.findings.is_empty() {
        blocks.push(Block::Para(cx.t("No findings.", "Geen bevindingen.")));
    } else {
        blocks.push(Block::Table(Table {
            header: vec![
                cx.t("Severity", "Ernst"),
                cx.t("Code", "Code"),
                cx.t("About", "Over"),
                cx.t("Finding", "Bevinding"),
                cx.t("How to fix it", "Oplossing"),
            ],
            rows,
        }));
    }
    Chapter { anchor: "findings".into(), title: cx.t("Findings and score", "Bevindingen en score"), blocks }
}
