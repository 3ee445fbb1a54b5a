//! The plan of each organisation as last read, with what is derived from
//! it, kept until the plan changes (its revision in the store) or the day
//! does. Pages of a large plan then cost a lookup, not a parse.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

use draaiboek_analysis::{Analysis, Report};
use draaiboek_plan::{Date, Language, Plan, ReadError};
use draaiboek_render::doc::Document;
use draaiboek_store::{Db, Entity, Result};

use crate::form;
use crate::schema::{self, Kind, Section};

pub struct Loaded {
    pub revision: i64,
    pub today: Date,
    pub entities: Vec<Entity>,
    pub plan: std::result::Result<Plan, ReadError>,
    /// The check report and the document, per language (en, nl).
    derived: [OnceLock<Arc<Derived>>; 2],
    /// The plan document per language: made only when a page needs it.
    documents: [OnceLock<Arc<Document>>; 2],
    tables: OnceLock<HashMap<&'static str, Vec<ListRow>>>,
    /// Position in `entities` by id.
    index: HashMap<String, usize>,
    /// How many entities differ from a published version: (version, count).
    pub changed_since: Mutex<Option<(i64, usize)>>,
}

/// One line of a section's list: the id, the columns' values (references
/// by the name of what they point to), and the lower-case text searched.
pub struct ListRow {
    pub id: String,
    pub cells: Vec<String>,
    pub haystack: String,
}

pub struct Derived {
    pub report: Report,
    /// Per scenario: id, name, processes that miss their RTO, cost.
    pub scenarios: Vec<ScenarioSummary>,
}

pub struct ScenarioSummary {
    pub id: String,
    pub name: String,
    pub missed: usize,
    pub cost_eur: f64,
}

/// Per scenario, how many processes miss their RTO and what the standstill
/// costs. Straight from the results: the JSON form would also explain every
/// asset, which the summary does not show (15 ms of 2,000 assets and 20 scenarios).
fn summaries(analysis: &Analysis<'_>) -> Vec<ScenarioSummary> {
    let plan = analysis.graph.plan;
    analysis
        .scenarios
        .iter()
        .map(|res| {
            let sc = &plan.scenarios[res.scenario];
            ScenarioSummary {
                id: sc.id.to_string(),
                name: sc.name.clone(),
                missed: res.processes.iter().filter(|p| p.misses_rto == Some(true)).count(),
                cost_eur: res.processes.iter().filter_map(|p| p.cost_eur).sum(),
            }
        })
        .collect()
}

impl Loaded {
    /// The rows of the plan in file order, as (section, body).
    pub fn text(&self) -> String {
        draaiboek_plan::join(self.entities.iter().map(|e| (e.kind.as_str(), e.body.as_str())))
    }

    /// The list of a section; made once per revision.
    pub fn table(&self, section: &Section) -> &[ListRow] {
        let tables = self.tables.get_or_init(|| {
            let mut names: HashMap<&str, String> = HashMap::new();
            let mut values = Vec::with_capacity(self.entities.len());
            for e in &self.entities {
                let Some(s) = schema::section(&e.kind) else { continue };
                let v = form::values_of(s, &e.body);
                let name = ["name", "title", "label", "number"].iter().map(|k| v.one(k)).find(|n| !n.is_empty());
                if let Some(n) = name {
                    names.insert(e.id.as_str(), n.to_owned());
                }
                values.push((s, e, v));
            }
            let mut tables: HashMap<&'static str, Vec<ListRow>> = HashMap::new();
            for (s, e, v) in values {
                let cells: Vec<String> = s
                    .columns
                    .iter()
                    .map(|c| {
                        let refs = matches!(
                            s.field(c).map(|f| f.kind),
                            Some(Kind::Ref(_) | Kind::Refs(_) | Kind::PersonOrPhone)
                        );
                        v.all(c)
                            .iter()
                            .map(|x| {
                                if refs {
                                    names.get(x).cloned().unwrap_or_else(|| (*x).to_owned())
                                } else {
                                    (*x).to_owned()
                                }
                            })
                            .collect::<Vec<_>>()
                            .join(", ")
                    })
                    .collect();
                let haystack = format!("{} {}", e.id, cells.join(" ")).to_lowercase();
                tables.entry(s.key).or_default().push(ListRow { id: e.id.clone(), cells, haystack });
            }
            tables
        });
        tables.get(section.key).map_or(&[], |t| t.as_slice())
    }

