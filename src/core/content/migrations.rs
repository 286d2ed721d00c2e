//! What became of each version-1 question in version 2, so saved work, exports, share links
//! and generated `assessment.json` files of version 1 still load.
//!
//! A version-1 question not listed in [`V1_CHANGES`] still exists in version 2 with the same id
//! and meaning, and its answer is kept as it is. Tests check that every id named here exists
//! where it should.

/// What happened to one version-1 question.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Change {
    /// The same question under a new id: the answer is kept.
    Renamed(&'static str),
    /// Split into questions that each ask one part. Yes, and N/A with a reason, held for the whole
    /// question and so hold for each part; No and Partly do not say which part failed, so they
    /// are dropped with a message asking the team to answer the parts.
    Split(&'static [&'static str]),
    /// Folded into another question that asks the same fact. The answer is kept, unless several
    /// version-1 questions folded into it were answered differently: then none is kept.
    Merged(&'static str),
    /// Removed, or its meaning changed so the old answer no longer says anything: the answer is
    /// dropped and the user is told this reason (one sentence).
    Dropped(&'static str),
}

/// Every version-1 question whose id or meaning changed, with what became of it.
pub static V1_CHANGES: &[(&str, Change)] = &[];
