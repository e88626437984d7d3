//! The sync file reader on arbitrary bytes: `verify` returns a verified file or a typed error and
//! never panics, hangs or allocates without bound; the rows of a verified file read again without
//! error and match the trailer's counts. Encrypted inputs (age header) are also tried with the
//! passphrase the seed corpus uses.
#![no_main]

use kozmos_syncfile::file;
use libfuzzer_sys::fuzz_target;

/// The passphrase of the encrypted seeds (see kozmos-core tests/it/sync_faults.rs, `fuzz_seeds_are_valid_sync_files`).
const PASSPHRASE: &str = "passphrase";

fuzz_target!(|data: &[u8]| {
    read(data, None);
    if file::is_encrypted(data) {
        read(data, Some(PASSPHRASE));
    }
});

fn read(data: &[u8], passphrase: Option<&str>) {
    let Ok(verified) = file::verify(data, passphrase) else {
        return;
    };
    let _ = verified.check_content();
    let (mut rows, mut fields) = (0u64, 0u64);
    for row in verified.rows() {
        let row = row.expect("the rows of a verified file read again");
        rows += 1;
        fields += row.f.len() as u64;
    }
    assert_eq!((rows, fields), (verified.rows, verified.fields));
}
