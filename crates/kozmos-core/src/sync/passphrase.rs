//! How strong a passphrase is, as a hint while choosing one (estimated entropy, not a promise).

use serde::Serialize;
use ts_rs::TS;

use crate::error::{Error, Result};

#[derive(Debug, Clone, Serialize, TS)]
pub struct Strength {
    /// 0 (very weak) to 4 (strong).
    pub score: u8,
    /// Estimated bits of entropy.
    pub bits: u32,
    pub hint_de: String,
    pub hint_en: String,
}

/// Shortest passphrase accepted at all.
pub const MIN_CHARS: usize = 8;

pub fn strength(passphrase: &str) -> Strength {
    let chars: Vec<char> = passphrase.chars().collect();
    let pool = [
        chars.iter().any(|c| c.is_lowercase()).then_some(26),
        chars.iter().any(|c| c.is_uppercase()).then_some(26),
        chars.iter().any(|c| c.is_ascii_digit()).then_some(10),
        chars.iter().any(|c| !c.is_alphanumeric()).then_some(33),
        chars.iter().any(|c| !c.is_ascii()).then_some(100),
    ]
    .into_iter()
    .flatten()
    .sum::<u32>()
    .max(1);
    // Repeats and runs add little: count only characters that differ from the one before.
    let varied = chars.windows(2).filter(|w| w[0] != w[1]).count() + usize::from(!chars.is_empty());
    let distinct = chars.iter().collect::<std::collections::HashSet<_>>().len();
    let effective = varied.min(distinct * 3);
    let bits = (effective as f64 * (pool as f64).log2()) as u32;
    let (score, de, en) = match bits {
        _ if chars.len() < MIN_CHARS => (0, "Zu kurz: mindestens 8 Zeichen.", "Too short: at least 8 characters."),
        0..=39 => (
            1,
            "Schwach: länger machen, z. B. mehrere Wörter.",
            "Weak: make it longer, e.g. several words.",
        ),
        40..=59 => (
            2,
            "Mittel: ein, zwei Wörter mehr machen es stark.",
            "Fair: one or two more words make it strong.",
        ),
        60..=79 => (3, "Gut.", "Good."),
        _ => (4, "Stark.", "Strong."),
    };
    Strength {
        score,
        bits,
        hint_de: de.into(),
        hint_en: en.into(),
    }
}

/// Refuses passphrases that are too short to protect anything.
pub fn check(passphrase: &str) -> Result<()> {
    if passphrase.chars().count() < MIN_CHARS {
        return Err(Error::invalid(
            "passphrase",
            "passphrase_too_short",
            format!("Die Passphrase muss mindestens {MIN_CHARS} Zeichen haben."),
            format!("The passphrase must have at least {MIN_CHARS} characters."),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn longer_and_more_varied_is_stronger() {
        assert_eq!(strength("").score, 0);
        assert_eq!(strength("abc").score, 0);
        assert!(strength("aaaaaaaaaaaaaaaa").score <= 1);
        assert!(strength("sommer12").score <= 2);
        assert!(strength("Pferd Batterie Heftklammer richtig").score >= 3);
        assert!(strength("Kaffee-Straße 7 Möwe!").score > strength("kaffee").score);
        assert!(check("kurz").is_err());
        assert!(check("lang genug").is_ok());
    }
}
