//! The JSON Schemas beside this file, written from each service's documentation, and the one
//! check the format tests share.

use serde_json::Value;

/// `instance` checked against the schema `tests/schemas/{file}`, formats asserted.
pub fn schema_check(file: &str, instance: &Value) -> Result<(), String> {
    let path = format!("{}/tests/schemas/{file}", env!("CARGO_MANIFEST_DIR"));
    let schema: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    let mut compiler = boon::Compiler::new();
    compiler.enable_format_assertions();
    let url = format!("file:///schemas/{file}");
    compiler.add_resource(&url, schema).unwrap();
    let mut schemas = boon::Schemas::new();
    let index = compiler.compile(&url, &mut schemas).unwrap_or_else(|e| panic!("{file}: {e}"));
    schemas.validate(instance, index).map_err(|e| format!("{e:#}"))
}
