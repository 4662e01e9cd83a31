// The district editor's day (issue 17), the items the other suites do not
// walk as that user: lists and pickers in Vietnamese order, the reminder
// e-mail received by a local SMTP sink (the same items as the bell), and
// every page of the menu (and a record of each list) read with JavaScript
// off. Screenshots go to SHOTS with the others (tests/run.sh keeps them).
import { spawn } from 'node:child_process';
import net from 'node:net';

const ADDRESS = 'can-bo.simacai@giapranh.example';
const SENDER = 'nhac-viec@giapranh.example';
const MAIL_WAIT_MS = 120000; // a bound for a broken run, not an outcome

// A local SMTP server that keeps what it is sent: enough of RFC 5321 for
// libcurl (EHLO, MAIL, RCPT, DATA, RSET, NOOP, QUIT), no TLS, no AUTH.
function smtpSink() {
  const messages = [];
  const server = net.createServer((sock) => {
    let pending = '';
    let data = null; // lines of DATA while it is read
    let from = '';
    let rcpt = [];
    const reply = (l) => sock.write(l + '\r\n');
    reply('220 smtp-sink ESMTP');
    sock.on('data', (chunk) => {
      pending += chunk.toString('latin1');
      let i;
      while ((i = pending.indexOf('\n')) >= 0) {
        const line = pending.slice(0, i).replace(/\r$/, '');
        pending = pending.slice(i + 1);
        if (data !== null) {
          if (line === '.') {
            messages.push({ from, rcpt, raw: Buffer.from(data.join('\r\n'), 'latin1').toString('utf8') });
            data = null;
            reply('250 OK queued');
          } else {
            data.push(line.startsWith('..') ? line.slice(1) : line);
          }
          continue;
        }
        const verb = line.slice(0, 4).toUpperCase();
        if (verb === 'EHLO') { reply('250-smtp-sink'); reply('250 8BITMIME'); }
        else if (verb === 'HELO') reply('250 smtp-sink');
        else if (verb === 'MAIL') { from = line.split(':').slice(1).join(':').trim().replace(/[<>]/g, ''); rcpt = []; reply('250 OK'); }
        else if (verb === 'RCPT') { rcpt.push(line.split(':').slice(1).join(':').trim().replace(/[<>]/g, '')); reply('250 OK'); }
        else if (verb === 'DATA') { data = []; reply('354 end with <CRLF>.<CRLF>'); }
        else if (verb === 'RSET' || verb === 'NOOP') reply('250 OK');
        else if (verb === 'QUIT') { reply('221 bye'); sock.end(); }
        else reply('502 not implemented');
      }
    });
    sock.on('error', () => {});
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({
    url: `smtp://127.0.0.1:${server.address().port}`,
    messages,
    close: () => new Promise((r) => server.close(r)),
  })));
}

// A mail's headers and its base64 body (mail.c), decoded.
function parseMail(raw) {
  const cut = raw.indexOf('\r\n\r\n');
  const head = raw.slice(0, cut).replace(/\r\n[ \t]+/g, ' ');
  const headers = {};
  for (const l of head.split('\r\n')) {
    const k = l.indexOf(':');
    headers[l.slice(0, k).toLowerCase()] = l.slice(k + 1).trim();
  }
  const words = (s) => s.replace(/=\?UTF-8\?B\?([^?]*)\?=\s*/gi,
    (_, b) => Buffer.from(b, 'base64').toString('utf8'));
  const body = /base64/i.test(headers['content-transfer-encoding'] || '')
    ? Buffer.from(raw.slice(cut + 4).replace(/\s+/g, ''), 'base64').toString('utf8')
    : raw.slice(cut + 4);
  return { to: words(headers.to || ''), subject: words(headers.subject || ''), body };
}

