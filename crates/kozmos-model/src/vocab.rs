//! Shared vocabularies: codes are stored, labels are shown (German and English).
//! One source for the core, the CLI and the UI (which receives them through `vocabularies()`).

use std::collections::HashMap;
use std::sync::OnceLock;

use serde::Serialize;
use ts_rs::TS;

use crate::text::fold;

/// A vocabulary entry: stored code, German and English label.
#[derive(PartialEq, Eq, Hash)]
pub struct Term {
    pub code: &'static str,
    pub de: &'static str,
    pub en: &'static str,
}

const fn t(code: &'static str, de: &'static str, en: &'static str) -> Term {
    Term { code, de, en }
}

/// A theme with the numbers of the charitable purposes in § 52 (2) AO it maps to.
pub struct Theme {
    pub term: Term,
    pub para52: &'static [u8],
}

const fn th(code: &'static str, de: &'static str, en: &'static str, para52: &'static [u8]) -> Theme {
    Theme {
        term: t(code, de, en),
        para52,
    }
}

pub const THEMES: &[Theme] = &[
    th("bildung", "Bildung & Weiterbildung", "Education", &[7]),
    th("sprache", "Sprache & Sprachförderung", "Language learning", &[7]),
    th("kinder_jugend", "Kinder & Jugend", "Children & youth", &[4, 7]),
    th("senioren", "Seniorinnen & Senioren", "Older people", &[4]),
    th("kultur", "Kunst & Kultur", "Arts & culture", &[5]),
    th(
        "dialog",
        "Interkultureller Dialog & Völkerverständigung",
        "Intercultural dialogue",
        &[13],
    ),
    th(
        "integration",
        "Integration & Teilhabe",
        "Integration & participation",
        &[7, 10, 13],
    ),
    th("flucht", "Flucht & Asyl", "Refugees & asylum", &[10]),
    th(
        "antidiskriminierung",
        "Antidiskriminierung & Antirassismus",
        "Anti-discrimination",
        &[10, 13],
    ),
    th(
        "demokratie",
        "Demokratie & politische Bildung",
        "Democracy & civic education",
        &[24, 7],
    ),
    th("engagement", "Ehrenamt & Engagement", "Volunteering", &[25]),
    th(
        "gleichstellung",
        "Gleichberechtigung & Frauen",
        "Gender equality",
        &[18],
    ),
    th("queer", "Queere Menschen (LSBTIQ*)", "LGBTIQ*", &[10]),
    th("familie", "Familie", "Families", &[19]),
    th("gesundheit", "Gesundheit", "Health", &[3]),
    th("soziales", "Soziales & Wohlfahrt", "Social welfare", &[9]),
    th("sport", "Sport & Bewegung", "Sport", &[21]),
    th(
        "religion",
        "Religion & interreligiöser Dialog",
        "Religion & interfaith",
        &[2, 13],
    ),
    th("umwelt", "Umwelt & Klima", "Environment & climate", &[8]),
    th(
        "entwicklung",
        "Eine Welt & Entwicklung",
        "Development cooperation",
        &[15],
    ),
    th("arbeit", "Arbeit & Beruf", "Employment & vocational training", &[7]),
    th(
        "erinnerung",
        "Heimat- & Erinnerungskultur",
        "Heritage & remembrance",
        &[22, 6, 10],
    ),
];

pub const TARGET_GROUPS: &[Term] = &[
    t("children", "Kinder", "Children"),
    t("youth", "Jugendliche", "Youth"),
    t("women", "Frauen", "Women"),
    t("families", "Familien", "Families"),
    t("refugees", "Geflüchtete", "Refugees"),
    t("newcomers", "Neuzugewanderte", "Newcomers"),
    t("older_people", "Ältere Menschen", "Older people"),
    t("disabilities", "Menschen mit Behinderung", "People with disabilities"),
    t("everyone", "Alle", "Everyone"),
];

/// Kinds of support: what foundations offer and what associations seek.
pub const SUPPORT_KINDS: &[Term] = &[
    t("project", "Projektförderung", "Project funding"),
    t("small_grants", "Kleinförderung / Sachmittel", "Small grants / in-kind"),
    t("staff_structure", "Personal / Struktur", "Staff / structure"),
    t("events", "Veranstaltungen", "Events"),
    t("training", "Qualifizierung", "Training"),
    t("advice", "Beratung", "Advice"),
];

