//! Unit tests of the config file: keys become the arguments a user would type, errors point at the line.

use super::*;

#[test]
fn a_file_cannot_point_a_keyed_service_elsewhere() {
    for key in ["fred-api-url", "eia-url"] {
        let e = load(&format!(
            "[defaults]\nsource = \"eia\"\n{key} = \"http://evil.example\"\n"
        ))
        .unwrap_err()
        .to_string();
        assert!(
            e.contains("line 3") && e.contains(key) && e.contains("cannot send the key"),
            "{e}"
        );
    }
}

fn run_cmd() -> clap::Command {
    crate::cli::named::run_command()
}

fn load(text: &str) -> Result<Config, ConfigError> {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("oilcorr.toml");
    std::fs::write(&path, text).unwrap();
    Config::load(&path, &run_cmd())
}

fn strings(args: Vec<OsString>) -> Vec<String> {
    args.into_iter().map(|a| a.into_string().unwrap()).collect()
}

fn key_error(text: &str) -> (usize, String, String) {
    match load(text).unwrap_err() {
        ConfigError::Key {
            line, key, message, ..
        } => (line, key, message),
        other => panic!("expected a key error, got {other}"),
    }
}

#[test]
fn keys_become_arguments_and_the_analysis_overrides_defaults() {
    let c = load(
        "[defaults]\nmodel = \"raw\"\nseries = [\"brent\"]\n\n[analysis.april-2020]\nfrom = 2020-03-01\n\
         car_window = [\"0,1\", \"-1,1\"]\nshade-windows = true\nno-charts = false\nseries = \"wti,brent\"\n",
    )
    .unwrap();
    assert_eq!(c.names(), ["april-2020"]);
    let args = strings(c.args_for(Some("april-2020"), &|_| false).unwrap());
    assert_eq!(
        args,
        [
            "--model",
            "raw",
            "--car-window",
            "0,1",
            "--car-window",
            "-1,1",
            "--from",
            "2020-03-01",
            "--series",
            "wti,brent",
            "--shade-windows"
        ]
    );
    // Without an analysis only [defaults] apply; options the user set are left out.
    let plain = strings(c.args_for(None, &|id| id == "model").unwrap());
    assert_eq!(plain, ["--series", "brent"]);
}

#[test]
fn relative_paths_are_resolved_against_the_file_folder() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("oilcorr.toml");
    std::fs::write(
        &path,
        "[analysis.a]\nstatements = [\"s.csv\", \"/abs/t.csv\"]\nprices = [\"brent=p/b.csv\"]\ntimeout = 5\n",
    )
    .unwrap();
    let c = Config::load(&path, &run_cmd()).unwrap();
    let args = strings(c.args_for(Some("a"), &|_| false).unwrap());
    let base = dir.path().display().to_string();
    assert_eq!(
        args,
        [
            "--prices".to_string(),
            format!("brent={base}/p/b.csv"),
            "--statements".to_string(),
            format!("{base}/s.csv"),
            "--statements".to_string(),
            "/abs/t.csv".to_string(),
            "--timeout".to_string(),
            "5".to_string(),
        ]
    );
}

#[test]
fn unknown_keys_name_their_path_and_line() {
    let (line, key, message) =
        key_error("[defaults]\nseries = \"brent\"\n\n[analysis.x]\nfrom = 2020-01-01\ncar-windw = \"0,1\"\n");
    assert_eq!((line, key.as_str()), (6, "analysis.x.car-windw"));
    assert!(message.contains("unknown key"), "{message}");
    let (line, key, _) = key_error("[defaults]\n[sideways]\nfrom = 2020-01-01\n");
    assert_eq!((line, key.as_str()), (2, "sideways"));
}

#[test]
fn bad_values_are_refused_with_clap_s_reason() {
    let (line, key, message) = key_error("[analysis.x]\n\nmodel = \"magic\"\n");
    assert_eq!((line, key.as_str()), (3, "analysis.x.model"));
    assert!(message.contains("magic"), "{message}");
    let (_, key, message) = key_error("[analysis.x]\nfrom = \"2020-13-01\"\n");
    assert_eq!(key, "analysis.x.from");
    assert!(message.contains("2020-13-01"), "{message}");
    let (_, _, message) = key_error("[defaults]\nshade-windows = \"yes\"\n");
    assert!(message.contains("true or false"), "{message}");
    let (_, _, message) = key_error("[defaults]\nmodel = [\"raw\", \"mean\"]\n");
    assert!(message.contains("not an array"), "{message}");
}

#[test]
fn secrets_and_selectors_are_refused() {
    let (_, key, message) = key_error("[defaults]\nfred_api_key = \"abc\"\n");
    assert_eq!(key, "defaults.fred_api_key");
    assert!(message.contains("environment"), "{message}");
    let (_, _, message) = key_error("[analysis.a]\nall = true\n");
    assert!(message.contains("not allowed"), "{message}");
}

#[test]
fn analysis_names_must_be_folder_safe() {
    let (line, key, _) = key_error("[analysis.\"../up\"]\nfrom = 2020-01-01\n");
    assert_eq!((line, key.as_str()), (1, "analysis.../up"));
}

#[test]
fn toml_syntax_errors_give_the_line() {
    let (line, _, _) = key_error("[defaults]\nfrom = \n");
    assert_eq!(line, 2);
}

#[test]
fn unknown_analysis_lists_the_defined_ones() {
    let c = load("[analysis.b]\n[analysis.a]\n").unwrap();
    assert_eq!(c.names(), ["a", "b"]);
    let e = c.args_for(Some("c"), &|_| false).unwrap_err().to_string();
    assert!(e.ends_with("no analysis named 'c' (defined: a, b)"), "{e}");
}

mod fuzz {
    //! A bounded fuzz of the config file (proptest, 1,000 inputs per run): a valid file with random
    //! edits, or arbitrary text. Loading must give a config or a one-line error, never panic.
    use super::load;
    use proptest::prelude::*;

    const SAMPLE: &str = "[defaults]\nseries = [\"brent\", \"wti\"]\n\n[analysis.april-2020]\n\
        from = 2020-03-01\nto = 2020-05-31\ncar-window = [\"0,1\", \"-1,1\"]\nreport = true\n";
    const PIECES: [&str; 14] = [
        "=",
        "\"",
        "\n",
        "[",
        "]",
        ".",
        "'",
        "{",
        "}",
        "-",
        "1e999",
        "2020-02-30",
        "analysis.",
        "\u{1b}",
    ];

    fn mutated() -> impl Strategy<Value = String> {
        let edit = (
            any::<prop::sample::Index>(),
            prop::sample::select(&PIECES[..]),
            any::<bool>(),
        );
        prop::collection::vec(edit, 0..6).prop_map(|edits| {
            let mut s = SAMPLE.to_string();
            for (at, piece, insert) in edits {
                let i = at.index(s.len() + 1).min(s.len());
                let end = (i + 1).min(s.len());
                if insert {
                    s.insert_str(i, piece);
                } else {
                    s.replace_range(i..end, piece);
                }
            }
            s
        })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(1000))]

        #[test]
        fn config_files_load_or_fail_on_one_line(text in prop_oneof![4 => mutated(), 1 => any::<String>()]) {
            if let Err(e) = load(&text) {
                let shown = e.to_string();
                prop_assert!(!shown.contains('\n') && !shown.contains('\u{1b}'), "{}", shown);
            }
        }
    }
}
