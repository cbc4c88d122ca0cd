//! Property tests of the two parsers that read files from outside: the questionnaire loader and
//! the import parser. Whatever the bytes, they answer with a value or a located error, never a
//! panic. Longer runs: `PROPTEST_CASES=100000 cargo test --release --test fuzz`.

use isms_ready::export::json::AssessmentDocument;
use isms_ready::model::catalog::BUILTIN_FILES;
use isms_ready::model::plan::PlanTemplate;
use isms_ready::model::{Catalog, Questionnaire};
use proptest::prelude::*;

/// A shipped file with a few bytes changed, removed or inserted.
fn mutated(text: &'static str) -> impl Strategy<Value = String> {
    let bytes = text.as_bytes().to_vec();
    let len = bytes.len();
    prop::collection::vec((0..len, 0u8..3, any::<u8>()), 1..8).prop_map(move |edits| {
        let mut out = bytes.clone();
        for (at, kind, byte) in edits {
            let at = at.min(out.len().saturating_sub(1));
            match kind {
                0 => out[at] = byte,
                1 => {
                    out.remove(at);
                }
                _ => out.insert(at, byte),
            }
        }
        String::from_utf8_lossy(&out).into_owned()
    })
}

fn sample_document() -> String {
    serde_json::json!({
        "format": "isms-ready/assessment", "version": 1,
        "assessment": {"name": "X", "questionnaire": "iso27001-2022", "scope": "", "assessor": "", "created_at": "2026-01-01T00:00:00.000Z"},
        "answers": [{"item": 1, "ref": "4.1 #1", "level": 2, "note": "n"}, {"item": 150, "ref": "A.5.8", "applicable": false, "justification": "j"}],
        "plan": [{"step": 3, "status": "blocked", "reason": "r"}]
    })
    .to_string()
}

proptest! {
    #[test]
    fn the_loader_never_panics_on_arbitrary_text(text in ".{0,400}") {
        if let Err(error) = Questionnaire::from_json("fuzz.json", &text) {
            prop_assert_eq!(error.file, "fuzz.json");
        }
    }

    #[test]
    fn the_loader_never_panics_on_a_damaged_shipped_file(text in mutated(BUILTIN_FILES[1].1)) {
        match Questionnaire::from_json("damaged.json", &text) {
            Ok(questionnaire) => prop_assert!(questionnaire.problems().is_empty()),
            Err(error) => prop_assert!(error.to_string().starts_with("damaged.json: ")),
        }
    }

    #[test]
    fn the_import_parser_never_panics_on_arbitrary_text(text in ".{0,400}") {
        let result = AssessmentDocument::parse("in.json", &text, &Catalog::builtin(), PlanTemplate::builtin());
        prop_assert!(result.is_err());
    }

    #[test]
    fn the_import_parser_never_panics_on_a_damaged_document(text in mutated(Box::leak(sample_document().into_boxed_str()))) {
        if let Err(error) = AssessmentDocument::parse("in.json", &text, &Catalog::builtin(), PlanTemplate::builtin()) {
            prop_assert!(error.to_string().starts_with("in.json: "));
        }
    }
}
