//! Stored JSON taken apart by a scan, not a parse: each event was checked at ingest. A collect
//! batch is one JSON array of events; enrichment reads an event's top-level members.

use std::ops::Range;

/// The elements of `array`, split at the commas outside strings, objects and arrays.
pub fn elements(array: &str) -> Split<'_> {
    let inner = array.trim_ascii().strip_prefix('[').and_then(|a| a.strip_suffix(']')).unwrap_or_default().trim_ascii();
    Split { rest: Some(inner).filter(|i| !i.is_empty()) }
}

/// Where each element of `array` lies in it.
pub fn element_ranges(array: &str) -> Vec<Range<usize>> {
    let base = array.as_ptr() as usize;
    elements(array).map(|e| e.as_ptr() as usize - base..e.as_ptr() as usize - base + e.len()).collect()
}

/// The top-level members of a JSON object as (key, value) texts, the key without its quotes
/// and with any escapes as written. Keys and values are found in one pass over the object.
pub fn members(object: &str) -> Members<'_> {
    let bytes = object.as_bytes();
    let open = skip_space(bytes, 0);
    Members { object, at: if bytes.get(open) == Some(&b'{') { open + 1 } else { bytes.len() } }
}

fn skip_space(bytes: &[u8], mut i: usize) -> usize {
    while bytes.get(i).is_some_and(u8::is_ascii_whitespace) {
        i += 1;
    }
    i
}

/// Where the value that starts at `i` ends: the first comma, or closing bracket it did not
/// open, outside strings; the end of `bytes` if there is none.
fn value_end(bytes: &[u8], mut i: usize) -> usize {
    let mut depth = 0u32;
    while let Some(&byte) = bytes.get(i) {
        match byte {
            // Strings are most of an event: skip them a word at a time.
            b'"' => i = string_end(bytes, i + 1),
            b'[' | b'{' => depth += 1,
            b',' | b']' | b'}' if depth == 0 => return i,
            b']' | b'}' => depth -= 1,
            _ => {}
        }
        i += 1;
    }
    bytes.len()
}

/// The index of the quote that closes the string whose text starts at `i`.
fn string_end(bytes: &[u8], mut i: usize) -> usize {
    while i < bytes.len() {
        let word = match bytes.get(i..i + 8) {
            Some(word) => word.try_into().expect("eight bytes"),
            // Zeros match neither a quote nor a backslash.
            None => {
                let mut word = [0; 8];
                word[..bytes.len() - i].copy_from_slice(&bytes[i..]);
                word
            }
        };
        match first_quote_or_backslash(u64::from_le_bytes(word)) {
            None => i += 8,
            Some(at) if bytes[i + at] == b'"' => return i + at,
            // A backslash and the character it escapes.
            Some(at) => i += at + 2,
        }
    }
    bytes.len()
}

/// The index of the first quote or backslash among a word's eight bytes, found without a loop:
/// most strings in an event are shorter than a vector search needs to pay for its setup.
fn first_quote_or_backslash(word: u64) -> Option<usize> {
    const ONES: u64 = u64::from_ne_bytes([1; 8]);
    const HIGHS: u64 = ONES << 7;
    let (quotes, backslashes) = (word ^ (ONES * u64::from(b'"')), word ^ (ONES * u64::from(b'\\')));
    // The high bit of each byte that became zero; a borrow can only set bits above the first
    // such byte, so the lowest bit set is exact.
    let found = (quotes.wrapping_sub(ONES) & !quotes | backslashes.wrapping_sub(ONES) & !backslashes) & HIGHS;
    (found != 0).then(|| found.trailing_zeros() as usize / 8)
}

/// An object's members, from [`members`].
pub struct Members<'a> {
    object: &'a str,
    /// Where the next member's key is, after any space.
    at: usize,
}

impl<'a> Iterator for Members<'a> {
    type Item = (&'a str, &'a str);

    fn next(&mut self) -> Option<Self::Item> {
        let bytes = self.object.as_bytes();
        let quote = skip_space(bytes, self.at);
        // The closing brace, or text that is not a member: either way the members end here.
        self.at = bytes.len();
        if bytes.get(quote) != Some(&b'"') {
            return None;
        }
        let key_end = string_end(bytes, quote + 1);
        let colon = skip_space(bytes, key_end + 1);
        if bytes.get(colon) != Some(&b':') {
            return None;
        }
        let value_start = skip_space(bytes, colon + 1);
        let end = value_end(bytes, value_start);
        if bytes.get(end) == Some(&b',') {
            self.at = end + 1;
        }
        // Every index here is at an ASCII byte or the end, so on a character boundary.
        Some((&self.object[quote + 1..key_end], self.object[value_start..end].trim_ascii_end()))
    }
}

pub struct Split<'a> {
    rest: Option<&'a str>,
}

impl<'a> Iterator for Split<'a> {
    type Item = &'a str;

    fn next(&mut self) -> Option<&'a str> {
        let rest = self.rest?;
        let end = value_end(rest.as_bytes(), 0);
        // A comma is ASCII, so both sides stay on character boundaries.
        self.rest = rest.get(end + 1..).filter(|_| rest.as_bytes().get(end) == Some(&b','));
        Some(&rest[..end])
    }
}

#[cfg(test)]
mod tests {
    use super::{element_ranges, elements, members};

    #[test]
    fn splits_at_top_level_commas_only() {
        let events = [
            r#"{"a":1,"b":[1,2,{"c":","}]}"#,
            r#"{"s":"quote \" and comma , and brace }"}"#,
            r#"{"t":"ends in a backslash \\","u":"é,ü"}"#,
            r#"{}"#,
        ];
        assert_eq!(elements(&format!("[{}]", events.join(","))).collect::<Vec<_>>(), events);
        assert_eq!(elements(&format!("[{}]", events[0])).collect::<Vec<_>>(), [events[0]]);
        assert_eq!(elements("[]").count(), 0);
        assert_eq!(elements(" [ ] ").count(), 0);
        let array = format!("[{}]", events.join(","));
        let ranges = element_ranges(&array);
        assert_eq!(ranges.iter().map(|r| &array[r.clone()]).collect::<Vec<_>>(), events);
    }

    #[test]
    fn reads_the_top_level_members_of_an_object() {
        let object = r#" { "a" : 1, "k\"q":"v,}", "n":{"a":[1,{"b":2}]} ,"e":"" } "#;
        assert_eq!(
            members(object).collect::<Vec<_>>(),
            [("a", "1"), (r#"k\"q"#, r#""v,}""#), ("n", r#"{"a":[1,{"b":2}]}"#), ("e", r#""""#)]
        );
        assert_eq!(members("{}").count(), 0);
        assert_eq!(members(r#"{"a":1"#).collect::<Vec<_>>(), [("a", "1")]);
        assert_eq!(members(r#"{"a" 1}"#).count(), 0);
        assert_eq!(members("[1]").count(), 0);
    }

    #[test]
    fn finds_quotes_and_escapes_wherever_they_fall_in_a_word() {
        // Strings scan eight bytes a step: put an escape and the closing quote at every offset.
        for before in 0..20 {
            for after in 0..12 {
                let text = format!(r#"{}\"{}"#, "x".repeat(before), "y".repeat(after));
                let object = format!(r#"{{"k":"{text}","n":[1,"{{"]}}"#);
                assert_eq!(
                    members(&object).collect::<Vec<_>>(),
                    [("k", format!(r#""{text}""#).as_str()), ("n", r#"[1,"{"]"#)]
                );
            }
        }
        assert_eq!(elements(r#"["unterminated, \"]"#).count(), 1);
    }
}
