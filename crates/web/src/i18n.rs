//! The interface in Dutch and English: every text is written in both where
//! it is used, `l.s("Save", "Opslaan")`.

use axum::http::HeaderMap;
use draaiboek_plan::Language;

/// The language of one page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct L(pub Language);

impl L {
    pub fn s<'a>(&self, en: &'a str, nl: &'a str) -> &'a str {
        if self.en() { en } else { nl }
    }

    pub fn en(&self) -> bool {
        self.0 == Language::En
    }

    pub fn code(&self) -> &'static str {
        self.0.as_str()
    }
}

/// The user's setting, else the first of nl/en the browser asks for, else
/// English.
pub fn negotiate(setting: Option<&str>, headers: &HeaderMap) -> L {
    if let Some(l) = setting.and_then(Language::parse) {
        return L(l);
    }
    let accept = headers.get(axum::http::header::ACCEPT_LANGUAGE).and_then(|v| v.to_str().ok()).unwrap_or("");
    let mut best: Option<(f32, Language)> = None;
    for part in accept.split(',') {
        let mut bits = part.trim().split(';');
        let tag = bits.next().unwrap_or("").trim().to_ascii_lowercase();
        let q = bits.find_map(|b| b.trim().strip_prefix("q=").and_then(|q| q.parse::<f32>().ok())).unwrap_or(1.0);
        let lang = match tag.split('-').next() {
            Some("nl") => Language::Nl,
            Some("en") => Language::En,
            _ => continue,
        };
        if best.is_none_or(|(b, _)| q > b) {
            best = Some((q, lang));
        }
    }
    L(best.map_or(Language::En, |(_, l)| l))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn with(accept: &str) -> L {
        let mut h = HeaderMap::new();
        h.insert(axum::http::header::ACCEPT_LANGUAGE, accept.parse().unwrap());
        negotiate(None, &h)
    }

    #[test]
    fn the_browser_decides_unless_the_user_chose() {
        assert_eq!(with("nl-NL,nl;q=0.9,en;q=0.8"), L(Language::Nl));
        assert_eq!(with("de-DE,en;q=0.5,nl;q=0.7"), L(Language::Nl));
        assert_eq!(with("fr"), L(Language::En));
        assert_eq!(negotiate(Some("nl"), &HeaderMap::new()), L(Language::Nl));
        assert_eq!(negotiate(None, &HeaderMap::new()), L(Language::En));
    }
}
