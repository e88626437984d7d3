//! Text to positioned glyphs: NFC and clean-up (`printable`), a face per character by coverage,
//! bidi levels (unicode-bidi), shaping per run of one face and direction (rustybuzz, so Arabic
//! joins and marks sit where the font puts them), line breaking at the opportunities of
//! unicode-linebreak measured with shaped widths, and shortening with "…".
//!
//! A paragraph is shaped twice: once in logical order to measure where lines break, then each
//! line on its own in visual order, so every line is shaped exactly as it is printed. Each glyph
//! carries the text of its cluster (character-level clusters), which becomes its ToUnicode entry:
//! copying and pdftotext give the characters back in reading order.

use std::ops::Range;

use rustybuzz::{BufferClusterLevel, BufferFlags, Direction, UnicodeBuffer};
use unicode_bidi::{BidiClass, Level, ParagraphBidiInfo};
use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;

use crate::fonts::{self, FaceId, Style};

pub const ELLIPSIS: char = '…';
/// Shown for a character no shipped face has.
pub const MISSING: char = '?';

/// Rounding slack: a width summed in another order may differ in the last bits.
const SLACK: f32 = 0.01;

/// The base direction of a paragraph.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Dir {
    /// Left to right whatever the content (German and English text with names in it).
    Ltr,
    /// From the first strong character (a name in its original script).
    Auto,
}

/// One glyph of a line.
#[derive(Debug, Clone, PartialEq)]
pub struct Glyph {
    pub face: FaceId,
    pub gid: u16,
    /// Where the glyph is drawn, in pt from the line's left end.
    pub x: f32,
    /// How far it is raised above the baseline, in pt (marks placed by the font).
    pub rise: f32,
    /// The text it stands for, as a byte range of `Line::text`; empty for the further glyphs of
    /// a character the font draws with several.
    pub text: Range<u32>,
    /// Set right to left: a glyph for several characters (a lam-alef ligature) then holds them
    /// in visual order, as text extraction splits the glyph's width among them left to right.
    pub rtl: bool,
}

/// One shaped line, its glyphs in visual order (left to right).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Line {
    /// The line's text in logical order.
    pub text: String,
    pub glyphs: Vec<Glyph>,
    /// The advance of the whole line in pt.
    pub width: f32,
    /// The line box above and below the baseline in pt: the largest of the faces it uses (the
    /// primary face always counts), as browsers grow a line for a fallback font. Noto Sans
    /// Arabic needs 2.1 em where Noto Sans needs 1.36.
    pub ascent: f32,
    pub descent: f32,
}

impl Line {
    pub fn is_empty(&self) -> bool {
        self.glyphs.is_empty()
    }

    /// The height of the line box in pt.
    pub fn height(&self) -> f32 {
        self.ascent + self.descent
    }

    /// The text a glyph stands for, in logical order.
    pub fn glyph_text(&self, glyph: &Glyph) -> &str {
        &self.text[glyph.text.start as usize..glyph.text.end as usize]
    }

    /// The text a glyph maps to in the PDF's ToUnicode table: its characters in visual order,
    /// without joiners (a glyph is shared by every use of its form, and the joiner belongs to
    /// one use only).
    pub fn glyph_unicode(&self, glyph: &Glyph) -> String {
        let chars = self.glyph_text(glyph).chars().filter(|c| !fonts::is_format_char(*c));
        if glyph.rtl {
            chars.rev().collect()
        } else {
            chars.collect()
        }
    }
}

/// Text made printable: NFC, every run of whitespace or control characters as one space (trimmed),
/// invisible format characters dropped (joiners stay: Persian needs them), and characters no face
/// has as "?".
pub fn printable(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut space = false;
    for ch in text.nfc() {
        if ch.is_whitespace() || ch.is_control() {
            space = !out.is_empty();
            continue;
        }
        if fonts::is_format_char(ch) && !is_joiner(ch) {
            continue;
        }
        if space {
            out.push(' ');
            space = false;
        }
        out.push(if fonts::covering(ch, Style::Regular).is_some() || is_joiner(ch) {
            ch
        } else {
            MISSING
        });
    }
    out
}

