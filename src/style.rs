//! TEMPORARY stub until style detection lands.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Style;
impl Style { pub fn is_default(&self) -> bool { true } pub fn summary(&self) -> String { String::new() } }
#[derive(Debug, Clone)]
pub struct StyleSource { pub file: String, pub kind: &'static str }
#[derive(Debug, Clone, Default)]
pub struct Detected { pub style: Style, pub source: Option<StyleSource>, pub notes: Vec<String> }
#[derive(Debug, Clone, thiserror::Error)]
#[error("{message}")]
pub struct StyleError { pub file: String, pub line: Option<usize>, pub message: String }
pub const CONFIG_FILES: &[&str] = &[];
pub fn detect(_read: &dyn Fn(&str) -> Option<String>, _p: Option<&serde_json::Value>) -> Result<Detected, StyleError> { Ok(Detected::default()) }
pub fn format(text: &str, _s: &Style) -> Result<String, StyleError> { Ok(text.to_string()) }