pub const LEGAL_FORMS: &[Term] = &[
    t("ev", "eingetragener Verein (e.V.)", "Registered association (e.V.)"),
    t("ggmbh", "gGmbH", "Non-profit limited company (gGmbH)"),
    t(
        "initiative",
        "nicht eingetragen / Initiative",
        "Not registered / initiative",
    ),
    t("other", "andere Rechtsform", "Other legal form"),
];

pub const FOUNDATION_LEGAL_FORMS: &[Term] = &[
    t(
        "rechtsfaehig",
        "rechtsfähige Stiftung bürgerlichen Rechts",
        "Independent foundation under civil law",
    ),
    t("treuhand", "Treuhandstiftung", "Trust foundation"),
    t("ggmbh", "gGmbH", "Non-profit limited company (gGmbH)"),
    t("buergerstiftung", "Bürgerstiftung", "Community foundation"),
    t("unternehmen", "Unternehmensstiftung", "Corporate foundation"),
    t("oeffentlich", "öffentlich-rechtliche Stiftung", "Public-law foundation"),
    t("other", "andere Rechtsform", "Other legal form"),
];

pub const FOUNDATION_KINDS: &[Term] = &[
    t("funding", "fördernd", "Funding"),
    t("operating", "operativ", "Operating"),
    t("both", "fördernd und operativ", "Funding and operating"),
];

pub const YES_NO: &[Term] = &[t("yes", "ja", "yes"), t("no", "nein", "no")];

pub const APPLICATION_ROUTES: &[Term] = &[
    t("open", "ganzjährig offen", "Open all year"),
    t("deadlines", "zu Stichtagen", "By deadlines"),
    t("invitation", "nur auf Einladung", "By invitation only"),
];

pub const FUNDING_AREAS: &[Term] = &[
    t("municipality", "Kommune", "Municipality"),
    t("district", "Landkreis(e)", "District(s)"),
    t("state", "Bundesland / Bundesländer", "Federal state(s)"),
    t("east", "Ostdeutschland", "East Germany"),
    t("nationwide", "bundesweit", "Nationwide"),
];

/// The stages of a cooperation, in order.
/// Stages after which nothing more is due.
pub const FINAL_STAGES: &[&str] = &["abgeschlossen", "abgelehnt", "zurueckgezogen"];

pub const STAGES: &[Term] = &[
    t("idee", "Idee", "Idea"),
    t("erstkontakt", "Erstkontakt", "First contact"),
    t("gespraech", "Gespräch", "Meeting"),
    t(
        "eingereicht",
        "Skizze/Antrag eingereicht",
        "Outline/application submitted",
    ),
    t("bewilligt", "bewilligt", "Granted"),
    t("abgelehnt", "abgelehnt", "Declined"),
    t("zurueckgezogen", "zurückgezogen", "Withdrawn"),
    t("laufend", "laufend", "Running"),
    t("bericht_faellig", "Bericht fällig", "Report due"),
    t("abgeschlossen", "abgeschlossen", "Completed"),
];

/// Kinds of activity log entries a user writes ("stage" entries are written automatically).
pub const ACTIVITY_KINDS: &[Term] = &[
    t("call", "Anruf", "Call"),
    t("email", "E-Mail", "E-mail"),
    t("meeting", "Treffen", "Meeting"),
    t("event", "Veranstaltung", "Event"),
    t("note", "Notiz", "Note"),
];

/// What a person can consent to.
pub const CONSENT_PURPOSES: &[Term] = &[
    t("store", "Speichern der Kontaktdaten", "Storing the contact data"),
    t(
        "share",
        "Weitergabe an das andere Netzwerk",
        "Sharing with the other network",
    ),
    t("print", "Nennung auf Profilblättern", "Printing on profile sheets"),
];

pub const CONSENT_STATUSES: &[Term] = &[
    t("given", "erteilt", "given"),
    t("withdrawn", "widerrufen", "withdrawn"),
];

pub const CONSENT_CHANNELS: &[Term] = &[
    t("in_person", "persönlich", "In person"),
    t("form", "Formular (unterschrieben)", "Signed form"),
    t("email", "E-Mail", "E-mail"),
    t("phone", "Telefon", "Phone"),
    t("letter", "Brief", "Letter"),
];

pub const CHARITABLE_STATUSES: &[Term] = &[
    t("recognised", "anerkannt", "Recognised"),
    t("applied", "beantragt", "Applied for"),
    t("none", "nicht gemeinnützig", "None"),
];

