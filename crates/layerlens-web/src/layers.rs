//! The layer panel: totals for the final image, the "what changed?" cache simulator, and
//! every stage's layer stack drawn bottom to top (newest on top, as `docker history` and
//! the guide's diagram show it), with bars as long as the estimated sizes. Everything is
//! read from the core's `LayerReport`; nothing is re-derived here.

use std::rc::Rc;

use layerlens_core::analysis::Analysis;
use layerlens_core::layers::{
    human, parse_size, Confidence, InstructionLayer, LayerReport, PresetKind, SizeRange,
    StageLayers, WasteItem, WasteKind,
};
use web_sys::{HtmlInputElement, HtmlTextAreaElement};
use yew::prelude::*;

use crate::dom::focus_by_id;
use crate::rule_docs::rich;
use crate::state::{Action, ContextField, ContextInputs, Lines, Scenario};
use crate::view::{
    change_label, effect_name, effect_note, percent_label, reveal, size_label, Scale, Shared,
};

#[derive(Properties, PartialEq)]
pub struct LayersProps {
    pub analysis: Shared<Analysis>,
    pub scenario: Scenario,
    /// The context inputs as typed.
    pub context: Rc<ContextInputs>,
    pub dispatch: Callback<Action>,
}

/// `data-preset` / `data-scenario` value of a scenario.
pub fn scenario_key(scenario: Scenario) -> &'static str {
    match scenario {
        Scenario::Nothing => "none",
        Scenario::Paths => "paths",
        Scenario::Preset(PresetKind::ApplicationCode) => "application_code",
        Scenario::Preset(PresetKind::DependencyManifest) => "dependency_manifest",
        Scenario::Preset(PresetKind::SystemPackages) => "system_packages",
        Scenario::Preset(PresetKind::BaseImage) => "base_image",
    }
}

fn confidence_class(c: Confidence) -> String {
    format!("conf conf-{}", c.as_str())
}

/// A stage's part in the build, for its heading.
fn stage_role(stage: &StageLayers) -> (&'static str, &'static str) {
    if stage.target {
        ("final", "final image")
    } else if stage.in_final_image {
        ("final", "in the final image")
    } else if stage.built {
        ("build", "build stage · not shipped")
    } else {
        ("skipped", "skipped · not built for the target")
    }
}

/// The instruction's text without its keyword (the row shows the keyword on its own).
fn without_keyword(text: &str, keyword: &str) -> String {
    match text.get(..keyword.len()) {
        Some(head) if head.eq_ignore_ascii_case(keyword) => {
            text[keyword.len()..].trim_start().to_owned()
        }
        _ => text.to_owned(),
    }
}

/// The bar of one layer: a solid part up to the low estimate, a lighter one up to the
/// high estimate, a striped one when there is no upper bound.
fn bar(scale: &Scale, size: SizeRange) -> Html {
    let lo = scale.percent(size.min);
    let (ext, unknown) = match size.max {
        Some(max) => ((scale.percent(max) - lo).max(0.0), false),
        None => ((100.0 - lo).max(0.0), true),
    };
    html! {
        <span class="bar" aria-hidden="true">
            <span class="bar-min" style={format!("width: {lo:.2}%")}></span>
            if ext > 0.0 {
                <span class={classes!("bar-ext", unknown.then_some("is-unknown"))}
                      style={format!("left: {lo:.2}%; width: {ext:.2}%")}></span>
            }
        </span>
    }
}

fn totals(report: &LayerReport) -> Html {
    let t = &report.totals;
    let (base_note, base_title) = match t.base_image_layers {
        Some(n) if n > 1 => (
            "base image as one",
            format!("ledger entries that store files; the base image has {n} layers of its own"),
        ),
        _ => ("with files", "ledger entries that store files".to_owned()),
    };
    let waste_note = if t.leftover_bytes.is_zero() {
        "stored twice".to_owned()
    } else {
        format!("caches: {}", size_label(t.leftover_bytes))
    };
    html! {
        <div class="totals" data-testid="totals">
            <div class="stat">
                <span class="stat-label">{ "Image size" }</span>
                <span class="stat-value" data-testid="total-size">{ size_label(t.size_bytes) }</span>
                <span class="stat-sub">{ format!("{} pull", size_label(t.pull_bytes)) }</span>
            </div>
            <div class="stat">
                <span class="stat-label">{ "Layers" }</span>
                <span class="stat-value" data-testid="total-layers">{ t.layers }</span>
                <span class="stat-sub" title={base_title}>{ base_note }</span>
            </div>
            <div class="stat">
                <span class="stat-label">{ "Efficiency" }</span>
                <span class="stat-value" data-testid="total-efficiency">{ percent_label(t.efficiency) }</span>
                <span class="stat-sub">{ "dive score" }</span>
            </div>
            <div class="stat">
                <span class="stat-label">{ "Wasted" }</span>
                <span class="stat-value" data-testid="total-wasted">{ size_label(t.wasted_bytes_corrected) }</span>
                <span class="stat-sub">{ waste_note }</span>
            </div>
        </div>
    }
}

