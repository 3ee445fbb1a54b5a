//! The machine-readable shapes of `analyse` and `check` (plan format,
//! "Machine-readable output"), and the details of each recovery step.

use std::collections::BTreeMap;

use draaiboek_plan::{Id, Language, Strategy};
use serde::Serialize;

use crate::graph::{Ent, Graph, Node};
use crate::scenario::{Action, ScenarioResult, Step};
use crate::text::{hours, pick};
use crate::{Analysis, Report};

fn time(t: f64) -> Option<f64> {
    t.is_finite().then_some(t)
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct ScenarioJson {
    pub scenario: String,
    pub name: String,
    pub assets: Vec<AssetJson>,
    pub data: Vec<DataJson>,
    pub applications: Vec<RecoveredJson>,
    pub telephony: Vec<RecoveredJson>,
    pub processes: Vec<ProcessJson>,
    pub steps: Vec<StepJson>,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct AssetJson {
    pub id: String,
    pub recovered_at: Option<f64>,
    pub hit: bool,
    pub explanation: String,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct RecoveredJson {
    pub id: String,
    pub recovered_at: Option<f64>,
    pub explanation: String,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct DataJson {
    pub id: String,
    pub recovered_at: Option<f64>,
    pub data_loss_hours: Option<f64>,
    pub backup: Option<String>,
    pub misses_rpo: Option<bool>,
    pub explanation: String,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct ProcessJson {
    pub id: String,
    pub recovered_at: Option<f64>,
    pub misses_rto: Option<bool>,
    pub misses_mtpd: Option<bool>,
    pub downtime_cost_eur: Option<f64>,
    pub explanation: String,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Contact {
    pub id: String,
    pub name: String,
    pub phone: Option<String>,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct StepJson {
    pub order: usize,
    pub action: &'static str,
    pub target: String,
    pub backup: Option<String>,
    /// `null` when the step can never start (it waits on something that never comes back).
    pub start: Option<f64>,
    pub end: Option<f64>,
    /// What to do, in a sentence.
    pub title: String,
    pub for_process: Option<String>,
    pub processes: Vec<String>,
    pub who: Vec<String>,
    pub call: Vec<Contact>,
    pub procedure: Option<String>,
}

/// Whether a data set loses more than its RPO; `None` without an RPO.
pub fn misses_rpo(plan: &draaiboek_plan::Plan, d: usize, loss: Option<f64>) -> Option<bool> {
    let rpo = plan.data[d].rpo_hours?.get();
    Some(loss.is_none_or(|l| l > rpo))
}

pub fn scenario_json(a: &Analysis<'_>, res: &ScenarioResult, lang: Language) -> ScenarioJson {
    let g = &a.graph;
    let plan = g.plan;
    let sc = &plan.scenarios[res.scenario];
    let explain = |n: Node| crate::explain::explain(g, res, n, lang);
    ScenarioJson {
        scenario: sc.id.to_string(),
        name: sc.name.clone(),
        assets: plan
            .assets
            .iter()
            .enumerate()
            .map(|(i, x)| AssetJson {
                id: x.id.to_string(),
                recovered_at: time(res.assets[i].0),
                hit: res.asset_hit[i],
                explanation: explain(Node::Asset(i)),
            })
            .collect(),
        data: plan
            .data
            .iter()
            .enumerate()
            .map(|(i, d)| {
                let o = &res.data[i];
                DataJson {
                    id: d.id.to_string(),
                    recovered_at: time(o.r),
                    data_loss_hours: o.loss,
                    backup: o.backup.map(|b| d.backups[b].id.to_string()),
                    misses_rpo: misses_rpo(plan, i, o.loss),
                    explanation: explain(Node::Data(i)),
                }
            })
            .collect(),
        applications: plan
            .applications
            .iter()
            .enumerate()
            .map(|(i, x)| RecoveredJson {
                id: x.id.to_string(),
                recovered_at: time(res.apps[i].0),
                explanation: explain(Node::App(i)),
            })
            .collect(),
        telephony: plan
            .telephony
            .iter()
            .enumerate()
            .map(|(i, x)| RecoveredJson {
                id: x.id.to_string(),
                recovered_at: time(res.numbers[i].0),
                explanation: explain(Node::Number(i)),
            })
            .collect(),
        processes: plan
            .processes
            .iter()
            .enumerate()
            .map(|(i, x)| {
                let o = &res.processes[i];
                ProcessJson {
                    id: x.id.to_string(),
                    recovered_at: time(o.r),
                    misses_rto: o.misses_rto,
                    misses_mtpd: o.misses_mtpd,
                    downtime_cost_eur: o.cost_eur,
                    explanation: explain(Node::Process(i)),
                }
            })
            .collect(),
        steps: res.steps.iter().enumerate().map(|(k, s)| step_json(g, s, k + 1, lang)).collect(),
    }
}

fn contact(g: &Graph<'_>, id: &Id) -> Option<Contact> {
    let plan = g.plan;
    match g.ent(id.as_str())? {
        Ent::Person(p) => {
            let p = &plan.people[p];
            Some(Contact {
                id: id.to_string(),
                name: p.name.clone(),
                phone: p.mobile.as_ref().or(p.phone.as_ref()).map(|x| x.to_string()),
            })
        }
        Ent::Party(p) => {
            let p = &plan.parties[p];
            Some(Contact { id: id.to_string(), name: p.name.clone(), phone: p.phone.as_ref().map(|x| x.to_string()) })
        }
        _ => None,
    }
}

fn push_unique(v: &mut Vec<Id>, id: &Id) {
    if !v.contains(id) {
        v.push(id.clone());
    }
}

/// Who does a step, whom to call, and the procedure from the plan.
pub fn step_json(g: &Graph<'_>, s: &Step, order: usize, lang: Language) -> StepJson {
    let plan = g.plan;
    let mut who: Vec<Id> = Vec::new();
    let mut call: Vec<Id> = Vec::new();
    let mut procedure: Option<String> = None;
    let target = g.id(s.target).to_owned();
    let is_party = |id: &Id| matches!(g.ent(id.as_str()), Some(Ent::Party(_)));
    let title;
    match (s.action, s.target) {
        (Action::ReplaceAsset | Action::RebuildAsset | Action::FindReplacement, Node::Asset(a)) => {
            let asset = &plan.assets[a];
            if let Some(m) = &asset.managed_by {
                push_unique(&mut who, m);
                if is_party(m) {
                    push_unique(&mut call, m);
                }
            }
            let rep = asset.replacement.as_ref();
            if s.action == Action::ReplaceAsset
                && let Some(sup) = rep.and_then(|r| r.supplier.as_ref())
            {
                push_unique(&mut call, sup);
            }
            let what: Vec<&str> =
                [&asset.manufacturer, &asset.model, &asset.specs].into_iter().flatten().map(String::as_str).collect();
            if !what.is_empty() {
                procedure = Some(what.join(", "));
            }
            title = match s.action {
                Action::ReplaceAsset => {
                    let setup = hours(rep.and_then(|r| r.setup_hours).map_or(0.0, |h| h.get()), lang);
                    let lead = hours(rep.and_then(|r| r.lead_time_hours).map_or(0.0, |h| h.get()), lang);
                    let how = match (rep.map(|r| r.strategy), lang) {
                        (Some(Strategy::Spare), Language::En) => format!("with the spare, set-up {setup}"),
                        (Some(Strategy::Spare), Language::Nl) => format!("door de reserve, inrichten {setup}"),
                        (strategy, Language::En) => {
                            let verb = match strategy {
                                Some(Strategy::Rent) => "rent",
                                Some(Strategy::Cloud) => "in the cloud",
                                _ => "buy",
                            };
                            format!("{verb}, lead time {lead}, set-up {setup}")
                        }
                        (strategy, Language::Nl) => {
                            let verb = match strategy {
                                Some(Strategy::Rent) => "huren",
                                Some(Strategy::Cloud) => "in de cloud",
                                _ => "kopen",
                            };
                            format!("{verb}, levertijd {lead}, inrichten {setup}")
                        }
                    };
                    format!("{} {} ({how})", pick(lang, "Replace", "Vervang"), asset.name)
                }
                Action::RebuildAsset => {
                    format!("{} {}", pick(lang, "Wipe and rebuild", "Schoon en opnieuw inrichten:"), asset.name)
                }
                _ => format!(
                    "{} {} {}",
                    pick(lang, "Find a replacement for", "Zoek vervanging voor"),
                    asset.name,
                    pick(lang, "(the plan has none)", "(het plan heeft er geen)")
                ),
            };
        }
        (Action::RestoreData, Node::Data(d)) => {
            let set = &plan.data[d];
            for &app in &g.data_apps[d] {
                let app = &plan.applications[app];
                for r in &app.restore_by {
                    push_unique(&mut who, r);
                }
                if procedure.is_none() {
                    procedure = app.restore_procedure.clone();
                }
            }
            if who.is_empty() {
                for &a in &g.data_stored_on[d] {
                    if let Some(m) = &plan.assets[a].managed_by {
                        push_unique(&mut who, m);
                    }
                }
            }
            for w in who.clone() {
                if is_party(&w) {
                    push_unique(&mut call, &w);
                }
            }
            let backup = s.backup.map(|b| &set.backups[b]);
            title = format!(
                "{} {} {} {}",
                pick(lang, "Restore", "Zet terug:"),
                set.name,
                pick(lang, "from backup", "uit back-up"),
                backup.map_or("", |b| b.id.as_str())
            );
        }
        (Action::ReinstallApplication, Node::App(i)) => {
            let app = &plan.applications[i];
            for r in &app.restore_by {
                push_unique(&mut who, r);
                if is_party(r) {
                    push_unique(&mut call, r);
                }
            }
            if let Some(v) = &app.vendor {
                push_unique(&mut call, v);
            }
            procedure = app.restore_procedure.clone();
            if let Some(c) = &app.credentials_at {
                let line = format!("{}: {c}", pick(lang, "Credentials", "Inloggegevens"));
                procedure = Some(match procedure {
                    Some(p) => format!("{}\n{line}", p.trim_end()),
                    None => line,
                });
            }
            title = format!("{} {}", pick(lang, "Reinstall", "Installeer opnieuw:"), app.name);
        }
        (Action::ForwardNumber, Node::Number(i)) => {
            let num = &plan.telephony[i];
            if let Some(c) = &plan.organisation.crisis_coordinator {
                push_unique(&mut who, c);
            }
            if let Some(p) = &num.provider {
                push_unique(&mut call, p);
            }
            procedure = num.forward_how.clone();
            let to = match &num.forward_to {
                Some(draaiboek_plan::ForwardTo::Person(p)) => {
                    contact(g, p).map(|c| format!("{} ({})", c.name, c.phone.unwrap_or_default())).unwrap_or_default()
                }
                Some(draaiboek_plan::ForwardTo::Number(p)) => p.to_string(),
                None => String::new(),
            };
            title =
                format!("{} {} {} {to}", pick(lang, "Forward", "Schakel"), num.number, pick(lang, "to", "door naar"));
        }
        (Action::MoveToAlternate, Node::Location(l)) => {
            let loc = &plan.locations[l];
            for &p in &s.processes {
                let dept = plan.processes[p].department.as_ref().and_then(|d| match g.ent(d.as_str()) {
                    Some(Ent::Department(d)) => plan.departments[d].responsible.as_ref(),
                    _ => None,
                });
                if let Some(r) = dept {
                    push_unique(&mut who, r);
                }
            }
            if let Some(c) = &loc.contact {
                push_unique(&mut call, c);
            }
            procedure = loc.arrangements.clone();
            title =
                format!("{} {}", pick(lang, "Move to the alternate location", "Verhuis naar uitwijklocatie"), loc.name);
        }
        _ => title = target.clone(),
    }
    StepJson {
        order,
        action: s.action.as_str(),
        target,
        backup: s.backup.and_then(|b| match s.target {
            Node::Data(d) => Some(plan.data[d].backups[b].id.to_string()),
            _ => None,
        }),
        start: time(s.start),
        end: time(s.end),
        title: title.trim().to_owned(),
        for_process: s.for_process.map(|p| plan.processes[p].id.to_string()),
        processes: s.processes.iter().map(|&p| plan.processes[p].id.to_string()).collect(),
        who: who.iter().map(Id::to_string).collect(),
        call: call.iter().filter_map(|c| contact(g, c)).collect(),
        procedure,
    }
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct FindingJson {
    pub code: &'static str,
    pub severity: &'static str,
    pub area: &'static str,
    pub subject: String,
    pub scenario: Option<String>,
    pub message: String,
    pub fix: String,
    pub explanation: Option<String>,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct ScoreJson {
    pub overall: Option<u32>,
    pub areas: BTreeMap<&'static str, u32>,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct CheckJson {
    pub findings: Vec<FindingJson>,
    pub score: ScoreJson,
}

pub fn check_json(report: &Report) -> CheckJson {
    CheckJson {
        findings: report
            .findings
            .iter()
            .map(|f| FindingJson {
                code: f.check.code,
                severity: f.check.severity.as_str(),
                area: f.check.area.as_str(),
                subject: f.subject.clone(),
                scenario: f.scenario.clone(),
                message: f.message.clone(),
                fix: f.fix.clone(),
                explanation: f.explanation.clone(),
            })
            .collect(),
        score: ScoreJson {
            overall: report.score.overall,
            areas: report.score.areas.iter().map(|(a, s)| (a.as_str(), *s)).collect(),
        },
    }
}