/// Kinds of notice from the tax office.
pub const NOTICE_KINDS: &[Term] = &[
    t(
        "freistellungsbescheid",
        "Freistellungsbescheid",
        "Exemption notice (Freistellungsbescheid)",
    ),
    t(
        "feststellung_60a",
        "Feststellung nach § 60a AO (vorläufig)",
        "Provisional notice (§ 60a AO)",
    ),
];

/// Networks an association can belong to.
pub const NETWORKS: &[Term] = &[
    t("lamsa", "LAMSA e.V. (Sachsen-Anhalt)", "LAMSA e.V. (Saxony-Anhalt)"),
    t("migranetz", "MigraNetz Thüringen e.V.", "MigraNetz Thüringen e.V."),
    t("none", "keinem Netzwerk", "No network"),
];

/// Networks with a KOZMOS office: the ones that maintain records and print contacts.
pub const OWNER_NETWORKS: &[Term] = SITE_NETWORKS.split_at(2).0;

/// Networks an installation can belong to.
pub const SITE_NETWORKS: &[Term] = &[
    t("lamsa", "LAMSA e.V. (Sachsen-Anhalt)", "LAMSA e.V. (Saxony-Anhalt)"),
    t("migranetz", "MigraNetz Thüringen e.V.", "MigraNetz Thüringen e.V."),
    t("other", "andere Stelle", "Other"),
];

pub const STATES: &[Term] = &[
    t("ST", "Sachsen-Anhalt", "Saxony-Anhalt"),
    t("TH", "Thüringen", "Thuringia"),
    t("SN", "Sachsen", "Saxony"),
    t("BB", "Brandenburg", "Brandenburg"),
    t("BE", "Berlin", "Berlin"),
    t("MV", "Mecklenburg-Vorpommern", "Mecklenburg-Western Pomerania"),
    t("BW", "Baden-Württemberg", "Baden-Württemberg"),
    t("BY", "Bayern", "Bavaria"),
    t("HB", "Bremen", "Bremen"),
    t("HH", "Hamburg", "Hamburg"),
    t("HE", "Hessen", "Hesse"),
    t("NI", "Niedersachsen", "Lower Saxony"),
    t("NW", "Nordrhein-Westfalen", "North Rhine-Westphalia"),
    t("RP", "Rheinland-Pfalz", "Rhineland-Palatinate"),
    t("SL", "Saarland", "Saarland"),
    t("SH", "Schleswig-Holstein", "Schleswig-Holstein"),
];

/// A district (Landkreis or kreisfreie Stadt): official key (AGS), name, state.
pub struct District {
    pub code: &'static str,
    pub name: &'static str,
    pub state: &'static str,
    pub city: bool,
}

const fn d(code: &'static str, name: &'static str, state: &'static str, city: bool) -> District {
    District {
        code,
        name,
        state,
        city,
    }
}

/// The districts of Saxony-Anhalt and Thuringia (status 2024).
pub const DISTRICTS: &[District] = &[
    d("15001", "Dessau-Roßlau", "ST", true),
    d("15002", "Halle (Saale)", "ST", true),
    d("15003", "Magdeburg", "ST", true),
    d("15081", "Altmarkkreis Salzwedel", "ST", false),
    d("15082", "Anhalt-Bitterfeld", "ST", false),
    d("15083", "Börde", "ST", false),
    d("15084", "Burgenlandkreis", "ST", false),
    d("15085", "Harz", "ST", false),
    d("15086", "Jerichower Land", "ST", false),
    d("15087", "Mansfeld-Südharz", "ST", false),
    d("15088", "Saalekreis", "ST", false),
    d("15089", "Salzlandkreis", "ST", false),
    d("15090", "Stendal", "ST", false),
    d("15091", "Wittenberg", "ST", false),
    d("16051", "Erfurt", "TH", true),
    d("16052", "Gera", "TH", true),
    d("16053", "Jena", "TH", true),
    d("16054", "Suhl", "TH", true),
    d("16055", "Weimar", "TH", true),
    d("16061", "Eichsfeld", "TH", false),
    d("16062", "Nordhausen", "TH", false),
    d("16063", "Wartburgkreis", "TH", false),
    d("16064", "Unstrut-Hainich-Kreis", "TH", false),
    d("16065", "Kyffhäuserkreis", "TH", false),
    d("16066", "Schmalkalden-Meiningen", "TH", false),
    d("16067", "Gotha", "TH", false),
    d("16068", "Sömmerda", "TH", false),
    d("16069", "Hildburghausen", "TH", false),
    d("16070", "Ilm-Kreis", "TH", false),
    d("16071", "Weimarer Land", "TH", false),
    d("16072", "Sonneberg", "TH", false),
    d("16073", "Saalfeld-Rudolstadt", "TH", false),
    d("16074", "Saale-Holzland-Kreis", "TH", false),
    d("16075", "Saale-Orla-Kreis", "TH", false),
    d("16076", "Greiz", "TH", false),
    d("16077", "Altenburger Land", "TH", false),
];

