//! print(parse(x)) == x for any text, and every span the tree hands out is valid.

mod common;

use layerlens_core::model::Model;
use layerlens_core::syntax::{parse, Document, NodeKind};
use layerlens_core::text::Span;
use proptest::prelude::*;

/// Checks the tree's invariants: nodes and pieces partition the text in order, and every
/// span lies on char boundaries.
fn check_tree(doc: &Document) {
    let text = &doc.text;
    assert_eq!(&doc.print(), text);
    let valid = |span: Span| {
        span.start <= span.end
            && span.end <= text.len()
            && text.is_char_boundary(span.start)
            && text.is_char_boundary(span.end)
    };
    let mut at = 0;
    for node in &doc.nodes {
        assert_eq!(node.span.start, at, "nodes must be contiguous");
        assert!(valid(node.span));
        if let NodeKind::Instruction(i) = node.kind {
            let instruction = &doc.instructions[i];
            assert_eq!(instruction.span, node.span);
            let mut piece_at = node.span.start;
            for piece in &instruction.pieces {
                assert_eq!(piece.span.start, piece_at, "pieces must be contiguous");
                piece_at = piece.span.end;
            }
            assert_eq!(piece_at, node.span.end);
            let command = &instruction.command;
            assert!(valid(command.keyword_text.span));
            assert!(valid(command.rest.span));
            for flag in &command.flags {
                assert!(valid(flag.text.span));
            }
            for heredoc in &instruction.heredocs {
                assert!(valid(heredoc.word) && valid(heredoc.body));
            }
        }
        at = node.span.end;
    }
    assert_eq!(at, text.len());
    for error in &doc.errors {
        assert!(valid(error.span), "{error:?}");
    }
}

fn dockerfile_like() -> impl Strategy<Value = String> {
    let pieces = prop::sample::select(vec![
        "FROM ",
        "RUN ",
        "COPY ",
        "ADD ",
        "ENV ",
        "LABEL ",
        "ARG ",
        "CMD ",
        "ONBUILD ",
        "HEALTHCHECK ",
        "SHELL ",
        "run ",
        "\\",
        "`",
        "\n",
        "\r\n",
        "\r",
        " ",
        "\t",
        "#",
        "# escape=`\n",
        "# syntax=x\n",
        "<<EOF",
        "<<-EOF",
        "EOF\n",
        "\tEOF\n",
        "[",
        "]",
        "\"",
        "'",
        ",",
        "=",
        "--from=a ",
        "--mount=type=cache,target=/x ",
        "-- ",
        "$",
        "${A:-b}",
        "a",
        "b c",
        "é",
        "\u{a0}",
        "\u{feff}",
        "\u{1F600}",
        "{",
        "}",
        ":",
        "1",
        "AS x",
        "\\\n",
        "\\ \n",
        "  \\\n",
    ]);
    prop::collection::vec(pieces, 0..60).prop_map(|v| v.concat())
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 2000,
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    #[test]
    fn dockerfile_like_text_round_trips(text in dockerfile_like()) {
        let doc = parse(&text);
        check_tree(&doc);
        let _ = Model::build(doc);
    }

    #[test]
    fn any_text_round_trips(text in any::<String>()) {
        let doc = parse(&text);
        check_tree(&doc);
        let _ = Model::build(doc);
    }
}

#[test]
fn corpus_round_trips() {
    let files = common::corpus_files();
    assert!(files.len() >= 458);
    for file in files {
        let text = std::fs::read_to_string(&file).unwrap();
        let doc = parse(&text);
        check_tree(&doc);
        assert!(
            doc.errors.is_empty(),
            "{}: {:?}",
            file.display(),
            doc.errors
        );
    }
}

#[test]
fn pathological_inputs_stay_linear() {
    let cases = [
        "\\\n".repeat(200_000),
        "ONBUILD ".repeat(10_000),
        format!("RUN {}", "[".repeat(100_000)),
        format!("FROM a\nRUN <<EOF\n{}", "x\n".repeat(100_000)),
        "#".repeat(70_000),
        format!("ENV {}", "\"a b\" ".repeat(20_000)),
    ];
    for text in cases {
        let doc = parse(&text);
        check_tree(&doc);
        let _ = Model::build(doc);
    }
}
