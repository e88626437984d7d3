//! Validation of cooperation drafts and activity-log entries: every problem reported at its field.

use super::{ActivityDraft, CooperationDraft, CooperationFields, FIELDS};
use crate::check::{Checker, VOLUNTEER_MAX_CHARS};
use crate::error::Result;
use crate::fields::{f, FieldInfo, FieldKind::*};
use crate::record::{Fields, Value};
use crate::vocab::{self, Vocab};

/// Checks a draft: the idea is required, the stage a known one, amounts euro, dates dates,
/// and the project cannot end before it starts.
pub fn validate(draft: &CooperationDraft) -> Result<CooperationFields> {
    let mut c = Checker::new(FIELDS);
    let idea = c.required_text(
        "idea",
        &draft.idea,
        200,
        "bitte die Idee kurz benennen.",
        "please name the idea briefly.",
    );
    let mut reference = |field: &str, raw: &str, de: &str, en: &str| {
        let value = raw.trim().to_string();
        if value.is_empty() {
            c.error(
                field,
                "required",
                format!("{de}: bitte auswählen."),
                format!("{en}: please choose."),
            );
        }
        value
    };
    let association_id = reference("association_id", &draft.association_id, "Verein", "Association");
    let foundation_id = reference("foundation_id", &draft.foundation_id, "Stiftung", "Foundation");
    let fields = CooperationFields {
        idea,
        association_id,
        foundation_id,
        stage: c
            .code("stage", &draft.stage, vocab::STAGES)
            .unwrap_or_else(|| "idee".into()),
        description: c.text("description", &draft.description, 4000, true),
        amount_requested: c.money("amount_requested", &draft.amount_requested),
        amount_granted: c.money("amount_granted", &draft.amount_granted),
        first_contact: c.date("first_contact", &draft.first_contact, None),
        submitted: c.date("submitted", &draft.submitted, None),
        decision: c.date("decision", &draft.decision, None),
        project_start: c.date("project_start", &draft.project_start, None),
        project_end: c.date("project_end", &draft.project_end, None),
        report_due: c.date("report_due", &draft.report_due, None),
        next_step: c.text("next_step", &draft.next_step, 300, false),
        next_step_due: c.date("next_step_due", &draft.next_step_due, None),
        next_step_owner: c.text("next_step_owner", &draft.next_step_owner, 100, false),
        notes: c.text("notes", &draft.notes, 10_000, true),
    };
    if let (Some(start), Some(end)) = (&fields.project_start, &fields.project_end) {
        if end < start {
            c.error(
                "project_end",
                "ends_before_start",
                "Projektende: liegt vor dem Projektbeginn.".into(),
                "Project end: lies before the project start.".into(),
            );
        }
    }
    c.finish(fields)
}

const ACTIVITY_FIELDS: &[FieldInfo] = &[
    f("date", Date, "Datum", "Date"),
    f("kind", Code, "Art", "Kind").of(&[Vocab::ActivityKinds]),
    f("text", LongText, "Text", "Text"),
];

/// The fields of a stored log entry that no form sets: a stage change's stages, who wrote it.
const ACTIVITY_STORED_FIELDS: &[FieldInfo] = &[
    f("stage_from", Code, "Phase vorher", "Stage before").of(&[Vocab::Stages]),
    f("stage_to", Code, "Phase nachher", "Stage after").of(&[Vocab::Stages]),
    f("who", Text, "Wer", "Who"),
];

/// The validation of a stored log entry (a row from a sync file): a stage change (kind "stage",
/// written by a stage change, no text) or an entry as `add_activity` checks it.
pub fn validate_stored_activity(fields: &Fields, today: time::Date) -> Result<Fields> {
    let text = |name: &str| match fields.get(name) {
        Some(Value::Text(s)) => s.clone(),
        _ => String::new(),
    };
    let mut c = Checker::new(ACTIVITY_STORED_FIELDS);
    let who = c.text("who", &text("who"), VOLUNTEER_MAX_CHARS, false);
    let stage_from = c.code("stage_from", &text("stage_from"), vocab::STAGES);
    let stage_to = c.code("stage_to", &text("stage_to"), vocab::STAGES);
    let entry = if text("kind") == "stage" {
        let mut stage = Checker::new(ACTIVITY_FIELDS);
        let date = stage.date("date", &text("date"), Some(today));
        let note = stage.text("text", &text("text"), ACTIVITY_TEXT_MAX, true);
        stage.finish((date.unwrap_or_default(), "stage".to_string(), note))
    } else {
        let draft = ActivityDraft {
            date: text("date"),
            kind: text("kind"),
            text: text("text"),
        };
        validate_activity(&draft, today).map(|(date, kind, note)| (date, kind, Some(note)))
    };
    let ((date, kind, note), ()) = crate::error::both(entry, c.finish(()))?;
    let mut out = Fields::new();
    out.insert("date", Value::Text(date));
    out.insert("kind", Value::Text(kind));
    out.insert("text", note.map_or(Value::Null, Value::Text));
    out.insert("who", who.map_or(Value::Null, Value::Text));
    out.insert("stage_from", stage_from.map_or(Value::Null, Value::Text));
    out.insert("stage_to", stage_to.map_or(Value::Null, Value::Text));
    Ok(out)
}

pub const ACTIVITY_TEXT_MAX: usize = 4000;

/// Checks a log entry as entered; an empty date means `today`.
pub fn validate_activity(draft: &ActivityDraft, today: time::Date) -> Result<(String, String, String)> {
    let mut c = Checker::new(ACTIVITY_FIELDS);
    let date = c
        .date("date", &draft.date, Some(today))
        .unwrap_or_else(|| today.to_string());
    let kind = c.code("kind", &draft.kind, vocab::ACTIVITY_KINDS);
    if kind.is_none() && !c.has_error("kind") {
        c.error(
            "kind",
            "required",
            "Art: bitte auswählen.".into(),
            "Kind: please choose.".into(),
        );
    }
    let text = c.required_text(
        "text",
        &draft.text,
        ACTIVITY_TEXT_MAX,
        "bitte kurz festhalten, was war.",
        "please note what happened.",
    );
    c.finish((date, kind.unwrap_or_default(), text))
}
