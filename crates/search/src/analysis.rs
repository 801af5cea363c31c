//! German text analysis, the same for offers and queries: lower case, umlauts written out (ä → ae, so
//! «Fruehe» and «Frühe» meet), accents folded (é → e), German stemming (Snowball). Compound friendliness
//! comes from two additions: hyphenated words are also indexed joined («Deutsch-Kurs» → «deutschkurs»), and
//! the words of title and labels are indexed as 4-grams, so «kurs» finds «Deutschkurs».

use tantivy::tokenizer::{
    AsciiFoldingFilter, Language, LowerCaser, SimpleTokenizer, Stemmer, TextAnalyzer, WhitespaceTokenizer,
};

/// Name of the analyzer for words.
pub const GERMAN: &str = "iim_de";
/// Name of the analyzer for unstemmed words (typo tolerance compares with what people type).
pub const PLAIN: &str = "iim_plain";
/// Name of the analyzer for the 4-gram field (the grams are made here, in [`grams`]).
pub const GRAMS: &str = "iim_grams";
/// Length of the grams.
const GRAM: usize = 4;

/// Words that carry no meaning in a search («deutschkurs für frauen am abend»).
const STOP_WORDS: &[&str] = &[
    "ab", "am", "an", "auf", "bei", "das", "dem", "den", "der", "die", "ein", "eine", "einen", "fuer", "im", "in",
    "mit", "nach", "oder", "und", "von", "vom", "zu", "zum", "zur",
];

/// Stems twice: Snowball takes one suffix per pass, so «Deutschkurse» → «deutschkurs» but «Deutschkurs» →
/// «deutschkur»; a second pass brings singular and plural together.
pub fn german_analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter)
        .filter(Stemmer::new(Language::German))
        .filter(Stemmer::new(Language::German))
        .build()
}

pub fn plain_analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default()).filter(LowerCaser).filter(AsciiFoldingFilter).build()
}

pub fn grams_analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(WhitespaceTokenizer::default()).build()
}

/// Lower case with umlauts written out and ß as ss.
pub fn fold(text: &str) -> String {
    let mut folded = String::with_capacity(text.len() + 8);
    for c in text.chars().flat_map(char::to_lowercase) {
        match c {
            'ä' => folded.push_str("ae"),
            'ö' => folded.push_str("oe"),
            'ü' => folded.push_str("ue"),
            'ß' => folded.push_str("ss"),
            c => folded.push(c),
        }
    }
    folded
}

/// Text as indexed: folded, and every hyphenated word added once more joined.
pub fn index_text(text: &str) -> String {
    let folded = fold(text);
    let joined: Vec<String> = folded
        .split(|c: char| !(c.is_alphanumeric() || c == '-'))
        .filter(|word| word.contains('-'))
        .map(|word| word.replace('-', ""))
        .filter(|word| !word.is_empty())
        .collect();
    if joined.is_empty() { folded } else { format!("{folded} {}", joined.join(" ")) }
}

/// The words of a query: folded, hyphens joined, stop words dropped.
pub fn query_words(query: &str) -> Vec<String> {
    fold(query)
        .split(|c: char| !(c.is_alphanumeric() || c == '-'))
        .map(|word| word.replace('-', ""))
        .filter(|word| !word.is_empty() && !STOP_WORDS.contains(&word.as_str()))
        .collect()
}

/// The stemmed form of one folded word (empty if the analyzer drops it).
pub fn stem(word: &str) -> String {
    let mut analyzer = german_analyzer();
    let mut stream = analyzer.token_stream(word);
    let mut stemmed = String::new();
    while let Some(token) = stream.next() {
        stemmed.push_str(&token.text);
    }
    stemmed
}

/// One folded word without stemming (empty if the analyzer drops it).
pub fn plain(word: &str) -> String {
    let mut analyzer = plain_analyzer();
    let mut stream = analyzer.token_stream(word);
    let mut plain = String::new();
    while let Some(token) = stream.next() {
        plain.push_str(&token.text);
    }
    plain
}

/// The 4-grams of the words of a text, unstemmed and stemmed, space-separated, for the gram field.
pub fn grams(text: &str) -> String {
    let text = index_text(text);
    let mut out = String::new();
    for mut analyzer in [plain_analyzer(), german_analyzer()] {
        let mut stream = analyzer.token_stream(&text);
        while let Some(token) = stream.next() {
            for gram in word_grams(&token.text) {
                out.push_str(&gram);
                out.push(' ');
            }
        }
    }
    out
}

/// The grams a query word must all have: those of its stem, or of the word itself when the stem is too short
/// («kurs» stems to «kur»).
pub fn query_grams(word: &str) -> Vec<String> {
    let stemmed = word_grams(&stem(word));
    if stemmed.is_empty() { word_grams(&plain(word)) } else { stemmed }
}

/// The 4-grams of one word; none for shorter words.
pub fn word_grams(word: &str) -> Vec<String> {
    let chars: Vec<char> = word.chars().collect();
    if chars.len() < GRAM {
        return Vec::new();
    }
    let mut grams: Vec<String> = chars.windows(GRAM).map(|w| w.iter().collect()).collect();
    grams.dedup();
    grams
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn singular_plural_and_hyphen_meet() {
        let wanted = stem("deutschkurs");
        assert_eq!(stem(&fold("Deutschkurse")), wanted);
        assert_eq!(query_words("Deutsch-Kurs"), vec!["deutschkurs".to_owned()]);
        assert!(index_text("Deutsch-Kurs am Abend").ends_with(" deutschkurs"));
    }

    #[test]
    fn umlauts_are_written_out_the_same_on_both_sides() {
        assert_eq!(fold("Frühe Förderung, Strasse/Straße"), "fruehe foerderung, strasse/strasse");
        assert_eq!(stem(&fold("Frühe")), stem("fruehe"));
    }

    #[test]
    fn stop_words_leave_the_query() {
        assert_eq!(query_words("Deutschkurs für Frauen am Abend"), vec!["deutschkurs", "frauen", "abend"]);
    }

    #[test]
    fn grams_find_a_word_inside_a_compound() {
        let indexed = grams("Deutschkurs");
        for gram in query_grams("kurs") {
            assert!(indexed.split(' ').any(|g| g == gram), "{gram}");
        }
        assert!(word_grams("abc").is_empty());
    }
}