#[function_component(Layers)]
pub fn layers(props: &LayersProps) -> Html {
    let expanded = use_state(|| None::<usize>);
    let analysis = &props.analysis;
    let report = &analysis.layers;
    let dispatch = props.dispatch.clone();

    let scale = Scale::fit(
        report
            .instructions
            .iter()
            .filter(|x| x.creates_layer)
            .map(|x| x.size_bytes),
    );

    // ---- one ledger entry ----
    let row = |x: &InstructionLayer| -> Html {
        let lines = Lines {
            first: x.line,
            last: x.end_line.max(x.line),
        };
        let is_open = *expanded == Some(x.index);
        let range = analysis.instructions.get(x.index).map(|i| i.range);
        let onclick = {
            let dispatch = dispatch.clone();
            let expanded = expanded.clone();
            let index = x.index;
            Callback::from(move |_: MouseEvent| {
                if let Some(range) = range {
                    dispatch.emit(reveal(range, false));
                }
                dispatch.emit(Action::Pin(Some(lines)));
                expanded.set(if is_open { None } else { Some(index) });
            })
        };
        let enter = dispatch.reform(move |_: MouseEvent| Action::Hover(Some(lines)));
        let leave = dispatch.reform(|_: MouseEvent| Action::Hover(None));
        let focus = dispatch.reform(move |_: FocusEvent| Action::Hover(Some(lines)));
        let blur = dispatch.reform(|_: FocusEvent| Action::Hover(None));

        let thin = !x.creates_layer;
        let cache = match x.cached {
            Some(Some(true)) => "cached",
            Some(Some(false)) => "rebuilt",
            Some(None) => "skipped",
            None => "",
        };
        let first_miss = x.first_miss == Some(true);
        let reason = x.reason.clone().flatten();
        let size_text = if thin {
            effect_note(x.effect).to_owned()
        } else {
            size_label(x.size_bytes)
        };
        let unknown = x.creates_layer && !x.size_bytes.is_known();
        let args = without_keyword(&x.text, &x.instruction);
        // Waste this step causes (files of an earlier layer deleted, rewritten, copied up).
        let wastes: Vec<&WasteItem> = report
            .waste
            .iter()
            .filter(|w| w.caused_by == x.index)
            .collect();

        html! {
            <li class={classes!(
                    "layer-row",
                    format!("kind-{}", effect_name(x.effect)),
                    thin.then_some("is-thin"),
                    (!x.built).then_some("is-skipped"),
                    (!cache.is_empty()).then(|| format!("cache-{cache}")),
                    first_miss.then_some("is-first-miss"),
                    is_open.then_some("is-open"),
                )}
                data-testid="layer"
                data-index={x.index.to_string()}
                data-line={x.line.to_string()}
                data-keyword={x.instruction.clone()}
                data-effect={effect_name(x.effect)}
                data-creates-layer={x.creates_layer.to_string()}
                data-cache={cache}
                data-first-miss={first_miss.to_string()}
                data-size-min={x.size_bytes.min.to_string()}
                data-size-max={x.size_bytes.max.map(|m| m.to_string()).unwrap_or_default()}
                onmouseenter={enter}
                onmouseleave={leave}>
                <button type="button" class="layer-main" {onclick} onfocus={focus} onblur={blur}
                        aria-expanded={is_open.to_string()}
                        title={format!("Line {}: highlight it and explain the estimate", x.line)}>
                    <span class="l-line">{ x.line }</span>
                    <span class={classes!("l-kw", format!("kw-{}", x.instruction.to_ascii_lowercase()))}>
                        { x.instruction.clone() }
                    </span>
                    <span class="l-text" title={x.text.clone()}>{ args }</span>
                    if !cache.is_empty() && cache != "skipped" {
                        <span class={classes!("l-cache", format!("is-{cache}"))} data-testid="layer-cache">{ cache }</span>
                    }
                    <span class={classes!("l-size", unknown.then_some("is-unknown"))} data-testid="layer-size">
                        { size_text }
                    </span>
                    if !thin {
                        { bar(&scale, x.size_bytes) }
                    }
                </button>
                if first_miss {
                    if let Some(reason) = reason.clone() {
                        <p class="miss-reason" data-testid="miss-reason">
                            <strong>{ "First rebuilt step: " }</strong>{ rich(&reason) }
                        </p>
                    }
                }
                { for wastes.iter().map(|w| waste_note(w, report)) }
                if is_open {
                    { detail(x, reason.as_deref()) }
                }
            </li>
        }
    };

    // ---- stages, newest on top ----
    let mut stacks: Vec<Html> = report
        .stages
        .iter()
        .rev()
        .map(|stage| {
            let (role, role_label) = stage_role(stage);
            let entries: Vec<&InstructionLayer> = std::iter::once(stage.from)
                .chain(stage.instructions.iter().copied())
                .filter_map(|i| report.instructions.get(i))
                .collect();
            html! {
                <div class={classes!("stack-group", format!("role-{role}"))}
                     data-testid="stack-stage"
                     data-stage={stage.index.to_string()}
                     data-size-min={stage.size_bytes.min.to_string()}
                     data-size-max={stage.size_bytes.max.map(|m| m.to_string()).unwrap_or_default()}
                     data-role={role}>
                    <div class="group-head">
                        <span class="stage-index">{ stage.index }</span>
                        if let Some(name) = &stage.name {
                            <span class="stage-name">{ name.clone() }</span>
                        }
                        <span class="stage-base"><span class="from">{ "from " }</span>{ stage.base.clone() }</span>
                        <span class={classes!("role-badge", format!("role-{role}"))}>{ role_label }</span>
                        <span class="group-size" title="the image this stage would be (docker build --target)">
                            { format!("{} · {} {}", size_label(stage.size_bytes), stage.layers,
                                      if stage.layers == 1 { "layer" } else { "layers" }) }
                        </span>
                    </div>
                    <ol class="stack">
                        { for entries.into_iter().rev().map(&row) }
                    </ol>
                </div>
            }
        })
        .collect();
    let globals: Vec<&InstructionLayer> = report
        .instructions
        .iter()
        .filter(|x| x.stage.is_none())
        .collect();
    if !globals.is_empty() {
        stacks.push(html! {
            <div class="stack-group role-global" data-testid="stack-stage" data-role="global">
                <div class="group-head">
                    <span class="stage-name">{ "Before the first FROM" }</span>
                    <span class="role-badge">{ "build arguments only" }</span>
                </div>
                <ol class="stack">{ for globals.into_iter().rev().map(&row) }</ol>
            </div>
        });
    }

    html! {
        <div class="tab-body layers-body" data-testid="layers">
            { totals(report) }
            if report.totals.unknown_layers > 0 {
                <p class="totals-note" data-testid="unknown-note">
                    { format!("≥: {} of unknown size (a COPY of the build context) — ",
                              if report.totals.unknown_layers == 1 { "1 layer is".to_owned() }
                              else { format!("{} layers are", report.totals.unknown_layers) }) }
                    <button type="button" class="link" onclick={Callback::from(|_: MouseEvent| focus_by_id("context-size"))}>
                        { "set the build-context size" }
                    </button>
                </p>
            }
            <WhatChanged analysis={props.analysis.clone()} scenario={props.scenario}
                         paths={props.context.paths.clone()} dispatch={dispatch.clone()} />
            <section class="stack-section" aria-labelledby="stack-title">
                <div class="section-head">
                    <h3 id="stack-title" class="section-title">{ "Layers, bottom to top" }</h3>
                    <span class="legend" data-testid="scale" data-scale={if scale.log { "log" } else { "linear" }}>
                        <span class="sw sw-min"></span>{ "low" }
                        <span class="sw sw-ext"></span>{ "high estimate" }
                        <span class="sw sw-unknown"></span>{ "unknown" }
                        <span class="scale-kind">{ if scale.log { "· log scale" } else { "· linear scale" } }</span>
                    </span>
                </div>
                { for stacks }
            </section>
            { waste(analysis, &dispatch) }
            <ContextFields context={props.context.clone()} dispatch={dispatch.clone()} />
            <p class="fineprint">
                { "Sizes are estimates from size tables (sources under each layer), shown as \
                   ranges — nothing here was measured on a built image." }
            </p>
            { for report.notes.iter().map(|n| html! { <p class="fineprint">{ rich(n) }</p> }) }
        </div>
    }
}

