//! The reports as PDF, checked with the tools a user's system has: qpdf --check, pdffonts,
//! pdftotext (text and word boxes), pdfinfo, and pdftoppm for a picture of page 1.
//! Needs poppler-utils and qpdf (scripts/setup.sh --test installs them); without them
//! (KOZMOS_SKIP_PDF_TOOLS=1) only the PDFs are made.

use crate::common;

use std::time::Instant;

use common::pdf::{run, squeeze, tools, Pdf};
use common::TestDb;
use kozmos_core::pdf::reports_pdf;
use kozmos_core::reports::{self, ReportColumn, ReportRow, ReportTable};
use kozmos_core::{demo, Lang};

fn label(row: &ReportRow, lang: Lang) -> &str {
    if lang == Lang::De {
        &row.de
    } else {
        &row.en
    }
}

async fn demo_tables() -> Vec<ReportTable> {
    let db = TestDb::new().await;
    demo::generate(&db.k.store, 1, 7).await.unwrap();
    reports::all(&db.k.store).await.unwrap()
}

async fn demo_report(lang: Lang, name: &str, heading: &str, by: &str) {
    let tables = demo_tables().await;
    assert_eq!(tables.len(), 7);
    let now = time::OffsetDateTime::now_utc();
    let started = Instant::now();
    let bytes = reports_pdf(&tables, lang, now, by).unwrap();
    let first = started.elapsed();
    let started = Instant::now();
    let again = reports_pdf(&tables, lang, now, by).unwrap();
    eprintln!(
        "{name}: seven reports at demo scale 1 in {:.1} ms (first, with parsing the fonts), {:.1} ms (again), {:.1} KB",
        first.as_secs_f64() * 1000.0,
        started.elapsed().as_secs_f64() * 1000.0,
        bytes.len() as f64 / 1024.0
    );
    assert!(again.len().abs_diff(bytes.len()) < 256, "same document again");
    let pdf = Pdf::write("report_pdf", name, &bytes);
    pdf.check_structure();
    if !tools("the reports' text, pages and document information") {
        return;
    }

    let text = pdf.text();
    assert!(text.contains(heading), "{text}");
    let mut from = 0;
    for table in &tables {
        let title = format!("{}\n", table.title(lang));
        from += text[from..]
            .find(&title)
            .unwrap_or_else(|| panic!("title {title:?} in order"));
        let section = &text[from..];
        for column in &table.columns {
            let head = if lang == Lang::De { &column.de } else { &column.en };
            assert!(head.split(' ').all(|w| section.contains(w)), "{head}");
        }
        let mut lines = section.lines();
        for row in &table.rows {
            let line = lines
                .find(|l| l.trim_start().starts_with(label(row, lang)))
                .unwrap_or_else(|| panic!("row {:?} in {}", label(row, lang), table.id));
            // Values stand on the label's line, right-aligned, in their order.
            let mut rest = &line[line.find(label(row, lang)).unwrap() + label(row, lang).len()..];
            for (i, v) in row.values.iter().enumerate() {
                let value = table.format_value(i, *v, lang);
                let at = rest
                    .find(&value)
                    .unwrap_or_else(|| panic!("{value} after {:?} in {line:?}", label(row, lang)));
                rest = &rest[at + value.len()..];
            }
        }
    }
    // Each of these tables fits on a page, so each is printed whole on one page.
    for table in &tables {
        let title = format!("{}\n", table.title(lang));
        let pages: Vec<String> = (1..=pdf.pages())
            .map(|p| pdf.page_text(p))
            .filter(|t| t.contains(&title))
            .collect();
        assert_eq!(pages.len(), 1, "{} on one page", table.id);
        for row in &table.rows {
            assert!(pages[0].contains(label(row, lang)), "{} whole", table.id);
        }
    }

    let info = pdf.info();
    let field = |name: &str| pdf.info_field(name);
    assert_eq!(field("Title"), heading);
    assert_eq!(field("Author"), by);
    assert!(
        field("Subject").contains("KOZMOS") || !field("Subject").is_empty(),
        "{info}"
    );
    assert_eq!(field("Creator"), "KOZMOS");
    assert!(field("Producer").starts_with("KOZMOS"), "{info}");
    assert!(field("CreationDate").contains(&now.year().to_string()), "{info}");
    assert!(field("Pages").parse::<usize>().unwrap() >= 1);
    assert!(
        field("Page size").starts_with("595.") && field("Page size").contains("841.89"),
        "{info}"
    );
    let root = run("qpdf", &["--json", "--json-key=qpdf", pdf.arg()]);
    assert!(
        root.contains(&format!("\"/Lang\": \"u:{}\"", lang.code())),
        "document language"
    );

    if let Some(png) = pdf.picture(&format!("{name}-page1")) {
        eprintln!("{name}: page 1 at {}", png.display());
    }
}

