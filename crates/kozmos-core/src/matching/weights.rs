//! The weights of the soft fit, in one place. A match's score is the sum of the points of its
//! reasons; unknown facts add nothing and are listed apart, as lower confidence.

/// Points per theme both share directly.
pub const THEME: i32 = 10;
/// Points per § 52 AO purpose both share only through different themes.
pub const PARA52: i32 = 4;
/// Points per target group both name (an "everyone" on either side meets every group once).
pub const TARGET_GROUP: i32 = 5;
/// Points per kind of support the association seeks and the foundation offers.
pub const SUPPORT_KIND: i32 = 6;
/// Points when the amount an idea needs lies within the grant range.
pub const AMOUNT_IN_RANGE: i32 = 12;
/// Points when it lies below the range's minimum (the idea could grow) or up to a quarter above its maximum.
pub const AMOUNT_NEAR_RANGE: i32 = 4;
/// Points for each earlier cooperation of the two (at most three count).
pub const EARLIER_COOPERATION: i32 = 8;
