//! Fuzz target: any text through parse, model and analysis. Asserts the lossless
//! round trip and that nothing panics.
#![no_main]

use layerlens_core::analysis::analyze;
use layerlens_core::model::Model;
use layerlens_core::syntax::parse;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let doc = parse(&text);
    assert_eq!(doc.print(), text);
    let model = Model::build(doc);
    for i in 0..model.contexts.len() {
        let _ = model.expand(i, "$A ${B:-c}");
    }
    let _ = analyze(&text);
});
