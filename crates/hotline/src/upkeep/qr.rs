//! `hotline qr --compound ID --bot NAME`: the QR code of a compound's poster,
//! a deep link (`https://t.me/<bot>?start=c-<id>`) that starts a report with
//! the compound filled in. Black and white modules drawn by `crate::png`,
//! which spares an image library.

use std::path::Path;

use qrcodegen::{QrCode, QrCodeEcc};

use crate::config::Config;

/// Pixels per module and the quiet zone around the code, in modules.
const SCALE: usize = 10;
const BORDER: usize = 4;

/// The poster's deep link.
pub fn link(bot: &str, compound_id: &str) -> String {
    let bot = bot.trim().trim_start_matches('@');
    format!("https://t.me/{bot}?start=c-{compound_id}")
}

pub fn run(config: &Config, compound: &str, bot: &str, out: Option<&Path>) -> anyhow::Result<()> {
    let Some(c) = config.compounds.iter().find(|c| c.id == compound) else {
        let ids: Vec<_> = config.compounds.iter().map(|c| c.id.as_str()).collect();
        anyhow::bail!(
            "no compound `{compound}` in the config (known: {})",
            ids.join(", ")
        );
    };
    anyhow::ensure!(!bot.trim().is_empty(), "--bot needs the bot's username");
    let url = link(bot, &c.id);
    let default = format!("qr-{}.png", c.id);
    let path = out.unwrap_or(Path::new(&default));
    std::fs::write(path, png(&url)?)
        .map_err(|e| anyhow::anyhow!("writing {}: {e}", path.display()))?;
    println!("{} ({}): {url}", c.name, c.id);
    println!("QR code written to {}", path.display());
    Ok(())
}

/// A PNG of the QR code of `text`.
pub fn png(text: &str) -> anyhow::Result<Vec<u8>> {
    let qr = QrCode::encode_text(text, QrCodeEcc::Medium)
        .map_err(|_| anyhow::anyhow!("the link is too long for a QR code"))?;
    let modules = qr.size() as usize + 2 * BORDER;
    let side = modules * SCALE;
    let mut pixels = Vec::with_capacity(side * side);
    for y in 0..side {
        for x in 0..side {
            let (mx, my) = (
                (x / SCALE) as i32 - BORDER as i32,
                (y / SCALE) as i32 - BORDER as i32,
            );
            pixels.push(u8::from(!qr.get_module(mx, my)));
        }
    }
    Ok(crate::png::indexed(
        side,
        side,
        &[[0, 0, 0], [255, 255, 255]],
        &pixels,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_link_carries_the_compound() {
        assert_eq!(
            link("@jn_water_bot", "yanshan"),
            "https://t.me/jn_water_bot?start=c-yanshan"
        );
    }

    #[test]
    fn the_png_has_a_square_image_header() {
        let png = png(&link("bot", "yanshan")).unwrap();
        assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n");
        assert_eq!(&png[12..16], b"IHDR");
        assert_eq!(png[16..20], png[20..24], "square");
        assert!(png.ends_with(&[0xAE, 0x42, 0x60, 0x82]));
    }
}
