//! Frühe Sprachförderung (`/fruehfoerderung`): the children in the Integrationsbeauftragte's scope with their
//! planned German assessment, one page per child with its track, one small form per section of the track,
//! and the form to take in a child the register did not deliver. Dates, checks and access are the store's
//! and the domain's; these pages show their answers.

use crate::auth::CurrentUser;
use crate::error::{AppError, PageError};
use crate::pages::form::{FormField, choice_field, choices, summary, text_field, textarea_field, with_errors};
use crate::pages::{Layout, Pagination, page_number, parse_id, swiss_date};
use crate::state::SharedState;
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::Form;
use chrono::{Datelike, NaiveDate};
use iim_domain::fruehfoerderung::{AbklaerungErgebnis, Eingabe, Faelligkeit, Kontaktart, Verstaendigung};
use iim_domain::limits::NAME_CHARS;
use iim_domain::person::{Choice, ResidenceStatus, Sex};
use iim_domain::{Action, Actor, BfsNr, FieldErrors, PersonInput, Resource, catalog};
use iim_store::{Fruehfoerderung, KindZeile, KinderFilter, KinderQuery, StoreError};
use std::collections::HashMap;

const PER_PAGE: u64 = 50;

fn sprachen_text(codes: &[String]) -> String {
    codes.iter().map(|code| catalog::language_name(code).unwrap_or(code)).collect::<Vec<_>>().join(", ")
}

/// The Gemeinden whose children the actor sees (its own and the members it leads), by name.
fn gemeinden_im_gebiet(actor: &Actor) -> Vec<BfsNr> {
    let Ok(scope) = actor.scope_for(Resource::Fruehfoerderung, Action::Read) else { return Vec::new() };
    let mut gemeinden: Vec<BfsNr> = match actor.gemeinden_in(scope) {
        Some(set) => set.iter().copied().collect(),
        None => catalog::gemeinden().map(|g| g.bfs).collect(),
    };
    gemeinden.sort_by_key(|b| b.name());
    gemeinden
}

/// The planned assessment as shown: the date, marked when the birth date is incomplete.
fn geplant(termine: &iim_domain::fruehfoerderung::Termine) -> String {
    if termine.genau {
        swiss_date(termine.abklaerung)
    } else {
        format!("{} (vorläufig)", swiss_date(termine.abklaerung))
    }
}

pub struct ListZeile {
    id: i64,
    name: String,
    geburtsdatum: String,
    gemeinde: String,
    geplant: String,
    faelligkeit: &'static str,
    ueberfaellig: bool,
    phase: &'static str,
}

fn list_zeile(k: &KindZeile) -> ListZeile {
    let faelligkeit = match (k.faelligkeit, k.abklaerung_am) {
        (Faelligkeit::Erledigt, Some(_)) => "Abklärung erfolgt",
        (Faelligkeit::Erledigt, None) => "",
        (other, _) => other.label(),
    };
    ListZeile {
        id: k.id,
        name: format!("{}, {}", k.nachname, k.vornamen),
        geburtsdatum: k.geburtsdatum.to_string(),
        gemeinde: k.wohngemeinde.name(),
        geplant: geplant(&k.termine),
        faelligkeit,
        ueberfaellig: k.faelligkeit == Faelligkeit::Ueberfaellig,
        phase: k.phase.label(),
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "start_integration/fruehfoerderung/list.html")]
pub struct ListPage {
    layout: Layout,
    kinder: Vec<ListZeile>,
    total: u64,
    gemeinden: Vec<(String, String, bool)>,
    filter: Vec<(&'static str, &'static str, bool)>,
    gefiltert: bool,
    may_create: bool,
    pagination: Pagination,
}

