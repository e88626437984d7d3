//! Matching: which foundations fit an association, and which associations a foundation.
//! Hard filters first (each failed one is a reason why the pair is out), then a score from the
//! soft fit with its reasons, and apart from both what is unknown (the confidence).

mod load;
pub mod weights;

pub use load::{for_association, for_foundation, start_cooperation, AssociationFacts, FoundationFacts};

use serde::Serialize;
use ts_rs::TS;

use crate::error::Lang;
use crate::text::format_euro;
use crate::vocab;

/// One reason, in German and English, with what it adds to the score.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct Reason {
    pub code: String,
    pub de: String,
    pub en: String,
    pub points: i32,
}

fn reason(code: &str, de: String, en: String, points: i32) -> Reason {
    Reason {
        code: code.into(),
        de,
        en,
        points,
    }
}

/// How well one association and one foundation fit.
#[derive(Debug, Clone, Serialize, TS)]
pub struct Match {
    pub association_id: String,
    pub association_name: String,
    pub foundation_id: String,
    pub foundation_name: String,
    /// False when a hard filter excludes the pair; `excluded_by` says which.
    pub eligible: bool,
    pub excluded_by: Vec<Reason>,
    pub score: i32,
    pub reasons: Vec<Reason>,
    /// Facts needed for a sure answer that are not known.
    pub unknown: Vec<Reason>,
    /// Share of the checked facts that were known, in percent.
    pub confidence: u8,
}

/// East German states (for foundations whose funding area is "East Germany").
const EAST: &[&str] = &["ST", "TH", "SN", "BB", "MV", "BE"];

fn labels(terms: impl Iterator<Item = (&'static str, &'static str)>) -> (String, String) {
    let (de, en): (Vec<_>, Vec<_>) = terms.unzip();
    (de.join(", "), en.join(", "))
}

/// "2026-12-24" as Germans write it: "24.12.2026".
fn german_date(iso: &str) -> String {
    match iso.split('-').collect::<Vec<_>>()[..] {
        [y, m, d] => format!("{d}.{m}.{y}"),
        _ => iso.to_string(),
    }
}

