//! Stable-toolchain fallback for the `decide` fuzz target: a plain binary
//! that feeds libFuzzer-style inputs to the same `cors_fuzz::run`, for when
//! no nightly toolchain (or no cargo-fuzz) is at hand.
//!
//! It mutates a corpus the way libFuzzer does (bit flips, byte edits,
//! dictionary tokens, splices, truncation, fresh random inputs), plus
//! whole-field replacements that know the input layout, but its
//! only feedback is the outcome: an input whose (policy, decision, reason)
//! was not seen before joins the corpus. A panic is a crash: the input is
//! written to `fuzz/artifacts/decide/` and the run exits with status 1.
//!
//! ```text
//! cargo run --release --no-default-features --example decide_random -- [--seconds N] [--runs N] [--seed N]
//!     [--write-seeds DIR] [FILE_OR_DIR...]
//! ```
//!
//! Files and directories given are replayed first (a crash artifact, or
//! libFuzzer's corpus) and then used as extra seeds.

use cors_core::Decision;
use cors_fuzz::{policies, run, seeds, FuzzInput};
use std::collections::HashSet;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// Inputs may grow past the 4096-byte ACRH cap, but not much further.
const MAX_LEN: usize = 6000;

#[path = "../../cors-core/tests/support/fragments.rs"]
mod fragments;
/// The tokens mutations insert: the property tests' fragments.
const DICTIONARY: &[&[u8]] = fragments::FRAGMENTS;

/// SplitMix64.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

fn mutate(rng: &mut Rng, input: &mut Vec<u8>, corpus: &[Vec<u8>]) {
    for _ in 0..1 + rng.below(4) {
        let at = rng.below(input.len() + 1);
        let last = at.min(input.len().saturating_sub(1));
        match rng.below(11) {
            0 if !input.is_empty() => input[last] ^= 1 << rng.below(8),
            1 if !input.is_empty() => input[last] = rng.next() as u8,
            2 => input.insert(at, rng.next() as u8),
            3 if at < input.len() => {
                let end = (at + 1 + rng.below(16)).min(input.len());
                input.drain(at..end);
            }
            4 | 5 => {
                let token = DICTIONARY[rng.below(DICTIONARY.len())];
                input.splice(at..at, token.iter().copied());
            }
            6 => {
                let other = &corpus[rng.below(corpus.len())];
                let from = rng.below(other.len());
                let piece = &other[from..(from + rng.below(64)).min(other.len())];
                input.splice(at..at, piece.iter().copied());
            }
            7 if at < input.len() => {
                // repeat a chunk, to reach the line, element and byte caps
                let end = (at + 1 + rng.below(8)).min(input.len());
                let chunk = input[at..end].to_vec();
                for _ in 0..rng.below(600) {
                    input.extend_from_slice(&chunk);
                }
            }
            8 | 9 if input.len() > 2 => replace_field(rng, input),
            _ => input.truncate(at),
        }
    }
    if input.len() < 2 {
        input.extend_from_slice(&[rng.next() as u8, rng.next() as u8]);
    }
    input.truncate(MAX_LEN);
}

/// Replaces one whole field (method, a header value, an ACRH line) with a
/// dictionary token, a copy of another field, or nothing: byte edits alone
/// rarely turn a field into exactly `*` or `true`.
fn replace_field(rng: &mut Rng, input: &mut Vec<u8>) {
    let separator = if input[0] & 0b1000 == 0 { b'\n' } else { 0 };
    let mut fields: Vec<Vec<u8>> = input[2..].split(|b| *b == separator).map(<[u8]>::to_vec).collect();
    let i = rng.below(fields.len());
    fields[i] = match rng.below(3) {
        0 => DICTIONARY[rng.below(DICTIONARY.len())].to_vec(),
        1 => fields[rng.below(fields.len())].clone(),
        _ => Vec::new(),
    };
    let mut out = input[..2].to_vec();
    out.extend_from_slice(&fields.join(&separator));
    *input = out;
}

fn fresh(rng: &mut Rng) -> Vec<u8> {
    (0..rng.below(64)).map(|_| rng.next() as u8).collect()
}

/// What the feedback tracks: policy, outcome and reason.
fn signature(data: &[u8]) -> Option<String> {
    let input = FuzzInput::parse(data)?;
    let decision = policies()[input.policy].decide(&input.parts());
    let name = format!("{decision:?}");
    let outcome = name.split(['(', ' ']).next().unwrap_or_default().to_owned();
    let reason = match decision {
        Decision::PreflightRejected(r, _) | Decision::ActualDisallowed { rejection: r, .. } => format!("{r:?}"),
        _ => String::new(),
    };
    Some(format!("{} {outcome} {reason} {}", input.policy, input.line_count))
}

