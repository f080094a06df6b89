//! Formatting a render into the project's style: dprint-plugin-typescript tuned for Prettier
//! parity, the render's own layout kept where Prettier keeps it, and telling a render
//! reformatted on save from an edited one.
//!
//! Owns: turning a render (written in Prettier's default style) into a [`Style`] that
//! `project::style` read, and [`same_but_formatting`]. Does not own: reading configs, or line
//! endings (applied once, to the whole output, where it is written: `crate::text`).
//!
//! Limits:
//! - Formatting matches Prettier exactly (checked with the real `prettier --check` by
//!   `tests/ts/prettier.sh`) when the indentation width is 2 and the line width 80: the
//!   render's own layout is kept and only tokens change. With another width or indentation
//!   dprint lays the file out itself; that matches Prettier only for code that avoids the
//!   constructs the two lay out differently (dprint never breaks after `=` before a wrapped
//!   ternary or `&&` chain, indents a wrapped `??` operand inside parentheses, moves a long
//!   template literal after `key:` onto its own line, keeps an expanded object pattern in a
//!   parameter list). The mirage templates avoid them and match Prettier at every width from
//!   80 to 120 with 2 or 4 spaces or tabs; other renders may still be re-wrapped by Prettier.

use std::path::Path;
use std::sync::{Arc, Mutex};

use dprint_plugin_typescript::configuration::{
    BracePosition, Configuration, ConfigurationBuilder, MemberSpacing,
    NamedTypeImportsExportsOrder, NextControlFlowPosition, OperatorPosition, PreferHanging,
    QuoteProps, QuoteStyle, SameOrNextLinePosition, SemiColonOrComma, SemiColons, SortOrder,
    TrailingCommas as DprintCommas, UseBraces, UseParentheses,
};

use crate::js::{self, Token, TokenKind};
use crate::project::style::{Indent, Quotes, Style, TrailingCommas};

/// A render dprint could not format (it does not parse).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct FormatError {
    /// What is wrong: `cannot format the render: …` and dprint's message.
    pub message: String,
}

/// Formats a TypeScript render (in Prettier's default style) into `style`.
///
/// Returns `text` unchanged, without running the formatter, when `style` lays code out as the
/// default does. The first line (the `// flue-blueprint: …` marker) stays first and byte-exact;
/// the output is LF and ends with exactly one newline: line endings are applied once, to the
/// whole output, where it is written (`crate::text`).
pub fn format(text: &str, style: &Style) -> Result<String, FormatError> {
    let lf = crate::text::to_lf(text);
    if style.layout_is_default() {
        return Ok(lf);
    }
    let marker = lf.split('\n').next().unwrap_or_default();
    let formatted = match in_parts(&lf, style) {
        Some(formatted) => formatted,
        None => format_whole(&lf, style)?,
    };
    let body = formatted.split_once('\n').map_or("", |(_, rest)| rest);
    let mut out = String::with_capacity(formatted.len() + formatted.len() / 16);
    out.push_str(marker);
    out.push('\n');
    out.push_str(body.trim_end_matches(['\n', ' ', '\t']));
    out.push('\n');
    // The marker line was LF-normalised above only in its terminator; it is byte-exact.
    debug_assert!(out.starts_with(marker));
    Ok(out)
}

/// dprint's output for `lf` with the render's layout put back where it is kept (the body of
/// [`format`], marker handling aside).
fn format_whole(lf: &str, style: &Style) -> Result<String, FormatError> {
    // One parse serves dprint and, when the layout is kept, the render's tokens.
    let source = js::parse_for_format(lf);
    let config = config_for(style);
    let shared = source.as_ref().and_then(|source| {
        dprint_plugin_typescript::format_parsed_source(source, &config, None).ok()
    });
    // Without the shared parse, or on an error, dprint parses the text itself (trying TSX
    // too) and reports what it reports.
    let formatted = shared
        .map_or_else(
            || {
                dprint_plugin_typescript::format_text(dprint_plugin_typescript::FormatTextOptions {
                    path: Path::new("render.ts"),
                    extension: Some("ts"),
                    text: lf.to_string(),
                    config: &config,
                    external_formatter: None,
                })
            },
            Ok,
        )
        .map_err(|e| FormatError {
            message: format!("cannot format the render: {e}"),
        })?
        .unwrap_or_else(|| lf.to_string());
    Ok(if preserves_layout(style) {
        let ours = match &source {
            Some(source) => js::tokens_of(source, lf),
            None => js::tokens(lf),
        };
        ours.and_then(|ours| keep_layout(&ours, &formatted, style))
            .unwrap_or(formatted)
    } else {
        formatted
    })
}

