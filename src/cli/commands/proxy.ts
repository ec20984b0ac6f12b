// `mdsp-makers proxy`: a local reverse proxy to the gateway that adds the bearer token, with CORS for localhost origins,
// for developing web components and widgets against real (or sandbox) data (seed §7). Runs until Ctrl+C.
import { DEFAULT_PROXY_PORT, startProxy } from '../../client';
import { CONNECTION_OPTIONS, CONNECTION_USAGE, CREDENTIALS_HELP, parseCommandArgs, withClient } from '../credentials';
import { type CliCommand, untilStopped, UsageError } from '../io';

const command: CliCommand = {
  summary: `Serve the tenant's APIs on http://127.0.0.1:PORT without credentials: the proxy adds the bearer token and answers CORS for localhost origins only.\n\n  --port N   default ${DEFAULT_PROXY_PORT}; 0 picks a free port\n\n${CREDENTIALS_HELP}`,
  usage: `mdsp-makers proxy [--port ${DEFAULT_PROXY_PORT}] ${CONNECTION_USAGE}`,
  async run(args, io) {
    const { values } = parseCommandArgs(args, { ...CONNECTION_OPTIONS, port: { type: 'string' } }, 0);
    // Digits only: Number('') is 0, which would quietly pick a random port.
    const port = values.port === undefined ? DEFAULT_PROXY_PORT : /^\d{1,5}$/.test(values.port) ? Number(values.port) : NaN;
    if (!(port >= 0 && port <= 65535)) throw new UsageError(`--port must be a port number from 0 to 65535, not '${values.port}'.`);
    return withClient(values, io, async ({ client }) => {
      await client.token(io.signal); // fail now, with the credentials error, rather than on the first proxied call
      let proxy;
      try {
        proxy = await startProxy({ gateway: client.connection.gateway, tokens: client.tokens, fetch, port,
          ...(values.verbose ? { log: (line: string) => io.stderr(`${line}\n`) } : {}) });
      } catch (error) {
        if ((error as { code?: string }).code === 'EADDRINUSE') throw new UsageError(`port ${port} is in use; choose another with --port.`);
        throw error;
      }
      io.stdout(`MindSphere API proxy on ${proxy.url} → ${client.connection.gateway} (tenant ${client.connection.tenant ?? client.connection.name}).\n` +
        `Try: curl ${proxy.url}/api/assetmanagement/v3/assets/root\nPress Ctrl+C to stop.\n`);
      await untilStopped(io);
      await proxy.close();
      io.stderr('Proxy stopped.\n');
      return 0;
    });
  },
};

export default command;
