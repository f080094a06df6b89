//! Measures target detection on a typical vite config (SPEC §10: detection must cost well
//! under 0.1 ms). Run: `cargo run --release --example parse_cost`.

use std::time::Instant;

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

fn main() {
    let runs = 20_000u32;
    for _ in 0..1_000 {
        flue::project::target::read_vite("vite.config.ts", VITE).expect("parses");
    }
    let start = Instant::now();
    for _ in 0..runs {
        let facts = flue::project::target::read_vite("vite.config.ts", VITE).expect("parses");
        std::hint::black_box(facts);
    }
    let per = start.elapsed() / runs;
    println!(
        "read_vite on a {}-byte vite config: {per:?} per call",
        VITE.len()
    );
}
