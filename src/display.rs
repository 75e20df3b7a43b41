//! Text a person reads in a message: numbers in their shortest readable form and user-given
//! strings made safe to print (control characters escaped, long strings shortened).

use std::fmt::Write;

/// Longest user-given string a message quotes in full, characters.
pub const MAX_QUOTED_CHARS: usize = 80;

/// `value` with at most `decimals` decimals and no trailing zeros; in scientific notation (three
/// significant digits) when it is at least 10⁶ or below 10⁻³ in magnitude; `NaN`, `+inf`, `-inf`
/// spelt out. `format_number(1e308, 2)` is `1e308`, never 309 digits.
pub fn format_number(value: f64, decimals: usize) -> String {
    if value.is_nan() {
        return "NaN".into();
    }
    if value.is_infinite() {
        return if value > 0.0 { "+inf" } else { "-inf" }.into();
    }
    let magnitude = value.abs();
    if value != 0.0 && !(1e-3..1e6).contains(&magnitude) {
        let text = format!("{value:.2e}");
        // 1.50e7 -> 1.5e7, 1.00e7 -> 1e7
        let (mantissa, exponent) = text.split_once('e').unwrap_or((&text, "0"));
        let mantissa = trim_zeros(mantissa);
        return format!("{mantissa}e{exponent}");
    }
    let text = format!("{value:.decimals$}");
    let trimmed = trim_zeros(&text);
    if trimmed == "-0" {
        "0".into()
    } else {
        trimmed.into()
    }
}

/// `value` exactly as given (the shortest text that reads back to the same number), in scientific
/// notation outside 10⁻⁴…10¹⁵: `1e308`, not 309 digits; `0.1`, `-36.8`, `2.5e-7`.
pub fn format_value(value: f64) -> String {
    let magnitude = value.abs();
    if !value.is_finite() {
        format_number(value, 0)
    } else if value == 0.0 || (1e-4..1e15).contains(&magnitude) {
        format!("{value}")
    } else {
        format!("{value:e}")
    }
}

fn trim_zeros(text: &str) -> &str {
    if text.contains('.') {
        text.trim_end_matches('0').trim_end_matches('.')
    } else {
        text
    }
}

/// Longest message printed whole, characters (a message quoting a huge input is cut here).
pub const MAX_MESSAGE_CHARS: usize = 400;

/// A whole message made safe for a terminal: control characters escaped, cut with an ellipsis
/// past [`MAX_MESSAGE_CHARS`] characters.
pub fn printable_message(text: &str) -> String {
    escape_and_cut(text, MAX_MESSAGE_CHARS)
}

/// A user-given string as a message quotes it: control characters (newlines, ESC, …) escaped as
/// `\n`, `\u{1b}`; longer than [`MAX_QUOTED_CHARS`] characters, cut with an ellipsis.
pub fn quote_user_text(text: &str) -> String {
    escape_and_cut(text, MAX_QUOTED_CHARS)
}

fn escape_and_cut(text: &str, max_chars: usize) -> String {
    let mut out = String::new();
    for (count, c) in text.chars().enumerate() {
        if count == max_chars {
            out.push('…');
            break;
        }
        if c.is_control() {
            let _ = write!(out, "{}", c.escape_default());
        } else {
            out.push(c);
        }
    }
    out
}

/// An I/O error in words, without Rust's debug decoration: "no such file or directory",
/// "permission denied", "no space left on device", "is a directory".
pub fn describe_io_error(e: &std::io::Error) -> String {
    use std::io::ErrorKind;
    let text = match e.kind() {
        ErrorKind::NotFound => "no such file or directory".to_string(),
        ErrorKind::PermissionDenied => "permission denied".to_string(),
        ErrorKind::AlreadyExists => "it already exists".to_string(),
        ErrorKind::IsADirectory => "it is a directory".to_string(),
        ErrorKind::NotADirectory => "a part of the path is not a directory".to_string(),
        ErrorKind::StorageFull => "no space left on device".to_string(),
        ErrorKind::ReadOnlyFilesystem => "read-only file system".to_string(),
        ErrorKind::InvalidData => "the data is not valid text".to_string(),
        ErrorKind::BrokenPipe => "the reader closed the pipe".to_string(),
        _ => {
            // "Permission denied (os error 13)" -> "permission denied"
            let raw = e.to_string();
            let words = raw.split(" (os error").next().unwrap_or(&raw).to_string();
            let mut chars = words.chars();
            match chars.next() {
                Some(first) => first.to_lowercase().chain(chars).collect(),
                None => words,
            }
        }
    };
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_short() {
        assert_eq!(format_number(1e308, 2), "1e308");
        assert_eq!(format_number(-36.8123, 2), "-36.81");
        assert_eq!(format_number(40.0, 2), "40");
        assert_eq!(format_number(2.5e-5, 2), "2.5e-5");
        assert_eq!(format_number(-0.001, 2), "0");
        assert_eq!(format_number(-0.0001, 2), "-1e-4");
        assert_eq!(format_number(0.0, 2), "0");
        assert_eq!(format_number(f64::NAN, 2), "NaN");
        assert_eq!(format_number(f64::NEG_INFINITY, 2), "-inf");
        assert_eq!(format_number(123456.0, 1), "123456");
        assert_eq!(format_number(1234567.0, 1), "1.23e6");
    }

    #[test]
    fn values_read_back_exactly_and_stay_short() {
        assert_eq!(format_value(1e308), "1e308");
        assert_eq!(format_value(0.1), "0.1");
        assert_eq!(format_value(-36.8), "-36.8");
        assert_eq!(format_value(2.5e-7), "2.5e-7");
        assert_eq!(format_value(1e7), "10000000");
        assert_eq!(format_value(f64::NAN), "NaN");
    }

    #[test]
    fn user_text_is_escaped_and_shortened() {
        assert_eq!(quote_user_text("a\nb\u{1b}[31m"), "a\\nb\\u{1b}[31m");
        let long = "x".repeat(10_000_000);
        let quoted = quote_user_text(&long);
        assert_eq!(quoted.chars().count(), MAX_QUOTED_CHARS + 1);
        assert!(quoted.ends_with('…'));
        assert_eq!(quote_user_text("Lima"), "Lima");
    }
}

/// A whole number with thousands separators: `13601` → `13,601`.
pub fn group_thousands(value: u64) -> String {
    let digits = value.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod thousands_tests {
    #[test]
    fn groups_of_three_from_the_right() {
        assert_eq!(super::group_thousands(0), "0");
        assert_eq!(super::group_thousands(999), "999");
        assert_eq!(super::group_thousands(1000), "1,000");
        assert_eq!(super::group_thousands(2_660_000), "2,660,000");
    }
}
