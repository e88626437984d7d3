//! Gathers what one association's sheet prints, as text in the sheet's language: the record,
//! its activities and ideas, the contact persons who agreed to be printed (nobody else), the
//! network's KOZMOS contact, and the date the data reflects. Also what the user should know about
//! the sheet (a logo that cannot be printed, characters no font has, persons left out).

use std::borrow::Borrow;
use std::future::Future;
use std::sync::Arc;

use sqlx::Row;

use super::contacts;
use super::SheetWarning;
use crate::association::{self, Association};
use crate::error::{FieldError, Lang, Result};
use crate::pdf::image::Picture;
use crate::pdf::shape;
use crate::pdf::sheet::{Entry, Sheet};
use crate::person;
use crate::project;
use crate::store::{Life, Store};
use crate::text::{fold, format_count, format_date, format_euro};
use crate::vocab::{self, Term};

/// Activities, ideas and persons shown at most; the sheet says how many more there are.
const MAX_ACTIVITIES: usize = 3;
const MAX_IDEAS: usize = 2;
const MAX_PERSONS: usize = 3;

/// A sheet ready to lay out, and what the user should know about it.
pub struct Loaded {
    pub sheet: Sheet,
    pub warnings: Vec<SheetWarning>,
}

/// What every sheet shares, read once for a batch: this installation's network and volunteer (the
/// documents' author), and both networks' KOZMOS contacts.
pub struct Common {
    network: Option<String>,
    pub author: String,
    contacts: Vec<contacts::KozmosContact>,
}

impl Common {
    pub async fn read(store: &Store) -> Result<Common> {
        let (installation, contacts) = tokio::try_join!(crate::site::load(store.pool()), contacts::list(store.pool()))?;
        Ok(Common {
            network: installation.network,
            author: installation.volunteer.unwrap_or_default(),
            contacts,
        })
    }
}

