//! What the CLI prints: JSON with `--json`, else labelled lines in the user's language.

use std::io::Write;
use std::path::Path;

use serde::Serialize;
use serde_json::Value as Json;

use kozmos_core::association::{Association, AssociationSummary};
use kozmos_core::cooperation::{BoardColumn, Cooperation, CooperationSummary};
use kozmos_core::demo::DemoCounts;
use kozmos_core::error::{Error, Lang, Result};
use kozmos_core::fields::{label, FieldInfo, FieldKind};
use kozmos_core::foundation::{Foundation, FoundationSummary};
use kozmos_core::listing::Page;
use kozmos_core::matching::{Match, Reason};
use kozmos_core::person::{Person, PersonSummary};
use kozmos_core::search::{HitKind, SearchHit};
use kozmos_core::site::Installation;
use kozmos_core::vocab;
use kozmos_core::vocab::Vocab;

pub struct Printer {
    pub json: bool,
    pub lang: Lang,
}

fn io(e: std::io::Error) -> Error {
    if e.kind() == std::io::ErrorKind::BrokenPipe {
        // The reader (e.g. `head`) has all it wants: stop quietly, as command-line tools do.
        std::process::exit(0);
    }
    Error::Io(e.to_string())
}

impl Printer {
    pub fn de_en<'a>(&self, de: &'a str, en: &'a str) -> &'a str {
        self.lang.pick(de, en)
    }

    /// A number with its noun, one or many, in the printer's language: "1 Seite", "3 Seiten".
    pub fn count(&self, n: u64, de: [&str; 2], en: [&str; 2]) -> String {
        let [one, many] = if self.lang == Lang::De { de } else { en };
        format!("{n} {}", if n == 1 { one } else { many })
    }

    pub fn json_value(&self, out: &mut impl Write, value: &impl serde::Serialize) -> Result<()> {
        self.write_json(out, value)
    }

    fn write_json(&self, out: &mut impl Write, value: &impl serde::Serialize) -> Result<()> {
        let text = serde_json::to_string_pretty(value).map_err(|e| Error::Io(e.to_string()))?;
        writeln!(out, "{text}").map_err(io)
    }

    pub fn installation(&self, out: &mut impl Write, path: &Path, i: &Installation) -> Result<()> {
        if self.json {
            let mut value = serde_json::to_value(i).map_err(|e| Error::Io(e.to_string()))?;
            value["database"] = path.display().to_string().into();
            return self.write_json(out, &value);
        }
        let missing = self.de_en("(noch nicht eingerichtet)", "(not set up yet)");
        writeln!(out, "{}: {}", self.de_en("Datenbank", "Database"), path.display()).map_err(io)?;
        writeln!(out, "{}: {}", self.de_en("Installation", "Site id"), i.site_id).map_err(io)?;
        writeln!(
            out,
            "{}: {}",
            self.de_en("Netzwerk", "Network"),
            i.network.as_deref().unwrap_or(missing)
        )
        .map_err(io)?;
        writeln!(
            out,
            "{}: {}",
            self.de_en("Name", "Volunteer"),
            i.volunteer.as_deref().unwrap_or(missing)
        )
        .map_err(io)
    }

