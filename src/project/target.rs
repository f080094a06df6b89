//! Finds the build target in vite and flue config files. Never executes them.
//!
//! A config is parsed once with the project's JavaScript parser ([`crate::js`]); the target
//! is then a query over the module's AST:
//!
//! - vite: imports from `@flue/…` (named `flue`, aliased, default, or a namespace `ns.flue`)
//!   and from `@cloudflare/vite-plugin`; the calls whose callee is such a binding; the first
//!   object-literal argument; its `target` property.
//! - flue config: the first `target` property of an object literal that is not nested in
//!   another object literal.
//!
//! A value is known when it is a string literal or a template literal without substitutions,
//! optionally under `as …`/`satisfies …`, or an identifier naming a top-level `const` bound to
//! such a literal (`const target = 'cloudflare'; flue({ target })`). Anything else is
//! [`ScanError::NotLiteral`]. Knows nothing about files or the precedence between sources
//! (SPEC §4): the caller reads the files, applies the precedence and reports a [`ScanError`].

use deno_ast::swc::ast::{
    Callee, Decl, Expr, ImportSpecifier, Lit, MemberProp, ModuleDecl, ModuleExportName, ModuleItem,
    ObjectLit, Pat, Prop, PropName, PropOrSpread, Stmt, VarDeclKind,
};
use deno_ast::swc::common::{Span, Spanned};
use deno_ast::view::{self, NodeTrait};

use crate::js;

/// The build target a project is meant for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TargetName {
    /// A Node.js server.
    Node,
    /// Cloudflare Workers.
    Cloudflare,
}

impl TargetName {
    /// The word used in config files and on the command line.
    pub fn as_str(self) -> &'static str {
        match self {
            TargetName::Node => "node",
            TargetName::Cloudflare => "cloudflare",
        }
    }

    fn from_literal(s: &str) -> Option<Self> {
        match s {
            "node" => Some(TargetName::Node),
            "cloudflare" => Some(TargetName::Cloudflare),
            _ => None,
        }
    }
}

/// Something found in a config file, with where it was found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found<T> {
    /// What was found.
    pub value: T,
    /// 1-based line of the value (the string literal, or the callee of the call).
    pub line: usize,
    /// 1-based column, counted in characters (a leading BOM is not counted).
    pub column: usize,
}

/// Why the target could not be read from a config file.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum ScanError {
    /// `target` is present but not a string literal (e.g. `process.env.T`, a variable, a
    /// template literal with `${}`).
    #[error("`target` is not a string literal (`{text}`), so the build target cannot be known")]
    NotLiteral {
        /// 1-based line of the value.
        line: usize,
        /// 1-based column of the value, in characters.
        column: usize,
        /// The expression's source text, whitespace collapsed, at most 60 characters.
        text: String,
    },
    /// A string literal that is neither `"node"` nor `"cloudflare"`.
    #[error("unknown target `{value}`, expected `node` or `cloudflare`")]
    UnknownTarget {
        /// 1-based line of the literal.
        line: usize,
        /// 1-based column of the literal, in characters.
        column: usize,
        /// The literal's value, at most 60 characters.
        value: String,
    },
    /// The file is not valid JavaScript/TypeScript: the parser's first syntax error.
    #[error("cannot read the config: {message}")]
    Unparseable {
        /// 1-based line of the syntax error.
        line: usize,
        /// 1-based column of the syntax error, in characters.
        column: usize,
        /// The parser's message, a lowercase phrase.
        message: String,
    },
}

impl ScanError {
    /// 1-based `(line, column)` of the problem.
    pub fn location(&self) -> (usize, usize) {
        match self {
            ScanError::NotLiteral { line, column, .. }
            | ScanError::UnknownTarget { line, column, .. }
            | ScanError::Unparseable { line, column, .. } => (*line, *column),
        }
    }
}

/// What a vite config says: `flue({ target })` (SPEC §4 step 2) and `cloudflare()` (step 4).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ViteFacts {
    /// Every inline `flue({ target })` call's target, in source order: the first decides;
    /// the others are only compared with it, for the `conflicting_flue_targets` warning.
    pub flue_targets: Vec<Found<TargetName>>,
    /// The first `cloudflare()` call from `@cloudflare/vite-plugin`.
    pub cloudflare_plugin: Option<Found<()>>,
}

impl ViteFacts {
    /// The `flue({ target })` that decides, when there is one.
    pub fn flue_target(&self) -> Option<&Found<TargetName>> {
        self.flue_targets.first()
    }
}

/// Reads a vite config (`path` is its file name, which picks TypeScript or JavaScript),
/// parsing it once for every question asked of it.
pub fn read_vite(path: &str, text: &str) -> Result<ViteFacts, ScanError> {
    js::with_stack_for(text, || {
        let config = parse(path, text)?;
        Ok(ViteFacts {
            flue_targets: config.flue_targets()?,
            cloudflare_plugin: config.cloudflare_plugin(),
        })
    })
}

