//! One implementation of the transcendental functions for every target.
//!
//! Platform math libraries differ in the last bits of `exp`, `ln` or `sin`, and a
//! simulation that feeds its own output back (a queue, a learning agent) amplifies
//! that. Everything in the core calls these wrappers over the pure-Rust `libm`, so a
//! run is bit-identical natively and in WebAssembly.

#[inline]
pub fn exp(x: f64) -> f64 {
    libm::exp(x)
}

#[inline]
pub fn expm1(x: f64) -> f64 {
    libm::expm1(x)
}

#[inline]
pub fn ln(x: f64) -> f64 {
    libm::log(x)
}

#[inline]
pub fn sin(x: f64) -> f64 {
    libm::sin(x)
}

#[inline]
pub fn cos(x: f64) -> f64 {
    libm::cos(x)
}

#[inline]
pub fn pow(x: f64, y: f64) -> f64 {
    libm::pow(x, y)
}

/// `(1 - e^{-z}) / z`, continuous at `z = 0` (value 1) and accurate for small `z`.
#[inline]
pub fn one_minus_exp_over(z: f64) -> f64 {
    if z.abs() < 1e-12 {
        1.0 - 0.5 * z
    } else {
        -expm1(-z) / z
    }
}

#[inline]
pub fn tanh(x: f64) -> f64 {
    libm::tanh(x)
}

/// Square root (correctly rounded everywhere; a wrapper so that every function of
/// the learned forecasters comes from one place).
#[inline]
pub fn sqrt(x: f64) -> f64 {
    libm::sqrt(x)
}

/// The logistic function `1 / (1 + e^{-x})`, without overflow for any finite `x`.
#[inline]
pub fn sigmoid(x: f64) -> f64 {
    if x >= 0.0 {
        1.0 / (1.0 + exp(-x))
    } else {
        let e = exp(x);
        e / (1.0 + e)
    }
}

/// `ln Γ(x)` for `x > 0`.
#[inline]
pub fn ln_gamma(x: f64) -> f64 {
    libm::lgamma(x)
}
