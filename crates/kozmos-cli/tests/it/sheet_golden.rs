//! Golden renders: three sheets (Arabic, Ukrainian, Vietnamese; with logo, QR code and a person
//! who agreed to be printed) rendered by pdftoppm and compared with the pictures in
//! `tests/golden/`. A change in layout, fonts or shaping that moves more than a little ink fails
//! here; after an intended change, look at the new pictures and renew them with
//! `UPDATE_GOLDEN=1 cargo test -p kozmos-core --test it sheet_golden`.

use crate::common;

use std::path::{Path, PathBuf};

use common::pdf::{run, tools, Pdf};
use common::TestDb;
use image::GrayImage;
use kozmos_core::association::{self, AssociationDraft, LogoChange};
use kozmos_core::person::{self, ConsentDraft, Parent, PersonDraft};
use kozmos_core::project::{self, IdeaDraft, ProjectDraft};
use kozmos_core::{sheets, Lang};

/// Render resolution: enough to see every line, small enough to keep in the repository.
const DPI: &str = "40";
/// A pixel counts as changed when its grey value moved by more than this.
const PIXEL_TOLERANCE: u8 = 48;
/// At most this share of pixels may change, and the mean change must stay below MEAN_TOLERANCE.
const CHANGED_SHARE: f64 = 0.0015;
const MEAN_TOLERANCE: f64 = 1.0;

struct Case {
    file: &'static str,
    lang: Lang,
    name: &'static str,
    original: &'static str,
    city: &'static str,
    district: &'static str,
    state: &'static str,
    network: &'static str,
    person: (&'static str, &'static str),
    mission: &'static str,
}

const CASES: &[Case] = &[
    Case {
        file: "arabic-de",
        lang: Lang::De,
        name: "Deutsch-Arabisches Begegnungszentrum Halle",
        original: "مركز اللقاء العربي الألماني في هاله",
        city: "Halle (Saale)",
        district: "15002",
        state: "ST",
        network: "lamsa",
        person: ("Rania Haddad", "رانيا حداد"),
        mission: "Wir bringen Familien aus Syrien, dem Irak und Deutschland zusammen: mit Sprachcafés, Hausaufgabenhilfe und dem Fest „عيد الفطر“ für die ganze Nachbarschaft.",
    },
    Case {
        file: "ukrainian-de",
        lang: Lang::De,
        name: "Ukrainische Gemeinde Jena",
        original: "Українська громада Єни: ґанок, їжа, є",
        city: "Jena",
        district: "16053",
        state: "TH",
        network: "migranetz",
        person: ("Olena Kovalenko", "Олена Коваленко"),
        mission: "Wir begleiten Geflüchtete aus der Ukraine beim Ankommen in Jena und pflegen Sprache und Kultur mit Kindern und Jugendlichen.",
    },
    Case {
        file: "vietnamese-en",
        lang: Lang::En,
        name: "Vietnamesischer Verein Erfurt",
        original: "Hội người Việt tại Erfurt – Nguyễn Thị Hương",
        city: "Erfurt",
        district: "16051",
        state: "TH",
        network: "migranetz",
        person: ("Nguyễn Văn Đức", ""),
        mission: "Wir unterstützen Familien der ersten und zweiten Generation und öffnen das Tết-Fest für alle in Erfurt.",
    },
];

