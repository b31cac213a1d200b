//! Reads arbitrary bytes as an officer's return, as `bestvalue build` does
//! for every file it finds. Whatever the bytes, reading must end in records
//! or problems: never a panic, an abort, a hang or a huge allocation.
#![no_main]

use std::sync::{LazyLock, Once};

use bestvalue::framework::Framework;
use libfuzzer_sys::fuzz_target;

static FRAMEWORK: LazyLock<Framework> = LazyLock::new(Framework::default_framework);

static HOOK: Once = Once::new();

fuzz_target!(|data: &[u8]| {
    // `read_bytes` catches a panic inside calamine and reports the file as
    // damaged: that is handled, so it must not count as a crash here. Any
    // other panic (in our own code), and every abort, out-of-memory and
    // timeout, is still a finding. libFuzzer's hook is wrapped once it is
    // installed.
    HOOK.call_once(|| {
        let fuzzer_hook = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            let in_calamine = info
                .location()
                .is_some_and(|l| l.file().contains("/calamine-"));
            if !in_calamine {
                fuzzer_hook(info);
            }
        }));
    });
    // The extension only breaks ties between zip-based formats; take it from
    // the last byte so that every format's path is explored, while the bytes
    // (a zip's directory is found from the end) stay as they are.
    let ext = match data.last().map(|b| b % 4) {
        Some(1) => "ods",
        Some(2) => "xlsb",
        Some(3) => "xls",
        _ => "xlsx",
    };
    let read = bestvalue::read::returns::read_bytes("fuzz.xlsx", data.to_vec(), ext, &FRAMEWORK);
    // The accounting must hold whatever was read.
    let i = &read.info;
    assert_eq!(i.rows_read, i.rows_used + i.rows_reported);
});
