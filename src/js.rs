//! The one JavaScript/TypeScript parser: `deno_ast` (swc), the same one the formatter
//! (dprint-plugin-typescript) links, so reading a config file and formatting a render agree on
//! what the text means. Also the one home for turning a byte offset into a line and column.
//!
//! Knows nothing about configs or styles: [`parse`] gives a module (or the parser's syntax error
//! with its position), [`tokens`] gives tokens and comments in source order with the whitespace
//! before each ([`tokens_of`] the same from the parse that [`parse_for_format`] shares with the
//! formatter).

use std::sync::Arc;

use deno_ast::swc::common::{Span, Spanned};
use deno_ast::{MediaType, ModuleSpecifier, ParseParams, ParsedSource};

/// 1-based line and column of byte `offset` in `text`. `\r\n`, `\n` and a lone `\r` each end
/// a line, as in editors; columns count characters; a leading BOM takes no column.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let bytes = text.as_bytes();
    let mut line = 1;
    let mut start = 0;
    for (i, &b) in bytes[..offset].iter().enumerate() {
        if b == b'\n' || (b == b'\r' && bytes.get(i + 1) != Some(&b'\n')) {
            line += 1;
            start = i + 1;
        }
    }
    let before = &text[start..offset];
    let before = if start == 0 {
        before.strip_prefix('\u{feff}').unwrap_or(before)
    } else {
        before
    };
    // A `\r` right before `offset` that belongs to a `\r\n` is not a character of the line.
    (line, before.trim_end_matches('\r').chars().count() + 1)
}

/// Deepest bracket nesting the parser is given. The parser and the AST's destructor recurse
/// once per level; real configs nest a few dozen levels.
const MAX_NESTING: usize = 1000;

/// Nesting beyond which [`with_stack_for`] moves to a thread with a large stack.
const INLINE_NESTING: usize = 64;

/// Runs `f` (which parses `text`) on a thread with a large stack when `text` nests deeply, so
/// that no config can overflow the caller's stack. Typical configs run inline.
pub fn with_stack_for<T: Send>(text: &str, f: impl FnOnce() -> T + Send) -> T {
    if nesting(text).0 <= INLINE_NESTING {
        return f();
    }
    let mut f = Some(f);
    let slot = &mut f;
    let ran = std::thread::scope(|s| {
        let spawned = std::thread::Builder::new()
            .stack_size(256 << 20)
            .spawn_scoped(s, move || slot.take().map(|f| f()));
        spawned
            .ok()
            .map(|h| h.join().unwrap_or_else(|p| std::panic::resume_unwind(p)))
    });
    match ran.flatten() {
        Some(out) => out,
        // The thread could not be created: run here.
        None => f.take().map(|f| f()).expect("`f` runs exactly once"),
    }
}

/// An upper bound of the bracket nesting of `text` (brackets in strings and comments count
/// too) and the offset where it first passes [`MAX_NESTING`], if it does.
fn nesting(text: &str) -> (usize, Option<usize>) {
    let (mut depth, mut max, mut too_deep) = (0usize, 0usize, None);
    for (i, b) in text.bytes().enumerate() {
        match b {
            b'(' | b'[' | b'{' => {
                depth += 1;
                max = max.max(depth);
                if depth > MAX_NESTING && too_deep.is_none() {
                    too_deep = Some(i);
                }
            }
            b')' | b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    (max, too_deep)
}

/// A syntax error from the parser, positioned in the text that was given to [`parse`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyntaxError {
    /// Byte offset of the error in the original text.
    pub offset: usize,
    /// The parser's message, starting lowercase (`expected ';', got 'x'`).
    pub message: String,
}

/// A parsed module and the text it came from.
pub struct Module<'t> {
    module: deno_ast::swc::ast::Module,
    text: &'t str,
    /// Length of a leading BOM, which the parser does not see.
    bom: usize,
}

