//! Exception requests (Ausnahmegesuche): the case worker's request to the Leitung, offered on the booking
//! form when the entry criteria refuse it, and the Leitung's page to approve or refuse it with a reason.
//! Who may ask and decide, the criteria and the race of two decisions are the store's; these pages show
//! its answers.

use crate::auth::CurrentUser;
use crate::error::{AppError, PageError};
use crate::pages::dossiers::to_dossier;
use crate::pages::massnahmen::{BuchungForm, BuchungPage, buchung_page, massnahmen_filter};
use crate::pages::{Layout, parse_id, swiss_date, unprocessable};
use crate::state::SharedState;
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, State};
use axum::response::Response;
use axum_extra::extract::Form;
use iim_domain::massnahmen::{AUSNAHME_BEGRUENDUNG_CHARS, BuchungInput};
use iim_domain::{Action, FieldErrors, Resource};
use iim_store::{Ausnahmegesuch, Dossier, StoreError};

/// The request part of a booking form refused by the entry criteria: the booking goes along unchanged in
/// hidden fields, the case worker adds the reason.
pub struct GesuchForm {
    pub(crate) action: String,
    pub(crate) buchung: Vec<(&'static str, String)>,
    pub(crate) begruendung: String,
    pub(crate) error: Option<String>,
    pub(crate) max_chars: usize,
}

/// The request form below a refused booking, for those who cannot grant the exception themselves; `None`
/// when the booking was not refused by the criteria alone.
pub(crate) fn gesuch_form(
    user: &CurrentUser,
    id: i64,
    input: &BuchungInput,
    begruendung: &str,
    errors: &FieldErrors,
) -> Option<GesuchForm> {
    let refused = errors.iter().any(|(field, _)| field.starts_with("eintritt_"));
    let only_criteria = errors.iter().all(|(field, _)| field.starts_with("eintritt_") || field == "gesuch_begruendung");
    if !refused || !only_criteria || user.actor().may(Resource::Dossier, Action::Approve) {
        return None;
    }
    Some(GesuchForm {
        action: format!("/dossiers/{id}/ausnahmegesuche"),
        buchung: vec![
            ("massnahme", input.massnahme.clone()),
            ("anbieter", input.anbieter.clone()),
            ("beginn", input.beginn.clone()),
            ("geplantes_ende", input.geplantes_ende.clone()),
            ("ausbildung", input.ausbildung.clone()),
        ],
        begruendung: begruendung.to_owned(),
        error: errors.get("gesuch_begruendung").map(str::to_owned),
        max_chars: AUSNAHME_BEGRUENDUNG_CHARS,
    })
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub struct AntragForm {
    /// The booking as the case worker entered it (an `ausnahme` sent along is ignored: only the Leitung grants one).
    #[serde(flatten)]
    buchung: BuchungForm,
    gesuch_begruendung: String,
}

/// The case worker sends the request; a refusal shows the booking form again with the criteria and the
/// request form.
pub async fn request(
    State(state): State<SharedState>,
    user: CurrentUser,
    Path(id): Path<String>,
    Form(form): Form<AntragForm>,
) -> Result<Response, PageError> {
    let id = parse_id(&id)?;
    let input = BuchungInput { ausnahme: String::new(), ..BuchungInput::from(form.buchung) };
    match state.store.request_ausnahme(user.actor(), id, &input, &form.gesuch_begruendung).await {
        Ok(_) => Ok(to_dossier(id, "ausnahme_beantragt")),
        Err(StoreError::Invalid(errors)) => {
            let filter = massnahmen_filter(id);
            let page = buchung_page(&state, &user, id, &input, filter, &errors).await?;
            let gesuch = gesuch_form(&user, id, &input, &form.gesuch_begruendung, &errors);
            unprocessable(BuchungPage { page, gesuch })
        }
        Err(other) => Err(other.into()),
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "fallfuehrung/massnahmen/ausnahmegesuch.html")]
pub struct EntscheidPage {
    layout: Layout,
    dossier_id: i64,
    person: String,
    gesuch: Ausnahmegesuch,
    zeitraum: String,
    beantragt_am: String,
    /// The decision in words, once decided.
    entscheid: Option<String>,
    may_decide: bool,
    begruendung: String,
    error: Option<String>,
    errors: Vec<(String, String)>,
    max_chars: usize,
}

fn entscheid_page(
    user: &CurrentUser,
    dossier: &Dossier,
    gesuch_id: i64,
    begruendung: &str,
    errors: &FieldErrors,
) -> Result<EntscheidPage, PageError> {
    let gesuch =
        dossier.ausnahmegesuche.iter().find(|g| g.id == gesuch_id).cloned().ok_or(PageError(AppError::NotFound))?;
    let person = format!("{}, {}", dossier.person.data.nachname.as_str(), dossier.person.data.vornamen.as_str());
    let bis = gesuch.geplantes_ende.map_or_else(|| "offen".to_owned(), swiss_date);
    let entscheid = gesuch.entscheid.as_ref().map(|e| {
        let was = if e.bewilligt { "Bewilligt und gebucht" } else { "Abgelehnt" };
        format!("{was} am {} von {}: {}", iim_domain::clock::format_swiss(e.am), e.von, e.begruendung)
    });
    Ok(EntscheidPage {
        layout: Layout::for_user(user, format!("Ausnahmegesuch {person}"), "pendenzen"),
        dossier_id: dossier.id,
        zeitraum: format!("{} – {bis}", swiss_date(gesuch.beginn)),
        beantragt_am: iim_domain::clock::format_swiss(gesuch.beantragt_am),
        entscheid,
        may_decide: user.actor().may(Resource::Dossier, Action::Approve),
        begruendung: begruendung.to_owned(),
        error: errors.iter().map(|(_, message)| message.to_owned()).reduce(|a, b| format!("{a} {b}")),
        errors: errors.iter().map(|(_, message)| ("begruendung".to_owned(), message.to_owned())).collect(),
        max_chars: AUSNAHME_BEGRUENDUNG_CHARS,
        person,
        gesuch,
    })
}

/// The request with everything the Leitung needs to decide: person, measure, unmet criteria, the case
/// worker's reason. Whoever reads the dossier reads it; the form is for those who may approve.
pub async fn show(
    State(state): State<SharedState>,
    user: CurrentUser,
    Path((id, gid)): Path<(String, String)>,
) -> Result<EntscheidPage, PageError> {
    let (id, gesuch_id) = (parse_id(&id)?, parse_id(&gid)?);
    let dossier = state.store.get_dossier(user.actor(), id).await?;
    entscheid_page(&user, &dossier, gesuch_id, "", &FieldErrors::new())
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub struct EntscheidForm {
    entscheid: String,
    begruendung: String,
}

/// The Leitung approves (the measure is booked) or refuses, with a reason either way.
pub async fn decide(
    State(state): State<SharedState>,
    user: CurrentUser,
    Path((id, gid)): Path<(String, String)>,
    Form(form): Form<EntscheidForm>,
) -> Result<Response, PageError> {
    let (id, gesuch_id) = (parse_id(&id)?, parse_id(&gid)?);
    let bewilligen = form.entscheid == "bewilligen";
    let result = if bewilligen || form.entscheid == "ablehnen" {
        state.store.decide_ausnahme(user.actor(), id, gesuch_id, bewilligen, &form.begruendung).await
    } else {
        let mut errors = FieldErrors::new();
        errors.add("begruendung", "Bitte «bewilligen» oder «ablehnen» wählen.");
        Err(StoreError::Invalid(errors))
    };
    match result {
        Ok(_) => Ok(to_dossier(id, if bewilligen { "ausnahme_bewilligt" } else { "ausnahme_abgelehnt" })),
        Err(StoreError::Invalid(errors)) => {
            let dossier = state.store.get_dossier(user.actor(), id).await?;
            unprocessable(entscheid_page(&user, &dossier, gesuch_id, &form.begruendung, &errors)?)
        }
        Err(other) => Err(other.into()),
    }
}