/// The characters of a text that no shipped face can print (Chinese, say), each once.
pub fn unprintable(text: &str) -> Vec<char> {
    let mut missing: Vec<char> = Vec::new();
    for ch in text.nfc() {
        if ch.is_whitespace() || ch.is_control() || fonts::is_format_char(ch) || missing.contains(&ch) {
            continue;
        }
        if fonts::covering(ch, Style::Regular).is_none() {
            missing.push(ch);
        }
    }
    missing
}

pub(crate) fn is_joiner(ch: char) -> bool {
    matches!(ch, '\u{200C}' | '\u{200D}')
}

/// The width in pt of text set on one line.
pub fn width(text: &str, style: Style, size: f32) -> f32 {
    line(&printable(text), style, size, Dir::Ltr).width
}

/// Text on one line no wider than `max_width`, shortened with "…" if needed.
pub fn fit(text: &str, style: Style, size: f32, max_width: f32, dir: Dir) -> Line {
    wrap(text, style, size, max_width, 1, dir).swap_remove(0)
}

/// Text broken into lines no wider than `max_width`, at most `max_lines` (the last one ends with
/// "…" when text was left over). Never empty: an empty text is one empty line.
pub fn wrap(text: &str, style: Style, size: f32, max_width: f32, max_lines: usize, dir: Dir) -> Vec<Line> {
    let key = WrapKey {
        text: text.to_string(),
        style,
        size: size.to_bits(),
        max_width: max_width.to_bits(),
        max_lines,
        dir,
    };
    if let Some(lines) = WRAPPED.with(|cache| cache.borrow().get(&key).cloned()) {
        return lines;
    }
    let lines = wrap_anew(text, style, size, max_width, max_lines, dir);
    WRAPPED.with(|cache| {
        let mut cache = cache.borrow_mut();
        if cache.len() >= WRAPPED_MAX {
            cache.clear();
        }
        cache.insert(key, lines.clone());
    });
    lines
}

/// Paragraphs wrapped on this thread, by everything that decides their lines: the labels,
/// headings and footers every sheet of a batch repeats are shaped once, and so is a text that a
/// sheet set tighter to fit its page wraps again at the same width. Emptied when full.
const WRAPPED_MAX: usize = 4_096;

#[derive(PartialEq, Eq, Hash)]
struct WrapKey {
    text: String,
    style: Style,
    size: u32,
    max_width: u32,
    max_lines: usize,
    dir: Dir,
}

thread_local! {
    static WRAPPED: std::cell::RefCell<std::collections::HashMap<WrapKey, Vec<Line>>> =
        std::cell::RefCell::new(std::collections::HashMap::new());
}

fn wrap_anew(text: &str, style: Style, size: f32, max_width: f32, max_lines: usize, dir: Dir) -> Vec<Line> {
    let text = printable(text);
    let base = base_level(&text, dir);
    let measure = Measure::new(&text, base, style, size);
    let mut ranges = measure.break_lines(max_width);
    let max_lines = max_lines.max(1);
    if ranges.len() == 1 && ranges[0] == (0..text.len()) && measure.ltr {
        return vec![assemble(&text, style, size, measure.runs)];
    }
    let mut cut = None;
    if ranges.len() > max_lines {
        ranges.truncate(max_lines);
        let last = ranges.pop().expect("at least one line");
        cut = Some(measure.shorten(last.start, max_width, &line(&ELLIPSIS.to_string(), style, size, dir)));
    }
    let mut lines: Vec<Line> = ranges
        .into_iter()
        .map(|r| line_at_level(text[r].trim_end(), style, size, base))
        .collect();
    if let Some(shortened) = cut {
        lines.push(line_at_level(&shortened, style, size, base));
    }
    if lines.is_empty() {
        lines.push(line_at_level("", style, size, base));
    }
    lines
}

/// One line of printable text, shaped in visual order.
pub fn line(text: &str, style: Style, size: f32, dir: Dir) -> Line {
    line_at_level(text, style, size, base_level(text, dir))
}

fn base_level(text: &str, dir: Dir) -> Level {
    if dir == Dir::Auto {
        for ch in text.chars() {
            match unicode_bidi::bidi_class(ch) {
                BidiClass::L => return Level::ltr(),
                BidiClass::R | BidiClass::AL => return Level::rtl(),
                _ => {}
            }
        }
    }
    Level::ltr()
}

