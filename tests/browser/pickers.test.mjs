// Entry without codes (issue 17.1-17.3), walked as the district editor
// `simacai` of the demo: the grid from the menu with its pickers, the
// confirmation of a save and the achievement column, a report whose scope
// is picked by name and issued through its confirmation, several attendees
// added at once with a person created from the picker, and the readable
// audit entry of what simacai changed (read by the administrator: the log
// is theirs).  Screenshots: SHOTS=/tmp/shots-pickers.
export default async function (t) {
  const { test, expect, shot, newPage, base } = t;
  const stamp = Date.now().toString(36);
  const page = await newPage();
  let reportUrl = null;
  let meetingUrl = null;
  const meetingTitle = `Giao ban chọn bằng tên ${stamp}`;
  const newPerson = `Vàng Seo Mới ${stamp}`;

  // choose in a picker: type (without diacritics), click the offer
  async function choose(p, id, typed, offer) {
    await p.fill(`#${id}-pick`, typed);
    const li = p.locator(`#${id}-pick-list li[role=option]`, { hasText: offer }).first();
    await li.waitFor();
    await li.click();
    return li;
  }

  await test('pickers: simacai signs in and finds the grid in the menu', async () => {
    await t.signIn(page, 'simacai');
    const link = page.locator('header.site .menu a', { hasText: 'Nhập số liệu' });
    await link.waitFor();
    await Promise.all([page.waitForURL(/\/grid/), link.click()]);
    await page.locator('h1', { hasText: 'Nhập số liệu chỉ tiêu' }).waitFor();
    expect(await page.locator('text=Mã đơn vị').count() === 0, 'the grid still asks for a unit code');
    expect(await page.locator('header.site .menu a[aria-current="page"]', { hasText: 'Nhập số liệu' }).count() === 1,
      'the menu should mark the grid');
  });

  await test('pickers: the grid takes its target set and unit by name, saves and says so', async () => {
    // the target set and the unit are search boxes, "đ" and marks not needed
    await choose(page, 'target_set', 'si ma cai', 'Si Ma Cai');
    await choose(page, 'unit_id', 'san chai', 'Xã Sán Chải — Huyện Si Ma Cai');
    await page.fill('#period', '2021');
    await shot(page, 'pickers-grid-choose');
    await Promise.all([page.waitForURL(/unit_id=\d+/), page.click('form.grid-choose button[type=submit]')]);
    await page.locator('p', { hasText: 'Đơn vị: Xã Sán Chải' }).waitFor();
    const cells = [
      { name: 'Giá trị sản xuất trên 1 ha đất sản xuất nông nghiệp', t: '100', a: '105', pct: '105%' },
      { name: 'Số lượt khách du lịch (minh họa)', t: '200', a: '150', pct: '75%' },
    ];
    for (const c of cells) {
      await page.fill(`input[aria-label="Kế hoạch: ${c.name}"]`, c.t);
      await page.fill(`input[aria-label="Thực hiện: ${c.name}"]`, c.a);
    }
    await Promise.all([page.waitForURL(/ok=submitted/), page.click('button[value=submitted]')]);
    const flash = page.locator('.flash[role=status]');
    await flash.waitFor();
    const said = await flash.innerText();
    expect(said.includes('Đã lưu 2 số liệu; 2 số liệu đã gửi duyệt.'), `confirmation: "${said}"`);
    expect(await page.locator('th', { hasText: 'Đạt (%)' }).count() === 1, 'no achievement column');
    for (const c of cells) {
      const row = page.locator('table.value-grid tr', { has: page.locator(`input[aria-label="Thực hiện: ${c.name}"]`) });
      const pct = (await row.locator('td.pct').innerText()).trim();
      expect(pct === c.pct, `${c.name}: achievement ${pct}, expected ${c.pct}`);
    }
    await shot(page, 'pickers-grid-saved');
  });

  await test('pickers: a report scope is picked by kind and name, issuing asks first', async () => {
    await page.goto(base + '/e/report/new');
    await page.fill('#title', `Báo cáo thử chọn phạm vi ${stamp}`);
    await page.selectOption('#kind', 'periodic');
    // the scope: a kind, then a record found by its name (no "agreement:1")
    await page.selectOption('.pick-kind', { label: 'Thỏa thuận, quy chế' });
    await choose(page, 'scope', 'quy che phoi hop xay dung', 'Quy chế phối hợp');
    expect(/^agreement:\d+$/.test(await page.locator('#scope').inputValue()), 'scope not written as agreement:ID');
    await page.fill('#period', '2024');
    await choose(page, 'issuer_org_id', 'uy ban nhan dan huyen si ma cai', 'Ủy ban nhân dân huyện Si Ma Cai');
    await page.selectOption('#status', 'draft');
    await page.fill('#signer_name', 'Nguyễn Văn Ký');
    await shot(page, 'pickers-report-form');
    await Promise.all([page.waitForURL(/\/e\/report\/\d+\?ok=1/), page.click('form.record-form button[type=submit]')]);
    reportUrl = page.url().replace(/\?.*$/, '');
    const rec = await page.locator('dl.record').innerText();
    expect(rec.includes('agreement:'), 'the scope as stored');
    // the dialog first: declined, nothing issued
    page.once('dialog', (d) => d.dismiss());
    await page.click('button:has-text("Ban hành")');
    await page.waitForTimeout(300);
    expect(page.url().startsWith(reportUrl), `declining left the page: ${page.url()}`);
    expect((await page.locator('dl.record').innerText()).includes('Dự thảo'), 'declined but issued');
    // the confirmation page (what a browser without JavaScript shows)
    await page.goto(reportUrl.replace('/e/report/', '/reports/') + '/issue');
    await page.locator('h1', { hasText: 'Ban hành báo cáo “' }).waitFor();
    expect((await page.locator('article.confirm').innerText()).includes('không sửa được nữa'), 'what issuing does');
    await shot(page, 'pickers-issue-confirm');
    await Promise.all([page.waitForURL(/ok=issued/), page.click('article.confirm button[type=submit]')]);
    const said = await page.locator('.flash[role=status]').innerText();
    expect(/Đã ban hành báo cáo số \d+\/\S+ ngày \d{2}\/\d{2}\/\d{4}\./.test(said), `issued: "${said}"`);
    await shot(page, 'pickers-issued');
  });

  await test('pickers: issuing with the dialog accepted', async () => {
    // a second draft, issued straight from its page once the dialog says yes
    await page.goto(base + '/e/report/new');
    await page.fill('#title', `Báo cáo thử ban hành ngay ${stamp}`);
    await page.selectOption('#kind', 'periodic');
    await page.selectOption('.pick-kind', { label: 'Toàn quốc' });
    expect(await page.locator('#scope').inputValue() === 'nation', 'the whole country is its own scope');
    await page.fill('#period', '2024');
    await choose(page, 'issuer_org_id', 'uy ban nhan dan huyen si ma cai', 'Ủy ban nhân dân huyện Si Ma Cai');
    await page.selectOption('#status', 'draft');
    await page.fill('#signer_name', 'Nguyễn Văn Ký');
    await Promise.all([page.waitForURL(/\/e\/report\/\d+\?ok=1/), page.click('form.record-form button[type=submit]')]);
    page.once('dialog', (d) => d.accept());
    await Promise.all([page.waitForURL(/ok=issued/), page.click('button:has-text("Ban hành")')]);
    const said = await page.locator('.flash[role=status]').innerText();
    expect(said.startsWith('Đã ban hành báo cáo số '), `issued: "${said}"`);
  });

  await test('pickers: a new meeting asks no source question, attendees are added two at once', async () => {
    await page.goto(base + '/e/meeting/new');
    expect(await page.locator('text=Ngày ước tính').count() === 0, 'a new meeting asks "Ngày ước tính"');
    await page.selectOption('#kind', 'periodic_briefing');
    await page.fill('#title', meetingTitle);
    await page.fill('#held_on', '2024-05-20');
    await choose(page, 'unit_id', 'huyen si ma cai', 'Huyện Si Ma Cai');
    await Promise.all([page.waitForURL(/\/e\/meeting\/\d+\?ok=1/), page.click('form.record-form button[type=submit]')]);
    meetingUrl = page.url().replace(/\?.*$/, '');
    const several = page.locator('#rel-meeting_participant-meeting_id a', { hasText: 'Thêm nhiều cùng lúc' });
    await Promise.all([page.waitForURL(/several\/meeting_participant/), several.click()]);
    // one person already known ("đ" found by "d"), one created from the picker
    await page.selectOption('#role_1', 'chair');
    await choose(page, 'person_id_1', 'dinh van dang', 'Đinh Văn Đăng');
    await page.fill('#title_as_held_1', 'Chủ tịch UBND huyện');
    await page.selectOption('#role_2', 'speaker');
    await page.fill('#person_id_2-pick', newPerson);
    const create = page.locator('#person_id_2-pick-list li.pick-create');
    await create.waitFor();
    await create.click();
    await page.locator('.pick-status', { hasText: 'Đã thêm cá nhân mới' }).waitFor();
    expect(/^\d+$/.test(await page.locator('[name=person_id_2]').inputValue()), 'the new person is not chosen');
    // one frame more, added by the button
    await page.click('button[data-add-row]');
    expect(await page.locator('fieldset.several-row').count() === 6, 'no sixth frame');
    await shot(page, 'pickers-attendees');
    await Promise.all([page.waitForURL(/added=meeting_participant/), page.click('form.several button[type=submit]')]);
    const said = await page.locator('.flash[role=status]').innerText();
    expect(said.includes('Đã thêm 2 thành phần dự họp.'), `added: "${said}"`);
    const section = await page.locator('#rel-meeting_participant-meeting_id').innerText();
    expect(section.includes('Đinh Văn Đăng') && section.includes(newPerson), 'the two attendees');
    expect(!/\bsố \d+\b/.test(section), 'an attendee named "số N"');
    await shot(page, 'pickers-attendees-saved');
  });

  await test('pickers: the edit title is lower case, the change is read in the audit log', async () => {
    await page.goto(meetingUrl + '/edit');
    const h1 = (await page.locator('h1').innerText()).trim();
    expect(h1 === 'Sửa hội nghị, cuộc họp', `edit title "${h1}"`);
    expect(await page.locator('text=Ngày ước tính').count() === 1, 'the edit form shows the source question');
    await page.fill('#title', meetingTitle + ' (đã sửa)');
    await Promise.all([page.waitForURL(/\?ok=1/), page.click('form.record-form button[type=submit]')]);
    // the audit log is the administrators'
    const admin = await newPage();
    await t.signIn(admin, 'admin');
    await admin.goto(meetingUrl);
    await admin.locator('details.audit summary').click();
    const audit = admin.locator('details.audit');
    const text = await audit.innerText();
    expect(text.includes(`${meetingTitle} → ${meetingTitle} (đã sửa)`), `audit: ${text.slice(0, 400)}`);
    expect(text.includes('Tên hội nghị, cuộc họp'), 'the field label');
    expect(!text.includes('"title"') && !text.includes('{"'), 'raw JSON in the audit');
    await shot(admin, 'pickers-audit');
    await admin.context().close();
  });

  await page.context().close();
}
