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

/// At most this many edits make two names close (one per ten characters, at least one).
const MAX_EDITS: usize = 3;
/// Or this share of their trigrams in common (words reordered).
const CLOSE_TRIGRAM_SHARE: f64 = 0.8;
/// Shorter names are close only when they are the same.
const MIN_CLOSE_LENGTH: usize = 6;

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
    if ca.len().min(cb.len()) < MIN_CLOSE_LENGTH {
        return None;
    }
    let distance = levenshtein(&ca, &cb);
    let allowed = (longest / 10).clamp(1, MAX_EDITS);
    let edit = 1.0 - distance as f64 / longest as f64;
    let grams = trigram_similarity(&trigrams(a), &trigrams(b));
    if distance <= allowed && words_agree(a, b) {
        Some(edit.max(grams))
    } else if grams >= CLOSE_TRIGRAM_SHARE {
        Some(grams)
    } else {
        None
    }
}

/// The trigrams `closeness` compares (those of the skeleton), or None for a name that can only be
/// close to itself (too short).
pub fn comparable_trigrams(core: &str) -> Option<Vec<[char; 3]>> {
    let skeleton = skeleton(core);
    (skeleton.chars().count() >= MIN_CLOSE_LENGTH).then(|| trigrams(&skeleton))
}

/// The fewest trigrams (of `comparable_trigrams`) a name with `grams` of them shares with any
/// name close to it: an edit changes at most three trigrams, and the other way needs 80 % shared.
/// The scan compares only names that share this many, found with a prefix filter.
pub fn min_shared_trigrams(grams: usize) -> usize {
    let by_edits = grams.saturating_sub(3 * MAX_EDITS);
    let by_share = (grams as f64 * CLOSE_TRIGRAM_SHARE).ceil() as usize;
    by_edits.min(by_share).max(1)
}

/// The numbers in a name: names whose numbers differ are never close.
pub fn digits(s: &str) -> String {
    s.split(|c: char| !c.is_ascii_digit())
        .filter(|d| !d.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
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

    /// The scan compares only names sharing `min_shared_trigrams`: no close pair may share fewer.
    #[test]
    fn close_names_share_as_many_trigrams_as_the_scan_requires() {
        let bases = [
            "Afrikanischer Kulturverein Halle",
            "Nowoje Pokolenie Erfurt",
            "Jussuf Chalid",
            "Vietnamesischer Verein Magdeburg",
            "Kulturverein am Markt Halle",
            "Deutsch-Arabischer Verein",
        ];
        let mut checked = 0;
        for base in bases.map(core_name) {
            let chars: Vec<char> = base.chars().collect();
            let mut variants = vec!["halle kulturverein am markt".to_string()];
            for n in 0..chars.len() {
                let mut deleted = chars.clone();
                deleted.remove(n);
                variants.push(deleted.iter().collect());
                for (m, pair) in [(n, 'x'), (n + 1, 'q')] {
                    let mut changed = deleted.clone();
                    changed.insert(m.min(changed.len()), pair);
                    variants.push(changed.iter().collect());
                }
            }
            for variant in variants {
                if closeness(&base, &variant).is_none() {
                    continue;
                }
                checked += 1;
                let (ga, gb) = (
                    comparable_trigrams(&base).unwrap(),
                    comparable_trigrams(&variant).unwrap(),
                );
                let shared = shared_count(&ga, &gb);
                assert!(shared >= min_shared_trigrams(ga.len()), "{base} / {variant}");
                assert!(shared >= min_shared_trigrams(gb.len()), "{base} / {variant}");
            }
        }
        assert!(checked > 200, "only {checked} close variants");
        assert!(comparable_trigrams("arab").is_none());
    }

    #[test]
    fn levenshtein_counts_edits() {
        let c = |s: &str| s.chars().collect::<Vec<_>>();
        assert_eq!(levenshtein(&c("kitten"), &c("sitting")), 3);
        assert_eq!(levenshtein(&c(""), &c("abc")), 3);
        assert_eq!(levenshtein(&c("مرحبا"), &c("مرحبا")), 0);
    }
}
