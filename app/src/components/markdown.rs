//! Draws the runbook model. Text always goes in as text nodes, never as HTML, so nothing in
//! a runbook can become markup or script.

use document::{Alignment, Block, Callout, Heading, ImageSource, Inline, InlineTag, LinkTarget, List, Table};
use leptos::prelude::*;
use runbook::steps::StepLocation;

use crate::components::code_block::CodeBlockView;
use crate::components::step_check::StepCheck;
use crate::doc::Doc;
use crate::library::runbook_href;

pub fn blocks_view(blocks: &'static [Block], doc: Doc) -> AnyView {
    blocks.iter().map(|block| block_view(block, doc)).collect_view().into_any()
}

fn block_view(block: &'static Block, doc: Doc) -> AnyView {
    match block {
        Block::Heading(heading) => heading_view(heading),
        Block::Paragraph(content) => view! { <p>{inlines_view(content)}</p> }.into_any(),
        Block::Plain(content) => inlines_view(content),
        Block::List(list) => list_view(list, doc),
        Block::Code(code) => view! { <CodeBlockView code=code doc=doc/> }.into_any(),
        Block::Table(table) => table_view(table),
        Block::Quote(quote) => match quote.callout {
            Some(callout) => {
                let (class, label) = callout_style(callout);
                let label = quote.title.clone().unwrap_or_else(|| label.to_string());
                view! {
                    <aside class=class>
                        <p class="callout-title">{label}</p>
                        {blocks_view(&quote.blocks, doc)}
                    </aside>
                }
                .into_any()
            }
            None => view! { <blockquote>{blocks_view(&quote.blocks, doc)}</blockquote> }.into_any(),
        },
        Block::Rule => view! { <hr/> }.into_any(),
        Block::Details(details) => view! {
            <details open=details.open>
                <summary>{inlines_view(&details.summary)}</summary>
                {blocks_view(&details.blocks, doc)}
            </details>
        }
        .into_any(),
        Block::Html(html) => {
            view! { <pre class="raw-html" title="HTML in the runbook is shown as text">{html.clone()}</pre> }.into_any()
        }
    }
}

/// A heading and, beside it (not inside, so the heading's name is its text), the link to it.
fn heading_view(heading: &'static Heading) -> AnyView {
    let id = heading.anchor.clone();
    let text = document::text::plain_text(&heading.content);
    let link =
        view! { <a class="anchor" href=format!("#{id}") aria-label=format!("Link to the section {text}")>"#"</a> };
    let content = inlines_view(&heading.content);
    let heading = match heading.level {
        1 => view! { <h1 id=id>{content}</h1> }.into_any(),
        2 => view! { <h2 id=id>{content}</h2> }.into_any(),
        3 => view! { <h3 id=id>{content}</h3> }.into_any(),
        4 => view! { <h4 id=id>{content}</h4> }.into_any(),
        5 => view! { <h5 id=id>{content}</h5> }.into_any(),
        _ => view! { <h6 id=id>{content}</h6> }.into_any(),
    };
    view! { <div class="heading-row">{heading}{link}</div> }.into_any()
}

fn list_view(list: &'static List, doc: Doc) -> AnyView {
    let items = list
        .items
        .iter()
        .map(|item| {
            let step = doc.runbook.step_at(StepLocation::ListItem { line: item.line });
            match (step, doc.incident) {
                (Some(step), Some(incident)) => {
                    let done = move || incident.state.with(|i| i.as_ref().is_some_and(|i| i.checks.contains_key(&step.id)));
                    view! {
                        <li class="step" class:done=done>
                            <StepCheck step=step incident=incident store=doc.store/>
                            <div class="step-body">{blocks_view(&item.blocks, doc)}</div>
                        </li>
                    }
                    .into_any()
                }
                _ => {
                    // Outside an incident a task list shows the state written in the runbook.
                    let task = item.task.map(|checked| {
                        view! { <input type="checkbox" class="task-box" disabled=true checked=checked aria-label="task"/> }
                    });
                    let class = if item.task.is_some() { "task" } else { "" };
                    view! { <li class=class>{task}{blocks_view(&item.blocks, doc)}</li> }.into_any()
                }
            }
        })
        .collect_view();
    match list.start {
        Some(start) => view! { <ol start=start.to_string()>{items}</ol> }.into_any(),
        None => view! { <ul>{items}</ul> }.into_any(),
    }
}

