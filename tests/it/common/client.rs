//! A browser-like client over the router, in-process: keeps cookies, follows nothing by
//! itself, and reads pages as text the way a person would.
use std::collections::BTreeMap;

use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use tower::ServiceExt;

#[derive(Clone)]
pub struct Client {
    /// In-process: the app's router. Over the network: None, and `remote` set.
    router: Option<Router>,
    remote: Option<Remote>,
    cookies: BTreeMap<String, String>,
    /// The address the connection comes from, as the server sees it.
    peer: std::net::SocketAddr,
    /// Sent as X-Forwarded-For, as a proxy in front would.
    forwarded_for: Option<String>,
}

pub struct Page {
    pub status: StatusCode,
    pub location: Option<String>,
    pub headers: axum::http::HeaderMap,
    pub body: String,
}

impl Page {
    /// The page's text without tags, whitespace folded: what a person reads.
    pub fn text(&self) -> String {
        let mut out = String::new();
        let mut in_tag = false;
        for c in self.body.chars() {
            match c {
                '<' => {
                    in_tag = true;
                    out.push(' ');
                }
                '>' => in_tag = false,
                _ if !in_tag => out.push(c),
                _ => {}
            }
        }
        // The entities tera writes, decoded as a browser shows them.
        let out = out
            .replace("&#x2F;", "/")
            .replace("&#x27;", "'")
            .replace("&quot;", "\"")
            .replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&amp;", "&");
        out.split_whitespace().collect::<Vec<_>>().join(" ")
    }

    pub fn assert_text(&self, needle: &str) {
        assert!(
            self.text().contains(needle),
            "expected the page to say {needle:?}; it says:\n{}",
            self.text()
        );
    }

    pub fn assert_no_text(&self, needle: &str) {
        assert!(
            !self.text().contains(needle),
            "expected the page not to say {needle:?}; it says:\n{}",
            self.text()
        );
    }
}

/// A real server at `base` (`http://127.0.0.1:PORT`), reached over TCP.
#[derive(Clone)]
struct Remote {
    http: reqwest::Client,
    base: String,
}

/// The status a network client reports when the server could not be reached (it was
/// killed, or is not up yet): no real server answers it.
pub const UNREACHABLE: u16 = 599;

impl Client {
    /// A browser talking to the real server at `base` over HTTP; cookies kept by this
    /// client, redirects not followed, as in-process.
    pub fn remote(base: &str) -> Client {
        let http = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .timeout(std::time::Duration::from_secs(30))
            .build()
            .expect("an HTTP client");
        Client {
            router: None,
            remote: Some(Remote {
                http,
                base: base.trim_end_matches('/').to_string(),
            }),
            cookies: BTreeMap::new(),
            peer: ([127, 0, 0, 1], 40000).into(),
            forwarded_for: None,
        }
    }

    async fn send_remote(remote: &Remote, request: Request<Body>) -> axum::http::Response<Body> {
        let (parts, body) = request.into_parts();
        let bytes = axum::body::to_bytes(body, usize::MAX).await.expect("body");
        let url = format!("{}{}", remote.base, parts.uri);
        let method = reqwest::Method::from_bytes(parts.method.as_str().as_bytes()).unwrap();
        let mut req = remote.http.request(method, &url).body(bytes.to_vec());
        for (name, value) in &parts.headers {
            req = req.header(name.as_str(), value.as_bytes());
        }
        let unreachable = || {
            axum::http::Response::builder()
                .status(UNREACHABLE)
                .body(Body::empty())
                .unwrap()
        };
        let Ok(response) = req.send().await else {
            return unreachable();
        };
        let mut out = axum::http::Response::builder().status(response.status().as_u16());
        for (name, value) in response.headers() {
            out = out.header(name.as_str(), value.as_bytes());
        }
        match response.bytes().await {
            Ok(body) => out.body(Body::from(body)).unwrap(),
            Err(_) => unreachable(),
        }
    }

    pub fn new(router: Router) -> Client {
        Client {
            router: Some(router),
            remote: None,
            cookies: BTreeMap::new(),
            peer: ([127, 0, 0, 1], 40000).into(),
            forwarded_for: None,
        }
    }

    /// This client connects from `ip` (one person, one household).
    pub fn at_ip(mut self, ip: &str) -> Client {
        self.peer = std::net::SocketAddr::new(ip.parse().expect("an IP address"), 40000);
        self
    }

    /// Every request carries this X-Forwarded-For header.
    pub fn forwarded_for(mut self, value: &str) -> Client {
        self.forwarded_for = Some(value.to_string());
        self
    }

    /// The value of the cookie `name` this client holds, as a browser's cookie store would.
    pub fn cookie(&self, name: &str) -> Option<&str> {
        self.cookies.get(name).map(String::as_str)
    }

    /// This client with `other`'s cookies: the same browser, its next request reaching
    /// another app instance.
    pub fn with_cookies_of(mut self, other: &Client) -> Client {
        self.cookies = other.cookies.clone();
        self
    }

    /// Puts a cookie into this client's store as if someone else had planted it there.
    pub fn set_cookie(&mut self, name: &str, value: &str) {
        self.cookies.insert(name.to_string(), value.to_string());
    }

    fn cookie_header(&self) -> Option<String> {
        if self.cookies.is_empty() {
            return None;
        }
        Some(
            self.cookies
                .iter()
                .map(|(k, v)| format!("{k}={v}"))
                .collect::<Vec<_>>()
                .join("; "),
        )
    }

