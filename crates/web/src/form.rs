//! Between forms and the plan format: an entity's body (YAML in the
//! format's own shape) becomes form values and back, and the reader's
//! problems are put next to the fields they are about.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use draaiboek_plan::value::{Plain, resolve_plain};
use draaiboek_plan::yaml::{self, Kind as Y, Node};

use crate::schema::{Field, Kind, Section};

/// What a form holds: every value under its field name (`key`,
/// `replacement.strategy`, `backups.0.kind`); several for a list.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Values(pub BTreeMap<String, Vec<String>>);

impl Values {
    pub fn from_pairs(pairs: Vec<(String, String)>) -> Values {
        let mut v = BTreeMap::<String, Vec<String>>::new();
        for (k, val) in pairs {
            if k.starts_with('_') {
                continue;
            }
            v.entry(k).or_default().push(val);
        }
        Values(v)
    }

    pub fn one(&self, name: &str) -> &str {
        self.0.get(name).and_then(|v| v.iter().find(|s| !s.trim().is_empty())).map_or("", |s| s.as_str())
    }

    pub fn all(&self, name: &str) -> Vec<&str> {
        self.0.get(name).map(|v| v.iter().map(|s| s.trim()).filter(|s| !s.is_empty()).collect()).unwrap_or_default()
    }

    fn set(&mut self, name: String, values: Vec<String>) {
        if !values.is_empty() {
            self.0.insert(name, values);
        }
    }

    /// The rows of a group that have a value, by their number.
    pub fn group_rows(&self, group: &str) -> Vec<usize> {
        let prefix = format!("{group}.");
        let mut rows: Vec<usize> = self
            .0
            .iter()
            .filter(|(_, v)| v.iter().any(|s| !s.trim().is_empty()))
            .filter_map(|(k, _)| k.strip_prefix(&prefix)?.split('.').next()?.parse().ok())
            .collect();
        rows.sort_unstable();
        rows.dedup();
        rows
    }
}

fn scalar(node: &Node) -> Option<String> {
    match &node.kind {
        Y::Scalar { text, plain } => (!(*plain && resolve_plain(text) == Plain::Null)).then(|| text.clone()),
        _ => None,
    }
}

fn get<'a>(map: &'a Node, key: &str) -> Option<&'a Node> {
    match &map.kind {
        Y::Map(entries) => {
            entries.iter().find(|(k, _)| matches!(&k.kind, Y::Scalar { text, .. } if text == key)).map(|(_, v)| v)
        }
        _ => None,
    }
}

fn get_path<'a>(map: &'a Node, key: &str) -> Option<&'a Node> {
    key.split('.').try_fold(map, |node, k| get(node, k))
}

fn leaf_values(node: &Node, kind: Kind) -> Vec<String> {
    match (&node.kind, kind) {
        (Y::Seq(items), Kind::Texts) => vec![items.iter().filter_map(scalar).collect::<Vec<_>>().join(", ")],
        (Y::Seq(items), _) => items.iter().filter_map(scalar).collect(),
        _ => scalar(node).into_iter().collect(),
    }
}

/// The form values of an entity's body.
pub fn values_of(section: &Section, body: &str) -> Values {
    let mut out = Values::default();
    let Ok(Some(root)) = yaml::parse(body) else { return out };
    for field in section.fields {
        let Some(node) = get_path(&root, field.key) else { continue };
        match field.kind {
            Kind::Group(subs) => {
                if let Y::Seq(items) = &node.kind {
                    for (i, item) in items.iter().enumerate() {
                        for sub in subs {
                            if let Some(n) = get(item, sub.key) {
                                out.set(format!("{}.{i}.{}", field.key, sub.key), leaf_values(n, sub.kind));
                            }
                        }
                    }
                }
            }
            kind => out.set(field.key.to_owned(), leaf_values(node, kind)),
        }
    }
    out
}

/// A YAML scalar for a value typed into a form: plain where the reader
/// takes it as meant (numbers, dates, booleans, ids), quoted otherwise, so
/// that no input can change the shape of the document.
fn yaml_scalar(kind: Kind, value: &str) -> String {
    let v = value.trim();
    let plain_ok = match kind {
        Kind::Number => resolve_plain(v) == Plain::Number,
        Kind::Bool => v == "true" || v == "false",
        Kind::Date => {
            v.len() == 10
                && v.bytes().enumerate().all(|(i, b)| if i == 4 || i == 7 { b == b'-' } else { b.is_ascii_digit() })
        }
        _ => false,
    };
    if plain_ok { v.to_owned() } else { draaiboek_plan::quote(v) }
}