/// Under the step that causes it: what it wastes and why the bytes stay.
fn waste_note(w: &WasteItem, report: &LayerReport) -> Html {
    let line = report.instructions.get(w.created_by).map_or(0, |x| x.line);
    let size = size_label(w.wasted_bytes);
    let (verb, tail) = match w.kind {
        WasteKind::DeletedLater => ("deletes", "they stay in that layer, hidden"),
        WasteKind::Rewritten => ("writes again", "stored twice"),
        WasteKind::CopiedUp => ("copies up", "stored twice (chown/chmod -R)"),
    };
    html! {
        <p class="waste-note" data-testid="layer-waste">
            <strong>{ format!("Wastes {size}: ") }</strong>
            { format!("{verb} {} from line {line} — {tail}", w.what) }
        </p>
    }
}

/// What one layer's estimate is made of.
fn detail(x: &InstructionLayer, reason: Option<&str>) -> Html {
    let e = &x.estimate;
    html! {
        <div class="layer-detail" data-testid="layer-detail">
            <p class="estimate-note">
                <span class={confidence_class(e.confidence)} data-testid="layer-confidence">{ e.confidence.as_str() }</span>
                <span data-testid="layer-note">{ rich(&e.note) }</span>
            </p>
            if !e.parts.is_empty() {
                <table class="parts" data-testid="layer-parts">
                    <thead><tr><th>{ "part" }</th><th>{ "size" }</th><th>{ "from" }</th></tr></thead>
                    <tbody>
                        { for e.parts.iter().map(|p| html! {
                            <tr>
                                <td>{ rich(&p.what) }</td>
                                <td class="num">{ size_label(p.bytes) }</td>
                                <td class="src">
                                    <span class={confidence_class(p.confidence)}>{ p.confidence.as_str() }</span>
                                    { " " }{ p.source.clone() }
                                </td>
                            </tr>
                        }) }
                    </tbody>
                </table>
            }
            if x.creates_layer {
                <p class="detail-line">{ format!("Compressed (pushed and pulled): {}", size_label(x.pull_bytes)) }</p>
            }
            { for x.notes.iter().map(|n| html! { <p class="detail-line">{ rich(n) }</p> }) }
            if let Some(reason) = reason {
                <p class="detail-line">
                    <strong>{ if x.cached == Some(Some(true)) { "Cache: reused — " } else { "Cache: runs again — " } }</strong>
                    { rich(reason) }
                </p>
            }
        </div>
    }
}