    /// A record: its name, id, and every field that has a value, labelled; JSON with `--json`.
    pub fn record<R: Serialize>(
        &self,
        out: &mut impl Write,
        record: &R,
        fields: &'static [FieldInfo],
        extra: &[(&str, &str)],
    ) -> Result<()> {
        if self.json {
            return self.write_json(out, record);
        }
        let json = serde_json::to_value(record).map_err(|e| Error::Io(e.to_string()))?;
        let text = |name: &str| json.get(name).and_then(Json::as_str).unwrap_or_default().to_string();
        writeln!(out, "{}", text("name")).map_err(io)?;
        writeln!(out, "  id: {}", text("id")).map_err(io)?;
        if text("life") != "alive" {
            writeln!(out, "  {}", self.de_en("(gelöscht)", "(deleted)")).map_err(io)?;
        }
        let title = text("name");
        for info in fields.iter().filter(|f| f.name != "name") {
            let shown = match (info.kind, json.get(info.name)) {
                (_, Some(Json::Array(items))) => items.iter().filter_map(Json::as_str).collect::<Vec<_>>().join(", "),
                (FieldKind::Money, Some(Json::Number(n))) => {
                    kozmos_core::text::format_euro(n.as_i64().unwrap_or_default(), self.lang)
                }
                (_, Some(Json::Number(n))) => n.to_string(),
                (_, Some(Json::String(s))) => s.clone(),
                _ => String::new(),
            };
            if !shown.is_empty() && shown != title {
                let label = label(fields, info.name, self.lang);
                writeln!(out, "  {label}: {}", shown.replace('\n', "\n    ")).map_err(io)?;
            }
        }
        for (label, value) in extra {
            writeln!(out, "  {label}: {value}").map_err(io)?;
        }
        Ok(())
    }

    pub fn association(&self, out: &mut impl Write, a: &Association) -> Result<()> {
        let logo = if a.has_logo {
            vec![("Logo", self.de_en("ja", "yes"))]
        } else {
            vec![]
        };
        self.record(out, a, kozmos_core::association::FIELDS, &logo)
    }

    pub fn foundation(&self, out: &mut impl Write, f: &Foundation) -> Result<()> {
        self.record(out, f, kozmos_core::foundation::FIELDS, &[])
    }

    pub fn person(&self, out: &mut impl Write, p: &Person) -> Result<()> {
        if self.json {
            return self.write_json(out, p);
        }
        let erased = self.de_en("(anonymisiert)", "(erased)");
        let unshared = self.de_en("(nicht mehr geteilt)", "(no longer shared)");
        let name = p
            .fields
            .name
            .clone()
            .unwrap_or_else(|| if p.withheld { unshared } else { erased }.to_string());
        let consents: Vec<String> = p
            .current_consent
            .iter()
            .map(|c| format!("{} {} ({})", c.purpose, c.status, c.date))
            .collect();
        let consent_line = consents.join(", ");
        let mut extra = vec![(self.de_en("Organisation", "Organisation"), p.parent_name.as_str())];
        if !consents.is_empty() {
            extra.push((self.de_en("Einwilligung", "Consent"), consent_line.as_str()));
        }
        if p.withheld {
            let (de, en) = kozmos_core::person::WITHHELD_NOTE;
            extra.push((self.de_en("Hinweis", "Note"), self.de_en(de, en)));
        }
        let mut shown = serde_json::to_value(p).map_err(|e| Error::Io(e.to_string()))?;
        shown["name"] = Json::from(name);
        self.record(out, &shown, kozmos_core::person::FIELDS, &extra)
    }

    pub fn cooperation(&self, out: &mut impl Write, c: &Cooperation) -> Result<()> {
        if self.json {
            return self.write_json(out, c);
        }
        let stage =
            vocab::find(vocab::STAGES, &c.fields.stage).map_or(c.fields.stage.as_str(), |t| self.de_en(t.de, t.en));
        let log: Vec<String> = c
            .activities
            .iter()
            .map(|a| {
                let what = match (&a.stage_from, &a.stage_to) {
                    (from, Some(to)) => format!("{} → {to}", from.as_deref().unwrap_or("–")),
                    _ => a.text.clone().unwrap_or_default(),
                };
                format!("{} {} {} ({})", a.date, a.kind, what, a.who.as_deref().unwrap_or(""))
            })
            .collect();
        let log = log.join("\n    ");
        let mut shown = serde_json::to_value(c).map_err(|e| Error::Io(e.to_string()))?;
        shown["name"] = Json::from(c.fields.idea.clone());
        shown["association_id"] = Json::from(c.association_name.clone());
        shown["foundation_id"] = Json::from(c.foundation_name.clone());
        shown["stage"] = Json::from(stage);
        self.record(
            out,
            &shown,
            kozmos_core::cooperation::FIELDS,
            &[(self.de_en("Verlauf", "Log"), log.as_str())],
        )
    }

