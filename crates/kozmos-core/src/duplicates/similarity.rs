//! How close two names are: folded, legal-form words dropped, then edit distance and trigrams.

use crate::text::fold;

/// Words that say what legal form a name has, not which organisation it is ("e.V.", "gGmbH").
const LEGAL_WORDS: &[&str] = &["e", "v", "ev", "ggmbh", "gmbh", "gug", "ug", "mbh", "eg"];

/// The part of a name that tells organisations apart: folded (case, accents, Müller = Mueller),
/// punctuation as spaces, legal-form words left out. "Verein Müller e.V." → "verein muller".
pub fn core_name(name: &str) -> String {
    let folded = fold(name);
    let spaced: String = folded
        .chars()
        .map(|c| if c.is_alphanumeric() { c } else { ' ' })
        .collect();
    let words: Vec<&str> = spaced.split_whitespace().collect();
    let kept: Vec<&str> = words.iter().copied().filter(|w| !LEGAL_WORDS.contains(w)).collect();
    // A name that is nothing but legal words keeps them (it is still a name).
    if kept.is_empty() { words } else { kept }.join(" ")
}

/// The number of single-character insertions, deletions and substitutions between two texts.
pub fn levenshtein(a: &[char], b: &[char]) -> usize {
    if a.is_empty() || b.is_empty() {
        return a.len().max(b.len());
    }
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let above = row[j + 1];
            row[j + 1] = (above + 1).min(row[j] + 1).min(diagonal + usize::from(ca != cb));
            diagonal = above;
        }
    }
    row[b.len()]
}

/// The trigrams of a core name, padded so that the first and last letters count: sorted, unique.
pub fn trigrams(core: &str) -> Vec<[char; 3]> {
    let padded: Vec<char> = "  ".chars().chain(core.chars()).chain(" ".chars()).collect();
    let mut grams: Vec<[char; 3]> = padded.windows(3).map(|w| [w[0], w[1], w[2]]).collect();
    grams.sort_unstable();
    grams.dedup();
    grams
}

/// Shared trigrams over all trigrams of both (Jaccard), on sorted unique lists.
pub fn trigram_similarity(a: &[[char; 3]], b: &[[char; 3]]) -> f64 {
    let shared = shared_count(a, b);
    let union = a.len() + b.len() - shared;
    if union == 0 {
        0.0
    } else {
        shared as f64 / union as f64
    }
}

pub(crate) fn shared_count(a: &[[char; 3]], b: &[[char; 3]]) -> usize {
    let (mut i, mut j, mut shared) = (0, 0, 0);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                shared += 1;
                i += 1;
                j += 1;
            }
        }
    }
    shared
}

/// The least share of trigrams two close names have in common; the scan only compares pairs
/// that share at least this much (a typo in a 12-letter name costs 3 of its 13 trigrams).
pub const MIN_TRIGRAM_SHARE: f64 = 0.4;

/// Two core names count as close when, after `skeleton` (transliteration variants), at most one
/// character in ten differs (at most 3, at least 1) and no word changes much ("Kulturverein
/// Halle" vs "Kultuverein Halle", "Novoe pokolenie" vs "Nowoje pokolenie"), or when they share
/// 80 % of their trigrams (words reordered).
/// Names whose numbers differ ("Kulturverein 2" vs "Kulturverein 3") are never close, and short
/// names need an exact match: "Arab" and "Afro" are one letter apart but different associations.
/// Returns the closeness from 0 to 1 (1 = the same core name).
pub fn closeness(a: &str, b: &str) -> Option<f64> {
    if a == b {
        return (!a.is_empty()).then_some(1.0);
    }
    if digits(a) != digits(b) {
        return None;
    }
    let (a, b) = (skeleton(a), skeleton(b));
    let (a, b) = (a.as_str(), b.as_str());
    let (ca, cb): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    let longest = ca.len().max(cb.len());
    if ca.len().min(cb.len()) < 6 {
        return None;
    }
    let distance = levenshtein(&ca, &cb);
    let allowed = (longest / 10).clamp(1, 3);
    let edit = 1.0 - distance as f64 / longest as f64;
    let grams = trigram_similarity(&trigrams(a), &trigrams(b));
    if distance <= allowed && words_agree(a, b) {
        Some(edit.max(grams))
    } else if grams >= 0.8 {
        Some(grams)
    } else {
        None
    }
}

