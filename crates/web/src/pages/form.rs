//! Form fields prepared for the shared template `fields.html`: label, hint, error, value and options in
//! one place, so every form gets the same accessible markup (labels, `aria-describedby`, `aria-invalid`).

use iim_domain::FieldErrors;
use iim_domain::limits::{NOTE_CHARS, SHORT_TEXT_CHARS};
use iim_domain::person::Choice;

/// One form field, fully prepared for the template.
pub struct FormField {
    pub name: String,
    pub label: String,
    pub hint: &'static str,
    pub error: Option<String>,
    pub required: bool,
    /// `text`, `textarea`, `select`, `radios` or `checkboxes`.
    pub kind: &'static str,
    pub value: String,
    pub autocomplete: &'static str,
    pub options: Vec<FormOption>,
    /// The most characters the field takes (`maxlength`); textareas show it. By default a note's bound, so the
    /// browser never cuts what the domain would accept; names and reports set their own.
    pub max_chars: usize,
}

pub struct FormOption {
    pub value: String,
    pub label: String,
    pub selected: bool,
    /// The `<optgroup>` of a select it belongs to; empty: none.
    pub group: String,
}

impl FormField {
    /// The value as a reader sees it: the text, or the labels of the chosen options.
    pub fn shown_value(&self) -> String {
        match self.kind {
            "text" | "textarea" => self.value.clone(),
            _ => self.options.iter().filter(|o| o.selected).map(|o| o.label.as_str()).collect::<Vec<_>>().join(", "),
        }
    }

    /// The options in runs of the same group, for `<optgroup>`; options without a group form runs named "".
    pub fn groups(&self) -> Vec<(&str, Vec<&FormOption>)> {
        let mut groups: Vec<(&str, Vec<&FormOption>)> = Vec::new();
        for option in &self.options {
            match groups.last_mut() {
                Some((group, options)) if *group == option.group => options.push(option),
                _ => groups.push((&option.group, vec![option])),
            }
        }
        groups
    }

    pub fn described_by(&self) -> String {
        let mut ids = Vec::new();
        if !self.hint.is_empty() {
            ids.push(format!("{}-hint", self.name));
        }
        if self.kind == "textarea" {
            ids.push(format!("{}-limit", self.name));
        }
        if self.error.is_some() {
            ids.push(format!("{}-error", self.name));
        }
        ids.join(" ")
    }
}

pub fn text_field(name: &str, label: &str, hint: &'static str, required: bool, value: &str) -> FormField {
    FormField {
        name: name.to_owned(),
        label: label.to_owned(),
        hint,
        error: None,
        required,
        kind: "text",
        value: value.to_owned(),
        autocomplete: "off",
        options: Vec::new(),
        max_chars: NOTE_CHARS,
    }
}

/// A text field for longer text (several lines), up to the length of a note.
pub fn textarea_field(name: &str, label: &str, hint: &'static str, required: bool, value: &str) -> FormField {
    FormField { kind: "textarea", max_chars: NOTE_CHARS, ..text_field(name, label, hint, required, value) }
}

impl FormField {
    /// The same field with another bound (a name's 100 characters, a long report's 8000).
    pub fn with_max_chars(self, max_chars: usize) -> Self {
        Self { max_chars, ..self }
    }
}

pub fn choice_field(
    name: &str,
    label: &str,
    kind: &'static str,
    required: bool,
    options: Vec<(String, String)>,
    selected: &[String],
) -> FormField {
    FormField {
        name: name.to_owned(),
        label: label.to_owned(),
        hint: "",
        error: None,
        required,
        kind,
        value: String::new(),
        autocomplete: "",
        max_chars: SHORT_TEXT_CHARS,
        options: options
            .into_iter()
            .map(|(value, label)| FormOption {
                selected: selected.contains(&value),
                value,
                label,
                group: String::new(),
            })
            .collect(),
    }
}

/// Options of a select in named groups (`<optgroup>`), in the order given.
pub type Gruppen = Vec<(String, Vec<(String, String)>)>;

/// A select whose options come in groups, e.g. offers by Handlungsfeld.
pub fn grouped_select(name: &str, label: &str, required: bool, groups: Gruppen, selected: &[String]) -> FormField {
    let mut field = choice_field(name, label, "select", required, Vec::new(), selected);
    for (group, options) in groups {
        field.options.extend(options.into_iter().map(|(value, label)| FormOption {
            selected: selected.contains(&value),
            value,
            label,
            group: group.clone(),
        }));
    }
    field
}

pub fn choices<C: Choice>() -> Vec<(String, String)> {
    C::ALL.iter().map(|c| (c.code().to_owned(), c.label().to_owned())).collect()
}

/// Puts each field's message from `errors` on the field.
pub fn with_errors(mut fields: Vec<FormField>, errors: &FieldErrors) -> Vec<FormField> {
    for field in &mut fields {
        field.error = errors.get(&field.name).map(str::to_owned);
    }
    fields
}

/// The messages for the error summary at the top of a form.
pub fn summary(errors: &FieldErrors) -> Vec<(String, String)> {
    errors.iter().map(|(field, message)| (field.to_owned(), message.to_owned())).collect()
}
