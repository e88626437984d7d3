//! Persons the other network no longer shares. The sender's filtered files carry a notice (id and
//! deciding stamp, no personal data) for every person that is not shareable (`person::share_decision`);
//! the receiver records it in the local table `withheld_persons`, forgets the person's personal
//! data here (`Writer::forget_personal`, never a synced write) and ignores the person's later rows
//! until a file's own consent records share them again with a newer deciding stamp. Its own files
//! never carry a withheld person and forward the notices.

use std::collections::{BTreeMap, HashMap, HashSet};

use sqlx::sqlite::SqliteConnection;

use super::file::{Notice, Verified};
use super::profile::Profile;
use crate::error::Result;
use crate::person::{share_decision, Answer, ShareDecision, CONSENT_TABLE, TABLE as PERSON_TABLE};
use crate::store::{stamps, RemoteRow, Stamp, TableSpec, Value, Writer, LIFE_COLUMN};

/// Person id → the notice's stamp.
pub type Marks = BTreeMap<String, Stamp>;

/// The persons this installation withholds (notices it received).
pub async fn marks(conn: &mut SqliteConnection) -> Result<Marks> {
    let rows: Vec<(String, i64, String)> = sqlx::query_as("SELECT person_id, hlc, site FROM withheld_persons")
        .fetch_all(&mut *conn)
        .await?;
    Ok(rows
        .into_iter()
        .map(|(id, hlc, site)| (id, Stamp { hlc, site: site.into() }))
        .collect())
}

/// A consent record of a person (here, or in a file), with its stamps by column.
struct HeldRecord {
    person: String,
    purpose: String,
    status: String,
    date: String,
    alive: bool,
    stamps: BTreeMap<String, Stamp>,
}

/// person, purpose, status, date, life, stamps JSON.
type ConsentRow = (String, String, String, String, String, Option<String>);

async fn held_records(conn: &mut SqliteConnection) -> Result<Vec<HeldRecord>> {
    let rows: Vec<ConsentRow> = sqlx::query_as(
        "SELECT c.person_id, c.purpose, c.status, c.date, c.life, s.stamps FROM consents c
         JOIN persons p ON p.id = c.person_id AND p.life <> 'purged'
         LEFT JOIN stamps s ON s.tbl = 'consents' AND s.row_id = c.id
         WHERE c.purpose IN ('share', 'store') ORDER BY c.person_id",
    )
    .fetch_all(&mut *conn)
    .await?;
    let names = stamps::site_names(&mut *conn).await?;
    rows.into_iter()
        .map(|(person, purpose, status, date, life, json)| {
            Ok(HeldRecord {
                person,
                purpose,
                status,
                date,
                alive: life == "alive",
                stamps: match json {
                    Some(json) => stamps::parse(&json, &names, &CONSENT_TABLE)?,
                    None => BTreeMap::new(),
                },
            })
        })
        .collect()
}

fn decide(records: &[HeldRecord]) -> HashMap<String, ShareDecision> {
    let mut by_person: HashMap<&str, Vec<Answer>> = HashMap::new();
    for r in records {
        by_person.entry(&r.person).or_default().push(Answer {
            purpose: &r.purpose,
            status: &r.status,
            date: &r.date,
            alive: r.alive,
            stamp: r.stamps.values().max().cloned().unwrap_or_else(Stamp::zero),
        });
    }
    by_person
        .into_iter()
        .filter_map(|(person, answers)| Some((person.to_string(), share_decision(answers)?)))
        .collect()
}

/// The share decision of every person here that is not erased and has a "share" or "store" record.
pub async fn decisions(conn: &mut SqliteConnection) -> Result<HashMap<String, ShareDecision>> {
    Ok(decide(&held_records(conn).await?))
}

/// The persons whose "share" or "store" consent was recorded in this network (a record created,
/// its purpose stamped, by a site `ours` names): this network asked them, so it holds them, and
/// a notice from elsewhere (say, a withdrawal the other network recorded) never makes it forget.
fn asked_here(records: &[HeldRecord], ours: impl Fn(&str) -> bool) -> HashSet<String> {
    records
        .iter()
        .filter(|r| r.stamps.get("purpose").is_some_and(|s| ours(&s.site)))
        .map(|r| r.person.clone())
        .collect()
}

