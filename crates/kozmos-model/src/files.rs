//! Files in and out: reading a file from outside within a size bound, and writing export files so
//! that a failure never leaves half a file behind.

use std::io::{Read, Write};
use std::path::Path;

use crate::error::{Error, Result};

/// Reads a file from outside (a sync file, a spreadsheet, a backup) whole, refusing before any
/// memory is spent what is not a plain file (a FIFO would block, a device never ends) or is larger
/// than `max_bytes`; a file that grows while being read is refused too.
pub fn read_bounded(path: &Path, max_bytes: u64) -> Result<Vec<u8>> {
    let unreadable = |e: &dyn std::fmt::Display| {
        Error::invalid(
            "file",
            "file_unreadable",
            format!("Die Datei {} lässt sich nicht lesen ({e}).", path.display()),
            format!("The file {} cannot be read ({e}).", path.display()),
        )
    };
    let meta = std::fs::metadata(path).map_err(|e| unreadable(&e))?;
    if !meta.is_file() {
        return Err(Error::invalid(
            "file",
            "file_not_regular",
            format!(
                "{} ist keine gewöhnliche Datei (sondern ein Ordner, Gerät oder eine Pipe). Bitte wählen Sie eine Datei.",
                path.display()
            ),
            format!(
                "{} is not a regular file (but a folder, device or pipe). Please choose a file.",
                path.display()
            ),
        ));
    }
    let too_large = |size: u64| {
        let mb = |b: u64| b.div_ceil(1 << 20);
        Error::invalid(
            "file",
            "file_too_large",
            format!(
                "Die Datei {} ist zu groß ({} MB; höchstens {} MB).",
                path.display(),
                mb(size),
                mb(max_bytes)
            ),
            format!(
                "The file {} is too large ({} MB; at most {} MB).",
                path.display(),
                mb(size),
                mb(max_bytes)
            ),
        )
    };
    if meta.len() > max_bytes {
        return Err(too_large(meta.len()));
    }
    let file = std::fs::File::open(path).map_err(|e| unreadable(&e))?;
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    file.take(max_bytes + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| unreadable(&e))?;
    if bytes.len() as u64 > max_bytes {
        return Err(too_large(bytes.len() as u64));
    }
    Ok(bytes)
}

/// Writes `bytes` to `path` through a temporary file in the same folder, synced and then renamed
/// over the target: readers see the old file or the whole new one. When another program holds the
/// target open (on Windows a PDF viewer does), the old file stays and the error says to close it.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> Result<()> {
    let folder = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let name = path.file_name().ok_or_else(|| {
        Error::invalid(
            "path",
            "path_invalid",
            "Kein Dateiname angegeben.",
            "No file name given.",
        )
    })?;
    let (temp, file) =
        create_temp(folder, name, || uuid::Uuid::new_v4().simple().to_string()).map_err(|e| replace_error(path, &e))?;
    let written = (|| {
        let mut file = file;
        file.write_all(bytes)?;
        file.sync_all()
    })();
    if let Err(e) = written.and_then(|_| std::fs::rename(&temp, path)) {
        let _ = std::fs::remove_file(&temp);
        return Err(replace_error(path, &e));
    }
    Ok(())
}

/// Creates a new temporary file beside the target, `.<name>.<random>.part`. `create_new` never
/// opens what is already there: a symlink planted in a shared folder under the name is not
/// followed (so nothing outside gets overwritten), an existing file is not reused; another random
/// name is tried instead. On Unix the file is created with mode 0600.
fn create_temp(
    folder: &Path,
    name: &std::ffi::OsStr,
    mut random: impl FnMut() -> String,
) -> std::io::Result<(std::path::PathBuf, std::fs::File)> {
    let mut last = None;
    for _ in 0..8 {
        let mut temp_name = std::ffi::OsString::from(".");
        temp_name.push(name);
        temp_name.push(format!(".{}.part", random()));
        let temp = folder.join(temp_name);
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create_new(true);
        // Only the user may read what is being written (personal data): 0600, not the umask's default.
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        match options.open(&temp) {
            Ok(file) => return Ok((temp, file)),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => last = Some(e),
            Err(e) => return Err(e),
        }
    }
    Err(last.unwrap_or_else(|| std::io::Error::other("no temporary name")))
}