fn line_at_level(text: &str, style: Style, size: f32, base: Level) -> Line {
    if text.is_empty() {
        return assemble(text, style, size, Vec::new());
    }
    let bidi = ParagraphBidiInfo::new(text, Some(base));
    let items = itemize(text, &bidi.levels, style);
    let (_, visual) = bidi.visual_runs(0..text.len());
    let mut runs = Vec::with_capacity(items.len());
    for run in visual {
        let mut inside: Vec<&Item> = items
            .iter()
            .filter(|item| item.range.start >= run.start && item.range.end <= run.end)
            .collect();
        if bidi.levels[run.start].is_rtl() {
            inside.reverse();
        }
        runs.extend(inside.into_iter().map(|item| (item.clone(), shape(text, item, size))));
    }
    assemble(text, style, size, runs)
}

/// A line of shaped runs, given in visual order.
fn assemble(text: &str, style: Style, size: f32, runs: Vec<(Item, Vec<Shaped>)>) -> Line {
    let mut line = Line {
        text: text.to_string(),
        ..Line::default()
    };
    if let Ok(primary) = fonts::primary(style) {
        line.ascent = primary.ascent * size;
        line.descent = primary.descent * size;
    }
    let mut pen = 0.0;
    for (item, glyphs) in runs {
        let mut seen = Vec::with_capacity(glyphs.len());
        for g in glyphs {
            let first = !seen.contains(&g.cluster.start);
            if first {
                seen.push(g.cluster.start);
            }
            line.glyphs.push(Glyph {
                face: item.face,
                gid: g.gid,
                x: pen + g.dx,
                rise: g.dy,
                text: if first {
                    g.cluster.clone()
                } else {
                    g.cluster.start..g.cluster.start
                },
                rtl: item.rtl,
            });
            pen += g.advance;
        }
    }
    line.width = pen;
    let mut faces: Vec<FaceId> = line.glyphs.iter().map(|g| g.face).collect();
    faces.sort_unstable();
    faces.dedup();
    for face in faces.into_iter().filter_map(|id| fonts::face(id).ok()) {
        line.ascent = line.ascent.max(face.ascent * size);
        line.descent = line.descent.max(face.descent * size);
    }
    line
}

/// A run of text set in one face at one bidi level.
#[derive(Debug, Clone)]
struct Item {
    range: Range<usize>,
    face: FaceId,
    rtl: bool,
}

/// Splits text into runs of one face and one bidi level. A character takes the first face that
/// has it; spaces, marks, joiners and punctuation stay in the face before them when it has them,
/// so an Arabic phrase with its spaces is shaped as one run.
fn itemize(text: &str, levels: &[Level], style: Style) -> Vec<Item> {
    let mut items: Vec<Item> = Vec::new();
    let mut previous: Option<&'static fonts::Face> = None;
    for (i, ch) in text.char_indices() {
        let neutral = !ch.is_alphanumeric() || is_combining_mark(ch) || is_joiner(ch);
        let face = match previous {
            Some(face) if neutral && (face.covers(ch) || is_joiner(ch)) => face,
            _ => fonts::covering(ch, style)
                .or(previous)
                .or_else(|| fonts::primary(style).ok())
                .expect("the primary face parses"),
        };
        previous = Some(face);
        let rtl = levels[i].is_rtl();
        let end = i + ch.len_utf8();
        match items.last_mut() {
            Some(item) if item.face == face.id && item.rtl == rtl => item.range.end = end,
            _ => items.push(Item {
                range: i..end,
                face: face.id,
                rtl,
            }),
        }
    }
    items
}

struct Shaped {
    gid: u16,
    advance: f32,
    dx: f32,
    dy: f32,
    /// The bytes of the text this glyph's cluster covers.
    cluster: Range<u32>,
}

