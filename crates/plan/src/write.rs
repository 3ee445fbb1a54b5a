//! Writing a plan in its canonical layout: sections and keys in the order of
//! the format's reference, two-space indentation, lists of ids on one line,
//! long text as literal blocks. The same plan always gives the same bytes.

use std::fmt::Write as _;

use crate::model::*;
use crate::read::FORMAT;
use crate::types::{Date, Hours, Id, Phone};
use crate::value::{Plain, Value, resolve_plain};

/// The plan as YAML text in the canonical layout.
pub fn to_yaml(plan: &Plan) -> String {
    let mut w = Writer { out: String::new() };
    w.line(0, &format!("format: {FORMAT}"));
    w.line(0, "organisation:");
    w.organisation(&plan.organisation, 2);
    w.section("locations", &plan.locations, Writer::location);
    w.section("people", &plan.people, Writer::person);
    w.section("departments", &plan.departments, Writer::department);
    w.section("parties", &plan.parties, Writer::party);
    w.section("assets", &plan.assets, Writer::asset);
    w.section("telephony", &plan.telephony, Writer::number);
    w.section("applications", &plan.applications, Writer::application);
    w.section("data", &plan.data, Writer::data_set);
    w.section("processes", &plan.processes, Writer::process);
    w.section("scenarios", &plan.scenarios, Writer::scenario);
    w.section("tasks", &plan.tasks, Writer::task);
    w.section("exercises", &plan.exercises, Writer::exercise);
    w.extra(0, &plan.extra);
    w.out
}

/// One entity of a plan on its own, as the store keeps it: its section,
/// its id, and its body in the canonical layout (keys at the left margin).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    pub kind: &'static str,
    pub id: String,
    pub body: String,
}

/// The row id of the organisation's settings (not a valid entity id, so it
/// cannot clash with one).
pub const ORGANISATION_ROW: &str = "(organisation)";
/// The row id of the free data at the top level of the file.
pub const EXTRA_ROW: &str = "(extra)";

/// The sections of a plan, in the order of the format.
pub const SECTIONS: [&str; 12] = [
    "locations",
    "people",
    "departments",
    "parties",
    "assets",
    "telephony",
    "applications",
    "data",
    "processes",
    "scenarios",
    "tasks",
    "exercises",
];

fn rows_of<T>(out: &mut Vec<Row>, kind: &'static str, items: &[T], id: fn(&T) -> &Id, f: fn(&mut Writer, &T, usize)) {
    for item in items {
        let mut w = Writer { out: String::new() };
        f(&mut w, item, 0);
        out.push(Row { kind, id: id(item).to_string(), body: w.out });
    }
}

/// The plan as rows: the organisation, then every entity in the order of
/// the file. [`join`] puts them back together into the canonical file.
pub fn split(plan: &Plan) -> Vec<Row> {
    let mut w = Writer { out: String::new() };
    w.organisation(&plan.organisation, 0);
    let mut out = vec![Row { kind: "organisation", id: ORGANISATION_ROW.into(), body: w.out }];
    rows_of(&mut out, "locations", &plan.locations, |x| &x.id, Writer::location);
    rows_of(&mut out, "people", &plan.people, |x| &x.id, Writer::person);
    rows_of(&mut out, "departments", &plan.departments, |x| &x.id, Writer::department);
    rows_of(&mut out, "parties", &plan.parties, |x| &x.id, Writer::party);
    rows_of(&mut out, "assets", &plan.assets, |x| &x.id, Writer::asset);
    rows_of(&mut out, "telephony", &plan.telephony, |x| &x.id, Writer::number);
    rows_of(&mut out, "applications", &plan.applications, |x| &x.id, Writer::application);
    rows_of(&mut out, "data", &plan.data, |x| &x.id, Writer::data_set);
    rows_of(&mut out, "processes", &plan.processes, |x| &x.id, Writer::process);
    rows_of(&mut out, "scenarios", &plan.scenarios, |x| &x.id, Writer::scenario);
    rows_of(&mut out, "tasks", &plan.tasks, |x| &x.id, Writer::task);
    rows_of(&mut out, "exercises", &plan.exercises, |x| &x.id, Writer::exercise);
    if !plan.extra.is_empty() {
        let mut w = Writer { out: String::new() };
        w.map(0, &plan.extra);
        out.push(Row { kind: "extra", id: EXTRA_ROW.into(), body: w.out });
    }
    out
}