pub const BUDGET_BANDS: &[Term] = &[
    t("none", "kein Budget", "No budget"),
    t("under_5k", "unter 5.000 €", "under €5,000"),
    t("5k_20k", "5.000–20.000 €", "€5,000–20,000"),
    t("20k_50k", "20.000–50.000 €", "€20,000–50,000"),
    t("50k_100k", "50.000–100.000 €", "€50,000–100,000"),
    t("100k_250k", "100.000–250.000 €", "€100,000–250,000"),
    t("over_250k", "über 250.000 €", "over €250,000"),
];

pub const STATUSES: &[Term] = &[
    t("active", "aktiv", "Active"),
    t("dormant", "ruhend", "Dormant"),
    t("dissolved", "aufgelöst", "Dissolved"),
];

/// Languages (ISO 639-1, or 639-3 where no two-letter code exists).
pub const LANGUAGES: &[Term] = &[
    t("de", "Deutsch", "German"),
    t("en", "Englisch", "English"),
    t("ar", "Arabisch", "Arabic"),
    t("fa", "Persisch (Farsi)", "Persian (Farsi)"),
    t("prs", "Dari", "Dari"),
    t("ps", "Paschtu", "Pashto"),
    t("ku", "Kurdisch", "Kurdish"),
    t("uk", "Ukrainisch", "Ukrainian"),
    t("ru", "Russisch", "Russian"),
    t("be", "Belarussisch", "Belarusian"),
    t("vi", "Vietnamesisch", "Vietnamese"),
    t("tr", "Türkisch", "Turkish"),
    t("pl", "Polnisch", "Polish"),
    t("ro", "Rumänisch", "Romanian"),
    t("bg", "Bulgarisch", "Bulgarian"),
    t("cs", "Tschechisch", "Czech"),
    t("sk", "Slowakisch", "Slovak"),
    t("hu", "Ungarisch", "Hungarian"),
    t("sr", "Serbisch", "Serbian"),
    t("hr", "Kroatisch", "Croatian"),
    t("bs", "Bosnisch", "Bosnian"),
    t("mk", "Mazedonisch", "Macedonian"),
    t("sq", "Albanisch", "Albanian"),
    t("el", "Griechisch", "Greek"),
    t("it", "Italienisch", "Italian"),
    t("es", "Spanisch", "Spanish"),
    t("pt", "Portugiesisch", "Portuguese"),
    t("fr", "Französisch", "French"),
    t("nl", "Niederländisch", "Dutch"),
    t("lt", "Litauisch", "Lithuanian"),
    t("lv", "Lettisch", "Latvian"),
    t("et", "Estnisch", "Estonian"),
    t("ka", "Georgisch", "Georgian"),
    t("hy", "Armenisch", "Armenian"),
    t("az", "Aserbaidschanisch", "Azerbaijani"),
    t("kk", "Kasachisch", "Kazakh"),
    t("uz", "Usbekisch", "Uzbek"),
    t("tg", "Tadschikisch", "Tajik"),
    t("he", "Hebräisch", "Hebrew"),
    t("ti", "Tigrinya", "Tigrinya"),
    t("am", "Amharisch", "Amharic"),
    t("so", "Somali", "Somali"),
    t("sw", "Swahili", "Swahili"),
    t("ha", "Hausa", "Hausa"),
    t("yo", "Yoruba", "Yoruba"),
    t("ig", "Igbo", "Igbo"),
    t("wo", "Wolof", "Wolof"),
    t("ln", "Lingala", "Lingala"),
    t("ur", "Urdu", "Urdu"),
    t("hi", "Hindi", "Hindi"),
    t("bn", "Bengalisch", "Bengali"),
    t("ta", "Tamil", "Tamil"),
    t("ne", "Nepali", "Nepali"),
    t("zh", "Chinesisch", "Chinese"),
    t("ko", "Koreanisch", "Korean"),
    t("ja", "Japanisch", "Japanese"),
    t("th", "Thai", "Thai"),
    t("id", "Indonesisch", "Indonesian"),
    t("tl", "Tagalog", "Tagalog"),
    t("hsb", "Obersorbisch", "Upper Sorbian"),
    t("gsg", "Deutsche Gebärdensprache", "German Sign Language"),
];