pub async fn list(
    State(state): State<SharedState>,
    user: CurrentUser,
    Query(params): Query<HashMap<String, String>>,
) -> Result<ListPage, PageError> {
    let filter = params.get("filter").and_then(|f| KinderFilter::from_code(f)).unwrap_or_default();
    let gemeinde = params.get("gemeinde").and_then(|g| BfsNr::parse(g).ok());
    let page = page_number(params.get("seite"));
    let query = KinderQuery { gemeinde, filter, page, per_page: PER_PAGE };
    let kinder = state.store.list_kinder(user.actor(), &query).await?;
    let gemeinde_code = gemeinde.map(|g| g.to_string()).unwrap_or_default();
    let gemeinden: Vec<(String, String, bool)> = gemeinden_im_gebiet(user.actor())
        .into_iter()
        .map(|bfs| (bfs.to_string(), bfs.name(), Some(bfs) == gemeinde))
        .collect();
    let pagination = Pagination::new(
        "/fruehfoerderung",
        &[("filter", filter.code()), ("gemeinde", &gemeinde_code)],
        page,
        kinder.pages(),
    );
    Ok(ListPage {
        layout: Layout::for_user(&user, "Frühe Sprachförderung", "fruehfoerderung"),
        kinder: kinder.items.iter().map(list_zeile).collect(),
        total: kinder.total,
        gemeinden: if gemeinden.len() > 1 { gemeinden } else { Vec::new() },
        filter: KinderFilter::ALL.iter().map(|f| (f.code(), f.label(), *f == filter)).collect(),
        gefiltert: filter != KinderFilter::Offen || gemeinde.is_some(),
        may_create: user.actor().may(Resource::Fruehfoerderung, Action::Create),
        pagination,
    })
}

/// A section of the track on the child's page: what is recorded, and the link to its form.
pub struct Abschnitt {
    titel: &'static str,
    zeilen: Vec<(String, String)>,
    leer: String,
    link: String,
    link_text: &'static str,
}

#[derive(Template, WebTemplate)]
#[template(path = "start_integration/fruehfoerderung/show.html")]
pub struct ShowPage {
    layout: Layout,
    id: i64,
    person_id: i64,
    name: String,
    fakten: Vec<(&'static str, String)>,
    warnung: Option<String>,
    erste_abschnitte: Vec<Abschnitt>,
    weitere_abschnitte: Vec<Abschnitt>,
    kontakte: Vec<(String, String, String, String)>,
    may_update: bool,
    meta: String,
}

fn ja_nein(value: bool) -> &'static str {
    if value { "ja" } else { "nein" }
}

