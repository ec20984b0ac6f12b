// ISO 8601 parsing as MindSphere's APIs need it (src/core/time.ts): the full form, Aggregates v4's short forms and
// offsets, UTC when no zone is given, and refusal of impossible or non-ISO dates.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatIsoSeconds, formatIsoTime, parseIsoTime, parseRecordTime } from '../../src/core/time';

test('full and short ISO forms, with and without zones', () => {
  const cases: [string, string][] = [
    ['2017-11-02T00:00:00.001Z', '2017-11-02T00:00:00.001Z'],
    ['2020-02-20Z', '2020-02-20T00:00:00.000Z'],
    ['2020-02-20', '2020-02-20T00:00:00.000Z'],
    ['2020-02-20T10Z', '2020-02-20T10:00:00.000Z'],
    ['2020-02-20T10:30Z', '2020-02-20T10:30:00.000Z'],
    ['2020-02-20T10:30-05:00', '2020-02-20T15:30:00.000Z'],
    ['2020-02-20-05:00', '2020-02-20T05:00:00.000Z'],
    ['2020-02-20T10:30:00.123456+0130', '2020-02-20T09:00:00.123Z'],
    ['2018-01-01T00:00:00.00Z', '2018-01-01T00:00:00.000Z'],
    ['2024-02-29T23:59:59Z', '2024-02-29T23:59:59.000Z'],
    ['2024-03-01T24:00:00Z', '2024-03-02T00:00:00.000Z'],
  ];
  for (const [text, iso] of cases) assert.equal(formatIsoTime(parseIsoTime(text)!), iso, text);
});

test('impossible dates and other formats are refused rather than guessed', () => {
  for (const text of ['2023-02-29T00:00:00Z', '2024-13-01', '2024-01-32', '2024-01-01T25:00Z', '2024-01-01T24:30Z', '2024-01-01T10:60Z',
    'March 7, 2024', '1709251200000', '', '2024-1-1', '2024-01-01T10:00:00+25:00', '2024-01-01 10:00:00Z']) {
    assert.equal(parseIsoTime(text), undefined, text);
  }
});

test('formatting: milliseconds for time series, whole seconds for aggregate bounds', () => {
  assert.equal(formatIsoTime(Date.UTC(2017, 4, 1, 0, 8)), '2017-05-01T00:08:00.000Z');
  assert.equal(formatIsoSeconds(Date.UTC(2017, 4, 1, 0, 8)), '2017-05-01T00:08:00Z');
  assert.equal(formatIsoSeconds(Date.UTC(2017, 4, 1, 0, 8, 0, 5)), '2017-05-01T00:08:00.005Z');
});

test('formatIsoTime agrees with toISOString across minutes, years and edge values', () => {
  const samples = [0, 1, 999, 59_999, 60_000, Date.UTC(2024, 1, 29, 23, 59, 59, 999), Date.UTC(9999, 11, 31, 23, 59, 59, 999), -1, -62_167_219_200_000,
    253_402_300_800_000, 1.5];
  for (let t = Date.UTC(2024, 0, 1); t < Date.UTC(2024, 0, 1) + 200_000; t += 7_777) samples.push(t);
  for (const t of samples) assert.equal(formatIsoTime(t), new Date(t).toISOString(), String(t));
});

test('parseRecordTime (every record of a read) gives parseIsoTime\'s answer, valid or not, whatever came before', () => {
  const texts = ['2017-11-02T00:00:00.001Z', '2017-11-02T00:00:59.999Z', '2017-11-02T00:00:60.000Z', '2017-11-02T00:00:5x.000Z',
    '2017-11-02T00:00:00.00aZ', '2024-03-01T24:00:00.000Z', '2024-03-01T24:00:01.000Z', '2023-02-29T00:00:00.000Z',
    '2017-11-02T00:00:00,001Z', '2017-11-02T00:00:00.001z', '2017-11-02T00:00:00Z', '2017-11-02 00:00:00.001Z', '0000-01-01T00:00:01.000Z',
    'not a time at all, 24 ch', '', '2017-11-02T00:00:00.001+01:00'];
  for (let t = Date.UTC(2024, 0, 1) - 100_000; t < Date.UTC(2024, 0, 1) + 100_000; t += 997) texts.push(formatIsoTime(t));
  // Each text after each other, so that every text also meets a cached minute that is not its own.
  for (const before of texts) {
    for (const text of texts) {
      parseRecordTime(before);
      assert.equal(parseRecordTime(text), parseIsoTime(text) ?? Number.NaN, `${text} after ${before}`);
    }
  }
});

test('years 0000 to 0099 are those years, not 1900 to 1999', () => {
  for (const [text, iso] of [['0099-12-31T00:00:00Z', '0099-12-31T00:00:00.000Z'], ['0050-06-01T12:30:00+01:00', '0050-06-01T11:30:00.000Z'],
    ['0000-02-29T00:00:00Z', '0000-02-29T00:00:00.000Z'], ['0001-01-01T24:00:00Z', '0001-01-02T00:00:00.000Z']]) {
    assert.equal(new Date(parseIsoTime(text!)!).toISOString(), iso, text);
  }
  assert.equal(parseIsoTime('0100-02-29'), undefined, '0100 is no leap year');
});
