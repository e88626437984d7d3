//! Typed errors: a stable code, the field concerned, and a German and English message.

use serde::Serialize;
use ts_rs::TS;

/// The user's language for messages and labels.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize, TS, Default)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    #[default]
    De,
    En,
}

impl Lang {
    /// Reads a language tag such as "de_DE.UTF-8" or "en"; German unless it names another language.
    pub fn from_tag(tag: &str) -> Lang {
        let tag = tag.trim().to_ascii_lowercase();
        if tag.is_empty() || tag == "c" || tag == "posix" || tag.starts_with("c.") || tag.starts_with("de") {
            Lang::De
        } else {
            Lang::En
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Lang::De => "de",
            Lang::En => "en",
        }
    }

    /// The German or the English of two texts.
    pub fn pick<'a>(self, de: &'a str, en: &'a str) -> &'a str {
        match self {
            Lang::De => de,
            Lang::En => en,
        }
    }
}

/// One problem with one field of user input.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct FieldError {
    /// Stable machine-readable code, e.g. "email_invalid".
    pub code: String,
    /// The field concerned, in snake_case as in the record types.
    pub field: String,
    pub message_de: String,
    pub message_en: String,
}

impl FieldError {
    pub fn new(field: &str, code: &str, de: impl Into<String>, en: impl Into<String>) -> Self {
        FieldError {
            code: code.into(),
            field: field.into(),
            message_de: de.into(),
            message_en: en.into(),
        }
    }

    pub fn message(&self, lang: Lang) -> &str {
        match lang {
            Lang::De => &self.message_de,
            Lang::En => &self.message_en,
        }
    }
}

/// Every error the core can return.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Error {
    /// User input failed validation; one entry per field problem.
    Invalid(Vec<FieldError>),
    /// A record with this id does not exist (or is deleted where that matters).
    NotFound { entity: &'static str, id: String },
    /// The installation has not been set up yet (network, volunteer).
    NotSetUp,
    /// The database file cannot be opened or is not a KOZMOS database.
    DatabaseOpen { path: String, detail: String },
    /// The database was written by a newer KOZMOS.
    DatabaseTooNew { path: String },
    /// Any other database failure.
    Database(String),
    /// File system failure outside the database.
    Io(String),
    /// The file cannot be replaced: another program holds it open (Windows: a PDF open in a viewer).
    FileInUse { path: String },
    /// The database file cannot be replaced: another program (a second KOZMOS) has it open.
    DatabaseInUse { path: String },
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Both results, or every field problem of both (a non-field error of either wins).
pub fn both<A, B>(a: Result<A>, b: Result<B>) -> Result<(A, B)> {
    match (a, b) {
        (Ok(a), Ok(b)) => Ok((a, b)),
        (Err(Error::Invalid(mut first)), Err(Error::Invalid(second))) => {
            first.extend(second);
            Err(Error::Invalid(first))
        }
        (Err(e), _) | (_, Err(e)) => Err(e),
    }
}

/// The error and warning codes the UI acts on (beyond showing the message), spelled once: the UI
/// takes them from the generated `UiCode` type, so a renamed code fails its type check.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum UiCode {
    /// The sync file's preview is no longer kept (another preview or an import came first).
    SyncPreviewGone,
    /// The sync file is encrypted and needs its passphrase.
    SyncPassphraseNeeded,
    /// The organisation still has cooperations; deleting it can take them along.
    HasCooperations,
    /// A sheet's network has no KOZMOS contact yet (a warning, not an error).
    KozmosContactMissing,
    /// The last sync import cannot be undone: a record it touched was changed since.
    ChangedSinceImport,
}

impl UiCode {
    pub const ALL: [UiCode; 5] = [
        UiCode::SyncPreviewGone,
        UiCode::SyncPassphraseNeeded,
        UiCode::HasCooperations,
        UiCode::KozmosContactMissing,
        UiCode::ChangedSinceImport,
    ];

