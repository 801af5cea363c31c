//! From a register person to the Cockpit's person: names, birth date, nationality, residence status. Only
//! what the Personenregister holds; the register's other data is never kept.

use crate::RegisterPerson;
use iim_domain::{BfsNr, Nationality, PartialDate, PersonData, PersonName, ResidenceStatus};

/// The eCH-0006 permit category (first two digits) as the Cockpit's residence status. A recognised refugee
/// (B-FL) cannot be told from another B holder by the register: the case worker corrects it.
pub fn residence_status(person: &RegisterPerson) -> ResidenceStatus {
    if person.is_swiss() {
        return ResidenceStatus::Swiss;
    }
    let category = person.residence_permit.as_deref().and_then(|code| code.get(..2));
    match category {
        Some("02") => ResidenceStatus::B,
        Some("03") => ResidenceStatus::C,
        Some("05") => ResidenceStatus::F,
        Some("07") => ResidenceStatus::L,
        Some("08") => ResidenceStatus::N,
        Some("09") => ResidenceStatus::S,
        _ => ResidenceStatus::Other,
    }
}

/// The first nationality the country list knows; «staatenlos» when the register says so; otherwise (none or
/// an unknown code) «unbekannt».
pub fn nationality(person: &RegisterPerson) -> Nationality {
    let known = person.nationalities.iter().find_map(|code| Nationality::parse(code).ok());
    match known {
        Some(country) => country,
        None if person.stateless => Nationality::Stateless,
        None => Nationality::Unknown,
    }
}

impl RegisterPerson {
    /// The person as the Personenregister holds it, living in `wohngemeinde`, entered Switzerland on
    /// `einreise` (for arrivals from abroad). Refuses names the register should not have sent (empty or
    /// with control characters), naming the field.
    pub fn to_person_data(
        &self,
        wohngemeinde: BfsNr,
        einreise: Option<PartialDate>,
    ) -> Result<PersonData, (&'static str, String)> {
        let nachname = PersonName::parse(&self.official_name).map_err(|e| ("officialName", e.to_string()))?;
        let vornamen = PersonName::parse(&self.first_name).map_err(|e| ("firstName", e.to_string()))?;
        Ok(PersonData {
            nachname,
            vornamen,
            geschlecht: self.sex,
            geburtsdatum: self.date_of_birth,
            nationalitaet: nationality(self),
            aufenthaltsstatus: residence_status(self),
            ahv_nummer: self.ahv.clone(),
            einreisedatum: einreise,
            sprachen: Vec::new(),
            wohngemeinde,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use iim_domain::Sex;

    fn person(permit: Option<&str>, nationalities: &[&str]) -> RegisterPerson {
        RegisterPerson {
            local_id: ("CH.ZAR".into(), "1".into()),
            ahv: None,
            official_name: " Berhe ".into(),
            first_name: "Amanuel".into(),
            sex: Sex::Maennlich,
            date_of_birth: PartialDate::parse("1990").unwrap_or_else(|e| panic!("{e}")),
            nationalities: nationalities.iter().map(|c| (*c).to_owned()).collect(),
            stateless: false,
            residence_permit: permit.map(str::to_owned),
        }
    }

    #[test]
    fn permit_categories_become_residence_status() {
        assert_eq!(residence_status(&person(Some("05"), &["ER"])), ResidenceStatus::F);
        assert_eq!(residence_status(&person(Some("0301"), &["ER"])), ResidenceStatus::C);
        assert_eq!(residence_status(&person(Some("07"), &["DE"])), ResidenceStatus::L);
        assert_eq!(residence_status(&person(None, &["ER"])), ResidenceStatus::Other);
        assert_eq!(residence_status(&person(Some("02"), &["CH", "ER"])), ResidenceStatus::Swiss);
    }

    #[test]
    fn unknown_country_codes_become_unknown_nationality() {
        assert_eq!(nationality(&person(None, &["XX", "ER"])), Nationality::Country("ER".into()));
        assert_eq!(nationality(&person(None, &[])), Nationality::Unknown);
        let stateless = RegisterPerson { stateless: true, ..person(None, &[]) };
        assert_eq!(nationality(&stateless), Nationality::Stateless);
    }

    #[test]
    fn names_are_normalised_and_empty_ones_refused() {
        let olten = BfsNr::parse("2581").unwrap_or_else(|e| panic!("{e}"));
        let data = person(Some("05"), &["ER"]).to_person_data(olten, None).unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!(data.nachname.as_str(), "Berhe");
        let mut nameless = person(None, &["ER"]);
        nameless.first_name = " ".into();
        assert_eq!(nameless.to_person_data(olten, None).unwrap_err().0, "firstName");
    }
}
