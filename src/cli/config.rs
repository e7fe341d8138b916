//! `oilcorr.toml`: defaults and named analyses for `oilcorr run`.
//!
//! ```toml
//! [defaults]              # applies to every `oilcorr run` that uses this file
//! series = ["brent", "wti"]
//!
//! [analysis.april-2020]   # `oilcorr run --analysis april-2020`; `oilcorr run --all` runs every one
//! from = 2020-03-01
//! to = 2020-05-31
//! car-window = ["0,1", "-1,1"]
//! report = true
//! ```
//!
//! Every key is the long name of an `oilcorr run` option (`car-window` or `car_window`), so the file and
//! the command line can never drift apart: the key's value is turned into the same arguments a user
//! would type, and clap parses them. A `true` switches a flag on, an array repeats an option, a TOML
//! date is its `YYYY-MM-DD` text. Relative paths are relative to the folder holding the file. Flags
//! given on the command line (or through their environment variables) win over the analysis, which wins
//! over `[defaults]`, which wins over oilcorr's built-in defaults.
//!
//! Every key and value is checked when the file is loaded, so `run --all` never stops half-way for a
//! typo; errors name the file, the line and the key's path (`analysis.april-2020.car-window`).
//! API keys are refused: they belong in the environment, not in a file that may be committed.

use clap::{Arg, ArgAction, ValueHint};
use std::ffi::OsString;
use std::path::{Path, PathBuf};
use toml::de::{DeTable, DeValue};
use toml::Spanned;

/// The default config file, looked for in the current folder.
pub const DEFAULT_FILE: &str = "oilcorr.toml";

/// `run` options that cannot be set from the file, and why.
const REFUSED: [(&str, &str); 8] = [
    ("analysis", "choose the analysis on the command line"),
    ("all", "choose --all on the command line"),
    ("config", "the file cannot name another file"),
    ("help", "not an analysis setting"),
    (
        "fred-api-key",
        "keep API keys in the environment (FRED_API_KEY), not in a file",
    ),
    (
        "eia-api-key",
        "keep API keys in the environment (EIA_API_KEY), not in a file",
    ),
    (
        "fred-api-url",
        "the FRED API gets your key: its address comes from the command line or OILCORR_FRED_API_URL, \
         so a shared file cannot send the key elsewhere",
    ),
    (
        "eia-url",
        "EIA's API gets your key: its address comes from the command line or OILCORR_EIA_URL, so a \
         shared file cannot send the key elsewhere",
    ),
];

/// A problem with the config file.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// The file could not be read.
    #[error("reading {path}")]
    Io {
        /// The file.
        path: String,
        /// The I/O error.
        source: std::io::Error,
    },
    /// A key or value is wrong (or the TOML does not parse).
    #[error("{path}: line {line}, key '{key}': {message}")]
    Key {
        /// The file.
        path: String,
        /// 1-based line.
        line: usize,
        /// Dotted key path, e.g. `analysis.april-2020.from`.
        key: String,
        /// What is wrong and what was expected.
        message: String,
    },
    /// `--analysis NAME` names no analysis in the file.
    #[error("{path}: no analysis named '{name}' (defined: {known})")]
    UnknownAnalysis {
        /// The file.
        path: String,
        /// The name asked for.
        name: String,
        /// The names defined.
        known: String,
    },
}

/// One checked key: the `run` argument id it sets and the arguments it stands for.
#[derive(Debug, Clone)]
struct Setting {
    id: String,
    args: Vec<OsString>,
}

/// A loaded, fully checked config file.
#[derive(Debug, Clone)]
pub struct Config {
    /// The file.
    pub path: PathBuf,
    /// Its folder: relative paths in the file are relative to it.
    pub base: PathBuf,
    defaults: Vec<Setting>,
    analyses: Vec<(String, Vec<Setting>)>,
}

