//! The duplicate scan: pairs of living records that are probably one, ranked, with reasons.
//!
//! Never all pairs: records meet only through a shared identity key (folded name with postcode
//! or e-mail), or, for close names, inside one town (persons: one organisation) among names with
//! the same numbers, where a trigram prefix filter picks the few pairs worth an edit distance.
//! Large groups of records with one key or name are paired with their first record only.

use std::collections::{HashMap, HashSet};

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::similarity::{closeness, comparable_trigrams, core_name, digits, min_shared_trigrams};
use super::{dismiss, identity_keys, Kind};
use crate::error::Result;
use crate::store::Store;
use crate::text::fold;

/// One side of a likely duplicate, with what the user needs to recognise it.
#[derive(Debug, Clone, Serialize, TS)]
pub struct DuplicateRecord {
    pub kind: Kind,
    pub id: String,
    pub name: String,
    pub name_original: Option<String>,
    pub city: Option<String>,
    pub postcode: Option<String>,
    pub email: Option<String>,
    /// For a person: the name of their association or foundation.
    pub organisation: Option<String>,
}

/// Why two records look like one: a stable code and the sentence to show.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct DuplicateReason {
    pub code: String,
    pub de: String,
    pub en: String,
}

/// Two records that are probably the same, with a score from 0 to 100 (higher = surer).
#[derive(Debug, Clone, Serialize, TS)]
pub struct DuplicatePair {
    pub a: DuplicateRecord,
    pub b: DuplicateRecord,
    pub score: u8,
    pub reasons: Vec<DuplicateReason>,
}

/// What to scan: one kind (pairs with a record of that kind on either side) or all; how many.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(default)]
pub struct DuplicateQuery {
    pub kind: Option<Kind>,
    /// At most this many pairs (0: all).
    pub limit: u32,
}

/// The ranked pairs (at most `limit`) and how many were found in all.
#[derive(Debug, Clone, Serialize, TS)]
pub struct DuplicateList {
    pub pairs: Vec<DuplicatePair>,
    pub total: u32,
}

/// A record as the scan sees it.
struct Candidate {
    record: DuplicateRecord,
    /// Core names (see `similarity::core_name`) of the name and the name in its own script.
    cores: Vec<String>,
    /// Where close names are compared: the folded town, or a person's organisation.
    block: Option<String>,
    /// The numbers in the name ("Verein 2": "2"): records whose names carry different numbers are
    /// never close, not even through the same name in their own script.
    numbers: String,
}

/// Score of a pair that shares an identity key, and of close names (scaled by closeness).
const KEY_SCORE: f64 = 100.0;
const CLOSE_BASE: f64 = 60.0;
const CLOSE_RANGE: f64 = 35.0;
/// A record of one kind and one of another kind are less often the same.
const CROSS_KIND_PENALTY: f64 = 5.0;
/// Each further reason makes a pair a little surer.
const EXTRA_REASON_BONUS: f64 = 2.0;
/// More records than this with one key or one name are not paired each with each (n² pairs), but
/// each with the first.
const MAX_FULL_GROUP: usize = 25;

pub async fn scan(store: &Store, query: &DuplicateQuery) -> Result<DuplicateList> {
    let mut candidates = load_organisations(store).await?;
    let organisations = candidates.len();
    candidates.extend(load_persons(store).await?);
    let dismissed = dismiss::load(store).await?;

    let mut found: HashMap<(usize, usize), Found> = HashMap::new();
    key_pairs(&candidates[..organisations], 0, &mut found);
    key_pairs(&candidates[organisations..], organisations, &mut found);
    close_pairs(&candidates, &mut found);

    let mut pairs: Vec<DuplicatePair> = found
        .into_iter()
        .filter_map(|((i, j), found)| {
            let (a, b) = (&candidates[i].record, &candidates[j].record);
            if let Some(kind) = query.kind {
                if a.kind != kind && b.kind != kind {
                    return None;
                }
            }
            if dismissed.contains(&dismiss::pair_key(a.kind, &a.id, b.kind, &b.id)) {
                return None;
            }
            // Persons with two different e-mail addresses are two people, however alike the names.
            if a.kind == Kind::Person && found.close.is_some() && found.keys.is_empty() && emails_differ(a, b) {
                return None;
            }
            Some(found.into_pair(a, b))
        })
        .collect();
    pairs.sort_by(|x, y| {
        y.score
            .cmp(&x.score)
            .then_with(|| fold(&x.a.name).cmp(&fold(&y.a.name)))
            .then_with(|| x.a.id.cmp(&y.a.id))
            .then_with(|| x.b.id.cmp(&y.b.id))
    });
    let total = pairs.len() as u32;
    if query.limit > 0 {
        pairs.truncate(query.limit as usize);
    }
    Ok(DuplicateList { pairs, total })
}

