//! The sync file container: a header line, one JSON line per row, then one per notice of a person
//! no longer shared (`Notice`), a trailer line with counts and a SHA-256 over all earlier lines;
//! compressed with zstd (one frame); optionally encrypted with `age` and a passphrase, so that the
//! standard `age -d` opens it. No database access here: `verify` checks a whole file before
//! anything touches a database.

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::sync::Arc;

use age::secrecy::SecretString;
use base64::Engine;
use serde::{Deserialize, Serialize};
use serde_json::Value as Json;
use sha2::{Digest, Sha256};

use crate::content::{self, is_uuid};
use kozmos_model::error::{Error, Result};
use kozmos_model::record::{ColType, TableSpec};

pub const MAGIC: &str = "KOZMOS-SYNC";
/// 2: notices of persons the sender no longer shares (`Notice`) after the rows.
pub const FORMAT_VERSION: u32 = 2;
/// The database schema version this build reads and writes (the number of migrations).
pub const SCHEMA_VERSION: u32 = 12;

/// The largest sync file accepted, as it lies on disk: a full export of a large register with a
/// logo for every association stays far below it.
pub const MAX_FILE_BYTES: u64 = 256 << 20;

/// Reads a sync file from disk within `MAX_FILE_BYTES`; FIFOs, devices and folders are refused.
pub fn read(path: &std::path::Path) -> Result<Vec<u8>> {
    kozmos_model::files::read_bounded(path, MAX_FILE_BYTES)
}

/// The column name of a row's life register.
pub(crate) const LIFE: &str = "_life";
const LIVES: [&str; 3] = ["alive", "deleted", "purged"];
const ZSTD_LEVEL: i32 = 3;
const ZSTD_MAGIC: &[u8] = &[0x28, 0xB5, 0x2F, 0xFD];
const AGE_MAGIC: &[u8] = b"age-encryption.org/v1\n";
const TRAILER_START: &[u8] = b"{\"trailer\":";
const NOTICE_START: &[u8] = b"{\"withheld\":";
/// At most this many notices in one file (each is a person the sender's network knows).
pub const MAX_NOTICES: usize = 200_000;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Header {
    /// Must equal `MAGIC`.
    pub magic: String,
    /// `FORMAT_VERSION` of the writer.
    pub format: u32,
    /// Database schema version of the writer.
    pub schema: u32,
    pub app_version: String,
    pub export_id: String,
    pub origin_site: String,
    pub origin_network: Option<String>,
    /// RFC 3339 time of the newest stamp.
    pub state_at: String,
    pub newest_hlc: i64,
    /// The sender's version vector: site id -> newest stamp integrated.
    pub vector: BTreeMap<String, i64>,
    /// None = full file; Some = incremental over this vector.
    pub base: Option<BTreeMap<String, i64>>,
    /// The sender's vector over every table but persons and consents (privacy-filtered files
    /// carry those tables whole, so they can advance this one).
    #[serde(default)]
    pub vector_shared: BTreeMap<String, i64>,
    /// The base of an incremental file for the tables `vector_shared` covers.
    #[serde(default)]
    pub base_shared: Option<BTreeMap<String, i64>>,
    /// "no-persons" | "consented" | "all" (not validated here).
    pub profile: String,
    /// Human-readable list of what the profile left out.
    pub left_out: Vec<String>,
    /// Site ids referenced by field stamps; a field's site is an index into this.
    pub sites: Vec<String>,
}

/// One row of a synced table: table name, row id (UUID text), and fields with stamps, sorted by column name.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RowLine {
    pub t: String,
    pub id: String,
    pub f: Vec<FieldLine>,
}

/// One field: column name ("_life" is the row's life register), value, hlc, site index into Header.sites.
/// Serialised as a JSON array: ["name", "Verein X", 123456789, 0]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FieldLine(
    #[serde(deserialize_with = "column_name")] pub ColumnName,
    pub Json,
    pub i64,
    pub u32,
);

/// A field's column name: a known column's own name (read without an allocation for each of a
/// file's millions of fields), or the text as the file wrote it (which the checks refuse).
pub type ColumnName = std::borrow::Cow<'static, str>;

fn column_name<'de, D: serde::Deserializer<'de>>(deserializer: D) -> std::result::Result<ColumnName, D::Error> {
    struct Name;
    impl serde::de::Visitor<'_> for Name {
        type Value = ColumnName;

        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("a column name")
        }

        fn visit_str<E: serde::de::Error>(self, name: &str) -> std::result::Result<ColumnName, E> {
            Ok(KNOWN_NAMES.get(name).map_or_else(
                || ColumnName::Owned(name.to_owned()),
                |known| ColumnName::Borrowed(known),
            ))
        }
    }
    deserializer.deserialize_str(Name)
}

/// Every column name of the synced tables, and the life register's.
static KNOWN_NAMES: std::sync::LazyLock<std::collections::HashSet<&'static str>> = std::sync::LazyLock::new(|| {
    let columns = kozmos_model::tables::TABLES
        .iter()
        .flat_map(|t| t.columns.iter().map(|c| c.name));
    columns.chain([LIFE]).collect()
});

/// A person the sender's network no longer shares (a withdrawn "share" or "store" consent, see
/// `person::share_decision`): person id, the deciding stamp's hlc and site index into Header.sites.
/// No personal data. Serialised as {"withheld":["<uuid>",123456789,0]}, after every row, by id.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Notice(pub String, pub i64, pub u32);

#[derive(Serialize, Deserialize)]
struct NoticeLine {
    withheld: Notice,
}

/// The last line. Serialised as {"trailer":{"rows":N,"fields":M,"sha256":"<64 lowercase hex>"}}
/// sha256 is over the bytes of every earlier line including their "\n" (header included).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Trailer {
    pub rows: u64,
    pub fields: u64,
    pub sha256: String,
    /// Notices (absent when there are none).
    #[serde(default, skip_serializing_if = "is_zero")]
    pub withheld: u64,
}

fn is_zero(n: &u64) -> bool {
    *n == 0
}

#[derive(Serialize, Deserialize)]
struct TrailerLine {
    trailer: Trailer,
}

/// scrypt's log2(N) for every file KOZMOS encrypts: 64 MB and well under a second on a volunteer's
/// laptop, and the same on every computer (age would otherwise calibrate it to the fastest one).
pub const EXPORT_WORK_FACTOR: u8 = 16;
/// The highest log2(N) accepted in an incoming file (256 MB, about a second; what age itself picks
/// on a typical laptop). A higher one is refused before scrypt runs: each step doubles the memory
/// and time a hostile file could make KOZMOS spend.
pub const MAX_WORK_FACTOR: u8 = 18;

/// The passphrase to encrypt with. `work_factor` overrides `EXPORT_WORK_FACTOR` (tests use Some(10));
/// it is kept within 1..=`MAX_WORK_FACTOR`, so that KOZMOS always opens what it wrote.
#[derive(Clone)]
pub struct Passphrase {
    pub secret: String,
    pub work_factor: Option<u8>,
}

// ---------------------------------------------------------------------------------------------
// Writing

/// Writes a sync file line by line into a zstd stream; only the compressed bytes are kept.
pub struct SyncWriter {
    encoder: zstd::stream::write::Encoder<'static, Vec<u8>>,
    hasher: Sha256,
    line: Vec<u8>,
    rows: u64,
    fields: u64,
    notices: u64,
}

