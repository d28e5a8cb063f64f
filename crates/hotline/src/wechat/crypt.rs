//! WeChat's message security, pure: the URL signature (SHA-1 of the sorted
//! token, timestamp and nonce), the encrypted mode's `msg_signature` (the
//! same with the ciphertext as a fourth part) and AES-256-CBC with the
//! account's `EncodingAESKey` (key = Base64 of the 43 characters plus `=`,
//! IV = the key's first 16 bytes, PKCS#7 padding to 32 bytes; the plaintext
//! is random(16) + big-endian length(4) + message + app id).
//! Checked against the vectors of WeChat's sample code and values computed
//! independently in the tests below.

use aes::Aes256;
use base64::Engine as _;
use base64::engine::general_purpose::{GeneralPurpose, GeneralPurposeConfig, STANDARD};
use cbc::cipher::{BlockModeDecrypt, BlockModeEncrypt, KeyIvInit};
use sha1::{Digest as _, Sha1};

/// The key's last character carries bits past its 32 bytes, which
/// WeChat's own samples ignore; a strict decoder would refuse the key.
const KEY_BASE64: GeneralPurpose = GeneralPurpose::new(
    &base64::alphabet::STANDARD,
    GeneralPurposeConfig::new().with_decode_allow_trailing_bits(true),
);

/// WeChat pads to multiples of 32 bytes (the key's length), not AES's 16.
const PAD_TO: usize = 32;

/// SHA-1 hex of the parts sorted and joined: `signature` with three parts,
/// `msg_signature` with the ciphertext as the fourth.
pub fn signature(parts: &[&str]) -> String {
    let mut sorted = parts.to_vec();
    sorted.sort_unstable();
    hex::encode(Sha1::digest(sorted.concat().as_bytes()))
}

/// Whether `given` is the signature of `parts`, compared in constant time.
pub fn verify(given: &str, parts: &[&str]) -> bool {
    crate::secret::same(&signature(parts), &given.to_ascii_lowercase())
}

/// Why an encrypted message was not accepted.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum CryptError {
    #[error("the EncodingAESKey must be 43 characters of Base64")]
    BadKey,
    #[error("the ciphertext is not Base64 of whole 16-byte blocks")]
    BadCiphertext,
    #[error("the padding or the length inside the message is wrong")]
    BadPlaintext,
    #[error("the message is for another app id")]
    OtherApp,
}

/// The account's AES key and app id.
#[derive(Clone)]
pub struct Crypt {
    key: [u8; 32],
    app_id: String,
}

impl std::fmt::Debug for Crypt {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Crypt({}, ***)", self.app_id)
    }
}

impl Crypt {
    pub fn new(encoding_aes_key: &str, app_id: &str) -> Result<Crypt, CryptError> {
        if encoding_aes_key.len() != 43 {
            return Err(CryptError::BadKey);
        }
        let bytes = KEY_BASE64
            .decode(format!("{encoding_aes_key}="))
            .map_err(|_| CryptError::BadKey)?;
        let key: [u8; 32] = bytes.try_into().map_err(|_| CryptError::BadKey)?;
        Ok(Crypt {
            key,
            app_id: app_id.to_owned(),
        })
    }

    fn iv(&self) -> [u8; 16] {
        let mut iv = [0; 16];
        iv.copy_from_slice(&self.key[..16]);
        iv
    }

    /// Base64 ciphertext of `message` with the given 16 random bytes.
    pub fn encrypt_with(&self, random: &[u8; 16], message: &str) -> String {
        let mut plain = random.to_vec();
        plain.extend_from_slice(&(message.len() as u32).to_be_bytes());
        plain.extend_from_slice(message.as_bytes());
        plain.extend_from_slice(self.app_id.as_bytes());
        let pad = PAD_TO - plain.len() % PAD_TO;
        plain.extend(std::iter::repeat_n(pad as u8, pad));
        let mut blocks: Vec<aes::Block> = plain
            .chunks_exact(16)
            .map(|c| aes::Block::try_from(c).expect("16 bytes"))
            .collect();
        cbc::Encryptor::<Aes256>::new(&self.key.into(), &self.iv().into())
            .encrypt_blocks(&mut blocks);
        STANDARD.encode(blocks.concat())
    }

    /// Base64 ciphertext of `message` with fresh random bytes.
    pub fn encrypt(&self, message: &str) -> String {
        self.encrypt_with(&crate::secret::random_bytes::<16>(), message)
    }

    /// The message inside a Base64 ciphertext, if it is for this app id.
    pub fn decrypt(&self, ciphertext: &str) -> Result<String, CryptError> {
        let bytes = STANDARD
            .decode(ciphertext.trim())
            .map_err(|_| CryptError::BadCiphertext)?;
        if bytes.is_empty() || bytes.len() % 16 != 0 {
            return Err(CryptError::BadCiphertext);
        }
        let mut blocks: Vec<aes::Block> = bytes
            .chunks_exact(16)
            .map(|c| aes::Block::try_from(c).expect("16 bytes"))
            .collect();
        cbc::Decryptor::<Aes256>::new(&self.key.into(), &self.iv().into())
            .decrypt_blocks(&mut blocks);
        let plain = blocks.concat();
        let pad = usize::from(*plain.last().ok_or(CryptError::BadPlaintext)?);
        if !(1..=PAD_TO).contains(&pad) || pad > plain.len() || plain.len() < 20 + pad {
            return Err(CryptError::BadPlaintext);
        }
        let body = &plain[16..plain.len() - pad];
        let len = u32::from_be_bytes(body[..4].try_into().expect("4 bytes")) as usize;
        let rest = &body[4..];
        if len > rest.len() {
            return Err(CryptError::BadPlaintext);
        }
        let (message, app_id) = rest.split_at(len);
        if app_id != self.app_id.as_bytes() {
            return Err(CryptError::OtherApp);
        }
        String::from_utf8(message.to_vec()).map_err(|_| CryptError::BadPlaintext)
    }
}

#[cfg(test)]
#[path = "crypt_tests.rs"]
mod tests;
