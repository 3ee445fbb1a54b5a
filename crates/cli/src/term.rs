//! Terminal output: colour only on a terminal and never with `NO_COLOR`,
//! and tables whose columns line up.

use std::io::IsTerminal;

#[derive(Debug, Clone, Copy)]
pub struct Style {
    pub colour: bool,
}

impl Style {
    /// Colour when standard output is a terminal and `NO_COLOR` is unset or empty.
    pub fn detect() -> Style {
        let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
        Style { colour: !no_color && std::io::stdout().is_terminal() }
    }

    fn paint(&self, code: &str, s: &str) -> String {
        if self.colour { format!("\x1b[{code}m{s}\x1b[0m") } else { s.to_owned() }
    }

    pub fn bold(&self, s: &str) -> String {
        self.paint("1", s)
    }
    pub fn red(&self, s: &str) -> String {
        self.paint("31", s)
    }
    pub fn bold_red(&self, s: &str) -> String {
        self.paint("1;31", s)
    }
    pub fn yellow(&self, s: &str) -> String {
        self.paint("33", s)
    }
    pub fn green(&self, s: &str) -> String {
        self.paint("32", s)
    }
    pub fn dim(&self, s: &str) -> String {
        self.paint("2", s)
    }
}

/// Characters as a terminal shows them (escape sequences take no room).
pub fn width(s: &str) -> usize {
    let mut n = 0;
    let mut in_escape = false;
    for c in s.chars() {
        if in_escape {
            in_escape = c != 'm';
        } else if c == '\x1b' {
            in_escape = true;
        } else {
            n += 1;
        }
    }
    n
}

/// Rows as lines with aligned columns, each line indented by `indent`.
/// The last column is not padded.
pub fn table(rows: &[Vec<String>], indent: usize) -> String {
    let cols = rows.iter().map(Vec::len).max().unwrap_or(0);
    let mut widths = vec![0; cols];
    for row in rows {
        for (i, cell) in row.iter().enumerate() {
            widths[i] = widths[i].max(width(cell));
        }
    }
    let mut out = String::new();
    for row in rows {
        let mut line = " ".repeat(indent);
        for (i, cell) in row.iter().enumerate() {
            line.push_str(cell);
            if i + 1 < row.len() {
                line.push_str(&" ".repeat(widths[i] - width(cell) + 2));
            }
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

/// Text wrapped to `cols` characters, continuation lines indented.
pub fn wrap(text: &str, cols: usize, indent: usize) -> String {
    // Amounts stay with their unit: "36 h", "8 uur", "€ 1,200".
    let mut words: Vec<String> = Vec::new();
    for word in text.split_whitespace() {
        let glue = words.last().is_some_and(|prev| {
            prev == "€" || (matches!(word, "h" | "uur") && prev.ends_with(|c: char| c.is_ascii_digit()))
        });
        match words.last_mut() {
            Some(prev) if glue => {
                prev.push(' ');
                prev.push_str(word);
            }
            _ => words.push(word.to_owned()),
        }
    }
    let mut out = String::new();
    let mut line_len = 0;
    for word in &words {
        let w = width(word);
        if line_len > 0 && line_len + 1 + w > cols {
            out.push('\n');
            out.push_str(&" ".repeat(indent));
            line_len = 0;
        } else if line_len > 0 {
            out.push(' ');
            line_len += 1;
        }
        out.push_str(word);
        line_len += w;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_line_up() {
        let rows = vec![
            vec!["a".to_owned(), "bb".to_owned(), "c".to_owned()],
            vec!["aaa".to_owned(), "b".to_owned(), "".to_owned()],
        ];
        assert_eq!(table(&rows, 2), "  a    bb  c\n  aaa  b\n");
    }

    #[test]
    fn escapes_take_no_room() {
        let s = Style { colour: true };
        assert_eq!(width(&s.red("abc")), 3);
        assert_eq!(Style { colour: false }.red("abc"), "abc");
    }

    #[test]
    fn long_text_wraps() {
        assert_eq!(wrap("aaa bbb ccc", 7, 2), "aaa bbb\n  ccc");
    }

    #[test]
    fn amounts_stay_with_their_unit() {
        assert_eq!(wrap("back after 36 h today", 13, 0), "back after\n36 h today");
        assert_eq!(wrap("costs € 1,200", 7, 0), "costs\n€ 1,200");
    }
}
