//! What a user asks of a ranked list: excluded ones too or not, one page, and narrowed to a theme,
//! a region or an amount. Narrowing picks which records of the other side are ranked at all; it never
//! changes a score.

use crate::vocab::Vocab;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::rules::{AssociationProfile, FoundationProfile, Region};
use crate::check::Checker;
use crate::error::Result;
use crate::fields::{f, FieldInfo, FieldKind};
use crate::vocab;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(default)]
pub struct MatchQuery {
    pub include_excluded: bool,
    /// A theme code the other side must name.
    pub theme: Option<String>,
    /// A state ("ST") or district ("15002") code: foundations whose funding area reaches it, or
    /// associations placed in it.
    pub region: Option<String>,
    /// An amount as typed ("5.000"): foundations whose grant range holds it, or associations whose
    /// project ideas need at most that much.
    pub amount: String,
    pub offset: u32,
    pub limit: u32,
}

impl Default for MatchQuery {
    fn default() -> Self {
        MatchQuery {
            include_excluded: false,
            theme: None,
            region: None,
            amount: String::new(),
            offset: 0,
            limit: 20,
        }
    }
}

/// A checked narrowing.
pub(crate) struct Narrowing {
    theme: Option<&'static str>,
    region: Option<Region>,
    amount: Option<i64>,
}

/// The narrowing fields, for the labels in messages.
const FIELDS: &[FieldInfo] = &[
    f("theme", FieldKind::Code, "Thema", "Theme").of(&[Vocab::Themes]),
    f("region", FieldKind::Code, "Region", "Region").of(&[Vocab::States, Vocab::Districts]),
    f("amount", FieldKind::Money, "Betrag", "Amount"),
];

impl MatchQuery {
    /// Checks every narrowing value with the shared field checks; each bad one is reported at its field.
    pub(crate) fn narrowing(&self) -> Result<Narrowing> {
        let mut check = Checker::new(FIELDS);
        let theme = self
            .theme
            .as_deref()
            .map(str::trim)
            .filter(|c| !c.is_empty())
            .and_then(|code| {
                let theme = vocab::theme(code).map(|t| t.term.code);
                if theme.is_none() {
                    check.unknown_code("theme", code);
                }
                theme
            });
        let region = self
            .region
            .as_deref()
            .map(str::trim)
            .filter(|c| !c.is_empty())
            .and_then(|code| {
                let region = match vocab::district(code) {
                    Some(d) => vocab::find(vocab::STATES, d.state).map(|s| Region::new(s.code, Some(d))),
                    None => vocab::find(vocab::STATES, code).map(|s| Region::new(s.code, None)),
                };
                if region.is_none() {
                    check.unknown_code("region", code);
                }
                region
            });
        let amount = check.money("amount", &self.amount);
        check.finish(Narrowing { theme, region, amount })
    }
}

impl Narrowing {
    /// Whether a foundation is ranked for an association under this narrowing.
    pub(crate) fn admits_foundation(&self, f: &FoundationProfile) -> bool {
        self.theme.is_none_or(|t| f.names_theme(t))
            && self.region.as_ref().is_none_or(|r| f.reaches(r))
            && self.amount.is_none_or(|cents| f.grants(cents))
    }

    /// Whether an association is ranked for a foundation under this narrowing.
    pub(crate) fn admits_association(&self, a: &AssociationProfile) -> bool {
        self.theme.is_none_or(|t| a.names_theme(t))
            && self.region.as_ref().is_none_or(|r| a.lies_in(r))
            && self.amount.is_none_or(|cents| a.needs_at_most(cents))
    }
}
