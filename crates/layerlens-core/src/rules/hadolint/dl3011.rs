//! DL3011: EXPOSE of a port outside 0–65535.

use super::g1_util::{expand_at, Expanded};
use crate::instructions::Typed;
use crate::rules::{Category, Context, Docs, Origin, Report, Rule, Severity};

pub static RULE: Rule = Rule {
    code: "DL3011",
    name: "valid-port-range",
    origin: Origin::Hadolint,
    severity: Severity::Error,
    categories: &[Category::Correctness],
    summary: "TCP and UDP ports are 16-bit numbers; a larger one is a typo that breaks the build or the run.",
    docs: Docs::new(
        "Flags EXPOSE entries whose port, or either end of a port range, is above 65535 (after \
         ARG/ENV expansion when the values are known).",
        "Ports are 16-bit, so 0–65535 is all there is. A larger number is always a typo \
         (`80800` for `8080`): Docker rejects it with an \"invalid port\" error when the image is \
         built or run, and until then the image documents a port the service never listens on, \
         so `docker run -P` and orchestrators publish the wrong thing.",
        "FROM nginx:1.27\nEXPOSE 80800\n",
        "FROM nginx:1.27\nEXPOSE 8080\n",
        "Common Anti-Patterns",
    ),
    fix: crate::rules::Fixability::None,
    check,
};

fn check(context: &Context, report: &mut Report) {
    for i in 0..context.len() {
        let Typed::Expose(ports) = context.typed(i) else {
            continue;
        };
        for port in ports {
            let value = if port.value.contains('$') {
                match expand_at(context.model, i, &port.value) {
                    Expanded::Known(v) => v,
                    Expanded::Unknown => continue,
                }
            } else {
                port.value.clone()
            };
            // An expansion may hold several ports (`ARG PORTS="80 443"`).
            for entry in value.split_whitespace() {
                if let Some(bad) = out_of_range(entry) {
                    report.add(
                        i,
                        port.span,
                        format!("port {bad} in `{entry}` is above 65535, the highest TCP/UDP port"),
                    );
                }
            }
        }
    }
}

/// The first port number above 65535 in `80/tcp`, `8000-9000/udp` or `ip:host:container`.
fn out_of_range(entry: &str) -> Option<&str> {
    let ports = entry.split('/').next().unwrap_or("");
    let ports = ports.rsplit(':').next().unwrap_or(ports);
    ports.split('-').find(|p| {
        let digits = p.trim_start_matches('0');
        !p.is_empty()
            && p.chars().all(|c| c.is_ascii_digit())
            && (digits.len() > 5 || digits.parse::<u32>().is_ok_and(|n| n > 65535))
    })
}

#[cfg(test)]
mod tests {
    use super::super::g1_util::test_util::{count, spans};

    #[test]
    fn ports() {
        assert_eq!(
            spans("DL3011", "FROM a:1\nEXPOSE 80 80000/tcp\n"),
            ["80000/tcp"]
        );
        assert_eq!(count("DL3011", "FROM a:1\nEXPOSE 65535 0\n"), 0);
        assert_eq!(count("DL3011", "FROM a:1\nEXPOSE 40000-70000/udp\n"), 1);
        assert_eq!(
            count("DL3011", "FROM a:1\nEXPOSE 99999999999999999999999\n"),
            1
        );
        assert_eq!(count("DL3011", "FROM a:1\nEXPOSE ${P}\n"), 0);
        assert_eq!(count("DL3011", "FROM a:1\nARG P=70000\nEXPOSE ${P}\n"), 1);
        assert_eq!(
            count("DL3011", "FROM a:1\nARG P=\"80 443\"\nEXPOSE ${P}\n"),
            0
        );
    }
}
