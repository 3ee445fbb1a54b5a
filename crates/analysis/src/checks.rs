//! The readiness checks of the catalogue, their messages in Dutch and
//! English, and the readiness score.

use std::collections::{BTreeMap, HashMap, HashSet};

use draaiboek_plan::{AssetKind, Date, ExerciseResult, Id, Language, LocationKind, PartyKind, ScenarioKind, Strategy};

use crate::graph::{Ent, Node};
use crate::recovery::{Because, NEVER};
use crate::text::hours;
use crate::{Analysis, Report};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    Info,
    Warning,
    Error,
    Critical,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
            Severity::Critical => "critical",
        }
    }

    pub fn label(self, lang: Language) -> &'static str {
        match (self, lang) {
            (Severity::Info, Language::En) => "info",
            (Severity::Warning, Language::En) => "warning",
            (Severity::Error, Language::En) => "error",
            (Severity::Critical, Language::En) => "critical",
            (Severity::Info, Language::Nl) => "info",
            (Severity::Warning, Language::Nl) => "waarschuwing",
            (Severity::Error, Language::Nl) => "fout",
            (Severity::Critical, Language::Nl) => "kritiek",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Area {
    Inventory,
    People,
    Parties,
    Impact,
    Backups,
    Telephony,
    Workplaces,
    Scenarios,
    Upkeep,
}

pub const AREAS: &[Area] = &[
    Area::Inventory,
    Area::People,
    Area::Parties,
    Area::Impact,
    Area::Backups,
    Area::Telephony,
    Area::Workplaces,
    Area::Scenarios,
    Area::Upkeep,
];

impl Area {
    pub fn as_str(self) -> &'static str {
        match self {
            Area::Inventory => "inventory",
            Area::People => "people",
            Area::Parties => "parties",
            Area::Impact => "impact",
            Area::Backups => "backups",
            Area::Telephony => "telephony",
            Area::Workplaces => "workplaces",
            Area::Scenarios => "scenarios",
            Area::Upkeep => "upkeep",
        }
    }

    pub fn label(self, lang: Language) -> &'static str {
        match lang {
            Language::En => match self {
                Area::Inventory => "Inventory",
                Area::People => "People",
                Area::Parties => "Parties",
                Area::Impact => "Impact",
                Area::Backups => "Backups",
                Area::Telephony => "Telephony",
                Area::Workplaces => "Workplaces",
                Area::Scenarios => "Scenarios",
                Area::Upkeep => "Upkeep",
            },
            Language::Nl => match self {
                Area::Inventory => "Inventaris",
                Area::People => "Mensen",
                Area::Parties => "Partijen",
                Area::Impact => "Impact",
                Area::Backups => "Back-ups",
                Area::Telephony => "Telefonie",
                Area::Workplaces => "Werkplekken",
                Area::Scenarios => "Scenario's",
                Area::Upkeep => "Onderhoud",
            },
        }
    }
}

/// A message in one language: what is wrong, and how to fix it. `{s}` is
/// the subject; `{a}`, `{b}` and `{c}` are details given by the check.
#[derive(Debug, Clone, Copy)]
pub struct Msg {
    pub what: &'static str,
    pub fix: &'static str,
}

/// One check of the catalogue. Both languages are fields, so a check
/// cannot exist in one language only.
#[derive(Debug)]
pub struct Check {
    pub code: &'static str,
    pub severity: Severity,
    pub area: Area,
    pub en: Msg,
    pub nl: Msg,
}

impl Check {
    pub fn msg(&self, lang: Language) -> Msg {
        match lang {
            Language::En => self.en,
            Language::Nl => self.nl,
        }
    }
}

impl PartialEq for Check {
    fn eq(&self, other: &Check) -> bool {
        self.code == other.code
    }
}

macro_rules! checks {
    ($($name:ident $code:literal $sev:ident $area:ident
        en: $enw:literal, $enf:literal;
        nl: $nlw:literal, $nlf:literal;)+) => {
        $(pub const $name: Check = Check {
            code: $code,
            severity: Severity::$sev,
            area: Area::$area,
            en: Msg { what: $enw, fix: $enf },
            nl: Msg { what: $nlw, fix: $nlf },
        };)+
        /// Every check, in catalogue order.
        pub const CHECKS: &[&Check] = &[$(&$name),+];
    };
}