/// The comment that keeps the next node as written (Prettier's), and the one that keeps the
/// whole file.
const IGNORE_NODE: &str = "prettier-ignore";
const IGNORE_FILE: &str = "flue-format-ignore-file";

/// Renders this long or longer are formatted in parts on two threads when the layout is kept:
/// dprint takes about 0.6 ms per KiB here, a thread about 0.05 ms to start.
const PARTS_FROM: usize = 2048;

/// [`format_whole`] of `lf` formatted in parts, at once, on two threads (one after another on
/// one CPU, at about the cost of formatting it whole); `None` when the layout is not kept, `lf`
/// is short, holds an ignore comment, has no place to cut, or a part does not format with its
/// layout kept (the caller then formats `lf` whole).
///
/// With the layout kept, each token comes from dprint and the whitespace before it from the
/// render (see [`keep_layout`]), so formatting the parts and joining them with the render's
/// own whitespace gives the text formatting it whole gives, provided each cut is between two
/// top-level statements that format alike alone and together. [`parts`] cuts at such places
/// only; a cut anywhere else leaves a bracket, template or comment open in the part before
/// it, so that part does not parse and this returns `None`.
fn in_parts(lf: &str, style: &Style) -> Option<String> {
    if !preserves_layout(style) || lf.len() < PARTS_FROM {
        return None;
    }
    // An ignore comment applies to what follows it in the whole text (the file, the next
    // statement), which a cut could put in another part.
    if [IGNORE_NODE, IGNORE_FILE].iter().any(|c| lf.contains(c)) {
        return None;
    }
    let parts = parts(lf);
    if parts.len() < 2 {
        return None;
    }
    // The heaviest first: each thread takes the next part left, so that a long class formats
    // on one thread while the other takes the rest.
    let mut order: Vec<usize> = (0..parts.len()).collect();
    order.sort_by_key(|&k| std::cmp::Reverse(parts[k].weight));
    let formatted = crate::par::map(&order, 2, 1, |&k| {
        (k, kept_layout(&lf[parts[k].code.clone()], style))
    });
    // Each result carries its part's index: back in the render's order.
    let mut done = vec![String::new(); parts.len()];
    for (k, part) in formatted {
        done[k] = part?;
    }
    let mut out = String::with_capacity(lf.len() + lf.len() / 8);
    for (k, (part, formatted)) in parts.iter().zip(&done).enumerate() {
        // Each part ends with one newline after its last token; the render's own blank space
        // goes between parts.
        if k + 1 == parts.len() {
            out.push_str(formatted);
        } else {
            out.push_str(formatted.trim_end_matches('\n'));
            out.push_str(&lf[part.code.end..part.end]);
        }
    }
    Some(out)
}

/// [`format_whole`] of a part of a render when its tokens all came from dprint with the
/// render's whitespace; `None` when it does not parse or its layout could not be kept.
fn kept_layout(part: &str, style: &Style) -> Option<String> {
    let source = js::parse_for_format(part)?;
    let config = config_for(style);
    let formatted = dprint_plugin_typescript::format_parsed_source(&source, &config, None)
        .ok()?
        .unwrap_or_else(|| part.to_string());
    keep_layout(&js::tokens_of(&source, part)?, &formatted, style)
}

/// A part of a render that [`in_parts`] formats alone.
#[derive(Debug, PartialEq)]
struct Part {
    /// The part's text up to its last non-blank character.
    code: std::ops::Range<usize>,
    /// Where the next part starts: the blank space from `code.end` to here goes between them.
    end: usize,
    /// About how long dprint takes over it: its code bytes, comment lines counted at a quarter.
    weight: usize,
}

