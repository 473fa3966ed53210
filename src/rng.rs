//! Seeded randomness. Every random draw in a run comes from the scenario's seed
//! through a named stream, so that adding a draw in one place never shifts another.

use crate::math;
use rand::{Rng as _, SeedableRng};
use rand_pcg::Pcg64;

/// Independent streams derived from one seed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u64)]
pub enum Stream {
    /// The demand curve (noise, spikes, surges, MMPP switching).
    Demand = 1,
    /// Per-step request arrivals and service times of the exact physics.
    Requests = 2,
    /// Rate scaling of a request-level replay (thinning and copies).
    Replay = 3,
    /// Exploration of a learning agent.
    Agent = 4,
    /// Initialisation of learned forecasters.
    Forecaster = 5,
}

/// A deterministic generator: PCG-64 (whose output `rand_pcg` keeps stable across
/// versions, so a share link gives the same run later) seeded from
/// `(seed, stream, index)`.
#[derive(Debug, Clone)]
pub struct Rng(Pcg64);

fn splitmix64(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

impl Rng {
    pub fn new(seed: u64, stream: Stream, index: u64) -> Self {
        let key = splitmix64(splitmix64(seed ^ splitmix64(stream as u64)) ^ index);
        Rng(Pcg64::seed_from_u64(key))
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0.next_u64()
    }

    /// Uniform on the open interval (0, 1): never 0, so `ln` is always finite.
    pub fn uniform(&mut self) -> f64 {
        ((self.next_u64() >> 11) as f64 + 0.5) * (1.0 / (1u64 << 53) as f64)
    }

    /// Exponential with the given rate (> 0).
    pub fn exponential(&mut self, rate: f64) -> f64 {
        -math::ln(self.uniform()) / rate
    }

    /// Standard normal by Box-Muller (one of the pair; simplicity over speed).
    pub fn normal(&mut self) -> f64 {
        let u1 = self.uniform();
        let u2 = self.uniform();
        (-2.0 * math::ln(u1)).sqrt() * math::cos(std::f64::consts::TAU * u2)
    }

    /// Uniform integer in `0..n` (n > 0), by rejection so that it is unbiased.
    pub fn below(&mut self, n: u64) -> u64 {
        let zone = u64::MAX - (u64::MAX % n);
        loop {
            let v = self.next_u64();
            if v < zone {
                return v % n;
            }
        }
    }

    /// Uniform in `[lo, hi)`.
    pub fn range(&mut self, lo: f64, hi: f64) -> f64 {
        lo + (hi - lo) * self.uniform()
    }

    /// Poisson-distributed count with the given mean, by exponential gaps for small
    /// means and a normal approximation beyond 1e6 (far past any realistic step).
    pub fn poisson(&mut self, mean: f64) -> u64 {
        if mean <= 0.0 {
            return 0;
        }
        if mean > 1e6 {
            return (mean + mean.sqrt() * self.normal()).round().max(0.0) as u64;
        }
        let mut t = 0.0;
        let mut n = 0u64;
        loop {
            t += self.exponential(1.0);
            if t > mean {
                return n;
            }
            n += 1;
        }
    }
}

/// A fresh seed from the operating system's entropy (the page draws its own
/// with the browser's `crypto.getRandomValues`, scenario.js), below 2^32 so that it reads and
/// types easily. Only ever a scenario's seed, chosen on request ("New seed",
/// `--seed random`) and then shown and written into the link: the run itself
/// never draws from the platform, so it stays reproducible.
#[cfg(not(target_arch = "wasm32"))]
pub fn entropy_seed() -> Result<u32, String> {
    let mut bytes = [0u8; 4];
    getrandom::fill(&mut bytes)
        .map_err(|e| format!("the platform gave no random seed ({e}); give one with a number"))?;
    Ok(u32::from_le_bytes(bytes))
}
