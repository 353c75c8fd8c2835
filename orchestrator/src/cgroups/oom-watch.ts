/** A running OOM watch (runc's NotifyOOM): `closed` settles once the cgroup is gone (v1) or empty (v2). */
export interface OomWatch {
  closed: Promise<void>;
  stop(): void;
}
