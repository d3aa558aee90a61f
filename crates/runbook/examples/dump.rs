//! Prints the model and diagnostics of runbook files: `cargo run -p runbook --example dump -- FILE...`
fn main() {
    for path in std::env::args().skip(1) {
        let source = std::fs::read_to_string(&path).expect("readable file");
        let runbook = runbook::parse(&path, &source);
        println!("{runbook:#?}");
        for d in &runbook.diagnostics {
            eprintln!("{d}");
        }
    }
}
