//! «Register-Import»: the Integrationsbeauftragte (or an admin) uploads a week's deliveries of the population
//! register, as XML files or zip archives, and sees per file what the import did: new, earlier imported,
//! skipped and refused events, skipped and refused ones grouped by their reason in plain words («12 ×
//! Einwohnerbestand: Person dem Cockpit nicht bekannt»); below, the earlier deliveries, each with its skipped
//! events and open refusals. Field paths of the register's format appear only inside a `<details>` element for
//! whoever asks the register to correct a delivery; skipped events name no person (none is stored). The upload is streamed to temporary files (up to
//! [`UPLOAD_LIMIT`]) and imported with the shared code of `iim import ech0020` (`iim_store::delivery_files`).
//! Multipart forms carry their CSRF token as the first field, checked here (`auth::multipart_csrf_ok`).

use crate::auth::{CurrentUser, multipart_csrf_ok};
use crate::error::PageError;
use crate::pages::{Layout, Pagination, page_number, parse_id, render_error_page};
use crate::state::SharedState;
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::multipart::{Field, Multipart, MultipartError, MultipartRejection};
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use iim_domain::clock::format_swiss;
use iim_domain::erstinformation::{Abgelehnt, Ereignisart};
use iim_domain::{Action, Choice, Resource};
use iim_store::{FileOutcome, FileResult, Lieferung, LieferungAblehnung, LieferungDetail, delivery_files};
use std::collections::{BTreeMap, HashMap};
use std::io::Write;
use std::path::PathBuf;

/// The largest upload: a week's deliveries of a big Gemeinde as a zip fit many times over.
pub const UPLOAD_LIMIT: usize = 200 * 1024 * 1024;

const PER_PAGE: u64 = 25;

pub struct DeliveryRow {
    id: i64,
    datum: String,
    datei: String,
    absender: String,
    importiert_von: String,
    gelesen: i32,
    gespeichert: i32,
    zugeordnet: i32,
    uebersprungen: i32,
    abgelehnt: i32,
}

impl From<Lieferung> for DeliveryRow {
    fn from(l: Lieferung) -> Self {
        Self {
            id: l.id,
            datum: format_swiss(l.importiert_at),
            datei: l.datei,
            absender: l.sender_id,
            importiert_von: l.importiert_von,
            gelesen: l.gelesen,
            gespeichert: l.gespeichert,
            zugeordnet: l.zugeordnet,
            uebersprungen: l.uebersprungen,
            abgelehnt: l.abgelehnt,
        }
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "start_integration/register_import/list.html")]
pub struct ImportPage {
    layout: Layout,
    error: Option<String>,
    deliveries: Vec<DeliveryRow>,
    total: u64,
    pagination: Pagination,
}

async fn import_page(
    state: &SharedState,
    user: &CurrentUser,
    page: u64,
    error: Option<String>,
) -> Result<ImportPage, PageError> {
    let found = state.store.register_deliveries(user.actor(), page, PER_PAGE).await?;
    Ok(ImportPage {
        layout: Layout::for_user(user, "Register-Import", "register-import"),
        error,
        pagination: Pagination::new("/register-import", &[], page, found.pages()),
        total: found.total,
        deliveries: found.items.into_iter().map(DeliveryRow::from).collect(),
    })
}

pub async fn list(
    State(state): State<SharedState>,
    user: CurrentUser,
    Query(params): Query<HashMap<String, String>>,
) -> Result<ImportPage, PageError> {
    import_page(&state, &user, page_number(params.get("seite")), None).await
}

/// What one uploaded file (or zip entry) gave.
pub struct ResultRow {
    name: String,
    outcome: &'static str,
    reason: String,
    /// Read, stored, matched, skipped, refused, imported before.
    counts: Option<[usize; 6]>,
    umzugsvorschlaege: usize,
    skipped: Vec<GroupRow>,
    refused: Vec<GroupRow>,
    refusals: Vec<RefusalRow>,
}

/// Events of one kind (if named) and reason, with their number.
pub struct GroupRow {
    anzahl: usize,
    art: &'static str,
    grund: String,
}

/// A refused event for the detail view: position, eCH element, field path, the reader's message.
pub struct RefusalRow {
    position: String,
    ereignis: String,
    feld: String,
    meldung: String,
}

