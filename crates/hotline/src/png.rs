//! PNG files of the pictures the bot draws (the digest's chart, QR
//! posters): 8-bit palette images, encoded by the `png` crate (image-rs's
//! encoder — checksums, filtering and deflate are not ours to get right).
//! Such pictures are flat colour, so a 640×320 chart is a few kilobytes.

/// A PNG of `pixels` (palette indices, row by row) in `palette`'s colours.
pub fn indexed(width: usize, height: usize, palette: &[[u8; 3]], pixels: &[u8]) -> Vec<u8> {
    assert_eq!(pixels.len(), width * height, "one index per pixel");
    assert!(
        (1..=256).contains(&palette.len()),
        "a palette of 1 to 256 colours"
    );
    let mut out = Vec::new();
    let mut encoder = png::Encoder::new(&mut out, width as u32, height as u32);
    encoder.set_color(png::ColorType::Indexed);
    encoder.set_depth(png::BitDepth::Eight);
    encoder.set_palette(palette.concat());
    encoder.set_compression(png::Compression::High);
    // Writing into memory cannot fail once the sizes above agree.
    let mut writer = encoder.write_header().expect("a PNG header in memory");
    writer
        .write_image_data(pixels)
        .expect("PNG image data in memory");
    writer.finish().expect("a finished PNG in memory");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Decodes `png` back to its size and palette indices.
    fn decode(png: &[u8]) -> (u32, u32, Vec<u8>) {
        let mut reader = png::Decoder::new(std::io::Cursor::new(png))
            .read_info()
            .unwrap();
        let mut buf = vec![0; reader.output_buffer_size().unwrap()];
        let info = reader.next_frame(&mut buf).unwrap();
        buf.truncate(info.buffer_size());
        (info.width, info.height, buf)
    }

    #[test]
    fn a_flat_image_is_small_and_decodes_to_the_same_pixels() {
        let (w, h) = (640, 320);
        let mut pixels = vec![0u8; w * h];
        for y in 100..300 {
            pixels[y * w + 50..y * w + 90].fill(1);
        }
        let png = indexed(w, h, &[[255, 255, 255], [11, 79, 138]], &pixels);
        assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n");
        assert!(png.len() < 8_000, "{} bytes", png.len());
        let (dw, dh, decoded) = decode(&png);
        assert_eq!((dw, dh), (640, 320));
        assert_eq!(decoded, pixels, "every pixel survives the round trip");
        assert_eq!(decoded[100 * w + 50], 1, "the bar starts at row 100");
    }
}