// `giapranh remind` as the daily job runs it, without blocking the sink
function run(bin, args) {
  return new Promise((resolve, reject) => {
    const p = spawn(bin, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    p.stdout.on('data', (d) => { out += d; });
    p.stderr.on('data', (d) => { out += d; });
    p.on('error', reject);
    p.on('close', (code) => (code === 0 ? resolve(out) : reject(new Error(`remind exited ${code}: ${out}`))));
  });
}

export default async function (t) {
  const { test, expect, shot, newPage, base, db, BIN, signIn } = t;
  const vi = new Intl.Collator('vi', { sensitivity: 'base' });

  await test('daily: a list sorted by name and a picker follow Vietnamese order', async () => {
    const page = await newPage();
    await signIn(page, 'simacai');
    await page.goto(base + '/e/organisation');
    await page.fill('main form[role=search] input[name=q]', 'son la');
    await Promise.all([page.waitForURL(/q=son/), page.press('main form[role=search] input[name=q]', 'Enter')]);
    await Promise.all([page.waitForURL(/sort=name/), page.locator('main a[href*="sort=name"]').first().click()]);
    expect(/q=son/.test(page.url()), `sorting forgot the search: ${page.url()}`);
    const names = await page.locator('main tbody a[href^="/e/organisation/"]').allInnerTexts();
    expect(names.length >= 10, `only ${names.length} organisations of Sơn La`);
    const sorted = [...names].sort(vi.compare);
    expect(names.join('|') === sorted.join('|'), `not in Vietnamese order: ${names.join(' · ')}`);
    // what byte order gets wrong: "Ủy ban …" before "Văn phòng …"
    const uy = names.findIndex((n) => n.startsWith('Ủy ban'));
    const van = names.findIndex((n) => n.startsWith('Văn phòng'));
    expect(uy >= 0 && van > uy, `Ủy ban at ${uy}, Văn phòng at ${van}`);
    await shot(page, 'daily-order');
    // the picker's answer, as a form's search-as-you-type asks it
    const pick = await (await page.request.get(base + '/e/organisation/pick?q=huyen')).json();
    const shown = pick.items.map((i) => i.display);
    expect(shown.length >= 5, `the picker found ${shown.length}`);
    expect(shown.join('|') === [...shown].sort(vi.compare).join('|'),
      `the picker is not in Vietnamese order: ${shown.join(' · ')}`);
    await page.context().close();
  });

  await test('daily: the reminder e-mail reaches the editor, with what the bell lists', async () => {
    const sink = await smtpSink();
    try {
      // the administrator gives the editor an address, through the form
      const admin = await newPage();
      await signIn(admin, 'admin');
      await admin.goto(base + '/e/app_user?q=simacai');
      await Promise.all([admin.waitForURL(/\/e\/app_user\/\d+$/),
        admin.locator('main tbody a[href^="/e/app_user/"]').first().click()]);
      const userUrl = admin.url();
      await admin.goto(userUrl + '/edit');
      await admin.fill('main form input[name=email]', ADDRESS);
      await Promise.all([admin.waitForURL((u) => u.pathname === new URL(userUrl).pathname),
        admin.locator('main form button[type=submit]').first().click()]);
      expect((await admin.locator('main').innerText()).includes(ADDRESS), 'the address was saved');
      await admin.context().close();

      // the daily job (serve --remind-daily does the same once a day)
      const out = await run(BIN, ['--db', db, 'remind', '--send', '--login', 'simacai',
        '--smtp-url', sink.url, '--smtp-from', SENDER, '--site-url', base]);
      const until = Date.now() + MAIL_WAIT_MS;
      while (sink.messages.length === 0 && Date.now() < until) await new Promise((r) => setTimeout(r, 100));
      expect(sink.messages.length === 1, `${sink.messages.length} mails; remind said: ${out}`);
      const m = sink.messages[0];
      expect(m.from === SENDER && m.rcpt.length === 1 && m.rcpt[0] === ADDRESS, `sent to ${m.rcpt}`);
      const mail = parseMail(m.raw);
      expect(mail.to.includes(ADDRESS), `To: ${mail.to}`);
      expect(/^\[giapranh\] Nhắc việc ngày \d\d\/\d\d\/\d{4}: /.test(mail.subject), `Subject: ${mail.subject}`);
      expect(mail.body.includes('Kính gửi'), 'the mail greets its reader');

      // the editor's bell lists the same items, each linked to its record
      const page = await newPage();
      await signIn(page, 'simacai');
      await Promise.all([page.waitForURL(/\/notifications/), page.locator('header a.bell').click()]);
      const links = await page.locator('main li.notice a[href^="/e/"]').evaluateAll(
        (as) => as.map((a) => ({ text: a.textContent.trim(), href: a.getAttribute('href') })));
      expect(links.length > 0, 'the bell lists something due');
      for (const l of links) {
        expect(mail.body.includes(l.text), `the mail lacks "${l.text}"`);
        expect(mail.body.includes(base + l.href), `the mail does not link ${l.href}`);
      }
      await shot(page, 'daily-notifications');
      await page.context().close();
    } finally {
      await sink.close();
    }
  });

  await test('daily: the editor\'s map has the boundaries and the points of its data', async () => {
    const page = await newPage();
    await signIn(page, 'simacai');
    await Promise.all([page.waitForURL(/\/map$/), page.locator('header.site a', { hasText: 'Bản đồ' }).click()]);
    await page.locator('#map[data-state=ready]').waitFor();
    expect(await page.locator('path.gp-b2025').count() === 7, 'the 7 border provinces of 2025 are not drawn');
    const feats = await (await page.request.get(base + '/map/features')).json();
    const places = Number(await page.locator('#map').getAttribute('data-places'));
    expect(places === feats.features.length && places > 0, `${places} points drawn of ${feats.features.length}`);
    for (const layer of ['border_marker', 'border_gate', 'activity', 'twinning'])
      expect(await page.locator(`path.gp-layer-${layer}`).count() > 0, `no point of ${layer}`);
    expect(!feats.features.some((f) => f.properties.clearance_only), 'a confidential incident without clearance');
    await shot(page, 'daily-map');
    await page.context().close();
  });

  await test('daily: every menu page and a record of each list read with JavaScript off', async () => {
    const page = await newPage({ javaScriptEnabled: false });
    await signIn(page, 'simacai');
    await page.goto(base + '/');
    const menu = [...new Set(await page.locator('header nav a[href^="/"]').evaluateAll(
      (as) => as.map((a) => a.getAttribute('href'))))];
    expect(menu.length >= 10, `only ${menu.length} menu links`);
    const bad = [];
    const records = [];
    for (const href of menu) {
      const resp = await page.goto(base + href);
      // (read at once: a locator's own wait would take a timeout per page)
      const h1 = (await page.locator('main h1').evaluateAll((hs) => (hs[0] ? hs[0].textContent : ''))).trim();
      if (!resp || resp.status() !== 200 || h1 === '') { bad.push(`${href}: ${resp && resp.status()} "${h1}"`); continue; }
      const one = await page.locator('main tbody a[href^="/e/"]').evaluateAll(
        (as) => as.map((a) => a.getAttribute('href')).find((h) => /^\/e\/[a-z_]+\/\d+$/.test(h)));
      if (one) records.push(one);
    }
    for (const href of [...new Set(records)]) {
      const resp = await page.goto(base + href);
      const text = (await page.locator('main').evaluateAll((ms) => (ms[0] ? ms[0].innerText : ''))).trim();
      if (!resp || resp.status() !== 200 || text.length < 40) bad.push(`${href}: ${resp && resp.status()}`);
    }
    expect(records.length >= 5, `only ${records.length} records reached from the menu`);
    expect(bad.length === 0, bad.slice(0, 6).join('; '));
    await shot(page, 'daily-nojs');
    await page.context().close();
  });
}