checks! {
    INV001 "INV001" Warning Inventory
        en: "asset {s} ({a}) has no serial number", "Add `serial`: the insurer and the supplier ask for it.";
        nl: "middel {s} ({a}) heeft geen serienummer", "Vul `serial` in: de verzekeraar en de leverancier vragen erom.";
    INV002 "INV002" Warning Inventory
        en: "asset {s} ({a}) has no specifications", "Add `specs` (processor, memory, disks, operating system) so a replacement can be ordered.";
        nl: "middel {s} ({a}) heeft geen specificaties", "Vul `specs` in (processor, geheugen, schijven, besturingssysteem) zodat vervanging besteld kan worden.";
    INV003 "INV003" Warning Inventory
        en: "the warranty of {s} ended on {a}, and priority-1 process {b} depends on it", "Extend the warranty or plan the replacement of {s}.";
        nl: "de garantie van {s} is verlopen op {a}, en prioriteit-1-proces {b} is ervan afhankelijk", "Verleng de garantie of plan de vervanging van {s}.";
    INV004 "INV004" Error Inventory
        en: "asset {s} is needed by process {a}, but {b}", "Add a `replacement` with a strategy and, for buy or rent, a `supplier`.";
        nl: "middel {s} is nodig voor proces {a}, maar {b}", "Vul `replacement` in met een strategie en, bij kopen of huren, een `supplier`.";
    INV005 "INV005" Warning Inventory
        en: "the replacement of {s} has no {a}", "Add {a}: without it the analysis counts 0 hours, which is too optimistic.";
        nl: "de vervanging van {s} heeft geen {a}", "Vul {a} in: zonder telt de analyse 0 uur, wat te optimistisch is.";
    PPL001 "PPL001" Error People
        en: "the plan names no {a}", "Set `organisation.{a}` to the person who takes this role.";
        nl: "het plan noemt geen {a}", "Vul `organisation.{a}` in met de persoon die deze rol heeft.";
    PPL002 "PPL002" Warning People
        en: "the {a}, {s}, has no deputy", "Set `deputy` for {s}: someone must take over when {s} is unreachable.";
        nl: "de {a}, {s}, heeft geen plaatsvervanger", "Vul `deputy` in voor {s}: iemand moet het overnemen als {s} onbereikbaar is.";
    PPL003 "PPL003" Error People
        en: "person {s} has a crisis role ({a}) but no mobile number", "Add `mobile` for {s}: desk phones do not work when the office is gone.";
        nl: "persoon {s} heeft een crisisrol ({a}) maar geen mobiel nummer", "Vul `mobile` in voor {s}: vaste toestellen werken niet als het kantoor weg is.";
    PPL004 "PPL004" Warning People
        en: "person {s} has a crisis role ({a}) but no private e-mail address", "Add `private_email` for {s}: company mail may be down.";
        nl: "persoon {s} heeft een crisisrol ({a}) maar geen privé-e-mailadres", "Vul `private_email` in voor {s}: de zakelijke mail kan plat liggen.";
    PPL005 "PPL005" Warning People
        en: "department {s} has no responsible person", "Set `responsible` for department {s}.";
        nl: "afdeling {s} heeft geen verantwoordelijke", "Vul `responsible` in voor afdeling {s}.";
    PPL006 "PPL006" Warning People
        en: "{a}", "{b}";
        nl: "{a}", "{b}";
    PPL007 "PPL007" Warning People
        en: "application {s}, needed by priority-1 process {b}, {a}", "Add a second person or a party to `restore_by` of {s}.";
        nl: "applicatie {s}, nodig voor prioriteit-1-proces {b}, {a}", "Voeg een tweede persoon of een partij toe aan `restore_by` van {s}.";
    PTY001 "PTY001" Warning Parties
        en: "the plan has no party of kind {a}", "Add the {b} to `parties`, with phone number and contract or policy number.";
        nl: "het plan heeft geen partij van soort {a}", "Voeg de {b} toe aan `parties`, met telefoonnummer en contract- of polisnummer.";
    PTY002 "PTY002" Error Parties
        en: "the plan says to call party {s} ({a}), but it has no phone number", "Add `phone` for {s}.";
        nl: "het plan zegt partij {s} ({a}) te bellen, maar er is geen telefoonnummer", "Vul `phone` in voor {s}.";
    BIA001 "BIA001" Error Impact
        en: "process {s} has no {a}", "Set {a} for {s}: without it the recovery order and the objectives are unknown.";
        nl: "proces {s} heeft geen {a}", "Vul {a} in voor {s}: zonder is de herstelvolgorde en de doelstelling onbekend.";
    BIA002 "BIA002" Error Impact
        en: "process {s} has an RTO of {a}, longer than its maximum tolerable disruption of {b}", "Lower `rto_hours` or raise `mtpd_hours` of {s}: the RTO must fit within the MTPD.";
        nl: "proces {s} heeft een RTO van {a}, langer dan de maximaal toelaatbare uitval van {b}", "Verlaag `rto_hours` of verhoog `mtpd_hours` van {s}: de RTO moet binnen de MTPD passen.";
    BIA003 "BIA003" Warning Impact
        en: "data set {s} is needed by process {a} but has no RPO", "Set `rpo_hours` for {s}: how much data loss is acceptable?";
        nl: "gegevensverzameling {s} is nodig voor proces {a} maar heeft geen RPO", "Vul `rpo_hours` in voor {s}: hoeveel dataverlies is acceptabel?";
    BAK001 "BAK001" Error Backups
        en: "data set {s} has no backup", "Add a backup to {s}, preferably off-site and immutable.";
        nl: "gegevensverzameling {s} heeft geen back-up", "Voeg een back-up toe aan {s}, bij voorkeur extern en onveranderbaar.";
    BAK002 "BAK002" Error Backups
        en: "every backup of {s} is kept at {a}, where the data itself is: it burns with the office", "Add a backup of {s} in the cloud or at another location.";
        nl: "elke back-up van {s} staat op {a}, waar de gegevens zelf ook staan: die brandt mee met het kantoor", "Voeg een back-up van {s} toe in de cloud of op een andere locatie.";
    BAK003 "BAK003" Error Backups
        en: "no backup of {s} is made at least every {a} (its RPO); the most frequent is every {b}", "Make a backup of {s} at least every {a}, or raise the RPO if the business accepts more loss.";
        nl: "geen back-up van {s} wordt minstens elke {a} gemaakt (de RPO); de frequentste is elke {b}", "Maak minstens elke {a} een back-up van {s}, of verhoog de RPO als het bedrijf meer verlies accepteert.";
    BAK004 "BAK004" Warning Backups
        en: "data set {s} has no immutable or offline backup: ransomware can take every copy", "Add an immutable backup (`immutable: true`) or an offline one (usb, tape) for {s}.";
        nl: "gegevensverzameling {s} heeft geen onveranderbare of offline back-up: ransomware kan elke kopie raken", "Voeg een onveranderbare (`immutable: true`) of offline back-up (usb, tape) toe voor {s}.";
    BAK005 "BAK005" Warning Backups
        en: "the restore of backup {s} {a}", "Test a restore of {s} and record the date in `last_restore_test`.";
        nl: "het terugzetten van back-up {s} {a}", "Test het terugzetten van {s} en leg de datum vast in `last_restore_test`.";
    TEL001 "TEL001" Warning Telephony
        en: "number {s} ({a}) is not forwarded anywhere when the office is down", "Set `forward_to` (a person or a number), `forward_how` and `forward_minutes` for {s}.";
        nl: "nummer {s} ({a}) wordt nergens heen doorgeschakeld als het kantoor plat ligt", "Vul `forward_to` (een persoon of een nummer), `forward_how` en `forward_minutes` in voor {s}.";
    LOC001 "LOC001" Warning Workplaces
        en: "there is no alternate location, but process {a} cannot be done from home", "Arrange an alternate location (flex office, other branch) and add it with kind `alternate`.";
        nl: "er is geen uitwijklocatie, maar proces {a} kan niet thuis worden gedaan", "Regel een uitwijklocatie (flexkantoor, andere vestiging) en voeg die toe met soort `alternate`.";
    LOC002 "LOC002" Warning Workplaces
        en: "the alternate locations have {a} workplaces, but the priority-1 processes that need one need {b}", "Arrange more workplaces at the alternate location, or make processes remote-capable.";
        nl: "de uitwijklocaties hebben {a} werkplekken, maar de prioriteit-1-processen die er een nodig hebben vragen er {b}", "Regel meer werkplekken op de uitwijklocatie, of maak processen geschikt voor thuiswerk.";
    SCN001 "SCN001" Error Scenarios
        en: "in scenario {c}, process {s} is back after {a}, later than its RTO of {b}", "Shorten what it waits on (see the explanation): a spare or rental replacement, a faster restore, or a remote workplace.";
        nl: "in scenario {c} is proces {s} pas na {a} terug, later dan de RTO van {b}", "Verkort waar het op wacht (zie de uitleg): reserve- of huurvervanging, sneller terugzetten, of thuiswerken.";
    SCN002 "SCN002" Critical Scenarios
        en: "in scenario {c}, process {s} is back after {a}, beyond its maximum tolerable disruption of {b}", "This threatens the business: shorten what it waits on (see the explanation) or arrange a workaround.";
        nl: "in scenario {c} is proces {s} pas na {a} terug, voorbij de maximaal toelaatbare uitval van {b}", "Dit bedreigt het bedrijf: verkort waar het op wacht (zie de uitleg) of regel een noodoplossing.";
    SCN003 "SCN003" Error Scenarios
        en: "in scenario {c}, data set {s} loses {a}, more than its RPO of {b}", "Make backups of {s} more often, or keep one where this scenario does not reach.";
        nl: "in scenario {c} verliest gegevensverzameling {s} {a}, meer dan de RPO van {b}", "Maak vaker back-ups van {s}, of bewaar er een waar dit scenario niet komt.";
    SCN004 "SCN004" Critical Scenarios
        en: "in scenario {c}, {s} never comes back; it is needed by {a}", "Give {s} what it lacks: {b}.";
        nl: "in scenario {c} komt {s} nooit terug; het is nodig voor {a}", "Geef {s} wat ontbreekt: {b}.";
    SCN005 "SCN005" Warning Scenarios
        en: "the plan has no scenario of kind {s}", "Add a scenario of kind {s}: every office should plan for it.";
        nl: "het plan heeft geen scenario van soort {s}", "Voeg een scenario van soort {s} toe: elk kantoor hoort daarop voorbereid te zijn.";
    SPF001 "SPF001" Warning Scenarios
        en: "asset {s} is a single point of failure: if only it is lost, priority-1 process {a} misses its RTO ({b})", "Keep a spare for {s}, arrange a faster replacement, or remove the dependency.";
        nl: "middel {s} is een enkelvoudig faalpunt: als alleen dit verloren gaat, mist prioriteit-1-proces {a} de RTO ({b})", "Houd een reserve voor {s}, regel snellere vervanging, of haal de afhankelijkheid weg.";
    MNT001 "MNT001" Warning Upkeep
        en: "{a}", "Review the whole plan with the people in it and set `last_reviewed`.";
        nl: "{a}", "Loop het hele plan door met de betrokkenen en vul `last_reviewed` in.";
    MNT002 "MNT002" Warning Upkeep
        en: "{a} {s} was not covered by an exercise in the last 12 months", "Plan an exercise that covers {s} and record it under `exercises`.";
        nl: "{a} {s} is de afgelopen 12 maanden niet in een oefening getest", "Plan een oefening voor {s} en leg die vast onder `exercises`.";
    MNT003 "MNT003" Error Upkeep
        en: "the latest exercise covering {s} ({a}, {b}) failed, and none passed since", "Fix what the exercise found and repeat it until it passes.";
        nl: "de laatste oefening voor {s} ({a}, {b}) is mislukt, en sindsdien is er geen geslaagd", "Los op wat de oefening aan het licht bracht en herhaal haar tot ze slaagt.";
    MNT004 "MNT004" Warning Upkeep
        en: "exercise {a} measured {b} for {s}, but the plan assumes {c}", "Update the plan to the measured time, or make the procedure faster.";
        nl: "oefening {a} mat {b} voor {s}, maar het plan gaat uit van {c}", "Pas het plan aan op de gemeten tijd, of maak de procedure sneller.";
}

