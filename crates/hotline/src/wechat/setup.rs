//! The account's setup from the command line: `hotline wechat menu` sets
//! the custom menu (`cgi-bin/menu/create`) to CLICK items whose keys are
//! resident commands (`texts::wechat::MENU`: 报修 `/report`, 我的报修 `/my`,
//! 查询 `/status`; the server reads a CLICK's key as typed text), and
//! `hotline qr --wechat` prints each compound's poster scene
//! (`super::scene`) and creates its permanent QR code
//! (`cgi-bin/qrcode/create`, `QR_LIMIT_STR_SCENE`), printing the address
//! of its image (`showqrcode?ticket=…`). Both call with the `access_token`
//! the instances share through the database (`super::token`), so running
//! them beside the bot does not make the bot's token stale.

use std::sync::Arc;

use serde_json::{Value, json};

use super::scene;
use super::token::Tokens;
use crate::config::{CompoundConfig, Config};
use crate::store::Store;

/// Where a QR code's image is fetched with its ticket.
pub const SHOW_QR: &str = "https://mp.weixin.qq.com/cgi-bin/showqrcode";
/// WeChat takes a permanent QR code's scene of 1 to 64 characters.
const SCENE_MAX: usize = 64;

/// The custom menu as `menu/create` takes it.
pub fn menu() -> Value {
    let buttons: Vec<Value> = crate::texts::wechat::MENU
        .iter()
        .map(|(name, key)| json!({"type": "click", "name": name, "key": key}))
        .collect();
    json!({ "button": buttons })
}

/// A permanent QR code of `scene`, as `qrcode/create` takes it.
pub fn qrcode(scene: &str) -> Value {
    json!({
        "action_name": "QR_LIMIT_STR_SCENE",
        "action_info": {"scene": {"scene_str": scene}},
    })
}

/// The address of the image of the QR code WeChat gave `ticket` for.
pub fn show_url(ticket: &str) -> String {
    match reqwest::Url::parse_with_params(SHOW_QR, [("ticket", ticket)]) {
        Ok(url) => url.to_string(),
        Err(_) => format!("{SHOW_QR}?ticket={ticket}"),
    }
}

/// `hotline wechat menu`.
pub async fn set_menu(config: &Config) -> anyhow::Result<()> {
    let (tokens, store) = connect(config).await?;
    let done = tokens.post("/cgi-bin/menu/create", &menu()).await;
    store.close().await;
    done.map_err(|e| anyhow::anyhow!("the menu was not set: {e}"))?;
    for (name, key) in crate::texts::wechat::MENU {
        println!("{name}: {key}");
    }
    println!("custom menu set (WeChat shows it within about 5 minutes)");
    Ok(())
}

/// `hotline qr --wechat [--compound ID]`: each compound's scene, and with
/// `[wechat]` enabled its QR code created; exit 1 when one was not.
pub async fn posters(config: &Config, compound: Option<&str>) -> anyhow::Result<()> {
    let compounds = chosen(config, compound)?;
    if !config.wechat.enabled {
        for c in &compounds {
            println!("{} ({}): scene {}", c.name, c.id, scene::of_compound(&c.id));
        }
        println!("[wechat] is not enabled: no QR codes created");
        return Ok(());
    }
    let (tokens, store) = connect(config).await?;
    let mut failed = 0;
    for c in &compounds {
        let scene = scene::of_compound(&c.id);
        match create(&tokens, &scene).await {
            Ok(url) => println!("{} ({}): scene {scene}: {url}", c.name, c.id),
            Err(error) => {
                failed += 1;
                println!(
                    "{} ({}): scene {scene}: not created: {error:#}",
                    c.name, c.id
                );
            }
        }
    }
    store.close().await;
    anyhow::ensure!(failed == 0, "{failed} QR code(s) not created");
    Ok(())
}

/// The compound `id`, or every compound.
fn chosen<'a>(config: &'a Config, id: Option<&str>) -> anyhow::Result<Vec<&'a CompoundConfig>> {
    let all = &config.compounds;
    let chosen: Vec<_> = all
        .iter()
        .filter(|c| id.is_none_or(|id| c.id == id))
        .collect();
    if chosen.is_empty() {
        let ids: Vec<_> = all.iter().map(|c| c.id.as_str()).collect();
        anyhow::bail!(
            "no compound `{}` in the config (known: {})",
            id.unwrap_or_default(),
            ids.join(", ")
        );
    }
    Ok(chosen)
}

/// One permanent QR code of `scene`: its image's address.
async fn create(tokens: &Tokens, scene: &str) -> anyhow::Result<String> {
    anyhow::ensure!(
        scene.chars().count() <= SCENE_MAX,
        "the scene is longer than WeChat's {SCENE_MAX} characters (shorten the compound's id)"
    );
    let answer = tokens
        .post("/cgi-bin/qrcode/create", &qrcode(scene))
        .await?;
    let ticket = answer["ticket"].as_str().unwrap_or_default();
    anyhow::ensure!(!ticket.is_empty(), "WeChat gave no ticket");
    Ok(show_url(ticket))
}

/// The account's shared token, through the configured database.
async fn connect(config: &Config) -> anyhow::Result<(Tokens, Store)> {
    let wechat = &config.wechat;
    anyhow::ensure!(wechat.enabled, "[wechat] is not enabled in the config");
    let store = Store::connect(&config.database.url, 1).await?;
    let clock = Arc::new(crate::clock::SystemClock);
    let env = |key: &str| std::env::var(key).ok();
    Ok((super::tokens(wechat, env, store.clone(), clock)?, store))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_menu_is_three_click_items_within_wechats_limits() {
        let menu = menu();
        let buttons = menu["button"].as_array().unwrap();
        assert_eq!(buttons.len(), 3);
        assert_eq!(buttons[0]["name"], "报修");
        assert_eq!(buttons[0]["key"], "/report");
        for b in buttons {
            assert_eq!(b["type"], "click");
            assert!(b["name"].as_str().unwrap().len() <= 16, "{b}");
        }
    }

    #[test]
    fn a_poster_is_a_permanent_string_scene_shown_by_its_ticket() {
        let body = qrcode("c:yanshan");
        assert_eq!(body["action_name"], "QR_LIMIT_STR_SCENE");
        assert_eq!(body["action_info"]["scene"]["scene_str"], "c:yanshan");
        assert_eq!(
            show_url("gQH4+8/x=="),
            "https://mp.weixin.qq.com/cgi-bin/showqrcode?ticket=gQH4%2B8%2Fx%3D%3D"
        );
    }
}
