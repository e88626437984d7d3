//! The association profile sheet ("Vereinssteckbrief") and the cover of a meeting pack, laid out
//! on A4 from text that is ready to print (`Sheet`, filled by `crate::sheets`).
//!
//! A head (logo, name in both scripts, legal form and place, a QR code to the website), a box of
//! facts, then sections: mission, themes and target groups, activities, funders, the cooperation
//! sought, contacts. Sections are kept with their first lines; anything that does not fit flows to
//! the next page, which repeats the name and "Stand" in its header. Nothing is cut silently: long
//! texts end with "…" where the sheet limits them.

use std::sync::Arc;

use super::fonts::Style;
use super::image::Picture;
use super::layout::{Flow, Header, Running};
use super::page::{TextStyle, BRAND, CONTENT_WIDTH, INK, LINE, MARGIN_X, MUTED, RIGHT, TRACK};
use super::qr::Qr;
use super::shape::{Dir, Line};
use crate::error::{Lang, Result};

const NAME: TextStyle = TextStyle::new(Style::Bold, 17.0, BRAND);
const ORIGINAL: TextStyle = TextStyle::new(Style::Regular, 12.5, INK);
const PLACE: TextStyle = TextStyle::new(Style::Regular, 9.5, MUTED);
const SECTION: TextStyle = TextStyle::new(Style::Bold, 10.5, BRAND);
const LABEL: TextStyle = TextStyle::new(Style::Bold, 8.0, MUTED);
const BODY: TextStyle = TextStyle::new(Style::Regular, 9.5, INK);
const ENTRY: TextStyle = TextStyle::new(Style::Bold, 9.5, INK);
const DETAIL: TextStyle = TextStyle::new(Style::Regular, 8.5, MUTED);
/// Contact data (addresses, e-mail): small enough that an address fits a third of the width.
const CONTACT: TextStyle = TextStyle::new(Style::Regular, 8.5, INK);
const COVER_KICKER: TextStyle = TextStyle::new(Style::Regular, 11.0, MUTED);
const COVER_TITLE: TextStyle = TextStyle::new(Style::Bold, 22.0, BRAND);

const LOGO_BOX: f32 = 62.0;
const QR_SIDE: f32 = 60.0;
const HEAD_GAP: f32 = 14.0;
const BOX_PAD: f32 = 9.0;
const FACT_COLUMNS: usize = 3;
const FACT_GAP: f32 = 12.0;
const PROFILE_LABEL: f32 = 118.0;
const SECTION_GAP: f32 = 11.0;
const ENTRY_GAP: f32 = 5.0;
const MISSION_LINES: usize = 9;

/// One entry of a list on the sheet: an activity, an idea, a person.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Entry {
    pub title: String,
    /// The title in its original script, set in its own direction.
    pub title_original: Option<String>,
    /// A description, shortened to a few lines.
    pub text: Option<String>,
    /// Figures and facts, joined with " · ".
    pub details: Vec<String>,
}

/// Everything one sheet prints, as text in the sheet's language.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Sheet {
    pub lang: Lang,
    pub name: String,
    pub name_original: Option<String>,
    /// Legal form, place, district, network.
    pub place: Vec<String>,
    pub logo: Option<Arc<Picture>>,
    /// The website as a full address, for the QR code.
    pub website: Option<String>,
    /// Label and value of each fact in the box.
    pub facts: Vec<(String, String)>,
    pub mission: Option<String>,
    /// Said below the mission, e.g. that it is given in the other language.
    pub mission_note: Option<String>,
    /// Label and value: themes, target groups, languages, communities.
    pub profile: Vec<(String, String)>,
    pub activities: Vec<Entry>,
    pub more_activities: usize,
    pub funders: Vec<String>,
    pub ideas: Vec<Entry>,
    pub more_ideas: usize,
    /// Label and value of the kinds of support sought.
    pub support: Option<(String, String)>,
    /// The association's own address, e-mail, phone, website.
    pub address: Vec<String>,
    /// Contact persons who agreed to be printed.
    pub persons: Vec<Entry>,
    pub more_persons: usize,
    /// The network's KOZMOS contact.
    pub kozmos: Entry,
    /// The date the sheet reflects, as the language writes it.
    pub stand: String,
}

