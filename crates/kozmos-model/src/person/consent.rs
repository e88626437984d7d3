//! Consent records: given or withdrawn, per purpose, dated, with channel and who recorded it.
//! Records are only ever added; the newest per purpose is the person's current answer.

use crate::vocab::Vocab;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::check::Checker;
use crate::error::Result;
use crate::fields::{f, FieldInfo, FieldKind::*};
use crate::record::{to_fields, ColType, Column, Fields, TableSpec};
use crate::vocab;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ConsentRecord {
    pub id: String,
    /// store, share or print
    pub purpose: String,
    /// given or withdrawn
    pub status: String,
    /// ISO date the person gave or withdrew it.
    pub date: String,
    pub channel: Option<String>,
    pub recorded_by: Option<String>,
    pub note: Option<String>,
    /// When it was entered (RFC 3339, UTC).
    pub recorded_at: String,
}

/// A consent as entered in the form or the CLI.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, Default)]
#[serde(default, deny_unknown_fields)]
pub struct ConsentDraft {
    pub purpose: String,
    pub status: String,
    /// Empty means today.
    pub date: String,
    pub channel: String,
    pub note: String,
}

pub const CONSENT_FIELDS: &[FieldInfo] = &[
    f("purpose", Code, "Zweck", "Purpose").of(&[Vocab::ConsentPurposes]),
    f("status", Code, "Einwilligung", "Consent").of(&[Vocab::ConsentStatuses]),
    f("date", Date, "Datum", "Date"),
    f("channel", Code, "Weg", "Channel").of(&[Vocab::ConsentChannels]),
    f("note", LongText, "Notiz", "Note"),
];

pub static CONSENT_TABLE: TableSpec = TableSpec {
    name: "consents",
    entity: "consent",
    columns: &[
        Column {
            name: "person_id",
            ty: ColType::Text,
        },
        Column {
            name: "purpose",
            ty: ColType::Text,
        },
        Column {
            name: "status",
            ty: ColType::Text,
        },
        Column {
            name: "date",
            ty: ColType::Text,
        },
        Column {
            name: "channel",
            ty: ColType::Text,
        },
        Column {
            name: "recorded_by",
            ty: ColType::Text,
        },
        Column {
            name: "note",
            ty: ColType::Text,
        },
    ],
    derive: |_| Ok(Vec::new()),
    derived_from: &[],
    search_code: None,
    parents: &[("person_id", "persons")],
    personal: &[],
    erasable: true,
    validate: validate_stored,
};

/// The validation of a stored consent record (a row from a sync file).
fn validate_stored(fields: &Fields, today: time::Date) -> Result<Fields> {
    let text = |name: &str| match fields.get(name) {
        Some(crate::record::Value::Text(s)) => s.clone(),
        _ => String::new(),
    };
    let draft = ConsentDraft {
        purpose: text("purpose"),
        status: text("status"),
        date: text("date"),
        channel: text("channel"),
        note: text("note"),
    };
    let (purpose, status, date, channel, note) = validate_consent(&draft, today)?;
    let mut c = Checker::new(CONSENT_FIELDS);
    let recorded_by = c.text(
        "recorded_by",
        &text("recorded_by"),
        crate::check::VOLUNTEER_MAX_CHARS,
        false,
    );
    c.finish(())?;
    to_fields(
        &CONSENT_TABLE,
        &serde_json::json!({
            "purpose": purpose, "status": status, "date": date, "channel": channel,
            "note": note, "recorded_by": recorded_by,
        }),
    )
}

/// A checked consent draft: purpose, status, date, channel, note.
pub type CheckedConsent = (String, String, String, Option<String>, Option<String>);

/// Checks a consent draft; `today` is the default date and the latest allowed.
pub fn validate_consent(draft: &ConsentDraft, today: time::Date) -> Result<CheckedConsent> {
    let mut c = Checker::new(CONSENT_FIELDS);
    let purpose = c.code("purpose", &draft.purpose, vocab::CONSENT_PURPOSES);
    let status = c.code("status", &draft.status, vocab::CONSENT_STATUSES);
    for (field, value) in [("purpose", &purpose), ("status", &status)] {
        if value.is_none() && !c.has_error(field) {
            let (de, en) = if field == "purpose" {
                ("Zweck", "Purpose")
            } else {
                ("Einwilligung", "Consent")
            };
            c.error(
                field,
                "required",
                format!("{de}: bitte auswählen."),
                format!("{en}: please choose."),
            );
        }
    }
    let date = c
        .date("date", &draft.date, Some(today))
        .unwrap_or_else(|| today.to_string());
    let channel = c.code("channel", &draft.channel, vocab::CONSENT_CHANNELS);
    let note = c.text("note", &draft.note, 1000, true);
    c.finish((
        purpose.unwrap_or_default(),
        status.unwrap_or_default(),
        date,
        channel,
        note,
    ))
}

/// The newest record per purpose, in the order of the purposes.
pub fn current_consent(records: &[ConsentRecord]) -> Vec<ConsentRecord> {
    vocab::CONSENT_PURPOSES
        .iter()
        .filter_map(|p| records.iter().rev().find(|r| r.purpose == p.code).cloned())
        .collect()
}

/// Whether the person's current answer for the purpose is "given".
pub fn has_consent(records: &[ConsentRecord], purpose: &str) -> bool {
    current_consent(records)
        .iter()
        .any(|r| r.purpose == purpose && r.status == "given")
}
