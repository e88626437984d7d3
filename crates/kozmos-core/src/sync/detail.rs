//! Every record a sync file would change, as its preview shows them: kept whole on the Rust side
//! (compact: names of tables and fields are static, values cut to `VALUE_CHARS`) and handed out a
//! page at a time, so that what crosses to the window stays small however large the file is.

use serde::Serialize;
use ts_rs::TS;

use crate::error::{Error, Result};
use crate::store::{rfc3339_from_hlc, Outcome, RowPlan, TableSpec};

/// Records on a page, and the most one request may ask for.
pub const PAGE_RECORDS: usize = 100;
/// A value (or a record's name) is shown with at most this many characters (a mission text can
/// have 4,000).
pub const VALUE_CHARS: usize = 300;

#[derive(Debug, Clone, Serialize, TS)]
pub struct ShownChange {
    pub field: String,
    pub before: String,
    pub after: String,
}

#[derive(Debug, Clone, Serialize, TS)]
pub struct ShownConflict {
    pub field: String,
    pub kept: String,
    pub lost: String,
    /// Site id of the installation whose write lost.
    pub lost_site: String,
    /// RFC 3339 time of the losing write.
    pub lost_at: String,
}

#[derive(Debug, Clone, Serialize, TS)]
pub struct PreviewRecord {
    pub table: String,
    pub id: String,
    pub label: String,
    pub outcome: Outcome,
    pub changes: Vec<ShownChange>,
    pub conflicts: Vec<ShownConflict>,
    /// A living record here with the same folded name (a possible duplicate to merge later).
    pub duplicate_of: Option<String>,
}

/// One page of the records a file would change.
#[derive(Debug, Clone, Serialize, TS)]
pub struct RecordPage {
    /// Position of the first record (0-based).
    pub offset: u64,
    /// Records asked for, after the cap (`PAGE_RECORDS`).
    pub limit: u64,
    /// Every record the file would change.
    pub total: u64,
    pub records: Vec<PreviewRecord>,
}

/// A record as kept between pages (about 100 bytes plus its texts).
#[derive(Debug)]
struct Kept {
    table: &'static str,
    outcome: Outcome,
    id: Box<str>,
    label: Box<str>,
    changes: Box<[KeptChange]>,
    conflicts: Box<[KeptConflict]>,
    duplicate_of: Option<Box<str>>,
}

