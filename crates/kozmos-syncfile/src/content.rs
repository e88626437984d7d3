//! What a sync file says, checked before it touches a database. The container checks (`file.rs`)
//! prove that nobody damaged the file by accident; these prove that what it claims is possible:
//! no stamp beyond the header's newest or a sane bound, vectors within the file's newest stamp,
//! erasures only where KOZMOS erases, and every value one that a local write would have stored.

use std::collections::{BTreeMap, HashSet};

use crate::file::{quoted, row_error, Header, Notice, RowLine, LIFE};
use kozmos_model::error::{Error, FieldError, Result};
use kozmos_model::hlc;
use kozmos_model::record::{ColType, Fields, TableSpec, Value};

/// Validator problems that involve two fields (a district outside the state, a range the wrong
/// way round, a project ending before it starts). Merging two sides' edits field by field can
/// produce them honestly, so they never refuse a file; a single field's problem always does.
const CROSS_FIELD_CODES: &[&str] = &[
    "district_state_mismatch",
    "range_reversed",
    "area_incomplete",
    "deadlines_missing",
    "ends_before_start",
];

/// Checks the header's clock, vectors and site ids.
pub fn check_header(header: &Header) -> Result<()> {
    if !(0..=hlc::MAX_STAMP).contains(&header.newest_hlc) {
        return Err(header_error(
            "sync_clock_insane",
            "ihr Zeitstempel liegt außerhalb jedes möglichen Datums",
            "its time stamp lies outside any possible date",
        ));
    }
    let vectors = [
        Some(&header.vector),
        Some(&header.vector_shared),
        header.base.as_ref(),
        header.base_shared.as_ref(),
    ];
    for vector in vectors.into_iter().flatten() {
        check_vector(vector, header.newest_hlc)?;
    }
    let mut seen = HashSet::new();
    let sites_ok = header.sites.iter().all(|s| is_uuid(s) && seen.insert(s.as_str()));
    if !is_uuid(&header.origin_site) || !sites_ok {
        return Err(header_error(
            "sync_site_invalid",
            "eine Installationskennung ist ungültig",
            "an installation id is invalid",
        ));
    }
    Ok(())
}

/// Checks one notice of a person no longer shared: a person id, a stamp within the header's
/// newest and a known site, ids strictly increasing (no person twice), not more than allowed.
pub fn check_notice(header: &Header, previous: Option<&Notice>, notice: &Notice, too_many: bool) -> Result<()> {
    let Notice(id, hlc, site) = notice;
    if too_many {
        return Err(notice_error(
            "sync_notice_invalid",
            format!("es sind mehr als {}", crate::file::MAX_NOTICES),
            format!("there are more than {}", crate::file::MAX_NOTICES),
        ));
    }
    if !is_uuid(id) || previous.is_some_and(|p| p.0.as_str() >= id.as_str()) {
        let id = quoted(id);
        return Err(notice_error(
            "sync_notice_invalid",
            format!("die Personenkennung {id} ist ungültig oder doppelt"),
            format!("the person id {id} is invalid or repeated"),
        ));
    }
    if !(0..=header.newest_hlc).contains(hlc) || *site as usize >= header.sites.len() {
        return Err(notice_error(
            "sync_stamp_ahead",
            format!("der Zeitstempel zu {} liegt nach dem neuesten der Datei", quoted(id)),
            format!("the time stamp of {} lies after the file's newest", quoted(id)),
        ));
    }
    Ok(())
}

fn notice_error(code: &str, reason_de: String, reason_en: String) -> Error {
    Error::invalid(
        "file",
        code,
        format!("Die Sync-Datei wird nicht übernommen: bei den Hinweisen auf nicht mehr geteilte Personen {reason_de}. Sie wurde nicht so von KOZMOS geschrieben oder ist beschädigt; bitte lassen Sie sie neu exportieren."),
        format!("The sync file is not applied: among the notices of persons no longer shared, {reason_en}. It was not written like this by KOZMOS or is damaged; please ask for a new export."),
    )
}

fn check_vector(vector: &BTreeMap<String, i64>, newest: i64) -> Result<()> {
    if vector
        .iter()
        .any(|(site, h)| !is_uuid(site) || !(0..=newest).contains(h))
    {
        return Err(header_error(
            "sync_vector_ahead",
            "sie behauptet einen Stand, der neuer ist als ihr neuester Eintrag",
            "it claims a state newer than its newest entry",
        ));
    }
    Ok(())
}

