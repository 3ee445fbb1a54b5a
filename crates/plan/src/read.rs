//! Reading a plan: YAML nodes -> typed model, collecting every problem.

use std::collections::{HashMap, HashSet};
use std::fmt;

use crate::model::*;
use crate::problem::Problem;
use crate::types::{Date, Hours, Id, Phone, closest};
use crate::value::{Plain, Value, resolve_plain};
use crate::yaml::{Kind, Node, Pos};

pub const FORMAT: &str = "draaiboek/v1";
pub const SUPPORTED_FORMATS: &[&str] = &[FORMAT];

/// The kinds of entity that have ids and can be referred to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum EntityKind {
    Location,
    Person,
    Department,
    Party,
    Asset,
    Number,
    Application,
    Data,
    Backup,
    Process,
    Scenario,
    Task,
    Exercise,
}

impl EntityKind {
    /// The kind's name in Dutch, for messages.
    pub fn noun_nl(self) -> &'static str {
        match self {
            EntityKind::Location => "locatie",
            EntityKind::Person => "persoon",
            EntityKind::Department => "afdeling",
            EntityKind::Party => "partij",
            EntityKind::Asset => "ICT-middel",
            EntityKind::Number => "telefoonnummer",
            EntityKind::Application => "applicatie",
            EntityKind::Data => "gegevensverzameling",
            EntityKind::Backup => "back-up",
            EntityKind::Process => "proces",
            EntityKind::Scenario => "scenario",
            EntityKind::Task => "taak",
            EntityKind::Exercise => "oefening",
        }
    }

    fn noun_in(self, en: bool) -> &'static str {
        if en { self.noun() } else { self.noun_nl() }
    }

    pub fn noun(self) -> &'static str {
        match self {
            EntityKind::Location => "location",
            EntityKind::Person => "person",
            EntityKind::Department => "department",
            EntityKind::Party => "party",
            EntityKind::Asset => "asset",
            EntityKind::Number => "telephone number",
            EntityKind::Application => "application",
            EntityKind::Data => "data set",
            EntityKind::Backup => "backup",
            EntityKind::Process => "process",
            EntityKind::Scenario => "scenario",
            EntityKind::Task => "task",
            EntityKind::Exercise => "exercise",
        }
    }
}

use EntityKind as E;

const ANY: &[EntityKind] = &[
    E::Location,
    E::Person,
    E::Department,
    E::Party,
    E::Asset,
    E::Number,
    E::Application,
    E::Data,
    E::Backup,
    E::Process,
    E::Scenario,
    E::Task,
    E::Exercise,
];

struct Def {
    id: Id,
    kind: EntityKind,
    pos: Pos,
}

/// A graph whose cycles are errors.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Graph {
    Assets,
    Tasks,
}

/// A reference, checked once every id is known. Its path is found again
/// from its position only when it is wrong.
struct RefSite {
    id: Id,
    allowed: &'static [EntityKind],
    pos: Pos,
    /// For edges of a graph that must stay acyclic: (graph, from).
    edge: Option<(Graph, Id)>,
}

#[derive(Default)]
struct Cx {
    /// Messages in English (else Dutch).
    en: bool,
    problems: Vec<Problem>,
    defs: Vec<Def>,
    refs: Vec<RefSite>,
}

/// Where a value sits in the file, as `applications[2].runs_on[0]`. Built
/// on the stack while reading and turned into text only for a problem, so
/// that reading a large plan allocates no paths.
#[derive(Clone, Copy)]
enum Path<'a> {
    Root,
    Key(&'a Path<'a>, &'a str),
    Index(&'a Path<'a>, usize),
}

impl fmt::Display for Path<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Path::Root => Ok(()),
            Path::Key(Path::Root, key) => f.write_str(key),
            Path::Key(parent, key) => write!(f, "{parent}.{key}"),
            Path::Index(parent, i) => write!(f, "{parent}[{i}]"),
        }
    }
}

fn describe(node: &Node, en: bool) -> &'static str {
    match (&node.kind, en) {
        (Kind::Scalar { .. }, true) => "a single value",
        (Kind::Seq(_), true) => "a list",
        (Kind::Map(_), true) => "a mapping",
        (Kind::Scalar { .. }, false) => "een enkele waarde",
        (Kind::Seq(_), false) => "een lijst",
        (Kind::Map(_), false) => "een mapping",
    }
}

/// The keys of one mapping, handed out one by one so that what is left at
/// the end is unknown.
struct Fields<'a, 'p> {
    pos: Pos,
    path: &'p Path<'p>,
    entries: Vec<(&'a str, &'a Node, &'a Node)>,
    used: Vec<bool>,
    known: Vec<&'static str>,
}

impl Cx {
    fn err(&mut self, pos: Pos, path: &Path<'_>, message: impl Into<String>) -> &mut Problem {
        self.problems.push(Problem::new(Some(pos), path.to_string(), message));
        self.problems.last_mut().expect("just pushed")
    }

    fn fields<'a, 'p>(&mut self, node: &'a Node, path: &'p Path<'p>) -> Option<Fields<'a, 'p>> {
        let Kind::Map(entries) = &node.kind else {
            let found = describe(node, self.en);
            let m = tr!(
                self.en,
                "expected a mapping of `key: value` lines, found {found}",
                "verwacht regels `sleutel: waarde`, gevonden: {found}"
            );
            self.err(node.pos, path, m);
            return None;
        };
        let mut list: Vec<(&str, &Node, &Node)> = Vec::with_capacity(entries.len());
        for (k, v) in entries {
            let Kind::Scalar { text, .. } = &k.kind else {
                let m = tr!(
                    self.en,
                    "a key must be a single word, not a list or mapping",
                    "een sleutel is één woord, geen lijst of mapping"
                );
                self.err(k.pos, path, m);
                continue;
            };
            if let Some(first) = list.iter().find(|(k, _, _)| *k == text.as_str()) {
                let line = first.1.pos.line;
                self.err(
                    k.pos,
                    &Path::Key(path, text),
                    tr!(
                        self.en,
                        "the key `{text}` appears twice in this mapping (first on line {line})",
                        "de sleutel `{text}` staat hier twee keer (eerst op regel {line})"
                    ),
                )
                .hint = Some(tr!(self.en, "keep one of them", "houd er één over"));
                continue;
            }
            list.push((text.as_str(), k, v));
        }
        Some(Fields {
            pos: node.pos,
            path,
            used: vec![false; list.len()],
            entries: list,
            known: Vec::with_capacity(16),
        })
    }