impl SyncWriter {
    pub fn new(header: &Header) -> Result<SyncWriter> {
        let mut encoder = zstd::stream::write::Encoder::new(Vec::new(), ZSTD_LEVEL)?;
        encoder.include_checksum(true)?;
        let mut writer = SyncWriter {
            encoder,
            hasher: Sha256::new(),
            line: Vec::new(),
            rows: 0,
            fields: 0,
            notices: 0,
        };
        writer.write_line(header, true)?;
        Ok(writer)
    }

    pub fn row(&mut self, row: &RowLine) -> Result<()> {
        self.rows += 1;
        self.fields += row.f.len() as u64;
        self.write_line(row, true)
    }

    /// Writes a notice; notices follow every row, in id order.
    pub fn notice(&mut self, notice: &Notice) -> Result<()> {
        self.notices += 1;
        let line = NoticeLine {
            withheld: notice.clone(),
        };
        self.write_line(&line, true)
    }

    /// Writes the trailer, finishes zstd, then encrypts with age when a passphrase is given.
    pub fn finish(mut self, passphrase: Option<&Passphrase>) -> Result<Vec<u8>> {
        let trailer = TrailerLine {
            trailer: Trailer {
                rows: self.rows,
                fields: self.fields,
                sha256: hex(&std::mem::take(&mut self.hasher).finalize()),
                withheld: self.notices,
            },
        };
        self.write_line(&trailer, false)?;
        let compressed = self.encoder.finish()?;
        match passphrase {
            None => Ok(compressed),
            Some(passphrase) => encrypt(&compressed, passphrase),
        }
    }

    fn write_line(&mut self, value: &impl Serialize, hashed: bool) -> Result<()> {
        self.line.clear();
        serde_json::to_writer(&mut self.line, value).map_err(|e| Error::Io(e.to_string()))?;
        self.line.push(b'\n');
        if hashed {
            self.hasher.update(&self.line);
        }
        self.encoder.write_all(&self.line)?;
        Ok(())
    }
}

pub fn encrypt(plain: &[u8], passphrase: &Passphrase) -> Result<Vec<u8>> {
    let mut recipient = age::scrypt::Recipient::new(SecretString::from(passphrase.secret.clone()));
    recipient.set_work_factor(
        passphrase
            .work_factor
            .unwrap_or(EXPORT_WORK_FACTOR)
            .clamp(1, MAX_WORK_FACTOR),
    );
    let encryptor = age::Encryptor::with_recipients(std::iter::once(&recipient as &dyn age::Recipient))
        .map_err(|e| Error::Io(e.to_string()))?;
    let mut out = Vec::with_capacity(plain.len() + plain.len() / 4096 + 512);
    let mut stream = encryptor.wrap_output(&mut out)?;
    stream.write_all(plain)?;
    stream.finish()?;
    Ok(out)
}

// ---------------------------------------------------------------------------------------------
// Reading

/// A file that passed every check; its rows can be read again with `rows()`.
pub struct Verified {
    pub header: Header,
    pub rows: u64,
    pub fields: u64,
    /// Hex SHA-256 of the raw file bytes as given.
    pub file_sha256: String,
    /// Whether the file was encrypted with a passphrase.
    pub encrypted: bool,
    /// Persons the sender's network no longer shares (checked: ids, stamps, sites, order).
    pub withheld: Vec<Notice>,
    /// The zstd stream (decrypted when the file was encrypted), shared with the row iterators.
    compressed: Arc<[u8]>,
    /// Set once every row passed the content check.
    content: std::sync::OnceLock<()>,
}

impl std::fmt::Debug for Verified {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Verified")
            .field("header", &self.header)
            .field("rows", &self.rows)
            .field("fields", &self.fields)
            .field("file_sha256", &self.file_sha256)
            .finish_non_exhaustive()
    }
}

impl Verified {
    /// Iterates the row lines again (second streaming pass over the kept compressed bytes; rows were
    /// already checked). The iterator holds the bytes itself, so it can be moved to another thread.
    pub fn rows(&self) -> impl Iterator<Item = Result<RowLine>> + Send + 'static {
        let stream = std::io::Cursor::new(Arc::clone(&self.compressed));
        let lines = Lines::new(stream, LIMITS).and_then(|mut lines| {
            lines.next()?; // the header
            Ok(lines)
        });
        match lines {
            Ok(lines) => Rows {
                lines: Some(lines),
                error: None,
            },
            Err(e) => Rows {
                lines: None,
                error: Some(e),
            },
        }
    }

    /// Checks what the file says (`content`: stamps, lives, values) in one pass over its rows,
    /// once per file. Preview and apply check it chunk by chunk as they plan (`check_rows`), on
    /// rows they have read anyway, and skip it for a file imported before (checked then).
    pub fn check_content(&self) -> Result<()> {
        if self.content_checked() {
            return Ok(());
        }
        let mut batch: Vec<RowLine> = Vec::new();
        let mut bytes = 0;
        for row in self.rows() {
            let row = row?;
            let same_table = batch.first().is_none_or(|first| first.t == row.t);
            if !same_table || batch.len() >= BATCH_LINES || bytes >= BATCH_BYTES {
                self.check_batch(&batch)?;
                batch.clear();
                bytes = 0;
            }
            bytes += row
                .f
                .iter()
                .map(|f| f.0.len() + f.1.as_str().map_or(8, str::len))
                .sum::<usize>();
            batch.push(row);
        }
        self.check_batch(&batch)?;
        self.mark_content_checked();
        Ok(())
    }

    fn check_batch(&self, rows: &[RowLine]) -> Result<()> {
        match rows.first() {
            Some(first) => check_rows(
                &self.header,
                kozmos_model::tables::table(&first.t).ok_or_else(|| unknown_table(&first.t))?,
                rows,
            ),
            None => Ok(()),
        }
    }

    /// Whether every row passed `check_rows`.
    pub fn content_checked(&self) -> bool {
        self.content.get().is_some()
    }

    pub fn mark_content_checked(&self) {
        let _ = self.content.set(());
    }

    pub fn is_full(&self) -> bool {
        self.header.base.is_none()
    }
}

/// Whether the file is age-encrypted.
pub fn is_encrypted(bytes: &[u8]) -> bool {
    bytes.starts_with(AGE_MAGIC)
}

