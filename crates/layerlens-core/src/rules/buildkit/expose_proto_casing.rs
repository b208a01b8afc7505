//! ExposeProtoCasing: `EXPOSE 80/TCP` (BuildKit's check).

use super::g4_util::expose_specs;
use crate::fix::{Edit, Fix};
use crate::rules::{Category, Context, Docs, Origin, Report, Rule, Severity};
use crate::text::Span;

pub static RULE: Rule = Rule {
    code: "ExposeProtoCasing",
    name: "expose-proto-casing",
    origin: Origin::Buildkit,
    severity: Severity::Warning,
    categories: &[Category::Maintainability],
    summary: "Write EXPOSE protocols in lower case (`80/tcp`), as Docker stores them.",
    docs: Docs::new(
        "Flags an EXPOSE port whose protocol (`tcp`, `udp` or `sctp` after the `/`) contains \
         capitals, one finding per port.",
        "Docker lower-cases the protocol when it records the port, so `EXPOSE 80/TCP` ends up as \
         `80/tcp` in the image configuration. Tools that read the Dockerfile text instead \
         (compose generators, documentation scripts, grep-based checks for `/udp`) see a \
         different spelling than `docker inspect` reports and can miss the port. Writing the \
         stored form avoids the mismatch and keeps `docker build --check` quiet.",
        "FROM nginx:1.27\nEXPOSE 80/TCP 443/TCP\n",
        "FROM nginx:1.27\nEXPOSE 80/tcp 443/tcp\n",
        "Production Optimizations",
    )
    .with_fix_note(
        "Lower-cases the protocol where it is written literally (`80/TCP` → `80/tcp`; a \
         protocol that comes from a variable gets no fix). Safe: Docker stores the \
         lower-case form anyway, so the image configuration is identical.",
    ),
    fix: crate::rules::Fixability::Safe,
    check,
};

fn check(context: &Context, report: &mut Report) {
    for i in 0..context.len() {
        for (spec, span) in expose_specs(context, i) {
            let Some((_, proto)) = spec.split_once('/') else {
                continue;
            };
            let lower = proto.to_ascii_lowercase();
            if proto == lower || !matches!(lower.as_str(), "tcp" | "udp" | "sctp") {
                continue;
            }
            let fixed = format!("{}/{lower}", &spec[..spec.len() - proto.len() - 1]);
            let raw = span.slice(&context.model.doc.text);
            let fix = raw
                .strip_suffix(proto)
                .filter(|head| head.ends_with('/'))
                .map(|_| {
                    let at = Span::new(span.end - proto.len(), span.end);
                    Fix::safe(
                        format!("Write `{lower}`"),
                        vec![Edit::replace(at, lower.clone())],
                    )
                });
            report
                .add(
                    i,
                    span,
                    format!("write `{fixed}`: Docker records the protocol in lower case"),
                )
                .fix = fix;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::g4_util::{findings, lines};

    const CODE: &str = "ExposeProtoCasing";

    #[test]
    fn buildkit_case() {
        let text = "\nFROM scratch\nEXPOSE 80/TcP 8080/TCP 8080/udp\n";
        assert_eq!(lines(text, CODE), vec![3, 3]);
        let f = findings(text, CODE);
        assert!(
            f[0].1.contains("`80/tcp`") && f[1].1.contains("`8080/tcp`"),
            "{f:?}"
        );
    }

    #[test]
    fn variables_are_expanded_and_bad_protocols_ignored() {
        assert_eq!(
            lines("FROM scratch\nARG P=53/UDP\nEXPOSE $P\n", CODE),
            vec![3]
        );
        assert!(lines("FROM scratch\nEXPOSE 80/http 80\n", CODE).is_empty());
    }

    #[test]
    fn fixes() {
        use crate::rules::hadolint::g4_util::fixed;
        assert_eq!(
            fixed("FROM scratch\nEXPOSE 80/TcP \\\n  8080/TCP 53/udp\n", CODE),
            "FROM scratch\nEXPOSE 80/tcp \\\n  8080/tcp 53/udp\n"
        );
        let from_variable = "FROM scratch\nARG P=53/UDP\nEXPOSE $P\n";
        assert_eq!(fixed(from_variable, CODE), from_variable);
        assert_eq!(
            fixed("FROM scratch\nARG P=53\nEXPOSE $P/UDP\n", CODE),
            "FROM scratch\nARG P=53\nEXPOSE $P/udp\n"
        );
    }
}