    fn text(&mut self, node: &Node, path: &Path<'_>) -> Option<String> {
        match &node.kind {
            Kind::Scalar { text, .. } => Some(text.clone()),
            _ => {
                let found = describe(node, self.en);
                self.err(
                    node.pos,
                    path,
                    tr!(self.en, "expected text, found {found}", "verwacht tekst, gevonden: {found}"),
                );
                None
            }
        }
    }

    /// A number written as a number (not quoted).
    fn number(&mut self, node: &Node, path: &Path<'_>, what: &str) -> Option<f64> {
        if let Kind::Scalar { text, plain } = &node.kind {
            if *plain
                && resolve_plain(text) == Plain::Number
                && let Ok(v) = text.parse::<f64>()
                && v.is_finite()
            {
                return Some(v);
            }
            let hint = if !*plain && text.trim().parse::<f64>().is_ok() {
                tr!(self.en, "remove the quotes around the number", "haal de aanhalingstekens om het getal weg")
            } else {
                tr!(self.en, "write a number, like `24` or `0.5`", "schrijf een getal, zoals `24` of `0.5`")
            };
            let m = tr!(self.en, "expected {what}, found {text:?}", "verwacht {what}, gevonden: {text:?}");
            self.err(node.pos, path, m).hint = Some(hint);
            return None;
        }
        let found = describe(node, self.en);
        self.err(node.pos, path, tr!(self.en, "expected {what}, found {found}", "verwacht {what}, gevonden: {found}"));
        None
    }

    fn hours(&mut self, node: &Node, path: &Path<'_>) -> Option<Hours> {
        let v = self.number(node, path, if self.en { "a number of hours" } else { "een aantal uren" })?;
        match Hours::new(v) {
            Ok(h) => Some(h),
            Err(e) => {
                let m = e.text(self.lang());
                self.err(node.pos, path, m).hint = Some(tr!(
                    self.en,
                    "durations are hours from 0 up; `0.5` is half an hour",
                    "tijden zijn uren vanaf 0; `0.5` is een half uur"
                ));
                None
            }
        }
    }

    fn euros(&mut self, node: &Node, path: &Path<'_>) -> Option<f64> {
        let v = self.number(node, path, if self.en { "an amount in euros" } else { "een bedrag in euro" })?;
        if v < 0.0 {
            self.err(
                node.pos,
                path,
                tr!(self.en, "an amount cannot be negative ({v})", "een bedrag kan niet negatief zijn ({v})"),
            );
            return None;
        }
        Some(if v == 0.0 { 0.0 } else { v })
    }

    fn whole(&mut self, node: &Node, path: &Path<'_>, min: u32, max: u32) -> Option<u32> {
        let v = self.number(node, path, if self.en { "a whole number" } else { "een geheel getal" })?;
        if v.fract() != 0.0 || v < min as f64 || v > max as f64 {
            let m = tr!(
                self.en,
                "expected a whole number from {min} to {max}, found {v}",
                "verwacht een geheel getal van {min} tot en met {max}, gevonden: {v}"
            );
            self.err(node.pos, path, m);
            return None;
        }
        Some(v as u32)
    }

    fn boolean(&mut self, node: &Node, path: &Path<'_>) -> Option<bool> {
        if let Kind::Scalar { text, plain: true } = &node.kind
            && let Plain::Bool(b) = resolve_plain(text)
        {
            return Some(b);
        }
        self.err(node.pos, path, tr!(self.en, "expected `true` or `false`", "verwacht `true` of `false`"));
        None
    }

    fn date(&mut self, node: &Node, path: &Path<'_>) -> Option<Date> {
        let text = self.text(node, path)?;
        match Date::parse(text.trim()) {
            Ok(d) => Some(d),
            Err(e) => {
                let m = e.text(self.lang());
                self.err(node.pos, path, m).hint = Some(tr!(
                    self.en,
                    "dates are written YYYY-MM-DD, like 2026-03-01",
                    "datums schrijf je JJJJ-MM-DD, zoals 2026-03-01"
                ));
                None
            }
        }
    }

    fn phone(&mut self, node: &Node, path: &Path<'_>) -> Option<Phone> {
        let text = self.text(node, path)?;
        match Phone::new(&text) {
            Ok(p) => Some(p),
            Err(e) => {
                let m = e.text(self.lang());
                self.err(node.pos, path, m).hint = Some(tr!(
                    self.en,
                    "write the full number, with area code",
                    "schrijf het hele nummer, met netnummer"
                ));
                None
            }
        }
    }

