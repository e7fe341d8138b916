//! HTML building blocks that escape everything they are given.
//!
//! Statement text, speakers, ids, tags and URLs come from user files, so every piece of text goes
//! through [`text`] (element content) or [`attr`] (a double-quoted attribute value); links are made only
//! for absolute `http://` or `https://` addresses ([`link`]), anything else is shown as text. The page's
//! Content-Security-Policy (see [`super::assets`]) is the second line of defence: even markup that got
//! through could run no script and load nothing.

use crate::export::table::{Cell, Table};

/// Escape text for element content (`<`, `>`, `&`).
pub fn text(s: &str) -> String {
    html_escape::encode_text(s).into_owned()
}

/// Escape text for a double-quoted attribute value (also `"`).
pub fn attr(s: &str) -> String {
    html_escape::encode_double_quoted_attribute(s).into_owned()
}

use crate::statements::is_web_url;

/// A link to `url` showing `label`, or `label` alone when `url` is not an http(s) address.
pub fn link(url: &str, label: &str) -> String {
    if is_web_url(url) {
        format!(
            "<a href=\"{}\" rel=\"noopener noreferrer\">{}</a>",
            attr(url),
            text(label)
        )
    } else {
        text(label)
    }
}

/// A link to the local file `path` (made absolute) showing `label`: a file:// address, percent-encoded
/// where a path character would end or break it.
pub fn file_link(path: &std::path::Path, label: &str) -> String {
    let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let mut href = String::from("file://");
    for c in absolute.to_string_lossy().chars() {
        match c {
            'A'..='Z' | 'a'..='z' | '0'..='9' | '/' | '-' | '_' | '.' | '~' => href.push(c),
            other => {
                let mut buf = [0u8; 4];
                for b in other.encode_utf8(&mut buf).bytes() {
                    href.push_str(&format!("%{b:02X}"));
                }
            }
        }
    }
    format!("<a href=\"{}\">{}</a>", attr(&href), text(label))
}

/// A number for display: 4 decimals, or 3 significant digits in scientific notation when tiny.
pub fn number(x: f64) -> String {
    if !x.is_finite() {
        String::new()
    } else if x != 0.0 && x.abs() < 1e-3 {
        format!("{x:.2e}")
    } else {
        format!("{x:.4}")
    }
}

/// One cell: numbers are shown rounded with the exact value in `data-v` for sorting.
fn cell(c: &Cell) -> String {
    match c {
        Cell::Num(Some(x)) if x.is_finite() => {
            format!("<td class=\"n\" data-v=\"{x:e}\">{}</td>", number(*x))
        }
        Cell::Int(Some(v)) => format!("<td class=\"n\" data-v=\"{v}\">{v}</td>"),
        Cell::Num(_) | Cell::Int(_) => "<td></td>".to_string(),
        Cell::Text(t) => format!("<td>{}</td>", text(t)),
    }
}

/// A sortable table (click a header) with an id for links.
pub fn table(id: &str, t: &Table) -> String {
    let mut out = format!(
        "<div class=\"scroll\"><table class=\"sortable\" id=\"{}\"><thead><tr>",
        attr(id)
    );
    for h in &t.headers {
        out.push_str(&format!("<th>{}</th>", text(h)));
    }
    out.push_str("</tr></thead><tbody>\n");
    for row in &t.rows {
        out.push_str("<tr>");
        for c in row {
            out.push_str(&cell(c));
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</tbody></table></div>\n");
    out
}

/// A two-column table of label and already-escaped HTML value.
pub fn pairs(rows: &[(&str, String)]) -> String {
    let mut out = String::from("<table class=\"pairs\"><tbody>\n");
    for (k, v) in rows {
        out.push_str(&format!("<tr><th>{}</th><td>{v}</td></tr>\n", text(k)));
    }
    out.push_str("</tbody></table>\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_in_user_text_is_escaped() {
        assert_eq!(
            text("<script>alert(1)</script>"),
            "&lt;script&gt;alert(1)&lt;/script&gt;"
        );
        assert_eq!(attr("\" onload=\"x"), "&quot; onload=&quot;x");
    }

    #[test]
    fn only_http_links_are_links() {
        assert!(link("https://example.com/a?b=1&c=2", "x")
            .starts_with("<a href=\"https://example.com/a?b=1&amp;c=2\""));
        assert!(link("HTTP://EXAMPLE.COM", "x").starts_with("<a "));
        for bad in [
            "javascript:alert(1)",
            "data:text/html,x",
            "//evil",
            "https:// x",
            "ftp://a",
            "https://",
        ] {
            assert_eq!(link(bad, "<b>"), "&lt;b&gt;", "{bad}");
        }
        // Quotes cannot leave the attribute.
        assert!(!link("https://a.example/\"onmouseover=\"x", "l").contains("\"onmouseover"));
    }

    #[test]
    fn numbers_round_for_display_but_sort_exactly() {
        let t = Table {
            headers: vec!["a".into(), "b".into()],
            rows: vec![vec![Cell::Num(Some(0.123456789)), Cell::Num(Some(2.5e-7))]],
        };
        let html = table("t", &t);
        assert!(html.contains("data-v=\"1.23456789e-1\">0.1235</td>"), "{html}");
        assert!(html.contains(">2.50e-7</td>"), "{html}");
    }
}
