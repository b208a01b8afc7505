// End-to-end tests of the layer panel, the cache simulator ("what changed?") and the stage
// graph, on the guide's examples (shared/seed/docker-optimization-guide.md), in headless
// Chromium against the release build.
//
//   LAYERLENS_DIST=dist node --test tests/browser/
//
// Test contract: `layer` rows (data-line, data-keyword, data-effect, data-creates-layer,
// data-cache = cached|rebuilt|"", data-first-miss, data-size-min/-max), `preset` buttons
// (data-preset), `changed-path`, `context-size`, `dockerignore`, `cache-result`,
// `first-miss`, `line-band` (data-first, data-last), `stack-stage` (data-role),
// `graph-node` (data-id, data-kind, data-target, data-built, data-final) and `graph-edge`
// (data-from, data-to, data-kind, data-count, data-built, data-final).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { launch, loadExample, openTab, ready, selection } from './harness.mjs';

// The guide's "Example: Python FastAPI Project" (Layer Caching Strategy), by line:
// FROM 1, RUN apt-get 4–6, RUN pip install poetry 9, ENV 12–13, COPY manifests 16,
// RUN poetry install 19, COPY . . 22, CMD 25.
const ALL_LINES = [1, 4, 9, 12, 16, 19, 22, 25];

let h;
let page;

async function rows(p) {
  return p.$$eval('[data-testid="layer"]', (els) =>
    els.map((el) => ({
      line: Number(el.dataset.line),
      keyword: el.dataset.keyword,
      effect: el.dataset.effect,
      layer: el.dataset.createsLayer === 'true',
      cache: el.dataset.cache,
      firstMiss: el.dataset.firstMiss === 'true',
      min: Number(el.dataset.sizeMin),
      max: el.dataset.sizeMax === '' ? null : Number(el.dataset.sizeMax),
      size: el.querySelector('[data-testid="layer-size"]')?.textContent.trim(),
      bar: el.querySelector('.bar') !== null,
      thin: el.classList.contains('is-thin'),
    })),
  );
}

/** Picks a preset (or "none") and waits for the simulation to be shown. */
async function choose(p, preset) {
  await p.click(`[data-testid="preset"][data-preset="${preset}"]`);
  await p.waitForSelector(`[data-testid="what-changed"][data-scenario="${preset}"]`);
  await ready(p);
}

/** Lines shown as rebuilt and as cached. */
async function verdicts(p) {
  const all = await rows(p);
  return {
    rebuilt: all.filter((r) => r.cache === 'rebuilt').map((r) => r.line).sort((a, b) => a - b),
    cached: all.filter((r) => r.cache === 'cached').map((r) => r.line).sort((a, b) => a - b),
    firstMiss: all.filter((r) => r.firstMiss).map((r) => r.line),
  };
}

async function bandLines(p) {
  const band = p.locator('[data-testid="line-band"]');
  if ((await band.count()) === 0) return null;
  const gutter = await p.$$eval('.gutter .ln.in-band', (els) => els.map((el) => Number(el.textContent)));
  return {
    first: Number(await band.getAttribute('data-first')),
    last: Number(await band.getAttribute('data-last')),
    gutter,
  };
}

before(async () => {
  h = await launch();
  page = await h.open();
  await loadExample(page, 'fastapi-cache');
  await openTab(page, 'layers');
});

after(async () => {
  await h?.close();
});