impl<'t> Module<'t> {
    /// The parsed module, for queries over the AST.
    pub fn ast(&self) -> &deno_ast::swc::ast::Module {
        &self.module
    }

    /// The module's top-level items.
    pub fn body(&self) -> &[deno_ast::swc::ast::ModuleItem] {
        &self.module.body
    }

    /// The original text (BOM included).
    pub fn text(&self) -> &'t str {
        self.text
    }

    /// Byte offset in the original text where `span` starts.
    pub fn offset(&self, span: Span) -> usize {
        span_range(span, self.bom).start
    }

    /// The original text of `span`.
    pub fn slice(&self, span: Span) -> &'t str {
        self.text.get(span_range(span, self.bom)).unwrap_or("")
    }

    /// 1-based line and column where `span` starts.
    pub fn line_col(&self, span: Span) -> (usize, usize) {
        line_col(self.text, self.offset(span))
    }
}

/// swc positions start at 1 (0 is the dummy position); `bom` is added back.
fn span_range(span: Span, bom: usize) -> std::ops::Range<usize> {
    let at = |p: u32| (p as usize).saturating_sub(1) + bom;
    at(span.lo.0)..at(span.hi.0)
}

/// Parses `text` as an ES module, TypeScript or JavaScript by `path`'s extension (`.ts`,
/// `.mts`, `.cts` are TypeScript; anything else JavaScript). Any syntax error the parser
/// reports, recoverable or not, is an error: the first one in the text (so an unterminated
/// string is named where it starts, not where the parser gave up).
pub fn parse<'t>(path: &str, text: &'t str) -> Result<Module<'t>, SyntaxError> {
    use deno_ast::swc::common::BytePos;
    use deno_ast::swc::parser::{Lexer, Parser, StringInput};
    let body = strip(text)?;
    let bom = text.len() - body.len();
    let start = deno_ast::StartSourcePos::START_SOURCE_POS.as_byte_pos();
    let input = StringInput::new(body, start, start + BytePos(body.len() as u32));
    let syntax = deno_ast::get_syntax(media_type(path));
    let mut parser = Parser::new_from(Lexer::new(syntax, deno_ast::ES_VERSION, input, None));
    let result = parser.parse_module();
    let mut errors = parser.take_errors();
    let fatal = match result {
        Ok(module) if errors.is_empty() => return Ok(Module { module, text, bom }),
        Ok(_) => None,
        Err(fatal) => Some(fatal),
    };
    errors.extend(fatal);
    let first = errors
        .iter()
        .min_by_key(|e| e.span().lo)
        .expect("one error at least");
    Err(SyntaxError {
        offset: span_range(first.span(), bom).start,
        message: lowercase_first(&first.kind().msg()),
    })
}

/// `text` without a leading BOM (the parser must not see one), after checking its nesting.
fn strip(text: &str) -> Result<&str, SyntaxError> {
    if let (_, Some(offset)) = nesting(text) {
        return Err(SyntaxError {
            offset,
            message: format!("brackets nested more than {MAX_NESTING} levels deep"),
        });
    }
    Ok(text.strip_prefix('\u{feff}').unwrap_or(text))
}

fn media_type(path: &str) -> MediaType {
    let ext = path.rsplit_once('.').map_or("", |(_, e)| e);
    match ext {
        "ts" => MediaType::TypeScript,
        "mts" => MediaType::Mts,
        "cts" => MediaType::Cts,
        "mjs" => MediaType::Mjs,
        "cjs" => MediaType::Cjs,
        _ => MediaType::JavaScript,
    }
}

fn lowercase_first(s: &str) -> String {
    let mut chars = s.chars();
    match (chars.next(), chars.next()) {
        (Some(a), Some(b)) if a.is_ascii_uppercase() && !b.is_ascii_uppercase() => {
            let mut out = a.to_ascii_lowercase().to_string();
            out.push_str(&s[1..]);
            out
        }
        _ => s.to_string(),
    }
}

