//! Which column goes to which field: proposed from the header names (field labels in German and
//! English, the field names, and common synonyms, all folded), editable, and saved per file shape
//! (kind + folded header row) so the next file of that shape gets the same mapping.

use sqlx::SqlitePool;

use super::kind::{ImportKind, ID, ORGANISATION, ORGANISATION_ID};
use crate::error::{Error, Result};
use crate::text::fold;

/// Per column of the file: the target field, or None when the column is ignored.
pub type Mapping = Vec<Option<String>>;

/// Header names people use for a target besides its labels (folded when compared).
fn synonyms(kind: ImportKind, target: &str) -> &'static [&'static str] {
    match (kind, target) {
        (_, ID) => &["Kennung", "UUID", "KOZMOS-ID"],
        (ImportKind::Associations, "name") => &[
            "Name des Vereins",
            "Verein",
            "Vereinsname",
            "Organisation",
            "Association",
        ],
        (ImportKind::Foundations, "name") => &["Name der Stiftung", "Stiftung", "Stiftungsname", "Foundation"],
        (ImportKind::Persons, "name") => &[
            "Name der Person",
            "Ansprechpartner",
            "Ansprechperson",
            "Kontaktperson",
            "Person",
            "Contact",
        ],
        (ImportKind::Persons, ORGANISATION) => &[
            "Organisation",
            "Verein",
            "Stiftung",
            "Verein / Stiftung",
            "Organization",
            "Association",
            "Foundation",
        ],
        (ImportKind::Persons, ORGANISATION_ID) => &["Organisations-ID", "Verein ID", "Stiftung ID"],
        (_, "name_original") => &["Originalschrift", "Name (Originalschrift)", "Original name"],
        (_, "short_name") => &["Kürzel", "Abkürzung", "Abbreviation"],
        (_, "city") => &["Ort", "Stadt", "Sitz", "Town", "Wohnort"],
        (_, "postcode") => &["Postleitzahl", "PLZ", "ZIP", "Post code", "Zip code"],
        (_, "address") => &["Adresse", "Straße", "Strasse", "Straße und Hausnummer", "Street"],
        (_, "email") => &[
            "Mail",
            "E-Mail",
            "Email",
            "E-Mail-Adresse",
            "Mailadresse",
            "Email address",
        ],
        (_, "phone") => &[
            "Telefon",
            "Tel",
            "Tel.",
            "Telefonnummer",
            "Phone number",
            "Telephone",
            "Mobil",
        ],
        (_, "website") => &[
            "Website",
            "Homepage",
            "Webseite",
            "Internet",
            "Internetseite",
            "URL",
            "Web",
        ],
        (_, "themes") => &["Themen", "Themenfelder", "Arbeitsfelder", "Topics", "Fields"],
        (_, "district") => &["Landkreis", "Kreis", "Landkreis/Stadt"],
        (_, "state") => &["Bundesland", "Land", "State"],
        (_, "languages") => &["Sprachen", "Sprache", "Language"],
        (_, "target_groups") => &["Zielgruppe", "Target group"],
        (_, "notes") => &[
            "Notizen",
            "Bemerkungen",
            "Bemerkung",
            "Kommentar",
            "Anmerkungen",
            "Comments",
            "Remarks",
        ],
        (_, "role") => &["Funktion", "Rolle", "Position", "Amt"],
        (_, "founded_year") => &["Gegründet", "Gründung", "Founded"],
        (_, "members") => &["Mitgliederzahl", "Anzahl Mitglieder"],
        (_, "communities") => &["Herkunftsländer", "Communities", "Community"],
        _ => &[],
    }
}

/// The proposal for these headers: the saved mapping for this shape if there is one, else by name.
pub async fn propose(pool: &SqlitePool, kind: ImportKind, headers: &[String]) -> Result<(Mapping, bool)> {
    if let Some(saved) = load(pool, kind, headers).await? {
        return Ok((saved, true));
    }
    Ok((by_names(kind, headers), false))
}

/// Each header to the first target whose label, name or synonym it equals (folded), each target once.
pub fn by_names(kind: ImportKind, headers: &[String]) -> Mapping {
    let mut taken: Vec<&str> = Vec::new();
    headers
        .iter()
        .map(|header| {
            let key = fold(header);
            let found = kind.targets().into_iter().find(|target| {
                if taken.contains(target) || key.is_empty() {
                    return false;
                }
                let (de, en) = kind.target_label(target);
                [de, en, target]
                    .into_iter()
                    .chain(synonyms(kind, target).iter().copied())
                    .any(|name| fold(name) == key)
            });
            found.map(|target| {
                taken.push(target);
                target.to_string()
            })
        })
        .collect()
}