/// Shapes one run (with the text around it as context), glyphs in visual order, sizes in pt.
fn shape(text: &str, item: &Item, size: f32) -> Vec<Shaped> {
    let Ok(face) = fonts::face(item.face) else {
        return Vec::new();
    };
    let run = &text[item.range.clone()];
    let mut buffer = UnicodeBuffer::new();
    buffer.push_str(run);
    buffer.set_pre_context(&text[..item.range.start]);
    buffer.set_post_context(&text[item.range.end..]);
    buffer.set_direction(if item.rtl {
        Direction::RightToLeft
    } else {
        Direction::LeftToRight
    });
    buffer.set_cluster_level(BufferClusterLevel::Characters);
    buffer.set_flags(BufferFlags::REMOVE_DEFAULT_IGNORABLES);
    let output = shape_with_cached_plan(face, buffer);
    let scale = size / face.units_per_em;
    let infos = output.glyph_infos();
    // Where each cluster's text ends: at the next cluster's start in logical order.
    let mut starts: Vec<u32> = infos.iter().map(|g| g.cluster).collect();
    starts.sort_unstable();
    starts.dedup();
    let offset = item.range.start as u32;
    infos
        .iter()
        .zip(output.glyph_positions())
        .map(|(info, pos)| {
            // `starts` is sorted: the first start after this cluster, found by bisection (a
            // paragraph of a few thousand characters is shaped as one run).
            let next = starts
                .get(starts.partition_point(|&s| s <= info.cluster))
                .copied()
                .unwrap_or(run.len() as u32);
            Shaped {
                gid: info.glyph_id as u16,
                advance: pos.x_advance as f32 * scale,
                dx: pos.x_offset as f32 * scale,
                dy: pos.y_offset as f32 * scale,
                cluster: offset + info.cluster..offset + next,
            }
        })
        .collect()
}

/// A paragraph shaped in logical order: the advance of each cluster, where clusters start and
/// where lines may break.
struct Measure<'a> {
    text: &'a str,
    /// The advance of the cluster starting at each byte (0 elsewhere).
    advance: Vec<f32>,
    /// Bytes where a line may be cut inside a word: cluster starts that are not marks or joiners.
    cuttable: Vec<bool>,
    /// Bytes where a line may end (after the last one: the text's length).
    breaks: Vec<usize>,
    /// The runs as shaped, in logical order.
    runs: Vec<(Item, Vec<Shaped>)>,
    /// Whether every character is at a left-to-right level. Then a text that is one line is
    /// one visual run, its items in logical order, each shaped with the same text around it:
    /// `runs` is that line as `line_at_level` would shape it again.
    ltr: bool,
}

