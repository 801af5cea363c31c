//! Orders to providers. The case worker orders from the dossier (Praxisassessment, vertiefte
//! Potenzialerfassung, Integrationscoaching), the Leitung approves coaching, the case worker takes note of
//! results. The provider has its own pages: the orders addressed to it and a form for the result.

use crate::auth::CurrentUser;
use crate::error::PageError;
use crate::pages::dossiers::{DossierFormPage, FormSpec, after_action, form_page, to_dossier};
use crate::pages::form::{choice_field, choices, summary, textarea_field, with_errors};
use crate::pages::unprocessable;
use crate::pages::{Layout, Pagination, page_number, parse_id};
use crate::state::SharedState;
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::Form;
use iim_domain::FieldErrors;
use iim_domain::auftrag::{AuftragArt, AuftragInput, AuftragStatus, ErgebnisInput, REPORT_CHARS};
use iim_domain::clock::format_swiss;
use iim_domain::person::Choice;
use iim_domain::{Action, Resource};
use iim_store::{Auftrag, AuftragFuerAnbieter, StoreError};
use std::collections::HashMap;

/// An order as a row of the dossier page.
pub struct AuftragRow {
    pub id: i64,
    pub art: &'static str,
    pub anbieter: String,
    pub fragestellung: String,
    pub status: &'static str,
    pub erteilt: String,
    pub waits_for_approval: bool,
    pub result_new: bool,
    pub ergebnis: Option<ResultView>,
    pub entscheid: String,
}

/// A provider's result as shown to the case worker and the provider.
pub struct ResultView {
    pub ergebnis: String,
    pub empfehlungen: String,
    pub binding: bool,
    pub klassifikation: &'static str,
    pub eingegangen: String,
}

pub fn order_rows(orders: &[Auftrag]) -> Vec<AuftragRow> {
    orders
        .iter()
        .map(|order| AuftragRow {
            id: order.id,
            art: order.art.label(),
            anbieter: order.anbieter.clone(),
            fragestellung: order.fragestellung.clone(),
            status: order.status.label(),
            erteilt: format!("{} von {}", format_swiss(order.erteilt_at), order.erteilt_von),
            waits_for_approval: order.status == AuftragStatus::GenehmigungAusstehend,
            result_new: order.status == AuftragStatus::ErgebnisEingegangen,
            ergebnis: order.ergebnis.as_ref().map(|e| ResultView {
                ergebnis: e.ergebnis.clone(),
                empfehlungen: e.empfehlungen.clone(),
                binding: order.art.recommendations_binding(),
                klassifikation: classification(e.komplex),
                eingegangen: order.ergebnis_at.map(format_swiss).unwrap_or_default(),
            }),
            entscheid: order.entscheid_begruendung.clone().unwrap_or_default(),
        })
        .collect()
}

fn classification(komplex: Option<bool>) -> &'static str {
    match komplex {
        Some(true) => "Der Fall ist komplex.",
        Some(false) => "Der Fall ist nicht komplex.",
        None => "",
    }
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub struct OrderForm {
    art: String,
    anbieter: String,
    fragestellung: String,
}

async fn order_page(
    state: &SharedState,
    user: &CurrentUser,
    id: i64,
    input: &AuftragInput,
    errors: &FieldErrors,
) -> Result<DossierFormPage, PageError> {
    let dossier = state.store.get_dossier(user.actor(), id).await?;
    let providers: Vec<(String, String)> = state
        .store
        .providers_for_orders()
        .await?
        .into_iter()
        .map(|p| {
            let kinds: Vec<&str> = p.akkreditiert_fuer.iter().map(|art| art.label()).collect();
            (p.id.to_string(), format!("{} (akkreditiert für {})", p.name, kinds.join(", ")))
        })
        .collect();
    let mut art = choice_field(
        "art",
        "Art des Auftrags",
        "radios",
        true,
        choices::<AuftragArt>(),
        std::slice::from_ref(&input.art),
    );
    art.hint = "Integrationscoaching setzt eine vertiefte Potenzialerfassung voraus, die den Fall als komplex einstuft, und braucht die Genehmigung der Leitung.";
    let fields = vec![
        art,
        choice_field("anbieter", "Anbieter", "select", true, providers, std::slice::from_ref(&input.anbieter)),
        textarea_field(
            "fragestellung",
            "Fragestellung",
            "Was soll der Anbieter klären? Der Anbieter sieht Name, Geburtsdatum und Sprachen der Person und diese Fragestellung.",
            true,
            &input.fragestellung,
        ),
    ];
    let spec = FormSpec {
        title: "Auftrag an Anbieter",
        lead: "Der Anbieter erhält den Auftrag in seiner Ansicht und meldet Ergebnis und Empfehlungen zurück."
            .to_owned(),
        path: "auftraege",
        submit: "Auftrag erteilen",
    };
    Ok(form_page(user, &dossier, spec, fields, errors))
}