fn write_leaf(out: &mut String, indent: &str, key: &str, kind: Kind, values: &Values, name: &str) {
    match kind {
        Kind::Refs(_) => {
            let items = values.all(name);
            if !items.is_empty() {
                let list: Vec<String> = items.iter().map(|s| draaiboek_plan::quote(s)).collect();
                let _ = writeln!(out, "{indent}{key}: [{}]", list.join(", "));
            }
        }
        Kind::Texts => {
            let items: Vec<String> = values
                .one(name)
                .split(',')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(draaiboek_plan::quote)
                .collect();
            if !items.is_empty() {
                let _ = writeln!(out, "{indent}{key}: [{}]", items.join(", "));
            }
        }
        Kind::Long => {
            let v = values.one(name).replace("\r\n", "\n");
            let v = v.trim_end();
            if !v.trim().is_empty() {
                // A double-quoted scalar holds any text on one line.
                let _ = writeln!(out, "{indent}{key}: {}", serde_json::to_string(v).unwrap_or_default());
            }
        }
        _ => {
            let v = values.one(name);
            if !v.trim().is_empty() {
                let _ = writeln!(out, "{indent}{key}: {}", yaml_scalar(kind, v));
            }
        }
    }
}

/// The body of an entity from form values, keeping `extra` (the free data
/// a form does not show) from the body it replaces. The reader checks it.
pub fn body_of(section: &Section, values: &Values, old_body: Option<&str>) -> String {
    let mut out = String::new();
    let mut open_map: Option<&str> = None;
    for field in section.fields {
        if let Some((map, key)) = field.key.split_once('.') {
            let has = values.0.contains_key(field.key) && !values.all(field.key).is_empty();
            let mut nested = String::new();
            write_leaf(&mut nested, "  ", key, field.kind, values, field.key);
            if has && !nested.is_empty() {
                if open_map != Some(map) {
                    let _ = writeln!(out, "{map}:");
                    open_map = Some(map);
                }
                out.push_str(&nested);
            }
            continue;
        }
        open_map = None;
        match field.kind {
            Kind::Group(subs) => {
                let rows = values.group_rows(field.key);
                if rows.is_empty() {
                    continue;
                }
                let _ = writeln!(out, "{}:", field.key);
                for i in rows {
                    let mut item = String::new();
                    for sub in subs {
                        write_leaf(
                            &mut item,
                            "    ",
                            sub.key,
                            sub.kind,
                            values,
                            &format!("{}.{i}.{}", field.key, sub.key),
                        );
                    }
                    if let Some(rest) = item.strip_prefix("    ") {
                        out.push_str("  - ");
                        out.push_str(rest);
                    }
                }
            }
            kind => write_leaf(&mut out, "", field.key, kind, values, field.key),
        }
    }
    if let Some(extra) = old_body.and_then(top_level_extra) {
        out.push_str(extra);
    }
    out
}

/// The `extra:` block of a body in the canonical layout (keys at the
/// margin, `extra` last).
fn top_level_extra(body: &str) -> Option<&str> {
    if body.starts_with("extra:") {
        return Some(body);
    }
    body.find("\nextra:").map(|i| &body[i + 1..])
}

/// The form field a problem's path points at: `assets[3].replacement.cost_eur`
/// under the prefix `assets[3]` is `replacement.cost_eur`;
/// `data[1].backups[0].every_hours` is `backups.0.every_hours`; a list
/// item is its list.
pub fn field_of(section: &Section, prefix: &str, path: &str) -> Option<String> {
    let rest = path.strip_prefix(prefix)?.strip_prefix('.')?;
    let dotted = rest.replace('[', ".").replace(']', "");
    let mut best: Option<String> = None;
    for field in section.fields {
        let candidates: Vec<String> = match field.kind {
            Kind::Group(subs) => {
                let Some(after) = dotted.strip_prefix(&format!("{}.", field.key)) else {
                    if dotted == field.key {
                        best = Some(field.key.to_owned());
                    }
                    continue;
                };
                let n = after.split('.').next().unwrap_or("");
                subs.iter().map(|s| format!("{}.{n}.{}", field.key, s.key)).collect()
            }
            _ => vec![field.key.to_owned()],
        };
        for c in candidates {
            if (dotted == c || dotted.starts_with(&format!("{c}."))) && best.as_ref().is_none_or(|b| c.len() > b.len())
            {
                best = Some(c);
            }
        }
    }
    best
}

