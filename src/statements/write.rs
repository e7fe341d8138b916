//! Writing statements as an oilcorr statements CSV (`id,time,speaker,text,url,tags,stance`), atomically.

use super::Statement;
use std::path::Path;

/// The statements as CSV bytes in the format [`super::parse_statements`] reads.
pub fn to_csv(statements: &[Statement]) -> Vec<u8> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(["id", "time", "speaker", "text", "url", "tags", "stance"])
        .expect("in-memory write");
    for s in statements {
        let record = [
            s.id.clone(),
            s.time.to_string(),
            s.speaker.clone(),
            s.text.clone(),
            s.url.clone().unwrap_or_default(),
            s.tags.join(";"),
            s.stance.map_or("", |x| x.as_str()).to_string(),
        ];
        w.write_record(&record).expect("in-memory write");
    }
    w.into_inner().expect("in-memory flush")
}

/// Write `statements` to `path` atomically (a temporary file renamed over it).
pub fn write(path: &Path, statements: &[Statement]) -> std::io::Result<()> {
    crate::fsutil::write_atomic(path, &to_csv(statements))
}
