//! The sink that writes: each finding of `rules::judge` as a reason in German and English. Only the
//! pairs that are returned are explained; the rules themselves stay in `rules.rs`.

use std::borrow::Cow;
use std::sync::Arc;

use super::rules::{self, AssociationProfile, Exclusion, Fit, FoundationProfile, Groups, Sink, Today, Unknown};
use super::{Match, Reason};
use crate::error::Lang;
use crate::text::format_euro;
use crate::vocab;

/// A reason's code and its German and English text.
type Words = (&'static str, Cow<'static, str>, Cow<'static, str>);

/// The German and English labels of `terms` as lists ("A, B") after their prefixes.
fn listed(
    (de_prefix, en_prefix): (&str, &str),
    terms: impl Iterator<Item = (&'static str, &'static str)>,
) -> (Cow<'static, str>, Cow<'static, str>) {
    let (mut de, mut en) = (String::with_capacity(96), String::with_capacity(96));
    de.push_str(de_prefix);
    en.push_str(en_prefix);
    for (i, (d, e)) in terms.enumerate() {
        if i > 0 {
            de.push_str(", ");
            en.push_str(", ");
        }
        de.push_str(d);
        en.push_str(e);
    }
    (de.into(), en.into())
}

/// "2026-12-24" as Germans write it: "24.12.2026".
fn german_date(iso: &str) -> String {
    match iso.split('-').collect::<Vec<_>>()[..] {
        [y, m, d] => format!("{d}.{m}.{y}"),
        _ => iso.to_string(),
    }
}

/// One finding of `rules::judge`: what a reason says, before it is written.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
enum Finding<'p> {
    Excluded(Exclusion<'p>),
    Fit(Fit<'p>),
    Unknown(Unknown),
}

/// The reasons written so far, so that equal findings share one text: ranking every pair writes the
/// same few dozen reasons thousands of times.
#[derive(Default)]
pub(crate) struct Phrases<'p>(foldhash::HashMap<Finding<'p>, (&'static str, Arc<str>, Arc<str>)>);

impl<'p> Phrases<'p> {
    fn reason(&mut self, finding: Finding<'p>, points: i32) -> Reason {
        let (code, de, en) = self.0.entry(finding).or_insert_with(|| {
            let (code, de, en) = match finding {
                Finding::Excluded(why) => excluded(why),
                Finding::Fit(why) => fit(why),
                Finding::Unknown(what) => {
                    let (code, de, en) = unknown(what);
                    (code, de.into(), en.into())
                }
            };
            (code, Arc::from(de), Arc::from(en))
        });
        Reason {
            code,
            de: de.clone(),
            en: en.clone(),
            points,
        }
    }
}

/// Collects the reasons of one pair.
pub(crate) struct Explainer<'x, 'p> {
    phrases: &'x mut Phrases<'p>,
    excluded: Vec<Reason>,
    reasons: Vec<Reason>,
    unknown: Vec<Reason>,
    checked: u32,
}

impl<'x, 'p> Explainer<'x, 'p> {
    /// The explained match of one pair, its reasons taken from `phrases` when written before.
    pub fn explain(
        a: &'p AssociationProfile,
        f: &'p FoundationProfile,
        today: &Today,
        earlier: u32,
        phrases: &'x mut Phrases<'p>,
    ) -> Match {
        let mut sink = Explainer {
            phrases,
            excluded: Vec::new(),
            reasons: Vec::new(),
            unknown: Vec::new(),
            checked: 0,
        };
        rules::judge(a, f, today, earlier, &mut sink);
        Match {
            association_id: a.id.clone(),
            association_name: a.name.clone(),
            foundation_id: f.id.clone(),
            foundation_name: f.name.clone(),
            eligible: sink.excluded.is_empty(),
            score: sink.reasons.iter().map(|r| r.points).sum(),
            confidence: rules::confidence(sink.checked, sink.unknown.len() as u32),
            excluded_by: sink.excluded,
            reasons: sink.reasons,
            unknown: sink.unknown,
        }
    }
}

impl<'p> Sink<'p> for Explainer<'_, 'p> {
    fn checked(&mut self) {
        self.checked += 1;
    }

    fn exclude(&mut self, why: Exclusion<'p>) {
        let reason = self.phrases.reason(Finding::Excluded(why), 0);
        self.excluded.push(reason);
    }

    fn fit(&mut self, why: Fit<'p>, points: i32) {
        let reason = self.phrases.reason(Finding::Fit(why), points);
        self.reasons.push(reason);
    }

    fn unknown(&mut self, what: Unknown) {
        let reason = self.phrases.reason(Finding::Unknown(what), 0);
        self.unknown.push(reason);
    }
}

/// Why a hard filter excludes the pair, in words.
fn excluded(why: Exclusion) -> Words {
    match why {
        Exclusion::NoApplications => (
            "no_applications",
            "Die Stiftung nimmt keine unaufgeforderten Anträge an.".into(),
            "The foundation does not accept unsolicited applications.".into(),
        ),
        Exclusion::AreaOutside { place } => (
            "area_outside",
            format!("{place} liegt außerhalb des Fördergebiets.").into(),
            format!("{place} lies outside the funding area.").into(),
        ),
        Exclusion::NoticeExpired => (
            "notice_expired",
            "Der Freistellungsbescheid des Vereins ist abgelaufen.".into(),
            "The association's tax exemption notice has expired.".into(),
        ),
        Exclusion::NotCharitable { status } => {
            let term = vocab::find(vocab::CHARITABLE_STATUSES, status);
            (
                "not_charitable",
                format!(
                    "Gemeinnützigkeit erforderlich (Verein: {}).",
                    term.map_or(status, |t| t.de)
                )
                .into(),
                format!(
                    "Charitable status required (association: {}).",
                    term.map_or(status, |t| t.en)
                )
                .into(),
            )
        }
        Exclusion::NotEv => (
            "not_ev",
            "Die Stiftung fördert nur eingetragene Vereine.".into(),
            "The foundation funds registered associations only.".into(),
        ),
        Exclusion::TooYoung { min_age, founded } => (
            "too_young",
            format!("Die Stiftung verlangt mindestens {min_age} Jahre Bestehen (gegründet {founded}).").into(),
            format!("The foundation requires at least {min_age} years of existence (founded {founded}).").into(),
        ),
        Exclusion::NoOpenDeadline => (
            "no_open_deadline",
            "Keine offene Antragsfrist.".into(),
            "No open application deadline.".into(),
        ),
        Exclusion::InvitationOnly => (
            "invitation_only",
            "Anträge nur auf Einladung der Stiftung.".into(),
            "Applications by the foundation's invitation only.".into(),
        ),
    }
}

/// What speaks for the pair, in words.
fn fit(why: Fit) -> Words {
    match why {
        Fit::AreaCovers { area, place } => (
            "area_covers",
            format!("Fördergebiet ({}) deckt {place} ab.", area.de).into(),
            format!("Funding area ({}) covers {place}.", area.en).into(),
        ),
        Fit::DeadlineOpen { next } => (
            "deadline_open",
            format!("Nächste Frist: {}.", german_date(next)).into(),
            format!("Next deadline: {next}.").into(),
        ),
        Fit::Themes(shared) => {
            let n = shared.iter().count();
            let prefixes: (Cow<str>, Cow<str>) = if n == 1 {
                ("1 gemeinsames Thema: ".into(), "1 shared theme: ".into())
            } else {
                (
                    format!("{n} gemeinsame Themen: ").into(),
                    format!("{n} shared themes: ").into(),
                )
            };
            let terms = shared.iter().map(|i| &vocab::THEMES[i as usize].term);
            let (de, en) = listed((&prefixes.0, &prefixes.1), terms.map(|t| (t.de, t.en)));
            ("themes", de, en)
        }
        Fit::Para52(numbers) => {
            let list = (0..64u8)
                .filter(|n| numbers & (1 << n) != 0)
                .map(|n| format!("Nr. {n}"))
                .collect::<Vec<_>>()
                .join(", ");
            (
                "para52",
                format!("Gleicher gemeinnütziger Zweck nach § 52 AO: {list}").into(),
                format!("Same charitable purpose under § 52 AO: {}", list.replace("Nr.", "no.")).into(),
            )
        }
        Fit::TargetGroups(groups) => {
            let prefixes = ("Zielgruppen: ", "Target groups: ");
            let (de, en) = match groups {
                Groups::Everyone(term) => listed(prefixes, term.into_iter().map(|t| (t.de, t.en))),
                Groups::Shared(shared) => listed(
                    prefixes,
                    (shared.iter())
                        .map(|i| &vocab::TARGET_GROUPS[i as usize])
                        .map(|t| (t.de, t.en)),
                ),
            };
            ("target_groups", de, en)
        }
        Fit::Support(shared) => {
            let (de, en) = listed(
                ("Gesucht und angeboten: ", "Sought and offered: "),
                (shared.iter())
                    .map(|i| &vocab::SUPPORT_KINDS[i as usize])
                    .map(|t| (t.de, t.en)),
            );
            ("support", de, en)
        }
        Fit::AmountInRange { need } => (
            "amount_in_range",
            format!("Benötigte {} liegen in der Fördersumme.", format_euro(need, Lang::De)).into(),
            format!("The {} needed lie within the grant range.", format_euro(need, Lang::En)).into(),
        ),
        Fit::AmountNearRange { need } => (
            "amount_near_range",
            format!("Benötigte {} liegen nahe der Fördersumme.", format_euro(need, Lang::De)).into(),
            format!("The {} needed lie near the grant range.", format_euro(need, Lang::En)).into(),
        ),
        Fit::AmountAboveRange => (
            "amount_above_range",
            "Der Bedarf übersteigt die Fördersumme deutlich.".into(),
            "The need clearly exceeds the grant range.".into(),
        ),
        Fit::Earlier(n) => (
            "earlier",
            if n == 1 {
                "Bereits 1 Kooperation miteinander.".into()
            } else {
                format!("Bereits {n} Kooperationen miteinander.").into()
            },
            if n == 1 {
                "Already 1 cooperation together.".into()
            } else {
                format!("Already {n} cooperations together.").into()
            },
        ),
    }
}

/// What is not known, in words.
fn unknown(what: Unknown) -> (&'static str, &'static str, &'static str) {
    match what {
        Unknown::Applications => (
            "applications_unknown",
            "Ob die Stiftung Anträge annimmt, ist unbekannt.",
            "Whether the foundation accepts applications is unknown.",
        ),
        Unknown::Area => (
            "area_unknown",
            "Ob das Fördergebiet den Ort abdeckt, ist unbekannt.",
            "Whether the funding area covers the place is unknown.",
        ),
        Unknown::Charitable => (
            "charitable_unknown",
            "Gemeinnützigkeit des Vereins unbekannt.",
            "The association's charitable status is unknown.",
        ),
        Unknown::LegalForm => ("legal_form_unknown", "Rechtsform unbekannt.", "Legal form unknown."),
        Unknown::Founded => ("founded_unknown", "Gründungsjahr unbekannt.", "Year founded unknown."),
        Unknown::Route => ("route_unknown", "Antragsweg unbekannt.", "Application route unknown."),
        Unknown::Themes => ("themes_unknown", "Themen unvollständig.", "Themes incomplete."),
        Unknown::TargetGroups => (
            "groups_unknown",
            "Zielgruppen unvollständig.",
            "Target groups incomplete.",
        ),
        Unknown::Support => (
            "support_unknown",
            "Förderarten unvollständig.",
            "Kinds of support incomplete.",
        ),
        Unknown::Need => (
            "need_unknown",
            "Bedarf des Vereins unbekannt.",
            "The association's need is unknown.",
        ),
        Unknown::Grant => (
            "grant_unknown",
            "Fördersumme der Stiftung unbekannt.",
            "The foundation's grant range is unknown.",
        ),
    }
}
