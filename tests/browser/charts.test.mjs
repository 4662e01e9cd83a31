// Charts and map (issue 17, pages_charts.c, pages_map.c): every chart's
// canvas is drawn from its JSON and its table holds the same figures, the
// PNG download is a PNG, the map shows the boundary polygons and the
// records' points and switches between the 2025 and pre-2025 boundaries,
// a viewer without clearance sees no confidential incident, and both pages
// read without JavaScript.
import fs from 'node:fs';
import path from 'node:path';

// "1.234,5" / "97,1%" / "–" -> 1234.5 / 97.1 / null
function cellNumber(text) {
  const t = text.trim();
  if (t === '–' || t === '') return null;
  return Number(t.replace(/%$/, '').replace(/\./g, '').replace(',', '.'));
}

async function csrfOf(page) {
  return page.locator('meta[name=csrf-token]').getAttribute('content');
}

// POST a record through the JSON API with the page's session
async function create(page, base, entity, record) {
  const r = await page.request.post(`${base}/api/v1/${entity}`, {
    data: record, headers: { 'X-CSRF-Token': await csrfOf(page) },
  });
  if (r.status() !== 201) throw new Error(`create ${entity}: ${r.status()} ${await r.text()}`);
  return r.json();
}

async function unitId(page, base, code, date) {
  const r = await page.request.get(`${base}/api/v1/unit_by_code/${code}?date=${date}`);
  if (!r.ok()) throw new Error(`unit ${code}: ${r.status()}`);
  return (await r.json()).id;
}

// Non-white pixels of a canvas: a drawn chart has many
async function inkOf(canvas) {
  return canvas.evaluate((c) => {
    const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    let n = 0;
    for (let i = 0; i < d.length; i += 4) if (d[i] < 230 || d[i + 1] < 230 || d[i + 2] < 230) n++;
    return n;
  });
}

