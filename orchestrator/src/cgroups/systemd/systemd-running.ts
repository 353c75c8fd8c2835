import { lstatSync } from 'node:fs';

/** sd_booted(3): systemd runs as init when /run/systemd/system is a directory (runc's IsRunningSystemd). */
export function systemdRunning(): boolean {
  try {
    return lstatSync('/run/systemd/system').isDirectory();
  } catch {
    return false;
  }
}
