//! The vectors WeChat publishes with its sample code (WXBizMsgCrypt), and
//! values computed here step by step from the published recipe.

use super::*;

/// The sample code's key (`WXBizMsgCryptTest`, the Node and Python samples).
const SAMPLE_KEY: &str = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG";

/// The decryption sample: token `spamtest`, app id `wx2c2769f8efd9abc2`.
const SAMPLE_ENCRYPT: &str = "hyzAe4OzmOMbd6TvGdIOO6uBmdJoD0Fk53REIHvxYtJlE2B655HuD0m8KUePWB3+LrPXo87wzQ1QLvbeUgmBM4x6F8PGHQHFVAFmOD2LdJF9FrXpbUAh0B5GIItb52sn896wVsMSHGuPE328HnRGBcrS7C41IzDWyWNlZkyyXwon8T332jisa+h6tEDYsVticbSnyU8dKOIbgU6ux5VTjg3yt+WGzjlpKn6NPhRjpA912xMezR4kw6KWwMrCVKSVCZciVGCgavjIQ6X8tCOp3yZbGpy0VxpAe+77TszTfRd5RJSVO/HTnifJpXgCSUdUue1v6h0EIBYYI1BD1DlD+C0CR8e6OewpusjZ4uBl9FyJvnhvQl+q5rv1ixrcpCumEPo5MJSgM9ehVsNPfUM669WuMyVWQLCzpu9GhglF2PE=";

#[test]
fn the_sample_msg_signature_is_ours() {
    let parts = ["spamtest", "1409735669", "1320562132", SAMPLE_ENCRYPT];
    assert_eq!(
        signature(&parts),
        "5d197aaffba7e9b25a30732f161a50dee96bd5fa"
    );
    assert!(verify("5D197AAFFBA7E9B25A30732F161A50DEE96BD5FA", &parts));
    assert!(!verify("5d197aaffba7e9b25a30732f161a50dee96bd5fb", &parts));
}

#[test]
fn the_sample_ciphertext_decrypts_to_its_text_push() {
    let crypt = Crypt::new(SAMPLE_KEY, "wx2c2769f8efd9abc2").unwrap();
    let xml = crypt.decrypt(SAMPLE_ENCRYPT).unwrap();
    assert!(
        xml.contains("<Content><![CDATA[abcdteT]]></Content>"),
        "{xml}"
    );
    assert!(xml.contains("<MsgId>6054768590064713728</MsgId>"), "{xml}");
    let other = Crypt::new(SAMPLE_KEY, "wxb11529c136998cb6").unwrap();
    assert_eq!(other.decrypt(SAMPLE_ENCRYPT), Err(CryptError::OtherApp));
}

#[test]
fn the_sample_encryption_with_its_random_bytes_is_ours() {
    // WXBizMsgCryptTest: randomStr "aaaabbbbccccdddd", replyMsg "我是中文abcd123".
    let crypt = Crypt::new(SAMPLE_KEY, "wxb11529c136998cb6").unwrap();
    assert_eq!(
        crypt.encrypt_with(b"aaaabbbbccccdddd", "我是中文abcd123"),
        "jn1L23DB+6ELqJ+6bruv21Y6MD7KeIfP82D6gU39rmkgczbWwt5+3bnyg5K55bgVtVzd832WzZGMhkP72vVOfg=="
    );
}

#[test]
fn the_signature_is_sha1_of_the_sorted_concatenation() {
    // Sorted: "1409304348" < "pamtest" < "xxxxxx"; SHA-1 computed apart.
    let joined = "1409304348pamtestxxxxxx";
    let expected = hex::encode(Sha1::digest(joined.as_bytes()));
    assert_eq!(signature(&["pamtest", "1409304348", "xxxxxx"]), expected);
    assert_eq!(signature(&["xxxxxx", "pamtest", "1409304348"]), expected);
}

#[test]
fn the_plaintext_layout_is_random_length_message_app_id_padded_to_32() {
    let crypt = Crypt::new(SAMPLE_KEY, "wxapp").unwrap();
    let sealed = crypt.encrypt_with(&[7; 16], "hi");
    // Decrypt by hand with the key and IV the recipe names.
    let key = KEY_BASE64.decode(format!("{SAMPLE_KEY}=")).unwrap();
    let bytes = STANDARD.decode(&sealed).unwrap();
    assert_eq!(bytes.len(), 32, "16 + 4 + 2 + 5 = 27 bytes pad to 32");
    let mut blocks: Vec<aes::Block> = bytes
        .chunks_exact(16)
        .map(|c| aes::Block::try_from(c).unwrap())
        .collect();
    let (k, iv): ([u8; 32], [u8; 16]) =
        (key[..].try_into().unwrap(), key[..16].try_into().unwrap());
    cbc::Decryptor::<Aes256>::new(&k.into(), &iv.into()).decrypt_blocks(&mut blocks);
    let plain = blocks.concat();
    assert_eq!(&plain[..16], &[7; 16]);
    assert_eq!(&plain[16..20], &[0, 0, 0, 2]);
    assert_eq!(&plain[20..27], b"hiwxapp");
    assert_eq!(&plain[27..], &[5; 5]);
    assert_eq!(crypt.decrypt(&sealed).unwrap(), "hi");
    assert_eq!(crypt.decrypt("not base64!"), Err(CryptError::BadCiphertext));
    assert_eq!(Crypt::new("short", "x").unwrap_err(), CryptError::BadKey);
}
