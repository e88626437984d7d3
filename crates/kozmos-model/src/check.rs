//! Checks of what a user typed, shared by every record: each problem is reported at its field
//! with a stable code and a German and English message, all problems at once.

use time::{Date, Month};

use crate::error::{Error, FieldError, Result};
use crate::fields::FieldInfo;
use crate::text::{has_control_chars, nfc};
use crate::vocab::{self, Term};

pub use crate::numbers::{cents_to_text, parse_euro_cents, parse_whole_number, MONEY_MAX_CENTS};

pub const LIST_ITEMS_MAX: usize = 50;

/// The longest volunteer name (who recorded or wrote something).
pub const VOLUNTEER_MAX_CHARS: usize = 100;

/// "Label: „x“ is not a valid value. Valid values: …" in German and English.
pub fn unknown_code_message(label: (&str, &str), code: &str, vocabs: &[vocab::Vocab]) -> (String, String) {
    let shown: String = code.chars().take(40).collect();
    let (mut de, mut en) = (
        format!("{}: „{shown}“ ist kein gültiger Wert.", label.0),
        format!("{}: \"{shown}\" is not a valid value.", label.1),
    );
    if !vocabs.is_empty() {
        let (valid_de, valid_en) = vocab::valid_values(vocabs);
        de = format!("{de} {valid_de}");
        en = format!("{en} {valid_en}");
    }
    (de, en)
}

/// Collects field errors while turning a draft into stored fields.
pub struct Checker {
    pub errors: Vec<FieldError>,
    fields: &'static [FieldInfo],
}

impl Checker {
    pub fn new(fields: &'static [FieldInfo]) -> Checker {
        Checker {
            errors: Vec::new(),
            fields,
        }
    }

    /// The field's label in German and English.
    fn labels(&self, field: &str) -> (&'static str, &'static str) {
        match self.fields.iter().find(|f| f.name == field) {
            Some(info) => (info.de, info.en),
            None => ("Feld", "Field"),
        }
    }

    /// Every problem found, or the value.
    pub fn finish<T>(self, value: T) -> Result<T> {
        if self.errors.is_empty() {
            Ok(value)
        } else {
            Err(Error::Invalid(self.errors))
        }
    }

    pub fn has_error(&self, field: &str) -> bool {
        self.errors.iter().any(|e| e.field == field)
    }

    /// A required text: reported as missing when empty.
    pub fn required_text(&mut self, field: &str, raw: &str, max: usize, de: &str, en: &str) -> String {
        let value = self.text(field, raw, max, false);
        if value.is_none() && !self.has_error(field) {
            let (lde, len) = self.labels(field);
            self.error(field, "required", format!("{lde}: {de}"), format!("{len}: {en}"));
        }
        value.unwrap_or_default()
    }
    pub fn error(&mut self, field: &str, code: &str, de: String, en: String) {
        self.errors.push(FieldError::new(field, code, de, en));
    }

    /// Optional single-line or multi-line text, NFC, bounded, without control characters.
    pub fn text(&mut self, field: &str, raw: &str, max: usize, multiline: bool) -> Option<String> {
        let value = nfc(raw);
        let (de, en) = self.labels(field);
        if !multiline && value.contains(['\n', '\r']) {
            self.error(
                field,
                "line_breaks",
                format!("{de}: bitte ohne Zeilenumbruch."),
                format!("{en}: please without line breaks."),
            );
            return None;
        }
        if has_control_chars(&value, multiline) {
            self.error(
                field,
                "control_characters",
                format!("{de}: enthält unzulässige Steuerzeichen."),
                format!("{en}: contains control characters that are not allowed."),
            );
            return None;
        }
        let len = value.chars().count();
        if len > max {
            self.error(
                field,
                "too_long",
                format!("{de}: höchstens {max} Zeichen (jetzt {len})."),
                format!("{en}: at most {max} characters (now {len})."),
            );
            return None;
        }
        (!value.is_empty()).then_some(value)
    }

