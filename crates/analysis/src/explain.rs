//! Explanation chains as sentences: "payroll at 86 h: waits for
//! client-files, restored from backup-cloud at 86 h, which waits for
//! srv-dc01, replaced by forall-it at 80 h".

use draaiboek_plan::{ForwardTo, Language};

use crate::graph::{Graph, Node};
use crate::recovery::{Because, Workplace};
use crate::scenario::ScenarioResult;
use crate::text::{hours, pick};

/// Links shown of a longer chain: the first and the last half of these.
const MAX_LINKS: usize = 8;

/// Why `node` is back when it is, as one sentence.
pub fn explain(g: &Graph<'_>, res: &ScenarioResult, node: Node, lang: Language) -> String {
    let chain = res.chain(node);
    let (_, t0, _) = chain[0];
    let mut out = if t0.is_finite() {
        format!("{} {} {}", g.id(node), pick(lang, "at", "na"), hours(t0, lang))
    } else {
        format!("{} {}", g.id(node), pick(lang, "never comes back", "komt nooit terug"))
    };
    let mut items = Vec::new();
    for (k, &(n, t, because)) in chain.iter().enumerate() {
        // A long chain keeps its start and its root cause.
        if chain.len() > MAX_LINKS && k >= MAX_LINKS / 2 && k < chain.len() - MAX_LINKS / 2 {
            if k == MAX_LINKS / 2 {
                let skipped = chain.len() - MAX_LINKS;
                items.push(match lang {
                    Language::En => format!("… {skipped} more …"),
                    Language::Nl => format!("… nog {skipped} …"),
                });
            }
            continue;
        }
        if let Some(d) = describe(g, n, t, because, lang) {
            items.push(d);
        }
        if let Some(&(next, _, _)) = chain.get(k + 1) {
            let verb = if k == 0 {
                pick(lang, "waits for", "wacht op")
            } else {
                pick(lang, "which waits for", "dat wacht op")
            };
            items.push(format!("{verb} {}", g.id(next)));
        }
    }
    if !items.is_empty() {
        out.push_str(": ");
        out.push_str(&items.join(", "));
    }
    out
}

fn at(t: f64, lang: Language) -> String {
    if t.is_finite() { format!("{} {}", pick(lang, "at", "na"), hours(t, lang)) } else { String::new() }
}

fn describe(g: &Graph<'_>, n: Node, t: f64, because: Because, lang: Language) -> Option<String> {
    let plan = g.plan;
    Some(match because {
        Because::Up | Because::WaitsFor(_) => return None,
        Because::Unavailable { .. } => {
            format!("{} {}", pick(lang, "unavailable until", "onbeschikbaar tot"), hours(t, lang))
        }
        Because::Replaced { .. } => {
            let Node::Asset(a) = n else { return None };
            let rep = plan.assets[a].replacement.as_ref()?;
            match &rep.supplier {
                Some(s) => format!("{} {s} {}", pick(lang, "replaced by", "vervangen via"), at(t, lang)),
                None => format!("{} ({}) {}", pick(lang, "replaced", "vervangen"), rep.strategy, at(t, lang)),
            }
        }
        Because::NoReplacement => pick(
            lang,
            "destroyed, and the plan has no replacement for it",
            "vernietigd, en het plan heeft er geen vervanging voor",
        )
        .to_owned(),
        Because::Rebuilt { .. } => format!("{} {}", pick(lang, "rebuilt", "opnieuw ingericht"), at(t, lang)),
        Because::PartyHit => {
            if t.is_finite() {
                format!("{} {}", pick(lang, "out of action until", "uitgevallen tot"), hours(t, lang))
            } else {
                pick(lang, "out of action", "uitgevallen").to_owned()
            }
        }
        Because::Restored { backup, .. } => {
            let Node::Data(d) = n else { return None };
            format!(
                "{} {} {}",
                pick(lang, "restored from", "teruggezet uit"),
                plan.data[d].backups[backup].id,
                at(t, lang)
            )
        }
        Because::NoSurvivingBackup => {
            pick(lang, "lost: no backup survives", "verloren: geen back-up overleeft").to_owned()
        }
        Because::Reinstalled { .. } => {
            format!("{} {}", pick(lang, "reinstalled", "opnieuw geïnstalleerd"), at(t, lang))
        }
        Because::Forwarded { .. } => {
            let Node::Number(i) = n else { return None };
            let to = match &plan.telephony[i].forward_to {
                Some(ForwardTo::Person(p)) => p.to_string(),
                Some(ForwardTo::Number(p)) => p.to_string(),
                None => String::new(),
            };
            format!("{} {to} {}", pick(lang, "forwarded to", "doorgeschakeld naar"), at(t, lang))
        }
        Because::Workplace(w) => match w {
            Workplace::AtOnce => return None,
            Workplace::Alternate(l) => match lang {
                Language::En => format!("works at {} from {}", plan.locations[l].id, hours(t, lang)),
                Language::Nl => format!("werkt vanaf {} op {}", hours(t, lang), plan.locations[l].id),
            },
            Workplace::OwnLocation(l) => format!(
                "{} {} {}",
                pick(lang, "has no workplace until", "heeft geen werkplek tot"),
                plan.locations[l].id,
                pick(lang, "is usable again", "weer bruikbaar is")
            ),
            Workplace::Nowhere(l) => format!(
                "{} {} {}",
                pick(
                    lang,
                    "has no workplace: no alternate location has room and",
                    "heeft geen werkplek: geen uitwijklocatie heeft plaats en"
                ),
                plan.locations[l].id,
                pick(lang, "stays unusable", "blijft onbruikbaar")
            ),
        },
    })
    .map(|s| s.trim_end().to_owned())
}