fn indented(out: &mut String, body: &str, first: &str, rest: &str) {
    for (n, line) in body.lines().enumerate() {
        if !line.is_empty() {
            out.push_str(if n == 0 { first } else { rest });
            out.push_str(line);
        }
        out.push('\n');
    }
}

/// The plan file from rows of (section, body), in any order of sections;
/// within a section, in the order given. Read the result with `from_str`
/// to check it as a whole.
pub fn join<'a>(rows: impl IntoIterator<Item = (&'a str, &'a str)>) -> String {
    let rows: Vec<(&str, &str)> = rows.into_iter().collect();
    let mut out = format!("format: {FORMAT}\n");
    for (_, body) in rows.iter().filter(|(k, _)| *k == "organisation") {
        out.push_str("organisation:\n");
        indented(&mut out, body, "  ", "  ");
    }
    for section in SECTIONS {
        let bodies: Vec<&str> = rows.iter().filter(|(k, _)| *k == section).map(|(_, b)| *b).collect();
        if bodies.is_empty() {
            continue;
        }
        out.push_str(section);
        out.push_str(":\n");
        for body in bodies {
            indented(&mut out, body, "  - ", "    ");
        }
    }
    for (_, body) in rows.iter().filter(|(k, _)| *k == "extra") {
        out.push_str("extra:\n");
        indented(&mut out, body, "  ", "  ");
    }
    out
}

/// A scalar as YAML: plain when it reads back as the same string, quoted
/// otherwise. Safe anywhere, inside `[a, b]` too.
pub fn quote(s: &str) -> String {
    if is_plain_safe(s, true) {
        return s.to_owned();
    }
    double_quoted(s)
}

/// A scalar as the value of a block mapping or list, where commas and
/// brackets after the first character need no quotes.
fn quote_block(s: &str) -> String {
    if is_plain_safe(s, false) {
        return s.to_owned();
    }
    double_quoted(s)
}

