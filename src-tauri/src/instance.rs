//! One app window per database. The first start claims a local socket named after the database
//! (a named pipe on Windows, the abstract namespace on Linux, a socket in the user's private
//! temporary folder on macOS) and listens on it; a later start with the same database hands the
//! files it was asked to open to that window and exits, and the window comes to the front.
//!
//! A request must carry the token the first start wrote beside the database, which only the
//! user who can read the database can know: other users on the machine cannot send requests.

use std::io::{self, BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::time::Duration;

use interprocess::local_socket::{prelude::*, Listener, ListenerOptions, Name, Stream};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// How long a later start waits for the running window to answer.
const ANSWER_TIMEOUT: Duration = Duration::from_secs(10);
/// The largest request read (a few paths; anything bigger is not ours).
const MAX_REQUEST_BYTES: u64 = 64 * 1024;
const ACCEPTED: &str = "ok";

/// What a later start asks the running window to do: come to the front and open these files.
#[derive(Debug, Serialize, Deserialize, PartialEq)]
struct Request {
    token: String,
    files: Vec<PathBuf>,
}

/// The outcome of starting with a database.
pub enum Claim {
    /// This process has the database's window; requests from later starts arrive on the listener.
    First(Listener),
    /// Another process has the window and accepted the request; this process should exit.
    HandedOver,
}

/// Claims the window for `db`, or hands `files` to the process that has it.
pub fn claim(db: &Path, files: &[PathBuf]) -> io::Result<Claim> {
    let token_path = token_path(db);
    for _ in 0..3 {
        match listen(db) {
            Ok(listener) => {
                write_token(&token_path)?;
                return Ok(Claim::First(listener));
            }
            Err(e) if e.kind() == io::ErrorKind::AddrInUse => {}
            Err(e) => return Err(e),
        }
        // Someone has the name: hand the request over. It may be starting up or shutting down
        // (the name is taken but the token not yet written, or no one answers): then try again.
        let token = std::fs::read_to_string(&token_path).unwrap_or_default();
        let request = Request {
            token: token.trim().to_string(),
            files: files.to_vec(),
        };
        match hand_over(db, &request) {
            Ok(()) => return Ok(Claim::HandedOver),
            Err(_) => std::thread::sleep(Duration::from_millis(300)),
        }
    }
    Err(io::Error::new(
        io::ErrorKind::AddrInUse,
        "another KOZMOS window has this database but does not answer",
    ))
}

/// Serves requests from later starts on a thread of its own: each accepted request's files go
/// to `on_request` (possibly none: then the window only comes to the front).
pub fn serve(listener: Listener, db: &Path, on_request: impl Fn(Vec<PathBuf>) + Send + 'static) {
    let token_path = token_path(db);
    std::thread::spawn(move || {
        for stream in listener.incoming().filter_map(Result::ok) {
            let token = std::fs::read_to_string(&token_path).unwrap_or_default();
            if let Some(files) = answer(stream, token.trim()) {
                on_request(files);
            }
        }
    });
}

/// Reads one request, checks its token and answers; the files of an accepted request.
fn answer(stream: Stream, token: &str) -> Option<Vec<PathBuf>> {
    let _ = stream.set_recv_timeout(Some(ANSWER_TIMEOUT));
    let mut reader = BufReader::new((&stream).take(MAX_REQUEST_BYTES));
    let mut line = String::new();
    reader.read_line(&mut line).ok()?;
    let request: Request = serde_json::from_str(&line).ok()?;
    if token.is_empty() || request.token != token {
        return None;
    }
    (&stream).write_all(format!("{ACCEPTED}\n").as_bytes()).ok()?;
    Some(request.files)
}

fn hand_over(db: &Path, request: &Request) -> io::Result<()> {
    let stream = Stream::connect(socket_name(db)?)?;
    stream.set_recv_timeout(Some(ANSWER_TIMEOUT))?;
    stream.set_send_timeout(Some(ANSWER_TIMEOUT))?;
    let mut line = serde_json::to_string(request).map_err(io::Error::other)?;
    line.push('\n');
    (&stream).write_all(line.as_bytes())?;
    let mut reply = String::new();
    BufReader::new((&stream).take(16)).read_line(&mut reply)?;
    if reply.trim() == ACCEPTED {
        Ok(())
    } else {
        Err(io::Error::new(io::ErrorKind::PermissionDenied, "request refused"))
    }
}

fn listen(db: &Path) -> io::Result<Listener> {
    let options = ListenerOptions::new().name(socket_name(db)?);
    // A socket file left by a crash on macOS: the name is ours to take once nobody answers on it.
    #[cfg(target_os = "macos")]
    let options = match options.create_sync() {
        Err(e) if e.kind() == io::ErrorKind::AddrInUse && Stream::connect(socket_name(db)?).is_err() => {
            ListenerOptions::new().name(socket_name(db)?).try_overwrite(true)
        }
        result => return result,
    };
    options.create_sync()
}

/// The socket's name: the same for every spelling of the database's path.
fn socket_name(db: &Path) -> io::Result<Name<'static>> {
    let name = format!("kozmos-{}", instance_key(db));
    #[cfg(target_os = "macos")]
    {
        use interprocess::local_socket::GenericFilePath;
        std::env::temp_dir()
            .join(format!("{name}.sock"))
            .to_fs_name::<GenericFilePath>()
    }
    #[cfg(not(target_os = "macos"))]
    {
        use interprocess::local_socket::GenericNamespaced;
        name.to_ns_name::<GenericNamespaced>()
    }
}

