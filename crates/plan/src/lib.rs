//! The `draaiboek/v1` plan file: the typed model, reading with every problem
//! reported at once (file, line, column, field path, fix), and writing in a
//! canonical layout. Pure: it parses strings and bytes, it does no IO.

/// A text in the reader's language: `tr!(en, "English {x}", "Nederlands {x}")`
/// where `en` is true for English.
macro_rules! tr {
    ($en:expr, $english:literal, $dutch:literal $(, $arg:expr)* $(,)?) => {
        if $en { format!($english $(, $arg)*) } else { format!($dutch $(, $arg)*) }
    };
}

#[cfg(feature = "generate")]
pub mod generate;
pub mod model;
mod problem;
mod read;
pub mod types;
pub mod value;
mod write;
pub mod yaml;

pub use model::*;
pub use problem::{Problem, ReadError};
pub use read::{EntityKind, FORMAT, SUPPORTED_FORMATS};
pub use types::{Date, Hours, Id, Invalid, Phone};
pub use write::{EXTRA_ROW, ORGANISATION_ROW, Row, SECTIONS, fmt_number, join, quote, split, to_yaml};

/// Plan files larger than this are refused before parsing: a real plan of
/// 100,000 assets is well under it.
pub const MAX_FILE_BYTES: usize = 64 * 1024 * 1024;

/// Reads a plan from the bytes of a file named `file` (used in messages).
/// Problems are described in the plan's own language (English when it
/// says none).
pub fn from_bytes(bytes: &[u8], file: &str) -> Result<Plan, ReadError> {
    from_bytes_in(bytes, file, None)
}

/// As [`from_bytes`], with problems described in `lang` when it is given.
pub fn from_bytes_in(bytes: &[u8], file: &str, lang: Option<Language>) -> Result<Plan, ReadError> {
    let lang = lang.unwrap_or_else(|| sniff_language(&String::from_utf8_lossy(&bytes[..bytes.len().min(64 * 1024)])));
    let en = lang == Language::En;
    let fail = |problem: Problem| ReadError { file: file.to_owned(), problems: vec![problem], lang };
    let not_a_plan = || {
        tr!(
            en,
            "plan files are YAML text in UTF-8; is this a plan file?",
            "een plan is YAML-tekst in UTF-8; is dit een plan?"
        )
    };
    if bytes.len() > MAX_FILE_BYTES {
        let (size, max) = (bytes.len() / (1024 * 1024), MAX_FILE_BYTES / (1024 * 1024));
        return Err(fail(
            Problem::new(
                None,
                "",
                tr!(
                    en,
                    "the file is {size} MB; plan files larger than {max} MB are refused",
                    "het bestand is {size} MB; een plan groter dan {max} MB wordt geweigerd"
                ),
            )
            .hint(tr!(
                en,
                "is this the right file? A plan of 100,000 assets takes about 40 MB",
                "is dit het goede bestand? Een plan met 100.000 ICT-middelen is ongeveer 40 MB"
            )),
        ));
    }
    let text = std::str::from_utf8(bytes).map_err(|e| {
        let line = bytes[..e.valid_up_to()].iter().filter(|b| **b == b'\n').count() + 1;
        let at = e.valid_up_to();
        fail(
            Problem::new(
                Some(yaml::Pos { line, col: 1 }),
                "",
                tr!(
                    en,
                    "the file is not UTF-8 text (bad byte at offset {at})",
                    "het bestand is geen UTF-8-tekst (fout byte op positie {at})"
                ),
            )
            .hint(not_a_plan()),
        )
    })?;
    if text.contains('\0') {
        return Err(fail(
            Problem::new(
                None,
                "",
                tr!(
                    en,
                    "the file contains NUL bytes; it is binary, not a YAML plan",
                    "het bestand bevat NUL-bytes; het is binair, geen YAML-plan"
                ),
            )
            .hint(not_a_plan()),
        ));
    }
    from_str_in(text, file, Some(lang))
}

/// Reads a plan from YAML text; `file` names it in messages. Problems are
/// described in the plan's own language (English when it says none).
pub fn from_str(text: &str, file: &str) -> Result<Plan, ReadError> {
    from_str_in(text, file, None)
}

