//! Every heredoc case of BuildKit's parser and instruction tests.
//! Inputs and expectations transcribed from moby/buildkit (Apache-2.0):
//! frontend/dockerfile/parser/parser_heredoc_test.go and
//! frontend/dockerfile/instructions/parse_heredoc_test.go (via
//! /work/shared/reference/buildkit/heredoc_cases.md).

use layerlens_core::instructions::{typed, CommandLine, Source, Typed};
use layerlens_core::syntax::{parse, Heredoc};

/// An inline file: (name, data, flag).
type File<'a> = (&'a str, &'a str, bool);
/// A COPY case: (input, source paths, inline files, destination).
type CopyCase<'a> = (&'a str, &'a [&'a str], &'a [File<'a>], &'a str);
/// A RUN case: (input, shell form, command line, inline files).
type RunCase<'a> = (&'a str, bool, &'a [&'a str], &'a [File<'a>]);

/// (name, content, expand, chomp, file descriptor)
type Expected<'a> = (&'a str, &'a str, bool, bool, u32);

fn summary(h: &Heredoc) -> (String, String, bool, bool, u32) {
    (
        h.name.clone(),
        h.content.clone(),
        h.expand,
        h.chomp,
        h.file_descriptor,
    )
}

fn owned(e: &[Expected]) -> Vec<(String, String, bool, bool, u32)> {
    e.iter()
        .map(|&(n, c, x, ch, fd)| (n.to_string(), c.to_string(), x, ch, fd))
        .collect()
}

#[test]
fn parser_extracts_heredocs() {
    // A1: TestParseExtractsHeredoc.
    let input = "\nFROM alpine:3.6\n\nENV NAME=me\n\nRUN ls\n\nUSER <<INVALID\nINVALID\n\nRUN <<EMPTY\nEMPTY\n\nRUN 3<<EMPTY2\nEMPTY2\n\nRUN \"<<NOHEREDOC\"\n\nRUN <<INDENT\n\tfoo\n\tbar\nINDENT\n\nRUN <<-UNINDENT\n\tbaz\n\tquux\nUNINDENT\n\nRUN <<-UNINDENT2\n\tbaz\n\tquux\n\tUNINDENT2\n\nRUN <<-EXPAND\n\texpand $NAME\nEXPAND\n\nRUN <<-'NOEXPAND'\n\tdon't expand $NAME\nNOEXPAND\n\nRUN <<COPY\necho hello world\necho foo bar\nCOPY\n\nRUN <<COMMENT\n# internal comment\necho hello world\necho foo bar # trailing comment\nCOMMENT\n\nRUN --mount=type=cache,target=/foo <<MOUNT\necho hello\nMOUNT\n\nCOPY <<FILE1 <<FILE2 /dest\ncontent 1\nFILE1\ncontent 2\nFILE2\n\nCOPY <<EOF /quotes\n\"foo\"\n'bar'\nEOF\n\nCOPY <<X <<Y /dest\nY\nX\nX\nY\n\nRUN <<COMPLEX python3\nprint('hello world')\nCOMPLEX\n\nCOPY <<file.txt /dest\nhello world\nfile.txt\n\nRUN <<eo'f'\necho foo\neof\n\nRUN <<eo\\'f\necho foo\neo'f\n\nRUN <<'e'o\\'f\necho foo\neo'f\n\nRUN <<'one two'\necho bar\none two\n\nRUN <<$EOF\n$EOF\n\nRUN <<  EOF\nEOF\n\nRUN <<  EOF  > foo\nEOF\n\t\n";
    let expected: Vec<Vec<Expected>> = vec![
        vec![],
        vec![],
        vec![],
        vec![],
        vec![],
        vec![("EMPTY", "", true, false, 0)],
        vec![("EMPTY2", "", true, false, 3)],
        vec![],
        vec![("INDENT", "\tfoo\n\tbar\n", true, false, 0)],
        vec![("UNINDENT", "\tbaz\n\tquux\n", true, true, 0)],
        vec![("UNINDENT2", "\tbaz\n\tquux\n", true, true, 0)],
        vec![("EXPAND", "\texpand $NAME\n", true, true, 0)],
        vec![("NOEXPAND", "\tdon't expand $NAME\n", false, true, 0)],
        vec![("COPY", "echo hello world\necho foo bar\n", true, false, 0)],
        vec![(
            "COMMENT",
            "# internal comment\necho hello world\necho foo bar # trailing comment\n",
            true,
            false,
            0,
        )],
        vec![("MOUNT", "echo hello\n", true, false, 0)],
        vec![
            ("FILE1", "content 1\n", true, false, 0),
            ("FILE2", "content 2\n", true, false, 0),
        ],
        vec![("EOF", "\"foo\"\n'bar'\n", true, false, 0)],
        vec![("X", "Y\n", true, false, 0), ("Y", "X\n", true, false, 0)],
        vec![("COMPLEX", "print('hello world')\n", true, false, 0)],
        vec![("file.txt", "hello world\n", true, false, 0)],
        vec![("eof", "echo foo\n", false, false, 0)],
        vec![("eo'f", "echo foo\n", true, false, 0)],
        vec![("eo'f", "echo foo\n", false, false, 0)],
        vec![("one two", "echo bar\n", false, false, 0)],
        vec![("$EOF", "", true, false, 0)],
        vec![("EOF", "", true, false, 0)],
        vec![("EOF", "", true, false, 0)],
    ];
    let doc = parse(input);
    assert!(doc.errors.is_empty(), "{:?}", doc.errors);
    assert_eq!(doc.instructions.len(), expected.len());
    for (i, (instruction, want)) in doc.instructions.iter().zip(&expected).enumerate() {
        let got: Vec<_> = instruction.heredocs.iter().map(summary).collect();
        assert_eq!(got, owned(want), "child {i}: {}", instruction.original());
    }
    assert_eq!(doc.print(), input);
}

