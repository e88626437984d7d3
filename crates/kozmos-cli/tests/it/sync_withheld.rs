//! A withdrawn consent reaches the other network (ARCHITECTURE, "withdrawals travel"): what the
//! receiver shows and allows for a person the other network no longer shares, and which
//! withdrawals make a person not shareable. The histories are in `sync_props.rs` (property 9).

use crate::common::{self, Finish as _};

use common::{TestDb, NOON};
use kozmos_core::association::{self, LogoChange};
use kozmos_core::person::{self, ConsentDraft, Parent, Person, PersonDraft};
use kozmos_core::store::Life;
use kozmos_core::sync::export::{self, ExportOptions};
use kozmos_core::sync::file;
use kozmos_core::sync::import::{self, ImportOptions};
use kozmos_core::sync::profile::Profile;

const KOZMOS: &str = env!("CARGO_BIN_EXE_kozmos");

async fn networked(network: &str) -> TestDb {
    let db = TestDb::new().await;
    kozmos_core::site::set_up(db.k.store.pool(), network, "Ehrenamt")
        .await
        .unwrap();
    db
}

/// LAMSA (holder) and MigraNetz (receiver) with one shared person on an association; the
/// receiver has imported the person.
async fn shared() -> (TestDb, TestDb, Person) {
    let a = networked("lamsa").await;
    let b = networked("migranetz").await;
    let x = association::create(&a.k.store, &common::draft("Verein Brücke"), LogoChange::Keep)
        .await
        .unwrap();
    let draft = PersonDraft {
        name: "Olena Kovalenko".into(),
        role: "Vorstand".into(),
        email: "olena@example.org".into(),
        ..Default::default()
    };
    let p = person::create(&a.k.store, &Parent::Association(x.id), &draft)
        .await
        .unwrap();
    for purpose in ["share", "print"] {
        person::record_consent(&a.k.store, &p.id, &consent(purpose, "given"))
            .await
            .unwrap();
    }
    send(&a, &b).await;
    (a, b, p)
}

fn consent(purpose: &str, status: &str) -> ConsentDraft {
    ConsentDraft {
        purpose: purpose.into(),
        status: status.into(),
        ..Default::default()
    }
}

/// A full "consented" file from `from`, imported at `to`.
async fn send(from: &TestDb, to: &TestDb) -> import::Counts {
    let options = ExportOptions {
        peer: None,
        profile: Profile::Consented,
        passphrase: None,
    };
    let (bytes, _) = export::build(&from.k.store, &options).await.unwrap();
    let verified = file::verify(&bytes, None).unwrap();
    import::apply(&to.k.store, &verified, &ImportOptions::default())
        .await
        .unwrap()
        .counts
}

async fn withdraw(a: &TestDb, p: &Person, purpose: &str) {
    a.clock.set(NOON + 60_000);
    person::withdraw_consent(&a.k.store, &p.id, purpose).await.unwrap();
}

#[tokio::test]
async fn a_print_withdrawal_travels_with_the_consent_records() {
    let (a, b, p) = shared().await;
    withdraw(&a, &p, "print").await;
    let counts = send(&a, &b).await;
    assert_eq!(counts.withheld, 0);
    let at_b = person::get(&b.k.store, &p.id).await.unwrap();
    assert!(!at_b.withheld && at_b.fields.name.is_some());
    assert!(
        !person::has_consent(&at_b.consents, "print"),
        "B still may print the person"
    );
    assert!(person::has_consent(&at_b.consents, "share"));
}

#[tokio::test]
async fn a_store_withdrawal_makes_the_person_not_shareable() {
    let (a, b, p) = shared().await;
    withdraw(&a, &p, "store").await;
    assert_eq!(send(&a, &b).await.withheld, 1);
    let at_b = person::get(&b.k.store, &p.id).await.unwrap();
    assert!(at_b.withheld && at_b.fields.name.is_none() && at_b.consents.is_empty());
    assert_eq!(at_b.fields.role.as_deref(), Some("Vorstand"));
    // A keeps its own copy.
    assert!(person::get(&a.k.store, &p.id).await.unwrap().fields.name.is_some());
}