/// The cover of a meeting pack.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Cover {
    pub lang: Lang,
    pub foundation: String,
    /// The foundation's seat and kind, joined with " · ".
    pub foundation_place: Vec<String>,
    pub date: String,
    pub prepared_by: String,
    /// Each association: its name, original name and place.
    pub associations: Vec<Entry>,
}

pub(crate) struct Words {
    pub title: &'static str,
    pub subject: &'static str,
    as_of: &'static str,
    mission: &'static str,
    profile: &'static str,
    activities: &'static str,
    funders: &'static str,
    sought: &'static str,
    contact: &'static str,
    association: &'static str,
    persons: &'static str,
    kozmos: &'static str,
    pub pack: &'static str,
    pub pack_subject: &'static str,
    /// The title of a batch of sheets ("Vereinssteckbriefe").
    pub batch: &'static str,
    pack_kicker: &'static str,
    pack_contents: &'static str,
    prepared_by: &'static str,
    page: &'static str,
    nothing: &'static str,
}

impl Words {
    pub(crate) fn new(lang: Lang) -> Words {
        match lang {
            Lang::De => Words {
                title: "Vereinssteckbrief",
                subject: "Profil eines Vereins für das Gespräch mit Stiftungen (KOZMOS)",
                as_of: "Stand:",
                mission: "Ziele und Auftrag",
                profile: "Themen und Zielgruppen",
                activities: "Aktivitäten und Projekte",
                funders: "Bisherige Förderer und Partner",
                sought: "Gesuchte Kooperation",
                contact: "Kontakt",
                association: "Verein",
                persons: "Ansprechpersonen",
                kozmos: "KOZMOS",
                pack: "Mappe",
                batch: "Vereinssteckbriefe",
                pack_subject: "Vereinssteckbriefe für ein Gespräch mit einer Stiftung (KOZMOS)",
                pack_kicker: "Vereine für das Gespräch mit",
                pack_contents: "In dieser Mappe",
                prepared_by: "Vorbereitet von",
                page: "Seite",
                nothing: "Keine Vereine ausgewählt.",
            },
            Lang::En => Words {
                title: "Association profile",
                subject: "Profile of an association for meetings with foundations (KOZMOS)",
                as_of: "As of",
                mission: "Mission",
                profile: "Themes and target groups",
                activities: "Activities and projects",
                funders: "Previous funders and partners",
                sought: "Cooperation sought",
                contact: "Contact",
                association: "Association",
                persons: "Contact persons",
                kozmos: "KOZMOS",
                pack: "Meeting pack",
                batch: "Association profiles",
                pack_subject: "Association profiles for a meeting with a foundation (KOZMOS)",
                pack_kicker: "Associations for the meeting with",
                pack_contents: "In this pack",
                prepared_by: "Prepared by",
                page: "page",
                nothing: "No associations chosen.",
            },
        }
    }

    fn more(&self, lang: Lang, n: usize) -> String {
        match lang {
            Lang::De => format!("und {n} weitere"),
            Lang::En => format!("and {n} more"),
        }
    }
}

/// The footer note and running header of a sheet.
pub fn running(sheet: &Sheet) -> Running {
    let words = Words::new(sheet.lang);
    let stamp = format!("{} {}", words.as_of, sheet.stand);
    Running {
        header: Some(Header {
            title: sheet.name.clone(),
            stamp: stamp.clone(),
        }),
        note: format!("{} · {stamp} · KOZMOS", words.title),
    }
}

/// The share of the designed space between blocks a sheet that would just spill onto a second
/// page may keep to fit on one, tried in this order.
const TIGHTER: &[f32] = &[0.7, 0.4];

/// One sheet laid out on its own pages: with the designed spacing, or the first tighter spacing
/// that makes it fit on one page (else the designed one, over two pages).
pub fn layout(sheet: &Sheet) -> Result<Flow> {
    let designed = layout_at(sheet, 1.0)?;
    if designed.page_number() == 1 {
        return Ok(designed);
    }
    for density in TIGHTER {
        let tight = layout_at(sheet, *density)?;
        if tight.page_number() == 1 {
            return Ok(tight);
        }
    }
    Ok(designed)
}

