//! WeChat's API as the bot calls it: `GET /cgi-bin/token` for the
//! `access_token`, and the JSON posts (`message/custom/send`,
//! `message/template/send`) it signs in the query, and `media/get` for
//! residents' photos. WeChat answers HTTP 200
//! with `errcode` (0 or absent: done) and `errmsg`. The token and the
//! AppSecret travel in URLs, so no URL is ever logged or kept in an error.

use std::time::Duration;

use serde_json::Value;

/// How long one call may take.
const TIMEOUT: Duration = Duration::from_secs(10);
/// WeChat's own limit for an image message; a larger answer is not kept.
const MAX_MEDIA_BYTES: usize = 10 * 1024 * 1024;

/// Why a call did not go through.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ApiError {
    /// WeChat answered with an error code.
    #[error("wechat {code}: {message}")]
    Code { code: i64, message: String },
    /// No answer (connection refused or reset, timeout).
    #[error("wechat unreachable: {0}")]
    Unreachable(String),
    /// An answer that was not WeChat's JSON (a proxy's page, a 5xx).
    #[error("wechat answered oddly: {0}")]
    BadAnswer(String),
}

impl ApiError {
    /// WeChat's error code, if it gave one.
    pub fn code(&self) -> Option<i64> {
        match self {
            ApiError::Code { code, .. } => Some(*code),
            _ => None,
        }
    }
}

/// The account's client: where the API is, who the account is.
pub struct Api {
    http: reqwest::Client,
    base: String,
    app_id: String,
    secret: String,
}

impl std::fmt::Debug for Api {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never the secret.
        f.debug_struct("Api")
            .field("base", &self.base)
            .field("app_id", &self.app_id)
            .finish_non_exhaustive()
    }
}

impl Api {
    pub fn new(base: &str, app_id: &str, secret: String) -> anyhow::Result<Api> {
        let http = reqwest::Client::builder().timeout(TIMEOUT).build()?;
        Ok(Api {
            http,
            base: base.trim_end_matches('/').to_owned(),
            app_id: app_id.to_owned(),
            secret,
        })
    }

    pub fn app_id(&self) -> &str {
        &self.app_id
    }

    /// A new `access_token` and how long WeChat says it lives.
    pub async fn fetch_token(&self) -> Result<(String, Duration), ApiError> {
        let url = format!("{}/cgi-bin/token", self.base);
        let query = [
            ("grant_type", "client_credential"),
            ("appid", &self.app_id),
            ("secret", &self.secret),
        ];
        let answer = answer(self.http.get(url).query(&query).send().await).await?;
        let token = answer["access_token"].as_str().unwrap_or_default();
        if token.is_empty() {
            return Err(ApiError::BadAnswer("no access_token".into()));
        }
        let lives = answer["expires_in"].as_u64().unwrap_or(7200);
        Ok((token.to_owned(), Duration::from_secs(lives)))
    }

    /// Posts `body` to `path` (e.g. `/cgi-bin/message/custom/send`).
    pub async fn post(&self, path: &str, token: &str, body: &Value) -> Result<Value, ApiError> {
        let url = format!("{}{path}", self.base);
        let request = self.http.post(url).query(&[("access_token", token)]);
        answer(request.json(body).send().await).await
    }

    /// A temporary media's bytes and content type (`GET
    /// /cgi-bin/media/get`, served for 3 days after the resident sent it);
    /// an error comes back as WeChat's JSON instead of the bytes.
    pub async fn media(&self, token: &str, media_id: &str) -> Result<(Vec<u8>, String), ApiError> {
        let url = format!("{}/cgi-bin/media/get", self.base);
        let query = [("access_token", token), ("media_id", media_id)];
        let sent = self.http.get(url).query(&query).send().await;
        let response = sent.map_err(|e| ApiError::Unreachable(e.without_url().to_string()))?;
        let kind = response.headers().get(reqwest::header::CONTENT_TYPE);
        let kind = kind.and_then(|k| k.to_str().ok()).unwrap_or_default();
        let kind = kind.to_ascii_lowercase();
        if !response.status().is_success() || !kind.starts_with("image/") {
            return answer(Ok(response))
                .await
                .and_then(|_| Err(ApiError::BadAnswer(format!("not an image: {kind}"))));
        }
        if response.content_length().unwrap_or(0) > MAX_MEDIA_BYTES as u64 {
            return Err(ApiError::BadAnswer("a photo over 10 MB".into()));
        }
        let bytes = response.bytes().await;
        let bytes = bytes.map_err(|e| ApiError::Unreachable(e.without_url().to_string()))?;
        if bytes.len() > MAX_MEDIA_BYTES {
            return Err(ApiError::BadAnswer("a photo over 10 MB".into()));
        }
        Ok((bytes.to_vec(), kind))
    }
}

/// The JSON of a successful answer; WeChat's error code otherwise.
async fn answer(sent: reqwest::Result<reqwest::Response>) -> Result<Value, ApiError> {
    let response = sent.map_err(|e| ApiError::Unreachable(e.without_url().to_string()))?;
    let status = response.status();
    let body: Value = match response.json().await {
        Ok(body) => body,
        Err(error) => {
            let why = format!("HTTP {status}: {}", error.without_url());
            return Err(ApiError::BadAnswer(why));
        }
    };
    match body["errcode"].as_i64().unwrap_or(0) {
        0 => Ok(body),
        code => Err(ApiError::Code {
            code,
            message: body["errmsg"].as_str().unwrap_or_default().to_owned(),
        }),
    }
}