pub fn theme(code: &str) -> Option<&'static Theme> {
    THEMES.iter().find(|th| th.term.code == code)
}

pub fn district(code: &str) -> Option<&'static District> {
    DISTRICTS.iter().find(|d| d.code == code)
}

/// The search words of a district: its name, folded (`text::fold`).
pub fn district_search_words(code: &str) -> Option<&'static str> {
    search_words().0.get(code).map(String::as_str)
}

/// The search words of a theme: its German and English names, folded, with a space between.
pub fn theme_search_words(code: &str) -> Option<&'static str> {
    search_words().1.get(code).map(String::as_str)
}

type WordsByCode = HashMap<&'static str, String>;

/// Districts' and themes' search words by code, folded once: every search key of associations
/// and foundations takes them (folding them anew for each was a third of a key's work).
fn search_words() -> &'static (WordsByCode, WordsByCode) {
    static WORDS: OnceLock<(WordsByCode, WordsByCode)> = OnceLock::new();
    WORDS.get_or_init(|| {
        let districts = DISTRICTS.iter().map(|d| (d.code, fold(d.name)));
        let themes = THEMES
            .iter()
            .map(|t| (t.term.code, format!("{} {}", fold(t.term.de), fold(t.term.en))));
        (districts.collect(), themes.collect())
    })
}

pub fn find<'a>(terms: &'a [Term], code: &str) -> Option<&'a Term> {
    terms.iter().find(|t| t.code == code)
}

/// Years a tax-office notice of this kind counts as current.
pub fn notice_validity_years(kind: &str) -> Option<i32> {
    match kind {
        "freistellungsbescheid" => Some(5),
        "feststellung_60a" => Some(3),
        _ => None,
    }
}

// ---- Every vocabulary by name ----------------------------------------------------------------

/// A vocabulary as a whole: what code fields and command-line flags name, what `kozmos vocab`
/// lists, and what an error for an unknown code points to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Vocab {
    Themes,
    TargetGroups,
    SupportKinds,
    LegalForms,
    FoundationLegalForms,
    FoundationKinds,
    CharitableStatuses,
    NoticeKinds,
    Networks,
    SiteNetworks,
    OwnerNetworks,
    States,
    Districts,
    BudgetBands,
    Statuses,
    Languages,
    YesNo,
    ApplicationRoutes,
    FundingAreas,
    Stages,
    ActivityKinds,
    ConsentPurposes,
    ConsentStatuses,
    ConsentChannels,
}

