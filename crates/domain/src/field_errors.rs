//! Field-level error messages in German, keyed by the field name the form and the API share.

use std::collections::BTreeMap;

/// Messages per input field; empty means the input was valid.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FieldErrors(BTreeMap<std::borrow::Cow<'static, str>, String>);

/// `feld: Meldung; feld: Meldung`, for logs and the command line.
impl std::fmt::Display for FieldErrors {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let parts: Vec<String> = self.iter().map(|(field, message)| format!("{field}: {message}")).collect();
        f.write_str(&parts.join("; "))
    }
}

impl FieldErrors {
    pub fn new() -> Self {
        Self::default()
    }

    /// Records a message for `field`; the first message of a field wins, it is the most basic one.
    pub fn add(&mut self, field: &'static str, message: impl Into<String>) {
        self.0.entry(field.into()).or_insert_with(|| message.into());
    }

    /// Like [`FieldErrors::add`], for field names built at run time (one field per list item).
    pub fn add_owned(&mut self, field: String, message: impl Into<String>) {
        self.0.entry(field.into()).or_insert_with(|| message.into());
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn get(&self, field: &str) -> Option<&str> {
        self.0.get(field).map(String::as_str)
    }

    pub fn iter(&self) -> impl Iterator<Item = (&str, &str)> {
        self.0.iter().map(|(field, message)| (field.as_ref(), message.as_str()))
    }

    /// Runs a parser, records its error under `field` and returns the parsed value if any.
    pub fn check<T, E: std::fmt::Display>(&mut self, field: &'static str, result: Result<T, E>) -> Option<T> {
        match result {
            Ok(value) => Some(value),
            Err(error) => {
                self.add(field, error.to_string());
                None
            }
        }
    }
}
