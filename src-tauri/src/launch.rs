//! What the app was started with: the database (`--db PATH`) and the files to open (a sync file
//! double-clicked in the file manager arrives as a plain argument).

use std::path::{Path, PathBuf};

#[derive(Debug, Default, PartialEq)]
pub struct Launch {
    pub db: Option<PathBuf>,
    /// Files named on the command line, made absolute against the folder the app was started in.
    pub files: Vec<PathBuf>,
}

/// Reads the arguments after the program name. Unknown options (such as the `-psn_…` macOS once
/// added) are skipped.
pub fn parse(args: &[String], cwd: &Path) -> Launch {
    let mut launch = Launch::default();
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        if arg == "--db" {
            launch.db = args.next().map(PathBuf::from);
        } else if let Some(path) = arg.strip_prefix("--db=") {
            launch.db = Some(PathBuf::from(path));
        } else if !arg.starts_with('-') && !arg.is_empty() {
            launch.files.push(cwd.join(arg));
        }
    }
    launch
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parsed(args: &[&str]) -> Launch {
        let args: Vec<String> = args.iter().map(|s| s.to_string()).collect();
        parse(&args, Path::new("/home/jürgen müller"))
    }

    #[test]
    fn reads_the_db_option_in_both_spellings() {
        assert_eq!(
            parsed(&["--db", "/x/a.sqlite3"]).db,
            Some(PathBuf::from("/x/a.sqlite3"))
        );
        assert_eq!(parsed(&["--db=/y.sqlite3"]).db, Some(PathBuf::from("/y.sqlite3")));
        assert_eq!(parsed(&[]), Launch::default());
        assert_eq!(parsed(&["--db"]).db, None);
    }

    #[test]
    fn a_double_clicked_file_is_a_file_to_open_and_a_relative_one_is_made_absolute() {
        let launch = parsed(&["--db", "/x/a.sqlite3", "/media/usb/lamsa.kozmos-sync"]);
        assert_eq!(launch.files, vec![PathBuf::from("/media/usb/lamsa.kozmos-sync")]);
        assert_eq!(
            parsed(&["Downloads/für TH.kozmos-sync"]).files,
            vec![PathBuf::from("/home/jürgen müller/Downloads/für TH.kozmos-sync")]
        );
    }

    #[test]
    fn options_it_does_not_know_are_not_files() {
        assert_eq!(parsed(&["-psn_0_12345", "--verbose", ""]).files, Vec::<PathBuf>::new());
    }
}
