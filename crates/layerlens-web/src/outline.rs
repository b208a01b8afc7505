//! The outline: build stages (name, base) and their instructions; click one to select it.

use layerlens_core::analysis::{Analysis, InstructionSummary, Located, StageSummary};
use yew::prelude::*;

use crate::view::Shared;

#[derive(Properties, PartialEq)]
pub struct OutlineProps {
    pub analysis: Shared<Analysis>,
    pub on_reveal: Callback<Located>,
}

/// Instructions grouped by the stage they belong to, in file order; `None` holds the
/// ARGs before the first FROM.
fn groups(analysis: &Analysis) -> Vec<(Option<usize>, Vec<&InstructionSummary>)> {
    let mut out: Vec<(Option<usize>, Vec<&InstructionSummary>)> = Vec::new();
    for ins in &analysis.instructions {
        match out.last_mut() {
            Some((stage, list)) if *stage == ins.stage => list.push(ins),
            _ => out.push((ins.stage, vec![ins])),
        }
    }
    // Stages without instructions of their own (should not happen, FROM is one) still show.
    for stage in &analysis.stages {
        if !out.iter().any(|(s, _)| *s == Some(stage.index)) {
            out.push((Some(stage.index), Vec::new()));
        }
    }
    out
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

#[function_component(Outline)]
pub fn outline(props: &OutlineProps) -> Html {
    let analysis = &props.analysis;
    let groups = groups(analysis);
    let reveal = |range: Located| props.on_reveal.reform(move |_: MouseEvent| range);

    let instruction = |ins: &InstructionSummary| {
        let line = ins.range.start_pos.line;
        html! {
            <li class="instruction" data-testid="instruction"
                data-line={line.to_string()} data-keyword={ins.keyword.clone()}>
                <button type="button" onclick={reveal(ins.range)}
                        title={format!("Select line {line}")}>
                    <span class="line" aria-label={format!("line {line}")}>{ line }</span>
                    <span class={classes!("kw", format!("kw-{}", ins.keyword.to_ascii_lowercase()))}>
                        { ins.keyword.clone() }
                    </span>
                    <span class="summary">{ ins.summary.clone() }</span>
                </button>
            </li>
        }
    };

    let stage_head = |stage: &StageSummary| {
        html! {
            <button type="button" class="stage-head" onclick={reveal(stage.range)}
                    title={format!("Select line {}", stage.range.start_pos.line)}>
                <span class="stage-index" aria-label={format!("stage {}", stage.index)}>
                    { stage.index }
                </span>
                if let Some(name) = &stage.name {
                    <span class="stage-name" data-testid="stage-name">{ name.clone() }</span>
                }
                <span class="stage-base">
                    <span class="from">{ "from " }</span>
                    <span data-testid="stage-base">{ stage.base.clone() }</span>
                </span>
            </button>
        }
    };

    html! {
        <section class="outline-section" aria-labelledby="outline-title" data-testid="outline">
            <div class="section-head">
                <h3 id="outline-title" class="section-title">{ "Outline" }</h3>
                <span class="meta">
                    { format!("{} · {}",
                        plural(analysis.stages.len(), "stage", "stages"),
                        plural(analysis.instructions.len(), "instruction", "instructions")) }
                </span>
            </div>
            if groups.is_empty() {
                <p class="empty">{ "No instructions yet — a Dockerfile starts with FROM." }</p>
            } else {
                <ol class="stages">
                    { for groups.into_iter().map(|(index, list)| {
                        let stage = index.and_then(|i| analysis.stages.iter().find(|s| s.index == i));
                        match stage {
                            Some(stage) => html! {
                                <li class="stage" data-testid="stage"
                                    data-index={stage.index.to_string()}
                                    data-base={stage.base.clone()}>
                                    { stage_head(stage) }
                                    <ol class="instructions">{ for list.into_iter().map(instruction) }</ol>
                                </li>
                            },
                            None => html! {
                                <li class="stage global" data-testid="stage-global">
                                    <div class="stage-head">
                                        <span class="stage-name">{ "Before the first FROM" }</span>
                                    </div>
                                    <ol class="instructions">{ for list.into_iter().map(instruction) }</ol>
                                </li>
                            },
                        }
                    }) }
                </ol>
            }
        </section>
    }
}
