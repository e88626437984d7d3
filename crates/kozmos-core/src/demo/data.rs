//! Word pools for the demo data: real towns and districts of Saxony-Anhalt and Thuringia,
//! communities with names in their own script, fictitious foundations.

/// (town, district key, postcode, state)
pub const TOWNS: &[(&str, &str, &str, &str)] = &[
    ("Magdeburg", "15003", "39104", "ST"),
    ("Halle (Saale)", "15002", "06108", "ST"),
    ("Dessau-Roßlau", "15001", "06844", "ST"),
    ("Stendal", "15090", "39576", "ST"),
    ("Lutherstadt Wittenberg", "15091", "06886", "ST"),
    ("Halberstadt", "15085", "38820", "ST"),
    ("Wernigerode", "15085", "38855", "ST"),
    ("Quedlinburg", "15085", "06484", "ST"),
    ("Bernburg (Saale)", "15089", "06406", "ST"),
    ("Schönebeck (Elbe)", "15089", "39218", "ST"),
    ("Bitterfeld-Wolfen", "15082", "06749", "ST"),
    ("Köthen (Anhalt)", "15082", "06366", "ST"),
    ("Merseburg", "15088", "06217", "ST"),
    ("Weißenfels", "15084", "06667", "ST"),
    ("Naumburg (Saale)", "15084", "06618", "ST"),
    ("Sangerhausen", "15087", "06526", "ST"),
    ("Salzwedel", "15081", "29410", "ST"),
    ("Burg", "15086", "39288", "ST"),
    ("Haldensleben", "15083", "39340", "ST"),
    ("Erfurt", "16051", "99084", "TH"),
    ("Jena", "16053", "07743", "TH"),
    ("Gera", "16052", "07545", "TH"),
    ("Weimar", "16055", "99423", "TH"),
    ("Suhl", "16054", "98527", "TH"),
    ("Gotha", "16067", "99867", "TH"),
    ("Eisenach", "16063", "99817", "TH"),
    ("Nordhausen", "16062", "99734", "TH"),
    ("Mühlhausen/Thüringen", "16064", "99974", "TH"),
    ("Ilmenau", "16070", "98693", "TH"),
    ("Altenburg", "16077", "04600", "TH"),
    ("Saalfeld/Saale", "16073", "07318", "TH"),
    ("Sömmerda", "16068", "99610", "TH"),
    ("Greiz", "16076", "07973", "TH"),
    ("Meiningen", "16066", "98617", "TH"),
    ("Apolda", "16071", "99510", "TH"),
    ("Heilbad Heiligenstadt", "16061", "37308", "TH"),
];

/// A community: the German name of its associations, the same in its own script, the
/// languages used, and persons (name in Latin letters, name in own script).
pub struct Community {
    pub german: &'static [&'static str],
    pub original: &'static [&'static str],
    pub languages: &'static [&'static str],
    pub origin: &'static str,
    pub persons: &'static [(&'static str, &'static str)],
}

pub const COMMUNITIES: &[Community] = &[
    Community {
        german: &[
            "Syrisch-Deutscher Kulturverein",
            "Arabischer Elternverein",
            "Deutsch-Arabisches Begegnungszentrum",
        ],
        original: &[
            "الجمعية السورية الألمانية للثقافة",
            "جمعية أولياء الأمور العرب",
            "مركز اللقاء العربي الألماني",
        ],
        languages: &["ar", "de"],
        origin: "Syrien",
        persons: &[
            ("Ahmad Al-Hassan", "أحمد الحسن"),
            ("Rania Haddad", "رانيا حداد"),
            ("Mohammed Khalil", "محمد خليل"),
            ("Lina Nasser", "لينا ناصر"),
        ],
    },
    Community {
        german: &[
            "Ukrainische Gemeinde",
            "Ukrainischer Frauenverein",
            "Ukrainisches Kulturzentrum",
        ],
        original: &[
            "Українська громада",
            "Спілка українських жінок",
            "Український культурний центр",
        ],
        languages: &["uk", "ru", "de"],
        origin: "Ukraine",
        persons: &[
            ("Olena Kovalenko", "Олена Коваленко"),
            ("Andrii Shevchenko", "Андрій Шевченко"),
            ("Iryna Tkachenko", "Ірина Ткаченко"),
            ("Yurii Bondarenko", "Юрій Бондаренко"),
        ],
    },
    Community {
        german: &["Russischsprachiger Elternverein", "Verein der Deutschen aus Russland"],
        original: &["Русскоязычное родительское общество", "Общество немцев из России"],
        languages: &["ru", "de"],
        origin: "Russland, Kasachstan",
        persons: &[("Irina Petrova", "Ирина Петрова"), ("Sergej Wolkow", "Сергей Волков")],
    },
    Community {
        german: &["Vietnamesischer Verein", "Deutsch-Vietnamesische Gesellschaft"],
        original: &["Hội người Việt", "Hội hữu nghị Đức – Việt"],
        languages: &["vi", "de"],
        origin: "Vietnam",
        persons: &[("Nguyễn Thị Hương", ""), ("Trần Văn Nam", ""), ("Phạm Minh Đức", "")],
    },
    Community {
        german: &["Afghanischer Kulturverein", "Afghanischer Frauenverein"],
        original: &["انجمن فرهنگی افغان‌ها", "انجمن زنان افغان"],
        languages: &["prs", "ps", "de"],
        origin: "Afghanistan",
        persons: &[("Farid Ahmadi", "فرید احمدی"), ("Mariam Rahimi", "مریم رحیمی")],
    },
    Community {
        german: &["Türkisch-Deutscher Elternverein", "Deutsch-Türkischer Kulturverein"],
        original: &["Türk-Alman Veliler Derneği", "Alman-Türk Kültür Derneği"],
        languages: &["tr", "de"],
        origin: "Türkei",
        persons: &[("Ayşe Yılmaz", ""), ("Mehmet Öztürk", ""), ("Şükrü Çelik", "")],
    },
    Community {
        german: &["Polnischer Kulturverein", "Deutsch-Polnische Gesellschaft"],
        original: &["Polskie Stowarzyszenie Kulturalne", "Towarzystwo Polsko-Niemieckie"],
        languages: &["pl", "de"],
        origin: "Polen",
        persons: &[("Katarzyna Wójcik", ""), ("Łukasz Nowak", "")],
    },
    Community {
        german: &[
            "Interkulturelles Zentrum",
            "Netzwerk Migrantinnen",
            "Verein für Integration und Bildung",
        ],
        original: &["", "", ""],
        languages: &["de", "en", "fr"],
        origin: "verschiedene",
        persons: &[
            ("Jürgen Müller", ""),
            ("Anja Schröder", ""),
            ("Amadou Diallo", ""),
            ("Grace Mensah", ""),
        ],
    },
];