/// One association's sheet. `common` is awaited beside the sheet's own reads: `Common::read` for
/// the first sheet, the `Common` it gave for the next ones. Returns what `common` gave, too.
pub async fn load<C: Borrow<Common>>(
    store: &Store,
    id: &str,
    lang: Lang,
    common: impl Future<Output = Result<C>>,
) -> Result<(Loaded, C)> {
    // Independent reads, each on its own pooled connection.
    let (common, (a, logo, association_changed), projects, all_ideas, persons) = tokio::try_join!(
        common,
        association::get_with_logo(store, id),
        project::stamped_projects_of(store, id),
        project::stamped_ideas_of(store, id),
        printable_persons(store, id),
    )?;
    // The newest change to anything the sheet prints.
    let newest = [association_changed, persons.newest_change]
        .into_iter()
        .chain(projects.iter().map(|(_, changed)| *changed))
        .chain(all_ideas.iter().map(|(_, changed)| *changed))
        .max()
        .unwrap_or(association_changed);
    let projects: Vec<_> = projects.into_iter().map(|(project, _)| project).collect();
    let all_ideas: Vec<_> = all_ideas.into_iter().map(|(idea, _)| idea).collect();
    let (persons, left_out) = (persons.printed, persons.left_out);
    if a.life != Life::Alive {
        return Err(crate::Error::not_found("association", id));
    }
    let mut notes = Notes {
        association: &a,
        warnings: Vec::new(),
    };
    let fields = &a.fields;
    let term = |terms: &[Term], code: &Option<String>| {
        code.as_deref()
            .and_then(|c| vocab::find(terms, c))
            .map(|t| lang.pick(t.de, t.en).to_string())
    };
    let label = |name: &str| association::field_label(name, lang).to_string();

    let logo = match logo {
        Some((_, bytes)) => match Picture::decode(&bytes) {
            Ok(picture) => Some(Arc::new(picture)),
            Err(e) => {
                notes.warn_error(&e);
                None
            }
        },
        None => None,
    };

    let name_original = fields.name_original.clone().filter(|original| {
        let missing = shape::unprintable(original);
        if !missing.is_empty() {
            notes.unprintable("name_original", &missing, true);
        }
        missing.is_empty()
    });
    for (field, text) in [
        ("name", Some(&fields.name)),
        ("mission_de", fields.mission_de.as_ref()),
        ("mission_en", fields.mission_en.as_ref()),
        ("address", fields.address.as_ref()),
        ("city", fields.city.as_ref()),
    ] {
        if let Some(text) = text {
            let missing = shape::unprintable(text);
            if !missing.is_empty() {
                notes.unprintable(field, &missing, false);
            }
        }
    }

    let mut place = Vec::new();
    if let Some(short) = &fields.short_name {
        place.push(short.clone());
    }
    if let Some(form) = fields.legal_form.as_deref().and_then(|f| short_legal_form(f, lang)) {
        place.push(form.to_string());
    }
    if let Some(city) = &fields.city {
        place.push(city.clone());
    }
    if let Some(district) = fields.district.as_deref().and_then(vocab::district) {
        if fields.city.as_deref().is_none_or(|c| fold(c) != fold(district.name)) {
            place.push(district.name.to_string());
        }
    }
    if let Some(network) = fields.network.as_deref().filter(|n| *n != "none") {
        if let Some(t) = vocab::find(vocab::NETWORKS, network) {
            place.push(lang.pick(t.de, t.en).to_string());
        }
    }

    let mut facts = Vec::new();
    if let Some(year) = fields.founded_year {
        facts.push((label("founded_year"), year.to_string()));
    }
    let register = [fields.register_court.as_deref(), fields.register_number.as_deref()]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" ");
    if !register.is_empty() {
        facts.push((lang.pick("Registereintrag", "Register entry").to_string(), register));
    }
    if let Some(status) = term(vocab::CHARITABLE_STATUSES, &fields.charitable_status) {
        facts.push((label("charitable_status"), charitable(&a, status, lang, store.today())));
    }
    let purposes = para52(&fields.themes);
    if !purposes.is_empty() {
        facts.push((
            lang.pick("Zwecke nach § 52 AO", "Purposes (§ 52 AO)").to_string(),
            format!("{} {purposes}", lang.pick("Nr.", "No.")),
        ));
    }
    for (name, value) in [
        ("members", fields.members),
        ("volunteers", fields.volunteers),
        ("staff", fields.staff),
    ] {
        if let Some(n) = value {
            facts.push((label(name), format_count(i64::from(n), lang)));
        }
    }
    if let Some(band) = term(vocab::BUDGET_BANDS, &fields.budget_band) {
        facts.push((label("budget_band"), band));
    }

    let (own, other, note) = match lang {
        Lang::De => (
            &fields.mission_de,
            &fields.mission_en,
            "(auf Englisch; ein deutscher Text ist nicht hinterlegt)",
        ),
        Lang::En => (
            &fields.mission_en,
            &fields.mission_de,
            "(in German; no English text is recorded)",
        ),
    };
    let (mission, mission_note) = match (own, other) {
        (Some(text), _) => (Some(text.clone()), None),
        (None, Some(text)) => (Some(text.clone()), Some(note.to_string())),
        (None, None) => (None, None),
    };

    let labels_of = |codes: &[String], terms: &[Term]| -> String {
        codes
            .iter()
            .filter_map(|c| vocab::find(terms, c))
            .map(|t| lang.pick(t.de, t.en))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let themes = fields
        .themes
        .iter()
        .filter_map(|c| vocab::theme(c))
        .map(|t| lang.pick(t.term.de, t.term.en))
        .collect::<Vec<_>>()
        .join(", ");
    let mut profile = Vec::new();
    for (name, value) in [
        ("themes", themes),
        ("target_groups", labels_of(&fields.target_groups, vocab::TARGET_GROUPS)),
        ("languages", labels_of(&fields.languages, vocab::LANGUAGES)),
        ("communities", fields.communities.join(", ")),
    ] {
        if !value.is_empty() {
            profile.push((label(name), value));
        }
    }

    let mut funders: Vec<String> = Vec::new();
    for funder in fields
        .previous_funders
        .iter()
        .chain(projects.iter().filter_map(|p| p.funder.as_ref()))
    {
        if !funders.iter().any(|f| fold(f) == fold(funder)) {
            funders.push(funder.clone());
        }
    }
    let activities = projects
        .iter()
        .take(MAX_ACTIVITIES)
        .map(|p| Entry {
            title: p.title.clone(),
            title_original: None,
            text: p.description.clone(),
            details: [
                p.year.map(|y| y.to_string()),
                p.people_reached.map(|n| {
                    let n = format_count(i64::from(n), lang);
                    match lang {
                        Lang::De => format!("{n} Menschen erreicht"),
                        Lang::En => format!("{n} people reached"),
                    }
                }),
                p.budget
                    .map(|b| format!("{} {}", lang.pick("Budget", "budget"), format_euro(b, lang))),
                p.funder
                    .as_ref()
                    .map(|f| format!("{} {f}", lang.pick("gefördert von", "funded by"))),
            ]
            .into_iter()
            .flatten()
            .collect(),
        })
        .collect();

    let ideas = all_ideas
        .iter()
        .take(MAX_IDEAS)
        .map(|i| Entry {
            title: i.title.clone(),
            title_original: None,
            text: i.description.clone(),
            details: [
                i.amount_needed
                    .map(|a| format!("{} {}", lang.pick("benötigt", "needs"), format_euro(a, lang))),
                i.time_frame
                    .as_ref()
                    .map(|t| format!("{} {t}", lang.pick("Zeitraum:", "time frame:"))),
            ]
            .into_iter()
            .flatten()
            .collect(),
        })
        .collect();
    let needs = labels_of(&fields.needs, vocab::SUPPORT_KINDS);
    let support = (!needs.is_empty()).then(|| (label("needs"), needs));

    let website = fields.website.as_deref().and_then(crate::check::normalise_url);
    let address = [
        fields.address.clone(),
        [fields.postcode.as_deref(), fields.city.as_deref()]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(" ")
            .into(),
        fields.email.clone(),
        fields.phone.clone(),
        website.as_deref().map(shown_url),
    ]
    .into_iter()
    .flatten()
    .filter(|line| !line.is_empty())
    .collect();

    if left_out > 0 {
        notes.persons_left_out(left_out);
    }
    let more_persons = persons.len().saturating_sub(MAX_PERSONS);
    let persons = persons.into_iter().take(MAX_PERSONS).collect();

    let has_contact = |n: &&str| contacts::NETWORKS.iter().any(|(c, _)| c == n);
    let network = fields
        .network
        .as_deref()
        .filter(has_contact)
        .or(common.borrow().network.as_deref().filter(has_contact))
        .unwrap_or("lamsa");
    let contact = match common.borrow().contacts.iter().find(|c| c.network == network) {
        Some(contact) => contact.clone(),
        None => contacts::get(store.pool(), network).await?,
    };
    if !contact.configured {
        notes.kozmos_contact_missing(&contact.organisation);
    }
    let kozmos = Entry {
        title: contact.organisation.clone(),
        title_original: None,
        text: contact.person.clone(),
        details: [contact.email, contact.phone, contact.website.as_deref().map(shown_url)]
            .into_iter()
            .flatten()
            .collect(),
    };

    let stand = format_date(stand_date(newest), lang);
    let loaded = Loaded {
        sheet: Sheet {
            lang,
            name: fields.name.clone(),
            name_original,
            place,
            logo,
            website,
            facts,
            mission,
            mission_note,
            profile,
            more_activities: projects.len().saturating_sub(MAX_ACTIVITIES),
            activities,
            funders,
            more_ideas: all_ideas.len().saturating_sub(MAX_IDEAS),
            ideas,
            support,
            address,
            persons,
            more_persons,
            kozmos,
            stand,
        },
        warnings: notes.warnings,
    };
    Ok((loaded, common))
}