fn layout_at(sheet: &Sheet, density: f32) -> Result<Flow> {
    let words = Words::new(sheet.lang);
    let mut flow = Flow::new()?;
    flow.set_density(density);
    flow.begin_section(running(sheet));
    flow.start_at_top_edge();
    flow.bookmark(&sheet.name);
    head(&mut flow, sheet);
    facts(&mut flow, &sheet.facts);

    if let Some(mission) = &sheet.mission {
        let lines = flow.wrap(mission, &BODY, CONTENT_WIDTH, MISSION_LINES, Dir::Ltr);
        let note = sheet
            .mission_note
            .as_ref()
            .map(|n| flow.wrap(n, &DETAIL, CONTENT_WIDTH, 2, Dir::Ltr))
            .unwrap_or_default();
        let first = 2.0 * flow.line_height(&BODY);
        section_head(&mut flow, words.mission, first);
        flow.lines(MARGIN_X, &lines, &BODY);
        flow.lines(MARGIN_X, &note, &DETAIL);
        flow.gap(SECTION_GAP);
    }

    if !sheet.profile.is_empty() {
        let rows: Vec<_> = sheet.profile.iter().map(|(l, v)| labelled(&flow, l, v)).collect();
        section_head(&mut flow, words.profile, rows[0].height);
        for row in &rows {
            row.draw(&mut flow);
        }
        flow.gap(SECTION_GAP - ENTRY_GAP);
    }

    if !sheet.activities.is_empty() {
        entries(
            &mut flow,
            words.activities,
            &sheet.activities,
            sheet.more_activities,
            &words,
            sheet.lang,
        );
    }

    if !sheet.funders.is_empty() {
        let lines = flow.wrap(&sheet.funders.join(" · "), &BODY, CONTENT_WIDTH, 4, Dir::Ltr);
        let first = flow.line_height(&BODY);
        section_head(&mut flow, words.funders, first);
        flow.lines(MARGIN_X, &lines, &BODY);
        flow.gap(SECTION_GAP);
    }

    if !sheet.ideas.is_empty() || sheet.support.is_some() {
        let support = sheet.support.as_ref().map(|(l, v)| labelled(&flow, l, v));
        let first = if sheet.ideas.is_empty() {
            support.as_ref().map_or(0.0, |s| s.height)
        } else {
            entry_height(&flow, &sheet.ideas[0])
        };
        section_head(&mut flow, words.sought, first);
        for idea in &sheet.ideas {
            entry(&mut flow, idea);
        }
        more(&mut flow, sheet.more_ideas, &words, sheet.lang);
        if let Some(support) = support {
            support.draw(&mut flow);
        }
        flow.gap(SECTION_GAP - ENTRY_GAP);
    }

    contacts(&mut flow, sheet, &words);
    Ok(flow)
}

