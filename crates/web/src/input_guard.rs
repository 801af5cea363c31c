//! The guard in front of every handler against input that no handler could read or no database could store:
//! query strings and form bodies that are not UTF-8 after percent-decoding, and NUL bytes in a query, a form
//! or a JSON body. PostgreSQL cannot store a NUL in text and answered with a 500; now the sender gets a German
//! 400 page or problem. How long a value may be and which other control characters it may hold is the
//! domain's check (`iim_domain::limits`), with a message at the field.

use crate::error::{ApiError, AppError, PageError};
use axum::body::{Body, Bytes, to_bytes};
use axum::extract::Request;
use axum::http::header;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

/// The largest form or JSON body read here: the same 2 MB as the limit of every request but the upload.
const BODY_LIMIT: usize = 2 * 1024 * 1024;

/// What makes a request unreadable.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Unreadable {
    NotUtf8,
    Nul,
    TooLarge,
}

impl Unreadable {
    fn error(self) -> AppError {
        AppError::BadRequest(
            match self {
                Unreadable::NotUtf8 => {
                    "Die Eingabe enthält Zeichen, die kein gültiger Text sind (kein UTF-8). Bitte den Text neu eingeben."
                }
                Unreadable::Nul => "Enthält unzulässige Steuerzeichen. Bitte den Text ohne Steuerzeichen neu eingeben.",
                Unreadable::TooLarge => "Die Eingabe ist zu gross. Bitte kürzere Texte senden.",
            }
            .to_owned(),
        )
    }
}

/// Refuses unreadable queries and bodies; passes everything else on unchanged.
pub async fn refuse_unreadable_input(request: Request, next: Next) -> Response {
    let api = request.uri().path().starts_with("/api/");
    if let Some(problem) = request.uri().query().and_then(|query| unreadable_form(query.as_bytes())) {
        return refusal(api, problem);
    }
    let Some(check) = body_check(&request) else {
        return next.run(request).await;
    };
    let (parts, body) = request.into_parts();
    let Ok(bytes) = to_bytes(body, BODY_LIMIT).await else {
        return refusal(api, Unreadable::TooLarge);
    };
    if let Some(problem) = check(&bytes) {
        return refusal(api, problem);
    }
    next.run(Request::from_parts(parts, Body::from(bytes))).await
}

/// Which check a body needs by its content type: forms and JSON; uploads and others pass unread.
fn body_check(request: &Request) -> Option<fn(&Bytes) -> Option<Unreadable>> {
    let content_type = request.headers().get(header::CONTENT_TYPE)?.to_str().ok()?.to_ascii_lowercase();
    if content_type.starts_with("application/x-www-form-urlencoded") {
        Some(|bytes| unreadable_form(bytes))
    } else if content_type.starts_with("application/json") {
        Some(|bytes| unreadable_json(bytes))
    } else {
        None
    }
}

/// Every key and value of `a=1&b=2`, percent-decoded, must be UTF-8 without NUL.
fn unreadable_form(encoded: &[u8]) -> Option<Unreadable> {
    encoded.split(|byte| *byte == b'&' || *byte == b'=').find_map(|piece| {
        match std::str::from_utf8(&urlencoding::decode_binary(piece)) {
            Err(_) => Some(Unreadable::NotUtf8),
            Ok(text) if text.contains('\0') => Some(Unreadable::Nul),
            Ok(_) => None,
        }
    })
}

/// No string of a JSON document may hold a NUL (`\u0000`). A body that is no JSON at all is left to the
/// handler, which answers with its own problem.
fn unreadable_json(bytes: &[u8]) -> Option<Unreadable> {
    let value: serde_json::Value = serde_json::from_slice(bytes).ok()?;
    holds_nul(&value).then_some(Unreadable::Nul)
}

fn holds_nul(value: &serde_json::Value) -> bool {
    match value {
        serde_json::Value::String(text) => text.contains('\0'),
        serde_json::Value::Array(items) => items.iter().any(holds_nul),
        serde_json::Value::Object(fields) => fields.iter().any(|(key, value)| key.contains('\0') || holds_nul(value)),
        _ => false,
    }
}

fn refusal(api: bool, problem: Unreadable) -> Response {
    let mut response =
        if api { ApiError(problem.error()).into_response() } else { PageError(problem.error()).into_response() };
    if problem == Unreadable::TooLarge {
        *response.status_mut() = axum::http::StatusCode::PAYLOAD_TOO_LARGE;
    }
    response
}

#[cfg(test)]
mod tests {
    use super::{Unreadable, unreadable_form, unreadable_json};

    #[test]
    fn forms_must_be_utf8_without_nul_after_decoding() {
        assert_eq!(unreadable_form(b"nachname=M%C3%BCller&q=a+b"), None);
        assert_eq!(unreadable_form(b"nachname=M%FCller"), Some(Unreadable::NotUtf8));
        assert_eq!(unreadable_form(b"nachname=Ber%00he"), Some(Unreadable::Nul));
        assert_eq!(unreadable_form(b"na%00me=x"), Some(Unreadable::Nul));
        assert_eq!(unreadable_form(b"bemerkung=Zeile%0D%0AZeile"), None);
    }

    #[test]
    fn json_strings_must_hold_no_nul() {
        assert_eq!(unreadable_json(br#"{"nachname":"Berhe","sprachen":["ti"]}"#), None);
        assert_eq!(unreadable_json(br#"{"nachname":"Ber\u0000he"}"#), Some(Unreadable::Nul));
        assert_eq!(unreadable_json(br#"{"a":[{"b":"\u0000"}]}"#), Some(Unreadable::Nul));
        assert_eq!(unreadable_json(b"kein json"), None);
    }
}
