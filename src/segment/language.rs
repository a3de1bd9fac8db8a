//! Language identification with `whatlang` (small, maintained, no model files).

use crate::document::Language;

/// Detects the language of `text`; `None` when whatlang cannot tell (too little text).
pub fn detect_language(text: &str) -> Option<Language> {
    let info = whatlang::detect(text)?;
    Some(Language {
        code: iso639_1(info.lang().code()).to_string(),
        confidence: (info.confidence() * 1000.0).round() / 1000.0,
        method: "detected".into(),
    })
}

/// ISO 639-3 to 639-1 for the languages whatlang knows that have a two-letter code; the rest
/// keep their three letters.
fn iso639_1(code3: &str) -> &str {
    match code3 {
        "deu" => "de",
        "eng" => "en",
        "fra" => "fr",
        "spa" => "es",
        "ita" => "it",
        "nld" => "nl",
        "por" => "pt",
        "pol" => "pl",
        "rus" => "ru",
        "ukr" => "uk",
        "tur" => "tr",
        "ces" => "cs",
        "slk" => "sk",
        "slv" => "sl",
        "hrv" => "hr",
        "srp" => "sr",
        "bul" => "bg",
        "ron" => "ro",
        "hun" => "hu",
        "fin" => "fi",
        "swe" => "sv",
        "dan" => "da",
        "nob" => "nb",
        "est" => "et",
        "lav" => "lv",
        "lit" => "lt",
        "ell" => "el",
        "ara" => "ar",
        "heb" => "he",
        "pes" => "fa",
        "hin" => "hi",
        "ben" => "bn",
        "urd" => "ur",
        "cmn" => "zh",
        "jpn" => "ja",
        "kor" => "ko",
        "vie" => "vi",
        "tha" => "th",
        "ind" => "id",
        "epo" => "eo",
        "lat" => "la",
        "bel" => "be",
        "kat" => "ka",
        "hye" => "hy",
        "aze" => "az",
        "kaz" => "kk",
        "uzb" => "uz",
        "afr" => "af",
        "yid" => "yi",
        "tgl" => "tl",
        "zul" => "zu",
        "sna" => "sn",
        "aka" => "ak",
        "cat" => "ca",
        "mkd" => "mk",
        "tam" => "ta",
        "tel" => "te",
        "mar" => "mr",
        "guj" => "gu",
        "pan" => "pa",
        "kan" => "kn",
        "mal" => "ml",
        "ori" => "or",
        "nep" => "ne",
        "sin" => "si",
        "khm" => "km",
        "mya" => "my",
        "amh" => "am",
        "jav" => "jv",
        "tuk" => "tk",
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn german_and_english() {
        let de = detect_language(
            "Die Spannungen zwischen Süd- und Nordkorea sind so hoch wie seit Jahren nicht mehr.",
        )
        .unwrap();
        assert_eq!(de.code, "de");
        assert!(de.confidence > 0.5);
        let en = detect_language(
            "Tensions between South and North Korea are higher than they have been for years.",
        )
        .unwrap();
        assert_eq!(en.code, "en");
    }
}