/// The head: logo left, QR code right, the names and place between them.
fn head(flow: &mut Flow, sheet: &Sheet) {
    let top = flow.y();
    let qr = sheet.website.as_deref().and_then(Qr::new);
    let left = MARGIN_X + if sheet.logo.is_some() { LOGO_BOX + HEAD_GAP } else { 0.0 };
    let right = RIGHT - if qr.is_some() { QR_SIDE + HEAD_GAP } else { 0.0 };
    let width = right - left;

    let mut lines: Vec<(Line, TextStyle)> = Vec::new();
    for line in flow.wrap(&sheet.name, &NAME, width, 3, Dir::Ltr) {
        lines.push((line, NAME));
    }
    if let Some(original) = &sheet.name_original {
        for line in flow.wrap(original, &ORIGINAL, width, 2, Dir::Auto) {
            lines.push((line, ORIGINAL));
        }
    }
    let place = sheet.place.join(" · ");
    if !place.is_empty() {
        for line in flow.wrap(&place, &PLACE, width, 2, Dir::Ltr) {
            lines.push((line, PLACE));
        }
    }
    let mut y = top;
    for (i, (line, style)) in lines.iter().enumerate() {
        if i > 0 && lines[i - 1].1 != *style {
            y += 2.0;
        }
        flow.line(left, y, line, style);
        y += line.height();
    }
    let mut bottom = y;
    if let Some(logo) = &sheet.logo {
        let scale = (LOGO_BOX / logo.width as f32).min(LOGO_BOX / logo.height as f32);
        let (w, h) = (logo.width as f32 * scale, logo.height as f32 * scale);
        flow.page().image(MARGIN_X, top, w, h, logo.clone());
        bottom = bottom.max(top + h);
    }
    if let Some(qr) = qr {
        qr.draw(flow.page(), RIGHT - QR_SIDE, top, QR_SIDE, INK);
        bottom = bottom.max(top + QR_SIDE);
    }
    flow.skip(bottom - top);
    flow.gap(10.0);
    let y = flow.y();
    flow.page().rect(MARGIN_X, y, CONTENT_WIDTH, 0.8, LINE);
    flow.gap(12.0);
}

/// The facts in a tinted box, three to a row, each a label over its value.
fn facts(flow: &mut Flow, facts: &[(String, String)]) {
    if facts.is_empty() {
        return;
    }
    let column = (CONTENT_WIDTH - 2.0 * BOX_PAD - (FACT_COLUMNS - 1) as f32 * FACT_GAP) / FACT_COLUMNS as f32;
    let cells: Vec<(Vec<Line>, Vec<Line>)> = facts
        .iter()
        .map(|(label, value)| {
            (
                flow.wrap(label, &LABEL, column, 2, Dir::Ltr),
                flow.wrap(value, &BODY, column, 3, Dir::Ltr),
            )
        })
        .collect();
    let cell_height = |c: &(Vec<Line>, Vec<Line>)| Flow::height(&c.0) + 1.0 + Flow::height(&c.1);
    let rows: Vec<&[(Vec<Line>, Vec<Line>)]> = cells.chunks(FACT_COLUMNS).collect();
    let heights: Vec<f32> = rows
        .iter()
        .map(|row| row.iter().map(cell_height).fold(0.0, f32::max))
        .collect();
    let row_gap = flow.spacing(6.0);
    let height = heights.iter().sum::<f32>() + (rows.len() - 1) as f32 * row_gap + 2.0 * BOX_PAD;
    flow.keep(height);
    let top = flow.y();
    flow.page().rect(MARGIN_X, top, CONTENT_WIDTH, height, TRACK);
    let mut y = top + BOX_PAD;
    for (row, row_height) in rows.iter().zip(&heights) {
        for (i, (label, value)) in row.iter().enumerate() {
            let x = MARGIN_X + BOX_PAD + i as f32 * (column + FACT_GAP);
            let mut line_top = y;
            for line in label {
                flow.line(x, line_top, line, &LABEL);
                line_top += line.height();
            }
            line_top += 1.0;
            for line in value {
                flow.line(x, line_top, line, &BODY);
                line_top += line.height();
            }
        }
        y += row_height + row_gap;
    }
    flow.skip(height);
    flow.gap(SECTION_GAP);
}

/// A section's heading, kept on the page with the first `first` pt of its content.
fn section_head(flow: &mut Flow, title: &str, first: f32) {
    let line = flow.fit(title, &SECTION, CONTENT_WIDTH);
    let height = flow.line_height(&SECTION) + 3.0;
    flow.keep(height + first);
    let y = flow.y();
    flow.line(MARGIN_X, y, &line, &SECTION);
    flow.skip(height);
}

/// A label left and its value wrapped beside it.
struct Labelled {
    label: Vec<Line>,
    value: Vec<Line>,
    height: f32,
}

fn labelled(flow: &Flow, label: &str, value: &str) -> Labelled {
    let label = flow.wrap(label, &LABEL, PROFILE_LABEL - 8.0, 2, Dir::Ltr);
    let value = flow.wrap(value, &BODY, CONTENT_WIDTH - PROFILE_LABEL, 4, Dir::Ltr);
    let height = Flow::height(&label).max(Flow::height(&value));
    Labelled {
        label,
        value,
        height: height + flow.spacing(ENTRY_GAP),
    }
}

