//! TEMPORARY stand-in until lex.rs lands.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LexError {
    pub message: String,
}
pub struct HeredocWord {
    pub name: String,
    pub file_descriptor: u32,
    pub expand: bool,
    pub chomp: bool,
}
pub fn heredocs_in_line(
    line: &str,
) -> Result<Vec<(HeredocWord, std::ops::Range<usize>)>, LexError> {
    let mut out = Vec::new();
    let mut pos = 0;
    for word in line.split(' ') {
        let start = pos;
        pos += word.len() + 1;
        let digits = word.len() - word.trim_start_matches(|c: char| c.is_ascii_digit()).len();
        let Some(rest) = word[digits..].strip_prefix("<<") else {
            continue;
        };
        let (chomp, rest) = match rest.strip_prefix('-') {
            Some(r) => (true, r),
            None => (false, rest),
        };
        if rest.is_empty() || rest.contains('<') {
            continue;
        }
        let name: String = rest.chars().filter(|&c| c != '\'' && c != '"').collect();
        out.push((
            HeredocWord {
                expand: name.len() == rest.len(),
                name,
                file_descriptor: word[..digits].parse().unwrap_or(0),
                chomp,
            },
            start..start + word.len(),
        ));
    }
    Ok(out)
}
