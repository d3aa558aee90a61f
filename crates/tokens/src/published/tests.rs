use document::search::SearchIndex;
use expect_test::expect;
use proptest::prelude::*;
use runbook::catalog::Catalog;

use super::*;

/// Every kind of block and inline, front matter, phases, severities, a template, host
/// variables and a secret: a change to any model type changes this encoding.
const FIXTURE: &str = r#"---
title: Database failover
description: When the primary stops answering.
owner: dba-team
tags: [db, sev1]
variables:
  DB_HOST: db.internal
---
# Database failover

> [!WARNING]
> Writes are lost if you **skip** step 2.

| Severity | Response | Escalate after |
|---|---|---|
| SEV1 | 5 min | 15 min |

## Scenarios

### Primary down (SEV1)

## Detect

1. Check the primary: `pg_isready -h $DB_HOST`
2. [ ] Page the *DBA* on call → see [the escalation page](other.md#top)

```bash
ssh admin@DB_HOST 'sudo systemctl status postgresql'
export TOKEN=$API_KEY
```

## Communicate

```markdown
Status: [Investigating] We are failing over <service-name>. Next update at [time].
```

<details><summary>Why é, → and ├── matter</summary>

RTL: שלום, emoji 🚨, line one<br>line two[^1].

</details>

[^1]: A footnote with ~~struck~~ text and <kbd>Ctrl</kbd>.
"#;

fn fixture() -> Runbook {
    let library = runbook::library("runbooks", [("failover.md", FIXTURE), ("other.md", "# Other\n")], &[]);
    library.get("failover").expect("the fixture parses").clone()
}

/// FNV-1a: a short, stable fingerprint of an encoding for the golden tests.
fn fingerprint(bytes: &[u8]) -> String {
    let hash = bytes.iter().fold(0xcbf2_9ce4_8422_2325u64, |h, b| (h ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3));
    format!("{} bytes, {hash:016x}", bytes.len())
}

#[test]
fn golden_runbook_encoding_is_unchanged_unless_the_version_is_raised() {
    // If this changes, the published format changed: raise FORMAT_VERSION, then update.
    assert_eq!(FORMAT_VERSION, 1);
    expect!["1408 bytes, 944dfeaa609387d9"].assert_eq(&fingerprint(&write_runbook(&fixture())));
}

#[test]
fn golden_catalog_and_search_encodings_are_unchanged_unless_the_version_is_raised() {
    let library = runbook::library("runbooks", [("failover.md", FIXTURE), ("other.md", "# Other\n")], &[]);
    expect!["120 bytes, b0523bd5ad153e5b"].assert_eq(&fingerprint(&write_catalog(&Catalog::of(&library))));
    expect!["729 bytes, 23a2d7a1fae08d25"]
        .assert_eq(&fingerprint(&write_search(&SearchIndex::build(library.documents()))));
}

#[test]
fn a_runbook_reads_back_exactly_as_it_was_derived() {
    let runbook = fixture();
    assert_eq!(read_runbook(&write_runbook(&runbook)), Ok(runbook.clone()));
    assert!(!runbook.steps.is_empty() && !runbook.templates.is_empty() && !runbook.secrets.is_empty());
}

#[test]
fn the_teams_runbook_reads_back_exactly() {
    let text = include_str!("../../../../examples/runbooks/incident-response.md");
    let library = runbook::library("runbooks", [("incident-response.md", text)], &[]);
    let runbook = &library.runbooks[0];
    assert_eq!(read_runbook(&write_runbook(runbook)).as_ref(), Ok(runbook));
}

#[test]
fn the_search_index_finds_the_same_after_reading_back() {
    let library = runbook::library("runbooks", [("failover.md", FIXTURE), ("other.md", "# Other\n")], &[]);
    let index = SearchIndex::build(library.documents());
    let read = read_search(&write_search(&index)).expect("reads back");
    for query in ["primary", "é", "→", "🚨", "שלום", "db failover", "nothing matches this"] {
        assert_eq!(read.search(query, 12), index.search(query, 12), "query {query:?}");
    }
}

#[test]
fn a_file_of_another_kind_version_or_origin_is_named_not_misread() {
    let runbook = write_runbook(&fixture());
    assert_eq!(read_catalog(&runbook), Err(ReadError::WrongKind));
    let mut newer = runbook.clone();
    newer[5] = FORMAT_VERSION + 1;
    assert_eq!(read_runbook(&newer), Err(ReadError::OtherVersion(FORMAT_VERSION + 1)));
    assert_eq!(read_runbook(b"<!doctype html><p>Not found</p>"), Err(ReadError::NotPublished));
    assert_eq!(read_runbook(b""), Err(ReadError::NotPublished));
    assert_eq!(read_runbook(b"OPST"), Err(ReadError::NotPublished));
}

#[test]
fn a_cut_or_lengthened_file_is_damaged() {
    let bytes = write_runbook(&fixture());
    for cut in [6, 7, bytes.len() / 2, bytes.len() - 1] {
        assert_eq!(read_runbook(&bytes[..cut]), Err(ReadError::Damaged), "cut at {cut}");
    }
    let mut longer = bytes.clone();
    longer.push(0);
    assert_eq!(read_runbook(&longer), Err(ReadError::Damaged));
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

    /// Any bytes after a valid header: a value or an error, never a panic.
    #[test]
    fn any_bytes_read_as_a_value_or_an_error(body in proptest::collection::vec(any::<u8>(), 0..600)) {
        for kind in [b'R', b'C', b'S'] {
            let mut bytes = b"OPST".to_vec();
            bytes.extend([kind, FORMAT_VERSION]);
            bytes.extend(&body);
            let _ = read_runbook(&bytes);
            let _ = read_catalog(&bytes);
            if let Ok(index) = read_search(&bytes) {
                let _ = index.search("a", 12);
            }
        }
    }

    /// A published runbook with one byte changed: a value or an error, never a panic.
    #[test]
    fn a_changed_byte_reads_as_a_value_or_an_error(at in 6usize..1900, value in any::<u8>()) {
        let mut bytes = write_runbook(&fixture());
        let at = at.min(bytes.len() - 1);
        bytes[at] = value;
        let _ = read_runbook(&bytes);
    }
}
