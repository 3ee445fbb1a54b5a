//! Wording shared by messages, explanations and steps, in Dutch and English.

use draaiboek_plan::Language;

/// A duration for people: `86 h` / `86 uur`, `0.33 h` / `0,33 uur`, and
/// `never` / `nooit` for infinity.
pub fn hours(h: f64, lang: Language) -> String {
    if !h.is_finite() {
        return match lang {
            Language::En => "never".into(),
            Language::Nl => "nooit".into(),
        };
    }
    let n = number(h, lang);
    match lang {
        Language::En => format!("{n} h"),
        Language::Nl => format!("{n} uur"),
    }
}

/// A number with at most two decimals, in the reader's convention.
pub fn number(v: f64, lang: Language) -> String {
    let rounded = (v * 100.0).round() / 100.0;
    let s = format!("{rounded}");
    match lang {
        Language::En => s,
        Language::Nl => s.replace('.', ","),
    }
}

/// An amount of euros: `€ 21,500` / `€ 21.500`.
pub fn euros(v: f64, lang: Language) -> String {
    let whole = v.round() as u64;
    let digits = whole.to_string();
    let sep = match lang {
        Language::En => ',',
        Language::Nl => '.',
    };
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(sep);
        }
        out.push(c);
    }
    format!("€ {out}")
}

/// Picks the text for `lang`.
pub fn pick<'a>(lang: Language, en: &'a str, nl: &'a str) -> &'a str {
    match lang {
        Language::En => en,
        Language::Nl => nl,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_follow_the_language() {
        assert_eq!(hours(86.0, Language::En), "86 h");
        assert_eq!(hours(1.0 / 3.0, Language::Nl), "0,33 uur");
        assert_eq!(hours(f64::INFINITY, Language::Nl), "nooit");
    }

    #[test]
    fn euros_are_grouped() {
        assert_eq!(euros(21500.0, Language::En), "€ 21,500");
        assert_eq!(euros(1234567.4, Language::Nl), "€ 1.234.567");
        assert_eq!(euros(0.0, Language::En), "€ 0");
    }
}
