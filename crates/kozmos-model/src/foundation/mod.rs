//! Foundations (Stiftungen): the record, its table, its fields and their validation.

mod validate;

pub use validate::validate;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::record::{Fields, Life, TableSpec, Value};
use crate::text::fold;
use crate::vocab;

crate::record_type! {
    /// The validated, stored fields of a foundation. Amounts are whole cents.
    fields FoundationFields;
    /// What a user typed into the foundation form (or gave as CLI flags).
    draft FoundationDraft;
    list FIELDS; columns COLUMNS;
    name: String = Text("Name", "Name");
    short_name: Option<String> = Text("Kurzname", "Short name");
    legal_form: Option<String> = Code("Rechtsform", "Legal form", FoundationLegalForms);
    kind: Option<String> = Code("Art der Stiftung", "Kind of foundation", FoundationKinds);
    /// "yes" or "no": whether unsolicited applications are accepted.
    accepts_applications: Option<String> = Code("Nimmt Anträge an", "Accepts applications", YesNo);
    application_route: Option<String> = Code("Antragsweg", "Application route", ApplicationRoutes);
    /// ISO dates (YYYY-MM-DD), ascending.
    deadlines: Vec<String> = Dates("Antragsfristen", "Application deadlines");
    city: Option<String> = Text("Sitz (Ort)", "Seat (city)");
    state: Option<String> = Code("Sitz (Bundesland)", "Seat (federal state)", States);
    address: Option<String> = Text("Anschrift", "Address");
    postcode: Option<String> = Text("PLZ", "Postcode");
    website: Option<String> = Text("Website", "Website");
    email: Option<String> = Text("E-Mail", "E-mail");
    phone: Option<String> = Text("Telefon", "Phone");
    themes: Vec<String> = Codes("Stiftungszwecke (Themen)", "Purposes (themes)", Themes);
    funding_area: Option<String> = Code("Fördergebiet", "Funding area", FundingAreas);
    area_municipality: Option<String> = Text("Fördergebiet: Kommune", "Funding area: municipality");
    area_districts: Vec<String> = Codes("Fördergebiet: Landkreise", "Funding area: districts", Districts);
    area_states: Vec<String> = Codes("Fördergebiet: Bundesländer", "Funding area: federal states", States);
    target_groups: Vec<String> = Codes("Zielgruppen", "Target groups", TargetGroups);
    support_kinds: Vec<String> = Codes("Förderarten", "Kinds of support", SupportKinds);
    #[ts(type = "number | null")]
    grant_min: Option<i64> = Money("Fördersumme ab", "Grants from");
    #[ts(type = "number | null")]
    grant_max: Option<i64> = Money("Fördersumme bis", "Grants up to");
    cofunding_percent: Option<i32> = Number("Eigenanteil (%)", "Co-funding share (%)");
    requires_charitable: Option<String> = Code("Gemeinnützigkeit erforderlich", "Charitable status required", YesNo);
    ev_only: Option<String> = Code("Nur eingetragene Vereine", "Registered associations only", YesNo);
    min_age_years: Option<i32> = Number("Mindestalter der Organisation (Jahre)", "Minimum age of the organisation (years)");
    last_contact: Option<String> = Date("Letzter Kontakt", "Last contact");
    owner_network: Option<String> = Code("Gepflegt von", "Maintained by", OwnerNetworks);
    notes: Option<String> = LongText("Notizen", "Notes");
    /// The survivor this record was merged into (a tombstone then); see `duplicates::merge`.
    column merged_into: Text;
}

/// A foundation as read.
#[derive(Debug, Clone, Serialize, TS)]
pub struct Foundation {
    pub id: String,
    pub life: Life,
    #[serde(flatten)]
    pub fields: FoundationFields,
    /// When the record was last written (RFC 3339, UTC).
    pub changed_at: String,
}

/// One row of the foundation list.
#[derive(Debug, Clone, Serialize, TS)]
pub struct FoundationSummary {
    pub id: String,
    pub name: String,
    pub city: Option<String>,
    pub state: Option<String>,
    pub funding_area: Option<String>,
    pub themes: Vec<String>,
    #[ts(type = "number | null")]
    pub grant_min: Option<i64>,
    #[ts(type = "number | null")]
    pub grant_max: Option<i64>,
    /// The first deadline today or later, if any.
    pub next_deadline: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS, Default)]
#[serde(rename_all = "lowercase")]
pub enum FoundationSort {
    #[default]
    Name,
    City,
    Changed,
}

/// Search, filter, sort and page the foundation list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(default)]
pub struct FoundationQuery {
    pub text: String,
    pub theme: Option<String>,
    pub state: Option<String>,
    pub funding_area: Option<String>,
    pub sort: FoundationSort,
    pub descending: bool,
    pub offset: u32,
    pub limit: u32,
}

impl Default for FoundationQuery {
    fn default() -> Self {
        FoundationQuery {
            text: String::new(),
            theme: None,
            state: None,
            funding_area: None,
            sort: FoundationSort::Name,
            descending: false,
            offset: 0,
            limit: 50,
        }
    }
}

pub static TABLE: TableSpec = TableSpec {
    name: "foundations",
    entity: "foundation",
    columns: COLUMNS,
    derive: derive_index_columns,
    derived_from: &[
        "name",
        "short_name",
        "city",
        "area_municipality",
        "area_districts",
        "themes",
    ],
    search_code: Some(2),
    parents: &[],
    personal: &[],
    erasable: false,
    validate: |fields, today| {
        crate::record::revalidate(&TABLE, FIELDS, fields, |d: &FoundationDraft| {
            validate::validate(d, today, None)
        })
    },
};

/// Local index columns: folded names, seat, funding-area places and theme labels; sort key.
fn derive_index_columns(fields: &Fields) -> crate::error::Result<crate::record::Derived> {
    let text = |name: &str| match fields.get(name) {
        Some(Value::Text(s)) => s.as_str(),
        _ => "",
    };
    let list = |name: &str| crate::record::list_field(fields, name);
    let mut parts: Vec<String> = ["name", "short_name", "city", "area_municipality"]
        .iter()
        .map(|n| fold(text(n)))
        .collect();
    let districts = list("area_districts")?;
    let themes = list("themes")?;
    let vocab_words = districts
        .iter()
        .filter_map(|code| vocab::district_search_words(code))
        .chain(themes.iter().filter_map(|code| vocab::theme_search_words(code)));
    parts.extend(vocab_words.map(str::to_string));
    Ok(vec![
        ("search_key", Value::Text(parts.join(" "))),
        ("sort_key", Value::Text(fold(text("name")))),
    ])
}
