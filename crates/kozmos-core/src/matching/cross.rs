//! The cross table: every association against every foundation, the best eligible foundations of
//! each (for the "best pairs" report). Only tallies, no reasons; in parallel over associations.

use std::collections::HashMap;

use rayon::prelude::*;
use serde::Serialize;

use super::load::{all_associations, all_foundations, Scored};
use super::rules::{rank_order, AssociationProfile, FoundationProfile, Tally, Today};
use crate::error::{Error, Result};
use crate::store::Store;

/// One of the best eligible foundations for an association (`matching::pair` explains it).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Pick {
    pub foundation_id: String,
    pub foundation_name: String,
    pub score: i32,
    pub confidence: u8,
}

/// The best eligible foundations for one association, best first (ranked as `for_association` ranks).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BestFoundations {
    pub association_id: String,
    pub association_name: String,
    pub best: Vec<Pick>,
}

/// For every living association (by name), its `top_n` best eligible foundations.
pub async fn cross_table(store: &Store, top_n: usize) -> Result<Vec<BestFoundations>> {
    let today = Today::new(store.today());
    let earlier = sqlx::query_as(
        "SELECT association_id, foundation_id, COUNT(*) FROM cooperations WHERE life = 'alive' GROUP BY 1, 2",
    )
    .fetch_all(store.pool());
    let (associations, foundations, earlier): (_, _, Vec<(String, String, i64)>) =
        tokio::try_join!(all_associations(store, &today), all_foundations(store, &today), async {
            Ok(earlier.await?)
        })?;
    let work =
        tokio::task::spawn_blocking(move || table(&associations.list, &foundations.list, &earlier, &today, top_n));
    match work.await {
        Ok(table) => table,
        Err(e) => match e.try_into_panic() {
            Ok(panic) => std::panic::resume_unwind(panic),
            Err(e) => Err(Error::Io(format!("cross table: {e}"))),
        },
    }
}

fn table(
    associations: &[AssociationProfile],
    foundations: &[FoundationProfile],
    earlier: &[(String, String, i64)],
    today: &Today,
    top_n: usize,
) -> Result<Vec<BestFoundations>> {
    // Earlier cooperations per association: (foundation position, count).
    let position: HashMap<&str, usize> = foundations.iter().enumerate().map(|(i, f)| (&*f.id, i)).collect();
    let mut together: HashMap<&str, Vec<(usize, u32)>> = HashMap::new();
    for (a, f, n) in earlier {
        if let Some(i) = position.get(f.as_str()) {
            together.entry(a.as_str()).or_default().push((*i, *n as u32));
        }
    }
    // Associations come in name order, and so does the table.
    let table = associations
        .par_iter()
        .map(|a| {
            let together = together.get(&*a.id).map_or(&[][..], Vec::as_slice);
            best(a, foundations, together, today, top_n)
        })
        .collect();
    Ok(table)
}

/// The `top_n` best eligible foundations of one association.
fn best(
    a: &AssociationProfile,
    foundations: &[FoundationProfile],
    together: &[(usize, u32)],
    today: &Today,
    top_n: usize,
) -> BestFoundations {
    let mut best: Vec<Scored> = Vec::with_capacity(top_n.min(foundations.len()) + 1);
    for (i, f) in foundations.iter().enumerate() {
        let earlier = together.iter().find(|(j, _)| *j == i).map_or(0, |(_, n)| *n);
        let tally = Tally::of(a, f, today, earlier);
        if !tally.eligible() {
            continue;
        }
        let s = Scored {
            tally,
            a,
            f,
            earlier,
            place: i as u32,
        };
        let at = best.partition_point(|b| rank_order(&b.key(), &s.key()).is_lt());
        if at < top_n {
            best.insert(at, s);
            best.truncate(top_n);
        }
    }
    BestFoundations {
        association_id: a.id.to_string(),
        association_name: a.name.to_string(),
        best: best
            .iter()
            .map(|s| Pick {
                foundation_id: s.f.id.to_string(),
                foundation_name: s.f.name.to_string(),
                score: s.tally.score,
                confidence: s.tally.confidence(),
            })
            .collect(),
    }
}
