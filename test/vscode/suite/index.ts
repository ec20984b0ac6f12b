// Entry point that VS Code's extension host loads as extensionTestsPath: runs every *.test.js beside it with mocha and
// reports a machine-readable summary line for test/vscode/run.mjs.
import * as fs from 'node:fs';
import * as path from 'node:path';
import Mocha from 'mocha';

export function run(): Promise<void> {
  const mocha = new Mocha({ ui: 'tdd', color: false, timeout: 60_000, reporter: 'spec' });
  const only = process.env.MDSP_SUITE_FILTER;
  for (const file of fs.readdirSync(__dirname).sort()) {
    if (file.endsWith('.test.js') && (!only || file.includes(only))) mocha.addFile(path.join(__dirname, file));
  }
  return new Promise((resolve, reject) => {
    mocha.run((failures) => {
      const stats = mocha.suite.total();
      console.log(`MDSP_SUMMARY ${JSON.stringify({ passes: stats - failures, failures })}`);
      if (failures > 0) reject(new Error(`${failures} test(s) failed`));
      else resolve();
    });
  });
}
