//! Property tests of sync (design/sync.md, "What must be proven by tests").
//!
//! A run is a random history over 2–4 replicas. Every replica is a real SQLite file in a temporary
//! directory with its own site id and its own manual wall clock. The history mixes
//! - local edits: associations (names in Arabic, Ukrainian, Vietnamese, German …) are inserted, edited
//!   (name, city, themes, founded year), deleted and restored; persons are inserted on an association
//!   with a "share" consent given or withdrawn (or none), get consent records, are edited, deleted,
//!   restored and erased (privacy purge); listed conflicts are restored;
//! - clock moves per replica: forward, backwards (hours), on top of a skew of up to ±6 hours;
//! - exchanges: a file exported from X (full, or incremental for Y once X has imported a file from Y)
//!   with profile all / consented / no-persons, delivered to Y at once, twice, later (and then out of
//!   order, maybe again), or never.
//!
//! Most histories start from a shared base (replica 0's first records sent to all), so that replicas
//! edit the same records concurrently. Each property is its own test and switches on its own checks
//! (`Checks`); the histories are the same kind in all of them. Set `PROPTEST_CASES` to run more cases
//! (e.g. 300 for a soak run), `KOZMOS_PROP_STEPS` for longer histories (e.g. 120), and
//! `KOZMOS_PROP_STATS=1` (with `--nocapture`) to see what the runs exercised.
//!
//! ## The causal model behind "no lost update" (property 5)
//! The test keeps every field write a local operation made (table, row, column, value, stamp read with
//! `Store::stamps` right after the operation) and, per replica, the set of writes it has integrated
//! ("seen"). A local write is seen by its replica from then on, and remembers which writes of the
//! same field its replica had seen when it was made. An import adds to the receiver the writes the
//! sender had seen when it exported, but only for the fields (table, row, column) the file actually
//! carried: a privacy-filtered or incremental file passes on no knowledge of rows it leaves out. An
//! already imported file adds nothing. The model never credits a replica with a write it cannot
//! have met (a file carries a field's newest state, which the sender reached having seen those
//! writes). Where the merge's version vectors know less than the model (a filtered file does not
//! advance the persons' vector), the merge may report more conflicts than the model requires, which
//! the property allows: it only asks for the conflicts that must be there. Consent records are only
//! ever inserted, so they are not followed.
//!
//! After a final gossip round every replica holds the same state. A write then needs a conflict
//! entry (on any replica: `conflicts::list(store, true)`, same table, row, field and losing value; the
//! entry may name another write of the same value, as equal values merge silently) unless
//! - it is the final winner of its field, or its value is the final value (nothing was lost);
//! - it was causally overwritten: some write of the same field was made by a replica that had seen it;
//! - a write of the same field with the same value and a higher stamp is itself excused (the merge
//!   keeps equal values silently, so the later equal write stands for it) — a slight weakening;
//! - its row is an erased person: erasure wins and drops that row's conflicts on purpose (they hold
//!   personal data).
//!
//! Besides, a row that ends deleted while some write of another of its fields is newer than the
//! deletion (necessarily concurrent with it) needs a `_life` conflict ("deleted there, edited here").

use crate::common;

use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::Arc;

use proptest::collection::vec;
use proptest::prelude::*;
use proptest::test_runner::TestCaseError;

use common::{TestDb, NOON};
use kozmos_core::association::{self, AssociationDraft, LogoChange};
use kozmos_core::hlc::{ManualClock, WallClock};
use kozmos_core::person::{self, ConsentDraft, Parent, PersonDraft};
use kozmos_core::store::{Life, Stamp, Store, TableSpec, Value};
use kozmos_core::sync::export::{self, ExportOptions};
use kozmos_core::sync::import::{self, ImportOptions};
use kozmos_core::sync::profile::Profile;
use kozmos_core::sync::{conflicts, dump, file};
use kozmos_core::Kozmos;

const MAX_REPLICAS: usize = 4;
const HOUR: i64 = 3_600_000;

static ASSOCIATIONS: &TableSpec = &association::TABLE;
static PERSONS: &TableSpec = &person::TABLE;

const NAMES: &[&str] = &[
    "Verein Brücke",
    "جمعية الأمل للتعاون",
    "Українська громада Галле",
    "Hội Người Việt Erfurt",
    "Müller & Söhne e. V.",
    "Đoàn Kết Magdeburg",
    "Kinder der Welt",
    "بيت الثقافة",
];
const CITIES: &[&str] = &["Halle (Saale)", "Magdeburg", "Erfurt", "Jena", "Київ", "Hà Nội", "حلب"];
const THEMES: &[&str] = &["bildung", "sprache", "kinder_jugend", "senioren", "kultur"];
const PERSON_NAMES: &[&str] = &["Nguyễn Thị Hoa", "Олена Коваленко", "محمد العلي", "Jürgen Groß"];

// ---------------------------------------------------------------------------------------------
// The generated history

#[derive(Debug, Clone)]
struct Scenario {
    replicas: usize,
    /// Wall-clock offset of each replica from NOON.
    skew: Vec<i64>,
    /// Replica i gets site id number `site_order[i]` (the order of sites breaks stamp ties).
    site_order: Vec<usize>,
    /// Start from a shared base (see `SEED`), so that replicas edit the same records concurrently.
    seeded: bool,
    steps: Vec<Step>,
}

/// The shared base: replica 0 creates three associations and three persons (share consent given,
/// withdrawn, none) and sends a full file to every other replica (`Exchange::to` counts from 0).
fn seed(replicas: usize) -> Vec<Step> {
    let mut steps: Vec<Step> = (0..3).map(|i| Step::Local(0, Op::InsertAssociation(i))).collect();
    for (i, consent) in [Some(true), Some(false), None].into_iter().enumerate() {
        steps.push(Step::Local(0, Op::InsertPerson(i, consent)));
    }
    steps.extend((0..replicas - 1).map(|to| Step::Exchange {
        from: 0,
        to,
        incremental: false,
        profile: Profile::All,
        fate: Fate::Now,
    }));
    steps
}

