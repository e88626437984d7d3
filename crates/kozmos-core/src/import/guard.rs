//! XLSX and ODS files checked before calamine unpacks them. Calamine builds one dense grid over
//! the cells that hold values, reserves what the shared-strings count claims and repeats ODS rows
//! and cells as told, so a file of a few kilobytes could ask for gigabytes. Here the archive's
//! entries are checked by their sizes (declared, and counted while unpacking, since the declared
//! ones can lie) and the sheet XML is streamed to find how far the cells with values reach.

use std::io::{BufReader, Cursor, Read};

use quick_xml::events::{BytesStart, Event};

use super::read::{COLUMNS_MAX, ROWS_MAX};
use crate::error::{Error, Result};

/// Unpacked bytes of one entry and of all entries: a sheet of 50,000 rows by 100 columns of text
/// stays well below.
const ENTRY_MAX: u64 = 200 << 20;
const TOTAL_MAX: u64 = 400 << 20;
/// Unpacked size per packed byte: XML packs about 10 to 30 fold; far more is a bomb.
const RATIO_MAX: u64 = 200;
/// Cells with a value, and distinct shared strings: at most what `read` accepts anyway.
const CELLS_MAX: u64 = 1_000_000;
/// The last row a value may sit in: the header, the data rows, and some empty rows above.
const LAST_ROW: u64 = ROWS_MAX as u64 + 100;

/// Refuses an archive that would unpack or expand beyond what a real association spreadsheet
/// needs; Ok for anything else (including files that are not spreadsheets: calamine says so).
/// Every entry is unpacked and scanned, whatever its name: calamine finds the workbook through
/// `_rels/.rels`, and its sheets and shared strings through paths it matches without regard to
/// case, so a sheet can sit anywhere in the archive.
pub fn check_workbook(bytes: &[u8]) -> Result<()> {
    let Ok(mut archive) = zip::ZipArchive::new(Cursor::new(bytes)) else {
        return Ok(());
    };
    let mut total = 0u64;
    for i in 0..archive.len() {
        let entry = archive.by_index_raw(i).map_err(|_| refused("workbook_damaged"))?;
        let (size, packed) = (entry.size(), entry.compressed_size());
        total = total.saturating_add(size);
        if size > ENTRY_MAX || total > TOTAL_MAX || (size > 1 << 20 && size / packed.max(1) > RATIO_MAX) {
            return Err(refused("workbook_bomb"));
        }
    }
    for i in 0..archive.len() {
        let entry = archive.by_index(i).map_err(|_| refused("workbook_damaged"))?;
        let ods = entry.name().is_ok_and(|n| n == "content.xml");
        let declared = entry.size();
        let counted = Counted {
            inner: entry,
            read: 0,
            declared,
        };
        let mut xml = quick_xml::Reader::from_reader(BufReader::new(counted));
        // As calamine reads them: an XML error here is one where calamine stops as well.
        let config = xml.config_mut();
        config.check_end_names = false;
        config.trim_text(false);
        config.check_comments = false;
        config.expand_empty_elements = true;
        if ods {
            check_ods(&mut xml)?;
        } else {
            check_xlsx_part(&mut xml)?;
        }
        let mut rest = xml.into_inner().into_inner();
        std::io::copy(&mut rest, &mut std::io::sink()).map_err(|_| refused("workbook_bomb"))?;
    }
    Ok(())
}

type Xml<R> = quick_xml::Reader<BufReader<Counted<R>>>;

/// An entry's bytes as unpacked, refused past the size its header declared (at most `ENTRY_MAX`,
/// checked before): a bomb can lie about its sizes, and unpacking goes on regardless.
struct Counted<R> {
    inner: R,
    read: u64,
    declared: u64,
}

impl<R: Read> Read for Counted<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.read += n as u64;
        if self.read > self.declared {
            return Err(std::io::Error::other("entry larger than declared"));
        }
        Ok(n)
    }
}

/// The next event: `None` once the entry ends or is no XML that calamine would read further
/// (images and other binary entries end here); an entry larger than declared is refused.
fn next<'b, R: Read>(xml: &mut Xml<R>, buf: &'b mut Vec<u8>) -> Result<Option<Event<'b>>> {
    buf.clear();
    match xml.read_event_into(buf) {
        Err(quick_xml::Error::Io(_)) => Err(refused("workbook_bomb")),
        Ok(Event::Eof) | Err(_) => Ok(None),
        Ok(event) => Ok(Some(event)),
    }
}

fn attr(e: &BytesStart, name: &str) -> Option<String> {
    e.attributes()
        .flatten()
        .find(|a| a.key.as_ref() == name)
        .map(|a| a.value.to_string())
}

