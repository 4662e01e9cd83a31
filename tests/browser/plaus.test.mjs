// Issue 17 in the browser, as the district's editor `simacai`: a −5 % for a
// Party-building indicator entered in the grid is saved with a warning,
// refused on submission without a comment (the message names the rule),
// submitted with one; the approver (admin) sees the warning in the grid and
// on the record page.  A date typed 31/02/2025 is refused with "tháng 2
// không có ngày 31"; the header's search box finds a document by its number
// typed without diacritics; the district's dashboard; times in Vietnam's.
export default async function (t) {
  const { test, expect, shot, newPage, base, signIn } = t;
  const PERIOD = '2025';
  const XD01 = 'Tỷ lệ thôn, tổ dân phố có chi bộ độc lập';
  const editor = await newPage();
  let gridUrl = null;
  let valueId = null;

  // the grid row of XD01 and its inputs (named by the indicator's id)
  const row = (p) => p.locator('table.value-grid tbody tr', { hasText: XD01 });
  const input = async (p, prefix) => {
    const name = await row(p).locator(`input[name^="${prefix}"]`).first().getAttribute('name');
    return p.locator(`input[name="${name}"]`);
  };

  await test('plaus: the editor opens the district grid', async () => {
    await signIn(editor, 'simacai');
    const r = await editor.request.get(base + '/api/v1/target_set?q=' + encodeURIComponent('si ma cai'));
    expect(r.ok(), `target sets: ${r.status()}`);
    const set = (await r.json()).items.find((s) => /Si Ma Cai/.test(s.name));
    expect(set, 'the Si Ma Cai target set');
    gridUrl = `${base}/grid?target_set=${set.id}&unit=084&period=${PERIOD}`;
    await editor.goto(gridUrl);
    await row(editor).waitFor();
  });

  await test('plaus: −5 % is saved as a draft, with a warning', async () => {
    await (await input(editor, 'a')).fill('-5');
    await Promise.all([editor.waitForURL(/\/grid\?/),
      editor.getByRole('button', { name: 'Lưu nháp' }).click()]);
    const warn = row(editor).locator('small.plaus-warning');
    await warn.first().waitFor();
    const text = await warn.first().innerText();
    expect(/không nhận giá trị âm/.test(text), `warning: "${text}"`);
    expect(await (await input(editor, 'a')).inputValue() === '-5', 'the figure is kept');
    await shot(editor, 'plaus-grid-warning');
  });

  await test('plaus: submitting it without a comment is refused, naming the rule', async () => {
    const [resp] = await Promise.all([
      editor.waitForResponse((r) => r.url().endsWith('/grid') && r.request().method() === 'POST'),
      editor.getByRole('button', { name: 'Lưu và gửi duyệt' }).click(),
    ]);
    expect(resp.status() === 422, `expected 422, got ${resp.status()}`);
    const err = await row(editor).locator('small.field-error').innerText();
    expect(/Ghi chú/.test(err) && /không nhận giá trị âm/.test(err), `message: "${err}"`);
    expect(/không dòng nào được lưu/.test(await editor.locator('p.error').innerText()),
      'the grid says nothing was saved');
    await shot(editor, 'plaus-grid-refused');
  });

  await test('plaus: with a comment it is submitted', async () => {
    await (await input(editor, 'c')).fill('Số liệu sơ bộ, 2 thôn mới sáp nhập chưa có chi bộ');
    await Promise.all([editor.waitForURL(/\/grid\?/),
      editor.getByRole('button', { name: 'Lưu và gửi duyệt' }).click()]);
    const text = await row(editor).innerText();
    expect(/Đã gửi/.test(text), `status: ${text}`);
    const r = await editor.request.get(`${base}/api/v1/indicator_value?period=${PERIOD}&limit=200`);
    const v = (await r.json()).items.find((x) => x.actual === -5);
    expect(v && v.status === 'submitted', 'the value is submitted');
    valueId = v.id;
    const one = await (await editor.request.get(`${base}/api/v1/indicator_value/${v.id}`)).json();
    expect(one.warnings.length === 1 && one.warnings[0].rule === 'non_negative',
      `API warnings: ${JSON.stringify(one.warnings)}`);
    await shot(editor, 'plaus-grid-submitted');
  });

  await test('plaus: the approver sees the warning in the grid and on the record', async () => {
    const admin = await newPage();
    await signIn(admin, 'admin');
    await admin.goto(gridUrl);
    const text = await row(admin).locator('small.plaus-warning').first().innerText();
    expect(/không nhận giá trị âm/.test(text), `grid warning: "${text}"`);
    await shot(admin, 'plaus-approver-grid');
    await admin.goto(`${base}/e/indicator_value/${valueId}`);
    const box = await admin.locator('div.plaus-warning').innerText();
    expect(/quy tắc hợp lý/.test(box) && /không nhận giá trị âm/.test(box), `record: "${box}"`);
    // times in Vietnam's: the stored UTC instant, shown +07:00
    const stamp = admin.locator('p.meta time').first();
    const utc = await stamp.getAttribute('datetime');
    const shown = await stamp.innerText();
    const vn = new Date(Date.parse(utc) + 7 * 3600 * 1000);
    const pad = (n) => String(n).padStart(2, '0');
    const want = `${pad(vn.getUTCDate())}/${pad(vn.getUTCMonth() + 1)}/${vn.getUTCFullYear()} `
      + `${pad(vn.getUTCHours())}:${pad(vn.getUTCMinutes())}`;
    expect(shown === want, `time shown "${shown}", want "${want}" for ${utc}`);
    await shot(admin, 'plaus-approver-record');
    await admin.context().close();
  });

  await test('dates: 31/02/2025 is refused with what February lacks', async () => {
    await editor.goto(base + '/e/meeting/new');
    const held = editor.locator('#held_on');
    expect(await held.getAttribute('type') === 'text', 'a text input, not the locale date widget');
    expect(await held.getAttribute('placeholder') === 'dd/mm/yyyy', 'placeholder dd/mm/yyyy');
    await editor.fill('#title', 'Hội nghị thử ngày');
    await held.fill('31/02/2025');
    const [resp] = await Promise.all([
      editor.waitForResponse((r) => r.url().endsWith('/e/meeting/new') && r.request().method() === 'POST'),
      editor.click('form.record-form button[type=submit]'),
    ]);
    expect(resp.status() === 422, `expected 422, got ${resp.status()}`);
    const msg = await editor.locator('#err-held_on').innerText();
    expect(/tháng 2 không có ngày 31/.test(msg), `message: "${msg}"`);
    expect(await editor.locator('#held_on').inputValue() === '31/02/2025', 'the typed date is kept');
    await shot(editor, 'dates-31-02');
  });

  await test('search: the header box finds a document number typed without diacritics', async () => {
    await editor.goto(base + '/e/meeting');
    const box = editor.locator('header form.site-search input[type=search]');
    await box.fill('2523/qd-ubnd');
    await Promise.all([editor.waitForURL(/\/search\?/), box.press('Enter')]);
    const group = editor.locator('section.search-group', { hasText: 'Văn bản' });
    await group.waitFor();
    expect(/2523/.test(await group.innerText()), 'the document 2523/QĐ-UBND is listed');
    await shot(editor, 'search-document');
    await editor.locator('header form.site-search input[type=search]').fill('si ma cai');
    await Promise.all([editor.waitForURL(/tim=si/), editor.locator('header form.site-search input[type=search]').press('Enter')]);
    const kinds = await editor.locator('section.search-group h2').count();
    expect(kinds >= 2, `results grouped by kind: ${kinds} groups`);
    await shot(editor, 'search-place');
  });

  await test('dashboard: the district has its own overview', async () => {
    await editor.goto(base + '/units/084/dashboard');
    await editor.locator('h1', { hasText: 'Tổng quan: Huyện Si Ma Cai' }).waitFor();
    const link = await editor.locator('article h2 a', { hasText: 'Hội nghị gần đây' }).getAttribute('href');
    expect(/unit_id__within=\d+/.test(link), `card link: ${link}`);
    await shot(editor, 'dashboard-district');
  });

  await editor.context().close();
}