#[derive(Debug, Clone)]
enum Step {
    Local(usize, Op),
    Clock(usize, i64),
    Exchange {
        from: usize,
        /// The receiver is the `to`-th replica after `from` (never `from` itself).
        to: usize,
        incremental: bool,
        profile: Profile,
        fate: Fate,
    },
    /// Applies a file sent earlier and not lost (again, when it was applied before).
    DeliverStored(usize),
    /// Applies a file sent earlier to another replica than the one it was made for (a user picks the
    /// wrong file; an incremental file then lacks what its base promised).
    DeliverElsewhere(usize, usize),
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Fate {
    Now,
    Twice,
    Later,
    Lost,
}

#[derive(Debug, Clone)]
enum Op {
    InsertAssociation(usize),
    EditAssociation(usize, AssocEdit),
    DeleteAssociation(usize),
    RestoreAssociation(usize),
    /// On an association; with a "share" consent given (true), withdrawn (false) or none.
    InsertPerson(usize, Option<bool>),
    Consent(usize, bool),
    /// The name (false) or the e-mail (true), to a fresh sentinel.
    EditPerson(usize, bool),
    DeletePerson(usize),
    RestorePerson(usize),
    ErasePerson(usize),
    /// Restores a listed conflict (a new write of the losing value, or of the row's life).
    RestoreConflict(usize),
}

#[derive(Debug, Clone)]
enum AssocEdit {
    Name(usize),
    City(usize),
    Themes(u8),
    Founded(i32),
}

fn op() -> impl Strategy<Value = Op> {
    // Which record, counted in creation order among the candidates: mostly the first ones (the shared
    // base), so that replicas edit the same records.
    let pick = prop_oneof![3 => 0..3usize, 1 => 0..64usize];
    prop_oneof![
        // Few new records and many edits, so that replicas often edit the same field concurrently.
        1 => (0..NAMES.len()).prop_map(Op::InsertAssociation),
        10 => (pick.clone(), assoc_edit()).prop_map(|(p, e)| Op::EditAssociation(p, e)),
        2 => pick.clone().prop_map(Op::DeleteAssociation),
        2 => pick.clone().prop_map(Op::RestoreAssociation),
        1 => (pick.clone(), prop::option::of(any::<bool>())).prop_map(|(p, c)| Op::InsertPerson(p, c)),
        2 => (pick.clone(), any::<bool>()).prop_map(|(p, g)| Op::Consent(p, g)),
        5 => (pick.clone(), any::<bool>()).prop_map(|(p, e)| Op::EditPerson(p, e)),
        1 => pick.clone().prop_map(Op::DeletePerson),
        1 => pick.clone().prop_map(Op::RestorePerson),
        1 => pick.clone().prop_map(Op::ErasePerson),
        1 => pick.prop_map(Op::RestoreConflict),
    ]
}

fn assoc_edit() -> impl Strategy<Value = AssocEdit> {
    prop_oneof![
        (0..NAMES.len()).prop_map(AssocEdit::Name),
        (0..CITIES.len()).prop_map(AssocEdit::City),
        (0u8..32).prop_map(AssocEdit::Themes),
        (1990i32..1994).prop_map(AssocEdit::Founded),
    ]
}

fn profile() -> impl Strategy<Value = Profile> {
    prop_oneof![3 => Just(Profile::All), 1 => Just(Profile::Consented), 1 => Just(Profile::NoPersons)]
}

fn fate() -> impl Strategy<Value = Fate> {
    prop_oneof![5 => Just(Fate::Now), 1 => Just(Fate::Twice), 2 => Just(Fate::Later), 1 => Just(Fate::Lost)]
}

fn clock_move() -> impl Strategy<Value = i64> {
    prop_oneof![
        // forward: a moment, minutes, hours
        3 => (0i64..3).prop_map(|s| s * 1_000),
        2 => (1i64..120).prop_map(|m| m * 60_000),
        1 => (1i64..6).prop_map(|h| h * HOUR),
        // backwards: a few seconds, hours
        1 => (1i64..30).prop_map(|s| -s * 1_000),
        1 => (1i64..5).prop_map(|h| -h * HOUR),
    ]
}

fn step() -> impl Strategy<Value = Step> {
    let r = 0..MAX_REPLICAS;
    prop_oneof![
        16 => (r.clone(), op()).prop_map(|(r, op)| Step::Local(r, op)),
        3 => (r.clone(), clock_move()).prop_map(|(r, ms)| Step::Clock(r, ms)),
        5 => (r.clone(), 0..MAX_REPLICAS - 1, any::<bool>(), profile(), fate()).prop_map(
            |(from, to, incremental, profile, fate)| Step::Exchange {
                from,
                to,
                incremental,
                profile,
                fate
            }
        ),
        2 => (0..64usize).prop_map(Step::DeliverStored),
        1 => (0..64usize, r).prop_map(|(k, r)| Step::DeliverElsewhere(k, r)),
    ]
}

fn scenario(steps: std::ops::RangeInclusive<usize>) -> impl Strategy<Value = Scenario> {
    let skew = prop_oneof![
        2 => Just(0i64),
        3 => (-6i64..=6).prop_map(|h| h * HOUR),
        1 => -5_000i64..5_000,
    ];
    (
        2..=MAX_REPLICAS,
        vec(skew, MAX_REPLICAS),
        Just((0..MAX_REPLICAS).collect::<Vec<_>>()).prop_shuffle(),
        prop::bool::weighted(0.8),
        vec(step(), steps),
    )
        .prop_map(|(replicas, skew, site_order, seeded, steps)| Scenario {
            replicas,
            skew,
            site_order,
            seeded,
            steps,
        })
}

// ---------------------------------------------------------------------------------------------
// The world: replicas, the model of writes and knowledge, files in flight

/// Which properties a run checks as it goes.
#[derive(Debug, Clone, Copy, Default)]
struct Checks {
    /// 3: a re-import changes nothing and says so; a re-preview shows no change and no conflict.
    idempotence: bool,
    /// 4: an incremental file gives the same state as a full one of the same moment.
    incremental: bool,
    /// 6: the clock never goes back; a new stamp is above everything seen.
    clock: bool,
    /// 7: preview counts = applied counts.
    preview: bool,
    /// 8: filtered files carry no personal data they must not carry.
    privacy: bool,
}

struct Replica {
    db: TestDb,
    site: String,
    wall: i64,
    /// The clock as last read (it must never go down).
    clock: i64,
    /// The newest stamp of any file this replica imported.
    newest_imported: i64,
    /// Writes (indices into `World::writes`) this replica has integrated.
    seen: HashSet<usize>,
    /// Replicas this one imported a file from (so it may export incrementally for them).
    heard_from: HashSet<usize>,
}

#[derive(Debug, Clone)]
struct Write {
    #[allow(dead_code)] // shown in failure messages
    replica: usize,
    table: &'static str,
    row: String,
    col: String,
    value: Value,
    stamp: Stamp,
    /// Writes of the same field the writing replica had seen when it made this one.
    saw: Vec<usize>,
}

struct Sent {
    from: usize,
    to: usize,
    bytes: Vec<u8>,
    /// The sender's integrated writes when it exported.
    seen: HashSet<usize>,
    /// For an incremental file: a full file of the same moment and profile (property 4).
    full_twin: Option<Vec<u8>>,
    lost: bool,
}

struct World {
    checks: Checks,
    reps: Vec<Replica>,
    writes: Vec<Write>,
    /// Writes by field (table, row, column).
    by_field: HashMap<(String, String, String), Vec<usize>>,
    files: Vec<Sent>,
    /// Sentinel text (unique, ASCII part) → the person whose name or e-mail held it.
    sentinels: Vec<(String, String)>,
    /// Every record created, in order (id → position).
    created: HashMap<String, usize>,
    stats: Stats,
}

/// What a run exercised (printed with `KOZMOS_PROP_STATS=1`, to see that the properties bite).
#[derive(Debug, Default)]
struct Stats {
    imports: usize,
    incremental_compared: usize,
    filtered_files: usize,
    sentinels_left_out: usize,
    lost_updates_required: usize,
    edited_deleted_required: usize,
    conflicts: usize,
    restored: usize,
}

type Res<T = ()> = Result<T, TestCaseError>;

fn site_id(n: usize) -> String {
    format!("00000000-0000-4000-8000-{n:012}")
}

fn full(profile: Profile) -> ExportOptions {
    ExportOptions {
        peer: None,
        profile,
        passphrase: None,
    }
}

fn import_options() -> ImportOptions {
    ImportOptions {
        // Skewed and jumping clocks put files hours ahead; the 24-hour gate asks the user, which is
        // not what these properties are about (the fault tests cover it).
        accept_clock_ahead: true,
        ..Default::default()
    }
}

/// A new database with the given site id and wall clock: a copy of an empty, migrated database
/// (made once per test binary), which is much faster than migrating each one.
async fn replica(wall: i64, site: &str) -> TestDb {
    static EMPTY: tokio::sync::OnceCell<Vec<u8>> = tokio::sync::OnceCell::const_new();
    let empty = EMPTY
        .get_or_init(|| async {
            let db = TestDb::new().await;
            db.k.close().await; // the last connection checkpoints the WAL into the file
            std::fs::read(db.dir.path().join("kozmos.sqlite3")).unwrap()
        })
        .await;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("kozmos.sqlite3");
    std::fs::write(&path, empty).unwrap();
    let clock = Arc::new(ManualClock::new(wall));
    let mut k = Kozmos::open_with_clock(&path, clock.clone()).await.unwrap();
    sqlx::query("UPDATE site SET site_id = ? WHERE id = 1")
        .bind(site)
        .execute(k.store.pool())
        .await
        .unwrap();
    k.store = Store::with_clock(k.store.pool().clone(), site, clock.clone());
    assert_eq!(k.installation().await.unwrap().site_id, site);
    TestDb { dir, clock, k }
}

/// A copy of a replica's database (VACUUM INTO), opened with its own clock at `wall`.
async fn copy_of(db: &TestDb, wall: i64) -> TestDb {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("kozmos.sqlite3");
    sqlx::query("VACUUM INTO ?")
        .bind(path.display().to_string())
        .execute(db.k.store.pool())
        .await
        .unwrap();
    let clock = Arc::new(ManualClock::new(wall));
    let k = Kozmos::open_with_clock(&path, clock.clone()).await.unwrap();
    // VACUUM may renumber rowids, which key the search index (ARCHITECTURE, invariant 6).
    kozmos_core::search::rebuild_index(&k.store).await.unwrap();
    TestDb { dir, clock, k }
}

async fn max_stamp(db: &TestDb) -> i64 {
    db.count("SELECT coalesce(max(json_extract(j.value, '$[0]')), 0) FROM stamps s, json_each(s.stamps) j")
        .await
}

/// The ids a query finds, in the order the records were created (not by id: UUIDv7 ids made in the
/// same millisecond differ randomly, and a replayed case must pick the same records).
async fn ids(db: &TestDb, created: &HashMap<String, usize>, sql: &str) -> Vec<String> {
    let mut ids: Vec<String> = sqlx::query_scalar(sqlx::AssertSqlSafe(sql.to_string()))
        .fetch_all(db.k.store.pool())
        .await
        .unwrap();
    ids.sort_by_key(|id| created[id]);
    ids
}

fn pick(list: &[String], n: usize) -> Option<String> {
    (!list.is_empty()).then(|| list[n % list.len()].clone())
}

/// Imports a file (preview, then apply), asserting preview counts = applied counts.
async fn import_checked(to: &TestDb, bytes: &[u8]) -> Res<import::Counts> {
    let verified = file::verify(bytes, None).unwrap();
    let preview = import::preview(&to.k.store, &verified).await.unwrap();
    let result = import::apply(&to.k.store, &verified, &import_options()).await.unwrap();
    common::assert_search_index_in_step(&to.k.store).await;
    // The same bytes may have come before (the same state exported twice): then nothing is applied.
    prop_assert_eq!(preview.already_imported.is_some(), result.already_imported);
    if !result.already_imported {
        prop_assert_eq!(&preview.counts, &result.counts, "preview counts = applied counts");
    }
    Ok(result.counts)
}

impl World {
    async fn new(s: &Scenario, checks: Checks) -> World {
        let mut reps = Vec::new();
        for i in 0..s.replicas {
            let wall = NOON + s.skew[i];
            let site = site_id(s.site_order[i]);
            let db = replica(wall, &site).await;
            reps.push(Replica {
                db,
                site,
                wall,
                clock: 0,
                newest_imported: 0,
                seen: HashSet::new(),
                heard_from: HashSet::new(),
            });
        }
        World {
            checks,
            reps,
            writes: Vec::new(),
            by_field: HashMap::new(),
            files: Vec::new(),
            sentinels: Vec::new(),
            created: HashMap::new(),
            stats: Stats::default(),
        }
    }

