//! Hostile sync files: an honest export rewritten as an attacker would, with the checksum
//! recomputed so that every container check passes. The tests assert that each is refused with
//! its own code and changes nothing; the bench measures the time and memory it takes to refuse.
#![doc(hidden)]

use base64::Engine;
use serde_json::{json, Value as Json};

use super::file::{self, FieldLine, Header, Notice, Passphrase, RowLine, SyncWriter};
use crate::association::{self, AssociationDraft, LogoChange};
use crate::cooperation::{self, ActivityDraft, CooperationDraft};
use crate::error::Result;
use crate::foundation::{self, FoundationDraft};
use crate::person::{self, ConsentDraft, Parent, PersonDraft};
use crate::project::{self, IdeaDraft, ProjectDraft};
use crate::store::Store;

/// A small PNG, as a logo would be.
const PNG: &[u8] = include_bytes!("../../tests/fixtures/logo.png");
/// A GIF: a picture KOZMOS does not store.
const GIF: &[u8] = include_bytes!("../../tests/fixtures/logo.gif");

/// Writes one record of every synced kind (the sender of the honest file).
pub async fn seed(store: &Store) -> Result<()> {
    let logo = association::validate_logo(PNG.to_vec())?;
    let a = association::create(
        store,
        &AssociationDraft {
            name: "Українська громада Erfurt".into(),
            city: "Erfurt".into(),
            ..Default::default()
        },
        LogoChange::Set(logo),
    )
    .await?;
    let f = foundation::create(
        store,
        &FoundationDraft {
            name: "Stiftung Brücke".into(),
            ..Default::default()
        },
    )
    .await?;
    let p = person::create(
        store,
        &Parent::Association(a.id.clone()),
        &PersonDraft {
            name: "Olena Kovalenko".into(),
            email: "olena@example.org".into(),
            ..Default::default()
        },
    )
    .await?;
    person::record_consent(
        store,
        &p.id,
        &ConsentDraft {
            purpose: "print".into(),
            status: "given".into(),
            ..Default::default()
        },
    )
    .await?;
    let c = cooperation::create(
        store,
        &CooperationDraft {
            idea: "Sprachcafé".into(),
            association_id: a.id.clone(),
            foundation_id: f.id,
            ..Default::default()
        },
    )
    .await?;
    cooperation::add_activity(
        store,
        &c.id,
        &ActivityDraft {
            kind: "call".into(),
            text: "Erstes Gespräch".into(),
            ..Default::default()
        },
    )
    .await?;
    project::add_project(
        store,
        &a.id,
        &ProjectDraft {
            title: "Hausaufgabenhilfe".into(),
            ..Default::default()
        },
    )
    .await?;
    project::add_idea(
        store,
        &a.id,
        &IdeaDraft {
            title: "Nähwerkstatt".into(),
            ..Default::default()
        },
    )
    .await?;
    Ok(())
}

/// An honest file taken apart, and what the attacker knows of the receiver.
#[derive(Clone)]
pub struct Sample {
    pub header: Header,
    pub rows: Vec<RowLine>,
    pub withheld: Vec<Notice>,
    /// The receiving installation's site id.
    pub receiver: String,
}

impl Sample {
    pub fn from_file(bytes: &[u8], receiver: &str) -> Result<Sample> {
        let verified = file::verify(bytes, None)?;
        Ok(Sample {
            header: verified.header.clone(),
            rows: verified.rows().collect::<Result<_>>()?,
            withheld: verified.withheld.clone(),
            receiver: receiver.into(),
        })
    }

    /// The file again, with a correct checksum and counts.
    pub fn encode(&self) -> Result<Vec<u8>> {
        let mut writer = SyncWriter::new(&self.header)?;
        for row in &self.rows {
            writer.row(row)?;
        }
        for notice in &self.withheld {
            writer.notice(notice)?;
        }
        writer.finish(None)
    }

    /// The first row of a table.
    fn row(&mut self, table: &str) -> &mut RowLine {
        self.rows
            .iter_mut()
            .find(|r| r.t == table)
            .unwrap_or_else(|| panic!("the sample has no {table}"))
    }

    /// Sets a field of the first row of a table (stamped like the row's newest field).
    fn set(&mut self, table: &str, col: &str, value: Json) {
        let row = self.row(table);
        let newest = row.f.iter().map(|f| f.2).max().unwrap_or(0);
        match row.f.iter_mut().find(|f| f.0 == col) {
            Some(field) => field.1 = value,
            None => {
                row.f.push(FieldLine(col.to_owned().into(), value, newest, 0));
                row.f.sort_by(|a, b| a.0.cmp(&b.0));
            }
        }
    }