/// A field as a form shows it.
#[derive(Debug, Clone)]
pub struct Input {
    pub name: String,
    pub label: String,
    /// text, textarea, number, date, tel, email, select, multi, bool, group
    pub input: &'static str,
    pub value: String,
    pub options: Vec<Choice>,
    pub required: bool,
    pub error: Option<String>,
    pub readonly: bool,
    /// For groups: the rows, each a list of inputs.
    pub rows: Vec<Vec<Input>>,
    /// For a person or a number: the people to choose from.
    pub datalist: Vec<Choice>,
}

impl Input {
    /// The `type` of an `<input>`: numbers are typed as text, because
    /// browsers' number fields refuse a comma and round.
    pub fn html_type(&self) -> &'static str {
        match self.input {
            "number" => "text",
            other => other,
        }
    }
}

#[derive(Debug, Clone)]
pub struct Choice {
    pub value: String,
    pub label: String,
    pub selected: bool,
}

pub type Options<'a> = &'a dyn Fn(&[&str]) -> Vec<(String, String)>;

fn input_for(
    field: &Field,
    name: String,
    values: &Values,
    errors: &BTreeMap<String, String>,
    options: Options<'_>,
    l: crate::i18n::L,
) -> Input {
    let mut input = Input {
        label: field.label(l).to_owned(),
        value: values.one(&name).to_owned(),
        error: errors.get(&name).cloned(),
        required: field.required,
        readonly: false,
        options: Vec::new(),
        rows: Vec::new(),
        datalist: Vec::new(),
        input: "text",
        name,
    };
    let chosen = values.all(&input.name);
    let choices = |list: Vec<(String, String)>, blank: bool| {
        let mut out = Vec::new();
        if blank {
            out.push(Choice { value: String::new(), label: "—".into(), selected: chosen.is_empty() });
        }
        // A value that is not among the choices is still shown, so that
        // nothing disappears from a form.
        for c in &chosen {
            if !list.iter().any(|(v, _)| v == c) {
                out.push(Choice { value: (*c).to_owned(), label: (*c).to_owned(), selected: true });
            }
        }
        out.extend(list.into_iter().map(|(v, label)| Choice {
            selected: chosen.contains(&v.as_str()),
            value: v,
            label,
        }));
        out
    };
    match field.kind {
        Kind::Text | Kind::Texts => {}
        Kind::Long => input.input = "textarea",
        Kind::Number => input.input = "number",
        Kind::Date => input.input = "date",
        Kind::Phone => input.input = "tel",
        Kind::Email => input.input = "email",
        Kind::Bool => {
            input.input = "select";
            input.options = choices(
                vec![("true".into(), l.s("yes", "ja").into()), ("false".into(), l.s("no", "nee").into())],
                true,
            );
        }
        Kind::Keyword(words) => {
            input.input = "select";
            input.options = choices(
                words.iter().map(|w| ((*w).to_owned(), crate::schema::keyword(w, l))).collect(),
                !field.required,
            );
        }
        Kind::Ref(to) => {
            input.input = "select";
            input.options = choices(options(to), true);
        }
        Kind::Refs(to) => {
            input.input = "multi";
            // What is chosen comes first, in the order it was chosen.
            let mut all = choices(options(to), false);
            let mut chosen_first: Vec<Choice> = Vec::new();
            for c in &chosen {
                if let Some(i) = all.iter().position(|o| o.value == *c) {
                    chosen_first.push(all.remove(i));
                }
            }
            chosen_first.extend(all);
            input.options = chosen_first;
        }
        Kind::LocationOrCloud => {
            input.input = "select";
            let mut list = vec![("cloud".to_owned(), l.s("the cloud", "de cloud").to_owned())];
            list.extend(options(&["locations"]));
            input.options = choices(list, !field.required);
        }
        Kind::PersonOrPhone => {
            input.datalist = options(&["people"])
                .into_iter()
                .map(|(value, label)| Choice { value, label, selected: false })
                .collect();
        }
        Kind::Group(_) => input.input = "group",
    }
    input
}

