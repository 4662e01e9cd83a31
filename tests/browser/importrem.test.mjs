// Import in the browser and reminders (issue 17), as the district editor
// `simacai`: download a template, upload a file with a bad line and see the
// line and field named, upload a good file and see its rows imported; the
// bell of the header and the notifications page.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

// The workbook's drop-down lists, read the way a test on the server side
// does (Python's zipfile on the sheet's XML): [sheet names, list ranges].
function workbookLists(file) {
  const py = 'import json,re,sys,zipfile\n'
    + 'z=zipfile.ZipFile(sys.argv[1])\n'
    + 'book=z.read("xl/workbook.xml").decode()\n'
    + 'sheet=z.read("xl/worksheets/sheet1.xml").decode()\n'
    + 'print(json.dumps([re.findall(r\'<sheet name="([^"]+)"\',book),'
    + 're.findall(r"<formula1>([^<]*)</formula1>",sheet)]))\n';
  return JSON.parse(execFileSync('python3', ['-c', py, file], { encoding: 'utf8' }));
}

export default async function (t) {
  const { test, expect, shot, newPage, base, signIn, tmp } = t;
  const page = await newPage();
  const stamp = Date.now().toString(36);
  const title = `Hội nghị nhập từ tệp ${stamp}`;
  let unit = null;

  await test('import: the editor downloads the Excel template of meetings', async () => {
    await signIn(page, 'simacai');
    await page.goto(base + '/');
    const menu = page.locator('header.site .menu a', { hasText: 'Nhập từ tệp' });
    await Promise.all([page.waitForURL(/\/import$/), menu.click()]);
    await page.locator('h1', { hasText: 'Nhập từ tệp CSV, Excel' }).waitFor();
    const row = page.locator('table.import-templates tr', { hasText: 'Hội nghị, cuộc họp' });
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      row.locator('a', { hasText: 'Mẫu Excel' }).click(),
    ]);
    expect(download.suggestedFilename() === 'mau-nhap-meeting.xlsx',
      `file name ${download.suggestedFilename()}`);
    const file = path.join(tmp, 'mau-nhap-meeting.xlsx');
    await download.saveAs(file);
    expect(fs.readFileSync(file).subarray(0, 2).toString() === 'PK', 'an XLSX is a zip file');
    const [sheets, lists] = workbookLists(file);
    expect(JSON.stringify(sheets) === JSON.stringify(['Nhập liệu', 'Danh mục']),
      `sheets ${JSON.stringify(sheets)}`);
    expect(lists.length >= 1 && lists.every((f) => f.startsWith("'Danh mục'!$")),
      `drop-down lists ${JSON.stringify(lists)}`);
    await shot(page, 'import-start');
  });

  const upload = async (name, csv) => {
    await page.goto(base + '/import?entity=meeting');
    expect(await page.locator('select[name=entity]').inputValue() === 'meeting',
      'the kind is chosen from the link');
    await page.setInputFiles('input[name=file]',
      { name, mimeType: 'text/csv', buffer: Buffer.from(csv, 'utf8') });
    await Promise.all([page.waitForURL(/\/import$/), page.getByRole('button', { name: 'Kiểm tra tệp' }).click()]);
    await page.locator('h1', { hasText: 'Kiểm tra tệp' }).waitFor();
  };

  await test('import: a file with a bad line names the line and the field', async () => {
    const r = await page.request.get(base + '/api/v1/admin_unit?code=084&valid_to=2025-06-30');
    expect(r.ok(), `unit lookup: ${r.status()}`);
    unit = (await r.json()).items[0].id;
    await upload('hop-loi.csv', 'kind,title,held_on,unit_id\n'
      + `review_conference,${title} (1),15/03/2024,${unit}\n`
      + `review_conference,${title} (lỗi),31/02/2024,${unit}\n`);
    const bad = await page.locator('ul.import-errors').innerText();
    expect(bad.includes('dòng 3, trường held_on:'), `errors: ${bad}`);
    expect(bad.includes('tháng 2 không có ngày 31'), `errors: ${bad}`);
    const good = await page.locator('table.import-good-rows').innerText();
    expect(good.includes(`${title} (1)`) && !good.includes('(lỗi)'), `good rows: ${good}`);
    await shot(page, 'import-preview-bad');
    // importing none writes nothing
    await page.getByRole('button', { name: 'Không nhập dòng nào' }).click();
    await page.locator('.import-done', { hasText: 'Không nhập dòng nào' }).waitFor();
    const list = await page.request.get(base + `/api/v1/meeting?q=${encodeURIComponent(title)}`);
    expect((await list.json()).total === 0, 'nothing was written');
  });

  await test('import: a good file imports its rows', async () => {
    await upload('hop.csv', 'kind,title,held_on,unit_id\n'
      + `review_conference,${title} (1),15/03/2024,${unit}\n`
      + `working_session,${title} (2),2024-03-16,${unit}\n`);
    const summary = await page.locator('main p').nth(1).innerText();
    expect(summary.includes('2 dòng hợp lệ') && summary.includes('0 dòng có lỗi'), summary);
    expect(await page.locator('table.import-good-rows tbody tr').count() === 2, 'two good rows shown');
    await shot(page, 'import-preview-good');
    await page.getByRole('button', { name: 'Nhập 2 dòng' }).click();
    await page.locator('.import-done', { hasText: 'Đã nhập 2 dòng vào Hội nghị, cuộc họp' }).waitFor();
    await shot(page, 'import-done');
    await Promise.all([page.waitForURL(/\/e\/meeting$/), page.getByRole('button', { name: /Xem danh sách/ }).click()]);
    await page.fill('input[name=q]', stamp);
    await Promise.all([page.waitForURL(/q=/), page.press('input[name=q]', 'Enter')]);
    const rows = page.locator('table.list tbody tr');
    expect(await rows.count() === 2, `expected the 2 imported meetings, got ${await rows.count()}`);
    await shot(page, 'import-rows');
  });

  await test('reminders: the bell counts what is due and the page lists it', async () => {
    await page.goto(base + '/');
    const bell = page.locator('header.site a.bell');
    const count = Number(await bell.locator('.count').innerText());
    expect(count > 0, `bell count ${count}`);
    await Promise.all([page.waitForURL(/\/notifications$/), bell.click()]);
    await page.locator('h1', { hasText: 'Thông báo' }).waitFor();
    const items = page.locator('ul.notices li.notice');
    expect(await items.count() === count, `${await items.count()} items for a count of ${count}`);
    const text = await page.locator('main').innerText();
    expect(text.includes('Giao ban cụm') && text.includes('quá hạn'), 'overdue briefings listed');
    await shot(page, 'notifications');
    await page.selectOption('#days', '90');
    await Promise.all([page.waitForURL(/days=90/), page.getByRole('button', { name: 'Xem' }).click()]);
    expect(await page.locator('#days').inputValue() === '90', 'the horizon is kept');
  });

  await page.context().close();
}
