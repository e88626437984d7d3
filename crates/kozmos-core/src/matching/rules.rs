//! The rules of matching, stated once. [`judge`] decides every hard filter, score part and unknown
//! of one pair on compact profiles (vocabulary codes as small numbers and bit sets, read once per
//! load) and reports each finding to a [`Sink`]: [`Tally`] only adds up points and counts (to rank
//! thousands of pairs), `explain::Explainer` writes the German and English reasons (for the pairs
//! shown). Neither sink decides anything.

use std::cmp::Ordering;
use std::collections::HashMap;
use std::sync::{Arc, LazyLock, OnceLock};

use super::weights;
use crate::vocab::{self, Term};

/// A set of vocabulary entries (or § 52 AO numbers) by position.
pub(crate) type Bits = u64;

fn bit(i: u8) -> Bits {
    1 << i
}

const _: () = {
    assert!(vocab::THEMES.len() <= 64 && vocab::TARGET_GROUPS.len() <= 64 && vocab::SUPPORT_KINDS.len() <= 64);
    let mut i = 0;
    while i < vocab::THEMES.len() {
        let numbers = vocab::THEMES[i].para52;
        let mut j = 0;
        while j < numbers.len() {
            assert!(numbers[j] < 64, "§ 52 AO numbers must fit the bit set");
            j += 1;
        }
        i += 1;
    }
};

/// Positions of a vocabulary's codes (the first entry wins, as in `vocab::find`), at most 64.
fn index(codes: impl Iterator<Item = &'static str>) -> HashMap<&'static str, u8> {
    let mut map = HashMap::new();
    for (i, code) in codes.enumerate().take(64) {
        map.entry(code).or_insert(i as u8);
    }
    map
}

static THEMES: LazyLock<HashMap<&'static str, u8>> = LazyLock::new(|| index(vocab::THEMES.iter().map(|t| t.term.code)));
static TARGET_GROUPS: LazyLock<HashMap<&'static str, u8>> =
    LazyLock::new(|| index(vocab::TARGET_GROUPS.iter().map(|t| t.code)));
static SUPPORT_KINDS: LazyLock<HashMap<&'static str, u8>> =
    LazyLock::new(|| index(vocab::SUPPORT_KINDS.iter().map(|t| t.code)));
static STATES: LazyLock<HashMap<&'static str, u8>> = LazyLock::new(|| index(vocab::STATES.iter().map(|t| t.code)));
static DISTRICTS: LazyLock<HashMap<&'static str, u8>> =
    LazyLock::new(|| index(vocab::DISTRICTS.iter().map(|d| d.code)));
/// The § 52 AO numbers of each theme, by theme position.
static PARA52: LazyLock<Vec<Bits>> = LazyLock::new(|| {
    vocab::THEMES
        .iter()
        .map(|t| t.para52.iter().fold(0, |b, n| b | bit(*n)))
        .collect()
});

/// East German states (for foundations whose funding area is "East Germany").
const EAST: &[&str] = &["ST", "TH", "SN", "BB", "MV", "BE"];

/// A stored list of vocabulary codes as matching reads it: the codes the vocabulary knows, in
/// stored order (repeats kept, they count), as a set, and whether the stored list was empty.
#[derive(Debug, Default)]
struct Codes {
    ids: Box<[u8]>,
    bits: Bits,
    empty: bool,
}

impl Codes {
    fn new<S: AsRef<str>>(list: &[S], index: &HashMap<&'static str, u8>) -> Codes {
        let ids: Box<[u8]> = list.iter().filter_map(|c| index.get(c.as_ref()).copied()).collect();
        Codes {
            bits: ids.iter().fold(0, |b, i| b | bit(*i)),
            ids,
            empty: list.is_empty(),
        }
    }
}

/// The codes of an association's list that a foundation's list holds too, in the association's
/// order (repeats kept).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) struct Overlap<'p> {
    list: &'p [u8],
    set: Bits,
}

impl<'p> Overlap<'p> {
    pub fn iter(self) -> impl Iterator<Item = u8> + 'p {
        let set = self.set;
        self.list.iter().copied().filter(move |i| set & bit(*i) != 0)
    }

    fn count(self) -> usize {
        self.iter().count()
    }
}

