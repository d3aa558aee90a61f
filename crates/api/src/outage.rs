//! An outage the probe saw, carried in a link to the runbook site: the status page and every
//! alert link an endpoint in trouble to its runbook section with the outage filled in, and
//! the site starts the incident from it.
//!
//! In the address it is one query parameter, readable in a chat message:
//! `?outage=1~api~down~1764387060~1764387080~weur.enam.apac~HTTP%20503`, that is version,
//! endpoint, state, onset and declared (Unix seconds), failing regions, cause. The site reads
//! a link's text only as text, and refuses a link that breaks any rule below with the reason.

/// The query parameter's name.
pub const PARAM: &str = "outage";

const VERSION: &str = "1";
const SEPARATOR: char = '~';
/// Longest cause read from a link: a phrase such as "HTTP 503" or "check failed: …".
pub const MAX_CAUSE_CHARS: usize = 200;
/// Longest cause written into a link: the alert carries the rest, and the link stays short.
pub const WRITTEN_CAUSE_CHARS: usize = 100;

/// Characters a cause never carries: controls, and the invisible or direction-changing ones
/// that make text read otherwise than it is (soft hyphens, zero-width spaces and joiners,
/// bidi marks, embeddings, overrides and isolates, line and paragraph separators, the
/// byte-order mark, tag characters). Variation selectors stay: emoji need them.
pub fn is_hidden(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{00AD}'
                | '\u{061C}'
                | '\u{180E}'
                | '\u{200B}'..='\u{200F}'
                | '\u{2028}'..='\u{202E}'
                | '\u{2060}'..='\u{2069}'
                | '\u{FEFF}'
                | '\u{E0000}'..='\u{E007F}'
        )
}

/// A cause as a link carries it: hidden characters dropped, at most [`WRITTEN_CAUSE_CHARS`].
fn written_cause(cause: &str) -> String {
    cause.chars().filter(|c| !is_hidden(*c)).take(WRITTEN_CAUSE_CHARS).collect()
}
/// Most regions a link may name.
pub const MAX_REGIONS: usize = 16;
/// Longest parameter value read (before anything else is looked at).
pub const MAX_LEN: usize = 1024;

/// What the probe declared about an endpoint, from a link.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutageLink {
    pub endpoint: String,
    pub state: OutageState,
    /// When the first failing probe ran (Unix seconds).
    pub onset: i64,
    /// When the probe declared the state (Unix seconds), at or after the onset.
    pub declared: i64,
    pub regions: Vec<String>,
    pub cause: String,
}

/// The states an outage link can carry: an endpoint that is up has no outage.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OutageState {
    Down,
    Regional,
    Degraded,
}

impl OutageState {
    pub fn from_state(state: crate::State) -> Option<OutageState> {
        match state {
            crate::State::Up | crate::State::Unknown => None,
            crate::State::Degraded => Some(OutageState::Degraded),
            crate::State::Regional => Some(OutageState::Regional),
            crate::State::Down => Some(OutageState::Down),
        }
    }

    pub fn state(self) -> crate::State {
        match self {
            OutageState::Down => crate::State::Down,
            OutageState::Regional => crate::State::Regional,
            OutageState::Degraded => crate::State::Degraded,
        }
    }

    fn word(self) -> &'static str {
        match self {
            OutageState::Down => "down",
            OutageState::Regional => "regional",
            OutageState::Degraded => "degraded",
        }
    }
}

/// Why a link's outage cannot be used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OutageError {
    TooLong,
    UnknownVersion,
    WrongParts,
    BadEndpoint,
    BadState,
    BadTime,
    DeclaredBeforeOnset,
    BadRegion,
    TooManyRegions,
    BadCause,
}

impl std::fmt::Display for OutageError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            OutageError::TooLong => "it is longer than any outage the probe links to",
            OutageError::UnknownVersion => "it was made by a newer or unknown version of the probe",
            OutageError::WrongParts => "it does not have the parts an outage link has",
            OutageError::BadEndpoint => "its endpoint name is not one an endpoint can have",
            OutageError::BadState => "its state is not down, regional or degraded",
            OutageError::BadTime => "its times are not times",
            OutageError::DeclaredBeforeOnset => "it says the outage was declared before it began",
            OutageError::BadRegion => "a region in it is not a region name",
            OutageError::TooManyRegions => "it names more regions than the probe has",
            OutageError::BadCause => "its cause has characters a probe never reports",
        })
    }
}