impl Labelled {
    fn draw(&self, flow: &mut Flow) {
        flow.keep(self.height);
        let top = flow.y();
        // The label's baseline meets the value's first baseline.
        let first_value = self.value.first().map_or(0.0, |l| l.ascent);
        let mut y = top + first_value - self.label.first().map_or(0.0, |l| l.ascent);
        for line in &self.label {
            flow.line(MARGIN_X, y, line, &LABEL);
            y += line.height();
        }
        let mut y = top;
        for line in &self.value {
            flow.line(MARGIN_X + PROFILE_LABEL, y, line, &BODY);
            y += line.height();
        }
        flow.skip(self.height);
    }
}

struct EntryLines {
    title: Vec<Line>,
    original: Vec<Line>,
    text: Vec<Line>,
    details: Vec<Line>,
}

/// How an entry's details are set: run together (" · ") or one per line (contact data).
#[derive(Clone, Copy, PartialEq)]
enum Details {
    Joined,
    PerLine,
}

fn entry_lines(flow: &Flow, entry: &Entry, width: f32, details: Details) -> EntryLines {
    // A name and its original script share a line when both fit: "Olena Kovalenko · Олена Коваленко".
    let together = entry
        .title_original
        .as_ref()
        .map(|o| format!("{} · {o}", entry.title))
        .filter(|both| flow.width(both, &ENTRY) <= width);
    let (title, original) = match (&together, &entry.title_original) {
        (Some(both), _) => (flow.wrap(both, &ENTRY, width, 1, Dir::Ltr), Vec::new()),
        (None, original) => (
            flow.wrap(&entry.title, &ENTRY, width, 2, Dir::Ltr),
            original
                .as_ref()
                .map(|o| flow.wrap(o, &BODY, width, 2, Dir::Auto))
                .unwrap_or_default(),
        ),
    };
    let details = match details {
        _ if entry.details.is_empty() => Vec::new(),
        Details::Joined => flow.wrap(&entry.details.join(" · "), &DETAIL, width, 3, Dir::Ltr),
        Details::PerLine => entry
            .details
            .iter()
            .flat_map(|d| flow.wrap(d, &DETAIL, width, 2, Dir::Ltr))
            .collect(),
    };
    EntryLines {
        title,
        original,
        text: entry
            .text
            .as_ref()
            .map(|t| flow.wrap(t, &BODY, width, 3, Dir::Ltr))
            .unwrap_or_default(),
        details,
    }
}

impl EntryLines {
    fn height(&self) -> f32 {
        Flow::height(&self.title)
            + Flow::height(&self.original)
            + Flow::height(&self.text)
            + Flow::height(&self.details)
    }

    /// Draws the entry from `top` at `x`; returns its height.
    fn draw(&self, flow: &mut Flow, x: f32, top: f32) -> f32 {
        let mut y = top;
        for (lines, style) in [
            (&self.title, &ENTRY),
            (&self.original, &BODY),
            (&self.text, &BODY),
            (&self.details, &DETAIL),
        ] {
            for line in lines {
                flow.line(x, y, line, style);
                y += line.height();
            }
        }
        y - top
    }
}

fn entry_height(flow: &Flow, entry: &Entry) -> f32 {
    entry_lines(flow, entry, CONTENT_WIDTH, Details::Joined).height() + flow.spacing(ENTRY_GAP)
}

/// One entry across the content width, kept whole.
fn entry(flow: &mut Flow, entry: &Entry) {
    let lines = entry_lines(flow, entry, CONTENT_WIDTH, Details::Joined);
    flow.keep(lines.height() + flow.spacing(ENTRY_GAP));
    let top = flow.y();
    let height = lines.draw(flow, MARGIN_X, top);
    flow.skip(height);
    flow.gap(ENTRY_GAP);
}