/// A code of a vocabulary: its position when the vocabulary knows it, else the stored text.
#[derive(Debug)]
enum Code {
    Known(u8),
    Other(Box<str>),
}

impl Code {
    fn new(code: &str, index: &HashMap<&'static str, u8>) -> Code {
        index
            .get(code)
            .map_or_else(|| Code::Other(code.into()), |i| Code::Known(*i))
    }

    fn same_as(&self, other: &Code) -> bool {
        match (self, other) {
            (Code::Known(a), Code::Known(b)) => a == b,
            (Code::Other(a), Code::Other(b)) => a == b,
            _ => false,
        }
    }
}

/// A stored list of codes for "is this one of them": known ones as bits, others as text.
#[derive(Debug, Default)]
struct CodeSet {
    known: Bits,
    other: Vec<Box<str>>,
}

impl CodeSet {
    fn new<S: AsRef<str>>(list: &[S], index: &HashMap<&'static str, u8>) -> CodeSet {
        let mut set = CodeSet::default();
        for code in list {
            match Code::new(code.as_ref(), index) {
                Code::Known(i) => set.known |= bit(i),
                Code::Other(text) => set.other.push(text),
            }
        }
        set
    }

    fn contains(&self, code: &Code) -> bool {
        match code {
            Code::Known(i) => self.known & bit(*i) != 0,
            Code::Other(text) => self.other.contains(text),
        }
    }
}

/// The day matching is done for (deadlines, notices, age).
pub(crate) struct Today {
    iso: String,
    year: i32,
}

impl Today {
    pub fn new(date: time::Date) -> Today {
        Today {
            iso: date.to_string(),
            year: date.year(),
        }
    }

    /// The day as "2026-12-04".
    pub fn iso(&self) -> &str {
        &self.iso
    }
}

/// An association's stored facts, borrowed; lists are read into the profile and not kept.
pub(crate) struct AssociationParts<'t, S> {
    pub id: &'t str,
    pub name: &'t str,
    pub city: Option<&'t str>,
    pub district: Option<&'t str>,
    pub state: Option<&'t str>,
    pub legal_form: Option<&'t str>,
    pub founded_year: Option<i32>,
    pub charitable_status: Option<&'t str>,
    pub notice_valid_until: Option<&'t str>,
    pub themes: &'t [S],
    pub target_groups: &'t [S],
    pub needs: &'t [S],
    pub amount_needed: Option<i64>,
}

/// The association's charitable status, as the rules need it.
#[derive(Debug)]
enum Charitable {
    Unknown,
    Current,
    Expired,
    /// Not recognised: the stored status.
    Other(Box<str>),
}

/// What the rules look at in an association, read once.
#[derive(Debug)]
pub(crate) struct AssociationProfile {
    pub id: Arc<str>,
    pub name: Arc<str>,
    /// The place as stored ("" when unknown).
    city: Box<str>,
    city_folded: OnceLock<String>,
    state: Option<Code>,
    east: bool,
    district: Option<Code>,
    ev: Option<bool>,
    founded_year: Option<i32>,
    charitable: Charitable,
    themes: Codes,
    para52: Bits,
    target_groups: Codes,
    everyone: bool,
    needs: Codes,
    amount_needed: Option<i64>,
}

impl AssociationProfile {
    pub fn new<S: AsRef<str>>(a: AssociationParts<'_, S>, today: &Today) -> AssociationProfile {
        let themes = Codes::new(a.themes, &THEMES);
        let expired = a.notice_valid_until.is_some_and(|until| until < today.iso.as_str());
        AssociationProfile {
            id: a.id.into(),
            name: a.name.into(),
            city: a.city.unwrap_or("").into(),
            city_folded: OnceLock::new(),
            state: a.state.map(|s| Code::new(s, &STATES)),
            east: a.state.is_some_and(|s| EAST.contains(&s)),
            district: a.district.map(|d| Code::new(d, &DISTRICTS)),
            ev: a.legal_form.map(|l| l == "ev"),
            founded_year: a.founded_year,
            charitable: match a.charitable_status {
                Some("recognised") if expired => Charitable::Expired,
                Some("recognised") => Charitable::Current,
                Some(status) => Charitable::Other(status.into()),
                None => Charitable::Unknown,
            },
            para52: themes.ids.iter().fold(0, |b, i| b | PARA52[*i as usize]),
            themes,
            target_groups: Codes::new(a.target_groups, &TARGET_GROUPS),
            everyone: a.target_groups.iter().any(|g| g.as_ref() == "everyone"),
            needs: Codes::new(a.needs, &SUPPORT_KINDS),
            amount_needed: a.amount_needed,
        }
    }

