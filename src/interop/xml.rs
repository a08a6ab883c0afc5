//! A small element tree over quick-xml, with the byte offset of every element.
//!
//! GENIUS files are a few kilobytes, so a tree is the simplest shape to read them in; the
//! offsets let every problem be reported as `file:line:col`. Text content is ignored
//! (GENIUS keeps everything in attributes). This module knows nothing of GENIUS.

use quick_xml::XmlVersion;
use quick_xml::events::{BytesStart, Event};

/// One element: its name, attributes in file order, child elements and where it starts.
#[derive(Clone, Debug)]
pub struct Element {
    /// The tag name as written (no namespace handling: GENIUS uses none).
    pub name: String,
    /// `name = value` pairs, values unescaped.
    pub attrs: Vec<(String, String)>,
    /// Child elements in order.
    pub children: Vec<Element>,
    /// Byte offset of the `<` that opens the element.
    pub offset: usize,
}

impl Element {
    /// The value of attribute `name`, if present.
    pub fn attr(&self, name: &str) -> Option<&str> {
        self.attrs.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
    }

    /// The children named `name`.
    pub fn children_named<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Element> + 'a {
        self.children.iter().filter(move |c| c.name == name)
    }
}

/// A syntax error at a byte offset.
#[derive(Clone, Debug)]
pub struct SyntaxError {
    /// Byte offset of the problem.
    pub offset: usize,
    /// What is wrong.
    pub message: String,
}

/// Parses a whole document into its root element.
pub fn parse(text: &str) -> Result<Element, SyntaxError> {
    let mut reader = quick_xml::Reader::from_str(text);
    reader.config_mut().check_end_names = true;
    let mut stack: Vec<Element> = Vec::new();
    let mut root: Option<Element> = None;
    loop {
        let offset_before = reader.buffer_position() as usize;
        let event = reader.read_event().map_err(|err| SyntaxError {
            offset: reader.error_position() as usize,
            message: format!("malformed XML: {err}"),
        })?;
        match event {
            Event::Start(start) => {
                let offset = tag_offset(text, offset_before);
                stack.push(element(&start, offset)?);
            }
            Event::Empty(start) => {
                let offset = tag_offset(text, offset_before);
                let el = element(&start, offset)?;
                attach(&mut stack, &mut root, el, offset)?;
            }
            Event::End(_) => {
                let Some(el) = stack.pop() else {
                    return Err(SyntaxError {
                        offset: offset_before,
                        message: "malformed XML: a closing tag with no opening tag".into(),
                    });
                };
                let offset = el.offset;
                attach(&mut stack, &mut root, el, offset)?;
            }
            Event::Eof => {
                if let Some(open) = stack.last() {
                    return Err(SyntaxError {
                        offset: open.offset,
                        message: format!("malformed XML: <{}> is never closed", open.name),
                    });
                }
                return root.ok_or(SyntaxError {
                    offset: 0,
                    message: "malformed XML: the file has no element".into(),
                });
            }
            _ => {}
        }
    }
}

/// The offset of the `<` at or after `from` (the reader's position before an event may sit
/// on whitespace).
fn tag_offset(text: &str, from: usize) -> usize {
    text[from..].find('<').map_or(from, |i| from + i)
}

fn element(start: &BytesStart<'_>, offset: usize) -> Result<Element, SyntaxError> {
    let name = start.name().into_inner().to_string();
    let mut attrs = Vec::new();
    for attr in start.attributes() {
        let attr = attr.map_err(|err| SyntaxError {
            offset,
            message: format!("malformed XML: bad attribute in <{name}>: {err}"),
        })?;
        let key = attr.key.into_inner().to_string();
        let value = attr.normalized_value(XmlVersion::Implicit1_0).map_err(|err| SyntaxError {
            offset,
            message: format!("malformed XML: bad value of `{key}` in <{name}>: {err}"),
        })?;
        attrs.push((key, value.into_owned()));
    }
    Ok(Element { name, attrs, children: Vec::new(), offset })
}

fn attach(
    stack: &mut [Element],
    root: &mut Option<Element>,
    el: Element,
    offset: usize,
) -> Result<(), SyntaxError> {
    match stack.last_mut() {
        Some(parent) => parent.children.push(el),
        None if root.is_none() => *root = Some(el),
        None => {
            return Err(SyntaxError {
                offset,
                message: "malformed XML: more than one root element".into(),
            });
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_nested_elements_with_attributes_and_offsets() {
        let text = "<?xml version=\"1.0\"?>\n<a x=\"1 &amp; 2\">\n  <b/>\n  <c y='z'>t</c>\n</a>\n";
        let root = parse(text).expect("valid");
        assert_eq!(root.name, "a");
        assert_eq!(root.attr("x"), Some("1 & 2"));
        assert_eq!(root.children.len(), 2);
        assert_eq!(&text[root.children[0].offset..][..4], "<b/>");
        assert_eq!(root.children[1].attr("y"), Some("z"));
    }

    #[test]
    fn reports_mismatched_and_unclosed_tags_with_their_place() {
        let err = parse("<a>\n  <b>\n</a>").expect_err("mismatched");
        assert!(err.message.contains("malformed XML"), "{}", err.message);
        let err = parse("<a>\n  <b>").expect_err("unclosed");
        assert_eq!(err.offset, 6);
        assert!(err.message.contains("<b> is never closed"), "{}", err.message);
    }
}
