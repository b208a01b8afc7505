use super::*;

// ----- helpers -------------------------------------------------------------------------------

/// Parse and check the invariants every result must satisfy.
fn parse(text: &str) -> Script {
    let s = parse_script(text);
    check_invariants(text, &s);
    s
}

fn check_invariants(text: &str, s: &Script) {
    let ok = |r: &Range| {
        r.start <= r.end
            && r.end <= text.len()
            && text.is_char_boundary(r.start)
            && text.is_char_boundary(r.end)
    };
    for c in &s.commands {
        assert!(ok(&c.range), "command range {:?} in {text:?}", c.range);
        for w in c.assignments.iter().chain(&c.words) {
            assert!(ok(&w.range), "word range {:?} in {text:?}", w.range);
            assert!(
                c.range.start <= w.range.start && w.range.end <= c.range.end,
                "word {:?} outside its command {:?} in {text:?}",
                w.range,
                c.range
            );
        }
        for r in &c.redirects {
            assert!(ok(&r.range), "redirect range {:?} in {text:?}", r.range);
            if let Some(t) = &r.target {
                assert!(ok(&t.range));
            }
            if let Some(b) = &r.body {
                assert!(ok(b));
            }
        }
    }
    for e in &s.errors {
        assert!(ok(&e.range), "error range {:?} in {text:?}", e.range);
    }
    for f in &s.functions {
        assert!(ok(&f.range));
    }
    assert!(
        s.commands
            .windows(2)
            .all(|w| w[0].range.start <= w[1].range.start),
        "commands not in source order"
    );
}

/// The source text of each command.
fn texts<'t>(text: &'t str, s: &Script) -> Vec<&'t str> {
    s.commands.iter().map(|c| &text[c.range.clone()]).collect()
}

fn values(words: &[Word]) -> Vec<&str> {
    words.iter().map(|w| w.value.as_str()).collect()
}

fn raws<'t>(text: &'t str, words: &[Word]) -> Vec<&'t str> {
    words.iter().map(|w| &text[w.range.clone()]).collect()
}

fn only(text: &str) -> Command {
    let s = parse(text);
    assert!(s.errors.is_empty(), "unexpected errors {:?}", s.errors);
    assert_eq!(s.commands.len(), 1, "{:?}", texts(text, &s));
    s.commands.into_iter().next().unwrap_or_default()
}

fn named<'s>(s: &'s Script, name: &'s str) -> &'s Command {
    s.commands_named(name)
        .next()
        .unwrap_or_else(|| panic!("no command {name}"))
}

// ----- words and quoting -----------------------------------------------------------------------

#[test]
fn simple_command_words_and_exact_ranges() {
    let text = "  apt-get install -y  curl ";
    let c = only(text);
    assert_eq!(&text[c.range.clone()], "apt-get install -y  curl");
    assert_eq!(values(&c.words), ["apt-get", "install", "-y", "curl"]);
    assert_eq!(raws(text, &c.words), ["apt-get", "install", "-y", "curl"]);
    assert_eq!(c.name(), Some("apt-get"));
    assert_eq!(values(c.args()), ["install", "-y", "curl"]);
    assert!(c.words.iter().all(|w| !w.quoted && !w.has_expansion));
    assert_eq!(c.operator_before, None);
    assert_eq!(c.operator_after, None);
}