/// `lf` cut into a few parts of similar weight (about a quarter of the whole each, a longer
/// statement alone), each cut at the start of a line that follows a blank line and opens a
/// declaration (`export`, `function`, `class`, …) at column 0. A statement that starts so
/// never needs a `;` before it, and follows none, when semicolons are left out. The text is
/// Prettier's layout, where code inside brackets is indented; a line at column 0 inside a
/// template literal or a comment is possible, and caught because the part before it then does
/// not parse.
fn parts(lf: &str) -> Vec<Part> {
    const OPENS: &[&str] = &[
        "export ",
        "function ",
        "class ",
        "const ",
        "interface ",
        "type ",
        "import ",
        "async function ",
        "declare ",
        "enum ",
        "abstract class ",
    ];
    let line_weight = |line: &str| {
        let code = line.trim();
        if code.starts_with("//") || code.starts_with("/*") || code.starts_with('*') {
            code.len() / 4
        } else {
            code.len()
        }
    };
    // The pieces between every two cuts, and their weights.
    let (mut cuts, mut weights) = (vec![0], vec![0]);
    let mut at = 0;
    for line in lf.split_inclusive('\n') {
        if lf[..at].ends_with("\n\n") && OPENS.iter().any(|o| line.starts_with(o)) {
            cuts.push(at);
            weights.push(0);
        }
        *weights.last_mut().expect("one piece") += line_weight(line);
        at += line.len();
    }
    cuts.push(lf.len());
    // Adjacent pieces joined while that brings the part nearer a quarter of the whole.
    let target = weights.iter().sum::<usize>() / 4;
    let mut parts: Vec<Part> = Vec::new();
    let (mut start, mut weight) = (0, 0);
    for (k, &w) in weights.iter().enumerate() {
        if weight > 0 && weight + w > target && weight + w - target > target.saturating_sub(weight)
        {
            parts.push(part(lf, start..cuts[k], weight));
            (start, weight) = (cuts[k], 0);
        }
        weight += w;
    }
    parts.push(part(lf, start..lf.len(), weight));
    parts
}

fn part(lf: &str, range: std::ops::Range<usize>, weight: usize) -> Part {
    let code_end = range.start + lf[range.clone()].trim_end_matches(is_js_blank).len();
    Part {
        code: range.start..code_end,
        end: range.end,
        weight,
    }
}

/// Whether two TypeScript texts differ only in what a formatter changes (line endings, quotes,
/// indentation, semicolons, trailing commas, wrapping): both are equal, or both parse and
/// dprint prints them identically in one fixed style. A file that is a render of ours
/// reformatted by the project's formatter on save, in whatever style, is therefore not
/// "edited" (SPEC §13).
pub fn same_but_formatting(a: &str, b: &str) -> bool {
    same_but_formatting_to(a, b, &CanonicalForm::default())
}

/// [`same_but_formatting`] with `b`'s canonical form kept in `b_form`: a text compared with
/// many others (a render, with each package's copy of it) is run through dprint once.
pub fn same_but_formatting_to(a: &str, b: &str, b_form: &CanonicalForm) -> bool {
    let (a, b) = (crate::text::to_lf(a), crate::text::to_lf(b));
    if a == b {
        return true;
    }
    let Some(x) = canonical(&a) else { return false };
    b_form
        .0
        .get_or_init(|| canonical(&b))
        .as_ref()
        .is_some_and(|y| x == *y)
}

/// One text's form in the canonical style, computed when first asked (`None` inside: it does
/// not parse). Belongs to one text: give it only with that text.
#[derive(Debug, Default)]
pub struct CanonicalForm(std::sync::OnceLock<Option<String>>);

/// The one style texts are compared in: every option set, and a layout (4 spaces) that
/// rewraps instead of keeping the input's line breaks.
const CANONICAL: Style = Style {
    indent: Indent::Spaces(4),
    quotes: Quotes::Double,
    semicolons: true,
    trailing_commas: TrailingCommas::All,
    line_width: 80,
    crlf: false,
};

/// dprint's output for an LF text in the canonical style, trailing blank space folded; `None`
/// when the text does not parse.
fn canonical(lf: &str) -> Option<String> {
    let out = dprint_plugin_typescript::format_text(dprint_plugin_typescript::FormatTextOptions {
        path: Path::new("canonical.ts"),
        extension: Some("ts"),
        text: lf.to_string(),
        config: &config_for(&CANONICAL),
        external_formatter: None,
    })
    .ok()?;
    let out = out.unwrap_or_else(|| lf.to_string());
    Some(out.trim_end().to_string())
}

