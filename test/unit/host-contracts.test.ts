// The contract commands' logic without VS Code: the types related to a selection (parents and derived types, along whole
// derivation chains), the text of a new `*.contract.json`, the names a contract may have, where a broken file's problems
// are, and the message of a failed publish (the AGGR_ HTTP 500 named, status and code kept).
import * as assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { type AspectType, type AssetType, MindSphereError } from '../../src/client';
import { parseContract } from '../../src/core/contract';
import { MAX_ERRORS } from '../../src/core/contract/json';
import {
  contractFileName, contractInput, contractNameProblem, describeProblems, draftContract, fileProblems, MAX_FILE_PROBLEMS, publishFailure, relatedTypes, versionProblem,
} from '../../src/host/contracts/model';

const type = (id: string, parentTypeId?: string): AssetType => ({ id, name: id.slice(id.indexOf('.') + 1), ...(parentTypeId ? { parentTypeId } : {}) });
// core.basicasset › Machine › CNGTurbine › LPGTurbine › LPGTurbineMk2; core.basicasset › Pump; other01.Import derives from
// CNGTurbine (a type of another tenant may derive from ours).
const TYPES = [
  type('core.basicasset'), type('core.basicarea', 'core.basicasset'), type('makers01.Machine', 'core.basicasset'),
  type('makers01.CNGTurbine', 'makers01.Machine'), type('makers01.LPGTurbine', 'makers01.CNGTurbine'),
  type('makers01.LPGTurbineMk2', 'makers01.LPGTurbine'), type('makers01.Pump', 'core.basicasset'), type('other01.Import', 'makers01.CNGTurbine'),
];
const ids = (types: readonly AssetType[]) => types.map((t) => t.id);

describe('relatedTypes', () => {
  test('a type in the middle of a chain brings its own ancestors and every derived type, never core types', () => {
    assert.deepEqual(ids(relatedTypes(['makers01.LPGTurbine'], TYPES, 'makers01')), ['makers01.CNGTurbine', 'makers01.LPGTurbineMk2', 'makers01.Machine']);
  });

  test('derived types are followed down the whole chain, including types of other tenants', () => {
    assert.deepEqual(ids(relatedTypes(['makers01.Machine'], TYPES, 'makers01')),
      ['makers01.CNGTurbine', 'other01.Import', 'makers01.LPGTurbine', 'makers01.LPGTurbineMk2']);
  });

  test('selected types are not offered again, and an unrelated type brings nothing', () => {
    assert.deepEqual(ids(relatedTypes(['makers01.CNGTurbine', 'makers01.LPGTurbine'], TYPES, 'makers01')),
      ['other01.Import', 'makers01.LPGTurbineMk2', 'makers01.Machine']);
    assert.deepEqual(relatedTypes(['makers01.Pump'], TYPES, 'makers01'), []);
    assert.deepEqual(relatedTypes(['makers01.Unknown'], TYPES, 'makers01'), []);
  });

  test('a derivation cycle (bad data from a tenant) ends', () => {
    const cycle = [type('t1.A', 't1.B'), type('t1.B', 't1.A'), type('t1.C', 't1.A')];
    assert.deepEqual(ids(relatedTypes(['t1.A'], cycle, 't1')), ['t1.B', 't1.C']);
  });
});

