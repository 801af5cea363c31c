//! Public full-text search of the Angebotsplattform (ADR 0012). The index lives in memory: it is built from the
//! published offers when the server starts and updated on every change of an offer, so it never needs a file
//! or a migration. tantivy finds and scores the words; filters, facet counts, sorting and pages are computed
//! here over the matches, from the facet values kept beside the index.
//!
//! Each word of a query must match somewhere (title, labels, description, place, region), exactly after
//! stemming, joined if hyphenated, inside a compound (4-grams) or with one typo (words of five letters or
//! more), in that order of weight. If no offer matches all words, offers matching some of them are shown,
//! and the result says so.

mod analysis;
mod facets;

pub use facets::Facet;

use analysis::{GERMAN, GRAMS, PLAIN};
use chrono::{DateTime, NaiveDate, Utc};
use facets::{Dictionary, FacetValues, Filters};
use iim_domain::Choice;
use iim_domain::angebot::AngebotData;
use iim_domain::catalog;
use std::cmp::Ordering;
use std::collections::HashMap;
use std::sync::{Arc, Mutex, RwLock};
use tantivy::collector::{Collector, SegmentCollector, TopDocs};
use tantivy::columnar::Column;
use tantivy::query::{BooleanQuery, BoostQuery, ConstScoreQuery, FuzzyTermQuery, Occur, Query, TermQuery};
use tantivy::schema::{FAST, Field, INDEXED, IndexRecordOption, Schema, TextFieldIndexing, TextOptions};
use tantivy::{DocId, Index, IndexReader, IndexWriter, ReloadPolicy, Score, SegmentReader, TantivyDocument, Term};

/// An offer as the search knows it: the published data, its provider and the Sozialregion of each place.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SearchOffer {
    pub id: i64,
    pub anbieter: String,
    pub data: AngebotData,
    /// The Sozialregion of each place, in the order of `data.orte` (empty when unknown).
    pub regionen: Vec<String>,
    pub veroeffentlicht: Option<DateTime<Utc>>,
}

#[derive(Debug, thiserror::Error)]
#[error("Suchindex: {0}")]
pub struct SearchError(#[from] tantivy::TantivyError);

/// The order of the results.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Sort {
    #[default]
    Relevanz,
    Preis,
    Beginn,
    Neu,
}

impl Sort {
    pub const ALL: [Sort; 4] = [Sort::Relevanz, Sort::Preis, Sort::Beginn, Sort::Neu];

    pub fn code(self) -> &'static str {
        match self {
            Sort::Relevanz => "relevanz",
            Sort::Preis => "preis",
            Sort::Beginn => "beginn",
            Sort::Neu => "neu",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Sort::Relevanz => "beste Treffer zuerst",
            Sort::Preis => "günstigste zuerst",
            Sort::Beginn => "nächster Beginn zuerst",
            Sort::Neu => "neueste zuerst",
        }
    }

    /// Unknown codes sort by relevance.
    pub fn from_code(code: &str) -> Sort {
        Sort::ALL.into_iter().find(|sort| sort.code() == code).unwrap_or_default()
    }
}

/// What is searched for.
#[derive(Debug, Clone)]
pub struct SearchQuery {
    pub text: String,
    pub filters: Vec<(Facet, String)>,
    pub sort: Sort,
    /// Counted from 1.
    pub page: usize,
    pub per_page: usize,
    /// Offers valid only before this day are left out (they expired while the server ran).
    pub today: NaiveDate,
}

/// One value of a facet with the number of offers it would show.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FacetValue {
    pub value: String,
    pub label: String,
    pub count: usize,
    pub selected: bool,
}

#[derive(Debug, Clone)]
pub struct FacetGroup {
    pub facet: Facet,
    pub values: Vec<FacetValue>,
}

#[derive(Debug, Clone)]
pub struct SearchResult {
    pub hits: Vec<Arc<SearchOffer>>,
    pub total: usize,
    pub page: usize,
    pub pages: usize,
    pub facets: Vec<FacetGroup>,
    /// No offer matched all words; these match some of them.
    pub relaxed: bool,
}