/// Whether Prettier would lay the file out exactly as the render already is (same indentation
/// width and line width as the default style), so that only tokens change.
fn preserves_layout(style: &Style) -> bool {
    let width = match style.indent {
        Indent::Spaces(n) | Indent::Tabs(n) => n,
    };
    width == 2 && style.line_width == 80
}

/// Puts dprint's tokens into the render's layout.
///
/// dprint and Prettier choose different line breaks in places (dprint never keeps a break after
/// `=`, indents binary operands inside parentheses, …). When the layout does not change, the
/// render's own line breaks and indentation are already Prettier's, and dprint's output differs
/// from the render only in tokens: quotes, `;` and `,` removed or added. So this walks both
/// token streams (`ours`, the render's), takes each token from dprint and the whitespace before
/// it from the render (with indentation converted to tabs when needed). `None` when the streams
/// differ in any other way, or the result does not hold exactly dprint's tokens; the caller then
/// uses dprint's output as it is.
fn keep_layout(ours: &[Token], dprint: &str, style: &Style) -> Option<String> {
    let theirs = match follow(ours, dprint) {
        Some(theirs) => {
            // Debug builds (every test) check the claim against the parser.
            debug_assert_eq!(Some(&theirs), js::tokens(dprint).as_ref(), "{dprint}");
            theirs
        }
        None => js::tokens(dprint)?,
    };
    respace(ours, &theirs, style)
}

/// dprint's tokens, read off its output by following the render's (`ours`, which the parser
/// read): each is found at the next non-blank position with the same text (a string in either
/// quotes, a comment indented otherwise), or is a `;` or `,` that dprint removed; a `;` or `,`
/// found instead is one dprint added. dprint changes no other token, so where the render's
/// parse says a `/` starts a regex or a `}` closes a template, so does its output's. `None` when
/// anything else differs, or two tokens the render kept apart touch and might lex as one: the
/// caller then parses dprint's output.
fn follow<'d>(ours: &[Token], dprint: &'d str) -> Option<Vec<Token<'d>>> {
    let mut theirs: Vec<Token<'d>> = Vec::with_capacity(ours.len() + ours.len() / 8);
    let (mut end, mut i) = (0, 0);
    loop {
        let o = ours.get(i);
        // A template's text begins right after its "`" or `}`, blanks included.
        let text_part = o.is_some_and(|o| o.kind == TokenKind::Template && o.space.is_empty());
        let rest = if text_part {
            &dprint[end..]
        } else {
            dprint[end..].trim_start_matches(is_js_blank)
        };
        let start = dprint.len() - rest.len();
        let space = &dprint[end..start];
        if rest.is_empty() {
            return ours[i..]
                .iter()
                .all(|o| matches!(o.text, ";" | ","))
                .then_some(theirs);
        }
        let (kind, len) = match o.and_then(|o| found_at(o, rest)) {
            Some(len) => {
                let o = o.expect("found");
                let joined = space.is_empty() && !o.space.is_empty();
                if joined && theirs.last().is_some_and(|t| may_join(t, o)) {
                    return None;
                }
                i += 1;
                (o.kind, len)
            }
            None if o.is_some_and(|o| matches!(o.text, ";" | ",")) => {
                i += 1;
                continue;
            }
            None if rest.starts_with([';', ',']) => (TokenKind::Punct, 1),
            None => return None,
        };
        theirs.push(Token {
            kind,
            space,
            text: &rest[..len],
        });
        end = start + len;
    }
}

/// JavaScript's whitespace and line terminators: Unicode's white space but NEL, and the BOM.
fn is_js_blank(c: char) -> bool {
    (c.is_whitespace() && c != '\u{85}') || c == '\u{feff}'
}

