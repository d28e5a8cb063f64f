//! The encoder against a small fixed-Huffman inflater written from RFC 1951.

use super::*;

struct Reader<'a> {
    data: &'a [u8],
    bit: usize,
}

impl Reader<'_> {
    fn bits(&mut self, n: u32) -> u32 {
        (0..n).fold(0, |v, i| {
            let b = (self.data[self.bit / 8] >> (self.bit % 8)) & 1;
            self.bit += 1;
            v | (u32::from(b) << i)
        })
    }

    /// Huffman codes are read most significant bit first.
    fn code(&mut self, n: u32) -> u32 {
        (0..n).fold(0, |v, _| (v << 1) | self.bits(1))
    }

    fn symbol(&mut self) -> u32 {
        let mut code = self.code(7);
        if code <= 23 {
            return 256 + code;
        }
        code = (code << 1) | self.bits(1);
        match code {
            0x30..=0xBF => code - 0x30,
            0xC0..=0xC7 => 280 + code - 0xC0,
            _ => 144 + ((code << 1) | self.bits(1)) - 0x190,
        }
    }
}

fn inflate(zlib: &[u8]) -> Vec<u8> {
    assert_eq!(&zlib[..2], &[0x78, 0x01]);
    let mut r = Reader {
        data: &zlib[2..zlib.len() - 4],
        bit: 0,
    };
    assert_eq!((r.bits(1), r.bits(2)), (1, 1), "one final fixed block");
    let mut out: Vec<u8> = Vec::new();
    loop {
        match r.symbol() {
            s @ 0..=255 => out.push(s as u8),
            256 => break,
            s => {
                let at = (s - 257) as usize;
                let length = LENGTH_BASE[at] + r.bits(LENGTH_EXTRA[at]);
                let distance = r.code(5);
                assert!(distance < 4, "only short distances without extra bits");
                for _ in 0..length {
                    out.push(out[out.len() - 1 - distance as usize]);
                }
            }
        }
    }
    let tail = &zlib[zlib.len() - 4..];
    assert_eq!(tail, adler32(&out).to_be_bytes(), "checksum");
    out
}

#[test]
fn checksums_match_known_values() {
    assert_eq!(crc32(b"IEND"), 0xAE42_6082);
    assert_eq!(adler32(b"Wikipedia"), 0x11E6_0398);
    assert_eq!(adler32(b"a"), 0x0062_0062);
}

#[test]
fn deflate_round_trips_literals_and_runs_of_every_length() {
    let mut data = b"hotline \xff\x90 0".to_vec();
    for n in [1, 2, 3, 4, 10, 11, 12, 100, 227, 257, 258, 259, 600] {
        data.extend(std::iter::repeat_n((n % 251) as u8, n));
        data.push(7);
    }
    assert_eq!(inflate(&zlib(&data)), data);
}

#[test]
fn a_flat_image_is_small_and_well_formed() {
    let (w, h) = (640, 320);
    let mut pixels = vec![0u8; w * h];
    for y in 100..300 {
        pixels[y * w + 50..y * w + 90].fill(1);
    }
    let png = indexed(w, h, &[[255, 255, 255], [11, 79, 138]], &pixels);
    assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n");
    assert_eq!(&png[12..16], b"IHDR");
    assert_eq!(u32::from_be_bytes(png[16..20].try_into().unwrap()), 640);
    assert!(png.len() < 8_000, "{} bytes", png.len());
    assert!(png.ends_with(&[0xAE, 0x42, 0x60, 0x82]));
    // The IDAT holds every row: a filter byte and the row's differences.
    let idat = png.windows(4).position(|w| w == b"IDAT").unwrap();
    let len = u32::from_be_bytes(png[idat - 4..idat].try_into().unwrap()) as usize;
    let raw = inflate(&png[idat + 4..idat + 4 + len]);
    assert_eq!(raw.len(), (w + 1) * h);
    assert_eq!(raw[100 * (w + 1) + 1 + 50], 1, "the bar starts at row 100");
}