/// "e.V." rather than the form's long label; nothing for "other".
fn short_legal_form(code: &str, lang: Lang) -> Option<&'static str> {
    match code {
        "ev" => Some("e.V."),
        "ggmbh" => Some("gGmbH"),
        "initiative" => Some(lang.pick("Initiative (nicht eingetragen)", "Initiative (not registered)")),
        _ => None,
    }
}

/// "anerkannt · Freistellungsbescheid vom 12.03.2024", marked when the notice no longer counts.
fn charitable(a: &Association, status: String, lang: Lang, today: time::Date) -> String {
    let fields = &a.fields;
    let mut parts = vec![status];
    if fields.charitable_status.as_deref() != Some("none") {
        let kind = fields.notice_kind.as_deref().map(|k| match k {
            "feststellung_60a" => lang.pick("Feststellung nach § 60a AO", "notice under § 60a AO"),
            _ => lang.pick("Freistellungsbescheid", "exemption notice"),
        });
        let date = fields
            .notice_date
            .as_deref()
            .and_then(crate::check::parse_date)
            .map(|d| format_date(d, lang));
        match (kind, date) {
            (Some(kind), Some(date)) => parts.push(format!("{kind} {} {date}", lang.pick("vom", "of"))),
            (Some(kind), None) => parts.push(kind.to_string()),
            _ => {}
        }
        let expired = a
            .notice_valid_until
            .as_deref()
            .and_then(crate::check::parse_date)
            .is_some_and(|until| until < today);
        if expired {
            parts.push(lang.pick("abgelaufen", "expired").to_string());
        }
    }
    parts.join(" · ")
}

/// The § 52 AO purpose numbers the themes map to, ascending: "4, 7, 13".
fn para52(themes: &[String]) -> String {
    let mut numbers: Vec<u8> = themes
        .iter()
        .filter_map(|c| vocab::theme(c))
        .flat_map(|t| t.para52.iter().copied())
        .collect();
    numbers.sort_unstable();
    numbers.dedup();
    numbers.iter().map(u8::to_string).collect::<Vec<_>>().join(", ")
}

/// A web address as printed: without "https://" and a trailing slash.
fn shown_url(url: &str) -> String {
    let bare = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))
        .unwrap_or(url);
    bare.strip_suffix('/').unwrap_or(bare).to_string()
}

/// The association's contact persons as the sheet sees them.
struct Persons {
    /// The living persons whose current answer for "print" is "given".
    printed: Vec<Entry>,
    /// How many living persons were left out.
    left_out: usize,
    /// The stamp of the newest change to a living person (0 without any).
    newest_change: i64,
}

