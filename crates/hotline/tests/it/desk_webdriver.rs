//! A small W3C WebDriver client for the desk's browser tests: Debian's
//! headless `chromium` driven through `chromedriver`, spoken to with the
//! reqwest and serde_json the project already builds (a WebDriver crate
//! would add its own HTTP stack to every build for a dozen JSON calls).
//!
//! Without chromium the browser tests skip with one loud line saying how to
//! install it, so the README's test command passes on a machine with Rust
//! alone; with `CI` set (`.ci/run` exports it) they are required and fail,
//! so CI cannot pass them by accident.

use std::os::unix::process::CommandExt;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

const CHROMIUM: &str = "/usr/bin/chromium";
const CHROMEDRIVER: &str = "/usr/bin/chromedriver";
/// The W3C name of an element reference in JSON.
const ELEMENT: &str = "element-6066-11e4-a52e-4f735466cecf";

/// A headless Chromium with its own profile, quit on drop.
pub struct Browser {
    http: reqwest::Client,
    session: String,
    driver: Child,
    _profile: tempfile::TempDir,
}

/// Starts a browser, or None when chromium is missing and the tests may skip.
pub async fn browser() -> Option<Browser> {
    let present = Path::new(CHROMIUM).exists() && Path::new(CHROMEDRIVER).exists();
    if !present {
        let ci = std::env::var("CI").is_ok_and(|v| !v.is_empty() && v != "0" && v != "false");
        let how = "the browser tests need Debian's chromium and chromium-driver \
                   (sudo apt-get install -y chromium chromium-driver; .ci/run installs them)";
        assert!(!ci, "{how}; CI is set, so they are required");
        static ONCE: std::sync::Once = std::sync::Once::new();
        ONCE.call_once(|| eprintln!("SKIPPING the desk's browser tests: {how}"));
        return None;
    }
    Some(Browser::start().await)
}

