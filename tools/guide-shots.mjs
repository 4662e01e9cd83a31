// tools/guide-shots.mjs - the screenshots of the user guide
// (docs/guide/HUONG-DAN.md, served at /guide), taken again whenever the
// pages change: a demo server of its own (a fresh database in a temporary
// directory, `init --demo`, and a district approver beside the demo users),
// Debian's chromium driven by playwright-core through the tasks the guide
// tells, each screenshot written to docs/guide/img/NAME.png.
//
//   node tools/guide-shots.mjs                 (cwd = repository root)
//   GIAPRANH_BIN=build/giapranh                the server binary (default)
//   GUIDE_IMG=docs/guide/img                   where the images go (default)
//
// Every step checks what it shows (the message after saving, the page it
// lands on), so a changed page fails here rather than yield a wrong picture.
// The server is always stopped and the temporary directory removed.
import { spawn, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';

const BIN = path.resolve(process.env.GIAPRANH_BIN || 'build/giapranh');
const OUT = path.resolve(process.env.GUIDE_IMG || 'docs/guide/img');
const PASSWORD = 'giapranh-demo';
const LISTENING = 'giapranh đang chạy tại';
const STARTUP_MS = 120000;
const TIMEOUT = 60000;
const WIDE = { width: 1100, height: 720 };
const PHONE = { width: 390, height: 780 };
// the district approver the guide's approval is shown with
const APPROVER = { login: 'lanhdao', name: 'Lãnh đạo UBND huyện Si Ma Cai', unit: '084' };

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'giapranh-guide-'));
let server = null;
let browser = null;
const written = [];

function expect(cond, msg) {
  if (!cond) throw new Error(msg);
}

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