/// One thing the check found.
#[derive(Debug, Clone, PartialEq)]
pub struct Finding {
    pub check: &'static Check,
    /// The id of the entity it is about (or a kind, or `organisation`).
    pub subject: String,
    pub scenario: Option<String>,
    pub message: String,
    pub fix: String,
    /// For scenario findings: the chain of what the subject waited on.
    pub explanation: Option<String>,
}

/// The readiness score: per area the share of its applicable checks that
/// pass, and the mean of the areas that apply.
#[derive(Debug, Clone, PartialEq)]
pub struct Score {
    pub overall: Option<u32>,
    pub areas: BTreeMap<Area, u32>,
}

struct Run<'a, 'p> {
    a: &'a Analysis<'p>,
    lang: Language,
    today: Date,
    findings: Vec<Finding>,
    applies: HashSet<&'static str>,
}

fn fill(template: &str, s: &str, args: &[&str]) -> String {
    let mut out = template.replace("{s}", s);
    for (name, v) in ["{a}", "{b}", "{c}"].iter().zip(args) {
        out = out.replace(name, v);
    }
    out
}

impl Run<'_, '_> {
    fn applies(&mut self, check: &'static Check) {
        self.applies.insert(check.code);
    }

    fn find(&mut self, check: &'static Check, subject: &str, args: &[&str]) -> &mut Finding {
        self.applies.insert(check.code);
        let m = check.msg(self.lang);
        self.findings.push(Finding {
            check,
            subject: subject.to_owned(),
            scenario: None,
            message: capitalise(&fill(m.what, subject, args)),
            fix: fill(m.fix, subject, args),
            explanation: None,
        });
        self.findings.last_mut().expect("just pushed")
    }

