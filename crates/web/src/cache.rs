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
    tables: OnceLock<HashMap<&'static str, Vec<ListRow>>>,
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
    pub doc: Document,
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

    pub fn entity(&self, id: &str) -> Option<&Entity> {
        self.entities.iter().find(|e| e.id == id)
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
                let doc = draaiboek_render::document(&analysis, &report, lang, me.today);
                Arc::new(Derived { report, doc })
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
}

pub fn today() -> Date {
    Date::from_unix_days(crate::now().div_euclid(86_400))
}

impl Cache {
    pub async fn load(&self, db: &dyn Db, org: i64) -> Result<Arc<Loaded>> {
        let revision = db.revision(org).await?;
        let today = today();
        if let Some(l) = self.orgs.lock().expect("not poisoned").get(&org)
            && l.revision == revision
            && l.today == today
        {
            return Ok(l.clone());
        }
        let entities = db.entities(org).await?;
        let loaded = tokio::task::spawn_blocking(move || {
            let text = draaiboek_plan::join(entities.iter().map(|e| (e.kind.as_str(), e.body.as_str())));
            let plan = draaiboek_plan::from_str(&text, "plan.yaml");
            Arc::new(Loaded { revision, today, entities, plan, derived: Default::default(), tables: OnceLock::new() })
        })
        .await
        .map_err(|e| draaiboek_store::StoreError::Other(e.to_string()))?;
        self.orgs.lock().expect("not poisoned").insert(org, loaded.clone());
        Ok(loaded)
    }
}