impl OutageLink {
    /// The outage that `state` and the regions' latest results describe; `None` when up.
    pub fn from_results(
        endpoint: &str,
        state: crate::State,
        onset: i64,
        declared: i64,
        results: &[crate::RegionResult],
    ) -> Option<OutageLink> {
        let state = OutageState::from_state(state)?;
        let failing: Vec<&crate::RegionResult> = results.iter().filter(|r| r.outcome.is_failure()).collect();
        let slow: Vec<String> =
            results.iter().filter(|r| r.outcome == crate::Outcome::Slow).map(|r| r.region.clone()).collect();
        let (regions, cause) = if !failing.is_empty() {
            (failing.iter().map(|r| r.region.clone()).collect(), failing[0].outcome.describe())
        } else if !slow.is_empty() {
            (slow, "slow".to_string())
        } else {
            // An outage whose latest probes all passed: it is flapping, or about to recover.
            (Vec::new(), "failing at times".to_string())
        };
        Some(OutageLink {
            endpoint: endpoint.to_string(),
            state,
            onset,
            declared: declared.max(onset),
            regions,
            cause: written_cause(&cause),
        })
    }

    /// The parameter's value, percent-encoded for a query string.
    pub fn to_param(&self) -> String {
        let cause = written_cause(&self.cause);
        let raw = [
            VERSION.to_string(),
            self.endpoint.clone(),
            self.state.word().to_string(),
            self.onset.to_string(),
            self.declared.to_string(),
            self.regions.join("."),
            cause,
        ]
        .join(&SEPARATOR.to_string());
        crate::percent::encode(&raw)
    }

    /// `outage=…` for a query string.
    pub fn to_query(&self) -> String {
        format!("{PARAM}={}", self.to_param())
    }

    /// A parameter's value, already percent-decoded.
    pub fn parse(value: &str) -> Result<OutageLink, OutageError> {
        if value.len() > MAX_LEN {
            return Err(OutageError::TooLong);
        }
        let mut parts = value.splitn(7, SEPARATOR);
        let mut next = || parts.next().ok_or(OutageError::WrongParts);
        if next()? != VERSION {
            return Err(OutageError::UnknownVersion);
        }
        let endpoint = next()?;
        if !is_endpoint_name(endpoint) {
            return Err(OutageError::BadEndpoint);
        }
        let state = match next()? {
            "down" => OutageState::Down,
            "regional" => OutageState::Regional,
            "degraded" => OutageState::Degraded,
            _ => return Err(OutageError::BadState),
        };
        let onset = time(next()?)?;
        let declared = time(next()?)?;
        if declared < onset {
            return Err(OutageError::DeclaredBeforeOnset);
        }
        let regions_text = next()?;
        let regions: Vec<String> =
            if regions_text.is_empty() { Vec::new() } else { regions_text.split('.').map(str::to_string).collect() };
        if regions.len() > MAX_REGIONS {
            return Err(OutageError::TooManyRegions);
        }
        if !regions.iter().all(|r| (2..=16).contains(&r.len()) && r.chars().all(|c| c.is_ascii_lowercase())) {
            return Err(OutageError::BadRegion);
        }
        let cause = next()?;
        if cause.chars().count() > MAX_CAUSE_CHARS || cause.chars().any(is_hidden) {
            return Err(OutageError::BadCause);
        }
        Ok(OutageLink { endpoint: endpoint.to_string(), state, onset, declared, regions, cause: cause.to_string() })
    }
}

/// Endpoint names as `outpost.toml` allows them: 1 to 64 letters, digits, '-', '_' or '.'.
pub fn is_endpoint_name(name: &str) -> bool {
    (1..=64).contains(&name.len()) && name.chars().all(|c| c.is_ascii_alphanumeric() || "-_.".contains(c))
}