#[test]
fn single_and_double_quotes() {
    let text = r#"echo 'a "b" $c' "d \"e\" \$f \\ \` \x" g'h'"i""#;
    let c = only(text);
    assert_eq!(
        values(&c.words),
        ["echo", r#"a "b" $c"#, r#"d "e" $f \ ` \x"#, "ghi"]
    );
    assert_eq!(
        raws(text, &c.words)[1..],
        [r#"'a "b" $c'"#, r#""d \"e\" \$f \\ \` \x""#, r#"g'h'"i""#]
    );
    assert!(c.words[1].quoted && c.words[2].quoted && c.words[3].quoted);
    assert!(!c.words[1].has_expansion, "single quotes do not expand");
    assert!(!c.words[2].has_expansion, "escaped $ does not expand");
}

#[test]
fn backslash_escapes_and_line_continuations() {
    let c = only("echo a\\ b \\$HOME c\\\nd \\\n e");
    assert_eq!(values(&c.words), ["echo", "a b", "$HOME", "cd", "e"]);
    assert!(c.words[1].quoted && c.words[2].quoted);
    assert!(!c.words[2].has_expansion);
    assert!(!c.words[3].quoted, "a line continuation is not quoting");
    // A trailing lone backslash stays literal.
    let c = only("echo \\");
    assert_eq!(values(&c.words), ["echo", "\\"]);
}

#[test]
fn ansi_c_strings() {
    let text = r"printf $'a\tb\x41\u00e9\101\'z\q\n' $'\cA' x$'y'";
    let c = only(text);
    assert_eq!(
        values(&c.words),
        ["printf", "a\tbAé\u{41}'z\\q\n", "\u{1}", "xy"]
    );
    assert!(c.words[1].quoted && !c.words[1].has_expansion);
    assert_eq!(
        &text[c.words[1].range.clone()],
        r"$'a\tb\x41\u00e9\101\'z\q\n'"
    );
    // `$'…'` is not special inside double quotes.
    let c = only(r#"echo "$'x'""#);
    assert_eq!(values(&c.words), ["echo", "$'x'"]);
}

#[test]
fn parameter_expansions_kept_literally() {
    let text = r#"echo $x ${y:-z} ${a:-${b}} "${c#*/}" $1 $@ $# ${d:-"}"} $ end$"#;
    let c = only(text);
    assert_eq!(
        values(&c.words),
        [
            "echo",
            "$x",
            "${y:-z}",
            "${a:-${b}}",
            "${c#*/}",
            "$1",
            "$@",
            "$#",
            r#"${d:-"}"}"#,
            "$",
            "end$"
        ]
    );
    let exp: Vec<bool> = c.words.iter().map(|w| w.has_expansion).collect();
    assert_eq!(
        exp,
        [false, true, true, true, true, true, true, true, true, false, false]
    );
    assert_eq!(&text[c.words[8].range.clone()], r#"${d:-"}"}"#);
}

#[test]
fn globs_mark_expansion_only_when_unquoted() {
    let c = only(r#"ls *.txt a?c [ab]x "*" '?' [ x] \*"#);
    let exp: Vec<bool> = c.words.iter().map(|w| w.has_expansion).collect();
    assert_eq!(
        exp,
        [false, true, true, true, false, false, false, false, false]
    );
}

#[test]
fn multibyte_text_keeps_char_boundaries() {
    let text = "echo héllo 中文 \"ü$x\" \\é 'ñ' && 日本 ü";
    let s = parse(text);
    assert_eq!(
        texts(text, &s),
        ["echo héllo 中文 \"ü$x\" \\é 'ñ'", "日本 ü"]
    );
    assert_eq!(
        values(&s.commands[0].words),
        ["echo", "héllo", "中文", "ü$x", "é", "ñ"]
    );
}

#[test]
fn comments() {
    let s = parse("echo a # && rm -rf /\necho b#c #d");
    assert_eq!(s.commands.len(), 2);
    assert_eq!(values(&s.commands[0].words), ["echo", "a"]);
    assert_eq!(values(&s.commands[1].words), ["echo", "b#c"]);
    // In joined RUN text (no newlines) a comment runs to the end.
    let s = parse("apt-get update # && apt-get install x");
    assert_eq!(s.commands.len(), 1);
    // `#` inside quotes or substitutions is literal.
    let c = only("echo '#x' \"#y\" ${#z}");
    assert_eq!(values(&c.words), ["echo", "#x", "#y", "${#z}"]);
}

#[test]
fn crlf_line_endings() {
    let s = parse("echo a\r\necho b\r\n");
    assert_eq!(
        s.commands
            .iter()
            .map(|c| values(&c.words))
            .collect::<Vec<_>>(),
        [["echo", "a"], ["echo", "b"]]
    );
}

#[test]
fn assignments() {
    let text = r#"A=1 B="x y" C+=z D[0]=w arr=(1 "2 3" $(e)) cmd E=not-assignment"#;
    let s = parse(text);
    let c = named(&s, "cmd");
    assert_eq!(
        values(&c.assignments),
        ["A=1", "B=x y", "C+=z", "D[0]=w", r#"arr=(1 "2 3" $(e))"#]
    );
    assert_eq!(values(&c.words), ["cmd", "E=not-assignment"]);
    assert_eq!(&text[c.range.clone()], text);
    // Assignment-only command.
    let c = only("savedAptMark=\"$x\"");
    assert!(c.words.is_empty());
    assert_eq!(c.name(), None);
    // Quoted name: not an assignment.
    let c = only("\"A\"=1");
    assert!(c.assignments.is_empty());
    assert_eq!(c.name(), Some("A=1"));
}

// ----- operators, lists and pipelines --------------------------------------------------------

#[test]
fn list_and_pipe_operators() {
    use Operator::*;
    let text = "a && b || c; d | e |& f & g\nh";
    let s = parse(text);
    assert_eq!(texts(text, &s), ["a", "b", "c", "d", "e", "f", "g", "h"]);
    let ops: Vec<_> = s
        .commands
        .iter()
        .map(|c| (c.operator_before, c.operator_after))
        .collect();
    assert_eq!(
        ops,
        [
            (None, Some(And)),
            (Some(And), Some(Or)),
            (Some(Or), Some(Semi)),
            (Some(Semi), Some(Pipe)),
            (Some(Pipe), Some(PipeErr)),
            (Some(PipeErr), Some(Background)),
            (Some(Background), Some(Semi)),
            (Some(Semi), None),
        ]
    );
    let pipes: Vec<usize> = s.commands.iter().map(|c| c.pipeline).collect();
    assert_eq!(pipes, [0, 1, 2, 3, 3, 3, 4, 5]);
}

#[test]
fn newlines_after_operators_and_blank_lines() {
    use Operator::*;
    let s = parse("a &&\n\n b |\n c;\n\n d &\n e\n");
    let ops: Vec<_> = s
        .commands
        .iter()
        .map(|c| (c.operator_before, c.operator_after))
        .collect();
    assert_eq!(
        ops,
        [
            (None, Some(And)),
            (Some(And), Some(Pipe)),
            (Some(Pipe), Some(Semi)),
            (Some(Semi), Some(Background)),
            (Some(Background), Some(Semi)),
        ]
    );
    assert!(s.errors.is_empty());
}

#[test]
fn pipelines_are_dense_in_source_order() {
    let s = parse("x=$(a | b) c | d; e");
    let got: Vec<(String, usize)> = s
        .commands
        .iter()
        .map(|c| (c.name().unwrap_or("").to_string(), c.pipeline))
        .collect();
    assert_eq!(
        got,
        [
            ("c".to_string(), 0),
            ("a".to_string(), 1),
            ("b".to_string(), 1),
            ("d".to_string(), 0),
            ("e".to_string(), 2)
        ]
    );
}

#[test]
fn operator_tokens() {
    let text = "{ a; } | { b; } && sh -c 'c | d'\ne";
    let s = parse(text);
    let ops: Vec<(Operator, &str, bool)> = s
        .operators
        .iter()
        .map(|o| (o.op, &text[o.range.clone()], o.via_shell_c))
        .collect();
    use Operator::*;
    assert_eq!(
        ops,
        [
            (Semi, ";", false),
            (Pipe, "|", false),
            (Semi, ";", false),
            (And, "&&", false),
            (Pipe, "|", true),
            (Semi, "\n", false),
        ]
    );
    assert!(s.has_pipe());
    assert!(!parse("sh -c 'a | b'").has_pipe());
    assert!(!parse("echo 'a | b' \\| c").has_pipe());
    assert!(parse("a |& b").has_pipe());
}

#[test]
fn negation_is_not_a_command() {
    let text = "! grep -q x f && echo y";
    let s = parse(text);
    assert_eq!(texts(text, &s), ["grep -q x f", "echo y"]);
    // Not allowed after `|` (bash and dash refuse it); tolerated with an error.
    let text = "a | ! b";
    let s = parse(text);
    assert_eq!(texts(text, &s), ["a", "b"]);
    assert_eq!(s.errors.len(), 1);
}

// ----- redirections and heredocs ---------------------------------------------------------------

#[test]
fn redirections() {
    let text = "cmd >out 2>>err <in 2>&1 >&2 &>all &>>all2 >|f 0<>rw 3<&0 <<<str 2>/dev/null > \"sp ace\" arg";
    let c = only(text);
    let got: Vec<(Option<u32>, &str, Option<&str>, &str)> = c
        .redirects
        .iter()
        .map(|r| {
            (
                r.fd,
                r.op.as_str(),
                r.target.as_ref().map(|t| t.value.as_str()),
                &text[r.range.clone()],
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            (None, ">", Some("out"), ">out"),
            (Some(2), ">>", Some("err"), "2>>err"),
            (None, "<", Some("in"), "<in"),
            (Some(2), ">&", Some("1"), "2>&1"),
            (None, ">&", Some("2"), ">&2"),
            (None, "&>", Some("all"), "&>all"),
            (None, "&>>", Some("all2"), "&>>all2"),
            (None, ">|", Some("f"), ">|f"),
            (Some(0), "<>", Some("rw"), "0<>rw"),
            (Some(3), "<&", Some("0"), "3<&0"),
            (None, "<<<", Some("str"), "<<<str"),
            (Some(2), ">", Some("/dev/null"), "2>/dev/null"),
            (None, ">", Some("sp ace"), "> \"sp ace\""),
        ]
    );
    assert_eq!(values(&c.words), ["cmd", "arg"]);
    assert_eq!(&text[c.range.clone()], text);
    // Digits only form an fd when directly followed by the operator.
    let c = only("echo 2 >x a2>y");
    assert_eq!(values(&c.words), ["echo", "2", "a2"]);
    assert_eq!(c.redirects[1].fd, None);
    // Redirect before the name.
    let c = only(">/dev/null 2>&1 cmd x");
    assert_eq!(c.name(), Some("cmd"));
    assert_eq!(c.redirects.len(), 2);
}

#[test]
fn heredoc_body_is_data() {
    let text = "cat <<EOF > /etc/conf\nrm -rf /\n$(also data)\nEOF\necho after";
    let s = parse(text);
    assert!(s.errors.is_empty(), "{:?}", s.errors);
    assert_eq!(texts(text, &s), ["cat <<EOF > /etc/conf", "echo after"]);
    let r = &s.commands[0].redirects[0];
    assert_eq!(r.op, "<<");
    assert_eq!(r.target.as_ref().map(|t| t.value.as_str()), Some("EOF"));
    assert_eq!(
        r.body.clone().map(|b| &text[b]),
        Some("rm -rf /\n$(also data)\n")
    );
    assert_eq!(s.commands[1].operator_before, Some(Operator::Semi));
}

#[test]
fn heredoc_variants() {
    // <<- strips leading tabs before matching the delimiter; quoted delimiters.
    let text = "cat <<-'END' | sh\n\tdata\n\tEND\ncat << \"X\" <<Y\nx\nX\ny\nY\nls";
    let s = parse(text);
    assert!(s.errors.is_empty(), "{:?}", s.errors);
    assert_eq!(
        texts(text, &s),
        ["cat <<-'END'", "sh", "cat << \"X\" <<Y", "ls"]
    );
    let body = |c: usize, r: usize| s.commands[c].redirects[r].body.clone().map(|b| &text[b]);
    assert_eq!(body(0, 0), Some("\tdata\n"));
    assert_eq!(body(2, 0), Some("x\n"));
    assert_eq!(body(2, 1), Some("y\n"));
    assert_eq!(s.commands[0].redirects[0].op, "<<-");
}

#[test]
fn heredoc_inside_substitution_and_compound() {
    let text = "x=$(cat <<EOF\n)\nEOF\n)\nwhile read l; do echo \"$l\"; done <<EOF\na\nEOF\nls";
    let s = parse(text);
    assert!(s.errors.is_empty(), "{:?}", s.errors);
    let names: Vec<&str> = s.commands.iter().filter_map(Command::name).collect();
    assert_eq!(names, ["cat", "read", "echo", "ls"]);
}

#[test]
fn heredoc_without_body_in_text() {
    // A Dockerfile `RUN cat <<EOF > f` line: BuildKit keeps the body, the shell text has none.
    let s = parse("cat <<EOF > /f && echo done");
    assert!(s.errors.is_empty());
    assert_eq!(s.commands[0].redirects[0].body, None);
    assert_eq!(s.commands.len(), 2);
    // A body that starts but never ends is an error.
    let s = parse("cat <<EOF\nabc\n");
    assert_eq!(s.errors.len(), 1);
    let text = "cat <<EOF\nabc\n";
    assert_eq!(
        s.commands[0].redirects[0].body.clone().map(|b| &text[b]),
        Some("abc\n")
    );
}

// ----- substitutions -----------------------------------------------------------------------

#[test]
fn command_substitution() {
    let text = "savedAptMark=\"$(apt-mark showmanual)\"; echo $(a $(b) 'c)') x";
    let s = parse(text);
    assert!(s.errors.is_empty());
    let got: Vec<(&str, usize, bool)> = s
        .commands
        .iter()
        .map(|c| (&text[c.range.clone()], c.subshell_depth, c.in_substitution))
        .collect();
    assert_eq!(
        got,
        [
            ("savedAptMark=\"$(apt-mark showmanual)\"", 0, false),
            ("apt-mark showmanual", 1, true),
            ("echo $(a $(b) 'c)') x", 0, false),
            ("a $(b) 'c)'", 1, true),
            ("b", 2, true),
        ]
    );
    let echo = named(&s, "echo");
    assert_eq!(values(&echo.words), ["echo", "$(a $(b) 'c)')", "x"]);
    assert!(echo.words[1].has_expansion && !echo.words[1].quoted);
}

#[test]
fn case_inside_substitution() {
    let text = "x=$(case $y in a) echo A;; (b|c) echo B;; esac) && z";
    let s = parse(text);
    assert!(s.errors.is_empty(), "{:?}", s.errors);
    assert_eq!(
        texts(text, &s),
        [
            "x=$(case $y in a) echo A;; (b|c) echo B;; esac)",
            "echo A",
            "echo B",
            "z"
        ]
    );
}

#[test]
fn backticks() {
    let text = r#"x=`a \`b\` "c"` && echo "`d \"e\"`""#;
    let s = parse(text);
    assert!(s.errors.is_empty(), "{:?}", s.errors);
    let got: Vec<(&str, usize, bool)> = s
        .commands
        .iter()
        .map(|c| (&text[c.range.clone()], c.subshell_depth, c.in_substitution))
        .collect();
    assert_eq!(
        got,
        [
            (r#"x=`a \`b\` "c"`"#, 0, false),
            (r#"a \`b\` "c""#, 1, true),
            ("b", 2, true),
            (r#"echo "`d \"e\"`""#, 0, false),
            (r#"d \"e\""#, 1, true),
        ]
    );
    let d = named(&s, "d");
    assert_eq!(values(&d.words), ["d", "e"]);
    assert_eq!(raws(text, &d.words), ["d", r#"\"e\""#]);
}

#[test]
fn nested_backticks_by_escaping() {
    // Each level escapes the backslashes and backticks of the level inside it.
    let mut text = "x".to_string();
    for _ in 0..6 {
        text = format!("`echo {}`", text.replace('\\', "\\\\").replace('`', "\\`"));
    }
    let s = parse(&text);
    assert!(s.errors.is_empty(), "{:?}", s.errors);
    let depths: Vec<usize> = s.commands.iter().map(|c| c.subshell_depth).collect();
    assert_eq!(depths, [0, 1, 2, 3, 4, 5, 6]);
    assert_eq!(
        s.commands.last().map(|c| values(&c.words)),
        Some(vec!["echo", "x"])
    );
    // Every command's range starts at its `echo` (or `x`) in the original text.
    for c in &s.commands[1..] {
        let raw = &text[c.range.clone()];
        assert!(raw.starts_with("echo") || raw == "x", "{raw}");
    }
}

#[test]
fn arithmetic_is_not_commands() {
    let text =
        "echo $((1 + $x)) $(( (2) * 3 )) && (( i++ )) && for ((i=0; i<3; i++)); do echo $i; done";
    let s = parse(text);
    assert!(s.errors.is_empty(), "{:?}", s.errors);
    assert_eq!(
        texts(text, &s),
        ["echo $((1 + $x)) $(( (2) * 3 ))", "echo $i"]
    );
    assert_eq!(s.commands[0].words[1].value, "$((1 + $x))");
    // `$((` that does not close as arithmetic is a substitution of a subshell.
    let text = "echo $((a) | b)";
    let s = parse(text);
    assert_eq!(texts(text, &s), ["echo $((a) | b)", "a", "b"]);
    assert_eq!(s.commands[1].subshell_depth, 2);
}

#[test]
fn process_substitution() {
    let text = "diff <(sort a) >(tee b) <in";
    let s = parse(text);
    assert!(s.errors.is_empty());
    assert_eq!(texts(text, &s), [text, "sort a", "tee b"]);
    assert!(s.commands[1].in_substitution);
    assert_eq!(
        values(&s.commands[0].words),
        ["diff", "<(sort a)", ">(tee b)"]
    );
}

#[test]
fn substitution_inside_parameter_expansion() {
    let text = "echo ${X:-$(id -u)}";
    let s = parse(text);
    assert_eq!(texts(text, &s), [text, "id -u"]);
}

// ----- compound commands ----------------------------------------------------------------------

#[test]
fn subshells_and_brace_groups() {
    let text = "(cd /x && make) && { echo a; (echo b); }";
    let s = parse(text);
    assert!(s.errors.is_empty());
    let got: Vec<(&str, usize, Option<Operator>, Option<Operator>)> = s
        .commands
        .iter()
        .map(|c| {
            (
                &text[c.range.clone()],
                c.subshell_depth,
                c.operator_before,
                c.operator_after,
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            ("cd /x", 1, None, Some(Operator::And)),
            ("make", 1, Some(Operator::And), None),
            ("echo a", 0, None, Some(Operator::Semi)),
            ("echo b", 1, None, None),
        ]
    );
    assert!(s.commands.iter().all(|c| !c.in_substitution));
}

#[test]
fn if_elif_else() {
    let text = "if [ -n \"$X\" ]; then a; elif b; then c; else d; fi; e";
    let s = parse(text);
    assert!(s.errors.is_empty());
    let got: Vec<(&str, bool, bool)> = s
        .commands
        .iter()
        .map(|c| (&text[c.range.clone()], c.in_condition, c.in_loop_or_branch))
        .collect();
    assert_eq!(
        got,
        [
            ("[ -n \"$X\" ]", true, false),
            ("a", false, true),
            ("b", true, false),
            ("c", false, true),
            ("d", false, true),
            ("e", false, false),
        ]
    );
    // Substitutions inside the condition are part of it.
    let s = parse("if [ \"$(id -u)\" = 0 ]; then :; fi");
    assert!(named(&s, "id").in_condition && named(&s, "id").in_substitution);
}

#[test]
fn while_until_loops() {
    let text = "while read l; do echo $l; done < f; until false; do break; done";
    let s = parse(text);
    assert!(s.errors.is_empty());
    let got: Vec<(&str, bool, bool)> = s
        .commands
        .iter()
        .map(|c| (&text[c.range.clone()], c.in_condition, c.in_loop_or_branch))
        .collect();
    assert_eq!(
        got,
        [
            ("read l", true, false),
            ("echo $l", false, true),
            ("false", true, false),
            ("break", false, true),
        ]
    );
}

#[test]
fn for_loops() {
    let text = "for key in $GPG_KEYS \"x\"; do gpg --recv-keys \"$key\"; done; for f in $(ls)\ndo rm $f; done; for a; do :; done";
    let s = parse(text);
    assert!(s.errors.is_empty(), "{:?}", s.errors);
    let got: Vec<(&str, bool)> = s
        .commands
        .iter()
        .map(|c| (&text[c.range.clone()], c.in_loop_or_branch))
        .collect();
    assert_eq!(
        got,
        [
            ("gpg --recv-keys \"$key\"", true),
            ("ls", false),
            ("rm $f", true),
            (":", true),
        ]
    );
}

#[test]
fn case_statement() {
    let text = "case \"$dpkgArch\" in\n amd64|x86_64) a=1; b ;;\n (arm64) c ;&\n 'i386') ;;\n *) echo \"unsupported\"; exit 1 ;;\nesac; after";
    let s = parse(text);
    assert!(s.errors.is_empty(), "{:?}", s.errors);
    let got: Vec<(&str, bool)> = s
        .commands
        .iter()
        .map(|c| (&text[c.range.clone()], c.in_loop_or_branch))
        .collect();
    assert_eq!(
        got,
        [
            ("a=1", true),
            ("b", true),
            ("c", true),
            ("echo \"unsupported\"", true),
            ("exit 1", true),
            ("after", false),
        ]
    );
    // Last item without `;;`, and `esac` on the same line.
    let s = parse("case x in a) echo a; esac");
    assert!(s.errors.is_empty());
    assert_eq!(s.commands.len(), 1);
}

#[test]
fn functions() {
    let text = "f() { apt-get update; }\nfunction g { (cd /x); }\nfunction h() ( ls )\nf; g";
    let s = parse(text);
    assert!(s.errors.is_empty(), "{:?}", s.errors);
    let got: Vec<(&str, bool)> = s
        .commands
        .iter()
        .map(|c| (&text[c.range.clone()], c.in_function))
        .collect();
    assert_eq!(
        got,
        [
            ("apt-get update", true),
            ("cd /x", true),
            ("ls", true),
            ("f", false),
            ("g", false),
        ]
    );
    assert_eq!(values(&s.functions), ["f", "g", "h"]);
}

#[test]
fn reserved_words_only_in_command_position() {
    let s = parse("echo if then fi done; echo { }");
    assert!(s.errors.is_empty());
    assert_eq!(
        values(&s.commands[0].words),
        ["echo", "if", "then", "fi", "done"]
    );
    assert_eq!(values(&s.commands[1].words), ["echo", "{", "}"]);
    // Quoted, a reserved word is a plain command name.
    let c = only("\"if\" x");
    assert_eq!(c.name(), Some("if"));
    // `for` words after `in` are plain words too.
    let s = parse("for x in do done fi; do echo $x; done");
    assert!(s.errors.is_empty(), "{:?}", s.errors);
    assert_eq!(s.commands.len(), 1);
}

#[test]
fn double_bracket_conditions() {
    let text = "[[ $a == b && ( $c =~ ^x(y|z)$ || -z $d ) ]] && echo ok";
    let s = parse(text);
    assert!(s.errors.is_empty(), "{:?}", s.errors);
    assert_eq!(
        texts(text, &s),
        ["[[ $a == b && ( $c =~ ^x(y|z)$ || -z $d ) ]]", "echo ok"]
    );
    assert_eq!(s.commands[0].name(), Some("[["));
    assert_eq!(
        s.commands[0].words.last().map(|w| w.value.as_str()),
        Some("]]")
    );
    assert_eq!(s.commands[0].operator_after, Some(Operator::And));
    // `]]` glued to what follows.
    let text = "x=$([[ -n $a ]]) && [[ $b ]]|| c";
    let s = parse(text);
    assert!(s.errors.is_empty(), "{:?}", s.errors);
    assert_eq!(
        texts(text, &s),
        ["x=$([[ -n $a ]])", "[[ -n $a ]]", "[[ $b ]]", "c"]
    );
    // `[[` with substitutions inside.
    let s = parse("[[ -n \"$(id -u)\" ]]");
    assert_eq!(s.commands.len(), 2);
}

#[test]
fn nested_context_flags_combine() {
    let text = "for i in 1; do if x; then y \"$(z)\"; fi; done";
    let s = parse(text);
    let x = named(&s, "x");
    assert!(x.in_condition && x.in_loop_or_branch);
    let z = named(&s, "z");
    assert!(z.in_substitution && z.in_loop_or_branch && !z.in_condition);
    assert_eq!(z.subshell_depth, 1);
}

// ----- sh -c ---------------------------------------------------------------------------------

/// (text of command in the outer string, via_shell_c) for every command.
fn shc(text: &str) -> Vec<(&str, bool)> {
    let s = parse(text);
    assert!(s.errors.is_empty(), "{text}: {:?}", s.errors);
    s.commands
        .iter()
        .map(|c| (&text[c.range.clone()], c.via_shell_c))
        .collect()
}

#[test]
fn shell_c_single_quoted_is_exact() {
    let text = "sh -c 'apt-get update && apt-get install -y curl'";
    let s = parse(text);
    assert_eq!(
        shc(text),
        [
            (text, false),
            ("apt-get update", true),
            ("apt-get install -y curl", true)
        ]
    );
    let inner = &s.commands[2];
    assert_eq!(
        raws(text, &inner.words),
        ["apt-get", "install", "-y", "curl"]
    );
    assert_eq!(inner.operator_before, Some(Operator::And));
    assert!(inner.has_flag('y'));
}

#[test]
fn shell_c_variants() {
    for text in [
        "bash -c 'x'",
        "/bin/sh -c 'x'",
        "ash -c x",
        "dash -c \"x\"",
        "zsh -c 'x'",
        "bash -ex -c 'x'",
        "sh -ec 'x'",
        "bash -o pipefail -c 'x'",
        "bash --login -c 'x'",
        "bash +o history -c 'x'",
        "sh -c -- 'x'",
        "su -c 'x' postgres",
        "su postgres --command='x'",
        "su - postgres -c x",
        "su -lc x postgres",
        "sudo -u app sh -c 'x'",
        "env -i A=1 /bin/bash -c 'x'",
        "xargs -r -n1 sh -c 'x'",
        "su-exec app sh -c 'x'",
        "busybox sh -c 'x'",
        "find . -type f -exec sh -c 'x' sh {} +",
    ] {
        let got = shc(text);
        assert_eq!(got.len(), 2, "{text}: {got:?}");
        assert_eq!(got[1], ("x", true), "{text}");
    }
    for text in [
        "sh script.sh",
        "bash -c",
        "sh -x 'x'",
        "echo -c 'x'",
        "bash -- -c x",
        "echo sh -c x",
        "sudo apt-get install -y bash",
        "find / -name sh -c x",
    ] {
        let got = shc(text);
        assert!(got.iter().all(|c| !c.1), "{text}: {got:?}");
    }
}

#[test]
fn shell_c_escapes_map_per_character() {
    let text = r#"bash -c "echo \"a b\" \$HOME && ls \\ \`x\`""#;
    let s = parse(text);
    let inner: Vec<&Command> = s.commands.iter().filter(|c| c.via_shell_c).collect();
    let got: Vec<&str> = inner.iter().map(|c| &text[c.range.clone()]).collect();
    assert_eq!(got, [r#"echo \"a b\" \$HOME"#, r#"ls \\ \`x\`"#, "x"]);
    assert_eq!(values(&inner[0].words), ["echo", "a b", "$HOME"]);
    assert_eq!(
        raws(text, &inner[0].words),
        ["echo", r#"\"a b\""#, r#"\$HOME"#]
    );
    assert!(inner[0].words[2].has_expansion);
    assert_eq!(raws(text, &inner[1].words), ["ls", r#"\\ \`x\`"#]);
    assert!(inner[2].in_substitution);
}

#[test]
fn shell_c_nested_and_context() {
    let text = "if true; then sh -c \"bash -c 'apt-get install -y x'\"; fi";
    let s = parse(text);
    assert!(s.errors.is_empty());
    let apt = named(&s, "apt-get");
    assert!(apt.via_shell_c && apt.in_loop_or_branch);
    assert_eq!(&text[apt.range.clone()], "apt-get install -y x");
    assert_eq!(s.commands.len(), 4);
    // Commands of a substitution the outer shell already runs are not reported twice.
    let text =
        "sh -c \"echo $(id -u)\" && bash -c \"$(curl -fsSL https://x)\" && sh -c 'y=$(id -g)'";
    let s = parse(text);
    assert_eq!(s.commands_named("id").count(), 2);
    assert_eq!(s.commands_named("curl").count(), 1);
    let g = s
        .commands
        .iter()
        .find(|c| c.args().first().is_some_and(|a| a.value == "-g"));
    assert!(g.is_some_and(|c| c.via_shell_c && c.in_substitution));
}

#[test]
fn shell_c_depth_limit() {
    // sh -c "sh -c \"sh -c …\"" nested ten times, escaped properly at each level.
    let mut text = "apt-get install x".to_string();
    for _ in 0..10 {
        text = format!(
            "sh -c \"{}\"",
            text.replace('\\', "\\\\").replace('"', "\\\"")
        );
    }
    let s = parse(&text);
    let depth_of_shc = s.commands.iter().filter(|c| c.via_shell_c).count();
    assert_eq!(depth_of_shc, MAX_SHELL_C_DEPTH);
    assert_eq!(s.errors.len(), 1);
    assert!(s.commands_named("apt-get").next().is_none());
    // Shallow enough: found, with its range inside the original text.
    let mut text = "apt-get install x".to_string();
    for _ in 0..3 {
        text = format!(
            "sh -c \"{}\"",
            text.replace('\\', "\\\\").replace('"', "\\\"")
        );
    }
    let s = parse(&text);
    assert!(s.errors.is_empty());
    let apt = named(&s, "apt-get");
    assert_eq!(&text[apt.range.clone()], "apt-get install x");
}

#[test]
fn shell_c_nested_through_substitutions_stays_linear() {
    // Every `sh` here is run by the outer shell (inside `$( )`), and each string contains the
    // next: expanding each inner copy again would be exponential.
    for unit in ["sh -c \"$(", "x=$(sh -c \"$(echo; ", "sh -c '$("] {
        let text = unit.repeat(40) + "echo hi";
        let start = std::time::Instant::now();
        let s = parse(&text);
        assert!(
            start.elapsed().as_secs() < 5,
            "{unit}: {:?}",
            start.elapsed()
        );
        assert!(s.commands_named("echo").count() >= 1);
    }
    // Large strings nested deeply hit the shared re-parse budget.
    let mut text = format!("echo {}", "x".repeat(200_000));
    for _ in 0..6 {
        text = format!(
            "sh -c \"{}\"",
            text.replace('\\', "\\\\").replace('"', "\\\"")
        );
    }
    let s = parse(&text);
    assert!(
        s.errors.iter().any(|e| e.message.contains("not analysed")),
        "{:?}",
        s.errors
    );
    assert!(s.commands_named("echo").next().is_none());
}

#[test]
fn shell_c_with_attached_command_option() {
    let text = "su postgres --command=\"psql -c 'select 1'\"";
    let got = shc(text);
    assert_eq!(got, [(text, false), ("psql -c 'select 1'", true)]);
}

#[test]
fn shell_c_errors_are_mapped() {
    let text = "sh -c 'echo \"unterminated'";
    let s = parse(text);
    assert_eq!(s.errors.len(), 1);
    assert_eq!(&text[s.errors[0].range.clone()], "\"unterminated");
}

// ----- tolerance ----------------------------------------------------------------------------

#[test]
fn empty_and_blank_input() {
    for text in ["", " ", "\n\n", "\t \\\n ", "# only a comment", ";", "\\"] {
        let s = parse(text);
        assert!(s.commands.len() <= 1, "{text:?}");
    }
    assert_eq!(parse("").commands.len(), 0);
    assert!(parse("").errors.is_empty());
}

#[test]
fn only_operators() {
    let s = parse("&& || ; | & ;; ( ) |&");
    assert!(s.commands.is_empty());
    assert!(!s.errors.is_empty());
}

#[test]
fn unterminated_quotes() {
    let text = "echo \"unterminated && rm -rf /";
    let s = parse(text);
    assert_eq!(s.commands.len(), 1);
    assert_eq!(s.errors.len(), 1);
    assert_eq!(
        &text[s.errors[0].range.clone()],
        "\"unterminated && rm -rf /"
    );
    let s = parse("apt-get install 'x && y");
    assert_eq!(s.commands[0].words.len(), 3);
    assert_eq!(s.errors.len(), 1);
    for text in ["echo `x", "echo $(x", "echo ${x", "echo $'x", "echo $((1"] {
        let s = parse(text);
        assert!(!s.errors.is_empty(), "{text}");
        assert_eq!(s.commands[0].name(), Some("echo"), "{text}");
    }
}

#[test]
fn stray_closers() {
    let text = "ls ) && echo hi";
    let s = parse(text);
    assert_eq!(texts(text, &s), ["ls", "echo hi"]);
    assert!(!s.errors.is_empty());

    let text = "fi; apt-get update";
    let s = parse(text);
    assert_eq!(texts(text, &s), ["apt-get update"]);
    assert_eq!(s.errors.len(), 1);
    assert_eq!(&text[s.errors[0].range.clone()], "fi");

    for text in ["done", "esac", "}", "then x", "else", ";;", "do"] {
        let s = parse(text);
        assert_eq!(s.errors.len(), 1, "{text}: {:?}", s.errors);
    }
    // A closer that belongs to nobody is skipped inside a construct, too.
    let text = "while a; do b; fi; c; done; d";
    let s = parse(text);
    assert_eq!(texts(text, &s), ["a", "b", "c", "d"]);
    assert!(named(&s, "c").in_loop_or_branch);
    assert_eq!(s.errors.len(), 1);
}

#[test]
fn unclosed_constructs() {
    for (text, cmds) in [
        ("if true; then echo", 2),
        ("while x; do y", 2),
        ("for x in a b; do y", 1),
        ("case x in a) y", 1),
        ("{ a; b", 2),
        ("( a; b", 2),
        ("f() {", 0),
        ("if", 0),
        ("for", 0),
        ("case", 0),
        ("[[ a", 1),
        ("a |", 1),
        ("a &&", 1),
        ("cat <<", 1),
        ("echo >", 1),
    ] {
        let s = parse(text);
        assert!(!s.errors.is_empty(), "{text}");
        assert_eq!(s.commands.len(), cmds, "{text}: {:?}", texts(text, &s));
    }
    // A missing `esac` does not swallow the enclosing `fi`.
    let text = "if x; then case y in a) b;; fi; c";
    let s = parse(text);
    assert_eq!(s.errors.len(), 1, "{:?}", s.errors);
    assert!(!named(&s, "c").in_loop_or_branch);
    // The command after a broken construct is still found.
    let s = parse("if x; then (a; fi; b");
    assert!(s.commands_named("b").next().is_some());
}

#[test]
fn missing_separators_and_odd_parens() {
    let s = parse("echo (a) b");
    assert!(!s.errors.is_empty());
    assert!(s.commands_named("a").next().is_some());
    assert!(s.commands_named("echo").next().is_some());
    assert!(
        s.functions.is_empty(),
        "`echo (` is not a function definition"
    );
    let s = parse("f ( ) { :; }");
    assert!(s.errors.is_empty());
    assert_eq!(values(&s.functions), ["f"]);
    let s = parse(")))(((");
    assert!(!s.errors.is_empty());
    let s = parse("((((((((((");
    assert!(!s.errors.is_empty());
}

#[test]
fn deep_nesting_is_cut_off_without_overflow() {
    for unit in [
        "(",
        "$(",
        "\"$(",
        "$(`",
        "if ",
        "while ",
        "{ ",
        "f() ",
        "case x in a) ",
        "${x:-$(",
        "<(",
        "[[ $(",
        "for x in a; do ",
        "function f ",
        "! ",
    ] {
        let text = unit.repeat(500);
        let s = parse(&text);
        assert!(!s.errors.is_empty(), "{unit}");
    }
    // Well-formed but deep: still parsed up to the limit.
    // (With spaces: `((` would be an arithmetic command, as in bash.)
    let text = format!("{}echo deep{}", "( ".repeat(30), " )".repeat(30));
    let s = parse(&text);
    assert!(s.errors.is_empty());
    assert_eq!(s.commands[0].subshell_depth, 30);
}

/// A small deterministic generator (no external crates).
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
}

#[test]
fn random_megabyte_of_bytes_as_chars() {
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let text: String = (0..1_000_000)
        .map(|_| char::from((rng.next() & 0xff) as u8))
        .collect();
    let start = std::time::Instant::now();
    let s = parse(&text);
    assert!(start.elapsed().as_secs() < 20, "took {:?}", start.elapsed());
    assert!(s.errors.len() <= MAX_ERRORS + 1);
}

#[test]
fn random_shell_alphabet_soup() {
    let alphabet: Vec<char> = "ab x;&|()<>{}[]$`'\"\\\n#=*?!-0 1é中\tifthenfidoesac"
        .chars()
        .collect();
    let mut rng = Rng(42);
    for round in 0..300 {
        let len = (rng.next() % 400) as usize;
        let text: String = (0..len)
            .map(|_| alphabet[(rng.next() % alphabet.len() as u64) as usize])
            .collect();
        let s = parse(&text);
        let _ = (round, s);
    }
    // One long string too.
    let text: String = (0..300_000)
        .map(|_| alphabet[(rng.next() % alphabet.len() as u64) as usize])
        .collect();
    let start = std::time::Instant::now();
    parse(&text);
    assert!(start.elapsed().as_secs() < 20);
}

#[test]
fn pathological_repetitions_stay_fast() {
    for unit in [
        "((",
        "$((",
        "$((a) ",
        "a;",
        "<<A ",
        "cat <<EOF\n",
        "\\`",
        "${",
        "sh -c '",
        "a=(",
        ")",
        "if ",
        "[[ ",
    ] {
        let text = unit.repeat(200_000 / unit.len());
        let start = std::time::Instant::now();
        parse(&text);
        assert!(
            start.elapsed().as_secs() < 20,
            "{unit:?} took {:?}",
            start.elapsed()
        );
    }
}

#[test]
fn caps_bound_output() {
    let text = "a;".repeat(MAX_COMMANDS + 10);
    let s = parse(&text);
    assert_eq!(s.commands.len(), MAX_COMMANDS);
    assert_eq!(s.errors.len(), 1);
    let s = parse(&")".repeat(MAX_ERRORS * 2));
    assert_eq!(s.errors.len(), MAX_ERRORS + 1);
}

// ----- helpers for rules ------------------------------------------------------------------------

#[test]
fn flags() {
    let c = only("apt-get -qy install --no-install-recommends --opt=1 pkg -- -x");
    assert!(c.has_flag('q') && c.has_flag('y'));
    assert!(!c.has_flag('x'), "not after --");
    assert!(!c.has_flag('n'), "long options are not short clusters");
    assert!(c.has_long_flag("--no-install-recommends"));
    assert!(c.has_long_flag("no-install-recommends"));
    assert!(c.has_long_flag("opt"));
    assert!(!c.has_long_flag("no-install"));
    assert!(!c.has_long_flag(""));
    let c = only("pip install --no-cache-dir=1 x");
    assert!(c.has_long_flag("no-cache-dir"));
}

#[test]
fn flag_values() {
    let c = only("set -eux -o pipefail");
    assert_eq!(c.flag_value("-o"), Some("pipefail"));
    let c = only("set -eo pipefail");
    assert_eq!(c.flag_value("o"), Some("pipefail"));
    let c = only("curl -ofile --output=x --retry 3 -H a -H b url");
    assert_eq!(c.flag_value("-o"), Some("file"));
    assert_eq!(c.flag_value("--output"), Some("x"));
    assert_eq!(c.flag_value("retry"), Some("3"));
    assert_eq!(c.flag_values("-H"), ["a", "b"]);
    assert_eq!(c.flag_value("--missing"), None);
    let c = only("find / -name '*.pyc' -delete");
    assert_eq!(c.flag_value("-name"), Some("*.pyc"));
    let c = only("tar -xzf archive.tgz -C /opt");
    assert_eq!(c.flag_value("-f"), Some("archive.tgz"));
    assert_eq!(c.flag_value("-C"), Some("/opt"));
    let c = only("x -- -o v");
    assert_eq!(c.flag_value("-o"), None);
}

#[test]
fn positional_args() {
    let c = only("apt-get install -y -o Dpkg::Options::=x curl - -- -weird");
    let pos: Vec<&str> = c
        .positional_args()
        .iter()
        .map(|w| w.value.as_str())
        .collect();
    assert_eq!(pos, ["install", "Dpkg::Options::=x", "curl", "-", "-weird"]);
    let pos: Vec<&str> = c
        .positional_args_with(&["-o"])
        .iter()
        .map(|w| w.value.as_str())
        .collect();
    assert_eq!(pos, ["install", "curl", "-", "-weird"]);
    let c = only("pip install --index-url u -r req.txt pkg");
    let pos: Vec<&str> = c
        .positional_args_with(&["--index-url", "-r"])
        .iter()
        .map(|w| w.value.as_str())
        .collect();
    assert_eq!(pos, ["install", "pkg"]);
}

#[test]
fn names_and_paths() {
    let s = parse("/usr/bin/apt-get update && apt-get install x && apt-getx y && \"\"");
    assert_eq!(s.commands_named("apt-get").count(), 2);
    assert_eq!(s.commands_named("/usr/bin/apt-get").count(), 2);
    let c = &s.commands[0];
    assert!(c.is("apt-get"));
    assert_eq!(c.basename(), Some("apt-get"));
    assert_eq!(c.name(), Some("/usr/bin/apt-get"));
    let empty = Command::default();
    assert_eq!(empty.name(), None);
    assert!(empty.args().is_empty());
    assert!(!empty.is("x"));
    assert!(!empty.has_flag('x'));
}

#[test]
fn serializes() {
    let s = parse("echo hi | tee f");
    let json = serde_json::to_string(&s).unwrap_or_default();
    assert!(json.contains("\"operator_after\":\"Pipe\""), "{json}");
    assert!(json.contains("\"range\":{\"start\":0,\"end\":7}"), "{json}");
}

// ----- real RUN lines (docker-library official images) ---------------------------------------

/// From docker-library/php (8.2 alpine), continuation-joined as the Dockerfile parser does.
const PHP_RUN: &str = "set -eux; \tapk add --no-cache --virtual .fetch-deps gnupg; \tmkdir -p /usr/src; \tcd /usr/src; \tcurl -fsSL -o php.tar.xz \"$PHP_URL\"; \tif [ -n \"$PHP_SHA256\" ]; then \t\techo \"$PHP_SHA256 *php.tar.xz\" | sha256sum -c -; \tfi; \tcurl -fsSL -o php.tar.xz.asc \"$PHP_ASC_URL\"; \texport GNUPGHOME=\"$(mktemp -d)\"; \tfor key in $GPG_KEYS; do \t\tgpg --batch --keyserver keyserver.ubuntu.com --recv-keys \"$key\"; \tdone; \tgpg --batch --verify php.tar.xz.asc php.tar.xz; \tgpgconf --kill all; \trm -rf \"$GNUPGHOME\"; \tapk del --no-network .fetch-deps";

/// From docker-library/python (slim-bookworm).
const PYTHON_RUN: &str = "set -eux; \tsavedAptMark=\"$(apt-mark showmanual)\"; \tapt-get update; \tapt-get install -y --no-install-recommends \t\tdpkg-dev \t\tgcc \t\tlibbz2-dev \t; \tdpkgArch=\"$(dpkg --print-architecture)\"; \tcase \"$dpkgArch\" in \t\tamd64|arm64) EXTRA_CFLAGS=\"${EXTRA_CFLAGS:-} -fno-omit-frame-pointer\";; \tesac; \tmake -j \"$nproc\" \t\t\"EXTRA_CFLAGS=${EXTRA_CFLAGS:-}\" \t; \tapt-mark auto '.*' > /dev/null; \tapt-mark manual $savedAptMark; \tfind /usr/local -type f -executable -not \\( -name '*tkinter*' \\) -exec ldd '{}' ';' \t\t| awk '/=>/ { so = $(NF-1); if (index(so, \"/usr/local/\") == 1) { next }; gsub(\"^/(usr/)?\", \"\", so); printf \"*%s\\n\", so }' \t\t| sort -u \t\t| xargs -r dpkg-query --search \t\t| cut -d: -f1 \t\t| sort -u \t\t| xargs -r apt-mark manual \t; \tapt-get purge -y --auto-remove -o APT::AutoRemove::RecommendsImportant=false; \trm -rf /var/lib/apt/lists/*";

/// From nodejs/docker-node (alpine), with `{ …; } ||` groups inside a `for`.
const NODE_RUN: &str = "apk add --no-cache --virtual .build-deps-yarn curl gnupg tar   && export GNUPGHOME=\"$(mktemp -d)\"   && for key in     6A010C5166006599AA17F08146C2130DFD2497F5   ; do     { gpg --batch --keyserver hkps://keys.openpgp.org --recv-keys \"$key\" && gpg --batch --fingerprint \"$key\"; } ||     { gpg --batch --keyserver keyserver.ubuntu.com --recv-keys \"$key\" && gpg --batch --fingerprint \"$key\"; } ;   done   && curl -fsSLO --compressed \"https://yarnpkg.com/downloads/$YARN_VERSION/yarn-v$YARN_VERSION.tar.gz\"   && find /usr/local/include/node/openssl/archs -mindepth 1 -maxdepth 1 ! -name \"$OPENSSL_ARCH\" -exec rm -rf {} \\;   && yarn --version   && rm -rf /tmp/*";

#[test]
fn real_php_run() {
    let s = parse(PHP_RUN);
    assert!(s.errors.is_empty(), "{:?}", s.errors);
    assert_eq!(s.commands.len(), 16);
    let apk = named(&s, "apk");
    assert!(apk.has_long_flag("no-cache"));
    assert_eq!(apk.flag_value("--virtual"), Some(".fetch-deps"));
    let cd = named(&s, "cd");
    assert_eq!(&PHP_RUN[cd.range.clone()], "cd /usr/src");
    let sha = named(&s, "sha256sum");
    assert!(sha.in_loop_or_branch);
    assert_eq!(sha.operator_before, Some(Operator::Pipe));
    assert_eq!(named(&s, "echo").pipeline, sha.pipeline);
    assert!(named(&s, "[").in_condition);
    assert!(named(&s, "mktemp").in_substitution);
    assert!(named(&s, "gpg").in_loop_or_branch);
    assert_eq!(named(&s, "set").flag_value("-o"), None);
    assert!(named(&s, "set").has_flag('e'));
}

#[test]
fn real_python_run() {
    let s = parse(PYTHON_RUN);
    assert!(s.errors.is_empty(), "{:?}", s.errors);
    let install = s
        .commands_named("apt-get")
        .find(|c| c.args().first().is_some_and(|a| a.value == "install"))
        .map(|c| &PYTHON_RUN[c.range.clone()]);
    assert_eq!(
        install,
        Some("apt-get install -y --no-install-recommends \t\tdpkg-dev \t\tgcc \t\tlibbz2-dev")
    );
    assert!(named(&s, "apt-mark").in_substitution);
    // The long pipeline: find | awk | sort | xargs | cut | sort | xargs.
    let find = named(&s, "find");
    let pipe: Vec<&str> = s
        .commands
        .iter()
        .filter(|c| c.pipeline == find.pipeline)
        .filter_map(Command::name)
        .collect();
    assert_eq!(
        pipe,
        ["find", "awk", "sort", "xargs", "cut", "sort", "xargs"]
    );
    assert_eq!(
        find.args().last().map(|w| w.value.as_str()),
        Some(";"),
        "quoted ';' is an argument"
    );
    let purge = s
        .commands_named("apt-get")
        .find(|c| c.has_long_flag("auto-remove"));
    assert_eq!(
        purge.and_then(|c| c.flag_value("-o")),
        Some("APT::AutoRemove::RecommendsImportant=false")
    );
    let case_assign = s
        .commands
        .iter()
        .find(|c| c.in_loop_or_branch)
        .map(|c| values(&c.assignments));
    assert_eq!(
        case_assign,
        Some(vec![
            "EXTRA_CFLAGS=${EXTRA_CFLAGS:-} -fno-omit-frame-pointer"
        ])
    );
}

#[test]
fn real_node_run() {
    let s = parse(NODE_RUN);
    assert!(s.errors.is_empty(), "{:?}", s.errors);
    let gpgs: Vec<(Option<Operator>, Option<Operator>, bool)> = s
        .commands_named("gpg")
        .map(|c| (c.operator_before, c.operator_after, c.in_loop_or_branch))
        .collect();
    use Operator::*;
    assert_eq!(
        gpgs,
        [
            (None, Some(And), true),
            (Some(And), Some(Semi), true),
            (None, Some(And), true),
            (Some(And), Some(Semi), true),
        ]
    );
    let find = named(&s, "find");
    assert_eq!(
        find.args().last().map(|w| (w.value.as_str(), w.quoted)),
        Some((";", true))
    );
    assert_eq!(named(&s, "rm").operator_before, Some(And));
}

#[test]
fn heredoc_script_body_as_input() {
    // A `RUN <<EOF` body passed as a script: newlines separate commands.
    let text = "set -eux\napt-get update\napt-get install -y \\\n    curl\ncat > /etc/x <<'CONF'\nkey=value\nCONF\nrm -rf /var/lib/apt/lists/*\n";
    let s = parse(text);
    assert!(s.errors.is_empty(), "{:?}", s.errors);
    assert_eq!(
        texts(text, &s),
        [
            "set -eux",
            "apt-get update",
            "apt-get install -y \\\n    curl",
            "cat > /etc/x <<'CONF'",
            "rm -rf /var/lib/apt/lists/*"
        ]
    );
    let install = &s.commands[2];
    assert_eq!(values(install.args()), ["install", "-y", "curl"]);
    assert_eq!(install.operator_before, Some(Operator::Semi));
}
