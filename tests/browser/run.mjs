// Browser tests of the Vietnamese web UI: playwright-core driving Debian's
// chromium against a real server on a free port, with its own demo database.
//
//   node tests/browser/run.mjs        (cwd = repository root)
//   GIAPRANH_BIN=build/giapranh       the server binary (default)
//   SHOTS=/tmp/shots                  also save screenshots there
//   ONLY=REGEX                        only the tests whose names match
//
// Prints "ok - name" / "not ok - name: reason" per test and ends with
// exactly "browser: N passed, M failed"; exits non-zero on any failure.
// The server is always stopped and the temporary directory removed.
import { spawn, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';

const BIN = path.resolve(process.env.GIAPRANH_BIN || 'build/giapranh');
const SHOTS = process.env.SHOTS || '';
const PASSWORD = 'giapranh-demo';
// bounds for a broken run, not outcomes: a loaded 2-core machine running
// the ASan build is slow, not wrong
const TIMEOUT = 60000;
const STARTUP_MS = 120000;
const LISTENING = 'giapranh đang chạy tại'; // what serve prints once bound

let passed = 0;
let failed = 0;
let server = null;
let browser = null;
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'giapranh-browser-'));

function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

// Up means: this server's own log says it listens, and /healthz answers
// (an answer alone may come from another server that took the port).
async function waitHealthy(base, logPath) {
  const until = Date.now() + STARTUP_MS;
  for (;;) {
    if (fs.readFileSync(logPath, 'utf8').includes(LISTENING)) {
      try {
        const r = await fetch(base + '/healthz');
        if (r.ok) return true;
      } catch { /* not answering yet */ }
    }
    if (server.exitCode !== null || server.signalCode !== null) return false;
    if (Date.now() > until) throw new Error(`server did not answer /healthz in ${STARTUP_MS / 1000} s`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

// A port picked free may be taken before the server binds it: a server
// that exits at start is tried again on another port.
async function startServer(db) {
  for (let attempt = 1; attempt <= 5; attempt++) {
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    const logPath = path.join(tmp, `server-${port}.log`);
    const log = fs.openSync(logPath, 'w');
    server = spawn(BIN, ['--db', db, 'serve', '--listen', `127.0.0.1:${port}`],
      { stdio: ['ignore', log, log] });
    fs.closeSync(log);
    if (await waitHealthy(base, logPath)) return base;
  }
  throw new Error(`server exited at start 5 times (exit ${server.exitCode})`);
}

async function shot(page, name) {
  if (!SHOTS) return;
  fs.mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SHOTS, `browser-${name}.png`), fullPage: true });
}

function expect(cond, msg) {
  if (!cond) throw new Error(msg);
}

// ONLY=REGEX runs the tests whose names match (while working on a suite;
// `make test` runs them all)
const ONLY = process.env.ONLY ? new RegExp(process.env.ONLY) : null;

async function test(name, fn) {
  if (ONLY && !ONLY.test(name)) return;
  const start = Date.now();
  try {
    await fn();
    passed++;
    // seconds beside each: where the suite's time goes
    console.log(`ok - ${name} [${Math.round((Date.now() - start) / 1000)} s]`);
  } catch (e) {
    failed++;
    const reason = String(e && e.message ? e.message : e).split('\n')[0];
    console.log(`not ok - ${name}: ${reason}`);
  }
}

function cleanup() {
  if (server && server.exitCode === null) server.kill('SIGTERM');
  fs.rmSync(tmp, { recursive: true, force: true });
}

