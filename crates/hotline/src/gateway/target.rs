//! What a gateway request looks like: built once from the config (so a bad
//! setting fails at start-up, not on the first page at 3 a.m.), then filled
//! in per page — a generic HTTP request from templates, or Twilio's API.

use anyhow::{anyhow, bail};
use reqwest::header::{CONTENT_TYPE, HeaderName, HeaderValue};

use chrono::{DateTime, Utc};

use super::providers::{aliyun, tencent};
use super::template::{self, Escape, Values};
use super::{GatewayChannel, GatewayConfig, normalize_phone};
use crate::domain::EscalationId;
use crate::xml;

/// Twilio's API version path; the account SID follows it.
const TWILIO_API: &str = "2010-04-01/Accounts";

/// Everything needed to build a request, checked once at construction so a
/// bad setting fails at start-up rather than at 3 a.m. on the first page.
pub(super) enum Target {
    Http {
        method: reqwest::Method,
        url: String,
        url_escape: Escape,
        content_type: HeaderValue,
        body: String,
        body_escape: Escape,
        /// Marked sensitive, so reqwest's own `Debug` hides it too.
        auth: Option<(HeaderName, HeaderValue)>,
    },
    Twilio {
        endpoint: String,
        from: String,
        account: String,
        token: String,
    },
    Aliyun {
        sms_endpoint: String,
        voice_endpoint: String,
        key_id: String,
        secret: String,
        sign_name: String,
        template: String,
        voice_template: String,
        show_number: String,
    },
    Tencent {
        endpoint: String,
        host: String,
        region: String,
        secret_id: String,
        secret_key: String,
        app_id: String,
        sign_name: String,
        template: String,
    },
    /// Only robots are configured (`gateway.kind = "none"`).
    None,
}

impl Target {
    pub(super) fn request(
        &self,
        client: &reqwest::Client,
        channel: GatewayChannel,
        v: &Values<'_>,
        now: DateTime<Utc>,
        gather: Option<&str>,
    ) -> reqwest::RequestBuilder {
        match self {
            Target::Aliyun {
                sms_endpoint,
                voice_endpoint,
                key_id,
                secret,
                sign_name,
                template,
                voice_template,
                show_number,
            } => {
                let voice = channel == GatewayChannel::Voice;
                let send = aliyun::Send {
                    voice,
                    phone: v.phone,
                    template: if voice { voice_template } else { template },
                    sign_name_or_show_number: if voice { show_number } else { sign_name },
                    template_param: aliyun::template_param(v.escalation, v.text),
                };
                let form =
                    aliyun::signed_params(key_id, secret, &send, &crate::secret::nonce(), now);
                let mut body = url::form_urlencoded::Serializer::new(String::new());
                body.extend_pairs(form.iter());
                client
                    .post(if voice { voice_endpoint } else { sms_endpoint })
                    .header(CONTENT_TYPE, "application/x-www-form-urlencoded")
                    .body(body.finish())
            }
            Target::Tencent {
                endpoint,
                host,
                region,
                secret_id,
                secret_key,
                app_id,
                sign_name,
                template,
            } => {
                let body =
                    tencent::payload(app_id, sign_name, template, v.phone, v.escalation, v.text);
                let ts = now.timestamp();
                let auth = tencent::authorization(secret_id, secret_key, host, ts, &body);
                client
                    .post(endpoint)
                    .header(CONTENT_TYPE, tencent::CONTENT_TYPE)
                    .header("Authorization", auth)
                    .header("X-TC-Action", "SendSms")
                    .header("X-TC-Version", "2021-01-11")
                    .header("X-TC-Timestamp", ts.to_string())
                    .header("X-TC-Region", region.as_str())
                    .body(body)
            }
            // Never reached: `send_via` refuses before building a request.
            Target::None => client.get("http://127.0.0.1:9/"),
            Target::Http {
                method,
                url,
                url_escape,
                content_type,
                body,
                body_escape,
                auth,
            } => {
                let url = template::render(url, v, *url_escape);
                let mut req = client
                    .request(method.clone(), url)
                    .header(CONTENT_TYPE, content_type.clone())
                    .body(template::render(body, v, *body_escape));
                if let Some((name, value)) = auth {
                    req = req.header(name.clone(), value.clone());
                }
                req
            }
            Target::Twilio {
                endpoint,
                from,
                account,
                token,
            } => {
                let mut form = url::form_urlencoded::Serializer::new(String::new());
                form.append_pair("To", v.phone).append_pair("From", from);
                let url = match channel {
                    GatewayChannel::Sms => {
                        form.append_pair("Body", v.text);
                        format!("{endpoint}/Messages.json")
                    }
                    GatewayChannel::Voice => {
                        form.append_pair("Twiml", &twiml_say(v.text, gather));
                        format!("{endpoint}/Calls.json")
                    }
                };
                client
                    .post(url)
                    .basic_auth(account, Some(token))
                    .header(CONTENT_TYPE, "application/x-www-form-urlencoded")
                    .body(form.finish())
            }
        }
    }
}