/// Wasted bytes (stored twice) and leftovers (caches kept), each linked to its line.
fn waste(analysis: &Analysis, dispatch: &Callback<Action>) -> Html {
    let report = &analysis.layers;
    if report.waste.is_empty() && report.leftovers.is_empty() {
        return html! {
            <section class="waste-section" data-testid="waste">
                <h3 class="section-title">{ "Wasted space" }</h3>
                <p class="quiet">{ "Nothing stored twice and no package caches left in the final image." }</p>
            </section>
        };
    }
    let go = |index: usize| {
        let range = analysis.instructions.get(index).map(|i| i.range);
        let line = report.instructions.get(index).map(|x| Lines {
            first: x.line,
            last: x.end_line.max(x.line),
        });
        let dispatch = dispatch.clone();
        Callback::from(move |_: MouseEvent| {
            if let Some(range) = range {
                dispatch.emit(reveal(range, false));
            }
            dispatch.emit(Action::Pin(line));
        })
    };
    let line_of = |i: usize| report.instructions.get(i).map_or(0, |x| x.line);
    html! {
        <section class="waste-section" data-testid="waste">
            if !report.waste.is_empty() {
                <h3 class="section-title">{ "Wasted space" }</h3>
                <ul class="waste-list">
                    { for report.waste.iter().map(|w| html! {
                        <li class="waste-item" data-testid="waste-item">
                            <button type="button" onclick={go(w.caused_by)}>
                                <span class="w-size">{ size_label(w.wasted_bytes) }</span>
                                <span class="w-what">
                                    { rich(&w.what) }{ " " }<code>{ w.path.clone() }</code>
                                    <span class="w-lines">{ format!(" — line {} → line {}", line_of(w.created_by), line_of(w.caused_by)) }</span>
                                </span>
                                <span class="w-fix">{ rich(&w.fix) }</span>
                            </button>
                        </li>
                    }) }
                </ul>
            }
            if !report.leftovers.is_empty() {
                <h3 class="section-title">{ "Left in the image" }</h3>
                <ul class="waste-list">
                    { for report.leftovers.iter().map(|l| html! {
                        <li class="waste-item" data-testid="leftover">
                            <button type="button" onclick={go(l.instruction)}>
                                <span class="w-size">{ size_label(l.bytes) }</span>
                                <span class="w-what">
                                    { rich(&l.what) }{ " " }<code>{ l.path.clone() }</code>
                                    <span class="w-lines">{ format!(" — line {}", line_of(l.instruction)) }</span>
                                </span>
                                <span class="w-fix">{ rich(&l.fix) }</span>
                            </button>
                        </li>
                    }) }
                </ul>
            }
        </section>
    }
}

