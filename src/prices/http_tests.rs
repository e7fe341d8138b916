//! Unit tests of the HTTP helper: URL building and redaction, and the body-size cap against a
//! loopback socket.

use super::*;

#[test]
fn redact_hides_keys_only() {
    let url = endpoint(
        "http://h/",
        "/x",
        &[("series_id", "A"), ("api_key", "abc"), ("file_type", "json")],
    )
    .unwrap();
    assert_eq!(redact(&url), "http://h/x?series_id=A&api_key=***&file_type=json");
    let url = endpoint("http://h", "/x", &[("id", "A")]).unwrap();
    assert_eq!(redact(&url), "http://h/x?id=A");
}

#[test]
fn keys_with_reserved_characters_are_encoded_and_still_hidden() {
    let url = endpoint("http://u:pw@h/m", "/x", &[("api_key", "a&b=c#d"), ("q", "[1]")]).unwrap();
    let pairs: Vec<(String, String)> = url.query_pairs().map(|(k, v)| (k.into(), v.into())).collect();
    assert_eq!(pairs[0], ("api_key".to_string(), "a&b=c#d".to_string()));
    assert_eq!(url.path(), "/m/x");
    let shown = redact(&url);
    assert_eq!(shown, "http://h/m/x?api_key=***&q=%5B1%5D");
}

#[test]
fn a_body_over_the_limit_is_refused_without_reading_it_all() {
    use std::io::{Read, Write};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    std::thread::spawn(move || {
        for stream in listener.incoming().take(2) {
            let mut s = stream.unwrap();
            let mut req = [0u8; 1024];
            let _ = s.read(&mut req);
            let body = "x".repeat(2048);
            let head = format!(
                "HTTP/1.1 200 OK\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                body.len()
            );
            let _ = s.write_all(head.as_bytes());
            let _ = s.write_all(body.as_bytes());
        }
    });
    let url = endpoint(&format!("http://{addr}"), "/x", &[]).unwrap();
    let small = Http::new(HttpConfig {
        max_body: 1024,
        ..Default::default()
    });
    assert!(matches!(
        small.get_text(&url),
        Err(FetchError::WrongFormat { .. })
    ));
    let large = Http::new(HttpConfig {
        max_body: 4096,
        ..Default::default()
    });
    assert_eq!(large.get_text(&url).unwrap().len(), 2048);
}

#[test]
fn a_bad_base_url_is_an_error_not_a_panic() {
    assert!(matches!(
        endpoint("not a url", "/x", &[]),
        Err(FetchError::BadUrl { .. })
    ));
    let e = endpoint("http://u:secret@[bad/x?api_key=k2", "/y", &[])
        .unwrap_err()
        .to_string();
    assert!(!e.contains("secret") && !e.contains("k2"), "{e}");
}

#[test]
fn sniff_detects_html_and_empty() {
    assert!(sniff_non_data("<!DOCTYPE html><html>blocked</html>").is_some());
    assert!(sniff_non_data("  \n").is_some());
    assert!(sniff_non_data("observation_date,DCOILWTICO\n").is_none());
}