struct Fields {
    id: Field,
    titel: Field,
    meta: Field,
    text: Field,
    ort: Field,
    region: Field,
    plain: Field,
    grams: Field,
}

struct Entry {
    offer: Arc<SearchOffer>,
    facets: FacetValues,
}

/// The in-memory index of published offers.
pub struct SearchIndex {
    reader: IndexReader,
    writer: Mutex<IndexWriter<TantivyDocument>>,
    fields: Fields,
    catalog: RwLock<Catalog>,
}

/// The offers in the index with their facet values, and the numbering of those values.
#[derive(Default)]
struct Catalog {
    offers: HashMap<i64, Entry>,
    dictionary: Dictionary,
}

impl Catalog {
    fn insert(&mut self, offer: SearchOffer) {
        let facets = FacetValues::of(&offer, &mut self.dictionary);
        self.offers.insert(offer.id, Entry { facets, offer: Arc::new(offer) });
    }
}

/// Memory of the index writer.
const WRITER_BYTES: usize = 64 * 1024 * 1024;

impl SearchIndex {
    /// An index of the given offers.
    pub fn build(offers: impl IntoIterator<Item = SearchOffer>) -> Result<Self, SearchError> {
        let (schema, fields) = schema();
        let index = Index::create_in_ram(schema);
        index.tokenizers().register(GERMAN, analysis::german_analyzer());
        index.tokenizers().register(GRAMS, analysis::grams_analyzer());
        index.tokenizers().register(PLAIN, analysis::plain_analyzer());
        let writer = index.writer_with_num_threads(1, WRITER_BYTES)?;
        let reader = index.reader_builder().reload_policy(ReloadPolicy::Manual).try_into()?;
        let search = Self { reader, writer: Mutex::new(writer), fields, catalog: RwLock::new(Catalog::default()) };
        {
            let mut writer = search.writer.lock().unwrap_or_else(|e| e.into_inner());
            let mut catalog = search.catalog.write().unwrap_or_else(|e| e.into_inner());
            for offer in offers {
                writer.add_document(search.document(&offer))?;
                catalog.insert(offer);
            }
            writer.commit()?;
        }
        search.reader.reload()?;
        Ok(search)
    }

