//! The editable fields of an association, in form order, with their kind and labels.

use crate::error::Lang;
use crate::fields::{self, f, FieldDescription, FieldInfo, FieldKind::*};
use crate::vocab::Vocab;

pub const FIELDS: &[FieldInfo] = &[
    f("name", Text, "Name", "Name"),
    f(
        "name_original",
        Text,
        "Name in Originalschrift",
        "Name in original script",
    ),
    f("short_name", Text, "Kurzname", "Short name"),
    f("legal_form", Code, "Rechtsform", "Legal form").of(&[Vocab::LegalForms]),
    f("register_court", Text, "Registergericht", "Register court"),
    f("register_number", Text, "Registernummer", "Register number"),
    f("founded_year", Number, "Gründungsjahr", "Year founded"),
    f("charitable_status", Code, "Gemeinnützigkeit", "Charitable status").of(&[Vocab::CharitableStatuses]),
    f("tax_office", Text, "Finanzamt", "Tax office"),
    f("notice_kind", Code, "Art des Bescheids", "Kind of notice").of(&[Vocab::NoticeKinds]),
    f("notice_date", Date, "Datum des Bescheids", "Date of notice"),
    f("network", Code, "Netzwerk", "Network").of(&[Vocab::Networks]),
    f("state", Code, "Bundesland", "Federal state").of(&[Vocab::States]),
    f("district", Code, "Landkreis / kreisfreie Stadt", "District").of(&[Vocab::Districts]),
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
    f("languages", Codes, "Sprachen", "Languages").of(&[Vocab::Languages]),
    f("themes", Codes, "Themen", "Themes").of(&[Vocab::Themes]),
    f("target_groups", Codes, "Zielgruppen", "Target groups").of(&[Vocab::TargetGroups]),
    f("needs", Codes, "Gesuchte Unterstützung", "Support sought").of(&[Vocab::SupportKinds]),
    f(
        "previous_funders",
        List,
        "Bisherige Förderer und Partner",
        "Previous funders and partners",
    ),
    f("members", Number, "Mitglieder", "Members"),
    f("volunteers", Number, "Aktive Ehrenamtliche", "Active volunteers"),
    f("staff", Number, "Hauptamtliche", "Paid staff"),
    f("budget_band", Code, "Jahresbudget", "Annual budget").of(&[Vocab::BudgetBands]),
    f("status", Code, "Status", "Status").of(&[Vocab::Statuses]),
    f("owner_network", Code, "Gepflegt von", "Maintained by").of(&[Vocab::OwnerNetworks]),
    f("notes", LongText, "Notizen", "Notes"),
];

/// The label of an association field (the logo included).
pub fn field_label(name: &str, lang: Lang) -> &str {
    if name == "logo" {
        return "Logo";
    }
    fields::label(FIELDS, name, lang)
}

pub fn field_descriptions() -> Vec<FieldDescription> {
    fields::descriptions(FIELDS)
}