impl<'a> Measure<'a> {
    fn new(text: &'a str, base: Level, style: Style, size: f32) -> Measure<'a> {
        let mut advance = vec![0.0; text.len() + 1];
        let mut cuttable = vec![false; text.len() + 1];
        let mut runs = Vec::new();
        let mut ltr = true;
        if !text.is_empty() {
            let bidi = ParagraphBidiInfo::new(text, Some(base));
            ltr = bidi.levels.iter().all(|level| level.is_ltr());
            for item in itemize(text, &bidi.levels, style) {
                let glyphs = shape(text, &item, size);
                for g in &glyphs {
                    advance[g.cluster.start as usize] += g.advance;
                    cuttable[g.cluster.start as usize] = true;
                }
                runs.push((item, glyphs));
            }
            for (i, ch) in text.char_indices() {
                if is_combining_mark(ch) || is_joiner(ch) {
                    cuttable[i] = false;
                }
            }
        }
        cuttable[text.len()] = true;
        let breaks = unicode_linebreak::linebreaks(text)
            .map(|(at, _)| at)
            .filter(|&at| at > 0)
            .collect();
        Measure {
            text,
            advance,
            cuttable,
            breaks,
            runs,
            ltr,
        }
    }

    /// The width of a range without its trailing spaces.
    fn width(&self, range: Range<usize>) -> f32 {
        let end = range.start + self.text[range.clone()].trim_end().len();
        self.advance[range.start..end].iter().sum()
    }

    fn skip_spaces(&self, at: usize) -> usize {
        at + (self.text[at..].len() - self.text[at..].trim_start().len())
    }

    /// Greedy line breaking: each line takes as many words as fit; a word longer than a line is
    /// cut between clusters.
    fn break_lines(&self, max_width: f32) -> Vec<Range<usize>> {
        let mut lines = Vec::new();
        let mut start = 0;
        let mut fitting: Option<usize> = None;
        let mut i = 0;
        while i < self.breaks.len() {
            let at = self.breaks[i];
            if at <= start {
                i += 1;
                continue;
            }
            if self.width(start..at) <= max_width + SLACK {
                fitting = Some(at);
                i += 1;
                continue;
            }
            if let Some(end) = fitting.take() {
                lines.push(start..end);
                start = self.skip_spaces(end);
                continue;
            }
            let end = self.longest_prefix(start, at, max_width);
            lines.push(start..end);
            start = end;
        }
        if start < self.text.len() || lines.is_empty() {
            lines.push(start..self.text.len());
        }
        lines
    }

    /// The end of the longest run of whole clusters from `start` (before `limit`) that fits; at
    /// least one cluster, so breaking always moves on.
    fn longest_prefix(&self, start: usize, limit: usize, max_width: f32) -> usize {
        let mut used = 0.0;
        let mut end = None;
        for at in start + 1..=limit {
            used += self.advance[at - 1];
            if !self.text.is_char_boundary(at) || !self.cuttable[at] {
                continue;
            }
            if used > max_width + SLACK && end.is_some() {
                break;
            }
            end = Some(at);
            if used > max_width + SLACK {
                break;
            }
        }
        end.unwrap_or(limit)
    }

    /// The rest of the text from `start`, shortened so that "…" fits after it on one line: cut
    /// after the last word that fits, or between clusters when even the first word is too long.
    fn shorten(&self, start: usize, max_width: f32, ellipsis: &Line) -> String {
        let room = max_width - ellipsis.width;
        let mut end = self
            .breaks
            .iter()
            .copied()
            .take_while(|&at| at <= start || self.width(start..at) <= room + SLACK)
            .last()
            .filter(|&at| at > start && self.width(start..at) >= room * 0.6)
            .unwrap_or(start);
        if end == start {
            end = start;
            let mut used = 0.0;
            for at in start + 1..=self.text.len() {
                used += self.advance[at - 1];
                if used > room + SLACK {
                    break;
                }
                if self.text.is_char_boundary(at) && self.cuttable[at] {
                    end = at;
                }
            }
        }
        let mut kept = self.text[start..end].trim_end().to_string();
        kept.push(ELLIPSIS);
        kept
    }
}

/// Shapes with a plan made once per face, direction and script on this thread: making the plan
/// anew for every run took about a quarter of a sheet's shaping and layout, and a sheet shapes
/// hundreds of runs in a handful of such combinations. A buffer with a language (never set here)
/// takes the uncached way.
fn shape_with_cached_plan(face: &fonts::Face, mut buffer: UnicodeBuffer) -> rustybuzz::GlyphBuffer {
    use std::cell::RefCell;
    use std::collections::HashMap;
    use std::rc::Rc;
    thread_local! {
        static PLANS: RefCell<HashMap<(FaceId, bool, u32), Rc<rustybuzz::ShapePlan>>> = RefCell::new(HashMap::new());
    }
    buffer.guess_segment_properties();
    if buffer.language().is_some() {
        return rustybuzz::shape(&face.shaper, &[], buffer);
    }
    let direction = buffer.direction();
    // `script()` answers UNKNOWN where the buffer has none (digits, punctuation): plan for none.
    let script = Some(buffer.script()).filter(|&s| s != rustybuzz::script::UNKNOWN);
    let key = (
        face.id,
        direction == Direction::RightToLeft,
        script.map_or(0, |s| s.tag().0),
    );
    let plan = PLANS.with(|plans| {
        plans
            .borrow_mut()
            .entry(key)
            .or_insert_with(|| Rc::new(rustybuzz::ShapePlan::new(&face.shaper, direction, script, None, &[])))
            .clone()
    });
    rustybuzz::shape_with_plan(&face.shaper, &plan, buffer)
}

#[cfg(test)]
mod tests {
    use super::*;

    const SIZE: f32 = 10.0;

    fn texts(lines: &[Line]) -> Vec<&str> {
        lines.iter().map(|l| l.text.as_str()).collect()
    }

    /// The text the glyphs stand for, in visual order.
    fn glyph_texts(line: &Line) -> String {
        line.glyphs.iter().map(|g| line.glyph_text(g)).collect()
    }

    #[test]
    fn latin_text_keeps_its_characters_and_widths_add_up() {
        let line = line("Gespräch Łódź Nguyễn", Style::Regular, SIZE, Dir::Ltr);
        assert_eq!(glyph_texts(&line), "Gespräch Łódź Nguyễn");
        assert!(line.glyphs.iter().all(|g| g.face.family == 0));
        let w = width("Gespräch", Style::Regular, SIZE);
        assert!(w > 30.0 && w < 50.0, "{w}");
        assert!(width("Gespräch", Style::Bold, SIZE) > w);
    }