/// Evaluates one pair. `earlier` is the number of cooperations the two already have.
pub fn evaluate(a: &AssociationFacts, f: &FoundationFacts, today: time::Date, earlier: u32) -> Match {
    let mut excluded = Vec::new();
    let mut reasons = Vec::new();
    let mut unknown = Vec::new();
    let mut checked = 0u32;

    // Hard filter 1: the foundation accepts applications.
    checked += 1;
    match f.accepts_applications.as_deref() {
        Some("no") => excluded.push(reason(
            "no_applications",
            "Die Stiftung nimmt keine unaufgeforderten Anträge an.".into(),
            "The foundation does not accept unsolicited applications.".into(),
            0,
        )),
        Some(_) => {}
        None => unknown.push(reason(
            "applications_unknown",
            "Ob die Stiftung Anträge annimmt, ist unbekannt.".into(),
            "Whether the foundation accepts applications is unknown.".into(),
            0,
        )),
    }

    // Hard filter 2: the funding area covers the association's place.
    checked += 1;
    let place = (
        a.city.as_deref().unwrap_or(""),
        a.district.as_deref(),
        a.state.as_deref(),
    );
    let covered = match f.funding_area.as_deref() {
        Some("nationwide") => Some(true),
        Some("east") => place.2.map(|s| EAST.contains(&s)),
        Some("state") => place.2.map(|s| f.area_states.iter().any(|x| x == s)),
        Some("district") => place.1.map(|d| f.area_districts.iter().any(|x| x == d)),
        Some("municipality") => (!place.0.is_empty()).then(|| {
            f.area_municipality
                .as_deref()
                .is_some_and(|m| crate::text::fold(m) == crate::text::fold(place.0))
        }),
        _ => None,
    };
    let area_label = vocab::find(vocab::FUNDING_AREAS, f.funding_area.as_deref().unwrap_or(""));
    let where_ = a.city.clone().unwrap_or_default();
    match (covered, area_label) {
        (Some(true), Some(area)) => reasons.push(reason(
            "area_covers",
            format!("Fördergebiet ({}) deckt {where_} ab.", area.de),
            format!("Funding area ({}) covers {where_}.", area.en),
            0,
        )),
        (Some(false), _) => excluded.push(reason(
            "area_outside",
            format!("{where_} liegt außerhalb des Fördergebiets."),
            format!("{where_} lies outside the funding area."),
            0,
        )),
        _ => unknown.push(reason(
            "area_unknown",
            "Ob das Fördergebiet den Ort abdeckt, ist unbekannt.".into(),
            "Whether the funding area covers the place is unknown.".into(),
            0,
        )),
    }

    // Hard filter 3: eligibility (charitable status current, legal form, age).
    if f.requires_charitable.as_deref() == Some("yes") {
        checked += 1;
        let expired = a
            .notice_valid_until
            .as_deref()
            .is_some_and(|until| until < today.to_string().as_str());
        match a.charitable_status.as_deref() {
            Some("recognised") if expired => excluded.push(reason(
                "notice_expired",
                "Der Freistellungsbescheid des Vereins ist abgelaufen.".into(),
                "The association's tax exemption notice has expired.".into(),
                0,
            )),
            Some("recognised") => {}
            Some(status) => excluded.push(reason(
                "not_charitable",
                format!(
                    "Gemeinnützigkeit erforderlich (Verein: {}).",
                    vocab::find(vocab::CHARITABLE_STATUSES, status).map_or(status, |t| t.de)
                ),
                format!(
                    "Charitable status required (association: {}).",
                    vocab::find(vocab::CHARITABLE_STATUSES, status).map_or(status, |t| t.en)
                ),
                0,
            )),
            None => unknown.push(reason(
                "charitable_unknown",
                "Gemeinnützigkeit des Vereins unbekannt.".into(),
                "The association's charitable status is unknown.".into(),
                0,
            )),
        }
    }
    if f.ev_only.as_deref() == Some("yes") {
        checked += 1;
        match a.legal_form.as_deref() {
            Some("ev") => {}
            Some(_) => excluded.push(reason(
                "not_ev",
                "Die Stiftung fördert nur eingetragene Vereine.".into(),
                "The foundation funds registered associations only.".into(),
                0,
            )),
            None => unknown.push(reason(
                "legal_form_unknown",
                "Rechtsform unbekannt.".into(),
                "Legal form unknown.".into(),
                0,
            )),
        }
    }
    if let Some(min_age) = f.min_age_years.filter(|n| *n > 0) {
        checked += 1;
        match a.founded_year {
            Some(year) if today.year() - year < min_age => excluded.push(reason(
                "too_young",
                format!("Die Stiftung verlangt mindestens {min_age} Jahre Bestehen (gegründet {year})."),
                format!("The foundation requires at least {min_age} years of existence (founded {year})."),
                0,
            )),
            Some(_) => {}
            None => unknown.push(reason(
                "founded_unknown",
                "Gründungsjahr unbekannt.".into(),
                "Year founded unknown.".into(),
                0,
            )),
        }
    }

    // Hard filter 4: an application route is open.
    checked += 1;
    let today_s = today.to_string();
    match f.application_route.as_deref() {
        Some("deadlines") => match f.deadlines.iter().find(|d| d.as_str() >= today_s.as_str()) {
            Some(next) => reasons.push(reason(
                "deadline_open",
                format!("Nächste Frist: {}.", german_date(next)),
                format!("Next deadline: {next}."),
                0,
            )),
            None => excluded.push(reason(
                "no_open_deadline",
                "Keine offene Antragsfrist.".into(),
                "No open application deadline.".into(),
                0,
            )),
        },
        Some("invitation") => excluded.push(reason(
            "invitation_only",
            "Anträge nur auf Einladung der Stiftung.".into(),
            "Applications by the foundation's invitation only.".into(),
            0,
        )),
        Some(_) => {}
        None => unknown.push(reason(
            "route_unknown",
            "Antragsweg unbekannt.".into(),
            "Application route unknown.".into(),
            0,
        )),
    }

    // Soft fit: themes, directly and through § 52 AO.
    checked += 1;
    let shared: Vec<&vocab::Theme> = a
        .themes
        .iter()
        .filter(|t| f.themes.contains(t))
        .filter_map(|t| vocab::theme(t))
        .collect();
    if !shared.is_empty() {
        let (de, en) = labels(shared.iter().map(|t| (t.term.de, t.term.en)));
        let n = shared.len();
        reasons.push(reason(
            "themes",
            if n == 1 {
                format!("1 gemeinsames Thema: {de}")
            } else {
                format!("{n} gemeinsame Themen: {de}")
            },
            format!("{n} shared theme{}: {en}", if n == 1 { "" } else { "s" }),
            weights::THEME * n as i32,
        ));
    }
    let para = |themes: &[String]| -> Vec<u8> {
        let mut v: Vec<u8> = themes
            .iter()
            .filter_map(|t| vocab::theme(t))
            .flat_map(|t| t.para52.iter().copied())
            .collect();
        v.sort();
        v.dedup();
        v
    };
    let direct: Vec<u8> = para(&shared.iter().map(|t| t.term.code.to_string()).collect::<Vec<_>>());
    let via52: Vec<u8> = para(&a.themes)
        .into_iter()
        .filter(|n| para(&f.themes).contains(n) && !direct.contains(n))
        .collect();
    if !via52.is_empty() {
        let list = via52.iter().map(|n| format!("Nr. {n}")).collect::<Vec<_>>().join(", ");
        reasons.push(reason(
            "para52",
            format!("Gleicher gemeinnütziger Zweck nach § 52 AO: {list}"),
            format!("Same charitable purpose under § 52 AO: {}", list.replace("Nr.", "no.")),
            weights::PARA52 * via52.len() as i32,
        ));
    }
    if a.themes.is_empty() || f.themes.is_empty() {
        unknown.push(reason(
            "themes_unknown",
            "Themen unvollständig.".into(),
            "Themes incomplete.".into(),
            0,
        ));
    }

    // Target groups.
    checked += 1;
    let groups: Vec<&vocab::Term> = if a.target_groups.iter().chain(&f.target_groups).any(|g| g == "everyone")
        && !a.target_groups.is_empty()
        && !f.target_groups.is_empty()
    {
        vocab::find(vocab::TARGET_GROUPS, "everyone").into_iter().collect()
    } else {
        a.target_groups
            .iter()
            .filter(|g| f.target_groups.contains(g))
            .filter_map(|g| vocab::find(vocab::TARGET_GROUPS, g))
            .collect()
    };
    if !groups.is_empty() {
        let (de, en) = labels(groups.iter().map(|t| (t.de, t.en)));
        reasons.push(reason(
            "target_groups",
            format!("Zielgruppen: {de}"),
            format!("Target groups: {en}"),
            weights::TARGET_GROUP * groups.len() as i32,
        ));
    } else if a.target_groups.is_empty() || f.target_groups.is_empty() {
        unknown.push(reason(
            "groups_unknown",
            "Zielgruppen unvollständig.".into(),
            "Target groups incomplete.".into(),
            0,
        ));
    }

    // Kinds of support sought and offered.
    checked += 1;
    let support: Vec<&vocab::Term> = a
        .needs
        .iter()
        .filter(|k| f.support_kinds.contains(k))
        .filter_map(|k| vocab::find(vocab::SUPPORT_KINDS, k))
        .collect();
    if !support.is_empty() {
        let (de, en) = labels(support.iter().map(|t| (t.de, t.en)));
        reasons.push(reason(
            "support",
            format!("Gesucht und angeboten: {de}"),
            format!("Sought and offered: {en}"),
            weights::SUPPORT_KIND * support.len() as i32,
        ));
    } else if a.needs.is_empty() || f.support_kinds.is_empty() {
        unknown.push(reason(
            "support_unknown",
            "Förderarten unvollständig.".into(),
            "Kinds of support incomplete.".into(),
            0,
        ));
    }

    // Amount needed against the grant range.
    checked += 1;
    match (a.amount_needed, f.grant_min, f.grant_max) {
        (Some(need), min, Some(max)) if need >= min.unwrap_or(0) && need <= max => reasons.push(reason(
            "amount_in_range",
            format!("Benötigte {} liegen in der Fördersumme.", format_euro(need, Lang::De)),
            format!("The {} needed lie within the grant range.", format_euro(need, Lang::En)),
            weights::AMOUNT_IN_RANGE,
        )),
        (Some(need), min, Some(max)) if need < min.unwrap_or(0) || need <= max + max / 4 => reasons.push(reason(
            "amount_near_range",
            format!("Benötigte {} liegen nahe der Fördersumme.", format_euro(need, Lang::De)),
            format!("The {} needed lie near the grant range.", format_euro(need, Lang::En)),
            weights::AMOUNT_NEAR_RANGE,
        )),
        (Some(_), _, Some(_)) => reasons.push(reason(
            "amount_above_range",
            "Der Bedarf übersteigt die Fördersumme deutlich.".into(),
            "The need clearly exceeds the grant range.".into(),
            0,
        )),
        (need, _, max) => {
            if need.is_none() {
                unknown.push(reason(
                    "need_unknown",
                    "Bedarf des Vereins unbekannt.".into(),
                    "The association's need is unknown.".into(),
                    0,
                ));
            }
            if max.is_none() {
                unknown.push(reason(
                    "grant_unknown",
                    "Fördersumme der Stiftung unbekannt.".into(),
                    "The foundation's grant range is unknown.".into(),
                    0,
                ));
            }
        }
    }

    // Earlier relationship.
    if earlier > 0 {
        reasons.push(reason(
            "earlier",
            if earlier == 1 {
                "Bereits 1 Kooperation miteinander.".into()
            } else {
                format!("Bereits {earlier} Kooperationen miteinander.")
            },
            if earlier == 1 {
                "Already 1 cooperation together.".into()
            } else {
                format!("Already {earlier} cooperations together.")
            },
            weights::EARLIER_COOPERATION * earlier.min(3) as i32,
        ));
    }

    let known = checked.saturating_sub(unknown.len() as u32);
    Match {
        association_id: a.id.clone(),
        association_name: a.name.clone(),
        foundation_id: f.id.clone(),
        foundation_name: f.name.clone(),
        eligible: excluded.is_empty(),
        excluded_by: excluded,
        score: reasons.iter().map(|r| r.points).sum(),
        reasons,
        unknown,
        confidence: (known * 100 / checked.max(1)) as u8,
    }
}

/// Ranks matches: eligible first, then by score, then by name (stable for equal scores).
pub fn rank(matches: &mut [Match], by_foundation_name: bool) {
    matches.sort_by(|x, y| {
        y.eligible
            .cmp(&x.eligible)
            .then(y.score.cmp(&x.score))
            .then_with(|| {
                if by_foundation_name {
                    x.foundation_name.cmp(&y.foundation_name)
                } else {
                    x.association_name.cmp(&y.association_name)
                }
            })
            .then_with(|| {
                x.foundation_id
                    .cmp(&y.foundation_id)
                    .then(x.association_id.cmp(&y.association_id))
            })
    });
}