pub fn sha256_hex(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// How much a file may unpack to: per line (one record: a logo of at most 2 MB is 2.7 MB as
/// base64, beside at most some 100 KB of text) and in total (a large register with a logo for
/// every association). Both are checked while unpacking, before the memory is spent.
#[derive(Clone, Copy)]
struct Limits {
    line: u64,
    total: u64,
}

const LIMITS: Limits = Limits {
    line: 4 << 20,
    total: 1 << 30,
};

/// Checks what rows of one table say, on every core; the first problem in file order.
pub fn check_rows(header: &Header, spec: &'static TableSpec, rows: &[RowLine]) -> Result<()> {
    use rayon::prelude::*;
    // A day of leeway: the sender's date may already be tomorrow.
    let today = kozmos_model::files::local_now()
        .date()
        .next_day()
        .unwrap_or(time::Date::MAX);
    let outcomes: Vec<Result<()>> = rows
        .par_iter()
        .map(|row| content::check_row(header, spec, row, today))
        .collect();
    outcomes.into_iter().collect()
}

/// Detects the kind of file, decrypts, decompresses and checks everything in one streaming pass.
pub fn verify(bytes: &[u8], passphrase: Option<&str>) -> Result<Verified> {
    verify_within(bytes, passphrase, LIMITS)
}

fn verify_within(bytes: &[u8], passphrase: Option<&str>, limits: Limits) -> Result<Verified> {
    let compressed = open(bytes, passphrase)?;
    let (header, trailer, withheld) = check_stream(&compressed, limits)?;
    Ok(Verified {
        header,
        withheld,
        rows: trailer.rows,
        fields: trailer.fields,
        file_sha256: sha256_hex(bytes),
        encrypted: is_encrypted(bytes),
        compressed: compressed.into(),
        content: std::sync::OnceLock::new(),
    })
}

/// The zstd stream of the file: decrypted when it is encrypted, refused when it is anything else.
fn open(bytes: &[u8], passphrase: Option<&str>) -> Result<Vec<u8>> {
    if bytes.is_empty() {
        return Err(file_error(
            "sync_file_empty",
            "Die Datei ist leer (0 Byte). Vermutlich wurde sie nicht vollständig kopiert; bitte kopieren Sie sie erneut.",
            "The file is empty (0 bytes). It was probably not copied completely; please copy it again.",
        ));
    }
    if !is_encrypted(bytes) {
        check_kind(bytes)?;
        return Ok(bytes.to_vec());
    }
    let passphrase = passphrase.ok_or_else(|| {
        passphrase_error(
            kozmos_model::error::UiCode::SyncPassphraseNeeded.as_str(),
            "Diese Sync-Datei ist verschlüsselt. Bitte geben Sie das Passwort ein, das beim Export vergeben wurde.",
            "This sync file is encrypted. Please enter the passphrase that was chosen when it was exported.",
        )
    })?;
    let compressed = decrypt(bytes, passphrase)?;
    check_kind(&compressed)?;
    Ok(compressed)
}

/// Refuses anything that is not a zstd stream, naming common mistakes (a PDF, a ZIP archive).
fn check_kind(bytes: &[u8]) -> Result<()> {
    let (code, kind_de, kind_en) = if bytes.starts_with(ZSTD_MAGIC) {
        return Ok(());
    } else if bytes.starts_with(b"%PDF") {
        (
            "sync_file_pdf",
            " (sie sieht aus wie ein PDF-Dokument)",
            " (it looks like a PDF document)",
        )
    } else if bytes.starts_with(b"PK\x03\x04") {
        (
            "sync_file_zip",
            " (sie sieht aus wie ein ZIP-Archiv)",
            " (it looks like a ZIP archive)",
        )
    } else {
        ("sync_file_unknown", "", "")
    };
    Err(file_error(
        code,
        format!(
            "Das ist keine KOZMOS-Sync-Datei{kind_de}. Bitte wählen Sie die Datei, die KOZMOS beim Export für den Abgleich erstellt hat."
        ),
        format!("This is not a KOZMOS sync file{kind_en}. Please choose the file that KOZMOS created when exporting for sync."),
    ))
}

pub fn decrypt(bytes: &[u8], passphrase: &str) -> Result<Vec<u8>> {
    let unreadable = || damaged("sie lässt sich nicht entschlüsseln", "it cannot be decrypted");
    let decryptor = age::Decryptor::new_buffered(bytes).map_err(|_| unreadable())?;
    if !decryptor.is_scrypt() {
        return Err(not_kozmos());
    }
    let mut identity = age::scrypt::Identity::new(SecretString::from(passphrase.to_owned()));
    identity.set_max_work_factor(MAX_WORK_FACTOR);
    let mut stream = decryptor
        .decrypt(std::iter::once(&identity as &dyn age::Identity))
        .map_err(|e| match e {
            age::DecryptError::DecryptionFailed | age::DecryptError::NoMatchingKeys => passphrase_error(
                "sync_passphrase_wrong",
                "Das Passwort passt nicht zu dieser Sync-Datei. Bitte prüfen Sie die Schreibweise (auch Groß- und Kleinschreibung) und versuchen Sie es erneut.",
                "The passphrase does not match this sync file. Please check the spelling (including upper and lower case) and try again.",
            ),
            age::DecryptError::ExcessiveWork { required, .. } => file_error(
                "sync_work_factor_too_high",
                format!(
                    "Diese Datei ist so verschlüsselt, dass das Öffnen sehr viel Speicher und Zeit bräuchte (Stufe {required}, KOZMOS öffnet höchstens Stufe {MAX_WORK_FACTOR}). Sie stammt nicht aus KOZMOS oder wurde verändert; bitte lassen Sie sie mit KOZMOS neu exportieren."
                ),
                format!(
                    "This file is encrypted so that opening it would take a great deal of memory and time (level {required}; KOZMOS opens at most level {MAX_WORK_FACTOR}). It does not come from KOZMOS or was altered; please ask for a new export from KOZMOS."
                ),
            ),
            _ => unreadable(),
        })?;
    let mut plain = Vec::with_capacity(bytes.len());
    stream.read_to_end(&mut plain).map_err(|_| unreadable())?;
    Ok(plain)
}

/// Reads the whole stream once: header, rows, notices, trailer; returns the header, the (checked)
/// trailer and the notices. The header's and notices' claims are checked here, the rows' in
/// `Verified::check_content`.
fn check_stream(compressed: &[u8], limits: Limits) -> Result<(Header, Trailer, Vec<Notice>)> {
    let mut lines = Lines::new(compressed, limits)?;
    let mut hasher = Sha256::new();
    let first = lines.next()?.ok_or_else(truncated)?;
    hasher.update(first);
    let header = parse_header(first)?;
    content::check_header(&header)?;
    let mut rows = RowChecks {
        header: &header,
        order: Order::default(),
        batch: LineBatch::default(),
        rows: 0,
        fields: 0,
    };
    let mut notices: Vec<Notice> = Vec::new();
    let trailer = loop {
        // The rows read so far are checked before anything that follows them can fail, so that
        // the first problem in the file is the one reported.
        let line = match lines.next() {
            Ok(Some(line)) if !line.starts_with(NOTICE_START) && !is_trailer(line) => line,
            other => {
                rows.check_batch()?;
                other?.ok_or_else(truncated)?
            }
        };
        if is_trailer(line) {
            break serde_json::from_slice::<TrailerLine>(line)
                .map_err(|_| unreadable_line())?
                .trailer;
        }
        hasher.update(line);
        if line.starts_with(NOTICE_START) {
            let notice = serde_json::from_slice::<NoticeLine>(line)
                .map_err(|_| unreadable_line())?
                .withheld;
            content::check_notice(&header, notices.last(), &notice, notices.len() + 1 > MAX_NOTICES)?;
            notices.push(notice);
            continue;
        }
        if !notices.is_empty() {
            return Err(damaged(
                "nach den Hinweisen auf nicht mehr geteilte Personen folgen Einträge",
                "entries follow the notices of persons no longer shared",
            ));
        }
        rows.batch.push(line);
        if rows.batch.is_full() {
            rows.check_batch()?;
        }
    };
    lines.expect_end()?;
    if trailer.sha256 != hex(&hasher.finalize()) {
        return Err(file_error(
            "sync_file_hash",
            "Die Sync-Datei wurde nach dem Export verändert oder beschädigt (die Prüfsumme stimmt nicht). Bitte kopieren Sie sie erneut oder lassen Sie sie neu exportieren.",
            "The sync file was changed or damaged after it was exported (its checksum does not match). Please copy it again or ask for a new export.",
        ));
    }
    if (trailer.rows, trailer.fields, trailer.withheld) != (rows.rows, rows.fields, notices.len() as u64) {
        return Err(file_error(
            "sync_file_counts",
            "Die Sync-Datei ist beschädigt: die Zahl der Einträge stimmt nicht mit der Angabe am Dateiende überein. Bitte lassen Sie sie neu exportieren.",
            "The sync file is damaged: the number of entries does not match the count at its end. Please ask for a new export.",
        ));
    }
    Ok((header, trailer, notices))
}

/// Rows checked together on every core (by `verify`, and by `check_content`): at most this many,
/// or this many bytes.
const BATCH_LINES: usize = 2048;
const BATCH_BYTES: usize = 8 << 20;

#[derive(Default)]
struct LineBatch {
    bytes: Vec<u8>,
    ends: Vec<usize>,
}

impl LineBatch {
    fn push(&mut self, line: &[u8]) {
        self.bytes.extend_from_slice(line);
        self.ends.push(self.bytes.len());
    }

    fn is_full(&self) -> bool {
        self.ends.len() >= BATCH_LINES || self.bytes.len() >= BATCH_BYTES
    }

    fn lines(&self) -> impl rayon::iter::IndexedParallelIterator<Item = &[u8]> {
        use rayon::prelude::*;
        (0..self.ends.len()).into_par_iter().map(|i| {
            let start = if i == 0 { 0 } else { self.ends[i - 1] };
            &self.bytes[start..self.ends[i]]
        })
    }

    fn clear(&mut self) {
        self.bytes.clear();
        self.ends.clear();
    }
}

/// The checks of the rows of a file as it is read: parsed and checked a batch at a time on every
/// core, then checked for their order in file order. The first problem in file order is reported,
/// as if each row were checked after the one before.
struct RowChecks<'h> {
    header: &'h Header,
    order: Order,
    batch: LineBatch,
    rows: u64,
    fields: u64,
}

