pub mod code_block;
pub mod diagnostics;
pub mod markdown;
pub mod search_box;
pub mod toc;
