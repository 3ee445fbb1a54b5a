//! The `draaiboek/v1` plan file: the typed model, reading with every problem
//! reported at once (file, line, column, field path, fix), and writing in a
//! canonical layout. Pure: it parses strings and bytes, it does no IO.

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
pub use types::{Date, Hours, Id, Phone};
pub use write::{fmt_number, quote, to_yaml};

/// Plan files larger than this are refused before parsing: a real plan of
/// 100,000 assets is well under it.
pub const MAX_FILE_BYTES: usize = 64 * 1024 * 1024;

/// Reads a plan from the bytes of a file named `file` (used in messages).
pub fn from_bytes(bytes: &[u8], file: &str) -> Result<Plan, ReadError> {
    let fail = |problem: Problem| ReadError { file: file.to_owned(), problems: vec![problem] };
    if bytes.len() > MAX_FILE_BYTES {
        return Err(fail(
            Problem::new(
                None,
                "",
                format!(
                    "the file is {} MB; plan files larger than {} MB are refused",
                    bytes.len() / (1024 * 1024),
                    MAX_FILE_BYTES / (1024 * 1024)
                ),
            )
            .hint("is this the right file? A plan of 100,000 assets takes about 40 MB"),
        ));
    }
    let text = std::str::from_utf8(bytes).map_err(|e| {
        let line = bytes[..e.valid_up_to()].iter().filter(|b| **b == b'\n').count() + 1;
        fail(
            Problem::new(
                Some(yaml::Pos { line, col: 1 }),
                "",
                format!("the file is not UTF-8 text (bad byte at offset {})", e.valid_up_to()),
            )
            .hint("plan files are YAML text in UTF-8; is this a plan file?"),
        )
    })?;
    if text.contains('\0') {
        return Err(fail(
            Problem::new(None, "", "the file contains NUL bytes; it is binary, not a YAML plan")
                .hint("plan files are YAML text in UTF-8; is this a plan file?"),
        ));
    }
    from_str(text, file)
}

/// Reads a plan from YAML text; `file` names it in messages.
pub fn from_str(text: &str, file: &str) -> Result<Plan, ReadError> {
    let fail = |problems: Vec<Problem>| ReadError { file: file.to_owned(), problems };
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let root = match yaml::parse(text) {
        Ok(Some(root)) => root,
        Ok(None) => {
            return Err(fail(vec![
                Problem::new(None, "", "the file is empty")
                    .hint(format!("a plan starts with `format: {FORMAT}`; `draaiboek init` writes a starter plan")),
            ]));
        }
        Err(e) => {
            return Err(fail(vec![
                Problem::new(Some(e.pos), "", format!("not valid YAML: {}", e.message))
                    .hint("check the indentation and quoting around this place"),
            ]));
        }
    };
    let (plan, mut problems) = read::decode(&root);
    if problems.is_empty() {
        Ok(plan)
    } else {
        problems.sort_by_key(|p| p.pos.map(|p| (p.line, p.col)));
        Err(fail(problems))
    }
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