fn show_page(user: &CurrentUser, kind: &Fruehfoerderung, notice: Option<&str>) -> ShowPage {
    let name = format!("{}, {}", kind.nachname, kind.vornamen);
    let id = kind.id;
    let link = |abschnitt: &str| format!("/fruehfoerderung/{id}/{abschnitt}");
    let termine = kind.termine;
    let eintritt = if termine.genau {
        swiss_date(termine.eintritt)
    } else {
        format!(
            "{} (vorläufig: das Geburtsdatum ist unvollständig, angenommen ist der früheste mögliche Eintritt)",
            swiss_date(termine.eintritt)
        )
    };
    let abklaerung_geplant = match kind.faelligkeit {
        Faelligkeit::Erledigt => geplant(&termine),
        other => format!("{} – {}", geplant(&termine), other.label()),
    };
    let fakten = vec![
        ("Geburtsdatum", kind.geburtsdatum.to_string()),
        ("Wohngemeinde", kind.wohngemeinde.name()),
        ("Stand", kind.phase.label().to_owned()),
        ("Aufgenommen", format!("{}, {}", kind.quelle.label(), iim_domain::clock::format_swiss(kind.created_at))),
        ("Kindergarteneintritt", eintritt),
        ("Abklärung Deutsch geplant", abklaerung_geplant),
    ];
    let warnung = (kind.faelligkeit == Faelligkeit::Ueberfaellig)
        .then(|| format!("Die Abklärung Deutsch ist seit dem {} fällig.", swiss_date(termine.abklaerung)));
    let familiensprache = Abschnitt {
        titel: "Familiensprache",
        zeilen: match (&kind.familiensprachen, kind.familiensprache_am) {
            (Some(sprachen), am) => vec![
                ("Sprachen".to_owned(), sprachen_text(sprachen)),
                ("bestätigt am".to_owned(), am.map(swiss_date).unwrap_or_default()),
            ],
            (None, _) => Vec::new(),
        },
        leer: "Noch nicht bestätigt. Das Einwohnerregister nennt die Familiensprache nicht: bitte bei der Familie nachfragen."
            .to_owned(),
        link: link("familiensprache"),
        link_text: if kind.familiensprachen.is_some() { "Familiensprache ändern" } else { "Familiensprache bestätigen" },
    };
    let geburtskontakt = Abschnitt {
        titel: "Kontakt bei der Geburt",
        zeilen: kind.geburtskontakt.as_ref().map_or_else(Vec::new, |k| {
            let mut zeilen =
                vec![("Datum".to_owned(), swiss_date(k.datum)), ("Wie".to_owned(), k.art.label().to_owned())];
            if !k.notiz.is_empty() {
                zeilen.push(("Notiz".to_owned(), k.notiz.clone()));
            }
            zeilen
        }),
        leer: "Noch kein Kontakt bei der Geburt erfasst.".to_owned(),
        link: link("geburtskontakt"),
        link_text: if kind.geburtskontakt.is_some() { "Kontakt ändern" } else { "Kontakt erfassen" },
    };
    let abklaerung = Abschnitt {
        titel: "Abklärung Deutsch",
        zeilen: kind.abklaerung.as_ref().map_or_else(Vec::new, |a| {
            let mut zeilen =
                vec![("Datum".to_owned(), swiss_date(a.datum)), ("Ergebnis".to_owned(), a.ergebnis.label().to_owned())];
            if !a.bemerkung.is_empty() {
                zeilen.push(("Bemerkung".to_owned(), a.bemerkung.clone()));
            }
            zeilen
        }),
        leer: if kind.phase.offen() {
            format!("Geplant für den {}, 18 Monate vor dem Kindergarteneintritt.", swiss_date(termine.abklaerung))
        } else {
            "Keine Abklärung erfasst.".to_owned()
        },
        link: link("abklaerung"),
        link_text: if kind.abklaerung.is_some() { "Abklärung ändern" } else { "Abklärung erfassen" },
    };
    let empfehlung = Abschnitt {
        titel: "Empfehlung Deutschförderangebot",
        zeilen: kind.empfehlung.as_ref().map_or_else(Vec::new, |e| {
            vec![("Datum".to_owned(), swiss_date(e.datum)), ("Angebot".to_owned(), e.angebot.clone())]
        }),
        leer: "Noch keine Empfehlung.".to_owned(),
        link: link("empfehlung"),
        link_text: if kind.empfehlung.is_some() { "Empfehlung ändern" } else { "Empfehlung erfassen" },
    };
    let teilnahme = Abschnitt {
        titel: "Teilnahme an einem Deutschförderangebot",
        zeilen: kind.teilnahme.map_or_else(Vec::new, |t| {
            let mut zeilen = vec![("Nimmt teil".to_owned(), ja_nein(t.teilnimmt).to_owned())];
            if let Some(von) = t.von {
                zeilen.push(("von".to_owned(), swiss_date(von)));
            }
            if let Some(bis) = t.bis {
                zeilen.push(("bis".to_owned(), swiss_date(bis)));
            }
            zeilen
        }),
        leer: "Noch nicht erfasst.".to_owned(),
        link: link("teilnahme"),
        link_text: if kind.teilnahme.is_some() { "Teilnahme ändern" } else { "Teilnahme erfassen" },
    };
    let eintritt = Abschnitt {
        titel: "Stand beim Kindergarteneintritt",
        zeilen: kind.eintritt.map_or_else(Vec::new, |e| {
            vec![
                ("Kann sich auf Deutsch verständigen".to_owned(), e.stand.label().to_owned()),
                ("Eintritt im Jahr".to_owned(), e.jahr.to_string()),
                ("Zählt für die Gemeinde".to_owned(), kind.eintritt_gemeinde.map(|g| g.name()).unwrap_or_default()),
            ]
        }),
        leer: format!("Wird ab dem Kindergarteneintritt ({}) erfasst.", swiss_date(termine.eintritt)),
        link: link("eintritt"),
        link_text: if kind.eintritt.is_some() { "Stand ändern" } else { "Stand erfassen" },
    };
    let kontakte = kind
        .kontakte
        .iter()
        .map(|k| {
            (
                swiss_date(k.kontakt.datum),
                k.kontakt.art.label().to_owned(),
                k.kontakt.notiz.clone(),
                k.erfasst_von.clone(),
            )
        })
        .collect();
    ShowPage {
        layout: Layout::for_user(user, format!("Frühe Sprachförderung: {name}"), "fruehfoerderung").with_notice(notice),
        id,
        person_id: kind.person_id,
        name,
        fakten,
        warnung,
        erste_abschnitte: vec![familiensprache, geburtskontakt],
        weitere_abschnitte: vec![abklaerung, empfehlung, teilnahme, eintritt],
        kontakte,
        may_update: user.actor().may(Resource::Fruehfoerderung, Action::Update),
        meta: format!(
            "Zuletzt geändert am {} von {}",
            iim_domain::clock::format_swiss(kind.updated_at),
            kind.updated_by
        ),
    }
}

