//! Shared by the freshness tests of generated files (`docs/rules.md`, `www/npm/types.d.ts`).

use std::path::Path;

/// With `env_var` set (and not "0"), write `generated` to `path`; otherwise fail when the
/// committed file differs, naming the first differing line and the command that regenerates it.
pub fn assert_fresh(path: &Path, generated: &str, env_var: &str, regenerate: &str) {
    if std::env::var(env_var).is_ok_and(|v| !v.is_empty() && v != "0") {
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).expect("create the file's directory");
        }
        std::fs::write(path, generated).expect("write the generated file");
        return;
    }
    let committed = std::fs::read_to_string(path).unwrap_or_default();
    if committed != generated {
        let line = committed
            .lines()
            .zip(generated.lines())
            .position(|(a, b)| a != b)
            .unwrap_or_else(|| committed.lines().count().min(generated.lines().count()))
            + 1;
        panic!(
            "{} is stale or missing (first difference at line {line}). \
             Run `{regenerate}` and commit the result.",
            path.display()
        );
    }
}
