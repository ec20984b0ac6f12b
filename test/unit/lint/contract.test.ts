import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import {
  CONTRACT_JSON_SCHEMA, classifyEntitySet, contractEntitySets, entitySetName, jsonProperty, jsonValue, parseContract, parseJson,
} from '../../../src/core/contract';

const PUMP_CONTRACT = JSON.stringify({
  name: 'Pumps',
  version: '1.0.0',
  tenant: 'makers01',
  applicationName: 'mdsp_makers01',
  environmentType: 'Sandbox',
  assetTypes: [{
    id: 'makers01.Pump', name: 'Pump',
    aspects: [{ name: 'Hydraulics', aspectType: 'makers01.PumpHydraulics', variables: [
      { name: 'flow', dataType: 'DOUBLE', unit: 'm3/h' }, { name: 'pressure', dataType: 'DOUBLE', unit: 'bar' }] }],
  }],
}, null, 2);

describe('JSON with ranges', () => {
  test('a text that ends in a backslash inside a string: every error range stays inside the text', () => {
    for (const text of ['"\\', '{"a": "x\\', '["\\u12']) {
      const r = parseJson(text);
      assert.ok(r.errors.length > 0, text);
      for (const e of r.errors) assert.ok(e.start >= 0 && e.end <= text.length && e.start <= e.end, `${text}: ${JSON.stringify(e)}`);
    }
  });

  test('parses values and keeps the range of each key and value', () => {
    const text = '{ "a": [1, -2.5e1, "x\\"y"], "b": {"c": null, "d": true} }';
    const r = parseJson(text);
    assert.deepEqual(r.errors, []);
    assert.deepEqual(jsonValue(r.root), { a: [1, -25, 'x"y'], b: { c: null, d: true } });
    assert.ok(r.root?.type === 'object');
    const b = r.root.properties[1];
    assert.equal(text.slice(b?.keyStart, b?.keyEnd), '"b"');
    assert.equal(text.slice(b?.value?.start, b?.value?.end), '{"c": null, "d": true}');
  });

  test('recovers from errors, reports each with its range, and never throws', () => {
    const text = '{"a": 1,, "b": \'x\', "c": [1 2], "d": ';
    const r = parseJson(text);
    assert.ok(r.errors.length >= 3);
    assert.ok(r.errors.some((e) => /single quotes/.test(e.message) && text.slice(e.start, e.end) === "'x'"));
    assert.deepEqual((jsonValue(r.root) as Record<string, unknown>).a, 1);
    for (const bad of ['', '{', '[', '"', '{"a"', '[[[[[[', '{"a":}', '\u0000', 'nul', '-', '1e', '{"a":1}}']) {
      assert.ok(parseJson(bad).errors.length > 0, JSON.stringify(bad));
    }
    // Too deep: one error that says so, not one per bracket left open when the parser stopped reading.
    for (const deep of ['['.repeat(10_000), '{"a":'.repeat(300) + '1' + '}'.repeat(300)]) {
      assert.deepEqual(parseJson(deep).errors.map((e) => e.message), ['JSON nested more than 200 deep.']);
    }
  });

  test('a cut-off file is one error where the text ends, not one per bracket left open', () => {
    const text = '{"name": "Pumps", "entities": [{"assetTypeId": "makers01.Pu';
    const r = parseJson(text);
    assert.deepEqual(r.errors.map((e) => [text.slice(e.start, e.end), e.message]), [['"makers01.Pu',
      'This string is never closed: expected a closing ". The text ends inside 3 open objects and arrays: the file may be cut off.']]);
    assert.deepEqual(parseJson('{"a": [1, 2').errors.map((e) => e.message),
      ["This array is never closed: expected ']'. The text ends inside 2 open objects and arrays: the file may be cut off."]);
    assert.deepEqual(parseJson('{"a": ').errors.map((e) => e.message),
      ['Expected a JSON value, but the text ends here. The text ends inside an open object or array: the file may be cut off.']);
  });

  test('a duplicate key is an error at the second one, and the last wins everywhere, as in JSON.parse', () => {
    const text = '{"name": "A", "n": 1, "name": "B"}';
    const r = parseJson(text);
    assert.deepEqual(r.errors.map((e) => [text.slice(e.start, e.end), e.message]),
      [['"name"', 'Duplicate property "name": only this one counts (JSON readers take the last); remove one of them.']]);
    assert.deepEqual(jsonValue(r.root), JSON.parse(text));
    assert.equal(jsonProperty(r.root, 'name'), r.root?.type === 'object' ? r.root.properties[2] : undefined);
    const contract = parseContract(PUMP_CONTRACT.replace(/\n}$/, ',\n  "name": "Motors"\n}'));
    assert.equal(contract.contract.name, 'Motors');
    assert.match(contract.json.errors[0]?.message ?? '', /^Duplicate property "name"/);
    // The same key in sibling objects is no duplicate.
    assert.deepEqual(parseJson('[{"a": 1}, {"a": 2}, {"b": {"a": 3}, "a": 4}]').errors, []);
  });

  test('a raw control character in a string is an error at that character; the value is kept', () => {
    const text = '{"name": "Pu\tmps\u0001", "ok": "a\\tb"}';
    const r = parseJson(text);
    assert.deepEqual(r.errors.map((e) => [e.start, e.message]), [
      [text.indexOf('\t'), 'Raw control character U+0009 in a JSON string: write it as \\t or remove it.'],
      [text.indexOf('\u0001'), 'Raw control character U+0001 in a JSON string: write it as \\u0001 or remove it.'],
    ]);
    assert.throws(() => JSON.parse(text));
    assert.deepEqual(jsonValue(r.root), { name: 'Pu\tmps\u0001', ok: 'a\tb' });
  });

  test('accepts {{placeholders}} as values, as in .http files', () => {
    assert.deepEqual(jsonValue(parseJson('{"name": {{pumpName}} }').root), { name: '{{pumpName}}' });
  });
});