/// The association's contact persons (`Persons`): two reads at once, whatever their number.
async fn printable_persons(store: &Store, association_id: &str) -> Result<Persons> {
    let persons = sqlx::query(
        "SELECT id, name, name_original, role, email, phone, changed_hlc FROM persons
         WHERE association_id = ? AND life = 'alive' ORDER BY sort_key, id",
    )
    .bind(association_id)
    .fetch_all(store.pool());
    let (rows, consents) = tokio::try_join!(
        async { Ok(persons.await?) },
        person::consents_of_association(store, association_id)
    )?;
    let mut persons = Persons {
        printed: Vec::new(),
        left_out: 0,
        newest_change: 0,
    };
    for row in &rows {
        persons.newest_change = persons.newest_change.max(row.try_get("changed_hlc")?);
        let id: &str = row.try_get("id")?;
        if !consents.get(id).is_some_and(|c| person::has_consent(c, "print")) {
            persons.left_out += 1;
            continue;
        }
        let Some(name) = row.try_get::<Option<String>, _>("name")? else {
            continue;
        };
        persons.printed.push(Entry {
            title: name,
            title_original: row.try_get("name_original")?,
            text: None,
            details: ["role", "email", "phone"]
                .into_iter()
                .map(|col| row.try_get::<Option<String>, _>(col))
                .filter_map(|value| value.transpose())
                .collect::<std::result::Result<_, _>>()?,
        });
    }
    Ok(persons)
}

/// The local day of a change stamp.
fn stand_date(changed_hlc: i64) -> time::Date {
    let at = time::OffsetDateTime::from_unix_timestamp_nanos(i128::from(crate::hlc::millis(changed_hlc)) * 1_000_000)
        .unwrap_or(time::OffsetDateTime::UNIX_EPOCH);
    let offset = crate::files::local_now().offset();
    at.to_offset(offset).date()
}

/// Collects what the user should know about one sheet.
struct Notes<'a> {
    association: &'a Association,
    warnings: Vec<SheetWarning>,
}

impl Notes<'_> {
    fn push(&mut self, error: FieldError) {
        self.warnings.push(SheetWarning {
            association_id: self.association.id.clone(),
            association_name: self.association.fields.name.clone(),
            code: error.code,
            field: error.field,
            message_de: error.message_de,
            message_en: error.message_en,
        });
    }

    fn warn_error(&mut self, error: &crate::Error) {
        for e in error.field_errors() {
            self.push(e.clone());
        }
    }

    fn unprintable(&mut self, field: &str, missing: &[char], left_out: bool) {
        let chars: String = missing
            .iter()
            .take(8)
            .map(|c| format!("„{c}“"))
            .collect::<Vec<_>>()
            .join(" ");
        let chars_en: String = missing
            .iter()
            .take(8)
            .map(|c| format!("\"{c}\""))
            .collect::<Vec<_>>()
            .join(" ");
        let (de, en) = (
            association::field_label(field, Lang::De),
            association::field_label(field, Lang::En),
        );
        let (what_de, what_en) = if left_out {
            ("fehlt deshalb auf dem Blatt", "so it is left off the sheet")
        } else {
            ("sie erscheinen als „?“", "they print as \"?\"")
        };
        self.push(FieldError::new(
            field,
            "text_unprintable",
            format!("{de}: enthält Zeichen, für die KOZMOS keine Schrift hat ({chars}); {what_de}."),
            format!("{en}: contains characters KOZMOS has no font for ({chars_en}); {what_en}."),
        ));
    }

    fn persons_left_out(&mut self, n: usize) {
        let (de, en) = if n == 1 {
            (
                "1 Ansprechperson hat nicht eingewilligt, auf Profilblättern zu stehen, und wird nicht gedruckt."
                    .to_string(),
                "1 contact person has not agreed to be printed on profile sheets and is left out.".to_string(),
            )
        } else {
            (
                format!("{n} Ansprechpersonen haben nicht eingewilligt, auf Profilblättern zu stehen, und werden nicht gedruckt."),
                format!("{n} contact persons have not agreed to be printed on profile sheets and are left out."),
            )
        };
        self.push(FieldError::new("persons", "persons_not_printed", de, en));
    }

    fn kozmos_contact_missing(&mut self, organisation: &str) {
        self.push(FieldError::new(
            "kozmos_contact",
            crate::error::UiCode::KozmosContactMissing.as_str(),
            format!("Für {organisation} ist keine Ansprechperson hinterlegt; das Blatt nennt nur die Organisation (Einstellungen → Kontakt auf Profilblättern)."),
            format!("No contact person is set for {organisation}; the sheet names the organisation only (Settings → Contact on profile sheets)."),
        ));
    }
}