pub async fn show(
    State(state): State<SharedState>,
    user: CurrentUser,
    Path(id): Path<String>,
    Query(params): Query<HashMap<String, String>>,
) -> Result<ShowPage, PageError> {
    let kind = state.store.get_kind(user.actor(), parse_id(&id)?).await?;
    Ok(show_page(&user, &kind, params.get("hinweis").map(String::as_str)))
}

/// The forms of the sections. Every field defaults to empty, so a tampered form gets field messages.
#[derive(serde::Deserialize, Default, Clone)]
#[serde(default)]
pub struct AbschnittForm {
    sprachen: Vec<String>,
    datum: String,
    art: String,
    notiz: String,
    ergebnis: String,
    bemerkung: String,
    angebot: String,
    teilnahme: String,
    von: String,
    bis: String,
    stand: String,
    jahr: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Teil {
    Familiensprache,
    Geburtskontakt,
    Kontakt,
    Abklaerung,
    Empfehlung,
    Teilnahme,
    Eintritt,
}

impl Teil {
    fn from_path(text: &str) -> Result<Self, PageError> {
        Ok(match text {
            "familiensprache" => Teil::Familiensprache,
            "geburtskontakt" => Teil::Geburtskontakt,
            "kontakt" => Teil::Kontakt,
            "abklaerung" => Teil::Abklaerung,
            "empfehlung" => Teil::Empfehlung,
            "teilnahme" => Teil::Teilnahme,
            "eintritt" => Teil::Eintritt,
            _ => return Err(PageError(AppError::NotFound)),
        })
    }

    fn path(self) -> &'static str {
        match self {
            Teil::Familiensprache => "familiensprache",
            Teil::Geburtskontakt => "geburtskontakt",
            Teil::Kontakt => "kontakt",
            Teil::Abklaerung => "abklaerung",
            Teil::Empfehlung => "empfehlung",
            Teil::Teilnahme => "teilnahme",
            Teil::Eintritt => "eintritt",
        }
    }

