// The contract rules, on whole *.contract.json files, alone and across a workspace; and mdsp/unknown-name with a schema.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Linter } from '../../../src/core/lint';
import { fixOf, http, lint, SCHEMA, squiggles } from './helpers';

interface AssetTypeSpec {
  id: string;
  name?: string;
  parentTypeId?: string;
  aspects?: Array<{ name: string; aspectType: string; variables: Array<{ name: string; dataType: string; unit?: string }> }>;
}

function contract(assetTypes: AssetTypeSpec[], overrides: Record<string, unknown> = {}): string {
  return `${JSON.stringify({
    name: 'Pumps', version: '1.0.0', tenant: 'makers01', applicationName: 'mdsp_makers01', environmentType: 'Sandbox',
    assetTypes: assetTypes.map((t) => ({ name: t.id.split('.')[1], aspects: [], ...t })), ...overrides,
  }, null, 2)}\n`;
}

const PUMP: AssetTypeSpec = {
  id: 'makers01.Pump', parentTypeId: 'makers01.RotatingMachine',
  aspects: [{ name: 'Hydraulics', aspectType: 'makers01.PumpHydraulics', variables: [{ name: 'flow', dataType: 'DOUBLE', unit: 'm3/h' }] }],
};
const MACHINE: AssetTypeSpec = {
  id: 'makers01.RotatingMachine',
  aspects: [{ name: 'Vibration', aspectType: 'makers01.Vibration', variables: [{ name: 'rms', dataType: 'DOUBLE' }] }],
};

