//! A statement as bytes, for the sorted runs of [`super::spill`]: length-prefixed strings, the time as
//! seconds and nanoseconds (or days), the tags counted, the stance as one byte. Read back exactly
//! (to the nanosecond); never a file format anyone else reads.

use super::{Stance, Statement, StatementTime};
use chrono::{DateTime, NaiveDate};
use std::io::Read;

/// A statement as bytes: length-prefixed strings, the time as seconds and nanoseconds (or days), the
/// tags counted, the stance as one byte.
pub(super) fn encode(s: &Statement, out: &mut Vec<u8>) {
    let text = |out: &mut Vec<u8>, t: &str| {
        out.extend_from_slice(&(t.len() as u32).to_le_bytes());
        out.extend_from_slice(t.as_bytes());
    };
    text(out, &s.id);
    encode_time(&s.time, out);
    text(out, &s.speaker);
    text(out, &s.text);
    text(out, s.url.as_deref().unwrap_or(""));
    out.extend_from_slice(&(s.tags.len() as u32).to_le_bytes());
    for t in &s.tags {
        text(out, t);
    }
    out.push(match s.stance {
        None => 0,
        Some(Stance::Up) => 1,
        Some(Stance::Down) => 2,
    });
}

/// A time as a kind byte (0 instant, 1 date), seconds (or days from the common era) and nanoseconds.
pub(super) fn encode_time(time: &StatementTime, out: &mut Vec<u8>) {
    let (kind, secs, nanos) = match time {
        StatementTime::Instant(t) => (0u8, t.timestamp(), t.timestamp_subsec_nanos()),
        StatementTime::Date(d) => (1, i64::from(chrono::Datelike::num_days_from_ce(d)), 0),
    };
    out.push(kind);
    out.extend_from_slice(&secs.to_le_bytes());
    out.extend_from_slice(&nanos.to_le_bytes());
}

/// The time [`encode_time`] wrote, or `None` at the end of the input.
pub(super) fn decode_time(r: &mut impl Read) -> std::io::Result<Option<StatementTime>> {
    let mut b = [0u8; 13];
    match r.read_exact(&mut b) {
        Err(e) if e.kind() == std::io::ErrorKind::UnexpectedEof => return Ok(None),
        other => other?,
    }
    let secs = i64::from_le_bytes(b[1..9].try_into().expect("8 bytes"));
    let nanos = u32::from_le_bytes(b[9..13].try_into().expect("4 bytes"));
    let time = match b[0] {
        0 => StatementTime::Instant(DateTime::from_timestamp(secs, nanos).ok_or_else(damaged)?),
        _ => StatementTime::Date(
            i32::try_from(secs)
                .ok()
                .and_then(NaiveDate::from_num_days_from_ce_opt)
                .ok_or_else(damaged)?,
        ),
    };
    Ok(Some(time))
}

/// The next statement [`encode`] wrote, or `None` at the end of the run.
pub(super) fn decode(r: &mut impl Read) -> std::io::Result<Option<Statement>> {
    let mut len = [0u8; 4];
    match r.read_exact(&mut len) {
        Err(e) if e.kind() == std::io::ErrorKind::UnexpectedEof => return Ok(None),
        other => other?,
    }
    let id = string(r, u32::from_le_bytes(len))?;
    let time = decode_time(r)?.ok_or_else(damaged)?;
    let speaker = next_string(r)?;
    let text = next_string(r)?;
    let url = Some(next_string(r)?).filter(|u| !u.is_empty());
    r.read_exact(&mut len)?;
    let tags = (0..u32::from_le_bytes(len))
        .map(|_| next_string(r))
        .collect::<std::io::Result<_>>()?;
    let mut kind = [0u8; 1];
    r.read_exact(&mut kind)?;
    let stance = match kind[0] {
        1 => Some(Stance::Up),
        2 => Some(Stance::Down),
        _ => None,
    };
    Ok(Some(Statement {
        id,
        time,
        speaker,
        text,
        url,
        tags,
        stance,
    }))
}

fn next_string(r: &mut impl Read) -> std::io::Result<String> {
    let mut len = [0u8; 4];
    r.read_exact(&mut len)?;
    string(r, u32::from_le_bytes(len))
}

fn string(r: &mut impl Read, len: u32) -> std::io::Result<String> {
    let mut bytes = vec![0u8; len as usize];
    r.read_exact(&mut bytes)?;
    String::from_utf8(bytes).map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidData, e))
}

/// The error of a run whose bytes are not what [`encode`] wrote.
fn damaged() -> std::io::Error {
    std::io::Error::new(std::io::ErrorKind::InvalidData, "a damaged statements run")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::statements::spill::tests::sample;

    #[test]
    fn a_statement_reads_back_as_written_to_the_nanosecond() {
        let mut bytes = Vec::new();
        let statements = sample(60);
        statements.iter().for_each(|s| encode(s, &mut bytes));
        let mut r = bytes.as_slice();
        let back: Vec<Statement> = std::iter::from_fn(|| decode(&mut r).unwrap()).collect();
        assert_eq!(back, statements);
    }
}