/// A row line parsed and checked on its own: what the order check needs (its table's place and
/// id, the fields dropped), the checks before the order and those after it.
struct RowCheck {
    row: RowLine,
    fields: usize,
    index: Result<usize>,
    rest: Result<()>,
}

impl RowChecks<'_> {
    fn check_batch(&mut self) -> Result<()> {
        use rayon::prelude::*;
        let header = self.header;
        let checked: Vec<Result<RowCheck>> = self
            .batch
            .lines()
            .map(|line| {
                let mut row = parse_row(line)?;
                let index = table_index(&row);
                let rest = match &index {
                    Ok(index) => check_fields(header, kozmos_model::tables::TABLES[*index], &row),
                    Err(_) => Ok(()),
                };
                let fields = std::mem::take(&mut row.f).len();
                Ok(RowCheck {
                    row,
                    fields,
                    index,
                    rest,
                })
            })
            .collect();
        self.batch.clear();
        for check in checked {
            let check = check?;
            self.order.check(check.index?, &check.row)?;
            check.rest?;
            self.rows += 1;
            self.fields += check.fields as u64;
        }
        Ok(())
    }
}

fn is_trailer(line: &[u8]) -> bool {
    line.starts_with(TRAILER_START)
}

/// Reads the header, checking magic and versions first so that a newer file asks for an update
/// even when the rest of its header would not parse.
fn parse_header(line: &[u8]) -> Result<Header> {
    let value: Json = serde_json::from_slice(line).map_err(|_| not_kozmos())?;
    if value.get("magic").and_then(Json::as_str) != Some(MAGIC) {
        return Err(not_kozmos());
    }
    let newer = |key: &str, current: u32| {
        value
            .get(key)
            .and_then(Json::as_u64)
            .is_some_and(|v| v > current.into())
    };
    if newer("format", FORMAT_VERSION) {
        return Err(file_error(
            "sync_format_newer",
            "Diese Sync-Datei wurde von einer neueren KOZMOS-Version geschrieben. Bitte aktualisieren Sie KOZMOS und versuchen Sie es erneut.",
            "This sync file was written by a newer KOZMOS. Please update KOZMOS and try again.",
        ));
    }
    if newer("schema", SCHEMA_VERSION) {
        return Err(file_error(
            "sync_schema_newer",
            "Diese Sync-Datei stammt von einer neueren KOZMOS-Version mit neueren Datenfeldern. Bitte aktualisieren Sie KOZMOS und versuchen Sie es erneut.",
            "This sync file comes from a newer KOZMOS with newer data fields. Please update KOZMOS and try again.",
        ));
    }
    serde_json::from_value(value).map_err(|_| not_kozmos())
}

fn parse_row(line: &[u8]) -> Result<RowLine> {
    serde_json::from_slice(line).map_err(|_| unreadable_line())
}

/// The position of the previous row: tables in the order of `TABLES`, ids strictly increasing within one.
#[derive(Default)]
struct Order {
    previous: Option<(usize, String)>,
}

impl Order {
    fn check(&mut self, index: usize, row: &RowLine) -> Result<()> {
        if let Some((table, id)) = &self.previous {
            if (index, row.id.as_str()) <= (*table, id.as_str()) {
                return Err(row_error(
                    "sync_order",
                    row,
                    "Die Einträge der Sync-Datei sind nicht in der erwarteten Reihenfolge",
                    "The entries of the sync file are not in the expected order",
                ));
            }
        }
        self.previous = Some((index, row.id.clone()));
        Ok(())
    }
}

/// The place of the row's table among the known tables, once its id was checked to be one.
fn table_index(row: &RowLine) -> Result<usize> {
    let index = kozmos_model::tables::TABLES
        .iter()
        .position(|t| t.name == row.t)
        .ok_or_else(|| unknown_table(&row.t))?;
    if !is_uuid(&row.id) {
        return Err(bad_value(row, "id"));
    }
    Ok(index)
}

/// Checks a row's fields against its table's columns and the header's sites (after the order).
fn check_fields(header: &Header, spec: &TableSpec, row: &RowLine) -> Result<()> {
    if row.f.is_empty() {
        return Err(bad_value(row, LIFE));
    }
    let mut previous: Option<&str> = None;
    for FieldLine(name, value, hlc, site) in &row.f {
        let fits = value_fits(spec, name, value).ok_or_else(|| unknown_column(spec.name, name))?;
        let sorted = previous.is_none_or(|p| p < &**name);
        if !fits || !sorted || *hlc < 0 || *site as usize >= header.sites.len() {
            return Err(bad_value(row, name));
        }
        previous = Some(name);
    }
    Ok(())
}

/// Whether the value has the JSON type of the column; None when the table has no such column.
fn value_fits(spec: &TableSpec, name: &str, value: &Json) -> Option<bool> {
    if name == LIFE {
        return Some(value.as_str().is_some_and(|life| LIVES.contains(&life)));
    }
    let column = spec.column(name).ok()?;
    Some(match (column.ty, value) {
        (_, Json::Null) => true,
        (ColType::Int, Json::Number(n)) => n.is_i64(),
        (ColType::Text, Json::String(_)) => true,
        (ColType::List, Json::String(s)) => serde_json::from_str::<Vec<String>>(s).is_ok(),
        (ColType::Blob, Json::String(s)) => base64::engine::general_purpose::STANDARD.decode(s).is_ok(),
        _ => false,
    })
}

/// The decompressed stream, line by line, within the size limits.
struct Lines<R: BufRead> {
    reader: BufReader<zstd::stream::read::Decoder<'static, R>>,
    line: Vec<u8>,
    total: u64,
    limits: Limits,
}

impl<R: BufRead> Lines<R> {
    fn new(compressed: R, limits: Limits) -> Result<Self> {
        let decoder = zstd::stream::read::Decoder::with_buffer(compressed)?.single_frame();
        Ok(Lines {
            reader: BufReader::with_capacity(1 << 16, decoder),
            line: Vec::new(),
            total: 0,
            limits,
        })
    }