/// An XLSX part: the shared strings' `uniqueCount` and `count` (calamine reserves that many),
/// and in a sheet how many cells hold a value and how far they reach (`<c r="XFD1048576">`).
fn check_xlsx_part<R: Read>(xml: &mut Xml<R>) -> Result<()> {
    let mut buf = Vec::new();
    let mut cell: Option<(u64, u64)> = None;
    let (mut row, mut col) = (0u64, 0u64);
    let mut valued = 0u64;
    while let Some(event) = next(xml, &mut buf)? {
        match event {
            Event::Start(e) if e.local_name().as_ref() == "sst" => {
                let count = |name: &str| attr(&e, name).and_then(|v| v.parse::<u64>().ok()).unwrap_or(0);
                if count("uniqueCount").max(count("count")) > CELLS_MAX {
                    return Err(refused("workbook_too_many_strings"));
                }
            }
            Event::Start(e) if e.local_name().as_ref() == "row" => {
                row = attr(&e, "r").and_then(|r| r.parse().ok()).unwrap_or(row + 1);
                col = 0;
            }
            Event::Start(e) if e.local_name().as_ref() == "c" => {
                col += 1;
                if let Some((r, c)) = attr(&e, "r").as_deref().and_then(cell_position) {
                    (row, col) = (r, c);
                }
                cell = Some((row, col));
            }
            Event::Start(e) if matches!(e.local_name().as_ref(), "v" | "is") => {
                if let Some((r, c)) = cell.take() {
                    valued += 1;
                    if r > LAST_ROW || c > COLUMNS_MAX as u64 || valued > CELLS_MAX {
                        return Err(refused("workbook_too_large_sheet"));
                    }
                }
            }
            Event::End(e) if e.local_name().as_ref() == "c" => cell = None,
            _ => {}
        }
    }
    Ok(())
}

/// "XFD1048576" as (row, column), both from 1. Like calamine: letters in either case, any number.
fn cell_position(reference: &str) -> Option<(u64, u64)> {
    let letters = reference.bytes().take_while(u8::is_ascii_alphabetic).count();
    if letters == 0 {
        return None;
    }
    let col = reference.bytes().take(letters).fold(0u64, |n, b| {
        n.saturating_mul(26)
            .saturating_add(u64::from(b.to_ascii_uppercase() - b'A' + 1))
    });
    let row = reference[letters..].parse().ok()?;
    Some((row, col))
}

/// An ODS sheet: rows and cells repeated (`table:number-rows-repeated`, `…-columns-repeated`) count
/// as often as they are repeated, when they hold a value. Empty repeats (LibreOffice ends every
/// sheet with a million empty rows) cost nothing.
fn check_ods<R: Read>(xml: &mut Xml<R>) -> Result<()> {
    let mut buf = Vec::new();
    let (mut row_end, mut repeats, mut col, mut valued_in_row) = (0u64, 1u64, 0u64, 0u64);
    let mut valued = 0u64;
    let repeat = |e: &BytesStart, name: &str| attr(e, name).and_then(|v| v.parse::<u64>().ok()).unwrap_or(1).max(1);
    while let Some(event) = next(xml, &mut buf)? {
        match event {
            Event::Start(e) if e.name().as_ref() == "table:table" => row_end = 0,
            Event::Start(e) if e.name().as_ref() == "table:table-row" => {
                repeats = repeat(&e, "table:number-rows-repeated");
                row_end = row_end.saturating_add(repeats);
                (col, valued_in_row) = (0, 0);
            }
            Event::Start(e) if matches!(e.name().as_ref(), "table:table-cell" | "table:covered-table-cell") => {
                let span = repeat(&e, "table:number-columns-repeated");
                col = col.saturating_add(span);
                if attr(&e, "office:value-type").is_some() {
                    if col > COLUMNS_MAX as u64 {
                        return Err(refused("workbook_too_large_sheet"));
                    }
                    valued_in_row = valued_in_row.saturating_add(span);
                }
            }
            Event::End(e) if e.name().as_ref() == "table:table-row" && valued_in_row > 0 => {
                valued = valued.saturating_add(valued_in_row.saturating_mul(repeats));
                if row_end > LAST_ROW || valued > CELLS_MAX {
                    return Err(refused("workbook_too_large_sheet"));
                }
            }
            _ => {}
        }
    }
    Ok(())
}

fn refused(code: &str) -> Error {
    let (de, en) = match code {
        "workbook_bomb" => (
            "Die Tabelle würde entpackt viel zu groß (sie ist vermutlich keine echte Tabelle, sondern eine „ZIP-Bombe“).",
            "The spreadsheet would unpack to far too much (it is probably not a real spreadsheet but a \"zip bomb\").",
        ),
        "workbook_too_many_strings" => (
            "Die Tabelle gibt mehr als eine Million verschiedene Texte an; so große Tabellen kann KOZMOS nicht einlesen.",
            "The spreadsheet declares more than a million distinct texts; KOZMOS cannot read spreadsheets that large.",
        ),
        "workbook_too_large_sheet" => (
            "Die Tabelle hat Werte jenseits von 50.000 Zeilen, 100 Spalten oder einer Million Zellen. Bitte teilen Sie sie auf.",
            "The spreadsheet has values beyond 50,000 rows, 100 columns or a million cells. Please split it.",
        ),
        _ => (
            "Die Tabelle ist beschädigt und lässt sich nicht lesen.",
            "The spreadsheet is damaged and cannot be read.",
        ),
    };
    Error::invalid("file", code, de, en)
}

#[cfg(test)]
mod tests {
    use super::cell_position;

    #[test]
    fn cell_references_are_read() {
        assert_eq!(cell_position("A1"), Some((1, 1)));
        assert_eq!(cell_position("Z10"), Some((10, 26)));
        assert_eq!(cell_position("AA3"), Some((3, 27)));
        assert_eq!(cell_position("XFD1048576"), Some((1_048_576, 16_384)));
        assert_eq!(cell_position("xfd1048576"), Some((1_048_576, 16_384)));
        assert_eq!(cell_position("AAAA1"), Some((1, 18_279)));
        assert_eq!(cell_position("1A"), None);
    }
}
