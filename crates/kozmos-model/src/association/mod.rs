//! Associations (Vereine): the record, its table, its fields and their validation.

mod fields;
mod logo;
mod validate;

pub use crate::check::parse_date;
pub use fields::field_label;
pub use logo::{data_url, decode_base64, validate_logo, Logo, LOGO_MAX_BYTES, LOGO_MAX_SIDE};
pub use validate::validate;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::record::{Fields, Life, TableSpec, Value};
use crate::text::fold;
use crate::vocab;

crate::record_type! {
    /// The validated, stored fields of an association (everything but the logo bytes).
    fields AssociationFields;
    /// What a user typed: every field as raw text (lists as lists). `validate` turns it into
    /// `AssociationFields` or field errors; the UI form and the CLI both send this.
    draft AssociationDraft;
    list FIELDS; columns COLUMNS;
    name: String = Text("Name", "Name");
    name_original: Option<String> = Text("Name in Originalschrift", "Name in original script");
    short_name: Option<String> = Text("Kurzname", "Short name");
    legal_form: Option<String> = Code("Rechtsform", "Legal form", LegalForms);
    register_court: Option<String> = Text("Registergericht", "Register court");
    register_number: Option<String> = Text("Registernummer", "Register number");
    founded_year: Option<i32> = Number("Gründungsjahr", "Year founded");
    charitable_status: Option<String> = Code("Gemeinnützigkeit", "Charitable status", CharitableStatuses);
    tax_office: Option<String> = Text("Finanzamt", "Tax office");
    notice_kind: Option<String> = Code("Art des Bescheids", "Kind of notice", NoticeKinds);
    /// ISO date (YYYY-MM-DD) of the tax office's notice.
    notice_date: Option<String> = Date("Datum des Bescheids", "Date of notice");
    network: Option<String> = Code("Netzwerk", "Network", Networks);
    state: Option<String> = Code("Bundesland", "Federal state", States);
    district: Option<String> = Code("Landkreis / kreisfreie Stadt", "District", Districts);
    city: Option<String> = Text("Ort", "City");
    postcode: Option<String> = Text("PLZ", "Postcode");
    address: Option<String> = Text("Anschrift", "Address");
    website: Option<String> = Text("Website", "Website");
    email: Option<String> = Text("E-Mail", "E-mail");
    phone: Option<String> = Text("Telefon", "Phone");
    mission_de: Option<String> = LongText("Ziele und Auftrag (deutsch)", "Mission (German)");
    mission_en: Option<String> = LongText("Ziele und Auftrag (englisch)", "Mission (English)");
    communities: Vec<String> = List("Communities / Herkunftsländer", "Communities / countries of origin");
    languages: Vec<String> = Codes("Sprachen", "Languages", Languages);
    themes: Vec<String> = Codes("Themen", "Themes", Themes);
    target_groups: Vec<String> = Codes("Zielgruppen", "Target groups", TargetGroups);
    needs: Vec<String> = Codes("Gesuchte Unterstützung", "Support sought", SupportKinds);
    previous_funders: Vec<String> = List("Bisherige Förderer und Partner", "Previous funders and partners");
    members: Option<i32> = Number("Mitglieder", "Members");
    volunteers: Option<i32> = Number("Aktive Ehrenamtliche", "Active volunteers");
    staff: Option<i32> = Number("Hauptamtliche", "Paid staff");
    budget_band: Option<String> = Code("Jahresbudget", "Annual budget", BudgetBands);
    column logo: Blob;
    column logo_mime: Text;
    status: String = Code("Status", "Status", Statuses);
    owner_network: Option<String> = Code("Gepflegt von", "Maintained by", OwnerNetworks);
    notes: Option<String> = LongText("Notizen", "Notes");
    /// The survivor this record was merged into (a tombstone then); see `duplicates::merge`.
    column merged_into: Text;
}

/// An association as read: id, life, fields and what is derived from them.
#[derive(Debug, Clone, Serialize, TS)]
pub struct Association {
    pub id: String,
    pub life: Life,
    #[serde(flatten)]
    pub fields: AssociationFields,
    pub has_logo: bool,
    /// When the record was last written (RFC 3339, UTC).
    pub changed_at: String,
    /// The day the charitable-status notice stops counting as current (5 years, 3 for § 60a).
    pub notice_valid_until: Option<String>,
}

/// One row of the association list.
#[derive(Debug, Clone, Serialize, TS)]
pub struct AssociationSummary {
    pub id: String,
    pub name: String,
    pub name_original: Option<String>,
    pub short_name: Option<String>,
    pub city: Option<String>,
    pub district: Option<String>,
    pub network: Option<String>,
    pub themes: Vec<String>,
    pub status: String,
    pub founded_year: Option<i32>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS, Default)]
#[serde(rename_all = "lowercase")]
pub enum SortKey {
    #[default]
    Name,
    City,
    Founded,
    Changed,
}

/// Search, filter, sort and page the association list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(default)]
pub struct AssociationQuery {
    /// Words that must all occur in name (any script), short name, city, postcode, district or theme.
    pub text: String,
    pub theme: Option<String>,
    pub target_group: Option<String>,
    pub city: Option<String>,
    pub network: Option<String>,
    pub state: Option<String>,
    pub district: Option<String>,
    pub status: Option<String>,
    pub sort: SortKey,
    pub descending: bool,
    pub offset: u32,
    pub limit: u32,
}

impl Default for AssociationQuery {
    fn default() -> Self {
        AssociationQuery {
            text: String::new(),
            theme: None,
            target_group: None,
            city: None,
            network: None,
            state: None,
            district: None,
            status: None,
            sort: SortKey::Name,
            descending: false,
            offset: 0,
            limit: 50,
        }
    }
}

/// The associations table as the store sees it.
pub static TABLE: TableSpec = TableSpec {
    name: "associations",
    entity: "association",
    columns: COLUMNS,
    derive: derive_index_columns,
    derived_from: &[
        "name",
        "name_original",
        "short_name",
        "city",
        "postcode",
        "district",
        "themes",
    ],
    search_code: Some(1),
    parents: &[],
    personal: &[],
    erasable: false,
    validate: validate::validate_stored,
};

/// Local index columns: the folded search key (names in every script, city, postcode,
/// district, theme labels in both languages) and the folded sort key.
fn derive_index_columns(fields: &Fields) -> crate::error::Result<crate::record::Derived> {
    let text = |name: &str| match fields.get(name) {
        Some(Value::Text(s)) => s.as_str(),
        _ => "",
    };
    let mut key = String::new();
    for name in ["name", "name_original", "short_name", "city", "postcode"] {
        key.push_str(&fold(text(name)));
        key.push(' ');
    }
    let themes = crate::record::list_field(fields, "themes")?;
    let district = vocab::district_search_words(text("district"));
    for words in district
        .into_iter()
        .chain(themes.iter().filter_map(|code| vocab::theme_search_words(code)))
    {
        key.push_str(words);
        key.push(' ');
    }
    Ok(vec![
        ("search_key", Value::Text(key)),
        ("sort_key", Value::Text(fold(text("name")))),
    ])
}
