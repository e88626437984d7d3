//! The IPC contract, generated and checked. Every `#[tauri::command]` in `commands/` is read from
//! its source (name, arguments as the window names them, result) and written as the TypeScript
//! type `Commands` to ui/src/lib/bindings/ipc/commands.ts, next to the shell's own types
//! (`#[ts(export_to = "ipc/")]`). The UI's only `invoke` takes its command names, arguments and
//! results from there, so a renamed command or argument fails `npm run check`; the test fails
//! while the committed files are stale, or a command is not registered in `commands::handler`.
//! Regenerate with `UPDATE_BINDINGS=1 cargo test -p kozmos-desktop contract`.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use kozmos_core::bindings::{stale_files, typescript_files};
use syn::{FnArg, GenericArgument, Item, PathArguments, ReturnType, Type};

/// Arguments the shell supplies itself; the window never sends them.
const SHELL_ARGUMENTS: [&str; 4] = ["State", "AppHandle", "Window", "WebviewWindow"];
/// Core types whose TypeScript name differs from their Rust name (`#[ts(rename)]`).
const RENAMED: [(&str, &str); 1] = [("Kind", "DuplicateKind")];

struct Command {
    name: String,
    /// (camelCase name, TypeScript type, optional)
    args: Vec<(String, String, bool)>,
    result: String,
}

/// The commands of every file in `commands_dir`, in name order, and the types they name.
fn read_commands(commands_dir: &Path) -> (Vec<Command>, BTreeSet<String>) {
    let mut commands = Vec::new();
    let mut named = BTreeSet::new();
    let mut files: Vec<PathBuf> = std::fs::read_dir(commands_dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "rs"))
        .collect();
    files.sort();
    for file in files {
        let source = syn::parse_file(&std::fs::read_to_string(&file).unwrap()).unwrap();
        for item in source.items {
            let Item::Fn(f) = item else { continue };
            if !f
                .attrs
                .iter()
                .any(|a| a.path().segments.iter().any(|s| s.ident == "command"))
            {
                continue;
            }
            let mut args = Vec::new();
            for input in &f.sig.inputs {
                let FnArg::Typed(arg) = input else { continue };
                if SHELL_ARGUMENTS.contains(&last_ident(&arg.ty).as_str()) {
                    continue;
                }
                let syn::Pat::Ident(name) = &*arg.pat else {
                    panic!("{}: an argument without a plain name", f.sig.ident)
                };
                let optional = last_ident(&arg.ty) == "Option";
                args.push((camel_case(&name.ident.to_string()), ts(&arg.ty, &mut named), optional));
            }
            let result = match &f.sig.output {
                ReturnType::Default => "null".into(),
                ReturnType::Type(_, ty) if last_ident(ty) == "Result" => ts(&generics(ty)[0], &mut named),
                ReturnType::Type(_, ty) => ts(ty, &mut named),
            };
            commands.push(Command {
                name: f.sig.ident.to_string(),
                args,
                result,
            });
        }
    }
    commands.sort_by(|a, b| a.name.cmp(&b.name));
    (commands, named)
}

fn last_ident(ty: &Type) -> String {
    match ty {
        Type::Path(p) => p.path.segments.last().map(|s| s.ident.to_string()).unwrap_or_default(),
        Type::Reference(r) => last_ident(&r.elem),
        _ => String::new(),
    }
}

fn generics(ty: &Type) -> Vec<Type> {
    let Type::Path(p) = ty else { return vec![] };
    match &p.path.segments.last().unwrap().arguments {
        PathArguments::AngleBracketed(a) => a
            .args
            .iter()
            .filter_map(|g| match g {
                GenericArgument::Type(t) => Some(t.clone()),
                _ => None,
            })
            .collect(),
        _ => vec![],
    }
}

/// The TypeScript of a Rust type as serde and ts-rs write it; `named` collects the bound types.
fn ts(ty: &Type, named: &mut BTreeSet<String>) -> String {
    match ty {
        Type::Reference(r) => ts(&r.elem, named),
        Type::Tuple(t) if t.elems.is_empty() => "null".into(),
        Type::Tuple(t) => format!(
            "[{}]",
            t.elems.iter().map(|e| ts(e, named)).collect::<Vec<_>>().join(", ")
        ),
        Type::Path(_) => {
            let inner = generics(ty);
            match last_ident(ty).as_str() {
                "String" | "str" => "string".into(),
                "bool" => "boolean".into(),
                "i32" | "i64" | "u32" | "u64" | "usize" | "f64" => "number".into(),
                "Option" => format!("{} | null", ts(&inner[0], named)),
                "Vec" => format!("Array<{}>", ts(&inner[0], named)),
                "Value" => "unknown".into(),
                other => {
                    let other = RENAMED
                        .iter()
                        .find(|(rust, _)| *rust == other)
                        .map_or(other, |(_, ts)| *ts);
                    named.insert(other.to_string());
                    if inner.is_empty() {
                        other.to_string()
                    } else {
                        let inner: Vec<String> = inner.iter().map(|t| ts(t, named)).collect();
                        format!("{other}<{}>", inner.join(", "))
                    }
                }
            }
        }
        other => panic!("no TypeScript for {}", quote::ToTokens::to_token_stream(other)),
    }
}

