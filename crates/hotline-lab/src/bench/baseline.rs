//! The bots a benchmark runs: the current build, found beside the lab's own
//! executable, and a baseline, given as the path of an executable or as a git
//! revision. A revision is checked out in a worktree under
//! `target/lab-baseline/` and built there with `cargo build --release --bin
//! hotline` (which finds the bot both in the workspace and in the single
//! crate the project was before it), into a target directory all baselines
//! share so a second revision builds incrementally. Old behaviour lives in old
//! binaries, never behind switches in the product.

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::Context;

use super::Variant;

/// `hotline` in the directory of this executable (`target/release/` after
/// `cargo build --release -p hotline`).
pub fn beside_this_executable() -> anyhow::Result<PathBuf> {
    let me = std::env::current_exe().context("finding this executable")?;
    let dir = me.parent().context("this executable has no directory")?;
    // Test binaries live one level down, in `deps/`.
    for candidate in [dir.join("hotline"), dir.join("../hotline")] {
        if candidate.is_file() {
            return Ok(candidate);
        }
    }
    anyhow::bail!(
        "no `hotline` executable beside {}: build the bot first \
         (`cargo build --release -p hotline`) or name it with --bot",
        me.display()
    )
}

/// A baseline: an executable's path, or a git revision to build.
pub fn resolve(spec: &str) -> anyhow::Result<Variant> {
    let path = Path::new(spec);
    if path.is_file() {
        return Ok(Variant {
            name: format!("baseline {}", path.display()),
            exe: path.to_path_buf(),
        });
    }
    let root = PathBuf::from(git(None, &["rev-parse", "--show-toplevel"])?);
    let commit = git(
        Some(&root),
        &["rev-parse", "--verify", &format!("{spec}^{{commit}}")],
    )
    .with_context(|| format!("`{spec}` is neither an executable nor a git revision"))?;
    let short = &commit[..12.min(commit.len())];
    let exe = build(&root, &commit)?;
    Ok(Variant {
        name: format!("baseline {spec} ({short})"),
        exe,
    })
}

/// Builds `commit` in its worktree; returns its own copy of the binary.
fn build(root: &Path, commit: &str) -> anyhow::Result<PathBuf> {
    let base = root.join("target/lab-baseline");
    let short = &commit[..12.min(commit.len())];
    let tree = base.join(format!("tree-{short}"));
    let exe = base.join(format!("hotline-{short}"));
    if exe.is_file() {
        return Ok(exe);
    }
    if !tree.exists() {
        let tree_arg = tree.to_string_lossy().into_owned();
        git(
            Some(root),
            &["worktree", "add", "--detach", &tree_arg, commit],
        )?;
    }
    eprintln!("building the baseline {short} in {} …", tree.display());
    let target = base.join("target");
    let status = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
        .args(["build", "--release", "--bin", "hotline"])
        .env("CARGO_TARGET_DIR", &target)
        .current_dir(&tree)
        .status()
        .context("running cargo")?;
    anyhow::ensure!(status.success(), "building the baseline {short} failed");
    std::fs::copy(target.join("release/hotline"), &exe)
        .with_context(|| format!("copying the baseline to {}", exe.display()))?;
    Ok(exe)
}

fn git(dir: Option<&Path>, args: &[&str]) -> anyhow::Result<String> {
    let mut command = Command::new("git");
    if let Some(dir) = dir {
        command.current_dir(dir);
    }
    let out = command.args(args).output().context("running git")?;
    anyhow::ensure!(
        out.status.success(),
        "git {}: {}",
        args.join(" "),
        String::from_utf8_lossy(&out.stderr).trim()
    );
    Ok(String::from_utf8_lossy(&out.stdout).trim().to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_executable_path_is_its_own_baseline() {
        let me = std::env::current_exe().unwrap();
        let v = resolve(me.to_str().unwrap()).unwrap();
        assert_eq!(v.exe, me);
        assert!(v.name.starts_with("baseline "), "{}", v.name);
    }

    #[test]
    fn a_name_that_is_neither_path_nor_revision_is_refused() {
        let e = resolve("no-such-revision-xyz").unwrap_err();
        assert!(
            format!("{e:#}").contains("neither an executable nor a git revision"),
            "{e:#}"
        );
    }
}