/// A withdrawal the other network records for a person it received never makes the network that
/// asked the person forget them: that network holds the person and decides itself.
#[tokio::test]
async fn a_withdrawal_recorded_by_the_receiver_never_makes_the_holder_forget() {
    let (a, b, p) = shared().await;
    withdraw(&b, &p, "share").await;
    assert_eq!(send(&b, &a).await.withheld, 0);
    let at_a = person::get(&a.k.store, &p.id).await.unwrap();
    assert!(!at_a.withheld, "A forgot its own person on B's word");
    assert_eq!(at_a.fields.name.as_deref(), Some("Olena Kovalenko"));
    assert!(person::has_consent(&at_a.consents, "share"));
}

#[tokio::test]
async fn a_withheld_person_is_not_listed_not_edited_but_can_be_erased() {
    let (a, b, p) = shared().await;
    withdraw(&a, &p, "share").await;
    send(&a, &b).await;
    let store = &b.k.store;
    // Not in searches; on the organisation's page a neutral entry.
    let found = person::search(store, "Vorstand", 0, 50).await.unwrap();
    assert!(found.items.is_empty());
    assert!(kozmos_core::search::everything(store, "Vorstand", 50)
        .await
        .unwrap()
        .is_empty());
    let at_b = person::get(store, &p.id).await.unwrap();
    let listed = person::persons_of(store, &at_b.parent).await.unwrap();
    assert_eq!(listed.len(), 1);
    assert!(listed[0].withheld && listed[0].name.is_none());
    assert_eq!(listed[0].role.as_deref(), Some("Vorstand"));
    // Edits are refused with their own code, in both languages.
    let edit = person::update(store, &p.id, &PersonDraft::try_from(&at_b.fields).unwrap()).await;
    let error = edit.unwrap_err().payload();
    assert_eq!(error.code, "person_withheld");
    assert!(error.message_de.contains("nicht mehr") && error.message_en.contains("no longer"));
    for refused in [
        person::record_consent(store, &p.id, &consent("share", "given")).await,
        person::delete(store, &p.id).await,
    ] {
        assert_eq!(refused.unwrap_err().payload().code, "person_withheld");
    }
    // The CLI says the same.
    let path = b.dir.path().join("kozmos.sqlite3");
    b.k.close().await;
    for (lang, says) in [
        ("de_DE.UTF-8", "teilt diese Person nicht mehr"),
        ("en_GB.UTF-8", "no longer shares"),
    ] {
        let out = std::process::Command::new(KOZMOS)
            .env_remove("KOZMOS_LANG")
            .env_remove("LC_ALL")
            .env("LANG", lang)
            .arg("--db")
            .arg(&path)
            .args(["persons", "show", &p.id])
            .finish();
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        assert!(text.contains(says) && text.contains("Vorstand"), "{text}");
    }
    // Erasing stays possible.
    let b = b.reopen(NOON + 120_000).await;
    let erased = kozmos_core::privacy::erase::erase_one(&b.k.store, &p.id).await.unwrap();
    assert_eq!(erased.life, Life::Purged);
}

/// A file in `profile` from `from` (incremental for `peer`), imported at `to`.
async fn send_as(from: &TestDb, to: &TestDb, profile: Profile, peer: Option<&TestDb>) {
    let options = ExportOptions {
        peer: peer.map(|p| p.k.store.site_id().to_string()),
        profile,
        passphrase: None,
    };
    let (bytes, _) = export::build(&from.k.store, &options).await.unwrap();
    let verified = file::verify(&bytes, None).unwrap();
    import::apply(&to.k.store, &verified, &ImportOptions::default())
        .await
        .unwrap();
}

