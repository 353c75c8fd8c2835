import { join } from 'node:path';
import { OrchError } from '../../errors/orch-error.js';
import { hasErrno, readCgroupFileIfExists } from '../cgroup-file.js';
import { parseCgroupUint } from '../cgroup-values.js';
import type { PsiData, PsiStats } from '../stats/cgroup-stats.js';

/**
 * Pressure stall information: "some avg10=0.00 avg60=0.00 avg300=0.00 total=0" (and "full …")
 * from cpu.pressure, memory.pressure, io.pressure. undefined when the kernel has no PSI.
 */
export function readPsi(dir: string, file: string): PsiStats | undefined {
  let text: string | undefined;
  try {
    text = readCgroupFileIfExists('psi', dir, file);
  } catch (err) {
    // psi=0 on the kernel command line: the files exist and refuse reads
    if (hasErrno(err, 'ENOTSUP') || hasErrno(err, 'EOPNOTSUPP')) return undefined;
    throw err;
  }
  return text === undefined ? undefined : parsePsi(text, join(dir, file));
}

export function parsePsi(text: string, where: string): PsiStats {
  const stats: PsiStats = { some: emptyPsi(), full: emptyPsi() };
  for (const line of text.split('\n')) {
    const [kind, ...fields] = line.split(/\s+/).filter((f) => f !== '');
    if (kind !== 'some' && kind !== 'full') continue;
    const data = stats[kind];
    for (const field of fields) {
      const eq = field.indexOf('=');
      if (eq < 0) throw new OrchError('system', `${where}: invalid psi data: ${JSON.stringify(field)}`);
      const key = field.slice(0, eq);
      const value = field.slice(eq + 1);
      if (key === 'total') data.total = parseCgroupUint(value, where);
      else if (key === 'avg10' || key === 'avg60' || key === 'avg300') {
        const n = Number(value);
        if (!Number.isFinite(n) || value.trim() === '') throw new OrchError('system', `${where}: invalid ${key} PSI value: ${JSON.stringify(value)}`);
        data[key] = n;
      }
    }
  }
  return stats;
}

function emptyPsi(): PsiData {
  return { avg10: 0, avg60: 0, avg300: 0, total: 0n };
}