/// The length of `token` at the start of `rest`: its text, a string with the same contents in
/// either quotes, or a comment with the same words.
fn found_at(token: &Token, rest: &str) -> Option<usize> {
    let len = match token.kind {
        TokenKind::Str if rest.starts_with(['\'', '"']) => string_len(rest)?,
        TokenKind::Comment if token.text.starts_with("//") && rest.starts_with("//") => rest
            .find(['\n', '\r', '\u{2028}', '\u{2029}'])
            .unwrap_or(rest.len()),
        TokenKind::Comment if token.text.starts_with("/*") && rest.starts_with("/*") => {
            rest[2..].find("*/")? + 4
        }
        TokenKind::Str | TokenKind::Comment => return None,
        _ => return rest.starts_with(token.text).then_some(token.text.len()),
    };
    let found = Token {
        kind: token.kind,
        space: "",
        text: &rest[..len],
    };
    same_token(token, &found).then_some(len)
}

/// The length of the string literal `rest` starts with; `None` when it does not end on its line.
fn string_len(rest: &str) -> Option<usize> {
    let bytes = rest.as_bytes();
    let quote = *bytes.first()?;
    let mut i = 1;
    while let Some(&b) = bytes.get(i) {
        match b {
            // An escape; an escaped line break (`\` CR LF) continues the string.
            b'\\' if bytes[i + 1..].starts_with(b"\r\n") => i += 3,
            b'\\' => i += 2,
            b'\n' | b'\r' => return None,
            _ if b == quote => return Some(i + 1),
            _ => i += 1,
        }
    }
    None
}

/// Whether `a` written right before `b` might lex otherwise than as the two (`a` `b` as `ab`,
/// `=` `>` as `=>`, `/` and a comment as a line comment, `1` `.` as `1.`).
fn may_join(a: &Token, b: &Token) -> bool {
    let delimited = |t: &Token| matches!(t.kind, TokenKind::Str | TokenKind::Template);
    if delimited(a) || delimited(b) || a.kind == TokenKind::Comment {
        return false;
    }
    let (Some(last), Some(first)) = (a.text.chars().last(), b.text.chars().next()) else {
        return true;
    };
    if b.kind == TokenKind::Comment {
        return last == '/';
    }
    let word = |c: char| c.is_alphanumeric() || matches!(c, '_' | '$' | '\\') || !c.is_ascii();
    let bracket = |c: char| matches!(c, '(' | ')' | '[' | ']' | '{' | '}' | ',' | ';');
    (word(last) && word(first))
        || (a.text.starts_with(|c: char| c.is_ascii_digit()) && first == '.')
        || (last == '.' && first.is_ascii_digit())
        || (!word(last) && !word(first) && !bracket(last) && !bracket(first))
}

/// [`keep_layout`] with dprint's tokens, `theirs`.
fn respace(ours: &[Token], theirs: &[Token], style: &Style) -> Option<String> {
    let tabs = matches!(style.indent, Indent::Tabs(_));
    let mut out = Respaced {
        text: String::with_capacity(
            theirs
                .iter()
                .map(|t| t.space.len() + t.text.len())
                .sum::<usize>()
                + 64,
        ),
        spaces: Vec::with_capacity(theirs.len()),
    };
    let (mut i, mut j) = (0, 0);
    // Whitespace from the render still to be written before the next token.
    let mut pending: Option<&str> = None;
    // A `;` to write at the start of the next token's line.
    let mut guard = false;
    while j < theirs.len() {
        let t = &theirs[j];
        let o = ours.get(i);
        if o.is_some_and(|o| same_token(o, t)) {
            let o = o.expect("checked");
            // Without semicolons a `;` guards a line starting with `(`, `[` or "`": the
            // render has it at the end of the line before.
            if !style.semicolons
                && t.text == ";"
                && t.space.contains('\n')
                && !o.space.contains('\n')
            {
                guard = true;
                i += 1;
                j += 1;
                continue;
            }
            out.space(pending.take().unwrap_or(o.space), tabs);
            if std::mem::take(&mut guard) {
                out.text.push(';');
                out.space("", tabs);
            }
            push_token(&mut out.text, t, tabs);
            i += 1;
            j += 1;
        } else if o.is_some_and(|o| matches!(o.text, ";" | ",")) {
            // Removed by dprint (semicolons, trailing commas); its whitespace goes too.
            let o = o.expect("checked");
            if pending.is_none() && o.space.contains('\n') {
                pending = Some(o.space);
            }
            i += 1;
        } else if matches!(t.text, ";" | ",") {
            // Added by dprint: a `;` guarding a line start takes that line's indentation.
            if t.space.contains('\n') {
                let next = o?;
                out.space(pending.take().unwrap_or(next.space), tabs);
                push_token(&mut out.text, t, tabs);
                pending = Some("");
            } else {
                out.space("", tabs);
                push_token(&mut out.text, t, tabs);
            }
            j += 1;
        } else {
            return None;
        }
    }
    if ours[i..].iter().any(|o| !matches!(o.text, ";" | ",")) {
        return None;
    }
    out.text.push('\n');
    out.holds(theirs).then_some(out.text)
}

