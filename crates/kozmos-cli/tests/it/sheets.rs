//! Profile sheets as a reader gets them: every field's text in every script (pdftotext, in
//! reading order), fonts embedded as subsets with Unicode maps (pdffonts), a valid file (qpdf),
//! words inside the A4 page and never overlapping (pdftotext -bbox), the document information,
//! and the privacy rule: a person who did not agree to be printed is nowhere in the file.

use crate::common;

use std::collections::HashSet;

use common::pdf::{run, squeeze, tools, Pdf};
use common::{with_field, TestDb};
use kozmos_core::association::{self, AssociationDraft, AssociationQuery, LogoChange};
use kozmos_core::person::{self, ConsentDraft, Parent, PersonDraft};
use kozmos_core::project::{self, IdeaDraft, ProjectDraft};
use kozmos_core::sheets::{self, KozmosContactDraft};
use kozmos_core::store::{Fields, Value};
use kozmos_core::{demo, Lang};

const TEST: &str = "sheets";

/// Text as pdftotext gives it back: NFC, joiners dropped (they print nothing), spaces squeezed.
/// A word broken after its hyphen at a line end is joined again.
fn comparable(text: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    // pdftotext marks a right-to-left run inside a line with embedding characters (RLE … PDF)
    // and keeps the space before the run inside them: they count as spaces.
    let joined = text.replace("-\n", "-");
    let cleaned: String = joined
        .nfc()
        .filter(|c| !matches!(c, '\u{200C}' | '\u{200D}'))
        .map(|c| if matches!(c, '\u{202A}'..='\u{202E}') { ' ' } else { c })
        .collect();
    squeeze(&cleaned)
}

fn assert_contains(text: &str, wanted: &str, what: &str) {
    let (text, wanted) = (comparable(text), comparable(wanted));
    assert!(text.contains(&wanted), "{what}: {wanted:?} not in\n{text}");
}

async fn full_draft(name: &str, original: &str) -> AssociationDraft {
    AssociationDraft {
        name: name.into(),
        name_original: original.into(),
        short_name: "DAV".into(),
        legal_form: "ev".into(),
        register_court: "Amtsgericht Stendal".into(),
        register_number: "VR 1234".into(),
        founded_year: "2012".into(),
        charitable_status: "recognised".into(),
        tax_office: "Finanzamt Halle-Süd".into(),
        notice_kind: "freistellungsbescheid".into(),
        notice_date: "2024-03-12".into(),
        network: "lamsa".into(),
        state: "ST".into(),
        district: "15002".into(),
        city: "Halle (Saale)".into(),
        postcode: "06108".into(),
        address: "Große Ulrichstraße 51".into(),
        website: "www.verein-halle.example/ueber-uns".into(),
        email: "post@verein-halle.example".into(),
        phone: "0345 1234567".into(),
        mission_de:
            "Wir stärken Familien im Stadtteil: Sprachkurse, Hausaufgabenhilfe und Beratung für Neuzugewanderte.".into(),
        mission_en: "We support families in the neighbourhood with language courses, homework help and advice.".into(),
        communities: vec!["Syrien".into(), "Irak".into()],
        languages: vec!["ar".into(), "de".into(), "ku".into()],
        themes: vec!["bildung".into(), "sprache".into(), "kinder_jugend".into()],
        target_groups: vec!["families".into(), "children".into()],
        needs: vec!["project".into(), "advice".into()],
        previous_funders: vec!["Aktion Mensch".into(), "Bürgerstiftung Halle".into()],
        members: "45".into(),
        volunteers: "12".into(),
        staff: "1".into(),
        budget_band: "5k_20k".into(),
        status: "active".into(),
        ..Default::default()
    }
}