    fn t(&self, en: &'static str, nl: &'static str) -> &'static str {
        match self.lang {
            Language::En => en,
            Language::Nl => nl,
        }
    }

    fn h(&self, h: f64) -> String {
        hours(h, self.lang)
    }
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

pub fn run(a: &Analysis<'_>, today: Date, lang: Language) -> Report {
    let mut r = Run { a, lang, today, findings: Vec::new(), applies: HashSet::new() };
    inventory(&mut r);
    people(&mut r);
    parties(&mut r);
    impact(&mut r);
    backups(&mut r);
    telephony_and_places(&mut r);
    scenarios(&mut r);
    upkeep(&mut r);
    let mut findings = r.findings;
    findings.sort_by(|x, y| {
        y.check
            .severity
            .cmp(&x.check.severity)
            .then(x.check.code.cmp(y.check.code))
            .then(x.scenario.cmp(&y.scenario))
            .then(x.subject.cmp(&y.subject))
    });
    let score = score(&findings, &r.applies);
    Report { findings, score }
}

fn score(findings: &[Finding], applies: &HashSet<&'static str>) -> Score {
    let failed: HashSet<&str> = findings.iter().map(|f| f.check.code).collect();
    let mut areas = BTreeMap::new();
    for &area in AREAS {
        let applicable: Vec<&&Check> = CHECKS.iter().filter(|c| c.area == area && applies.contains(c.code)).collect();
        if applicable.is_empty() {
            continue;
        }
        let passed = applicable.iter().filter(|c| !failed.contains(c.code)).count();
        areas.insert(area, ((passed * 100) as f64 / applicable.len() as f64).round() as u32);
    }
    let overall = (!areas.is_empty()).then(|| (areas.values().sum::<u32>() as f64 / areas.len() as f64).round() as u32);
    Score { overall, areas }
}

/// Per node, the most important process (of those `keep` accepts) that
/// depends on it, directly or not. One walk over all processes, most
/// important first: a node reached before keeps its better process.
fn dependents(a: &Analysis<'_>, keep: impl Fn(usize) -> bool) -> HashMap<Node, usize> {
    let g = &a.graph;
    let mut out: HashMap<Node, usize> = HashMap::new();
    let mut stack = Vec::new();
    for &p in g.process_rank.iter().filter(|&&p| keep(p)) {
        stack.extend(g.process_needs[p].iter().copied());
        while let Some(n) = stack.pop() {
            if let std::collections::hash_map::Entry::Vacant(e) = out.entry(n) {
                e.insert(p);
                g.push_deps(n, &mut stack);
            }
        }
    }
    out
}