async function startServer(db) {
  for (let attempt = 1; attempt <= 5; attempt++) {
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    const logPath = path.join(tmp, `server-${port}.log`);
    const log = fs.openSync(logPath, 'w');
    server = spawn(BIN, ['--db', db, 'serve', '--listen', `127.0.0.1:${port}`],
      { stdio: ['ignore', log, log] });
    fs.closeSync(log);
    const until = Date.now() + STARTUP_MS;
    for (;;) {
      if (fs.readFileSync(logPath, 'utf8').includes(LISTENING)) {
        try {
          if ((await fetch(base + '/healthz')).ok) return base;
        } catch { /* not answering yet */ }
      }
      if (server.exitCode !== null || server.signalCode !== null) break;
      if (Date.now() > until) throw new Error('the server did not start');
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  throw new Error('the server exited at start 5 times');
}

async function newPage(viewport = WIDE) {
  const ctx = await browser.newContext({ viewport, locale: 'vi-VN', deviceScaleFactor: 1 });
  ctx.setDefaultTimeout(TIMEOUT);
  return ctx.newPage();
}

async function signIn(base, page, login) {
  await page.goto(base + '/login');
  await page.fill('input[name=login]', login);
  await page.fill('input[name=password]', PASSWORD);
  await Promise.all([page.waitForURL((u) => !/\/login/.test(u.pathname)),
    page.locator('form button[type=submit]').first().click()]);
}

// The screen as the user sees it, from `top` (an element scrolled to the
// top of the window, or the page's top), `height` pixels at most.
async function snap(page, name, { top = null, height = null } = {}) {
  const vp = page.viewportSize();
  let y = 0;
  if (top) {
    const el = page.locator(top).first();
    await el.scrollIntoViewIfNeeded();
    y = Math.max(0, (await el.evaluate((e) => e.getBoundingClientRect().top + window.scrollY)) - 12);
  }
  const docH = await page.evaluate(() => document.documentElement.scrollHeight);
  const h = Math.min(height || vp.height, docH - y);
  const file = path.join(OUT, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true, clip: { x: 0, y, width: vp.width, height: h } });
  written.push(path.relative(process.cwd(), file));
}

async function csrfOf(page) {
  return page.locator('meta[name=csrf-token]').getAttribute('content');
}

async function pick(page, field, typed, option) {
  await page.fill(`#${field}-pick`, typed);
  await page.locator(`#${field}-pick-list li`, { hasText: option }).first().click();
}

async function main() {
  fs.mkdirSync(OUT, { recursive: true });
  const db = `sqlite:${path.join(tmp, 'db')}`;
  execFileSync(BIN, ['--db', db, 'init', '--demo'], { stdio: ['ignore', 'ignore', 'pipe'] });
  execFileSync(BIN, ['--db', db, 'user', 'add', '--login', APPROVER.login, '--role', 'approver',
    '--unit', APPROVER.unit, '--name', APPROVER.name], { input: PASSWORD + '\n', stdio: ['pipe', 'ignore', 'pipe'] });
  const base = await startServer(db);
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    // --lang: the browser's own words (a file box's button) in Vietnamese
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
      '--disable-component-update', '--hide-scrollbars', '--lang=vi'],
  });

  // 1. sign in
  const anon = await newPage();
  await anon.goto(base + '/login');
  await anon.fill('input[name=login]', 'simacai');
  await anon.fill('input[name=password]', PASSWORD);
  await snap(anon, 'dang-nhap', { height: 520 });
  await anon.context().close();

  const page = await newPage();
  await signIn(base, page, 'simacai');
  await snap(page, 'tong-quan', { height: 620 });

  // 2. the grid: figures typed, sent for approval
  await page.goto(base + '/grid');
  await page.fill('#period', '2024');
  await Promise.all([page.waitForURL(/period=2024/), page.getByRole('button', { name: 'Mở' }).click()]);
  const rows = page.locator('table.value-grid tbody tr');
  expect(await rows.count() >= 3, 'the grid has indicators');
  const figures = [['10', '9,6', 'Theo báo cáo kinh tế - xã hội năm 2024'], ['95', '98', ''], ['4', '4', '']];
  for (let i = 0; i < figures.length; i++) {
    const [plan, actual, note] = figures[i];
    const inputs = rows.nth(i).locator('input');
    await inputs.nth(0).fill(plan);
    await inputs.nth(1).fill(actual);
    if (note) await inputs.nth(2).fill(note);
  }
  await snap(page, 'nhap-so-lieu', { top: 'h1' });
  await Promise.all([page.waitForURL(/ok=/), page.getByRole('button', { name: 'Lưu và gửi duyệt' }).click()]);
  await page.locator('.flash', { hasText: 'gửi duyệt' }).waitFor();
  await snap(page, 'gui-duyet', { height: 560 });
  const gridUrl = page.url().replace(/&ok=.*$/, '');

  // 3. the district approver approves
  const boss = await newPage();
  await signIn(base, boss, APPROVER.login);
  await boss.goto(gridUrl);
  await Promise.all([boss.waitForURL(/ok=/), boss.getByRole('button', { name: 'Duyệt', exact: true }).click()]);
  await boss.locator('.flash', { hasText: 'duyệt' }).waitFor();
  await snap(boss, 'duyet', { height: 560 });
  await boss.context().close();

  // 4. a meeting and its attendees, several at once
  await page.goto(base + '/e/meeting/new');
  await page.selectOption('#kind', { label: 'Giao ban định kỳ' });
  await page.fill('#title', 'Giao ban cụm giáp ranh số 1 quý I năm 2025');
  await page.fill('#held_on', '14/03/2025');
  await page.fill('#place', 'Hội trường UBND xã Sán Chải');
  await pick(page, 'unit_id', 'san chai', 'Xã Sán Chải');
  await snap(page, 'hoi-nghi-moi', { top: 'h1' });
  await Promise.all([page.waitForURL(/\/e\/meeting\/\d+\?ok=1/), page.click('form.record-form button[type=submit]')]);
  const meetingUrl = page.url().replace(/\?.*$/, '');
  await Promise.all([page.waitForURL(/several\/meeting_participant/),
    page.locator('a', { hasText: 'Thêm nhiều cùng lúc' }).first().click()]);
  await page.selectOption('#role_1', { label: 'Chủ trì' });
  await pick(page, 'person_id_1', 'vu xuan cuong', 'Vũ Xuân Cường');
  await page.fill('#title_as_held_1', 'Phó Chủ tịch UBND huyện Si Ma Cai');
  await page.getByRole('button', { name: 'Thêm một khung nữa' }).click();
  await page.selectOption('#role_2', { label: 'Tham dự' });
  await page.fill('#person_id_2-pick', 'Giàng Seo Phử');
  await page.locator('#person_id_2-pick-list li.pick-create').click();
  await page.locator('.pick-status', { hasText: 'Giàng Seo Phử' }).first().waitFor();
  await page.fill('#title_as_held_2', 'Chủ tịch UBND xã Sán Chải');
  await snap(page, 'thanh-phan-du-hop', { top: 'h1' });
  await Promise.all([page.waitForURL(/\/e\/meeting\/\d+(\?|$)/), page.getByRole('button', { name: 'Lưu tất cả' }).click()]);
  await page.locator('.flash', { hasText: 'Đã thêm 2' }).waitFor();
  await snap(page, 'hoi-nghi-da-luu', { top: '#rel-meeting_participant-meeting_id', height: 420 });

  // 5. an activity and its quantities
  await page.goto(base + '/e/activity/new');
  await page.selectOption('#kind', { label: 'Tuần tra' });
  await page.fill('#title', 'Tuần tra song phương đoạn biên giới xã Sán Chải');
  await page.fill('#start_on', '20/03/2025');
  await pick(page, 'unit_id', 'san chai', 'Xã Sán Chải');
  await Promise.all([page.waitForURL(/\/e\/activity\/\d+\?ok=1/), page.click('form.record-form button[type=submit]')]);
  const activityUrl = page.url().replace(/\?.*$/, '');
  for (const [measure, value, uom] of [['Số cuộc', '2', 'cuộc'], ['Số người', '24', 'người']]) {
    await page.goto(activityUrl);
    await Promise.all([page.waitForURL(/activity_quantity\/new/),
      page.locator('#rel-activity_quantity-activity_id a', { hasText: 'Thêm số liệu' }).click()]);
    await page.selectOption('#measure', { label: measure });
    await page.fill('#value', value);
    await page.fill('#unit_of_measure', uom);
    if (measure === 'Số người') await snap(page, 'so-lieu-hoat-dong', { top: 'h1', height: 560 });
    await Promise.all([page.waitForURL(/\/e\/activity\/\d+\?ok=1/), page.click('form.record-form button[type=submit]')]);
  }
  await snap(page, 'hoat-dong', { top: '#rel-activity_quantity-activity_id', height: 360 });

  // 6. import from a file: a bad line named, the good ones imported
  const unit = await (await page.request.get(base + '/api/v1/unit_by_code/084')).json();
  const csv = 'kind,title,held_on,unit_id\n' +
    `review_conference,Hội nghị sơ kết 6 tháng đầu năm 2025,15/07/2025,${unit.id}\n` +
    `review_conference,Hội nghị tổng kết năm 2024,31/02/2025,${unit.id}\n` +
    `review_conference,Hội nghị giao ban quý III năm 2025,10/10/2025,${unit.id}\n`;
  fs.writeFileSync(path.join(tmp, 'hoi-nghi.csv'), csv);
  await page.goto(base + '/import');
  await page.selectOption('select[name=entity]', 'meeting');
  await page.setInputFiles('input[type=file]', path.join(tmp, 'hoi-nghi.csv'));
  await snap(page, 'nhap-tu-tep', { top: 'h1', height: 520 });
  await Promise.all([page.waitForLoadState('load'), page.getByRole('button', { name: 'Kiểm tra tệp' }).click()]);
  await page.locator('h1', { hasText: 'Kiểm tra tệp' }).waitFor();
  await snap(page, 'nhap-tu-tep-kiem-tra', { top: 'h1' });
  await page.locator('button[value=good]').click();
  await page.locator('h1', { hasText: 'Kết quả nhập' }).waitFor();

  // 7. finding a record: the header's box, words without their marks
  await page.goto(base + '/');
  await page.fill('header form.site-search input[name=tim]', 'quy che phoi hop');
  await Promise.all([page.waitForURL(/\/search\?/), page.press('header form.site-search input[name=tim]', 'Enter')]);
  expect(await page.locator('main h2').count() > 0, 'the search found records');
  await snap(page, 'tim-kiem', { height: 600 });

  // 8. a report: built from the records, kept, issued with its number
  await page.goto(base + '/reports');
  await page.fill('form.report-form input[name=period]', '2024');
  await snap(page, 'bao-cao', { top: 'h1', height: 600 });
  const csrf = await csrfOf(page);
  const orgs = await (await page.request.get(base + '/api/v1/organisation?q=' +
    encodeURIComponent('ủy ban nhân dân huyện si ma cai') + '&limit=1')).json();
  expect(orgs.items && orgs.items.length === 1, 'the People\'s Committee of Si Ma Cai');
  const made = await page.request.post(base + '/api/v1/report', {
    headers: { 'X-CSRF-Token': csrf },
    data: {
      title: 'Báo cáo sơ kết công tác phối hợp khu vực giáp ranh năm 2024', kind: 'interim',
      scope: 'unit:084', period: '2024', issuer_org_id: orgs.items[0].id, status: 'draft',
      shortcomings: 'Một số xã báo cáo số liệu chậm so với thời hạn.',
      directions: 'Duy trì giao ban cụm hằng quý; hoàn thành nhập số liệu trước ngày 15 của tháng đầu quý sau.',
      signer_title: 'CHỦ TỊCH', signer_name: 'Nguyễn Văn A',
    },
  });
  expect(made.status() === 201, `the draft report: ${made.status()} ${await made.text()}`);
  const report = await made.json();
  await page.goto(`${base}/e/report/${report.id}`);
  await snap(page, 'bao-cao-du-thao', { top: 'p.tools', height: 300 });
  await page.goto(`${base}/reports/${report.id}/issue`);
  await snap(page, 'ban-hanh', { height: 560 });
  await Promise.all([page.waitForURL(/\/e\/report\/\d+/), page.getByRole('button', { name: 'Ban hành', exact: true }).click()]);
  await page.locator('.flash', { hasText: 'Đã ban hành' }).waitFor();

  // 9. charts and the map
  await page.goto(base + '/charts');
  await page.locator('canvas[data-state=drawn]').first().waitFor();
  await snap(page, 'bieu-do', { top: 'section.chart', height: 620 });
  await page.goto(base + '/map');
  await page.locator('#map[data-state=ready]').waitFor();
  await snap(page, 'ban-do', { top: 'h1' });

  // 10. what is due: the bell's page
  await page.goto(base + '/');
  await Promise.all([page.waitForURL(/\/notifications/), page.locator('header a.bell').click()]);
  expect(await page.locator('main li.notice').count() > 0, 'the demo has something due for Si Ma Cai');
  await snap(page, 'thong-bao', { height: 600 });

  // 11. on a phone: the grid, the menu opened
  const phone = await newPage(PHONE);
  await signIn(base, phone, 'simacai');
  await phone.goto(gridUrl);
  await snap(phone, 'dien-thoai-nhap-so-lieu', { top: 'table.value-grid' });
  await phone.locator('label.menu-button').click();
  await snap(phone, 'dien-thoai-menu', { height: 640 });
  await phone.context().close();

  await page.context().close();
  console.log(written.join('\n'));
  console.log(`guide-shots: ${written.length} screenshots in ${path.relative(process.cwd(), OUT)}`);
}

try {
  await main();
} catch (e) {
  console.error(`guide-shots: ${e && e.message ? e.message : e}`);
  process.exitCode = 1;
} finally {
  if (browser) await browser.close();
  if (server && server.exitCode === null) server.kill('SIGTERM');
  fs.rmSync(tmp, { recursive: true, force: true });
}
