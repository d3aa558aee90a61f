//! The timing loop every crate's benchmarks use: prints `name<TAB>median µs<TAB>what`.

use std::time::Instant;

/// Median of 21 samples, each timing enough iterations to last about 20 ms.
pub fn report(name: &str, what: &str, mut op: impl FnMut()) {
    let start = Instant::now();
    let mut calibration = 0u32;
    while start.elapsed().as_millis() < 20 {
        op();
        calibration += 1;
    }
    let iterations = calibration.max(1);
    let mut samples: Vec<f64> = (0..21)
        .map(|_| {
            let t = Instant::now();
            for _ in 0..iterations {
                op();
            }
            t.elapsed().as_secs_f64() * 1e6 / f64::from(iterations)
        })
        .collect();
    samples.sort_by(f64::total_cmp);
    println!("{name}\t{:.1}\t{what}", samples[samples.len() / 2]);
}
