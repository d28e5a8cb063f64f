//! The house's rules, read off the sources (ARCHITECTURE.md): no import
//! circle between the crate's top-level modules, and `config` imports no
//! feature module. A `use crate::x` anywhere in module `m` (outside its unit
//! tests and comments) is an arrow from `m` to `x`.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

type Graph = BTreeMap<String, BTreeSet<String>>;

fn arrows() -> Graph {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut graph = Graph::new();
    let mut stack = vec![src.clone()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            if !name.ends_with(".rs") || name == "tests.rs" || name.ends_with("_tests.rs") {
                continue;
            }
            let rel = path
                .strip_prefix(&src)
                .unwrap()
                .to_string_lossy()
                .into_owned();
            let top = rel
                .split('/')
                .next()
                .unwrap()
                .trim_end_matches(".rs")
                .to_owned();
            if top == "main" || top == "lib" {
                continue;
            }
            let text = std::fs::read_to_string(&path).unwrap();
            let code = text.split("#[cfg(test)]\nmod tests {").next().unwrap();
            let targets = graph.entry(top.clone()).or_default();
            for line in code.lines().filter(|l| !l.trim_start().starts_with("//")) {
                for (i, _) in line.match_indices("crate::") {
                    let rest = &line[i + "crate::".len()..];
                    let target: String = rest
                        .chars()
                        .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                        .collect();
                    if !target.is_empty() && target != top {
                        targets.insert(target);
                    }
                }
            }
        }
    }
    graph
}

/// A path from `from` back to itself, if any.
fn circle(graph: &Graph, from: &str) -> Option<Vec<String>> {
    let mut stack = vec![(from.to_owned(), vec![from.to_owned()])];
    let mut seen = BTreeSet::new();
    while let Some((at, path)) = stack.pop() {
        for next in graph.get(&at).into_iter().flatten() {
            if next == from {
                let mut found = path.clone();
                found.push(from.to_owned());
                return Some(found);
            }
            if seen.insert(next.clone()) {
                let mut longer = path.clone();
                longer.push(next.clone());
                stack.push((next.clone(), longer));
            }
        }
    }
    None
}

#[test]
fn no_two_modules_of_the_bot_import_each_other_even_in_a_circle() {
    let graph = arrows();
    assert!(graph.len() > 10, "read the sources: {graph:?}");
    for module in graph.keys() {
        if let Some(path) = circle(&graph, module) {
            panic!("import circle: {}", path.join(" -> "));
        }
    }
}

#[test]
fn config_imports_nothing_but_domain() {
    let graph = arrows();
    let imports: Vec<&String> = graph["config"].iter().collect();
    assert_eq!(imports, vec!["domain"]);
}