    #[test]
    fn decomposed_vietnamese_is_composed_first() {
        let decomposed = "Nguye\u{0302}\u{0303}n";
        assert_eq!(printable(decomposed), "Nguyễn");
        let line = line(&printable(decomposed), Style::Regular, SIZE, Dir::Ltr);
        assert_eq!(line.glyphs.len(), 6, "one precomposed glyph for ễ");
    }

    #[test]
    fn a_paragraph_on_one_line_is_set_as_the_line_alone() {
        // A paragraph that fits on one line reuses its measuring shape when it is all left to
        // right; either way it must equal the line shaped on its own.
        for (text, dir) in [
            ("Gespräch Łódź Nguyễn Thị Hương", Dir::Ltr),
            ("Українська громада ї є ґ", Dir::Ltr),
            ("Verein „جمعية الصداقة“ Halle", Dir::Ltr),
            ("Verein جمعية 2024 الصداقة Halle", Dir::Ltr),
            ("جمعية Halle الصداقة", Dir::Auto),
            ("انجمن فرهنگی\u{200C}ها", Dir::Auto),
            ("Müller fi ffl 1–2 · Tết", Dir::Auto),
        ] {
            for style in [Style::Regular, Style::Bold] {
                let alone = line(&printable(text), style, SIZE, dir);
                assert_eq!(
                    wrap_anew(text, style, SIZE, 1_000.0, 3, dir),
                    vec![alone.clone()],
                    "{text}"
                );
                assert_eq!(wrap(text, style, SIZE, 1_000.0, 3, dir), vec![alone.clone()], "{text}");
                assert_eq!(
                    wrap(text, style, SIZE, 1_000.0, 3, dir),
                    vec![alone],
                    "{text}, remembered"
                );
            }
        }
    }

    #[test]
    fn a_remembered_paragraph_depends_on_every_setting() {
        let text = "Wir begleiten Geflüchtete beim Ankommen in Jena";
        let wide = wrap(text, Style::Regular, SIZE, 300.0, 3, Dir::Ltr);
        let narrow = wrap(text, Style::Regular, SIZE, 80.0, 3, Dir::Ltr);
        assert_eq!(wide.len(), 1);
        assert!(narrow.len() > 1);
        assert_eq!(wrap(text, Style::Regular, SIZE, 80.0, 1, Dir::Ltr).len(), 1);
        assert!(wrap(text, Style::Regular, SIZE, 80.0, 1, Dir::Ltr)[0]
            .text
            .ends_with(ELLIPSIS));
        assert!(wrap(text, Style::Bold, SIZE, 300.0, 3, Dir::Ltr)[0].width > wide[0].width);
        assert!(wrap(text, Style::Regular, SIZE * 2.0, 300.0, 3, Dir::Ltr).len() > 1);
        assert_eq!(wrap(text, Style::Regular, SIZE, 80.0, 3, Dir::Ltr), narrow);
    }

    #[test]
    fn arabic_is_joined_and_set_right_to_left() {
        let word = "جمعية";
        let line = line(word, Style::Regular, SIZE, Dir::Auto);
        assert!(line.glyphs.iter().all(|g| g.face.family == 1));
        // Visual order: the first letter (ج) is drawn rightmost.
        let rightmost = line.glyphs.iter().max_by(|a, b| a.x.total_cmp(&b.x)).unwrap();
        assert_eq!(line.glyph_text(rightmost), "ج");
        // Joined forms are other glyphs than the isolated letters.
        let isolated: Vec<u16> = word
            .chars()
            .map(|c| {
                fonts::face(line.glyphs[0].face)
                    .unwrap()
                    .shaper
                    .glyph_index(c)
                    .unwrap()
                    .0
            })
            .collect();
        let shaped: Vec<u16> = line.glyphs.iter().map(|g| g.gid).collect();
        assert!(isolated.iter().filter(|g| shaped.contains(g)).count() < word.chars().count());
        let mut logical: Vec<&Glyph> = line.glyphs.iter().collect();
        logical.sort_by_key(|g| g.text.start);
        let back: String = logical.iter().map(|g| line.glyph_text(g)).collect();
        assert_eq!(back, word);
    }