/// The notices a file of this profile carries, by person id: every person withheld here (not
/// erased, not in `skipped`), and for the profiles meant for the other network every person here
/// that is not shareable. Files of profile "all" carry the consent records themselves.
pub async fn to_send(
    conn: &mut SqliteConnection,
    profile: Profile,
    decisions: &HashMap<String, ShareDecision>,
    skipped: Option<&HashSet<String>>,
) -> Result<Marks> {
    let purged: HashSet<String> = sqlx::query_scalar("SELECT id FROM persons WHERE life = 'purged'")
        .fetch_all(&mut *conn)
        .await?
        .into_iter()
        .collect();
    let mut notices = marks(conn).await?;
    if profile != Profile::All {
        for (person, decision) in decisions.iter().filter(|(_, d)| !d.shareable) {
            raise(&mut notices, person, &decision.stamp);
        }
    }
    notices.retain(|id, _| !purged.contains(id) && !skipped.is_some_and(|s| s.contains(id)));
    Ok(notices)
}

fn raise(marks: &mut Marks, person: &str, stamp: &Stamp) -> bool {
    match marks.get_mut(person) {
        Some(known) if *known >= *stamp => false,
        Some(known) => {
            *known = stamp.clone();
            true
        }
        None => {
            marks.insert(person.to_string(), stamp.clone());
            true
        }
    }
}

/// What an import does about withheld persons; preview and apply plan it alike.
#[derive(Debug, Default)]
pub struct Plan {
    /// Persons whose incoming rows are ignored (an erasure excepted).
    pub ignored: HashSet<String>,
    /// Notices to record (new, or with a higher stamp than the one recorded).
    pub record: Marks,
    /// Marks a newer consent in the file lifts: the person merges whole again.
    pub cleared: Vec<String>,
}

impl Plan {
    /// Whether an incoming row is merged: persons and their consent records only when not withheld;
    /// an erasure always.
    pub fn kept(&self, spec: &TableSpec, mut rows: Vec<RemoteRow>) -> Vec<RemoteRow> {
        rows.retain(|row| self.keeps(spec, row));
        rows
    }

    fn keeps(&self, spec: &TableSpec, row: &RemoteRow) -> bool {
        if self.ignored.is_empty() {
            return true;
        }
        if spec.name == PERSON_TABLE.name {
            let purged = row.life.as_ref().is_some_and(|(l, _)| *l == crate::store::Life::Purged);
            return purged || !self.ignored.contains(&row.id);
        }
        if spec.name == CONSENT_TABLE.name {
            return !person_of(row).is_some_and(|p| self.ignored.contains(p));
        }
        true
    }
}

fn person_of(row: &RemoteRow) -> Option<&str> {
    row.fields.iter().find_map(|(c, v, _)| match (*c, v) {
        ("person_id", Value::Text(p)) => Some(p.as_str()),
        _ => None,
    })
}

/// Plans an import: the file's notices, the marks recorded here, and the file's consent records
/// of those persons. Notices count from the other network, and in profile-"all" files of this
/// installation's own network (which carry only the notices their sender received). Filtered files
/// of the own network are the same controller's, which holds the consent records and decides
/// itself; and notices whose deciding stamp comes from this installation or a peer of its network
/// are left out: a notice never makes the network that holds a person forget them.
pub async fn plan(conn: &mut SqliteConnection, verified: &Verified, own_site: &str) -> Result<Plan> {
    let mut marks = marks(conn).await?;
    let mut record = Marks::new();
    let sites = &verified.header.sites;
    let own_network: Option<String> = sqlx::query_scalar("SELECT network FROM site WHERE id = 1")
        .fetch_one(&mut *conn)
        .await?;
    let peers: HashMap<String, Option<String>> = sqlx::query_as("SELECT site, network FROM sync_peers")
        .fetch_all(&mut *conn)
        .await?
        .into_iter()
        .collect();
    let ours =
        |site: &str| site == own_site || own_network.is_some() && peers.get(site).is_some_and(|n| *n == own_network);
    let counted = verified.header.origin_network != own_network || verified.header.profile == Profile::All.as_str();
    // A late notice is older than the consent records this installation holds (a re-consent).
    let records = if !counted || verified.withheld.is_empty() {
        Vec::new()
    } else {
        held_records(conn).await?
    };
    let held = decide(&records);
    let holder = asked_here(&records, ours);
    for Notice(person, hlc, site) in verified.withheld.iter().filter(|_| counted) {
        let stamp = Stamp {
            hlc: *hlc,
            site: sites[*site as usize].as_str().into(),
        };
        let older = held.get(person).is_some_and(|d| d.stamp >= stamp);
        if !ours(&stamp.site) && !older && !holder.contains(person) && raise(&mut marks, person, &stamp) {
            record.insert(person.clone(), stamp);
        }
    }
    if marks.is_empty() {
        return Ok(Plan::default());
    }
    let mut cleared = Vec::new();
    for (person, decision) in file_decisions(verified, &marks)? {
        if decision.shareable && decision.stamp > marks[&person] {
            marks.remove(&person);
            record.remove(&person);
            cleared.push(person);
        }
    }
    Ok(Plan {
        ignored: marks.into_keys().collect(),
        record,
        cleared,
    })
}