    /// The next line including its "\n"; None at the end of the stream.
    fn next(&mut self) -> Result<Option<&[u8]>> {
        self.line.clear();
        let limit = self.limits.line + 1;
        let read = (&mut self.reader)
            .take(limit)
            .read_until(b'\n', &mut self.line)
            .map_err(|_| undecodable())?;
        self.total += read as u64;
        if self.total > self.limits.total {
            return Err(damaged("sie ist entpackt zu groß", "it is too large when unpacked"));
        }
        match self.line.last() {
            None => Ok(None),
            Some(b'\n') => Ok(Some(&self.line)),
            Some(_) if read as u64 == limit => Err(damaged("eine Zeile ist zu lang", "a line is too long")),
            Some(_) => Err(truncated()),
        }
    }

    /// Checks that nothing follows the trailer: neither in the zstd frame nor after it.
    fn expect_end(mut self) -> Result<()> {
        let more_lines = !self.reader.fill_buf().map_err(|_| undecodable())?.is_empty();
        let mut decoder = self.reader.into_inner();
        decoder.finish_frame().map_err(|_| undecodable())?;
        let more_bytes = !decoder.get_mut().fill_buf().map_err(|_| undecodable())?.is_empty();
        if more_lines || more_bytes {
            return Err(damaged(
                "nach ihrem Ende folgen weitere Daten",
                "there is more data after its end",
            ));
        }
        Ok(())
    }
}

/// The rows of a verified file, read again.
struct Rows {
    lines: Option<Lines<std::io::Cursor<Arc<[u8]>>>>,
    error: Option<Error>,
}

impl Iterator for Rows {
    type Item = Result<RowLine>;

    fn next(&mut self) -> Option<Result<RowLine>> {
        if let Some(error) = self.error.take() {
            return Some(Err(error));
        }
        let row = next_row(self.lines.as_mut()?).transpose();
        if !matches!(row, Some(Ok(_))) {
            self.lines = None;
        }
        row
    }
}

fn next_row(lines: &mut Lines<impl BufRead>) -> Result<Option<RowLine>> {
    match lines.next()? {
        Some(line) if is_trailer(line) || line.starts_with(NOTICE_START) => Ok(None),
        Some(line) => parse_row(line).map(Some),
        None => Err(truncated()),
    }
}

// ---------------------------------------------------------------------------------------------
// Errors

fn file_error(code: &str, de: impl Into<String>, en: impl Into<String>) -> Error {
    Error::invalid("file", code, de, en)
}

fn passphrase_error(code: &str, de: &str, en: &str) -> Error {
    Error::invalid("passphrase", code, de, en)
}

fn damaged(reason_de: &str, reason_en: &str) -> Error {
    file_error(
        "sync_file_damaged",
        format!(
            "Die Sync-Datei ist beschädigt ({reason_de}). Bitte kopieren Sie sie erneut oder lassen Sie sie neu exportieren."
        ),
        format!("The sync file is damaged ({reason_en}). Please copy it again or ask for a new export."),
    )
}

fn undecodable() -> Error {
    damaged("sie lässt sich nicht entpacken", "it cannot be unpacked")
}

fn unreadable_line() -> Error {
    damaged("ein Eintrag ist unlesbar", "an entry cannot be read")
}

fn truncated() -> Error {
    file_error(
        "sync_file_truncated",
        "Die Sync-Datei ist unvollständig: sie bricht mitten im Inhalt ab. Vermutlich wurde sie nicht ganz kopiert oder der USB-Stick zu früh abgezogen. Bitte kopieren Sie sie erneut.",
        "The sync file is incomplete: it stops in the middle. It was probably not copied completely, or the USB stick was removed too early. Please copy it again.",
    )
}

fn not_kozmos() -> Error {
    file_error(
        "sync_file_not_kozmos",
        "Das ist keine KOZMOS-Sync-Datei: ihr Inhalt stammt nicht aus einem KOZMOS-Export. Bitte wählen Sie die Datei, die KOZMOS beim Export für den Abgleich erstellt hat.",
        "This is not a KOZMOS sync file: its content does not come from a KOZMOS export. Please choose the file that KOZMOS created when exporting for sync.",
    )
}

/// A name from the file, shortened and quoted for a message.
pub(crate) fn quoted(name: &str) -> String {
    name.chars().take(64).collect()
}

fn unknown_table(table: &str) -> Error {
    let table = quoted(table);
    file_error(
        "sync_unknown_table",
        format!("Die Sync-Datei enthält Daten einer unbekannten Art („{table}“). Sie stammt wohl von einer neueren KOZMOS-Version; bitte aktualisieren Sie KOZMOS und versuchen Sie es erneut."),
        format!("The sync file contains an unknown kind of data (\"{table}\"). It probably comes from a newer KOZMOS; please update KOZMOS and try again."),
    )
}

fn unknown_column(table: &str, column: &str) -> Error {
    let column = quoted(column);
    file_error(
        "sync_unknown_column",
        format!("Die Sync-Datei enthält ein unbekanntes Feld „{column}“ (in „{table}“). Sie stammt wohl von einer neueren KOZMOS-Version; bitte aktualisieren Sie KOZMOS und versuchen Sie es erneut."),
        format!("The sync file contains an unknown field \"{column}\" (in \"{table}\"). It probably comes from a newer KOZMOS; please update KOZMOS and try again."),
    )
}

fn bad_value(row: &RowLine, field: &str) -> Error {
    let field = quoted(field);
    row_error(
        "sync_bad_value",
        row,
        &format!("Die Sync-Datei enthält einen ungültigen Wert im Feld „{field}“"),
        &format!("The sync file contains an invalid value in the field \"{field}\""),
    )
}