/// A person of the association with the given consents (purpose, status) in order.
async fn person_with(db: &TestDb, association: &str, name: &str, original: &str, consents: &[(&str, &str)]) -> String {
    let p = person::create(
        &db.k.store,
        &Parent::Association(association.into()),
        &PersonDraft {
            name: name.into(),
            name_original: original.into(),
            role: "Vorsitzende".into(),
            email: format!(
                "{}@verein-halle.example",
                name.split(' ').next().unwrap().to_lowercase()
            ),
            phone: "0345 7654321".into(),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    for (i, (purpose, status)) in consents.iter().enumerate() {
        db.clock.set(common::NOON + 1_000 * (i as i64 + 1));
        person::record_consent(
            &db.k.store,
            &p.id,
            &ConsentDraft {
                purpose: purpose.to_string(),
                status: status.to_string(),
                channel: "form".into(),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    }
    p.id
}

async fn rich_association(db: &TestDb, name: &str, original: &str) -> String {
    let a = association::create(&db.k.store, &full_draft(name, original).await, LogoChange::Keep)
        .await
        .unwrap();
    for (title, year, reached) in [
        ("Sprachcafé für Eltern", "2025", "120"),
        ("Hausaufgabenhilfe auf Arabisch und Deutsch", "2024", "60"),
    ] {
        project::add_project(
            &db.k.store,
            &a.id,
            &ProjectDraft {
                title: title.into(),
                year: year.into(),
                people_reached: reached.into(),
                budget: "3.000".into(),
                funder: "Landesprogramm Integration".into(),
                description: "Jeden Mittwoch im Stadtteilzentrum.".into(),
            },
        )
        .await
        .unwrap();
    }
    project::add_idea(
        &db.k.store,
        &a.id,
        &IdeaDraft {
            title: "Elternakademie".into(),
            description: "Sechs Abende über Schule, Ausbildung und Behörden, mit Kinderbetreuung.".into(),
            amount_needed: "5.000".into(),
            time_frame: "2027".into(),
        },
    )
    .await
    .unwrap();
    a.id
}

async fn sheet(db: &TestDb, id: &str, lang: Lang, name: &str) -> (Pdf, sheets::SheetPdf) {
    let made = sheets::association_pdf(&db.k.store, id, lang).await.unwrap();
    let pdf = Pdf::write(TEST, name, &made.bytes);
    pdf.check_structure();
    (pdf, made)
}

#[tokio::test]
async fn every_field_prints_in_its_script_and_reading_order() {
    let db = TestDb::new().await;
    let cases = [
        (
            "Deutsch-Arabischer Familienverein Halle",
            "الجمعية الألمانية العربية للعائلات",
            "arabic",
        ),
        ("Afghanischer Kulturverein", "انجمن فرهنگی افغان‌ها", "persian"),
        (
            "Ukrainische Gemeinde Halle",
            "Українська громада Галле: ї, є, ґ, і",
            "ukrainian",
        ),
        (
            "Vietnamesischer Verein Halle",
            "Hội người Việt tại Halle – Đặng Quốc Việt",
            "vietnamese",
        ),
        (
            "Stowarzyszenie Łódź, Asociația Română, Türk Derneği",
            "Łódź Żółć · Ţară Şcoală ăâî · İstanbul Iğdır şğü",
            "latin",
        ),
    ];
    for (name, original, file) in cases {
        let id = rich_association(&db, name, original).await;
        person_with(&db, &id, "Olena Kovalenko", "Олена Коваленко", &[("print", "given")]).await;
        for lang in [Lang::De, Lang::En] {
            let (pdf, made) = sheet(&db, &id, lang, &format!("{file}-{}", lang.code())).await;
            assert_eq!(made.pages, 1, "{file}: a typical association fits one page");
            if !tools("the sheet's text and reading order") {
                continue;
            }
            let text = pdf.text();
            for (wanted, what) in [
                (name, "name"),
                (original, "original name"),
                ("DAV", "short name"),
                ("e.V.", "legal form"),
                ("Halle (Saale)", "city"),
                ("Amtsgericht Stendal VR 1234", "register"),
                ("2012", "year founded"),
                ("45", "members"),
                ("12.03.2024", "notice date"),
                ("Sprachcafé für Eltern", "activity"),
                ("Hausaufgabenhilfe auf Arabisch und Deutsch", "activity"),
                ("Jeden Mittwoch im Stadtteilzentrum.", "activity text"),
                (
                    "Aktion Mensch · Bürgerstiftung Halle · Landesprogramm Integration",
                    "funders",
                ),
                ("Elternakademie", "idea"),
                ("Große Ulrichstraße 51", "address"),
                ("06108 Halle (Saale)", "postcode and city"),
                ("post@verein-halle.example", "e-mail"),
                ("0345 1234567", "phone"),
                ("verein-halle.example/ueber-uns", "website"),
                ("Olena Kovalenko", "consenting person"),
                ("Олена Коваленко", "consenting person's original name"),
                ("LAMSA e.V. – KOZMOS", "KOZMOS contact"),
                ("Syrien, Irak", "communities"),
            ] {
                let wanted = if lang == Lang::En && what == "notice date" {
                    "12 March 2024"
                } else {
                    wanted
                };
                assert_contains(&text, wanted, &format!("{file} {what}"));
            }
            let localised: &[&str] = match lang {
                Lang::De => &[
                    "Stand:",
                    "Halle (Saale) · LAMSA e.V. (Sachsen-Anhalt)",
                    "Wir stärken Familien im Stadtteil: Sprachkurse, Hausaufgabenhilfe und Beratung für Neuzugewanderte.",
                    "Bildung & Weiterbildung, Sprache & Sprachförderung, Kinder & Jugend",
                    "Familien, Kinder",
                    "Arabisch, Deutsch, Kurdisch",
                    "Nr. 4, 7",
                    "5.000–20.000 €",
                    "120 Menschen erreicht",
                    "benötigt 5.000 €",
                    "Projektförderung, Beratung",
                    "Seite 1 von 1",
                ],
                Lang::En => &[
                    "As of",
                    "LAMSA e.V. (Saxony-Anhalt)",
                    "We support families in the neighbourhood with language courses, homework help and advice.",
                    "Education, Language learning, Children & youth",
                    "Families, Children",
                    "No. 4, 7",
                    "€5,000–20,000",
                    "120 people reached",
                    "needs €5,000",
                    "Project funding, Advice",
                    "Page 1 of 1",
                ],
            };
            for wanted in localised {
                assert_contains(&text, wanted, &format!("{file} {}", lang.code()));
            }
            // Reading order: the head before the facts, the mission before the contact.
            let flat = comparable(&text);
            let at = |s: &str| flat.find(&comparable(s)).unwrap_or_else(|| panic!("{s} in {flat}"));
            assert!(
                at(name) < at(original) && at(original) < at("Amtsgericht") && at("Amtsgericht") < at("Elternakademie")
            );
            assert!(at("Elternakademie") < at("post@verein-halle.example"));
            for missing in ["null", "None", "undefined", "NaN"] {
                assert!(!flat.contains(missing), "{missing} in {flat}");
            }
        }
    }
}

#[tokio::test]
async fn demo_sheets_print_names_in_arabic_ukrainian_and_vietnamese() {
    let db = TestDb::new().await;
    demo::generate(&db.k.store, 1, 7).await.unwrap();
    let all = association::list(
        &db.k.store,
        &AssociationQuery {
            limit: 500,
            ..Default::default()
        },
    )
    .await
    .unwrap()
    .items;
    let mut seen = HashSet::new();
    for a in &all {
        let Some(original) = a.name_original.as_deref() else {
            continue;
        };
        let script = if original.chars().any(|c| ('\u{0600}'..='\u{06FF}').contains(&c)) {
            "arabic-script"
        } else if original.chars().any(|c| "їєґі".contains(c)) {
            "ukrainian"
        } else if original.chars().any(|c| "ộệễườ".contains(c)) {
            "vietnamese"
        } else {
            continue;
        };
        if !seen.insert(script) {
            continue;
        }
        let (pdf, _) = sheet(&db, &a.id, Lang::De, &format!("demo-{script}")).await;
        if !tools("the demo sheet's text") {
            continue;
        }
        let text = pdf.text();
        assert_contains(&text, &a.name, script);
        assert_contains(&text, original, script);
        if let Some(city) = &a.city {
            assert_contains(&text, city, script);
        }
        if let Some(png) = pdf.picture(&format!("demo-{script}")) {
            eprintln!("{script}: {}", png.display());
        }
    }
    assert_eq!(seen.len(), 3, "demo data has all three scripts: {seen:?}");
}

#[tokio::test]
async fn fonts_are_embedded_subsets_with_unicode_maps() {
    let db = TestDb::new().await;
    let id = rich_association(&db, "Arabisch-Deutscher Verein", "جمعية عربية ألمانية").await;
    let (pdf, made) = sheet(&db, &id, Lang::De, "fonts").await;
    assert_eq!(made.file_name, "Vereinssteckbrief Arabisch-Deutscher Verein.pdf");
    assert!(made.bytes.len() < 100 * 1024, "{} bytes", made.bytes.len());
    if !tools("the fonts pdffonts lists") {
        return;
    }
    let fonts = run("pdffonts", &[pdf.arg()]);
    for face in ["NotoSans-Regular", "NotoSans-Bold", "NotoSansArabic-Regular"] {
        assert!(fonts.contains(face), "{face} in {fonts}");
    }
}

#[tokio::test]
async fn document_information_names_the_association() {
    let db = TestDb::new().await;
    kozmos_core::site::set_up(db.k.store.pool(), "lamsa", "Jürgen Weiß")
        .await
        .unwrap();
    let id = rich_association(&db, "Verein für Integration und Bildung", "").await;
    for (lang, title, subject) in [
        (
            Lang::De,
            "Vereinssteckbrief: Verein für Integration und Bildung",
            "Stiftungen",
        ),
        (
            Lang::En,
            "Association profile: Verein für Integration und Bildung",
            "foundations",
        ),
    ] {
        let (pdf, _) = sheet(&db, &id, lang, &format!("info-{}", lang.code())).await;
        if !tools("the document information pdfinfo shows") {
            continue;
        }
        let info = pdf.info();
        let field = |name: &str| pdf.info_field(name);
        assert_eq!(field("Title"), title);
        assert_eq!(field("Author"), "Jürgen Weiß");
        assert!(field("Subject").contains(subject), "{info}");
        let year = time::OffsetDateTime::now_utc().year().to_string();
        assert!(field("CreationDate").contains(&year), "{info}");
        let root = run("qpdf", &["--json", "--json-key=qpdf", pdf.arg()]);
        assert!(
            root.contains(&format!("\"/Lang\": \"u:{}\"", lang.code())),
            "document language"
        );
    }
}

/// Everything that could still hold a name: the PDF with every stream decompressed.
fn raw_bytes(pdf: &Pdf) -> Vec<u8> {
    let plain = pdf.path.with_extension("plain.pdf");
    run(
        "qpdf",
        &[
            "--stream-data=uncompress",
            "--object-streams=disable",
            pdf.arg(),
            plain.to_str().unwrap(),
        ],
    );
    std::fs::read(plain).unwrap()
}

fn utf16be_hex(text: &str) -> String {
    text.encode_utf16().map(|u| format!("{u:04X}")).collect()
}

#[tokio::test]
async fn a_person_without_print_consent_never_appears() {
    let db = TestDb::new().await;
    let id = rich_association(&db, "Verein der Nachbarn", "").await;
    person_with(
        &db,
        &id,
        "Amira Haddad",
        "أميرة حداد",
        &[("store", "given"), ("print", "given")],
    )
    .await;
    person_with(
        &db,
        &id,
        "Quirin Zwinkelbach",
        "",
        &[("store", "given"), ("share", "given")],
    )
    .await;
    person_with(
        &db,
        &id,
        "Xaverius Wurmfeld",
        "",
        &[("print", "given"), ("print", "withdrawn")],
    )
    .await;
    let erased = person_with(&db, &id, "Yolanda Quappe", "", &[("print", "given")]).await;
    kozmos_core::privacy::erase::erase_one(&db.k.store, &erased)
        .await
        .unwrap();
    let deleted = person_with(&db, &id, "Wendelin Quarz", "", &[("print", "given")]).await;
    person::delete(&db.k.store, &deleted).await.unwrap();

    for lang in [Lang::De, Lang::En] {
        let (pdf, made) = sheet(&db, &id, lang, &format!("consent-{}", lang.code())).await;
        let left_out: Vec<_> = made
            .warnings
            .iter()
            .filter(|w| w.code == "persons_not_printed")
            .collect();
        assert_eq!(left_out.len(), 1, "{:?}", made.warnings);
        assert!(
            left_out[0].message_de.starts_with("2 Ansprechpersonen"),
            "{}",
            left_out[0].message_de
        );
        // The preview holds no text at all, so no name either.
        let preview = sheets::preview(&db.k.store, &id, lang).await.unwrap();
        for page in &preview.pages {
            assert!(!page.contains("Amira") && !page.contains("Quirin"));
        }
        if !tools("the sheet's text and bytes") {
            continue;
        }
        let text = pdf.text();
        assert_contains(&text, "Amira Haddad", "consenting person");
        assert_contains(&text, "أميرة حداد", "consenting person in Arabic");
        let raw = raw_bytes(&pdf);
        let raw_text = String::from_utf8_lossy(&raw);
        for hidden in [
            "Quirin",
            "Zwinkelbach",
            "Xaverius",
            "Wurmfeld",
            "Yolanda",
            "Quappe",
            "Wendelin",
            "Quarz",
        ] {
            assert!(!text.contains(hidden), "{hidden} in the text");
            assert!(!raw_text.contains(hidden), "{hidden} in the bytes");
            assert!(
                !raw_text.contains(&utf16be_hex(hidden)),
                "{hidden} as UTF-16 in the bytes"
            );
            assert!(
                !raw_text.to_lowercase().contains(&hidden.to_lowercase()),
                "{hidden} (e-mail) in the bytes"
            );
        }
    }
}

/// "Stand:" is the day of the newest change to anything the sheet prints: the association, its
/// living projects and ideas, its living persons (printed or not). Other associations, and deleted
/// records, do not move it.
#[tokio::test]
async fn the_stand_date_is_the_day_of_the_newest_change_the_sheet_prints() {
    const DAY: i64 = 86_400_000;
    let db = TestDb::new().await;
    let stand = |id: String| {
        let store = db.k.store.clone();
        async move { sheets::sheet(&store, &id, Lang::De).await.unwrap().0.stand }
    };
    let day = |days: i64| kozmos_core::text::format_date(common::noon_day() + time::Duration::days(days), Lang::De);
    let a = association::create(&db.k.store, &common::draft("Verein am Markt"), LogoChange::Keep)
        .await
        .unwrap();
    assert_eq!(stand(a.id.clone()).await, day(0));

    db.clock.set(common::NOON + 3 * DAY);
    let draft = ProjectDraft {
        title: "Sprachcafé".into(),
        ..Default::default()
    };
    let project = project::add_project(&db.k.store, &a.id, &draft).await.unwrap();
    assert_eq!(stand(a.id.clone()).await, day(3), "a new project");

    db.clock.set(common::NOON + 5 * DAY);
    let idea = IdeaDraft {
        title: "Elternakademie".into(),
        ..Default::default()
    };
    project::add_idea(&db.k.store, &a.id, &idea).await.unwrap();
    assert_eq!(stand(a.id.clone()).await, day(5), "a new idea");

    db.clock.set(common::NOON + 7 * DAY);
    person_with(&db, &a.id, "Quirin Zwinkelbach", "", &[]).await;
    assert_eq!(stand(a.id.clone()).await, day(7), "a person, even one not printed");

    db.clock.set(common::NOON + 9 * DAY);
    association::create(&db.k.store, &common::draft("Anderer Verein"), LogoChange::Keep)
        .await
        .unwrap();
    project::delete(&db.k.store, "project", &project.id).await.unwrap();
    assert_eq!(
        stand(a.id.clone()).await,
        day(7),
        "another association, a deleted project"
    );

    db.clock.set(common::NOON + 11 * DAY);
    let renamed = AssociationDraft {
        name: "Verein am Markt e.V.".into(),
        ..Default::default()
    };
    association::update(&db.k.store, &a.id, &renamed, LogoChange::Keep)
        .await
        .unwrap();
    assert_eq!(stand(a.id.clone()).await, day(11), "the association itself");
}

#[tokio::test]
async fn missing_fields_leave_no_empty_labels() {
    let db = TestDb::new().await;
    let a = association::create(&db.k.store, &common::draft("Nur ein Name"), LogoChange::Keep)
        .await
        .unwrap();
    for lang in [Lang::De, Lang::En] {
        let (pdf, made) = sheet(&db, &a.id, lang, &format!("bare-{}", lang.code())).await;
        assert_eq!(made.pages, 1);
        if !tools("the sheet's text") {
            continue;
        }
        let text = comparable(&pdf.text());
        assert!(text.contains("Nur ein Name"), "{text}");
        for label in [
            "Gründungsjahr",
            "Year founded",
            "Registereintrag",
            "Register entry",
            "Themen",
            "Themes",
            "Ziele",
            "Mission",
            "Aktivitäten",
            "Activities",
            "Förderer",
            "funders",
            "Gesuchte",
            "sought",
            "Ansprechpersonen",
            "Contact persons",
            "null",
            "None",
            " · · ",
            ": ·",
        ] {
            assert!(!text.contains(label), "{label:?} on a sheet without it: {text}");
        }
        assert!(text.contains("KOZMOS"), "the network's contact is always there");
    }
}

#[tokio::test]
async fn a_long_mission_is_shortened_visibly_and_kept_whole_in_the_database() {
    let db = TestDb::new().await;
    let sentence =
        "Wir begleiten Familien beim Ankommen, mit Sprachkursen, Beratung und gemeinsamen Festen im Stadtteil. ";
    let mission: String = sentence
        .repeat(30)
        .chars()
        .take(2000)
        .collect::<String>()
        .trim()
        .to_string();
    let draft = with_field(
        &full_draft("Verein mit langer Mission", "").await,
        "mission_de",
        &mission,
    );
    let a = association::create(&db.k.store, &draft, LogoChange::Keep)
        .await
        .unwrap();
    let (pdf, made) = sheet(&db, &a.id, Lang::De, "long-mission").await;
    assert_eq!(made.pages, 1, "still one page");
    let stored = association::get(&db.k.store, &a.id).await.unwrap();
    assert_eq!(stored.fields.mission_de.as_deref(), Some(mission.as_str()));
    if !tools("the shortened text") {
        return;
    }
    let text = pdf.text();
    assert!(text.contains('…'), "an ellipsis shows the cut: {text}");
    assert!(
        comparable(&text).len() < comparable(&mission).len() + 1500,
        "not all of it"
    );
}

#[tokio::test]
async fn long_content_flows_to_a_clean_second_page_with_the_header() {
    let db = TestDb::new().await;
    let mut draft = full_draft(
        "Landesarbeitsgemeinschaft der Migrantenorganisationen im Harz und im Mansfelder Land",
        "",
    )
    .await;
    draft.previous_funders = (1..=40)
        .map(|i| format!("Förderer Nummer {i} mit langem Namen"))
        .collect();
    draft.communities = (1..=30).map(|i| format!("Herkunftsland {i}")).collect();
    let a = association::create(&db.k.store, &draft, LogoChange::Keep)
        .await
        .unwrap();
    for i in 0..8 {
        project::add_project(
            &db.k.store,
            &a.id,
            &ProjectDraft {
                title: format!("Projekt {i}: ein Titel, der über eine ganze Zeile hinaus geht, weil er sehr genau beschreibt, was geschah"),
                year: format!("{}", 2025 - i),
                description: "Beschreibung ".repeat(60),
                funder: "Aktion Mensch".into(),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    }
    for i in 0..4 {
        project::add_idea(
            &db.k.store,
            &a.id,
            &IdeaDraft {
                title: format!("Idee {i}"),
                description: "Eine Idee, die viel Platz braucht. ".repeat(20),
                amount_needed: "12.000".into(),
                time_frame: "2027–2028".into(),
            },
        )
        .await
        .unwrap();
    }
    for i in 0..6 {
        person_with(&db, &a.id, &format!("Person{i} Beispiel"), "", &[("print", "given")]).await;
    }
    let (pdf, made) = sheet(&db, &a.id, Lang::De, "long").await;
    assert_eq!(made.pages, 2, "flows to a second page");
    let preview = sheets::preview(&db.k.store, &a.id, Lang::De).await.unwrap();
    assert_eq!(preview.pages.len(), 2, "the preview shows both pages");
    if !tools("the second page's text and word boxes") {
        return;
    }
    let second = pdf.page_text(2);
    assert!(
        second.contains("Landesarbeitsgemeinschaft der Migrantenorganisationen"),
        "header: {second}"
    );
    assert!(
        second.contains("Stand:") && second.contains("Seite 2 von 2"),
        "{second}"
    );
    let all = comparable(&pdf.text());
    for i in 0..3 {
        assert!(all.contains(&format!("Projekt {i}:")), "activity {i}");
    }
    assert!(all.contains("und 5 weitere"), "more activities counted: {all}");
    assert!(all.contains("und 3 weitere"), "more persons counted");
    assert!(all.contains("Person2 Beispiel") && !all.contains("Person3 Beispiel"));
    // A section is never cut between two pages without its heading.
    for page in 1..=2 {
        let words = pdf.words();
        let (_, words) = &words[page - 1];
        assert!(words.iter().all(|w| w.y1 <= common::pdf::A4.1 - common::pdf::EDGE));
    }
    pdf.picture("long-1");
}

fn png_bytes(width: u32, height: u32) -> Vec<u8> {
    let image = image::RgbImage::from_pixel(width, height, image::Rgb([30, 80, 120]));
    let mut bytes = Vec::new();
    image::DynamicImage::ImageRgb8(image)
        .write_to(&mut std::io::Cursor::new(&mut bytes), image::ImageFormat::Png)
        .unwrap();
    bytes
}

fn assert_images(pdf: &Pdf, expected: usize, what: &str) {
    if tools("the images pdfimages lists") {
        let listed = run("pdfimages", &["-list", pdf.arg()]).lines().skip(2).count();
        assert_eq!(listed, expected, "{what}");
    }
}

fn logo_path() -> &'static str {
    concat!(env!("CARGO_MANIFEST_DIR"), "/../kozmos-core/tests/fixtures/logo.jpg")
}

#[tokio::test]
async fn logos_print_and_broken_or_huge_ones_give_a_warning_and_a_sheet_without_them() {
    let db = TestDb::new().await;
    let id = rich_association(&db, "Verein mit Logo", "").await;
    let logo = std::fs::read(logo_path()).unwrap();
    association::set_logo(&db.k.store, &id, Some(logo)).await.unwrap();
    let (pdf, made) = sheet(&db, &id, Lang::De, "logo-jpeg").await;
    assert_images(&pdf, 1, "the logo");
    assert!(made.warnings.iter().all(|w| w.field != "logo"));
    // The preview shows it too, as a PNG of the printed picture.
    let preview = sheets::preview(&db.k.store, &id, Lang::De).await.unwrap();
    let logos: Vec<&str> = preview.pages[0]
        .split("href=\"data:image/png;base64,")
        .skip(1)
        .collect();
    assert_eq!(logos.len(), 1, "one picture in the preview");
    let png = association::decode_base64(logos[0].split('"').next().unwrap()).unwrap();
    let shown = image::load_from_memory(&png).expect("a PNG");
    let original = image::load_from_memory(&std::fs::read(logo_path()).unwrap()).unwrap();
    assert_eq!(
        shown.width() * original.height(),
        shown.height() * original.width(),
        "the logo's shape"
    );

    // A large photo-like logo is scaled down: the sheet stays small.
    let big = png_bytes(3000, 2000);
    association::set_logo(&db.k.store, &id, Some(big)).await.unwrap();
    let (_, made) = sheet(&db, &id, Lang::De, "logo-large").await;
    assert!(made.bytes.len() < 100 * 1024, "{} bytes", made.bytes.len());

    // Cut off after its header: accepted when stored, but it cannot be decoded.
    let whole = png_bytes(300, 300);
    let broken = whole[..whole.len() / 3].to_vec();
    association::set_logo(&db.k.store, &id, Some(broken)).await.unwrap();
    let (pdf, made) = sheet(&db, &id, Lang::De, "logo-broken").await;
    assert_images(&pdf, 0, "no logo");
    let warning = made.warnings.iter().find(|w| w.field == "logo").expect("a warning");
    assert_eq!(warning.code, "logo_unreadable");
    assert!(warning.message_de.contains("ohne Logo"), "{}", warning.message_de);
    if tools("the sheet's text") {
        assert_contains(&pdf.text(), "Verein mit Logo", "the sheet itself");
    }

    // Larger than any logo the app accepts (it came from a sync file, say).
    let mut fields = Fields::new();
    fields.insert("logo", Value::Blob(png_bytes(4100, 10)));
    fields.insert("logo_mime", Value::Text("image/png".into()));
    db.k.store.update(&association::TABLE, &id, fields).await.unwrap();
    let (pdf, made) = sheet(&db, &id, Lang::En, "logo-huge").await;
    assert_images(&pdf, 0, "no huge logo");
    let warning = made.warnings.iter().find(|w| w.field == "logo").expect("a warning");
    assert_eq!(warning.code, "logo_too_large_to_print");
    assert!(warning.message_en.contains("without it"), "{}", warning.message_en);
}

#[tokio::test]
async fn hostile_and_unprintable_text_shows_as_text() {
    let db = TestDb::new().await;
    let mut draft = full_draft("<script>alert(1)</script> & Co. \"Verein\"", "中文协会").await;
    draft.mission_de = "<b>fett</b> {{ name }} ${x} '; DROP TABLE associations; --".into();
    draft.communities = vec!["<img src=x onerror=alert(1)>".into()];
    let a = association::create(&db.k.store, &draft, LogoChange::Keep)
        .await
        .unwrap();
    let (pdf, made) = sheet(&db, &a.id, Lang::De, "hostile").await;
    let warning = made
        .warnings
        .iter()
        .find(|w| w.field == "name_original")
        .expect("said so");
    assert_eq!(warning.code, "text_unprintable");
    assert!(warning.message_de.contains("„中“"), "{}", warning.message_de);
    let preview = sheets::preview(&db.k.store, &a.id, Lang::De).await.unwrap();
    assert_eq!(preview.pages.len(), made.pages);
    for page in &preview.pages {
        assert!(page.starts_with("<svg") && !page.contains("script") && !page.contains("onerror"));
    }
    if !tools("the sheet's text") {
        return;
    }
    let text = pdf.text();
    assert_contains(&text, "<script>alert(1)</script> & Co. \"Verein\"", "name as text");
    assert_contains(
        &text,
        "<b>fett</b> {{ name }} ${x} '; DROP TABLE associations; --",
        "mission as text",
    );
    assert_contains(&text, "<img src=x onerror=alert(1)>", "community as text");
    assert!(
        !text.contains("中文") && !text.contains("??"),
        "an original name no font has is left out"
    );
}

#[tokio::test]
async fn the_preview_shows_the_pages_of_the_pdf() {
    let db = TestDb::new().await;
    let id = rich_association(&db, "Verein für die Vorschau", "Українська громада").await;
    let preview = sheets::preview(&db.k.store, &id, Lang::De).await.unwrap();
    let made = sheets::association_pdf(&db.k.store, &id, Lang::De).await.unwrap();
    assert_eq!(preview.pages.len(), made.pages);
    assert_eq!(preview.name, "Verein für die Vorschau");
    let svg = &preview.pages[0];
    assert!(svg.contains("viewBox=\"0 0 595.276 841.890\""), "A4");
    assert!(svg.matches("<use ").count() > 300, "every glyph drawn");
    assert!(svg.contains("<path id=\"g0b"), "bold Noto Sans outlines");
    let err = sheets::preview(&db.k.store, "no-such-id", Lang::De).await.unwrap_err();
    assert_eq!(err.code(), "not_found");
}

#[tokio::test]
async fn the_kozmos_contact_is_checked_and_printed() {
    let db = TestDb::new().await;
    let pool = db.k.store.pool();
    let bad = KozmosContactDraft {
        organisation: "".into(),
        email: "kein-at-zeichen".into(),
        phone: "abc".into(),
        website: "javascript:alert(1)".into(),
        person: "x".repeat(300),
    };
    let err = sheets::set_kozmos_contact(pool, "lamsa", &bad).await.unwrap_err();
    let fields: Vec<&str> = err.field_errors().iter().map(|e| e.field.as_str()).collect();
    assert_eq!(
        fields,
        ["organisation", "person", "email", "phone", "website"],
        "{err:?}"
    );
    assert!(
        !sheets::kozmos_contact(pool, "lamsa").await.unwrap().configured,
        "nothing saved"
    );
    assert_eq!(
        sheets::set_kozmos_contact(pool, "<b>", &KozmosContactDraft::default())
            .await
            .unwrap_err()
            .code(),
        "network_unknown"
    );
    let good = KozmosContactDraft {
        organisation: "LAMSA e.V. – KOZMOS".into(),
        person: "Mamad Mohamad".into(),
        email: "kozmos@lamsa.example".into(),
        phone: "0345 0000".into(),
        website: "lamsa.example".into(),
    };
    let saved = sheets::set_kozmos_contact(pool, "lamsa", &good).await.unwrap();
    assert!(saved.configured);
    assert_eq!(saved.website.as_deref(), Some("https://lamsa.example"));
    let id = rich_association(&db, "Verein in Halle", "").await;
    let (pdf, made) = sheet(&db, &id, Lang::De, "contact").await;
    assert!(made.warnings.iter().all(|w| w.code != "kozmos_contact_missing"));
    if tools("the contact on the sheet") {
        let text = pdf.text();
        for wanted in ["Mamad Mohamad", "kozmos@lamsa.example", "0345 0000", "lamsa.example"] {
            assert_contains(&text, wanted, "KOZMOS contact");
        }
    }
}

#[tokio::test]
async fn a_meeting_pack_has_a_cover_and_each_sheet_where_the_cover_says() {
    let db = TestDb::new().await;
    let f = kozmos_core::foundation::create(
        &db.k.store,
        &kozmos_core::foundation::FoundationDraft {
            name: "Bürgerstiftung Halle".into(),
            city: "Halle (Saale)".into(),
            state: "ST".into(),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    let mut ids = Vec::new();
    for (name, original) in [
        ("Ukrainische Gemeinde Halle", "Українська громада"),
        ("Arabischer Elternverein Halle", "جمعية أولياء الأمور العرب"),
        ("Vietnamesischer Verein Halle", "Hội người Việt"),
    ] {
        ids.push(rich_association(&db, name, original).await);
    }
    let made = sheets::pack_pdf(&db.k.store, &f.id, &ids, Lang::De).await.unwrap();
    let pdf = Pdf::write(TEST, "pack", &made.bytes);
    pdf.check_structure();
    assert_eq!(made.sheets, 3);
    assert_eq!(made.pages, 4, "a cover and three one-page sheets");
    if tools("the cover and the pages of the pack") {
        let cover = comparable(&pdf.page_text(1));
        assert!(
            cover.contains("Bürgerstiftung Halle") && cover.contains("In dieser Mappe"),
            "{cover}"
        );
        for (i, name) in [
            "Ukrainische Gemeinde Halle",
            "Arabischer Elternverein Halle",
            "Vietnamesischer Verein Halle",
        ]
        .iter()
        .enumerate()
        {
            assert!(cover.contains(&format!("{}. {name}", i + 1)), "{name} listed: {cover}");
            assert!(cover.contains(&format!("Seite {}", i + 2)), "its page: {cover}");
            assert!(
                comparable(&pdf.page_text(i + 2)).starts_with(name),
                "sheet {name} on page {}",
                i + 2
            );
        }
        assert!(pdf.info().contains("Mappe: Bürgerstiftung Halle"));
    }
    assert_eq!(made.file_name, "Mappe Bürgerstiftung Halle.pdf");
    // The same association twice is printed once; none, or an unknown foundation, is refused.
    let twice = sheets::pack_pdf(&db.k.store, &f.id, &[ids[0].clone(), ids[0].clone()], Lang::De)
        .await
        .unwrap();
    assert_eq!(twice.sheets, 1);
    assert_eq!(
        sheets::pack_pdf(&db.k.store, &f.id, &[], Lang::De)
            .await
            .unwrap_err()
            .code(),
        "pack_empty"
    );
    assert_eq!(
        sheets::pack_pdf(&db.k.store, "nope", &ids, Lang::De)
            .await
            .unwrap_err()
            .code(),
        "not_found"
    );
    let many: Vec<String> = (0..=sheets::PACK_MAX).map(|i| format!("id-{i}")).collect();
    assert_eq!(
        sheets::pack_pdf(&db.k.store, &f.id, &many, Lang::De)
            .await
            .unwrap_err()
            .code(),
        "too_many_sheets"
    );
}

#[tokio::test]
async fn a_batch_prints_every_association_of_a_filter() {
    let db = TestDb::new().await;
    demo::generate(&db.k.store, 1, 11).await.unwrap();
    let query = AssociationQuery {
        network: Some("migranetz".into()),
        ..Default::default()
    };
    let expected = association::list(
        &db.k.store,
        &AssociationQuery {
            limit: 500,
            ..query.clone()
        },
    )
    .await
    .unwrap();
    assert!(expected.total > 20);
    let made = sheets::batch_pdf(&db.k.store, &query, Lang::De).await.unwrap();
    assert_eq!(made.sheets, expected.total as usize);
    assert_eq!(made.file_name, "Vereinssteckbriefe.pdf");
    let pdf = Pdf::write(TEST, "batch", &made.bytes);
    if tools("the pages and text of the batch") {
        assert!(pdf.pages() >= made.sheets);
        let text = comparable(&pdf.text());
        for a in &expected.items {
            assert!(text.contains(&comparable(&a.name)), "{}", a.name);
        }
        assert!(!text.contains("(Sachsen-Anhalt)"), "only the filter's network");
    }

    let folder = tempfile::tempdir().unwrap();
    let files = sheets::batch_files(&db.k.store, &query, Lang::En, folder.path())
        .await
        .unwrap();
    assert_eq!(files.files.len(), expected.total as usize);
    let names: HashSet<_> = files.files.iter().collect();
    assert_eq!(names.len(), files.files.len(), "one file each");
    for file in files.files.iter().take(5) {
        let pdf = Pdf::at(std::path::Path::new(file));
        assert!(std::fs::read(file).unwrap().starts_with(b"%PDF-"), "{file}");
        if tools("the pages and text of a file of the batch") {
            assert_eq!(pdf.pages(), 1);
            assert!(pdf.text().contains("As of"));
        }
    }
    let none = AssociationQuery {
        text: "keinvereinheisstso".into(),
        ..Default::default()
    };
    assert_eq!(
        sheets::batch_pdf(&db.k.store, &none, Lang::De)
            .await
            .unwrap_err()
            .code(),
        "batch_empty"
    );
    let missing = folder.path().join("gibt-es-nicht");
    assert_eq!(
        sheets::batch_files(&db.k.store, &query, Lang::De, &missing)
            .await
            .unwrap_err()
            .code(),
        "folder_missing"
    );
}

#[tokio::test]
async fn the_best_matches_fill_a_pack_and_none_is_said_plainly() {
    let db = TestDb::new().await;
    demo::generate(&db.k.store, 1, 3).await.unwrap();
    let open = kozmos_core::foundation::create(
        &db.k.store,
        &kozmos_core::foundation::FoundationDraft {
            name: "Stiftung für alle".into(),
            accepts_applications: "yes".into(),
            application_route: "open".into(),
            themes: vec!["bildung".into()],
            ..Default::default()
        },
    )
    .await
    .unwrap();
    let best = sheets::best_for_pack(&db.k.store, &open.id, 5).await.unwrap();
    assert_eq!(best.len(), 5);
    let ranked = kozmos_core::matching::for_foundation(&db.k.store, &open.id, false)
        .await
        .unwrap();
    let top: Vec<&str> = ranked.iter().take(5).map(|m| &*m.association_id).collect();
    assert_eq!(best, top, "the five best, best first");
    let closed = kozmos_core::foundation::create(
        &db.k.store,
        &kozmos_core::foundation::FoundationDraft {
            name: "Stiftung nur auf Einladung".into(),
            accepts_applications: "no".into(),
            application_route: "invitation".into(),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    let err = sheets::best_for_pack(&db.k.store, &closed.id, 5).await.unwrap_err();
    assert_eq!(err.code(), "pack_no_matches");
    assert!(err.message(Lang::De).contains("selbst"), "{}", err.message(Lang::De));
}

#[tokio::test]
async fn arabic_inside_a_german_sentence_reads_in_order() {
    let db = TestDb::new().await;
    let sentence = "Wir feiern عيد الفطر gemeinsam mit den Nachbarn in Halle, und das Fest بيرم auch.";
    let draft = with_field(&full_draft("Verein der Feste", "").await, "mission_de", sentence);
    let a = association::create(&db.k.store, &draft, LogoChange::Keep)
        .await
        .unwrap();
    let (pdf, _) = sheet(&db, &a.id, Lang::De, "mixed-line").await;
    if !tools("the text and word boxes of a mixed line") {
        return;
    }
    assert_contains(&pdf.text(), sentence, "one line, German around Arabic");
    // On the page the Arabic words stand right to left between the German ones (-bbox gives each
    // word's characters as drawn, left to right).
    let words = &pdf.words()[0].1;
    let x = |w: &str| {
        let drawn: String = w.chars().rev().collect();
        words
            .iter()
            .find(|word| word.text == w || word.text == drawn)
            .unwrap_or_else(|| panic!("{w}"))
            .x0
    };
    assert!(
        x("feiern") < x("عيد") && x("عيد") > x("الفطر") && x("الفطر") < x("gemeinsam"),
        "visual order"
    );
}

#[tokio::test]
async fn a_batch_larger_than_the_limit_is_refused_before_any_work() {
    let db = TestDb::new().await;
    demo::generate(&db.k.store, 4, 5).await.unwrap();
    let err = sheets::batch_ids(&db.k.store, &AssociationQuery::default())
        .await
        .unwrap_err();
    assert_eq!(err.code(), "too_many_sheets");
    assert!(
        err.message(Lang::De).contains("höchstens 500"),
        "{}",
        err.message(Lang::De)
    );
    assert!(
        err.message(Lang::De).contains("560"),
        "says how many: {}",
        err.message(Lang::De)
    );
    let one_network = AssociationQuery {
        network: Some("lamsa".into()),
        ..Default::default()
    };
    assert!(sheets::batch_ids(&db.k.store, &one_network).await.unwrap().len() < sheets::BATCH_MAX);
}

#[tokio::test]
async fn persian_and_kurdish_words_keep_their_zero_width_non_joiner_when_copied() {
    let db = TestDb::new().await;
    // Persian "Afghans", "we want", "books"; Kurdish (Sorani) "the members": each spelt with U+200C.
    let words = [
        "افغان\u{200C}ها",
        "می\u{200C}خواهیم",
        "کتاب\u{200C}ها",
        "ئەندام\u{200C}ەکان",
    ];
    let mission = format!("Wir sagen: {} {} – auf Kurdisch: {}", words[1], words[2], words[3]);
    let draft = with_field(
        &full_draft("Afghanischer Kulturverein", "انجمن فرهنگی افغان\u{200C}ها").await,
        "mission_de",
        &mission,
    );
    let a = association::create(&db.k.store, &draft, LogoChange::Keep)
        .await
        .unwrap();
    let (pdf, _) = sheet(&db, &a.id, Lang::De, "zwnj").await;
    if !tools("the joiners in the copied text") {
        return;
    }
    let text = pdf.text();
    for word in words {
        assert!(text.contains(word), "{word:?} (with U+200C) not in\n{text}");
    }
    // Other readers get it from the file itself: a glyph of its own that the font's ToUnicode map
    // turns into U+200C, shown between the letters it separates.
    let plain = pdf.path.with_extension("qdf.pdf");
    run(
        "qpdf",
        &["--qdf", "--object-streams=disable", pdf.arg(), plain.to_str().unwrap()],
    );
    let bytes = std::fs::read(&plain).unwrap();
    let qdf = String::from_utf8_lossy(&bytes).into_owned();
    let zwnj = qdf
        .lines()
        .find_map(|l| l.trim().strip_suffix(" <200C>").filter(|gid| gid.len() == 6))
        .expect("a ToUnicode entry for U+200C")
        .to_string();
    let shown = format!("[{zwnj}] TJ");
    assert!(qdf.matches(&shown).count() >= 4, "a glyph for each joiner on the sheet");
    // Printing stays as it is: the page drawn without those glyphs (blanked, so every offset in
    // the file stays right) is the same picture.
    let mut blanked = bytes.clone();
    let mut at = 0;
    while let Some(found) = blanked[at..].windows(shown.len()).position(|w| w == shown.as_bytes()) {
        blanked[at + found..at + found + shown.len()].fill(b' ');
        at += found + shown.len();
    }
    let without = pdf.path.with_extension("without.pdf");
    std::fs::write(&without, &blanked).unwrap();
    let render = |file: &std::path::Path, name: &str| {
        let prefix = pdf.path.with_file_name(name);
        run(
            "pdftoppm",
            &[
                "-r",
                "60",
                "-gray",
                "-singlefile",
                file.to_str().unwrap(),
                prefix.to_str().unwrap(),
            ],
        );
        std::fs::read(prefix.with_extension("pgm")).unwrap()
    };
    assert!(
        render(&plain, "zwnj-with") == render(&without, "zwnj-without"),
        "the joiner glyphs draw nothing"
    );
}