/// Reads a flue config's `target` (`path` is its file name).
pub fn read_flue_config(path: &str, text: &str) -> Result<Option<Found<TargetName>>, ScanError> {
    js::with_stack_for(text, || parse(path, text)?.config_target())
}

/// A parsed config file, ready for the queries below.
struct Config<'t> {
    module: js::Module<'t>,
}

/// Parses a config; `path` (its file name) picks TypeScript or JavaScript by extension.
fn parse<'t>(path: &str, text: &'t str) -> Result<Config<'t>, ScanError> {
    match js::parse(path, text) {
        Ok(module) => Ok(Config { module }),
        Err(e) => {
            let (line, column) = js::line_col(text, e.offset);
            Err(ScanError::Unparseable {
                line,
                column,
                message: e.message,
            })
        }
    }
}

impl Config<'_> {
    /// vite.config.*: the `target` property of the first object-literal argument of each call
    /// to `flue(…)`, in source order, where `flue` is bound by an import from any `@flue/…`
    /// package (named `flue`, possibly aliased, default, or `ns.flue`). Without such an import
    /// a call of a plain `flue` still counts. The first call whose object has a `target` wins:
    /// its error is returned; a later call whose target cannot be read is left out.
    fn flue_targets(&self) -> Result<Vec<Found<TargetName>>, ScanError> {
        let mut binds = self.import_bindings(|m| m.starts_with("@flue/"), "flue");
        if binds.is_empty() {
            binds.push(Binding::Local("flue".to_owned()));
        }
        let mut out = Vec::new();
        for call in self.calls(&binds, "flue") {
            let first_object = call.args.iter().find_map(|a| match &*a.expr {
                Expr::Object(o) if a.spread.is_none() => Some(o),
                _ => None,
            });
            if let Some(value) = first_object.and_then(target_value) {
                match self.read_target(value) {
                    Ok(found) => out.push(found),
                    Err(e) if out.is_empty() => return Err(e),
                    Err(_) => {}
                }
            }
        }
        Ok(out)
    }

    /// vite.config.*: the first call of `cloudflare` imported from `@cloudflare/vite-plugin`
    /// (named, possibly aliased, default, or `ns.cloudflare`). Only counts when that import
    /// exists. The position is the callee's.
    fn cloudflare_plugin(&self) -> Option<Found<()>> {
        let binds = self.import_bindings(|m| m == "@cloudflare/vite-plugin", "cloudflare");
        if binds.is_empty() {
            return None;
        }
        let call = self.calls(&binds, "cloudflare").into_iter().next()?;
        let (line, column) = self.module.line_col(call.callee.span());
        Some(Found {
            value: (),
            line,
            column,
        })
    }

    /// flue.config.*: the first `target` property of an object literal that is not nested
    /// inside another object literal.
    fn config_target(&self) -> Result<Option<Found<TargetName>>, ScanError> {
        let mut found = None;
        self.walk(|node, in_object| {
            if found.is_some() || in_object {
                return;
            }
            if let Some(obj) = node.to::<view::ObjectLit>()
                && let Some(value) = target_value(obj.inner)
            {
                found = Some(value);
            }
        });
        found.map(|v| self.read_target(v)).transpose()
    }

    /// Bindings of `export` (or the default export) from modules accepted by `module_ok`.
    /// Type-only imports never bind a callable.
    fn import_bindings(&self, module_ok: impl Fn(&str) -> bool, export: &str) -> Vec<Binding> {
        let mut out = Vec::new();
        for item in self.module.body() {
            let ModuleItem::ModuleDecl(ModuleDecl::Import(import)) = item else {
                continue;
            };
            if import.type_only || !module_ok(&wtf8(&import.src.value)) {
                continue;
            }
            for spec in &import.specifiers {
                match spec {
                    ImportSpecifier::Named(n) if !n.is_type_only => {
                        let imported = match &n.imported {
                            Some(ModuleExportName::Ident(i)) => i.sym.to_string(),
                            Some(ModuleExportName::Str(s)) => wtf8(&s.value),
                            None => n.local.sym.to_string(),
                        };
                        if imported == export || imported == "default" {
                            out.push(Binding::Local(n.local.sym.to_string()));
                        }
                    }
                    ImportSpecifier::Named(_) => {}
                    ImportSpecifier::Default(d) => {
                        out.push(Binding::Local(d.local.sym.to_string()))
                    }
                    ImportSpecifier::Namespace(ns) => {
                        out.push(Binding::Namespace(ns.local.sym.to_string()));
                    }
                }
            }
        }
        out
    }

    /// Calls whose callee is one of `binds`, in source order.
    fn calls(&self, binds: &[Binding], export: &str) -> Vec<&deno_ast::swc::ast::CallExpr> {
        let mut out = Vec::new();
        self.walk(|node, _| {
            let Some(call) = node.to::<view::CallExpr>() else {
                return;
            };
            let Callee::Expr(callee) = &call.inner.callee else {
                return;
            };
            let hit = binds.iter().any(|b| match (b, &**callee) {
                (Binding::Local(local), Expr::Ident(id)) => id.sym == *local,
                (Binding::Namespace(ns), Expr::Member(m)) => {
                    matches!(&*m.obj, Expr::Ident(o) if o.sym == *ns)
                        && matches!(&m.prop, MemberProp::Ident(p) if p.sym == *export)
                }
                _ => false,
            });
            if hit {
                out.push(call.inner);
            }
        });
        out
    }

    /// Visits every node in source order (pre-order) with whether an object literal encloses
    /// it. An explicit stack, so deep nesting cannot overflow this walk.
    fn walk<'a>(&'a self, mut visit: impl FnMut(view::Node<'a>, bool)) {
        // The view borrows the parsed module, which `self` owns for `'a`. Neither tokens nor
        // comments are needed (or captured).
        let info = view::ProgramInfo {
            program: view::ProgramRef::Module(self.module.ast()),
            text_info: None,
            tokens: None,
            comments: None,
        };
        view::with_ast_view(info, |program| {
            let mut stack = vec![(program.into(), false)];
            while let Some((node, in_object)) = stack.pop() {
                visit(node, in_object);
                let inner = in_object || node.kind() == view::NodeKind::ObjectLit;
                stack.extend(node.children().into_iter().rev().map(|c| (c, inner)));
            }
        });
    }

    /// The target a value names: a literal, or a top-level `const` bound to one.
    fn read_target(&self, value: TargetValue) -> Result<Found<TargetName>, ScanError> {
        let (literal, span) = match value {
            TargetValue::Expr(e) => (
                literal(e).or_else(|| match e {
                    Expr::Ident(id) => self.const_literal(&id.sym),
                    _ => None,
                }),
                e.span(),
            ),
            TargetValue::Shorthand(id) => (self.const_literal(&id.sym), id.span),
        };
        let Some((text, span)) = literal else {
            let (line, column) = self.module.line_col(span);
            let collapsed = self.module.slice(span).split_whitespace();
            return Err(ScanError::NotLiteral {
                line,
                column,
                text: shorten(&collapsed.collect::<Vec<_>>().join(" ")),
            });
        };
        let (line, column) = self.module.line_col(span);
        match TargetName::from_literal(&text) {
            Some(name) => Ok(Found {
                value: name,
                line,
                column,
            }),
            None => Err(ScanError::UnknownTarget {
                line,
                column,
                value: shorten(&text),
            }),
        }
    }

    /// The literal a top-level `const name = …` (exported or not) is bound to.
    fn const_literal(&self, name: &str) -> Option<(String, Span)> {
        self.module.body().iter().find_map(|item| {
            let var = match item {
                ModuleItem::Stmt(Stmt::Decl(Decl::Var(v))) => v,
                ModuleItem::ModuleDecl(ModuleDecl::ExportDecl(e)) => match &e.decl {
                    Decl::Var(v) => v,
                    _ => return None,
                },
                _ => return None,
            };
            if var.kind != VarDeclKind::Const || var.declare {
                return None;
            }
            var.decls.iter().find_map(|d| match (&d.name, &d.init) {
                (Pat::Ident(id), Some(init)) if id.id.sym == *name => literal(init),
                _ => None,
            })
        })
    }
}

