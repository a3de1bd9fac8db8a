//! Names of currencies as news writes them after an amount: current and historical European
//! currencies, the common world currencies, their ISO 4217 codes, and a nationality adjective
//! before a shared name ("Schweizer Franken", "dänische Kronen").
//!
//! Shared knowledge: the claims stage reads an amount's unit as money with it, and the entities
//! stage uses it to tell "50 Mark" (the unit of an amount) from a person called Mark. Names are
//! matched lower-cased; ISO 4217 codes come from the `iso_currency` crate and are matched only
//! in capitals ("TOP 3" is an agenda item, not Tongan paʻanga, but "TOP" after an amount is).

/// One-word currency names and codes, lower-case (German and English forms, singular and
/// plural).
const NAMES: &[&str] = &[
    // current
    "euro",
    "euros",
    "eur",
    "cent",
    "cents",
    "dollar",
    "dollars",
    "us-dollar",
    "us-dollars",
    "usd",
    "franken",
    "chf",
    "rappen",
    "pfund",
    "pound",
    "pounds",
    "gbp",
    "pence",
    "penny",
    "rubel",
    "rubles",
    "roubles",
    "rub",
    "yen",
    "jpy",
    "yuan",
    "renminbi",
    "cny",
    "won",
    "krw",
    "rupie",
    "rupien",
    "rupee",
    "rupees",
    "inr",
    "krone",
    "kronen",
    "kronor",
    "kroner",
    "sek",
    "nok",
    "dkk",
    "czk",
    "złoty",
    "zloty",
    "zlotys",
    "pln",
    "forint",
    "huf",
    "lei",
    "leu",
    "ron",
    "lew",
    "lewa",
    "bgn",
    "lira",
    "liras",
    "try",
    "hrywnja",
    "hrywnjas",
    "griwna",
    "hryvnia",
    "uah",
    "dinar",
    "dinare",
    "dirham",
    "real",
    "reais",
    "brl",
    "rand",
    "zar",
    "peso",
    "pesos",
    "mxn",
    "ars",
    "schekel",
    "shekel",
    "ils",
    "kuna",
    "aud",
    "cad",
    "nzd",
    "hkd",
    "sgd",
    // historical European
    "mark",
    "d-mark",
    "dm",
    "dem",
    "ostmark",
    "reichsmark",
    "pfennig",
    "pfennige",
    "schilling",
    "ats",
    "groschen",
    "gulden",
    "nlg",
    "lire",
    "itl",
    "peseta",
    "peseten",
    "pesetas",
    "esp",
    "escudo",
    "escudos",
    "pte",
    "drachme",
    "drachmen",
    "grd",
    "francs",
    "frf",
    "bef",
    "luf",
    "ecu",
    "ecus",
    "xeu",
    "punt",
    "iep",
    "markka",
    "fim",
    "tolar",
    "sit",
    "sk",
];

/// Whether the word, as written, is an ISO 4217 code ("CHF", "SEK", "XEU").
pub fn is_iso_code(word: &str) -> bool {
    word.len() == 3
        && word.bytes().all(|b| b.is_ascii_uppercase())
        && iso_currency::Currency::from_code(word).is_some()
}

/// Two-word names whose first word is not a nationality adjective.
const TWO_WORD: &[&str] = &["deutsche mark", "pfund sterling", "belgische franc"];

/// Whether the lower-cased word is a currency name or code.
pub fn is_currency_word(lower: &str) -> bool {
    NAMES.contains(&lower)
}

/// Whether the lower-cased words form a currency name: one name, or a nationality adjective
/// and a name ("schweizer franken", "dänischen kronen", "us-amerikanische dollar").
pub fn is_currency_name(lower_words: &[&str]) -> bool {
    match lower_words {
        [one] => is_currency_word(one),
        [adjective, name] => {
            TWO_WORD.contains(&format!("{adjective} {name}").as_str())
                || (is_currency_word(name) && is_nationality_adjective(adjective))
        }
        _ => false,
    }
}

/// "schweizer", "dänische", "tschechischen": the adjectives that name whose currency it is.
pub fn is_nationality_adjective(lower: &str) -> bool {
    lower == "schweizer"
        || ["ische", "ischen", "ischer"]
            .iter()
            .any(|end| lower.len() > end.len() + 2 && lower.ends_with(end))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_codes_and_adjectives() {
        assert!(is_currency_name(&["mark"]));
        assert!(is_currency_name(&["escudos"]));
        assert!(is_currency_name(&["schweizer", "franken"]));
        assert!(is_currency_name(&["dänischen", "kronen"]));
        assert!(is_currency_name(&["deutsche", "mark"]));
        assert!(!is_currency_name(&["deutsche", "bahn"]));
        assert!(!is_currency_name(&["kassel"]));
        assert!(!is_currency_name(&["mark", "zuckerberg"]));
        assert!(is_iso_code("PLN") && is_iso_code("CHF"));
        assert!(!is_iso_code("pln") && !is_iso_code("ABC") && !is_iso_code("EURO"));
    }
}
