//! The record of processing activities (Art. 30 DSGVO) as a printable document: controller, purposes,
//! data subjects, data categories (from the field lists: which fields are personal and which an
//! erasure blanks), recipients, retention (the set period), technical and organisational measures.

use crate::error::{Lang, Result};
use crate::fields::FieldInfo;
use crate::pdf::facts::{Block, FactsDocument, Section};
use crate::person::{CONSENT_FIELDS, FIELDS as PERSON_FIELDS, PERSONAL_FIELDS};
use crate::store::Store;
use crate::{site, vocab};

/// The record as PDF in `lang`, dated `generated` (local time).
pub async fn record_pdf(store: &Store, lang: Lang, generated: time::OffsetDateTime) -> Result<Vec<u8>> {
    let doc = record(store, lang, generated).await?;
    crate::pdf::facts::facts_pdf(&doc, lang, generated)
}

pub async fn record(store: &Store, lang: Lang, generated: time::OffsetDateTime) -> Result<FactsDocument> {
    let installation = site::load(store.pool()).await?;
    let years = super::retention::years(store).await?;
    let pick = |de: &str, en: &str| lang.pick(de, en).to_string();
    let date = crate::text::format_date(generated.date(), lang);
    let controller = installation
        .network
        .as_deref()
        .and_then(|n| vocab::find(vocab::SITE_NETWORKS, n))
        .map_or_else(
            || pick("(noch nicht festgelegt)", "(not set yet)"),
            |t| lang.pick(t.de, t.en).to_string(),
        );
    let other = match installation.network.as_deref() {
        Some("lamsa") => vocab::find(vocab::SITE_NETWORKS, "migranetz"),
        Some("migranetz") => vocab::find(vocab::SITE_NETWORKS, "lamsa"),
        _ => None,
    }
    .map_or_else(
        || pick("das andere Netzwerk", "the other network"),
        |t| lang.pick(t.de, t.en).to_string(),
    );

    let rows = |fields: &'static [FieldInfo], blanked: &dyn Fn(&str) -> bool| -> Vec<Vec<String>> {
        fields
            .iter()
            .map(|f| {
                vec![
                    lang.pick(f.de, f.en).to_string(),
                    if blanked(f.name) {
                        pick("geleert", "blanked")
                    } else {
                        pick("bleibt (ohne Personenbezug)", "kept (no longer personal)")
                    },
                ]
            })
            .collect()
    };
    let category_heads = vec![pick("Angabe", "Detail"), pick("Bei Löschung", "On erasure")];
    let mut person_rows = rows(PERSON_FIELDS, &|n| PERSONAL_FIELDS.contains(&n));
    person_rows.push(vec![
        pick(
            "Organisation (Verein oder Stiftung)",
            "Organisation (association or foundation)",
        ),
        pick("bleibt (ohne Personenbezug)", "kept (no longer personal)"),
    ]);
    let mut consent_rows = rows(CONSENT_FIELDS, &|n| n == "note");
    consent_rows.push(vec![
        pick("Erfasst von (Ehrenamtliche)", "Recorded by (volunteer)"),
        pick("bleibt", "kept"),
    ]);
    let purposes: Vec<String> = vocab::CONSENT_PURPOSES
        .iter()
        .map(|t| format!("{} ({})", lang.pick(t.de, t.en), t.code))
        .collect();

    let p = Block::Paragraph;
    Ok(FactsDocument {
        title: pick("Verzeichnis von Verarbeitungstätigkeiten (Art. 30 DSGVO)", "Record of processing activities (Art. 30 GDPR)"),
        subtitle: format!("KOZMOS · {controller} · {} {date}", pick("Stand", "as of")),
        stamp: format!("{} {date}", pick("Stand:", "As of")),
        note: format!("KOZMOS – {}", pick("Verzeichnis nach Art. 30 DSGVO", "record under Art. 30 GDPR")),
        subject: pick("Verzeichnis von Verarbeitungstätigkeiten", "Record of processing activities"),
        author: installation.volunteer.clone().unwrap_or_default(),
        sections: vec![
            Section {
                heading: pick("1. Verantwortliche Stelle", "1. Controller"),
                blocks: vec![Block::Facts(vec![
                    (pick("Verantwortlich", "Controller"), controller.clone()),
                    (pick("Ansprechperson dieser Installation", "Contact at this installation"), installation.volunteer.clone().unwrap_or_default()),
                    (pick("Kennung der Installation", "Installation id"), installation.site_id.clone()),
                ])],
            },
            Section {
                heading: pick("2. Zwecke der Verarbeitung", "2. Purposes of processing"),
                blocks: vec![
                    p(pick(
                        "Vermittlung zwischen Migrantenorganisationen und Stiftungen: Kontaktpersonen der Vereine und Stiftungen erreichen, Kooperationen von der Idee bis zum Bericht begleiten, Profilblätter für Gespräche mit Stiftungen drucken, die Daten mit dem anderen Netzwerk abgleichen.",
                        "Matching migrant organisations with foundations: reaching the contact persons of associations and foundations, following cooperations from idea to report, printing profile sheets for meetings with foundations, exchanging data with the other network.",
                    )),
                    p(format!("{}: {}.", pick("Einwilligungszwecke je Person", "Consent purposes per person"), purposes.join("; "))),
                ],
            },
            Section {
                heading: pick("3. Betroffene Personen", "3. Data subjects"),
                blocks: vec![p(pick(
                    "Kontaktpersonen von Vereinen und Stiftungen; Ehrenamtliche und Mitarbeitende der Netzwerke (als Erfassende von Einwilligungen und Aktivitäten). Angaben über Vereine und Stiftungen selbst sind keine personenbezogenen Daten. Staatsangehörigkeit und Religion werden nie gespeichert.",
                    "Contact persons of associations and foundations; volunteers and staff of the networks (as those who record consents and activities). Facts about associations and foundations are not personal data. Nationality and religion are never stored.",
                ))],
            },
            Section {
                heading: pick("4. Kategorien personenbezogener Daten", "4. Categories of personal data"),
                blocks: vec![
                    p(pick("Kontaktpersonen:", "Contact persons:")),
                    Block::Table { heads: category_heads.clone(), widths: vec![2.0, 1.5], rows: person_rows },
                    p(pick("Einwilligungen (Verlauf, je Zweck die neueste zählt):", "Consents (history; the newest per purpose counts):")),
                    Block::Table { heads: category_heads, widths: vec![2.0, 1.5], rows: consent_rows },
                    p(pick(
                        "Freitext im Kooperationsverlauf (Aktivitäten, nächster Schritt, Zuständig, Notizen) kann Personen nennen; bei Löschung einer Person werden ihre Namen dort durch „[gelöscht]“ ersetzt.",
                        "Free text in the cooperation history (activities, next step, owner, notes) may name persons; when a person is erased, their names there are replaced by \"[gelöscht]\".",
                    )),
                ],
            },
            Section {
                heading: pick("5. Empfänger", "5. Recipients"),
                blocks: vec![Block::Facts(vec![
                    (
                        other,
                        pick(
                            "über Sync-Dateien, die von Hand weitergegeben werden (eigene Verantwortliche). Personen nur mit Einwilligung „Weitergabe an das andere Netzwerk“ (Profil „mit Einwilligung“) oder gar nicht (Profil „ohne Personen“); Löschungen werden immer mitgegeben.",
                            "via sync files handed over by hand (a controller of its own). Persons only with consent \"sharing with the other network\" (profile \"consented\") or not at all (profile \"no persons\"); erasures always travel.",
                        ),
                    ),
                    (
                        pick("Stiftungen", "Foundations"),
                        pick(
                            "erhalten gedruckte Profilblätter; eine Kontaktperson steht nur darauf, wenn ihre neueste Einwilligung „Nennung auf Profilblättern“ erteilt ist.",
                            "receive printed profile sheets; a contact person appears only while their newest consent \"printing on profile sheets\" is given.",
                        ),
                    ),
                    (pick("Sonstige", "Others"), pick("keine; keine Übermittlung in Drittländer.", "none; no transfer to third countries.")),
                ])],
            },
            Section {
                heading: pick("6. Fristen für die Löschung", "6. Time limits for erasure"),
                blocks: vec![p(format!(
                    "{} {years} {}",
                    pick("Personen ohne Aktivität seit", "Persons without activity for"),
                    pick(
                        "Jahren (neueste eigene Änderung, Einwilligung, Aktivität oder Kooperation, die sie nennt) werden zur Prüfung aufgelistet und gesammelt gelöscht, wenn sie nicht mehr gebraucht werden. Auf Wunsch der Person wird sofort gelöscht.",
                        "years (newest own edit, consent, activity or cooperation naming them) are listed for review and erased in bulk when no longer needed. On the person's request, erasure is immediate.",
                    )
                ))],
            },
            Section {
                heading: pick("7. Technische und organisatorische Maßnahmen", "7. Technical and organisational measures"),
                blocks: vec![Block::Facts(vec![
                    (pick("Offline", "Offline"), pick("Die App arbeitet ohne Internet und lädt nichts nach; die Daten liegen nur auf diesem Rechner.", "The app works without internet and loads nothing remote; the data stays on this computer.")),
                    (pick("Sync-Dateien", "Sync files"), pick("Verschlüsselung mit Passphrase (age, scrypt), Prüfsumme; eine Datei wird vollständig geprüft, bevor etwas übernommen wird.", "Encryption with a passphrase (age, scrypt), checksum; a file is checked completely before anything is applied.")),
                    (pick("Sicherungskopien", "Backups"), pick("Vor jedem Import eine Kopie der Datenbank neben ihr (Ordner „backups“). Ältere Kopien enthalten auch später gelöschte Personen und sind mit zu löschen, wenn sie nicht mehr gebraucht werden.", "Before every import a copy of the database beside it (folder \"backups\"). Older copies also hold persons erased later and must be deleted when no longer needed.")),
                    (pick("Löschung", "Erasure"), pick("Endgültig, setzt sich beim Abgleich gegen jede Änderung durch; danach wird die Datenbankdatei neu geschrieben, sodass keine Spur der Person zurückbleibt.", "Final, wins over any edit in sync; the database file is then rewritten so no trace of the person remains.")),
                    (pick("Einwilligung", "Consent"), pick("Jede Einwilligung und jeder Widerruf wird mit Datum, Weg und Erfassenden festgehalten; Widerruf mit einem Klick.", "Every consent and withdrawal is kept with date, channel and who recorded it; withdrawing takes one click.")),
                    (pick("Auskunft", "Access"), pick("Alles über eine Person als JSON und PDF (Art. 15 DSGVO).", "Everything about a person as JSON and PDF (Art. 15 GDPR).")),
                ])],
            },
        ],
    })
}
