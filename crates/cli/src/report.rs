//! The human-readable output of `check` and `analyse`.

use std::fmt::Write as _;

use draaiboek_analysis::output::ScenarioJson;
use draaiboek_analysis::text::{euros, hours, pick};
use draaiboek_analysis::{AREAS, Analysis, Report, Severity};
use draaiboek_plan::{Language, Plan};

use crate::term::{Style, table, wrap};

const COLS: usize = 100;

fn severity_style(style: Style, sev: Severity, s: &str) -> String {
    match sev {
        Severity::Critical => style.bold_red(s),
        Severity::Error => style.red(s),
        Severity::Warning => style.yellow(s),
        Severity::Info => style.dim(s),
    }
}

pub fn check_text(plan: &Plan, report: &Report, lang: Language, style: Style) -> String {
    let mut out = String::new();
    let score = report.score.overall.map_or("-".to_owned(), |s| s.to_string());
    let _ = writeln!(
        out,
        "{} {}: {}/100\n",
        style.bold(pick(lang, "Readiness of", "Paraatheid van")),
        style.bold(&plan.organisation.name),
        style.bold(&score)
    );
    if report.findings.is_empty() {
        let _ = writeln!(out, "{}\n", style.green(pick(lang, "No findings.", "Geen bevindingen.")));
    }
    for sev in [Severity::Critical, Severity::Error, Severity::Warning, Severity::Info] {
        let findings: Vec<_> = report.findings.iter().filter(|f| f.check.severity == sev).collect();
        if findings.is_empty() {
            continue;
        }
        let label = sev.label(lang);
        let mut heading: Vec<char> = label.chars().collect();
        heading[0] = heading[0].to_ascii_uppercase();
        let heading: String = heading.into_iter().collect();
        let _ = writeln!(out, "{} ({})", severity_style(style, sev, &style.bold(&heading)), findings.len());
        let width = findings.iter().map(|f| f.subject.chars().count()).max().unwrap_or(0).min(28);
        for f in findings {
            let indent = 2 + 6 + 2 + width + 2;
            let mut line = format!("  {}  {:<width$}  ", severity_style(style, sev, f.check.code), f.subject);
            if f.subject.chars().count() > width {
                line = format!("  {}  {}\n{}", severity_style(style, sev, f.check.code), f.subject, " ".repeat(indent));
            }
            line.push_str(&wrap(&f.message, COLS - indent, indent));
            let _ = writeln!(out, "{line}");
            let pad = " ".repeat(indent);
            let fix = format!("{}: {}", pick(lang, "fix", "oplossing"), f.fix);
            let _ = writeln!(out, "{pad}{}", style.dim(&wrap(&fix, COLS - indent, indent)));
            if let Some(why) = &f.explanation {
                let why = format!("{}: {why}", pick(lang, "why", "waarom"));
                let _ = writeln!(out, "{pad}{}", style.dim(&wrap(&why, COLS - indent, indent)));
            }
        }
        out.push('\n');
    }
    let _ = writeln!(out, "{}", style.bold(pick(lang, "Score per area", "Score per gebied")));
    let mut rows: Vec<Vec<String>> = AREAS
        .iter()
        .filter_map(|a| report.score.areas.get(a).map(|s| vec![a.label(lang).to_owned(), format!("{s:>3}")]))
        .collect();
    rows.push(vec![pick(lang, "Overall", "Totaal").to_owned(), format!("{score:>3}")]);
    out.push_str(&table(&rows, 2));
    out
}

fn h(t: Option<f64>, lang: Language) -> String {
    hours(t.unwrap_or(f64::INFINITY), lang)
}