/// dprint's tokens written with other whitespace: the text, and where the whitespace before
/// each token is in it.
struct Respaced {
    text: String,
    spaces: Vec<std::ops::Range<usize>>,
}

impl Respaced {
    /// Writes the whitespace before the next token.
    fn space(&mut self, space: &str, tabs: bool) {
        let start = self.text.len();
        push_space(&mut self.text, space, tabs);
        self.spaces.push(start..self.text.len());
    }

    /// Whether the text holds exactly `theirs`, the tokens it was written from, and parses as
    /// the text they came from. Cheap when each token is written as it was and the whitespace
    /// before it provably changes nothing (see [`same_reading`]); otherwise the text is parsed
    /// again and its tokens compared.
    fn holds(&self, theirs: &[Token]) -> bool {
        let same_tokens = self.spaces.len() == theirs.len()
            && theirs.iter().enumerate().all(|(k, t)| {
                let end = self
                    .spaces
                    .get(k + 1)
                    .map_or(self.text.len() - 1, |s| s.start);
                self.text.get(self.spaces[k].end..end) == Some(t.text)
            });
        let safe = same_tokens
            && theirs.iter().enumerate().all(|(k, t)| {
                let before = k.checked_sub(1).map(|b| &theirs[b]);
                same_reading(before, &self.text[self.spaces[k].clone()], t)
            });
        let parses_so = || {
            js::tokens(&self.text).is_some_and(|check| {
                check.len() == theirs.len()
                    && check.iter().zip(theirs).all(|(a, b)| a.text == b.text)
            })
        };
        if safe {
            // Debug builds (every test) still check the claim.
            debug_assert!(
                parses_so(),
                "the whitespace changed the tokens:\n{}",
                self.text
            );
            return true;
        }
        parses_so()
    }
}

/// Whether writing `space` instead of `token.space` between `before` and `token` leaves the
/// tokens and the parse as they are. JavaScript and TypeScript read whitespace only to separate
/// tokens and to see line breaks (automatic semicolons, `[no LineTerminator here]`), so it holds
/// when the whitespace is of the same kind (none, blanks, a line break), and also:
/// - for a line break after an operator that an operand must follow (`=`, `(`, `&&`, `=>`, …):
///   no rule forbids one there, and no semicolon is inserted before an operand;
/// - for any whitespace before `)` or `]` (after anything but a comment), or before `.` after a
///   name, `)` or `]`: no semicolon is ever inserted before them, no rule forbids a line break
///   before them, and they join no token before them (a line comment would take them in, a
///   number `1.` or a `?.` their dot).
fn same_reading(before: Option<&Token>, space: &str, token: &Token) -> bool {
    if space_kind(space) == space_kind(token.space) {
        return true;
    }
    let Some(before) = before else { return false };
    let operator = before.kind == TokenKind::Punct && OPERAND_AFTER.contains(&before.text);
    let closer = token.kind == TokenKind::Punct
        && match token.text {
            ")" | "]" => before.kind != TokenKind::Comment,
            "." => {
                (before.kind == TokenKind::Word
                    && !before.text.starts_with(|c: char| c.is_ascii_digit()))
                    || (before.kind == TokenKind::Punct && matches!(before.text, ")" | "]"))
            }
            _ => false,
        };
    (operator && space_kind(space) == Space::LineBreak) || closer
}

/// Tokens an operand must follow.
const OPERAND_AFTER: &[&str] = &[
    "=", "=>", "(", "[", "{", ",", "&&", "||", "??", "+", "-", "*", "%", "**", "===", "!==", "==",
    "!=",
];

