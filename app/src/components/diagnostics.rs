//! What the parser noticed in a runbook's source, shown to whoever maintains it.

use document::{Diagnostic, Severity};
use leptos::prelude::*;

#[component]
pub fn DiagnosticsList(diagnostics: &'static [Diagnostic]) -> impl IntoView {
    (!diagnostics.is_empty()).then(|| {
        let count = diagnostics.len();
        let summary = if count == 1 { "1 note on this runbook's source".to_string() } else { format!("{count} notes on this runbook's source") };
        view! {
            <details class="diagnostics" id="source-notes">
                <summary>{summary}</summary>
                <ul>
                    {diagnostics.iter().map(|d| {
                        let class = match d.severity { Severity::Warning => "warning", Severity::Info => "info" };
                        view! { <li class=class><span class="where">{format!("{}:{}", d.file, d.line)}</span>" "{d.message.clone()}</li> }
                    }).collect_view()}
                </ul>
            </details>
        }
    })
}
