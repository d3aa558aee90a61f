//! Placeholders in the runbooks other teams already have: only what stands where a host
//! stands is a host, other placeholders are fields to fill in, and what the shell or the
//! script sets itself is neither a field nor a secret.

use runbook::variables::Role;
use runbook::{parse, Runbook};

fn roles(runbook: &Runbook) -> Vec<(&str, Role)> {
    runbook.variables.iter().map(|v| (v.name.as_str(), v.role)).collect()
}

const OPENSHIFT_STYLE: &str = r#"# VirtHandlerDaemonSetRolloutFailing

## Diagnosis

```bash
export NAMESPACE="$(oc get kubevirt -A -o custom-columns="":.metadata.namespace)"
oc -n <namespace> get pods -o wide
oc -n <namespace> describe vmi <vm-name>
```

The output looks like this:

```bash
NAME          READY   NOMINATED NODE   READINESS GATES
virt-handler  1/1     <none>           <none>
```

Copy the URL and IP from the output, then:

```bash
for POD in $(oc get pods -o name); do echo "$POD in $PWD"; done
LIVE=$(oc get vmi --no-headers | wc -l); echo "$LIVE live, first arg $1, all $@, path $PATH"
curl -k "$URL/healthz" --resolve "api:443:$IP"
```
"#;

#[test]
fn generic_placeholders_are_fields_and_tool_output_is_neither() {
    let runbook = parse("virt.md", OPENSHIFT_STYLE);
    assert_eq!(roles(&runbook), [("namespace", Role::Field), ("vm-name", Role::Field)]);
}

#[test]
fn the_shells_own_names_and_the_scripts_own_names_are_not_secrets() {
    let runbook = parse("virt.md", OPENSHIFT_STYLE);
    // `$URL` and `$IP` are the reader's to set in their shell; `$NAMESPACE`, `$POD` and
    // `$LIVE` are assigned by the commands themselves; `$PWD`, `$PATH`, `$1`, `$@` by the shell.
    assert_eq!(runbook.secrets, ["URL", "IP"]);
}

#[test]
fn a_word_where_a_host_stands_is_a_host() {
    let source = r#"# Hosts by place

```bash
ssh core@<node-ip>
ssh admin@BASTION
curl https://<route>/healthz
psql -h DB_PRIMARY -U postgres
redis-cli --host=<cache> ping
nc <broker>:9092 -z
kubectl -n <namespace> logs <pod>
```
"#;
    let runbook = parse("hosts.md", source);
    assert_eq!(
        roles(&runbook),
        [
            ("node-ip", Role::Host),
            ("BASTION", Role::Host),
            ("route", Role::Host),
            ("DB_PRIMARY", Role::Host),
            ("cache", Role::Host),
            ("broker", Role::Host),
            ("namespace", Role::Field),
            ("pod", Role::Field),
        ]
    );
}

#[test]
fn a_credential_in_a_url_is_never_a_placeholder() {
    let source = "# Clone\n\n```bash\ngit clone https://GITHUB_TOKEN@github.com/team/app\ncurl https://<user>:<token>@<registry>/v2/\nssh deploy@BASTION_HOST\n```\n";
    let runbook = parse("clone.md", source);
    assert_eq!(roles(&runbook), [("registry", Role::Host), ("BASTION_HOST", Role::Host)]);
}

#[test]
fn a_bare_word_like_url_or_ip_is_a_word_but_a_name_ending_in_host_is_a_host() {
    let source = "# Words\n\n```bash\necho \"URL IP PORT HOST\"\ncurl http://API_HOST:8080/ -d PAYLOAD\n```\n";
    let runbook = parse("words.md", source);
    assert_eq!(roles(&runbook), [("API_HOST", Role::Host)]);
}

#[test]
fn a_name_the_front_matter_declares_is_a_host_wherever_it_stands() {
    let source = "---\nvariables:\n  PRIMARY: db-1.internal\n---\n# Failover\n\n```bash\npg_ctl promote PRIMARY\n```\n";
    let runbook = parse("failover.md", source);
    assert_eq!(roles(&runbook), [("PRIMARY", Role::Host)]);
}

#[test]
fn the_secrets_of_a_command_are_marked_and_the_scripts_own_are_text() {
    use runbook::variables::{pieces, Piece};
    let runbook = parse("virt.md", OPENSHIFT_STYLE);
    let line = "echo \"$LIVE $URL\"";
    let marked: Vec<&str> = pieces(line, &runbook.variables, &runbook.secrets)
        .into_iter()
        .filter_map(|p| match p {
            Piece::Secret { written, .. } => Some(written),
            _ => None,
        })
        .collect();
    assert_eq!(marked, ["$URL"]);
}

