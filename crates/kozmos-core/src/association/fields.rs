//! The editable fields of an association, in form order, with their kind and labels.
//! One list serves the CLI flags, the CLI's printout and the UI's form labels.

use serde::Serialize;
use ts_rs::TS;

use crate::error::Lang;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum FieldKind {
    /// One line of text.
    Text,
    /// Several lines of text.
    LongText,
    /// A whole number.
    Number,
    /// A calendar date.
    Date,
    /// One code from a vocabulary.
    Code,
    /// Several codes from a vocabulary.
    Codes,
    /// Several free-text entries.
    List,
}

pub struct FieldInfo {
    pub name: &'static str,
    pub kind: FieldKind,
    pub de: &'static str,
    pub en: &'static str,
}

const fn f(name: &'static str, kind: FieldKind, de: &'static str, en: &'static str) -> FieldInfo {
    FieldInfo { name, kind, de, en }
}

use FieldKind::*;

pub const FIELDS: &[FieldInfo] = &[
    f("name", Text, "Name", "Name"),
    f(
        "name_original",
        Text,
        "Name in Originalschrift",
        "Name in original script",
    ),
    f("short_name", Text, "Kurzname", "Short name"),
    f("legal_form", Code, "Rechtsform", "Legal form"),
    f("register_court", Text, "Registergericht", "Register court"),
    f("register_number", Text, "Registernummer", "Register number"),
    f("founded_year", Number, "Gründungsjahr", "Year founded"),
    f("charitable_status", Code, "Gemeinnützigkeit", "Charitable status"),
    f("tax_office", Text, "Finanzamt", "Tax office"),
    f("notice_kind", Code, "Art des Bescheids", "Kind of notice"),
    f("notice_date", Date, "Datum des Bescheids", "Date of notice"),
    f("network", Code, "Netzwerk", "Network"),
    f("state", Code, "Bundesland", "Federal state"),
    f("district", Code, "Landkreis / kreisfreie Stadt", "District"),
    f("city", Text, "Ort", "City"),
    f("postcode", Text, "PLZ", "Postcode"),
    f("address", Text, "Anschrift", "Address"),
    f("website", Text, "Website", "Website"),
    f("email", Text, "E-Mail", "E-mail"),
    f("phone", Text, "Telefon", "Phone"),
    f(
        "mission_de",
        LongText,
        "Ziele und Auftrag (deutsch)",
        "Mission (German)",
    ),
    f(
        "mission_en",
        LongText,
        "Ziele und Auftrag (englisch)",
        "Mission (English)",
    ),
    f(
        "communities",
        List,
        "Communities / Herkunftsländer",
        "Communities / countries of origin",
    ),
    f("languages", Codes, "Sprachen", "Languages"),
    f("themes", Codes, "Themen", "Themes"),
    f("target_groups", Codes, "Zielgruppen", "Target groups"),
    f("needs", Codes, "Gesuchte Unterstützung", "Support sought"),
    f(
        "previous_funders",
        List,
        "Bisherige Förderer und Partner",
        "Previous funders and partners",
    ),
    f("members", Number, "Mitglieder", "Members"),
    f("volunteers", Number, "Aktive Ehrenamtliche", "Active volunteers"),
    f("staff", Number, "Hauptamtliche", "Paid staff"),
    f("budget_band", Code, "Jahresbudget", "Annual budget"),
    f("status", Code, "Status", "Status"),
    f("owner_network", Code, "Gepflegt von", "Maintained by"),
    f("notes", LongText, "Notizen", "Notes"),
];

/// The label of a field in the given language; the field name itself if unknown.
pub fn field_label(name: &str, lang: Lang) -> &str {
    match FIELDS.iter().find(|f| f.name == name) {
        Some(info) if lang == Lang::De => info.de,
        Some(info) => info.en,
        None if name == "logo" => "Logo",
        None => name,
    }
}

/// A field as the UI receives it.
#[derive(Debug, Clone, Serialize, TS)]
pub struct FieldDescription {
    pub name: String,
    pub kind: FieldKind,
    pub de: String,
    pub en: String,
}

pub fn field_descriptions() -> Vec<FieldDescription> {
    FIELDS
        .iter()
        .map(|f| FieldDescription {
            name: f.name.into(),
            kind: f.kind,
            de: f.de.into(),
            en: f.en.into(),
        })
        .collect()
}
