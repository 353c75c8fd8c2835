import { closeSync, openSync, writeSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { defaultSpec, rootlessSpec } from '../../config/default-spec.js';
import { OrchError, systemError } from '../../errors/orch-error.js';
import { exactArgs } from '../arg-count.js';
import { defineCommand } from '../command.js';

export const command = defineCommand({
  name: 'spec',
  summary: 'write a starter config.json',
  argsUsage: '',
  description:
    'Writes config.json into the bundle directory: a container running "sh" in ./rootfs, to edit to taste.\n' +
    'It never overwrites an existing config.json.',
  flags: {
    bundle: { kind: 'string', alias: 'b', usage: 'bundle directory to write config.json in', defaultText: 'the current directory' },
    rootless: { kind: 'bool', usage: 'write a config for a container run without root' },
  },
  run: async (ctx, flags, args) => {
    exactArgs('spec', args, 0);
    const spec = flags.rootless ? rootlessSpec() : defaultSpec();
    const path = join(resolve(ctx.io.cwd(), flags.bundle ?? '.'), 'config.json');
    let fd: number;
    try {
      // 'wx': the existence check and the create are one step
      fd = openSync(path, 'wx', 0o666);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'EEXIST') throw new OrchError('invalid-argument', 'File config.json exists. Remove it first');
      throw systemError(`write ${path}`, err);
    }
    try {
      // as runc: tab-indented, no trailing newline
      writeSync(fd, JSON.stringify(spec, null, '\t'));
    } catch (err) {
      throw systemError(`write ${path}`, err);
    } finally {
      closeSync(fd);
    }
    return 0;
  },
});
