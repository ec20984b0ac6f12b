import { type CliCommand, type CliIO, CommandFailure, processIO, UsageError } from './io';

declare const MDSP_VERSION: string | undefined;

/** The subcommands: each lives in its own module under commands/ and is loaded only when it runs. */
const COMMANDS: Record<string, () => Promise<CliCommand>> = {
  aggregates: async () => (await import('./commands/aggregates')).default,
  assets: async () => (await import('./commands/assets')).default,
  contracts: async () => (await import('./commands/contracts')).default,
  lint: async () => (await import('./commands/lint')).default,
  odata: async () => (await import('./commands/odata')).default,
  proxy: async () => (await import('./commands/proxy')).default,
  sandbox: async () => (await import('./commands/sandbox')).default,
  timeseries: async () => (await import('./commands/timeseries')).default,
  token: async () => (await import('./commands/token')).default,
  types: async () => (await import('./commands/types')).default,
};

/** The overview: every command with its one-line summary (help is the one place that loads them all). */
async function help(): Promise<string> {
  const names = Object.keys(COMMANDS).sort();
  const width = Math.max(...names.map((n) => n.length));
  const rows = await Promise.all(
    names.map(async (name) => `  ${name.padEnd(width)}  ${((await COMMANDS[name]?.())?.summary ?? '').split('\n')[0]}`),
  );
  return [
    'mdsp-makers: MindSphere (Insights Hub) tools for makers',
    '',
    'Usage: mdsp-makers <command> [options]     mdsp-makers <command> --help',
    '',
    'Commands:',
    ...rows,
    '',
  ].join('\n');
}

export async function main(argv: string[], io: CliIO): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    io.stdout(await help());
    return name ? 0 : 2;
  }
  if (name === '--version' || name === '-v') {
    io.stdout(`${typeof MDSP_VERSION === 'string' ? MDSP_VERSION : 'dev'}\n`);
    return 0;
  }
  const load = COMMANDS[name];
  if (!load) {
    io.stderr(`mdsp-makers: unknown command '${name}'.\n\n${await help()}`);
    return 2;
  }
  const command = await load();
  if (rest.includes('--help') || rest.includes('-h')) {
    io.stdout(`${command.summary}\n\nUsage: ${command.usage}\n`);
    return 0;
  }
  try {
    return await command.run(rest, io);
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr(`mdsp-makers ${name}: ${error.message}\n\nUsage: ${command.usage}\n`);
      return 2;
    }
    io.stderr(`mdsp-makers ${name}: ${error instanceof Error ? error.message : String(error)}\n`);
    return error instanceof CommandFailure ? 1 : 2;
  }
}

if (require.main === module) {
  const controller = new AbortController();
  for (const sig of ['SIGINT', 'SIGTERM'] as const) process.on(sig, () => controller.abort());
  main(process.argv.slice(2), processIO(controller.signal)).then(
    (code) => {
      process.exitCode = code;
      // Asked to stop: a request still in flight (a shared token request, a stalled answer) must not keep the process
      // alive until its own timeout.
      if (controller.signal.aborted) process.exit();
    },
    (error: unknown) => {
      process.stderr.write(`mdsp-makers: ${String(error)}\n`);
      process.exitCode = 2;
    },
  );
}