    pub const fn as_str(self) -> &'static str {
        match self {
            UiCode::SyncPreviewGone => "sync_preview_gone",
            UiCode::SyncPassphraseNeeded => "sync_passphrase_needed",
            UiCode::HasCooperations => "has_cooperations",
            UiCode::KozmosContactMissing => "kozmos_contact_missing",
            UiCode::ChangedSinceImport => "changed_since_import",
        }
    }
}

impl Error {
    pub fn invalid(field: &str, code: &str, de: impl Into<String>, en: impl Into<String>) -> Error {
        Error::Invalid(vec![FieldError::new(field, code, de, en)])
    }

    /// A record of this kind with this id does not exist (the id is shortened for the message).
    pub fn not_found(entity: &'static str, id: &str) -> Error {
        Error::NotFound {
            entity,
            id: id.chars().take(64).collect(),
        }
    }

    /// A restore is replacing the database: whatever asked should wait a moment and try again.
    pub fn restore_in_progress() -> Error {
        Error::invalid(
            "database",
            "restore_in_progress",
            "Bitte warten: Eine Sicherung wird gerade wiederhergestellt. Versuchen Sie es gleich noch einmal.",
            "Please wait: a backup is being restored. Try again in a moment.",
        )
    }

    /// The stable code of this error.
    pub fn code(&self) -> &str {
        match self {
            Error::Invalid(errors) if errors.len() == 1 => &errors[0].code,
            Error::Invalid(_) => "invalid",
            Error::NotFound { .. } => "not_found",
            Error::NotSetUp => "not_set_up",
            Error::DatabaseOpen { .. } => "database_open",
            Error::DatabaseTooNew { .. } => "database_too_new",
            Error::Database(_) => "database",
            Error::Io(_) => "io",
            Error::FileInUse { .. } => "file_in_use",
            Error::DatabaseInUse { .. } => "database_in_use",
        }
    }

    /// The field concerned, when exactly one is.
    pub fn field(&self) -> Option<&str> {
        match self {
            Error::Invalid(errors) if errors.len() == 1 => Some(&errors[0].field),
            Error::FileInUse { .. } | Error::DatabaseInUse { .. } => Some("path"),
            _ => None,
        }
    }

    pub fn field_errors(&self) -> &[FieldError] {
        match self {
            Error::Invalid(errors) => errors,
            _ => &[],
        }
    }

    pub fn message(&self, lang: Lang) -> String {
        let (de, en) = self.messages();
        match lang {
            Lang::De => de,
            Lang::En => en,
        }
    }

    fn messages(&self) -> (String, String) {
        match self {
            Error::Invalid(errors) if errors.len() == 1 => (errors[0].message_de.clone(), errors[0].message_en.clone()),
            Error::Invalid(errors) => {
                let join = |lang| errors.iter().map(|e| e.message(lang)).collect::<Vec<_>>().join("; ");
                (
                    format!("{} Eingaben sind ungültig: {}", errors.len(), join(Lang::De)),
                    format!("{} entries are invalid: {}", errors.len(), join(Lang::En)),
                )
            }
            Error::NotFound { entity, id } => {
                let (de, en) = match *entity {
                    "association" => ("Verein", "Association"),
                    "foundation" => ("Stiftung", "Foundation"),
                    "person" => ("Person", "Person"),
                    "cooperation" => ("Kooperation", "Cooperation"),
                    "project" => ("Projekt", "Project"),
                    "idea" => ("Projektidee", "Project idea"),
                    other => (other, other),
                };
                (
                    format!("{de} {id} wurde nicht gefunden."),
                    format!("{en} {id} was not found."),
                )
            }
            Error::NotSetUp => (
                "Diese Installation ist noch nicht eingerichtet (Netzwerk und Name fehlen).".into(),
                "This installation is not set up yet (network and name are missing).".into(),
            ),
            Error::DatabaseOpen { path, detail } => (
                format!("Die Datenbank {path} lässt sich nicht öffnen: {detail}"),
                format!("The database {path} cannot be opened: {detail}"),
            ),
            Error::DatabaseTooNew { path } => (
                format!(
                    "Die Datenbank {path} stammt von einer neueren KOZMOS-Version. Bitte aktualisieren Sie KOZMOS."
                ),
                format!("The database {path} was written by a newer KOZMOS. Please update KOZMOS."),
            ),
            Error::Database(detail) => (
                format!("Datenbankfehler: {detail}"),
                format!("Database error: {detail}"),
            ),
            Error::Io(detail) => (format!("Dateifehler: {detail}"), format!("File error: {detail}")),
            Error::FileInUse { path } => (
                format!(
                    "Die Datei {path} ist in einem anderen Programm geöffnet. Bitte schließen Sie sie und versuchen Sie es erneut."
                ),
                format!("The file {path} is open in another program. Please close it and try again."),
            ),
            Error::DatabaseInUse { path } => (
                format!(
                    "Die Datenbank {path} ist noch in einem anderen Programm geöffnet (etwa in einem zweiten KOZMOS-Fenster oder der Kommandozeile). Bitte schließen Sie es und versuchen Sie es erneut. Es wurde nichts geändert."
                ),
                format!(
                    "The database {path} is still open in another program (such as a second KOZMOS window or the command line). Please close it and try again. Nothing was changed."
                ),
            ),
        }
    }