    async fn run(&mut self, steps: &[Step]) -> Res {
        for step in steps {
            self.step(step).await?;
        }
        Ok(())
    }

    async fn step(&mut self, step: &Step) -> Res {
        let n = self.reps.len();
        match step {
            Step::Local(r, op) => self.local(r % n, op).await?,
            Step::Clock(r, ms) => {
                let rep = &mut self.reps[r % n];
                rep.wall += ms;
                rep.db.clock.set(rep.wall);
            }
            Step::Exchange {
                from,
                to,
                incremental,
                profile,
                fate,
            } => {
                let from = from % n;
                let to = (from + 1 + to % (n - 1)) % n;
                let index = self.export(from, to, *incremental, *profile).await?;
                match fate {
                    Fate::Now => self.deliver(index).await?,
                    Fate::Twice => {
                        self.deliver(index).await?;
                        self.deliver(index).await?;
                    }
                    Fate::Later => {}
                    Fate::Lost => self.files[index].lost = true,
                }
            }
            Step::DeliverStored(k) => {
                let stored: Vec<usize> = (0..self.files.len()).filter(|i| !self.files[*i].lost).collect();
                if !stored.is_empty() {
                    let index = stored[k % stored.len()];
                    self.deliver_to(index, self.files[index].to).await?;
                }
            }
            Step::DeliverElsewhere(k, r) => {
                if !self.files.is_empty() {
                    let index = k % self.files.len();
                    let to = r % n;
                    if to != self.files[index].from {
                        self.deliver_to(index, to).await?;
                    }
                }
            }
        }
        self.check_clock_state().await
    }

    fn next_sentinel(&mut self, person: Option<&str>) -> (String, String) {
        let n = self.sentinels.len() / 2 + 1;
        let name = format!("SENTINEL-{n}-Ölçü {}", PERSON_NAMES[n % PERSON_NAMES.len()]);
        let email = format!("sentinel{n}x@example.org");
        if let Some(p) = person {
            self.own_sentinels(n, p);
        }
        (name, email)
    }

    fn own_sentinels(&mut self, n: usize, person: &str) {
        self.sentinels.push((format!("SENTINEL-{n}-"), person.to_string()));
        self.sentinels.push((format!("sentinel{n}x@"), person.to_string()));
    }