    #[test]
    fn arabic_inside_a_german_line_keeps_the_german_order() {
        let text = "Verein جمعية السورية e.V. in Halle";
        let line = line(text, Style::Regular, SIZE, Dir::Ltr);
        let first = line.glyphs.first().unwrap();
        let last = line.glyphs.last().unwrap();
        assert_eq!(line.glyph_text(first), "V");
        assert_eq!(line.glyph_text(last), "e");
        // "e.V." comes after the Arabic words on the line.
        let arabic_max = line
            .glyphs
            .iter()
            .filter(|g| g.face.family == 1 && !line.glyph_text(g).trim().is_empty())
            .map(|g| g.x)
            .fold(0.0, f32::max);
        let ev = line.glyphs.iter().find(|g| line.glyph_text(g) == ".").unwrap();
        assert!(ev.x > arabic_max);
    }

    #[test]
    fn persian_joiners_stay_and_print_nothing() {
        let text = "افغان\u{200C}ها";
        assert_eq!(printable(text), text);
        let line = line(text, Style::Regular, SIZE, Dir::Auto);
        assert_eq!(line.glyphs.len(), 7, "the joiner has no glyph");
    }

    #[test]
    fn wraps_at_spaces_within_the_width() {
        let text = "Sprachcafé für geflüchtete Frauen und Familien im Saale-Holzland-Kreis";
        let lines = wrap(text, Style::Regular, SIZE, 120.0, 10, Dir::Ltr);
        assert!(lines.len() > 2, "{:?}", texts(&lines));
        for l in &lines {
            assert!(l.width <= 120.0 + 0.5, "{} is {}", l.text, l.width);
        }
        let squeezed = |t: &str| t.replace(' ', "");
        assert_eq!(squeezed(&texts(&lines).concat()), squeezed(text));
        assert!(
            lines.iter().any(|l| l.text.ends_with("Saale-")),
            "breaks after a hyphen: {:?}",
            texts(&lines)
        );
    }

    #[test]
    fn long_words_are_cut_and_the_last_line_ends_with_an_ellipsis() {
        let long = "x".repeat(300);
        let lines = wrap(&long, Style::Regular, SIZE, 100.0, 3, Dir::Ltr);
        assert_eq!(lines.len(), 3);
        assert!(lines[2].text.ends_with(ELLIPSIS));
        for l in &lines {
            assert!(l.width <= 100.5, "{}", l.width);
        }
        let words = wrap(&"Wort ".repeat(200), Style::Regular, SIZE, 100.0, 2, Dir::Ltr);
        assert_eq!(words.len(), 2);
        assert!(
            words[1].text.ends_with(" Wort…") || words[1].text.ends_with("Wort…"),
            "{}",
            words[1].text
        );
        assert!(words[1].width <= 100.5);
    }

    #[test]
    fn empty_and_hostile_text() {
        assert_eq!(texts(&wrap("", Style::Regular, SIZE, 100.0, 3, Dir::Ltr)), vec![""]);
        assert_eq!(
            printable("Tab\tund\nZeilen\u{0}umbruch \u{200B}unsichtbar"),
            "Tab und Zeilen umbruch unsichtbar"
        );
        assert_eq!(printable("中文 Verein"), "?? Verein");
        assert_eq!(unprintable("中文 Verein 中"), vec!['中', '文']);
        assert!(unprintable("جمعية Українська Nguyễn").is_empty());
        let tiny = wrap("Gespräch", Style::Regular, SIZE, 0.0, 20, Dir::Ltr);
        assert!(tiny.len() >= 8, "one cluster per line at least: {:?}", texts(&tiny));
    }

    #[test]
    fn fit_shortens_with_an_ellipsis() {
        let fitted = fit(
            "Landesnetzwerk Migrantenorganisationen Sachsen-Anhalt",
            Style::Regular,
            SIZE,
            80.0,
            Dir::Ltr,
        );
        assert!(fitted.text.ends_with(ELLIPSIS), "{}", fitted.text);
        assert!(fitted.width <= 80.5);
        assert_eq!(fit("Jena", Style::Regular, SIZE, 80.0, Dir::Ltr).text, "Jena");
    }
}
