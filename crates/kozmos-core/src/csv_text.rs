//! CSV as German Excel opens it: UTF-8 with a byte-order mark, ";" between fields, CRLF rows.
//! A cell that a spreadsheet would run as a formula (=, +, -, @ first) is prefixed with an apostrophe.

/// The whole file for these rows (the first row is usually the header).
pub fn write(rows: &[Vec<String>]) -> String {
    let mut out = String::from('\u{feff}');
    for row in rows {
        let cells: Vec<String> = row.iter().map(|c| cell(c)).collect();
        out.push_str(&cells.join(";"));
        out.push_str("\r\n");
    }
    out
}

fn cell(raw: &str) -> String {
    let guarded = match raw.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') if !is_number(raw) => format!("'{raw}"),
        _ => raw.to_string(),
    };
    if guarded.contains([';', '"', '\n', '\r']) {
        format!("\"{}\"", guarded.replace('"', "\"\""))
    } else {
        guarded
    }
}

/// A plain number as either language writes it ("-1.250,50", "+3", "-0.5"): one sign at most,
/// in front. "+49-361-555" (a phone number) or "-5+3" is a sum to a spreadsheet, so it is guarded.
fn is_number(s: &str) -> bool {
    let body = s.strip_prefix(['-', '+']).unwrap_or(s);
    body.chars().any(|c| c.is_ascii_digit()) && body.chars().all(|c| c.is_ascii_digit() || ",.".contains(c))
}

#[cfg(test)]
mod tests {
    use super::write;

    #[test]
    fn quotes_what_needs_it_and_defuses_formulas() {
        let rows = vec![
            vec!["Name".to_string(), "Betrag".into()],
            vec!["Verein; \"Brücke\"\nHalle".into(), "-12,50".into()],
            vec!["=HYPERLINK(\"x\")".into(), "@SUM(A1)".into()],
            vec!["-5".into(), "+".into()],
            vec!["+49-361-555".into(), "-5+3".into()],
        ];
        assert_eq!(
            write(&rows),
            "\u{feff}Name;Betrag\r\n\"Verein; \"\"Brücke\"\"\nHalle\";-12,50\r\n\"'=HYPERLINK(\"\"x\"\")\";'@SUM(A1)\r\n-5;'+\r\n'+49-361-555;'-5+3\r\n"
        );
    }
}
