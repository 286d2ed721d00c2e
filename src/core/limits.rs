//! Size limits for everything a user can hand the app: refused at once, with the limit stated.
//!
//! A 50 MB file or a 100,000-character link must not freeze the tab while it is parsed, so
//! these checks run before any parsing, in time proportional to the input, and say what the
//! limit is. The limits sit far above real work: a complete assessment with a note on every
//! question is about 150 KB.

/// The largest file accepted for import (an assessment or a team checklist).
pub const MAX_IMPORT_BYTES: u64 = 2 * 1024 * 1024;
/// The longest share link (the part after `#share=`) accepted. Chat tools and mail clients cut
/// longer links, so longer ones are not offered either: export JSON instead.
pub const MAX_SHARE_CHARS: usize = 60_000;
/// The most JSON values (members and array items) in an imported document.
pub const MAX_DOCUMENT_VALUES: usize = 5_000;
/// The most JSON values in a project spec (its settings and any lists inside them).
pub const MAX_SPEC_VALUES: usize = 500;

/// Thousands separated by commas, for messages ("60,000").
pub fn grouped(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

fn megabytes(bytes: u64) -> String {
    format!("{:.1} MB", bytes as f64 / (1024.0 * 1024.0))
}

/// Refuses a file larger than [`MAX_IMPORT_BYTES`] before it is read.
pub fn check_import_size(bytes: u64) -> Result<(), String> {
    if bytes > MAX_IMPORT_BYTES {
        return Err(format!(
            "This file is {}; files of at most {} are accepted (a complete assessment or team checklist is far smaller).",
            megabytes(bytes),
            megabytes(MAX_IMPORT_BYTES)
        ));
    }
    Ok(())
}

/// Refuses a share code longer than [`MAX_SHARE_CHARS`] before it is decoded.
pub fn check_share_length(code: &str) -> Result<(), String> {
    let chars = code.len();
    if chars > MAX_SHARE_CHARS {
        return Err(format!(
            "This share link is {} characters long; links of at most {} are accepted. Ask for an exported JSON file instead. Your current work is unchanged.",
            grouped(chars as u64),
            grouped(MAX_SHARE_CHARS as u64)
        ));
    }
    Ok(())
}

/// Counts JSON values (object members and array items, nested ones included) in one pass,
/// without parsing: commas and colons outside strings, plus one per non-empty container.
/// Malformed JSON gets some count; the parser explains what is wrong with it afterwards.
pub fn count_json_values(text: &str) -> usize {
    let (mut count, mut in_string, mut escaped) = (0usize, false, false);
    let mut previous_significant = b' ';
    for &b in text.as_bytes() {
        if in_string {
            match (escaped, b) {
                (true, _) => escaped = false,
                (false, b'\\') => escaped = true,
                (false, b'"') => in_string = false,
                _ => {}
            }
            continue;
        }
        match b {
            b'"' => in_string = true,
            b',' => count += 1,
            b'}' | b']' if !matches!(previous_significant, b'{' | b'[') => count += 1,
            _ => {}
        }
        if !b.is_ascii_whitespace() {
            previous_significant = b;
        }
    }
    count
}

fn check_values(text: &str, max: usize, what: &str) -> Result<(), String> {
    let values = count_json_values(text);
    if values > max {
        return Err(format!(
            "This {what} holds {} entries; at most {} are accepted, far more than any real {what} needs.",
            grouped(values as u64),
            grouped(max as u64)
        ));
    }
    Ok(())
}

/// Refuses an assessment document with more than [`MAX_DOCUMENT_VALUES`] values.
pub fn check_document(text: &str) -> Result<(), String> {
    check_values(text, MAX_DOCUMENT_VALUES, "assessment file")
}

/// Refuses a project spec with more than [`MAX_SPEC_VALUES`] values (settings, variables).
pub fn check_spec(text: &str) -> Result<(), String> {
    check_values(text, MAX_SPEC_VALUES, "project spec")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_values_not_characters_inside_strings() {
        assert_eq!(count_json_values("{}"), 0);
        assert_eq!(count_json_values("[]"), 0);
        assert_eq!(count_json_values(r#"{"a": 1}"#), 1);
        assert_eq!(count_json_values(r#"{"a": 1, "b": [1, 2, 3]}"#), 5);
        assert_eq!(count_json_values(r#"{"a": "x, y: {z}", "b": "\", ,"}"#), 2);
    }

    #[test]
    fn grouped_thousands() {
        assert_eq!(grouped(0), "0");
        assert_eq!(grouped(999), "999");
        assert_eq!(grouped(100_000), "100,000");
        assert_eq!(grouped(1_234_567), "1,234,567");
    }

    #[test]
    fn messages_state_the_limit() {
        let e = check_import_size(50 * 1024 * 1024).unwrap_err();
        assert!(e.contains("50.0 MB") && e.contains("2.0 MB"), "{e}");
        let e = check_share_length(&"A".repeat(100_000)).unwrap_err();
        assert!(e.contains("100,000") && e.contains("60,000"), "{e}");
        assert!(check_share_length(&"A".repeat(MAX_SHARE_CHARS)).is_ok());
    }
}
