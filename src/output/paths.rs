//! The set of every path added to the output so far, filled by both threads at once.
//!
//! A 100,000-brief site adds 190,000 paths in three batches, and the build waits for each
//! batch to be checked before it writes: one `HashSet` filled on one thread took a fifth of a
//! second there, with the other thread idle. Paths are split by hash into shards, and each
//! shard is filled by whichever thread takes it.

use std::collections::HashSet;
use std::hash::{BuildHasher, BuildHasherDefault, DefaultHasher};

use rayon::prelude::*;

/// Shards, a power of two: enough for rayon to share them out evenly between threads.
const SHARDS: usize = 64;

/// Picks a path's shard. Fixed keys, so a path's shard is the same in every run (the sets
/// inside are keyed as usual).
const SHARD_HASH: BuildHasherDefault<DefaultHasher> = BuildHasherDefault::new();

/// Paths added so far, each once.
pub(super) struct AddedPaths {
    shards: Vec<HashSet<Box<str>>>,
}

impl AddedPaths {
    pub(super) fn new() -> AddedPaths {
        AddedPaths {
            shards: (0..SHARDS).map(|_| HashSet::new()).collect(),
        }
    }

    /// Adds `paths`. When one of them was added before, or comes twice in `paths`, gives the
    /// index of the first that does (in the order of `paths`); the set then holds some of
    /// the others.
    pub(super) fn add_all(&mut self, paths: &[&str]) -> Result<(), usize> {
        let mut by_shard: Vec<Vec<usize>> = vec![Vec::new(); SHARDS];
        let shards: Vec<usize> = paths.par_iter().map(|path| shard_of(path)).collect();
        for (index, shard) in shards.into_iter().enumerate() {
            by_shard[shard].push(index);
        }
        let first_repeat = self
            .shards
            .par_iter_mut()
            .zip(by_shard)
            .filter_map(|(set, indices)| {
                set.reserve(indices.len());
                // Indices ascend within a shard, so the first repeat found is its earliest.
                indices
                    .into_iter()
                    .find(|&index| !set.insert(paths[index].into()))
            })
            .min();
        match first_repeat {
            Some(index) => Err(index),
            None => Ok(()),
        }
    }

    pub(super) fn contains(&self, path: &str) -> bool {
        self.shards[shard_of(path)].contains(path)
    }
}

fn shard_of(path: &str) -> usize {
    // Bits 32 and up: the sets inside use the low bits of their own hash for the bucket and
    // the top ones for its tag, and a shard's paths should not all agree on either.
    (SHARD_HASH.hash_one(path) >> 32) as usize % SHARDS
}

#[cfg(test)]
mod tests {
    use super::AddedPaths;

    #[test]
    fn the_first_repeat_is_named_within_and_across_batches() {
        let mut added = AddedPaths::new();
        let first: Vec<String> = (0..1000)
            .map(|n| format!("briefs/{n}/index.html"))
            .collect();
        let first: Vec<&str> = first.iter().map(String::as_str).collect();
        assert_eq!(added.add_all(&first), Ok(()));
        assert!(added.contains("briefs/999/index.html"));
        assert!(!added.contains("briefs/1000/index.html"));
        // Twice in one batch: the second of the pair is the repeat.
        assert_eq!(added.add_all(&["a", "b", "c", "b", "a"]), Err(3));
        // Against an earlier batch: the earliest in this one is named, whatever its shard.
        let mut again = AddedPaths::new();
        again.add_all(&first).unwrap();
        let batch = [
            "new/1",
            "briefs/500/index.html",
            "new/2",
            "briefs/3/index.html",
        ];
        assert_eq!(again.add_all(&batch), Err(1));
    }
}