    pub fn cooperations(&self, out: &mut impl Write, items: &[CooperationSummary]) -> Result<()> {
        if self.json {
            return self.write_json(out, &items);
        }
        for c in items {
            writeln!(
                out,
                "{}  {}  {}  {} ↔ {}",
                c.id, c.stage, c.idea, c.association_name, c.foundation_name
            )
            .map_err(io)?;
        }
        writeln!(out, "{} {}", self.de_en("Kooperationen:", "Cooperations:"), items.len()).map_err(io)
    }

    pub fn board(&self, out: &mut impl Write, columns: &[BoardColumn]) -> Result<()> {
        if self.json {
            return self.write_json(out, &columns);
        }
        for column in columns {
            let label =
                vocab::find(vocab::STAGES, &column.stage).map_or(column.stage.as_str(), |t| self.de_en(t.de, t.en));
            writeln!(out, "{label} ({})", column.total).map_err(io)?;
            for c in &column.items {
                writeln!(
                    out,
                    "  {}  {} ({} ↔ {})",
                    c.id, c.idea, c.association_name, c.foundation_name
                )
                .map_err(io)?;
            }
        }
        Ok(())
    }

    pub fn demo(&self, out: &mut impl Write, c: &DemoCounts, verb: &str, took: std::time::Duration) -> Result<()> {
        if self.json {
            return self.write_json(out, c);
        }
        let (a, f, p, k) = if self.lang == Lang::De {
            ("Vereine", "Stiftungen", "Personen", "Kooperationen")
        } else {
            ("associations", "foundations", "persons", "cooperations")
        };
        writeln!(
            out,
            "Demo: {} {a}, {} {f}, {} {p}, {} {k} {verb} ({:.1} s)",
            c.associations,
            c.foundations,
            c.persons,
            c.cooperations,
            took.as_secs_f64()
        )
        .map_err(io)
    }

    pub fn calendar(&self, out: &mut impl Write, c: &kozmos_core::calendar::CalendarExport, path: &Path) -> Result<()> {
        if self.json {
            let summary = serde_json::json!({"file": path, "followups": c.followups, "deadlines": c.deadlines});
            return self.write_json(out, &summary);
        }
        writeln!(
            out,
            "{}: {} ({} {}, {} {})",
            self.de_en("Kalender gespeichert", "Calendar saved"),
            path.display(),
            c.followups,
            self.de_en("Nachfassungen", "follow-ups"),
            c.deadlines,
            self.de_en("Antragsfristen", "deadlines"),
        )
        .map_err(io)
    }

    pub fn reports(&self, out: &mut impl Write, tables: &[kozmos_core::reports::ReportTable]) -> Result<()> {
        if self.json {
            return self.write_json(out, &tables);
        }
        for table in tables {
            writeln!(out, "{}", table.title(self.lang)).map_err(io)?;
            let heads: Vec<&str> = table.columns.iter().map(|c| self.de_en(&c.de, &c.en)).collect();
            writeln!(out, "  {:<44} {}", "", heads.join(" | ")).map_err(io)?;
            for row in &table.rows {
                let values: Vec<String> = row
                    .values
                    .iter()
                    .enumerate()
                    .map(|(i, v)| {
                        format!(
                            "{:>w$}",
                            table.format_value(i, *v, self.lang),
                            w = heads[i].chars().count()
                        )
                    })
                    .collect();
                writeln!(out, "  {:<44} {}", self.de_en(&row.de, &row.en), values.join(" | ")).map_err(io)?;
            }
            writeln!(out).map_err(io)?;
        }
        Ok(())
    }

    pub fn best(&self, out: &mut impl Write, table: &[kozmos_core::matching::BestFoundations]) -> Result<()> {
        if self.json {
            return self.write_json(out, &table);
        }
        for row in table.iter().filter(|r| !r.best.is_empty()) {
            writeln!(out, "{}", row.association_name).map_err(io)?;
            for pick in &row.best {
                let confidence = self.de_en("Sicherheit", "confidence");
                writeln!(
                    out,
                    "  {:>3}  {}  ({confidence} {} %)",
                    pick.score, pick.foundation_name, pick.confidence
                )
                .map_err(io)?;
            }
        }
        Ok(())
    }

