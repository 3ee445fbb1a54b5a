//! Phone numbers that can be tapped: on the day, the team calls from its
//! phones, and a number that has to be copied by hand costs time and errors.

/// The `tel:` address of a number as people write it:
/// `+31 (0)20 123 45 67` gives `tel:+31201234567`. Text after the number
/// (`ext. 12`, `(24/7)`) is left out. `None` when there are too few digits.
pub fn href(number: &str) -> Option<String> {
    let s = number.trim();
    let international = s.starts_with('+');
    // "(0)" is the trunk prefix people write after the country code; dialled
    // from abroad it must go.
    let s = if international { s.replacen("(0)", "", 1) } else { s.to_owned() };
    let mut out = String::from(if international { "tel:+" } else { "tel:" });
    let mut digits = 0;
    for c in s.chars().skip(usize::from(international)) {
        match c {
            '0'..='9' => {
                out.push(c);
                digits += 1;
            }
            ' ' | '-' | '.' | '(' | ')' | '/' | '\u{a0}' => {}
            _ => break,
        }
    }
    (digits >= 3).then_some(out)
}

/// A text cut into pieces, each with the `tel:` address when it is a number.
pub type Pieces = Vec<(String, Option<String>)>;

/// The numbers in a text such as `Kestrel IT +44 113 496 0000, Claire
/// Hughes 07700 900102`: runs that start with `+` or a digit, go on with
/// digits and the usual separators, and hold at least six digits.
pub fn pieces(text: &str) -> Pieces {
    let mut out: Pieces = Vec::new();
    let mut plain = String::new();
    let chars: Vec<char> = text.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let starts = (chars[i] == '+' || chars[i].is_ascii_digit())
            && (i == 0 || !chars[i - 1].is_alphanumeric())
            && chars.get(i + usize::from(chars[i] == '+')).is_some_and(|c| c.is_ascii_digit() || *c == '(');
        if starts {
            let mut end = i + 1;
            while end < chars.len() && (chars[end].is_ascii_digit() || " -.()\u{a0}".contains(chars[end])) {
                end += 1;
            }
            // Trailing separators, and a bracket the number did not open,
            // belong to the text.
            let balanced =
                |run: &[char]| run.iter().filter(|c| **c == '(').count() >= run.iter().filter(|c| **c == ')').count();
            while end > i && !chars[end - 1].is_ascii_digit() && (chars[end - 1] != ')' || !balanced(&chars[i..end])) {
                end -= 1;
            }
            let run: String = chars[i..end].iter().collect();
            let run_ok = run.chars().filter(char::is_ascii_digit).count() >= 6;
            if run_ok && let Some(h) = href(&run) {
                if !plain.is_empty() {
                    out.push((std::mem::take(&mut plain), None));
                }
                out.push((run, Some(h)));
                i = end;
                continue;
            }
        }
        plain.push(chars[i]);
        i += 1;
    }
    if !plain.is_empty() {
        out.push((plain, None));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_as_people_write_them() {
        assert_eq!(href("+44 7700 900101").as_deref(), Some("tel:+447700900101"));
        assert_eq!(href("+31 (0)20 123 45 67").as_deref(), Some("tel:+31201234567"));
        assert_eq!(href("020-1234567").as_deref(), Some("tel:0201234567"));
        assert_eq!(href("0800 0233 ext. 12").as_deref(), Some("tel:08000233"));
        assert_eq!(href("112").as_deref(), Some("tel:112"));
        assert_eq!(href("none"), None);
    }

    #[test]
    fn numbers_in_a_text_are_found() {
        let p = pieces("Kestrel IT +44 113 496 0000, Claire Hughes 07700 900102");
        assert_eq!(
            p,
            [
                ("Kestrel IT ".to_owned(), None),
                ("+44 113 496 0000".to_owned(), Some("tel:+441134960000".to_owned())),
                (", Claire Hughes ".to_owned(), None),
                ("07700 900102".to_owned(), Some("tel:07700900102".to_owned())),
            ]
        );
    }

    #[test]
    fn other_digits_stay_text() {
        for text in ["Office 365 admin", "Kestrel IT (24/7 desk)", "Room 2.14", "BT line 100 Mbit", "abc123456789"] {
            assert_eq!(pieces(text), [(text.to_owned(), None)], "{text}");
        }
        assert_eq!(pieces(""), []);
    }

    #[test]
    fn a_number_in_brackets_keeps_the_brackets_outside() {
        let p = pieces("Helpdesk (+31 20 123 4567)");
        assert_eq!(p[1], ("+31 20 123 4567".to_owned(), Some("tel:+31201234567".to_owned())));
        assert_eq!(p[2], (")".to_owned(), None));
    }
}
