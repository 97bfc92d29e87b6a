//! The object a batch becomes in a bucket (GCS and S3 alike): newline-delimited JSON named
//! `{prefix}/{type}/{yyyy}/{mm}/{dd}/{HHMMSS}-{first_seq}-{last_seq}.ndjson`.
//!
//! The date is the first event's own timestamp, not the upload time, so a batch re-sent after a
//! crash overwrites the object it wrote before instead of adding a twin.

use super::{
    batch::{gzip, EventHeader},
    Batch,
};
use flate2::Compression;

pub(super) const CONTENT_TYPE: &str = "application/x-ndjson";

/// An encoded batch, ready to upload.
pub(super) struct BatchObject {
    pub name: String,
    pub body: Vec<u8>,
    pub gzipped: bool,
}

pub(super) fn object_name(prefix: Option<&str>, batch: &Batch) -> String {
    let at = batch
        .events
        .first()
        .and_then(|e| EventHeader::of(&e.body).timestamp)
        .unwrap_or_else(chrono::Utc::now);
    let prefix = prefix.map(|p| p.trim_matches('/')).filter(|p| !p.is_empty());
    format!(
        "{}{}/{}-{}-{}.ndjson",
        prefix.map(|p| format!("{p}/")).unwrap_or_default(),
        batch.event_type,
        at.format("%Y/%m/%d/%H%M%S"),
        batch.first_seq(),
        batch.last_seq(),
    )
}

pub(super) fn encode(prefix: Option<&str>, batch: &Batch, gzipped: bool) -> BatchObject {
    let ndjson = batch.ndjson().into_bytes();
    let body = if gzipped { gzip(&ndjson, Compression::default()) } else { ndjson };
    BatchObject { name: object_name(prefix, batch), body, gzipped }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::delivery::batch::sample;
    use flate2::read::GzDecoder;
    use std::io::Read;

    const EVENTS: [&str; 2] = [
        r#"{"timestamp":"2026-03-04T05:06:07.000Z","n":1}"#,
        r#"{"timestamp":"2026-03-04T09:00:00.000Z","n":2}"#,
    ];

    #[test]
    fn named_after_the_first_event_and_the_seq_range() {
        let batch = sample(&EVENTS);
        assert_eq!(object_name(Some("/sluice/"), &batch), "sluice/cis/2026/03/04/050607-10-11.ndjson");
        assert_eq!(object_name(None, &batch), "cis/2026/03/04/050607-10-11.ndjson");
    }

    #[test]
    fn gzip_holds_the_same_lines() {
        let batch = sample(&EVENTS);
        let plain = encode(None, &batch, false);
        let gzipped = encode(None, &batch, true);
        let mut unzipped = Vec::new();
        GzDecoder::new(&gzipped.body[..]).read_to_end(&mut unzipped).unwrap();
        assert_eq!(unzipped, plain.body);
        assert_eq!(String::from_utf8(plain.body).unwrap().lines().count(), 2);
    }
}