    /// Number of offers in the index.
    pub fn len(&self) -> usize {
        self.catalog.read().unwrap_or_else(|e| e.into_inner()).offers.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Puts an offer in the index, replacing an earlier version.
    pub fn upsert(&self, offer: SearchOffer) -> Result<(), SearchError> {
        let mut writer = self.writer.lock().unwrap_or_else(|e| e.into_inner());
        writer.delete_term(Term::from_field_i64(self.fields.id, offer.id));
        writer.add_document(self.document(&offer))?;
        writer.commit()?;
        self.reader.reload()?;
        self.catalog.write().unwrap_or_else(|e| e.into_inner()).insert(offer);
        Ok(())
    }

    /// Takes an offer out of the index (unpublished, archived); unknown ids are fine.
    pub fn remove(&self, id: i64) -> Result<(), SearchError> {
        let mut writer = self.writer.lock().unwrap_or_else(|e| e.into_inner());
        writer.delete_term(Term::from_field_i64(self.fields.id, id));
        writer.commit()?;
        self.reader.reload()?;
        self.catalog.write().unwrap_or_else(|e| e.into_inner()).offers.remove(&id);
        Ok(())
    }

    /// One offer of the index.
    pub fn get(&self, id: i64) -> Option<Arc<SearchOffer>> {
        self.catalog.read().unwrap_or_else(|e| e.into_inner()).offers.get(&id).map(|entry| entry.offer.clone())
    }

    /// Searches, filters, counts the facets, sorts and cuts out the page.
    pub fn search(&self, query: &SearchQuery) -> Result<SearchResult, SearchError> {
        let (scores, relaxed) = self.matches(&query.text)?;
        let catalog = self.catalog.read().unwrap_or_else(|e| e.into_inner());
        let filters = Filters::new(&query.filters, &catalog.dictionary);
        let offers = &catalog.offers;
        let candidates: Vec<(&Entry, Score)> = match scores {
            None => offers.values().map(|entry| (entry, 0.0)).collect(),
            Some(scores) => scores.into_iter().filter_map(|(id, s)| offers.get(&id).map(|e| (e, s))).collect(),
        };
        let mut counts: Vec<Vec<usize>> = Facet::ALL.iter().map(|f| vec![0; catalog.dictionary.len(*f)]).collect();
        let mut hits: Vec<(&Entry, Score)> = Vec::new();
        for (entry, score) in candidates.into_iter().filter(|(e, _)| e.offer.data.gueltig_bis >= query.today) {
            let failed = filters.failed(&entry.facets);
            if failed == 0 {
                hits.push((entry, score));
            }
            for facet in Facet::ALL.into_iter().filter(|f| failed == 0 || failed == 1 << f.index()) {
                for value in entry.facets.get(facet) {
                    counts[facet.index()][*value as usize] += 1;
                }
            }
        }
        let per_page = query.per_page.max(1);
        let total = hits.len();
        let pages = total.div_ceil(per_page).max(1);
        let page = query.page.clamp(1, pages);
        let needed = (page * per_page).min(total);
        if needed > 0 && needed < total {
            hits.select_nth_unstable_by(needed - 1, |a, b| compare(query.sort, a, b));
            hits.truncate(needed);
        }
        hits.sort_by(|a, b| compare(query.sort, a, b));
        let shown = hits.into_iter().skip((page - 1) * per_page).map(|(e, _)| e.offer.clone()).collect();
        let facets = facet_groups(&counts, &filters, &catalog.dictionary);
        Ok(SearchResult { hits: shown, total, page, pages, facets, relaxed })
    }

    /// The raw ceiling of the engine: the ten best ids for a text, straight from tantivy (no filters, no facets).
    pub fn top_ten(&self, text: &str) -> Result<Vec<i64>, SearchError> {
        let words = analysis::query_words(text);
        let query = self.text_query(&words, Occur::Must);
        let searcher = self.reader.searcher();
        let top = searcher.search(&query, &TopDocs::with_limit(10).order_by_score())?;
        let mut ids = Vec::with_capacity(top.len());
        for (_, address) in top {
            let column = searcher.segment_reader(address.segment_ord).fast_fields().i64("id")?;
            ids.extend(column.first(address.doc_id));
        }
        Ok(ids)
    }

    /// Ids and scores of the offers matching the words; `None` when the text has no words (everything matches).
    fn matches(&self, text: &str) -> Result<Matches, SearchError> {
        let words = analysis::query_words(text);
        if words.is_empty() {
            return Ok((None, false));
        }
        let searcher = self.reader.searcher();
        let strict = searcher.search(&self.text_query(&words, Occur::Must), &AllScores)?;
        if !strict.is_empty() || words.len() == 1 {
            return Ok((Some(strict), false));
        }
        let loose = searcher.search(&self.text_query(&words, Occur::Should), &AllScores)?;
        Ok((Some(loose), true))
    }

    fn text_query(&self, words: &[String], occur: Occur) -> BooleanQuery {
        BooleanQuery::new(words.iter().map(|word| (occur, self.word_query(word))).collect())
    }

    /// Where one word may match, with its weight.
    fn word_query(&self, word: &str) -> Box<dyn Query> {
        let stem = analysis::stem(word);
        let f = &self.fields;
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        if !stem.is_empty() {
            for (field, boost) in [(f.titel, 4.0), (f.ort, 3.0), (f.meta, 2.0), (f.region, 1.5), (f.text, 1.0)] {
                let term = TermQuery::new(Term::from_field_text(field, &stem), IndexRecordOption::WithFreqs);
                clauses.push((Occur::Should, Box::new(BoostQuery::new(Box::new(term), boost))));
            }
        }
        let grams = analysis::query_grams(word);
        if !grams.is_empty() {
            let all: Vec<Box<dyn Query>> = grams
                .iter()
                .map(|g| Box::new(TermQuery::new(Term::from_field_text(f.grams, g), IndexRecordOption::Basic)) as _)
                .collect();
            clauses
                .push((Occur::Should, Box::new(ConstScoreQuery::new(Box::new(BooleanQuery::intersection(all)), 0.5))));
        }
        if word.chars().count() >= 5 {
            let fuzzy = FuzzyTermQuery::new(Term::from_field_text(f.plain, &analysis::plain(word)), 1, true);
            clauses.push((Occur::Should, Box::new(ConstScoreQuery::new(Box::new(fuzzy), 0.3))));
        }
        Box::new(BooleanQuery::new(clauses))
    }

    fn document(&self, offer: &SearchOffer) -> TantivyDocument {
        let f = &self.fields;
        let data = &offer.data;
        let meta = meta_text(data);
        let mut doc = TantivyDocument::default();
        doc.add_i64(f.id, offer.id);
        doc.add_text(f.titel, analysis::index_text(&data.titel));
        doc.add_text(f.meta, analysis::index_text(&meta));
        doc.add_text(f.text, analysis::index_text(&body_text(offer)));
        let places: Vec<String> = data.orte.iter().map(|ort| ort.gemeinde.name()).collect();
        let places = places.join(" ");
        doc.add_text(f.ort, analysis::index_text(&places));
        doc.add_text(f.region, analysis::index_text(&offer.regionen.join(" ")));
        let title_and_labels = format!("{} {meta}", data.titel);
        doc.add_text(f.plain, analysis::index_text(&format!("{title_and_labels} {places}")));
        doc.add_text(f.grams, analysis::grams(&title_and_labels));
        doc
    }
}

fn schema() -> (Schema, Fields) {
    let mut builder = Schema::builder();
    let words = TextOptions::default().set_indexing_options(
        TextFieldIndexing::default().set_tokenizer(GERMAN).set_index_option(IndexRecordOption::WithFreqs),
    );
    let plain = TextOptions::default().set_indexing_options(
        TextFieldIndexing::default().set_tokenizer(PLAIN).set_index_option(IndexRecordOption::Basic),
    );
    let grams = TextOptions::default().set_indexing_options(
        TextFieldIndexing::default().set_tokenizer(GRAMS).set_index_option(IndexRecordOption::Basic),
    );
    let fields = Fields {
        id: builder.add_i64_field("id", INDEXED | FAST),
        titel: builder.add_text_field("titel", words.clone()),
        meta: builder.add_text_field("meta", words.clone()),
        text: builder.add_text_field("text", words.clone()),
        ort: builder.add_text_field("ort", words.clone()),
        region: builder.add_text_field("region", words),
        plain: builder.add_text_field("plain", plain),
        grams: builder.add_text_field("grams", grams),
    };
    (builder.build(), fields)
}

/// The labels an offer is filed under: category, field, levels, target groups, times of day, features.
fn meta_text(data: &AngebotData) -> String {
    let mut parts: Vec<&str> = vec![data.kategorie.label(), data.handlungsfeld.label()];
    parts.extend(data.niveau_von.iter().chain(data.niveau_bis.iter()).map(|n| n.code()));
    parts.extend(data.zielgruppen.iter().map(|z| z.label()));
    parts.extend(data.tageszeiten.iter().map(|t| t.label()));
    if data.kinderbetreuung {
        parts.push("Kinderbetreuung Kinderhütedienst");
    }
    if data.preis_rappen == 0 {
        parts.push("kostenlos gratis");
    }
    if data.subventioniert {
        parts.push("subventioniert vergünstigt");
    }
    if data.barrierefrei {
        parts.push("barrierefrei rollstuhlgängig");
    }
    parts.join(" ")
}

/// Description, schedule, provider, addresses and languages.
fn body_text(offer: &SearchOffer) -> String {
    let data = &offer.data;
    let mut parts: Vec<&str> = vec![&data.beschreibung, &data.zeitplan, &offer.anbieter];
    parts.extend(data.orte.iter().map(|ort| ort.adresse.as_str()));
    parts.extend(data.sprachen.iter().filter_map(|code| catalog::language_name(code)));
    parts.join(" ")
}

fn compare(sort: Sort, (a, a_score): &(&Entry, Score), (b, b_score): &(&Entry, Score)) -> Ordering {
    let (a, b) = (&a.offer, &b.offer);
    let by_score = b_score.total_cmp(a_score);
    let first = match sort {
        Sort::Relevanz => by_score,
        Sort::Preis => a.data.preis_rappen.cmp(&b.data.preis_rappen).then(by_score),
        Sort::Beginn => none_last(a.data.beginn, b.data.beginn).then(by_score),
        Sort::Neu => none_last(b.veroeffentlicht, a.veroeffentlicht).then(by_score),
    };
    first.then_with(|| a.data.titel.cmp(&b.data.titel)).then(a.id.cmp(&b.id))
}

/// Ascending, with missing values last (for descending, swap the arguments).
fn none_last<T: Ord>(a: Option<T>, b: Option<T>) -> Ordering {
    match (a, b) {
        (Some(a), Some(b)) => a.cmp(&b),
        (Some(_), None) => Ordering::Less,
        (None, Some(_)) => Ordering::Greater,
        (None, None) => Ordering::Equal,
    }
}

fn facet_groups(counts: &[Vec<usize>], filters: &Filters, dictionary: &Dictionary) -> Vec<FacetGroup> {
    Facet::ALL
        .into_iter()
        .map(|facet| {
            let chosen = filters.chosen(facet);
            let counted = counts[facet.index()]
                .iter()
                .enumerate()
                .map(|(id, count)| (dictionary.value(facet, id).to_owned(), *count))
                .filter(|(value, count)| *count > 0 || chosen.contains(value));
            let unknown = chosen.iter().filter(|v| !dictionary.contains(facet, v));
            let mut values: Vec<FacetValue> = counted
                .chain(unknown.map(|v| (v.clone(), 0)))
                .map(|(value, count)| FacetValue {
                    label: facet.value_label(&value),
                    selected: chosen.contains(&value),
                    value,
                    count,
                })
                .collect();
            values.sort_by(|a, b| facet.rank(&a.value).cmp(&facet.rank(&b.value)).then(a.label.cmp(&b.label)));
            FacetGroup { facet, values }
        })
        .collect()
}

/// Ids and scores of the matching offers (`None`: the text has no words), and whether the match was relaxed.
type Matches = (Option<Vec<(i64, Score)>>, bool);

/// Every match with its offer id and score.
struct AllScores;

struct SegmentScores {
    ids: Column<i64>,
    found: Vec<(i64, Score)>,
}

impl Collector for AllScores {
    type Fruit = Vec<(i64, Score)>;
    type Child = SegmentScores;

    fn for_segment(&self, _segment: u32, reader: &SegmentReader) -> tantivy::Result<SegmentScores> {
        Ok(SegmentScores { ids: reader.fast_fields().i64("id")?, found: Vec::new() })
    }

    fn requires_scoring(&self) -> bool {
        true
    }

    fn merge_fruits(&self, fruits: Vec<Vec<(i64, Score)>>) -> tantivy::Result<Self::Fruit> {
        Ok(fruits.into_iter().flatten().collect())
    }
}

impl SegmentCollector for SegmentScores {
    type Fruit = Vec<(i64, Score)>;

    fn collect(&mut self, doc: DocId, score: Score) {
        if let Some(id) = self.ids.first(doc) {
            self.found.push((id, score));
        }
    }

    fn harvest(self) -> Self::Fruit {
        self.found
    }
}

#[cfg(test)]
mod quality;
