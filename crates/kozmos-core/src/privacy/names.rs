//! How a person is recognised in free text (activity entries, a cooperation's next-step owner or
//! notes): by any of their names (as entered, original script, Latin form) or their e-mail, on the
//! folded key, so "Müller" in a note finds "Mueller". Terms shorter than three characters are not
//! used: they would name half the register.

use crate::person::PersonFields;
use crate::text::fold;

/// The words that name one person in text.
#[derive(Debug, Clone)]
pub struct Names {
    /// As stored (NFC), for replacing them in text.
    raw: Vec<String>,
    /// Folded, for finding them.
    folded: Vec<String>,
}

const MIN_CHARS: usize = 3;

impl Names {
    pub fn of(fields: &PersonFields) -> Names {
        let mut raw: Vec<String> = [&fields.name, &fields.name_original, &fields.name_latin, &fields.email]
            .into_iter()
            .flatten()
            .filter(|s| s.chars().count() >= MIN_CHARS)
            .cloned()
            .collect();
        // Longest first, so a full name is replaced before a part of it.
        raw.sort_by_key(|s| std::cmp::Reverse(s.chars().count()));
        raw.dedup();
        let mut folded: Vec<String> = raw
            .iter()
            .map(|s| fold(s))
            .filter(|s| s.chars().count() >= MIN_CHARS)
            .collect();
        folded.dedup();
        Names { raw, folded }
    }

    pub fn is_empty(&self) -> bool {
        self.folded.is_empty()
    }

    /// Whether the text names the person.
    pub fn found_in(&self, text: &str) -> bool {
        let text = fold(text);
        self.folded.iter().any(|name| text.contains(name.as_str()))
    }

    /// The text with every occurrence of the person's names (ignoring case) replaced by
    /// `replacement`. Spellings that only the folded key matches ("Mueller" for "Müller") are not
    /// found here; `anonymise` then replaces the whole text.
    pub fn replace_in(&self, text: &str, replacement: &str) -> String {
        let mut out = text.to_string();
        for name in &self.raw {
            out = replace_ignoring_case(&out, name, replacement);
        }
        out
    }

    /// The text with the person's names replaced; when a name remains (a spelling variant), the
    /// whole text gives way to `replacement`.
    pub fn anonymise(&self, text: &str, replacement: &str) -> String {
        let replaced = self.replace_in(text, replacement);
        if self.found_in(&replaced) {
            replacement.to_string()
        } else {
            replaced
        }
    }
}

fn replace_ignoring_case(text: &str, needle: &str, replacement: &str) -> String {
    let needle: Vec<char> = needle.chars().flat_map(char::to_lowercase).collect();
    let chars: Vec<char> = text.chars().collect();
    let lower: Vec<Vec<char>> = chars.iter().map(|c| c.to_lowercase().collect()).collect();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    'outer: while i < chars.len() {
        // Match the needle against the lowercase forms from position i.
        let mut j = i;
        let mut k = 0;
        while k < needle.len() {
            let Some(form) = lower.get(j) else { break };
            if needle.get(k..k + form.len()) != Some(form.as_slice()) {
                break;
            }
            k += form.len();
            j += 1;
        }
        if k == needle.len() && !needle.is_empty() {
            out.push_str(replacement);
            i = j;
            continue 'outer;
        }
        out.push(chars[i]);
        i += 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(name: &str, original: Option<&str>) -> Names {
        Names::of(&PersonFields {
            name: Some(name.into()),
            name_original: original.map(Into::into),
            ..Default::default()
        })
    }

    #[test]
    fn finds_a_name_in_any_spelling_and_script() {
        let n = names("Jürgen Müller", Some("Юрген Мюллер"));
        assert!(n.found_in("Anruf mit JUERGEN MUELLER und Frau Said"));
        assert!(n.found_in("Встреча: юрген мюллер"));
        assert!(!n.found_in("Anruf mit Frau Said"));
    }

    #[test]
    fn replaces_names_and_gives_up_on_variants() {
        let n = names("Jürgen Müller", None);
        assert_eq!(
            n.anonymise("Gespräch mit jürgen müller und Amal Said", "[gelöscht]"),
            "Gespräch mit [gelöscht] und Amal Said"
        );
        assert_eq!(n.anonymise("Gespräch mit Juergen Mueller", "[gelöscht]"), "[gelöscht]");
    }

    #[test]
    fn short_names_name_nobody() {
        assert!(names("Li", None).is_empty());
    }
}