describe('contract rules', () => {
  test('a file broken on every line gets the first 100 JSON errors and one that says more follow, not one per line', () => {
    const findings = lint('broken.contract.json', `[\n${'1\n'.repeat(20_000)}]`);
    assert.equal(findings.length, 101);
    assert.deepEqual(findings.slice(0, 2).map((f) => f.range.line), [3, 4]);
    assert.match(findings.at(-1)?.message ?? '', /^The contract is not valid JSON: More JSON errors follow from here; only the first 100 are reported\.$/);
  });

  test('a complete contract stays clean, with and without the tenant schema', () => {
    const text = contract([MACHINE, PUMP]);
    assert.deepEqual(lint('pumps.contract.json', text), []);
    assert.deepEqual(lint('pumps.contract.json', text, { schema: SCHEMA }), []);
  });

  test('mdsp/contract-schema: JSON errors and schema mismatches, with did-you-mean fixes', () => {
    const broken = '{"name": "Pumps", "version": "1.0.0",\n  "assetTypes": [ }';
    assert.ok(lint('x.contract.json', broken).every((f) => f.ruleId === 'mdsp/contract-schema'));
    const text = contract([{ ...PUMP, parentTypeId: 'Pump Parent' }], { environmentType: 'sandbox', descripton: 'typo' });
    const findings = lint('pumps.contract.json', text);
    assert.deepEqual(squiggles(text, findings, 'mdsp/contract-schema'), [['"sandbox"', 'error'], ['"Pump Parent"', 'error'], ['"descripton"', 'error']]
      .sort((a, b) => text.indexOf(a[0] as string) - text.indexOf(b[0] as string)));
    const env = contract([PUMP], { environmentType: 'sandbox' });
    assert.match(fixOf(env, lint('p.contract.json', env), 'mdsp/contract-schema'), /"environmentType": "Sandbox"/);
  });

  test('a value of the wrong type is named in plain English: an object, an array, null', () => {
    const messages = (text: string) => lint('x.contract.json', text).map((f) => f.message);
    assert.deepEqual(messages('null'), ['The contract must be an object, not null.']);
    assert.deepEqual(messages('[]'), ['The contract must be an object, not an array.']);
    assert.deepEqual(messages(contract([PUMP], { assetTypes: {} })), ['"assetTypes" must be an array, not an object.']);
  });

  test('mdsp/contract-name-length: AGGR_{AspectType}_{AspectName}_{AssetType} over 200 characters', () => {
    const long = 'PrimaryMotorWindingTemperatureAndVibrationMonitoringOfTheNorthernCoolingWaterCircuit';
    const text = contract([{ id: 'makers01.CNGTurbineWithExtendedMonitoringPackageForOffshorePlatforms', aspects: [
      { name: long, aspectType: 'makers01.PowerConsumptionAndEfficiencyMeasurementsAccordingToISO50001', variables: [] },
      { name: 'Motor', aspectType: 'makers01.PowerConsumption', variables: [] }] }]);
    const findings = lint('turbines.contract.json', text);
    assert.deepEqual(squiggles(text, findings, 'mdsp/contract-name-length'), [[`"${long}"`, 'error']]);
    const name = `AGGR_PowerConsumptionAndEfficiencyMeasurementsAccordingToISO50001_${long}_CNGTurbineWithExtendedMonitoringPackageForOffshorePlatforms`;
    assert.ok(name.length > 200);
    assert.match(findings[0]?.message ?? '', new RegExp(`is ${name.length} characters long`));
    assert.equal(findings[0]?.fixes[0]?.isPreferred, false);
  });

  test('mdsp/contract-name-length: entity names two aspects share, or that are not OData identifiers', () => {
    // Aspect type X_Y as aspect Z and aspect type X as aspect Y_Z: both TS_X_Y_Z_T (and AGGR_X_Y_Z_T).
    const clash = contract([{ id: 'makers01.T', aspects: [{ name: 'Z', aspectType: 'makers01.X_Y', variables: [] },
      { name: 'Y_Z', aspectType: 'makers01.X', variables: [] }] }]);
    const clashes = lint('t.contract.json', clash).filter((f) => f.ruleId === 'mdsp/contract-name-length');
    assert.deepEqual(squiggles(clash, clashes, 'mdsp/contract-name-length'), [['"Y_Z"', 'error']]);
    assert.match(clashes[0]?.message ?? '', /TS_X_Y_Z_T and AGGR_X_Y_Z_T of aspect "Y_Z" \(makers01\.X\) of makers01\.T have the names of aspect "Z" \(makers01\.X_Y\)/);
    // A second dot in a type id (valid for MindSphere) makes TS_X_Flow_Pump.v2: reported once, at the id, for all its aspects.
    const dotted = contract([{ id: 'makers01.Pump.v2', aspects: [{ name: 'Flow', aspectType: 'makers01.X', variables: [] },
      { name: 'Power', aspectType: 'makers01.X', variables: [] }] }, { id: 'makers01.Motor', aspects: [
      { name: 'Drive Side', aspectType: 'makers01.X', variables: [] }] }]);
    const findings = lint('d.contract.json', dotted);
    assert.deepEqual(squiggles(dotted, findings, 'mdsp/contract-name-length'), [['"makers01.Pump.v2"', 'error'], ['"Drive Side"', 'error']]);
    assert.match(findings.find((f) => f.ruleId === 'mdsp/contract-name-length')?.message ?? '', /TS_X_Flow_Pump\.v2 is not an OData identifier/);
    assert.deepEqual(findings.filter((f) => f.ruleId === 'mdsp/contract-schema'), [], 'the schema allows both');
  });

  test('mdsp/contract-app-prefix: the application name is mdsp_ + tenant', () => {
    const text = contract([PUMP], { applicationName: 'pumps_app' });
    const findings = lint('p.contract.json', text);
    assert.deepEqual(squiggles(text, findings, 'mdsp/contract-app-prefix'), [['"pumps_app"', 'warning']]);
    assert.match(fixOf(text, findings, 'mdsp/contract-app-prefix'), /"applicationName": "mdsp_makers01"/);
  });

  test('mdsp/contract-split-hierarchy: parent and derived type in different contracts, with the related location', () => {
    const machines = contract([MACHINE], { name: 'Machines' });
    const pumps = contract([PUMP]);
    const findings = new Linter().lintWorkspace([
      { fileName: 'contracts/machines.contract.json', text: machines }, { fileName: 'contracts/pumps.contract.json', text: pumps }]);
    const split = findings.filter((f) => f.ruleId === 'mdsp/contract-split-hierarchy');
    assert.equal(split.length, 1);
    assert.equal(split[0]?.fileName, 'contracts/pumps.contract.json');
    assert.equal(pumps.slice(split[0]?.range.start, split[0]?.range.end), '"makers01.RotatingMachine"');
    const related = split[0]?.related?.[0];
    assert.equal(related?.fileName, 'contracts/machines.contract.json');
    assert.equal(machines.slice(related?.range.start, related?.range.end), '"makers01.RotatingMachine"');
    // Both in one contract: nothing to say. The parent only in the schema, published nowhere: nothing either.
    assert.deepEqual(new Linter().lintWorkspace([{ fileName: 'all.contract.json', text: contract([MACHINE, PUMP]) }]), []);
    assert.deepEqual(new Linter().lintWorkspace([{ fileName: 'p.contract.json', text: contract([{ ...PUMP, parentTypeId: undefined }]) },
      { fileName: 'm.contract.json', text: machines }], { schema: SCHEMA }).map((f) => f.ruleId), ['mdsp/contract-split-hierarchy']);
  });
});

