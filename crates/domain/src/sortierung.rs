//! German collation for every list people read sorted or pick from. Byte order puts «Ägypten» and «Österreich»
//! after «Zypern» and «Türkei» after «Tuvalu»; a social worker looks for them beside «Afghanistan», «Oman» and
//! «Tunesien». One collator (ICU4X with compiled CLDR data for German) behind one function, so every list in the
//! product sorts alike.

use std::cmp::Ordering;
use std::sync::LazyLock;

use icu_collator::options::CollatorOptions;
use icu_collator::{Collator, CollatorBorrowed, CollatorPreferences};
use icu_locale_core::locale;

static DEUTSCH: LazyLock<Option<CollatorBorrowed<'static>>> =
    LazyLock::new(|| Collator::try_new(CollatorPreferences::from(&locale!("de-CH")), CollatorOptions::default()).ok());

/// Compares two texts as a German dictionary does: umlauts beside their base letter, case and accents only
/// deciding between otherwise equal words. Texts equal to the collator are ordered by their bytes, so a sort is
/// the same on every run.
pub fn deutsch(a: &str, b: &str) -> Ordering {
    let collated = DEUTSCH.as_ref().map_or(Ordering::Equal, |collator| collator.compare(a, b));
    collated.then_with(|| a.cmp(b))
}

/// Sorts `items` by the text `key` gives, in German order.
pub fn nach_deutsch<T>(items: &mut [T], key: impl Fn(&T) -> &str) {
    items.sort_by(|a, b| deutsch(key(a), key(b)));
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sortiert(words: &[&str]) -> Vec<String> {
        let mut list: Vec<String> = words.iter().map(|w| (*w).to_owned()).collect();
        nach_deutsch(&mut list, String::as_str);
        list
    }

    #[test]
    fn umlauts_stand_beside_their_base_letter() {
        assert_eq!(
            sortiert(&["Zypern", "Österreich", "Äthiopien", "Oman", "Ägypten", "Afghanistan", "Albanien", "Estland"]),
            ["Afghanistan", "Ägypten", "Albanien", "Äthiopien", "Estland", "Oman", "Österreich", "Zypern"]
        );
    }

    #[test]
    fn tuerkei_comes_before_tuvalu() {
        assert_eq!(sortiert(&["Tuvalu", "Türkei", "Tunesien"]), ["Tunesien", "Türkei", "Tuvalu"]);
        assert_eq!(deutsch("Türkei", "Tuvalu"), Ordering::Less);
    }

    #[test]
    fn gemeinden_with_umlauts_and_case_sort_as_in_a_directory() {
        assert_eq!(
            sortiert(&["Zuchwil", "Büsserach", "Buchegg", "Bättwil", "Balm bei Günsberg", "Egerkingen", "Äschi"]),
            ["Äschi", "Balm bei Günsberg", "Bättwil", "Buchegg", "Büsserach", "Egerkingen", "Zuchwil"]
        );
        assert_eq!(sortiert(&["von Arx", "Vogt", "Müller", "Mueller"]), ["Mueller", "Müller", "Vogt", "von Arx"]);
    }

    #[test]
    fn equal_texts_compare_equal_and_differences_in_case_still_decide() {
        assert_eq!(deutsch("Olten", "Olten"), Ordering::Equal);
        assert_ne!(deutsch("olten", "Olten"), Ordering::Equal);
    }
}
