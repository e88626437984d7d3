//! Validation of what a user typed: every problem reported at its field, in German and English.

use time::{Date, Month};

use super::fields::field_label;
use super::{AssociationDraft, AssociationFields};
use crate::error::{Error, FieldError, Lang, Result};
use crate::text::{has_control_chars, nfc};
use crate::vocab::{self, Term};

pub const NAME_MAX: usize = 200;
pub const SHORT_NAME_MAX: usize = 50;
pub const LINE_MAX: usize = 200;
pub const MISSION_MAX: usize = 4000;
pub const NOTES_MAX: usize = 10_000;
pub const COUNT_MAX: i32 = 1_000_000;
pub const LIST_ITEMS_MAX: usize = 50;
pub const FOUNDED_MIN: i32 = 1800;

/// Collects field errors while turning a draft into stored fields.
struct Checker {
    errors: Vec<FieldError>,
}

impl Checker {
    fn error(&mut self, field: &str, code: &str, de: String, en: String) {
        self.errors.push(FieldError::new(field, code, de, en));
    }

    /// Optional single-line or multi-line text, NFC, bounded, without control characters.
    fn text(&mut self, field: &str, raw: &str, max: usize, multiline: bool) -> Option<String> {
        let value = nfc(raw);
        let (de, en) = (field_label(field, Lang::De), field_label(field, Lang::En));
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
    fn code(&mut self, field: &str, raw: &str, terms: &[Term]) -> Option<String> {
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

    fn unknown_code(&mut self, field: &str, code: &str) {
        let shown: String = code.chars().take(40).collect();
        self.error(
            field,
            "unknown_code",
            format!("{}: „{shown}“ ist kein gültiger Wert.", field_label(field, Lang::De)),
            format!("{}: \"{shown}\" is not a valid value.", field_label(field, Lang::En)),
        );
    }

    /// Codes from a vocabulary, de-duplicated, in the user's order.
    fn codes(&mut self, field: &str, raw: &[String], valid: impl Fn(&str) -> bool) -> Vec<String> {
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
    fn list(&mut self, field: &str, raw: &[String], item_max: usize) -> Vec<String> {
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
                format!("{}: höchstens {LIST_ITEMS_MAX} Einträge.", field_label(field, Lang::De)),
                format!("{}: at most {LIST_ITEMS_MAX} entries.", field_label(field, Lang::En)),
            );
        }
        out
    }

    /// Optional whole number in a range; accepts German thousands separators ("1.200").
    fn number(&mut self, field: &str, raw: &str, min: i32, max: i32) -> Option<i32> {
        let trimmed = raw.trim();
        if trimmed.is_empty() {
            return None;
        }
        let (de, en) = (field_label(field, Lang::De), field_label(field, Lang::En));
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
}

fn parse_whole_number(s: &str) -> Option<i64> {
    let (negative, digits) = match s.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, s),
    };
    let grouped = digits.contains('.')
        && digits.split('.').enumerate().all(|(i, g)| {
            g.chars().all(|c| c.is_ascii_digit())
                && if i == 0 {
                    (1..=3).contains(&g.len())
                } else {
                    g.len() == 3
                }
        });
    let plain: String = if grouped {
        digits.replace('.', "")
    } else {
        digits.to_string()
    };
    if plain.is_empty() || plain.len() > 12 || !plain.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let n: i64 = plain.parse().ok()?;
    Some(if negative { -n } else { n })
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

fn is_valid_email(s: &str) -> bool {
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
fn normalise_url(s: &str) -> Option<String> {
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

fn is_valid_phone(s: &str) -> bool {
    let digits = s.chars().filter(char::is_ascii_digit).count();
    digits >= 4 && s.chars().all(|c| c.is_ascii_digit() || " +-/()".contains(c))
}

/// Turns a draft into validated fields, or every problem found.
/// `today` bounds years and dates; `default_owner` is this installation's network.
pub fn validate(draft: &AssociationDraft, today: Date, default_owner: Option<&str>) -> Result<AssociationFields> {
    let mut c = Checker { errors: Vec::new() };

    let name = c.text("name", &draft.name, NAME_MAX, false);
    if name.is_none() && !c.errors.iter().any(|e| e.field == "name") {
        c.error(
            "name",
            "required",
            "Name: bitte den Namen des Vereins eingeben.".into(),
            "Name: please enter the association's name.".into(),
        );
    }

    let mut state = c.code("state", &draft.state, vocab::STATES);
    let district = match draft.district.trim() {
        "" => None,
        code => match vocab::district(code) {
            None => {
                c.unknown_code("district", code);
                None
            }
            Some(d) if state.as_deref().is_some_and(|s| s != d.state) => {
                c.error(
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

    let postcode = c.text("postcode", &draft.postcode, 5, false);
    if let Some(p) = &postcode {
        if p.len() != 5 || !p.chars().all(|ch| ch.is_ascii_digit()) {
            c.error(
                "postcode",
                "postcode_invalid",
                "PLZ: bitte fünf Ziffern eingeben, z. B. 39104.".into(),
                "Postcode: please enter five digits, e.g. 39104.".into(),
            );
        }
    }

    let email = c.text("email", &draft.email, 254, false);
    if email.as_deref().is_some_and(|e| !is_valid_email(e)) {
        c.error(
            "email",
            "email_invalid",
            "E-Mail: bitte eine gültige Adresse eingeben, z. B. info@verein.de.".into(),
            "E-mail: please enter a valid address, e.g. info@verein.de.".into(),
        );
    }

    let website = c
        .text("website", &draft.website, 300, false)
        .and_then(|w| match normalise_url(&w) {
            Some(url) => Some(url),
            None => {
                c.error(
                    "website",
                    "url_invalid",
                    "Website: bitte eine Webadresse eingeben, z. B. www.verein.de.".into(),
                    "Website: please enter a web address, e.g. www.verein.de.".into(),
                );
                None
            }
        });

    let phone = c.text("phone", &draft.phone, 40, false);
    if phone.as_deref().is_some_and(|p| !is_valid_phone(p)) {
        c.error(
            "phone",
            "phone_invalid",
            "Telefon: nur Ziffern, Leerzeichen und + - / ( ) erlaubt.".into(),
            "Phone: only digits, spaces and + - / ( ) are allowed.".into(),
        );
    }

    let notice_date = match draft.notice_date.trim() {
        "" => None,
        raw => match parse_date(raw) {
            None => {
                c.error(
                    "notice_date",
                    "date_invalid",
                    "Datum des Bescheids: bitte als TT.MM.JJJJ eingeben.".into(),
                    "Date of notice: please enter as YYYY-MM-DD or DD.MM.YYYY.".into(),
                );
                None
            }
            Some(date) if date > today => {
                c.error(
                    "notice_date",
                    "date_in_future",
                    "Datum des Bescheids: darf nicht in der Zukunft liegen.".into(),
                    "Date of notice: cannot lie in the future.".into(),
                );
                None
            }
            Some(date) => Some(date.to_string()),
        },
    };

    let register_number = c.text("register_number", &draft.register_number, 30, false);
    if register_number
        .as_deref()
        .is_some_and(|r| !r.chars().all(|ch| ch.is_alphanumeric() || " /-.".contains(ch)))
    {
        c.error(
            "register_number",
            "register_number_invalid",
            "Registernummer: nur Buchstaben, Ziffern, Leerzeichen und / - . erlaubt, z. B. VR 1234.".into(),
            "Register number: only letters, digits, spaces and / - . are allowed, e.g. VR 1234.".into(),
        );
    }

    let fields = AssociationFields {
        name: name.clone().unwrap_or_default(),
        name_original: c.text("name_original", &draft.name_original, NAME_MAX, false),
        short_name: c.text("short_name", &draft.short_name, SHORT_NAME_MAX, false),
        legal_form: c.code("legal_form", &draft.legal_form, vocab::LEGAL_FORMS),
        register_court: c.text("register_court", &draft.register_court, 100, false),
        register_number,
        founded_year: c.number("founded_year", &draft.founded_year, FOUNDED_MIN, today.year()),
        charitable_status: c.code(
            "charitable_status",
            &draft.charitable_status,
            vocab::CHARITABLE_STATUSES,
        ),
        tax_office: c.text("tax_office", &draft.tax_office, 100, false),
        notice_kind: c.code("notice_kind", &draft.notice_kind, vocab::NOTICE_KINDS),
        notice_date,
        network: c.code("network", &draft.network, vocab::NETWORKS),
        state,
        district,
        city: c.text("city", &draft.city, 100, false),
        postcode,
        address: c.text("address", &draft.address, LINE_MAX, false),
        website,
        email,
        phone,
        mission_de: c.text("mission_de", &draft.mission_de, MISSION_MAX, true),
        mission_en: c.text("mission_en", &draft.mission_en, MISSION_MAX, true),
        communities: c.list("communities", &draft.communities, 100),
        languages: c.codes("languages", &draft.languages, |l| {
            vocab::find(vocab::LANGUAGES, l).is_some()
        }),
        themes: c.codes("themes", &draft.themes, |t| vocab::theme(t).is_some()),
        target_groups: c.codes("target_groups", &draft.target_groups, |t| {
            vocab::find(vocab::TARGET_GROUPS, t).is_some()
        }),
        needs: c.codes("needs", &draft.needs, |t| {
            vocab::find(vocab::SUPPORT_KINDS, t).is_some()
        }),
        previous_funders: c.list("previous_funders", &draft.previous_funders, LINE_MAX),
        members: c.number("members", &draft.members, 0, COUNT_MAX),
        volunteers: c.number("volunteers", &draft.volunteers, 0, COUNT_MAX),
        staff: c.number("staff", &draft.staff, 0, COUNT_MAX),
        budget_band: c.code("budget_band", &draft.budget_band, vocab::BUDGET_BANDS),
        status: c
            .code("status", &draft.status, vocab::STATUSES)
            .unwrap_or_else(|| "active".into()),
        owner_network: c
            .code("owner_network", &draft.owner_network, &vocab::SITE_NETWORKS[..2])
            .or_else(|| default_owner.filter(|n| *n != "other").map(str::to_string)),
        notes: c.text("notes", &draft.notes, NOTES_MAX, true),
    };

    if c.errors.is_empty() {
        Ok(fields)
    } else {
        Err(Error::Invalid(c.errors))
    }
}
