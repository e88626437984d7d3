//! Reading a spreadsheet into a header row and text rows: CSV (UTF-8 with or without BOM, or
//! Windows-1252; ";", "," or tab) and XLSX/ODS (first sheet). Limits keep huge files out.

use std::io::Cursor;
use std::path::Path;

use calamine::{Data, Reader};

use crate::error::{Error, Result};

pub const FILE_MAX_BYTES: u64 = 20 * 1024 * 1024;
pub const ROWS_MAX: usize = 50_000;
pub const COLUMNS_MAX: usize = 100;
pub const CELL_MAX_CHARS: usize = 10_000;

/// A sheet as text: the header row and the data rows (each as long as the header).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Table {
    pub headers: Vec<String>,
    pub rows: Vec<Vec<String>>,
    /// The line (1-based, as a spreadsheet numbers it) of each data row.
    pub lines: Vec<usize>,
    /// Hex SHA-256 of the file's bytes: an apply checks that it reads the file it previewed.
    pub sha256: String,
}

/// Reads the file at `path`, by its content (zip: XLSX or ODS; else CSV).
pub fn read_file(path: &Path) -> Result<Table> {
    read_bytes(&crate::files::read_bounded(path, FILE_MAX_BYTES)?)
}

pub fn read_bytes(bytes: &[u8]) -> Result<Table> {
    let raw = if bytes.starts_with(b"PK\x03\x04") {
        read_workbook(bytes)?
    } else {
        read_csv(bytes)?
    };
    let mut table = into_table(raw)?;
    table.sha256 = kozmos_syncfile::file::sha256_hex(bytes);
    Ok(table)
}

fn not_a_table() -> Error {
    Error::invalid(
        "file",
        "file_not_a_table",
        "Die Datei ist keine Tabelle (CSV, XLSX oder ODS).",
        "The file is not a spreadsheet (CSV, XLSX or ODS).",
    )
}

/// Text of a CSV file, in the encoding `files::decode_text` finds (UTF-8, UTF-16, or legacy ones).
/// Binary content (NUL or other control bytes) is refused.
pub fn decode(bytes: &[u8]) -> Result<String> {
    let text = crate::files::decode_text(bytes);
    let binary = text.chars().any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t'));
    if binary {
        return Err(not_a_table());
    }
    Ok(text)
}

/// The delimiter that splits the first line into the most fields (";" first on a tie).
fn sniff_delimiter(text: &str) -> u8 {
    let first_line = text.lines().next().unwrap_or("");
    let mut best = (b';', 0usize);
    for delimiter in [b';', b',', b'\t'] {
        let count = first_line.bytes().filter(|b| *b == delimiter).count();
        if count > best.1 {
            best = (delimiter, count);
        }
    }
    best.0
}

fn read_csv(bytes: &[u8]) -> Result<Vec<Vec<String>>> {
    let text = decode(bytes)?;
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(sniff_delimiter(&text))
        .from_reader(text.as_bytes());
    let mut rows = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| {
            let line = e.position().map_or(0, |p| p.line());
            Error::invalid(
                "file",
                "csv_malformed",
                format!("Die CSV-Datei ist fehlerhaft (Zeile {line})."),
                format!("The CSV file is malformed (line {line})."),
            )
        })?;
        check_rows(rows.len())?;
        rows.push(record.iter().map(str::to_string).collect());
    }
    Ok(rows)
}

fn read_workbook(bytes: &[u8]) -> Result<Vec<Vec<String>>> {
    super::guard::check_workbook(bytes)?;
    // XLSX or ODS only: calamine's XLSB reader (also a zip) is not guarded.
    let data = Cursor::new(bytes);
    let mut workbook = match calamine::open_workbook_from_rs(data.clone()) {
        Ok(xlsx) => calamine::Sheets::Xlsx(xlsx),
        Err(_) => calamine::Sheets::Ods(calamine::open_workbook_from_rs(data).map_err(|_| not_a_table())?),
    };
    let range = workbook
        .worksheet_range_at(0)
        .ok_or_else(not_a_table)?
        .map_err(|_| not_a_table())?;
    let mut rows = Vec::new();
    for row in range.rows() {
        check_rows(rows.len())?;
        if row.len() > COLUMNS_MAX {
            return Err(too_many_columns(row.len()));
        }
        rows.push(row.iter().map(cell_text).collect());
    }
    Ok(rows)
}