/// What whitespace between two tokens can mean to a parser.
#[derive(PartialEq)]
enum Space {
    None,
    Blanks,
    LineBreak,
}

fn space_kind(space: &str) -> Space {
    if space.is_empty() {
        Space::None
    } else if space.contains(['\n', '\r', '\u{2028}', '\u{2029}']) {
        Space::LineBreak
    } else {
        Space::Blanks
    }
}

fn push_space(out: &mut String, space: &str, tabs: bool) {
    match space.rfind('\n') {
        Some(nl) if tabs => {
            out.push_str(&space[..=nl]);
            out.push_str(&tab_indent(&space[nl + 1..]));
        }
        _ => out.push_str(space),
    }
}

fn push_token(out: &mut String, token: &Token, tabs: bool) {
    // Prettier re-indents the lines of a `/** … */`-style comment; dprint's output already has
    // the new indentation only when it used spaces.
    if tabs && token.kind == TokenKind::Comment && token.text.contains('\n') {
        let mut lines = token.text.split('\n');
        out.push_str(lines.next().unwrap_or_default());
        for line in lines {
            out.push('\n');
            let body = line.trim_start_matches([' ', '\t']);
            if body.starts_with('*') {
                out.push_str(&tab_indent(&line[..line.len() - body.len()]));
                out.push_str(body);
            } else {
                out.push_str(line);
            }
        }
    } else {
        out.push_str(token.text);
    }
}

/// Two-space indentation as tabs; an odd space (a `*` aligned in a block comment) stays.
fn tab_indent(indent: &str) -> String {
    let columns: usize = indent.chars().map(|c| if c == '\t' { 2 } else { 1 }).sum();
    let mut s = "\t".repeat(columns / 2);
    if columns % 2 == 1 {
        s.push(' ');
    }
    s
}

fn same_token(a: &Token, b: &Token) -> bool {
    if a.kind != b.kind {
        return false;
    }
    match a.kind {
        TokenKind::Str => unquoted(a.text).eq(unquoted(b.text)),
        TokenKind::Comment => a.text.split_whitespace().eq(b.text.split_whitespace()),
        _ => a.text == b.text,
    }
}

/// The bytes of a string literal's contents with the escapes of either quote undone (`\'` and
/// `\"` as the quote itself), so that a string re-quoted by a formatter reads the same. Every
/// other escape stays as written, and is read as a pair (`\\` then `'` is no escaped quote).
fn unquoted(literal: &str) -> impl Iterator<Item = u8> + '_ {
    let body = literal
        .get(1..literal.len().saturating_sub(1))
        .unwrap_or_default();
    let bytes = body.as_bytes();
    let (mut i, mut escaped) = (0, false);
    std::iter::from_fn(move || {
        let b = *bytes.get(i)?;
        i += 1;
        if std::mem::take(&mut escaped) {
            return Some(b);
        }
        if b == b'\\' {
            match bytes.get(i) {
                Some(&q @ (b'\'' | b'"')) => {
                    i += 1;
                    return Some(q);
                }
                Some(_) => escaped = true,
                None => {}
            }
        }
        Some(b)
    })
}

/// The dprint configuration for `style`, built once per distinct style of the run (the
/// project's and the canonical one, in practice). The lock is held only to look it up, so
/// threads format at the same time.
fn config_for(style: &Style) -> Arc<Configuration> {
    static CACHE: Mutex<Vec<(Style, Arc<Configuration>)>> = Mutex::new(Vec::new());
    let mut cache = CACHE
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    if let Some((_, config)) = cache.iter().find(|(cached, _)| cached == style) {
        return config.clone();
    }
    let config = Arc::new(dprint_config(style));
    cache.push((style.clone(), config.clone()));
    config
}

const LAYOUT_PRESERVING_WIDTH: u32 = 100_000;