/// Runs one input; on a panic saves it and exits.
fn execute(data: &[u8]) {
    if catch_unwind(AssertUnwindSafe(|| run(data))).is_err() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("artifacts/decide");
        let hash = data.iter().fold(0xcbf2_9ce4_8422_2325u64, |h, b| (h ^ u64::from(*b)).wrapping_mul(0x100_0000_01b3));
        let path = dir.join(format!("crash-{hash:016x}"));
        let saved = std::fs::create_dir_all(&dir).and_then(|()| std::fs::write(&path, data));
        match saved {
            Ok(()) => eprintln!("CRASH: input saved to {}", path.display()),
            Err(e) => eprintln!("CRASH: could not save the input ({e}): {:?}", data.escape_ascii().to_string()),
        }
        std::process::exit(1);
    }
}

fn read_inputs(path: &Path) -> Vec<Vec<u8>> {
    if path.is_dir() {
        let mut entries: Vec<PathBuf> =
            std::fs::read_dir(path).into_iter().flatten().flatten().map(|e| e.path()).collect();
        entries.sort();
        entries.iter().filter(|p| p.is_file()).filter_map(|p| std::fs::read(p).ok()).collect()
    } else {
        std::fs::read(path).map(|d| vec![d]).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
    }
}

struct Args {
    seconds: Option<u64>,
    runs: Option<u64>,
    seed: u64,
    write_seeds: Option<PathBuf>,
    inputs: Vec<PathBuf>,
}

fn parse_args() -> Args {
    let mut args = Args { seconds: None, runs: None, seed: 0, write_seeds: None, inputs: Vec::new() };
    args.seed = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(1, |d| d.as_nanos() as u64);
    let mut it = std::env::args().skip(1);
    let number = |v: Option<String>, flag: &str| -> u64 {
        v.and_then(|v| v.parse().ok()).unwrap_or_else(|| panic!("{flag} needs a number"))
    };
    while let Some(arg) = it.next() {
        match arg.as_str() {
            "--seconds" => args.seconds = Some(number(it.next(), "--seconds")),
            "--runs" => args.runs = Some(number(it.next(), "--runs")),
            "--seed" => args.seed = number(it.next(), "--seed"),
            "--write-seeds" => args.write_seeds = Some(PathBuf::from(it.next().expect("--write-seeds needs a dir"))),
            _ => args.inputs.push(PathBuf::from(arg)),
        }
    }
    if args.seconds.is_none() && args.runs.is_none() {
        args.seconds = Some(60);
    }
    args
}

fn main() {
    let args = parse_args();
    if let Some(dir) = &args.write_seeds {
        std::fs::create_dir_all(dir).expect("create the seed directory");
        for (i, seed) in seeds().iter().enumerate() {
            std::fs::write(dir.join(format!("seed-{i:03}")), seed).expect("write a seed");
        }
        println!("wrote {} seeds to {}", seeds().len(), dir.display());
        return;
    }
    let mut corpus = seeds();
    let mut replayed = 0;
    for path in &args.inputs {
        for data in read_inputs(path) {
            execute(&data);
            replayed += 1;
            corpus.push(data);
        }
    }
    if replayed > 0 {
        println!("replayed {replayed} inputs: no crash");
    }
    let mut seen: HashSet<String> = corpus.iter().filter_map(|d| signature(d)).collect();
    let mut rng = Rng(args.seed);
    println!("seed {}, {} policies, corpus {}", args.seed, policies().len(), corpus.len());
    let start = Instant::now();
    let deadline = args.seconds.map(|s| start + Duration::from_secs(s));
    let mut next_report = start + Duration::from_secs(10);
    let mut execs: u64 = 0;
    loop {
        let mut input = if rng.below(50) == 0 { fresh(&mut rng) } else { corpus[rng.below(corpus.len())].clone() };
        mutate(&mut rng, &mut input, &corpus);
        execute(&input);
        execs += 1;
        if let Some(sig) = signature(&input) {
            if seen.insert(sig) {
                corpus.push(input);
            }
        }
        if execs.is_multiple_of(64) {
            let now = Instant::now();
            if args.runs.is_some_and(|r| execs >= r) || deadline.is_some_and(|d| now >= d) {
                break;
            }
            if now >= next_report {
                let secs = start.elapsed().as_secs_f64();
                println!("#{execs} {secs:.0}s exec/s: {:.0} corpus: {}", execs as f64 / secs, corpus.len());
                next_report = now + Duration::from_secs(10);
            }
        }
    }
    let secs = start.elapsed().as_secs_f64();
    println!(
        "done: {execs} executions in {secs:.1}s ({:.0}/s), corpus {} ({} outcome signatures), 0 crashes",
        execs as f64 / secs,
        corpus.len(),
        seen.len()
    );
}