/// A vocabulary entry as (code, German label, English label).
pub type TermTriple = (&'static str, &'static str, &'static str);

/// More codes than this are not spelled out in an error message; it names `kozmos vocab` instead.
pub const SHORT_MAX: usize = 12;

impl Vocab {
    pub const ALL: &'static [Vocab] = &[
        Vocab::Themes,
        Vocab::TargetGroups,
        Vocab::SupportKinds,
        Vocab::LegalForms,
        Vocab::FoundationLegalForms,
        Vocab::FoundationKinds,
        Vocab::CharitableStatuses,
        Vocab::NoticeKinds,
        Vocab::Networks,
        Vocab::SiteNetworks,
        Vocab::OwnerNetworks,
        Vocab::States,
        Vocab::Districts,
        Vocab::BudgetBands,
        Vocab::Statuses,
        Vocab::Languages,
        Vocab::YesNo,
        Vocab::ApplicationRoutes,
        Vocab::FundingAreas,
        Vocab::Stages,
        Vocab::ActivityKinds,
        Vocab::ConsentPurposes,
        Vocab::ConsentStatuses,
        Vocab::ConsentChannels,
    ];

    /// Name (as `kozmos vocab NAME` takes it), placeholder of a flag taking one code, German
    /// and English title.
    fn about(self) -> (&'static str, &'static str, &'static str, &'static str) {
        match self {
            Vocab::Themes => ("themes", "THEME", "Themen", "Themes"),
            Vocab::TargetGroups => ("target-groups", "TARGET-GROUP", "Zielgruppen", "Target groups"),
            Vocab::SupportKinds => ("support-kinds", "SUPPORT-KIND", "Förderarten", "Kinds of support"),
            Vocab::LegalForms => (
                "legal-forms",
                "LEGAL-FORM",
                "Rechtsformen (Vereine)",
                "Legal forms (associations)",
            ),
            Vocab::FoundationLegalForms => (
                "foundation-legal-forms",
                "FOUNDATION-LEGAL-FORM",
                "Rechtsformen (Stiftungen)",
                "Legal forms (foundations)",
            ),
            Vocab::FoundationKinds => (
                "foundation-kinds",
                "FOUNDATION-KIND",
                "Arten von Stiftungen",
                "Kinds of foundation",
            ),
            Vocab::CharitableStatuses => (
                "charitable-statuses",
                "CHARITABLE-STATUS",
                "Gemeinnützigkeit",
                "Charitable status",
            ),
            Vocab::NoticeKinds => ("notice-kinds", "NOTICE-KIND", "Arten von Bescheiden", "Kinds of notice"),
            Vocab::Networks => (
                "networks",
                "NETWORK",
                "Netzwerke eines Vereins",
                "Networks of an association",
            ),
            Vocab::SiteNetworks => (
                "site-networks",
                "SITE-NETWORK",
                "Netzwerke einer Installation",
                "Networks of an installation",
            ),
            Vocab::OwnerNetworks => (
                "owner-networks",
                "OWNER-NETWORK",
                "Netzwerke mit KOZMOS-Stelle",
                "Networks with a KOZMOS office",
            ),
            Vocab::States => ("states", "STATE", "Bundesländer", "Federal states"),
            Vocab::Districts => ("districts", "DISTRICT", "Landkreise und kreisfreie Städte", "Districts"),
            Vocab::BudgetBands => ("budget-bands", "BUDGET-BAND", "Jahresbudgets", "Annual budgets"),
            Vocab::Statuses => ("statuses", "STATUS", "Status eines Vereins", "Status of an association"),
            Vocab::Languages => ("languages", "LANGUAGE", "Sprachen", "Languages"),
            Vocab::YesNo => ("yes-no", "YES-NO", "Ja/Nein", "Yes/no"),
            Vocab::ApplicationRoutes => (
                "application-routes",
                "APPLICATION-ROUTE",
                "Antragswege",
                "Application routes",
            ),
            Vocab::FundingAreas => ("funding-areas", "FUNDING-AREA", "Fördergebiete", "Funding areas"),
            Vocab::Stages => ("stages", "STAGE", "Phasen einer Kooperation", "Stages of a cooperation"),
            Vocab::ActivityKinds => (
                "activity-kinds",
                "ACTIVITY-KIND",
                "Arten von Verlaufseinträgen",
                "Kinds of log entry",
            ),
            Vocab::ConsentPurposes => (
                "consent-purposes",
                "CONSENT-PURPOSE",
                "Zwecke einer Einwilligung",
                "Consent purposes",
            ),
            Vocab::ConsentStatuses => (
                "consent-statuses",
                "CONSENT-STATUS",
                "Stand einer Einwilligung",
                "Consent statuses",
            ),
            Vocab::ConsentChannels => (
                "consent-channels",
                "CONSENT-CHANNEL",
                "Wege einer Einwilligung",
                "Consent channels",
            ),
        }
    }

    pub fn name(self) -> &'static str {
        self.about().0
    }

    /// The placeholder of a command-line flag that takes a code of this vocabulary.
    pub fn placeholder(self) -> &'static str {
        self.about().1
    }

    pub fn title(self) -> (&'static str, &'static str) {
        let (_, _, de, en) = self.about();
        (de, en)
    }

    /// The vocabulary of this name (`-` or `_` between words).
    pub fn parse(name: &str) -> Option<Vocab> {
        let name = name.trim().replace('_', "-");
        let name = if name == "needs" {
            "support-kinds"
        } else {
            name.as_str()
        };
        Vocab::ALL.iter().copied().find(|v| v.name() == name)
    }

    pub fn by_placeholder(placeholder: &str) -> Option<Vocab> {
        Vocab::ALL.iter().copied().find(|v| v.placeholder() == placeholder)
    }

    /// Every entry as (code, German label, English label); a district's label is its name.
    pub fn entries(self) -> Vec<TermTriple> {
        let plain = |list: &'static [Term]| list.iter().map(|t| (t.code, t.de, t.en)).collect();
        match self {
            Vocab::Themes => THEMES.iter().map(|t| (t.term.code, t.term.de, t.term.en)).collect(),
            Vocab::Districts => DISTRICTS.iter().map(|d| (d.code, d.name, d.name)).collect(),
            Vocab::TargetGroups => plain(TARGET_GROUPS),
            Vocab::SupportKinds => plain(SUPPORT_KINDS),
            Vocab::LegalForms => plain(LEGAL_FORMS),
            Vocab::FoundationLegalForms => plain(FOUNDATION_LEGAL_FORMS),
            Vocab::FoundationKinds => plain(FOUNDATION_KINDS),
            Vocab::CharitableStatuses => plain(CHARITABLE_STATUSES),
            Vocab::NoticeKinds => plain(NOTICE_KINDS),
            Vocab::Networks => plain(NETWORKS),
            Vocab::SiteNetworks => plain(SITE_NETWORKS),
            Vocab::OwnerNetworks => plain(OWNER_NETWORKS),
            Vocab::States => plain(STATES),
            Vocab::BudgetBands => plain(BUDGET_BANDS),
            Vocab::Statuses => plain(STATUSES),
            Vocab::Languages => plain(LANGUAGES),
            Vocab::YesNo => plain(YES_NO),
            Vocab::ApplicationRoutes => plain(APPLICATION_ROUTES),
            Vocab::FundingAreas => plain(FUNDING_AREAS),
            Vocab::Stages => plain(STAGES),
            Vocab::ActivityKinds => plain(ACTIVITY_KINDS),
            Vocab::ConsentPurposes => plain(CONSENT_PURPOSES),
            Vocab::ConsentStatuses => plain(CONSENT_STATUSES),
            Vocab::ConsentChannels => plain(CONSENT_CHANNELS),
        }
    }

    pub fn contains(self, code: &str) -> bool {
        self.entries().iter().any(|(c, _, _)| *c == code)
    }
}