/// The key of a file's shape: its kind and folded header row.
pub fn shape(kind: ImportKind, headers: &[String]) -> String {
    let folded: Vec<String> = headers.iter().map(|h| fold(h)).collect();
    format!("{}\u{1f}{}", kind.code(), folded.join("\u{1e}"))
}

/// Refuses targets that do not exist for the kind, targets used twice, a wrong length.
pub fn check(kind: ImportKind, headers: &[String], mapping: &Mapping) -> Result<()> {
    if mapping.len() != headers.len() {
        return Err(Error::invalid(
            "mapping",
            "mapping_length",
            format!(
                "Die Zuordnung nennt {} Spalten, die Datei hat {}.",
                mapping.len(),
                headers.len()
            ),
            format!(
                "The mapping names {} columns, the file has {}.",
                mapping.len(),
                headers.len()
            ),
        ));
    }
    let targets = kind.targets();
    let mut seen: Vec<&str> = Vec::new();
    for target in mapping.iter().flatten() {
        if !targets.contains(&target.as_str()) {
            let shown: String = target.chars().take(40).collect();
            return Err(Error::invalid(
                "mapping",
                "mapping_unknown_field",
                format!("„{shown}“ ist kein Feld für diesen Import."),
                format!("\"{shown}\" is not a field of this import."),
            ));
        }
        if seen.contains(&target.as_str()) {
            let (de, en) = kind.target_label(target);
            return Err(Error::invalid(
                "mapping",
                "mapping_field_twice",
                format!("Das Feld „{de}“ ist mehreren Spalten zugeordnet."),
                format!("The field \"{en}\" is mapped to several columns."),
            ));
        }
        seen.push(target);
    }
    if !seen.contains(&"name") && !seen.contains(&ID) {
        return Err(Error::invalid(
            "mapping",
            "mapping_no_name",
            "Bitte eine Spalte dem Feld „Name“ zuordnen.",
            "Please map a column to the field \"Name\".",
        ));
    }
    Ok(())
}

/// Applies `col=field,...` (col: header text or 1-based number; field "-" ignores it) on a mapping.
pub fn apply_spec(headers: &[String], mapping: &mut Mapping, spec: &str) -> Result<()> {
    for part in spec.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        let bad = || {
            Error::invalid(
                "mapping",
                "mapping_spec_invalid",
                format!("„{part}“: bitte als Spalte=Feld angeben (Feld „-“ überspringt die Spalte)."),
                format!("\"{part}\": please give it as column=field (field \"-\" skips the column)."),
            )
        };
        let (column, field) = part.rsplit_once('=').ok_or_else(bad)?;
        let (column, field) = (column.trim(), field.trim());
        let index = match column.parse::<usize>() {
            Ok(n) if (1..=headers.len()).contains(&n) => n - 1,
            _ => headers.iter().position(|h| fold(h) == fold(column)).ok_or_else(bad)?,
        };
        mapping[index] = (field != "-" && !field.is_empty()).then(|| field.to_string());
    }
    Ok(())
}

async fn load(pool: &SqlitePool, kind: ImportKind, headers: &[String]) -> Result<Option<Mapping>> {
    let json: Option<String> = sqlx::query_scalar("SELECT mapping FROM import_mappings WHERE shape = ?")
        .bind(shape(kind, headers))
        .fetch_optional(pool)
        .await?;
    Ok(json
        .and_then(|j| serde_json::from_str::<Mapping>(&j).ok())
        .filter(|m| check(kind, headers, m).is_ok()))
}

/// Saves the mapping for this shape (local table, not synced).
pub async fn save(pool: &SqlitePool, kind: ImportKind, headers: &[String], mapping: &Mapping) -> Result<()> {
    let json = serde_json::to_string(mapping).map_err(|e| Error::Database(e.to_string()))?;
    sqlx::query(
        "INSERT INTO import_mappings (shape, kind, mapping, saved_at) VALUES (?, ?, ?, datetime('now'))
         ON CONFLICT (shape) DO UPDATE SET mapping = excluded.mapping, saved_at = excluded.saved_at",
    )
    .bind(shape(kind, headers))
    .bind(kind.code())
    .bind(json)
    .execute(pool)
    .await?;
    Ok(())
}
