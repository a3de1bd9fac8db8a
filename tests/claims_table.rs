//! Table-driven cases for the claims stage: `tests/data/claims/cases.tsv`, one text per line
//! with every claim it must yield (see the header of that file for the format).

use newsextract::stages::claims::{extract_claims, Claim, ClaimKind, DateParts, Qualifier};
use newsextract::stages::segment::split_sentences;

#[derive(Debug)]
struct Expected {
    text: String,
    value: f64,
    high: Option<f64>,
    qualifier: Qualifier,
    kind: ClaimKind,
    unit: Option<String>,
    is_claim: bool,
    attribution: Option<String>,
}

/// Takes "⟨…⟩" off the front of `s`.
fn bracketed(s: &str) -> (String, &str) {
    let s = s.trim_start();
    let rest = s.strip_prefix('⟨').expect("expected ⟨");
    let end = rest.find('⟩').expect("unclosed ⟨");
    (rest[..end].to_string(), &rest[end + '⟩'.len_utf8()..])
}

fn parse_expected(spec: &str) -> Expected {
    let (text, rest) = bracketed(spec);
    let mut rest = rest.trim_start();
    let mut field = || {
        let (w, r) = rest.split_once(' ').unwrap_or((rest, ""));
        rest = r.trim_start();
        w.to_string()
    };
    let value_s = field();
    let (value, high) = match value_s.split_once("..") {
        Some((a, b)) => (a.parse().unwrap(), Some(b.parse().unwrap())),
        None => (value_s.parse().unwrap(), None),
    };
    let q: Qualifier = serde_json::from_str(&format!("\"{}\"", field())).unwrap();
    let k: ClaimKind = serde_json::from_str(&format!("\"{}\"", field())).unwrap();
    let after_kind = rest;
    let (unit, rest) = if after_kind.starts_with('⟨') {
        let (u, r) = bracketed(after_kind);
        (Some(u), r)
    } else {
        (None, after_kind.trim_start().strip_prefix('-').unwrap())
    };
    let rest = rest.trim_start();
    let is_claim = if rest.starts_with("claim") {
        true
    } else {
        assert!(rest.starts_with("stamp"), "claim|stamp expected in {spec}");
        false
    };
    let attribution = rest.find('@').map(|p| bracketed(&rest[p + 1..]).0);
    Expected {
        text,
        value,
        high,
        qualifier: q,
        kind: k,
        unit,
        is_claim,
        attribution,
    }
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-9 * a.abs().max(1.0)
}

fn check(lang: &str, text: &str, want: &[Expected]) -> Result<(), String> {
    let got: Vec<Claim> = extract_claims(text, &split_sentences(text), lang);
    let show = |c: &Claim| {
        format!(
            "⟨{}⟩ {}{} {:?} {:?} {:?} claim={} @{:?}",
            c.text,
            match &c.date {
                Some(d) => d.start.to_string(),
                None => c.value.map(|v| v.to_string()).unwrap_or_default(),
            },
            match &c.date {
                Some(d) => d.end.map(|e| format!("..{e}")).unwrap_or_default(),
                None => c.value_high.map(|h| format!("..{h}")).unwrap_or_default(),
            },
            c.qualifier,
            c.kind,
            c.unit,
            c.is_claim,
            c.attribution.as_ref().map(|a| &a.text)
        )
    };
    let all = got.iter().map(show).collect::<Vec<_>>().join(" ;; ");
    if got.len() != want.len() {
        return Err(format!("expected {} claims, got [{all}]", want.len()));
    }
    for (g, w) in got.iter().zip(want) {
        // Dates are written YYYYMMDD / YYYYMM / MMDD in the table and compared by their parts:
        // a date without a year has no value.
        let value_ok = match &g.date {
            Some(d) => {
                Some(d.start) == DateParts::from_value(w.value)
                    && d.end == w.high.and_then(DateParts::from_value)
            }
            None => {
                g.value.is_some_and(|v| close(v, w.value))
                    && match (g.value_high, w.high) {
                        (None, None) => true,
                        (Some(a), Some(b)) => close(a, b),
                        _ => false,
                    }
            }
        };
        let ok = g.text == w.text
            && value_ok
            && g.qualifier == w.qualifier
            && g.kind == w.kind
            && g.unit == w.unit
            && g.is_claim == w.is_claim
            && (w.attribution.is_none()
                || g.attribution.as_ref().map(|a| &a.text) == w.attribution.as_ref());
        if !ok {
            return Err(format!("want {w:?}\n  got [{all}]"));
        }
        let slice: String = text.chars().skip(g.start).take(g.end - g.start).collect();
        if slice != g.text {
            return Err(format!("text {:?} is not the slice {slice:?}", g.text));
        }
    }
    Ok(())
}

#[test]
fn table_cases() {
    let data = include_str!("data/claims/cases.tsv");
    let mut failures = Vec::new();
    let mut n = 0;
    for (lineno, line) in data.lines().enumerate() {
        if line.starts_with('#') || line.trim().is_empty() {
            continue;
        }
        let mut cols = line.split('\t');
        let (lang, text, spec) = (
            cols.next().unwrap(),
            cols.next().unwrap(),
            cols.next().unwrap_or("-"),
        );
        let want: Vec<Expected> = if spec.trim() == "-" {
            Vec::new()
        } else {
            spec.split(" ;; ").map(parse_expected).collect()
        };
        n += 1;
        if let Err(e) = check(lang, text, &want) {
            failures.push(format!("line {}: {text}\n  {e}", lineno + 1));
        }
    }
    assert!(n >= 150, "only {n} cases");
    assert!(
        failures.is_empty(),
        "{} of {n} cases failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn integral_values_serialize_as_integers() {
    let text = "Am 20.06.2024 kamen 1,5 Millionen Menschen.";
    let claims = extract_claims(text, &[(0, text.chars().count())], "de");
    let json = serde_json::to_string(&claims).unwrap();
    assert!(json.contains("\"value\":20240620,"), "{json}");
    assert!(json.contains("\"value\":1500000,"), "{json}");
    assert!(json.contains("\"qualifier\":\"exact\""), "{json}");
    let back: Vec<Claim> = serde_json::from_str(&json).unwrap();
    assert_eq!(back, claims);
}

#[test]
fn offsets_are_chars_not_bytes() {
    let text = "Größere Städte: über 20 Jahre später kamen fünf Gäste.";
    let claims = extract_claims(text, &[(0, text.chars().count())], "de");
    for c in &claims {
        let slice: String = text.chars().skip(c.start).take(c.end - c.start).collect();
        assert_eq!(slice, c.text);
    }
    assert_eq!(claims.len(), 2);
    assert_eq!(claims[0].start, 16);
}

#[test]
fn sentence_index_follows_ranges() {
    let text = "Es gab 3 Tote. Dann kamen 4 Helfer.";
    let claims = extract_claims(text, &[(0, 14), (15, 35)], "de");
    assert_eq!(
        claims.iter().map(|c| c.sentence).collect::<Vec<_>>(),
        vec![0, 1]
    );
}

#[test]
fn empty_and_odd_inputs() {
    assert!(extract_claims("", &[], "de").is_empty());
    assert!(extract_claims("Keine Zahl hier.", &[], "xx").is_empty());
    // Sentence ranges past the end are ignored rather than trusted.
    let c = extract_claims("5 Tote", &[(0, 99)], "de");
    assert_eq!(c.len(), 1);
}