/// For an error about an unknown code: the valid codes of the vocabularies (German, English),
/// or, when there are too many to read, the commands that list them.
pub fn valid_values(vocabs: &[Vocab]) -> (String, String) {
    let codes: Vec<&str> = vocabs
        .iter()
        .flat_map(|v| v.entries())
        .map(|(code, _, _)| code)
        .collect();
    if codes.len() <= SHORT_MAX {
        let codes = codes.join(", ");
        return (format!("Gültig sind: {codes}."), format!("Valid values: {codes}."));
    }
    let commands: Vec<String> = vocabs.iter().map(|v| format!("„kozmos vocab {}“", v.name())).collect();
    let commands_en: Vec<String> = vocabs
        .iter()
        .map(|v| format!("\"kozmos vocab {}\"", v.name()))
        .collect();
    (
        format!("Die gültigen Werte listet {}.", commands.join(" und ")),
        format!("{} lists the valid values.", commands_en.join(" and ")),
    )
}

// ---- The form the UI receives -------------------------------------------------------------

#[derive(Debug, Clone, Serialize, TS)]
pub struct VocabTerm {
    pub code: String,
    pub de: String,
    pub en: String,
}

#[derive(Debug, Clone, Serialize, TS)]
pub struct VocabTheme {
    pub code: String,
    pub de: String,
    pub en: String,
    pub para52: Vec<u8>,
}

#[derive(Debug, Clone, Serialize, TS)]
pub struct VocabDistrict {
    pub code: String,
    pub name: String,
    pub state: String,
    /// kreisfreie Stadt (true) or Landkreis (false)
    pub city: bool,
}

#[derive(Debug, Clone, Serialize, TS)]
pub struct Vocabularies {
    pub themes: Vec<VocabTheme>,
    pub target_groups: Vec<VocabTerm>,
    pub support_kinds: Vec<VocabTerm>,
    pub legal_forms: Vec<VocabTerm>,
    pub charitable_statuses: Vec<VocabTerm>,
    pub notice_kinds: Vec<VocabTerm>,
    pub networks: Vec<VocabTerm>,
    pub site_networks: Vec<VocabTerm>,
    pub states: Vec<VocabTerm>,
    pub districts: Vec<VocabDistrict>,
    pub budget_bands: Vec<VocabTerm>,
    pub statuses: Vec<VocabTerm>,
    pub languages: Vec<VocabTerm>,
    pub foundation_legal_forms: Vec<VocabTerm>,
    pub foundation_kinds: Vec<VocabTerm>,
    pub yes_no: Vec<VocabTerm>,
    pub application_routes: Vec<VocabTerm>,
    pub funding_areas: Vec<VocabTerm>,
    pub consent_purposes: Vec<VocabTerm>,
    pub consent_statuses: Vec<VocabTerm>,
    pub consent_channels: Vec<VocabTerm>,
    pub stages: Vec<VocabTerm>,
    pub activity_kinds: Vec<VocabTerm>,
}