describe('draftContract', () => {
  const flow: AspectType = { id: 'makers01.Flow', name: 'Flow', category: 'dynamic',
    variables: [{ name: 'FlowRate', dataType: 'DOUBLE', unit: 'm3/h' }, { name: 'Running', dataType: 'BOOLEAN', unit: '' }] } as AspectType;
  const pump = { id: 'makers01.Pump', name: 'Pump', parentTypeId: 'core.basicasset',
    aspects: [{ name: 'Flow', aspectType: { id: 'makers01.Flow' } }, { name: 'Plate', aspectType: { id: 'makers01.Nameplate',
      variables: [{ name: 'Maker', dataType: 'STRING', unit: '' }] } }] } as AssetType;
  const text = draftContract({ name: '  Pump Monitoring ', version: ' 1.2.0', tenant: 'makers01', types: [pump, type('makers01.Motor')],
    aspectTypes: new Map([[flow.id, flow]]) });

  test('application name mdsp_ + tenant, Asset Manager\'s environment type, each type with its aspects and variables', () => {
    assert.deepEqual(JSON.parse(text), {
      name: 'Pump Monitoring', version: '1.2.0', tenant: 'makers01', applicationName: 'mdsp_makers01', environmentType: 'Sandbox',
      assetTypes: [
        { id: 'makers01.Pump', name: 'Pump', parentTypeId: 'core.basicasset', aspects: [
          { name: 'Flow', aspectType: 'makers01.Flow', variables: [{ name: 'FlowRate', dataType: 'DOUBLE', unit: 'm3/h' }, { name: 'Running', dataType: 'BOOLEAN' }] },
          { name: 'Plate', aspectType: 'makers01.Nameplate', variables: [{ name: 'Maker', dataType: 'STRING' }] },
        ] },
        { id: 'makers01.Motor', name: 'Motor', aspects: [] },
      ],
    });
    assert.ok(text.endsWith('}\n'), 'a file ends with a newline');
  });

  test('the draft is exactly what contract.schema.json (the editor\'s jsonValidation) and the linter accept', () => {
    const parsed = parseContract(text);
    assert.deepEqual(parsed.json.errors, []);
    assert.deepEqual(parsed.issues, []);
    assert.deepEqual(fileProblems(text, parsed), []);
  });

  test('the contracts API gets the asset types by id, and the file\'s other fields', () => {
    assert.deepEqual(contractInput(parseContract(text).contract), { name: 'Pump Monitoring', version: '1.2.0', tenant: 'makers01',
      applicationName: 'mdsp_makers01', environmentType: 'Sandbox', assetTypes: ['makers01.Pump', 'makers01.Motor'] });
  });
});

describe('names and versions', () => {
  test('a contract name also names the file', () => {
    assert.equal(contractNameProblem('Pump Monitoring'), undefined);
    assert.equal(contractNameProblem('Pumpen-Überwachung 2'), undefined);
    assert.match(contractNameProblem('   ') ?? '', /^Enter a name/);
    for (const bad of ['a/b', 'a\\b', 'x:y', 'what?', 'a|b', 'tab\there', 'bell\u0007']) assert.match(contractNameProblem(bad) ?? '', /leave out/, bad);
    assert.match(contractNameProblem('.hidden') ?? '', /must not start with a dot/);
    assert.equal(contractFileName(' Pump  Monitoring '), 'Pump-Monitoring.contract.json');
  });

  test('a version is not empty and has no spaces', () => {
    assert.equal(versionProblem('1.0.0'), undefined);
    assert.match(versionProblem(' ') ?? '', /^Enter a version/);
    assert.match(versionProblem('1. 0') ?? '', /no spaces/);
  });
});

describe('fileProblems', () => {
  test('JSON errors and schema issues in text order, with the 1-based line and column an editor shows', () => {
    const text = '{\n  "name": "Pumps",\n  "version": "1.0.0"\n  "tenant": "makers01"\n}\n';
    const problems = fileProblems(text, parseContract(text));
    assert.ok(problems.length > 0);
    assert.deepEqual([problems[0]?.line, problems[0]?.column], [4, 3], 'the missing comma is found where "tenant" starts');
    assert.match(problems[0]?.message ?? '', /Expected ','/);
    assert.equal(text.slice(problems[0]?.start), '"tenant": "makers01"\n}\n');
  });

  test('a schema issue points at its value; the summary names the first and counts the rest', () => {
    const draft = JSON.parse(draftContract({ name: 'P', version: '1.0.0', tenant: 'makers01', types: [type('makers01.Pump')], aspectTypes: new Map() }));
    const text = JSON.stringify({ ...draft, environmentType: 'sandbox', extra: 1 }, null, 2);
    const problems = fileProblems(text, parseContract(text));
    assert.equal(problems.length, 2);
    assert.deepEqual(problems.map((p) => [p.line, p.column]), [[6, 22], [14, 3]]);
    assert.match(problems[0]?.message ?? '', /must be one of "Sandbox"/);
    assert.equal(text.slice(problems[0]?.start, problems[0]?.end), '"sandbox"');
    assert.match(describeProblems(problems), /^line 6, column 22: .*must be one of "Sandbox".* \(and 1 more problem\)$/);
    assert.equal(describeProblems([]), '');
  });

  test('a file with thousands of problems keeps the first few, each on its own line, and says there are more', () => {
    // One item per line and no commas: an "Expected ','" at the start of every line from the third on.
    const text = `[\n${'1\n'.repeat(20_000)}]`;
    const parsed = parseContract(text);
    assert.equal(parsed.json.errors.length, MAX_ERRORS + 1, 'the parser stops counting');
    assert.match(parsed.json.errors.at(-1)?.message ?? '', /^More JSON errors follow from here; only the first 100 are reported\.$/);
    const problems = fileProblems(text, parsed);
    assert.equal(problems.length, MAX_FILE_PROBLEMS);
    assert.deepEqual(problems.slice(0, 3).map((p) => [p.line, p.column]), [[3, 1], [4, 1], [5, 1]]);
    const last = problems.at(-1);
    assert.deepEqual([last?.line, last?.column], [MAX_FILE_PROBLEMS + 2, 1]);
    assert.match(describeProblems(problems), new RegExp(`^line 3, column 1: .* \\(and ${MAX_FILE_PROBLEMS - 1}\\+ more problems\\)$`));
  });
});