fn more(flow: &mut Flow, n: usize, words: &Words, lang: Lang) {
    if n > 0 {
        let line = flow.fit(&words.more(lang, n), &DETAIL, CONTENT_WIDTH);
        flow.lines(MARGIN_X, &[line], &DETAIL);
        flow.gap(ENTRY_GAP);
    }
}

fn entries(flow: &mut Flow, title: &str, list: &[Entry], more_count: usize, words: &Words, lang: Lang) {
    section_head(flow, title, entry_height(flow, &list[0]));
    for e in list {
        entry(flow, e);
    }
    more(flow, more_count, words, lang);
    flow.gap(SECTION_GAP - ENTRY_GAP);
}

/// Contacts side by side: the association (address), the persons who agreed to be printed, and
/// the network's KOZMOS contact; a column without content is left out.
fn contacts(flow: &mut Flow, sheet: &Sheet, words: &Words) {
    let has_address = !sheet.address.is_empty();
    let has_persons = !sheet.persons.is_empty();
    let columns = 1 + usize::from(has_address) + usize::from(has_persons);
    let persons_column = usize::from(has_address);
    let gap = 16.0;
    let width = (CONTENT_WIDTH - gap * (columns - 1) as f32) / columns as f32;
    let x = |i: usize| MARGIN_X + i as f32 * (width + gap);
    let label = flow.line_height(&LABEL) + 2.0;

    let address: Vec<Line> = sheet
        .address
        .iter()
        .flat_map(|l| flow.wrap(l, &CONTACT, width, 2, Dir::Ltr))
        .collect();
    let persons: Vec<EntryLines> = sheet
        .persons
        .iter()
        .map(|p| entry_lines(flow, p, width, Details::PerLine))
        .collect();
    let more_line =
        (sheet.more_persons > 0).then(|| flow.fit(&words.more(sheet.lang, sheet.more_persons), &DETAIL, width));
    let kozmos = entry_lines(flow, &sheet.kozmos, width, Details::PerLine);

    let address_height = label + Flow::height(&address);
    let persons_height = label
        + persons
            .iter()
            .map(|p| p.height() + flow.spacing(ENTRY_GAP))
            .sum::<f32>()
        + more_line.as_ref().map_or(0.0, Line::height);
    let kozmos_height = label + kozmos.height();
    let height = kozmos_height
        .max(if has_address { address_height } else { 0.0 })
        .max(if has_persons { persons_height } else { 0.0 });
    section_head(flow, words.contact, height);
    let top = flow.y();

    let heading = |flow: &mut Flow, column: usize, text: &str| {
        let line = flow.fit(text, &LABEL, width);
        flow.line(x(column), top, &line, &LABEL);
    };
    if has_address {
        heading(flow, 0, words.association);
        let mut y = top + label;
        for line in &address {
            flow.line(x(0), y, line, &CONTACT);
            y += line.height();
        }
    }
    if has_persons {
        heading(flow, persons_column, words.persons);
        let mut y = top + label;
        for p in &persons {
            y += p.draw(flow, x(persons_column), y) + flow.spacing(ENTRY_GAP);
        }
        if let Some(line) = &more_line {
            flow.line(x(persons_column), y, line, &DETAIL);
        }
    }
    heading(flow, columns - 1, words.kozmos);
    kozmos.draw(flow, x(columns - 1), top + label);
    flow.skip(height);
}

