//! The TypeScript bindings in ui/src/lib/bindings must match the Rust types.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

fn read_dir(dir: &Path) -> BTreeMap<String, String> {
    std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .filter_map(|e| e.ok())
                .filter(|e| e.path().extension().is_some_and(|x| x == "ts"))
                .map(|e| {
                    (
                        e.file_name().to_string_lossy().into_owned(),
                        std::fs::read_to_string(e.path()).unwrap(),
                    )
                })
                .collect()
        })
        .unwrap_or_default()
}

#[test]
fn typescript_bindings_are_current() {
    let committed = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../ui/src/lib/bindings");
    if std::env::var("UPDATE_BINDINGS").is_ok_and(|v| v == "1") {
        // The core's files only: ipc/ is the desktop crate's (its contract test).
        for name in read_dir(&committed).keys() {
            std::fs::remove_file(committed.join(name)).unwrap();
        }
        kozmos_core::bindings::export_all(&committed).unwrap();
    }
    let fresh = tempfile::tempdir().unwrap();
    kozmos_core::bindings::export_all(fresh.path()).unwrap();
    let expected = read_dir(fresh.path());
    assert!(expected.contains_key("Association.ts") && expected.contains_key("ErrorPayload.ts"));
    let committed = read_dir(&committed);
    let stale: std::collections::BTreeSet<&String> = expected
        .keys()
        .chain(committed.keys())
        .filter(|name| expected.get(*name) != committed.get(*name))
        .collect();
    assert!(
        stale.is_empty(),
        "ui/src/lib/bindings is stale ({stale:?}): run UPDATE_BINDINGS=1 cargo test -p kozmos-core --test it bindings"
    );
}
