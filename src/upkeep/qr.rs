//! `hotline qr --compound ID --bot NAME`: the QR code of a compound's poster,
//! a deep link (`https://t.me/<bot>?start=c-<id>`) that starts a report with
//! the compound filled in. The PNG is small enough to write by hand
//! (grayscale, uncompressed deflate), which spares an image library.

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
    let mut raw = Vec::with_capacity(side * (side + 1));
    for y in 0..side {
        raw.push(0); // filter: none
        for x in 0..side {
            let (mx, my) = (
                (x / SCALE) as i32 - BORDER as i32,
                (y / SCALE) as i32 - BORDER as i32,
            );
            raw.push(if qr.get_module(mx, my) { 0 } else { 255 });
        }
    }
    let mut ihdr = Vec::new();
    ihdr.extend((side as u32).to_be_bytes());
    ihdr.extend((side as u32).to_be_bytes());
    ihdr.extend([8, 0, 0, 0, 0]); // 8-bit grayscale, deflate, no filter, no interlace
    let mut out = b"\x89PNG\r\n\x1a\n".to_vec();
    chunk(&mut out, b"IHDR", &ihdr);
    chunk(&mut out, b"IDAT", &zlib_stored(&raw));
    chunk(&mut out, b"IEND", &[]);
    Ok(out)
}

fn chunk(out: &mut Vec<u8>, kind: &[u8; 4], data: &[u8]) {
    out.extend((data.len() as u32).to_be_bytes());
    let start = out.len();
    out.extend(kind);
    out.extend(data);
    let crc = crc32(&out[start..]);
    out.extend(crc.to_be_bytes());
}

/// zlib with "stored" (uncompressed) deflate blocks.
fn zlib_stored(data: &[u8]) -> Vec<u8> {
    let mut out = vec![0x78, 0x01];
    let blocks: Vec<&[u8]> = data.chunks(65_535).collect();
    for (i, block) in blocks.iter().enumerate() {
        out.push(u8::from(i + 1 == blocks.len()));
        let len = block.len() as u16;
        out.extend(len.to_le_bytes());
        out.extend((!len).to_le_bytes());
        out.extend(*block);
    }
    let (mut a, mut b) = (1u32, 0u32);
    for byte in data {
        a = (a + u32::from(*byte)) % 65_521;
        b = (b + a) % 65_521;
    }
    out.extend(((b << 16) | a).to_be_bytes());
    out
}

fn crc32(data: &[u8]) -> u32 {
    let mut crc = !0u32;
    for byte in data {
        crc ^= u32::from(*byte);
        for _ in 0..8 {
            crc = if crc & 1 == 1 {
                (crc >> 1) ^ 0xEDB8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
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
    fn checksums_match_known_values() {
        assert_eq!(crc32(b"IEND"), 0xAE42_6082);
        assert_eq!(
            &zlib_stored(b"a")[..],
            &[0x78, 0x01, 1, 1, 0, 0xfe, 0xff, b'a', 0, 0x62, 0, 0x62]
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