impl Config {
    /// Read and check `path`. `run` is the `oilcorr run` command (its options are the valid keys).
    pub fn load(path: &Path, run: &clap::Command) -> Result<Config, ConfigError> {
        let text = std::fs::read_to_string(path).map_err(|source| ConfigError::Io {
            path: path.display().to_string(),
            source,
        })?;
        let base = path
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .map_or_else(PathBuf::new, Path::to_path_buf);
        let cx = Cx {
            file: path.display().to_string(),
            text: &text,
            base: &base,
            run,
        };
        let doc =
            DeTable::parse(&text).map_err(|e| cx.err(e.span().map_or(0, |s| s.start), "", e.message()))?;
        let mut config = Config {
            path: path.to_path_buf(),
            base: base.clone(),
            defaults: Vec::new(),
            analyses: Vec::new(),
        };
        for (key, value) in doc.get_ref() {
            match key.get_ref().as_ref() {
                "defaults" => config.defaults = cx.settings("defaults", value)?,
                "analysis" => {
                    let table = cx.table("analysis", value)?;
                    for (name, body) in table {
                        let path = format!("analysis.{}", name.get_ref());
                        if !valid_name(name.get_ref()) {
                            return Err(cx.err(
                                name.span().start,
                                &path,
                                "analysis names are letters, digits, '-' and '_' (they name output folders)",
                            ));
                        }
                        config
                            .analyses
                            .push((name.get_ref().to_string(), cx.settings(&path, body)?));
                    }
                }
                other => {
                    return Err(cx.err(
                        key.span().start,
                        other,
                        "unknown section; expected [defaults] or [analysis.NAME]",
                    ))
                }
            }
        }
        Ok(config)
    }

    /// Names of the analyses, in the file's key order (alphabetical).
    pub fn names(&self) -> Vec<&str> {
        self.analyses.iter().map(|(n, _)| n.as_str()).collect()
    }

    /// The arguments for `oilcorr run` from `[defaults]` and analysis `name` (which overrides them),
    /// leaving out every option for which `explicit(id)` is true (set by the user).
    pub fn args_for(
        &self,
        name: Option<&str>,
        explicit: &dyn Fn(&str) -> bool,
    ) -> Result<Vec<OsString>, ConfigError> {
        let analysis: &[Setting] = match name {
            None => &[],
            Some(n) => match self.analyses.iter().find(|(a, _)| a == n) {
                Some((_, s)) => s,
                None => {
                    return Err(ConfigError::UnknownAnalysis {
                        path: self.path.display().to_string(),
                        name: n.to_string(),
                        known: self.names().join(", "),
                    })
                }
            },
        };
        let from_defaults = self
            .defaults
            .iter()
            .filter(|d| !analysis.iter().any(|a| a.id == d.id));
        Ok(from_defaults
            .chain(analysis)
            .filter(|s| !explicit(&s.id))
            .flat_map(|s| s.args.iter().cloned())
            .collect())
    }
}

/// A name that is safe as a folder name on every platform.
fn valid_name(name: &str) -> bool {
    !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}

/// What checking a key needs.
struct Cx<'a> {
    file: String,
    text: &'a str,
    base: &'a Path,
    run: &'a clap::Command,
}