/// Field, before, after.
type KeptChange = (&'static str, Box<str>, Box<str>);

#[derive(Debug)]
struct KeptConflict {
    field: &'static str,
    kept: Box<str>,
    lost: Box<str>,
    lost_site: Box<str>,
    lost_hlc: i64,
}

/// The records of one preview, in the order shown: conflicts and erasures first, then the rest,
/// each in file order.
#[derive(Debug, Default)]
pub struct Detail {
    urgent: Vec<Kept>,
    rest: Vec<Kept>,
}

impl Detail {
    /// Adds a planned row when it is shown (it changes something, or brings a conflict); `label`
    /// overrides its name (an erased person's name here), `duplicate_of` names a possible duplicate.
    pub fn add(&mut self, spec: &TableSpec, plan: &RowPlan, label: Option<&str>, duplicate_of: Option<&str>) {
        let urgent = plan.outcome == Outcome::Purged || !plan.conflicts.is_empty();
        if !urgent && plan.outcome == Outcome::Unchanged {
            return;
        }
        let text = |col: &str, value: &crate::store::Value| cut(&crate::store::display(spec, col, value));
        let kept = Kept {
            table: spec.name,
            outcome: plan.outcome,
            id: plan.id.as_str().into(),
            label: cut(label
                .map_or_else(|| crate::store::label(&plan.row), str::to_string)
                .as_str()),
            changes: plan
                .changes
                .iter()
                .map(|c| (c.col, text(c.col, &c.before), text(c.col, &c.after)))
                .collect(),
            conflicts: plan
                .conflicts
                .iter()
                .map(|c| KeptConflict {
                    field: c.col,
                    kept: text(c.col, &c.kept),
                    lost: text(c.col, &c.lost),
                    lost_site: (*c.lost_stamp.site).into(),
                    lost_hlc: c.lost_stamp.hlc,
                })
                .collect(),
            duplicate_of: duplicate_of.map(Into::into),
        };
        if urgent {
            self.urgent.push(kept);
        } else {
            self.rest.push(kept);
        }
    }

    /// Every record shown.
    pub fn len(&self) -> usize {
        self.urgent.len() + self.rest.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The records from `offset` (0-based), at most `limit` of them (capped at `PAGE_RECORDS`),
    /// with the total. An offset past the end gives an empty page; a negative offset or a limit
    /// below 1 is refused.
    pub fn page(&self, offset: i64, limit: i64) -> Result<RecordPage> {
        if offset < 0 {
            return Err(bad_page(
                "offset",
                format!("Die Seite muss bei Eintrag 0 oder später beginnen, nicht bei {offset}."),
                format!("A page must start at record 0 or later, not at {offset}."),
            ));
        }
        if limit < 1 {
            return Err(bad_page(
                "limit",
                format!("Eine Seite muss mindestens einen Eintrag umfassen, nicht {limit}."),
                format!("A page must hold at least one record, not {limit}."),
            ));
        }
        let limit = (limit as u64).min(PAGE_RECORDS as u64);
        let start = usize::try_from(offset).unwrap_or(usize::MAX).min(self.len());
        let end = start.saturating_add(limit as usize).min(self.len());
        let records = self.kept().skip(start).take(end - start).map(Kept::shown).collect();
        Ok(RecordPage {
            offset: offset as u64,
            limit,
            total: self.len() as u64,
            records,
        })
    }

    /// The first page (what the preview itself carries).
    pub fn first_page(&self) -> Vec<PreviewRecord> {
        self.records().take(PAGE_RECORDS).collect()
    }

    /// Every record, in the order shown.
    pub fn records(&self) -> impl Iterator<Item = PreviewRecord> + '_ {
        self.kept().map(Kept::shown)
    }

    /// Skipping through this is cheap: nothing is converted before it is taken.
    fn kept(&self) -> std::iter::Chain<std::slice::Iter<'_, Kept>, std::slice::Iter<'_, Kept>> {
        self.urgent.iter().chain(&self.rest)
    }
}

impl Kept {
    fn shown(&self) -> PreviewRecord {
        PreviewRecord {
            table: self.table.into(),
            id: self.id.to_string(),
            label: self.label.to_string(),
            outcome: self.outcome,
            changes: self
                .changes
                .iter()
                .map(|(field, before, after)| ShownChange {
                    field: (*field).into(),
                    before: before.to_string(),
                    after: after.to_string(),
                })
                .collect(),
            conflicts: self
                .conflicts
                .iter()
                .map(|c| ShownConflict {
                    field: c.field.into(),
                    kept: c.kept.to_string(),
                    lost: c.lost.to_string(),
                    lost_site: c.lost_site.to_string(),
                    lost_at: rfc3339_from_hlc(c.lost_hlc),
                })
                .collect(),
            duplicate_of: self.duplicate_of.as_deref().map(str::to_string),
        }
    }
}

/// A shown text cut to `VALUE_CHARS`, with "…" when it was longer.
fn cut(text: &str) -> Box<str> {
    match text.char_indices().nth(VALUE_CHARS) {
        Some((at, _)) => format!("{}…", &text[..at]).into(),
        None => text.into(),
    }
}

fn bad_page(field: &str, de: String, en: String) -> Error {
    Error::invalid(field, "sync_page_invalid", de, en)
}

/// The refusal of a page of a preview the app no longer keeps (another file was previewed since,
/// or this one was applied).
pub fn gone() -> Error {
    Error::invalid(
        "file",
        crate::error::UiCode::SyncPreviewGone.as_str(),
        "Die Vorschau dieser Datei liegt nicht mehr vor (inzwischen wurde eine andere Datei angesehen oder übernommen). Bitte sehen Sie sich die Vorschau erneut an.",
        "The preview of this file is no longer at hand (another file was previewed or applied since). Please look at the preview again.",
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn detail(n: usize) -> Detail {
        let kept = |i: usize| Kept {
            table: "associations",
            outcome: if i.is_multiple_of(7) {
                Outcome::Purged
            } else {
                Outcome::Changed
            },
            id: i.to_string().into(),
            label: format!("Verein {i}").into(),
            changes: Box::new([]),
            conflicts: Box::new([]),
            duplicate_of: None,
        };
        let mut d = Detail::default();
        for i in 0..n {
            let k = kept(i);
            if k.outcome == Outcome::Purged {
                d.urgent.push(k);
            } else {
                d.rest.push(k);
            }
        }
        d
    }

    #[test]
    fn pages_cover_every_record_once_urgent_first() {
        let d = detail(250);
        let mut seen = Vec::new();
        let mut offset = 0;
        loop {
            let page = d.page(offset, 100).unwrap();
            assert_eq!(page.total, 250);
            if page.records.is_empty() {
                break;
            }
            offset += page.records.len() as i64;
            seen.extend(page.records);
        }
        assert_eq!(seen.len(), 250);
        let first_rest = seen.iter().position(|r| r.outcome != Outcome::Purged).unwrap();
        assert!(seen[first_rest..].iter().all(|r| r.outcome != Outcome::Purged));
        let mut ids: Vec<usize> = seen.iter().map(|r| r.id.parse().unwrap()).collect();
        ids.sort_unstable();
        assert_eq!(ids, (0..250).collect::<Vec<_>>());
        assert_eq!(d.first_page().len(), PAGE_RECORDS);
    }

    #[test]
    fn bad_pages_are_answered_not_panicked() {
        let d = detail(5);
        assert_eq!(d.page(-1, 10).unwrap_err().code(), "sync_page_invalid");
        assert_eq!(d.page(i64::MIN, 10).unwrap_err().code(), "sync_page_invalid");
        assert_eq!(d.page(0, 0).unwrap_err().code(), "sync_page_invalid");
        assert_eq!(d.page(0, -5).unwrap_err().code(), "sync_page_invalid");
        let huge = d.page(0, i64::MAX).unwrap();
        assert_eq!((huge.limit, huge.records.len()), (PAGE_RECORDS as u64, 5));
        let past = d.page(i64::MAX, 10).unwrap();
        assert_eq!((past.total, past.records.len()), (5, 0));
        assert_eq!(Detail::default().page(0, 100).unwrap().total, 0);
    }

    #[test]
    fn long_texts_are_cut() {
        assert_eq!(&*cut("kurz"), "kurz");
        let long = "ä".repeat(VALUE_CHARS + 5);
        let shown = cut(&long);
        assert_eq!(shown.chars().count(), VALUE_CHARS + 1);
        assert!(shown.ends_with('…'));
    }
}
