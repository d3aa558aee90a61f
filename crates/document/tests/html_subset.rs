//! The HTML runbooks use where GitHub renders it, as runbooks of other teams write it:
//! `<details>` sections around markdown, keys, subscripts, line breaks, images and links in
//! tags. Anything outside the subset stays visible text.

mod common;

use common::render;
use document::parse;

fn rendered(source: &str) -> String {
    render(&parse("alerts/KubePodCrashLooping.md", source))
}

#[test]
fn a_details_section_holds_the_markdown_between_its_tags() {
    let source = "# KubePodCrashLooping\n\n## Diagnosis\n\n<details>\n<summary>Full context</summary>\n\nThe pod restarts **often**.\n\n```bash\nkubectl -n <namespace> logs <pod> --previous\n```\n\n</details>\n\nAfter the section.\n";
    let out = rendered(source);
    assert!(
        out.contains("details: Full context\n  p: The pod restarts **often**.\n  code bash L10\n    | kubectl -n <namespace> logs <pod> --previous\np: After the section."),
        "{out}"
    );
}

#[test]
fn an_open_nested_or_unclosed_details_section_reads_as_a_browser_reads_it() {
    let open =
        rendered("<details open><summary>Runbook <kbd>Ctrl</kbd>+<kbd>C</kbd></summary>\n\nInside.\n\n</details>\n");
    assert!(open.contains("details open: Runbook <Kbd>Ctrl</>+<Kbd>C</>\n  p: Inside."), "{open}");
    let nested = rendered("<details><summary>Outer</summary>\n\n<details><summary>Inner</summary>\n\nDeep.\n\n</details>\n\nOuter text.\n\n</details>\n");
    assert!(nested.contains("details: Outer\n  details: Inner\n    p: Deep.\n  p: Outer text."), "{nested}");
    let unclosed = rendered("Before.\n\n<details><summary>Never closed</summary>\n\nStill inside.\n");
    assert!(unclosed.contains("p: Before.\ndetails: Never closed\n  p: Still inside."), "{unclosed}");
    let side_by_side = rendered("<details><summary>One</summary>\n\nFirst.\n\n</details>\n<details><summary>Two</summary>\n\nSecond.\n\n</details>\n\nAfter.\n");
    assert!(
        side_by_side.contains("details: One\n  p: First.\ndetails: Two\n  p: Second.\np: After."),
        "{side_by_side}"
    );
    let one_piece = rendered("<details><summary>Short</summary>Just a line → é.</details>\n");
    assert!(one_piece.contains("details: Short\n  p: Just a line → é."), "{one_piece}");
}

#[test]
fn inline_tags_become_what_they_mean() {
    let out = rendered("Press <kbd>Ctrl</kbd>, H<sub>2</sub>O, x<sup>2</sup>, <ins>new</ins>, <del>old</del>, <b>bold</b>,<br>then <nobr>no break</nobr>.\n");
    assert!(
        out.contains("p: Press <Kbd>Ctrl</>, H<Sub>2</>O, x<Sup>2</>, <Ins>new</>, ~~old~~, **bold**,⤶then no break."),
        "{out}"
    );
}

#[test]
fn links_and_images_in_tags_are_classified_like_markdown_ones() {
    let out = rendered("<a href=\"../runbooks/db.md\">the database runbook</a> and <a href=\"javascript:alert(1)\">this</a>.\n\n<p align=\"center\"><img src=\"https://example.com/flow.png\" alt=\"Flow\" width=\"500\"></p>\n");
    assert!(out.contains("[this](unsafe:javascript:alert(1))"), "{out}");
    assert!(out.contains("p: ![Flow](url:https://example.com/flow.png)"), "{out}");
}

#[test]
fn html_outside_the_subset_or_unpaired_stays_text() {
    let out = rendered("<script>alert(1)</script>\n\nA <kbd>key without its end.\n\n<iframe src=\"x\"></iframe>\n");
    assert!(out.contains("html (as text): \"<script>alert(1)</script>\""), "{out}");
    assert!(out.contains("p: A ‹html:<kbd>›key without its end."), "{out}");
    assert!(out.contains("html (as text): \"<iframe src=\\\"x\\\"></iframe>\""), "{out}");
}

#[test]
fn an_image_that_cannot_be_shown_is_named_by_its_file_when_it_has_no_description() {
    let runbook = parse("alerts/raid.md", "![](../../img/diagram.png)\n\n![RAID layout](../../img/raid.png)\n");
    let mut labels = Vec::new();
    runbook.for_each_image(&mut |image| labels.push(image.label()));
    assert_eq!(labels, ["diagram.png", "RAID layout"]);
}

#[test]
fn hostile_nesting_stays_shallow_and_the_rest_is_text() {
    let tags = format!("{}core{}", "<b>".repeat(5_000), "</b>".repeat(5_000));
    let out = rendered(&tags);
    assert!(out.contains("core"), "the words survive");
    let sections = "<details>\n\n".repeat(2_000) + "deep\n";
    assert!(rendered(&sections).contains("deep"));
}