/// The error for a file that could not be replaced or removed: `FileInUse` when another program
/// holds it open, else a plain file error naming it.
fn replace_error(path: &Path, e: &std::io::Error) -> Error {
    if held_open(path, e) {
        Error::FileInUse {
            path: path.display().to_string(),
        }
    } else {
        Error::Io(format!("{}: {e}", path.display()))
    }
}

/// Whether `e`, from replacing or removing `path`, means that another program holds the file open.
/// Only Windows refuses that: files are opened there without FILE_SHARE_DELETE by default (Unix
/// just replaces the name, and the other program keeps the old file).
#[cfg(windows)]
pub fn held_open(path: &Path, e: &std::io::Error) -> bool {
    use std::os::windows::fs::OpenOptionsExt;
    const ERROR_ACCESS_DENIED: i32 = 5;
    const ERROR_SHARING_VIOLATION: i32 = 32;
    const ERROR_LOCK_VIOLATION: i32 = 33;
    const DELETE: u32 = 0x0001_0000;
    const SHARE_ALL: u32 = 0x7; // read, write, delete
    match e.raw_os_error() {
        Some(ERROR_SHARING_VIOLATION | ERROR_LOCK_VIOLATION) => true,
        // A rename over a file that is held open says "access denied", as one over a read-only
        // file does; asking for delete access alone tells the two apart.
        Some(ERROR_ACCESS_DENIED) => std::fs::OpenOptions::new()
            .access_mode(DELETE)
            .share_mode(SHARE_ALL)
            .open(path)
            .is_err_and(|probe| probe.raw_os_error() == Some(ERROR_SHARING_VIOLATION)),
        _ => false,
    }
}

#[cfg(not(windows))]
pub fn held_open(_path: &Path, _e: &std::io::Error) -> bool {
    false
}

/// Text from a file as editors and Excel write it: a byte order mark says the encoding (UTF-8, or
/// UTF-16 as Excel's "Unicode text" and Windows Notepad write it); else UTF-8 when it is valid; else
/// the legacy encoding a detector finds most likely (Windows-1252 from German Windows, Windows-1251
/// or KOI8-R for Cyrillic, Windows-1256 for Arabic, Windows-1258 for Vietnamese, …).
pub fn decode_text(bytes: &[u8]) -> String {
    if let Some((encoding, bom)) = encoding_rs::Encoding::for_bom(bytes) {
        return encoding.decode_without_bom_handling(&bytes[bom..]).0.into_owned();
    }
    if let Ok(text) = std::str::from_utf8(bytes) {
        return text.to_string();
    }
    let mut detector = chardetng::EncodingDetector::new();
    detector.feed(bytes, true);
    detector
        .guess(None, false)
        .decode_without_bom_handling(bytes)
        .0
        .into_owned()
}

/// Now in the computer's time zone (for dates printed on exports), UTC when it cannot be told.
pub fn local_now() -> time::OffsetDateTime {
    time::OffsetDateTime::now_local().unwrap_or_else(|_| time::OffsetDateTime::now_utc())
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;

    /// A symlink planted under the temporary name (a hostile shared folder guessing it) is neither
    /// followed nor replaced: the next name is taken and the link's target stays untouched.
    #[test]
    fn a_planted_symlink_is_not_followed() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("victim.txt");
        std::fs::write(&target, b"precious").unwrap();
        let planted = dir.path().join(".kozmos-peer.kozmos-sync.guessed.part");
        std::os::unix::fs::symlink(&target, &planted).unwrap();
        let mut names = ["guessed", "fresh"].into_iter().map(String::from);
        let (temp, mut file) =
            create_temp(dir.path(), "kozmos-peer.kozmos-sync".as_ref(), || names.next().unwrap()).unwrap();
        file.write_all(b"export").unwrap();
        assert_eq!(temp, dir.path().join(".kozmos-peer.kozmos-sync.fresh.part"));
        assert_eq!(std::fs::read(&target).unwrap(), b"precious");
        assert!(std::fs::symlink_metadata(&planted).unwrap().file_type().is_symlink());
    }

    #[test]
    fn temp_files_are_private() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let (temp, _file) = create_temp(dir.path(), "kozmos.kozmos-sync".as_ref(), || "x".into()).unwrap();
        let mode = std::fs::metadata(&temp).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600, "{mode:o}");
    }
}
