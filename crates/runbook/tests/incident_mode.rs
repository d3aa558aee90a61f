//! What incident mode finds in a runbook as written: steps, phases, severities, escalation,
//! templates, fields and variables, for the team's runbook and other shapes.

mod common;

use common::{fixture, team_runbook_source};
use runbook::duration::Deadline;
use runbook::steps::StepKind;
use runbook::templates::FieldKind;
use runbook::{parse, Runbook};

fn team() -> Runbook {
    parse("incident-response.md", team_runbook_source())
}

#[test]
fn team_runbook_has_six_phases_three_with_time_windows() {
    let runbook = team();
    type Window = Option<(u64, Option<u64>)>;
    let phases: Vec<(&str, Window)> =
        runbook.phases.iter().map(|p| (p.title.as_str(), p.window.map(|w| (w.start, w.end)))).collect();
    assert_eq!(
        phases,
        [
            ("Detection & Triage", Some((0, Some(300)))),
            ("Communication", Some((300, Some(600)))),
            ("Investigation", Some((600, Some(1800)))),
            ("Mitigation", None),
            ("Resolution", None),
            ("Post-Incident", None),
        ]
    );
}

#[test]
fn team_runbook_steps_are_the_procedure_items_and_command_groups() {
    let runbook = team();
    let count = |kind| runbook.steps.iter().filter(|s| s.kind == kind).count();
    assert_eq!((count(StepKind::Command), count(StepKind::Item), count(StepKind::Task)), (27, 13, 0));
    let per_phase: Vec<usize> = (0..6).map(|p| runbook.steps.iter().filter(|s| s.phase == Some(p)).count()).collect();
    assert_eq!(per_phase, [6, 3, 5, 2, 3, 4]);
    let labels: Vec<&str> = runbook.steps.iter().filter(|s| s.phase == Some(0)).map(|s| s.label.as_str()).collect();
    assert_eq!(
        labels,
        [
            "Quick health check all services",
            "Check detailed health",
            "Number of users affected",
            "Core functionality impacted",
            "Data integrity at risk",
            "Revenue impact"
        ]
    );
    let resolution: Vec<&str> = runbook.steps.iter().filter(|s| s.phase == Some(4)).map(|s| s.label.as_str()).collect();
    assert_eq!(resolution, ["Verify fix", "Monitor for recurrence (30 minutes)", "Update communication"]);
    let scenario_steps = runbook.steps.iter().filter(|s| s.section == "all-debates-failing-sev2").count();
    assert_eq!(scenario_steps, 4);
    assert!(runbook.steps.iter().all(|s| s.section != "useful-commands-cheat-sheet"), "the cheat sheet is reference");
    let mut ids: Vec<_> = runbook.steps.iter().map(|s| s.id).collect();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), runbook.steps.len(), "step ids are unique");
}

#[test]
fn editing_one_step_leaves_every_other_step_id_unchanged() {
    let original = team();
    let edited_source = team_runbook_source()
        .replace("- Notify stakeholders", "- Notify stakeholders and support")
        .replace("# Check resource usage\nfree -h", "# Check resource usage\nuptime\nfree -h")
        .replace("### 3. Investigation", "- [ ] A new first task\n\n### 3. Investigation");
    let edited = parse("incident-response.md", &edited_source);
    let changed: Vec<&str> = original
        .steps
        .iter()
        .filter(|s| !edited.steps.iter().any(|e| e.id == s.id))
        .map(|s| s.label.as_str())
        .collect();
    assert_eq!(changed, ["Notify stakeholders", "Check resource usage"]);
    assert_eq!(edited.steps.len(), original.steps.len() + 1);
}

#[test]
fn team_severities_and_escalation_rules_come_from_its_tables() {
    let runbook = team();
    assert_eq!(runbook.severities.placeholder(), "SEV…");
    let levels: Vec<(&str, &str, &Deadline)> =
        runbook.severities.levels.iter().map(|l| (l.key.as_str(), l.definition.as_str(), &l.response)).collect();
    assert_eq!(
        levels,
        [
            ("SEV1", "Service down, all users affected", &Deadline::Immediate),
            ("SEV2", "Major feature broken, many users affected", &Deadline::After(1800)),
            ("SEV3", "Minor feature broken, some users affected", &Deadline::After(7200)),
            ("SEV4", "Cosmetic issues, workaround available", &Deadline::Unclocked("Next business day".into())),
        ]
    );
    let rules: Vec<(&str, &Deadline, &str)> =
        runbook.severities.escalation.iter().map(|r| (r.level.as_str(), &r.after, r.to.as_str())).collect();
    assert_eq!(
        rules,
        [
            ("SEV1", &Deadline::Immediate, "All hands"),
            ("SEV2", &Deadline::After(1800), "Engineering lead"),
            ("SEV3", &Deadline::After(7200), "On-call engineer"),
            ("SEV4", &Deadline::Unclocked("Next standup".into()), "Backlog"),
        ]
    );
}