async function main() {
  const db = `sqlite:${path.join(tmp, 'db')}`;
  execFileSync(BIN, ['--db', db, 'init', '--demo'], { stdio: ['ignore', 'ignore', 'pipe'] });
  const base = await startServer(db);

  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu',
      '--disable-background-networking', '--disable-component-update'],
  });
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'vi-VN' });
  context.setDefaultTimeout(TIMEOUT);
  const page = await context.newPage();
  // every page must live with the CSP: no inline script or style
  const cspErrors = [];
  page.on('console', (m) => {
    if (m.type() === 'error' && /Content Security Policy/i.test(m.text())) cspErrors.push(m.text());
  });
  const stamp = Date.now().toString(36);
  const title = `Tuần tra song phương thử nghiệm ${stamp}`;
  let activityUrl = null;

  await test('sign in as admin', async () => {
    await page.goto(base + '/');
    expect(/\/login/.test(page.url()), `anonymous / should go to /login, got ${page.url()}`);
    await page.fill('input[name=login]', 'admin');
    await page.fill('input[name=password]', PASSWORD);
    await Promise.all([page.waitForURL(base + '/'), page.click('button[type=submit]')]);
    await page.locator('h1', { hasText: 'Tổng quan' }).waitFor();
    await page.getByRole('button', { name: 'Đăng xuất' }).waitFor();
    await shot(page, 'home');
  });

  await test('coordination regulation shows its three parties', async () => {
    await page.goto(base + '/e/agreement');
    await page.fill('input[name=q]', 'quy che phoi hop');
    await Promise.all([page.waitForURL(/q=/), page.press('input[name=q]', 'Enter')]);
    const link = page.locator('table.list a', { hasText: 'Quy chế phối hợp xây dựng khu vực giáp ranh' }).first();
    await Promise.all([page.waitForURL(/\/e\/agreement\/\d+$/), link.click()]);
    const parties = page.locator('#rel-agreement_party-agreement_id');
    const rows = parties.locator('tbody tr');
    expect(await rows.count() === 3, `expected 3 parties, got ${await rows.count()}`);
    const text = await parties.innerText();
    for (const name of ['Si Ma Cai', 'Bắc Hà', 'Xín Mần'])
      expect(text.includes(`huyện ${name}`), `party "UBND huyện ${name}" missing`);
    expect(/Ủy ban nhân dân/.test(text), 'parties should name the People\'s Committees');
    await shot(page, 'agreement');
  });

  await test('create an activity and add two quantities', async () => {
    await page.goto(base + '/e/activity/new');
    await page.selectOption('#kind', { label: 'Tuần tra' });
    await page.fill('#title', title);
    await page.fill('#start_on', '2024-03-15');
    await page.check('#bilateral');
    // the unit picker searches as you type (admin units are thousands)
    await page.fill('#unit_id-pick', 'san chai');
    await page.locator('#unit_id-pick-list li', { hasText: 'Huyện Si Ma Cai' }).first().click();
    await Promise.all([page.waitForURL(/\/e\/activity\/\d+\?ok=1/), page.click('form.record-form button[type=submit]')]);
    activityUrl = page.url().replace(/\?.*$/, '');
    await page.locator('.flash', { hasText: 'Đã lưu.' }).waitFor();
    expect((await page.locator('h1').innerText()).includes(title), 'heading should be the new title');
    expect((await page.locator('dl.record').innerText()).includes('Xã Sán Chải'), 'unit should be Xã Sán Chải');

    const quantities = [
      { measure: 'Số cuộc', value: '5', uom: 'cuộc' },
      { measure: 'Lượt người', value: '120', uom: 'lượt người' },
    ];
    for (const q of quantities) {
      await page.goto(activityUrl);
      const add = page.locator('#rel-activity_quantity-activity_id a', { hasText: 'Thêm số liệu' });
      await Promise.all([page.waitForURL(/\/e\/activity_quantity\/new\?activity_id=\d+/), add.click()]);
      const parent = await page.locator('#activity_id').inputValue();
      expect(activityUrl.endsWith('/' + parent), `activity not prefilled (got "${parent}")`);
      await page.selectOption('#measure', { label: q.measure });
      await page.fill('#value', q.value);
      await page.fill('#unit_of_measure', q.uom);
      await Promise.all([page.waitForURL(/\/e\/activity\/\d+\?ok=1/), page.click('form.record-form button[type=submit]')]);
    }
    const section = page.locator('#rel-activity_quantity-activity_id');
    const rows = section.locator('tbody tr');
    expect(await rows.count() === 2, `expected 2 quantities, got ${await rows.count()}`);
    const text = await section.innerText();
    for (const q of quantities)
      expect(text.includes(q.measure) && text.includes(q.value) && text.includes(q.uom),
        `quantity ${q.value} ${q.uom} not shown`);
    await shot(page, 'activity');
  });

  await test('invalid activity form shows Vietnamese messages by the fields', async () => {
    await page.goto(base + '/e/activity/new');
    await page.selectOption('#kind', { label: 'Tuyên truyền' });
    // a browser without a date picker lets a person type an impossible date
    await page.locator('#start_on').evaluate((el) => { el.type = 'text'; el.value = '30/02/2024'; });
    const [resp] = await Promise.all([
      page.waitForResponse((r) => r.url().endsWith('/e/activity/new') && r.request().method() === 'POST'),
      page.click('form.record-form button[type=submit]'),
    ]);
    expect(resp.status() === 422, `expected 422, got ${resp.status()}`);
    const titleErr = await page.locator('#err-title').innerText();
    expect(/bắt buộc nhập/.test(titleErr), `title message: "${titleErr}"`);
    expect(await page.locator('#title').getAttribute('aria-describedby') === 'err-title',
      'title input should point at its message');
    const dateErr = await page.locator('#err-start_on').innerText();
    expect(/không hợp lệ/.test(dateErr), `date message: "${dateErr}"`);
    expect(await page.locator('#start_on').inputValue() === '30/02/2024', 'the typed date should be kept');
    expect(await page.locator('#kind').inputValue() === 'propaganda', 'the chosen kind should be kept');
    await shot(page, 'invalid');
  });

  await test('record a bilateral patrol with the counterpart across the border', async () => {
    const ptitle = 'Tuần tra song phương đoạn biên giới Si Ma Cai – Mã Quan ' + Date.now();
    await page.goto(base + '/e/activity/new');
    await page.selectOption('#kind', { label: 'Tuần tra' });
    await page.fill('#title', ptitle);
    await page.fill('#start_on', '2024-04-10');
    await page.check('#bilateral');
    await page.fill('#unit_id-pick', 'san chai');
    await page.locator('#unit_id-pick-list li', { hasText: 'Huyện Si Ma Cai' }).first().click();
    // the counterpart: a foreign unit (few: a select, searched the same way)
    await page.fill('#foreign_unit_id-pick', 'ma quan');
    await page.locator('#foreign_unit_id-pick-list li', { hasText: 'Mã Quan' }).first().click();
    await Promise.all([page.waitForURL(/\/e\/activity\/\d+\?ok=1/), page.click('form.record-form button[type=submit]')]);
    const url = page.url().replace(/\?.*$/, '');
    const add = page.locator('#rel-activity_quantity-activity_id a', { hasText: 'Thêm số liệu' });
    await Promise.all([page.waitForURL(/activity_quantity\/new/), add.click()]);
    await page.selectOption('#measure', { label: 'Số người' });
    await page.fill('#value', '24');
    await page.fill('#unit_of_measure', 'người');
    await Promise.all([page.waitForURL(/\/e\/activity\/\d+\?ok=1/), page.click('form.record-form button[type=submit]')]);
    const rec = await page.locator('dl.record').innerText();
    expect(/Song phương\s+Có/.test(rec), 'the patrol should be bilateral');
    expect(rec.includes('Mã Quan'), 'the counterpart should be shown');
    expect((await page.locator('#rel-activity_quantity-activity_id').innerText()).includes('24'),
      'the 24 participants should be listed');
    // it counts in the activity totals of the Si Ma Cai reports
    const resp = await page.request.get(base + '/reports/build?scope=unit:084&period=2024&format=json');
    expect(resp.ok(), 'report of Huyện Si Ma Cai for 2024');
    const doc = await resp.json();
    expect(JSON.stringify(doc).includes('Tuần tra'), 'the report should count the patrol');
    await shot(page, 'patrol');
    expect(url.length > 0, 'patrol page');
  });

  await test('answer a recommendation and see its history', async () => {
    await page.goto(base + '/e/recommendation?status=submitted');
    const link = page.locator('table.list tbody a').first();
    await Promise.all([page.waitForURL(/\/e\/recommendation\/\d+$/), link.click()]);
    const url = page.url();
    const answer = 'Tỉnh ủy giao Ban Nội chính chủ trì, phối hợp các sở nghiên cứu, trả lời trong quý I.';
    await page.fill('textarea[name=response]', answer);
    await page.fill('input[name=responded_on]', '2023-10-15');
    await Promise.all([page.waitForURL(/\?ok=1/), page.getByRole('button', { name: 'Gửi trả lời' }).click()]);
    const rec = await page.locator('dl.record').innerText();
    expect(rec.includes('Đã trả lời'), 'status should be answered');
    expect(rec.includes(answer), 'the answer should be shown');
    expect(rec.includes('15/10/2023'), 'the answer date should be shown');
    // the move is kept in the history, and a move not allowed is refused
    const id = url.match(/(\d+)$/)[1];
    const hist = await page.request.get(base + '/api/v1/workflow/recommendation/' + id);
    const h = await hist.json();
    expect(h.history.some((x) => x.from_status === 'submitted' && x.to_status === 'answered'),
      'the history should hold submitted → answered');
    expect(!h.next.includes('declined'), 'an answered recommendation cannot be declined');
    await shot(page, 'recommendation');
  });

  await test('build the Hà Giang twinning report as a Word file from its page', async () => {
    await page.goto(base + '/e/program');
    const link = page.locator('table.list a', { hasText: 'Chương trình kết nghĩa' }).first();
    await Promise.all([page.waitForURL(/\/e\/program\/\d+$/), link.click()]);
    expect((await page.locator('p.summary').innerText()).includes('33/34'), 'progress 33/34 on the page');
    await Promise.all([page.waitForURL(/\/reports\?scope=/), page.getByRole('button', { name: 'Lập báo cáo' }).click()]);
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Lập báo cáo' }).click(),
    ]);
    const file = await download.path();
    const bytes = fs.readFileSync(file);
    expect(bytes.length > 2000 && bytes[0] === 0x50 && bytes[1] === 0x4b, 'a DOCX (zip) file');
  });

  await test('unit browser shows the 2025 lineage of Si Ma Cai', async () => {
    await page.goto(base + '/units?date=2025-06-30');
    await page.fill('input[name=q]', 'huyen si ma cai');
    await Promise.all([page.waitForURL(/q=/), page.click('form.toolbar button[type=submit]')]);
    await Promise.all([page.waitForURL(/unit=\d+/),
      page.locator('ul.results a', { hasText: 'Huyện Si Ma Cai' }).first().click()]);
    const unit = await page.locator('article.unit').innerText();
    expect(/sáp nhập vào/.test(unit) && unit.includes('Xã Si Ma Cai'), 'lineage "sáp nhập vào Xã Si Ma Cai" missing');
    expect((await page.locator('section.tree').innerText()).includes('Xã Sán Chải'), 'communes missing');
  });

  // the reference page of the OpenAPI document (/api/docs): Swagger UI from
  // this server's vendor files, on /api/v1/openapi.json, under the same CSP
  await test('the API reference page shows the generated operations', async () => {
    await page.goto(base + '/api/docs');
    await page.locator('.opblock-tag', { hasText: 'activity' }).first().waitFor({ timeout: TIMEOUT });
    const text = await page.locator('#api-reference').innerText();
    expect(text.includes('giapranh API'), 'the title of the document');
    expect(text.includes('Hoạt động'), 'the Vietnamese label of activity');
    await page.locator('.opblock-tag', { hasText: 'activity' }).first().click();
    await page.locator('.opblock-summary-path', { hasText: '/api/v1/activity/_bulk' }).first()
      .waitFor({ timeout: TIMEOUT });
    await shot(page, 'api-docs');
  });

  // Further suites: every tests/browser/*.test.mjs exports
  //   default async function (t) with t = { test, expect, shot, browser,
  //   newPage(opts), base, db, BIN, PASSWORD, TIMEOUT, SHOTS, tmp, signIn }
  // and runs its tests through t.test; their pages are checked for CSP too.
  const here = path.dirname(new URL(import.meta.url).pathname);
  const suites = fs.readdirSync(here).filter((f) => f.endsWith('.test.mjs')).sort();
  const newPage = async (opts = {}) => {
    const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'vi-VN', ...opts });
    ctx.setDefaultTimeout(TIMEOUT);
    const p = await ctx.newPage();
    p.on('console', (m) => {
      if (m.type() === 'error' && /Content Security Policy/i.test(m.text())) cspErrors.push(m.text());
    });
    return p;
  };
  const signIn = async (p, login, password = PASSWORD) => {
    await p.goto(base + '/login');
    await p.fill('input[name=login]', login);
    await p.fill('input[name=password]', password);
    await Promise.all([p.waitForURL((u) => !/\/login/.test(u.pathname)), p.locator('form button[type=submit]').first().click()]);
  };
  for (const f of suites) {
    const mod = await import(path.join(here, f));
    await mod.default({ test, expect, shot, browser, newPage, base, db, BIN, PASSWORD, TIMEOUT, SHOTS, tmp, signIn });
  }

  await test('pages need no inline script or style (CSP)', async () => {
    expect(cspErrors.length === 0, cspErrors[0] || '');
  });

  await test('sign out returns to the login page', async () => {
    await page.goto(activityUrl || base + '/');
    await Promise.all([page.waitForURL(/\/login/), page.getByRole('button', { name: 'Đăng xuất' }).click()]);
    await page.locator('input[name=login]').waitFor();
    await page.goto(base + '/');
    expect(/\/login/.test(page.url()), `after sign-out / should go to /login, got ${page.url()}`);
  });
}

let code = 0;
try {
  await main();
} catch (e) {
  failed++;
  console.log(`not ok - setup: ${String(e && e.message ? e.message : e).split('\n')[0]}`);
} finally {
  try { if (browser) await browser.close(); } catch { /* already gone */ }
  cleanup();
  console.log(`browser: ${passed} passed, ${failed} failed`);
  code = failed > 0 ? 1 : 0;
}
process.exit(code);