test('FastAPI example, "application code": exactly the layers from COPY . . on are rebuilt', async () => {
  await choose(page, 'application_code');
  const all = await rows(page);
  assert.deepEqual(all.map((r) => r.line).sort((a, b) => a - b), ALL_LINES);
  for (const r of all) {
    assert.equal(r.cache, r.line >= 22 ? 'rebuilt' : 'cached', `line ${r.line} (${r.keyword})`);
  }
  // The one filesystem layer that runs again is COPY . . itself.
  assert.deepEqual(all.filter((r) => r.layer && r.cache === 'rebuilt').map((r) => r.line), [22]);
  const v = await verdicts(page);
  assert.deepEqual(v.firstMiss, [22]);

  // Why: shown at the first rebuilt layer and in the summary.
  const reason = await page.locator('[data-testid="layer"][data-line="22"] [data-testid="miss-reason"]').innerText();
  const result = page.locator('[data-testid="cache-result"]');
  assert.equal(await result.getAttribute('data-rebuilt'), '1');
  const changed = await result.locator('.changed code').innerText();
  assert.ok(changed.length > 0);
  assert.ok(reason.includes(changed), `"${reason}" names the changed file ${changed}`);
  assert.equal(await page.getAttribute('[data-testid="first-miss"]', 'data-line'), '22');
  await h.shot(page, 'layers-application-code');
  assert.deepEqual(h.errors, []);
});

test('FastAPI example: dependency, system-package and base-image changes match the guide', async () => {
  // "Dependency changes → layers 5–6 rebuild": the install (line 19) and the code copy
  // (22) run again; so does the COPY of the manifests (16), which copies the changed file.
  // Steps 1–3 (apt, poetry, ENV) stay cached.
  await choose(page, 'dependency_manifest');
  let v = await verdicts(page);
  assert.deepEqual(v.firstMiss, [16]);
  assert.deepEqual(v.rebuilt, [16, 19, 22, 25]);
  assert.deepEqual(v.cached, [1, 4, 9, 12]);
  assert.match(await page.locator('[data-testid="cache-result"] .changed').innerText(), /pyproject\.toml|poetry\.lock/);

  // "System package changes → layers 1–6 rebuild": everything from the apt line on.
  await choose(page, 'system_packages');
  v = await verdicts(page);
  assert.deepEqual(v.firstMiss, [4]);
  assert.deepEqual(v.rebuilt, [4, 9, 12, 16, 19, 22, 25]);
  assert.deepEqual(v.cached, [1]);

  // A new base image rebuilds everything, FROM included.
  await choose(page, 'base_image');
  v = await verdicts(page);
  assert.deepEqual(v.rebuilt, ALL_LINES);

  // No change: no verdicts at all.
  await choose(page, 'none');
  assert.deepEqual((await rows(page)).map((r) => r.cache).filter(Boolean), []);
  assert.equal(await page.locator('[data-testid="cache-result"]').count(), 0);
  assert.deepEqual(h.errors, []);
});

test('a typed path busts the COPYs that select it, unless .dockerignore leaves it out', async () => {
  await page.fill('[data-testid="changed-path"]', 'README.md');
  await page.waitForSelector('[data-testid="what-changed"][data-scenario="paths"]');
  await ready(page);
  let v = await verdicts(page);
  assert.deepEqual(v.firstMiss, [22], 'COPY . . takes README.md');

  await page.fill('[data-testid="dockerignore"]', '.git\n*.md\n');
  await ready(page);
  v = await verdicts(page);
  assert.deepEqual(v.rebuilt, [], 'an ignored file busts nothing');
  assert.match(await page.locator('[data-testid="cache-result"]').innerText(), /nothing is rebuilt/);

  await page.fill('[data-testid="changed-path"]', 'poetry.lock');
  await ready(page);
  v = await verdicts(page);
  assert.deepEqual(v.firstMiss, [16]);

  await page.fill('[data-testid="dockerignore"]', '');
  await page.fill('[data-testid="changed-path"]', '');
  await choose(page, 'none');
  assert.deepEqual(h.errors, []);
});