fn inventory(r: &mut Run<'_, '_>) {
    let plan = r.a.plan();
    use AssetKind as K;
    let p1 = dependents(r.a, |p| plan.processes[p].priority == Some(1));
    let needed = dependents(r.a, |_| true);
    for (i, asset) in plan.assets.iter().enumerate() {
        let id = asset.id.as_str();
        let kind = asset.kind.as_str();
        if matches!(
            asset.kind,
            K::Workstation
                | K::Laptop
                | K::Server
                | K::Nas
                | K::Switch
                | K::Router
                | K::Firewall
                | K::Pbx
                | K::Printer
                | K::Scanner
                | K::Fax
                | K::IdScanner
        ) && asset.quantity() == 1
        {
            r.applies(&INV001);
            if asset.serial.as_deref().is_none_or(|s| s.trim().is_empty()) {
                r.find(&INV001, id, &[kind]);
            }
        }
        if matches!(asset.kind, K::Server | K::Nas | K::Pbx | K::Firewall) {
            r.applies(&INV002);
            if asset.specs.as_deref().is_none_or(|s| s.trim().is_empty()) {
                r.find(&INV002, id, &[kind]);
            }
        }
        if let (Some(&p), Some(w)) = (p1.get(&Node::Asset(i)), asset.warranty_until) {
            r.applies(&INV003);
            if w < r.today {
                let pid = plan.processes[p].id.to_string();
                r.find(&INV003, id, &[&w.to_string(), &pid]);
            }
        }
        if let Some(&p) = needed.get(&Node::Asset(i)) {
            r.applies(&INV004);
            let pid = plan.processes[p].id.to_string();
            let problem = match &asset.replacement {
                None => Some(r.t("the plan has no replacement for it", "het plan heeft er geen vervanging voor")),
                Some(rep) if rep.strategy == Strategy::None => {
                    Some(r.t("its replacement strategy is `none`", "de vervangingsstrategie is `none`"))
                }
                Some(rep) if matches!(rep.strategy, Strategy::Buy | Strategy::Rent) && rep.supplier.is_none() => {
                    Some(r.t("its replacement names no supplier", "de vervanging noemt geen leverancier"))
                }
                _ => None,
            };
            if let Some(problem) = problem {
                r.find(&INV004, id, &[&pid, problem]);
            }
        }
        if let Some(rep) = &asset.replacement
            && rep.strategy != Strategy::None
        {
            r.applies(&INV005);
            if rep.lead_time_hours.is_none() && rep.strategy != Strategy::Spare {
                r.find(&INV005, id, &["`lead_time_hours`"]);
            }
            if rep.setup_hours.is_none() {
                r.find(&INV005, id, &["`setup_hours`"]);
            }
        }
    }
}

/// People in a crisis role, with their roles named, in a stable order.
fn crisis_roles(r: &Run<'_, '_>) -> Vec<(Id, String)> {
    let plan = r.a.plan();
    r.a.crisis_roles()
        .into_iter()
        .map(|(p, roles)| {
            let names: Vec<&str> = roles.iter().map(|x| x.label(r.lang)).collect();
            (plan.people[p].id.clone(), names.join(", "))
        })
        .collect()
}

fn people(r: &mut Run<'_, '_>) {
    let plan = r.a.plan();
    let o = &plan.organisation;
    r.applies(&PPL001);
    for (field, value) in [("crisis_coordinator", &o.crisis_coordinator), ("plan_activator", &o.plan_activator)] {
        if value.is_none() {
            r.find(&PPL001, "organisation", &[field]);
        }
    }
    let person = |id: &Id| match r.a.graph.ent(id.as_str()) {
        Some(Ent::Person(p)) => Some(&plan.people[p]),
        _ => None,
    };
    let mut chiefs: Vec<(&Id, &str)> = Vec::new();
    if let Some(c) = &o.crisis_coordinator {
        chiefs.push((c, r.t("crisis coordinator", "crisiscoördinator")));
    }
    if let Some(c) = &o.plan_activator
        && chiefs.iter().all(|(x, _)| *x != c)
    {
        chiefs.push((c, r.t("plan activator", "activator van het plan")));
    }
    for (id, role) in chiefs {
        r.applies(&PPL002);
        if person(id).is_some_and(|p| p.deputy.is_none()) {
            r.find(&PPL002, id.as_str(), &[role]);
        }
    }
    let roles = crisis_roles(r);
    for (id, role) in &roles {
        let Some(p) = person(id) else { continue };
        r.applies(&PPL003);
        r.applies(&PPL004);
        if p.mobile.is_none() {
            r.find(&PPL003, id.as_str(), &[role]);
        }
        if p.private_email.as_deref().is_none_or(|e| e.trim().is_empty()) {
            r.find(&PPL004, id.as_str(), &[role]);
        }
    }
    for d in &plan.departments {
        r.applies(&PPL005);
        if d.responsible.is_none() {
            r.find(&PPL005, d.id.as_str(), &[]);
        }
    }
    r.applies(&PPL006);
    if o.call_tree.is_empty() {
        let what = r.t("the plan has no call tree", "het plan heeft geen belboom");
        let fix = r.t(
            "Add `organisation.call_tree`: who calls whom when the plan is activated.",
            "Vul `organisation.call_tree` in: wie belt wie als het plan wordt geactiveerd.",
        );
        r.find(&PPL006, "organisation", &[what, fix]);
    } else {
        let reached: HashSet<&Id> =
            o.call_tree.iter().flat_map(|c| std::iter::once(&c.caller).chain(&c.calls)).collect();
        for (id, role) in &roles {
            if !reached.contains(id) {
                let what = match r.lang {
                    Language::En => format!("{id} has a crisis role ({role}) but the call tree never reaches them"),
                    Language::Nl => {
                        format!("{id} heeft een crisisrol ({role}) maar de belboom bereikt hem of haar nooit")
                    }
                };
                let fix = match r.lang {
                    Language::En => format!("Add {id} to the `calls` of someone in the call tree."),
                    Language::Nl => format!("Zet {id} bij de `calls` van iemand in de belboom."),
                };
                r.find(&PPL006, id.as_str(), &[&what, &fix]);
            }
        }
    }
    let g = &r.a.graph;
    let mut seen = HashSet::new();
    for &p in &g.process_rank {
        let pr = &plan.processes[p];
        if pr.priority != Some(1) {
            continue;
        }
        for n in &g.process_needs[p] {
            let Node::App(i) = *n else { continue };
            if !seen.insert(i) {
                continue;
            }
            r.applies(&PPL007);
            let app = &plan.applications[i];
            let people: Vec<&Id> =
                app.restore_by.iter().filter(|x| matches!(g.ent(x.as_str()), Some(Ent::Person(_)))).collect();
            let has_party = app.restore_by.iter().any(|x| matches!(g.ent(x.as_str()), Some(Ent::Party(_))));
            if !has_party && people.len() < 2 {
                let who = match (people.first(), r.lang) {
                    (Some(x), Language::En) => format!("can be restored by {x} alone"),
                    (Some(x), Language::Nl) => format!("kan alleen door {x} worden hersteld"),
                    (None, _) => {
                        r.t("names nobody who can restore it", "noemt niemand die haar kan herstellen").to_owned()
                    }
                };
                r.find(&PPL007, app.id.as_str(), &[&who, pr.id.as_str()]);
            }
        }
    }
}

