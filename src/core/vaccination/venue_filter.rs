//! 「接種場所の絞り込み」 (seed 002 §3): narrowing the venues a resident looks at by kind
//! (集団接種会場 or 医療機関) and by the vaccine each offers, as read from the query string
//! of a GET form, so it works without JavaScript and a link keeps the choice.

/// What the form asked for; `None` is 「すべて」.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct VenueFilter {
    /// The stored kind: "group" (集団接種会場) or "clinic" (医療機関).
    pub kind: Option<&'static str>,
    pub vaccine: Option<String>,
}

/// The stored venue kinds in the order the form lists them.
pub const KINDS: [&str; 2] = ["group", "clinic"];

impl VenueFilter {
    /// Reads the form's values: an unknown kind or an empty vaccine is 「すべて」, so a
    /// hand-edited link shows every venue rather than an error.
    pub fn parse(kind: Option<&str>, vaccine: Option<&str>) -> VenueFilter {
        let kind = kind
            .map(str::trim)
            .and_then(|k| KINDS.iter().copied().find(|known| *known == k));
        let vaccine = vaccine
            .map(str::trim)
            .filter(|v| !v.is_empty())
            .map(|v| v.chars().take(100).collect());
        VenueFilter { kind, vaccine }
    }

    /// Whether a venue of this kind offering this vaccine is shown.
    pub fn matches(&self, kind: &str, vaccine: &str) -> bool {
        self.kind.is_none_or(|k| k == kind)
            && self.vaccine.as_deref().is_none_or(|v| v == vaccine.trim())
    }

    /// The query string that asks for this filter again (for the month links), without `?`.
    pub fn query(&self) -> String {
        let mut q = url::form_urlencoded::Serializer::new(String::new());
        q.append_pair("kind", self.kind.unwrap_or(""));
        q.append_pair("vaccine", self.vaccine.as_deref().unwrap_or(""));
        q.finish()
    }
}

/// The vaccines offered, each once, in the order the venues list them (the form's choices).
pub fn vaccines<'a>(offered: impl IntoIterator<Item = &'a str>) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for v in offered.into_iter().map(str::trim).filter(|v| !v.is_empty()) {
        if !out.iter().any(|o| o == v) {
            out.push(v.to_string());
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nothing_chosen_shows_every_venue() {
        let f = VenueFilter::parse(None, None);
        assert_eq!(f, VenueFilter::default());
        assert!(f.matches("group", "ファイザー"));
        assert!(f.matches("clinic", "モデルナ"));
    }

    #[test]
    fn kind_and_vaccine_both_narrow() {
        let f = VenueFilter::parse(Some("clinic"), Some(" ファイザー "));
        assert!(f.matches("clinic", "ファイザー"));
        assert!(!f.matches("group", "ファイザー"));
        assert!(!f.matches("clinic", "モデルナ"));
    }

    #[test]
    fn unknown_values_mean_all() {
        let f = VenueFilter::parse(Some("hospital"), Some("   "));
        assert_eq!(f, VenueFilter::default());
        let long = "あ".repeat(500);
        let f = VenueFilter::parse(None, Some(&long));
        assert_eq!(f.vaccine.map(|v| v.chars().count()), Some(100));
    }

    #[test]
    fn the_query_asks_for_the_same_filter_again() {
        let f = VenueFilter::parse(Some("group"), Some("モデルナ"));
        let q = f.query();
        let back: Vec<(String, String)> = url::form_urlencoded::parse(q.as_bytes())
            .into_owned()
            .collect();
        let get = |k: &str| back.iter().find(|(n, _)| n == k).map(|(_, v)| v.as_str());
        assert_eq!(VenueFilter::parse(get("kind"), get("vaccine")), f);
        assert!(!q.contains('モ'), "encoded: {q}");
    }

    #[test]
    fn each_vaccine_is_offered_once_in_venue_order() {
        assert_eq!(
            vaccines(["ファイザー", "モデルナ", " ファイザー", ""]),
            vec!["ファイザー".to_string(), "モデルナ".to_string()]
        );
    }
}
