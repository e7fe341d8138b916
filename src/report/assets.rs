//! The report's one stylesheet, one script and the Content-Security-Policy that allows exactly those.
//!
//! The policy is `default-src 'none'`: the page may load nothing from anywhere (images are `data:`
//! URLs), and only the inline style and script whose SHA-256 hashes it lists may apply or run. So even
//! if user text ever slipped past escaping, a browser would neither run it nor fetch anything.

use base64::Engine;
use sha2::{Digest, Sha256};

/// The stylesheet (no external fonts: the reader's sans-serif).
pub const CSS: &str = r#"
body { font-family: "DejaVu Sans", Arial, sans-serif; margin: 2em auto; max-width: 1280px; padding: 0 1em;
       color: #222; line-height: 1.45; }
h1 { font-size: 1.6em; margin-bottom: 0.2em; }
h2 { border-bottom: 1px solid #ddd; padding-bottom: 0.2em; margin-top: 2em; }
.lede { color: #444; }
img { max-width: 100%; height: auto; border: 1px solid #eee; margin: 0.5em 0; }
.scroll { overflow-x: auto; max-height: 38em; overflow-y: auto; border: 1px solid #ddd; }
table { border-collapse: collapse; font-size: 0.82em; }
table.sortable th { cursor: pointer; position: sticky; top: 0; background: #f2f2f2; user-select: none; }
table.sortable th[data-dir="asc"]::after { content: " \25B2"; }
table.sortable th[data-dir="desc"]::after { content: " \25BC"; }
th, td { padding: 0.25em 0.6em; border-bottom: 1px solid #eee; text-align: left; vertical-align: top; }
td.n { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
table.pairs th { background: none; width: 16em; }
pre.headline { background: #f7f7f7; padding: 0.8em; white-space: pre-wrap; font-family: inherit;
               font-size: 1.05em; }
details { margin: 0.6em 0; }
summary { cursor: pointer; }
footer { margin-top: 3em; color: #666; font-size: 0.85em; }
"#;

/// Click a header to sort by that column (again to reverse); numbers sort by their exact `data-v`,
/// blanks last. A link can open the page sorted: `report.html#sort=TABLE-ID:COLUMN:asc|desc`.
pub const JS: &str = r##"
"use strict";
function oilcorrSort(table, col, dir) {
  var heads = table.tHead.rows[0].cells;
  Array.prototype.forEach.call(heads, function (h) { h.removeAttribute("data-dir"); });
  heads[col].setAttribute("data-dir", dir);
  var body = table.tBodies[0];
  var rows = Array.prototype.slice.call(body.rows);
  var key = function (row) {
    var c = row.cells[col];
    if (!c || c.textContent === "") { return null; }
    var v = c.getAttribute("data-v");
    return v === null ? c.textContent : parseFloat(v);
  };
  rows.sort(function (a, b) {
    var x = key(a), y = key(b);
    if (x === null || y === null) { return x === y ? 0 : (x === null ? 1 : -1); }
    var c = (typeof x === "number" && typeof y === "number") ? x - y : String(x).localeCompare(String(y));
    return dir === "asc" ? c : -c;
  });
  rows.forEach(function (r) { body.appendChild(r); });
}
document.querySelectorAll("table.sortable").forEach(function (table) {
  Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th, col) {
    th.addEventListener("click", function () {
      oilcorrSort(table, col, th.getAttribute("data-dir") === "asc" ? "desc" : "asc");
    });
  });
});
var wanted = /^#sort=([A-Za-z0-9_-]+):([0-9]+):(asc|desc)$/.exec(window.location.hash);
if (wanted) {
  var table = document.getElementById(wanted[1]);
  var col = parseInt(wanted[2], 10);
  if (table && table.classList.contains("sortable") && col < table.tHead.rows[0].cells.length) {
    oilcorrSort(table, col, wanted[3]);
  }
}
// Layout self-check, read by the tests in a headless browser: "none", or the first element wider
// than the page (the page must never scroll sideways, down to a 375 px phone).
(function () {
  var root = document.documentElement, found = "none";
  if (root.scrollWidth > root.clientWidth) {
    document.querySelectorAll("body *").forEach(function (e) {
      if (found === "none" && e.getBoundingClientRect().right > root.clientWidth + 1) {
        found = e.tagName.toLowerCase() + (e.id ? "#" + e.id : "") + (e.className ? "." + e.className : "");
      }
    });
  }
  root.setAttribute("data-overflow", found);
})();
"##;

/// `'sha256-…'` source expression of an inline block.
fn hash(content: &str) -> String {
    let digest = Sha256::digest(content.as_bytes());
    format!(
        "'sha256-{}'",
        base64::engine::general_purpose::STANDARD.encode(digest)
    )
}

/// The Content-Security-Policy allowing [`CSS`], [`JS`] and `data:` images, nothing else.
pub fn csp() -> String {
    format!(
        "default-src 'none'; img-src data:; style-src {}; script-src {}; base-uri 'none'; form-action 'none'",
        hash(CSS),
        hash(JS)
    )
}

/// A `data:` URL of image bytes of type `mime` (`image/png`, `image/svg+xml`).
pub fn data_url(mime: &str, bytes: &[u8]) -> String {
    format!(
        "data:{mime};base64,{}",
        base64::engine::general_purpose::STANDARD.encode(bytes)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hash_matches_a_known_sha256() {
        // sha256("abc") = ba7816bf...; base64 of those 32 bytes, from FIPS 180-2's example.
        assert_eq!(
            hash("abc"),
            "'sha256-ungWv48Bz+pBQUDeXa4iI7ADYaOWF3qctBD/YfIAFa0='"
        );
    }

    #[test]
    fn data_url_is_base64() {
        assert_eq!(
            data_url("image/png", b"\x89PNG"),
            "data:image/png;base64,iVBORw=="
        );
    }
}