    fn city_folded(&self) -> &str {
        self.city_folded.get_or_init(|| crate::text::fold(&self.city))
    }
}

/// A foundation's stored facts, borrowed; lists are read into the profile and not kept.
pub(crate) struct FoundationParts<'t, S> {
    pub id: &'t str,
    pub name: &'t str,
    pub accepts_applications: Option<&'t str>,
    pub application_route: Option<&'t str>,
    pub deadlines: &'t [S],
    pub funding_area: Option<&'t str>,
    pub area_municipality: Option<&'t str>,
    pub area_districts: &'t [S],
    pub area_states: &'t [S],
    pub themes: &'t [S],
    pub target_groups: &'t [S],
    pub support_kinds: &'t [S],
    pub grant_min: Option<i64>,
    pub grant_max: Option<i64>,
    pub requires_charitable: Option<&'t str>,
    pub ev_only: Option<&'t str>,
    pub min_age_years: Option<i32>,
}

#[derive(Debug)]
enum Area {
    Nationwide,
    East,
    States(CodeSet),
    Districts(CodeSet),
    /// The municipality, folded (spelling does not matter).
    Municipality(Option<String>),
    Unknown,
}

#[derive(Debug)]
enum Route {
    /// With the first listed deadline that is still open.
    Deadlines(Option<Box<str>>),
    Invitation,
    Open,
    Unknown,
}

/// What the rules look at in a foundation, read once.
pub(crate) struct FoundationProfile {
    pub id: Arc<str>,
    pub name: Arc<str>,
    accepts: Option<bool>,
    area: Area,
    area_label: Option<&'static Term>,
    requires_charitable: bool,
    ev_only: bool,
    min_age: Option<i32>,
    route: Route,
    themes: Codes,
    para52: Bits,
    target_groups: Codes,
    everyone: bool,
    support_kinds: Codes,
    grant_min: Option<i64>,
    grant_max: Option<i64>,
}

impl FoundationProfile {
    pub fn new<S: AsRef<str>>(f: FoundationParts<'_, S>, today: &Today) -> FoundationProfile {
        let themes = Codes::new(f.themes, &THEMES);
        FoundationProfile {
            id: f.id.into(),
            name: f.name.into(),
            accepts: f.accepts_applications.map(|x| x != "no"),
            area: match f.funding_area {
                Some("nationwide") => Area::Nationwide,
                Some("east") => Area::East,
                Some("state") => Area::States(CodeSet::new(f.area_states, &STATES)),
                Some("district") => Area::Districts(CodeSet::new(f.area_districts, &DISTRICTS)),
                Some("municipality") => Area::Municipality(f.area_municipality.map(crate::text::fold)),
                _ => Area::Unknown,
            },
            area_label: vocab::find(vocab::FUNDING_AREAS, f.funding_area.unwrap_or("")),
            requires_charitable: f.requires_charitable == Some("yes"),
            ev_only: f.ev_only == Some("yes"),
            min_age: f.min_age_years.filter(|n| *n > 0),
            route: match f.application_route {
                Some("deadlines") => Route::Deadlines(
                    f.deadlines
                        .iter()
                        .map(|d| d.as_ref())
                        .find(|d| *d >= today.iso.as_str())
                        .map(Box::from),
                ),
                Some("invitation") => Route::Invitation,
                Some(_) => Route::Open,
                None => Route::Unknown,
            },
            para52: themes.ids.iter().fold(0, |b, i| b | PARA52[*i as usize]),
            themes,
            target_groups: Codes::new(f.target_groups, &TARGET_GROUPS),
            everyone: f.target_groups.iter().any(|g| g.as_ref() == "everyone"),
            support_kinds: Codes::new(f.support_kinds, &SUPPORT_KINDS),
            grant_min: f.grant_min,
            grant_max: f.grant_max,
        }
    }
}

