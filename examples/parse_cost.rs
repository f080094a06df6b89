//! Measures the parser's costs in release: target detection on a typical vite config (SPEC §10:
//! detection must cost well under 0.1 ms), and formatting the mirage render into a non-default
//! style that keeps the layout (SPEC §12: at most 5 ms), first call and steady state.
//! Run: `cargo run --release --example parse_cost`.

use std::time::{Duration, Instant};

use flue::project::style::{Indent, Quotes, Style};

const VITE: &str = r#"import { defineConfig } from "vite";
import { cloudflare } from "@cloudflare/vite-plugin";
import { flue } from "@flue/vite";

/* Build for the edge. */
export default defineConfig(({ mode }) => ({
  build: { target: "es2022", outDir: `dist/${mode}` },
  resolve: { alias: { "@": "/src" } },
  plugins: [
    flue({
      entry: "src/index.ts",
      target: "cloudflare",
    }),
    cloudflare({ configPath: "./wrangler.jsonc" }),
  ],
}));
"#;

/// The latest mirage render, the file `flue add sandbox mirage` formats.
fn render() -> String {
    let mirage = flue::blueprint::CATALOG
        .iter()
        .find(|b| b.kind == "sandbox" && b.name == "mirage")
        .expect("the catalog has mirage");
    (mirage.latest().render)()
}

fn per_call(runs: u32, mut f: impl FnMut()) -> Duration {
    let start = Instant::now();
    for _ in 0..runs {
        f();
    }
    start.elapsed() / runs
}

fn main() {
    // The benchmark's styled project (scripts/bench/bench.py): single quotes, tabs, no `;`.
    let styled = Style {
        quotes: Quotes::Single,
        indent: Indent::Tabs(2),
        semicolons: false,
        ..Style::default()
    };
    let render = render();
    let start = Instant::now();
    std::hint::black_box(flue::blueprint::format::format(&render, &styled).expect("formats"));
    let first = start.elapsed();

    for _ in 0..1_000 {
        flue::project::target::read_vite("vite.config.ts", VITE).expect("parses");
    }
    let per = per_call(20_000, || {
        let facts = flue::project::target::read_vite("vite.config.ts", VITE).expect("parses");
        std::hint::black_box(facts);
    });
    println!(
        "read_vite on a {}-byte vite config: {per:?} per call",
        VITE.len()
    );

    let format = per_call(200, || {
        std::hint::black_box(flue::blueprint::format::format(&render, &styled).expect("formats"));
    });
    let tokens = per_call(200, || {
        std::hint::black_box(flue::js::tokens(&render).expect("parses"));
    });
    println!(
        "format of the {}-byte mirage render (singleQuote, tabs, no semi): {first:?} first call, {format:?} per call; js::tokens on it: {tokens:?}",
        render.len()
    );
}