fn double_quoted(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if c.is_control() || c == '\u{feff}' || c == '\u{2028}' || c == '\u{2029}' => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn is_plain_safe(s: &str, flow: bool) -> bool {
    let Some(first) = s.chars().next() else { return false };
    if resolve_plain(s) != Plain::String {
        return false;
    }
    if s.trim() != s || s.contains(": ") || s.contains(" #") || s.ends_with(':') {
        return false;
    }
    if "-?:,[]{}#&*!|>'\"%@`".contains(first) {
        return false;
    }
    // Flow indicators would end the value inside `[a, b]`.
    let unsafe_char = |c: char| {
        c.is_control()
            || matches!(c, '\u{feff}' | '\u{2028}' | '\u{2029}' | '\u{85}' | '\u{a0}')
            || (flow && matches!(c, ',' | '[' | ']' | '{' | '}'))
    };
    !s.chars().any(unsafe_char)
}

/// Multi-line text that a literal block keeps exactly.
fn literal_block_ok(s: &str) -> bool {
    s.contains('\n')
        && !s.starts_with([' ', '\t', '\n'])
        && s.lines().all(|l| l.trim_end() == l && !l.chars().any(|c| c.is_control() || c == '\u{feff}'))
        && !s.contains('\r')
        && !s.trim_end_matches('\n').contains("\n\n\n\n")
        && !s.ends_with("\n\n")
}

struct Writer {
    out: String,
}

impl Writer {
    fn line(&mut self, indent: usize, text: &str) {
        for _ in 0..indent {
            self.out.push(' ');
        }
        self.out.push_str(text);
        self.out.push('\n');
    }

    fn section<T>(&mut self, key: &str, items: &[T], f: fn(&mut Writer, &T, usize)) {
        if items.is_empty() {
            return;
        }
        self.line(0, &format!("{key}:"));
        self.items(items, 2, f);
    }

    /// A block list of mappings: the first key goes on the `- ` line.
    fn items<T>(&mut self, items: &[T], indent: usize, f: fn(&mut Writer, &T, usize)) {
        for item in items {
            let start = self.out.len();
            f(self, item, indent + 2);
            // Turn the first line's indentation into the list marker.
            let at = start + indent;
            self.out.replace_range(at..at + 2, "- ");
        }
    }

    fn text(&mut self, indent: usize, key: &str, value: &str) {
        if literal_block_ok(value) {
            let chomp = if value.ends_with('\n') { "" } else { "-" };
            self.line(indent, &format!("{key}: |{chomp}"));
            for l in value.trim_end_matches('\n').split('\n') {
                if l.is_empty() {
                    self.out.push('\n');
                } else {
                    self.line(indent + 2, l);
                }
            }
        } else {
            self.line(indent, &format!("{key}: {}", quote_block(value)));
        }
    }

    fn opt_text(&mut self, indent: usize, key: &str, value: &Option<String>) {
        if let Some(v) = value {
            self.text(indent, key, v);
        }
    }

    fn id(&mut self, indent: usize, key: &str, id: &Id) {
        self.line(indent, &format!("{key}: {}", quote(id.as_str())));
    }

    fn opt_id(&mut self, indent: usize, key: &str, id: &Option<Id>) {
        if let Some(id) = id {
            self.id(indent, key, id);
        }
    }

    fn ids(&mut self, indent: usize, key: &str, ids: &[Id]) {
        if !ids.is_empty() {
            let list: Vec<String> = ids.iter().map(|i| quote(i.as_str())).collect();
            self.line(indent, &format!("{key}: [{}]", list.join(", ")));
        }
    }

    fn raw<T: std::fmt::Display>(&mut self, indent: usize, key: &str, value: Option<T>) {
        if let Some(v) = value {
            self.line(indent, &format!("{key}: {v}"));
        }
    }

    fn hours(&mut self, indent: usize, key: &str, value: Option<Hours>) {
        self.raw(indent, key, value.map(|h| fmt_number(h.get())));
    }

    fn date(&mut self, indent: usize, key: &str, value: Option<Date>) {
        self.raw(indent, key, value);
    }

    fn phone(&mut self, indent: usize, key: &str, value: &Option<Phone>) {
        if let Some(p) = value {
            // Always quoted: `0887510202` must not turn into a number.
            self.line(indent, &format!("{key}: {}", double_quoted(p.as_str())));
        }
    }

    fn extra(&mut self, indent: usize, extra: &Extra) {
        if !extra.is_empty() {
            self.line(indent, "extra:");
            self.map(indent + 2, extra);
        }
    }

    fn map(&mut self, indent: usize, entries: &[(String, Value)]) {
        for (k, v) in entries {
            self.value(indent, &format!("{}:", quote(k)), v);
        }
    }

    /// A value after `prefix` (`key:` or `-`), nested below when it is a
    /// non-empty collection.
    fn value(&mut self, indent: usize, prefix: &str, v: &Value) {
        match v {
            Value::Null => self.line(indent, &format!("{prefix} null")),
            Value::Bool(b) => self.line(indent, &format!("{prefix} {b}")),
            Value::Number(n) => self.line(indent, &format!("{prefix} {n}")),
            Value::String(s) if prefix != "-" && literal_block_ok(s) => {
                self.text(indent, prefix.trim_end_matches(':'), s)
            }
            Value::String(s) => self.line(indent, &format!("{prefix} {}", quote_block(s))),
            Value::Seq(items) if items.is_empty() => self.line(indent, &format!("{prefix} []")),
            Value::Map(entries) if entries.is_empty() => self.line(indent, &format!("{prefix} {{}}")),
            Value::Seq(items) => {
                self.line(indent, prefix);
                for item in items {
                    self.value(indent + 2, "-", item);
                }
            }
            Value::Map(entries) => {
                self.line(indent, prefix);
                self.map(indent + 2, entries);
            }
        }
    }

    fn organisation(&mut self, o: &Organisation, i: usize) {
        self.text(i, "name", &o.name);
        self.raw(i, "language", o.language);
        self.opt_text(i, "address", &o.address);
        self.raw(i, "review_every_months", o.review_every_months);
        self.date(i, "last_reviewed", o.last_reviewed);
        self.opt_id(i, "crisis_coordinator", &o.crisis_coordinator);
        self.opt_id(i, "plan_activator", &o.plan_activator);
        self.opt_text(i, "activation_criteria", &o.activation_criteria);
        self.phone(i, "emergency_number", &o.emergency_number);
        if !o.call_tree.is_empty() {
            self.line(i, "call_tree:");
            self.items(&o.call_tree, i + 2, |w, c, i| {
                w.id(i, "caller", &c.caller);
                w.ids(i, "calls", &c.calls);
            });
        }
        self.extra(i, &o.extra);
    }

    fn location(&mut self, l: &Location, i: usize) {
        self.id(i, "id", &l.id);
        self.text(i, "name", &l.name);
        self.raw(i, "kind", Some(l.kind));
        self.opt_text(i, "address", &l.address);
        self.opt_text(i, "access", &l.access);
        self.raw(i, "workplaces", l.workplaces);
        self.hours(i, "ready_within_hours", l.ready_within_hours);
        self.opt_id(i, "contact", &l.contact);
        self.opt_text(i, "arrangements", &l.arrangements);
        self.extra(i, &l.extra);
    }

    fn person(&mut self, p: &Person, i: usize) {
        self.id(i, "id", &p.id);
        self.text(i, "name", &p.name);
        self.opt_text(i, "role", &p.role);
        self.opt_id(i, "department", &p.department);
        self.phone(i, "phone", &p.phone);
        self.phone(i, "mobile", &p.mobile);
        self.opt_text(i, "email", &p.email);
        self.opt_text(i, "private_email", &p.private_email);
        self.opt_id(i, "deputy", &p.deputy);
        if !p.skills.is_empty() {
            let list: Vec<String> = p.skills.iter().map(|s| quote(s)).collect();
            self.line(i, &format!("skills: [{}]", list.join(", ")));
        }
        self.extra(i, &p.extra);
    }

    fn department(&mut self, d: &Department, i: usize) {
        self.id(i, "id", &d.id);
        self.text(i, "name", &d.name);
        self.opt_id(i, "responsible", &d.responsible);
        self.opt_id(i, "location", &d.location);
        self.raw(i, "staff", d.staff);
        self.extra(i, &d.extra);
    }

    fn party(&mut self, p: &Party, i: usize) {
        self.id(i, "id", &p.id);
        self.text(i, "name", &p.name);
        self.raw(i, "kind", Some(p.kind));
        self.phone(i, "phone", &p.phone);
        self.opt_text(i, "email", &p.email);
        self.opt_text(i, "contract", &p.contract);
        self.opt_text(i, "reference", &p.reference);
        self.extra(i, &p.extra);
    }

    fn asset(&mut self, a: &Asset, i: usize) {
        self.id(i, "id", &a.id);
        self.raw(i, "kind", Some(a.kind));
        self.text(i, "name", &a.name);
        self.opt_text(i, "manufacturer", &a.manufacturer);
        self.opt_text(i, "model", &a.model);
        self.opt_text(i, "serial", &a.serial);
        self.opt_text(i, "specs", &a.specs);
        self.raw(i, "quantity", a.quantity);
        self.opt_id(i, "location", &a.location);
        self.opt_id(i, "managed_by", &a.managed_by);
        self.date(i, "purchased", a.purchased);
        self.date(i, "warranty_until", a.warranty_until);
        self.ids(i, "depends_on", &a.depends_on);
        if let Some(r) = &a.replacement {
            self.line(i, "replacement:");
            let j = i + 2;
            self.raw(j, "strategy", Some(r.strategy));
            self.opt_id(j, "supplier", &r.supplier);
            self.hours(j, "lead_time_hours", r.lead_time_hours);
            self.hours(j, "setup_hours", r.setup_hours);
            self.raw(j, "cost_eur", r.cost_eur.map(fmt_number));
            self.extra(j, &r.extra);
        }
        self.extra(i, &a.extra);
    }

    fn number(&mut self, n: &Number, i: usize) {
        self.id(i, "id", &n.id);
        self.phone(i, "number", &Some(n.number.clone()));
        self.opt_text(i, "label", &n.label);
        self.opt_id(i, "provider", &n.provider);
        self.ids(i, "carried_by", &n.carried_by);
        match &n.forward_to {
            Some(ForwardTo::Person(id)) => self.id(i, "forward_to", id),
            Some(ForwardTo::Number(p)) => self.phone(i, "forward_to", &Some(p.clone())),
            None => {}
        }
        self.opt_text(i, "forward_how", &n.forward_how);
        self.hours(i, "forward_minutes", n.forward_minutes);
        self.extra(i, &n.extra);
    }

    fn application(&mut self, a: &Application, i: usize) {
        self.id(i, "id", &a.id);
        self.text(i, "name", &a.name);
        self.raw(i, "hosting", a.hosting);
        self.opt_id(i, "vendor", &a.vendor);
        self.ids(i, "runs_on", &a.runs_on);
        self.ids(i, "depends_on", &a.depends_on);
        self.ids(i, "data", &a.data);
        self.hours(i, "restore_hours", a.restore_hours);
        self.opt_text(i, "restore_procedure", &a.restore_procedure);
        self.opt_text(i, "remote_access", &a.remote_access);
        self.opt_text(i, "credentials_at", &a.credentials_at);
        self.ids(i, "restore_by", &a.restore_by);
        self.extra(i, &a.extra);
    }

    fn data_set(&mut self, d: &DataSet, i: usize) {
        self.id(i, "id", &d.id);
        self.text(i, "name", &d.name);
        self.ids(i, "stored_on", &d.stored_on);
        self.hours(i, "rpo_hours", d.rpo_hours);
        if !d.backups.is_empty() {
            self.line(i, "backups:");
            self.items(&d.backups, i + 2, Writer::backup);
        }
        self.extra(i, &d.extra);
    }

    fn backup(&mut self, b: &Backup, i: usize) {
        self.id(i, "id", &b.id);
        self.raw(i, "kind", Some(b.kind));
        match &b.location {
            BackupPlace::Cloud => self.line(i, "location: cloud"),
            BackupPlace::Location(id) => self.id(i, "location", id),
        }
        self.ids(i, "stored_on", &b.stored_on);
        self.hours(i, "every_hours", Some(b.every_hours));
        self.hours(i, "restore_hours", Some(b.restore_hours));
        self.raw(i, "immutable", b.immutable);
        self.date(i, "last_restore_test", b.last_restore_test);
        self.extra(i, &b.extra);
    }

    fn process(&mut self, p: &Process, i: usize) {
        self.id(i, "id", &p.id);
        self.text(i, "name", &p.name);
        self.opt_id(i, "department", &p.department);
        self.raw(i, "priority", p.priority);
        self.hours(i, "rto_hours", p.rto_hours);
        self.hours(i, "mtpd_hours", p.mtpd_hours);
        self.ids(i, "needs", &p.needs);
        self.raw(i, "remote_capable", p.remote_capable);
        self.raw(i, "staff_needed", p.staff_needed);
        self.raw(i, "cost_per_hour_eur", p.cost_per_hour_eur.map(fmt_number));
        self.opt_text(i, "workaround", &p.workaround);
        self.extra(i, &p.extra);
    }

    fn scenario(&mut self, s: &Scenario, i: usize) {
        self.id(i, "id", &s.id);
        self.text(i, "name", &s.name);
        self.raw(i, "kind", Some(s.kind));
        let h = &s.hits;
        if !(h.locations.is_empty() && h.assets.is_empty() && h.parties.is_empty()) {
            self.line(i, "hits:");
            self.ids(i + 2, "locations", &h.locations);
            self.ids(i + 2, "assets", &h.assets);
            self.ids(i + 2, "parties", &h.parties);
        }
        self.raw(i, "effect", s.effect);
        self.raw(i, "likelihood", s.likelihood);
        self.hours(i, "duration_hours", s.duration_hours);
        self.hours(i, "location_unusable_hours", s.location_unusable_hours);
        self.extra(i, &s.extra);
    }

    fn task(&mut self, t: &Task, i: usize) {
        self.id(i, "id", &t.id);
        self.text(i, "title", &t.title);
        self.raw(i, "phase", t.phase);
        self.opt_id(i, "owner", &t.owner);
        self.ids(i, "call", &t.call);
        self.ids(i, "scenarios", &t.scenarios);
        self.ids(i, "after", &t.after);
        self.opt_text(i, "details", &t.details);
        self.extra(i, &t.extra);
    }

    fn exercise(&mut self, e: &Exercise, i: usize) {
        self.id(i, "id", &e.id);
        self.raw(i, "kind", Some(e.kind));
        self.ids(i, "covers", &e.covers);
        self.ids(i, "participants", &e.participants);
        self.date(i, "planned", e.planned);
        self.date(i, "performed", e.performed);
        self.raw(i, "result", e.result);
        self.hours(i, "measured_hours", e.measured_hours);
        self.opt_text(i, "findings", &e.findings);
        self.extra(i, &e.extra);
    }
}

/// Shortest text that reads back as the same number (`24`, not `24.0`).
pub fn fmt_number(v: f64) -> String {
    format!("{v}")
}
