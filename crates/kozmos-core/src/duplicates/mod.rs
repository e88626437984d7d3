//! Likely duplicates: records that are the same association, foundation or person entered twice.
//!
//! `identity_keys` is the strict rule (the import uses it to skip rows that are already there);
//! the duplicate scan (`scan.rs`) adds close names in the same town (`similarity.rs`) on top of
//! it; `merge.rs` merges two records field by field; `dismiss.rs` keeps the pairs the user
//! marked "not a duplicate"; `concurrent.rs` carries edits that arrive by sync for a record merged
//! away to its survivor.

mod concurrent;
mod dismiss;
mod merge;
mod scan;
pub mod similarity;

pub use concurrent::{carry_to_survivors, preview_carried, unaware_edits, Carried, UnawareEdit};
pub use dismiss::{dismiss, undismiss};
pub use merge::{
    kind_of, merge, merge_preview, repoint_merged_children, resolve, MergeField, MergePlan, MergeRequest, MergeResult,
    MovedRecords,
};
pub use scan::{scan, DuplicateList, DuplicatePair, DuplicateQuery, DuplicateReason, DuplicateRecord};

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::store::TableSpec;

/// The kinds of record the scan compares and the merge joins.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, TS)]
#[serde(rename_all = "lowercase")]
#[ts(rename = "DuplicateKind")]
pub enum Kind {
    Association,
    Foundation,
    Person,
}

impl Kind {
    pub const ALL: [Kind; 3] = [Kind::Association, Kind::Foundation, Kind::Person];

    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Association => "association",
            Kind::Foundation => "foundation",
            Kind::Person => "person",
        }
    }

    pub fn parse(s: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.as_str() == s)
    }

    pub fn table(self) -> &'static TableSpec {
        match self {
            Kind::Association => &crate::association::TABLE,
            Kind::Foundation => &crate::foundation::TABLE,
            Kind::Person => &crate::person::TABLE,
        }
    }

    /// German and English name of the kind, for reasons and messages.
    pub fn label(self) -> (&'static str, &'static str) {
        match self {
            Kind::Association => ("Verein", "association"),
            Kind::Foundation => ("Stiftung", "foundation"),
            Kind::Person => ("Person", "person"),
        }
    }
}

/// The keys under which two records count as the same: the folded name (see `text::fold`) with
/// the postcode, and the folded name with the e-mail address (case folded). A record without a
/// name has no keys; one without postcode and e-mail has none either (a name alone is too weak).
pub fn identity_keys(name: &str, postcode: Option<&str>, email: Option<&str>) -> Vec<String> {
    let name = crate::text::fold(name);
    if name.is_empty() {
        return Vec::new();
    }
    let mut keys = Vec::with_capacity(2);
    if let Some(postcode) = postcode.map(str::trim).filter(|p| !p.is_empty()) {
        let digits: String = postcode.chars().filter(|c| !c.is_whitespace()).collect();
        keys.push(format!("{name}\u{1f}p:{digits}"));
    }
    if let Some(email) = email.map(str::trim).filter(|e| !e.is_empty()) {
        keys.push(format!("{name}\u{1f}e:{}", email.to_lowercase()));
    }
    keys
}

#[cfg(test)]
mod tests {
    use super::identity_keys;

    #[test]
    fn spelling_variants_of_one_name_and_postcode_meet() {
        let a = identity_keys("Deutsch-Syrischer Verein Müller e.V.", Some("06108"), None);
        let b = identity_keys("DEUTSCH-SYRISCHER VEREIN MUELLER E.V.", Some(" 06108 "), None);
        assert_eq!(a, b);
        assert_ne!(
            a,
            identity_keys("Deutsch-Syrischer Verein Müller e.V.", Some("06110"), None)
        );
    }

    #[test]
    fn e_mail_case_is_folded_and_a_name_alone_gives_no_key() {
        let a = identity_keys("Nguyễn Văn An", None, Some("An@Example.org"));
        assert_eq!(a, identity_keys("Nguyen Van An", None, Some("an@example.org")));
        assert!(identity_keys("Nguyễn Văn An", None, None).is_empty());
        assert!(identity_keys("  ", Some("06108"), Some("a@b.de")).is_empty());
    }
}
