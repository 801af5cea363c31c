//! «Fallliste übernehmen»: the Leitung of a Sozialregion (or an admin, choosing the Sozialregion) uploads the
//! existing Excel list of its caseload, sees a preview of every row it would create and every row it
//! refuses with the reason, and confirms with «Import bestätigen». Nothing is stored before the confirmation.
//!
//! Why the upload is kept in memory between preview and confirmation: the user should not have to choose the
//! file twice, and what is confirmed must be exactly what was previewed. The bytes (at most 10 MB) wait under a
//! random token bound to the user for 30 minutes, at most [`KEPT`] uploads at once (the oldest goes first, a
//! user's new upload replaces the user's older one); they are never written to disk. After a restart the
//! token is unknown and the page asks to upload again. The template is served as CSV and XLSX.

use crate::auth::{CurrentUser, multipart_csrf_ok};
use crate::error::{AppError, PageError};
use crate::pages::export::{csv_download, download};
use crate::pages::{Layout, render_error_page, swiss_date};
use crate::state::SharedState;
use askama::Template;
use askama_web::WebTemplate;
use axum::Form;
use axum::extract::State;
use axum::extract::multipart::{Multipart, MultipartError, MultipartRejection};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use iim_domain::caseload::{MAX_BYTES, Spalte};
use iim_domain::{Action, Resource, Scope};
use iim_store::{CaseloadBericht, OrganisationKind, StoreError};
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// The largest request of the upload form: the file (10 MB) and the form's other fields.
pub const UPLOAD_LIMIT: usize = MAX_BYTES + 64 * 1024;
/// Uploads kept for confirmation at once (at most 80 MB).
const KEPT: usize = 8;
const KEEP_FOR: Duration = Duration::from_secs(30 * 60);
/// Rows the preview lists of the new ones; the counts cover all.
const SHOWN: usize = 200;
const XLSX_TYPE: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

struct Upload {
    token: String,
    user_id: i64,
    stelle: String,
    datei: String,
    bytes: Vec<u8>,
    at: Instant,
}

static UPLOADS: Mutex<Vec<Upload>> = Mutex::new(Vec::new());

fn keep(upload: Upload) {
    let mut uploads = UPLOADS.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
    uploads.retain(|u| u.at.elapsed() < KEEP_FOR && u.user_id != upload.user_id);
    if uploads.len() >= KEPT {
        uploads.remove(0);
    }
    uploads.push(upload);
}

fn take(token: &str, user_id: i64) -> Option<Upload> {
    let mut uploads = UPLOADS.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
    uploads.retain(|u| u.at.elapsed() < KEEP_FOR);
    let index = uploads.iter().position(|u| u.token == token && u.user_id == user_id)?;
    Some(uploads.remove(index))
}

fn new_token() -> String {
    use base64::Engine;
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(rand::random::<[u8; 24]>())
}

/// A Sozialregion to choose (admins only).
pub struct StelleOption {
    code: String,
    name: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "fallfuehrung/caseload/form.html")]
pub struct FormPage {
    layout: Layout,
    error: Option<String>,
    stellen: Vec<StelleOption>,
    spalten: Vec<(&'static str, bool)>,
}

fn form_page(state: &SharedState, user: &CurrentUser, error: Option<String>) -> FormPage {
    let directory = state.store.directory();
    let mut stellen: Vec<StelleOption> = if reaches_all(user) {
        directory
            .all()
            .filter(|o| o.kind == OrganisationKind::Sozialregion)
            .map(|o| StelleOption { code: o.code.clone(), name: o.name.clone() })
            .collect()
    } else {
        Vec::new()
    };
    stellen.sort_by(|a, b| a.name.cmp(&b.name));
    FormPage {
        layout: Layout::for_user(user, "Fallliste übernehmen", "fallliste"),
        error,
        stellen,
        spalten: Spalte::ALL.iter().map(|s| (s.titel(), s.pflicht())).collect(),
    }
}

fn reaches_all(user: &CurrentUser) -> bool {
    user.actor().scope_for(Resource::CaseloadImport, Action::Create) == Ok(Scope::Canton)
}

pub async fn form(State(state): State<SharedState>, user: CurrentUser) -> Result<FormPage, PageError> {
    state.store.check_permission(user.actor(), Resource::CaseloadImport, Action::Create).await?;
    Ok(form_page(&state, &user, None))
}

/// One row of the preview or result.
pub struct NeuRow {
    zeile: usize,
    name: String,
    geburtsdatum: String,
    gemeinde: String,
    fallfuehrung: String,
    eroeffnet_am: String,
    ziele: usize,
    massnahmen: usize,
}

pub struct AbgelehntRow {
    zeile: usize,
    name: String,
    gruende: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "fallfuehrung/caseload/bericht.html")]