    /// Optional code from a vocabulary.
    pub fn code(&mut self, field: &str, raw: &str, terms: &[Term]) -> Option<String> {
        let code = raw.trim();
        if code.is_empty() {
            return None;
        }
        if vocab::find(terms, code).is_none() {
            self.unknown_code(field, code);
            return None;
        }
        Some(code.to_string())
    }

    /// An unknown code, reported with the valid ones (or the command listing them).
    pub fn unknown_code(&mut self, field: &str, code: &str) {
        let vocabs = self
            .fields
            .iter()
            .find(|f| f.name == field)
            .map_or(&[][..], |f| f.vocabs);
        let (de, en) = unknown_code_message(self.labels(field), code, vocabs);
        self.error(field, "unknown_code", de, en);
    }

    /// Codes from a vocabulary, de-duplicated, in the user's order.
    pub fn codes(&mut self, field: &str, raw: &[String], valid: impl Fn(&str) -> bool) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for code in raw.iter().map(|c| c.trim()).filter(|c| !c.is_empty()) {
            if !valid(code) {
                self.unknown_code(field, code);
            } else if !out.iter().any(|c| c == code) {
                out.push(code.to_string());
            }
        }
        out
    }

    /// Free-text entries, each one line, de-duplicated.
    pub fn list(&mut self, field: &str, raw: &[String], item_max: usize) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for item in raw {
            let before = self.errors.len();
            if let Some(value) = self.text(field, item, item_max, false) {
                if !out.contains(&value) {
                    out.push(value);
                }
            }
            if self.errors.len() > before {
                return out;
            }
        }
        if out.len() > LIST_ITEMS_MAX {
            self.error(
                field,
                "too_many",
                format!("{}: höchstens {LIST_ITEMS_MAX} Einträge.", self.labels(field).0),
                format!("{}: at most {LIST_ITEMS_MAX} entries.", self.labels(field).1),
            );
        }
        out
    }

    /// Optional whole number in a range; accepts German thousands separators ("1.200").
    pub fn number(&mut self, field: &str, raw: &str, min: i32, max: i32) -> Option<i32> {
        let trimmed = raw.trim();
        if trimmed.is_empty() {
            return None;
        }
        let (de, en) = self.labels(field);
        let Some(n) = parse_whole_number(trimmed) else {
            let shown: String = trimmed.chars().take(40).collect();
            self.error(
                field,
                "not_a_number",
                format!("{de}: „{shown}“ ist keine ganze Zahl."),
                format!("{en}: \"{shown}\" is not a whole number."),
            );
            return None;
        };
        if n < min as i64 || n > max as i64 {
            let code = if n < 0 { "negative" } else { "out_of_range" };
            self.error(
                field,
                code,
                format!("{de}: erlaubt sind {min} bis {max}."),
                format!("{en}: allowed are {min} to {max}."),
            );
            return None;
        }
        Some(n as i32)
    }

    /// Federal state and district; the district must lie in the state, and fills it in when empty.
    pub fn state_and_district(&mut self, state: &str, district: &str) -> (Option<String>, Option<String>) {
        let mut state = self.code("state", state, vocab::STATES);
        let district = match district.trim() {
            "" => None,
            code => match vocab::district(code) {
                None => {
                    self.unknown_code("district", code);
                    None
                }
                Some(d) if state.as_deref().is_some_and(|s| s != d.state) => {
                    self.error(
                        "district",
                        "district_state_mismatch",
                        format!("{} liegt nicht im gewählten Bundesland.", d.name),
                        format!("{} is not in the chosen federal state.", d.name),
                    );
                    None
                }
                Some(d) => {
                    state.get_or_insert_with(|| d.state.to_string());
                    Some(d.code.to_string())
                }
            },
        };
        (state, district)
    }

    /// The network that maintains a record: LAMSA or MigraNetz, by default this installation's.
    pub fn owner_network(&mut self, field: &str, raw: &str, default_owner: Option<&str>) -> Option<String> {
        self.code(field, raw, vocab::OWNER_NETWORKS)
            .or_else(|| default_owner.filter(|n| *n != "other").map(str::to_string))
    }

    /// Optional five-digit German postcode.
    pub fn postcode(&mut self, field: &str, raw: &str) -> Option<String> {
        let value = self.text(field, raw, 5, false)?;
        if value.len() == 5 && value.chars().all(|ch| ch.is_ascii_digit()) {
            return Some(value);
        }
        self.error(
            field,
            "postcode_invalid",
            "PLZ: bitte fünf Ziffern eingeben, z. B. 39104.".into(),
            "Postcode: please enter five digits, e.g. 39104.".into(),
        );
        None
    }

    /// Optional e-mail address.
    pub fn email(&mut self, field: &str, raw: &str) -> Option<String> {
        let value = self.text(field, raw, 254, false)?;
        if is_valid_email(&value) {
            return Some(value);
        }
        let (de, en) = self.labels(field);
        self.error(
            field,
            "email_invalid",
            format!("{de}: bitte eine gültige Adresse eingeben, z. B. info@verein.de."),
            format!("{en}: please enter a valid address, e.g. info@verein.de."),
        );
        None
    }

    /// Optional web address; "https://" is added when the scheme is missing.
    pub fn website(&mut self, field: &str, raw: &str) -> Option<String> {
        let value = self.text(field, raw, 300, false)?;
        if let Some(url) = normalise_url(&value) {
            return Some(url);
        }
        let (de, en) = self.labels(field);
        self.error(
            field,
            "url_invalid",
            format!("{de}: bitte eine Webadresse eingeben, z. B. www.verein.de."),
            format!("{en}: please enter a web address, e.g. www.verein.de."),
        );
        None
    }

    /// Optional phone number.
    pub fn phone(&mut self, field: &str, raw: &str) -> Option<String> {
        let value = self.text(field, raw, 40, false)?;
        if is_valid_phone(&value) {
            return Some(value);
        }
        let (de, en) = self.labels(field);
        self.error(
            field,
            "phone_invalid",
            format!("{de}: nur Ziffern, Leerzeichen und + - / ( ) erlaubt."),
            format!("{en}: only digits, spaces and + - / ( ) are allowed."),
        );
        None
    }

    /// Optional date (ISO or German); `not_after` bounds it (e.g. today for a notice date).
    pub fn date(&mut self, field: &str, raw: &str, not_after: Option<Date>) -> Option<String> {
        let raw = raw.trim();
        if raw.is_empty() {
            return None;
        }
        let (de, en) = self.labels(field);
        match parse_date(raw) {
            None => {
                self.error(
                    field,
                    "date_invalid",
                    format!("{de}: bitte als TT.MM.JJJJ eingeben."),
                    format!("{en}: please enter as YYYY-MM-DD or DD.MM.YYYY."),
                );
                None
            }
            Some(date) if not_after.is_some_and(|limit| date > limit) => {
                self.error(
                    field,
                    "date_in_future",
                    format!("{de}: darf nicht in der Zukunft liegen."),
                    format!("{en}: cannot lie in the future."),
                );
                None
            }
            Some(date) => Some(date.to_string()),
        }
    }

    /// Several dates, sorted and de-duplicated.
    pub fn dates(&mut self, field: &str, raw: &[String]) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for item in raw {
            if let Some(date) = self.date(field, item, None) {
                out.push(date);
            } else if self.has_error(field) {
                return out;
            }
        }
        out.sort();
        out.dedup();
        if out.len() > LIST_ITEMS_MAX {
            let (de, en) = self.labels(field);
            self.error(
                field,
                "too_many",
                format!("{de}: höchstens {LIST_ITEMS_MAX} Einträge."),
                format!("{en}: at most {LIST_ITEMS_MAX} entries."),
            );
        }
        out
    }

    /// Optional amount in euro, kept as whole cents ("5.000", "5.000,50", "5000.50 €").
    pub fn money(&mut self, field: &str, raw: &str) -> Option<i64> {
        let raw = raw.trim();
        if raw.is_empty() {
            return None;
        }
        let (de, en) = self.labels(field);
        match parse_euro_cents(raw) {
            Some(cents) if (0..=MONEY_MAX_CENTS).contains(&cents) => Some(cents),
            Some(_) => {
                self.error(
                    field,
                    "out_of_range",
                    format!("{de}: erlaubt sind 0 bis 100.000.000 €."),
                    format!("{en}: allowed are €0 to €100,000,000."),
                );
                None
            }
            None => {
                let shown: String = raw.chars().take(40).collect();
                self.error(
                    field,
                    "money_invalid",
                    format!("{de}: „{shown}“ ist kein Eurobetrag (z. B. 5.000 oder 1.250,50)."),
                    format!("{en}: \"{shown}\" is not an amount in euro (e.g. 5000 or 1250.50)."),
                );
                None
            }
        }
    }
}

