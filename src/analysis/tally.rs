//! What the cross-event summary needs of the statements, gathered one batch of statements at a time:
//! per series, each event day's statistics (one row: statements sharing a day 0 share them) and, per
//! group (all, speaker, tag, stance), how many of its statements fell on that day and which way they
//! pushed. Its size grows with the groups and the event days, not with the statements, so a
//! bounded-memory run ([`crate::analysis::study::StudyBatches`]) summarizes a million statements as
//! the in-memory [`super::Study`] summarizes sixty: both go through [`Tally`].

use super::events::DayStance;
use super::groups::GroupKey;
use super::row::EventRow;
use super::Study;
use crate::statements::{Stance, Statement};
use std::collections::{BTreeMap, HashMap};

/// The statements of one group on one event day: how many, and how many push up and down.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Votes {
    /// Statements.
    pub n: usize,
    /// Of which labelled `up`.
    pub up: usize,
    /// Of which labelled `down`.
    pub down: usize,
}

impl Votes {
    fn add(&mut self, stance: Option<Stance>) {
        self.n += 1;
        match stance {
            Some(Stance::Up) => self.up += 1,
            Some(Stance::Down) => self.down += 1,
            None => {}
        }
    }

    /// The day's common stance ([`DayStance`]: statements without a stance do not vote).
    pub fn stance(&self) -> DayStance {
        match (self.up > 0, self.down > 0) {
            (true, true) => DayStance::Split,
            (true, false) => DayStance::Agreed(Stance::Up),
            (false, true) => DayStance::Agreed(Stance::Down),
            (false, false) => DayStance::Unlabelled,
        }
    }
}

/// One event day of one series: its first statement's row and each group's votes.
#[derive(Debug, Clone)]
pub struct DayTally {
    /// The row of the day's first statement (all share the statistics).
    pub row: EventRow,
    /// `(group index, votes)`, groups in order of first sight.
    pub votes: Vec<(usize, Votes)>,
}

/// The groups seen so far and every series' event days.
#[derive(Debug, Clone, Default)]
pub struct Tally {
    keys: Vec<GroupKey>,
    speakers: HashMap<String, usize>,
    tags: HashMap<String, usize>,
    stances: [Option<usize>; 3],
    /// Per series (the study's order): event days by day-0 index.
    series: Vec<BTreeMap<usize, DayTally>>,
}

impl Tally {
    /// An empty tally over `series` series (the group of all statements is group 0).
    pub fn new(series: usize) -> Self {
        Tally {
            keys: vec![GroupKey::All],
            series: vec![BTreeMap::new(); series],
            ..Default::default()
        }
    }

    /// The tally of a whole study.
    pub fn of(study: &Study) -> Self {
        let mut t = Tally::new(study.series.len());
        t.add(study);
        t
    }

    /// Add the statements of `batch` (its rows' statement indexes point into its own statements).
    pub fn add(&mut self, batch: &Study) {
        let mut member: Vec<usize> = Vec::new();
        for (i, s) in batch.statements.iter().enumerate() {
            self.groups_of(s, &mut member);
            for (days, series) in self.series.iter_mut().zip(&batch.series) {
                let row = &series.rows[i];
                let Some(d) = row.day0 else { continue };
                let day = days.entry(d).or_insert_with(|| DayTally {
                    row: row.clone(),
                    votes: Vec::new(),
                });
                for g in &member {
                    match day.votes.iter_mut().find(|(k, _)| k == g) {
                        Some((_, v)) => v.add(s.stance),
                        None => {
                            let mut v = Votes::default();
                            v.add(s.stance);
                            day.votes.push((*g, v));
                        }
                    }
                }
            }
        }
    }

    /// The indexes of the groups holding `s` into `out` (new groups are registered).
    fn groups_of(&mut self, s: &Statement, out: &mut Vec<usize>) {
        out.clear();
        out.push(0);
        let keys = &mut self.keys;
        let mut index = |map: &mut HashMap<String, usize>, name: &str, key: fn(String) -> GroupKey| {
            if let Some(&g) = map.get(name) {
                return g;
            }
            keys.push(key(name.to_string()));
            map.insert(name.to_string(), keys.len() - 1);
            keys.len() - 1
        };
        out.push(index(&mut self.speakers, &s.speaker, GroupKey::Speaker));
        for t in &s.tags {
            let g = index(&mut self.tags, t, GroupKey::Tag);
            if !out.contains(&g) {
                out.push(g);
            }
        }
        let slot = match s.stance {
            None => 0,
            Some(Stance::Up) => 1,
            Some(Stance::Down) => 2,
        };
        let g = *self.stances[slot].get_or_insert_with(|| {
            keys.push(GroupKey::Stance(s.stance));
            keys.len() - 1
        });
        out.push(g);
    }

    /// The groups in summary order — all, then by name (`speaker:…`, `stance:…`, `tag:…`) — each with
    /// its index in this tally.
    pub fn groups(&self) -> Vec<(usize, &GroupKey)> {
        let mut named: Vec<(String, usize)> = self
            .keys
            .iter()
            .enumerate()
            .skip(1)
            .map(|(g, k)| (k.to_string(), g))
            .collect();
        named.sort();
        std::iter::once((0, &self.keys[0]))
            .chain(named.into_iter().map(|(_, g)| (g, &self.keys[g])))
            .collect()
    }

    /// Number of groups.
    pub fn n_groups(&self) -> usize {
        self.keys.len()
    }

    /// The event days of series `k`, ascending.
    pub fn days(&self, k: usize) -> impl Iterator<Item = (&usize, &DayTally)> + '_ {
        self.series[k].iter()
    }
}
