//! The operating-system questions KOZMOS asks through system calls, and the SQLite calls sqlx does
//! not wrap, behind safe functions. It is the only crate of the workspace with unsafe code (the
//! others forbid it), and it knows nothing of KOZMOS: the core decides what the answers mean.

pub mod rows;
pub mod session;
pub mod sqlite;

use std::path::Path;

/// The kind of file system a folder lies on, as the system names it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FileSystem {
    /// Linux: the `f_type` magic number of `statfs`.
    Magic(u32),
    /// macOS: the `f_fstypename` of `statfs` ("apfs", "smbfs", …).
    Name(String),
}

/// The file system `folder` lies on; None where the system cannot say (or on other systems).
#[cfg(target_os = "linux")]
pub fn file_system(folder: &Path) -> Option<FileSystem> {
    statfs(folder).map(|stat| FileSystem::Magic(stat.f_type as u32))
}

/// The file system `folder` lies on; None where the system cannot say (or on other systems).
#[cfg(target_os = "macos")]
pub fn file_system(folder: &Path) -> Option<FileSystem> {
    let stat = statfs(folder)?;
    let name: Vec<u8> = stat
        .f_fstypename
        .iter()
        .take_while(|&&c| c != 0)
        .map(|&c| c as u8)
        .collect();
    Some(FileSystem::Name(String::from_utf8_lossy(&name).into_owned()))
}

/// The file system `folder` lies on; None where the system cannot say (or on other systems).
#[cfg(not(any(target_os = "linux", target_os = "macos")))]
pub fn file_system(_folder: &Path) -> Option<FileSystem> {
    None
}

#[cfg(any(target_os = "linux", target_os = "macos"))]
fn statfs(folder: &Path) -> Option<libc::statfs> {
    use std::os::unix::ffi::OsStrExt;
    let name = std::ffi::CString::new(folder.as_os_str().as_bytes()).ok()?;
    let mut stat = std::mem::MaybeUninit::<libc::statfs>::zeroed();
    // SAFETY: `name` is NUL-terminated and outlives the call; statfs fills `stat` when it returns 0.
    unsafe { (libc::statfs(name.as_ptr(), stat.as_mut_ptr()) == 0).then(|| stat.assume_init()) }
}

/// Windows: whether the drive with this letter is a network drive (GetDriveTypeW says
/// DRIVE_REMOTE). Elsewhere there are no drive letters: false.
#[cfg(windows)]
pub fn is_network_drive(letter: char) -> bool {
    use std::os::windows::ffi::OsStrExt;
    const DRIVE_REMOTE: u32 = 4;
    let root: Vec<u16> = std::ffi::OsStr::new(&format!("{letter}:\\"))
        .encode_wide()
        .chain(Some(0))
        .collect();
    // SAFETY: `root` is a NUL-terminated UTF-16 string that outlives the call.
    let kind = unsafe { windows_sys::Win32::Storage::FileSystem::GetDriveTypeW(root.as_ptr()) };
    kind == DRIVE_REMOTE
}

/// Windows: whether the drive with this letter is a network drive. Elsewhere there are no drive
/// letters: false.
#[cfg(not(windows))]
pub fn is_network_drive(_letter: char) -> bool {
    false
}

/// Windows: the primary language id of the user's display language (0x07 German, 0x09 English,
/// …). None elsewhere, where the locale variables say it.
#[cfg(windows)]
pub fn user_ui_language() -> Option<u16> {
    // SAFETY: no arguments; it returns the user's display language id.
    let id = unsafe { windows_sys::Win32::Globalization::GetUserDefaultUILanguage() };
    Some(id & 0x3ff)
}

/// Windows: the primary language id of the user's display language. None elsewhere, where the
/// locale variables say it.
#[cfg(not(windows))]
pub fn user_ui_language() -> Option<u16> {
    None
}

/// Linux with glibc: at most `arenas` malloc arenas. glibc gives threads that allocate at the same
/// time arenas of their own, up to eight per core, and memory freed in an arena stays with it: in
/// the desktop app (GTK's, WebKit's, tokio's, rayon's and SQLite's threads), after opening each
/// page at demo scale 100, the heap held 53 MB with eight per core and 44 MB with one (2 cores).
/// Elsewhere (macOS, Windows, musl) the allocators work differently: nothing.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
pub fn limit_malloc_arenas(arenas: usize) {
    let arenas = libc::c_int::try_from(arenas).unwrap_or(libc::c_int::MAX).max(1);
    // SAFETY: mallopt only sets a parameter of the allocator, and takes its lock to do so.
    unsafe { libc::mallopt(libc::M_ARENA_MAX, arenas) };
}

/// Linux with glibc: at most `arenas` malloc arenas. Elsewhere the allocators work differently:
/// nothing.
#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
pub fn limit_malloc_arenas(_arenas: usize) {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    #[cfg(target_os = "linux")]
    fn a_temporary_folder_has_a_file_system_and_a_missing_one_has_none() {
        let dir = std::env::temp_dir();
        assert!(matches!(file_system(&dir), Some(FileSystem::Magic(m)) if m != 0));
        assert_eq!(file_system(&dir.join("kozmos-does-not-exist/x")), None);
        assert_eq!(file_system(Path::new("bad\0name")), None);
    }
}