/// A place a user narrows to: a state, or a district in it.
pub(crate) struct Region {
    state: Code,
    east: bool,
    district: Option<(Code, &'static vocab::District)>,
}

impl Region {
    pub fn new(state: &'static str, district: Option<&'static vocab::District>) -> Region {
        Region {
            state: Code::new(state, &STATES),
            east: EAST.contains(&state),
            district: district.map(|d| (Code::new(d.code, &DISTRICTS), d)),
        }
    }
}

impl AssociationProfile {
    pub(crate) fn names_theme(&self, code: &str) -> bool {
        THEMES.get(code).is_some_and(|i| self.themes.bits & bit(*i) != 0)
    }

    /// Placed in the region (its state, and its district when the region is one).
    pub(crate) fn lies_in(&self, region: &Region) -> bool {
        self.state.as_ref().is_some_and(|s| s.same_as(&region.state))
            && region
                .district
                .as_ref()
                .is_none_or(|(d, _)| self.district.as_ref().is_some_and(|own| own.same_as(d)))
    }

    /// Its project ideas need a known amount of at most `cents`.
    pub(crate) fn needs_at_most(&self, cents: i64) -> bool {
        self.amount_needed.is_some_and(|need| need <= cents)
    }
}

impl FoundationProfile {
    pub(crate) fn names_theme(&self, code: &str) -> bool {
        THEMES.get(code).is_some_and(|i| self.themes.bits & bit(*i) != 0)
    }

    /// The funding area reaches into the region: all of it, or for a state at least one of its districts.
    pub(crate) fn reaches(&self, region: &Region) -> bool {
        match &self.area {
            Area::Nationwide => true,
            Area::East => region.east,
            Area::States(states) => states.contains(&region.state),
            Area::Districts(districts) => match &region.district {
                Some((district, _)) => districts.contains(district),
                None => vocab::DISTRICTS
                    .iter()
                    .filter(|d| Code::new(d.state, &STATES).same_as(&region.state))
                    .any(|d| districts.contains(&Code::new(d.code, &DISTRICTS))),
            },
            // A municipality is known by name only: it matches a district-free city of that name.
            Area::Municipality(town) => region
                .district
                .as_ref()
                .is_some_and(|(_, d)| d.city && town.as_deref() == Some(crate::text::fold(d.name).as_str())),
            Area::Unknown => false,
        }
    }

