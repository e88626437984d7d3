//! Matching: which foundations fit an association, and which associations a foundation.
//! Hard filters first (each failed one is a reason why the pair is out), then a score from the
//! soft fit with its reasons, and apart from both what is unknown (the confidence).
//! The rules live once in `rules.rs` and report to a sink: one that only counts (to rank every
//! pair) and one that writes the reasons (`explain.rs`, for the pairs returned).

mod cross;
mod explain;
mod load;
mod narrow;
mod rules;
pub mod weights;

pub use cross::{cross_table, BestFoundations, Pick};
pub use load::{
    for_association, for_association_page, for_foundation, for_foundation_page, pair, start_cooperation,
    AssociationFacts, FoundationFacts,
};
pub use narrow::MatchQuery;

use std::sync::Arc;

use serde::Serialize;
use ts_rs::TS;

use explain::{Explainer, Phrases};
use rules::{rank_order, RankKey, Today};

/// One reason, in German and English, with what it adds to the score.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct Reason {
    pub code: &'static str,
    pub de: Arc<str>,
    pub en: Arc<str>,
    pub points: i32,
}

/// How well one association and one foundation fit.
#[derive(Debug, Clone, Serialize, TS)]
pub struct Match {
    pub association_id: Arc<str>,
    pub association_name: Arc<str>,
    pub foundation_id: Arc<str>,
    pub foundation_name: Arc<str>,
    /// False when a hard filter excludes the pair; `excluded_by` says which.
    pub eligible: bool,
    pub excluded_by: Vec<Reason>,
    pub score: i32,
    pub reasons: Vec<Reason>,
    /// Facts needed for a sure answer that are not known.
    pub unknown: Vec<Reason>,
    /// Share of the checked facts that were known, in percent.
    pub confidence: u8,
}

/// Evaluates one pair, with its reasons. `earlier` is the number of cooperations the two already have.
pub fn evaluate(a: &AssociationFacts, f: &FoundationFacts, today: time::Date, earlier: u32) -> Match {
    let today = Today::new(today);
    let (a, f) = (a.profile(&today), f.profile(&today));
    Explainer::explain(&a, &f, &today, earlier, &mut Phrases::default())
}

/// Ranks matches: eligible first, then by score, then by name (stable for equal scores).
pub fn rank(matches: &mut [Match], by_foundation_name: bool) {
    fn key(m: &Match, by_foundation_name: bool) -> RankKey<(&str, &str, &str)> {
        let name = if by_foundation_name {
            &m.foundation_name
        } else {
            &m.association_name
        };
        RankKey {
            eligible: m.eligible,
            score: m.score,
            then: (name, &m.foundation_id, &m.association_id),
        }
    }
    matches.sort_by(|x, y| rank_order(&key(x, by_foundation_name), &key(y, by_foundation_name)));
}
