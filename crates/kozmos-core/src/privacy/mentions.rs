//! The free text of the cooperation history that may name a person: activity entries (text and
//! who) and a cooperation's idea, description, next step, next-step owner and notes. Persons are not
//! referenced by key from there (a cooperation has no contact-person column), so "naming" is found
//! by `Names` on the folded text.

use serde::Serialize;
use sqlx::Row;
use ts_rs::TS;

use super::names::Names;
use crate::cooperation::Activity;
use crate::error::Result;
use crate::store::{rfc3339_from_hlc, Life, Store};

/// An activity entry that names the person, with the cooperation it belongs to.
#[derive(Debug, Clone, Serialize, TS)]
pub struct MentionedActivity {
    pub cooperation_id: String,
    pub cooperation_idea: String,
    pub association_name: String,
    pub foundation_name: String,
    pub life: Life,
    #[serde(flatten)]
    pub activity: Activity,
}

/// A cooperation whose text names the person: only the fields that name them.
#[derive(Debug, Clone, Serialize, TS)]
pub struct MentionedCooperation {
    pub id: String,
    pub life: Life,
    pub idea: String,
    pub stage: String,
    pub association_name: String,
    pub foundation_name: String,
    pub fields: Vec<NamedField>,
    pub changed_at: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct NamedField {
    pub field: String,
    pub value: String,
}

/// The cooperation columns whose free text may name a person.
pub const COOPERATION_TEXT: &[&str] = &["idea", "description", "next_step", "next_step_owner", "notes"];
/// The activity columns whose free text may name a person.
pub const ACTIVITY_TEXT: &[&str] = &["text", "who"];

/// Every activity entry and cooperation that is not erased, read once.
pub struct Texts {
    activities: Vec<MentionedActivity>,
    cooperations: Vec<(MentionedCooperation, i64, Vec<NamedField>)>,
}

pub async fn load(store: &Store) -> Result<Texts> {
    let rows = sqlx::query(
        "SELECT a.id, a.life, a.cooperation_id, a.date, a.kind, a.text, a.who, a.stage_from, a.stage_to,
                c.idea, s.name AS association_name, f.name AS foundation_name
         FROM activities a JOIN cooperations c ON c.id = a.cooperation_id
         JOIN associations s ON s.id = c.association_id JOIN foundations f ON f.id = c.foundation_id
         WHERE a.life <> 'purged' AND (a.text IS NOT NULL OR a.who IS NOT NULL)
         ORDER BY a.date, a.id",
    )
    .fetch_all(store.pool())
    .await?;
    let mut activities = Vec::with_capacity(rows.len());
    for r in &rows {
        activities.push(MentionedActivity {
            cooperation_id: r.try_get("cooperation_id")?,
            cooperation_idea: r.try_get("idea")?,
            association_name: r.try_get("association_name")?,
            foundation_name: r.try_get("foundation_name")?,
            life: Life::parse(r.try_get("life")?),
            activity: Activity {
                id: r.try_get("id")?,
                date: r.try_get("date")?,
                kind: r.try_get("kind")?,
                text: r.try_get("text")?,
                who: r.try_get("who")?,
                stage_from: r.try_get("stage_from")?,
                stage_to: r.try_get("stage_to")?,
            },
        });
    }
    let rows = sqlx::query(
        "SELECT c.id, c.life, c.idea, c.stage, c.description, c.next_step, c.next_step_owner, c.notes,
                c.changed_hlc, s.name AS association_name, f.name AS foundation_name
         FROM cooperations c JOIN associations s ON s.id = c.association_id
         JOIN foundations f ON f.id = c.foundation_id
         WHERE c.life <> 'purged' ORDER BY c.id",
    )
    .fetch_all(store.pool())
    .await?;
    let mut cooperations = Vec::with_capacity(rows.len());
    for r in &rows {
        let mut texts = Vec::new();
        for col in COOPERATION_TEXT {
            if let Some(value) = r.try_get::<Option<String>, _>(*col)? {
                texts.push(NamedField {
                    field: col.to_string(),
                    value,
                });
            }
        }
        let changed_hlc: i64 = r.try_get("changed_hlc")?;
        let cooperation = MentionedCooperation {
            id: r.try_get("id")?,
            life: Life::parse(r.try_get("life")?),
            idea: r.try_get("idea")?,
            stage: r.try_get("stage")?,
            association_name: r.try_get("association_name")?,
            foundation_name: r.try_get("foundation_name")?,
            fields: Vec::new(),
            changed_at: rfc3339_from_hlc(changed_hlc),
        };
        cooperations.push((cooperation, changed_hlc, texts));
    }
    Ok(Texts {
        activities,
        cooperations,
    })
}

impl Texts {
    /// The activity entries whose text or author names the person.
    pub fn activities<'a>(&'a self, names: &'a Names) -> impl Iterator<Item = &'a MentionedActivity> + 'a {
        self.activities.iter().filter(move |a| {
            !names.is_empty()
                && [&a.activity.text, &a.activity.who]
                    .into_iter()
                    .flatten()
                    .any(|t| names.found_in(t))
        })
    }

    /// The cooperations whose text names the person, each with just the naming fields, and the
    /// stamp of the cooperation's last change.
    pub fn cooperations(&self, names: &Names) -> Vec<(MentionedCooperation, i64)> {
        if names.is_empty() {
            return Vec::new();
        }
        self.cooperations
            .iter()
            .filter_map(|(c, hlc, texts)| {
                let fields: Vec<NamedField> = texts.iter().filter(|t| names.found_in(&t.value)).cloned().collect();
                (!fields.is_empty()).then(|| (MentionedCooperation { fields, ..c.clone() }, *hlc))
            })
            .collect()
    }
}
