//! Renders a compiled-in template to its exact bytes: LF line endings and one
//! final newline, the same on every platform. Formatting into the project's
//! own style happens later, in `format`.

/// Renders an askama template, normalising line endings and the final newline.
pub fn render(t: &dyn askama::DynTemplate) -> String {
    let text = t
        .dyn_render()
        .expect("templates have no fallible expressions");
    normalize(&text)
}

/// LF only, exactly one final newline.
pub fn normalize(text: &str) -> String {
    let mut s = text.replace("\r\n", "\n");
    while s.ends_with('\n') {
        s.pop();
    }
    s.push('\n');
    s
}
