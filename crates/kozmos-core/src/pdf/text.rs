//! Fitting a line of text into a width: wrapping at spaces (breaking words longer than a line) and
//! shortening with an ellipsis. Pure functions over a per-character advance in pt, so they work for
//! any face and size; text is expected to be printable already (see `Face::printable`).
//!
//! Widths add up character by character, which holds for unshaped Latin text. Shaped scripts will
//! need line breaking over shaped runs (unicode-linebreak opportunities, widths from the shaper).

pub const ELLIPSIS: char = '…';

/// Rounding slack: a width summed in another order may differ in the last bits.
const SLACK: f32 = 0.01;

fn width(text: &str, advance: &impl Fn(char) -> f32) -> f32 {
    text.chars().map(advance).sum()
}

/// The text as it fits into `max_width`: unchanged if it fits, else cut and ended with "…".
pub fn ellipsize(text: &str, max_width: f32, advance: impl Fn(char) -> f32) -> String {
    if width(text, &advance) <= max_width + SLACK {
        return text.to_string();
    }
    let room = max_width - advance(ELLIPSIS);
    let mut used = 0.0;
    let mut kept = String::new();
    for ch in text.chars() {
        used += advance(ch);
        if used > room {
            break;
        }
        kept.push(ch);
    }
    let mut kept = kept.trim_end().to_string();
    kept.push(ELLIPSIS);
    kept
}

/// The text broken into lines no wider than `max_width`, at most `max_lines` of them (the last one
/// ends with "…" if text was left over). Never returns an empty list; an empty text is one empty line.
pub fn wrap(text: &str, max_width: f32, max_lines: usize, advance: impl Fn(char) -> f32) -> Vec<String> {
    let max_lines = max_lines.max(1);
    let space = advance(' ');
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    let mut line_width = 0.0;
    let mut cut = false;
    'words: for word in text.split(' ').filter(|w| !w.is_empty()) {
        let word_width = width(word, &advance);
        let gap = if line.is_empty() { 0.0 } else { space };
        if line_width + gap + word_width <= max_width + SLACK {
            if !line.is_empty() {
                line.push(' ');
            }
            line.push_str(word);
            line_width += gap + word_width;
            continue;
        }
        if !line.is_empty() {
            if lines.len() + 1 >= max_lines {
                cut = true;
                break;
            }
            lines.push(std::mem::take(&mut line));
            line_width = 0.0;
        }
        if word_width <= max_width + SLACK {
            line.push_str(word);
            line_width = word_width;
            continue;
        }
        // A word longer than a line: break it between characters.
        for ch in word.chars() {
            let w = advance(ch);
            if line_width + w > max_width + SLACK && !line.is_empty() {
                if lines.len() + 1 >= max_lines {
                    cut = true;
                    break 'words;
                }
                lines.push(std::mem::take(&mut line));
                line_width = 0.0;
            }
            line.push(ch);
            line_width += w;
        }
    }
    if cut {
        line = force_ellipsis(&line, max_width, &advance);
    }
    lines.push(line);
    lines
}

/// The line shortened as needed so that "…" fits after it.
fn force_ellipsis(line: &str, max_width: f32, advance: &impl Fn(char) -> f32) -> String {
    let room = max_width - advance(ELLIPSIS);
    let mut kept: String = line.to_string();
    while !kept.is_empty() && width(&kept, advance) > room {
        kept.pop();
    }
    let mut kept = kept.trim_end().to_string();
    kept.push(ELLIPSIS);
    kept
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every character 1 pt wide.
    fn one(_: char) -> f32 {
        1.0
    }

    #[test]
    fn short_text_stays_whole() {
        assert_eq!(wrap("Gera Jena", 20.0, 3, one), vec!["Gera Jena"]);
        assert_eq!(ellipsize("Gera", 4.0, one), "Gera");
        assert_eq!(wrap("", 20.0, 3, one), vec![""]);
    }

    #[test]
    fn wraps_at_spaces() {
        assert_eq!(
            wrap("Saale-Holzland-Kreis und Weimar", 20.0, 3, one),
            vec!["Saale-Holzland-Kreis", "und Weimar"]
        );
    }

    #[test]
    fn breaks_long_words_and_stops_with_an_ellipsis() {
        let long = "x".repeat(50);
        assert_eq!(
            wrap(&long, 20.0, 5, one),
            vec!["x".repeat(20), "x".repeat(20), "x".repeat(10)]
        );
        let lines = wrap(&long, 20.0, 2, one);
        assert_eq!(lines.len(), 2);
        assert_eq!(lines[1], format!("{}…", "x".repeat(19)));
        let words = wrap("aa bb cc dd ee ff", 5.0, 2, one);
        assert_eq!(words, vec!["aa bb", "cc d…"]);
        for line in wrap(&"wort ".repeat(200), 30.0, 4, one) {
            assert!(line.chars().count() <= 30, "{line}");
        }
    }

    #[test]
    fn ellipsis_fits() {
        assert_eq!(ellipsize("Thüringen", 5.0, one), "Thür…");
        assert_eq!(ellipsize("ab cdef", 4.0, one), "ab…");
    }
}
