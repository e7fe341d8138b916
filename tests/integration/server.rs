//! A tiny HTTP/1.1 server on 127.0.0.1:<random port> for tests: each request's path-and-query goes to
//! a handler that returns status, content type and body. Counts requests so tests can assert cache reuse.

use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

/// A response: status code, content type, body.
pub type Response = (u16, &'static str, String);

/// A response with extra headers (e.g. `Retry-After`) and an optional delay before answering.
pub struct Reply {
    pub status: u16,
    pub content_type: &'static str,
    pub body: String,
    pub headers: Vec<(&'static str, String)>,
    pub delay: std::time::Duration,
    /// Send only this many bytes of the body (the header still announces all of it), then close:
    /// a connection cut mid-transfer.
    pub cut_at: Option<usize>,
    /// Send the status line and headers, then wait this long before the body (a server that stalls).
    pub stall: std::time::Duration,
}

impl From<Response> for Reply {
    fn from((status, content_type, body): Response) -> Reply {
        Reply {
            status,
            content_type,
            body,
            headers: vec![],
            delay: std::time::Duration::ZERO,
            cut_at: None,
            stall: std::time::Duration::ZERO,
        }
    }
}

/// A running loopback server; it stops when the test process ends.
pub struct Server {
    /// `http://127.0.0.1:PORT`
    pub url: String,
    hits: Arc<AtomicUsize>,
    targets: Arc<std::sync::Mutex<Vec<String>>>,
}

impl Server {
    /// Start a server answering with `handler(path_and_query)`.
    pub fn start(handler: impl Fn(&str) -> Response + Send + Sync + 'static) -> Server {
        Server::start_with(move |t: &str| Reply::from(handler(t)))
    }

    /// Start a server answering with full [`Reply`]s.
    pub fn start_with(handler: impl Fn(&str) -> Reply + Send + Sync + 'static) -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind loopback");
        let url = format!("http://{}", listener.local_addr().unwrap());
        let hits = Arc::new(AtomicUsize::new(0));
        let counter = Arc::clone(&hits);
        let targets = Arc::new(std::sync::Mutex::new(Vec::new()));
        let seen = Arc::clone(&targets);
        let handler = Arc::new(handler);
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(mut stream) = stream else { continue };
                let handler = Arc::clone(&handler);
                let counter = Arc::clone(&counter);
                let seen = Arc::clone(&seen);
                std::thread::spawn(move || {
                    let mut reader = BufReader::new(stream.try_clone().unwrap());
                    let mut request_line = String::new();
                    if reader.read_line(&mut request_line).is_err() {
                        return;
                    }
                    let mut line = String::new();
                    while reader.read_line(&mut line).map(|n| n > 2).unwrap_or(false) {
                        line.clear();
                    }
                    counter.fetch_add(1, Ordering::SeqCst);
                    let target = request_line.split_whitespace().nth(1).unwrap_or("/").to_string();
                    seen.lock().unwrap().push(target.clone());
                    let r = handler(&target);
                    std::thread::sleep(r.delay);
                    let mut head = format!(
                        "HTTP/1.1 {} X\r\nContent-Type: {}\r\nContent-Length: {}\r\nConnection: close\r\n",
                        r.status,
                        r.content_type,
                        r.body.len()
                    );
                    for (k, v) in &r.headers {
                        head.push_str(&format!("{k}: {v}\r\n"));
                    }
                    head.push_str("\r\n");
                    let _ = stream.write_all(head.as_bytes());
                    let _ = stream.flush();
                    std::thread::sleep(r.stall);
                    let body = r.body.as_bytes();
                    let _ = stream.write_all(&body[..r.cut_at.unwrap_or(body.len()).min(body.len())]);
                });
            }
        });
        Server { url, hits, targets }
    }

    /// Request targets (path and query) seen so far, in order.
    pub fn targets(&self) -> Vec<String> {
        self.targets.lock().unwrap().clone()
    }

    /// Number of requests answered so far.
    pub fn hits(&self) -> usize {
        self.hits.load(Ordering::SeqCst)
    }
}

/// The value of query parameter `key` in `target`.
pub fn query<'a>(target: &'a str, key: &str) -> Option<&'a str> {
    let q = target.split_once('?')?.1;
    q.split('&')
        .find_map(|kv| kv.split_once('=').filter(|(k, _)| *k == key).map(|(_, v)| v))
}
