//! The line memo: (parser state before a line, the line) → (the line's HTML,
//! the state after it). Parser states are interned so a step is a pair of
//! small ids; the memo is shared by every rendering thread and, under
//! `recap serve`, by every rebuild.

use std::sync::{Arc, Mutex, MutexGuard};

use rustc_hash::FxHashMap as HashMap;

use syntect::parsing::{ParseState, ScopeStack};

/// Most bytes of lines, HTML and states the memo keeps. Past it, new lines
/// are highlighted without being remembered, so a site whose code never
/// repeats costs a bounded amount of memory.
const MEMO_LIMIT_BYTES: usize = 48 << 20;

/// Where the parser is between two lines.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct State {
    pub parse: ParseState,
    pub scopes: ScopeStack,
}

// SAFETY: a ParseState is plain data. It is not Send only because the
// Oniguruma capture `Region`s it may hold (for back-references in a
// syntax's end patterns) are raw pointers to memory that Region owns alone.
// The memo moves states between threads but never mutates a shared one:
// threads clone it (`onig_region_copy` only reads its source), and it is
// freed when the last `Arc` goes, on one thread.
unsafe impl Send for State {}
unsafe impl Sync for State {}

pub(super) type StateId = u32;

#[derive(Default)]
pub(super) struct Memo {
    inner: Mutex<Inner>,
}

#[derive(Default)]
struct Inner {
    states: Vec<Arc<State>>,
    /// A state's debug text → the ids of states with that text (syntect's
    /// states have equality but no hash).
    ids: HashMap<String, Vec<StateId>>,
    /// The interned start state of each syntax, by name.
    initial: HashMap<String, StateId>,
    steps: HashMap<StateId, HashMap<Box<str>, Step>>,
    bytes: usize,
}

struct Step {
    html: Box<str>,
    next: StateId,
}

impl Memo {
    fn lock(&self) -> MutexGuard<'_, Inner> {
        self.inner.lock().expect("no panics while holding the lock")
    }

    /// The id of the start state of the syntax named `syntax`; `make` makes
    /// that state the first time. None when the memo is full.
    pub(super) fn initial(
        &self,
        syntax: &str,
        make: impl FnOnce() -> State,
    ) -> Result<StateId, State> {
        if let Some(&id) = self.lock().initial.get(syntax) {
            return Ok(id);
        }
        let state = make();
        let mut inner = self.lock();
        match inner.intern(&state) {
            Some(id) => {
                inner.initial.insert(syntax.to_string(), id);
                Ok(id)
            }
            None => Err(state),
        }
    }

    pub(super) fn state(&self, id: StateId) -> Arc<State> {
        Arc::clone(&self.lock().states[id as usize])
    }

    /// Appends the remembered HTML of `line` after state `from` to `out`
    /// and returns the state after it; None when not remembered.
    pub(super) fn replay(&self, from: StateId, line: &str, out: &mut String) -> Option<StateId> {
        let inner = self.lock();
        let step = inner.steps.get(&from)?.get(line)?;
        out.push_str(&step.html);
        Some(step.next)
    }

    /// Remembers a step; returns the id of the state after it, or None when
    /// the memo is full.
    pub(super) fn record(
        &self,
        from: StateId,
        line: &str,
        html: String,
        next: &State,
    ) -> Option<StateId> {
        let mut inner = self.lock();
        let next = inner.intern(next)?;
        if inner.bytes > MEMO_LIMIT_BYTES {
            return Some(next);
        }
        inner.bytes += line.len() + html.len() + 64;
        inner.steps.entry(from).or_default().insert(
            line.into(),
            Step {
                html: html.into(),
                next,
            },
        );
        Some(next)
    }
}

impl Inner {
    fn intern(&mut self, state: &State) -> Option<StateId> {
        let text = format!("{state:?}");
        if let Some(ids) = self.ids.get(&text)
            && let Some(&id) = ids.iter().find(|&&id| *self.states[id as usize] == *state)
        {
            return Some(id);
        }
        if self.bytes > MEMO_LIMIT_BYTES {
            return None;
        }
        let id = StateId::try_from(self.states.len()).ok()?;
        self.bytes += text.len() * 3;
        self.states.push(Arc::new(state.clone()));
        self.ids.entry(text).or_default().push(id);
        Some(id)
    }
}

#[cfg(test)]
mod tests {
    /// The `unsafe impl Send/Sync for State` above rests on how syntect
    /// 5.3 with the Oniguruma backend stores capture regions. This fails
    /// when either changes, so the SAFETY argument is read again.
    #[test]
    fn the_send_argument_matches_the_syntect_in_use() {
        let lock = include_str!("../../../Cargo.lock");
        let version_of = |name: &str| {
            let entry = format!("name = \"{name}\"\nversion = \"");
            let start = lock.find(&entry)? + entry.len();
            Some(lock[start..].split('"').next()?.to_string())
        };
        let syntect = version_of("syntect").expect("syntect is a dependency");
        assert!(
            syntect.starts_with("5.3."),
            "syntect is {syntect}: check the SAFETY comment of memo.rs against it, then update this test"
        );
        assert!(
            version_of("onig").is_some(),
            "syntect no longer uses Oniguruma: check the SAFETY comment of memo.rs, then update this test"
        );
    }
}