    fn keyword<T: Copy>(
        &mut self,
        node: &Node,
        path: &Path<'_>,
        parse: fn(&str) -> Option<T>,
        names: &[&'static str],
    ) -> Option<T> {
        let text = self.text(node, path)?;
        if let Some(v) = parse(&text) {
            return Some(v);
        }
        let en = self.en;
        let list = names.join(", ");
        let p = self.err(node.pos, path, tr!(en, "`{text}` is not one of: {list}", "`{text}` is niet een van: {list}"));
        if let Some(s) = closest(&text, names.iter().copied()) {
            p.hint = Some(tr!(en, "did you mean `{s}`?", "bedoel je `{s}`?"));
        }
        None
    }

    fn id_syntax(&mut self, node: &Node, path: &Path<'_>) -> Option<Id> {
        let text = self.text(node, path)?;
        match Id::new(&text) {
            Ok(id) => Some(id),
            Err(e) => {
                let (en, why, slug) = (self.en, e.text(self.lang()), Id::slug(&text));
                self.err(
                    node.pos,
                    path,
                    tr!(en, "{text:?} is not a valid id: {why}", "{text:?} is geen geldig id: {why}"),
                )
                .hint = Some(tr!(
                    en,
                    "ids are lower-case letters, digits and '-', like `{slug}`",
                    "een id bestaat uit kleine letters, cijfers en '-', zoals `{slug}`"
                ));
                None
            }
        }
    }

    fn define(&mut self, node: Option<&Node>, f_pos: Pos, path: &Path<'_>, kind: EntityKind) -> Id {
        let Some(node) = node else {
            let en = self.en;
            self.err(f_pos, path, tr!(en, "missing required field `id`", "verplicht veld `id` ontbreekt")).hint =
                Some(tr!(
                    en,
                    "give every entity an id, unique in the whole file",
                    "geef elk onderdeel een id, uniek in het hele bestand"
                ));
            return Id::placeholder();
        };
        match self.id_syntax(node, &Path::Key(path, "id")) {
            Some(id) => {
                self.defs.push(Def { id: id.clone(), kind, pos: node.pos });
                id
            }
            None => Id::placeholder(),
        }
    }

    fn reference(
        &mut self,
        node: &Node,
        path: &Path<'_>,
        allowed: &'static [EntityKind],
        edge: Option<(Graph, &Id)>,
    ) -> Option<Id> {
        let id = self.id_syntax(node, path)?;
        self.refs.push(RefSite {
            id: id.clone(),
            allowed,
            pos: node.pos,
            edge: edge.map(|(g, from)| (g, from.clone())),
        });
        Some(id)
    }

    fn seq<'a>(&mut self, node: &'a Node, path: &Path<'_>) -> &'a [Node] {
        match &node.kind {
            Kind::Seq(items) => items,
            _ => {
                let (en, found) = (self.en, describe(node, self.en));
                self.err(
                    node.pos,
                    path,
                    tr!(en, "expected a list, found {found}", "verwacht een lijst, gevonden: {found}"),
                )
                .hint = Some(tr!(
                    en,
                    "write a list as `[a, b]` or as lines starting with `- `",
                    "schrijf een lijst als `[a, b]` of als regels die beginnen met `- `"
                ));
                &[]
            }
        }
    }

    fn references(
        &mut self,
        node: &Node,
        path: &Path<'_>,
        allowed: &'static [EntityKind],
        edge: Option<(Graph, &Id)>,
    ) -> Vec<Id> {
        let items = self.seq(node, path);
        items.iter().enumerate().filter_map(|(i, n)| self.reference(n, &Path::Index(path, i), allowed, edge)).collect()
    }

    fn texts(&mut self, node: &Node, path: &Path<'_>) -> Vec<String> {
        let items = self.seq(node, path);
        items.iter().enumerate().filter_map(|(i, n)| self.text(n, &Path::Index(path, i))).collect()
    }

    fn list<T>(
        &mut self,
        node: &Node,
        path: &Path<'_>,
        mut f: impl FnMut(&mut Cx, &Node, &Path<'_>) -> Option<T>,
    ) -> Vec<T> {
        let items = self.seq(node, path);
        items.iter().enumerate().filter_map(|(i, n)| f(self, n, &Path::Index(path, i))).collect()
    }
}

impl<'a, 'p> Fields<'a, 'p> {
    /// The value of `key`; `None` when absent or written as null.
    fn get(&mut self, key: &'static str) -> Option<&'a Node> {
        self.known.push(key);
        let i = self.entries.iter().position(|(k, _, _)| *k == key)?;
        self.used[i] = true;
        let v = self.entries[i].2;
        match &v.kind {
            Kind::Scalar { text, plain: true } if resolve_plain(text) == Plain::Null => None,
            _ => Some(v),
        }
    }

    fn path(&self, key: &'static str) -> Path<'p> {
        Path::Key(self.path, key)
    }

    fn required(&mut self, cx: &mut Cx, key: &'static str) -> Option<&'a Node> {
        let v = self.get(key);
        if v.is_none() {
            cx.err(
                self.pos,
                self.path,
                tr!(cx.en, "missing required field `{key}`", "verplicht veld `{key}` ontbreekt"),
            );
        }
        v
    }

    fn opt<T>(
        &mut self,
        cx: &mut Cx,
        key: &'static str,
        f: impl FnOnce(&mut Cx, &Node, &Path<'_>) -> Option<T>,
    ) -> Option<T> {
        let node = self.get(key)?;
        let p = self.path(key);
        f(cx, node, &p)
    }

    fn text(&mut self, cx: &mut Cx, key: &'static str) -> Option<String> {
        self.opt(cx, key, |cx, n, p| cx.text(n, p))
    }

    fn required_text(&mut self, cx: &mut Cx, key: &'static str) -> String {
        match self.required(cx, key) {
            Some(n) => cx.text(n, &self.path(key)).unwrap_or_default(),
            None => String::new(),
        }
    }

    fn hours(&mut self, cx: &mut Cx, key: &'static str) -> Option<Hours> {
        self.opt(cx, key, |cx, n, p| cx.hours(n, p))
    }

    fn reference(&mut self, cx: &mut Cx, key: &'static str, allowed: &'static [EntityKind]) -> Option<Id> {
        self.opt(cx, key, |cx, n, p| cx.reference(n, p, allowed, None))
    }

    fn references(&mut self, cx: &mut Cx, key: &'static str, allowed: &'static [EntityKind]) -> Vec<Id> {
        self.opt(cx, key, |cx, n, p| Some(cx.references(n, p, allowed, None))).unwrap_or_default()
    }

    fn extra(&mut self, cx: &mut Cx) -> Extra {
        let Some(node) = self.get("extra") else { return Vec::new() };
        match to_value(node) {
            Value::Map(m) => m,
            _ => {
                let m = tr!(
                    cx.en,
                    "`extra` must be a mapping of your own keys",
                    "`extra` moet een mapping met eigen sleutels zijn"
                );
                cx.err(node.pos, &self.path("extra"), m);
                Vec::new()
            }
        }
    }

    fn finish(self, cx: &mut Cx) {
        for (i, (key, knode, _)) in self.entries.iter().enumerate() {
            if self.used[i] {
                continue;
            }
            let en = cx.en;
            let p = cx.err(
                knode.pos,
                &Path::Key(self.path, key),
                tr!(en, "unknown key `{key}`", "onbekende sleutel `{key}`"),
            );
            let known = self.known.join(", ");
            p.hint = Some(match closest(key, self.known.iter().copied()) {
                Some(s) => tr!(
                    en,
                    "did you mean `{s}`? (free data goes under `extra`)",
                    "bedoel je `{s}`? (eigen gegevens horen onder `extra`)"
                ),
                None => tr!(
                    en,
                    "known keys here: {known}; free data goes under `extra`",
                    "bekende sleutels hier: {known}; eigen gegevens horen onder `extra`"
                ),
            });
        }
    }
}

fn to_value(node: &Node) -> Value {
    match &node.kind {
        Kind::Scalar { text, plain: false } => Value::String(text.clone()),
        Kind::Scalar { text, plain: true } => match resolve_plain(text) {
            Plain::Null => Value::Null,
            Plain::Bool(b) => Value::Bool(b),
            Plain::Number => Value::Number(text.clone()),
            Plain::String => Value::String(text.clone()),
        },
        Kind::Seq(items) => Value::Seq(items.iter().map(to_value).collect()),
        Kind::Map(entries) => Value::Map(
            entries
                .iter()
                .map(|(k, v)| {
                    let key = match &k.kind {
                        Kind::Scalar { text, .. } => text.clone(),
                        _ => String::new(),
                    };
                    (key, to_value(v))
                })
                .collect(),
        ),
    }
}

const PERSON: &[E] = &[E::Person];
const PARTY: &[E] = &[E::Party];
const PERSON_OR_PARTY: &[E] = &[E::Person, E::Party];
const ASSET: &[E] = &[E::Asset];
const ASSET_OR_PARTY: &[E] = &[E::Asset, E::Party];
const LOCATION: &[E] = &[E::Location];
const DEPARTMENT: &[E] = &[E::Department];
const DATA: &[E] = &[E::Data];
const NEEDS: &[E] = &[E::Application, E::Data, E::Asset, E::Number];
const SCENARIO: &[E] = &[E::Scenario];
const TASK: &[E] = &[E::Task];

fn organisation(cx: &mut Cx, node: &Node, path: &Path<'_>) -> Organisation {
    let Some(mut f) = cx.fields(node, path) else { return Organisation::default() };
    let o = Organisation {
        name: f.required_text(cx, "name"),
        language: f.opt(cx, "language", |cx, n, p| cx.keyword(n, p, Language::parse, &Language::names())),
        address: f.text(cx, "address"),
        review_every_months: f.opt(cx, "review_every_months", |cx, n, p| cx.whole(n, p, 1, 120)),
        last_reviewed: f.opt(cx, "last_reviewed", |cx, n, p| cx.date(n, p)),
        crisis_coordinator: f.reference(cx, "crisis_coordinator", PERSON),
        plan_activator: f.reference(cx, "plan_activator", PERSON),
        activation_criteria: f.text(cx, "activation_criteria"),
        emergency_number: f.opt(cx, "emergency_number", |cx, n, p| {
            let t = cx.text(n, p)?;
            Phone::emergency(&t)
                .map_err(|e| {
                    let m = e.text(cx.lang());
                    cx.err(n.pos, p, m)
                })
                .ok()
        }),
        call_tree: f
            .opt(cx, "call_tree", |cx, n, p| {
                Some(cx.list(n, p, |cx, n, p| {
                    let mut f = cx.fields(n, p)?;
                    let caller =
                        f.required(cx, "caller").and_then(|n| cx.reference(n, &Path::Key(p, "caller"), PERSON, None));
                    let calls = f.references(cx, "calls", PERSON_OR_PARTY);
                    f.finish(cx);
                    Some(CallTreeEntry { caller: caller.unwrap_or_else(Id::placeholder), calls })
                }))
            })
            .unwrap_or_default(),
        extra: f.extra(cx),
    };
    f.finish(cx);
    o
}

fn kind_of<T: Copy>(
    cx: &mut Cx,
    f: &mut Fields<'_, '_>,
    parse: fn(&str) -> Option<T>,
    names: &[&'static str],
) -> Option<T> {
    let n = f.required(cx, "kind")?;
    cx.keyword(n, &f.path("kind"), parse, names)
}

fn location(cx: &mut Cx, node: &Node, path: &Path<'_>) -> Option<Location> {
    let mut f = cx.fields(node, path)?;
    let id = cx.define(f.get("id"), f.pos, path, E::Location);
    let name = f.required_text(cx, "name");
    let kind = kind_of(cx, &mut f, LocationKind::parse, &LocationKind::names());
    let l = Location {
        id,
        name,
        kind: kind.unwrap_or(LocationKind::Office),
        address: f.text(cx, "address"),
        access: f.text(cx, "access"),
        workplaces: f.opt(cx, "workplaces", |cx, n, p| cx.whole(n, p, 0, 1_000_000)),
        ready_within_hours: f.hours(cx, "ready_within_hours"),
        contact: f.reference(cx, "contact", PARTY),
        arrangements: f.text(cx, "arrangements"),
        extra: f.extra(cx),
    };
    f.finish(cx);
    Some(l)
}

fn person(cx: &mut Cx, node: &Node, path: &Path<'_>) -> Option<Person> {
    let mut f = cx.fields(node, path)?;
    let p = Person {
        id: cx.define(f.get("id"), f.pos, path, E::Person),
        name: f.required_text(cx, "name"),
        role: f.text(cx, "role"),
        department: f.reference(cx, "department", DEPARTMENT),
        phone: f.opt(cx, "phone", |cx, n, p| cx.phone(n, p)),
        mobile: f.opt(cx, "mobile", |cx, n, p| cx.phone(n, p)),
        email: f.text(cx, "email"),
        private_email: f.text(cx, "private_email"),
        deputy: f.reference(cx, "deputy", PERSON),
        skills: f.opt(cx, "skills", |cx, n, p| Some(cx.texts(n, p))).unwrap_or_default(),
        extra: f.extra(cx),
    };
    f.finish(cx);
    Some(p)
}

fn department(cx: &mut Cx, node: &Node, path: &Path<'_>) -> Option<Department> {
    let mut f = cx.fields(node, path)?;
    let d = Department {
        id: cx.define(f.get("id"), f.pos, path, E::Department),
        name: f.required_text(cx, "name"),
        responsible: f.reference(cx, "responsible", PERSON),
        location: f.reference(cx, "location", LOCATION),
        staff: f.opt(cx, "staff", |cx, n, p| cx.whole(n, p, 0, 1_000_000)),
        extra: f.extra(cx),
    };
    f.finish(cx);
    Some(d)
}

fn party(cx: &mut Cx, node: &Node, path: &Path<'_>) -> Option<Party> {
    let mut f = cx.fields(node, path)?;
    let id = cx.define(f.get("id"), f.pos, path, E::Party);
    let name = f.required_text(cx, "name");
    let kind = kind_of(cx, &mut f, PartyKind::parse, &PartyKind::names());
    let p = Party {
        id,
        name,
        kind: kind.unwrap_or(PartyKind::Other),
        phone: f.opt(cx, "phone", |cx, n, p| cx.phone(n, p)),
        email: f.text(cx, "email"),
        contract: f.text(cx, "contract"),
        reference: f.text(cx, "reference"),
        extra: f.extra(cx),
    };
    f.finish(cx);
    Some(p)
}

fn replacement(cx: &mut Cx, node: &Node, path: &Path<'_>) -> Option<Replacement> {
    let mut f = cx.fields(node, path)?;
    let strategy = f
        .required(cx, "strategy")
        .and_then(|n| cx.keyword(n, &Path::Key(path, "strategy"), Strategy::parse, &Strategy::names()));
    let r = Replacement {
        strategy: strategy.unwrap_or(Strategy::None),
        supplier: f.reference(cx, "supplier", PARTY),
        lead_time_hours: f.hours(cx, "lead_time_hours"),
        setup_hours: f.hours(cx, "setup_hours"),
        cost_eur: f.opt(cx, "cost_eur", |cx, n, p| cx.euros(n, p)),
        extra: f.extra(cx),
    };
    f.finish(cx);
    Some(r)
}

fn asset(cx: &mut Cx, node: &Node, path: &Path<'_>) -> Option<Asset> {
    let mut f = cx.fields(node, path)?;
    let id = cx.define(f.get("id"), f.pos, path, E::Asset);
    let kind = kind_of(cx, &mut f, AssetKind::parse, &AssetKind::names());
    let a = Asset {
        kind: kind.unwrap_or(AssetKind::Other),
        name: f.required_text(cx, "name"),
        manufacturer: f.text(cx, "manufacturer"),
        model: f.text(cx, "model"),
        serial: f.text(cx, "serial"),
        specs: f.text(cx, "specs"),
        quantity: f.opt(cx, "quantity", |cx, n, p| cx.whole(n, p, 1, 1_000_000)),
        location: f.reference(cx, "location", LOCATION),
        managed_by: f.reference(cx, "managed_by", PERSON_OR_PARTY),
        purchased: f.opt(cx, "purchased", |cx, n, p| cx.date(n, p)),
        warranty_until: f.opt(cx, "warranty_until", |cx, n, p| cx.date(n, p)),
        depends_on: f
            .opt(cx, "depends_on", |cx, n, p| Some(cx.references(n, p, ASSET_OR_PARTY, Some((Graph::Assets, &id)))))
            .unwrap_or_default(),
        replacement: f.opt(cx, "replacement", replacement),
        extra: f.extra(cx),
        id,
    };
    f.finish(cx);
    Some(a)
}

fn number(cx: &mut Cx, node: &Node, path: &Path<'_>) -> Option<Number> {
    let mut f = cx.fields(node, path)?;
    let id = cx.define(f.get("id"), f.pos, path, E::Number);
    let number = f.required(cx, "number").and_then(|n| cx.phone(n, &Path::Key(path, "number")));
    let t = Number {
        id,
        number: number.unwrap_or_else(|| Phone::new("000000").expect("valid")),
        label: f.text(cx, "label"),
        provider: f.reference(cx, "provider", PARTY),
        carried_by: f.references(cx, "carried_by", ASSET),
        forward_to: f.opt(cx, "forward_to", |cx, n, p| {
            let text = cx.text(n, p)?;
            // Ids of people hold letters; numbers never do.
            if text.chars().any(|c| c.is_alphabetic()) {
                cx.reference(n, p, PERSON, None).map(ForwardTo::Person)
            } else {
                cx.phone(n, p).map(ForwardTo::Number)
            }
        }),
        forward_how: f.text(cx, "forward_how"),
        forward_minutes: f.opt(cx, "forward_minutes", |cx, n, p| {
            let v = cx.number(n, p, if cx.en { "a number of minutes" } else { "een aantal minuten" })?;
            Hours::new(v)
                .map_err(|e| {
                    let m = e.text(cx.lang());
                    cx.err(n.pos, p, m)
                })
                .ok()
        }),
        extra: f.extra(cx),
    };
    f.finish(cx);
    Some(t)
}

fn application(cx: &mut Cx, node: &Node, path: &Path<'_>) -> Option<Application> {
    let mut f = cx.fields(node, path)?;
    let a = Application {
        id: cx.define(f.get("id"), f.pos, path, E::Application),
        name: f.required_text(cx, "name"),
        hosting: f.opt(cx, "hosting", |cx, n, p| cx.keyword(n, p, Hosting::parse, &Hosting::names())),
        vendor: f.reference(cx, "vendor", PARTY),
        runs_on: f.references(cx, "runs_on", ASSET),
        depends_on: f.references(cx, "depends_on", ASSET_OR_PARTY),
        data: f.references(cx, "data", DATA),
        restore_hours: f.hours(cx, "restore_hours"),
        restore_procedure: f.text(cx, "restore_procedure"),
        remote_access: f.text(cx, "remote_access"),
        credentials_at: f.text(cx, "credentials_at"),
        restore_by: f.references(cx, "restore_by", PERSON_OR_PARTY),
        extra: f.extra(cx),
    };
    f.finish(cx);
    Some(a)
}

fn backup(cx: &mut Cx, node: &Node, path: &Path<'_>) -> Option<Backup> {
    let mut f = cx.fields(node, path)?;
    let id = cx.define(f.get("id"), f.pos, path, E::Backup);
    let kind = kind_of(cx, &mut f, BackupKind::parse, &BackupKind::names());
    let location = f.required(cx, "location").and_then(|n| {
        let p = &Path::Key(path, "location");
        match &n.kind {
            Kind::Scalar { text, .. } if text == "cloud" => Some(BackupPlace::Cloud),
            _ => cx.reference(n, p, LOCATION, None).map(BackupPlace::Location),
        }
    });
    let b = Backup {
        id,
        kind: kind.unwrap_or(BackupKind::Other),
        location: location.unwrap_or(BackupPlace::Cloud),
        stored_on: f.references(cx, "stored_on", ASSET),
        every_hours: f
            .required(cx, "every_hours")
            .and_then(|n| cx.hours(n, &Path::Key(path, "every_hours")))
            .unwrap_or(Hours::ZERO),
        restore_hours: f
            .required(cx, "restore_hours")
            .and_then(|n| cx.hours(n, &Path::Key(path, "restore_hours")))
            .unwrap_or(Hours::ZERO),
        immutable: f.opt(cx, "immutable", |cx, n, p| cx.boolean(n, p)),
        last_restore_test: f.opt(cx, "last_restore_test", |cx, n, p| cx.date(n, p)),
        extra: f.extra(cx),
    };
    f.finish(cx);
    Some(b)
}

fn data_set(cx: &mut Cx, node: &Node, path: &Path<'_>) -> Option<DataSet> {
    let mut f = cx.fields(node, path)?;
    let d = DataSet {
        id: cx.define(f.get("id"), f.pos, path, E::Data),
        name: f.required_text(cx, "name"),
        stored_on: f.references(cx, "stored_on", ASSET),
        rpo_hours: f.hours(cx, "rpo_hours"),
        backups: f.opt(cx, "backups", |cx, n, p| Some(cx.list(n, p, backup))).unwrap_or_default(),
        extra: f.extra(cx),
    };
    f.finish(cx);
    Some(d)
}

fn process(cx: &mut Cx, node: &Node, path: &Path<'_>) -> Option<Process> {
    let mut f = cx.fields(node, path)?;
    let p = Process {
        id: cx.define(f.get("id"), f.pos, path, E::Process),
        name: f.required_text(cx, "name"),
        department: f.reference(cx, "department", DEPARTMENT),
        priority: f.opt(cx, "priority", |cx, n, p| cx.whole(n, p, 1, 1000)),
        rto_hours: f.hours(cx, "rto_hours"),
        mtpd_hours: f.hours(cx, "mtpd_hours"),
        needs: f.references(cx, "needs", NEEDS),
        remote_capable: f.opt(cx, "remote_capable", |cx, n, p| cx.boolean(n, p)),
        staff_needed: f.opt(cx, "staff_needed", |cx, n, p| cx.whole(n, p, 0, 1_000_000)),
        cost_per_hour_eur: f.opt(cx, "cost_per_hour_eur", |cx, n, p| cx.euros(n, p)),
        workaround: f.text(cx, "workaround"),
        extra: f.extra(cx),
    };
    f.finish(cx);
    Some(p)
}

fn scenario(cx: &mut Cx, node: &Node, path: &Path<'_>) -> Option<Scenario> {
    let mut f = cx.fields(node, path)?;
    let id = cx.define(f.get("id"), f.pos, path, E::Scenario);
    let name = f.required_text(cx, "name");
    let kind = kind_of(cx, &mut f, ScenarioKind::parse, &ScenarioKind::names());
    let hits = f
        .opt(cx, "hits", |cx, n, p| {
            let mut h = cx.fields(n, p)?;
            let hits = Hits {
                locations: h.references(cx, "locations", LOCATION),
                assets: h.references(cx, "assets", ASSET),
                parties: h.references(cx, "parties", PARTY),
            };
            h.finish(cx);
            Some(hits)
        })
        .unwrap_or_default();
    let s = Scenario {
        id,
        name,
        kind: kind.unwrap_or(ScenarioKind::Custom),
        hits,
        effect: f.opt(cx, "effect", |cx, n, p| cx.keyword(n, p, Effect::parse, &Effect::names())),
        likelihood: f.opt(cx, "likelihood", |cx, n, p| cx.whole(n, p, 1, 5)),
        duration_hours: f.hours(cx, "duration_hours"),
        location_unusable_hours: f.hours(cx, "location_unusable_hours"),
        extra: f.extra(cx),
    };
    f.finish(cx);
    Some(s)
}

fn task(cx: &mut Cx, node: &Node, path: &Path<'_>) -> Option<Task> {
    let mut f = cx.fields(node, path)?;
    let id = cx.define(f.get("id"), f.pos, path, E::Task);
    let t = Task {
        title: f.required_text(cx, "title"),
        phase: f.opt(cx, "phase", |cx, n, p| cx.keyword(n, p, Phase::parse, &Phase::names())),
        owner: f.reference(cx, "owner", PERSON),
        call: f.references(cx, "call", PERSON_OR_PARTY),
        scenarios: f.references(cx, "scenarios", SCENARIO),
        after: f
            .opt(cx, "after", |cx, n, p| Some(cx.references(n, p, TASK, Some((Graph::Tasks, &id)))))
            .unwrap_or_default(),
        details: f.text(cx, "details"),
        extra: f.extra(cx),
        id,
    };
    f.finish(cx);
    Some(t)
}

fn exercise(cx: &mut Cx, node: &Node, path: &Path<'_>) -> Option<Exercise> {
    let mut f = cx.fields(node, path)?;
    let id = cx.define(f.get("id"), f.pos, path, E::Exercise);
    let kind = kind_of(cx, &mut f, ExerciseKind::parse, &ExerciseKind::names());
    let e = Exercise {
        id,
        kind: kind.unwrap_or(ExerciseKind::Tabletop),
        covers: f.references(cx, "covers", ANY),
        participants: f.references(cx, "participants", PERSON),
        planned: f.opt(cx, "planned", |cx, n, p| cx.date(n, p)),
        performed: f.opt(cx, "performed", |cx, n, p| cx.date(n, p)),
        result: f.opt(cx, "result", |cx, n, p| cx.keyword(n, p, ExerciseResult::parse, &ExerciseResult::names())),
        measured_hours: f.hours(cx, "measured_hours"),
        findings: f.text(cx, "findings"),
        extra: f.extra(cx),
    };
    f.finish(cx);
    Some(e)
}

fn section<T>(
    cx: &mut Cx,
    f: &mut Fields<'_, '_>,
    key: &'static str,
    item: fn(&mut Cx, &Node, &Path<'_>) -> Option<T>,
) -> Vec<T> {
    f.opt(cx, key, |cx, n, p| Some(cx.list(n, p, item))).unwrap_or_default()
}

/// Reads a plan from its YAML nodes. Returns the plan and every problem.
pub(crate) fn decode(root: &Node, lang: Language) -> (Plan, Vec<Problem>) {
    let (plan, cx) = decode_cx(root, lang);
    (plan, cx.problems)
}

/// Where the plan in `root` refers to `id`: the path of every reference.
pub(crate) fn references_to(root: &Node, id: &str) -> Vec<String> {
    let (_, cx) = decode_cx(root, Language::En);
    let mut found: Vec<Problem> =
        cx.refs.iter().filter(|r| r.id.as_str() == id).map(|r| Problem::new(Some(r.pos), "", "")).collect();
    fill_paths(root, &mut found);
    found.into_iter().map(|p| p.path).collect()
}

fn decode_cx(root: &Node, lang: Language) -> (Plan, Cx) {
    let mut cx = Cx { en: lang == Language::En, ..Cx::default() };
    let top = Path::Root;
    let Some(mut f) = cx.fields(root, &top) else {
        return (Plan::default(), cx);
    };
    match f.required(&mut cx, "format") {
        Some(n) => {
            let text = cx.text(n, &f.path("format")).unwrap_or_default();
            if text != FORMAT {
                let (en, known) = (cx.en, SUPPORTED_FORMATS.join(", "));
                cx.err(n.pos, &f.path("format"), tr!(en, "unsupported format `{text}`", "onbekend formaat `{text}`"))
                    .hint = Some(tr!(
                    en,
                    "this version of draaiboek reads: {known}",
                    "deze versie van draaiboek leest: {known}"
                ));
                return (Plan::default(), cx);
            }
        }
        None => {
            if let Some(p) = cx.problems.last_mut() {
                p.hint = Some(tr!(
                    cx.en,
                    "start the file with `format: {FORMAT}`",
                    "begin het bestand met `format: {FORMAT}`"
                ));
            }
        }
    }
    let organisation = match f.required(&mut cx, "organisation") {
        Some(n) => organisation(&mut cx, n, &f.path("organisation")),
        None => Organisation::default(),
    };
    let plan = Plan {
        organisation,
        locations: section(&mut cx, &mut f, "locations", location),
        people: section(&mut cx, &mut f, "people", person),
        departments: section(&mut cx, &mut f, "departments", department),
        parties: section(&mut cx, &mut f, "parties", party),
        assets: section(&mut cx, &mut f, "assets", asset),
        telephony: section(&mut cx, &mut f, "telephony", number),
        applications: section(&mut cx, &mut f, "applications", application),
        data: section(&mut cx, &mut f, "data", data_set),
        processes: section(&mut cx, &mut f, "processes", process),
        scenarios: section(&mut cx, &mut f, "scenarios", scenario),
        tasks: section(&mut cx, &mut f, "tasks", task),
        exercises: section(&mut cx, &mut f, "exercises", exercise),
        extra: f.extra(&mut cx),
    };
    f.finish(&mut cx);
    let first_late = cx.problems.len();
    cx.check_ids();
    cx.check_cycles();
    fill_paths(root, &mut cx.problems[first_late..]);
    (plan, cx)
}

/// "an asset" / "een ICT-middel".
fn with_article(kind: EntityKind, en: bool) -> String {
    let noun = kind.noun_in(en);
    let article = match en {
        true if noun.starts_with(['a', 'e', 'i', 'o', 'u']) => "an",
        true => "a",
        false => "een",
    };
    format!("{article} {noun}")
}

fn kinds_phrase(kinds: &[EntityKind], en: bool) -> String {
    or_list(kinds.iter().map(|&k| with_article(k, en)).collect(), en)
}

fn nouns_phrase(kinds: &[EntityKind], en: bool) -> String {
    or_list(kinds.iter().map(|k| k.noun_in(en).to_owned()).collect(), en)
}

fn or_list(nouns: Vec<String>, en: bool) -> String {
    match nouns.len() {
        0 => String::new(),
        1 => nouns[0].clone(),
        n => format!("{} {} {}", nouns[..n - 1].join(", "), if en { "or" } else { "of" }, nouns[n - 1]),
    }
}

impl Cx {
    fn lang(&self) -> Language {
        if self.en { Language::En } else { Language::Nl }
    }

    fn check_ids(&mut self) {
        let en = self.en;
        let mut by_id: HashMap<&Id, usize> = HashMap::new();
        let mut dupes = Vec::new();
        for (i, d) in self.defs.iter().enumerate() {
            if let Some(&first) = by_id.get(&d.id) {
                let f = &self.defs[first];
                let (id, other, line) = (&d.id, with_article(f.kind, en), f.pos.line);
                dupes.push(
                    Problem::new(
                        Some(d.pos),
                        "",
                        tr!(
                            en,
                            "the id `{id}` is already used by {other} on line {line}",
                            "het id `{id}` is al in gebruik bij {other} op regel {line}"
                        ),
                    )
                    .hint(tr!(
                        en,
                        "ids are unique across the whole file; rename one of them",
                        "id's zijn uniek in het hele bestand; geef er één een andere naam"
                    )),
                );
            } else {
                by_id.insert(&d.id, i);
            }
        }
        let mut problems = dupes;
        for r in &self.refs {
            match by_id.get(&r.id) {
                Some(&i) if r.allowed.contains(&self.defs[i].kind) => {}
                found => {
                    let near = closest(
                        r.id.as_str(),
                        self.defs.iter().filter(|d| r.allowed.contains(&d.kind)).map(|d| d.id.as_str()),
                    );
                    let (id, allowed) = (&r.id, kinds_phrase(r.allowed, en));
                    let message = match found {
                        Some(&i) => {
                            let is = with_article(self.defs[i].kind, en);
                            tr!(
                                en,
                                "`{id}` is {is}, but only {allowed} can stand here",
                                "`{id}` is {is}, maar hier hoort {allowed}"
                            )
                        }
                        None => {
                            let nouns = nouns_phrase(r.allowed, en);
                            tr!(
                                en,
                                "unknown id `{id}`: there is no {nouns} with this id",
                                "onbekend id `{id}`: er is geen {nouns} met dit id"
                            )
                        }
                    };
                    let mut p = Problem::new(Some(r.pos), "", message);
                    p.hint = Some(match near {
                        Some(n) => tr!(en, "did you mean `{n}`?", "bedoel je `{n}`?"),
                        None => tr!(
                            en,
                            "add {allowed} with this id, or correct the reference",
                            "voeg {allowed} met dit id toe, of verbeter de verwijzing"
                        ),
                    });
                    problems.push(p);
                }
            }
        }
        self.problems.extend(problems);
    }

    fn check_cycles(&mut self) {
        for graph in [Graph::Assets, Graph::Tasks] {
            let edges: Vec<&RefSite> =
                self.refs.iter().filter(|r| r.edge.as_ref().is_some_and(|(g, _)| *g == graph)).collect();
            let mut ids: HashMap<&Id, usize> = HashMap::new();
            let mut names: Vec<&Id> = Vec::new();
            for r in &edges {
                let from = &r.edge.as_ref().expect("filtered").1;
                for id in [from, &r.id] {
                    ids.entry(id).or_insert_with(|| {
                        names.push(id);
                        names.len() - 1
                    });
                }
            }
            let mut adj: Vec<Vec<(usize, usize)>> = vec![Vec::new(); ids.len()];
            for (e, r) in edges.iter().enumerate() {
                let from = ids[&r.edge.as_ref().expect("filtered").1];
                adj[from].push((ids[&r.id], e));
            }
            for cycle in find_cycles(&adj) {
                let first = edges[cycle[0].1];
                let mut text: Vec<&str> = cycle.iter().map(|(node, _)| names[*node].as_str()).collect();
                text.push(names[cycle[0].0].as_str());
                let (what, cycle, en) =
                    (if graph == Graph::Assets { "depends_on" } else { "after" }, text.join(" -> "), self.en);
                self.problems.push(
                    Problem::new(
                        Some(first.pos),
                        "",
                        tr!(en, "dependency cycle: {cycle}", "kringafhankelijkheid: {cycle}"),
                    )
                    .hint(tr!(
                        en,
                        "nothing can wait on itself; remove one of these `{what}` links",
                        "niets kan op zichzelf wachten; haal een van deze `{what}`-verwijzingen weg"
                    )),
                );
            }
        }
    }
}

/// Gives problems found after reading (whose values are known only by
/// their position) the path of the value at that position.
fn fill_paths(root: &Node, problems: &mut [Problem]) {
    let wanted: HashSet<Pos> = problems.iter().filter_map(|p| p.pos).collect();
    if wanted.is_empty() {
        return;
    }
    let mut found: HashMap<Pos, String> = HashMap::new();
    let mut stack: Vec<(&Node, String)> = vec![(root, String::new())];
    while let Some((node, path)) = stack.pop() {
        if wanted.contains(&node.pos) {
            found.entry(node.pos).or_insert_with(|| path.clone());
        }
        match &node.kind {
            Kind::Scalar { .. } => {}
            Kind::Seq(items) => {
                stack.extend(items.iter().enumerate().map(|(i, n)| (n, format!("{path}[{i}]"))));
            }
            Kind::Map(entries) => {
                for (k, v) in entries {
                    if let Kind::Scalar { text, .. } = &k.kind {
                        let p = if path.is_empty() { text.clone() } else { format!("{path}.{text}") };
                        stack.push((v, p));
                    }
                }
            }
        }
    }
    for p in problems {
        if let Some(path) = p.pos.and_then(|pos| found.get(&pos)) {
            p.path = path.clone();
        }
    }
}

/// Cycles of a directed graph, each once, as (node, edge leaving it) pairs.
/// Iterative depth-first search: plans can be long chains.
fn find_cycles(adj: &[Vec<(usize, usize)>]) -> Vec<Vec<(usize, usize)>> {
    const NEW: u8 = 0;
    const ON_STACK: u8 = 1;
    const DONE: u8 = 2;
    let mut state = vec![NEW; adj.len()];
    let mut cycles = Vec::new();
    for start in 0..adj.len() {
        if state[start] != NEW {
            continue;
        }
        // (node, next edge index to try, edge id used to enter the next node)
        let mut stack: Vec<(usize, usize, usize)> = vec![(start, 0, usize::MAX)];
        state[start] = ON_STACK;
        while let Some(top) = stack.last_mut() {
            let (node, next) = (top.0, top.1);
            if next < adj[node].len() {
                top.1 += 1;
                let (to, edge) = adj[node][next];
                top.2 = edge;
                match state[to] {
                    NEW => {
                        state[to] = ON_STACK;
                        stack.push((to, 0, usize::MAX));
                    }
                    ON_STACK => {
                        let at = stack.iter().position(|f| f.0 == to).expect("on stack");
                        cycles.push(stack[at..].iter().map(|f| (f.0, f.2)).collect());
                    }
                    _ => {}
                }
            } else {
                state[node] = DONE;
                stack.pop();
            }
        }
    }
    cycles
}