async fn make(db: &TestDb, case: &Case) -> String {
    let logo =
        std::fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join("../kozmos-core/tests/fixtures/logo.png")).unwrap();
    let draft = AssociationDraft {
        name: case.name.into(),
        name_original: case.original.into(),
        legal_form: "ev".into(),
        register_court: format!("Amtsgericht {}", case.city),
        register_number: "VR 2041".into(),
        founded_year: "2009".into(),
        charitable_status: "recognised".into(),
        notice_kind: "freistellungsbescheid".into(),
        notice_date: "2025-06-02".into(),
        network: case.network.into(),
        state: case.state.into(),
        district: case.district.into(),
        city: case.city.into(),
        postcode: "06108".into(),
        address: "Lindenstraße 12".into(),
        website: format!("https://{}.example", case.file),
        email: format!("kontakt@{}.example", case.file),
        phone: "0345 2233445".into(),
        mission_de: case.mission.into(),
        communities: vec!["Syrien".into()],
        languages: vec!["ar".into(), "uk".into(), "vi".into(), "de".into()],
        themes: vec!["bildung".into(), "kultur".into(), "familie".into()],
        target_groups: vec!["families".into(), "youth".into()],
        needs: vec!["project".into(), "training".into()],
        previous_funders: vec!["Aktion Mensch".into()],
        members: "64".into(),
        volunteers: "18".into(),
        staff: "1".into(),
        budget_band: "20k_50k".into(),
        status: "active".into(),
        ..Default::default()
    };
    let a = association::create(&db.k.store, &draft, LogoChange::Keep)
        .await
        .unwrap();
    association::set_logo(&db.k.store, &a.id, Some(logo)).await.unwrap();
    project::add_project(
        &db.k.store,
        &a.id,
        &ProjectDraft {
            title: "Sprachcafé für Eltern".into(),
            year: "2025".into(),
            people_reached: "140".into(),
            budget: "4.500".into(),
            funder: "Bürgerstiftung".into(),
            description: "Jeden Dienstag mit Kinderbetreuung.".into(),
        },
    )
    .await
    .unwrap();
    project::add_idea(
        &db.k.store,
        &a.id,
        &IdeaDraft {
            title: "Elternakademie".into(),
            description: "Sechs Abende über Schule und Ausbildung.".into(),
            amount_needed: "8.000".into(),
            time_frame: "2027".into(),
        },
    )
    .await
    .unwrap();
    let p = person::create(
        &db.k.store,
        &Parent::Association(a.id.clone()),
        &PersonDraft {
            name: case.person.0.into(),
            name_original: case.person.1.into(),
            role: "Vorsitzende".into(),
            email: "vorstand@verein.example".into(),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    person::record_consent(
        &db.k.store,
        &p.id,
        &ConsentDraft {
            purpose: "print".into(),
            status: "given".into(),
            date: "2026-01-15".into(),
            channel: "form".into(),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    a.id
}

fn golden_path(file: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("tests/golden/{file}.png"))
}

fn render(pdf: &Pdf, file: &str) -> PathBuf {
    let prefix = pdf.path.with_file_name(format!("{file}-render"));
    run(
        "pdftoppm",
        &[
            "-png",
            "-gray",
            "-r",
            DPI,
            "-f",
            "1",
            "-l",
            "1",
            "-singlefile",
            pdf.arg(),
            prefix.to_str().unwrap(),
        ],
    );
    prefix.with_extension("png")
}

/// The mean grey change per pixel and the share of pixels that changed noticeably; a picture of
/// the differences is written beside the render.
fn compare(golden: &GrayImage, render: &GrayImage, diff_path: &Path) -> (f64, f64) {
    assert_eq!(golden.dimensions(), render.dimensions(), "page size in pixels");
    let mut diff = GrayImage::new(golden.width(), golden.height());
    let (mut sum, mut changed) = (0u64, 0u64);
    for ((g, r), d) in golden.pixels().zip(render.pixels()).zip(diff.pixels_mut()) {
        let delta = g.0[0].abs_diff(r.0[0]);
        sum += u64::from(delta);
        if delta > PIXEL_TOLERANCE {
            changed += 1;
        }
        d.0[0] = 255 - delta;
    }
    diff.save(diff_path).unwrap();
    let n = f64::from(golden.width() * golden.height());
    (sum as f64 / n, changed as f64 / n)
}

#[tokio::test]
async fn sheets_render_as_the_golden_pictures() {
    let db = TestDb::new().await;
    let update = std::env::var_os("UPDATE_GOLDEN").is_some();
    let mut failures = Vec::new();
    for case in CASES {
        let id = make(&db, case).await;
        let made = sheets::association_pdf(&db.k.store, &id, case.lang).await.unwrap();
        assert_eq!(made.pages, 1, "{}", case.file);
        let pdf = Pdf::write("sheet_golden", case.file, &made.bytes);
        pdf.check_structure();
        if !tools("the render compared with the golden picture") {
            continue;
        }
        let rendered = render(&pdf, case.file);
        let golden = golden_path(case.file);
        if update {
            std::fs::create_dir_all(golden.parent().unwrap()).unwrap();
            std::fs::copy(&rendered, &golden).unwrap();
            eprintln!("{}: renewed {}", case.file, golden.display());
            continue;
        }
        assert!(
            golden.exists(),
            "{} is missing: make it with UPDATE_GOLDEN=1 and look at it",
            golden.display()
        );
        let expected = image::open(&golden).unwrap().to_luma8();
        let actual = image::open(&rendered).unwrap().to_luma8();
        let diff = rendered.with_file_name(format!("{}-diff.png", case.file));
        let (mean, share) = compare(&expected, &actual, &diff);
        eprintln!(
            "{}: mean change {mean:.3}, {:.3} % of pixels changed (diff: {})",
            case.file,
            share * 100.0,
            diff.display()
        );
        if mean > MEAN_TOLERANCE || share > CHANGED_SHARE {
            failures.push(format!(
                "{}: mean {mean:.3}, {:.3} % changed; see {} and {}",
                case.file,
                share * 100.0,
                rendered.display(),
                diff.display()
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "renders differ from the golden pictures:\n{}",
        failures.join("\n")
    );
}

#[test]
fn the_comparison_notices_a_changed_page() {
    let mut page = GrayImage::from_pixel(200, 280, image::Luma([255]));
    let same = page.clone();
    let dir = common::pdf::out_dir("sheet_golden");
    assert_eq!(compare(&page, &same, &dir.join("same-diff.png")), (0.0, 0.0));
    // A line of text (a 150 × 4 px bar) moved: far more than the tolerance allows.
    for x in 20..170 {
        for y in 100..104 {
            page.put_pixel(x, y, image::Luma([0]));
        }
    }
    let (mean, share) = compare(&page, &same, &dir.join("moved-diff.png"));
    assert!(share > CHANGED_SHARE && mean > 0.0, "{mean} {share}");
}
