// `mdsp-makers token`: prints an access token for use in other tools (curl, REST Client, Postman), with a warning on
// stderr about what it is. Only the token goes to stdout, so `$(mdsp-makers token)` works.
import { toIso } from '../../client';
import { CONNECTION_OPTIONS, CONNECTION_USAGE, CREDENTIALS_HELP, parseCommandArgs, withClient } from '../credentials';
import type { CliCommand } from '../io';

const command: CliCommand = {
  summary: `Print an access token of the tenant on stdout, e.g. for curl -H "Authorization: Bearer $(mdsp-makers token)".\n\n${CREDENTIALS_HELP}`,
  usage: `mdsp-makers token ${CONNECTION_USAGE}`,
  async run(args, io) {
    const { values } = parseCommandArgs(args, CONNECTION_OPTIONS, 0);
    return withClient(values, io, async ({ client, sandbox }) => {
      const token = await client.token(io.signal);
      io.stdout(`${token.accessToken}\n`);
      const minutes = Math.max(0, Math.round((token.expiresAt - Date.now()) / 60_000));
      io.stderr(`warning: this bearer token grants the access of the binding keys of ${client.connection.tenant ?? client.connection.name}` +
        `${sandbox ? ' (sandbox)' : ''} until ${toIso(token.expiresAt)} (${minutes} minutes). Anyone who holds it can call MindSphere as your app: ` +
        'do not paste it into tickets, chats or files under version control.\n');
      return 0;
    });
  },
};

export default command;