#[test]
fn json_form_never_has_heredocs() {
    // A2: TestParseJSONHeredoc.
    let doc =
        parse("\nFROM alpine:3.6\n\nRUN [\"whoami\"]\nRUN [\"<<EOF\"]\nRUN [\"<<'EOF'\"]\n\t\n");
    assert_eq!(doc.instructions.len(), 4);
    assert!(doc.instructions.iter().all(|i| i.heredocs.is_empty()));
}

#[test]
fn heredocs_detected_from_line() {
    // A5 (as the source behaves) and the extra edge cases of section D.
    let cases: [(&str, &[&str]); 16] = [
        ("RUN <<EOF", &["EOF"]),
        ("RUN <<-EOF", &["EOF"]),
        ("RUN <<- EOF", &[]),
        ("RUN << -EOF", &["-EOF"]),
        ("RUN <<'EOF'", &["EOF"]),
        ("RUN 4<<EOF", &["EOF"]),
        ("RUN <<EOF <<EOF2", &["EOF", "EOF2"]),
        ("RUN '<<EOF'", &[]),
        ("RUN \"<<EOF\"", &[]),
        ("RUN cat<<EOF", &[]),
        ("RUN <<EOF>out", &["EOF>out"]),
        ("RUN <<EOF;", &["EOF;"]),
        ("COPY << EOF /x", &["EOF"]),
        ("RUN [\"<<EOF\"]", &[]),
        ("USER <<EOF", &[]),
        ("RUN echo $(( 1 <<2 ))", &["2"]),
    ];
    for (line, names) in cases {
        // Give every possible heredoc a body and a terminator so nothing is unterminated.
        let mut text = format!("FROM a\n{line}\n");
        for name in names {
            text.push_str(&format!("body\n{name}\n"));
        }
        let doc = parse(&text);
        let found: Vec<&str> = doc.instructions[1]
            .heredocs
            .iter()
            .map(|h| h.name.as_str())
            .collect();
        assert_eq!(found, names, "{line}");
    }
}

