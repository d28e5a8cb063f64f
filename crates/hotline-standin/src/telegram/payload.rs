//! Turns a request (query string, JSON, form or multipart body) into one JSON object,
//! so that method handlers and the call log see the same shape whatever the encoding.
//! teloxide sends JSON, except for methods taking files (`sendPhoto`, `sendDocument`),
//! which it always sends as multipart with nested objects as JSON text.

use serde_json::{Map, Value};

/// Keys whose values stay text even when they look like numbers or booleans.
const TEXT_KEYS: &[&str] = &[
    "text",
    "caption",
    "callback_query_id",
    "description",
    "query",
];

pub(super) fn parse(content_type: &str, query: Option<&str>, body: &[u8]) -> Result<Value, String> {
    let mut map = Map::new();
    if let Some(q) = query {
        insert_pairs(&mut map, q.as_bytes());
    }
    let ctype = content_type.to_ascii_lowercase();
    if body.iter().all(u8::is_ascii_whitespace) {
        // Nothing more to read (GET, or a call without parameters).
    } else if ctype.starts_with("multipart/form-data") {
        let boundary = boundary(content_type).ok_or("multipart body without boundary")?;
        parse_multipart(&mut map, body, &boundary)?;
    } else if ctype.starts_with("application/x-www-form-urlencoded") {
        insert_pairs(&mut map, body);
    } else {
        match serde_json::from_slice(body) {
            Ok(Value::Object(obj)) => map.extend(obj),
            Ok(_) => return Err("the JSON body must be an object".to_owned()),
            Err(e) => return Err(format!("can't parse JSON body: {e}")),
        }
    }
    Ok(Value::Object(map))
}

fn insert_pairs(map: &mut Map<String, Value>, raw: &[u8]) {
    for (k, v) in url::form_urlencoded::parse(raw) {
        let value = coerce(&k, &v);
        map.insert(k.into_owned(), value);
    }
}

/// Text fields of forms carry JSON for nested objects, numbers and booleans.
fn coerce(key: &str, raw: &str) -> Value {
    if TEXT_KEYS.contains(&key) {
        return Value::String(raw.to_owned());
    }
    match serde_json::from_str::<Value>(raw) {
        Ok(v @ (Value::Object(_) | Value::Array(_) | Value::Number(_) | Value::Bool(_))) => v,
        _ => Value::String(raw.to_owned()),
    }
}

fn boundary(content_type: &str) -> Option<String> {
    let start = content_type.to_ascii_lowercase().find("boundary=")? + "boundary=".len();
    let rest = &content_type[start..];
    let value = rest.split(';').next()?.trim().trim_matches('"');
    (!value.is_empty()).then(|| value.to_owned())
}

/// Reads text parts as fields and file parts as `upload:<file name>`, resolving the
/// `attach://<part>` references teloxide puts into the fields.
fn parse_multipart(
    map: &mut Map<String, Value>,
    body: &[u8],
    boundary: &str,
) -> Result<(), String> {
    let delimiter = format!("--{boundary}");
    let mut files = Map::new();
    for chunk in split(body, delimiter.as_bytes()).into_iter().skip(1) {
        if chunk.starts_with(b"--") {
            break;
        }
        let (name, filename, data) = parse_part(chunk)?;
        match filename {
            Some(f) => files.insert(name, Value::String(format!("upload:{f}"))),
            None => map.insert(name.clone(), coerce(&name, &String::from_utf8_lossy(data))),
        };
    }
    for value in map.values_mut() {
        let target = value.as_str().and_then(|s| s.strip_prefix("attach://"));
        if let Some(file) = target.and_then(|part| files.get(part)) {
            *value = file.clone();
        }
    }
    Ok(())
}

/// The files of a multipart body: (file name, bytes); none for other bodies.
pub(super) fn uploads(content_type: &str, body: &[u8]) -> Vec<(String, Vec<u8>)> {
    let Some(boundary) = boundary(content_type) else {
        return Vec::new();
    };
    let delimiter = format!("--{boundary}");
    let parts = split(body, delimiter.as_bytes()).into_iter().skip(1);
    parts
        .take_while(|chunk| !chunk.starts_with(b"--"))
        .filter_map(|chunk| match parse_part(chunk) {
            Ok((_, Some(file), data)) => Some((file, data.to_vec())),
            _ => None,
        })
        .collect()
}

fn parse_part(chunk: &[u8]) -> Result<(String, Option<String>, &[u8]), String> {
    let chunk = chunk.strip_prefix(b"\r\n").unwrap_or(chunk);
    let end = find(chunk, b"\r\n\r\n").ok_or("multipart part without headers")?;
    let headers = String::from_utf8_lossy(&chunk[..end]);
    let data = &chunk[end + 4..];
    let data = data.strip_suffix(b"\r\n").unwrap_or(data);
    let disposition = headers
        .lines()
        .find(|l| l.to_ascii_lowercase().starts_with("content-disposition"))
        .ok_or("multipart part without Content-Disposition")?;
    let name = disposition_param(disposition, "name").ok_or("multipart part without name")?;
    Ok((name, disposition_param(disposition, "filename"), data))
}

fn disposition_param(line: &str, key: &str) -> Option<String> {
    line.split(';').map(str::trim).find_map(|p| {
        let (k, v) = p.split_once('=')?;
        (k.trim() == key).then(|| v.trim().trim_matches('"').to_owned())
    })
}

fn split<'a>(haystack: &'a [u8], needle: &[u8]) -> Vec<&'a [u8]> {
    let mut parts = Vec::new();
    let mut rest = haystack;
    while let Some(i) = find(rest, needle) {
        parts.push(&rest[..i]);
        rest = &rest[i + needle.len()..];
    }
    parts.push(rest);
    parts
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn form_values_are_coerced() {
        let v = parse(
            "application/x-www-form-urlencoded",
            None,
            b"chat_id=5&text=12&reply_markup=%7B%22a%22%3A1%7D",
        )
        .unwrap();
        assert_eq!(
            v,
            json!({"chat_id": 5, "text": "12", "reply_markup": {"a": 1}})
        );
    }

    #[test]
    fn multipart_resolves_attachments() {
        let body = b"--XX\r\nContent-Disposition: form-data; name=\"chat_id\"\r\n\r\n42\r\n\
--XX\r\nContent-Disposition: form-data; name=\"photo\"\r\n\r\nattach://p1\r\n\
--XX\r\nContent-Disposition: form-data; name=\"p1\"; filename=\"leak.jpg\"\r\n\
Content-Type: image/jpeg\r\n\r\n\xff\xd8\r\n--XX--\r\n";
        let v = parse("multipart/form-data; boundary=XX", None, body).unwrap();
        assert_eq!(v, json!({"chat_id": 42, "photo": "upload:leak.jpg"}));
        let files = uploads("multipart/form-data; boundary=XX", body);
        assert_eq!(files, vec![("leak.jpg".to_owned(), b"\xff\xd8".to_vec())]);
    }
}