fn terms(list: &[Term]) -> Vec<VocabTerm> {
    list.iter()
        .map(|t| VocabTerm {
            code: t.code.into(),
            de: t.de.into(),
            en: t.en.into(),
        })
        .collect()
}

pub fn vocabularies() -> Vocabularies {
    Vocabularies {
        themes: THEMES
            .iter()
            .map(|th| VocabTheme {
                code: th.term.code.into(),
                de: th.term.de.into(),
                en: th.term.en.into(),
                para52: th.para52.to_vec(),
            })
            .collect(),
        target_groups: terms(TARGET_GROUPS),
        support_kinds: terms(SUPPORT_KINDS),
        legal_forms: terms(LEGAL_FORMS),
        charitable_statuses: terms(CHARITABLE_STATUSES),
        notice_kinds: terms(NOTICE_KINDS),
        networks: terms(NETWORKS),
        site_networks: terms(SITE_NETWORKS),
        states: terms(STATES),
        districts: DISTRICTS
            .iter()
            .map(|d| VocabDistrict {
                code: d.code.into(),
                name: d.name.into(),
                state: d.state.into(),
                city: d.city,
            })
            .collect(),
        budget_bands: terms(BUDGET_BANDS),
        statuses: terms(STATUSES),
        languages: terms(LANGUAGES),
        foundation_legal_forms: terms(FOUNDATION_LEGAL_FORMS),
        foundation_kinds: terms(FOUNDATION_KINDS),
        yes_no: terms(YES_NO),
        application_routes: terms(APPLICATION_ROUTES),
        funding_areas: terms(FUNDING_AREAS),
        consent_purposes: terms(CONSENT_PURPOSES),
        consent_statuses: terms(CONSENT_STATUSES),
        consent_channels: terms(CONSENT_CHANNELS),
        stages: terms(STAGES),
        activity_kinds: terms(ACTIVITY_KINDS),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    fn assert_unique(codes: impl Iterator<Item = &'static str>) {
        let mut seen = HashSet::new();
        for c in codes {
            assert!(seen.insert(c), "duplicate code {c}");
        }
    }

    #[test]
    fn codes_are_unique() {
        assert_unique(THEMES.iter().map(|t| t.term.code));
        assert_unique(LANGUAGES.iter().map(|t| t.code));
        assert_unique(DISTRICTS.iter().map(|d| d.code));
        assert_unique(STATES.iter().map(|t| t.code));
    }

    #[test]
    fn every_vocabulary_is_found_by_its_name_and_placeholder() {
        assert_unique(Vocab::ALL.iter().map(|v| v.name()));
        assert_unique(Vocab::ALL.iter().map(|v| v.placeholder()));
        for v in Vocab::ALL {
            assert_eq!(Vocab::parse(&v.name().replace('-', "_")), Some(*v));
            assert_eq!(Vocab::by_placeholder(v.placeholder()), Some(*v));
            assert!(!v.entries().is_empty());
        }
        assert_eq!(Vocab::parse("needs"), Some(Vocab::SupportKinds));
        assert_eq!(Vocab::OwnerNetworks.entries().len(), 2);
    }

    #[test]
    fn districts_cover_both_states() {
        let st = DISTRICTS.iter().filter(|d| d.state == "ST").count();
        let th = DISTRICTS.iter().filter(|d| d.state == "TH").count();
        assert_eq!((st, th), (14, 22), "11+3 in Saxony-Anhalt, 17+5 in Thuringia");
        assert_eq!(district("16053").map(|d| d.name), Some("Jena"));
    }

    #[test]
    fn every_theme_maps_to_para52() {
        assert_eq!(THEMES.len(), 22);
        assert!(THEMES
            .iter()
            .all(|t| !t.para52.is_empty() && t.para52.iter().all(|n| (1..=26).contains(n))));
        assert_eq!(theme("integration").unwrap().para52, &[7, 10, 13]);
    }
}
