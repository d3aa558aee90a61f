//! A code block with a copy button that copies exactly the code.

use std::time::Duration;

use leptos::prelude::*;
use leptos::task::spawn_local;
use runbook::CodeBlock;

use crate::clipboard::copy_text;

#[derive(Clone, Copy, PartialEq)]
enum CopyState {
    Ready,
    Copied,
    Failed,
}

#[component]
pub fn CodeBlockView(code: &'static CodeBlock) -> impl IntoView {
    let state = RwSignal::new(CopyState::Ready);
    let copy = move |_| {
        spawn_local(async move {
            let copied = copy_text(&code.code).await;
            state.set(if copied {
                CopyState::Copied
            } else {
                CopyState::Failed
            });
            set_timeout(move || state.set(CopyState::Ready), Duration::from_secs(2));
        });
    };
    let label = move || match state.get() {
        CopyState::Ready => "Copy",
        CopyState::Copied => "Copied",
        CopyState::Failed => "Select and copy",
    };
    let lang = code.lang.clone();
    let shell = matches!(
        lang.as_deref(),
        Some("bash" | "sh" | "shell" | "zsh" | "console" | "shell-session")
    );
    view! {
        <div class="code">
            <div class="code-bar">
                <span class="code-lang">{lang.unwrap_or_default()}</span>
                <button type="button" class="copy" on:click=copy aria-live="polite"
                    class:copied=move || state.get() == CopyState::Copied>
                    {label}
                </button>
            </div>
            <pre><code>{code_lines(&code.code, shell)}</code></pre>
        </div>
    }
}

/// Shell comments are dimmed so the commands stand out; everything stays plain text.
fn code_lines(code: &'static str, shell: bool) -> AnyView {
    if !shell {
        return code.into_any();
    }
    code.split_inclusive('\n')
        .map(|line| {
            if line.trim_start().starts_with('#') {
                view! { <span class="comment">{line}</span> }.into_any()
            } else {
                line.into_any()
            }
        })
        .collect_view()
        .into_any()
}