/// As [`from_str`], with problems described in `lang` when it is given.
pub fn from_str_in(text: &str, file: &str, lang: Option<Language>) -> Result<Plan, ReadError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let lang = lang.unwrap_or_else(|| sniff_language(text));
    let fail = |problems: Vec<Problem>| ReadError { file: file.to_owned(), problems, lang };
    let en = lang == Language::En;
    let root = match yaml::parse(text) {
        Ok(Some(root)) => root,
        Ok(None) => {
            return Err(fail(vec![Problem::new(None, "", tr!(en, "the file is empty", "het bestand is leeg")).hint(
                tr!(
                    en,
                    "a plan starts with `format: {FORMAT}`; `draaiboek init` writes a starter plan",
                    "een plan begint met `format: {FORMAT}`; `draaiboek init` schrijft een startplan"
                ),
            )]));
        }
        Err(e) => {
            let message = match e.kind {
                yaml::SyntaxKind::Parser => {
                    let why = &e.message;
                    tr!(en, "not valid YAML: {why}", "geen geldige YAML: {why}")
                }
                yaml::SyntaxKind::TooDeep => {
                    let max = yaml::MAX_DEPTH;
                    tr!(
                        en,
                        "the YAML is nested more than {max} levels deep; a plan never needs that",
                        "de YAML is meer dan {max} niveaus diep genest; een plan heeft dat nooit nodig"
                    )
                }
                yaml::SyntaxKind::TooManyAliases => {
                    let max = yaml::MAX_ALIAS_NODES;
                    tr!(
                        en,
                        "YAML aliases here expand to more than {max} values; write the repeated parts out",
                        "YAML-aliassen lopen hier op tot meer dan {max} waarden; schrijf de herhaalde delen uit"
                    )
                }
                yaml::SyntaxKind::SecondDocument => tr!(
                    en,
                    "a plan file holds one YAML document; remove the second `---`",
                    "een planbestand bevat één YAML-document; haal de tweede `---` weg"
                ),
            };
            return Err(fail(vec![Problem::new(Some(e.pos), "", message).hint(tr!(
                en,
                "check the indentation and quoting around this place",
                "controleer de inspringing en aanhalingstekens rond deze plek"
            ))]));
        }
    };
    let (plan, mut problems) = read::decode(&root, lang);
    if problems.is_empty() {
        Ok(plan)
    } else {
        problems.sort_by_key(|p| p.pos.map(|p| (p.line, p.col)));
        Err(fail(problems))
    }
}

/// The plan's `language`, read before the plan is, so that even a plan
/// that cannot be parsed gets its problems in its own language.
fn sniff_language(text: &str) -> Language {
    for line in text.lines().take(200) {
        if let Some(v) = line.trim_start().strip_prefix("language:") {
            let v = v.split('#').next().unwrap_or("").trim().trim_matches(['"', '\'']);
            if let Some(l) = Language::parse(v) {
                return l;
            }
        }
    }
    Language::En
}

/// A place in a plan that refers to an entity.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Referrer {
    /// The entity that refers, or `None` for the organisation's settings.
    pub entity: Option<Id>,
    /// The field, as `applications[2].runs_on[0]`.
    pub path: String,
}

/// Everything in `plan` that refers to `id`: what would dangle if it were
/// deleted.
pub fn referrers(plan: &Plan, id: &Id) -> Vec<Referrer> {
    let Ok(Some(root)) = yaml::parse(&to_yaml(plan)) else { return Vec::new() };
    read::references_to(&root, id.as_str())
        .into_iter()
        .map(|path| {
            let entity = entity_at(plan, &path);
            Referrer { entity, path }
        })
        .collect()
}

/// The id of the entity a path like `assets[3].depends_on[0]` is in.
fn entity_at(plan: &Plan, path: &str) -> Option<Id> {
    let (section, rest) = path.split_once('[')?;
    let index: usize = rest.split(']').next()?.parse().ok()?;
    let id = match section {
        "locations" => &plan.locations.get(index)?.id,
        "people" => &plan.people.get(index)?.id,
        "departments" => &plan.departments.get(index)?.id,
        "parties" => &plan.parties.get(index)?.id,
        "assets" => &plan.assets.get(index)?.id,
        "telephony" => &plan.telephony.get(index)?.id,
        "applications" => &plan.applications.get(index)?.id,
        "data" => &plan.data.get(index)?.id,
        "processes" => &plan.processes.get(index)?.id,
        "scenarios" => &plan.scenarios.get(index)?.id,
        "tasks" => &plan.tasks.get(index)?.id,
        "exercises" => &plan.exercises.get(index)?.id,
        _ => return None,
    };
    Some(id.clone())
}

/// Whether YAML text has comments, which the canonical writer cannot keep.
/// Every `#` in the file is either in a comment or inside a value or key,
/// so comments are there when the text holds more `#` than its values.
pub fn has_comments(text: &str) -> bool {
    fn count(node: &yaml::Node) -> usize {
        match &node.kind {
            yaml::Kind::Scalar { text, .. } => text.matches('#').count(),
            yaml::Kind::Seq(items) => items.iter().map(count).sum(),
            yaml::Kind::Map(entries) => entries.iter().map(|(k, v)| count(k) + count(v)).sum(),
        }
    }
    let in_text = text.matches('#').count();
    match yaml::parse(text) {
        Ok(Some(root)) => in_text > count(&root),
        _ => in_text > 0,
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn comments_are_detected() {
        assert!(super::has_comments("a: 1 # one\n"));
        assert!(super::has_comments("# top\na: 1\n"));
        assert!(!super::has_comments("a: \"#1\"\nb: c#d\n"));
    }
}
