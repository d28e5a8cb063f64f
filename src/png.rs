//! A small PNG encoder for the pictures the bot draws (the digest's chart,
//! QR posters): 8-bit palette images, every row filtered "Up" and
//! compressed by a fixed-Huffman deflate that only looks for runs
//! (distance 1). Such pictures are flat colour, so their rows mostly repeat
//! the one above and filter to zeros: a 640×320 chart is a few kilobytes,
//! with no image library.

/// A PNG of `pixels` (palette indices, row by row) in `palette`'s colours.
pub fn indexed(width: usize, height: usize, palette: &[[u8; 3]], pixels: &[u8]) -> Vec<u8> {
    assert_eq!(pixels.len(), width * height, "one index per pixel");
    let mut raw = Vec::with_capacity((width + 1) * height);
    for y in 0..height {
        raw.push(2); // filter: Up (the first row's "above" is zeros)
        let row = &pixels[y * width..(y + 1) * width];
        if y == 0 {
            raw.extend_from_slice(row);
        } else {
            let above = &pixels[(y - 1) * width..y * width];
            raw.extend(row.iter().zip(above).map(|(p, a)| p.wrapping_sub(*a)));
        }
    }
    let mut ihdr = Vec::with_capacity(13);
    ihdr.extend((width as u32).to_be_bytes());
    ihdr.extend((height as u32).to_be_bytes());
    ihdr.extend([8, 3, 0, 0, 0]); // 8 bits per index, palette, deflate, adaptive filters, no interlace
    let mut out = b"\x89PNG\r\n\x1a\n".to_vec();
    chunk(&mut out, b"IHDR", &ihdr);
    chunk(&mut out, b"PLTE", &palette.concat());
    chunk(&mut out, b"IDAT", &zlib(&raw));
    chunk(&mut out, b"IEND", &[]);
    out
}

fn chunk(out: &mut Vec<u8>, kind: &[u8; 4], data: &[u8]) {
    out.extend((data.len() as u32).to_be_bytes());
    let start = out.len();
    out.extend(kind);
    out.extend(data);
    let crc = crc32(&out[start..]);
    out.extend(crc.to_be_bytes());
}

/// Bits into bytes, least significant first, as deflate packs them.
#[derive(Default)]
struct Bits {
    out: Vec<u8>,
    acc: u32,
    n: u32,
}

impl Bits {
    fn put(&mut self, value: u32, count: u32) {
        self.acc |= value << self.n;
        self.n += count;
        while self.n >= 8 {
            self.out.push(self.acc as u8);
            self.acc >>= 8;
            self.n -= 8;
        }
    }

    /// A Huffman code goes most significant bit first.
    fn code(&mut self, code: u32, len: u32) {
        let reversed = (0..len).fold(0, |r, i| (r << 1) | ((code >> i) & 1));
        self.put(reversed, len);
    }

    /// A literal/length symbol of the fixed code (RFC 1951, 3.2.6).
    fn symbol(&mut self, s: u32) {
        match s {
            0..=143 => self.code(0x30 + s, 8),
            144..=255 => self.code(0x190 + s - 144, 9),
            256..=279 => self.code(s - 256, 7),
            _ => self.code(0xC0 + s - 280, 8),
        }
    }

    fn finish(mut self) -> Vec<u8> {
        if self.n > 0 {
            self.out.push(self.acc as u8);
        }
        self.out
    }
}

const LENGTH_BASE: [u32; 29] = [
    3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131,
    163, 195, 227, 258,
];
const LENGTH_EXTRA: [u32; 29] = [
    0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0,
];

/// zlib around one fixed-Huffman deflate block of literals and runs.
fn zlib(data: &[u8]) -> Vec<u8> {
    let mut bits = Bits::default();
    bits.put(1, 1); // the last block
    bits.put(1, 2); // fixed Huffman codes
    let mut i = 0;
    while i < data.len() {
        let run = if i == 0 {
            0
        } else {
            let previous = data[i - 1];
            data[i..]
                .iter()
                .take(258)
                .take_while(|b| **b == previous)
                .count()
        };
        if run >= 3 {
            let at = LENGTH_BASE
                .iter()
                .rposition(|b| *b as usize <= run)
                .unwrap_or(0);
            bits.symbol(257 + at as u32);
            bits.put(run as u32 - LENGTH_BASE[at], LENGTH_EXTRA[at]);
            bits.code(0, 5); // distance 1
            i += run;
        } else {
            bits.symbol(u32::from(data[i]));
            i += 1;
        }
    }
    bits.symbol(256);
    let mut out = vec![0x78, 0x01];
    out.extend(bits.finish());
    out.extend(adler32(data).to_be_bytes());
    out
}

fn adler32(data: &[u8]) -> u32 {
    let (mut a, mut b) = (1u32, 0u32);
    for byte in data {
        a = (a + u32::from(*byte)) % 65_521;
        b = (b + a) % 65_521;
    }
    (b << 16) | a
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
mod tests;
