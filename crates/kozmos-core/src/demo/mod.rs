//! Demo data: fictitious but realistic associations, foundations, persons and cooperations in
//! real towns of Saxony-Anhalt and Thuringia, with names in their own scripts. Deterministic for a
//! seed (dates are relative to the day it is generated); marked as demo and removable in one go.

mod data;
mod logo;

use serde::Serialize;
use ts_rs::TS;

use crate::association::{self, AssociationFields};
use crate::cooperation::{self, CooperationFields};
use crate::error::Result;
use crate::foundation::{self, FoundationFields};
use crate::person::{self, PersonFields};
use crate::project::{self, Idea, Project};
use crate::store::{to_fields, Fields, Store, TableSpec, Value, Writer};
use crate::vocab;
use data::*;

/// How many records a demo run made, or removed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, TS)]
pub struct DemoCounts {
    pub associations: u32,
    pub foundations: u32,
    pub persons: u32,
    pub cooperations: u32,
}

/// SplitMix64: a small, fast generator that gives the same sequence for the same seed.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }

    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }

    /// Up to `max` distinct codes of a vocabulary, at least one.
    fn codes(&mut self, terms: &[vocab::Term], max: usize) -> Vec<String> {
        let n = 1 + self.below(max);
        let mut out: Vec<String> = Vec::new();
        while out.len() < n.min(terms.len()) {
            let code = self.pick(terms).code.to_string();
            if !out.contains(&code) {
                out.push(code);
            }
        }
        out
    }
}

/// A town's name as associations carry it: "Halle (Saale)" → "Halle", "Lutherstadt Wittenberg" → "Wittenberg".
fn short_town(town: &str) -> &str {
    let town = town
        .split([' ', '/'])
        .next()
        .filter(|_| !town.starts_with("Lutherstadt") && !town.starts_with("Heilbad"))
        .unwrap_or(town);
    town.strip_prefix("Lutherstadt ")
        .or_else(|| town.strip_prefix("Heilbad "))
        .unwrap_or(town)
}

async fn add(w: &mut Writer<'_>, spec: &'static TableSpec, fields: Fields) -> Result<String> {
    let id = w.insert(spec, fields).await?;
    w.mark_demo(spec, &id).await?;
    Ok(id)
}

