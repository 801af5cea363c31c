//! The start page: who I am, today's agenda of each of my roles («Heute»: what is overdue, what waits, what
//! falls due in the next 30 days, with names and links), and the functions my roles open.

use super::{Layout, role_labels, swiss_date};
use crate::auth::CurrentUser;
use crate::error::PageError;
use crate::state::SharedState;
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use chrono::NaiveDate;
use iim_domain::{Action, Resource, Scope};
use iim_store::{AGENDA_TAGE, Abschnitt, AngebotFilter, Dringlichkeit, Termin, Verweis};

/// One line of a section «Heute».
pub struct Zeile {
    href: String,
    person: String,
    was: String,
    /// When, in words: «überfällig seit 12.11.2026», «wartet seit …», «fällig am …», «heute fällig».
    wann: String,
    ueberfaellig: bool,
}

/// One section «Heute» of a role.
pub struct Heute {
    titel: &'static str,
    leer: &'static str,
    zeilen: Vec<Zeile>,
    total: u64,
    /// The whole list behind «Alle N anzeigen».
    alle: &'static str,
}

impl Heute {
    fn new(
        titel: &'static str,
        leer: &'static str,
        alle: &'static str,
        abschnitt: Abschnitt,
        today: NaiveDate,
    ) -> Self {
        let zeilen = abschnitt.termine.iter().map(|termin| zeile(termin, today)).collect();
        Self { titel, leer, zeilen, total: abschnitt.total, alle }
    }

    /// Whether there are more lines than shown.
    fn mehr(&self) -> bool {
        self.total > self.zeilen.len() as u64
    }
}

fn zeile(termin: &Termin, today: NaiveDate) -> Zeile {
    let datum = swiss_date(termin.datum);
    let wann = match termin.dringlichkeit {
        Dringlichkeit::Ueberfaellig => format!("überfällig seit {datum}"),
        Dringlichkeit::Wartet => format!("wartet seit {datum}"),
        Dringlichkeit::Faellig if termin.datum == today => "heute fällig".to_owned(),
        Dringlichkeit::Faellig => format!("fällig am {datum}"),
    };
    let href = match termin.verweis {
        Verweis::Dossier(id) => format!("/dossiers/{id}"),
        Verweis::Ausnahmegesuch { dossier_id, gesuch_id } => {
            format!("/dossiers/{dossier_id}/ausnahmegesuche/{gesuch_id}")
        }
        Verweis::Uebergaben => "/uebergaben".to_owned(),
        Verweis::Neuzuzueger(id) => format!("/neuzuzueger/{id}"),
        Verweis::Kind(id) => format!("/fruehfoerderung/{id}"),
    };
    Zeile {
        href,
        person: termin.person_name.clone(),
        was: termin.was.clone(),
        wann,
        ueberfaellig: termin.dringlichkeit == Dringlichkeit::Ueberfaellig,
    }
}

/// A function of the user's roles, as a card with a link.
pub struct Funktion {
    titel: &'static str,
    href: &'static str,
    text: &'static str,
}

#[derive(Template, WebTemplate)]
#[template(path = "home.html")]
pub struct HomePage {
    layout: Layout,
    display_name: String,
    organisation: String,
    roles: String,
    tage: u64,
    heute: Vec<Heute>,
    funktionen: Vec<Funktion>,
    /// Possible duplicates to check, for the Integrationsbeauftragte.
    duplikate: Option<u64>,
    /// Hand-overs waiting for the Migrationsamt's decision.
    fordern_offen: Option<u64>,
    /// Offers not updated for 12 months, and (for the Kanton) offers waiting for its check.
    angebote: Option<(u64, Option<u64>)>,
}

pub async fn show(State(state): State<SharedState>, user: CurrentUser) -> Result<HomePage, PageError> {
    let actor = user.actor();
    let today = state.store.clock().today();
    let agenda = state.store.agenda(actor).await?;
    let mut heute = Vec::new();
    if let Some(abschnitt) = agenda.fallfuehrung {
        heute.push(Heute::new("Fallführung", "Nichts ist überfällig, nichts wartet auf Sie und in den nächsten 30 Tagen ist keine Standortbestimmung fällig.", "/pendenzen", abschnitt, today));
    }
    if let Some(abschnitt) = agenda.genehmigungen {
        heute.push(Heute::new("Zu genehmigen", "Nichts wartet auf Ihre Genehmigung.", "/pendenzen", abschnitt, today));
    }
    if let Some(abschnitt) = agenda.neuzuzueger {
        heute.push(Heute::new(
            "Neuzuzüger einladen",
            "Niemand wartet auf eine Einladung zum Erstinformationsgespräch.",
            "/neuzuzueger?filter=einzuladen",
            abschnitt,
            today,
        ));
    }
    if let Some(abschnitt) = agenda.fruehfoerderung {
        heute.push(Heute::new(
            "Frühe Sprachförderung",
            "Keine Abklärung ist überfällig oder in den nächsten 30 Tagen fällig.",
            "/fruehfoerderung",
            abschnitt,
            today,
        ));
    }
    let duplikate = if actor.may(Resource::Neuzuzueger, Action::Read) {
        Some(state.store.count_possible_duplicates(actor).await?)
    } else {
        None
    };
    let fordern_offen = if actor.may(Resource::Fordern, Action::Update) {
        Some(state.store.count_open_fordern(actor).await?)
    } else {
        None
    };
    let angebote = if actor.may(Resource::Angebot, Action::Create) {
        let zu_pruefen = if actor.may(Resource::Angebot, Action::Approve) {
            Some(state.store.count_offers(actor, AngebotFilter::ZuPruefen).await?)
        } else {
            None
        };
        Some((state.store.count_offers(actor, AngebotFilter::Erinnerung).await?, zu_pruefen))
    } else {
        None
    };
    Ok(HomePage {
        layout: Layout::for_user(&user, "Start", "start"),
        display_name: actor.display_name.clone(),
        organisation: actor.organisation_name.clone(),
        roles: role_labels(actor),
        tage: AGENDA_TAGE,
        heute,
        funktionen: funktionen(actor),
        duplikate,
        fordern_offen,
        angebote,
    })
}