fn parties(r: &mut Run<'_, '_>) {
    let plan = r.a.plan();
    r.applies(&PTY001);
    let has = |k: &[PartyKind]| plan.parties.iter().any(|p| k.contains(&p.kind));
    if !has(&[PartyKind::Insurer]) {
        r.find(&PTY001, "insurer", &["insurer", r.t("insurer", "verzekeraar")]);
    }
    if !has(&[PartyKind::ItProvider, PartyKind::NetworkAdmin]) {
        r.find(&PTY001, "it_provider", &["it_provider / network_admin", r.t("IT provider", "IT-leverancier")]);
    }
    if !plan.telephony.is_empty() && !has(&[PartyKind::Telecom]) {
        r.find(&PTY001, "telecom", &["telecom", r.t("telecom provider", "telecomprovider")]);
    }
    for (p, why) in r.a.called_parties() {
        r.applies(&PTY002);
        if plan.parties[p].phone.is_none() {
            r.find(&PTY002, plan.parties[p].id.as_str(), &[why[0].label(r.lang)]);
        }
    }
}

fn impact(r: &mut Run<'_, '_>) {
    let plan = r.a.plan();
    let g = &r.a.graph;
    for p in &plan.processes {
        r.applies(&BIA001);
        if p.priority.is_none() {
            r.find(&BIA001, p.id.as_str(), &["`priority`"]);
        }
        if p.rto_hours.is_none() {
            r.find(&BIA001, p.id.as_str(), &["`rto_hours`"]);
        }
        if let (Some(rto), Some(mtpd)) = (p.rto_hours, p.mtpd_hours) {
            r.applies(&BIA002);
            if rto.get() > mtpd.get() {
                let (a, b) = (r.h(rto.get()), r.h(mtpd.get()));
                r.find(&BIA002, p.id.as_str(), &[&a, &b]);
            }
        }
    }
    let mut seen = HashSet::new();
    for &p in &g.process_rank {
        let mut sets = Vec::new();
        for n in &g.process_needs[p] {
            match *n {
                Node::Data(d) => sets.push(d),
                Node::App(a) => sets.extend(g.app_deps[a].iter().filter_map(|x| match x {
                    Node::Data(d) => Some(*d),
                    _ => None,
                })),
                _ => {}
            }
        }
        for d in sets {
            if !seen.insert(d) {
                continue;
            }
            r.applies(&BIA003);
            if plan.data[d].rpo_hours.is_none() {
                r.find(&BIA003, plan.data[d].id.as_str(), &[plan.processes[p].id.as_str()]);
            }
        }
    }
}

fn backups(r: &mut Run<'_, '_>) {
    let plan = r.a.plan();
    let g = &r.a.graph;
    let year_ago = r.today.add_months(-12);
    for (d, set) in plan.data.iter().enumerate() {
        let id = set.id.as_str();
        r.applies(&BAK001);
        if set.backups.is_empty() {
            r.find(&BAK001, id, &[]);
            continue;
        }
        r.applies(&BAK002);
        let home: HashSet<usize> = g.data_stored_on[d].iter().filter_map(|&a| g.asset_location[a]).collect();
        let away = g.backups[d].iter().any(|b| {
            b.location.is_none_or(|l| !home.contains(&l))
                && !b.stored_on.iter().any(|&a| g.asset_location[a].is_some_and(|l| home.contains(&l)))
        });
        if !away {
            let mut names: Vec<&str> = home.iter().map(|&l| plan.locations[l].id.as_str()).collect();
            names.sort_unstable();
            r.find(&BAK002, id, &[&names.join(", ")]);
        }
        if let Some(rpo) = set.rpo_hours {
            r.applies(&BAK003);
            let best = set.backups.iter().map(|b| b.every_hours.get()).fold(NEVER, f64::min);
            if best > rpo.get() {
                let (a, b) = (r.h(rpo.get()), r.h(best));
                r.find(&BAK003, id, &[&a, &b]);
            }
        }
        r.applies(&BAK004);
        if !set.backups.iter().any(|b| b.immutable() || b.kind.is_offline()) {
            r.find(&BAK004, id, &[]);
        }
        for b in &set.backups {
            r.applies(&BAK005);
            match b.last_restore_test {
                None => {
                    r.find(&BAK005, b.id.as_str(), &[r.t("was never tested", "is nooit getest")]);
                }
                Some(t) if t < year_ago => {
                    let what = match r.lang {
                        Language::En => format!("was last tested on {t}, more than 12 months ago"),
                        Language::Nl => format!("is het laatst getest op {t}, meer dan 12 maanden geleden"),
                    };
                    r.find(&BAK005, b.id.as_str(), &[&what]);
                }
                Some(_) => {}
            }
        }
    }
}