pub fn scenario_text(a: &Analysis<'_>, s: &ScenarioJson, lang: Language, style: Style) -> String {
    let plan = a.plan();
    let sc = plan.scenarios.iter().find(|x| x.id.as_str() == s.scenario).expect("scenario of this plan");
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{} {}: {} ({}, {})",
        style.bold(pick(lang, "Scenario", "Scenario")),
        style.bold(&s.scenario),
        sc.name,
        sc.kind,
        sc.effect()
    );
    let hit: Vec<&str> = s.assets.iter().filter(|x| x.hit).map(|x| x.id.as_str()).collect();
    let mut what = Vec::new();
    if !sc.hits.locations.is_empty() {
        what.push(format!("{} {}", pick(lang, "locations", "locaties"), join(&sc.hits.locations)));
    }
    if !sc.hits.parties.is_empty() {
        what.push(format!("{} {}", pick(lang, "parties", "partijen"), join(&sc.hits.parties)));
    }
    what.push(format!("{} {}", hit.len(), pick(lang, "assets", "middelen")));
    let _ = writeln!(out, "{}: {}\n", pick(lang, "Hit", "Getroffen"), what.join("; "));

    if !s.processes.is_empty() {
        let _ = writeln!(out, "{}", style.bold(pick(lang, "Processes", "Processen")));
        let mut rows = vec![vec![
            String::new(),
            pick(lang, "back at", "terug na").to_owned(),
            "RTO".to_owned(),
            "MTPD".to_owned(),
            pick(lang, "cost", "kosten").to_owned(),
        ]];
        for p in &s.processes {
            let pr = plan.processes.iter().find(|x| x.id.as_str() == p.id).expect("process of this plan");
            let mark = |limit: Option<draaiboek_plan::Hours>, missed: Option<bool>| match (limit, missed) {
                (Some(l), Some(true)) => style.red(&format!("{} ✗", hours(l.get(), lang))),
                (Some(l), _) => format!("{} ✓", hours(l.get(), lang)),
                (None, _) => "-".to_owned(),
            };
            rows.push(vec![
                p.id.clone(),
                h(p.recovered_at, lang),
                mark(pr.rto_hours, p.misses_rto),
                mark(pr.mtpd_hours, p.misses_mtpd),
                p.downtime_cost_eur.map_or("-".to_owned(), |c| euros(c, lang)),
            ]);
        }
        out.push_str(&table(&rows, 2));
        let missed: Vec<_> =
            s.processes.iter().filter(|p| p.misses_rto == Some(true) || p.misses_mtpd == Some(true)).collect();
        if !missed.is_empty() {
            let _ = writeln!(
                out,
                "\n{}",
                style.bold(pick(lang, "Why objectives are missed", "Waarom doelen worden gemist"))
            );
            for p in missed {
                let _ = writeln!(out, "  {}", wrap(&p.explanation, COLS - 4, 4));
            }
        }
        out.push('\n');
    }

    let lost: Vec<_> = s.data.iter().filter(|d| d.data_loss_hours != Some(0.0)).collect();
    if !lost.is_empty() {
        let _ = writeln!(out, "{}", style.bold(pick(lang, "Data lost", "Dataverlies")));
        let mut rows = Vec::new();
        for d in lost {
            let set = plan.data.iter().find(|x| x.id.as_str() == d.id).expect("data of this plan");
            let amount = match d.data_loss_hours {
                Some(l) => hours(l, lang),
                None => pick(lang, "everything", "alles").to_owned(),
            };
            let via = d.backup.as_ref().map_or(String::new(), |b| format!("({} {b})", pick(lang, "from", "uit")));
            let rpo = set.rpo_hours.map_or(String::new(), |r| {
                let t = format!("RPO {}", hours(r.get(), lang));
                if d.misses_rpo == Some(true) { style.red(&format!("{t} ✗")) } else { t }
            });
            rows.push(vec![d.id.clone(), amount, via, rpo]);
        }
        out.push_str(&table(&rows, 2));
        out.push('\n');
    }

    let total: f64 = s.processes.iter().filter_map(|p| p.downtime_cost_eur).sum();
    let never = s.processes.iter().any(|p| {
        p.recovered_at.is_none()
            && plan.processes.iter().any(|x| x.id.as_str() == p.id && x.cost_per_hour_eur.is_some())
    });
    if total > 0.0 || never {
        let _ = write!(out, "{}: {}", pick(lang, "Cost of standstill", "Kosten van stilstand"), euros(total, lang));
        if never {
            let _ = write!(
                out,
                " {}",
                pick(
                    lang,
                    "(and more: some processes never come back)",
                    "(en meer: sommige processen komen nooit terug)"
                )
            );
        }
        out.push_str("\n\n");
    }

    if !s.steps.is_empty() {
        let _ = writeln!(out, "{}", style.bold(pick(lang, "Recovery steps", "Herstelstappen")));
        for step in &s.steps {
            let when = match step.start {
                Some(start) => format!("[{} → {}]", hours(start, lang), h(step.end, lang)),
                None => format!("[{}]", pick(lang, "cannot start", "kan niet beginnen")),
            };
            let _ = writeln!(out, "  {:>2}. {} {}", step.order, style.dim(&when), step.title);
            let pad = "      ";
            if !step.who.is_empty() {
                let _ = writeln!(out, "{pad}{}: {}", pick(lang, "who", "wie"), step.who.join(", "));
            }
            for c in &step.call {
                let _ = writeln!(
                    out,
                    "{pad}{}: {} ({}) {}",
                    pick(lang, "call", "bel"),
                    c.name,
                    c.id,
                    c.phone.as_deref().unwrap_or("?")
                );
            }
            if let Some(p) = &step.for_process {
                let _ = writeln!(out, "{pad}{}: {p}", pick(lang, "for", "voor"));
            }
            if let Some(proc) = &step.procedure {
                for (i, line) in proc.lines().enumerate() {
                    let label = if i == 0 { format!("{}: ", pick(lang, "how", "hoe")) } else { "     ".to_owned() };
                    let _ = writeln!(out, "{pad}{label}{line}");
                }
            }
        }
        out.push('\n');
    }
    out
}

fn join(ids: &[draaiboek_plan::Id]) -> String {
    ids.iter().map(|i| i.as_str()).collect::<Vec<_>>().join(", ")
}