/// Fills the database with demo data: at scale 1 about 140 associations, 40 foundations,
/// 300 persons and 60 cooperations; at scale 100 a hundred times as many associations.
pub async fn generate(store: &Store, scale: u32, seed: u64) -> Result<DemoCounts> {
    let scale = scale.clamp(1, 1000) as usize;
    let mut rng = Rng(seed);
    let today = store.today();
    let mut counts = DemoCounts::default();
    let mut w = store.writer().await?;

    let themes: Vec<vocab::Term> = vocab::THEMES
        .iter()
        .map(|t| vocab::Term {
            code: t.term.code,
            de: t.term.de,
            en: t.term.en,
        })
        .collect();
    let mut associations = Vec::new();
    let mut names = std::collections::HashSet::new();
    for i in 0..140 * scale {
        let (mut town, mut district, mut postcode, mut state) = *rng.pick(TOWNS);
        let community = rng.pick(COMMUNITIES);
        let variant = rng.below(community.german.len());
        let mut name = format!("{} {}", community.german[variant], short_town(town));
        for _ in 0..8 {
            if !names.contains(&name) {
                break;
            }
            (town, district, postcode, state) = *rng.pick(TOWNS);
            name = format!("{} {}", community.german[variant], short_town(town));
        }
        if names.contains(&name) {
            // Numbered, with the first number no other association of that name has.
            let mut number = i / 140 + 2;
            while names.contains(&format!("{name} {number}")) {
                number += 1;
            }
            name = format!("{name} {number}");
        }
        names.insert(name.clone());
        let original = community.original[variant];
        let fields = AssociationFields {
            name,
            name_original: (!original.is_empty()).then(|| original.to_string()),
            legal_form: Some(if rng.chance(85) { "ev" } else { "initiative" }.into()),
            register_court: Some(format!("Amtsgericht {}", short_town(town))),
            register_number: Some(format!("VR {}", 1000 + rng.below(9000))),
            founded_year: Some(1990 + rng.below(35) as i32),
            charitable_status: Some(rng.pick(&["recognised", "recognised", "applied", "none"]).to_string()),
            notice_kind: Some("freistellungsbescheid".into()),
            notice_date: Some((today - time::Duration::days(rng.below(2200) as i64)).to_string()),
            network: Some(if state == "ST" { "lamsa" } else { "migranetz" }.into()),
            state: Some(state.into()),
            district: Some(district.into()),
            city: Some(town.into()),
            postcode: Some(postcode.into()),
            email: Some(format!("kontakt{i}@verein-demo.example")),
            // Derived from the index, not the random stream: older seeds keep their other values.
            address: Some(format!("{} {}", STREETS[i % STREETS.len()], 1 + i % 60)),
            website: (i % 3 != 2).then(|| format!("https://verein-{i}.example")),
            phone: (i % 2 == 0).then(|| format!("0{} {}", 340 + i % 600, 100_000 + i * 37 % 900_000)),
            mission_de: Some(
                format!("{} {}", rng.pick(MISSIONS), MISSION_MORE[i % MISSION_MORE.len()])
                    .trim_end()
                    .to_string(),
            ),
            communities: vec![community.origin.to_string()],
            languages: community.languages.iter().map(|l| l.to_string()).collect(),
            themes: rng.codes(&themes, 3),
            target_groups: rng.codes(vocab::TARGET_GROUPS, 2),
            needs: rng.codes(vocab::SUPPORT_KINDS, 2),
            previous_funders: vec![rng.pick(FUNDERS).to_string()],
            members: Some(8 + rng.below(180) as i32),
            volunteers: Some(3 + rng.below(40) as i32),
            staff: Some(rng.below(4) as i32),
            budget_band: Some(rng.pick(&["under_5k", "5k_20k", "20k_50k", "50k_100k"]).to_string()),
            status: if rng.chance(92) { "active" } else { "dormant" }.into(),
            owner_network: Some(if state == "ST" { "lamsa" } else { "migranetz" }.into()),
            ..Default::default()
        };
        let mut row = to_fields(&association::TABLE, &fields)?;
        if i < 140 && i % 4 == 0 {
            row.insert("logo", Value::Blob(logo::png(i)));
            row.insert("logo_mime", Value::Text("image/png".into()));
        }
        let id = add(&mut w, &association::TABLE, row).await?;
        let year = today.year() - rng.below(4) as i32;
        let activity = Project {
            title: rng.pick(IDEAS).to_string(),
            year: Some(year),
            people_reached: Some(20 + rng.below(800) as i32),
            budget: Some((1 + rng.below(30)) as i64 * 50_000),
            funder: Some(rng.pick(FUNDERS).to_string()),
            description: Some(ACTIVITY_TEXTS[i % ACTIVITY_TEXTS.len()].to_string()).filter(|t| !t.is_empty()),
            ..Default::default()
        };
        let mut activities = vec![activity];
        if i % 2 == 0 {
            activities.push(Project {
                title: IDEAS[(i + 3) % IDEAS.len()].to_string(),
                year: Some(year - 1),
                people_reached: Some(30 + (i * 37 % 400) as i32),
                ..Default::default()
            });
        }
        for activity in activities {
            let mut row = to_fields(&project::PROJECT_TABLE, &activity)?;
            row.insert("association_id", Value::Text(id.clone()));
            add(&mut w, &project::PROJECT_TABLE, row).await?;
        }
        if rng.chance(50) {
            let idea = Idea {
                title: rng.pick(IDEAS).to_string(),
                amount_needed: Some((2 + rng.below(40)) as i64 * 50_000),
                time_frame: Some(format!("{}", today.year() + 1)),
                ..Default::default()
            };
            let mut row = to_fields(&project::IDEA_TABLE, &idea)?;
            row.insert("association_id", Value::Text(id.clone()));
            add(&mut w, &project::IDEA_TABLE, row).await?;
        }
        associations.push((id, community));
        counts.associations += 1;
    }

    let mut foundations = Vec::new();
    for i in 0..40 * scale {
        let (town, district, _, state) = *rng.pick(TOWNS);
        let combos = FOUNDATION_WORDS.len() * FOUNDATION_KINDS.len();
        let word = FOUNDATION_WORDS[i % FOUNDATION_WORDS.len()];
        let kind = FOUNDATION_KINDS[(i / FOUNDATION_WORDS.len()) % FOUNDATION_KINDS.len()];
        let suffix = if i >= combos {
            format!(" {}", i / combos + 1)
        } else {
            String::new()
        };
        let area = *rng.pick(&["district", "state", "state", "east", "nationwide"]);
        let (min, max) = *rng.pick(&[(500, 5_000), (2_000, 25_000), (5_000, 50_000), (10_000, 150_000)]);
        let route = *rng.pick(&["open", "deadlines", "deadlines", "invitation"]);
        let fields = FoundationFields {
            name: format!("{kind} {word}{suffix}"),
            legal_form: Some(
                rng.pick(&["rechtsfaehig", "treuhand", "buergerstiftung", "unternehmen"])
                    .to_string(),
            ),
            kind: Some(rng.pick(&["funding", "funding", "both"]).to_string()),
            accepts_applications: Some(if route == "invitation" { "no" } else { "yes" }.into()),
            application_route: Some(route.into()),
            deadlines: if route == "deadlines" {
                vec![
                    (today + time::Duration::days(3 + rng.below(60) as i64)).to_string(),
                    (today + time::Duration::days(120 + rng.below(120) as i64)).to_string(),
                ]
            } else {
                Vec::new()
            },
            city: Some(town.into()),
            state: Some(state.into()),
            website: Some(format!("https://stiftung-{i}.example")),
            themes: rng.codes(&themes, 4),
            funding_area: Some(area.into()),
            area_districts: if area == "district" {
                vec![district.into()]
            } else {
                Vec::new()
            },
            area_states: if area == "state" {
                vec![state.into()]
            } else {
                Vec::new()
            },
            target_groups: rng.codes(vocab::TARGET_GROUPS, 3),
            support_kinds: rng.codes(vocab::SUPPORT_KINDS, 3),
            grant_min: Some(min * 100),
            grant_max: Some(max * 100),
            cofunding_percent: Some(*rng.pick(&[0, 10, 20])),
            requires_charitable: Some("yes".into()),
            ev_only: Some(if rng.chance(30) { "yes" } else { "no" }.into()),
            min_age_years: Some(*rng.pick(&[0, 1, 2])),
            ..Default::default()
        };
        foundations.push(add(&mut w, &foundation::TABLE, to_fields(&foundation::TABLE, &fields)?).await?);
        counts.foundations += 1;
    }

    let volunteer = crate::site::load(store.pool()).await?.volunteer;
    for (index, (association_id, community)) in associations.iter().enumerate() {
        let persons = if index % 7 == 6 { 3 } else { 2 };
        for n in 0..persons {
            let (name, original) = *rng.pick(community.persons);
            let mut fields: Fields = to_fields(
                &person::TABLE,
                &PersonFields {
                    name: Some(name.into()),
                    name_original: (!original.is_empty()).then(|| original.to_string()),
                    role: Some(ROLES[n % ROLES.len()].into()),
                    email: Some(format!("person{index}-{n}@verein-demo.example")),
                    languages: community.languages.iter().take(2).map(|l| l.to_string()).collect(),
                    ..Default::default()
                },
            )?;
            fields.insert("association_id", Value::Text(association_id.clone()));
            let person_id = add(&mut w, &person::TABLE, fields).await?;
            counts.persons += 1;
            for (purpose, percent) in [("store", 70), ("share", 45), ("print", 35)] {
                if rng.chance(percent) {
                    let mut consent = Fields::new();
                    consent.insert("person_id", Value::Text(person_id.clone()));
                    consent.insert("purpose", Value::Text(purpose.into()));
                    consent.insert("status", Value::Text("given".into()));
                    consent.insert(
                        "date",
                        Value::Text((today - time::Duration::days(rng.below(700) as i64)).to_string()),
                    );
                    consent.insert(
                        "channel",
                        Value::Text(rng.pick(&["form", "email", "in_person"]).to_string()),
                    );
                    consent.insert("recorded_by", volunteer.clone().map_or(Value::Null, Value::Text));
                    add(&mut w, &person::CONSENT_TABLE, consent).await?;
                }
            }
        }
    }

    for i in 0..60 * scale {
        let stage = vocab::STAGES[i % vocab::STAGES.len()].code;
        let association_id = &associations[rng.below(associations.len())].0;
        let foundation_id = &foundations[rng.below(foundations.len())];
        let requested = (1 + rng.below(40)) as i64 * 50_000;
        let granted = matches!(stage, "bewilligt" | "laufend" | "bericht_faellig" | "abgeschlossen")
            .then(|| requested - (rng.below(3) as i64) * 50_000)
            .filter(|g| *g > 0);
        let due = today + time::Duration::days(rng.below(30) as i64 - 7);
        let fields = CooperationFields {
            idea: rng.pick(IDEAS).to_string(),
            association_id: association_id.clone(),
            foundation_id: foundation_id.clone(),
            stage: stage.into(),
            amount_requested: Some(requested),
            amount_granted: granted,
            first_contact: Some((today - time::Duration::days(30 + rng.below(300) as i64)).to_string()),
            next_step: (stage != "abgeschlossen").then(|| rng.pick(NEXT_STEPS).to_string()),
            next_step_due: (stage != "abgeschlossen").then(|| due.to_string()),
            next_step_owner: volunteer.clone(),
            ..Default::default()
        };
        let id = add(&mut w, &cooperation::TABLE, to_fields(&cooperation::TABLE, &fields)?).await?;
        counts.cooperations += 1;
        let mut entry = Fields::new();
        entry.insert("cooperation_id", Value::Text(id));
        entry.insert("date", Value::Text(fields.first_contact.clone().unwrap_or_default()));
        entry.insert("kind", Value::Text("stage".into()));
        entry.insert("stage_to", Value::Text(stage.into()));
        entry.insert("who", volunteer.clone().map_or(Value::Null, Value::Text));
        add(&mut w, &cooperation::ACTIVITY_TABLE, entry).await?;
    }
    w.commit().await?;
    // One large write leaves a large write-ahead log; fold it into the database file now.
    sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)")
        .execute(store.pool())
        .await?;
    Ok(counts)
}

/// Removes every demo record and nothing else, in one transaction.
pub async fn remove(store: &Store) -> Result<DemoCounts> {
    let removed = store
        .remove_demo(&kozmos_model::tables::TABLES.iter().rev().copied().collect::<Vec<_>>())
        .await?;
    let count = |table: &str| removed.iter().find(|(t, _)| t == table).map_or(0, |(_, n)| *n as u32);
    Ok(DemoCounts {
        associations: count("associations"),
        foundations: count("foundations"),
        persons: count("persons"),
        cooperations: count("cooperations"),
    })
}

/// How many demo records the database holds.
pub async fn count(store: &Store) -> Result<DemoCounts> {
    let n = |table: &'static str| async move {
        sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM demo_rows WHERE tbl = ?")
            .bind(table)
            .fetch_one(store.pool())
            .await
    };
    Ok(DemoCounts {
        associations: n("associations").await? as u32,
        foundations: n("foundations").await? as u32,
        persons: n("persons").await? as u32,
        cooperations: n("cooperations").await? as u32,
    })
}