/// What a token is, as far as lining up two formattings of one file needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenKind {
    /// A string literal, quotes included.
    Str,
    /// A part of a template literal: "`", its text, `${` or the `}` that closes it.
    Template,
    /// A line or block comment.
    Comment,
    /// A regular expression literal.
    Regex,
    /// An identifier, keyword, number or other literal word.
    Word,
    /// An operator or punctuation.
    Punct,
}

/// A token or comment of a TypeScript text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token<'t> {
    pub kind: TokenKind,
    /// The whitespace between the previous token (or the start) and this one.
    pub space: &'t str,
    /// The token's own text.
    pub text: &'t str,
}

/// Tokens and comments of a TypeScript module in source order, as the parser read them (so a
/// `/` is a regex or a division as the grammar says). `None` when `text` does not parse.
pub fn tokens(text: &str) -> Option<Vec<Token<'_>>> {
    let body = strip(text).ok()?;
    let bom = text.len() - body.len();
    let source = deno_ast::parse_module(ParseParams {
        specifier: ModuleSpecifier::parse("file:///render.ts").expect("a valid URL"),
        text: Arc::from(body),
        media_type: MediaType::TypeScript,
        capture_tokens: true,
        scope_analysis: false,
        maybe_syntax: None,
    })
    .ok()
    .filter(|s| s.diagnostics().is_empty())?;
    parsed_tokens(text, &source, bom)
}

/// `text` parsed as dprint-plugin-typescript parses a `render.ts` file, so that one parse serves
/// both the formatter (`format_parsed_source`) and [`tokens_of`]. `None` when the formatter
/// must parse the text itself: it has a BOM, or does not parse as TypeScript (dprint then
/// tries TSX).
pub fn parse_for_format(text: &str) -> Option<ParsedSource> {
    if text.starts_with('\u{feff}') {
        return None;
    }
    deno_ast::parse_program(ParseParams {
        specifier: ModuleSpecifier::parse("file:///render.ts").expect("a valid URL"),
        text: Arc::from(text),
        media_type: MediaType::TypeScript,
        capture_tokens: true,
        scope_analysis: false,
        maybe_syntax: Some(deno_ast::get_syntax(MediaType::TypeScript)),
    })
    .ok()
}

/// What [`tokens`] gives for `text`, read from `source`, its [`parse_for_format`] parse, when
/// that parse has no syntax errors, as a module would have none; otherwise `text` is parsed
/// again by `tokens`.
///
/// A text without `import` or `export` (a part of a render) parses as a script. Its tokens are
/// a module's but for what only a script reads (an HTML-like comment `<!--`, which the
/// templates never hold); they are the tokens dprint formatted in any case.
pub fn tokens_of<'t>(source: &ParsedSource, text: &'t str) -> Option<Vec<Token<'t>>> {
    let clean = source.diagnostics().is_empty()
        && source.script_module_diagnostics().is_empty()
        && source.text().as_ref() == text;
    if !clean {
        return tokens(text);
    }
    strip(text).ok()?;
    parsed_tokens(text, source, 0)
}

fn token_kind(token: &deno_ast::swc::parser::token::Token) -> TokenKind {
    use deno_ast::swc::parser::token::Token as T;
    match token {
        T::Str { .. } => TokenKind::Str,
        T::Template { .. } | T::BackQuote | T::DollarLBrace => TokenKind::Template,
        T::Regex(..) => TokenKind::Regex,
        T::Word(_) | T::Num { .. } | T::BigInt { .. } | T::Shebang(_) => TokenKind::Word,
        _ => TokenKind::Punct,
    }
}

