//! What a sync file says, fuzzed with structure: an honest file (the `full-all` seed) rewritten as
//! the input dictates (values, stamps, lives, the header's clock and vectors), its checksum and
//! counts recomputed so that every container check passes. `verify` and `check_content` refuse or
//! accept without panicking, and what they accept keeps the content rules: no stamp beyond the
//! header's newest, which stays within the sane bound, and erasures only of persons and consents.
#![no_main]

use kozmos_syncfile::file::{self, Header, RowLine, SyncWriter};
use libfuzzer_sys::fuzz_target;
use serde_json::{json, Value as Json};

const SEED: &[u8] = include_bytes!("../corpus/sync_reader/full-all.kozmos-sync");

/// Values a hostile sender would try: blanks, lengths, scripts, decomposed letters, codes in the
/// wrong case or unknown, impossible dates, broken e-mail and web addresses, numbers out of range.
const TEXTS: &[&str] = &[
    "", " ", "Verein", " Verein ", "Mu\u{308}ller", "<script>alert(1)</script>", "\0", "a\nb",
    "bildung", "BILDUNG", "atomkraft", "[\"bildung\"]", "[\"atomkraft\"]", "[1]", "[]", "2026-02-31",
    "2026-12-04", "kein@", "olena@example.org", "https://example.org", "javascript:alert(1)",
    "0190a1b2-1111-7000-8000-000000000001", "../etc", "-5", "alive", "purged", "iVBORw0KGgo=",
];

fuzz_target!(|data: &[u8]| {
    let verified = file::verify(SEED, None).expect("the seed is an honest file");
    let mut header = verified.header.clone();
    let mut rows: Vec<RowLine> = verified.rows().map(|r| r.expect("seed rows")).collect();
    for op in data.chunks_exact(10) {
        mutate(&mut header, &mut rows, op);
    }
    let Ok(mut writer) = SyncWriter::new(&header) else { return };
    for row in &rows {
        writer.row(row).expect("rows are written");
    }
    let bytes = writer.finish(None).expect("the file is written");
    let Ok(accepted) = file::verify(&bytes, None) else { return };
    if accepted.check_content().is_err() {
        return;
    }
    assert!((0..=kozmos_model::hlc::MAX_STAMP).contains(&accepted.header.newest_hlc));
    for row in accepted.rows() {
        let row = row.expect("the rows of a verified file read again");
        for field in &row.f {
            assert!(field.2 <= accepted.header.newest_hlc, "a stamp beyond the header");
            if field.0 == "_life" && field.1 == json!("purged") {
                assert!(["persons", "consents"].contains(&row.t.as_str()), "{} purged", row.t);
            }
        }
    }
});

/// One edit: `op[0]` says what, `op[1..3]` where, `op[3..]` the new value.
fn mutate(header: &mut Header, rows: &mut [RowLine], op: &[u8]) {
    let number = i64::from_le_bytes(op[2..10].try_into().unwrap());
    let text = TEXTS[op[2] as usize % TEXTS.len()];
    if op[0] % 9 == 7 {
        header.newest_hlc = number;
        return;
    }
    if op[0] % 9 == 8 {
        let at = op[1] as usize % header.vector.len().max(1);
        if let Some(entry) = header.vector.values_mut().nth(at) {
            *entry = number;
        }
        return;
    }
    let row = &mut rows[op[1] as usize % rows.len()];
    let at = op[2] as usize % row.f.len();
    let field = &mut row.f[at];
    match op[0] % 9 {
        0 => field.1 = Json::from(text),
        1 => field.1 = Json::from(number),
        2 => field.2 = number,
        3 => field.1 = Json::from(text.repeat(1 + (op[3] as usize) * 64)),
        4 => field.1 = Json::Null,
        5 => {
            if let Some(life) = row.f.iter_mut().find(|f| f.0 == "_life") {
                life.1 = json!(["alive", "deleted", "purged"][op[3] as usize % 3]);
            }
        }
        6 => {
            if row.f.len() > 1 {
                row.f.remove(at);
            }
        }
        _ => {}
    }
}
