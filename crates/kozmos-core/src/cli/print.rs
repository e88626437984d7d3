//! What the CLI prints: JSON with `--json`, else labelled lines in the user's language.

use std::io::Write;
use std::path::Path;

use crate::association::{field_label, Association, AssociationSummary, FieldKind, Page, FIELDS};
use crate::error::{Error, Lang, Result};
use crate::site::Installation;
use crate::store::{to_fields, Value};
use crate::vocab::{VocabTerm, Vocabularies};

pub struct Printer {
    pub json: bool,
    pub lang: Lang,
}

fn io(e: std::io::Error) -> Error {
    Error::Io(e.to_string())
}

impl Printer {
    fn de_en<'a>(&self, de: &'a str, en: &'a str) -> &'a str {
        if self.lang == Lang::De {
            de
        } else {
            en
        }
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

    pub fn association(&self, out: &mut impl Write, a: &Association) -> Result<()> {
        if self.json {
            return self.write_json(out, a);
        }
        writeln!(out, "{}", a.fields.name).map_err(io)?;
        writeln!(out, "  id: {}", a.id).map_err(io)?;
        if a.life != crate::store::Life::Alive {
            writeln!(out, "  {}", self.de_en("(gelöscht)", "(deleted)")).map_err(io)?;
        }
        let fields = to_fields(&crate::association::TABLE, &a.fields)?;
        for info in FIELDS.iter().filter(|f| f.name != "name") {
            let shown = match fields.get(info.name) {
                Some(Value::Text(s)) if matches!(info.kind, FieldKind::List | FieldKind::Codes) => {
                    serde_json::from_str::<Vec<String>>(s).unwrap_or_default().join(", ")
                }
                Some(Value::Text(s)) => s.clone(),
                Some(Value::Int(n)) => n.to_string(),
                _ => String::new(),
            };
            if !shown.is_empty() {
                writeln!(
                    out,
                    "  {}: {}",
                    field_label(info.name, self.lang),
                    shown.replace('\n', "\n    ")
                )
                .map_err(io)?;
            }
        }
        if a.has_logo {
            writeln!(out, "  Logo: {}", self.de_en("ja", "yes")).map_err(io)?;
        }
        Ok(())
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
        let (from, to) = (page.offset + 1, page.offset + page.items.len() as u32);
        let summary = if page.items.is_empty() {
            format!("0 / {}", page.total)
        } else {
            format!("{from}–{to} / {}", page.total)
        };
        writeln!(out, "{} {summary}", self.de_en("Vereine", "Associations")).map_err(io)
    }

    pub fn vocabulary(&self, out: &mut impl Write, name: &str, v: &Vocabularies) -> Result<()> {
        let terms: Vec<VocabTerm> = match name.replace('_', "-").as_str() {
            "themes" => v
                .themes
                .iter()
                .map(|t| VocabTerm {
                    code: t.code.clone(),
                    de: t.de.clone(),
                    en: t.en.clone(),
                })
                .collect(),
            "target-groups" => v.target_groups.clone(),
            "support-kinds" | "needs" => v.support_kinds.clone(),
            "legal-forms" => v.legal_forms.clone(),
            "charitable-statuses" => v.charitable_statuses.clone(),
            "notice-kinds" => v.notice_kinds.clone(),
            "networks" => v.networks.clone(),
            "states" => v.states.clone(),
            "districts" => v
                .districts
                .iter()
                .map(|d| VocabTerm {
                    code: d.code.clone(),
                    de: d.name.clone(),
                    en: d.name.clone(),
                })
                .collect(),
            "budget-bands" => v.budget_bands.clone(),
            "statuses" => v.statuses.clone(),
            "languages" => v.languages.clone(),
            other => {
                return Err(Error::invalid(
                    "vocabulary",
                    "unknown_vocabulary",
                    format!("Unbekanntes Verzeichnis „{other}“."),
                    format!("Unknown vocabulary \"{other}\"."),
                ))
            }
        };
        if self.json {
            return self.write_json(out, &terms);
        }
        for t in terms {
            writeln!(out, "{:<24} {}", t.code, self.de_en(&t.de, &t.en)).map_err(io)?;
        }
        Ok(())
    }
}
