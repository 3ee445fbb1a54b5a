//! The recovery model of `draaiboek/v1`, the readiness checks and score, and
//! the recovery steps per scenario. Pure and deterministic: the same plan and
//! the same `today` give the same result.

mod checks;
mod explain;
pub mod graph;
pub mod output;
pub mod planner;
pub mod recovery;
pub mod roles;
pub mod scenario;
mod spf;
pub mod text;

use draaiboek_plan::{Date, Language, Plan};

pub use checks::{AREAS, Area, CHECKS, Check, Finding, Score, Severity};
pub use graph::{Graph, Node};
pub use recovery::NEVER;
pub use roles::{CallReason, Role};
pub use scenario::{Action, ScenarioResult, Step};

/// A plan with every scenario evaluated.
pub struct Analysis<'p> {
    pub graph: Graph<'p>,
    pub scenarios: Vec<ScenarioResult>,
}

impl<'p> Analysis<'p> {
    pub fn new(plan: &'p Plan) -> Analysis<'p> {
        let graph = Graph::new(plan);
        let scenarios = (0..plan.scenarios.len()).map(|s| scenario::evaluate(&graph, s)).collect();
        Analysis { graph, scenarios }
    }

    pub fn plan(&self) -> &'p Plan {
        self.graph.plan
    }

    /// The scenario with this id.
    pub fn scenario(&self, id: &str) -> Option<&ScenarioResult> {
        self.scenarios.iter().find(|s| self.plan().scenarios[s.scenario].id.as_str() == id)
    }

    /// Single points of failure (SPF001): per asset whose loss alone makes a
    /// priority-1 process miss its RTO, the most important such process and
    /// when it would be back.
    pub fn single_points_of_failure(&self) -> Vec<(usize, usize, f64)> {
        spf::single_points(self)
    }

    /// Every readiness check of the catalogue, with the score.
    pub fn check(&self, today: Date, lang: Language) -> Report {
        checks::run(self, today, lang)
    }
}

/// The findings of `check`, most severe first, and the readiness score.
#[derive(Debug, Clone, PartialEq)]
pub struct Report {
    pub findings: Vec<Finding>,
    pub score: Score,
}

impl Report {
    /// `check` exits 1 when a finding is an error or critical.
    pub fn has_errors(&self) -> bool {
        self.findings.iter().any(|f| f.check.severity >= Severity::Error)
    }
}

/// The language messages are in: `--lang`, else the plan's, else English.
pub fn language(plan: &Plan, requested: Option<Language>) -> Language {
    requested.or(plan.organisation.language).unwrap_or(Language::En)
}