/// How an imported function can be called.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Binding {
    /// `local(…)`.
    Local(String),
    /// `ns.export(…)` after `import * as ns`.
    Namespace(String),
}

/// The value of a `target` property.
#[derive(Clone, Copy)]
enum TargetValue<'a> {
    /// `target: <expr>`.
    Expr(&'a Expr),
    /// `{ target }`.
    Shorthand(&'a deno_ast::swc::ast::Ident),
}

/// The first `target` property directly in `obj` (a key `target` or `'target'`, or the
/// shorthand); methods, accessors and computed keys do not count.
fn target_value(obj: &ObjectLit) -> Option<TargetValue<'_>> {
    obj.props.iter().find_map(|p| match p {
        PropOrSpread::Prop(prop) => match &**prop {
            Prop::KeyValue(kv) => {
                let is_target = match &kv.key {
                    PropName::Ident(i) => i.sym == "target",
                    PropName::Str(s) => wtf8(&s.value) == "target",
                    _ => false,
                };
                is_target.then_some(TargetValue::Expr(&kv.value))
            }
            Prop::Shorthand(id) if id.sym == "target" => Some(TargetValue::Shorthand(id)),
            _ => None,
        },
        PropOrSpread::Spread(_) => None,
    })
}

/// A string literal or a template without substitutions, under any `as`/`satisfies`: its
/// value and the literal's span.
fn literal(expr: &Expr) -> Option<(String, Span)> {
    match expr {
        Expr::Lit(Lit::Str(s)) => Some((wtf8(&s.value), s.span)),
        Expr::Tpl(t) if t.exprs.is_empty() && t.quasis.len() == 1 => {
            let cooked = t.quasis[0].cooked.as_ref()?;
            Some((wtf8(cooked), t.span))
        }
        Expr::TsAs(a) => literal(&a.expr),
        Expr::TsSatisfies(s) => literal(&s.expr),
        Expr::TsConstAssertion(c) => literal(&c.expr),
        _ => None,
    }
}