fn telephony_and_places(r: &mut Run<'_, '_>) {
    let plan = r.a.plan();
    for n in &plan.telephony {
        r.applies(&TEL001);
        if n.forward_to.is_none() {
            r.find(&TEL001, n.id.as_str(), &[n.number.as_str()]);
        }
    }
    let on_site: Vec<&draaiboek_plan::Process> = plan.processes.iter().filter(|p| !p.remote_capable()).collect();
    let alternates: Vec<&draaiboek_plan::Location> =
        plan.locations.iter().filter(|l| l.kind == LocationKind::Alternate).collect();
    if !plan.processes.is_empty() {
        r.applies(&LOC001);
        if alternates.is_empty()
            && let Some(p) = on_site.first()
        {
            r.find(&LOC001, "organisation", &[p.id.as_str()]);
        }
    }
    let need: u64 = on_site.iter().filter(|p| p.priority == Some(1)).map(|p| p.staff_needed() as u64).sum();
    if need > 0 {
        r.applies(&LOC002);
        let have: u64 = alternates.iter().map(|l| l.workplaces.unwrap_or(0) as u64).sum();
        if have < need {
            r.find(&LOC002, "organisation", &[&have.to_string(), &need.to_string()]);
        }
    }
}

/// The end of a chain: what a never-returning process ultimately waits on,
/// and what it lacks.
fn root_cause(r: &Run<'_, '_>, res: &crate::ScenarioResult, p: usize) -> Option<(Node, String)> {
    let chain = res.chain(Node::Process(p));
    let &(node, _, because) = chain.last()?;
    let lacks = match because {
        Because::NoReplacement => r.t(
            "a replacement (strategy, supplier, lead and set-up time)",
            "een vervanging (strategie, leverancier, lever- en inrichttijd)",
        ),
        Because::NoSurvivingBackup => r.t(
            "a backup that survives this scenario (off-site, and immutable or offline against ransomware)",
            "een back-up die dit scenario overleeft (extern, en onveranderbaar of offline tegen ransomware)",
        ),
        Because::PartyHit => r.t(
            "an alternative for this party, or a forwarding that does not need it",
            "een alternatief voor deze partij, of doorschakelen zonder haar",
        ),
        _ => return None,
    };
    Some((node, lacks.to_owned()))
}

fn scenarios(r: &mut Run<'_, '_>) {
    let a = r.a;
    let plan = a.plan();
    let g = &a.graph;
    r.applies(&SCN005);
    for kind in [ScenarioKind::Fire, ScenarioKind::PowerOutage, ScenarioKind::Ransomware] {
        if !plan.scenarios.iter().any(|s| s.kind == kind) {
            r.find(&SCN005, kind.as_str(), &[]);
        }
    }
    for res in &a.scenarios {
        let sid = plan.scenarios[res.scenario].id.to_string();
        let mut roots: HashMap<Node, Vec<usize>> = HashMap::new();
        let mut root_order = Vec::new();
        for &p in &g.process_rank {
            let pr = &plan.processes[p];
            let o = &res.processes[p];
            if pr.rto_hours.is_some() || pr.mtpd_hours.is_some() {
                r.applies(&SCN001);
                r.applies(&SCN002);
                r.applies(&SCN004);
            }
            if o.r == NEVER
                && let Some((node, lacks)) = root_cause(r, res, p)
            {
                let list = roots.entry(node).or_default();
                if list.is_empty() {
                    root_order.push((node, lacks));
                }
                list.push(p);
                continue;
            }
            let explanation = crate::explain::explain(g, res, Node::Process(p), r.lang);
            let (check, limit) = if o.misses_mtpd == Some(true) {
                (&SCN002, pr.mtpd_hours)
            } else if o.misses_rto == Some(true) {
                (&SCN001, pr.rto_hours)
            } else {
                continue;
            };
            let (x, y) = (r.h(o.r), r.h(limit.map_or(0.0, |h| h.get())));
            let f = r.find(check, pr.id.as_str(), &[&x, &y, &sid]);
            f.scenario = Some(sid.clone());
            f.explanation = Some(explanation);
        }
        for (node, lacks) in root_order {
            let procs: Vec<&str> = roots[&node].iter().map(|&p| plan.processes[p].id.as_str()).collect();
            let explanation = crate::explain::explain(g, res, Node::Process(roots[&node][0]), r.lang);
            let noun = match (procs.len(), r.lang) {
                (1, Language::En) => "process",
                (_, Language::En) => "processes",
                (1, Language::Nl) => "proces",
                (_, Language::Nl) => "processen",
            };
            let who = format!("{noun} {}", procs.join(", "));
            let f = r.find(&SCN004, g.id(node), &[&who, &lacks, &sid]);
            f.scenario = Some(sid.clone());
            f.explanation = Some(explanation);
        }
        for (d, set) in plan.data.iter().enumerate() {
            let Some(rpo) = set.rpo_hours else { continue };
            r.applies(&SCN003);
            let o = &res.data[d];
            if crate::output::misses_rpo(plan, d, o.loss) == Some(true) {
                let lost = match o.loss {
                    Some(l) => r.h(l),
                    None => r.t("everything", "alles").to_owned(),
                };
                let limit = r.h(rpo.get());
                let explanation = crate::explain::explain(g, res, Node::Data(d), r.lang);
                let f = r.find(&SCN003, set.id.as_str(), &[&lost, &limit, &sid]);
                f.scenario = Some(sid.clone());
                f.explanation = Some(explanation);
            }
        }
    }
    let spf = a.single_points_of_failure();
    if plan.processes.iter().any(|p| p.priority == Some(1) && p.rto_hours.is_some()) {
        r.applies(&SPF001);
    }
    for (asset, p, t) in spf {
        let th = match (t.is_finite(), r.lang) {
            (true, Language::En) => format!("back after {}", r.h(t)),
            (true, Language::Nl) => format!("terug na {}", r.h(t)),
            (false, _) => r.t("never back", "komt nooit terug").to_owned(),
        };
        r.find(&SPF001, plan.assets[asset].id.as_str(), &[plan.processes[p].id.as_str(), &th]);
    }
}