export default async function (t) {
  const { test, expect, shot, newPage, base, tmp, signIn } = t;
  const admin = await newPage();
  await signIn(admin, 'admin');
  await admin.goto(base + '/');
  const stamp = Date.now().toString(36);
  let secretTitle = `Vụ việc mật thử nghiệm ${stamp}`;

  await test('charts: the menu leads to them and every chart is drawn with its table', async () => {
    const page = await newPage();
    await signIn(page, 'simacai');
    await page.goto(base + '/');
    await Promise.all([page.waitForURL(/\/charts/), page.locator('header.site a', { hasText: 'Biểu đồ' }).click()]);
    const sections = page.locator('section.chart');
    expect(await sections.count() === 5, `expected 5 charts, got ${await sections.count()}`);
    for (let i = 0; i < 5; i++) {
      const sec = sections.nth(i);
      const id = await sec.getAttribute('id');
      const canvas = sec.locator('canvas[data-chart]');
      await sec.locator('canvas[data-chart][data-state=drawn]').waitFor();
      const model = await (await page.request.get(base + await canvas.getAttribute('data-chart'))).json();
      expect(model.datasets.length > 0 && model.labels.length > 0, `${id}: an empty model`);
      expect(await canvas.getAttribute('data-series') === String(model.datasets.length),
        `${id}: drawn ${await canvas.getAttribute('data-series')} series of ${model.datasets.length}`);
      const ink = await inkOf(canvas);
      expect(ink > 2000, `${id}: the canvas looks blank (${ink} pixels drawn)`);
      // the table: one column per series, every row a label with its figures
      const heads = await sec.locator('table.chart-data thead th').allInnerTexts();
      expect(heads.length === model.datasets.length + 1, `${id}: ${heads.length} columns`);
      model.datasets.forEach((d, k) => expect(heads[k + 1] === d.series, `${id}: column ${heads[k + 1]} is not ${d.series}`));
      const rows = sec.locator('table.chart-data tbody tr');
      const n = await rows.count();
      expect(n > 0, `${id}: an empty table`);
      const firstCol = model.row_heads || model.labels;
      for (let r = 0; r < n; r++) {
        const cells = await rows.nth(r).locator('th, td').allInnerTexts();
        const at = firstCol.indexOf(cells[0]);
        expect(at >= 0, `${id}: row "${cells[0]}" is no label of the chart`);
        model.datasets.forEach((d, k) => {
          const want = d.data[at] === null ? null : Math.round(d.data[at] * 10) / 10;
          const got = cellNumber(cells[k + 1]);
          expect(got === want, `${id} ${cells[0]} / ${d.series}: table ${cells[k + 1]}, chart ${d.data[at]}`);
        });
      }
    }
    // the district editor's charts are of the district by default
    expect(/Si Ma Cai/.test(await page.locator('#h-incidents').innerText()), 'incidents not of the district');
    await shot(page, 'charts');
    await page.context().close();
  });

  await test('charts: the PNG download is a PNG of the chart', async () => {
    const page = await newPage({ acceptDownloads: true });
    await signIn(page, 'admin');
    await page.goto(base + '/charts');
    const sec = page.locator('#chart-signed');
    await sec.locator('canvas[data-state=drawn]').waitFor();
    const link = sec.getByRole('button', { name: 'Tải ảnh PNG' });
    const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
    expect(download.suggestedFilename() === 'bieu-do-signed.png', `file name ${download.suggestedFilename()}`);
    const file = path.join(tmp, 'chart.png');
    await download.saveAs(file);
    const bytes = fs.readFileSync(file);
    expect(bytes.length > 5000, `a PNG of ${bytes.length} bytes`);
    expect(bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])), 'not a PNG');
    // its size is the canvas's
    const w = bytes.readUInt32BE(16), h = bytes.readUInt32BE(20);
    const size = await sec.locator('canvas').evaluate((c) => [c.width, c.height]);
    expect(w === size[0] && h === size[1], `PNG ${w}x${h}, canvas ${size}`);
    await page.context().close();
  });

  await test('charts: the choices redraw the charts of another record', async () => {
    const page = await newPage();
    await signIn(page, 'admin');
    await page.goto(base + '/charts');
    const prog = page.locator('select[name=program]');
    const options = await prog.locator('option').evaluateAll((os) => os.map((o) => [o.value, o.textContent]));
    expect(options.length >= 2, 'fewer than 2 programs to choose from');
    const other = options.find((o) => !o[1].includes('Hà Giang'));
    await prog.selectOption(other[0]);
    await Promise.all([page.waitForURL(/program=/), page.getByRole('button', { name: 'Xem biểu đồ' }).click()]);
    await page.locator('#chart-signed canvas[data-state=drawn]').waitFor();
    const h = await page.locator('#h-signed').innerText();
    expect(h.includes(other[1].trim().slice(0, 40)), `the chart is not of "${other[1]}": ${h}`);
    // Sơn La's help program counts communes
    expect(/Số xã/.test(await page.locator('#chart-signed thead').innerText()), 'not counted in communes');
    await page.context().close();
  });

  // records the map and the confidential checks need
  const commune = await unitId(admin, base, '02812', '2024-01-01');
  const marker = await create(admin, base, 'border_marker', {
    number: `Mốc ${stamp}`, commune_id: commune, country: 'CN', latitude: 22.7203, longitude: 104.2751,
  });
  await create(admin, base, 'border_gate', { name: `Lối mở thử ${stamp}`, kind: 'crossing', commune_id: commune });
  await create(admin, base, 'incident', {
    kind: 'trafficking', title: secretTitle, occurred_on: '2022-11-05', unit_id: commune,
    status: 'reported', confidential: true, border_marker_id: marker.id, cases: 1,
  });

  await test('map: boundaries, points and the switch between 2025 and pre-2025 boundaries', async () => {
    const page = await newPage();
    await signIn(page, 'admin');
    await page.goto(base + '/');
    await Promise.all([page.waitForURL(/\/map$/), page.locator('header.site a', { hasText: 'Bản đồ' }).click()]);
    const map = page.locator('#map');
    await page.locator('#map[data-state=ready]').waitFor();
    const n2025 = await page.locator('path.gp-b2025').count();
    expect(n2025 === 7, `expected the 7 provinces of 2025, got ${n2025}`);
    const places = Number(await map.getAttribute('data-places'));
    const feats = await (await page.request.get(base + '/map/features')).json();
    expect(places === feats.features.length && places > 60, `${places} points drawn, ${feats.features.length} features`);
    expect(await page.locator('path.gp-place').count() === places, 'not every point is on the map');
    for (const layer of ['border_marker', 'border_gate', 'incident', 'activity', 'twinning'])
      expect(await page.locator(`path.gp-layer-${layer}`).count() > 0, `no point of ${layer}`);
    // the marker's own coordinates, and the confidential incident at it
    const mk = feats.features.find((f) => f.properties.layer === 'border_marker' && f.properties.headline === `Mốc ${stamp}`);
    expect(mk && !mk.properties.approximate && mk.geometry.coordinates[0] === 104.2751, 'the marker is not at its coordinates');
    const secret = feats.features.find((f) => f.properties.headline === secretTitle);
    expect(secret && secret.properties.clearance_only && /mốc quốc giới/.test(secret.properties.where), 'the incident is not at its marker');
    await shot(page, 'map-2025');
    // a popup says where an approximate point stands
    // (an SVG circle never counts as "stable" to a click: the event itself)
    await page.locator('path.gp-layer-twinning.gp-approximate').first().dispatchEvent('click');
    const pop = page.locator('.leaflet-popup-content');
    await pop.waitFor();
    expect(/Vị trí gần đúng/.test(await pop.innerText()), `popup: ${await pop.innerText()}`);
    await shot(page, 'map-popup');
    await page.keyboard.press('Escape');
    // the pre-2025 boundaries, with the districts
    await page.locator('.leaflet-control-layers label', { hasText: 'trước 1/7/2025' }).click();
    await page.locator('#map[data-state=ready][data-boundaries="2024"]').waitFor();
    await page.locator('path.gp-district').first().waitFor();
    const nd = await page.locator('path.gp-district').count(), np = await page.locator('path.gp-b2024').count();
    expect(nd === 87 && np === 9, `expected 87 districts and 9 provinces, got ${nd} and ${np}`);
    expect(await page.locator('path.gp-b2025').count() === 0, 'the 2025 boundaries are still shown');
    await shot(page, 'map-2024');
    // and back
    await page.locator('.leaflet-control-layers label', { hasText: 'từ 1/7/2025' }).click();
    await page.locator('#map[data-boundaries="2025"]').waitFor();
    expect(await page.locator('path.gp-b2025').count() === 7 && await page.locator('path.gp-district').count() === 0,
      'the switch back did not restore the 2025 boundaries');
    await page.context().close();
  });

  await test('map and charts: a viewer without clearance sees no confidential incident', async () => {
    const page = await newPage();
    await signIn(page, 'xem');
    await page.goto(base + '/map');
    await page.locator('#map[data-state=ready]').waitFor();
    expect(!(await page.locator('body').innerText()).includes(secretTitle), 'the confidential incident is listed');
    const feats = await (await page.request.get(base + '/map/features')).json();
    expect(!feats.features.some((f) => f.properties.clearance_only || f.properties.headline === secretTitle),
      'the confidential incident is a feature');
    await page.goto(base + '/charts?unit=');
    const sec = page.locator('#chart-incidents');
    await sec.locator('canvas[data-state=drawn]').waitFor();
    expect(!(await sec.innerText()).includes('Mua bán người'), 'the confidential incident is counted');
    // the admin counts it
    await admin.goto(base + '/charts?unit=');
    expect((await admin.locator('#chart-incidents').innerText()).includes('Mua bán người'), 'admin does not count it');
    await page.context().close();
  });

  await test('charts and map read without JavaScript', async () => {
    const page = await newPage({ javaScriptEnabled: false });
    await signIn(page, 'simacai');
    await page.goto(base + '/charts');
    expect(await page.locator('table.chart-data').count() === 5, 'the tables are missing');
    expect(/Tiến độ ký kết/.test(await page.locator('#chart-signed').innerText()), 'the plan chart has no heading');
    expect(await page.locator('#chart-signed tbody tr').count() > 3, 'the plan table is empty');
    await page.goto(base + '/map');
    expect(/cần JavaScript/.test(await page.locator('#map').innerText()), 'no word about the map without JS');
    expect(await page.locator('#list-twinning tbody tr').count() === 34, 'the 34 twinnings are not listed');
    expect(/gần đúng: giữa Huyện/.test(await page.locator('#list-activity').innerText()), 'approximate places not said');
    await shot(page, 'map-nojs');
    await page.context().close();
  });

  await admin.context().close();
}