/// dprint-plugin-typescript settings that make its output what Prettier prints for the same
/// options, given input already in Prettier's default layout.
fn dprint_config(style: &Style) -> Configuration {
    let (use_tabs, width) = match style.indent {
        Indent::Spaces(n) => (false, n),
        Indent::Tabs(n) => (true, n),
    };
    let (all, es5) = match style.trailing_commas {
        TrailingCommas::All => (DprintCommas::OnlyMultiLine, DprintCommas::OnlyMultiLine),
        TrailingCommas::Es5 => (DprintCommas::Never, DprintCommas::OnlyMultiLine),
        TrailingCommas::None => (DprintCommas::Never, DprintCommas::Never),
    };
    // With Prettier's default indentation width and line width, Prettier lays the file out
    // exactly as the render already is: only tokens change (quotes, semicolons, commas, indent
    // characters). dprint then gets an unbounded width so that it keeps every line break.
    let keep = preserves_layout(style);
    let line_width = if keep {
        LAYOUT_PRESERVING_WIDTH
    } else {
        style.line_width.min(LAYOUT_PRESERVING_WIDTH)
    };
    let mut b = ConfigurationBuilder::new();
    b.line_width(line_width)
        .use_tabs(use_tabs)
        .indent_width(width.max(1))
        .quote_style(match style.quotes {
            Quotes::Double => QuoteStyle::PreferDouble,
            Quotes::Single => QuoteStyle::PreferSingle,
        })
        .semi_colons(if style.semicolons {
            SemiColons::Prefer
        } else {
            SemiColons::Asi
        })
        // Prettier's trailingComma: "es5" leaves them off parameters, arguments and type
        // parameters only.
        .trailing_commas(es5)
        .arguments_trailing_commas(all)
        .parameters_trailing_commas(all)
        .type_parameters_trailing_commas(all);
    prettier_choices(&mut b, keep);
    b.build()
}

/// The settings where Prettier makes a choice whatever the options; `keep` when the render's
/// layout is kept.
fn prettier_choices(b: &mut ConfigurationBuilder, keep: bool) {
    b
        // Layout: Prettier's choices.
        .prefer_hanging(false)
        .arguments_prefer_hanging(PreferHanging::Never)
        .parameters_prefer_hanging(PreferHanging::Never)
        .brace_position(BracePosition::SameLine)
        .next_control_flow_position(NextControlFlowPosition::SameLine)
        .operator_position(OperatorPosition::SameLine)
        .binary_expression_operator_position(OperatorPosition::SameLine)
        .conditional_expression_operator_position(OperatorPosition::NextLine)
        .conditional_type_operator_position(OperatorPosition::NextLine)
        .single_body_position(SameOrNextLinePosition::Maintain)
        .use_braces(UseBraces::Maintain)
        .arrow_function_use_parentheses(UseParentheses::Force)
        .quote_props(QuoteProps::Preserve)
        .type_literal_separator_kind(SemiColonOrComma::SemiColon)
        .enum_declaration_member_spacing(MemberSpacing::Maintain)
        .member_expression_line_per_expression(true)
        .conditional_expression_line_per_expression(true)
        // Spacing.
        .comment_line_force_space_after_slashes(false)
        .construct_signature_space_after_new_keyword(true)
        .constructor_type_space_after_new_keyword(true)
        .function_expression_space_after_function_keyword(true)
        .tagged_template_space_before_literal(false)
        // Prettier never reorders.
        .module_sort_import_declarations(SortOrder::Maintain)
        .module_sort_export_declarations(SortOrder::Maintain)
        .import_declaration_sort_named_imports(SortOrder::Maintain)
        .export_declaration_sort_named_exports(SortOrder::Maintain)
        .import_declaration_sort_type_only_imports(NamedTypeImportsExportsOrder::None)
        .export_declaration_sort_type_only_exports(NamedTypeImportsExportsOrder::None)
        // Re-laying out (other widths), Prettier joins what fits except objects and object
        // types written expanded (a line break after `{`).
        .prefer_single_line(false)
        .object_expression_prefer_single_line(false)
        .object_pattern_prefer_single_line(false)
        .type_literal_prefer_single_line(false)
        // Prettier joins a parameter list that fits, whatever the render's layout.
        .parameters_prefer_single_line(!keep)
        .import_declaration_prefer_single_line(!keep)
        .export_declaration_prefer_single_line(!keep)
        .ignore_node_comment_text(IGNORE_NODE)
        .ignore_file_comment_text(IGNORE_FILE);
}

#[cfg(test)]
#[path = "format_tests.rs"]
mod tests;
