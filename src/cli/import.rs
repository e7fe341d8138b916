//! `oilcorr statements import`: options in, a statements CSV out (written atomically).

use super::args::ImportArgs;
use anyhow::{Context, Result};

/// Run `oilcorr statements import`.
pub fn run(args: ImportArgs) -> Result<()> {
    use oilcorr::statements::import::{self, filter};
    let mut map = std::collections::HashMap::new();
    for pair in &args.map {
        let (field, column) = pair
            .split_once('=')
            .with_context(|| format!("--map '{pair}': expected FIELD=COLUMN"))?;
        map.insert(field.trim().to_string(), column.trim().to_string());
    }
    let opts = import::ImportOptions {
        retweets: args.retweets,
        deleted: args.deleted,
        speaker: args.speaker_name.clone(),
        map,
        tz: args.tz,
    };
    let filt = filter::Filter {
        matches: args
            .matches
            .as_deref()
            .map(|p| filter::regex(p, "--match"))
            .transpose()?,
        oil: match &args.oil_terms {
            Some(path) => {
                let terms = filter::read_terms(path)?;
                eprintln!("--oil-terms: {} terms from {}", terms.len(), path.display());
                Some(filter::terms_regex(&terms, &path.display().to_string())?)
            }
            None if args.oil => {
                eprintln!(
                    "--oil: the built-in list v{} ({} terms)",
                    filter::OIL_TERMS_VERSION,
                    filter::OIL_TERMS.len()
                );
                Some(filter::Filter::oil_regex())
            }
            None => None,
        },
        since: args.since,
        until: args.until,
        speaker: args.speaker.clone(),
        stance_rules: args
            .stance_rules
            .as_deref()
            .map(filter::read_stance_rules)
            .transpose()?
            .unwrap_or_default(),
    };
    let imported = import::import(&args.input, args.format.into(), &opts, &filt, args.strict)?;
    if !imported.dropped.is_empty() {
        let counts: Vec<String> = imported
            .dropped
            .iter()
            .map(|(why, n)| match why.starts_with("--") {
                true => format!("{n} by {why}"),
                false => format!("{n} with {why}"),
            })
            .collect();
        eprintln!("left out: {}", counts.join("; "));
    }
    let left_out: usize = imported.dropped.values().sum();
    eprintln!(
        "kept {} of the {} rows the filters saw (retweets and deleted tweets are skipped before them \
         unless --retweets / --deleted)",
        imported.statements.len(),
        imported.statements.len() + left_out
    );
    let found = oilcorr::statements::chronological(imported.statements);
    if args.output.as_os_str() == "-" {
        // `-o -`: the CSV on stdout (a reader closing early is not an error), messages on stderr.
        let csv = oilcorr::statements::write::to_csv(&found);
        super::table::print_text(&String::from_utf8_lossy(&csv)).context("writing to stdout")?;
        eprintln!("wrote {} statements to stdout", found.len());
        return Ok(());
    }
    oilcorr::statements::write::write(&args.output, &found)
        .with_context(|| format!("writing {}", args.output.display()))?;
    eprintln!("wrote {} statements to {}", found.len(), args.output.display());
    Ok(())
}