pub const MISSIONS: &[&str] = &[
    "Wir bringen Familien aus verschiedenen Ländern zusammen und fördern Bildung, Sprache und Teilhabe.",
    "Wir begleiten Neuzugewanderte im Alltag, bei Behörden und auf dem Weg in Ausbildung und Arbeit.",
    "Wir pflegen unsere Kultur und Sprache und öffnen sie für alle in unserer Stadt.",
    "Wir stärken Frauen und Mädchen durch Beratung, Kurse und Begegnung.",
    "Wir bieten Kindern und Jugendlichen Hausaufgabenhilfe, Sport und Freizeit.",
];

/// A second sentence for some missions, so sheets show a mission of typical length.
pub const MISSION_MORE: &[&str] = &[
    "Unsere Angebote sind ehrenamtlich getragen und offen für alle, unabhängig von Herkunft und Sprache.",
    "Dafür arbeiten wir mit Schulen, Kitas, Beratungsstellen und der Stadtverwaltung zusammen.",
    "Wir wollen unsere Arbeit verstetigen und suchen dafür Partner, die mit uns wachsen.",
    "",
];

/// What an activity was, in a sentence.
pub const ACTIVITY_TEXTS: &[&str] = &[
    "Wöchentliches Treffen mit Kinderbetreuung, geleitet von zwei Ehrenamtlichen.",
    "Gemeinsam mit der Volkshochschule und einer Grundschule im Stadtteil.",
    "Mit Workshops, Ausstellung und einem Abschlussfest für die Nachbarschaft.",
    "",
];

pub const STREETS: &[&str] = &[
    "Lindenstraße",
    "Am Markt",
    "Bahnhofstraße",
    "Goethestraße",
    "Schillerplatz",
    "Friedensstraße",
    "Karl-Marx-Allee",
    "Weinbergweg",
];

pub const FUNDERS: &[&str] = &[
    "Aktion Mensch",
    "Landesprogramm Integration",
    "Bundesprogramm Demokratie leben!",
    "Lokale Partnerschaft für Demokratie",
    "Sparkasse vor Ort",
    "Kommunaler Integrationsfonds",
];

pub const ROLES: &[&str] = &[
    "Vorsitzende/r",
    "Stellv. Vorsitz",
    "Kassenwart/in",
    "Projektleitung",
    "Ehrenamtskoordination",
];

pub const FOUNDATION_WORDS: &[&str] = &[
    "Brückenschlag",
    "Lindenhof",
    "Morgenrot",
    "Elbaue",
    "Saaletal",
    "Harzlicht",
    "Auenwald",
    "Weitblick",
    "Zuversicht",
    "Miteinander",
    "Sonnenweg",
    "Kranichfeld",
    "Unstrut",
    "Bördeland",
    "Rennsteig",
    "Altmark",
];

pub const FOUNDATION_KINDS: &[&str] = &["Stiftung", "Bürgerstiftung", "Förderstiftung", "Gemeinschaftsstiftung"];

pub const IDEAS: &[&str] = &[
    "Sprachcafé für Eltern",
    "Hausaufgabenhilfe in der Muttersprache",
    "Interkulturelles Stadtteilfest",
    "Beratung für Neuzugewanderte",
    "Mädchen-Sportgruppe",
    "Erzählcafé Erinnerungen",
    "Qualifizierung Ehrenamtlicher",
    "Theaterprojekt Jugend",
    "Kochbuch der Kulturen",
    "Mentoring in Ausbildung und Beruf",
];

pub const NEXT_STEPS: &[&str] = &[
    "Termin mit der Stiftung vereinbaren",
    "Projektskizze abstimmen",
    "Finanzplan nachreichen",
    "Verwendungsnachweis schreiben",
    "Rückmeldung der Stiftung abwarten",
];