/// Checks one row of a table: stamps within the header's newest (so that the clock check of the
/// header's newest covers every stamp the file could push the clock to), an erasure only where
/// KOZMOS erases, and every value through the record type's own validation (`today` bounds dates).
pub fn check_row(header: &Header, spec: &TableSpec, row: &RowLine, today: time::Date) -> Result<()> {
    let mut purged = false;
    // The row as the file carries it (every column ever written, or for a peer that has the row
    // only the fields it lacks), the others blank.
    let mut fields = spec.empty_row();
    let mut supplied = Vec::with_capacity(row.f.len());
    for field in &row.f {
        let (name, json, stamp) = (&field.0, &field.1, field.2);
        if stamp > header.newest_hlc {
            return Err(row_error(
                "sync_stamp_ahead",
                row,
                "Ein Eintrag trägt einen Zeitstempel, der neuer ist als der neueste der Datei",
                "An entry carries a time stamp newer than the file's newest",
            ));
        }
        if name == LIFE {
            purged = json.as_str() == Some("purged");
            continue;
        }
        // The container check made sure that the column exists and the value has its type.
        let Ok(column) = spec.column(name) else { continue };
        if let Some(value) = Value::from_json(column.ty, json) {
            fields.insert(column.name, value);
            supplied.push(column.name);
        }
    }
    if purged && !spec.erasable {
        return Err(row_error(
            "sync_purge_refused",
            row,
            "Die Datei will einen Eintrag endgültig löschen, den KOZMOS nie endgültig löscht (nur Kontaktpersonen werden aus Datenschutzgründen gelöscht)",
            "The file wants to erase an entry that KOZMOS never erases (only contact persons are erased, for privacy)",
        ));
    }
    check_values(spec, row, &fields, &supplied, purged, today)
}

/// Runs the record type's validation over the row as the file carries it (the columns it lacks
/// are blank) and refuses the row when a value it carries fails,
/// or is not what a local write would have stored (not trimmed, not NFC, a code in other case).
fn check_values(
    spec: &TableSpec,
    row: &RowLine,
    fields: &Fields,
    supplied: &[&'static str],
    purged: bool,
    today: time::Date,
) -> Result<()> {
    // Erased persons' personal fields are blank by design.
    let counts = |col: &str| supplied.contains(&col) && !(purged && spec.personal.contains(&col));
    // A reference must at least look like a row id (the database checks that the row exists).
    for col in supplied {
        let value = &fields[col];
        let is_reference = spec.parents.iter().any(|(c, _)| c == col) || *col == "merged_into";
        if is_reference && !matches!(value, Value::Null) && !matches!(value, Value::Text(s) if is_uuid(s)) {
            return Err(value_error(row, col, None));
        }
    }
    match (spec.validate)(fields, today) {
        Ok(canonical) => {
            for (col, stored) in &canonical {
                let given = &fields[col];
                if counts(col) && !is_blank(given) && given != stored && !same_list(spec, col, given, stored) {
                    return Err(value_error(row, col, None));
                }
            }
            Ok(())
        }
        Err(Error::Invalid(problems)) => {
            match problems
                .into_iter()
                .find(|p| counts(&p.field) && !CROSS_FIELD_CODES.contains(&p.code.as_str()))
            {
                Some(problem) => Err(value_error(row, &problem.field.clone(), Some(problem))),
                None => Ok(()),
            }
        }
        Err(e) => Err(e),
    }
}

fn is_blank(value: &Value) -> bool {
    match value {
        Value::Null => true,
        Value::Text(s) => s.is_empty() || s == "[]",
        _ => false,
    }
}

/// Two stored lists with the same entries (the JSON text may differ in spacing).
fn same_list(spec: &TableSpec, col: &str, a: &Value, b: &Value) -> bool {
    let list = |v: &Value| match v {
        Value::Text(s) => serde_json::from_str::<Vec<String>>(s).ok(),
        _ => None,
    };
    spec.column(col).is_ok_and(|c| c.ty == ColType::List) && list(a).is_some() && list(a) == list(b)
}

/// A UUID in its canonical text form: 36 characters, lowercase hex and four hyphens.
pub fn is_uuid(id: &str) -> bool {
    id.len() == 36
        && id.bytes().enumerate().all(|(i, b)| match i {
            8 | 13 | 18 | 23 => b == b'-',
            _ => matches!(b, b'0'..=b'9' | b'a'..=b'f'),
        })
}

fn header_error(code: &str, reason_de: &str, reason_en: &str) -> Error {
    Error::invalid(
        "file",
        code,
        format!("Die Sync-Datei wird nicht übernommen: {reason_de}. Sie wurde nicht so von KOZMOS geschrieben oder ist beschädigt; bitte lassen Sie sie neu exportieren."),
        format!("The sync file is not applied: {reason_en}. It was not written like this by KOZMOS or is damaged; please ask for a new export."),
    )
}

/// A value that a local write would not have stored, naming the record, the field and (when the
/// validator said) why.
fn value_error(row: &RowLine, col: &str, problem: Option<FieldError>) -> Error {
    let (why_de, why_en) = problem.map_or_else(
        || (String::new(), String::new()),
        |p| {
            (
                format!(" Grund: {}", p.message_de),
                format!(" Reason: {}", p.message_en),
            )
        },
    );
    let (field, table, id) = (quoted(col), quoted(&row.t), quoted(&row.id));
    Error::invalid(
        "file",
        "sync_value_invalid",
        format!("Die Sync-Datei enthält im Feld „{field}“ eines Eintrags (Tabelle „{table}“, Eintrag {id}) einen Wert, den KOZMOS so nie speichert.{why_de} Es wurde nichts übernommen; bitte lassen Sie die Datei neu exportieren."),
        format!("The sync file holds a value in the field \"{field}\" of an entry (table \"{table}\", entry {id}) that KOZMOS never stores like this.{why_en} Nothing was applied; please ask for a new export."),
    )
}
