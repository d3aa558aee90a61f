//! What Cloudflare Pages takes, checked on `dist/` before it is sent (Pages' docs: Headers,
//! Redirects and Limits): a deploy that breaks one of these fails half-way, or worse, is
//! taken with rules silently ignored.

use std::path::Path;

/// "A project is limited to 100 header rules. Each line in the _headers file has a 2,000
/// character limit."
pub const MAX_HEADER_RULES: usize = 100;
pub const MAX_HEADER_LINE_CHARS: usize = 2_000;
/// "2,000 static redirects and 100 dynamic redirects … Each redirect declaration has a
/// 1,000-character limit."
pub const MAX_STATIC_REDIRECTS: usize = 2_000;
pub const MAX_DYNAMIC_REDIRECTS: usize = 100;
pub const MAX_REDIRECT_CHARS: usize = 1_000;
/// Files per site on the Free plan, and the size of each.
pub const MAX_FILES: usize = 20_000;
pub const MAX_FILE_BYTES: u64 = 25 * 1024 * 1024;

/// What `dist/` holds, as Pages counts it.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Site {
    pub files: usize,
    pub bytes: u64,
    pub header_rules: usize,
    pub redirects: (usize, usize),
}

/// `dist` measured, with every limit it breaks.
pub fn check(dist: &Path) -> Result<(Site, Vec<String>), String> {
    let mut files = Vec::new();
    collect(dist, dist, &mut files)?;
    let mut problems = Vec::new();
    let read = |name: &str| std::fs::read_to_string(dist.join(name)).unwrap_or_default();
    let (header_rules, header_problems) = headers(&read("_headers"));
    let (redirects, redirect_problems) = redirects(&read("_redirects"));
    problems.extend(header_problems);
    problems.extend(redirect_problems);
    problems.extend(file_problems(&files));
    let assets: Vec<_> = files.iter().filter(|(path, _)| !is_rules_file(path)).collect();
    let site = Site { files: assets.len(), bytes: assets.iter().map(|(_, size)| size).sum(), header_rules, redirects };
    Ok((site, problems))
}

/// `_headers`: its rules (a line that starts a block) and lines past the limit.
pub fn headers(text: &str) -> (usize, Vec<String>) {
    let mut problems = Vec::new();
    let mut rules = 0;
    for (number, line) in text.lines().enumerate() {
        if line.chars().count() > MAX_HEADER_LINE_CHARS {
            problems.push(format!(
                "_headers line {}: {} characters, past Pages' {MAX_HEADER_LINE_CHARS}",
                number + 1,
                line.chars().count()
            ));
        }
        let starts_rule = !line.trim().is_empty() && !line.starts_with([' ', '\t']) && !line.starts_with('#');
        rules += usize::from(starts_rule);
    }
    if rules > MAX_HEADER_RULES {
        problems.push(format!("_headers has {rules} rules, past Pages' {MAX_HEADER_RULES}"));
    }
    (rules, problems)
}

/// `_redirects`: (static, dynamic) rules, and what Pages would refuse or ignore.
pub fn redirects(text: &str) -> ((usize, usize), Vec<String>) {
    let mut problems = Vec::new();
    let (mut fixed, mut dynamic) = (0, 0);
    for (number, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let fields: Vec<&str> = line.split_whitespace().collect();
        if !(2..=3).contains(&fields.len()) {
            problems.push(format!("_redirects line {}: Pages reads \"source destination [code]\"", number + 1));
        }
        if line.chars().count() > MAX_REDIRECT_CHARS {
            problems.push(format!("_redirects line {}: past Pages' {MAX_REDIRECT_CHARS} characters", number + 1));
        }
        let source = fields[0];
        if source.contains('*') || source.split('/').any(|segment| segment.starts_with(':')) {
            dynamic += 1;
        } else {
            fixed += 1;
        }
    }
    if fixed > MAX_STATIC_REDIRECTS {
        problems.push(format!("_redirects has {fixed} static rules, past Pages' {MAX_STATIC_REDIRECTS}"));
    }
    if dynamic > MAX_DYNAMIC_REDIRECTS {
        problems.push(format!("_redirects has {dynamic} dynamic rules, past Pages' {MAX_DYNAMIC_REDIRECTS}"));
    }
    ((fixed, dynamic), problems)
}

/// Too many files, or one too large.
pub fn file_problems(files: &[(String, u64)]) -> Vec<String> {
    let mut problems: Vec<String> = files
        .iter()
        .filter(|(_, size)| *size > MAX_FILE_BYTES)
        .map(|(path, size)| format!("{path} is {:.1} MiB, past Pages' 25 MiB a file", *size as f64 / 1_048_576.0))
        .collect();
    let count = files.iter().filter(|(path, _)| !is_rules_file(path)).count();
    if count > MAX_FILES {
        problems.push(format!("the site has {count} files, past the {MAX_FILES} Pages takes on the Free plan"));
    }
    problems
}