/// The functions the user's roles open, in the order of the navigation; every user has at least the API
/// tokens, so the list is never empty.
fn funktionen(actor: &iim_domain::Actor) -> Vec<Funktion> {
    let may = |resource, action| actor.may(resource, action);
    let karten: [(bool, Funktion); 12] = [
        (
            may(Resource::Person, Action::Read),
            Funktion {
                titel: "Personenregister",
                href: "/personen",
                text: "Personen Ihres Zuständigkeitsgebiets suchen, erfassen und bearbeiten.",
            },
        ),
        (
            may(Resource::Dossier, Action::Read),
            Funktion {
                titel: "Fälle",
                href: "/dossiers",
                text: "Ihre Dossiers, die fälligen zuerst. Dossiers eröffnen Sie auf der Seite der Person.",
            },
        ),
        (
            may(Resource::Auftrag, Action::Read),
            Funktion {
                titel: "Aufträge",
                href: "/auftraege",
                text: "Aufträge der fallführenden Stellen an Ihre Organisation bearbeiten und Ergebnisse melden.",
            },
        ),
        (
            may(Resource::Fruehfoerderung, Action::Read),
            Funktion {
                titel: "Frühe Sprachförderung",
                href: "/fruehfoerderung",
                text: "Kinder bis zum Kindergarten begleiten.",
            },
        ),
        (
            may(Resource::CaseloadImport, Action::Create),
            Funktion {
                titel: "Fallliste übernehmen",
                href: "/fallliste-import",
                text: "Die bestehende Fallliste einer Sozialregion aus Excel übernehmen.",
            },
        ),
        (
            may(Resource::RegisterImport, Action::Create),
            Funktion {
                titel: "Register-Import",
                href: "/register-import",
                text: "Lieferungen des Einwohnerregisters (eCH-0020) einlesen und frühere Lieferungen ansehen.",
            },
        ),
        (
            may(Resource::Kennzahlen, Action::Read),
            Funktion {
                titel: "Kennzahlen",
                href: "/kennzahlen",
                text: "Die Kennzahlen der frühen Sprachförderung je Gemeinde.",
            },
        ),
        (
            may(Resource::Gemeindeorganisation, Action::Read),
            Funktion {
                titel: "Gemeinden",
                href: "/gemeinden",
                text: "Wie die Gemeinden start.integration organisieren: Modell, Vertrag, strategische Leitung.",
            },
        ),
        (
            may(Resource::Selbstdeklaration, Action::Read),
            Funktion {
                titel: "Selbstdeklaration",
                href: "/selbstdeklaration",
                text: "Die jährliche Selbstdeklaration der Gemeinden an den Kanton.",
            },
        ),
        (
            may(Resource::Mentoring, Action::Read),
            Funktion {
                titel: "Mentoring",
                href: "/mentoring/pool",
                text: "Den Mentoring-Pool Ihrer Sozialregion führen.",
            },
        ),
        (
            may(Resource::AuditLog, Action::Read),
            Funktion {
                titel: "Zugriffsprotokoll",
                href: "/protokoll",
                text: "Wer hat wann welche Personendaten gelesen oder geändert.",
            },
        ),
        (true, api_tokens(actor)),
    ];
    karten.into_iter().filter(|(granted, _)| *granted).map(|(_, karte)| karte).collect()
}

/// The API tokens: an administrator sees and revokes everyone's, others keep their own.
fn api_tokens(actor: &iim_domain::Actor) -> Funktion {
    let text = if actor.scope_for(Resource::ApiToken, Action::Read) == Ok(Scope::Canton) {
        "Die API-Tokens aller Benutzerinnen und Benutzer einsehen und widerrufen, eigene erstellen. Benutzerkonten legen Sie mit dem Befehl «iim user» an."
    } else {
        "Persönliche Tokens für die JSON-Schnittstelle der Fachsysteme erstellen und widerrufen."
    };
    Funktion { titel: "API-Tokens", href: "/konto/api-tokens", text }
}