impl Cx<'_> {
    fn err(&self, offset: usize, key: &str, message: &str) -> ConfigError {
        let line = 1 + self.text[..offset.min(self.text.len())].matches('\n').count();
        ConfigError::Key {
            path: self.file.clone(),
            line,
            key: key.to_string(),
            message: message.to_string(),
        }
    }

    fn table<'t, 'i>(
        &self,
        path: &str,
        value: &'t Spanned<DeValue<'i>>,
    ) -> Result<&'t DeTable<'i>, ConfigError> {
        match value.get_ref() {
            DeValue::Table(t) => Ok(t),
            _ => Err(self.err(value.span().start, path, "expected a table")),
        }
    }

    /// Check every key of one table and turn it into arguments.
    fn settings(&self, path: &str, value: &Spanned<DeValue<'_>>) -> Result<Vec<Setting>, ConfigError> {
        let table = self.table(path, value)?;
        let mut out = Vec::new();
        for (key, value) in table {
            let long = key.get_ref().replace('_', "-");
            let key_path = format!("{path}.{}", key.get_ref());
            let at = key.span().start;
            if let Some((_, why)) = REFUSED.iter().find(|(k, _)| *k == long) {
                return Err(self.err(at, &key_path, &format!("not allowed in the file: {why}")));
            }
            let arg = self
                .run
                .get_arguments()
                .find(|a| a.get_long() == Some(long.as_str()));
            let Some(arg) = arg else {
                return Err(self.err(
                    at,
                    &key_path,
                    "unknown key; expected the long name of an `oilcorr run` option (see oilcorr run --help)",
                ));
            };
            let args = self
                .args(arg, &long, value)
                .map_err(|m| self.err(value.span().start, &key_path, &m))?;
            self.check(&args)
                .map_err(|m| self.err(value.span().start, &key_path, &m))?;
            out.push(Setting {
                id: arg.get_id().to_string(),
                args,
            });
        }
        Ok(out)
    }

    /// The command-line arguments a key's value stands for.
    fn args(&self, arg: &Arg, long: &str, value: &Spanned<DeValue<'_>>) -> Result<Vec<OsString>, String> {
        let flag = matches!(arg.get_action(), ArgAction::SetTrue);
        let many = matches!(arg.get_action(), ArgAction::Append) || arg.get_value_delimiter().is_some();
        let option = OsString::from(format!("--{long}"));
        match value.get_ref() {
            DeValue::Boolean(b) if flag => Ok(if *b { vec![option] } else { Vec::new() }),
            _ if flag => Err("expected true or false".into()),
            DeValue::Array(items) if many => items
                .iter()
                .map(|v| Ok(vec![option.clone(), self.scalar(arg, long, v.get_ref())?]))
                .collect::<Result<Vec<_>, String>>()
                .map(|v| v.concat()),
            DeValue::Array(_) => Err("expected one value, not an array".into()),
            other => Ok(vec![option, self.scalar(arg, long, other)?]),
        }
    }

    /// One value as argument text; relative paths are resolved against the file's folder.
    fn scalar(&self, arg: &Arg, long: &str, value: &DeValue<'_>) -> Result<OsString, String> {
        let text = match value {
            DeValue::String(s) => s.to_string(),
            DeValue::Integer(i) => i.to_string(),
            DeValue::Float(f) => f.to_string(),
            DeValue::Datetime(d) => d.to_string(),
            DeValue::Boolean(_) => return Err("expected a value, not true/false".into()),
            DeValue::Array(_) | DeValue::Table(_) => return Err("expected a string or a number".into()),
        };
        let is_path = matches!(
            arg.get_value_hint(),
            ValueHint::AnyPath | ValueHint::FilePath | ValueHint::DirPath
        );
        Ok(if is_path {
            self.base.join(&text).into_os_string()
        } else if long == "prices" {
            // SERIES=PATH: only the part after '=' is a path.
            match text.split_once('=') {
                Some((series, file)) => format!("{series}={}", self.base.join(file).display()).into(),
                None => text.into(),
            }
        } else {
            text.into()
        })
    }

    /// Let clap check the arguments, so a bad value fails at load time with clap's own explanation.
    fn check(&self, args: &[OsString]) -> Result<(), String> {
        let argv = std::iter::once(OsString::from("run")).chain(args.iter().cloned());
        self.run
            .clone()
            .try_get_matches_from(argv)
            .map(|_| ())
            .map_err(|e| {
                let text = e.to_string();
                let first = text.lines().next().unwrap_or("invalid value");
                first.trim_start_matches("error: ").to_string()
            })
    }
}

#[cfg(test)]
#[path = "config_tests.rs"]
mod tests;