    /// The form that crosses the IPC boundary and the CLI's `--json` error output.
    pub fn payload(&self) -> ErrorPayload {
        let (message_de, message_en) = self.messages();
        ErrorPayload {
            code: self.code().to_string(),
            field: self.field().map(str::to_string),
            message_de,
            message_en,
            fields: self.field_errors().to_vec(),
        }
    }
}

impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message(Lang::En))
    }
}

impl std::error::Error for Error {}

#[cfg(feature = "sqlx")]
impl From<sqlx::Error> for Error {
    fn from(e: sqlx::Error) -> Self {
        // The pool is closed only while a restore swaps the database (or the app ends).
        if matches!(e, sqlx::Error::PoolClosed) {
            return Error::restore_in_progress();
        }
        let code = e
            .as_database_error()
            .and_then(|d| d.code())
            .and_then(|c| c.parse().ok());
        Error::from_sqlite(code, e.to_string())
    }
}

impl Error {
    /// A failure SQLite reported with `code` (its result code; the primary one is its low byte):
    /// a full disk and a read-only database are told plainly, anything else keeps SQLite's message.
    pub fn from_sqlite(code: Option<i32>, message: String) -> Error {
        match code.map(|c| c & 0xff) {
            Some(13) => Error::invalid(
                "database",
                "disk_full",
                "Der Datenträger ist voll. Es wurde nichts geändert; bitte schaffen Sie Platz und versuchen Sie es erneut.",
                "The disk is full. Nothing was changed; please free some space and try again.",
            ),
            Some(8) => Error::invalid(
                "database",
                "database_read_only",
                "Die Datenbank ist schreibgeschützt (Rechte oder Datenträger). Es wurde nichts geändert.",
                "The database is read-only (permissions or drive). Nothing was changed.",
            ),
            _ => Error::Database(message),
        }
    }
}

impl From<std::io::Error> for Error {
    fn from(e: std::io::Error) -> Self {
        Error::Io(e.to_string())
    }
}

/// An error as the UI and `--json` consumers see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct ErrorPayload {
    pub code: String,
    pub field: Option<String>,
    pub message_de: String,
    pub message_en: String,
    /// Every field problem, for showing each next to its field.
    pub fields: Vec<FieldError>,
}

impl Serialize for Error {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> std::result::Result<S::Ok, S::Error> {
        self.payload().serialize(serializer)
    }
}

#[cfg(test)]
mod tests {
    use super::UiCode;

    /// The code a Rust error carries is the one the UI's generated type names.
    #[test]
    fn ui_codes_are_spelled_as_the_ui_receives_them() {
        for code in UiCode::ALL {
            assert_eq!(serde_json::to_value(code).unwrap(), code.as_str());
        }
    }
}
