//! One response body, two formats: the spec's JSON and XML share a shape
//! (objects, lists with a named element, text), so handlers build a [`Node`]
//! and the client's extension picks the rendering.

use serde_json::{Map, Value};

use crate::xml;

/// `.json` or `.xml`, from the path's extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Json,
    Xml,
}

impl Format {
    /// Splits `"requests.json"` into `("requests", Json)`.
    pub fn split(file: &str) -> Option<(&str, Format)> {
        let (stem, ext) = file.rsplit_once('.')?;
        let format = match ext {
            "json" => Format::Json,
            "xml" => Format::Xml,
            _ => return None,
        };
        Some((stem, format))
    }

    pub fn content_type(self) -> &'static str {
        match self {
            Format::Json => "application/json; charset=utf-8",
            Format::Xml => "text/xml; charset=utf-8",
        }
    }
}

/// A value in a response.
#[derive(Debug, Clone, PartialEq)]
pub enum Node {
    Null,
    Text(String),
    Int(i64),
    Float(f64),
    Bool(bool),
    Obj(Vec<(&'static str, Node)>),
    /// In XML each item is an element of this name.
    List(&'static str, Vec<Node>),
}

impl Node {
    pub fn text(s: impl Into<String>) -> Node {
        Node::Text(s.into())
    }

    pub fn opt(s: Option<impl Into<String>>) -> Node {
        s.map_or(Node::Null, |s| Node::Text(s.into()))
    }

    pub fn to_json(&self) -> Value {
        match self {
            Node::Null => Value::Null,
            Node::Text(s) => Value::String(s.clone()),
            Node::Int(i) => Value::from(*i),
            Node::Float(f) => Value::from(*f),
            Node::Bool(b) => Value::Bool(*b),
            Node::Obj(fields) => Value::Object(
                fields
                    .iter()
                    .map(|(k, v)| (k.to_string(), v.to_json()))
                    .collect::<Map<_, _>>(),
            ),
            Node::List(_, items) => Value::Array(items.iter().map(Node::to_json).collect()),
        }
    }

    /// The whole document, `root` being the outermost element.
    pub fn to_xml(&self, root: &str) -> String {
        let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>");
        self.write_xml(root, &mut out);
        out
    }

    fn write_xml(&self, tag: &str, out: &mut String) {
        match self {
            Node::Null => {
                out.push('<');
                out.push_str(tag);
                out.push_str("/>");
            }
            Node::Text(s) => element(tag, &xml::escape(s), out),
            Node::Int(i) => element(tag, &i.to_string(), out),
            Node::Float(f) => element(tag, &f.to_string(), out),
            Node::Bool(b) => element(tag, if *b { "true" } else { "false" }, out),
            Node::Obj(fields) => {
                out.push_str(&format!("<{tag}>"));
                for (k, v) in fields {
                    v.write_xml(k, out);
                }
                out.push_str(&format!("</{tag}>"));
            }
            Node::List(item, items) => {
                out.push_str(&format!("<{tag}>"));
                for v in items {
                    v.write_xml(item, out);
                }
                out.push_str(&format!("</{tag}>"));
            }
        }
    }

    pub fn render(&self, format: Format, root: &str) -> String {
        match format {
            Format::Json => self.to_json().to_string(),
            Format::Xml => self.to_xml(root),
        }
    }
}

fn element(tag: &str, inner: &str, out: &mut String) {
    out.push_str(&format!("<{tag}>{inner}</{tag}>"));
}

#[cfg(test)]
mod tests {
    use super::*;

    fn errors() -> Node {
        Node::List(
            "error",
            vec![Node::Obj(vec![
                ("code", Node::Int(403)),
                ("description", Node::text("Invalid api_key")),
            ])],
        )
    }

    #[test]
    fn errors_render_as_the_spec_shows() {
        assert_eq!(
            errors().render(Format::Json, "errors"),
            r#"[{"code":403,"description":"Invalid api_key"}]"#
        );
        assert_eq!(
            errors().render(Format::Xml, "errors"),
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?><errors><error><code>403</code>\
             <description>Invalid api_key</description></error></errors>"
        );
    }

    #[test]
    fn xml_text_is_escaped_and_null_is_empty() {
        let node = Node::Obj(vec![("a", Node::text("<b&'\u{1}")), ("c", Node::Null)]);
        assert_eq!(
            node.to_xml("r"),
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?><r><a>&lt;b&amp;&apos;</a><c/></r>"
        );
    }

    #[test]
    fn the_extension_picks_the_format() {
        assert_eq!(
            Format::split("requests.json"),
            Some(("requests", Format::Json))
        );
        assert_eq!(
            Format::split("JN-260209-0001.xml"),
            Some(("JN-260209-0001", Format::Xml))
        );
        assert_eq!(Format::split("requests.html"), None);
        assert_eq!(Format::split("requests"), None);
    }
}
