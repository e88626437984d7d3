//! Calendar export (RFC 5545): open follow-ups and foundation deadlines as all-day events that
//! Thunderbird, Outlook and Google Calendar import. Each event's UID is stable, so importing a newer
//! file updates the events instead of doubling them.

use std::fmt::Write as _;

use serde::Serialize;
use time::OffsetDateTime;
use ts_rs::TS;

use crate::cooperation::{self, CooperationQuery, CooperationSummary};
use crate::error::{Lang, Result};
use crate::listing::PAGE_LIMIT_MAX;
use crate::overview::{deadlines, Deadline};
use crate::store::Store;
use crate::vocab;

/// A calendar file and what it holds.
#[derive(Debug, Clone, Serialize, TS)]
pub struct CalendarExport {
    #[serde(skip)]
    #[ts(skip)]
    pub text: String,
    pub followups: u32,
    pub deadlines: u32,
}

/// Every open follow-up with a due date (overdue ones too) and every deadline from today on.
pub async fn export(store: &Store, lang: Lang, now: OffsetDateTime) -> Result<CalendarExport> {
    let mut followups = Vec::new();
    loop {
        let page = cooperation::list(
            store,
            &CooperationQuery {
                open_only: true,
                due_until: Some("9999-12-31".into()),
                offset: followups.len() as u32,
                limit: PAGE_LIMIT_MAX,
                ..Default::default()
            },
        )
        .await?;
        let done = page.items.is_empty() || followups.len() + page.items.len() >= page.total as usize;
        followups.extend(page.items);
        if done {
            break;
        }
    }
    let deadlines = deadlines(store, store.today(), None, u32::MAX).await?;
    Ok(CalendarExport {
        text: render(&followups, &deadlines, lang, now),
        followups: followups.len() as u32,
        deadlines: deadlines.len() as u32,
    })
}

/// One all-day event.
struct Event {
    uid: String,
    date: String,
    summary: String,
    description: String,
    category: &'static str,
    /// Days before the event to remind (0: on the day itself, at 9 o'clock).
    remind_days_before: u32,
}

/// The calendar text for these follow-ups and deadlines.
pub fn render(followups: &[CooperationSummary], deadlines: &[Deadline], lang: Lang, now: OffsetDateTime) -> String {
    let de = lang == Lang::De;
    let pick = |g: &str, e: &str| if de { g.to_string() } else { e.to_string() };
    let mut events: Vec<Event> = followups
        .iter()
        .filter_map(|c| {
            let date = c.next_step_due.clone()?;
            let step = c.next_step.clone().filter(|s| !s.trim().is_empty());
            let stage = vocab::find(vocab::STAGES, &c.stage).map_or(c.stage.as_str(), |t| if de { t.de } else { t.en });
            let mut description = format!(
                "{}: {}\n{}: {stage}",
                pick("Kooperation", "Cooperation"),
                c.idea,
                pick("Phase", "Stage")
            );
            if let Some(owner) = c.next_step_owner.as_deref().filter(|o| !o.trim().is_empty()) {
                let _ = write!(description, "\n{}: {owner}", pick("Zuständig", "Owner"));
            }
            Some(Event {
                uid: format!("followup-{}@kozmos", c.id),
                date,
                summary: format!(
                    "{}: {} × {}",
                    step.unwrap_or_else(|| pick("Nächster Schritt", "Next step")),
                    c.association_name,
                    c.foundation_name
                ),
                description,
                category: if de { "Nachfassen" } else { "Follow-up" },
                remind_days_before: 0,
            })
        })
        .collect();
    events.extend(deadlines.iter().map(|d| Event {
        uid: format!("deadline-{}-{}@kozmos", d.foundation_id, d.date),
        date: d.date.clone(),
        summary: format!(
            "{}: {}",
            pick("Antragsfrist", "Application deadline"),
            d.foundation_name
        ),
        description: if de {
            format!("Antragsfrist der Stiftung {}.", d.foundation_name)
        } else {
            format!("Application deadline of the foundation {}.", d.foundation_name)
        },
        category: if de { "Antragsfrist" } else { "Deadline" },
        remind_days_before: 7,
    }));
    events.sort_by(|x, y| x.date.cmp(&y.date).then_with(|| x.uid.cmp(&y.uid)));

    let stamp = utc_stamp(now);
    let mut lines = vec![
        "BEGIN:VCALENDAR".to_string(),
        "VERSION:2.0".into(),
        "PRODID:-//KOZMOS//KOZMOS desktop//DE".into(),
        "CALSCALE:GREGORIAN".into(),
        "METHOD:PUBLISH".into(),
        format!(
            "X-WR-CALNAME:{}",
            escape(&pick(
                "KOZMOS – Fristen und Nachfassen",
                "KOZMOS – deadlines and follow-ups"
            ))
        ),
    ];
    for e in &events {
        let Some((start, end)) = day_and_next(&e.date) else {
            continue;
        };
        let alarm = if e.remind_days_before == 0 {
            "TRIGGER:PT9H".to_string()
        } else {
            format!("TRIGGER:-P{}D", e.remind_days_before)
        };
        lines.extend([
            "BEGIN:VEVENT".to_string(),
            format!("UID:{}", e.uid),
            format!("DTSTAMP:{stamp}"),
            format!("DTSTART;VALUE=DATE:{start}"),
            format!("DTEND;VALUE=DATE:{end}"),
            format!("SUMMARY:{}", escape(&e.summary)),
            format!("DESCRIPTION:{}", escape(&e.description)),
            format!("CATEGORIES:{}", escape(e.category)),
            "TRANSP:TRANSPARENT".into(),
            "BEGIN:VALARM".into(),
            "ACTION:DISPLAY".into(),
            format!("DESCRIPTION:{}", escape(&e.summary)),
            alarm,
            "END:VALARM".into(),
            "END:VEVENT".into(),
        ]);
    }
    lines.push("END:VCALENDAR".into());
    let mut out = String::new();
    for line in &lines {
        fold_into(&mut out, line);
    }
    out
}

/// "2026-12-24" as the event's day and the day after (an all-day event ends the next day).
fn day_and_next(iso: &str) -> Option<(String, String)> {
    let day = crate::check::parse_date(iso)?;
    let next = day.next_day()?;
    let compact = |d: time::Date| format!("{:04}{:02}{:02}", d.year(), u8::from(d.month()), d.day());
    Some((compact(day), compact(next)))
}

fn utc_stamp(now: OffsetDateTime) -> String {
    let t = now.to_offset(time::UtcOffset::UTC);
    format!(
        "{:04}{:02}{:02}T{:02}{:02}{:02}Z",
        t.year(),
        u8::from(t.month()),
        t.day(),
        t.hour(),
        t.minute(),
        t.second()
    )
}

/// Escapes a TEXT value (RFC 5545, 3.3.11); control characters other than line breaks are dropped.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.replace("\r\n", "\n").chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\n' | '\r' => out.push_str("\\n"),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// Appends a content line folded at 75 octets (never inside a character), ending in CRLF.
fn fold_into(out: &mut String, line: &str) {
    let mut width = 0;
    for c in line.chars() {
        if width + c.len_utf8() > 75 {
            out.push_str("\r\n ");
            width = 1;
        }
        out.push(c);
        width += c.len_utf8();
    }
    out.push_str("\r\n");
}
