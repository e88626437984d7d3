//! Validation of an association draft: every problem reported at its field.

use time::Date;

use super::FIELDS;
use super::{AssociationDraft, AssociationFields};
use crate::check::Checker;
use crate::error::Result;
use crate::record::{revalidate, Fields, Value};
use crate::vocab;

/// The validation of a stored association (a row from a sync file), logo included.
pub(crate) fn validate_stored(fields: &Fields, today: Date) -> Result<Fields> {
    let record = revalidate(&super::TABLE, FIELDS, fields, |d: &AssociationDraft| {
        validate(d, today, None)
    });
    let logo = match fields.get("logo") {
        Some(Value::Blob(bytes)) => super::logo::validate_logo(bytes.clone()).map(Some),
        _ => Ok(None),
    };
    let (mut canonical, logo) = crate::error::both(record, logo)?;
    let (bytes, mime) = match logo {
        Some(logo) => (Value::Blob(logo.bytes), Value::Text(logo.mime.into())),
        None => (Value::Null, Value::Null),
    };
    canonical.insert("logo", bytes);
    canonical.insert("logo_mime", mime);
    Ok(canonical)
}

pub const NAME_MAX: usize = 200;
pub const SHORT_NAME_MAX: usize = 50;
pub const LINE_MAX: usize = 200;
pub const MISSION_MAX: usize = 4000;
pub const NOTES_MAX: usize = 10_000;
pub const COUNT_MAX: i32 = 1_000_000;
pub const FOUNDED_MIN: i32 = 1800;

/// Turns a draft into validated fields, or every problem found.
/// `today` bounds years and dates; `default_owner` is this installation's network.
pub fn validate(draft: &AssociationDraft, today: Date, default_owner: Option<&str>) -> Result<AssociationFields> {
    let mut c = Checker::new(FIELDS);
    let name = c.required_text(
        "name",
        &draft.name,
        NAME_MAX,
        "bitte den Namen des Vereins eingeben.",
        "please enter the association's name.",
    );
    let (state, district) = c.state_and_district(&draft.state, &draft.district);
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
        name,
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
        notice_date: c.date("notice_date", &draft.notice_date, Some(today)),
        network: c.code("network", &draft.network, vocab::NETWORKS),
        state,
        district,
        city: c.text("city", &draft.city, 100, false),
        postcode: c.postcode("postcode", &draft.postcode),
        address: c.text("address", &draft.address, LINE_MAX, false),
        website: c.website("website", &draft.website),
        email: c.email("email", &draft.email),
        phone: c.phone("phone", &draft.phone),
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
        owner_network: c.owner_network("owner_network", &draft.owner_network, default_owner),
        notes: c.text("notes", &draft.notes, NOTES_MAX, true),
    };
    c.finish(fields)
}