/// Reads a date as ISO (2024-03-31) or German (31.03.2024).
pub fn parse_date(s: &str) -> Option<Date> {
    let s = s.trim();
    let parts: Vec<&str> = if s.contains('-') {
        s.split('-').collect()
    } else {
        s.split('.').rev().collect()
    };
    if parts.len() != 3
        || parts
            .iter()
            .any(|p| p.is_empty() || !p.chars().all(|c| c.is_ascii_digit()))
    {
        return None;
    }
    let year: i32 = parts[0].parse().ok().filter(|_| parts[0].len() == 4)?;
    let month: u8 = parts[1].parse().ok()?;
    let day: u8 = parts[2].parse().ok()?;
    Date::from_calendar_date(year, Month::try_from(month).ok()?, day).ok()
}

pub fn is_valid_email(s: &str) -> bool {
    let Some((local, domain)) = s.rsplit_once('@') else {
        return false;
    };
    let local_ok = !local.is_empty()
        && local.len() <= 64
        && local
            .chars()
            .all(|c| c.is_alphanumeric() || "!#$%&'*+-/=?^_`{|}~.".contains(c))
        && !local.starts_with('.')
        && !local.ends_with('.');
    let labels: Vec<&str> = domain.split('.').collect();
    let domain_ok = labels.len() >= 2
        && labels.iter().all(|l| {
            !l.is_empty()
                && !l.starts_with('-')
                && !l.ends_with('-')
                && l.chars().all(|c| c.is_alphanumeric() || c == '-')
        })
        && labels
            .last()
            .is_some_and(|tld| tld.chars().count() >= 2 && tld.chars().all(char::is_alphabetic));
    local_ok && domain_ok && s.len() <= 254
}