fn cell_text(cell: &Data) -> String {
    match cell {
        Data::Empty => String::new(),
        Data::String(s) => s.clone(),
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
        Data::Float(f) => f.to_string(),
        Data::Int(i) => i.to_string(),
        Data::Bool(b) => b.to_string(),
        Data::DateTime(d) => excel_date(d.as_f64()),
        Data::DateTimeIso(s) | Data::DurationIso(s) => s.chars().take(10).collect(),
        Data::Error(_) => String::new(),
    }
}

/// An Excel/ODS date serial (days since 1899-12-30) as an ISO date.
fn excel_date(serial: f64) -> String {
    let epoch = time::macros::date!(1899 - 12 - 30);
    epoch
        .checked_add(time::Duration::days(serial.floor() as i64))
        .map_or_else(String::new, |d| d.to_string())
}

fn check_rows(count: usize) -> Result<()> {
    if count > ROWS_MAX {
        return Err(Error::invalid(
            "file",
            "too_many_rows",
            format!("Die Datei hat mehr als {ROWS_MAX} Zeilen; bitte aufteilen."),
            format!("The file has more than {ROWS_MAX} rows; please split it."),
        ));
    }
    Ok(())
}

fn too_many_columns(n: usize) -> Error {
    Error::invalid(
        "file",
        "too_many_columns",
        format!("Die Datei hat {n} Spalten; höchstens {COLUMNS_MAX}."),
        format!("The file has {n} columns; at most {COLUMNS_MAX}."),
    )
}

/// Header and rows: empty rows dropped, trailing empty header cells cut, rows padded to the
/// header; a row longer than the header (with text beyond it) or an over-long cell is refused.
fn into_table(raw: Vec<Vec<String>>) -> Result<Table> {
    let mut rows = raw
        .into_iter()
        .enumerate()
        .filter(|(_, r)| r.iter().any(|c| !c.trim().is_empty()))
        .map(|(i, r)| (i + 1, r.into_iter().map(|c| crate::text::nfc(&c)).collect::<Vec<_>>()));
    let Some((_, mut headers)) = rows.next() else {
        return Err(Error::invalid(
            "file",
            "file_empty",
            "Die Datei ist leer.",
            "The file is empty.",
        ));
    };
    while headers.last().is_some_and(|h| h.trim().is_empty()) {
        headers.pop();
    }
    if headers.len() > COLUMNS_MAX {
        return Err(too_many_columns(headers.len()));
    }
    let headers: Vec<String> = headers.into_iter().map(|h| h.trim().to_string()).collect();
    let mut out = Vec::new();
    let mut lines = Vec::new();
    for (line, mut row) in rows {
        if row[headers.len().min(row.len())..].iter().any(|c| !c.trim().is_empty()) {
            return Err(Error::invalid(
                "file",
                "row_too_long",
                format!(
                    "Zeile {line} hat mehr Werte als die Kopfzeile Spalten ({}). Bitte die Datei prüfen.",
                    headers.len()
                ),
                format!(
                    "Row {line} has more values than the header has columns ({}). Please check the file.",
                    headers.len()
                ),
            ));
        }
        if let Some(col) = row.iter().position(|c| c.chars().count() > CELL_MAX_CHARS) {
            return Err(Error::invalid(
                "file",
                "cell_too_long",
                format!("Zeile {line}, Spalte {}: mehr als {CELL_MAX_CHARS} Zeichen.", col + 1),
                format!("Row {line}, column {}: more than {CELL_MAX_CHARS} characters.", col + 1),
            ));
        }
        row.resize(headers.len(), String::new());
        out.push(row);
        lines.push(line);
    }
    if out.is_empty() {
        return Err(Error::invalid(
            "file",
            "file_no_rows",
            "Die Datei enthält nur die Kopfzeile, keine Daten.",
            "The file holds only the header row, no data.",
        ));
    }
    Ok(Table {
        headers,
        rows: out,
        lines,
        sha256: String::new(),
    })
}
