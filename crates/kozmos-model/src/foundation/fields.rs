//! The editable fields of a foundation, in form order, with their kind and labels.

use crate::fields::{self, f, FieldDescription, FieldInfo, FieldKind::*};
use crate::vocab::Vocab;

pub const FIELDS: &[FieldInfo] = &[
    f("name", Text, "Name", "Name"),
    f("short_name", Text, "Kurzname", "Short name"),
    f("legal_form", Code, "Rechtsform", "Legal form").of(&[Vocab::FoundationLegalForms]),
    f("kind", Code, "Art der Stiftung", "Kind of foundation").of(&[Vocab::FoundationKinds]),
    f("accepts_applications", Code, "Nimmt Anträge an", "Accepts applications").of(&[Vocab::YesNo]),
    f("application_route", Code, "Antragsweg", "Application route").of(&[Vocab::ApplicationRoutes]),
    f("deadlines", Dates, "Antragsfristen", "Application deadlines"),
    f("city", Text, "Sitz (Ort)", "Seat (city)"),
    f("state", Code, "Sitz (Bundesland)", "Seat (federal state)").of(&[Vocab::States]),
    f("address", Text, "Anschrift", "Address"),
    f("postcode", Text, "PLZ", "Postcode"),
    f("website", Text, "Website", "Website"),
    f("email", Text, "E-Mail", "E-mail"),
    f("phone", Text, "Telefon", "Phone"),
    f("themes", Codes, "Stiftungszwecke (Themen)", "Purposes (themes)").of(&[Vocab::Themes]),
    f("funding_area", Code, "Fördergebiet", "Funding area").of(&[Vocab::FundingAreas]),
    f(
        "area_municipality",
        Text,
        "Fördergebiet: Kommune",
        "Funding area: municipality",
    ),
    f(
        "area_districts",
        Codes,
        "Fördergebiet: Landkreise",
        "Funding area: districts",
    )
    .of(&[Vocab::Districts]),
    f(
        "area_states",
        Codes,
        "Fördergebiet: Bundesländer",
        "Funding area: federal states",
    )
    .of(&[Vocab::States]),
    f("target_groups", Codes, "Zielgruppen", "Target groups").of(&[Vocab::TargetGroups]),
    f("support_kinds", Codes, "Förderarten", "Kinds of support").of(&[Vocab::SupportKinds]),
    f("grant_min", Money, "Fördersumme ab", "Grants from"),
    f("grant_max", Money, "Fördersumme bis", "Grants up to"),
    f("cofunding_percent", Number, "Eigenanteil (%)", "Co-funding share (%)"),
    f(
        "requires_charitable",
        Code,
        "Gemeinnützigkeit erforderlich",
        "Charitable status required",
    )
    .of(&[Vocab::YesNo]),
    f(
        "ev_only",
        Code,
        "Nur eingetragene Vereine",
        "Registered associations only",
    )
    .of(&[Vocab::YesNo]),
    f(
        "min_age_years",
        Number,
        "Mindestalter der Organisation (Jahre)",
        "Minimum age of the organisation (years)",
    ),
    f("last_contact", Date, "Letzter Kontakt", "Last contact"),
    f("owner_network", Code, "Gepflegt von", "Maintained by").of(&[Vocab::OwnerNetworks]),
    f("notes", LongText, "Notizen", "Notes"),
];

pub fn field_descriptions() -> Vec<FieldDescription> {
    fields::descriptions(FIELDS)
}