pub struct BerichtPage {
    layout: Layout,
    /// The token to confirm with; `None` once imported.
    token: Option<String>,
    datei: String,
    stelle: String,
    neu_total: usize,
    neu: Vec<NeuRow>,
    bereits: usize,
    abgelehnt: Vec<AbgelehntRow>,
}

fn bericht_page(user: &CurrentUser, bericht: CaseloadBericht, datei: String, token: Option<String>) -> BerichtPage {
    let title = if token.is_some() { "Vorschau der Fallliste" } else { "Fallliste übernommen" };
    BerichtPage {
        layout: Layout::for_user(user, title, "fallliste"),
        token,
        datei,
        stelle: bericht.stelle,
        neu_total: bericht.neu.len(),
        neu: bericht
            .neu
            .into_iter()
            .take(SHOWN)
            .map(|z| NeuRow {
                zeile: z.zeile,
                name: z.name,
                geburtsdatum: z.geburtsdatum,
                gemeinde: z.gemeinde,
                fallfuehrung: z.fallfuehrung,
                eroeffnet_am: swiss_date(z.eroeffnet_am),
                ziele: z.ziele,
                massnahmen: z.massnahmen,
            })
            .collect(),
        bereits: bericht.bereits.len(),
        abgelehnt: bericht
            .abgelehnt
            .into_iter()
            .map(|a| AbgelehntRow {
                zeile: a.zeile,
                name: a.name,
                gruende: a.gruende.iter().map(ToString::to_string).collect::<Vec<_>>().join(" "),
            })
            .collect(),
    }
}

/// What the upload form sent.
struct Received {
    stelle: String,
    datei: String,
    bytes: Vec<u8>,
}

enum Empfang {
    Ok(Received),
    CsrfMismatch,
    TooLarge,
}

pub async fn upload(
    State(state): State<SharedState>,
    user: CurrentUser,
    multipart: Result<Multipart, MultipartRejection>,
) -> Result<Response, PageError> {
    state.store.check_permission(user.actor(), Resource::CaseloadImport, Action::Create).await?;
    let Ok(mut multipart) = multipart else {
        return Ok(bad_form());
    };
    let received = match receive(&user, &mut multipart).await {
        Ok(Empfang::Ok(received)) => received,
        Ok(Empfang::CsrfMismatch) => return Ok(expired_form()),
        Ok(Empfang::TooLarge) => return Ok(too_large()),
        Err(error) if error.status() == StatusCode::PAYLOAD_TOO_LARGE => return Ok(too_large()),
        Err(_) => return Ok(bad_form()),
    };
    if received.datei.is_empty() {
        return refused(&state, &user, "Bitte die Fallliste wählen (Excel-Datei oder CSV).".to_owned());
    }
    let stelle = if reaches_all(&user) { received.stelle } else { own_stelle(&state, &user) };
    match state.store.preview_caseload(user.actor(), &stelle, &received.datei, &received.bytes).await {
        Ok(bericht) => {
            let token = new_token();
            let datei = received.datei.clone();
            keep(Upload {
                token: token.clone(),
                user_id: user.actor().user_id,
                stelle,
                datei: received.datei,
                bytes: received.bytes,
                at: Instant::now(),
            });
            Ok(bericht_page(&user, bericht, datei, Some(token)).into_response())
        }
        Err(StoreError::Invalid(errors)) => {
            let message = errors.iter().map(|(_, m)| m.to_owned()).collect::<Vec<_>>().join(" ");
            refused(&state, &user, message)
        }
        Err(error) => Err(error.into()),
    }
}

fn refused(state: &SharedState, user: &CurrentUser, message: String) -> Result<Response, PageError> {
    crate::pages::unprocessable(form_page(state, user, Some(message)))
}

fn own_stelle(state: &SharedState, user: &CurrentUser) -> String {
    state.store.directory().get(user.actor().organisation_id).map(|o| o.code.clone()).unwrap_or_default()
}

/// Checks the CSRF token (the first field), then reads the chosen Sozialregion and the file, at most
/// [`MAX_BYTES`].
async fn receive(user: &CurrentUser, multipart: &mut Multipart) -> Result<Empfang, MultipartError> {
    let token = match multipart.next_field().await? {
        Some(field) if field.name() == Some("csrf_token") => field.text().await?,
        _ => String::new(),
    };
    if !multipart_csrf_ok(user, &token) {
        return Ok(Empfang::CsrfMismatch);
    }
    let mut received = Received { stelle: String::new(), datei: String::new(), bytes: Vec::new() };
    while let Some(mut field) = multipart.next_field().await? {
        match field.name() {
            Some("stelle") => received.stelle = field.text().await?.chars().take(100).collect(),
            Some("datei") => {
                received.datei = field.file_name().map(base_name).unwrap_or_default();
                while let Some(chunk) = field.chunk().await? {
                    if received.bytes.len() + chunk.len() > MAX_BYTES {
                        return Ok(Empfang::TooLarge);
                    }
                    received.bytes.extend_from_slice(&chunk);
                }
            }
            _ => {}
        }
    }
    Ok(Empfang::Ok(received))
}