    fn titel(self) -> &'static str {
        match self {
            Teil::Familiensprache => "Familiensprache bestätigen",
            Teil::Geburtskontakt => "Kontakt bei der Geburt",
            Teil::Kontakt => "Informationskontakt hinzufügen",
            Teil::Abklaerung => "Abklärung Deutsch",
            Teil::Empfehlung => "Empfehlung Deutschförderangebot",
            Teil::Teilnahme => "Teilnahme an einem Deutschförderangebot",
            Teil::Eintritt => "Stand beim Kindergarteneintritt",
        }
    }

    fn lead(self, kind: &Fruehfoerderung) -> String {
        match self {
            Teil::Familiensprache => "Welche Sprachen spricht die Familie mit dem Kind? Spricht sie nur Deutsch, braucht es keine frühe Sprachförderung.".to_owned(),
            Teil::Geburtskontakt => "Der erste Kontakt mit der Familie nach der Geburt.".to_owned(),
            Teil::Kontakt => "Information der Familie in den ersten zwei Lebensjahren (Angebote, Spielgruppen, Elternberatung).".to_owned(),
            Teil::Abklaerung => format!(
                "Abklärung der Deutschkenntnisse 18 Monate vor dem Kindergarteneintritt; geplant für den {}.",
                swiss_date(kind.termine.abklaerung)
            ),
            Teil::Empfehlung => "Welches Deutschförderangebot der Familie empfohlen wird (Spielgruppe, Kita, Deutschkurs für Kinder …).".to_owned(),
            Teil::Teilnahme => "Ob das Kind am empfohlenen Angebot teilnimmt, und von wann bis wann.".to_owned(),
            Teil::Eintritt => format!(
                "Kann sich das Kind beim Eintritt in den Kindergarten auf Deutsch verständigen? Das Jahr bestimmt, in welchem Jahr es in den Kennzahlen zählt; berechnet ist {}.",
                kind.termine.eintritt.year()
            ),
        }
    }

    /// The stored values as form input (or sensible defaults for a first entry).
    fn werte(self, kind: &Fruehfoerderung, heute: NaiveDate) -> AbschnittForm {
        let heute = swiss_date(heute);
        let mut werte = AbschnittForm::default();
        match self {
            Teil::Familiensprache => {
                werte.sprachen = kind.familiensprachen.clone().unwrap_or_else(|| kind.sprachen_person.clone());
            }
            Teil::Geburtskontakt => match &kind.geburtskontakt {
                Some(k) => {
                    (werte.datum, werte.art, werte.notiz) =
                        (swiss_date(k.datum), k.art.code().to_owned(), k.notiz.clone())
                }
                None => werte.datum = heute,
            },
            Teil::Kontakt => werte.datum = heute,
            Teil::Abklaerung => match &kind.abklaerung {
                Some(a) => {
                    (werte.datum, werte.ergebnis, werte.bemerkung) =
                        (swiss_date(a.datum), a.ergebnis.code().to_owned(), a.bemerkung.clone());
                }
                None => werte.datum = heute,
            },
            Teil::Empfehlung => match &kind.empfehlung {
                Some(e) => (werte.datum, werte.angebot) = (swiss_date(e.datum), e.angebot.clone()),
                None => werte.datum = heute,
            },
            Teil::Teilnahme => {
                if let Some(t) = kind.teilnahme {
                    werte.teilnahme = ja_nein(t.teilnimmt).to_owned();
                    werte.von = t.von.map(swiss_date).unwrap_or_default();
                    werte.bis = t.bis.map(swiss_date).unwrap_or_default();
                }
            }
            Teil::Eintritt => match kind.eintritt {
                Some(e) => (werte.stand, werte.jahr) = (e.stand.code().to_owned(), e.jahr.to_string()),
                None => werte.jahr = kind.termine.eintritt.year().to_string(),
            },
        }
        werte
    }

    fn fields(self, werte: &AbschnittForm) -> Vec<FormField> {
        let one = |value: &str| vec![value.to_owned()];
        match self {
            Teil::Familiensprache => vec![choice_field(
                "sprachen",
                "In der Familie gesprochene Sprachen",
                "checkboxes",
                true,
                catalog::languages().iter().map(|l| (l.code.clone(), l.name.clone())).collect(),
                &werte.sprachen,
            )],
            Teil::Geburtskontakt | Teil::Kontakt => vec![
                text_field("datum", "Datum", "TT.MM.JJJJ", true, &werte.datum),
                choice_field(
                    "art",
                    "Wie wurde die Familie erreicht?",
                    "radios",
                    true,
                    choices::<Kontaktart>(),
                    &one(&werte.art),
                ),
                textarea_field("notiz", "Notiz", "Was besprochen oder abgegeben wurde.", false, &werte.notiz),
            ],
            Teil::Abklaerung => vec![
                text_field("datum", "Datum der Abklärung", "TT.MM.JJJJ", true, &werte.datum),
                choice_field(
                    "ergebnis",
                    "Ergebnis",
                    "radios",
                    true,
                    choices::<AbklaerungErgebnis>(),
                    &one(&werte.ergebnis),
                ),
                textarea_field("bemerkung", "Bemerkung", "", false, &werte.bemerkung),
            ],
            Teil::Empfehlung => vec![
                text_field("datum", "Datum der Empfehlung", "TT.MM.JJJJ", true, &werte.datum),
                textarea_field(
                    "angebot",
                    "Empfohlenes Angebot",
                    "Name, Ort und Umfang des Angebots. (Die Angebotsplattform folgt später.)",
                    true,
                    &werte.angebot,
                ),
            ],
            Teil::Teilnahme => vec![
                choice_field(
                    "teilnahme",
                    "Nimmt das Kind teil?",
                    "radios",
                    true,
                    vec![("ja".to_owned(), "ja".to_owned()), ("nein".to_owned(), "nein".to_owned())],
                    &one(&werte.teilnahme),
                ),
                text_field("von", "Von", "TT.MM.JJJJ; nur bei Teilnahme.", false, &werte.von),
                text_field("bis", "Bis", "TT.MM.JJJJ; auch ein geplantes Ende.", false, &werte.bis),
            ],
            Teil::Eintritt => vec![
                choice_field(
                    "stand",
                    "Kann sich das Kind auf Deutsch verständigen?",
                    "radios",
                    true,
                    choices::<Verstaendigung>(),
                    &one(&werte.stand),
                ),
                text_field("jahr", "Jahr des Kindergarteneintritts", "JJJJ", true, &werte.jahr),
            ],
        }
    }

    fn eingabe(self, form: AbschnittForm) -> Eingabe {
        match self {
            Teil::Familiensprache => Eingabe::Familiensprache { sprachen: form.sprachen },
            Teil::Geburtskontakt => Eingabe::Geburtskontakt { datum: form.datum, art: form.art, notiz: form.notiz },
            Teil::Kontakt => Eingabe::Kontakt { datum: form.datum, art: form.art, notiz: form.notiz },
            Teil::Abklaerung => {
                Eingabe::Abklaerung { datum: form.datum, ergebnis: form.ergebnis, bemerkung: form.bemerkung }
            }
            Teil::Empfehlung => Eingabe::Empfehlung { datum: form.datum, angebot: form.angebot },
            Teil::Teilnahme => Eingabe::Teilnahme { teilnahme: form.teilnahme, von: form.von, bis: form.bis },
            Teil::Eintritt => Eingabe::Eintritt { stand: form.stand, jahr: form.jahr },
        }
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "start_integration/fruehfoerderung/form.html")]
pub struct FormPage {
    layout: Layout,
    back: String,
    heading: String,
    lead: String,
    action: String,
    fields: Vec<FormField>,
    errors: Vec<(String, String)>,
}