describe('publishFailure', () => {
  const aggr = 'AGGR_' + 'A'.repeat(100) + '_Drv_' + 'T'.repeat(91);
  const serverMessage = `Publishing contract 'Long' failed: the entity name ${aggr} is 201 characters long, and Data Hub allows at most 200 ` +
    'for AGGR_{AspectType}_{AspectName}_{AssetType}. Shorten the aspect type, aspect or asset type name, then publish again.';
  const error = (status: number, message: string, path = '/api/datacontracts/v1/contracts/c1/publish') => new MindSphereError({
    status, code: status === 500 ? 'mdsp.core.generic.internalServerError' : 'mdsp.core.generic.invalidParameter', logref: 'lr-1',
    serverMessage: message, request: { method: 'POST', path } });

  test('the HTTP 500 of a too long AGGR_ name is named, keeps the status, the server\'s words, code and logref', () => {
    const text = publishFailure("'Long' 1.0.0", error(500, serverMessage));
    assert.match(text, /^MindSphere could not publish 'Long' 1\.0\.0 to Data Hub \(HTTP 500\): an AGGR_\{AspectType\}_\{AspectName\}_\{AssetType\} entity name is longer than 200 characters\./);
    assert.ok(text.includes(`the entity name ${aggr} is 201 characters long`));
    assert.match(text, /The contract is saved on the tenant, not published\./);
    assert.equal(text.match(/Shorten/g)?.length, 1, 'the advice once, when the server gives it');
    assert.match(text, /\[code: mdsp\.core\.generic\.internalServerError, logref: lr-1\]$/);
  });

  test('a bare 500 from a real tenant still gets the advice; a failed replace does not claim the contract is saved', () => {
    const text = publishFailure("'Long' 1.0.0", error(500, 'Internal error creating AGGR_ entity', '/api/datacontracts/v1/contracts/c1'));
    assert.match(text, /\(HTTP 500\).*Internal error creating AGGR_ entity\. Shorten the aspect type, aspect or asset type name/);
    assert.doesNotMatch(text, /saved on the tenant/);
  });

  test('any other failure keeps the server\'s status and message', () => {
    const text = publishFailure("'P' 1.0.0", error(400, "Asset type 'makers01.Gone' does not exist."));
    assert.match(text, /^Publishing 'P' 1\.0\.0 failed: MindSphere refused POST \/api\/datacontracts\/v1\/contracts\/c1\/publish \(400\): Asset type 'makers01\.Gone' does not exist\./);
    assert.match(publishFailure("'P' 1.0.0", error(500, 'Something else broke.')), /^Publishing 'P' 1\.0\.0 failed: MindSphere failed on .* \(500\): Something else broke\./);
    assert.equal(publishFailure("'P' 1.0.0", new Error('offline')), "Publishing 'P' 1.0.0 failed: offline");
  });

  test('a file refused at the publish step: the message says the contract is saved on the tenant, not published, and what to do', () => {
    const gone = "Asset type 'makers01.Gone' does not exist.";
    const text = publishFailure("'P' 1.0.0", error(400, gone), 'P.contract.json');
    assert.match(text, /^Publishing 'P' 1\.0\.0 failed: MindSphere refused POST .*\/publish \(400\): Asset type 'makers01\.Gone' does not exist\./);
    assert.match(text, /The contract is saved on the tenant, not published: correct P\.contract\.json and publish it again, which replaces the saved one\.$/);
    // Refused when it was sent (create or replace): nothing new is on the tenant.
    assert.doesNotMatch(publishFailure("'P' 1.0.0", error(400, gone, '/api/datacontracts/v1/contracts'), 'P.contract.json'), /saved on the tenant/);
  });
});
