//! Helpers shared by the integration tests: the real tables and statistical checks.
#![allow(dead_code)]

use std::path::PathBuf;

use chronix_core::tables::{FILE_NAMES, TableSources, Tables};
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

/// The text of the six real files in `assets/tables`, in [`FILE_NAMES`] order.
pub fn real_sources() -> [String; 6] {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../assets/tables");
    FILE_NAMES.map(|f| {
        std::fs::read_to_string(dir.join(f)).unwrap_or_else(|e| panic!("reading {f}: {e}"))
    })
}

pub fn sources(texts: &[String; 6]) -> TableSources<'_> {
    TableSources {
        hunt: &texts[0],
        creatures: &texts[1],
        gems: &texts[2],
        crates: &texts[3],
        items: &texts[4],
        weapons: &texts[5],
    }
}

pub fn real_tables() -> Tables {
    let texts = real_sources();
    Tables::from_yaml_strs(&sources(&texts)).unwrap_or_else(|e| panic!("{e}"))
}

pub fn rng(seed: u64) -> ChaCha8Rng {
    ChaCha8Rng::seed_from_u64(seed)
}

/// Critical values of the chi-square distribution at p = 0.001, df = 1..=30.
const CHI2_CRIT_001: [f64; 30] = [
    10.828, 13.816, 16.266, 18.467, 20.515, 22.458, 24.322, 26.124, 27.877, 29.588, 31.264, 32.909,
    34.528, 36.123, 37.697, 39.252, 40.790, 42.312, 43.820, 45.315, 46.797, 48.268, 49.728, 51.179,
    52.620, 54.052, 55.476, 56.892, 58.301, 59.703,
];

/// Chi-square critical value at p = 0.001 (table up to 30 df, Wilson–Hilferty beyond).
pub fn chi2_critical_001(df: usize) -> f64 {
    assert!(df >= 1);
    if df <= 30 {
        return CHI2_CRIT_001[df - 1];
    }
    let k = df as f64;
    let z = 3.090_232; // upper 0.001 quantile of N(0,1)
    k * (1.0 - 2.0 / (9.0 * k) + z * (2.0 / (9.0 * k)).sqrt()).powi(3)
}

/// Pearson's chi-square statistic of `counts` against `probabilities` (which must sum to 1).
pub fn chi_square(counts: &[u64], probabilities: &[f64]) -> f64 {
    assert_eq!(counts.len(), probabilities.len());
    let n: u64 = counts.iter().sum();
    counts
        .iter()
        .zip(probabilities)
        .map(|(&o, &p)| {
            let e = p * n as f64;
            assert!(
                e >= 5.0,
                "expected count {e} too small for a chi-square test"
            );
            (o as f64 - e).powi(2) / e
        })
        .sum()
}

/// Whether `counts` fit `probabilities`: the chi-square statistic is below the p = 0.001
/// critical value AND every category is within its relative tolerance (five standard errors
/// of the binomial count, at least 1 %). Returns a description of the first failure.
pub fn fit(counts: &[u64], probabilities: &[f64]) -> Result<(), String> {
    let total_p: f64 = probabilities.iter().sum();
    assert!(
        (total_p - 1.0).abs() < 1e-9,
        "probabilities sum to {total_p}"
    );
    let n: u64 = counts.iter().sum();
    let stat = chi_square(counts, probabilities);
    let crit = chi2_critical_001(counts.len() - 1);
    if stat >= crit {
        return Err(format!(
            "chi-square {stat:.2} >= critical {crit:.3} (df {})",
            counts.len() - 1
        ));
    }
    for (i, (&o, &p)) in counts.iter().zip(probabilities).enumerate() {
        let e = p * n as f64;
        let sd = (n as f64 * p * (1.0 - p)).sqrt();
        let tol = (5.0 * sd / e).max(0.01);
        let rel = (o as f64 - e).abs() / e;
        if rel > tol {
            return Err(format!(
                "category {i}: observed {o}, expected {e:.1}: off by {:.2} % > tolerance {:.2} %",
                rel * 100.0,
                tol * 100.0
            ));
        }
    }
    Ok(())
}

/// Normalises weights into probabilities.
pub fn normalise(weights: &[f64]) -> Vec<f64> {
    let t: f64 = weights.iter().sum();
    weights.iter().map(|w| w / t).collect()
}