fn form_page(
    user: &CurrentUser,
    kind: &Fruehfoerderung,
    teil: Teil,
    werte: &AbschnittForm,
    errors: &FieldErrors,
) -> FormPage {
    let name = format!("{}, {}", kind.nachname, kind.vornamen);
    FormPage {
        layout: Layout::for_user(user, format!("{}: {name}", teil.titel()), "fruehfoerderung"),
        back: format!("/fruehfoerderung/{}", kind.id),
        heading: format!("{}: {name}", teil.titel()),
        lead: teil.lead(kind),
        action: format!("/fruehfoerderung/{}/{}", kind.id, teil.path()),
        fields: with_errors(teil.fields(werte), errors),
        errors: summary(errors),
    }
}

pub async fn section_form(
    State(state): State<SharedState>,
    user: CurrentUser,
    Path((id, teil)): Path<(String, String)>,
) -> Result<FormPage, PageError> {
    let teil = Teil::from_path(&teil)?;
    let kind = state.store.get_kind(user.actor(), parse_id(&id)?).await?;
    state.store.check_permission(user.actor(), Resource::Fruehfoerderung, Action::Update).await?;
    let werte = teil.werte(&kind, state.store.clock().today());
    Ok(form_page(&user, &kind, teil, &werte, &FieldErrors::new()))
}