/// An error about one row, naming its table and id, asking for a new export.
pub(crate) fn row_error(code: &str, row: &RowLine, what_de: &str, what_en: &str) -> Error {
    let (table, id) = (quoted(&row.t), quoted(&row.id));
    file_error(
        code,
        format!("{what_de} (Tabelle „{table}“, Eintrag {id}). Die Datei wurde nicht von KOZMOS geschrieben oder ist beschädigt; bitte lassen Sie sie neu exportieren."),
        format!("{what_en} (table \"{table}\", entry {id}). The file was not written by KOZMOS or is damaged; please ask for a new export."),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const SITE_A: &str = "0190a1b2-0000-7000-8000-00000000000a";
    const SITE_B: &str = "0190a1b2-0000-7000-8000-00000000000b";
    const ASSOC_1: &str = "0190a1b2-1111-7000-8000-000000000001";
    const ASSOC_2: &str = "0190a1b2-1111-7000-8000-000000000002";
    const PERSON_1: &str = "0190a1b2-2222-7000-8000-000000000001";
    const HLC: i64 = 1_754_000_000_000 << 16;

    fn header() -> Header {
        Header {
            magic: MAGIC.into(),
            format: FORMAT_VERSION,
            schema: SCHEMA_VERSION,
            app_version: "0.1.0".into(),
            export_id: "0190a1b2-9999-7000-8000-000000000001".into(),
            origin_site: SITE_A.into(),
            origin_network: Some("st".into()),
            state_at: "2025-07-31T22:13:20Z".into(),
            newest_hlc: HLC + 7,
            vector: BTreeMap::from([(SITE_A.into(), HLC + 7), (SITE_B.into(), HLC + 3)]),
            base: None,
            vector_shared: BTreeMap::new(),
            base_shared: None,
            profile: "consented".into(),
            left_out: vec!["Personen ohne Einwilligung".into()],
            sites: vec![SITE_A.into(), SITE_B.into()],
        }
    }

    /// A whole 1×1 PNG image.
    const TINY_PNG: &str =
        "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==";

    fn field(name: &str, value: Json, hlc: i64, site: u32) -> FieldLine {
        FieldLine(name.to_owned().into(), value, hlc, site)
    }

    fn row(table: &str, id: &str, fields: Vec<FieldLine>) -> RowLine {
        RowLine {
            t: table.into(),
            id: id.into(),
            f: fields,
        }
    }

    fn rows() -> Vec<RowLine> {
        vec![
            row(
                "associations",
                ASSOC_1,
                vec![
                    field("_life", json!("alive"), HLC, 0),
                    field("city", json!("Magdeburg"), HLC, 0),
                    field("founded_year", json!(2016), HLC + 1, 1),
                    field("logo", json!(TINY_PNG), HLC, 0),
                    field("name", json!("Verein X"), HLC + 2, 1),
                    field("name_original", json!("جمعية الجسر"), HLC, 0),
                    field("notes", Json::Null, HLC, 0),
                    field("themes", json!("[\"bildung\"]"), HLC + 3, 1),
                ],
            ),
            row(
                "associations",
                ASSOC_2,
                vec![
                    field("_life", json!("deleted"), HLC + 5, 0),
                    field("name", json!("Українська громада Erfurt"), HLC + 4, 0),
                ],
            ),
            row(
                "persons",
                PERSON_1,
                vec![
                    field("_life", json!("alive"), HLC + 6, 0),
                    field("association_id", json!(ASSOC_1), HLC + 6, 0),
                    field("languages", json!("[\"vi\",\"de\"]"), HLC + 6, 0),
                    field("name", json!("Nguyễn Thị Minh"), HLC + 7, 0),
                ],
            ),
        ]
    }

    fn write_with(header: &Header, rows: &[RowLine], passphrase: Option<&Passphrase>) -> Vec<u8> {
        let mut writer = SyncWriter::new(header).unwrap();
        for row in rows {
            writer.row(row).unwrap();
        }
        writer.finish(passphrase).unwrap()
    }

    fn write(header: &Header, rows: &[RowLine]) -> Vec<u8> {
        write_with(header, rows, None)
    }

    fn sample() -> Vec<u8> {
        write(&header(), &rows())
    }

    fn passphrase(secret: &str) -> Passphrase {
        Passphrase {
            secret: secret.into(),
            work_factor: Some(10),
        }
    }

    /// The error code of a result that must be an error.
    fn code<T>(result: Result<T>) -> String {
        match result {
            Ok(_) => panic!("expected an error, got Ok"),
            Err(e) => e.code().to_string(),
        }
    }

    fn compress(text: &[u8]) -> Vec<u8> {
        zstd::encode_all(text, ZSTD_LEVEL).unwrap()
    }

    fn decompress(bytes: &[u8]) -> String {
        String::from_utf8(zstd::decode_all(bytes).unwrap()).unwrap()
    }

    fn json_line(value: &impl Serialize) -> String {
        serde_json::to_string(value).unwrap() + "\n"
    }

    /// A file from hand-written lines (each with its "\n") and a trailer with the given counts and hash.
    fn hand_file(lines: &[String], rows: u64, fields: u64, sha256: Option<&str>) -> Vec<u8> {
        let body = lines.concat();
        let sha256 = sha256.map_or_else(|| sha256_hex(body.as_bytes()), str::to_string);
        let trailer = json_line(&TrailerLine {
            trailer: Trailer {
                rows,
                fields,
                sha256,
                withheld: 0,
            },
        });
        compress((body + &trailer).as_bytes())
    }

    fn sample_lines() -> Vec<String> {
        let mut lines = vec![json_line(&header())];
        lines.extend(rows().iter().map(json_line));
        lines
    }

    #[test]
    fn round_trip() {
        let bytes = sample();
        assert!(!is_encrypted(&bytes));
        let verified = verify(&bytes, None).unwrap();
        assert_eq!(verified.header, header());
        assert_eq!((verified.rows, verified.fields), (3, 14));
        assert_eq!(verified.file_sha256, sha256_hex(&bytes));
        assert!(verified.is_full());
        let read: Vec<RowLine> = verified.rows().collect::<Result<_>>().unwrap();
        assert_eq!(read, rows());
        // Iterating again gives the same rows.
        assert_eq!(verified.rows().count(), 3);
    }

    #[test]
    fn empty_file_and_incremental_header() {
        let mut incremental = header();
        incremental.base = Some(BTreeMap::from([(SITE_B.into(), HLC)]));
        let verified = verify(&write(&incremental, &[]), None).unwrap();
        assert!(!verified.is_full());
        assert_eq!((verified.rows, verified.fields), (0, 0));
        assert_eq!(verified.rows().count(), 0);
    }

    #[test]
    fn same_content_gives_the_same_bytes() {
        assert_eq!(sample(), sample());
    }

    #[test]
    fn line_format_is_the_documented_one() {
        let text = decompress(&sample());
        let lines: Vec<&str> = text.split_inclusive('\n').collect();
        assert_eq!(lines.len(), 5);
        assert!(lines[0].starts_with(r#"{"magic":"KOZMOS-SYNC","format":2,"schema":12,"app_version":"0.1.0","#));
        assert!(lines[2].starts_with(&format!(
            r#"{{"t":"associations","id":"{ASSOC_2}","f":[["_life","deleted",{},0],"#,
            HLC + 5
        )));
        let hash = sha256_hex(lines[..4].concat().as_bytes());
        assert_eq!(
            lines[4],
            format!("{{\"trailer\":{{\"rows\":3,\"fields\":14,\"sha256\":\"{hash}\"}}}}\n")
        );
        assert_eq!(
            serde_json::to_string(&field("name", json!("Verein X"), 123456789, 0)).unwrap(),
            r#"["name","Verein X",123456789,0]"#
        );
    }

    #[test]
    fn encrypted_round_trip_and_passphrase_errors() {
        let bytes = write_with(&header(), &rows(), Some(&passphrase("Kürbis-Brücke 7")));
        assert!(is_encrypted(&bytes));
        let verified = verify(&bytes, Some("Kürbis-Brücke 7")).unwrap();
        assert_eq!(verified.header, header());
        assert_eq!(verified.file_sha256, sha256_hex(&bytes));
        assert_eq!(verified.rows().collect::<Result<Vec<_>>>().unwrap(), rows());

        let wrong = verify(&bytes, Some("kürbis-brücke 7")).unwrap_err();
        assert_eq!(
            (wrong.code(), wrong.field()),
            ("sync_passphrase_wrong", Some("passphrase"))
        );
        let missing = verify(&bytes, None).unwrap_err();
        assert_eq!(
            (missing.code(), missing.field()),
            ("sync_passphrase_needed", Some("passphrase"))
        );
    }

    #[test]
    fn encrypted_damage_is_refused() {
        let secret = "geheim";
        let bytes = write_with(&header(), &rows(), Some(&passphrase(secret)));
        // Each try past the age header runs scrypt, which is slow in debug builds: sample 24 points.
        let stride = bytes.len() / 24;
        for len in (0..bytes.len()).step_by(stride) {
            let code = code(verify(&bytes[..len], Some(secret)));
            let expected = match len {
                0 => "sync_file_empty",
                1..=21 => "sync_file_unknown",
                _ => "sync_file_damaged",
            };
            assert_eq!(code, expected, "cut at {len}");
        }
        // Flipped bits anywhere: always an error (a flip in the header's stanza may read as a wrong passphrase).
        for i in (0..bytes.len()).step_by(stride) {
            let mut flipped = bytes.clone();
            flipped[i] ^= 1 << (i % 8);
            assert!(verify(&flipped, Some(secret)).is_err(), "flip at {i}");
        }
        let mut appended = bytes.clone();
        appended.extend_from_slice(b"garbage");
        assert_eq!(code(verify(&appended, Some(secret))), "sync_file_damaged");
    }

    /// The standard `age` tool opens an encrypted file (it reads the passphrase from a terminal).
    #[test]
    fn age_cli_decrypts() {
        let found = std::process::Command::new("sh")
            .args(["-c", "command -v age && command -v script"])
            .output();
        if !found.is_ok_and(|o| o.status.success()) {
            eprintln!("skipped: the age CLI or script is not installed");
            return;
        }
        let dir = tempfile::tempdir().unwrap();
        let (input, output) = (dir.path().join("file.kozmos"), dir.path().join("file.zst"));
        let bytes = write_with(&header(), &rows(), Some(&passphrase("Kürbis-Brücke 7")));
        std::fs::write(&input, &bytes).unwrap();
        let command = format!("age -d -o '{}' '{}'", output.display(), input.display());
        let mut child = std::process::Command::new("script")
            .args(["-qec", &command, "/dev/null"])
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        child
            .stdin
            .as_mut()
            .unwrap()
            .write_all("Kürbis-Brücke 7\n".as_bytes())
            .unwrap();
        let result = child.wait_with_output().unwrap();
        assert!(
            result.status.success(),
            "age failed: {}",
            String::from_utf8_lossy(&result.stdout)
        );
        assert_eq!(decompress(&std::fs::read(&output).unwrap()), decompress(&sample()));
    }

    #[test]
    fn truncation_at_every_offset_is_refused() {
        let bytes = sample();
        for len in 0..bytes.len() {
            let code = code(verify(&bytes[..len], None));
            let expected: &[&str] = match len {
                0 => &["sync_file_empty"],
                1..=3 => &["sync_file_unknown"],
                _ => &["sync_file_damaged", "sync_file_truncated"],
            };
            assert!(expected.contains(&code.as_str()), "cut at {len}: {code}");
        }
    }

    #[test]
    fn stream_without_trailer_is_truncated() {
        let body = sample_lines().concat();
        assert_eq!(code(verify(&compress(body.as_bytes()), None)), "sync_file_truncated");
        // Cut in the middle of a line.
        let cut = &body.as_bytes()[..body.len() - 10];
        assert_eq!(code(verify(&compress(cut), None)), "sync_file_truncated");
        assert_eq!(code(verify(&compress(b""), None)), "sync_file_truncated");
    }

    /// Every flipped bit is refused, unless it landed on a bit zstd ignores (frame header flags, unused
    /// table entries): then the content read is exactly the original, which the trailer's hash guarantees.
    #[test]
    fn flipped_bits_are_refused() {
        let bytes = sample();
        let original = decompress(&bytes);
        let mut harmless = 0;
        for i in 0..bytes.len() {
            for bit in 0..8 {
                let mut flipped = bytes.clone();
                flipped[i] ^= 1 << bit;
                if let Ok(verified) = verify(&flipped, None) {
                    harmless += 1;
                    assert_eq!(decompress(&flipped), original, "flip at byte {i} bit {bit}");
                    assert_eq!(verified.header, header());
                    assert_eq!(verified.rows().collect::<Result<Vec<_>>>().unwrap(), rows());
                }
            }
        }
        assert!(harmless < bytes.len(), "{harmless} harmless flips");
    }

    #[test]
    fn appended_data_is_refused() {
        let mut after_frame = sample();
        after_frame.extend_from_slice(b"garbage");
        assert_eq!(code(verify(&after_frame, None)), "sync_file_damaged");

        let mut second_frame = sample();
        second_frame.extend(compress(b"{\"t\":\"persons\"}\n"));
        assert_eq!(code(verify(&second_frame, None)), "sync_file_damaged");

        let mut text = decompress(&sample());
        text.push_str("{\"t\":\"persons\"}\n");
        assert_eq!(code(verify(&compress(text.as_bytes()), None)), "sync_file_damaged");
    }

    #[test]
    fn other_kinds_of_files_are_named() {
        assert_eq!(code(verify(b"", None)), "sync_file_empty");
        assert_eq!(
            code(verify(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n", None)),
            "sync_file_pdf"
        );
        assert_eq!(
            code(verify(b"PK\x03\x04\x14\x00\x00\x00\x08\x00", None)),
            "sync_file_zip"
        );
        assert_eq!(code(verify(b"Name;Stadt\nVerein X;Halle\n", None)), "sync_file_unknown");
        assert_eq!(code(verify(&compress(b"hello world\n"), None)), "sync_file_not_kozmos");
        let mut other = header();
        other.magic = "OTHER-SYNC".into();
        assert_eq!(code(verify(&write(&other, &rows()), None)), "sync_file_not_kozmos");
        let encrypted_pdf = encrypt(b"%PDF-1.4\n", &passphrase("x")).unwrap();
        assert_eq!(code(verify(&encrypted_pdf, Some("x"))), "sync_file_pdf");
        let err = verify(b"%PDF-1.4", None).unwrap_err();
        assert!(err.message(kozmos_model::error::Lang::De).contains("PDF-Dokument"));
    }

    #[test]
    fn newer_format_or_schema_asks_for_an_update() {
        let mut newer = header();
        newer.format = FORMAT_VERSION + 1;
        assert_eq!(code(verify(&write(&newer, &rows()), None)), "sync_format_newer");
        let mut newer = header();
        newer.schema = 99;
        assert_eq!(code(verify(&write(&newer, &rows()), None)), "sync_schema_newer");
        // A newer header whose shape changed and whose rows would not parse still asks for an update.
        let text = format!(
            "{{\"magic\":\"KOZMOS-SYNC\",\"format\":{},\"sites\":{{\"a\":1}}}}\nnot json\n",
            FORMAT_VERSION + 1
        );
        assert_eq!(code(verify(&compress(text.as_bytes()), None)), "sync_format_newer");
    }

    #[test]
    fn unknown_tables_and_columns_are_refused() {
        let stranger = row("donations", ASSOC_1, vec![field("_life", json!("alive"), HLC, 0)]);
        let err = verify(&write(&header(), &[stranger]), None).unwrap_err();
        assert_eq!(err.code(), "sync_unknown_table");
        assert!(err.message(kozmos_model::error::Lang::En).contains("donations"));

        let mut rows = rows();
        rows[2].f.push(field("religion", json!("x"), HLC, 0));
        let err = verify(&write(&header(), &rows), None).unwrap_err();
        assert_eq!(err.code(), "sync_unknown_column");
        assert!(err.message(kozmos_model::error::Lang::De).contains("„religion“"));
    }

    #[test]
    fn trailer_counts_and_hash_are_checked() {
        let lines = sample_lines();
        assert!(verify(&hand_file(&lines, 3, 14, None), None).is_ok());
        assert_eq!(code(verify(&hand_file(&lines, 4, 14, None), None)), "sync_file_counts");
        assert_eq!(code(verify(&hand_file(&lines, 3, 13, None), None)), "sync_file_counts");
        let zeros = "0".repeat(64);
        assert_eq!(
            code(verify(&hand_file(&lines, 3, 14, Some(&zeros)), None)),
            "sync_file_hash"
        );
        // A changed row under the original trailer.
        let mut changed = lines.clone();
        let original = sha256_hex(lines.concat().as_bytes());
        changed[2] = changed[2].replace("Erfurt", "Efurt");
        assert_eq!(
            code(verify(&hand_file(&changed, 3, 14, Some(&original)), None)),
            "sync_file_hash"
        );
    }

    #[test]
    fn notices_follow_the_rows_and_are_counted() {
        let header = header();
        let notice = Notice("01900000-0000-7000-8000-000000000009".into(), header.newest_hlc, 0);
        let mut writer = SyncWriter::new(&header).unwrap();
        rows().iter().for_each(|r| writer.row(r).unwrap());
        writer.notice(&notice).unwrap();
        let verified = verify(&writer.finish(None).unwrap(), None).unwrap();
        assert_eq!(verified.withheld, vec![notice.clone()]);
        assert_eq!(verified.rows().collect::<Result<Vec<_>>>().unwrap(), rows());
        // A row after a notice, or a notice the trailer does not count, is damage.
        let mut lines = sample_lines();
        lines.insert(2, json_line(&NoticeLine { withheld: notice }));
        assert_eq!(code(verify(&hand_file(&lines, 3, 14, None), None)), "sync_file_damaged");
        lines.remove(2);
        let last = lines.len();
        lines.insert(last, lines[last - 1].clone());
        lines[last] = json_line(&NoticeLine {
            withheld: Notice("01900000-0000-7000-8000-000000000009".into(), 1, 0),
        });
        assert_eq!(code(verify(&hand_file(&lines, 3, 14, None), None)), "sync_file_counts");
    }

    #[test]
    fn unreadable_lines_are_damage() {
        let mut lines = sample_lines();
        lines[2] = "{\"t\":\"associations\",\"id\":\"x\"\n".into();
        assert_eq!(code(verify(&hand_file(&lines, 3, 14, None), None)), "sync_file_damaged");
        // Invalid UTF-8 inside a value (under a matching trailer).
        let mut body = sample_lines().concat().into_bytes();
        let at = body.windows(5).position(|w| w == b"Verei").unwrap();
        body[at] = 0xff;
        let trailer = Trailer {
            rows: 3,
            fields: 14,
            sha256: sha256_hex(&body),
            withheld: 0,
        };
        body.extend_from_slice(json_line(&TrailerLine { trailer }).as_bytes());
        assert_eq!(code(verify(&compress(&body), None)), "sync_file_damaged");
        // A field with a fifth element.
        let mut lines = sample_lines();
        lines[3] = lines[3].replace(",0]]}", ",0,1]]}");
        assert_eq!(code(verify(&hand_file(&lines, 3, 14, None), None)), "sync_file_damaged");
    }

    #[test]
    fn size_limits_are_enforced() {
        let bytes = sample();
        let long_line = decompress(&bytes).lines().map(str::len).max().unwrap() as u64;
        let limits = |line, total| Limits { line, total };
        assert!(verify_within(&bytes, None, limits(long_line, 1 << 20)).is_ok());
        assert_eq!(
            code(verify_within(&bytes, None, limits(long_line - 1, 1 << 20))),
            "sync_file_damaged"
        );
        assert_eq!(
            code(verify_within(&bytes, None, limits(long_line, 1000))),
            "sync_file_damaged"
        );
    }

    #[test]
    fn rows_out_of_order_are_refused() {
        let [a1, a2, p1] = <[RowLine; 3]>::try_from(rows()).unwrap();
        let cases = [
            vec![p1.clone(), a1.clone()],
            vec![a2.clone(), a1.clone()],
            vec![a1.clone(), a1.clone()],
            vec![a1.clone(), p1.clone(), a2.clone()],
        ];
        for rows in cases {
            assert_eq!(code(verify(&write(&header(), &rows), None)), "sync_order");
        }
        // A table may be absent.
        assert!(verify(&write(&header(), &[a2, p1]), None).is_ok());
    }

    /// Associations with ids in order, more than one batch of rows parsed together.
    fn many_associations(count: usize) -> Vec<RowLine> {
        (0..count)
            .map(|i| {
                let id = format!("0190a1b2-1111-7000-8000-{i:012}");
                let fields = vec![
                    field("_life", json!("alive"), HLC, 0),
                    field("name", json!(format!("Verein {i}")), HLC, 0),
                ];
                row("associations", &id, fields)
            })
            .collect()
    }

    #[test]
    fn the_first_problem_in_file_order_is_reported_across_batches() {
        let count = 2 * BATCH_LINES + 100;
        let good = many_associations(count);
        let verified = verify(&write(&header(), &good), None).unwrap();
        assert_eq!((verified.rows, verified.fields), (count as u64, 2 * count as u64));

        let problem_named = |rows: &[RowLine], code: &str, id: &str| {
            let err = verify(&write(&header(), rows), None).unwrap_err();
            assert_eq!(err.code(), code);
            assert!(err.message(kozmos_model::error::Lang::En).contains(id), "{err:?}");
        };
        // A bad value in the last batch.
        let mut rows = good.clone();
        rows[count - 1].f[1].1 = json!(42);
        problem_named(&rows, "sync_bad_value", &good[count - 1].id);
        // Two problems in one batch: the row out of order comes first, and it also has a bad
        // value, which a row-by-row check would only have looked at after the order.
        let mut rows = good.clone();
        rows.swap(10, 11);
        rows[11].f[1].1 = json!(42);
        rows[20].f[1].1 = json!(42);
        problem_named(&rows, "sync_order", &good[10].id);
        // A problem in the first batch wins over one in a later batch.
        let mut rows = good.clone();
        rows[BATCH_LINES + 5].t = "donations".into();
        rows[BATCH_LINES - 1].f[0].1 = json!("zombie");
        problem_named(&rows, "sync_bad_value", &good[BATCH_LINES - 1].id);
    }

    #[test]
    fn bad_values_are_refused() {
        let base = || rows()[0].clone();
        let with = |name: &str, value: Json| {
            let mut row = base();
            let at = row.f.iter().position(|f| f.0 == name).unwrap();
            row.f[at].1 = value;
            row
        };
        let mut cases = vec![
            with("founded_year", json!("2016")),
            with("founded_year", json!(2016.5)),
            with("founded_year", json!(u64::MAX)),
            with("name", json!(42)),
            with("name", json!(["Verein X"])),
            with("themes", json!("bildung")),
            with("themes", json!("[1]")),
            with("logo", json!("not base64!")),
            with("_life", json!("zombie")),
            with("_life", Json::Null),
        ];
        let mut negative = base();
        negative.f[1].2 = -1;
        let mut unknown_site = base();
        unknown_site.f[1].3 = 2;
        let mut unsorted = base();
        unsorted.f.swap(1, 2);
        let mut duplicate = base();
        duplicate.f[2].0 = "city".into();
        let mut no_fields = base();
        no_fields.f.clear();
        cases.extend([negative, unknown_site, unsorted, duplicate, no_fields]);
        for id in [
            "not-a-uuid",
            "0190A1B2-1111-7000-8000-000000000001",
            "0190a1b2-1111-7000-8000-0000000000011",
        ] {
            let mut bad_id = base();
            bad_id.id = id.into();
            cases.push(bad_id);
        }
        for row in cases {
            let result = verify(&write(&header(), std::slice::from_ref(&row)), None);
            assert_eq!(code(result), "sync_bad_value", "{row:?}");
        }
    }

    #[test]
    fn messages_are_bilingual() {
        let err = verify(&hand_file(&sample_lines(), 9, 14, None), None).unwrap_err();
        assert_eq!(err.field(), Some("file"));
        assert!(err.message(kozmos_model::error::Lang::De).contains("Einträge"));
        assert!(err.message(kozmos_model::error::Lang::En).contains("entries"));
    }
}
