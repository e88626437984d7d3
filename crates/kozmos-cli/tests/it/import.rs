//! Spreadsheet import and list export against a real database: encodings, delimiters, XLSX and
//! ODS, bad files refused with nothing written, the mapping saved per shape, the export round trip.

use crate::common::{self, Finish as _};

use std::io::Write as _;

use common::{draft, TestDb};
use kozmos_core::association::{self, AssociationQuery, LogoChange};
use kozmos_core::error::Lang;
use kozmos_core::export::{self, ExportFormat, ListExport, PersonFilter};
use kozmos_core::import::{self, ImportChoice, ImportKind, ImportRowStatus, OnMatch, Table};
use kozmos_core::person::{self, Parent, PersonDraft};

fn choice(kind: ImportKind, table: &Table) -> ImportChoice {
    ImportChoice {
        kind,
        mapping: import::by_names(kind, &table.headers),
        on_match: OnMatch::Skip,
    }
}

async fn living(db: &TestDb, table: &str) -> i64 {
    db.count(&format!("SELECT count(*) FROM {table} WHERE life = 'alive'"))
        .await
}

fn windows_1252(text: &str) -> Vec<u8> {
    let (bytes, _, unmappable) = encoding_rs::WINDOWS_1252.encode(text);
    assert!(!unmappable);
    bytes.into_owned()
}

const GERMAN_EXCEL: &str = "Name des Vereins;PLZ;Stadt;E-Mail;Themen;Homepage;Mitglieder;Bemerkungen\r\n\
\"Deutsch-Syrischer Verein Müller e.V.\";06108;Halle (Saale);info@dsv.de;\"Bildung & Weiterbildung; sprache\";www.dsv.de;1.200;\"Treffen im Büro,\nGroße Straße 5\"\r\n\
Weißer Fluss e.V.;99084;Erfurt;;Kunst & Kultur;;;\r\n";

#[tokio::test]
async fn german_excel_csv_in_windows_1252_imports_with_umlauts_and_line_breaks() {
    let db = TestDb::new().await;
    let table = import::read_bytes(&windows_1252(GERMAN_EXCEL)).unwrap();
    assert_eq!(table.rows.len(), 2);
    let file = import::describe(&db.k.store, ImportKind::Associations, &table)
        .await
        .unwrap();
    let mapped: Vec<Option<&str>> = file.mapping.iter().map(|m| m.as_deref()).collect();
    assert_eq!(
        mapped,
        [
            Some("name"),
            Some("postcode"),
            Some("city"),
            Some("email"),
            Some("themes"),
            Some("website"),
            Some("members"),
            Some("notes")
        ]
    );
    assert_eq!(file.samples[2], ["Halle (Saale)", "Erfurt"]);
    let choice = choice(ImportKind::Associations, &table);
    let preview = import::preview(&db.k.store, &table, &choice).await.unwrap();
    assert_eq!((preview.counts.create, preview.counts.reject), (2, 0));
    assert_eq!(living(&db, "associations").await, 0, "a preview writes nothing");

    let result = import::apply(&db.k.store, Some(&db.k.backup_dir()), &table, &choice)
        .await
        .unwrap();
    assert_eq!(
        result.counts, preview.counts,
        "the preview's counts are the applied counts"
    );
    assert!(std::path::Path::new(result.backup.as_deref().unwrap()).exists());
    let a = association::get(&db.k.store, &result.created[0]).await.unwrap();
    assert_eq!(a.fields.name, "Deutsch-Syrischer Verein Müller e.V.");
    assert_eq!(
        a.fields.themes,
        ["bildung", "sprache"],
        "labels and codes both become codes"
    );
    assert_eq!(a.fields.members, Some(1200));
    assert_eq!(a.fields.website.as_deref(), Some("https://www.dsv.de"));
    assert_eq!(a.fields.notes.as_deref(), Some("Treffen im Büro,\nGroße Straße 5"));
    let b = association::get(&db.k.store, &result.created[1]).await.unwrap();
    assert_eq!(
        (b.fields.name.as_str(), b.fields.themes.as_slice()),
        ("Weißer Fluss e.V.", &["kultur".to_string()][..])
    );
}