/// Adds "https://" when the scheme is missing; None when it is not a web address.
pub fn normalise_url(s: &str) -> Option<String> {
    let lower = s.to_ascii_lowercase();
    let full = if lower.starts_with("http://") || lower.starts_with("https://") {
        s.to_string()
    } else if lower.contains("://") || lower.starts_with("javascript:") || lower.starts_with("data:") {
        return None;
    } else {
        format!("https://{s}")
    };
    let rest = full.split_once("://")?.1;
    let host = rest.split(['/', '?', '#']).next()?;
    let host = host.rsplit_once(':').map_or(host, |(h, port)| {
        if port.chars().all(|c| c.is_ascii_digit()) {
            h
        } else {
            host
        }
    });
    let host_ok = host.contains('.')
        && host
            .split('.')
            .all(|l| !l.is_empty() && l.chars().all(|c| c.is_alphanumeric() || c == '-'));
    let chars_ok = !full
        .chars()
        .any(|c| c.is_whitespace() || c.is_control() || "<>\"'`{}|\\^".contains(c));
    (host_ok && chars_ok).then_some(full)
}

pub fn is_valid_phone(s: &str) -> bool {
    let digits = s.chars().filter(char::is_ascii_digit).count();
    digits >= 4 && s.chars().all(|c| c.is_ascii_digit() || " +-/()".contains(c))
}
