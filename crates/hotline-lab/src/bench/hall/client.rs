//! An operator's browser, as far as the bench needs one: signed in with a
//! one-time link printed by `hotline desk link <person>` (the path that
//! needs no Telegram), the session cookie and the CSRF token kept, every
//! request timed from send to the last byte of the body.

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use anyhow::Context;
use reqwest::StatusCode;
use reqwest::header::{COOKIE, SET_COOKIE};

/// A signed-in desk session.
#[derive(Clone)]
pub struct Operator {
    http: reqwest::Client,
    base: String,
    cookie: String,
    pub csrf: String,
}

/// One timed answer.
pub struct Answer {
    pub status: StatusCode,
    pub took: Duration,
    pub body: String,
}

/// Runs `<exe> desk link <person> --config <config>` and returns the link.
pub fn desk_link(exe: &Path, config: &Path, person: &str) -> anyhow::Result<String> {
    let out = Command::new(exe)
        .args(["desk", "link", person, "--config"])
        .arg(config)
        .env_remove("HOTLINE_CONFIG")
        .output()
        .with_context(|| format!("running {} desk link", exe.display()))?;
    let printed = String::from_utf8_lossy(&out.stdout);
    anyhow::ensure!(
        out.status.success(),
        "`hotline desk link` failed: {printed} {}",
        String::from_utf8_lossy(&out.stderr)
    );
    printed
        .split_whitespace()
        .find(|w| w.starts_with("http") && w.contains("/desk/signin?t="))
        .map(str::to_owned)
        .with_context(|| format!("no sign-in link in {printed}"))
}

impl Operator {
    /// Signs in with `link` (its POST, as the page's button does) and reads
    /// the session's CSRF token off the queue page.
    pub async fn sign_in(base: &str, link: &str) -> anyhow::Result<Operator> {
        let http = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .timeout(Duration::from_secs(120))
            .build()?;
        let token = link.split("t=").nth(1).context("a link without t=")?;
        let answer = http
            .post(format!("{base}/desk/signin"))
            .form(&[("t", token)])
            .send()
            .await
            .context("signing in")?;
        let cookie = answer
            .headers()
            .get_all(SET_COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .find(|v| v.starts_with("desk_session="))
            .and_then(|v| v.split(';').next())
            .map(str::to_owned)
            .with_context(|| format!("no session cookie ({})", answer.status()))?;
        let mut operator = Operator {
            http,
            base: base.to_owned(),
            cookie,
            csrf: String::new(),
        };
        let queue = operator.get("/desk").await?;
        anyhow::ensure!(
            queue.status == StatusCode::OK,
            "the queue: {}",
            queue.status
        );
        let at = queue
            .body
            .find("name=\"csrf\" value=\"")
            .context("no CSRF field on the queue page")?
            + 19;
        operator.csrf = queue.body[at..].chars().take_while(|c| *c != '"').collect();
        Ok(operator)
    }

    pub async fn get(&self, path: &str) -> anyhow::Result<Answer> {
        let request = self
            .http
            .get(format!("{}{path}", self.base))
            .header(COOKIE, &self.cookie);
        timed(request).await
    }

    pub async fn post(&self, path: &str, form: &[(&str, String)]) -> anyhow::Result<Answer> {
        let request = self
            .http
            .post(format!("{}{path}", self.base))
            .header(COOKIE, &self.cookie)
            .form(form);
        timed(request).await
    }
}

async fn timed(request: reqwest::RequestBuilder) -> anyhow::Result<Answer> {
    let started = Instant::now();
    let answer = request.send().await.context("a desk request")?;
    let status = answer.status();
    let body = answer.text().await.context("reading a desk answer")?;
    Ok(Answer {
        status,
        took: started.elapsed(),
        body,
    })
}