/// Groups, most frequent first (then in the order of the key).
fn groups<K: Ord>(counted: impl IntoIterator<Item = (K, usize)>, row: impl Fn(K, usize) -> GroupRow) -> Vec<GroupRow> {
    let mut counted: Vec<(K, usize)> = counted.into_iter().collect();
    counted.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    counted.into_iter().map(|(key, anzahl)| row(key, anzahl)).collect()
}

impl From<&FileResult> for ResultRow {
    fn from(result: &FileResult) -> Self {
        let row = |outcome, reason: &str| ResultRow {
            name: result.name.clone(),
            outcome,
            reason: reason.to_owned(),
            counts: None,
            umzugsvorschlaege: 0,
            skipped: Vec::new(),
            refused: Vec::new(),
            refusals: Vec::new(),
        };
        match &result.outcome {
            FileOutcome::Imported(report) => {
                ResultRow {
                    counts: Some([
                        report.gelesen,
                        report.gespeichert,
                        report.zugeordnet,
                        report.uebersprungen,
                        report.abgelehnt.len(),
                        report.frueher_importiert,
                    ]),
                    umzugsvorschlaege: report.umzugsvorschlaege,
                    skipped: groups(
                        report.uebersprungen_nach_grund.iter().map(|(k, n)| (*k, *n)),
                        |(art, grund), anzahl| GroupRow { anzahl, art: art.label(), grund: grund.to_string() },
                    ),
                    refused: groups(report.abgelehnt_nach_grund.iter().map(|(k, n)| (*k, *n)), |grund, anzahl| {
                        GroupRow { anzahl, art: "", grund: grund.to_string() }
                    }),
                    refusals: report
                        .abgelehnt
                        .iter()
                        .map(|r| RefusalRow {
                            position: r.position.to_string(),
                            ereignis: r.kind.clone(),
                            feld: r.field.clone(),
                            meldung: r.message.clone(),
                        })
                        .collect(),
                    ..row(if report.bereits_importiert { "bereits importiert" } else { "importiert" }, "")
                }
            }
            FileOutcome::Refused(reason) => row("abgelehnt", reason),
            FileOutcome::Skipped(reason) => row("übersprungen", reason),
        }
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "start_integration/register_import/result.html")]
pub struct ResultPage {
    layout: Layout,
    files: Vec<ResultRow>,
    refused: usize,
}

/// Receives the upload, imports every delivery and shows what each file gave.
pub async fn upload(
    State(state): State<SharedState>,
    user: CurrentUser,
    multipart: Result<Multipart, MultipartRejection>,
) -> Result<Response, PageError> {
    state.store.check_permission(user.actor(), Resource::RegisterImport, Action::Create).await?;
    let Ok(mut multipart) = multipart else {
        return Ok(bad_form());
    };
    let folder = tempfile::tempdir().map_err(|e| crate::error::AppError::Internal(e.to_string()))?;
    let inputs = match receive(&user, &mut multipart, folder.path().to_owned()).await {
        Ok(Received::Files(inputs)) => inputs,
        Ok(Received::CsrfMismatch) => return Ok(expired_form()),
        Err(error) if error.status() == StatusCode::PAYLOAD_TOO_LARGE => return Ok(too_large()),
        Err(_) => return Ok(bad_form()),
    };
    if inputs.is_empty() {
        let message = "Bitte mindestens eine Datei wählen (XML-Lieferung oder Zip-Archiv).".to_owned();
        let page = import_page(&state, &user, 1, Some(message)).await?;
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response());
    }
    let files = delivery_files(&inputs);
    let results = state.store.import_register_files(user.actor(), &files, |_| {}).await?;
    let files: Vec<ResultRow> = results.iter().map(ResultRow::from).collect();
    let refused = files.iter().map(|f| f.refusals.len() + usize::from(f.outcome == "abgelehnt")).sum();
    let layout = Layout::for_user(&user, "Ergebnis des Register-Imports", "register-import");
    Ok(ResultPage { layout, files, refused }.into_response())
}

enum Received {
    Files(Vec<(PathBuf, String)>),
    CsrfMismatch,
}

