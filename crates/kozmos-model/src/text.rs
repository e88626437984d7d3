//! Text normalisation: NFC for storage, a folded key for search and sorting.

use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;

/// Trims and normalises to Unicode NFC, as all stored text is.
pub fn nfc(s: &str) -> String {
    let s = s.trim();
    // Nearly all text is NFC already: a quick check spares the decomposition.
    match unicode_normalization::is_nfc_quick(s.chars()) {
        unicode_normalization::IsNormalized::Yes => s.to_string(),
        _ => s.nfc().collect(),
    }
}

/// The search key of a text: case, accents and common spelling variants folded away, so that
/// "Müller", "Mueller", "MULLER" and "muller" all give "muller", "José" gives "jose",
/// "Nguyễn" gives "nguyen", and Arabic letter variants (أ إ آ → ا, ة → ه, ى/ی → ي, ک → ك) meet.
pub fn fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    if s.is_ascii() {
        // ASCII is its own decomposition, without marks: most names and cities take this way.
        s.chars().for_each(|c| push_folded(&mut out, c));
    } else {
        s.nfkd()
            .filter(|&c| !is_combining_mark(c) && c != '\u{0640}') // accents, Arabic harakat, tatweel
            .for_each(|c| push_folded(&mut out, c));
    }
    // German transcriptions of umlauts: "ue" and "ü" must meet, so both become "u" (an "e" after
    // "a", "o" or "u" of the text goes, as replacing "ae", "oe", "ue" in turn would do).
    let mut previous = ' ';
    out.retain(|c| {
        let transcribed = c == 'e' && matches!(previous, 'a' | 'o' | 'u');
        previous = c;
        !transcribed
    });
    out.truncate(out.trim_end().len());
    out
}

/// One decomposed character of a text into its search key: letters lowered or spelled out, runs of
/// white space as one space (none at the start).
fn push_folded(out: &mut String, c: char) {
    match c {
        // Most characters of names and places; `to_lowercase` would build an iterator for each.
        c if c.is_ascii() && !c.is_whitespace() => out.push(c.to_ascii_lowercase()),
        'ß' | 'ẞ' => out.push_str("ss"),
        'æ' | 'Æ' => out.push_str("ae"),
        'œ' | 'Œ' => out.push_str("oe"),
        'ø' | 'Ø' => out.push('o'),
        'đ' | 'Đ' | 'ð' | 'Ð' => out.push('d'),
        'ł' | 'Ł' => out.push('l'),
        'ı' => out.push('i'),
        'þ' | 'Þ' => out.push_str("th"),
        'ة' => out.push('ه'),
        'ى' | 'ی' | 'ئ' => out.push('ي'),
        'ک' => out.push('ك'),
        'ؤ' => out.push('و'),
        'ٱ' => out.push('ا'),
        c if c.is_whitespace() => {
            if !out.ends_with(' ') && !out.is_empty() {
                out.push(' ');
            }
        }
        c => out.extend(c.to_lowercase()),
    }
}

/// The words of a search query, each folded.
pub fn fold_words(query: &str) -> Vec<String> {
    // Control characters (a NUL pasted from somewhere) separate words; they never match.
    let query: String = query.chars().map(|c| if c.is_control() { ' ' } else { c }).collect();
    fold(&query)
        .split(' ')
        .filter(|w| !w.is_empty())
        .map(str::to_string)
        .collect()
}

/// True when the text contains control characters other than tab and line breaks.
pub fn has_control_chars(s: &str, allow_newlines: bool) -> bool {
    s.chars()
        .any(|c| c.is_control() && !(allow_newlines && matches!(c, '\n' | '\r' | '\t')))
}

/// A whole number with the language's thousands separator: "12.500" or "12,500".
pub fn format_count(n: i64, lang: crate::error::Lang) -> String {
    let sign = if n < 0 { "-" } else { "" };
    format!("{sign}{}", group_thousands(n.unsigned_abs(), lang))
}

fn group_thousands(n: u64, lang: crate::error::Lang) -> String {
    let digits = n.to_string();
    let mut grouped = String::new();
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            grouped.push(if lang == crate::error::Lang::De { '.' } else { ',' });
        }
        grouped.push(ch);
    }
    grouped
}

/// A date the way the language writes it: "29.11.2026" or "29 November 2026".
pub fn format_date(date: time::Date, lang: crate::error::Lang) -> String {
    match lang {
        crate::error::Lang::De => format!("{:02}.{:02}.{}", date.day(), u8::from(date.month()), date.year()),
        crate::error::Lang::En => format!("{} {} {}", date.day(), date.month(), date.year()),
    }
}

