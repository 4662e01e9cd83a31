// Phones (issue 17): every HTML page the server answers to GET is usable at
// 360-414 px. The pages are found from the route table (`giapranh routes
// --json`) and the entity table (`giapranh entities --json`), each ':' of a
// pattern filled from the links of the pages walked before it, and every one
// is opened as admin and as the district editor (simacai) at 390 px (then
// 360 and 414 by resizing, which costs no new request): the document must
// not scroll sideways. The grid's every box must be on the screen and
// reachable, the menu must fold and open without JavaScript.
import { execFileSync } from 'node:child_process';

const WIDTH = 390;
const ALSO = [360, 414];
const HEIGHT = 800;

// a route's pattern as a regular expression over a path
function patternRe(p) {
  const esc = p.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/:/g, '[^/?#]+').replace(/\*/g, '.*');
  return new RegExp('^' + esc + '$');
}

// where the document scrolls sideways: the outermost elements past the edge
async function overflow(page) {
  return page.evaluate(() => {
    const de = document.documentElement;
    if (de.scrollWidth <= innerWidth) return null;
    const names = [];
    for (const el of document.querySelectorAll('body *')) {
      const b = el.getBoundingClientRect();
      if (b.width === 0 || b.right <= innerWidth + 0.5) continue;
      const up = el.parentElement;
      if (up && up !== document.body && up.getBoundingClientRect().right > innerWidth + 0.5) continue;
      names.push(el.tagName.toLowerCase() + (el.className && typeof el.className === 'string'
        ? '.' + el.className.trim().split(/\s+/).join('.') : '') + `→${Math.round(b.right)}`);
      if (names.length >= 3) break;
    }
    return `scrollWidth ${de.scrollWidth} > ${innerWidth} (${names.join(', ')})`;
  });
}