#[test]
fn copy_heredoc_sources_and_chomping() {
    // B2: TestCopyHeredoc.
    let cases: [CopyCase; 8] = [
        ("COPY /foo /bar", &["/foo"], &[], "/bar"),
        ("COPY <<EOF /bar\nEOF", &[], &[("EOF", "", true)], "/bar"),
        (
            "COPY <<EOF /bar\nTESTING\nEOF",
            &[],
            &[("EOF", "TESTING\n", true)],
            "/bar",
        ),
        (
            "COPY <<-EOF /bar\n\tTESTING\nEOF",
            &[],
            &[("EOF", "TESTING\n", true)],
            "/bar",
        ),
        (
            "COPY <<'EOF' /bar\nTESTING\nEOF",
            &[],
            &[("EOF", "TESTING\n", false)],
            "/bar",
        ),
        (
            "COPY <<EOF1 <<EOF2 /bar\nthis is the first file\nEOF1\nthis is the second file\nEOF2",
            &[],
            &[
                ("EOF1", "this is the first file\n", true),
                ("EOF2", "this is the second file\n", true),
            ],
            "/bar",
        ),
        (
            "COPY <<EOF foo.txt /bar\nthis is inline\nEOF",
            &["foo.txt"],
            &[("EOF", "this is inline\n", true)],
            "/bar",
        ),
        (
            "COPY <<EOF /quotes\n\"quotes\"\nEOF",
            &[],
            &[("EOF", "\"quotes\"\n", true)],
            "/quotes",
        ),
    ];
    for (input, paths, contents, dest) in cases {
        let doc = parse(&format!("FROM a\n{input}\n"));
        let instruction = &doc.instructions[1];
        let (t, error) = typed(instruction);
        assert_eq!(error, None, "{input}");
        let Typed::Copy(copy) = t else {
            panic!("{input}")
        };
        let mut got_paths = Vec::new();
        let mut got_contents = Vec::new();
        for source in &copy.sources {
            match source {
                Source::Path(p) => got_paths.push(p.value.as_str()),
                Source::Heredoc { index, .. } => {
                    let h = &instruction.heredocs[*index];
                    got_contents.push((h.name.clone(), h.chomped_content(), h.expand));
                }
            }
        }
        let want: Vec<_> = contents
            .iter()
            .map(|&(n, d, e)| (n.to_string(), d.to_string(), e))
            .collect();
        assert_eq!(got_paths, paths, "{input}");
        assert_eq!(got_contents, want, "{input}");
        assert_eq!(copy.dest.value, dest, "{input}");
    }
    // B1: a heredoc destination is an error.
    let doc = parse("FROM a\nCOPY /foo <<EOF\nEOF\n");
    let (_, error) = typed(&doc.instructions[1]);
    assert!(error
        .unwrap()
        .message
        .contains("COPY cannot accept a heredoc as a destination"));
}

#[test]
fn run_heredoc_command_lines() {
    // B3: TestRunHeredoc.
    let cases: [RunCase; 6] = [
        ("RUN [\"ls\", \"/\"]", false, &["ls", "/"], &[]),
        ("RUN [\"<<EOF\"]", false, &["<<EOF"], &[]),
        ("RUN ls /", true, &["ls /"], &[]),
        (
            "RUN <<EOF\nls /\nwhoami\nEOF",
            true,
            &["<<EOF"],
            &[("EOF", "ls /\nwhoami\n", false)],
        ),
        (
            "RUN <<'EOF' | python\nprint(\"hello\")\nprint(\"world\")\nEOF",
            true,
            &["<<'EOF' | python"],
            &[("EOF", "print(\"hello\")\nprint(\"world\")\n", false)],
        ),
        (
            "RUN <<-EOF\n\techo test\nEOF",
            true,
            &["<<-EOF"],
            &[("EOF", "\techo test\n", true)],
        ),
    ];
    for (input, shell, cmdline, files) in cases {
        let doc = parse(&format!("FROM a\n{input}\n"));
        let instruction = &doc.instructions[1];
        let (t, _) = typed(instruction);
        let Typed::Run(run) = t else {
            panic!("{input}")
        };
        let (is_shell, args): (bool, Vec<String>) = match run.command {
            CommandLine::Shell(t) => (true, vec![t.value]),
            CommandLine::Exec(v) => (false, v.into_iter().map(|t| t.value).collect()),
            CommandLine::Empty => (false, vec![]),
        };
        assert_eq!(is_shell, shell, "{input}");
        assert_eq!(args, cmdline, "{input}");
        let got: Vec<_> = instruction
            .heredocs
            .iter()
            .map(|h| (h.name.clone(), h.content.clone(), h.chomp))
            .collect();
        let want: Vec<_> = files
            .iter()
            .map(|&(n, d, c)| (n.to_string(), d.to_string(), c))
            .collect();
        assert_eq!(got, want, "{input}");
    }
}

#[test]
fn heredoc_layout_is_lossless_and_unterminated_is_an_error() {
    let text = "FROM a\r\nRUN <<EOF cat <<EOF2\r\nhi\r\nEOF\r\nyo\nEOF2\nRUN <<END\nno end\n";
    let doc = parse(text);
    assert_eq!(doc.print(), text);
    assert_eq!(doc.instructions[1].heredocs[0].content, "hi\r\n");
    assert_eq!(doc.instructions[1].end_line, 6);
    let messages: Vec<&str> = doc.errors.iter().map(|e| e.message.as_str()).collect();
    assert_eq!(messages, ["unterminated heredoc"]);
    // The heredoc word has an exact source span.
    let word = doc.instructions[1].heredocs[1].word;
    assert_eq!(&text[word.start..word.end], "<<EOF2");
}