pub async fn order_form(
    State(state): State<SharedState>,
    user: CurrentUser,
    Path(id): Path<String>,
) -> Result<DossierFormPage, PageError> {
    state.store.check_permission(user.actor(), Resource::Dossier, Action::Update).await?;
    order_page(&state, &user, parse_id(&id)?, &AuftragInput::default(), &FieldErrors::new()).await
}

pub async fn order(
    State(state): State<SharedState>,
    user: CurrentUser,
    Path(id): Path<String>,
    Form(form): Form<OrderForm>,
) -> Result<Response, PageError> {
    let id = parse_id(&id)?;
    let input = AuftragInput { art: form.art, anbieter: form.anbieter, fragestellung: form.fragestellung };
    match state.store.order(user.actor(), id, &input).await {
        Ok(_) => Ok(to_dossier(id, "auftrag")),
        Err(StoreError::Invalid(errors)) => unprocessable(order_page(&state, &user, id, &input, &errors).await?),
        Err(other) => Err(other.into()),
    }
}

/// The Leitung's decision on a coaching order or a closing: approve, or refuse with a reason.
#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub struct DecisionForm {
    entscheid: String,
    begruendung: String,
}

impl DecisionForm {
    pub fn approves(&self) -> bool {
        self.entscheid == "genehmigen"
    }

    pub fn begruendung(&self) -> &str {
        &self.begruendung
    }

    pub fn notice(&self) -> &'static str {
        if self.approves() { "genehmigt" } else { "nicht_genehmigt" }
    }
}

pub async fn decide(
    State(state): State<SharedState>,
    user: CurrentUser,
    Path((id, auftrag)): Path<(String, String)>,
    Form(form): Form<DecisionForm>,
) -> Result<Response, PageError> {
    let (id, auftrag) = (parse_id(&id)?, parse_id(&auftrag)?);
    let result = state.store.decide_order(user.actor(), id, auftrag, form.approves(), form.begruendung()).await;
    after_action(&state, &user, id, result, form.notice()).await
}

pub async fn acknowledge(
    State(state): State<SharedState>,
    user: CurrentUser,
    Path((id, auftrag)): Path<(String, String)>,
) -> Result<Response, PageError> {
    let (id, auftrag) = (parse_id(&id)?, parse_id(&auftrag)?);
    let result = state.store.acknowledge_result(user.actor(), id, auftrag).await;
    after_action(&state, &user, id, result, "kenntnis").await
}

/// An order in the provider's list.
pub struct ProviderRow {
    id: i64,
    art: &'static str,
    person: String,
    stelle: String,
    erteilt: String,
    status: &'static str,
    open: bool,
}

#[derive(Template, WebTemplate)]
#[template(path = "fallfuehrung/auftraege/list.html")]
pub struct ProviderListPage {
    layout: Layout,
    orders: Vec<ProviderRow>,
    total: u64,
    pagination: Pagination,
}

pub async fn provider_list(
    State(state): State<SharedState>,
    user: CurrentUser,
    Query(params): Query<HashMap<String, String>>,
) -> Result<ProviderListPage, PageError> {
    let page = page_number(params.get("seite"));
    let found = state.store.provider_orders(user.actor(), page, 50).await?;
    let pagination = Pagination::new("/auftraege", &[], page, found.pages());
    let orders = found
        .items
        .iter()
        .map(|order| ProviderRow {
            id: order.id,
            art: order.art.label(),
            person: person_name(order),
            stelle: order.stelle.clone(),
            erteilt: format_swiss(order.erteilt_at),
            status: order.status.label(),
            open: order.status == AuftragStatus::Erteilt,
        })
        .collect();
    Ok(ProviderListPage {
        layout: Layout::for_user(&user, "Aufträge", "auftraege"),
        orders,
        total: found.total,
        pagination,
    })
}

#[derive(Template, WebTemplate)]
#[template(path = "fallfuehrung/auftraege/show.html")]
pub struct ProviderOrderPage {
    layout: Layout,
    id: i64,
    art: &'static str,
    status: &'static str,
    person: String,
    birth: String,
    languages: String,
    stelle: String,
    erteilt: String,
    fragestellung: String,
    ergebnis: Option<ResultView>,
    open: bool,
    binding_hint: bool,
    fields: Vec<crate::pages::form::FormField>,
    errors: Vec<(String, String)>,
}

fn person_name(order: &AuftragFuerAnbieter) -> String {
    format!("{}, {}", order.person.data.nachname.as_str(), order.person.data.vornamen.as_str())
}