// Every GET page of the route table, each ':' filled: entities by name, ids
// and the rest from the URLs the pages walked before name (links, forms,
// data-* attributes). A route flagged api (a file, a built report) is no
// page; neither is what answers other than an HTML document (a chart's
// JSON, a picker's answer).
async function walk(t, page, login, routes, entities) {
  const { base } = t;
  const pats = routes.filter((r) => r.methods.includes('GET') && r.flags.includes('html') &&
    !r.flags.includes('api')).map((r) => r.pattern);
  const seen = new Set();
  const checked = new Map(); // pattern -> pages checked
  const notPages = new Set(); // patterns answering something else
  const failures = [];
  const urls = [];

  async function visit(url, pat) {
    if (seen.has(url)) return;
    seen.add(url);
    await page.setViewportSize({ width: WIDTH, height: HEIGHT });
    let resp;
    try {
      resp = await page.goto(base + url, { waitUntil: 'load' });
    } catch (e) {
      if (/Download is starting|ERR_ABORTED/.test(String(e.message))) { notPages.add(pat); return; }
      throw e;
    }
    const type = (resp && resp.headers()['content-type']) || '';
    // a whole document has a title; a fragment (a picker's options) none
    if (!/^text\/html/.test(type) || await page.locator('head > title').count() === 0) {
      notPages.add(pat);
      return;
    }
    for (const w of [WIDTH, ...ALSO]) {
      if (w !== WIDTH) await page.setViewportSize({ width: w, height: HEIGHT });
      let over = await overflow(page);
      if (over && w !== WIDTH) {
        // a script sizes a canvas when it sees the resize, later: what a
        // phone of that width shows is the page loaded at that width
        await page.goto(base + url, { waitUntil: 'load' });
        over = await overflow(page);
      }
      if (over) failures.push({ url, w, over });
    }
    checked.set(pat, (checked.get(pat) || 0) + 1);
    urls.push(...await page.evaluate(() => {
      const out = [];
      for (const el of document.querySelectorAll('*'))
        for (const a of el.attributes)
          if (/^(href|action|src|data-[a-z-]+)$/.test(a.name) && /^\/[a-z]/.test(a.value))
            out.push(a.value.replace(/#.*$/, ''));
      return out;
    }));
  }

  const fixed = pats.filter((p) => !p.includes(':') && !p.includes('*'));
  for (const p of fixed) await visit(p, p);
  // the entity's pages, an id from its own list
  const byEntity = ['/e/:', '/e/:/new', '/e/:/:', '/e/:/:/edit', '/e/:/:/delete'];
  for (const e of entities) {
    if (pats.includes('/e/:')) await visit(`/e/${e.name}`, '/e/:');
    if (!e.readonly && pats.includes('/e/:/new')) await visit(`/e/${e.name}/new`, '/e/:/new');
    const one = urls.find((h) => new RegExp(`^/e/${e.name}/\\d+$`).test(h));
    if (!one) continue;
    for (const p of ['/e/:/:', '/e/:/:/edit', '/e/:/:/delete'])
      if (pats.includes(p)) await visit(one + p.slice('/e/:/:'.length), p);
  }
  // every other pattern: the first few URLs met that match it; an
  // entity's own route no page names (a picker's) by the first entities
  const rest = pats.filter((p) => p.includes(':') && !byEntity.includes(p));
  for (let round = 0; round < 2; round++)
    for (const p of rest) {
      const re = patternRe(p);
      let found = [...new Set(urls.filter((h) => re.test(h.replace(/\?.*$/, ''))))];
      if (found.length === 0 && /^\/e\/:\/[a-z_]+$/.test(p))
        found = entities.slice(0, 3).map((e) => p.replace(':', e.name));
      for (const h of found.slice(0, 4)) await visit(h, p);
    }

  const total = [...checked.values()].reduce((a, b) => a + b, 0);
  const missed = pats.filter((p) => !checked.has(p) && !notPages.has(p));
  return { total, failures, missed };
}

// Records no demo page links to: a draft report (its issue page) and a
// batch read from a text (its page), made through the app as a user would.
async function prepare(t, page) {
  const { base, expect } = t;
  await page.goto(base + '/');
  const csrf = await page.locator('meta[name=csrf-token]').getAttribute('content');
  const orgs = await (await page.request.get(base + '/api/v1/organisation?limit=1')).json();
  const rep = await page.request.post(base + '/api/v1/report', {
    headers: { 'X-CSRF-Token': csrf },
    data: { title: `Sơ kết thử trên điện thoại ${Date.now().toString(36)}`, kind: 'interim',
      scope: 'unit:084', period: '2024', issuer_org_id: orgs.items[0].id, status: 'draft' },
  });
  expect(rep.status() === 201, `draft report: ${rep.status()} ${await rep.text()}`);
  const batch = await page.request.post(base + '/ingest', {
    form: { _csrf: csrf, text: 'Ngày 12/3/2024, Ủy ban nhân dân huyện Si Ma Cai tổ chức hội nghị giao ban cụm giáp ranh.' },
    maxRedirects: 0,
  });
  expect([200, 303].includes(batch.status()), `ingest: ${batch.status()}`);
}

// `make test` runs the short form: every entity's pages are walked by one
// of the two users (in turn), every other pattern by both, so each page of
// each entity is still checked once a run; `make phones` (PHONES_FULL=1)
// walks everything as both.
const FULL = process.env.PHONES_FULL === '1';

export default async function (t) {
  const { test, expect, shot, newPage, base, BIN, signIn } = t;
  const routes = JSON.parse(execFileSync(BIN, ['routes', '--json'], { encoding: 'utf8' }));
  const all = JSON.parse(execFileSync(BIN, ['entities', '--json'], { encoding: 'utf8' }));
  const share = (login) => (FULL ? all : all.filter((e, i) => i % 2 === (login === 'admin' ? 0 : 1)));
  // patterns no demo page links to as one user: none may be missed by both
  const missedBy = {};

  for (const login of ['admin', 'simacai']) {
    await test(`phones: every page fits ${WIDTH} px (and ${ALSO.join(', ')}) as ${login}`, async () => {
      const page = await newPage({ viewport: { width: WIDTH, height: HEIGHT }, isMobile: false });
      await signIn(page, login);
      if (login === 'admin') await prepare(t, page);
      const entities = share(login);
      const r = await walk(t, page, login, routes, entities);
      missedBy[login] = r.missed;
      console.log(`# phones: ${r.total} pages walked as ${login}`);
      expect(r.total >= entities.length * 2, `only ${r.total} pages walked`);
      // one line per page: its widths and what sticks out at the first
      const byUrl = new Map();
      for (const f of r.failures) {
        if (!byUrl.has(f.url)) byUrl.set(f.url, { ws: [], over: f.over });
        byUrl.get(f.url).ws.push(f.w);
      }
      const lines = [...byUrl].map(([u, f]) => `${u} at ${f.ws.join('/')} px: ${f.over}`);
      expect(lines.length === 0, `${lines.length} pages scroll sideways: ${lines.slice(0, 8).join('; ')}`);
      await page.context().close();
    });
  }

  await test('phones: every GET page pattern was walked by some user', async () => {
    const both = (missedBy.admin || ['?']).filter((p) => (missedBy.simacai || ['?']).includes(p));
    expect(both.length === 0, `no page of ${both.join(', ')} was found to check`);
  });

  await test('phones: the menu folds behind "Menu" and opens without JavaScript', async () => {
    for (const js of [true, false]) {
      const page = await newPage({ viewport: { width: WIDTH, height: HEIGHT }, javaScriptEnabled: js });
      await signIn(page, 'simacai');
      await page.goto(base + '/e/activity');
      const button = page.locator('label.menu-button');
      const grid = page.locator('ul.menu a[href="/grid"]');
      expect(await button.isVisible(), 'the "Menu" button is shown on a phone');
      expect(!(await grid.isVisible()), 'the menu is folded at first');
      expect(!(await page.getByRole('button', { name: 'Đăng xuất' }).isVisible()), 'sign-out folded too');
      await button.click();
      const items = page.locator('ul.menu a');
      const n = await items.count();
      expect(n >= 10, `menu items: ${n}`);
      for (let i = 0; i < n; i++) {
        const b = await items.nth(i).boundingBox();
        expect(b && b.x >= 0 && b.x + b.width <= WIDTH, `menu item ${i} off the screen`);
      }
      expect(await page.getByRole('button', { name: 'Đăng xuất' }).isVisible(), 'sign-out shown when open');
      expect(!(await overflow(page)), 'the open menu widens the page');
      if (js) await shot(page, 'phone-menu');
      await Promise.all([page.waitForURL(/\/grid/), grid.click()]);
      expect(await page.locator('h1', { hasText: 'Nhập số liệu' }).isVisible(), 'the grid opened from the menu');
      await page.context().close();
    }
    // a wide screen shows the menu itself, no button
    const wide = await newPage();
    await signIn(wide, 'simacai');
    expect(!(await wide.locator('label.menu-button').isVisible()), 'no "Menu" button on a wide screen');
    expect(await wide.locator('ul.menu a[href="/grid"]').isVisible(), 'the menu is open on a wide screen');
    await wide.context().close();
  });

  await test('phones: every box of the grid is on the screen and reachable; saving works', async () => {
    const page = await newPage({ viewport: { width: WIDTH, height: HEIGHT } });
    await signIn(page, 'simacai');
    await page.goto(base + '/e/target_set');
    const set = await page.locator('table.list a[href^="/e/target_set/"]').first().getAttribute('href');
    await page.goto(`${base}/grid?target_set=${set.split('/').pop()}&period=2024`);
    const boxes = page.locator('table.value-grid input:not([type=hidden])');
    const n = await boxes.count();
    expect(n >= 9, `grid boxes: ${n}`);
    expect(!(await overflow(page)), 'the grid widens the page');
    for (let i = 0; i < n; i++) {
      const box = boxes.nth(i);
      await box.scrollIntoViewIfNeeded();
      const where = await box.evaluate((el) => {
        const b = el.getBoundingClientRect();
        // inside every box that clips it, none scrolled sideways
        for (let p = el.parentElement; p; p = p.parentElement) {
          const s = getComputedStyle(p);
          if (s.overflowX !== 'visible' && p.scrollWidth > p.clientWidth + 1) return 'in a box that scrolls sideways';
        }
        if (b.left < 0 || b.right > innerWidth || b.width < 80) return `at ${Math.round(b.left)}-${Math.round(b.right)}`;
        const hit = document.elementFromPoint(b.left + b.width / 2, b.top + b.height / 2);
        return hit === el ? null : `covered by ${hit && hit.tagName}`;
      });
      expect(where === null, `grid box ${await box.getAttribute('name')}: ${where}`);
    }
    // each indicator's boxes stand under its name, one indicator a row
    const rows = page.locator('table.value-grid tbody tr');
    const first = rows.first();
    const name = await first.locator('td').nth(1).boundingBox();
    const plan = await first.locator('input').first().boundingBox();
    expect(plan.y > name.y + name.height - 1, 'the boxes are below the indicator');
    await shot(page, 'phone-grid');
    // typed and saved on the phone
    const editable = page.locator('table.value-grid input[name^="a"]:not([readonly])').first();
    // a value not saved before, so that the save changes something
    const value = String(1 + (Date.now() % 97));
    await editable.fill(await editable.inputValue() === value ? String(Number(value) + 1) : value);
    await Promise.all([page.waitForURL(/\/grid/), page.getByRole('button', { name: 'Lưu nháp' }).click()]);
    await page.locator('.flash', { hasText: 'Đã lưu' }).waitFor();
    await page.context().close();
  });

  await test('phones: screenshots of a list, a form, a record, the dashboard, charts and the map', async () => {
    const page = await newPage({ viewport: { width: WIDTH, height: HEIGHT } });
    await signIn(page, 'simacai');
    const visits = [
      ['/', 'phone-dashboard', 'h1'],
      ['/e/meeting', 'phone-list', 'table.list'],
      ['/e/activity/new', 'phone-form', 'form.record-form'],
      ['/charts', 'phone-charts', 'h1'],
      ['/map', 'phone-map', '#map, .map'],
    ];
    for (const [url, name, sel] of visits) {
      await page.goto(base + url, { waitUntil: 'load' });
      await page.locator(sel).first().waitFor();
      expect(!(await overflow(page)), `${url} widens the page`);
      await shot(page, name);
    }
    await page.goto(base + '/e/meeting');
    const rec = await page.locator('table.list a[href^="/e/meeting/"]').first().getAttribute('href');
    await page.goto(base + rec);
    expect(!(await overflow(page)), `${rec} widens the page`);
    await shot(page, 'phone-record');
    // the map draws its boundaries and points on a phone too
    await page.goto(base + '/map', { waitUntil: 'load' });
    await page.locator('#map[data-state=ready]').waitFor();
    expect(await page.locator('#map').getAttribute('data-error') === null,
      `the map: ${await page.locator('#map').getAttribute('data-error')}`);
    expect(await page.locator('#map path.gp-boundary').count() > 0, 'the map has no boundaries');
    // the map and the charts keep inside the screen
    for (const [url, sel] of [['/map', '.map'], ['/charts', 'canvas']]) {
      await page.goto(base + url, { waitUntil: 'load' });
      const els = page.locator(sel);
      if (await els.count() === 0) continue;
      const b = await els.first().boundingBox();
      expect(b && b.x >= 0 && b.x + b.width <= WIDTH + 0.5, `${url}: ${sel} wider than the screen`);
    }
    await page.context().close();
  });
}