/// Checks the CSRF token (the first field), then writes each uploaded file to `folder`, chunk by chunk.
async fn receive(user: &CurrentUser, multipart: &mut Multipart, folder: PathBuf) -> Result<Received, MultipartError> {
    let token = match multipart.next_field().await? {
        Some(field) if field.name() == Some("csrf_token") => field.text().await?,
        _ => String::new(),
    };
    if !multipart_csrf_ok(user, &token) {
        return Ok(Received::CsrfMismatch);
    }
    let mut inputs = Vec::new();
    while let Some(field) = multipart.next_field().await? {
        let name = field.file_name().map(base_name).unwrap_or_default();
        if field.name() != Some("dateien") || name.is_empty() {
            continue;
        }
        let path = folder.join(format!("upload-{}", inputs.len()));
        if save(field, &path).await?.is_err() {
            return Ok(Received::Files(Vec::new()));
        }
        inputs.push((path, name));
    }
    Ok(Received::Files(inputs))
}

async fn save(mut field: Field<'_>, path: &std::path::Path) -> Result<std::io::Result<()>, MultipartError> {
    let mut file = match std::fs::File::create(path) {
        Ok(file) => std::io::BufWriter::new(file),
        Err(e) => return Ok(Err(e)),
    };
    while let Some(chunk) = field.chunk().await? {
        if let Err(e) = file.write_all(&chunk) {
            return Ok(Err(e));
        }
    }
    Ok(file.flush())
}

/// The name without any folder a browser may send along.
fn base_name(name: &str) -> String {
    name.rsplit(['/', '\\']).next().unwrap_or_default().trim().to_owned()
}

fn too_large() -> Response {
    render_error_page(
        StatusCode::PAYLOAD_TOO_LARGE,
        "Dateien zu gross",
        "Die gewählten Dateien sind zusammen grösser als 200 MB. Bitte in mehreren Teilen hochladen oder den Import über die Kommandozeile ausführen lassen.",
    )
}

fn bad_form() -> Response {
    render_error_page(
        StatusCode::BAD_REQUEST,
        "Hochladen fehlgeschlagen",
        "Die Dateien kamen nicht vollständig an. Bitte die Seite neu laden und nochmals senden.",
    )
}

fn expired_form() -> Response {
    render_error_page(
        StatusCode::FORBIDDEN,
        "Formular abgelaufen",
        "Das Formular ist abgelaufen oder stammt nicht von dieser Anwendung. Bitte die Seite neu laden und nochmals senden.",
    )
}

#[derive(Template, WebTemplate)]
#[template(path = "start_integration/register_import/detail.html")]
pub struct DetailPage {
    layout: Layout,
    delivery: DeliveryRow,
    message_id: String,
    skipped: Vec<GroupRow>,
    refused: Vec<GroupRow>,
    refusals: Vec<RefusalRow>,
}

pub async fn show(
    State(state): State<SharedState>,
    user: CurrentUser,
    Path(id): Path<String>,
) -> Result<DetailPage, PageError> {
    let LieferungDetail { lieferung, ablehnungen, uebersprungen } =
        state.store.register_delivery(user.actor(), parse_id(&id)?).await?;
    let mut by_reason: BTreeMap<(Abgelehnt, Ereignisart), usize> = BTreeMap::new();
    for refusal in &ablehnungen {
        *by_reason.entry((refusal.grund, refusal.art)).or_default() += 1;
    }
    Ok(DetailPage {
        layout: Layout::for_user(&user, format!("Lieferung {}", lieferung.datei), "register-import"),
        message_id: lieferung.message_id.clone(),
        delivery: DeliveryRow::from(lieferung),
        skipped: uebersprungen
            .into_iter()
            .map(|g| GroupRow {
                anzahl: usize::try_from(g.anzahl).unwrap_or(usize::MAX),
                art: g.art.label(),
                grund: g.grund.to_string(),
            })
            .collect(),
        refused: groups(by_reason, |(grund, art), anzahl| GroupRow {
            anzahl,
            art: art.label(),
            grund: grund.to_string(),
        }),
        refusals: ablehnungen.into_iter().map(refusal_row).collect(),
    })
}

fn refusal_row(r: LieferungAblehnung) -> RefusalRow {
    RefusalRow { position: r.position.to_string(), ereignis: r.ereignis, feld: r.feld, meldung: r.meldung }
}
