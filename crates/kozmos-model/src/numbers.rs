//! Numbers as people type them: whole numbers and euro amounts (German or English notation) to
//! integers and cents, and cents back to form text. Money is whole cents, never floats.

/// The largest amount accepted: 100 million euro, in cents.
pub const MONEY_MAX_CENTS: i64 = 10_000_000_000;

/// Euro text to cents: German ("1.250,50") and English ("1250.50") notation, "€" and spaces allowed.
pub fn parse_euro_cents(s: &str) -> Option<i64> {
    let cleaned: String = s
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '€' && *c != '\u{a0}')
        .collect();
    let cleaned = cleaned.strip_suffix("EUR").unwrap_or(&cleaned);
    let (negative, body) = match cleaned.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, cleaned),
    };
    let (whole, fraction) = if let Some((w, f)) = body.split_once(',') {
        (w.replace('.', ""), f.to_string())
    } else if body.contains('.') && parse_whole_number(body).is_some() {
        (body.replace('.', ""), String::new())
    } else if let Some((w, f)) = body.split_once('.') {
        (w.to_string(), f.to_string())
    } else {
        (body.to_string(), String::new())
    };
    let digits = |s: &str| !s.is_empty() && s.chars().all(|c| c.is_ascii_digit());
    if !digits(&whole) || whole.len() > 12 || !(fraction.is_empty() || (digits(&fraction) && fraction.len() <= 2)) {
        return None;
    }
    let cents = whole.parse::<i64>().ok()? * 100 + format!("{fraction:0<2}").parse::<i64>().unwrap_or(0);
    Some(if negative { -cents } else { cents })
}

/// Cents as plain euro text for editing: "1250.5" is shown as "1250.50", whole euros without cents.
pub fn cents_to_text(cents: i64) -> String {
    if cents % 100 == 0 {
        (cents / 100).to_string()
    } else {
        format!("{}.{:02}", cents / 100, (cents % 100).abs())
    }
}

pub fn parse_whole_number(s: &str) -> Option<i64> {
    let (negative, digits) = match s.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, s),
    };
    let grouped = digits.contains('.')
        && digits.split('.').enumerate().all(|(i, g)| {
            g.chars().all(|c| c.is_ascii_digit())
                && if i == 0 {
                    (1..=3).contains(&g.len())
                } else {
                    g.len() == 3
                }
        });
    let plain: String = if grouped {
        digits.replace('.', "")
    } else {
        digits.to_string()
    };
    if plain.is_empty() || plain.len() > 12 || !plain.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let n: i64 = plain.parse().ok()?;
    Some(if negative { -n } else { n })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn euro_amounts_in_german_and_english_notation() {
        for (text, cents) in [
            ("5000", 500_000),
            ("5.000", 500_000),
            ("5.000,50", 500_050),
            ("5000,5", 500_050),
            ("1250.50", 125_050),
            ("1.250.000", 125_000_000),
            ("5 000 €", 500_000),
            ("€ 12,99", 1_299),
            ("0", 0),
            ("0,01", 1),
            ("-3", -300),
        ] {
            assert_eq!(parse_euro_cents(text), Some(cents), "{text}");
        }
        // "1,234" would be 1.234 euro in German notation: more than two decimals are refused.
        for bad in [
            "",
            "zehn",
            "5,000,00",
            "1,234",
            "12.3456",
            "1e6",
            "5.00.0",
            "€",
            "1.5,0,0",
            "9999999999999",
        ] {
            assert_eq!(parse_euro_cents(bad), None, "{bad}");
        }
    }

    #[test]
    fn cents_round_trip_through_the_form_text() {
        for cents in [0, 1, 99, 100, 500_050, 125_000_000] {
            assert_eq!(parse_euro_cents(&cents_to_text(cents)), Some(cents));
        }
        assert_eq!(cents_to_text(500_050), "5000.50");
        assert_eq!(cents_to_text(500_000), "5000");
    }
}
