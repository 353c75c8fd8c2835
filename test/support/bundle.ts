import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, symlinkSync, writeFileSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultSpec } from '../../orchestrator/src/config/default-spec.js';
import type { Spec } from '../../orchestrator/src/config/spec-types.js';

const BUSYBOX = '/bin/busybox';
let applets: string[] | undefined;

/** A rootfs made of Debian's busybox-static: /bin/busybox, one symlink per applet, /etc basics. */
export function makeRootfs(dir: string): void {
  for (const sub of ['bin', 'etc', 'proc', 'sys', 'dev', 'tmp', 'root', 'home/user']) mkdirSync(join(dir, sub), { recursive: true });
  chmodSync(join(dir, 'tmp'), 0o1777);
  copyFileSync(BUSYBOX, join(dir, 'bin/busybox'));
  chmodSync(join(dir, 'bin/busybox'), 0o755);
  applets ??= execFileSync(BUSYBOX, ['--list'], { encoding: 'utf8' }).split('\n').filter((name) => name && name !== 'busybox');
  for (const name of applets) symlinkSync('busybox', join(dir, 'bin', name));
  writeFileSync(join(dir, 'etc/passwd'), 'root:x:0:0:root:/root:/bin/sh\nuser:x:1000:1000:user:/home/user:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/false\n');
  writeFileSync(join(dir, 'etc/group'), 'root:x:0:\nuser:x:1000:\ntty:x:5:\nnogroup:x:65534:\n');
}

export interface Bundle {
  dir: string;
  rootfs: string;
  spec: Spec;
  /** writes config.json again after the spec was changed */
  save(): void;
}

/** A bundle dir with a busybox rootfs and the default config running `args`. */
export function makeBundle(args: string[], edit?: (spec: Spec) => void): Bundle {
  const dir = mkdtempSync(join(tmpdir(), 'orch-bundle-'));
  chmodSync(dir, 0o755); // a user-namespaced init must be able to reach rootfs/
  const rootfs = join(dir, 'rootfs');
  makeRootfs(rootfs);
  const spec = defaultSpec();
  spec.process!.args = args;
  spec.process!.terminal = false;
  edit?.(spec);
  const bundle: Bundle = {
    dir,
    rootfs,
    spec,
    save: () => writeFileSync(join(dir, 'config.json'), JSON.stringify(spec, null, 2)),
  };
  bundle.save();
  return bundle;
}
