//! A cell's text as a draft value: lists split on ";" (else ","), vocabulary labels turned into
//! codes, the apostrophe that `csv_text` puts before formula-like cells removed again.

use serde_json::Value as Json;

use super::kind::ImportKind;
use crate::fields::{FieldInfo, FieldKind};
use crate::text::fold;

pub fn draft_value(kind: ImportKind, info: &FieldInfo, raw: &str) -> Json {
    let raw = unguard(raw.trim());
    if !info.kind.is_list() {
        return Json::String(to_code(kind, info.name, raw));
    }
    let separator = if raw.contains(';') { ';' } else { ',' };
    let items = raw
        .split(separator)
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|item| match info.kind {
            FieldKind::Codes => to_code(kind, info.name, item),
            _ => item.to_string(),
        })
        .map(Json::String)
        .collect();
    Json::Array(items)
}

/// Whether the cell says nothing (an empty cell leaves a stored value as it is).
pub fn is_blank(raw: &str) -> bool {
    raw.trim().is_empty()
}

fn unguard(raw: &str) -> &str {
    match raw.strip_prefix('\'') {
        Some(rest) if rest.starts_with(['=', '+', '-', '@']) => rest,
        _ => raw,
    }
}

/// A vocabulary label (German or English, folded) as its code; anything else unchanged, so the
/// domain validation reports it.
fn to_code(kind: ImportKind, field: &str, raw: &str) -> String {
    let Some(terms) = kind.terms(field) else {
        return raw.to_string();
    };
    if terms.iter().any(|(code, _, _)| *code == raw) {
        return raw.to_string();
    }
    let key = fold(raw);
    terms
        .iter()
        .find(|(code, de, en)| fold(code) == key || fold(de) == key || fold(en) == key)
        .map_or_else(|| raw.to_string(), |(code, _, _)| code.to_string())
}
