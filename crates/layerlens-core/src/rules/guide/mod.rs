//! Our own rules for what the guide teaches that hadolint and BuildKit do not check.

pub(crate) mod g5_fix_util;
pub(crate) mod g5_util;
mod ll1001;
mod ll1002;
mod ll1003;
mod ll1004;
mod ll1005;
mod ll1006;
mod ll1007;
mod ll1008;
mod ll1009;
mod ll1010;
mod ll1011;
mod ll1012;
mod ll1013;
mod ll1014;
mod ll1015;
mod ll1016;
mod ll1017;
mod ll1018;
mod ll1019;
mod ll1020;
mod ll1021;

use super::Rule;

/// In code order.
pub const RULES: &[&Rule] = &[
    &ll1001::RULE,
    &ll1002::RULE,
    &ll1003::RULE,
    &ll1004::RULE,
    &ll1005::RULE,
    &ll1006::RULE,
    &ll1007::RULE,
    &ll1008::RULE,
    &ll1009::RULE,
    &ll1010::RULE,
    &ll1011::RULE,
    &ll1012::RULE,
    &ll1013::RULE,
    &ll1014::RULE,
    &ll1015::RULE,
    &ll1016::RULE,
    &ll1017::RULE,
    &ll1018::RULE,
    &ll1019::RULE,
    &ll1020::RULE,
    &ll1021::RULE,
];
