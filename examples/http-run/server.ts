// An HTTP service that runs a command in a busybox container per request and streams its output
// back: GET /run?cmd=echo&arg=hello. The container is deleted when the command ends, when the
// client goes away (the AbortSignal), or when the service stops.
//
//   node server.js ROOTFS [PORT]     (as root; ROOTFS: a directory holding busybox, e.g. bin/sh)
import { createServer, type Server } from 'node:http';
import { randomUUID } from 'node:crypto';
import { defaultSpec, run, OrchError } from 'orch';

export function serve(rootfs: string, stateRoot = '/run/orch-http-example'): Server {
  return createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://localhost');
    const command = url.searchParams.get('cmd');
    if (url.pathname !== '/run' || command === null) {
      response.writeHead(404).end('GET /run?cmd=COMMAND&arg=ARG…\n');
      return;
    }
    const spec = defaultSpec();
    spec.process = { ...spec.process!, args: [command, ...url.searchParams.getAll('arg')], terminal: false };
    const client = new AbortController();
    response.on('close', () => client.abort());
    void (async () => {
      try {
        const container = await run({ id: `http-${randomUUID()}`, spec, rootfs, root: stateRoot, stdio: ['ignore', 'pipe', 'pipe'], signal: client.signal });
        response.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' });
        container.stdout?.pipe(response, { end: false });
        container.stderr?.pipe(response, { end: false });
        const exit = await container.wait();
        await container.delete();
        response.end(`[exit ${exit.code ?? exit.signal}]\n`);
      } catch (err) {
        const status = err instanceof OrchError && err.code === 'invalid-config' ? 400 : 500;
        if (!response.headersSent) response.writeHead(status);
        response.end(`${err instanceof Error ? err.message : String(err)}\n`);
      }
    })();
  });
}

// run directly: node server.js ROOTFS [PORT]
if (process.argv[1] && import.meta.url === new URL(`file://${process.argv[1]}`).href) {
  const [rootfs, port = '8080'] = process.argv.slice(2);
  if (!rootfs) {
    console.error('usage: node server.js ROOTFS [PORT]');
    process.exit(2);
  }
  const server = serve(rootfs).listen(Number(port), () => console.log(`listening on :${port}`));
  process.on('SIGTERM', () => server.close());
}