/// The share decision the file's own consent records give for the marked persons whose row the
/// file carries. Only with the row: an incremental file may leave out a row the receiver had
/// before it forgot it (its vector still covers the row), and then nothing would bring the
/// personal data back; the mark stays until a file carries the person whole.
fn file_decisions(verified: &Verified, marks: &Marks) -> Result<HashMap<String, ShareDecision>> {
    let sites = &verified.header.sites;
    let mut records = Vec::new();
    let mut carried = HashSet::new();
    for row in verified.rows() {
        let row = row?;
        if row.t == PERSON_TABLE.name && marks.contains_key(&row.id) {
            carried.insert(row.id.clone());
        }
        if row.t != CONSENT_TABLE.name {
            continue;
        }
        let text = |name: &str| {
            row.f
                .iter()
                .find(|f| f.0 == name)
                .and_then(|f| f.1.as_str())
                .unwrap_or_default()
                .to_string()
        };
        let person = text("person_id");
        if !marks.contains_key(&person) {
            continue;
        }
        let stamps = row
            .f
            .iter()
            .map(|f| {
                let site = sites.get(f.3 as usize).map_or("", String::as_str);
                (
                    f.0.to_string(),
                    Stamp {
                        hlc: f.2,
                        site: site.into(),
                    },
                )
            })
            .collect();
        records.push(HeldRecord {
            person,
            purpose: text("purpose"),
            status: text("status"),
            date: text("date"),
            alive: text(LIFE_COLUMN) == "alive",
            stamps,
        });
    }
    records.retain(|r| carried.contains(&r.person));
    Ok(decide(&records))
}

/// Applies the plan inside the import's transaction: records the notices, lifts the cleared
/// marks and forgets the personal data of every known person with a new or raised notice.
/// Returns how many persons were forgotten here.
pub async fn apply(w: &mut Writer<'_>, plan: &Plan) -> Result<u64> {
    for person in &plan.cleared {
        sqlx::query("DELETE FROM withheld_persons WHERE person_id = ?")
            .bind(person)
            .execute(w.conn())
            .await?;
    }
    let mut forgotten = 0;
    for (person, stamp) in &plan.record {
        w.site_number_of(&stamp.site).await?;
        sqlx::query(
            "INSERT INTO withheld_persons (person_id, hlc, site) VALUES (?, ?, ?)
             ON CONFLICT (person_id) DO UPDATE SET hlc = excluded.hlc, site = excluded.site",
        )
        .bind(person)
        .bind(stamp.hlc)
        .bind(&stamp.site)
        .execute(w.conn())
        .await?;
        let child = (&CONSENT_TABLE, "person_id");
        forgotten += u64::from(w.forget_personal(&PERSON_TABLE, person, child).await?);
    }
    Ok(forgotten)
}

/// How many persons known here (not erased) the plan forgets: the preview's count.
pub async fn forgets(conn: &mut SqliteConnection, plan: &Plan) -> Result<u64> {
    let ids = serde_json::to_string(&plan.record.keys().collect::<Vec<_>>())
        .map_err(|e| crate::error::Error::Database(e.to_string()))?;
    Ok(sqlx::query_scalar::<_, i64>(
        "SELECT count(*) FROM persons WHERE life <> 'purged' AND id IN (SELECT value FROM json_each(?))",
    )
    .bind(ids)
    .fetch_one(&mut *conn)
    .await? as u64)
}

/// Whether this installation withholds the person.
pub async fn is_withheld(conn: &mut SqliteConnection, person: &str) -> Result<bool> {
    Ok(
        sqlx::query_scalar::<_, i64>("SELECT 1 FROM withheld_persons WHERE person_id = ?")
            .bind(person)
            .fetch_optional(&mut *conn)
            .await?
            .is_some(),
    )
}