    /// The plan document in `lang`; made once per revision.
    pub async fn document(self: &Arc<Self>, lang: Language) -> Option<Arc<Document>> {
        let slot = usize::from(lang == Language::Nl);
        if let Some(d) = self.documents[slot].get() {
            return Some(d.clone());
        }
        let derived = self.derived(lang).await?;
        let me = self.clone();
        tokio::task::spawn_blocking(move || {
            let plan = me.plan.as_ref().ok()?;
            let doc = me.documents[slot].get_or_init(|| {
                let analysis = Analysis::new(plan);
                Arc::new(draaiboek_render::document(&analysis, &derived.report, lang, me.today))
            });
            Some(doc.clone())
        })
        .await
        .ok()
        .flatten()
    }

    pub fn entity(&self, id: &str) -> Option<&Entity> {
        self.index.get(id).map(|i| &self.entities[*i])
    }

    /// The analysis results in `lang`; computed once per revision, on a
    /// thread that may block.
    pub async fn derived(self: &Arc<Self>, lang: Language) -> Option<Arc<Derived>> {
        let slot = usize::from(lang == Language::Nl);
        if let Some(d) = self.derived[slot].get() {
            return Some(d.clone());
        }
        let me = self.clone();
        tokio::task::spawn_blocking(move || {
            let plan = me.plan.as_ref().ok()?;
            let d = me.derived[slot].get_or_init(|| {
                let analysis = Analysis::new(plan);
                let report = analysis.check(me.today, lang);
                let scenarios = summaries(&analysis);
                Arc::new(Derived { report, scenarios })
            });
            Some(d.clone())
        })
        .await
        .ok()
        .flatten()
    }
}

#[derive(Default)]
pub struct Cache {
    orgs: Mutex<HashMap<i64, Arc<Loaded>>>,
    /// One reload at a time: requests that arrive while a plan is read
    /// wait for that reading instead of each reading it again.
    reading: tokio::sync::Mutex<()>,
}

pub fn today() -> Date {
    Date::from_unix_days(crate::now().div_euclid(86_400))
}

impl Cache {
    pub async fn load(&self, db: &dyn Db, org: i64) -> Result<Arc<Loaded>> {
        let revision = db.revision(org).await?;
        let today = today();
        let fresh = |orgs: &HashMap<i64, Arc<Loaded>>| {
            orgs.get(&org).filter(|l| l.revision >= revision && l.today == today).cloned()
        };
        if let Some(l) = fresh(&self.orgs.lock().expect("not poisoned")) {
            return Ok(l);
        }
        let _reading = self.reading.lock().await;
        if let Some(l) = fresh(&self.orgs.lock().expect("not poisoned")) {
            return Ok(l);
        }
        let revision = db.revision(org).await?;
        let entities = db.entities(org).await?;
        let loaded = tokio::task::spawn_blocking(move || {
            let text = draaiboek_plan::join(entities.iter().map(|e| (e.kind.as_str(), e.body.as_str())));
            let plan = draaiboek_plan::from_str(&text, "plan.yaml");
            let index = entities.iter().enumerate().map(|(i, e)| (e.id.clone(), i)).collect();
            Arc::new(Loaded {
                revision,
                today,
                entities,
                plan,
                derived: Default::default(),
                documents: Default::default(),
                tables: OnceLock::new(),
                index,
                changed_since: Mutex::new(None),
            })
        })
        .await
        .map_err(|e| draaiboek_store::StoreError::Other(e.to_string()))?;
        self.orgs.lock().expect("not poisoned").insert(org, loaded.clone());
        Ok(loaded)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn summaries_agree_with_the_scenario_output() {
        for name in ["accountantskantoor.yaml", "northfield-logistics.yaml"] {
            let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples").join(name);
            let plan = draaiboek_plan::from_str(&std::fs::read_to_string(path).unwrap(), name).unwrap();
            let analysis = Analysis::new(&plan);
            let ours = summaries(&analysis);
            assert_eq!(ours.len(), plan.scenarios.len());
            for (res, sum) in analysis.scenarios.iter().zip(&ours) {
                let json = draaiboek_analysis::output::scenario_json(&analysis, res, Language::En);
                assert_eq!((sum.id.as_str(), sum.name.as_str()), (json.scenario.as_str(), json.name.as_str()));
                let missed = json.processes.iter().filter(|p| p.misses_rto == Some(true)).count();
                let cost: f64 = json.processes.iter().filter_map(|p| p.downtime_cost_eur).sum();
                assert_eq!((sum.missed, sum.cost_eur), (missed, cost), "{name}: {}", sum.id);
            }
            assert!(ours.iter().any(|s| s.missed > 0 && s.cost_eur > 0.0), "{name}: the test sees something");
        }
    }
}
