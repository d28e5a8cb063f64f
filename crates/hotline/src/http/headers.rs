//! Security headers and the cross-site check shared by the desk and the
//! one-tap acknowledge page: pages are never framed, sniffed or cached,
//! never leak their URL (a link token) in a Referer, and a form POST that
//! a browser marks as coming from another site is refused (login CSRF).

use axum::http::header::{CACHE_CONTROL, HOST, ORIGIN};
use axum::http::{HeaderMap, HeaderName, HeaderValue};

/// Sets the headers every HTML page of ours carries, with `csp`.
pub fn secure_page(headers: &mut HeaderMap, csp: &'static str) {
    let mut set = |name: &'static str, value: &'static str| {
        headers.insert(
            HeaderName::from_static(name),
            HeaderValue::from_static(value),
        );
    };
    set("content-security-policy", csp);
    set("x-content-type-options", "nosniff");
    set("referrer-policy", "no-referrer");
    set("x-frame-options", "DENY");
    headers.insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
}

/// Whether a form POST comes from our own pages: `Sec-Fetch-Site` (sent by
/// current browsers) must not say another site, and an `Origin` must name
/// the host the request was sent to, or `base_url`'s. A request with
/// neither header (an old browser, curl) is allowed: the one-time token in
/// the form is what signs in.
pub fn same_site(headers: &HeaderMap, base_url: &str) -> bool {
    let text = |name| {
        headers
            .get(name)
            .and_then(|v: &HeaderValue| v.to_str().ok())
    };
    if let Some(site) = text(HeaderName::from_static("sec-fetch-site"))
        && !matches!(site, "same-origin" | "none")
    {
        return false;
    }
    // `Origin: null` is what a browser sends from a page with
    // `Referrer-Policy: no-referrer` (ours): `Sec-Fetch-Site` decided above.
    let Some(origin) = text(ORIGIN).filter(|o| *o != "null") else {
        return true;
    };
    let authority = |u: &str| {
        url::Url::parse(u).ok().map(|u| {
            let host = u.host_str().unwrap_or_default().to_owned();
            match u.port() {
                Some(port) => format!("{host}:{port}"),
                None => host,
            }
        })
    };
    let Some(origin) = authority(origin) else {
        return false;
    };
    text(HOST).is_some_and(|host| host.eq_ignore_ascii_case(&origin))
        || authority(base_url).is_some_and(|base| base.eq_ignore_ascii_case(&origin))
}

#[cfg(test)]
mod tests {
    use super::same_site;
    use axum::http::HeaderMap;

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.insert(*k, v.parse().unwrap());
        }
        h
    }

    #[test]
    fn a_post_from_another_site_is_refused_and_one_from_our_page_is_not() {
        let base = "https://desk.example.org";
        let ours = headers(&[
            ("host", "desk.example.org"),
            ("origin", "https://desk.example.org"),
            ("sec-fetch-site", "same-origin"),
        ]);
        assert!(same_site(&ours, base));
        let lan = headers(&[
            ("host", "10.0.0.5:8090"),
            ("origin", "http://10.0.0.5:8090"),
        ]);
        assert!(same_site(&lan, ""));
        let evil = headers(&[
            ("host", "desk.example.org"),
            ("origin", "https://evil.example"),
        ]);
        assert!(!same_site(&evil, base));
        let marked = headers(&[
            ("host", "desk.example.org"),
            ("sec-fetch-site", "cross-site"),
        ]);
        assert!(!same_site(&marked, base));
        assert!(same_site(&headers(&[]), base), "curl sends neither");
        let no_referrer = headers(&[("origin", "null"), ("sec-fetch-site", "same-origin")]);
        assert!(
            same_site(&no_referrer, base),
            "our own page under no-referrer"
        );
    }
}
