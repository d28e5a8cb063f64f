//! Building the Alibaba Cloud and Tencent Cloud targets from `[gateway]`:
//! checked once at start-up, keys from the environment.

use anyhow::bail;

use super::{aliyun, tencent};
use crate::gateway::GatewayConfig;
use crate::gateway::target::{Target, check_url};

/// Alibaba Cloud: key id from `key_id_env`, secret from `auth_env`.
pub(in crate::gateway) fn aliyun_target(
    cfg: &GatewayConfig,
    key_id: Option<String>,
    secret: Option<String>,
) -> anyhow::Result<Target> {
    let (Some(key_id), Some(secret)) = (key_id, secret) else {
        bail!(
            "gateway.kind = \"aliyun\" needs environment variables {} (AccessKey ID) and {} (AccessKey secret)",
            cfg.key_id_env,
            cfg.auth_env
        );
    };
    let url = cfg.url.trim();
    let (sms, voice) = match url.is_empty() {
        true => (aliyun::SMS_ENDPOINT, aliyun::VOICE_ENDPOINT),
        false => (url, url),
    };
    check_url(sms, str::to_owned)?;
    Ok(Target::Aliyun {
        sms_endpoint: sms.to_owned(),
        voice_endpoint: voice.to_owned(),
        key_id: key_id.trim().to_owned(),
        secret: secret.trim().to_owned(),
        sign_name: cfg.sign_name.trim().to_owned(),
        template: cfg.template.trim().to_owned(),
        voice_template: cfg.voice_template.trim().to_owned(),
        show_number: cfg.from.trim().to_owned(),
    })
}

/// Tencent Cloud: SecretId from `key_id_env`, SecretKey from `auth_env`.
/// The signed `Host` is always the official one, so a test server (or a
/// proxy) at `url` checks the same signature Tencent would.
pub(in crate::gateway) fn tencent_target(
    cfg: &GatewayConfig,
    key_id: Option<String>,
    secret: Option<String>,
) -> anyhow::Result<Target> {
    let (Some(secret_id), Some(secret_key)) = (key_id, secret) else {
        bail!(
            "gateway.kind = \"tencent\" needs environment variables {} (SecretId) and {} (SecretKey)",
            cfg.key_id_env,
            cfg.auth_env
        );
    };
    let url = cfg.url.trim();
    let endpoint = if url.is_empty() {
        tencent::ENDPOINT
    } else {
        url
    };
    check_url(endpoint, str::to_owned)?;
    Ok(Target::Tencent {
        endpoint: endpoint.to_owned(),
        host: "sms.tencentcloudapi.com".to_owned(),
        region: cfg.region.trim().to_owned(),
        secret_id: secret_id.trim().to_owned(),
        secret_key: secret_key.trim().to_owned(),
        app_id: cfg.app_id.trim().to_owned(),
        sign_name: cfg.sign_name.trim().to_owned(),
        template: cfg.template.trim().to_owned(),
    })
}
