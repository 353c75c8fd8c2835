import test from 'ava';
import { validateContainerId } from '../../orchestrator/src/state/container-id.js';

test('ids runc accepts', (t) => {
  for (const id of ['c1', 'a.b', 'A_b-c+d', '.x', '...', 'a,b', '0123456789abcdef'.repeat(4)]) {
    t.notThrows(() => validateContainerId(id), id);
  }
});

test('ids runc refuses, with the id in the message', (t) => {
  for (const id of ['.', '..', 'a/b', '/a', 'a b', 'a:b', 'a@b', 'ü', 'a\nb']) {
    t.throws(() => validateContainerId(id), { message: `invalid container ID format: ${id}` }, JSON.stringify(id));
  }
  t.throws(() => validateContainerId(''), { message: 'container id cannot be empty' });
});