fn camel_case(snake: &str) -> String {
    let mut out = String::new();
    let mut upper = false;
    for c in snake.chars() {
        if c == '_' {
            upper = true;
        } else if upper {
            out.extend(c.to_uppercase());
            upper = false;
        } else {
            out.push(c);
        }
    }
    out
}

/// commands.ts: the imports and the `Commands` map.
fn commands_ts(commands: &[Command], named: &BTreeSet<String>, bindings: &Path) -> String {
    let mut out = String::from(
        "// Generated from the #[tauri::command] functions in src-tauri/src/commands by the desktop\n\
         // crate's contract test (UPDATE_BINDINGS=1 cargo test -p kozmos-desktop contract). Do not edit.\n\n",
    );
    for name in named {
        let from = if bindings.join(format!("ipc/{name}.ts")).exists() {
            format!("./{name}")
        } else if bindings.join(format!("{name}.ts")).exists() {
            format!("../{name}")
        } else {
            panic!("{name} has no TypeScript binding: derive TS (core types in kozmos_core::bindings, shell types with export_to = \"ipc/\")")
        };
        out.push_str(&format!("import type {{ {name} }} from '{from}';\n"));
    }
    out.push_str(
        "\n/** Every command the window can call: the arguments it sends (camelCase, as Tauri maps\n \
         *  them) and the result it gets. */\nexport type Commands = {\n",
    );
    for c in commands {
        let args = if c.args.is_empty() {
            "Record<string, never>".to_string()
        } else {
            let fields: Vec<String> = c
                .args
                .iter()
                .map(|(name, ty, optional)| format!("{name}{}: {ty}", if *optional { "?" } else { "" }))
                .collect();
            format!("{{ {} }}", fields.join("; "))
        };
        out.push_str(&format!("  {}: {{ args: {args}; result: {} }};\n", c.name, c.result));
    }
    out.push_str("};\n");
    out
}

/// The command names registered in `commands::handler` (its `generate_handler!` list).
fn registered(commands_mod: &Path) -> BTreeSet<String> {
    let source = std::fs::read_to_string(commands_mod).unwrap();
    let list = source
        .split("generate_handler![")
        .nth(1)
        .and_then(|rest| rest.split(']').next())
        .expect("commands::handler lists the commands");
    list.split(',')
        .map(|entry| entry.trim().rsplit("::").next().unwrap().to_string())
        .filter(|name| !name.is_empty())
        .collect()
}

/// Writes the shell's types and commands.ts into `bindings/ipc/`.
fn export(bindings: &Path, src: &Path) {
    let cfg = ts_rs::Config::new().with_out_dir(bindings).with_large_int("number");
    crate::commands::export_types(&cfg).unwrap();
    let (commands, named) = read_commands(&src.join("commands"));
    std::fs::write(
        bindings.join("ipc/commands.ts"),
        commands_ts(&commands, &named, bindings),
    )
    .unwrap();
}

#[test]
fn ipc_contract_is_current() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let src = root.join("src-tauri/src");
    let committed = root.join("ui/src/lib/bindings");
    let (commands, _) = read_commands(&src.join("commands"));
    let names: BTreeSet<String> = commands.iter().map(|c| c.name.clone()).collect();
    assert_eq!(
        names,
        registered(&src.join("commands/mod.rs")),
        "every command is registered in commands::handler, and only commands"
    );
    if std::env::var("UPDATE_BINDINGS").is_ok_and(|v| v == "1") {
        let _ = std::fs::remove_dir_all(committed.join("ipc"));
        export(&committed, &src);
    }
    // A fresh copy of the core's bindings, and the shell's on top.
    let fresh = tempfile::tempdir().unwrap();
    for (name, text) in typescript_files(&committed) {
        std::fs::write(fresh.path().join(name), text).unwrap();
    }
    export(fresh.path(), &src);
    let stale = stale_files(&fresh.path().join("ipc"), &committed.join("ipc"));
    assert!(
        stale.is_empty(),
        "ui/src/lib/bindings/ipc is stale ({stale:?}): run UPDATE_BINDINGS=1 cargo test -p kozmos-desktop contract"
    );
}

#[test]
fn rust_types_read_as_their_typescript() {
    let mut named = BTreeSet::new();
    let ty = |s: &str| syn::parse_str::<Type>(s).unwrap();
    assert_eq!(ts(&ty("Option<Vec<String>>"), &mut named), "Array<string> | null");
    assert_eq!(
        ts(&ty("(Association, Vec<String>)"), &mut named),
        "[Association, Array<string>]"
    );
    assert_eq!(ts(&ty("Page<Match>"), &mut named), "Page<Match>");
    assert_eq!(ts(&ty("()"), &mut named), "null");
    assert_eq!(named.into_iter().collect::<Vec<_>>(), ["Association", "Match", "Page"]);
    assert_eq!(camel_case("with_cooperations"), "withCooperations");
}