fn provider_page(
    user: &CurrentUser,
    order: &AuftragFuerAnbieter,
    input: &ErgebnisInput,
    errors: &FieldErrors,
    notice: Option<&str>,
) -> ProviderOrderPage {
    let mut fields = vec![
        textarea_field("ergebnis", "Ergebnis", "Befunde und Beobachtungen.", true, &input.ergebnis)
            .with_max_chars(REPORT_CHARS),
        textarea_field(
            "empfehlungen",
            "Empfehlungen für den Hilfsplan",
            "",
            order.art != AuftragArt::Integrationscoaching,
            &input.empfehlungen,
        )
        .with_max_chars(REPORT_CHARS),
    ];
    if order.art == AuftragArt::VertieftePotenzialerfassung {
        let yes_no =
            vec![("ja".to_owned(), "ja, komplex".to_owned()), ("nein".to_owned(), "nein, nicht komplex".to_owned())];
        let mut komplex = choice_field(
            "komplex",
            "Ist der Fall komplex?",
            "radios",
            true,
            yes_no,
            std::slice::from_ref(&input.komplex),
        );
        komplex.hint = "Nur bei komplexen Fällen ist ein Integrationscoaching möglich.";
        fields.push(komplex);
    }
    let languages: Vec<String> = order
        .person
        .data
        .sprachen
        .iter()
        .map(|code| iim_domain::catalog::language_name(code).unwrap_or(code).to_owned())
        .collect();
    ProviderOrderPage {
        layout: Layout::for_user(user, format!("Auftrag {}", order.id), "auftraege").with_notice(notice),
        id: order.id,
        art: order.art.label(),
        status: order.status.label(),
        person: person_name(order),
        birth: order.person.data.geburtsdatum.to_string(),
        languages: if languages.is_empty() { "nicht erfasst".to_owned() } else { languages.join(", ") },
        stelle: format!("{} ({})", order.stelle, order.erteilt_von),
        erteilt: format_swiss(order.erteilt_at),
        fragestellung: order.fragestellung.clone(),
        ergebnis: order.ergebnis.as_ref().map(|e| ResultView {
            ergebnis: e.ergebnis.clone(),
            empfehlungen: e.empfehlungen.clone(),
            binding: order.art.recommendations_binding(),
            klassifikation: classification(e.komplex),
            eingegangen: String::new(),
        }),
        open: order.status == AuftragStatus::Erteilt,
        binding_hint: order.art.recommendations_binding(),
        fields: with_errors(fields, errors),
        errors: summary(errors),
    }
}

pub async fn provider_show(
    State(state): State<SharedState>,
    user: CurrentUser,
    Path(id): Path<String>,
    Query(params): Query<HashMap<String, String>>,
) -> Result<ProviderOrderPage, PageError> {
    let order = state.store.provider_order(user.actor(), parse_id(&id)?).await?;
    let notice = params.get("hinweis").map(String::as_str);
    Ok(provider_page(&user, &order, &ErgebnisInput::default(), &FieldErrors::new(), notice))
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub struct ResultForm {
    ergebnis: String,
    empfehlungen: String,
    komplex: String,
}

pub async fn report(
    State(state): State<SharedState>,
    user: CurrentUser,
    Path(id): Path<String>,
    Form(form): Form<ResultForm>,
) -> Result<Response, PageError> {
    let id = parse_id(&id)?;
    let input = ErgebnisInput { ergebnis: form.ergebnis, empfehlungen: form.empfehlungen, komplex: form.komplex };
    match state.store.report_result(user.actor(), id, &input).await {
        Ok(_) => Ok(Redirect::to(&format!("/auftraege/{id}?hinweis=ergebnis")).into_response()),
        Err(StoreError::Invalid(errors)) => {
            let order = state.store.provider_order(user.actor(), id).await?;
            let page = provider_page(&user, &order, &input, &errors, None);
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
        Err(other) => Err(other.into()),
    }
}

/// A provider and what it is accredited for.
pub struct ProviderLine {
    name: String,
    typ: &'static str,
    orders: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "fallfuehrung/auftraege/anbieter.html")]
pub struct ProvidersPage {
    layout: Layout,
    providers: Vec<ProviderLine>,
}

/// The providers and their accreditations (no personal data; every logged-in user may look).
pub async fn providers(State(state): State<SharedState>, user: CurrentUser) -> Result<ProvidersPage, PageError> {
    let providers = state
        .store
        .providers()
        .await?
        .into_iter()
        .map(|p| ProviderLine {
            name: p.name,
            typ: p.typ.map_or("Typ nicht erfasst", |t| t.label()),
            orders: if p.akkreditiert_fuer.is_empty() {
                "keine Aufträge".to_owned()
            } else {
                p.akkreditiert_fuer.iter().map(|a| a.label()).collect::<Vec<_>>().join(", ")
            },
        })
        .collect();
    Ok(ProvidersPage { layout: Layout::for_user(&user, "Anbieter", "anbieter"), providers })
}