#[test]
fn a_block_of_data_is_never_a_template_but_a_message_block_is() {
    let source = "# Templates\n\n```json\n{\"items\": [1, 2], \"names\": [\"a\"], \"note\": \"[Brief description]\"}\n```\n\n```yaml\nports: [8080]\n```\n\n```text\nINCIDENT: [Brief description]\n```\n";
    let runbook = parse("t.md", source);
    let fields: Vec<String> = runbook.templates.iter().flat_map(|t| t.fields().map(|f| f.key.clone())).collect();
    assert_eq!(runbook.templates.len(), 1, "only the text block is a message");
    assert_eq!(fields, ["brief description"]);
}

#[test]
fn a_declared_name_written_as_the_shells_is_a_host_filled_in_and_never_a_secret() {
    use runbook::values::substitute;
    let source = "---\nvariables:\n  DB_HOST: db-1.internal\n---\n# Failover\n\n```bash\npsql -h $DB_HOST -c 'select 1'\npg_isready -h \"${DB_HOST}\" && echo $API_KEY\n```\n";
    let runbook = parse("failover.md", source);
    assert_eq!(roles(&runbook), [("DB_HOST", Role::Host)]);
    assert_eq!(runbook.secrets, ["API_KEY"]);
    let value = |name: &str| (name == "DB_HOST").then(|| "db-2.internal".to_string());
    let code = "psql -h $DB_HOST; pg_isready -h \"${DB_HOST}\" && echo $API_KEY";
    assert_eq!(
        substitute(code, &runbook.variables, &value),
        "psql -h db-2.internal; pg_isready -h \"db-2.internal\" && echo $API_KEY"
    );
}

#[test]
fn a_name_the_sites_variables_declare_is_a_host_in_every_runbook_that_uses_it() {
    let source = "# Failover\n\n```bash\npg_ctl promote PRIMARY\ncurl https://$STATUS_PAGE/api\n```\n";
    let declared = ["PRIMARY".to_string(), "STATUS_PAGE".to_string()];
    let library = runbook::library("runbooks", [("failover.md", source)], &declared);
    assert_eq!(roles(&library.runbooks[0]), [("PRIMARY", Role::Host), ("STATUS_PAGE", Role::Host)]);
    assert!(library.runbooks[0].secrets.is_empty());
    let alone = parse("failover.md", source);
    assert_eq!(alone.secrets, ["STATUS_PAGE"], "undeclared, `$STATUS_PAGE` is the reader's to set in their shell");
}

#[test]
fn a_credential_placeholder_is_never_a_field_and_quoted_text_is_not_the_shells() {
    let source = "# Reset\n\n```bash\nmysql -u ops -p<password> -e 'select 1'\ncurl -H \"Authorization: <api-token>\" https://<host>/\nredis-cli GET <key>\nkubectl get secret <secret-name> && aws kms describe-key <kms-key-id> --secret <client-secret>\nawk '{print $NF}' access.log | grep API_KEY= .env && curl -H \"K: $API_KEY\" x\n```\n";
    let runbook = parse("reset.md", source);
    assert_eq!(
        roles(&runbook),
        [("host", Role::Host), ("key", Role::Field), ("secret-name", Role::Field), ("kms-key-id", Role::Field)]
    );
    assert_eq!(runbook.secrets, ["API_KEY"], "`grep API_KEY=` assigns nothing; `$NF` in quotes is awk's");
}

#[test]
fn a_declared_name_given_a_value_in_a_command_is_left_as_written() {
    use runbook::values::substitute;
    let source = "---\nvariables:\n  DB_HOST: db-1\n  namespace: payments\n  DB_PASSWORD: x\n---\n# Env\n\n```bash\nkubectl set env deploy/api DB_HOST=db-2\nkubectl get namespace $namespace\ncurl https://${DB_HOST%%.*}/ ${DB_HOST:-x} ${DB_HOST}\nPGPASSWORD=$DB_PASSWORD psql\n```\n";
    let runbook = parse("env.md", source);
    assert_eq!(
        roles(&runbook),
        [("namespace", Role::Host), ("DB_HOST", Role::Host)],
        "in order of first use as a placeholder"
    );
    assert_eq!(runbook.secrets, ["DB_PASSWORD"], "a declared name that says credential stays a secret");
    let value = |name: &str| Some(if name == "DB_HOST" { "db-9" } else { "ledger" }.to_string());
    let code = "kubectl set env deploy/api DB_HOST=db-2; kubectl get namespace $namespace; curl https://${DB_HOST%%.*}/ ${DB_HOST:-x} ${DB_HOST}";
    assert_eq!(
        substitute(code, &runbook.variables, &value),
        "kubectl set env deploy/api DB_HOST=db-2; kubectl get namespace ledger; curl https://${DB_HOST%%.*}/ ${DB_HOST:-x} db-9"
    );
}