/// The name without any folder a browser may send along, at most 100 characters.
fn base_name(name: &str) -> String {
    name.rsplit(['/', '\\']).next().unwrap_or_default().trim().chars().take(100).collect()
}

#[derive(serde::Deserialize)]
pub struct ConfirmForm {
    token: String,
}

pub async fn confirm(
    State(state): State<SharedState>,
    user: CurrentUser,
    Form(form): Form<ConfirmForm>,
) -> Result<Response, PageError> {
    state.store.check_permission(user.actor(), Resource::CaseloadImport, Action::Create).await?;
    let Some(upload) = take(&form.token, user.actor().user_id) else {
        let message = "Die Vorschau ist abgelaufen. Bitte die Fallliste nochmals hochladen.".to_owned();
        return refused(&state, &user, message);
    };
    let bericht = state.store.import_caseload(user.actor(), &upload.stelle, &upload.datei, &upload.bytes).await?;
    Ok(bericht_page(&user, bericht, upload.datei, None).into_response())
}

/// The template as CSV: the header row only, so that nothing of an example is ever imported.
pub async fn vorlage_csv(State(state): State<SharedState>, user: CurrentUser) -> Result<Response, PageError> {
    state.store.check_permission(user.actor(), Resource::CaseloadImport, Action::Create).await?;
    let header: Vec<&str> = Spalte::ALL.iter().map(|s| s.titel()).collect();
    csv_download(&header, std::iter::empty(), "fallliste-vorlage.csv")
}

/// The template as XLSX: the header row on the first sheet, the explanation with an example on a second.
pub async fn vorlage_xlsx(State(state): State<SharedState>, user: CurrentUser) -> Result<Response, PageError> {
    state.store.check_permission(user.actor(), Resource::CaseloadImport, Action::Create).await?;
    let bytes = vorlage_workbook().map_err(|e| PageError(AppError::Internal(format!("XLSX: {e}"))))?;
    download(bytes, XLSX_TYPE, "fallliste-vorlage.xlsx")
}

fn vorlage_workbook() -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
    use rust_xlsxwriter::{Format, Workbook};
    let mut workbook = Workbook::new();
    let bold = Format::new().set_bold();
    let text = Format::new().set_num_format("@");
    let sheet = workbook.add_worksheet();
    sheet.set_name("Fallliste")?;
    for (column, spalte) in (0u16..).zip(Spalte::ALL) {
        sheet.write_string_with_format(0, column, spalte.titel(), &bold)?;
        sheet.set_column_width(column, 22)?;
        sheet.set_column_format(column, &text)?;
    }
    sheet.set_freeze_panes(1, 0)?;
    let help = workbook.add_worksheet();
    help.set_name("Erläuterungen")?;
    for (column, title) in (0u16..).zip(["Spalte", "Pflicht", "Beispiel"]) {
        help.write_string_with_format(0, column, title, &bold)?;
        help.set_column_width(column, if column == 2 { 70 } else { 36 })?;
    }
    for (row, spalte) in (1u32..).zip(Spalte::ALL) {
        help.write_string(row, 0, spalte.titel())?;
        help.write_string(row, 1, if spalte.pflicht() { "ja" } else { "nein" })?;
        help.write_string(row, 2, spalte.beispiel())?;
    }
    workbook.save_to_buffer()
}

fn too_large() -> Response {
    render_error_page(
        StatusCode::PAYLOAD_TOO_LARGE,
        "Datei zu gross",
        "Die Fallliste ist grösser als 10 MB. Bitte die Liste in mehrere Dateien aufteilen und nacheinander übernehmen.",
    )
}

fn bad_form() -> Response {
    render_error_page(
        StatusCode::BAD_REQUEST,
        "Hochladen fehlgeschlagen",
        "Die Datei kam nicht vollständig an. Bitte die Seite neu laden und nochmals senden.",
    )
}

fn expired_form() -> Response {
    render_error_page(
        StatusCode::FORBIDDEN,
        "Formular abgelaufen",
        "Das Formular ist abgelaufen oder stammt nicht von dieser Anwendung. Bitte die Seite neu laden und nochmals senden.",
    )
}
