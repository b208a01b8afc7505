//! ExposeInvalidFormat: an IP address or host port in EXPOSE (BuildKit's check).

use super::g4_util::expose_specs;
use crate::fix::{Edit, Fix};
use crate::rules::{Category, Context, Docs, Origin, Report, Rule, Severity};

pub static RULE: Rule = Rule {
    code: "ExposeInvalidFormat",
    name: "expose-invalid-format",
    origin: Origin::Buildkit,
    severity: Severity::Warning,
    categories: &[Category::Correctness],
    summary:
        "EXPOSE documents container ports only; host IPs and host ports belong to `docker run -p`.",
    docs: Docs::new(
        "Flags an EXPOSE port written with a host IP or a host port (`127.0.0.1:80:80`, \
         `8080:80`, `[::1]:80:80`).",
        "EXPOSE only records which container ports the image listens on; it never publishes \
         anything. The host part is silently dropped today (`EXPOSE 8080:80` records `80/tcp`), \
         so the port you expected on the host is not bound, and Docker has announced that the \
         form will become a build error. Publish ports when the container starts \
         (`docker run -p 8080:80`, compose `ports:`) and keep EXPOSE to the container port.",
        "FROM nginx:1.27\nEXPOSE 8080:80\n",
        "FROM nginx:1.27\nEXPOSE 80\n",
        "Production Optimizations",
    )
    .with_fix_note(
        "Keeps only the container port (and protocol) of a port written literally \
         (`127.0.0.1:8080:80/udp` → `80/udp`). Safe: Docker already drops the host address \
         and host port when it records the exposed port, so the image configuration is \
         identical. Ports that come from variables get no fix.",
    ),
    fix: crate::rules::Fixability::Safe,
    check,
};

fn check(context: &Context, report: &mut Report) {
    for i in 0..context.len() {
        for (spec, span) in expose_specs(context, i) {
            let parts: Vec<&str> = spec.split(':').collect();
            let (ip, host_port, container) = match parts.as_slice() {
                [_] => continue,
                [host, container] => ("", *host, *container),
                [ip, host, container] => (*ip, *host, *container),
                // IPv6 hosts contain colons: everything before the last two parts.
                [.., host, container] => {
                    let ip_len = spec.len() - host.len() - container.len() - 2;
                    (&spec[..ip_len], *host, *container)
                }
                [] => continue,
            };
            if ip.is_empty() && host_port.is_empty() {
                continue;
            }
            let literal = span.slice(&context.model.doc.text) == spec;
            let fix = (literal && !container.is_empty()).then(|| {
                Fix::safe(
                    format!("Write `{container}`"),
                    vec![Edit::replace(span, container.to_string())],
                )
            });
            report.add(
                i,
                span,
                format!(
                    "`{spec}` maps a host {}; EXPOSE only records the container port, so write `EXPOSE {container}` and publish with `docker run -p {}`",
                    if ip.is_empty() { "port" } else { "address" },
                    spec.split_once('/').map_or(spec.as_str(), |(p, _)| p)
                ),
            )
            .fix = fix;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::g4_util::{findings, lines};

    const CODE: &str = "ExposeInvalidFormat";

    #[test]
    fn buildkit_case() {
        let text = "\nFROM scratch\nEXPOSE 127.0.0.1:80:80 [::1]:8080:8080 5000:5000 8000\n";
        assert_eq!(lines(text, CODE), vec![3, 3, 3]);
        let f = findings(text, CODE);
        assert!(f[2].1.contains("`EXPOSE 5000`"), "{f:?}");
    }

    #[test]
    fn plain_ports_and_ranges_are_fine() {
        assert!(lines("FROM scratch\nEXPOSE 80 443/tcp 7000-7010/udp\n", CODE).is_empty());
    }

    #[test]
    fn fixes() {
        use crate::rules::hadolint::g4_util::fixed;
        assert_eq!(
            fixed(
                "FROM scratch\nEXPOSE 127.0.0.1:80:80 \\\n  [::1]:8080:8080/udp 5000:5000 8000\n",
                CODE
            ),
            "FROM scratch\nEXPOSE 80 \\\n  8080/udp 5000 8000\n"
        );
        let from_variable = "FROM scratch\nARG P=8080:80\nEXPOSE $P\n";
        assert_eq!(fixed(from_variable, CODE), from_variable);
    }
}
