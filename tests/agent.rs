//! The agent contract: no command ever waits for input when stdin is not a
//! terminal, under `CI`, or under a coding agent, even when stdin *is* a
//! terminal; pending upgrades then exit 3 with nothing written; agents get
//! no colour.

use std::fs;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Duration;

fn project_with_v1() -> tempfile::TempDir {
    let d = tempfile::tempdir().unwrap();
    fs::write(
        d.path().join("package.json"),
        "{\n  \"dependencies\": {\n    \"@flue/runtime\": \"^2.1.0\"\n  }\n}\n",
    )
    .unwrap();
    let out = flue(
        d.path(),
        &["add", "mirage@1"],
        &[("CI", "true")],
        Stdio::null(),
    );
    assert_eq!(out.0, Some(0));
    d
}

/// Runs flue; a run that waits for input is killed after 20 s and reported as `None`.
fn flue(
    dir: &Path,
    args: &[&str],
    env: &[(&str, &str)],
    stdin: Stdio,
) -> (Option<i32>, String, String) {
    let mut c = Command::new(env!("CARGO_BIN_EXE_flue"));
    c.args(args)
        .current_dir(dir)
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("HOME", dir)
        .stdin(stdin)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    for (k, v) in env {
        c.env(k, v);
    }
    let mut child = c.spawn().unwrap();
    let start = std::time::Instant::now();
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            let out = child.wait_with_output().unwrap();
            return (
                status.code(),
                String::from_utf8_lossy(&out.stdout).into(),
                String::from_utf8_lossy(&out.stderr).into(),
            );
        }
        if start.elapsed() > Duration::from_secs(20) {
            let _ = child.kill();
            return (None, String::new(), "timed out: it waited for input".into());
        }
        std::thread::sleep(Duration::from_millis(10));
    }
}

#[test]
fn pending_upgrade_never_prompts_without_terminal_ci_or_agent() {
    let cases: &[(&str, &[(&str, &str)])] = &[
        ("closed stdin", &[]),
        ("CI", &[("CI", "true")]),
        ("agent", &[("CLAUDECODE", "1")]),
        ("agent", &[("AI_AGENT", "codex")]),
    ];
    for (what, env) in cases {
        let d = project_with_v1();
        let before = fs::read(d.path().join("sandboxes/mirage.ts")).unwrap();
        for args in [
            &["update", "sandbox", "mirage"][..],
            &["add", "mirage", "--force"],
            &["diff", "sandbox", "mirage"],
            &["add", "mirage", "--json"],
        ] {
            let (code, _, err) = flue(d.path(), args, env, Stdio::null());
            assert_eq!(code, Some(3), "{what} {args:?}: {err}");
        }
        assert_eq!(
            fs::read(d.path().join("sandboxes/mirage.ts")).unwrap(),
            before,
            "{what}: nothing written"
        );
    }
}

/// With a real terminal on stdin (through `script`), an agent variable still
/// prevents the prompt.
#[cfg(target_os = "linux")]
#[test]
fn agent_on_a_terminal_is_not_prompted() {
    if Command::new("script").arg("--version").output().is_err() {
        eprintln!("skipped: `script` (util-linux) is not installed");
        return;
    }
    let d = project_with_v1();
    let bin = env!("CARGO_BIN_EXE_flue");
    let cmd = format!("{bin} update sandbox mirage --color auto; echo EXIT=$?");
    let on_tty = |env: &[(&str, &str)]| -> String {
        let mut c = Command::new("timeout");
        c.args(["20", "script", "-qec", &cmd, "/dev/null"])
            .current_dir(d.path())
            .env_clear()
            .env("PATH", std::env::var("PATH").unwrap_or_default())
            .env("HOME", d.path())
            .env("TERM", "xterm")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        for (k, v) in env {
            c.env(k, v);
        }
        // Answer "n" to a prompt, if there is one; `timeout` ends a hang.
        let mut child = c.spawn().unwrap();
        {
            use std::io::Write;
            let mut stdin = child.stdin.take().unwrap();
            let _ = stdin.write_all(b"n\n");
        }
        let out = child.wait_with_output().unwrap();
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    // Control: a person on a terminal is asked.
    let person = on_tty(&[]);
    assert!(
        person.contains("Apply these changes?"),
        "a terminal user is prompted: {person}"
    );
    // Answering "no" is a decision, not a missing flag.
    assert!(
        person.contains("you declined the change; nothing was written"),
        "{person}"
    );
    assert!(!person.contains("pass `--yes`"), "{person}");
    assert!(person.contains("EXIT=3"), "{person}");
    let text = on_tty(&[("CODEX_SANDBOX", "1")]);
    assert!(text.contains("EXIT=3"), "{text}");
    assert!(!text.contains("Apply these changes?"), "prompted: {text}");
    assert!(
        !text.contains('\u{1b}'),
        "an agent gets no colour: {text:?}"
    );
}

#[test]
fn json_is_one_object_even_for_usage_errors() {
    let d = tempfile::tempdir().unwrap();
    for args in [
        &["add", "--bogus", "--json"][..],
        &["update", "--json"],
        &["add", "channel", "slack", "--json"],
        &["add", "mirage", "--json"],
    ] {
        let (code, out, _) = flue(d.path(), args, &[("CI", "true")], Stdio::null());
        let v: serde_json::Value = serde_json::from_str(&out)
            .unwrap_or_else(|e| panic!("{args:?}: not one JSON object ({e}): {out}"));
        assert_eq!(v["schema_version"], 1);
        assert_eq!(v["ok"], false);
        assert_eq!(v["exit_code"].as_i64().map(|c| c as i32), code);
        assert_eq!(out.trim().lines().count(), 1);
    }
}

#[test]
fn colour_follows_flags_and_no_color() {
    let d = project_with_v1();
    let (_, _, always) = flue(
        d.path(),
        &["add", "mirage", "--color", "always", "--dry-run"],
        &[("CI", "true")],
        Stdio::null(),
    );
    assert!(always.contains('\u{1b}'));
    let (_, _, never) = flue(
        d.path(),
        &["add", "mirage", "--dry-run"],
        &[("CI", "true"), ("NO_COLOR", "1"), ("CLICOLOR_FORCE", "1")],
        Stdio::null(),
    );
    assert!(!never.contains('\u{1b}'));
    let (_, _, forced) = flue(
        d.path(),
        &["add", "mirage", "--dry-run"],
        &[("CI", "true"), ("CLICOLOR_FORCE", "1")],
        Stdio::null(),
    );
    assert!(forced.contains('\u{1b}'));
}