#[derive(Properties, PartialEq)]
struct WhatChangedProps {
    analysis: Shared<Analysis>,
    scenario: Scenario,
    paths: String,
    dispatch: Callback<Action>,
}

/// "What changed?": the core's presets for this file, a free path field, and the verdict.
#[function_component(WhatChanged)]
fn what_changed(props: &WhatChangedProps) -> Html {
    let report = &props.analysis.layers;
    let dispatch = &props.dispatch;
    let line_of = |i: usize| report.instructions.get(i).map(|x| x.line);

    let choice = |scenario: Scenario, label: String, title: String, enabled: bool| {
        let active = props.scenario == scenario;
        let onclick = dispatch.reform(move |_: MouseEvent| Action::SetScenario(scenario));
        html! {
            <button type="button" role="radio" class={classes!("choice", active.then_some("is-active"))}
                    aria-checked={active.to_string()} disabled={!enabled} {onclick} {title}
                    data-testid="preset" data-preset={scenario_key(scenario)}>
                { label }
            </button>
        }
    };
    let oninput = dispatch.reform(|e: InputEvent| {
        let input: HtmlInputElement = e.target_unchecked_into();
        Action::EditContext(ContextField::Paths, input.value())
    });

    let active_preset = match props.scenario {
        Scenario::Preset(kind) => report.presets.iter().find(|p| p.kind == kind),
        _ => None,
    };

    let verdict = match (&report.cache, props.scenario) {
        (_, Scenario::Nothing) => html! {
            <p class="quiet">
                { "Pick what changed since the last build to see which layers Docker reuses from \
                   its cache and which it builds again." }
            </p>
        },
        (None, _) => html! {
            <p class="quiet">{ "Type a changed file or glob of the build context (e.g. " }<code>{ "src/app.py" }</code>{ ")." }</p>
        },
        (Some(cache), _) => {
            let misses: Vec<_> = cache
                .first_miss
                .iter()
                .filter(|m| m.instruction.is_some())
                .collect();
            let changed = cache
                .changes
                .iter()
                .map(|c| change_label(c, line_of))
                .collect::<Vec<_>>()
                .join(", ");
            let multi = report.stages.len() > 1;
            let pushed = if cache.rebuilt_bytes.is_zero()
                || (!cache.rebuilt_bytes.is_known() && cache.rebuilt_bytes.min == 0)
            {
                String::new()
            } else {
                format!(" · {} to push again", size_label(cache.rebuilt_bytes))
            };
            html! {
                <div class={classes!("cache-result", if misses.is_empty() { "all-cached" } else { "some-rebuilt" })}
                     data-testid="cache-result" data-rebuilt={cache.rebuilt_layers.to_string()}
                     title={active_preset.map(|p| p.description.clone()).unwrap_or_default()}>
                    if misses.is_empty() {
                        <p class="headline">{ "Everything comes from the cache: nothing is rebuilt." }</p>
                    } else {
                        <p class="headline">
                            { format!("{} {} rebuilt{pushed}", cache.rebuilt_layers,
                                      if cache.rebuilt_layers == 1 { "layer" } else { "layers" }) }
                        </p>
                        <ul class="misses">
                            { for misses.iter().map(|m| {
                                let stage = report.stages.get(m.stage).map(|s| s.label.clone()).unwrap_or_default();
                                let keyword = m.instruction.and_then(|i| report.instructions.get(i))
                                    .map(|x| x.instruction.clone()).unwrap_or_default();
                                html! {
                                    <li data-testid="first-miss" data-stage={m.stage.to_string()}
                                        data-line={m.line.map(|l| l.to_string()).unwrap_or_default()}>
                                        <strong>
                                            if multi { { format!("{stage}: ") } }
                                            { format!("from line {} ({keyword})", m.line.unwrap_or(0)) }
                                        </strong>
                                        { " — " }{ rich(m.reason.as_deref().unwrap_or("")) }
                                    </li>
                                }
                            }) }
                        </ul>
                    }
                    <p class="changed">
                        { "Changed: " }<code>{ changed }</code>
                    </p>
                </div>
            }
        }
    };

    html! {
        <section class="what-changed" data-testid="what-changed" aria-labelledby="what-changed-title"
                 data-scenario={scenario_key(props.scenario)}>
            <h3 id="what-changed-title" class="section-title">{ "What changed since the last build?" }</h3>
            <div class="choices" role="radiogroup" aria-labelledby="what-changed-title">
                { choice(Scenario::Nothing, "Nothing".into(), "No cache simulation".into(), true) }
                { for report.presets.iter().map(|p| choice(
                    Scenario::Preset(p.kind),
                    p.label.to_owned(),
                    p.description.clone(),
                    !p.changes.is_empty(),
                )) }
            </div>
            <label class="path-field">
                <span>{ "or files:" }</span>
                <input type="text" data-testid="changed-path" value={props.paths.clone()} {oninput}
                       placeholder="src/app.py, requirements.txt" spellcheck="false" autocomplete="off" />
            </label>
            { verdict }
        </section>
    }
}