    pub fn matches(&self, out: &mut impl Write, matches: &[Match], foundations: bool) -> Result<()> {
        if self.json {
            return self.write_json(out, &matches);
        }
        let text = |r: &Reason| {
            if self.lang == Lang::De {
                r.de.clone()
            } else {
                r.en.clone()
            }
        };
        for m in matches {
            let name = if foundations {
                &m.foundation_name
            } else {
                &m.association_name
            };
            let id = if foundations {
                &m.foundation_id
            } else {
                &m.association_id
            };
            let mark = if m.eligible {
                format!("{:>4}", m.score)
            } else {
                "  --".into()
            };
            writeln!(
                out,
                "{mark}  {name}  ({id}, {}: {} %)",
                self.de_en("Sicherheit", "confidence"),
                m.confidence
            )
            .map_err(io)?;
            for r in m.excluded_by.iter().chain(&m.reasons) {
                writeln!(
                    out,
                    "        {}{}",
                    if r.points > 0 {
                        format!("+{} ", r.points)
                    } else {
                        String::new()
                    },
                    text(r)
                )
                .map_err(io)?;
            }
            for r in &m.unknown {
                writeln!(out, "        ? {}", text(r)).map_err(io)?;
            }
        }
        writeln!(out, "{} {}", self.de_en("Treffer:", "Matches:"), matches.len()).map_err(io)
    }

    pub fn hits(&self, out: &mut impl Write, hits: &[SearchHit]) -> Result<()> {
        if self.json {
            return self.write_json(out, &hits);
        }
        for h in hits {
            let kind = match h.kind {
                HitKind::Association => self.de_en("Verein", "Association"),
                HitKind::Foundation => self.de_en("Stiftung", "Foundation"),
                HitKind::Person => self.de_en("Person", "Person"),
                HitKind::Cooperation => self.de_en("Kooperation", "Cooperation"),
            };
            writeln!(out, "{kind:<12} {}  {}  {}", h.id, h.name, h.detail).map_err(io)?;
        }
        writeln!(out, "{} {}", self.de_en("Treffer:", "Hits:"), hits.len()).map_err(io)
    }

    pub fn persons(&self, out: &mut impl Write, persons: &[PersonSummary]) -> Result<()> {
        if self.json {
            return self.write_json(out, &persons);
        }
        let erased = self.de_en("(anonymisiert)", "(erased)");
        let unshared = self.de_en("(nicht mehr geteilt)", "(no longer shared)");
        for p in persons {
            let name = p.name.as_deref().unwrap_or(if p.withheld { unshared } else { erased });
            writeln!(out, "{}  {}  {}", p.id, name, p.role.as_deref().unwrap_or("")).map_err(io)?;
        }
        writeln!(out, "{} {}", self.de_en("Personen:", "Persons:"), persons.len()).map_err(io)
    }

    pub fn foundation_page(&self, out: &mut impl Write, page: &Page<FoundationSummary>) -> Result<()> {
        if self.json {
            return self.write_json(out, &page.items);
        }
        for f in &page.items {
            writeln!(out, "{}  {}  {}", f.id, f.name, f.city.as_deref().unwrap_or("")).map_err(io)?;
        }
        self.page_summary(out, page, self.de_en("Stiftungen", "Foundations"))
    }

    pub fn association_page(&self, out: &mut impl Write, page: &Page<AssociationSummary>) -> Result<()> {
        if self.json {
            return self.write_json(out, &page.items);
        }
        for a in &page.items {
            let original = a
                .name_original
                .as_deref()
                .map(|o| format!(" ({o})"))
                .unwrap_or_default();
            let city = a.city.as_deref().unwrap_or("");
            writeln!(out, "{}  {}{}  {}", a.id, a.name, original, city).map_err(io)?;
        }
        self.page_summary(out, page, self.de_en("Vereine", "Associations"))
    }