test('the layer panel lists the layers bottom to top with sizes and marks metadata-only ones', async () => {
  const all = await rows(page);
  // Newest on top, the base image at the bottom (as docker history and the guide draw it).
  assert.deepEqual(all.map((r) => r.line), [25, 22, 19, 16, 12, 9, 4, 1]);
  assert.deepEqual(all.map((r) => r.keyword), ['CMD', 'COPY', 'RUN', 'COPY', 'ENV', 'RUN', 'RUN', 'FROM']);
  assert.equal(all.at(-1).effect, 'base_image');

  // ENV and CMD only change the image's configuration: thin rows, no bar.
  const meta = all.filter((r) => !r.layer);
  assert.deepEqual(meta.map((r) => [r.line, r.effect]), [[25, 'metadata'], [12, 'metadata']]);
  assert.ok(meta.every((r) => r.thin && !r.bar && /metadata/i.test(r.size)));

  // Every filesystem layer has a bar and a size; only COPY . . (the whole context) is unknown.
  const layers = all.filter((r) => r.layer);
  assert.equal(layers.length, 6);
  assert.equal(await page.innerText('[data-testid="total-layers"]'), '6');
  for (const r of layers) {
    assert.ok(r.bar, `line ${r.line} has a bar`);
    if (r.line === 22) {
      assert.equal(r.max, null);
      assert.equal(r.size, 'unknown');
    } else {
      assert.ok(r.max !== null && r.max >= r.min, `line ${r.line}: ${r.min}..${r.max}`);
      assert.match(r.size, /\d/);
    }
  }
  const base = all.at(-1);
  assert.ok(base.min > 50e6, `the base image is big: ${base.size}`);

  // Bars grow with the size: the base image's is longer than the manifests' COPY.
  const width = async (line, part) =>
    (await page.locator(`[data-testid="layer"][data-line="${line}"] .${part}`).boundingBox()).width;
  assert.ok((await width(1, 'bar-min')) > (await width(16, 'bar-min')) + 10);
  // COPY . . shows its unknown upper bound as a striped extension.
  assert.equal(await page.locator('[data-testid="layer"][data-line="22"] .bar-ext.is-unknown').count(), 1);

  // The unknown size makes the total a lower bound until the context size is given.
  assert.match(await page.innerText('[data-testid="total-size"]'), /^≥/);
  assert.ok(await page.isVisible('[data-testid="unknown-note"]'));
  await page.fill('[data-testid="context-size"]', '2MB');
  await ready(page);
  assert.equal(await page.innerText('[data-testid="layer"][data-line="22"] [data-testid="layer-size"]'), '2.0 MB');
  assert.doesNotMatch(await page.innerText('[data-testid="total-size"]'), /≥/);
  assert.equal(await page.locator('[data-testid="unknown-note"]').count(), 0);
  await page.fill('[data-testid="context-size"]', '');
  await ready(page);
  assert.deepEqual(h.errors, []);
});

test('hovering or clicking a layer highlights its lines and explains the estimate', async () => {
  await page.mouse.move(0, 0);
  assert.equal(await bandLines(page), null);

  await page.hover('[data-testid="layer"][data-line="19"] .layer-main');
  assert.deepEqual(await bandLines(page), { first: 19, last: 19, gutter: [19] });
  // A RUN over three lines highlights all three.
  await page.hover('[data-testid="layer"][data-line="4"] .layer-main');
  assert.deepEqual(await bandLines(page), { first: 4, last: 6, gutter: [4, 5, 6] });
  await page.mouse.move(0, 0);
  assert.equal(await bandLines(page), null);

  // A click pins the highlight and opens what the estimate is made of.
  await page.click('[data-testid="layer"][data-line="4"] .layer-main');
  await page.mouse.move(0, 0);
  assert.deepEqual(await bandLines(page), { first: 4, last: 6, gutter: [4, 5, 6] });
  const detail = page.locator('[data-testid="layer"][data-line="4"] [data-testid="layer-detail"]');
  await detail.waitFor();
  assert.match(await detail.locator('[data-testid="layer-note"]').innerText(), /\S/);
  assert.match(await detail.locator('[data-testid="layer-confidence"]').textContent(), /^(exact|measured|approximate|guess|unknown)$/);
  assert.match(await detail.locator('[data-testid="layer-parts"]').innerText(), /libpq5|apt/);
  // The click scrolls the editor to the line but leaves the focus (and selection) alone.
  assert.notEqual(await page.evaluate(() => document.activeElement?.dataset.testid), 'editor');
  await h.shot(page, 'layers-detail');

  // Typing in the editor drops the pinned highlight.
  await page.focus('[data-testid="editor"]');
  await page.keyboard.press('Control+End');
  await page.keyboard.type('# x');
  assert.equal(await bandLines(page), null);
  await page.keyboard.press('Backspace');
  await page.keyboard.press('Backspace');
  await page.keyboard.press('Backspace');
  await ready(page);
  assert.deepEqual(h.errors, []);
});

