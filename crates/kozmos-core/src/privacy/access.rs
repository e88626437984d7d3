//! The right of access (Art. 15 DSGVO): everything stored about one person, as JSON in a stable,
//! documented shape (`FORMAT`) and as a readable PDF.
//!
//! What it holds: the person's fields and life, their organisation (kind, id, name), every consent
//! record (history, oldest first, with who recorded it, channel, date and note), every activity
//! entry and every cooperation whose free text names them (see `mentions`), and the sync metadata
//! of their record (when each field was last written and by which installation).
//!
//! Other persons: their records are never read. An activity entry or cooperation note that names
//! this person and someone else is exported whole: it is part of what is stored about this person,
//! and cutting it would hide what the app keeps; the other names in it are the only data about
//! others that can appear, and only in such text.

use serde::Serialize;
use ts_rs::TS;

use super::mentions::{self, MentionedActivity, MentionedCooperation};
use super::names::Names;
use crate::error::{Error, Lang, Result};
use crate::fields::label;
use crate::person::{self, Parent, Person};
use crate::store::{rfc3339_from_hlc, Life, Store};
use crate::{site, vocab};

/// The name and version of the JSON shape; a change to the shape changes it.
pub const FORMAT: &str = "kozmos-access/1";

/// Everything stored about one person.
#[derive(Debug, Clone, Serialize, TS)]
pub struct AccessExport {
    /// Always `FORMAT`.
    pub format: String,
    /// RFC 3339, UTC.
    pub generated_at: String,
    /// The network that keeps this database (the controller), e.g. "lamsa".
    pub controller_network: Option<String>,
    /// The person with organisation and every consent record.
    pub person: Person,
    pub activities: Vec<MentionedActivity>,
    pub cooperations: Vec<MentionedCooperation>,
    /// When each field of the person's record was last written, and where.
    pub stamps: Vec<FieldStamp>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct FieldStamp {
    /// A field name, or "_life" for created / deleted / erased.
    pub field: String,
    pub written_at: String,
    /// The installation (site id) that wrote it.
    pub site: String,
}

/// Gathers the export; an unknown or erased person is refused.
pub async fn export(store: &Store, person_id: &str) -> Result<AccessExport> {
    let person = person::get(store, person_id.trim()).await?;
    if person.life == Life::Purged {
        return Err(erased(person_id));
    }
    let names = Names::of(&person.fields);
    let texts = mentions::load(store).await?;
    let activities = texts.activities(&names).cloned().collect();
    let cooperations = texts.cooperations(&names).into_iter().map(|(c, _)| c).collect();
    let stamps = store
        .stamps(&person::TABLE, &person.id)
        .await?
        .into_iter()
        .map(|(field, stamp)| FieldStamp {
            field,
            written_at: rfc3339_from_hlc(stamp.hlc),
            site: stamp.site.to_string(),
        })
        .collect();
    let installation = site::load(store.pool()).await?;
    Ok(AccessExport {
        format: FORMAT.to_string(),
        generated_at: rfc3339_from_hlc(store.now_ms() << 16),
        controller_network: installation.network,
        person,
        activities,
        cooperations,
        stamps,
    })
}

pub(super) fn erased(id: &str) -> Error {
    Error::invalid(
        "person",
        "person_erased",
        format!("Die Person {id} wurde bereits gelöscht; es ist nichts Persönliches mehr gespeichert."),
        format!("The person {id} has been erased; nothing personal is stored any more."),
    )
}

/// The export as pretty JSON (UTF-8, a newline at the end).
pub fn to_json(export: &AccessExport) -> Result<Vec<u8>> {
    let mut bytes = serde_json::to_vec_pretty(export).map_err(|e| Error::Database(e.to_string()))?;
    bytes.push(b'\n');
    Ok(bytes)
}

/// A file name to suggest: "auskunft-<id>.json" / "access-<id>.pdf".
pub fn file_name(export: &AccessExport, lang: Lang, ext: &str) -> String {
    format!("{}-{}.{ext}", lang.pick("auskunft", "access"), export.person.id)
}

fn term(terms: &[vocab::Term], code: &str, lang: Lang) -> String {
    vocab::find(terms, code).map_or_else(|| code.to_string(), |t| lang.pick(t.de, t.en).to_string())
}

/// An ISO date ("2025-05-12") or RFC 3339 time as the language writes it ("12.05.2025", with
/// "12:00 UTC" for a time); anything else as it is.
fn when(iso: &str, lang: Lang) -> String {
    let date = iso
        .get(..10)
        .and_then(|d| time::Date::parse(d, time::macros::format_description!("[year]-[month]-[day]")).ok());
    match (date, iso.get(11..16)) {
        (Some(d), Some(hm)) if iso.len() > 10 => format!("{} {hm} UTC", crate::text::format_date(d, lang)),
        (Some(d), _) => crate::text::format_date(d, lang),
        _ => iso.to_string(),
    }
}

fn opt(value: &Option<String>) -> String {
    value.clone().unwrap_or_default()
}

/// The export as the sections of a printable document.
pub fn document(
    export: &AccessExport,
    lang: Lang,
    generated: time::OffsetDateTime,
) -> crate::pdf::facts::FactsDocument {
    use crate::pdf::facts::{Block, FactsDocument, Section};
    let p = &export.person;
    let pick = |de: &str, en: &str| lang.pick(de, en).to_string();
    let date = crate::text::format_date(generated.date(), lang);
    let name = p.fields.name.clone().unwrap_or_default();

    let mut facts: Vec<(String, String)> = Vec::new();
    let field = |n: &str| label(person::FIELDS, n, lang).to_string();
    facts.push((field("name"), name.clone()));
    facts.push((field("name_original"), opt(&p.fields.name_original)));
    facts.push((field("name_latin"), opt(&p.fields.name_latin)));
    facts.push((field("role"), opt(&p.fields.role)));
    facts.push((field("email"), opt(&p.fields.email)));
    facts.push((field("phone"), opt(&p.fields.phone)));
    let languages: Vec<String> = p
        .fields
        .languages
        .iter()
        .map(|l| term(vocab::LANGUAGES, l, lang))
        .collect();
    facts.push((field("languages"), languages.join(", ")));
    facts.push((field("notes"), opt(&p.fields.notes)));
    let (kind_de, kind_en) = match p.parent {
        Parent::Association(_) => ("Verein", "Association"),
        Parent::Foundation(_) => ("Stiftung", "Foundation"),
    };
    facts.push((
        pick("Organisation", "Organisation"),
        format!("{} ({})", p.parent_name, pick(kind_de, kind_en)),
    ));
    let life = match p.life {
        Life::Alive => pick("aktiv", "active"),
        Life::Deleted => pick("gelöscht (Papierkorb)", "deleted (bin)"),
        Life::Purged => pick("gelöscht (Datenschutz)", "erased (privacy)"),
    };
    facts.push((pick("Status", "Status"), life));
    facts.push((pick("Kennung", "Identifier"), p.id.clone()));
    facts.push((pick("Zuletzt geändert", "Last changed"), when(&p.changed_at, lang)));

    let none = || Block::Paragraph(pick("Keine Einträge.", "No entries."));
    let consent_rows: Vec<Vec<String>> = p
        .consents
        .iter()
        .map(|c| {
            vec![
                when(&c.date, lang),
                term(vocab::CONSENT_PURPOSES, &c.purpose, lang),
                term(vocab::CONSENT_STATUSES, &c.status, lang),
                c.channel
                    .as_deref()
                    .map(|ch| term(vocab::CONSENT_CHANNELS, ch, lang))
                    .unwrap_or_default(),
                opt(&c.recorded_by),
                opt(&c.note),
            ]
        })
        .collect();
    let consents = if consent_rows.is_empty() {
        none()
    } else {
        Block::Table {
            heads: vec![
                pick("Datum", "Date"),
                pick("Zweck", "Purpose"),
                pick("Einwilligung", "Consent"),
                pick("Weg", "Channel"),
                pick("Erfasst von", "Recorded by"),
                pick("Notiz", "Note"),
            ],
            widths: vec![1.1, 1.6, 1.1, 1.7, 1.3, 1.8],
            rows: consent_rows,
        }
    };
    let activity_rows: Vec<Vec<String>> = export
        .activities
        .iter()
        .map(|a| {
            vec![
                when(&a.activity.date, lang),
                format!("{} – {}: {}", a.association_name, a.foundation_name, a.cooperation_idea),
                term(vocab::ACTIVITY_KINDS, &a.activity.kind, lang),
                opt(&a.activity.text),
                opt(&a.activity.who),
            ]
        })
        .collect();
    let activities = if activity_rows.is_empty() {
        none()
    } else {
        Block::Table {
            heads: vec![
                pick("Datum", "Date"),
                pick("Kooperation", "Cooperation"),
                pick("Art", "Kind"),
                pick("Text", "Text"),
                pick("Von", "By"),
            ],
            widths: vec![1.0, 2.0, 0.9, 3.0, 1.2],
            rows: activity_rows,
        }
    };
    let mut cooperation_blocks = Vec::new();
    for c in &export.cooperations {
        let mut rows = vec![
            (
                pick("Kooperation", "Cooperation"),
                format!("{} – {}", c.association_name, c.foundation_name),
            ),
            (pick("Phase", "Stage"), term(vocab::STAGES, &c.stage, lang)),
        ];
        rows.extend(c.fields.iter().map(|f| {
            (
                label(crate::cooperation::FIELDS, &f.field, lang).to_string(),
                f.value.clone(),
            )
        }));
        cooperation_blocks.push(Block::Facts(rows));
    }
    if cooperation_blocks.is_empty() {
        cooperation_blocks.push(none());
    }
    let stamp_rows = export
        .stamps
        .iter()
        .map(|s| {
            let name = if s.field == crate::store::LIFE_COLUMN {
                pick("Datensatz (angelegt, gelöscht)", "Record (created, deleted)")
            } else {
                label(person::FIELDS, &s.field, lang).to_string()
            };
            vec![name, when(&s.written_at, lang), s.site.clone()]
        })
        .collect();

    FactsDocument {
        title: format!("{}: {name}", pick("Auskunft", "Access request")),
        subtitle: format!(
            "{} {date}. {}",
            pick(
                "Alles, was KOZMOS über diese Person speichert (Art. 15 DSGVO), Stand",
                "Everything KOZMOS stores about this person (Art. 15 GDPR), as of"
            ),
            pick(
                "Einträge, die diese Person nennen, stehen vollständig da, auch wenn sie weitere Namen enthalten.",
                "Entries that name this person are shown whole, even where they contain other names."
            )
        ),
        stamp: format!("{} {date}", pick("Stand:", "As of")),
        note: pick(
            "KOZMOS – Auskunft nach Art. 15 DSGVO",
            "KOZMOS – access request, Art. 15 GDPR",
        ),
        subject: pick("Auskunft nach Art. 15 DSGVO", "Access request, Art. 15 GDPR"),
        author: String::new(),
        sections: vec![
            Section {
                heading: pick("Angaben zur Person", "Personal details"),
                blocks: vec![Block::Facts(facts)],
            },
            Section {
                heading: pick("Einwilligungen (Verlauf)", "Consents (history)"),
                blocks: vec![consents],
            },
            Section {
                heading: pick(
                    "Aktivitäten, die die Person nennen",
                    "Activity entries naming the person",
                ),
                blocks: vec![activities],
            },
            Section {
                heading: pick("Kooperationen, die die Person nennen", "Cooperations naming the person"),
                blocks: cooperation_blocks,
            },
            Section {
                heading: pick(
                    "Synchronisation: wann welche Angabe geschrieben wurde",
                    "Sync: when each detail was written",
                ),
                blocks: vec![Block::Table {
                    heads: vec![
                        pick("Angabe", "Detail"),
                        pick("Geschrieben", "Written"),
                        pick("Installation", "Installation"),
                    ],
                    widths: vec![2.0, 1.6, 2.4],
                    rows: stamp_rows,
                }],
            },
        ],
    }
}

/// The export as PDF.
pub fn to_pdf(export: &AccessExport, lang: Lang, generated: time::OffsetDateTime) -> Result<Vec<u8>> {
    crate::pdf::facts::facts_pdf(&document(export, lang, generated), lang, generated)
}