pub async fn save_section(
    State(state): State<SharedState>,
    user: CurrentUser,
    Path((id, teil)): Path<(String, String)>,
    Form(form): Form<AbschnittForm>,
) -> Result<Response, PageError> {
    let teil = Teil::from_path(&teil)?;
    let id = parse_id(&id)?;
    match state.store.fruehfoerderung_aendern(user.actor(), id, &teil.eingabe(form.clone())).await {
        Ok(_) => Ok(Redirect::to(&format!("/fruehfoerderung/{id}?hinweis=gespeichert")).into_response()),
        Err(StoreError::Invalid(errors)) => {
            let kind = state.store.get_kind(user.actor(), id).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, form_page(&user, &kind, teil, &form, &errors)).into_response())
        }
        Err(other) => Err(other.into()),
    }
}

/// The form for a child the register did not deliver: a person of the register by number, or a new one.
#[derive(Template, WebTemplate)]
#[template(path = "start_integration/fruehfoerderung/neu.html")]
pub struct NeuPage {
    layout: Layout,
    person_id: String,
    person_error: Option<String>,
    fields: Vec<FormField>,
    errors: Vec<(String, String)>,
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub struct NeuForm {
    person_id: String,
    nachname: String,
    vornamen: String,
    geschlecht: String,
    geburtsdatum: String,
    nationalitaet: String,
    aufenthaltsstatus: String,
    ahv_nummer: String,
    sprachen: Vec<String>,
    wohngemeinde_bfs: String,
}

impl NeuForm {
    fn input(&self) -> PersonInput {
        PersonInput {
            nachname: self.nachname.clone(),
            vornamen: self.vornamen.clone(),
            geschlecht: self.geschlecht.clone(),
            geburtsdatum: self.geburtsdatum.clone(),
            nationalitaet: self.nationalitaet.clone(),
            aufenthaltsstatus: self.aufenthaltsstatus.clone(),
            ahv_nummer: self.ahv_nummer.clone(),
            einreisedatum: String::new(),
            sprachen: self.sprachen.clone(),
            wohngemeinde_bfs: self.wohngemeinde_bfs.clone(),
        }
    }
}

fn kind_fields(actor: &Actor, input: &PersonInput) -> Vec<FormField> {
    let one = |value: &str| vec![value.to_owned()];
    let gemeinden = gemeinden_im_gebiet(actor).into_iter().map(|b| (b.to_string(), b.name())).collect();
    vec![
        text_field("nachname", "Nachname", "", true, &input.nachname).with_max_chars(NAME_CHARS),
        text_field("vornamen", "Vornamen", "", true, &input.vornamen).with_max_chars(NAME_CHARS),
        choice_field("geschlecht", "Geschlecht", "radios", true, choices::<Sex>(), &one(&input.geschlecht)),
        text_field(
            "geburtsdatum",
            "Geburtsdatum",
            "TT.MM.JJJJ; MM.JJJJ oder JJJJ, wenn nicht mehr bekannt ist.",
            true,
            &input.geburtsdatum,
        ),
        choice_field(
            "nationalitaet",
            "Staatsangehörigkeit",
            "select",
            true,
            crate::pages::persons::nationality_options(),
            &one(&input.nationalitaet),
        ),
        choice_field(
            "aufenthaltsstatus",
            "Aufenthaltsstatus",
            "select",
            true,
            choices::<ResidenceStatus>(),
            &one(&input.aufenthaltsstatus),
        ),
        text_field("ahv_nummer", "AHV-Nummer", "Format 756.XXXX.XXXX.XX.", false, &input.ahv_nummer),
        choice_field(
            "sprachen",
            "Sprachen des Kindes",
            "checkboxes",
            false,
            catalog::languages().iter().map(|l| (l.code.clone(), l.name.clone())).collect(),
            &input.sprachen,
        ),
        choice_field("wohngemeinde_bfs", "Wohngemeinde", "select", true, gemeinden, &one(&input.wohngemeinde_bfs)),
    ]
}

fn neu_page(user: &CurrentUser, form: &NeuForm, person_error: Option<String>, errors: &FieldErrors) -> NeuPage {
    NeuPage {
        layout: Layout::for_user(user, "Kind aufnehmen", "fruehfoerderung"),
        person_id: form.person_id.clone(),
        person_error,
        fields: with_errors(kind_fields(user.actor(), &form.input()), errors),
        errors: summary(errors),
    }
}

pub async fn new_form(State(state): State<SharedState>, user: CurrentUser) -> Result<NeuPage, PageError> {
    state.store.check_permission(user.actor(), Resource::Fruehfoerderung, Action::Create).await?;
    let form = NeuForm { aufenthaltsstatus: "B".to_owned(), ..NeuForm::default() };
    Ok(neu_page(&user, &form, None, &FieldErrors::new()))
}

/// Takes a person of the register in by number.
pub async fn aufnehmen(
    State(state): State<SharedState>,
    user: CurrentUser,
    Form(form): Form<NeuForm>,
) -> Result<Response, PageError> {
    let result = match form.person_id.trim().parse::<i64>() {
        Ok(person_id) => state.store.kind_aufnehmen(user.actor(), person_id).await,
        Err(_) => {
            let mut errors = FieldErrors::new();
            errors.add("person_id", "Bitte die Personen-Nr. aus dem Personenregister angeben (eine Zahl).");
            Err(StoreError::Invalid(errors))
        }
    };
    match result {
        Ok(kind) => Ok(Redirect::to(&format!("/fruehfoerderung/{}?hinweis=kind_aufgenommen", kind.id)).into_response()),
        Err(StoreError::Invalid(errors)) => {
            let message = errors.get("person_id").map(str::to_owned);
            Ok((StatusCode::UNPROCESSABLE_ENTITY, neu_page(&user, &form, message, &FieldErrors::new())).into_response())
        }
        Err(other) => Err(other.into()),
    }
}

/// Registers a new child in the Personenregister and takes it in.
pub async fn create(
    State(state): State<SharedState>,
    user: CurrentUser,
    Form(form): Form<NeuForm>,
) -> Result<Response, PageError> {
    let invalid =
        |errors: FieldErrors| (StatusCode::UNPROCESSABLE_ENTITY, neu_page(&user, &form, None, &errors)).into_response();
    let data = match form.input().parse(state.store.clock().today()) {
        Ok(data) => data,
        Err(errors) => return Ok(invalid(errors)),
    };
    match state.store.neues_kind_aufnehmen(user.actor(), data).await {
        Ok(kind) => Ok(Redirect::to(&format!("/fruehfoerderung/{}?hinweis=kind_aufgenommen", kind.id)).into_response()),
        Err(StoreError::Invalid(errors)) => Ok(invalid(errors)),
        Err(other) => Err(other.into()),
    }
}