    async fn send(&mut self, mut request: Request<Body>) -> Page {
        request
            .extensions_mut()
            .insert(axum::extract::ConnectInfo(self.peer));
        if let Some(xff) = &self.forwarded_for {
            request
                .headers_mut()
                .insert("x-forwarded-for", xff.parse().expect("a header value"));
        }
        let response = match (&self.router, &self.remote) {
            (Some(router), _) => router
                .clone()
                .oneshot(request)
                .await
                .expect("the router never fails"),
            (None, Some(remote)) => Self::send_remote(remote, request).await,
            (None, None) => unreachable!("a client is in-process or remote"),
        };
        for value in response.headers().get_all(header::SET_COOKIE) {
            let value = value.to_str().expect("ascii cookie");
            let pair = value.split(';').next().unwrap_or_default();
            if let Some((name, val)) = pair.split_once('=') {
                let expired = value.to_ascii_lowercase().contains("max-age=0");
                if expired || val.is_empty() {
                    self.cookies.remove(name.trim());
                } else {
                    self.cookies
                        .insert(name.trim().to_string(), val.to_string());
                }
            }
        }
        let status = response.status();
        let headers = response.headers().clone();
        let location = headers
            .get(header::LOCATION)
            .map(|v| v.to_str().unwrap().to_string());
        let bytes = axum::body::to_bytes(response.into_body(), 16 * 1024 * 1024)
            .await
            .expect("body");
        Page {
            status,
            location,
            headers,
            body: String::from_utf8_lossy(&bytes).into_owned(),
        }
    }

    pub async fn get(&mut self, path: &str) -> Page {
        let mut req = Request::get(path);
        if let Some(c) = self.cookie_header() {
            req = req.header(header::COOKIE, c);
        }
        self.send(req.body(Body::empty()).unwrap()).await
    }

    pub async fn post_form(&mut self, path: &str, fields: &[(&str, &str)]) -> Page {
        let body = url::form_urlencoded::Serializer::new(String::new())
            .extend_pairs(fields)
            .finish();
        let mut req =
            Request::post(path).header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
        if let Some(c) = self.cookie_header() {
            req = req.header(header::COOKIE, c);
        }
        self.send(req.body(Body::from(body)).unwrap()).await
    }

    /// POSTs `body` as it is, labelled as a urlencoded form: for bytes no browser would send.
    pub async fn post_raw(&mut self, path: &str, body: Vec<u8>) -> Page {
        let mut req =
            Request::post(path).header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
        if let Some(c) = self.cookie_header() {
            req = req.header(header::COOKIE, c);
        }
        self.send(req.body(Body::from(body)).unwrap()).await
    }

    /// POSTs a multipart/form-data body as a browser does for a form with a file input:
    /// `fields` as text parts, then each file as (field name, file name, bytes).
    pub async fn post_multipart(
        &mut self,
        path: &str,
        fields: &[(&str, &str)],
        files: &[(&str, &str, &[u8])],
    ) -> Page {
        let typed: Vec<(&str, &str, &str, &[u8])> = files
            .iter()
            .map(|(name, file_name, bytes)| (*name, *file_name, "text/csv", *bytes))
            .collect();
        self.post_multipart_typed(path, fields, &typed).await
    }

    /// [`post_multipart`](Self::post_multipart) with each file's Content-Type as the
    /// browser declares it: (field name, file name, type, bytes).
    pub async fn post_multipart_typed(
        &mut self,
        path: &str,
        fields: &[(&str, &str)],
        files: &[(&str, &str, &str, &[u8])],
    ) -> Page {
        let boundary = "----madoguchi-test-boundary-7MA4YWxkTrZu0gW";
        let mut body: Vec<u8> = Vec::new();
        for (name, value) in fields {
            body.extend_from_slice(
                format!(
                    "--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n"
                )
                .as_bytes(),
            );
        }
        for (name, file_name, content_type, bytes) in files {
            body.extend_from_slice(
                format!(
                    "--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"; filename=\"{file_name}\"\r\nContent-Type: {content_type}\r\n\r\n"
                )
                .as_bytes(),
            );
            body.extend_from_slice(bytes);
            body.extend_from_slice(b"\r\n");
        }
        body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
        let mut req = Request::post(path)
            .header(
                header::CONTENT_TYPE,
                format!("multipart/form-data; boundary={boundary}"),
            )
            .header(header::CONTENT_LENGTH, body.len());
        if let Some(c) = self.cookie_header() {
            req = req.header(header::COOKIE, c);
        }
        self.send(req.body(Body::from(body)).unwrap()).await
    }

    /// GET, keeping the body's bytes as they came (a Shift_JIS download is not UTF-8).
    /// In-process only.
    pub async fn get_bytes(&mut self, path: &str) -> (StatusCode, Vec<u8>) {
        let mut req = Request::get(path);
        if let Some(c) = self.cookie_header() {
            req = req.header(header::COOKIE, c);
        }
        let mut request = req.body(Body::empty()).unwrap();
        request
            .extensions_mut()
            .insert(axum::extract::ConnectInfo(self.peer));
        let router = self.router.clone().expect("an in-process client");
        let response = router
            .oneshot(request)
            .await
            .expect("the router never fails");
        let status = response.status();
        let bytes = axum::body::to_bytes(response.into_body(), 16 * 1024 * 1024)
            .await
            .expect("body");
        (status, bytes.to_vec())
    }

    /// GET, then follow redirects (at most 5).
    pub async fn get_following(&mut self, path: &str) -> Page {
        let mut page = self.get(path).await;
        for _ in 0..5 {
            match (&page.status, &page.location) {
                (s, Some(loc)) if s.is_redirection() => {
                    let loc = loc.clone();
                    page = self.get(&loc).await;
                }
                _ => break,
            }
        }
        page
    }
}