/// The captured tokens and the comments of a parse of `text` (whose first `bom` bytes the
/// parser did not see).
fn parsed_tokens<'t>(text: &'t str, source: &ParsedSource, bom: usize) -> Option<Vec<Token<'t>>> {
    let mut spans: Vec<(std::ops::Range<usize>, TokenKind)> = source
        .tokens()
        .iter()
        .map(|t| (span_range(t.span, bom), token_kind(&t.token)))
        .collect();
    spans.extend(
        source
            .comments()
            .get_vec()
            .iter()
            .map(|c| (span_range(c.span, bom), TokenKind::Comment)),
    );
    spans.sort_by_key(|(r, _)| r.start);
    let mut out = Vec::with_capacity(spans.len());
    let mut end = 0;
    for (range, kind) in spans {
        // An empty template part (the text of "``") adds nothing to line up.
        if range.start < end || range.is_empty() {
            continue;
        }
        out.push(Token {
            kind,
            space: text.get(end..range.start)?,
            text: text.get(range.clone())?,
        });
        end = range.end;
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_col_rules() {
        assert_eq!(line_col("ab\ncd", 4), (2, 2));
        assert_eq!(line_col("a\r\nb", 3), (2, 1));
        assert_eq!(line_col("a\r\nb", 1), (1, 2));
        assert_eq!(line_col("a\rb", 2), (2, 1));
        assert_eq!(line_col("ü x", 3), (1, 3));
        assert_eq!(line_col("\u{feff}ab", 4), (1, 2));
        assert_eq!(line_col("ab", 99), (1, 3));
    }

    #[test]
    fn syntax_error_has_the_parsers_position() {
        let err = parse("x.ts", "const a = 1;\nconst = 2;\n").err().unwrap();
        assert_eq!(line_col("const a = 1;\nconst = 2;\n", err.offset), (2, 7));
    }

    #[test]
    fn positions_count_a_leading_bom() {
        let text = "\u{feff}let x = 'a'";
        let m = parse("x.js", text).ok().unwrap();
        let stmt = &m.body()[0];
        let span = deno_ast::swc::common::Spanned::span(stmt);
        assert_eq!((m.offset(span), m.slice(span)), (3, "let x = 'a'"));
        assert_eq!(m.line_col(span), (1, 1));
    }

    #[test]
    fn regex_after_paren_is_a_regex() {
        let toks = tokens("if (s) /'/.test(s);\n").unwrap();
        let kinds: Vec<_> = toks.iter().map(|t| (t.kind, t.text)).collect();
        assert!(kinds.contains(&(TokenKind::Regex, "/'/")), "{kinds:?}");
    }

    #[test]
    fn tokens_keep_comments_and_space() {
        let toks = tokens("const a = `x${1}y`; // c\n/* d */").unwrap();
        let texts: Vec<_> = toks.iter().map(|t| t.text).collect();
        assert_eq!(
            texts,
            [
                "const", "a", "=", "`", "x", "${", "1", "}", "y", "`", ";", "// c", "/* d */"
            ]
        );
        assert_eq!(toks[11].space, " ");
        assert_eq!(toks[12].space, "\n");
        assert_eq!(tokens("const = ;"), None);
    }

    #[test]
    fn the_shared_parse_gives_the_parsers_tokens() {
        let texts = [
            "export {};\nif (s) /'/.test(s);\n",
            "export const a = `x${1}y`; // c\n/* d */",
            "import { a } from \"a\";\nconst b: Array<Array<number>> = [[a >> 1]];\nexport default b;\n",
        ];
        for text in texts {
            let source = parse_for_format(text).unwrap();
            assert!(tokens(text).is_some(), "{text}");
            assert_eq!(tokens_of(&source, text), tokens(text), "{text}");
        }
        // A script (no import or export) is parsed again as a module, as `tokens` would.
        let script = "with (a) b;\n";
        let source = parse_for_format(script).unwrap();
        assert_eq!(tokens_of(&source, script), None);
        // The formatter parses a text with a BOM itself.
        assert!(parse_for_format("\u{feff}export {};\n").is_none());
    }
}
