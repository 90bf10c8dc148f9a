// node check.js PAGE.html...
// Each page is loaded in headless Chromium (/usr/bin/chromium, or $CHROMIUM) with every <details> open, and:
//  - axe-core runs with the WCAG 2.0/2.1 A and AA rules and, apart, the best-practice rules; every violation is listed;
//  - in each trace view, the timeline takes the focus, and End, ArrowLeft and Home must each change the detail line
//    and keep what they selected in view; then the overview strip, whose keys must each select a column;
//  - in a report, j must focus the first finding and j again the second, even from a link inside the first.
// Exit status 1 when anything failed. Prints one line per check.
const puppeteer = require('puppeteer-core');
const path = require('path');

async function axe(page, tags) {
  return page.evaluate(async (tags) => {
    const r = await window.axe.run(document, { runOnly: { type: 'tag', values: tags } });
    return r.violations.map(v => `${v.id} (${v.impact}, ${v.nodes.length} nodes): ${v.nodes[0].target.join(' ')}`);
  }, tags);
}

async function timeline(page, i) {
  const failures = [];
  await page.evaluate((i) => document.querySelectorAll('.trace-scroll')[i].focus(), i);
  let before = null;
  for (const key of ['End', 'ArrowLeft', 'Home']) {
    await page.keyboard.press(key);
    const s = await page.evaluate((i) => {
      const view = document.querySelectorAll('.trace-view')[i];
      const scroll = view.querySelector('.trace-scroll').getBoundingClientRect();
      const sel = view.querySelector('svg.timeline .selected');
      const r = sel ? sel.getBoundingClientRect() : null;
      return { detail: view.querySelector('.trace-detail').textContent,
        inView: r !== null && r.right > scroll.left && r.left < scroll.right };
    }, i);
    if (s.detail === before || !s.inView) {
      failures.push(`${key}: detail ${s.detail === before ? 'unchanged' : 'changed'}, selection ${s.inView ? '' : 'not '}in view`);
    }
    before = s.detail;
  }
  return failures;
}

async function overview(page, i) {
  const failures = [];
  const has = await page.evaluate((i) => {
    const o = document.querySelectorAll('.trace-view')[i].querySelector('svg.overview');
    if (o) { o.focus(); }
    return o !== null;
  }, i);
  if (!has) {
    return ['no overview'];
  }
  let before = null;
  for (const key of ['End', 'ArrowLeft', 'Home']) {
    await page.keyboard.press(key);
    const detail = await page.evaluate((i) => document.querySelectorAll('.trace-view')[i]
      .querySelector('.trace-detail').textContent, i);
    if (detail === before || !/^Events \d+ to \d+ of \d+/.test(detail)) {
      failures.push(`${key}: detail '${detail.slice(0, 60)}'`);
    }
    before = detail;
  }
  return failures;
}

async function findings(page) {
  const ids = await page.evaluate(() => Array.from(document.querySelectorAll('main article.finding')).map(f => f.id));
  if (ids.length < 2) {
    return [];
  }
  const focused = () => page.evaluate(() => {
    const a = document.activeElement.closest && document.activeElement.closest('article.finding');
    const bar = document.querySelector('nav.filters').getBoundingClientRect();
    return { id: a ? a.id : null, covered: a !== null && a.getBoundingClientRect().top < bar.bottom };
  });
  const failures = [];
  await page.evaluate(() => { document.activeElement.blur(); window.scrollTo(0, 0); });
  await page.keyboard.press('j');
  let f = await focused();
  if (f.id !== ids[0] || f.covered) failures.push(`j from the top: ${f.id}${f.covered ? ', under the filter bar' : ''}`);
  await page.evaluate((id) => document.querySelector('#' + id + ' a').focus(), ids[0]);
  await page.keyboard.press('j');
  f = await focused();
  if (f.id !== ids[1] || f.covered) failures.push(`j from a link in ${ids[0]}: ${f.id}${f.covered ? ', under the filter bar' : ''}`);
  return failures;
}

(async () => {
  const browser = await puppeteer.launch({ executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--headless'] });
  let failed = false;
  const say = (file, check, problems) => {
    failed = failed || problems.length > 0;
    console.log(`${file}: ${check}: ${problems.length ? problems.join('; ') : 'ok'}`);
  };
  for (const p of process.argv.slice(2)) {
    const file = path.basename(p);
    const page = await browser.newPage();
    await page.setViewport({ width: 1280, height: 900 });
    await page.goto('file://' + path.resolve(p), { waitUntil: 'load' });
    await page.evaluate(() => document.querySelectorAll('details').forEach(d => { d.open = true; }));
    await page.addScriptTag({ path: require.resolve('axe-core/axe.min.js') });
    say(file, 'axe WCAG 2.1 A/AA', await axe(page, ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']));
    say(file, 'axe best practice', await axe(page, ['best-practice']));
    const views = await page.evaluate(() => document.querySelectorAll('.trace-view').length);
    for (let i = 0; i < views; i++) {
      say(file, `timeline ${i + 1} of ${views}, keys`, await timeline(page, i));
      say(file, `overview ${i + 1} of ${views}, keys`, await overview(page, i));
    }
    if (await page.$('nav.filters')) {
      say(file, 'j between findings', await findings(page));
    }
    await page.close();
  }
  await browser.close();
  process.exit(failed ? 1 : 0);
})().catch(e => { console.error(e); process.exit(2); });
