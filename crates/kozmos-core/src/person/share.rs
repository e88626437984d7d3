//! Whether a person may be shared with the other network. One rule for both sides: the sender
//! carries a person only while it holds, and the receiver takes a withheld person back only when
//! the file's own consent records say so with a newer deciding stamp.

use crate::store::Stamp;

/// One consent record as the rule reads it.
pub struct Answer<'a> {
    pub purpose: &'a str,
    pub status: &'a str,
    pub date: &'a str,
    pub alive: bool,
    /// The record's newest stamp (any field, its life included).
    pub stamp: Stamp,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShareDecision {
    pub shareable: bool,
    /// The newest stamp of any "share" or "store" record, whatever its life: each such write may
    /// change the answer, so a later answer always carries a higher stamp once both sides know
    /// the same records.
    pub stamp: Stamp,
}

/// Shareable when the newest living "share" record (by date, then stamp) says "given" and the
/// newest living "store" record, if any, says "given" too. None when the person has no "share"
/// record at all (whatever its life): such a person was never shared.
pub fn share_decision<'a>(records: impl IntoIterator<Item = Answer<'a>>) -> Option<ShareDecision> {
    let mut newest: [Option<Answer>; 2] = [None, None];
    let mut stamp: Option<Stamp> = None;
    let mut ever_shared = false;
    for answer in records {
        let slot = match answer.purpose {
            "share" => 0,
            "store" => 1,
            _ => continue,
        };
        ever_shared |= slot == 0;
        if stamp.as_ref().is_none_or(|s| answer.stamp > *s) {
            stamp = Some(answer.stamp.clone());
        }
        let newer = |n: &Answer| (answer.date, &answer.stamp) > (n.date, &n.stamp);
        if answer.alive && newest[slot].as_ref().is_none_or(newer) {
            newest[slot] = Some(answer);
        }
    }
    let [share, store] = newest;
    if !ever_shared {
        return None;
    }
    Some(ShareDecision {
        shareable: share.is_some_and(|s| s.status == "given") && store.is_none_or(|s| s.status == "given"),
        stamp: stamp?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn a<'a>(purpose: &'a str, status: &'a str, date: &'a str, hlc: i64) -> Answer<'a> {
        Answer {
            purpose,
            status,
            date,
            alive: true,
            stamp: Stamp { hlc, site: "s".into() },
        }
    }

    #[test]
    fn newest_share_and_store_decide() {
        let decide = |r: Vec<Answer>| share_decision(r).map(|d| (d.shareable, d.stamp.hlc));
        assert_eq!(decide(vec![]), None);
        assert_eq!(decide(vec![a("print", "given", "2026-01-01", 1)]), None);
        assert_eq!(decide(vec![a("share", "given", "2026-01-01", 1)]), Some((true, 1)));
        // The newer date decides even when it was entered earlier; the stamp is the newest write.
        let backdated = vec![
            a("share", "withdrawn", "2026-02-01", 1),
            a("share", "given", "2026-01-01", 2),
        ];
        assert_eq!(decide(backdated), Some((false, 2)));
        let stored = vec![
            a("share", "given", "2026-01-01", 1),
            a("store", "withdrawn", "2026-01-02", 3),
        ];
        assert_eq!(decide(stored), Some((false, 3)));
        let only_store = vec![a("store", "given", "2026-01-01", 4)];
        assert_eq!(decide(only_store), None);
        let mut deleted = a("share", "given", "2026-03-01", 5);
        deleted.alive = false;
        assert_eq!(
            decide(vec![a("share", "withdrawn", "2026-01-01", 1), deleted]),
            Some((false, 5))
        );
    }
}