/// `_headers` and `_redirects` are read by Pages, not served.
fn is_rules_file(path: &str) -> bool {
    path == "_headers" || path == "_redirects"
}

fn collect(root: &Path, dir: &Path, out: &mut Vec<(String, u64)>) -> Result<(), String> {
    for entry in std::fs::read_dir(dir).map_err(|e| format!("{}: {e}", dir.display()))?.flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect(root, &path, out)?;
        } else {
            let size = entry.metadata().map_err(|e| format!("{}: {e}", path.display()))?.len();
            let relative = path.strip_prefix(root).expect("under dist").to_string_lossy().replace('\\', "/");
            out.push((relative, size));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rules(count: usize) -> String {
        (0..count).map(|i| format!("/page-{i}\n  Cache-Control: no-cache\n")).collect()
    }

    #[test]
    fn header_rules_are_counted_by_block_and_taken_up_to_the_limit() {
        assert_eq!(headers("# a comment\n/*\n  X-Frame-Options: DENY\n\n/a\n  B: c\n"), (2, vec![]));
        assert_eq!(headers(&rules(MAX_HEADER_RULES)).1, Vec::<String>::new());
        let (count, problems) = headers(&rules(MAX_HEADER_RULES + 1));
        assert_eq!(count, 101);
        assert_eq!(problems, ["_headers has 101 rules, past Pages' 100"]);
    }

    #[test]
    fn a_header_line_is_measured_in_characters_at_and_past_two_thousand() {
        let at = format!("/*\n  X-Note: {}\n", "é".repeat(MAX_HEADER_LINE_CHARS - 10));
        assert_eq!(headers(&at).1, Vec::<String>::new());
        let past = format!("/*\n  X-Note: {}\n", "→".repeat(MAX_HEADER_LINE_CHARS - 9));
        assert_eq!(headers(&past).1, ["_headers line 2: 2001 characters, past Pages' 2000"]);
    }

    #[test]
    fn redirects_are_counted_static_and_dynamic_against_each_limit() {
        let text = "# comment\n/i/* /404 200\n/s /404 200\n/old/:id /new/:id 301\n";
        assert_eq!(redirects(text), ((1, 2), vec![]));
        let dynamic: String = (0..=MAX_DYNAMIC_REDIRECTS).map(|i| format!("/d{i}/* /404 200\n")).collect();
        assert_eq!(redirects(&dynamic).1, ["_redirects has 101 dynamic rules, past Pages' 100"]);
        let fixed: String = (0..=MAX_STATIC_REDIRECTS).map(|i| format!("/s{i} /404 200\n")).collect();
        assert_eq!(redirects(&fixed).1, ["_redirects has 2001 static rules, past Pages' 2000"]);
        let at: String = (0..MAX_STATIC_REDIRECTS).map(|i| format!("/s{i} /404 200\n")).collect();
        assert!(redirects(&at).1.is_empty());
    }

    #[test]
    fn a_malformed_or_overlong_redirect_is_named_by_its_line() {
        let problems = redirects("/only-a-source\n/a /b 301 extra\n").1;
        assert_eq!(problems.len(), 2, "{problems:?}");
        assert!(problems[0].starts_with("_redirects line 1") && problems[1].starts_with("_redirects line 2"));
        let long = format!("/a /{} 301\n", "ü".repeat(MAX_REDIRECT_CHARS));
        assert_eq!(redirects(&long).1, ["_redirects line 1: past Pages' 1000 characters"]);
    }

    #[test]
    fn file_counts_and_sizes_are_held_to_the_free_plan() {
        let many: Vec<(String, u64)> = (0..MAX_FILES).map(|i| (format!("r/{i}/index.html"), 10)).collect();
        let mut with_rules = many.clone();
        with_rules.push(("_headers".into(), 10));
        assert!(file_problems(&with_rules).is_empty(), "the rules files are not counted");
        let mut past = many;
        past.push(("one-more.html".into(), 10));
        assert_eq!(file_problems(&past), ["the site has 20001 files, past the 20000 Pages takes on the Free plan"]);
        let big = [("app_bg.wasm".to_string(), MAX_FILE_BYTES + 1), ("fine.js".to_string(), MAX_FILE_BYTES)];
        assert_eq!(file_problems(&big), ["app_bg.wasm is 25.0 MiB, past Pages' 25 MiB a file"]);
    }
}