/// The inputs of a form for `section`, filled with `values`, with the
/// reader's messages next to their fields. Groups get one empty row more.
pub fn inputs(
    section: &Section,
    values: &Values,
    errors: &BTreeMap<String, String>,
    options: Options<'_>,
    l: crate::i18n::L,
    new: bool,
) -> Vec<Input> {
    let mut out = Vec::new();
    for field in section.fields {
        let mut input = input_for(field, field.key.to_owned(), values, errors, options, l);
        if field.key == "id" && section.has_ids() && !new {
            input.readonly = true;
        }
        if let Kind::Group(subs) = field.kind {
            let mut rows = values.group_rows(field.key);
            let next = rows.last().map_or(0, |r| r + 1);
            rows.push(next);
            input.rows = rows
                .into_iter()
                .map(|i| {
                    subs.iter()
                        .map(|sub| {
                            let mut s =
                                input_for(sub, format!("{}.{i}.{}", field.key, sub.key), values, errors, options, l);
                            // Only a row that is filled in needs its required fields.
                            s.required = false;
                            s
                        })
                        .collect()
                })
                .collect();
        }
        out.push(input);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema::{ORGANISATION, section};

    fn pairs(p: &[(&str, &str)]) -> Values {
        Values::from_pairs(p.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect())
    }

    #[test]
    fn a_body_becomes_values_and_back() {
        let assets = section("assets").unwrap();
        let body = "id: srv\nkind: server\nname: Server\ndepends_on: [ups, fw]\nreplacement:\n  strategy: buy\n  lead_time_hours: 48\nextra:\n  rack: 3\n";
        let v = values_of(assets, body);
        assert_eq!(v.all("depends_on"), ["ups", "fw"]);
        assert_eq!(v.one("replacement.lead_time_hours"), "48");
        let again = body_of(assets, &v, Some(body));
        assert_eq!(again, body);
    }

    #[test]
    fn groups_and_nested_lists_round_trip() {
        let data = section("data").unwrap();
        let body = "id: files\nname: Files\nbackups:\n  - id: b1\n    kind: cloud\n    location: cloud\n    every_hours: 24\n    restore_hours: 8\n  - id: b2\n    kind: usb\n    location: office\n    stored_on: [disk1, disk2]\n    every_hours: 168\n    restore_hours: 4\n    immutable: true\n";
        let v = values_of(data, body);
        assert_eq!(v.group_rows("backups"), [0, 1]);
        assert_eq!(body_of(data, &v, None), body);
        let org = "name: Acme\ncall_tree:\n  - caller: ann\n    calls: [bob, it]\n";
        assert_eq!(body_of(&ORGANISATION, &values_of(&ORGANISATION, org), None), org);
    }

    #[test]
    fn typed_text_cannot_change_the_shape_of_the_document() {
        let people = section("people").unwrap();
        let v = pairs(&[("id", "ann"), ("name", "Ann\nrole: admin"), ("role", "x: y"), ("skills", "first aid, keys")]);
        let body = body_of(people, &v, None);
        let plan =
            format!("format: draaiboek/v1\norganisation:\n  name: A\npeople:\n  - {}", body.replace('\n', "\n    "));
        let plan = draaiboek_plan::from_str(&plan, "t").unwrap();
        assert_eq!(plan.people[0].name, "Ann\nrole: admin");
        assert_eq!(plan.people[0].role.as_deref(), Some("x: y"));
        assert_eq!(plan.people[0].skills, ["first aid", "keys"]);
        // A number field with words in it is left for the reader to refuse.
        let locations = section("locations").unwrap();
        let body = body_of(locations, &pairs(&[("workplaces", "8\nkind: cloud")]), None);
        assert_eq!(body, "workplaces: \"8\\nkind: cloud\"\n");
    }

    #[test]
    fn problems_land_on_their_fields() {
        let assets = section("assets").unwrap();
        assert_eq!(
            field_of(assets, "assets[3]", "assets[3].replacement.cost_eur").as_deref(),
            Some("replacement.cost_eur")
        );
        assert_eq!(field_of(assets, "assets[3]", "assets[3].depends_on[1]").as_deref(), Some("depends_on"));
        assert_eq!(field_of(assets, "assets[3]", "assets[3]"), None);
        assert_eq!(field_of(assets, "assets[3]", "assets[30].name"), None);
        let data = section("data").unwrap();
        assert_eq!(
            field_of(data, "data[1]", "data[1].backups[0].every_hours").as_deref(),
            Some("backups.0.every_hours")
        );
        assert_eq!(
            field_of(data, "data[1]", "data[1].backups[2].stored_on[0]").as_deref(),
            Some("backups.2.stored_on")
        );
        assert_eq!(
            field_of(&ORGANISATION, "organisation", "organisation.call_tree[1].calls[0]").as_deref(),
            Some("call_tree.1.calls")
        );
    }
}
