//! Files the app and the CLI write: whole or not at all, in folders with any name, and left whole
//! when another program holds them open.

use std::path::Path;

use kozmos_core::files::write_atomically;

fn entries(folder: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(folder)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[test]
fn a_file_is_replaced_whole_in_a_folder_with_umlauts_and_no_temporary_file_stays() {
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("Jürgen Müller").join("Steckbriefe für Förderer");
    std::fs::create_dir_all(&folder).unwrap();
    let path = folder.join("Steckbrief – Українська громада.pdf");
    write_atomically(&path, b"%PDF-1.7 old").unwrap();
    write_atomically(&path, b"%PDF-1.7 new").unwrap();
    assert_eq!(std::fs::read(&path).unwrap(), b"%PDF-1.7 new");
    assert_eq!(entries(&folder), ["Steckbrief – Українська громада.pdf"]);
}

#[test]
fn a_missing_folder_is_a_file_error_naming_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("fehlt").join("bericht.csv");
    let error = write_atomically(&path, b"a;b").unwrap_err();
    assert_eq!(error.code(), "io");
    assert!(error.message(kozmos_core::Lang::De).contains("bericht.csv"), "{error}");
    assert_eq!(entries(dir.path()), Vec::<String>::new());
}

/// On Windows a program that opens a file without FILE_SHARE_DELETE (Adobe Reader shares reading
/// only; share mode 0 shares nothing) keeps it from being replaced.
#[cfg(windows)]
#[test]
fn a_file_open_in_another_program_stays_whole_and_the_user_is_asked_to_close_it() {
    use kozmos_core::Lang;
    use std::os::windows::fs::OpenOptionsExt;
    const FILE_SHARE_READ: u32 = 1;
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("Jürgen Müller");
    std::fs::create_dir_all(&folder).unwrap();
    let path = folder.join("Steckbrief Jena.pdf");
    for share in [0, FILE_SHARE_READ] {
        write_atomically(&path, b"%PDF-1.7 old").unwrap();
        let viewer = std::fs::OpenOptions::new()
            .read(true)
            .share_mode(share)
            .open(&path)
            .unwrap();
        let error = write_atomically(&path, b"%PDF-1.7 new").unwrap_err();
        assert_eq!(error.code(), "file_in_use", "share mode {share}: {error}");
        assert_eq!(error.field(), Some("path"));
        let de = error.message(Lang::De);
        assert!(
            de.contains(&path.display().to_string())
                && de.contains("ist in einem anderen Programm geöffnet. Bitte schließen Sie sie"),
            "{de}"
        );
        assert!(error.message(Lang::En).contains("Please close it and try again"));
        drop(viewer);
        assert_eq!(std::fs::read(&path).unwrap(), b"%PDF-1.7 old", "the old file is whole");
        assert_eq!(entries(&folder), ["Steckbrief Jena.pdf"], "no temporary file stays");
        write_atomically(&path, b"%PDF-1.7 new").unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"%PDF-1.7 new", "closed, it is replaced");
    }
}

/// A folder where the file should go cannot be replaced either (Windows says "access denied", as
/// for a file held open), but closing a program would not help: a plain file error.
#[test]
fn a_folder_in_the_way_is_not_mistaken_for_a_file_in_use() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bericht.csv");
    std::fs::create_dir_all(path.join("inhalt")).unwrap();
    let error = write_atomically(&path, b"a;b").unwrap_err();
    assert_eq!(error.code(), "io", "{error}");
    assert!(path.join("inhalt").is_dir(), "the folder stays");
    assert_eq!(entries(dir.path()), ["bericht.csv"], "no temporary file stays");
}

#[test]
fn a_file_from_outside_is_read_only_within_its_bound() {
    use kozmos_core::files::read_bounded;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("Verein – نادي.kozmos-sync");
    std::fs::write(&path, vec![7u8; 1000]).unwrap();
    assert_eq!(read_bounded(&path, 1000).unwrap().len(), 1000);
    let error = read_bounded(&path, 999).unwrap_err();
    assert_eq!(error.code(), "file_too_large");
    assert!(error.message(kozmos_core::Lang::De).contains("نادي"), "{error}");
    assert_eq!(read_bounded(dir.path(), 1000).unwrap_err().code(), "file_not_regular");
    assert_eq!(
        read_bounded(&dir.path().join("fehlt"), 1000).unwrap_err().code(),
        "file_unreadable"
    );
}

/// A FIFO planted in a folder would block a plain read forever; it is refused before opening.
#[cfg(unix)]
#[test]
fn a_fifo_is_refused_without_blocking() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("kozmos-peer.kozmos-sync");
    let status = std::process::Command::new("mkfifo").arg(&fifo).status().unwrap();
    assert!(status.success());
    let error = kozmos_core::files::read_bounded(&fifo, 1 << 20).unwrap_err();
    assert_eq!(error.code(), "file_not_regular");
}