    /// Adds a notice of a person no longer shared (ids kept in order).
    fn notice(&mut self, id: &str, hlc: i64, site: u32) {
        self.withheld.push(Notice(id.into(), hlc, site));
        self.withheld.sort_by(|a, b| a.0.cmp(&b.0));
    }

    /// Moves every stamp and the header's clock by `by`.
    fn shift_clock(&mut self, by: i64) {
        self.header.newest_hlc += by;
        for row in &mut self.rows {
            row.f.iter_mut().for_each(|f| f.2 += by);
        }
        for vector in [&mut self.header.vector, &mut self.header.vector_shared] {
            vector.values_mut().for_each(|h| *h += by);
        }
    }
}

/// One way to rewrite a file, and the error code that refuses it.
pub struct Case {
    pub name: &'static str,
    pub code: &'static str,
    pub make: fn(&Sample) -> Result<Vec<u8>>,
}

fn edited(sample: &Sample, edit: impl FnOnce(&mut Sample)) -> Result<Vec<u8>> {
    let mut sample = sample.clone();
    edit(&mut sample);
    sample.encode()
}

macro_rules! case {
    ($name:literal, $code:literal, |$s:ident| $edit:expr) => {
        Case {
            name: $name,
            code: $code,
            make: |sample| edited(sample, |$s: &mut Sample| $edit),
        }
    };
}

const DAY_STAMP: i64 = (24 * 3_600_000) << crate::hlc::COUNTER_BITS;

fn base64(bytes: &[u8]) -> Json {
    Json::String(base64::engine::general_purpose::STANDARD.encode(bytes))
}