    fn page_summary<T>(&self, out: &mut impl Write, page: &Page<T>, noun: &str) -> Result<()> {
        let (from, to) = (page.offset + 1, page.offset + page.items.len() as u32);
        let summary = if page.items.is_empty() {
            format!("0 / {}", page.total)
        } else {
            format!("{from}–{to} / {}", page.total)
        };
        writeln!(out, "{noun} {summary}").map_err(io)
    }

    /// Every vocabulary with the flags that take its codes.
    pub fn vocabularies(&self, out: &mut impl Write, flags: &[super::codes::CodeFlag]) -> Result<()> {
        let listed: Vec<Json> = Vocab::ALL
            .iter()
            .map(|v| {
                let (de, en) = v.title();
                let mut uses: Vec<(&str, Vec<&str>)> = Vec::new();
                for f in flags.iter().filter(|f| f.vocabs.contains(v)) {
                    match uses.iter_mut().find(|(flag, _)| *flag == f.flag) {
                        Some((_, commands)) => commands.push(&f.command),
                        None => uses.push((&f.flag, vec![&f.command])),
                    }
                }
                serde_json::json!({
                    "name": v.name(),
                    "de": de,
                    "en": en,
                    "codes": v.entries().len(),
                    "flags": uses.iter().map(|(flag, commands)| serde_json::json!({"flag": flag, "commands": commands})).collect::<Vec<_>>(),
                })
            })
            .collect();
        if self.json {
            return self.write_json(out, &listed);
        }
        for v in &listed {
            let title = self.de_en(
                v["de"].as_str().unwrap_or_default(),
                v["en"].as_str().unwrap_or_default(),
            );
            writeln!(
                out,
                "{}  ({title}, {} {})",
                v["name"].as_str().unwrap_or_default(),
                v["codes"],
                self.de_en("Werte", "values")
            )
            .map_err(io)?;
            for use_ in v["flags"].as_array().into_iter().flatten() {
                let commands: Vec<&str> = use_["commands"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .filter_map(Json::as_str)
                    .collect();
                writeln!(
                    out,
                    "    {:<24} {}",
                    use_["flag"].as_str().unwrap_or_default(),
                    commands.join(", ")
                )
                .map_err(io)?;
            }
        }
        writeln!(
            out,
            "{}",
            self.de_en(
                "Die Werte eines Verzeichnisses: kozmos vocab NAME",
                "The values of a vocabulary: kozmos vocab NAME"
            )
        )
        .map_err(io)
    }

    /// The codes of one vocabulary with their German and English labels.
    pub fn vocabulary(&self, out: &mut impl Write, name: &str) -> Result<()> {
        let Some(vocab) = Vocab::parse(name) else {
            let shown: String = name.chars().take(40).collect();
            return Err(Error::invalid(
                "vocabulary",
                "unknown_vocabulary",
                format!("Unbekanntes Verzeichnis „{shown}“. „kozmos vocab“ listet alle Verzeichnisse."),
                format!("Unknown vocabulary \"{shown}\". \"kozmos vocab\" lists every vocabulary."),
            ));
        };
        let entries = vocab.entries();
        if self.json {
            let terms: Vec<Json> = entries
                .iter()
                .map(|(code, de, en)| serde_json::json!({"code": code, "de": de, "en": en}))
                .collect();
            return self.write_json(out, &terms);
        }
        let code_width = entries.iter().map(|(c, _, _)| c.chars().count()).max().unwrap_or(0);
        let de_width = entries.iter().map(|(_, de, _)| de.chars().count()).max().unwrap_or(0);
        for (code, de, en) in entries {
            let line = match de == en {
                true => format!("{code:<code_width$}  {de}"),
                false => format!("{code:<code_width$}  {de:<de_width$}  {en}"),
            };
            writeln!(out, "{}", line.trim_end()).map_err(io)?;
        }
        Ok(())
    }
}
