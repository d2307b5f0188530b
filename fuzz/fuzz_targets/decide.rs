//! libFuzzer target: arbitrary bytes split into method, `Origin`,
//! `Access-Control-Request-Method`, `Access-Control-Request-Private-Network`
//! and `Access-Control-Request-Headers` lines, decided by one of a few fixed
//! policies, with the invariants checked on every outcome. The input
//! layout is documented on [`cors_fuzz::FuzzInput`].
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    cors_fuzz::run(data);
});