/// Every hostile rewrite of the sample.
pub fn cases() -> Vec<Case> {
    vec![
        case!("purge an association", "sync_purge_refused", |s| s.set(
            "associations",
            "_life",
            json!("purged")
        )),
        case!("purge a foundation", "sync_purge_refused", |s| s.set(
            "foundations",
            "_life",
            json!("purged")
        )),
        case!("purge a cooperation", "sync_purge_refused", |s| s.set(
            "cooperations",
            "_life",
            json!("purged")
        )),
        case!("one stamp ahead of the header", "sync_stamp_ahead", |s| {
            let ahead = s.header.newest_hlc + 365 * DAY_STAMP;
            s.row("associations").f[0].2 = ahead;
        }),
        case!("a stamp at i64::MAX", "sync_stamp_ahead", |s| s.row("persons").f[0].2 =
            i64::MAX),
        case!("header clock at i64::MAX", "sync_clock_insane", |s| {
            s.header.newest_hlc = i64::MAX;
            s.row("persons").f[0].2 = i64::MAX;
        }),
        case!("clock 60 days ahead", "sync_clock_far_ahead", |s| s
            .shift_clock(60 * DAY_STAMP)),
        case!("vector beyond the newest stamp", "sync_vector_ahead", |s| {
            let beyond = s.header.newest_hlc + 1;
            s.header.vector.values_mut().for_each(|h| *h = beyond);
        }),
        case!("base beyond the newest stamp", "sync_vector_ahead", |s| {
            let beyond = s.header.newest_hlc + 1;
            s.header.base = Some(s.header.vector.keys().map(|k| (k.clone(), beyond)).collect());
        }),
        case!("this installation as origin", "sync_own_file", |s| s
            .header
            .origin_site =
            s.receiver.clone()),
        case!("name of 201 characters", "sync_value_invalid", |s| s.set(
            "associations",
            "name",
            json!("A".repeat(201))
        )),
        case!("notes of 100 000 characters", "sync_value_invalid", |s| s.set(
            "associations",
            "notes",
            json!("x".repeat(100_000))
        )),
        case!("invalid e-mail", "sync_value_invalid", |s| s.set(
            "associations",
            "email",
            json!("kein@")
        )),
        case!("unknown legal form", "sync_value_invalid", |s| s.set(
            "associations",
            "legal_form",
            json!("gmbh-xyz")
        )),
        case!("founded in 1700", "sync_value_invalid", |s| s.set(
            "associations",
            "founded_year",
            json!(1700)
        )),
        case!("31 February", "sync_value_invalid", |s| s.set(
            "associations",
            "notice_date",
            json!("2026-02-31")
        )),
        case!("unknown theme", "sync_value_invalid", |s| s.set(
            "associations",
            "themes",
            json!("[\"atomkraft\"]")
        )),
        case!("script as website", "sync_value_invalid", |s| s.set(
            "associations",
            "website",
            json!("javascript:alert(1)")
        )),
        case!("name not in NFC", "sync_value_invalid", |s| s.set(
            "associations",
            "name",
            json!("Mu\u{308}ller e.V.")
        )),
        case!("name with a leading space", "sync_value_invalid", |s| s.set(
            "associations",
            "name",
            json!(" Verein")
        )),
        case!("logo of the wrong type", "sync_value_invalid", |s| s.set(
            "associations",
            "logo",
            base64(GIF)
        )),
        case!("logo over the cap", "sync_value_invalid", |s| {
            let mut big = PNG.to_vec();
            big.resize(association::LOGO_MAX_BYTES + 1, 0);
            s.set("associations", "logo", base64(&big))
        }),
        case!("negative grant", "sync_value_invalid", |s| s.set(
            "foundations",
            "grant_min",
            json!(-500)
        )),
        case!("person e-mail", "sync_value_invalid", |s| s.set(
            "persons",
            "email",
            json!("<script>@x")
        )),
        case!("person under a non-id", "sync_value_invalid", |s| s.set(
            "persons",
            "association_id",
            json!("../etc")
        )),
        case!("unknown consent answer", "sync_value_invalid", |s| s.set(
            "consents",
            "status",
            json!("vielleicht")
        )),
        case!("unknown stage", "sync_value_invalid", |s| s.set(
            "cooperations",
            "stage",
            json!("bogus")
        )),
        case!("unknown log entry kind", "sync_value_invalid", |s| s.set(
            "activities",
            "kind",
            json!("bogus")
        )),
        case!("project in 1800", "sync_value_invalid", |s| s.set(
            "projects",
            "year",
            json!(1800)
        )),
        case!("idea title of 300 characters", "sync_value_invalid", |s| s.set(
            "ideas",
            "title",
            json!("I".repeat(300))
        )),
        case!("a notice with a bad person id", "sync_notice_invalid", |s| s.notice(
            "../persons",
            1,
            0
        )),
        case!("a notice twice", "sync_notice_invalid", |s| {
            let id = "01900000-0000-7000-8000-000000000001";
            s.notice(id, 1, 0);
            s.notice(id, 1, 0);
        }),
        case!("a notice stamped after the header", "sync_stamp_ahead", |s| {
            let ahead = s.header.newest_hlc + 1;
            s.notice("01900000-0000-7000-8000-000000000001", ahead, 0);
        }),
        case!("a notice at an unknown site", "sync_stamp_ahead", |s| {
            let site = s.header.sites.len() as u32;
            s.notice("01900000-0000-7000-8000-000000000001", 1, site);
        }),
        case!("more notices than allowed", "sync_notice_invalid", |s| {
            s.withheld = (0..=file::MAX_NOTICES)
                .map(|i| Notice(format!("01900000-0000-7000-8000-{i:012}"), 1, 0))
                .collect();
        }),
        Case {
            name: "decompression bomb (one value of 200 MB)",
            code: "sync_file_damaged",
            make: |sample| edited(sample, |s| s.set("associations", "notes", json!("A".repeat(200 << 20)))),
        },
        Case {
            name: "scrypt work factor 40",
            code: "sync_work_factor_too_high",
            make: |sample| excessive_work_factor(&sample.encode()?),
        },
    ]
}

/// The passphrase of `excessive_work_factor`'s file.
pub const PASSPHRASE: &str = "Brücke-über-die-Saale-2026";

/// The file encrypted, its age header then claiming scrypt work factor 40 (a terabyte of memory):
/// refused before scrypt runs.
fn excessive_work_factor(plain: &[u8]) -> Result<Vec<u8>> {
    let passphrase = Passphrase {
        secret: PASSPHRASE.into(),
        work_factor: Some(10),
    };
    let encrypted = file::encrypt(plain, &passphrase)?;
    let text_end = encrypted.windows(4).position(|w| w == b"\n---").unwrap_or(0);
    let header = String::from_utf8_lossy(&encrypted[..text_end]).replace(" 10\n", " 40\n");
    let mut out = header.into_bytes();
    out.extend_from_slice(&encrypted[text_end..]);
    Ok(out)
}
