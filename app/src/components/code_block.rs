//! Code blocks. Shell blocks are drawn as command groups, each with its own copy button
//! (and checkbox during an incident), with the team's hosts filled in and secrets marked.
//! Templates become forms during an incident. Everything else copies exactly as written.

use document::commands::{copy_all_text, is_shell, CommandGroup};
use document::CodeBlock;
use leptos::prelude::*;
use runbook::steps::StepLocation;
use runbook::values::substitute_as_drawn;
use runbook::variables::{pieces, Piece};

use crate::components::copy_button::CopyButton;
use crate::components::step_check::StepCheck;
use crate::components::template_form::TemplateForm;
use crate::doc::Doc;

#[component]
pub fn CodeBlockView(code: &'static CodeBlock, doc: Doc) -> AnyView {
    if is_shell(code.lang.as_deref()) {
        return view! { <ShellBlock code=code doc=doc/> }.into_any();
    }
    let template = doc.runbook.templates.iter().find(|t| t.line == code.line);
    match (template, doc.incident) {
        (Some(template), Some(incident)) => {
            view! { <TemplateForm template=template incident=incident doc=doc/> }.into_any()
        }
        _ => view! { <PlainBlock code=code/> }.into_any(),
    }
}

#[component]
fn PlainBlock(code: &'static CodeBlock) -> impl IntoView {
    view! {
        <div class="code">
            <div class="code-bar">
                <span class="code-lang">{code.lang.clone().unwrap_or_default()}</span>
                <CopyButton text=move |_| code.code.clone() class="copy copy-all" from_page=true/>
            </div>
            // Focusable: a code line wider than the screen scrolls with the keyboard too.
            // An empty block stays empty: the renderer writes a space for an empty text.
            <pre tabindex="0"><code>{(!code.code.is_empty()).then_some(code.code.as_str())}</code></pre>
        </div>
    }
}

#[component]
fn ShellBlock(code: &'static CodeBlock, doc: Doc) -> impl IntoView {
    let variables = &doc.runbook.variables;
    // What the block shows: its groups with the values filled in (`copy_all_text`).
    let copy_all = move |_| {
        doc.variables.with(|values| {
            let groups: Vec<String> = code
                .groups
                .iter()
                .map(|g| substitute_as_drawn(&g.text, variables, &|name| values.get(name).cloned()))
                .collect();
            copy_all_text(&groups)
        })
    };
    let rows = code
        .groups
        .iter()
        .enumerate()
        .map(|(index, group)| {
            let step = doc.runbook.step_at(StepLocation::Command { block_line: code.line, group: index });
            view! { <CommandRow group=group step=step doc=doc/> }
        })
        .collect_view();
    view! {
        <div class="code shell">
            <div class="code-bar">
                <span class="code-lang">{code.lang.clone().unwrap_or_default()}</span>
                <CopyButton text=copy_all label="Copy all" class="copy copy-all" from_page=true/>
            </div>
            {rows}
        </div>
    }
}

#[component]
fn CommandRow(group: &'static CommandGroup, step: Option<&'static runbook::steps::Step>, doc: Doc) -> impl IntoView {
    let variables = &doc.runbook.variables;
    let check = match (step, doc.incident) {
        (Some(step), Some(incident)) => Some(view! { <StepCheck step=step incident=incident store=doc.store/> }),
        _ => None,
    };
    let done = move || match (step, doc.incident) {
        (Some(step), Some(incident)) => {
            incident.state.with(|i| i.as_ref().is_some_and(|i| i.checks.contains_key(&step.id)))
        }
        _ => false,
    };
    let copy = move |_| {
        doc.variables.with(|values| substitute_as_drawn(&group.text, variables, &|name| values.get(name).cloned()))
    };
    let has_check = check.is_some();
    view! {
        <div class="command" class:done=done class:has-check=has_check>
            {check}
            <pre tabindex="0"><code>{group.text.split_inclusive('\n').map(|line| command_line(line, doc)).collect_view()}</code></pre>
            {group.has_commands.then(|| view! { <CopyButton text=copy class="copy copy-group" title="Copy these commands" from_page=true/> })}
        </div>
    }
}

/// One line: comments dimmed, variables filled in (or marked unset), secrets marked.
fn command_line(line: &'static str, doc: Doc) -> AnyView {
    if line.trim_start().starts_with('#') {
        return view! { <span class="comment">{line}</span> }.into_any();
    }
    pieces(line, &doc.runbook.variables, &doc.runbook.secrets)
        .into_iter()
        .map(|piece| match piece {
            Piece::Text(text) => text.into_any(),
            Piece::Variable { name, written } => {
                let value = move || doc.value_of(name);
                view! {
                    <span class="var" class:unset=move || value().is_none()
                        title=move || match value() { Some(_) => format!("{written}: set at the top of the page"), None => format!("{written} is not set: fill it in at the top of the page") }>
                        {move || value().unwrap_or_else(|| written.to_string())}
                    </span>
                }
                .into_any()
            }
            Piece::Secret { name, written } => view! {
                <span class="secret" title=format!("Secret: set {name} in your own shell. Outpost never stores or shares it.")>{written}</span>
            }
            .into_any(),
        })
        .collect_view()
        .into_any()
}
