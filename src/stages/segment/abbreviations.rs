//! Words that end in a period without ending a sentence (German and English news).
//!
//! Stored lower-case without the final period; multi-part forms ("z. B.", "u. a.") need no
//! entry: each single letter followed by a period is treated as an initial or abbreviation part.

pub(super) const ABBREVIATIONS: &[&str] = &[
    // German
    "abb", "abs", "abt", "allg", "anm", "art", "aufl", "bd", "bde", "bearb", "begr", "bes", "betr",
    "bsp", "bspw", "bzgl", "bzw", "ca", "chr", "co", "dgl", "di", "dipl", "dir", "do", "dr",
    "dres", "dt", "ebd", "eig", "einschl", "entspr", "erg", "ev", "evtl", "exkl", "fa", "ff", "fr",
    "frl", "gegr", "geb", "gem", "ges", "gest", "ggf", "ggü", "hg", "hrsg", "hl", "hr", "hrn", "i",
    "inkl", "insb", "ing", "jh", "jhd", "jr", "jun", "kap", "kath", "kfm", "kl", "lt", "max", "mi",
    "min", "mio", "mind", "mo", "mrd", "mrs", "ms", "mr", "mtl", "nachf", "nr", "nrn", "o", "od",
    "orig", "pkt", "pol", "prof", "rd", "ref", "rel", "s", "sa", "so", "sog", "spd", "st", "std",
    "str", "stv", "tab", "tel", "tsd", "u", "ugs", "univ", "urspr", "usf", "v", "verf", "vgl",
    "vs", "vj", "wg", "z", "zb", "zit", "zt", "ztg", "zzgl", "zz", "zzt", "jan", "feb", "febr",
    "mär", "apr", "jun", "jul", "aug", "sep", "sept", "okt", "nov", "dez", "mo", "di", "mi", "do",
    "fr", "sa", "so", "bzgl", "ehem", "eigtl", "etc", "usw", "lat", "engl", "franz", "griech",
    "russ", "vorm", "nachm", "ggfs", "mwst", "abg", "reg", "präs", "gen", "kpt", "sogen", "prot",
    "seb", "mill", "ausg", "erw", "hrsg", "jhs", "lt", "oberstlt", "gefr", "uffz", "feldw", "bzw",
    "sen", "verh", // English
    "mr", "mrs", "ms", "dr", "prof", "inc", "ltd", "corp", "co", "jr", "sr", "st", "gen", "gov",
    "sen", "rep", "col", "lt", "sgt", "capt", "cmdr", "adm", "no", "nos", "vol", "vols", "fig",
    "figs", "approx", "dept", "est", "e.g", "i.e", "vs", "jan", "feb", "mar", "apr", "aug", "sept",
    "oct", "nov", "dec", "u.s", "u.k", "a.m", "p.m", "al", "pp", "op", "cit", "ed", "eds", "rev",
    "ave", "blvd", "mt", "ft",
];

/// Abbreviations that often end a sentence too ("usw.", "etc."): they end one when the next
/// word is capitalised and is not a noun we can recognise, so we treat a following capital
/// as a boundary for these.
pub(super) const SENTENCE_FINAL_ABBREVIATIONS: &[&str] =
    &["usw", "etc", "usf", "inc", "ltd", "corp"];

/// German month names: "20. Juni" is an ordinal date, not a sentence end.
pub(super) const MONTHS: &[&str] = &[
    "januar",
    "jänner",
    "februar",
    "märz",
    "april",
    "mai",
    "juni",
    "juli",
    "august",
    "september",
    "oktober",
    "november",
    "dezember",
    "jan",
    "feb",
    "mär",
    "apr",
    "jun",
    "jul",
    "aug",
    "sep",
    "sept",
    "okt",
    "nov",
    "dez",
];