/// Unix seconds from 2000 to 2200: anything else is not a time a probe reports.
fn time(text: &str) -> Result<i64, OutageError> {
    if text.is_empty() || text.len() > 12 || !text.bytes().all(|b| b.is_ascii_digit()) {
        return Err(OutageError::BadTime);
    }
    let seconds: i64 = text.parse().map_err(|_| OutageError::BadTime)?;
    if (946_684_800..=7_258_118_400).contains(&seconds) {
        Ok(seconds)
    } else {
        Err(OutageError::BadTime)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn outage() -> OutageLink {
        OutageLink {
            endpoint: "api".into(),
            state: OutageState::Down,
            onset: 1_764_387_060,
            declared: 1_764_387_080,
            regions: vec!["weur".into(), "enam".into(), "apac".into()],
            cause: "HTTP 503".into(),
        }
    }

    /// What a browser does to a query value before the site reads it.
    fn percent_decode(text: &str) -> String {
        let bytes = text.as_bytes();
        let mut out = Vec::new();
        let mut i = 0;
        while i < bytes.len() {
            if bytes[i] == b'%' {
                out.push(u8::from_str_radix(&text[i + 1..i + 3], 16).unwrap());
                i += 3;
            } else {
                out.push(bytes[i]);
                i += 1;
            }
        }
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn a_link_reads_as_the_outage_it_was_made_from() {
        let param = outage().to_param();
        assert_eq!(param, "1~api~down~1764387060~1764387080~weur.enam.apac~HTTP%20503");
        assert_eq!(OutageLink::parse(&percent_decode(&param)), Ok(outage()));
    }

    #[test]
    fn a_cause_with_the_separator_and_any_text_survives() {
        let mut with_text = outage();
        with_text.cause = "check failed: .status == \"ok\" ~ got <b>&\u{1F525}".into();
        with_text.regions.clear();
        assert_eq!(OutageLink::parse(&percent_decode(&with_text.to_param())), Ok(with_text));
    }

    #[test]
    fn control_and_invisible_characters_never_travel_and_a_long_cause_is_cut() {
        let mut noisy = outage();
        noisy.cause = format!("line one\nline two\u{7}\u{202e}\u{200b}\u{2066}{}", "x".repeat(500));
        let read = OutageLink::parse(&percent_decode(&noisy.to_param())).unwrap();
        assert_eq!(read.cause.chars().count(), WRITTEN_CAUSE_CHARS);
        assert!(read.cause.starts_with("line oneline twoxxx"));
        for hidden in
            ['\u{202e}', '\u{200b}', '\u{2067}', '\u{feff}', '\u{61c}', '\u{200f}', '\u{ad}', '\u{2028}', '\u{e0041}']
        {
            let link = format!("1~api~down~1764387060~1764387080~weur~HTTP{hidden}503");
            assert_eq!(OutageLink::parse(&link), Err(OutageError::BadCause), "{:?}", hidden);
        }
        let rtl = "1~api~down~1764387060~1764387080~weur~خطأ في الخادم 😈";
        assert_eq!(OutageLink::parse(rtl).map(|o| o.cause), Ok("خطأ في الخادم 😈".to_string()), "visible text passes");
    }

    #[test]
    fn each_broken_rule_is_named() {
        let cases = [
            ("2~api~down~1764387060~1764387080~weur~x", OutageError::UnknownVersion),
            ("1~api~down~1764387060", OutageError::WrongParts),
            ("1~a/b~down~1764387060~1764387080~weur~x", OutageError::BadEndpoint),
            ("1~~down~1764387060~1764387080~weur~x", OutageError::BadEndpoint),
            ("1~api~exploded~1764387060~1764387080~weur~x", OutageError::BadState),
            ("1~api~down~-5~1764387080~weur~x", OutageError::BadTime),
            ("1~api~down~99999999999999~1764387080~weur~x", OutageError::BadTime),
            ("1~api~down~12~1764387080~weur~x", OutageError::BadTime),
            ("1~api~down~1764387080~1764387060~weur~x", OutageError::DeclaredBeforeOnset),
            ("1~api~down~1764387060~1764387080~WEUR~x", OutageError::BadRegion),
            ("1~api~down~1764387060~1764387080~weur..apac~x", OutageError::BadRegion),
            ("1~api~down~1764387060~1764387080~weur~a\u{0}b", OutageError::BadCause),
        ];
        for (value, error) in cases {
            assert_eq!(OutageLink::parse(value), Err(error), "{value}");
        }
        let many = vec!["ab"; MAX_REGIONS + 1].join(".");
        assert_eq!(
            OutageLink::parse(&format!("1~api~down~1764387060~1764387080~{many}~x")),
            Err(OutageError::TooManyRegions)
        );
        assert_eq!(OutageLink::parse(&"1".repeat(MAX_LEN + 1)), Err(OutageError::TooLong));
    }

    #[test]
    fn every_state_but_up_travels() {
        for state in [crate::State::Down, crate::State::Regional, crate::State::Degraded] {
            let mut link = outage();
            link.state = OutageState::from_state(state).unwrap();
            assert_eq!(OutageLink::parse(&percent_decode(&link.to_param())).unwrap().state.state(), state);
        }
        assert_eq!(OutageState::from_state(crate::State::Up), None);
    }

    #[test]
    fn an_outage_whose_latest_probes_passed_says_so_rather_than_slow() {
        let result = |outcome| crate::RegionResult { region: "weur".into(), outcome, latency_ms: 3, at: 0 };
        let flapping = OutageLink::from_results("api", crate::State::Down, 0, 10, &[result(crate::Outcome::Ok)]);
        assert_eq!(flapping.map(|o| (o.cause, o.regions.len())), Some(("failing at times".into(), 0)));
        let slow = OutageLink::from_results("api", crate::State::Degraded, 0, 10, &[result(crate::Outcome::Slow)]);
        assert_eq!(slow.map(|o| o.cause), Some("slow".into()));
    }
}