fn emails_differ(a: &DuplicateRecord, b: &DuplicateRecord) -> bool {
    match (&a.email, &b.email) {
        (Some(x), Some(y)) => !x.trim().eq_ignore_ascii_case(y.trim()),
        _ => false,
    }
}

/// What the scan found about one pair.
#[derive(Default)]
struct Found {
    /// Shared identity keys: ("postcode" | "email", the value).
    keys: Vec<(&'static str, String)>,
    /// Closeness of the names in the same town (or organisation), 0–1.
    close: Option<f64>,
}

impl Found {
    fn into_pair(self, a: &DuplicateRecord, b: &DuplicateRecord) -> DuplicatePair {
        let mut reasons = Vec::new();
        let mut best: f64 = 0.0;
        for (what, value) in &self.keys {
            best = best.max(KEY_SCORE);
            reasons.push(match *what {
                "postcode" => reason(
                    "same_name_postcode",
                    format!("Gleicher Name und gleiche PLZ ({value})"),
                    format!("Same name and postcode ({value})"),
                ),
                _ => reason(
                    "same_name_email",
                    format!("Gleicher Name und gleiche E-Mail-Adresse ({value})"),
                    format!("Same name and e-mail address ({value})"),
                ),
            });
        }
        // An identical name in the same town says nothing a shared key has not said already.
        if let Some(close) = self.close.filter(|c| *c < 1.0 || self.keys.is_empty()) {
            best = best.max(CLOSE_BASE + CLOSE_RANGE * close);
            let percent = (close * 100.0).round() as u32;
            reasons.push(if a.kind == Kind::Person && a.organisation.is_some() {
                let org = a.organisation.clone().unwrap_or_default();
                reason(
                    "similar_name_same_organisation",
                    format!("Ähnlicher Name ({percent} %) bei derselben Organisation: {org}"),
                    format!("Similar name ({percent}%) at the same organisation: {org}"),
                )
            } else {
                let town = a.city.clone().unwrap_or_default();
                if percent == 100 {
                    reason(
                        "same_name_same_town",
                        format!("Gleicher Name im selben Ort: {town}"),
                        format!("Same name in the same town: {town}"),
                    )
                } else {
                    reason(
                        "similar_name_same_town",
                        format!("Ähnlicher Name ({percent} %) im selben Ort: {town}"),
                        format!("Similar name ({percent}%) in the same town: {town}"),
                    )
                }
            });
        }
        let mut score = best + EXTRA_REASON_BONUS * (reasons.len() as f64 - 1.0);
        if a.kind != b.kind {
            score -= CROSS_KIND_PENALTY;
            let (ka, kb) = (a.kind.label(), b.kind.label());
            reasons.push(reason(
                "different_kinds",
                format!("Einmal als {} und einmal als {} erfasst", ka.0, kb.0),
                format!("Entered once as {} and once as {}", ka.1, kb.1),
            ));
        }
        DuplicatePair {
            a: a.clone(),
            b: b.clone(),
            score: score.round().clamp(0.0, 100.0) as u8,
            reasons,
        }
    }
}

fn reason(code: &str, de: String, en: String) -> DuplicateReason {
    DuplicateReason {
        code: code.into(),
        de,
        en,
    }
}

/// Pairs of candidates (`offset` + index) that share an identity key.
fn key_pairs(candidates: &[Candidate], offset: usize, found: &mut HashMap<(usize, usize), Found>) {
    let mut groups: HashMap<String, Vec<usize>> = HashMap::new();
    for (i, c) in candidates.iter().enumerate() {
        let r = &c.record;
        // The strict keys, and the same on the core name ("… e.V." and "…" meet).
        let mut keys = identity_keys(&r.name, r.postcode.as_deref(), r.email.as_deref());
        keys.extend(identity_keys(
            &core_name(&r.name),
            r.postcode.as_deref(),
            r.email.as_deref(),
        ));
        keys.sort_unstable();
        keys.dedup();
        for key in keys {
            groups.entry(key).or_default().push(offset + i);
        }
    }
    for (key, members) in groups {
        if members.len() < 2 {
            continue;
        }
        let (what, value) = match key.split_once("\u{1f}") {
            Some((_, rest)) if rest.starts_with("p:") => ("postcode", rest[2..].to_string()),
            Some((_, rest)) => ("email", rest.get(2..).unwrap_or_default().to_string()),
            None => continue,
        };
        pair_up(&members, |i, j| {
            let entry = found.entry((i.min(j), i.max(j))).or_default();
            if !entry.keys.iter().any(|(w, _)| *w == what) {
                entry.keys.push((what, value.clone()));
            }
        });
    }
}

/// Pairs with close names in the same block (town; organisation for persons). A block holds the
/// records whose names carry the same numbers only, as names whose numbers differ are never close,
/// not even through one name in their own script. Records with the same core name are paired
/// directly; only distinct names are compared.
fn close_pairs(candidates: &[Candidate], found: &mut HashMap<(usize, usize), Found>) {
    type Block<'a> = (bool, &'a str, &'a str);
    let mut blocks: HashMap<Block, HashMap<&str, Vec<usize>>> = HashMap::new();
    for (i, c) in candidates.iter().enumerate() {
        let Some(block) = &c.block else { continue };
        for core in &c.cores {
            let holders = blocks
                .entry((c.record.kind == Kind::Person, block.as_str(), c.numbers.as_str()))
                .or_default()
                .entry(core.as_str())
                .or_default();
            if holders.last() != Some(&i) {
                holders.push(i);
            }
        }
    }
    for names in blocks.values() {
        for holders in names.values() {
            pair_up(holders, |i, j| set_close(found, i, j, 1.0));
        }
        let distinct: Vec<(&str, &Vec<usize>)> = names.iter().map(|(core, holders)| (*core, holders)).collect();
        for (x, y) in candidate_pairs(&distinct) {
            let Some(close) = closeness(distinct[x].0, distinct[y].0) else {
                continue;
            };
            let (xs, ys) = (distinct[x].1, distinct[y].1);
            if xs.len() * ys.len() <= MAX_FULL_GROUP {
                for &i in xs {
                    for &j in ys {
                        set_close(found, i, j, close);
                    }
                }
            } else {
                // Large groups of one name each: the groups meet through their first records.
                set_close(found, xs[0], ys[0], close);
            }
        }
    }
}

fn set_close(found: &mut HashMap<(usize, usize), Found>, i: usize, j: usize, close: f64) {
    if i != j {
        let entry = found.entry((i.min(j), i.max(j))).or_default();
        entry.close = Some(entry.close.map_or(close, |c| c.max(close)));
    }
}

/// Calls `pair` for every pair of `members`; for a group larger than `MAX_FULL_GROUP`, only for the
/// first with each other one (merging each into the first joins them all, without n² pairs).
fn pair_up(members: &[usize], mut pair: impl FnMut(usize, usize)) {
    for (n, &i) in members.iter().enumerate() {
        for &j in &members[n + 1..] {
            pair(i, j);
        }
        if members.len() > MAX_FULL_GROUP {
            break;
        }
    }
}

/// The pairs of distinct names (indexes into `names`) that share enough trigrams to be close
/// (`similarity::min_shared_trigrams`), found with a prefix filter: each name is indexed by its
/// rarest trigrams only, as many as it can miss while still sharing that many, plus one; two
/// names sharing that many meet in at least one of them.
fn candidate_pairs(names: &[(&str, &Vec<usize>)]) -> HashSet<(usize, usize)> {
    let entries: Vec<(usize, Vec<[char; 3]>)> = names
        .iter()
        .enumerate()
        .filter_map(|(n, (core, _))| comparable_trigrams(core).map(|grams| (n, grams)))
        .collect();
    let mut pairs = HashSet::new();
    if entries.len() < 2 {
        return pairs;
    }
    let mut frequency: HashMap<[char; 3], u32> = HashMap::new();
    for (_, grams) in &entries {
        for g in grams {
            *frequency.entry(*g).or_default() += 1;
        }
    }
    let mut postings: HashMap<[char; 3], Vec<usize>> = HashMap::new();
    for (n, grams) in &entries {
        let mut ordered = grams.clone();
        ordered.sort_by_key(|g| (frequency[g], *g));
        let prefix = ordered.len() - min_shared_trigrams(ordered.len()) + 1;
        for g in ordered.iter().take(prefix) {
            let list = postings.entry(*g).or_default();
            for &m in list.iter() {
                pairs.insert((m, *n));
            }
            list.push(*n);
        }
    }
    pairs
}

async fn load_organisations(store: &Store) -> Result<Vec<Candidate>> {
    type Row = (
        String,
        String,
        Option<String>,
        Option<String>,
        Option<String>,
        Option<String>,
    );
    let mut out = Vec::new();
    for (kind, sql) in [
        (
            Kind::Association,
            "SELECT id, name, name_original, city, postcode, email FROM associations WHERE life = 'alive'",
        ),
        (
            Kind::Foundation,
            "SELECT id, name, NULL, city, postcode, email FROM foundations WHERE life = 'alive'",
        ),
    ] {
        let rows: Vec<Row> = sqlx::query_as(sql).fetch_all(store.pool()).await?;
        for (id, name, name_original, city, postcode, email) in rows {
            let block = city.as_deref().map(fold).filter(|c| !c.is_empty());
            out.push(candidate(
                DuplicateRecord {
                    kind,
                    id,
                    name,
                    name_original,
                    city,
                    postcode,
                    email,
                    organisation: None,
                },
                block,
            ));
        }
    }
    Ok(out)
}

async fn load_persons(store: &Store) -> Result<Vec<Candidate>> {
    type Row = (
        String,
        Option<String>,
        Option<String>,
        Option<String>,
        Option<String>,
        String,
        Option<String>,
        Option<String>,
    );
    let rows: Vec<Row> = sqlx::query_as(
        "SELECT p.id, p.name, p.name_original, p.name_latin, p.email,
                COALESCE(p.association_id, p.foundation_id), COALESCE(a.name, f.name), COALESCE(a.city, f.city)
         FROM persons p
         LEFT JOIN associations a ON a.id = p.association_id
         LEFT JOIN foundations f ON f.id = p.foundation_id
         WHERE p.life = 'alive' AND p.name IS NOT NULL AND COALESCE(a.life, f.life) = 'alive'",
    )
    .fetch_all(store.pool())
    .await?;
    Ok(rows
        .into_iter()
        .map(
            |(id, name, name_original, name_latin, email, parent, organisation, city)| {
                let mut c = candidate(
                    DuplicateRecord {
                        kind: Kind::Person,
                        id,
                        name: name.unwrap_or_default(),
                        name_original,
                        city,
                        postcode: None,
                        email,
                        organisation,
                    },
                    Some(parent),
                );
                if let Some(latin) = name_latin.map(|n| core_name(&n)).filter(|n| !n.is_empty()) {
                    c.cores.push(latin);
                }
                c
            },
        )
        .collect())
}

fn candidate(record: DuplicateRecord, block: Option<String>) -> Candidate {
    let cores = [Some(&record.name), record.name_original.as_ref()]
        .into_iter()
        .flatten()
        .map(|n| core_name(n))
        .filter(|n| !n.is_empty())
        .collect();
    let numbers = digits(&core_name(&record.name));
    Candidate {
        record,
        cores,
        block,
        numbers,
    }
}