fn upkeep(r: &mut Run<'_, '_>) {
    let plan = r.a.plan();
    let g = &r.a.graph;
    let o = &plan.organisation;
    r.applies(&MNT001);
    let every = o.review_every_months.unwrap_or(12);
    match o.last_reviewed {
        None => {
            let what = r.t("the plan was never reviewed", "het plan is nooit doorgelopen");
            r.find(&MNT001, "organisation", &[what]);
        }
        Some(last) => {
            let due = last.add_months(every as i32);
            if due < r.today {
                let what = match r.lang {
                    Language::En => {
                        format!("the plan's review was due on {due} (last reviewed {last}, every {every} months)")
                    }
                    Language::Nl => {
                        format!("het plan had op {due} doorgelopen moeten worden (laatst {last}, elke {every} maanden)")
                    }
                };
                r.find(&MNT001, "organisation", &[&what]);
            }
        }
    }
    let year_ago = r.today.add_months(-12);
    let recent: Vec<&draaiboek_plan::Exercise> =
        plan.exercises.iter().filter(|e| e.performed.is_some_and(|d| d >= year_ago && d <= r.today)).collect();
    let covered = |id: &Id| recent.iter().any(|e| e.covers.contains(id));
    let mut items: Vec<(&'static str, &Id)> = Vec::new();
    for p in &plan.processes {
        if p.priority == Some(1) {
            items.push((r.t("Priority-1 process", "Prioriteit-1-proces"), &p.id));
        }
    }
    for set in &plan.data {
        // A backup is covered by an exercise of it or of its data set.
        if !covered(&set.id) {
            items.extend(set.backups.iter().map(|b| (r.t("Backup", "Back-up"), &b.id)));
        }
    }
    for n in &plan.telephony {
        if n.forward_to.is_some() {
            items.push((r.t("Forwarded number", "Doorgeschakeld nummer"), &n.id));
        }
    }
    for l in &plan.locations {
        if l.kind == LocationKind::Alternate {
            items.push((r.t("Alternate location", "Uitwijklocatie"), &l.id));
        }
    }
    for (what, id) in items {
        r.applies(&MNT002);
        if !covered(id) {
            r.find(&MNT002, id.as_str(), &[what]);
        }
    }
    // MNT003: per covered id, the latest performed exercise with a result.
    let mut latest: BTreeMap<&Id, (&Date, &draaiboek_plan::Exercise)> = BTreeMap::new();
    for e in &plan.exercises {
        let (Some(d), Some(_)) = (e.performed.as_ref(), e.result) else { continue };
        for c in &e.covers {
            let newer = latest.get(c).is_none_or(|(ld, le)| d > *ld || (d == *ld && e.id > le.id));
            if newer {
                latest.insert(c, (d, e));
            }
        }
    }
    for (id, (d, e)) in latest {
        r.applies(&MNT003);
        if e.result == Some(ExerciseResult::Failed) {
            r.find(&MNT003, id.as_str(), &[e.id.as_str(), &d.to_string()]);
        }
    }
    for e in &plan.exercises {
        let Some(m) = e.measured_hours else { continue };
        for c in &e.covers {
            let assumed = match g.ent(c.as_str()) {
                Some(Ent::App(a)) => plan.applications[a].restore_hours.map(|h| h.get()),
                Some(Ent::Backup(d, b)) => Some(plan.data[d].backups[b].restore_hours.get()),
                Some(Ent::Data(d)) => plan.data[d].backups.iter().map(|b| b.restore_hours.get()).reduce(f64::max),
                Some(Ent::Number(n)) => plan.telephony[n].forward_minutes.map(|x| x.get() / 60.0),
                Some(Ent::Location(l)) => plan.locations[l].ready_within_hours.map(|h| h.get()),
                _ => None,
            };
            let Some(assumed) = assumed else { continue };
            r.applies(&MNT004);
            if m.get() > assumed {
                let (x, y) = (r.h(m.get()), r.h(assumed));
                r.find(&MNT004, c.as_str(), &[e.id.as_str(), &x, &y]);
            }
        }
    }
}
