// tools/build.mjs replaces this identifier with the git commit (esbuild `define`); unbundled, it is absent.
declare const ORCH_COMMIT: string | undefined;

export const ORCH_VERSION = '0.1.0';
/** the OCI runtime-spec version orch implements */
export const OCI_SPEC_VERSION = '1.3.0';

/** `orch --version`, in the line shapes containerd's go-runc parses ("commit: …", "spec: …"). */
export function versionText(): string {
  const commit = typeof ORCH_COMMIT === 'string' && ORCH_COMMIT !== '' ? ORCH_COMMIT : 'unknown';
  return `orch version ${ORCH_VERSION}\ncommit: ${commit}\nspec: ${OCI_SPEC_VERSION}\n`;
}
