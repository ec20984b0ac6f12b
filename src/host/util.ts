// Small helpers shared by the host's modules, free of `vscode` so the explorer model and its tests can use them.

/** The message of anything thrown, for people (a MindSphereError's message is already one line with the status). */
export function messageOf(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  // One of the extension's own bundles (dist/*.js, loaded when first needed) is gone: Node's "Cannot find module" and
  // its require stack would say nothing useful to the user.
  const missing = (error as { code?: unknown }).code === 'MODULE_NOT_FOUND' ? /Cannot find module '\.\/([\w-]+\.js)'/.exec(error.message) : null;
  if (missing) return `A part of MindSphere Makers (${missing[1]}) is missing: its installation is damaged. Reinstall the extension, then reload the window.`;
  return error.message;
}
