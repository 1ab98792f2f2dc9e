// The package as it ships: what package.json points at exists, and the declarations (src/index.d.ts,
// type-checked by tsc in `npm test`) describe the API the code really returns.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { createTollgateClient } from '../src/index.js';

const root = new URL('../', import.meta.url);
const pkg = JSON.parse(readFileSync(new URL('package.json', root), 'utf8'));
const declarations = readFileSync(new URL(pkg.types, root), 'utf8');

test('package.json points at the code and the declarations, and ships both', () => {
  for (const path of [pkg.main, pkg.types, pkg.exports['.'].types, pkg.exports['.'].default]) {
    assert.ok(existsSync(new URL(path, root)), path);
    assert.ok(pkg.files.some((dir) => path.startsWith(`./${dir}/`)), `${path} is in "files"`);
  }
  assert.deepEqual(pkg.dependencies ?? {}, {}, 'no run-time dependencies');
});

test('the client object has exactly the members interface TollgateClient declares', () => {
  const body = /export interface TollgateClient \{([\s\S]*?)\n\}/.exec(declarations)[1];
  const declared = [...body.matchAll(/^ {2}(\w+)\(/gm)].map((m) => m[1]).sort();
  assert.deepEqual(Object.keys(createTollgateClient()).sort(), declared);
});

test('the options the code documents (JSDoc) and the declared ones are the same', () => {
  const body = /export interface TollgateClientOptions \{([\s\S]*?)\n\}/.exec(declarations)[1];
  const declared = [...body.matchAll(/^ {2}(\w+)\?:/gm)].map((m) => m[1]).sort();
  const code = readFileSync(new URL('src/index.js', root), 'utf8');
  const documented = [...code.matchAll(/\[options\.(\w+)/g)].map((m) => m[1]).sort();
  assert.deepEqual(declared, documented);
});
