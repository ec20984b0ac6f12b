// Small helpers shared by the host's modules, free of `vscode` so the explorer model and its tests can use them.

/** The message of anything thrown, for people (a MindSphereError's message is already one line with the status). */
export function messageOf(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  // One of the extension's own bundles is gone (dist/*.js, loaded when first needed; the sandbox's worker by its full
  // path): Node's "Cannot find module" and its require stack would say nothing useful to the user.
  const code = (error as { code?: unknown }).code;
  const missing = code === 'MODULE_NOT_FOUND' || code === 'ERR_MODULE_NOT_FOUND'
    ? /Cannot find module '(?:\.\/|.*[\\/]dist[\\/])([\w-]+\.js)'/.exec(error.message) : null;
  if (missing) return `A part of MindSphere Makers (${missing[1]}) is missing: its installation is damaged. Reinstall the extension, then reload the window.`;
  return error.message;
}
