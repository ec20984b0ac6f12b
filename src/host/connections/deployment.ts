// "Export Deployment Constants…": what a Mendix app needs to reach MindSphere once deployed, without the secret in the
// app model (seed §6.2). Pure text, no `vscode`: unit-tested on its own.

/** The Marketplace module that authenticates Mendix apps with IIoT for Makers binding keys (seed §4.2, §5.3). */
export const AUTHENTICATOR_MODULE = 'MindSphereIIotAuthenticator';

/** Its constants, in the module's `_Use me` folder (seed §4.2). */
export const AUTHENTICATOR_CONSTANTS = { tokenUrl: 'TokenURL', clientId: 'ClientID', clientSecret: 'ClientSecret' } as const;

export const SECRET_PLACEHOLDER = '<paste the clientSecret here>';

export type DeploymentFormat = 'mendix' | 'cloudFoundry';

export interface DeploymentConnection {
  readonly name: string;
  readonly tokenUrl: string;
  readonly clientId: string;
  readonly tenant?: string;
}

/** The environment variable the Mendix buildpack reads a constant from: `MX_<Module>_<Constant>`. */
export function constantVariable(constant: string): string {
  return `MX_${AUTHENTICATOR_MODULE}_${constant}`;
}

/**
 * A value for a POSIX shell. TokenURLs and client IDs are left bare: cmd.exe would keep single quotes as part of the
 * value. Anything else is single-quoted. `?`, `&` and `%` are not left bare although URLs may hold them: zsh globs `?`,
 * `&` ends the command in every shell, and cmd.exe expands `%…%`.
 */
function shellValue(value: string): string {
  return /^[A-Za-z0-9._:/=@+-]+$/.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`;
}

export function deploymentConstants(format: DeploymentFormat, c: DeploymentConnection): string {
  const about = `the connection '${c.name}'${c.tenant ? ` (tenant ${c.tenant})` : ''}`;
  const values: [constant: string, value: string][] = [
    [AUTHENTICATOR_CONSTANTS.tokenUrl, c.tokenUrl],
    [AUTHENTICATOR_CONSTANTS.clientId, c.clientId],
    [AUTHENTICATOR_CONSTANTS.clientSecret, SECRET_PLACEHOLDER],
  ];
  if (format === 'mendix') {
    return [
      `# ${AUTHENTICATOR_MODULE} constants for ${about}, exported by MindSphere Makers.`,
      `# Development: set them in Studio Pro, module ${AUTHENTICATOR_MODULE}, folder _Use me (or in a run configuration).`,
      '# Deployment: set them on the Model Options tab of the environment (Mendix Cloud), and remove the ClientID and',
      '# ClientSecret values from the app model, so the secret never ships inside the app.',
      ...values.map(([constant, value]) => `${AUTHENTICATOR_MODULE}.${constant} = ${value}`),
      '',
    ].join('\n');
  }
  return [
    `# Cloud Foundry environment variables for ${about}, exported by MindSphere Makers.`,
    '# The cf lines are for a POSIX shell (bash, zsh). In cmd or PowerShell, a value with special characters needs that',
    '# shell\'s quoting instead of the single quotes.',
    '# The Mendix buildpack reads each constant from an MX_<Module>_<Constant> variable. Replace <app> with the name',
    '# of your app, put the client secret where the placeholder is, run these commands, then restage the app.',
    ...values.map(([constant, value]) => `cf set-env <app> ${constantVariable(constant)} ${shellValue(value)}`),
    'cf restage <app>',
    '',
    '# The same in manifest.yml, without the secret (a manifest is usually committed; set the secret with cf set-env):',
    '# applications:',
    '# - name: <app>',
    '#   env:',
    ...values.slice(0, 2).map(([constant, value]) => `#     ${constantVariable(constant)}: ${value}`),
    '',
  ].join('\n');
}