impl Browser {
    async fn start() -> Browser {
        let port = crate::desk_client::free_port();
        // Its own process group: dropping the browser ends chromedriver and
        // the Chromium it started, even when a test panics.
        let driver = Command::new(CHROMEDRIVER)
            .arg(format!("--port={port}"))
            .process_group(0)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("chromedriver starts");
        let http = reqwest::Client::new();
        let base = format!("http://127.0.0.1:{port}");
        let ready = Instant::now();
        while http.get(format!("{base}/status")).send().await.is_err() {
            assert!(
                ready.elapsed() < Duration::from_secs(30),
                "chromedriver is not answering"
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        let profile = tempfile::tempdir().unwrap();
        let args = [
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            // A phone's width: the desk must be usable at 360 px.
            "--window-size=390,1200",
        ];
        let mut args: Vec<String> = args.iter().map(|a| a.to_string()).collect();
        args.push(format!("--user-data-dir={}", profile.path().display()));
        let capabilities = json!({"capabilities": {"alwaysMatch": {
            "browserName": "chrome",
            "goog:chromeOptions": {"binary": CHROMIUM, "args": args},
        }}});
        let response: Value = http
            .post(format!("{base}/session"))
            .json(&capabilities)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let session = response["value"]["sessionId"]
            .as_str()
            .unwrap_or_else(|| panic!("no session: {response}"))
            .to_string();
        Browser {
            http,
            session: format!("{base}/session/{session}"),
            driver,
            _profile: profile,
        }
    }

    async fn call(&self, method: reqwest::Method, path: &str, body: Option<Value>) -> Value {
        let request = self.http.request(method, format!("{}{path}", self.session));
        let request = match body {
            Some(body) => request.json(&body),
            None => request,
        };
        let response: Value = request.send().await.unwrap().json().await.unwrap();
        response["value"].clone()
    }

    async fn post(&self, path: &str, body: Value) -> Value {
        self.call(reqwest::Method::POST, path, Some(body)).await
    }

    async fn get(&self, path: &str) -> Value {
        self.call(reqwest::Method::GET, path, None).await
    }

    pub async fn goto(&self, url: &str) {
        self.post("/url", json!({"url": url})).await;
    }

    /// The first element matching a CSS selector, if any.
    pub async fn find(&self, css: &str) -> Option<String> {
        let found = self
            .post("/element", json!({"using": "css selector", "value": css}))
            .await;
        found[ELEMENT].as_str().map(str::to_string)
    }

    /// Waits for an element (polling; the page may still be loading).
    pub async fn wait_for(&self, css: &str, timeout: Duration) -> Option<String> {
        let start = Instant::now();
        loop {
            if let Some(found) = self.find(css).await {
                return Some(found);
            }
            if start.elapsed() > timeout {
                return None;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    pub async fn click(&self, css: &str) {
        let Some(element) = self.wait_for(css, Duration::from_secs(10)).await else {
            let raw = self
                .post("/element", json!({"using": "css selector", "value": css}))
                .await;
            panic!("no {css} to click ({raw}) in {}", self.get("/source").await);
        };
        self.post(&format!("/element/{element}/click"), json!({}))
            .await;
    }

    /// Clicks a link and waits for `arrived` on the page it leads to. The
    /// live queue re-renders its rows, so a click can land on a row just
    /// replaced (WebDriver: stale element) and go nowhere; such a click is
    /// made again on the fresh row, as a person would click again.
    pub async fn follow(&self, link: &str, arrived: &str, timeout: Duration) -> bool {
        let start = Instant::now();
        while start.elapsed() < timeout {
            if self.find(arrived).await.is_some() {
                return true;
            }
            if self.find(link).await.is_some() {
                self.click(link).await;
            }
            if self
                .wait_for(arrived, Duration::from_secs(3))
                .await
                .is_some()
            {
                return true;
            }
        }
        false
    }

    pub async fn type_into(&self, css: &str, text: &str) {
        let element = self.wait_for(css, Duration::from_secs(10)).await;
        let element = element.unwrap_or_else(|| panic!("no {css} to type into"));
        self.post(&format!("/element/{element}/value"), json!({"text": text}))
            .await;
    }

    /// Types on the keyboard into whatever has the focus, as a person
    /// would (W3C key actions): `\u{E004}` is Tab, `\u{E007}` Enter,
    /// `\u{E015}` the down arrow.
    pub async fn keys(&self, text: &str) {
        let actions: Vec<Value> = text
            .chars()
            .flat_map(|c| {
                let key = c.to_string();
                [
                    json!({"type": "keyDown", "value": key}),
                    json!({"type": "keyUp", "value": key}),
                ]
            })
            .collect();
        let keyboard = json!({"type": "key", "id": "keyboard", "actions": actions});
        self.post("/actions", json!({"actions": [keyboard]})).await;
    }

    /// The id of the element that has the focus.
    pub async fn focused(&self) -> String {
        let id = self.script("return document.activeElement.id;").await;
        id.as_str().unwrap_or_default().to_string()
    }

    /// The visible text of the first element matching `css`.
    pub async fn text(&self, css: &str) -> String {
        let element = self.wait_for(css, Duration::from_secs(10)).await;
        let element = element.unwrap_or_else(|| panic!("no {css}"));
        let text = self.get(&format!("/element/{element}/text")).await;
        text.as_str().unwrap_or_default().to_string()
    }

    /// Runs a script in the page and returns its value.
    pub async fn script(&self, script: &str) -> Value {
        self.post("/execute/sync", json!({"script": script, "args": []}))
            .await
    }

    /// Resizes the window (W3C `Set Window Rect`), e.g. to a phone's width.
    pub async fn set_window(&self, rect: Value) {
        self.post("/window/rect", rect).await;
    }

    pub async fn url(&self) -> String {
        self.get("/url")
            .await
            .as_str()
            .unwrap_or_default()
            .to_string()
    }

    /// Resizes the window until the page's viewport is `width` CSS px wide
    /// (a phone's width), whatever the window's frame takes.
    pub async fn set_viewport_width(&self, width: i64) {
        let mut outer = width;
        for _ in 0..3 {
            self.post("/window/rect", json!({"width": outer, "height": 900}))
                .await;
            let inner = self.script("return window.innerWidth;").await;
            let inner = inner.as_i64().unwrap_or(width);
            if inner == width {
                return;
            }
            outer += width - inner;
        }
    }

    /// Quits Chromium through the driver (drop then stops the driver).
    pub async fn quit(self) {
        let _ = self.http.delete(&self.session).send().await;
    }

    /// Saves a PNG of the page when `HOTLINE_SCREENSHOTS` names a folder; a
    /// relative one is taken from the workspace's root (tests run in
    /// `crates/hotline`), so `HOTLINE_SCREENSHOTS=docs` renews the README's.
    pub async fn screenshot(&self, name: &str) {
        let Ok(folder) = std::env::var("HOTLINE_SCREENSHOTS") else {
            return;
        };
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
        let folder = root.join(folder);
        std::fs::create_dir_all(&folder).unwrap();
        let png = self.get("/screenshot").await;
        let bytes = decode_base64(png.as_str().unwrap_or_default());
        std::fs::write(folder.join(name), bytes).unwrap();
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        let group = format!("-{}", self.driver.id());
        let _ = Command::new("kill")
            .args(["-KILL", "--", &group])
            .stderr(Stdio::null())
            .status();
        let _ = self.driver.wait();
    }
}

fn decode_base64(text: &str) -> Vec<u8> {
    let value = |c: u8| match c {
        b'A'..=b'Z' => c - b'A',
        b'a'..=b'z' => c - b'a' + 26,
        b'0'..=b'9' => c - b'0' + 52,
        b'+' => 62,
        _ => 63,
    };
    let digits: Vec<u8> = text.bytes().filter(|c| *c != b'=').map(value).collect();
    let mut out = Vec::with_capacity(digits.len() * 3 / 4);
    for chunk in digits.chunks(4) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |n, (i, d)| n | (u32::from(*d) << (18 - 6 * i)));
        let bytes = n.to_be_bytes();
        out.extend_from_slice(&bytes[1..chunk.len()]);
    }
    out
}
