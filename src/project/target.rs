//! TEMPORARY stub until the scanner lands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TargetName { Node, Cloudflare }
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found<T> { pub value: T, pub line: usize, pub column: usize }
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum ScanError {
    #[error("not literal")] NotLiteral { line: usize, column: usize, text: String },
    #[error("unknown target")] UnknownTarget { line: usize, column: usize, value: String },
    #[error("{message}")] Unparseable { line: usize, column: usize, message: String },
}
fn find(src: &str, pat: &str) -> Option<(usize, usize)> { let i = src.find(pat)?; let (l, c) = crate::error::line_col(src, i); Some((l, c)) }
fn tgt(src: &str) -> Result<Option<Found<TargetName>>, ScanError> {
    let Some(i) = src.find("target:") else { return Ok(None) };
    let rest = src[i + 7..].trim_start();
    let (l, c) = crate::error::line_col(src, src.len() - rest.len());
    for (s, t) in [("'node'", TargetName::Node), ("\"node\"", TargetName::Node), ("'cloudflare'", TargetName::Cloudflare), ("\"cloudflare\"", TargetName::Cloudflare)] { if rest.starts_with(s) { return Ok(Some(Found { value: t, line: l, column: c })); } }
    Err(ScanError::NotLiteral { line: l, column: c, text: rest.chars().take(20).collect() })
}
pub fn scan_vite_flue_target(src: &str) -> Result<Option<Found<TargetName>>, ScanError> { if src.contains("flue(") { tgt(src) } else { Ok(None) } }
pub fn scan_vite_cloudflare_plugin(src: &str) -> Result<Option<Found<()>>, ScanError> { if src.contains("@cloudflare/vite-plugin") { Ok(find(src, "cloudflare(").map(|(line, column)| Found { value: (), line, column })) } else { Ok(None) } }
pub fn scan_flue_config_target(src: &str) -> Result<Option<Found<TargetName>>, ScanError> { tgt(src) }