#[derive(Properties, PartialEq)]
struct ContextFieldsProps {
    context: Rc<ContextInputs>,
    dispatch: Callback<Action>,
}

/// The optional inputs: the build context's size and its `.dockerignore`.
#[function_component(ContextFields)]
fn context_fields(props: &ContextFieldsProps) -> Html {
    let size_input = props.dispatch.reform(|e: InputEvent| {
        let input: HtmlInputElement = e.target_unchecked_into();
        Action::EditContext(ContextField::ContextSize, input.value())
    });
    let ignore_input = props.dispatch.reform(|e: InputEvent| {
        let input: HtmlTextAreaElement = e.target_unchecked_into();
        Action::EditContext(ContextField::Dockerignore, input.value())
    });
    let typed = props.context.context_size.trim();
    let parsed = (!typed.is_empty()).then(|| parse_size(typed));
    let patterns = props
        .context
        .dockerignore
        .lines()
        .filter(|l| !l.trim().is_empty() && !l.trim_start().starts_with('#'))
        .count();
    html! {
        <section class="context-section" aria-labelledby="context-title">
            <h3 id="context-title" class="section-title">{ "Build context (optional)" }</h3>
            <label class="field">
                <span class="field-label">{ "Size of the build context" }</span>
                <input type="text" id="context-size" data-testid="context-size" value={props.context.context_size.clone()}
                       oninput={size_input} placeholder="e.g. 120MB" spellcheck="false" autocomplete="off"
                       aria-invalid={matches!(parsed, Some(None)).to_string()} />
                <span class="field-hint">
                    { match parsed {
                        None => "sizes COPY of the context; unknown otherwise".to_owned(),
                        Some(Some(b)) => format!("= {}", human(b)),
                        Some(None) => "not a size (try 120MB, 1.5GB)".to_owned(),
                    } }
                </span>
            </label>
            <label class="field field-wide">
                <span class="field-label">
                    { ".dockerignore" }
                    <span class="field-hint">
                        { if patterns == 0 { " — none: everything is sent".to_owned() }
                          else { format!(" — {patterns} {}", if patterns == 1 { "pattern" } else { "patterns" }) } }
                    </span>
                </span>
                <textarea data-testid="dockerignore" rows="4" value={props.context.dockerignore.clone()}
                          oninput={ignore_input} placeholder={".git\nnode_modules\n*.md"}
                          spellcheck="false" autocomplete="off"></textarea>
            </label>
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_show_the_keyword_once() {
        assert_eq!(without_keyword("COPY . .", "COPY"), ". .");
        assert_eq!(without_keyword("copy . .", "COPY"), ". .");
        assert_eq!(without_keyword("ONBUILD RUN make", "ONBUILD RUN"), "make");
        assert_eq!(without_keyword("RUN", "RUN"), "");
        assert_eq!(without_keyword("é", "RUN"), "é");
    }

    #[test]
    fn scenario_keys_match_the_core_presets() {
        for kind in PresetKind::ALL {
            let key = scenario_key(Scenario::Preset(kind));
            assert_eq!(PresetKind::from_name(key), Some(kind));
        }
    }
}