fn table_view(table: &'static Table) -> AnyView {
    let align = |column: usize| match table.alignments.get(column) {
        Some(Alignment::Left) => "left",
        Some(Alignment::Center) => "center",
        Some(Alignment::Right) => "right",
        _ => "",
    };
    let header = table
        .header
        .iter()
        .enumerate()
        .map(|(i, cell)| view! { <th class=align(i) scope="col">{inlines_view(cell)}</th> })
        .collect_view();
    let has_rows = !table.rows.is_empty();
    let rows = table
        .rows
        .iter()
        .map(|row| {
            let cells = row
                .iter()
                .enumerate()
                .map(|(i, cell)| view! { <td class=align(i)>{inlines_view(cell)}</td> })
                .collect_view();
            view! { <tr>{cells}</tr> }
        })
        .collect_view();
    view! {
        <div class="table-wrap" tabindex="0">
            <table>
                <thead><tr>{header}</tr></thead>
                // A table of a header only has no body, as CommonMark writes it.
                {has_rows.then(|| view! { <tbody>{rows}</tbody> })}
            </table>
        </div>
    }
    .into_any()
}

pub fn inlines_view(content: &'static [Inline]) -> AnyView {
    content.iter().map(inline_view).collect_view().into_any()
}

fn inline_view(inline: &'static Inline) -> AnyView {
    match inline {
        Inline::Text(text) => text.clone().into_any(),
        Inline::Code(code) => view! { <code>{code.clone()}</code> }.into_any(),
        Inline::Emphasis(content) => view! { <em>{inlines_view(content)}</em> }.into_any(),
        Inline::Strong(content) => view! { <strong>{inlines_view(content)}</strong> }.into_any(),
        Inline::Strikethrough(content) => view! { <del>{inlines_view(content)}</del> }.into_any(),
        Inline::Link(link) => link_view(&link.target, &link.title, &link.content),
        Inline::Image(image) => match &image.src {
            ImageSource::Url(url) => view! { <img src=url.clone() alt=image.alt.clone() title=image.title.clone() loading="lazy"/> }.into_any(),
            ImageSource::File(path) => view! { <img src=format!("/runbooks/{path}") alt=image.alt.clone() title=image.title.clone() loading="lazy"/> }.into_any(),
            ImageSource::Blocked(src) => view! { <span class="image-blocked" title=format!("Not loaded: {src}")>"[image: "{image.label()}"]"</span> }.into_any(),
        },
        Inline::FootnoteReference(label) => view! {
            <sup class="footnote-ref"><a href=format!("#fn-{label}") id=format!("fnref-{label}")>{label.clone()}</a></sup>
        }
        .into_any(),
        Inline::SoftBreak => " ".into_any(),
        Inline::HardBreak => view! { <br/> }.into_any(),
        Inline::Tagged(tagged) => {
            let content = inlines_view(&tagged.content);
            match tagged.tag {
                InlineTag::Kbd => view! { <kbd>{content}</kbd> }.into_any(),
                InlineTag::Sub => view! { <sub>{content}</sub> }.into_any(),
                InlineTag::Sup => view! { <sup>{content}</sup> }.into_any(),
                InlineTag::Ins => view! { <ins>{content}</ins> }.into_any(),
                InlineTag::Mark => view! { <mark>{content}</mark> }.into_any(),
            }
        }
        Inline::Html(html) => view! { <code class="raw-html">{html.clone()}</code> }.into_any(),
    }
}

fn link_view(target: &'static LinkTarget, title: &'static str, content: &'static [Inline]) -> AnyView {
    let title = (!title.is_empty()).then(|| title.to_string());
    match target {
        LinkTarget::External(url) => view! {
            <a href=url.clone() title=title target="_blank" rel="noopener noreferrer external">{inlines_view(content)}</a>
        }
        .into_any(),
        // `[text]()` links to this very page, as CommonMark writes it (`href=""`).
        LinkTarget::Anchor(anchor) => {
            let href = if anchor.is_empty() { String::new() } else { format!("#{anchor}") };
            view! { <a href=href title=title>{inlines_view(content)}</a> }.into_any()
        }
        LinkTarget::Runbook { slug, anchor } => {
            view! { <a href=runbook_href(slug, anchor.as_deref()) title=title>{inlines_view(content)}</a> }.into_any()
        }
        LinkTarget::File { path } => view! {
            <a href=format!("/runbooks/{path}") title=title rel="external">{inlines_view(content)}</a>
        }
        .into_any(),
        LinkTarget::MissingRunbook { href } => view! {
            <span class="link-missing" title=format!("This site has no runbook for {href}")>
                {inlines_view(content)}
                <span class="missing-badge">"missing"</span>
            </span>
        }
        .into_any(),
        LinkTarget::Unsafe { href } => view! {
            <span class="link-unsafe" title=format!("Link not followed: {href}")>{inlines_view(content)}</span>
        }
        .into_any(),
    }
}

fn callout_style(callout: Callout) -> (&'static str, &'static str) {
    match callout {
        Callout::Note => ("callout note", "Note"),
        Callout::Tip => ("callout tip", "Tip"),
        Callout::Important => ("callout important", "Important"),
        Callout::Warning => ("callout warning", "Warning"),
        Callout::Caution => ("callout caution", "Caution"),
    }
}