/// With as many words on both sides, each word may differ only a little: "Syrischer" and
/// "Irakischer" are three edits apart in a long name, but different words.
fn words_agree(a: &str, b: &str) -> bool {
    let (wa, wb): (Vec<&str>, Vec<&str>) = (a.split(' ').collect(), b.split(' ').collect());
    wa.len() != wb.len()
        || wa.iter().zip(&wb).all(|(x, y)| {
            let (x, y): (Vec<char>, Vec<char>) = (x.chars().collect(), y.chars().collect());
            levenshtein(&x, &y) <= (x.len().max(y.len()) / 3).max(1)
        })
}

/// Spelling variants of transliterated names made equal: Latin spellings of Cyrillic and Arabic
/// names differ in exactly these (Nowoje / Novoye / Novoe, Schukow / Zhukov, Chalid / Khalid,
/// Yusuf / Jussuf / Youssef), and doubled letters do not tell names apart either.
pub fn skeleton(core: &str) -> String {
    let mut s = core.to_string();
    for (from, to) in [
        ("sch", "s"),
        ("sh", "s"),
        ("zh", "s"),
        ("kh", "h"),
        ("ch", "h"),
        ("ph", "f"),
        ("ou", "u"),
        ("oo", "u"),
        ("w", "v"),
        ("y", "i"),
        ("j", "i"),
        ("ie", "i"),
    ] {
        s = s.replace(from, to);
    }
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if !out.ends_with(c) || !c.is_alphabetic() {
            out.push(c);
        }
    }
    out
}

fn digits(s: &str) -> String {
    s.split(|c: char| !c.is_ascii_digit())
        .filter(|d| !d.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: &str, b: &str) -> Option<f64> {
        closeness(&core_name(a), &core_name(b))
    }

    #[test]
    fn legal_forms_case_and_umlauts_fold_away() {
        assert_eq!(
            core_name("Deutsch-Syrischer Verein Müller e.V."),
            "deutsch syrischer verein muller"
        );
        assert_eq!(
            core_name("DEUTSCH-SYRISCHER VEREIN MUELLER EV"),
            "deutsch syrischer verein muller"
        );
        assert_eq!(core_name("e.V."), "e v");
        assert!(close(
            "Afrikanischer Kulturverein Halle",
            "Afrikanischer Kulturverien Halle e.V."
        )
        .is_some_and(|c| c > 0.9));
    }

    #[test]
    fn typos_and_transliterations_are_close() {
        assert!(close("Novoe Pokolenie Erfurt", "Nowoje Pokolenie Erfurt").is_some());
        assert!(close("Vietnamesischer Verein Magdeburg", "Vietnamesicher Verein Magdeburg").is_some());
        assert!(close("Jussuf Chalid", "Yusuf Khalid").is_some());
        assert!(close("Haus der Kulturen Dessau", "Haus der Kulturen Dessau-Roßlau").is_none());
    }

    #[test]
    fn different_associations_are_not_close() {
        assert_eq!(close("Kulturverein Halle 2", "Kulturverein Halle 3"), None);
        assert_eq!(close("Arab e.V.", "Afro e.V."), None);
        assert_eq!(
            close("Deutsch-Syrischer Verein Halle", "Deutsch-Irakischer Verein Halle"),
            None
        );
        assert_eq!(
            close("Kurdischer Frauenverein Jena", "Kurdischer Elternverein Jena"),
            None
        );
    }

    #[test]
    fn levenshtein_counts_edits() {
        let c = |s: &str| s.chars().collect::<Vec<_>>();
        assert_eq!(levenshtein(&c("kitten"), &c("sitting")), 3);
        assert_eq!(levenshtein(&c(""), &c("abc")), 3);
        assert_eq!(levenshtein(&c("مرحبا"), &c("مرحبا")), 0);
    }
}
