//! Stages, ARG/ENV scoping and variable expansion.
