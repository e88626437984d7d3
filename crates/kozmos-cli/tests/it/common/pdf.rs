//! PDFs checked with the tools a user's system has: qpdf --check, pdffonts, pdftotext (text and
//! word boxes), pdfinfo, pdftoppm. Needs poppler-utils and qpdf (scripts/setup.sh --test).
//!
//! Where they cannot run (under Wine, which cannot start Linux programs; on the Windows CI runner)
//! `KOZMOS_SKIP_PDF_TOOLS=1` skips the checks that need them, each with a note; a test guards them
//! with `tools(…)` and still makes its PDFs and checks everything else.

use std::path::{Path, PathBuf};
use std::process::Command;

/// A4 in pt, and the margins the layout promises: 18 mm left and right, header and footer at least
/// 10 mm from the top and bottom edge.
pub const A4: (f64, f64) = (595.28, 841.89);
pub const SIDE: f64 = 51.0;
pub const EDGE: f64 = 28.35;

/// Where a test's PDFs and pictures go (kept after the run, to look at).
pub fn out_dir(test: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(test);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Whether the checks with the PDF tools run; false, with a note naming `what` is skipped, when
/// `KOZMOS_SKIP_PDF_TOOLS=1`.
pub fn tools(what: &str) -> bool {
    let skip = skipped();
    if skip {
        eprintln!("skipped part: {what} (KOZMOS_SKIP_PDF_TOOLS=1: poppler and qpdf do not run here)");
    }
    !skip
}

fn skipped() -> bool {
    std::env::var("KOZMOS_SKIP_PDF_TOOLS").is_ok_and(|v| v == "1")
}

/// Runs a tool and returns its standard output; the test fails if it fails.
pub fn run(tool: &str, args: &[&str]) -> String {
    assert!(
        !skipped(),
        "{tool}: a check with a PDF tool that `tools(…)` does not guard"
    );
    let out = Command::new(tool)
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("{tool} not runnable ({e}): install poppler-utils and qpdf"));
    assert!(
        out.status.success(),
        "{tool} {args:?} failed: {}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

pub struct Pdf {
    pub path: PathBuf,
    dir: PathBuf,
}

impl Pdf {
    /// Writes the bytes to `<test>/<name>.pdf`.
    pub fn write(test: &str, name: &str, bytes: &[u8]) -> Pdf {
        let dir = out_dir(test);
        let path = dir.join(format!("{name}.pdf"));
        std::fs::write(&path, bytes).unwrap();
        Pdf { path, dir }
    }

    /// A PDF another part wrote.
    pub fn at(path: &Path) -> Pdf {
        Pdf {
            path: path.to_path_buf(),
            dir: path.parent().unwrap().to_path_buf(),
        }
    }

    pub fn arg(&self) -> &str {
        self.path.to_str().unwrap()
    }

    pub fn text(&self) -> String {
        run("pdftotext", &["-layout", "-enc", "UTF-8", self.arg(), "-"])
    }

    pub fn page_text(&self, page: usize) -> String {
        let page = page.to_string();
        run(
            "pdftotext",
            &["-layout", "-enc", "UTF-8", "-f", &page, "-l", &page, self.arg(), "-"],
        )
    }

    pub fn info(&self) -> String {
        run("pdfinfo", &[self.arg()])
    }

    /// One field of the document information ("Title", "Author", …), as pdfinfo shows it.
    pub fn info_field(&self, name: &str) -> String {
        self.info()
            .lines()
            .find_map(|l| l.strip_prefix(&format!("{name}:")))
            .unwrap_or_default()
            .trim()
            .to_string()
    }

    pub fn pages(&self) -> usize {
        self.info()
            .lines()
            .find_map(|l| l.strip_prefix("Pages:"))
            .unwrap()
            .trim()
            .parse()
            .unwrap()
    }

    /// The PDF is well-formed (qpdf --check), every font is embedded, subset and has a Unicode map,
    /// every word lies within the margins, and no two words overlap.
    pub fn check_structure(&self) {
        if !tools("qpdf --check, embedded fonts, words within the margins") {
            return;
        }
        let check = run("qpdf", &["--check", self.arg()]);
        assert!(check.contains("No syntax or stream encoding errors"), "{check}");
        let fonts = run("pdffonts", &[self.arg()]);
        let rows: Vec<&str> = fonts.lines().skip(2).collect();
        assert!(!rows.is_empty(), "fonts used: {fonts}");
        for row in rows {
            let cols: Vec<&str> = row.split_whitespace().collect();
            let n = cols.len();
            assert_eq!(&cols[n - 5..n - 2], ["yes", "yes", "yes"], "emb sub uni: {row}");
            assert!(cols[0].contains('+') && cols[0].contains("NotoSans"), "{row}");
        }
        for (page, words) in self.words() {
            for w in &words {
                assert!(
                    w.x0 >= SIDE - 0.5 && w.x1 <= A4.0 - SIDE + 0.5 && w.y0 >= EDGE && w.y1 <= A4.1 - EDGE,
                    "word off the margins on page {page}: {w:?}"
                );
            }
            for (i, a) in words.iter().enumerate() {
                for b in &words[i + 1..] {
                    let overlap_x = a.x1.min(b.x1) - a.x0.max(b.x0);
                    let overlap_y = a.y1.min(b.y1) - a.y0.max(b.y0);
                    assert!(
                        overlap_x <= 0.5 || overlap_y <= 0.5,
                        "words overlap on page {page}: {a:?} {b:?}"
                    );
                }
            }
        }
    }

    /// Every word on every page with its box (pt from the top left), from pdftotext -bbox.
    pub fn words(&self) -> Vec<(usize, Vec<Word>)> {
        let html = run("pdftotext", &["-bbox", "-enc", "UTF-8", self.arg(), "-"]);
        let mut pages = Vec::new();
        for (n, page) in html.split("<page ").skip(1).enumerate() {
            let (w, h) = (attr(page, "width"), attr(page, "height"));
            assert!((w - A4.0).abs() < 1.0 && (h - A4.1).abs() < 1.0, "A4: {w} x {h}");
            let words = page
                .split("<word ")
                .skip(1)
                .map(|word| Word {
                    x0: attr(word, "xMin"),
                    y0: attr(word, "yMin"),
                    x1: attr(word, "xMax"),
                    y1: attr(word, "yMax"),
                    text: word[word.find('>').unwrap() + 1..word.find("</word>").unwrap()].to_string(),
                })
                .collect();
            pages.push((n + 1, words));
        }
        pages
    }

    /// Page 1 as a PNG at 60 dpi, to look at (none without the PDF tools).
    pub fn picture(&self, name: &str) -> Option<PathBuf> {
        if !tools("a picture of page 1") {
            return None;
        }
        let prefix = self.dir.join(name);
        run(
            "pdftoppm",
            &[
                "-png",
                "-r",
                "60",
                "-f",
                "1",
                "-l",
                "1",
                "-singlefile",
                self.arg(),
                prefix.to_str().unwrap(),
            ],
        );
        let png = prefix.with_extension("png");
        assert!(std::fs::metadata(&png).unwrap().len() > 1000, "{png:?}");
        Some(png)
    }
}

#[derive(Debug)]
pub struct Word {
    pub x0: f64,
    pub y0: f64,
    pub x1: f64,
    pub y1: f64,
    pub text: String,
}

fn attr(tag: &str, name: &str) -> f64 {
    let start = tag.find(&format!("{name}=\"")).unwrap() + name.len() + 2;
    let end = start + tag[start..].find('"').unwrap();
    tag[start..end].parse().unwrap()
}

/// The text with every run of whitespace as one space, for finding things that may be spread.
pub fn squeeze(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}