    /// One local operation at replica `r`; the writes it made are recorded (and the clock checked).
    async fn local(&mut self, r: usize, op: &Op) -> Res {
        let db = &self.reps[r].db;
        let store = &db.k.store;
        let before = store.clock().await.unwrap();
        let seen_before = max_stamp(db).await.max(self.reps[r].newest_imported);
        let alive_assoc = ids(
            db,
            &self.created,
            "SELECT id FROM associations WHERE life = 'alive' ORDER BY id",
        )
        .await;
        let alive_persons = ids(
            db,
            &self.created,
            "SELECT id FROM persons WHERE life = 'alive' ORDER BY id",
        )
        .await;
        // (spec, row) of the writes this operation made
        let mut touched: Vec<(&'static TableSpec, String)> = Vec::new();
        match op {
            Op::InsertAssociation(name) => {
                let draft = AssociationDraft {
                    name: NAMES[*name].into(),
                    ..Default::default()
                };
                let a = association::create(store, &draft, LogoChange::Keep).await.unwrap();
                self.created.insert(a.id.clone(), self.created.len());
                touched.push((ASSOCIATIONS, a.id));
            }
            Op::EditAssociation(p, edit) => {
                let Some(id) = pick(&alive_assoc, *p) else {
                    return Ok(());
                };
                let a = association::get(store, &id).await.unwrap();
                let mut draft = AssociationDraft::try_from(&a.fields).unwrap();
                match edit {
                    AssocEdit::Name(i) => draft.name = NAMES[*i].into(),
                    AssocEdit::City(i) => draft.city = CITIES[*i].into(),
                    AssocEdit::Themes(mask) => {
                        draft.themes = (0..THEMES.len())
                            .filter(|b| mask & (1 << b) != 0)
                            .map(|b| THEMES[b].to_string())
                            .collect()
                    }
                    AssocEdit::Founded(y) => draft.founded_year = y.to_string(),
                }
                association::update(store, &id, &draft, LogoChange::Keep).await.unwrap();
                touched.push((ASSOCIATIONS, id));
            }
            Op::DeleteAssociation(p) => {
                let Some(id) = pick(&alive_assoc, *p) else {
                    return Ok(());
                };
                association::delete(store, &id).await.unwrap();
                touched.push((ASSOCIATIONS, id));
            }
            Op::RestoreAssociation(p) => {
                let deleted = ids(
                    db,
                    &self.created,
                    "SELECT id FROM associations WHERE life = 'deleted' ORDER BY id",
                )
                .await;
                let Some(id) = pick(&deleted, *p) else { return Ok(()) };
                association::restore(store, &id).await.unwrap();
                touched.push((ASSOCIATIONS, id));
            }
            Op::InsertPerson(p, consent) => {
                let Some(parent) = pick(&alive_assoc, *p) else {
                    return Ok(());
                };
                let (name, email) = self.next_sentinel(None);
                let n = self.sentinels.len() / 2 + 1;
                let draft = PersonDraft {
                    name,
                    email,
                    role: "Vorstand".into(),
                    ..Default::default()
                };
                let store = &self.reps[r].db.k.store;
                let person = person::create(store, &Parent::Association(parent), &draft)
                    .await
                    .unwrap();
                self.own_sentinels(n, &person.id);
                self.created.insert(person.id.clone(), self.created.len());
                self.record(r, PERSONS, &person.id, before, seen_before).await?;
                if let Some(given) = consent {
                    self.consent(r, &person.id, *given).await?;
                }
                return Ok(());
            }
            Op::Consent(p, given) => {
                let Some(id) = pick(&alive_persons, *p) else {
                    return Ok(());
                };
                return self.consent(r, &id, *given).await;
            }
            Op::EditPerson(p, email) => {
                let Some(id) = pick(&alive_persons, *p) else {
                    return Ok(());
                };
                let current = person::get(store, &id).await.unwrap();
                let mut draft = PersonDraft::try_from(&current.fields).unwrap();
                let (name, mail) = self.next_sentinel(Some(&id));
                if *email {
                    draft.email = mail;
                } else {
                    draft.name = name;
                }
                person::update(&self.reps[r].db.k.store, &id, &draft).await.unwrap();
                touched.push((PERSONS, id));
            }
            Op::DeletePerson(p) => {
                let Some(id) = pick(&alive_persons, *p) else {
                    return Ok(());
                };
                person::delete(store, &id).await.unwrap();
                touched.push((PERSONS, id));
            }
            Op::RestorePerson(p) => {
                let deleted = ids(
                    db,
                    &self.created,
                    "SELECT id FROM persons WHERE life = 'deleted' ORDER BY id",
                )
                .await;
                let Some(id) = pick(&deleted, *p) else { return Ok(()) };
                person::restore(store, &id).await.unwrap();
                touched.push((PERSONS, id));
            }
            Op::RestoreConflict(p) => {
                // Open conflicts of living records, or of a record's life ("deleted there, edited here").
                let mut open = Vec::new();
                for c in conflicts::list(store, false).await.unwrap() {
                    let spec = kozmos_core::sync::table(&c.table).unwrap();
                    let life = store.fetch(spec, &c.row_id).await.unwrap().unwrap().life;
                    if life == Life::Alive || (c.field == "_life" && life != Life::Purged) {
                        open.push((c.id, spec, c.row_id));
                    }
                }
                if open.is_empty() {
                    return Ok(());
                }
                let (id, spec, row) = open.swap_remove(p % open.len());
                conflicts::restore(store, id).await.unwrap();
                self.stats.restored += 1;
                touched.push((spec, row));
            }
            Op::ErasePerson(p) => {
                let living = ids(
                    db,
                    &self.created,
                    "SELECT id FROM persons WHERE life <> 'purged' ORDER BY id",
                )
                .await;
                let Some(id) = pick(&living, *p) else { return Ok(()) };
                kozmos_core::privacy::erase::erase_one(store, &id).await.unwrap();
                touched.push((PERSONS, id));
            }
        }
        for (spec, id) in touched {
            self.record(r, spec, &id, before, seen_before).await?;
        }
        Ok(())
    }

    async fn consent(&mut self, r: usize, person_id: &str, given: bool) -> Res {
        let store = &self.reps[r].db.k.store;
        let before = store.clock().await.unwrap();
        let seen_before = max_stamp(&self.reps[r].db).await.max(self.reps[r].newest_imported);
        let draft = ConsentDraft {
            purpose: "share".into(),
            status: if given { "given" } else { "withdrawn" }.into(),
            ..Default::default()
        };
        person::record_consent(store, person_id, &draft).await.unwrap();
        let after = store.clock().await.unwrap();
        if self.checks.clock {
            prop_assert!(
                after > before && after > seen_before,
                "a consent record got a stamp above all seen"
            );
        }
        self.reps[r].clock = after;
        Ok(())
    }

    /// Records the fields of `id` that the last local write stamped (and checks that stamp).
    async fn record(&mut self, r: usize, spec: &'static TableSpec, id: &str, before: i64, seen_before: i64) -> Res {
        let rep = &self.reps[r];
        let store = &rep.db.k.store;
        let after = store.clock().await.unwrap();
        if after == before {
            return Ok(()); // nothing changed, nothing stamped
        }
        if self.checks.clock {
            prop_assert!(
                after > before,
                "the clock went back at a local write: {} -> {}",
                before,
                after
            );
            prop_assert!(
                after > seen_before,
                "a local stamp ({}) is not above every stamp seen before ({})",
                after,
                seen_before
            );
        }
        let stamps = store.stamps(spec, id).await.unwrap();
        let row = store.fetch(spec, id).await.unwrap().unwrap();
        let mut made = 0;
        for (col, stamp) in stamps {
            if stamp.hlc != after || *stamp.site != *rep.site {
                continue;
            }
            let value = if col == "_life" {
                Value::Text(row.life.as_str().into())
            } else {
                row.fields[col.as_str()].clone()
            };
            let key = (spec.name.to_string(), id.to_string(), col.clone());
            let same_field = self.by_field.entry(key).or_default();
            let saw: Vec<usize> = same_field.iter().copied().filter(|w| rep.seen.contains(w)).collect();
            let index = self.writes.len();
            same_field.push(index);
            self.writes.push(Write {
                replica: r,
                table: spec.name,
                row: id.to_string(),
                col,
                value,
                stamp,
                saw,
            });
            made += 1;
        }
        let rep = &mut self.reps[r];
        rep.seen.extend(self.writes.len() - made..self.writes.len());
        rep.clock = after;
        prop_assert!(made > 0, "a write that ticked the clock stamped nothing");
        Ok(())
    }

    /// Exports from `from` for `to`; returns the index of the file in `files`.
    async fn export(&mut self, from: usize, to: usize, incremental: bool, profile: Profile) -> Res<usize> {
        let incremental = incremental && self.reps[from].heard_from.contains(&to);
        let store = &self.reps[from].db.k.store;
        let options = ExportOptions {
            peer: incremental.then(|| self.reps[to].site.clone()),
            profile,
            passphrase: None,
        };
        let (bytes, summary) = export::build(store, &options).await.unwrap();
        prop_assert_eq!(summary.full, !incremental);
        let full_twin = if incremental && self.checks.incremental {
            Some(export::build(store, &full(profile)).await.unwrap().0)
        } else {
            None
        };
        if self.checks.privacy {
            self.check_privacy(from, profile, &bytes).await?;
        }
        self.files.push(Sent {
            from,
            to,
            bytes,
            seen: self.reps[from].seen.clone(),
            full_twin,
            lost: false,
        });
        Ok(self.files.len() - 1)
    }

    /// Property 8: no sentinel of a person the profile must leave out (and never one of a person
    /// erased at the sender) is in the decompressed file.
    async fn check_privacy(&mut self, from: usize, profile: Profile, bytes: &[u8]) -> Res {
        let plain = zstd::decode_all(bytes).unwrap();
        let store = &self.reps[from].db.k.store;
        let mut allowed: HashMap<&str, bool> = HashMap::new();
        for (_, person_id) in &self.sentinels {
            if allowed.contains_key(person_id.as_str()) {
                continue;
            }
            let ok = match person::get(store, person_id).await {
                Err(_) => true, // not here: cannot be in the file anyway
                Ok(p) if p.life == Life::Purged => false,
                Ok(p) => match profile {
                    Profile::All => true,
                    Profile::NoPersons => false,
                    Profile::Consented => person::has_consent(&p.consents, "share"),
                },
            };
            allowed.insert(person_id, ok);
        }
        if profile != Profile::All {
            self.stats.filtered_files += 1;
        }
        for (sentinel, person_id) in &self.sentinels {
            if !allowed[person_id.as_str()] {
                self.stats.sentinels_left_out += 1;
                prop_assert!(
                    !contains(&plain, sentinel.as_bytes()),
                    "a {} file carries {} of person {} it must leave out",
                    profile.as_str(),
                    sentinel,
                    person_id
                );
            }
        }
        Ok(())
    }

    /// Delivers file `index` to its receiver: preview, apply, and the checks switched on.
    async fn deliver(&mut self, index: usize) -> Res {
        self.deliver_to(index, self.files[index].to).await
    }

    /// Delivers file `index` to replica `to` (its receiver, or not).
    async fn deliver_to(&mut self, index: usize, to: usize) -> Res {
        let checks = self.checks;
        let from = self.files[index].from;
        let intended = to == self.files[index].to;
        let bytes = self.files[index].bytes.clone();
        let db = &self.reps[to].db;
        let store = &db.k.store;
        let verified = file::verify(&bytes, None).unwrap();
        let before = if checks.idempotence {
            dump::canonical(store).await.unwrap()
        } else {
            String::new()
        };
        let preview = import::preview(store, &verified).await.unwrap();
        // Property 4: the same moment as a full file, applied to a copy of the receiver.
        let twin_dump = match &self.files[index].full_twin {
            Some(twin) if checks.incremental && intended && preview.already_imported.is_none() => {
                let copy = copy_of(db, self.reps[to].wall).await;
                import_checked(&copy, twin).await?;
                let d = dump::canonical(&copy.k.store).await.unwrap();
                copy.k.close().await;
                Some(d)
            }
            _ => None,
        };
        let result = import::apply(store, &verified, &import_options()).await.unwrap();
        if preview.already_imported.is_some() {
            prop_assert!(result.already_imported, "preview said imported before, apply did not");
            if checks.idempotence {
                prop_assert!(result.counts.is_empty());
                prop_assert_eq!(
                    &before,
                    &dump::canonical(store).await.unwrap(),
                    "a re-import changed data"
                );
            }
            return Ok(());
        }
        prop_assert!(!result.already_imported);
        self.stats.imports += 1;
        if checks.preview {
            prop_assert_eq!(&preview.counts, &result.counts, "preview counts = applied counts");
        }
        let after = if checks.idempotence || twin_dump.is_some() {
            dump::canonical(store).await.unwrap()
        } else {
            String::new()
        };
        if let Some(twin) = twin_dump {
            self.stats.incremental_compared += 1;
            prop_assert!(
                twin == after,
                "incremental ≠ full at the receiver:\n{}",
                diff(&twin, &after)
            );
        }
        if checks.idempotence {
            let again = import::preview(store, &verified).await.unwrap();
            prop_assert!(again.already_imported.is_some());
            prop_assert!(
                again.counts.is_empty() && again.counts.conflicts == 0,
                "re-planning an applied {} file ({}) still finds work: {:?}",
                preview.profile.as_str(),
                if preview.full { "full" } else { "incremental" },
                again.counts
            );
            let twice = import::apply(store, &verified, &import_options()).await.unwrap();
            prop_assert!(twice.already_imported);
            prop_assert_eq!(
                &after,
                &dump::canonical(store).await.unwrap(),
                "a re-import changed data"
            );
            // The same content in other bytes (compressed anew) is not recognised by its hash, so it
            // is planned and applied in full: it must change nothing and find no conflict.
            let recoded = zstd::encode_all(&zstd::decode_all(&bytes[..]).unwrap()[..], 19).unwrap();
            prop_assert_ne!(&recoded, &bytes);
            let verified = file::verify(&recoded, None).unwrap();
            let preview = import::preview(store, &verified).await.unwrap();
            prop_assert!(preview.already_imported.is_none());
            let again = import::apply(store, &verified, &import_options()).await.unwrap();
            prop_assert_eq!(&preview.counts, &again.counts);
            prop_assert!(
                again.counts.is_empty() && again.counts.conflicts == 0,
                "applying the same content again still does something: {:?}",
                again.counts
            );
            prop_assert_eq!(
                &after,
                &dump::canonical(store).await.unwrap(),
                "the same content again changed data"
            );
        }
        // The model: the receiver now knows what the sender knew of every field the file carried.
        let carried: HashSet<(String, String, String)> = verified
            .rows()
            .flat_map(|line| {
                let line = line.unwrap();
                line.f
                    .into_iter()
                    .map(move |f| (line.t.clone(), line.id.clone(), f.0.into_owned()))
            })
            .collect();
        let gained: Vec<usize> = self.files[index]
            .seen
            .iter()
            .copied()
            .filter(|w| {
                let w = &self.writes[*w];
                carried.contains(&(w.table.to_string(), w.row.clone(), w.col.clone()))
            })
            .collect();
        if checks.privacy {
            // An erased person's losing values (its personal data) do not stay in the conflicts list.
            let kept = db
                .count(
                    "SELECT count(*) FROM conflicts c JOIN persons p ON p.id = c.row_id
                     WHERE c.tbl = 'persons' AND p.life = 'purged'",
                )
                .await;
            prop_assert_eq!(kept, 0, "conflicts of an erased person are kept");
        }
        let rep = &mut self.reps[to];
        rep.seen.extend(gained);
        rep.heard_from.insert(from);
        rep.newest_imported = rep.newest_imported.max(verified.header.newest_hlc);
        Ok(())
    }

    /// Property 6 between steps: each clock only goes up and covers every stamp the replica holds or
    /// has seen in a file.
    async fn check_clock_state(&mut self) -> Res {
        if !self.checks.clock {
            return Ok(());
        }
        for rep in &mut self.reps {
            let clock = rep.db.k.store.clock().await.unwrap();
            prop_assert!(clock >= rep.clock, "the clock went back: {} -> {}", rep.clock, clock);
            let held = max_stamp(&rep.db).await;
            prop_assert!(clock >= held, "the clock ({}) is below a stamp held ({})", clock, held);
            prop_assert!(
                clock >= rep.newest_imported,
                "the clock is below an imported file's newest stamp"
            );
            rep.clock = clock;
        }
        Ok(())
    }

    /// Every replica sends a full profile-all file to every other, twice around.
    async fn gossip(&mut self) -> Res {
        let n = self.reps.len();
        for _ in 0..2 {
            for from in 0..n {
                for to in (0..n).filter(|t| *t != from) {
                    let index = self.export(from, to, false, Profile::All).await?;
                    self.deliver(index).await?;
                }
            }
        }
        self.check_clock_state().await
    }

    async fn dumps(&self) -> Vec<String> {
        let mut out = Vec::new();
        for rep in &self.reps {
            out.push(dump::canonical(&rep.db.k.store).await.unwrap());
        }
        out
    }

    async fn close(self) {
        if std::env::var_os("KOZMOS_PROP_STATS").is_some() {
            eprintln!(
                "replicas {}, writes {}, {:?}",
                self.reps.len(),
                self.writes.len(),
                self.stats
            );
        }
        for rep in self.reps {
            rep.db.k.close().await;
        }
    }

    /// Property 5 (after gossip): every concurrent loser is in some replica's conflicts list. See the
    /// module comment for the model.
    async fn check_no_lost_update(&mut self) -> Res {
        let store = &self.reps[0].db.k.store;
        let mut entries = Vec::new();
        for rep in &self.reps {
            entries.extend(conflicts::list(&rep.db.k.store, true).await.unwrap());
        }
        // Final state of every field written: life, stamps and fields per (table, id).
        type Final = (Life, BTreeMap<String, Stamp>, kozmos_core::store::Fields);
        let mut rows: BTreeMap<(&'static str, String), Final> = BTreeMap::new();
        for w in &self.writes {
            let key = (w.table, w.row.clone());
            if rows.contains_key(&key) {
                continue;
            }
            let spec = kozmos_core::sync::table(w.table).unwrap();
            let row = store.fetch(spec, &w.row).await.unwrap().unwrap();
            let stamps = store.stamps(spec, &w.row).await.unwrap();
            rows.insert(key, (row.life, stamps, row.fields));
        }
        let final_of = |w: &Write| -> (Value, Stamp) {
            let (life, stamps, fields) = &rows[&(w.table, w.row.clone())];
            let value = if w.col == "_life" {
                Value::Text(life.as_str().into())
            } else {
                fields[w.col.as_str()].clone()
            };
            (value, stamps[&w.col].clone())
        };
        // excused[w]: the write needs no conflict entry (decided newest first within a field).
        let mut excused: HashMap<usize, bool> = HashMap::new();
        let mut order: Vec<usize> = (0..self.writes.len()).collect();
        order.sort_by(|a, b| self.writes[*b].stamp.cmp(&self.writes[*a].stamp));
        for &i in &order {
            let w = &self.writes[i];
            let (value, stamp) = final_of(w);
            let field = &self.by_field[&(w.table.to_string(), w.row.clone(), w.col.clone())];
            let ok = stamp == w.stamp
                || value == w.value
                || field.iter().any(|o| self.writes[*o].saw.contains(&i))
                || field.iter().any(|o| {
                    let o_w = &self.writes[*o];
                    o_w.value == w.value && o_w.stamp > w.stamp && excused.get(o) == Some(&true)
                });
            excused.insert(i, ok);
        }
        for (i, w) in self.writes.iter().enumerate() {
            let (life, stamps, _) = &rows[&(w.table, w.row.clone())];
            if *life == Life::Purged || excused[&i] {
                continue;
            }
            self.stats.lost_updates_required += 1;
            let spec = kozmos_core::sync::table(w.table).unwrap();
            let lost = if w.col == "_life" {
                match &w.value {
                    Value::Text(s) => s.clone(),
                    _ => unreachable!(),
                }
            } else {
                kozmos_core::store::display(spec, &w.col, &w.value)
            };
            // The lost value must be listed for the field. Not necessarily as this write's: two writes
            // of the same value merge silently (the higher stamp stands for both), and the entry then
            // names the other one.
            let found = entries
                .iter()
                .any(|c| c.table == w.table && c.row_id == w.row && c.field == w.col && c.lost == lost);
            prop_assert!(
                found,
                "lost update without a conflict entry: {:?} (final {:?} at {:?})\nconflicts: {:#?}\nwrites of the field: {:#?}",
                w,
                final_of(w).0,
                stamps[&w.col],
                entries.iter().filter(|c| c.row_id == w.row).collect::<Vec<_>>(),
                self.by_field[&(w.table.to_string(), w.row.clone(), w.col.clone())]
                    .iter()
                    .map(|o| (o, &self.writes[*o]))
                    .collect::<Vec<_>>()
            );
        }
        // Deleted there, edited here: an edit newer than the final deletion needs a `_life` entry.
        for ((table, row), (life, stamps, _)) in &rows {
            if *life != Life::Deleted {
                continue;
            }
            let deleted_at = &stamps["_life"];
            let edited_later = self
                .writes
                .iter()
                .any(|w| w.table == *table && w.row == *row && w.col != "_life" && w.stamp > *deleted_at);
            if edited_later {
                self.stats.edited_deleted_required += 1;
                prop_assert!(
                    entries
                        .iter()
                        .any(|c| c.table == *table && c.row_id == *row && c.field == "_life" && c.lost == "alive"),
                    "{} {} was edited after its deletion (concurrently) and no '_life' conflict says so",
                    table,
                    row
                );
            }
        }
        self.stats.conflicts = entries.len();
        Ok(())
    }
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

/// The lines only one of two dumps has.
fn diff(a: &str, b: &str) -> String {
    let la: HashSet<&str> = a.lines().collect();
    let lb: HashSet<&str> = b.lines().collect();
    let mut out = String::new();
    for l in a.lines().filter(|l| !lb.contains(l)) {
        out.push_str(&format!("- {l}\n"));
    }
    for l in b.lines().filter(|l| !la.contains(l)) {
        out.push_str(&format!("+ {l}\n"));
    }
    out
}

// ---------------------------------------------------------------------------------------------
// Running properties

/// Steps per history: 20 to 40, or to `KOZMOS_PROP_STEPS` (longer histories for a soak run).
fn steps() -> std::ops::RangeInclusive<usize> {
    let max = std::env::var("KOZMOS_PROP_STEPS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(40usize);
    20..=max.max(20)
}

fn cases(default: u32) -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(default)
}

fn config(default_cases: u32) -> ProptestConfig {
    ProptestConfig {
        cases: cases(default_cases),
        // Every case is a few real databases: keep shrinking bounded (a failure still prints the
        // smallest history found).
        max_shrink_iters: 400,
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

/// Runs an async check on its own runtime (one per case).
fn block_on<F: std::future::Future<Output = Res>>(f: F) -> Res {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
        .block_on(f)
}

/// Plays the history with the given checks, then the gossip round, and hands the world to `then`.
async fn play(s: &Scenario, checks: Checks) -> Res<World> {
    let mut world = World::new(s, checks).await;
    if s.seeded {
        world.run(&seed(s.replicas)).await?;
    }
    world.run(&s.steps).await?;
    Ok(world)
}

proptest! {
    // A gossip round or copies of databases per case: fewer cases.
    #![proptest_config(config(12))]

    /// 1. After any history, one gossip round of full profile-all files makes every replica equal.
    #[test]
    fn convergence(s in scenario(steps())) {
        block_on(async {
            let mut world = play(&s, Checks::default()).await?;
            world.gossip().await?;
            let dumps = world.dumps().await;
            for (i, d) in dumps.iter().enumerate().skip(1) {
                prop_assert!(d == &dumps[0], "replica {} differs from replica 0 after gossip:\n{}", i, diff(&dumps[0], d));
            }
            world.close().await;
            Ok(())
        })?;
    }

    /// 2. A←B then B←A ends in the same state as B←A then A←B (on copies of the two databases),
    /// and a single A←B equals a single B←A. Full profile-all files: filtered files leave persons
    /// out by design, so they do not commute.
    #[test]
    fn commutativity(s in scenario(steps())) {
        block_on(async {
            let world = play(&s, Checks::default()).await?;
            let (a, b) = (&world.reps[0], &world.reps[1]);
            let (a1, b1) = (copy_of(&a.db, a.wall).await, copy_of(&b.db, b.wall).await);
            let (a2, b2) = (copy_of(&a.db, a.wall).await, copy_of(&b.db, b.wall).await);
            let exchange = |from: &TestDb, to: &TestDb| {
                let (from, to) = (from.k.store.clone(), to.k.store.clone());
                async move {
                    let (bytes, _) = export::build(&from, &full(Profile::All)).await.unwrap();
                    let verified = file::verify(&bytes, None).unwrap();
                    import::apply(&to, &verified, &import_options()).await.unwrap();
                }
            };
            exchange(&b1, &a1).await;
            let a_after_b = dump::canonical(&a1.k.store).await.unwrap();
            exchange(&a1, &b1).await;
            exchange(&a2, &b2).await;
            let b_after_a = dump::canonical(&b2.k.store).await.unwrap();
            exchange(&b2, &a2).await;
            prop_assert!(a_after_b == b_after_a, "A←B ≠ B←A:\n{}", diff(&a_after_b, &b_after_a));
            let first = dump::canonical(&a1.k.store).await.unwrap();
            for (name, db) in [("B (A←B, B←A)", &b1), ("A (B←A, A←B)", &a2), ("B (B←A, A←B)", &b2)] {
                let d = dump::canonical(&db.k.store).await.unwrap();
                prop_assert!(d == first, "{} differs from A (A←B, B←A):\n{}", name, diff(&first, &d));
            }
            for db in [a1, b1, a2, b2] {
                db.k.close().await;
            }
            world.close().await;
            Ok(())
        })?;
    }

    /// 5. No lost update: after gossip, every write that lost concurrently is in a conflicts list.
    #[test]
    fn no_lost_update(s in scenario(steps())) {
        block_on(async {
            let mut world = play(&s, Checks::default()).await?;
            world.gossip().await?;
            world.check_no_lost_update().await?;
            world.close().await;
            Ok(())
        })?;
    }

    /// 8. Files with profile no-persons carry no person's data; consented files none of persons
    /// without a current "share" consent; no file carries data of a person erased at the sender,
    /// and no conflicts list keeps an erased person's values.
    #[test]
    fn privacy_filtered_files(s in scenario(steps())) {
        block_on(async {
            let checks = Checks { privacy: true, ..Default::default() };
            let mut world = play(&s, checks).await?;
            world.gossip().await?;
            world.close().await;
            Ok(())
        })?;
    }
}

proptest! {
    // One history per case.
    #![proptest_config(config(16))]

    /// 3. Applying a file again changes nothing and says so; re-planning an applied file finds no
    /// change and no conflict.
    #[test]
    fn idempotence(s in scenario(steps())) {
        block_on(async {
            let checks = Checks { idempotence: true, ..Default::default() };
            let world = play(&s, checks).await?;
            world.close().await;
            Ok(())
        })?;
    }

    /// 4. An incremental file for Y gives Y the same state as a full file of the same moment.
    #[test]
    fn incremental_equals_full(s in scenario(steps())) {
        block_on(async {
            let checks = Checks { incremental: true, ..Default::default() };
            let world = play(&s, checks).await?;
            world.close().await;
            Ok(())
        })?;
    }

    /// 6. Each replica's clock never goes back, and every local stamp lies above everything the
    /// replica had seen, whatever the wall clocks do.
    #[test]
    fn clock_never_goes_back(s in scenario(steps())) {
        block_on(async {
            let checks = Checks { clock: true, ..Default::default() };
            let world = play(&s, checks).await?;
            world.close().await;
            Ok(())
        })?;
    }

    /// 7. For every import, the preview's counts are the applied counts.
    #[test]
    fn preview_counts_are_applied_counts(s in scenario(steps())) {
        block_on(async {
            let checks = Checks { preview: true, ..Default::default() };
            let world = play(&s, checks).await?;
            world.close().await;
            Ok(())
        })?;
    }
}

/// Exporting the same state twice gives byte-identical (unencrypted) files: full and incremental,
/// every profile.
#[test]
fn same_state_exports_same_bytes() {
    block_on(async {
        let a = TestDb::new().await;
        let b = TestDb::new().await;
        let x = association::create(
            &a.k.store,
            &AssociationDraft {
                name: "جمعية الأمل".into(),
                city: "Halle (Saale)".into(),
                themes: vec!["bildung".into(), "kultur".into()],
                ..Default::default()
            },
            LogoChange::Keep,
        )
        .await
        .unwrap();
        let p = person::create(
            &a.k.store,
            &Parent::Association(x.id.clone()),
            &PersonDraft {
                name: "Nguyễn Thị Hoa".into(),
                email: "hoa@example.org".into(),
                ..Default::default()
            },
        )
        .await
        .unwrap();
        let consent = ConsentDraft {
            purpose: "share".into(),
            status: "given".into(),
            ..Default::default()
        };
        person::record_consent(&a.k.store, &p.id, &consent).await.unwrap();
        association::create(&b.k.store, &common::draft("Українська громада"), LogoChange::Keep)
            .await
            .unwrap();
        // Vectors and peers that are not empty: A has heard from B.
        let (bytes, _) = export::build(&b.k.store, &full(Profile::All)).await.unwrap();
        import_checked(&a, &bytes).await?;
        let b_site = b.k.store.site_id().to_string();
        for profile in [Profile::All, Profile::Consented, Profile::NoPersons] {
            for peer in [None, Some(b_site.clone())] {
                let options = ExportOptions {
                    peer,
                    profile,
                    passphrase: None,
                };
                let (one, _) = export::build(&a.k.store, &options).await.unwrap();
                let (two, _) = export::build(&a.k.store, &options).await.unwrap();
                prop_assert!(one == two, "{} export differs between two runs", profile.as_str());
            }
        }
        Ok(())
    })
    .unwrap();
}

/// A consented file does not advance the receiver's vector for persons (it may leave persons out),
/// so re-planning it must not report the conflict it caused once more.
#[test]
fn consented_file_replanned_reports_no_conflict_again() {
    block_on(async {
        let a = TestDb::new().await;
        let b = TestDb::new().await;
        let x = association::create(&a.k.store, &common::draft("Verein Brücke"), LogoChange::Keep)
            .await
            .unwrap();
        let draft = PersonDraft {
            name: "Nguyễn Thị Hoa".into(),
            ..Default::default()
        };
        let p = person::create(&a.k.store, &Parent::Association(x.id.clone()), &draft)
            .await
            .unwrap();
        let consent = ConsentDraft {
            purpose: "share".into(),
            status: "given".into(),
            ..Default::default()
        };
        person::record_consent(&a.k.store, &p.id, &consent).await.unwrap();
        let (bytes, _) = export::build(&a.k.store, &full(Profile::All)).await.unwrap();
        import_checked(&b, &bytes).await?;
        a.clock.set(NOON + 1_000);
        b.clock.set(NOON + 2_000);
        let mut d = draft.clone();
        d.name = "Hoa A".into();
        person::update(&a.k.store, &p.id, &d).await.unwrap();
        d.name = "Hoa B".into();
        person::update(&b.k.store, &p.id, &d).await.unwrap();
        let (bytes, _) = export::build(&a.k.store, &full(Profile::Consented)).await.unwrap();
        let counts = import_checked(&b, &bytes).await?;
        prop_assert_eq!(counts.conflicts, 1);
        let verified = file::verify(&bytes, None).unwrap();
        let again = import::preview(&b.k.store, &verified).await.unwrap();
        prop_assert!(again.already_imported.is_some());
        prop_assert_eq!(again.counts.conflicts, 0, "the same conflict reported again");
        Ok(())
    })
    .unwrap();
}

/// `count` associations named `name` at `db`, in one transaction (much faster than one each).
async fn namesakes(db: &TestDb, name: &str, count: usize) {
    let valid = association::validate(&common::draft(name), common::noon_day(), None).unwrap();
    let fields = kozmos_core::store::to_fields(ASSOCIATIONS, &valid).unwrap();
    let mut w = db.k.store.writer().await.unwrap();
    for _ in 0..count {
        w.insert(ASSOCIATIONS, fields.clone()).await.unwrap();
    }
    w.commit().await.unwrap();
}

/// Possible duplicates: the applied counts name them as the preview does, also when a file holds
/// more rows than one chunk (500) and the rows of the first chunk already stand in the database
/// when the second one is checked: rows of the same file are no duplicates of each other.
#[test]
fn applied_counts_name_possible_duplicates_as_the_preview() {
    block_on(async {
        let a = TestDb::new().await;
        let b = TestDb::new().await;
        association::create(&a.k.store, &common::draft("Hội Người Việt"), LogoChange::Keep)
            .await
            .unwrap();
        namesakes(&b, "Verein Brücke", 501).await;
        association::create(&b.k.store, &common::draft("Hội người Việt"), LogoChange::Keep)
            .await
            .unwrap();
        let (bytes, _) = export::build(&b.k.store, &full(Profile::All)).await.unwrap();
        let verified = file::verify(&bytes, None).unwrap();
        let preview = import::preview(&a.k.store, &verified).await.unwrap();
        let result = import::apply(&a.k.store, &verified, &import_options()).await.unwrap();
        prop_assert_eq!(preview.counts.new, 502);
        prop_assert_eq!(
            preview.counts.duplicates,
            1,
            "only „Hội người Việt“ has a namesake here"
        );
        prop_assert_eq!(&preview.counts, &result.counts);
        Ok(())
    })
    .unwrap();
}

/// Into an installation that holds no association yet, none of a full file's associations is a
/// possible duplicate, not even of its namesakes in the same file (501 of them, over two chunks);
/// the next file's new namesake is one, in the preview and in the applied counts.
#[test]
fn a_full_file_into_an_empty_installation_names_duplicates_only_of_what_was_there() {
    block_on(async {
        let a = TestDb::new().await;
        let b = TestDb::new().await;
        namesakes(&b, "Verein Brücke", 501).await;
        for (new, duplicates) in [(501, 0), (1, 1)] {
            let (bytes, _) = export::build(&b.k.store, &full(Profile::All)).await.unwrap();
            let verified = file::verify(&bytes, None).unwrap();
            let preview = import::preview(&a.k.store, &verified).await.unwrap();
            let result = import::apply(&a.k.store, &verified, &import_options()).await.unwrap();
            prop_assert_eq!(preview.counts.new, new);
            prop_assert_eq!(preview.counts.duplicates, duplicates);
            prop_assert_eq!(&preview.counts, &result.counts);
            // The next file brings one more namesake.
            association::create(&b.k.store, &common::draft("Verein Brücke"), LogoChange::Keep)
                .await
                .unwrap();
        }
        let here: i64 = sqlx::query_scalar("SELECT count(*) FROM associations WHERE life = 'alive'")
            .fetch_one(a.k.store.pool())
            .await
            .unwrap();
        prop_assert_eq!(here, 502);
        Ok(())
    })
    .unwrap();
}

/// Known gap (not fixed here, see the report): a withdrawn "share" consent does not travel in
/// consented files (the person is no longer carried, and neither are its consent records), so an
/// installation that received the person while the consent stood keeps believing it and passes the
/// person on in its own consented files.
/// The database file's bytes after a checkpoint (the WAL emptied into it), and what is left in the WAL.
async fn db_bytes(db: &TestDb) -> Vec<u8> {
    sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)")
        .execute(db.k.store.pool())
        .await
        .unwrap();
    let path = db.dir.path().join("kozmos.sqlite3");
    let mut bytes = std::fs::read(&path).unwrap();
    bytes.extend(std::fs::read(path.with_extension("sqlite3-wal")).unwrap_or_default());
    bytes
}

/// A database of a network (the withdrawal notices come only from the other network).
async fn networked(network: &str) -> TestDb {
    let db = TestDb::new().await;
    kozmos_core::site::set_up(db.k.store.pool(), network, "Ehrenamt")
        .await
        .unwrap();
    db
}

fn consent(purpose: &str, status: &str, note: &str) -> ConsentDraft {
    ConsentDraft {
        purpose: purpose.into(),
        status: status.into(),
        note: note.into(),
        ..Default::default()
    }
}

#[test]
fn withdrawn_consent_reaches_those_who_have_the_person() {
    block_on(async {
        // A is LAMSA (which holds the person); B and C are MigraNetz.
        let a = networked("lamsa").await;
        let b = networked("migranetz").await;
        let c = networked("migranetz").await;
        let x = association::create(&a.k.store, &common::draft("Verein Brücke"), LogoChange::Keep)
            .await
            .unwrap();
        let draft = PersonDraft {
            name: "SENTINEL-1-Ölçü".into(),
            email: "sentinel1x@example.org".into(),
            role: "Vorstand".into(),
            notes: "SENTINEL-NOTE-1".into(),
            ..Default::default()
        };
        let p = person::create(&a.k.store, &Parent::Association(x.id.clone()), &draft)
            .await
            .unwrap();
        let share = |status: &str| consent("share", status, "SENTINEL-CONSENT-1");
        person::record_consent(&a.k.store, &p.id, &share("given"))
            .await
            .unwrap();
        let (first, _) = export::build(&a.k.store, &full(Profile::Consented)).await.unwrap();
        import_checked(&b, &first).await?;
        let at_b = person::get(&b.k.store, &p.id).await.unwrap();
        prop_assert_eq!(at_b.fields.name.as_deref(), Some("SENTINEL-1-Ölçü"));
        a.clock.set(NOON + 1_000);
        person::record_consent(&a.k.store, &p.id, &share("withdrawn"))
            .await
            .unwrap();
        let (withdrawal, _) = export::build(&a.k.store, &full(Profile::Consented)).await.unwrap();
        prop_assert!(!contains(&zstd::decode_all(&withdrawal[..]).unwrap(), b"SENTINEL-1-"));
        let counts = import_checked(&b, &withdrawal).await?;
        prop_assert_eq!(counts.withheld, 1);
        let at_b = person::get(&b.k.store, &p.id).await.unwrap();
        prop_assert!(
            !person::has_consent(&at_b.consents, "share"),
            "B still holds the share consent that A's volunteer recorded as withdrawn"
        );
        // Forgotten locally: no personal value, no consent record; role and organisation stay.
        prop_assert!(at_b.withheld && at_b.consents.is_empty() && at_b.fields.name.is_none());
        prop_assert_eq!(at_b.fields.role.as_deref(), Some("Vorstand"));
        prop_assert_eq!(&at_b.parent, &Parent::Association(x.id.clone()));
        let raw = db_bytes(&b).await;
        for sentinel in ["SENTINEL-", "sentinel1x@"] {
            prop_assert!(
                !contains(&raw, sentinel.as_bytes()),
                "B's database file keeps {}",
                sentinel
            );
        }
        // Edits are refused; the old file again (recompressed, so not known by its hash) brings nothing.
        let refused = person::update(
            &b.k.store,
            &p.id,
            &PersonDraft {
                name: "X".into(),
                ..Default::default()
            },
        )
        .await;
        prop_assert_eq!(refused.unwrap_err().payload().code, "person_withheld");
        let recoded = zstd::encode_all(&zstd::decode_all(&first[..]).unwrap()[..], 19).unwrap();
        import_checked(&b, &recoded).await?;
        prop_assert!(!contains(&db_bytes(&b).await, b"SENTINEL-"));
        // B's own files carry neither the person nor the consents, and forward the notice to C.
        let (bytes, _) = export::build(&b.k.store, &full(Profile::All)).await.unwrap();
        prop_assert!(!contains(&zstd::decode_all(&bytes[..]).unwrap(), b"SENTINEL-"));
        import_checked(&c, &bytes).await?;
        // Back at A (the file from B carries the notice): A's own copy is never erased by it.
        let (to_a, _) = export::build(&b.k.store, &full(Profile::Consented)).await.unwrap();
        import_checked(&a, &to_a).await?;
        let at_a = person::get(&a.k.store, &p.id).await.unwrap();
        prop_assert_eq!(at_a.fields.name.as_deref(), Some("SENTINEL-1-Ölçü"));
        prop_assert!(!at_a.withheld && at_a.consents.len() == 2);
        // C got the first file late: it never learns the person.
        import_checked(&c, &first).await?;
        prop_assert!(person::get(&c.k.store, &p.id).await.is_err());
        prop_assert!(!contains(&db_bytes(&c).await, b"SENTINEL-"));
        // Consent given again: the next file brings the person back whole, to B and C.
        a.clock.set(NOON + 2_000);
        person::record_consent(&a.k.store, &p.id, &share("given"))
            .await
            .unwrap();
        let (bytes, _) = export::build(&a.k.store, &full(Profile::Consented)).await.unwrap();
        import_checked(&b, &bytes).await?;
        import_checked(&c, &bytes).await?;
        for db in [&b, &c] {
            let back = person::get(&db.k.store, &p.id).await.unwrap();
            prop_assert!(!back.withheld && person::has_consent(&back.consents, "share"));
            prop_assert_eq!(back.fields.name.as_deref(), Some("SENTINEL-1-Ölçü"));
            prop_assert_eq!(back.fields.email.as_deref(), Some("sentinel1x@example.org"));
            prop_assert_eq!(back.consents.len(), 3);
        }
        // The withdrawal's file once more (late): the newer consent stands.
        let recoded = zstd::encode_all(&zstd::decode_all(&withdrawal[..]).unwrap()[..], 19).unwrap();
        import_checked(&b, &recoded).await?;
        prop_assert!(!person::get(&b.k.store, &p.id).await.unwrap().withheld);
        Ok(())
    })
    .unwrap();
}

// ---------------------------------------------------------------------------------------------
// Withdrawals across networks

/// A history of withdrawals: installation 0 (LAMSA) holds three persons; 1 and 2 (MigraNetz)
/// receive them. Consents (share, store, print) are recorded at 0; edits at 0 and 1.
#[derive(Debug, Clone)]
enum WStep {
    Consent(usize, &'static str, bool),
    /// An edit of the name (to a fresh sentinel) at installation 0 or 1.
    Edit(usize, usize),
    Erase(usize),
    Clock(i64),
    Send {
        from: usize,
        to: usize,
        profile: Profile,
        incremental: bool,
        fate: Fate,
    },
    /// A file sent before, again or late (recompressed: not known by its hash).
    Deliver(usize),
}

fn wstep() -> impl Strategy<Value = WStep> {
    let purpose = prop_oneof![4 => Just("share"), 1 => Just("store"), 1 => Just("print")];
    prop_oneof![
        4 => (0..3usize, purpose, prop::bool::weighted(0.4)).prop_map(|(p, u, g)| WStep::Consent(p, u, g)),
        3 => (0..2usize, 0..3usize).prop_map(|(r, p)| WStep::Edit(r, p)),
        1 => (0..3usize).prop_map(WStep::Erase),
        1 => (1i64..5_000).prop_map(WStep::Clock),
        6 => (0..3usize, 0..2usize, profile(), any::<bool>(), fate()).prop_map(|(from, to, profile, incremental, fate)| {
            WStep::Send { from, to, profile, incremental, fate }
        }),
        2 => (0..16usize).prop_map(WStep::Deliver),
    ]
}

/// What a file tells about a person: (the sender's export sequence at installation 0, shareable).
type Info = HashMap<String, (usize, bool)>;

struct WFile {
    from: usize,
    to: usize,
    bytes: Vec<u8>,
    info: Info,
}

struct Withdrawals {
    dbs: Vec<TestDb>,
    persons: Vec<String>,
    /// Sentinels per person (every name, e-mail, note written).
    sentinels: HashMap<String, Vec<String>>,
    /// The newest thing each installation learnt about each person (installation 0 knows all).
    newest: Vec<Info>,
    files: Vec<WFile>,
    /// Exports made at installation 0 (their order stands for its deciding stamps).
    seq: usize,
    heard: HashSet<(usize, usize)>,
    stats: (usize, usize),
}

const NETWORKS: [&str; 3] = ["lamsa", "migranetz", "migranetz"];

impl Withdrawals {
    async fn new() -> Withdrawals {
        let mut dbs = Vec::new();
        for (i, network) in NETWORKS.iter().enumerate() {
            let db = replica(NOON + i as i64 * 7, &site_id(i + 1)).await;
            kozmos_core::site::set_up(db.k.store.pool(), network, "Ehrenamt")
                .await
                .unwrap();
            dbs.push(db);
        }
        let x = association::create(&dbs[0].k.store, &common::draft("Verein Brücke"), LogoChange::Keep)
            .await
            .unwrap();
        let mut w = Withdrawals {
            dbs,
            persons: Vec::new(),
            sentinels: HashMap::new(),
            newest: vec![Info::new(); 3],
            files: Vec::new(),
            seq: 0,
            heard: HashSet::new(),
            stats: (0, 0),
        };
        for i in 0..3 {
            let n = 1000 + i;
            let draft = PersonDraft {
                name: format!("SENTINEL-{n}-Ölçü"),
                email: format!("sentinel{n}x@example.org"),
                role: "Vorstand".into(),
                notes: format!("SENTINEL-{n}-note"),
                ..Default::default()
            };
            let store = &w.dbs[0].k.store;
            let p = person::create(store, &Parent::Association(x.id.clone()), &draft)
                .await
                .unwrap();
            let note = format!("SENTINEL-{n}-consent");
            person::record_consent(store, &p.id, &consent("share", "given", &note))
                .await
                .unwrap();
            w.sentinels
                .insert(p.id.clone(), vec![format!("SENTINEL-{n}-"), format!("sentinel{n}x@")]);
            w.persons.push(p.id);
        }
        for to in [1, 2] {
            w.send(0, to, Profile::Consented, false, Fate::Now).await.unwrap();
        }
        w
    }

    fn store(&self, r: usize) -> &Store {
        &self.dbs[r].k.store
    }

    async fn step(&mut self, step: &WStep) -> Res {
        match step {
            WStep::Consent(p, purpose, given) => {
                let id = &self.persons[*p];
                let status = if *given { "given" } else { "withdrawn" };
                // Erased persons take no consent.
                let _ = person::record_consent(self.store(0), id, &consent(purpose, status, "")).await;
            }
            WStep::Edit(r, p) => {
                let id = self.persons[*p].clone();
                let Ok(current) = person::get(self.store(*r), &id).await else {
                    return Ok(());
                };
                if current.life != Life::Alive {
                    return Ok(());
                }
                let n = self.sentinels.values().map(Vec::len).sum::<usize>() + 2000;
                let mut draft = PersonDraft::try_from(&current.fields).unwrap();
                draft.name = format!("SENTINEL-{n}-Ölçü");
                let result = person::update(self.store(*r), &id, &draft).await;
                if current.withheld {
                    prop_assert_eq!(result.unwrap_err().payload().code, "person_withheld");
                } else {
                    result.unwrap();
                    self.sentinels.get_mut(&id).unwrap().push(format!("SENTINEL-{n}-"));
                }
            }
            WStep::Erase(p) => {
                let id = &self.persons[*p];
                kozmos_core::privacy::erase::erase_one(self.store(0), id).await.unwrap();
            }
            WStep::Clock(ms) => {
                for db in &self.dbs {
                    db.clock.set(db.clock.now_ms() + ms);
                }
            }
            WStep::Send {
                from,
                to,
                profile,
                incremental,
                fate,
            } => {
                let to = (from + 1 + to) % 3;
                // The other network gets filtered files only.
                let profile = if (*from == 0 || to == 0) && *profile == Profile::All {
                    Profile::Consented
                } else {
                    *profile
                };
                self.send(*from, to, profile, *incremental, *fate).await?;
            }
            WStep::Deliver(k) => {
                if !self.files.is_empty() {
                    let k = k % self.files.len();
                    let bytes = &self.files[k].bytes;
                    let recoded = zstd::encode_all(&zstd::decode_all(&bytes[..]).unwrap()[..], 19).unwrap();
                    self.deliver(k, &recoded).await?;
                }
            }
        }
        Ok(())
    }

    async fn send(&mut self, from: usize, to: usize, profile: Profile, incremental: bool, fate: Fate) -> Res {
        let incremental = incremental && self.heard.contains(&(from, to));
        let options = ExportOptions {
            peer: incremental.then(|| site_id(to + 1)),
            profile,
            passphrase: None,
        };
        let (bytes, _) = export::build(self.store(from), &options).await.unwrap();
        let plain = zstd::decode_all(&bytes[..]).unwrap();
        let in_file: HashSet<String> = file::verify(&bytes, None)
            .unwrap()
            .rows()
            .map(Result::unwrap)
            .filter(|r| r.t == "persons")
            .map(|r| r.id)
            .collect();
        let mut info = Info::new();
        for id in &self.persons {
            let Ok(p) = person::get(self.store(from), id).await else {
                continue;
            };
            if p.life == Life::Purged {
                continue;
            }
            // Nothing of a person the file must not carry: not shareable here, or withheld here.
            let shareable = shareable(&p);
            if !shareable || p.withheld || profile == Profile::NoPersons && from != 0 {
                for s in &self.sentinels[id] {
                    prop_assert!(
                        from != 0 && profile == Profile::All && !p.withheld || !contains(&plain, s.as_bytes()),
                        "a {} file from {} carries {}",
                        profile.as_str(),
                        from,
                        s
                    );
                }
            }
            if from == 0 {
                self.seq += 1;
                if profile == Profile::Consented || !shareable {
                    info.insert(id.clone(), (self.seq, shareable));
                }
            } else if let Some(known) = self.newest[from].get(id) {
                // Same network: notices count in profile-"all" files; persons travel when carried.
                let carried = !p.withheld && in_file.contains(id);
                if (p.withheld && profile == Profile::All) || carried {
                    info.insert(id.clone(), *known);
                }
            }
        }
        if from == 0 {
            for (id, known) in &info {
                self.newest[0].insert(id.clone(), *known);
            }
        }
        if to == 0 {
            info.clear(); // installation 0 decides for itself
        }
        self.files.push(WFile {
            from,
            to,
            bytes: bytes.clone(),
            info,
        });
        let k = self.files.len() - 1;
        match fate {
            Fate::Now => self.deliver(k, &bytes).await?,
            Fate::Twice => {
                self.deliver(k, &bytes).await?;
                self.deliver(k, &bytes).await?;
            }
            Fate::Later | Fate::Lost => {}
        }
        Ok(())
    }

    async fn deliver(&mut self, k: usize, bytes: &[u8]) -> Res {
        let (from, to) = (self.files[k].from, self.files[k].to);
        import_checked(&self.dbs[to], bytes).await?;
        self.heard.insert((to, from));
        self.stats.0 += 1;
        for (id, info) in self.files[k].info.clone() {
            let known = self.newest[to].entry(id).or_insert(info);
            if info.0 > known.0 {
                *known = info;
            }
        }
        self.check(to).await
    }

    /// Installation 0 never forgets; at 1 and 2, a person whose newest news is "not shareable"
    /// is withheld (or never came), and nothing of a withheld person is in the database file; one
    /// whose newest news is "shareable" is there whole.
    async fn check(&mut self, r: usize) -> Res {
        let raw = db_bytes(&self.dbs[r]).await;
        for id in &self.persons {
            let Ok(p) = person::get(self.store(r), id).await else {
                prop_assert!(r != 0);
                continue;
            };
            if r == 0 {
                prop_assert!(
                    !p.withheld && (p.life == Life::Purged || p.fields.name.is_some()),
                    "installation 0 lost {}",
                    id
                );
                continue;
            }
            if p.withheld {
                self.stats.1 += 1;
                for s in &self.sentinels[id] {
                    prop_assert!(
                        !contains(&raw, s.as_bytes()),
                        "installation {} keeps {} of a withheld person",
                        r,
                        s
                    );
                }
            }
            if p.life == Life::Purged {
                continue;
            }
            match self.newest[r].get(id) {
                Some((_, false)) => prop_assert!(p.withheld, "installation {} still shares {}", r, id),
                Some((_, true)) => prop_assert!(
                    !p.withheld && p.fields.name.is_some() && shareable(&p),
                    "installation {} did not get {} back whole",
                    r,
                    id
                ),
                None => {}
            }
        }
        Ok(())
    }
}

fn shareable(p: &person::Person) -> bool {
    person::has_consent(&p.consents, "share")
        && !p
            .current_consent
            .iter()
            .any(|c| c.purpose == "store" && c.status != "given")
}

proptest! {
    #![proptest_config(config(16))]

    /// 9. A withdrawn "share" or "store" consent reaches the other network: after any history of
    /// withdrawals, re-consents, erasures and edits, with files late, twice or lost, no personal
    /// value of a person the newest news says is not shared stays on a receiver (its database
    /// file and its files), the holder's copy is never forgotten, and a re-consent brings the
    /// person back whole. At the end, full files from the holder set every receiver right.
    #[test]
    fn withdrawals_reach_the_other_network(steps in vec(wstep(), 10..=30)) {
        block_on(async {
            let mut w = Withdrawals::new().await;
            for step in &steps {
                w.step(step).await?;
            }
            for to in [1, 2] {
                w.send(0, to, Profile::Consented, false, Fate::Now).await?;
            }
            w.send(1, 2, Profile::All, false, Fate::Now).await?;
            w.send(2, 1, Profile::All, false, Fate::Now).await?;
            if std::env::var_os("KOZMOS_PROP_STATS").is_some() {
                eprintln!("imports {}, withheld seen {}", w.stats.0, w.stats.1);
            }
            for db in w.dbs {
                db.k.close().await;
            }
            Ok(())
        })?;
    }
}