/// A short hash of the database's canonical path (case-folded where file names ignore case).
fn instance_key(db: &Path) -> String {
    let canonical = canonical_db_path(db);
    let text = canonical.to_string_lossy();
    let text = if cfg!(any(windows, target_os = "macos")) {
        text.to_lowercase()
    } else {
        text.into_owned()
    };
    let digest = Sha256::digest(text.as_bytes());
    digest[..10].iter().map(|b| format!("{b:02x}")).collect()
}

/// The database's path with its folder resolved (the file itself may not exist yet).
fn canonical_db_path(db: &Path) -> PathBuf {
    let absolute = std::path::absolute(db).unwrap_or_else(|_| db.to_path_buf());
    match (absolute.parent(), absolute.file_name()) {
        (Some(folder), Some(name)) => std::fs::canonicalize(folder)
            .map(|folder| folder.join(name))
            .unwrap_or(absolute),
        _ => absolute,
    }
}

fn token_path(db: &Path) -> PathBuf {
    let mut name = db.file_name().unwrap_or_default().to_os_string();
    name.push(".instance");
    db.with_file_name(name)
}

/// Writes a fresh random token, readable only by this user where the system has such rights.
fn write_token(path: &Path) -> io::Result<()> {
    if let Some(folder) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(folder)?;
    }
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options.open(path)?;
    file.write_all(uuid::Uuid::new_v4().simple().to_string().as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::mpsc;

    fn temp_db(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("kozmos-instance-{name}-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        dir.join("kozmos.sqlite3")
    }

    #[test]
    fn a_second_start_hands_its_files_to_the_first_and_the_first_gets_them() {
        let db = temp_db("handover");
        let Claim::First(listener) = claim(&db, &[]).unwrap() else {
            panic!("the first start must get the window");
        };
        let (tx, rx) = mpsc::channel();
        serve(listener, &db, move |files| tx.send(files).unwrap());

        let file = PathBuf::from("/home/jürgen müller/Downloads/lamsa.kozmos-sync");
        assert!(matches!(
            claim(&db, std::slice::from_ref(&file)).unwrap(),
            Claim::HandedOver
        ));
        assert_eq!(rx.recv_timeout(Duration::from_secs(5)).unwrap(), vec![file]);

        // Another spelling of the same path reaches the same window.
        let other_spelling = db.parent().unwrap().join(".").join("kozmos.sqlite3");
        assert!(matches!(claim(&other_spelling, &[]).unwrap(), Claim::HandedOver));
        assert_eq!(rx.recv_timeout(Duration::from_secs(5)).unwrap(), Vec::<PathBuf>::new());
    }

    #[test]
    fn another_database_gets_a_window_of_its_own() {
        let (a, b) = (temp_db("own-a"), temp_db("own-b"));
        let first = claim(&a, &[]).unwrap();
        assert!(matches!(first, Claim::First(_)));
        assert!(matches!(claim(&b, &[]).unwrap(), Claim::First(_)));
    }

    #[test]
    fn a_request_without_the_token_is_refused_and_delivers_nothing() {
        let db = temp_db("token");
        let Claim::First(listener) = claim(&db, &[]).unwrap() else {
            panic!("the first start must get the window");
        };
        let (tx, rx) = mpsc::channel();
        serve(listener, &db, move |files| tx.send(files).unwrap());
        let forged = Request {
            token: "guessed".into(),
            files: vec![PathBuf::from("/tmp/x.kozmos-sync")],
        };
        assert_eq!(
            hand_over(&db, &forged).unwrap_err().kind(),
            io::ErrorKind::PermissionDenied
        );
        assert!(rx.recv_timeout(Duration::from_millis(300)).is_err());
    }

    #[test]
    fn the_window_is_free_again_once_its_process_let_go() {
        let db = temp_db("free");
        let first = claim(&db, &[]).unwrap();
        drop(first);
        assert!(matches!(claim(&db, &[]).unwrap(), Claim::First(_)));
    }
}
