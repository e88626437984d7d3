//! Validation of a foundation draft: every problem reported at its field.

use time::Date;

use super::FIELDS;
use super::{FoundationDraft, FoundationFields};
use crate::check::Checker;
use crate::error::Result;
use crate::vocab;

pub fn validate(draft: &FoundationDraft, today: Date, default_owner: Option<&str>) -> Result<FoundationFields> {
    let mut c = Checker::new(FIELDS);
    let name = c.required_text(
        "name",
        &draft.name,
        200,
        "bitte den Namen der Stiftung eingeben.",
        "please enter the foundation's name.",
    );
    let district_ok = |code: &str| vocab::district(code).is_some();
    let state_ok = |code: &str| vocab::find(vocab::STATES, code).is_some();
    let fields = FoundationFields {
        name,
        short_name: c.text("short_name", &draft.short_name, 50, false),
        legal_form: c.code("legal_form", &draft.legal_form, vocab::FOUNDATION_LEGAL_FORMS),
        kind: c.code("kind", &draft.kind, vocab::FOUNDATION_KINDS),
        accepts_applications: c.code("accepts_applications", &draft.accepts_applications, vocab::YES_NO),
        application_route: c.code("application_route", &draft.application_route, vocab::APPLICATION_ROUTES),
        deadlines: c.dates("deadlines", &draft.deadlines),
        city: c.text("city", &draft.city, 100, false),
        state: c.code("state", &draft.state, vocab::STATES),
        address: c.text("address", &draft.address, 200, false),
        postcode: c.postcode("postcode", &draft.postcode),
        website: c.website("website", &draft.website),
        email: c.email("email", &draft.email),
        phone: c.phone("phone", &draft.phone),
        themes: c.codes("themes", &draft.themes, |t| vocab::theme(t).is_some()),
        funding_area: c.code("funding_area", &draft.funding_area, vocab::FUNDING_AREAS),
        area_municipality: c.text("area_municipality", &draft.area_municipality, 100, false),
        area_districts: c.codes("area_districts", &draft.area_districts, district_ok),
        area_states: c.codes("area_states", &draft.area_states, state_ok),
        target_groups: c.codes("target_groups", &draft.target_groups, |t| {
            vocab::find(vocab::TARGET_GROUPS, t).is_some()
        }),
        support_kinds: c.codes("support_kinds", &draft.support_kinds, |t| {
            vocab::find(vocab::SUPPORT_KINDS, t).is_some()
        }),
        grant_min: c.money("grant_min", &draft.grant_min),
        grant_max: c.money("grant_max", &draft.grant_max),
        cofunding_percent: c.number("cofunding_percent", &draft.cofunding_percent, 0, 100),
        requires_charitable: c.code("requires_charitable", &draft.requires_charitable, vocab::YES_NO),
        ev_only: c.code("ev_only", &draft.ev_only, vocab::YES_NO),
        min_age_years: c.number("min_age_years", &draft.min_age_years, 0, 100),
        last_contact: c.date("last_contact", &draft.last_contact, Some(today)),
        owner_network: c.owner_network("owner_network", &draft.owner_network, default_owner),
        notes: c.text("notes", &draft.notes, 10_000, true),
    };
    if let (Some(min), Some(max)) = (fields.grant_min, fields.grant_max) {
        if min > max {
            c.error(
                "grant_max",
                "range_reversed",
                "Fördersumme bis: muss mindestens so hoch sein wie „Fördersumme ab“.".into(),
                "Grants up to: must be at least as high as \"Grants from\".".into(),
            );
        }
    }
    let area_needs = match fields.funding_area.as_deref() {
        Some("municipality") if fields.area_municipality.is_none() => {
            Some(("area_municipality", "die Kommune", "the municipality"))
        }
        Some("district") if fields.area_districts.is_empty() => {
            Some(("area_districts", "mindestens einen Landkreis", "at least one district"))
        }
        Some("state") if fields.area_states.is_empty() => {
            Some(("area_states", "mindestens ein Bundesland", "at least one federal state"))
        }
        _ => None,
    };
    if let Some((field, de, en)) = area_needs {
        if !c.has_error(field) {
            c.error(
                field,
                "area_incomplete",
                format!("Fördergebiet: bitte {de} angeben."),
                format!("Funding area: please give {en}."),
            );
        }
    }
    if fields.application_route.as_deref() == Some("deadlines")
        && fields.deadlines.is_empty()
        && !c.has_error("deadlines")
    {
        c.error(
            "deadlines",
            "deadlines_missing",
            "Antragsfristen: bitte mindestens eine Frist angeben (Antragsweg „zu Stichtagen“).".into(),
            "Application deadlines: please give at least one (application route \"by deadlines\").".into(),
        );
    }
    c.finish(fields)
}