#[tokio::test]
async fn utf8_with_bom_and_comma_or_tab_delimiters_with_cyrillic_and_arabic_names() {
    let db = TestDb::new().await;
    for text in [
        "\u{feff}Name,Name in Originalschrift,Postleitzahl,Mail\nObschtschina e.V.,Община,06108,a@b.de\nAl-Amal e.V.,جمعية الأمل,39104,amal@x.de\n",
        "Name\tOriginal name\tZIP\tEmail\nSlavia e.V.\tСлавия\t07743\ts@x.de\n",
    ] {
        let table = import::read_bytes(text.as_bytes()).unwrap();
        assert!(!table.headers[0].starts_with('\u{feff}'));
        let choice = choice(ImportKind::Associations, &table);
        assert_eq!(choice.mapping[1].as_deref(), Some("name_original"));
        let result = import::apply(&db.k.store, None, &table, &choice).await.unwrap();
        assert_eq!(result.counts.reject, 0, "{:?}", result.preview.rows);
    }
    let page = association::list(
        &db.k.store,
        &AssociationQuery {
            text: "Община".into(),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    assert_eq!(page.items.len(), 1);
    let page = association::list(
        &db.k.store,
        &AssociationQuery {
            text: "الأمل".into(),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    assert_eq!(page.items[0].name_original.as_deref(), Some("جمعية الأمل"));
}

#[tokio::test]
async fn bad_files_are_refused_clearly_and_nothing_is_written() {
    let db = TestDb::new().await;
    let cases: &[(&[u8], &str)] = &[
        (b"", "file_empty"),
        (b"\r\n ; ;\r\n", "file_empty"),
        (b"Name;PLZ\r\n", "file_no_rows"),
        (b"\x00\x01\x02\xff\xfePNG\x00garbage", "file_not_a_table"),
        (b"PK\x03\x04not really a zip", "file_not_a_table"),
        (b"Name;PLZ\r\nA;06108;extra;more\r\n", "row_too_long"),
    ];
    for (bytes, code) in cases {
        let error = import::read_bytes(bytes).unwrap_err();
        assert_eq!(error.code(), *code, "{:?}", String::from_utf8_lossy(bytes));
        assert!(!error.message(Lang::De).is_empty() && !error.message(Lang::En).is_empty());
    }
    let huge = format!("Name\r\n{}\r\n", "x".repeat(import::CELL_MAX_CHARS + 1));
    assert_eq!(import::read_bytes(huge.as_bytes()).unwrap_err().code(), "cell_too_long");
    let wide = format!(
        "{}\r\n",
        (0..=import::COLUMNS_MAX)
            .map(|i| format!("c{i}"))
            .collect::<Vec<_>>()
            .join(";")
    );
    assert_eq!(
        import::read_bytes(wide.as_bytes()).unwrap_err().code(),
        "too_many_columns"
    );
    let mut long = String::from("Name\n");
    for i in 0..=import::ROWS_MAX {
        long.push_str(&format!("v{i}\n"));
    }
    assert_eq!(import::read_bytes(long.as_bytes()).unwrap_err().code(), "too_many_rows");
    let missing = import::read_file(&db.dir.path().join("nope.csv")).unwrap_err();
    assert_eq!(missing.code(), "file_unreadable");
    assert_eq!(living(&db, "associations").await, 0);
}

#[tokio::test]
async fn short_rows_are_padded_and_bad_values_rejected_per_cell_while_script_text_is_kept_as_text() {
    let db = TestDb::new().await;
    let text = "Name;PLZ;E-Mail;Gründungsjahr;Themen\n\
                <script>alert(1)</script>;06108\n\
                Gut e.V.;1234;kein-mail;3000;Unsinn\n\
                ;06108;a@b.de;;\n";
    let table = import::read_bytes(text.as_bytes()).unwrap();
    let choice = choice(ImportKind::Associations, &table);
    let preview = import::preview(&db.k.store, &table, &choice).await.unwrap();
    assert_eq!((preview.counts.create, preview.counts.reject), (1, 2));
    let bad = &preview.rows[1];
    assert_eq!((bad.line, bad.status), (3, ImportRowStatus::Reject));
    let mut fields: Vec<(&str, Option<u32>)> = bad.errors.iter().map(|e| (e.field.as_str(), e.column)).collect();
    fields.sort_by_key(|f| f.1);
    assert_eq!(
        fields,
        [
            ("postcode", Some(1)),
            ("email", Some(2)),
            ("founded_year", Some(3)),
            ("themes", Some(4))
        ]
    );
    assert!(bad
        .errors
        .iter()
        .all(|e| !e.message_de.is_empty() && !e.message_en.is_empty()));
    assert_eq!(preview.rows[2].errors[0].code, "required");

    let result = import::apply(&db.k.store, None, &table, &choice).await.unwrap();
    let stored = association::get(&db.k.store, &result.created[0]).await.unwrap();
    assert_eq!(stored.fields.name, "<script>alert(1)</script>");

    let report = import::rejected_csv(&result.preview, Lang::En);
    let again = import::read_bytes(report.as_bytes()).unwrap();
    assert_eq!(again.headers.last().unwrap(), "Reason for rejection");
    assert_eq!(again.rows.len(), 2);
    assert!(again.rows[0][5].contains("Postcode"), "{}", again.rows[0][5]);
    assert_eq!(again.rows[0][..5], ["Gut e.V.", "1234", "kein-mail", "3000", "Unsinn"]);
    // The fixed report imports; its reason column is simply not mapped.
    let fixed = report
        .replace("1234", "06110")
        .replace("kein-mail", "gut@x.de")
        .replace(";3000;Unsinn", ";2001;Bildung");
    let fixed = import::read_bytes(fixed.as_bytes()).unwrap();
    let c = self::choice(ImportKind::Associations, &fixed);
    assert_eq!(c.mapping[5], None);
    let result = import::apply(&db.k.store, None, &fixed, &c).await.unwrap();
    assert_eq!((result.counts.create, result.counts.reject), (1, 1));
}

#[tokio::test]
async fn duplicates_of_stored_records_and_earlier_rows_are_skipped_or_update_when_chosen() {
    let db = TestDb::new().await;
    let mut d = draft("Brücke e.V.");
    d.postcode = "06108".into();
    d.city = "Halle".into();
    let stored = association::create(&db.k.store, &d, LogoChange::Keep).await.unwrap();
    let text = "Name;PLZ;Ort;Telefon\nBRUECKE E.V.;06108;;0345 123456\nNeu e.V.;06110;Halle;\nneu e.v.;06110;Halle;\n";
    let table = import::read_bytes(text.as_bytes()).unwrap();
    let mut choice = choice(ImportKind::Associations, &table);
    let preview = import::preview(&db.k.store, &table, &choice).await.unwrap();
    let statuses: Vec<ImportRowStatus> = preview.rows.iter().map(|r| r.status).collect();
    assert_eq!(
        statuses,
        [
            ImportRowStatus::Duplicate,
            ImportRowStatus::Create,
            ImportRowStatus::Duplicate
        ]
    );
    assert_eq!(preview.rows[0].target_id.as_deref(), Some(stored.id.as_str()));
    assert_eq!(preview.rows[2].duplicate_of_line, Some(3));

    choice.on_match = OnMatch::Update;
    let result = import::apply(&db.k.store, None, &table, &choice).await.unwrap();
    assert_eq!(
        (result.counts.update, result.counts.create, result.counts.duplicate),
        (1, 1, 1)
    );
    let updated = association::get(&db.k.store, &stored.id).await.unwrap();
    assert_eq!(updated.fields.phone.as_deref(), Some("0345 123456"));
    assert_eq!(
        updated.fields.name, "Brücke e.V.",
        "an identity match keeps the stored name"
    );
    assert_eq!(
        updated.fields.city.as_deref(),
        Some("Halle"),
        "empty cells keep stored values"
    );
    assert_eq!(living(&db, "associations").await, 2);
}

#[tokio::test]
async fn persons_find_their_organisation_by_name_or_id() {
    let db = TestDb::new().await;
    let a = association::create(&db.k.store, &draft("Al-Amal e.V."), LogoChange::Keep)
        .await
        .unwrap();
    association::create(&db.k.store, &draft("Twin e.V."), LogoChange::Keep)
        .await
        .unwrap();
    association::create(&db.k.store, &draft("twin e.v."), LogoChange::Keep)
        .await
        .unwrap();
    let text = format!(
        "Name;Organisation;Organisations-ID;E-Mail;Sprachen;Funktion\n\
         Nguyễn Văn An;al-amal e.v.;;an@x.de;Vietnamesisch, de;Vorstand\n\
         Olga;;{};;;\n\
         Kein Verein;Unbekannt e.V.;;;;\n\
         Zwilling;Twin e.V.;;;;\n\
         Niemand;;;;;\n",
        a.id
    );
    let table = import::read_bytes(text.as_bytes()).unwrap();
    let choice = choice(ImportKind::Persons, &table);
    assert_eq!(choice.mapping[1].as_deref(), Some(import::ORGANISATION));
    assert_eq!(choice.mapping[2].as_deref(), Some(import::ORGANISATION_ID));
    let result = import::apply(&db.k.store, None, &table, &choice).await.unwrap();
    let codes: Vec<&str> = result.preview.rows[2..]
        .iter()
        .map(|r| r.errors[0].code.as_str())
        .collect();
    assert_eq!(
        codes,
        ["organisation_unknown", "organisation_ambiguous", "organisation_missing"]
    );
    assert_eq!(result.created.len(), 2);
    let an = person::get(&db.k.store, &result.created[0]).await.unwrap();
    assert_eq!(an.parent, Parent::Association(a.id.clone()));
    assert_eq!(an.fields.languages, ["vi", "de"]);
    assert_eq!(an.fields.role.as_deref(), Some("Vorstand"));
}

#[tokio::test]
async fn the_mapping_is_saved_per_shape_and_proposed_again() {
    let db = TestDb::new().await;
    let text = "Bezeichnung;Postfach;PLZ\nA e.V.;x;06108\n";
    let table = import::read_bytes(text.as_bytes()).unwrap();
    let first = import::describe(&db.k.store, ImportKind::Associations, &table)
        .await
        .unwrap();
    assert_eq!(first.mapping, [None, None, Some("postcode".to_string())]);
    assert!(!first.mapping_saved);
    let mut mapping = first.mapping.clone();
    import::apply_spec(&table.headers, &mut mapping, "Bezeichnung=name,2=-").unwrap();
    let choice = ImportChoice {
        kind: ImportKind::Associations,
        mapping: mapping.clone(),
        on_match: OnMatch::Skip,
    };
    import::apply(&db.k.store, None, &table, &choice).await.unwrap();

    let next = import::read_bytes("bezeichnung;POSTFACH;plz\nB e.V.;y;06110\n".as_bytes()).unwrap();
    let proposed = import::describe(&db.k.store, ImportKind::Associations, &next)
        .await
        .unwrap();
    assert!(proposed.mapping_saved);
    assert_eq!(proposed.mapping, mapping);
    let other_kind = import::describe(&db.k.store, ImportKind::Foundations, &next)
        .await
        .unwrap();
    assert!(!other_kind.mapping_saved);

    assert_eq!(
        import::apply_spec(&table.headers, &mut mapping, "nonsense")
            .unwrap_err()
            .code(),
        "mapping_spec_invalid"
    );
    let wrong = ImportChoice {
        mapping: vec![Some("name".into()), Some("name".into()), None],
        ..choice.clone()
    };
    assert_eq!(
        import::preview(&db.k.store, &table, &wrong).await.unwrap_err().code(),
        "mapping_field_twice"
    );
    let unknown = ImportChoice {
        mapping: vec![Some("<b>".into()), None, None],
        ..choice
    };
    assert_eq!(
        import::preview(&db.k.store, &table, &unknown).await.unwrap_err().code(),
        "mapping_unknown_field"
    );
}

#[tokio::test]
async fn xlsx_written_by_rust_xlsxwriter_imports() {
    let db = TestDb::new().await;
    let mut workbook = rust_xlsxwriter::Workbook::new();
    let sheet = workbook.add_worksheet();
    for (c, h) in [
        "Stiftung",
        "PLZ",
        "Fördersumme bis",
        "Antragsfristen",
        "Nimmt Anträge an",
    ]
    .iter()
    .enumerate()
    {
        sheet.write_string(0, c as u16, *h).unwrap();
    }
    sheet.write_string(1, 0, "Bürgerstiftung Halle").unwrap();
    sheet.write_string(1, 1, "06108").unwrap();
    sheet.write_string(1, 2, "5.000,50").unwrap();
    sheet.write_string(1, 3, "31.03.2027; 2027-09-30").unwrap();
    sheet.write_string(1, 4, "ja").unwrap();
    sheet.write_number(2, 0, 42.0).unwrap();
    let path = db.dir.path().join("stiftungen.xlsx");
    workbook.save(&path).unwrap();

    let table = import::read_file(&path).unwrap();
    let choice = choice(ImportKind::Foundations, &table);
    let result = import::apply(&db.k.store, None, &table, &choice).await.unwrap();
    assert_eq!(result.counts.create, 2, "{:?}", result.preview.rows);
    let f = kozmos_core::foundation::get(&db.k.store, &result.created[0])
        .await
        .unwrap();
    assert_eq!(f.fields.grant_max, Some(500_050));
    assert_eq!(f.fields.deadlines, ["2027-03-31", "2027-09-30"]);
    assert_eq!(f.fields.accepts_applications.as_deref(), Some("yes"));
    let number = kozmos_core::foundation::get(&db.k.store, &result.created[1])
        .await
        .unwrap();
    assert_eq!(number.fields.name, "42", "a number cell is read as its text");
}

fn ods(rows: &[&[&str]]) -> Vec<u8> {
    let mut body = String::new();
    for row in rows {
        body.push_str("<table:table-row>");
        for cell in *row {
            body.push_str(&format!(
                "<table:table-cell office:value-type=\"string\"><text:p>{}</text:p></table:table-cell>",
                cell.replace('&', "&amp;").replace('<', "&lt;")
            ));
        }
        body.push_str("</table:table-row>");
    }
    ods_with_table(&body)
}

/// An ODS file whose only sheet holds the given table XML.
fn ods_with_table(body: &str) -> Vec<u8> {
    let content = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\
<office:document-content xmlns:office=\"urn:oasis:names:tc:opendocument:xmlns:office:1.0\" \
xmlns:table=\"urn:oasis:names:tc:opendocument:xmlns:table:1.0\" \
xmlns:text=\"urn:oasis:names:tc:opendocument:xmlns:text:1.0\" office:version=\"1.2\">\
<office:body><office:spreadsheet><table:table table:name=\"Tabelle1\">{body}</table:table>\
</office:spreadsheet></office:body></office:document-content>"
    );
    let mut out = std::io::Cursor::new(Vec::new());
    let mut zip = zip::ZipWriter::new(&mut out);
    let stored = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    zip.start_file("mimetype", stored).unwrap();
    zip.write_all(b"application/vnd.oasis.opendocument.spreadsheet")
        .unwrap();
    zip.start_file("content.xml", stored).unwrap();
    zip.write_all(content.as_bytes()).unwrap();
    zip.start_file("META-INF/manifest.xml", stored).unwrap();
    zip.write_all(
        b"<?xml version=\"1.0\" encoding=\"UTF-8\"?><manifest:manifest xmlns:manifest=\"urn:oasis:names:tc:opendocument:xmlns:manifest:1.0\" manifest:version=\"1.2\">\
<manifest:file-entry manifest:full-path=\"/\" manifest:media-type=\"application/vnd.oasis.opendocument.spreadsheet\"/>\
<manifest:file-entry manifest:full-path=\"content.xml\" manifest:media-type=\"text/xml\"/></manifest:manifest>",
    )
    .unwrap();
    zip.finish().unwrap();
    out.into_inner()
}

#[tokio::test]
async fn ods_written_by_the_test_imports() {
    let db = TestDb::new().await;
    let bytes = ods(&[
        &["Verein", "Ort", "Landkreis", "Bundesland"],
        &["Зелёный дом e.V.", "Jena", "Jena", "Thüringen"],
        &["Café & Co", "Magdeburg", "Magdeburg", "ST"],
    ]);
    let table = import::read_bytes(&bytes).unwrap();
    let choice = choice(ImportKind::Associations, &table);
    let result = import::apply(&db.k.store, None, &table, &choice).await.unwrap();
    assert_eq!(result.counts.create, 2, "{:?}", result.preview.rows);
    let a = association::get(&db.k.store, &result.created[0]).await.unwrap();
    assert_eq!(a.fields.name, "Зелёный дом e.V.");
    assert_eq!(
        (a.fields.district.as_deref(), a.fields.state.as_deref()),
        (Some("16053"), Some("TH"))
    );
}

#[tokio::test]
async fn export_round_trip_loses_nothing_and_changes_nothing() {
    let db = TestDb::new().await;
    let mut d = draft("Deutsch-Vietnamesischer Verein Nguyễn e.V.");
    d.postcode = "06108".into();
    d.district = "15002".into();
    d.themes = vec!["bildung".into(), "kultur".into()];
    d.languages = vec!["vi".into()];
    d.notes = "Zeile 1\nZeile 2; mit \"Zitat\"".into();
    d.notice_kind = "freistellungsbescheid".into();
    d.notice_date = "2024-03-31".into();
    d.mission_de = "=SUMME(A1)".into();
    // A spreadsheet would compute 49 - 361 - 555; it must come back as the number written.
    d.phone = "+49-361-555".into();
    let a = association::create(&db.k.store, &d, LogoChange::Keep).await.unwrap();
    association::create(&db.k.store, &draft("Zweiter e.V."), LogoChange::Keep)
        .await
        .unwrap();
    person::create(
        &db.k.store,
        &Parent::Association(a.id.clone()),
        &PersonDraft {
            name: "Олена".into(),
            email: "o@x.de".into(),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    let before = association::get(&db.k.store, &a.id).await.unwrap();
    let clock_before = db.k.store.clock().await.unwrap();

    for lang in [Lang::De, Lang::En] {
        for format in [ExportFormat::Csv, ExportFormat::Xlsx] {
            let list = ListExport::Associations(AssociationQuery::default());
            let bytes = export::export(&db.k.store, &list, format, lang).await.unwrap();
            let table = import::read_bytes(&bytes).unwrap();
            assert_eq!(table.rows.len(), 2);
            let choice = choice(ImportKind::Associations, &table);
            assert!(
                choice.mapping.iter().all(Option::is_some),
                "{lang:?}: every exported column maps back"
            );
            let result = import::apply(&db.k.store, None, &table, &choice).await.unwrap();
            assert_eq!(
                result.counts.unchanged, 2,
                "{lang:?} {format:?}: {:?}",
                result.preview.rows
            );
        }
    }
    assert_eq!(
        association::get(&db.k.store, &a.id).await.unwrap().fields,
        before.fields
    );
    assert_eq!(db.k.store.clock().await.unwrap(), clock_before, "nothing was written");

    let filtered = ListExport::Associations(AssociationQuery {
        text: "Zweiter".into(),
        ..Default::default()
    });
    let rows = export::rows(&db.k.store, &filtered, Lang::De).await.unwrap();
    assert_eq!(rows.len(), 2, "the export keeps the list's filter");
    let csv = String::from_utf8(
        export::export(
            &db.k.store,
            &ListExport::Associations(AssociationQuery::default()),
            ExportFormat::Csv,
            Lang::De,
        )
        .await
        .unwrap(),
    )
    .unwrap();
    assert!(csv.starts_with("\u{feff}ID;Name;"));
    assert!(csv.contains("Bildung & Weiterbildung; Kunst & Kultur") && csv.contains("Halle (Saale)"));
    assert!(csv.contains("'=SUMME(A1)"), "formulas are defused");

    let persons = export::rows(&db.k.store, &ListExport::Persons(PersonFilter::default()), Lang::De)
        .await
        .unwrap();
    assert_eq!(persons[1][1], before.fields.name);
    let table = import::read_bytes(
        &export::export(
            &db.k.store,
            &ListExport::Persons(PersonFilter::default()),
            ExportFormat::Csv,
            Lang::De,
        )
        .await
        .unwrap(),
    )
    .unwrap();
    let result = import::preview(&db.k.store, &table, &choice(ImportKind::Persons, &table))
        .await
        .unwrap();
    assert_eq!(result.counts.unchanged, 1);
    // Without the id column the same rows are duplicates.
    let mut without_id = choice(ImportKind::Persons, &table);
    without_id.mapping[0] = None;
    let result = import::preview(&db.k.store, &table, &without_id).await.unwrap();
    assert_eq!(result.counts.duplicate, 1, "{:?}", result.rows);
}

/// An id no record here has (another installation's list) is planned as new; a cell that is no
/// KOZMOS id at all is rejected, and a file with a rejected row still writes the rest only.
#[tokio::test]
async fn an_unknown_id_imports_as_new_and_a_malformed_one_is_rejected() {
    let db = TestDb::new().await;
    let table = import::read_bytes(
        "ID;Name\n0190aaaa-0000-7000-8000-000000000000;X e.V.\nkeine-id;Z e.V.\n;Y e.V.\n".as_bytes(),
    )
    .unwrap();
    let result = import::apply(&db.k.store, None, &table, &choice(ImportKind::Associations, &table))
        .await
        .unwrap();
    assert_eq!(result.preview.rows[1].errors[0].code, "id_invalid");
    assert_eq!(
        (result.counts.reject, result.counts.create, result.counts.foreign_ids),
        (1, 2, 1)
    );
    assert!(result.preview.rows[0].foreign_id && !result.preview.rows[2].foreign_id);
    assert!(!result
        .created
        .contains(&"0190aaaa-0000-7000-8000-000000000000".to_string()));
    assert!(result.backup.is_none());
}

/// Lists exported by installation A (associations, then their persons; CSV and XLSX) import into
/// installation B as new records under B's own ids; the persons find their association by name.
#[tokio::test]
async fn a_list_exported_by_another_installation_imports_as_new_records() {
    for format in [ExportFormat::Csv, ExportFormat::Xlsx] {
        let a = TestDb::new().await;
        let b = TestDb::new().await;
        let x = association::create(&a.k.store, &draft("Ukrainischer Verein Jena"), LogoChange::Keep)
            .await
            .unwrap();
        let person = PersonDraft {
            name: "Олена Коваленко".into(),
            role: "Vorstand".into(),
            ..Default::default()
        };
        person::create(&a.k.store, &Parent::Association(x.id.clone()), &person)
            .await
            .unwrap();
        let exported = |list| export::export(&a.k.store, list, format, Lang::De);
        let lists = [
            (
                ImportKind::Associations,
                exported(&ListExport::Associations(AssociationQuery::default()))
                    .await
                    .unwrap(),
            ),
            (
                ImportKind::Persons,
                exported(&ListExport::Persons(PersonFilter::default())).await.unwrap(),
            ),
        ];
        for (kind, bytes) in lists {
            let table = import::read_bytes(&bytes).unwrap();
            let preview = import::preview(&b.k.store, &table, &choice(kind, &table))
                .await
                .unwrap();
            assert_eq!(
                (preview.counts.create, preview.counts.reject, preview.counts.foreign_ids),
                (1, 0, 1),
                "{format:?} {kind:?}: {:?}",
                preview.rows
            );
            let result = import::apply(&b.k.store, None, &table, &choice(kind, &table))
                .await
                .unwrap();
            assert_eq!(result.counts, preview.counts);
            assert_ne!(
                result.created[0], x.id,
                "never created under the other installation's id"
            );
        }
        let at_b = association::list(&b.k.store, &AssociationQuery::default())
            .await
            .unwrap()
            .items;
        assert_eq!(at_b.len(), 1);
        let persons = person::search(&b.k.store, "Коваленко", 0, 10).await.unwrap().items;
        assert_eq!(persons.len(), 1, "{format:?}");
        assert_eq!(persons[0].parent, Parent::Association(at_b[0].id.clone()));
    }
}

#[tokio::test]
async fn a_large_import_is_searchable_and_reaches_the_other_network_row_by_row() {
    let a = TestDb::new().await;
    let b = TestDb::new().await;
    // More rows than one INSERT statement takes, so the import spans several.
    let rows = 2_500;
    let mut csv = String::from("Name des Vereins;PLZ;Ort\n");
    for i in 0..rows {
        csv.push_str(&format!("Verein Nummer {i} Ümlaut;{:05};Gera\n", 7000 + i));
    }
    let table = import::read_bytes(csv.as_bytes()).unwrap();
    let result = import::apply(&a.k.store, None, &table, &choice(ImportKind::Associations, &table))
        .await
        .unwrap();
    assert_eq!(result.created.len(), rows);
    assert_eq!(living(&a, "associations").await, rows as i64);
    let last = association::get(&a.k.store, &result.created[rows - 1]).await.unwrap();
    assert_eq!(last.fields.name, format!("Verein Nummer {} Ümlaut", rows - 1));

    let hits = kozmos_core::search::everything(&a.k.store, "nummer 2499 umlaut", 10)
        .await
        .unwrap();
    assert_eq!(hits.len(), 1, "{hits:?}");
    assert_eq!(hits[0].id, result.created[rows - 1]);
    let stamps = a
        .count(r#"SELECT count(DISTINCT coalesce(json_extract(stamps, '$.name[0]'), json_extract(stamps, '$."*"[0]'))) FROM stamps WHERE tbl = 'associations'"#)
        .await;
    assert_eq!(stamps, rows as i64, "every row has its own stamp");

    let (bytes, _) = kozmos_core::sync::export::build(
        &a.k.store,
        &kozmos_core::sync::export::ExportOptions {
            peer: None,
            profile: kozmos_core::sync::profile::Profile::All,
            passphrase: None,
        },
    )
    .await
    .unwrap();
    let verified = kozmos_core::sync::file::verify(&bytes, None).unwrap();
    let counts = kozmos_core::sync::import::apply(&b.k.store, &verified, &Default::default())
        .await
        .unwrap()
        .counts;
    assert_eq!(counts.new, rows as u64);
    assert_eq!(
        kozmos_core::sync::dump::hash(&a.k.store).await.unwrap(),
        kozmos_core::sync::dump::hash(&b.k.store).await.unwrap()
    );
}

/// A zip archive of the given entries, deflated (as a spreadsheet program writes them).
fn zipped(entries: &[(&str, &[u8])]) -> Vec<u8> {
    let mut out = std::io::Cursor::new(Vec::new());
    let mut zip = zip::ZipWriter::new(&mut out);
    let deflated = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    for (name, bytes) in entries {
        zip.start_file(*name, deflated).unwrap();
        zip.write_all(bytes).unwrap();
    }
    zip.finish().unwrap();
    out.into_inner()
}

fn sheet_xml(cells: &str) -> Vec<u8> {
    format!(
        "<?xml version=\"1.0\"?><worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">\
<dimension ref=\"A1:XFD1048576\"/><sheetData>{cells}</sheetData></worksheet>"
    )
    .into_bytes()
}

/// What reading a spreadsheet gives: "read", or the refusal's code.
fn code(bytes: &[u8]) -> String {
    match import::read_bytes(bytes) {
        Ok(_) => "read".to_string(),
        Err(e) => e.code().to_string(),
    }
}

/// Spreadsheets built to exhaust memory are refused before calamine unpacks them, each with its
/// own code; an ODS ending in a million empty rows (as LibreOffice writes) still reads.
#[test]
fn spreadsheet_bombs_are_refused_before_they_unpack() {
    let sparse = sheet_xml(
        r#"<row r="1"><c r="A1" t="n"><v>1</v></c></row><row r="1048576"><c r="XFD1048576" t="n"><v>2</v></c></row>"#,
    );
    assert_eq!(
        code(&zipped(&[("xl/worksheets/sheet1.xml", &sparse)])),
        "workbook_too_large_sheet"
    );
    let strings = br#"<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="4000000000" uniqueCount="4000000000"><si><t>x</t></si></sst>"#;
    assert_eq!(
        code(&zipped(&[("xl/sharedStrings.xml", strings)])),
        "workbook_too_many_strings"
    );
    let mut expanding = sheet_xml("");
    expanding.extend(std::iter::repeat_n(b' ', 50 << 20));
    let bomb = zipped(&[("xl/worksheets/sheet1.xml", &expanding)]);
    assert!(bomb.len() < 200 << 10, "the bomb is small: {} bytes", bomb.len());
    assert_eq!(code(&bomb), "workbook_bomb");
    let repeated = r#"<table:table-row><table:table-cell office:value-type="string"><text:p>Verein</text:p></table:table-cell></table:table-row><table:table-row table:number-rows-repeated="1000000"><table:table-cell office:value-type="string"><text:p>x</text:p></table:table-cell></table:table-row>"#;
    assert_eq!(code(&ods_with_table(repeated)), "workbook_too_large_sheet");
    let wide = r#"<table:table-row><table:table-cell table:number-columns-repeated="16000" office:value-type="string"><text:p>x</text:p></table:table-cell></table:table-row>"#;
    assert_eq!(code(&ods_with_table(wide)), "workbook_too_large_sheet");
    let libreoffice = r#"<table:table-row><table:table-cell office:value-type="string"><text:p>Verein</text:p></table:table-cell></table:table-row><table:table-row><table:table-cell office:value-type="string"><text:p>Haus der Kulturen</text:p></table:table-cell></table:table-row><table:table-row table:number-rows-repeated="1048574"><table:table-cell table:number-columns-repeated="1024"/></table:table-row>"#;
    let table = import::read_bytes(&ods_with_table(libreoffice)).unwrap();
    assert_eq!(table.rows, [["Haus der Kulturen"]]);
}

/// A complete XLSX whose workbook sits in `dir` (as `_rels/.rels` says) and whose only sheet is
/// the entry `sheet` (as the workbook's relationships say): calamine reads it from there.
fn xlsx_at(dir: &str, sheet: &str, sheet_xml: &[u8]) -> Vec<u8> {
    let rels = format!(
        r#"<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="{dir}/workbook.xml"/></Relationships>"#
    );
    let workbook = br#"<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Tabelle1" sheetId="1" r:id="rId1"/></sheets></workbook>"#;
    let workbook_rels = format!(
        r#"<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="/{sheet}"/></Relationships>"#
    );
    zipped(&[
        ("_rels/.rels", rels.as_bytes()),
        (&format!("{dir}/workbook.xml"), workbook),
        (&format!("{dir}/_rels/workbook.xml.rels"), workbook_rels.as_bytes()),
        (sheet, sheet_xml),
    ])
}

/// The guard finds a sheet wherever calamine would read it: in a folder other than `xl/`, under
/// a name in capitals, or with cell references in lower case; and it counts what an entry really
/// unpacks to, whatever size its header declares.
#[test]
fn spreadsheet_bombs_are_found_wherever_the_sheet_hides() {
    let honest = sheet_xml(
        r#"<row r="1"><c r="A1" t="inlineStr"><is><t>Verein</t></is></c></row><row r="2"><c r="A2" t="inlineStr"><is><t>Haus der Kulturen</t></is></c></row>"#,
    );
    let table = import::read_bytes(&xlsx_at("data", "data/s.xml", &honest)).unwrap();
    assert_eq!(
        table.rows,
        [["Haus der Kulturen"]],
        "the built workbook is one calamine reads"
    );
    let sparse = sheet_xml(
        r#"<row r="1"><c r="A1" t="n"><v>1</v></c></row><row r="1048576"><c r="XFD1048576" t="n"><v>2</v></c></row>"#,
    );
    assert_eq!(
        code(&xlsx_at("data", "data/s.xml", &sparse)),
        "workbook_too_large_sheet"
    );
    assert_eq!(
        code(&xlsx_at("XL", "XL/WORKSHEETS/SHEET1.XML", &sparse)),
        "workbook_too_large_sheet"
    );
    let lower = sheet_xml(
        r#"<row r="1"><c r="a1" t="n"><v>1</v></c></row><row r="50000"><c r="xfd50000" t="n"><v>2</v></c></row>"#,
    );
    assert_eq!(
        code(&xlsx_at("xl", "xl/worksheets/sheet1.xml", &lower)),
        "workbook_too_large_sheet"
    );
    let strings = br#"<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" uniqueCount="4000000000"><si><t>x</t></si></sst>"#;
    let mut hidden = xlsx_at("data", "data/s.xml", &honest);
    hidden = {
        let mut archive = zip::ZipArchive::new(std::io::Cursor::new(hidden)).unwrap();
        let mut entries = Vec::new();
        for i in 0..archive.len() {
            let mut entry = archive.by_index(i).unwrap();
            let mut bytes = Vec::new();
            std::io::Read::read_to_end(&mut entry, &mut bytes).unwrap();
            entries.push((entry.name().unwrap().to_string(), bytes));
        }
        entries.push(("data/sharedStrings.xml".into(), strings.to_vec()));
        zipped(
            &entries
                .iter()
                .map(|(n, b)| (n.as_str(), b.as_slice()))
                .collect::<Vec<_>>(),
        )
    };
    assert_eq!(code(&hidden), "workbook_too_many_strings");
    // Styles declared as 1,000 bytes that unpack to 5 MB: refused while unpacking.
    let mut styles = b"<styleSheet><numFmts><numFmt formatCode=\"".to_vec();
    styles.extend(std::iter::repeat_n(b'0', 5 << 20));
    let mut lying = xlsx_at("xl", "xl/worksheets/sheet1.xml", &honest);
    lying = {
        let mut entries = vec![("xl/styles.xml", styles.as_slice())];
        let mut archive = zip::ZipArchive::new(std::io::Cursor::new(lying)).unwrap();
        let mut kept = Vec::new();
        for i in 0..archive.len() {
            let mut entry = archive.by_index(i).unwrap();
            let mut bytes = Vec::new();
            std::io::Read::read_to_end(&mut entry, &mut bytes).unwrap();
            kept.push((entry.name().unwrap().to_string(), bytes));
        }
        entries.extend(kept.iter().map(|(n, b)| (n.as_str(), b.as_slice())));
        zipped(&entries)
    };
    let real = (5u32 << 20) + 41;
    let patched = declare_size(&mut lying, real, 1000);
    assert_eq!(patched, 2, "the size is declared in the local and the central header");
    assert_eq!(code(&lying), "workbook_bomb");
}

/// One hostile (or honest) spreadsheet per name, and the code it must be refused with.
fn spreadsheet_case(name: &str) -> (Vec<u8>, &'static str) {
    let honest = sheet_xml(
        r#"<row r="1"><c r="A1" t="inlineStr"><is><t>Verein</t></is></c></row><row r="2"><c r="A2" t="inlineStr"><is><t>Haus der Kulturen</t></is></c></row>"#,
    );
    let sparse = sheet_xml(
        r#"<row r="1"><c r="A1" t="n"><v>1</v></c></row><row r="1048576"><c r="XFD1048576" t="n"><v>2</v></c></row>"#,
    );
    let xl = |sheet: &[u8]| xlsx_at("xl", "xl/worksheets/sheet1.xml", sheet);
    match name {
        "honest xlsx" => (xl(&honest), "read"),
        "honest ods" => (ods(&[&["Verein"], &["Haus der Kulturen"]]), "read"),
        "sparse A1 + XFD1048576" => (xl(&sparse), "workbook_too_large_sheet"),
        "sparse sheet at data/s.xml" => (xlsx_at("data", "data/s.xml", &sparse), "workbook_too_large_sheet"),
        "lower-case xfd50000" => (
            xl(&sheet_xml(
                r#"<row r="1"><c r="a1" t="n"><v>1</v></c></row><row r="50000"><c r="xfd50000" t="n"><v>2</v></c></row>"#,
            )),
            "workbook_too_large_sheet",
        ),
        "uniqueCount 4 billion" => (
            zipped(&[(
                "xl/sharedStrings.xml",
                br#"<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="4000000000" uniqueCount="4000000000"><si><t>x</t></si></sst>"#,
            )]),
            "workbook_too_many_strings",
        ),
        "entry unpacking 1000x (50 MB)" => {
            let mut expanding = sheet_xml("");
            expanding.extend(std::iter::repeat_n(b' ', 50 << 20));
            (zipped(&[("xl/worksheets/sheet1.xml", &expanding)]), "workbook_bomb")
        }
        "entry lying about its size (5 MB as 1 KB)" => {
            let mut styles = b"<styleSheet><numFmts><numFmt formatCode=\"".to_vec();
            styles.extend(std::iter::repeat_n(b'0', 5 << 20));
            let mut bytes = zipped(&[("xl/styles.xml", &styles)]);
            declare_size(&mut bytes, styles.len() as u32, 1000);
            (bytes, "workbook_bomb")
        }
        "ODS row repeated 1,000,000 times" => (
            ods_with_table(
                r#"<table:table-row><table:table-cell office:value-type="string"><text:p>Verein</text:p></table:table-cell></table:table-row><table:table-row table:number-rows-repeated="1000000"><table:table-cell office:value-type="string"><text:p>x</text:p></table:table-cell></table:table-row>"#,
            ),
            "workbook_too_large_sheet",
        ),
        "ODS cell repeated 16,000 columns" => (
            ods_with_table(
                r#"<table:table-row><table:table-cell table:number-columns-repeated="16000" office:value-type="string"><text:p>x</text:p></table:table-cell></table:table-row>"#,
            ),
            "workbook_too_large_sheet",
        ),
        other => panic!("no case {other}"),
    }
}

/// The resident peak of this process (VmHWM), in MB.
fn peak_mb() -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap();
    let line = status.lines().find(|l| l.starts_with("VmHWM:")).unwrap();
    line.split_whitespace().nth(1).unwrap().parse::<f64>().unwrap() / 1024.0
}

/// Each spreadsheet bomb, in a process of its own (this test binary again), is refused with its
/// code in well under a second and a resident peak of at most 200 MB (building the file
/// included); the honest files beside them read. Prints the figures with `--nocapture`.
#[test]
fn each_spreadsheet_bomb_is_refused_quickly_in_little_memory() {
    const TEST: &str = "import::each_spreadsheet_bomb_is_refused_quickly_in_little_memory";
    if let Ok(name) = std::env::var("KOZMOS_SHEET_CASE") {
        let (bytes, _) = spreadsheet_case(&name);
        let built = peak_mb();
        let start = std::time::Instant::now();
        let code = match import::read_bytes(&bytes) {
            Ok(_) => "read".to_string(),
            Err(e) => e.code().to_string(),
        };
        let ms = start.elapsed().as_secs_f64() * 1000.0;
        println!("CASE\t{code}\t{}\t{ms:.1}\t{built:.1}\t{:.1}", bytes.len(), peak_mb());
        return;
    }
    println!("| file | size | refused with | ms | peak MB after building | peak MB after reading |");
    for name in [
        "honest xlsx",
        "honest ods",
        "sparse A1 + XFD1048576",
        "sparse sheet at data/s.xml",
        "lower-case xfd50000",
        "uniqueCount 4 billion",
        "entry unpacking 1000x (50 MB)",
        "entry lying about its size (5 MB as 1 KB)",
        "ODS row repeated 1,000,000 times",
        "ODS cell repeated 16,000 columns",
    ] {
        let out = std::process::Command::new(std::env::current_exe().unwrap())
            .args([TEST, "--exact", "--nocapture", "--test-threads=1"])
            .env("KOZMOS_SHEET_CASE", name)
            .finish();
        let stdout = String::from_utf8_lossy(&out.stdout);
        let line = stdout
            .lines()
            .find_map(|l| l.split_once("CASE\t").map(|(_, case)| case))
            .unwrap_or_else(|| panic!("{name}: {stdout} {}", String::from_utf8_lossy(&out.stderr)));
        let f: Vec<&str> = line.split('\t').collect();
        let (ms, peak): (f64, f64) = (f[2].parse().unwrap(), f[4].parse().unwrap());
        println!("| {name} | {} bytes | {} | {ms} | {} | {peak} |", f[1], f[0], f[3]);
        assert_eq!(f[0], spreadsheet_case(name).1, "{name}");
        assert!(peak <= 200.0, "{name}: {peak} MB");
        assert!(ms < 5_000.0, "{name}: {ms} ms");
    }
}

/// Replaces every declared unpacked size `real` in the archive's headers by `declared`.
fn declare_size(zip: &mut [u8], real: u32, declared: u32) -> usize {
    let mut patched = 0;
    for (signature, offset) in [(b"PK\x03\x04", 22), (b"PK\x01\x02", 24)] {
        for at in 0..zip.len().saturating_sub(offset + 4) {
            if &zip[at..at + 4] == signature && zip[at + offset..at + offset + 4] == real.to_le_bytes() {
                zip[at + offset..at + offset + 4].copy_from_slice(&declared.to_le_bytes());
                patched += 1;
            }
        }
    }
    patched
}

/// CSV files as associations save them on Windows in their language: Cyrillic in Windows-1251 or
/// KOI8-R, Arabic in Windows-1256, German in Windows-1252, and Excel's "Unicode text" (UTF-16
/// with tabs): every name arrives as written.
#[test]
fn csv_in_legacy_encodings_and_utf16_arrives_as_written() {
    let names = |table: &Table| table.rows.iter().map(|r| r[0].clone()).collect::<Vec<_>>();
    let cases: &[(&encoding_rs::Encoding, &[&str])] = &[
        (
            encoding_rs::WINDOWS_1251,
            &[
                "Українська громада Єни",
                "Спілка батьків Галле",
                "Жіночий клуб Магдебург",
            ],
        ),
        (
            encoding_rs::KOI8_R,
            &[
                "Русская община Эрфурт",
                "Общество друзей Веймара",
                "Молодёжный центр Йены",
            ],
        ),
        (
            encoding_rs::WINDOWS_1256,
            &[
                "الجمعية السورية الألمانية",
                "نادي الثقافة العربية",
                "جمعية الجسر للتعليم",
            ],
        ),
        (
            encoding_rs::WINDOWS_1252,
            &[
                "Bürgerverein Döllnitz",
                "Förderkreis Straße der Begegnung",
                "Haus der Kulturen Weißenfels",
            ],
        ),
    ];
    for (encoding, rows) in cases {
        let mut text = String::from("Name;Ort\r\n");
        for name in *rows {
            text.push_str(&format!("{name};Jena\r\n"));
        }
        let (bytes, _, lossy) = encoding.encode(&text);
        assert!(!lossy, "{}", encoding.name());
        let table = import::read_bytes(&bytes).unwrap();
        assert_eq!(names(&table), *rows, "{}", encoding.name());
    }
    let text = "Name\tOrt\r\nHội người Việt Leipzig\tLeipzig\r\nУкраїнська громада\tJena\r\n";
    for bom_first in [true, false] {
        let mut bytes: Vec<u8> = if bom_first { vec![0xFF, 0xFE] } else { vec![0xFE, 0xFF] };
        for unit in text.encode_utf16() {
            bytes.extend(if bom_first {
                unit.to_le_bytes()
            } else {
                unit.to_be_bytes()
            });
        }
        let table = import::read_bytes(&bytes).unwrap();
        assert_eq!(table.headers, ["Name", "Ort"]);
        assert_eq!(names(&table), ["Hội người Việt Leipzig", "Українська громада"]);
    }
}

/// A spreadsheet saved again after its preview (rows added in Excel meanwhile) is not applied:
/// the user would import rows they have not seen.
#[tokio::test]
async fn a_file_changed_after_its_preview_is_not_applied() {
    let db = TestDb::new().await;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("Vereine – Jena.csv");
    std::fs::write(&path, "Name;Ort\r\nHaus der Kulturen;Jena\r\n").unwrap();
    let table = import::read_file(&path).unwrap();
    let previewed = import::preview(&db.k.store, &table, &choice(ImportKind::Associations, &table))
        .await
        .unwrap();
    std::fs::write(
        &path,
        "Name;Ort\r\nHaus der Kulturen;Jena\r\nUngesehener Verein;Gera\r\n",
    )
    .unwrap();
    let again = import::read_file(&path).unwrap();
    let error = import::check_same_file(&again, &previewed.file_sha256).unwrap_err();
    assert_eq!(error.code(), "import_file_changed");
    import::check_same_file(&table, &previewed.file_sha256).unwrap();
}