    /// The grant range is known and holds `cents`.
    pub(crate) fn grants(&self, cents: i64) -> bool {
        self.grant_max.is_some_and(|max| cents <= max) && self.grant_min.is_none_or(|min| cents >= min)
    }
}

/// Why a hard filter excludes the pair.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Exclusion<'p> {
    NoApplications,
    AreaOutside { place: &'p str },
    NoticeExpired,
    NotCharitable { status: &'p str },
    NotEv,
    TooYoung { min_age: i32, founded: i32 },
    NoOpenDeadline,
    InvitationOnly,
}

/// Target groups both name: all of them through "everyone" (when the vocabulary has it), or these.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Groups<'p> {
    Everyone(Option<&'static Term>),
    Shared(Overlap<'p>),
}

/// What speaks for the pair (its points come with it).
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Fit<'p> {
    AreaCovers {
        area: &'static Term,
        place: &'p str,
    },
    DeadlineOpen {
        next: &'p str,
    },
    /// Theme positions in the association's order.
    Themes(Overlap<'p>),
    /// § 52 AO numbers shared only through different themes.
    Para52(Bits),
    TargetGroups(Groups<'p>),
    /// Support kind positions in the association's order.
    Support(Overlap<'p>),
    AmountInRange {
        need: i64,
    },
    AmountNearRange {
        need: i64,
    },
    AmountAboveRange,
    Earlier(u32),
}

/// A fact needed for a sure answer that is not known.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Unknown {
    Applications,
    Area,
    Charitable,
    LegalForm,
    Founded,
    Route,
    Themes,
    TargetGroups,
    Support,
    Need,
    Grant,
}

/// Where [`judge`] reports what it finds, in a fixed order.
pub(crate) trait Sink<'p> {
    /// One more fact was checked (the base of the confidence).
    fn checked(&mut self);
    fn exclude(&mut self, why: Exclusion<'p>);
    fn fit(&mut self, why: Fit<'p>, points: i32);
    fn unknown(&mut self, what: Unknown);
}

/// Share of the checked facts that were known, in percent.
pub(crate) fn confidence(checked: u32, unknown: u32) -> u8 {
    (checked.saturating_sub(unknown) * 100 / checked.max(1)) as u8
}

/// The sink that only counts: eligible, score and confidence, nothing written.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Tally {
    pub score: i32,
    excluded: bool,
    checked: u32,
    unknown: u32,
}

impl Tally {
    pub fn of(a: &AssociationProfile, f: &FoundationProfile, today: &Today, earlier: u32) -> Tally {
        let mut tally = Tally::default();
        judge(a, f, today, earlier, &mut tally);
        tally
    }

    pub fn eligible(&self) -> bool {
        !self.excluded
    }

    pub fn confidence(&self) -> u8 {
        confidence(self.checked, self.unknown)
    }
}

impl Sink<'_> for Tally {
    #[inline]
    fn checked(&mut self) {
        self.checked += 1;
    }
    #[inline]
    fn exclude(&mut self, _: Exclusion) {
        self.excluded = true;
    }
    #[inline]
    fn fit(&mut self, _: Fit, points: i32) {
        self.score += points;
    }
    #[inline]
    fn unknown(&mut self, _: Unknown) {
        self.unknown += 1;
    }
}

/// Judges one pair: hard filters first (each failed one excludes), then the soft fit with its points,
/// and apart from both what is unknown. `earlier` is the number of cooperations the two already have.
pub(crate) fn judge<'p>(
    a: &'p AssociationProfile,
    f: &'p FoundationProfile,
    today: &Today,
    earlier: u32,
    sink: &mut impl Sink<'p>,
) {
    // Hard filter 1: the foundation accepts applications.
    sink.checked();
    match f.accepts {
        Some(false) => sink.exclude(Exclusion::NoApplications),
        Some(true) => {}
        None => sink.unknown(Unknown::Applications),
    }

    // Hard filter 2: the funding area covers the association's place.
    sink.checked();
    let covered = match &f.area {
        Area::Nationwide => Some(true),
        Area::East => a.state.as_ref().map(|_| a.east),
        Area::States(states) => a.state.as_ref().map(|s| states.contains(s)),
        Area::Districts(districts) => a.district.as_ref().map(|d| districts.contains(d)),
        Area::Municipality(m) => (!a.city.is_empty()).then(|| m.as_deref() == Some(a.city_folded())),
        Area::Unknown => None,
    };
    match (covered, f.area_label) {
        (Some(true), Some(area)) => sink.fit(Fit::AreaCovers { area, place: &a.city }, 0),
        (Some(false), _) => sink.exclude(Exclusion::AreaOutside { place: &a.city }),
        _ => sink.unknown(Unknown::Area),
    }

    // Hard filter 3: eligibility (charitable status current, legal form, age).
    if f.requires_charitable {
        sink.checked();
        match &a.charitable {
            Charitable::Expired => sink.exclude(Exclusion::NoticeExpired),
            Charitable::Current => {}
            Charitable::Other(status) => sink.exclude(Exclusion::NotCharitable { status }),
            Charitable::Unknown => sink.unknown(Unknown::Charitable),
        }
    }
    if f.ev_only {
        sink.checked();
        match a.ev {
            Some(true) => {}
            Some(false) => sink.exclude(Exclusion::NotEv),
            None => sink.unknown(Unknown::LegalForm),
        }
    }
    if let Some(min_age) = f.min_age {
        sink.checked();
        match a.founded_year {
            Some(founded) if today.year - founded < min_age => sink.exclude(Exclusion::TooYoung { min_age, founded }),
            Some(_) => {}
            None => sink.unknown(Unknown::Founded),
        }
    }

    // Hard filter 4: an application route is open.
    sink.checked();
    match &f.route {
        Route::Deadlines(Some(next)) => sink.fit(Fit::DeadlineOpen { next }, 0),
        Route::Deadlines(None) => sink.exclude(Exclusion::NoOpenDeadline),
        Route::Invitation => sink.exclude(Exclusion::InvitationOnly),
        Route::Open => {}
        Route::Unknown => sink.unknown(Unknown::Route),
    }

    // Soft fit: themes, directly and through § 52 AO.
    sink.checked();
    let shared = Overlap {
        list: &a.themes.ids,
        set: f.themes.bits,
    };
    let n = shared.count();
    if n > 0 {
        sink.fit(Fit::Themes(shared), weights::THEME * n as i32);
    }
    let direct = shared.iter().fold(0, |b, i| b | PARA52[i as usize]);
    let via52 = a.para52 & f.para52 & !direct;
    if via52 != 0 {
        sink.fit(Fit::Para52(via52), weights::PARA52 * via52.count_ones() as i32);
    }
    if a.themes.empty || f.themes.empty {
        sink.unknown(Unknown::Themes);
    }

    // Target groups.
    sink.checked();
    let groups = if (a.everyone || f.everyone) && !a.target_groups.empty && !f.target_groups.empty {
        Groups::Everyone(vocab::find(vocab::TARGET_GROUPS, "everyone"))
    } else {
        Groups::Shared(Overlap {
            list: &a.target_groups.ids,
            set: f.target_groups.bits,
        })
    };
    let n = match groups {
        Groups::Everyone(term) => usize::from(term.is_some()),
        Groups::Shared(shared) => shared.count(),
    };
    if n > 0 {
        sink.fit(Fit::TargetGroups(groups), weights::TARGET_GROUP * n as i32);
    } else if a.target_groups.empty || f.target_groups.empty {
        sink.unknown(Unknown::TargetGroups);
    }

    // Kinds of support sought and offered.
    sink.checked();
    let support = Overlap {
        list: &a.needs.ids,
        set: f.support_kinds.bits,
    };
    let n = support.count();
    if n > 0 {
        sink.fit(Fit::Support(support), weights::SUPPORT_KIND * n as i32);
    } else if a.needs.empty || f.support_kinds.empty {
        sink.unknown(Unknown::Support);
    }

    // Amount needed against the grant range.
    sink.checked();
    match (a.amount_needed, f.grant_min, f.grant_max) {
        (Some(need), min, Some(max)) if need >= min.unwrap_or(0) && need <= max => {
            sink.fit(Fit::AmountInRange { need }, weights::AMOUNT_IN_RANGE)
        }
        (Some(need), min, Some(max)) if need < min.unwrap_or(0) || need <= max + max / 4 => {
            sink.fit(Fit::AmountNearRange { need }, weights::AMOUNT_NEAR_RANGE)
        }
        (Some(_), _, Some(_)) => sink.fit(Fit::AmountAboveRange, 0),
        (need, _, max) => {
            if need.is_none() {
                sink.unknown(Unknown::Need);
            }
            if max.is_none() {
                sink.unknown(Unknown::Grant);
            }
        }
    }

    // Earlier relationship.
    if earlier > 0 {
        sink.fit(
            Fit::Earlier(earlier),
            weights::EARLIER_COOPERATION * earlier.min(3) as i32,
        );
    }
}

/// What a ranking orders by: `then` is the ranked side's name and the ids (a match), or its place
/// in name order (a profile of a list in name order, ranked against one record of the other side).
pub(crate) struct RankKey<T> {
    pub eligible: bool,
    pub score: i32,
    pub then: T,
}

/// Eligible first, then by score, then by the name of the ranked side, then by ids (a total order:
/// equal scores always come in the same order).
pub(crate) fn rank_order<T: Ord>(x: &RankKey<T>, y: &RankKey<T>) -> Ordering {
    y.eligible
        .cmp(&x.eligible)
        .then(y.score.cmp(&x.score))
        .then_with(|| x.then.cmp(&y.then))
}

/// A profile's place in name order: by name, then by id.
pub(crate) trait NameOrder {
    fn name_and_id(&self) -> (&str, &str);
}

impl NameOrder for AssociationProfile {
    fn name_and_id(&self) -> (&str, &str) {
        (&self.name, &self.id)
    }
}

impl NameOrder for FoundationProfile {
    fn name_and_id(&self) -> (&str, &str) {
        (&self.name, &self.id)
    }
}