#[tokio::test]
async fn a_re_consent_reaches_the_third_installation_through_its_own_network() {
    let (a, b, p) = shared().await;
    let c = networked("migranetz").await;
    // C (B's network) has the person from B, and B has heard from C.
    send_as(&b, &c, Profile::All, None).await;
    send_as(&c, &b, Profile::All, None).await;
    withdraw(&a, &p, "share").await;
    send(&a, &b).await;
    send_as(&b, &c, Profile::All, Some(&c)).await;
    let at_c = person::get(&c.k.store, &p.id).await.unwrap();
    assert!(at_c.withheld && at_c.fields.name.is_none(), "B forwarded the notice");
    send_as(&c, &b, Profile::All, Some(&b)).await;
    // Consent again: B gets the person back whole from A, and C from B's incremental file (the
    // person's row carries the holder's stamps, which no vector of B's network covers).
    a.clock.set(NOON + 120_000);
    person::record_consent(&a.k.store, &p.id, &consent("share", "given"))
        .await
        .unwrap();
    send(&a, &b).await;
    send_as(&b, &c, Profile::All, Some(&c)).await;
    for db in [&b, &c] {
        let back = person::get(&db.k.store, &p.id).await.unwrap();
        assert!(!back.withheld && person::has_consent(&back.consents, "share"));
        assert_eq!(back.fields.name.as_deref(), Some("Olena Kovalenko"));
        assert_eq!(back.fields.email.as_deref(), Some("olena@example.org"));
    }
}

#[tokio::test]
async fn an_erasure_in_a_consented_file_leaves_nothing_of_the_person_at_the_receiver() {
    let (a, b, p) = shared().await;
    let noted = ConsentDraft {
        note: "NOTE-SENTINEL spoke on the phone".into(),
        ..consent("print", "given")
    };
    person::record_consent(&a.k.store, &p.id, &noted).await.unwrap();
    send(&a, &b).await;
    a.clock.set(NOON + 60_000);
    kozmos_core::privacy::erase::erase_one(&a.k.store, &p.id).await.unwrap();
    send(&a, &b).await;
    assert_eq!(person::get(&b.k.store, &p.id).await.unwrap().life, Life::Purged);
    let kept = b
        .count("SELECT count(*) FROM consents WHERE life <> 'purged' OR note IS NOT NULL")
        .await;
    assert_eq!(kept, 0, "B keeps consent records of the erased person");
    // Nor does any page of B's database file keep them.
    sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)")
        .execute(b.k.store.pool())
        .await
        .unwrap();
    let raw = std::fs::read(b.dir.path().join("kozmos.sqlite3")).unwrap();
    for sentinel in ["Olena Kovalenko", "olena@example.org", "NOTE-SENTINEL"] {
        assert!(
            !raw.windows(sentinel.len()).any(|w| w == sentinel.as_bytes()),
            "{sentinel}"
        );
    }
}

/// A backup made before the notice arrived does not bring the forgotten person back.
#[tokio::test]
async fn a_restore_keeps_a_withheld_person_forgotten() {
    let (a, mut b, p) = shared().await;
    let before = kozmos_core::backup::create(&b.k, kozmos_core::backup::REASON_MANUAL, None)
        .await
        .unwrap();
    withdraw(&a, &p, "share").await;
    assert_eq!(send(&a, &b).await.withheld, 1);
    b.k = kozmos_core::restore::restore(&b.k, before.path.as_ref(), None)
        .await
        .unwrap()
        .kozmos;
    let at_b = person::get(&b.k.store, &p.id).await.unwrap();
    assert!(at_b.withheld && at_b.fields.name.is_none() && at_b.consents.is_empty());
    sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)")
        .execute(b.k.store.pool())
        .await
        .unwrap();
    let bytes = std::fs::read(&b.k.path).unwrap();
    assert!(
        !bytes.windows(6).any(|w| w == b"Kovale"),
        "the restored file holds the name"
    );
}
