// package.json's contributions hang together: every command a menu, welcome view or walkthrough names exists; item
// commands stay out of the palette; every setting is titled, scoped and described; no setting could hold a secret or
// decide where credentials are sent; the walkthrough's pages exist. (That the registered set equals the contributed
// commands is checked inside VS Code by activation.test.ts.)
import * as assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { test } from 'node:test';

interface Manifest {
  contributes: {
    commands: { command: string }[];
    menus: Record<string, { command: string; when?: string }[]>;
    viewsWelcome: { view: string; contents: string }[];
    views: Record<string, { id: string }[]>;
    configuration: { title: string; properties: Record<string, { scope?: string; markdownDescription?: string; description?: string }> }[];
    walkthroughs: { steps: { description: string; media: { markdown?: string; image?: string } }[] }[];
  };
}

const manifest = JSON.parse(readFileSync('package.json', 'utf8')) as Manifest;
const c = manifest.contributes;
const commands = new Set(c.commands.map((x) => x.command));
const views = Object.values(c.views).flat().map((v) => v.id);
const builtIn = (id: string) => views.some((v) => id === `${v}.focus`) || id.startsWith('workbench.');
const linked = (text: string) => [...text.matchAll(/\(command:([\w.]+)/g)].map((m) => m[1]!);

test('every command a menu, a welcome view or the walkthrough names is a contributed command', () => {
  const named = [
    ...Object.values(c.menus).flat().map((m) => m.command),
    ...c.viewsWelcome.flatMap((w) => linked(w.contents)),
    ...c.walkthroughs.flatMap((w) => w.steps.flatMap((s) => linked(s.description))),
  ];
  for (const id of named) assert.ok(commands.has(id) || builtIn(id), `${id} is used but not contributed`);
});

test('commands that need a tree item are hidden from the palette', () => {
  const palette = new Map(c.menus.commandPalette!.map((m) => [m.command, m.when]));
  for (const id of ['mdsp.copyId', 'mdsp.loadMore', 'mdsp.revealAsset']) assert.equal(palette.get(id), 'false', id);
});

test('the explorer\'s welcome offers the Sandbox and the binding keys', () => {
  const welcome = c.viewsWelcome.find((w) => w.view === 'mdsp.explorer')?.contents ?? '';
  assert.match(welcome, /\[Try the Sandbox Tenant\]\(command:mdsp\.useSandbox\)/);
  assert.match(welcome, /\[Add Your Binding Keys…\]\(command:mdsp\.addConnection\)/);
});

test('settings are titled, scoped and described; none holds a secret or a credential destination', () => {
  for (const section of c.configuration) {
    assert.ok(section.title, 'a titled section');
    for (const [key, p] of Object.entries(section.properties)) {
      assert.ok(p.scope, `${key} has an explicit scope`);
      assert.ok(p.markdownDescription ?? p.description, `${key} is described`);
      assert.doesNotMatch(key, /secret|password|token|clientid|gateway|url/i, `${key} must not be a setting`);
    }
  }
  const sandbox = c.configuration.flatMap((s) => Object.entries(s.properties)).filter(([k]) => k.startsWith('mdsp.sandbox.') || k.startsWith('mdsp.client.'));
  assert.deepEqual(sandbox.map(([k]) => k).sort(), ['mdsp.client.concurrency', 'mdsp.sandbox.assets', 'mdsp.sandbox.latencyMs', 'mdsp.sandbox.seed']);
  for (const [key, p] of sandbox) assert.equal(p.scope, 'application', `${key}: a cloned workspace must not change it`);
});

test('the walkthrough\'s pages exist', () => {
  for (const step of c.walkthroughs.flatMap((w) => w.steps)) {
    const file = step.media.markdown ?? step.media.image;
    assert.ok(file && existsSync(file), `${file} exists`);
  }
});

/** Whether a menu entry's `viewItem =~ /…/` clause takes a tree item with this contextValue (as VS Code evaluates it). */
function showsFor(when: string | undefined, contextValue: string): boolean {
  const m = /viewItem =~ \/(.+?)\/(?=\s|$)/.exec(when ?? '');
  assert.ok(m, `a viewItem clause in: ${when}`);
  return new RegExp(m[1]!).test(contextValue);
}

test('"Export Deployment Constants" is offered on a connection with binding keys, not on the Sandbox (it has none to export)', () => {
  const entries = c.menus['view/item/context']!.filter((m) => m.command === 'mdsp.exportDeploymentConstants');
  assert.deepEqual(entries.map((m) => /view == (\S+)/.exec(m.when ?? '')?.[1]).sort(), ['mdsp.connections', 'mdsp.explorer']);
  for (const m of entries) {
    assert.ok(showsFor(m.when, 'connection') && showsFor(m.when, 'connection;active'), `shown for a saved connection: ${m.when}`);
    assert.ok(!showsFor(m.when, 'connection;sandbox') && !showsFor(m.when, 'connection;active;sandbox'), `hidden for the Sandbox: ${m.when}`);
  }
});
