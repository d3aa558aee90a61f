//! The document model: what a markdown runbook says, independent of how it is drawn and of
//! what incident mode makes of it (that is the `runbook` crate, which wraps a [`Document`]).

use crate::commands::CommandGroup;
use crate::diagnostic::Diagnostic;
use crate::front_matter::FrontMatter;

/// One runbook file, parsed: its text as blocks, and what is wrong with it.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Document {
    /// Route name, from the file name: `incident-response.md` → `incident-response`.
    pub slug: String,
    /// Path as given to [`crate::parse`], relative to the runbooks folder.
    pub path: String,
    /// The name diagnostics use, e.g. `runbooks/incident-response.md`.
    pub file: String,
    pub title: String,
    /// Front matter `description`, or the first paragraph when that says more.
    pub description: String,
    pub front_matter: FrontMatter,
    pub blocks: Vec<Block>,
    /// Footnote definitions in the order written; drawn at the end, as GitHub does.
    pub footnotes: Vec<FootnoteDefinition>,
    /// Every heading in document order, with its anchor: the table of contents.
    pub headings: Vec<HeadingRef>,
    pub diagnostics: Vec<Diagnostic>,
}

/// A heading as listed in the table of contents and the search index.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct HeadingRef {
    pub level: u8,
    pub text: String,
    pub anchor: String,
    pub line: u32,
}

#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub enum Block {
    Heading(Heading),
    Paragraph(Vec<Inline>),
    /// Inline content of a tight list item: drawn without paragraph spacing.
    Plain(Vec<Inline>),
    List(List),
    Code(CodeBlock),
    Table(Table),
    Quote(Quote),
    Rule,
    /// `<details><summary>…</summary>…</details>`: a section the reader opens.
    Details(Details),
    /// Raw HTML outside the subset read (`crate::html`), shown as literal text, never
    /// interpreted.
    Html(String),
}

#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Details {
    /// Open at first (`<details open>`).
    pub open: bool,
    pub summary: Vec<Inline>,
    pub blocks: Vec<Block>,
}

#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Quote {
    /// GitHub alert kind for `> [!WARNING]` quotes.
    pub callout: Option<Callout>,
    /// The alert's own title, where the tool it was written for gives one (`:::danger Data
    /// at risk`); GitHub's alerts have none.
    pub title: Option<String>,
    pub blocks: Vec<Block>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Callout {
    Note,
    Tip,
    Important,
    Warning,
    Caution,
}

#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Heading {
    pub level: u8,
    pub content: Vec<Inline>,
    pub anchor: String,
    pub line: u32,
}

#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct List {
    /// `Some(n)` for an ordered list starting at `n`.
    pub start: Option<u64>,
    pub items: Vec<ListItem>,
}

#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct ListItem {
    /// `Some(checked)` for a task item `- [ ]` / `- [x]`.
    pub task: Option<bool>,
    pub blocks: Vec<Block>,
    pub line: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct CodeBlock {
    /// The info string's first word (`bash`, `markdown`), if any.
    pub lang: Option<String>,
    /// The code exactly as written, with a trailing newline removed.
    pub code: String,
    pub line: u32,
    /// For shell blocks: the command groups, each one step. Empty for other languages.
    pub groups: Vec<CommandGroup>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Alignment {
    None,
    Left,
    Center,
    Right,
}

#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Table {
    pub alignments: Vec<Alignment>,
    pub header: Vec<Vec<Inline>>,
    pub rows: Vec<Vec<Vec<Inline>>>,
    pub line: u32,
}

#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct FootnoteDefinition {
    pub label: String,
    pub blocks: Vec<Block>,
}

#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub enum Inline {
    Text(String),
    Code(String),
    Emphasis(Vec<Inline>),
    Strong(Vec<Inline>),
    Strikethrough(Vec<Inline>),
    Link(Link),
    Image(Image),
    FootnoteReference(String),
    SoftBreak,
    HardBreak,
    /// `<kbd>`, `<sub>`, `<sup>`, `<ins>`, `<mark>` around inline content.
    Tagged(Tagged),
    /// Inline raw HTML outside the subset read, shown as literal text.
    Html(String),
}

#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Tagged {
    pub tag: InlineTag,
    pub content: Vec<Inline>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum InlineTag {
    /// A key to press.
    Kbd,
    Sub,
    Sup,
    /// Inserted text (underlined).
    Ins,
    /// Highlighted text.
    Mark,
}

#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Link {
    pub target: LinkTarget,
    pub title: String,
    pub content: Vec<Inline>,
    pub line: u32,
}

/// Where a link goes, resolved against the runbooks the site has.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum LinkTarget {
    /// `https://…`, `mailto:…`: leaves the site.
    External(String),
    /// `#anchor` within the same runbook.
    Anchor(String),
    /// Another runbook of this site (or this one, by file name).
    Runbook { slug: String, anchor: Option<String> },
    /// A runbook file the site does not have; shown as missing, never as a dead page.
    MissingRunbook { href: String },
    /// A relative link to a file that is not a runbook (a script, a PDF): served from the
    /// runbooks folder when it exists there.
    File { path: String },
    /// A scheme the site refuses to follow (`javascript:`, `data:`…). Shown as text.
    Unsafe { href: String },
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Image {
    pub src: ImageSource,
    pub alt: String,
    pub title: String,
    pub line: u32,
}

impl Image {
    /// What stands for the image where it is not shown: its description, else its file name
    /// (`../img/diagram.png` → "diagram.png").
    pub fn label(&self) -> String {
        if !self.alt.trim().is_empty() {
            return self.alt.clone();
        }
        let src = match &self.src {
            ImageSource::Url(s) | ImageSource::File(s) | ImageSource::Blocked(s) => s,
        };
        let path = src.split(['?', '#']).next().unwrap_or_default();
        path.trim_end_matches('/').rsplit('/').next().unwrap_or_default().to_string()
    }
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum ImageSource {
    /// `https://…` or a `data:image/…` URL.
    Url(String),
    /// A path relative to the runbooks folder, published with the site.
    File(String),
    /// Anything else (`javascript:`, a path outside the runbooks folder): not loaded.
    Blocked(String),
}
