//! `oilcorr statements import`: options in, a statements CSV out (written atomically).

use super::args::ImportArgs;
use anyhow::{Context, Result};

/// Run `oilcorr statements import`.
pub fn run(a: ImportArgs) -> Result<()> {
    use oilcorr::statements::import::{self, filter};
    let mut map = std::collections::HashMap::new();
    for pair in &a.map {
        let (field, column) = pair
            .split_once('=')
            .with_context(|| format!("--map '{pair}': expected FIELD=COLUMN"))?;
        map.insert(field.trim().to_string(), column.trim().to_string());
    }
    let opts = import::ImportOptions {
        retweets: a.retweets,
        deleted: a.deleted,
        speaker: a.speaker_name.clone(),
        map,
        tz: a.tz,
    };
    let filt = filter::Filter {
        matches: a
            .matches
            .as_deref()
            .map(|p| filter::regex(p, "--match"))
            .transpose()?,
        oil: a.oil.then(filter::Filter::oil_regex),
        since: a.since,
        until: a.until,
        speaker: a.speaker.clone(),
        stance_rules: a
            .stance_rules
            .as_deref()
            .map(filter::read_stance_rules)
            .transpose()?
            .unwrap_or_default(),
    };
    let found = import::import(&a.input, a.format.into(), &opts, &filt)?;
    let found = oilcorr::statements::chronological(found);
    oilcorr::statements::write::write(&a.output, &found)
        .with_context(|| format!("writing {}", a.output.display()))?;
    eprintln!("wrote {} statements to {}", found.len(), a.output.display());
    Ok(())
}
