//! Fast float text identical to Rust's own: `{}` (shortest round-trip digits, plain decimal) and `{:e}`
//! (the same digits in scientific notation).
//!
//! Exports of 60,000 statements write millions of numbers, and `core::fmt`'s shortest-digit search
//! was a fifth of the run time. zmij (the Żmij algorithm; ryu before it, at half its speed) finds the
//! same shortest round-trip digits several times faster but lays them out its own way (`1.0`, `1e-7`);
//! [`push_plain`] and [`push_exp`] re-lay them out exactly as `{}` and `{:e}` do. Both pick the
//! shortest digit string that reads back to the same `f64` and, of those, the closest to the exact
//! value; only where the value lies exactly halfway between two such strings may the last digit
//! differ (both read back exactly). Property tests check the shape and the round trip on random bit
//! patterns, and exact equality on return-sized values.

/// Significant digits of a finite double without leading or trailing zeros (`"0"` for zero), in a
/// stack buffer.
struct Digits {
    neg: bool,
    buf: [u8; 24],
    len: usize,
    /// Decimal exponent `e` such that the value is `0.DIGITS × 10^e`.
    exp: i32,
}

impl Digits {
    fn as_str(&self) -> &str {
        std::str::from_utf8(&self.buf[..self.len]).expect("ASCII digits")
    }
}

fn decompose(v: f64) -> Digits {
    let mut zbuf = zmij::Buffer::new();
    let text = zbuf.format_finite(v).as_bytes();
    let (neg, text) = match text.split_first() {
        Some((b'-', rest)) => (true, rest),
        _ => (false, text),
    };
    let (mantissa, exp) = match text.iter().position(|b| *b == b'e') {
        Some(at) => {
            let e = std::str::from_utf8(&text[at + 1..]).expect("ASCII exponent");
            (
                &text[..at],
                e.parse::<i32>().expect("zmij writes an integer exponent"),
            )
        }
        None => (text, 0),
    };
    let int_len = mantissa.iter().position(|b| *b == b'.').unwrap_or(mantissa.len());
    let mut d = Digits {
        neg,
        buf: [0; 24],
        len: 0,
        exp: 0,
    };
    let mut lead = 0usize;
    for &b in mantissa.iter().filter(|b| **b != b'.') {
        if d.len == 0 && b == b'0' {
            lead += 1;
        } else {
            d.buf[d.len] = b;
            d.len += 1;
        }
    }
    while d.len > 0 && d.buf[d.len - 1] == b'0' {
        d.len -= 1;
    }
    if d.len == 0 {
        d.buf[0] = b'0';
        d.len = 1;
        d.exp = 1;
        return d;
    }
    // Value = 0.MANTISSA-DIGITS × 10^(int_len + exp); each dropped leading zero moves the point left.
    d.exp = int_len as i32 + exp - lead as i32;
    d
}

/// Append `v` as `format!("{v}")` would (finite values only).
pub fn push_plain(buf: &mut String, v: f64) {
    // Fast path: where zmij lays the digits out in plain decimal (most numbers here), its text is
    // `{}`'s but for a trailing `.0` on whole numbers.
    let mut zbuf = zmij::Buffer::new();
    let text = zbuf.format_finite(v);
    if !text.contains('e') {
        buf.push_str(text.strip_suffix(".0").unwrap_or(text));
        return;
    }
    let digits = decompose(v);
    let (d, e) = (digits.as_str(), digits.exp);
    if digits.neg {
        buf.push('-');
    }
    if d == "0" {
        buf.push('0');
    } else if e <= 0 {
        buf.push_str("0.");
        buf.extend(std::iter::repeat_n('0', (-e) as usize));
        buf.push_str(d);
    } else if e as usize >= d.len() {
        buf.push_str(d);
        buf.extend(std::iter::repeat_n('0', e as usize - d.len()));
    } else {
        buf.push_str(&d[..e as usize]);
        buf.push('.');
        buf.push_str(&d[e as usize..]);
    }
}

/// Append `v` as `format!("{v:e}")` would (finite values only).
pub fn push_exp(buf: &mut String, v: f64) {
    use std::fmt::Write as _;
    let digits = decompose(v);
    let d = digits.as_str();
    if digits.neg {
        buf.push('-');
    }
    buf.push_str(&d[..1]);
    if d.len() > 1 {
        buf.push('.');
        buf.push_str(&d[1..]);
    }
    let exp = if d == "0" { 0 } else { digits.exp - 1 };
    let _ = write!(buf, "e{exp}");
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn plain(v: f64) -> String {
        let mut s = String::new();
        push_plain(&mut s, v);
        s
    }

    fn exp(v: f64) -> String {
        let mut s = String::new();
        push_exp(&mut s, v);
        s
    }

    #[test]
    fn known_values_match_core_fmt() {
        for v in [
            0.0,
            -0.0,
            1.0,
            -1.0,
            0.1,
            0.5,
            10.0,
            100.0,
            123.456,
            1e-7,
            1.5e-18,
            2.5e-7,
            0.3059,
            1e21,
            1e300,
            5e-324,
            f64::MAX,
            f64::MIN_POSITIVE,
            0.000123,
            99999.99,
            20.24,
            -36.98,
            1e-5,
            0.00001234,
            1e15,
            1e16,
            1.5e16,
            123456789012345.6,
        ] {
            assert_eq!(plain(v), format!("{v}"), "{{}} of {v:e}");
            assert_eq!(exp(v), format!("{v:e}"), "{{:e}} of {v:e}");
        }
    }

    /// Same text length as core's (so the same number of digits and the same layout) and reads back
    /// to the same double. Where the exact value lies halfway between two shortest candidates, zmij and
    /// core may round the last digit differently (e.g. `…159.2` against `…159.3`); both round-trip.
    fn same_shape(ours: &str, core: &str, v: f64) -> Result<(), TestCaseError> {
        prop_assert_eq!(ours.len(), core.len(), "{} vs {}", ours, core);
        prop_assert_eq!(
            ours.parse::<f64>().unwrap().to_bits(),
            v.to_bits(),
            "{} does not read back",
            ours
        );
        Ok(())
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(20_000))]
        #[test]
        fn any_finite_double_round_trips_in_core_s_shape(bits in any::<u64>()) {
            let v = f64::from_bits(bits);
            prop_assume!(v.is_finite());
            same_shape(&plain(v), &format!("{}", v), v)?;
            same_shape(&exp(v), &format!("{:e}", v), v)?;
        }

        #[test]
        fn returns_sized_values_match_core_fmt(v in -10.0f64..10.0) {
            prop_assert_eq!(plain(v), format!("{}", v));
            prop_assert_eq!(exp(v), format!("{:e}", v));
        }
    }
}
