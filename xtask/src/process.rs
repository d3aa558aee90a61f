//! Running other programs with the right environment, and readable step output.

use std::path::{Path, PathBuf};
use std::process::Command;

/// The workspace root (xtask lives one level below it).
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("xtask is inside the workspace").to_path_buf()
}

pub fn step(title: &str) {
    println!("\n==> {title}");
}

/// `PATH` with the npm tools (wasm-opt, wrangler) and cargo-installed tools first.
pub fn tool_path() -> std::ffi::OsString {
    let mut dirs = vec![root().join("node_modules/.bin"), cargo_bin_dir()];
    if let Some(path) = std::env::var_os("PATH") {
        dirs.extend(std::env::split_paths(&path));
    }
    std::env::join_paths(dirs).expect("PATH entries are valid")
}

pub fn cargo_bin_dir() -> PathBuf {
    let home = std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cargo")))
        .unwrap_or_else(|| PathBuf::from(".cargo"));
    home.join("bin")
}

pub fn command(program: &str) -> Command {
    let mut command = Command::new(program);
    command.current_dir(root()).env("PATH", tool_path());
    command
}

pub fn cargo() -> Command {
    command(&std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
}

pub fn node() -> Command {
    command("node")
}

pub fn trunk() -> Command {
    let mut command = command("trunk");
    command.env("TRUNK_SKIP_VERSION_CHECK", "true").env("NO_COLOR", "true").env("CARGO_TERM_QUIET", "true");
    command
}

pub fn run(command: &mut Command) -> Result<(), String> {
    let status = command.status().map_err(|e| format!("could not start {}: {e}", describe(command)))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("{} failed ({status})", describe(command)))
    }
}

/// Runs and captures stdout; `None` when the program is missing or fails.
pub fn output(command: &mut Command) -> Option<String> {
    let output = command.output().ok()?;
    output.status.success().then(|| String::from_utf8_lossy(&output.stdout).trim().to_string())
}

fn describe(command: &Command) -> String {
    let mut text = command.get_program().to_string_lossy().into_owned();
    for arg in command.get_args().take(4) {
        text.push(' ');
        text.push_str(&arg.to_string_lossy());
    }
    format!("`{text}`")
}

/// Space free on the disk that holds `path`, in GB, as `df` reports it; `None` when `df` is
/// missing or says something unexpected.
fn free_disk_gb(path: &Path) -> Option<f64> {
    let text = output(command("df").args(["-Pk"]).arg(path))?;
    parse_df_available_gb(&text)
}

/// The "Available" column (KB blocks) of `df -Pk`'s one data line.
fn parse_df_available_gb(text: &str) -> Option<f64> {
    let line = text.lines().nth(1)?;
    let available_kb: f64 = line.split_whitespace().nth(3)?.parse().ok()?;
    Some(available_kb / 1024.0 / 1024.0)
}

/// Says so up front when a build is likely to run out of disk, instead of failing deep inside
/// a compiler with "No space left on device".
pub fn warn_if_disk_low(needed_gb: f64) {
    let target = root().join("target");
    let at = if target.exists() { target } else { root() };
    if let Some(free) = free_disk_gb(&at) {
        if free < needed_gb {
            println!(
                "warning: {free:.1} GB free at {}; a full build and test run needs about {needed_gb:.0} GB",
                at.display()
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn df_available_column_is_read_in_gb() {
        let text = "Filesystem     1024-blocks     Used Available Capacity Mounted on\n\
                    /dev/vda         264140800 25165824   5242880      83% /\n";
        assert_eq!(parse_df_available_gb(text), Some(5.0));
    }

    #[test]
    fn df_output_without_a_data_line_is_not_read() {
        assert_eq!(parse_df_available_gb("Filesystem 1024-blocks Used Available\n"), None);
        assert_eq!(parse_df_available_gb(""), None);
    }
}
