//! The TypeScript bindings in ui/src/lib/bindings must match the Rust types.

use std::path::PathBuf;

use kozmos_core::bindings::{export_all, stale_files, typescript_files};

#[test]
fn typescript_bindings_are_current() {
    let committed = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../ui/src/lib/bindings");
    if std::env::var("UPDATE_BINDINGS").is_ok_and(|v| v == "1") {
        // The core's files only: ipc/ is the desktop crate's (its contract test).
        for name in typescript_files(&committed).keys() {
            std::fs::remove_file(committed.join(name)).unwrap();
        }
        export_all(&committed).unwrap();
    }
    let fresh = tempfile::tempdir().unwrap();
    export_all(fresh.path()).unwrap();
    let expected = typescript_files(fresh.path());
    assert!(expected.contains_key("Association.ts") && expected.contains_key("ErrorPayload.ts"));
    let stale = stale_files(fresh.path(), &committed);
    assert!(
        stale.is_empty(),
        "ui/src/lib/bindings is stale ({stale:?}): run UPDATE_BINDINGS=1 cargo test -p kozmos-core --test it bindings"
    );
}
