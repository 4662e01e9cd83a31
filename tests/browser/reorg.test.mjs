// Issue 18 parts 4 and 5 in the browser, as the demo admin: the page
// "Sắp xếp đơn vị hành chính" reached from Quản trị, a file uploaded and
// previewed (what would change, nothing written: the suites share one
// database), a bad file pasted and refused with its lines and columns;
// a webhook registered from the record form, its secret typed into a
// password field and never shown again.
export default async function (t) {
  const { test, expect, shot, newPage, base, signIn } = t;
  const HEAD = 'record,code,name,type,level,parent_code,predecessor_code,kind,effective_on,legal_basis\n';
  const NQ = 'Nghị quyết số 1234/NQ-UBTVQH15';
  const MERGER = HEAD +
    `unit,99001,Xã Bắc Hà Mới,Xã,2,15,,,2026-03-01,${NQ}\n` +
    `lineage,99001,,,,,02839,merge,2026-03-01,${NQ}\n` +
    `lineage,99001,,,,,02848,merge,2026-03-01,${NQ}\n`;
  const admin = await newPage();

  await test('reorg: the page is reached from the administration page', async () => {
    await signIn(admin, 'admin');
    await admin.goto(base + '/admin');
    await Promise.all([admin.waitForURL(/\/admin\/units\/reorganise$/),
      admin.getByRole('link', { name: 'Sắp xếp đơn vị hành chính' }).click()]);
    expect(await admin.locator('h1').innerText() === 'Sắp xếp đơn vị hành chính', 'the heading');
    expect(await admin.locator('input[type=file][name=file]').count() === 1, 'a file input');
  });

  await test('reorg: an uploaded merger is previewed, nothing written', async () => {
    const before = await (await admin.request.get(base + '/api/v1/admin_unit?limit=1')).json();
    await admin.locator('input[type=file][name=file]').setInputFiles({
      name: 'sap-xep.csv', mimeType: 'text/csv', buffer: Buffer.from(MERGER, 'utf-8') });
    await Promise.all([admin.waitForURL(/\/admin\/units\/reorganise$/),
      admin.getByRole('button', { name: 'Kiểm tra và xem trước' }).click()]);
    const text = await admin.locator('article.reorg-preview').innerText();
    for (const words of ['Xem trước', 'Xã Bắc Hà Mới', 'Xã Lùng Phình', '2026-02-28', NQ])
      expect(text.includes(words), `preview lacks "${words}"`);
    expect(await admin.getByRole('button', { name: 'Áp dụng sắp xếp' }).count() === 1,
      'an apply button');
    const after = await (await admin.request.get(base + '/api/v1/admin_unit?limit=1')).json();
    expect(after.total === before.total, `units ${before.total} -> ${after.total}`);
    await shot(admin, 'reorg-preview');
  });

  await test('reorg: a bad file lists its errors by line and column', async () => {
    await admin.goto(base + '/admin/units/reorganise');
    await admin.locator('textarea[name=pasted]').fill(HEAD +
      'unit,99002,Xã Mới,Xã,2,15,,,2026-06-01,\n' +
      `lineage,99002,,,,,99999,rename,2026-06-01,${NQ}\n` +
      'lineage,99002,,,,,02680,absorb,2026-06-01,\n');
    await admin.getByRole('button', { name: 'Kiểm tra và xem trước' }).click();
    const table = admin.locator('article.reorg-errors table');
    await table.waitFor();
    const text = await table.innerText();
    expect(/không có đơn vị cũ mã 99999/.test(text), `errors: ${text}`);
    expect(/Mã đơn vị cũ/.test(text) && /Căn cứ pháp lý/.test(text), 'columns named in Vietnamese');
    expect(await admin.getByRole('button', { name: 'Áp dụng sắp xếp' }).count() === 0,
      'nothing to apply');
    await shot(admin, 'reorg-errors');
  });

  await test('webhook: registered from the form, its secret never shown again', async () => {
    const secret = 'khoa-bi-mat-trinh-duyet-' + Date.now();
    await admin.goto(base + '/e/webhook/new');
    const field = admin.locator('input[name=secret]');
    expect(await field.getAttribute('type') === 'password', 'a password field');
    await admin.locator('input[name=target_url]').fill('http://127.0.0.1:9/nhan-su-kien');
    await field.fill(secret);
    await admin.locator('input[name=entity_filter]').fill('meeting; incident');
    await Promise.all([admin.waitForURL(/\/e\/webhook\/\d+(\?|$)/),
      admin.getByRole('button', { name: 'Lưu', exact: true }).click()]);
    expect(!(await admin.content()).includes(secret), 'the record page shows the secret');
    await shot(admin, 'webhook-record');
    await admin.goto(base + new URL(admin.url()).pathname + '/edit');
    expect(!(await admin.content()).includes(secret), 'the edit form shows the secret');
    expect(await admin.locator('input[name=secret]').inputValue() === '', 'empty on edit');
  });
}
