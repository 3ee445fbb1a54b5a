//! Problems found while reading a plan file, with their place in it.

use std::fmt;

use crate::model::Language;
use crate::yaml::Pos;

/// One thing wrong with a plan file: where, what, and how to fix it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// Line and column in the file, when the parser could tell.
    pub pos: Option<Pos>,
    /// The field path, as `applications[2].runs_on[0]`; empty for the file.
    pub path: String,
    pub message: String,
    /// How to fix it, when there is something useful to say.
    pub hint: Option<String>,
}

impl Problem {
    pub fn new(pos: Option<Pos>, path: impl Into<String>, message: impl Into<String>) -> Problem {
        Problem { pos, path: path.into(), message: message.into(), hint: None }
    }

    pub fn hint(mut self, hint: impl Into<String>) -> Problem {
        self.hint = Some(hint.into());
        self
    }

    /// `file:line:col: path: message` and the hint below it, the form
    /// editors jump to.
    pub fn display<'a>(&'a self, file: &'a str, lang: Language) -> impl fmt::Display + 'a {
        struct D<'a>(&'a Problem, &'a str, Language);
        impl fmt::Display for D<'_> {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                let p = self.0;
                write!(f, "{}", self.1)?;
                if let Some(pos) = p.pos {
                    write!(f, ":{}:{}", pos.line, pos.col)?;
                }
                write!(f, ": ")?;
                if !p.path.is_empty() {
                    write!(f, "{}: ", p.path)?;
                }
                write!(f, "{}", p.message)?;
                if let Some(h) = &p.hint {
                    let label = if self.2 == Language::En { "hint" } else { "tip" };
                    write!(f, "\n    {label}: {h}")?;
                }
                Ok(())
            }
        }
        D(self, file, lang)
    }
}

/// Why a plan could not be read: every problem found, in file order.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{file}: {} problem(s) in the plan", problems.len())]
pub struct ReadError {
    pub file: String,
    pub problems: Vec<Problem>,
    /// The language the problems are described in.
    pub lang: Language,
}

impl ReadError {
    /// All problems, one per line (hints indented under them).
    pub fn report(&self) -> String {
        let mut out = String::new();
        for p in &self.problems {
            out.push_str(&p.display(&self.file, self.lang).to_string());
            out.push('\n');
        }
        out
    }
}