/// Cents as euro the way the language writes them: "1.250,50 €" or "€1,250.50".
pub fn format_euro(cents: i64, lang: crate::error::Lang) -> String {
    use crate::error::Lang;
    let grouped = group_thousands(cents.unsigned_abs() / 100, lang);
    let sign = if cents < 0 { "-" } else { "" };
    let rest = (cents % 100).abs();
    match (lang, rest) {
        (Lang::De, 0) => format!("{sign}{grouped} €"),
        (Lang::De, r) => format!("{sign}{grouped},{r:02} €"),
        (Lang::En, 0) => format!("{sign}€{grouped}"),
        (Lang::En, r) => format!("{sign}€{grouped}.{r:02}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `fold` as it was written first (decompose, fold, then replace "ae", "oe", "ue" in turn):
    /// the keys stored by earlier versions, which the faster `fold` must give unchanged.
    fn fold_first_version(s: &str) -> String {
        let mut out = String::with_capacity(s.len());
        for c in s.nfkd() {
            if is_combining_mark(c) || c == '\u{0640}' {
                continue;
            }
            push_folded(&mut out, c);
        }
        let out = out.replace("ae", "a").replace("oe", "o").replace("ue", "u");
        out.trim_end().to_string()
    }

    #[test]
    fn the_faster_fold_gives_the_keys_of_the_first() {
        let pieces = [
            "a",
            "e",
            "o",
            "u",
            "A",
            "E",
            "Ä",
            "ä",
            "ö",
            "Ü",
            "ue",
            "Ue",
            "ae",
            "ß",
            "Æ",
            "œ",
            " ",
            "  ",
            "\t",
            "\n",
            "\u{000B}",
            "\u{00A0}",
            "\u{3000}",
            "Nguyễn",
            "Việt",
            "جمعية",
            "أإآ",
            "ـ",
            "Київ",
            "ﬁ",
            "Ⅻ",
            "x",
            "-",
            "1",
        ];
        let mut samples: Vec<String> = [
            "Müller",
            "Mueller",
            "MULLER",
            "aee",
            "aeae",
            "ouee",
            "Ærø",
            "  Halle  (Saale)  ",
            "Hội người Việt",
            "",
            " ",
            "e",
            "ee",
            "uee e",
            "Goethe-Institut",
            "Poetry",
            "Quelle",
        ]
        .map(String::from)
        .to_vec();
        // Every sequence of up to three pieces, then longer ones from a fixed sequence of numbers.
        for a in pieces {
            for b in pieces {
                for c in pieces {
                    samples.push(format!("{a}{b}{c}"));
                }
            }
        }
        let mut n: u64 = 0x2545_F491_4F6C_DD1D;
        for _ in 0..20_000 {
            let mut text = String::new();
            for _ in 0..(n % 12) {
                n ^= n << 13;
                n ^= n >> 7;
                n ^= n << 17;
                text.push_str(pieces[(n % pieces.len() as u64) as usize]);
            }
            samples.push(text);
        }
        for text in &samples {
            assert_eq!(fold(text), fold_first_version(text), "{text:?}");
        }
    }

    #[test]
    fn german_spellings_meet() {
        for s in ["Müller", "Mueller", "MULLER", "muller", "MÜLLER", "MUELLER"] {
            assert_eq!(fold(s), "muller", "{s}");
        }
        assert_eq!(fold("Straße"), fold("STRASSE"));
        assert_eq!(fold("Bärbel Öztürk"), fold("Baerbel Oeztuerk"));
    }

    #[test]
    fn accents_and_scripts_fold() {
        assert_eq!(fold("José"), "jose");
        assert_eq!(fold("Nguyễn Thị Hương"), "nguyen thi huong");
        assert_eq!(fold("Łódź"), "lodz");
        assert_eq!(fold("Şükrü Çelik"), "sukru celik");
        assert_eq!(fold("Ștefan Țurcanu"), "stefan turcanu");
        assert_eq!(fold("أحمد"), fold("احمد"));
        assert_eq!(fold("جمعية الصداقة"), fold("جمعيه الصداقه"));
        assert_eq!(fold("Їжак Ґанок"), "іжак ґанок");
        assert_eq!(fold("  many   spaces  "), "many spaces");
    }

    #[test]
    fn nfc_composes() {
        let decomposed = "Mu\u{0308}ller";
        assert_eq!(nfc(decomposed), "Müller");
        assert_eq!(nfc(decomposed).chars().count(), 6);
    }
}
