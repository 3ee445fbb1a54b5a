//! Free YAML data under `extra`, kept as written.

/// A YAML value with scalars resolved by the core schema (numbers keep
/// their text, so `0800` stays `0800`).
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Null,
    Bool(bool),
    Number(String),
    String(String),
    Seq(Vec<Value>),
    Map(Vec<(String, Value)>),
}

/// How a plain (unquoted) scalar reads under the YAML 1.2 core schema.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Plain {
    Null,
    Bool(bool),
    Number,
    String,
}

pub fn resolve_plain(s: &str) -> Plain {
    match s {
        "" | "~" | "null" | "Null" | "NULL" => Plain::Null,
        "true" | "True" | "TRUE" => Plain::Bool(true),
        "false" | "False" | "FALSE" => Plain::Bool(false),
        ".inf" | ".Inf" | ".INF" | "+.inf" | "+.Inf" | "+.INF" | "-.inf" | "-.Inf" | "-.INF" | ".nan" | ".NaN"
        | ".NAN" => Plain::Number,
        _ if is_number(s) => Plain::Number,
        _ => Plain::String,
    }
}

fn is_number(s: &str) -> bool {
    let body = s.strip_prefix(['-', '+']).unwrap_or(s);
    if let Some(hex) = body.strip_prefix("0x") {
        return !hex.is_empty() && hex.chars().all(|c| c.is_ascii_hexdigit());
    }
    if let Some(oct) = body.strip_prefix("0o") {
        return !oct.is_empty() && oct.chars().all(|c| ('0'..='7').contains(&c));
    }
    // [0-9]* ( . [0-9]* )? ( [eE] [-+]? [0-9]+ )?, with at least one digit
    let (mant, exp) = match body.find(['e', 'E']) {
        Some(i) => (&body[..i], Some(&body[i + 1..])),
        None => (body, None),
    };
    let (int, frac) = match mant.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (mant, None),
    };
    let digits = |t: &str| t.chars().all(|c| c.is_ascii_digit());
    let has_digit = !int.is_empty() || frac.is_some_and(|f| !f.is_empty());
    has_digit
        && digits(int)
        && frac.is_none_or(digits)
        && exp.is_none_or(|e| {
            let e = e.strip_prefix(['-', '+']).unwrap_or(e);
            !e.is_empty() && digits(e)
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_scalars_resolve_like_yaml_core() {
        assert_eq!(resolve_plain("~"), Plain::Null);
        assert_eq!(resolve_plain(""), Plain::Null);
        assert_eq!(resolve_plain("True"), Plain::Bool(true));
        assert_eq!(resolve_plain("12"), Plain::Number);
        assert_eq!(resolve_plain("-0.5e3"), Plain::Number);
        assert_eq!(resolve_plain(".5"), Plain::Number);
        assert_eq!(resolve_plain("0x1F"), Plain::Number);
        assert_eq!(resolve_plain("1."), Plain::Number);
        assert_eq!(resolve_plain("."), Plain::String);
        assert_eq!(resolve_plain("yes"), Plain::String);
        assert_eq!(resolve_plain("+31 6 1234"), Plain::String);
        assert_eq!(resolve_plain("1e"), Plain::String);
    }
}
