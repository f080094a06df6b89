//! Line endings: one home for how flue reads and writes them. Inside flue every
//! text is LF; the ending is applied once, at the output edge, to the whole
//! output, so an output never mixes endings and never doubles them (`\r\r\n`).

/// The most frequent of `\r\n`, `\n` and `\r` (`\n` on a tie or when there is none).
pub fn dominant_newline(text: &str) -> &'static str {
    let bytes = text.as_bytes();
    let (mut crlf, mut lf, mut cr) = (0usize, 0usize, 0usize);
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'\r' if bytes.get(i + 1) == Some(&b'\n') => {
                crlf += 1;
                i += 1;
            }
            b'\r' => cr += 1,
            b'\n' => lf += 1,
            _ => {}
        }
        i += 1;
    }
    if crlf > lf && crlf >= cr {
        "\r\n"
    } else if cr > lf && cr > crlf {
        "\r"
    } else {
        "\n"
    }
}

/// `text` with every line break (`\r\n`, lone `\r`, `\n`) as `\n`.
pub fn to_lf(text: &str) -> String {
    if !text.contains('\r') {
        return text.to_string();
    }
    text.replace("\r\n", "\n").replace('\r', "\n")
}

/// An LF text with every line break as `newline`. Normalises first, so a text
/// that already holds `\r\n` is never turned into `\r\r\n`.
pub fn with_newline(text: &str, newline: &str) -> String {
    let lf = to_lf(text);
    if newline == "\n" {
        lf
    } else {
        lf.replace('\n', newline)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dominant_ending_wins() {
        assert_eq!(dominant_newline("a\r\nb\r\nc\n"), "\r\n");
        assert_eq!(dominant_newline("a\r\nb\nc\n"), "\n");
        assert_eq!(dominant_newline("a\rb\rc"), "\r");
        assert_eq!(dominant_newline("abc"), "\n");
    }

    #[test]
    fn never_doubles_a_carriage_return() {
        assert_eq!(with_newline("a\r\nb\n", "\r\n"), "a\r\nb\r\n");
        assert_eq!(with_newline("a\rb", "\n"), "a\nb");
        assert_eq!(to_lf("a\r\n\r\nb"), "a\n\nb");
    }
}