pub(super) fn http_target(cfg: &GatewayConfig, secret: Option<String>) -> anyhow::Result<Target> {
    let method = reqwest::Method::from_bytes(cfg.method.trim().as_bytes())
        .map_err(|_| anyhow!("gateway.method `{}` is not an HTTP method", cfg.method))?;
    let content_type = HeaderValue::from_str(cfg.content_type.trim()).map_err(|_| {
        anyhow!(
            "gateway.content_type `{}` is not a valid header value",
            cfg.content_type
        )
    })?;
    let header_name = HeaderName::from_bytes(cfg.auth_header.trim().as_bytes()).map_err(|_| {
        anyhow!(
            "gateway.auth_header `{}` is not a valid header name",
            cfg.auth_header
        )
    })?;
    let auth = match secret {
        None => None,
        Some(secret) => {
            let mut value = HeaderValue::from_str(secret.trim()).map_err(|_| {
                anyhow!(
                    "environment variable {} holds characters not allowed in an HTTP header",
                    cfg.auth_env
                )
            })?;
            value.set_sensitive(true);
            Some((header_name, value))
        }
    };
    check_url(&cfg.url, |u| {
        template::render(
            u,
            &Values {
                phone: "+10000000000",
                text: "t",
                escalation: EscalationId(1),
                channel: "sms",
            },
            Escape::Url,
        )
    })?;
    Ok(Target::Http {
        method,
        url: cfg.url.trim().to_owned(),
        url_escape: Escape::Url,
        content_type,
        body: cfg.body.clone(),
        body_escape: Escape::for_content_type(&cfg.content_type),
        auth,
    })
}

pub(super) fn twilio_target(cfg: &GatewayConfig, secret: Option<String>) -> anyhow::Result<Target> {
    let env = &cfg.auth_env;
    let Some(secret) = secret else {
        bail!(
            "gateway.kind = \"twilio\" needs environment variable {env} set to ACCOUNT_SID:AUTH_TOKEN"
        );
    };
    let Some((account, token)) = secret.trim().split_once(':') else {
        bail!("environment variable {env} must be ACCOUNT_SID:AUTH_TOKEN (no `:` found)");
    };
    // The SID goes into the URL path: letters and digits only keeps it there.
    if account.is_empty() || token.is_empty() || !account.chars().all(|c| c.is_ascii_alphanumeric())
    {
        bail!(
            "environment variable {env} must be ACCOUNT_SID:AUTH_TOKEN (SID letters and digits, token non-empty)"
        );
    }
    if cfg.from.trim().is_empty() {
        bail!("gateway.from (the sending number) is required for twilio");
    }
    let base = cfg.url.trim().trim_end_matches('/');
    let endpoint = format!("{base}/{TWILIO_API}/{account}");
    check_url(&endpoint, str::to_owned)?;
    Ok(Target::Twilio {
        endpoint,
        from: normalize_phone(&cfg.from),
        account: account.to_owned(),
        token: token.to_owned(),
    })
}

/// Parses the URL with sample values filled in; the message names the key,
/// not the URL (it may carry an API key).
pub(super) fn check_url(url: &str, fill: impl Fn(&str) -> String) -> anyhow::Result<()> {
    let parsed = reqwest::Url::parse(&fill(url.trim()))
        .map_err(|e| anyhow!("gateway.url is not a valid URL: {e}"))?;
    if !matches!(parsed.scheme(), "http" | "https") {
        bail!("gateway.url must start with http:// or https://");
    }
    Ok(())
}

/// A call that reads the alert twice: a manager woken at night often misses
/// the first words. With `gather` (phone replies on) the reading waits for a
/// key, which Twilio posts to that URL.
fn twiml_say(text: &str, gather: Option<&str>) -> String {
    let say = format!("<Say loop=\"2\">{}</Say>", xml::escape(text));
    match gather {
        None => format!("<Response>{say}</Response>"),
        Some(action) => format!(
            "<Response><Gather numDigits=\"1\" method=\"POST\" action=\"{}\">{say}</Gather></Response>",
            xml::escape(action)
        ),
    }
}
