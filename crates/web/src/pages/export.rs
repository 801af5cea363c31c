//! CSV export of the register list, as the Sozialregionen and Gemeinden use it in Excel today: semicolons,
//! UTF-8 with byte-order mark (so Excel shows umlauts), and cells that Excel would run as formulas defused.
//! The CSV writer, the download headers and the defusing serve every export (see `caseload_export`).

use crate::auth::CurrentUser;
use crate::error::{AppError, PageError};
use crate::state::SharedState;
use axum::extract::{Query, State};
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use iim_domain::catalog;
use iim_domain::person::Choice;
use std::collections::HashMap;

const HEADER: [&str; 12] = [
    "Personen-Nr.",
    "Nachname",
    "Vornamen",
    "Geschlecht",
    "Geburtsdatum",
    "Staatsangehörigkeit",
    "Aufenthaltsstatus",
    "AHV-Nummer",
    "Einreise",
    "Sprachen",
    "Wohngemeinde",
    "BFS-Nr.",
];

pub async fn persons_csv(
    State(state): State<SharedState>,
    user: CurrentUser,
    Query(params): Query<HashMap<String, String>>,
) -> Result<Response, PageError> {
    let text = params.get("q").cloned().unwrap_or_default();
    let persons = state.store.export_persons(user.actor(), &text).await?;
    let records = persons.iter().map(|person| {
        let data = &person.data;
        let sprachen: Vec<&str> = data.sprachen.iter().map(|c| catalog::language_name(c).unwrap_or(c)).collect();
        vec![
            person.id.to_string(),
            data.nachname.as_str().to_owned(),
            data.vornamen.as_str().to_owned(),
            data.geschlecht.label().to_owned(),
            data.geburtsdatum.to_string(),
            data.nationalitaet.label().to_owned(),
            data.aufenthaltsstatus.code().to_owned(),
            data.ahv_nummer.as_ref().map(ToString::to_string).unwrap_or_default(),
            data.einreisedatum.map(|d| d.to_string()).unwrap_or_default(),
            sprachen.join(", "),
            data.wohngemeinde.name(),
            data.wohngemeinde.to_string(),
        ]
    });
    csv_download(&HEADER, records, "personenregister.csv")
}

/// A CSV file as Excel in Switzerland reads it (semicolons, byte-order mark), every cell defused.
pub fn csv_download(
    header: &[&str],
    records: impl Iterator<Item = Vec<String>>,
    file_name: &str,
) -> Result<Response, PageError> {
    let internal = |e: csv::Error| PageError(AppError::Internal(format!("CSV: {e}")));
    let mut writer = csv::WriterBuilder::new().delimiter(b';').from_writer(Vec::from("\u{feff}".as_bytes()));
    writer.write_record(header).map_err(internal)?;
    for record in records {
        writer.write_record(record.iter().map(|cell| defuse_formula(cell))).map_err(internal)?;
    }
    let bytes = writer.into_inner().map_err(|e| PageError(AppError::Internal(format!("CSV: {e}"))))?;
    download(bytes, "text/csv; charset=utf-8", file_name)
}

/// A file to save rather than show; never kept in a cache, since it carries personal data.
pub fn download(bytes: Vec<u8>, content_type: &'static str, file_name: &str) -> Result<Response, PageError> {
    let disposition = HeaderValue::from_str(&format!("attachment; filename=\"{file_name}\""))
        .map_err(|e| PageError(AppError::Internal(format!("Dateiname {file_name}: {e}"))))?;
    let mut response = bytes.into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    headers.insert(header::CONTENT_DISPOSITION, disposition);
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(response)
}

/// A cell starting with `=`, `+`, `-`, `@`, tab or carriage return would be run by Excel as a formula
/// (CSV injection); a leading apostrophe makes it plain text.
pub fn defuse_formula(cell: &str) -> String {
    match cell.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{cell}"),
        _ => cell.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::defuse_formula;

    #[test]
    fn formulas_become_text_and_names_stay() {
        assert_eq!(defuse_formula("=HYPERLINK(\"http://x\")"), "'=HYPERLINK(\"http://x\")");
        assert_eq!(defuse_formula("-1+2"), "'-1+2");
        assert_eq!(defuse_formula("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(defuse_formula("Müller-Çelik"), "Müller-Çelik");
    }
}