#[tokio::test]
async fn german_reports_print_every_title_label_and_value() {
    demo_report(Lang::De, "reports-de", "KOZMOS – Berichte", "Jürgen Weiß").await;
    if !tools("the German words") {
        return;
    }
    let text = Pdf::at(&common::pdf::out_dir("report_pdf").join("reports-de.pdf")).text();
    for word in [
        "Thüringen",
        "Gespräch",
        "Mansfeld-Südharz",
        "Dessau-Roßlau",
        "Stand:",
        "Seite 1 von",
    ] {
        assert!(text.contains(word), "{word}");
    }
}

#[tokio::test]
async fn english_reports_print_every_title_label_and_value() {
    demo_report(Lang::En, "reports-en", "KOZMOS – reports", "Olena Kovalenko").await;
    if !tools("the English words") {
        return;
    }
    let text = Pdf::at(&common::pdf::out_dir("report_pdf").join("reports-en.pdf")).text();
    for word in ["Thuringia", "As of", "Page 1 of", "€"] {
        assert!(text.contains(word), "{word}");
    }
}

fn table(id: &str, columns: Vec<ReportColumn>, rows: Vec<ReportRow>) -> ReportTable {
    ReportTable {
        id: id.into(),
        de: format!("Tabelle {id}"),
        en: format!("Table {id}"),
        columns,
        rows,
        bar: 0,
    }
}

fn column(name: &str, money: bool) -> ReportColumn {
    ReportColumn {
        de: name.into(),
        en: name.into(),
        money,
    }
}

fn row(label: &str, values: Vec<i64>) -> ReportRow {
    ReportRow {
        code: label.chars().take(8).collect(),
        de: label.into(),
        en: label.into(),
        values,
    }
}

#[test]
fn hostile_labels_and_huge_numbers_stay_on_the_page() {
    let huge = i64::MAX / 4;
    let long_words = "Landesarbeitsgemeinschaft der Migrantenorganisationen ".repeat(10);
    let long_word = "ä".repeat(500);
    let tables = vec![
        table(
            "hostile",
            vec![column("Anzahl", false)],
            vec![
                row(&long_words[..500], vec![3]),
                row(&long_word, vec![2]),
                row("<script>alert(1)</script>", vec![1]),
                row("Tab\tund\nZeilen\u{0}umbruch \u{200B}unsichtbar", vec![0]),
                row("Gespräch § 3 – ÄÖÜ äöü ß · 12 € Börde", vec![-5]),
            ],
        ),
        table(
            "huge",
            vec![
                column("beantragt", true),
                column("bewilligt", true),
                column("Bewilligungen", false),
            ],
            vec![
                row("2026 · LAMSA", vec![huge, -huge, i64::MAX]),
                row("2025 · MigraNetz", vec![i64::MIN, 0, 1]),
            ],
        ),
        table("empty", vec![column("Anzahl", false)], vec![]),
        table("no columns", vec![], vec![row("ohne Spalten", vec![7, 8])]),
        table(
            "columns",
            (0..12).map(|i| column(&format!("Spalte {i}"), true)).collect(),
            vec![row("viele Spalten", vec![huge; 12])],
        ),
    ];
    let bytes = reports_pdf(
        &tables,
        Lang::De,
        time::OffsetDateTime::now_utc(),
        &"<b>Name</b> ".repeat(40),
    )
    .unwrap();
    let pdf = Pdf::write("report_pdf", "hostile", &bytes);
    pdf.check_structure();
    if !tools("the text of hostile labels and huge numbers") {
        return;
    }
    let text = pdf.text();
    assert!(text.contains("<script>alert(1)</script>"), "{text}");
    assert!(text.contains("Landesarbeitsgemeinschaft der"), "{text}");
    assert!(text.contains('…'), "long labels shortened: {text}");
    assert!(text.contains("Tab und Zeilen umbruch unsichtbar"), "{text}");
    assert!(text.contains("Gespräch § 3 – ÄÖÜ äöü ß · 12 € Börde"), "{text}");
    assert!(text.contains("Keine Einträge."), "{text}");
    assert!(
        text.contains("23.058.430.092.136.939,51 €"),
        "i64::MAX / 4 cents: {text}"
    );
    assert!(text.contains("-23.058.430.092.136.939,51 €"), "{text}");
    assert!(text.contains("9.223.372.036.854.775.807"), "{text}");
    if let Some(png) = pdf.picture("hostile-page1") {
        eprintln!("hostile: page 1 at {}", png.display());
    }
}