test('the stage graph of the multi-stage example has its stages, image and edges', async () => {
  const p = await h.open();
  await loadExample(p, 'multi-stage');
  await openTab(p, 'stages');
  const nodes = await p.$$eval('[data-testid="graph-node"]', (els) =>
    els.map((el) => ({
      id: el.dataset.id,
      kind: el.dataset.kind,
      label: el.dataset.label,
      target: el.dataset.target,
      built: el.dataset.built,
      final: el.dataset.final,
    })),
  );
  assert.deepEqual(
    nodes.map((n) => [n.id, n.kind, n.label]).sort(),
    [
      ['image:python:3.13-slim', 'image', 'python:3.13-slim'],
      ['stage:0', 'stage', 'builder'],
      ['stage:1', 'stage', '#1'],
    ],
  );
  const node = (id) => nodes.find((n) => n.id === id);
  assert.deepEqual([node('stage:1').target, node('stage:1').built, node('stage:1').final], ['true', 'true', 'true']);
  assert.deepEqual([node('stage:0').target, node('stage:0').built, node('stage:0').final], ['false', 'true', 'false']);

  const edges = await p.$$eval('[data-testid="graph-edge"]', (els) =>
    els.map((el) => [el.dataset.from, el.dataset.to, el.dataset.kind, el.dataset.count, el.dataset.final]),
  );
  assert.deepEqual(edges.sort(), [
    ['image:python:3.13-slim', 'stage:0', 'from', '1', 'false'],
    ['image:python:3.13-slim', 'stage:1', 'from', '1', 'true'],
    ['stage:0', 'stage:1', 'copy_from', '1', 'true'],
  ]);
  assert.match(await p.innerText('[data-testid="graph-summary"]'), /Ships: #1.*left behind: builder/s);
  await h.shot(p, 'stages-multi-stage');

  // Clicking a stage selects its FROM line.
  await p.click('[data-testid="graph-node"][data-id="stage:0"]');
  assert.match((await selection(p)).text, /^FROM python:3\.13-slim AS builder/);

  // The builder, with compilers and headers, is estimated well above the runtime stage.
  await openTab(p, 'layers');
  const roles = await p.$$eval('[data-testid="stack-stage"]', (els) => els.map((el) => el.dataset.role));
  assert.deepEqual(roles, ['final', 'build']);
  const min = async (stage) =>
    Number(await p.getAttribute(`[data-testid="stack-stage"][data-stage="${stage}"]`, 'data-size-min'));
  assert.ok((await min(0)) > 2 * (await min(1)), `builder ${await min(0)} vs runtime ${await min(1)}`);
  await p.close();
  assert.deepEqual(h.errors, []);
});

test('the Next.js graph merges parallel COPY --from edges and follows the chosen target', async () => {
  const p = await h.open();
  await loadExample(p, 'nextjs');
  await openTab(p, 'stages');
  const edges = () =>
    p.$$eval('[data-testid="graph-edge"]', (els) =>
      els.map((el) => [el.dataset.from, el.dataset.to, el.dataset.kind, el.dataset.count, el.dataset.built]),
    );
  assert.deepEqual((await edges()).sort(), [
    ['image:node:18-alpine', 'stage:0', 'from', '1', 'true'],
    ['image:node:18-alpine', 'stage:1', 'from', '1', 'true'],
    ['image:node:18-alpine', 'stage:2', 'from', '1', 'true'],
    ['stage:0', 'stage:1', 'copy_from', '1', 'true'],
    ['stage:0', 'stage:2', 'copy_from', '1', 'true'],
    ['stage:1', 'stage:2', 'copy_from', '3', 'true'],
  ]);

  // docker build --target builder: the runner is skipped, deps still built.
  await p.selectOption('[data-testid="target"]', 'builder');
  await ready(p);
  const state = await p.$$eval('[data-testid="graph-node"][data-kind="stage"]', (els) =>
    Object.fromEntries(els.map((el) => [el.dataset.label, [el.dataset.target, el.dataset.built]])),
  );
  assert.deepEqual(state, {
    deps: ['false', 'true'],
    builder: ['true', 'true'],
    runner: ['false', 'false'],
  });
  assert.match(await p.innerText('[data-testid="graph-summary"]'), /skipped: runner/);
  await h.shot(p, 'stages-nextjs-target-builder');

  // Go: the runtime starts from scratch and takes two files from the builder.
  await loadExample(p, 'go');
  assert.deepEqual((await edges()).sort(), [
    ['image:golang:1.21-alpine', 'stage:0', 'from', '1', 'true'],
    ['scratch', 'stage:1', 'from', '1', 'true'],
    ['stage:0', 'stage:1', 'copy_from', '2', 'true'],
  ]);
  await p.close();
  assert.deepEqual(h.errors, []);
});

test('layers and stages in light, dark and narrow screens (screenshots)', async () => {
  for (const scheme of ['light', 'dark']) {
    const p = await h.open({ colorScheme: scheme, viewport: { width: 1280, height: 900 } });
    await loadExample(p, 'fastapi');
    await openTab(p, 'layers');
    await choose(p, 'application_code');
    // Line 49 is below the editor's fold: hovering its layer scrolls it into view.
    await p.hover('[data-testid="layer"][data-line="49"] .layer-main');
    const [band, view] = await Promise.all([
      p.locator('[data-testid="line-band"]').boundingBox(),
      p.locator('.editor').boundingBox(),
    ]);
    assert.ok(band.y >= view.y && band.y + band.height <= view.y + view.height, 'the hovered line is in view');
    await h.shot(p, `layers-${scheme}`);
    await openTab(p, 'stages');
    await h.shot(p, `stages-${scheme}`);
    await p.close();
  }
  const narrow = await h.open({ viewport: { width: 390, height: 844 } });
  await loadExample(narrow, 'fastapi');
  for (const tab of ['layers', 'stages']) {
    await openTab(narrow, tab);
    await h.shot(narrow, `${tab}-narrow`, { fullPage: true });
    const overflow = await narrow.evaluate(() => document.documentElement.scrollWidth - innerWidth);
    assert.ok(overflow <= 0, `${tab}: page is ${overflow}px wider than the screen`);
  }
  await narrow.close();
  assert.deepEqual(h.errors, []);
});

test('apt lists removed in a separate RUN are wasted; removed in the same RUN they are not', async () => {
  const p = await h.open();
  await openTab(p, 'layers');
  // The guide's anti-pattern "Installing and Removing in Separate Layers".
  await p.fill(
    '[data-testid="editor"]',
    'FROM debian:bookworm\nRUN apt-get update && apt-get install -y curl\nRUN rm -rf /var/lib/apt/lists/*\n',
  );
  await ready(p);
  const note = p.locator('[data-testid="layer"][data-line="3"] [data-testid="layer-waste"]');
  assert.match(await note.innerText(), /^Wastes .*deletes .* from line 2/);
  assert.notEqual(await p.innerText('[data-testid="total-wasted"]'), '0 B');
  assert.equal(await p.locator('[data-testid="waste-item"]').count(), 1);

  await p.fill(
    '[data-testid="editor"]',
    'FROM debian:bookworm\nRUN apt-get update && apt-get install -y curl && rm -rf /var/lib/apt/lists/*\n',
  );
  await ready(p);
  assert.equal(await p.locator('[data-testid="layer-waste"]').count(), 0);
  assert.equal(await p.locator('[data-testid="waste-item"]').count(), 0);
  assert.equal(await p.innerText('[data-testid="total-wasted"]'), '0 B');
  await p.close();
  assert.deepEqual(h.errors, []);
});
