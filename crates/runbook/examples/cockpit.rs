//! Prints what incident mode finds in runbooks: `cargo run -p runbook --example cockpit -- FILE...`
fn main() {
    for path in std::env::args().skip(1) {
        let source = std::fs::read_to_string(&path).expect("readable file");
        let runbook = runbook::parse(&path, &source);
        println!("phases:");
        for phase in &runbook.phases {
            println!("  {} #{} {:?}", phase.title, phase.anchor, phase.window);
        }
        println!("steps ({}):", runbook.steps.len());
        for step in &runbook.steps {
            println!("  {} {:?} phase={:?} #{} {:?}", step.id, step.kind, step.phase, step.section, step.label);
        }
        println!("severities: {:#?}", runbook.severities);
        for template in &runbook.templates {
            let fields: Vec<String> = template.fields().map(|f| format!("{}:{:?}", f.key, f.kind)).collect();
            println!("template {:?} post_mortem={} fields={fields:?}", template.title, template.is_post_mortem);
        }
        println!("variables: {:?}", runbook.variables);
        println!("secrets: {:?}", runbook.secrets);
    }
}
