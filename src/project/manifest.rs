//! TEMPORARY stub until the CST editor lands.
use thiserror::Error;
#[derive(Debug, Clone)]
pub struct Manifest { text: String, value: serde_json::Value, bom: bool }
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DepEntry { pub section: String, pub range: String }
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DepRequest { pub name: String, pub range: String, pub replaceable: Vec<String> }
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DepOutcome { Added { section: String }, AlreadyPresent { section: String, range: String }, Raised { section: String, from: String } }
#[derive(Debug, Clone, Error, PartialEq, Eq)]
#[error("{message}")]
pub struct ManifestError { pub code: &'static str, pub message: String, pub line: Option<usize>, pub column: Option<usize>, pub first_line: Option<usize>, pub first_column: Option<usize> }
const SECTIONS: &[&str] = &["dependencies", "devDependencies", "peerDependencies", "optionalDependencies"];
impl Manifest {
    pub fn parse(text: &str) -> Result<Manifest, ManifestError> {
        let bom = text.starts_with('\u{feff}');
        let t = text.trim_start_matches('\u{feff}');
        let value: serde_json::Value = serde_json::from_str(t).map_err(|e| ManifestError { code: "invalid_manifest", message: format!("invalid JSON: {e}"), line: Some(e.line()), column: Some(e.column()), first_line: None, first_column: None })?;
        if !value.is_object() { return Err(ManifestError { code: "not_an_object", message: "the top level is not an object".into(), line: Some(1), column: Some(1), first_line: None, first_column: None }); }
        Ok(Manifest { text: t.to_string(), value, bom })
    }
    pub fn dependency(&self, name: &str) -> Option<DepEntry> {
        for s in SECTIONS { if let Some(r) = self.value.get(s).and_then(|d| d.get(name)).and_then(|v| v.as_str()) { return Some(DepEntry { section: s.to_string(), range: r.to_string() }); } }
        None
    }
    pub fn string_field(&self, key: &str) -> Option<String> { self.value.get(key).and_then(|v| v.as_str()).map(String::from) }
    pub fn has_key(&self, key: &str) -> bool { self.value.get(key).is_some() }
    pub fn value(&self, key: &str) -> Option<serde_json::Value> { self.value.get(key).cloned() }
    pub fn add_dependencies(&self, reqs: &[DepRequest]) -> Result<(String, Vec<DepOutcome>), ManifestError> {
        let mut v = self.value.clone();
        let mut out = vec![];
        for r in reqs {
            if let Some(e) = self.dependency(&r.name) { out.push(DepOutcome::AlreadyPresent { section: e.section, range: e.range }); continue; }
            v.as_object_mut().unwrap().entry("dependencies").or_insert(serde_json::json!({})).as_object_mut().unwrap().insert(r.name.clone(), r.range.clone().into());
            out.push(DepOutcome::Added { section: "dependencies".into() });
        }
        let mut s = if out.iter().all(|o| !matches!(o, DepOutcome::Added { .. })) { self.text.clone() } else { serde_json::to_string_pretty(&v).unwrap() + "\n" };
        if self.bom { s.insert(0, '\u{feff}'); }
        Ok((s, out))
    }
}
