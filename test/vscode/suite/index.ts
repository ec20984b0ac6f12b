// Entry point that VS Code's extension host loads as extensionTestsPath: runs every *.test.js beside it with mocha (those
// whose name contains one of the comma-separated MDSP_SUITE_FILTER, when set; the secret scan always, last) and reports a machine-readable summary
// line for test/vscode/run.mjs.
import * as fs from 'node:fs';
import * as path from 'node:path';
import Mocha from 'mocha';

/** The scan for leaked secrets runs after every other suite (also a filtered run), so it covers all their flows. */
const LAST = 'secrets.test.js';

export function run(): Promise<void> {
  const mocha = new Mocha({ ui: 'tdd', color: false, timeout: 60_000, reporter: 'spec' });
  const only = process.env.MDSP_SUITE_FILTER?.split(',').filter(Boolean);
  const files = fs.readdirSync(__dirname).filter((f) => f.endsWith('.test.js') && (!only?.length || only.some((o) => f.includes(o)) || f === LAST)).sort();
  for (const file of [...files.filter((f) => f !== LAST), ...files.filter((f) => f === LAST)]) mocha.addFile(path.join(__dirname, file));
  return new Promise((resolve, reject) => {
    mocha.run((failures) => {
      const stats = mocha.suite.total();
      console.log(`MDSP_SUMMARY ${JSON.stringify({ passes: stats - failures, failures })}`);
      if (failures > 0) reject(new Error(`${failures} test(s) failed`));
      else resolve();
    });
  });
}
