//! A tiny ordered JSON tree for generated policies.
//!
//! `serde_json::Value` sorts object keys unless the crate-wide `preserve_order` feature is on,
//! and turning that on would change the key order of every `Value` in the workspace (and pull
//! in `indexmap`). Policies read best in the conventional order (`Sid`, `Effect`, `Principal`,
//! `Action`, `Resource`, `Condition`), so this type keeps insertion order. It implements
//! `Serialize` as a map in that order, so both `serde_json::to_string_pretty` and
//! `serde-wasm-bindgen` emit the keys exactly as built.

use serde::ser::{SerializeMap, SerializeSeq};
use serde::{Serialize, Serializer};

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Json {
    Str(String),
    Arr(Vec<Json>),
    Obj(Vec<(String, Json)>),
}

impl Json {
    pub fn str(s: impl Into<String>) -> Json {
        Json::Str(s.into())
    }

    /// An array of strings.
    pub fn strs<S: AsRef<str>>(items: &[S]) -> Json {
        Json::Arr(items.iter().map(|s| Json::str(s.as_ref())).collect())
    }

    /// A single string when there is exactly one item, else an array (IAM accepts both).
    pub fn one_or_many<S: AsRef<str>>(items: &[S]) -> Json {
        match items {
            [one] => Json::str(one.as_ref()),
            _ => Json::strs(items),
        }
    }

    pub fn obj(members: Vec<(&str, Json)>) -> Json {
        Json::Obj(
            members
                .into_iter()
                .map(|(k, v)| (k.to_string(), v))
                .collect(),
        )
    }

    /// The member `key` of an object.
    pub fn get(&self, key: &str) -> Option<&Json> {
        match self {
            Json::Obj(m) => m.iter().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match self {
            Json::Str(s) => Some(s),
            _ => None,
        }
    }

    /// Every string in the tree, depth first (used to find leftover placeholders).
    pub fn strings<'a>(&'a self, out: &mut Vec<&'a str>) {
        match self {
            Json::Str(s) => out.push(s),
            Json::Arr(items) => items.iter().for_each(|i| i.strings(out)),
            Json::Obj(members) => members.iter().for_each(|(_, v)| v.strings(out)),
        }
    }

    /// Pretty-printed with two-space indentation, keys in insertion order.
    pub fn to_pretty(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_default()
    }

    /// A `serde_json::Value` (note: its object keys are sorted).
    pub fn to_value(&self) -> serde_json::Value {
        match self {
            Json::Str(s) => serde_json::Value::String(s.clone()),
            Json::Arr(items) => {
                serde_json::Value::Array(items.iter().map(Json::to_value).collect())
            }
            Json::Obj(members) => serde_json::Value::Object(
                members
                    .iter()
                    .map(|(k, v)| (k.clone(), v.to_value()))
                    .collect(),
            ),
        }
    }
}

impl Serialize for Json {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Json::Str(s) => serializer.serialize_str(s),
            Json::Arr(items) => {
                let mut seq = serializer.serialize_seq(Some(items.len()))?;
                for item in items {
                    seq.serialize_element(item)?;
                }
                seq.end()
            }
            Json::Obj(members) => {
                let mut map = serializer.serialize_map(Some(members.len()))?;
                for (k, v) in members {
                    map.serialize_entry(k, v)?;
                }
                map.end()
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_insertion_order() {
        let j = Json::obj(vec![
            ("Version", Json::str("2012-10-17")),
            (
                "Statement",
                Json::Arr(vec![Json::obj(vec![
                    ("Sid", Json::str("A")),
                    ("Effect", Json::str("Allow")),
                ])]),
            ),
        ]);
        let text = j.to_pretty();
        let v = text.find("Version").unwrap_or(usize::MAX);
        let s = text.find("Statement").unwrap_or(0);
        assert!(v < s, "{text}");
        assert!(text.find("\"Sid\"").unwrap_or(usize::MAX) < text.find("\"Effect\"").unwrap_or(0));
        assert_eq!(Json::one_or_many(&["a"]), Json::str("a"));
        assert_eq!(Json::one_or_many(&["a", "b"]), Json::strs(&["a", "b"]));
    }
}