describe('contract model and schema', () => {
  test('a valid contract has no issues and reads into the model', () => {
    const r = parseContract(PUMP_CONTRACT);
    assert.deepEqual(r.json.errors, []);
    assert.deepEqual(r.issues, []);
    assert.equal(r.contract.assetTypes[0]?.aspects[0]?.variables[1]?.unit, 'bar');
  });

  test('reports schema issues with paths, ranges and the accepted values', () => {
    const text = JSON.stringify({
      name: 'Pumps', version: '1', tenant: 'makers01', applicationName: 'mdsp_makers01', environmentType: 'sandbox',
      assetTypes: [{ id: 'Pump', name: 'Pump', aspekts: [], aspects: [{ name: 'id', aspectType: 'makers01.X',
        variables: [{ name: 'flow', dataType: 'FLOAT' }, { name: 'speed' }] }] }],
    });
    const issues = parseContract(text).issues;
    const summary = issues.map((i) => `${i.kind} ${i.path}`).sort();
    assert.deepEqual(summary, [
      'additionalProperty assetTypes[0].aspekts',
      'enum assetTypes[0].aspects[0].variables[0].dataType',
      'enum environmentType',
      'pattern assetTypes[0].id',
      'required assetTypes[0].aspects[0].variables[1]',
      'reserved assetTypes[0].aspects[0].name',
    ]);
    const env = issues.find((i) => i.path === 'environmentType');
    assert.equal(text.slice(env?.start, env?.end), '"sandbox"');
    assert.ok(env?.allowed?.includes('Sandbox'));
    const extra = issues.find((i) => i.kind === 'additionalProperty');
    assert.equal(text.slice(extra?.start, extra?.end), '"aspekts"');
  });

  test('keys named after Object.prototype members are unknown properties too', () => {
    for (const key of ['constructor', 'toString', '__proto__', 'valueOf', 'hasOwnProperty']) {
      const text = PUMP_CONTRACT.replace('{\n', `{\n  "${key}": 1,\n`);
      const issues = parseContract(text).issues;
      assert.deepEqual(issues.map((i) => [i.kind, text.slice(i.start, i.end)]), [['additionalProperty', `"${key}"`]], key);
    }
  });

  test('media/schemas/contract.schema.json is exactly the schema the linter validates with', () => {
    const file = JSON.parse(readFileSync('media/schemas/contract.schema.json', 'utf8'));
    assert.deepEqual(file, JSON.parse(JSON.stringify(CONTRACT_JSON_SCHEMA)),
      'regenerate: npx tsx -e "process.stdout.write(JSON.stringify(require(\'./src/core/contract\').CONTRACT_JSON_SCHEMA,null,2)+\'\\n\')" > media/schemas/contract.schema.json');
  });
});

describe('entity-set naming', () => {
  test('follows AGGR_{AspectType}_{AspectName}_{AssetType} with tenant prefixes dropped', () => {
    assert.equal(entitySetName('aggregate', 'makers01.PowerConsumption', 'PrimaryMotor', 'makers01.CNGTurbine'),
      'AGGR_PowerConsumption_PrimaryMotor_CNGTurbine');
    const sets = contractEntitySets(parseContract(PUMP_CONTRACT).contract).map((s) => s.name);
    assert.deepEqual(sets, ['TS_PumpHydraulics_Hydraulics_Pump', 'AGGR_PumpHydraulics_Hydraulics_Pump']);
  });

  test('classifies entity sets by name', () => {
    assert.equal(classifyEntitySet('AGGR_PumpHydraulics_Hydraulics_Pump'), 'aggregate');
    assert.equal(classifyEntitySet('TimeSeriesAggregates'), 'aggregate');
    assert.equal(classifyEntitySet('TS_PumpHydraulics_Hydraulics_Pump'), 'timeSeries');
    assert.equal(classifyEntitySet('TimeSeries'), 'timeSeries');
    assert.equal(classifyEntitySet('Assets'), 'asset');
    assert.equal(classifyEntitySet('Customers'), undefined);
  });
});
