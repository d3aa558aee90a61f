//! The detection path simulated with the production defaults (`probe::simulate`), 500
//! outages of each kind from random moments. Run by `cargo xtask bench`, which writes the
//! table it prints into docs/benchmarks.md.

use probe::simulate::scenarios::{scenarios, simulate, table};
use probe::simulate::Settings;

fn main() {
    let settings = Settings::default();
    let summaries: Vec<_> = scenarios().iter().map(|s| simulate(s, &settings, 500)).collect();
    println!(
        "Defaults: {} regions probing every {} s, a recheck {} s after a new failure, the others asked at once; worse declared after {} s of failures, up after {} s of health, flapping at {} flips in {} min; {} s probe timeout.\n",
        settings.regions,
        settings.cadence_ms / 1000,
        settings.recheck_ms / 1000,
        settings.windows.confirm_ms / 1000,
        settings.windows.recover_ms / 1000,
        settings.windows.flap_changes,
        settings.windows.flap_window_ms / 60_000,
        settings.timeout_ms / 1000,
    );
    print!("{}", table(&summaries));
}