#[test]
fn team_templates_and_their_shared_fields() {
    let runbook = team();
    let titles: Vec<(&str, bool)> = runbook.templates.iter().map(|t| (t.title.as_str(), t.is_post_mortem)).collect();
    assert_eq!(
        titles,
        [("Communication template", false), ("Update communication", false), ("Post-mortem template", true)]
    );
    let fields = |i: usize| -> Vec<(String, FieldKind)> {
        runbook.templates[i].fields().map(|f| (f.key.clone(), f.kind)).collect()
    };
    assert_eq!(
        fields(0),
        [
            ("brief description".into(), FieldKind::Text),
            ("severity".into(), FieldKind::Severity),
            ("what's broken, who's affected".into(), FieldKind::Text),
            ("next update".into(), FieldKind::NextUpdate),
        ]
    );
    assert_eq!(
        fields(1),
        [
            ("brief description".into(), FieldKind::Text),
            ("what fixed it".into(), FieldKind::Text),
            ("duration".into(), FieldKind::Duration { clock_format: false }),
        ]
    );
    let post_mortem: Vec<String> = fields(2).into_iter().map(|(k, _)| k).collect();
    assert_eq!(
        post_mortem,
        [
            "title",
            "date",
            "duration",
            "severity",
            "name",
            "brief description of what happened",
            "technical explanation",
            "what fixed it",
            "task 1",
            "task 2",
            "lesson 1",
            "lesson 2"
        ]
    );
    let placeholders: Vec<&str> = runbook.templates[0].fields().map(|f| f.placeholder.as_str()).collect();
    assert_eq!(placeholders, ["[Brief description]", "SEV[1-4]", "[What's broken, who's affected]", "[Time]"]);
}

#[test]
fn team_variables_are_hosts_and_placeholders_and_secrets_are_shell_references() {
    let runbook = team();
    let variables: Vec<(&str, &str)> =
        runbook.variables.iter().map(|v| (v.name.as_str(), v.written.as_str())).collect();
    assert_eq!(
        variables,
        [
            ("EC2_HOST", "EC2_HOST"),
            ("LIGHTSAIL_HOST", "LIGHTSAIL_HOST"),
            ("commit-hash", "<commit-hash>"),
            ("commit", "<commit>")
        ]
    );
    assert_eq!(runbook.secrets, ["ANTHROPIC_API_KEY", "OPENROUTER_API_KEY", "ARAGORA_JWT_SECRET"]);
}

#[test]
fn priority_levels_and_their_escalation_work_like_sev_levels() {
    let runbook = parse("p.md", &fixture("p-levels.md"));
    let keys: Vec<&str> = runbook.severities.levels.iter().map(|l| l.key.as_str()).collect();
    assert_eq!(keys, ["P1", "P2", "P3", "P4"]);
    assert_eq!(runbook.severities.placeholder(), "P…", "the picker reads alone where its label is hidden");
    assert_eq!(runbook.severities.levels[0].definition, "Payments failing for everyone");
    assert_eq!(runbook.severities.levels[1].response, Deadline::After(900));
    let rules: Vec<(&str, Option<u64>, &str)> =
        runbook.severities.escalation.iter().map(|r| (r.level.as_str(), r.after.seconds(), r.to.as_str())).collect();
    assert_eq!(
        rules,
        [("P1", Some(600), "Payments lead and CTO"), ("P2", Some(3600), "Payments lead"), ("P3", None, "Team channel")]
    );
    let steps: Vec<&str> = runbook.steps.iter().map(|s| s.label.as_str()).collect();
    assert_eq!(
        steps,
        [
            "Check the payment provider status page",
            "Fail over to the backup provider",
            "payctl failover --to backup --region PAYMENTS_REGION"
        ]
    );
    assert!(runbook.variables.is_empty(), "PAYMENTS_REGION is not host-like");
}

#[test]
fn a_task_list_runbook_without_phases_makes_every_task_and_command_a_step() {
    let runbook = parse("t.md", &fixture("tasklist.md"));
    let steps: Vec<(StepKind, &str)> = runbook.steps.iter().map(|s| (s.kind, s.label.as_str())).collect();
    assert_eq!(
        steps,
        [
            (StepKind::Task, "Confirm the alert on DB_HOST"),
            (StepKind::Task, "Silence the duplicate pager alert"),
            (StepKind::Task, "Free space"),
            (StepKind::Command, "ssh admin@DB_HOST 'df -h /var/lib/postgresql'"),
        ]
    );
    assert!(runbook.steps.iter().all(|s| s.section != "notes"), "notes are prose, not steps");
    assert!(runbook.phases.is_empty());
    assert!(runbook.severities.levels.is_empty(), "no tables, no picker");
    assert_eq!(runbook.variables.iter().map(|v| v.name.as_str()).collect::<Vec<_>>(), ["DB_HOST"]);
}

#[test]
fn a_runbook_with_no_tables_has_no_severities_and_the_shells_own_names_are_not_secrets() {
    let runbook = parse("n.md", &fixture("no-tables.md"));
    assert!(runbook.severities.levels.is_empty() && runbook.severities.escalation.is_empty());
    assert!(runbook.secrets.is_empty(), "$HOSTNAME is set by the shell itself, not a secret");
    assert!(runbook.variables.is_empty(), "$HOSTNAME is a shell reference, not a placeholder");
    assert_eq!(runbook.steps.len(), 1);
    assert_eq!(runbook.steps[0].label, "Check expiry");
}

#[test]
fn a_links_host_values_are_set_only_where_they_fit_and_never_on_a_secret() {
    let runbook = team();
    let mut incident = runbook::incident::Incident::new("abc".to_string(), runbook.slug.clone(), 1_795_896_000);
    let values = std::collections::BTreeMap::from([
        ("EC2_HOST".to_string(), "203.0.113.7".to_string()),
        ("ANTHROPIC_API_KEY".to_string(), "sk-live".to_string()),
        ("commit-hash".to_string(), "rm -rf /".to_string()),
    ]);
    let refused = runbook.set_checked_values(&mut incident, &values);
    assert_eq!(incident.variables.get("EC2_HOST").map(String::as_str), Some("203.0.113.7"));
    assert_eq!(refused, ["ANTHROPIC_API_KEY", "commit-hash"]);
    assert_eq!(incident.variables.len(), 1);
    assert_eq!(
        runbook.check_value("ANTHROPIC_API_KEY", "x"),
        Err(runbook::values::ValueError::NotAPlaceholder { name: "ANTHROPIC_API_KEY".into() })
    );
}
