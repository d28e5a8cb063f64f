//! WeChat Official Account (服务号), the residents' second chat channel
//! (issue 28): the protocol (`crypt`: signatures and the encrypted mode;
//! `push`: the XML pushes and the passive reply), pure; the server URL on the
//! instance's HTTP server (`server`), which turns a push into the chat
//! layer's `Incoming` like `crate::telegram` turns an update (a poster's
//! scan through `scene`, a photo kept through `photo`); and sending:
//! the API client (`api`), the `access_token` shared by all instances
//! (`token`), the outbox's messages as WeChat's (`message`, pure) and the
//! outbox's port to WeChat (`deliver`).

pub mod api;
pub mod crypt;
pub mod deliver;
pub mod ids;
pub mod message;
pub mod passive;
pub mod photo;
pub mod push;
pub mod scene;
pub mod server;
pub mod setup;
pub mod token;

pub use deliver::WechatDeliver;

/// The account's API client with the `access_token` the instances share,
/// its AppSecret read through `env`.
pub fn tokens(
    config: &crate::config::WechatConfig,
    env: impl Fn(&str) -> Option<String>,
    store: crate::store::Store,
    clock: std::sync::Arc<dyn crate::clock::Clock>,
) -> anyhow::Result<token::Tokens> {
    let secret = env(&config.secret_env).filter(|s| !s.trim().is_empty());
    let secret = secret.ok_or_else(|| {
        anyhow::anyhow!(
            "wechat: the variable {} holds no AppSecret",
            config.secret_env
        )
    })?;
    let api = api::Api::new(&config.api_url, &config.app_id, secret)?;
    Ok(token::Tokens::new(api, store, clock))
}

/// The port the outbox sends WeChat residents' rows through, when the
/// account is enabled; its AppSecret read through `env` like the Token.
pub fn deliver(
    config: &crate::config::WechatConfig,
    env: impl Fn(&str) -> Option<String>,
    store: crate::store::Store,
    clock: std::sync::Arc<dyn crate::clock::Clock>,
) -> anyhow::Result<Option<WechatDeliver>> {
    if !config.enabled {
        return Ok(None);
    }
    let tokens = tokens(config, &env, store.clone(), clock)?;
    Ok(Some(WechatDeliver::new(
        tokens,
        store,
        config.templates.clone(),
    )))
}
