// node --test scripts/: the licence policy of scripts/licenses.mjs.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { allowed } from './licenses.mjs';

test('permissive and AGPL-compatible licences may be bundled, alone or combined', () => {
  for (const expression of ['MIT', 'MIT OR Apache-2.0', 'MIT/Apache-2.0', 'Apache-2.0 / MIT', '(MIT OR Apache-2.0) AND Unicode-3.0',
    'Apache-2.0 WITH LLVM-exception OR Apache-2.0 OR MIT', 'MPL-2.0', 'OFL-1.1', 'Apache-2.0 OR GPL-2.0-only']) {
    assert.ok(allowed(expression), expression);
  }
});

test('a licence KOZMOS may not bundle is refused, also when combined with AND', () => {
  for (const expression of ['GPL-2.0-only', 'SSPL-1.0', 'MIT AND GPL-2.0-only', 'BUSL-1.1', 'UNKNOWN', 'SEE LICENSE FILE LICENSE', '']) {
    assert.ok(!allowed(expression), expression);
  }
});
