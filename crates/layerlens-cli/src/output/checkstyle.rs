//! Checkstyle XML, as CI plugins read it.

use super::{xml_escape, FileReport};

pub fn render(reports: &[FileReport]) -> String {
    let mut out =
        String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<checkstyle version=\"4.3\">\n");
    for report in reports {
        out.push_str(&format!("  <file name=\"{}\">\n", xml_escape(&report.path)));
        for d in &report.diagnostics {
            out.push_str(&format!(
                "    <error line=\"{}\" column=\"{}\" severity=\"{}\" message=\"{}\" source=\"{}\"/>\n",
                d.range.start_pos.line,
                d.range.start_pos.column,
                d.severity.as_str(),
                xml_escape(&d.message),
                xml_escape(&d.code)
            ));
        }
        out.push_str("  </file>\n");
    }
    out.push_str("</checkstyle>\n");
    out
}