fn wtf8(s: &deno_ast::swc::atoms::Wtf8Atom) -> String {
    s.to_atom_lossy().to_string()
}

/// Longest text kept in an error, in characters.
const MAX_TEXT: usize = 60;

fn shorten(s: &str) -> String {
    if s.chars().count() <= MAX_TEXT {
        s.to_owned()
    } else {
        let mut out: String = s.chars().take(MAX_TEXT - 1).collect();
        out.push('…');
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn flue(src: &str) -> Result<Option<Found<TargetName>>, ScanError> {
        read_vite("vite.config.ts", src).map(|v| v.flue_target().cloned())
    }
    fn conf(src: &str) -> Result<Option<Found<TargetName>>, ScanError> {
        read_flue_config("flue.config.ts", src)
    }
    fn cf(src: &str) -> Result<Option<Found<()>>, ScanError> {
        read_vite("vite.config.ts", src).map(|v| v.cloudflare_plugin)
    }
    fn found<T>(value: T, line: usize, column: usize) -> Option<Found<T>> {
        Some(Found {
            value,
            line,
            column,
        })
    }
    fn not_literal(line: usize, column: usize, text: &str) -> ScanError {
        ScanError::NotLiteral {
            line,
            column,
            text: text.to_owned(),
        }
    }
    fn unparseable(line: usize, column: usize, message: &str) -> ScanError {
        ScanError::Unparseable {
            line,
            column,
            message: message.to_owned(),
        }
    }
    use TargetName::{Cloudflare, Node};

    // --- vite: flue({ target }) -------------------------------------------------------

    #[test]
    fn vite_named_import() {
        let src = "import { flue } from '@flue/vite'\nexport default { plugins: [flue({ target: 'cloudflare' })] }\n";
        assert_eq!(flue(src), Ok(found(Cloudflare, 2, 43)));
    }

    #[test]
    fn vite_default_import() {
        let src = "import flue from \"@flue/vite\";\nflue({ target: \"node\" })";
        assert_eq!(flue(src), Ok(found(Node, 2, 16)));
    }

    #[test]
    fn vite_aliased_import() {
        let src = "import { flue as f } from '@flue/vite'\nf({ target: 'node' })";
        assert_eq!(flue(src), Ok(found(Node, 2, 13)));
    }

    #[test]
    fn vite_alias_makes_plain_flue_not_count() {
        let src = "import { flue as f } from '@flue/vite'\nflue({ target: 'cloudflare' })\nf({ target: 'node' })";
        assert_eq!(flue(src), Ok(found(Node, 3, 13)));
    }

    #[test]
    fn vite_any_flue_package() {
        let src = "import { flue as x } from '@flue/other'\nx({ target: 'node' })";
        assert_eq!(flue(src), Ok(found(Node, 2, 13)));
    }

    #[test]
    fn vite_namespace_import() {
        let src = "import * as F from '@flue/vite'\nF.flue({ target: 'node' })";
        assert_eq!(flue(src), Ok(found(Node, 2, 18)));
    }

    #[test]
    fn vite_without_import_plain_flue_counts() {
        assert_eq!(flue("flue({ target: 'node' })"), Ok(found(Node, 1, 16)));
    }

    #[test]
    fn vite_member_call_does_not_count() {
        assert_eq!(flue("x.flue({ target: 'node' })"), Ok(None));
    }

    #[test]
    fn vite_nested_target_does_not_count() {
        assert_eq!(flue("flue({ build: { target: 'node' } })"), Ok(None));
    }

    #[test]
    fn vite_flue_without_target_is_none() {
        assert_eq!(
            flue("import { flue } from '@flue/vite'\nflue()\nflue({ entry: 'x' })"),
            Ok(None)
        );
    }

    #[test]
    fn vite_every_flue_call_in_order() {
        let src = "import { flue } from '@flue/vite';\nflue({ target: 'node' });\nflue({ target: process.env.T });\nflue({ target: 'cloudflare' });\n";
        let all = read_vite("vite.config.ts", src).unwrap().flue_targets;
        let got: Vec<_> = all.iter().map(|f| (f.value, f.line)).collect();
        assert_eq!(got, [(TargetName::Node, 2), (TargetName::Cloudflare, 4)]);
    }

    #[test]
    fn vite_first_flue_call_wins() {
        let src = "flue({ target: 'node' }); flue({ target: 'cloudflare' })";
        assert_eq!(flue(src), Ok(found(Node, 1, 16)));
    }

    #[test]
    fn vite_call_without_target_is_skipped() {
        let src = "flue(); flue({ target: 'cloudflare' })";
        assert_eq!(flue(src), Ok(found(Cloudflare, 1, 24)));
    }

    #[test]
    fn vite_first_object_argument() {
        assert_eq!(
            flue("flue(opts, { target: 'node' })"),
            Ok(found(Node, 1, 22))
        );
    }

    #[test]
    fn vite_line_comment_decoy() {
        assert_eq!(
            flue("// flue({ target: 'cloudflare' })\nexport default {}"),
            Ok(None)
        );
    }

    #[test]
    fn vite_block_comment_decoy() {
        assert_eq!(
            flue("/* flue({ target: 'cloudflare' }) */ flue({ target: 'node' })"),
            Ok(found(Node, 1, 53))
        );
    }

    #[test]
    fn vite_string_decoy() {
        assert_eq!(
            flue("const s = \"flue({ target: 'cloudflare' })\""),
            Ok(None)
        );
    }

    #[test]
    fn vite_template_decoy() {
        assert_eq!(
            flue("const s = `flue({ target: 'cloudflare' }) ${1 + `flue(${'x'})`}`"),
            Ok(None)
        );
    }

    #[test]
    fn vite_braces_inside_substitution() {
        let src = "const s = `${ {a: '}'}.a } ${`${'`'}`}`; flue({ target: 'node' })";
        assert_eq!(flue(src), Ok(found(Node, 1, 57)));
    }

    #[test]
    fn vite_regex_decoy() {
        assert_eq!(
            flue("const r = /flue\\({ target: '[/]cloudflare' }\\)/g; flue()"),
            Ok(None)
        );
    }

    #[test]
    fn vite_division_is_not_regex() {
        let src = "const a = (1) / 2; flue({ target: 'node' }) // /";
        assert_eq!(flue(src), Ok(found(Node, 1, 35)));
    }

    #[test]
    fn vite_method_named_flue_does_not_count() {
        assert_eq!(
            flue("const o = { flue() { return 1 } }; function flue(x) {}"),
            Ok(None)
        );
    }

    #[test]
    fn vite_env_target_is_not_literal() {
        let src = "flue({\n  target: process.env.TARGET,\n})";
        assert_eq!(flue(src), Err(not_literal(2, 11, "process.env.TARGET")));
    }

    #[test]
    fn vite_variable_target_is_not_literal() {
        assert_eq!(flue("flue({ target: t })"), Err(not_literal(1, 16, "t")));
    }

    #[test]
    fn vite_template_with_substitution_is_not_literal() {
        assert_eq!(
            flue("flue({ target: `${t}` })"),
            Err(not_literal(1, 16, "`${t}`"))
        );
    }

    #[test]
    fn vite_ternary_is_not_literal() {
        let src = "flue({ target: ci ? 'cloudflare' : 'node', x: 1 })";
        assert_eq!(
            flue(src),
            Err(not_literal(1, 16, "ci ? 'cloudflare' : 'node'"))
        );
    }

    #[test]
    fn vite_not_literal_text_is_truncated() {
        let long = format!("flue({{ target: {} }})", "a.".repeat(100) + "b");
        let Err(ScanError::NotLiteral { text, .. }) = flue(&long) else {
            panic!()
        };
        assert_eq!(text.chars().count(), 60);
        assert!(text.ends_with('…'));
    }

    #[test]
    fn vite_unknown_target() {
        let src = "flue({ target: 'deno' })";
        assert_eq!(
            flue(src),
            Err(ScanError::UnknownTarget {
                line: 1,
                column: 16,
                value: "deno".to_owned()
            })
        );
    }

    #[test]
    fn vite_realistic_config_with_both_plugins() {
        let src = r#"// vite.config.ts
import { defineConfig } from 'vite'
import { cloudflare } from "@cloudflare/vite-plugin";
import { flue } from '@flue/vite'

/* Build for the edge. flue({ target: 'node' }) was the old setting. */
export default defineConfig(({ mode }) => ({
  build: { target: 'es2022', outDir: `dist/${mode}` },
  resolve: { alias: { '@': '/src' } },
  plugins: [
    flue({
      entry: 'src/index.ts',
      target: 'cloudflare',
    }),
    cloudflare({ configPath: './wrangler.jsonc' }),
  ],
}))
"#;
        assert_eq!(flue(src), Ok(found(Cloudflare, 13, 15)));
        assert_eq!(cf(src), Ok(found((), 15, 5)));
    }

    // --- vite: cloudflare() -----------------------------------------------------------

    #[test]
    fn cloudflare_named_import() {
        let src = "import { cloudflare } from '@cloudflare/vite-plugin'\nexport default { plugins: [cloudflare()] }";
        assert_eq!(cf(src), Ok(found((), 2, 28)));
    }

    #[test]
    fn cloudflare_aliased_import() {
        let src = "import { cloudflare as cfp } from '@cloudflare/vite-plugin'\nplugins: [cloudflare(), cfp()]";
        assert_eq!(cf(src), Ok(found((), 2, 25)));
    }

    #[test]
    fn cloudflare_default_import() {
        let src = "import plugin from '@cloudflare/vite-plugin'\nplugin()";
        assert_eq!(cf(src), Ok(found((), 2, 1)));
    }

    #[test]
    fn cloudflare_without_import_does_not_count() {
        assert_eq!(cf("export default { plugins: [cloudflare()] }"), Ok(None));
    }

    #[test]
    fn cloudflare_import_without_call_does_not_count() {
        assert_eq!(
            cf(
                "import { cloudflare } from '@cloudflare/vite-plugin'\nplugins: [/* cloudflare() */]"
            ),
            Ok(None)
        );
    }

    #[test]
    fn cloudflare_type_only_import_does_not_count() {
        assert_eq!(
            cf("import type { cloudflare } from '@cloudflare/vite-plugin'\ncloudflare()"),
            Ok(None)
        );
    }

    #[test]
    fn cloudflare_other_module_does_not_count() {
        assert_eq!(
            cf("import { cloudflare } from './local'\ncloudflare()"),
            Ok(None)
        );
    }

    #[test]
    fn cloudflare_string_decoy() {
        let src = "import { cloudflare } from '@cloudflare/vite-plugin'\nconst s = 'cloudflare()'";
        assert_eq!(cf(src), Ok(None));
    }

    // --- flue.config ------------------------------------------------------------------

    #[test]
    fn config_define_config() {
        assert_eq!(
            conf("export default defineConfig({ target: 'cloudflare' })"),
            Ok(found(Cloudflare, 1, 39))
        );
    }

    #[test]
    fn config_export_default_object() {
        assert_eq!(
            conf("export default { target: \"node\" }"),
            Ok(found(Node, 1, 26))
        );
    }

    #[test]
    fn config_const_then_export() {
        let src = "const config = { target: 'node' };\nexport default config";
        assert_eq!(conf(src), Ok(found(Node, 1, 26)));
    }

    #[test]
    fn config_module_exports() {
        assert_eq!(
            conf("module.exports = {\n\ttarget: 'cloudflare'\n}"),
            Ok(found(Cloudflare, 2, 10))
        );
    }

    #[test]
    fn config_arrow_returning_object() {
        let src = "export default defineConfig(() => { return { target: 'node' } })";
        assert_eq!(conf(src), Ok(found(Node, 1, 54)));
    }

    #[test]
    fn config_double_quoted_key() {
        assert_eq!(
            conf("export default { \"target\": \"node\" }"),
            Ok(found(Node, 1, 28))
        );
    }

    #[test]
    fn config_single_quoted_key() {
        assert_eq!(
            conf("export default { 'target': 'node' }"),
            Ok(found(Node, 1, 28))
        );
    }

    #[test]
    fn config_template_without_substitution_is_literal() {
        assert_eq!(
            conf("export default { target: `node` }"),
            Ok(found(Node, 1, 26))
        );
    }

    #[test]
    fn config_as_const_is_literal() {
        assert_eq!(
            conf("export default { target: 'node' as const }"),
            Ok(found(Node, 1, 26))
        );
    }

    #[test]
    fn config_escaped_literal_is_decoded() {
        assert_eq!(
            conf("export default { target: 'no\\u0064e' }"),
            Ok(found(Node, 1, 26))
        );
    }

    #[test]
    fn config_shorthand_names_a_const_literal() {
        assert_eq!(
            conf("const target = 'node'\nexport default { target }"),
            Ok(found(Node, 1, 16))
        );
    }

    #[test]
    fn config_shorthand_without_a_const_is_not_literal() {
        assert_eq!(
            conf("let target = 'node'\nexport default { target }"),
            Err(not_literal(2, 18, "target"))
        );
    }

    #[test]
    fn vite_const_bound_to_a_literal() {
        let src = "import { flue } from '@flue/vite'\nexport const t = 'cloudflare' as const\nconst target = `node`\nflue({ target: t }); flue({ target })";
        assert_eq!(flue(src), Ok(found(Cloudflare, 2, 18)));
        assert_eq!(
            flue("function f(t) { return flue({ target: t }) }\nconst t = process.env.T"),
            Err(not_literal(1, 39, "t"))
        );
    }

    #[test]
    fn vite_regex_after_paren_and_brace() {
        let src = "import { flue } from '@flue/vite'\nif (s) /'/.test(s)\nif (s) {}\n/'/.test(s)\nflue({ target: 'node' })";
        assert_eq!(flue(src), Ok(found(Node, 5, 16)));
    }

    #[test]
    fn vite_destructuring_parameter_named_target() {
        let src = "const g = ({ target }, b) => target\nfunction h({ target = 'x' }) {}\nflue({ target: 'node' })";
        assert_eq!(flue(src), Ok(found(Node, 3, 16)));
    }

    #[test]
    fn vite_generic_arrow() {
        let src = "const id = <T,>(x: T): T => x\nconst k = async <T extends { target: string }>(o: T) => o\nflue(id({ target: 'cloudflare' }), { target: 'node' })";
        assert_eq!(flue(src), Ok(found(Node, 3, 46)));
    }

    #[test]
    fn config_method_target_is_ignored() {
        assert_eq!(
            conf("export default { target() { return 'x' }, t: 1 }"),
            Ok(None)
        );
    }

    #[test]
    fn config_computed_target_is_ignored() {
        assert_eq!(
            conf("export default { ['target']: process.env.T }"),
            Ok(None)
        );
    }

    #[test]
    fn config_nested_target_is_ignored() {
        assert_eq!(
            conf("export default { vite: { build: { target: 'es2020' } }, target: 'node' }"),
            Ok(found(Node, 1, 65))
        );
    }

    #[test]
    fn config_first_depth_one_target_wins() {
        let src = "const a = { target: 'cloudflare' }\nconst b = { target: 'node' }";
        assert_eq!(conf(src), Ok(found(Cloudflare, 1, 21)));
    }

    #[test]
    fn config_type_literal_is_ignored() {
        let src = "type Opts = { target: 'node' | 'cloudflare' }\ninterface I { target: string }\n\
                   function f(o: { target: string }): { target: X } { return o }\n\
                   export default defineConfig<{ target: T }>({ target: 'node' })";
        assert_eq!(conf(src), Ok(found(Node, 4, 54)));
    }

    #[test]
    fn config_generic_type_alias_is_ignored() {
        let src = "type O<T extends A<B>> = { target: T }\nexport default { target: 'node' }";
        assert_eq!(conf(src), Ok(found(Node, 2, 26)));
    }

    #[test]
    fn decode_escapes() {
        let src = r"export default { target: 'no\x64\u0065', x: '\u{43}\'\n' }";
        assert_eq!(conf(src), Ok(found(Node, 1, 26)));
    }

    #[test]
    fn config_destructuring_is_ignored() {
        let src = "const { target } = process.env\nconst f = ({ target: t }) => t\nexport default { target: 'node' }";
        assert_eq!(conf(src), Ok(found(Node, 3, 26)));
    }

    #[test]
    fn config_comment_and_string_decoys() {
        let src = "// target: 'cloudflare'\nconst s = \"target: 'cloudflare'\"\n/* { target: 'cloudflare' } */\nexport default { target: 'node' }";
        assert_eq!(conf(src), Ok(found(Node, 4, 26)));
    }

    #[test]
    fn config_without_target_is_none() {
        assert_eq!(conf("export default defineConfig({})"), Ok(None));
    }

    #[test]
    fn config_unknown_target() {
        assert_eq!(
            conf("export default { target: 'Node' }"),
            Err(ScanError::UnknownTarget {
                line: 1,
                column: 26,
                value: "Node".to_owned()
            })
        );
    }

    #[test]
    fn config_missing_value_is_unparseable() {
        assert_eq!(
            conf("export default { target:"),
            Err(unparseable(1, 25, "expression expected"))
        );
    }

    // --- positions --------------------------------------------------------------------

    #[test]
    fn crlf_counts_as_one_line() {
        let src = "import { flue } from '@flue/vite'\r\n\r\nflue({\r\n  target: 'node' })";
        assert_eq!(flue(src), Ok(found(Node, 4, 11)));
    }

    #[test]
    fn columns_count_characters_not_bytes() {
        assert_eq!(
            conf("export default { ünï: 'ü', target: 'node' }"),
            Ok(found(Node, 1, 36))
        );
    }

    #[test]
    fn leading_bom_is_not_a_column() {
        assert_eq!(
            conf("\u{feff}export default { target: 'node' }"),
            Ok(found(Node, 1, 26))
        );
    }

    // --- unparseable ------------------------------------------------------------------

    #[test]
    fn unterminated_string() {
        assert_eq!(
            conf("export default {\n  x: 'abc,\n  target: 'node' }"),
            Err(unparseable(2, 6, "unterminated string constant"))
        );
    }

    #[test]
    fn unterminated_block_comment() {
        assert_eq!(
            flue("flue({ target: 'node' })\n  /* oops"),
            Err(unparseable(2, 10, "unterminated block comment"))
        );
    }

    #[test]
    fn unterminated_template() {
        assert_eq!(
            flue("const a = `x ${ `y` } \nflue()"),
            Err(unparseable(1, 21, "unterminated template"))
        );
    }

    #[test]
    fn unterminated_regex_is_unparseable() {
        assert_eq!(
            conf("const a = /x\nexport default { target: 'node' }"),
            Err(unparseable(1, 11, "unterminated regexp literal"))
        );
    }

    #[test]
    fn error_accessors() {
        let e = not_literal(3, 4, "x");
        assert_eq!(e.location(), (3, 4));
        assert!(
            e.to_string()
                .starts_with("`target` is not a string literal")
        );
    }

    #[test]
    fn one_megabyte_config_is_scanned() {
        let mut src = String::from("import { flue } from '@flue/vite'\n");
        let filler = "const x = { a: [1, 2, `t ${y} z`], b: 'str', c: /re[/]/g } // c\n";
        while src.len() < 1_000_000 {
            src.push_str(filler);
        }
        src.push_str("flue({ target: 'node' })\n");
        let lines = src.lines().count();
        assert_eq!(flue(&src), Ok(found(Node, lines, 16)));
    }

    #[test]
    fn deep_nesting_does_not_overflow() {
        let src = "`${".repeat(100_000) + "{(".repeat(100_000).as_str();
        assert!(flue(&src).is_err());
        let src = "{[(".repeat(100_000) + "target: x";
        let Err(ScanError::Unparseable { line, column, .. }) = conf(&src) else {
            panic!("too deep is a syntax error")
        };
        assert_eq!((line, column), (1, 1001));
        // Deep but valid: parsed on a thread with a large stack.
        let src = format!(
            "{}flue({{ target: 'node' }}){}",
            "[".repeat(900),
            "]".repeat(900)
        );
        assert_eq!(flue(&src), Ok(found(Node, 1, 916)));
    }

    mod props {
        use super::super::*;
        use proptest::prelude::*;

        const VALID: &[&str] = &[
            "import { flue } from '@flue/vite'\nimport { cloudflare as c } from '@cloudflare/vite-plugin'\nexport default defineConfig({ plugins: [flue({ target: 'cloudflare', x: `a${b}` }), c()] })\n",
            "export default defineConfig({\r\n  // comment\r\n  target: \"node\",\r\n  re: /[/]x/g,\r\n})\r\n",
            "type T = { target: string }\nconst config: T = { target: 'node' as const }\nmodule.exports = config\n",
        ];

        fn scan_vite_flue_target(src: &str) -> Result<Option<Found<TargetName>>, ScanError> {
            read_vite("vite.config.ts", src).map(|v| v.flue_target().cloned())
        }
        fn scan_flue_config_target(src: &str) -> Result<Option<Found<TargetName>>, ScanError> {
            read_flue_config("flue.config.ts", src)
        }

        fn scan_all(src: &str) {
            let lines = src.split('\n').count() + src.matches('\r').count();
            let cf = read_vite("vite.config.ts", src).map(|v| v.cloudflare_plugin);
            for r in [
                scan_vite_flue_target(src).map(|f| f.map(|f| (f.line, f.column))),
                scan_flue_config_target(src).map(|f| f.map(|f| (f.line, f.column))),
                cf.map(|f| f.map(|f| (f.line, f.column))),
            ] {
                let (line, col) = match r {
                    Ok(None) => continue,
                    Ok(Some(p)) => p,
                    Err(e) => e.location(),
                };
                assert!(line >= 1 && line <= lines.max(1) && col >= 1);
            }
        }

        proptest! {
            #[test]
            fn arbitrary_text_never_panics(src in any::<String>()) {
                scan_all(&src);
            }

            #[test]
            fn js_like_text_never_panics(src in "[ \\n\\r\\t{}()\\[\\]'\"`$/*\\\\:,.;=<>?a-z0-9é]{0,200}") {
                scan_all(&src);
            }

            #[test]
            fn truncated_configs_never_panic(i in 0usize..3, cut in 0usize..400) {
                let src = VALID[i];
                let cut = src.char_indices().map(|(k, _)| k).nth(cut).unwrap_or(src.len());
                scan_all(&src[..cut]);
            }

            #[test]
            fn configs_with_inserted_chars_never_panic(i in 0usize..3, at in 0usize..400, c in any::<char>(), n in 1usize..4) {
                let src = VALID[i];
                let at = src.char_indices().map(|(k, _)| k).nth(at).unwrap_or(src.len());
                let mut s = src.to_owned();
                for _ in 0..n { s.insert(at, c); }
                scan_all(&s);
            }

            #[test]
            fn leading_comment_shifts_result_by_one_line(text in "[^\\r\\n\u{2028}\u{2029}]{0,80}") {
                let base = VALID[0];
                let shifted = format!("//{text}\n{base}");
                let a = scan_vite_flue_target(base).unwrap().unwrap();
                let b = scan_vite_flue_target(&shifted).unwrap().unwrap();
                prop_assert_eq!(b.value, a.value);
                prop_assert_eq!((b.line, b.column), (a.line + 1, a.column));
            }

            #[test]
            fn string_contents_never_count(text in "[^'\\\\\\r\\n]{0,80}") {
                let src = format!("const s = '{text}'\nexport default {{ target: 'node' }}");
                prop_assert_eq!(scan_flue_config_target(&src).unwrap().map(|f| (f.value, f.line)), Some((TargetName::Node, 2)));
            }
        }
    }
}