#[test]
fn no_tables_give_one_page_saying_nothing_to_report() {
    for (lang, says) in [
        (Lang::De, "Es gibt nichts zu berichten"),
        (Lang::En, "There is nothing to report"),
    ] {
        let bytes = reports_pdf(&[], lang, time::OffsetDateTime::now_utc(), "").unwrap();
        let pdf = Pdf::write("report_pdf", &format!("empty-{}", lang.code()), &bytes);
        pdf.check_structure();
        if tools("the one page's text") {
            assert_eq!(pdf.pages(), 1);
            assert!(pdf.text().contains(says), "{}", pdf.text());
        }
    }
}

#[test]
fn a_long_table_repeats_its_heads_and_never_splits_a_row() {
    let rows: Vec<ReportRow> = (0..160)
        .map(|i| {
            let label = if i % 7 == 0 {
                format!("Zeile {i:03} mit einer Bezeichnung, die so lang ist, dass sie auf zwei oder drei Zeilen umbrechen muss, weil der Platz fehlt")
            } else {
                format!("Zeile {i:03}")
            };
            row(&label, vec![i * 1000, 160 - i])
        })
        .collect();
    let long = table(
        "long",
        vec![column("jetzt in der Phase", false), column("Phase erreicht", false)],
        rows.clone(),
    );
    let short = table("short", vec![column("Anzahl", false)], vec![row("eins", vec![1])]);
    let bytes = reports_pdf(&[short, long], Lang::De, time::OffsetDateTime::now_utc(), "Test").unwrap();
    let pdf = Pdf::write("report_pdf", "long", &bytes);
    pdf.check_structure();
    if !tools("the pages of a long table") {
        return;
    }
    let pages = pdf.pages();
    assert!(pages >= 3, "{pages} pages");
    // Longer than a page, the table starts at once below the short one and continues.
    let first = pdf.page_text(1);
    assert!(
        first.contains("Tabelle short") && first.contains("Tabelle long\n"),
        "{first}"
    );
    assert!(pdf.page_text(2).contains("Tabelle long (Fortsetzung)"));
    let mut seen = Vec::new();
    for page in 1..=pages {
        let text = pdf.page_text(page);
        assert!(text.contains(&format!("Seite {page} von {pages}")), "{text}");
        let rows_here: Vec<&ReportRow> = rows.iter().filter(|r| text.contains(&r.de[..9])).collect();
        if !rows_here.is_empty() {
            assert!(text.contains("Tabelle long"), "title on page {page}");
            assert!(text.contains("Phase erreicht"), "heads on page {page}");
            if page > 1 {
                assert!(text.contains("Stand:"), "header on page {page}");
            }
        }
        let wrapped = rows_here.iter().filter(|r| r.de.ends_with("fehlt")).count();
        assert_eq!(
            text.matches("fehlt").count(),
            wrapped,
            "long labels whole on page {page}"
        );
        for r in rows_here {
            // The whole row on this page: its label's words and its values.
            let squeezed = squeeze(&text);
            for word in r.de.split(' ') {
                assert!(squeezed.contains(word), "{word} of {:?} on page {page}", &r.de[..9]);
            }
            assert!(text.contains(&kozmos_core::text::format_count(r.values[0], Lang::De)));
            seen.push(r.de.clone());
        }
    }
    assert_eq!(seen.len(), rows.len(), "every row exactly once");
}
