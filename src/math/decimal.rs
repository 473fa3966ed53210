//! Decimal digits to the nearest float, ties to even: the one conversion every
//! number read from text goes through (JSON, overrides, traces), the same on
//! every target. A short number is one exact division or product; a long one
//! is computed exactly with a small big integer, which keeps core's float
//! parser and its 10 KB table of powers out of the page's wasm.

/// The powers of ten a float holds exactly.
const POW10: [f64; 23] = [
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16,
    1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
];

/// Digits kept of a longer number: more than any halfway point between two
/// floats has (767), the rest standing in as one more non-zero digit.
const MAX_DIGITS: usize = 800;

/// The float nearest to `digits × 10^exp10` (`digits`: ASCII decimal digits,
/// any leading or trailing zeros), ties to even; infinity beyond the largest
/// float, 0 below half the smallest.
pub fn decimal_to_f64(digits: &[u8], exp10: i64) -> f64 {
    let Some(first) = digits.iter().position(|&d| d != b'0') else { return 0.0 };
    let last = digits.iter().rposition(|&d| d != b'0').map_or(first, |i| i + 1);
    let mut exp10 = exp10.saturating_add((digits.len() - last) as i64);
    let mut digits = &digits[first..last];
    let n = digits.len() as i64;
    // The value lies in [10^(n - 1 + exp10), 10^(n + exp10)).
    if n.saturating_add(exp10) > 310 {
        return f64::INFINITY;
    }
    if n.saturating_add(exp10) < -325 {
        return 0.0;
    }
    if n <= 15 && exp10.unsigned_abs() <= 22 {
        // Both exact, so one correctly rounded operation.
        let w = digits.iter().fold(0u64, |w, d| w * 10 + (d - b'0') as u64) as f64;
        let p = POW10[exp10.unsigned_abs() as usize];
        return if exp10 < 0 { w / p } else { w * p };
    }
    let mut sticky_digit = false;
    if digits.len() > MAX_DIGITS {
        exp10 += (digits.len() - MAX_DIGITS) as i64;
        digits = &digits[..MAX_DIGITS];
        sticky_digit = true;
    }
    let mut d = Big(vec![]);
    for &c in digits {
        d.mul_add(10, (c - b'0') as u32);
    }
    if sticky_digit {
        d.mul_add(10, 1);
        exp10 -= 1;
    }
    if exp10 >= 0 {
        for _ in 0..exp10 {
            d.mul_add(10, 0);
        }
        let bits = d.bits();
        let cut = bits.saturating_sub(64);
        let sticky = d.any_below(cut);
        return nearest(d.top(cut), cut as i64, sticky);
    }
    // d / 10^k = d / (5^k 2^k): the quotient by 5^k to 65 bits, the remainder sticky.
    let k = -exp10;
    let mut b = Big(vec![1]);
    for _ in 0..k {
        b.mul_add(5, 0);
    }
    let diff = d.bits() as i64 - b.bits() as i64 - 65;
    let (a_shift, b_shift) = if diff < 0 { (-diff, 0) } else { (0, diff) };
    d.shl(a_shift as usize);
    b.shl(b_shift as usize);
    let (q, exact) = d.divide(&b);
    nearest(q, b_shift - a_shift - k, !exact)
}

/// The float nearest to `(n + f) × 2^e2`, where `f`, in [0, 1), is non-zero
/// when `sticky`; `n` has at least 64 bits whenever `sticky`.
fn nearest(n: u128, e2: i64, sticky: bool) -> f64 {
    if n == 0 {
        return 0.0;
    }
    let len = 128 - n.leading_zeros() as i64;
    // The exponent of the result's last bit.
    let mut ulp = (len + e2 - 53).max(-1074);
    let shift = ulp - e2;
    let mut m = if shift <= 0 {
        n << -shift
    } else if shift >= 127 {
        return 0.0;
    } else {
        let rest = n & ((1u128 << shift) - 1);
        let half = 1u128 << (shift - 1);
        let m = n >> shift;
        let up = rest > half || (rest == half && (sticky || m & 1 == 1));
        m + up as u128
    };
    if m == 1 << 53 {
        m >>= 1;
        ulp += 1;
    }
    if m < 1 << 52 {
        // Subnormal: the exponent is the smallest.
        return f64::from_bits(m as u64);
    }
    let biased = ulp + 52 + 1023;
    if biased >= 2047 {
        return f64::INFINITY;
    }
    f64::from_bits(((biased as u64) << 52) | (m as u64 & ((1 << 52) - 1)))
}

/// A non-negative whole number, 32 bits a limb, least significant first.
struct Big(Vec<u32>);

impl Big {
    /// `self × m + a`.
    fn mul_add(&mut self, m: u32, a: u32) {
        let mut carry = a as u64;
        for limb in &mut self.0 {
            let v = *limb as u64 * m as u64 + carry;
            *limb = v as u32;
            carry = v >> 32;
        }
        if carry > 0 {
            self.0.push(carry as u32);
        }
    }

    fn bits(&self) -> usize {
        match self.0.iter().rposition(|&l| l != 0) {
            Some(i) => i * 32 + 32 - self.0[i].leading_zeros() as usize,
            None => 0,
        }
    }

    fn bit(&self, i: usize) -> bool {
        self.0.get(i / 32).is_some_and(|l| l >> (i % 32) & 1 == 1)
    }

    /// Whether any of the lowest `n` bits is set.
    fn any_below(&self, n: usize) -> bool {
        (0..n).any(|i| self.bit(i))
    }

    /// `self >> cut`, which fits in 128 bits.
    fn top(&self, cut: usize) -> u128 {
        (cut..self.bits()).rev().fold(0u128, |v, i| v << 1 | self.bit(i) as u128)
    }

    fn shl(&mut self, n: usize) {
        let (limbs, bits) = (n / 32, n % 32);
        if bits > 0 {
            let mut carry = 0;
            for limb in &mut self.0 {
                let v = *limb;
                *limb = v << bits | carry;
                carry = v >> (32 - bits);
            }
            if carry > 0 {
                self.0.push(carry);
            }
        }
        self.0.splice(0..0, std::iter::repeat_n(0, limbs));
    }

    fn at_least(&self, other: &Big) -> bool {
        let len = self.0.len().max(other.0.len());
        for i in (0..len).rev() {
            let (a, b) =
                (self.0.get(i).copied().unwrap_or(0), other.0.get(i).copied().unwrap_or(0));
            if a != b {
                return a > b;
            }
        }
        true
    }

    /// `self -= other`, `other` at most `self`.
    fn sub(&mut self, other: &Big) {
        let mut borrow = 0i64;
        for (i, limb) in self.0.iter_mut().enumerate() {
            let v = *limb as i64 - other.0.get(i).copied().unwrap_or(0) as i64 - borrow;
            borrow = (v < 0) as i64;
            *limb = v.rem_euclid(1 << 32) as u32;
        }
    }

    /// The quotient by `d` (of at most 127 bits: the caller sizes the two) and
    /// whether it is exact; `self` keeps the remainder.
    fn divide(&mut self, d: &Big) -> (u128, bool) {
        let steps = (self.bits() + 1).saturating_sub(d.bits());
        let mut q = 0u128;
        for i in (0..steps).rev() {
            let mut shifted = Big(d.0.clone());
            shifted.shl(i);
            if self.at_least(&shifted) {
                self.sub(&shifted);
                q |= 1 << i;
            }
        }
        (q, self.bits() == 0)
    }
}