describe('mdsp/unknown-name', () => {
  test('checks contract names against the schema, including inherited aspects', () => {
    const text = contract([{ id: 'makers01.Pmp', aspects: [] }, { ...PUMP, aspects: [
      { name: 'Vibration', aspectType: 'makers01.Vibration', variables: [{ name: 'rms', dataType: 'DOUBLE' }, { name: 'rmss', dataType: 'DOUBLE' }] },
      { name: 'Hydralics', aspectType: 'makers01.PumpHydraulics', variables: [] },
      { name: 'Hydraulics', aspectType: 'makers01.Vibration', variables: [] }] }]);
    const findings = lint('p.contract.json', text, { schema: SCHEMA });
    assert.deepEqual(squiggles(text, findings, 'mdsp/unknown-name').map(([t]) => t).sort(),
      ['Hydralics', 'makers01.Pmp', 'makers01.Vibration', 'rmss']);
    assert.match(findings.find((f) => text.slice(f.range.start, f.range.end) === 'Hydralics')?.message ?? '', /Did you mean 'Hydraulics'\?/);
    // Without a schema the rule stays silent.
    assert.deepEqual(lint('p.contract.json', text).filter((f) => f.ruleId === 'mdsp/unknown-name'), []);
  });

  test('checks requests: aspects, variables, entity sets and type ids', () => {
    const text = http(
      'GET {{host}}/api/iottimeseries/v3/timeseries/{{assetId}}/Hydraulic?from=2024-01-01T00:00:00Z&to=2024-01-02T00:00:00Z',
      'GET {{host}}/api/iottimeseries/v3/timeseries/{{assetId}}/Hydraulics?from=2024-01-01T00:00:00Z&to=2024-01-02T00:00:00Z&select=flow,presure',
      "GET {{dataHub}}/AGGR_PumpHydraulics_Hydraulics_Pumps?$filter=timestamp le '2024-01-02T00:00:00'",
      "GET {{dataHub}}/AGGR_Vibration_Vibration_Pump?$filter=variableName eq 'rsm' and timestamp le '2024-01-02T00:00:00'",
      'GET {{host}}/api/assetmanagement/v3/assets?filter={"hasType":"makers01.pump"}',
      "GET {{dataHub}}/TS_PumpHydraulics_Hydraulics_Pump?$filter=timestamp le '2024-01-02T00:00:00'",
      // A part of a type id is no type id: not looked up.
      'GET {{host}}/api/assetmanagement/v3/assets?filter={"typeId":{"endsWith":"Pump"},"hasType":{"startsWith":"makers01."}}',
      'GET {{host}}/api/assetmanagement/v3/assets?filter={"typeId":{"in":["makers01.Pump","makers01.Pmp"]}}',
    );
    const findings = lint('n.http', text, { schema: SCHEMA });
    assert.deepEqual(squiggles(text, findings, 'mdsp/unknown-name').map(([t]) => t),
      ['Hydraulic', 'presure', 'AGGR_PumpHydraulics_Hydraulics_Pumps', 'rsm', 'makers01.pump', 'makers01.Pmp']);
    const typeId = findings.find((f) => text.slice(f.range.start, f.range.end) === 'makers01.pump');
    assert.deepEqual(typeId?.fixes.map((f) => [f.title, f.isPreferred]), [["Change to 'makers01.Pump'", true]]);
  });
});