/// The cover of a meeting pack: the foundation, the date, and the associations with the page
/// their sheet starts on.
pub fn cover(cover: &Cover, first_pages: &[usize]) -> Result<Flow> {
    let words = Words::new(cover.lang);
    let mut flow = Flow::new()?;
    flow.begin_section(Running {
        header: Some(Header {
            title: cover.foundation.clone(),
            stamp: cover.date.clone(),
        }),
        note: format!("{} · {} · KOZMOS", words.pack, cover.date),
    });
    flow.bookmark(&cover.foundation);
    flow.skip(40.0);
    let kicker = flow.fit(words.pack_kicker, &COVER_KICKER, CONTENT_WIDTH);
    flow.lines(MARGIN_X, &[kicker], &COVER_KICKER);
    flow.skip(4.0);
    let title = flow.wrap(&cover.foundation, &COVER_TITLE, CONTENT_WIDTH, 3, Dir::Ltr);
    flow.lines(MARGIN_X, &title, &COVER_TITLE);
    let place = cover.foundation_place.join(" · ");
    if !place.is_empty() {
        flow.skip(2.0);
        let lines = flow.wrap(&place, &PLACE, CONTENT_WIDTH, 2, Dir::Ltr);
        flow.lines(MARGIN_X, &lines, &PLACE);
    }
    flow.skip(10.0);
    let by = if cover.prepared_by.is_empty() {
        cover.date.clone()
    } else {
        format!("{} · {} {}", cover.date, words.prepared_by, cover.prepared_by)
    };
    let by = flow.wrap(&by, &BODY, CONTENT_WIDTH, 2, Dir::Ltr);
    flow.lines(MARGIN_X, &by, &BODY);
    flow.skip(18.0);
    let y = flow.y();
    flow.page().rect(MARGIN_X, y, CONTENT_WIDTH, 0.8, LINE);
    flow.skip(14.0);

    let first = flow.line_height(&ENTRY);
    section_head(&mut flow, words.pack_contents, first);
    if cover.associations.is_empty() {
        flow.paragraph(words.nothing, &BODY, 1);
    }
    let number_width = 24.0;
    let page_width = 60.0;
    let width = CONTENT_WIDTH - number_width - page_width;
    for (i, association) in cover.associations.iter().enumerate() {
        let lines = entry_lines(&flow, association, width, Details::Joined);
        flow.keep(lines.height() + ENTRY_GAP + 2.0);
        let top = flow.y();
        let number = flow.fit(&format!("{}.", i + 1), &ENTRY, number_width);
        flow.line(MARGIN_X, top, &number, &ENTRY);
        let height = lines.draw(&mut flow, MARGIN_X + number_width, top);
        if let Some(page) = first_pages.get(i) {
            let page = flow.fit(&format!("{} {page}", words.page), &DETAIL, page_width);
            flow.line_right(RIGHT, top + 1.0, &page, &DETAIL);
        }
        flow.skip(height + ENTRY_GAP + 2.0);
    }
    Ok(flow)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sheet_with(activities: usize) -> Sheet {
        Sheet {
            name: "Verein für Tests".into(),
            facts: vec![("Gründungsjahr".into(), "2012".into()); 6],
            mission: Some("Wir bringen Menschen zusammen. ".repeat(8)),
            activities: (0..activities)
                .map(|i| Entry {
                    title: format!("Aktivität {i}"),
                    text: Some("Jeden Mittwoch im Stadtteilzentrum, mit Kinderbetreuung.".into()),
                    details: vec!["2025".into(), "120 Menschen erreicht".into()],
                    ..Default::default()
                })
                .collect(),
            kozmos: Entry {
                title: "LAMSA e.V. – KOZMOS".into(),
                ..Default::default()
            },
            stand: "29.11.2026".into(),
            ..Default::default()
        }
    }

    fn texts(flow: Flow) -> Vec<String> {
        let (pages, _) = flow.finish(Lang::De);
        pages
            .iter()
            .flat_map(|p| &p.marks)
            .filter_map(|m| match m {
                crate::pdf::page::Mark::Text { line, .. } => Some(line.text.clone()),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn a_sheet_that_just_spills_over_is_set_tighter_to_fit_one_page() {
        let spills = (1..40)
            .find(|&n| layout_at(&sheet_with(n), 1.0).unwrap().page_number() == 2)
            .expect("enough activities spill onto a second page");
        let sheet = sheet_with(spills);
        let fitted = layout(&sheet).unwrap();
        assert_eq!(
            fitted.page_number(),
            1,
            "tighter spacing fits {spills} activities on one page"
        );
        let printed = texts(fitted);
        for i in 0..spills {
            assert!(printed.contains(&format!("Aktivität {i}")), "nothing left out: {i}");
        }
        // Far too much for one page: the designed spacing, over two pages.
        let long = sheet_with(spills + 12);
        assert_eq!(layout(&long).unwrap().page_number(), 2);
    }
}
